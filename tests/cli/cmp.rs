//! `cmp` against GNU cmp (diffutils) as the oracle: output, messages and status.

use crate::harness::*;

#[test]
fn matches_gnu() {
    let d = TempDir::new("cmp");
    let mut big: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let r1 = d.write("r1", &big);
    big[10] ^= 0x55;
    big[4000] = b'\n';
    let r2 = d.write("r2", &big);
    let r3 = d.write("r3", &big[..100]);
    d.write("c1", "abc\ndef\n");
    d.write("c2", "abc\ndxf\n");
    d.write("c3", "abc");
    d.write("c4", "abc\ndef\nxyz");
    d.write("c5", "abc\nde");
    d.write("e", "");
    d.write("h1", b"\x80\x01\n\0");
    d.write("h2", b"\xff\x7f\n\x1b");
    d.write("sp x", "a b");
    let _ = (&r1, &r2, &r3);
    let cases: &[&[&str]] = &[
        &["c1", "c2"],
        &["c1", "c3"],
        &["c3", "c1"],
        &["-l", "c1", "c2"],
        &["-b", "c1", "c2"],
        &["-lb", "c1", "c2"],
        &["-s", "c1", "c2"],
        &["c1", "nope"],
        &["-s", "c1", "nope"],
        &["--silent", "nope", "c1"],
        &["-s", "c1", "."],
        &["c1", "."],
        &["-i", "1", "c1", "c2"],
        &["-i", "1:2", "c1", "c2"],
        &["-n", "4", "c1", "c2"],
        &["c1", "c1"],
        &["-l", "c1", "c3"],
        &["e", "c1"],
        &["e", "e"],
        &["c1", "c2", "x", "y", "z"],
        &["c1", "c2", "1", "2", "3"],
        &["c1", "c2", "1", "2"],
        &["-i", "x", "c1", "c2"],
        &["-i", "3:", "c1", "c2"],
        &["-l", "r1", "r2"],
        &["-lb", "r1", "r2"],
        &["-l", "r1", "r3"],
        &["-l", "r3", "r1"],
        &["r1", "r2"],
        &["-b", "r1", "r2"],
        &["-n", "5", "-l", "r1", "r2"],
        &["-i", "1k", "r1", "r2"],
        &["--ignore-initial=1kB", "r1", "r2"],
        &["-i", "1KiB", "c1", "c2"],
        &["-n", "1MB", "c1", "c2"],
        &["-s", "r1", "r3"],
        &["-lb", "h1", "h2"],
        &["-b", "h1", "h2"],
        &["c1", "c2", "1", "x"],
        &["-n", "x", "c1", "c2"],
        &["-n", "0", "c1", "c2"],
        &[],
        &["c1", "c4"],
        &["c5", "c1"],
        &["-s", "c1", "c4"],
        &["-l", "c1", "c4"],
        &["-b", "c1", "c4"],
        &["-i", "2", "c1", "c4"],
        &["-n", "8", "c1", "c4"],
        &["c1", "c2", "1k"],
        &["-l", "-s", "c1", "c2"],
        &["-i", "1", "c1", "c2", "2", "0"],
        &["-x", "c1", "c2"],
        &["c1", "c2", "-1"],
        &["-n", "-1", "c1", "c2"],
        &["sp x", "c1"],
    ];
    for c in cases {
        let r = applet("cmp").args(*c).cwd(d.path()).run();
        let g = gnu("cmp").args(*c).cwd(d.path()).run();
        r.same_as(&g);
    }
    // Invalid UTF-8 in a name.
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"bad\xffname");
    std::fs::write(d.path().join(bad), "abd").unwrap();
    let r = applet("cmp").arg(bad).arg("c1").cwd(d.path()).run();
    let g = gnu("cmp").arg(bad).arg("c1").cwd(d.path()).run();
    r.same_as(&g);
    // Standard input.
    for (args, input) in [
        (&["-", "c1"][..], "abc\ndef\n"),
        (&["c1", "-"], "abc\ndxf\n"),
        (&["c1", "-", "1", "1"], "abc\ndxf\n"),
        (&["-l", "c1"], "abc\ndxf\n"),
        (&["-", "-"], "abc"),
    ] {
        let r = applet("cmp").args(args).stdin(input).cwd(d.path()).run();
        let g = gnu("cmp").args(args).stdin(input).cwd(d.path()).run();
        r.same_as(&g);
    }
}

#[test]
fn write_error() {
    let d = TempDir::new("cmpfull");
    d.write("a", "a\n");
    d.write("b", "b\n");
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("cmp")
        .args(["-l", "a", "b"])
        .cwd(d.path())
        .stdout_file(f1)
        .run();
    let g = gnu("cmp")
        .args(["-l", "a", "b"])
        .cwd(d.path())
        .stdout_file(f2)
        .run();
    assert_eq!(r.code, g.code);
    assert!(r.err().contains("No space left on device"), "{}", r.err());
}
