//! `chmod` against GNU coreutils as the oracle: output, messages, status and the resulting
//! modes for the same command lines in twin fixtures, including a tree with symlinks that
//! point outside it (their targets must stay untouched).

use crate::harness::*;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

fn set(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `f` 644, `x` 755, `d/` with files, a subdirectory and symlinks to `outside/` (beside the
/// tree, where -R must not reach), `sg/` setgid, a dangling symlink, a link to `f`.
fn fixture(d: &Path) {
    std::fs::write(d.join("f"), b"x").unwrap();
    std::fs::write(d.join("x"), b"x").unwrap();
    set(&d.join("x"), 0o755);
    std::fs::create_dir_all(d.join("d/sub")).unwrap();
    std::fs::create_dir_all(d.join("outside/dir")).unwrap();
    std::fs::write(d.join("outside/secret"), b"s").unwrap();
    set(&d.join("outside/secret"), 0o600);
    std::fs::write(d.join("d/a"), b"a").unwrap();
    std::fs::write(d.join("d/sub/b"), b"b").unwrap();
    set(&d.join("d/sub/b"), 0o700);
    symlink("../outside/secret", d.join("d/to-secret")).unwrap();
    symlink("../../outside/dir", d.join("d/sub/to-dir")).unwrap();
    std::fs::create_dir(d.join("sg")).unwrap();
    set(&d.join("sg"), 0o2755);
    symlink("nowhere", d.join("dangling")).unwrap();
    symlink("f", d.join("lf")).unwrap();
    symlink("d", d.join("ld")).unwrap();
}

fn split(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

#[test]
fn modes_and_messages_match_gnu() {
    for case in [
        "644 f",
        "-v 600 f x",
        "-c 644 f x",
        "-v u+x,g=u,o= f",
        "-v a+X f x d",
        "go-rwx f",
        "+w f",
        "=r f",
        "-w f",
        "-v -w,+r f",
        "-x,+X d f",
        "u+s,g+s,+t x",
        "-v 755 sg",
        "-v 00755 sg",
        "-v g-s sg",
        "-v =,u=rwx sg",
        "-v 644 lf",
        "-v 644 dangling",
        "644 dangling",
        "-f 644 dangling nope",
        "-v 644 nope f",
        "bad f",
        "u=gx f",
        "",
        "644",
        "-v",
        "-Q 644 f",
        "--reference=x f",
        "--reference=nope f",
        "--reference x f",
        "-vc 711 f",
        "-cv 711 f",
        "-s -t x",
        "--changes --verbose 4755 x",
        "-- -w f",
    ] {
        same_effect("chmod", None, &fixture, &split(case));
    }
}

#[test]
fn recursive_never_follows_symlinks_in_the_tree() {
    for case in [
        "-R 700 d",
        "-R a+rwX d",
        "-R go-rwx d",
        "-R -x,+X d",
        "-R u-w d",
        "-R 000 d",
        "-Rc 755 d",
        "-R 711 ld",
        "-Rv 600 lf",
        "-R 644 dangling",
        "-R 700 nope d",
        "-R --preserve-root 700 / d",
        "-R --preserve-root --no-preserve-root 700 nope",
    ] {
        let o = same_effect("chmod", None, &fixture, &split(case));
        let _ = o;
    }
    // Verbose order is the directory's: compare sorted lines.
    let ours = TempDir::new("chmod-v-o");
    let theirs = TempDir::new("chmod-v-g");
    fixture(ours.path());
    fixture(theirs.path());
    let o = applet("chmod")
        .args(["-Rv", "g+w", "d"])
        .cwd(ours.path())
        .run();
    let g = gnu("chmod")
        .args(["-Rv", "g+w", "d"])
        .cwd(theirs.path())
        .run();
    let sorted = |s: String| {
        let mut v: Vec<String> = s.lines().map(String::from).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(o.out()), sorted(g.out()));
    assert_eq!(o.code, g.code);
    assert!(o
        .out()
        .contains("neither symbolic link 'd/to-secret' nor referent has been changed"));
    let secret = std::fs::metadata(ours.join("outside/secret")).unwrap();
    assert_eq!(secret.permissions().mode() & 0o7777, 0o600);
}

#[test]
fn odd_names_match_gnu() {
    let setup = |d: &Path| {
        std::fs::write(d.join("a\nb"), b"").unwrap();
        std::fs::write(d.join(OsString::from_vec(b"\xff".to_vec())), b"").unwrap();
    };
    same_effect(
        "chmod",
        None,
        &setup,
        &[
            OsString::from("-v"),
            OsString::from("600"),
            OsString::from("a\nb"),
            OsString::from_vec(b"\xff".to_vec()),
            OsString::from_vec(b"no\xfe".to_vec()),
        ],
    );
}

#[test]
fn permission_denied_matches_gnu() {
    if !have("setpriv") {
        return skip("setpriv (util-linux) missing");
    }
    let setup = |d: &Path| {
        fixture(d);
        set(d, 0o777);
        std::fs::create_dir(d.join("mine")).unwrap();
        std::os::unix::fs::chown(d.join("mine"), Some(65534), Some(65534)).unwrap();
        std::fs::create_dir(d.join("mine/locked")).unwrap();
        std::fs::write(d.join("mine/locked/f"), b"").unwrap();
        std::os::unix::fs::chown(d.join("mine/locked"), Some(65534), Some(65534)).unwrap();
        std::os::unix::fs::chown(d.join("mine/locked/f"), Some(65534), Some(65534)).unwrap();
        set(&d.join("mine/locked"), 0o000);
    };
    for case in [
        "644 f",
        "-v 644 f",
        "-f 644 f",
        "-R u+rwx mine",
        "-Rv 700 mine",
        "-R 755 d",
    ] {
        same_effect("chmod", Some(65534), &setup, &split(case));
    }
}

#[test]
fn write_error_to_full() {
    let d = TempDir::new("chmod-full");
    d.write("f", "");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("chmod")
        .args(["-v", "600", "f"])
        .cwd(d.path())
        .stdout_file(full)
        .run();
    o.code(1)
        .stderr_is("chmod: write error: No space left on device\n");
}

/// Twelve subdirectories of files: wide enough for `chmod -R` to take a second thread
/// (`RBOX_WALK_THREADS=2` makes it do so whatever the load).
fn wide(d: &Path) {
    for i in 0..12 {
        std::fs::create_dir_all(d.join(format!("w/s{i:02}/n"))).unwrap();
        for j in 0..20 {
            std::fs::write(d.join(format!("w/s{i:02}/f{j:02}")), b"x").unwrap();
        }
        std::fs::write(d.join(format!("w/s{i:02}/n/g")), b"x").unwrap();
        symlink(
            "../../../outside/secret",
            d.join(format!("w/s{i:02}/n/out")),
        )
        .unwrap();
    }
    std::fs::create_dir_all(d.join("outside")).unwrap();
    std::fs::write(d.join("outside/secret"), b"s").unwrap();
    set(&d.join("outside/secret"), 0o600);
}

/// Runs `chmod ARGS` (as `uid` when given) in twin wide trees, the rbox one with two threads;
/// the same output, messages, status and modes as GNU's.
fn same_on_wide(uid: Option<u32>, prep: &dyn Fn(&Path), args: &[&str]) {
    let (a, g) = (TempDir::new("chmod-w-a"), TempDir::new("chmod-w-g"));
    for d in [a.path(), g.path()] {
        wide(d);
        prep(d);
    }
    let (o, theirs) = match uid {
        Some(id) => (
            applet_as(id, "chmod").args(args),
            gnu_as(id, "chmod").args(args),
        ),
        None => (applet("chmod").args(args), gnu("chmod").args(args)),
    };
    let o = o.env("RBOX_WALK_THREADS", "2").cwd(a.path()).run();
    o.same_as(&theirs.cwd(g.path()).run());
    let snap = Snap {
        owner: true,
        ..Snap::default()
    };
    assert_eq!(
        tree_snapshot(a.path(), snap),
        tree_snapshot(g.path(), snap),
        "{args:?}"
    );
}

#[test]
fn wide_tree_with_two_threads_matches_gnu() {
    for args in [
        "-R u+w w",
        "-R go-rwx,u+x w",
        "-R a=rX w",
        "-Rf 700 w/s03 w",
    ] {
        same_on_wide(None, &|d| set(&d.join("w/s04"), 0o500), &split(args));
    }
}

#[test]
fn errors_in_a_wide_tree_match_gnu() {
    if !is_root() {
        return skip("setpriv to uid 65534 needs root");
    }
    // Everything belongs to 65534 but a few files and directories in several subtrees.
    let prep = |d: &Path| {
        set(d, 0o777);
        set(d.parent().unwrap(), 0o755);
        for e in std::fs::read_dir(d.join("w")).unwrap() {
            let p = e.unwrap().path();
            for q in [
                p.join("n/g"),
                p.join("n"),
                p.join("f03"),
                p.join("f07"),
                p.clone(),
            ] {
                std::os::unix::fs::lchown(&q, Some(65534), Some(65534)).unwrap();
            }
            for j in [0, 1, 2, 4, 5, 6, 8, 9] {
                std::os::unix::fs::lchown(p.join(format!("f{j:02}")), Some(65534), Some(65534))
                    .unwrap();
            }
        }
        std::os::unix::fs::chown(d.join("w"), Some(65534), Some(65534)).unwrap();
        set(&d.join("w/s05/n"), 0o000);
        std::os::unix::fs::chown(d.join("w/s09"), Some(0), Some(0)).unwrap();
    };
    for args in ["-R u+w w", "-Rf go-w w", "-R 700 w"] {
        same_on_wide(Some(65534), &prep, &split(args));
    }
}
