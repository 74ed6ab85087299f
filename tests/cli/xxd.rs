//! `xxd` against vim's (Debian's `xxd` package) on the same files and options: the dump styles
//! (normal, bits, little-endian, plain, C include), columns, groups, offsets, seeks, lengths,
//! autoskip, the reverse direction (normal and plain dumps, patching a file, pipes) and the
//! errors with their statuses.

use crate::harness::*;

fn fixtures(d: &TempDir) {
    std::fs::write(d.join("x.bin"), b"Hello, world!\nThis is xxd.\x00\xff").unwrap();
    std::fs::write(d.join("a11"), b"abcdefghijk").unwrap();
    std::fs::write(d.join("9a.b"), b"abc").unwrap();
    let mut z = vec![0u8; 64];
    z.push(b'x');
    std::fs::write(d.join("z65"), &z).unwrap();
    let bytes: Vec<u8> = (0..300u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(d.join("r300"), &bytes).unwrap();
    std::fs::write(d.join("empty"), b"").unwrap();
}

#[test]
fn dumps_match_vim() {
    if !have("xxd") {
        return skip("vim's xxd is not installed");
    }
    let d = TempDir::new("xxd");
    fixtures(&d);
    let cases: &[&[&str]] = &[
        &["x.bin"],
        &["-g1", "-c8", "-u", "x.bin"],
        &["-i", "x.bin"],
        &["-i", "-C", "a11"],
        &["-i", "-n", "9x-y", "a11"],
        &["-i", "9a.b"],
        &["-i", "empty"],
        &["-b", "-l", "4", "x.bin"],
        &["-b", "-c", "3", "r300"],
        &["-e", "x.bin"],
        &["-e", "-g2", "a11"],
        &["-e", "-g", "8", "r300"],
        &["-e", "-u", "r300"],
        &["-e", "-g", "3", "a11"],
        &["-s", "3", "-l", "5", "-o", "100", "x.bin"],
        &["-d", "r300"],
        &["-o", "0x10", "-d", "a11"],
        &["-c5", "a11"],
        &["-c5", "-g3", "a11"],
        &["-c", "7", "-g", "0", "a11"],
        &["-g", "5", "r300"],
        &["-cols", "4", "a11"],
        &["-c4", "-len", "6", "a11"],
        &["-c", "300", "a11"],
        &["-a", "z65"],
        &["-a", "-c", "8", "z65"],
        &["-a", "r300"],
        &["-a", "-p", "z65"],
        &["-p", "-c", "0", "z65"],
        &["-p", "-c", "4", "a11"],
        &["-ps", "r300"],
        &["-u", "-p", "a11"],
        &["-b", "-p", "a11"],
        &["-p", "-b", "a11"],
        &["-l", "0x3", "a11"],
        &["-l", "-1", "a11"],
        &["-l", "0", "a11"],
        &["-s", "-3", "a11"],
        &["-s", "+2", "a11"],
        &["-s", "0x10", "r300"],
        &["r300"],
        &["-u", "r300"],
        &["nosuch"],
        &["-q"],
        &["-h"],
        &["a11", "b", "c"],
        &[],
        &["-i"],
        &["-p"],
        &["-s", "+3"],
    ];
    for args in cases {
        let ours = applet("xxd")
            .args(*args)
            .cwd(d.path())
            .stdin(b"stdin bytes\x00\x01")
            .run();
        let theirs = gnu("xxd")
            .args(*args)
            .cwd(d.path())
            .stdin(b"stdin bytes\x00\x01")
            .run();
        ours.same_as(&theirs);
    }
}

#[test]
fn reverse_matches_vim() {
    if !have("xxd") {
        return skip("vim's xxd is not installed");
    }
    let d = TempDir::new("xxdr");
    fixtures(&d);
    let dumps: &[&str] = &[
        "00000000: 6162 6364  abcd\n",
        "00000000: 6162 6364 abcd\n",
        "00000004: 6162\n00000000: 41\n",
        "0000: 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50 51\n",
        "0:4142\n",
        "  00000002: 4142 4344\n",
        "00000000: 4g41\n",
        "00000000: 6 162\n",
        "00000010: 4142\n",
    ];
    for dump in dumps {
        for opts in [&[][..], &["-c", "4"], &["-s", "-16"], &["-s", "2"]] {
            // To a file (seeks) and to a pipe (NULs forward, no step back).
            let mut args = vec!["-r"];
            args.extend_from_slice(opts);
            let ours = applet("xxd").args(&args).stdin(dump.as_bytes()).run();
            let theirs = gnu("xxd").args(&args).stdin(dump.as_bytes()).run();
            ours.same_as(&theirs);
        }
    }
    for plain in [
        "6 1 6\n2zz6364\n",
        "abc\n",
        "41 42\n43\n",
        "4142434445464748494a4b4c\n",
    ] {
        let ours = applet("xxd")
            .args(["-r", "-p"])
            .stdin(plain.as_bytes())
            .run();
        let theirs = gnu("xxd").args(["-r", "-p"]).stdin(plain.as_bytes()).run();
        ours.same_as(&theirs);
    }
    // A dump reverted onto an existing file patches it in place.
    std::fs::write(d.join("p"), b"XXXXXXXX").unwrap();
    let out = applet("xxd")
        .args(["-r", "-", "p"])
        .cwd(d.path())
        .stdin(&b"00000002: 4142\n"[..])
        .run();
    assert_eq!(out.code, 0);
    assert_eq!(std::fs::read(d.join("p")).unwrap(), b"XXABXXXX");
    // What a dump shows comes back byte for byte.
    for style in [&["-r"][..], &["-r", "-p"]] {
        let dump_args: &[&str] = if style.len() == 2 {
            &["-p", "r300"]
        } else {
            &["r300"]
        };
        let dump = applet("xxd").args(dump_args).cwd(d.path()).run();
        let back = applet("xxd").args(style).stdin(dump.stdout).run();
        assert_eq!(back.stdout, std::fs::read(d.join("r300")).unwrap());
    }
}

#[test]
fn write_error_is_status_3() {
    let out = applet("xxd")
        .args(["-p"])
        .stdin(&b"abc"[..])
        .stdout_file(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .run();
    assert_eq!(out.code, 3);
    assert_eq!(out.stderr, b"xxd: No space left on device\n");
}
