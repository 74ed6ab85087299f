//! `run-parts` against Debian's (debianutils): the same directory of scripts run by both, with
//! each option entrypoints use; stdout, stderr and status compared.

use crate::harness::*;

/// Scripts that succeed, fail, die by a signal, write to stderr; names the default rule
/// rejects (`x.sh`, a dot file, `x.dpkg-old`); a file without the execute bit, a directory,
/// a symlink to a script, a script that cannot be executed (no `#!`).
fn fixture() -> TempDir {
    let d = TempDir::new("runparts");
    let p = d.join("d");
    std::fs::create_dir(&p).unwrap();
    let put = |name: &str, body: &str, exec: bool| {
        let f = p.join(name);
        std::fs::write(&f, body).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = if exec { 0o755 } else { 0o644 };
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    put("10-one", "#!/bin/sh\necho one \"$@\"; umask\n", true);
    put("20-two", "#!/bin/sh\necho two; exit 3\n", true);
    put("30-three.sh", "#!/bin/sh\necho three\n", true);
    put("40-noexec", "#!/bin/sh\necho noexec\n", false);
    put("50a-sig", "#!/bin/sh\necho five; kill -TERM $$\n", true);
    put("60_six", "#!/bin/sh\necho six >&2\n", true);
    put(".hidden", "#!/bin/sh\necho hidden\n", true);
    put("x.dpkg-old", "#!/bin/sh\necho old\n", true);
    std::fs::create_dir(p.join("55-dir")).unwrap();
    std::os::unix::fs::symlink("10-one", p.join("70-link")).unwrap();
    d
}

#[test]
fn matches_debian_run_parts() {
    if !have("run-parts") {
        skip("Debian's run-parts (debianutils) is not installed");
        return;
    }
    let d = fixture();
    let cases: &[&[&str]] = &[
        &["d"],
        &["--verbose", "d"],
        &["-v", "d/"],
        &["--test", "d"],
        &["--list", "d"],
        &["--exit-on-error", "d"],
        &["--reverse", "d"],
        &["-a", "x", "--arg=y z", "d"],
        &["-v", "-a", "x", "--arg=y z", "--exit-on-error", "d"],
        &["--regex=.*\\.sh", "d"],
        &["--regex", "^[0-9]+-(one|two)$", "d"],
        &["-u", "077", "--regex=one", "d"],
        &["--umask=9", "d"],
        &["--test", "--list", "d"],
        &["--bogus", "d"],
        &["d", "d"],
        &[],
        &["nonexistent"],
        &["d/10-one"],
    ];
    for args in cases {
        let ours = applet("run-parts").args(*args).cwd(d.path()).run();
        let theirs = gnu("run-parts").args(*args).cwd(d.path()).run();
        ours.same_as(&theirs);
    }
    // A script the kernel cannot run: reported, the others still run.
    let d2 = TempDir::new("runparts2");
    std::fs::create_dir(d2.join("d")).unwrap();
    std::fs::write(d2.join("d/05-noshebang"), "echo x\n").unwrap();
    std::fs::write(d2.join("d/06-ok"), "#!/bin/sh\necho ok\n").unwrap();
    for f in ["d/05-noshebang", "d/06-ok"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d2.join(f), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let ours = applet("run-parts").arg("d").cwd(d2.path()).run();
    ours.same_as(&gnu("run-parts").arg("d").cwd(d2.path()).run());
    ours.code(1).stdout_is("ok\n");
}
