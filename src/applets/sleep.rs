//! `sleep`: pause for the sum of its arguments.
//!
//! GNU coreutils 9 `sleep`: each NUMBER is a C `strtod` number (fractions, exponents,
//! hexadecimal, `inf`/`infinity`) with an optional suffix `s`, `m`, `h` or `d`; several are
//! summed; every invalid one is reported (`sleep: invalid time interval 'x'`) before the usage
//! hint and status 1. Options are only `--help` and `--version` (`sleep -1` is an invalid
//! option, as GNU's). Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::{num, quote, Ctx, Error};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: sleep NUMBER[SUFFIX]...
  or:  sleep OPTION
Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),
'm' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an
integer.  Given two or more arguments, pause for the amount of time
specified by the sum of their values.

      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let m = match args::get(ctx, &argv, &SPEC) {
        Ok(Some(m)) => m,
        Ok(None) => return ctx.finish(Ok(())),
        Err(e) => return ctx.finish(Err(e)),
    };
    if m.operands.is_empty() {
        let e = args::usage_error(ctx, &SPEC, b"missing operand", 1);
        return ctx.finish(Err(e));
    }
    let mut total = 0f64;
    let mut ok = true;
    for a in &m.operands {
        match num::duration(a.as_bytes()) {
            Some(s) => total += s,
            None => {
                let mut msg = b"invalid time interval ".to_vec();
                msg.extend_from_slice(&quote::quote_locale(a.as_bytes()));
                ctx.msg(&msg);
                ok = false;
            }
        }
    }
    if !ok {
        ctx.try_help();
        return ctx.finish(Err(Error::silent(1)));
    }
    sleep_for(total);
    ctx.finish(Ok(()))
}

/// Sleep `secs` seconds (restarted after signals that do not end the process); an interval
/// beyond what a timespec holds sleeps for ever.
fn sleep_for(secs: f64) {
    const YEAR: f64 = 365.0 * 86400.0;
    let mut left = secs;
    while left > 0.0 {
        let step = left.min(YEAR);
        std::thread::sleep(Duration::from_secs_f64(step));
        if left.is_finite() {
            left -= step;
        }
    }
}
