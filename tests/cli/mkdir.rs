//! `mkdir` against GNU coreutils as the oracle: output, messages, status and the resulting
//! tree (modes included) for the same command lines in twin fixtures.

use crate::harness::*;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::write(d.join("file"), b"x").unwrap();
    std::fs::create_dir(d.join("dir")).unwrap();
    std::fs::create_dir(d.join("sg")).unwrap();
    std::fs::set_permissions(d.join("sg"), std::fs::Permissions::from_mode(0o2755)).unwrap();
    std::os::unix::fs::symlink("dir", d.join("ldir")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
}

fn split(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

#[test]
fn options_and_errors_match_gnu() {
    for case in [
        "a",
        "-v a b",
        "-p a/b/c",
        "-pv a/b/c a/b/d",
        "-pv ./new//x/ a/// a/b/../c",
        "-p dir",
        "dir",
        "file",
        "-p file",
        "-p file/x",
        "file/x",
        "-p ldir/x",
        "-v dangling",
        "-p dangling/x",
        "no/such",
        "-p /",
        "-m 700 m",
        "-m 777 m",
        "-m 1777 m",
        "-m 4755 m",
        "-m 00755 sg/a",
        "-m 755 sg/a",
        "-m g-s sg/a",
        "-m u=rwx sg/a",
        "-m a=rwx -v sg/a",
        "-m -w m",
        "-m o-r,a-w m",
        "-m =  m",
        "-m u=g,g=o m",
        "-pm 700 p1/p2/p3",
        "-m bad m",
        "-m 8 m",
        "-m u=gx m",
        "",
        "-q a",
        "--mode",
        "--parent --verb x/y",
        "-Z z",
        "--context=ctx z",
        "--context=ctx",
        "-p sg/x/y",
    ] {
        let args = split(case);
        same_effect("mkdir", None, &fixture, &args);
    }
}

#[test]
fn empty_and_odd_names_match_gnu() {
    let nl = OsString::from("a\nb");
    let bad = OsString::from_vec(b"\xff\xfe".to_vec());
    same_effect("mkdir", None, &fixture, &[OsString::from("")]);
    same_effect(
        "mkdir",
        None,
        &fixture,
        &[OsString::from("-p"), OsString::from("")],
    );
    same_effect(
        "mkdir",
        None,
        &fixture,
        &[OsString::from("-v"), nl.clone(), bad.clone()],
    );
    same_effect("mkdir", None, &fixture, &[OsString::from("-pv"), nl, bad]);
    same_effect("mkdir", None, &fixture, &["-v", "file", "dir", "-p", "x/"]);
}

#[test]
fn permission_denied_matches_gnu() {
    if !have("setpriv") {
        return skip("setpriv (util-linux) missing");
    }
    let setup = |d: &Path| {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).unwrap();
        for (n, m) in [("ro", 0o555), ("nox", 0o666), ("rw", 0o777)] {
            std::fs::create_dir(d.join(n)).unwrap();
            std::fs::set_permissions(d.join(n), std::fs::Permissions::from_mode(m)).unwrap();
        }
    };
    for case in [
        "ro/x",
        "-p ro/x",
        "-p ro/x/y",
        "-p ro/x/../y",
        "nox/a",
        "-p nox/a/b",
        "-p nox",
        "-pv rw/a/b ro/c rw/d",
        "-m 2777 rw/s",
    ] {
        same_effect("mkdir", Some(65534), &setup, &split(case));
    }
}

#[test]
fn write_error_to_full() {
    let d = TempDir::new("mkdir-full");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("mkdir")
        .args(["-v", "x"])
        .cwd(d.path())
        .stdout_file(full)
        .run();
    o.code(1)
        .stderr_is("mkdir: write error: No space left on device\n");
    assert!(d.join("x").is_dir());
}

#[test]
fn umask_is_honoured_like_gnu() {
    // Ancestors get u+wx whatever the umask; -m ignores it (a clause without a who does not).
    for (mask, args) in [
        ("077", "-p a/b/c"),
        ("777", "-p a/b/c"),
        ("027", "-m +w a"),
        ("022", "-m =rwx,g+w a"),
        ("000", "-pm 555 x/y"),
    ] {
        let setup = |_: &Path| {};
        let ours = TempDir::new("mkdir-um-o");
        let theirs = TempDir::new("mkdir-um-g");
        setup(ours.path());
        let script = format!("umask {mask}; exec \"$0\" \"$@\"");
        let o = gnu("sh")
            .args(["-c", &script, rbox().to_str().unwrap(), "mkdir"])
            .args(split(args))
            .cwd(ours.path())
            .run();
        let g = gnu("sh")
            .args(["-c", &script, "mkdir"])
            .args(split(args))
            .cwd(theirs.path())
            .run();
        o.same_as(&g);
        assert_eq!(
            tree_snapshot(
                ours.path(),
                Snap {
                    owner: true,
                    ..Snap::default()
                }
            ),
            tree_snapshot(
                theirs.path(),
                Snap {
                    owner: true,
                    ..Snap::default()
                }
            ),
            "umask {mask} mkdir {args}"
        );
    }
}
