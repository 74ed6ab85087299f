//! `expand`: convert tabs to spaces.
//!
//! Follows GNU expand 9: `-t N`, `-t LIST` (commas or blanks; a last `/N` repeats every N,
//! `+N` every N after the last stop), the legacy `-N`, `-i` (leading blanks only); a tab past
//! the last stop of a list becomes one space, a backspace steps back a column; the files are
//! one stream; GNU's messages. Columns count bytes (the C locale).
//! Deviation: none known.

use std::ffi::OsString;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::tabs::{each_chunk, legacy_args, TabStops};
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: expand [OPTION]... [FILE]...
Convert tabs in each FILE to spaces, writing to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -i, --initial    do not convert tabs after non blanks
  -t, --tabs=N     have tabs N characters apart, not 8
  -t, --tabs=LIST  use comma separated list of tab positions.
                     The last specified position can be prefixed with '/'
                     to specify a tab size to use after the last
                     explicitly specified tab stop.  Also a prefix of '+'
                     can be used to align remaining tab stops relative to
                     the last specified tab stop instead of the first column
      --help        display this help and exit
      --version     output version information and exit
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("tabs", Some(b't'), Some("tabs")),
        Opt::flag("initial", Some(b'i'), Some("initial")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(legacy_args(argv), ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if m.flag("version") {
        ctx.out
            .write_all(concat!("expand (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let mut tabs = TabStops::default();
    for t in m.values("tabs") {
        use std::os::unix::ffi::OsStrExt;
        tabs.parse(t.as_bytes()).map_err(|e| Error::new(1, e))?;
    }
    tabs.finish().map_err(|e| Error::new(1, e))?;
    let initial = m.flag("initial");
    let mut files = m.operands.clone();
    if files.is_empty() {
        files.push(OsString::from("-"));
    }
    let mut column: u64 = 0;
    let mut index = 0usize;
    let mut convert = true;
    let mut buf = vec![0u8; 64 * 1024];
    for name in &files {
        each_chunk(ctx, name, &mut buf, |ctx, data| {
            for &c in data {
                if convert {
                    if c == b'\t' {
                        let next = match tabs.next(column, &mut index) {
                            Some(n) => n,
                            None => column + 1,
                        };
                        // Written as it goes: a stop like 2^64-1 is a stream of spaces (as
                        // GNU's), not one buffer that exhausts memory.
                        while column < next {
                            let n = (next - column).min(64 * 1024);
                            let out = ctx.out.buf_mut();
                            out.resize(out.len() + n as usize, b' ');
                            column += n;
                            ctx.out.maybe_flush()?;
                        }
                        continue;
                    } else if c == 0x08 {
                        column = column.saturating_sub(1);
                        index = index.saturating_sub(1);
                    } else {
                        column += 1;
                    }
                    convert = !initial || c == b' ' || c == b'\t';
                }
                ctx.out.buf_mut().push(c);
                if c == b'\n' {
                    column = 0;
                    index = 0;
                    convert = true;
                }
            }
            ctx.out.maybe_flush()
        })?;
    }
    Ok(())
}
