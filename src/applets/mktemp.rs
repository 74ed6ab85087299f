//! `mktemp`: create a temporary file or directory, safely, and print its name.
//!
//! GNU coreutils 9: TEMPLATE with at least 3 consecutive `X`s at the end of its last component
//! (or before `--suffix`), replaced by random letters and digits (getrandom(2)); the default
//! `tmp.XXXXXXXXXX` in `$TMPDIR` or `/tmp`; `-d` (mkdir 0700), `-u` (name only), `-q`, `-p DIR`
//! / `--tmpdir[=DIR]` (DIR, else `$TMPDIR`, else `/tmp`), `-t` (`$TMPDIR` first, the template a
//! single component), `--suffix=SUFF`. Files are created with O_EXCL and mode 0600 (minus the
//! umask), so an existing name (or a planted symlink) is never opened; a name that could not be
//! printed is removed again. Messages and exit status as GNU. Deviation: none known.

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::fs::last_component;
use crate::common::help::help_text;
use crate::common::quote::quote_always;
use crate::common::sys::{cwd, fd as sysfd, fs as sysfs, net};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("directory", Some(b'd'), Some("directory")),
        Opt::flag("quiet", Some(b'q'), Some("quiet")),
        Opt::flag("dry-run", Some(b'u'), Some("dry-run")),
        Opt::arg("suffix", None, Some("suffix")),
        Opt::arg("tmpdir", Some(b'p'), None),
        Opt::optional("tmpdir", None, Some("tmpdir")),
        Opt::flag("t", Some(b't'), None),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: mktemp [OPTION]... [TEMPLATE]
Create a temporary file or directory, safely, and print its name.
TEMPLATE must contain at least 3 consecutive 'X's in last component.
If TEMPLATE is not specified, use tmp.XXXXXXXXXX, and --tmpdir is implied.
Files are created u+rw, and directories u+rwx, minus umask restrictions.

  -d, --directory     create a directory, not a file
  -u, --dry-run       do not create anything; merely print a name (unsafe)
  -q, --quiet         suppress diagnostics about file/dir-creation failure
      --suffix=SUFF   append SUFF to TEMPLATE; SUFF must not contain a slash.
                        This option is implied if TEMPLATE does not end in X
  -p DIR, --tmpdir[=DIR]  interpret TEMPLATE relative to DIR; if DIR is not
                        specified, use $TMPDIR if set, else /tmp.  With
                        this option, TEMPLATE must not be an absolute name;
                        unlike with -t, TEMPLATE may contain slashes, but
                        mktemp creates only the final component
  -t                  interpret TEMPLATE as a single file name component,
                        relative to a directory: $TMPDIR, if set; else the
                        directory specified via -p; else /tmp [deprecated]
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// `fatal: 'quoted'` as GNU's die() words it.
fn die(what: &str, name: &[u8], after: &str) -> Error {
    let mut msg = what.as_bytes().to_vec();
    msg.extend_from_slice(&quote_always(name));
    msg.extend_from_slice(after.as_bytes());
    Error::new(1, msg)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let dir_mode = m.flag("directory");
    let quiet = m.flag("quiet");
    let dry = m.flag("dry-run");
    let t_opt = m.flag("t");
    let mut use_dest = t_opt || m.flag("tmpdir");
    let dest_arg: Option<Vec<u8>> = m
        .opts
        .iter()
        .rev()
        .find(|o| o.0 == "tmpdir")
        .and_then(|o| o.1.as_ref())
        .map(|v| v.as_bytes().to_vec());
    if m.operands.len() >= 2 {
        return Err(args::usage_error(ctx, &SPEC, b"too many templates", 1));
    }
    let mut template = match m.operands.first() {
        Some(t) => t.as_bytes().to_vec(),
        None => {
            use_dest = true;
            b"tmp.XXXXXXXXXX".to_vec()
        }
    };
    let suffix_len = match m.last("suffix") {
        Some(s) => {
            if template.last() != Some(&b'X') {
                return Err(die("with --suffix, template ", &template, " must end in X"));
            }
            template.extend_from_slice(s.as_bytes());
            s.len()
        }
        None => match template.iter().rposition(|&b| b == b'X') {
            Some(p) => template.len() - p - 1,
            None => 0,
        },
    };
    let stem = template.len() - suffix_len;
    let suffix = &template[stem..];
    if !suffix.is_empty() && last_component(suffix) != 0 {
        return Err(die(
            "invalid suffix ",
            suffix,
            ", contains directory separator",
        ));
    }
    let x_count = template[..stem]
        .iter()
        .rev()
        .take_while(|&&b| b == b'X')
        .count();
    if x_count < 3 {
        return Err(die("too few X's in template ", &template, ""));
    }
    if use_dest {
        let env = std::env::var_os("TMPDIR")
            .map(|v| v.as_bytes().to_vec())
            .filter(|v| !v.is_empty());
        let arg = dest_arg.filter(|v| !v.is_empty());
        let dir = if t_opt {
            if last_component(&template) != 0 {
                return Err(die(
                    "invalid template, ",
                    &template,
                    ", contains directory separator",
                ));
            }
            env.or(arg)
        } else {
            if template.first() == Some(&b'/') {
                return Err(die(
                    "invalid template, ",
                    &template,
                    "; with --tmpdir, it may not be absolute",
                ));
            }
            arg.or(env)
        }
        .unwrap_or_else(|| b"/tmp".to_vec());
        template = concat(&dir, &template);
    }
    let mut name = template.clone();
    let end = name.len() - suffix_len;
    if let Err(e) = create(&mut name, end - x_count..end, dir_mode, dry) {
        if !quiet {
            let what = if dir_mode {
                "failed to create directory via template "
            } else {
                "failed to create file via template "
            };
            let mut msg = what.as_bytes().to_vec();
            msg.extend_from_slice(&quote_always(&template));
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            ctx.msg(&msg);
        }
        return Err(Error::silent(1));
    }
    name.push(b'\n');
    let r = ctx.out.write_all(&name).and_then(|_| ctx.out.flush());
    if let Err(e) = r {
        name.pop();
        if !dry {
            let flag = if dir_mode { libc::AT_REMOVEDIR } else { 0 };
            let _ = sysfs::unlinkat(cwd(), &name, flag);
        }
        if quiet || e.kind() == io::ErrorKind::BrokenPipe {
            return Err(Error::silent(1));
        }
        return Err(Error::io(1, "write error", &e));
    }
    Ok(())
}

/// gnulib's file_name_concat: DIR's trailing slashes become one separator.
fn concat(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut end = dir.len();
    while end > 1 && dir[end - 1] == b'/' {
        end -= 1;
    }
    let mut v = dir[..end].to_vec();
    if v.last() != Some(&b'/') {
        v.push(b'/');
    }
    v.extend_from_slice(name);
    v
}

const LETTERS: &[u8; 62] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// gnulib's gen_tempname: fill `name[xs]` (the X's) with random letters and digits and try to
/// make the file (O_EXCL, 0600), the directory (0700) or, for a dry run, find a free name; a
/// name in use is retried with fresh letters.
fn create(name: &mut [u8], xs: std::ops::Range<usize>, dir: bool, dry: bool) -> io::Result<()> {
    let mut rnd = vec![0u8; xs.len()];
    // 62^3 attempts, as glibc: only a full directory exhausts them.
    for _ in 0..238_328u32 {
        net::getrandom(&mut rnd)?;
        for (i, r) in rnd.iter().enumerate() {
            // 248 = 4 * 62: rejecting the top bytes keeps every letter equally likely.
            let mut b = *r;
            while b >= 248 {
                let mut one = [0u8; 1];
                net::getrandom(&mut one)?;
                b = one[0];
            }
            name[xs.start + i] = LETTERS[(b % 62) as usize];
        }
        let r = if dry {
            match sysfd::lstat(name) {
                Ok(_) => Err(io::Error::from_raw_os_error(libc::EEXIST)),
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(()),
                Err(e) => Err(e),
            }
        } else if dir {
            sysfs::mkdirat(cwd(), name, 0o700)
        } else {
            sysfd::open(
                name,
                libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
                0o600,
            )
            .map(drop)
        };
        match r {
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => continue,
            r => return r,
        }
    }
    Err(io::Error::from_raw_os_error(libc::EEXIST))
}
