//! `wc` against GNU wc as the oracle: same stdout, stderr and status.

use crate::harness::*;

fn fixture() -> TempDir {
    let d = TempDir::new("wc");
    let big: String = (1..=50000).map(|i| format!("{i} w{i}\tx\n")).collect();
    d.write("big", big);
    d.write("nt", "a\nb\nc");
    d.write("w1", b"a\x01b \x80c\n\x01\n \x7f\x00z");
    d.write("w2", b"ab\tc\rxyz\n\x01\x80ab\x0cq\x0b\n");
    // Every byte value, in a pseudo-random order, many times.
    let mut x: u32 = 1;
    let bin: Vec<u8> = (0..300_000)
        .map(|_| {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    d.write("bin", bin);
    d.write("a\nb", "newline name\n");
    d.write("a b", "x");
    d.write("list", b"nt\0big\0w1\0");
    d.write("badlist", b"nt\0\0nope\0");
    std::fs::create_dir(d.join("dir")).unwrap();
    d
}

#[test]
fn options_match_gnu() {
    let d = fixture();
    for args in [
        &["big"][..],
        &["-l", "big"],
        &["-w", "w1"],
        &["-L", "w2"],
        &["-c", "big"],
        &["-m", "w1"],
        &["-lwcmL", "w1", "w2", "big", "bin"],
        &["bin"],
        &["-w", "bin"],
        &["-L", "bin"],
        &["a\nb", "nt", "a b"],
        &["-l", "nt", "-"],
        &["-c"],
        &["--files0-from=list"],
        &["-l", "--files0-from=list"],
        &["--files0-from=badlist"],
    ] {
        same_as_gnu("wc", args, Some(b"in1 two\nin2\n"), d.path());
    }
}

#[test]
fn errors_match_gnu() {
    let d = fixture();
    for args in [
        &["dir", "nope", "nt"][..],
        &["-clL", "dir"],
        &["--files0-from=list", "nt"],
        &["--files0-from=nope"],
        &["-x"],
    ] {
        same_as_gnu("wc", args, None, d.path());
    }
    same_as_gnu("wc", &["--files0-from=-"], Some(b"nt\0\0-\0"), d.path());
}

#[test]
fn stdin_widths() {
    let d = fixture();
    let big = std::fs::read(d.join("big")).unwrap();
    for args in [&[][..], &["-l"], &["-c"], &["-", "nt"], &["-L"]] {
        same_as_gnu("wc", args, Some(&big), d.path());
    }
}

#[test]
fn dev_full() {
    let d = fixture();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("wc").arg("nt").cwd(d.path()).stdout_file(f).run();
    o.code(1)
        .stderr_is("wc: write error: No space left on device\n");
}

#[test]
fn big_file_from_an_offset_and_through_a_pipe() {
    // Big regular files are mapped rather than read: counted from where the descriptor stands
    // (not the start of the file), which is left at the end as read(2) would leave it (the
    // `wc -c` after ours sees nothing). A pipe is read.
    let d = fixture();
    let script = r#"{ dd bs=1000 skip=1 count=0 2>/dev/null; "$WC" -lwc; /usr/bin/wc -c; } < big
        { dd bs=1000 skip=1 count=0 2>/dev/null; "$WC" -l -; } < bin
        cat big | "$WC" -l"#;
    let run = |wc: &std::path::Path| {
        gnu("sh")
            .args(["-c", script])
            .env("WC", wc)
            .cwd(d.path())
            .run()
    };
    let (o, g) = (run(&link_dir().join("wc")), run(std::path::Path::new("wc")));
    o.same_as(&g);
    assert_eq!(o.out().lines().nth(1), Some("0"));
}

/// `--files0-from=-` with the list redirected from a regular file is read whole, so the
/// columns are as wide as the files' sizes need, as with a named list (coreutils'
/// wc-files0); from a pipe the counts stay unpadded.
#[test]
fn files0_from_redirected_stdin_as_gnu() {
    let d = fixture();
    for script in [
        "TOOL --files0-from=- < list",
        "TOOL -lc --files0-from=- < list",
        "cat list | TOOL --files0-from=-",
    ] {
        same_script_as_gnu(d.path(), "wc", script);
    }
}

/// `-c` alone trusts a regular file's size but for its last block, which is read: a /proc or
/// /sys file (size 0, or a page holding 2 bytes) is counted as GNU counts it (coreutils'
/// wc-proc), and so is a file read from an offset.
#[test]
fn bytes_of_notional_sizes_as_gnu() {
    let d = fixture();
    let mut scripts = vec![
        "TOOL -c < /proc/version",
        "TOOL -c /proc/version big",
        "(dd bs=1 skip=5 count=0 status=none; TOOL -c) < big",
    ];
    if std::fs::metadata("/sys/kernel/profiling").is_ok() {
        scripts.push("TOOL -c < /sys/kernel/profiling");
    }
    for script in scripts {
        same_script_as_gnu(d.path(), "wc", script);
    }
}

/// In a UTF-8 locale `-m` counts characters as GNU's wc (glibc's decoder: an invalid byte is
/// none, code points past U+10FFFF in up to 6 bytes are one), also across read boundaries;
/// in the C locale it counts bytes.
#[test]
fn chars_in_a_utf8_locale_match_gnu() {
    let d = TempDir::new("wcm");
    let mut big = Vec::new();
    let mut x: u32 = 1;
    for i in 0..200_000u32 {
        big.extend_from_slice("ü€😀a".as_bytes());
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        if i % 7 == 0 {
            big.push((x >> 24) as u8);
        }
    }
    let odd =
        b"a\xe4\xb8\x96b\xe4\xb8c\xff\xc0\x80\xed\xa0\x80d\xf4\x90\x80\x80\xf8\x88\x80\x80\x80\
\xfc\x84\x80\x80\x80\x80\xf8\x87\xbf\xbf\xbf\xef\xbf\xbe hello, \xe4\xb8\x96\xe7\x95\x8c!\n\xe4";
    d.write("big", &big);
    d.write("odd", odd);
    for loc in ["C.UTF-8", "C"] {
        for args in [
            &["-m", "big", "odd"][..],
            &["-mlwc", "odd"],
            &["-cm", "big"],
        ] {
            let r = applet("wc")
                .args(args)
                .env("LC_ALL", loc)
                .cwd(d.path())
                .run();
            let g = gnu("wc").args(args).env("LC_ALL", loc).cwd(d.path()).run();
            r.same_as(&g);
        }
        let r = applet("wc").arg("-m").env("LC_ALL", loc).stdin(&big).run();
        let g = gnu("wc").arg("-m").env("LC_ALL", loc).stdin(&big).run();
        r.same_as(&g);
    }
}
