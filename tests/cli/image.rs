//! The scratch image, built for real in a chroot: the Dockerfile's last stage is read and its
//! steps carried out here (the build stage's root tree comes from the same image/mkroot.sh),
//! then the applets are run inside a root that holds nothing but rbox. Also the daemon-less
//! OCI image of image/oci.sh: reproducible, structurally valid, and the same tree.

use crate::harness::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Absolute: the command runs with a cleared environment (no PATH to search).
const CHROOT: &str = "/usr/sbin/chroot";

/// Build the image root the way the Dockerfile's final stage does. Returns None (after saying
/// so) when not root.
pub fn build_image_root(tag: &str) -> Option<TempDir> {
    if !is_root() {
        skip("chroot image test needs root (CI runs as root)");
        return None;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(manifest.join("Dockerfile")).unwrap();
    let last_stage = dockerfile.rsplit("\nFROM ").next().unwrap();
    assert!(
        last_stage.starts_with("scratch"),
        "last stage must be FROM scratch"
    );
    let d = TempDir::new(tag);
    let root = d.join("root");
    for line in last_stage.lines().skip(1) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("COPY --from=build ") {
            assert_eq!(rest, "/rootfs/ /", "unexpected COPY in the final stage");
            let st = Command::new("sh")
                .arg(manifest.join("image/mkroot.sh"))
                .arg(&root)
                .arg(rbox())
                .status()
                .unwrap();
            assert!(st.success());
        } else if let Some(json) = line.strip_prefix("RUN ") {
            let argv = parse_exec_form(json);
            let o = Command::new(CHROOT)
                .arg(&root)
                .args(&argv)
                .env_clear()
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "RUN {argv:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    Some(d)
}

/// `["a", "b"]` → vec!["a", "b"] (the exec form; no escapes needed in our Dockerfile).
fn parse_exec_form(s: &str) -> Vec<String> {
    let s = s.trim();
    assert!(
        s.starts_with('[') && s.ends_with(']'),
        "RUN must use the exec form: {s}"
    );
    s[1..s.len() - 1]
        .split(',')
        .map(|p| p.trim().trim_matches('"').to_string())
        .collect()
}

pub fn chroot(root: &Path, argv: &[&str]) -> Output {
    let o = Command::new(CHROOT)
        .arg(root)
        .args(argv)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .output()
        .unwrap();
    Output {
        stdout: o.stdout,
        stderr: o.stderr,
        code: o.status.code().unwrap_or(-1),
    }
}

/// The Dockerfile's last stage's `ENV PATH=` value.
pub fn dockerfile_path() -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(manifest.join("Dockerfile")).unwrap();
    let last_stage = dockerfile.rsplit("\nFROM ").next().unwrap();
    last_stage
        .lines()
        .find_map(|l| l.strip_prefix("ENV PATH="))
        .expect("ENV PATH= in the last stage")
        .to_string()
}

fn chroot_sh(root: &Path, script: &str) -> Output {
    chroot(root, &["/bin/sh", "-c", script])
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn scratch_root_runs_applets() {
    let Some(d) = build_image_root("img") else {
        return;
    };
    let root: PathBuf = d.join("root");
    // Every applet got a relative symlink beside rbox.
    let list = chroot(&root, &["/bin/rbox", "--list"]);
    list.ok();
    for name in list.out().lines() {
        let link = std::fs::read_link(root.join("usr/bin").join(name)).unwrap();
        assert_eq!(link, Path::new("rbox"), "{name}");
    }
    chroot(&root, &["/bin/cat", "/etc/group"]).ok().stdout_is(
        "root:x:0:\nshadow:x:42:\nwww-data:x:82:\nnobody:x:65534:\nnogroup:x:65533:\n\
         nonroot:x:65532:\n",
    );
    let o = chroot(&root, &["cat", "/nonexistent"]);
    o.code(1)
        .stderr_is("cat: /nonexistent: No such file or directory\n");
    if list.out().lines().any(|l| l == "ls") {
        let o = chroot(&root, &["/bin/ls", "/"]);
        o.ok();
        assert!(o.out().lines().any(|l| l == "bin"), "{}", o.out());
    }
}

/// What a Dockerfile author does first works: exec-form `CMD ["echo", "hi"]` (PATH search),
/// `#!/usr/bin/env sh` scripts, Debian's and BusyBox's paths of the applets, every PATH
/// directory, `tar -C /opt`, the user applets on the account files, os-release.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn image_is_usable_by_a_dockerfile_author() {
    let Some(d) = build_image_root("imguse") else {
        return;
    };
    let root = d.join("root");
    let path = dockerfile_path();
    for dir in path.split(':') {
        let m = std::fs::metadata(root.join(dir.trim_start_matches('/')));
        assert!(m.map(|m| m.is_dir()).unwrap_or(false), "PATH dir {dir}");
    }
    // Exec form: no shell, the runtime searches PATH.
    let o = Command::new(CHROOT)
        .arg(&root)
        .args(["echo", "hi"])
        .env_clear()
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(o.stdout, b"hi\n");
    // Applets where Debian (/usr/bin, /usr/sbin) and BusyBox's image (/bin, /sbin) have them.
    for p in [
        "/usr/bin/env",
        "/bin/env",
        "/usr/bin/awk",
        "/bin/sh",
        "/usr/bin/sh",
        "/usr/sbin/useradd",
        "/sbin/adduser",
        "/bin/adduser",
        "/usr/bin/su-exec",
    ] {
        chroot(&root, &["/bin/sh", "-c", &format!("test -x {p}")]).ok();
    }
    std::fs::write(
        root.join("usr/local/bin/hello"),
        "#!/usr/bin/env sh\necho \"hello from $0 as $(id -un)\"\n",
    )
    .unwrap();
    chroot_sh(&root, "chmod 755 /usr/local/bin/hello && hello")
        .ok()
        .stdout_is("hello from /usr/local/bin/hello as root\n");
    // The README's first RUN line, on an archive made here, with nothing created from the host.
    chroot_sh(
        &root,
        "mkdir -p /tmp/src/app && echo 'echo app' > /tmp/src/app/run.sh && \
         tar czf /tmp/app.tar.gz -C /tmp/src app && rm -r /tmp/src && \
         tar xzf /tmp/app.tar.gz -C /opt && ls /opt/app",
    )
    .ok()
    .stdout_is("run.sh\n");
    // The account files as the user applets and su-exec expect them.
    chroot_sh(
        &root,
        "getent passwd nonroot; id nonroot; su-exec nonroot:nonroot id; \
         su-exec nonroot sh -c 'echo $HOME; touch $HOME/f /tmp/f && echo ok; touch /etc/x' 2>&1; \
         adduser -D app && id app && grep -c '^app:' /etc/shadow && ls -ld /home/app | cut -c1-10; \
         adduser -S -D -H svc && id svc && chown nobody:nogroup /tmp/f && stat -c %U:%G /tmp/f; \
         adduser -u 82 -D -S -G www-data www-data && id www-data",
    )
    .stdout_is(
        "nonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh\n\
         uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)\n\
         uid=65532(nonroot) gid=65532(nonroot) groups=65532(nonroot)\n\
         /home/nonroot\nok\ntouch: cannot touch '/etc/x': Permission denied\n\
         uid=1000(app) gid=1000(app) groups=1000(app)\n1\ndrwxr-sr-x\n\
         uid=100(svc) gid=65533(nogroup) groups=65533(nogroup)\nnobody:nogroup\n\
         uid=82(www-data) gid=82(www-data) groups=82(www-data)\n",
    );
    chroot_sh(
        &root,
        "useradd -m -u 2000 bob && getent passwd bob && stat -c %a /etc/shadow",
    )
    .ok()
    .stdout_is("bob:x:2000:2000::/home/bob:/bin/sh\n640\n");
    chroot_sh(&root, ". /etc/os-release && echo \"$ID $VERSION_ID\"")
        .ok()
        .stdout_is(format!("rbox {}\n", env!("CARGO_PKG_VERSION")));
    chroot_sh(&root, "grep '^hosts:' /etc/nsswitch.conf")
        .ok()
        .stdout_is("hosts:          files dns\n");
}

/// The tree the image holds, entry by entry, with modes and owners (the applet links apart).
const TREE: &[&str] = &[
    ". 40755 0:0",
    "bin 120777 0:0 -> usr/bin",
    "dev 40755 0:0",
    "etc 40755 0:0",
    "etc/default 40755 0:0",
    "etc/default/useradd 100644 0:0",
    "etc/group 100644 0:0",
    "etc/login.defs 100644 0:0",
    "etc/nsswitch.conf 100644 0:0",
    "etc/os-release 100644 0:0",
    "etc/passwd 100644 0:0",
    "etc/shadow 100640 0:42",
    "home 40755 0:0",
    "home/nonroot 40755 65532:65532",
    "mnt 40755 0:0",
    "opt 40755 0:0",
    "proc 40555 0:0",
    "root 40700 0:0",
    "run 40755 0:0",
    "run/lock 41777 0:0",
    "sbin 120777 0:0 -> usr/bin",
    "srv 40755 0:0",
    "sys 40555 0:0",
    "tmp 41777 0:0",
    "usr 40755 0:0",
    "usr/bin 40755 0:0",
    "usr/bin/rbox 100755 0:0",
    "usr/local 40755 0:0",
    "usr/local/bin 40755 0:0",
    "usr/local/sbin 40755 0:0",
    "usr/sbin 120777 0:0 -> bin",
    "var 40755 0:0",
    "var/cache 40755 0:0",
    "var/lib 40755 0:0",
    "var/lock 120777 0:0 -> ../run/lock",
    "var/log 40755 0:0",
    "var/run 120777 0:0 -> ../run",
    "var/spool 40755 0:0",
    "var/tmp 41777 0:0",
];

/// `tree_snapshot` with owners, file contents dropped (the binary differs between builds).
fn image_tree(root: &Path) -> Vec<String> {
    let snap = tree_snapshot(
        root,
        Snap {
            owner: true,
            ..Snap::default()
        },
    );
    snap.into_iter()
        .map(|l| match l.find(" size=") {
            Some(i) => l[..i].to_string(),
            None => l,
        })
        .collect()
}

fn want_tree() -> Vec<String> {
    let list = Command::new(rbox()).arg("--list").output().unwrap();
    let mut want: Vec<String> = TREE
        .iter()
        .map(|s| match *s {
            ". 40755 0:0" => s.to_string(),
            _ => format!("./{s}"),
        })
        .collect();
    for a in String::from_utf8(list.stdout).unwrap().lines() {
        want.push(format!("./usr/bin/{a} 120777 0:0 -> rbox"));
    }
    want.sort();
    want
}

/// The image holds exactly the documented tree: rbox, one link per applet, the account and
/// system files, the FHS directories with their usual modes.
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn image_tree_is_complete_and_nothing_more() {
    let Some(d) = build_image_root("imgtree") else {
        return;
    };
    let root = d.join("root");
    assert_eq!(image_tree(&root), want_tree());
    // Nothing else holds data but small text files.
    for f in [
        "passwd",
        "group",
        "shadow",
        "os-release",
        "nsswitch.conf",
        "login.defs",
    ] {
        assert!(std::fs::metadata(root.join("etc").join(f)).unwrap().len() < 512);
    }
}

// ---- the OCI image (image/oci.sh) ----

/// A JSON value, parsed by the few lines below (the tests have no JSON crate).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn parse(s: &str) -> Json {
        let b = s.as_bytes();
        let mut i = 0;
        let v = Self::value(b, &mut i);
        Self::ws(b, &mut i);
        assert_eq!(i, b.len(), "trailing data in JSON");
        v
    }
    fn ws(b: &[u8], i: &mut usize) {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    }
    fn value(b: &[u8], i: &mut usize) -> Json {
        Self::ws(b, i);
        match b[*i] {
            b'{' => {
                *i += 1;
                let mut v = Vec::new();
                loop {
                    Self::ws(b, i);
                    if b[*i] == b'}' {
                        *i += 1;
                        return Json::Obj(v);
                    }
                    let Json::Str(k) = Self::value(b, i) else {
                        panic!("JSON key")
                    };
                    Self::ws(b, i);
                    assert_eq!(b[*i], b':');
                    *i += 1;
                    v.push((k, Self::value(b, i)));
                    Self::ws(b, i);
                    if b[*i] == b',' {
                        *i += 1;
                    }
                }
            }
            b'[' => {
                *i += 1;
                let mut v = Vec::new();
                loop {
                    Self::ws(b, i);
                    if b[*i] == b']' {
                        *i += 1;
                        return Json::Arr(v);
                    }
                    v.push(Self::value(b, i));
                    Self::ws(b, i);
                    if b[*i] == b',' {
                        *i += 1;
                    }
                }
            }
            b'"' => {
                *i += 1;
                let mut s = Vec::new();
                while b[*i] != b'"' {
                    if b[*i] == b'\\' {
                        *i += 1;
                        match b[*i] {
                            b'n' => s.push(b'\n'),
                            b't' => s.push(b'\t'),
                            b'u' => {
                                let h = std::str::from_utf8(&b[*i + 1..*i + 5]).unwrap();
                                let c = char::from_u32(u32::from_str_radix(h, 16).unwrap());
                                let mut buf = [0u8; 4];
                                s.extend_from_slice(c.unwrap().encode_utf8(&mut buf).as_bytes());
                                *i += 4;
                            }
                            c => s.push(c),
                        }
                    } else {
                        s.push(b[*i]);
                    }
                    *i += 1;
                }
                *i += 1;
                Json::Str(String::from_utf8(s).unwrap())
            }
            b't' | b'f' | b'n' => {
                for (w, v) in [
                    ("true", Json::Bool(true)),
                    ("false", Json::Bool(false)),
                    ("null", Json::Null),
                ] {
                    if b[*i..].starts_with(w.as_bytes()) {
                        *i += w.len();
                        return v;
                    }
                }
                panic!("bad JSON literal")
            }
            _ => {
                let st = *i;
                while *i < b.len() && (b[*i].is_ascii_digit() || b"+-.eE".contains(&b[*i])) {
                    *i += 1;
                }
                Json::Num(std::str::from_utf8(&b[st..*i]).unwrap().parse().unwrap())
            }
        }
    }
    /// The member `k` of an object (panics when missing: the tests want it there).
    pub fn get(&self, k: &str) -> &Json {
        match self {
            Json::Obj(v) => {
                &v.iter()
                    .find(|(n, _)| n == k)
                    .unwrap_or_else(|| panic!("no {k}"))
                    .1
            }
            _ => panic!("not an object looking for {k}"),
        }
    }
    pub fn has(&self, k: &str) -> bool {
        matches!(self, Json::Obj(v) if v.iter().any(|(n, _)| n == k))
    }
    pub fn str(&self) -> &str {
        match self {
            Json::Str(s) => s,
            _ => panic!("not a string: {self:?}"),
        }
    }
    pub fn arr(&self) -> &[Json] {
        match self {
            Json::Arr(v) => v,
            _ => panic!("not an array: {self:?}"),
        }
    }
    pub fn num(&self) -> u64 {
        match self {
            Json::Num(n) => *n as u64,
            _ => panic!("not a number: {self:?}"),
        }
    }
}

/// Build the OCI image with image/oci.sh from the binary under test into `out`; returns the
/// script's first line (`rbox:VERSION sha256:MANIFEST`).
pub fn build_oci(out: &Path) -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("sh")
        .arg(manifest.join("image/oci.sh"))
        .arg(out)
        .arg(rbox())
        .env("RBOX_SOURCE", "https://example.invalid/rbox")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "image/oci.sh: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string()
}

fn sha256_hex(p: &Path) -> String {
    let o = Command::new("sha256sum").arg(p).output().unwrap();
    String::from_utf8(o.stdout).unwrap()[..64].to_string()
}

/// Check a descriptor against the layout's blob store; returns the blob's path.
fn check_descriptor(lay: &Path, d: &Json, media_type: &str) -> PathBuf {
    assert_eq!(d.get("mediaType").str(), media_type);
    let digest = d.get("digest").str();
    let hex = digest.strip_prefix("sha256:").expect("sha256 digest");
    let p = lay.join("blobs/sha256").join(hex);
    let len = std::fs::metadata(&p).expect("blob present").len();
    assert_eq!(len, d.get("size").num(), "size of {digest}");
    assert_eq!(sha256_hex(&p), hex, "content of {digest}");
    p
}

/// Everything the layout says, checked: index → manifest → config and layer, digests and
/// sizes matching the blobs, media types, the config docker and runc read, the
/// `docker load` manifest.json pointing at the same blobs. Returns the layer's path.
pub fn validate_layout(lay: &Path) -> PathBuf {
    let read = |p: &Path| Json::parse(&std::fs::read_to_string(p).unwrap());
    assert_eq!(
        read(&lay.join("oci-layout"))
            .get("imageLayoutVersion")
            .str(),
        "1.0.0"
    );
    let index = read(&lay.join("index.json"));
    assert_eq!(index.get("schemaVersion").num(), 2);
    let ms = index.get("manifests").arr();
    let refs: Vec<&str> = ms
        .iter()
        .map(|m| {
            m.get("annotations")
                .get("org.opencontainers.image.ref.name")
                .str()
        })
        .collect();
    assert_eq!(refs, ["latest", env!("CARGO_PKG_VERSION")]);
    let mp = check_descriptor(lay, &ms[0], "application/vnd.oci.image.manifest.v1+json");
    assert_eq!(ms[0], ms[1].clone().with_annotations_of(&ms[0]));
    let m = read(&mp);
    assert_eq!(m.get("schemaVersion").num(), 2);
    let cp = check_descriptor(
        lay,
        m.get("config"),
        "application/vnd.oci.image.config.v1+json",
    );
    let layers = m.get("layers").arr();
    assert_eq!(layers.len(), 1);
    let lp = check_descriptor(
        lay,
        &layers[0],
        "application/vnd.oci.image.layer.v1.tar+gzip",
    );
    let c = read(&cp);
    assert_eq!(c.get("architecture").str(), "amd64");
    assert_eq!(c.get("os").str(), "linux");
    let cfg = c.get("config");
    assert_eq!(
        cfg.get("Env").arr(),
        [Json::Str(format!("PATH={}", dockerfile_path()))]
    );
    assert_eq!(cfg.get("Cmd").arr(), [Json::Str("/bin/sh".into())]);
    assert!(!cfg.has("User"), "User is left unset (root)");
    let labels = cfg.get("Labels");
    assert_eq!(
        labels.get("org.opencontainers.image.version").str(),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(labels.get("org.opencontainers.image.title").str(), "rbox");
    assert_eq!(
        labels.get("org.opencontainers.image.source").str(),
        "https://example.invalid/rbox"
    );
    // The diff_id is the digest of the uncompressed layer.
    let rootfs = c.get("rootfs");
    assert_eq!(rootfs.get("type").str(), "layers");
    let gunzip = Command::new("sh")
        .arg("-c")
        .arg("gzip -dc \"$0\" | sha256sum")
        .arg(&lp)
        .output()
        .unwrap();
    let diff = format!(
        "sha256:{}",
        &String::from_utf8(gunzip.stdout).unwrap()[..64]
    );
    assert_eq!(rootfs.get("diff_ids").arr(), [Json::Str(diff)]);
    let hist = c.get("history").arr();
    let non_empty = hist.iter().filter(|h| !h.has("empty_layer")).count();
    assert_eq!(non_empty, 1, "one history entry per layer");
    // The gzip header carries no name and no time (FLG = 0, MTIME = 0).
    let gz = std::fs::read(&lp).unwrap();
    assert_eq!(&gz[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    // docker load's view of the same image.
    let dm = read(&lay.join("manifest.json"));
    let dm = &dm.arr()[0];
    let rel = |p: &Path| p.strip_prefix(lay).unwrap().display().to_string();
    assert_eq!(dm.get("Config").str(), rel(&cp));
    assert_eq!(dm.get("Layers").arr(), [Json::Str(rel(&lp))]);
    assert_eq!(
        dm.get("RepoTags").arr(),
        [
            Json::Str("rbox:latest".into()),
            Json::Str(format!("rbox:{}", env!("CARGO_PKG_VERSION")))
        ]
    );
    read(&lay.join("repositories")).get("rbox");
    lp
}

impl Json {
    /// This descriptor with `other`'s annotations (to compare two index entries by the rest).
    fn with_annotations_of(mut self, other: &Json) -> Json {
        if let (Json::Obj(v), Json::Obj(o)) = (&mut self, other) {
            for (k, val) in v.iter_mut() {
                if k == "annotations" {
                    *val = o.iter().find(|(n, _)| n == k).unwrap().1.clone();
                }
            }
        }
        self
    }
}

/// Unpack a gzip'd layer into `dir` (as root: owners kept, numerically).
pub fn unpack_layer(layer: &Path, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let st = Command::new("tar")
        .args(["--numeric-owner", "-xzpf"])
        .arg(layer)
        .arg("-C")
        .arg(dir)
        .status()
        .unwrap();
    assert!(st.success());
}

/// image/oci.sh twice gives the same bytes (the same digests); the layout is valid; its one
/// layer holds exactly the tree the Dockerfile's steps give in the chroot.
#[test]
fn oci_image_is_reproducible_and_valid() {
    if !have("gzip") || !have("sha256sum") {
        skip("gzip and sha256sum needed for image/oci.sh");
        return;
    }
    let d = TempDir::new("oci");
    let a = build_oci(&d.join("a"));
    let b = build_oci(&d.join("b"));
    assert_eq!(a, b);
    assert!(
        a.starts_with(&format!("rbox:{} sha256:", env!("CARGO_PKG_VERSION"))),
        "{a}"
    );
    assert_eq!(
        sha256_hex(&d.join("a/rbox-oci.tar")),
        sha256_hex(&d.join("b/rbox-oci.tar"))
    );
    let lay = d.join("a/rbox-oci");
    let layer = validate_layout(&lay);
    // The tarball holds the layout, byte for byte.
    let x = d.join("x");
    std::fs::create_dir_all(&x).unwrap();
    let st = Command::new("tar")
        .arg("-xf")
        .arg(d.join("a/rbox-oci.tar"))
        .arg("-C")
        .arg(&x)
        .status()
        .unwrap();
    assert!(st.success());
    validate_layout(&x);
    let list = |p: &Path| {
        let o = Command::new("tar").arg("-tf").arg(p).output().unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    let names = list(&d.join("a/rbox-oci.tar"));
    assert!(names.lines().all(|l| !l.starts_with("./")), "{names}");
    // The layer's entries: sorted, numeric owners, mtime 0.
    let o = Command::new("tar")
        .args(["--numeric-owner", "--full-time", "-tvzf"])
        .arg(&layer)
        .output()
        .unwrap();
    let v = String::from_utf8(o.stdout).unwrap();
    let names: Vec<&str> = list(&layer).leak().lines().collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(
        v.lines().all(|l| l.contains(" 1970-01-01 00:00:00 ")),
        "{v}"
    );
    // What the daemon-less tools make of it: skopeo reads the OCI layout and the tarball as
    // `docker load` does (docker-archive), and copies each (verifying every blob's digest).
    if have("skopeo") {
        for src in [
            format!("oci:{}:latest", lay.display()),
            format!("docker-archive:{}", d.join("a/rbox-oci.tar").display()),
        ] {
            let o = Command::new("skopeo")
                .args(["inspect", "--config", &src])
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{src}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let cfg = Json::parse(&String::from_utf8(o.stdout).unwrap());
            assert_eq!(
                cfg.get("config").get("Cmd").arr(),
                [Json::Str("/bin/sh".into())]
            );
            let dir = d.join(format!("copy-{}", src.len()));
            let o = Command::new("skopeo")
                .args(["copy", "-q", &src])
                .arg(format!("dir:{}", dir.display()))
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{src}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    } else {
        skip("skopeo missing: the image is not read by a standard tool");
    }
    if !is_root() {
        skip("unpacking the layer with its owners needs root");
        return;
    }
    let Some(c) = build_image_root("ocitree") else {
        return;
    };
    let u = d.join("unpacked");
    unpack_layer(&layer, &u);
    assert_eq!(image_tree(&u), image_tree(&c.join("root")));
    assert_eq!(image_tree(&u), want_tree());
}
