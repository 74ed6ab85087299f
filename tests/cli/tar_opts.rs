//! tar's command line through `common::args`: GNU's messages and statuses for bad invocations
//! (compared with GNU tar when it is installed), options among the names in order, old-style
//! first arguments, `--help`/`--version`/`--usage`.

use std::process::Command;

#[allow(unused_imports)]
use crate::harness::*;
use crate::tar::{gnu_tar, tar, tar_in};

const HINT: &str = "Try 'tar --help' or 'tar --usage' for more information.\n";

/// Bad invocations where rbox says exactly what GNU tar 1.34 says: (arguments, first stderr
/// line, status).
const SAME_AS_GNU: &[(&[&str], &str, i32)] = &[
    (&["-q"], "tar: invalid option -- 'q'", 64),
    (&["-tf", "a.tar", "x", "-q"], "tar: invalid option -- 'q'", 64),
    (&["--foo"], "tar: unrecognized option '--foo'", 64),
    (&["--foo=bar"], "tar: unrecognized option '--foo=bar'", 64),
    (&["--file"], "tar: option '--file' requires an argument", 64),
    (&["-x", "--exclude"], "tar: option '--exclude' requires an argument", 64),
    (&["-xf"], "tar: option requires an argument -- 'f'", 64),
    (&["-x", "-b"], "tar: option requires an argument -- 'b'", 64),
    (
        &["-tf", "a.tar", "--no-rec=1"],
        "tar: option '--no-recursion' doesn't allow an argument",
        64,
    ),
    (
        &["--di"],
        "tar: option '--di' is ambiguous; possibilities: '--diff' '--directory'",
        64,
    ),
    (
        &["--sa"],
        "tar: option '--sa' is ambiguous; possibilities: '--same-owner' '--same-permissions' '--same-order'",
        64,
    ),
    (&["xf"], "tar: Old option 'f' requires an argument.", 2),
    (&["txvf"], "tar: Old option 'f' requires an argument.", 2),
    (&["tfC", "a.tar"], "tar: Old option 'C' requires an argument.", 2),
    // The old-style letters are expanded before anything is parsed.
    (&["qf"], "tar: Old option 'f' requires an argument.", 2),
    (&["x-f"], "tar: Old option 'f' requires an argument.", 2),
    (&["xqf", "a.tar"], "tar: invalid option -- 'q'", 64),
    (
        &[],
        "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
        2,
    ),
    (
        &[""],
        "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
        2,
    ),
    (
        &["-cx"],
        "tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
        2,
    ),
    (
        &["--get", "-t"],
        "tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
        2,
    ),
    // A second mode is refused where it stands, before a later bad option.
    (
        &["-cx", "--foo"],
        "tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
        2,
    ),
    (&["-c"], "tar: Cowardly refusing to create an empty archive", 2),
    // The first bad option wins, wherever --help stands after it.
    (&["--foo", "--help"], "tar: unrecognized option '--foo'", 64),
];

#[test]
fn bad_invocations_word_and_status() {
    let t = TempDir::new("taropts");
    for (args, line, code) in SAME_AS_GNU {
        let o = tar_in(&t, *args);
        assert_eq!(
            (o.err(), o.code),
            (format!("{line}\n{HINT}"), *code),
            "tar {args:?}"
        );
    }
}

/// The same table run through GNU tar, when it is installed: rbox must still say what GNU says.
#[test]
fn bad_invocations_match_gnu_tar() {
    let gnu_version = Command::new("tar").arg("--version").output();
    let is_gnu = matches!(&gnu_version, Ok(o) if o.stdout.starts_with(b"tar (GNU tar)"));
    if !is_gnu {
        return skip("GNU tar not installed");
    }
    let t = TempDir::new("taropts-gnu");
    for (args, _, _) in SAME_AS_GNU {
        let g = gnu_tar(&t, *args);
        let o = tar_in(&t, *args);
        assert_eq!(
            (o.err(), o.code),
            (
                String::from_utf8_lossy(&g.stderr).into_owned(),
                g.status.code().unwrap()
            ),
            "tar {args:?}"
        );
    }
}

/// GNU lists every option of its own sharing the prefix; rbox lists its own in GNU's order.
#[test]
fn ambiguous_prefixes_in_gnu_order() {
    let cases: &[(&str, &str)] = &[
        ("--ver", "'--verbose' '--version'"),
        ("--co", "'--compare' '--concatenate'"),
        ("--g", "'--get' '--group' '--gzip' '--gunzip'"),
        (
            "--ex",
            "'--extract' '--exclude' '--exclude-from' '--exclude-vcs'",
        ),
    ];
    for (arg, list) in cases {
        tar().arg(arg).run().code(64).stderr_is(format!(
            "tar: option '{arg}' is ambiguous; possibilities: {list}\n{HINT}"
        ));
    }
    // glibc quotes the argument as typed, value included.
    tar().arg("--ver=1").run().code(64).stderr_is(format!(
        "tar: option '--ver=1' is ambiguous; possibilities: '--verbose' '--version'\n{HINT}"
    ));
}

/// Unambiguous prefixes, `--opt=value`, `--opt value`, aliases.
#[test]
fn long_option_forms() {
    let t = TempDir::new("taropts-long");
    t.write("d/a", "a");
    t.write("d/b.o", "b");
    tar_in(
        &t,
        [
            "--cr",
            "--file",
            "x.tar",
            "--exclude=*.o",
            "--dir",
            "d",
            ".",
        ],
    )
    .ok();
    tar_in(&t, ["--li", "--file=x.tar"])
        .ok()
        .stdout_is("./\n./a\n");
    tar_in(&t, ["--get", "--to-std", "-f", "x.tar", "./a"])
        .ok()
        .stdout_is("a");
}

/// `-C DIR` applies to the names after it; old-style letters take their words in order; a
/// dashed first argument bundles with the argument attached or next.
#[test]
fn options_among_names_and_old_style() {
    let t = TempDir::new("taropts-order");
    t.write("d1/x", "x");
    t.write("d2/y", "y");
    tar_in(
        &t,
        ["cfb", "a.tar", "20", "-C", "d1", "x", "-C", "../d2", "y"],
    )
    .ok();
    tar_in(&t, ["tf", "a.tar"]).ok().stdout_is("x\ny\n");
    tar_in(&t, ["-tvfa.tar", "y"]).ok();
    // `cf -`: the archive on standard output, as the next word says.
    let o = tar_in(&t, ["cf", "-", "d1"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.len() >= 1024 && o.stdout.len().is_multiple_of(512));
    // After `--` everything is a name; POSIXLY_CORRECT does not stop tar at the first name.
    tar_in(&t, ["-tf", "a.tar", "--", "-v"]).code(2);
    tar()
        .args(["-tf", "a.tar", "y", "-v"])
        .env("POSIXLY_CORRECT", "1")
        .cwd(t.path())
        .run()
        .ok();
}

#[test]
fn help_version_usage_from_the_table() {
    let o = tar().arg("--help").run();
    assert_eq!(o.code, 0);
    assert!(o.out().starts_with("Usage: tar [OPTION...] [FILE]...\n"));
    assert_eq!(tar().arg("-?").run().ok().out(), o.out());
    assert_eq!(tar().arg("--he").run().ok().out(), o.out());
    tar().arg("--version").run().ok().stdout_is(format!(
        "tar (rbox) {}\nGNU tar compatible archiver.\n",
        env!("CARGO_PKG_VERSION")
    ));
    let u = tar().arg("--usage").run();
    assert_eq!(u.code, 0);
    assert!(u.out().starts_with("Usage: tar [-"));
    // Answered where it stands: options after it are not looked at.
    tar().args(["--help", "--foo"]).run().ok();
}
