//! `comm` against GNU comm 9 as the oracle: output, messages and status.

use crate::harness::*;

#[test]
fn matches_gnu() {
    let d = TempDir::new("comm");
    d.write("k1", "a\nb\nd\n");
    d.write("k2", "b\nc\nd\ne");
    d.write("k3", "b\na\nc\n");
    d.write("z1", b"a\0c\0\xff\0");
    d.write("z2", b"b\0c\0");
    d.write("u1", b"x\n\xff\xfe\nsame\n");
    d.write("u2", b"\x80\nsame\n");
    let cases: &[&[&str]] = &[
        &["k1", "k2"],
        &["--total", "k1", "k2"],
        &["-12", "--total", "k1", "k2"],
        &["k3", "k2"],
        &["k2", "k3"],
        &["--check-order", "k3", "k2"],
        &["--check-order", "k2", "k3"],
        &["k1", "k3"],
        &["--output-delimiter=", "k1", "k2"],
        &["--output-delimiter=XY", "k1", "k2"],
        &["k1"],
        &["k1", "k2", "k3"],
        &[],
        &["nope", "k1"],
        &["k1", "nope"],
        &["--output-delimiter=:", "--output-delimiter=,", "k1", "k2"],
        &["--output-delimiter=:", "--output-delimiter=:", "k1", "k2"],
        &["-3", "k1", "k1"],
        &["--nocheck-order", "k3", "k2"],
        &["-1", "k1", "k2"],
        &["-2", "k1", "k2"],
        &["-3", "k1", "k2"],
        &["-13", "k1", "k2"],
        &["-123", "k1", "k2"],
        &["-z", "z1", "z2"],
        &["-z", "--total", "z1", "z2"],
        &["u1", "u2"],
        &[".", "k1"],
        &["-x", "k1", "k2"],
    ];
    for c in cases {
        let r = applet("comm").args(*c).cwd(d.path()).run();
        let g = gnu("comm").args(*c).cwd(d.path()).run();
        r.same_as(&g);
    }
    for (args, input) in [(&["k1", "-"][..], "b\nc\n"), (&["-", "k2"], "a\nb\n")] {
        let r = applet("comm").args(args).stdin(input).cwd(d.path()).run();
        let g = gnu("comm").args(args).stdin(input).cwd(d.path()).run();
        r.same_as(&g);
    }
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("comm")
        .args(["k1", "k2"])
        .cwd(d.path())
        .stdout_file(f1)
        .run();
    let g = gnu("comm")
        .args(["k1", "k2"])
        .cwd(d.path())
        .stdout_file(f2)
        .run();
    r.same_as(&g);
}
