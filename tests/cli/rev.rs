//! `rev` against util-linux's on the same inputs: lines reversed by character (UTF-8) with
//! the newline kept at the end, several files, and the errors (a missing file, `-`, a
//! directory, bad options) with their status.

use crate::harness::*;

#[test]
fn matches_util_linux() {
    if !have("rev") {
        return skip("util-linux's rev is not installed");
    }
    let d = TempDir::new("rev");
    std::fs::write(d.join("a"), "abc\n\nxy z\nlast").unwrap();
    std::fs::write(d.join("u"), "h\u{e9}llo w\u{f6}rld\n\u{1f600}!\n").unwrap();
    let cases: &[&[&str]] = &[
        &["a"],
        &["a", "u", "a"],
        &["a", "nosuch", "u"],
        &["-"],
        &["."],
        &["-x"],
        &["--foo"],
        &["--", "a"],
    ];
    for args in cases {
        let ours = applet("rev").args(*args).cwd(d.path()).run();
        // util-linux reads characters in a UTF-8 locale only (rbox in every locale).
        let theirs = gnu("rev")
            .env("LC_ALL", "C.UTF-8")
            .args(*args)
            .cwd(d.path())
            .run();
        ours.same_as(&theirs);
    }
    // Standard input.
    for input in [
        &b"one\ntwo"[..],
        b"",
        b"\n\n",
        "\u{e9}t\u{e9}\n".as_bytes(),
        b"lin\0e 1\n\nline 3\n",
    ] {
        let ours = applet("rev").stdin(input).run();
        let theirs = gnu("rev").env("LC_ALL", "C.UTF-8").stdin(input).run();
        ours.same_as(&theirs);
    }
}

#[test]
fn invalid_utf8_stands_byte_by_byte() {
    let out = applet("rev")
        .stdin(&b"a\xc3b\xff\x80\n\xe2\x82\xac1\n"[..])
        .run();
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, b"\x80\xffb\xc3a\n1\xe2\x82\xac\n");
}
