//! `base64` against GNU base64 9 as the oracle: output, messages and status.

use crate::harness::*;

fn data() -> Vec<u8> {
    // Every byte value, several times over, in a fixed pseudo-random order.
    let mut x: u32 = 7;
    (0..200_003)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect()
}

#[test]
fn encode_matches_gnu() {
    let d = TempDir::new("b64e");
    let f = d.write("f", data());
    for w in [
        &[][..],
        &["-w0"],
        &["-w", "1"],
        &["-w", "5"],
        &["--wrap=100"],
    ] {
        let r = applet("base64").args(w).arg(&f).run();
        let g = gnu("base64").args(w).arg(&f).run();
        r.same_as(&g);
    }
    for input in [&b""[..], b"a", b"ab", b"abc", b"\0\xff\n"] {
        for w in [&[][..], &["-w0"]] {
            let r = applet("base64").args(w).stdin(input).run();
            let g = gnu("base64").args(w).stdin(input).run();
            r.same_as(&g);
        }
    }
}

#[test]
fn decode_matches_gnu() {
    let d = TempDir::new("b64d");
    let f = d.write("f", data());
    let enc = gnu("base64").arg(&f).run().stdout;
    let e = d.write("e", &enc);
    for a in [&["-d"][..], &["-di"], &["--decode", "--ignore-garbage"]] {
        let r = applet("base64").args(a).arg(&e).run();
        r.ok();
        assert_eq!(r.stdout, data());
    }
    for s in [
        &b"YQ==YQ=="[..],
        b"YQ",
        b"YQ=",
        b"Y Q==",
        b"YWJj\nZGVm\n",
        b"YW\nJj",
        b"Y",
        b"YQ==\n\n",
        b"YQ=x",
        b"YQ===",
        b"=",
        b"YQ==\r\n",
        b"YWJ=",
        b"YR==",
        b"Y\nQ\n=\n=",
        b"\xff\xfeYQ==",
        b"",
    ] {
        for a in [&["-d"][..], &["-di"]] {
            let r = applet("base64").args(a).stdin(s).run();
            let g = gnu("base64").args(a).stdin(s).run();
            r.same_as(&g);
        }
    }
}

/// Decoding in whole 4-character groups where it can: lines of every length (groups across
/// newlines), one 270 KB line (across read buffers), a bad character or padding deep inside
/// (what decoded before it is written, then the message), garbage with -i.
#[test]
fn large_decodes_match_gnu() {
    let d = TempDir::new("b64l");
    let f = d.write("f", data());
    let mut cases = Vec::new();
    for w in ["0", "7", "76", "1000"] {
        let enc = gnu("base64").args(["-w", w]).arg(&f).run().stdout;
        cases.push(enc);
    }
    let mut bad = cases[2].clone();
    bad[150_001] = b'*';
    cases.push(bad);
    let mut pad = cases[0].clone();
    pad[200_002] = b'=';
    cases.push(pad);
    let mut junk = cases[1].clone();
    for i in (0..junk.len()).step_by(1001) {
        junk[i] = b'!';
    }
    cases.push(junk);
    for (i, c) in cases.iter().enumerate() {
        let e = d.write(&format!("e{i}"), c);
        for a in [&["-d"][..], &["-di"]] {
            let r = applet("base64").args(a).arg(&e).run();
            let g = gnu("base64").args(a).arg(&e).run();
            assert_eq!((r.code, r.err()), (g.code, g.err()), "case {i} {a:?}");
            assert!(r.stdout == g.stdout, "case {i} {a:?}: output differs");
        }
    }
}

#[test]
fn errors_match_gnu() {
    let d = TempDir::new("b64x");
    let dir = d.path().display().to_string();
    for a in [
        vec!["nope".to_string()],
        vec![dir.clone()],
        vec!["-d".into(), dir],
        vec!["a".into(), "b".into()],
        vec!["-w".into(), "x".into()],
        vec!["-w".into(), "-1".into()],
        vec!["-x".into()],
    ] {
        let r = applet("base64").args(&a).run();
        let g = gnu("base64").args(&a).run();
        r.same_as(&g);
    }
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("base64").stdin("abc").stdout_file(f1).run();
    let g = gnu("base64").stdin("abc").stdout_file(f2).run();
    r.same_as(&g);
}
