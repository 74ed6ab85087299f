//! gzip's own framing around raw deflate (RFC 1952), as GNU gzip writes and reads it: the
//! header with the name and mtime (unless -n), XFL for -1/-9, OS 3; members one after another,
//! zero padding after the last, and anything else there "trailing garbage"; CRC-32 and length
//! checked per member; `-l` from the header and the last trailer.

use std::io;
use std::os::fd::BorrowedFd;

use super::{write_out, Done, Fail, Input, Mode, Opts, Runner};
use crate::common::codec;
use crate::common::sys::fd as sysfd;
use crate::common::Ctx;

const FTEXT_MASK: u8 = 0xe0; // reserved bits: must be zero
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;

pub(super) fn compress(
    r: &mut Runner,
    inp: &Input,
    out: Option<BorrowedFd>,
    name: Option<&[u8]>,
    mtime: u32,
) -> Result<Done, Fail> {
    let level = r.o.level.unwrap_or(6);
    let mut d = Done::default();
    let mut h = vec![0x1f, 0x8b, 8, if name.is_some() { FNAME } else { 0 }];
    h.extend_from_slice(&mtime.to_le_bytes());
    h.push(match level {
        9 => 2,
        1 => 4,
        _ => 0,
    });
    h.push(3);
    if let Some(n) = name {
        h.extend_from_slice(n);
        h.push(0);
    }
    write_out(out, &h)?;
    d.header_bytes = h.len() as u64 + 8;
    let mut crc = flate2::Crc::new();
    let mut e = codec::deflate_raw(level);
    r.encode_with(&mut *e, inp.fd, out, &mut d, |b| crc.update(b))?;
    let mut t = crc.sum().to_le_bytes().to_vec();
    t.extend_from_slice(&(d.bytes_in as u32).to_le_bytes());
    write_out(out, &t)?;
    d.bytes_out += (h.len() + 8) as u64;
    d.crc = crc.sum();
    Ok(d)
}

/// A byte source over the runner's input buffer.
struct Src<'a> {
    fd: BorrowedFd<'a>,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    total: u64,
}

impl Src<'_> {
    fn refill(&mut self) -> Result<(), Fail> {
        if self.pos == self.len && !self.eof {
            let n = sysfd::read(self.fd, &mut self.buf).map_err(Fail::Read)?;
            self.total += n as u64;
            self.pos = 0;
            self.len = n;
            if n == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }
    fn byte(&mut self) -> Result<Option<u8>, Fail> {
        self.refill()?;
        if self.pos == self.len {
            return Ok(None);
        }
        self.pos += 1;
        Ok(Some(self.buf[self.pos - 1]))
    }
    fn need(&mut self) -> Result<u8, Fail> {
        self.byte()?.ok_or(Fail::Truncated)
    }
}

/// The header after the magic: (flags, mtime, name if stored, header length).
fn header(s: &mut Src) -> Result<(Option<Vec<u8>>, u32, u64), Fail> {
    let mut n = 2u64;
    let method = s.need()?;
    let flags = s.need()?;
    n += 2;
    if method != 8 || flags & FTEXT_MASK != 0 {
        return Err(Fail::Corrupt("unknown method".into()));
    }
    let mut t = [0u8; 6];
    for b in t.iter_mut() {
        *b = s.need()?;
    }
    n += 6;
    let mtime = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
    if flags & FEXTRA != 0 {
        let len = usize::from(s.need()?) | usize::from(s.need()?) << 8;
        for _ in 0..len {
            s.need()?;
        }
        n += 2 + len as u64;
    }
    let mut name = None;
    if flags & FNAME != 0 {
        let mut v = Vec::new();
        loop {
            let c = s.need()?;
            n += 1;
            if c == 0 {
                break;
            }
            v.push(c);
        }
        name = Some(v);
    }
    if flags & FCOMMENT != 0 {
        while s.need()? != 0 {
            n += 1;
        }
        n += 1;
    }
    if flags & FHCRC != 0 {
        s.need()?;
        s.need()?;
        n += 2;
    }
    Ok((name, mtime, n))
}

pub(super) fn decompress(
    r: &mut Runner,
    inp: &Input,
    out: Option<BorrowedFd>,
) -> Result<Done, Fail> {
    let mut s = Src {
        fd: inp.fd,
        buf: std::mem::take(&mut r.buf_in),
        pos: 0,
        len: 0,
        eof: false,
        total: 0,
    };
    let mut obuf = std::mem::take(&mut r.buf_out);
    let res = members(r, &mut s, &mut obuf, out);
    r.buf_in = s.buf;
    r.buf_out = obuf;
    res
}

fn members(
    r: &Runner,
    s: &mut Src,
    obuf: &mut [u8],
    out: Option<BorrowedFd>,
) -> Result<Done, Fail> {
    let mut d = Done::default();
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
        if b0 != 0x1f || b1 != Some(0x8b) {
            if member == 0 {
                if r.o.force && r.o.stdout && out.is_some() {
                    // zcat -f: not gzip data, passed through.
                    let mut head = vec![b0];
                    head.extend(b1);
                    write_out(out, &head)?;
                    write_out(out, &s.buf[s.pos..s.len])?;
                    s.pos = s.len;
                    loop {
                        s.refill()?;
                        if s.eof {
                            break;
                        }
                        write_out(out, &s.buf[s.pos..s.len])?;
                        s.pos = s.len;
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
        let mut inf = codec::inflate_raw();
        let mut crc = flate2::Crc::new();
        let mut size: u64 = 0;
        loop {
            s.refill()?;
            let (c, p, end) = inf
                .step(&s.buf[s.pos..s.len], obuf, s.eof)
                .map_err(|e| Fail::Corrupt(e.to_string()))?;
            s.pos += c;
            if p > 0 {
                crc.update(&obuf[..p]);
                write_out(out, &obuf[..p])?;
                size += p as u64;
            }
            if end {
                break;
            }
            if c == 0 && p == 0 && s.eof {
                return Err(Fail::Truncated);
            }
        }
        let mut t = [0u8; 8];
        for b in t.iter_mut() {
            *b = s.need()?;
        }
        if u32::from_le_bytes([t[0], t[1], t[2], t[3]]) != crc.sum() {
            return Err(Fail::Crc);
        }
        if u32::from_le_bytes([t[4], t[5], t[6], t[7]]) != size as u32 {
            return Err(Fail::Length);
        }
        d.bytes_out += size;
        d.crc = crc.sum();
        member += 1;
    }
    // Read to the end (a pipe's writer is not cut off), counting.
    while !s.eof {
        s.pos = s.len;
        s.refill()?;
    }
    d.bytes_in = s.total;
    Ok(d)
}

/// The name stored in a gzip file's header (for -N), read without moving the file offset.
pub(super) fn peek_name(fd: BorrowedFd) -> Option<Vec<u8>> {
    let mut b = vec![0u8; 4096];
    let n = sysfd::pread(fd, &mut b, 0).ok()?;
    let b = &b[..n];
    if b.len() < 10 || b[0] != 0x1f || b[1] != 0x8b || b[3] & FNAME == 0 {
        return None;
    }
    let mut i = 10;
    if b[3] & FEXTRA != 0 {
        i += 2 + (usize::from(*b.get(10)?) | usize::from(*b.get(11)?) << 8);
    }
    let rest = b.get(i..)?;
    let end = rest.iter().position(|&c| c == 0)?;
    let name = &rest[..end];
    (!name.is_empty()).then(|| name.to_vec())
}

pub(super) fn list_header(ctx: &mut Ctx, o: &Opts) {
    if o.quiet {
        return;
    }
    let _ = ctx
        .out
        .write_all(b"         compressed        uncompressed  ratio uncompressed_name\n");
}

fn list_line(ctx: &mut Ctx, packed: u64, plain: u64, overhead: u64, name: &[u8]) {
    let mut l = format!(
        "{packed:>19} {plain:>19} {} ",
        super::ratio(plain, packed.saturating_sub(overhead))
    )
    .into_bytes();
    l.extend_from_slice(name);
    l.push(b'\n');
    let _ = ctx.out.write_all(&l);
}

/// -l for one input: its size, the last trailer's length, the first header's size.
pub(super) fn list_one(ctx: &mut Ctx, r: &mut Runner, inp: Input, shown: &[u8]) {
    let mut buf = std::mem::take(&mut r.buf_in);
    let mut first: Vec<u8> = Vec::new();
    let mut last = [0u8; 8];
    let mut total: u64 = 0;
    let res: io::Result<()> = (|| loop {
        let n = sysfd::read(inp.fd, &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        if first.len() < 4096 {
            let k = (4096 - first.len()).min(n);
            first.extend_from_slice(&buf[..k]);
        }
        // Keep the last 8 bytes seen.
        if n >= 8 {
            last.copy_from_slice(&buf[n - 8..n]);
        } else {
            last.rotate_left(n);
            last[8 - n..].copy_from_slice(&buf[..n]);
        }
        total += n as u64;
    })();
    r.buf_in = buf;
    if let Err(e) = res {
        r.report(ctx, &inp, Err(Fail::Read(e)), None);
        return;
    }
    if first.len() < 18 || first[0] != 0x1f || first[1] != 0x8b {
        let f = if first.len() < 2 {
            Fail::Truncated
        } else {
            Fail::NotFormat
        };
        r.data_error(ctx, inp.shown, f);
        return;
    }
    let mut s = Src {
        fd: inp.fd,
        buf: first[2..].to_vec(),
        pos: 0,
        len: first.len() - 2,
        eof: true,
        total: 0,
    };
    let Ok((_, _, hlen)) = header(&mut s) else {
        r.data_error(ctx, inp.shown, Fail::Truncated);
        return;
    };
    let plain = u64::from(u32::from_le_bytes([last[4], last[5], last[6], last[7]]));
    let overhead = hlen + 8;
    if !r.o.quiet {
        list_line(ctx, total, plain, overhead, shown);
    }
    let t = r.list_total.get_or_insert((0, 0, 0));
    t.0 += total;
    t.1 += plain;
    t.2 += 1;
    // GNU's totals line takes off the last file's header and trailer only.
    r.list_overhead = overhead;
    let _ = Mode::List;
}

pub(super) fn list_total(ctx: &mut Ctx, r: &Runner) {
    if let Some((packed, plain, files)) = r.list_total {
        if files > 1 && !r.o.quiet {
            list_line(ctx, packed, plain, r.list_overhead, b"(totals)");
        }
    }
}
