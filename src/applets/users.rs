//! `adduser`, `addgroup`, `useradd`, `groupadd`: not written yet (issues 16/17).

use std::ffi::OsString;

use crate::common::Ctx;

pub fn adduser(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn addgroup(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn useradd(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn groupadd(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}
