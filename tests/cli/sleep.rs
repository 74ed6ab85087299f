//! `sleep` against GNU coreutils as the oracle (only intervals that end at once are slept).

use crate::harness::*;

#[track_caller]
fn same(args: &[&str]) {
    applet("sleep")
        .args(args)
        .run()
        .same_as(&gnu("sleep").args(args).run());
}

#[test]
fn intervals() {
    for a in [
        &["0"][..],
        &["0.001"],
        &["0s", "0m", "0h", "0d"],
        &[".0"],
        &["1e-3"],
        &["0x0.01p-4"],
        &[" 0"],
        &["+0"],
        &["0", "--", "0"],
        &["--", "0"],
    ] {
        same(a);
    }
}

#[test]
fn errors() {
    for a in [
        &[][..],
        &["x"],
        &["1", "x", "y"],
        &["-1"],
        &["--", "-1"],
        &["1s2"],
        &["1.5x"],
        &["nan"],
        &[""],
        &["1ss"],
        &["0", "--foo"],
        &["a\nb"],
        &["1 "],
    ] {
        same(a);
    }
}

#[test]
fn help() {
    applet("sleep")
        .arg("--he")
        .run()
        .ok()
        .stdout_is(gnu_usage("sleep"));
}

/// GNU's `--help` text without its closing web links (rbox has none).
fn gnu_usage(prog: &str) -> String {
    let o = gnu(prog).arg("--help").run().out();
    o.split("\nGNU coreutils online help")
        .next()
        .unwrap()
        .to_string()
}

/// `sleep infinity` and large intervals are accepted: ended by a signal, not by time.
#[test]
fn infinity_is_killed_not_rejected() {
    for a in ["infinity", "inf", "1e400", "9999999999d"] {
        let r = gnu("timeout")
            .args(["-s", "KILL", "0.1"])
            .arg(rbox())
            .args(["sleep", a])
            .run();
        r.code(137);
    }
}
