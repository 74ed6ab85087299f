//! `cat` against GNU cat 9's documented behaviour; where GNU cat is installed, the same inputs
//! are run through it too so the expectations are proven right.

use crate::harness::*;
use std::process::Command;

const SAMPLE: &[u8] = b"one\ttab\n\n\n\nctl \x01\x1b\x7f high \x80\x9f\xa0\xff\r\nlast no newline";

fn gnu_cat(args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    if !std::path::Path::new("/usr/bin/cat").exists() {
        return None;
    }
    let d = TempDir::new("gnucat");
    let f = d.write("in", input);
    let o = Command::new("/usr/bin/cat")
        .args(args)
        .arg(&f)
        .output()
        .ok()?;
    String::from_utf8_lossy(
        &Command::new("/usr/bin/cat")
            .arg("--version")
            .output()
            .ok()?
            .stdout,
    )
    .contains("GNU coreutils")
    .then_some(o.stdout)
}

#[test]
fn every_option_matches_gnu() {
    let cases: &[(&[&str], &[u8])] = &[
        (&[], b"one\ttab\n\n\n\nctl \x01\x1b\x7f high \x80\x9f\xa0\xff\r\nlast no newline"),
        (&["-n"], b"     1\tone\ttab\n     2\t\n     3\t\n     4\t\n     5\tctl \x01\x1b\x7f high \x80\x9f\xa0\xff\r\n     6\tlast no newline"),
        (&["-b"], b"     1\tone\ttab\n\n\n\n     2\tctl \x01\x1b\x7f high \x80\x9f\xa0\xff\r\n     3\tlast no newline"),
        (&["-s"], b"one\ttab\n\nctl \x01\x1b\x7f high \x80\x9f\xa0\xff\r\nlast no newline"),
        (&["-E"], b"one\ttab$\n$\n$\n$\nctl \x01\x1b\x7f high \x80\x9f\xa0\xff^M$\nlast no newline"),
        (&["-T"], b"one^Itab\n\n\n\nctl \x01\x1b\x7f high \x80\x9f\xa0\xff\r\nlast no newline"),
        (&["-v"], b"one\ttab\n\n\n\nctl ^A^[^? high M-^@M-^_M- M-^?^M\nlast no newline"),
        (&["-A"], b"one^Itab$\n$\n$\n$\nctl ^A^[^? high M-^@M-^_M- M-^?^M$\nlast no newline"),
        (&["-e"], b"one\ttab$\n$\n$\n$\nctl ^A^[^? high M-^@M-^_M- M-^?^M$\nlast no newline"),
        (&["-t"], b"one^Itab\n\n\n\nctl ^A^[^? high M-^@M-^_M- M-^?^M\nlast no newline"),
        (&["-sn"], b"     1\tone\ttab\n     2\t\n     3\tctl \x01\x1b\x7f high \x80\x9f\xa0\xff\r\n     4\tlast no newline"),
        (&["--number", "--squeeze-blank", "--show-ends"], b"     1\tone\ttab$\n     2\t$\n     3\tctl \x01\x1b\x7f high \x80\x9f\xa0\xff^M$\n     4\tlast no newline"),
        (&["-u"], SAMPLE),
    ];
    let d = TempDir::new("catopts");
    let f = d.write("in", SAMPLE);
    for (args, want) in cases {
        let o = applet("cat").args(*args).arg(&f).run();
        o.ok();
        assert_eq!(o.stdout, *want, "cat {args:?}");
        if let Some(g) = gnu_cat(args, SAMPLE) {
            assert_eq!(g, *want, "GNU cat {args:?} disagrees with the expectation");
        }
    }
}

#[test]
fn stdin_dash_and_many_files_keep_line_state() {
    let d = TempDir::new("catmany");
    let a = d.write("a", "ab");
    let b = d.write("b", "cd\nef\n");
    applet("cat")
        .arg("-n")
        .arg(&a)
        .arg("-")
        .arg(&b)
        .stdin("X\n")
        .run()
        .ok()
        .stdout_is("     1\tabX\n     2\tcd\n     3\tef\n");
    applet("cat")
        .stdin("piped\n")
        .run()
        .ok()
        .stdout_is("piped\n");
    linked("cat")
        .arg("-")
        .stdin("dash\n")
        .run()
        .ok()
        .stdout_is("dash\n");
}

#[test]
fn missing_file_reported_rest_printed() {
    let d = TempDir::new("catmiss");
    let a = d.write("a", "A\n");
    let b = d.write("b", "B\n");
    let o = applet("cat").arg(&a).arg(d.join("nope")).arg(&b).run();
    o.code(1).stdout_is("A\nB\n");
    assert_eq!(
        o.err(),
        format!(
            "cat: {}: No such file or directory\n",
            d.join("nope").display()
        )
    );
    let o = applet("cat").arg(d.path()).run();
    o.code(1);
    assert_eq!(
        o.err(),
        format!("cat: {}: Is a directory\n", d.path().display())
    );
    // Names are quoted the GNU way in messages.
    let o = applet("cat").arg("no such").run();
    o.code(1)
        .stderr_is("cat: 'no such': No such file or directory\n");
}

#[test]
fn unreadable_file() {
    if is_root() {
        return; // root reads everything; the check is meaningless there
    }
    let d = TempDir::new("catperm");
    let f = d.write("secret", "x");
    std::fs::set_permissions(&f, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let o = applet("cat").arg(&f).run();
    o.code(1);
    assert!(o.err().ends_with(": Permission denied\n"));
}

#[test]
fn input_file_is_output_file() {
    let d = TempDir::new("catself");
    let f = d.write("f", "data\n");
    let out = std::fs::OpenOptions::new().append(true).open(&f).unwrap();
    let o = applet("cat").arg(&f).stdout_file(out).run();
    o.code(1);
    assert_eq!(
        o.err(),
        format!("cat: {}: input file is output file\n", f.display())
    );
    assert_eq!(std::fs::read(&f).unwrap(), b"data\n");
}

#[test]
fn non_utf8_bytes_pass_through() {
    let data: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let d = TempDir::new("catbin");
    let f = d.write("bin", &data);
    let o = applet("cat").arg(&f).run();
    o.ok();
    assert!(o.stdout == data);
    let o = applet("cat").stdin(&data).run();
    assert!(o.stdout == data);
    // Kernel copy to a regular file.
    let dst = d.join("copy");
    let o = applet("cat")
        .arg(&f)
        .stdout_file(std::fs::File::create(&dst).unwrap())
        .run();
    o.ok();
    assert!(std::fs::read(&dst).unwrap() == data);
}

#[test]
fn write_error_and_epipe() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let d = TempDir::new("catfull");
    let f = d.write("f", "x\n");
    applet("cat")
        .arg(&f)
        .stdout_file(full)
        .run()
        .code(1)
        .stderr_is("cat: write error: No space left on device\n");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("cat")
        .arg("-n")
        .arg(&f)
        .stdout_file(full)
        .run()
        .code(1)
        .stderr_is("cat: write error: No space left on device\n");
    // A reader that goes away: quiet, like a C tool (killed by SIGPIPE), no panic message.
    let sh = format!(
        "yes 0123456789 | head -c 5000000 | {} cat -n | head -n 1; exit 0",
        rbox().display()
    );
    let o = Command::new("sh").arg("-c").arg(&sh).output().unwrap();
    assert_eq!(o.stdout, b"     1\t0123456789\n");
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
}

#[test]
fn long_lines_and_big_numbers() {
    let mut data = vec![b'x'; 1_000_000];
    data.push(b'\n');
    data.resize(data.len() + 1_000_050, b'\n');
    let o = applet("cat").arg("-n").stdin(&data).run();
    o.ok();
    let s = &o.stdout;
    assert!(s.starts_with(b"     1\txxxx"));
    assert!(
        s.ends_with(b"1000051\t\n"),
        "{:?}",
        String::from_utf8_lossy(&s[s.len() - 30..])
    );
}

/// With formatting options the output is held in a buffer, but never while cat waits for more
/// input: a line written by a producer that then pauses must reach the reader (GNU's cat-buf).
/// Both GNU cat and rbox get "1\n" on a pipe kept open; the line must come out before EOF.
#[test]
fn formatted_output_flushed_before_blocking_read() {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let first_line = |cmd: &mut Command| -> Vec<u8> {
        let mut child = cmd
            .arg("-v")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(b"1\n").unwrap();
        let mut out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut b = [0u8; 16];
            let n = out.read(&mut b).unwrap_or(0);
            let _ = tx.send(b[..n].to_vec());
        });
        // A bound against hanging, not a speed check: before EOF the line is either out or not.
        let got = rx.recv_timeout(std::time::Duration::from_secs(60));
        drop(input);
        let _ = child.wait();
        got.unwrap_or_default()
    };
    assert_eq!(first_line(Command::new(rbox()).arg("cat")), b"1\n");
    if gnu_cat(&[], b"").is_some() {
        assert_eq!(first_line(&mut Command::new("/usr/bin/cat")), b"1\n");
    }
}
