//! `true`: do nothing, successfully (GNU coreutils 9).
//!
//! As GNU's: every argument is ignored, except a lone `--help` or `--version` (exactly, not
//! abbreviated), which is answered; a write error there is reported and makes the status 1.

use std::ffi::OsString;

use crate::common::help::{help_text, Help};
use crate::common::{args, Ctx};

const USAGE: Help = help_text!(
    "\
Usage: true [ignored command line arguments]
  or:  true OPTION
Exit with a status code indicating success.

      --help        display this help and exit
      --version     output version information and exit
"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    args::lone_help_version(ctx, &argv, USAGE).unwrap_or(0)
}
