//! `printf`: format and print data (GNU coreutils 9).
//!
//! The format engine is the shell's (`common::printf`, GNU's dialect): every conversion
//! `%d %i %o %u %x %X %f %F %e %E %g %G %a %A %c %s %b %q %%`, flags `- + space # 0 '`,
//! widths and precisions (`*` from the arguments), length modifiers accepted and ignored, the
//! format reused while arguments remain, `\` escapes (`\NNN \xHH \uHHHH \UHHHHHHHH \c` ...),
//! `'c` character arguments, GNU's messages (`printf: 'x': expected a numeric value`,
//! `value not completely converted`, `Numerical result out of range`, `%z: invalid
//! conversion specification`, `warning: ignoring excess arguments, starting with 'x'`) and
//! statuses. A lone `--help`/`--version` is answered; a leading `--` is skipped.
//! Floating-point arguments are x87 long doubles, as GNU's (a software copy in the engine).
//! Deviation: widths and precisions above 16 Mi are cut to 16 Mi.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::help::{help_text, Help};
use crate::common::io::{stderr_fd, write_all};
use crate::common::printf::{printf, Dialect, End};
use crate::common::{args, Ctx, Error};

const USAGE: Help = help_text!(
    "\
Usage: printf FORMAT [ARGUMENT]...
  or:  printf OPTION
Print ARGUMENT(s) according to FORMAT, or execute according to OPTION:

      --help     display this help and exit
      --version  output version information and exit

FORMAT controls the output as in C printf.  Interpreted sequences are:

  \\\"      double quote
  \\\\      backslash
  \\a      alert (BEL)
  \\b      backspace
  \\c      produce no further output
  \\e      escape
  \\f      form feed
  \\n      new line
  \\r      carriage return
  \\t      horizontal tab
  \\v      vertical tab
  \\NNN    byte with octal value NNN (1 to 3 digits)
  \\xHH    byte with hexadecimal value HH (1 to 2 digits)
  \\uHHHH  Unicode (ISO/IEC 10646) character with hex value HHHH (4 digits)
  \\UHHHHHHHH  Unicode character with hex value HHHHHHHH (8 digits)
  %%      a single %
  %b      ARGUMENT as a string with '\\' escapes interpreted,
          except that octal escapes are of the form \\0 or \\0NNN
  %q      ARGUMENT is printed in a format that can be reused as shell input,
          escaping non-printable characters with the proposed POSIX $'' syntax.

and all C format specifications ending with one of diouxXfeEgGcs, with
ARGUMENTs converted to proper type first.  Variable widths are handled.
"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    if let Some(st) = args::lone_help_version(ctx, &argv, USAGE) {
        return st;
    }
    let mut a: Vec<&[u8]> = argv[1..].iter().map(|a| a.as_bytes()).collect();
    if a.first() == Some(&&b"--"[..]) {
        a.remove(0);
    }
    let Some((fmt, rest)) = a.split_first() else {
        ctx.msg(b"missing operand");
        ctx.try_help();
        return 1;
    };
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let name = ctx.name;
    // Messages go straight to stderr while output is still buffered, as with C's stdio.
    let mut diag = |m: &[u8]| {
        let line = [name.as_bytes(), b": ", m, b"\n"].concat();
        let _ = write_all(stderr_fd(), &line);
    };
    let mut werr = None;
    let mut flush = |o: &mut Vec<u8>| {
        if werr.is_none() {
            if let Err(e) = ctx.out.write_all(o) {
                werr = Some(e);
            }
        }
        o.clear();
    };
    let mut out = Vec::new();
    let end = printf(
        Dialect::Gnu,
        fmt,
        rest,
        posix,
        &mut out,
        &mut diag,
        &mut flush,
    );
    let st = match end {
        End::Done(s) | End::Stop(s) | End::Fatal(s) => s,
    };
    let r = match werr {
        Some(e) => Err(Error::write(&e)),
        None => Ok(()),
    };
    ctx.finish(r).max(st)
}
