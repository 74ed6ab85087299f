//! `getopt` against util-linux's: the same optstrings and parameters through both, stdout,
//! stderr and status compared.

use crate::harness::*;

fn same(args: &[&str]) {
    let o = applet("getopt")
        .args(args)
        .env_remove("POSIXLY_CORRECT")
        .run();
    let want = gnu("getopt").args(args).env_remove("POSIXLY_CORRECT").run();
    assert_eq!(o.out(), want.out(), "getopt {args:?}");
    assert_eq!(o.err(), want.err(), "getopt {args:?}");
    assert_eq!(o.code, want.code, "getopt {args:?}");
}

#[test]
fn parses_as_util_linux() {
    let cases: &[&[&str]] = &[
        &[
            "-o",
            "ab:c::",
            "-l",
            "foo,fob,bar:,baz::",
            "--",
            "-a",
            "-b",
            "x",
            "-cY",
            "-c",
            "y",
            "--foo",
            "--bar=1",
            "--baz",
            "--baz=2",
            "z",
            "it's",
            "--",
            "-a",
        ],
        &["-o", "ab:", "--", "-ab", "1", "-b2", "-ba"],
        &["-o", "a", "-l", "foo,fob", "--", "--fo"],
        &["-o", "a", "-l", "foo,fob:", "--", "--fo", "x"],
        &["-o", "a", "-l", "foo,foo", "--", "--fo"],
        &["-o", "a", "--", "-x", "-a", "b", "--nope", "--nope=1"],
        &["-o", "+a", "--", "x", "-a"],
        &["-o", "-a", "--", "x", "-a", "y"],
        &["-o", ":b:", "--", "-b"],
        &["-o", "b:", "--", "-b"],
        &["-o", "a", "-l", "foo:", "--", "--foo"],
        &["-o", "a", "-l", "foo", "--", "--foo=x", "--foo="],
        &[
            "-a", "-o", "a", "-l", "foo:", "--", "-foo", "1", "-a", "-fo=2", "-x",
        ],
        &["-a", "-o", "ab", "-l", "bar", "--", "-ab", "-b", "-ba"],
        &["-s", "csh", "-o", "a:", "--", "-a", "a b!\nc\t'"],
        &["-s", "tcsh", "-o", "a:", "--", "-a", "x"],
        &["-s", "bash", "-o", "a:", "--", "-a", "a b!"],
        &["-u", "-o", "a:", "--", "-a", "x y", "z"],
        &["-n", "prog", "-o", "a", "--", "-x", "--bad"],
        &["-q", "-o", "a", "--", "-x", "-a"],
        &["-Q", "-o", "a", "--", "-a", "-x"],
        &["-o", "a", "-l", "", "--", "-a"],
        &[
            "-o", "a", "-l", "x, y:", "-l", "z::", "--", "--x", "--y", "1", "--z",
        ],
        &["--options=a", "--longoptions=foo", "--", "--foo", "-a"],
        &["-o", "a", "x", "-a", "--", "-a"],
        &["ab:", "-a", "x", "-b", "y z", "-c"],
        &["-ab", "-a"],
        &["--", "a", "-a", "b"],
        &["-o", "a", "--", "", "'", "-"],
        &["-o", "a", "--", "-", "-a"],
        &[],
        &["-o"],
        &["-x"],
        &["-T"],
        &["-s", "zsh", "-o", "a", "--", "-a"],
        &["-l", ":", "-o", "a", "--"],
        &["-l", "a,,b", "-o", "", "--", "--a", "--b"],
        &["-u"],
    ];
    for c in cases {
        same(c);
    }
}

#[test]
fn environment() {
    for env in ["POSIXLY_CORRECT", "GETOPT_COMPATIBLE"] {
        let args = ["-o", "a", "--", "x", "-a"];
        let o = applet("getopt").args(args).env(env, "1").run();
        o.same_as(&gnu("getopt").args(args).env(env, "1").run());
    }
}

#[test]
fn help_version_and_write_errors() {
    let o = applet("getopt").arg("-h").run();
    o.ok();
    assert!(o.out().starts_with("\nUsage:\n") || o.out().starts_with("Usage:\n"));
    applet("getopt").arg("-V").run().ok();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("getopt")
        .args(["-o", "a", "--", "-a"])
        .stdout_file(full)
        .run();
    o.code(1)
        .stderr_is("getopt: write error: No space left on device\n");
}
