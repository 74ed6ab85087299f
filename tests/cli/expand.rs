//! `expand` against GNU expand 9 as the oracle: output, messages and status.

use crate::harness::*;

pub const SAMPLE: &[u8] =
    b"a\tb\tc\n\tx\ty\n  \t z\tq\nab\x08c\td\n\t\t\n12345678\tx\n\xff\xfe\tnul\0\tx\nno newline\t";

#[test]
fn matches_gnu() {
    let d = TempDir::new("expand");
    d.write("t1", SAMPLE);
    let cases: &[&[&str]] = &[
        &["t1"],
        &["-t", "4", "t1"],
        &["-4", "t1"],
        &["-3,7", "t1"],
        &["-t", "3,5", "t1"],
        &["-t", "3,+5", "t1"],
        &["-t", "3,/5", "t1"],
        &["-t", "2 6", "t1"],
        &["-t", "/4", "t1"],
        &["-t", "+4", "t1"],
        &["-t", "4", "-t", "8", "t1"],
        &["-t", "1", "t1"],
        &["-i", "t1"],
        &["-i", "-t2", "t1"],
        &["t1", "t1"],
        &["nope", "t1"],
        &["."],
        &["-t", "0"],
        &["-t", "4,2"],
        &["-t", "x"],
        &["-t", "/4,8"],
        &["-t", "4,/8,+2"],
        &["-t", "+4 +8"],
        &["-t", "99999999999999999999999"],
        &["-x"],
    ];
    for c in cases {
        let r = applet("expand").args(*c).cwd(d.path()).stdin("").run();
        let g = gnu("expand").args(*c).cwd(d.path()).stdin("").run();
        r.same_as(&g);
    }
    let r = applet("expand").stdin(SAMPLE).run();
    let g = gnu("expand").stdin(SAMPLE).run();
    r.same_as(&g);
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("expand").stdin(SAMPLE).stdout_file(f1).run();
    let g = gnu("expand").stdin(SAMPLE).stdout_file(f2).run();
    r.same_as(&g);
}

/// The first `n` bytes `cmd` writes to a pipe; the pipe is closed then, and the process is
/// left to die of SIGPIPE (a tab stop of 2^64-1 is an endless run of spaces for GNU too).
fn first_bytes(mut cmd: std::process::Command, n: usize) -> Vec<u8> {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a\tb\n").unwrap();
    let mut got = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .take(n as u64)
        .read_to_end(&mut got)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    got
}

#[test]
fn huge_tab_stop_streams_spaces() {
    // This used to build the whole run in memory and abort ("memory allocation failed").
    let n = 8 << 20;
    // Under a 1 GiB address-space limit, so that a regression aborts instead of eating memory.
    let limited = |prog: &std::path::Path, pre: &[&str]| {
        let mut c = std::process::Command::new("sh");
        c.arg("-c")
            .arg("ulimit -v 1048576 && exec \"$@\"")
            .arg("sh")
            .arg(prog)
            .args(pre)
            .args(["-t", "18446744073709551615"]);
        c
    };
    let ours = limited(rbox(), &["expand"]);
    let theirs = limited(std::path::Path::new("expand"), &[]);
    let (o, t) = (first_bytes(ours, n), first_bytes(theirs, n));
    assert_eq!(o.len(), n);
    assert!(o == t, "rbox and GNU wrote different bytes");
}
