//! `find` against GNU findutils 4.9's find as the oracle: both walk the same tree (so the same
//! directory order) and must give the same output, messages and status.

use crate::harness::*;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

fn have_gnu_find() -> bool {
    let ok = std::process::Command::new("find")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("GNU findutils"))
        .unwrap_or(false);
    if !ok {
        skip("GNU find is not installed");
    }
    ok
}

fn set_mtime(p: &Path, secs_ago: u64) {
    let t = std::time::SystemTime::now() - std::time::Duration::from_secs(secs_ago);
    let f = std::fs::File::options()
        .write(true)
        .open(p)
        .or_else(|_| std::fs::File::open(p))
        .unwrap();
    f.set_modified(t).unwrap();
}

/// a/ with files, subdirectories, symlinks (one dangling, one to a directory), a fifo, files
/// of several sizes, modes and ages.
fn tree() -> TempDir {
    let d = TempDir::new("find");
    d.write("a/x", "");
    d.write("a/b/y.c", "hello\n");
    d.write("a/b/c/deep.txt", vec![b'z'; 5000]);
    d.write("a/big", vec![b'q'; 3 * 1024 * 1024 + 1]);
    d.write("a/Mixed.TXT", "x");
    std::fs::create_dir_all(d.join("a/empty")).unwrap();
    symlink("b", d.join("a/lnk")).unwrap();
    symlink("nowhere", d.join("a/dang")).unwrap();
    symlink("../../outside", d.join("a/b/out")).unwrap();
    d.write("outside", "keep");
    let fifo = d.join("a/fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::fs::set_permissions(d.join("a/x"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::set_permissions(d.join("a/b/y.c"), std::fs::Permissions::from_mode(0o4755)).unwrap();
    set_mtime(&d.join("a/x"), 3 * 86400 + 100);
    set_mtime(&d.join("a/b/y.c"), 90 * 60);
    set_mtime(&d.join("a/big"), 30 * 86400);
    d
}

#[track_caller]
fn same(d: &Path, args: &[&str]) {
    let ours = applet("find").args(args).cwd(d).run();
    let theirs = gnu("find").args(args).cwd(d).run();
    assert_eq!(
        (theirs.code, theirs.err(), theirs.out()),
        (ours.code, ours.err(), ours.out()),
        "find {args:?}"
    );
}

#[test]
fn tests_and_actions_match_gnu() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    let cases: &[&[&str]] = &[
        &["a"],
        &[],
        &["a", "-print"],
        &["a", "-name", "*.c"],
        &["a", "-iname", "*.txt"],
        &["a", "-name", "[xy]*"],
        &["a", "-path", "a/b/*"],
        &["a", "-ipath", "A/B*"],
        &["a", "-wholename", "*c/*"],
        &["a", "-regex", ".*/\\(x\\|y\\.c\\)"],
        &["a", "-regex", "a/b.*"],
        &["a", "-regex", ".*[0-9]+"],
        &["a", "-iregex", "A/MIXED.*"],
        &[
            "a",
            "-regextype",
            "posix-extended",
            "-regex",
            ".*/(x|y\\.c)",
        ],
        &["a", "-regextype", "posix-basic", "-regex", "a/x\\{1\\}"],
        &["a", "-regextype", "egrep", "-regex", "a/[bx]+"],
        &["a", "-lname", "no*"],
        &["a", "-ilname", "B"],
        &["a", "-type", "d"],
        &["a", "-type", "f,l"],
        &["a", "-type", "p"],
        &["a", "-xtype", "l"],
        &["a", "-xtype", "d"],
        &["-L", "a", "-type", "l"],
        &["-L", "a", "-xtype", "l"],
        &["a", "-size", "-1"],
        &["a", "-size", "+1k"],
        &["a", "-size", "5k"],
        &["a", "-size", "6c"],
        &["a", "-size", "+3M"],
        &["a", "-size", "-4M", "-size", "+2M"],
        &["a", "-size", "1G"],
        &["a", "-size", "3w"],
        &["a", "-empty"],
        &["a", "-newer", "a/x"],
        &["a", "-anewer", "a/x", "-type", "f"],
        &["a", "-cnewer", "a/x", "-name", "x"],
        &["a", "-newermm", "a/big"],
        &["a", "-newermt", "2000-01-01", "-name", "x"],
        &["a", "-newermt", "@0", "-name", "big"],
        &["a", "-mtime", "+2"],
        &["a", "-mtime", "3"],
        &["a", "-mtime", "-1"],
        &["a", "-mtime", "+29"],
        &["a", "-mmin", "+60", "-mmin", "-120"],
        &["a", "-mmin", "-10"],
        &["a", "-daystart", "-mtime", "+10"],
        &["a", "-atime", "-1", "-type", "d"],
        &["a", "-ctime", "0", "-name", "x"],
        &["a", "-cmin", "-5", "-name", "x"],
        &["a", "-amin", "+100000"],
        &["a", "-perm", "640"],
        &["a", "-perm", "-4000"],
        &["a", "-perm", "/o+w"],
        &["a", "-perm", "-u=rw,g=r"],
        &["a", "-perm", "/u+s,g+s"],
        &["a", "-perm", "u=rw,g=r"],
        &["a", "-perm", "-a+r"],
        &["a", "-user", "root"],
        &["a", "-group", "0"],
        &["a", "-uid", "0", "-gid", "+100"],
        &["a", "-nouser"],
        &["a", "-nogroup"],
        &["a", "-links", "+2"],
        &["a", "-links", "1", "-type", "f"],
        &["a", "-samefile", "a/lnk"],
        &["-L", "a", "-samefile", "a/b"],
        &["a", "-readable"],
        &["a", "-writable", "-executable"],
        &["a", "-maxdepth", "1"],
        &["a", "-maxdepth", "0"],
        &["a", "-mindepth", "2"],
        &["a", "-mindepth", "1", "-maxdepth", "2", "-depth"],
        &["a", "-depth"],
        &["a", "-d", "-name", "b"],
        &["a", "-name", "b", "-prune", "-o", "-print"],
        &["a", "-path", "a/b", "-prune", "-o", "-type", "f", "-print"],
        &["a", "-xdev", "-type", "f"],
        &["a", "-mount", "-name", "x"],
        &["a", "-noleaf", "-ignore_readdir_race", "-name", "x"],
        &["a", "!", "-name", "x", "-type", "f"],
        &["a", "-not", "-type", "d"],
        &["a", "(", "-name", "x", "-o", "-name", "y.c", ")", "-print"],
        &[
            "a", "-name", "x", "-or", "-name", "big", "-and", "-size", "+1M",
        ],
        &["a", "-name", "x", ",", "-name", "big"],
        &["a", "-false", "-o", "-true", "-name", "x"],
        &["a", "-print0"],
        &["a", "-name", "x", "-quit"],
        &["a", "-print", "-quit"],
        &["a", "-type", "f", "-print", "-quit"],
        &["a", "-type", "f", "-quit", "-print"],
        &["a", "-type", "f", "-print", "-quit", "-print"],
        &["a", "-name", "nomatch", "-quit", "-o", "-print"],
        &["a", "(", "-quit", ")", "-o", "-print"],
        &["a", "-type", "f", "-exec", "echo", "{}", "+", "-quit"],
        &["a", "-ls"],
        &["a", "-name", "*.c", "-ls", "-print"],
        &[
            "a",
            "-printf",
            "%p|%P|%f|%h|%H|%d|%s|%m|%#m|%M|%u|%g|%U|%G|%k|%b|%l|%y|%Y|%n\\n",
        ],
        &[
            "a",
            "-printf",
            "%-10f|%10p|%.3p|%05s|%+d|%-4d|%5m|%-6m|%#o\\n",
        ],
        &[
            "a",
            "-name",
            "x",
            "-printf",
            "%t|%a|%A@|%T+|%TY-%Tm-%Td|%TH %TM %TS|%TT|%Tk|%Tz|%Ts|%Tc\\n",
        ],
        &["a", "-name", "big", "-printf", "%k %b %s %S\\n"],
        &[
            "a",
            "-maxdepth",
            "1",
            "-printf",
            "\\t\\\\ \\101\\0x %% \\c no",
        ],
        &["a", "-printf", "%z\\n", "-quit"],
        &["a/", "-maxdepth", "1"],
        &["a//", "-printf", "%p %f %h %P\\n"],
        &["./a/", "-printf", "%p %f %h %H\\n"],
        &[".", "-maxdepth", "1", "-name", "a"],
        &["a/lnk"],
        &["a/lnk/"],
        &["-H", "a/lnk"],
        &["-L", "a"],
        &["a", "-follow"],
        &["-P", "a", "-type", "l"],
        &["a", "nonexistent", "-name", "x"],
        &["a", "-exec", "echo", "{}", "+"],
        &["a", "-type", "f", "-exec", "echo", "[{}]", "-{}-", ";"],
        &["a", "-exec", "test", "-d", "{}", ";", "-print"],
        &["a", "-name", "*.c", "-exec", "cat", "{}", "+"],
        &["a", "-execdir", "echo", "{}", ";"],
        &["a", "-execdir", "echo", "{}", "+"],
        &["a/b", "-maxdepth", "0", "-execdir", "pwd", ";"],
        &[".", "-maxdepth", "0", "-execdir", "echo", "{}", ";"],
        &["a", "-exec", "nosuchcommand-rbox", ";"],
        &["a", "-exec", "false", "{}", "+"],
        &["a", "-exec", "false", ";"],
        &["a", "-exec", "sh", "-c", "exit 3", ";", "-print"],
    ];
    for args in cases {
        same(d.path(), args);
    }
}

#[test]
fn malformed_expressions_match_gnu() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    let cases: &[&[&str]] = &[
        &["a", "-foo"],
        &["a", "-name"],
        &["a", "a", "-name", "x", "b"],
        &["a", "-name", "x", "a"],
        &["a", "("],
        &["a", "(", ")"],
        &["a", "(", "-name", "x"],
        &["a", "-name", "x", ")"],
        &["a", "-name", "x", "-o"],
        &["a", "-name", "x", "-a"],
        &["a", "-name", "x", ","],
        &["a", "-o", "-name", "x"],
        &["a", "-a"],
        &["a", "!"],
        &["a", "-not"],
        &["a", "-name", "x", "!", ")"],
        &["a", "-exec"],
        &["a", "-exec", "echo", "{}"],
        &["a", "-exec", "echo", "{}", "{}", "+"],
        &["a", "-exec", "echo", "{}x", "+"],
        &["a", "-ok"],
        &["a", "-size"],
        &["a", "-size", "3q"],
        &["a", "-size", "5.5"],
        &["a", "-size", "-"],
        &["a", "-links", "x"],
        &["a", "-inum", "-x"],
        &["a", "-uid", "abc"],
        &["a", "-mtime", "x"],
        &["a", "-perm"],
        &["a", "-perm", "zz"],
        &["a", "-perm", "+222"],
        &["a", "-perm", "-"],
        &["a", "-user", "no-such-user-rbox"],
        &["a", "-group", "no-such-group-rbox"],
        &["a", "-type"],
        &["a", "-type", "q"],
        &["a", "-type", "fd"],
        &["a", "-type", "f,"],
        &["a", "-xtype", "q"],
        &["a", "-maxdepth", "-1"],
        &["a", "-maxdepth", "x"],
        &["a", "-mindepth"],
        &["a", "-newer", "nope"],
        &["a", "-newer"],
        &["a", "-samefile", "nope"],
        &["a", "-newerXY", "x"],
        &["a", "-newermq", "x"],
        &["a", "-newermt", "garbage"],
        &["a", "-regextype", "foo"],
        &["a", "-regex"],
        &["a", "-delete", "-prune"],
        &["a", "-fprint"],
        &["a", "-fprint", "/nonexistent-dir/x"],
        &["a", "-size", "++1"],
        &["a", "-links", "+-1"],
        &["a", "-mtime", "+-1"],
        &["a", "-type", "D"],
        &["a", "-exec", ";"],
        &["a", "-regex", "["],
        &["a", "-regextype", "posix-extended", "-regex", "("],
        &["a", "-context", "x"],
        &["a", "-maxdepth", "0", "-printf", "%5%|%-5%|%%|\\n"],
        &["a", "-maxdepth", "0", "-printf", "%"],
        &["a", "-maxdepth", "0", "-printf", "%5"],
        &["a", "-maxdepth", "0", "-printf", "%A"],
        &["a", "-maxdepth", "0", "-printf", "x\\"],
        &["nope1", "nope2"],
        &[""],
    ];
    for args in cases {
        same(d.path(), args);
    }
}

#[test]
fn odd_names_newlines_and_invalid_utf8() {
    if !have_gnu_find() {
        return;
    }
    let d = TempDir::new("findnames");
    let dir = d.join("t");
    std::fs::create_dir(&dir).unwrap();
    for n in [
        &b"new\nline"[..],
        b"bad\xff\xfe",
        b"sp ace",
        b"back\\slash",
        b"tab\there",
        b"'q'",
    ] {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(n)), "").unwrap();
    }
    symlink(std::ffi::OsStr::from_bytes(b"tar\nget"), dir.join("l")).unwrap();
    for args in [
        &["t"][..],
        &["t", "-print0"],
        &["t", "-ls"],
        &["t", "-printf", "%f|%p|%l\\n"],
        &["t", "-name", "*\n*"],
        &["t", "-name", "*\u{fffd}*"],
        &["t", "-regex", "t/bad.*"],
        &["t", "-exec", "printf", "<%s>", "{}", "+"],
        &["t/new\nline/x"],
    ] {
        same(d.path(), args);
    }
    // A name with invalid UTF-8 as an operand and a pattern.
    let bad = std::ffi::OsStr::from_bytes(b"t/nope\xff");
    let ours = applet("find").arg(bad).cwd(d.path()).run();
    let theirs = gnu("find").arg(bad).cwd(d.path()).run();
    ours.same_as(&theirs);
    let pat = std::ffi::OsStr::from_bytes(b"bad\xff*");
    let ours = applet("find")
        .args(["t", "-name"])
        .arg(pat)
        .cwd(d.path())
        .run();
    let theirs = gnu("find")
        .args(["t", "-name"])
        .arg(pat)
        .cwd(d.path())
        .run();
    ours.same_as(&theirs);
    assert!(ours.stdout.ends_with(b"t/bad\xff\xfe\n"));
}

#[test]
fn symlink_loops_and_dangling_links() {
    if !have_gnu_find() {
        return;
    }
    let d = TempDir::new("findloop");
    std::fs::create_dir_all(d.join("L/s/t")).unwrap();
    symlink("..", d.join("L/s/up")).unwrap();
    symlink("../..", d.join("L/s/t/top")).unwrap();
    symlink("missing", d.join("L/dang")).unwrap();
    symlink("self", d.join("L/self")).unwrap();
    for args in [
        &["-L", "L"][..],
        &["L", "-follow"],
        &["-L", "L", "-printf", "%p %y %Y\\n"],
        &["L", "-printf", "%p %y %Y\\n"],
        &["-L", "L", "-type", "l"],
        &["-L", "L", "-xtype", "l"],
        &["L", "-xtype", "l"],
        &["-H", "L/s/up"],
        &["-L", "L", "-depth"],
        // name tests run first in a chain, then -type, then the rest (GNU's order), so `self`
        // (a loop) is not stat'ed here, but is where an action stands between
        &["L", "-xtype", "l", "-name", "dang"],
        &["L", "-xtype", "d", "-o", "-name", "self"],
        &[
            "L", "-xtype", "l", "!", "(", "-name", "self", "-o", "-path", "*t*", ")",
        ],
        &["L", "-xtype", "l", "-print", "-name", "dang"],
        &["L", "-xtype", "l", "-type", "d"],
        &["L", "-xtype", "l", "-empty", "-type", "d"],
        &[
            "L", "-xtype", "l", "(", "-type", "d", "-o", "-name", "x", ")",
        ],
        &["L", "-xtype", "l", "-lname", "x"],
        &["L", "-xtype", "l", "-print", "-type", "d"],
        // GNU reorders `,` chains too, which changes their value
        &["L", "-type", "d", ",", "-name", "x"],
        &["L", "-empty", ",", "-true"],
        &["L", "-type", "d", ",", "-print"],
        &["L", "(", "-name", "s", "-readable", ")", ",", "-lname", "*"],
        &["L", "!", "-executable", ",", "-inum", "1"],
        &["L", "-links", "1", ",", "-type", "d"],
        // the reminder about `/000` comes even under -nowarn
        &["L", "-maxdepth", "0", "-perm", "/0"],
        &["L", "-maxdepth", "0", "-nowarn", "-perm", "/u="],
    ] {
        same(d.path(), args);
    }
    let o = applet("find").args(["-L", "L"]).cwd(d.path()).run();
    o.code(1);
    assert!(o.err().contains(
        "File system loop detected; 'L/s/up' is part of the same file system loop as 'L'."
    ));
}

#[test]
fn unreadable_directories_as_non_root() {
    if !have_gnu_find() {
        return;
    }
    if !is_root() {
        skip("needs root to run as another user");
        return;
    }
    let d = TempDir::new("findperm");
    d.write("u/d/f", "");
    d.write("u/e/g", "");
    d.write("u/z", "");
    std::fs::set_permissions(d.join("u/d"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(d.join("u/e"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let chmod =
        |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    for p in [d.path().parent().unwrap(), d.path()] {
        chmod(p, 0o755);
    }
    for args in [
        &["u"][..],
        &["u", "-depth"],
        &["u", "-maxdepth", "1"],
        &["u", "-name", "d", "-prune", "-o", "-print"],
        &["u", "-readable"],
        &["u", "-writable"],
        &["u", "-executable", "-type", "d"],
        &["u/d/f"],
        &["u", "-empty"],
        &["u", "-ls"],
    ] {
        let ours = applet_as(65534, "find").args(args).cwd(d.path()).run();
        let theirs = gnu_as(65534, "find").args(args).cwd(d.path()).run();
        ours.same_as(&theirs);
    }
    let o = applet_as(65534, "find").arg("u").cwd(d.path()).run();
    o.code(1);
    assert!(o.err().contains("find: 'u/d': Permission denied"));
    assert!(
        o.out().contains("u/z\n"),
        "the walk goes on after the error"
    );
}

#[test]
fn delete_stays_inside_and_matches_gnu() {
    if !have_gnu_find() {
        return;
    }
    for args in [
        &["a", "-name", "*.c", "-delete"][..],
        &["a", "-delete"],
        &["a", "-type", "l", "-delete"],
        &["a", "-path", "a/b", "-delete"],
        &["-L", "a", "-name", "out", "-delete"],
        &["a", "-depth", "-name", "b", "-prune", "-delete"],
        &["a", "-empty", "-delete", "-print"],
    ] {
        let ours = tree();
        let theirs = tree();
        let o = applet("find").args(args).cwd(ours.path()).run();
        let g = gnu("find").args(args).cwd(theirs.path()).run();
        o.same_as(&g);
        let snap = Snap::default();
        assert_eq!(
            tree_snapshot(ours.path(), snap),
            tree_snapshot(theirs.path(), snap),
            "find {args:?}"
        );
        assert!(
            ours.join("outside").exists(),
            "the file a symlink points to is kept"
        );
    }
    // Not empty: GNU's message and status.
    let d = tree();
    let o = applet("find")
        .args(["a", "-name", "b", "-delete"])
        .cwd(d.path())
        .run();
    let g = gnu("find")
        .args(["a", "-name", "b", "-delete"])
        .cwd(d.path())
        .run();
    o.same_as(&g);
    o.code(1);
}

#[test]
fn exec_plus_batches_within_the_limit() {
    if !have_gnu_find() {
        return;
    }
    let d = TempDir::new("findbatch");
    let long = "n".repeat(150);
    for i in 0..2500 {
        d.write(&format!("m/{long}{i:05}"), "");
    }
    let o = applet("find")
        .args([
            "m", "-type", "f", "-exec", "sh", "-c", "echo $#", "sh", "{}", "+",
        ])
        .cwd(d.path())
        .run();
    o.ok();
    let counts: Vec<usize> = o.out().lines().map(|l| l.parse().unwrap()).collect();
    assert!(counts.len() > 1, "more than one command line: {counts:?}");
    assert_eq!(counts.iter().sum::<usize>(), 2500);
    for c in &counts {
        assert!(
            c * 158 <= 128 * 1024,
            "a command line within 128 KiB: {counts:?}"
        );
    }
    // The same set of names as GNU passes (their order is the directory's).
    let ours = applet("find")
        .args(["m", "-exec", "printf", "%s\\n", "{}", "+"])
        .cwd(d.path())
        .run();
    let theirs = gnu("find")
        .args(["m", "-exec", "printf", "%s\\n", "{}", "+"])
        .cwd(d.path())
        .run();
    ours.same_as(&theirs);
}

#[test]
fn ok_asks_on_stderr_and_reads_stdin() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    for args in [
        &["a", "-maxdepth", "1", "-ok", "echo", "hi", "{}", ";"][..],
        &["a", "-maxdepth", "1", "-okdir", "echo", "{}", ";"],
    ] {
        let ours = applet("find")
            .args(args)
            .cwd(d.path())
            .stdin("y\nn\nyes\n")
            .run();
        let theirs = gnu("find")
            .args(args)
            .cwd(d.path())
            .stdin("y\nn\nyes\n")
            .run();
        ours.same_as(&theirs);
        assert!(ours.err().starts_with("< echo ... a > ? "));
    }
}

#[test]
fn output_files_and_write_errors() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let ours = applet("find")
        .arg("a")
        .cwd(d.path())
        .stdout_file(full())
        .run();
    let theirs = gnu("find").arg("a").cwd(d.path()).stdout_file(full()).run();
    assert_eq!(ours.code, theirs.code);
    assert_eq!(ours.code, 1);
    assert!(ours.err().contains("No space left on device"));
    same(d.path(), &["a", "-maxdepth", "0", "-fprint", "/dev/full"]);
    // -fprint, -fprint0, -fprintf, -fls write their files; stdout stays empty.
    let args = [
        "a", "-name", "x", "-fprint", "o1", "-fprint0", "o2", "-fprintf", "o3", "%f %s\\n", "-fls",
        "o4",
    ];
    let ours = applet("find").args(args).cwd(d.path()).run();
    ours.ok();
    assert!(ours.stdout.is_empty());
    let got: Vec<Vec<u8>> = ["o1", "o2", "o3"]
        .iter()
        .map(|f| std::fs::read(d.join(f)).unwrap())
        .collect();
    assert_eq!(
        got,
        vec![b"a/x\n".to_vec(), b"a/x\0".to_vec(), b"x 0\n".to_vec()]
    );
    let ls = std::fs::read_to_string(d.join("o4")).unwrap();
    assert!(ls.ends_with(" a/x\n") && ls.contains("-rw-r-----"), "{ls}");
}

#[test]
fn execdir_runs_in_the_parent_directory() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    let ours = applet("find")
        .args(["a/b", "-name", "*.c", "-execdir", "pwd", ";"])
        .cwd(d.path())
        .run();
    ours.ok();
    let want = std::fs::canonicalize(d.join("a/b")).unwrap();
    assert_eq!(ours.out().trim_end(), want.to_str().unwrap());
    // An insecure PATH is refused as GNU does.
    for path in [".:/bin:/usr/bin", "/bin:rel:/usr/bin", "/bin::/usr/bin"] {
        let ours = applet("find")
            .args(["a", "-execdir", "true", ";"])
            .env("PATH", path)
            .cwd(d.path())
            .run();
        let theirs = gnu("find")
            .args(["a", "-execdir", "true", ";"])
            .env("PATH", path)
            .cwd(d.path())
            .run();
        ours.same_as(&theirs);
    }
}

/// Cases after GNU findutils' own find suite (rewritten): dangling links named as roots under
/// -H/-L, paths that look like operators, %h of odd roots, reserved directives, depth
/// arguments, -execdir on `/`, one stream for two names of a file, -used, -files0-from.
#[test]
fn findutils_suite_cases_match_gnu() {
    if !have_gnu_find() {
        return;
    }
    let d = TempDir::new("findsuite");
    std::fs::create_dir_all(d.join("t")).unwrap();
    d.write("t/file", "");
    symlink("file", d.join("t/LINK")).unwrap();
    symlink("/NOSUCHFILE", d.join("t/BROKEN")).unwrap();
    symlink("file/ENOTDIR", d.join("t/ENOTDIR")).unwrap();
    symlink("SELF", d.join("t/SELF")).unwrap();
    for dir in ["(1", "!2", ",", ")", "ab", "foo"] {
        std::fs::create_dir_all(d.join(dir).join("x")).unwrap();
    }
    let fmt = "%y %Y %d %p\\n";
    let cases: &[&[&str]] = &[
        &["-H", "t/LINK", "t/BROKEN", "t/ENOTDIR", "t", "-printf", fmt],
        &["-L", "t/LINK", "t/BROKEN", "t/ENOTDIR", "t", "-printf", fmt],
        &["t/BROKEN", "t", "-follow", "-printf", fmt],
        &["-H", "t/BROKEN", "t", "-xtype", "l"],
        &["-L", "t/BROKEN", "-type", "l"],
        &["-H", "t/SELF"],
        &[
            "t/LINK",
            "t/BROKEN",
            "t/ENOTDIR",
            "t/SELF",
            "-printf",
            "%y %Y %p\\n",
        ],
        &["(1", "!2", ",", ")"],
        &["(1", ","],
        &[")", "-maxdepth", "0"],
        &[
            "ab/",
            "ab//",
            "///.",
            ".//.",
            "./",
            "foo/",
            "foo/.",
            "-maxdepth",
            "0",
            "-printf",
            "%p|%h|%f\\n",
        ],
        &["ab/", "-printf", "%h %f\\n"],
        &[".", "-maxdepth", "0", "-printf", "%("],
        &[".", "-maxdepth", "0", "-printf", "%{"],
        &[".", "-maxdepth", "0", "-printf", "%["],
        &["ab", "-mindepth", "+1"],
        &["ab", "-maxdepth", "2147483648"],
        &["ab", "-maxdepth", "2147483647"],
        &[
            "/",
            "//",
            "-maxdepth",
            "0",
            "-execdir",
            "echo",
            "==",
            "{}",
            ";",
        ],
        &["/", "-maxdepth", "0", "-execdir", "echo", "==", "{}", "+"],
        &["-files0-from", "-", ")"],
        &["-files0-from", "-", ")", "-print"],
        &["-noleaf", "-files0-from", "/dev/null", ")"],
        &["-files0-from", "/"],
        &["-files0-from", "-", "-ok", "echo", "{}", ";"],
    ];
    for args in cases {
        same(d.path(), args);
    }
    // Names with an empty one among them, from a pipe and from a file.
    d.write("list", "ab\0\0foo\0");
    for args in [&["-files0-from", "list"][..], &["-files0-from", "-"]] {
        let ours = applet("find")
            .args(args)
            .stdin("ab\0\0foo")
            .cwd(d.path())
            .run();
        let theirs = gnu("find")
            .args(args)
            .stdin("ab\0\0foo")
            .cwd(d.path())
            .run();
        assert_eq!(
            (theirs.code, theirs.err(), theirs.out()),
            (ours.code, ours.err(), ours.out()),
            "find {args:?}"
        );
    }
    // -fprintf through two names of one file: both lines land in it.
    symlink("out", d.join("same")).unwrap();
    for run in [applet("find"), gnu("find")] {
        run.args([
            "ab",
            "-maxdepth",
            "0",
            "-fprintf",
            "out",
            "1 %p\\n",
            "-fprintf",
            "same",
            "2 %p\\n",
        ])
        .cwd(d.path())
        .run()
        .code(0);
        assert_eq!(
            std::fs::read_to_string(d.join("out")).unwrap(),
            "1 ab\n2 ab\n"
        );
    }
}

/// -used N: days from the last status change to the last access, GNU's windows (N alone is
/// more than N-1 and at most N... never for 0).
#[test]
fn used_counts_days_from_change_to_access() {
    if !have_gnu_find() {
        return;
    }
    let d = TempDir::new("findused");
    let now = std::time::SystemTime::now();
    for (name, days) in [("t00", 0u64), ("t10", 10), ("t20", 20)] {
        let p = d.write(name, "");
        if days > 0 {
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            let t = now + std::time::Duration::from_secs(days * 86400 + 60);
            f.set_times(std::fs::FileTimes::new().set_accessed(t))
                .unwrap();
        }
    }
    for n in [
        "-25", "-15", "-5", "0", "5", "11", "+0", "+5", "+15", "+25", "1.5", "-10.5",
    ] {
        same(d.path(), &[".", "-type", "f", "-used", n]);
    }
}

/// Cases found by `benches/difftest.py find` (random expressions over a fixed tree), each
/// against GNU find 4.9.
#[test]
fn leading_options_numbers_and_messages_as_gnu() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    d.write("a/nl\nx", "2");
    let t = d.path();
    // -D takes a separate list, checked (GNU names the list's first flag in every warning);
    // -O's level is checked
    for args in [
        &["-D", "", "."][..],
        &["-D", ",,", "."],
        &["-D", "x,y", ".", "-maxdepth", "0"],
        &["-D", "help"],
        &["-Dtree", "."],
        &["-D"],
        &["-O", "."],
        &["-Ox", "."],
        &["-O1x", "."],
        &["-O70000", "."],
        &["-O99999999999999999999", "."],
        &["-O3", ".", "-maxdepth", "0"],
    ] {
        same(t, args);
    }
    // numbers as xstrtoumax and strtod read them: white space, a second `+`
    for (p, n) in [
        ("-size", " 1"),
        ("-size", "+ 1"),
        ("-size", "k"),
        ("-size", "+k"),
        ("-size", ""),
        ("-size", " 1k"),
        ("-size", "-"),
        ("-mtime", " 1"),
        ("-mtime", "+ 1"),
        ("-mmin", " -1"),
        ("-links", " +1"),
        ("-links", " -1"),
        ("-used", "1 "),
        ("-user", " 0"),
        ("-user", "+0"),
        ("-uid", " 0"),
    ] {
        same(t, &["a", p, n]);
    }
    // the default regex syntax is emacs without findutils-default's "." matching a newline
    same(t, &["a", "-regex", ".*"]);
    same(t, &["a", "-regextype", "findutils-default", "-regex", ".*"]);
    same(t, &["a", "-regextype", "emacs", "-iregex", ".*x"]);
    same(t, &["a", "-regextype", "posix-basic", "-regex", "a'\\("]);
    // date's %q and %N are not the C library's; %S is C's %g with the directive's flags
    same(t, &["a/x", "-printf", "%Tq %TN %-5Aq|%CY\\n"]);
    same(t, &["a", "-printf", "%.3S|%-8.2S|%08S|%+S|%#S\\n"]);
    // a -path ending in / can match only a start point
    same(
        t,
        &[
            "a",
            "-path",
            "a/b/",
            "-o",
            "-ipath",
            "A/",
            "-o",
            "-wholename",
            "x/",
        ],
    );
    same(t, &["a/", "-path", "a/", "-print"]);
    // -newer's file under -H/-L: a dangling link is the link itself
    same(t, &["-H", "a", "-newer", "a/dang"]);
    same(t, &["-L", "a", "-newer", "a/dang"]);
    same(t, &["a", "-execdir", "echo", "{}", "{}", "+"]);
    // -quit is no action: the default -print stays
    same(t, &["a", "-name", "a", "-o", "-quit"]);
    // birth times, either letter
    same(t, &["a", "-newerBt", "now"]);
    same(t, &["a", "-newerBx", "now"]);
    // every predicate is parsed before the structure is checked
    for args in [
        &["a", "(", ")", "x"][..],
        &["a", "(", ")", "-name"],
        &["a", "-o", "-size", "1x"],
        &["a", "-true", ")", "-perm", "bad"],
        &["a", "!", ")", "-fprint"],
    ] {
        same(t, args);
    }
}

#[test]
fn ok_prompt_names_the_command_as_given() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    let args = ["a/x", "-ok", "echo", "{}", ";", "-ok", "{}x", ";"];
    let ours = applet("find")
        .args(args)
        .cwd(d.path())
        .stdin("n\nn\n")
        .run();
    let theirs = gnu("find").args(args).cwd(d.path()).stdin("n\nn\n").run();
    assert_eq!(
        (theirs.code, theirs.err(), theirs.out()),
        (ours.code, ours.err(), ours.out())
    );
}

#[test]
fn daystart_is_no_predicate_and_time_windows_as_gnu() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    let t = d.path();
    // -daystart makes no predicate: operators see past it, messages name it
    for args in [
        &["a", "!", "-daystart", "-mmin", "-1440"][..],
        &["a", "!", "-daystart"],
        &["a", "(", "-daystart"],
        &["a", "(", "!", "-daystart", ")"],
        &["a", "-print", "-o", "-daystart"],
        &["a", "-true", "-o", "-daystart"],
        &["a", "-print", "-o", ")"],
        &["a", "-true", "-o", "-daystart", "x"],
        &["a", "-true", "-o", ",", "-true"],
        &["a", "-daystart", "-o", "-print"],
        &["a", "-print", "!"],
        &["a", "-true", "!"],
    ] {
        same(t, args);
    }
    // `-N` days reach a second further back, `+N` a whole day and a fraction
    for n in ["+1.6", "+2.9", "+29.5", "-0", "-3", "3", "-30.5"] {
        same(t, &["a", "-mtime", n]);
        same(t, &["a", "-ctime", n]);
    }
    for n in ["-1", "0", "1", "+0", "90", "91", "-91"] {
        same(t, &["a", "-mmin", n]);
    }
}

#[test]
fn delete_under_follow_treats_a_link_to_a_directory_as_gnu() {
    if !have_gnu_find() {
        return;
    }
    let run = |gnu_find: bool| {
        let d = TempDir::new("finddelL");
        d.write("t/f", "");
        d.write("t/sub/g", "");
        symlink("sub", d.join("t/dl")).unwrap();
        symlink("f", d.join("t/fl")).unwrap();
        let args = [
            "-L", "t", "-name", "dl", "-delete", "-o", "-name", "fl", "-delete",
        ];
        let o = if gnu_find {
            gnu("find")
        } else {
            applet("find")
        }
        .args(args)
        .cwd(d.path())
        .run();
        let left = (
            d.join("t/dl").symlink_metadata().is_ok(),
            d.join("t/fl").symlink_metadata().is_ok(),
            d.join("t/f").exists(),
        );
        (o.code, o.err(), o.out(), left)
    };
    assert_eq!(run(true), run(false));
}

/// -execdir's `+` batches run whenever the depth changes and at each start point, as GNU's
/// (not only when the directory does).
#[test]
fn execdir_plus_batches_by_level_as_gnu() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    let t = d.path();
    let cmd = ["-execdir", "sh", "-c", "echo $# \"$@\"", "sh", "{}", "+"];
    same(t, &[&["a/x", "a/big", "a/b/y.c", "a/b"][..], &cmd].concat());
    same(t, &[&["a", "-maxdepth", "2"][..], &cmd].concat());
    same(t, &[&["a", "-depth"][..], &cmd].concat());
}

#[test]
fn printf_widths_past_an_int_match_gnu() {
    if !have_gnu_find() {
        return;
    }
    let d = tree();
    // GNU's printf of such a directive fails with EOVERFLOW, the others are written; these
    // aborted on a capacity overflow or a failed allocation.
    for f in [
        "x%-9223372036854775808p\\n",
        "%99999999999p|%d\\n",
        "%.2147483648s %2147483648d %p\\n",
    ] {
        same(d.path(), &[".", "-name", "*a*", "-printf", f]);
    }
}
