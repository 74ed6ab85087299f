//! `du` against GNU coreutils as the oracle, on a tree made with known sizes: a sparse file,
//! hard links, symlinks (one leading outside the tree, one dangling), an unreadable directory,
//! names with a newline and invalid UTF-8.

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

fn tree() -> TempDir {
    let d = TempDir::new("du");
    d.write("t/f", b"hello");
    d.write("t/a/g", vec![7u8; 10_000]);
    d.write("t/a/b/z", vec![0u8; 5000]);
    let f = std::fs::File::create(d.join("t/a/sparse")).unwrap();
    f.set_len(3 << 20).unwrap();
    std::fs::hard_link(d.join("t/f"), d.join("t/a/hard")).unwrap();
    std::fs::hard_link(d.join("t/a/g"), d.join("t/g2")).unwrap();
    std::fs::create_dir_all(d.join("t/c")).unwrap();
    std::os::unix::fs::symlink("../f", d.join("t/c/sym")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("t/c/dangling")).unwrap();
    d.write("outside/big", vec![1u8; 50_000]);
    std::os::unix::fs::symlink("../outside", d.join("t/out")).unwrap();
    d.write("t/new\nline", b"x");
    std::fs::write(d.join(OsStr::from_bytes(b"t/bad\xff")), vec![2u8; 3000]).unwrap();
    d.write("t/x.tmp", vec![3u8; 9000]);
    d
}

fn same(d: &TempDir, args: &[&str]) {
    applet("du")
        .args(args)
        .cwd(d.path())
        .run()
        .same_as(&gnu("du").args(args).cwd(d.path()).run());
}

#[test]
fn options_as_gnu() {
    let d = tree();
    for o in [
        &[][..],
        &["-a"],
        &["-s"],
        &["-sh"],
        &["-ah"],
        &["-b"],
        &["-ab"],
        &["--apparent-size"],
        &["-k"],
        &["-m"],
        &["-BM"],
        &["-BKB"],
        &["--block-size=KiB"],
        &["-c"],
        &["-d", "1"],
        &["--max-depth=0"],
        &["-ad1"],
        &["-S"],
        &["-aS"],
        &["-l"],
        &["-al"],
        &["-aL"],
        &["-sL"],
        &["-H"],
        &["-D"],
        &["-P"],
        &["--inodes"],
        &["-a", "--inodes"],
        &["--si"],
        &["-t", "8K"],
        &["-a", "-t", "-5K"],
        &["--exclude=f"],
        &["-a", "--exclude=*.tmp"],
        &["--exclude=a/*", "-a"],
        &["-0"],
        &["-a0"],
        &["-x"],
        &["-bc"],
    ] {
        same(&d, &[o, &["t"]].concat());
        same(&d, &[o, &["t/a", "t", "t/f", "t/out"]].concat());
    }
}

#[test]
fn links_and_repeats_as_gnu() {
    let d = tree();
    same(&d, &["-s", "t", "t"]);
    same(&d, &["-sl", "t", "t"]);
    same(&d, &["t/a", "t/f"]);
    same(&d, &["t/f", "t/a"]);
    same(&d, &["-H", "t/out"]);
    same(&d, &["t/out"]);
    same(&d, &["-H", "t/c/dangling"]);
    same(&d, &["t/", "t//a"]);
}

#[test]
fn environment_block_sizes_as_gnu() {
    let d = tree();
    for (k, v) in [
        ("DU_BLOCK_SIZE", "human-readable"),
        ("BLOCK_SIZE", "si"),
        ("BLOCK_SIZE", "x"),
        ("BLOCKSIZE", "1M"),
        ("POSIXLY_CORRECT", "1"),
    ] {
        applet("du")
            .arg("t")
            .env(k, v)
            .cwd(d.path())
            .run()
            .same_as(&gnu("du").arg("t").env(k, v).cwd(d.path()).run());
    }
}

#[test]
fn errors_as_gnu() {
    let d = tree();
    for o in [
        &["nope", "t/f"][..],
        &["-as", "t"],
        &["-s", "-d1", "t"],
        &["-s", "-d0", "t"],
        &["-B0", "t"],
        &["--block-size=x", "t"],
        &["-d", "x", "t"],
        &["-t", "x", "t"],
        // After coreutils' du/threshold test: zero is a threshold, `-0` is not; xstrtol's
        // messages for a bad suffix and an overflow.
        &["--threshold=0", "t"],
        &["-t", "0K", "t"],
        &["-t", "-0", "t"],
        &["-t", "1Q", "t"],
        &["--threshold=0x", "t"],
        &["-t", "99999999999999999999999", "t"],
        &["-b", "--inodes", "t"],
        &["-q"],
        &["-X", "nope", "t"],
    ] {
        same(&d, o);
    }
}

#[test]
fn unreadable_directory_as_gnu() {
    let d = tree();
    d.write("t/locked/in", vec![1u8; 8000]);
    std::fs::set_permissions(d.join("t/locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = applet_as(65534, "du").arg("t").cwd(d.path()).run();
    o.same_as(&gnu_as(65534, "du").arg("t").cwd(d.path()).run());
    o.code(1)
        .stderr_has("cannot read directory 't/locked': Permission denied");
}

#[test]
fn sparse_and_apparent_sizes() {
    let d = tree();
    let o = applet("du").args(["-b", "t/a/sparse"]).cwd(d.path()).run();
    o.ok().stdout_is(format!("{}\tt/a/sparse\n", 3 << 20));
    let o = applet("du").args(["t/a/sparse"]).cwd(d.path()).run();
    o.ok().stdout_is("0\tt/a/sparse\n");
}

#[test]
fn full_output_device() {
    let d = tree();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("du")
        .arg("t")
        .cwd(d.path())
        .stdout_file(f)
        .run()
        .code(1)
        .stderr_is("du: write error: No space left on device\n");
}

/// A tree wide enough for `du -s` to take a second thread (`RBOX_WALK_THREADS=2` makes it do
/// so whatever the load), with hard links between subtrees.
fn wide(d: &TempDir) {
    for i in 0..12 {
        for j in 0..25 {
            d.write(&format!("w/s{i:02}/f{j:02}"), vec![1u8; 700 * j]);
        }
        d.write(&format!("w/s{i:02}/n/g"), b"x");
    }
    std::fs::hard_link(d.join("w/s01/f20"), d.join("w/s08/h")).unwrap();
    std::fs::hard_link(d.join("w/s02/f24"), d.join("w/s10/n/h")).unwrap();
}

#[test]
fn summaries_of_a_wide_tree_as_gnu() {
    let d = TempDir::new("du-wide");
    wide(&d);
    for args in [
        &["-s", "w"][..],
        &["-sb", "w"],
        &["-s", "--inodes", "w"],
        &["-sl", "w"],
        &["-cs", "w", "w/s03"],
        &["-sh", "w/s05", "w"],
        &["-s", "--exclude=f1*", "w"],
    ] {
        applet("du")
            .args(args)
            .env("RBOX_WALK_THREADS", "2")
            .cwd(d.path())
            .run()
            .same_as(&gnu("du").args(args).cwd(d.path()).run());
    }
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn unreadable_directories_in_a_wide_tree_as_gnu() {
    if !is_root() {
        skip("setpriv to uid 65534 needs root");
        return;
    }
    let d = TempDir::new("du-wide-locked");
    wide(&d);
    for p in ["w/s02/n", "w/s07", "w/s11/n", "w/s11"] {
        let m = if p == "w/s11" { 0o555 } else { 0o000 };
        std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(m)).unwrap();
    }
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        d.path().parent().unwrap(),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    for args in [&["-s", "w"][..], &["-sc", "w", "w/s11"]] {
        let o = applet_as(65534, "du")
            .args(args)
            .env("RBOX_WALK_THREADS", "2")
            .cwd(d.path())
            .run();
        o.same_as(&gnu_as(65534, "du").args(args).cwd(d.path()).run());
        o.code(1)
            .stderr_has("cannot read directory 'w/s07': Permission denied");
    }
}

/// `-L` through chains of linked directories (coreutils' long-sloop, rewritten): a path
/// holding more symlinks than the kernel resolves in one name is "Too many levels of symbolic
/// links" where GNU says so, and a chain deeper than the walker's open descriptors (150
/// levels through 30 links) is walked back up through the directories it came from, not the
/// links' physical parents.
#[test]
fn symlink_chains_under_dereference_as_gnu() {
    let d = TempDir::new("du-chain");
    for i in 1..=60 {
        std::fs::create_dir_all(d.join(format!("long/{i}"))).unwrap();
        std::os::unix::fs::symlink(format!("../{}", i + 1), d.join(format!("long/{i}/s"))).unwrap();
    }
    d.write("long/61", b"end");
    for i in 1..=30 {
        std::fs::create_dir_all(d.join(format!("deep/{i}/a/b/c/d"))).unwrap();
        std::os::unix::fs::symlink(
            format!("../../../../../{}", i + 1),
            d.join(format!("deep/{i}/a/b/c/d/s")),
        )
        .unwrap();
    }
    d.write("deep/31/f", b"end");
    same(&d, &["-L", "long/1"]);
    same(&d, &["-L", "deep/1"]);
    same(&d, &["-La", "deep/1"]);
    let o = applet("du").args(["-L", "long/1"]).cwd(d.path()).run();
    assert!(
        o.err().contains("Too many levels of symbolic links"),
        "{}",
        o.err()
    );
}
