//! `true`, `false` and `yes` against GNU coreutils.

use crate::harness::*;
use std::process::{Command, Stdio};

fn full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

#[test]
fn true_and_false_ignore_arguments() {
    for args in [
        &[][..],
        &["--help", "x"],
        &["--he"],
        &["-h"],
        &["--version", "--help"],
        &["--", "--help"],
        &["x\ny"],
    ] {
        for p in ["true", "false"] {
            let o = applet(p).args(args).run();
            o.same_as(&gnu(p).args(args).run());
            o.code(if p == "true" { 0 } else { 1 });
        }
    }
}

#[test]
fn lone_help_and_version_are_answered() {
    for p in ["true", "false"] {
        let st = if p == "true" { 0 } else { 1 };
        let o = applet(p).arg("--help").run();
        o.code(st);
        assert!(o
            .out()
            .starts_with(&format!("Usage: {p} [ignored command line arguments]\n")));
        let o = applet(p).arg("--version").run();
        o.code(st);
        assert!(o.out().starts_with(p));
        // A write error is reported and makes the status 1 for both.
        for a in ["--help", "--version"] {
            let o = applet(p).arg(a).stdout_file(full()).run();
            let g = gnu(p).arg(a).stdout_file(full()).run();
            o.same_as(&g);
            o.code(1)
                .stderr_is(format!("{p}: write error: No space left on device\n"));
        }
        // Without the options nothing is written, so /dev/full is no error.
        applet(p).stdout_file(full()).run().code(st);
    }
}

fn yes_head(prog: Command, n: usize) -> Vec<u8> {
    let mut prog = prog;
    let mut child = prog.stdout(Stdio::piped()).spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let head = Command::new("head")
        .arg("-c")
        .arg(n.to_string())
        .stdin(out)
        .output()
        .unwrap();
    let st = child.wait().unwrap();
    // Ended by SIGPIPE, quietly.
    assert!(!st.success());
    head.stdout
}

#[test]
fn yes_repeats_the_line() {
    for args in [
        &[][..],
        &["a", "b c"],
        &["--", "-x"],
        &["a", "--", "b"],
        &[""],
    ] {
        let mut r = Command::new(rbox());
        r.arg("yes").args(args).stderr(Stdio::piped());
        let mut g = Command::new("yes");
        g.args(args);
        let n = 300_000;
        let mine = yes_head(r, n);
        assert_eq!(mine.len(), n);
        assert_eq!(mine, yes_head(g, n), "yes {args:?}");
    }
    // POSIXLY_CORRECT: the first operand ends the options.
    let mut r = Command::new(rbox());
    r.args(["yes", "a", "-x"]).env("POSIXLY_CORRECT", "1");
    assert!(yes_head(r, 100).starts_with(b"a -x\na -x\n"));
}

#[test]
fn yes_errors() {
    for args in [&["-x"][..], &["--foo"], &["a", "--bogus"]] {
        applet("yes")
            .args(args)
            .run()
            .same_as(&gnu("yes").args(args).run())
            .code(1);
    }
    let o = applet("yes").stdout_file(full()).run();
    o.same_as(&gnu("yes").stdout_file(full()).run());
    o.code(1)
        .stderr_is("yes: standard output: No space left on device\n");
    let o = applet("yes").arg("--help").run();
    o.ok();
    assert!(o.out().starts_with("Usage: yes [STRING]...\n"));
    applet("yes").arg("--vers").run().ok();
}
