//! crond and crontab against BusyBox 1.35 (Debian's busybox-static). crontab is compared with
//! `busybox crontab -c DIR` in temporary directories; crond runs with its test hook
//! (`RBOX_CROND_TEST`: given wake-up times, no sleeping) on tables in a temporary directory,
//! which needs root (tables must be root's, jobs switch users).

use crate::harness::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

fn busybox_ok() -> bool {
    if have("busybox") {
        return true;
    }
    skip("busybox (busybox-static) is not installed");
    false
}

fn me() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The files of a spool: name, mode, contents.
fn spool(d: &Path) -> Vec<(String, u32, String)> {
    let mut v: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap().permissions().mode() & 0o7777;
            let c = std::fs::read_to_string(e.path()).unwrap_or_default();
            (e.file_name().into_string().unwrap(), m, c)
        })
        .collect();
    v.sort();
    v
}

/// BusyBox's usage starts with its banner line and a blank line.
fn no_banner(s: String) -> String {
    match s.find("BusyBox v") {
        Some(i) => {
            let rest = &s[i..];
            let end = rest.find("\n\n").map_or(rest.len(), |k| k + 2);
            format!("{}{}", &s[..i], &rest[end..])
        }
        None => s,
    }
}

/// One crontab command in both spools, compared: status, stdout, stderr, files.
fn both(t: &TempDir, args: &[&str], stdin: &str) -> Output {
    let (a, b) = (t.join("rbox"), t.join("bb"));
    let run = |r: Run, d: &Path| {
        r.arg("-c")
            .arg(d)
            .args(args)
            .stdin(stdin)
            .cwd(t.path())
            .env("EDITOR", t.join("ed.sh"))
            .env_remove("VISUAL")
            .run()
    };
    let ours = run(applet("crontab"), &a);
    let theirs = run(gnu("busybox").arg("crontab"), &b);
    let fix = |s: String, d: &Path| no_banner(s.replace(d.to_str().unwrap(), "DIR"));
    assert_eq!(
        (ours.code, ours.out(), fix(ours.err(), &a)),
        (theirs.code, theirs.out(), fix(theirs.err(), &b)),
        "crontab {args:?}"
    );
    assert_eq!(spool(&a), spool(&b), "files after crontab {args:?}");
    ours
}

#[test]
fn crontab_as_busybox() {
    if !busybox_ok() {
        return;
    }
    let t = TempDir::new("crontab");
    std::fs::create_dir(t.join("rbox")).unwrap();
    std::fs::create_dir(t.join("bb")).unwrap();
    t.write("tab", "0 4 * * * backup\n");
    let sh = t.write("ed.sh", "#!/bin/sh\necho '*/5 * * * * edited' >> \"$1\"\n");
    std::fs::set_permissions(&sh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let user = me();
    both(&t, &["-l"], "").code(1).stderr_is(format!(
        "crontab: can't open '{user}': No such file or directory\n"
    ));
    both(&t, &["-"], "* * * * * echo hi\n").ok();
    both(&t, &["-l"], "").ok().stdout_is("* * * * * echo hi\n");
    both(&t, &["tab"], "").ok();
    if is_root() {
        // BusyBox switches to the user even when it is the caller: only root gets that far.
        both(&t, &["-e"], "").ok();
        both(&t, &["-l"], "").stdout_is("0 4 * * * backup\n*/5 * * * * edited\n");
    } else {
        skip("not root: crontab -e and -u");
    }
    both(&t, &["-r"], "").ok();
    both(&t, &["-d"], "").ok();
    both(&t, &["nofile"], "")
        .code(1)
        .stderr_is("crontab: can't open 'nofile': No such file or directory\n");
    for bad in [&[][..], &["-l", "-r"], &["a", "b"], &["-x"], &["-e", "-l"]] {
        both(&t, bad, "").code(1).stderr_has("Usage: crontab");
    }
    let r = applet("crontab").args(["-c", "/nonexistent/x", "-l"]).run();
    let b = gnu("busybox")
        .args(["crontab", "-c", "/nonexistent/x", "-l"])
        .run();
    assert_eq!((r.code, r.err()), (b.code, b.err()));
    if is_root() {
        both(&t, &["-u", "nosuchuser", "-l"], "")
            .code(1)
            .stderr_is("crontab: unknown user nosuchuser\n");
        both(&t, &["-u", "daemon", "-"], "1 2 3 4 5 x\n").ok();
        // FILE is read with the user's ids: daemon cannot read root's 0600 file.
        let secret = t.write("secret", "* * * * * x\n");
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
        both(&t, &["-u", "daemon", "secret"], "")
            .code(1)
            .stderr_is("crontab: can't open 'secret': Permission denied\n");
    }
}

#[test]
fn crontab_symlinked_new_file_is_not_followed() {
    let t = TempDir::new("crontab-link");
    let user = me();
    let victim = t.write("victim", "keep\n");
    std::os::unix::fs::symlink(&victim, t.join(format!("{user}.new"))).unwrap();
    applet("crontab")
        .arg("-c")
        .arg(t.path())
        .arg("-")
        .stdin("* * * * * x\n")
        .run()
        .ok();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep\n");
    assert_eq!(
        std::fs::read_to_string(t.join(&user)).unwrap(),
        "* * * * * x\n"
    );
    let m = std::fs::metadata(t.join(&user)).unwrap();
    assert_eq!(m.mode() & 0o777, 0o600);
}

#[test]
fn crond_option_errors_as_busybox() {
    if !busybox_ok() {
        return;
    }
    for args in [&["-l", "x"][..], &["-l", "-1"]] {
        let r = applet("crond").args(args).run();
        let b = gnu("busybox").arg("crond").args(args).run();
        assert_eq!((r.code, r.err()), (b.code, b.err()), "crond {args:?}");
    }
    let r = applet("crond").arg("-x").run();
    r.code(1)
        .stderr_has("crond: invalid option -- 'x'\nUsage: crond");
    // Dies before writing anything when the spool is missing.
    let args = ["-f", "-L", "/dev/stderr", "-c", "/nonexistent/x"];
    let r = applet("crond").args(args).run();
    let b = gnu("busybox").arg("crond").args(args).run();
    assert_eq!(r.code, b.code);
    let last = |s: String| s.lines().last().unwrap_or("").to_string();
    assert_eq!(last(r.err()), last(b.err()));
    assert_eq!(
        last(r.err()),
        "crond: can't change directory to '/nonexistent/x': No such file or directory"
    );
}

/// 2026-12-07 00:00:00 UTC, a Monday.
const MONDAY: i64 = 1_796_601_600;

/// crond with its test hook: wake-ups at `times`, messages on stderr at level `lvl`.
fn crond(spool: &Path, lvl: &str, times: &[i64]) -> Output {
    let times: Vec<String> = times.iter().map(|t| t.to_string()).collect();
    applet("crond")
        .args(["-f", "-d", lvl, "-c"])
        .arg(spool)
        .env("RBOX_CROND_TEST", times.join(" "))
        .env("TZ", "UTC0")
        .env("SHELL", "/bin/sh")
        .run()
}

fn root_table(dir: &Path, user: &str, text: &str) {
    std::fs::write(dir.join(user), text).unwrap();
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn crond_runs_due_jobs() {
    if !is_root() {
        return skip("not root: crond reads root's tables only and switches users");
    }
    let t = TempDir::new("crond");
    let (tabs, out) = (t.join("tabs"), t.join("out"));
    std::fs::create_dir(&tabs).unwrap();
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = out.to_str().unwrap();
    root_table(
        &tabs,
        "root",
        &format!(
            "# a comment\n\
             MAILTO=someone\n\
             FOO=bar\n\
             * * * * * echo every >> {o}/every\n\
             0 0 * * mon echo monday >> {o}/monday\n\
             0 0 7 dec * echo dec7 >> {o}/dec7\n\
             0 1 * * * echo never >> {o}/never\n\
             0 0 1 * tue echo either >> {o}/never2\n\
             0 0 7 * tue echo either >> {o}/either\n\
             61 * * * * echo bad61 >> {o}/bad61\n\
             @daily echo daily >> {o}/daily # not a comment here\n\
             @hourly echo hourly >> {o}/hourly\n\
             @reboot echo reboot >> {o}/reboot\n\
             @weekly echo weekly >> {o}/weekly\n\
             @monthly echo monthly >> {o}/never3\n\
             */15 0 * * * echo \"$USER $LOGNAME $HOME $SHELL $FOO $(pwd)\" > {o}/env # c\n\
             * * * * * echo to-stdout; echo to-stderr >&2\n\
             SHELL=/bin/bash\n\
             * * * * * echo $BASH_VERSION | cut -c1 > {o}/bash\n"
        ),
    );
    root_table(
        &tabs,
        "daemon",
        &format!("* * * * * id -u > {o}/daemon; pwd >> {o}/daemon\n"),
    );
    // A table not owned by root is ignored, a file not named after a user too.
    root_table(&tabs, "bin", &format!("* * * * * echo bin > {o}/bin\n"));
    std::os::unix::fs::chown(tabs.join("bin"), Some(2), None).unwrap();
    root_table(&tabs, "nosuchuser", "* * * * * echo x\n");
    root_table(&tabs, "root.bak", "* * * * * echo x\n");

    let r = crond(&tabs, "7", &[MONDAY - 30, MONDAY]);
    r.ok();
    let read = |n: &str| std::fs::read_to_string(out.join(n)).unwrap_or_else(|_| "-".into());
    assert_eq!(read("every"), "every\n");
    assert_eq!(read("monday"), "monday\n");
    assert_eq!(read("dec7"), "dec7\n");
    assert_eq!(read("either"), "either\n");
    assert_eq!(read("daily"), "daily\n");
    assert_eq!(read("hourly"), "hourly\n");
    assert_eq!(read("weekly"), "-");
    assert_eq!(read("reboot"), "reboot\n");
    for n in ["never", "never2", "never3", "bin"] {
        assert_eq!(read(n), "-", "{n}");
    }
    // BusyBox's quirk: an out-of-range minute is an error that fills every minute.
    assert_eq!(read("bad61"), "bad61\n");
    assert_eq!(read("env"), "root root /root /bin/sh  /root\n");
    assert_eq!(read("bash"), if have("bash") { "5\n" } else { "-" });
    assert_eq!(read("daemon"), "1\n/usr/sbin\n");
    assert_eq!(r.out(), "to-stdout\n");
    let err = r.err();
    assert!(
        err.contains("crond: to-stderr\n") || err.contains("to-stderr\n"),
        "{err}"
    );
    assert!(
        err.contains("crond: user root: parse error at 61\n"),
        "{err}"
    );
    assert!(
        err.contains("crond: ignoring file 'nosuchuser' (no such user)\n"),
        "{err}"
    );
    assert!(!err.contains("root.bak"), "{err}");
    assert!(err.contains("crond: USER daemon pid "), "{err}");

    // @reboot runs once: the reboot file is there now (in the spool, in test mode).
    std::fs::remove_file(out.join("reboot")).unwrap();
    crond(&tabs, "8", &[MONDAY - 30, MONDAY]).ok();
    assert_eq!(read("reboot"), "-");
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn crond_clock_jumps() {
    if !is_root() {
        return skip("not root: crond reads root's tables only");
    }
    let t = TempDir::new("crond-clock");
    let tabs = t.join("tabs");
    std::fs::create_dir(&tabs).unwrap();
    let log = t.join("log");
    root_table(
        &tabs,
        "root",
        &format!("* * * * * date +%H:%M >> {}\n", log.display()),
    );
    let at = |h: i64, m: i64, s: i64| MONDAY + 12 * 3600 + h * 3600 + m * 60 + s;
    let r = crond(
        &tabs,
        "8",
        &[
            at(0, 0, 30),
            at(0, 1, 0),  // runs 12:01
            at(0, 1, 10), // nothing new
            at(0, 4, 0),  // runs 12:02, 12:03, 12:04 (each job started once)
            at(0, 2, 0),  // back: nothing
            at(0, 3, 0),  // still before the last minute run: nothing
            at(0, 5, 0),  // runs 12:05
            at(3, 0, 0),  // jump of 3 hours: nothing
            at(3, 1, 0),  // runs 15:01
        ],
    );
    r.ok();
    assert!(
        r.err()
            .contains("crond: time disparity of 175 minutes detected\n"),
        "{}",
        r.err()
    );
    // The job prints the real time: count the runs.
    let runs = std::fs::read_to_string(&log).unwrap().lines().count();
    assert_eq!(runs, 4, "12:01, 12:02-12:04 (one start), 12:05, 15:01");
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn crond_ends_on_sigterm() {
    if !is_root() {
        return skip("not root");
    }
    use std::io::BufRead;
    let t = TempDir::new("crond-term");
    let mut child = std::process::Command::new(rbox())
        .args(["crond", "-f", "-d", "8", "-c"])
        .arg(t.path())
        // The real clock, with the pid and reboot files in the spool, not /var/run.
        .env("RBOX_CROND_TEST", "")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(line.starts_with("crond: crond (rbox "), "{line}");
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let st = child.wait().unwrap();
    assert_eq!(st.code(), Some(0));
    assert!(t.join("crond.pid").exists());
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn crontab_then_crond_with_log_file() {
    if !is_root() {
        return skip("not root: crond reads root's tables only");
    }
    let t = TempDir::new("crond-log");
    let tabs = t.join("tabs");
    std::fs::create_dir(&tabs).unwrap();
    let o = t.join("ran");
    let table = format!(
        "0 12 * * * echo ran > {}; echo job-stderr >&2\n",
        o.display()
    );
    applet("crontab")
        .arg("-c")
        .arg(&tabs)
        .arg("-")
        .stdin(table)
        .run()
        .ok();
    assert_eq!(
        std::fs::read_to_string(tabs.join("cron.update")).unwrap(),
        "root\n"
    );
    let r = applet("crond")
        .args(["-f", "-L"])
        .arg(t.join("log"))
        .arg("-c")
        .arg(&tabs)
        .env(
            "RBOX_CROND_TEST",
            format!("{} {}", MONDAY + 43170, MONDAY + 43200),
        )
        .env("TZ", "UTC0")
        .run();
    r.ok().stdout_is("").stderr_is("");
    assert_eq!(std::fs::read_to_string(&o).unwrap(), "ran\n");
    // Messages and the job's stderr go to the -L file.
    let log = std::fs::read_to_string(t.join("log")).unwrap();
    assert!(log.starts_with("crond: crond (rbox "), "{log}");
    assert!(log.contains("crond: USER root pid "), "{log}");
    assert!(log.contains("job-stderr\n"), "{log}");
    // The startup scan took cron.update away.
    assert!(!tabs.join("cron.update").exists());
}
