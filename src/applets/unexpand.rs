//! `unexpand`: convert spaces to tabs.
//!
//! Follows GNU unexpand 9: leading blanks by default, `-a` all blanks, `-t N`/`-t LIST` (as
//! expand's, `/N` and `+N`; implies `-a`), the legacy `-N`, `--first-only` (and BusyBox's `-f`
//! for it); GNU's rule that a single blank before a tab stop stays a blank, a tab past the last
//! stop of a list ends the conversion of the line; the files are one stream. Columns count
//! bytes (the C locale).
//! Deviation: none known.

use std::ffi::OsString;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::tabs::{each_chunk, legacy_args, TabStops};
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: unexpand [OPTION]... [FILE]...
Convert blanks in each FILE to tabs, writing to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -a, --all        convert all blanks, instead of just initial blanks
  -f, --first-only  convert only leading sequences of blanks (overrides -a)
  -t, --tabs=N     have tabs N characters apart instead of 8 (enables -a)
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
        Opt::flag("all", Some(b'a'), Some("all")),
        // `-f` is BusyBox's short form (GNU has none; accepting it costs GNU users nothing).
        Opt::flag("first-only", Some(b'f'), Some("first-only")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
        // The legacy -N, rewritten to this before parsing (it does not imply -a).
        Opt::arg("legacy", None, Some("rbox-legacy-tabs")),
    ],
    USAGE,
);

/// The state of GNU's unexpand loop for one line.
struct Line {
    convert: bool,
    column: u64,
    next_tab: u64,
    index: usize,
    one_blank_before_tab_stop: bool,
    prev_blank: bool,
    pending: Vec<u8>,
}

impl Line {
    fn new() -> Line {
        Line {
            convert: true,
            column: 0,
            next_tab: 0,
            index: 0,
            one_blank_before_tab_stop: false,
            prev_blank: true,
            pending: Vec::new(),
        }
    }
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let argv: Vec<OsString> = legacy_args(argv)
        .into_iter()
        .map(|a| {
            use std::os::unix::ffi::{OsStrExt, OsStringExt};
            match a.as_bytes().strip_prefix(b"--tabs=") {
                Some(v) if v.first().is_some_and(|c| c.is_ascii_digit()) => {
                    let mut w = b"--rbox-legacy-tabs=".to_vec();
                    w.extend_from_slice(v);
                    OsString::from_vec(w)
                }
                _ => a,
            }
        })
        .collect();
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if m.flag("version") {
        ctx.out
            .write_all(concat!("unexpand (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(());
    }
    let mut tabs = TabStops::default();
    let mut all = false;
    for (id, v) in &m.opts {
        match *id {
            "tabs" | "legacy" => {
                if *id == "tabs" {
                    all = true;
                }
                let v = v.as_ref().map(|v| v.as_bytes()).unwrap_or(b"");
                tabs.parse(v).map_err(|e| Error::new(1, e))?;
            }
            "all" => all = true,
            _ => {}
        }
    }
    if m.flag("first-only") {
        all = false;
    }
    tabs.finish().map_err(|e| Error::new(1, e))?;
    let mut files = m.operands.clone();
    if files.is_empty() {
        files.push(OsString::from("-"));
    }
    let mut st = Line::new();
    let mut buf = vec![0u8; 64 * 1024];
    for name in &files {
        each_chunk(ctx, name, &mut buf, |ctx, data| {
            let out = ctx.out.buf_mut();
            for &c in data {
                step(&mut st, &tabs, all, Some(c), out);
            }
            ctx.out.maybe_flush()
        })?;
    }
    let out = ctx.out.buf_mut();
    step(&mut st, &tabs, all, None, out);
    Ok(())
}

/// One input byte (None: the end) through GNU's unexpand loop.
fn step(st: &mut Line, tabs: &TabStops, all: bool, c: Option<u8>, out: &mut Vec<u8>) {
    let mut ch = c;
    if st.convert {
        let blank = matches!(c, Some(b' ') | Some(b'\t'));
        if blank {
            match tabs.next(st.column, &mut st.index) {
                None => st.convert = false,
                Some(n) => st.next_tab = n,
            }
            if st.convert {
                if c == Some(b'\t') {
                    st.column = st.next_tab;
                    if !st.pending.is_empty() {
                        st.pending[0] = b'\t';
                    }
                } else {
                    st.column += 1;
                    if !(st.prev_blank && st.column == st.next_tab) {
                        if st.column == st.next_tab {
                            st.one_blank_before_tab_stop = true;
                        }
                        st.pending.push(b' ');
                        st.prev_blank = true;
                        return;
                    }
                    st.pending.clear();
                    st.pending.push(b'\t');
                    ch = Some(b'\t');
                }
                // Drop the pending blanks, unless a single blank just before the previous
                // tab stop.
                let keep = st.one_blank_before_tab_stop as usize;
                st.pending.truncate(keep);
            }
        } else if c == Some(0x08) {
            st.column = st.column.saturating_sub(1);
            st.next_tab = st.column;
            st.index = st.index.saturating_sub(1);
        } else {
            st.column += 1;
        }
        if !st.pending.is_empty() {
            if st.pending.len() > 1 && st.one_blank_before_tab_stop {
                st.pending[0] = b'\t';
            }
            out.extend_from_slice(&st.pending);
            st.pending.clear();
            st.one_blank_before_tab_stop = false;
        }
        st.prev_blank = blank;
        st.convert &= all || blank;
    }
    let Some(c) = ch else { return };
    out.push(c);
    if c == b'\n' {
        *st = Line {
            pending: std::mem::take(&mut st.pending),
            ..Line::new()
        };
    }
}
