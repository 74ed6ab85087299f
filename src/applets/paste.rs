//! `paste`: merge lines of files.
//!
//! Follows GNU coreutils 9 paste: `-d LIST` (cycled; escapes `\n`, `\t`, `\\`, `\0` for no
//! delimiter, `\X` for X), `-s`, `-z`, `-` any number of times (each takes the next line of
//! standard input), every file opened before any output (a missing one ends paste with
//! `paste: NAME: No such file or directory`, status 1), a newline added to a last line without
//! one, GNU's `delimiter list ends with an unescaped backslash` message.
//! Deviation: none known.

use std::ffi::OsString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::stdin_fd;
use crate::common::lines::Lines;
use crate::common::quote::quote_if_needed;
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("delimiters", Some(b'd'), Some("delimiters")),
        Opt::flag("serial", Some(b's'), Some("serial")),
        Opt::flag("zero", Some(b'z'), Some("zero-terminated")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: paste [OPTION]... [FILE]...
Write lines consisting of the sequentially corresponding lines from
each FILE, separated by TABs, to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -d, --delimiters=LIST   reuse characters from LIST instead of TABs
  -s, --serial            paste one file at a time instead of in parallel
  -z, --zero-terminated    line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

/// The delimiter list: each entry one byte or none (`\0`).
fn delims(s: &[u8]) -> Result<Vec<Option<u8>>> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' {
            let Some(&e) = s.get(i + 1) else {
                let mut m = b"delimiter list ends with an unescaped backslash: ".to_vec();
                m.extend_from_slice(s);
                return Err(Error::new(1, m));
            };
            v.push(match e {
                b'0' => None,
                b'n' => Some(b'\n'),
                b't' => Some(b'\t'),
                b'b' => Some(8),
                b'f' => Some(12),
                b'r' => Some(b'\r'),
                b'v' => Some(11),
                c => Some(c),
            });
            i += 2;
        } else {
            v.push(Some(s[i]));
            i += 1;
        }
    }
    if v.is_empty() {
        v.push(None);
    }
    Ok(v)
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

struct Input {
    name: Vec<u8>,
    fd: Option<OwnedFd>,
    /// Index of the reader: every `-` shares reader 0.
    reader: usize,
    done: bool,
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let d = delims(m.last("delimiters").map(|s| s.as_bytes()).unwrap_or(b"\t"))?;
    let eol = if m.flag("zero") { 0 } else { b'\n' };
    let names: Vec<Vec<u8>> = if m.operands.is_empty() {
        vec![b"-".to_vec()]
    } else {
        m.operands.iter().map(|o| o.as_bytes().to_vec()).collect()
    };
    let mut inputs = Vec::new();
    let mut readers = vec![Lines::new()];
    for name in names {
        if name == b"-" {
            inputs.push(Input {
                name,
                fd: None,
                reader: 0,
                done: false,
            });
            continue;
        }
        match sysfd::open(&name, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
            Ok(fd) => {
                readers.push(Lines::new());
                inputs.push(Input {
                    name,
                    fd: Some(fd),
                    reader: readers.len() - 1,
                    done: false,
                })
            }
            Err(e) => {
                let mut msg = quote_if_needed(&name);
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                return Err(Error::new(1, msg));
            }
        }
    }
    let mut line: Vec<u8> = Vec::new();
    if m.flag("serial") {
        for inp in inputs.iter_mut() {
            let fd: BorrowedFd = inp.fd.as_ref().map_or(stdin_fd(), |f| f.as_fd());
            let r = &mut readers[inp.reader];
            let mut k = 0;
            let mut first = true;
            loop {
                match r.next(fd, eol) {
                    Ok(Some((l, _))) => {
                        let out = ctx.out.buf_mut();
                        if !first {
                            if let Some(c) = d[k % d.len()] {
                                out.push(c);
                            }
                            k += 1;
                        }
                        first = false;
                        out.extend_from_slice(l);
                        ctx.out.maybe_flush()?;
                    }
                    Ok(None) => break,
                    Err(e) => {
                        read_error(ctx, &inp.name, &e);
                        break;
                    }
                }
            }
            ctx.out.buf_mut().push(eol);
        }
        return Ok(());
    }
    let n = inputs.len();
    loop {
        line.clear();
        let mut any = false;
        for (i, inp) in inputs.iter_mut().enumerate() {
            if !inp.done {
                let fd: BorrowedFd = inp.fd.as_ref().map_or(stdin_fd(), |f| f.as_fd());
                match readers[inp.reader].next(fd, eol) {
                    Ok(Some((l, _))) => {
                        line.extend_from_slice(l);
                        any = true;
                    }
                    Ok(None) => inp.done = true,
                    Err(e) => {
                        read_error(ctx, &inp.name, &e);
                        inp.done = true;
                    }
                }
            }
            if i + 1 < n {
                if let Some(c) = d[i % d.len()] {
                    line.push(c);
                }
            }
        }
        if !any {
            break;
        }
        line.push(eol);
        ctx.out.write_all(&line)?;
    }
    Ok(())
}

fn read_error(ctx: &mut Ctx, name: &[u8], e: &std::io::Error) {
    let mut msg = quote_if_needed(name);
    msg.extend_from_slice(b": ");
    msg.extend_from_slice(strerror(e).as_bytes());
    ctx.error(1, &msg);
}
