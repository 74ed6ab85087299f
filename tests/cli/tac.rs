//! `tac` against GNU tac as the oracle: same stdout, stderr and status.

use crate::harness::*;

#[test]
fn options_match_gnu() {
    let d = TempDir::new("tac");
    d.write("t1", b"a\nb\n\nc\xff\x00d");
    d.write("t2", "x\ny\n");
    let big: String = (1..=50000).map(|i| format!("{i}\n")).collect();
    d.write("big", &big);
    for args in [
        &["t1"][..],
        &["-b", "t1"],
        &["-s", "b", "t1"],
        &["-s", "ab", "t1"],
        &["-b", "-s", "b", "t1"],
        &["--separator=y", "t2"],
        &["t1", "-", "t2"],
        &["-s", "", "t1"],
        &["big"],
        &["-r", "-s", "x", "t2"],
        &["-r", "-s", ""],
        &["dir", "nope", "t2"],
    ] {
        std::fs::create_dir_all(d.join("dir")).unwrap();
        same_as_gnu("tac", args, Some(b"p\nq\nr"), d.path());
    }
    same_as_gnu("tac", &[], Some(big.as_bytes()), d.path());
}

#[test]
fn regex_separator() {
    let o = applet("tac")
        .args(["-r", "-s", "[0-9][0-9]*"])
        .stdin("a1b22c")
        .run();
    o.ok().stdout_is("cb22a1");
    let o = applet("tac")
        .args(["-b", "-r", "-s", "[0-9][0-9]*"])
        .stdin("a1b22c")
        .run();
    o.ok().stdout_is("22c1ba");
}

#[test]
fn dev_full() {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("tac").stdin("a\nb\n").stdout_file(f).run();
    o.code(1)
        .stderr_is("tac: write error: No space left on device\n");
}
