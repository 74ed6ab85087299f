//! `unzip` against Info-ZIP's unzip 6 as the oracle: archives made by `zip` (stored, deflated,
//! trees with symlinks, empty directories, zip64, data descriptors, comments) and by Python's
//! zipfile for what `zip` will not make (traversal names, symlink tricks, DOS attributes).
//! Each case runs both tools in fresh directories and compares status, stdout, stderr and the
//! tree they leave (modes, sizes, contents, mtimes, link targets).

use crate::harness::*;
use std::path::Path;

fn need_oracle() -> bool {
    for p in ["unzip", "zip", "python3"] {
        if !have(p) {
            skip(&format!("{p} is not installed"));
            return false;
        }
    }
    true
}

/// The archives every case may use, built once per test in `d`.
fn fixtures(d: &Path) {
    sh_in(
        d,
        "set -e
         mkdir -p src/tree/sub/deep src/tree/empty
         echo hello > src/tree/a.txt
         seq 1 3000 > src/tree/sub/nums
         chmod 750 src/tree/sub/nums
         printf x > src/tree/sub/deep/x
         ln -s a.txt src/tree/link
         touch -d '2021-03-04 05:06:07' src/tree/a.txt src/tree/sub/nums
         cd src
         zip -qry ../t.zip tree
         zip -q0 ../s.zip tree/a.txt
         zip -q -fz ../z64.zip tree/sub/nums tree/a.txt
         zip -q -Z bzip2 ../bz.zip tree/sub/nums tree/a.txt
         seq 1 500 | zip -q ../dd.zip -
         cp ../s.zip ../c.zip && echo 'a comment' | zip -qz ../c.zip
         echo notzip > ../bad.zip
         head -c 300 ../t.zip > ../trunc.zip
         python3 - <<'EOF'
import zipfile, struct
def attr(i, mode, host=3):
    i.create_system = host
    i.external_attr = mode
z = zipfile.ZipFile('../trav.zip', 'w')
z.writestr('../evil.txt', 'evil\\n')
z.writestr('/abs/x.txt', 'abs\\n')
z.writestr('ok/../../y.txt', 'y\\n')
z.writestr('./dot/z.txt', 'z\\n')
z.close()
z = zipfile.ZipFile('../evil.zip', 'w')
for name, target in [('lnk', '../victim'), ('d2', '../victimdir'), ('d2/inner', 'x')]:
    i = zipfile.ZipInfo(name); attr(i, 0o120777 << 16); z.writestr(i, target)
z.writestr('lnk/pwned', 'pwned\\n')
i = zipfile.ZipInfo('f'); attr(i, 0o120777 << 16); z.writestr(i, '../victimfile')
i = zipfile.ZipInfo('f'); attr(i, 0o100644 << 16); z.writestr(i, 'through the link\\n')
z.close()
z = zipfile.ZipFile('../modes.zip', 'w')
t = (2020, 1, 2, 3, 4, 6)
for name, mode, host in [('fat.txt', 0x20, 0), ('fatro.txt', 0x21, 0), ('fatdir/', 0x10, 0),
                         ('suid', 0o104755 << 16, 3), ('open', 0o100666 << 16, 3),
                         ('udir/', (0o40700 << 16) | 0x10, 3)]:
    i = zipfile.ZipInfo(name, t); attr(i, mode, host); z.writestr(i, '' if name.endswith('/') else 'm\\n')
z.close()
for src, dst, deflated in [('../s.zip', '../sflip.zip', False), ('../t.zip', '../badinf.zip', True)]:
    d = bytearray(open(src, 'rb').read())
    z = zipfile.ZipFile(src)
    i = [i for i in z.infolist() if i.compress_type == (8 if deflated else 0) and i.file_size > 0][-1]
    n, e = struct.unpack('<HH', d[i.header_offset + 26:i.header_offset + 30])
    at = i.header_offset + 30 + n + e
    d[at] = 0x07 if deflated else d[at] ^ 1
    open(dst, 'wb').write(d)
zipfile.ZipFile('../empty.zip', 'w').close()
z = zipfile.ZipFile('../bin.zip', 'w')
i = zipfile.ZipInfo('bin/tool'); attr(i, 0o100755 << 16); z.writestr(i, '#!/bin/sh\\n')
z.close()
EOF
         cd .. && rm -rf src",
    );
}

/// Runs `unzip ARGS` with Info-ZIP's tool and with rbox, each in a fresh directory next to the
/// fixtures (archives are named `../x.zip`), with `stdin`; asserts the same status, stdout,
/// stderr and resulting tree.
#[track_caller]
fn same(fix: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let ours = fix.join("ours");
    let theirs = fix.join("theirs");
    for d in [&ours, &theirs] {
        let _ = std::fs::remove_dir_all(d);
        std::fs::create_dir(d).unwrap();
    }
    let o = applet("unzip").args(args).cwd(&ours).stdin(stdin).run();
    let g = gnu("unzip").args(args).cwd(&theirs).stdin(stdin).run();
    assert_eq!(
        (g.code, g.err(), g.out()),
        (o.code, o.err(), o.out()),
        "unzip {args:?}: Info-ZIP (left) and rbox (right) differ"
    );
    let snap = |d: &Path| {
        tree_snapshot(
            d,
            Snap {
                mtime: true,
                ..Snap::default()
            },
        )
    };
    assert_eq!(snap(&theirs), snap(&ours), "unzip {args:?}: trees differ");
    o
}

#[test]
fn lists_like_info_zip() {
    if !need_oracle() {
        return;
    }
    let d = TempDir::new("unzip-list");
    fixtures(d.path());
    for args in [
        &["-l", "../t.zip"][..],
        &["-v", "../t.zip"],
        &["-l", "../z64.zip"],
        &["-v", "../z64.zip"],
        &["-v", "../dd.zip"],
        &["-l", "../c.zip"],
        &["-ql", "../c.zip"],
        &["-qql", "../t.zip"],
        &["-z", "../c.zip"],
        &["-l", "../t.zip", "tree/a*", "*/x"],
        &["-l", "../t.zip", "tree/*", "-x", "*.txt", "*/sub/*"],
        &["-l", "../t.zip", "nomatch"],
        &["-lC", "../t.zip", "TREE/A.TXT"],
        &["-l", "../t"],
        &["-v", "../modes.zip"],
        &["-v", "../bz.zip"],
    ] {
        same(d.path(), args, b"");
    }
}

#[test]
fn tests_and_pipes_like_info_zip() {
    if !need_oracle() {
        return;
    }
    let d = TempDir::new("unzip-test");
    fixtures(d.path());
    for args in [
        &["-t", "../t.zip"][..],
        &["-t", "../z64.zip"],
        &["-t", "../dd.zip", "-"],
        &["-tq", "../t.zip"],
        &["-tqq", "../t.zip"],
        &["-t", "../t.zip", "tree/a.txt"],
        &["-t", "../sflip.zip"],
        &["-p", "../t.zip"],
        &["-p", "../t.zip", "tree/sub/nums", "tree/link"],
        &["-p", "../sflip.zip"],
        &["-c", "../t.zip", "tree/sub/deep/x", "tree/a.txt", "tree/"],
        &["-qc", "../t.zip", "tree/a.txt"],
    ] {
        same(d.path(), args, b"");
    }
    // bzip2 members (method 12) through tar's bzip2 codec.
    if cfg!(feature = "tar-bzip2") {
        same(d.path(), &["-t", "../bz.zip"], b"");
        same(d.path(), &["-p", "../bz.zip"], b"");
        same(d.path(), &["../bz.zip"], b"");
    }
}

#[test]
fn extracts_like_info_zip() {
    if !need_oracle() {
        return;
    }
    let d = TempDir::new("unzip-x");
    fixtures(d.path());
    for args in [
        &["../t.zip"][..],
        &["-q", "../t.zip"],
        &["-d", "out", "../t.zip"],
        &["../t.zip", "-d", "out/"],
        &["-qd", "out", "../t.zip", "tree/sub/*"],
        &["-j", "../t.zip"],
        &["../t.zip", "tree/a.txt", "nomatch", "-x", "nox"],
        &["../z64.zip"],
        &["../dd.zip"],
        &["../c.zip"],
        &["../modes.zip"],
        &["-K", "../modes.zip"],
        &["-D", "../s.zip"],
        &["../sflip.zip"],
        &["-d", "no/such", "../t.zip"],
    ] {
        same(d.path(), args, b"");
    }
}

#[test]
fn bad_archives_like_info_zip() {
    if !need_oracle() {
        return;
    }
    let d = TempDir::new("unzip-bad");
    fixtures(d.path());
    for args in [
        &["../bad.zip"][..],
        &["../trunc.zip"],
        &["-l", "../empty.zip"],
        &["../nope"],
        &["nope.zip"],
    ] {
        same(d.path(), args, b"");
    }
    let o = applet("unzip").args(["-y", "t.zip"]).cwd(d.path()).run();
    o.code(10).stdout_is("");
    assert!(o.err().starts_with("Usage: unzip "), "{}", o.err());
    // A corrupt deflate stream: zlib-rs stops where Info-ZIP's inflate may go on to a CRC
    // error; both fail the member with status 2 and go on with the others.
    let dir = d.join("ours");
    let o = applet("unzip")
        .args(["-q", "../badinf.zip"])
        .cwd(&dir)
        .run();
    o.code(2);
    assert!(
        o.err()
            .contains("error:  invalid compressed data to inflate"),
        "{}",
        o.err()
    );
    assert_eq!(std::fs::read(dir.join("tree/a.txt")).unwrap(), b"hello\n");
}

/// Random damage to an archive never makes rbox panic or hang, and nothing is written outside
/// the target directory.
#[test]
fn damaged_archives_fail_cleanly() {
    if !need_oracle() {
        return;
    }
    let d = TempDir::new("unzip-fuzz");
    fixtures(d.path());
    let orig = std::fs::read(d.join("t.zip")).unwrap();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..150 {
        let mut data = orig.clone();
        for _ in 0..1 + round % 4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed >> 8) as usize % data.len();
            data[at] = (seed >> 40) as u8;
        }
        if round % 10 == 9 {
            data.truncate((seed >> 20) as usize % data.len());
        }
        std::fs::write(d.join("f.zip"), &data).unwrap();
        let out = d.join("fz");
        let _ = std::fs::remove_dir_all(&out);
        for opt in ["-l", "-v", "-t", "-qo"] {
            let o = applet("unzip")
                .args([opt, "f.zip", "-d", "fz"])
                .cwd(d.path())
                .run();
            assert!(
                [0, 1, 2, 3, 9, 11].contains(&o.code),
                "round {round} {opt}: status {}: {}",
                o.code,
                o.err()
            );
        }
        let mut names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert!(
            names.iter().all(|n| n.ends_with(".zip") || n == "fz"),
            "round {round}: wrote outside the target: {names:?}"
        );
    }
}

#[test]
fn never_writes_outside_the_target() {
    if !need_oracle() {
        return;
    }
    let d = TempDir::new("unzip-trav");
    fixtures(d.path());
    sh_in(d.path(), "mkdir victimdir && echo orig > victimfile");
    same(d.path(), &["../trav.zip"], b"");
    same(d.path(), &["-o", "../trav.zip"], b"");
    same(d.path(), &["../evil.zip"], b"");
    same(d.path(), &["-o", "../evil.zip"], b"");
    same(d.path(), &["-od", "x", "../evil.zip"], b"");
    assert_eq!(std::fs::read(d.join("victimfile")).unwrap(), b"orig\n");
    assert_eq!(std::fs::read_dir(d.join("victimdir")).unwrap().count(), 0);
    assert!(!d.join("victim").exists() && !d.join("evil.txt").exists());
    // A symlink planted in the target before the run is followed for directories (as
    // Info-ZIP does, so `-d /` works with /bin -> usr/bin), never for the file itself.
    let t = d.join("planted");
    std::fs::create_dir(&t).unwrap();
    std::os::unix::fs::symlink("../victimfile", t.join("a.txt")).unwrap();
    applet("unzip").args(["-oj", "../s.zip"]).cwd(&t).run().ok();
    assert_eq!(std::fs::read(d.join("victimfile")).unwrap(), b"orig\n");
    assert_eq!(std::fs::read(t.join("a.txt")).unwrap(), b"hello\n");
    // A merged-/usr root: bin/tool lands in usr/bin through the root's own link.
    let m = d.join("merged");
    std::fs::create_dir_all(m.join("usr/bin")).unwrap();
    std::os::unix::fs::symlink("usr/bin", m.join("bin")).unwrap();
    applet("unzip")
        .args(["-q", "bin.zip", "-d", "merged"])
        .cwd(d.path())
        .run()
        .ok();
    assert_eq!(
        std::fs::read(m.join("usr/bin/tool")).unwrap(),
        b"#!/bin/sh\n"
    );
}

#[test]
fn existing_files_and_prompts_like_info_zip() {
    if !need_oracle() {
        return;
    }
    let d = TempDir::new("unzip-over");
    fixtures(d.path());
    for (args, stdin) in [
        (&["../t.zip"][..], &b""[..]),
        (&["../t.zip"], b"n\n"),
        (&["../t.zip"], b"y\nn\nN\n"),
        (&["../t.zip"], b"A\n"),
        (&["../t.zip"], b"x\nN\n"),
        (&["../s.zip"], b"r\nrenamed\n"),
        (&["-n", "../t.zip"], b""),
        (&["-o", "../t.zip"], b""),
        (&["-qo", "../t.zip"], b""),
        (&["-f", "../t.zip"], b""),
        (&["-u", "../t.zip"], b""),
    ] {
        // Both start from the same tree: the archive extracted, one file changed.
        let ours = d.join("ours");
        let theirs = d.join("theirs");
        for dir in [&ours, &theirs] {
            let _ = std::fs::remove_dir_all(dir);
            std::fs::create_dir(dir).unwrap();
            sh_in(
                dir,
                "unzip -q ../t.zip && echo changed > tree/a.txt && touch -d @1000000000 tree/a.txt",
            );
        }
        let o = applet("unzip").args(args).cwd(&ours).stdin(stdin).run();
        let g = gnu("unzip").args(args).cwd(&theirs).stdin(stdin).run();
        assert_eq!(
            (g.code, g.err(), g.out()),
            (o.code, o.err(), o.out()),
            "unzip {args:?} with {stdin:?}"
        );
        let snap = |p: &Path| {
            tree_snapshot(
                p,
                Snap {
                    mtime: true,
                    ..Snap::default()
                },
            )
        };
        assert_eq!(snap(&theirs), snap(&ours), "unzip {args:?} with {stdin:?}");
    }
}
