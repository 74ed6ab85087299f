//! `nice`: run a command with an adjusted niceness.
//!
//! GNU coreutils 9 `nice [-n N] [COMMAND [ARG]...]`: without a command the current niceness
//! is printed; with one, N (default 10, also the obsolete `-N`, `--N` and `-+N` forms, the last
//! one given winning) is added to it — the kernel keeps the result within -20..19 — and the
//! command replaces nice (found as execvp finds it, rbox applets as the fallback). A niceness
//! the caller may not set (lowering it without privilege) is a warning and the command runs
//! anyway, as GNU's. Statuses: 125 for nice's own errors (`invalid adjustment`, an adjustment
//! without a command), 126 for a command found but not runnable, 127 for one not found.
//! Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::exec;
use crate::common::help::help_text;
use crate::common::quote::quote_locale;
use crate::common::sys::process as sp;
use crate::common::{Ctx, Error, Result};

/// nice's own failures.
const FAIL: i32 = 125;

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("adjustment", Some(b'n'), Some("adjustment")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: nice [OPTION] [COMMAND [ARG]...]
Run COMMAND with an adjusted niceness, which affects process scheduling.
With no COMMAND, print the current niceness.  Niceness values range from
-20 (most favorable to the process) to 19 (least favorable to the process).

Mandatory arguments to long options are mandatory for short options too.
  -n, --adjustment=N   add integer N to the niceness (default 10)
      --help        display this help and exit
      --version     output version information and exit
"
    ),
)
.code(FAIL)
.require_order();

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

/// `-5`, `--5`, `-+5`: GNU's obsolete adjustment forms (a digit after the dash and an
/// optional sign), rewritten as `--adjustment=` so that the last one given wins.
fn obsolete(a: &[u8]) -> Option<Vec<u8>> {
    let sign = matches!(a.get(1), Some(b'-' | b'+')) as usize;
    if a.first() != Some(&b'-') || !a.get(1 + sign).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut v = b"--adjustment=".to_vec();
    if a[1] == b'-' {
        v.push(b'-');
        v.extend_from_slice(&a[2..]);
    } else {
        v.extend_from_slice(&a[1..]);
    }
    Some(v)
}

/// The option words before the command, with the obsolete forms rewritten.
fn rewrite(argv: Vec<OsString>) -> Vec<OsString> {
    let mut out = Vec::with_capacity(argv.len());
    let mut it = argv.into_iter();
    out.extend(it.next());
    while let Some(a) = it.next() {
        let b = a.as_bytes();
        if let Some(v) = obsolete(b) {
            out.push(OsString::from_vec(v));
            continue;
        }
        let takes_next =
            b == b"-n" || (b.len() > 2 && b"--adjustment".starts_with(b) && !b.contains(&b'='));
        let ends = b == b"--" || b.first() != Some(&b'-') || b == b"-";
        out.push(a);
        if takes_next {
            out.extend(it.next());
        } else if ends {
            break;
        }
    }
    out.extend(it);
    out
}

/// gnulib's xstrtol for the adjustment: blanks, a sign, digits and nothing else; a value too
/// large saturates (then nice's clamp to ±39 applies).
fn adjustment(s: &[u8]) -> Option<i64> {
    let t = s.trim_ascii_start();
    let (neg, d) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &c in d {
        v = v.saturating_mul(10).saturating_add((c - b'0') as i64);
    }
    Some(if neg { -v } else { v })
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    let argv = rewrite(argv);
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(ctx.finish(Ok(())));
    };
    let given = m.last("adjustment");
    let adj = match given {
        None => 10,
        Some(a) => match adjustment(a.as_bytes()) {
            Some(v) => v.clamp(-39, 39) as i32,
            None => {
                let mut msg = b"invalid adjustment ".to_vec();
                msg.extend_from_slice(&quote_locale(a.as_bytes()));
                return Err(Error::new(FAIL, msg));
            }
        },
    };
    let current = sp::niceness().map_err(|e| Error::io(FAIL, "cannot get niceness", &e))?;
    if m.operands.is_empty() {
        if given.is_some() {
            let msg = b"a command must be given with an adjustment";
            return Err(args::usage_error(ctx, &SPEC, msg, FAIL));
        }
        ctx.out.write_all(format!("{current}\n").as_bytes())?;
        return Ok(ctx.finish(Ok(())));
    }
    if let Err(e) = sp::set_niceness(current.saturating_add(adj)) {
        let msg = format!("cannot set niceness: {}", strerror(&e));
        if !matches!(e.raw_os_error(), Some(libc::EPERM | libc::EACCES)) {
            return Err(Error::new(FAIL, msg));
        }
        ctx.msg(msg.as_bytes());
    }
    let cmd: Vec<Vec<u8>> = m.operands.into_iter().map(OsString::into_vec).collect();
    match exec::exec(&cmd, &exec::environ()).status() {
        Ok(st) => Ok(st),
        Err((code, e)) => {
            let mut msg = quote_locale(&cmd[0]).to_vec();
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            Err(Error::new(code, msg))
        }
    }
}
