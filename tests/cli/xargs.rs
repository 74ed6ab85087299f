//! `xargs` against GNU findutils: the same input and options through both, stdout, stderr and
//! status compared.

use crate::harness::*;

fn same(args: &[&str], input: &[u8]) {
    let o = applet("xargs").args(args).stdin(input).run();
    let want = gnu("xargs").args(args).stdin(input).run();
    assert_eq!(o.out(), want.out(), "xargs {args:?} <<< {input:?}");
    assert_eq!(o.err(), want.err(), "xargs {args:?} <<< {input:?}");
    assert_eq!(o.code, want.code, "xargs {args:?} <<< {input:?}");
}

#[test]
fn splitting_and_quoting_as_gnu() {
    let inputs: &[&[u8]] = &[
        b"",
        b"\n\n",
        b"a b\nc",
        b"  a   b  \n\n c \n",
        b"a 'b c' \"d e\" f\\ g\n",
        b"a\\\nb\n",
        b"a\\",
        b"a\\'b \"x'y\" 'p\"q'\n",
        b"a 'b\n",
        b"a \"b\n",
        b"a 'b",
        b"one\ttwo\n",
        b"a\nEND\nb\n",
        b"x\n_\ny\n",
        b"\xff\xfe a\n",
    ];
    for i in inputs {
        same(&[], i);
        same(&["-n1"], i);
        same(&["-n2", "echo", "+"], i);
        same(&["-L1"], i);
        same(&["-E", "END"], i);
        same(&["-e_"], i);
        same(&["-r"], i);
        same(&["-t", "echo"], i);
    }
}

#[test]
fn lines_and_replacement() {
    same(&["-L1"], b"a b\nc d \ne\n");
    same(&["-L2"], b"a\nb\nc\nd\ne\n");
    same(&["-l"], b"a\nb\n");
    same(&["-I{}", "echo", "[{}]"], b" x y \nz\n\n");
    same(&["-I", "X", "echo", "aXb", "X", "-X-"], b"1\n2 3\n");
    same(&["-i", "echo", "<{}>"], b"a\nb\n");
    same(&["-ifoo", "echo", "foo"], b"a\n");
    same(&["-I", "{}", "-n1", "echo", "{}", "{}"], b"a\n");
    same(&["-n1", "-L2"], b"a\n");
    same(&["-L1", "-n1"], b"a\n");
    same(&["-L1", "-I{}", "echo", "{}"], b"a\n");
    same(&["-I{}", "-L1", "echo", "{}"], b"a\n");
}

#[test]
fn delimiters() {
    same(&["-0", "-n1"], b"a\0b c\0\0d");
    same(&["-0"], b"");
    same(&["-0", "-n1", "echo", "x"], b"\0");
    same(&["-d", "\\n", "-n1"], b"a\n\nb 'c\n");
    same(&["-d:", "-n2"], b"a:b:c");
    same(&["-d", "\\x41"], b"xAyAz");
    same(&["-d", "\\t"], b"1\t2");
    same(&["-d", "ab"], b"x");
    same(&["-0", "-E", "b"], b"a\0b\0c\0");
}

#[test]
fn sizes() {
    same(&["-s", "15"], b"aaaa bbbb cccc\n");
    same(&["-s", "14", "-x", "echo"], b"aaaa bbbb cccc\n");
    same(&["-s", "7", "-n1", "-x"], b"a b\n");
    same(&["-s", "9", "-n2", "-x"], b"a bb\n");
    same(&["-s", "5"], b"a\nb\n");
    same(&["-s", "3"], b"");
    same(&["-s", "0"], b"");
    same(&["-s", "x"], b"");
    same(&["-n", "0"], b"");
    same(&["-n", "x"], b"");
    same(&["-P", "-1"], b"");
    same(&["-P", "x"], b"");
    same(&["-L", "0"], b"");
    // Many words: the commands split where GNU splits them.
    let mut big = Vec::new();
    for i in 0..60000 {
        big.extend_from_slice(format!("word{i} ").as_bytes());
    }
    let o = applet("xargs")
        .args(["sh", "-c", "echo $#"])
        .stdin(&big)
        .run();
    let w = gnu("xargs").args(["sh", "-c", "echo $#"]).stdin(&big).run();
    o.same_as(&w);
    assert!(o.out().lines().count() > 1);
    same(&["-s", "1000"], &big[..20000]);
    // Each run starts again from the initial arguments (one buffer, cut back after a run).
    let mut items = Vec::new();
    for i in 0..500 {
        items.extend_from_slice(format!("item {i}\0").as_bytes());
    }
    same(&["-0", "-s", "300", "echo", "first"], &items);
    same(&["-0", "-t", "-n", "7", "echo", "x"], &items[..400]);
    same(&["-t", "-L", "2", "printf", "[%s]"], b"a b\nc\nd e f\ng\n");
}

#[test]
fn exit_statuses() {
    same(&["nosuchcommand-xyz"], b"a\n");
    same(&["/etc/passwd"], b"a\n");
    same(&["sh", "-c", "exit 3"], b"a\n");
    same(&["-n1", "sh", "-c", "exit $0"], b"0\n2\n0\n");
    same(&["-n1", "sh", "-c", "exit $0"], b"0\n255\n3\n");
    same(&["sh", "-c", "kill $$"], b"a\n");
    same(&["-n1", "sh", "-c", "exit 126"], b"a\n");
    same(&["-Q"], b"");
    same(&["--bogus"], b"");
    same(&["-E"], b"");
    same(&["--process-slot-var=A=B"], b"");
    // A script without `#!` runs under /bin/sh, as glibc's execvp runs it for GNU xargs.
    let d = TempDir::new("xargs-noshebang");
    let f = d.write("s", "echo ran \"$@\"\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
    same(&[f.to_str().unwrap()], b"a b\n");
}

#[test]
fn arg_file_parallel_and_slots() {
    let d = TempDir::new("xargs");
    let f = d.write("args", "x\ny z\n");
    let fs = f.to_str().unwrap();
    same(&["-a", fs, "echo"], b"ignored\n");
    same(&["-a", "/nonexistent/file", "echo"], b"");
    // With -a, the command's stdin is xargs' own; otherwise /dev/null.
    same(&["-a", fs, "-n1", "head", "-c2"], b"in\n");
    same(&["sh", "-c", "cat; echo $#"], b"a b\n");
    // -P: every command runs (order may vary: compare sorted).
    let run = |r: Run| {
        let o = r
            .args([
                "-P3",
                "-n1",
                "--process-slot-var=SLOT",
                "sh",
                "-c",
                "echo $0 ${SLOT:+slot}",
            ])
            .stdin("1 2 3 4 5 6 7 8\n")
            .run();
        let mut l: Vec<String> = o.out().lines().map(String::from).collect();
        l.sort();
        (l, o.code)
    };
    assert_eq!(run(applet("xargs")), run(gnu("xargs")));
    same(&["-P0", "-n2", "sh", "-c", "exit 0"], b"1 2 3 4\n");
}

#[test]
fn help_and_limits() {
    let o = applet("xargs").arg("--help").run();
    o.ok();
    assert!(o
        .out()
        .starts_with("Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n"));
    let o = applet("xargs")
        .args(["--show-limits", "-r"])
        .stdin("")
        .run();
    o.ok();
    assert!(o
        .err()
        .contains("Size of command buffer we are actually using: 131072\n"));
    // Options stop at the command.
    same(&["echo", "-n", "x"], b"y\n");
}

/// Items, quotes and escapes that straddle the 64 KiB reads (input from a pipe comes in such
/// pieces) come out whole, split into the commands GNU makes.
#[test]
fn items_across_read_boundaries() {
    let mut blanks = Vec::new();
    let mut nul = Vec::new();
    let mut i = 0usize;
    while blanks.len() < 300_000 {
        let word = format!("w{i}-{}", "x".repeat(i % 97));
        match i % 5 {
            0 => blanks.extend_from_slice(format!("'{word} q' ").as_bytes()),
            1 => blanks.extend_from_slice(format!("\"{word}\"\n").as_bytes()),
            2 => blanks.extend_from_slice(format!("{word}\\ e\t").as_bytes()),
            _ => blanks.extend_from_slice(format!("{word}\n").as_bytes()),
        }
        nul.extend_from_slice(word.as_bytes());
        nul.push(if i.is_multiple_of(7) { b'\n' } else { 0 });
        i += 1;
    }
    for (args, input) in [
        (&["sh", "-c", "printf '%s|' \"$@\"; echo", "-"][..], &blanks),
        (
            &["-0", "sh", "-c", "printf '%s|' \"$@\"; echo", "-"][..],
            &nul,
        ),
        (
            &["-d", "\\n", "-n", "3000", "sh", "-c", "echo $#"][..],
            &nul,
        ),
    ] {
        let o = applet("xargs").args(args).stdin(input).run();
        let w = gnu("xargs").args(args).stdin(input).run();
        assert!(o.out().lines().count() > 2, "{args:?}");
        o.same_as(&w);
    }
}

/// Cases after GNU findutils' own xargs suite (rewritten): which white space separates, what
/// -I does with leading blanks and empty lines, -L's counting, and options that cancel others.
#[test]
fn findutils_suite_cases_as_gnu() {
    // Only space, tab and newline end an item, but every kind of white space (\f \r \v too)
    // is skipped before one: a line of white space is nothing, with -I as well.
    let ws: &[u8] = b"\n \x0c\r\t\x0b\n";
    let mixed: &[u8] = b" \x0c\r\t\x0b\ndumb\n s  s \n\x0cf\x0c\x0cf\x0c\n\rr\r\x0b\n  \t x \n";
    for i in [ws, mixed] {
        same(&["echo", "this", "plus", "that"], i);
        same(&["-r", "echo", "this"], i);
        same(&["-IARG", "echo", "from", "ARG", "to", "xARGy"], i);
        same(&["-i", "echo", "<{}>"], i);
        same(&["-L2"], i);
        same(&["-l"], i);
    }
    // -I: whole lines, leading blanks dropped, trailing ones kept, empty lines skipped.
    same(&["-I{}", "echo", "[{}]"], b"\n\n  a b  \n\t\n c\n\n");
    // -L: a line ending in a blank (even an escaped one) runs on into the next.
    same(&["-L1"], b"a \nb\nc\\ \nd\ne\n");
    // At the end of input an empty item is nothing, even '' or an open quote.
    for i in [&b"'"[..], b"a '", b"a ''", b"a ''\n", b"a\\", b"a \\"] {
        same(&[], i);
    }
    // An unmatched quote: what came before runs, except with -x, -L or -I.
    same(&["-n2"], b"one\n\"two\nthree");
    same(&["-n2", "-x"], b"one\n\"two\nthree");
    same(&["-L2"], b"a\n'b\n");
    same(&["-I{}", "echo", "{}"], b"a\n'b\n");
    // A NUL cuts its item short, with a warning once.
    same(&[], b"a\0b c\nd\0e\n");
    // -I, -L, -l and -n cancel each other with GNU's warnings; -n1 after -I quietly.
    for args in [
        &["-n2", "-I{}", "echo", "{}"][..],
        &["-L2", "-I{}", "echo", "{}"],
        &["-I{}", "-n2", "echo", "{}"],
        &["-I{}", "-n1", "echo", "{}"],
        &["-I{}", "-l", "echo", "{}"],
        &["-n2", "-l"],
        &["-n2", "-L1"],
        &["-l1", "-n2"],
        &["--max-lines=x"],
        &["-lx"],
    ] {
        same(args, b"a b\nc d\ne\n");
    }
    // The exit status of -I commands that fail, with a -n1 given before -I.
    same(
        &["-n1", "-IARG", "sh", "-c", "ARG"],
        b"false\necho 1\necho 2\n",
    );
}

/// What follows the EOF string stays in a seekable standard input for the next reader, as it
/// does with GNU's stdio.
#[test]
fn eof_string_leaves_the_rest_of_a_file() {
    let d = TempDir::new("xargs-eof");
    d.write("in", "1\n2\n3\n");
    d.write("in2", "a b\nc\n");
    for (xargs, input) in [
        ("xargs -E2; cat", "in"),
        ("xargs -n1 -E2; cat", "in"),
        ("xargs -L1 -E b; cat", "in2"),
        ("xargs -a in -E2; cat", "in"),
    ] {
        let script = format!("({xargs}) < {input}");
        let ours = gnu("sh")
            .args([
                "-c",
                &script.replacen("xargs", &format!("{} xargs", rbox().display()), 1),
            ])
            .cwd(d.path())
            .run();
        let theirs = gnu("sh").args(["-c", &script]).cwd(d.path()).run();
        assert_eq!(ours.out(), theirs.out(), "{script}");
        assert_eq!(ours.code, theirs.code, "{script}");
    }
}

/// Cases found by `benches/difftest.py xargs`.
#[test]
fn status_after_a_failed_command_and_size_messages_as_gnu() {
    // once a command has failed, xargs ends with 123 whatever error stops it later
    same(&["false"], b"a 'b\n");
    same(
        &["-n1", "sh", "-c", "test $0 = b || exit 3; exit 255"],
        b"a b c\n",
    );
    same(
        &["-n1", "sh", "-c", "test $0 = b || exit 3; kill -9 $$"],
        b"a b c\n",
    );
    same(
        &["-n1", "sh", "-c", "test $0 = a && exit 3; exec nosuch"],
        b"a b\n",
    );
    // -I's checks in GNU's order: the line, the command's name, each argument
    same(&["-s10", "-IX", "echo", "XX"], b"a\n");
    same(&["-s10", "-IX", "echo", "X"], b"abcdefghij\n");
    same(&["-s10", "-IX", "echo", "X"], b"ab\n");
    same(&["-s4", "-IX", "echo", "X"], b"a\n");
    same(&["-s8", "-IX", "echo", "aaaaXXX"], b"a\n");
    // a brace alone is quoted in -t's line (gnulib's shell quoting)
    same(&["-t", "true"], b"{ } {} a{ x}\n");
}

/// More from `benches/difftest.py xargs`: a command killed or exiting 255 while xargs stops
/// on an unmatched quote gives its status; an item too long for the line is that error before
/// its quote is found open; -t's double quotes only around gnulib's "compatible" bytes.
#[test]
fn exit_handler_statuses_and_quoting_as_gnu() {
    same(&["sh", "-c", "kill -15 $$"], b"a\n'b\n");
    same(&["sh", "-c", "exit 255"], b"a\n'b\n");
    same(
        &["-s30", "-IX", "echo", "X"],
        b"\" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
    same(&["-s1", "-IX", "echo", "X"], b"\"a\n");
    same(&["-s20", "echo"], b"\"xxxxxxxxxxxxxxxxxxxxxxxxxx\n");
    for item in [
        "<a'b>", "a'@", "a'?", "a'{", "'#", "#'", "a'~", "~'", "a' b", "a'=",
    ] {
        let mut input = item.as_bytes().to_vec();
        input.push(0);
        same(&["-0", "-t", "true"], &input);
    }
}

/// An item too long for the line with -x (or -L): nothing gathered before it runs.
#[test]
fn line_too_long_runs_nothing_with_exit_as_gnu() {
    same(
        &["-x", "-s30", "echo"],
        b"a b xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
    same(
        &["-s30", "echo"],
        b"a b xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
    same(
        &["-L2", "-s30", "echo"],
        b"a b xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
}

/// -L implies -x (an overlong line is an error, not split); with -I the command's name counts
/// against the line's room once a command has been made.
#[test]
fn lines_imply_exit_and_replace_counts_the_name_as_gnu() {
    let input = b"ENDA'q w'AxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxA'it''s'A{A";
    same(&["-d", "A", "-L2", "-s50", "printf", "[%s]\n"], input);
    same(
        &["-L2", "-s40", "echo"],
        b"a b\nxxxxxxxxxxxxxxxxxxxx yyyy\n",
    );
    same(
        &["--delimiter=,", "-s10", "-I", "R", "-r", "echo", "R"],
        b"END,\"a'b\",a,",
    );
    same(&["-s10", "-I", "R", "echo", "R"], b"abcdefghi\n");
    same(&["-s10", "-I", "R", "echo", "R"], b"abc\nabcd\n");
}
