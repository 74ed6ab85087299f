//! `stat` against GNU coreutils as the oracle, on files made with known sizes, times, a sparse
//! file, links, a fifo, a device, and names with a newline and invalid UTF-8.

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

/// A tree of every kind of file, with times set so that reading a symlink (GNU's `%N`) does not
/// move its access time (relatime: the access time is already after the change time).
fn tree() -> TempDir {
    let d = TempDir::new("stat");
    d.write("f", b"hello, world\n");
    d.write("empty", b"");
    let f = std::fs::File::create(d.join("sparse")).unwrap();
    f.set_len(5 << 20).unwrap();
    std::fs::create_dir(d.join("dir")).unwrap();
    std::os::unix::fs::symlink("f", d.join("link")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
    assert!(Command::new("mkfifo")
        .arg(d.join("fifo"))
        .status()
        .unwrap()
        .success());
    d.write("new\nline", b"x");
    std::fs::write(d.join(OsStr::from_bytes(b"bad\xff")), b"yy").unwrap();
    for (flag, when) in [
        ("-m", "2021-03-04 05:06:07.123456789"),
        ("-a", "2035-01-01"),
    ] {
        let st = Command::new("touch")
            .args(["-h", flag, "-d", when])
            .args(NAMES.iter().map(|n| OsStr::from_bytes(n)))
            .current_dir(d.path())
            .status()
            .unwrap();
        assert!(st.success());
    }
    d
}

const NAMES: &[&[u8]] = &[
    b"f",
    b"empty",
    b"sparse",
    b"dir",
    b"link",
    b"dangling",
    b"fifo",
    b"new\nline",
    b"bad\xff",
];

fn same(d: &TempDir, args: &[&[u8]]) {
    let a: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
    applet("stat")
        .args(&a)
        .cwd(d.path())
        .run()
        .same_as(&gnu("stat").args(&a).cwd(d.path()).run());
}

#[test]
fn default_and_terse_forms_as_gnu() {
    let d = tree();
    for n in NAMES
        .iter()
        .chain([&&b"/dev/null"[..], &&b"/"[..], &&b"nope"[..]])
    {
        for opt in [&b"-t"[..], b"-L", b"--terse"] {
            same(&d, &[opt, n]);
        }
        same(&d, &[n]);
    }
    same(&d, &[b"f", b"nope", b"dir"]);
}

#[test]
fn every_file_directive_as_gnu() {
    let d = tree();
    let all = b"%a|%A|%b|%B|%d|%D|%Hd|%Ld|%f|%F|%g|%G|%h|%i|%m|%n|%N|%o|%s|%r|%R|%Hr|%Lr|%t|%T|%u|%U|%W|%x|%X|%y|%Y|%z|%Z|%q|%%";
    for n in NAMES.iter().chain([&&b"/dev/null"[..]]) {
        same(&d, &[b"-c", all, n]);
        same(&d, &[b"-L", b"--format", all, n]);
    }
}

#[test]
fn printf_flags_widths_and_escapes_as_gnu() {
    let d = tree();
    for fmt in [
        &b"[%10.3Y|%-15.3X|%.Y|%.0Y|%015.2Y|%#o|%#a|%+s|% s|%-8n|%.3n|%8.3y]"[..],
        b"%-#10f|%#10D|%010a|%-5a|%+5s|%.5s|%10.4a|%-.Y|%-20.3Y|%020.3Y|%3.3Y|%-3.5Y|%.12Y|%5.Y",
        b"%-d|%+-5i|%0-5h|%I5h|%'s|%Lx%H%L|%05.2A",
        b"",
        b"%",
        b"x%",
    ] {
        same(&d, &[b"-c", fmt, b"f", b"sparse"]);
        same(&d, &[b"--printf", fmt, b"f"]);
    }
    same(
        &d,
        &[
            b"--printf",
            b"a\\tb\\x41\\101\\q\\n\\x\\xg\\e\\0\\777\\1234\\",
            b"f",
        ],
    );
    // A link's name and target are padded and cut each.
    for fmt in [&b"[%12N]"[..], b"[%-9N]", b"[%.0N]", b"[%.3N]", b"[%-4.2N]"] {
        same(&d, &[b"-c", fmt, b"link", b"dangling", b"f"]);
    }
    // The last of -c and --printf wins.
    same(&d, &[b"--printf", b"%s\\n", b"-c", b"%n", b"f"]);
    same(&d, &[b"-c", b"%n", b"--printf", b"%s\\n", b"f"]);
}

#[test]
fn quoting_of_names_as_gnu() {
    let d = tree();
    for n in NAMES {
        same(&d, &[b"-c", b"%N", n]);
        same(&d, &[b"-c", b"%n", n]);
    }
    let o = applet("stat")
        .args(["-c", "%N", "link", "new\nline"])
        .env("QUOTING_STYLE", "c")
        .cwd(d.path())
        .run();
    o.same_as(
        &gnu("stat")
            .args(["-c", "%N", "link", "new\nline"])
            .env("QUOTING_STYLE", "c")
            .cwd(d.path())
            .run(),
    );
    o.stdout_is("\"link\" -> \"f\"\n\"new\\nline\"\n");
}

#[test]
fn sparse_file_blocks() {
    let d = tree();
    let o = applet("stat")
        .args(["-c", "%s %b %B", "sparse"])
        .cwd(d.path())
        .run();
    o.ok();
    assert_eq!(o.out(), format!("{} 0 512\n", 5 << 20));
}

#[test]
fn file_systems_as_gnu() {
    let d = tree();
    // Free counts move between two runs; the rest is stable.
    for fmt in [&b"%n %i %l %t %s %S %T %b %c %q"[..], b"%-10n|%#x|%10T"] {
        same(&d, &[b"-f", b"-c", fmt, b".", b"/proc", b"/"]);
    }
    let o = applet("stat").args(["-f", "/proc"]).run();
    o.same_as(&gnu("stat").args(["-f", "/proc"]).run());
    let o = applet("stat").args(["-f", "-t", "/proc"]).run();
    o.same_as(&gnu("stat").args(["-f", "-t", "/proc"]).run());
    same(&d, &[b"-f", b"nope"]);
    same(&d, &[b"-f", b"-"]);
}

#[test]
fn standard_input() {
    let d = tree();
    let f = std::fs::File::open(d.join("f")).unwrap();
    let mut c = Command::new(rbox());
    c.args(["stat", "-c", "%n %s %F", "-"]).stdin(f);
    let o = c.output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "- 13 regular file\n");
}

#[test]
fn errors_as_gnu() {
    let d = tree();
    same(&d, &[]);
    same(&d, &[b"-q", b"f"]);
    same(&d, &[b"--cached=sometimes", b"f"]);
    same(&d, &[b"--cached=never", b"-c", b"%s", b"f"]);
    same(&d, &[b"-c", b"%5%", b"f", b"empty"]);
    same(&d, &[b"-c", b"%'%", b"f"]);
    same(&d, &[b"-c", b"%5", b"f"]);
    same(&d, &[b"-c", b"%C", b"f"]);
    same(&d, &[b"-L", b"dangling"]);
    same(&d, &[b"-c", b"%s", b"dir/nope", b"f/x"]);
    // Permission denied as an unprivileged user.
    std::fs::create_dir(d.join("locked")).unwrap();
    d.write("locked/in", b"x");
    let locked = d.join("locked");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let inner = locked.join("in");
    applet_as(65534, "stat")
        .args(["-c", "%s"])
        .arg(&inner)
        .run()
        .same_as(&gnu_as(65534, "stat").args(["-c", "%s"]).arg(&inner).run());
}

#[test]
fn full_output_device() {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("stat")
        .args(["-c", "%n", "/"])
        .stdout_file(f)
        .run()
        .code(1)
        .stderr_is("stat: write error: No space left on device\n");
}

#[test]
fn widths_past_an_int_as_gnu() {
    // GNU's printf of such a directive fails and nothing of it is written; these aborted on a
    // failed allocation.
    let d = tree();
    for fmt in [
        &b"[%99999999999s|%n]"[..],
        b"[%-2147483649n|%s]",
        b"[%.2147483648n|%5s|%2147483648i %h]",
        b"[%2147483648Q]",
    ] {
        same(&d, &[b"-c", fmt, b"f"]);
    }
    same(&d, &[b"-f", b"-c", b"[%99999999999a|%n]", b"."]);
}
