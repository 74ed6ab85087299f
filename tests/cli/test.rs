//! `test` and `[` against GNU coreutils: the same expressions through both, status and
//! messages compared.

use crate::harness::*;

const CASES: &[&[&str]] = &[
    &[],
    &[""],
    &["x"],
    &["-n"],
    &["-x"],
    &["!"],
    &["("],
    &["--help"],
    &["--version"],
    &["-n", ""],
    &["-z", ""],
    &["-z", "a"],
    &["!", ""],
    &["!", "a"],
    &["a", "b"],
    &["-q", "a"],
    &["-a", "x"],
    &["-o", "x"],
    &["-t"],
    &["a", "=", "a"],
    &["a", "==", "b"],
    &["a", "!=", "b"],
    &["a", "<", "b"],
    &["b", ">", "a"],
    &["a", "b", "c"],
    &["!", "a", "b"],
    &["(", "a", ")"],
    &["(", "a", "b"],
    &["a", "-a", ""],
    &["", "-o", "a"],
    &["a", "-a"],
    &["=", "=", "="],
    &["!", "=", "a"],
    &["!", "-n", "a"],
    &["!", "!", "!", "a"],
    &["!", "a", "=", "b"],
    &["(", "-n", "a", ")"],
    &["(", "a", ")", "b"],
    &[")", ")"],
    &["a", "-o", "b", "c"],
    &["-z", "a", "-o"],
    &["a", "=", "b", "c"],
    &["a", "=", "b", "-a"],
    &["1", "-eq", "1"],
    &["1", "-eq", "abc"],
    &["abc", "-eq", "1"],
    &[" 1", "-eq", "1"],
    &["1 ", "-eq", "1"],
    &["1x", "-eq", "1"],
    &["-", "-eq", "0"],
    &["+5", "-eq", "5"],
    &["-0", "-eq", "0"],
    &["007", "-eq", "7"],
    &["", "-eq", "0"],
    &["99999999999999999999", "-gt", "1"],
    &["-99999999999999999999", "-lt", "-99999999999999999998"],
    &["2", "-gt", "10"],
    &["2", "-ge", "2"],
    &["2", "-le", "1"],
    &["2", "-lt", "3"],
    &["2", "-ne", "3"],
    &["-eq", "-eq", "-eq"],
    &["1", "-eq", "1", "-eq", "1"],
    &["-l", "abc", "-eq", "3"],
    &["3", "-eq", "-l", "abc"],
    &["x", "-lt", "-l", "y"],
    &["-l", "a", "-nt", "b"],
    &["1", "-eq", "1", "-a", "2", "-lt", "1"],
    &["1", "-eq", "1", "-o", "2", "-lt", "1", "-a", "x"],
    &["(", "1", "-eq", "1", ")", "-o", "1", "-eq", "2"],
    &["(", "(", "a", ")", ")"],
    &["(", "a", "-a", "b", "-a", "c", ")"],
    &["(", "a", "-a", "b"],
    &["!", "(", "a", ")", "-a", "b"],
    &["(", "-n", "=", ")"],
    &["-t", "1", "2"],
    &["-t", "x"],
    &["-t", "99999999999999999999"],
    &["-t", "-1"],
    &["-e", "/"],
    &["-e", "/nonexistent"],
    &["-d", "/"],
    &["-f", "/"],
    &["-f", "/etc/passwd"],
    &["-s", "/etc/passwd"],
    &["-c", "/dev/null"],
    &["-b", "/dev/null"],
    &["-p", "/dev/null"],
    &["-S", "/dev/null"],
    &["-h", "/dev/null"],
    &["-L", "/nonexistent"],
    &["-r", "/etc/passwd"],
    &["-w", "/etc/passwd"],
    &["-x", "/bin/sh"],
    &["-x", "/etc/passwd"],
    &["-r", ""],
    &["-k", "/tmp"],
    &["-u", "/tmp"],
    &["-g", "/tmp"],
    &["-O", "/"],
    &["-G", "/"],
    &["-N", "/"],
    &["/", "-ef", "/."],
    &["/", "-ef", "/tmp"],
    &["/", "-nt", "/nonexistent"],
    &["/nonexistent", "-ot", "/"],
    &["/nonexistent", "-nt", "/"],
    &["-f", "-a", "x"],
    &["x", "-a", "-f"],
];

fn check(name: &str, prog: &str, args: &[&str]) {
    let (mine, want) = if name == "[" {
        let mut a: Vec<&str> = args.to_vec();
        a.push("]");
        (applet("[").args(&a).run(), gnu(prog).args(&a).run())
    } else {
        (applet("test").args(args).run(), gnu(prog).args(args).run())
    };
    // GNU's `[` is named by its path in messages; compare after the name.
    let strip = |s: String| s.replace("/usr/bin/[:", "[:");
    assert_eq!(mine.code, want.code, "{name} {args:?}: {}", want.err());
    assert_eq!(mine.err(), strip(want.err()), "{name} {args:?}");
}

#[test]
fn expressions_as_gnu() {
    for c in CASES {
        check("test", "test", c);
        check("[", "/usr/bin/[", c);
    }
}

#[test]
fn bracket_needs_its_closing_bracket() {
    for args in [&[][..], &["a"], &["a", "]", "b"], &["]", "a"]] {
        let o = applet("[").args(args).run();
        o.code(2).stderr_is("[: missing ']'\n");
        assert_eq!(gnu("/usr/bin/[").args(args).run().code, 2);
    }
    applet("[").arg("]").run().code(1);
    // A lone --help/--version is answered by `[` only.
    let o = applet("[").arg("--help").run();
    o.ok();
    assert!(o.out().starts_with("Usage: test EXPRESSION\n"));
    applet("[").arg("--version").run().ok();
    applet("[").args(["--help", "]"]).run().ok().stdout_is("");
    applet("test").arg("--help").run().ok().stdout_is("");
}

#[test]
fn permissions_as_a_user() {
    let d = TempDir::new("testperm");
    let f = d.write("f", "x");
    std::fs::set_permissions(&f, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let p = d.path().parent().unwrap();
    std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        d.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    if !is_root() {
        return skip("needs root to switch users");
    }
    for op in ["-r", "-w", "-x", "-e", "-O"] {
        let fs = f.to_str().unwrap();
        let mine = applet_as(65534, "test").args([op, fs]).run();
        let want = gnu_as(65534, "test").args([op, fs]).run();
        mine.same_as(&want);
        let mine = applet("test").args([op, fs]).run();
        mine.same_as(&gnu("test").args([op, fs]).run());
    }
}

#[test]
fn newer_older_symlinks() {
    let d = TempDir::new("testnt");
    let a = d.write("a", "1");
    let b = d.write("b", "2");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::os::unix::fs::symlink(&a, d.join("l")).unwrap();
    std::os::unix::fs::symlink("/nonexistent", d.join("dangling")).unwrap();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    for args in [
        vec![p("a"), "-ot".into(), p("b")],
        vec![p("b"), "-nt".into(), p("a")],
        vec![p("a"), "-nt".into(), p("b")],
        vec![p("l"), "-ef".into(), p("a")],
        vec!["-h".into(), p("l")],
        vec!["-L".into(), p("dangling")],
        vec!["-e".into(), p("dangling")],
        vec!["-f".into(), p("l")],
        vec![p("b"), "-ef".into(), p("a")],
    ] {
        let _ = &b;
        applet("test")
            .args(&args)
            .run()
            .same_as(&gnu("test").args(&args).run());
    }
}
