//! A lazy DFA over the NFA program, for patterns without back-references: states are sets
//! of NFA positions built on first use and cached (bounded: the cache is flushed when full),
//! one table lookup per subject byte. Assertions are decided on each transition, when both
//! the previous byte (kept in the state's flags) and the next byte (the one consumed, or the
//! end of the subject) are known — RE2's scheme — so `^ $ \b \< \>` and glibc's newline
//! corners cost nothing extra.

use std::collections::HashMap;

use super::prog::{Inst, Prog};
use super::{is_word, Look};

// State flags.
const PREV_WORD: u8 = 1;
const PREV_NL: u8 = 2;
const AT_ZERO: u8 = 4;
/// The state's positions are at the start of their match (nothing consumed yet).
const FRESH: u8 = 8;
/// A match may start at every position: the start is added on each transition.
const UNANCHORED: u8 = 16;
const NOTBOL: u8 = 32;
const NOTEOL: u8 = 64;

/// The dead state: no match can follow.
pub(crate) const DEAD: u32 = 0;
/// At most this many cached states before the cache is flushed.
const MAX_STATES: usize = 4096;

// State handles outside this file are row offsets (`id << shift`): the hot loop goes from
// a transition to the next row with one shift. The dead state is 0 either way.
// A transition: the next state's row offset above these bits. One test of the low bits sends every
// byte that is not a plain step out of the hot loop.
/// A match ends before the byte.
const T_MATCH: u32 = 1;
/// The next state is dead, or the transition is not computed yet.
const T_STOP: u32 = 2;
/// The next state is idle (see [`Dfa::is_idle`]).
const T_IDLE: u32 = 4;
/// The transition is known.
const T_KNOWN: u32 = 8;
const T_SHIFT: u32 = 4;
const T_UNKNOWN: u32 = T_STOP;

pub(crate) struct Dfa {
    /// Byte -> equivalence class; class `end` is the end of the subject.
    classes: [u16; 256],
    end: usize,
    /// A state's row of transitions is `1 << shift` wide (a power of two: the row of state
    /// `sid` starts at `sid << shift`, no multiplication in the hot loop).
    shift: u32,
    states: Vec<(Box<[u32]>, u8)>,
    map: HashMap<(Box<[u32]>, u8), u32>,
    /// trans[row | class]: the next row << T_SHIFT | the T_ bits.
    trans: Vec<u32>,
    seen: Vec<u32>,
    gen: u32,
    marks: Vec<u32>,
    stack: Vec<(u32, u8)>,
    next: Vec<u32>,
    /// How often the cache was flushed: when states keep overflowing it, the NFA
    /// simulation is faster (the matcher switches).
    pub(crate) flushes: u32,
    /// Start states by flags (0: not built yet).
    starts: [u32; 128],
    /// Per state: nothing under way (an unanchored state with no positions).
    idle: Vec<bool>,
}

impl Dfa {
    pub(crate) fn new(prog: &Prog) -> Dfa {
        // Classes: bytes no set, the word test or the newline test tell apart.
        let mut key: Vec<Vec<u64>> = vec![Vec::new(); 256];
        let mut tests: Vec<super::ByteSet> = prog.sets.clone();
        let mut w = super::ByteSet::default();
        for b in 0..=255u8 {
            if is_word(b) {
                w.insert(b);
            }
        }
        tests.push(w);
        let mut nl = super::ByteSet::default();
        nl.insert(b'\n');
        tests.push(nl);
        for (b, k) in key.iter_mut().enumerate() {
            k.resize(tests.len().div_ceil(64), 0);
            for (t, s) in tests.iter().enumerate() {
                if s.contains(b as u8) {
                    k[t / 64] |= 1 << (t % 64);
                }
            }
        }
        let mut ids: HashMap<&Vec<u64>, u16> = HashMap::new();
        let mut classes = [0u16; 256];
        for b in 0..256 {
            let n = ids.len() as u16;
            classes[b] = *ids.entry(&key[b]).or_insert(n);
        }
        let end = ids.len();
        let shift = (end + 1).next_power_of_two().trailing_zeros();
        let n = prog.insts.len();
        let mut d = Dfa {
            classes,
            end,
            shift,
            states: Vec::new(),
            map: HashMap::new(),
            trans: Vec::new(),
            seen: vec![0; n * 4],
            gen: 0,
            marks: vec![0; n],
            stack: Vec::new(),
            next: Vec::new(),
            flushes: 0,
            starts: [0; 128],
            idle: Vec::new(),
        };
        d.reset();
        d
    }

    fn reset(&mut self) {
        self.states.clear();
        self.map.clear();
        self.trans.clear();
        // State 0 is the dead state: every transition leads back to it.
        self.states.push((Box::new([]), 0));
        self.trans.resize(1 << self.shift, T_KNOWN | T_STOP);
        self.starts = [0; 128];
        self.idle.clear();
        self.idle.push(false);
    }

    #[inline(always)]
    pub(crate) fn is_idle(&self, sid: u32) -> bool {
        self.idle[(sid >> self.shift) as usize]
    }

    fn intern(&mut self, pcs: &[u32], flags: u8) -> u32 {
        if pcs.is_empty() && flags & UNANCHORED == 0 {
            return DEAD;
        }
        if let Some(&id) = self.map.get(&(pcs, flags) as &dyn KeyRef) {
            return id;
        }
        let id = self.states.len() as u32;
        let k: Box<[u32]> = pcs.into();
        self.states.push((k.clone(), flags));
        self.idle.push(pcs.is_empty());
        self.map.insert((k, flags), id);
        self.trans
            .resize(self.trans.len() + (1 << self.shift), T_UNKNOWN);
        id
    }

    /// The state a search from `start` begins in.
    pub(crate) fn start_state(
        &mut self,
        prog: &Prog,
        hay: &[u8],
        start: usize,
        eflags: u32,
        anchored: bool,
    ) -> u32 {
        let mut f = 0u8;
        if start == 0 {
            f |= AT_ZERO;
        } else {
            let p = hay[start - 1];
            if is_word(p) {
                f |= PREV_WORD;
            }
            if p == b'\n' {
                f |= PREV_NL;
            }
        }
        if eflags & super::NOTBOL != 0 {
            f |= NOTBOL;
        }
        if eflags & super::NOTEOL != 0 {
            f |= NOTEOL;
        }
        if !anchored {
            f |= UNANCHORED;
        }
        let slot = (f & !UNANCHORED) as usize | if anchored { 0 } else { 16 };
        if self.starts[slot] != 0 {
            return self.starts[slot];
        }
        let id = if anchored {
            self.intern(&[prog.start], f | FRESH)
        } else {
            self.intern(&[], f)
        } << self.shift;
        self.starts[slot] = id;
        id
    }

    /// Follow already-computed transitions from `sid` over `hay[i..]` as long as no match ends,
    /// the next state is not dead and (with `stop_idle`) not idle: (state, position). It stops
    /// before a byte whose transition is unknown, matches or dies ([`Dfa::step`] takes that
    /// one), and just after entering an idle state. The hot loop of every DFA scan: the table,
    /// the classes and the shift stay in registers (`step` may grow the table, so its caller
    /// reloads them for each byte), and one test of the transition's flag bits decides.
    #[inline]
    pub(crate) fn run_known(
        &self,
        mut sid: u32,
        hay: &[u8],
        mut i: usize,
        stop_idle: bool,
    ) -> (u32, usize) {
        let trans = &self.trans[..];
        let classes = &self.classes;
        let stop = if stop_idle {
            T_MATCH | T_STOP | T_IDLE
        } else {
            T_MATCH | T_STOP
        };
        while let Some(&b) = hay.get(i) {
            let Some(&t) = trans.get(sid as usize | classes[b as usize] as usize) else {
                break;
            };
            if t & stop != 0 {
                if t & (T_MATCH | T_STOP) == 0 {
                    // Into an idle state: take the byte, then stop.
                    sid = t >> T_SHIFT;
                    i += 1;
                }
                break;
            }
            sid = t >> T_SHIFT;
            i += 1;
        }
        (sid, i)
    }

    /// Follow `byte` (None: the end of the subject) from state `sid`: the next state and
    /// whether a match ends before the byte.
    #[inline(always)]
    pub(crate) fn step(&mut self, prog: &Prog, sid: u32, byte: Option<u8>) -> (u32, bool) {
        let class = match byte {
            Some(b) => self.classes[b as usize] as usize,
            None => self.end,
        };
        let t = self.trans[sid as usize | class];
        if t & T_KNOWN != 0 {
            return (t >> T_SHIFT, t & T_MATCH != 0);
        }
        self.compute(prog, sid, class, byte)
    }

    #[cold]
    fn compute(&mut self, prog: &Prog, sid: u32, class: usize, byte: Option<u8>) -> (u32, bool) {
        let (pcs, flags) = self.states[(sid >> self.shift) as usize].clone();
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            self.seen.iter_mut().for_each(|x| *x = 0);
            self.marks.iter_mut().for_each(|x| *x = 0);
            self.gen = 1;
        }
        let gen = self.gen;
        let nl_anchor = prog.newline_anchor;
        let fresh0 = flags & FRESH != 0;
        self.stack.clear();
        for &pc in pcs.iter().rev() {
            self.stack.push((pc, if fresh0 { 1 } else { 0 }));
        }
        if flags & UNANCHORED != 0 {
            self.stack.push((prog.start, 1));
        }
        self.next.clear();
        let mut matched = false;
        // Stack entries: (pc, bit 0 fresh, bit 1 tainted by a `$` that needs the byte).
        while let Some((pc, m)) = self.stack.pop() {
            let key = pc as usize * 4 + m as usize;
            if self.seen[key] == gen {
                continue;
            }
            self.seen[key] = gen;
            let fresh = m & 1 != 0;
            let taint = m & 2 != 0;
            match prog.insts[pc as usize] {
                Inst::Match => matched |= !taint,
                Inst::Set { set, next } => {
                    if let Some(b) = byte {
                        if prog.sets[set as usize].contains(b) && self.marks[next as usize] != gen {
                            self.marks[next as usize] = gen;
                            self.next.push(next);
                        }
                    }
                }
                Inst::Split(a, b) => {
                    self.stack.push((b, m));
                    self.stack.push((a, m));
                }
                Inst::Open { next, .. } | Inst::Close { next, .. } => self.stack.push((next, m)),
                Inst::Look { look, next } => {
                    let pw = flags & PREV_WORD != 0;
                    let nw = byte.is_some_and(is_word);
                    let zero = flags & AT_ZERO != 0;
                    let ok = match look {
                        Look::Bol => {
                            if zero {
                                flags & NOTBOL == 0
                            } else {
                                flags & PREV_NL != 0 && (nl_anchor || !fresh)
                            }
                        }
                        Look::Eol => match byte {
                            None => flags & NOTEOL == 0,
                            Some(b'\n') => {
                                if !nl_anchor && !taint {
                                    self.stack.push((next, m | 2));
                                }
                                nl_anchor
                            }
                            Some(_) => false,
                        },
                        Look::BufStart => zero,
                        Look::BufEnd => byte.is_none(),
                        Look::WordStart => !pw && nw,
                        Look::WordEnd => pw && !nw,
                        Look::InsideWord => pw && nw,
                        Look::InsideNotWord => !pw && !nw,
                    };
                    if ok {
                        self.stack.push((next, m));
                    }
                }
                Inst::BackRef { .. } => {}
            }
        }
        let nid = match byte {
            None => DEAD,
            Some(b) => {
                crate::common::sort::sort_u32(&mut self.next);
                let mut f = flags & (UNANCHORED | NOTBOL | NOTEOL);
                if is_word(b) {
                    f |= PREV_WORD;
                }
                if b == b'\n' {
                    f |= PREV_NL;
                }
                if self.states.len() >= MAX_STATES {
                    // Flush; the states in use are rebuilt as they are met again.
                    self.reset();
                    self.flushes += 1;
                    let next = std::mem::take(&mut self.next);
                    let id = self.intern(&next, f);
                    self.next = next;
                    return (id << self.shift, matched);
                }
                let next = std::mem::take(&mut self.next);
                let id = self.intern(&next, f);
                self.next = next;
                id
            }
        };
        let row = nid << self.shift;
        let mut t = row << T_SHIFT | T_KNOWN | matched as u32;
        if nid == DEAD {
            t |= T_STOP;
        } else if self.idle[nid as usize] {
            t |= T_IDLE;
        }
        self.trans[sid as usize | class] = t;
        (row, matched)
    }
}

/// Lets the map be queried with a borrowed `(&[u32], u8)`.
trait KeyRef {
    fn key(&self) -> (&[u32], u8);
}

impl KeyRef for (Box<[u32]>, u8) {
    fn key(&self) -> (&[u32], u8) {
        (&self.0, self.1)
    }
}

impl KeyRef for (&[u32], u8) {
    fn key(&self) -> (&[u32], u8) {
        (self.0, self.1)
    }
}

impl<'a> std::borrow::Borrow<dyn KeyRef + 'a> for (Box<[u32]>, u8) {
    fn borrow(&self) -> &(dyn KeyRef + 'a) {
        self
    }
}

impl PartialEq for dyn KeyRef + '_ {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}

impl Eq for dyn KeyRef + '_ {}

impl std::hash::Hash for dyn KeyRef + '_ {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.key().hash(h)
    }
}
