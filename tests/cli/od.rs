//! `od` against GNU od 9 as the oracle: output, messages and status.

use crate::harness::*;

#[test]
fn matches_gnu() {
    let d = TempDir::new("od");
    d.write(
        "t1",
        b"a\tb\tc\n\tx\ty\n  \t z\tq\nab\x08c\td\n\t\t\n12345678\tx\nno newline\t\xff\x80\x7f\0",
    );
    d.write(
        "fl",
        b"\x00\x00\x80\x3f\x9a\x99\x99\x3f\x00\x00\xc0\x7f\x01\x00\x00\x00\xff\xfe\x80\x7f",
    );
    d.write("al", "abcdefghijklmnopq");
    d.write("zz", [0u8; 100]);
    let rnd: Vec<u8> = (0..3000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    d.write("rnd", &rnd);
    let cases: &[&[&str]] = &[
        &["t1"],
        &["-c", "t1"],
        &["-a", "t1"],
        &["-b", "t1"],
        &["-d", "t1"],
        &["-o", "t1"],
        &["-s", "t1"],
        &["-x", "t1"],
        &["-i", "t1"],
        &["-l", "t1"],
        &["-D", "t1"],
        &["-O", "t1"],
        &["-X", "t1"],
        &["-f", "fl"],
        &["-t", "f4", "-t", "f8", "fl"],
        &["-t", "fD", "fl"],
        &["-t", "x2z", "-t", "c", "al"],
        &["-t", "x1z", "-w5", "al"],
        &["-t", "x4z", "-t", "x1z", "al"],
        &["-t", "d4", "-t", "x1", "al"],
        &["-w3", "-t", "x2", "al"],
        &["-j", "5", "al"],
        &["zz"],
        &["-v", "zz"],
        &["-A", "d", "t1"],
        &["-A", "x", "t1"],
        &["-A", "n", "t1"],
        &["-A", "z", "t1"],
        &["-t", "x1z", "t1"],
        &["-t", "a", "-t", "c", "-t", "x1", "t1"],
        &["-t", "u1", "-t", "d1", "-t", "o1", "t1"],
        &["-t", "u8", "-t", "d8", "t1"],
        &["-t", "x8", "t1"],
        &["-t", "oC", "-t", "xS", "-t", "dI", "-t", "uL", "al"],
        &["-t", "d3", "t1"],
        &["-t", "q", "t1"],
        &["-t", "f2", "t1"],
        &["-w", "t1"],
        &["-w8", "-c", "t1"],
        &["-N", "0x10", "t1"],
        &["-j", "0x3", "-N", "010", "t1"],
        &["-N", "1k", "t1"],
        &["-j", "1000", "t1"],
        &["-j", "x", "t1"],
        &["-N", "x", "t1"],
        &["nope", "t1"],
        &["t1", "nope", "al"],
        &["."],
        &["al", "al"],
        &["-c", "rnd"],
        &["-t", "x4", "rnd"],
        &["-tfF", "rnd"],
        &["-tfD", "rnd"],
        &["-tx1", "-v", "rnd"],
        &["-x"],
    ];
    for c in cases {
        let r = applet("od").args(*c).cwd(d.path()).run();
        let g = gnu("od").args(*c).cwd(d.path()).run();
        r.same_as(&g);
    }
    let r = applet("od").args(["-c", "-"]).stdin("hi\n").run();
    let g = gnu("od").args(["-c", "-"]).stdin("hi\n").run();
    r.same_as(&g);
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("od").stdin("abc").stdout_file(f1).run();
    let g = gnu("od").stdin("abc").stdout_file(f2).run();
    r.same_as(&g);
}

/// Input read ahead in blocks: files larger than a block, lines spanning two files and block
/// ends, -j and -N inside and across blocks, and a seekable standard input left just after
/// the bytes od was allowed to read (`(od -N 5; cat) < FILE` as with GNU's stdio).
#[test]
fn large_inputs_and_limits_match_gnu() {
    let d = TempDir::new("od-big");
    let big: Vec<u8> = (0..200_001u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    d.write("big", &big);
    d.write("odd", &big[..70_001]);
    d.write("z", vec![0u8; 100_000]);
    for c in [
        &["-tx1", "big"][..],
        &["-An", "-td2", "-w10", "big"],
        &["-to4", "-j", "65530", "-N", "100", "big"],
        &["-tu8", "-j", "65537", "big"],
        &["-td1", "-N", "131080", "big"],
        &["-tx2", "-c", "odd", "odd", "big"],
        &["-Ad", "z", "odd"],
        &["-tx1", "-j", "199990", "big", "odd"],
    ] {
        let r = applet("od").args(c).cwd(d.path()).run();
        let g = gnu("od").args(c).cwd(d.path()).run();
        r.same_as(&g);
    }
    for n in ["5", "70000"] {
        let script = |od: &str| format!("({od} -N {n} -tx1; od -An -tx1 -N 8) < big");
        let ours = format!("{} od", rbox().display());
        let r = std::process::Command::new("sh")
            .args(["-c", &script(&ours)])
            .current_dir(d.path())
            .output()
            .unwrap();
        let g = std::process::Command::new("sh")
            .args(["-c", &script("od")])
            .current_dir(d.path())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&r.stdout),
            String::from_utf8_lossy(&g.stdout)
        );
    }
}

/// The obsolescent offset operands: `FILE +OFFSET`, `FILE OFFSET` (octal), `+OFFSET` on
/// standard input, none of them once a modern option is given, and `--traditional`'s
/// `[FILE] OFFSET LABEL` with its `OFFSET (LABEL)` column and one-file limit.
#[test]
fn old_offset_operands_match_gnu() {
    let d = TempDir::new("od-old");
    d.write("h", "HELLO WORLD 12345, and some more bytes");
    let cases: &[&[&str]] = &[
        &["-c", "h", "+1"],
        &["-c", "h", "12"],
        &["-c", "h", "+0x2"],
        &["-c", "h", "1b"],
        &["-c", "h", "+1."],
        &["-c", "h", "8"],
        &["-v", "-c", "h", "+1"],
        &["-t", "c", "h", "12"],
        &["-w8", "-c", "h", "+1"],
        &["-b", "--traditional", "h"],
        &["--traditional", "-c", "h", "1", "2"],
        &["--traditional", "-c", "-x", "h", "3", "0x10"],
        &["--traditional", "-Ax", "-c", "h", "1", "2"],
        &["--traditional", "-An", "-c", "h", "1", "2"],
        &["--traditional", "-c", "h", "1."],
        &["--traditional", "h", "1", "2", "3"],
    ];
    for c in cases {
        same_as_gnu("od", c, None, d.path());
    }
    for c in [
        &["-c", "+2"][..],
        &["--traditional", "-b"],
        &["--traditional", "3"],
    ] {
        same_as_gnu("od", c, Some(b"HELLO"), d.path());
    }
}

/// `-t fL`: x87 long doubles as glibc prints them, in the fewest digits that read back (GNU's
/// ftoastr): normals, denormals, pseudo-denormals (printed without their integer bit, all 21
/// digits), unnormals and pseudo-NaNs (nan), infinities, signed zeros.
#[test]
fn long_doubles_match_gnu() {
    let d = TempDir::new("odL");
    let ld = |m: u64, se: u16| {
        let mut v = m.to_le_bytes().to_vec();
        v.extend_from_slice(&se.to_le_bytes());
        v.extend_from_slice(&[0; 6]);
        v
    };
    let mut data = Vec::new();
    for (m, se) in [
        (0x8000_0000_0000_0000, 0x3fff),
        (0xcccc_cccc_cccc_cccd, 0x3ffb),
        (0x8000_0000_0000_0000, 0xbffe),
        (0, 0),
        (0, 0x8000),
        (1, 0),
        (0x4000_0000_0000_0000, 0),
        (0x8000_0000_0000_0001, 0),
        (0xc748_0000_00c3_e900, 0x0001),
        (0x8000_0000_0000_0000, 0x7fff),
        (0x8000_0000_0000_0000, 0xffff),
        (0xc000_0000_0000_0000, 0x7fff),
        (0x4000_0000_0000_0000, 0x7fff),
        (0x4000_0000_0000_0000, 0x3fff),
        (0xffff_ffff_ffff_ffff, 0x7ffe),
        (0x8000_0000_0000_0000, 0x0001),
    ] {
        data.extend(ld(m, se));
    }
    let rnd: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    data.extend_from_slice(&rnd);
    d.write("ld", &data);
    d.write(
        "seq",
        (1..=19).map(|i| format!("{i}\n")).collect::<String>(),
    );
    for args in [
        &["-tfL", "ld"][..],
        &["-An", "-tf16z", "-tx1", "ld"],
        &["-w48", "-tfL", "-tc", "seq"],
        &["-An", "-tfLz", "-tfD", "seq"],
        &["-tf10", "seq"],
    ] {
        same_as_gnu("od", args, None, d.path());
    }
}

/// A skip past the end reports only that, before any width warning, as GNU.
#[test]
fn skip_error_before_width_warning() {
    for (args, input) in [
        (
            &["-t", "u4", "-t", "f8", "-w4", "-j", "100"][..],
            &b"ab"[..],
        ),
        (
            &["-t", "u4", "-t", "f8", "-w4", "-j", "1"],
            b"abcdefghijklmnopq",
        ),
        (&["-w3", "-t", "x2"], b"abcdefgh"),
    ] {
        let r = applet("od").args(args).stdin(input).run();
        let g = gnu("od").args(args).stdin(input).run();
        r.same_as(&g);
    }
}
