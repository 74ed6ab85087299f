//! `sort`: not written yet (issues 16/17).

use std::ffi::OsString;

use crate::common::Ctx;

pub fn main(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}
