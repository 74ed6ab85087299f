//! bzip2 decompression, written for the `bzcat`/`tar -j` path: the format of bzip2 0.9.5 and
//! later (blocks of run-length, Burrows–Wheeler, move-to-front and Huffman coding, each with
//! its CRC, and the stream's combined CRC), concatenated streams, and what follows the last
//! stream flagged as trailing garbage (bzip2 -d warns and ignores it).
//!
//! Why not libbz2-rs-sys's decoder (still used to compress): it follows libbzip2's
//! resumable-at-every-bit state machine, which costs ~70% more instructions than a decoder
//! that runs straight loops: a table lookup per Huffman symbol for codes up to [`FAST_BITS`]
//! long, a group of 50 symbols at a time once the group's bits are buffered (so nothing of the
//! compressed block is kept: once it waited for a whole block, and its input buffer grew with
//! the file), one pass over the block for the inverse transform, and the block written out
//! along two chains at once ([`Walk`]). Memory is the block ([`Block`]: 4 bytes an entry,
//! 3.5 MiB at 900k, as bzip2's and BusyBox's) and under 64 KiB of input.
//!
//! Deviation: blocks with the "randomised" bit (written only by bzip2 0.9.0, 1998) are
//! refused as corrupt, as BusyBox refuses them.

use std::io;

use super::{corrupt, Step};

const BLOCK_MAGIC: u64 = 0x3141_5926_5359;
const END_MAGIC: u64 = 0x1772_4538_5090;
const MAX_GROUPS: usize = 6;
const MAX_ALPHA: usize = 258;
const MAX_CODE_LEN: u32 = 20;
const GROUP_SIZE: usize = 50;
const MAX_SELECTORS: usize = 18002;
/// Input is buffered this much at a time: with what is left of the last (at most a block
/// header, ~24 KB), the decoder's own copy of its input stays under 64 KiB.
const SLICE: usize = 32 * 1024;
/// Codes up to this long decode with one table lookup; longer ones walk the lengths.
const FAST_BITS: u32 = 10;

/// bzip2's CRC-32 (polynomial 0x04c11db7, most significant bit first, no reflection), four
/// bytes a step: `t[k][b]` is byte `b`'s contribution `k` bytes before the end. Computed for
/// each decoder (a few microseconds): 4 KB less in the file than a constant table.
type CrcTable = [[u32; 256]; 4];

fn crc_tables() -> Box<CrcTable> {
    let mut t = Box::new([[0u32; 256]; 4]);
    let mut i = 0;
    while i < 256 {
        let mut c = (i as u32) << 24;
        let mut k = 0;
        while k < 8 {
            c = if c & 0x8000_0000 != 0 {
                (c << 1) ^ 0x04c1_1db7
            } else {
                c << 1
            };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut k = 1;
    while k < 4 {
        let mut i = 0;
        while i < 256 {
            let p = t[k - 1][i];
            t[k][i] = (p << 8) ^ t[0][(p >> 24) as usize];
            i += 1;
        }
        k += 1;
    }
    t
}

fn crc_update(t: &CrcTable, mut crc: u32, data: &[u8]) -> u32 {
    let mut words = data.chunks_exact(4);
    for w in &mut words {
        let c = crc ^ u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
        crc = t[3][(c >> 24) as usize]
            ^ t[2][(c >> 16) as u8 as usize]
            ^ t[1][(c >> 8) as u8 as usize]
            ^ t[0][c as u8 as usize];
    }
    for &b in words.remainder() {
        crc = (crc << 8) ^ t[0][((crc >> 24) as u8 ^ b) as usize];
    }
    crc
}

/// Entries a block array has room for: 2^20, so that an index masked to 20 bits needs no
/// bounds check in the hot loops. Only the pages a block writes are touched: the rest of the
/// allocations (fresh zeroed pages) cost no memory.
const BLK: usize = 1 << 20;
const BLK_MASK: usize = BLK - 1;

/// The block, 4 bytes an entry (3.5 MiB at 900k, as bzip2 -d and BusyBox): entry `k` is its
/// byte (the last column of the sorted rotations, as decoded), then from the inverse transform
/// the index of the entry after it in the output << 8; the top 4 bits are the room [`Walk`]
/// keeps bytes in.
struct Block {
    fwd: Box<[u32; BLK]>,
}

impl Block {
    fn new() -> Block {
        // Fresh zeroed pages (calloc), not a fill loop: a small block touches few of them.
        Block {
            fwd: vec![0; BLK].into_boxed_slice().try_into().unwrap(),
        }
    }
}

/// Writing a block out, which follows the links of [`Block`] at random through megabytes: a
/// cache miss a byte. Two chains walk at once so that two misses are in flight: the front one
/// from the origin, writing, and a scout from an entry picked ahead (`scout`), which keeps what
/// it reads in order in the entries' spare top 4 bits (two to a byte: half a block's room), until
/// the front reaches where the scout began (then the kept bytes are written, and the front goes
/// on from where the scout stopped), the scout reaches the origin, or the room is full.
#[derive(Clone, Copy, Default)]
struct Walk {
    /// The front chain's entry, and the bytes still to write.
    t: usize,
    left: usize,
    orig: usize,
    /// Where the scout began (`usize::MAX`: none), its entry, the bytes it kept and their room.
    scout: usize,
    b: usize,
    kept: usize,
    cap: usize,
    scouting: bool,
    /// Kept bytes written.
    read: usize,
    phase: Phase,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Phase {
    /// The front chain up to the scout's start.
    #[default]
    Front,
    /// The scout's kept bytes.
    Kept,
    /// The front chain on from where the scout stopped.
    Rest,
}

impl Walk {
    fn new(orig: usize, n: usize) -> Walk {
        // Any entry but the origin: where it falls in the output is as good as random.
        let scout = if n >= 2 {
            (orig + n / 2) % n
        } else {
            usize::MAX
        };
        Walk {
            t: orig,
            left: n,
            orig,
            scout,
            b: scout,
            kept: 0,
            cap: n / 2,
            scouting: n >= 2,
            read: 0,
            phase: Phase::Front,
        }
    }
}

/// Why a block could not be decoded: more input is needed, or the data is bad.
enum Stop {
    More,
    Bad(&'static str),
}

/// MSB-first bit reader over a buffered slice. Past the end it reads zeros and remembers it:
/// a decode that ran out is retried once more input has come, never taken as an error.
struct Bits<'a> {
    data: &'a [u8],
    /// Next byte to load into `buf`.
    pos: usize,
    /// Unread bits, left-aligned.
    buf: u64,
    /// How many of `buf`'s bits are valid.
    n: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8], bit: usize) -> Bits<'a> {
        let mut b = Bits {
            data,
            pos: bit / 8,
            buf: 0,
            n: 0,
        };
        b.refill();
        b.skip((bit % 8) as u32);
        b
    }

    /// Top up `buf` to at least 57 valid bits.
    #[inline(always)]
    fn refill(&mut self) {
        if self.pos + 8 <= self.data.len() {
            let w = u64::from_be_bytes(self.data[self.pos..self.pos + 8].try_into().unwrap());
            self.buf |= w >> self.n;
            let take = (63 - self.n) / 8;
            self.pos += take as usize;
            self.n += take * 8;
            // Bits loaded beyond the whole bytes taken are cleared: they come again.
            self.buf &= !(u64::MAX >> self.n);
            return;
        }
        while self.n <= 56 {
            let b = self.data.get(self.pos).copied().unwrap_or(0);
            self.buf |= (b as u64) << (56 - self.n);
            self.pos += 1;
            self.n += 8;
        }
    }

    #[inline(always)]
    fn peek(&self, k: u32) -> u32 {
        (self.buf >> (64 - k)) as u32
    }

    #[inline(always)]
    fn skip(&mut self, k: u32) {
        self.buf <<= k;
        self.n -= k;
    }

    /// Up to 32 bits.
    #[inline(always)]
    fn get(&mut self, k: u32) -> u32 {
        if self.n < k {
            self.refill();
        }
        let v = self.peek(k);
        self.skip(k);
        v
    }

    fn get48(&mut self) -> u64 {
        let hi = self.get(24) as u64;
        (hi << 24) | self.get(24) as u64
    }

    /// The position of the next unread bit.
    fn bit(&self) -> usize {
        self.pos * 8 - self.n as usize
    }

    /// The reader went past the buffered data.
    fn overran(&self) -> bool {
        self.bit() > self.data.len() * 8
    }
}

/// Take entry `k` of the move-to-front list to the front and return it. Entries move a word
/// (eight at a time) rather than a byte at a time: the average move in text is ~9 entries.
#[inline(always)]
fn mtf_front(w: &mut [u64; 32], k: usize) -> u8 {
    let (wi, bi) = (k / 8, (k % 8) as u32 * 8);
    let v = (w[wi] >> bi) as u8;
    let low = (1u64 << bi) - 1;
    let high = if bi == 56 {
        0
    } else {
        !((1u64 << (bi + 8)) - 1)
    };
    let carry = if wi > 0 { w[wi - 1] >> 56 } else { v as u64 };
    w[wi] = (w[wi] & high) | ((w[wi] & low) << 8) | carry;
    if wi > 0 {
        for j in (1..wi).rev() {
            w[j] = (w[j] << 8) | (w[j - 1] >> 56);
        }
        w[0] = (w[0] << 8) | v as u64;
    }
    v
}

/// One coding table: a lookup of the next [`FAST_BITS`] bits (symbol << 5 | length, or 0 for
/// a longer code), then per length the last code of that length and where its symbols start.
struct Table {
    fast: Box<[u16; 1 << FAST_BITS]>,
    /// `limit[len]`: the largest code of that length, +1 (0: none).
    limit: [u32; MAX_CODE_LEN as usize + 2],
    /// `base[len]`: index in `perm` of the first code of that length, minus that code.
    base: [i32; MAX_CODE_LEN as usize + 2],
    perm: Vec<u16>,
    min_len: u32,
}

impl Table {
    fn new() -> Table {
        Table {
            fast: Box::new([0; 1 << FAST_BITS]),
            limit: [0; MAX_CODE_LEN as usize + 2],
            base: [0; MAX_CODE_LEN as usize + 2],
            perm: Vec::with_capacity(MAX_ALPHA),
            min_len: 1,
        }
    }

    /// Canonical codes from the lengths: by length, then by symbol, as bzip2 assigns them.
    fn build(&mut self, lens: &[u8]) -> Result<(), Stop> {
        self.fast.fill(0);
        self.perm.clear();
        self.limit = [0; MAX_CODE_LEN as usize + 2];
        let min = *lens.iter().min().unwrap_or(&1) as u32;
        let max = *lens.iter().max().unwrap_or(&1) as u32;
        self.min_len = min;
        let mut code: u32 = 0;
        for len in min..=max {
            self.base[len as usize] = self.perm.len() as i32 - code as i32;
            for (sym, &l) in lens.iter().enumerate() {
                if l as u32 != len {
                    continue;
                }
                if code >= 1 << len {
                    return Err(Stop::Bad("bad Huffman lengths"));
                }
                self.perm.push(sym as u16);
                if len <= FAST_BITS {
                    let shift = FAST_BITS - len;
                    let first = (code << shift) as usize;
                    let entry = ((sym as u16) << 5) | len as u16;
                    self.fast[first..first + (1 << shift)].fill(entry);
                }
                code += 1;
            }
            self.limit[len as usize] = code;
            code <<= 1;
        }
        Ok(())
    }

    #[inline(always)]
    fn decode(&self, b: &mut Bits) -> Result<u16, Stop> {
        if b.n < MAX_CODE_LEN {
            b.refill();
        }
        let e = self.fast[b.peek(FAST_BITS) as usize & ((1 << FAST_BITS) - 1)];
        if e != 0 {
            b.skip((e & 31) as u32);
            return Ok(e >> 5);
        }
        // Codes up to FAST_BITS long were in the table; a table of only longer codes starts at
        // its shortest.
        let mut len = (FAST_BITS + 1).max(self.min_len);
        while len <= MAX_CODE_LEN {
            let v = b.peek(len);
            if v < self.limit[len as usize] && self.limit[len as usize] != 0 {
                let i = self.base[len as usize] + v as i32;
                if i >= 0 && (i as usize) < self.perm.len() {
                    b.skip(len);
                    return Ok(self.perm[i as usize]);
                }
            }
            len += 1;
        }
        Err(Stop::Bad("bad Huffman code"))
    }
}

enum State {
    /// Before `BZh1`..`BZh9`.
    Header,
    /// Before a block or the end-of-stream mark.
    Block,
    /// In a block's symbols.
    Symbols,
    /// A decoded block is being written out.
    Output,
    /// After the last stream (whatever follows is garbage, flagged).
    Done,
}

/// A block's symbol decode, kept between calls.
struct Sym {
    /// The bytes in use, in order.
    seq: [u8; 256],
    n_used: usize,
    orig_ptr: usize,
    mtf: [u64; 32],
    counts: [u32; 256],
    /// Entries of the block filled.
    n: usize,
    /// A run of the front symbol being read, and its next place value.
    run: usize,
    run_bit: usize,
    /// The next group (selector index).
    group: usize,
}

pub struct Decoder {
    /// The input not yet decoded (a block's header, then at most one group's worth, plus the
    /// last input given).
    input: Vec<u8>,
    /// Bit position in `input` of the next unread bit.
    bit: usize,
    state: State,
    block_max: usize,
    /// The block: most of bzcat's memory.
    blk: Option<Box<Block>>,
    tables: Vec<Table>,
    selectors: Vec<u8>,
    sym: Box<Sym>,
    /// Writing out a block.
    walk: Walk,
    last: i32,
    same: u32,
    /// Copies of `last` still to write (an RLE count met with the output full).
    repeat: u32,
    crc_table: Box<CrcTable>,
    crc: u32,
    block_crc: u32,
    combined: u32,
    garbage: bool,
    /// Streams begun so far.
    streams: u32,
}

impl Decoder {
    pub fn new() -> Decoder {
        Decoder {
            input: Vec::new(),
            bit: 0,
            state: State::Header,
            block_max: 0,
            blk: None,
            tables: (0..MAX_GROUPS).map(|_| Table::new()).collect(),
            selectors: Vec::new(),
            sym: Box::new(Sym {
                seq: [0; 256],
                n_used: 0,
                orig_ptr: 0,
                mtf: [0; 32],
                counts: [0; 256],
                n: 0,
                run: 0,
                run_bit: 1,
                group: 0,
            }),
            walk: Walk::default(),
            last: -1,
            same: 0,
            repeat: 0,
            crc_table: crc_tables(),
            crc: 0,
            block_crc: 0,
            combined: 0,
            garbage: false,
            streams: 0,
        }
    }

    /// Bytes buffered from the current bit on.
    fn buffered(&self) -> usize {
        self.input.len().saturating_sub(self.bit / 8)
    }

    /// Drop the input before the current byte.
    fn compact(&mut self) {
        let k = self.bit / 8;
        if k > 0 {
            self.input.drain(..k);
            self.bit -= k * 8;
        }
    }

    /// `BZh` and the level: the block size in units of 100k.
    fn header(&mut self, finish: bool) -> Result<bool, Stop> {
        let at = self.bit / 8;
        let h = &self.input[at..];
        if h.len() < 4 && !finish {
            return Err(Stop::More);
        }
        if h.len() >= 4 && &h[..3] == b"BZh" && (b'1'..=b'9').contains(&h[3]) {
            self.block_max = (h[3] - b'0') as usize * 100_000;
            self.bit += 32;
            self.combined = 0;
            self.streams += 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// Read the next block's header and coding tables (or the end-of-stream mark) from the
    /// buffered input; the symbols follow in [`Decoder::symbols`]. All or nothing: when the
    /// input runs out the header is read again once more has come (it is at most ~24 KB).
    fn block_header(&mut self) -> Result<(), Stop> {
        // Bits read past the buffered input are zeros: what looks bad may only be cut short.
        macro_rules! fail {
            ($b:expr, $m:expr) => {
                return Err(if $b.overran() {
                    Stop::More
                } else {
                    Stop::Bad($m)
                })
            };
        }
        let mut b = Bits::new(&self.input, self.bit);
        let magic = b.get48();
        let crc = b.get(32);
        if b.overran() {
            return Err(Stop::More);
        }
        if magic == END_MAGIC {
            if crc != self.combined {
                fail!(b, "stream CRC error");
            }
            // The stream ends at the next byte boundary.
            self.bit = b.bit().div_ceil(8) * 8;
            self.state = State::Header;
            return Ok(());
        }
        if magic != BLOCK_MAGIC {
            fail!(b, "bad block header");
        }
        if b.get(1) != 0 {
            fail!(b, "randomised blocks (bzip2 0.9.0) are not supported");
        }
        let s = &mut self.sym;
        s.orig_ptr = b.get(24) as usize;
        // The symbols in use: 16 ranges of 16 bytes.
        let used_ranges = b.get(16);
        let mut n_used = 0;
        for r in 0..16 {
            if used_ranges & (0x8000 >> r) != 0 {
                let bits = b.get(16);
                for k in 0..16 {
                    if bits & (0x8000 >> k) != 0 {
                        s.seq[n_used] = (r * 16 + k) as u8;
                        n_used += 1;
                    }
                }
            }
        }
        if n_used == 0 {
            fail!(b, "no symbols in use");
        }
        s.n_used = n_used;
        let alpha = n_used + 2;
        let n_groups = b.get(3) as usize;
        if !(2..=MAX_GROUPS).contains(&n_groups) {
            fail!(b, "bad number of tables");
        }
        let n_sel = b.get(15) as usize;
        if n_sel == 0 {
            fail!(b, "no selectors");
        }
        // Selectors, move-to-front coded in unary.
        let mut mtf_g = [0u8, 1, 2, 3, 4, 5];
        self.selectors.clear();
        for _ in 0..n_sel {
            let mut j = 0;
            while b.get(1) == 1 {
                j += 1;
                if j >= n_groups {
                    fail!(b, "bad selector");
                }
            }
            if b.overran() {
                return Err(Stop::More);
            }
            let v = mtf_g[j];
            mtf_g.copy_within(0..j, 1);
            mtf_g[0] = v;
            // bzip2 1.0.8 ignores selectors beyond the most a block can use.
            if self.selectors.len() < MAX_SELECTORS {
                self.selectors.push(v);
            }
        }
        // Every selector is below n_groups: the front n_groups entries of the move-to-front
        // list are always 0..n_groups in some order.
        // The code lengths of each table, delta coded.
        let mut lens = [0u8; MAX_ALPHA];
        for t in 0..n_groups {
            let mut cur = b.get(5) as i32;
            for len in lens.iter_mut().take(alpha) {
                loop {
                    if !(1..=MAX_CODE_LEN as i32).contains(&cur) {
                        fail!(b, "bad code length");
                    }
                    if b.get(1) == 0 {
                        break;
                    }
                    cur += if b.get(1) == 0 { 1 } else { -1 };
                }
                *len = cur as u8;
            }
            if b.overran() {
                return Err(Stop::More);
            }
            if let Err(e) = self.tables[t].build(&lens[..alpha]) {
                return Err(if b.overran() { Stop::More } else { e });
            }
        }
        // The move-to-front list, eight entries to a word (entry i in byte i % 8 of word i / 8).
        s.mtf =
            std::array::from_fn(|w| u64::from_le_bytes(std::array::from_fn(|b| (w * 8 + b) as u8)));
        s.counts = [0; 256];
        s.n = 0;
        s.run = 0;
        s.run_bit = 1;
        s.group = 0;
        if self.blk.is_none() {
            self.blk = Some(Box::new(Block::new()));
        }
        self.block_crc = crc;
        self.bit = b.bit();
        self.state = State::Symbols;
        Ok(())
    }

    /// Decode the block's symbols into its bytes (move-to-front values, with runs of the front
    /// symbol in bijective base 2), a group of 50 at a time: a group is begun only when it is
    /// wholly buffered (or the input has ended), so that the decode can stop between groups
    /// for more input and the input already decoded need not be kept. Then the inverse
    /// transform.
    fn symbols(&mut self, finish: bool) -> Result<(), Stop> {
        let s = &mut self.sym;
        let mut b = Bits::new(&self.input, self.bit);
        // The longest group, and the bit reader's look-ahead.
        let need = GROUP_SIZE * MAX_CODE_LEN as usize + 64;
        let have = self.input.len() * 8;
        let eob = (s.n_used + 1) as u16;
        let Some(blk) = self.blk.as_deref_mut() else {
            return Err(Stop::Bad("no block"));
        };
        let bytes = &mut blk.fwd;
        let (mut n, mut run, mut run_bit, mut group) = (s.n, s.run, s.run_bit, s.group);
        let mut mtf = s.mtf;
        let mut counts = s.counts;
        'block: loop {
            if !finish && have.saturating_sub(b.bit()) < need {
                (s.n, s.run, s.run_bit, s.group) = (n, run, run_bit, group);
                s.mtf = mtf;
                s.counts = counts;
                self.bit = b.bit();
                return Err(Stop::More);
            }
            let Some(&sel) = self.selectors.get(group) else {
                return Err(if b.overran() {
                    Stop::More
                } else {
                    Stop::Bad("too few selectors")
                });
            };
            let table = &self.tables[sel as usize];
            group += 1;
            for _ in 0..GROUP_SIZE {
                let sym = table
                    .decode(&mut b)
                    .map_err(|e| if b.overran() { Stop::More } else { e })?;
                if sym <= 1 {
                    // RUNA adds 1, RUNB 2, times the place value.
                    run += run_bit << sym;
                    run_bit <<= 1;
                    if run > self.block_max {
                        return Err(if b.overran() {
                            Stop::More
                        } else {
                            Stop::Bad("run too long")
                        });
                    }
                    continue;
                }
                if run > 0 {
                    if n + run > self.block_max {
                        return Err(Stop::Bad("block too long"));
                    }
                    let byte = s.seq[mtf[0] as u8 as usize];
                    counts[byte as usize] += run as u32;
                    bytes[n..n + run].fill(byte as u32);
                    n += run;
                    run = 0;
                    run_bit = 1;
                }
                if sym == eob {
                    break 'block;
                }
                if n >= self.block_max {
                    return Err(Stop::Bad("block too long"));
                }
                let k = (sym - 1) as usize;
                if k >= s.n_used {
                    return Err(Stop::Bad("bad symbol"));
                }
                let v = mtf_front(&mut mtf, k);
                let byte = s.seq[v as usize];
                counts[byte as usize] += 1;
                bytes[n & BLK_MASK] = byte as u32;
                n += 1;
            }
        }
        if b.overran() {
            return Err(Stop::More);
        }
        if s.orig_ptr >= n.max(1) {
            return Err(Stop::Bad("bad origin pointer"));
        }
        // Inverse transform: each entry gets the index of the entry that follows it in the
        // output.
        let mut start = [0u32; 256];
        let mut sum = 0u32;
        for (st, c) in start.iter_mut().zip(counts.iter()) {
            *st = sum;
            sum += c;
        }
        for i in 0..n {
            let e = blk.fwd[i & BLK_MASK];
            let j = start[e as u8 as usize];
            start[e as u8 as usize] += 1;
            blk.fwd[j as usize & BLK_MASK] |= (i as u32) << 8;
        }
        // The output is the cycle of `next` from after the origin round to the origin itself.
        self.walk = Walk::new(s.orig_ptr, n);
        self.last = -1;
        self.same = 0;
        self.repeat = 0;
        self.crc = 0xffff_ffff;
        self.bit = b.bit();
        self.state = State::Output;
        Ok(())
    }

    /// Write out the decoded block, undoing the first run-length stage (four equal bytes, then
    /// a count of further copies). Returns the bytes written; the block is done when `state`
    /// has moved on.
    fn output(&mut self, o: &mut [u8]) -> Result<usize, Stop> {
        let Some(blk) = self.blk.as_deref_mut() else {
            return Err(Stop::Bad("no block"));
        };
        let fwd = &mut blk.fwd;
        let mut k = self.walk;
        let (mut prev, mut same, mut repeat) = (self.last, self.same, self.repeat);
        let mut w = 0;
        // One byte through the first run-length stage (four equal bytes, then a count of
        // further copies), in a loop that `break`s when a count is met (`repeat` copies of
        // `prev` are then due).
        macro_rules! unrun {
            ($byte:expr) => {
                let byte = $byte;
                if same == 4 {
                    same = 0;
                    if byte == 0 {
                        prev = -1;
                        continue;
                    }
                    repeat = byte as u32;
                    break;
                }
                if byte as i32 == prev {
                    same += 1;
                } else {
                    same = 1;
                    prev = byte as i32;
                }
                o[w] = byte;
                w += 1;
            };
        }
        let next = |fwd: &[u32; BLK], t: usize| (fwd[t & BLK_MASK] >> 8) as usize & BLK_MASK;
        loop {
            if repeat > 0 {
                let b = prev as u8;
                let n = (repeat as usize).min(o.len() - w);
                o[w..w + n].fill(b);
                w += n;
                repeat -= n as u32;
                if repeat > 0 {
                    break;
                }
                // The byte after a count starts a run afresh, whatever its value.
                prev = -1;
            }
            match k.phase {
                // The hot loop: a step of the front chain, and one of the scout's.
                Phase::Front => {
                    while w < o.len() && k.left > 0 && k.phase == Phase::Front {
                        if k.scouting {
                            k.b = next(fwd, k.b);
                            let byte = fwd[k.b] as u8 as u32;
                            fwd[(2 * k.kept) & BLK_MASK] |= (byte & 15) << 28;
                            fwd[(2 * k.kept + 1) & BLK_MASK] |= (byte >> 4) << 28;
                            k.kept += 1;
                            k.scouting = k.b != k.orig && k.kept < k.cap;
                        }
                        k.t = next(fwd, k.t);
                        let byte = fwd[k.t] as u8;
                        k.left -= 1;
                        if k.t == k.scout {
                            k.phase = Phase::Kept;
                            k.scouting = false;
                        }
                        unrun!(byte);
                    }
                }
                Phase::Kept => {
                    if k.read == k.kept {
                        // On from where the scout stopped (the origin when it got there).
                        k.t = k.b;
                        k.phase = Phase::Rest;
                        continue;
                    }
                    while w < o.len() && k.read < k.kept {
                        let r = k.read;
                        let byte = (fwd[(2 * r) & BLK_MASK] >> 28)
                            | (fwd[(2 * r + 1) & BLK_MASK] >> 28) << 4;
                        k.read += 1;
                        k.left -= 1;
                        unrun!(byte as u8);
                    }
                }
                Phase::Rest => {
                    while w < o.len() && k.left > 0 {
                        k.t = next(fwd, k.t);
                        let byte = fwd[k.t] as u8;
                        k.left -= 1;
                        unrun!(byte);
                    }
                }
            }
            if w == o.len() || (k.left == 0 && repeat == 0) {
                break;
            }
        }
        self.walk = k;
        (self.last, self.same, self.repeat) = (prev, same, repeat);
        self.crc = crc_update(&self.crc_table, self.crc, &o[..w]);
        if k.left == 0 && repeat == 0 {
            self.finish_block()?;
        }
        Ok(w)
    }

    fn finish_block(&mut self) -> Result<(), Stop> {
        let crc = !self.crc;
        if crc != self.block_crc {
            return Err(Stop::Bad("block CRC error"));
        }
        self.combined = self.combined.rotate_left(1) ^ crc;
        self.state = State::Block;
        Ok(())
    }
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Step for Decoder {
    /// Input is taken only when the buffered input is not enough to go on, [`SLICE`] bytes at
    /// a time.
    /// A block is decoded group by group as its input comes, so what is kept is the block's
    /// decoded symbols (its bytes), never its compressed input.
    fn step(&mut self, i: &[u8], o: &mut [u8], finish: bool) -> io::Result<(usize, usize, bool)> {
        if matches!(self.state, State::Done) {
            return Ok((i.len(), 0, true));
        }
        self.compact();
        let mut taken = 0;
        let mut w = 0;
        loop {
            // The input has ended once this call's input is buffered too.
            let fin = finish && taken == i.len();
            let r = match self.state {
                State::Output => {
                    w += self.output(&mut o[w..]).map_err(bad)?;
                    if matches!(self.state, State::Output) {
                        return Ok((taken, w, false));
                    }
                    Ok(())
                }
                State::Block => self.block_header(),
                State::Symbols => self.symbols(fin),
                State::Header => match self.header(fin) {
                    Ok(true) => {
                        self.state = State::Block;
                        Ok(())
                    }
                    Ok(false) if self.streams == 0 => {
                        return Err(corrupt("bzip2: format not recognized"))
                    }
                    Ok(false) => {
                        // After a stream, anything that does not start another.
                        self.garbage = self.buffered() > 0;
                        self.input = Vec::new();
                        self.bit = 0;
                        self.blk = None;
                        self.state = State::Done;
                        return Ok((i.len(), w, true));
                    }
                    Err(e) => Err(e),
                },
                State::Done => return Ok((i.len(), w, true)),
            };
            match r {
                Ok(()) => {}
                Err(Stop::More) if taken < i.len() => {
                    self.compact();
                    let k = (i.len() - taken).min(SLICE);
                    self.input.extend_from_slice(&i[taken..taken + k]);
                    taken += k;
                }
                Err(Stop::More) => return Ok((taken, w, false)),
                Err(Stop::Bad(e)) => return Err(bad(Stop::Bad(e))),
            }
        }
    }

    fn trailing_garbage(&self) -> bool {
        self.garbage
    }
}

fn bad(s: Stop) -> io::Error {
    match s {
        Stop::More => io::Error::new(io::ErrorKind::UnexpectedEof, "unexpected end of file"),
        Stop::Bad(m) => corrupt(format_args!("bzip2 data is corrupt: {m}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compress(data: &[u8], level: u32) -> Vec<u8> {
        let mut c = bzip2::Compress::new(bzip2::Compression::new(level), 30);
        let mut out = vec![0u8; data.len() + data.len() / 50 + 1000];
        let st = c.compress(data, &mut out, bzip2::Action::Finish).unwrap();
        assert_eq!(st, bzip2::Status::StreamEnd);
        out.truncate(c.total_out() as usize);
        out
    }

    /// Decode feeding `chunk` bytes at a time into an output of `ochunk` bytes.
    fn decode(z: &[u8], chunk: usize, ochunk: usize) -> io::Result<(Vec<u8>, bool)> {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        let mut pos = 0;
        let mut buf = vec![0u8; ochunk];
        loop {
            let end = (pos + chunk).min(z.len());
            let finish = end == z.len();
            let (c, p, done) = d.step(&z[pos..end], &mut buf, finish)?;
            out.extend_from_slice(&buf[..p]);
            pos += c;
            if done {
                return Ok((out, d.trailing_garbage()));
            }
            if c == 0 && p == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "truncated"));
            }
        }
    }

    fn sample(seed: u64, len: usize) -> Vec<u8> {
        // Runs, text-like bytes and noise, so that every coding path is taken.
        let mut x = seed | 1;
        let mut v = Vec::with_capacity(len);
        while v.len() < len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 4 {
                0 => v.extend(std::iter::repeat_n(
                    (x >> 8) as u8,
                    (x >> 16) as usize % 600,
                )),
                1 => v.extend_from_slice(b"the quick brown fox jumps over the lazy dog\n"),
                _ => v.extend((0..(x >> 20) % 64).map(|k| (x >> (k % 50)) as u8 % 7 + b'a')),
            }
        }
        v.truncate(len);
        v
    }

    #[test]
    fn round_trips_at_every_level_and_chunking() {
        for (seed, len, level) in [
            (1, 0, 9),
            (2, 1, 1),
            (3, 5000, 1),
            (4, 250_000, 1),
            (5, 1_200_000, 9),
            (6, 300_000, 3),
        ] {
            let data = sample(seed, len);
            let z = compress(&data, level);
            for (chunk, ochunk) in [(z.len().max(1), 1 << 20), (4096, 1000), (7, 1)] {
                if chunk == 7 && len > 5000 {
                    continue;
                }
                let (got, garbage) = decode(&z, chunk, ochunk).unwrap();
                assert!(got == data, "seed {seed} chunk {chunk}/{ochunk}");
                assert!(!garbage);
            }
        }
    }

    #[test]
    fn move_to_front_by_words_matches_a_byte_list() {
        let mut w: [u64; 32] =
            std::array::from_fn(|i| u64::from_le_bytes(std::array::from_fn(|b| (i * 8 + b) as u8)));
        let mut l: Vec<u8> = (0..=255).collect();
        let mut x = 12345u32;
        for _ in 0..20_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let k = ((x >> 16) % 256) as usize;
            let k = if x.is_multiple_of(3) { k % 12 } else { k };
            let v = l.remove(k);
            l.insert(0, v);
            assert_eq!(mtf_front(&mut w, k), v);
        }
        let flat: Vec<u8> = w.iter().flat_map(|x| x.to_le_bytes()).collect();
        assert_eq!(flat, l);
    }

    #[test]
    fn scout_and_front_chains_meet_either_way() {
        // Blocks built as a cycle of entries in a pseudo-random order: the scout's start falls
        // anywhere in the output, so the front reaches it first in some and the scout reaches
        // the origin first in others; written out a byte at a time and all at once.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = |m: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m as u64) as usize
        };
        let (mut front_first, mut scout_first) = (0, 0);
        for n in (1..40).chain([255, 256, 1000, 4097]) {
            for _ in 0..8 {
                // The output order of the entries, and their bytes (no runs of four in it).
                let mut order: Vec<usize> = (0..n).collect();
                for i in (1..n).rev() {
                    order.swap(i, rnd(i + 1));
                }
                let mut bytes = vec![0u8; n];
                for (k, &e) in order.iter().enumerate() {
                    bytes[e] = b'a' + (k % 3) as u8;
                }
                let mut blk = Block::new();
                for (k, &e) in order.iter().enumerate() {
                    let after = order[(k + 1) % n];
                    blk.fwd[e] = bytes[e] as u32 | (after as u32) << 8;
                }
                // The origin is the last entry written; the output starts after it.
                let orig = order[n - 1];
                let want: Vec<u8> = order.iter().map(|&e| bytes[e]).collect();
                let walk = Walk::new(orig, n);
                if n >= 2 {
                    let p = order.iter().position(|&e| e == walk.scout).unwrap();
                    if p < n - 1 - p {
                        front_first += 1;
                    } else {
                        scout_first += 1;
                    }
                }
                for ochunk in [1, n + 1] {
                    let mut d = Decoder::new();
                    let mut b2 = Block::new();
                    b2.fwd.copy_from_slice(&blk.fwd[..]);
                    d.blk = Some(Box::new(b2));
                    d.walk = walk;
                    d.crc = 0xffff_ffff;
                    d.block_crc = !crc_update(&d.crc_table, 0xffff_ffff, &want);
                    d.state = State::Output;
                    let mut out = Vec::new();
                    let mut buf = vec![0u8; ochunk];
                    while matches!(d.state, State::Output) {
                        let w = d.output(&mut buf).map_err(|_| "CRC").unwrap();
                        out.extend_from_slice(&buf[..w]);
                    }
                    assert!(out == want, "n {n} ochunk {ochunk}");
                }
            }
        }
        assert!(front_first > 0 && scout_first > 0);
    }

    #[test]
    fn runs_across_the_middle_of_small_blocks() {
        // Runs of the first run-length stage that straddle where the front chain hands over to
        // what the scout kept, in blocks of every small size, odd and even.
        for len in 1..48 {
            for run in [1, 3, 4, 5, 9] {
                let mid = len / 2;
                let data: Vec<u8> = (0..len)
                    .map(|i| {
                        if i + 2 >= mid && i + 2 < mid + run {
                            b'x'
                        } else {
                            b'a' + (i % 3) as u8
                        }
                    })
                    .collect();
                let z = compress(&data, 1);
                assert_eq!(
                    decode(&z, 1 << 20, 1).unwrap().0,
                    data,
                    "len {len} run {run}"
                );
                assert_eq!(
                    decode(&z, 3, 1 << 20).unwrap().0,
                    data,
                    "len {len} run {run}"
                );
            }
        }
    }

    #[test]
    fn long_runs_and_all_byte_values() {
        let mut data: Vec<u8> = (0..=255u8).collect();
        data.extend(std::iter::repeat_n(b'x', 100_000));
        data.extend(std::iter::repeat_n(0u8, 4));
        data.extend(std::iter::repeat_n(1u8, 5));
        data.extend(std::iter::repeat_n(2u8, 259));
        data.extend(std::iter::repeat_n(2u8, 260));
        let z = compress(&data, 1);
        assert_eq!(decode(&z, 1 << 20, 3).unwrap().0, data);
    }

    #[test]
    fn input_buffered_stays_small() {
        // The decoder keeps decoded symbols, not the compressed input: fed in the callers'
        // 128 KiB reads, its copy of the input never grows past a slice and a block header,
        // however long the stream (it once grew with the whole file).
        let data = sample(7, 3_000_000);
        let z = compress(&data, 9);
        let mut d = Decoder::new();
        let (mut pos, mut out, mut most) = (0, Vec::new(), 0);
        let mut buf = vec![0u8; 128 * 1024];
        loop {
            let end = (pos + 128 * 1024).min(z.len());
            let (c, p, done) = d.step(&z[pos..end], &mut buf, end == z.len()).unwrap();
            out.extend_from_slice(&buf[..p]);
            pos += c;
            most = most.max(d.input.capacity());
            if done {
                break;
            }
        }
        assert!(out == data);
        assert!(most <= 2 * SLICE, "input buffer grew to {most}");
    }

    #[test]
    fn concatenated_streams_then_garbage() {
        let a = sample(7, 10_000);
        let b = sample(8, 20_000);
        let mut z = compress(&a, 9);
        z.extend(compress(&b, 2));
        let (got, garbage) = decode(&z, 1000, 4096).unwrap();
        assert_eq!(got, [a.clone(), b].concat());
        assert!(!garbage);
        z.extend_from_slice(b"junk");
        assert!(decode(&z, 1000, 4096).unwrap().1);
    }

    #[test]
    fn a_damaged_block_in_the_middle_stops_after_the_good_ones() {
        // Blocks of 100k, one three quarters in damaged: the ones before it come out whole,
        // then the error.
        let data = sample(11, 600_000);
        let mut z = compress(&data, 1);
        let at = z.len() * 3 / 4;
        z[at] ^= 0x08;
        let mut d = Decoder::new();
        let (mut pos, mut out) = (0, Vec::new());
        let mut buf = vec![0u8; 4096];
        let err = loop {
            let end = (pos + 4096).min(z.len());
            match d.step(&z[pos..end], &mut buf, end == z.len()) {
                Ok((c, p, done)) => {
                    assert!(!done, "damage not seen");
                    out.extend_from_slice(&buf[..p]);
                    pos += c;
                }
                Err(e) => break e,
            }
        };
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        // (The damaged block itself is written out before its CRC is checked at its end, as
        // bzip2 -d does.)
        let good = out.iter().zip(&data).take_while(|(a, b)| a == b).count();
        assert!(good >= 300_000, "only {good} good bytes before the error");
    }

    #[test]
    fn corruption_and_truncation_are_errors() {
        let data = sample(9, 50_000);
        let z = compress(&data, 9);
        assert!(decode(&z[..z.len() - 20], 1 << 20, 1 << 20).is_err());
        let mut bad = z.clone();
        bad[z.len() / 2] ^= 0x10;
        assert!(decode(&bad, 1 << 20, 1 << 20).is_err());
        // Every truncation point and a flipped bit at many places: an error or the data,
        // never a panic.
        for cut in (0..z.len()).step_by(97) {
            let _ = decode(&z[..cut], 1 << 20, 1 << 20);
            let mut f = z.clone();
            f[cut] ^= 1 << (cut % 8);
            let _ = decode(&f, 1 << 20, 1 << 20);
        }
    }
}
