//! The parse tree compiled to an NFA program (Thompson's construction, built backwards from
//! the match so every instruction knows its successor), plus what the matchers precompute:
//! epsilon predecessors for the sub-match pass, the bytes a match can start with, and a
//! literal every match contains.

use super::parse::{Node, Parsed};
use super::{ByteSet, ErrorKind, Look};

#[derive(Clone, Copy, Debug)]
pub(crate) enum Inst {
    /// Consume one byte of `sets[set]`.
    Set {
        set: u32,
        next: u32,
    },
    /// Try `.0` first, then `.1`.
    Split(u32, u32),
    Open {
        group: u32,
        next: u32,
    },
    Close {
        group: u32,
        opt: bool,
        next: u32,
    },
    Look {
        look: Look,
        next: u32,
    },
    BackRef {
        group: u32,
        next: u32,
    },
    Match,
}

pub(crate) struct Prog {
    pub insts: Vec<Inst>,
    pub sets: Vec<ByteSet>,
    pub start: u32,
    pub nsub: usize,
    /// glibc's subexp_map: a group written `((x))` reports its parent's span.
    pub alias: Vec<usize>,
    pub backrefs: bool,
    pub nosub: bool,
    pub newline_anchor: bool,
    pub icase: bool,
    /// For each instruction, the epsilon instructions leading to it.
    pub eps_pred: Vec<Vec<u32>>,
    /// Bytes a non-empty match can start with; None when a match can be empty.
    pub first: Option<ByteSet>,
    /// A literal every match contains, for a memmem prefilter (None: not worth it).
    pub required: Option<memchr::memmem::Finder<'static>>,
    /// The whole pattern is this literal (no assertion, group or repetition): memmem finds
    /// its leftmost-longest match.
    pub literal: Option<memchr::memmem::Finder<'static>>,
    /// Under ICASE, the whole pattern is this literal with its ASCII letters folded (the
    /// needle lower-cased): found by lower-casing the subject in windows and memmem.
    pub folded: Option<memchr::memmem::Finder<'static>>,
}

/// A bound on program size ("Memory exhausted" beyond).
const MAX_INSTS: usize = 1 << 22;

struct C {
    insts: Vec<Inst>,
    sets: Vec<ByteSet>,
    set_ids: std::collections::HashMap<ByteSet, u32>,
    alias: Vec<usize>,
}

impl C {
    fn push(&mut self, i: Inst) -> Result<u32, ErrorKind> {
        if self.insts.len() >= MAX_INSTS {
            return Err(ErrorKind::ESpace);
        }
        self.insts.push(i);
        Ok((self.insts.len() - 1) as u32)
    }

    fn set(&mut self, s: &ByteSet) -> u32 {
        if let Some(&i) = self.set_ids.get(s) {
            return i;
        }
        self.sets.push(*s);
        let i = (self.sets.len() - 1) as u32;
        self.set_ids.insert(*s, i);
        i
    }

    /// Code for `n` followed by `next`; returns its entry. `opt` marks a group at the top of
    /// `n` as glibc's opt_subexp.
    fn node(&mut self, n: &Node, next: u32, opt: bool) -> Result<u32, ErrorKind> {
        match n {
            Node::Empty => Ok(next),
            Node::Set(s) => {
                let set = self.set(s);
                self.push(Inst::Set { set, next })
            }
            Node::Look(look) => self.push(Inst::Look { look: *look, next }),
            Node::BackRef(g) => {
                let group = self.alias[*g] as u32;
                self.push(Inst::BackRef { group, next })
            }
            Node::Group { idx, body, .. } => {
                // glibc's optimize_subexps: `((x))` is one group reported twice.
                let mut body: &Node = body;
                while let Node::Group {
                    idx: inner,
                    body: b,
                    ..
                } = body
                {
                    self.alias[*inner] = *idx;
                    body = b;
                }
                let close = self.push(Inst::Close {
                    group: *idx as u32,
                    opt,
                    next,
                })?;
                let b = self.node(body, close, false)?;
                self.push(Inst::Open {
                    group: *idx as u32,
                    next: b,
                })
            }
            Node::Cat(v) => {
                let mut next = next;
                for x in v.iter().rev() {
                    next = self.node(x, next, false)?;
                }
                Ok(next)
            }
            Node::Alt(v) => {
                // glibc orders a fork's branches by node number; an empty first branch goes
                // to what follows the alternation, numbered after the second branch: `(|a)`
                // prefers `a`.
                let swapped;
                let v = if v.len() >= 2
                    && matches!(v[0], Node::Empty)
                    && !matches!(v[1], Node::Empty)
                {
                    let mut w = v.clone();
                    w.swap(0, 1);
                    swapped = w;
                    &swapped
                } else {
                    v
                };
                let entries = v
                    .iter()
                    .map(|x| self.node(x, next, false))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut e = *entries.last().unwrap();
                for &x in entries[..entries.len() - 1].iter().rev() {
                    e = self.push(Inst::Split(x, e))?;
                }
                Ok(e)
            }
            Node::Repeat { node, min, max } => {
                let mut next = next;
                match max {
                    None => {
                        let l = self.push(Inst::Match)?;
                        let body = self.node(node, l, true)?;
                        self.insts[l as usize] = Inst::Split(body, next);
                        next = l;
                    }
                    Some(max) if *max > *min => {
                        // ((x? x)? x)?: levels k = 1 (outermost) .. n; level k skips to c_k,
                        // with c_1 = next and c_{k+1} = x then c_k.
                        let n = (max - min) as usize;
                        let mut c = Vec::with_capacity(n);
                        c.push(next);
                        for k in 1..n {
                            let x = self.node(node, c[k - 1], true)?;
                            c.push(x);
                        }
                        let inner = self.node(node, c[n - 1], true)?;
                        let mut s = self.push(Inst::Split(inner, c[n - 1]))?;
                        for k in (0..n - 1).rev() {
                            s = self.push(Inst::Split(s, c[k]))?;
                        }
                        next = s;
                    }
                    _ => {}
                }
                for _ in 0..*min {
                    next = self.node(node, next, false)?;
                }
                Ok(next)
            }
        }
    }
}

pub(crate) fn compile(
    p: &Parsed,
    newline_anchor: bool,
    nosub: bool,
    icase: bool,
) -> Result<Prog, ErrorKind> {
    let mut c = C {
        insts: Vec::new(),
        sets: Vec::new(),
        set_ids: Default::default(),
        alias: (0..p.nsub).collect(),
    };
    let m = c.push(Inst::Match)?;
    let start = c.node(&p.node, m, false)?;
    // Resolve alias chains.
    let mut alias = c.alias.clone();
    for i in 0..alias.len() {
        let mut a = alias[i];
        while alias[a] != a {
            a = alias[a];
        }
        alias[i] = a;
    }
    let insts = c.insts;
    let mut eps_pred = vec![Vec::new(); insts.len()];
    for (i, inst) in insts.iter().enumerate() {
        match *inst {
            Inst::Split(a, b) => {
                eps_pred[a as usize].push(i as u32);
                if b != a {
                    eps_pred[b as usize].push(i as u32);
                }
            }
            Inst::Open { next, .. } | Inst::Close { next, .. } => {
                eps_pred[next as usize].push(i as u32)
            }
            Inst::Look { next, .. } => eps_pred[next as usize].push(i as u32),
            _ => {}
        }
    }
    let mut prog = Prog {
        insts,
        sets: c.sets,
        start,
        nsub: p.nsub,
        alias,
        backrefs: p.backrefs,
        nosub,
        newline_anchor,
        icase,
        eps_pred,
        first: None,
        required: None,
        literal: None,
        folded: None,
    };
    prog.first = first_bytes(&prog);
    prog.required = required_literal(&p.node).map(|l| memchr::memmem::Finder::new(&l).into_owned());
    prog.literal = whole_literal(&p.node).map(|l| memchr::memmem::Finder::new(&l).into_owned());
    if prog.literal.is_none() {
        prog.folded = folded_literal(&p.node).map(|l| memchr::memmem::Finder::new(&l).into_owned());
    }
    Ok(prog)
}

/// Line tools (grep): no set matches `eol`, so no match spans two lines and a search over a
/// whole buffer of lines finds only matches inside one.
pub(crate) fn exclude_byte(prog: &mut Prog, eol: u8) {
    for s in prog.sets.iter_mut() {
        s.remove(eol);
    }
    let has = |f: &memchr::memmem::Finder| f.needle().contains(&eol);
    if prog.literal.as_ref().is_some_and(has) {
        prog.literal = None;
    }
    if prog.folded.as_ref().is_some_and(has) {
        prog.folded = None;
    }
    if prog.required.as_ref().is_some_and(has) {
        prog.required = None;
    }
    prog.first = first_bytes(prog);
}

/// The pattern as a literal of at least two bytes whose letters each match both cases (and
/// nothing else), lower-cased: `-i` on a word.
fn folded_literal(n: &Node) -> Option<Vec<u8>> {
    let one = |x: &Node| -> Option<u8> {
        let Node::Set(s) = x else { return None };
        if let Some(b) = s.single() {
            return (!b.is_ascii_alphabetic()).then_some(b);
        }
        if s.count() != 2 {
            return None;
        }
        let lo = (b'a'..=b'z').find(|&c| s.contains(c))?;
        s.contains(lo.to_ascii_uppercase()).then_some(lo)
    };
    let v: Vec<u8> = match n {
        Node::Cat(v) => v.iter().map(one).collect::<Option<Vec<u8>>>()?,
        x => vec![one(x)?],
    };
    (v.len() >= 2 && v.iter().any(|b| b.is_ascii_lowercase())).then_some(v)
}

/// The bytes a match can begin with (assertions passed as if true), or None when the start
/// reaches the match (or a back-reference) without consuming.
fn first_bytes(p: &Prog) -> Option<ByteSet> {
    let mut seen = vec![false; p.insts.len()];
    let mut stack = vec![p.start];
    let mut set = ByteSet::default();
    while let Some(pc) = stack.pop() {
        if std::mem::replace(&mut seen[pc as usize], true) {
            continue;
        }
        match p.insts[pc as usize] {
            Inst::Set { set: s, .. } => set = set.or(&p.sets[s as usize]),
            Inst::Split(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            Inst::Open { next, .. } | Inst::Close { next, .. } | Inst::Look { next, .. } => {
                stack.push(next)
            }
            Inst::BackRef { .. } | Inst::Match => return None,
        }
    }
    Some(set)
}

/// A literal that every match must contain, among the runs of literal bytes along the
/// top-level sequence (single-byte sets; case-folded sets do not count): the longest, up to 3
/// bytes (memmem is fast on any such), then the one whose rarest byte is rarest in text (`x`
/// rather than `b` in `b.*x`). One byte is enough: memchr finds it (`^.*x`: lines without an
/// `x` are never looked at).
fn required_literal(n: &Node) -> Option<Vec<u8>> {
    let mut runs: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let walk = |n: &Node, cur: &mut Vec<u8>, runs: &mut Vec<Vec<u8>>| match n {
        Node::Set(s) if s.single().is_some() => cur.extend(s.single()),
        Node::Look(_) => {}
        _ => {
            if !cur.is_empty() {
                runs.push(std::mem::take(cur));
            }
        }
    };
    match n {
        Node::Cat(v) => {
            for x in v {
                match x {
                    Node::Group { body, .. } if matches!(**body, Node::Set(_)) => {
                        walk(body, &mut cur, &mut runs)
                    }
                    Node::Repeat { node, min, .. } if *min >= 1 => {
                        // The first copy is required, but what follows is not adjacent.
                        walk(node, &mut cur, &mut runs);
                        walk(&Node::Empty, &mut cur, &mut runs);
                    }
                    _ => walk(x, &mut cur, &mut runs),
                }
            }
        }
        x => walk(x, &mut cur, &mut runs),
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    let rarest = |l: &[u8]| l.iter().map(|&b| text_rank(b)).min().unwrap_or(0);
    let mut best: Option<Vec<u8>> = None;
    for r in runs {
        let better = match &best {
            None => true,
            Some(b) => {
                let (lr, lb) = (r.len().min(3), b.len().min(3));
                lr > lb
                    || (lr == lb
                        && (rarest(&r) < rarest(b)
                            || (r.len() > b.len() && rarest(&r) == rarest(b))))
            }
        };
        if better {
            best = Some(r);
        }
    }
    best
}

/// How common a byte is in text (higher: more common): space, then lower-case letters in
/// English order, digits, upper-case, punctuation; control and high bytes rarest.
fn text_rank(b: u8) -> u8 {
    const LOWER: &[u8; 26] = b"zqjxkvbpygfwmucldrhsnioate";
    match b {
        b' ' => 255,
        b'a'..=b'z' => 200 + LOWER.iter().position(|&c| c == b).unwrap_or(0) as u8,
        b'0'..=b'9' => 150,
        b'A'..=b'Z' => 120,
        b'\n' | b'\t' => 110,
        0x21..=0x7e => 100,
        _ => 50,
    }
}

/// The pattern as a plain literal of at least one byte, if it is one.
fn whole_literal(n: &Node) -> Option<Vec<u8>> {
    match n {
        Node::Set(s) => Some(vec![s.single()?]),
        Node::Cat(v) => v
            .iter()
            .map(|x| match x {
                Node::Set(s) => s.single(),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}
