//! `diff` against GNU diffutils: random files compared in every output format and with the
//! white-space options (hunks included: the same edit script as GNU's), trees with `-r`,
//! binary files, labels and the error cases.

use crate::harness::*;

const LINES: &[&str] = &[
    "a", "b", "c", "", "}", "  x", "x ", "X", "a\t b", "{", "c\r",
];

fn random_text(seed: &mut u64) -> String {
    let n = (lcg(seed) % 13) as usize;
    let s: Vec<&str> = (0..n)
        .map(|_| LINES[(lcg(seed) % LINES.len() as u64) as usize])
        .collect();
    let mut t = s.join("\n");
    if !s.is_empty() && !lcg(seed).is_multiple_of(5) {
        t.push('\n');
    }
    t
}

/// `b` made from `a` by a few edits, so that the two share most lines.
fn edited(a: &str, seed: &mut u64) -> String {
    let mut v: Vec<String> = a.split('\n').map(str::to_string).collect();
    for _ in 0..lcg(seed) % 5 {
        let k = (lcg(seed) % 3, lcg(seed) as usize);
        let line = LINES[k.1 % LINES.len()].to_string();
        match k.0 {
            0 if !v.is_empty() => {
                let at = k.1 % v.len();
                v.remove(at);
            }
            1 => {
                let at = k.1 % (v.len() + 1);
                v.insert(at, line);
            }
            _ if !v.is_empty() => {
                let at = k.1 % v.len();
                v[at] = line;
            }
            _ => {}
        }
    }
    v.join("\n")
}

#[test]
fn random_files_in_every_format_as_gnu() {
    let d = TempDir::new("diff-rand");
    let opts: &[&[&str]] = &[
        &[],
        &["-u"],
        &["-c"],
        &["-U0"],
        &["-U1"],
        &["-C2"],
        &["-i"],
        &["-b"],
        &["-w"],
        &["-B"],
        &["-u", "-w"],
        &["-c", "-b"],
        &["-E"],
        &["-Z"],
        &["--strip-trailing-cr"],
        &["-u", "-B"],
        &["-c", "-B"],
        &["-T"],
        &["-u", "-T"],
        &["-q"],
        &["-s"],
    ];
    let mut seed = 7;
    for round in 0..300 {
        let a = random_text(&mut seed);
        let b = if round % 3 == 0 {
            random_text(&mut seed)
        } else {
            edited(&a, &mut seed)
        };
        let fa = d.write("A", &a);
        let fb = d.write("B", &b);
        for f in [&fa, &fb] {
            let t = std::fs::File::options().write(true).open(f).unwrap();
            t.set_modified(std::time::UNIX_EPOCH + std::time::Duration::new(1_000_000_000, 5))
                .unwrap();
        }
        let o = opts[round % opts.len()];
        let r = applet("diff").args(o).args(["A", "B"]).cwd(d.path()).run();
        let g = gnu("diff").args(o).args(["A", "B"]).cwd(d.path()).run();
        assert_eq!(
            (r.code, r.out(), r.err()),
            (g.code, g.out(), g.err()),
            "diff {o:?} of {a:?} and {b:?}"
        );
    }
}

#[test]
fn trees_binaries_labels_and_errors_as_gnu() {
    let d = TempDir::new("diff-tree");
    for (p, data) in [
        ("ta/f", "a\nb\n"),
        ("tb/f", "a\nc\n"),
        ("ta/sub/g", "x\n"),
        ("tb/sub/g", "x\n"),
        ("ta/sub/h", "1\n"),
        ("tb/sub/h", "2\n"),
        ("ta/lone", "q\n"),
        ("tb/onlyb/z", "z\n"),
        ("ta/bin", "\0bin"),
        ("tb/bin", "\0bon"),
        ("tb/dir_vs_file", "z\n"),
        ("ta/same bin", "\0same"),
        ("tb/same bin", "\0same"),
    ] {
        let f = d.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(&f, data).unwrap();
    }
    std::fs::create_dir(d.join("ta/dir_vs_file")).unwrap();
    sh_in(d.path(), "touch -d @1000000000 ta/* tb/* ta/sub/* tb/sub/*");
    let opts: &[&[&str]] = &[
        &[],
        &["-r"],
        &["-ru"],
        &["-rq"],
        &["-rs"],
        &["-rN"],
        &["-ruN"],
        &["-r", "-x", "sub"],
        &["-r", "--exclude=s*"],
        &["-ru", "--label", "L1", "--label", "L2"],
        &["-c", "--label=X"],
        &["--brief", "-r"],
    ];
    let pairs: &[&[&str]] = &[
        &["ta", "tb"],
        &["ta/f", "tb/f"],
        &["ta/f", "tb"],
        &["ta", "tb/f"],
        &["missing", "tb/f"],
        &["ta/f", "missing"],
        &["-N", "ta/f", "missing"],
        &["ta/bin", "tb/bin"],
        &["-a", "ta/bin", "tb/bin"],
        &["ta/f"],
        &["ta/f", "tb/f", "extra"],
        &["ta/f", "ta/f"],
        &["-U", "x", "ta/f", "tb/f"],
        &["--bogus", "ta/f", "tb/f"],
    ];
    for o in opts {
        for p in pairs {
            let r = applet("diff").args(*o).args(*p).cwd(d.path()).run();
            let g = gnu("diff").args(*o).args(*p).cwd(d.path()).run();
            assert_eq!(
                (r.code, r.out(), r.err()),
                (g.code, g.out(), g.err()),
                "diff {o:?} {p:?}"
            );
        }
    }
    // Standard input: the same lines, and status 0.
    applet("diff")
        .args(["-", "ta/f"])
        .stdin("a\nb\n")
        .cwd(d.path())
        .run()
        .code(0);
}
