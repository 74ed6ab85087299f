//! `false`: do nothing, unsuccessfully (GNU coreutils 9): status 1 whatever the arguments;
//! a lone `--help` or `--version` (exactly) is answered and the status is still 1.

use std::ffi::OsString;

use crate::common::help::{help_text, Help};
use crate::common::{args, Ctx};

const USAGE: Help = help_text!(
    "\
Usage: false [ignored command line arguments]
  or:  false OPTION
Exit with a status code indicating failure.

      --help        display this help and exit
      --version     output version information and exit
"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    args::lone_help_version(ctx, &argv, USAGE);
    1
}
