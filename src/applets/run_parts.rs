//! `run-parts`: run the executable files of a directory, in name order.
//!
//! Debian's run-parts (debianutils 5), as entrypoints call it (`run-parts --verbose
//! /docker-entrypoint.d`, `run-parts --exit-on-error DIR`): the files whose names are made of
//! `A-Z a-z 0-9 _ -` only (or match `--regex=ERE` anywhere in the name), sorted bytewise
//! (`--reverse` backwards), that are executable regular files after following symlinks;
//! each runs with the `--arg`s, umask 022 (`--umask`), and stdin, stdout and stderr shared.
//! A script that fails is reported (`run-parts: DIR/x exited with return code 3`, `... exited
//! because of uncaught signal 15`) and the rest still run, unless `--exit-on-error`; the
//! status is 1 if any failed. `--test` prints what would run, `--list` every valid name.
//! Deviations: `--report`, `--stdin`, `--lsbsysinit`, `--new-session` and `-d` are not implemented (Debian
//! copies each script's output through pipes for `--report`; rbox passes it straight on).

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::exec::{self, Io};
use crate::common::help::{help_text, Help};
use crate::common::io::{stderr_fd, write_all};
use crate::common::regex::{Flags, Regex};
use crate::common::sys::process;
use crate::common::{ctx::strerror, Ctx, Error, Result};

static OPTS: &[Opt] = &[
    Opt::flag("test", None, Some("test")),
    Opt::flag("list", None, Some("list")),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("reverse", None, Some("reverse")),
    Opt::flag("exit-on-error", None, Some("exit-on-error")),
    Opt::arg("regex", None, Some("regex")),
    Opt::arg("umask", Some(b'u'), Some("umask")),
    Opt::arg("arg", Some(b'a'), Some("arg")),
    Opt::flag("version", Some(b'V'), Some("version")),
    Opt::flag("help", Some(b'h'), Some("help")),
];

const USAGE: Help = help_text!(
    "\
Usage: run-parts [OPTION]... DIRECTORY
      --test          print script names which would run, but don't run them.
      --list          print names of all valid files (can not be used with
                      --test)
  -v, --verbose       print script names before running them.
      --reverse       reverse execution order of scripts.
      --exit-on-error exit as soon as a script returns with a non-zero exit
                      code.
      --regex=PATTERN validate filenames based on POSIX ERE pattern PATTERN.
  -u, --umask=UMASK   sets umask to UMASK (octal), default is 022.
  -a, --arg=ARGUMENT  pass ARGUMENT to scripts, use once for each argument.
  -V, --version       output version information and exit.
  -h, --help          display this help and exit.
"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// Debian's usage errors: glibc's message, then its own (backquoted) hint, status 1.
fn usage(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    let _ = write_all(
        stderr_fd(),
        b"Try `run-parts --help' for more information.\n",
    );
    Error::silent(1)
}

#[derive(Default)]
struct Opts {
    test: bool,
    list: bool,
    verbose: bool,
    reverse: bool,
    exit_on_error: bool,
    regex: Option<Regex>,
    umask: u32,
    args: Vec<OsString>,
}

/// The default name rule: letters, digits, `_` and `-`, nothing else (so no `x.sh`, no
/// `x.dpkg-old`, no dot files).
fn valid_name(o: &Opts, name: &[u8]) -> bool {
    match &o.regex {
        Some(re) => re.is_match(name),
        None => {
            !name.is_empty()
                && name
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        }
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut o = Opts {
        umask: 0o022,
        ..Opts::default()
    };
    let mut dirs = Vec::new();
    for a in Getopt::new(&argv, OPTS, Order::Permute) {
        let (opt, v) = match a {
            Err(m) => return Err(usage(ctx, &m)),
            Ok(Arg::Operand(d)) => {
                dirs.push(d);
                continue;
            }
            Ok(Arg::Opt(opt, v)) => (opt, v.unwrap_or_default()),
        };
        match Id::of(opt.id().as_bytes()) {
            Some(Id::Help) => {
                ctx.out.write_all(&USAGE.bytes())?;
                return Ok(());
            }
            Some(Id::Version) => {
                let v = format!("run-parts (rbox) {}\n", env!("CARGO_PKG_VERSION"));
                ctx.out.write_all(v.as_bytes())?;
                return Ok(());
            }
            Some(Id::Test) => o.test = true,
            Some(Id::List) => o.list = true,
            Some(Id::Verbose) => o.verbose = true,
            Some(Id::Reverse) => o.reverse = true,
            Some(Id::ExitOnError) => o.exit_on_error = true,
            Some(Id::Regex) => {
                match Regex::new(v.as_bytes(), Flags(Flags::EXTENDED | Flags::NOSUB)) {
                    Ok(re) => o.regex = Some(re),
                    Err(e) => {
                        return Err(Error::new(1, format!("regex: {e}")));
                    }
                }
            }
            Some(Id::Umask) => {
                let s = v.as_bytes();
                match std::str::from_utf8(s)
                    .ok()
                    .and_then(|t| u32::from_str_radix(t, 8).ok())
                {
                    Some(m) if !s.is_empty() && m <= 0o777 => o.umask = m,
                    _ => return Err(Error::new(1, "bad umask value")),
                }
            }
            _ => o.args.push(v),
        }
    }
    if o.test && o.list {
        return Err(usage(ctx, b"--list and --test can not be used together"));
    }
    // Debian says `missing operand` for two directories too.
    if dirs.len() != 1 {
        return Err(usage(ctx, b"missing operand"));
    }
    let dir = dirs.pop().expect("one").into_vec();
    let mut names: Vec<Vec<u8>> = match std::fs::read_dir(std::ffi::OsStr::from_bytes(&dir)) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().into_vec())
            .collect(),
        Err(e) => {
            let mut m = b"failed to open directory ".to_vec();
            m.extend_from_slice(&dir);
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(&e).as_bytes());
            return Err(Error::new(1, m));
        }
    };
    crate::common::sort::sort(&mut names);
    if o.reverse {
        names.reverse();
    }
    process::umask(o.umask);
    let mut failed = false;
    for name in names {
        if !valid_name(&o, &name) {
            continue;
        }
        // DIR/NAME even when DIR ends in `/`, as Debian prints it.
        let mut path = dir.clone();
        path.push(b'/');
        path.extend_from_slice(&name);
        let p = std::path::Path::new(std::ffi::OsStr::from_bytes(&path));
        // Regular files (after symlinks); directories and the rest are passed over quietly.
        if !std::fs::metadata(p).is_ok_and(|m| m.is_file()) {
            continue;
        }
        if o.list {
            let mut l = path.clone();
            l.push(b'\n');
            ctx.out.write_all(&l)?;
            continue;
        }
        let runnable = crate::common::sys::fd::access(&path, libc::X_OK);
        if !runnable {
            continue;
        }
        if o.test {
            let mut l = path.clone();
            l.push(b'\n');
            ctx.out.write_all(&l)?;
            continue;
        }
        if o.verbose {
            ctx.out.flush()?;
            // Debian names the arguments too: `executing DIR/x ARG...`.
            let mut m = b"executing ".to_vec();
            m.extend_from_slice(&path);
            for a in &o.args {
                m.push(b' ');
                m.extend_from_slice(a.as_bytes());
            }
            ctx.msg(&m);
        }
        ctx.out.flush()?;
        let mut argv = vec![path.clone()];
        argv.extend(o.args.iter().map(|a| a.as_bytes().to_vec()));
        let ran = exec::spawn(Some(&path), &argv, None, Io::Inherit, Io::Inherit);
        let what = match ran.and_then(|mut c| c.wait()) {
            Ok(st) => match (st.exit_code(), st.term_signal()) {
                (Some(0), _) => None,
                (Some(c), _) => Some(format!("exited with return code {c}")),
                (None, Some(s)) => Some(format!("exited because of uncaught signal {s}")),
                (None, None) => Some("exited abnormally".to_string()),
            },
            Err(e) => {
                // Debian's child reports the failed exec and exits 1.
                let mut m = b"failed to exec ".to_vec();
                m.extend_from_slice(&path);
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                Some("exited with return code 1".to_string())
            }
        };
        if let Some(w) = what {
            let mut m = path.clone();
            m.push(b' ');
            m.extend_from_slice(w.as_bytes());
            ctx.msg(&m);
            failed = true;
            if o.exit_on_error {
                break;
            }
        }
    }
    if failed {
        return Err(Error::silent(1));
    }
    Ok(())
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Help = "help",
        Version = "version",
        Test = "test",
        List = "list",
        Verbose = "verbose",
        Reverse = "reverse",
        ExitOnError = "exit-on-error",
        Regex = "regex",
        Umask = "umask",
    }
}
