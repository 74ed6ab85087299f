//! `env` against GNU coreutils as the oracle.

use crate::harness::*;

/// Run `env ARGS` under rbox and GNU with a small fixed environment; compare everything.
#[track_caller]
fn same(args: &[&str]) {
    let base = ["-i", "A=1", "PATH=/usr/bin:/bin", "env"];
    let r = applet("env").args(base).args(args).run();
    let g = gnu("env").args(base).args(args).run();
    r.same_as(&g);
}

#[test]
fn prints_and_modifies_the_environment() {
    same(&[]);
    same(&["-0"]);
    same(&["B=2", "A=3"]);
    same(&["A=2", "A=3", "C=="]);
    same(&["-u", "A"]);
    same(&["-uA", "-u", "NOPE", "B=1"]);
    same(&["--unset=A", "--null"]);
    same(&["-i"]);
    same(&["-", "X=1"]);
    same(&["-i", "-", "X=1"]);
    same(&["=x"]);
    same(&["--", "B=1"]);
}

#[test]
fn runs_commands() {
    same(&[
        "sh",
        "-c",
        "echo \"$A\" \"$0\" \"$@\"; exit 3",
        "zero",
        "a b",
        "",
    ]);
    same(&["B=2", "sh", "-c", "echo $B"]);
    same(&["-C", "/", "pwd"]);
    same(&["-C/usr", "sh", "-c", "pwd"]);
    // Options stop at the first operand.
    same(&["sh", "-c", "echo \"$@\"", "x", "-i", "-u"]);
    same(&["--", "-i"]);
    same(&["nope-no-such-command"]);
    same(&["/etc/passwd"]);
    same(&["/"]);
    same(&["./nope"]);
    same(&["-i cmd"]);
    same(&["no such"]);
}

#[test]
fn errors_as_gnu() {
    for a in [
        &["-0", "true"][..],
        &["-C"],
        &["-C", "/nonexistent", "true"],
        &["-C", "/"],
        &["-u", "a=b"],
        &["-u", "", "true"],
        &["-x"],
        &["--fo"],
        &["--unset"],
        &["-S"],
    ] {
        same(a);
    }
}

#[test]
fn split_string() {
    for s in [
        "sh -c 'echo \"$1\"' x y",
        "-i B=1 env",
        "'a b' c",
        "\"a\\tb\"",
        "a\\_b",
        "\"a\\_b\"",
        "'a\\\\b\\'c\\x'",
        "a #b c",
        "a#b",
        "a \\c b",
        "",
        "   ",
        "x=${A}",
        "A=1 -i",
        "printf %s\\n \"${A}x\" \"\" ${NOPE}y",
        "'a",
        "\"a",
        "echo $x",
        "\"a\\cb\"",
        "\\q",
        "\\",
        "${A",
        "\"\"",
        "''x",
    ] {
        same(&["-S", s]);
        same(&[&format!("-S{s}"), "extra"]);
    }
    same(&["-iS", "A=3"]);
    same(&["--split-string=-u A B=1"]);
}

#[test]
fn output_errors() {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let r = applet("env").stdout_file(f).run();
    r.code(125)
        .stderr_is("env: write error: No space left on device\n");
}

/// A command not on PATH that is an rbox applet runs from the binary (a scratch image).
#[test]
fn applet_fallback() {
    let r = applet("env")
        .args(["-i", "PATH=/nonexistent", "B=7", "printenv", "B"])
        .run();
    r.ok().stdout_is("7\n");
    let r = applet("env")
        .args(["-i", "PATH=/nonexistent", "nope"])
        .run();
    r.code(127)
        .stderr_is("env: 'nope': No such file or directory\n");
}

/// Entries that are not `NAME=VALUE` (`=X`, made with GNU's env) are inherited, printed and
/// passed on as GNU's env and printenv do.
#[test]
fn odd_entries_pass_through() {
    for prog in ["env", "printenv"] {
        let r = gnu("env")
            .args(["-i", "=BLAH", "A=1"])
            .arg(rbox())
            .arg(prog)
            .run();
        let g = gnu("env").args(["-i", "=BLAH", "A=1", prog]).run();
        r.same_as(&g);
        r.stdout_is("=BLAH\nA=1\n");
    }
    let r = gnu("env")
        .args(["-i", "=BLAH"])
        .arg(rbox())
        .args(["env", "B=2", "env"])
        .run();
    r.ok().stdout_is("=BLAH\nB=2\n");
}

/// The signal options: what the command starts with, as `--list-signal-handling` shows it and
/// as the command sees it. Signal 34 (glibc's RTMIN) is musl's own: left out of the lists.
#[test]
fn signal_options_match_gnu() {
    let drop34 = |b: Vec<u8>| -> String {
        String::from_utf8_lossy(&b)
            .lines()
            .filter(|l| !l.starts_with("RTMIN      (34)"))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    for args in [
        &["--ignore-signal=KILL"][..],
        &["--ignore-signal=FOO"],
        &["--ignore-signal=0"],
        &["--ignore-signal=EXIT"],
        &["--ignore-signal=32"],
        &["--ignore-signal=5x"],
        &["--ignore-signal=sigint,300"],
        &["--ignore-signal=,,int,,", "--ignore-signal=130"],
        &["--block-signal=int,TERM", "--ignore-signal=HUP,RTMIN+1"],
        &["--block-signal=STOP,KILL"],
        &["--default-signal=INT,4", "--block-signal=4,USR1"],
        &["--block-signal"],
        &["--ignore-signal"],
        &["--default-signal", "--ignore-signal=INT"],
        &["--block-signal", "--default-signal=INT"],
        &["--block-signal=IO", "--ignore-signal=29"],
    ] {
        let r = applet("env")
            .args(args)
            .args(["--list-signal-handling", "true"])
            .run();
        let g = gnu("env")
            .args(args)
            .args(["--list-signal-handling", "true"])
            .run();
        assert_eq!(
            (r.out(), drop34(r.stderr.clone()), r.code),
            (g.out(), drop34(g.stderr.clone()), g.code),
            "{args:?}"
        );
    }
    let d = TempDir::new("envsig");
    for script in [
        // A shell started with SIGPIPE ignored cannot restore it; env can.
        "trap '' PIPE; TOOL --default-signal=PIPE sh -c 'seq 999999 | head -n1'",
        "trap '' PIPE; TOOL --default-signal sh -c 'seq 999999 | head -n1'",
        "TOOL --ignore-signal=TERM sh -c 'kill -TERM $$; echo alive'",
        "TOOL --block-signal=USR1 sh -c 'kill -USR1 $$; echo alive'",
    ] {
        same_script_as_gnu(d.path(), "env", script);
    }
}
