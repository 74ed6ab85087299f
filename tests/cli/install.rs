//! `install` against GNU coreutils as the oracle: the same arguments in two copies of a small
//! tree; output, messages, status and the resulting trees (modes, owners) compared.

use crate::harness::*;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

fn build(d: &Path) {
    let st = Command::new("sh")
        .arg("-c")
        .arg(
            "mkdir -p dir && printf data > f && touch x && chmod 600 f && \
             touch -d 2020-01-01 f && printf n > \"$(printf 'n\\nl')\" && \
             ln -s f link && ln -s nowhere dangling",
        )
        .current_dir(d)
        .status()
        .unwrap();
    assert!(st.success());
}

const WHAT: Snap = Snap {
    owner: true,
    mtime: false,
    dir_mtime: false,
    links: false,
};

fn both(args: &[&[u8]]) -> Output {
    let (a, g) = (TempDir::new("inst-a"), TempDir::new("inst-g"));
    build(a.path());
    build(g.path());
    let os: Vec<&std::ffi::OsStr> = args
        .iter()
        .map(|a| std::ffi::OsStr::from_bytes(a))
        .collect();
    let ours = applet("install").args(&os).cwd(a.path()).run();
    ours.same_as(&gnu("install").args(&os).cwd(g.path()).run());
    assert_eq!(
        tree_snapshot(a.path(), WHAT),
        tree_snapshot(g.path(), WHAT),
        "install {args:?}"
    );
    ours
}

fn s(v: &str) -> &[u8] {
    v.as_bytes()
}

#[test]
fn like_gnu() {
    for args in [
        &[s("f"), s("g")][..],
        &[s("-v"), s("f"), s("dir")],
        &[s("-v"), s("-m"), s("644"), s("f"), s("g")],
        &[s("-m"), s("u=rw,go=r"), s("f"), s("g")],
        &[s("-m"), s("a+x,u-w"), s("f"), s("g")],
        &[s("-m"), s("zz"), s("f"), s("g")],
        &[s("-o"), s("65534"), s("-g"), s("65534"), s("f"), s("g")],
        &[s("-o"), s("nosuchuser"), s("f"), s("g")],
        &[s("-g"), s("nosuchgroup"), s("f"), s("g")],
        &[s("-dv"), s("a/b/c"), s("dir")],
        &[s("-d"), s("-m"), s("700"), s("m")],
        &[s("-d"), s("x/y")],
        &[s("-d"), s("x")],
        &[s("-d")],
        &[s("-Dv"), s("f"), s("p/q/r")],
        &[s("-Dv"), s("-t"), s("t/u"), s("f"), s("x")],
        &[s("-cv"), s("f"), s("x")],
        &[s("-p"), s("f"), s("g")],
        &[s("f"), s("x"), s("nope")],
        &[s("nope"), s("g")],
        &[s("dir"), s("g")],
        &[s("f"), s("f")],
        &[s("link"), s("g")],
        &[s("dangling"), s("g")],
        &[s("-T"), s("f"), s("dir")],
        &[s("-t")],
        &[s("f")],
        &[],
        &[s("-v"), s("n\nl"), s("dir")],
        &[s("-Z"), s("f"), s("g")],
        &[s("--preserve-context"), s("--context"), s("f"), s("g")],
        &[s("--context=u:r:t:s0"), s("f"), s("g")],
        &[s("--context=u:r:t:s0")],
        &[s("--context=u:r:t:s0"), s("--preserve-context")],
    ] {
        both(args);
    }
}

/// `-s` runs the strip program on the installed file (coreutils' install/strip-program,
/// rewritten): `--strip-program` named, a failing or missing one removes the file, `-p` keeps
/// the source's times through it; with the default `strip` absent from PATH rbox installs the
/// file unstripped (a scratch image has none), where GNU fails.
#[test]
fn strip_program_like_gnu() {
    let script =
        "printf '#!/bin/sh\\nsed s/b/B/ \"$1\" > \"$1.t\" && mv \"$1.t\" \"$1\"\\n' > bs && \
        chmod +x bs && echo abc > src && touch -d 2020-01-01 src && \
        TOOL src dest -s --strip-program=./bs; echo $?; cat dest; \
        TOOL src dest2 -s --strip-program=./FOO; echo $?; test -e dest2 && echo left; \
        TOOL src dest3 -s --strip-program=false; echo $?; test -e dest3 && echo left; \
        TOOL -v -p -s --strip-program=./bs src dest4; echo $?; stat -c %Y dest4; \
        TOOL -s --strip-program=./bs src ./-x; cat ./-x";
    let a = TempDir::new("inst-s-a");
    let g = TempDir::new("inst-s-g");
    let run = |d: &TempDir, cmd: String| {
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg(script.replace("TOOL", &cmd))
            .env("LC_ALL", "C")
            .env("TZ", "UTC0")
            .current_dir(d.path())
            .output()
            .unwrap();
        (o.status.code(), o.stdout, o.stderr)
    };
    let ours = run(&a, format!("{} install", rbox().display()));
    assert_eq!(ours, run(&g, "install".into()));
    assert!(String::from_utf8_lossy(&ours.1).contains("aBc"));
    // No strip on PATH: installed as it is.
    let d = TempDir::new("inst-s");
    build(d.path());
    applet("install")
        .args(["-s", "f", "g"])
        .env("PATH", d.path())
        .cwd(d.path())
        .run()
        .ok();
    assert_eq!(std::fs::read(d.join("g")).unwrap(), b"data");
}

#[test]
fn preserved_times_and_replaced_destination() {
    let d = TempDir::new("inst-p");
    build(d.path());
    // A destination hard-linked elsewhere is replaced, not rewritten: the other name keeps
    // the old data (as GNU, which unlinks first).
    std::fs::write(d.join("old"), "old").unwrap();
    std::fs::hard_link(d.join("old"), d.join("other")).unwrap();
    applet("install")
        .args(["-p", "f", "old"])
        .cwd(d.path())
        .run()
        .ok();
    assert_eq!(std::fs::read(d.join("other")).unwrap(), b"old");
    assert_eq!(std::fs::read(d.join("old")).unwrap(), b"data");
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        std::fs::metadata(d.join("old")).unwrap().mtime(),
        1577836800
    );
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
        let st = Command::new("sh")
            .arg("-c")
            .arg("chmod 755 .. && chmod 777 . && chmod 644 f && mkdir ro && chmod 555 ro")
            .current_dir(d)
            .status()
            .unwrap();
        assert!(st.success());
    };
    for args in [
        &["f", "ro/f"][..],
        &["-d", "ro/sub"],
        &["-o", "0", "f", "g"],
    ] {
        let (a, g) = (TempDir::new("inst-u-a"), TempDir::new("inst-u-g"));
        mk(a.path());
        mk(g.path());
        let o = applet_as(65534, "install").args(args).cwd(a.path()).run();
        o.same_as(&gnu_as(65534, "install").args(args).cwd(g.path()).run());
    }
}

/// `-C`/`--compare` (coreutils' install/install-C, rewritten): a destination that already has
/// the bytes, owner, group and mode is left alone (no `-v` line, same inode); any difference
/// installs anew; special mode bits and -p/-s are refused or warned about as GNU's. Each tool
/// runs the same sequence in its own directory.
#[test]
fn compare_like_gnu() {
    let script = "echo a > a && echo b > c && \
        TOOL -Cv -m0644 a b; TOOL -Cv -m0644 a b; TOOL -Cv -m0755 a b; \
        ls -i b > i1; TOOL -C -m0755 a b; ls -i b | cmp -s - i1 && echo kept; rm i1; \
        TOOL -Cv -m0755 c b; TOOL -Cv -m0755 -o 65534 c b; TOOL --compare -v -m0755 -o 65534 c b; \
        TOOL -C -m4755 a b; echo $?; TOOL -C -s a b; echo $?; TOOL -C -p a b; echo $?; \
        TOOL -Cv a d; TOOL -Cv a d; echo end";
    let a = TempDir::new("inst-C-a");
    let g = TempDir::new("inst-C-g");
    let run = |d: &TempDir, cmd: String| {
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg(script.replace("TOOL", &cmd))
            .env("LC_ALL", "C")
            .current_dir(d.path())
            .output()
            .unwrap();
        (o.status.code(), o.stdout, o.stderr)
    };
    let ours = run(&a, format!("{} install", rbox().display()));
    assert_eq!(ours, run(&g, "install".into()));
    assert!(String::from_utf8_lossy(&ours.1).contains("kept"));
    assert_eq!(
        tree_snapshot(a.path(), Snap::default()),
        tree_snapshot(g.path(), Snap::default())
    );
}
