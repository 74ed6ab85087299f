//! `su-exec`, `gosu`, `setpriv`, `su`: the identity they switch to is checked with GNU `id`,
//! against util-linux's setpriv and su (the oracles) run with the equivalent options. Switching needs root (CI
//! runs as root); the refusals are checked as an unprivileged user.

use crate::harness::*;

const PATH: &str = "/usr/bin:/bin:/usr/sbin:/sbin";

fn root() -> bool {
    if !is_root() {
        skip("switching users needs root");
        return false;
    }
    if !have("setpriv") {
        skip("util-linux's setpriv is not installed");
        return false;
    }
    true
}

/// `rbox APPLET ARGS` with a PATH every user can search.
fn ours(name: &str, args: &[&str]) -> Output {
    applet(name).args(args).env("PATH", PATH).run()
}

fn oracle(args: &[&str]) -> Output {
    gnu("setpriv").args(args).env("PATH", PATH).run()
}

/// The home directory /etc/passwd gives `user`.
fn home_of(user: &str) -> String {
    let p = std::fs::read_to_string("/etc/passwd").unwrap();
    p.lines()
        .find(|l| l.split(':').next() == Some(user))
        .and_then(|l| l.split(':').nth(5))
        .unwrap()
        .to_string()
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn su_exec_switches_like_setpriv() {
    if !root() {
        return;
    }
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["65534", "id"],
            &["--reuid=65534", "--regid=65534", "--init-groups", "id"],
        ),
        (
            &["nobody", "id"],
            &["--reuid=nobody", "--regid=65534", "--init-groups", "id"],
        ),
        (
            &["nobody:root", "id"],
            &["--reuid=65534", "--regid=0", "--groups=0", "id"],
        ),
        (
            &["daemon", "id"],
            &["--reuid=daemon", "--regid=daemon", "--init-groups", "id"],
        ),
        (
            &["12345:12345", "id"],
            &["--reuid=12345", "--regid=12345", "--groups=12345", "id"],
        ),
        (
            // A uid without a passwd entry keeps the caller's group (su-exec's rule).
            &["12345", "id"],
            &["--reuid=12345", "--regid=0", "--groups=0", "id"],
        ),
    ];
    for (a, o) in cases {
        let got = ours("su-exec", a);
        got.ok();
        got.same_as(&oracle(o));
    }
    // Every id, saved ones included, switched.
    let o = ours(
        "su-exec",
        &["65534:65534", "grep", "^[UG]id:", "/proc/self/status"],
    );
    o.ok()
        .stdout_is("Uid:\t65534\t65534\t65534\t65534\nGid:\t65534\t65534\t65534\t65534\n");
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn su_exec_home_and_messages() {
    if !root() {
        return;
    }
    let o = ours("su-exec", &["nobody", "sh", "-c", "echo $HOME"]);
    o.ok().stdout_is(format!("{}\n", home_of("nobody")));
    let o = ours("su-exec", &["12345", "sh", "-c", "echo $HOME"]);
    o.ok().stdout_is("/\n");
    ours("su-exec", &["nosuchuser", "id"])
        .code(1)
        .stderr_is("su-exec: getpwnam(nosuchuser): No such file or directory\n");
    ours("su-exec", &["nobody:nosuchgroup", "id"])
        .code(1)
        .stderr_is("su-exec: getgrnam(nosuchgroup): No such file or directory\n");
    ours("su-exec", &["nobody", "/nonexistent/cmd"])
        .code(1)
        .stderr_is("su-exec: /nonexistent/cmd: No such file or directory\n");
    let o = ours("su-exec", &["nobody"]);
    o.ok()
        .stdout_is("Usage: su-exec user-spec command [args]\n");
    // The command's status comes through.
    ours("su-exec", &["nobody", "sh", "-c", "exit 7"]).code(7);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn refused_when_not_root() {
    if !root() {
        return;
    }
    let o = applet_as(65534, "su-exec")
        .args(["0", "id"])
        .env("PATH", PATH)
        .run();
    o.code(1)
        .stderr_is("su-exec: setgroups: Operation not permitted\n");
    assert!(o.stdout.is_empty());
    let o = applet_as(65534, "gosu")
        .args(["0", "id"])
        .env("PATH", PATH)
        .run();
    o.code(1)
        .stderr_is("error: failed switching to '0': operation not permitted\n");
    let ours = applet_as(65534, "setpriv")
        .args(["--reuid=0", "id"])
        .env("PATH", PATH)
        .run();
    let theirs = gnu_as(65534, "setpriv")
        .args(["--reuid=0", "id"])
        .env("PATH", PATH)
        .run();
    ours.same_as(&theirs);
    ours.code(127);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn gosu_switches_as_runc_does() {
    if !root() {
        return;
    }
    // Supplementary groups: only those listing the user (none for nobody), never the primary
    // group added.
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["nobody", "id"],
            &["--reuid=65534", "--regid=65534", "--clear-groups", "id"],
        ),
        (
            &["65534:0", "id"],
            &["--reuid=65534", "--regid=0", "--clear-groups", "id"],
        ),
        (
            &["12345", "id"],
            &["--reuid=12345", "--regid=0", "--clear-groups", "id"],
        ),
        (
            &[":daemon", "id"],
            &["--reuid=0", "--regid=daemon", "--clear-groups", "id"],
        ),
    ];
    for (a, o) in cases {
        let got = ours("gosu", a);
        got.ok();
        got.same_as(&oracle(o));
    }
    let o = ours("gosu", &["nobody", "sh", "-c", "echo $HOME"]);
    o.ok().stdout_is(format!("{}\n", home_of("nobody")));
    ours("gosu", &["nosuchuser", "id"]).code(1).stderr_is(
        "error: failed switching to 'nosuchuser': unable to find user nosuchuser: no matching entries in passwd file\n",
    );
    ours("gosu", &["nobody:nosuchgroup", "id"]).code(1).stderr_is(
        "error: failed switching to 'nobody:nosuchgroup': unable to find group nosuchgroup: no matching entries in group file\n",
    );
    ours("gosu", &["nobody", "nosuchcmd"])
        .code(1)
        .stderr_is("error: exec: \"nosuchcmd\": executable file not found in $PATH\n");
}

#[test]
fn gosu_usage_and_version() {
    let o = applet("gosu").arg("--version").run();
    o.ok();
    assert!(o.out().starts_with("1.17 ("), "{}", o.out());
    let o = applet("gosu").arg("-h").run();
    o.ok();
    assert!(o
        .out()
        .starts_with("Usage: gosu user-spec command [args]\n"));
    let o = applet("gosu").arg("nobody").run();
    o.code(1);
    assert!(o.stdout.is_empty());
    assert!(o
        .err()
        .starts_with("Usage: gosu user-spec command [args]\n"));
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn setpriv_matches_util_linux() {
    if !root() {
        return;
    }
    let cases: &[&[&str]] = &[
        &[
            "--reuid",
            "65534",
            "--regid",
            "65534",
            "--clear-groups",
            "id",
        ],
        &["--reuid=nobody", "--regid=nogroup", "--init-groups", "id"],
        &["--groups", "1,2,nogroup", "--reuid", "1", "id"],
        &["--keep-groups", "--reuid", "1", "--regid", "1", "id"],
        &["--euid", "1", "id"],
        &["--ruid", "1", "id"],
        &["--rgid", "1", "--egid", "2", "--clear-groups", "id"],
        &["--nnp", "grep", "NoNewPrivs", "/proc/self/status"],
        &[
            "--inh-caps=-all",
            "--ambient-caps=-all",
            "--bounding-set=-all",
            "--reuid=1",
            "--regid=1",
            "--clear-groups",
            "grep",
            "^Cap",
            "/proc/self/status",
        ],
        &["--reset-env", "--reuid=1", "env"],
        // Errors.
        &[],
        &["--reuid", "65534", "--regid", "65534", "id"],
        &["--reuid", "nosuchuser", "id"],
        &["--regid", "nosuchgroup", "--clear-groups", "id"],
        &["--init-groups", "id"],
        &["--groups", "1,abc", "id"],
        &["--clear-groups", "--keep-groups", "id"],
        &["--reuid=1", "--regid=1", "--clear-groups", "/nonexistent"],
        &["--reuid=1", "--regid=1", "--clear-groups", "/"],
        &["--bogus"],
        &["--reuid"],
    ];
    for a in cases {
        let got = ours("setpriv", a);
        got.same_as(&oracle(a));
    }
}

/// `su` as entrypoints and Dockerfiles call it as root (`su nobody -s /bin/sh -c "..."`,
/// `su -p USER -s /bin/sh -c CMD`, `su - USER`): identity, environment, operands after the
/// user, status and messages as util-linux's su.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn su_matches_util_linux() {
    if !root() {
        return;
    }
    if !std::path::Path::new("/bin/su").exists() {
        skip("util-linux's su is not installed");
        return;
    }
    let show = r#"id; echo "$HOME|$USER|$LOGNAME|$SHELL|$FOO|$TERM|$0|$*"; pwd"#;
    let cases: &[&[&str]] = &[
        &["nobody", "-s", "/bin/sh", "-c", show, "a1", "b2"],
        &["-s", "/bin/sh", "-c", show, "nobody"],
        &["-p", "-s", "/bin/sh", "-c", show, "nobody"],
        &[
            "--preserve-environment",
            "--shell=/bin/sh",
            "--command",
            show,
            "nobody",
        ],
        &["-c", show, "root"],
        &["-c", show],
        &["-s", "/bin/sh", "-c", "exit 3", "nobody"],
        &["-s", "/nonexistent/sh", "nobody"],
        &["no-such-user"],
        &["-x"],
        &["-s"],
    ];
    for args in cases {
        let run = |r: Run| {
            r.args(*args)
                .env("PATH", PATH)
                .env("FOO", "bar")
                .env("TERM", "xterm")
                .env("HOME", "/x")
                .env_remove("USER")
                .env_remove("LOGNAME")
                .cwd("/")
                .run()
        };
        let ours = run(applet("su"));
        let theirs = run(gnu("su"));
        ours.same_as(&theirs);
    }
    // A login shell: a fresh environment (TERM kept), the home as working directory (a
    // warning when it is missing), `-` as the shell's argv[0]. PATH is left out: the login
    // shell's /etc/profile sets its own.
    let login =
        r#"echo "$HOME|$USER|$LOGNAME|$SHELL|$FOO|$TERM"; pwd; case $0 in -*) echo login;; esac"#;
    for args in [
        &["-", "nobody", "-s", "/bin/sh", "-c", login][..],
        &["-l", "-s", "/bin/sh", "-c", login, "root"],
    ] {
        let run = |r: Run| {
            r.args(args)
                .env("PATH", PATH)
                .env("FOO", "bar")
                .env("TERM", "xterm")
                .cwd("/")
                .run()
        };
        let ours = run(applet("su"));
        ours.ok();
        ours.same_as(&run(gnu("su")));
    }
    // Anyone else would need a password, and rbox keeps none to check.
    applet_as(65534, "su")
        .args(["-c", "id"])
        .env("PATH", PATH)
        .run()
        .code(1)
        .stderr_is("su: Authentication failure\n");
}
