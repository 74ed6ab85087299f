//! Inflate as GNU gzip 1.12 does it (its `inflate.c`, Mark Adler's 1993 decoder): the
//! decoder of last resort for damaged gzip data. zlib-rs decodes first (it is several times
//! faster); when it rejects a member or the input ends inside one, the member is decoded again
//! here, so that exactly what GNU gzip writes before its error is written:
//! - no "distance too far back" check: a reference before the start of the member's output
//!   reads the 32 KiB window as it is (zeros, or what an earlier member left there);
//! - a code-length code with a single one-bit code, a literal/length code without an
//!   end-of-block code and a repeat code before any length (repeating length 0) are accepted;
//! - output leaves in whole 32 KiB windows: after a format error the partial window is lost,
//!   at the end of the input (gzip's `fill_inbuf` flushing before "unexpected end of file")
//!   every symbol decoded so far is written;
//! - bits are fetched the way gzip fetches them (the first-level table's width, then the
//!   sub-table's), so a truncated member yields what gzip yields, to the byte.
//!
//! It is a port of the algorithm (tables with sub-tables built by `huft_build`, the
//! `NEEDBITS`/`DUMPBITS` bit buffer), not of the code: tables live in one vector, links are
//! indices.

/// gzip's window: 32 KiB, written out each time it fills.
pub const WSIZE: usize = 0x8000;

/// Where decoding stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop<E> {
    /// gzip's "invalid compressed data--format violated" (the partial window is not written).
    Format,
    /// The input ended inside the member (everything decoded was written).
    Eof,
    /// The byte source or the sink failed.
    Err(E),
}

/// The compressed bytes, one at a time (`None`: the input has ended).
pub trait Bytes<E> {
    fn next(&mut self) -> Result<Option<u8>, E>;
    /// Give back the last `n` bytes taken (gzip's "undo too much lookahead" at a member's end).
    fn unget(&mut self, n: usize);
}

#[derive(Clone, Copy, Default)]
struct Huft {
    /// Extra bits or operation: 0..=13 extra bits, 15 end of block, 16 literal, 16+j a
    /// j-bit sub-table, 99 invalid.
    e: u8,
    /// Bits of this code (or of the prefix leading to the sub-table).
    b: u8,
    /// Literal, length base or distance base.
    n: u16,
    /// Sub-table start in the arena.
    t: u32,
}

const BMAX: usize = 16;
const BORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
const CPLENS: [u16; 31] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258, 0, 0,
];
const CPLEXT: [u8; 31] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0, 99, 99,
];
const CPDIST: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const CPDEXT: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const LBITS: u32 = 9;
const DBITS: u32 = 6;

fn mask(n: u32) -> u64 {
    (1u64 << n) - 1
}

/// gzip's `huft_build`: decoding tables for the code lengths `b` (symbols below `s` are
/// literals, 256 the end of block; the others index `d`/`e`). `m` is the wanted first-level
/// width on entry and the width used on return. 0: complete (or a single one-bit code),
/// 1: incomplete (tables built, unused codes invalid), 2: over-subscribed.
fn huft_build(
    b: &[u8],
    s: usize,
    d: &[u16],
    e: &[u8],
    arena: &mut Vec<Huft>,
    m: &mut u32,
) -> (u32, usize) {
    let n = b.len();
    let mut c = [0i32; BMAX + 1];
    for &l in b {
        c[l as usize] += 1;
    }
    if c[0] as usize == n {
        // No codes at all: a one-bit table of invalid codes.
        let root = arena.len();
        let bad = Huft {
            e: 99,
            b: 1,
            ..Huft::default()
        };
        arena.extend_from_slice(&[bad, bad]);
        *m = 1;
        return (0, root);
    }
    let mut l = *m as usize;
    let mut j = 1;
    while j <= BMAX && c[j] == 0 {
        j += 1;
    }
    let mut k = j; // shortest code
    if l < j {
        l = j;
    }
    let mut i = BMAX;
    while i > 0 && c[i] == 0 {
        i -= 1;
    }
    let g = i; // longest code
    if l > i {
        l = i;
    }
    *m = l as u32;
    // Unused patterns: an over-subscribed set fails, an incomplete one is padded with invalid
    // codes of the longest length.
    let mut y: i32 = 1 << j;
    while j < i {
        y -= c[j];
        if y < 0 {
            return (2, 0);
        }
        j += 1;
        y <<= 1;
    }
    y -= c[i];
    if y < 0 {
        return (2, 0);
    }
    c[i] += y;
    // Offsets of each length in the value table, then the values in order of length.
    let mut x = [0i32; BMAX + 1];
    let mut acc = 0;
    for len in 2..=g {
        acc += c[len - 1];
        x[len] = acc;
    }
    let mut v = [0u16; 288];
    for (sym, &len) in b.iter().enumerate() {
        if len != 0 {
            v[x[len as usize] as usize] = sym as u16;
            x[len as usize] += 1;
        }
    }
    let nv = x[g] as usize;

    // Walk the codes in order, making tables as needed.
    let mut code: usize = 0;
    x[0] = 0;
    let mut p = 0usize;
    let mut h: i32 = -1;
    let mut w: i32 = -(l as i32);
    let mut u = [0usize; BMAX];
    let mut q = 0usize;
    let mut z = 0usize;
    let mut root = 0usize;
    let l = l as i32;
    while k <= g {
        let mut a = c[k];
        while a > 0 {
            a -= 1;
            while k as i32 > w + l {
                h += 1;
                w += l;
                z = ((g as i32 - w) as usize).min(l as usize);
                let mut jj = k - w as usize;
                let mut f: i32 = 1 << jj;
                if f > a + 1 {
                    // Too few codes for a (k-w)-bit table: try smaller ones up to z bits.
                    f -= a + 1;
                    let mut xp = k;
                    if jj < z {
                        loop {
                            jj += 1;
                            if jj >= z {
                                break;
                            }
                            f <<= 1;
                            xp += 1;
                            if f <= c[xp] {
                                break;
                            }
                            f -= c[xp];
                        }
                    }
                }
                z = 1 << jj;
                q = arena.len();
                arena.resize(q + z, Huft::default());
                u[h as usize] = q;
                if h > 0 {
                    x[h as usize] = code as i32;
                    let r = Huft {
                        b: l as u8,
                        e: (16 + jj) as u8,
                        n: 0,
                        t: q as u32,
                    };
                    let at = code >> (w - l) as usize;
                    arena[u[h as usize - 1] + at] = r;
                } else {
                    root = q;
                }
            }
            let mut r = Huft {
                b: (k as i32 - w) as u8,
                ..Huft::default()
            };
            if p >= nv {
                r.e = 99;
            } else if (v[p] as usize) < s {
                r.e = if v[p] < 256 { 16 } else { 15 };
                r.n = v[p];
                p += 1;
            } else {
                let ix = v[p] as usize - s;
                r.e = e[ix];
                r.n = d[ix];
                p += 1;
            }
            let f = 1usize << (k as i32 - w);
            let mut jj = code >> w as usize;
            while jj < z {
                arena[q + jj] = r;
                jj += f;
            }
            // Backwards increment of the k-bit code.
            let mut bit = 1usize << (k - 1);
            while code & bit != 0 {
                code ^= bit;
                bit >>= 1;
            }
            code ^= bit;
            while (code & ((1usize << w) - 1)) as i32 != x[h as usize] {
                h -= 1;
                w -= l;
            }
        }
        k += 1;
    }
    (u32::from(y != 0 && g != 1), root)
}

/// One member's inflate, gzip style. `slide` is the window (kept between members and inputs,
/// as gzip's is); `flush` receives each full window and the last partial one. `Ok` at the
/// member's end (the source then stands at its trailer).
pub fn inflate<E, S: Bytes<E>>(
    src: &mut S,
    slide: &mut [u8],
    flush: &mut dyn FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), Stop<E>> {
    let mut st = Inf {
        src,
        b: 0,
        k: 0,
        w: 0,
        slide,
        flush,
        arena: Vec::new(),
    };
    loop {
        if st.block()? {
            break;
        }
    }
    // Undo too much lookahead: the trailer starts at the next whole byte.
    let mut k = st.k;
    let mut back = 0;
    while k >= 8 {
        k -= 8;
        back += 1;
    }
    st.src.unget(back);
    let w = st.w;
    (st.flush)(&st.slide[..w]).map_err(Stop::Err)
}

struct Inf<'a, E, S: Bytes<E>> {
    src: &'a mut S,
    b: u64,
    k: u32,
    w: usize,
    slide: &'a mut [u8],
    flush: &'a mut dyn FnMut(&[u8]) -> Result<(), E>,
    arena: Vec<Huft>,
}

impl<E, S: Bytes<E>> Inf<'_, E, S> {
    fn need(&mut self, n: u32) -> Result<(), Stop<E>> {
        while self.k < n {
            match self.src.next() {
                Ok(Some(c)) => {
                    self.b |= u64::from(c) << self.k;
                    self.k += 8;
                }
                Ok(None) => {
                    // gzip's fill_inbuf flushes the window before "unexpected end of file".
                    return Err(match (self.flush)(&self.slide[..self.w]) {
                        Ok(()) => Stop::Eof,
                        Err(e) => Stop::Err(e),
                    });
                }
                Err(e) => return Err(Stop::Err(e)),
            }
        }
        Ok(())
    }

    fn dump(&mut self, n: u32) {
        self.b >>= n;
        self.k -= n;
    }

    fn put(&mut self, c: u8) -> Result<(), Stop<E>> {
        self.slide[self.w] = c;
        self.w += 1;
        if self.w == WSIZE {
            (self.flush)(&self.slide[..WSIZE]).map_err(Stop::Err)?;
            self.w = 0;
        }
        Ok(())
    }

    /// One block; true when it was the last.
    fn block(&mut self) -> Result<bool, Stop<E>> {
        self.need(1)?;
        let last = self.b & 1 == 1;
        self.dump(1);
        self.need(2)?;
        let t = self.b & 3;
        self.dump(2);
        match t {
            2 => self.dynamic()?,
            0 => self.stored()?,
            1 => self.fixed()?,
            _ => return Err(Stop::Format),
        }
        Ok(last)
    }

    fn stored(&mut self) -> Result<(), Stop<E>> {
        let n = self.k & 7;
        self.dump(n);
        self.need(16)?;
        let mut n = self.b & 0xffff;
        self.dump(16);
        self.need(16)?;
        if n != (!self.b & 0xffff) {
            return Err(Stop::Format);
        }
        self.dump(16);
        while n > 0 {
            n -= 1;
            self.need(8)?;
            self.put(self.b as u8)?;
            self.dump(8);
        }
        Ok(())
    }

    fn fixed(&mut self) -> Result<(), Stop<E>> {
        self.arena.clear();
        let mut l = [0u8; 288];
        l[..144].fill(8);
        l[144..256].fill(9);
        l[256..280].fill(7);
        l[280..].fill(8);
        let mut bl = 7;
        let (r, tl) = huft_build(&l, 257, &CPLENS, &CPLEXT, &mut self.arena, &mut bl);
        if r != 0 {
            return Err(Stop::Format);
        }
        let mut bd = 5;
        let (r, td) = huft_build(&[5u8; 30], 0, &CPDIST, &CPDEXT, &mut self.arena, &mut bd);
        if r > 1 {
            return Err(Stop::Format);
        }
        self.codes(tl, td, bl, bd)
    }

    fn dynamic(&mut self) -> Result<(), Stop<E>> {
        self.arena.clear();
        self.need(5)?;
        let nl = 257 + (self.b & 0x1f) as usize;
        self.dump(5);
        self.need(5)?;
        let nd = 1 + (self.b & 0x1f) as usize;
        self.dump(5);
        self.need(4)?;
        let nb = 4 + (self.b & 0xf) as usize;
        self.dump(4);
        if nl > 286 || nd > 30 {
            return Err(Stop::Format);
        }
        let mut ll = [0u8; 286 + 30];
        for &o in &BORDER[..nb] {
            self.need(3)?;
            ll[o] = (self.b & 7) as u8;
            self.dump(3);
        }
        let mut bl = 7;
        let (r, tl) = huft_build(&ll[..19], 19, &[], &[], &mut self.arena, &mut bl);
        if r != 0 {
            return Err(Stop::Format);
        }
        let n = nl + nd;
        let m = mask(bl);
        let (mut i, mut l) = (0usize, 0u8);
        while i < n {
            self.need(bl)?;
            let td = self.arena[tl + (self.b & m) as usize];
            self.dump(u32::from(td.b));
            if td.e == 99 {
                return Err(Stop::Format);
            }
            let j = td.n;
            let (rep, val, extra, base) = match j {
                0..=15 => {
                    ll[i] = j as u8;
                    l = j as u8;
                    i += 1;
                    continue;
                }
                16 => (true, l, 2, 3),
                17 => (false, 0, 3, 3),
                _ => (false, 0, 7, 11),
            };
            self.need(extra)?;
            let cnt = base + (self.b & mask(extra)) as usize;
            self.dump(extra);
            if i + cnt > n {
                return Err(Stop::Format);
            }
            ll[i..i + cnt].fill(val);
            i += cnt;
            if !rep {
                l = 0;
            }
        }
        self.arena.clear();
        let mut bl = LBITS;
        let (r, tl) = huft_build(&ll[..nl], 257, &CPLENS, &CPLEXT, &mut self.arena, &mut bl);
        if r != 0 {
            return Err(Stop::Format);
        }
        let mut bd = DBITS;
        let (r, td) = huft_build(&ll[nl..n], 0, &CPDIST, &CPDEXT, &mut self.arena, &mut bd);
        if r != 0 {
            return Err(Stop::Format);
        }
        self.codes(tl, td, bl, bd)
    }

    /// Look up a code: the table entry after following sub-tables (invalid: format error).
    fn decode(&mut self, table: usize, bits: u32) -> Result<Huft, Stop<E>> {
        self.need(bits)?;
        let mut t = self.arena[table + (self.b & mask(bits)) as usize];
        while t.e > 16 {
            if t.e == 99 {
                return Err(Stop::Format);
            }
            self.dump(u32::from(t.b));
            let e = u32::from(t.e) - 16;
            self.need(e)?;
            t = self.arena[t.t as usize + (self.b & mask(e)) as usize];
        }
        self.dump(u32::from(t.b));
        Ok(t)
    }

    fn codes(&mut self, tl: usize, td: usize, bl: u32, bd: u32) -> Result<(), Stop<E>> {
        loop {
            let t = self.decode(tl, bl)?;
            if t.e == 16 {
                self.put(t.n as u8)?;
                continue;
            }
            if t.e == 15 {
                return Ok(());
            }
            let e = u32::from(t.e);
            self.need(e)?;
            let mut n = usize::from(t.n) + (self.b & mask(e)) as usize;
            self.dump(e);
            let t = self.decode(td, bd)?;
            let e = u32::from(t.e);
            self.need(e)?;
            let dist = usize::from(t.n) + (self.b & mask(e)) as usize;
            self.dump(e);
            // The window as it is: no check that the distance is within the output so far.
            let mut d = self.w.wrapping_sub(dist);
            while n > 0 {
                d &= WSIZE - 1;
                let e = (WSIZE - d.max(self.w)).min(n);
                n -= e;
                for _ in 0..e {
                    self.slide[self.w] = self.slide[d];
                    self.w += 1;
                    d += 1;
                }
                if self.w == WSIZE {
                    (self.flush)(&self.slide[..WSIZE]).map_err(Stop::Err)?;
                    self.w = 0;
                }
            }
        }
    }
}
