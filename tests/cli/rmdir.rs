//! `rmdir` against GNU coreutils as the oracle (same fixture, same command lines).

use crate::harness::*;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::create_dir_all(d.join("a/b/c")).unwrap();
    std::fs::create_dir_all(d.join("x/y")).unwrap();
    std::fs::create_dir_all(d.join("e")).unwrap();
    std::fs::create_dir_all(d.join("q/w")).unwrap();
    std::fs::write(d.join("a/f"), b"").unwrap();
    std::fs::write(d.join("file"), b"").unwrap();
    std::fs::create_dir_all(d.join("a\nb")).unwrap();
    symlink("e", d.join("le")).unwrap();
    symlink("nowhere", d.join("dangling")).unwrap();
    symlink("loop", d.join("loop")).unwrap();
    symlink("file", d.join("lf")).unwrap();
}

fn split(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

#[test]
fn matches_gnu() {
    for case in [
        "e",
        "-v e x/y",
        "a",
        "nope",
        "file",
        "a/f",
        "-p a/b/c",
        "-pv a/b/c",
        "-pv x/y/",
        "-p q//w//",
        "--ignore-fail-on-non-empty a -v",
        "--ignore-fail-on-non-empty -p a/b/c",
        "--ignore-fail-on-non-empty file",
        "",
        ".",
        "-p e/..",
        "le",
        "le/",
        "dangling/",
        "loop/",
        "lf/",
        "dangling",
        "-v a?b",
        "-Z e",
        // The root is never removed (the kernel answers EBUSY): glibc's wording, as toybox's
        // `rmdir -p /test/2/3` ends (it reaches "/").
        "/",
        "-v //",
    ] {
        let args: Vec<String> = split(case)
            .into_iter()
            .map(|a| a.replace('?', "\n"))
            .collect();
        same_effect("rmdir", None, &fixture, &args);
    }
}

#[test]
fn permission_denied_matches_gnu() {
    if !have("setpriv") {
        return skip("setpriv (util-linux) missing");
    }
    let setup = |d: &Path| {
        fixture(d);
        std::fs::set_permissions(d.join("a"), std::fs::Permissions::from_mode(0o555)).unwrap();
        std::fs::set_permissions(d.join("x"), std::fs::Permissions::from_mode(0o555)).unwrap();
    };
    for case in [
        "x/y",
        "a/b",
        "--ignore-fail-on-non-empty a/b x/y",
        "-p --ignore-fail-on-non-empty x/y",
    ] {
        same_effect("rmdir", Some(65534), &setup, &split(case));
    }
}
