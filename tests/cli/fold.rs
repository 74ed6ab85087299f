//! `fold` against GNU coreutils' on the same inputs: widths, `-s`, `-b`, tabs, backspaces and
//! carriage returns, several files, the obsolete `-N`, bad widths, missing files.

use crate::harness::*;

#[test]
fn matches_gnu() {
    let d = TempDir::new("fold");
    d.write(
        "t",
        "The quick brown fox jumps over the lazy dog and keeps running far away\n\
         \tTabbed\tline with\ttabs that is long enough to wrap somewhere\n\
         ab\x08cd\r\nshort\n\nno newline at end, quite a long line indeed to be folded",
    );
    d.write("u", "aaaa bbbb\ncccc");
    d.write(
        "w",
        "averyveryverylongwordwithoutanyblanksatall and then some\n",
    );
    let cases: &[&[&str]] = &[
        &["t"],
        &["-w", "10", "t"],
        &["-w10", "-s", "t"],
        &["-s", "-w", "7", "t", "w"],
        &["-b", "-w", "5", "t"],
        &["-bs", "-w", "3", "t"],
        &["--width=1", "t"],
        &["-20", "t"],
        &["-s5", "t"],
        &["-5s", "t"],
        &["-w", "-3", "t"],
        &["-w", "+6", "u", "-", "t"],
        &["-w", "0", "t"],
        &["-w", "99999999999999999999", "t"],
        &["-w", "x", "t"],
        &["nonexistent", "u"],
        &["-x"],
        &["--", "-5"],
    ];
    for args in cases {
        let ours = applet("fold")
            .args(*args)
            .cwd(d.path())
            .stdin("from stdin, long enough\n")
            .run();
        let theirs = gnu("fold")
            .args(*args)
            .cwd(d.path())
            .stdin("from stdin, long enough\n")
            .run();
        ours.same_as(&theirs);
    }
}

/// The password idiom, rbox's applets only: random alphanumerics cut into lines of 32.
#[test]
fn password_idiom() {
    let o = rbox_cmd()
        .args([
            "sh",
            "-c",
            "head -c 3000 /dev/urandom | tr -dc A-Za-z0-9 | fold -w 32 | head -n 1",
        ])
        .env("PATH", link_dir())
        .run();
    o.ok();
    let line = o.out();
    let pw = line.trim_end_matches('\n');
    assert!(
        pw.len() <= 32 && pw.bytes().all(|c| c.is_ascii_alphanumeric()),
        "{line:?}"
    );
}
