//! The scratch image, built for real in a chroot: the Dockerfile's last stage is read and its
//! steps carried out here (the build stage's root tree comes from the same image/mkroot.sh),
//! then the applets are run inside a root that holds nothing but rbox.

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
        let link = std::fs::read_link(root.join("bin").join(name)).unwrap();
        assert_eq!(link, Path::new("rbox"), "{name}");
    }
    chroot(&root, &["/bin/cat", "/etc/group"])
        .ok()
        .stdout_is("root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n");
    let o = chroot(&root, &["cat", "/nonexistent"]);
    o.code(1)
        .stderr_is("cat: /nonexistent: No such file or directory\n");
    let meta = std::fs::metadata(root.join("tmp")).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777,
        0o1777
    );
    if list.out().lines().any(|l| l == "ls") {
        let o = chroot(&root, &["/bin/ls", "/"]);
        o.ok();
        assert!(o.out().lines().any(|l| l == "bin"), "{}", o.out());
    }
}

/// The image holds exactly what the Dockerfile documents: rbox, one link per applet, the two
/// account files, /tmp (1777), and the home directories of root and nonroot.
#[test]
fn image_tree_is_complete_and_nothing_more() {
    let Some(d) = build_image_root("imgtree") else {
        return;
    };
    let root = d.join("root");
    let mut found = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in sorted_entries(dir) {
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(base).unwrap().display().to_string();
            let mode = std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o7777;
            if m.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.push(format!("/{rel} -> {}", t.display()));
            } else if m.is_dir() {
                out.push(format!("/{rel}/ {mode:o}"));
                walk(base, &p, out);
            } else {
                out.push(format!("/{rel} {mode:o}"));
            }
        }
    }
    walk(&root, &root, &mut found);
    let list = chroot(&root, &["/bin/rbox", "--list"]);
    let mut want = vec!["/bin/ 755".to_string()];
    let mut bins: Vec<String> = list
        .out()
        .lines()
        .map(|a| format!("/bin/{a} -> rbox"))
        .collect();
    bins.push("/bin/rbox 755".to_string());
    bins.sort();
    want.extend(bins);
    want.extend(
        [
            "/etc/ 755",
            "/etc/group 644",
            "/etc/passwd 644",
            "/home/ 755",
            "/home/nonroot/ 755",
            "/root/ 700",
            "/tmp/ 1777",
        ]
        .map(String::from),
    );
    assert_eq!(found, want);
    // The image is as big as rbox itself: nothing else holds data but two small account files.
    let meta = std::fs::metadata(root.join("etc/passwd")).unwrap();
    assert!(meta.len() < 512);
}
