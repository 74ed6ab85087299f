//! `rm` against GNU coreutils as the oracle: the same tree made twice, each tool run in its own
//! copy with the same arguments, then output, messages, status and the trees left compared.

use crate::harness::*;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

/// A tree of the kinds of files rm meets, symlinks pointing outside it included.
fn build(d: &Path) {
    let w = |p: &str, data: &str| {
        let p = d.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    };
    w("t/a/f1", "one");
    w("t/a/b/f2", "two");
    w("t/empty", "");
    std::fs::create_dir_all(d.join("t/e")).unwrap();
    std::fs::create_dir_all(d.join("emptydir")).unwrap();
    w("file", "x");
    w("outside/secret", "keep me");
    std::os::unix::fs::symlink("../../outside", d.join("t/a/out")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", d.join("t/abs")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("t/dangling")).unwrap();
    std::os::unix::fs::symlink("t", d.join("tlink")).unwrap();
    let st = Command::new("mkfifo")
        .arg(d.join("t/fifo"))
        .status()
        .unwrap();
    assert!(st.success());
}

/// Runs `rm ARGS` (stdin `input`) in two fresh copies of the tree; asserts the same output,
/// messages, status and resulting tree. Returns rbox's output.
fn both(args: &[&[u8]], input: &str) -> Output {
    let (a, g) = (TempDir::new("rm-a"), TempDir::new("rm-g"));
    build(a.path());
    build(g.path());
    let os: Vec<&std::ffi::OsStr> = args
        .iter()
        .map(|a| std::ffi::OsStr::from_bytes(a))
        .collect();
    let ours = applet("rm").args(&os).cwd(a.path()).stdin(input).run();
    let theirs = gnu("rm").args(&os).cwd(g.path()).stdin(input).run();
    ours.same_as(&theirs);
    let what = Snap::default();
    assert_eq!(
        tree_snapshot(a.path(), what),
        tree_snapshot(g.path(), what),
        "trees differ after rm {args:?}"
    );
    ours
}

fn s(v: &str) -> &[u8] {
    v.as_bytes()
}

#[test]
fn files_dirs_and_messages_match_gnu() {
    for args in [
        &[s("file")][..],
        &[s("-v"), s("file"), s("t/empty")],
        &[s("t")],
        &[s("-d"), s("t"), s("emptydir")],
        &[s("-dv"), s("emptydir")],
        &[s("nope"), s("file")],
        &[s("-f"), s("nope"), s("file")],
        &[s("-f")],
        &[],
        &[s("-rv"), s("t")],
        &[s("-R"), s("t"), s("nope")],
        &[s("-rf"), s("nope"), s("t/a")],
        &[s("-r"), s("tlink")],
        &[s("-r"), s("tlink/")],
        &[s("-r"), s("file/")],
        &[s("-r"), s("nope/..")],
        &[s("-r"), s("."), s("t/.."), s("t/a/.//"), s("t/a/b")],
        &[s("-d"), s(".")],
        &[s(".")],
        &[s("-r"), s("/")],
        &[s("-r"), s("//")],
        &[s("-r"), s("--preserve-root=all"), s("t")],
        &[s("--preserve-root=bogus"), s("t")],
        &[s("--interactive=bogus"), s("t")],
        &[s("--interactive=al"), s("file")],
        &[s("-Q"), s("file")],
        &[s("--verb"), s("file")],
        &[s("-r"), s("--one-file-system"), s("t")],
        &[s("-rvd"), s("t/e"), s("t/a/b")],
    ] {
        both(args, "");
    }
}

#[test]
fn leading_hyphen_hint() {
    let (a, g) = (TempDir::new("rm-h-a"), TempDir::new("rm-h-g"));
    for d in [&a, &g] {
        d.write("-x", "");
    }
    let o = applet("rm").arg("-x").cwd(a.path()).run();
    o.same_as(&gnu("rm").arg("-x").cwd(g.path()).run());
    o.stderr_has("Try 'rm ./-x' to remove the file '-x'.");
    let o = applet("rm").args(["--", "-x"]).cwd(a.path()).run();
    o.same_as(&gnu("rm").args(["--", "-x"]).cwd(g.path()).run());
    assert!(!a.join("-x").exists());
}

#[test]
fn interactive_answers_match_gnu() {
    both(
        &[
            s("-i"),
            s("file"),
            s("t/empty"),
            s("t/fifo"),
            s("t/dangling"),
        ],
        "y\nn\nyes\nY\n",
    );
    both(&[s("-ri"), s("t")], "y\ny\nn\ny\ny\ny\ny\ny\ny\ny\ny\ny\n");
    both(&[s("-ri"), s("t")], "y\nn\nn\nn\ny\ny\ny\ny\ny\n");
    both(&[s("-ri"), s("emptydir"), s("t/e")], "y\nn\n");
    both(&[s("-di"), s("emptydir")], "y\n");
    // -I: one question for more than three operands or for -r.
    both(
        &[s("-I"), s("file"), s("t/empty"), s("t/fifo"), s("t/abs")],
        "n\n",
    );
    both(
        &[s("-I"), s("file"), s("t/empty"), s("t/fifo"), s("t/abs")],
        "y\n",
    );
    both(&[s("-I"), s("-r"), s("t")], "n\n");
    both(&[s("-rI"), s("t"), s("file")], "y\n");
    both(&[s("--interactive=once"), s("file")], "");
    // The last of -f / -i wins.
    both(&[s("-if"), s("file")], "");
    both(&[s("-fi"), s("file")], "n\n");
    both(&[s("-i"), s("nope")], "y\n");
}

#[test]
fn symlinks_pointing_outside_are_removed_not_followed() {
    let d = TempDir::new("rm-out");
    build(d.path());
    let before = tree_snapshot(&d.join("outside"), Snap::default());
    applet("rm")
        .args(["-rf", "t", "tlink"])
        .cwd(d.path())
        .run()
        .ok();
    assert!(!d.join("t").exists() && d.join("tlink").symlink_metadata().is_err());
    assert_eq!(tree_snapshot(&d.join("outside"), Snap::default()), before);
}

/// A directory swapped for a symlink to somewhere else while rm is inside its parent: rm -ri
/// stops at each question, which is when the test swaps it, so the race is deterministic.
#[test]
fn directory_swapped_for_a_symlink_mid_walk() {
    for tool in ["rbox", "gnu"] {
        let d = TempDir::new("rm-swap");
        d.write("top/a/inner/f", "f");
        d.write("outside/secret", "keep");
        let mut child = spawn_asking(tool, "rm", &["-ri", "top"], d.path());
        let mut input = child.stdin.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let mut asked = Vec::new();
        loop {
            let q = question(&mut err);
            if q.is_empty() {
                break;
            }
            if q.contains("descend into directory 'top/a'?") {
                // top/a is open and listed: its child becomes a link out of the tree.
                std::fs::remove_dir_all(d.join("top/a/inner")).unwrap();
                std::os::unix::fs::symlink(d.join("outside"), d.join("top/a/inner")).unwrap();
            }
            asked.push(q);
            input.write_all(b"y\n").unwrap();
        }
        drop(input);
        let st = child.wait().unwrap();
        assert!(st.success(), "{tool}: {asked:?}");
        assert!(
            asked
                .iter()
                .any(|q| q.contains("remove symbolic link 'top/a/inner'?")),
            "{tool}: {asked:?}"
        );
        assert_eq!(
            std::fs::read(d.join("outside/secret")).unwrap(),
            b"keep",
            "{tool}"
        );
        assert!(!d.join("top").exists(), "{tool}");
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
        use std::os::unix::fs::PermissionsExt;
        build(d);
        std::fs::create_dir_all(d.join("locked/sub")).unwrap();
        std::fs::write(d.join("locked/f"), "").unwrap();
        std::fs::create_dir_all(d.join("mine/ro")).unwrap();
        std::fs::write(d.join("mine/ro/x"), "").unwrap();
        std::fs::create_dir_all(d.join("noread")).unwrap();
        std::fs::write(d.join("noread/x"), "").unwrap();
        std::fs::set_permissions(d.join("noread"), std::fs::Permissions::from_mode(0o000)).unwrap();
        std::fs::set_permissions(d.join("mine/ro"), std::fs::Permissions::from_mode(0o555))
            .unwrap();
        for p in ["", "mine"] {
            std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        // The private parent of the temporary directory must be searchable too.
        std::fs::set_permissions(d.parent().unwrap(), std::fs::Permissions::from_mode(0o755))
            .unwrap();
    };
    for args in [
        &["-r", "locked", "mine", "noread", "nope"][..],
        &["-rf", "locked/f", "noread/x"],
        &["-d", "noread"],
        &["noread"],
        &["-rv", "mine/ro", "file"],
    ] {
        let (a, g) = (TempDir::new("rm-p-a"), TempDir::new("rm-p-g"));
        mk(a.path());
        mk(g.path());
        let o = applet_as(65534, "rm").args(args).cwd(a.path()).run();
        o.same_as(&gnu_as(65534, "rm").args(args).cwd(g.path()).run());
        assert_eq!(
            tree_snapshot(a.path(), Snap::default()),
            tree_snapshot(g.path(), Snap::default()),
            "{args:?}"
        );
    }
}

#[test]
fn verbose_to_a_full_disk_and_odd_names() {
    let (a, g) = (TempDir::new("rm-full-a"), TempDir::new("rm-full-g"));
    for d in [&a, &g] {
        d.write("f", "");
    }
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let o = applet("rm")
        .args(["-v", "f"])
        .cwd(a.path())
        .stdout_file(full())
        .run();
    o.same_as(
        &gnu("rm")
            .args(["-v", "f"])
            .cwd(g.path())
            .stdout_file(full())
            .run(),
    );
    o.code(1)
        .stderr_is("rm: write error: No space left on device\n");
    assert!(!a.join("f").exists());

    // Names with a newline, invalid UTF-8, quotes and spaces, in messages and -v lines.
    let names: [&[u8]; 4] = [b"new\nline", b"bad\xff\xfe", b"it's here", b"-"];
    let (a, g) = (TempDir::new("rm-n-a"), TempDir::new("rm-n-g"));
    for d in [&a, &g] {
        for n in names {
            std::fs::write(d.join(std::ffi::OsStr::from_bytes(n)), "").unwrap();
        }
        std::fs::create_dir(d.join(std::ffi::OsStr::from_bytes(b"dir\n\x01"))).unwrap();
    }
    let mut args: Vec<&std::ffi::OsStr> = vec!["-v".as_ref()];
    args.extend(names.iter().map(|n| std::ffi::OsStr::from_bytes(n)));
    args.push(std::ffi::OsStr::from_bytes(b"dir\n\x01"));
    args.push(std::ffi::OsStr::from_bytes(b"missing\n\xff"));
    let o = applet("rm").args(&args).cwd(a.path()).run();
    o.same_as(&gnu("rm").args(&args).cwd(g.path()).run());
    assert!(o.out().contains("removed 'new'$'\\n''line'"), "{}", o.out());
    assert_eq!(
        tree_snapshot(a.path(), Snap::default()),
        tree_snapshot(g.path(), Snap::default())
    );
}

#[test]
fn deep_tree_is_removed() {
    let d = TempDir::new("rm-deep");
    let mut p = d.join("deep");
    for _ in 0..300 {
        p.push("d");
    }
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("f"), "").unwrap();
    applet("rm").args(["-r", "deep"]).cwd(d.path()).run().ok();
    assert!(!d.join("deep").exists());
}

/// A tree big enough for the removal to use its second thread: subdirectories with files.
fn wide(d: &Path) {
    for i in 0..12 {
        for j in 0..30 {
            std::fs::create_dir_all(d.join(format!("big/s{i:02}/n"))).unwrap();
            std::fs::write(d.join(format!("big/s{i:02}/f{j:02}")), "x").unwrap();
            if j < 5 {
                std::fs::write(d.join(format!("big/s{i:02}/n/g{j}")), "y").unwrap();
            }
        }
    }
}

#[test]
fn wide_tree_is_removed_whole() {
    let d = TempDir::new("rm-wide");
    wide(d.path());
    std::os::unix::fs::symlink("../..", d.join("big/s03/n/up")).unwrap();
    let o = applet("rm")
        .args(["-rf", "big"])
        .env("RBOX_WALK_THREADS", "2")
        .cwd(d.path())
        .run();
    o.ok();
    assert_eq!(o.err(), "");
    assert!(!d.join("big").exists());
    assert!(d.path().exists());
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn errors_in_subtrees_removed_in_parallel_match_gnu() {
    if !is_root() {
        skip("setpriv to uid 65534 needs root");
        return;
    }
    let mk = |d: &Path| {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str, m: u32| {
            std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(m)).unwrap()
        };
        wide(d);
        std::fs::create_dir_all(d.join("other/x")).unwrap();
        for p in ["", "big", "other", "other/x"] {
            mode(p, 0o777);
        }
        for i in 0..12 {
            mode(&format!("big/s{i:02}"), 0o777);
            mode(&format!("big/s{i:02}/n"), 0o777);
        }
        // Files that cannot be removed in several subtrees (whichever thread walks them),
        // one directory that cannot be read.
        for p in ["big/s02", "big/s05/n", "big/s09", "big/s11/n"] {
            mode(p, 0o555);
        }
        mode("big/s07", 0o000);
        std::fs::set_permissions(d.parent().unwrap(), std::fs::Permissions::from_mode(0o755))
            .unwrap();
    };
    for args in [&["-rf", "big", "other"][..], &["-r", "big"]] {
        let (a, g) = (TempDir::new("rm-w-a"), TempDir::new("rm-w-g"));
        mk(a.path());
        mk(g.path());
        let o = applet_as(65534, "rm")
            .args(args)
            .env("RBOX_WALK_THREADS", "2")
            .cwd(a.path())
            .run();
        o.same_as(&gnu_as(65534, "rm").args(args).cwd(g.path()).run());
        assert_eq!(o.code, 1);
        assert!(
            o.stderr.len() > 100,
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            tree_snapshot(a.path(), Snap::default()),
            tree_snapshot(g.path(), Snap::default()),
            "{args:?}"
        );
        assert_eq!(a.join("other").exists(), !args.contains(&"other"));
    }
}

/// GNU's hidden `---presume-input-tty` (its own tests' way to get questions without a
/// terminal): a write-protected file is asked about on a pipe, and "n" keeps it, as GNU's
/// (coreutils' rm/dangling-symlink, dir-no-w, interactive-once).
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn presume_input_tty_asks_on_a_pipe_like_gnu() {
    if !is_root() {
        skip("setpriv to uid 65534 needs root");
        return;
    }
    let mk = |d: &Path| {
        use std::os::unix::fs::PermissionsExt;
        for f in ["ro", "ro2"] {
            std::fs::write(d.join(f), "x").unwrap();
            std::fs::set_permissions(d.join(f), std::fs::Permissions::from_mode(0o444)).unwrap();
        }
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).unwrap();
        std::fs::set_permissions(d.parent().unwrap(), std::fs::Permissions::from_mode(0o755))
            .unwrap();
    };
    for (args, input) in [
        (&["---presume-input-tty", "ro", "ro2"][..], "n\ny\n"),
        (&["ro", "ro2"], "n\n"),
        (&["---presume-input-tty", "-f", "ro"], ""),
    ] {
        let (a, g) = (TempDir::new("rm-t-a"), TempDir::new("rm-t-g"));
        mk(a.path());
        mk(g.path());
        let o = applet_as(65534, "rm")
            .args(args)
            .stdin(input)
            .cwd(a.path())
            .run();
        o.same_as(
            &gnu_as(65534, "rm")
                .args(args)
                .stdin(input)
                .cwd(g.path())
                .run(),
        );
        assert_eq!(
            tree_snapshot(a.path(), Snap::default()),
            tree_snapshot(g.path(), Snap::default()),
            "{args:?}"
        );
    }
}
