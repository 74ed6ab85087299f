//! `hexdump` against util-linux's (Debian's bsdextrautils) on the same files and options: the
//! display options, lengths and offsets with suffixes, squeezing and `-v`, several files as one
//! stream, user formats (`-e`, `-f`) with their units and conversions, and the errors.

use crate::harness::*;

fn fixtures(d: &TempDir) {
    d.write("empty", b"");
    d.write("a3", b"abc");
    d.write("a17", b"Hello, world!\n\t\x00\x7f");
    d.write("z64", [0u8; 64]);
    let mut rep = b"0123456789abcdef".repeat(5);
    rep.extend_from_slice(b"tail\x01\x02\x03");
    rep.extend_from_slice(&b"0123456789abcdef".repeat(2));
    d.write("rep", &rep);
    let bytes: Vec<u8> = (0..333u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    d.write("r333", &bytes);
    let all: Vec<u8> = (0..=255u8).collect();
    d.write("all", &all);
    d.write(
        "fmt",
        "# a comment\n\n\"%07.7_ax \" 4/4 \"%08x \" \"\\n\"\n  \"%_Ad\\n\"\n",
    );
}

fn compare(d: &TempDir, args: &[&str]) {
    let ours = applet("hexdump")
        .args(args)
        .cwd(d.path())
        .stdin(b"from stdin\x00\xff")
        .run();
    let theirs = gnu("hexdump")
        .args(args)
        .cwd(d.path())
        .stdin(b"from stdin\x00\xff")
        .run();
    ours.same_as(&theirs);
}

#[test]
fn display_options_match_util_linux() {
    if !have("hexdump") {
        return skip("util-linux's hexdump is not installed");
    }
    let d = TempDir::new("hexdump");
    fixtures(&d);
    for file in ["empty", "a3", "a17", "z64", "rep", "r333", "all"] {
        for opt in [
            &[][..],
            &["-C"],
            &["-b"],
            &["-c"],
            &["-d"],
            &["-o"],
            &["-x"],
            &["-v"],
            &["-C", "-v"],
            &["-b", "-c"],
            &["-C", "-x"],
        ] {
            let mut args = opt.to_vec();
            args.push(file);
            compare(&d, &args);
        }
    }
}

#[test]
fn lengths_offsets_and_streams_match_util_linux() {
    if !have("hexdump") {
        return skip("util-linux's hexdump is not installed");
    }
    let d = TempDir::new("hexdump");
    fixtures(&d);
    let cases: &[&[&str]] = &[
        &["-n", "5", "a17"],
        &["-n", "0", "a17"],
        &["-n", "16", "r333"],
        &["-n", "0x11", "-C", "r333"],
        &["-n", "1K", "a3"],
        &["-n", "1KiB", "-C", "r333"],
        &["-n", "1KB", "r333"],
        &["-n", "abc", "a3"],
        &["-n", "1.5", "a3"],
        &["-n", "-1", "a3"],
        &["-n", "20E", "a3"],
        &["-n", "99999999999999999999", "a3"],
        &["-n", "1Q", "a3"],
        &["."],
        &["-s", "1", ".", "a3"],
        &["-s", "5", "a17"],
        &["-s", "3", "a3"],
        &["-s", "10", "a3"],
        &["-s", "2", "a3", "a3"],
        &["-s", "4", "a3", "a17", "a3"],
        &["-s", "0x10", "-n", "20", "-C", "r333"],
        &["-s", "x", "a3"],
        &["-s", "1", "-C"],
        &["a3", "a17", "a3"],
        &["-C", "a17", "a17", "z64"],
        &["-C", "z64", "z64", "a3"],
        &["-C", "-s", "16", "z64", "a3"],
        &["-C"],
        &[],
        &["nosuch", "a3"],
        &["-C", "a3", "nosuch"],
        &["nosuch"],
        &["nosuch", "other"],
        &["-", "a3"],
        &["-Q", "a3"],
        &["-X", "a3"],
        &["--canon", "a3"],
        &["--length=4", "--skip", "1", "a17"],
    ];
    for args in cases {
        compare(&d, args);
    }
}

#[test]
fn formats_match_util_linux() {
    if !have("hexdump") {
        return skip("util-linux's hexdump is not installed");
    }
    let d = TempDir::new("hexdump");
    fixtures(&d);
    let formats: &[&str] = &[
        r#"4/4 "%08X" 1 "\n""#,
        r#"/1 "%02x""#,
        r#"16/1 "%02x " "\n""#,
        r#""%07.7_ax " 8/2 "%04x " "\n""#,
        r#""%07.7_Ax\n""#,
        r#""%_ad: " 4/1 "%3u" "\n""#,
        r#""%08.8_ao " 2/8 "%20d " "\n""#,
        r#"1/4 "%-12i|" 1/4 "%+d" "\n""#,
        r#"/2 "% 6d\n""#,
        r#"/1 "%#o %#x %#X\n""#,
        r#"4/1 "%c" "\n""#,
        r#"/1 "%3_c" "\n""#,
        r#"/1 "%_u " "\n""#,
        r#"8/1 "%_p" "\n""#,
        r#"/8 "%e\n""#,
        r#"/4 "%10.3f|" "\n""#,
        r#"/8 "%g %G\n""#,
        r#""%5s|" "\n""#,
        r#"/4 "%s|" "\n""#,
        r#""%.3s|\n""#,
        r#"2/1 "%_p" "\n""#,
        // Only escapes after the last escape: Debian's 2.38.1 does not move plain characters
        // that follow one (see `escapes_before_text`).
        r#"3/1 "%x " "|\t\a\v\\\q" "\n""#,
        r#"/1 "%.0x" "\n""#,
        r#"/1 "%-5x|" "\n""#,
        r#"/2 "%05x" "\n""#,
        r#"/2 "%08.4x" "\n""#,
        r#""%.40o|%#45.30x|%-+30.28d|\n""#,
        r#"/ "%x""#,
        r#"x"#,
        r#""abc"#,
        r#""a\"b""#,
        r#"3x "%x""#,
        r#""%y""#,
        r#""%%""#,
        r#"/3 "%x""#,
        r#""%s""#,
        r#"/1 "%x%x""#,
        r#"1/2 "%c""#,
        r#"/2 "%f""#,
        r#""%_z""#,
        r#"/1 "%_ay""#,
        r#"/2 "%_p""#,
        r#""x\n""#,
    ];
    for file in ["empty", "a3", "a17", "z64", "rep", "all"] {
        for f in formats {
            compare(&d, &["-e", f, file]);
            compare(&d, &["-v", "-e", f, file]);
        }
        compare(&d, &["-f", "fmt", file]);
        compare(&d, &["-e", r#""%07.7_ax " 4/1 "%02x " "\n""#, "-C", file]);
        compare(&d, &["-x", "-e", r#""%_Ad end\n""#, file]);
    }
    compare(&d, &["-f", "nosuch", "a3"]);
}

#[test]
fn floats_of_any_bits_match_util_linux() {
    if !have("hexdump") {
        return skip("util-linux's hexdump is not installed");
    }
    let d = TempDir::new("hexdump");
    // Pseudo-random bits: NaNs, infinities, subnormals and huge exponents among them.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    d.write("bits", &bytes);
    for f in [
        r#"/8 "%e %g|%20.10f\n""#,
        r#"/4 "%g %E %-8.2G|\n""#,
        r#"/8 "%+.3e % f\n""#,
        r#"/4 "%#g %010.2f\n""#,
    ] {
        compare(&d, &["-v", "-e", f, "bits"]);
    }
}

#[test]
fn escapes_before_text() {
    // util-linux 2.38.1 leaves a plain character after an escape where it was (`"\t%x"` reads
    // as `"\ttx..."` there); ours moves it up as 2.39 does.
    let out = applet("hexdump")
        .args(["-n", "2", "-e", r#"/1 "\t%x\n" "[\\]" "\n""#])
        .stdin(b"ab")
        .run();
    out.ok().stdout_is("\t61\n[\\]\n\t62\n[\\]\n");
}
