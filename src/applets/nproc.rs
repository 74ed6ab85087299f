//! `nproc`: print the number of processing units available.
//!
//! GNU coreutils 9 `nproc` (gnulib's num_processors): the CPUs in the affinity mask
//! (sched_getaffinity), or with `--all` the configured ones as glibc counts them; `--ignore=N`
//! takes N away but never goes below 1; `OMP_NUM_THREADS` (first value of a list) overrides
//! the count and `OMP_THREAD_LIMIT` caps it, without `--all` only. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::sys::user;
use crate::common::{quote, sysinfo, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("all", None, Some("all")),
        Opt::arg("ignore", None, Some("ignore")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: nproc [OPTION]...
Print the number of processing units available to the current process,
which may be less than the number of online processors

      --all      print the number of installed processors
      --ignore=N  if possible, exclude N processing units
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// gnulib's parse_omp_threads: blanks, a decimal number, blanks, then the end or a comma.
fn omp(name: &str) -> u64 {
    let Some(v) = std::env::var_os(name) else {
        return 0;
    };
    let s = v.as_bytes().trim_ascii_start();
    let end = s
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(s.len());
    if end == 0 {
        return 0;
    }
    let n = std::str::from_utf8(&s[..end])
        .ok()
        .and_then(|d| d.parse::<u64>().ok())
        .unwrap_or(u64::MAX);
    match s[end..].trim_ascii_start().first() {
        None | Some(b',') => n,
        _ => 0,
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if let Some(x) = m.operands.first() {
        return Err(args::extra_operand(ctx, &SPEC, x.as_bytes(), 1));
    }
    let mut ignore = 0u64;
    for v in m.values("ignore") {
        let s = v.as_bytes().trim_ascii_start();
        let bad = |tail: &str| {
            let mut msg = b"invalid number: ".to_vec();
            msg.extend_from_slice(&quote::quote_locale(v.as_bytes()));
            msg.extend_from_slice(tail.as_bytes());
            Error::new(1, msg)
        };
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return Err(bad(""));
        }
        ignore = std::str::from_utf8(s)
            .ok()
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| bad(": Value too large for defined data type"))?;
    }
    let n = if m.flag("all") {
        let mut n = sysinfo::cpus_configured();
        // gnulib: a count of 1 or 2 may come from a missing /sys; trust the mask if larger.
        if n <= 2 {
            n = n.max(user::affinity_cpus().unwrap_or(0));
        }
        n
    } else {
        let threads = omp("OMP_NUM_THREADS");
        let limit = match omp("OMP_THREAD_LIMIT") {
            0 => u64::MAX,
            l => l,
        };
        if threads > 0 {
            threads.min(limit)
        } else {
            sysinfo::cpus_usable().min(limit)
        }
    };
    let n = if ignore < n { n - ignore } else { 1 };
    ctx.out.write_all(format!("{n}\n").as_bytes())?;
    Ok(())
}
