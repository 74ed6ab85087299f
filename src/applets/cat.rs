//! `cat`: concatenate files to standard output.
//!
//! Follows GNU cat 9 (POSIX plus `-A -b -e -E -n -s -t -T -v` and their long forms): the same
//! `-v` notation (`^@`, `M-^?`), the same `-n` layout (`%6d\t`), line state carried from one file
//! to the next, `-E` showing a CR before LF as `^M$`, `cat f >> f` refused.
//! Without formatting options the data is moved by the kernel (copy_file_range, splice,
//! sendfile); with them through a 128 KiB read buffer and the shared output buffer, flushed
//! whenever the input has nothing ready (GNU's FIONREAD check), so `slow | cat -n` is not held back.
//! Deviation: none known.

use std::ffi::OsString;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt};
use crate::common::help::{help_text, Help};
use crate::common::io::{append, copy_typed, read, stdin_fd, stdout_fd, CopyError, BUF_SIZE};
use crate::common::sys::{fd as sysfd, term};
use crate::common::{Ctx, Error, Result};

pub const USAGE: Help = help_text!(
    "\
Usage: cat [OPTION]... [FILE]...
Concatenate FILE(s) to standard output.

With no FILE, or when FILE is -, read standard input.

  -A, --show-all           equivalent to -vET
  -b, --number-nonblank    number nonempty output lines, overrides -n
  -e                       equivalent to -vE
  -E, --show-ends          display $ at end of each line
  -n, --number             number all output lines
  -s, --squeeze-blank      suppress repeated empty output lines
  -t                       equivalent to -vT
  -T, --show-tabs          display TAB characters as ^I
  -u                       (ignored)
  -v, --show-nonprinting   use ^ and M- notation, except for LFD and TAB
      --help        display this help and exit
"
);

#[derive(Default, Clone, Copy)]
struct Opts {
    number: bool,
    nonblank: bool,
    ends: bool,
    squeeze: bool,
    tabs: bool,
    nonprinting: bool,
}

impl Opts {
    fn plain(&self) -> bool {
        !(self.number
            || self.nonblank
            || self.ends
            || self.squeeze
            || self.tabs
            || self.nonprinting)
    }
}

/// In GNU's order, so ambiguity messages list the same possibilities.
const OPTIONS: &[Opt] = &[
    Opt::flag("number-nonblank", Some(b'b'), Some("number-nonblank")),
    Opt::flag("number", Some(b'n'), Some("number")),
    Opt::flag("squeeze-blank", Some(b's'), Some("squeeze-blank")),
    Opt::flag("show-nonprinting", Some(b'v'), Some("show-nonprinting")),
    Opt::flag("show-ends", Some(b'E'), Some("show-ends")),
    Opt::flag("show-tabs", Some(b'T'), Some("show-tabs")),
    Opt::flag("show-all", Some(b'A'), Some("show-all")),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", None, Some("version")),
    Opt::flag("e", Some(b'e'), None),
    Opt::flag("t", Some(b't'), None),
    Opt::flag("u", Some(b'u'), None),
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::parse(ctx, &argv, OPTIONS, USAGE, 1)? else {
        return Ok(());
    };
    if m.flag("version") {
        ctx.out
            .write_all(concat!("cat (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let f = |id: &str| m.flag(id);
    let all = f("show-all");
    let o = Opts {
        nonblank: f("number-nonblank"),
        number: f("number") || f("number-nonblank"),
        ends: all || f("e") || f("show-ends"),
        squeeze: f("squeeze-blank"),
        tabs: all || f("t") || f("show-tabs"),
        nonprinting: all || f("e") || f("t") || f("show-nonprinting"),
    };
    let files = m.operands;
    let dash = OsString::from("-");
    let files: Vec<&OsString> = if files.is_empty() {
        vec![&dash]
    } else {
        files.iter().collect()
    };

    // fd 1's type is looked at once, not once per file (find | xargs cat: thousands of files).
    let out_id = stat_id(stdout_fd());
    let out_type = out_id.map(|s| s.2);
    let out_id = out_id.filter(|s| s.2 == libc::S_IFREG);
    let mut fmt = Formatter::new(o);
    for name in files {
        let stdin = name.as_bytes() == b"-";
        let file;
        let fd: BorrowedFd = if stdin {
            stdin_fd()
        } else {
            match sysfd::open(name.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                Ok(fl) => {
                    file = fl;
                    file.as_fd()
                }
                Err(e) => {
                    ctx.error_file(1, name, &e);
                    continue;
                }
            }
        };
        // The input's identity: for the input-is-output check and the kernel copy's choice.
        let inp = (out_id.is_some() || o.plain())
            .then(|| stat_id(fd))
            .flatten();
        if let (Some(out), Some(inp)) = (out_id, inp) {
            if inp.0 == out.0 && inp.1 == out.1 && input_before_end(fd) {
                let mut msg = crate::common::quote::quote_if_needed(name.as_bytes());
                msg.extend_from_slice(b": input file is output file");
                ctx.error(1, &msg);
                continue;
            }
        }
        let r = if o.plain() {
            // Anything still buffered must reach fd 1 before the kernel appends to it.
            ctx.out.flush().map_err(|e| Error::write(&e))?;
            copy_typed(fd, inp.map(|s| s.2), stdout_fd(), out_type).map(|_| ())
        } else {
            fmt.file(fd, ctx)
        };
        if let Err(e) = r {
            match e {
                CopyError::Read(e) => ctx.error_file(1, name, &e),
                CopyError::Write(e) => return Err(Error::write(&e)),
            }
        }
    }
    fmt.finish(ctx)
}

/// (st_dev, st_ino, file type) of a descriptor.
fn stat_id(fd: BorrowedFd) -> Option<(u64, u64, libc::mode_t)> {
    let st = sysfd::fstat(fd).ok()?;
    Some((st.st_dev, st.st_ino, st.st_mode & libc::S_IFMT))
}

/// GNU's test for `cat f >> f`: the input still has data to read at its current offset, so
/// copying would chase its own output forever.
fn input_before_end(fd: BorrowedFd) -> bool {
    let pos = sysfd::lseek(fd, 0, libc::SEEK_CUR);
    match (pos, sysfd::fstat(fd)) {
        (Ok(pos), Ok(st)) => (pos as i64) < st.st_size,
        _ => false,
    }
}

/// The formatting path. State lives across files as in GNU cat: a file that does not end in a
/// newline continues the line of the next file, and numbering goes on.
struct Formatter {
    o: Opts,
    /// Line number as ASCII digits, right-aligned in at least 6 columns, then a TAB.
    num: Vec<u8>,
    at_line_start: bool,
    /// Empty lines seen in a row (for -s).
    blank_run: u32,
    /// A CR was held back at the end of a read buffer (for `-E` showing `^M$`).
    held_cr: bool,
    buf: Vec<u8>,
}

impl Formatter {
    fn new(o: Opts) -> Self {
        Formatter {
            o,
            num: b"     0\t".to_vec(),
            at_line_start: true,
            blank_run: 0,
            held_cr: false,
            buf: Vec::new(),
        }
    }

    fn next_number(&mut self) -> &[u8] {
        // Increment the decimal digits in place (no formatting per line).
        let end = self.num.len() - 1;
        let mut i = end;
        loop {
            if i == 0 || self.num[i - 1] == b' ' {
                if i == 0 {
                    self.num.insert(0, b'1');
                } else {
                    self.num[i - 1] = b'1';
                }
                break;
            }
            i -= 1;
            if self.num[i] == b'9' {
                self.num[i] = b'0';
            } else {
                self.num[i] += 1;
                break;
            }
        }
        &self.num
    }

    fn file(&mut self, fd: BorrowedFd, ctx: &mut Ctx) -> std::result::Result<(), CopyError> {
        if self.buf.is_empty() {
            self.buf = vec![0u8; BUF_SIZE];
        }
        let mut buf = std::mem::take(&mut self.buf);
        let r = loop {
            // Output waiting while the input has nothing ready goes out before the read blocks,
            // as GNU's FIONREAD check: a slow producer's lines reach the reader as they come.
            if ctx.out.pending() > 0 && !matches!(term::bytes_readable(fd), Ok(n) if n > 0) {
                if let Err(e) = ctx.out.flush() {
                    break Err(CopyError::Write(e));
                }
            }
            let n = match read(fd, &mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => n,
                Err(e) => break Err(CopyError::Read(e)),
            };
            if let Err(e) = self.chunk(&buf[..n], ctx) {
                break Err(CopyError::Write(e));
            }
        };
        self.buf = buf;
        r
    }

    fn finish(&mut self, ctx: &mut Ctx) -> Result<()> {
        if self.held_cr {
            self.held_cr = false;
            self.emit_cr(ctx.out.buf_mut());
        }
        Ok(())
    }

    fn emit_cr(&self, out: &mut Vec<u8>) {
        if self.o.nonprinting {
            out.extend_from_slice(b"^M");
        } else {
            out.push(b'\r');
        }
    }

    fn chunk(&mut self, mut data: &[u8], ctx: &mut Ctx) -> std::io::Result<()> {
        let o = self.o;
        let simple_body = !o.tabs && !o.nonprinting && !o.ends;
        while !data.is_empty() {
            if self.at_line_start {
                if data[0] == b'\n' {
                    self.blank_run += 1;
                    data = &data[1..];
                    if o.squeeze && self.blank_run > 1 {
                        continue;
                    }
                    if o.number && !o.nonblank {
                        self.next_number();
                        append(ctx.out.buf_mut(), &self.num);
                    }
                    let out = ctx.out.buf_mut();
                    if o.ends {
                        out.push(b'$');
                    }
                    out.push(b'\n');
                    continue;
                }
                self.blank_run = 0;
                self.at_line_start = false;
                if o.number {
                    self.next_number();
                    append(ctx.out.buf_mut(), &self.num);
                }
            }
            // Inside a line: up to and including its newline.
            let (line, has_nl) = match memchr::memchr(b'\n', data) {
                Some(i) => (&data[..i], true),
                None => (data, false),
            };
            let out = ctx.out.buf_mut();
            if simple_body {
                // The line and its newline in one copy.
                let n = line.len() + has_nl as usize;
                append(out, &data[..n]);
                data = &data[n..];
                self.at_line_start = has_nl;
                ctx.out.maybe_flush()?;
                continue;
            }
            data = &data[line.len() + has_nl as usize..];
            self.body(line, has_nl, out);
            if has_nl {
                if o.ends {
                    out.push(b'$');
                }
                out.push(b'\n');
                self.at_line_start = true;
            }
            // Keep the buffer bounded on huge lines.
            ctx.out.maybe_flush()?;
        }
        Ok(())
    }

    /// Line content with -T, -v and -E transformations.
    fn body(&mut self, line: &[u8], has_nl: bool, out: &mut Vec<u8>) {
        let o = self.o;
        if self.held_cr {
            self.held_cr = false;
            if line.is_empty() && has_nl && o.ends {
                out.extend_from_slice(b"^M");
                return;
            }
            self.emit_cr(out);
        }
        let mut line = line;
        // GNU 9 shows a CR right before the newline as ^M under -E even without -v.
        let mut cr_end = false;
        if o.ends && line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
            if has_nl {
                cr_end = true;
            } else {
                self.held_cr = true;
            }
        }
        if !o.nonprinting && !o.tabs {
            out.extend_from_slice(line);
        } else {
            // Text is mostly printable: copy runs of bytes that need no notation in bulk.
            let plain = |c: u8| (32..127).contains(&c) || (c == b'\t' && !o.tabs);
            let mut rest = line;
            while !rest.is_empty() {
                let n = rest.iter().position(|&c| !plain(c)).unwrap_or(rest.len());
                out.extend_from_slice(&rest[..n]);
                if let Some(&c) = rest.get(n) {
                    push_visible(out, c, o.nonprinting, o.tabs);
                    rest = &rest[n + 1..];
                } else {
                    break;
                }
            }
        }
        if cr_end {
            out.extend_from_slice(b"^M");
        }
    }
}

/// The formatting path on an in-memory buffer, for benchmarks: `flags` as on the command line
/// (e.g. "-n", "-A"); output goes to `ctx.out`.
pub fn format_buffer(flags: &str, data: &[u8], ctx: &mut Ctx) -> std::io::Result<()> {
    let has = |c: char| flags.contains(c);
    let o = Opts {
        number: has('n') || has('b'),
        nonblank: has('b'),
        ends: has('E') || has('A') || has('e'),
        squeeze: has('s'),
        tabs: has('T') || has('A') || has('t'),
        nonprinting: has('v') || has('A') || has('e') || has('t'),
    };
    let mut f = Formatter::new(o);
    for chunk in data.chunks(BUF_SIZE) {
        f.chunk(chunk, ctx)?;
    }
    ctx.out.flush()
}

/// One byte in `-v`/`-T` notation.
#[inline]
fn push_visible(out: &mut Vec<u8>, c: u8, v: bool, t: bool) {
    if c == b'\t' {
        if t {
            out.extend_from_slice(b"^I");
        } else {
            out.push(c);
        }
        return;
    }
    if !v {
        out.push(c);
        return;
    }
    crate::common::quote::push_caret(out, c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_notation() {
        let mut v = Vec::new();
        for c in [0u8, 9, 31, 65, 127, 128, 137, 160, 255] {
            push_visible(&mut v, c, true, false);
            v.push(b' ');
        }
        assert_eq!(&v, b"^@ \t ^_ A ^? M-^@ M-^I M-  M-^? ");
    }

    #[test]
    fn numbers_grow() {
        let mut f = Formatter::new(Opts::default());
        for _ in 0..9 {
            f.next_number();
        }
        assert_eq!(f.next_number(), b"    10\t");
        f.num = b"999999\t".to_vec();
        assert_eq!(f.next_number(), b"1000000\t");
    }
}
