//! `ln` against GNU coreutils as the oracle: output, messages, status and the resulting tree
//! (link targets, hard links) for the same command lines in twin fixtures.

use crate::harness::*;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::symlink;
use std::path::Path;

fn fixture(d: &Path) {
    std::fs::write(d.join("f"), b"f").unwrap();
    std::fs::write(d.join("g"), b"g").unwrap();
    std::fs::create_dir_all(d.join("d/sub")).unwrap();
    std::fs::create_dir_all(d.join("e")).unwrap();
    std::fs::write(d.join("d/g"), b"dg").unwrap();
    symlink("d", d.join("ld")).unwrap();
    symlink("f", d.join("lf")).unwrap();
    symlink("nowhere", d.join("dangling")).unwrap();
}

fn split(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

#[test]
fn matches_gnu() {
    for case in [
        "f h",
        "-v f h",
        "-s f h",
        "-sv f h",
        "f g",
        "-s f g",
        "-f f g",
        "-sf f g",
        "-sfv f g",
        "-f f f",
        "-sf f f",
        "-sf lf lf",
        "nope h",
        "-s nope h",
        "-sv nope dangling",
        "-sfv nope dangling",
        "d h",
        "-s d h",
        "f g d",
        "-v f g d",
        "-f g d",
        "-vf g d",
        "f g nope",
        "f g lf",
        "f",
        "-s d/g",
        "",
        "-T f g h",
        "-T f",
        "-Tsf f d",
        "-sfT f d",
        "-t d f g",
        "-t nope f",
        "-t f g",
        "-T -t d f",
        "-sf d ld",
        "-sfn f ld",
        "-sfnv e ld",
        "-sn f ld",
        "-r f h",
        "-srv f d/sub/h",
        "-srv d/g e/x",
        "-srv /etc/passwd d/p",
        "-srv f h",
        "-s -r ld/g x",
        "-L lf h",
        "-P lf h",
        "lf h",
        "-s '' h",
        "-x f",
        "-i f g",
        "-fi f g",
        "-if f g",
        "-r",
        "-r -v",
        "-T -L -t f g ld",
        "-T -P -t nope ld",
        "-s -b -t f",
        "-n ld f dangling",
        "-n -t ld g",
        "-f -n -L f f d/sub",
        "-f f f g e",
        "-f --backup=numbered f f e",
        "-sf f f e",
    ] {
        let args: Vec<String> = split(case)
            .into_iter()
            .map(|a| {
                if a == "''" {
                    String::new()
                } else {
                    a.to_string()
                }
            })
            .collect();
        same_effect("ln", None, &fixture, &args);
    }
}

#[test]
fn interactive_reads_the_answer() {
    for answer in ["y\n", "n\n", ""] {
        let o = TempDir::new("ln-i-o");
        let g = TempDir::new("ln-i-g");
        fixture(o.path());
        fixture(g.path());
        let a = applet("ln")
            .args(["-si", "f", "g"])
            .cwd(o.path())
            .stdin(answer)
            .run();
        let b = gnu("ln")
            .args(["-si", "f", "g"])
            .cwd(g.path())
            .stdin(answer)
            .run();
        a.same_as(&b);
        assert_eq!(
            tree_snapshot(o.path(), Snap::default()),
            tree_snapshot(g.path(), Snap::default())
        );
    }
}

#[test]
fn odd_names_and_permissions_match_gnu() {
    let nl = OsString::from("a\nb");
    let bad = OsString::from_vec(b"\xff".to_vec());
    same_effect(
        "ln",
        None,
        &fixture,
        &[OsString::from("-sv"), nl.clone(), bad.clone()],
    );
    same_effect(
        "ln",
        None,
        &fixture,
        &[OsString::from("-v"), OsString::from("f"), nl],
    );
    same_effect(
        "ln",
        None,
        &fixture,
        &[OsString::from("-sf"), bad, OsString::from("g")],
    );
    if !have("setpriv") {
        return skip("setpriv (util-linux) missing");
    }
    for case in ["-s f x", "-sf f g", "f x", "-sv f d/x"] {
        same_effect("ln", Some(65534), &fixture, &split(case));
    }
}

#[test]
fn force_replaces_atomically() {
    // The old name never disappears: rename over it, nothing left behind.
    let d = TempDir::new("ln-atomic");
    fixture(d.path());
    applet("ln")
        .args(["-sf", "d", "lf"])
        .cwd(d.path())
        .run()
        .ok();
    assert_eq!(std::fs::read_link(d.join("lf")).unwrap(), Path::new("d"));
    let names: Vec<_> = sorted_entries(d.path())
        .iter()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["d", "dangling", "e", "f", "g", "ld", "lf"]);
}

/// `ln -f a b` where b already is another name of a (a script run twice): GNU replaces it and
/// succeeds; only the very same entry, or the file's only link, is "the same file". The
/// temporary name of the atomic replacement must not stay behind (rename does nothing when
/// both names are links of one file).
#[test]
fn force_over_another_name_of_the_same_file() {
    let setup: &dyn Fn(&Path) = &|d| {
        std::fs::write(d.join("a"), b"a").unwrap();
        std::fs::hard_link(d.join("a"), d.join("b")).unwrap();
        std::fs::write(d.join("one"), b"1").unwrap();
        symlink("a", d.join("s")).unwrap();
        std::fs::hard_link(d.join("s"), d.join("s2")).unwrap();
    };
    for case in [
        "-f a b",
        "-fv a b",
        "-f s s2",
        "-f a a",
        "-sf a a",
        "-f one one",
        "-sf one one",
        "-sf a b",
        "-f b a",
    ] {
        same_effect("ln", None, setup, &split(case));
    }
}

/// GNU's same-file check for `-s` reads the link text from the working directory, not from
/// the link's directory (coreutils' readlink-fp-loop sets up its loops with `ln -sf ../s/1
/// d/2`); a symlink made with a backup is never refused (`ln -sfb f f`: `f~` and a link to
/// itself); a backup name that was already another link of the destination leaves the name
/// in place, and it is replaced all the same (coreutils' ln/misc and backup-1, rewritten).
#[test]
fn same_file_checks_and_backups_over_links_as_gnu() {
    let setup = |d: &Path| {
        fixture(d);
        std::fs::create_dir_all(d.join("p")).unwrap();
        std::fs::write(d.join("p/2"), b"2").unwrap();
        symlink("p", d.join("s")).unwrap();
        symlink("../s/2", d.join("p/1")).unwrap();
        std::fs::write(d.join("b"), b"").unwrap();
        std::fs::hard_link(d.join("b"), d.join("b~")).unwrap();
    };
    for case in [
        "-sf ../s/1 p/2",
        "-sf f d/f",
        "-sf g d/g",
        "-sfb f f",
        "-sb --suffix=.old g g",
        "-f --backup=simple f b",
        "--backup=simple f b",
        "-v --backup=simple g b",
    ] {
        same_effect("ln", None, &setup, &split(case));
    }
}

/// Found by benches/difftest.py: under -L a symlink to the destination's only link is the
/// same file even with a backup (backing the destination up would take the source away).
#[test]
fn logical_source_onto_its_target_with_a_backup() {
    for case in [
        "-b -L lf f",
        "-v -b -L lf f",
        "--backup=numbered -L lf f",
        "-b lf f",
    ] {
        same_effect("ln", None, &fixture, &split(case));
    }
}
