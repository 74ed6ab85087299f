//! `fold`: wrap each input line to fit a width.
//!
//! GNU coreutils 9 `fold [-bs] [-w WIDTH] [FILE]...` (and the obsolete `-WIDTH`): lines longer
//! than WIDTH (80) columns are broken, a tab advancing to the next multiple of 8, a backspace
//! stepping back, a carriage return going to column 0 (`-b` counts bytes instead); `-s`
//! breaks after the last blank that fits when there is one. Each file is folded on its own;
//! a missing file is reported and skipped (status 1). Used as `tr -dc A-Za-z0-9 </dev/urandom
//! | fold -w 32 | head -n 1` to make passwords. Columns count bytes (the C locale).
//! Deviation: none known.

use std::ffi::OsString;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::tabs::each_chunk;
use crate::common::{quote, Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: fold [OPTION]... [FILE]...
Wrap input lines in each FILE, writing to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --bytes         count bytes rather than columns
  -s, --spaces        break at spaces
  -w, --width=WIDTH   use WIDTH columns instead of 80
      --help        display this help and exit
      --version     output version information and exit
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("bytes", Some(b'b'), Some("bytes")),
        Opt::flag("spaces", Some(b's'), Some("spaces")),
        Opt::arg("width", Some(b'w'), Some("width")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(obsolete_width(argv), ctx);
    ctx.finish(r)
}

/// The obsolete `-N` is `--width=N` (before `--`), except as the value of a `-w` just before
/// it: `fold -w -3` is a bad width, as in GNU's getopt loop.
fn obsolete_width(argv: Vec<OsString>) -> Vec<OsString> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let mut out: Vec<OsString> = Vec::with_capacity(argv.len());
    let mut it = argv.into_iter();
    out.extend(it.next());
    while let Some(a) = it.next() {
        let b = a.as_bytes();
        if b == b"--" {
            out.push(a);
            out.extend(it);
            break;
        }
        // Flags then digits in one word (`-s5`): from the first digit on, the rest of the word
        // is the width, as GNU's getopt loop takes it (`-5s` is the bad width `5s`).
        let cluster = &b[1.min(b.len())..];
        if let Some(d) = cluster.iter().position(u8::is_ascii_digit) {
            if b[0] == b'-' && cluster[..d].iter().all(|c| *c == b'b' || *c == b's') {
                if d > 0 {
                    out.push(OsString::from_vec([&b"-"[..], &cluster[..d]].concat()));
                }
                out.push(OsString::from_vec(
                    [&b"--width="[..], &cluster[d..]].concat(),
                ));
                continue;
            }
        }
        let value_next =
            b == b"--width" || (b.len() >= 2 && b[0] == b'-' && b[1] != b'-' && b.ends_with(b"w"));
        out.push(a);
        if value_next {
            out.extend(it.next());
        }
    }
    out
}

/// The line being built and where it has got to.
struct Folder {
    width: u64,
    bytes: bool,
    spaces: bool,
    line: Vec<u8>,
    column: u64,
}

impl Folder {
    fn advance(&self, column: u64, c: u8) -> u64 {
        if self.bytes {
            return column + 1;
        }
        match c {
            0x08 => column.saturating_sub(1),
            b'\r' => 0,
            b'\t' => column + 8 - column % 8,
            _ => column + 1,
        }
    }

    /// GNU's fold_file, one byte at a time: a byte that would pass the width ends the line
    /// before it (after the last blank with `-s`) and starts the next.
    fn push(&mut self, c: u8, out: &mut Vec<u8>) {
        if c == b'\n' {
            out.extend_from_slice(&self.line);
            out.push(b'\n');
            self.line.clear();
            self.column = 0;
            return;
        }
        loop {
            self.column = self.advance(self.column, c);
            if self.column <= self.width {
                self.line.push(c);
                return;
            }
            if self.spaces {
                if let Some(b) = self.line.iter().rposition(|&x| x == b' ' || x == b'\t') {
                    out.extend_from_slice(&self.line[..=b]);
                    out.push(b'\n');
                    self.line.drain(..=b);
                    self.column = 0;
                    for i in 0..self.line.len() {
                        self.column = self.advance(self.column, self.line[i]);
                    }
                    continue;
                }
            }
            if self.line.is_empty() {
                self.line.push(c);
                return;
            }
            out.extend_from_slice(&self.line);
            out.push(b'\n');
            self.line.clear();
            self.column = 0;
        }
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if m.flag("version") {
        ctx.out
            .write_all(concat!("fold (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let mut width = 80u64;
    if let Some(w) = m.last("width") {
        use std::os::unix::ffi::OsStrExt;
        let b = w.as_bytes();
        // gnulib's xdectoumax over 1..=SIZE_MAX-9: its errno text for a number out of range.
        let bad = |why: &str| {
            let mut msg = b"invalid number of columns: ".to_vec();
            msg.extend_from_slice(&quote::quote_locale(b));
            msg.extend_from_slice(why.as_bytes());
            Error::new(1, msg)
        };
        let t = b.trim_ascii_start();
        let t = t.strip_prefix(b"+").unwrap_or(t);
        let digits = t.iter();
        if b.is_empty() || !digits.clone().all(u8::is_ascii_digit) || digits.count() == 0 {
            return Err(bad(""));
        }
        let text = String::from_utf8_lossy(b);
        width = match text.trim_start().trim_start_matches('+').parse::<u128>() {
            Ok(0) => return Err(bad(": Numerical result out of range")),
            Ok(n) if n <= (usize::MAX - 9) as u128 => n as u64,
            _ => return Err(bad(": Value too large for defined data type")),
        };
    }
    let mut f = Folder {
        width,
        bytes: m.flag("bytes"),
        spaces: m.flag("spaces"),
        line: Vec::new(),
        column: 0,
    };
    let mut files = m.operands.clone();
    if files.is_empty() {
        files.push(OsString::from("-"));
    }
    let mut buf = vec![0u8; 64 * 1024];
    for name in &files {
        each_chunk(ctx, name, &mut buf, |ctx, data| {
            let out = ctx.out.buf_mut();
            for &c in data {
                f.push(c, out);
            }
            ctx.out.maybe_flush()
        })?;
        // Each file ends its own last line, as GNU folds file by file.
        ctx.out.buf_mut().extend_from_slice(&f.line);
        f.line.clear();
        f.column = 0;
    }
    Ok(())
}
