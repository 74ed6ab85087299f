//! `touch`: change file timestamps, creating files that do not exist.
//!
//! GNU coreutils 9 `touch`: `-a -c -d -f -h -m -r -t`, `--no-create`, `--date`,
//! `--no-dereference`, `--reference`, `--time=WORD`; `-` is standard output. `-d` goes through
//! the one date parser (`common::datetime`), relative to the reference file's times when `-r`
//! is given too; `-t` takes `[[CC]YY]MMDDhhmm[.ss]`. Times are set with utimensat/futimens
//! (UTIME_NOW and UTIME_OMIT, so `-a`/`-m` leave the other time alone). Messages as GNU:
//! `cannot touch 'f': ...` when the file could not be opened or created, `setting times of`
//! otherwise. With `_POSIX2_VERSION` below 200112 and no other time given, a first of two or
//! more operands in the obsolete `MMDDhhmm[YY]` form (YY 69-99) is the time, with GNU's
//! warning unless POSIXLY_CORRECT is set. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::datetime;
use crate::common::help::help_text;
use crate::common::sys::fd as sysfd;
use crate::common::sys::fs::{futimens, utimensat, Time};
use crate::common::time::Zone;
use crate::common::{ctx::strerror, quote, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("a", Some(b'a'), None),
        Opt::flag("no-create", Some(b'c'), Some("no-create")),
        Opt::arg("date", Some(b'd'), Some("date")),
        Opt::flag("f", Some(b'f'), None),
        Opt::flag("no-dereference", Some(b'h'), Some("no-dereference")),
        Opt::flag("m", Some(b'm'), None),
        Opt::arg("reference", Some(b'r'), Some("reference")),
        Opt::arg("t", Some(b't'), None),
        Opt::arg("time", None, Some("time")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: touch [OPTION]... FILE...
Update the access and modification times of each FILE to the current time.

A FILE argument that does not exist is created empty, unless -c or -h
is supplied.

A FILE argument string of - is handled specially and causes touch to
change the times of the file associated with standard output.

Mandatory arguments to long options are mandatory for short options too.
  -a                     change only the access time
  -c, --no-create        do not create any files
  -d, --date=STRING      parse STRING and use it instead of current time
  -f                     (ignored)
  -h, --no-dereference   affect each symbolic link instead of any referenced
                         file (useful only on systems that can change the
                         timestamps of a symlink)
  -m                     change only the modification time
  -r, --reference=FILE   use this file's times instead of current time
  -t STAMP               use [[CC]YY]MMDDhhmm[.ss] instead of current time
      --time=WORD        change the specified time:
                           WORD is access, atime, or use: equivalent to -a
                           WORD is modify or mtime: equivalent to -m
      --help        display this help and exit
      --version     output version information and exit

Note that the -d and -t options accept different time-date formats.
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn now() -> (i64, u32) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_secs() as i64, d.subsec_nanos())
}

fn invalid_format(s: &[u8]) -> Error {
    let mut m = b"invalid date format ".to_vec();
    m.extend_from_slice(&quote::quote_locale(s));
    Error::new(1, m)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let (mut atime, mut mtime) = (m.flag("a"), m.flag("m"));
    for w in m.values("time") {
        match w.as_bytes() {
            b"atime" | b"access" | b"use" => atime = true,
            b"mtime" | b"modify" => mtime = true,
            b => {
                let mut msg = b"invalid argument ".to_vec();
                msg.extend_from_slice(&quote::quote_locale(b));
                msg.extend_from_slice(b" for '--time'");
                ctx.msg(&msg);
                crate::common::io::write_all(
                    crate::common::io::stderr_fd(),
                    b"Valid arguments are:\n  - 'atime', 'access', 'use'\n  - 'mtime', 'modify'\n",
                )
                .ok();
                ctx.try_help();
                return Err(Error::silent(1));
            }
        }
    }
    if !atime && !mtime {
        atime = true;
        mtime = true;
    }
    let sources = m.flag("date") as u8 + m.flag("t") as u8 + m.flag("reference") as u8;
    if m.flag("t") && sources > 1 {
        return Err(args::usage_error(
            ctx,
            &SPEC,
            b"cannot specify times from more than one source",
            1,
        ));
    }
    let zone = Zone::local();
    let mut times: Option<[(i64, u32); 2]> = None;
    if let Some(r) = m.last("reference") {
        let st = if m.flag("no-dereference") {
            sysfd::lstat(r.as_bytes())
        } else {
            sysfd::stat(r.as_bytes())
        }
        .map_err(|e| {
            let mut msg = b"failed to get attributes of ".to_vec();
            msg.extend_from_slice(&quote::quote_always(r.as_bytes()));
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            Error::new(1, msg)
        })?;
        times = Some([
            (st.st_atime, st.st_atime_nsec as u32),
            (st.st_mtime, st.st_mtime_nsec as u32),
        ]);
    }
    if let Some(d) = m.last("date") {
        let referenced = times.is_some();
        let bases = times.unwrap_or([now(); 2]);
        let mut t = [(0, 0); 2];
        for (k, base) in bases.iter().enumerate() {
            t[k] = datetime::parse(d.as_bytes(), *base, &zone)
                .ok_or_else(|| invalid_format(d.as_bytes()))?;
        }
        times = Some(t);
        // A date that is whatever "now" is (`-d now`, `-d today`) sets the current time as
        // plain `touch` does (UTIME_NOW), so a writable file of another owner can be touched,
        // as GNU: told by parsing it against another "now".
        if !referenced {
            let other = (bases[0].0 ^ 1, bases[0].1);
            if datetime::parse(d.as_bytes(), other, &zone) == Some(other) {
                times = None;
            }
        }
    }
    if let Some(s) = m.last("t") {
        let t = datetime::posix_stamp(s.as_bytes(), true, now(), &zone)
            .ok_or_else(|| invalid_format(s.as_bytes()))?;
        times = Some([t, t]);
    }
    let mut files = &m.operands[..];
    let date_set = times.is_some() || m.flag("t") || m.flag("reference");
    if !date_set && files.len() >= 2 && args::posix2_version() < 200112 {
        if let Some(t) = obsolete_stamp(files[0].as_bytes(), &zone) {
            if std::env::var_os("POSIXLY_CORRECT").is_none() {
                let tm = zone.to_tm(t.0);
                let mut msg = b"warning: 'touch ".to_vec();
                msg.extend_from_slice(files[0].as_bytes());
                msg.extend_from_slice(
                    format!(
                        "' is obsolete; use 'touch -t {:04}{:02}{:02}{:02}{:02}.{:02}'",
                        tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec
                    )
                    .as_bytes(),
                );
                ctx.msg(&msg);
            }
            times = Some([t, t]);
            files = &files[1..];
        }
    }
    if files.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing file operand", 1));
    }
    let pick = |on: bool, k: usize| match (on, times) {
        (false, _) => Time::Omit,
        (true, None) => Time::Now,
        (true, Some(t)) => Time::At(t[k].0, t[k].1),
    };
    let ts = [pick(atime, 0), pick(mtime, 1)];
    let no_create = m.flag("no-create");
    let nofollow = m.flag("no-dereference");
    for f in files {
        let name = f.as_bytes();
        let r = if name == b"-" {
            futimens(crate::common::io::stdout_fd(), ts).map_err(|e| (false, e))
        } else {
            touch_one(name, ts, no_create, nofollow)
        };
        match r {
            Ok(()) => {}
            Err((_, e)) if no_create && e.raw_os_error() == Some(libc::ENOENT) => {}
            Err((opened, e)) => {
                let mut msg = if opened {
                    b"cannot touch ".to_vec()
                } else {
                    b"setting times of ".to_vec()
                };
                msg.extend_from_slice(&quote::quote_always(name));
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.error(1, &msg);
            }
        }
    }
    Ok(())
}

/// `MMDDhhmm[YY]`, the time stamp operand before POSIX.1-2001, its year 1969-1999.
fn obsolete_stamp(s: &[u8], zone: &Zone) -> Option<(i64, u32)> {
    let digits = (s.len() == 8 || s.len() == 10) && s.iter().all(u8::is_ascii_digit);
    if !digits || s.len() == 10 && &s[8..] < b"69" {
        return None;
    }
    datetime::posix_stamp(s, false, now(), zone).map(|t| (t.0, 0))
}

/// Create when allowed, then set the times. `Err((true, e))`: the open failed with `e` (GNU
/// reports that one); `Err((false, e))`: setting the times did.
fn touch_one(
    name: &[u8],
    ts: [Time; 2],
    no_create: bool,
    nofollow: bool,
) -> std::result::Result<(), (bool, std::io::Error)> {
    let mut open_err = None;
    if !no_create && !nofollow {
        let flags =
            libc::O_WRONLY | libc::O_CREAT | libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC;
        match sysfd::open(name, flags, 0o666) {
            Ok(fd) => {
                use std::os::fd::AsFd;
                return futimens(fd.as_fd(), ts).map_err(|e| (false, e));
            }
            Err(e) => open_err = Some(e),
        }
    }
    let flags = if nofollow {
        libc::AT_SYMLINK_NOFOLLOW
    } else {
        0
    };
    match utimensat(sysfd::cwd(), name, ts, flags) {
        Ok(()) => Ok(()),
        // An open refused with EISDIR says nothing of the times (`touch new/`: GNU reports
        // the times' ENOENT).
        Err(e) => match open_err {
            Some(oe) if oe.raw_os_error() != Some(libc::EISDIR) => Err((true, oe)),
            _ => Err((false, e)),
        },
    }
}
