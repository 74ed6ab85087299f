//! Matching: the prefilters, the NFA simulation for leftmost-longest spans, glibc's sub-match
//! walk, and the bounded backtracker for back-references.

use super::dfa::{Dfa, DEAD};
use super::prog::{Inst, Prog};
use super::{is_word, Look, NOTBOL, NOTEOL};

/// The subject with its context flags.
#[derive(Clone, Copy)]
struct Inp<'h> {
    hay: &'h [u8],
    notbol: bool,
    noteol: bool,
    nl: bool,
}

/// What an assertion says at a position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lk {
    No,
    Yes,
    /// glibc's `$` before a newline the match goes on to consume: its DFA lets a
    /// next-newline constraint through whenever the next byte taken is '\n', whatever
    /// REG_NEWLINE says (so `a$\nb` matches "a\nb"); the path must then consume.
    IfConsumed,
}

impl Inp<'_> {
    /// Assertion `l` at `i` for a match that started at `s`.
    #[inline]
    fn look(&self, l: Look, i: usize, s: usize) -> Lk {
        let h = self.hay;
        let pw = i > 0 && is_word(h[i - 1]);
        let nw = i < h.len() && is_word(h[i]);
        let yes = match l {
            Look::Bol => {
                if i == 0 {
                    !self.notbol
                } else {
                    // glibc: after a newline the match itself consumed, `^` holds even
                    // without REG_NEWLINE (its DFA enters newline context on '\n').
                    h[i - 1] == b'\n' && (self.nl || i > s)
                }
            }
            Look::Eol => {
                if i == h.len() {
                    !self.noteol
                } else if h[i] == b'\n' {
                    if self.nl {
                        true
                    } else {
                        return Lk::IfConsumed;
                    }
                } else {
                    false
                }
            }
            Look::BufStart => i == 0,
            Look::BufEnd => i == h.len(),
            Look::WordStart => !pw && nw,
            Look::WordEnd => pw && !nw,
            Look::InsideWord => pw && nw,
            Look::InsideNotWord => !pw && !nw,
        };
        if yes {
            Lk::Yes
        } else {
            Lk::No
        }
    }
}

/// A set of program counters in insertion order, with each one's match start.
struct Threads {
    dense: Vec<u32>,
    sparse: Vec<u32>,
    start: Vec<usize>,
}

impl Threads {
    fn new(n: usize) -> Threads {
        Threads {
            dense: Vec::with_capacity(n),
            sparse: vec![0; n],
            start: vec![0; n],
        }
    }
    #[inline]
    fn contains(&self, pc: u32) -> bool {
        let i = self.sparse[pc as usize] as usize;
        i < self.dense.len() && self.dense[i] == pc
    }
    #[inline]
    fn insert(&mut self, pc: u32, start: usize) {
        self.sparse[pc as usize] = self.dense.len() as u32;
        self.dense.push(pc);
        self.start[pc as usize] = start;
    }
    fn clear(&mut self) {
        self.dense.clear();
    }
}

/// Most steps the backtracker takes from one start position before it gives that start up
/// (back-references only; glibc would take exponential time there), ...
const BACKTRACK_BUDGET: u64 = 1_000_000;
/// ... and for a whole search, plus this many per subject byte.
const SEARCH_BUDGET: u64 = 10_000_000;
const SEARCH_BUDGET_PER_BYTE: u64 = 64;

type Regs = Vec<(isize, isize)>;

/// Scratch space for matching one [`Prog`]: reuse it across subjects.
pub struct Matcher<'r> {
    prog: &'r Prog,
    clist: Threads,
    nlist: Threads,
    stack: Vec<(u32, bool)>,
    tseen: Vec<u32>,
    gen: u32,
    ok: Vec<u64>,
    dfa: Option<Box<Dfa>>,
    /// How many bytes can start a match, and the first three of them (memchr's fast paths).
    first_bytes: (u32, u8, u8, u8),
    /// Skips to a possible match start so far, and the bytes they jumped: when the jumps are
    /// short (a start byte that is frequent, as a vowel class in text), stepping the DFA is
    /// cheaper than searching and restarting, so skipping stops (see `dfa_run`).
    skips: std::cell::Cell<(u32, u64)>,
    /// Scratch window for case-folded literal search.
    fold: Vec<u8>,
    /// [`next_line`](Self::next_line)'s record: candidate lines the required literal led to,
    /// and the bytes it jumped over to reach them (few bytes per line: the literal is on
    /// nearly every line and the engine runs over the buffer instead).
    lines: (u64, u64),
}

impl<'r> Matcher<'r> {
    pub(crate) fn new(prog: &'r Prog) -> Matcher<'r> {
        let n = prog.insts.len();
        Matcher {
            prog,
            clist: Threads::new(n),
            nlist: Threads::new(n),
            stack: Vec::new(),
            tseen: vec![0; n],
            gen: 0,
            ok: Vec::new(),
            dfa: None,
            first_bytes: first_bytes(prog),
            skips: std::cell::Cell::new((0, 0)),
            fold: Vec::new(),
            lines: (0, 0),
        }
    }

    fn inp<'h>(&self, hay: &'h [u8], eflags: u32) -> Inp<'h> {
        Inp {
            hay,
            notbol: eflags & NOTBOL != 0,
            noteol: eflags & NOTEOL != 0,
            nl: self.prog.newline_anchor,
        }
    }

    /// Whether there is a match starting at or after `start`.
    pub fn is_match(&mut self, hay: &[u8], start: usize) -> bool {
        self.is_match_flags(hay, start, 0)
    }

    pub fn is_match_flags(&mut self, hay: &[u8], start: usize, eflags: u32) -> bool {
        if start > hay.len() || !self.prefilter(&hay[start..]) {
            return false;
        }
        if let Some(f) = &self.prog.literal {
            return f.find(&hay[start..]).is_some();
        }
        if self.prog.folded.is_some() {
            return self.folded_find(hay, start).is_some();
        }
        let inp = self.inp(hay, eflags);
        if self.prog.backrefs {
            return self.bt_search(inp, start, None).is_some();
        }
        if self.dfa_thrashing() {
            return self.pike(inp, start, true, false).is_some();
        }
        self.dfa_scan(hay, start, eflags, false, true).is_some()
    }

    /// The leftmost-longest match at or after `start`.
    pub fn find_at(&mut self, hay: &[u8], start: usize, eflags: u32) -> Option<(usize, usize)> {
        if start > hay.len() || !self.prefilter(&hay[start..]) {
            return None;
        }
        if let Some(f) = &self.prog.literal {
            return f
                .find(&hay[start..])
                .map(|p| (start + p, start + p + f.needle().len()));
        }
        if let Some(f) = &self.prog.folded {
            let n = f.needle().len();
            return self.folded_find(hay, start).map(|p| (p, p + n));
        }
        let inp = self.inp(hay, eflags);
        if self.prog.backrefs {
            return self.bt_search(inp, start, None);
        }
        if self.dfa_thrashing() {
            return self.pike(inp, start, false, false);
        }
        self.dfa_find(hay, start, eflags, false)
    }

    /// Where some match ends, at or after `start`, found as cheaply as possible (the first
    /// match end the DFA meets, not the leftmost-longest match): line tools use it to find
    /// the next line holding a match in a buffer of lines, then look at that line alone.
    pub fn some_match_end(&mut self, hay: &[u8], start: usize, eflags: u32) -> Option<usize> {
        if start > hay.len() || !self.prefilter(&hay[start..]) {
            return None;
        }
        if let Some(f) = &self.prog.literal {
            return f.find(&hay[start..]).map(|p| start + p + f.needle().len());
        }
        if let Some(f) = &self.prog.folded {
            let n = f.needle().len();
            return self.folded_find(hay, start).map(|p| p + n);
        }
        let inp = self.inp(hay, eflags);
        if self.prog.backrefs {
            return self.bt_search(inp, start, None).map(|m| m.1);
        }
        if self.dfa_thrashing() {
            return self.pike(inp, start, true, false).map(|m| m.1);
        }
        self.dfa_scan(hay, start, eflags, false, true)
    }

    /// For line tools searching a buffer of lines ended by `eol` (the pattern compiled by
    /// [`Regex::for_lines`](super::Regex::for_lines), so no match spans two lines): the first
    /// line at or after `pos` (a line start) that holds a match, as its start and the index of
    /// its `eol` (`hay.len()` for a last line without one). With a literal every match must
    /// contain (GNU grep's "must" string: `x` in `^.*x`), memmem finds the next line holding
    /// it and the engine looks at that line alone; lines without it are never matched.
    /// Otherwise, or when the literal turns out to be on nearly every line, the engine runs
    /// over the buffer. Lines are matched as their own subject, as GNU grep does (`` \` ``
    /// and `\'` at each line's ends; the caller keeps patterns with those on its per-line
    /// path so both ways agree).
    pub fn next_line(&mut self, hay: &[u8], pos: usize, eol: u8) -> Option<(usize, usize)> {
        let mut pos = pos;
        while pos < hay.len() {
            let (cands, jumped) = self.lines;
            let req = match &self.prog.required {
                Some(f) if self.prog.literal.is_none() && (cands < 256 || jumped >= 32 * cands) => {
                    f
                }
                _ => {
                    let e = self.some_match_end(hay, pos, 0)?;
                    let ls = memchr::memrchr(eol, &hay[pos..e]).map_or(pos, |i| pos + i + 1);
                    let le = memchr::memchr(eol, &hay[e..]).map_or(hay.len(), |i| e + i);
                    return Some((ls, le));
                }
            };
            let q = pos + req.find(&hay[pos..])?;
            let ls = memchr::memrchr(eol, &hay[pos..q]).map_or(pos, |i| pos + i + 1);
            let le = memchr::memchr(eol, &hay[q..]).map_or(hay.len(), |i| q + i);
            self.lines = (cands + 1, jumped + (ls - pos) as u64);
            if self.some_match_end(&hay[ls..le], 0, 0).is_some() {
                return Some((ls, le));
            }
            pos = le + 1;
        }
        None
    }

    /// A case-folded literal (`prog.folded`) at or after `start`: the subject is lower-cased
    /// into a scratch window and searched by memmem. The window starts small and doubles: a
    /// caller looking for every match (`grep -ci the`, a match on nearly every line) would
    /// otherwise fold a whole first window per match (4 KiB for each 50-byte line: 5x GNU).
    fn folded_find(&mut self, hay: &[u8], start: usize) -> Option<usize> {
        let f = self.prog.folded.as_ref()?;
        let n = f.needle().len();
        let mut at = start;
        let mut w = 128usize.max(2 * n);
        loop {
            if at + n > hay.len() {
                return None;
            }
            let end = (at + w).min(hay.len());
            let src = &hay[at..end];
            fold_ascii(src, &mut self.fold);
            if let Some(p) = f.find(&self.fold[..src.len()]) {
                return Some(at + p);
            }
            if end == hay.len() {
                return None;
            }
            at = end + 1 - n;
            w = (w * 2).min((1 << 18).max(2 * n));
        }
    }

    /// The match and its sub-matches, as `regexec` reports them in `pmatch`.
    pub fn captures_at(
        &mut self,
        hay: &[u8],
        start: usize,
        eflags: u32,
        caps: &mut [Option<(usize, usize)>],
    ) -> bool {
        self.captures(hay, start, eflags, caps, false)
    }

    /// GNU's `re_match`: the longest match starting exactly at `start` (expr's `:`), with its
    /// sub-matches in `caps` as [`captures_at`](Self::captures_at) gives them.
    pub fn match_at(
        &mut self,
        hay: &[u8],
        start: usize,
        eflags: u32,
        caps: &mut [Option<(usize, usize)>],
    ) -> bool {
        self.captures(hay, start, eflags, caps, true)
    }

    fn captures(
        &mut self,
        hay: &[u8],
        start: usize,
        eflags: u32,
        caps: &mut [Option<(usize, usize)>],
        anchored: bool,
    ) -> bool {
        for c in caps.iter_mut() {
            *c = None;
        }
        if start > hay.len() || !self.prefilter(&hay[start..]) {
            return false;
        }
        let inp = self.inp(hay, eflags);
        let mut regs: Regs = vec![(-1, -1); self.prog.nsub + 1];
        let want_subs = caps.len() > 1 && self.prog.nsub > 0 && !self.prog.nosub;
        let (s, e) = if self.prog.backrefs {
            let r = if anchored {
                let mut budget = BACKTRACK_BUDGET;
                self.backtrack(inp, start, None, None, &mut budget)
                    .map(|e| {
                        if want_subs {
                            self.backtrack(inp, start, Some(e), Some(&mut regs), &mut budget);
                        }
                        (start, e)
                    })
            } else {
                self.bt_search(inp, start, want_subs.then_some(&mut regs))
            };
            match r {
                Some(m) => m,
                None => return false,
            }
        } else {
            let m = if self.dfa_thrashing() {
                self.pike(inp, start, false, anchored)
            } else {
                self.dfa_find(hay, start, eflags, anchored)
            };
            let Some((s, e)) = m else {
                return false;
            };
            if want_subs {
                self.walk(inp, s, e, &mut regs);
            }
            (s, e)
        };
        if let Some(c) = caps.first_mut() {
            *c = Some((s, e));
        }
        if want_subs {
            for (i, c) in caps.iter_mut().enumerate().skip(1) {
                if i > self.prog.nsub {
                    break;
                }
                let g = self.prog.alias[i - 1] + 1;
                let (so, eo) = regs[g];
                if so >= 0 && eo >= 0 {
                    *c = Some((so as usize, eo as usize));
                }
            }
        }
        true
    }

    /// Whether the DFA has flushed its cache so often that the NFA simulation is better.
    fn dfa_thrashing(&self) -> bool {
        self.dfa.as_ref().is_some_and(|d| d.flushes > 16)
    }

    /// Run the DFA from `start`: unanchored with `first`, the end of the first match seen;
    /// otherwise (anchored at `start`) the end of the longest match.
    fn dfa_scan(
        &mut self,
        hay: &[u8],
        start: usize,
        eflags: u32,
        anchored: bool,
        first: bool,
    ) -> Option<usize> {
        let prog = self.prog;
        let mut dfa = self.dfa.take().unwrap_or_else(|| Box::new(Dfa::new(prog)));
        let r = self.dfa_run(&mut dfa, hay, start, eflags, anchored, first);
        self.dfa = Some(dfa);
        r
    }

    fn dfa_run(
        &self,
        dfa: &mut Dfa,
        hay: &[u8],
        start: usize,
        eflags: u32,
        anchored: bool,
        first: bool,
    ) -> Option<usize> {
        let prog = self.prog;
        let mut sid = dfa.start_state(prog, hay, start, eflags, anchored);
        let mut last = None;
        let (n_skips, n_bytes) = self.skips.get();
        let mut can_skip =
            !anchored && prog.first.is_some() && (n_skips < 256 || n_bytes >= 16 * n_skips as u64);
        let mut i = start;
        while i < hay.len() {
            if can_skip && dfa.is_idle(sid) {
                // No match under way: jump to the next byte one can start with.
                let j = self.skip(hay, i);
                let (k, b) = self.skips.get();
                self.skips.set((k.saturating_add(1), b + (j - i) as u64));
                if k >= 256 && b < 16 * k as u64 {
                    can_skip = false;
                }
                if j >= hay.len() {
                    return last;
                }
                if j > i {
                    i = j;
                    sid = dfa.start_state(prog, hay, i, eflags, false);
                }
            }
            let before = i;
            (sid, i) = dfa.run_known(sid, hay, i, can_skip);
            if i >= hay.len() {
                break;
            }
            if i > before && can_skip && dfa.is_idle(sid) {
                continue;
            }
            let (n, m) = dfa.step(prog, sid, Some(hay[i]));
            if m {
                last = Some(i);
                if first {
                    return last;
                }
            }
            if n == DEAD {
                return last;
            }
            sid = n;
            i += 1;
        }
        let (_, m) = dfa.step(prog, sid, None);
        if m {
            last = Some(hay.len());
        }
        last
    }

    /// The leftmost-longest match by DFA: the first match end found unanchored bounds the
    /// leftmost start; each candidate start is then tried anchored, longest.
    fn dfa_find(
        &mut self,
        hay: &[u8],
        start: usize,
        eflags: u32,
        anchored: bool,
    ) -> Option<(usize, usize)> {
        if anchored {
            return self
                .dfa_scan(hay, start, eflags, true, false)
                .map(|e| (start, e));
        }
        let e1 = self.dfa_scan(hay, start, eflags, false, true)?;
        let mut s = start;
        while s <= e1 {
            s = self.skip(hay, s).min(e1);
            if let Some(e) = self.dfa_scan(hay, s, eflags, true, false) {
                return Some((s, e));
            }
            s += 1;
        }
        None
    }

    /// A literal every match contains must be there. Not for one byte: it is nearly always
    /// in the rest of a buffer, and a search per call cost grep -c '^.*e' 25% (one byte is
    /// for [`next_line`](Self::next_line), which uses where it is).
    fn prefilter(&self, hay: &[u8]) -> bool {
        match &self.prog.required {
            Some(f) if f.needle().len() >= 2 => f.find(hay).is_some(),
            _ => true,
        }
    }

    /// The next position at or after `i` where a match can start.
    #[inline]
    fn skip(&self, hay: &[u8], i: usize) -> usize {
        let Some(first) = &self.prog.first else {
            return i;
        };
        if i >= hay.len() {
            return hay.len();
        }
        let found = match self.first_bytes {
            (0, ..) => None,
            (1, a, ..) => memchr::memchr(a, &hay[i..]),
            (2, a, b, _) => memchr::memchr2(a, b, &hay[i..]),
            (3, a, b, c) => memchr::memchr3(a, b, c, &hay[i..]),
            _ => {
                return hay[i..]
                    .iter()
                    .position(|&b| first.contains(b))
                    .map_or(hay.len(), |p| i + p)
            }
        };
        found.map_or(hay.len(), |p| i + p)
    }

    /// Follow the epsilon transitions from `pc` at position `i`, adding threads to `list`.
    fn add(&mut self, inp: Inp, nlist: bool, pc: u32, i: usize, start: usize) {
        let prog = self.prog;
        let list = if nlist {
            &mut self.nlist
        } else {
            &mut self.clist
        };
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            self.tseen.iter_mut().for_each(|x| *x = 0);
            self.gen = 1;
        }
        self.stack.push((pc, false));
        while let Some((pc, taint)) = self.stack.pop() {
            let inst = prog.insts[pc as usize];
            if taint {
                // Past a `$` that needs the next byte consumed: no match here.
                if self.tseen[pc as usize] == self.gen {
                    continue;
                }
                self.tseen[pc as usize] = self.gen;
                if let Inst::Set { .. } = inst {
                    if !list.contains(pc) {
                        list.insert(pc, start);
                    }
                    continue;
                }
            } else {
                if list.contains(pc) {
                    continue;
                }
                list.insert(pc, start);
            }
            match inst {
                Inst::Split(a, b) => {
                    self.stack.push((b, taint));
                    self.stack.push((a, taint));
                }
                Inst::Open { next, .. } | Inst::Close { next, .. } => {
                    self.stack.push((next, taint))
                }
                Inst::Look { look, next } => match inp.look(look, i, start) {
                    Lk::Yes => self.stack.push((next, taint)),
                    Lk::IfConsumed => self.stack.push((next, true)),
                    Lk::No => {}
                },
                _ => {}
            }
        }
    }

    /// NFA simulation: the leftmost-longest match (or, with `any`, the first match seen):
    /// used when the DFA's states keep overflowing its cache.
    fn pike(
        &mut self,
        inp: Inp,
        start: usize,
        any: bool,
        anchored: bool,
    ) -> Option<(usize, usize)> {
        let prog = self.prog;
        let hay = inp.hay;
        let mut best: Option<(usize, usize)> = None;
        self.clist.clear();
        let mut i = start;
        loop {
            if best.is_none() && (!anchored || i == start) {
                if self.clist.dense.is_empty() && !anchored {
                    i = self.skip(hay, i);
                    if i >= hay.len() && prog.first.is_some() {
                        return None;
                    }
                }
                self.add(inp, false, prog.start, i, i);
            }
            if self.clist.dense.is_empty() {
                break;
            }
            self.nlist.clear();
            let byte = hay.get(i).copied();
            for k in 0..self.clist.dense.len() {
                let pc = self.clist.dense[k];
                let st = self.clist.start[pc as usize];
                if let Some((bs, _)) = best {
                    if st > bs {
                        break;
                    }
                }
                match prog.insts[pc as usize] {
                    Inst::Match => {
                        if any {
                            return Some((st, i));
                        }
                        match best {
                            Some((bs, be)) if bs < st || (bs == st && be >= i) => {}
                            _ => best = Some((st, i)),
                        }
                    }
                    Inst::Set { set, next } => {
                        if let Some(b) = byte {
                            if prog.sets[set as usize].contains(b) {
                                self.add(inp, true, next, i + 1, st);
                            }
                        }
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut self.clist, &mut self.nlist);
            if i >= hay.len() {
                break;
            }
            i += 1;
        }
        best
    }

    /// glibc's set_regs for a match [s, e] without back-references: mark, backwards, which
    /// (instruction, position) pairs can still end the match at `e`; then walk forward from
    /// the start taking at each fork the first branch that can (update_regs on the way).
    fn walk(&mut self, inp: Inp, s: usize, e: usize, regs: &mut Regs) {
        let prog = self.prog;
        let m = prog.insts.len();
        let w = e - s + 1;
        let words = (m * w).div_ceil(64);
        self.ok.clear();
        self.ok.resize(words, 0);
        let ok = &mut self.ok;
        let get = |ok: &Vec<u64>, p: usize, pc: usize| {
            let bit = (p - s) * m + pc;
            ok[bit >> 6] & (1 << (bit & 63)) != 0
        };
        let set = |ok: &mut Vec<u64>, p: usize, pc: usize| {
            let bit = (p - s) * m + pc;
            ok[bit >> 6] |= 1 << (bit & 63);
        };
        let hay = inp.hay;
        let mut work: Vec<u32> = Vec::new();
        for p in (s..=e).rev() {
            for (pc, inst) in prog.insts.iter().enumerate() {
                let yes = match *inst {
                    Inst::Set { set: st, next } => {
                        p < e
                            && prog.sets[st as usize].contains(hay[p])
                            && get(ok, p + 1, next as usize)
                    }
                    Inst::Match => p == e,
                    _ => false,
                };
                if yes {
                    set(ok, p, pc);
                    work.push(pc as u32);
                }
            }
            while let Some(q) = work.pop() {
                for &r in &prog.eps_pred[q as usize] {
                    if get(ok, p, r as usize) {
                        continue;
                    }
                    if let Inst::Look { look, .. } = prog.insts[r as usize] {
                        if inp.look(look, p, s) == Lk::No {
                            continue;
                        }
                    }
                    set(ok, p, r as usize);
                    work.push(r);
                }
            }
        }
        // The forward walk.
        let mut prev = regs.clone();
        let mut eps_via = vec![false; m];
        let mut eps_list: Vec<u32> = Vec::new();
        let (mut pc, mut idx) = (prog.start, s);
        if !get(ok, s, pc as usize) {
            return;
        }
        loop {
            update_regs(prog, regs, &mut prev, pc, idx);
            let inst = prog.insts[pc as usize];
            if idx == e && matches!(inst, Inst::Match) {
                return;
            }
            let cands: [u32; 2];
            let n;
            match inst {
                Inst::Set { next, .. } => {
                    for &x in &eps_list {
                        eps_via[x as usize] = false;
                    }
                    eps_list.clear();
                    idx += 1;
                    pc = next;
                    continue;
                }
                Inst::Match | Inst::BackRef { .. } => return,
                Inst::Split(a, b) => {
                    cands = [a, b];
                    n = 2;
                }
                Inst::Open { next, .. } | Inst::Close { next, .. } | Inst::Look { next, .. } => {
                    cands = [next, next];
                    n = 1;
                }
            }
            if !eps_via[pc as usize] {
                eps_via[pc as usize] = true;
                eps_list.push(pc);
            }
            let mut dest: Option<u32> = None;
            for &c in &cands[..n] {
                if !get(ok, idx, c as usize) {
                    continue;
                }
                match dest {
                    None => dest = Some(c),
                    Some(d) => {
                        if eps_via[d as usize] {
                            dest = Some(c);
                        }
                        break;
                    }
                }
            }
            match dest {
                Some(d) => pc = d,
                None => return,
            }
        }
    }

    /// Back-references: for each start, the longest end any path reaches, then the first
    /// path in priority order to that end for the sub-matches.
    fn bt_search(
        &mut self,
        inp: Inp,
        start: usize,
        regs: Option<&mut Regs>,
    ) -> Option<(usize, usize)> {
        let hay = inp.hay;
        let mut total = SEARCH_BUDGET + SEARCH_BUDGET_PER_BYTE * (hay.len() - start) as u64;
        let mut s = start;
        loop {
            s = self.skip(hay, s);
            if s > hay.len() || (s == hay.len() && self.prog.first.is_some()) {
                return None;
            }
            let mut budget = BACKTRACK_BUDGET.min(total);
            let before = budget;
            let found = self.backtrack(inp, s, None, None, &mut budget);
            total -= before - budget;
            if let Some(e) = found {
                if let Some(r) = regs {
                    let mut b = BACKTRACK_BUDGET;
                    self.backtrack(inp, s, Some(e), Some(r), &mut b);
                }
                return Some((s, e));
            }
            if total == 0 || s >= hay.len() {
                return None;
            }
            s += 1;
        }
    }

    /// Depth-first over the paths from `s` in priority order. Without `target`: the longest
    /// end reached. With it: the first path ending there, its registers left in `out`.
    fn backtrack(
        &mut self,
        inp: Inp,
        s: usize,
        target: Option<usize>,
        out: Option<&mut Regs>,
        budget: &mut u64,
    ) -> Option<usize> {
        let prog = self.prog;
        let hay = inp.hay;
        let m = prog.insts.len() as u32;
        struct Frame {
            pc: u32,
            idx: usize,
            eps: u32,
            taint: bool,
            regs: Regs,
            prev: Regs,
        }
        let mut regs: Regs = vec![(-1, -1); prog.nsub + 1];
        let mut prev = regs.clone();
        let mut stack: Vec<Frame> = Vec::new();
        let mut best: Option<usize> = None;
        let (mut pc, mut idx, mut eps, mut taint) = (prog.start, s, 0u32, false);
        loop {
            let mut alive = true;
            if *budget == 0 {
                return best;
            }
            *budget -= 1;
            update_regs(prog, &mut regs, &mut prev, pc, idx);
            match prog.insts[pc as usize] {
                Inst::Match if taint => alive = false,
                Inst::Match => {
                    match target {
                        Some(t) if t == idx => {
                            if let Some(o) = out {
                                *o = regs;
                            }
                            return Some(idx);
                        }
                        Some(_) => {}
                        None => {
                            if best.is_none_or(|b| idx > b) {
                                best = Some(idx);
                            }
                            if idx == hay.len() {
                                return best;
                            }
                        }
                    }
                    alive = false;
                }
                Inst::Set { set, next } => {
                    if idx < hay.len()
                        && prog.sets[set as usize].contains(hay[idx])
                        && target.is_none_or(|t| idx < t)
                    {
                        idx += 1;
                        eps = 0;
                        taint = false;
                        pc = next;
                    } else {
                        alive = false;
                    }
                }
                Inst::BackRef { group, next } => {
                    let (so, eo) = regs[group as usize + 1];
                    if so < 0 || eo < 0 {
                        alive = false;
                    } else {
                        let sub = &hay[so as usize..eo as usize];
                        let len = sub.len();
                        let fits = idx + len <= hay.len()
                            && target.is_none_or(|t| idx + len <= t)
                            && eq_fold(sub, &hay[idx..idx + len], prog.icase);
                        if fits {
                            idx += len;
                            eps = if len == 0 { eps + 1 } else { 0 };
                            taint &= len == 0;
                            pc = next;
                        } else {
                            alive = false;
                        }
                    }
                }
                Inst::Split(a, b) => {
                    eps += 1;
                    if eps > m {
                        alive = false;
                    } else {
                        stack.push(Frame {
                            pc: b,
                            idx,
                            eps,
                            taint,
                            regs: regs.clone(),
                            prev: prev.clone(),
                        });
                        pc = a;
                    }
                }
                Inst::Open { next, .. } | Inst::Close { next, .. } => {
                    eps += 1;
                    pc = next;
                }
                Inst::Look { look, next } => {
                    eps += 1;
                    match inp.look(look, idx, s) {
                        Lk::Yes => pc = next,
                        Lk::IfConsumed => {
                            taint = true;
                            pc = next;
                        }
                        Lk::No => alive = false,
                    }
                }
            }
            if !alive {
                let Some(f) = stack.pop() else {
                    return if target.is_none() { best } else { None };
                };
                pc = f.pc;
                idx = f.idx;
                eps = f.eps;
                taint = f.taint;
                regs = f.regs;
                prev = f.prev;
            }
        }
    }
}

/// `src` with ASCII upper-case letters lowered, into the start of `dst`: eight bytes at a time (SWAR; the
/// crate is built for size, where the compiler does not vectorise byte loops).
fn fold_ascii(src: &[u8], dst: &mut Vec<u8>) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Grown once and kept: refilling it with zeros on every call cost as much as the search.
    if dst.len() < src.len() {
        dst.resize(src.len(), 0);
    }
    let dst = &mut dst[..src.len()];
    let mut words = src.chunks_exact(8);
    let mut outs = dst.chunks_exact_mut(8);
    for (w, o) in (&mut words).zip(&mut outs) {
        let v = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let h = v & (0x7f * ONES);
        let ge_a = h + (0x80 - 0x41) * ONES;
        let gt_z = h + (0x80 - 0x5b) * ONES;
        let upper = ge_a & !gt_z & !v & (0x80 * ONES);
        let r = (v | (upper >> 2)).to_le_bytes();
        o[0] = r[0];
        o[1] = r[1];
        o[2] = r[2];
        o[3] = r[3];
        o[4] = r[4];
        o[5] = r[5];
        o[6] = r[6];
        o[7] = r[7];
    }
    for (o, &c) in outs.into_remainder().iter_mut().zip(words.remainder()) {
        *o = c.to_ascii_lowercase();
    }
}

fn eq_fold(a: &[u8], b: &[u8], icase: bool) -> bool {
    if icase {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// glibc's update_regs, including its rule for empty passes through an optional group
/// (`(a?)*`: an empty last iteration does not overwrite a non-empty earlier one).
#[inline]
fn update_regs(prog: &Prog, regs: &mut Regs, prev: &mut Regs, pc: u32, idx: usize) {
    match prog.insts[pc as usize] {
        Inst::Open { group, .. } => {
            let r = group as usize + 1;
            regs[r] = (idx as isize, -1);
        }
        Inst::Close { group, opt, .. } => {
            let r = group as usize + 1;
            if regs[r].0 < idx as isize {
                regs[r].1 = idx as isize;
                prev.clone_from(regs);
            } else if opt && prev[r].0 != -1 {
                regs.clone_from(prev);
            } else {
                regs[r].1 = idx as isize;
            }
        }
        _ => {}
    }
}

fn first_bytes(prog: &Prog) -> (u32, u8, u8, u8) {
    let Some(f) = &prog.first else {
        return (u32::MAX, 0, 0, 0);
    };
    let n = f.count();
    let mut v = (0..=255u8).filter(|&b| f.contains(b));
    let a = v.next().unwrap_or(0);
    let b = v.next().unwrap_or(a);
    let c = v.next().unwrap_or(b);
    (n, a, b, c)
}
