//! `mktemp` against GNU coreutils: messages and status compared on the failing cases (the
//! names are random), the created files and directories checked for mode and place.

use crate::harness::*;
use std::os::unix::fs::PermissionsExt;

fn same(args: &[&str]) {
    applet("mktemp")
        .args(args)
        .env("TMPDIR", "/nonexistent-tmpdir")
        .run()
        .same_as(
            &gnu("mktemp")
                .args(args)
                .env("TMPDIR", "/nonexistent-tmpdir")
                .run(),
        );
}

#[test]
fn errors_as_gnu() {
    for a in [
        &["a", "b"][..],
        &["XX"],
        &["fooXX"],
        &["-t", "a/XXX"],
        &["-p", "/tmp", "/abs.XXX"],
        &["--suffix=/x", "XXX"],
        &["--suffix=x", "abc"],
        &["--suffix=x", ""],
        &["-p", "/nonexist"],
        &["-d", "-p", "/nonexist"],
        &["-q", "-p", "/nonexist"],
        &["-qd", "/nonexist/XXXXX"],
        &["/nonexist/XXXXX"],
        &["Xa/bXXXX"],
        &["aXXX/b"],
        &[],
        &["-t"],
        &["-z"],
        &["-p"],
    ] {
        same(a);
    }
}

fn made(o: &Output) -> std::path::PathBuf {
    o.ok();
    let s = o.out();
    assert!(s.ends_with('\n'), "{s:?}");
    std::path::PathBuf::from(s.trim_end_matches('\n'))
}

#[test]
fn files_and_directories() {
    let d = TempDir::new("mktemp");
    let dir = d.path().to_str().unwrap();
    // The default template in $TMPDIR, a file of mode 0600.
    let p = made(&applet("mktemp").env("TMPDIR", dir).run());
    assert_eq!(p.parent().unwrap(), d.path());
    let name = p.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("tmp.") && name.len() == 14, "{name}");
    assert!(name[4..].bytes().all(|b| b.is_ascii_alphanumeric()));
    let m = std::fs::metadata(&p).unwrap();
    assert!(m.is_file() && m.len() == 0);
    assert_eq!(m.permissions().mode() & 0o777, 0o600);
    // -d: a directory of mode 0700; -p beats TMPDIR, -t prefers it.
    let p = made(
        &applet("mktemp")
            .args(["-d", "-p", dir, "dXXXXXX"])
            .env("TMPDIR", "/nonexistent")
            .run(),
    );
    let m = std::fs::metadata(&p).unwrap();
    assert!(m.is_dir());
    assert_eq!(m.permissions().mode() & 0o777, 0o700);
    let p = made(
        &applet("mktemp")
            .args(["-t", "-p", "/nonexistent", "tXXX.c"])
            .env("TMPDIR", dir)
            .run(),
    );
    assert_eq!(p.parent().unwrap(), d.path());
    assert!(p.to_str().unwrap().ends_with(".c"));
    // --suffix, a template in the current directory, and --tmpdir= with trailing slashes.
    let p = made(
        &applet("mktemp")
            .args(["--suffix=.txt", "aXXX"])
            .cwd(d.path())
            .run(),
    );
    assert!(d.join(&p).is_file());
    let s = p.to_str().unwrap();
    assert!(
        s.starts_with('a') && s.ends_with(".txt") && s.len() == 8,
        "{s}"
    );
    let o = applet("mktemp")
        .arg(format!("--tmpdir={dir}//"))
        .arg("x.XXXX")
        .run();
    let p = made(&o);
    assert_eq!(p.parent().unwrap(), d.path());
    assert!(!o.out().contains("//"));
    // -u creates nothing.
    let p = made(&applet("mktemp").args(["-u", "-p", dir]).run());
    assert!(!p.exists());
}

#[test]
fn never_opens_an_existing_name() {
    // Every name the template allows is taken: all 3 letters fixed by a planted symlink is
    // impossible to arrange, so check O_EXCL on a directory where creation is refused.
    let d = TempDir::new("mktemp-ro");
    std::fs::create_dir(d.join("ro")).unwrap();
    std::fs::set_permissions(d.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let ro = d.join("ro");
    let a = applet_as(65534, "mktemp").arg("-p").arg(&ro).run();
    let g = gnu_as(65534, "mktemp").arg("-p").arg(&ro).run();
    assert_eq!((a.code, g.code), (1, 1));
    let strip = |s: String| s.rsplit_once(": ").map(|x| x.1.to_string()).unwrap();
    assert_eq!(strip(a.err()), strip(g.err()));
    assert_eq!(strip(a.err()), "Permission denied\n");
}

#[test]
fn unprintable_name_is_removed() {
    let d = TempDir::new("mktemp-full");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("mktemp")
        .args(["-p", d.path().to_str().unwrap()])
        .stdout_file(f)
        .run()
        .code(1)
        .stderr_is("mktemp: write error: No space left on device\n");
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
}
