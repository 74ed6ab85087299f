//! `comm`: compare two sorted files line by line.
//!
//! Follows GNU comm 9 in the C locale (byte order): `-1 -2 -3`, `--check-order`,
//! `--nocheck-order`, `--output-delimiter=STR` (empty: a NUL byte), `--total`, `-z`; by default
//! an unsorted input is reported once per file (`comm: file 1 is not in sorted order`) only
//! after an unpairable line, and the run ends with `comm: input is not in sorted order`,
//! status 1; `--check-order` stops at the first disorder.
//! Deviation: none known (rbox is a C-locale tool: no collation).

use std::cmp::Ordering;
use std::ffi::OsString;
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::io::{read, stdin_fd};
use crate::common::quote::quote_locale;
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: comm [OPTION]... FILE1 FILE2
Compare sorted files FILE1 and FILE2 line by line.

When FILE1 or FILE2 (not both) is -, read standard input.

With no options, produce three-column output.  Column one contains
lines unique to FILE1, column two contains lines unique to FILE2,
and column three contains lines common to both files.

  -1                      suppress column 1 (lines unique to FILE1)
  -2                      suppress column 2 (lines unique to FILE2)
  -3                      suppress column 3 (lines that appear in both files)

      --check-order       check that the input is correctly sorted, even
                            if all input lines are pairable
      --nocheck-order     do not check that the input is correctly sorted
      --output-delimiter=STR  separate columns with STR
      --total             output a summary
  -z, --zero-terminated   line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

rbox comm compares bytes (the C locale).
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("1", Some(b'1'), None),
        Opt::flag("2", Some(b'2'), None),
        Opt::flag("3", Some(b'3'), None),
        Opt::flag("zero-terminated", Some(b'z'), Some("zero-terminated")),
        Opt::flag("check-order", None, Some("check-order")),
        Opt::flag("nocheck-order", None, Some("nocheck-order")),
        Opt::arg("output-delimiter", None, Some("output-delimiter")),
        Opt::flag("total", None, Some("total")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

struct Lines {
    file: Option<File>,
    name: OsString,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// The current line (without its delimiter) and the one before.
    cur: Option<(usize, usize)>,
    prev: Vec<u8>,
}

impl Lines {
    fn fd(&self) -> BorrowedFd<'_> {
        match &self.file {
            Some(f) => f.as_fd(),
            None => stdin_fd(),
        }
    }

    /// Advance; the old line is kept in `prev`.
    fn next(&mut self, delim: u8) -> std::io::Result<bool> {
        if let Some((p, l)) = self.cur.take() {
            self.prev.clear();
            self.prev.extend_from_slice(&self.buf[p..p + l]);
            self.pos = p + l + 1;
        }
        loop {
            if let Some(k) = memchr::memchr(delim, &self.buf[self.pos..]) {
                self.cur = Some((self.pos, k));
                return Ok(true);
            }
            if self.eof {
                if self.pos < self.buf.len() {
                    self.buf.push(delim);
                    continue;
                }
                return Ok(false);
            }
            self.buf.drain(..self.pos);
            self.pos = 0;
            let old = self.buf.len();
            self.buf.resize(old + 64 * 1024, 0);
            let fd = match &self.file {
                Some(f) => f.as_fd(),
                None => stdin_fd(),
            };
            let r = read(fd, &mut self.buf[old..]);
            let n = match r {
                Ok(n) => n,
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            };
            self.buf.truncate(old + n);
            if n == 0 {
                self.eof = true;
            }
        }
    }

    fn line(&self) -> &[u8] {
        let (p, l) = self.cur.unwrap();
        &self.buf[p..p + l]
    }
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn usage(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    ctx.try_help();
    Error::silent(1)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if m.flag("version") {
        ctx.out
            .write_all(concat!("comm (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let show = [!m.flag("1"), !m.flag("2"), !m.flag("3")];
    let delim = if m.flag("zero-terminated") { 0 } else { b'\n' };
    // Check: None = off, Some(true) = fatal, Some(false) = default (after unpairable lines).
    let mut check = Some(false);
    for (id, _) in &m.opts {
        match *id {
            "check-order" => check = Some(true),
            "nocheck-order" => check = None,
            _ => {}
        }
    }
    let mut sep: Option<Vec<u8>> = None;
    for v in m.values("output-delimiter") {
        let v = if v.is_empty() {
            vec![0]
        } else {
            v.as_bytes().to_vec()
        };
        if sep.as_ref().is_some_and(|s| *s != v) {
            ctx.msg(b"multiple output delimiters specified");
            return Err(Error::silent(1));
        }
        sep = Some(v);
    }
    let sep = sep.unwrap_or_else(|| b"\t".to_vec());
    let ops = &m.operands;
    if ops.len() < 2 {
        if ops.is_empty() {
            return Err(usage(ctx, b"missing operand"));
        }
        let mut msg = b"missing operand after ".to_vec();
        msg.extend_from_slice(&quote_locale(ops[0].as_bytes()));
        return Err(usage(ctx, &msg));
    }
    if ops.len() > 2 {
        return Err(usage(ctx, &args::extra_operand_msg(ops[2].as_bytes())));
    }
    let mut files = Vec::new();
    for name in &ops[..2] {
        let file = if name.as_bytes() == b"-" {
            None
        } else {
            match File::open(name) {
                Ok(f) => Some(f),
                Err(e) => {
                    let mut msg = crate::common::quote::quote_if_needed(name.as_bytes());
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                    ctx.msg(&msg);
                    return Err(Error::silent(1));
                }
            }
        };
        files.push(Lines {
            file,
            name: name.clone(),
            buf: Vec::new(),
            pos: 0,
            eof: false,
            cur: None,
            prev: Vec::new(),
        });
    }
    let _ = files[0].fd();
    let read_err = |ctx: &mut Ctx, l: &Lines, e: std::io::Error| {
        let mut msg = crate::common::quote::quote_if_needed(l.name.as_bytes());
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
        ctx.msg(&msg);
        Error::silent(1)
    };
    let mut has = [false; 2];
    for i in 0..2 {
        has[i] = match files[i].next(delim) {
            Ok(h) => h,
            Err(e) => return Err(read_err(ctx, &files[i], e)),
        };
    }
    let mut total = [0u64; 3];
    let mut seen_unpairable = false;
    let mut warned = [false; 2];
    while has[0] || has[1] {
        let order = if !has[0] {
            Ordering::Greater
        } else if !has[1] {
            Ordering::Less
        } else {
            files[0].line().cmp(files[1].line())
        };
        let (class, line) = match order {
            Ordering::Equal => (2, files[1].line()),
            Ordering::Less => (0, files[0].line()),
            Ordering::Greater => (1, files[1].line()),
        };
        if order != Ordering::Equal {
            seen_unpairable = true;
        }
        total[class] += 1;
        if show[class] {
            let out = ctx.out.buf_mut();
            if class >= 1 && show[0] {
                out.extend_from_slice(&sep);
            }
            if class == 2 && show[1] {
                out.extend_from_slice(&sep);
            }
            out.extend_from_slice(line);
            out.push(delim);
            ctx.out.maybe_flush()?;
        }
        for i in 0..2 {
            let step = match order {
                Ordering::Equal => true,
                Ordering::Less => i == 0,
                Ordering::Greater => i == 1,
            };
            if !step {
                continue;
            }
            has[i] = match files[i].next(delim) {
                Ok(h) => h,
                Err(e) => return Err(read_err(ctx, &files[i], e)),
            };
            if has[i] {
                if let Some(fatal) = check {
                    if (fatal || seen_unpairable)
                        && !warned[i]
                        && files[i].prev.as_slice() > files[i].line()
                    {
                        ctx.msgf(format_args!("file {} is not in sorted order", i + 1));
                        if fatal {
                            return Err(Error::silent(1));
                        }
                        warned[i] = true;
                    }
                }
            }
        }
    }
    if m.flag("total") {
        let out = ctx.out.buf_mut();
        for t in total {
            out.extend_from_slice(t.to_string().as_bytes());
            out.extend_from_slice(&sep);
        }
        out.extend_from_slice(b"total");
        out.push(delim);
    }
    if warned[0] || warned[1] {
        ctx.out.flush()?;
        ctx.msg(b"input is not in sorted order");
        return Err(Error::silent(1));
    }
    Ok(())
}
