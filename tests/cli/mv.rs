//! `mv` against GNU coreutils as the oracle: renames in one file system, moves across file
//! systems (the test directory on disk to /dev/shm, a tmpfs) with everything kept, messages.

use crate::harness::*;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

fn sh(d: &Path, script: &str) {
    let st = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(d)
        .status()
        .unwrap();
    assert!(st.success(), "{script}");
}

fn build(d: &Path) {
    sh(
        d,
        "mkdir -p d/s e/d a/b outside && echo 1 > d/f && ln d/f d/h && ln -s ../outside d/out && \
         mkfifo d/fifo && echo x > x && echo y > y && touch e/d/z && chown 1234:4321 d/f && \
         chmod 4755 d/s && echo s > outside/s && printf n > \"$(printf 'n\\nl')\" && \
         printf b > \"$(printf 'b\\377')\" && find . -exec touch -h -d 2021-03-03 {} + && \
         touch -d 2020-02-02 d/f d/s d",
    );
}

const ALL: Snap = Snap {
    owner: true,
    mtime: true,
    dir_mtime: false,
    links: true,
};

/// Without file times: what the cases that build their own small fixtures compare.
const NO_TIMES: Snap = Snap {
    mtime: false,
    ..ALL
};

/// `mv ARGS` (with `input` on stdin) in two copies of the fixture `setup` makes, once rbox's
/// and once GNU's: the same status, messages and output, and the same trees (`snap`).
#[track_caller]
fn same_in(setup: &dyn Fn(&Path), args: &[&[u8]], input: &str, snap: Snap) -> Output {
    let (a, g) = (TempDir::new("mv-a"), TempDir::new("mv-g"));
    setup(a.path());
    setup(g.path());
    let os: Vec<&std::ffi::OsStr> = args
        .iter()
        .map(|a| std::ffi::OsStr::from_bytes(a))
        .collect();
    let ours = applet("mv").args(&os).cwd(a.path()).stdin(input).run();
    let theirs = gnu("mv").args(&os).cwd(g.path()).stdin(input).run();
    ours.same_as(&theirs);
    assert_eq!(
        tree_snapshot(a.path(), snap),
        tree_snapshot(g.path(), snap),
        "mv {args:?}"
    );
    ours
}

fn both(args: &[&[u8]], input: &str) -> Output {
    same_in(&build, args, input, ALL)
}

fn s(v: &str) -> &[u8] {
    v.as_bytes()
}

#[test]
fn renames_and_messages_like_gnu() {
    for args in [
        &[s("x"), s("z")][..],
        &[s("-v"), s("x"), s("y")],
        &[s("-v"), s("x"), s("d")],
        &[s("x"), s("y"), s("e")],
        &[s("-t"), s("e"), s("x"), s("d")],
        &[s("-T"), s("d"), s("e")],
        &[s("-T"), s("x"), s("y"), s("z")],
        &[s("-n"), s("x"), s("y")],
        &[s("-n"), s("d"), s("y")],
        &[s("-u"), s("x"), s("y")],
        &[s("a"), s("a/b")],
        &[s("d"), s("e")],
        &[s("d"), s("y")],
        &[s("y"), s("e/d")],
        &[s("nope"), s("y")],
        &[s("y"), s("y")],
        &[s("y"), s("./y")],
        &[],
        &[s("x")],
        &[s("x"), s("y"), s("z")],
        &[s("-Q"), s("x")],
        &[s("-v"), s("n\nl"), b"b\xff", s("e")],
        &[s("--strip-trailing-slashes"), s("d/"), s("e/new")],
        // No SELinux here: -Z and --context accepted, as Debian's add-shell uses them.
        &[s("-Z"), s("x"), s("z")],
        &[s("--context"), s("x"), s("z")],
        &[s("--context=x"), s("x"), s("z")],
    ] {
        both(args, "");
    }
    both(&[s("-i"), s("x"), s("y")], "n\n");
    both(&[s("-i"), s("x"), s("y")], "y\n");
    both(&[s("-if"), s("x"), s("y")], "");
    both(&[s("-fn"), s("x"), s("y")], "");
    // After coreutils' mv/i-5: -i asks before it finds a directory cannot replace a file.
    both(&[s("-i"), s("a"), s("x")], "n\n");
    both(&[s("-i"), s("a"), s("x")], "y\n");
}

/// After coreutils' mv/symlink-onto-hardlink: a symlink is not moved onto the file it points
/// to (the file would be lost), whether or not the file has other links.
#[test]
fn symlink_onto_its_target_like_gnu() {
    for setup in ["ln -s f s", "ln -s h s", "ln -s ./x s"] {
        let fixture = |d: &Path| sh(d, &format!("touch f x && ln f h && {setup}"));
        for args in [[s("s"), s("f")], [s("s"), s("x")], [s("s"), s("l")]] {
            same_in(&fixture, &args, "", NO_TIMES);
        }
    }
}

#[test]
fn across_file_systems_like_gnu() {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        skip("no /dev/shm");
        return;
    }
    let tag = format!("rbox-mv-{}", std::process::id());
    for tool in ["rbox", "gnu"] {
        let d = TempDir::new("mv-x");
        build(d.path());
        let there = shm.join(format!("{tag}-{tool}"));
        let _ = std::fs::remove_dir_all(&there);
        std::fs::create_dir(&there).unwrap();
        let before = tree_snapshot(&d.join("d"), ALL);
        let run = |args: Vec<&std::ffi::OsStr>| {
            if tool == "rbox" {
                applet("mv").args(args).cwd(d.path()).run()
            } else {
                gnu("mv").args(args).cwd(d.path()).run()
            }
        };
        let o = run(vec![
            "-v".as_ref(),
            "d".as_ref(),
            "x".as_ref(),
            there.as_os_str(),
        ]);
        o.ok();
        assert!(!d.join("d").exists() && !d.join("x").exists());
        assert_eq!(tree_snapshot(&there.join("d"), ALL), before, "{tool}");
        let lines = o.out().replace(&there.display().to_string(), "THERE");
        let mut lines: Vec<&str> = lines.lines().collect();
        lines.sort();
        assert!(
            lines.contains(&"copied 'x' -> 'THERE/x'"),
            "{tool}: {lines:?}"
        );
        assert!(
            lines.contains(&"created directory 'THERE/d/s'"),
            "{tool}: {lines:?}"
        );
        assert!(
            lines.contains(&"removed directory 'd'"),
            "{tool}: {lines:?}"
        );
        // And back, over an existing file.
        std::fs::write(d.join("x"), "old").unwrap();
        run(vec![there.join("x").as_os_str(), "x".as_ref()]).ok();
        assert_eq!(std::fs::read(d.join("x")).unwrap(), b"x\n");
        assert_eq!(std::fs::read(d.join("outside/s")).unwrap(), b"s\n");
        let _ = std::fs::remove_dir_all(&there);
    }
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn permission_denied_as_an_unprivileged_user() {
    if !is_root() {
        skip("setpriv to uid 65534 needs root");
        return;
    }
    let mk = |d: &Path| {
        build(d);
        sh(
            d,
            "chmod 755 .. && chmod 777 . && mkdir -p ro && chmod 555 ro",
        );
    };
    for args in [&["x", "ro/x"][..], &["d", "z"], &["ro", "ro2"]] {
        let (a, g) = (TempDir::new("mv-p-a"), TempDir::new("mv-p-g"));
        mk(a.path());
        mk(g.path());
        let o = applet_as(65534, "mv").args(args).cwd(a.path()).run();
        o.same_as(&gnu_as(65534, "mv").args(args).cwd(g.path()).run());
        assert_eq!(
            tree_snapshot(a.path(), Snap::default()),
            tree_snapshot(g.path(), Snap::default()),
            "{args:?}"
        );
    }
}

#[test]
fn verbose_to_a_full_disk() {
    let d = TempDir::new("mv-full");
    d.write("f", "x");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("mv")
        .args(["-v", "f", "g"])
        .cwd(d.path())
        .stdout_file(full)
        .run()
        .code(1)
        .stderr_is("mv: write error: No space left on device\n");
    assert!(d.join("g").exists());
}

/// A directory swapped for a symlink out of the tree while mv is running, across file systems
/// (copy, then remove): `mv -i` stops at its question about the first source, which is when the
/// test swaps a directory inside the second source, so the race is deterministic. The link is
/// moved as a link; nothing outside the tree is copied into the destination or removed.
#[test]
fn directory_swapped_for_a_symlink_mid_move() {
    use std::io::{Read, Write};
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        skip("no /dev/shm");
        return;
    }
    for tool in ["rbox", "gnu"] {
        let d = TempDir::new("mv-swap");
        d.write("one", "new");
        d.write("two/sub/f", "f");
        d.write("outside/secret", "secret");
        let there = shm.join(format!("rbox-mv-swap-{}-{tool}", std::process::id()));
        let _ = std::fs::remove_dir_all(&there);
        std::fs::create_dir(&there).unwrap();
        std::fs::write(there.join("one"), "old").unwrap();
        let args = [
            "-i".as_ref(),
            "one".as_ref(),
            "two".as_ref(),
            there.as_os_str(),
        ];
        let mut child = spawn_asking(tool, "mv", &args, d.path());
        let mut input = child.stdin.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let q = question(&mut err).replace(&there.display().to_string(), "THERE");
        assert_eq!(q, "mv: overwrite 'THERE/one'? ", "{tool}");
        std::fs::remove_dir_all(d.join("two/sub")).unwrap();
        std::os::unix::fs::symlink(d.join("outside"), d.join("two/sub")).unwrap();
        input.write_all(b"y\n").unwrap();
        drop(input);
        let mut rest = String::new();
        err.read_to_string(&mut rest).unwrap();
        let st = child.wait().unwrap();
        assert!(st.success(), "{tool}: {rest}");
        let moved = std::fs::symlink_metadata(there.join("two/sub")).unwrap();
        assert!(moved.file_type().is_symlink(), "{tool}: followed the link");
        assert!(!d.join("two").exists() && !d.join("one").exists(), "{tool}");
        assert_eq!(std::fs::read(there.join("one")).unwrap(), b"new", "{tool}");
        assert_eq!(
            std::fs::read(d.join("outside/secret")).unwrap(),
            b"secret",
            "{tool}"
        );
        let _ = std::fs::remove_dir_all(&there);
    }
}

/// With a backup, another name of the same file (a hard link, a symlink onto its target, a
/// hard link of that symlink) is moved aside rather than refused, as GNU's; the very same
/// name is still refused (coreutils' mv/hard-4 and symlink-onto-hardlink-to-self, rewritten).
#[test]
fn backups_over_other_names_of_the_same_file_like_gnu() {
    let cases: &[&[&str]] = &[
        &["--backup=simple", "a", "b"],
        &["-b", "a", "a"],
        &["--backup", "s1", "s2"],
        &["-b", "s1", "s1"],
        &["--backup=numbered", "b", "a"],
        &["-b", "s2", "f"],
        &["-b", "./a", "a"],
        &["s1", "s2"],
    ];
    let fixture = |d: &Path| {
        sh(
            d,
            "touch a && ln a b && echo f > f && ln -s f s2 && ln s2 s1",
        )
    };
    for args in cases {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        same_in(&fixture, &args, "", NO_TIMES);
    }
}

/// A backup that would take the source's own name (`mv -b a~ a`) is refused, as GNU's
/// `backing up 'a' might destroy source;  'a~' not moved` (coreutils' mv/backup-is-src).
#[test]
fn backup_onto_the_source_refused_like_gnu() {
    for args in [
        &["--b=simple", "a~", "a"][..],
        &["-b", "./a~", "a"],
        &["--backup=numbered", "a~", "a"],
        &["-b", "a~", "d/a"],
    ] {
        let (a, g) = (TempDir::new("mv-bs-a"), TempDir::new("mv-bs-g"));
        for d in [&a, &g] {
            sh(d.path(), "mkdir d && echo a > a && echo t > a~ && cp a d/a");
        }
        let ours = applet("mv").args(args).cwd(a.path()).run();
        ours.same_as(&gnu("mv").args(args).cwd(g.path()).run());
        assert_eq!(
            tree_snapshot(a.path(), Snap::default()),
            tree_snapshot(g.path(), Snap::default()),
            "mv {args:?}"
        );
    }
}

/// A destination named with a trailing slash is backed up beside itself (`E/` as `E.~1~`,
/// `Y/` as `Y~`), not inside (coreutils' mv/backup-dir, Bug#52410, rewritten); cp and ln
/// share the naming.
#[test]
fn backup_of_a_directory_named_with_a_slash_like_gnu() {
    let fixture = |d: &Path| sh(d, "mkdir C D E X Y && touch C/c D/d Y/y && echo f > f");
    for args in [
        &["-v", "-T", "--backup=numbered", "C", "E/"][..],
        &["-T", "--backup=numbered", "C", "E//"],
        &["-v", "-T", "--backup=simple", "X", "Y/"],
        // With a backup the kinds may differ: the one in the way is moved aside.
        &["-T", "-b", "f", "E"],
        &["-T", "--backup=numbered", "E", "f"],
        &["-T", "-b", "f", "C"],
    ] {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        same_in(&fixture, &args, "", NO_TIMES);
    }
    // The second move backs up the first one's result with the next number.
    let twice = |d: &Path| {
        fixture(d);
        sh(d, "mv -T --backup=numbered C E/");
    };
    same_in(
        &twice,
        &[s("-v"), s("-T"), s("--backup=numbered"), s("D"), s("E/")],
        "",
        NO_TIMES,
    );
    // A file onto `E/`: GNU backs E up and then fails the rename (ENOTDIR), half done; rbox
    // refuses before touching anything.
    let d = TempDir::new("mv-bslash");
    fixture(d.path());
    applet("mv")
        .args(["-T", "-b", "f", "E/"])
        .cwd(d.path())
        .run()
        .code(1)
        .stderr_is("mv: cannot overwrite directory 'E/' with non-directory\n");
    assert!(d.join("E").is_dir() && d.join("f").is_file() && !d.join("E~").exists());
}

/// Hard links given as separate operands (or in separate directory operands) and moved to
/// another file system together stay one file there (coreutils' mv/part-hardlink,
/// rewritten): compared with GNU's mv, the source on disk and the target in /dev/shm.
#[test]
fn hard_links_split_over_operands_kept_across_file_systems_like_gnu() {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        skip("no /dev/shm");
        return;
    }
    let mut trees = Vec::new();
    for tool in ["rbox", "gnu"] {
        let d = TempDir::new("mv-hl");
        sh(
            d.path(),
            "echo f > f && ln f g && mkdir a b && echo 1 > a/1 && ln a/1 b/1 && echo u > u",
        );
        let there = shm.join(format!("rbox-mv-hl-{}-{tool}", std::process::id()));
        let _ = std::fs::remove_dir_all(&there);
        std::fs::create_dir(&there).unwrap();
        let args: Vec<&std::ffi::OsStr> = vec![
            "f".as_ref(),
            "u".as_ref(),
            "g".as_ref(),
            "a".as_ref(),
            "b".as_ref(),
            there.as_os_str(),
        ];
        let r = if tool == "rbox" {
            applet("mv")
        } else {
            gnu("mv")
        };
        r.args(args).cwd(d.path()).run().ok();
        let snap = Snap {
            links: true,
            ..Snap::default()
        };
        let t = tree_snapshot(&there, snap);
        let _ = std::fs::remove_dir_all(&there);
        assert!(
            t.iter()
                .any(|l| l.starts_with("./g ") && l.contains("n=2 same-as=./f")),
            "{tool}: {t:?}"
        );
        trees.push(t);
    }
    assert_eq!(trees[0], trees[1]);
}

/// GNU's order: operands counted, then -t with -T (no usage hint), then the target, and only
/// then trailing slashes stripped and --backup against -n.
#[test]
fn operand_checks_in_gnu_order() {
    for args in [
        &[s("-n"), s("-T"), s("-t"), s("e")][..],
        &[s("-n"), s("--suffix=~~")],
        &[s("-b"), s("-n"), s("x")],
        &[s("-n"), s("-T"), s("-b"), s("-t"), s("e"), s("x")],
        &[s("-T"), s("-t"), s("e"), s("x"), s("y")],
        &[s("--strip-trailing-slashes"), s("new/")],
        &[s("--strip-trailing-slashes"), s("x"), s("y"), s("new/")],
        &[s("--strip-trailing-slashes"), s("d/"), s("e/")],
    ] {
        both(args, "");
    }
}

/// Found by benches/difftest.py: GNU's -n ends at an existing destination before the
/// same-file check, -u weighs files only (a directory goes on to the kind checks), no backup
/// is made for a source named `.`, a missing `NAME/` is refused to a file even under
/// --strip-trailing-slashes, a directory refused as moved into itself twice is a warning.
#[test]
fn order_of_checks_like_gnu() {
    let setup = |d: &Path| {
        sh(
            d,
            "mkdir -p d/sub && echo z > d/e && echo a > a && : > B && ln -s d dl && \
             touch -d 2030-01-01 a B d/e",
        )
    };
    for args in [
        &[s("-n"), s("a"), s("a")][..],
        &[s("-n"), s("-v"), s("."), s(".")],
        &[s("--no-clobber"), s("d/e"), s("d")],
        &[s("-n"), s("-t"), s("d"), s("d/e"), s("a")],
        &[s("-u"), s("d"), s("a")],
        &[s("-u"), s("."), s("B")],
        &[s("-u"), s("."), s("dl")],
        &[s("-b"), s("."), s("B")],
        &[s("--suffix=.k"), s("."), s("a")],
        &[s("-b"), s("."), s("d")],
        &[s("--strip-trailing-slashes"), s("a"), s("new/")],
        &[s("--strip-trailing-slashes"), s("dl"), s("new/")],
        &[s("--strip-trailing-slashes"), s("d/"), s("new/")],
        &[s("-T"), s("--strip-trailing-slashes"), s("a"), s("new/")],
        &[s("-t"), s("d/sub"), s("d/"), s("d")],
        &[s("d"), s("d"), s("d/sub")],
    ] {
        same_in(&setup, args, "", NO_TIMES);
    }
}
