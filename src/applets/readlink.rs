//! `readlink`: print the value of a symbolic link or a canonical file name.
//!
//! GNU coreutils 9 `readlink`: `-f`/`--canonicalize` (all but the last component must
//! exist), `-e`/`--canonicalize-existing`, `-m`/`--canonicalize-missing` through the one
//! canonicalizer (`common::path`), `-n`/`--no-newline` (ignored with a warning for several
//! operands, as GNU), `-z`/`--zero`, `-q`/`-s`/`--quiet`/`--silent` (the default) and
//! `-v`/`--verbose` (`readlink: f: Invalid argument`). Status 1 when any operand failed.
//! Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::path::{canonicalize, Missing};
use crate::common::sys::{fd as sfd, fs as sfs};
use crate::common::{Ctx, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("f", Some(b'f'), Some("canonicalize")),
        Opt::flag("e", Some(b'e'), Some("canonicalize-existing")),
        Opt::flag("m", Some(b'm'), Some("canonicalize-missing")),
        Opt::flag("no-newline", Some(b'n'), Some("no-newline")),
        Opt::flag("quiet", Some(b'q'), Some("quiet")),
        Opt::flag("quiet", Some(b's'), Some("silent")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("zero", Some(b'z'), Some("zero")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: readlink [OPTION]... FILE...
Print value of a symbolic link or canonical file name

  -f, --canonicalize            canonicalize by following every symlink in
                                every component of the given name recursively;
                                all but the last component must exist
  -e, --canonicalize-existing   canonicalize by following every symlink in
                                every component of the given name recursively,
                                all components must exist
  -m, --canonicalize-missing    canonicalize by following every symlink in
                                every component of the given name recursively,
                                without requirements on components existence
  -n, --no-newline              do not output the trailing delimiter
  -q, --quiet
  -s, --silent                  suppress most error messages (on by default)
  -v, --verbose                 report error messages
  -z, --zero                    end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit
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
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", 1));
    }
    let mode = m.opts.iter().rev().find_map(|o| match o.0 {
        "f" => Some(Missing::Last),
        "e" => Some(Missing::None),
        "m" => Some(Missing::Any),
        _ => None,
    });
    let verbose = m
        .opts
        .iter()
        .rev()
        .find(|o| o.0 == "quiet" || o.0 == "verbose")
        .is_some_and(|o| o.0 == "verbose");
    let mut newline = !m.flag("no-newline");
    if !newline && m.operands.len() > 1 {
        ctx.msg(b"ignoring --no-newline with multiple arguments");
        newline = true;
    }
    let end = if m.flag("zero") { b'\0' } else { b'\n' };
    for f in &m.operands {
        let f = f.as_bytes();
        let r = match mode {
            Some(mode) => canonicalize(f, mode, true),
            None => sfs::readlinkat(sfd::cwd(), f, 64),
        };
        match r {
            Ok(v) => {
                ctx.out.write_all(&v)?;
                if newline {
                    ctx.out.byte(end)?;
                }
            }
            Err(e) => {
                if verbose {
                    ctx.error_file(1, std::ffi::OsStr::from_bytes(f), &e);
                } else {
                    ctx.fail(1);
                }
            }
        }
    }
    Ok(())
}
