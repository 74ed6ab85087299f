//! Tar headers: parsing ustar, pax (`x`/`g`), GNU (`L`/`K` long names, old sparse `S`,
//! base-256 numbers) and v7 headers, and writing each of GNU tar 1.34's formats (gnu, oldgnu,
//! ustar, pax, v7) byte for byte as GNU writes them.
//!
//! The reader is defensive: every length taken from an archive is checked against what the
//! archive can hold before anything is allocated, so a hostile header costs an error message,
//! never a panic or an unbounded allocation.

pub const BLOCK: usize = 512;

/// Largest pax, `L` or `K` payload we accept: memory stays bounded by this, not by the archive.
pub const MAX_META: u64 = 1 << 20;
/// Largest sparse map (entries) we accept.
pub const MAX_SPARSE: usize = 1 << 16;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Regular,
    HardLink,
    Symlink,
    Char,
    Block,
    Dir,
    Fifo,
    /// GNU `V` volume label, `M` multi-volume continuation, `D` dump dir data and the like:
    /// listed, data skipped.
    Other(u8),
}

/// One archive member, after every extended header has been applied.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub name: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Bytes of member data stored in the archive (after any sparse map in the data).
    pub size: u64,
    pub mtime: i64,
    pub mtime_nsec: u32,
    pub uname: Vec<u8>,
    pub gname: Vec<u8>,
    pub devmajor: u32,
    pub devminor: u32,
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
    pub sparse: Option<Sparse>,
}

/// A sparse file: the data segments (offset, length) stored one after the other, and the
/// full size.
#[derive(Clone, Debug, Default)]
pub struct Sparse {
    pub map: Vec<(u64, u64)>,
    pub real_size: u64,
    /// pax 1.0: the map is at the start of the member data and is read by the archive reader.
    pub map_in_data: bool,
}

impl Entry {
    pub fn kind(&self) -> Kind {
        match self.typeflag {
            b'0' | 0 | b'7' | b'S' => {
                if self.name.ends_with(b"/") && self.typeflag != b'S' {
                    Kind::Dir
                } else {
                    Kind::Regular
                }
            }
            b'1' => Kind::HardLink,
            b'2' => Kind::Symlink,
            b'3' => Kind::Char,
            b'4' => Kind::Block,
            b'5' => Kind::Dir,
            b'6' => Kind::Fifo,
            c => Kind::Other(c),
        }
    }

    /// Whether the member carries file data that extraction writes (as opposed to data that
    /// is skipped: directories dumps, labels).
    pub fn has_file_data(&self) -> bool {
        self.kind() == Kind::Regular
    }

    /// Size of the file once extracted.
    pub fn file_size(&self) -> u64 {
        match &self.sparse {
            Some(s) => s.real_size,
            None => self.size,
        }
    }
}

/// Why a header block was rejected.
#[derive(Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// Checksum mismatch or garbage: not a header.
    NotHeader,
    /// A header whose fields make no sense (negative size and the like).
    Malformed(&'static str),
}

/// Whether `b` starts with a valid header (or an end-of-archive block).
pub fn parse_header_ok(b: &[u8]) -> bool {
    b.len() >= BLOCK && (is_zero_block(&b[..BLOCK]) || parse_header(&b[..BLOCK]).is_ok())
}

pub fn is_zero_block(b: &[u8]) -> bool {
    b.iter().all(|&x| x == 0)
}

/// Parse a numeric field: octal (space/NUL padded, as every writer does it) or GNU base-256
/// (first byte 0x80 positive, 0xff negative).
pub fn parse_num(f: &[u8]) -> Option<i64> {
    if f.is_empty() {
        return Some(0);
    }
    if f[0] & 0x80 != 0 {
        // Two's complement, the marker bit included (0x80 = positive, 0xff = negative).
        let neg = f[0] & 0x40 != 0;
        let mut v: i128 = if neg {
            f[0] as i128 - 256
        } else {
            (f[0] & 0x7f) as i128
        };
        for &b in &f[1..] {
            v = v.checked_mul(256)?.checked_add(b as i128)?;
            if v > i64::MAX as i128 || v < i64::MIN as i128 {
                return None;
            }
        }
        return Some(v as i64);
    }
    let mut i = 0;
    while i < f.len() && (f[i] == b' ' || f[i] == 0) {
        i += 1;
    }
    let mut v: i64 = 0;
    while i < f.len() && (b'0'..=b'7').contains(&f[i]) {
        v = v.checked_mul(8)?.checked_add((f[i] - b'0') as i64)?;
        i += 1;
    }
    // Only padding may follow the digits.
    if f[i..].iter().any(|&c| c != b' ' && c != 0) {
        return None;
    }
    Some(v)
}

fn field(b: &[u8]) -> &[u8] {
    match memchr::memchr(0, b) {
        Some(i) => &b[..i],
        None => b,
    }
}

/// (unsigned, signed) sums of a header with the checksum field read as spaces.
fn checksums(b: &[u8]) -> (i64, i64) {
    let (mut u, mut s) = block_sums(b);
    for &c in &b[148..156] {
        u += b' ' as i64 - c as i64;
        s += b' ' as i64 - c as i8 as i64;
    }
    (u, s)
}

/// (unsigned, signed) byte sums of one block, eight bytes at a time: every member listed,
/// extracted or created pays for it, and the release build (opt-level "s") does not
/// auto-vectorise the byte loop. Bytes are widened into 16-bit lanes (at most 64 words x 2 x 255
/// per lane); the signed sum takes 256 off for every byte with the top bit set.
fn block_sums(b: &[u8]) -> (i64, i64) {
    const LO: u64 = 0x00ff_00ff_00ff_00ff;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let fold = |x: u64| (x & 0xffff) + (x >> 16 & 0xffff) + (x >> 32 & 0xffff) + (x >> 48);
    let (mut pairs, mut high) = (0u64, 0u64);
    for w in b[..BLOCK].chunks_exact(8) {
        let v = u64::from_le_bytes(w.try_into().unwrap());
        pairs += (v & LO) + (v >> 8 & LO);
        high += v >> 7 & ONES;
    }
    let u = fold(pairs) as i64;
    let h = fold((high & LO) + (high >> 8 & LO)) as i64;
    (u, u - 256 * h)
}

/// The raw fields of one header block, before extended headers are applied.
pub struct Raw {
    pub e: Entry,
    /// Stored data size (what follows the header in the archive).
    pub size: u64,
    /// The header has POSIX ustar magic (the prefix field is a name prefix).
    pub ustar: bool,
    /// GNU magic: old sparse fields live in the header.
    pub gnu: bool,
    pub is_extended: bool,
}

pub fn parse_header(b: &[u8]) -> Result<Raw, HeaderError> {
    let sum = parse_num(&b[148..156]).ok_or(HeaderError::NotHeader)?;
    let (u, s) = checksums(b);
    if sum != u && sum != s {
        return Err(HeaderError::NotHeader);
    }
    let ustar = &b[257..263] == b"ustar\0";
    let gnu = &b[257..265] == b"ustar  \0";
    let num = |r: std::ops::Range<usize>, what: &'static str| -> Result<i64, HeaderError> {
        parse_num(&b[r]).ok_or(HeaderError::Malformed(what))
    };
    let typeflag = b[156];
    let mut e = Entry {
        typeflag,
        ..Default::default()
    };
    let mut name = field(&b[0..100]).to_vec();
    if ustar {
        let prefix = field(&b[345..500]);
        if !prefix.is_empty() {
            let mut n = prefix.to_vec();
            n.push(b'/');
            n.extend_from_slice(&name);
            name = n;
        }
    }
    e.name = name;
    e.mode = (num(100..108, "mode")? & 0o7777) as u32;
    let uid = num(108..116, "uid")?;
    let gid = num(116..124, "gid")?;
    e.uid = uid.max(0) as u64;
    e.gid = gid.max(0) as u64;
    let size = num(124..136, "size")?;
    if size < 0 {
        return Err(HeaderError::Malformed("negative size"));
    }
    e.mtime = num(136..148, "mtime")?;
    e.link = field(&b[157..257]).to_vec();
    if ustar || gnu {
        e.uname = field(&b[265..297]).to_vec();
        e.gname = field(&b[297..329]).to_vec();
        e.devmajor = num(329..337, "devmajor")?.clamp(0, u32::MAX as i64) as u32;
        e.devminor = num(337..345, "devminor")?.clamp(0, u32::MAX as i64) as u32;
    }
    // Links and directories store no data whatever their size field says (GNU agrees).
    let size = match typeflag {
        b'1' | b'2' | b'3' | b'4' | b'5' | b'6' => 0,
        _ => size as u64,
    };
    e.size = size;
    let mut is_extended = false;
    if typeflag == b'S' && gnu {
        let mut map = Vec::new();
        for i in 0..4 {
            let o = 386 + i * 24;
            push_sparse(&mut map, &b[o..o + 12], &b[o + 12..o + 24])?;
        }
        is_extended = b[482] != 0;
        let real = num(483..495, "realsize")?;
        e.sparse = Some(Sparse {
            map,
            real_size: real.max(0) as u64,
            map_in_data: false,
        });
    }
    Ok(Raw {
        e,
        size,
        ustar,
        gnu,
        is_extended,
    })
}

/// One old-GNU sparse entry; empty slots (offset and size both zero or blank) are skipped.
fn push_sparse(map: &mut Vec<(u64, u64)>, off: &[u8], len: &[u8]) -> Result<(), HeaderError> {
    if off[0] == 0 && len[0] == 0 {
        return Ok(());
    }
    let o = parse_num(off).ok_or(HeaderError::Malformed("sparse offset"))?;
    let l = parse_num(len).ok_or(HeaderError::Malformed("sparse size"))?;
    if o < 0 || l < 0 {
        return Err(HeaderError::Malformed("negative sparse entry"));
    }
    if map.len() >= MAX_SPARSE {
        return Err(HeaderError::Malformed("sparse map too large"));
    }
    map.push((o as u64, l as u64));
    Ok(())
}

/// An old-GNU sparse extension block: 21 entries then the "more follow" flag.
pub fn parse_sparse_ext(b: &[u8], map: &mut Vec<(u64, u64)>) -> Result<bool, HeaderError> {
    for i in 0..21 {
        let o = i * 24;
        push_sparse(map, &b[o..o + 12], &b[o + 12..o + 24])?;
    }
    Ok(b[504] != 0)
}

/// pax records: `LEN KEY=VALUE\n`, LEN counting the whole record.
pub fn parse_pax(data: &[u8], mut f: impl FnMut(&[u8], &[u8])) -> Result<(), HeaderError> {
    let mut rest = data;
    while !rest.is_empty() {
        if rest.iter().all(|&c| c == 0) {
            break;
        }
        let sp = memchr::memchr(b' ', rest).ok_or(HeaderError::Malformed("pax record"))?;
        let len_s = &rest[..sp];
        if len_s.is_empty() || len_s.len() > 20 || !len_s.iter().all(u8::is_ascii_digit) {
            return Err(HeaderError::Malformed("pax record length"));
        }
        let len: usize = std::str::from_utf8(len_s)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(HeaderError::Malformed("pax record length"))?;
        if len <= sp + 1 || len > rest.len() || rest[len - 1] != b'\n' {
            return Err(HeaderError::Malformed("pax record length"));
        }
        let rec = &rest[sp + 1..len - 1];
        let eq = memchr::memchr(b'=', rec).ok_or(HeaderError::Malformed("pax record"))?;
        f(&rec[..eq], &rec[eq + 1..]);
        rest = &rest[len..];
    }
    Ok(())
}

/// A pax time value `SECONDS[.FRACTION]`, possibly negative.
pub fn parse_pax_time(v: &[u8]) -> Option<(i64, u32)> {
    let s = std::str::from_utf8(v).ok()?;
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (secs, frac) = match s.split_once('.') {
        Some((a, b)) => (a, b),
        None => (s, ""),
    };
    if secs.is_empty() || !secs.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut sec: i64 = secs.parse().ok()?;
    let mut ns: u32 = 0;
    for (i, c) in frac.bytes().take(9).enumerate() {
        ns += (c - b'0') as u32 * 10u32.pow(8 - i as u32);
    }
    if neg {
        sec = -sec;
        if ns > 0 {
            sec -= 1;
            ns = 1_000_000_000 - ns;
        }
    }
    Some((sec, ns))
}

pub fn parse_dec(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 20 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// The pax keys that override or extend a member; `sparse_*` collect GNU sparse formats 0.x/1.0.
#[derive(Default, Clone)]
pub struct PaxState {
    pub path: Option<Vec<u8>>,
    pub linkpath: Option<Vec<u8>>,
    pub size: Option<u64>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub uname: Option<Vec<u8>>,
    pub gname: Option<Vec<u8>>,
    pub mtime: Option<(i64, u32)>,
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
    pub sparse_major: Option<u64>,
    pub sparse_minor: Option<u64>,
    pub sparse_name: Option<Vec<u8>>,
    pub sparse_realsize: Option<u64>,
    pub sparse_map: Vec<(u64, u64)>,
    pending_offset: Option<u64>,
    pub bad: bool,
}

impl PaxState {
    pub fn apply(&mut self, k: &[u8], v: &[u8]) {
        match k {
            b"path" => self.path = Some(v.to_vec()),
            b"linkpath" => self.linkpath = Some(v.to_vec()),
            b"size" => self.size = self.num(v),
            b"uid" => self.uid = self.num(v),
            b"gid" => self.gid = self.num(v),
            b"uname" => self.uname = Some(v.to_vec()),
            b"gname" => self.gname = Some(v.to_vec()),
            b"mtime" => {
                self.mtime = parse_pax_time(v);
                if self.mtime.is_none() {
                    self.bad = true;
                }
            }
            b"GNU.sparse.major" => self.sparse_major = self.num(v),
            b"GNU.sparse.minor" => self.sparse_minor = self.num(v),
            b"GNU.sparse.name" => self.sparse_name = Some(v.to_vec()),
            b"GNU.sparse.realsize" | b"GNU.sparse.size" => self.sparse_realsize = self.num(v),
            b"GNU.sparse.offset" => self.pending_offset = self.num(v),
            b"GNU.sparse.numbytes" => {
                if let (Some(o), Some(n)) = (self.pending_offset.take(), self.num(v)) {
                    if self.sparse_map.len() < MAX_SPARSE {
                        self.sparse_map.push((o, n));
                    } else {
                        self.bad = true;
                    }
                }
            }
            b"GNU.sparse.map" => {
                let nums: Vec<Option<u64>> = v.split(|&c| c == b',').map(parse_dec).collect();
                if !nums.len().is_multiple_of(2)
                    || nums.len() / 2 > MAX_SPARSE
                    || nums.iter().any(|n| n.is_none())
                {
                    self.bad = true;
                } else {
                    self.sparse_map = nums
                        .chunks(2)
                        .map(|c| (c[0].unwrap_or(0), c[1].unwrap_or(0)))
                        .collect();
                    self.sparse_major.get_or_insert(0);
                }
            }
            _ => {
                for pre in [&b"SCHILY.xattr."[..], b"LIBARCHIVE.xattr."] {
                    if let Some(name) = k.strip_prefix(pre) {
                        if pre == b"SCHILY.xattr." {
                            self.xattrs.push((name.to_vec(), v.to_vec()));
                        }
                    }
                }
            }
        }
    }

    fn num(&mut self, v: &[u8]) -> Option<u64> {
        let n = parse_dec(v);
        if n.is_none() {
            self.bad = true;
        }
        n
    }

    /// Overlay onto a parsed header.
    pub fn overlay(&self, e: &mut Entry) {
        if let Some(p) = &self.path {
            e.name = p.clone();
        }
        if let Some(p) = &self.linkpath {
            e.link = p.clone();
        }
        if let Some(v) = self.uid {
            e.uid = v;
        }
        if let Some(v) = self.gid {
            e.gid = v;
        }
        if let Some(v) = &self.uname {
            e.uname = v.clone();
        }
        if let Some(v) = &self.gname {
            e.gname = v.clone();
        }
        if let Some((s, ns)) = self.mtime {
            e.mtime = s;
            e.mtime_nsec = ns;
        }
        e.xattrs.extend(self.xattrs.iter().cloned());
    }
}

// ---------------------------------------------------------------------------------------------
// Writing: GNU tar 1.34's create.c and xheader.c, field by field, so that an archive is
// byte-identical to GNU's for the same tree and options.

/// The archive formats `--format` names (GNU's default is `Gnu`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// Unix V7: no magic, no owner names, names up to 99 bytes, no devices or fifos.
    V7,
    /// GNU tar before 1.12: as `Gnu`, with names of 100 bytes already in `L` records and
    /// every name field NUL-terminated.
    OldGnu,
    /// GNU: `ustar  \0` magic, `././@LongLink` `L`/`K` records for long names, base-256
    /// numbers, old GNU sparse headers.
    Gnu,
    /// POSIX.1-1988 ustar: names split into prefix and name, up to 256 bytes; values that do
    /// not fit are errors.
    Ustar,
    /// POSIX.1-2001 pax: extended headers for what ustar cannot hold, and atime and ctime.
    Posix,
}

/// `--pax-option`: what GNU's xheader.c takes from it.
#[derive(Clone, Debug, Default)]
pub struct PaxOptions {
    pub exthdr_name: Option<Vec<u8>>,
    pub globexthdr_name: Option<Vec<u8>>,
    pub exthdr_mtime: Option<i64>,
    pub globexthdr_mtime: Option<i64>,
    /// `delete=PATTERN`: keywords matching one of these are never written.
    pub delete: Vec<Vec<u8>>,
    /// `KEY=VALUE`, in the order GNU writes them (the last given first): the global header.
    pub global: Vec<(Vec<u8>, Vec<u8>)>,
    /// `KEY:=VALUE`, in GNU's order: closing each extended header (and the global one).
    pub per_file: Vec<(Vec<u8>, Vec<u8>)>,
}

impl PaxOptions {
    fn deleted(&self, key: &[u8]) -> bool {
        self.delete
            .iter()
            .any(|p| crate::common::fnmatch::fnmatch(p, key, Default::default()))
    }

    fn overridden(&self, key: &[u8]) -> bool {
        self.per_file.iter().any(|(k, _)| k == key)
    }
}

/// What stays the same for every member written.
pub struct WriteOpts<'a> {
    pub format: Format,
    pub pax: &'a PaxOptions,
    pub numeric_owner: bool,
    /// The names of uid 0 and gid 0, which GNU puts in its `././@LongLink` headers.
    pub root_names: (&'a [u8], &'a [u8]),
    /// Process id for `%p` in extended header names.
    pub pid: u32,
    /// `-P`: `%d` keeps a leading `/` or `../`.
    pub absolute: bool,
}

/// What a writer stores for one member.
#[derive(Clone, Copy)]
pub struct Meta<'a> {
    /// The member name (directories with their trailing slash).
    pub name: &'a [u8],
    /// The name extended header names (`%d`, `%f`) are made from: the member's own name, also
    /// when the header carries another (pax sparse files).
    pub xname: &'a [u8],
    pub link: &'a [u8],
    pub typeflag: u8,
    /// Permission bits.
    pub mode: u32,
    /// Device numbers of a character or block device (also when archived as a hard link).
    pub dev: Option<(u32, u32)>,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    pub mtime_nsec: u32,
    pub atime: (i64, u32),
    pub ctime: (i64, u32),
    pub uname: &'a [u8],
    pub gname: &'a [u8],
    pub xattrs: &'a [(Vec<u8>, Vec<u8>)],
    /// pax records stored before all others (GNU's sparse keywords).
    pub pax: &'a [(Vec<u8>, Vec<u8>)],
    /// Old GNU sparse member (typeflag `S`): the map and the real size; `size` is the data
    /// stored.
    pub sparse: Option<(&'a [(u64, u64)], u64)>,
}

/// A message the writer has for the user (without the `tar: ` prefix).
#[derive(Debug, PartialEq, Eq)]
pub enum Diag {
    /// An error: exit status 2.
    Error(Vec<u8>),
    /// A warning: status unchanged.
    Warn(Vec<u8>),
    /// The directory `%d` of an extended header's name had a leading `/` or `../` removed
    /// (GNU reports it as for a member name).
    Unsafe(Vec<u8>),
}

const OCT7: u64 = 0o7777777;
const OCT11: u64 = 0o77777777777;

/// GNU's `to_octal`: digits with leading zeros, then a NUL.
fn put_octal(dst: &mut [u8], v: u64) {
    let w = dst.len() - 1;
    let mut x = v;
    for i in (0..w).rev() {
        dst[i] = b'0' + (x & 7) as u8;
        x >>= 3;
    }
    dst[w] = 0;
}

/// GNU's `to_chars`: octal when it fits; in the GNU formats base-256 otherwise (0x80 or 0xff
/// then the value in the remaining bytes); else the error GNU reports.
fn to_chars(dst: &mut [u8], v: i128, gnu: bool, what: &str) -> Result<(), Vec<u8>> {
    let w = dst.len() - 1;
    let max_oct = (1i128 << (3 * w)) - 1;
    if (0..=max_oct).contains(&v) {
        put_octal(dst, v as u64);
        return Ok(());
    }
    let max256 = (1i128 << (8 * w)) - 1;
    if gnu {
        if (if v < 0 { -1 - v } else { v }) <= max256 {
            dst[0] = if v < 0 { 0xff } else { 0x80 };
            let mut x = v;
            for i in (1..dst.len()).rev() {
                dst[i] = x as u8;
                x >>= 8;
            }
            return Ok(());
        }
        let m = format!("value {v} out of {what} range {}..{max256}", -max256 - 1);
        return Err(m.into_bytes());
    }
    Err(format!("value {v} out of {what} range 0..{max_oct}").into_bytes())
}

/// GNU's `tar_copy_str`: at most `dst.len()` bytes, NUL-terminated only if shorter.
fn put_str(dst: &mut [u8], s: &[u8]) {
    let n = s.len().min(dst.len());
    dst[..n].copy_from_slice(&s[..n]);
}

fn pax_record(out: &mut Vec<u8>, key: &[u8], val: &[u8]) {
    let base = key.len() + val.len() + 3;
    let mut len = base + 1;
    loop {
        let digits = len.to_string().len();
        if base + digits == len {
            break;
        }
        len = base + digits;
    }
    out.extend_from_slice(len.to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(key);
    out.push(b'=');
    out.extend_from_slice(val);
    out.push(b'\n');
}

/// GNU's `code_timespec`: seconds, then the fraction without trailing zeros.
pub fn pax_time(s: i64, ns: u32) -> Vec<u8> {
    let ns = if ns >= 1_000_000_000 { 0 } else { ns };
    let (neg, mut s, mut ns) = (s < 0, s, ns);
    if neg && ns != 0 {
        s += 1;
        ns = 1_000_000_000 - ns;
    }
    let mut v = if neg {
        format!("-{}", (s as i128).unsigned_abs())
    } else {
        s.to_string()
    };
    if ns != 0 {
        let mut f = format!("{ns:09}");
        while f.ends_with('0') {
            f.pop();
        }
        v.push('.');
        v.push_str(&f);
    }
    v.into_bytes()
}

/// GNU's `split_long_name`: the last '/' that leaves a prefix of at most 155 bytes.
fn split_long_name(name: &[u8]) -> usize {
    let mut len = name.len();
    if len > 156 {
        len = 156;
    } else if name[len - 1] == b'/' {
        len -= 1;
    }
    let mut i = len - 1;
    while i > 0 && name[i] != b'/' {
        i -= 1;
    }
    i
}

/// A member's extended header being collected (GNU's `st->xhdr`): written only when some
/// keyword asked for it, even if every value was overridden.
struct XHdr<'a> {
    p: &'a PaxOptions,
    data: Vec<u8>,
    used: bool,
}

impl XHdr<'_> {
    fn store(&mut self, key: &[u8], val: &[u8]) {
        if self.p.deleted(key) {
            return;
        }
        self.used = true;
        if !self.p.overridden(key) {
            pax_record(&mut self.data, key, val);
        }
    }

    fn finish(mut self) -> Option<Vec<u8>> {
        if !self.used {
            return None;
        }
        for (k, v) in &self.p.per_file {
            pax_record(&mut self.data, k, v);
        }
        Some(self.data)
    }
}

/// GNU's `xheader_format_name`: `%d` (directory of `name`, `.` if none, made safe unless
/// `absolute`), `%f` (its last component), `%p` (process id), `%n` (`n`), `%%`; trailing
/// slashes dropped. Also the directory when making it safe removed something.
pub fn format_name(
    fmt: &[u8],
    name: Option<&[u8]>,
    pid: u32,
    n: u64,
    absolute: bool,
) -> (Vec<u8>, Option<Vec<u8>>) {
    let (dir, base) = match name {
        Some(nm) => {
            let t = crate::common::fs::strip_trailing_slashes(nm);
            match memchr::memrchr(b'/', t) {
                Some(0) => (&b"/"[..], &nm[1..]),
                Some(i) => {
                    let d = crate::common::fs::strip_trailing_slashes(&t[..i]);
                    (d, &nm[i + 1..])
                }
                None => (&b"."[..], nm),
            }
        }
        None => (&b""[..], &b""[..]),
    };
    // The directory is made safe as member names are (no leading '/' or '../').
    let uses_dir = name.is_some() && memchr::memmem::find(fmt, b"%d").is_some();
    let (dir, unsafe_dir) = if absolute {
        (dir.to_vec(), None)
    } else {
        let d = safe_dir(dir);
        let changed = uses_dir && d != dir;
        (d, changed.then(|| dir.to_vec()))
    };
    let mut out = Vec::with_capacity(fmt.len() + dir.len() + base.len());
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] == b'%' && i + 1 < fmt.len() {
            match fmt[i + 1] {
                b'%' => out.push(b'%'),
                b'd' => out.extend_from_slice(&dir),
                b'f' => out.extend_from_slice(base),
                b'p' => out.extend_from_slice(pid.to_string().as_bytes()),
                b'n' => out.extend_from_slice(n.to_string().as_bytes()),
                c => {
                    out.push(b'%');
                    out.push(c);
                }
            }
            i += 2;
        } else {
            out.push(fmt[i]);
            i += 1;
        }
    }
    while out.ends_with(b"/") {
        out.pop();
    }
    (out, unsafe_dir)
}

/// GNU's `safer_name_suffix`, quietly: everything up to the last `..` component and leading
/// slashes removed, `.` if nothing is left.
pub fn safe_dir(name: &[u8]) -> Vec<u8> {
    let mut prefix_len = 0;
    let mut p = 0;
    while p < name.len() {
        if name[p..].starts_with(b"..") && (p + 2 == name.len() || name[p + 2] == b'/') {
            prefix_len = p + 2;
        }
        while p < name.len() {
            p += 1;
            if name[p - 1] == b'/' {
                break;
            }
        }
    }
    let mut q = prefix_len;
    while q < name.len() && name[q] == b'/' {
        q += 1;
    }
    if q == name.len() {
        b".".to_vec()
    } else {
        name[q..].to_vec()
    }
}

/// GNU's `start_private_header` + `simple_finish_header`: the header of an `L`/`K` record or
/// of an extended header.
fn private_header(name: &[u8], size: u64, t: i64, fmt: Format) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    put_str(&mut b[0..100], name);
    if fmt == Format::OldGnu {
        b[99] = 0;
    }
    let gnu = matches!(fmt, Format::Gnu | Format::OldGnu);
    let _ = to_chars(&mut b[124..136], size as i128, gnu, "off_t");
    put_octal(&mut b[136..148], t.clamp(0, OCT11 as i64) as u64);
    put_octal(&mut b[100..108], 0o644);
    put_octal(&mut b[108..116], 0);
    put_octal(&mut b[116..124], 0);
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    b
}

/// `data` after its header, padded to whole blocks.
fn put_data(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(data);
    pad_to_block(out);
}

/// GNU's `write_gnu_long_link`: a `././@LongLink` record of type `L` or `K`.
fn long_link(out: &mut Vec<u8>, w: &WriteOpts, s: &[u8], typ: u8) {
    let mut b = private_header(b"././@LongLink", s.len() as u64 + 1, 0, w.format);
    if !w.numeric_owner {
        string_to_chars(&mut b[265..297], w.root_names.0);
        string_to_chars(&mut b[297..329], w.root_names.1);
    }
    b[257..265].copy_from_slice(b"ustar  \0");
    b[156] = typ;
    finish_checksum(&mut b);
    out.extend_from_slice(&b);
    out.extend_from_slice(s);
    out.push(0);
    pad_to_block(out);
}

/// GNU's `string_to_chars`: at most `len - 1` bytes and a NUL.
fn string_to_chars(dst: &mut [u8], s: &[u8]) {
    let n = s.len().min(dst.len() - 1);
    dst[..n].copy_from_slice(&s[..n]);
}

/// The extended header `x` of a member: its header block (named after `exthdr.name`) and data.
fn write_x(out: &mut Vec<u8>, w: &WriteOpts, m: &Meta, data: &[u8], diags: &mut Vec<Diag>) {
    let fmt = w.pax.exthdr_name.as_deref().unwrap_or(b"%d/PaxHeaders/%f");
    let (name, unsafe_dir) = format_name(fmt, Some(m.xname), w.pid, 0, w.absolute);
    if let Some(d) = unsafe_dir {
        diags.push(Diag::Unsafe(d));
    }
    let t = w.pax.exthdr_mtime.unwrap_or(m.mtime);
    let mut b = private_header(&name, data.len() as u64, t, w.format);
    b[156] = b'x';
    finish_checksum(&mut b);
    out.extend_from_slice(&b);
    put_data(out, data);
}

/// The global extended header GNU writes at the start of a pax archive made with
/// `--pax-option KEY=VALUE`; `start` is the time tar started.
pub fn write_global(out: &mut Vec<u8>, w: &WriteOpts, start: i64) {
    if w.pax.global.is_empty() {
        return;
    }
    let mut data = Vec::new();
    for (k, v) in w.pax.global.iter().chain(&w.pax.per_file) {
        pax_record(&mut data, k, v);
    }
    let fmt = match &w.pax.globexthdr_name {
        Some(f) => f.clone(),
        None => {
            let mut t = std::env::var_os("TMPDIR")
                .map(std::os::unix::ffi::OsStringExt::into_vec)
                .unwrap_or_else(|| b"/tmp".to_vec());
            t.extend_from_slice(b"/GlobalHead.%p.%n");
            t
        }
    };
    let name = format_name(&fmt, None, w.pid, 1, w.absolute).0;
    let t = w.pax.globexthdr_mtime.unwrap_or(start);
    let mut b = private_header(&name, data.len() as u64, t, w.format);
    b[156] = b'g';
    finish_checksum(&mut b);
    out.extend_from_slice(&b);
    put_data(out, &data);
}

/// Append the header blocks for `m` to `out`, as GNU's `start_header` and `finish_header` do:
/// `K`/`L` records or the extended header first, then the header (and an old GNU sparse
/// member's extension blocks). False when GNU would say "not dumped" (in `diags`); what GNU
/// had already written by then stays in `out`, as in GNU's archive.
pub fn write_header(out: &mut Vec<u8>, m: &Meta, w: &WriteOpts, diags: &mut Vec<Diag>) -> bool {
    let fmt = w.format;
    let gnu = matches!(fmt, Format::Gnu | Format::OldGnu);
    let old = fmt == Format::OldGnu;
    let name_max = if old { 99 } else { 100 };
    let mut x = XHdr {
        p: w.pax,
        data: Vec::new(),
        used: false,
    };
    let q = |s: &[u8]| super::diag::diag_name(s);
    for (k, v) in m.pax {
        x.store(k, v);
    }
    // The link target first (GNU's write_long_link).
    if matches!(m.typeflag, b'1' | b'2') && m.link.len() > name_max {
        match fmt {
            Format::Posix => x.store(b"linkpath", m.link),
            Format::V7 | Format::Ustar => {
                let mut e = q(m.link);
                e.extend_from_slice(b": link name is too long; not dumped");
                diags.push(Diag::Error(e));
            }
            Format::Gnu | Format::OldGnu => long_link(out, w, m.link, b'K'),
        }
    }
    let mut b = [0u8; BLOCK];
    // The name (GNU's write_header_name).
    let name = m.name;
    let ascii = |s: &[u8]| s.iter().all(|&c| c < 0x80);
    if fmt == Format::Posix && !ascii(name) {
        x.store(b"path", name);
    } else if name.len() > name_max {
        match fmt {
            Format::Posix => x.store(b"path", name),
            Format::V7 => {
                let mut e = q(name);
                e.extend_from_slice(b": file name is too long (max 99); not dumped");
                diags.push(Diag::Error(e));
                return false;
            }
            Format::Ustar => {
                if name.len() > 256 {
                    let mut e = q(name);
                    e.extend_from_slice(b": file name is too long (max 256); not dumped");
                    diags.push(Diag::Error(e));
                    return false;
                }
                let i = split_long_name(name);
                let nlen = name.len() - i - 1;
                if i == 0 || nlen > 100 || nlen == 0 {
                    let mut e = q(name);
                    e.extend_from_slice(b": file name is too long (cannot be split); not dumped");
                    diags.push(Diag::Error(e));
                    return false;
                }
                b[345..345 + i].copy_from_slice(&name[..i]);
                b[..nlen].copy_from_slice(&name[i + 1..]);
            }
            Format::Gnu | Format::OldGnu => long_link(out, w, name, b'L'),
        }
    }
    if fmt != Format::Ustar || name.len() <= 100 {
        put_str(&mut b[0..100], name);
        if old {
            b[99] = 0;
        }
    }
    let err = |diags: &mut Vec<Diag>, e: Vec<u8>| {
        diags.push(Diag::Error(e));
        false
    };
    if let Err(e) = to_chars(&mut b[100..108], (m.mode & 0o7777) as i128, gnu, "mode_t") {
        return err(diags, e);
    }
    let mut uid = m.uid;
    if fmt == Format::Posix && uid > OCT7 {
        x.store(b"uid", uid.to_string().as_bytes());
        uid = 0;
    }
    if let Err(e) = to_chars(&mut b[108..116], uid as i128, gnu, "uid_t") {
        return err(diags, e);
    }
    let mut gid = m.gid;
    if fmt == Format::Posix && gid > OCT7 {
        x.store(b"gid", gid.to_string().as_bytes());
        gid = 0;
    }
    if let Err(e) = to_chars(&mut b[116..124], gid as i128, gnu, "gid_t") {
        return err(diags, e);
    }
    let mut size = match m.sparse {
        Some((_, real)) => real,
        None => m.size,
    };
    if fmt == Format::Posix && size > OCT11 {
        x.store(b"size", size.to_string().as_bytes());
        size = 0;
    }
    if let Err(e) = to_chars(&mut b[124..136], size as i128, gnu, "off_t") {
        return err(diags, e);
    }
    let mut mtime = m.mtime;
    if fmt == Format::Posix {
        // GNU compares the time as unsigned: a negative one goes to the extended header too.
        let fits = (0..=OCT11 as i64).contains(&mtime);
        if !fits || m.mtime_nsec != 0 {
            x.store(b"mtime", &pax_time(mtime, m.mtime_nsec));
        }
        if !fits {
            mtime = 0;
        }
    }
    if let Err(e) = to_chars(&mut b[136..148], mtime as i128, gnu, "time_t") {
        return err(diags, e);
    }
    if let Some((mut ma, mut mi)) = m.dev {
        if fmt == Format::Posix && ma as u64 > OCT7 {
            x.store(b"devmajor", ma.to_string().as_bytes());
            ma = 0;
        }
        if let Err(e) = to_chars(&mut b[329..337], ma as i128, gnu, "major_t") {
            return err(diags, e);
        }
        if fmt == Format::Posix && mi as u64 > OCT7 {
            x.store(b"devminor", mi.to_string().as_bytes());
            mi = 0;
        }
        if let Err(e) = to_chars(&mut b[337..345], mi as i128, gnu, "minor_t") {
            return err(diags, e);
        }
    } else if !gnu {
        put_octal(&mut b[329..337], 0);
        put_octal(&mut b[337..345], 0);
    }
    if fmt == Format::Posix {
        x.store(b"atime", &pax_time(m.atime.0, m.atime.1));
        x.store(b"ctime", &pax_time(m.ctime.0, m.ctime.1));
    }
    put_str(&mut b[157..257], m.link);
    b[156] = if fmt == Format::V7 && m.typeflag == b'0' {
        0
    } else {
        m.typeflag
    };
    match fmt {
        Format::V7 => {}
        Format::Gnu | Format::OldGnu => b[257..265].copy_from_slice(b"ustar  \0"),
        Format::Ustar | Format::Posix => {
            b[257..263].copy_from_slice(b"ustar\0");
            b[263..265].copy_from_slice(b"00");
        }
    }
    if fmt != Format::V7 && !w.numeric_owner {
        if fmt == Format::Posix && (m.uname.len() > 32 || !ascii(m.uname)) {
            x.store(b"uname", m.uname);
        }
        string_to_chars(&mut b[265..297], m.uname);
        if fmt == Format::Posix && (m.gname.len() > 32 || !ascii(m.gname)) {
            x.store(b"gname", m.gname);
        }
        string_to_chars(&mut b[297..329], m.gname);
    }
    if fmt == Format::Posix {
        for (k, v) in m.xattrs {
            let mut key = b"SCHILY.xattr.".to_vec();
            key.extend_from_slice(k);
            x.store(&key, v);
        }
    }
    // Old GNU sparse: the real size, the stored size, four map entries here and 21 in each
    // extension block.
    let mut rest: &[(u64, u64)] = &[];
    if let Some((map, real)) = m.sparse {
        let _ = to_chars(&mut b[483..495], real as i128, gnu, "off_t");
        let _ = to_chars(&mut b[124..136], m.size as i128, gnu, "off_t");
        let n = map.len().min(4);
        for (i, &(o, l)) in map[..n].iter().enumerate() {
            let at = 386 + i * 24;
            let _ = to_chars(&mut b[at..at + 12], o as i128, gnu, "off_t");
            let _ = to_chars(&mut b[at + 12..at + 24], l as i128, gnu, "off_t");
        }
        rest = &map[n..];
        b[482] = u8::from(!rest.is_empty());
    }
    if let Some(data) = x.finish() {
        write_x(out, w, m, &data, diags);
    }
    finish_checksum(&mut b);
    out.extend_from_slice(&b);
    while !rest.is_empty() {
        let mut e = [0u8; BLOCK];
        let n = rest.len().min(21);
        for (i, &(o, l)) in rest[..n].iter().enumerate() {
            let at = i * 24;
            let _ = to_chars(&mut e[at..at + 12], o as i128, gnu, "off_t");
            let _ = to_chars(&mut e[at + 12..at + 24], l as i128, gnu, "off_t");
        }
        rest = &rest[n..];
        e[504] = u8::from(!rest.is_empty());
        out.extend_from_slice(&e);
    }
    true
}

pub fn finish_checksum(b: &mut [u8; BLOCK]) {
    b[148..156].copy_from_slice(b"        ");
    let sum = block_sums(b).0 as u64;
    put_octal(&mut b[148..155], sum);
    b[155] = b' ';
}

pub fn pad_to_block(out: &mut Vec<u8>) {
    let r = out.len() % BLOCK;
    if r != 0 {
        out.resize(out.len() + BLOCK - r, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_sums_match_bytewise() {
        let mut b = [0u8; BLOCK];
        for fill in [0u8, 0x7f, 0x80, 0xff] {
            for (i, c) in b.iter_mut().enumerate() {
                *c = fill ^ (i as u8).wrapping_mul(37);
            }
            let u: i64 = b.iter().map(|&c| c as i64).sum();
            let s: i64 = b.iter().map(|&c| c as i8 as i64).sum();
            assert_eq!(block_sums(&b), (u, s));
        }
        let b = [0xffu8; BLOCK];
        assert_eq!(block_sums(&b), (255 * 512, -512));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_num(b"0000644\0"), Some(0o644));
        assert_eq!(parse_num(b"  644 \0"), Some(0o644));
        assert_eq!(parse_num(b"\0\0\0"), Some(0));
        assert_eq!(parse_num(b"12x"), None);
        let mut f = [0u8; 12];
        to_chars(&mut f, 1 << 40, true, "off_t").unwrap();
        assert_eq!(parse_num(&f), Some(1 << 40));
        to_chars(&mut f, -2, true, "time_t").unwrap();
        assert_eq!(parse_num(&f), Some(-2));
        let mut u = [0u8; 8];
        assert_eq!(
            to_chars(&mut u, 3_000_000, false, "uid_t").unwrap_err(),
            b"value 3000000 out of uid_t range 0..2097151"
        );
        to_chars(&mut u, 3_000_000, true, "uid_t").unwrap();
        assert_eq!(u, [0x80, 0, 0, 0, 0, 0x2d, 0xc6, 0xc0]);
    }

    #[test]
    fn pax_roundtrip() {
        let mut v = Vec::new();
        pax_record(&mut v, b"path", b"x");
        assert_eq!(v, b"9 path=x\n");
        let mut v = Vec::new();
        pax_record(&mut v, b"path", &[b'a'; 92]);
        assert_eq!(&v[..4], b"102 ");
        assert_eq!(v.len(), 102);
        let mut seen = Vec::new();
        parse_pax(&v, |k, val| seen.push((k.to_vec(), val.len()))).unwrap();
        assert_eq!(seen, vec![(b"path".to_vec(), 92)]);
        assert!(parse_pax(b"999 path=x\n", |_, _| {}).is_err());
        assert!(parse_pax(b"0 =\n", |_, _| {}).is_err());
    }

    #[test]
    fn times() {
        assert_eq!(parse_pax_time(b"12.5"), Some((12, 500_000_000)));
        assert_eq!(parse_pax_time(b"-1.25"), Some((-2, 750_000_000)));
        assert_eq!(parse_pax_time(b"x"), None);
        assert_eq!(pax_time(12, 500_000_000), b"12.5");
        assert_eq!(pax_time(-2, 750_000_000), b"-1.25");
        assert_eq!(pax_time(7, 0), b"7");
    }

    fn meta(name: &[u8], size: u64, uid: u64, mtime: i64, nsec: u32, fmt: Format) -> Vec<u8> {
        let m = Meta {
            name,
            xname: name,
            link: b"",
            typeflag: b'0',
            mode: 0o644,
            dev: None,
            uid,
            gid: 0,
            size,
            mtime,
            mtime_nsec: nsec,
            atime: (0, 0),
            ctime: (0, 0),
            uname: b"u",
            gname: b"g",
            xattrs: &[],
            pax: &[],
            sparse: None,
        };
        let p = PaxOptions {
            delete: vec![b"atime".to_vec(), b"ctime".to_vec()],
            ..Default::default()
        };
        let w = WriteOpts {
            format: fmt,
            pax: &p,
            numeric_owner: false,
            root_names: (b"root", b"root"),
            pid: 1,
            absolute: false,
        };
        let mut out = Vec::new();
        let mut d = Vec::new();
        assert!(write_header(&mut out, &m, &w, &mut d));
        out
    }

    #[test]
    fn pax_when_needed() {
        // Big size and uid: pax records, and zeros in the ustar fields.
        let h = meta(b"big", 9 << 30, 3_000_000, 5, 0, Format::Posix);
        assert_eq!(h.len(), 3 * BLOCK);
        assert_eq!(&h[..16], b"./PaxHeaders/big");
        let text = String::from_utf8_lossy(&h[BLOCK..2 * BLOCK]).into_owned();
        assert!(text.contains("size=9663676416\n"), "{text}");
        assert!(text.contains("uid=3000000\n"), "{text}");
        let mut st = PaxState::default();
        parse_pax(&h[BLOCK..2 * BLOCK], |k, v| st.apply(k, v)).unwrap();
        assert_eq!(st.size, Some(9 << 30));
        assert_eq!(st.uid, Some(3_000_000));
        // Sub-second mtimes.
        let h = meta(b"t", 0, 0, 12, 500_000_000, Format::Posix);
        let mut st = PaxState::default();
        parse_pax(&h[BLOCK..2 * BLOCK], |k, v| st.apply(k, v)).unwrap();
        assert_eq!(st.mtime, Some((12, 500_000_000)));
        // Nothing special: one plain block.
        assert_eq!(meta(b"plain", 10, 1000, 5, 0, Format::Posix).len(), BLOCK);
        // GNU: base-256 in place, a long name in an L record.
        let h = meta(b"big", 9 << 30, 3_000_000, 5, 0, Format::Gnu);
        assert_eq!(h.len(), BLOCK);
        assert_eq!(parse_header(&h).unwrap().size, 9 << 30);
        let long = [b'n'; 150];
        let h = meta(&long, 0, 0, 5, 0, Format::Gnu);
        assert_eq!(h.len(), 3 * BLOCK);
        assert_eq!(&h[..13], b"././@LongLink");
        assert_eq!(h[156], b'L');
    }

    #[test]
    fn ustar_split() {
        let mut n = vec![b'a'; 120];
        n[50] = b'/';
        assert_eq!(split_long_name(&n), 50);
        assert_eq!(split_long_name(&[b'a'; 120]), 0);
    }

    #[test]
    fn header_names() {
        let f = b"%d/PaxHeaders/%f";
        let n = |f: &[u8], s: Option<&[u8]>, p, n| format_name(f, s, p, n, false).0;
        assert_eq!(n(f, Some(b"a/b/c"), 1, 0), b"a/b/PaxHeaders/c");
        assert_eq!(n(f, Some(b"d/"), 1, 0), b"./PaxHeaders/d");
        assert_eq!(n(f, Some(b"/x"), 1, 0), b"./PaxHeaders/x");
        assert_eq!(
            format_name(f, Some(b"../x/y"), 1, 0, false),
            (b"x/PaxHeaders/y".to_vec(), Some(b"../x".to_vec()))
        );
        assert_eq!(
            n(b"/tmp/GlobalHead.%p.%n", None, 7, 1),
            b"/tmp/GlobalHead.7.1"
        );
    }
}
