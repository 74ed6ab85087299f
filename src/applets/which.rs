//! `which`: locate commands on PATH.
//!
//! Debian's which (debianutils) and BusyBox's: each NAME looked up in the PATH directories in
//! order (an empty entry is the current directory, printed as `./NAME`), the first regular
//! executable file printed (`-a`: all of them); a NAME holding a `/` is checked as it is.
//! Status 0 when every NAME was found, 1 when one was not (or none was given), 2 for a bad
//! option (after `Usage: which [-a] args`). Options end at the first NAME, as getopts does.
//! PATH unset: dash's default path, as Debian's which sees it.
//! Deviation: the bad-option message is glibc's (`invalid option -- 'x'`), not the shell's.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Result};

const OPTS: &[Opt] = &[
    Opt::flag("all", Some(b'a'), None),
    Opt::flag("help", None, Some("help")),
];

const USAGE: &[u8] = b"Usage: which [-a] args\n";

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// A regular file (symlinks followed) that may be executed (`[ -f F ] && [ -x F ]`).
fn executable(p: &[u8]) -> bool {
    sysfd::stat(p).is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG)
        && sysfd::access(p, libc::X_OK)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut all = false;
    let mut names = Vec::new();
    for a in Getopt::new(&argv, OPTS, Order::RequireOrder) {
        match a {
            Ok(Arg::Opt(o, _)) if o.id() == "help" => {
                ctx.out.write_all(USAGE)?;
                return Ok(());
            }
            Ok(Arg::Opt(_, _)) => all = true,
            Ok(Arg::Operand(n)) => names.push(n),
            Err(msg) => {
                ctx.msg(&msg);
                ctx.out.write_all(USAGE)?;
                ctx.fail(2);
                return Ok(());
            }
        }
    }
    if names.is_empty() {
        ctx.fail(1);
        return Ok(());
    }
    // Without PATH in the environment, the path dash (Debian's which runs under it) gives a
    // shell that starts without one.
    let path = std::env::var_os("PATH");
    let path = path
        .as_ref()
        .map_or(crate::common::exec::SHELL_DEFAULT_PATH, |p| p.as_bytes());
    // The shell's field splitting of $PATH on ':' (the script adds a ':' after a trailing
    // one): an empty PATH has no entries, a trailing `::` counts once.
    let mut dirs: Vec<&[u8]> = if path.is_empty() {
        Vec::new()
    } else {
        path.split(|&b| b == b':').collect()
    };
    if path.ends_with(b"::") {
        dirs.pop();
    }
    let mut buf = Vec::new();
    for name in &names {
        let name = name.as_bytes();
        let mut found = false;
        if name.contains(&b'/') {
            if executable(name) {
                let b = ctx.out.buf_mut();
                b.extend_from_slice(name);
                b.push(b'\n');
                found = true;
            }
        } else {
            for d in &dirs {
                let d: &[u8] = if d.is_empty() { b"." } else { d };
                buf.clear();
                buf.extend_from_slice(d);
                buf.push(b'/');
                buf.extend_from_slice(name);
                if executable(&buf) {
                    let b = ctx.out.buf_mut();
                    b.extend_from_slice(&buf);
                    b.push(b'\n');
                    found = true;
                    if !all {
                        break;
                    }
                }
            }
        }
        ctx.out.maybe_flush()?;
        if !found {
            ctx.fail(1);
        }
    }
    Ok(())
}
