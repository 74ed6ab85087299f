//! `envsubst`: substitute environment variables in a template.
//!
//! GNU gettext's `envsubst` (0.21): standard input is copied to standard output with `$NAME`
//! and `${NAME}` (NAME: ASCII letters, digits and `_`, not starting with a digit) replaced by
//! the variable's value, an unset variable by nothing. No other shell form is recognised:
//! `${A:-x}`, `$1`, `$$`, a `${A` without its brace and a lone `$` are copied as they are, and
//! a backslash escapes nothing. With a SHELL-FORMAT operand only the variables it names are
//! substituted (the others are copied); `-v`/`--variables` prints the names SHELL-FORMAT
//! references, one a line in their order (repeats kept), and ignores standard input. The input
//! is streamed in blocks (a template of any size runs in constant memory, as nginx's entrypoint
//! needs). Messages and statuses as gettext's: `missing arguments`, `too many arguments`,
//! status 1. Deviation: `--version` prints rbox's version.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::io::stdin_fd;
use crate::common::sys::fd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("variables", Some(b'v'), Some("variables")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "\
Usage: envsubst [OPTION] [SHELL-FORMAT]

Substitutes the values of environment variables.

Operation mode:
  -v, --variables             output the variables occurring in SHELL-FORMAT

Informative output:
  -h, --help                  display this help and exit
  -V, --version               output version information and exit

In normal operation mode, standard input is copied to standard output,
with references to environment variables of the form $VARIABLE or ${VARIABLE}
being replaced with the corresponding values.  If a SHELL-FORMAT is given,
only those environment variables that are referenced in SHELL-FORMAT are
substituted; otherwise all environment variables references occurring in
standard input are substituted.

When --variables is used, standard input is ignored, and the output consists
of the environment variables that are referenced in SHELL-FORMAT, one per line.
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let vars = m.flag("variables");
    match (m.operands.len(), vars) {
        (0, true) => return Err(Error::new(1, "missing arguments")),
        (n, _) if n > 1 => return Err(Error::new(1, "too many arguments")),
        _ => {}
    }
    let format = m.operands.first().map(|f| f.as_bytes());
    if vars {
        for name in references(format.unwrap_or_default()) {
            ctx.out.write_all(name)?;
            ctx.out.byte(b'\n')?;
        }
        return Ok(());
    }
    let only: Option<Vec<&[u8]>> = format.map(|f| {
        let mut v: Vec<&[u8]> = references(f).collect();
        crate::common::sort::sort(&mut v);
        v.dedup();
        v
    });
    substitute(ctx, only.as_deref())
}

fn is_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// What a `$` at the start of `s` begins.
enum Ref {
    /// `$NAME` or `${NAME}`: the name and the length of the whole reference.
    Var(usize, usize, usize),
    /// Not a reference: copy the `$` and go on after it.
    No,
    /// The input ends before it can be told (more may follow).
    More,
}

/// Classify the `$` at `s[0]`; `end` says no more input follows `s`.
fn reference(s: &[u8], end: bool) -> Ref {
    let brace = s.get(1) == Some(&b'{');
    let start = 1 + brace as usize;
    match s.get(start) {
        None => return if end { Ref::No } else { Ref::More },
        Some(&c) if !is_start(c) => return Ref::No,
        _ => {}
    }
    let mut i = start + 1;
    while i < s.len() && is_name(s[i]) {
        i += 1;
    }
    if i == s.len() && !end {
        return Ref::More;
    }
    if brace {
        if s.get(i) == Some(&b'}') {
            Ref::Var(start, i, i + 1)
        } else {
            Ref::No
        }
    } else {
        Ref::Var(start, i, i)
    }
}

/// The names SHELL-FORMAT references, in order.
fn references(f: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(p) = memchr::memchr(b'$', &f[i..]) {
            let at = i + p;
            match reference(&f[at..], true) {
                Ref::Var(a, b, len) => {
                    i = at + len;
                    return Some(&f[at + a..at + b]);
                }
                _ => i = at + 1,
            }
        }
        i = f.len();
        None
    })
}

/// Copy standard input to standard output, substituting as we go.
fn substitute(ctx: &mut Ctx, only: Option<&[&[u8]]>) -> Result<()> {
    // The environment once, sorted by name (the first of a repeated name wins, as getenv).
    let env = crate::common::exec::environ();
    let mut vars: Vec<(&[u8], &[u8])> = env
        .iter()
        .filter_map(|e| {
            let i = memchr::memchr(b'=', e)?;
            Some((&e[..i], &e[i + 1..]))
        })
        .collect();
    crate::common::sort::sort_by(&mut vars, |a, b| a.0.cmp(b.0));
    vars.dedup_by(|b, a| a.0 == b.0);
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut eof = false;
    while !eof {
        let n = fd::read_append(stdin_fd(), &mut buf, 64 * 1024)
            .map_err(|e| Error::io(1, "error while reading \"standard input\"", &e))?;
        eof = n == 0;
        let mut i = 0;
        let mut pending = false;
        while let Some(p) = memchr::memchr(b'$', &buf[i..]) {
            let at = i + p;
            ctx.out.write_all(&buf[i..at])?;
            i = at;
            match reference(&buf[at..], eof) {
                Ref::More => {
                    pending = true;
                    break;
                }
                Ref::No => {
                    ctx.out.byte(b'$')?;
                    i = at + 1;
                }
                Ref::Var(a, b, len) => {
                    let name = &buf[at + a..at + b];
                    if only.is_some_and(|o| o.binary_search(&name).is_err()) {
                        ctx.out.write_all(&buf[at..at + len])?;
                    } else if let Ok(i) = vars.binary_search_by(|v| v.0.cmp(name)) {
                        ctx.out.write_all(vars[i].1)?;
                    }
                    i = at + len;
                }
            }
        }
        if !pending {
            ctx.out.write_all(&buf[i..])?;
            i = buf.len();
        }
        buf.drain(..i);
        ctx.out.maybe_flush()?;
    }
    Ok(())
}
