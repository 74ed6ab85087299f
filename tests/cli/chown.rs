//! `chown` and `chgrp` against GNU coreutils as the oracle: output, messages, status and the
//! resulting owners for the same command lines in twin fixtures, including a tree with
//! symlinks pointing outside it (their targets must keep their owners).

use crate::harness::*;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{chown, lchown, symlink, PermissionsExt};
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::write(d.join("f"), b"x").unwrap();
    std::fs::create_dir_all(d.join("d/sub")).unwrap();
    std::fs::create_dir_all(d.join("outside/dir")).unwrap();
    std::fs::write(d.join("outside/secret"), b"s").unwrap();
    std::fs::write(d.join("d/a"), b"a").unwrap();
    std::fs::write(d.join("d/sub/b"), b"b").unwrap();
    symlink("../outside/secret", d.join("d/to-secret")).unwrap();
    symlink("../../outside/dir", d.join("d/sub/to-dir")).unwrap();
    symlink("nowhere", d.join("dangling")).unwrap();
    symlink("f", d.join("lf")).unwrap();
    symlink("d", d.join("ld")).unwrap();
    chown(d.join("f"), Some(1), Some(1)).unwrap();
    lchown(d.join("lf"), Some(2), Some(2)).unwrap();
}

fn split(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn chown_specs_and_messages_match_gnu() {
    if !is_root() {
        return skip("chown tests need root");
    }
    for case in [
        "root f",
        "-v daemon f",
        "-v daemon:bin f",
        "-v daemon.bin f",
        "-v root. f",
        "-v root: f",
        "-v :daemon f",
        "-v 5 f",
        "-v +5:+7 f",
        "-v 1:1 f",
        "-c 1:1 f",
        "-c 0 f",
        "nosuch f",
        "root:nosuch f",
        "123: f",
        "nosuch: f",
        ":: f",
        "4294967295 f",
        "-v 3 lf",
        "-vh 3 lf",
        "--no-dereference -v 4 lf",
        "-v 3 nope f",
        "-f 3 nope",
        "-v --from=1 3 f",
        "-v --from=2 3 f",
        "-v --from=:1 3 f",
        "--from=nosuch 3 f",
        "--reference=lf f",
        "--reference=nope f",
        "-v --reference=d f",
        "",
        "root",
        "-Z root f",
        "daemon dangling",
        "-h daemon dangling",
    ] {
        same_effect("chown", None, &fixture, &split(case));
    }
    same_effect("chown", None, &fixture, &["-v", "", "f"]);
    let nl = OsString::from("a\nb");
    let bad = OsString::from_vec(b"\xff".to_vec());
    let setup = |d: &Path| {
        std::fs::write(d.join("a\nb"), b"").unwrap();
        std::fs::write(d.join(OsString::from_vec(b"\xff".to_vec())), b"").unwrap();
    };
    same_effect(
        "chown",
        None,
        &setup,
        &[OsString::from("-v"), OsString::from("7"), nl, bad],
    );
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn chown_recursive_never_follows_links_out_of_the_tree() {
    if !is_root() {
        return skip("chown tests need root");
    }
    for case in [
        "-R daemon d",
        "-Rv daemon:bin d",
        "-Rc 1 d",
        "-R 5 ld",
        "-RH 5 ld",
        "-RL 5 d",
        "-RhL 5 d",
        "-R --dereference 5 d",
        "-RH --dereference 5 ld",
        "-RP 5 lf",
        "-R 5 dangling nope",
        "-R --preserve-root 5 / f",
        "-R --from=0 7 d",
    ] {
        let args = split(case);
        if args.contains(&"-Rv") {
            // Order follows the directory: compare line sets.
            let o = TempDir::new("chown-o");
            let g = TempDir::new("chown-g");
            fixture(o.path());
            fixture(g.path());
            let a = applet("chown").args(&args).cwd(o.path()).run();
            let b = gnu("chown").args(&args).cwd(g.path()).run();
            let sorted = |s: String| {
                let mut v: Vec<String> = s.lines().map(String::from).collect();
                v.sort();
                v
            };
            assert_eq!((a.code, sorted(a.out())), (b.code, sorted(b.out())));
            continue;
        }
        same_effect("chown", None, &fixture, &args);
    }
    let d = TempDir::new("chown-out");
    fixture(d.path());
    applet("chown")
        .args(["-R", "9:9", "d"])
        .cwd(d.path())
        .run()
        .ok();
    use std::os::unix::fs::MetadataExt;
    let secret = std::fs::metadata(d.join("outside/secret")).unwrap();
    assert_eq!((secret.uid(), secret.gid()), (0, 0));
    let link = std::fs::symlink_metadata(d.join("d/to-secret")).unwrap();
    assert_eq!((link.uid(), link.gid()), (9, 9));
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn chgrp_matches_gnu() {
    if !is_root() {
        return skip("chgrp tests need root");
    }
    for case in [
        "-v bin f",
        "-c bin f lf",
        "-v 7 f",
        "-v +7 f",
        "nosuch f",
        "",
        "bin",
        "-Rv daemon d/sub",
        "-R 3 ld",
        "-h 3 lf",
        "--reference=lf f",
        "-v nosuch",
    ] {
        same_effect("chgrp", None, &fixture, &split(case));
    }
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn permission_denied_matches_gnu() {
    if !have("setpriv") || !is_root() {
        return skip("setpriv (util-linux) or root missing");
    }
    let setup = |d: &Path| {
        fixture(d);
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).unwrap();
        std::fs::write(d.join("mine"), b"").unwrap();
        chown(d.join("mine"), Some(65534), Some(65534)).unwrap();
    };
    for (app, case) in [
        ("chown", "0 f"),
        ("chown", "-v 65534 mine f"),
        ("chown", "-f 0 f"),
        ("chgrp", "-v 0 mine"),
        ("chgrp", "-c 65534 mine"),
        ("chown", "-R 1 d"),
    ] {
        same_effect(app, Some(65534), &setup, &split(case));
    }
}
