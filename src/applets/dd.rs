//! `dd`: copy a file block by block, converting, as GNU coreutils 9 dd.
//!
//! Operands `if= of= bs= ibs= obs= cbs= count= skip=`/`iseek= seek=`/`oseek= conv= iflag=
//! oflag= status=`; numbers with GNU's suffixes (`c w b`, `k K M G T P E Z Y R Q`, `kB MB ...`,
//! `KiB ...`) and `x` products (`2x512`), a count, skip or seek ending in `B` counts bytes
//! (9.1). Conversions `lcase ucase swab sync noerror notrunc nocreat excl fsync fdatasync
//! sparse block unblock`; flags `append direct directory dsync sync fullblock nonblock noatime
//! noctty nofollow count_bytes skip_bytes seek_bytes` (`nocache` is accepted and does nothing).
//! `bs=` copies each read as one write; `ibs=`/`obs=` reblock. The statistics on standard error
//! (`N+M records in/out`, `X bytes (SI, IEC) copied, T s, R/s`), printed at the end, on SIGUSR1,
//! on SIGINT before dying of it, and each second with `status=progress`, are GNU's to the
//! byte, as are the messages and the exit status (1 for any error).
//!
//! Deviations: no `conv=ascii,ebcdic,ibm` (the EBCDIC tables), refused with a message.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::common::args::{self, Opt, Spec};
use crate::common::blocksize::human_nearest;
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::stderr_fd;
use crate::common::num::{xstrtoumax, XErr};
use crate::common::printf::c_double;
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::sys::fd::{self as sys, AsFd, OwnedFd};
use crate::common::sys::signal::{self as sig, Handler};
use crate::common::sys::{fs as sfs, process};
use crate::common::Ctx;

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: dd [OPERAND]...
  or:  dd OPTION
Copy a file, converting and formatting according to the operands.

  bs=BYTES        read and write up to BYTES bytes at a time (default: 512);
                  overrides ibs and obs
  cbs=BYTES       convert BYTES bytes at a time
  conv=CONVS      convert the file as per the comma separated symbol list
  count=N         copy only N input blocks
  ibs=BYTES       read up to BYTES bytes at a time (default: 512)
  if=FILE         read from FILE instead of stdin
  iflag=FLAGS     read as per the comma separated symbol list
  obs=BYTES       write BYTES bytes at a time (default: 512)
  of=FILE         write to FILE instead of stdout
  oflag=FLAGS     write as per the comma separated symbol list
  seek=N          (or oseek=N) skip N obs-sized output blocks
  skip=N          (or iseek=N) skip N ibs-sized input blocks
  status=LEVEL    what to print to stderr: 'none' only errors, 'noxfer' no
                  final transfer statistics, 'progress' periodic statistics

N and BYTES may be followed by: c=1, w=2, b=512, kB=1000, K=1024, MB=1000*1000,
M=1024*1024, xM=M, GB, G, and so on for T, P, E, Z, Y, R, Q; binary prefixes
such as KiB=K work too. A count, skip or seek ending in B counts bytes.

SIGUSR1 prints the I/O statistics so far to standard error and the copy goes on.

CONVS: block unblock (newline-terminated records to and from cbs-sized ones),
  lcase ucase (change case), sparse (seek over NUL output blocks), swab (swap
  every pair of input bytes), sync (pad every input block with NULs to ibs, or
  spaces with block/unblock), excl (fail if the output exists), nocreat (do not
  create it), notrunc (do not truncate it), noerror (go on after read errors),
  fdatasync, fsync (write the data out before finishing).

FLAGS: append, direct, directory, dsync, sync, fullblock (input
  only: read full blocks), nonblock, noatime, nocache (no effect), noctty,
  nofollow, count_bytes skip_bytes (input), seek_bytes (output).
"
    ),
);

// Conversions.
const BLOCK: u32 = 1;
const UNBLOCK: u32 = 2;
const LCASE: u32 = 4;
const UCASE: u32 = 8;
const SWAB: u32 = 16;
const SYNC: u32 = 32;
const NOERROR: u32 = 64;
const NOTRUNC: u32 = 128;
const NOCREAT: u32 = 256;
const EXCL: u32 = 512;
const FSYNC: u32 = 1024;
const FDATASYNC: u32 = 2048;
const SPARSE: u32 = 4096;
const EBCDIC: u32 = 8192;

// Flags that are not open(2) flags (above its bits).
const FULLBLOCK: i64 = 1 << 40;
const COUNT_BYTES: i64 = 1 << 41;
const SKIP_BYTES: i64 = 1 << 42;
const SEEK_BYTES: i64 = 1 << 43;
const NOCACHE: i64 = 1 << 44;

const CONVS: &[(&str, u32)] = &[
    ("ascii", EBCDIC),
    ("ebcdic", EBCDIC),
    ("ibm", EBCDIC),
    ("block", BLOCK),
    ("unblock", UNBLOCK),
    ("lcase", LCASE),
    ("ucase", UCASE),
    ("sparse", SPARSE),
    ("swab", SWAB),
    ("sync", SYNC),
    ("excl", EXCL),
    ("nocreat", NOCREAT),
    ("notrunc", NOTRUNC),
    ("noerror", NOERROR),
    ("fdatasync", FDATASYNC),
    ("fsync", FSYNC),
];

const FLAGS: &[(&str, i64)] = &[
    ("append", libc::O_APPEND as i64),
    ("binary", 0),
    ("count_bytes", COUNT_BYTES),
    ("direct", libc::O_DIRECT as i64),
    ("directory", libc::O_DIRECTORY as i64),
    ("dsync", libc::O_DSYNC as i64),
    ("fullblock", FULLBLOCK),
    ("noatime", libc::O_NOATIME as i64),
    ("nocache", NOCACHE),
    ("noctty", libc::O_NOCTTY as i64),
    ("nofollow", libc::O_NOFOLLOW as i64),
    ("nonblock", libc::O_NONBLOCK as i64),
    ("seek_bytes", SEEK_BYTES),
    ("skip_bytes", SKIP_BYTES),
    ("sync", libc::O_SYNC as i64),
    ("text", 0),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Default,
    None,
    Noxfer,
    Progress,
}

/// SIGUSR1 (print the statistics) and SIGINT (print them, then die of it) seen.
static INFO: AtomicBool = AtomicBool::new(false);
static INTERRUPT: AtomicBool = AtomicBool::new(false);

extern "C" fn on_info(_: libc::c_int) {
    INFO.store(true, Ordering::Relaxed);
}
extern "C" fn on_interrupt(_: libc::c_int) {
    INTERRUPT.store(true, Ordering::Relaxed);
}

/// A usage-level failure: the message, and whether `Try 'dd --help'` follows.
struct Usage(Vec<u8>, bool);

struct Opts {
    input: Option<Vec<u8>>,
    output: Option<Vec<u8>>,
    ibs: usize,
    obs: usize,
    bs: usize,
    cbs: usize,
    /// (amount, in bytes rather than blocks).
    skip: (u64, bool),
    seek: (u64, bool),
    count: Option<(u64, bool)>,
    conv: u32,
    iflag: i64,
    oflag: i64,
    status: Status,
}

/// GNU dd's numbers: xstrtoumax with its suffixes, `x` products; (value, ends in `B`).
fn number(s: &[u8]) -> Result<u64, XErr> {
    if let Some(i) = s.iter().position(|&c| c == b'x') {
        let a = number(&s[..i])?;
        let b = number(&s[i + 1..])?;
        return a.checked_mul(b).ok_or(XErr::Overflow);
    }
    match xstrtoumax(s, b"bcEGkKMPQRTwYZ0") {
        Ok(v) if v <= i64::MAX as u64 => Ok(v),
        Ok(_) => Err(XErr::Overflow),
        Err((e, _)) => Err(e),
    }
}

fn parse(ctx: &mut Ctx, operands: &[OsString]) -> Result<Opts, Usage> {
    let mut o = Opts {
        input: None,
        output: None,
        ibs: 0,
        obs: 0,
        bs: 0,
        cbs: 0,
        skip: (0, false),
        seek: (0, false),
        count: None,
        conv: 0,
        iflag: 0,
        oflag: 0,
        status: Status::Default,
    };
    for a in operands {
        let a = a.as_bytes();
        let bad = || {
            Usage(
                [b"unrecognized operand ", &quote_always(a)[..]].concat(),
                true,
            )
        };
        let Some(eq) = a.iter().position(|&c| c == b'=') else {
            return Err(bad());
        };
        let (key, val) = (&a[..eq], &a[eq + 1..]);
        let num = |ctx: &mut Ctx, min: u64| -> Result<u64, Usage> {
            if val.starts_with(b"0x") && number(val) == Ok(0) {
                ctx.msg(b"warning: '0x' is a zero multiplier; use '00x' if that is intended");
            }
            let invalid = |why: Option<&str>| {
                let mut m = [b"invalid number: ", &quote_always(val)[..]].concat();
                if let Some(w) = why {
                    m.extend_from_slice(b": ");
                    m.extend_from_slice(w.as_bytes());
                }
                Usage(m, false)
            };
            // A trailing B alone (`count=2B`) means bytes; `2KiB` is a suffix of its own.
            let parsed = match number(val) {
                Err(XErr::Invalid) if val.len() > 1 && val.ends_with(b"B") => {
                    number(&val[..val.len() - 1])
                }
                r => r,
            };
            match parsed {
                Ok(v) if v >= min => Ok(v),
                Ok(_) | Err(XErr::Invalid) => Err(invalid(None)),
                Err(XErr::Overflow) => Err(invalid(Some(&strerror(
                    &io::Error::from_raw_os_error(libc::EOVERFLOW),
                )))),
            }
        };
        // GNU 9's MAX_BLOCKSIZE (its slop taken off 2^63-1 is 1).
        let block_size = |n: u64| -> Result<usize, Usage> {
            if n >= i64::MAX as u64 {
                return Err(Usage(
                    [
                        b"invalid number: ",
                        &quote_always(val)[..],
                        b": ",
                        strerror(&io::Error::from_raw_os_error(libc::EOVERFLOW)).as_bytes(),
                    ]
                    .concat(),
                    false,
                ));
            }
            Ok(n as usize)
        };
        let bytes_suffix = val.last() == Some(&b'B');
        match key {
            b"if" => o.input = Some(val.to_vec()),
            b"of" => o.output = Some(val.to_vec()),
            b"bs" => o.bs = block_size(num(ctx, 1)?)?,
            b"ibs" => o.ibs = block_size(num(ctx, 1)?)?,
            b"obs" => o.obs = block_size(num(ctx, 1)?)?,
            b"cbs" => o.cbs = num(ctx, 1)? as usize,
            b"skip" | b"iseek" => o.skip = (num(ctx, 0)?, bytes_suffix),
            b"seek" | b"oseek" => o.seek = (num(ctx, 0)?, bytes_suffix),
            b"count" => o.count = Some((num(ctx, 0)?, bytes_suffix)),
            b"conv" => {
                for w in val.split(|&c| c == b',') {
                    match CONVS.iter().find(|c| c.0.as_bytes() == w) {
                        Some(c) => o.conv |= c.1,
                        None => {
                            return Err(Usage(
                                [b"invalid conversion: ", &quote_always(w)[..]].concat(),
                                true,
                            ))
                        }
                    }
                }
            }
            b"iflag" | b"oflag" => {
                let input = key == b"iflag";
                for w in val.split(|&c| c == b',') {
                    let f = FLAGS.iter().find(|f| f.0.as_bytes() == w).map(|f| f.1);
                    // GNU refuses only this one on the wrong side.
                    let misplaced = !input && f == Some(FULLBLOCK);
                    match f {
                        Some(f) if !misplaced => {
                            if input {
                                o.iflag |= f
                            } else {
                                o.oflag |= f
                            }
                        }
                        _ => {
                            let what: &[u8] = if input {
                                b"invalid input flag: "
                            } else {
                                b"invalid output flag: "
                            };
                            return Err(Usage([what, &quote_always(w)[..]].concat(), true));
                        }
                    }
                }
            }
            b"status" => {
                o.status = match val {
                    b"none" => Status::None,
                    b"noxfer" => Status::Noxfer,
                    b"progress" => Status::Progress,
                    _ => {
                        return Err(Usage(
                            [b"invalid status level: ", &quote_always(val)[..]].concat(),
                            true,
                        ))
                    }
                }
            }
            _ => return Err(bad()),
        }
    }
    // Without cbs, block and unblock do nothing (and so cannot conflict).
    if o.cbs == 0 {
        o.conv &= !(BLOCK | UNBLOCK);
    }
    for (a, b, x, y) in [
        (BLOCK, UNBLOCK, "block", "unblock"),
        (LCASE, UCASE, "lcase", "ucase"),
        (EXCL, NOCREAT, "excl", "nocreat"),
    ] {
        if o.conv & a != 0 && o.conv & b != 0 {
            return Err(Usage(
                format!("cannot combine {x} and {y}").into_bytes(),
                false,
            ));
        }
    }
    if o.conv & EBCDIC != 0 {
        return Err(Usage(
            b"conv=ascii, ebcdic and ibm are not supported by this dd".to_vec(),
            false,
        ));
    }
    if o.bs > 0 {
        o.ibs = o.bs;
        o.obs = o.bs;
    }
    if o.ibs == 0 {
        o.ibs = 512;
    }
    if o.obs == 0 {
        o.obs = 512;
    }
    if o.iflag & SKIP_BYTES != 0 {
        o.skip.1 = true;
    }
    if o.oflag & SEEK_BYTES != 0 {
        o.seek.1 = true;
    }
    if o.iflag & COUNT_BYTES != 0 {
        if let Some(c) = &mut o.count {
            c.1 = true;
        }
    }
    Ok(o)
}

/// Whether output is gathered into obs-sized blocks: without bs=, and for the conversions
/// that change the data (as GNU; with bs= alone each read is written as it came).
fn two_buffers(o: &Opts) -> bool {
    o.bs == 0 || o.conv & (BLOCK | UNBLOCK | LCASE | UCASE | SWAB) != 0
}

/// A buffer aligned to a page, as O_DIRECT wants.
struct Aligned {
    v: Vec<u8>,
    off: usize,
    len: usize,
}

impl Aligned {
    fn new(len: usize) -> Aligned {
        const PAGE: usize = 4096;
        let v = vec![0u8; len + PAGE];
        let off = v.as_ptr().align_offset(PAGE).min(PAGE);
        Aligned { v, off, len }
    }
    fn buf(&mut self) -> &mut [u8] {
        &mut self.v[self.off..self.off + self.len]
    }
}

struct Dd<'a> {
    ctx: &'a mut Ctx,
    o: Opts,
    ifd: OwnedFd,
    ofd: OwnedFd,
    in_name: Vec<u8>,
    out_name: Vec<u8>,
    start: Instant,
    r_full: u64,
    r_partial: u64,
    w_full: u64,
    w_partial: u64,
    r_truncate: u64,
    w_bytes: u64,
    status: i32,
    /// Length of the last progress line, to be overwritten.
    progress_len: usize,
    last_progress: Instant,
    warn_partial: bool,
    prev_read: usize,
    /// The last output operation was a seek over a sparse block.
    seeked: bool,
    /// The output stays as written past what GNU would truncate (no ftruncate for sparse).
    out_seekable: bool,
    /// The output block being filled (two-buffer mode).
    obuf: Vec<u8>,
    /// conv=swab's byte carried to the next block; block/unblock's column and spaces.
    saved: Option<u8>,
    col: usize,
    pending_spaces: usize,
}

fn err_msg(ctx: &mut Ctx, parts: &[&[u8]], e: Option<&io::Error>) {
    let mut m = parts.concat();
    if let Some(e) = e {
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
    }
    ctx.msg(&m);
}

/// Seconds as C's `%g`.
fn g(secs: f64) -> String {
    String::from_utf8(c_double(secs, b'g', 6, false, false, false)).unwrap_or_default()
}

/// gnulib's human_readable of `bytes / secs` (its floating-point path), with `/s`.
fn rate(bytes: u64, secs: f64) -> String {
    if secs <= 0.0 {
        return "Infinity B/s".to_string();
    }
    let v = bytes as f64 / secs;
    let mut e = 1.0;
    let mut exp = 0;
    loop {
        e *= 1000.0;
        exp += 1;
        if !(e * 1000.0 <= v && exp < 10) {
            break;
        }
    }
    let x = v / e;
    let mut s = format!("{x:.1}");
    if s.len() > 4 {
        s = format!("{x:.0}");
    }
    let letter = b"kMGTPEZYRQ"[exp - 1] as char;
    format!("{s} {letter}B/s")
}

impl Dd<'_> {
    fn stats_line(&self, progress: bool) -> String {
        let secs = self.start.elapsed().as_secs_f64();
        let n = self.w_bytes;
        let si = human_nearest(n, false);
        let iec = human_nearest(n, true);
        let t = if progress {
            format!("{secs:.0} s")
        } else {
            format!("{} s", g(secs))
        };
        let r = rate(n, secs);
        if si.ends_with(" B") {
            let s = if n == 1 { "" } else { "s" };
            format!("{n} byte{s} copied, {t}, {r}")
        } else if iec.ends_with(" B") {
            format!("{n} bytes ({si}) copied, {t}, {r}")
        } else {
            format!("{n} bytes ({si}, {iec}) copied, {t}, {r}")
        }
    }

    fn print_stats(&mut self) {
        if self.o.status == Status::None {
            return;
        }
        let _ = self.ctx.out.flush();
        let mut m = String::new();
        if self.progress_len > 0 {
            m.push('\n');
            self.progress_len = 0;
        }
        let _ = write!(
            m,
            "{}+{} records in\n{}+{} records out\n",
            self.r_full, self.r_partial, self.w_full, self.w_partial
        );
        if self.r_truncate > 0 {
            let s = if self.r_truncate == 1 { "" } else { "s" };
            let _ = writeln!(m, "{} truncated record{s}", self.r_truncate);
        }
        if self.o.status != Status::Noxfer {
            m.push_str(&self.stats_line(false));
            m.push('\n');
        }
        let _ = sys::write_all(stderr_fd(), m.as_bytes());
    }

    fn progress(&mut self) {
        if self.o.status != Status::Progress || self.last_progress.elapsed().as_secs() < 1 {
            return;
        }
        self.last_progress = Instant::now();
        let line = self.stats_line(true);
        let pad = self.progress_len.saturating_sub(line.len());
        let m = format!("\r{line}{:pad$}", "");
        self.progress_len = line.len();
        let _ = sys::write_all(stderr_fd(), m.as_bytes());
    }

    /// Acts on the signals seen: SIGUSR1 prints the statistics; SIGINT prints them and dies
    /// of the signal.
    fn signals(&mut self) {
        if INFO.swap(false, Ordering::Relaxed) {
            self.print_stats();
        }
        if INTERRUPT.load(Ordering::Relaxed) {
            self.print_stats();
            let _ = sig::set_handler(libc::SIGINT, Handler::Default);
            let _ = process::kill(process::getpid(), libc::SIGINT);
            process::exit_now(130);
        }
    }

    /// One read(2), signals acted on; GNU's warning about a partial read followed by more.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = loop {
            self.signals();
            match sys::read_interruptible(self.ifd.as_fd(), buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => break r?,
            }
        };
        if n > 0 && self.warn_partial && self.prev_read > 0 && self.prev_read < buf.len() {
            if self.o.status != Status::None {
                let p = self.prev_read;
                let s = if p == 1 { "" } else { "s" };
                self.ctx.msgf(format_args!(
                    "warning: partial read ({p} byte{s}); suggest iflag=fullblock"
                ));
            }
            self.warn_partial = false;
        }
        self.prev_read = n;
        Ok(n)
    }

    /// A block of input: up to `buf.len()` bytes (all of them with iflag=fullblock).
    fn read_block(&mut self, buf: &mut [u8]) -> (usize, Option<io::Error>) {
        let mut n = 0;
        while n < buf.len() {
            match self.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => return (n, Some(e)),
            }
            if self.o.iflag & FULLBLOCK == 0 {
                break;
            }
        }
        (n, None)
    }

    /// Writes `b` as one output record (sparse blocks of NULs become a seek).
    fn write(&mut self, b: &[u8]) -> io::Result<()> {
        if b.is_empty() {
            return Ok(());
        }
        self.signals();
        if self.o.conv & SPARSE != 0 && self.out_seekable && b.iter().all(|&c| c == 0) {
            sys::lseek(self.ofd.as_fd(), b.len() as i64, libc::SEEK_CUR)?;
            self.w_bytes += b.len() as u64;
            self.seeked = true;
        } else {
            let mut done = 0;
            while done < b.len() {
                match sys::write(self.ofd.as_fd(), &b[done..]) {
                    Ok(0) => return Err(io::Error::from_raw_os_error(libc::ENOSPC)),
                    Ok(k) => {
                        done += k;
                        self.w_bytes += k as u64;
                    }
                    Err(e) => return Err(e),
                }
            }
            self.seeked = false;
        }
        if b.len() == self.o.obs {
            self.w_full += 1;
        } else {
            self.w_partial += 1;
        }
        Ok(())
    }

    /// Two-buffer mode: bytes into the output block, written each time it fills.
    fn put(&mut self, mut b: &[u8]) -> io::Result<()> {
        while !b.is_empty() {
            let room = self.o.obs - self.obuf.len();
            let k = room.min(b.len());
            self.obuf.extend_from_slice(&b[..k]);
            b = &b[k..];
            if self.obuf.len() == self.o.obs {
                let full = std::mem::take(&mut self.obuf);
                let r = self.write(&full);
                self.obuf = full;
                self.obuf.clear();
                r?;
            }
        }
        Ok(())
    }

    /// conv=block's padding, a piece at a time: cbs may be as large as 2^63-1 (GNU's too).
    fn put_spaces(&mut self, mut n: usize) -> io::Result<()> {
        const SPACES: [u8; 4096] = [b' '; 4096];
        while n > 0 {
            let k = n.min(SPACES.len());
            self.put(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    /// conv=block and conv=unblock: records of cbs bytes to and from lines.
    fn put_converted(&mut self, b: &[u8]) -> io::Result<()> {
        let cbs = self.o.cbs;
        let mut out = Vec::with_capacity(b.len());
        if self.o.conv & BLOCK != 0 {
            for &c in b {
                if c == b'\n' {
                    if self.col < cbs {
                        self.put(&out)?;
                        out.clear();
                        self.put_spaces(cbs - self.col)?;
                    }
                    self.col = 0;
                } else {
                    if self.col == cbs {
                        self.r_truncate += 1;
                    } else if self.col < cbs {
                        out.push(c);
                    }
                    self.col += 1;
                }
            }
        } else if self.o.conv & UNBLOCK != 0 {
            let mut i = 0;
            while i < b.len() {
                let c = b[i];
                if self.col >= cbs {
                    self.col = 0;
                    self.pending_spaces = 0;
                    out.push(b'\n');
                    continue;
                }
                self.col += 1;
                if c == b' ' {
                    self.pending_spaces += 1;
                } else {
                    out.resize(out.len() + self.pending_spaces, b' ');
                    self.pending_spaces = 0;
                    out.push(c);
                }
                i += 1;
            }
        } else {
            return self.put(b);
        }
        self.put(&out)
    }

    /// Case and byte-order conversions of a block read, in place; `n` may change (swab's
    /// carried byte).
    fn convert(&mut self, buf: &mut Vec<u8>) {
        if self.o.conv & SWAB != 0 && !buf.is_empty() {
            // A byte carried from the last block goes first; an unpaired last byte waits.
            if let Some(c) = self.saved.take() {
                buf.insert(0, c);
            }
            if buf.len() % 2 == 1 {
                self.saved = buf.pop();
            }
            for p in buf.chunks_exact_mut(2) {
                p.swap(0, 1);
            }
        }
        if self.o.conv & LCASE != 0 {
            buf.make_ascii_lowercase();
        } else if self.o.conv & UCASE != 0 {
            buf.make_ascii_uppercase();
        }
    }

    fn copy(&mut self) -> io::Result<()> {
        let ibs = self.o.ibs;
        let twobufs = two_buffers(&self.o);
        let mut ib = Aligned::new(ibs);
        let mut tmp = Vec::new();
        let (mut left, bytes) = match self.o.count {
            Some((n, b)) => (n, b),
            None => (u64::MAX, false),
        };
        loop {
            self.progress();
            if left == 0 {
                break;
            }
            let want = if bytes {
                (left.min(ibs as u64)) as usize
            } else {
                ibs
            };
            let sync = self.o.conv & SYNC != 0;
            let buf = &mut ib.buf()[..want];
            if sync && self.o.conv & NOERROR != 0 {
                buf.fill(0);
            }
            let (mut n, err) = self.read_block_into(&mut ib, want);
            if let Some(e) = err {
                err_msg(
                    self.ctx,
                    &[b"error reading ", &quote_always(&self.in_name)],
                    Some(&e),
                );
                self.status = 1;
                if self.o.conv & NOERROR == 0 {
                    break;
                }
                self.print_stats();
                // Past the bad block, where the input can seek.
                let _ = sys::lseek(self.ifd.as_fd(), (want - n) as i64, libc::SEEK_CUR);
                if !(sync && n == 0) {
                    continue;
                }
            } else if n == 0 {
                break;
            }
            if n < ibs {
                self.r_partial += 1;
                if sync {
                    let pad = if self.o.conv & (BLOCK | UNBLOCK) != 0 {
                        b' '
                    } else {
                        0
                    };
                    ib.buf()[n..].fill(pad);
                    n = ibs;
                }
            } else {
                self.r_full += 1;
            }
            if bytes {
                left -= (n as u64).min(left);
            } else {
                left -= 1;
            }
            let r = if self.o.conv & (SWAB | LCASE | UCASE) != 0 {
                tmp.clear();
                tmp.extend_from_slice(&ib.buf()[..n]);
                self.convert(&mut tmp);
                self.put_converted(&tmp)
            } else if twobufs {
                self.put_converted(&ib.buf()[..n])
            } else {
                self.write(&ib.buf()[..n])
            };
            if let Err(e) = r {
                self.tell_write_error(twobufs, &e);
                return Err(e);
            }
        }
        // What is left: swab's byte, block's padding, unblock's newline, a partial block.
        let mut tail = Vec::new();
        if let Some(c) = self.saved.take() {
            tail.push(c);
        }
        let r = if twobufs {
            self.put_converted(&tail).and_then(|()| {
                if self.o.conv & BLOCK != 0 && self.col > 0 && self.col < self.o.cbs {
                    self.put_spaces(self.o.cbs - self.col)?;
                }
                if self.o.conv & UNBLOCK != 0 && self.col > 0 {
                    self.put(b"\n")?;
                }
                let last = std::mem::take(&mut self.obuf);
                self.write(&last)
            })
        } else {
            self.write(&tail)
        };
        if let Err(e) = &r {
            self.tell_write_error(twobufs, e);
        }
        r
    }

    /// GNU words a failed write differently in its two copy loops.
    fn tell_write_error(&mut self, twobufs: bool, e: &io::Error) {
        let what: &[u8] = if twobufs {
            b"writing to "
        } else {
            b"error writing "
        };
        err_msg(self.ctx, &[what, &quote_always(&self.out_name)], Some(e));
    }

    fn read_block_into(&mut self, ib: &mut Aligned, want: usize) -> (usize, Option<io::Error>) {
        let mut b = std::mem::take(&mut ib.v);
        let r = self.read_block(&mut b[ib.off..ib.off + want]);
        ib.v = b;
        r
    }
}

/// GNU's skip(): seek `fd` forward by `records` blocks and `bytes`, else read them away
/// (the input) or fail (the output). Returns the blocks and bytes that could not be passed.
fn skip(d: &mut Dd, input: bool, records: u64, bs: usize, bytes: u64) -> Result<(u64, u64), ()> {
    let fd = if input { d.ifd.as_fd() } else { d.ofd.as_fd() };
    let name = if input { &d.in_name } else { &d.out_name }.clone();
    let offset = records
        .checked_mul(bs as u64)
        .and_then(|o| o.checked_add(bytes))
        .filter(|&o| o <= i64::MAX as u64);
    let mut err = None;
    if let Some(off) = offset {
        match sys::lseek(fd, off as i64, libc::SEEK_CUR) {
            Ok(pos) => {
                if input {
                    if let Ok(st) = sys::fstat(fd) {
                        let size = st.st_size as u64;
                        if st.st_mode & libc::S_IFMT == libc::S_IFREG && size > 0 && pos > size {
                            return Ok((1, 0));
                        }
                    }
                }
                return Ok((0, 0));
            }
            Err(e) => err = Some(e),
        }
    }
    let e = err.unwrap_or_else(|| io::Error::from_raw_os_error(libc::EOVERFLOW));
    if sys::lseek(fd, 0, libc::SEEK_END).is_ok() {
        let what: &[u8] = if input {
            b": cannot skip"
        } else {
            b": cannot seek"
        };
        err_msg(d.ctx, &[&quote_if_needed(&name)[..], what], Some(&e));
        return Err(());
    }
    if !input {
        err_msg(
            d.ctx,
            &[&quote_if_needed(&name)[..], b": cannot seek"],
            Some(&e),
        );
        return Err(());
    }
    let mut buf = vec![0u8; bs];
    let (mut records, mut bytes) = (records, bytes);
    while records > 0 || bytes > 0 {
        let want = if records > 0 { bs } else { bytes as usize };
        match d.read(&mut buf[..want]) {
            Err(e) => {
                err_msg(d.ctx, &[b"error reading ", &quote_always(&name)], Some(&e));
                return Err(());
            }
            Ok(0) => break,
            Ok(_) => {
                if records > 0 {
                    records -= 1;
                } else {
                    bytes = 0;
                }
            }
        }
    }
    Ok((records, bytes))
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let m = match args::get(ctx, &argv, &SPEC) {
        Ok(Some(m)) => m,
        Ok(None) => return ctx.finish(Ok(())),
        Err(e) => return ctx.finish(Err(e)),
    };
    let o = match parse(ctx, &m.operands) {
        Ok(o) => o,
        Err(Usage(msg, try_help)) => {
            ctx.msg(&msg);
            if try_help {
                ctx.try_help();
            }
            return 1;
        }
    };
    let status = run(ctx, o);
    ctx.finish(Ok(())).max(status)
}

fn open_files(ctx: &mut Ctx, o: &Opts) -> Result<(OwnedFd, OwnedFd), ()> {
    let iflags = (o.iflag & 0xffff_ffff) as i32 & !libc::O_APPEND;
    let ifd = match &o.input {
        Some(n) => sys::open(n, libc::O_RDONLY | iflags | libc::O_CLOEXEC, 0).map_err(|e| {
            err_msg(ctx, &[b"failed to open ", &quote_always(n)], Some(&e));
        })?,
        None => sys::dup_min(sys::borrow_raw(0), 3).map_err(|e| {
            err_msg(ctx, &[b"standard input"], Some(&e));
        })?,
    };
    let oflags = (o.oflag & 0xffff_ffff) as i32;
    let ofd = match &o.output {
        Some(n) => {
            let mut fl = oflags | libc::O_CLOEXEC;
            if o.conv & NOCREAT == 0 {
                fl |= libc::O_CREAT;
            }
            if o.conv & EXCL != 0 {
                fl |= libc::O_EXCL;
            }
            if o.seek.0 == 0 && o.conv & NOTRUNC == 0 {
                fl |= libc::O_TRUNC;
            }
            // Read access only when a seek may have to read (as GNU).
            let rw = (o.seek.0 > 0)
                .then(|| sys::open(n, libc::O_RDWR | fl, 0o666).ok())
                .flatten();
            match rw {
                Some(fd) => fd,
                None => sys::open(n, libc::O_WRONLY | fl, 0o666).map_err(|e| {
                    err_msg(ctx, &[b"failed to open ", &quote_always(n)], Some(&e));
                })?,
            }
        }
        None => sys::dup_min(sys::borrow_raw(1), 3).map_err(|e| {
            err_msg(ctx, &[b"standard output"], Some(&e));
        })?,
    };
    if o.output.is_none() && oflags != 0 {
        // Flags on standard output: what fcntl can change (append, nonblock, direct ...).
        let _ = sys::add_status_flags(ofd.as_fd(), oflags);
    }
    if o.input.is_none() && iflags != 0 {
        let _ = sys::add_status_flags(ifd.as_fd(), iflags);
    }
    Ok((ifd, ofd))
}

fn run(ctx: &mut Ctx, o: Opts) -> i32 {
    let Ok((ifd, ofd)) = open_files(ctx, &o) else {
        return 1;
    };
    let in_name = o
        .input
        .clone()
        .unwrap_or_else(|| b"standard input".to_vec());
    let out_name = o
        .output
        .clone()
        .unwrap_or_else(|| b"standard output".to_vec());
    // seek= without notrunc cuts the output there (GNU complains only for regular files).
    if o.seek.0 > 0 && o.conv & NOTRUNC == 0 {
        let size = if o.seek.1 {
            Some(o.seek.0)
        } else {
            o.seek.0.checked_mul(o.obs as u64)
        };
        if let Some(size) = size {
            if let Err(e) = sfs::ftruncate(ofd.as_fd(), size) {
                if sys::fstat(ofd.as_fd()).is_ok_and(|st| {
                    matches!(st.st_mode & libc::S_IFMT, libc::S_IFREG | libc::S_IFDIR)
                }) {
                    err_msg(
                        ctx,
                        &[
                            format!("failed to truncate to {size} bytes in output file ")
                                .as_bytes(),
                            &quote_always(&out_name),
                        ],
                        Some(&e),
                    );
                    return 1;
                }
            }
        }
    }
    let _ = sig::set_handler(libc::SIGUSR1, Handler::Catch(on_info));
    if !sig::is_ignored(libc::SIGINT) {
        let _ = sig::set_handler(libc::SIGINT, Handler::Catch(on_interrupt));
    }
    let out_seekable = sys::lseek(ofd.as_fd(), 0, libc::SEEK_CUR).is_ok();
    let twobufs = two_buffers(&o);
    let warn_partial = !twobufs
        && o.iflag & FULLBLOCK == 0
        && (o.skip.0 > 0
            || o.count.is_some_and(|c| c.0 > 0 && !c.1)
            || (o.iflag | o.oflag) & libc::O_DIRECT as i64 != 0);
    // As GNU: a block size that cannot be had is said before anything is copied.
    for (size, which) in [
        (o.ibs, "input"),
        (if twobufs { o.obs } else { 0 }, "output"),
    ] {
        if Vec::<u8>::new()
            .try_reserve_exact(size.saturating_add(4096))
            .is_err()
        {
            ctx.msgf(format_args!(
                "memory exhausted by {which} buffer of size {size} bytes ({})",
                human_nearest(size as u64, true)
            ));
            return 1;
        }
    }
    let obs = o.obs;
    let mut d = Dd {
        ctx,
        o,
        ifd,
        ofd,
        in_name,
        out_name,
        start: Instant::now(),
        r_full: 0,
        r_partial: 0,
        w_full: 0,
        w_partial: 0,
        r_truncate: 0,
        w_bytes: 0,
        status: 0,
        progress_len: 0,
        last_progress: Instant::now(),
        warn_partial,
        prev_read: 0,
        seeked: false,
        out_seekable,
        obuf: Vec::with_capacity(if twobufs { obs } else { 0 }),
        saved: None,
        col: 0,
        pending_spaces: 0,
    };
    let r = prepare(&mut d).and_then(|()| d.copy().map_err(|_| ()));
    if r.is_err() {
        d.status = 1;
    }
    if r.is_ok() {
        finish_output(&mut d);
    }
    d.print_stats();
    d.status
}

/// skip= and seek= before the copy.
fn prepare(d: &mut Dd) -> Result<(), ()> {
    let (n, in_bytes) = d.o.skip;
    if n > 0 {
        let (records, bytes) = if in_bytes { (0, n) } else { (n, 0) };
        let (left, lbytes) = skip(d, true, records, d.o.ibs, bytes)?;
        if (left > 0 || lbytes > 0) && d.o.status != Status::None {
            let m = [
                &quote_if_needed(&d.in_name)[..],
                b": cannot skip to specified offset",
            ]
            .concat();
            d.ctx.msg(&m);
        }
    }
    let (n, out_bytes) = d.o.seek;
    if n > 0 {
        let (records, bytes) = if out_bytes { (0, n) } else { (n, 0) };
        skip(d, false, records, d.o.obs, bytes)?;
    }
    Ok(())
}

/// After the copy: a sparse tail made real, then fsync/fdatasync.
fn finish_output(d: &mut Dd) {
    if d.seeked {
        if let Ok(pos) = sys::lseek(d.ofd.as_fd(), 0, libc::SEEK_CUR) {
            let regular = sys::fstat(d.ofd.as_fd())
                .is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG);
            if regular {
                if let Err(e) = sfs::ftruncate(d.ofd.as_fd(), pos) {
                    err_msg(
                        d.ctx,
                        &[
                            b"failed to truncate to ",
                            pos.to_string().as_bytes(),
                            b" bytes in output file ",
                            &quote_always(&d.out_name),
                        ],
                        Some(&e),
                    );
                    d.status = 1;
                }
            }
        }
    }
    let sync = if d.o.conv & FSYNC != 0 {
        Some((sfs::fsync(d.ofd.as_fd()), "fsync"))
    } else if d.o.conv & FDATASYNC != 0 {
        Some((sfs::fdatasync(d.ofd.as_fd()), "fdatasync"))
    } else {
        None
    };
    if let Some((Err(e), what)) = sync {
        err_msg(
            d.ctx,
            &[what.as_bytes(), b" failed for ", &quote_always(&d.out_name)],
            Some(&e),
        );
        d.status = 1;
    }
}
