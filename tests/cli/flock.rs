//! `flock` against util-linux's flock (/usr/bin/flock): the same messages and statuses, and
//! locks that each tool sees the other holding. A lock is held by a child that says "ready"
//! once it has it and keeps it until its stdin closes: no sleeps, no timing assertions.

use crate::harness::*;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

fn oracle() -> bool {
    if have("flock") {
        true
    } else {
        skip("util-linux's flock is not installed");
        false
    }
}

fn both(args: &[&str], dir: &std::path::Path) {
    let ours = applet("flock").args(args).cwd(dir).run();
    let theirs = gnu("flock").args(args).cwd(dir).run();
    ours.same_as(&theirs);
}

/// `PROG [OPTS] FILE sh -c 'echo ready; cat'`: holds the lock until dropped.
struct Holder(Child);

impl Holder {
    fn new(prog: &std::path::Path, pre: &[&str], opts: &[&str], file: &std::path::Path) -> Holder {
        let mut c = Command::new(prog)
            .args(pre)
            .args(opts)
            .arg(file)
            .args(["sh", "-c", "echo ready; exec cat >/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(c.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line, "ready\n");
        Holder(c)
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

#[test]
fn conflicts_with_a_lock_held_by_util_linux() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("flock");
    let f = d.join("lock");
    let h = Holder::new(std::path::Path::new("flock"), &[], &[], &f);
    let run = |args: &[&str]| applet("flock").args(args).arg(&f).arg("true").run();
    run(&["-n"]).code(1);
    run(&["-n", "-E", "9"]).code(9);
    run(&["-s", "-n"]).code(1);
    run(&["--nonblock", "--exclusive"]).code(1);
    // A bounded wait gives up with the conflict status (the timer interrupts the wait).
    run(&["-w", "0.2"]).code(1);
    run(&["-w", "0.1", "-E", "3"]).code(3);
    let o = run(&["-w", "0.1", "--verbose"]);
    o.code(1)
        .stderr_is("flock: timeout while waiting to get lock\n");
    drop(h);
    run(&["-n"]).ok();
    // Shared locks coexist.
    let h = Holder::new(std::path::Path::new("flock"), &[], &["-s"], &f);
    run(&["-s", "-n"]).ok();
    run(&["-x", "-n"]).code(1);
    drop(h);
}

#[test]
fn util_linux_sees_our_lock() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("flock");
    let f = d.join("lock");
    let h = Holder::new(rbox(), &["flock"], &[], &f);
    let o = gnu("flock").arg("-n").arg(&f).arg("true").run();
    o.code(1);
    let o = gnu("flock").args(["-w", "0.1"]).arg(&f).arg("true").run();
    o.code(1);
    drop(h);
    gnu("flock").arg("-n").arg(&f).arg("true").run().ok();
    // -o: the command does not keep the lock, so a child it leaves behind does not hold it.
    let o = applet("flock")
        .arg("-o")
        .arg(&f)
        .args(["sh", "-c", "ls -l /proc/self/fd | grep -c lock"])
        .run();
    o.code(1).stdout_is("0\n");
    let o = applet("flock")
        .arg(&f)
        .args(["sh", "-c", "ls -l /proc/self/fd | grep -c lock"])
        .run();
    o.ok().stdout_is("1\n");
}

#[test]
fn descriptor_form_and_unlock() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("flock");
    let script = format!(
        "exec 9>lock; {r} flock -n 9 || exit 5; flock -n lock true && exit 6; \
         {r} flock -u 9; flock -n lock true || exit 7; echo ok",
        r = rbox().display()
    );
    let o = gnu("sh").args(["-c", &script]).cwd(d.path()).run();
    o.ok().stdout_is("ok\n");
}

#[test]
fn runs_commands_and_passes_statuses() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("flock");
    both(&["lock", "sh", "-c", "exit 3"], d.path());
    both(&["lock", "-c", "echo hi; exit 4"], d.path());
    both(&["lock", "--command", "echo hi"], d.path());
    both(&["lock", "echo", "a", "b"], d.path());
    both(&["-F", "lock", "echo", "nofork"], d.path());
    both(&["-s", "lock", "true"], d.path());
    both(&["-w", "0", "lock", "true"], d.path());
    both(&["lock", "sh", "-c", "kill -9 $$"], d.path());
    both(&["lock", "nonexistent-command"], d.path());
    // A directory is locked read-only; the lock file is created.
    both(&[".", "echo", "dir"], d.path());
    applet("flock")
        .args(["newlock", "true"])
        .cwd(d.path())
        .run()
        .ok();
    assert!(d.join("newlock").is_file());
    // stdin reaches the command.
    let o = applet("flock")
        .args(["lock", "cat"])
        .cwd(d.path())
        .stdin("data\n")
        .run();
    o.ok().stdout_is("data\n");
    let mut c = Command::new(rbox())
        .args(["flock", "lock", "cat"])
        .current_dir(d.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(b"x").unwrap();
    assert_eq!(c.wait_with_output().unwrap().stdout, b"x");
}

#[test]
fn usage_errors_match() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("flock");
    for args in [
        &[][..],
        &["lock", "-c"],
        &["lock", "-c", "a", "b"],
        &["-w", "abc", "lock", "true"],
        &["-w", "-1", "lock", "true"],
        &["-E", "300", "lock", "true"],
        &["-E", "abc", "lock", "true"],
        &["/nonexistent/lock", "true"],
        &["99"],
        &["abc"],
        &["--", "-1"],
        &["-Fo", "lock", "true"],
        &["-x"],
        &["--bogus"],
        &["-c", "true", "lock"],
    ] {
        both(args, d.path());
    }
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn permission_denied_as_unprivileged() {
    if !is_root() {
        skip("needs root to run as another user");
        return;
    }
    if !oracle() {
        return;
    }
    let d = TempDir::new("flock");
    std::fs::create_dir(d.join("closed")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join("closed"), std::fs::Permissions::from_mode(0o700)).unwrap();
    let f = d.join("closed/lock");
    let ours = applet_as(65534, "flock").arg(&f).arg("true").run();
    let theirs = gnu_as(65534, "flock").arg(&f).arg("true").run();
    ours.same_as(&theirs);
    ours.code(66);
}
