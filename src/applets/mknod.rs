//! `mknod`: make block or character special files, or FIFOs.
//!
//! GNU coreutils 9 `mknod NAME TYPE [MAJOR MINOR]`: types `b`, `c`/`u`, `p`; device numbers
//! in decimal, octal (`0…`) or hex (`0x…`); `-m`/`--mode` (relative to `a=rw`, set exactly
//! after creation; only permission bits); `-Z`/`--context` accepted (no SELinux). GNU's
//! operand-count messages ("Special files require major and minor device numbers.").
//! Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::node_mode_opt;
use crate::common::help::help_text;
use crate::common::quote::quote_always;
use crate::common::sys::{fd as sfd, fs as sfs};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::optional("context", None, Some("context")),
        Opt::arg("mode", Some(b'm'), Some("mode")),
        Opt::flag("Z", Some(b'Z'), None),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: mknod [OPTION]... NAME TYPE [MAJOR MINOR]
Create the special file NAME of the given TYPE.

Mandatory arguments to long options are mandatory for short options too.
  -m, --mode=MODE    set file permission bits to MODE, not a=rw - umask
  -Z                   set the SELinux security context to default type (ignored)
      --context[=CTX]  like -Z, or set the context to CTX (ignored)
      --help        display this help and exit
      --version     output version information and exit

Both MAJOR and MINOR must be specified when TYPE is b, c, or u, and they
must be omitted when TYPE is p.  MAJOR and MINOR are interpreted as
hexadecimal when they begin with 0x or 0X, as octal when they begin with 0,
otherwise as decimal.  TYPE may be:

  b      create a block (buffered) special file
  c, u   create a character (unbuffered) special file
  p      create a FIFO
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn with_quoted(what: &str, s: &[u8]) -> Vec<u8> {
    let mut m = what.as_bytes().to_vec();
    m.push(b' ');
    m.extend_from_slice(&quote_always(s));
    m
}

/// strtoumax with base 0, as xstrtoumax(s, NULL, 0, ...) with no suffixes.
fn device_number(s: &[u8]) -> Option<u32> {
    let s = s.trim_ascii_start();
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let (digits, radix) = if let Some(h) = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X")) {
        (h, 16)
    } else if s.len() > 1 && s[0] == b'0' {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    m.warn_context(ctx, "SELinux/SMACK");
    let mode = node_mode_opt(ctx, m.last("mode"))?;
    let ops: Vec<&[u8]> = m.operands.iter().map(|o| o.as_bytes()).collect();
    let expected = if ops.is_empty() || ops.get(1).is_some_and(|t| t.first() == Some(&b'p')) {
        2
    } else {
        4
    };
    if ops.len() < expected {
        let msg = match ops.last() {
            None => b"missing operand".to_vec(),
            Some(l) => with_quoted("missing operand after", l),
        };
        ctx.msg(&msg);
        if expected == 4 && ops.len() == 2 {
            let _ = crate::common::io::write_all(
                crate::common::io::stderr_fd(),
                b"Special files require major and minor device numbers.\n",
            );
        }
        ctx.try_help();
        return Err(Error::silent(1));
    }
    if ops.len() > expected {
        ctx.msg(&with_quoted("extra operand", ops[expected]));
        if expected == 2 && ops.len() == 4 {
            let _ = crate::common::io::write_all(
                crate::common::io::stderr_fd(),
                b"Fifos do not have major and minor device numbers.\n",
            );
        }
        ctx.try_help();
        return Err(Error::silent(1));
    }
    let name = ops[0];
    let perm = mode.unwrap_or(0o666);
    let r = match ops[1].first() {
        Some(c @ (b'b' | b'c' | b'u')) => {
            let Some(major) = device_number(ops[2]) else {
                ctx.msg(&with_quoted("invalid major device number", ops[2]));
                return Err(Error::silent(1));
            };
            let Some(minor) = device_number(ops[3]) else {
                ctx.msg(&with_quoted("invalid minor device number", ops[3]));
                return Err(Error::silent(1));
            };
            let kind = if *c == b'b' {
                libc::S_IFBLK
            } else {
                libc::S_IFCHR
            };
            sfs::mknodat(sfd::cwd(), name, perm | kind, sfs::makedev(major, minor))
        }
        Some(b'p') => sfs::mkfifoat(sfd::cwd(), name, perm),
        _ => {
            return Err(args::usage_error(
                ctx,
                &SPEC,
                &with_quoted("invalid device type", ops[1]),
                1,
            ))
        }
    };
    if let Err(e) = r {
        ctx.error_file(1, std::ffi::OsStr::from_bytes(name), &e);
        return Ok(());
    }
    if let Some(md) = mode {
        if let Err(e) = sfs::fchmodat(sfd::cwd(), name, md, 0) {
            ctx.error_quoted(1, "cannot set permissions of", name, &e);
        }
    }
    Ok(())
}
