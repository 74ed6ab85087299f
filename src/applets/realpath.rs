//! `realpath`: print the resolved absolute file name.
//!
//! GNU coreutils 9 `realpath`: by default all but the last component must exist; `-e`
//! (all), `-m` (none), `-L`/`--logical` (`..` resolved before symlinks), `-P`/`--physical`
//! (the default), `-s`/`--strip`/`--no-symlinks`, `-z`/`--zero`, `-q`/`--quiet`,
//! `--relative-to=DIR` and `--relative-base=DIR` with GNU's rules (a path outside the base is
//! printed absolute; a `--relative-to` outside the base is dropped). One canonicalizer:
//! `common::path`. Messages (`realpath: x: No such file or directory`) and statuses as GNU.
//! Deviation: none known.

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::path::{absolute_lexical, canonicalize, is_prefix, relative, Missing};
use crate::common::sys::fd as sfd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("e", Some(b'e'), Some("canonicalize-existing")),
        Opt::flag("m", Some(b'm'), Some("canonicalize-missing")),
        Opt::flag("L", Some(b'L'), Some("logical")),
        Opt::flag("P", Some(b'P'), Some("physical")),
        Opt::flag("quiet", Some(b'q'), Some("quiet")),
        Opt::arg("relative-base", None, Some("relative-base")),
        Opt::arg("relative-to", None, Some("relative-to")),
        Opt::flag("strip", Some(b's'), Some("strip")),
        Opt::flag("strip", None, Some("no-symlinks")),
        Opt::flag("zero", Some(b'z'), Some("zero")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: realpath [OPTION]... FILE...
Print the resolved absolute file name;
all but the last component must exist

  -e, --canonicalize-existing  all components of the path must exist
  -m, --canonicalize-missing   no path components need exist or be a directory
  -L, --logical                resolve '..' components before symlinks
  -P, --physical               resolve symlinks as encountered (default)
  -q, --quiet                  suppress most error messages
      --relative-to=DIR        print the resolved path relative to DIR
      --relative-base=DIR      print absolute paths unless paths below DIR
  -s, --strip, --no-symlinks   don't expand symlinks
  -z, --zero                   end each output line with NUL, not newline
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

struct How {
    missing: Missing,
    logical: bool,
    links: bool,
}

impl How {
    fn canon(&self, name: &[u8]) -> io::Result<Vec<u8>> {
        if self.logical {
            let mut lex = absolute_lexical(name)?;
            // A name ending in `/` or `/.` still asks for a directory.
            if (name.ends_with(b"/") || name.ends_with(b"/.")) && lex != b"/" {
                lex.push(b'/');
            }
            canonicalize(&lex, self.missing, self.links)
        } else {
            canonicalize(name, self.missing, self.links)
        }
    }
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn fatal(ctx: &mut Ctx, name: &[u8], e: &io::Error) -> Error {
    ctx.error_file(1, OsStr::from_bytes(name), e);
    Error::silent(1)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", 1));
    }
    let missing = m
        .opts
        .iter()
        .rev()
        .find_map(|o| match o.0 {
            "e" => Some(Missing::None),
            "m" => Some(Missing::Any),
            _ => None,
        })
        .unwrap_or(Missing::Last);
    let logical = m
        .opts
        .iter()
        .rev()
        .find(|o| o.0 == "L" || o.0 == "P")
        .is_some_and(|o| o.0 == "L");
    let how = How {
        missing,
        logical,
        links: !m.flag("strip"),
    };
    let quiet = m.flag("quiet");
    let end = if m.flag("zero") { b'\0' } else { b'\n' };
    let need_dir = missing == Missing::None;
    let mut rel_to = m.last("relative-to").map(|s| s.as_bytes().to_vec());
    let rel_base = m.last("relative-base").map(|s| s.as_bytes().to_vec());
    if rel_base.is_some() && rel_to.is_none() {
        rel_to = rel_base.clone();
    }
    let canon_dir = |ctx: &mut Ctx, d: &[u8]| -> Result<Vec<u8>> {
        let c = how.canon(d).map_err(|e| fatal(ctx, d, &e))?;
        if need_dir && !sfd::stat(&c).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR) {
            return Err(fatal(ctx, d, &io::Error::from_raw_os_error(libc::ENOTDIR)));
        }
        Ok(c)
    };
    let mut can_to = match &rel_to {
        Some(d) => Some(canon_dir(ctx, d)?),
        None => None,
    };
    let mut can_base = None;
    if let Some(b) = &rel_base {
        if Some(b) == rel_to.as_ref() {
            can_base = can_to.clone();
        } else {
            let cb = canon_dir(ctx, b)?;
            if can_to.as_ref().is_some_and(|t| is_prefix(&cb, t)) {
                can_base = Some(cb);
            } else {
                can_base = can_to.take();
            }
        }
    }
    for f in &m.operands {
        let f = f.as_bytes();
        match how.canon(f) {
            Ok(c) => {
                let out = match (&can_to, &can_base) {
                    (Some(to), Some(base)) if is_prefix(base, &c) => relative(to, &c),
                    (Some(to), None) => relative(to, &c),
                    _ => c,
                };
                ctx.out.write_all(&out)?;
                ctx.out.byte(end)?;
            }
            Err(e) => {
                if quiet {
                    ctx.fail(1);
                } else {
                    ctx.error_file(1, OsStr::from_bytes(f), &e);
                }
            }
        }
    }
    Ok(())
}
