//! `cmp`: compare two files byte by byte.
//!
//! Follows GNU cmp (diffutils 3.8, what Debian's coreutils users have): `-b -i SKIP[:SKIP2]
//! -l -n LIMIT -s`, the SKIP1/SKIP2 operands, size suffixes (`1k`, `1kB`, `1KiB`, `M`...), and
//! its words: `a b differ: char 5, line 2` (`byte` with `-b`, then `is 145 e 170 x`), `cmp: EOF
//! on b after byte 3, in line 1` (`, line 2` when the shorter file ends with a newline, `which
//! is empty`), `-l`'s `%*d %3o %3o` columns sized for the smaller file; status 0 same, 1
//! different, 2 trouble; usage errors end with `cmp: Try 'cmp --help' ...` as diffutils'.
//! Deviation: none known.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt};
use crate::common::ctx::strerror;
use crate::common::help::{help_text, Help};
use crate::common::io::{read, stdin_fd};
use crate::common::quote::push_caret;
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: cmp [OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]
Compare two files byte by byte.

The optional SKIP1 and SKIP2 specify the number of bytes to skip
at the beginning of each file (zero by default).

Mandatory arguments to long options are mandatory for short options too.
  -b, --print-bytes          print differing bytes
  -i, --ignore-initial=SKIP         skip first SKIP bytes of both inputs
  -i, --ignore-initial=SKIP1:SKIP2  skip first SKIP1 bytes of FILE1 and
                                      first SKIP2 bytes of FILE2
  -l, --verbose              output byte numbers and differing byte values
  -n, --bytes=LIMIT          compare at most LIMIT bytes
  -s, --quiet, --silent      suppress all normal output
      --help                 display this help and exit
  -v, --version              output version information and exit

SKIP values may be followed by the following multiplicative suffixes:
kB 1000, K 1024, MB 1,000,000, M 1,048,576,
GB 1,000,000,000, G 1,073,741,824, and so on for T, P, E, Z, Y.

If a FILE is '-' or missing, read standard input.
Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.
"
);

const OPTIONS: &[Opt] = &[
    Opt::flag("print-bytes", Some(b'b'), Some("print-bytes")),
    Opt::arg("ignore-initial", Some(b'i'), Some("ignore-initial")),
    Opt::flag("verbose", Some(b'l'), Some("verbose")),
    Opt::arg("bytes", Some(b'n'), Some("bytes")),
    Opt::flag("quiet", Some(b's'), Some("quiet")),
    Opt::flag("quiet", None, Some("silent")),
    Opt::flag("version", Some(b'v'), Some("version")),
    Opt::flag("help", None, Some("help")),
];

/// diffutils' usage complaint: `cmp: MSG` then `cmp: Try 'cmp --help' ...`, status 2.
fn usage(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    ctx.msg(b"Try 'cmp --help' for more information.");
    Error::silent(2)
}

/// A byte count with diffutils' suffixes: K/k 1024 (KiB too), kB 1000, M, MB, ... Y.
fn parse_count(s: &[u8]) -> Option<u64> {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let v: u64 = std::str::from_utf8(&s[..n]).ok()?.parse().ok()?;
    let rest = &s[n..];
    if rest.is_empty() {
        return Some(v);
    }
    let pow = match rest[0] {
        b'k' | b'K' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        b'Z' => 7,
        b'Y' => 8,
        _ => return None,
    };
    let base: u64 = match &rest[1..] {
        b"" | b"iB" => 1024,
        b"B" => 1000,
        _ => return None,
    };
    let mut m: u64 = 1;
    for _ in 0..pow {
        m = m.saturating_mul(base);
    }
    Some(v.saturating_mul(m))
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.rule = crate::common::ctx::StatusRule::Worst;
    let r = run(argv, ctx);
    // diffutils: `cmp: standard output: strerror`, status 2.
    let r = match (r, ctx.out.flush()) {
        (Err(e), _) if e.code == 2 => Err(e),
        (_, Err(e)) => Err(out_error(&e)),
        (r, Ok(())) => r,
    };
    ctx.finish(r)
}

fn out_error(e: &std::io::Error) -> Error {
    Error::new(2, format!("standard output: {}", strerror(e)).into_bytes())
}

struct Input {
    name: Vec<u8>,
    file: Option<File>,
}

impl Input {
    fn fd(&self) -> BorrowedFd<'_> {
        match &self.file {
            Some(f) => f.as_fd(),
            None => stdin_fd(),
        }
    }
}

/// Read until `buf` is full or the input ends.
fn fill(fd: BorrowedFd, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let k = read(fd, &mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let m = match args::getopt(&argv, OPTIONS) {
        Ok(m) => m,
        Err(msg) => return Err(usage(ctx, &msg)),
    };
    if m.flag("help") {
        ctx.out.write_all(&USAGE.bytes())?;
        return Ok(());
    }
    if m.flag("version") {
        ctx.out
            .write_all(concat!("cmp (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let mut skip = [0u64; 2];
    for v in m.values("ignore-initial") {
        let b = v.as_bytes();
        let bad = |ctx: &mut Ctx, v: &[u8]| {
            let mut msg = b"invalid --ignore-initial value ".to_vec();
            msg.extend_from_slice(&crate::common::quote::quote_locale(v));
            usage(ctx, &msg)
        };
        match b.iter().position(|&c| c == b':') {
            Some(p) => match (parse_count(&b[..p]), parse_count(&b[p + 1..])) {
                (Some(x), Some(y)) => skip = [x, y],
                (None, _) => return Err(bad(ctx, b)),
                (_, None) => return Err(bad(ctx, &b[p + 1..])),
            },
            None => match parse_count(b) {
                Some(x) => skip = [x, x],
                None => return Err(bad(ctx, b)),
            },
        }
    }
    let mut limit = u64::MAX;
    if let Some(v) = m.last("bytes") {
        match parse_count(v.as_bytes()) {
            Some(n) => limit = n,
            None => {
                let mut msg = b"invalid --bytes value ".to_vec();
                msg.extend_from_slice(&crate::common::quote::quote_locale(v.as_bytes()));
                return Err(usage(ctx, &msg));
            }
        }
    }
    let verbose = m.flag("verbose");
    let quiet = m.flag("quiet");
    let print_bytes = m.flag("print-bytes");
    if verbose && quiet {
        return Err(usage(ctx, b"options -l and -s are incompatible"));
    }
    let ops = &m.operands;
    if ops.is_empty() {
        return Err(usage(ctx, b"missing operand after 'cmp'"));
    }
    for k in 2..ops.len().min(4) {
        match parse_count(ops[k].as_bytes()) {
            Some(v) => skip[k - 2] = skip[k - 2].max(v),
            None => {
                let mut msg = b"invalid --ignore-initial value ".to_vec();
                msg.extend_from_slice(&crate::common::quote::quote_locale(ops[k].as_bytes()));
                return Err(usage(ctx, &msg));
            }
        }
    }
    if ops.len() > 4 {
        return Err(usage(ctx, &args::extra_operand_msg(ops[4].as_bytes())));
    }
    let names: [Vec<u8>; 2] = [
        ops[0].as_bytes().to_vec(),
        ops.get(1).map_or(b"-".to_vec(), |o| o.as_bytes().to_vec()),
    ];
    let mut inputs = Vec::new();
    for n in &names {
        let file = if n == b"-" {
            None
        } else {
            match File::open(std::ffi::OsStr::from_bytes(n)) {
                Ok(f) => Some(f),
                // GNU's cmp -s says nothing about a file it cannot open (status 2 only);
                // `cmp -s new old || cp new old` scripts rely on that.
                Err(_) if quiet => return Err(Error::silent(2)),
                Err(e) => return Err(file_error(n, &e)),
            }
        };
        inputs.push(Input {
            name: n.clone(),
            file,
        });
    }
    // The same file at the same offset is equal to itself.
    if skip[0] == skip[1] {
        let id = |i: &Input| sysfd::fstat(i.fd()).ok().map(|s| (s.st_dev, s.st_ino));
        if let (Some(a), Some(b)) = (id(&inputs[0]), id(&inputs[1])) {
            if a == b && (names[0] == names[1] || inputs.iter().all(|i| i.file.is_some())) {
                return Ok(());
            }
        }
    }
    // Skip, by seeking where possible.
    let mut remaining = [u64::MAX; 2];
    for (f, inp) in inputs.iter().enumerate() {
        let st = sysfd::fstat(inp.fd()).ok();
        let regular = st.is_some_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFREG);
        if regular && sysfd::lseek(inp.fd(), 0, libc::SEEK_CUR).is_ok() {
            let s = st.unwrap();
            let pos = sysfd::lseek(inp.fd(), 0, libc::SEEK_CUR).unwrap_or(0);
            let size = s.st_size as u64;
            let target = pos.saturating_add(skip[f]);
            let _ = sysfd::lseek(inp.fd(), target.min(i64::MAX as u64) as i64, libc::SEEK_SET);
            remaining[f] = size.saturating_sub(target);
        } else {
            let mut left = skip[f];
            let mut junk = vec![0u8; 64 * 1024];
            while left > 0 {
                let want = left.min(junk.len() as u64) as usize;
                match read(inp.fd(), &mut junk[..want]) {
                    Ok(0) => break,
                    Ok(k) => left -= k as u64,
                    Err(e) => return Err(file_error(&inp.name, &e)),
                }
            }
        }
    }
    let width = {
        let mut max = limit.min(i64::MAX as u64);
        for r in remaining {
            max = max.min(r);
        }
        let mut w = 1;
        let mut v = max;
        while v >= 10 {
            v /= 10;
            w += 1;
        }
        w
    };

    const CHUNK: usize = 64 * 1024;
    let mut b0 = vec![0u8; CHUNK];
    let mut b1 = vec![0u8; CHUNK];
    let mut byte: u64 = 0; // bytes compared so far
    let mut line: u64 = 0; // newlines seen so far
    let mut differ = false;
    let mut last_nl = false; // the last byte compared was a newline
    let mut left = limit;
    loop {
        let want = (CHUNK as u64).min(left) as usize;
        if want == 0 {
            break;
        }
        let n0 = fill(inputs[0].fd(), &mut b0[..want]).map_err(|e| file_error(&names[0], &e))?;
        let n1 = fill(inputs[1].fd(), &mut b1[..want]).map_err(|e| file_error(&names[1], &e))?;
        let n = n0.min(n1);
        let (a, b) = (&b0[..n], &b1[..n]);
        if verbose {
            let out = ctx.out.buf_mut();
            for i in 0..n {
                if a[i] != b[i] {
                    differ = true;
                    let pos = byte + i as u64 + 1;
                    let num = pos.to_string();
                    for _ in num.len()..width {
                        out.push(b' ');
                    }
                    out.extend_from_slice(num.as_bytes());
                    if print_bytes {
                        push_fmt(out, format_args!(" {:3o} ", a[i]));
                        let mut c = Vec::new();
                        push_caret(&mut c, a[i]);
                        while c.len() < 4 {
                            c.push(b' ');
                        }
                        out.extend_from_slice(&c);
                        push_fmt(out, format_args!(" {:3o} ", b[i]));
                        push_caret(out, b[i]);
                        out.push(b'\n');
                    } else {
                        push_fmt(out, format_args!(" {:3o} {:3o}\n", a[i], b[i]));
                    }
                }
            }
            ctx.out.maybe_flush().map_err(|e| out_error(&e))?;
        } else if let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) {
            if !quiet {
                line += memchr::memchr_iter(b'\n', &a[..i]).count() as u64;
                let mut msg = names[0].clone();
                msg.push(b' ');
                msg.extend_from_slice(&names[1]);
                msg.extend_from_slice(b" differ: ");
                msg.extend_from_slice(if print_bytes { b"byte " } else { b"char " });
                msg.extend_from_slice(
                    format!("{}, line {}", byte + i as u64 + 1, line + 1).as_bytes(),
                );
                if print_bytes {
                    push_fmt(&mut msg, format_args!(" is {:3o} ", a[i]));
                    push_caret(&mut msg, a[i]);
                    push_fmt(&mut msg, format_args!(" {:3o} ", b[i]));
                    push_caret(&mut msg, b[i]);
                }
                msg.push(b'\n');
                ctx.out.write_all(&msg).map_err(|e| out_error(&e))?;
            }
            return Err(Error::silent(1));
        } else if !quiet {
            line += memchr::memchr_iter(b'\n', a).count() as u64;
        }
        byte += n as u64;
        left -= n as u64;
        if n0 != n1 {
            // One input ended first.
            let short = if n0 < n1 { 0 } else { 1 };
            if !quiet {
                let _ = ctx.out.flush();
                let mut msg = b"EOF on ".to_vec();
                msg.extend_from_slice(&names[short]);
                if byte == 0 {
                    msg.extend_from_slice(b" which is empty");
                } else {
                    push_fmt(&mut msg, format_args!(" after byte {byte}"));
                    if !verbose {
                        let buf = if short == 0 { &b0 } else { &b1 };
                        if (n > 0 && buf[n - 1] == b'\n') || (n == 0 && last_nl) {
                            push_fmt(&mut msg, format_args!(", line {line}"));
                        } else {
                            push_fmt(&mut msg, format_args!(", in line {}", line + 1));
                        }
                    }
                }
                ctx.msg(&msg);
            }
            return Err(Error::silent(1));
        }
        if n0 == 0 {
            break;
        }
        last_nl = b0[n - 1] == b'\n';
    }
    if differ {
        return Err(Error::silent(1));
    }
    Ok(())
}

fn file_error(name: &[u8], e: &std::io::Error) -> Error {
    let mut m = name.to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    Error::new(2, m)
}
