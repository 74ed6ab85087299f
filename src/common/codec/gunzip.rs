//! Reading gzip data (RFC 1952) as GNU gzip 1.12 reads it, for `gunzip`/`zcat`/`gzip -d` and
//! tar's `-z`: members one after another, zero padding after the last, anything else there
//! "trailing garbage"; the header checked as gzip checks it (method, encrypted and reserved
//! flags, the header CRC); CRC-32 and length checked per member, both reported.
//!
//! Damaged data yields what GNU gzip writes before its error. The deflate data is decoded by
//! zlib-rs and written in whole 32 KiB windows counted from the member's start (gzip's
//! output unit); when zlib-rs rejects the member or the input ends inside it, the member is
//! decoded again from its start by [`super::inflate`] (gzip's own decoder, which accepts
//! more), the part already written is skipped and the rest written as gzip writes it. The
//! member's start is found again by seeking (a regular file) or from a copy of its
//! compressed bytes kept while it is decoded (a pipe; up to [`KEEP_MAX`], beyond which a
//! damaged member ends where zlib-rs stopped).

use std::os::fd::BorrowedFd;

use super::inflate::{self, Stop, WSIZE};
use super::{Fail, Summary};
use crate::common::sys::fd as sysfd;

pub const FHCRC: u8 = 2;
pub const FEXTRA: u8 = 4;
pub const FNAME: u8 = 8;
pub const FCOMMENT: u8 = 16;
const ENCRYPTED: u8 = 0x20;
const RESERVED: u8 = 0xc0;

/// Compressed bytes of one member kept from a pipe for a second decoding.
pub const KEEP_MAX: usize = 4 << 20;

/// The compressed input: a descriptor read in chunks, with what a second decoding of the
/// current member needs (its file offset, or a copy of its bytes).
pub struct Source<'a> {
    fd: BorrowedFd<'a>,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    /// Bytes read from the descriptor (and the prefix).
    pub total: u64,
    /// Regular file: the offset of `buf[len]`.
    off: Option<u64>,
    /// Where the current member's deflate data starts (file offset), or its bytes so far.
    mark: u64,
    keep: Option<Vec<u8>>,
}

impl<'a> Source<'a> {
    /// Read `fd` (whose first bytes, already read, are `prefix`) through `buf`.
    pub fn new(fd: BorrowedFd<'a>, mut buf: Vec<u8>, prefix: &[u8]) -> Source<'a> {
        let off = match sysfd::fstat(fd) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFREG => {
                sysfd::lseek(fd, 0, libc::SEEK_CUR).ok()
            }
            _ => None,
        };
        if buf.len() < prefix.len() + 4096 {
            buf.resize(prefix.len() + 4096, 0);
        }
        buf[..prefix.len()].copy_from_slice(prefix);
        Source {
            fd,
            buf,
            pos: 0,
            len: prefix.len(),
            eof: false,
            total: prefix.len() as u64,
            off,
            mark: 0,
            keep: None,
        }
    }

    /// Only `bytes` (the descriptor is not read).
    pub fn memory(fd: BorrowedFd<'a>, bytes: &[u8]) -> Source<'a> {
        let mut s = Source::new(fd, Vec::new(), bytes);
        (s.eof, s.off) = (true, None);
        s
    }

    pub fn into_buf(self) -> Vec<u8> {
        self.buf
    }

    /// More bytes when all are used (the last 8 stay before them, for `unget`).
    fn refill(&mut self) -> Result<(), Fail> {
        if self.pos < self.len || self.eof {
            return Ok(());
        }
        let tail = self.len.min(8);
        self.buf.copy_within(self.len - tail..self.len, 0);
        self.pos = tail;
        self.len = tail;
        let n = sysfd::read(self.fd, &mut self.buf[tail..]).map_err(Fail::Read)?;
        if n == 0 {
            self.eof = true;
        }
        self.len += n;
        self.total += n as u64;
        if let Some(o) = self.off.as_mut() {
            *o += n as u64;
        }
        if let Some(k) = self.keep.as_mut() {
            if k.len() + n > KEEP_MAX {
                self.keep = None;
            } else {
                k.extend_from_slice(&self.buf[tail..tail + n]);
            }
        }
        Ok(())
    }

    pub(super) fn byte(&mut self) -> Result<Option<u8>, Fail> {
        self.refill()?;
        if self.pos == self.len {
            return Ok(None);
        }
        self.pos += 1;
        Ok(Some(self.buf[self.pos - 1]))
    }

    pub(super) fn need(&mut self) -> Result<u8, Fail> {
        self.byte()?.ok_or(Fail::Truncated)
    }

    /// The member's deflate data starts here.
    fn mark(&mut self) {
        match self.off {
            Some(o) => self.mark = o - (self.len - self.pos) as u64,
            None => self.keep = Some(self.buf[self.pos..self.len].to_vec()),
        }
    }

    /// Back to the mark, for a second decoding; false when that cannot be.
    fn rewind(&mut self) -> bool {
        if let Some(off) = self.off {
            if sysfd::lseek(self.fd, self.mark as i64, libc::SEEK_SET).is_err() {
                return false;
            }
            self.off = Some(self.mark);
            self.total -= off - self.mark;
            (self.pos, self.len, self.eof) = (0, 0, false);
            return true;
        }
        let Some(k) = self.keep.take() else {
            return false;
        };
        // The copy becomes the buffer: its bytes, then reading on.
        let cap = self.buf.len();
        self.len = k.len();
        self.buf = k;
        if self.buf.len() < cap {
            self.buf.resize(cap, 0);
        }
        self.pos = 0;
        true
    }

    /// Read to the end (a pipe's writer is not cut off), counting.
    fn drain(&mut self) -> Result<(), Fail> {
        self.keep = None;
        while !self.eof {
            self.pos = self.len;
            self.refill()?;
        }
        self.pos = self.len;
        Ok(())
    }
}

impl inflate::Bytes<Fail> for Source<'_> {
    fn next(&mut self) -> Result<Option<u8>, Fail> {
        self.byte()
    }
    fn unget(&mut self, n: usize) {
        self.pos -= n;
    }
}

/// The header after the magic: (name if stored, mtime, header length).
pub fn header(s: &mut Source) -> Result<(Option<Vec<u8>>, u32, u64), Fail> {
    let mut h = vec![0x1f, 0x8b];
    let method = s.need()?;
    h.push(method);
    if method != 8 {
        return Err(Fail::Method(method));
    }
    let flags = s.need()?;
    h.push(flags);
    if flags & ENCRYPTED != 0 {
        return Err(Fail::Encrypted);
    }
    if flags & RESERVED != 0 {
        return Err(Fail::Flags(flags));
    }
    for _ in 0..6 {
        h.push(s.need()?);
    }
    let mtime = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
    if flags & FEXTRA != 0 {
        let lo = s.need()?;
        let hi = s.need()?;
        h.extend_from_slice(&[lo, hi]);
        for _ in 0..(usize::from(lo) | usize::from(hi) << 8) {
            h.push(s.need()?);
        }
    }
    let mut name = None;
    if flags & FNAME != 0 {
        let at = h.len();
        loop {
            let c = s.need()?;
            h.push(c);
            if c == 0 {
                break;
            }
        }
        name = Some(h[at..h.len() - 1].to_vec());
    }
    if flags & FCOMMENT != 0 {
        loop {
            let c = s.need()?;
            h.push(c);
            if c == 0 {
                break;
            }
        }
    }
    let mut n = h.len() as u64;
    if flags & FHCRC != 0 {
        let stored = u16::from(s.need()?) | u16::from(s.need()?) << 8;
        let mut crc = flate2::Crc::new();
        crc.update(&h);
        let computed = crc.sum() as u16;
        if stored != computed {
            return Err(Fail::HeaderCrc(stored, computed));
        }
        n += 2;
    }
    Ok((name, mtime, n))
}

/// The decoder's state kept between members and inputs (gzip's window persists as well).
pub struct Gunzip {
    inf: flate2::Decompress,
    slide: Option<Box<[u8]>>,
}

impl Default for Gunzip {
    fn default() -> Self {
        Gunzip {
            inf: flate2::Decompress::new(false),
            slide: None,
        }
    }
}

impl Gunzip {
    /// Decode all of `s` to `sink` through `obuf` (a multiple of 32 KiB). `passthrough`
    /// (`zcat -f`): data that is not gzip goes out unchanged.
    pub fn run(
        &mut self,
        s: &mut Source,
        obuf: &mut [u8],
        passthrough: bool,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), Fail>,
    ) -> Result<Summary, Fail> {
        let mut d = Summary::default();
        let mut member = 0u32;
        loop {
            let Some(b0) = s.byte()? else {
                if member == 0 {
                    return Err(Fail::Truncated);
                }
                break;
            };
            if member > 0 && b0 == 0 {
                // Zero padding: ignored to the end; anything else after it is garbage.
                loop {
                    match s.byte()? {
                        None => break,
                        Some(0) => {}
                        Some(_) => {
                            d.garbage = true;
                            break;
                        }
                    }
                }
                break;
            }
            let b1 = s.byte()?;
            if member == 0 && b0 == 0x1f && b1 == Some(0x9d) {
                // compress's .Z, which gzip reads too.
                return super::unlzw::unlzw(s, obuf, sink);
            }
            if b0 != 0x1f || b1 != Some(0x8b) {
                if member == 0 {
                    if passthrough {
                        let mut head = vec![b0];
                        head.extend(b1);
                        sink(&head)?;
                        loop {
                            sink(&s.buf[s.pos..s.len])?;
                            s.pos = s.len;
                            s.refill()?;
                            if s.pos == s.len {
                                break;
                            }
                        }
                        d.bytes_in = s.total;
                        d.bytes_out = s.total;
                        return Ok(d);
                    }
                    return Err(if b1.is_none() {
                        Fail::Truncated
                    } else {
                        Fail::NotFormat
                    });
                }
                d.garbage = true;
                break;
            }
            let (name, mtime, hlen) = header(s)?;
            if member == 0 {
                d.name = name;
                d.mtime = mtime;
                d.header_bytes = hlen + 8;
            }
            let (crc, size) = self.member(s, obuf, sink)?;
            let mut t = [0u8; 8];
            for b in t.iter_mut() {
                *b = s.need()?;
            }
            let bad_crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]) != crc;
            let bad_len = u32::from_le_bytes([t[4], t[5], t[6], t[7]]) != size as u32;
            match (bad_crc, bad_len) {
                (true, true) => return Err(Fail::CrcLength),
                (true, false) => return Err(Fail::Crc),
                (false, true) => return Err(Fail::Length),
                _ => {}
            }
            d.bytes_out += size;
            d.crc = crc;
            member += 1;
        }
        s.drain()?;
        d.bytes_in = s.total;
        Ok(d)
    }

    /// One member's deflate data: (CRC, length) of its output.
    fn member(
        &mut self,
        s: &mut Source,
        obuf: &mut [u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<(), Fail>,
    ) -> Result<(u32, u64), Fail> {
        use flate2::{FlushDecompress, Status};
        s.mark();
        self.inf.reset(false);
        let mut crc = flate2::Crc::new();
        let mut written = 0u64;
        let mut n = 0;
        let eof = loop {
            s.refill()?;
            let (i0, o0) = (self.inf.total_in(), self.inf.total_out());
            let r =
                self.inf
                    .decompress(&s.buf[s.pos..s.len], &mut obuf[n..], FlushDecompress::None);
            let c = (self.inf.total_in() - i0) as usize;
            let p = (self.inf.total_out() - o0) as usize;
            s.pos += c;
            n += p;
            match r {
                Err(_) => break false,
                Ok(Status::StreamEnd) => {
                    crc.update(&obuf[..n]);
                    sink(&obuf[..n])?;
                    s.keep = None;
                    return Ok((crc.sum(), written + n as u64));
                }
                Ok(_) => {
                    // Whole windows only: what a later error makes gzip drop is not out yet.
                    if n == obuf.len() {
                        crc.update(obuf);
                        sink(obuf)?;
                        written += n as u64;
                        n = 0;
                    } else if c == 0 && p == 0 && s.pos == s.len && s.eof {
                        break true;
                    }
                }
            }
        };
        // zlib-rs stopped: decode again as gzip does, writing only what was not written.
        if !s.rewind() {
            let keep = if eof { n } else { n / WSIZE * WSIZE };
            sink(&obuf[..keep])?;
            return Err(if eof {
                Fail::Truncated
            } else {
                Fail::Corrupt(String::new())
            });
        }
        let slide = self
            .slide
            .get_or_insert_with(|| vec![0u8; WSIZE].into_boxed_slice());
        let mut crc = flate2::Crc::new();
        let mut made = 0u64;
        let r = inflate::inflate(s, slide, &mut |b: &[u8]| {
            crc.update(b);
            let start = made;
            made += b.len() as u64;
            if made > written {
                sink(&b[written.saturating_sub(start) as usize..])?;
            }
            Ok(())
        });
        s.keep = None;
        match r {
            Ok(()) => Ok((crc.sum(), made)),
            Err(Stop::Format) => Err(Fail::Corrupt(String::new())),
            Err(Stop::Eof) => Err(Fail::Truncated),
            Err(Stop::Err(e)) => Err(e),
        }
    }
}
