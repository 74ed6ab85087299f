//! gzip's own framing around raw deflate (RFC 1952), as GNU gzip writes and reads it: the
//! header with the name and mtime (unless -n), XFL for -1/-9, OS 3; members one after another,
//! zero padding after the last, and anything else there "trailing garbage"; CRC-32 and length
//! checked per member; `-l` from the header and the last trailer.

use std::io;
use std::os::fd::BorrowedFd;

use super::{write_out, Done, Fail, Input, Mode, Opts, Runner};
use crate::common::codec;
use crate::common::sys::fd as sysfd;
use crate::common::{time, Ctx};

use crate::common::codec::gunzip::{header, Source, FEXTRA, FNAME};

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

pub(super) fn decompress(
    r: &mut Runner,
    inp: &Input,
    out: Option<BorrowedFd>,
) -> Result<Done, Fail> {
    let mut s = Source::new(inp.fd, std::mem::take(&mut r.buf_in), &[]);
    let mut obuf = std::mem::take(&mut r.buf_out);
    let passthrough = r.o.force && r.o.stdout && out.is_some();
    let res = r
        .gunzip
        .run(&mut s, &mut obuf, passthrough, &mut |b| write_out(out, b));
    r.buf_in = s.into_buf();
    r.buf_out = obuf;
    res
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

/// GNU prints the column heads just before the first file it lists (none when every file
/// fails), and not under -q.
fn list_header(ctx: &mut Ctx, o: &Opts) {
    if o.quiet {
        return;
    }
    if o.verbose {
        let _ = ctx.out.write_all(b"method  crc     date  time  ");
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

/// -lv's first columns: method, the last trailer's CRC, and a time: the header's with -N
/// (when it holds one), else the input file's modification time (0 for a pipe), local.
fn list_verbose(ctx: &mut Ctx, o: &Opts, fd: BorrowedFd, crc: u32, stamp: u32) {
    let t = match sysfd::fstat(fd) {
        _ if o.name && stamp != 0 => i64::from(stamp),
        Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFREG => st.st_mtime,
        _ => 0,
    };
    let tm = time::Zone::local().to_tm(t);
    let l = format!(
        "defla {crc:08x} {}{:3} {:02}:{:02} ",
        time::month_abbr(tm.mon),
        tm.mday,
        tm.hour,
        tm.min
    );
    let _ = ctx.out.write_all(l.as_bytes());
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
    let Ok((stored, stamp, hlen)) = header(&mut Source::memory(inp.fd, &first[2..])) else {
        r.data_error(ctx, inp.shown, Fail::Truncated);
        return;
    };
    let crc = u32::from_le_bytes([last[0], last[1], last[2], last[3]]);
    let plain = u64::from(u32::from_le_bytes([last[4], last[5], last[6], last[7]]));
    let overhead = hlen + 8;
    if r.list_total.is_none() {
        list_header(ctx, &r.o);
    }
    if r.o.verbose {
        list_verbose(ctx, &r.o, inp.fd, crc, stamp);
    }
    // -N: the stored name, in the listed file's directory.
    let named;
    let shown = match stored.filter(|n| r.o.name && !n.is_empty()) {
        Some(n) => {
            let dir = shown.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
            let base = n.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
            named = [&shown[..dir], &n[base..]].concat();
            &named[..]
        }
        None => shown,
    };
    list_line(ctx, total, plain, overhead, shown);
    let t = r.list_total.get_or_insert((0, 0, 0));
    t.0 += total;
    t.1 += plain;
    t.2 += 1;
    // GNU's totals line takes off the last file's header and trailer only.
    r.list_overhead = overhead;
    let _ = Mode::List;
}

/// The totals line, when more than one FILE was named (listed or not), as GNU's.
pub(super) fn list_total(ctx: &mut Ctx, r: &Runner, operands: usize) {
    if let Some((packed, plain, _)) = r.list_total {
        if operands > 1 && !r.o.quiet {
            if r.o.verbose {
                let _ = ctx.out.write_all(&[b' '; 28]);
            }
            list_line(ctx, packed, plain, r.list_overhead, b"(totals)");
        }
    }
}
