//! `gzip`, `gunzip`, `zcat`, `bzip2`, `bunzip2`, `bzcat`, `xz`, `unxz`, `xzcat`, `zstd`, `unzstd`, `zstdcat`: not written yet (issues 16/17).

use std::ffi::OsString;

use crate::common::Ctx;

pub fn gzip(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn gunzip(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn zcat(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn bzip2(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn bunzip2(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn bzcat(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn xz(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn unxz(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn xzcat(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn zstd(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn unzstd(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}

pub fn zstdcat(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.error(1, b"not written yet");
    1
}
