//! Lexer and recursive-descent parser for the POSIX Shell Command Language (XCU 2.3, 2.9, 2.10).
//!
//! Shell tokens depend on context (reserved words only in command position, `)` ending a case
//! pattern, here-document bodies after the next newline), so lexing is done on demand by the
//! parser over an [`Input`] that refills lazily. Commands are parsed one complete command at a
//! time, as dash does, so a syntax error late in a script is reported after earlier commands ran.
//! Messages follow dash: `Syntax error: "fi" unexpected`, `end of file unexpected (expecting
//! "then")`, `unterminated quoted string`, `missing '}'`, `Bad substitution`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::ast::*;
use super::input::Input;

/// Deepest nesting of compound commands and substitutions accepted (keeps the stack bounded).
pub const MAX_DEPTH: usize = 400;

#[derive(Debug)]
pub struct ParseError {
    pub msg: Vec<u8>,
    pub line: usize,
}

type PResult<T> = Result<T, ParseError>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    AndIf,
    OrIf,
    DSemi,
    SemiAnd,
    Amp,
    Semi,
    Pipe,
    LParen,
    RParen,
    Less,
    Great,
    DGreat,
    Clobber,
    LessAnd,
    GreatAnd,
    LessGreat,
    DLess,
    DLessDash,
    /// `<<<` here-string (bash, BusyBox ash).
    TLess,
    /// `&>` and `&>>`: stdout and stderr to one file (bash, BusyBox ash).
    AndGreat,
    AndDGreat,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::DSemi => ";;",
            Op::SemiAnd => ";&",
            Op::Amp => "&",
            Op::Semi => ";",
            Op::Pipe => "|",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DGreat => ">>",
            Op::Clobber => ">|",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::TLess => "<<<",
            Op::AndGreat => "&>",
            Op::AndDGreat => "&>>",
        }
    }
    fn is_redir(self) -> bool {
        matches!(
            self,
            Op::Less
                | Op::Great
                | Op::DGreat
                | Op::Clobber
                | Op::LessAnd
                | Op::GreatAnd
                | Op::LessGreat
                | Op::DLess
                | Op::DLessDash
                | Op::TLess
                | Op::AndGreat
                | Op::AndDGreat
        )
    }
}

pub enum Tok {
    Word(Word),
    IoNum(i32),
    Op(Op),
    Newline,
    Eof,
}

struct PendingHere {
    delim: Vec<u8>,
    strip: bool,
    doc: Rc<HereDoc>,
}

pub struct Parser<'a> {
    pub inp: &'a mut Input,
    peeked: Option<Tok>,
    pending: Vec<PendingHere>,
    aliases: Option<&'a HashMap<Vec<u8>, Vec<u8>>>,
    depth: usize,
    /// A byte that also ends the next `parts` call in a `${...}` word (`/` after the pattern
    /// of `${x/p/r}`, `:` after the offset of `${x:o:l}`); nested words do not inherit it.
    stop: Option<u8>,
    /// A token of `[[ ]]` read ahead.
    cond_back: Option<CTok>,
    /// Lexing the regex after `=~`: only blanks end the word.
    regex_word: bool,
    /// The parser is looking for a reserved word: one that follows an alias ending in a blank
    /// stays a reserved word rather than an alias candidate (dash's CHKKWD before CHKALIAS).
    kw: bool,
    /// Where the last token that `lex` returned starts in the input buffer.
    tok_start: usize,
    /// The line the shell is running when this text is parsed: BusyBox ash numbers the lines
    /// of a backquote substitution from it (its `setinputstring` takes the running `lineno`),
    /// not from where the backquote stands.
    pub run_line: Option<usize>,
}

/// Tokens inside `[[ ]]`.
enum CTok {
    Word(Word),
    And,
    Or,
    Open,
    Close,
    End,
}

impl CTok {
    fn clone_tok(&self) -> CTok {
        match self {
            CTok::Word(w) => CTok::Word(w.iter().map(clone_part).collect()),
            CTok::And => CTok::And,
            CTok::Or => CTok::Or,
            CTok::Open => CTok::Open,
            CTok::Close => CTok::Close,
            CTok::End => CTok::End,
        }
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}
pub fn is_name(s: &[u8]) -> bool {
    !s.is_empty() && is_name_start(s[0]) && s.iter().all(|&c| is_name_char(c))
}

/// The literal text of a word written without any quoting or expansion.
pub fn plain(w: &Word) -> Option<&[u8]> {
    match w.as_slice() {
        [WordPart::Lit(s)] => Some(s),
        _ => None,
    }
}

const RESERVED: &[&[u8]] = &[
    b"if", b"then", b"else", b"elif", b"fi", b"do", b"done", b"case", b"esac", b"while", b"until",
    b"for", b"{", b"}", b"!", b"in",
];

fn push_lit(parts: &mut Vec<WordPart>, c: u8) {
    if let Some(WordPart::Lit(v)) = parts.last_mut() {
        v.push(c);
    } else {
        parts.push(WordPart::Lit(vec![c]));
    }
}
fn push_quoted(parts: &mut Vec<WordPart>, c: &[u8]) {
    if let Some(WordPart::Quoted(v)) = parts.last_mut() {
        v.extend_from_slice(c);
    } else {
        parts.push(WordPart::Quoted(c.to_vec()));
    }
}

/// Where a run of word text ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// An ordinary unquoted word.
    Word,
    /// Inside `"..."`.
    Dq,
    /// A here-document body (like `"..."` but `"` is ordinary and only the end stops it).
    Here,
    /// The word in `${name<op>word}`; the flag says whether the `${` was inside double quotes.
    Brace(bool),
    /// Inside `$((...))`.
    Arith,
}

impl<'a> Parser<'a> {
    pub fn new(inp: &'a mut Input, aliases: Option<&'a HashMap<Vec<u8>, Vec<u8>>>) -> Self {
        Parser {
            inp,
            peeked: None,
            pending: Vec::new(),
            aliases,
            depth: 0,
            stop: None,
            cond_back: None,
            regex_word: false,
            kw: false,
            tok_start: 0,
            run_line: None,
        }
    }

    fn err<T>(&self, msg: impl Into<Vec<u8>>) -> PResult<T> {
        Err(ParseError {
            msg: msg.into(),
            line: self.inp.line,
        })
    }

    fn syntax<T>(&self, what: &str) -> PResult<T> {
        match self.syntax_error(what)? {}
    }

    /// The body of [`Parser::syntax`], not generic: one copy for all its callers.
    fn syntax_error(&self, what: &str) -> PResult<std::convert::Infallible> {
        self.err(format!("syntax error: {what}"))
    }

    fn unexpected<T>(&mut self, expecting: Option<&str>) -> PResult<T> {
        match self.unexpected_error(expecting)? {}
    }

    /// The body of [`Parser::unexpected`], not generic: one copy for all its callers.
    fn unexpected_error(&mut self, expecting: Option<&str>) -> PResult<std::convert::Infallible> {
        let what = match self.peek()? {
            Tok::Eof => "end of file".to_string(),
            Tok::Newline => "newline".to_string(),
            Tok::Op(o) if o.is_redir() => "redirection".to_string(),
            Tok::Op(o) => format!("\"{}\"", o.text()),
            Tok::IoNum(_) => "redirection".to_string(),
            Tok::Word(w) => match plain(w) {
                Some(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
                None => "word".to_string(),
            },
        };
        match expecting {
            Some(e) => self.syntax(&format!("unexpected {what} (expecting \"{e}\")")),
            None => self.syntax(&format!("unexpected {what}")),
        }
    }

    // ---------------------------------------------------------------- lexing

    fn peek(&mut self) -> PResult<&Tok> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        Ok(self.peeked.as_ref().unwrap())
    }

    fn next(&mut self) -> PResult<Tok> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn peek_op(&mut self) -> PResult<Option<Op>> {
        Ok(match self.peek()? {
            Tok::Op(o) => Some(*o),
            _ => None,
        })
    }

    /// Is the next token the unquoted word `kw`?
    fn peek_kw(&mut self, kw: &[u8]) -> PResult<bool> {
        let old = std::mem::replace(&mut self.kw, true);
        let t = self.peek().map(|_| ());
        self.kw = old;
        t?;
        Ok(match self.peek()? {
            Tok::Word(w) => plain(w) == Some(kw),
            _ => false,
        })
    }

    fn expect_kw(&mut self, kw: &str) -> PResult<()> {
        if self.peek_kw(kw.as_bytes())? {
            self.next()?;
            Ok(())
        } else {
            self.unexpected(Some(kw))
        }
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.inp.peek() {
                Some(b' ') | Some(b'\t') => {
                    self.inp.bump();
                }
                Some(b'\\') if self.inp.peek_at(1) == Some(b'\n') => {
                    self.inp.bump();
                    self.inp.bump();
                }
                _ => return,
            }
        }
    }

    /// The next token. A plain word right after an alias whose text ends in a blank is an
    /// alias candidate too, wherever it stands (XCU 2.3.1: `e x` with `alias e='echo '`, a
    /// `for` name, a case pattern, a here-document delimiter), as in dash; the first word of
    /// the text put in its place is looked at in turn.
    fn lex(&mut self) -> PResult<Tok> {
        let before = self.inp.pos;
        loop {
            self.skip_blanks();
            let start = self.inp.pos;
            let t = self.lex_raw()?;
            // Set after the word: a `$(...)` in it lexes tokens of its own.
            self.tok_start = start;
            let Some(aliases) = self.aliases else {
                return Ok(t);
            };
            let eligible = self
                .inp
                .alias_blank_end
                .is_some_and(|e| e >= before && e <= start);
            if !eligible || aliases.is_empty() {
                return Ok(t);
            }
            let name = match &t {
                Tok::Word(w) => match plain(w) {
                    Some(n) if !(self.kw && RESERVED.contains(&n)) => n,
                    _ => return Ok(t),
                },
                _ => return Ok(t),
            };
            match aliases.get(name) {
                Some(text) if !self.inp.in_alias(name) => {
                    let name = name.to_vec();
                    self.inp.push_alias(&name, text);
                }
                _ => return Ok(t),
            }
        }
    }

    fn lex_raw(&mut self) -> PResult<Tok> {
        self.skip_blanks();
        let Some(c) = self.inp.peek() else {
            return Ok(Tok::Eof);
        };
        if c == b'#' {
            while let Some(c) = self.inp.peek() {
                if c == b'\n' {
                    break;
                }
                self.inp.bump();
            }
            return self.lex_raw();
        }
        if c == b'\n' {
            self.inp.bump();
            if !self.pending.is_empty() {
                self.read_heredocs()?;
            }
            return Ok(Tok::Newline);
        }
        if matches!(c, b'<' | b'>') && self.inp.peek_at(1) == Some(b'(') {
            // `<(cmd)`, `>(cmd)`: a word (process substitution).
            return Ok(Tok::Word(self.word()?));
        }
        if matches!(c, b'&' | b'|' | b';' | b'<' | b'>') {
            self.inp.join_continuations(1);
            if matches!(self.inp.peek_at(1), Some(b'<' | b'>' | b'&')) {
                self.inp.join_continuations(2);
            }
        }
        let op2 = |s: &mut Self, a: u8| s.inp.peek_at(1) == Some(a);
        let (op, n) = match c {
            b'&' if op2(self, b'&') => (Op::AndIf, 2),
            b'&' if op2(self, b'>') => {
                if self.inp.peek_at(2) == Some(b'>') {
                    (Op::AndDGreat, 3)
                } else {
                    (Op::AndGreat, 2)
                }
            }
            b'&' => (Op::Amp, 1),
            b'|' if op2(self, b'|') => (Op::OrIf, 2),
            b'|' => (Op::Pipe, 1),
            b';' if op2(self, b';') => (Op::DSemi, 2),
            b';' if op2(self, b'&') => (Op::SemiAnd, 2),
            b';' => (Op::Semi, 1),
            b'(' => (Op::LParen, 1),
            b')' => (Op::RParen, 1),
            b'<' if op2(self, b'<') => {
                if self.inp.peek_at(2) == Some(b'<') {
                    (Op::TLess, 3)
                } else if self.inp.peek_at(2) == Some(b'-') {
                    (Op::DLessDash, 3)
                } else {
                    (Op::DLess, 2)
                }
            }
            b'<' if op2(self, b'&') => (Op::LessAnd, 2),
            b'<' if op2(self, b'>') => (Op::LessGreat, 2),
            b'<' => (Op::Less, 1),
            b'>' if op2(self, b'>') => (Op::DGreat, 2),
            b'>' if op2(self, b'&') => (Op::GreatAnd, 2),
            b'>' if op2(self, b'|') => (Op::Clobber, 2),
            b'>' => (Op::Great, 1),
            _ => {
                let w = self.word()?;
                if let Some(s) = plain(&w) {
                    if s.len() <= 4
                        && s.iter().all(u8::is_ascii_digit)
                        && matches!(self.inp.peek(), Some(b'<') | Some(b'>'))
                    {
                        let n = s.iter().fold(0i32, |a, &d| a * 10 + (d - b'0') as i32);
                        return Ok(Tok::IoNum(n));
                    }
                }
                return Ok(Tok::Word(w));
            }
        };
        for _ in 0..n {
            self.inp.bump();
        }
        Ok(Tok::Op(op))
    }

    fn word(&mut self) -> PResult<Word> {
        let mut parts = Vec::new();
        self.tilde_prefix(&mut parts, false);
        self.parts(&mut parts, Ctx::Word)?;
        Ok(parts)
    }

    /// A leading `~` or `~user` (ended by `/`, or the end of the word).
    fn tilde_prefix(&mut self, parts: &mut Vec<WordPart>, in_brace: bool) {
        if self.inp.peek() == Some(b'~') {
            self.inp.bump();
            let mut user = Vec::new();
            loop {
                match self.inp.peek() {
                    Some(c) if c == b'_' || c == b'-' || c == b'.' || c.is_ascii_alphanumeric() => {
                        user.push(c);
                        self.inp.bump();
                    }
                    _ => break,
                }
            }
            match self.inp.peek() {
                None | Some(b'/') | Some(b' ') | Some(b'\t') | Some(b'\n') | Some(b';')
                | Some(b'&') | Some(b'|') | Some(b')') | Some(b'<') | Some(b'>') | Some(b':') => {
                    parts.push(WordPart::Tilde(user))
                }
                Some(b'}') if in_brace => parts.push(WordPart::Tilde(user)),
                _ => {
                    parts.push(WordPart::Lit(b"~".to_vec()));
                    if !user.is_empty() {
                        parts.push(WordPart::Lit(user));
                    }
                }
            }
        }
    }

    /// Read word text in context `ctx` into `parts` until the context's end (not consumed).
    fn parts(&mut self, parts: &mut Vec<WordPart>, ctx: Ctx) -> PResult<()> {
        let mut paren = 0usize;
        let stop = self.stop.take();
        loop {
            let Some(c) = self.inp.peek() else {
                return match ctx {
                    Ctx::Word | Ctx::Here => Ok(()),
                    Ctx::Dq => self.syntax("unterminated quoted string"),
                    Ctx::Brace(_) => self.syntax("missing '}'"),
                    Ctx::Arith => self.syntax("missing '))'"),
                };
            };
            match ctx {
                Ctx::Word => {
                    if self.regex_word {
                        if matches!(c, b' ' | b'\t' | b'\n') {
                            return Ok(());
                        }
                    } else if matches!(c, b'<' | b'>') && self.inp.peek_at(1) == Some(b'(') {
                        self.inp.bump();
                        self.inp.bump();
                        self.enter()?;
                        let body = self.paren_body()?;
                        self.depth -= 1;
                        parts.push(WordPart::Proc(Rc::new(body), c == b'>'));
                        continue;
                    } else if matches!(
                        c,
                        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
                    ) {
                        return Ok(());
                    }
                }
                Ctx::Dq => {
                    if c == b'"' {
                        return Ok(());
                    }
                }
                Ctx::Brace(_) => {
                    if c == b'}' || Some(c) == stop {
                        return Ok(());
                    }
                }
                Ctx::Arith => {
                    if c == b'(' {
                        paren += 1;
                    } else if c == b')' {
                        if paren == 0 {
                            return Ok(());
                        }
                        paren -= 1;
                    }
                }
                Ctx::Here => {}
            }
            let quoted = !matches!(ctx, Ctx::Word | Ctx::Brace(false));
            match c {
                b'\\' => {
                    self.inp.bump();
                    match self.inp.peek() {
                        None => {
                            if quoted {
                                push_quoted(parts, b"\\")
                            } else {
                                push_lit(parts, b'\\')
                            }
                        }
                        Some(b'\n') => {
                            self.inp.bump();
                        }
                        Some(d) => {
                            let special = match ctx {
                                Ctx::Word | Ctx::Brace(false) => true,
                                Ctx::Dq | Ctx::Arith => matches!(d, b'$' | b'`' | b'"' | b'\\'),
                                Ctx::Here => matches!(d, b'$' | b'`' | b'\\'),
                                Ctx::Brace(true) => matches!(d, b'$' | b'`' | b'"' | b'\\' | b'}'),
                            };
                            self.inp.bump();
                            if special {
                                push_quoted(parts, &[d]);
                            } else {
                                push_quoted(parts, &[b'\\', d]);
                            }
                        }
                    }
                }
                b'\'' if matches!(ctx, Ctx::Word | Ctx::Brace(false)) => {
                    self.inp.bump();
                    let mut s = Vec::new();
                    loop {
                        match self.inp.bump() {
                            None => return self.syntax("unterminated quoted string"),
                            Some(b'\'') => break,
                            Some(c) => s.push(c),
                        }
                    }
                    parts.push(WordPart::Quoted(s));
                }
                b'"' if matches!(ctx, Ctx::Word | Ctx::Brace(_) | Ctx::Arith) => {
                    self.inp.bump();
                    let mut inner = Vec::new();
                    self.parts(&mut inner, Ctx::Dq)?;
                    self.inp.bump();
                    if ctx == Ctx::Word || ctx == Ctx::Brace(false) {
                        parts.push(WordPart::Dq(inner));
                    } else {
                        parts.extend(inner);
                    }
                }
                b'$' => {
                    self.inp.bump();
                    self.dollar(parts, ctx)?;
                }
                b'`' => {
                    self.inp.bump();
                    let node = self.backquote(ctx)?;
                    parts.push(WordPart::Cmd(Rc::new(node)));
                }
                _ => {
                    self.inp.bump();
                    if quoted {
                        push_quoted(parts, &[c]);
                    } else {
                        push_lit(parts, c);
                    }
                }
            }
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("syntax error: nesting too deep");
        }
        Ok(())
    }

    fn dollar(&mut self, parts: &mut Vec<WordPart>, ctx: Ctx) -> PResult<()> {
        let quoted_ctx = !matches!(ctx, Ctx::Word | Ctx::Brace(false));
        self.inp.join_continuations(0);
        match self.inp.peek() {
            Some(b'{') => {
                self.inp.bump();
                self.inp.join_continuations(0);
                self.enter()?;
                let p = self.brace(ctx)?;
                self.depth -= 1;
                parts.push(WordPart::Param(Box::new(p)));
            }
            Some(b'(') => {
                self.inp.bump();
                self.enter()?;
                self.inp.join_continuations(0);
                if self.inp.peek() == Some(b'(') {
                    self.inp.bump();
                    let mut w = Vec::new();
                    self.parts(&mut w, Ctx::Arith)?;
                    self.inp.bump();
                    self.inp.join_continuations(0);
                    if self.inp.peek() != Some(b')') {
                        return self.syntax("missing '))'");
                    }
                    self.inp.bump();
                    parts.push(WordPart::Arith(Box::new(ArithWord {
                        word: w,
                        cache: RefCell::new(None),
                    })));
                } else {
                    let body = self.paren_body()?;
                    parts.push(WordPart::Cmd(Rc::new(body)));
                }
                self.depth -= 1;
            }
            Some(b'\'') if !quoted_ctx => {
                self.inp.bump();
                let s = self.dollar_single()?;
                parts.push(WordPart::Quoted(s));
            }
            Some(c) if is_name_start(c) => {
                let mut name = Vec::new();
                while let Some(c) = self.inp.peek() {
                    if !is_name_char(c) {
                        break;
                    }
                    name.push(c);
                    self.inp.bump();
                    self.inp.join_continuations(0);
                }
                parts.push(param(PName::Var(name)));
            }
            Some(c) if c.is_ascii_digit() => {
                self.inp.bump();
                parts.push(param(PName::Pos((c - b'0') as usize)));
            }
            Some(c) if special_name(c).is_some() => {
                self.inp.bump();
                parts.push(param(special_name(c).unwrap()));
            }
            _ => {
                if quoted_ctx {
                    push_quoted(parts, b"$")
                } else {
                    push_lit(parts, b'$')
                }
            }
        }
        Ok(())
    }

    /// The commands of `$(...)` or `<(...)` after the `(`, through the `)`.
    fn paren_body(&mut self) -> PResult<Node> {
        let saved = self.peeked.take();
        // Here-documents begun before `$(` have their bodies after the line that holds the
        // `)`; a newline inside reads only those begun inside (XCU 2.7.4; dash, bash).
        let outer = std::mem::take(&mut self.pending);
        let r = self.paren_body_inner();
        let inner = std::mem::replace(&mut self.pending, outer);
        self.pending.extend(inner);
        let body = r?;
        self.peeked = saved;
        Ok(body)
    }

    fn paren_body_inner(&mut self) -> PResult<Node> {
        // An alias standing first may close the substitution (`alias e=')'; "$(e x)"` is
        // `$()` then ` x)`, as dash, bash and BusyBox ash read it).
        self.linebreak_cmd()?;
        let body = if matches!(self.peek()?, Tok::Op(Op::RParen)) {
            Node::Seq(Vec::new())
        } else {
            self.compound_list(")")?
        };
        match self.next()? {
            Tok::Op(Op::RParen) => {}
            t => {
                self.peeked = Some(t);
                return self.unexpected(Some(")"));
            }
        }
        Ok(body)
    }

    fn dollar_single(&mut self) -> PResult<Vec<u8>> {
        let mut s = Vec::new();
        loop {
            let Some(c) = self.inp.bump() else {
                return self.syntax("unterminated quoted string");
            };
            match c {
                b'\'' => {
                    // A NUL cannot be part of an argument: `$'a\0b'` is `ab` (BusyBox ash).
                    s.retain(|&c| c != 0);
                    return Ok(s);
                }
                b'\\' => {
                    let Some(d) = self.inp.bump() else {
                        return self.syntax("unterminated quoted string");
                    };
                    match d {
                        b'a' => s.push(7),
                        b'b' => s.push(8),
                        b'e' | b'E' => s.push(27),
                        b'f' => s.push(12),
                        b'n' => s.push(b'\n'),
                        b'r' => s.push(b'\r'),
                        b't' => s.push(b'\t'),
                        b'v' => s.push(11),
                        b'\\' | b'\'' | b'"' | b'?' => s.push(d),
                        // `\cX` is control-X; `\c?` is DEL and `\c\\` control-backslash (POSIX
                        // 2024, bash).
                        b'c' => match self.inp.bump() {
                            Some(b'?') => s.push(0x7f),
                            Some(b'\\') => {
                                if self.inp.peek() == Some(b'\\') {
                                    self.inp.bump();
                                }
                                s.push(0x1c);
                            }
                            Some(e) => s.push(e & 0x1f),
                            None => {}
                        },
                        b'x' => {
                            let mut v = 0u32;
                            let mut n = 0;
                            while n < 2 {
                                match self.inp.peek().and_then(|c| (c as char).to_digit(16)) {
                                    Some(h) => {
                                        v = v * 16 + h;
                                        self.inp.bump();
                                        n += 1;
                                    }
                                    None => break,
                                }
                            }
                            if n == 0 {
                                s.extend_from_slice(b"\\x");
                            } else {
                                s.push(v as u8);
                            }
                        }
                        b'0'..=b'7' => {
                            let mut v = (d - b'0') as u32;
                            for _ in 0..2 {
                                match self.inp.peek() {
                                    Some(o @ b'0'..=b'7') => {
                                        v = v * 8 + (o - b'0') as u32;
                                        self.inp.bump();
                                    }
                                    _ => break,
                                }
                            }
                            s.push(v as u8);
                        }
                        _ => {
                            s.push(b'\\');
                            s.push(d);
                        }
                    }
                }
                _ => s.push(c),
            }
        }
    }

    fn brace(&mut self, ctx: Ctx) -> PResult<Param> {
        let in_dq = !matches!(ctx, Ctx::Word | Ctx::Brace(false));
        let mut len = false;
        if self.inp.peek() == Some(b'#') {
            self.inp.join_continuations(1);
            // `${#}` is $#, `${#name}` the length of name.
            match self.inp.peek_at(1) {
                Some(b'}') => {}
                // `${##1}`, `${#%1}`, `${#-x}`: `$#` with an operator, not a length (the
                // characters that are both names and operators are names only before `}`).
                Some(b'#' | b'-' | b'?') if self.inp.peek_at(2) != Some(b'}') => {}
                // `${#=}` is a bad substitution (BusyBox ash); `${#=x}`: `$#` with the
                // operator, and `$#` is never unset or empty, so nothing is assigned (dash,
                // bash).
                Some(b'=') if self.inp.peek_at(2) == Some(b'}') => return self.bad_subst(),
                Some(b'=') => {}
                Some(c) if is_name_char(c) || special_name(c).is_some() => {
                    self.inp.bump();
                    len = true;
                }
                _ => {}
            }
        }
        let name = match self.inp.peek() {
            Some(c) if is_name_start(c) => {
                let mut n = Vec::new();
                while let Some(c) = self.inp.peek() {
                    if !is_name_char(c) {
                        break;
                    }
                    n.push(c);
                    self.inp.bump();
                    self.inp.join_continuations(0);
                }
                PName::Var(n)
            }
            Some(c) if c.is_ascii_digit() => {
                let mut v = 0usize;
                while let Some(c) = self.inp.peek() {
                    if !c.is_ascii_digit() {
                        break;
                    }
                    v = v.saturating_mul(10).saturating_add((c - b'0') as usize);
                    self.inp.bump();
                    self.inp.join_continuations(0);
                }
                PName::Pos(v)
            }
            Some(c) if special_name(c).is_some() => {
                self.inp.bump();
                self.inp.join_continuations(0);
                special_name(c).unwrap()
            }
            _ => return self.bad_subst(),
        };
        if len {
            if self.inp.peek() != Some(b'}') {
                return self.bad_subst();
            }
            self.inp.bump();
            return Ok(Param {
                name,
                op: POp::Len,
                word: Vec::new(),
                word2: None,
            });
        }
        let c = self.inp.peek();
        let op = match c {
            Some(b'}') => {
                self.inp.bump();
                return Ok(Param {
                    name,
                    op: POp::Plain,
                    word: Vec::new(),
                    word2: None,
                });
            }
            Some(b':') => {
                self.inp.bump();
                self.inp.join_continuations(0);
                let op = match self.inp.peek() {
                    Some(b'-') => POp::Default(true),
                    Some(b'=') => POp::Assign(true),
                    Some(b'?') => POp::Error(true),
                    Some(b'+') => POp::Alt(true),
                    _ => {
                        // `${x:off}`, `${x:off:len}`: arithmetic words.
                        let mut off = Vec::new();
                        self.stop = Some(b':');
                        self.parts(&mut off, Ctx::Brace(in_dq))?;
                        if off.is_empty() && self.inp.peek() == Some(b'}') {
                            // `${x:}` has no offset (bash: bad substitution; BusyBox ash and
                            // dash: missing '}').
                            return self.syntax("missing '}'");
                        }
                        let mut len = None;
                        if self.inp.peek() == Some(b':') {
                            self.inp.bump();
                            let mut w = Vec::new();
                            self.parts(&mut w, Ctx::Brace(in_dq))?;
                            len = Some(w);
                        }
                        self.inp.bump();
                        return Ok(Param {
                            name,
                            op: POp::Substr,
                            word: off,
                            word2: len,
                        });
                    }
                };
                self.inp.bump();
                op
            }
            Some(b'-') => POp::Default(false),
            Some(b'=') => POp::Assign(false),
            Some(b'?') => POp::Error(false),
            Some(b'+') => POp::Alt(false),
            Some(b'%') | Some(b'#') => {
                self.inp.bump();
                self.inp.join_continuations(0);
                let long = self.inp.peek() == c;
                if long {
                    self.inp.bump();
                }
                let op = if c == Some(b'%') {
                    POp::RemSuffix(long)
                } else {
                    POp::RemPrefix(long)
                };
                let mut w = Vec::new();
                // Patterns keep their own quoting even inside double quotes.
                self.tilde_prefix(&mut w, true);
                self.parts(&mut w, Ctx::Brace(false))?;
                self.inp.bump();
                return Ok(Param {
                    name,
                    op,
                    word: w,
                    word2: None,
                });
            }
            Some(b'/') => {
                self.inp.bump();
                let kind = match self.inp.peek() {
                    Some(b'/') => Repl::All,
                    Some(b'#') => Repl::Prefix,
                    Some(b'%') => Repl::Suffix,
                    _ => Repl::First,
                };
                if kind != Repl::First {
                    self.inp.bump();
                }
                let mut pat = Vec::new();
                if kind == Repl::All && self.inp.peek() == Some(b'/') {
                    // The pattern's first character is never the separator: `${v////-}`
                    // replaces every `/` (bash, BusyBox ash).
                    self.inp.bump();
                    pat.push(WordPart::Lit(b"/".to_vec()));
                }
                self.stop = Some(b'/');
                self.parts(&mut pat, Ctx::Brace(false))?;
                let mut rep = None;
                if self.inp.peek() == Some(b'/') {
                    self.inp.bump();
                    // The replacement is parsed as outside double quotes even inside them:
                    // quotes in it are removed, `\/` and `\\` are a slash and a backslash (bash,
                    // BusyBox ash); it is never split or globbed.
                    let mut w = Vec::new();
                    self.parts(&mut w, Ctx::Brace(false))?;
                    rep = Some(w);
                }
                self.inp.bump();
                return Ok(Param {
                    name,
                    op: POp::Replace(kind),
                    word: pat,
                    word2: rep,
                });
            }
            None => return self.syntax("missing '}'"),
            _ => return self.bad_subst(),
        };
        if !matches!(c, Some(b':')) {
            self.inp.bump();
        }
        let mut w = Vec::new();
        if !in_dq {
            self.tilde_prefix(&mut w, true);
        }
        self.parts(&mut w, Ctx::Brace(in_dq))?;
        self.inp.bump();
        Ok(Param {
            name,
            op,
            word: w,
            word2: None,
        })
    }

    /// Skip to the matching `}` and record a substitution that fails when expanded.
    fn bad_subst(&mut self) -> PResult<Param> {
        let mut depth = 0usize;
        loop {
            match self.inp.bump() {
                None => return self.syntax("missing '}'"),
                Some(b'\\') => {
                    self.inp.bump();
                }
                Some(b'{') => depth += 1,
                Some(b'}') => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Some(q @ (b'\'' | b'"')) => {
                    while let Some(c) = self.inp.bump() {
                        if c == q {
                            break;
                        }
                        if c == b'\\' && q == b'"' {
                            self.inp.bump();
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(Param {
            name: PName::Var(Vec::new()),
            op: POp::Bad,
            word: Vec::new(),
            word2: None,
        })
    }

    fn backquote(&mut self, ctx: Ctx) -> PResult<Node> {
        let mut raw = Vec::new();
        loop {
            match self.inp.bump() {
                None => return self.syntax("EOF in backquote substitution"),
                Some(b'`') => break,
                Some(b'\\') => match self.inp.bump() {
                    None => raw.push(b'\\'),
                    Some(d) => {
                        let drop = matches!(d, b'$' | b'`' | b'\\')
                            || (d == b'"' && matches!(ctx, Ctx::Dq | Ctx::Brace(true)));
                        if !drop {
                            raw.push(b'\\');
                        }
                        raw.push(d);
                    }
                },
                Some(c) => raw.push(c),
            }
        }
        self.enter()?;
        let mut inp = Input::from_bytes(&raw);
        inp.line = self.run_line.unwrap_or(self.inp.line);
        let mut p = Parser::new(&mut inp, self.aliases);
        p.depth = self.depth;
        p.run_line = self.run_line;
        p.linebreak()?;
        if matches!(p.peek()?, Tok::Eof) {
            // An empty or blank backquote substitution is empty, with status 0.
            self.depth -= 1;
            return Ok(Node::Seq(Vec::new()));
        }
        let body = p.compound_list("`")?;
        if !matches!(p.peek()?, Tok::Eof) {
            return p.unexpected(None);
        }
        self.depth -= 1;
        Ok(body)
    }

    fn read_heredocs(&mut self) -> PResult<()> {
        let pend = std::mem::take(&mut self.pending);
        for h in pend {
            let mut body = Vec::new();
            // In an unquoted body a line ending in backslash-newline continues into the next,
            // so that next line is never the delimiter (dash, bash, BusyBox ash) — unless the
            // continued line is a lone backslash: dash and BusyBox ash read the first character
            // of a line past backslash-newlines, so `\⏎EOF` ends the body and `EO\⏎F` does not.
            let mut continued = false;
            loop {
                let mut line = Vec::new();
                let mut eof = false;
                loop {
                    match self.inp.bump() {
                        None => {
                            eof = true;
                            break;
                        }
                        Some(b'\n') => break,
                        Some(c) => line.push(c),
                    }
                }
                let mut l: &[u8] = &line;
                // `<<-` strips the tabs that start a line, not those after a backslash-newline
                // (the continued line goes on the previous one: dash, bash, BusyBox ash).
                if h.strip && !continued {
                    while let [b'\t', rest @ ..] = l {
                        l = rest;
                    }
                }
                if l == h.delim.as_slice() && !continued {
                    break;
                }
                continued = !h.doc.quoted
                    && l.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1
                    && (continued || l != b"\\");
                if eof && l.is_empty() {
                    break;
                }
                body.extend_from_slice(l);
                if eof {
                    // An unterminated last line stays without its newline (dash, BusyBox ash).
                    break;
                }
                body.push(b'\n');
            }
            let word = if h.doc.quoted {
                vec![WordPart::Quoted(body)]
            } else {
                let line = self.inp.line;
                let mut inp = Input::from_bytes(&body);
                inp.line = line;
                let mut p = Parser::new(&mut inp, self.aliases);
                p.depth = self.depth;
                p.run_line = self.run_line;
                let mut w = Vec::new();
                p.parts(&mut w, Ctx::Here)?;
                w
            };
            *h.doc.body.borrow_mut() = word;
        }
        Ok(())
    }

    // ---------------------------------------------------------------- grammar

    /// Parse the next complete command (up to a newline), or None at end of input.
    pub fn command_line(&mut self) -> PResult<Option<Node>> {
        self.linebreak_cmd()?;
        if matches!(self.peek()?, Tok::Eof) {
            return Ok(None);
        }
        let mut items = Vec::new();
        loop {
            self.peek()?;
            let start = self.tok_start;
            let n = self.and_or()?;
            match self.peek_op()? {
                Some(Op::Amp) => {
                    let text = self.text_since(start);
                    self.next()?;
                    items.push(Node::Bg(Box::new(n), text));
                }
                Some(Op::Semi) => {
                    self.next()?;
                    items.push(n);
                }
                _ => {
                    items.push(n);
                    break;
                }
            }
            if matches!(self.peek()?, Tok::Newline | Tok::Eof) {
                break;
            }
        }
        match self.peek()? {
            Tok::Newline => {
                // Consuming the newline reads pending here-documents.
                self.next()?;
            }
            Tok::Eof => {}
            _ => return self.unexpected(None),
        }
        if !self.pending.is_empty() {
            self.read_heredocs()?;
        }
        Ok(Some(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Node::Seq(items)
        }))
    }

    /// The source text from `start` up to the token just peeked (empty where an alias or a
    /// line continuation moved the text under it).
    fn text_since(&self, start: usize) -> Vec<u8> {
        let end = self.tok_start;
        if start <= end && end <= self.inp.buf.len() {
            self.inp.buf[start..end].trim_ascii_end().to_vec()
        } else {
            Vec::new()
        }
    }

    /// Is there nothing but blanks, newlines and comments left? (Looks without consuming.)
    pub fn at_eof(&mut self) -> bool {
        if self.peeked.is_some() {
            return matches!(self.peeked, Some(Tok::Eof));
        }
        let mut k = 0;
        let mut comment = false;
        while let Some(c) = self.inp.peek_at(k) {
            match c {
                b'\n' => comment = false,
                _ if comment => {}
                b' ' | b'\t' => {}
                b'#' => comment = true,
                _ => return false,
            }
            k += 1;
        }
        true
    }

    /// Forget a pending token after an error so the next command starts afresh.
    pub fn reset(&mut self) {
        self.peeked = None;
        self.pending.clear();
        self.depth = 0;
    }

    fn linebreak(&mut self) -> PResult<()> {
        let old = std::mem::replace(&mut self.kw, true);
        let r = self.linebreak_inner();
        self.kw = old;
        r
    }

    fn linebreak_inner(&mut self) -> PResult<()> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    /// Newlines before a command, and aliases there whose text is empty, blank or starts with
    /// newlines (`alias n=''`; `cmd | n⏎cmd2`): dash skips those newlines as the ones written.
    fn linebreak_cmd(&mut self) -> PResult<()> {
        loop {
            self.linebreak()?;
            self.alias_check()?;
            if !matches!(self.peek()?, Tok::Newline) {
                return Ok(());
            }
        }
    }

    /// Can the next token start a command?
    fn starts_command(&mut self) -> PResult<bool> {
        // An alias may stand for a reserved word that ends the list (`alias END=}`), or for
        // nothing but newlines.
        self.linebreak_cmd()?;
        Ok(match self.peek()? {
            Tok::Word(w) => match plain(w) {
                Some(s) => !matches!(
                    s,
                    b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}"
                ),
                None => true,
            },
            Tok::IoNum(_) => true,
            Tok::Op(o) => o.is_redir() || *o == Op::LParen,
            _ => false,
        })
    }

    fn compound_list(&mut self, expect: &str) -> PResult<Node> {
        self.linebreak()?;
        let mut items = Vec::new();
        while self.starts_command()? {
            let start = self.tok_start;
            let n = self.and_or()?;
            match self.peek()? {
                Tok::Op(Op::Amp) => {
                    let text = self.text_since(start);
                    self.next()?;
                    items.push(Node::Bg(Box::new(n), text));
                }
                Tok::Op(Op::Semi) | Tok::Newline => {
                    self.next()?;
                    items.push(n);
                }
                _ => {
                    items.push(n);
                    break;
                }
            }
            self.linebreak()?;
        }
        if items.is_empty() {
            let eof = matches!(self.peek()?, Tok::Eof);
            return self.unexpected(if eof { Some(expect) } else { None });
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Node::Seq(items)
        })
    }

    fn and_or(&mut self) -> PResult<Node> {
        let mut left = self.pipeline()?;
        loop {
            match self.peek_op()? {
                Some(Op::AndIf) => {
                    self.next()?;
                    self.linebreak_cmd()?;
                    let r = self.pipeline()?;
                    left = Node::And(Box::new(left), Box::new(r));
                }
                Some(Op::OrIf) => {
                    self.next()?;
                    self.linebreak_cmd()?;
                    let r = self.pipeline()?;
                    left = Node::Or(Box::new(left), Box::new(r));
                }
                _ => return Ok(left),
            }
        }
    }

    fn pipeline(&mut self) -> PResult<Node> {
        let mut bang = false;
        // The grammar has one `!` per pipeline; `! ! cmd` (a syntax error in dash and BusyBox
        // ash) is taken as bash takes it, each `!` inverting the status again.
        while self.peek_kw(b"!")? {
            self.next()?;
            bang = !bang;
        }
        let mut cmds = vec![self.command()?];
        while self.peek_op()? == Some(Op::Pipe) {
            self.next()?;
            self.linebreak_cmd()?;
            cmds.push(self.command()?);
        }
        Ok(if cmds.len() == 1 {
            let c = cmds.pop().unwrap();
            if bang {
                Node::Not(Box::new(c))
            } else {
                c
            }
        } else {
            Node::Pipe(cmds, bang)
        })
    }

    fn command(&mut self) -> PResult<Node> {
        self.enter()?;
        let r = self.command_inner();
        self.depth -= 1;
        r
    }

    fn command_inner(&mut self) -> PResult<Node> {
        self.alias_check()?;
        let kw: Option<Vec<u8>> = match self.peek()? {
            Tok::Word(w) => plain(w).map(|s| s.to_vec()),
            Tok::Op(Op::LParen) => {
                self.next()?;
                let body = self.compound_list(")")?;
                if self.peek_op()? != Some(Op::RParen) {
                    return self.unexpected(Some(")"));
                }
                self.next()?;
                return self.redirected(Node::Sub(Box::new(body)));
            }
            Tok::Op(o) if !o.is_redir() => return self.unexpected(None),
            Tok::Newline | Tok::Eof => return self.unexpected(None),
            _ => None,
        };
        let node = match kw.as_deref() {
            Some(b"if") => self.if_clause()?,
            Some(b"while") | Some(b"until") => {
                let until = kw.as_deref() == Some(b"until");
                self.next()?;
                let cond = self.compound_list("do")?;
                self.expect_kw("do")?;
                let body = self.compound_list("done")?;
                self.expect_kw("done")?;
                Node::Loop {
                    cond: Box::new(cond),
                    body: Box::new(body),
                    until,
                }
            }
            Some(b"for") => self.for_clause()?,
            Some(b"case") => self.case_clause()?,
            Some(b"function") => return self.function_def(),
            Some(b"[[") => {
                let line = self.inp.line;
                self.next()?;
                let e = self.cond_or()?;
                match self.cond_take()? {
                    CTok::End => {}
                    _ => return self.syntax("expected ']]'"),
                }
                Node::Cond(Box::new(e), line)
            }
            Some(b"{") => {
                self.next()?;
                let body = self.compound_list("}")?;
                self.expect_kw("}")?;
                Node::Group(Box::new(body))
            }
            Some(s) if RESERVED.contains(&s) && s != b"in" => return self.unexpected(None),
            _ => return self.simple(),
        };
        self.redirected(node)
    }

    /// The next token inside `[[ ]]` (newlines are blanks there).
    fn cond_token(&mut self) -> PResult<CTok> {
        loop {
            return Ok(match self.next()? {
                Tok::Newline => continue,
                Tok::Word(w) => match plain(&w) {
                    Some(b"]]") => CTok::End,
                    _ => CTok::Word(w),
                },
                Tok::IoNum(n) => CTok::Word(vec![WordPart::Lit(n.to_string().into_bytes())]),
                Tok::Op(Op::AndIf) => CTok::And,
                Tok::Op(Op::OrIf) => CTok::Or,
                Tok::Op(Op::LParen) => CTok::Open,
                Tok::Op(Op::RParen) => CTok::Close,
                Tok::Op(Op::Less) => CTok::Word(vec![WordPart::Lit(b"<".to_vec())]),
                Tok::Op(Op::Great) => CTok::Word(vec![WordPart::Lit(b">".to_vec())]),
                Tok::Eof => return self.syntax("unexpected EOF in [[ ]]"),
                Tok::Op(o) => {
                    return self.err(format!(
                        "syntax error: unexpected \"{}\" in [[ ]]",
                        o.text()
                    ))
                }
            });
        }
    }

    fn cond_peek(&mut self) -> PResult<CTok> {
        let t = self.cond_token()?;
        self.cond_back = Some(t.clone_tok());
        Ok(t)
    }

    fn cond_take(&mut self) -> PResult<CTok> {
        match self.cond_back.take() {
            Some(t) => Ok(t),
            None => self.cond_token(),
        }
    }

    fn cond_or(&mut self) -> PResult<CondExpr> {
        self.enter()?;
        let mut l = self.cond_and()?;
        while matches!(self.cond_peek_or_back()?, CTok::Or) {
            self.cond_take()?;
            let r = self.cond_and()?;
            l = CondExpr::Or(Box::new(l), Box::new(r));
        }
        self.depth -= 1;
        Ok(l)
    }

    fn cond_and(&mut self) -> PResult<CondExpr> {
        let mut l = self.cond_not()?;
        while matches!(self.cond_peek_or_back()?, CTok::And) {
            self.cond_take()?;
            let r = self.cond_not()?;
            l = CondExpr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    /// Peek without reading a second token when one is already held back.
    fn cond_peek_or_back(&mut self) -> PResult<CTok> {
        match &self.cond_back {
            Some(t) => Ok(t.clone_tok()),
            None => self.cond_peek(),
        }
    }

    fn cond_not(&mut self) -> PResult<CondExpr> {
        self.enter()?;
        let r = match self.cond_take()? {
            CTok::Word(w) if plain(&w) == Some(b"!") => CondExpr::Not(Box::new(self.cond_not()?)),
            CTok::Open => {
                let e = self.cond_or()?;
                match self.cond_take()? {
                    CTok::Close => e,
                    _ => return self.syntax("expected ')' in [[ ]]"),
                }
            }
            CTok::Word(w) => self.cond_primary(w)?,
            _ => return self.syntax("unexpected token in [[ ]]"),
        };
        self.depth -= 1;
        Ok(r)
    }

    fn cond_primary(&mut self, w: Word) -> PResult<CondExpr> {
        const UNARY: &[&[u8]] = &[
            b"-a", b"-b", b"-c", b"-d", b"-e", b"-f", b"-g", b"-h", b"-k", b"-p", b"-r", b"-s",
            b"-t", b"-u", b"-w", b"-x", b"-G", b"-L", b"-N", b"-O", b"-S", b"-z", b"-n", b"-o",
            b"-v",
        ];
        const BINARY: &[&[u8]] = &[
            b"=", b"==", b"!=", b"<", b">", b"=~", b"-eq", b"-ne", b"-lt", b"-le", b"-gt", b"-ge",
            b"-nt", b"-ot", b"-ef",
        ];
        if let Some(op) = plain(&w).filter(|o| UNARY.contains(o)).map(<[u8]>::to_vec) {
            if let CTok::Word(arg) = self.cond_peek_or_back()? {
                self.cond_take()?;
                return Ok(CondExpr::Unary(op, arg));
            }
            return Ok(CondExpr::Word(w));
        }
        let op = match self.cond_peek_or_back()? {
            CTok::Word(o) => match plain(&o) {
                Some(o) if BINARY.contains(&o) => o.to_vec(),
                _ => return self.syntax("conditional binary operator expected"),
            },
            _ => return Ok(CondExpr::Word(w)),
        };
        self.cond_take()?;
        let rhs = if op == b"=~" {
            // The regex is one word up to a blank: `(`, `)` and `|` are part of it.
            self.skip_blanks();
            self.regex_word = true;
            let r = self.word();
            self.regex_word = false;
            r?
        } else {
            match self.cond_take()? {
                CTok::Word(r) => r,
                _ => return self.syntax("unexpected argument to conditional binary operator"),
            }
        };
        Ok(CondExpr::Binary(op, w, rhs))
    }

    /// `function name { ...; }` and `function name() ...` (bash, BusyBox ash).
    fn function_def(&mut self) -> PResult<Node> {
        self.next()?; // function
        let name = match self.next()? {
            Tok::Word(w) => match plain(&w) {
                Some(n) => n.to_vec(),
                None => return self.syntax("bad function name"),
            },
            t => {
                self.peeked = Some(t);
                return self.unexpected(None);
            }
        };
        if !func_name_ok(&name) {
            return self.syntax("bad function name");
        }
        if self.peek_op()? == Some(Op::LParen) {
            self.next()?;
            if self.peek_op()? != Some(Op::RParen) {
                return self.unexpected(Some(")"));
            }
            self.next()?;
        }
        self.linebreak()?;
        let body = self.command()?;
        Ok(Node::Func(name, Rc::new(body)))
    }

    fn alias_check(&mut self) -> PResult<()> {
        let Some(aliases) = self.aliases else {
            return Ok(());
        };
        if aliases.is_empty() {
            return Ok(());
        }
        let old = std::mem::replace(&mut self.kw, true);
        let r = self.alias_check_inner(aliases);
        self.kw = old;
        r
    }

    fn alias_check_inner(&mut self, aliases: &HashMap<Vec<u8>, Vec<u8>>) -> PResult<()> {
        for _ in 0..100 {
            let name = match self.peek()? {
                Tok::Word(w) => match plain(w) {
                    Some(s) if !RESERVED.contains(&s) => s.to_vec(),
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            };
            match aliases.get(&name) {
                Some(text) if !self.inp.in_alias(&name) => {
                    let text = text.clone();
                    self.peeked = None;
                    self.inp.push_alias(&name, &text);
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    fn redirected(&mut self, node: Node) -> PResult<Node> {
        let mut redirs = Vec::new();
        while self.try_redir(&mut redirs)? {}
        Ok(if redirs.is_empty() {
            node
        } else {
            Node::Redirected(Box::new(node), redirs)
        })
    }

    /// One redirection onto `out` (two for `&>`); false when none comes next.
    fn try_redir(&mut self, out: &mut Vec<Redir>) -> PResult<bool> {
        let fd = match self.peek()? {
            Tok::IoNum(n) => {
                let n = *n;
                self.next()?;
                Some(n)
            }
            Tok::Op(o) if o.is_redir() => None,
            _ => return Ok(false),
        };
        let op = match self.next()? {
            Tok::Op(o) if o.is_redir() => o,
            t => {
                self.peeked = Some(t);
                return self.unexpected(None);
            }
        };
        let here_op = matches!(op, Op::DLess | Op::DLessDash);
        let lexed = here_op && self.peeked.is_none();
        let target = match self.next()? {
            Tok::Word(w) => w,
            t => {
                self.peeked = Some(t);
                return self.unexpected(None);
            }
        };
        // The word's own text (an alias's when one stood for it).
        let start = lexed.then_some(self.tok_start);
        // A here-document's delimiter is the word's text after quote removal, with nothing
        // expanded: `<<EO`x`F` ends at the line "EO`x`F" (XCU 2.7.4).
        let raw = start
            .filter(|&b| b <= self.inp.pos && self.inp.pos <= self.inp.buf.len())
            .map(|b| &self.inp.buf[b..self.inp.pos]);
        // `<<$(cmd)` is refused as dash and BusyBox ash refuse it (a backquoted or quoted
        // command substitution is only text there).
        if raw.is_some_and(unquoted_dollar_paren) {
            return self.syntax("unexpected \"(\"");
        }
        let raw_delim = raw.map(delim_text);
        // `&>f`, `&>>f`, and `>&f` with a word that is not a number: stdout to f, then
        // stderr to stdout (bash; BusyBox ash).
        let both_to_file = match op {
            Op::AndGreat | Op::AndDGreat => true,
            Op::GreatAnd if fd.is_none() => plain(&target)
                .is_some_and(|t| t != b"-" && !t.is_empty() && !t.iter().all(u8::is_ascii_digit)),
            _ => false,
        };
        if both_to_file {
            let kind = if op == Op::AndDGreat {
                RKind::Append
            } else {
                RKind::Out
            };
            out.push(Redir {
                fd: 1,
                kind,
                target,
                here: None,
            });
            out.push(Redir {
                fd: 2,
                kind: RKind::DupOut,
                target: vec![WordPart::Lit(b"1".to_vec())],
                here: None,
            });
            return Ok(true);
        }
        let (kind, dfd) = match op {
            Op::TLess => (RKind::HereStr, 0),
            Op::Less => (RKind::In, 0),
            Op::Great => (RKind::Out, 1),
            Op::DGreat => (RKind::Append, 1),
            Op::Clobber => (RKind::Clobber, 1),
            Op::LessAnd => (RKind::DupIn, 0),
            Op::GreatAnd => (RKind::DupOut, 1),
            Op::LessGreat => (RKind::ReadWrite, 0),
            _ => (RKind::Here, 0),
        };
        if matches!(kind, RKind::DupIn | RKind::DupOut) {
            // A literal target must be a number or `-` (checked now, as dash does).
            if let Some(t) = plain(&target) {
                if t != b"-" && (t.is_empty() || !t.iter().all(u8::is_ascii_digit)) {
                    return self.syntax("bad fd number");
                }
            }
        }
        let mut here = None;
        if kind == RKind::Here {
            let (delim, quoted) = raw_delim.unwrap_or_else(|| {
                let mut delim = Vec::new();
                let mut quoted = false;
                unquote(&target, &mut delim, &mut quoted);
                (delim, quoted)
            });
            let doc = Rc::new(HereDoc {
                body: RefCell::new(Vec::new()),
                quoted,
            });
            self.pending.push(PendingHere {
                delim,
                strip: op == Op::DLessDash,
                doc: doc.clone(),
            });
            here = Some(doc);
        }
        out.push(Redir {
            fd: fd.unwrap_or(dfd),
            kind,
            target,
            here,
        });
        Ok(true)
    }

    fn simple(&mut self) -> PResult<Node> {
        let line = self.inp.line;
        let mut s = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            if self.try_redir(&mut s.redirs)? {
                // The command name after redirections is an alias candidate (dash).
                if s.words.is_empty() {
                    self.alias_check()?;
                }
                continue;
            }
            match self.peek()? {
                Tok::Word(_) => {}
                _ => break,
            }
            let Tok::Word(w) = self.next()? else {
                unreachable!()
            };
            if s.words.is_empty() {
                if let Some(a) = as_assignment(&w) {
                    s.assigns.push(a);
                    // The command name after assignments is an alias candidate (dash, bash).
                    if self.aliases.is_some_and(|a| !a.is_empty()) {
                        self.alias_check()?;
                    }
                    continue;
                }
                // `name ( )` starts a function definition.
                if s.assigns.is_empty() && s.redirs.is_empty() {
                    if let Some(name) = plain(&w) {
                        if self.peek_op()? == Some(Op::LParen) {
                            let name = name.to_vec();
                            self.next()?;
                            if self.peek_op()? != Some(Op::RParen) {
                                return self.unexpected(Some(")"));
                            }
                            self.next()?;
                            if !func_name_ok(&name) {
                                return self.syntax("bad function name");
                            }
                            self.linebreak()?;
                            let body = self.command()?;
                            return Ok(Node::Func(name, Rc::new(body)));
                        }
                    }
                }
            }
            s.words.push(w);
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            return self.unexpected(None);
        }
        // Declaration utilities: `export a=~/x:~/y $b` expands `a=...` as an assignment does
        // (tildes after `:`, no field splitting or globbing), as dash, bash and BusyBox ash.
        // `command export a=$b` too: `command` keeps the declaration utility's arguments
        // (POSIX 2024, bash).
        let skip = s
            .words
            .iter()
            .take_while(|w| plain(w) == Some(b"command"))
            .count();
        if matches!(
            s.words.get(skip).and_then(plain),
            Some(b"export" | b"readonly" | b"local")
        ) {
            for w in s.words.iter_mut().skip(skip + 1) {
                if let Some(a) = as_assignment(w) {
                    *w = vec![
                        WordPart::Lit([&a.name[..], b"="].concat()),
                        WordPart::Dq(a.value),
                    ];
                }
            }
        }
        Ok(Node::Simple(s))
    }

    fn if_clause(&mut self) -> PResult<Node> {
        self.next()?; // if
        let mut arms = Vec::new();
        let mut els = None;
        loop {
            let c = self.compound_list("then")?;
            self.expect_kw("then")?;
            let b = self.compound_list("fi")?;
            arms.push((c, b));
            if self.peek_kw(b"elif")? {
                self.next()?;
                continue;
            }
            if self.peek_kw(b"else")? {
                self.next()?;
                els = Some(Box::new(self.compound_list("fi")?));
            }
            self.expect_kw("fi")?;
            return Ok(Node::If(arms, els));
        }
    }

    fn for_clause(&mut self) -> PResult<Node> {
        let line = self.inp.line;
        self.next()?; // for
        let var = match self.next()? {
            Tok::Word(w) => match plain(&w) {
                Some(s) if is_name(s) => s.to_vec(),
                _ => return self.syntax("bad for loop variable"),
            },
            t => {
                self.peeked = Some(t);
                return self.unexpected(None);
            }
        };
        self.linebreak()?;
        let mut words = None;
        if self.peek_kw(b"in")? {
            self.next()?;
            let mut ws = Vec::new();
            while let Tok::Word(_) = self.peek()? {
                if let Tok::Word(w) = self.next()? {
                    ws.push(w);
                }
            }
            words = Some(ws);
            match self.peek()? {
                Tok::Op(Op::Semi) | Tok::Newline => {
                    self.next()?;
                }
                _ => return self.unexpected(Some("do")),
            }
        } else if self.peek_op()? == Some(Op::Semi) {
            self.next()?;
        }
        self.linebreak()?;
        self.expect_kw("do")?;
        let body = self.compound_list("done")?;
        self.expect_kw("done")?;
        Ok(Node::For {
            var,
            words,
            body: Box::new(body),
            line,
        })
    }

    fn case_clause(&mut self) -> PResult<Node> {
        let line = self.inp.line;
        self.next()?; // case
        let word = match self.next()? {
            Tok::Word(w) => w,
            t => {
                self.peeked = Some(t);
                return self.unexpected(None);
            }
        };
        self.linebreak()?;
        self.expect_kw("in")?;
        let mut arms = Vec::new();
        loop {
            self.linebreak()?;
            if self.peek_kw(b"esac")? {
                self.next()?;
                break;
            }
            if self.peek_op()? == Some(Op::LParen) {
                self.next()?;
            }
            let mut pats = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w) => pats.push(w),
                    t => {
                        let eof = matches!(t, Tok::Eof);
                        self.peeked = Some(t);
                        return self.unexpected(if eof { Some(")") } else { None });
                    }
                }
                match self.next()? {
                    Tok::Op(Op::Pipe) => continue,
                    Tok::Op(Op::RParen) => break,
                    t => {
                        self.peeked = Some(t);
                        return self.unexpected(Some(")"));
                    }
                }
            }
            self.linebreak()?;
            let body = if self.starts_command()? {
                Some(self.compound_list(";;")?)
            } else {
                None
            };
            let mut fall = false;
            match self.peek()? {
                Tok::Op(Op::DSemi) => {
                    self.next()?;
                }
                Tok::Op(Op::SemiAnd) => {
                    self.next()?;
                    fall = true;
                }
                Tok::Word(w) if plain(w) == Some(b"esac") => {}
                _ => return self.unexpected(Some(";;")),
            }
            arms.push(CaseArm { pats, body, fall });
        }
        Ok(Node::Case { word, arms, line })
    }
}

fn param(name: PName) -> WordPart {
    WordPart::Param(Box::new(Param {
        name,
        op: POp::Plain,
        word: Vec::new(),
        word2: None,
    }))
}

fn special_name(c: u8) -> Option<PName> {
    Some(match c {
        b'@' => PName::At,
        b'*' => PName::Star,
        b'#' => PName::Hash,
        b'?' => PName::Quest,
        b'-' => PName::Dash,
        b'$' => PName::Dollar,
        b'!' => PName::Bang,
        b'0' => PName::Pos(0),
        _ => return None,
    })
}

/// The here-document delimiter: the word with quotes removed, and whether any quoting was there.
/// Quote removal on the source text of a here-document delimiter: (delimiter, quoted).
/// Whether `raw` (a word's source text) holds a `$(` outside quotes.
fn unquoted_dollar_paren(raw: &[u8]) -> bool {
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\\' => i += 1,
            b'\'' => {
                i += 1;
                while i < raw.len() && raw[i] != b'\'' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < raw.len() && raw[i] != b'"' {
                    i += usize::from(raw[i] == b'\\') + 1;
                }
            }
            b'$' if raw.get(i + 1) == Some(&b'(') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

fn delim_text(raw: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(raw.len());
    let mut quoted = false;
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\\' if raw.get(i + 1) == Some(&b'\n') => i += 2,
            b'\\' => {
                quoted = true;
                if let Some(&c) = raw.get(i + 1) {
                    out.push(c);
                }
                i += 2;
            }
            b'`' => {
                // BusyBox ash takes a backquote in the delimiter as quoting: the body stays
                // unexpanded (dash and bash expand it).
                quoted = true;
                out.push(b'`');
                i += 1;
            }
            b'\'' => {
                quoted = true;
                i += 1;
                while i < raw.len() && raw[i] != b'\'' {
                    out.push(raw[i]);
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                quoted = true;
                i += 1;
                while i < raw.len() && raw[i] != b'"' {
                    if raw[i] == b'\\' && raw.get(i + 1) == Some(&b'\n') {
                        i += 2;
                        continue;
                    }
                    if raw[i] == b'\\' && matches!(raw.get(i + 1), Some(b'$' | b'`' | b'"' | b'\\'))
                    {
                        i += 1;
                    }
                    out.push(raw[i]);
                    i += 1;
                }
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    (out, quoted)
}

fn unquote(w: &Word, out: &mut Vec<u8>, quoted: &mut bool) {
    for p in w {
        match p {
            WordPart::Lit(s) => out.extend_from_slice(s),
            WordPart::Quoted(s) => {
                *quoted = true;
                out.extend_from_slice(s)
            }
            WordPart::Dq(inner) => {
                *quoted = true;
                unquote(inner, out, quoted)
            }
            WordPart::Tilde(u) => {
                out.push(b'~');
                out.extend_from_slice(u)
            }
            WordPart::Param(p) => {
                out.push(b'$');
                if let PName::Var(n) = &p.name {
                    out.extend_from_slice(n)
                }
            }
            _ => {}
        }
    }
}

fn as_assignment(w: &Word) -> Option<Assign> {
    let WordPart::Lit(first) = w.first()? else {
        return None;
    };
    let eq = first.iter().position(|&c| c == b'=')?;
    if !is_name(&first[..eq]) {
        return None;
    }
    let name = first[..eq].to_vec();
    let mut raw: Vec<WordPart> = Vec::new();
    if eq + 1 < first.len() {
        raw.push(WordPart::Lit(first[eq + 1..].to_vec()));
    }
    raw.extend(w[1..].iter().map(clone_part));
    // Tilde expansion at the start of the value and after each unquoted `:` (XCU 2.6.1).
    let mut value = Vec::new();
    let n = raw.len();
    for (k, p) in raw.into_iter().enumerate() {
        let WordPart::Lit(s) = p else {
            value.push(p);
            continue;
        };
        let last = k + 1 == n;
        let mut lit = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let at_start = (i == 0 && k == 0) || (i > 0 && s[i - 1] == b':');
            if at_start && s[i] == b'~' {
                let end = s[i + 1..]
                    .iter()
                    .position(|&c| c == b'/' || c == b':')
                    .map_or(s.len(), |e| i + 1 + e);
                // A prefix running into a quoted or expanded part is not a tilde prefix.
                if end < s.len() || last {
                    if !lit.is_empty() {
                        value.push(WordPart::Lit(std::mem::take(&mut lit)));
                    }
                    value.push(WordPart::Tilde(s[i + 1..end].to_vec()));
                    i = end;
                    continue;
                }
            }
            lit.push(s[i]);
            i += 1;
        }
        if !lit.is_empty() {
            value.push(WordPart::Lit(lit));
        }
    }
    Some(Assign { name, value })
}

pub fn clone_part(p: &WordPart) -> WordPart {
    match p {
        WordPart::Lit(s) => WordPart::Lit(s.clone()),
        WordPart::Quoted(s) => WordPart::Quoted(s.clone()),
        WordPart::Dq(v) => WordPart::Dq(v.iter().map(clone_part).collect()),
        WordPart::Tilde(s) => WordPart::Tilde(s.clone()),
        WordPart::Param(p) => WordPart::Param(Box::new(Param {
            name: p.name.clone(),
            op: p.op,
            word: p.word.iter().map(clone_part).collect(),
            word2: p.word2.as_ref().map(|w| w.iter().map(clone_part).collect()),
        })),
        WordPart::Cmd(n) => WordPart::Cmd(n.clone()),
        WordPart::Proc(n, w) => WordPart::Proc(n.clone(), *w),
        WordPart::Arith(a) => WordPart::Arith(Box::new(ArithWord {
            word: a.word.iter().map(clone_part).collect(),
            cache: RefCell::new(a.cache.borrow().clone()),
        })),
    }
}

/// Parse text with here-document rules (expansions, backslash before `$` `` ` `` `\\`): for
/// prompt strings such as PS4.
pub fn parse_expanding_text(text: &[u8]) -> Result<Word, ParseError> {
    let mut inp = Input::from_bytes(text);
    let mut p = Parser::new(&mut inp, None);
    let mut w = Vec::new();
    p.parts(&mut w, Ctx::Here)?;
    Ok(w)
}

/// Parse a whole text, for `fuzz_one` and `sh -n`-like checks: every complete command in turn.
pub fn parse_all(text: &[u8]) -> Result<Vec<Node>, ParseError> {
    let mut inp = Input::from_bytes(text);
    let mut p = Parser::new(&mut inp, None);
    let mut v = Vec::new();
    while let Some(n) = p.command_line()? {
        v.push(n);
    }
    Ok(v)
}

/// A function may be named as a variable, but not as a special builtin (dash, BusyBox ash:
/// "bad function name").
fn func_name_ok(name: &[u8]) -> bool {
    is_name(name) && !super::builtins::find(name).is_some_and(|b| b.special)
}
