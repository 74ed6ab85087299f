//! `unzip`: list, test and extract zip archives, as Info-ZIP's UnZip 6.0 does for what scripts
//! use (BusyBox's unzip implements the same subset).
//!
//! `unzip [-opts] FILE[.zip] [LIST] [-x XLIST] [-d EXDIR]`: `-l` and `-v` list (Info-ZIP's
//! layouts, Debian's ISO dates), `-t` tests the CRCs, `-p` extracts to standard output, `-c`
//! too with the names, `-z` shows the archive comment; modifiers `-o` (overwrite), `-n` (never
//! overwrite), `-f`/`-u` (freshen, update), `-j` (junk paths), `-q`/`-qq`, `-C` (match names
//! without case), `-D` (no timestamps), `-X` (owners from the `ux` extra field), `-K` (keep
//! set-id bits). Members stored, deflated (zlib-rs, through `common::codec`) or, in a build
//! with tar's bzip2 codec, bzip2-compressed (method 12), zip64 sizes
//! and offsets, data descriptors (the central directory's sizes are used), prepended data
//! (self-extracting archives), Unix modes and symlinks, DOS modes under the umask, mtimes from
//! the DOS time or the `UT` extra field. Messages, prompts and exit statuses are Info-ZIP's:
//! 1 warnings, 2 errors in members, 3 a damaged directory, 9 not a zip, 10 bad options,
//! 11 no matching member.
//!
//! Names never leave EXDIR: a leading `/` and every `..` component are dropped (with Info-ZIP's
//! warnings), directories on the way are opened one component at a time relative to their
//! parent, files are created `O_EXCL|O_NOFOLLOW` (an existing file is unlinked first, never
//! written through), and symlinks are created only after every other member, as Info-ZIP does,
//! so no member can be written through a link the archive made; a later link is not made
//! through an earlier one either (a link this run made is never followed).
//!
//! Deviations: no encrypted members (skipped, as without a password), no methods but stored,
//! deflated and bzip2, no wildcard archive names, no `-a` text conversion, no `-Z` (zipinfo).

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::codec::{decoder, inflate_raw, Codec, Step};
use crate::common::ctx::strerror;
use crate::common::fnmatch::{fnmatch, Flags};
use crate::common::help::help_text;
use crate::common::io::{stderr_fd, stdin_fd, write_all};
use crate::common::sys::fd::{self as sys, AsFd, BorrowedFd, OwnedFd};
use crate::common::sys::fs::{self as sfs, Time};
use crate::common::time::Zone;
use crate::common::Ctx;

const USAGE: crate::common::help::Help = help_text!(
    "\
Usage: unzip [-opts[modifiers]] file[.zip] [list] [-x xlist] [-d exdir]
  Default action is to extract files in list, except those in xlist, to exdir.

  -p  extract files to pipe, no messages     -l  list files (short format)
  -f  freshen existing files, create none    -t  test compressed archive data
  -u  update files, create if necessary      -z  display archive comment only
  -v  list verbosely                         -c  extract files to stdout with names
  -x  exclude files that follow (in xlist)   -d  extract files into exdir
modifiers:
  -n  never overwrite existing files         -q  quiet mode (-qq => quieter)
  -o  overwrite files WITHOUT prompting      -j  junk paths (do not make directories)
  -C  match filenames case-insensitively     -D  do not restore timestamps
  -X  restore UID/GID info                   -K  keep setuid/setgid/tacky permissions
"
);

/// Info-ZIP's exit statuses (PK_*).
const WARN: i32 = 1;
const ERR: i32 = 2;
const BADERR: i32 = 3;
const NOZIP: i32 = 9;
const PARAM: i32 = 10;
const FIND: i32 = 11;
const DISK: i32 = 50;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Over {
    Ask,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Extract,
    List,
    Verbose,
    Test,
    Pipe,
    Cat,
    Comment,
}

struct Opts {
    mode: Mode,
    over: Over,
    quiet: u8,
    junk: bool,
    fresh: bool,
    update: bool,
    caseless: bool,
    /// -D: no directory times; -DD: no times at all.
    no_times: u8,
    owners: bool,
    keep_suid: bool,
    zip: Vec<u8>,
    names: Vec<Vec<u8>>,
    xnames: Vec<Vec<u8>>,
    exdir: Option<Vec<u8>>,
}

/// One central-directory record.
struct Entry {
    name: Vec<u8>,
    host: u8,
    flags: u16,
    method: u16,
    dos: u32,
    crc: u32,
    csize: u64,
    size: u64,
    offset: u64,
    attr: u32,
    ut_mtime: Option<i64>,
}

impl Entry {
    fn is_dir(&self) -> bool {
        self.name.last() == Some(&b'/')
    }
    /// The Unix mode from the external attributes, when the archive's host keeps one there.
    fn unix_mode(&self) -> Option<u32> {
        // FAT, HPFS, NTFS, VFAT, MVS keep DOS attributes only.
        let unixy = !matches!(self.host, 0 | 6 | 10 | 11 | 14 | 15);
        Some(self.attr >> 16).filter(|&m| unixy && m != 0)
    }
    /// Info-ZIP's word for extracting it, less its `ing`.
    fn verb(&self) -> &'static [u8] {
        match self.method {
            8 => b"  inflat",
            12 => b" bunzipp",
            _ => b" extract",
        }
    }
    fn is_symlink(&self) -> bool {
        self.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000)
    }
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// The extra-field blocks of `ef` as (id, data).
fn blocks(mut ef: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if ef.len() < 4 {
            return None;
        }
        let (id, len) = (le16(ef, 0), le16(ef, 2) as usize);
        let data = &ef[4..(4 + len).min(ef.len())];
        ef = &ef[(4 + len).min(ef.len())..];
        Some((id, data))
    })
}

/// The `UT` extended timestamp: (mtime, atime) as far as present.
fn ut_times(ef: &[u8]) -> (Option<i64>, Option<i64>) {
    for (id, d) in blocks(ef) {
        if id == 0x5455 && !d.is_empty() {
            let fl = d[0];
            let mut at = 1;
            let mut take = |bit: u8| {
                if fl & bit != 0 && d.len() >= at + 4 {
                    at += 4;
                    Some(le32(d, at - 4) as i32 as i64)
                } else {
                    None
                }
            };
            let m = take(1);
            let a = take(2);
            return (m, a);
        }
    }
    (None, None)
}

/// The `ux` (0x7875) owner: (uid, gid).
fn ux_ids(ef: &[u8]) -> Option<(u32, u32)> {
    for (id, d) in blocks(ef) {
        if id == 0x7875 && d.len() >= 3 && d[0] == 1 {
            let n = d[1] as usize;
            let g = d.get(2 + n)?;
            let num = |b: &[u8]| b.iter().rev().fold(0u64, |v, &c| v << 8 | c as u64) as u32;
            let uid = num(d.get(2..2 + n)?);
            let gid = num(d.get(3 + n..3 + n + *g as usize)?);
            return Some((uid, gid));
        }
    }
    None
}

/// Bytes read at `off`, as many as there are (a read error counts as the end).
fn pread_full(fd: BorrowedFd, buf: &mut [u8], mut off: u64) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match sys::pread(fd, &mut buf[n..], off) {
            Ok(0) | Err(_) => break,
            Ok(k) => {
                n += k;
                off += k as u64;
            }
        }
    }
    n
}

/// Info-ZIP's display filter: control characters as `^X`.
fn shown(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len());
    for &c in name {
        if c < 0x20 {
            v.extend_from_slice(&[b'^', c + 64]);
        } else {
            v.push(c);
        }
    }
    v
}

/// `s` left-aligned in `w` columns.
fn pad(s: &[u8], w: usize) -> Vec<u8> {
    let mut v = s.to_vec();
    v.resize(w.max(s.len()), b' ');
    v
}

struct Archive {
    fd: OwnedFd,
    entries: Vec<Entry>,
    comment: Vec<u8>,
    /// Bytes before the archive proper (a self-extractor's stub): added to every offset.
    shift: u64,
}

const CENTRAL_HELP: &[u8] = b"  (please check that you have transferred or created the zipfile in the\n  appropriate BINARY mode and that you have compiled UnZip properly)\n";

struct Run<'a> {
    ctx: &'a mut Ctx,
    o: Opts,
    status: i32,
}

impl Run<'_> {
    fn fail(&mut self, code: i32) {
        self.status = self.status.max(code);
    }
    fn out(&mut self, b: &[u8]) {
        if let Err(e) = self.ctx.out.write_all(b) {
            self.write_failed(&e);
        }
    }
    fn write_failed(&mut self, e: &io::Error) {
        if e.raw_os_error() != Some(libc::EPIPE) {
            self.err(format!("error:  write error: {}\n", strerror(e)).as_bytes());
        }
        self.fail(DISK);
    }
    /// A message on standard error, after what standard output holds.
    fn err(&mut self, b: &[u8]) {
        let _ = self.ctx.out.flush();
        let _ = write_all(stderr_fd(), b);
    }

    /// Info-ZIP's words for a central directory that is not where the end record says.
    fn no_central(&mut self, zip: &[u8]) {
        let m = b"]:  start of central directory not found;\n  zipfile corrupt.\n";
        self.err(&[b"error [", zip, m, CENTRAL_HELP].concat());
    }

    fn open(&mut self) -> Option<Archive> {
        let z = self.o.zip.clone();
        let fl = libc::O_RDONLY | libc::O_CLOEXEC;
        let mut tries = [
            z.clone(),
            [&z[..], b".zip"].concat(),
            [&z[..], b".ZIP"].concat(),
        ]
        .into_iter()
        .filter_map(|n| sys::open(&n, fl, 0).ok().map(|fd| (n, fd)));
        let Some((name, fd)) = tries.next() else {
            let n = shown(&z);
            self.err(
                &[
                    &b"unzip:  cannot find or open "[..],
                    &n,
                    b", ",
                    &n,
                    b".zip or ",
                    &n,
                    b".ZIP.\n",
                ]
                .concat(),
            );
            self.fail(NOZIP);
            return None;
        };
        self.o.zip = name;
        let size = sys::fstat(fd.as_fd())
            .map(|s| s.st_size as u64)
            .unwrap_or(0);
        if self.o.quiet == 0 && !matches!(self.o.mode, Mode::Pipe)
            || self.o.quiet == 1 && matches!(self.o.mode, Mode::Comment)
        {
            let n = shown(&self.o.zip);
            self.out(&[b"Archive:  ", &n[..], b"\n"].concat());
        }
        match self.directory(fd, size) {
            Ok(a) => Some(a),
            Err(code) => {
                self.fail(code);
                None
            }
        }
    }

    fn not_zip(&mut self) -> i32 {
        let n = shown(&self.o.zip);
        self.err(b"  End-of-central-directory signature not found.  Either this file is not\n  a zipfile, or it constitutes one disk of a multi-part archive.  In the\n  latter case the central directory and zipfile comment will be found on\n  the last disk(s) of this archive.\n");
        self.err(
            &[
                b"unzip:  cannot find zipfile directory in one of ",
                &n[..],
                b" or\n        ",
                &n,
                b".zip, and cannot find ",
                &n,
                b".ZIP, period.\n",
            ]
            .concat(),
        );
        NOZIP
    }

    /// The end-of-central-directory record (zip64's when there is one) and the directory.
    fn directory(&mut self, fd: OwnedFd, size: u64) -> Result<Archive, i32> {
        let tail = size.min(22 + 65535) as usize;
        let mut buf = vec![0u8; tail];
        if tail < 22 || pread_full(fd.as_fd(), &mut buf, size - tail as u64) != tail {
            return Err(self.not_zip());
        }
        let Some(i) = (0..=tail - 22)
            .rev()
            .find(|&i| buf[i..i + 4] == *b"PK\x05\x06")
        else {
            return Err(self.not_zip());
        };
        let eocd = &buf[i..];
        let pos = size - (tail - i) as u64;
        let clen = (le16(eocd, 20) as usize).min(eocd.len() - 22);
        let comment = eocd[22..22 + clen].to_vec();
        let (mut count, mut cd_size, mut cd_off) = (
            le16(eocd, 10) as u64,
            le32(eocd, 12) as u64,
            le32(eocd, 16) as u64,
        );
        // Where the directory ends: at the zip64 record when there is one.
        let mut end = pos;
        let mut zip64 = false;
        if pos >= 20 + 56 {
            let mut loc = [0u8; 20];
            let mut rec = [0u8; 56];
            if pread_full(fd.as_fd(), &mut loc, pos - 20) == 20 && loc[..4] == *b"PK\x06\x07" {
                // The record just before the locator (offsets may be shifted by a stub),
                // else where the locator says.
                let at = pos - 20 - 56;
                let found = [at, le64(&loc, 8)].into_iter().find(|&a| {
                    pread_full(fd.as_fd(), &mut rec, a) == 56 && rec[..4] == *b"PK\x06\x06"
                });
                if let Some(a) = found {
                    count = le64(&rec, 32);
                    cd_size = le64(&rec, 40);
                    cd_off = le64(&rec, 48);
                    end = a;
                    zip64 = true;
                }
            }
        }
        let z = shown(&self.o.zip);
        let Some(shift) = end.checked_sub(cd_off.saturating_add(cd_size)) else {
            let missing = cd_off.saturating_add(cd_size) - end;
            self.err(format!("error [{}]:  missing {missing} bytes in zipfile\n  (attempting to process anyway)\n", String::from_utf8_lossy(&z)).as_bytes());
            self.no_central(&z);
            return Err(BADERR);
        };
        if count == 0 && cd_size == 0 {
            self.err(&[b"warning [", &z[..], b"]:  zipfile is empty\n"].concat());
            return Err(WARN);
        }
        if shift > 0 {
            self.err(format!("warning [{}]:  {shift} extra byte{} at beginning or within zipfile\n  (attempting to process anyway)\n", String::from_utf8_lossy(&z), if shift == 1 { "" } else { "s" }).as_bytes());
            self.fail(WARN);
        }
        let mut cd = vec![0u8; cd_size as usize];
        if pread_full(fd.as_fd(), &mut cd, cd_off + shift) != cd.len() {
            self.no_central(&z);
            return Err(BADERR);
        }
        let mut entries = Vec::new();
        let mut p = 0;
        while cd.len() - p >= 46 && cd[p..p + 4] == *b"PK\x01\x02" {
            let h = &cd[p..];
            let (nl, el, cl) = (
                le16(h, 28) as usize,
                le16(h, 30) as usize,
                le16(h, 32) as usize,
            );
            if h.len() < 46 + nl + el + cl {
                break;
            }
            let name = h[46..46 + nl].to_vec();
            let ef = &h[46 + nl..46 + nl + el];
            let mut e = Entry {
                name,
                host: h[5],
                flags: le16(h, 8),
                method: le16(h, 10),
                dos: (le16(h, 14) as u32) << 16 | le16(h, 12) as u32,
                crc: le32(h, 16),
                csize: le32(h, 20) as u64,
                size: le32(h, 24) as u64,
                offset: le32(h, 42) as u64,
                attr: le32(h, 38),
                ut_mtime: ut_times(ef).0,
            };
            if let Some((_, d)) = blocks(ef).find(|b| b.0 == 1) {
                let mut at = 0;
                for f in [&mut e.size, &mut e.csize, &mut e.offset] {
                    if *f == 0xffff_ffff && d.len() >= at + 8 {
                        *f = le64(d, at);
                        at += 8;
                    }
                }
            }
            entries.push(e);
            p += 46 + nl + el + cl;
        }
        let mask = if zip64 { u64::MAX } else { 0xffff };
        if entries.len() as u64 & mask != count {
            self.err(
                format!(
                    "error:  expected central file header signature not found (file #{}).\n",
                    entries.len() + 1
                )
                .as_bytes(),
            );
            self.err(CENTRAL_HELP);
            return Err(BADERR);
        }
        Ok(Archive {
            fd,
            entries,
            comment,
            shift,
        })
    }

    fn comment(&mut self, a: &Archive) {
        if !a.comment.is_empty() && (self.o.quiet == 0 || self.o.mode == Mode::Comment) {
            let c = a.comment.clone();
            self.out(&c);
            self.out(b"\n");
        }
    }

    fn selected(&self, e: &Entry, hits: &mut [bool], xhits: &mut [bool]) -> bool {
        let f = Flags {
            casefold: self.o.caseless,
            ..Flags::PLAIN
        };
        let mut take = self.o.names.is_empty();
        for (i, p) in self.o.names.iter().enumerate() {
            if fnmatch(p, &e.name, f) {
                hits[i] = true;
                take = true;
            }
        }
        if take {
            for (i, p) in self.o.xnames.iter().enumerate() {
                if fnmatch(p, &e.name, f) {
                    xhits[i] = true;
                    take = false;
                }
            }
        }
        take
    }

    fn list(&mut self, a: &Archive, pick: &[bool]) -> usize {
        let verbose = self.o.mode == Mode::Verbose;
        let quiet = self.o.quiet > 1;
        if !quiet {
            self.out(if verbose {
                b" Length   Method    Size  Cmpr    Date    Time   CRC-32   Name\n--------  ------  ------- ---- ---------- ----- --------  ----\n"
            } else {
                b"  Length      Date    Time    Name\n---------  ---------- -----   ----\n"
            });
        }
        let zone = Zone::local();
        let (mut n, mut tsize, mut tcsize) = (0usize, 0u64, 0u64);
        for (e, _) in a.entries.iter().zip(pick).filter(|p| *p.1) {
            let (y, mo, d, h, mi) = match e.ut_mtime {
                Some(t) => {
                    let tm = zone.to_tm(t);
                    (tm.year, tm.mon, tm.mday, tm.hour, tm.min)
                }
                None => {
                    let (dd, t) = (e.dos >> 16, e.dos & 0xffff);
                    (
                        ((dd >> 9) & 0x7f) as i64 + 1980,
                        (dd >> 5) & 0xf,
                        dd & 0x1f,
                        (t >> 11) & 0x1f,
                        (t >> 5) & 0x3f,
                    )
                }
            };
            let date = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}");
            let csize = e.csize - if e.flags & 1 != 0 { 12.min(e.csize) } else { 0 };
            let line = if verbose {
                let method = match e.method {
                    0 => "Stored".to_string(),
                    8 => format!("Defl:{}", b"NXFS"[(e.flags as usize >> 1) & 3] as char),
                    12 => "BZip2".to_string(),
                    14 => "LZMA".to_string(),
                    m => format!("Unk:{m:03}"),
                };
                format!(
                    "{:8}  {method:<7}{csize:8} {:>4} {date} {:08x}  ",
                    e.size,
                    cmpr(e.size, csize),
                    e.crc
                )
            } else {
                format!("{:9}  {date}   ", e.size)
            };
            self.out(line.as_bytes());
            self.out(&shown(&e.name));
            self.out(b"\n");
            n += 1;
            tsize += e.size;
            tcsize += csize;
        }
        if !quiet {
            let s = if n == 1 { "" } else { "s" };
            let t = if verbose {
                format!("--------          -------  ---                            -------\n{tsize:8}         {tcsize:8} {:>4}                            {n} file{s}\n", cmpr(tsize, tcsize))
            } else {
                format!("---------                     -------\n{tsize:9}                     {n} file{s}\n")
            };
            self.out(t.as_bytes());
        }
        n
    }
}

/// Info-ZIP's compression ratio: per mille rounded, then to a percentage rounded.
fn cmpr(uc: u64, c: u64) -> String {
    let pm = if uc == 0 {
        0
    } else {
        let (num, den) = if uc > 2_000_000 {
            (uc.abs_diff(c), uc / 1000)
        } else {
            (1000 * uc.abs_diff(c), uc)
        };
        (num + den / 2) / den
    };
    let pct = (pm + 5) / 10;
    match (pct, uc >= c) {
        (100, _) => "100%".into(),
        (p, true) => format!(" {p}%"),
        (p, false) => format!("-{p}%"),
    }
}

/// Where a member's data goes.
enum Sink<'a> {
    /// Tested only.
    Nowhere,
    Stdout,
    File(BorrowedFd<'a>),
    /// A symlink's target, kept in memory (at most this many bytes).
    Memory(&'a mut Vec<u8>),
}

enum Bad {
    Crc(u32),
    Inflate,
    Write(io::Error),
}

/// The data of `e` (at `start` in the archive) decoded into `sink`, its CRC and size checked.
fn decode(ctx: &mut Ctx, a: &Archive, e: &Entry, start: u64, sink: &mut Sink) -> Result<(), Bad> {
    let mut crc = flate2::Crc::new();
    let mut inf: Option<Box<dyn Step>> = match e.method {
        8 => Some(inflate_raw()),
        12 => decoder(Codec::Bzip2).ok(),
        _ => None,
    };
    let mut ibuf = vec![0u8; 64 * 1024];
    let mut obuf = vec![0u8; if inf.is_some() { 128 * 1024 } else { 0 }];
    let (mut pos, end) = (start, start.saturating_add(e.csize));
    let (mut have, mut at) = (0usize, 0usize);
    let mut made = 0u64;
    let mut put = |b: &[u8], made: &mut u64| -> Result<(), Bad> {
        *made += b.len() as u64;
        // More than the directory says: stop before the disk fills with a bomb.
        if *made > e.size {
            return Err(Bad::Inflate);
        }
        crc.update(b);
        match sink {
            Sink::Nowhere => Ok(()),
            Sink::Stdout => ctx.out.write_all(b).map_err(Bad::Write),
            Sink::File(fd) => write_all(*fd, b).map_err(Bad::Write),
            Sink::Memory(v) => {
                v.extend_from_slice(b);
                Ok(())
            }
        }
    };
    loop {
        if at == have && pos < end {
            let want = ibuf.len().min((end - pos) as usize);
            have = pread_full(a.fd.as_fd(), &mut ibuf[..want], pos);
            at = 0;
            pos += have as u64;
            if have < want {
                // The archive ends inside the member.
                pos = end;
            }
        }
        let input = &ibuf[at..have];
        let Some(d) = inf.as_mut() else {
            if input.is_empty() {
                break;
            }
            put(input, &mut made)?;
            at = have;
            continue;
        };
        let (c, p, done) = d
            .step(input, &mut obuf, pos == end && at == have)
            .map_err(|_| Bad::Inflate)?;
        at += c;
        put(&obuf[..p], &mut made)?;
        if done {
            break;
        }
        // No progress: the data ended inside the stream, or the decoder is stuck.
        if c == 0 && p == 0 && (pos == end || at < have) {
            return Err(Bad::Inflate);
        }
    }
    let got = crc.sum();
    if got != e.crc || made != e.size {
        return Err(Bad::Crc(got));
    }
    Ok(())
}

/// A member's cleaned path: no leading `/`, no `.`, `..` or empty components; `None` when
/// nothing is left. Warns as Info-ZIP does.
fn clean(r: &mut Run, name: &[u8], junk: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len());
    let mut dotdot = false;
    let comps: Vec<&[u8]> = name.split(|&c| c == b'/').collect();
    let last = comps.len() - 1;
    for (i, c) in comps.into_iter().enumerate() {
        if c == b".." {
            dotdot = true;
            continue;
        }
        if c.is_empty() || c == b"." || junk && i != last {
            continue;
        }
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(c);
    }
    if name.first() == Some(&b'/') {
        r.err(
            &[
                b"warning:  stripped absolute path spec from ",
                &shown(name)[..],
                b"\n",
            ]
            .concat(),
        );
        r.fail(WARN);
    }
    if dotdot {
        r.out(
            &[
                b"warning:  skipped \"../\" path component(s) in ",
                &shown(name)[..],
                b"\n",
            ]
            .concat(),
        );
        r.fail(WARN);
    }
    (!out.is_empty()).then_some(out)
}

fn split(p: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memrchr(b'/', p) {
        Some(i) => (&p[..i], &p[i + 1..]),
        None => (b"", p),
    }
}

/// A symlink made at the end, in place of its placeholder (device, inode).
struct Link {
    path: Vec<u8>,
    target: Vec<u8>,
    name: Vec<u8>,
    id: (u64, u64),
}

struct Meta {
    path: Vec<u8>,
    mode: u32,
    times: Option<[Time; 2]>,
}

/// The extraction's state: the target directory, what is left to do at the end.
struct Extract {
    root: OwnedFd,
    /// The shown prefix of every path: EXDIR and a slash.
    prefix: Vec<u8>,
    zone: Zone,
    umask: u32,
    dirs: Vec<Meta>,
    links: Vec<Link>,
    /// (device, inode) of every symlink this run made: never followed.
    made: Vec<(u64, u64)>,
}

enum Walk {
    Io(io::Error),
    NotDir(usize),
}

impl Extract {
    /// `dir` beneath the root, as an O_PATH descriptor, missing components made (mode 0777
    /// under the umask, as Info-ZIP). A symlink on the way is followed only when it was there
    /// before this run.
    fn open_dir(&self, dir: &[u8]) -> Result<OwnedFd, Walk> {
        let fl = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
        let mut cur: Option<OwnedFd> = None;
        let mut end = 0;
        for comp in dir.split(|&c| c == b'/').filter(|c| !c.is_empty()) {
            end += comp.len() + (end > 0) as usize;
            let at = cur.as_ref().map_or(self.root.as_fd(), |f| f.as_fd());
            let open = || sys::openat(at, comp, fl | libc::O_NOFOLLOW, 0);
            let fd = match open() {
                Ok(fd) => fd,
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
                    match sfs::mkdirat(at, comp, 0o777) {
                        Err(e) if e.raw_os_error() != Some(libc::EEXIST) => {
                            return Err(Walk::Io(e))
                        }
                        _ => open().map_err(Walk::Io)?,
                    }
                }
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOTDIR | libc::ELOOP)) => {
                    match sys::fstatat(at, comp, libc::AT_SYMLINK_NOFOLLOW) {
                        Ok(st)
                            if st.st_mode & libc::S_IFMT == libc::S_IFLNK
                                && !self.made.contains(&(st.st_dev, st.st_ino)) =>
                        {
                            sys::openat(at, comp, fl, 0).map_err(|_| Walk::NotDir(end))?
                        }
                        _ => return Err(Walk::NotDir(end)),
                    }
                }
                Err(e) => return Err(Walk::Io(e)),
            };
            cur = Some(fd);
        }
        match cur {
            Some(fd) => Ok(fd),
            None => sys::openat(self.root.as_fd(), b".", fl, 0).map_err(Walk::Io),
        }
    }

    fn times(&self, e: &Entry, local: &[u8]) -> [Time; 2] {
        let (m, a) = ut_times(local);
        let m = m.or(e.ut_mtime).unwrap_or_else(|| {
            let (d, t) = (e.dos >> 16, e.dos & 0xffff);
            let secs = ((t >> 11) & 0x1f) * 3600 + ((t >> 5) & 0x3f) * 60 + (t & 0x1f) * 2;
            crate::common::datetime::to_epoch(
                &self.zone,
                None,
                ((d >> 9) & 0x7f) as i64 + 1980,
                ((d >> 5) & 0xf) as i64,
                (d & 0x1f) as i64,
                secs as i64,
            )
        });
        [Time::At(a.unwrap_or(m), 0), Time::At(m, 0)]
    }

    /// The permission bits a member gets: a Unix mode as stored (set-id bits only with -K),
    /// DOS attributes as 0666 or 0444 (0777/0555 for a directory) under the umask.
    fn mode(&self, e: &Entry, keep_suid: bool) -> u32 {
        match e.unix_mode() {
            Some(m) => m & if keep_suid { 0o7777 } else { 0o777 },
            None => {
                let base = if e.is_dir() { 0o777 } else { 0o666 };
                let ro = if e.attr & 1 != 0 { 0o222 } else { 0 };
                base & !ro & !self.umask
            }
        }
    }
}

fn walk_error(r: &mut Run, x: &Extract, w: Walk, path: &[u8], name: &[u8]) {
    let (p, n) = ([&x.prefix[..], path].concat(), shown(name));
    match w {
        Walk::NotDir(end) => {
            let p = [&x.prefix[..], &path[..end]].concat();
            r.err(
                &[
                    b"checkdir error:  ",
                    &shown(&p)[..],
                    b" exists but is not directory\n                 unable to process ",
                    &n,
                    b".\n",
                ]
                .concat(),
            );
        }
        Walk::Io(e) => {
            r.err(
                &[
                    b"checkdir error:  cannot create ",
                    &shown(&p)[..],
                    b"\n                 ",
                    strerror(&e).as_bytes(),
                    b"\n                 unable to process ",
                    &n,
                    b".\n",
                ]
                .concat(),
            );
        }
    }
    r.fail(ERR);
}

/// Info-ZIP's question for an existing file; `None`: skip it.
fn ask(r: &mut Run, shown_path: &[u8]) -> Option<Option<Vec<u8>>> {
    loop {
        r.err(
            &[
                b"replace ",
                shown_path,
                b"? [y]es, [n]o, [A]ll, [N]one, [r]ename: ",
            ]
            .concat(),
        );
        let Some(line) = read_line() else {
            r.err(b" NULL\n(EOF or read error, treating as \"[N]one\" ...)\n");
            r.o.over = Over::Never;
            r.fail(WARN);
            return None;
        };
        match line.first() {
            Some(b'y') => return Some(None),
            Some(b'A') => {
                r.o.over = Over::Always;
                return Some(None);
            }
            Some(b'n') => return None,
            Some(b'N') => {
                r.o.over = Over::Never;
                return None;
            }
            Some(b'r') => {
                r.err(b"new name: ");
                return match read_line() {
                    Some(n) if !n.is_empty() => Some(Some(n)),
                    _ => None,
                };
            }
            _ => r.err(
                &[
                    b"error:  invalid response [",
                    &line[..line.len().min(1)],
                    b"]\n",
                ]
                .concat(),
            ),
        }
    }
}

/// One line of standard input, read a byte at a time (nothing past it is consumed).
fn read_line() -> Option<Vec<u8>> {
    let mut v = Vec::new();
    let mut b = [0u8];
    loop {
        match sys::read(stdin_fd(), &mut b) {
            Ok(1) if b[0] == b'\n' => return Some(v),
            Ok(1) => v.push(b[0]),
            _ if v.is_empty() => return None,
            _ => return Some(v),
        }
    }
}

/// The local header of `e`: its extra field and where the data starts; `None` reported.
fn local(r: &mut Run, a: &Archive, e: &Entry, i: usize) -> Option<(Vec<u8>, u64)> {
    let off = e.offset.saturating_add(a.shift);
    let mut h = [0u8; 30];
    if pread_full(a.fd.as_fd(), &mut h, off) != 30 || h[..4] != *b"PK\x03\x04" {
        r.err(
            format!(
                "file #{}:  bad zipfile offset (local header sig):  {}\n",
                i + 1,
                e.offset
            )
            .as_bytes(),
        );
        r.fail(ERR);
        return None;
    }
    let (nl, el) = (le16(&h, 26) as u64, le16(&h, 28) as usize);
    let mut ef = vec![0u8; el];
    let _ = pread_full(a.fd.as_fd(), &mut ef, off + 30 + nl);
    let start = off + 30 + nl + el as u64;
    Some((ef, start))
}

fn member(r: &mut Run, a: &Archive, x: &mut Option<Extract>, e: &Entry, i: usize) {
    let quiet = r.o.quiet > 0;
    if e.flags & 1 != 0 {
        let n = pad(&shown(&e.name), 22);
        r.err(&[b"   skipping: ", &n[..], b"  unable to get password\n"].concat());
        r.fail(WARN);
        return;
    }
    let known = matches!(e.method, 0 | 8) || e.method == 12 && cfg!(feature = "tar-bzip2");
    if !known {
        let n = pad(&shown(&e.name), 22);
        r.err(
            &[
                &b"   skipping: "[..],
                &n,
                format!("  unsupported compression method {}\n", e.method).as_bytes(),
            ]
            .concat(),
        );
        r.fail(WARN);
        return;
    }
    let Some((ef, start)) = local(r, a, e, i) else {
        return;
    };
    let verb = e.verb();
    match r.o.mode {
        Mode::Test => {
            if !quiet {
                let n = pad(&shown(&e.name), 22);
                r.out(&[b"    testing: ", &n[..], b"  "].concat());
            }
            let res = decode(r.ctx, a, e, start, &mut Sink::Nowhere);
            report(r, e, res, b" OK\n", true);
        }
        Mode::Pipe | Mode::Cat => {
            if e.is_dir() && r.o.mode == Mode::Pipe {
                return;
            }
            let cat = r.o.mode == Mode::Cat && !quiet;
            if cat {
                let n = pad(&shown(&e.name), 22);
                r.out(&[verb, b"ing: ", &n[..], b"  \n"].concat());
            }
            let res = decode(r.ctx, a, e, start, &mut Sink::Stdout);
            let shown_prefix = cat;
            report_pipe(r, e, res, shown_prefix);
            if cat {
                r.out(b"\n");
            }
        }
        _ => {
            if let Some(x) = x {
                extract(r, a, x, e, &ef, start);
            }
        }
    }
}

/// The end of a tested or extracted member whose line was started (unless quiet).
fn report(r: &mut Run, e: &Entry, res: Result<(), Bad>, ok: &[u8], test: bool) {
    let quiet = r.o.quiet > 0;
    let named = |m: &[u8]| [m, b" ", &shown(&e.name)[..], b"\n"].concat();
    match res {
        Ok(()) => {
            if !quiet {
                r.out(ok);
            }
        }
        Err(Bad::Crc(got)) => {
            let m = format!(" bad CRC {got:08x}  (should be {:08x})\n", e.crc);
            let m = if quiet {
                [&pad(&shown(&e.name), 22)[..], b" ", m.as_bytes()].concat()
            } else {
                m.into_bytes()
            };
            if test {
                r.out(&m);
            } else {
                r.err(&m);
            }
            r.fail(ERR);
        }
        Err(Bad::Inflate) => {
            let m: &[u8] = b"  error:  invalid compressed data to inflate";
            if test && quiet {
                r.out(&named(m));
            } else if test {
                r.out(&[b"\n", m, b"\n"].concat());
            } else if quiet {
                r.err(&named(m));
            } else {
                r.err(&[b"\n", m, b"\n"].concat());
            }
            r.fail(ERR);
        }
        Err(Bad::Write(e)) => r.write_failed(&e),
    }
}

fn report_pipe(r: &mut Run, e: &Entry, res: Result<(), Bad>, shown_prefix: bool) {
    let q = r.o.quiet;
    if !shown_prefix {
        r.o.quiet = 1;
    }
    report(r, e, res, b"", false);
    r.o.quiet = q;
}

/// Info-ZIP's `error:  cannot WHAT NAME` with the reason on an indented line: a warning.
fn cannot(r: &mut Run, what: &[u8], full: &[u8], err: &std::io::Error) {
    let why = strerror(err);
    r.err(
        &[
            b"error:  cannot ",
            what,
            full,
            b"\n        ",
            why.as_bytes(),
            b"\n",
        ]
        .concat(),
    );
    r.fail(WARN);
}

fn extract(r: &mut Run, a: &Archive, x: &mut Extract, e: &Entry, ef: &[u8], start: u64) {
    let quiet = r.o.quiet > 0;
    if e.is_dir() && r.o.junk {
        return;
    }
    let Some(mut path) = clean(r, &e.name, r.o.junk) else {
        return;
    };
    let times = (r.o.no_times < 1 + !e.is_dir() as u8).then(|| x.times(e, ef));
    let mode = x.mode(e, r.o.keep_suid);
    if e.is_dir() {
        let (dir, base) = split(&path);
        let made = x
            .open_dir(dir)
            .is_ok_and(|p| sfs::mkdirat(p.as_fd(), base, 0o777).is_ok());
        if let Err(w) = x.open_dir(&path) {
            walk_error(r, x, w, &path, &e.name);
            return;
        }
        if made && !quiet {
            let p = shown(&[&x.prefix[..], &path, b"/"].concat());
            r.out(&[b"   creating: ", &p[..], b"\n"].concat());
        }
        x.dirs.push(Meta { path, mode, times });
        return;
    }
    let (dir, _) = split(&path);
    let mut parent = match x.open_dir(dir) {
        Ok(fd) => fd,
        Err(w) => {
            walk_error(r, x, w, dir, &e.name);
            return;
        }
    };
    let base = split(&path).1.to_vec();
    if let Ok(st) = sys::fstatat(parent.as_fd(), &base, libc::AT_SYMLINK_NOFOLLOW) {
        let newer = match x.times(e, ef)[1] {
            Time::At(s, _) => s,
            _ => 0,
        };
        // Info-ZIP compares with what a symlink points to.
        let old = sys::fstatat(parent.as_fd(), &base, 0).map_or(st.st_mtime, |s| s.st_mtime);
        if (r.o.fresh || r.o.update) && old >= newer {
            return;
        }
        let over = r.o.over;
        if over != Over::Always && st.st_mode & libc::S_IFMT == libc::S_IFLNK {
            let p = shown(&[&x.prefix[..], &path].concat());
            r.out(&[&p[..], b" exists and is a symbolic link.\n"].concat());
        }
        match over {
            Over::Never => return,
            Over::Always => {}
            Over::Ask => match ask(r, &shown(&[&x.prefix[..], &path].concat())) {
                None => return,
                Some(None) => {}
                Some(Some(new)) => {
                    let Some(p) = clean(r, &new, false) else {
                        return;
                    };
                    path = p;
                    let dir = split(&path).0;
                    parent = match x.open_dir(dir) {
                        Ok(fd) => fd,
                        Err(w) => {
                            walk_error(r, x, w, dir, &e.name);
                            return;
                        }
                    };
                }
            },
        }
    } else if r.o.fresh {
        return;
    }
    let base = split(&path).1.to_vec();
    let full = shown(&[&x.prefix[..], &path].concat());
    match sfs::unlinkat(parent.as_fd(), &base, 0) {
        Err(err) if err.raw_os_error() != Some(libc::ENOENT) => {
            cannot(r, b"delete old ", &full, &err);
            return;
        }
        _ => {}
    }
    let fl = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    let fd = match sys::openat(parent.as_fd(), &base, fl, 0o600) {
        Ok(fd) => fd,
        Err(err) => {
            cannot(r, b"create ", &full, &err);
            return;
        }
    };
    if e.is_symlink() {
        // An empty placeholder until the end, as Info-ZIP: nothing can be written or made
        // through the path meanwhile, and the link is made only if the placeholder is still
        // the file made here.
        let mut target = Vec::new();
        let res = if e.size > 4096 {
            Err(Bad::Inflate)
        } else {
            decode(r.ctx, a, e, start, &mut Sink::Memory(&mut target))
        };
        if !quiet {
            r.out(
                &[
                    b"    linking: ",
                    &pad(&full, 22)[..],
                    b"  -> ",
                    &shown(&target),
                    b" \n",
                ]
                .concat(),
            );
        }
        match (res, sys::fstat(fd.as_fd())) {
            (Ok(()), Ok(st)) => x.links.push(Link {
                path,
                target,
                name: e.name.clone(),
                id: (st.st_dev, st.st_ino),
            }),
            (Err(b), _) => report(r, e, Err(b), b"", false),
            (_, Err(_)) => {}
        }
        return;
    }
    if !quiet {
        r.out(&[e.verb(), b"ing: ", &pad(&full, 22)[..], b"  "].concat());
    }
    let res = decode(r.ctx, a, e, start, &mut Sink::File(fd.as_fd()));
    if r.o.owners {
        if let Some((u, g)) = ux_ids(ef) {
            let _ = sfs::fchown(fd.as_fd(), u, g);
        }
    }
    let _ = sfs::fchmod(fd.as_fd(), mode);
    if let Some(t) = times {
        let _ = sfs::futimens(fd.as_fd(), t);
    }
    report(r, e, res, b"\n", false);
}

/// After the members: the deferred symlinks, then directory modes and times, deepest first.
fn finish(r: &mut Run, x: &mut Extract) {
    let links = std::mem::take(&mut x.links);
    if !links.is_empty() && r.o.quiet == 0 {
        r.out(b"finishing deferred symbolic links:\n");
    }
    for l in links {
        let full = shown(&[&x.prefix[..], &l.path].concat());
        let (dir, base) = split(&l.path);
        let parent = match x.open_dir(dir) {
            Ok(fd) => fd,
            Err(w) => {
                walk_error(r, x, w, dir, &l.name);
                continue;
            }
        };
        let ours = sys::fstatat(parent.as_fd(), base, libc::AT_SYMLINK_NOFOLLOW).is_ok_and(|st| {
            (st.st_dev, st.st_ino) == l.id
                && st.st_mode & libc::S_IFMT == libc::S_IFREG
                && st.st_size == 0
        });
        if ours && r.o.quiet == 0 {
            r.out(
                &[
                    b"  ",
                    &pad(&full, 22)[..],
                    b" -> ",
                    &shown(&l.target),
                    b"\n",
                ]
                .concat(),
            );
        }
        let made = if ours {
            sfs::unlinkat(parent.as_fd(), base, 0)
                .and_then(|()| sfs::symlinkat(&l.target, parent.as_fd(), base))
                .and_then(|()| sys::fstatat(parent.as_fd(), base, libc::AT_SYMLINK_NOFOLLOW))
                .map_err(|e| strerror(&e))
        } else {
            Err("invalid placeholder file".into())
        };
        match made {
            Ok(st) => x.made.push((st.st_dev, st.st_ino)),
            Err(why) => {
                r.err(
                    &[
                        b"warning:  deferred symlink (",
                        &full[..],
                        b") failed:\n          ",
                        why.as_bytes(),
                        b"\n",
                    ]
                    .concat(),
                );
                r.fail(WARN);
            }
        }
    }
    let mut dirs = std::mem::take(&mut x.dirs);
    crate::common::sort::sort_by(&mut dirs, |a, b| b.path.cmp(&a.path));
    for d in dirs {
        let (dir, base) = split(&d.path);
        let Ok(parent) = x.open_dir(dir) else {
            continue;
        };
        let _ = sfs::fchmodat_nofollow(parent.as_fd(), base, d.mode);
        if let Some(t) = d.times {
            let _ = sfs::utimensat(parent.as_fd(), base, t, libc::AT_SYMLINK_NOFOLLOW);
        }
    }
}

/// Info-ZIP's command line: options first (bundled, `-d DIR` anywhere), the archive, then
/// member names; after the archive only `-x` (names to exclude follow) and `-d` are options.
fn parse(argv: &[OsString]) -> Result<Option<Opts>, ()> {
    let mut o = Opts {
        mode: Mode::Extract,
        over: Over::Ask,
        quiet: 0,
        junk: false,
        fresh: false,
        update: false,
        caseless: false,
        no_times: 0,
        owners: false,
        keep_suid: false,
        zip: Vec::new(),
        names: Vec::new(),
        xnames: Vec::new(),
        exdir: None,
    };
    let mut it = argv.iter().skip(1).map(|a| a.as_bytes());
    let mut have_zip = false;
    let mut excluding = false;
    while let Some(a) = it.next() {
        if a.len() > 1 && a[0] == b'-' && (!have_zip || a[1] == b'd' || a == b"-x") {
            if have_zip && a == b"-x" {
                excluding = true;
                continue;
            }
            let mut k = 1;
            while k < a.len() {
                let c = a[k];
                k += 1;
                match c {
                    b'l' => o.mode = Mode::List,
                    b'v' => o.mode = Mode::Verbose,
                    b't' => o.mode = Mode::Test,
                    b'p' => o.mode = Mode::Pipe,
                    b'c' => o.mode = Mode::Cat,
                    b'z' => o.mode = Mode::Comment,
                    b'o' => o.over = Over::Always,
                    b'n' => o.over = Over::Never,
                    b'q' => o.quiet += 1,
                    b'j' => o.junk = true,
                    b'f' => o.fresh = true,
                    b'u' => o.update = true,
                    b'C' => o.caseless = true,
                    b'D' => o.no_times += 1,
                    b'X' => o.owners = true,
                    b'K' => o.keep_suid = true,
                    b'h' => return Ok(None),
                    b'd' => {
                        let rest = &a[k..];
                        let dir = if rest.is_empty() {
                            it.next().ok_or(())?
                        } else {
                            rest
                        };
                        o.exdir = Some(dir.to_vec());
                        excluding = false;
                        break;
                    }
                    b'x' if have_zip => excluding = true,
                    // Accepted and without effect here: -a (text conversion), -b, -L, -M, -U, -V, -W.
                    b'a' | b'b' | b'L' | b'M' | b'U' | b'V' | b'W' | b'T' => {}
                    _ => return Err(()),
                }
            }
        } else if !have_zip {
            o.zip = a.to_vec();
            have_zip = true;
        } else if excluding {
            o.xnames.push(a.to_vec());
        } else {
            o.names.push(a.to_vec());
        }
    }
    if !have_zip {
        return Ok(None);
    }
    if o.mode == Mode::Pipe {
        o.quiet = o.quiet.max(1);
    }
    Ok(Some(o))
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let o = match parse(&argv) {
        Ok(Some(o)) => o,
        Ok(None) => {
            let _ = ctx.out.write_all(&USAGE.bytes());
            return ctx.finish(Ok(()));
        }
        // Info-ZIP answers a bad option with its usage on standard error.
        Err(_) => {
            let _ = write_all(stderr_fd(), &USAGE.bytes());
            return PARAM;
        }
    };
    let mut r = Run { ctx, o, status: 0 };
    let code = run(&mut r);
    let flushed = r.ctx.finish(Ok(()));
    code.max(flushed)
}

fn run(r: &mut Run) -> i32 {
    let Some(a) = r.open() else {
        return r.status;
    };
    if matches!(r.o.mode, Mode::Comment) {
        r.comment(&a);
        return r.status;
    }
    if matches!(
        r.o.mode,
        Mode::Extract | Mode::List | Mode::Verbose | Mode::Test | Mode::Cat
    ) {
        r.comment(&a);
    }
    let mut hits = vec![false; r.o.names.len()];
    let mut xhits = vec![false; r.o.xnames.len()];
    let pick: Vec<bool> = a
        .entries
        .iter()
        .map(|e| r.selected(e, &mut hits, &mut xhits))
        .collect();
    let count = pick.iter().filter(|&&p| p).count();
    if matches!(r.o.mode, Mode::List | Mode::Verbose) {
        if r.list(&a, &pick) == 0 {
            r.fail(FIND);
        }
        return r.status;
    }
    let mut x = None;
    if r.o.mode == Mode::Extract && count > 0 {
        x = match target(r) {
            Some(t) => Some(t),
            None => return r.status,
        };
    }
    for (i, e) in a.entries.iter().enumerate() {
        if pick[i] {
            member(r, &a, &mut x, e, i);
        }
    }
    if let Some(x) = &mut x {
        finish(r, x);
    }
    for (p, hit) in r.o.names.clone().iter().zip(&hits) {
        if !hit {
            r.err(&[b"caution: filename not matched:  ", &shown(p)[..], b"\n"].concat());
        }
    }
    for (p, hit) in r.o.xnames.clone().iter().zip(&xhits) {
        if !hit {
            r.err(
                &[
                    b"caution: excluded filename not matched:  ",
                    &shown(p)[..],
                    b"\n",
                ]
                .concat(),
            );
        }
    }
    if r.o.mode == Mode::Test && r.o.quiet < 2 {
        let z = shown(&r.o.zip);
        let m = if r.status > WARN {
            [b"At least one error was detected in ", &z[..], b".\n"].concat()
        } else if r.o.names.is_empty() {
            [b"No errors detected in compressed data of ", &z[..], b".\n"].concat()
        } else {
            let s = if count == 1 { "" } else { "s" };
            [
                &b"No errors detected in "[..],
                &z,
                format!(" for the {count} file{s} tested.\n").as_bytes(),
            ]
            .concat()
        };
        if count > 0 {
            r.out(&m);
        }
    }
    if count == 0 || hits.contains(&false) {
        r.fail(FIND);
    }
    r.status
}

/// The target directory: EXDIR (made if missing, one level as Info-ZIP) or the current one.
fn target(r: &mut Run) -> Option<Extract> {
    let fl = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
    let (root, prefix) = match r.o.exdir.clone() {
        Some(d) => {
            let open = || sys::open(&d, fl, 0);
            let fd = match open() {
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
                    sfs::mkdirat(sys::cwd(), &d, 0o777).and_then(|()| open())
                }
                r => r,
            };
            match fd {
                Ok(fd) => {
                    let mut p = crate::common::fs::strip_trailing_slashes(&d).to_vec();
                    if !p.ends_with(b"/") {
                        p.push(b'/');
                    }
                    (fd, p)
                }
                Err(e) => {
                    r.err(
                        &[
                            b"checkdir:  cannot create extraction directory: ",
                            &shown(&d)[..],
                            b"\n           ",
                            strerror(&e).as_bytes(),
                            b"\n",
                        ]
                        .concat(),
                    );
                    r.fail(ERR);
                    return None;
                }
            }
        }
        None => match sys::open(b".", fl, 0) {
            Ok(fd) => (fd, Vec::new()),
            Err(e) => {
                r.err(
                    &[
                        b"checkdir:  cannot create extraction directory: .\n           ",
                        strerror(&e).as_bytes(),
                        b"\n",
                    ]
                    .concat(),
                );
                r.fail(ERR);
                return None;
            }
        },
    };
    Some(Extract {
        root,
        prefix,
        zone: Zone::local(),
        umask: crate::common::sys::process::current_umask(),
        dirs: Vec::new(),
        links: Vec::new(),
        made: Vec::new(),
    })
}
