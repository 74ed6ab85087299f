//! `shuf`: write a random permutation of the input lines.
//!
//! GNU coreutils 9's `shuf [FILE]`, `shuf -e [ARG]...`, `shuf -i LO-HI`: `-n COUNT` (the
//! smallest given wins), `-r` (with replacement: forever without `-n`), `-o FILE` (opened after
//! the input is read, so `shuf -o f f` shuffles in place), `-z`, `--random-source=FILE`; a
//! last line without a newline gets one. A permutation of a range takes memory for the lines
//! written only (`shuf -i 1-4000000000 -n 3`: a sparse Fisher-Yates), `-n 0` opens nothing.
//! Messages and statuses as GNU's (`invalid input range: '5-3'`, `no lines to repeat`,
//! `multiple -i options specified`, `cannot combine -e and -i options`, 1). Randomness from
//! getrandom(2). Deviation: with `--random-source` the same bytes give another permutation than
//! GNU's (the same one on every run, as GNU's does).

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::num::{xstrtoumax, XErr};
use crate::common::quote::quote_locale;
use crate::common::sys::fd::{self as sfd, AsFd, OwnedFd};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("echo", Some(b'e'), Some("echo")),
        Opt::arg("input-range", Some(b'i'), Some("input-range")),
        Opt::arg("head-count", Some(b'n'), Some("head-count")),
        Opt::arg("output", Some(b'o'), Some("output")),
        Opt::arg("random-source", None, Some("random-source")),
        Opt::flag("repeat", Some(b'r'), Some("repeat")),
        Opt::flag("zero-terminated", Some(b'z'), Some("zero-terminated")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: shuf [OPTION]... [FILE]
  or:  shuf -e [OPTION]... [ARG]...
  or:  shuf -i LO-HI [OPTION]...
Write a random permutation of the input lines to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -e, --echo                treat each ARG as an input line
  -i, --input-range=LO-HI   treat each number LO through HI as an input line
  -n, --head-count=COUNT    output at most COUNT lines
  -o, --output=FILE         write result to FILE instead of standard output
      --random-source=FILE  get random bytes from FILE
  -r, --repeat              output lines can be repeated
  -z, --zero-terminated     line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// Random bytes: getrandom(2), or a file's bytes (`--random-source`), a block at a time.
struct Rng {
    src: Option<(OwnedFd, Vec<u8>)>,
    buf: Vec<u8>,
    pos: usize,
}

impl Rng {
    fn u64(&mut self) -> Result<u64> {
        if self.pos + 8 > self.buf.len() {
            let keep = self.buf[self.pos..].to_vec();
            self.buf.clear();
            self.buf.extend_from_slice(&keep);
            self.pos = 0;
            let mut block = vec![0u8; 4096];
            match &self.src {
                None => crate::common::sys::net::getrandom(&mut block)
                    .map_err(|e| Error::io(1, "getrandom", &e))?,
                Some((fd, name)) => {
                    let mut got = 0;
                    while got < block.len() {
                        let n = sfd::read(fd.as_fd(), &mut block[got..])
                            .map_err(|e| Error::file(1, name, &e))?;
                        if n == 0 {
                            break;
                        }
                        got += n;
                    }
                    block.truncate(got);
                    if got + keep.len() < 8 {
                        let mut m = quote_locale(name).to_vec();
                        m.extend_from_slice(b": end of file");
                        return Err(Error::new(1, m));
                    }
                }
            }
            self.buf.extend_from_slice(&block);
        }
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.buf[self.pos..self.pos + 8]);
        self.pos += 8;
        Ok(u64::from_le_bytes(b))
    }

    /// Uniform in `0..n` (`n` ≥ 1, at most 2^64), by rejection: no modulo bias.
    fn below(&mut self, n: u128) -> Result<u128> {
        if n > u64::MAX as u128 {
            return Ok(self.u64()? as u128);
        }
        let n64 = n as u64;
        // The largest multiple of n that fits, as a bound for the accepted draws.
        let zone = u64::MAX - (u64::MAX % n64 + 1) % n64;
        loop {
            let v = self.u64()?;
            if v <= zone {
                return Ok((v % n64) as u128);
            }
        }
    }
}

/// `LO-HI`, each as xstrtoumax reads it; GNU names the part that failed.
fn range(s: &[u8]) -> std::result::Result<(u64, u64), Error> {
    let invalid = |part: &[u8], why: Option<&str>| {
        let mut m = b"invalid input range: ".to_vec();
        m.extend_from_slice(&quote_locale(part));
        if let Some(w) = why {
            m.extend_from_slice(b": ");
            m.extend_from_slice(w.as_bytes());
        }
        Error::new(1, m)
    };
    let Some(dash) = memchr::memchr(b'-', s) else {
        return Err(invalid(s, None));
    };
    let num = |p: &[u8]| match xstrtoumax(p, b"") {
        Ok(v) => Ok(v),
        Err((XErr::Overflow, _)) => Err(invalid(p, Some("Value too large for defined data type"))),
        Err(_) => Err(invalid(p, None)),
    };
    let lo = num(&s[..dash])?;
    let hi = num(&s[dash + 1..])?;
    if (hi as u128) + 1 < lo as u128 {
        return Err(invalid(s, None));
    }
    Ok((lo, hi))
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let eol = if m.flag("zero-terminated") { 0 } else { b'\n' };
    let echo = m.flag("echo");
    let ranges: Vec<&OsString> = m.values("input-range").collect();
    if ranges.len() > 1 {
        return Err(Error::new(1, "multiple -i options specified"));
    }
    if echo && !ranges.is_empty() {
        return Err(args::usage_error(
            ctx,
            &SPEC,
            b"cannot combine -e and -i options",
            1,
        ));
    }
    let mut head: Option<u64> = None;
    for v in m.values("head-count") {
        let n = match xstrtoumax(v.as_bytes(), b"") {
            Ok(n) | Err((XErr::Overflow, n)) => n,
            Err(_) => {
                let mut msg = b"invalid line count: ".to_vec();
                msg.extend_from_slice(&quote_locale(v.as_bytes()));
                return Err(Error::new(1, msg));
            }
        };
        head = Some(head.map_or(n, |h| h.min(n)));
    }
    let range = match ranges.first() {
        Some(r) => Some(range(r.as_bytes())?),
        None => None,
    };
    if !echo && (range.is_some() && !m.operands.is_empty() || m.operands.len() > 1) {
        let extra = &m.operands[if range.is_some() { 0 } else { 1 }];
        let mut msg = b"extra operand ".to_vec();
        msg.extend_from_slice(&quote_locale(extra.as_bytes()));
        return Err(args::usage_error(ctx, &SPEC, &msg, 1));
    }
    let repeat = m.flag("repeat");
    let mut rng = Rng {
        src: None,
        buf: Vec::new(),
        pos: 0,
    };
    if let Some(f) = m.last("random-source") {
        let fd = sfd::open(f.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0)
            .map_err(|e| Error::file(1, f.as_bytes(), &e))?;
        rng.src = Some((fd, f.as_bytes().to_vec()));
    }
    // The lines: the operands, the range, or the input (not read at all for -n 0).
    let data;
    let mut lines: Vec<&[u8]> = Vec::new();
    if echo {
        lines = m.operands.iter().map(|o| o.as_bytes()).collect();
    } else if range.is_none() && head != Some(0) {
        let mut buf = Vec::new();
        match m.operands.first().filter(|f| f.as_bytes() != b"-") {
            Some(f) => {
                let fd = sfd::open(f.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0)
                    .map_err(|e| Error::file(1, f.as_bytes(), &e))?;
                sfd::read_to_end(fd.as_fd(), &mut buf)
                    .map_err(|e| Error::file(1, f.as_bytes(), &e))?;
            }
            None => {
                sfd::read_to_end(crate::common::io::stdin_fd(), &mut buf)
                    .map_err(|e| Error::io(1, "read error", &e))?;
            }
        }
        data = buf;
        let body = data.strip_suffix(&[eol]).unwrap_or(&data);
        if !data.is_empty() {
            lines = body.split(|&c| c == eol).collect();
        }
    }
    if let Some(o) = m.last("output") {
        let fd = sfd::open(
            o.as_bytes(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
            0o666,
        )
        .map_err(|e| Error::file(1, o.as_bytes(), &e))?;
        sfd::dup2(fd.as_fd(), 1).map_err(|e| Error::file(1, o.as_bytes(), &e))?;
    }
    let count: u128 = match range {
        Some((lo, hi)) => hi as u128 + 1 - lo as u128,
        None => lines.len() as u128,
    };
    let mut num = [0u8; 20];
    let mut emit = |ctx: &mut Ctx, k: u128| -> Result<()> {
        let out = ctx.out.buf_mut();
        match range {
            Some((lo, _)) => out.extend_from_slice(crate::common::num::digits(
                &mut num,
                (lo as u128 + k) as u64,
            )),
            None => out.extend_from_slice(lines[k as usize]),
        }
        out.push(eol);
        ctx.out.maybe_flush()?;
        Ok(())
    };
    if repeat {
        if head == Some(0) {
            return Ok(());
        }
        if count == 0 {
            return Err(Error::new(1, "no lines to repeat"));
        }
        let mut left = head;
        while left != Some(0) {
            let k = rng.below(count)?;
            emit(ctx, k)?;
            left = left.map(|l| l - 1);
        }
        return Ok(());
    }
    let n = head.map_or(count, |h| (h as u128).min(count));
    if count <= 1 << 22 {
        // Partial Fisher-Yates over the indexes: the first n are the sample, in random order.
        let mut idx: Vec<u32> = (0..count as u32).collect();
        for i in 0..n as usize {
            let j = i + rng.below(count - i as u128)? as usize;
            idx.swap(i, j);
            emit(ctx, idx[i] as u128)?;
        }
    } else {
        // The same over a range too big to list: only the swapped places are remembered.
        let mut moved: HashMap<u128, u128> = HashMap::new();
        for i in 0..n {
            let j = i + rng.below(count - i)?;
            let at_j = moved.get(&j).copied().unwrap_or(j);
            let at_i = moved.get(&i).copied().unwrap_or(i);
            moved.insert(j, at_i);
            moved.remove(&i);
            emit(ctx, at_j)?;
        }
    }
    Ok(())
}
