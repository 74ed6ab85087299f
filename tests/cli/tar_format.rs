//! tar's archive bytes against GNU tar 1.34's (issue 18): the same tree archived by both with
//! the same options must give the same archive (compared by SHA-256), the same messages and
//! the same status, in every format (`gnu`, `oldgnu`, `ustar`, `v7`, `posix`), with and
//! without the options reproducible builds use; sparse files in every variant GNU writes; then
//! each tool extracts the other's archives and lists them the same way.
//!
//! Both tools run in a new PID namespace (`unshare -pf`): GNU names pax sparse members
//! `%d/GNUSparseFile.%p/%f` after its process id, so only equal ids give equal archives. File
//! times are fixed with touch; access times are set in the future, so that reading a file (on a
//! relatime mount) does not change what the pax format records of it.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

#[allow(unused_imports)]
use crate::harness::*;

const REPRO: &[&str] = &[
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "--mtime=@0",
    "--sort=name",
];

/// The tree under `dir/s`: names of 100, 101, 155, 256, 257 and 4,096 bytes (as members
/// `s/...`), long symlink targets, hard links, a fifo, devices, a file owned by uid and gid
/// 3000000, a set-uid file, a non-ASCII name and sparse files.
fn build_tree(dir: &Path) {
    let script = r#"
set -e
n() { head -c "$1" /dev/zero | tr '\0' "$2"; }
mkdir s && cd s
echo hello > f
ln f hl
ln -s f sl
mkfifo fifo
mknod chr c 1 3
mknod blk b 7 200
for L in 100 101 155 156; do echo "$L" > "$(n $((L - 2)) a)"; done
p=$(n 150 b); mkdir "$p"
echo x > "$p/$(n 103 c)"
echo y > "$p/$(n 104 d)"
p=.; while [ ${#p} -lt 3840 ]; do p="$p/$(n 200 e)"; mkdir "$p"; done
( cd "$p" && echo deep > "$(n $((4095 - ${#p})) f)" )
ln -s "$(n 99 t)" sl99; ln -s "$(n 100 t)" sl100; ln -s "$(n 101 t)" sl101
ln -s "$(n 300 t)" sl300
ln "$(n 153 a)" "hl-long-$(n 120 h)"
echo big > biguid; chown 3000000:3000000 biguid
echo suid > suid; chmod 4755 suid
echo u > "$(printf 'caf\303\251')"
mkdir sp
truncate -s 1M sp/empty
printf abc | dd of=sp/one bs=1 seek=100000 conv=notrunc 2>/dev/null; truncate -s 300000 sp/one
printf tail | dd of=sp/enddata bs=1 seek=1048576 conv=notrunc 2>/dev/null
i=0; while [ $i -lt 30 ]; do
  head -c 5000 /dev/zero | tr '\0' x | dd of=sp/many bs=65536 seek=$i conv=notrunc 2>/dev/null
  i=$((i + 1))
done
truncate -s 1966180 sp/many
cd ..
find s -depth -execdir touch -h -d @1000000000 {} +
find s -depth -execdir touch -h -a -d "$(date -d tomorrow '+%Y-%m-%d %H:%M:%S')" {} +
"#;
    let st = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(st.success(), "building the tree");
}

/// `tar ARGS` by one tool (GNU's or rbox's) in `cwd`, as process 1 of a new PID namespace.
fn tar_ns(gnu_tar: bool, cwd: &Path, args: &[String]) -> Output {
    let mut r = gnu("unshare").arg("-pf");
    r = if gnu_tar {
        r.arg("tar")
    } else {
        r.arg(rbox()).arg("tar")
    };
    r.args(args).cwd(cwd).run()
}

fn sha256(p: &Path) -> String {
    let o = Command::new("sha256sum").arg(p).output().unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split(' ')
        .next()
        .unwrap_or("")
        .to_string()
}

struct Cases {
    same: usize,
    refused: usize,
    diffs: Vec<String>,
    n: usize,
}

impl Cases {
    /// Archive with both tools (`cf ARCHIVE ARGS`) in `cwd`; compare archive hashes, stderr
    /// and status. Returns the two archive paths.
    fn run(
        &mut self,
        t: &TempDir,
        cwd: &Path,
        args: &[&str],
    ) -> (std::path::PathBuf, std::path::PathBuf) {
        self.n += 1;
        let g = t.join(format!("g{}.tar", self.n));
        let r = t.join(format!("r{}.tar", self.n));
        let mk = |a: &Path| {
            let mut v = vec!["-cf".to_string(), a.to_str().unwrap().to_string()];
            v.extend(args.iter().map(|s| s.to_string()));
            v
        };
        let go = tar_ns(true, cwd, &mk(&g));
        let ro = tar_ns(false, cwd, &mk(&r));
        let what = format!("{args:?}");
        if (ro.code, ro.err()) != (go.code, go.err()) {
            self.diffs.push(format!(
                "{what}: status/stderr: rbox {} {:?} GNU {} {:?}",
                ro.code,
                ro.err(),
                go.code,
                go.err()
            ));
        }
        let (hg, hr) = (sha256(&g), sha256(&r));
        if hg.is_empty() && hr.is_empty() {
            // Both refused to write an archive (with the same message).
            self.refused += 1;
        } else if hg.is_empty() || hg != hr {
            self.diffs
                .push(format!("{what}: archives differ ({hr} vs GNU {hg})"));
        } else {
            self.same += 1;
        }
        (g, r)
    }
}

fn snap(d: &Path) -> Vec<String> {
    tree_snapshot(
        d,
        Snap {
            owner: true,
            mtime: true,
            links: true,
            ..Snap::default()
        },
    )
}

/// Each tool extracts the archive; the trees compare equal and the listings (`tvf`) too.
fn cross_extract(t: &TempDir, tag: &str, archive: &Path) {
    let a = archive.to_str().unwrap();
    let xg = t.join(format!("xg-{tag}"));
    let xr = t.join(format!("xr-{tag}"));
    std::fs::create_dir_all(&xg).unwrap();
    std::fs::create_dir_all(&xr).unwrap();
    // GNU cannot create the 4,096-byte name (PATH_MAX); rbox can (see below).
    let ex = "--exclude=*/ffff*";
    let go = gnu("tar").args(["-xpf", a, ex]).cwd(&xg).run();
    let ro = applet("tar").args(["-xpf", a, ex]).cwd(&xr).run();
    assert_eq!(
        (ro.code, ro.err()),
        (go.code, go.err()),
        "{tag}: extracting"
    );
    assert_eq!(snap(&xr), snap(&xg), "{tag}: extracted trees");
    let gl = gnu("tar").args(["-tvf", a]).run();
    let rl = applet("tar").args(["-tvf", a]).run();
    assert_eq!(rl.out(), gl.out(), "{tag}: tvf");
    assert_eq!(rl.code, gl.code, "{tag}: tvf status");
}

#[test]
fn archives_are_byte_identical_to_gnu() {
    if !is_root() {
        return skip("root: devices, uid 3000000");
    }
    if !have("tar") || !have("unshare") || !have("sha256sum") {
        return skip("GNU tar, unshare and sha256sum");
    }
    if gnu("unshare").args(["-pf", "true"]).run().code != 0 {
        return skip("PID namespaces (unshare -pf)");
    }
    let t = TempDir::new("tarfmt");
    build_tree(t.path());
    let probe = t.join("s/f");
    let atime = std::fs::metadata(&probe).unwrap().atime();
    let root = t.path().to_path_buf();
    let mut c = Cases {
        same: 0,
        refused: 0,
        diffs: Vec::new(),
        n: 0,
    };
    let mut to_extract = Vec::new();
    let pax_repro = "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime";
    for fmt in ["gnu", "oldgnu", "ustar", "v7", "posix"] {
        let f = format!("--format={fmt}");
        // Plain, and as reproducible builds do (with pax: GNU's fixed header names and no
        // atime/ctime).
        let (g, _) = c.run(&t, &root, &[&f, "s"]);
        to_extract.push((fmt.to_string(), g));
        let mut a: Vec<&str> = vec![&f];
        a.extend(REPRO);
        if fmt == "posix" {
            a.push(pax_repro);
        }
        a.push("s");
        c.run(&t, &root, &a);
        // Sparse files: old GNU headers, pax 1.0 (GNU's default), 0.1 and 0.0; refused in
        // ustar and v7.
        c.run(&t, &root, &[&f, "-S", "s/sp"]);
        let mut a: Vec<&str> = vec![&f, "-S"];
        a.extend(REPRO);
        a.push("s/sp");
        let (g, _) = c.run(&t, &root, &a);
        if fmt != "ustar" && fmt != "v7" {
            to_extract.push((format!("{fmt}-sparse"), g));
        }
    }
    for v in ["0.0", "0.1", "1.0"] {
        let sv = format!("--sparse-version={v}");
        let (g, _) = c.run(&t, &root, &["--format=posix", "-S", &sv, "s/sp"]);
        to_extract.push((format!("pax-sparse-{v}"), g));
    }
    // Names made safe (`../`, `/`) or kept (-P), hard links between operands, -C, and
    // --no-recursion, in the GNU and pax formats.
    let sub = t.join("s/sp");
    let abs_f = t.join("s/f");
    let abs_hl = t.join("s/hl");
    let (abs_f, abs_hl) = (abs_f.to_str().unwrap(), abs_hl.to_str().unwrap());
    for fmt in ["--format=gnu", "--format=posix"] {
        c.run(&t, &sub, &[fmt, "../hl", "../../s/f", "../fifo", "../chr"]);
        c.run(&t, &sub, &[fmt, abs_hl, abs_f]);
        c.run(&t, &sub, &[fmt, "-P", abs_hl, abs_f, "../sl"]);
        c.run(&t, &root, &[fmt, "--no-recursion", "s", "s/sp", "s/hl"]);
        c.run(&t, &root, &[fmt, "-C", "s", "hl", "-C", "..", "s/f", "s/f"]);
        c.run(
            &t,
            &root,
            &[
                fmt,
                "--mode=go-w,u+s",
                "--owner=nobody",
                "--group=4000",
                "s/sp",
            ],
        );
    }
    // pax options: a global header (with its time fixed), per-file overrides, deletions.
    c.run(
        &t,
        &root,
        &[
            "--pax-option=a:=1,b=2,globexthdr.name=GH.%n,globexthdr.mtime=7,delete=ctime",
            "--pax-option=exthdr.name=X/%p/%f,exthdr.mtime=9",
            "s/hl",
            "s/sl300",
        ],
    );
    // GNU takes plain seconds there: "@9" is reported (status 2) and the file's time used;
    // a non-ASCII name gets a `path` record.
    c.run(
        &t,
        &root,
        &[
            "--pax-option=exthdr.mtime=@9,delete=atime,delete=ctime,exthdr.name=%f.x",
            "s/hl",
            "s/café",
        ],
    );
    assert!(
        c.diffs.is_empty(),
        "{} of {} cases byte-identical; differences:\n{}",
        c.same,
        c.n,
        c.diffs.join("\n")
    );
    eprintln!(
        "tar_format: {} of {} archives byte-identical to GNU tar's ({} refused by both alike)",
        c.same, c.n, c.refused
    );
    assert_eq!(
        std::fs::metadata(&probe).unwrap().atime(),
        atime,
        "reading changed access times (a strictatime mount?): the pax cases compare them"
    );
    for (tag, g) in &to_extract {
        cross_extract(&t, tag, g);
    }
    // The 4,096-byte name that GNU tar 1.34 fails to extract ("File name too long"), rbox
    // extracts (directory by directory, relative to the last).
    let xd = t.join("x-deep");
    std::fs::create_dir_all(&xd).unwrap();
    applet("tar")
        .args([
            "-xf",
            to_extract[0].1.to_str().unwrap(),
            "--wildcards",
            "s/eeee*",
        ])
        .cwd(&xd)
        .run()
        .ok();
    let found = Command::new("sh")
        .arg("-c")
        .arg("cd s && while cd e*/ 2>/dev/null; do :; done; cat f*")
        .current_dir(&xd)
        .output()
        .unwrap();
    assert_eq!(found.stdout, b"deep\n", "the 4,096-byte name");
    // Extraction recreates holes: the extracted sparse files take fewer blocks than bytes.
    for f in ["empty", "one", "many"] {
        let m = std::fs::metadata(t.join(format!("xr-gnu-sparse/s/sp/{f}"))).unwrap();
        assert!(m.blocks() * 512 < m.size(), "{f}: holes not recreated");
    }
}

#[test]
fn format_option_errors_as_gnu() {
    if !have("tar") {
        return skip("GNU tar");
    }
    let t = TempDir::new("tarfmt-err");
    t.write("d/f", "x");
    for args in [
        &["--format=foo", "-cf", "a.tar", "d"][..],
        &[
            "--format=gnu",
            "--pax-option=delete=atime",
            "-cf",
            "a.tar",
            "d",
        ],
        &["--format=ustar", "-S", "-cf", "a.tar", "d"],
        &["--format=v7", "--sparse-version=1.0", "-cf", "a.tar", "d"],
        &["--sparse-version=x", "-cf", "a.tar", "d"],
        &["--pax-option=bogus", "-cf", "a.tar", "d"],
        &["--xattrs", "--format=gnu", "-cf", "a.tar", "d"],
    ] {
        let r = applet("tar").args(args).cwd(t.path()).run();
        let g = gnu("tar").args(args).cwd(t.path()).run();
        assert_eq!((r.code, r.err()), (g.code, g.err()), "{args:?}");
    }
    // -o when creating is --old-archive (v7); --pax-option alone means pax.
    for args in [
        &["-o", "-cf", "X.tar", "d"][..],
        &[
            "--pax-option=delete=atime,delete=ctime",
            "--mtime=@0",
            "-cf",
            "X.tar",
            "d",
        ],
    ] {
        let mut a: Vec<&str> = args.to_vec();
        let k = a.len() - 2;
        a[k] = "r.tar";
        applet("tar").args(&a).cwd(t.path()).run().ok();
        a[k] = "g.tar";
        gnu("tar").args(&a).cwd(t.path()).run().ok();
        assert_eq!(
            std::fs::read(t.join("r.tar")).unwrap(),
            std::fs::read(t.join("g.tar")).unwrap(),
            "{args:?}"
        );
    }
}

#[test]
fn append_and_update_keep_the_archive_format() {
    if !have("tar") {
        return skip("GNU tar");
    }
    let t = TempDir::new("tarfmt-r");
    t.write("s/a", "first\n");
    t.write("s/b", "second\n");
    t.write("s/caf\u{e9}", "non-ASCII\n");
    let st = Command::new("sh")
        .arg("-c")
        .arg(
            "ln -s \"$(head -c 150 /dev/zero | tr '\\0' t)\" s/long && \
             find s -exec touch -h -d @1000000000 {} + && \
             find s -exec touch -h -a -d \"$(date -d tomorrow '+%Y-%m-%d %H:%M:%S')\" {} +",
        )
        .current_dir(t.path())
        .status()
        .unwrap();
    assert!(st.success());
    for fmt in ["gnu", "oldgnu", "ustar", "v7", "posix"] {
        gnu("tar")
            .args([&format!("--format={fmt}"), "-cf", "g.tar", "s/a"])
            .cwd(t.path())
            .run()
            .ok();
        std::fs::copy(t.join("g.tar"), t.join("r.tar")).unwrap();
        for mode in ["-rf", "-uf"] {
            let args = |a: &'static str| [mode, a, "s/b", "s/caf\u{e9}", "s/long", "s/a"];
            let g = gnu("tar").args(args("g.tar")).cwd(t.path()).run();
            let r = applet("tar").args(args("r.tar")).cwd(t.path()).run();
            assert_eq!((r.code, r.err()), (g.code, g.err()), "{fmt} {mode}");
            assert_eq!(
                sha256(&t.join("r.tar")),
                sha256(&t.join("g.tar")),
                "{fmt} {mode}: archives differ"
            );
        }
    }
}
