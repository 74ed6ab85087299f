//! `echo`: print the arguments (GNU coreutils 9).
//!
//! GNU's rules: leading arguments made only of the letters `n`, `e`, `E` after a dash are
//! options (`-n` no newline, `-e` backslash escapes, `-E` none, the default); anything else,
//! `--` included, is printed. A lone `--help` or `--version` is answered. Escapes with `-e`:
//! `\\ \a \b \c \e \f \n \r \t \v`, `\0NNN`, `\NNN`, `\xHH`; `\c` ends all output.
//! With `POSIXLY_CORRECT` set, options are only recognised when the first argument is exactly
//! `-n`, and escapes are always interpreted (as GNU). The escapes are the shell's
//! (`common::printf`), in GNU's dialect. Write errors: `echo: write error: ...`, status 1.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::help::{help_text, Help};
use crate::common::printf::{echo_escapes, Dialect};
use crate::common::{args, Ctx, Error};

const USAGE: Help = help_text!(
    "\
Usage: echo [SHORT-OPTION]... [STRING]...
  or:  echo LONG-OPTION
Echo the STRING(s) to standard output.

  -n             do not output the trailing newline
  -e             enable interpretation of backslash escapes
  -E             disable interpretation of backslash escapes (default)
      --help     display this help and exit
      --version  output version information and exit
"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let allow_options = !posix || argv.get(1).is_some_and(|a| a.as_bytes() == b"-n");
    if allow_options {
        if let Some(st) = args::lone_help_version(ctx, &argv, USAGE) {
            return st;
        }
    }
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    if allow_options {
        while let Some(a) = argv.get(i).map(|a| a.as_bytes()) {
            let letters = match a {
                [b'-', rest @ ..] if !rest.is_empty() => rest,
                _ => break,
            };
            if !letters.iter().all(|c| matches!(c, b'n' | b'e' | b'E')) {
                break;
            }
            for &c in letters {
                match c {
                    b'n' => newline = false,
                    b'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        }
    }
    let mut out = Vec::with_capacity(256);
    let mut whole = true;
    for (k, a) in argv[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        let a = a.as_bytes();
        if (escapes || posix) && a.contains(&b'\\') {
            if !echo_escapes(a, &mut out, Dialect::Gnu) {
                whole = false;
                break;
            }
        } else {
            out.extend_from_slice(a);
        }
    }
    if whole && newline {
        out.push(b'\n');
    }
    let r = ctx.out.write_all(&out).map_err(|e| Error::write(&e));
    ctx.finish(r)
}
