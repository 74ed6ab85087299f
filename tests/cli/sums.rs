//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum` against GNU
//! coreutils as the oracle: digests on every size around the block boundaries, output
//! formats, `-c` with its options, messages and statuses.

use crate::harness::*;
use std::os::unix::ffi::OsStrExt;

const ALL: [&str; 6] = [
    "md5sum",
    "sha1sum",
    "sha224sum",
    "sha256sum",
    "sha384sum",
    "sha512sum",
];

fn oracle() -> bool {
    if have("sha256sum") && have("md5sum") {
        return true;
    }
    skip("GNU coreutils' *sum tools are not installed");
    false
}

/// Run ours and GNU's in `dir` with `args` (and stdin), asserting the same stdout, stderr and
/// status.
#[track_caller]
fn same(tool: &str, dir: &TempDir, args: &[&[u8]], stdin: Option<&[u8]>) -> Output {
    let osargs: Vec<&std::ffi::OsStr> = args
        .iter()
        .map(|a| std::ffi::OsStr::from_bytes(a))
        .collect();
    let mut ours = applet(tool).args(&osargs).cwd(dir.path());
    let mut theirs = gnu(tool).args(&osargs).cwd(dir.path());
    if let Some(i) = stdin {
        ours = ours.stdin(i);
        theirs = theirs.stdin(i);
    }
    let (o, g) = (ours.run(), theirs.run());
    o.same_as(&g);
    o
}

fn pseudo(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 11) as u8
        })
        .collect()
}

#[test]
fn digests_of_every_size_match_gnu() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("sums-sizes");
    // Files from 256 KiB on are mapped, handed over 1 MiB at a time.
    let data = pseudo((3 << 20) + 100);
    let mut names: Vec<String> = Vec::new();
    let mut sizes: Vec<usize> = (0..=200).collect();
    sizes.extend([
        255,
        256,
        1000,
        4095,
        4096,
        65536,
        131071,
        262144,
        262145,
        1 << 20,
        (1 << 20) + 1,
        (3 << 20) + 100,
    ]);
    for n in sizes {
        let name = format!("f{n}");
        d.write(&name, &data[..n]);
        names.push(name);
    }
    for tool in ALL {
        let args: Vec<&[u8]> = names.iter().map(|s| s.as_bytes()).collect();
        let o = same(tool, &d, &args, None);
        assert_eq!(
            o.stdout.iter().filter(|&&c| c == b'\n').count(),
            names.len()
        );
        // From standard input too, in one piece.
        same(tool, &d, &[], Some(&data));
    }
}

#[test]
fn big_file_on_standard_input_from_an_offset() {
    // A mapped file is hashed from where the descriptor stands, and left at its end (the
    // `wc -c` after ours sees nothing), as with read(2).
    if !oracle() {
        return;
    }
    let d = TempDir::new("sums-offset");
    d.write("big", pseudo(700_000));
    let script = r#"{ dd bs=1000 skip=3 count=0 2>/dev/null; "$SUM" -; /usr/bin/wc -c; } < big"#;
    let run = |sum: &std::path::Path| {
        gnu("sh")
            .args(["-c", script])
            .env("SUM", sum)
            .cwd(d.path())
            .run()
    };
    let o = run(&link_dir().join("sha256sum"));
    o.same_as(&run(std::path::Path::new("sha256sum")));
    assert_eq!(o.out().lines().nth(1), Some("0"));
}

#[test]
fn output_formats_match_gnu() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("sums-fmt");
    d.write("plain", b"hello\n");
    d.write("back\\slash", b"a");
    d.write("new\nline", b"b");
    d.write("cr\rname", b"c");
    d.write("sp ace", b"");
    std::fs::write(d.join(std::ffi::OsStr::from_bytes(b"bad\xffutf8")), b"x").unwrap();
    let names: [&[u8]; 6] = [
        b"plain",
        b"back\\slash",
        b"new\nline",
        b"cr\rname",
        b"sp ace",
        b"bad\xffutf8",
    ];
    for tool in ALL {
        for flags in [
            &[][..],
            &[&b"-b"[..]][..],
            &[b"-t"],
            &[b"--tag"],
            &[b"-z"],
            &[b"--tag", b"-z"],
            &[b"-t", b"--tag"],
            &[b"--binary", b"--zero"],
        ] {
            let mut args: Vec<&[u8]> = flags.to_vec();
            args.extend(names);
            same(tool, &d, &args, None);
        }
        same(tool, &d, &[b"-", b"plain", b"-"], Some(b"stdin data"));
        same(tool, &d, &[b"--tag", b"-"], Some(b""));
    }
}

#[test]
fn errors_match_gnu() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("sums-err");
    d.write("f", b"data");
    std::fs::create_dir(d.join("dir")).unwrap();
    let cases: &[&[&[u8]]] = &[
        &[b"missing"],
        &[b"f", b"missing", b"f"],
        &[b"dir"],
        &[b"--tag", b"-t", b"f"],
        &[b"--tag", b"-c", b"f"],
        &[b"-b", b"-c", b"f"],
        &[b"-z", b"-c", b"f"],
        &[b"--quiet", b"f"],
        &[b"--status", b"f"],
        &[b"-w", b"f"],
        &[b"--strict", b"f"],
        &[b"--ignore-missing", b"f"],
        &[
            b"--quiet",
            b"--status",
            b"-w",
            b"--strict",
            b"--ignore-missing",
            b"f",
        ],
        &[b"--status", b"--strict", b"f"],
        &[b"--bogus"],
        &[b"-x"],
        &[b"--s", b"f"],
        &[b"-c", b"missing"],
        &[b"-c", b"dir"],
        &[b"-c", b"f"],
    ];
    for tool in ["sha256sum", "md5sum"] {
        for args in cases {
            same(tool, &d, args, None);
        }
    }
}

#[test]
fn permission_denied_as_non_root() {
    if !oracle() {
        return;
    }
    if !is_root() || !have("setpriv") {
        skip("needs root and setpriv to run as another user");
        return;
    }
    let d = TempDir::new("sums-perm");
    let f = d.write("secret", b"x");
    std::fs::set_permissions(&f, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let mut p = d.path().to_path_buf();
    while let Some(parent) = p.parent() {
        let _ = std::process::Command::new("chmod")
            .arg("o+x")
            .arg(&p)
            .status();
        p = parent.to_path_buf();
    }
    let list = d.write("list", format!("{}  {}\n", "0".repeat(64), f.display()));
    std::fs::set_permissions(&list, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let o = applet_as(65534, "sha256sum").arg(&f).run();
    o.same_as(&gnu_as(65534, "sha256sum").arg(&f).run());
    assert_eq!(o.code, 1);
    assert!(o.err().contains("Permission denied"));
    let o = applet_as(65534, "sha256sum").arg("-c").arg(&list).run();
    o.same_as(&gnu_as(65534, "sha256sum").arg("-c").arg(&list).run());
    assert!(o.out().contains("FAILED open or read"));
}

#[test]
fn check_mode_matches_gnu() {
    if !oracle() {
        return;
    }
    let d = TempDir::new("sums-check");
    d.write("a", b"alpha\n");
    d.write("b", b"beta\n");
    d.write("new\nline", b"nl");
    d.write("back\\slash", b"bs");
    for tool in ALL {
        let gen = gnu(tool)
            .args(["a", "b", "new\nline", "back\\slash"])
            .cwd(d.path())
            .run();
        gen.ok();
        let good = gen.stdout.clone();
        let tagged = gnu(tool)
            .args(["--tag", "a", "b", "new\nline", "back\\slash"])
            .cwd(d.path())
            .run()
            .stdout;
        let binary = gnu(tool).args(["-b", "a", "b"]).cwd(d.path()).run().stdout;
        let first = good.split(|&c| c == b' ').next().unwrap().to_vec();
        let hexlen = first.len();
        let mut bad = good.clone();
        // Corrupt the second line's digest.
        let second = good.iter().position(|&c| c == b'\n').unwrap() + 1;
        bad[second] = if bad[second] == b'0' { b'1' } else { b'0' };
        let upper = String::from_utf8_lossy(&good)
            .to_uppercase()
            .replace("  A", "  a")
            .replace("  B", "  b");
        let mut mixed = b"# comment\n\n".to_vec();
        mixed.extend_from_slice(&good);
        mixed.extend_from_slice(b"garbage line\r\n");
        mixed.extend_from_slice(&first);
        mixed.extend_from_slice(b"  missing-file\n");
        mixed.extend_from_slice(&first);
        mixed.extend_from_slice(b" a\n"); // one space: "BSD reversed", refused after GNU lines
        let mut crlf = Vec::new();
        for l in good.split_inclusive(|&c| c == b'\n') {
            crlf.extend_from_slice(&l[..l.len() - 1]);
            crlf.extend_from_slice(b"\r\n");
        }
        let mut reversed = first.clone();
        reversed.extend_from_slice(b" a\n");
        let mut short = first[..hexlen - 1].to_vec();
        short.extend_from_slice(b"  a\n");
        d.write("good", &good);
        d.write("tagged", &tagged);
        d.write("binary", &binary);
        d.write("bad", &bad);
        d.write("upper", upper.as_bytes());
        d.write("mixed", &mixed);
        d.write("crlf", &crlf);
        d.write("reversed", &reversed);
        d.write("short", &short);
        d.write("empty", b"");
        d.write("junk", b"not a checksum\nnor this\n");
        let lists: [&[u8]; 11] = [
            b"good",
            b"tagged",
            b"binary",
            b"bad",
            b"upper",
            b"mixed",
            b"crlf",
            b"reversed",
            b"short",
            b"empty",
            b"junk",
        ];
        for opts in [
            &[][..],
            &[&b"--quiet"[..]][..],
            &[b"--status"],
            &[b"--strict"],
            &[b"-w"],
            &[b"--ignore-missing"],
            &[b"--ignore-missing", b"--quiet"],
            &[b"--strict", b"-w", b"--quiet"],
        ] {
            for list in lists {
                let mut args: Vec<&[u8]> = vec![b"-c"];
                args.extend(opts);
                args.push(list);
                same(tool, &d, &args, None);
            }
            // Several lists, and one from standard input.
            let mut args: Vec<&[u8]> = vec![b"--check"];
            args.extend(opts);
            args.extend([&b"good"[..], b"-", b"bad"]);
            same(tool, &d, &args, Some(&mixed));
            let mut args: Vec<&[u8]> = vec![b"-c"];
            args.extend(opts);
            same(tool, &d, &args, Some(b"nothing here\n"));
        }
    }
    // Only missing files with --ignore-missing: "no file was verified".
    let line = format!("{}  gone\n", "0".repeat(64));
    d.write("gone.sum", &line);
    same(
        "sha256sum",
        &d,
        &[b"-c", b"--ignore-missing", b"gone.sum"],
        None,
    );
    same(
        "sha256sum",
        &d,
        &[b"-c", b"--ignore-missing", b"--status", b"gone.sum"],
        None,
    );
    // Escaped names in a hand-written list: \\ \n \r, and invalid escapes.
    let x = gnu("sha256sum")
        .arg("back\\slash")
        .cwd(d.path())
        .run()
        .stdout;
    d.write("esc", &x);
    same("sha256sum", &d, &[b"-c", b"esc"], None);
    let h = String::from_utf8_lossy(&x[1..65]).into_owned();
    d.write("esc2", format!("\\{h}  back\\qslash\n\\{h}  back\\\n"));
    same("sha256sum", &d, &[b"-c", b"-w", b"esc2"], None);
    d.write(
        "bsd",
        format!("SHA256 (back\\slash) = {h}\nSHA256(a)={h}\nSHA256 (nope\n"),
    );
    same("sha256sum", &d, &[b"-c", b"-w", b"bsd"], None);
}

#[test]
fn write_error_is_reported() {
    let d = TempDir::new("sums-full");
    d.write("f", b"x");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("sha256sum")
        .arg("f")
        .cwd(d.path())
        .stdout_file(full)
        .run();
    assert_eq!(o.code, 1);
    assert_eq!(o.err(), "sha256sum: write error: No space left on device\n");
}
