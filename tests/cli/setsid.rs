//! `setsid` against util-linux's.

use crate::harness::*;

#[test]
fn new_session_and_statuses_as_util_linux() {
    // The program leads its own session: its session id is its pid.
    let o = applet("setsid")
        .args(["-w", "sh", "-c", "ps -o sid= -p $$; echo $$"])
        .run();
    o.ok();
    let out = o.out();
    let v: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(v.len(), 2, "{out:?}");
    assert_eq!(v[0], v[1], "session id is not the program's pid: {out:?}");
    let cases: &[&[&str]] = &[
        &["-w", "sh", "-c", "exit 3"],
        &["-f", "-w", "sh", "-c", "exit 4"],
        &["sh", "-c", "exit 5"],
        &["nonexistent-program"],
        &["/etc/passwd"],
        &[],
        &["-x"],
        &["--bogus"],
        &["-w", "true"],
        &["--", "sh", "-c", "echo ok"],
    ];
    for args in cases {
        let o = applet("setsid").args(*args).run();
        o.same_as(&gnu("setsid").args(*args).run());
    }
    // A forked child's parent exits 0 at once without -w.
    applet("setsid")
        .args(["-f", "sh", "-c", "exit 9"])
        .run()
        .ok();
}

#[test]
fn ctty_without_terminal_as_util_linux() {
    let o = applet("setsid")
        .args(["-f", "-w", "-c", "true"])
        .stdin("")
        .run();
    o.same_as(
        &gnu("setsid")
            .args(["-f", "-w", "-c", "true"])
            .stdin("")
            .run(),
    );
    o.code(1);
}
