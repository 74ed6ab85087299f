//! `gzip`, `gunzip`, `zcat`, `bzip2`, `bunzip2`, `bzcat`, `xz`, `unxz`, `xzcat`, `zstd`,
//! `unzstd`, `zstdcat` against the reference tools (GNU gzip, bzip2, xz-utils, zstd): round
//! trips both ways, messages and statuses on the same inputs, what is left on disk.

use crate::harness::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

struct Family {
    comp: &'static str,
    decomp: &'static str,
    cat: &'static str,
    suf: &'static str,
}

const FAMILIES: [Family; 4] = [
    Family {
        comp: "gzip",
        decomp: "gunzip",
        cat: "zcat",
        suf: ".gz",
    },
    Family {
        comp: "bzip2",
        decomp: "bunzip2",
        cat: "bzcat",
        suf: ".bz2",
    },
    Family {
        comp: "xz",
        decomp: "unxz",
        cat: "xzcat",
        suf: ".xz",
    },
    Family {
        comp: "zstd",
        decomp: "unzstd",
        cat: "zstdcat",
        suf: ".zst",
    },
];

fn have_all(f: &Family) -> bool {
    if have(f.comp) && have(f.cat) {
        return true;
    }
    skip(&format!("{} is not installed", f.comp));
    false
}

fn text(n: usize) -> Vec<u8> {
    let words = ["alpha ", "beta ", "gamma\n", "delta ", "epsilon\n", "zeta "];
    let mut v = Vec::with_capacity(n);
    let mut i = 7usize;
    while v.len() < n {
        i = i.wrapping_mul(1103515245).wrapping_add(12345);
        v.extend_from_slice(words[(i >> 16) % words.len()].as_bytes());
    }
    v.truncate(n);
    v
}

/// Names, modes and contents (the plain files) of a directory, for comparing what two runs
/// left behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = sorted_entries(dir)
        .iter()
        .map(|e| {
            let m = e.metadata().unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            format!("{name} {:o}", m.mode() & 0o7777)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn round_trips_both_ways() {
    for f in &FAMILIES {
        if !have_all(f) {
            continue;
        }
        let d = TempDir::new("cz-rt");
        for (i, data) in [Vec::new(), b"x".to_vec(), text(100_000), text(3_000_000)]
            .iter()
            .enumerate()
        {
            let name = format!("in{i}");
            d.write(&name, data);
            // Ours compressed, theirs decompress (and ours too).
            let ours = applet(f.comp).args(["-c", &name]).cwd(d.path()).run();
            ours.ok();
            let back = gnu(f.comp).arg("-dc").stdin(&ours.stdout).run();
            back.ok();
            assert!(back.stdout == *data, "{} -c | reference -dc", f.comp);
            let back = applet(f.cat).stdin(&ours.stdout).run();
            back.ok();
            assert!(back.stdout == *data, "{} -c | {}", f.comp, f.cat);
            // Theirs compressed, ours decompress.
            let theirs = gnu(f.comp).args(["-c", &name]).cwd(d.path()).run();
            let back = applet(f.comp).arg("-dc").stdin(&theirs.stdout).run();
            back.ok();
            assert!(back.stdout == *data, "reference -c | {} -dc", f.comp);
            // Levels.
            for lvl in ["-1", "-9"] {
                let ours = applet(f.comp).args([lvl, "-c", &name]).cwd(d.path()).run();
                ours.ok();
                let back = gnu(f.comp).arg("-dc").stdin(&ours.stdout).run();
                assert!(back.stdout == *data, "{} {lvl}", f.comp);
            }
        }
        // Concatenated members decode as one stream.
        let a = gnu(f.comp).arg("-c").stdin(b"first\n").run().stdout;
        let b = gnu(f.comp).arg("-c").stdin(b"second\n").run().stdout;
        let both = [a, b].concat();
        applet(f.cat)
            .stdin(&both)
            .run()
            .ok()
            .stdout_is("first\nsecond\n");
    }
}

#[test]
fn files_replaced_with_mode_and_mtime_kept() {
    for f in &FAMILIES {
        if !have_all(f) {
            continue;
        }
        let d = TempDir::new("cz-files");
        let p = d.write("doc.txt", text(50_000));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        let t = std::process::Command::new("touch")
            .args(["-d", "2001-02-03 04:05:06", p.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(t.success());
        applet(f.comp).arg("doc.txt").cwd(d.path()).run().ok();
        let z = d.join(format!("doc.txt{}", f.suf));
        let m = std::fs::metadata(&z).unwrap();
        assert_eq!(m.mode() & 0o7777, 0o640);
        assert_eq!(m.mtime(), 981173106);
        // zstd keeps its input unless --rm; the others remove it.
        assert_eq!(p.exists(), f.comp == "zstd", "{} input kept?", f.comp);
        let _ = std::fs::remove_file(&p);
        applet(f.decomp).arg(&z).cwd(d.path()).run().ok();
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!(m.mode() & 0o7777, 0o640);
        assert_eq!(m.mtime(), 981173106);
        assert_eq!(std::fs::read(&p).unwrap(), text(50_000));
        // -k keeps, and the existing output is not overwritten without -f.
        let _ = std::fs::remove_file(&z);
        applet(f.comp)
            .args(["-k", "doc.txt"])
            .cwd(d.path())
            .run()
            .ok();
        assert!(p.exists() && z.exists());
        let again = applet(f.comp).args(["-k", "doc.txt"]).cwd(d.path()).run();
        assert_ne!(again.code, 0);
        applet(f.comp)
            .args(["-kf", "doc.txt"])
            .cwd(d.path())
            .run()
            .ok();
    }
}

/// The same command in two copies of one directory, ours and the reference tool's: the same
/// stdout, stderr and status, and the same names and modes left.
fn same_in_copies(tool: &str, args: &[&str], setup: &dyn Fn(&TempDir)) {
    let (a, b) = (TempDir::new("cz-ours"), TempDir::new("cz-ref"));
    setup(&a);
    setup(&b);
    let o = applet(tool).args(args).cwd(a.path()).run();
    let g = gnu(tool).args(args).cwd(b.path()).run();
    o.same_as(&g);
    assert_eq!(
        listing(a.path()),
        listing(b.path()),
        "{tool} {args:?}: files left"
    );
}

#[test]
fn errors_match_the_reference_tools() {
    for f in &FAMILIES {
        if !have_all(f) {
            continue;
        }
        let suf = f.suf;
        let setup = move |d: &TempDir| {
            d.write("a", b"hello\n");
            d.write("b.txt", b"hi\n");
            std::fs::create_dir(d.join("dir")).unwrap();
            d.write(&format!("g{suf}"), b"garbage data here");
            d.write(&format!("e{suf}"), b"");
            let good = gnu(f.comp).arg("-c").stdin(b"hello\n").run().stdout;
            d.write(&format!("ok{suf}"), &good);
            d.write(&format!("t{suf}"), &good[..good.len() / 2]);
            d.write(&format!("have{suf}"), &good);
            d.write("have", b"x");
        };
        let g = format!("g{suf}");
        let t = format!("t{suf}");
        let e = format!("e{suf}");
        let have_z = format!("have{suf}");
        let cases: Vec<Vec<&str>> = vec![
            vec!["missing"],
            vec!["-d", "missing"],
            vec!["dir"],
            vec!["-d", "b.txt"],
            vec!["-d", &g],
            vec!["-dc", &g],
            vec!["-dc", &t],
            vec!["-t", &g],
            vec!["-d", &e],
            vec!["-d", &have_z],
            vec!["have"],
            vec!["-k", "missing", "a"],
        ];
        for args in &cases {
            if f.comp == "zstd" && args.len() == 2 && args[0] == "-d" && args[1] == have_z {
                continue; // zstd prompts on a terminal-less stdin in its own way
            }
            if f.comp == "zstd" && (args == &vec!["have"] || args.len() == 3) {
                continue; // zstd's multi-file summary line is not reproduced
            }
            if f.comp == "bzip2" && args == &vec!["-dc", t.as_str()] {
                continue; // bzip2's message quotes errno of its own last call
            }
            if f.comp == "bzip2" && args == &vec!["-d", e.as_str()] {
                continue;
            }
            if f.comp == "zstd" && (args == &vec!["-dc", t.as_str()]) {
                continue;
            }
            same_in_copies(f.comp, args, &setup);
        }
    }
}

#[test]
fn gzip_specifics_match_gnu() {
    if !have("gzip") {
        skip("gzip is not installed");
        return;
    }
    let setup = |d: &TempDir| {
        d.write("a", b"hello\n");
        let good = gnu("gzip")
            .args(["-c", "-n"])
            .stdin(b"hello\n")
            .run()
            .stdout;
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"trailing garbage");
        d.write("c.gz", &trailing);
        let mut zeros = good.clone();
        zeros.extend_from_slice(&[0, 0, 0, 0]);
        d.write("z.gz", &zeros);
        let mut bad_crc = good.clone();
        let n = bad_crc.len();
        bad_crc[n - 8] ^= 1;
        d.write("crc.gz", &bad_crc);
        d.write("a.gz.gz", &good);
        d.write("x.tgz", &good);
        std::fs::create_dir(d.join("tree")).unwrap();
        d.write("tree/one", b"1\n");
        d.write("tree/sub/two", b"2\n");
    };
    for args in [
        &["-dc", "c.gz"][..],
        &["-dc", "z.gz"],
        &["-d", "c.gz"],
        &["-q", "-dc", "c.gz"],
        &["-t", "c.gz"],
        &["-dc", "crc.gz"],
        &["-d", "crc.gz"],
        &["a.gz.gz"],
        &["-q", "a.gz.gz"],
        &["-d", "x.tgz"],
        &["-r", "tree"],
        &["-S", "", "a"],
        &["-l", "a.gz.gz"],
        &["-l", "a.gz.gz", "x.tgz"],
        &["--bogus"],
        &["-10", "a"],
        &["-d", "a"],
        &["-dc", "a"],
    ] {
        same_in_copies("gzip", args, &setup);
    }
    // Recursion went below: every file compressed, and back.
    let d = TempDir::new("cz-rec");
    setup(&d);
    applet("gzip").args(["-r", "tree"]).cwd(d.path()).run().ok();
    assert!(d.join("tree/sub/two.gz").exists() && !d.join("tree/sub/two").exists());
    applet("gunzip")
        .args(["-r", "tree"])
        .cwd(d.path())
        .run()
        .ok();
    assert_eq!(std::fs::read(d.join("tree/sub/two")).unwrap(), b"2\n");
    // The header: name and mtime as GNU writes them; -n leaves them out.
    let p = d.write("named", b"data\n");
    let ours = applet("gzip")
        .args(["-c", "named"])
        .cwd(d.path())
        .run()
        .stdout;
    let theirs = gnu("gzip").args(["-c", "named"]).cwd(d.path()).run().stdout;
    assert_eq!(ours[..16], theirs[..16], "header with name and mtime");
    let ours = applet("gzip")
        .args(["-cn", "named"])
        .cwd(d.path())
        .run()
        .stdout;
    assert_eq!(&ours[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    // -N restores the stored name.
    let z = gnu("gzip").args(["-c", "named"]).cwd(d.path()).run().stdout;
    std::fs::remove_file(&p).unwrap();
    d.write("other.gz", &z);
    applet("gzip")
        .args(["-dN", "other.gz"])
        .cwd(d.path())
        .run()
        .ok();
    assert_eq!(std::fs::read(d.join("named")).unwrap(), b"data\n");
    // zcat -f passes plain data through.
    applet("zcat")
        .args(["-f", "-"])
        .stdin(b"plain\n")
        .run()
        .ok()
        .stdout_is("plain\n");
}

#[test]
fn errors_leave_no_partial_output_and_keep_the_input() {
    for f in &FAMILIES {
        if !have_all(f) {
            continue;
        }
        let d = TempDir::new("cz-partial");
        let good = gnu(f.comp).arg("-c").stdin(text(200_000)).run().stdout;
        let name = format!("cut{}", f.suf);
        d.write(&name, &good[..good.len() / 2]);
        let o = applet(f.comp).args(["-d", &name]).cwd(d.path()).run();
        assert_ne!(o.code, 0);
        assert!(
            d.join(&name).exists(),
            "{}: input removed after an error",
            f.comp
        );
        assert!(!d.join("cut").exists(), "{}: partial output left", f.comp);
    }
}

#[test]
fn write_errors_and_big_stdout() {
    for f in &FAMILIES {
        if !have_all(f) {
            continue;
        }
        let d = TempDir::new("cz-full");
        d.write("big", text(2_000_000));
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = applet(f.comp)
            .args(["-c", "big"])
            .cwd(d.path())
            .stdout_file(full)
            .run();
        assert_ne!(o.code, 0, "{} -c > /dev/full", f.comp);
        assert!(
            o.err().contains("No space left on device"),
            "{}: {}",
            f.comp,
            o.err()
        );
        assert!(d.join("big").exists());
        // A big -c through a pipe, back through the reference tool.
        let z = applet(f.comp).args(["-c", "big"]).cwd(d.path()).run();
        z.ok();
        let back = gnu(f.comp).arg("-dc").stdin(&z.stdout).run();
        assert!(back.stdout == text(2_000_000));
    }
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn permission_denied_as_non_root() {
    if !is_root() || !have("setpriv") || !have("gzip") {
        skip("needs root, setpriv and gzip");
        return;
    }
    let d = TempDir::new("cz-perm");
    let p = d.write("secret", b"x\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut q = d.path().to_path_buf();
    loop {
        let _ = std::process::Command::new("chmod")
            .arg("o+rx")
            .arg(&q)
            .status();
        match q.parent() {
            Some(pp) if pp != Path::new("/") => q = pp.to_path_buf(),
            _ => break,
        }
    }
    let o = applet_as(65534, "gzip").arg(&p).run();
    let g = gnu_as(65534, "gzip").arg(&p).run();
    o.same_as(&g);
    assert!(o.err().contains("Permission denied"));
    assert!(p.exists());
}

/// Damaged gzip data (bytes inverted, bits flipped, cut, zeroed at many offsets of a text's
/// .gz): the output GNU gzip 1.12 writes before its error, its message and status, from a
/// pipe and from a file (found again by seeking for the second decoding).
#[test]
fn damaged_gzip_as_gnu() {
    if !have("gzip") {
        return skip("gzip is not installed");
    }
    let d = TempDir::new("gz-damaged");
    let text = words_text(150_000, 11);
    let gz = gnu("gzip").args(["-n", "-c"]).stdin(&text).run().stdout;
    let mut cases = damaged_copies(&gz, 5, 14);
    // Text around random bytes (stored blocks): damage to a stored block's length is a
    // format error after whole 32 KiB windows were written.
    let mut seed = 9;
    let mut mixed = words_text(60_000, 11);
    mixed.extend((0..40_000).map(|_| lcg(&mut seed) as u8));
    mixed.extend(words_text(50_000, 12));
    let gz = gnu("gzip").args(["-n", "-c"]).stdin(&mixed).run().stdout;
    for (name, bad) in damaged_copies(&gz, 6, 4) {
        cases.push((format!("mixed-{name}"), bad));
    }
    for p in [16888, 44727] {
        let mut bad = gz.clone();
        bad[p..p + 512].fill(0);
        cases.push((format!("mixed-z{p}"), bad));
    }
    let mut kinds = std::collections::BTreeSet::new();
    for (name, bad) in cases {
        let g = gnu("gzip").arg("-dc").stdin(&bad).run();
        let r = applet("gunzip").arg("-c").stdin(&bad).run();
        assert_eq!(
            (r.code, r.err(), r.stdout.len()),
            (g.code, g.err(), g.stdout.len()),
            "gunzip -c of {name} from a pipe"
        );
        assert!(r.stdout == g.stdout, "gunzip -c of {name}: output bytes");
        let f = d.write(&format!("{name}.gz"), &bad);
        let g = gnu("zcat").arg(&f).run();
        let r = applet("zcat").arg(&f).run();
        assert_eq!(
            (r.code, r.err(), r.stdout.len()),
            (g.code, g.err(), g.stdout.len()),
            "zcat {name}.gz"
        );
        assert!(r.stdout == g.stdout, "zcat {name}.gz: output bytes");
        let what = g.err();
        let kind = what
            .lines()
            .find(|l| !l.is_empty())
            .unwrap_or("ok")
            .to_owned();
        kinds.insert((kind.replace(f.to_str().unwrap(), "F"), !g.stdout.is_empty()));
    }
    // The corpus reaches each way of failing, with output before the error.
    for want in ["crc error", "format violated", "unexpected end of file"] {
        assert!(
            kinds.iter().any(|(k, out)| k.contains(want) && *out),
            "no case ends in {want:?} after some output: {kinds:?}"
        );
    }
}

/// What zlib refuses and GNU gzip 1.12 decodes: a distance before the start of the output
/// (gzip reads its zeroed window), a repeat code before any length; headers with an unknown
/// method, the encrypted or a reserved flag, a wrong header CRC.
#[test]
fn gzip_accepts_what_gnu_accepts() {
    if !have("gzip") {
        return skip("gzip is not installed");
    }
    // Bits least significant first, as deflate packs them; Huffman codes most significant
    // first.
    struct Bits(Vec<u8>, u32);
    impl Bits {
        fn put(&mut self, v: u32, n: u32) {
            for i in 0..n {
                if self.1.is_multiple_of(8) {
                    self.0.push(0);
                }
                let b = (v >> i) & 1;
                *self.0.last_mut().unwrap() |= (b as u8) << (self.1 % 8);
                self.1 += 1;
            }
        }
        fn code(&mut self, c: u32, n: u32) {
            for i in (0..n).rev() {
                self.put((c >> i) & 1, 1);
            }
        }
    }
    let head = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    // Fixed block: 'a', then length 3 at distance 5 (before the start), end of block.
    let mut b = Bits(Vec::new(), 0);
    b.put(1, 1);
    b.put(1, 2);
    b.code(0x30 + u32::from(b'a'), 8);
    b.code(1, 7); // length code 257: 3
    b.code(4, 5); // distance code 4: 5..6, one extra bit
    b.put(0, 1);
    b.code(0, 7); // end of block
    let far = [&head[..], &b.0, &[0u8; 8]].concat();
    let mut cases = vec![("far", far.clone())];
    let mut h = far.clone();
    h[2] = 7;
    cases.push(("method", h));
    for fl in [0x20u8, 0x40, 0x80, 0x02] {
        let mut h = far.clone();
        h[3] = fl;
        cases.push(("flags", h));
    }
    cases.push(("far+far", [&far[..], &far].concat()));
    for (what, data) in cases {
        let g = gnu("gzip").arg("-dc").stdin(&data).run();
        let r = applet("gzip").arg("-dc").stdin(&data).run();
        assert_eq!(
            (r.code, r.err(), &r.stdout),
            (g.code, g.err(), &g.stdout),
            "{what}: {data:x?}"
        );
    }
}

/// A missing operand that already has a compressed suffix is reported as given (`zcat
/// x.gz`: `gzip: x.gz: No such file or directory`), not with `.gz` added again; without a
/// suffix `x.gz` is what was looked for last, and what is named.
#[test]
fn gunzip_names_a_missing_suffixed_file_as_given() {
    if !have("gzip") {
        skip("GNU gzip not installed");
        return;
    }
    let setup = |_: &TempDir| {};
    for args in [
        &["-d", "missing.gz"][..],
        &["-d", "missing.tgz"],
        &["-d", "missing.z"],
        &["-dc", "missing"],
        &["-d", "missing"],
    ] {
        same_in_copies("gzip", args, &setup);
    }
    let d = TempDir::new("zcat-missing");
    for tool in ["zcat", "gunzip"] {
        let o = linked(tool).arg("nope.gz").cwd(d.path()).run();
        o.code(1)
            .stderr_is("gzip: nope.gz: No such file or directory\n");
    }
}

/// compress's `.Z` (LZW) files are read by gunzip/zcat/`gzip -d` as GNU gzip reads them: data
/// made by ncompress's `compress` at several code sizes (random data makes it reset its table),
/// from a pipe and from a file, a zero-length stream, gzip's words for damaged ones, and
/// `gunzip f.Z` giving back `f`.
#[test]
fn compress_z_files_as_gnu() {
    if !have("compress") {
        return skip("compress (ncompress) is not installed");
    }
    let d = TempDir::new("lzw");
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let rnd: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    d.write("rnd", &rnd);
    d.write("txt", text(300_000));
    d.write("one", "a");
    d.write("empty", "");
    for bits in ["10", "12", "16"] {
        for f in ["rnd", "txt", "one", "empty"] {
            let z = format!("{f}.{bits}.Z");
            let out = std::process::Command::new("compress")
                .args(["-f", "-c", "-b", bits, f])
                .current_dir(d.path())
                .output()
                .unwrap();
            std::fs::write(d.join(&z), &out.stdout).unwrap();
            let r = same_as_gnu("gzip", &["-dc", &z], None, d.path());
            assert_eq!(r.stdout, std::fs::read(d.join(f)).unwrap(), "{z}");
            same_as_gnu("zcat", &[], Some(&out.stdout), d.path());
        }
    }
    for (name, data) in [
        ("zero.Z", &b"\x1f\x9d\x90\x00"[..]),
        ("bad.Z", b"\x1f\x9d\x90\xff\xff\xff\xff"),
        ("wide.Z", b"\x1f\x9d\x91\x00\x00"),
        ("short.Z", b"\x1f\x9d"),
    ] {
        d.write(name, data);
        same_as_gnu("gzip", &["-dc", name], None, d.path());
    }
    let w = TempDir::new("lzw-gunzip");
    std::fs::copy(d.join("txt.16.Z"), w.join("t.Z")).unwrap();
    applet("gunzip").arg("t.Z").cwd(w.path()).run().ok();
    assert_eq!(std::fs::read(w.join("t")).unwrap(), text(300_000));
    assert!(!w.join("t.Z").exists());
}

/// xzgrep, xzdiff and xzless run `xz --format=auto -cdfqQ`: the format names xz-utils knows
/// for .xz data are accepted, an unknown one refused with xz's words and status.
#[test]
fn xz_format_option_as_xz_utils() {
    if !have_all(&FAMILIES[2]) {
        skip("xz-utils is not installed");
        return;
    }
    let setup = |d: &TempDir| {
        let packed = gnu("xz")
            .arg("-c")
            .stdin(b"line one\nline two\n")
            .run()
            .stdout;
        d.write("a.xz", &packed);
        d.write("plain", b"not packed\n");
    };
    let cases: &[&[&str]] = &[
        &["--format=auto", "-cdfqQ", "a.xz"],
        &["--format=auto", "-cdfqQ", "plain"],
        &["-F", "xz", "-dc", "a.xz"],
        &["-Fxz", "-k", "plain"],
        &["--format=foo", "-dc", "a.xz"],
    ];
    for args in cases {
        same_in_copies("xz", args, &setup);
    }
}

/// A FILE operand in another directory is replaced beside itself (`gzip logs/app.log` leaves
/// `logs/app.log.gz`, as savelog expects), not in the current directory.
#[test]
fn operand_in_a_subdirectory_stays_there() {
    for f in &FAMILIES {
        if !have_all(f) {
            continue;
        }
        let suf = f.suf;
        let setup = move |d: &TempDir| {
            std::fs::create_dir(d.join("logs")).unwrap();
            d.write("logs/a", b"first\n");
            d.write("logs/c", b"third\n");
            let packed = gnu(f.comp).arg("-c").stdin(b"second\n").run().stdout;
            d.write(&format!("logs/b{suf}"), &packed);
        };
        let packed_b = format!("logs/b{suf}");
        let cases: Vec<Vec<&str>> = vec![
            vec![f.comp, "logs/a"],
            vec![f.comp, "-k", "logs//c"],
            vec![f.decomp, &packed_b],
        ];
        for args in &cases {
            let (a, b) = (TempDir::new("cz-ours"), TempDir::new("cz-ref"));
            setup(&a);
            setup(&b);
            let o = applet(args[0]).args(&args[1..]).cwd(a.path()).run();
            let g = gnu(args[0]).args(&args[1..]).cwd(b.path()).run();
            if f.comp == "zstd" {
                // zstd's own summary line on stderr is not reproduced.
                assert_eq!((o.code, &o.stdout), (g.code, &g.stdout), "{args:?}");
            } else {
                o.same_as(&g);
            }
            for sub in [".", "logs"] {
                assert_eq!(
                    listing(&a.join(sub)),
                    listing(&b.join(sub)),
                    "{args:?}: files left in {sub}"
                );
            }
        }
    }
}

/// `gzip -l` as GNU lists: `-v` adds method, CRC and a time (the file's, or with `-N` the
/// header's) — zforce greps `gzip -lv` for `defla`; `-N` shows the stored name; `-q` drops
/// the heads and totals only; heads come with the first listed file; standard input is listed
/// as `stdout`; a totals line whenever several FILEs were named.
#[test]
fn gzip_list_as_gnu() {
    if !have("gzip") {
        skip("gzip is not installed");
        return;
    }
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(981_173_100);
    let setup = move |d: &TempDir| {
        let p = d.write("named", b"some data\nmore data\n");
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(when)
            .unwrap();
        let z = gnu("gzip").args(["-c", "named"]).cwd(d.path()).run().stdout;
        for (n, data) in [("renamed.gz", &z[..]), ("plain", b"not gzip\n")] {
            let f = d.write(n, data);
            std::fs::File::options()
                .write(true)
                .open(&f)
                .unwrap()
                .set_modified(when + std::time::Duration::from_secs(3600))
                .unwrap();
        }
        let piped = gnu("gzip").arg("-c").stdin(b"piped\n").run().stdout;
        d.write("nameless.gz", &piped);
    };
    let run = |args: &[&str], stdin: Option<&str>| {
        let (a, b) = (TempDir::new("gl-ours"), TempDir::new("gl-ref"));
        setup(&a);
        setup(&b);
        let feed = |d: &TempDir| stdin.map(|f| std::fs::read(d.join(f)).unwrap());
        let mut o = applet("gzip").args(args).cwd(a.path()).env("TZ", "UTC");
        let mut g = gnu("gzip").args(args).cwd(b.path()).env("TZ", "UTC");
        if let (Some(x), Some(y)) = (feed(&a), feed(&b)) {
            o = o.stdin(x);
            g = g.stdin(y);
        }
        o.run().same_as(&g.run());
    };
    for args in [
        &["-lv", "renamed.gz"][..],
        &["-lvN", "renamed.gz"],
        &["-lN", "renamed.gz", "nameless.gz"],
        &["-lvN", "nameless.gz"],
        &["-lq", "renamed.gz", "nameless.gz"],
        &["-lqv", "renamed.gz", "nameless.gz"],
        &["-lv", "plain", "renamed.gz", "missing.gz"],
        &["-l", "missing.gz"],
        &["-lv", "plain"],
    ] {
        run(args, None);
    }
    run(&["-lv"], Some("renamed.gz"));
    run(&["-l"], Some("renamed.gz"));
    run(&["-lvN"], Some("renamed.gz"));
}

/// `gzip -v` as GNU gzip 1.12 words it: `NAME:\t` and the ratio, then `-- replaced with OUT`
/// (also `stdout` under -c) or `-- created OUT` under -k; a test says only ` OK`; standard
/// input gets the bare ratio when compressed, ` OK` when tested, nothing when decompressed.
#[test]
fn gzip_verbose_as_gnu() {
    if !have("gzip") {
        skip("gzip is not installed");
        return;
    }
    let setup = |d: &TempDir| {
        d.write("a", b"hello hello hello\n");
        let z = gnu("gzip")
            .args(["-c", "-n"])
            .stdin(b"packed text\n")
            .run()
            .stdout;
        d.write("b.gz", &z);
    };
    for args in [
        &["-v", "a"][..],
        &["-kv", "a"],
        &["-cv", "a"],
        &["-ckv", "a"],
        &["-dv", "b.gz"],
        &["-dkv", "b.gz"],
        &["-dcv", "b.gz"],
        &["-tv", "b.gz", "a"],
    ] {
        same_in_copies("gzip", args, &setup);
    }
    for (args, input) in [
        (&["-v"][..], &b"plain words\n"[..]),
        (&["-cv", "-"], b"plain words\n"),
        (&["-tv"], &[][..]),
        (&["-dv"], &[][..]),
    ] {
        let z;
        let input = if input.is_empty() {
            z = gnu("gzip").arg("-c").stdin(b"packed\n").run().stdout;
            &z[..]
        } else {
            input
        };
        let ours = applet("gzip").args(args).stdin(input).run();
        ours.same_as(&gnu("gzip").args(args).stdin(input).run());
    }
}
