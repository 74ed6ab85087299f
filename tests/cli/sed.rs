//! `sed` against GNU sed 4.9 as the oracle: the same scripts, inputs and files through both,
//! comparing stdout, stderr and the exit status byte for byte.

use crate::harness::*;
use std::path::Path;

fn gnu_sed() -> bool {
    let ok = std::process::Command::new("sed")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("GNU sed"))
        .unwrap_or(false);
    if !ok {
        skip("GNU sed is not installed");
    }
    ok
}

/// Run both with `args` on `input` (in `dir` when given) and compare.
#[track_caller]
fn same(args: &[&str], input: &[u8]) -> Output {
    // In a scratch directory: a script may write files (`w`).
    let d = TempDir::new("sed-same");
    same_in(Some(d.path()), args, input)
}

#[track_caller]
fn same_in(dir: Option<&Path>, args: &[&str], input: &[u8]) -> Output {
    let mut ours = applet("sed").args(args).stdin(input);
    let mut theirs = gnu("sed").args(args).stdin(input);
    if let Some(d) = dir {
        ours = ours.cwd(d);
        theirs = theirs.cwd(d);
    }
    let (o, g) = (ours.run(), theirs.run());
    assert_eq!(
        (o.code, o.err(), &o.stdout),
        (g.code, g.err(), &g.stdout),
        "sed {args:?} differs from GNU sed"
    );
    o
}

const TEXT: &[u8] = b"a\\b/a\nab\ttab\nA3\nhello world\nfoo bar baz\n\nlast";
const NUMS: &[u8] = b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";

#[test]
fn commands_match_gnu() {
    if !gnu_sed() {
        return;
    }
    let scripts = [
        "p",
        "d",
        "=",
        "l",
        "l 5",
        "l 1",
        "l0",
        "F",
        "z",
        "x",
        "x;G",
        "G;l;x;l",
        "h;G",
        "H;$!d;x",
        "g",
        "N",
        "N;P;D",
        "$!N;P;D",
        "n;d",
        "n;p",
        "N;N;s/\\n/+/g",
        "D",
        "P",
        "q",
        "q5",
        "Q",
        "Q3",
        "2q",
        "3Q7",
        "y/abc/xyz/",
        "y/\\\\/x/",
        "y/\\//x/",
        "N;y/\\n/x/",
        "y/\\t/x/",
        "y/a\\b/xy/",
        "{p;p}",
        "2{p;n;p}",
        "$!{$!p}",
        "/a/,/b/{/b/!d}",
        "b end;p;:end",
        "s/a/X/;t;s/$/ no/",
        "s/a/X/;T;s/$/ yes/",
        ":a;s/a/X/;ta",
        "s/o/0/;tx;s/$/-/;:x",
        "a\\\nappended",
        "i\\\ninserted",
        "c\\\nchanged",
        "a text",
        "i text",
        "c text",
        "2,3c\\\nC",
        "2,3!c\\\nC",
        "$a end",
        "1i\\\nmulti\\\nline",
        "a\\",
        "a\\   keep",
        "a   foo\\\n  bar",
        "1r /dev/null",
        "e echo hi",
        "1e printf x",
        "s/x/y/;#comment\np",
        "p # comment",
        "{p};p",
        "{p}",
        "1!G;h;$!d",
        "$!d",
        "/^$/d",
        "/^$/,$d",
        "N;s/^/>/mg",
        "N;s/$/</Mg",
        "N;s/a.b/X/",
        "N;s/a.b/X/M",
        "N;N;s/^a/X/M2",
        "/A/Id",
        "/a/I,+1d",
        "\\%a%d",
        "\\,a,p",
    ];
    for s in scripts {
        same(&[s], TEXT);
        same(&["-n", s], TEXT);
        same(&["-s", s], NUMS);
    }
}

#[test]
fn addresses_match_gnu() {
    if !gnu_sed() {
        return;
    }
    for s in [
        "4,~4p",
        "5,~4p",
        "5,3p",
        "2,4{N;N;N;p}",
        "/2/,4{N;N;N;p}",
        "0,/1/p",
        "1,/1/p",
        "2,+0p;5,~0p",
        "0~3p;2~0p",
        "1~3p",
        "10~3p",
        "/1/,+1p",
        "/1/,~4p",
        "2!p",
        "2,3!p",
        "$=",
        "$p",
        "$!p",
        "/5/,$p",
        "/5/,/7/p",
        "/1/,/1/p",
        "3,1p",
        "0,/3/d",
        "2,/[24]/p",
        "2 , 3 p",
        "2~3 p",
        "1 ! p",
        "$ p",
        "/x/,3p",
        "/[0-9]\\{2\\}/p",
        // a range whose first line number was skipped (d, N, n, b) still starts, once
        "1d;1,3p",
        "1d;1,/3/p",
        "1,5d;1,/[27]/p",
        "2d;2,1p",
        "1{N;N;d};1p;2,3p;3p;4p",
        "$!N;3,+1p",
        "$!N;3,~4p",
        "4,0~4p",
        "/4/,0~4p",
        "2~3{N;N};3,/5/p",
        "3b;3,5p",
    ] {
        same(&["-n", s], NUMS);
        same(&[s], NUMS);
    }
}

#[test]
fn substitution_matches_gnu() {
    if !gnu_sed() {
        return;
    }
    let cases: &[(&[&str], &[u8])] = &[
        (&["s/a*/x/g"], b"baaac\n"),
        (&["s/x*/-/g"], b"abc\n"),
        (&["s/b*/x/2"], b"abc\n"),
        (&["s/a/b/3g"], b"aaaaa\n"),
        (&["s/a/b/g3"], b"aaaaa\n"),
        (&["s/a/b/2p"], b"aaaaa\naa\na\n"),
        (&["-n", "s/a/b/gpw /dev/stdout"], b"aaaaa\n"),
        (&["-E", "s/a|ab/X/"], b"abcd\n"),
        (&["-E", "s/(a|ab)(c|bcd)(d*)/[\\1,\\2,\\3]/"], b"abcd\n"),
        (&["s/\\(x\\)\\(y\\)/\\u\\1\\U\\2q\\E\\2/"], b"xy\n"),
        (&["s/.*/\\U&/;s/B/\\l&/"], b"abc\n"),
        (&["s/\\w\\+/\\u&/g"], b"hello big world\n"),
        (
            &["s/\\(.*\\) \\(.*\\)/\\U\\2\\E \\1 \\L\\uSMALL/"],
            b"foo bar\n",
        ),
        (&["-E", "s/()(b)/\\u\\1\\2/"], b"abc\n"),
        (&["-E", "s/(x)?(b)/\\u\\1\\2/"], b"abc\n"),
        (&["s/a/&&\\&/"], b"abc\n"),
        (&["s/\\(a\\)\\(b\\)*/[\\2]/"], b"ac\n"),
        (&["s/a/\\\n/"], b"xay\n"),
        (&["s/a/\\n\\t|/"], b"xay\n"),
        (&["s/x/\\cA\\x41\\o102\\d067/"], b"x\n"),
        (&["s/[/]/X/"], b"a/b\n"),
        (&["s|a\\|b|X|"], b"a|b\n"),
        (&["s/a/b/I"], b"AaA\n"),
        (&["s/A/x/ig"], b"AaA\n"),
        (&["s/^/>/g"], b"abc\n"),
        (&["s/$/</g"], b"abc\n"),
        (&["s/\\</[/g"], b"ab cd\n"),
        (&["s/\\b/|/g"], b"ab cd\n"),
        (&["s/\\n/X/"], b"a\n"),
        (&["s/a\\tb/X/"], b"a\tb\n"),
        (
            &["-E", "s/(.)(.)(.)(.)(.)(.)(.)(.)(.)(.)/\\9\\1/"],
            b"abcdefghij\n",
        ),
        (&["-E", "s/a{2,}/X/"], b"aaa a\n"),
        (&["s/a\\{2\\}/X/g"], b"aaaaa\n"),
        (&["-r", "s/(a+)b\\1/X/"], b"aabaa ab\n"),
        (&["s/\\(a*\\)\\1/X/"], b"aaaa\n"),
        (&["s/a/b/w out"], b"a\nb\n"),
        (&["s/[[:upper:]]/x/g"], b"aBcD\n"),
        (&["s/[^[:alnum:]]//g"], b"a-b.c d\n"),
        (&["-z", "s/\\n/,/g"], b"a\nb\nc\n"),
        (&["-z", "s/^/>/"], b"a\0b\0"),
        (&["s/a/x/g"], b"\xff\xfea\x80a\n"),
        (&["s/./X/g"], b"\xff\xfe\0a\n"),
        // a backslash made by \xHH is a literal one in a replacement
        (&["s/z/\\x5cA/"], b"z\n"),
        (&["s/z/\\x5c1/"], b"z\n"),
        (&["s/z/[\\x26]/"], b"z\n"),
        // with n as the delimiter, \n is the letter
        (&["sn\\nnXn"], b"n\n"),
        (&["s/./\\c/"], b"a\n"),
        (&["s/./\\c\\\\/"], b"a\n"),
        (&["s/./\\c\\d/"], b"a\n"),
        (&["-n", "/\\c\\d/p"], b"a\n"),
        (&["y/a/\\c\\d/"], b"a\n"),
        (&["y/a/\\c/"], b"a\n"),
        (&["y/\\x5cb/XY/"], b"a\\b\n"),
        (&["y/\\\\b/XY/"], b"a\\b\n"),
        // GNU reads escapes in brackets, unless --posix
        (&["s/\\t[\\t]\\t/X/"], b"\t\t\t\n"),
        (&["--posix", "s/\\t[\\t]\\t/X/"], b"\tt\t\n"),
        (&["--posix", "-E", "s/(.+)/{\\1}/"], b"hi+\n"),
        (&["--posix", "-E", "s/a|b/X/g"], b"a|b\n"),
        (&["--posix", "s/a\\|b/X/g"], b"a|b\n"),
        (&["--posix", "s/abc/[\\1]/g"], b"abc\n"),
        (&["s/abc/[\\1]/g"], b"abc\n"),
        (&["-z", "="], b"a\0b\0"),
        // M under -z: ^ and $ at the NULs, one segment at a time
        (
            &["-z", "N;N;s/^/X/g;s/^/X/mg;s/$/Y/g;s/$/Y/mg"],
            b"a\0b\0c\0",
        ),
        (&["-z", "N;s/b$/Z/Mg;s/\\(.\\)Z/[\\1]/M2"], b"ab\0cb\0"),
        (&["-z", "-n", "N;/^c/Mp;/b$/Mp;/b\\x00c/p"], b"ab\0cb\0"),
        (&["-z", "-n", "1F"], b"a\0b\0"),
        (&["y/\\x00/Z/"], b"a\0b\n"),
    ];
    let d = TempDir::new("sed-subst");
    for (args, input) in cases {
        same_in(Some(d.path()), args, input);
    }
}

#[test]
fn malformed_scripts_match_gnu() {
    if !gnu_sed() {
        return;
    }
    for s in [
        "b foo",
        "s/a/b/;s/b/c/w",
        "}",
        "{p",
        "1{",
        "1}",
        "k",
        "1,2,3p",
        "+1p",
        "~1p",
        "0p",
        "0,5p",
        ":",
        "1:a",
        "s/a/b/gg",
        "s/a/b/0",
        "s/a/b/pp",
        "s/a/b/k",
        "s/a/b/3 4",
        "s/a/b/w",
        "p x",
        "dp",
        "d }",
        "{d}p",
        "{d};}",
        "q5x",
        "l 3x",
        "1,2q",
        "1,2Q",
        "r",
        "w",
        "R",
        "W",
        "s",
        "s/",
        "s/a",
        "s/a/",
        "s/a/b",
        "y",
        "y/a",
        "y/a/",
        "y/a/b",
        "y/ab/b/",
        "y/abc/xyz/g",
        "y/abc/xyz/}",
        "/a",
        "\\",
        "\\%a",
        "1,",
        "1,p",
        "1",
        "1 #x",
        "1!!p",
        "1~2~3p",
        "$$p",
        "a",
        "/\\(/p",
        "s/\\(/x/",
        "s/a\\{1/b/",
        "s/[[:foo:]]/b/",
        "s/a**/b/",
        "s/[a/b/",
        "s/a/\\2/",
        "s/\\(a\\)/\\2/",
        "//p",
        "/a/p;//Ip",
        "s//x/I",
        "v 9.0",
        "v 4.2",
        "v",
        ":x y",
        "bx y;:x",
        "s/x/\\c/",
        "{p};}",
        "!!p",
        "1,2!!p",
        "/x/,/y/,/z/p",
        "y/a/\\",
        "s/a/b/e w",
        "1,+2~3p",
        "\n\n1\n",
        // Found by comparing random scripts with GNU's.
        "bl#c{D/b/I",
        "t}",
        ":a}",
        "b a}",
        "{:a}",
        "!\np",
        "1!\n,p",
        "bll 3bqt",
        "T#cz",
        "{s/a/b/wno/such/dir",
        "r /dev/nullq3",
    ] {
        same(&[s], b"a\nb\n");
    }
    for s in [
        "s/a)/x/",
        "/(/p",
        "s/*a/b/",
        "s/a**/b/",
        "s/a{1/b/",
        "s/(a)/\\2/",
    ] {
        same(&["-E", s], b"a)\n");
    }
    // Errors in later expressions and in script files name them.
    same(&["-e", "p", "-e", "s/a/b/x"], b"a\n");
    same(&["-e", "p", "-e", "{", "-e", "p"], b"a\n");
    same(&["-e", "s/a/b", "-e", "p"], b"a\n");
    let d = TempDir::new("sed-bad");
    d.write("script", "p\n\ns/a/b/q\n");
    same_in(Some(d.path()), &["-f", "script"], b"a\n");
    d.write("block", "1{\np\n");
    same_in(Some(d.path()), &["-f", "block"], b"a\n");
    same_in(Some(d.path()), &["-f", "missing"], b"a\n");
}

#[test]
fn options_match_gnu() {
    if !gnu_sed() {
        return;
    }
    let d = TempDir::new("sed-opts");
    d.write("a", "1\n2\n");
    d.write("b", "3\n4\n");
    d.write("nonl", "x\ny");
    d.write("script", "#n\n/3/p\n$=\n");
    d.write("plain", "s/1/one/\n");
    std::fs::create_dir(d.join("dir")).unwrap();
    let p = Some(d.path());
    for args in [
        &["-n", "$p", "a", "b"][..],
        &["-s", "-n", "$p", "a", "b"],
        &["-s", "1p;F", "a", "-", "b"],
        &["F;=", "a", "-", "b"],
        &["-n", "$=", "a", "b", "missing"],
        &["p", "missing", "a"],
        &["p", "dir"],
        &["-f", "script", "a", "b"],
        &["-f", "plain", "-e", "s/2/two/", "a"],
        &["--expression=s/1/X/", "--quiet", "--expression", "p", "a"],
        &["-E", "-e", "s/(1)/<\\1>/", "a"],
        &["-r", "s/(1)/<\\1>/", "a"],
        &["--regexp-extended", "s/(1)/<\\1>/", "a"],
        &["--posix", "s/1\\+/X/", "a"],
        &["--posix", "a foo", "a"],
        &["-u", "p", "a"],
        &["-l", "3", "l", "a"],
        &["--line-length=4", "l", "nonl"],
        &["p", "nonl"],
        &["a\\\nfoo", "nonl"],
        &["-n", "H;${x;p}", "nonl"],
        &["$!d", "nonl", "a"],
        &["--sandbox", "r x", "a"],
        &["--sandbox", "s/x/y/w x", "a"],
        &["--sandbox", "e ls", "a"],
        &["--debug-nope", "p"],
        &["-k", "p"],
        &["-i"],
        &[],
        &["-e"],
        &["--posix", "s/a/b/I", "a"],
        &["-n", "--separate", "1p", "a", "b"],
        &["1R b", "a"],
        &["R b", "a", "a"],
        &["1r b", "a"],
        &["r missing", "a"],
        &["w /dev/stderr", "a"],
        &["-z", "p", "nonl"],
        &["r missing", "nonl"],
        &["r /dev/null", "nonl"],
        &["w /dev/stdout", "nonl"],
        &["W /dev/stdout", "nonl"],
        &["-z", "$!d", "a"],
        &["-s", "-n", "0,/[0-9]/p", "a", "b"],
        &["-n", "/1/,/3/p", "a", "b"],
        &["-s", "-n", "/1/,/3/p", "a", "b"],
        // each file of -s starts with an empty hold space
        &["-s", "x", "a", "b"],
        &["-s", "G", "a", "b"],
        &["-s", "1R b", "a", "a"],
        &["0r b", "a"],
        &["0r b", "-s", "a", "a"],
        &["0,/2/r b", "a"],
        &["0,4r b", "a"],
        &["0p", "a"],
        &["--posix", "0r b", "a"],
        &["-n", "--follow-symlinks", "F", "a", "missing", "b"],
        &["--follow-symlinks", "p", "a", "missing"],
    ] {
        same_in(p, args, b"in1\nin2\n");
    }
    // COLS sets the `l` width (less one), -l still wins
    for cols in ["12", "0", "foo", "2"] {
        for args in [&["-n", "l", "a"][..], &["-l", "5", "-n", "l", "a"]] {
            let o = applet("sed")
                .args(args)
                .cwd(d.path())
                .env("COLS", cols)
                .stdin("0123456789012345678901234567890\n")
                .run();
            let g = gnu("sed")
                .args(args)
                .cwd(d.path())
                .env("COLS", cols)
                .stdin("0123456789012345678901234567890\n")
                .run();
            assert_eq!(
                (o.code, &o.stdout),
                (g.code, &g.stdout),
                "COLS={cols} sed {args:?}"
            );
        }
    }
    // --help and --version answer on stdout.
    let h = applet("sed").arg("--help").run();
    h.ok();
    assert!(h.out().starts_with("Usage: sed [OPTION]..."));
    applet("sed").arg("--version").run().ok();
}

#[test]
fn w_files_and_append_queue() {
    if !gnu_sed() {
        return;
    }
    for args in [
        &["-n", "w out1\n2w out2"][..],
        &["s/[0-9]/N/w out1"],
        &["-n", "W out1"],
        &["/3/w /dev/stdout"],
        &["1a\\\nA\n1r rfile\n1i\\\nI\n1R rfile\n1R rfile\n1R rfile\n1a end"],
        &["a\\\nX\n$!N;s/\\n/-/"],
    ] {
        let ours = TempDir::new("sed-w-ours");
        let theirs = TempDir::new("sed-w-gnu");
        for d in [&ours, &theirs] {
            d.write("rfile", "r1\nr2");
        }
        let o = applet("sed").args(args).stdin(NUMS).cwd(ours.path()).run();
        let g = gnu("sed").args(args).stdin(NUMS).cwd(theirs.path()).run();
        o.same_as(&g);
        for f in ["out1", "out2"] {
            assert_eq!(
                std::fs::read(ours.join(f)).ok(),
                std::fs::read(theirs.join(f)).ok(),
                "{f} after {args:?}"
            );
        }
    }
}

#[test]
fn in_place_editing() {
    if !gnu_sed() {
        return;
    }
    let setup = |d: &Path| {
        std::fs::write(d.join("f"), "one\ntwo\nthree\n").unwrap();
        std::fs::write(d.join("g"), "four\nfive").unwrap();
        std::fs::create_dir(d.join("bak")).unwrap();
        std::os::unix::fs::symlink("f", d.join("link")).unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/h"), "six\n").unwrap();
        std::os::unix::fs::symlink("sub/h", d.join("hlink")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.join("g"), std::fs::Permissions::from_mode(0o640)).unwrap();
    };
    for args in [
        &["-i", "s/o/0/g", "f", "g"][..],
        &["-i.bak", "s/o/0/", "f"],
        &["--in-place=.orig", "1d", "f", "g"],
        &["-i", "bak/*.old", "p", "f"],
        &["-ibak/*.old", "p", "f"],
        &["-i", "$s/$/!/;F", "f", "g"],
        &["-i", "-n", "$p", "f", "g"],
        &["-i", "2q", "f", "g"],
        &["-i", "p", "missing", "f"],
        &["-i", "p", "sub"],
        &["-i", "s/^/>/", "link"],
        &["-i", "--follow-symlinks", "s/^/>/", "link"],
        &["--follow-symlinks", "-i.b", "s/^/>/", "hlink"],
        &["-s", "-i", "1d", "f", "g"],
        &["-i", "w /dev/stdout", "f"],
        &["-i", "-e", "1i\\", "-e", "top", "g"],
        // `*` is the operand as written, the backup named from the current directory
        &["-i", "bak/*", "p", "sub/h"],
        &["-i", "*=*", "p", "f"],
        &["-i", "***", "=", "./g"],
        &["-i", "x", "f", "g"],
        &["-i", "--follow-symlinks", "p", "missing", "f"],
    ] {
        same_effect("sed", None, &setup, args);
    }
    // A read-only directory: the file is left as it was.
    if is_root() {
        let d = TempDir::new("sed-ro");
        std::fs::create_dir(d.join("ro")).unwrap();
        std::fs::write(d.join("ro/f"), "x\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.join("ro/f"), std::fs::Permissions::from_mode(0o666)).unwrap();
        std::fs::set_permissions(d.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let o = applet_as(65534, "sed")
            .args(["-i", "s/x/y/", "ro/f"])
            .cwd(d.path())
            .run();
        let g = gnu_as(65534, "sed")
            .args(["-i", "s/x/y/", "ro/f"])
            .cwd(d.path())
            .run();
        assert_eq!(o.code, g.code);
        assert_eq!(o.code, 4);
        assert!(o
            .err()
            .starts_with("sed: couldn't open temporary file ro/sed"));
        assert!(g
            .err()
            .starts_with("sed: couldn't open temporary file ro/sed"));
        assert!(o.err().ends_with(": Permission denied\n"), "{}", o.err());
        assert_eq!(std::fs::read(d.join("ro/f")).unwrap(), b"x\n");
    } else {
        skip("the read-only directory case needs root to switch users");
    }
}

#[test]
fn bytes_nul_and_huge_lines() {
    if !gnu_sed() {
        return;
    }
    same(&["s/a/b/g"], b"\xff\xfe\x80a\0a\n\0\0\n");
    same(&["-n", "l"], b"\xff\x01\x7f\\\0\n");
    same(&["-z", "s/a/b/;l"], b"a\0ba\0a");
    same(&["N;N;l"], b"a\0\nb\n\0");
    let mut big = vec![b'x'; 10 << 20];
    big.extend_from_slice(b"a\nsecond\n");
    let o = same(&["s/a/b/;s/x*/[&]/2"], &big);
    assert_eq!(o.stdout.len(), big.len() + 4);
    same(&["-n", "/a$/p;$="], &big);
}

#[test]
fn full_device_and_exit_codes() {
    if !gnu_sed() {
        return;
    }
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(f) = full() else {
        skip("no /dev/full");
        return;
    };
    let o = applet("sed").arg("p").stdin("hi\n").stdout_file(f).run();
    let g = gnu("sed")
        .arg("p")
        .stdin("hi\n")
        .stdout_file(full().unwrap())
        .run();
    assert_eq!((o.code, o.err()), (g.code, g.err()));
    assert_eq!(
        o.err(),
        "sed: couldn't flush stdout: No space left on device\n"
    );
    same(&["2q5"], NUMS);
    same(&["2Q5"], NUMS);
    same(&["$q7"], NUMS);
    same(&["q", "missing", "-"], NUMS);
}

/// `--help` and `--version` that cannot be written: sed's output error, status 4, as GNU.
#[test]
fn help_and_version_write_error() {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    if full().is_err() {
        skip("no /dev/full");
        return;
    }
    for opt in ["--help", "--version"] {
        let a = applet("sed").arg(opt).stdout_file(full().unwrap()).run();
        assert_eq!(
            (a.code, a.err()),
            (
                4,
                "sed: couldn't flush stdout: No space left on device\n".into()
            ),
            "{opt}"
        );
        if gnu_sed() {
            let g = gnu("sed").arg(opt).stdout_file(full().unwrap()).run();
            assert_eq!((g.code, g.err()), (a.code, a.err()), "{opt}");
        }
    }
}

#[test]
fn leftmost_longest_and_empty_regex() {
    if !gnu_sed() {
        return;
    }
    same(&["-E", "s/a|ab/X/"], b"abcd\n");
    same(&["-n", "/b/{s//X/gp}"], b"abcb\n");
    same(&["s/b/X/;s//Y/"], b"abcb\n");
    same(&["/a/s//X/g"], b"aXa\n");
}

/// `q` ends the output's last line even when the input's had no newline (GNU flushes its
/// append queue after one); `Q` does not.
#[test]
fn quit_ends_the_last_line() {
    let o = applet("sed").arg("q").stdin("a").run();
    assert_eq!(o.stdout, b"a\n");
    let o = applet("sed").args(["-n", "p;q"]).stdin("a").run();
    assert_eq!(o.stdout, b"a\n");
    let o = applet("sed").args(["p;Q"]).stdin("a").run();
    assert_eq!(o.stdout, b"a");
    if !gnu_sed() {
        return;
    }
    for s in [
        "q", "2q", "$q", "p;q", "$!N;q", "Q", "p;Q", "$a x", "$q;a x", "q5",
    ] {
        for o in ["-s", "-n", "-z"] {
            same(&[o, s], b"a\nb");
        }
    }
}

/// Under -z the text of `i` and `c` ends with NUL, and `l` wraps its lines with `\` and NUL,
/// as GNU (`a` text is written as it is).
#[test]
fn zero_terminated_text_and_list_wrap() {
    let o = applet("sed").args(["-z", "i\\\nins"]).stdin("x\0").run();
    assert_eq!(o.stdout, b"ins\0x\0");
    let o = applet("sed").args(["-z", "l 3"]).stdin("aaaa\0").run();
    assert_eq!(o.stdout, b"aa\\\0aa$\0aaaa\0");
    if !gnu_sed() {
        return;
    }
    for s in [
        "i\\\nins",
        "i ins",
        "a x",
        "c x",
        "$!c\\\nx\\\ny",
        "2c\\",
        "l",
        "l 3",
        "=",
        "$a\\",
    ] {
        same(&["-z", s], b"aaaa\0b\0");
        same(&[s], b"aaaa\nb\n");
    }
}

/// `e COMMAND` reads its command as `a`, `i` and `c` read text: escapes are processed and a
/// backslash-newline goes on to the next line (GNU), instead of the line taken as it is.
#[test]
fn exec_command_is_read_as_text() {
    let o = applet("sed").arg("1e echo a\\\necho b").stdin("x\n").run();
    assert_eq!(o.stdout, b"a\nb\nx\n");
    if !gnu_sed() {
        return;
    }
    for s in [
        "e echo a\\|tr a b",
        "e echo a\\tb",
        "e echo a\\\necho b",
        "e echo 1;1i\\\nx",
        "e   echo sp",
        "1{e echo q\n}",
        "$!N;e echo y",
        "e",
    ] {
        same(&[s], b"x\necho w\n");
        same(&["-n", s], b"x\necho w\n");
    }
    same(&["-e", "e echo a\\", "-e", "echo b"], b"x\n");
}

/// A label defined twice is the last one (GNU's list is newest first; the first made
/// `b end;...;:end;...;:end` loop for ever); `n` and `N` reset the flag `t` and `T` test, as
/// every line read does in GNU; `D` with a line left jumps back to the script's start, so what
/// `a` queued comes out when the next line is read.
#[test]
fn labels_twice_t_flag_and_d_appends() {
    let o = applet("sed")
        .arg("b e;:e;s/^/1/;:e;s/^/2/")
        .stdin("x\n")
        .run();
    assert_eq!(o.stdout, b"2x\n");
    let o = applet("sed")
        .arg("s/^/>/;n;Tz;s/$/+/;:z")
        .stdin("a\nb\n")
        .run();
    assert_eq!(o.stdout, b">a\nb\n");
    let o = applet("sed").arg("$!N;a X\nP;D").stdin("a\nb\nc\n").run();
    assert_eq!(o.stdout, b"a\nX\nb\nc\nX\nX\n");
    if !gnu_sed() {
        return;
    }
    for s in [
        "b e;:e;s/^/1/;:e;s/^/2/",
        "ba;:a;s/^/1/;:a;s/^/2/",
        "s/^/>/;n;Tz;s/$/+/;:z",
        "s/a/A/;$!N;tb;s/^/no/;:b;P;D",
        "s/b/B/;tx;s/^/-/;:x;$!N;P;D",
        "$!N;a X\nP;D",
        "1N;N;i Y\nP;D",
        "$!N;r pats\nP;D",
        "a X\nD",
    ] {
        same(&[s], b"a\nb\nc\na\n");
        same(&["-n", s], b"a\nb\nc\na\n");
    }
}

/// `s//\N/` reusing an address's regex: GNU compiled that one without its groups and checks
/// the reference when the `s` first runs, reporting where the script ended. Found by
/// benches/difftest.py.
#[test]
fn empty_regex_reference_checked_at_run_time() {
    if !gnu_sed() {
        return;
    }
    let d = TempDir::new("sed-ref");
    std::fs::write(d.join("f1"), "p\n/a/s//\\1/\np\n").unwrap();
    std::fs::write(d.join("f2"), "p\n/a/s//\\1/").unwrap();
    std::fs::write(d.join("f3"), "p\n//p\n").unwrap();
    for args in [
        &["/a/s//\\1/"][..],
        &["/x/!s//\\1/"],
        &["/\\(a\\)/s//\\2/"],
        &["/\\(a\\)/s//\\1/"],
        &["s/a/&/;s//\\1/"],
        &["0,/a/s//&\\2/"],
        &["-n", "-e", "p", "-e", "/a/s//\\1/"],
        &["--posix", "/a/s//\\1/"],
        &["-f", "f1"],
        &["-f", "f2"],
        &["-f", "f3"],
        &["-f", "f2", "-e", "p"],
        &["-e", "p", "-f", "f2"],
    ] {
        same_in(Some(d.path()), args, b"ab\nb\n");
    }
}

/// `Q` drops what `a`, `r` and `R` queued (GNU's `q` writes it). Found by benches/difftest.py.
#[test]
fn quiet_quit_drops_the_append_queue() {
    if !gnu_sed() {
        return;
    }
    let d = TempDir::new("sed-q");
    std::fs::write(d.join("r"), "r1\nr2\n").unwrap();
    for args in [
        &["-e", "2a foo", "-e", "2Q"][..],
        &["-e", "2r r", "-e", "2Q"],
        &["-e", "1R r", "-e", "2R r", "-e", "2Q5"],
        &["-e", "2a foo", "-e", "2q"],
        &["-e", "$a foo", "-e", "$q"],
    ] {
        same_in(Some(d.path()), args, b"1\n2\n3");
    }
}
