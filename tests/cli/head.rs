//! `head` against GNU head as the oracle: same stdout, stderr and status.

use crate::harness::*;

fn fixture() -> TempDir {
    let d = TempDir::new("head");
    let big: String = (1..=20000).map(|i| format!("{i}\n")).collect();
    d.write("big", big);
    d.write("nt", "a\nb\nc");
    d.write("nul", b"x\0y\0z\0\nw\xff\n");
    d.write("a\nb", "newline name\n");
    std::fs::create_dir(d.join("dir")).unwrap();
    d
}

#[test]
fn options_match_gnu() {
    let d = fixture();
    for args in [
        &["big"][..],
        &["-n", "3", "big"],
        &["-n", "-19995", "big"],
        &["-n", "-0", "nt"],
        &["-n", "-1", "nt"],
        &["-n", "+2", "nt"],
        &["-c", "7", "big"],
        &["-c", "-39000", "big"],
        &["-c", "1kB", "big"],
        &["-c", "1K", "big"],
        &["-c", "1KiB", "big"],
        &["-c", "2b", "big"],
        &["--bytes=5", "nt"],
        &["--lines=2", "nt", "nul"],
        &["-q", "nt", "nt"],
        &["--silent", "nt", "nt"],
        &["-v", "nt"],
        &["-z", "-n", "2", "nul"],
        &["-3", "big"],
        &["-2c", "nt"],
        &["-1vz", "nul"],
        &["-1k", "big"],
        &["-n", "0", "dir"],
        &["a\nb", "nt"],
        &["nt", "-", "nt"],
    ] {
        same_as_gnu("head", args, Some(b"in1\nin2\n"), d.path());
    }
}

#[test]
fn errors_match_gnu() {
    let d = fixture();
    for args in [
        &["nope"][..],
        &["dir", "nt", "nope"],
        &["-n", "x"],
        &["-n", "1x"],
        &["-n", "-1x"],
        &["-c", ""],
        &["-n", "99999999999999999999999"],
        &["-5x", "nt"],
        &["--lines"],
        &["-y"],
        &["--bogus"],
    ] {
        same_as_gnu("head", args, None, d.path());
    }
}

#[test]
fn pipes_elide_like_files() {
    let d = fixture();
    let big = std::fs::read(d.join("big")).unwrap();
    for args in [
        &["-n", "-19995"][..],
        &["-c", "-99999"],
        &["-c", "-9"],
        &["-n", "-1"],
        &["-n", "5"],
    ] {
        same_as_gnu("head", args, Some(&big), d.path());
        same_as_gnu("head", args, Some(b"a\nb\nc"), d.path());
    }
}

#[test]
fn leaves_offset_after_last_line() {
    let d = fixture();
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "({} head -n 2; cat) < big | wc -l",
            rbox().display()
        ))
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "20000");
}

#[test]
fn dev_full() {
    let d = fixture();
    let f = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let a = applet("head")
        .arg("big")
        .cwd(d.path())
        .stdout_file(f())
        .run();
    let g = gnu("head").arg("big").cwd(d.path()).stdout_file(f()).run();
    a.same_as(&g).code(1);
}

/// On a regular file, `-n -N` and `-c -N` start where the input's offset is and leave it just
/// past what they printed (coreutils' head-pos, rewritten): what follows in the same
/// redirection reads the elided tail, as with GNU's head.
#[test]
fn elided_tails_leave_the_offset_as_gnu() {
    let d = fixture();
    for script in [
        "(TOOL -n -5000 > /dev/null; wc -l) < big",
        "(TOOL -n -3; echo ---; cat) < nt",
        "(dd bs=1 skip=7 count=0 status=none; TOOL -n -2; echo ---; cat) < big | tail -c 40",
        "(dd bs=1 skip=1 count=0 status=none; TOOL -c -4; echo ---; cat) < nt",
        "(TOOL -z -n -1; echo ---; cat) < nul | od -c",
        "TOOL -n -0 big | wc -l; TOOL -n -20001 big | wc -c",
    ] {
        same_script_as_gnu(d.path(), "head", script);
    }
}

/// A /proc file reports size 0 whatever it holds: `-c -N` and `-n -N` read it as a stream, as
/// GNU does for any file no larger than a block (coreutils' head-c).
#[test]
fn proc_files_elided_as_gnu() {
    let d = fixture();
    for args in [
        &["-c", "-1", "/proc/version"][..],
        &["-n", "-1", "/proc/self/limits"],
    ] {
        applet("head")
            .args(args)
            .cwd(d.path())
            .run()
            .same_as(&gnu("head").args(args).cwd(d.path()).run());
    }
}
