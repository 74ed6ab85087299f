//! `test` and `[`: evaluate an expression (GNU coreutils 9).
//!
//! The evaluator is the shell's (`common::test`, GNU's dialect): POSIX's rules by argument
//! count, `! -a -o ( )`, every file, string and integer primary, `-nt -ot -ef`, `-l STRING`.
//! `[` requires the closing `]` (`[: missing ']'`) and answers a lone `--help`/`--version`;
//! `test` treats them as strings, as POSIX requires. Status 0 true, 1 false, 2 error
//! (`test: invalid integer 'abc'`, coreutils 9.1's wording).

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::help::{help_text, Help};
use crate::common::test::{eval, eval_bracket, Dialect};
use crate::common::{args, Ctx};

const USAGE: Help = help_text!(
    "\
Usage: test EXPRESSION
  or:  test
  or:  [ EXPRESSION ]
  or:  [ ]
  or:  [ OPTION
Exit with the status determined by EXPRESSION.

      --help        display this help and exit
      --version     output version information and exit

An omitted EXPRESSION defaults to false.  Otherwise,
EXPRESSION is true or false and sets exit status.  It is one of:

  ( EXPRESSION )               EXPRESSION is true
  ! EXPRESSION                 EXPRESSION is false
  EXPRESSION1 -a EXPRESSION2   both EXPRESSION1 and EXPRESSION2 are true
  EXPRESSION1 -o EXPRESSION2   either EXPRESSION1 or EXPRESSION2 is true

  -n STRING            the length of STRING is nonzero
  STRING               equivalent to -n STRING
  -z STRING            the length of STRING is zero
  STRING1 = STRING2    the strings are equal
  STRING1 != STRING2   the strings are not equal

  INTEGER1 -eq INTEGER2   INTEGER1 is equal to INTEGER2
  INTEGER1 -ge INTEGER2   INTEGER1 is greater than or equal to INTEGER2
  INTEGER1 -gt INTEGER2   INTEGER1 is greater than INTEGER2
  INTEGER1 -le INTEGER2   INTEGER1 is less than or equal to INTEGER2
  INTEGER1 -lt INTEGER2   INTEGER1 is less than INTEGER2
  INTEGER1 -ne INTEGER2   INTEGER1 is not equal to INTEGER2

  FILE1 -ef FILE2   FILE1 and FILE2 have the same device and inode numbers
  FILE1 -nt FILE2   FILE1 is newer (modification date) than FILE2
  FILE1 -ot FILE2   FILE1 is older than FILE2

  -b FILE     FILE exists and is block special
  -c FILE     FILE exists and is character special
  -d FILE     FILE exists and is a directory
  -e FILE     FILE exists
  -f FILE     FILE exists and is a regular file
  -g FILE     FILE exists and is set-group-ID
  -G FILE     FILE exists and is owned by the effective group ID
  -h FILE     FILE exists and is a symbolic link (same as -L)
  -k FILE     FILE exists and has its sticky bit set
  -L FILE     FILE exists and is a symbolic link (same as -h)
  -N FILE     FILE exists and has been modified since it was last read
  -O FILE     FILE exists and is owned by the effective user ID
  -p FILE     FILE exists and is a named pipe
  -r FILE     FILE exists and the user has read access
  -s FILE     FILE exists and has a size greater than zero
  -S FILE     FILE exists and is a socket
  -t FD       file descriptor FD is opened on a terminal
  -u FILE     FILE exists and its set-user-ID bit is set
  -w FILE     FILE exists and the user has write access
  -x FILE     FILE exists and the user has execute (or search) access
"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let bracket = ctx.name == "[";
    if bracket {
        if let Some(st) = args::lone_help_version(ctx, &argv, USAGE) {
            return st;
        }
    }
    let a: Vec<&[u8]> = argv[1..].iter().map(|a| a.as_bytes()).collect();
    let r = if bracket {
        eval_bracket(&a, Dialect::Gnu)
    } else {
        eval(&a, Dialect::Gnu)
    };
    match r {
        Ok(v) => i32::from(!v),
        Err(m) => {
            ctx.msg(&m);
            2
        }
    }
}
