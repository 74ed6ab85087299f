//! Tar headers: parsing ustar, pax (`x`/`g`), GNU (`L`/`K` long names, old sparse `S`,
//! base-256 numbers) and v7 headers, and writing ustar with pax extended headers where ustar's
//! fields cannot hold a value.
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
// Writing

/// What a writer stores for one member.
pub struct Meta<'a> {
    pub name: &'a [u8],
    pub link: &'a [u8],
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    pub mtime_nsec: u32,
    pub uname: &'a [u8],
    pub gname: &'a [u8],
    pub devmajor: u32,
    pub devminor: u32,
    pub xattrs: &'a [(Vec<u8>, Vec<u8>)],
    /// Extra pax records written as given (GNU sparse keys).
    pub pax: &'a [(Vec<u8>, Vec<u8>)],
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// ustar, with pax headers only where ustar cannot hold a value (GNU's `--format=gnu`
    /// default is served by this too: GNU tar and bsdtar read it).
    Ustar,
    /// pax: sub-second mtimes are always recorded.
    Pax,
    /// Strict ustar: a value that does not fit is an error.
    StrictUstar,
}

fn put_octal(dst: &mut [u8], v: u64) -> bool {
    let w = dst.len() - 1;
    if w < 22 && v >= 1u64 << (3 * w) {
        return false;
    }
    let mut x = v;
    for i in (0..w).rev() {
        dst[i] = b'0' + (x & 7) as u8;
        x >>= 3;
    }
    dst[w] = 0;
    true
}

/// Octal if it fits, else GNU base-256 (readers that know pax use the pax value anyway).
fn put_num(dst: &mut [u8], v: u64) -> bool {
    if put_octal(dst, v) {
        return true;
    }
    let n = dst.len();
    let mut x = v;
    for i in (1..n).rev() {
        dst[i] = x as u8;
        x >>= 8;
    }
    dst[0] = 0x80;
    false
}

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

/// Split a name into ustar (prefix, name), if it fits.
fn split_ustar(name: &[u8]) -> Option<(&[u8], &[u8])> {
    if name.len() <= 100 {
        return Some((&[], name));
    }
    if name.len() > 256 {
        return None;
    }
    // The prefix is at most 155 bytes and the rest at most 100: find a '/' that allows both.
    let start = name.len().saturating_sub(101);
    for i in start..name.len().min(156) {
        if name[i] == b'/' && i > 0 && name.len() - i - 1 <= 100 && name.len() - i > 1 {
            return Some((&name[..i], &name[i + 1..]));
        }
    }
    None
}

fn header_block(
    m: &Meta,
    name: &[u8],
    prefix: &[u8],
    link: &[u8],
    size: u64,
    mtime: u64,
) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    put_str(&mut b[0..100], name);
    put_octal(&mut b[100..108], (m.mode & 0o7777) as u64);
    put_num(&mut b[108..116], m.uid);
    put_num(&mut b[116..124], m.gid);
    put_num(&mut b[124..136], size);
    put_num(&mut b[136..148], mtime);
    b[156] = m.typeflag;
    put_str(&mut b[157..257], link);
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    put_str(&mut b[265..297], m.uname);
    put_str(&mut b[297..329], m.gname);
    put_octal(&mut b[329..337], m.devmajor as u64);
    put_octal(&mut b[337..345], m.devminor as u64);
    put_str(&mut b[345..500], prefix);
    finish_checksum(&mut b);
    b
}

pub fn finish_checksum(b: &mut [u8; BLOCK]) {
    b[148..156].copy_from_slice(b"        ");
    let sum = block_sums(b).0 as u64;
    put_octal(&mut b[148..155], sum);
    b[155] = b' ';
}

pub const LINK_TOO_LONG: &str = "link name is too long; not dumped";

/// Append the header blocks for `m` (a pax `x` header first when needed) to `out`. Returns
/// Err with a description when `fmt` is strict ustar and a value does not fit.
pub fn write_header(out: &mut Vec<u8>, m: &Meta, fmt: Format) -> Result<(), &'static str> {
    let mut pax = Vec::new();
    let (prefix, name) = match split_ustar(m.name) {
        Some(p) => p,
        None => {
            pax_record(&mut pax, b"path", m.name);
            (&[][..], &m.name[..m.name.len().min(100)])
        }
    };
    let link = if m.link.len() > 100 {
        pax_record(&mut pax, b"linkpath", m.link);
        &m.link[..100]
    } else {
        m.link
    };
    const OCT11: u64 = 0o77777777777;
    const OCT7: u64 = 0o7777777;
    if m.size > OCT11 {
        pax_record(&mut pax, b"size", m.size.to_string().as_bytes());
    }
    if m.uid > OCT7 {
        pax_record(&mut pax, b"uid", m.uid.to_string().as_bytes());
    }
    if m.gid > OCT7 {
        pax_record(&mut pax, b"gid", m.gid.to_string().as_bytes());
    }
    if m.uname.len() > 32 || m.uname.contains(&0) {
        pax_record(&mut pax, b"uname", m.uname);
    }
    if m.gname.len() > 32 || m.gname.contains(&0) {
        pax_record(&mut pax, b"gname", m.gname);
    }
    let mtime_fits = m.mtime >= 0 && m.mtime as u64 <= OCT11;
    if !mtime_fits || (fmt == Format::Pax && m.mtime_nsec != 0) {
        let mut v = if m.mtime < 0 && m.mtime_nsec > 0 {
            // pax writes negative times as -S.F with F counting towards -infinity's opposite.
            let s = -(m.mtime + 1);
            format!("-{}.{:09}", s, 1_000_000_000 - m.mtime_nsec)
        } else if m.mtime_nsec > 0 {
            format!("{}.{:09}", m.mtime, m.mtime_nsec)
        } else {
            m.mtime.to_string()
        };
        if v.contains('.') {
            while v.ends_with('0') {
                v.pop();
            }
        }
        pax_record(&mut pax, b"mtime", v.as_bytes());
    }
    for (k, v) in m.pax {
        pax_record(&mut pax, k, v);
    }
    for (k, v) in m.xattrs {
        let mut key = b"SCHILY.xattr.".to_vec();
        key.extend_from_slice(k);
        pax_record(&mut pax, &key, v);
    }
    if !pax.is_empty() {
        if fmt == Format::StrictUstar {
            // GNU's wording for what ustar cannot hold.
            return Err(if split_ustar(m.name).is_none() {
                if m.name.len() > 256 {
                    "file name is too long (max 256); not dumped"
                } else {
                    "file name is too long (cannot be split); not dumped"
                }
            } else if m.link.len() > 100 {
                LINK_TOO_LONG
            } else {
                "value out of range for ustar format; not dumped"
            });
        }
        // Name of the extended header itself, as GNU tar does: DIR/PaxHeaders/BASE.
        let trimmed = trim_slash(m.name);
        let (dir, base) = match memchr::memrchr(b'/', trimmed) {
            Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
            None => (&b"."[..], trimmed),
        };
        let mut pname = dir.to_vec();
        pname.extend_from_slice(b"/PaxHeaders/");
        pname.extend_from_slice(base);
        pname.truncate(100);
        let pm = Meta {
            name: &pname,
            link: b"",
            typeflag: b'x',
            mode: 0o644,
            uid: m.uid.min(OCT7),
            gid: m.gid.min(OCT7),
            size: pax.len() as u64,
            mtime: m.mtime.clamp(0, OCT11 as i64),
            mtime_nsec: 0,
            uname: &m.uname[..m.uname.len().min(32)],
            gname: &m.gname[..m.gname.len().min(32)],
            devmajor: 0,
            devminor: 0,
            xattrs: &[],
            pax: &[],
        };
        let h = header_block(&pm, &pname, b"", b"", pax.len() as u64, pm.mtime as u64);
        out.extend_from_slice(&h);
        out.extend_from_slice(&pax);
        pad_to_block(out);
    }
    let uname = &m.uname[..m.uname.len().min(32)];
    let gname = &m.gname[..m.gname.len().min(32)];
    let mm = Meta { uname, gname, ..*m };
    let h = header_block(
        &mm,
        name,
        prefix,
        link,
        m.size,
        m.mtime.clamp(0, OCT11 as i64) as u64,
    );
    out.extend_from_slice(&h);
    Ok(())
}

fn trim_slash(n: &[u8]) -> &[u8] {
    let mut n = n;
    while n.len() > 1 && n.ends_with(b"/") {
        n = &n[..n.len() - 1];
    }
    n
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
        put_num(&mut f, 1 << 40);
        assert_eq!(parse_num(&f), Some(1 << 40));
        let neg = [
            0xffu8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        ];
        assert_eq!(parse_num(&neg), Some(-2));
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
    }

    fn meta(name: &[u8], size: u64, uid: u64, mtime: i64, nsec: u32) -> Vec<u8> {
        let m = Meta {
            name,
            link: b"",
            typeflag: b'0',
            mode: 0o644,
            uid,
            gid: 0,
            size,
            mtime,
            mtime_nsec: nsec,
            uname: b"u",
            gname: b"g",
            devmajor: 0,
            devminor: 0,
            xattrs: &[],
            pax: &[],
        };
        let mut out = Vec::new();
        write_header(&mut out, &m, Format::Pax).unwrap();
        out
    }

    #[test]
    fn pax_when_needed() {
        // Big size and uid: pax records, and base-256 in the ustar fields.
        let h = meta(b"big", 9 << 30, 3_000_000, 5, 0);
        assert_eq!(h.len(), 3 * BLOCK);
        let text = String::from_utf8_lossy(&h[BLOCK..2 * BLOCK]).into_owned();
        assert!(text.contains("size=9663676416\n"), "{text}");
        assert!(text.contains("uid=3000000\n"), "{text}");
        let raw = parse_header(&h[2 * BLOCK..]).unwrap();
        assert_eq!(raw.size, 9 << 30);
        let mut st = PaxState::default();
        parse_pax(&h[BLOCK..2 * BLOCK], |k, v| st.apply(k, v)).unwrap();
        assert_eq!(st.size, Some(9 << 30));
        assert_eq!(st.uid, Some(3_000_000));
        // Sub-second and negative mtimes.
        let h = meta(b"t", 0, 0, 12, 500_000_000);
        let mut st = PaxState::default();
        parse_pax(&h[BLOCK..2 * BLOCK], |k, v| st.apply(k, v)).unwrap();
        assert_eq!(st.mtime, Some((12, 500_000_000)));
        let h = meta(b"t", 0, 0, -2, 250_000_000);
        let mut st = PaxState::default();
        parse_pax(&h[BLOCK..2 * BLOCK], |k, v| st.apply(k, v)).unwrap();
        assert_eq!(st.mtime, Some((-2, 250_000_000)));
        // Nothing special: one plain block.
        assert_eq!(meta(b"plain", 10, 1000, 5, 0).len(), BLOCK);
    }

    #[test]
    fn ustar_split() {
        let mut n = vec![b'a'; 120];
        n[50] = b'/';
        let (p, r) = split_ustar(&n).unwrap();
        assert_eq!(p.len(), 50);
        assert_eq!(r.len(), 69);
        assert!(split_ustar(&[b'a'; 120]).is_none());
    }
}
