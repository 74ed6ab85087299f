//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum`: not written yet (issues 16/17).

use std::ffi::OsString;

use crate::common::Ctx;

pub fn md5sum(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn sha1sum(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn sha224sum(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn sha256sum(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn sha384sum(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn sha512sum(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}
