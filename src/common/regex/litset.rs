//! Many literals searched at once: `grep -f` with a list of words or ids (thousands of them),
//! and the literal prefilter of a list of many regexes. A combined alternation costs the lazy
//! DFA a state per trie node the subject walks through, so its cache thrashes; here each
//! literal is bucketed by a hash of its first `q` bytes (up to 4), the subject is walked once
//! with those bytes kept in a rolling word, a bitmap tells at one load whether any literal
//! starts with them, and only the literals of a marked bucket are compared. Literals shorter
//! than 4 bytes form a second group keyed by their own shortest length, so one short literal
//! does not make every long one a candidate at each byte.

/// A set of literals, optionally compared without regard to ASCII case.
pub struct LiteralSet {
    /// Every literal, lower-cased under `icase`; `spans[id]` is (offset, length) in it.
    bytes: Vec<u8>,
    spans: Vec<(u32, u32)>,
    groups: Vec<Group>,
    icase: bool,
    /// An empty literal is in the set: it matches at every position.
    empty: bool,
}

struct Group {
    /// Key bytes (1 to 4): every literal of the group is at least this long.
    q: usize,
    mask: u32,
    /// `32 - log2(buckets)`.
    shift: u32,
    /// A filter with 16 times as many bits as buckets, so that few positions get as far
    /// as a bucket: `32 - log2(bits)`.
    bm_shift: u32,
    bitmap: Vec<u64>,
    /// Bucket `h` holds `ids[start[h]..start[h + 1]]`, longest literal first.
    start: Vec<u32>,
    ids: Vec<u32>,
}

const HASH_MUL: u32 = 0x9E37_79B1;

#[inline(always)]
fn fold(b: u8, icase: bool) -> u8 {
    if icase {
        b.to_ascii_lowercase()
    } else {
        b
    }
}

impl Group {
    fn new(q: usize, members: &[u32], set: &LiteralSet) -> Group {
        let bits = (members.len() * 2)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(6, 20);
        let shift = 32 - bits;
        let mask = if q == 4 { !0 } else { (1u32 << (8 * q)) - 1 };
        let n = 1usize << bits;
        let bm_bits = (bits + 4).max(12);
        let mut g = Group {
            q,
            mask,
            shift,
            bm_shift: 32 - bm_bits,
            bitmap: vec![0; (1usize << bm_bits) / 64],
            start: vec![0; n + 1],
            ids: Vec::with_capacity(members.len()),
        };
        let mut keyed: Vec<(u32, u32, u32)> = members
            .iter()
            .map(|&id| {
                let lit = set.literal(id);
                let mut k = 0u32;
                for (j, &b) in lit[..q].iter().enumerate() {
                    k |= (b as u32) << (8 * j);
                }
                (g.bucket(k), id, lit.len() as u32)
            })
            .collect();
        // By bucket, then longest first (the first literal that compares equal is the longest
        // one starting there), then by id so the order does not depend on the input's.
        crate::common::sort::sort_by(&mut keyed, |a, b| {
            a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1))
        });
        for &(h, id, _) in &keyed {
            let lit = set.literal(id);
            let mut k = 0u32;
            for (j, &b) in lit[..q].iter().enumerate() {
                k |= (b as u32) << (8 * j);
            }
            let f = g.filter(k);
            g.bitmap[f as usize / 64] |= 1 << (f % 64);
            g.start[h as usize + 1] += 1;
            g.ids.push(id);
        }
        for h in 0..n {
            g.start[h + 1] += g.start[h];
        }
        g
    }

    #[inline(always)]
    fn bucket(&self, key: u32) -> u32 {
        (key & self.mask).wrapping_mul(HASH_MUL) >> self.shift
    }

    #[inline(always)]
    fn filter(&self, key: u32) -> u32 {
        (key & self.mask).wrapping_mul(HASH_MUL) >> self.bm_shift
    }

    /// Whether some literal may start with `key`'s bytes.
    #[inline(always)]
    fn marked(&self, key: u32) -> bool {
        let f = self.filter(key);
        self.bitmap[f as usize / 64] & (1 << (f % 64)) != 0
    }
}

impl LiteralSet {
    /// The set of `lits`; literal `i` is reported as id `i`.
    pub fn new<L: AsRef<[u8]>>(lits: &[L], icase: bool) -> LiteralSet {
        let mut set = LiteralSet {
            bytes: Vec::new(),
            spans: Vec::with_capacity(lits.len()),
            groups: Vec::new(),
            icase,
            empty: false,
        };
        let (mut long, mut short) = (Vec::new(), Vec::new());
        for (id, l) in lits.iter().enumerate() {
            let l = l.as_ref();
            set.spans.push((set.bytes.len() as u32, l.len() as u32));
            set.bytes.extend(l.iter().map(|&b| fold(b, icase)));
            match l.len() {
                0 => set.empty = true,
                1..=3 => short.push(id as u32),
                _ => long.push(id as u32),
            }
        }
        if !long.is_empty() {
            set.groups.push(Group::new(4, &long, &set));
        }
        if let Some(q) = short.iter().map(|&id| set.spans[id as usize].1).min() {
            set.groups.push(Group::new(q as usize, &short, &set));
        }
        set
    }

    /// How many literals the set holds.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Literal `id` (lower-cased under icase).
    pub fn literal(&self, id: u32) -> &[u8] {
        let (o, n) = self.spans[id as usize];
        &self.bytes[o as usize..(o + n) as usize]
    }

    #[inline(always)]
    fn equal_at(&self, hay: &[u8], i: usize, id: u32) -> bool {
        let lit = self.literal(id);
        let Some(w) = hay.get(i..i + lit.len()) else {
            return false;
        };
        if self.icase {
            w.iter()
                .zip(lit)
                .all(|(&a, &b)| a.to_ascii_lowercase() == b)
        } else {
            w == lit
        }
    }

    /// The key word at `i`: up to four bytes from `i` (folded), little-endian.
    #[inline(always)]
    fn window(&self, hay: &[u8], i: usize) -> u32 {
        let mut k = 0u32;
        for (j, &b) in hay[i..(i + 4).min(hay.len())].iter().enumerate() {
            k |= (fold(b, self.icase) as u32) << (8 * j);
        }
        k
    }

    /// Every literal occurrence starting at `i` whose length is at most `max`, longest first
    /// within each group: `f(id)` returns false to stop; the result is whether it stopped.
    #[inline(always)]
    fn at(
        &self,
        hay: &[u8],
        i: usize,
        key: u32,
        max: usize,
        f: &mut impl FnMut(u32) -> bool,
    ) -> bool {
        let avail = hay.len() - i;
        for g in &self.groups {
            if avail < g.q {
                continue;
            }
            if !g.marked(key) {
                continue;
            }
            let h = g.bucket(key);
            for &id in &g.ids[g.start[h as usize] as usize..g.start[h as usize + 1] as usize] {
                if self.spans[id as usize].1 as usize <= max && self.equal_at(hay, i, id) && !f(id)
                {
                    return true;
                }
            }
        }
        false
    }

    /// The longest literal starting exactly at `i` no longer than `max` bytes: its length.
    /// (`Some(0)` for the empty literal.)
    pub fn longest_at(&self, hay: &[u8], i: usize, max: usize) -> Option<usize> {
        if i > hay.len() {
            return None;
        }
        let mut best: Option<usize> = self.empty.then_some(0);
        if i < hay.len() {
            let key = self.window(hay, i);
            self.at(hay, i, key, max, &mut |id| {
                let n = self.spans[id as usize].1 as usize;
                if best.is_none_or(|b| n > b) {
                    best = Some(n);
                }
                true
            });
        }
        best
    }

    /// The first position at or after `i` with at least four bytes left whose key is marked
    /// in some group (or the first with fewer left): the hot loop, one unaligned load, a
    /// multiply and a bit test per byte.
    #[inline]
    fn skip(&self, hay: &[u8], mut i: usize) -> usize {
        let g0 = &self.groups[0];
        let g1 = self.groups.get(1);
        while let Some(w) = hay.get(i..i + 4) {
            let mut k = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
            if self.icase {
                // Lower-case the four bytes at once: bit 5 set in each byte from A to Z.
                let low = k & 0x7f7f_7f7f;
                let ge_a = low.wrapping_add(0x3f3f_3f3f);
                let gt_z = low.wrapping_add(0x2525_2525);
                k |= (ge_a & !gt_z & !k & 0x8080_8080) >> 2;
            }
            if g0.marked(k) || g1.is_some_and(|g| g.marked(k)) {
                return i;
            }
            i += 1;
        }
        i
    }

    /// Walk `hay` from `start`, calling `f(position, id)` for each literal occurrence (at one
    /// position, longest first within a length group) until it returns false.
    pub fn each_match(&self, hay: &[u8], start: usize, mut f: impl FnMut(usize, u32) -> bool) {
        if self.groups.is_empty() {
            return;
        }
        let mut i = start;
        while i < hay.len() {
            i = self.skip(hay, i);
            if i >= hay.len() {
                return;
            }
            let key = self.window(hay, i);
            if self.at(hay, i, key, usize::MAX, &mut |id| f(i, id)) {
                return;
            }
            i += 1;
        }
    }

    /// The leftmost-longest occurrence at or after `start`, as (start, end). With the empty
    /// literal in the set that is always at `start`.
    pub fn find(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        if start > hay.len() {
            return None;
        }
        if self.empty {
            return self
                .longest_at(hay, start, usize::MAX)
                .map(|n| (start, start + n));
        }
        let mut found = None;
        self.each_match(hay, start, |i, _| {
            found = Some(i);
            false
        });
        let i = found?;
        self.longest_at(hay, i, usize::MAX).map(|n| (i, i + n))
    }
}

#[cfg(test)]
mod tests {
    use super::LiteralSet;

    /// The leftmost-longest occurrence by brute force.
    fn naive(lits: &[&[u8]], hay: &[u8], start: usize, icase: bool) -> Option<(usize, usize)> {
        for i in start..=hay.len() {
            let best = lits
                .iter()
                .filter(|l| {
                    hay.len() - i >= l.len()
                        && (if icase {
                            hay[i..i + l.len()].eq_ignore_ascii_case(l)
                        } else {
                            &hay[i..i + l.len()] == **l
                        })
                })
                .map(|l| l.len())
                .max();
            if let Some(n) = best {
                return Some((i, i + n));
            }
        }
        None
    }

    #[test]
    fn leftmost_longest_like_brute_force() {
        let lits: Vec<&[u8]> = vec![
            b"a",
            b"ab",
            b"abc",
            b"abcd",
            b"abcde",
            b"bcd",
            b"cdefgh",
            b"xyz",
            b"hello",
            b"HeLLo",
            b"lo w",
            b"zz",
            b"q",
            b"@[`{",
            b"\xc1\xdaab",
        ];
        let hays: Vec<&[u8]> = vec![
            b"",
            b"a",
            b"xxabcdexx",
            b"hello world",
            b"HELLO WORLD",
            b"zzz",
            b"bcdefgh",
            b"cdefg",
            b"no match here!",
            b"xy",
            b"..@[`{..",
            b"`[@{ \xe1\xfaAB \xc1\xdaAb \xc1\xdaab",
        ];
        for icase in [false, true] {
            let set = LiteralSet::new(&lits, icase);
            for h in &hays {
                for s in 0..=h.len() {
                    assert_eq!(
                        set.find(h, s),
                        naive(&lits, h, s, icase),
                        "{:?} {s} {icase}",
                        h
                    );
                }
            }
        }
    }

    #[test]
    fn many_literals_and_the_empty_one() {
        let lits: Vec<Vec<u8>> = (0..5000).map(|i| format!("k{i}v").into_bytes()).collect();
        let set = LiteralSet::new(&lits, false);
        assert_eq!(set.find(b"..k4999v..", 0), Some((2, 8)));
        assert_eq!(set.find(b"k5000v k12v", 0), Some((7, 11)));
        assert_eq!(set.find(b"k5000v", 0), None);
        let set = LiteralSet::new(&[&b"abc"[..], b""], false);
        assert_eq!(set.find(b"xabc", 0), Some((0, 0)));
        assert_eq!(set.find(b"xabc", 1), Some((1, 4)));
        assert_eq!(set.longest_at(b"xabc", 1, 2), Some(0));
        assert_eq!(set.find(b"", 0), Some((0, 0)));
    }
}
