//! `paste` against GNU paste as the oracle: same stdout, stderr and status.

use crate::harness::*;

#[test]
fn options_match_gnu() {
    let d = TempDir::new("paste");
    d.write("p1", "a\nb\nc\n");
    d.write("p2", b"1\n\xff2");
    d.write("empty", "");
    d.write("z", b"x\0y\0");
    for args in [
        &["p1", "p2"][..],
        &["-d", "", "p1", "p2"],
        &["-d", "\\0", "p1", "p2"],
        &["-s", "-d", ":,", "p1", "p2"],
        &["-", "-"],
        &["-s", "p1", "empty", "p2"],
        &["-d", "x\\ny", "p1", "p2", "p1"],
        &["-z", "z", "p1"],
        &["p1", "empty", "p2"],
        &["-s", "-"],
        &["-", "p1", "-"],
        &["-d", "ab", "-s", "p1"],
        &["--delimiters=\\t\\\\", "p1", "p1", "p1"],
        &["p1", "p2", "nope"],
        &["-d", "\\", "p1"],
    ] {
        same_as_gnu("paste", args, Some(b"s1\ns2\ns3\ns4\ns5"), d.path());
    }
}

#[test]
fn dev_full() {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("paste").stdin("a\nb\n").stdout_file(f).run();
    o.code(1)
        .stderr_is("paste: write error: No space left on device\n");
}
