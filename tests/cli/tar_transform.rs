//! `tar --transform`/`--xform` against GNU tar 1.34 on the same inputs: the archives created
//! (byte for byte), the trees extracted, `-t`/`-v` listings with and without
//! `--show-transformed-names`, `--strip-components` combined with it, every flag of the `s`
//! expression, and GNU's messages for bad expressions. Also the options tools such as kubectl
//! send (`-xmf - -C DIR`, `--no-same-owner`, `--no-same-permissions`, `--warning=...`).

use std::path::Path;
use std::process::Command;

#[allow(unused_imports)]
use crate::harness::*;

/// A tree with the cases the transformations meet: plain files, a space in a name, a
/// subdirectory, a symlink (relative and absolute), a hard link; every time fixed so archives
/// made from two copies are the same bytes.
fn tree(dir: &Path) {
    sh_in(
        dir,
        "mkdir -p d/sub d/Caps && echo one > d/abc && echo two > 'd/x y' && echo 3 > d/sub/deep.txt \
         && echo 4 > d/Caps/Bab && ln -s abc d/sl && ln -s /etc/passwd d/abs && ln d/abc d/hl \
         && chmod 640 d/abc && chmod 755 d d/sub d/Caps \
         && find d -exec touch -h -d @1700000000 {} +",
    );
}

/// `tree` and an archive of it made by GNU tar (`a.tar`), for the reading modes.
fn tree_and_archive(dir: &Path) {
    tree(dir);
    sh_in(dir, "tar cf a.tar d && mkdir out");
}

const EXPRS: &[&[&str]] = &[
    &["--transform=s/a/X/"],
    &["--transform=s/a/X/g"],
    &["--xform=s/./X/3"],
    &["--xform=s/./X/0x3g"],
    &["--transform=s/B/q/gi"],
    &["--transform=s,^d,top,"],
    &["--transform=s,^d/,,"],
    &["--transform=s|\\(.*\\)/\\(.*\\)|\\2-in-\\1|"],
    &["--transform=s/(sub|Caps)/[&]/x"],
    &["--transform=s/a/\\U&/;s/b/\\u&x\\Ey/g"],
    &["--transform=s/[a-z]*$/\\L\\u&/"],
    &["--transform=s/abc/\\U\\l&/"],
    &["--transform=s/a/X/", "--transform=s/X/Y/"],
    &["--transform=s/abc/renamed/S"],
    &["--transform=s/abc/renamed/H"],
    &["--transform=s/abc/renamed/R"],
    &["--transform=flags=S;s/abc/R1/;s/sl/R2/s"],
    &["--transform=s/passwd/shadow/"],
    &["--transform=s/ /_/g;s/\\./,/"],
    &["--transform=s,$,.bak,"],
    &["--transform=s/x/a\\tb/"],
];

#[test]
fn create_matches_gnu_byte_for_byte() {
    for x in EXPRS {
        for v in ["-cvf", "-cvvf"] {
            let mut args: Vec<&str> = vec![v, "o.tar"];
            args.extend_from_slice(x);
            args.extend(["--sort=name", "d"]);
            same_effect("tar", None, &tree, &args);
            args.insert(2, "--show-transformed-names");
            same_effect("tar", None, &tree, &args);
        }
    }
}

#[test]
fn create_absolute_and_several_operands() {
    // The -v line shows the name as given (leading '/' and all) unless
    // --show-transformed-names; hard link targets follow the transformation.
    let args = |t: &Path| -> Vec<String> {
        let d = t.join("d");
        let d = d.to_str().unwrap();
        vec![
            "-cvf".into(),
            "o.tar".into(),
            "--sort=name".into(),
            "--transform=s,.*/d$,new,;s,.*/d/,new/,".into(),
            d.into(),
            format!("{d}/sub"),
        ]
    };
    for show in [false, true] {
        let ours = TempDir::new("tar-xf-abs-ours");
        let theirs = TempDir::new("tar-xf-abs-gnu");
        tree(ours.path());
        tree(theirs.path());
        let mut a = args(ours.path());
        let mut b = args(theirs.path());
        if show {
            a.push("--show-transformed-names".into());
            b.push("--show-transformed-names".into());
        }
        let o = applet("tar").args(&a).cwd(ours.path()).run();
        let g = gnu("tar").args(&b).cwd(theirs.path()).run();
        let norm = |s: String, d: &TempDir| s.replace(d.path().to_str().unwrap(), "$DIR");
        assert_eq!(
            (o.code, norm(o.err(), &ours), norm(o.out(), &ours)),
            (g.code, norm(g.err(), &theirs), norm(g.out(), &theirs))
        );
        let list = |d: &TempDir| gnu("tar").args(["tvf", "o.tar"]).cwd(d.path()).run().out();
        assert_eq!(list(&ours), list(&theirs));
    }
}

#[test]
fn extract_and_list_match_gnu() {
    for x in EXPRS {
        for strip in [
            None,
            Some("--strip-components=1"),
            Some("--strip-components=2"),
        ] {
            for show in [false, true] {
                for mode in [
                    &["-xvvf", "a.tar", "-C", "out"][..],
                    &["-tf", "a.tar"][..],
                    &["-tvf", "a.tar"][..],
                ] {
                    let mut args: Vec<&str> = mode.to_vec();
                    args.extend_from_slice(x);
                    args.extend(strip);
                    if show {
                        args.push("--show-transformed-names");
                    }
                    same_effect("tar", None, &tree_and_archive, &args);
                }
            }
        }
    }
}

#[test]
fn transformed_names_are_made_safe() {
    // A transformation that makes a name absolute or climb out: safer_name after it, with
    // GNU's notices, in listings and on extraction.
    for x in [
        "--transform=s,^,/,",
        "--transform=s,^d,../up,",
        "--transform=s,^d/,/,",
    ] {
        for mode in [
            &["-xvf", "a.tar", "-C", "out"][..],
            &["-tvf", "a.tar", "--show-transformed-names"][..],
        ] {
            let mut args = mode.to_vec();
            args.push(x);
            same_effect("tar", None, &tree_and_archive, &args);
        }
    }
}

#[test]
fn member_operands_match_stored_names() {
    // Members are selected by their stored names, before the transformation.
    for args in [
        &[
            "-xvf",
            "a.tar",
            "-C",
            "out",
            "--transform=s/abc/z/",
            "d/abc",
        ][..],
        &[
            "-tvf",
            "a.tar",
            "--transform=s/abc/z/",
            "--show-transformed-names",
            "d/abc",
            "z",
        ][..],
    ] {
        same_effect("tar", None, &tree_and_archive, args);
    }
}

#[test]
fn bad_expressions_as_gnu() {
    for x in [
        "s/a",
        "s/a/b",
        "s",
        "x/a/b/",
        "s/a/b/q",
        "s/a/b/gq",
        "flags=q",
        "flags=rz;s/a/b/",
        "s/a\\(/b/",
        "s/a(/b/x",
        "s/[a/b/",
        "s/a/\\1/",
        "s/\\(a\\)/\\2/",
        "s/a/b/;t/c/d/",
        "s/a*\\{1/b/",
    ] {
        let arg = format!("--transform={x}");
        same_effect("tar", None, &tree, &["-cf", "o.tar", &arg, "d"]);
    }
    same_effect("tar", None, &tree, &["-cf", "o.tar", "d", "--transform"]);
}

#[test]
fn warning_keywords_as_gnu() {
    for w in [
        "no-timestamp",
        "timestamp",
        "none",
        "all",
        "no-unknown-keyword",
        "no-time",
        "no-f",
        "foo",
        "no-timestamp,no-unknown-keyword",
        "",
    ] {
        let arg = format!("--warning={w}");
        same_effect("tar", None, &tree, &["-cf", "o.tar", &arg, "d"]);
    }
}

/// The archive tools such as `kubectl cp` send, on standard input.
fn archive_bytes(t: &Path) -> Vec<u8> {
    tree(t);
    sh_in(
        t,
        "chmod 4755 d/sub/deep.txt && chmod 777 d/sub && touch -h -d @1700000000 d/sub",
    );
    let out = Command::new("tar")
        .args(["--owner=1234", "--group=4321", "-cf", "-", "d"])
        .current_dir(t)
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn kubectl_style_extraction() {
    let src = TempDir::new("tar-kube-src");
    let data = archive_bytes(src.path());
    for opts in [
        &["-xmf", "-"][..],
        &["-xf", "-"][..],
        &["-xf", "-", "--no-same-owner"][..],
        &["-xf", "-", "--no-same-permissions"][..],
        &["-xf", "-", "--no-same-owner", "--no-same-permissions"][..],
        &[
            "-xmf",
            "-",
            "--no-same-owner",
            "--no-same-permissions",
            "--warning=no-timestamp",
        ][..],
        &["-xf", "-", "-p", "--same-owner"][..],
        &["-xf", "-", "--touch", "--no-overwrite-dir"][..],
    ] {
        let ours = TempDir::new("tar-kube-ours");
        let theirs = TempDir::new("tar-kube-gnu");
        for d in [&ours, &theirs] {
            std::fs::create_dir(d.join("dst")).unwrap();
            std::fs::create_dir(d.join("dst/d")).unwrap();
            std::fs::set_permissions(
                d.join("dst/d"),
                std::os::unix::fs::PermissionsExt::from_mode(0o700),
            )
            .unwrap();
        }
        let mut a = opts.to_vec();
        a.extend(["-C", "dst"]);
        let o = applet("tar").args(&a).stdin(&data).cwd(ours.path()).run();
        let g = gnu("tar").args(&a).stdin(&data).cwd(theirs.path()).run();
        assert_eq!(
            (o.code, o.err(), o.out()),
            (g.code, g.err(), g.out()),
            "{a:?}"
        );
        let snap = |d: &TempDir| {
            let mut s = tree_snapshot(
                &d.join("dst"),
                Snap {
                    owner: true,
                    mtime: true,
                    ..Snap::default()
                },
            );
            // -m: the time is the extraction's own; only compare that it is not the stored one.
            if opts.contains(&"-xmf") || opts.contains(&"--touch") {
                for l in &mut s {
                    if let Some(i) = l.find(" t=") {
                        let stored = l[i..].starts_with(" t=1700000000.");
                        let end = l[i + 1..].find(' ').map_or(l.len(), |k| i + 1 + k);
                        l.replace_range(i..end, if stored { " t=stored" } else { " t=now" });
                    }
                }
            }
            s
        };
        assert_eq!(snap(&ours), snap(&theirs), "{a:?}");
    }
}

#[test]
fn create_to_stdout_is_the_archive() {
    // `tar cf - PATH`: the archive on standard output, byte for byte GNU's.
    let ours = TempDir::new("tar-stdout-ours");
    let theirs = TempDir::new("tar-stdout-gnu");
    tree(ours.path());
    tree(theirs.path());
    let o = applet("tar")
        .args(["cf", "-", "--sort=name", "d"])
        .cwd(ours.path())
        .run();
    let g = gnu("tar")
        .args(["cf", "-", "--sort=name", "d"])
        .cwd(theirs.path())
        .run();
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout, g.stdout);
    assert!(o.stdout.len().is_multiple_of(10240) && !o.stdout.is_empty());
}

/// GNU's time stamp warnings on extraction (the seconds in the future differ from run to run:
/// compared as N), and `--warning=no-timestamp`, `none` and `-m` silencing them.
#[test]
fn time_stamp_warnings_as_gnu() {
    let setup = |d: &Path| {
        sh_in(
            d,
            "mkdir -p t/sub t/fut && echo x > t/f && echo y > t/fut/g \
             && touch -d '1960-05-06 07:08:09.25' t/f && touch -d 1950-01-01 t/sub \
             && touch -d '2200-01-02 03:04:05.5' t/fut/g && touch -d 2200-01-01 t/fut \
             && touch -d @1700000000 t && tar --format=pax --sort=name -cf a.tar t \
             && tar --sort=name -cf g.tar t && rm -rf t && mkdir o",
        )
    };
    // Sorted: GNU sets a directory's time when the extraction leaves it, rbox at the end
    // (deepest first), so directories' warnings may come in another order.
    let norm = |s: String| -> Vec<String> {
        let mut v: Vec<String> = s
            .lines()
            .map(|l| match (l.find(" is "), l.find(" s in the future")) {
                (Some(a), Some(b)) if a < b => format!("{} is N{}", &l[..a], &l[b..]),
                _ => l.to_string(),
            })
            .collect();
        v.sort();
        v
    };
    for archive in ["a.tar", "g.tar"] {
        for extra in [
            &[][..],
            &["--warning=no-timestamp"][..],
            &["--warning=none"][..],
            &["-m"][..],
        ] {
            let mut args = vec!["-xf", archive, "-C", "o"];
            args.extend_from_slice(extra);
            let ours = TempDir::new("tar-ts-ours");
            let theirs = TempDir::new("tar-ts-gnu");
            setup(ours.path());
            setup(theirs.path());
            let o = applet("tar").args(&args).cwd(ours.path()).run();
            let g = gnu("tar").args(&args).cwd(theirs.path()).run();
            assert_eq!(
                (o.code, norm(o.err()), o.out()),
                (g.code, norm(g.err()), g.out()),
                "{args:?}"
            );
        }
    }
}
