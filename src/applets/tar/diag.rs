//! tar's messages shared by every mode: names quoted as GNU tar quotes them in diagnostics,
//! `NAME: WHAT: strerror` errors, the fatal "not recoverable" exit, read and write errors of
//! the archive, operands that matched nothing, and `--totals`.

use std::os::unix::ffi::OsStrExt;

use super::archive::ReadErr;
use super::matching::{self, Selector};
use super::opts::Opts;
use crate::common::{Ctx, Error};

/// A name in a diagnostic, as GNU tar quotes it (escape style, ':' escaped).
pub fn diag_name(name: &[u8]) -> Vec<u8> {
    let mut q = Vec::with_capacity(name.len() + 2);
    super::list::show_name(&mut q, name);
    if q.contains(&b':') {
        let mut r = Vec::with_capacity(q.len() + 4);
        for c in q {
            if c == b':' {
                r.push(b'\\');
            }
            r.push(c);
        }
        return r;
    }
    q
}

/// `tar: NAME: WHAT: strerror`, recorded with `code`.
pub fn file_error(ctx: &mut Ctx, name: &[u8], what: &str, e: &std::io::Error, code: i32) {
    let mut m = diag_name(name);
    m.extend_from_slice(b": ");
    m.extend_from_slice(what.as_bytes());
    m.extend_from_slice(b": ");
    m.extend_from_slice(crate::common::ctx::strerror(e).as_bytes());
    ctx.error(code, &m);
}

/// A fatal error about a file: message, then GNU's "not recoverable" line.
pub fn fatal_file(ctx: &mut Ctx, name: &[u8], what: &str, e: &std::io::Error) -> Error {
    file_error(ctx, name, what, e, 2);
    Error::new(2, "Error is not recoverable: exiting now")
}

pub fn fatal(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.error(2, msg);
    Error::new(2, "Error is not recoverable: exiting now")
}

pub fn archive_write_error(ctx: &mut Ctx, o: &Opts, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Error::silent(2);
    }
    let name = archive_label(o);
    fatal_file(ctx, &name, "Cannot write", e)
}

fn archive_label(o: &Opts) -> Vec<u8> {
    match &o.file {
        Some(f) if f.as_bytes() != b"-" => f.as_bytes().to_vec(),
        _ => b"stdout".to_vec(),
    }
}

pub fn read_error(ctx: &mut Ctx, e: ReadErr) -> Error {
    match e {
        ReadErr::NotTar => {
            ctx.error(2, b"This does not look like a tar archive");
            Error::silent(2)
        }
        ReadErr::Eof => fatal(ctx, b"Unexpected EOF in archive"),
        ReadErr::Io(e) if super::compress::child_status(&e).is_some() => {
            // The decompressor said why; tar reports its status (GNU's wait_for_child).
            fatal(ctx, e.to_string().as_bytes())
        }
        ReadErr::Io(e) => {
            let mut m = b"Read error: ".to_vec();
            m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
            fatal(ctx, &m)
        }
        ReadErr::Skip => Error::silent(2),
        ReadErr::Malformed(what) => {
            let mut m = b"Malformed archive: ".to_vec();
            m.extend_from_slice(what.as_bytes());
            fatal(ctx, &m)
        }
    }
}

pub fn ctx_msg(e: &std::io::Error) -> String {
    crate::common::ctx::strerror(e)
}

/// Report operands that matched nothing: `tar: NAME: Not found in archive`, after GNU's hint
/// when such a name looks like a pattern and --wildcards was not given.
pub fn report_unmatched(ctx: &mut Ctx, sel: &Selector, wildcards_given: bool) {
    let hint = !wildcards_given
        && sel
            .pats
            .iter()
            .enumerate()
            .any(|(i, (p, _))| !sel.used[i] && matching::pattern_has_wildcards(p));
    if hint {
        ctx.msg(b"Pattern matching characters used in file names");
        ctx.msg(b"Use --wildcards to enable pattern matching, or --no-wildcards to suppress this warning");
    }
    for (i, (p, _)) in sel.pats.iter().enumerate() {
        if !sel.used[i] {
            let mut m = diag_name(p);
            m.extend_from_slice(b": Not found in archive");
            ctx.error(2, &m);
        }
    }
}

/// `--totals`: `Total bytes written: 10240 (10KiB, 4.9MiB/s)`.
pub fn print_totals(ctx: &mut Ctx, o: &Opts, what: &str, n: u64) {
    let h = human(n);
    let secs = o.start.elapsed().as_secs_f64().max(1e-6);
    let rate = human((n as f64 / secs) as u64);
    let line = format!("{what}: {n} ({h}, {rate}/s)\n");
    let _ = ctx.out.flush();
    crate::common::io::write_all(crate::common::io::stderr_fd(), line.as_bytes()).ok();
}

fn human(n: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n}B")
    } else if v < 10.0 {
        format!("{:.1}{}", v, units[u])
    } else {
        format!("{:.0}{}", v, units[u])
    }
}
