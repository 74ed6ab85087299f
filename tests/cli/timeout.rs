//! `timeout` against GNU coreutils as the oracle. Commands that must be timed out sleep far
//! longer than the limit (`timeout 0.2 sleep 10`): only statuses and messages are asserted,
//! never how long anything took.

use crate::harness::*;

#[track_caller]
fn same(args: &[&str]) {
    let r = applet("timeout").args(args).run();
    let g = gnu("timeout").args(args).run();
    r.same_as(&g);
}

#[test]
fn statuses() {
    for a in [
        &["5", "sh", "-c", "echo hi; exit 3"][..],
        &["0", "true"],
        &["0.2", "sleep", "10"],
        &["0.2s", "sleep", "10"],
        &["--preserve-status", "0.2", "sleep", "10"],
        &["-s", "KILL", "0.2", "sleep", "10"],
        &["-s", "INT", "0.2", "sleep", "10"],
        &["-s", "9", "0.2", "sleep", "10"],
        &["--signal=SIGHUP", "0.2", "sleep", "10"],
        &["-v", "0.2", "sleep", "10"],
        &["--foreground", "0.2", "sleep", "10"],
        &["-k", "0.2", "0.2", "sh", "-c", "trap '' TERM; sleep 10"],
        &[
            "-v",
            "-k",
            "0.2",
            "0.2",
            "sh",
            "-c",
            "trap '' TERM; sleep 10",
        ],
        &[
            "--foreground",
            "-k",
            "0.2",
            "0.2",
            "sh",
            "-c",
            "trap '' TERM; sleep 10",
        ],
        &["5", "sh", "-c", "kill -USR1 $$"],
        &["--", "5", "true"],
        &["1e400", "true"],
    ] {
        same(a);
    }
}

#[test]
fn errors() {
    for a in [
        &[][..],
        &["1"],
        &["x", "true"],
        &["-1", "true"],
        &["-s", "x", "1", "true"],
        &["-s", "99", "1", "true"],
        &["-k", "x", "1", "true"],
        &["1", "/nonexistent"],
        &["1", "/etc"],
        &["1", "no-such-command-here"],
        &["-x"],
        &["--foo"],
    ] {
        same(a);
    }
}

/// Options stop at the command: its own options are its own.
#[test]
fn command_options_untouched() {
    same(&["5", "sh", "-c", "echo \"$@\"", "x", "-s", "--foreground"]);
}

/// A command not on PATH that is an rbox applet runs from the binary.
#[test]
fn applet_fallback() {
    let r = applet("timeout")
        .env("PATH", "/nonexistent")
        .args(["0.2", "sleep", "10"])
        .run();
    r.code(124);
}
