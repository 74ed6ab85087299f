//! `dirname` against GNU coreutils as the oracle.

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn same(args: &[&[u8]]) {
    let a: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
    applet("dirname")
        .args(&a)
        .run()
        .same_as(&gnu("dirname").args(&a).run());
}

#[test]
fn names_as_gnu() {
    for args in [
        &[&b"/usr/bin/"[..]][..],
        &[b"a"],
        &[b"/"],
        &[b"//"],
        &[b"///"],
        &[b"//a"],
        &[b"///a//b//"],
        &[b"a//"],
        &[b"/a/"],
        &[b""],
        &[b"dir1/str", b"dir2/str", b"stdio.h"],
        &[b"-z", b"a/b", b"c"],
        &[b"\xff/\xfe"],
        &[b"a\nb/c"],
        &[b"--", b"-z/x"],
    ] {
        same(args);
    }
}

#[test]
fn usage_errors_as_gnu() {
    for args in [&[][..], &[&b"-x"[..]], &[b"--zero"], &[b"--help=1"]] {
        same(args);
    }
}
