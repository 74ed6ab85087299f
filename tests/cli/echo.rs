//! `echo` against GNU coreutils as the oracle.

use crate::harness::*;

fn same(args: &[&[u8]], posix: bool) {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let a: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
    let mut r = applet("echo").args(&a);
    let mut g = gnu("echo").args(&a);
    if posix {
        r = r.env("POSIXLY_CORRECT", "1");
        g = g.env("POSIXLY_CORRECT", "1");
    } else {
        r = r.env_remove("POSIXLY_CORRECT");
        g = g.env_remove("POSIXLY_CORRECT");
    }
    let o = r.run();
    let want = g.run();
    assert_eq!(o.stdout, want.stdout, "echo {args:?} posix={posix}");
    o.same_as(&want);
}

#[test]
fn options_and_escapes_as_gnu() {
    let cases: &[&[&[u8]]] = &[
        &[],
        &[b"a", b"b"],
        &[b"-n", b"a"],
        &[b"-n"],
        &[b"-e", b"a\\tb\\nc"],
        &[b"-E", b"a\\tb"],
        &[b"a\\tb"],
        &[b"-neE", b"x\\n"],
        &[b"-en", b"x\\n"],
        &[b"-n", b"-e", b"x\\ty"],
        &[b"-x", b"a"],
        &[b"-n-e", b"a"],
        &[b"-", b"--", b"-"],
        &[b"--", b"-n"],
        &[b"-e", b"\\x41\\x4g\\x\\0101\\101\\777\\8\\q"],
        &[b"-e", b"a\\cb", b"c"],
        &[b"-e", b"end\\"],
        &[b"-e", b"\\e\\a\\b\\f\\v\\r\\\\"],
        &[b"-e", b"\\u00e9"],
        &[b"bytes \xff\xfe\n"],
        &[b""],
        &[b"", b""],
        &[b"--help", b"x"],
        &[b"--hel"],
        &[b"-e"],
    ];
    for c in cases {
        same(c, false);
        same(c, true);
    }
}

#[test]
fn help_version_only_alone() {
    let o = applet("echo").arg("--help").run();
    o.ok();
    assert!(o
        .out()
        .starts_with("Usage: echo [SHORT-OPTION]... [STRING]...\n"));
    let o = applet("echo").arg("--version").run();
    o.ok();
    assert!(o.out().starts_with("echo"));
    // POSIXLY_CORRECT: --help is a string.
    same(&[b"--help"], true);
    same(&[b"-n", b"--help"], true);
}

#[test]
fn write_errors() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let o = applet("echo").arg("hi").stdout_file(full()).run();
    o.same_as(&gnu("echo").arg("hi").stdout_file(full()).run());
    o.code(1)
        .stderr_is("echo: write error: No space left on device\n");
    // Nothing to write: no error.
    let o = applet("echo").args(["-n", ""]).stdout_file(full()).run();
    o.same_as(&gnu("echo").args(["-n", ""]).stdout_file(full()).run());
}
