//! `grep`, `egrep`, `fgrep` against the reference tools as oracles: GNU grep 3 on the same
//! inputs, comparing stdout, stderr and the exit status byte for byte.

use crate::harness::*;
use std::path::Path;

fn have_gnu() -> bool {
    let ok = std::process::Command::new("grep")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("GNU grep"))
        .unwrap_or(false);
    if !ok {
        skip("GNU grep not installed");
    }
    ok
}

const TEXT: &[u8] = b"alpha beta\nGamma delta\nfoo bar foo\n\nfoobar\nbar_foo baz\nFOO\nx.y*z\n\
abc abcabc\nthe end\n";

fn fixture() -> TempDir {
    let d = TempDir::new("grep");
    d.write("t", TEXT);
    d.write(
        "s30",
        (1..=30).map(|i| format!("{i}\n")).collect::<String>(),
    );
    d.write("nonl", b"one\ntwo\nlast foo");
    d.write("bin", b"text foo\nmore\0binary foo\nfoo again\n");
    d.write("crlf", b"foo\r\nbar\r\n");
    d.write("hi", b"caf\xe9 foo\n\xff\xfe bar\n");
    d.write("pats", b"foo\nbar\n");
    d.write("empty", b"");
    d.write("bad1", b"1[[\n\n3[[\nok\n5[[\n");
    d.write("bad2", b"1[[\nfoo\n\n4[[\n");
    d
}

#[track_caller]
fn same_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) {
    let mut a = applet("grep").args(args).cwd(dir);
    let mut g = gnu("grep").args(args).cwd(dir);
    if let Some(s) = stdin {
        a = a.stdin(s);
        g = g.stdin(s);
    }
    let (a, g) = (a.run(), g.run());
    assert_eq!(
        (a.code, a.err(), a.out()),
        (g.code, g.err(), g.out()),
        "grep {args:?}"
    );
}

/// Same, with the output lines sorted (directory order differs).
#[track_caller]
fn same_sorted(dir: &Path, args: &[&str]) {
    let a = applet("grep").args(args).cwd(dir).run();
    let g = gnu("grep").args(args).cwd(dir).run();
    let sort = |s: &[u8]| {
        let mut v: Vec<Vec<u8>> = s.split(|&b| b == b'\n').map(|l| l.to_vec()).collect();
        v.sort();
        v
    };
    assert_eq!(a.code, g.code, "grep {args:?}: {}", a.err());
    assert_eq!(sort(&a.stdout), sort(&g.stdout), "grep {args:?}");
    assert_eq!(sort(&a.stderr), sort(&g.stderr), "grep {args:?}");
}

#[test]
fn options_match_gnu() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let cases: &[&[&str]] = &[
        &["foo", "t"],
        &["-c", "foo", "t"],
        &["-v", "foo", "t"],
        &["-vc", "foo", "t"],
        &["-i", "foo", "t"],
        &["-y", "gamma", "t"],
        &["-i", "--no-ignore-case", "foo", "t"],
        &["-w", "foo", "t"],
        &["-x", "foo", "t"],
        &["-x", "-e", "FOO", "-e", "foobar", "t"],
        &["-wi", "foo", "t"],
        &["-n", "foo", "t"],
        &["-b", "foo", "t"],
        &["-nb", "-o", "foo", "t"],
        &["-o", "b[a-z]*", "t"],
        &["-o", "-i", "f*", "t"],
        &["-o", "x*", "t"],
        &["-on", "abc", "t"],
        &["-l", "foo", "t", "s30", "empty"],
        &["-L", "foo", "t", "s30", "empty"],
        &["-c", "foo", "t", "s30"],
        &["-h", "foo", "t", "s30"],
        &["-H", "foo", "t"],
        &["-Hn", "--label=L", "foo", "-", "t"],
        &["-q", "foo", "t"],
        &["-q", "nomatch", "t"],
        &["-s", "foo", "missing", "t"],
        &["foo", "missing", "t"],
        &["-q", "foo", "missing", "t"],
        &["-q", "foo", "t", "missing"],
        &["-E", "fo+|ba[rz]", "t"],
        &["-E", "foo|Gamma", "t"],
        &["-on", "-E", "foo|bar|ab", "t"],
        &["-w", "-F", "-e", "foo", "-e", "bar", "t"],
        &["-x", "-E", "FOO|foobar", "t"],
        &["-v", "-E", "foo|bar|the", "t"],
        &["-c", "-i", "ABC", "t"],
        &["-o", "-i", "aBc", "t"],
        &["-E", "(foo|bar)\\1", "t"],
        &["\\(ab*\\)\\1", "t"],
        &["-e", "\\(foo\\)", "-e", "\\(bar\\)\\1", "t"],
        &["-G", "fo\\+", "t"],
        &["-F", "x.y*z", "t"],
        &["-F", "-e", "foo", "-e", "Gamma", "t"],
        &["-F", "-x", "foo", "t"],
        &["-F", "-w", "foo", "t"],
        &["-F", "-i", "FOO", "t"],
        &["-f", "pats", "t"],
        &["-f", "empty", "t"],
        &["-v", "-f", "empty", "t"],
        &["-e", "", "t"],
        &["-c", "", "t"],
        &["-w", "", "t"],
        &["-x", "", "t"],
        &["-m", "2", "foo", "t"],
        &["-m1", "-c", "foo", "t"],
        &["-m", "0", "foo", "t"],
        &["-m", "-1", "foo", "t"],
        &["-m", "2", "-v", "foo", "t"],
        &["-m", "1", "-A", "2", "foo", "t"],
        &["-A1", "foo", "t"],
        &["-B1", "foo", "t"],
        &["-C1", "-n", "foo", "t"],
        &["-2", "end", "t"],
        &["-A0", "foo", "t"],
        &[
            "-C1",
            "--group-separator=XX",
            "-e",
            "^5$",
            "-e",
            "^15$",
            "s30",
        ],
        &[
            "-C1",
            "--no-group-separator",
            "-e",
            "^5$",
            "-e",
            "^15$",
            "s30",
        ],
        &["-C2", "-e", "^5$", "-e", "^8$", "-e", "^20", "s30"],
        &["-vC1", "[0-8]", "s30"],
        &["-nA1", "-B3", "-e", "^5$", "-e", "^9$", "s30", "t"],
        &["-c", "-A2", "1", "s30"],
        &["-Z", "-l", "foo", "t", "s30"],
        &["-Z", "-c", "foo", "t", "s30"],
        &["-Zn", "foo", "t", "s30"],
        &["-T", "-n", "foo", "t", "s30"],
        &["-T", "foo", "t"],
        &["foo", "nonl"],
        &["-v", "foo", "nonl"],
        &["-c", "foo", "nonl"],
        &["-o", "foo", "nonl"],
        &["foo", "bin"],
        &["-c", "foo", "bin"],
        &["-n", "text", "bin"],
        &["-a", "foo", "bin"],
        &["--binary-files=text", "-n", "foo", "bin"],
        &["-I", "foo", "bin"],
        &["-I", "-L", "foo", "bin"],
        &["--binary-files=without-match", "foo", "bin", "t"],
        &["-l", "foo", "bin"],
        &["-o", "foo", "bin"],
        &["-v", "zzz", "bin"],
        &["-z", "foo", "bin"],
        &["-z", "-c", ".", "t"],
        &["-z", "^foo", "bin"],
        &["foo$", "crlf"],
        &["--color=always", "foo", "crlf"],
        &["-U", "foo", "crlf"],
        &["caf.", "hi"],
        &["-o", "[^a-z ]\\+", "hi"],
        &["-c", "[[:alpha:]]", "hi"],
        &["-E", "-F", "foo", "t"],
        &["-k", "foo", "t"],
        &["--colr", "foo", "t"],
        &["-A", "x", "foo", "t"],
        &["-A"],
        &["-m", "x", "foo", "t"],
        &["--binary-files=x", "foo", "t"],
        &["-d", "nope", "foo", "t"],
        &[],
        &["-e"],
        &["\\(", "t"],
        &["a\\)", "t"],
        &["[a", "t"],
        &["a\\{1", "t"],
        &["a\\{2,1\\}", "t"],
        &["\\", "t"],
        &["[[:nope:]]", "t"],
        &["[b-a]", "t"],
        &["\\1", "t"],
        &["[:space:]", "t"],
        &["-E", "(", "t"],
        &["-E", "a)", "t"],
        &["-E", "a{1", "t"],
        &["-E", "+a", "t"],
        &["-E", "a|*b", "t"],
        &["-E", "a{,2}", "t"],
        &["*a", "t"],
        &["x\\{99999\\}", "t"],
        &["foo", "."],
        &["-d", "skip", "foo", ".", "t"],
        &["-d", "read", "foo", "."],
        &["--", "-v", "t"],
        &["-e", "-v", "t"],
        &["-w", "-e", "ab", "-e", "abc", "t"],
        &["-w", "b.*", "t"],
        &["-w", "o*", "t"],
        &["-ow", "foo", "t"],
        &["-ox", "foo", "t"],
        &["-cv", "", "t"],
        &["\\<foo", "t"],
        &["foo\\>", "t"],
        &["\\bfoo\\b", "t"],
        &["^$", "t"],
        &["-n", "^", "t"],
        &["-c", "$", "t"],
        &["-E", "^(alpha|the) ", "t"],
        &["-o", "-b", "[a-z]\\+", "nonl"],
        // every bad pattern is reported, with its -f file and line (duplicates once)
        &["-f", "bad1", "-f", "bad2", "t"],
        &["-e", "1[[", "-e", "2[[", "t"],
        &["-E", "-f", "bad2", "-e", "(", "t"],
        // nothing can be selected: no file is read (GNU)
        &["-f", "empty", "missing"],
        &["-c", "-f", "empty", "t"],
        &["-v", "-f", "empty", "t"],
        &["-v", "", "missing"],
        &["-m0", "foo", "missing"],
        &["-L", "-f", "empty", "t"],
        // -NUM digits join within one word only
        &["-4", "-1", "delta", "t"],
        &["-14", "foo", "s30"],
        &["-1", "-e", "-4", "s30"],
        &["-2", "--regexp", "-1", "t"],
        &["-D", "skip", "foo", "-"],
    ];
    for c in cases {
        same_in(d.path(), c, None);
    }
}

#[test]
fn stdin_and_labels_match_gnu() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    same_in(d.path(), &["foo"], Some(TEXT));
    same_in(d.path(), &["-H", "foo"], Some(TEXT));
    same_in(d.path(), &["-c", "foo", "-", "t"], Some(TEXT));
    same_in(d.path(), &["--label=in", "-H", "-n", "foo"], Some(TEXT));
    same_in(d.path(), &["-f", "-", "t"], Some(b"foo\nGamma\n"));
    same_in(d.path(), &["foo"], Some(b"a\0foo\n"));
    same_in(d.path(), &["-c", "x"], Some(b"x\0x\nx\n"));
}

#[test]
fn colors_match_gnu() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    for c in [
        &["--color=always", "foo", "t"][..],
        &["--color=always", "-n", "-b", "-H", "foo", "t"],
        &["--color=always", "-C1", "-e", "^5$", "-e", "^15$", "s30"],
        &["--color=always", "-v", "-C1", "foo", "t"],
        &["--color=always", "-o", "-n", "b[a-z]*", "t"],
        &["--color=always", "-i", "foo", "t"],
        &["--color=always", "x*", "t"],
        &["--color=always", "-c", "foo", "t", "s30"],
        &["--color=always", "-l", "foo", "t", "s30"],
        &["--color=never", "foo", "t"],
        &["--color=auto", "foo", "t"],
        &["--colour", "foo", "t"],
    ] {
        same_in(d.path(), c, None);
    }
    // the deprecated GREP_COLOR: the match color with a warning, unless GREP_COLORS sets it
    for (old, new) in [
        ("36", None),
        ("36", Some("ln=35")),
        ("36", Some("mt=35")),
        ("3x", None),
    ] {
        let mut a = applet("grep")
            .args(["--color=always", "foo", "t"])
            .env("GREP_COLOR", old);
        let mut g = gnu("grep")
            .args(["--color=always", "foo", "t"])
            .env("GREP_COLOR", old);
        if let Some(n) = new {
            a = a.env("GREP_COLORS", n);
            g = g.env("GREP_COLORS", n);
        } else {
            a = a.env_remove("GREP_COLORS");
            g = g.env_remove("GREP_COLORS");
        }
        a.cwd(d.path()).run().same_as(&g.cwd(d.path()).run());
    }
    for env in [
        "ms=04;32:fn=01",
        "sl=1:cx=2",
        "sl=1:cx=2:rv",
        "ne",
        "mt=7",
        "ms=bad",
    ] {
        for args in [
            &["--color=always", "-n", "-C1", "foo", "t"][..],
            &["--color=always", "-v", "-A1", "foo", "t"],
        ] {
            let a = applet("grep")
                .args(args)
                .env("GREP_COLORS", env)
                .cwd(d.path())
                .run();
            let g = gnu("grep")
                .args(args)
                .env("GREP_COLORS", env)
                .cwd(d.path())
                .run();
            a.same_as(&g);
        }
    }
}

#[test]
fn egrep_and_fgrep_are_e_and_f() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let a = linked("egrep").args(["fo+|Gam", "t"]).cwd(d.path()).run();
    let g = gnu("grep").args(["-E", "fo+|Gam", "t"]).cwd(d.path()).run();
    a.same_as(&g);
    let a = linked("fgrep").args(["x.y*z", "t"]).cwd(d.path()).run();
    let g = gnu("grep").args(["-F", "x.y*z", "t"]).cwd(d.path()).run();
    a.same_as(&g);
    let a = linked("egrep").args(["(", "t"]).cwd(d.path()).run();
    let g = gnu("grep").args(["-E", "(", "t"]).cwd(d.path()).run();
    a.same_as(&g);
    let a = linked("fgrep").args(["-G", "x", "t"]).cwd(d.path()).run();
    a.code(2);
}

#[test]
fn recursion_matches_gnu() {
    if !have_gnu() {
        return;
    }
    let top = TempDir::new("grep-r");
    let out = TempDir::new("grep-r-outside");
    out.write("secret", b"foo outside\n");
    let d = top.join("tree");
    std::fs::create_dir_all(d.join("sub/deep")).unwrap();
    std::fs::create_dir_all(d.join("skipme")).unwrap();
    std::fs::write(d.join("a.c"), "foo in c\n").unwrap();
    std::fs::write(d.join("b.h"), "foo in h\nbar\n").unwrap();
    std::fs::write(d.join("sub/c.c"), "no\n").unwrap();
    std::fs::write(d.join("sub/deep/d.txt"), "foo deep\n").unwrap();
    std::fs::write(d.join("skipme/e.c"), "foo skipped\n").unwrap();
    std::fs::write(d.join("bin.dat"), b"foo\0\n").unwrap();
    std::os::unix::fs::symlink(out.join("secret"), d.join("link")).unwrap();
    std::os::unix::fs::symlink(out.path(), d.join("dirlink")).unwrap();
    let t = top.path();
    for c in [
        &["-r", "foo", "tree"][..],
        &["-R", "foo", "tree"],
        &["-rn", "foo", "tree/link", "tree/dirlink", "tree"],
        &["-rc", "foo", "tree"],
        &["-rl", "foo", "tree"],
        &["-rL", "foo", "tree"],
        &["-rh", "foo", "tree"],
        &["-r", "--include=*.c", "foo", "tree"],
        &["-r", "--exclude=*.c", "foo", "tree"],
        &["-r", "--exclude-dir=skipme", "foo", "tree"],
        &["-r", "--exclude-dir=sub", "--include=*.txt", "foo", "tree"],
        &["-r", "--exclude=a.c", "foo", "tree/a.c", "tree/b.h"],
        &["-r", "foo", "tree/a.c"],
        &["-r", "foo", "nope", "tree/sub"],
        &["-d", "recurse", "foo", "tree/sub"],
        &["-rI", "foo", "tree"],
        &["-rq", "foo", "tree"],
        // the last --include/--exclude that matches decides; unmatched: the first's opposite
        &["-r", "--include=*.c", "--exclude=*.c", "foo", "tree"],
        &[
            "-r",
            "--exclude=x",
            "--include=*.c",
            "--exclude=a*",
            "foo",
            "tree",
        ],
        &["-r", "--exclude=*.c", "--include=*.c", "foo", "tree"],
        // --exclude-dir: trailing slashes go; a command-line directory is matched too
        &["-r", "--exclude-dir=skipme/", "foo", "tree"],
        &["-r", "--exclude-dir=tree", "foo", "tree"],
        &["-r", "--exclude-dir=t*", "foo", "./tree"],
        &["-r", "--exclude-dir=sub", "foo", "tree/sub"],
        // -R reports a dangling link
        &["-R", "foo", "tree"],
    ] {
        same_sorted(t, c);
    }
    std::os::unix::fs::symlink("missing", d.join("dangling")).unwrap();
    same_sorted(t, &["-R", "foo", "tree"]);
    same_sorted(t, &["-r", "foo", "tree"]);
    std::os::unix::fs::symlink(".", d.join("sub/loop")).unwrap();
    same_sorted(t, &["-R", "foo", "tree/sub"]);
    // No operand: the current directory, names without "./".
    same_sorted(&d, &["-r", "foo"]);
    same_sorted(&d, &["-r", "foo", "."]);
}

#[test]
fn unreadable_file_as_non_root() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let p = d.write("locked", b"foo\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    for f in ["t", "locked"] {
        let _ = std::fs::set_permissions(
            d.join(f),
            std::fs::Permissions::from_mode(if f == "t" { 0o644 } else { 0 }),
        );
    }
    let a = applet_as(65534, "grep")
        .args(["foo", "locked", "t"])
        .cwd(d.path())
        .run();
    let g = gnu_as(65534, "grep")
        .args(["foo", "locked", "t"])
        .cwd(d.path())
        .run();
    a.same_as(&g);
}

#[test]
fn write_error_on_dev_full() {
    let d = fixture();
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        skip("no /dev/full");
        return;
    };
    let big: String = (0..20000).map(|i| format!("foo {i}\n")).collect();
    d.write("big", big);
    let a = applet("grep")
        .args(["foo", "big"])
        .cwd(d.path())
        .stdout_file(full)
        .run();
    assert_eq!(a.code, 2);
    assert_eq!(a.err(), "grep: write error: No space left on device\n");
    if have_gnu() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let g = gnu("grep")
            .args(["foo", "big"])
            .cwd(d.path())
            .stdout_file(full)
            .run();
        assert_eq!(g.code, 2);
    }
}

/// `--help` and `--version` that cannot be written are grep's trouble (2), as GNU's
/// help-version test wants, not the generic 1.
#[test]
fn help_and_version_write_error() {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    if full().is_err() {
        skip("no /dev/full");
        return;
    }
    for name in ["grep", "egrep", "fgrep"] {
        for opt in ["--help", "--version", "-V"] {
            let a = applet(name).arg(opt).stdout_file(full().unwrap()).run();
            assert_eq!(
                (a.code, a.err()),
                (2, "grep: write error: No space left on device\n".into()),
                "{name} {opt}"
            );
        }
    }
    if have_gnu() {
        let g = gnu("grep").arg("--help").stdout_file(full().unwrap()).run();
        assert_eq!(g.code, 2);
    }
}

#[test]
fn huge_line_and_many_lines() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let mut big = vec![b'a'; 10 << 20];
    big.extend_from_slice(b"needle");
    big.extend(std::iter::repeat_n(b'b', 1000));
    big.push(b'\n');
    big.extend_from_slice(b"short needle\n");
    d.write("huge", &big);
    for c in [
        &["-c", "needle", "huge"][..],
        &["-b", "-o", "needle", "huge"],
        &["-c", "-i", "NEEDLE", "huge"],
        &["-c", "-E", "needle|zzz", "huge"],
        &["-c", "-v", "needle", "huge"],
        &["-c", "-w", "needle", "huge"],
        &["-c", "a*needleb", "huge"],
    ] {
        same_in(d.path(), c, None);
    }
    // Many lines across buffer refills, with context and numbers.
    let many: String = (0..300000)
        .map(|i| format!("line {i} {}\n", if i % 997 == 0 { "hit" } else { "x" }))
        .collect();
    d.write("many", many);
    for c in [
        &["-c", "hit", "many"][..],
        &["-n", "-C2", "hit", "many"],
        &["-b", "-B3", "hit", "many"],
        &["-vc", "hit", "many"],
        &["-n", "-m", "50", "-A5", "hit", "many"],
        &["-c", "-i", "HIT", "many"],
        &["-c", "-E", "hit|line 29999[0-9]", "many"],
        &["-n", "-E", "hit|line 12|x$", "many"],
        &["-c", "-E", "line 1|line 2|line 3", "many"],
        &["-c", "-F", "-e", "hit", "-e", "line 1234 ", "many"],
        &["-c", "-x", "line 1 x", "many"],
    ] {
        same_in(d.path(), c, None);
    }
}

/// Patterns whose every match holds a literal (`x` in `^.*x`): memchr finds the lines with it
/// and the engine looks at those alone; a literal on nearly every line switches back to the
/// engine over the buffer. Same lines as GNU either way, across buffer refills, with -v, -n,
/// -o, -w, -x, context, and the buffer anchors `\`` and `\'` (at each line's ends in GNU grep).
#[test]
fn required_literal_lines_match_gnu() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let many: String = (0..200000)
        .map(|i| {
            let w = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"][i % 6];
            let x = if i % 37 == 0 { " box" } else { "" };
            format!("{w} {i}{x} end\n")
        })
        .collect();
    d.write("many", many);
    for c in [
        &["-c", "^.*x", "many"][..],
        &["-n", "^.*x", "many"],
        &["-vc", "^.*x", "many"],
        &["-c", "^.*e", "many"],
        &["-vc", "a.*e", "many"],
        &["-o", "b.x", "many"],
        &["-c", "-w", "[a-z]*x", "many"],
        &["-c", "-x", "beta.*x end", "many"],
        &["-n", "-C1", "-E", "^[ab].*3[0-9]*7 box", "many"],
        &["-c", "-E", "(a|b)x", "many"],
        &["-c", "-E", "o+x", "many"],
        &["-c", "x\\'", "t"],
        &["-c", "d\\'", "many"],
        &["-c", "\\`a", "t"],
        &["-c", "\\`beta.*x", "many"],
        &["-c", "-E", "^$", "t"],
        &["-c", "z$", "t"],
    ] {
        same_in(d.path(), c, None);
    }
    same_in(d.path(), &["-c", "^.*x"], Some(b"ax\nb\nx"));
    same_in(d.path(), &["-c", "x"], Some(b"ax\nb\nx"));
}

#[test]
fn pathological_pattern_ends() {
    let d = fixture();
    let line: String = "a".repeat(10000) + "\n";
    d.write("as", line);
    let o = applet("grep")
        .args(["-c", "-E", "(a*)*b", "as"])
        .cwd(d.path())
        .run();
    o.code(1);
    assert_eq!(o.out(), "0\n");
    let o = applet("grep")
        .args(["-c", "\\(a*\\)*\\1b", "as"])
        .cwd(d.path())
        .run();
    assert_eq!(o.out(), "0\n");
}

#[test]
fn max_count_leaves_stdin_after_the_last_selected_line() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let script = |g: &str| format!("({g} -m1 -A1 foo; echo ==; cat) < t");
    let rb = format!("{} grep", rbox().display());
    let a = std::process::Command::new("sh")
        .arg("-c")
        .arg(script(&rb))
        .current_dir(d.path())
        .output()
        .unwrap();
    let g = std::process::Command::new("sh")
        .arg("-c")
        .arg(script("grep"))
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&g.stdout)
    );
}

/// GNU reads standard input to its end when it stops early for other reasons than -m, -q or
/// -l (output to /dev/null, a binary file): a file is left at its end, a pipe drained; and
/// `-m1` on the output file itself is no error.
#[test]
fn stdin_is_finished_after_an_early_stop() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let rb = format!("{} grep", rbox().display());
    for script in [
        "({g} 3 >/dev/null; echo \"rc=$?\"; cat) < s30",
        "seq 100000 > big; ({g} 3 >/dev/null; cat) < big | wc -l",
        "seq 100000 | ({g} 3 >/dev/null; cat) | wc -l",
        "(printf 'x\\0y\\nz\\n'; seq 3) | ({g} y; echo \"rc=$?\")",
        "({g} -l 3; cat) < s30 | head -3",
        "cp s30 o; {g} -m1 3 o < o >> o; echo \"rc=$?\"; {g} -c . o",
        "cp s30 o; {g} 3 o < o >> o; echo \"rc=$?\"",
    ] {
        let run = |g: &str| {
            std::process::Command::new("sh")
                .arg("-c")
                .arg(script.replace("{g}", g))
                .current_dir(d.path())
                .output()
                .unwrap()
        };
        let (a, g) = (run(&rb), run("grep"));
        assert_eq!(
            (String::from_utf8_lossy(&a.stdout), a.status.code()),
            (String::from_utf8_lossy(&g.stdout), g.status.code()),
            "{script}"
        );
    }
}

#[test]
fn perl_regexps_are_not_supported() {
    let o = applet("grep").args(["-P", "x"]).stdin("x\n").run();
    o.code(2);
    assert_eq!(
        o.err(),
        "grep: Perl matching not supported in a --disable-perl-regexp build\n"
    );
}

#[test]
fn help_and_version() {
    let o = applet("grep").arg("--help").run();
    o.ok();
    assert!(o
        .out()
        .starts_with("Usage: grep [OPTION]... PATTERNS [FILE]...\n"));
    let o = applet("grep").arg("-V").run();
    o.ok();
    assert!(o.out().starts_with("grep (rbox)"));
}

/// Long pattern lists (`-f` with hundreds or thousands of lines) go through the pattern set:
/// literals in one hashed set, regexes looked at only on lines holding their literal, the
/// rest one alternation. Same output as GNU with every option that looks at the match.
#[test]
fn long_pattern_lists_match_gnu() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let words = [
        "alpha", "beta", "Gamma", "delta", "eps", "zeta", "theta", "iota",
    ];
    let text: String = (0..6000)
        .map(|i| {
            let (a, b) = (words[i % 8], words[(i * 5 + 3) % 8]);
            let tail = if i % 4 == 0 {
                format!(" x{}", i % 89)
            } else {
                String::new()
            };
            format!(
                "{a} {i} {b}_{} q{:x}{tail}\n",
                i * 7 % 1000,
                i * 2654435761usize % 65536
            )
        })
        .collect();
    d.write("text", text);
    // Literals only: ids in hex, some short, one a prefix of another, case mixed.
    let lits: String = (0..3000)
        .map(|i| format!("q{:x}\n", i * 40503 % 65536))
        .chain([
            "eta 1\n".into(),
            "A 4\n".into(),
            "_7\n".into(),
            "x8\n".into(),
        ])
        .collect();
    d.write("lits", lits);
    // Regexes with a literal, regexes without one, and literals, mixed.
    let res: String = (0..400)
        .map(|i| match i % 6 {
            0 => format!("{} \n", i * 31 % 6000),
            1 => format!("^{} {}[0-9]* \n", words[i % 8], i),
            2 => format!("x{}$\n", i % 89),
            3 => format!("[gG]amma.*_{i}\n"),
            4 => format!("[0-9]{}[0-9]_{}\n", i % 10, i % 100),
            _ => format!("{}_{i}\n", words[i % 8]),
        })
        .chain([
            "[xyz][0-9][0-9][0-9]\n".into(),
            "q[0-9a-f]\\{4\\}$\n".into(),
        ])
        .collect();
    d.write("res", res);
    for f in ["lits", "res"] {
        for opts in [
            &["-c"][..],
            &["-n"],
            &["-o"],
            &["-w"],
            &["-x", "-c"],
            &["-v", "-c"],
            &["-i", "-c"],
            &["-i", "-o"],
            &["-w", "-o"],
            &["--color=always"],
        ] {
            let mut args = opts.to_vec();
            args.extend(["-f", f, "text"]);
            same_in(d.path(), &args, None);
        }
    }
    same_in(d.path(), &["-F", "-c", "-f", "lits", "text"], None);
    same_in(d.path(), &["-E", "-o", "-f", "lits", "text"], None);
    // An empty line in the list matches every line.
    same_in(d.path(), &["-c", "-f", "lits", "-e", "", "text"], None);
    // A line that ends inside a literal: no match across the line end.
    same_in(d.path(), &["-c", "-f", "lits"], Some(b"q\nq1\nxq5\n5e"));
}

/// Parentheses nested beyond any real pattern: GNU's parser runs out of stack and says so;
/// rbox refuses past 1000 levels with the same words, status 2 and no output.
#[test]
fn deep_nesting_is_a_stack_overflow() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    d.write("deep", "(".repeat(100_000));
    same_in(d.path(), &["-E", "-f", "deep"], Some(b"x\n"));
    d.write("deep_bre", "\\(".repeat(3000));
    let o = applet("grep")
        .args(["-f", "deep_bre"])
        .cwd(d.path())
        .stdin("x\n")
        .run();
    o.code(2);
    assert_eq!(o.err(), "grep: stack overflow\n");
}

/// A directory operand that cannot be read still has its count (0) with -c and is listed by
/// -L after the error, as GNU 3.8 does (`grep -c x *` in a directory with subdirectories).
#[test]
fn unreadable_directory_counts_and_lists() {
    let d = fixture();
    std::fs::create_dir(d.join("sub")).unwrap();
    let o = applet("grep")
        .args(["-c", "foo", "sub", "t"])
        .cwd(d.path())
        .run();
    o.code(2);
    assert_eq!(o.out(), "sub:0\nt:3\n");
    assert_eq!(o.err(), "grep: sub: Is a directory\n");
    let o = applet("grep")
        .args(["-Ls", "foo", "sub", "t"])
        .cwd(d.path())
        .run();
    assert_eq!((o.code, o.out()), (2, "sub\n".into()));
    if !have_gnu() {
        return;
    }
    for args in [
        &["-c", "foo", "sub"][..],
        &["-cv", "foo", "t", "sub", "empty"],
        &["-cs", "foo", "sub", "t"],
        &["-L", "foo", "t", "sub"],
        &["-l", "foo", "t", "sub"],
        &["-cZ", "foo", "sub", "t"],
        &["-c", "-d", "skip", "foo", "sub", "t"],
        &["-q", "foo", "sub", "t"],
    ] {
        same_in(d.path(), args, None);
    }
}

/// GNU grep -E matches with its dfa: a `{` that starts no interval is a plain `{` even at the
/// start of the pattern (glibc's regex would skip it and match every line), a leading
/// interval repeats nothing, and a repeated `^` or `$` is optional; the warnings come after
/// glibc's errors.
#[test]
fn ere_leading_brace_and_repeated_anchor() {
    let d = fixture();
    d.write("j", "{\n\"a\": 1\n}\nfoo {\nx{1}\n1}a\n");
    let o = applet("grep").args(["-E", "{", "j"]).cwd(d.path()).run();
    assert_eq!(
        (o.code, o.out(), o.err()),
        (0, "{\nfoo {\nx{1}\n".into(), String::new())
    );
    let o = applet("grep").args(["-E", "^{", "j"]).cwd(d.path()).run();
    assert_eq!(o.out(), "{\n");
    let o = applet("grep")
        .args(["-Ec", "{1}a", "j"])
        .cwd(d.path())
        .run();
    assert_eq!(o.out(), "2\n");
    assert_eq!(o.err(), "grep: warning: {...} at start of expression\n");
    if !have_gnu() {
        return;
    }
    for p in [
        "{",
        "^{",
        "{$",
        "{\"a\"",
        "a|{",
        "{1",
        "{}",
        "{x}",
        "{,",
        "{2,1}a",
        "{1}",
        "{1,2}a",
        "{,1}a",
        "{1}{2}a",
        "*{1}a",
        "{1}*a",
        "+?a",
        "a|{1}b",
        "({1}a)",
        "({)",
        "{1}\\1",
        "{65536}a",
        "^*a",
        "^?a",
        "^+a",
        "^{1}a",
        "^{0}a",
        "${0}",
        "x^*a",
        "x$*a",
        "\\`*a",
        "a\\'*",
        "\\<{0}a",
        "[:space:]{1}",
    ] {
        same_in(d.path(), &["-E", "--", p, "j", "t"], None);
    }
}

/// -T pads line and byte numbers of a pipe to INTMAX_MAX's 19 digits, as GNU.
#[test]
fn initial_tab_width_on_a_pipe() {
    let o = applet("grep").args(["-nT", "1"]).stdin("a\nb1\n").run();
    assert_eq!(o.out(), format!("{:>19}:\tb1\n", 2));
    if have_gnu() {
        let d = fixture();
        same_in(d.path(), &["-nbT", "o"], Some(b"foo\nbar\nboo\n"));
        same_in(d.path(), &["-nT", "foo", "t"], None);
    }
}

/// --include/--exclude judge a file named on the command line once it opened (a missing one is
/// still an error); a directory operand answers to --exclude-dir only, also without -r.
#[test]
fn command_line_filters_after_open() {
    let d = fixture();
    std::fs::create_dir(d.join("sub")).unwrap();
    let o = applet("grep")
        .args(["--include=*.txt", "foo", "missing", "t"])
        .cwd(d.path())
        .run();
    assert_eq!(
        (o.code, o.out(), o.err()),
        (
            2,
            String::new(),
            "grep: missing: No such file or directory\n".into()
        )
    );
    let o = applet("grep")
        .args(["--exclude-dir=sub", "foo", "sub"])
        .cwd(d.path())
        .run();
    assert_eq!((o.code, o.err()), (1, String::new()));
    if !have_gnu() {
        return;
    }
    for args in [
        &["--include=*.txt", "foo", "sub", "t", "missing"][..],
        &["--exclude=t", "-c", "foo", "sub", "t", "."],
        &["--exclude-dir=sub", "-c", "foo", "sub", "t"],
        &["--exclude-dir=su*", "-r", "foo", "sub", "t"],
        &["--include=t", "-s", "foo", "missing", "t", "empty"],
    ] {
        same_in(d.path(), args, None);
    }
}

/// An ambiguous long option lists its candidates in GNU grep's table order, aliases too.
#[test]
fn ambiguous_options_in_gnus_order() {
    let o = applet("grep").args(["--files-w", "x"]).stdin("").run();
    assert!(o.err().starts_with(
        "grep: option '--files-w' is ambiguous; possibilities: '--files-with-matches' '--files-without-match'\n"
    ));
    if !have_gnu() {
        return;
    }
    let d = fixture();
    for p in [
        "--b", "--c", "--co", "--d", "--f", "--fi", "--fil", "--e", "--ex", "--i", "--li",
        "--line", "--n", "--no", "--nu", "--w", "--in",
    ] {
        same_in(d.path(), &[p, "x", "t"], None);
    }
}

/// -r on a directory named with two or more trailing slashes names its files with one, as
/// GNU's fts trims them (`d//` finds `d/x`).
#[test]
fn recursive_root_trailing_slashes() {
    let d = fixture();
    std::fs::create_dir(d.join("sub")).unwrap();
    d.write("sub/x", "foo\n");
    for root in ["sub//", "sub///", "sub/"] {
        let o = applet("grep").args(["-r", "foo", root]).cwd(d.path()).run();
        assert_eq!(o.out(), "sub/x:foo\n", "{root}");
        if have_gnu() {
            same_in(d.path(), &["-r", "foo", root], None);
        }
    }
}

/// Problems are reported in command-line order, as GNU checks each option when getopt hands
/// it over: a bad context length before an unknown option is the error, and -V answers only
/// once every option was accepted.
#[test]
fn option_errors_in_command_line_order() {
    let o = applet("grep").args(["-A", "x", "--bogus", "t"]).run();
    assert_eq!(
        (o.code, o.err()),
        (2, "grep: x: invalid context length argument\n".into())
    );
    let o = applet("grep").args(["-V", "--bogus"]).run();
    assert_eq!(o.code, 2);
    assert!(o.out().is_empty());
    if !have_gnu() {
        return;
    }
    let d = fixture();
    for args in [
        &["-m", "x", "--files-with", "t"][..],
        &["-A", "x", "--bogus", "t"],
        &["--bogus", "-A", "x", "t"],
        &["--context=x", "foo", "-m"],
        &["-V", "-A", "x"],
        &["-V", "--bogus"],
        &["-f", "missing", "--bogus"],
        &["--bogus", "-f", "missing"],
        &["-E", "-F", "--bogus", "x"],
        &["--binary-files=bad", "--bogus"],
        &["x", "-A"],
    ] {
        same_in(d.path(), args, None);
    }
}

/// -w selects a line when any match has no word byte beside it (GNU's dfa reads -w as
/// `(^|\W)(PATTERN)(\W|$)`), also an empty one; -o still walks GNU's regex way. Found by
/// benches/difftest.py.
#[test]
fn word_lines_as_gnus_dfa() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let text: &[u8] = b".aa11a\n\n\nbAa-1\n .xaA.\nAaa-a.-bA\nab\n.aa\n";
    for args in [
        &["-E", "-w", "-e", "^|[B-x]|[^ B]{0,1}", "-e", " [^-1]a."][..],
        &["-E", "-w", "-e", "aa\\>||[[:print:]]?\\<"],
        &["-E", "-cvw", "[^ B]?"],
        &["-E", "-w", "[^ ]?"],
        &["-E", "-ow", "-e", "^|[B-x]|[^ B]{0,1}"],
        &["-E", "-nw", "--color=always", "[^ B]{0,1}"],
        &["-w", "-e", "a*"],
        &["-w", "-e", "a\\|A"],
        &["-zw", "a*"],
        &["-Fw", "aa"],
        &["-Fw", "-e", "a", "-e", "aa"],
        &["-w", "\\(a\\)\\1"],
        // -v with only empty patterns (duplicates removed first) reads nothing
        &["-F", "-v", "-c", "-e", "", "-e", ""],
        &["-v", "-c", "-e", "", "-e", ""],
        &["-v", "-c", "-e", "", "-e", "a"],
    ] {
        same_in(d.path(), args, Some(text));
    }
}

/// -i folds case as GNU's dfa does when no pattern may hold a back-reference: a range runs
/// between the bytes as written and takes both cases of its letters (`[9-b]` holds `_`),
/// before `^` negates it; glibc's upper-casing (and its errors) otherwise. Found by
/// benches/difftest.py.
#[test]
fn ignore_case_ranges_as_gnus_dfa() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    let text: &[u8] = b"_\nz\nZ\nb\nB\n[\n5\n.\naA\n";
    for p in [
        "[9-b]",
        "[B-b]",
        "[^9-b]",
        "[a-Z]",
        "[Z-a]",
        "[0-a]",
        "[^0-a]",
        "[_-z]",
        "[A-z]",
        "[[:upper:]]",
        "A\\|[^b-c]",
        "\\(.\\)\\1",
        "[0-a]\\(.\\)\\1",
    ] {
        same_in(d.path(), &["-i", "-n", p], Some(text));
        same_in(d.path(), &["-i", "-o", p], Some(text));
    }
    same_in(d.path(), &["-i", "-E", "-c", "[9-b]|x"], Some(text));
}

/// A BRE `\{` after an anchor is a plain `{` to glibc but an interval to GNU's dfa, which
/// refuses one that is not (found by benches/difftest.py).
#[test]
fn bre_interval_after_an_anchor() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    for p in [
        "a\\B\\{",
        "\\B\\{1\\}a",
        "a\\<\\{1",
        "a\\<\\{x\\}",
        "a\\<\\{2,1\\}",
        "a\\<\\{1\\}",
        "a\\<\\{99999\\}",
        "a\\<\\{\\}",
        "a\\'\\{",
        "a^\\{",
        "\\`\\{",
    ] {
        same_in(d.path(), &["-c", p], Some(b"a\nab\n"));
    }
}

#[test]
fn huge_context_counts_match_gnu() {
    if !have_gnu() {
        return;
    }
    let d = fixture();
    // -B 2^63-1 used to step back line by line 2^63 times (a hang); coreutils' timeout only
    // bounds a regression, the comparison is with GNU.
    for args in [
        &["-C", "9223372036854775807", "foo", "t"][..],
        &["-B", "99999999999999999999", "-n", "bar", "t", "s30"],
        &["-B", "9223372036854775806", "-A", "1", "5", "s30"],
    ] {
        let ours = gnu("timeout")
            .arg("60")
            .arg(rbox())
            .arg("grep")
            .args(args)
            .cwd(d.path())
            .run();
        let theirs = gnu("grep").args(args).cwd(d.path()).run();
        assert_eq!(
            (ours.code, ours.err(), ours.out()),
            (theirs.code, theirs.err(), theirs.out()),
            "grep {args:?}"
        );
    }
}
