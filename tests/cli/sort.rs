//! `sort` against GNU sort 9 as the oracle: the same inputs, the same output, messages and
//! status.

use crate::harness::*;

/// A mixed input: numbers of every shape, versions, months, blanks, case, invalid UTF-8, NUL.
fn sample() -> Vec<u8> {
    let words: &[&[u8]] = &[
        b"a",
        b"b",
        b"B",
        b"abc",
        b"Abc",
        b"  x",
        b"\tx",
        b" 10",
        b"9",
        b"-3",
        b"-0",
        b"0",
        b"+4",
        b"1.5",
        b"1.50",
        b"-1.5",
        b".5",
        b"-.5",
        b"1e3",
        b"2K",
        b"1M",
        b"1k",
        b"3G",
        b"inf",
        b"JAN",
        b"feb",
        b" Mar",
        b"dec",
        b"x1.10",
        b"x1.9",
        b"x1.9a",
        b"x1.9-rc1",
        b"1.10",
        b"1.9",
        b"1.9a",
        b"1.9-rc1",
        b"1.9~rc1",
        b"a.b.c",
        b"",
        b"foo bar baz",
        b"foo  bar",
        b"z:y:x",
        b"b:a:c",
        b"a:b",
        b"007",
        b"7",
        b"07.0",
        b"1,000",
        b"hello world",
        b"Hello World",
        b"\x80\xff",
        b"a\x01b",
        b"~",
        b".",
        b"..",
        b".a",
        b"a\0b",
        b"-",
        b"000.000",
        b"-00.01",
        b"0.0001",
    ];
    // A fixed pseudo-random choice (xorshift), so the test is reproducible.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let mut out = Vec::new();
    for _ in 0..2000 {
        out.extend_from_slice(words[next(words.len())]);
        if next(2) == 0 {
            out.push(b' ');
            out.extend_from_slice(words[next(words.len())]);
            out.push(if next(2) == 0 { b':' } else { b'\t' });
            out.extend_from_slice(words[next(words.len())]);
        }
        out.push(b'\n');
    }
    out.extend_from_slice(b"no newline at the end");
    out
}

fn both(args: &[&str], input: &[u8]) {
    let r = applet("sort").args(args).stdin(input).run();
    let g = gnu("sort").args(args).stdin(input).run();
    r.same_as(&g);
}

#[test]
fn orderings_match_gnu() {
    let s = sample();
    for a in [
        &[][..],
        &["-r"],
        &["-n"],
        &["-rn"],
        &["-h"],
        &["-M"],
        &["-V"],
        &["-Vr"],
        &["-f"],
        &["-d"],
        &["-i"],
        &["-b"],
        &["-fd"],
        &["-s"],
        &["-sr"],
        &["-hu"],
        &["-Mu"],
        &["-Vu"],
        &["--sort=numeric"],
        &["--sort=version"],
    ] {
        both(a, &s);
    }
}

#[test]
fn general_numeric_matches_gnu() {
    // One NaN only: GNU orders NaNs by the bytes of a long double, padding included.
    both(
        &["-g"],
        b"1e3\n-inf\n0x10\nx\n2.5\n-0\n0\n1e-3\nnan\n+7\n 3\ninf\n",
    );
    both(&["-gu"], b"1\n1.0\n01\nx\ny\n2\n");
    // A negative NaN differs from a positive one within the long double's first ten bytes
    // (its sign), before the padding: GNU puts `nan` first, and so must strtod keep the sign.
    both(&["-g"], b"nan\n-nan\n1\nnan\n-NAN\n");
    // Long double range and precision (sort-float): past double's range, its denormals, and
    // digits a double cannot tell apart.
    let ld = b"1.189731495357231765e+4932\n3.3621031431120935063e-4932\n0\n-3.3621031431120935063e-4932\n\
-2.2250738585072014e-308\n2.2250738585072014e-308\n-1.7976931348623157e+308\n1e400\n1e5000\ninf\n\
0.10000000000000000001\n0.1\n0.10000000000000000000001\n1.00000000000000000001\n1\n0x1p-16445\n\
1e-4960\n5e-310\n-0\n123456789012345678\n123456789012345679\n1e-400\n";
    for args in [&["-g"][..], &["-gr"], &["-gu"], &["-gs"]] {
        both(args, ld);
    }
}

#[test]
fn unique_and_stable_match_gnu() {
    let s = sample();
    for a in [
        &["-u"][..],
        &["-ru"],
        &["-nu"],
        &["-fu"],
        &["-su"],
        &["-k2,2", "-u"],
        &["-k2,2", "-s"],
        &["-srk2,2"],
        &["-nr", "-s"],
    ] {
        both(a, &s);
    }
}

/// Enough lines (120,000, many repeated) that the sort runs in parts on several threads, each
/// part dropping its repeats before the merge: the first of equal keys in input order wins,
/// across parts too.
#[test]
fn unique_in_parts_matches_gnu() {
    let mut s = Vec::new();
    let mut x = 12345u64;
    for i in 0..120_000u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let w = (x >> 40) % 3000;
        s.extend_from_slice(format!("k{w} {} {}\n", (x >> 20) % 7, i % 5).as_bytes());
    }
    for a in [
        &["-u"][..],
        &["-ru"],
        &["-k1,1", "-u"],
        &["-k2,2n", "-u"],
        &["-fu", "-k1,1"],
        &["--parallel=2", "-u", "-k1,2"],
    ] {
        both(a, &s);
    }
}

#[test]
fn keys_match_gnu() {
    let s = sample();
    for a in [
        &["-k2"][..],
        &["-k2,2"],
        &["-k2n"],
        &["-k2,2n"],
        &["-k1.2,1.3"],
        &["-k1.2b,2.1"],
        &["-k2b,2", "-k1"],
        &["-t:", "-k2"],
        &["-t:", "-k2,2", "-k1,1r"],
        &["-t:", "-k3n"],
        &["-k2.2"],
        &["-k1,1", "-k3,3Vr"],
        &["-bk2"],
        &["-k2b"],
        &["-nk2"],
        &["-k3.1,3.2fd"],
        &["-k", "2.3,2.5b"],
        &["-k2,2.2"],
        &["-k2,1"],
        &["-k1.5"],
        &["-k", "2,2n", "-k", "1,1rM"],
        &["-k2V"],
        &["-k1d,1i"],
        &["-k1.3bn"],
        &["-t", "\\0", "-k2"],
        &["-t", "\t", "-k2,2", "-k1,1"],
        &["-k1,1", "-t", "a", "-k2"],
        &["-k9"],
    ] {
        both(a, &s);
    }
}

#[test]
fn version_sort_matches_gnu() {
    let v = b"1.10\n1.9\n1.9a\n1.9-rc1\n1.9~rc1\n1.2.3\n1.02\nfoo-1.10.tar.gz\nfoo-1.9.tar.gz\n\
foo-1.9.tar.xz\n.\n..\n.hidden\n.b\n.a 5\n.a-5\n.a5\nx.tar.gz\nx.1.tar.gz\nx\nx.b~\n~\n\n\
nginx-1.25.3\nnginx-1.3.10\nv2\nv10\nlibfoo.so.1.2\nlibfoo.so.1.10\n";
    both(&["-V"], v);
    both(&["-rV"], v);
    let r = applet("sort")
        .arg("-V")
        .stdin("1.10\n1.9\n1.9a\n1.9-rc1\n")
        .run();
    r.ok().stdout_is("1.9\n1.9a\n1.9-rc1\n1.10\n");
}

#[test]
fn zero_terminated_and_odd_bytes() {
    both(&["-z"], b"b\0a\nz\0c\0");
    both(&["-zr"], b"b\0a\0\xff\0\x80");
    both(&[], b"b\0x\na\0y\n\xff\n\x7f\n");
    both(&["-n"], b"");
    both(&[], b"\n\n\n");
}

#[test]
fn check_matches_gnu() {
    let d = TempDir::new("sortc");
    let sorted = d.write("s", "a\nb\nb\nc\n");
    let unsorted = d.write("u", "a\nc\nb\n");
    let z = d.write("z", "a\0c\0b");
    for a in [
        vec!["-c".to_string(), sorted.display().to_string()],
        vec!["-cu".into(), sorted.display().to_string()],
        vec!["-C".into(), unsorted.display().to_string()],
        vec!["-c".into(), unsorted.display().to_string()],
        vec!["--check=quiet".into(), unsorted.display().to_string()],
        vec![
            "--check=diagnose-first".into(),
            unsorted.display().to_string(),
        ],
        vec!["-cz".into(), z.display().to_string()],
        vec!["-c".into(), "nope".into()],
        vec!["-c".into(), d.path().display().to_string()],
        vec!["-c".into(), "-o".into(), "x".into()],
        vec!["-c".into(), sorted.display().to_string(), "x".into()],
    ] {
        let r = applet("sort").args(&a).run();
        let g = gnu("sort").args(&a).run();
        r.same_as(&g);
    }
    both(&["-c"], b"b\na\n");
}

#[test]
fn merge_matches_gnu() {
    let d = TempDir::new("sortm");
    let a = d.write("a", "1\n3\n5\n5\n");
    let b = d.write("b", "2\n3\n4\n6");
    for args in [vec!["-m"], vec!["-mu"], vec!["-mn"], vec!["-mr"]] {
        let args: Vec<String> = if args == ["-mr"] {
            let ra = d.write("ra", "5\n3\n1\n");
            let rb = d.write("rb", "6\n4\n2\n");
            vec![
                "-mr".into(),
                ra.display().to_string(),
                rb.display().to_string(),
            ]
        } else {
            let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            v.push(a.display().to_string());
            v.push(b.display().to_string());
            v
        };
        let r = applet("sort").args(&args).run();
        let g = gnu("sort").args(&args).run();
        r.same_as(&g);
    }
}

#[test]
fn output_onto_an_input_file() {
    let d = TempDir::new("sorto");
    let s = sample();
    let a = d.write("a", &s);
    let b = d.write("b", &s);
    applet("sort").arg("-o").arg(&a).arg(&a).run().ok();
    gnu("sort").arg("-o").arg(&b).arg(&b).run().ok();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // -m with -o naming an input: read first, as GNU does.
    let m1 = d.write("m1", "1\n3\n");
    let m2 = d.write("m2", "1\n3\n");
    let other = d.write("o", "2\n4\n");
    applet("sort")
        .args(["-m", "-o"])
        .arg(&m1)
        .arg(&m1)
        .arg(&other)
        .run()
        .ok();
    gnu("sort")
        .args(["-m", "-o"])
        .arg(&m2)
        .arg(&m2)
        .arg(&other)
        .run()
        .ok();
    assert_eq!(std::fs::read(&m1).unwrap(), b"1\n2\n3\n4\n");
    assert_eq!(std::fs::read(&m2).unwrap(), b"1\n2\n3\n4\n");
}

#[test]
fn large_input_with_small_buffer_uses_and_removes_temporaries() {
    let d = TempDir::new("sortbig");
    let mut data = Vec::new();
    let mut x: u64 = 12345;
    for i in 0..120_000u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = (x >> 33) % 2_000_000;
        data.extend_from_slice(
            format!("{} k{} {}\n", n as i64 - 1_000_000, x >> 60, i % 7).as_bytes(),
        );
    }
    let f = d.write("in", &data);
    let td = d.join("tmp");
    std::fs::create_dir(&td).unwrap();
    for args in [
        &[][..],
        &["-n"],
        &["-u"],
        &["-nu"],
        &["-k2,2", "-s"],
        &["-k2,2", "-u"],
        &["-r", "-k3,3n"],
    ] {
        let r = applet("sort")
            .args(args)
            .args(["-S", "100K", "--batch-size=3", "-T"])
            .arg(&td)
            .arg(&f)
            .run();
        let g = gnu("sort").args(args).arg(&f).run();
        r.same_as(&g);
        assert_eq!(
            std::fs::read_dir(&td).unwrap().count(),
            0,
            "temporaries left"
        );
    }
    // -o onto the input with spilling.
    let g = gnu("sort").arg("-n").arg(&f).run();
    applet("sort")
        .args(["-n", "-S", "64K", "-T"])
        .arg(&td)
        .arg("-o")
        .arg(&f)
        .arg(&f)
        .run()
        .ok();
    assert_eq!(std::fs::read(&f).unwrap(), g.stdout);
    // A temporary directory that does not exist.
    let r = applet("sort")
        .args(["-S", "64K", "-T", "/nonexistent/dir"])
        .arg(&f)
        .run();
    let g = gnu("sort")
        .args(["-S", "64K", "-T", "/nonexistent/dir"])
        .arg(&f)
        .run();
    r.same_as(&g);
}

#[test]
fn files_and_errors_match_gnu() {
    let d = TempDir::new("sorterr");
    let a = d.write("a", "b\na");
    let nl = d.write("nl\nname", "z\n");
    let f0 = d.write("f0", {
        let mut v = a.as_os_str().as_encoded_bytes().to_vec();
        v.push(0);
        v.extend_from_slice(nl.as_os_str().as_encoded_bytes());
        v.push(0);
        v
    });
    let bad0 = d.write("bad0", b"x\0\0y\0");
    let dir = d.path().display().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec!["nope".into()],
        vec![a.display().to_string(), "nope".into()],
        vec![dir.clone()],
        vec!["-m".into(), dir.clone()],
        vec![nl.display().to_string(), a.display().to_string()],
        vec!["--files0-from".into(), f0.display().to_string()],
        vec!["--files0-from".into(), bad0.display().to_string()],
        vec!["--files0-from".into(), "nope".into()],
        vec!["--files0-from".into(), f0.display().to_string(), "x".into()],
        vec![
            "-o".into(),
            "/nonexistent/x".into(),
            a.display().to_string(),
        ],
    ];
    for c in cases {
        let r = applet("sort").args(&c).run();
        let g = gnu("sort").args(&c).run();
        r.same_as(&g);
    }
    // A list from stdin: a lone NUL is one empty name, nothing at all is no input.
    for list in [&b""[..], b"\0", b"\0\0", b"\0a", b"x\0\0"] {
        both(&["--files0-from=-"], list);
    }
}

/// Under a small descriptor limit, -m merges what it can open into a temporary and goes on
/// (also when the output is one of the inputs), and a sort's runs are merged as they pile up,
/// as GNU's (sort-merge-fdlimit).
#[test]
fn small_descriptor_limit_matches_gnu() {
    let d = TempDir::new("sortfd");
    let mut files = String::new();
    for i in 1..=17 {
        d.write(&format!("in{i:02}"), format!("{i}\n"));
        files.push_str(&format!(" in{i:02}"));
    }
    let mut big = Vec::new();
    let mut x: u64 = 7;
    for _ in 0..60_000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        big.extend_from_slice(format!("{}\n", x >> 40).as_bytes());
    }
    d.write("big", &big);
    for script in [
        format!("ulimit -n 19 && TOOL -m --batch-size=16{files}"),
        format!("ulimit -n 8 && TOOL -mr{files}"),
        format!("ulimit -n 5 && TOOL -m{files}"),
        // sort-continue: three descriptors in all, standard input among the inputs.
        format!("echo 0 | (ulimit -n 6 && TOOL -n -m{files} - 3<&- 4<&- 5<&-)"),
        "ulimit -n 12 && TOOL -S 100k big".to_string(),
        "ulimit -n 12 && TOOL -nu -S 100k --batch-size=3 big".to_string(),
        "ulimit -n 12 && TOOL -s -k1.1,1.1 -S 100k big".to_string(),
        "seq 6 >out && echo 6 >>out && (exec 6</dev/null 7<&6 8<&6 9<&6 && ulimit -n 10 && \
         TOOL -n -m --batch-size=7 -o out out in01 in02 in03 in04 in05 out) && cat out"
            .to_string(),
    ] {
        same_script_as_gnu(d.path(), "sort", &script);
    }
}

#[test]
fn bad_options_match_gnu() {
    for a in [
        &["-k0"][..],
        &["-k1.0"],
        &["-k1x"],
        &["-k1,1x"],
        &["-k1,0"],
        &["-k", "a"],
        &["-k1.x"],
        &["-k1,2.x"],
        &["-t", "ab"],
        &["-t", ""],
        &["-t", "a", "-t", "b"],
        &["-gn"],
        &["-dn"],
        &["-k1Vd", "-k2nM"],
        &["-S", "x"],
        &["--parallel=0"],
        &["--parallel=x"],
        &["--sort=foo"],
        &["--check=foo"],
        &["-X"],
        &["--nope"],
        &["--batch-size=1"],
        &["--batch-size=-1"],
        &["--batch-size=a"],
        &["--batch-size=18446744073709551616"],
        &["--batch-size=4294967296"],
        &["--batch-size= +7"],
    ] {
        both(a, b"a\n");
    }
    // Accepted and without effect on the result.
    both(&["--parallel=3", "-S", "10M", "-T", "/tmp"], b"b\na\n");
    both(&["-y"], b"b\na\n");
    both(&["-S", "5%"], b"b\na\n");
}

#[test]
fn random_sort_groups_equal_keys() {
    let mut input = String::new();
    for i in 0..200 {
        input.push_str(&format!("{}\n", i % 10));
    }
    let r = applet("sort").arg("-R").stdin(&input).run();
    r.ok();
    let out = r.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 200);
    // Equal lines are adjacent: ten runs of twenty.
    let runs = lines.windows(2).filter(|w| w[0] != w[1]).count() + 1;
    assert_eq!(runs, 10);
    let mut sorted = lines.clone();
    sorted.sort();
    let mut want: Vec<String> = (0..200).map(|i| (i % 10).to_string()).collect();
    want.sort();
    assert_eq!(sorted, want);
}

#[test]
fn write_errors_match_gnu() {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(f1), Ok(f2)) = (full(), full()) else {
        return skip("no /dev/full");
    };
    let r = applet("sort").stdin("b\na\n").stdout_file(f1).run();
    let g = gnu("sort").stdin("b\na\n").stdout_file(f2).run();
    r.same_as(&g);
    let big: String = (0..100_000).map(|i| format!("{i}\n")).collect();
    let (f1, f2) = (full().unwrap(), full().unwrap());
    let r = applet("sort").stdin(&big).stdout_file(f1).run();
    let g = gnu("sort").stdin(&big).stdout_file(f2).run();
    r.same_as(&g);
    both(&["-o", "/dev/full"], b"x\n");
}

/// Only keys in use are checked for incompatible orderings, and the message leaves out the
/// blanks and reverse flags, as GNU.
#[test]
fn incompatible_orderings_as_gnu() {
    let input = b"b 2\na 10\nc 1\n";
    for args in [
        &["-d", "-M", "-k", "2,2n"][..],
        &["-n", "-r", "-M", "-k", "2,2"],
        &["-n", "-b", "-g"],
        &["-i", "-V", "-k", "1"],
        &["-k", "1,1dn"],
        &["-R", "-n", "-k", "1,1"],
        &["-h", "-n", "-k", "2,2r"],
    ] {
        both(args, input);
    }
}
