//! `nice` against GNU coreutils' on the same command lines: the niceness printed, adjusted
//! (also by the obsolete `-N` forms, the last given winning, clamped by the kernel), the
//! errors and their statuses (125, 126, 127), and an unprivileged caller asking for less.

use crate::harness::*;

#[test]
fn matches_gnu() {
    let cases: &[&[&str]] = &[
        &[],
        &["nice"],
        &["-n", "5", "nice"],
        &["-5", "nice"],
        &["--5", "nice"],
        &["-+5", "nice"],
        &["-n", "-3", "nice"],
        &["-n", "99999999999999999999", "nice"],
        &["-n", "-99999999999999999999", "nice"],
        &["--adjustment=3", "nice"],
        &["--adj", "3", "nice"],
        &["-n", "3", "-n", "4", "nice"],
        &["-n", "5", "-7", "nice"],
        &["-7", "-n", "5", "nice"],
        &["-1", "-2", "nice"],
        &["-n", " 5", "nice"],
        &["--", "nice"],
        &["--", "-5", "nice"],
        &["-n", "x", "true"],
        &["-5x", "true"],
        &["-n", "", "true"],
        &["-n", "5"],
        &["-n"],
        &["-x"],
        &["--foo"],
        &["nonexistent-command"],
        &["/etc/passwd"],
        &["sh", "-c", "exit 3"],
        &["env", "-u", "X", "sh", "-c", "echo applet after nice"],
    ];
    let d = TempDir::new("nice");
    for args in cases {
        let ours = applet("nice").args(*args).cwd(d.path()).run();
        let theirs = gnu("nice").args(*args).cwd(d.path()).run();
        ours.same_as(&theirs);
    }
}

#[test]
fn unprivileged_lowering_warns_and_runs() {
    if !have("setpriv") {
        return skip("util-linux's setpriv is not installed");
    }
    let ours = applet_as(65534, "nice").args(["-n", "-5", "nice"]).run();
    let theirs = gnu_as(65534, "nice").args(["-n", "-5", "nice"]).run();
    ours.same_as(&theirs);
    assert_eq!(ours.code, 0);
    assert!(String::from_utf8_lossy(&ours.stderr).contains("cannot set niceness"));
}
