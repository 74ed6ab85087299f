//! `nohup` against GNU coreutils' on the same command lines: without a terminal (a
//! container's case: only SIGHUP ignored), and on a pseudo-terminal made by util-linux's
//! `script` (stdin made unreadable, stdout to nohup.out, stderr to stdout).

use crate::harness::*;

#[test]
fn matches_gnu_without_a_terminal() {
    let cases: &[&[&str]] = &[
        &[],
        &["-x"],
        &["sh", "-c", "kill -HUP $$; echo survived"],
        &["sh", "-c", "echo out; echo err >&2; exit 7"],
        &["nonexistent-command"],
        &["/etc/passwd"],
        &["--", "echo", "-n", "x"],
        &["env", "-u", "X", "echo", "applet after nohup"],
    ];
    let d = TempDir::new("nohup");
    for args in cases {
        let ours = applet("nohup").args(*args).cwd(d.path()).run();
        let theirs = gnu("nohup").args(*args).cwd(d.path()).run();
        ours.same_as(&theirs);
    }
    assert!(!d.join("nohup.out").exists());
}

#[test]
fn terminal_output_goes_to_nohup_out() {
    if !have("script") {
        skip("util-linux's script (for a pseudo-terminal) is not installed");
        return;
    }
    let nohup = link_dir().join("nohup");
    for inner in [
        "sh -c 'echo out; echo err >&2'",
        "sh -c 'echo out2' > o.txt; cat o.txt",
        "sh -c 'read x; echo \"read=$?\"'",
    ] {
        let run = |prog: &str| {
            let d = TempDir::new("nohup-tty");
            let o = gnu("script")
                .args(["-qec", &format!("{prog} {inner}"), "/dev/null"])
                .cwd(d.path())
                .run();
            let out = o.out().replace('\r', "");
            let file = std::fs::read_to_string(d.join("nohup.out")).unwrap_or_default();
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d.join("nohup.out"))
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            (o.code, out, file, mode)
        };
        let ours = run(nohup.to_str().unwrap());
        let theirs = run("nohup");
        assert_eq!(ours, theirs, "{inner}");
    }
}
