//! `expr` against GNU coreutils as the oracle.

use crate::harness::*;

fn have_gnu() -> bool {
    let ok = std::process::Command::new("expr")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("GNU coreutils"))
        .unwrap_or(false);
    if !ok {
        skip("GNU expr not installed");
    }
    ok
}

#[track_caller]
fn same(args: &[&[u8]]) {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let a: Vec<&OsStr> = args.iter().map(|s| OsStr::from_bytes(s)).collect();
    let ours = applet("expr").args(&a).run();
    let theirs = gnu("expr").args(&a).run();
    assert_eq!(
        (ours.code, ours.err(), ours.out()),
        (theirs.code, theirs.err(), theirs.out()),
        "expr {:?}",
        args.iter()
            .map(|s| String::from_utf8_lossy(s))
            .collect::<Vec<_>>()
    );
}

fn words(s: &str) -> Vec<&[u8]> {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::as_bytes)
        .collect()
}

#[test]
fn arithmetic_and_big_numbers() {
    if !have_gnu() {
        return;
    }
    for e in [
        "1 + 2",
        "7 - 10",
        "6 * 7",
        "7 / 2",
        "-7 / 2",
        "7 / -2",
        "-7 % 2",
        "7 % -2",
        "0 + 00",
        "03 + 1",
        "1 - -1",
        "99999999999999999999 + 1",
        "9223372036854775807 + 1",
        "-9223372036854775808 - 1",
        "123456789123456789 * 987654321987654321",
        "100000000000000000000000 / 3000000000007",
        "100000000000000000000000 % -3000000000007",
        "2 * 3 + 4",
        "2 + 3 * 4",
        "( 2 + 3 ) * 4",
        "10 - 2 - 3",
        "100 / 10 / 5",
    ] {
        same(&words(e));
    }
}

#[test]
fn errors_and_statuses() {
    if !have_gnu() {
        return;
    }
    for e in [
        "",
        "5 / 0",
        "5 % 0",
        "a + 1",
        "1 + a",
        "- + 1",
        "+1 + 1",
        "1 +",
        "1 2",
        "( 1",
        "( 1 2",
        ")",
        "( )",
        "1 + (",
        "length",
        "match",
        "match a",
        "substr abc 1",
        "index a",
        "+",
        "0",
        "-0",
        "00",
        "''",
        "-",
        "a",
        "--",
        "-- 3",
        "--help x",
        "--foo",
        "-5",
        "-x",
        "abc : \\(",
        "a : a\\{1",
        "a : [",
        "a : \\1",
        "a : a\\)",
        "a : x\\",
        "a : [[:foo:]]",
    ] {
        same(&words(e));
    }
    same(&[b""]);
    same(&[b"", b"|", b""]);
    same(&[b"--", b"--help"]);
}

#[test]
fn comparisons_and_logic() {
    if !have_gnu() {
        return;
    }
    for e in [
        "1 < 2",
        "10 < 9",
        "a < b",
        "abc < abd",
        "-1 < -2",
        "1 = 01",
        "a = a",
        "a == a",
        "a != b",
        "2 >= 2",
        "3 > 20",
        "3a > 20",
        "b <= a",
        "1 < 2 < 3",
        "a | b",
        "0 | b",
        "0 | 0",
        "a & b",
        "a & 0",
        "0 & b",
        "1 = 1 & 2",
        "x | 5 / 0",
        "0 & 5 / 0",
    ] {
        same(&words(e));
    }
    same(&[b"", b"=", b"0"]);
    same(&[b"", b"|", b"0"]);
    same(&[b"a", b"&", b""]);
    same(&[b"\xff", b">", b"a"]);
}

#[test]
fn string_functions() {
    if !have_gnu() {
        return;
    }
    for e in [
        "length abc",
        "length",
        "substr abcdef 2 3",
        "substr abc 0 1",
        "substr abc 1 -1",
        "substr abc 2 99999999999999999999",
        "substr abc 4 1",
        "substr abc 3 5",
        "substr abc x 1",
        "index abc cb",
        "index abc x",
        "length length",
        "+ match",
        "+ length",
        "match abc ab",
        "match abc \\(b\\)",
        "length + + 1",
        "substr + 1 1 1",
    ] {
        same(&words(e));
    }
    same(&[b"index", b"abc", b""]);
    same(&[b"length", b""]);
    same(&[b"length", b"\xff\xfe"]);
}

#[test]
fn regex_match() {
    if !have_gnu() {
        return;
    }
    for (s, p) in [
        ("abc", "a\\(b\\)"),
        ("abc", "a."),
        ("abc", "\\(x\\)"),
        ("abc", "x"),
        ("abc", "b"),
        ("abc", "*a"),
        ("*abc", "*a"),
        ("aaa", "a*"),
        ("aaa", "a\\{2\\}"),
        ("aa", "a**"),
        ("a{1}", "a{1}"),
        ("abcabc", "\\(abc\\)\\1"),
        ("foo.tar.gz", ".*\\.\\(.*\\)"),
        ("foo.tar.gz", "\\([^.]*\\)"),
        ("2024-01-31", "\\([0-9]*\\)-\\([0-9]*\\)"),
        ("hello world", "[[:alpha:]]*"),
        ("Hello", "[[:upper:]]\\+"),
        ("ab", "a\\|ab"),
        ("abab", "\\(a\\|ab\\)*"),
        ("a\nb", "a.b"),
        ("a\nb", "a$"),
        ("a\nb", ".*^b"),
        ("x", "\\(\\)"),
        ("ab", "[b-a]"),
        ("v1.2.3", "v\\([0-9]*\\)"),
        ("/usr/local/bin", ".*/\\(.*\\)"),
        ("--prefix=/opt", "--prefix=\\(.*\\)"),
        ("abc", "\\<a"),
        ("abc", "\\w\\+"),
        ("a+b", "a+b"),
        ("aab", "a\\+b"),
        ("ab", "a\\?b"),
    ] {
        same(&[s.as_bytes(), b":", p.as_bytes()]);
        same(&[b"match", s.as_bytes(), p.as_bytes()]);
    }
    same(&[b"\xff\xfex", b":", b".*x"]);
    same(&[b"aa", b":", b"a*", b":", b"2"]);
}

#[test]
fn write_error_is_status_3() {
    if !have_gnu() {
        return;
    }
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let ours = applet("expr").args(["1", "+", "1"]).stdout_file(f).run();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let theirs = gnu("expr").args(["1", "+", "1"]).stdout_file(f).run();
    ours.same_as(&theirs);
}

#[test]
fn help_and_version_only_alone() {
    let o = applet("expr").arg("--help").run();
    o.ok();
    assert!(o.out().starts_with("Usage: expr EXPRESSION\n"));
    let o = applet("expr").arg("--he").run();
    assert!(o.out().starts_with("Usage: expr EXPRESSION\n"));
    let o = applet("expr").arg("--version").run();
    o.ok();
    assert!(o.out().starts_with("expr (rbox) "));
}
