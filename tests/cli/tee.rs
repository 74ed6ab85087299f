//! `tee` against GNU tee as the oracle: same stdout, stderr, status and files written.

use crate::harness::*;

/// Runs rbox's and GNU's tee in two fresh directories holding `pre` files; compares the
/// outputs and then every file left.
fn both(args: &[&str], input: &[u8], pre: &[(&str, &[u8])]) {
    let (da, dg) = (TempDir::new("teea"), TempDir::new("teeg"));
    for d in [&da, &dg] {
        for (n, c) in pre {
            d.write(n, c);
        }
        std::fs::create_dir(d.join("dir")).unwrap();
    }
    let a = applet("tee").args(args).stdin(input).cwd(da.path()).run();
    let g = gnu("tee").args(args).stdin(input).cwd(dg.path()).run();
    a.same_as(&g);
    let snap = |d: &TempDir| {
        sorted_entries(d.path())
            .into_iter()
            .map(|e| {
                let c = std::fs::read(e.path()).unwrap_or_default();
                (e.file_name(), c)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(snap(&da), snap(&dg), "tee {args:?}: files differ");
}

#[test]
fn outputs_match_gnu() {
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    both(&["a", "b"], b"hello\n", &[]);
    both(&["-a", "a", "b"], b"more\n", &[("a", b"old\n")]);
    both(&["a"], b"new\n", &[("a", b"old old old\n")]);
    both(&["-", "a\nb"], b"dash\n", &[]);
    both(&["big"], &data, &[]);
    both(&[], b"only stdout", &[]);
    both(&["-i", "-p", "x"], b"flags\n", &[]);
}

#[test]
fn errors_match_gnu() {
    both(&["nodir/a", "dir", "ok"], b"x\n", &[]);
    both(&["/dev/full", "ok"], b"x\n", &[]);
    both(&["--output-error=warn", "/dev/full", "ok"], b"x\n", &[]);
    both(&["--output-error=exit", "/dev/full", "ok"], b"x\n", &[]);
    both(&["--output-error=foo"], b"x\n", &[]);
    both(&["--bogus"], b"x\n", &[]);
}

#[test]
fn stdout_full_still_writes_files() {
    let d = TempDir::new("tee");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("tee")
        .arg("f")
        .stdin("data\n")
        .cwd(d.path())
        .stdout_file(f)
        .run();
    o.code(1)
        .stderr_is("tee: 'standard output': No space left on device\n");
    assert_eq!(std::fs::read(d.join("f")).unwrap(), b"data\n");
}
