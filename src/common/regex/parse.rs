//! The pattern parser: glibc's `regcomp.c` token by token (peek_token, parse_reg_exp,
//! parse_branch, parse_expression, parse_dup_op, parse_bracket_exp), so the same patterns are
//! accepted, the same ones rejected with the same error, and the tree has glibc's shape
//! (`x{2,3}` is `xx(x)?`, `x+` is `xx*`): sub-match positions follow from that shape.

use super::{ByteSet, ErrorKind, Look, Syntax};

/// The parse tree (glibc's `bin_tree_t` after parsing).
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// glibc's NULL tree: matches the empty string.
    Empty,
    /// One byte from a set (literals, `.`, brackets, `\w`...), already case-folded.
    Set(ByteSet),
    Look(Look),
    /// Sub-expression `idx` (0-based).
    Group {
        idx: usize,
        body: Box<Node>,
    },
    Cat(Vec<Node>),
    /// Earlier branches preferred.
    Alt(Vec<Node>),
    /// glibc's expansion of `*`, `+`, `?`, `{m,n}`: `min` copies, then `x*` when `max` is
    /// None, else `max - min` nested optional copies (`x{0,3}` is `((x?x)?x)?`); the optional
    /// copies of a group are glibc's `opt_subexp`.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    BackRef(usize),
}

/// RE_DUP_MAX.
const DUP_MAX: i64 = 0x7fff;
/// A bound on the expanded tree (glibc would run out of memory later, we say so now).
const MAX_NODES: usize = 1 << 21;
/// Parentheses nest at most this deep (the parser recurses; glibc would too, without a bound).
const MAX_NEST: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tk {
    Char,
    Alt,
    Star,
    Plus,
    Question,
    OpenDup,
    CloseDup,
    Open,
    Close,
    Bracket,
    Period,
    Anchor(Look),
    /// `\b` and `\B`: glibc builds them as alternatives of two anchors.
    WordDelim(bool),
    BackRef(usize),
    Word(bool),
    Space(bool),
    Backslash,
    End,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    t: Tk,
    c: u8,
    len: usize,
}

pub(crate) struct Parsed {
    pub node: Node,
    pub nsub: usize,
    pub backrefs: bool,
}

struct Parser<'a> {
    /// The pattern as glibc's re_string sees it: upper-cased under RE_ICASE.
    p: Vec<u8>,
    /// The original bytes (`re_string_peek_byte_case`).
    orig: &'a [u8],
    i: usize,
    syn: u32,
    icase: bool,
    /// Syntax::FOLD_BOTH under ICASE.
    fold_both: bool,
    nsub: usize,
    completed: u32,
    backrefs: bool,
    /// glibc adds '\n' to non-matching lists under RE_HAT_LISTS_NOT_NEWLINE.
    nodes: usize,
}

pub(crate) fn parse(pat: &[u8], syn: Syntax) -> Result<Parsed, ErrorKind> {
    let icase = syn.0 & Syntax::ICASE != 0;
    let fold_both = icase && syn.0 & Syntax::FOLD_BOTH != 0;
    let p = if icase && !fold_both {
        pat.iter().map(|b| b.to_ascii_uppercase()).collect()
    } else {
        pat.to_vec()
    };
    let mut ps = Parser {
        p,
        orig: pat,
        i: 0,
        syn: syn.0,
        icase,
        fold_both,
        nsub: 0,
        completed: 0,
        backrefs: false,
        nodes: 0,
    };
    let mut tok = ps.fetch(ps.syn | Syntax::CARET_ANCHORS_HERE);
    let node = ps.reg_exp(&mut tok, 0)?;
    if tok.t != Tk::End {
        // Only an unmatched close paren can stop the top level.
        return Err(ErrorKind::ERParen);
    }
    Ok(Parsed {
        node,
        nsub: ps.nsub,
        backrefs: ps.backrefs,
    })
}

fn is(syn: u32, bit: u32) -> bool {
    syn & bit != 0
}

impl Parser<'_> {
    fn peek(&self, syn: u32) -> Token {
        self.peek_at(self.i, syn)
    }

    fn peek_at(&self, i: usize, syn: u32) -> Token {
        let p = &self.p;
        if i >= p.len() {
            return Token {
                t: Tk::End,
                c: 0,
                len: 0,
            };
        }
        let c = p[i];
        if c == b'\\' {
            if i + 1 >= p.len() {
                return Token {
                    t: Tk::Backslash,
                    c,
                    len: 1,
                };
            }
            let c2 = self.orig[i + 1];
            let gnu = !is(syn, Syntax::NO_GNU_OPS);
            let t = match c2 {
                b'|' if !is(syn, Syntax::LIMITED_OPS) && !is(syn, Syntax::NO_BK_VBAR) => Tk::Alt,
                b'1'..=b'9' if !is(syn, Syntax::NO_BK_REFS) => Tk::BackRef((c2 - b'1') as usize),
                b'<' if gnu => Tk::Anchor(Look::WordStart),
                b'>' if gnu => Tk::Anchor(Look::WordEnd),
                b'b' if gnu => Tk::WordDelim(true),
                b'B' if gnu => Tk::WordDelim(false),
                b'w' if gnu => Tk::Word(false),
                b'W' if gnu => Tk::Word(true),
                b's' if gnu => Tk::Space(false),
                b'S' if gnu => Tk::Space(true),
                b'`' if gnu => Tk::Anchor(Look::BufStart),
                b'\'' if gnu => Tk::Anchor(Look::BufEnd),
                b'(' if !is(syn, Syntax::NO_BK_PARENS) => Tk::Open,
                b')' if !is(syn, Syntax::NO_BK_PARENS) => Tk::Close,
                b'+' if !is(syn, Syntax::LIMITED_OPS) && is(syn, Syntax::BK_PLUS_QM) => Tk::Plus,
                b'?' if !is(syn, Syntax::LIMITED_OPS) && is(syn, Syntax::BK_PLUS_QM) => {
                    Tk::Question
                }
                b'{' if is(syn, Syntax::INTERVALS) && !is(syn, Syntax::NO_BK_BRACES) => Tk::OpenDup,
                b'}' if is(syn, Syntax::INTERVALS) && !is(syn, Syntax::NO_BK_BRACES) => {
                    Tk::CloseDup
                }
                _ => Tk::Char,
            };
            return Token { t, c: c2, len: 2 };
        }
        let t = match c {
            b'\n' if is(syn, Syntax::NEWLINE_ALT) => Tk::Alt,
            b'|' if !is(syn, Syntax::LIMITED_OPS) && is(syn, Syntax::NO_BK_VBAR) => Tk::Alt,
            b'*' => Tk::Star,
            b'+' if !is(syn, Syntax::LIMITED_OPS) && !is(syn, Syntax::BK_PLUS_QM) => Tk::Plus,
            b'?' if !is(syn, Syntax::LIMITED_OPS) && !is(syn, Syntax::BK_PLUS_QM) => Tk::Question,
            b'{' if is(syn, Syntax::INTERVALS) && is(syn, Syntax::NO_BK_BRACES) => Tk::OpenDup,
            b'}' if is(syn, Syntax::INTERVALS) && is(syn, Syntax::NO_BK_BRACES) => Tk::CloseDup,
            b'(' if is(syn, Syntax::NO_BK_PARENS) => Tk::Open,
            b')' if is(syn, Syntax::NO_BK_PARENS) => Tk::Close,
            b'[' => Tk::Bracket,
            b'.' => Tk::Period,
            b'^' => {
                let here = is(
                    syn,
                    Syntax::CONTEXT_INDEP_ANCHORS | Syntax::CARET_ANCHORS_HERE,
                ) || i == 0
                    || (is(syn, Syntax::NEWLINE_ALT) && p[i - 1] == b'\n');
                if here {
                    Tk::Anchor(Look::Bol)
                } else {
                    Tk::Char
                }
            }
            b'$' => {
                let here = is(syn, Syntax::CONTEXT_INDEP_ANCHORS) || i + 1 == p.len() || {
                    let n = self.peek_at(i + 1, syn);
                    n.t == Tk::Alt || n.t == Tk::Close
                };
                if here {
                    Tk::Anchor(Look::Eol)
                } else {
                    Tk::Char
                }
            }
            _ => Tk::Char,
        };
        Token { t, c, len: 1 }
    }

    fn fetch(&mut self, syn: u32) -> Token {
        let t = self.peek(syn);
        self.i += t.len;
        t
    }

    fn count(&mut self, n: usize) -> Result<(), ErrorKind> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            Err(ErrorKind::ESpace)
        } else {
            Ok(())
        }
    }

    fn reg_exp(&mut self, tok: &mut Token, nest: usize) -> Result<Node, ErrorKind> {
        let initial = self.completed;
        let mut tree = self.branch(tok, nest)?;
        while tok.t == Tk::Alt {
            *tok = self.fetch(self.syn | Syntax::CARET_ANCHORS_HERE);
            let branch =
                if tok.t != Tk::Alt && tok.t != Tk::End && (nest == 0 || tok.t != Tk::Close) {
                    let acc = self.completed;
                    self.completed = initial;
                    let b = self.branch(tok, nest)?;
                    self.completed |= acc;
                    b
                } else {
                    Node::Empty
                };
            self.count(1)?;
            match &mut tree {
                Node::Alt(v) => v.push(branch),
                _ => tree = Node::Alt(vec![tree, branch]),
            }
        }
        Ok(tree)
    }

    fn branch(&mut self, tok: &mut Token, nest: usize) -> Result<Node, ErrorKind> {
        let mut tree = self.expression(tok, nest)?;
        while tok.t != Tk::Alt && tok.t != Tk::End && (nest == 0 || tok.t != Tk::Close) {
            let e = self.expression(tok, nest)?;
            tree = match (tree, e) {
                (Node::Empty, e) => e,
                (t, Node::Empty) => t,
                (Node::Cat(mut v), e) => {
                    v.push(e);
                    Node::Cat(v)
                }
                (t, e) => Node::Cat(vec![t, e]),
            };
        }
        Ok(tree)
    }

    fn char_set(&self, c: u8) -> ByteSet {
        let mut s = ByteSet::default();
        s.insert(c);
        self.fold(s)
    }

    /// Under RE_ICASE glibc compares upper-cased input with the (upper-cased) pattern: a byte
    /// matches when its upper case is in the set.
    fn fold(&self, s: ByteSet) -> ByteSet {
        if !self.icase {
            return s;
        }
        let mut r = ByteSet::default();
        for b in 0..=255u8 {
            let c = if self.fold_both {
                s.contains(b.to_ascii_uppercase()) || s.contains(b.to_ascii_lowercase())
            } else {
                s.contains(b.to_ascii_uppercase())
            };
            if c {
                r.insert(b);
            }
        }
        r
    }

    fn expression(&mut self, tok: &mut Token, nest: usize) -> Result<Node, ErrorKind> {
        let syn = self.syn;
        let mut tree = match tok.t {
            Tk::Char => Node::Set(self.char_set(tok.c)),
            Tk::Open => self.sub_exp(tok, nest + 1)?,
            Tk::Bracket => Node::Set(self.bracket()?),
            Tk::BackRef(n) => {
                if self.completed & (1 << n) == 0 {
                    return Err(ErrorKind::ESubReg);
                }
                self.backrefs = true;
                Node::BackRef(n)
            }
            Tk::OpenDup | Tk::Star | Tk::Plus | Tk::Question | Tk::Close | Tk::CloseDup => {
                if tok.t == Tk::OpenDup && is(syn, Syntax::CONTEXT_INVALID_DUP) {
                    return Err(ErrorKind::BadRpt);
                }
                if matches!(tok.t, Tk::OpenDup | Tk::Star | Tk::Plus | Tk::Question) {
                    if is(syn, Syntax::CONTEXT_INVALID_OPS) && !is(syn, Syntax::CONTEXT_INVALID_DUP)
                    {
                        return Err(ErrorKind::BadRpt);
                    } else if is(syn, Syntax::CONTEXT_INDEP_OPS) {
                        *tok = self.fetch(syn);
                        return self.expression(tok, nest);
                    }
                }
                if tok.t == Tk::Close && !is(syn, Syntax::UNMATCHED_RIGHT_PAREN_ORD) {
                    return Err(ErrorKind::ERParen);
                }
                Node::Set(self.char_set(tok.c))
            }
            Tk::Anchor(l) => {
                let n = Node::Look(l);
                *tok = self.fetch(syn);
                return Ok(n);
            }
            Tk::WordDelim(b) => {
                let (x, y) = if b {
                    (Look::WordStart, Look::WordEnd)
                } else {
                    (Look::InsideWord, Look::InsideNotWord)
                };
                *tok = self.fetch(syn);
                return Ok(Node::Alt(vec![Node::Look(x), Node::Look(y)]));
            }
            Tk::Period => {
                let mut s = ByteSet::full();
                if !is(syn, Syntax::DOT_NEWLINE) {
                    s.remove(b'\n');
                }
                if is(syn, Syntax::DOT_NOT_NULL) {
                    s.remove(0);
                }
                Node::Set(s)
            }
            Tk::Word(neg) => {
                let mut s = ByteSet::class(b"alnum").unwrap();
                s.insert(b'_');
                Node::Set(self.class_op(s, neg))
            }
            Tk::Space(neg) => Node::Set(self.class_op(ByteSet::class(b"space").unwrap(), neg)),
            Tk::Alt | Tk::End => return Ok(Node::Empty),
            Tk::Backslash => return Err(ErrorKind::EEscape),
        };
        self.count(1)?;
        *tok = self.fetch(syn);
        while matches!(tok.t, Tk::Star | Tk::Plus | Tk::Question | Tk::OpenDup) {
            tree = self.dup_op(tree, tok)?;
            if is(syn, Syntax::CONTEXT_INVALID_DUP) && matches!(tok.t, Tk::Star | Tk::OpenDup) {
                return Err(ErrorKind::BadRpt);
            }
        }
        Ok(tree)
    }

    /// build_charclass_op: `\w \W \s \S`.
    fn class_op(&self, s: ByteSet, neg: bool) -> ByteSet {
        // glibc leaves RE_HAT_LISTS_NOT_NEWLINE out here: `\W` and `\S` match a newline.
        let s = if neg { s.not() } else { s };
        self.fold(s)
    }

    fn sub_exp(&mut self, tok: &mut Token, nest: usize) -> Result<Node, ErrorKind> {
        if nest > MAX_NEST {
            return Err(ErrorKind::ESpace);
        }
        let cur = self.nsub;
        self.nsub += 1;
        *tok = self.fetch(self.syn | Syntax::CARET_ANCHORS_HERE);
        let body = if tok.t == Tk::Close {
            Node::Empty
        } else {
            let t = self.reg_exp(tok, nest)?;
            if tok.t != Tk::Close {
                return Err(ErrorKind::EParen);
            }
            t
        };
        if cur < 9 {
            self.completed |= 1 << cur;
        }
        self.count(2)?;
        Ok(Node::Group {
            idx: cur,
            body: Box::new(body),
        })
    }

    /// fetch_number: -1 nothing, -2 invalid; stops at `}`/`\}` or a ','.
    fn number(&mut self, tok: &mut Token) -> i64 {
        let mut num: i64 = -1;
        loop {
            *tok = self.fetch(self.syn);
            let c = tok.c;
            if tok.t == Tk::End {
                return -2;
            }
            if tok.t == Tk::CloseDup || c == b',' {
                break;
            }
            num = if tok.t != Tk::Char || !c.is_ascii_digit() || num == -2 {
                -2
            } else if num == -1 {
                (c - b'0') as i64
            } else {
                (DUP_MAX + 1).min(num * 10 + (c - b'0') as i64)
            };
        }
        num
    }

    fn dup_op(&mut self, elem: Node, tok: &mut Token) -> Result<Node, ErrorKind> {
        let syn = self.syn;
        let start_i = self.i;
        let start_tok = *tok;
        let (start, end);
        if tok.t == Tk::OpenDup {
            let mut s = self.number(tok);
            let mut e = 0;
            if s == -1 {
                if tok.t == Tk::Char && tok.c == b',' {
                    s = 0;
                } else {
                    return Err(ErrorKind::BadBr);
                }
            }
            if s != -2 {
                e = if tok.t == Tk::CloseDup {
                    s
                } else if tok.t == Tk::Char && tok.c == b',' {
                    self.number(tok)
                } else {
                    -2
                };
            }
            if s == -2 || e == -2 {
                if !is(syn, Syntax::INVALID_INTERVAL_ORD) {
                    return Err(if tok.t == Tk::End {
                        ErrorKind::EBrace
                    } else {
                        ErrorKind::BadBr
                    });
                }
                // Roll back: the brace is an ordinary character.
                self.i = start_i;
                *tok = start_tok;
                tok.t = Tk::Char;
                return Ok(elem);
            }
            if (e != -1 && s > e) || tok.t != Tk::CloseDup {
                return Err(ErrorKind::BadBr);
            }
            if DUP_MAX < (if e == -1 { s } else { e }) {
                return Err(ErrorKind::ESize);
            }
            start = s;
            end = e;
        } else {
            start = if tok.t == Tk::Plus { 1 } else { 0 };
            end = if tok.t == Tk::Question { 1 } else { -1 };
        }
        *tok = self.fetch(syn);
        if let Node::Empty = elem {
            return Ok(Node::Empty);
        }
        if start == 0 && end == 0 {
            return Ok(Node::Empty);
        }
        if start == 1 && end == 1 {
            return Ok(elem);
        }
        let size = tree_size(&elem);
        let copies = if end == -1 { start + 1 } else { end } as usize;
        self.count(size.saturating_mul(copies))?;
        Ok(Node::Repeat {
            node: Box::new(elem),
            min: start as u32,
            max: if end == -1 { None } else { Some(end as u32) },
        })
    }

    fn peek_bracket(&self) -> (BTok, u8, usize) {
        let p = &self.p;
        let i = self.i;
        if i >= p.len() {
            return (BTok::End, 0, 0);
        }
        let c = p[i];
        if c == b'\\' && is(self.syn, Syntax::BACKSLASH_ESCAPE_IN_LISTS) && i + 1 < p.len() {
            return (BTok::Char, p[i + 1], 2);
        }
        if c == b'[' {
            let c2 = if i + 1 < p.len() { p[i + 1] } else { 0 };
            return match c2 {
                b'.' => (BTok::OpenColl, c2, 2),
                b'=' => (BTok::OpenEquiv, c2, 2),
                b':' if is(self.syn, Syntax::CHAR_CLASSES) => (BTok::OpenClass, c2, 2),
                _ => (BTok::Char, c, 1),
            };
        }
        match c {
            b'-' => (BTok::Range, c, 1),
            b']' => (BTok::Close, c, 1),
            b'^' => (BTok::NonMatch, c, 1),
            _ => (BTok::Char, c, 1),
        }
    }

    /// parse_bracket_symbol: the name inside `[:...:]`, `[=...=]`, `[. ... .]`.
    fn bracket_symbol(&mut self, t: BTok, delim: u8) -> Result<Elem, ErrorKind> {
        if self.i >= self.p.len() {
            return Err(ErrorKind::EBrack);
        }
        let mut name = Vec::new();
        loop {
            if name.len() >= 32 {
                return Err(ErrorKind::EBrack);
            }
            let ch = if t == BTok::OpenClass {
                self.orig[self.i]
            } else {
                self.p[self.i]
            };
            self.i += 1;
            if self.i >= self.p.len() {
                return Err(ErrorKind::EBrack);
            }
            if ch == delim && self.p[self.i] == b']' {
                break;
            }
            name.push(ch);
        }
        self.i += 1;
        Ok(match t {
            BTok::OpenColl => Elem::Coll(name),
            BTok::OpenEquiv => Elem::Equiv(name),
            _ => Elem::Class(name),
        })
    }

    fn bracket_element(
        &mut self,
        t: BTok,
        c: u8,
        len: usize,
        accept_hyphen: bool,
    ) -> Result<Elem, ErrorKind> {
        self.i += len;
        if matches!(t, BTok::OpenColl | BTok::OpenClass | BTok::OpenEquiv) {
            return self.bracket_symbol(t, c);
        }
        if t == BTok::Range && !accept_hyphen {
            let (t2, _, _) = self.peek_bracket();
            if t2 != BTok::Close {
                return Err(ErrorKind::ERange);
            }
        }
        Ok(Elem::Char(c))
    }

    fn bracket(&mut self) -> Result<ByteSet, ErrorKind> {
        let mut set = ByteSet::default();
        let mut non_match = false;
        let (mut t, mut c, mut len) = self.peek_bracket();
        if t == BTok::End {
            return Err(ErrorKind::BadPat);
        }
        if t == BTok::NonMatch {
            non_match = true;
            if is(self.syn, Syntax::HAT_LISTS_NOT_NEWLINE) {
                set.insert(b'\n');
            }
            self.i += len;
            (t, c, len) = self.peek_bracket();
            if t == BTok::End {
                return Err(ErrorKind::BadPat);
            }
        }
        if t == BTok::Close {
            t = BTok::Char;
        }
        let mut first = true;
        loop {
            let start = self.bracket_element(t, c, len, first)?;
            first = false;
            (t, c, len) = self.peek_bracket();
            let mut range_end = None;
            if !matches!(start, Elem::Class(_) | Elem::Equiv(_)) {
                if t == BTok::End {
                    return Err(ErrorKind::EBrack);
                }
                if t == BTok::Range {
                    self.i += len;
                    let (t2, c2, len2) = self.peek_bracket();
                    if t2 == BTok::End {
                        return Err(ErrorKind::EBrack);
                    }
                    if t2 == BTok::Close {
                        // A last '-' is an ordinary character.
                        self.i -= len;
                        t = BTok::Char;
                    } else {
                        range_end = Some(self.bracket_element(t2, c2, len2, true)?);
                        (t, c, len) = self.peek_bracket();
                    }
                }
            }
            match range_end {
                Some(end) => self.range(&mut set, &start, &end)?,
                None => match start {
                    Elem::Char(ch) => set.insert(ch),
                    Elem::Equiv(n) | Elem::Coll(n) => {
                        if n.len() != 1 {
                            return Err(ErrorKind::ECollate);
                        }
                        set.insert(n[0]);
                    }
                    Elem::Class(n) => {
                        let name: &[u8] = if self.icase && (n == b"upper" || n == b"lower") {
                            b"alpha"
                        } else {
                            &n
                        };
                        match ByteSet::class(name) {
                            Some(s) => set = set.or(&s),
                            None => return Err(ErrorKind::ECType),
                        }
                    }
                },
            }
            if t == BTok::End {
                return Err(ErrorKind::EBrack);
            }
            if t == BTok::Close {
                break;
            }
        }
        self.i += len;
        if non_match {
            if self.fold_both {
                set = self.fold(set);
            }
            set = set.not();
        }
        Ok(self.fold(set))
    }

    fn range(&self, set: &mut ByteSet, a: &Elem, b: &Elem) -> Result<(), ErrorKind> {
        let ch = |e: &Elem| -> Result<u8, ErrorKind> {
            match e {
                Elem::Class(_) | Elem::Equiv(_) => Err(ErrorKind::ERange),
                Elem::Coll(n) if n.len() != 1 => Err(ErrorKind::ECollate),
                Elem::Coll(n) => Ok(n[0]),
                Elem::Char(c) => Ok(*c),
            }
        };
        let (x, y) = (ch(a)?, ch(b)?);
        // glibc judges the upper-cased range; dfa's runs between the bytes as written
        let up = |c: u8| {
            if self.fold_both {
                c.to_ascii_uppercase()
            } else {
                c
            }
        };
        if up(x) > up(y) {
            if is(self.syn, Syntax::NO_EMPTY_RANGES) {
                return Err(ErrorKind::ERange);
            }
            return Ok(());
        }
        for v in x..=y {
            set.insert(v);
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BTok {
    Char,
    Range,
    Close,
    NonMatch,
    OpenColl,
    OpenEquiv,
    OpenClass,
    End,
}

enum Elem {
    Char(u8),
    Coll(Vec<u8>),
    Equiv(Vec<u8>),
    Class(Vec<u8>),
}

fn tree_size(n: &Node) -> usize {
    match n {
        Node::Empty | Node::Set(_) | Node::Look(_) | Node::BackRef(_) => 1,
        Node::Group { body, .. } => 2 + tree_size(body),
        Node::Cat(v) | Node::Alt(v) => 1 + v.iter().map(tree_size).sum::<usize>(),
        Node::Repeat { node, min, max } => {
            1 + tree_size(node).saturating_mul(max.unwrap_or(*min + 1).max(1) as usize)
        }
    }
}
