//! `nl` against GNU nl as the oracle: same stdout, stderr and status.

use crate::harness::*;

#[test]
fn options_match_gnu() {
    let d = TempDir::new("nl");
    d.write(
        "n1",
        b"a\n\n\nb\n\\:\\:\\:\nh1\n\\:\\:\nb1\n\nb2\xff\n\\:\nf1\nend",
    );
    for args in [
        &["n1"][..],
        &["-ba", "n1"],
        &["-bn", "n1"],
        &["-b", "pb", "n1"],
        &["-ha", "-fa", "n1"],
        &["-v", "5", "-i", "3", "n1"],
        &["-w", "3", "-n", "ln", "n1"],
        &["-n", "rz", "n1"],
        &["-n", "rz", "-v", "-5", "n1"],
        &["-s", "|", "n1"],
        &["-ba", "-l", "2", "n1"],
        &["-p", "-ha", "n1"],
        &["-d", "ab", "n1"],
        &["-d", "", "n1"],
        &["n1", "-", "n1"],
        &["-b", "x", "n1"],
        &["-n", "xx", "n1"],
        &["-w", "0", "n1"],
        &["-v", "x", "n1"],
        &["-l", "0", "n1"],
        &["-w", "99999999999999999999", "n1"],
        // Past an int: GNU's EOVERFLOW (these aborted on a capacity overflow or a failed
        // allocation).
        &["-w", "2147483648", "n1"],
        &["--number-width=9223372036854775807", "n1"],
        &["-l", "9223372036854775807", "-w", "99999999999", "n1"],
        &["nope", "n1"],
    ] {
        same_as_gnu("nl", args, Some(b"in1\n\nin2"), d.path());
    }
}

#[test]
fn width_memory_cannot_hold() {
    // Under a 1 GiB address-space limit a 2^31-1 column field is GNU's "memory exhausted".
    let d = TempDir::new("nl");
    d.write("n1", "a\n");
    let run = |prog: &std::path::Path, pre: &[&str]| {
        gnu("sh")
            .arg("-c")
            .arg("ulimit -v 1048576 && exec \"$@\"")
            .arg("sh")
            .arg(prog)
            .args(pre)
            .args(["-w", "2147483647", "n1"])
            .cwd(d.path())
            .run()
    };
    let ours = run(rbox(), &["nl"]);
    let theirs = run(std::path::Path::new("nl"), &[]);
    ours.same_as(&theirs);
    ours.code(1);
}

#[test]
fn dev_full() {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("nl").stdin("a\nb\n").stdout_file(f).run();
    o.code(1)
        .stderr_is("nl: write error: No space left on device\n");
}
