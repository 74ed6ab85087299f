//! `basename` against GNU coreutils as the oracle.

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn same(args: &[&[u8]]) {
    let a: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
    applet("basename")
        .args(&a)
        .run()
        .same_as(&gnu("basename").args(&a).run());
}

#[test]
fn names_and_suffixes_as_gnu() {
    for args in [
        &[&b"/usr/bin/sort"[..]][..],
        &[b"/usr/bin/"],
        &[b"/"],
        &[b"//"],
        &[b"///a//b//"],
        &[b""],
        &[b"a"],
        &[b"include/stdio.h", b".h"],
        &[b".h", b".h"],
        &[b"/x.h", b"x.h"],
        &[b"/", b"/"],
        &[b"-s", b".h", b"a.h", b"b/c.h", b".h"],
        &[b"-a", b"any/str1", b"any/str2"],
        &[b"--suffix=x", b"ax"],
        &[b"-z", b"a/b"],
        &[b"-az", b"a/b", b"c"],
        &[b"--", b"-a"],
        &[b"dir/\xff\xfe.txt", b".txt"],
        &[b"a\nb/c\nd"],
    ] {
        same(args);
    }
}

#[test]
fn usage_errors_as_gnu() {
    for args in [
        &[][..],
        &[&b"a"[..], b"b", b"c"],
        &[b"-q"],
        &[b"--mult"],
        &[b"-s"],
        &[b"--bogus", b"x"],
    ] {
        same(args);
    }
}

#[test]
fn full_output_device() {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("basename")
        .arg("a/b")
        .stdout_file(f)
        .run()
        .code(1)
        .stderr_is("basename: write error: No space left on device\n");
}

#[test]
fn extra_operand_quoted_as_gnu() {
    // GNU's `quote` style: a newline shows as `\n` inside the quotes.
    let args = ["a", "b", "x\ny"];
    applet("basename")
        .args(args)
        .run()
        .same_as(&gnu("basename").args(args).run());
}
