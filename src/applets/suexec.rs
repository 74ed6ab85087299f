//! `su-exec`, `gosu`, `setpriv`: not written yet (issues 16/17).

use std::ffi::OsString;

use crate::common::Ctx;

pub fn su_exec(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn gosu(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn setpriv(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}
