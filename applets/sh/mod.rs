//! `sh`: placeholder until its issue lands.

use std::ffi::OsString;

use crate::common::Ctx;

pub const USAGE: &str = "Usage: sh\n";

pub mod lineedit;

pub fn main(_args: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(2, b"not implemented yet");
    ctx.finish(Ok(()))
}
