//! The multi-call core: dispatch, --list, --install, errors, the static binary.

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::process::Command;

#[test]
fn dispatch_by_first_argument_and_by_argv0() {
    let d = TempDir::new("disp");
    let f = d.write("f", "hello\n");
    applet("cat").arg(&f).run().ok().stdout_is("hello\n");
    linked("cat").arg(&f).run().ok().stdout_is("hello\n");
}

#[test]
fn login_shell_dash_and_renamed_multiplexer() {
    let d = TempDir::new("argv0");
    let f = d.write("f", "x\n");
    // argv[0] "-cat" (a login shell's convention) still finds cat.
    let l = d.join("-cat");
    std::os::unix::fs::symlink(rbox(), &l).unwrap();
    let o = Command::new(&l).arg(&f).output().unwrap();
    assert_eq!(o.stdout, b"x\n");
    // rbox-x86_64 is still the multiplexer.
    let m = d.join("rbox-x86_64");
    std::fs::copy(rbox(), &m).unwrap();
    let o = Command::new(&m).arg("cat").arg(&f).output().unwrap();
    assert_eq!(o.stdout, b"x\n");
    let o = Command::new(&m).arg("--list").output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout)
        .lines()
        .any(|l| l == "cat"));
}

#[test]
fn unknown_applet_is_127() {
    rbox_cmd()
        .arg("frobnicate")
        .run()
        .code(127)
        .stderr_is("frobnicate: applet not found\n");
    rbox_cmd()
        .args(["--help", "nosuch"])
        .run()
        .code(127)
        .stderr_is("nosuch: applet not found\n");
    let d = TempDir::new("unk");
    let l = d.join("frobnicate");
    std::os::unix::fs::symlink(rbox(), &l).unwrap();
    let o = Command::new(&l).output().unwrap();
    assert_eq!(o.status.code(), Some(127));
    assert_eq!(o.stderr, b"frobnicate: applet not found\n");
}

/// `--install` into a directory that does not exist (or is a file) is one clear error, status 1,
/// and nothing is created.
#[test]
fn install_into_missing_dir_fails() {
    let d = TempDir::new("inst-missing");
    let missing = d.join("no/such");
    let o = rbox_cmd().args(["--install", "-s"]).arg(&missing).run();
    o.code(1).stderr_is(format!(
        "rbox: {}: No such file or directory\n",
        missing.display()
    ));
    assert!(!d.join("no").exists());
    let f = d.write("file", "");
    rbox_cmd()
        .arg("--install")
        .arg(&f)
        .run()
        .code(1)
        .stderr_is(format!("rbox: {}: Not a directory\n", f.display()));
}

/// Run `prog args` with fd 0 closed (`<&-`), through sh.
fn with_stdin_closed(prog: &OsStr, args: &[&str]) -> Output {
    let o = Command::new("sh")
        .arg("-c")
        .arg("exec \"$@\" <&-")
        .arg("sh")
        .arg(prog)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    Output {
        stdout: o.stdout,
        stderr: o.stderr,
        code: o.status.code().unwrap_or(-1),
    }
}

/// A closed stdin is an error (EBADF) as in GNU, not an empty file: Rust's start-up reopens fd 0
/// on /dev/null, and main.rs undoes that. GNU adds a second line from its close_stdin; the first
/// line and the status are the same.
#[test]
fn closed_stdin_is_bad_file_descriptor() {
    let d = TempDir::new("stdin-closed");
    let f = d.write("f", "data\n");
    let f = f.to_str().unwrap();
    let cases: &[(&str, &[&str], &str, i32)] = &[
        ("cat", &[], "cat: -: Bad file descriptor", 1),
        ("cat", &[f, "-"], "cat: -: Bad file descriptor", 1),
        (
            "head",
            &[],
            "head: error reading 'standard input': Bad file descriptor",
            1,
        ),
        ("nl", &[], "nl: -: Bad file descriptor", 1),
        ("paste", &[], "paste: -: Bad file descriptor", 1),
        ("cut", &["-c1"], "cut: -: Bad file descriptor", 1),
        ("md5sum", &[], "md5sum: -: Bad file descriptor", 1),
        ("tr", &["a", "b"], "tr: read error: Bad file descriptor", 1),
        (
            "grep",
            &["x"],
            "grep: (standard input): Bad file descriptor",
            2,
        ),
        (
            "sed",
            &["p"],
            "sed: read error on stdin: Bad file descriptor",
            4,
        ),
        ("od", &[], "od: 'standard input': Bad file descriptor", 1),
        // A file opened first must not take fd 0 and be read as `-`.
        ("cmp", &["-", f], "cmp: -: Bad file descriptor", 2),
        ("comm", &["-", f], "comm: -: Bad file descriptor", 1),
    ];
    for (prog, args, first, code) in cases {
        let o = with_stdin_closed(rbox_exe_as(prog).as_os_str(), args);
        assert_eq!(
            (o.err(), o.code),
            (format!("{first}\n"), *code),
            "rbox {prog} {args:?} <&-"
        );
        if have(prog) {
            let g = with_stdin_closed(OsStr::new(prog), args);
            assert_eq!(g.err().lines().next(), Some(*first), "GNU {prog} {args:?}");
            assert_eq!(g.code, *code, "GNU {prog} status");
        }
    }
    // Programs the shell runs see fd 0 closed too, and `exec 0<FILE` reopens it.
    let o = with_stdin_closed(
        rbox_exe_as("sh").as_os_str(),
        &[
            "-c",
            &format!("read x; echo $?; exec 0<{f}; read x; echo $x"),
        ],
    );
    assert_eq!(o.out(), "1\ndata\n", "{}", o.err());
}

fn rbox_exe_as(name: &str) -> std::path::PathBuf {
    link_dir().join(name)
}

#[test]
fn list_help_version() {
    let o = rbox_cmd().arg("--list").run();
    o.ok();
    let names: Vec<String> = o.out().lines().map(String::from).collect();
    assert!(names.contains(&"cat".to_string()));
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let full = rbox_cmd().arg("--list-full").run();
    full.ok();
    assert!(full.out().lines().any(|l| l == "bin/cat"));
    for args in [vec![], vec!["--help"]] {
        let o = rbox_cmd().args(&args).run();
        o.ok();
        assert!(o.out().contains("Usage: rbox"), "{}", o.out());
        assert!(o.out().contains("cat"));
    }
    let v = rbox_cmd().arg("--version").run();
    v.ok();
    assert!(v.out().starts_with("rbox "));
    let h = applet("cat").arg("--help").run();
    h.ok();
    assert!(h.out().starts_with("Usage: cat"));
}

#[test]
fn install_hard_and_symbolic() {
    let d = TempDir::new("inst");
    // The binary is found through argv[0] without /proc: copy it into the tree and run it there.
    let bin = d.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let me = bin.join("rbox");
    std::fs::copy(rbox(), &me).unwrap();
    // An unrelated file must be left alone, with a warning.
    std::fs::write(bin.join("ls"), "not rbox").unwrap();
    let o = Command::new(&me)
        .args(["--install", "-s"])
        .arg(&bin)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    let names =
        String::from_utf8(Command::new(&me).arg("--list").output().unwrap().stdout).unwrap();
    if names.lines().any(|n| n == "ls") {
        assert!(err.contains("ls") && err.contains("not replaced"), "{err}");
        assert_eq!(std::fs::read(bin.join("ls")).unwrap(), b"not rbox");
    }
    let cat = bin.join("cat");
    assert_eq!(
        std::fs::read_link(&cat).unwrap(),
        std::path::Path::new("rbox")
    );
    // Re-running is fine (links to rbox are replaced), and hard links work too.
    let hard = d.join("hard");
    std::fs::create_dir_all(&hard).unwrap();
    let o = Command::new(&me)
        .arg("--install")
        .arg(&hard)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::metadata(hard.join("cat")).unwrap().ino(),
        std::fs::metadata(&me).unwrap().ino()
    );
    let f = d.write("data", "via link\n");
    let o = Command::new(hard.join("cat")).arg(&f).output().unwrap();
    assert_eq!(o.stdout, b"via link\n");
}

#[test]
fn gnu_option_errors() {
    applet("cat")
        .arg("-Z")
        .run()
        .code(1)
        .stderr_is("cat: invalid option -- 'Z'\nTry 'cat --help' for more information.\n");
    applet("cat")
        .arg("--bogus")
        .run()
        .code(1)
        .stderr_is("cat: unrecognized option '--bogus'\nTry 'cat --help' for more information.\n");
    applet("cat").arg("--nu").run().code(1).stderr_is(
        "cat: option '--nu' is ambiguous; possibilities: '--number-nonblank' '--number'\n\
         Try 'cat --help' for more information.\n",
    );
    // glibc names the argument as typed, value included, and raw bytes stay raw.
    applet("cat")
        .arg("--show-all=1")
        .run()
        .code(1)
        .stderr_is("cat: option '--show-all' doesn't allow an argument\nTry 'cat --help' for more information.\n");
    let o = applet("cat").arg(OsStr::from_bytes(b"-\xff")).run();
    o.code(1);
    assert_eq!(
        o.stderr,
        b"cat: invalid option -- '\xff'\nTry 'cat --help' for more information.\n"
    );
    // Options after operands count (permutation) unless POSIXLY_CORRECT asks otherwise.
    let d = TempDir::new("catperm");
    let f = d.write("f", "a\n");
    applet("cat")
        .arg(&f)
        .arg("-n")
        .run()
        .ok()
        .stdout_is("     1\ta\n");
    applet("cat")
        .arg(&f)
        .arg("-n")
        .env("POSIXLY_CORRECT", "1")
        .run()
        .code(1)
        .stdout_is("a\n");
    applet("cat").arg("--version").run().ok();
}

/// The release binary is static: no program interpreter, no DT_NEEDED.
#[test]
fn binary_is_static() {
    let data = std::fs::read(rbox()).unwrap();
    assert_eq!(&data[..4], b"\x7fELF");
    let elf64 = data[4] == 2;
    assert!(elf64);
    let rd16 = |o: usize| u16::from_le_bytes([data[o], data[o + 1]]) as usize;
    let rd32 = |o: usize| u32::from_le_bytes(data[o..o + 4].try_into().unwrap()) as u64;
    let rd64 = |o: usize| u64::from_le_bytes(data[o..o + 8].try_into().unwrap());
    let phoff = rd64(0x20) as usize;
    let phentsize = rd16(0x36);
    let phnum = rd16(0x38);
    let mut dynamic = None;
    for i in 0..phnum {
        let p = phoff + i * phentsize;
        let ty = rd32(p);
        assert_ne!(ty, 3, "PT_INTERP present: not a static binary");
        if ty == 2 {
            dynamic = Some((rd64(p + 8) as usize, rd64(p + 32) as usize));
        }
    }
    // A static-pie has a PT_DYNAMIC for its own relocations, but must need no library.
    if let Some((off, size)) = dynamic {
        let mut o = off;
        while o + 16 <= off + size {
            let tag = rd64(o);
            if tag == 0 {
                break;
            }
            assert_ne!(
                tag, 1,
                "DT_NEEDED present: the binary needs a shared library"
            );
            o += 16;
        }
    }
}

#[test]
fn harness_oracle_and_unprivileged_runs() {
    use crate::harness::{applet_as, gnu, gnu_as, is_root, skip};
    let a = crate::harness::applet("cat").arg("/nonexistent-x").run();
    a.code(1).same_as(&gnu("cat").arg("/nonexistent-x").run());
    if !is_root() {
        skip("applet_as needs root to switch users");
        return;
    }
    let d = crate::harness::TempDir::new("asuser");
    let f = d.write("secret", "x");
    std::fs::set_permissions(&f, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let mine = applet_as(65534, "cat").arg(&f).run();
    mine.code(1)
        .same_as(&gnu_as(65534, "cat").arg(&f).run())
        .stderr_has("Permission denied");
}

/// A link named `busybox` (or `busybox-anything`, BusyBox's own rule) is the multiplexer, and
/// its usage text lists the applets after BusyBox's `Currently defined functions:` line, the
/// way BusyBox's test runner reads the list (`busybox | sed -n ...`).
#[test]
fn busybox_name_is_the_multiplexer() {
    let d = TempDir::new("bbname");
    let f = d.write("f", "moo\n");
    for name in ["busybox", "busybox-suffix"] {
        let l = d.join(name);
        std::os::unix::fs::symlink(rbox(), &l).unwrap();
        let o = Command::new(&l).arg("cat").arg(&f).output().unwrap();
        assert_eq!((o.status.code(), &o.stdout[..]), (Some(0), &b"moo\n"[..]));
        let o = Command::new(&l).arg("nosuch").output().unwrap();
        assert_eq!(o.status.code(), Some(127));
        assert_eq!(o.stderr, b"nosuch: applet not found\n");
        let o = Command::new(&l).output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        let (_, list) = text
            .split_once("\nCurrently defined functions:\n")
            .expect("the applet list's heading");
        let names: Vec<&str> = list.split([',', ' ', '\t', '\n']).collect();
        assert!(names.contains(&"cat") && names.contains(&"sh"), "{list}");
        let h = Command::new(&l)
            .args(["--help", "busybox"])
            .output()
            .unwrap();
        assert_eq!(h.stdout, o.stdout);
    }
}

/// SIGPIPE as the process was given it: by default a closed pipe ends the writer by the signal
/// (status 141 in the shell), but a process started with SIGPIPE ignored keeps it ignored and
/// reports EPIPE as GNU's tools and mawk do.
#[test]
fn sigpipe_default_or_inherited_ignored() {
    let r = rbox().display().to_string();
    let run = |script: &str| {
        let o = Command::new("dash").arg("-c").arg(script).output().unwrap();
        (
            String::from_utf8_lossy(&o.stdout).trim().to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    // dash's $? of a pipeline is the last command's: each writer's status is written to fd 3.
    let status_of = |writer: &str, ignored: bool| {
        let trap = if ignored { "trap '' PIPE; " } else { "" };
        run(&format!(
            "{trap}{{ {{ {writer}; echo $? >&3; }} | head -c1 >/dev/null; }} 3>&1"
        ))
    };
    for (rb, gnu) in [
        (format!("{r} seq 1000000"), "seq 1000000".to_string()),
        (format!("{r} cat {r} {r}"), format!("cat {r} {r}")),
    ] {
        let (st, err) = status_of(&rb, false);
        assert_eq!(st, "141", "{rb}: {err}");
        assert_eq!(err, "", "{rb}");
        let (st, err) = status_of(&rb, true);
        let (gst, gerr) = status_of(&gnu, true);
        assert_eq!(st, gst, "{rb}");
        assert_eq!(st, "1", "{rb}");
        assert_eq!(err, gerr, "{rb}");
    }
    // yes and sed say it too (sed's item count is its buffer's, so only the shape is compared).
    let (st, err) = status_of(&format!("{r} yes"), true);
    assert_eq!(
        (st.as_str(), err.as_str()),
        ("1", "yes: standard output: Broken pipe\n")
    );
    let (st, err) = status_of(&format!("{r} sed p {r}"), true);
    assert_eq!(st, "4");
    assert!(
        err.starts_with("sed: couldn't write ") && err.ends_with(" to stdout: Broken pipe\n"),
        "{err}"
    );
    let (st, err) = status_of(&format!("{r} awk 'BEGIN {{ while (1) print 1 }}'"), true);
    let (mst, merr) = status_of("mawk 'BEGIN { while (1) print 1 }'", true);
    assert_eq!((st.as_str(), mst.as_str()), ("2", "2"));
    assert_eq!(err, "awk: write failure (Broken pipe)\n");
    assert!(
        merr.starts_with("mawk: write failure (Broken pipe)\n"),
        "{merr}"
    );
}
