//! `which` against Debian's which (debianutils, the script `/usr/bin/which`) on a PATH made for
//! the test: several matches, a non-executable file, a directory, a symlink, empty entries.

use crate::harness::*;
use std::os::unix::fs::PermissionsExt;

fn tree() -> TempDir {
    let d = TempDir::new("which");
    for f in ["b1/x", "b2/x", "b1/noexec", "here", "b2/only2"] {
        d.write(f, b"#!/bin/sh\n");
        if f != "b1/noexec" {
            std::fs::set_permissions(d.join(f), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    std::fs::create_dir(d.join("b1/dir")).unwrap();
    std::os::unix::fs::symlink("x", d.join("b2/lnk")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("b2/dangling")).unwrap();
    d
}

fn debian() -> Option<&'static str> {
    ["/usr/bin/which.debianutils", "/usr/bin/which"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

#[test]
fn lookups_as_debian() {
    let Some(which) = debian() else {
        return skip("Debian's which is not installed");
    };
    let d = tree();
    let b1 = d.join("b1");
    let b2 = d.join("b2");
    let (b1, b2) = (b1.to_str().unwrap(), b2.to_str().unwrap());
    for path in [
        format!("{b1}:{b2}"),
        format!("{b1}/:{b2}:"),
        format!(":{b1}"),
        String::new(),
        format!("{b1}::"),
        "::".to_string(),
    ] {
        for args in [
            &["x"][..],
            &["-a", "x"],
            &["-a", "x", "here"],
            &["noexec"],
            &["dir"],
            &["lnk"],
            &["dangling"],
            &["-a", "lnk", "x", "only2"],
            &["here"],
            &["./here"],
            &["b1/x"],
            &["b1/noexec"],
            &[""],
            &["x", "-a"],
            &["--", "x"],
            &[],
            &["-a"],
        ] {
            let a = applet("which")
                .args(args)
                .env("PATH", &path)
                .cwd(d.path())
                .run();
            let g = gnu("/bin/sh")
                .arg(which)
                .args(args)
                .env("PATH", &path)
                .cwd(d.path())
                .run();
            assert_eq!(
                (a.code, a.out()),
                (g.code, g.out()),
                "which {args:?} with PATH={path:?}"
            );
            assert_eq!(a.err(), "");
        }
    }
}

#[test]
fn bad_option_prints_usage() {
    let o = applet("which").args(["-z", "x"]).run();
    o.code(2).stdout_is("Usage: which [-a] args\n");
    o.stderr_has("invalid option -- 'z'");
}

/// With no PATH in the environment the search uses the path a shell starts with (dash's, which
/// Debian's which script runs under), so `which sh` still finds the system's.
#[test]
fn unset_path_uses_the_default() {
    let Some(which) = debian() else {
        return skip("Debian's which is not installed");
    };
    for args in [&["sh"][..], &["-a", "sh", "ls"], &["no-such-command-here"]] {
        let a = applet("which").args(args).env_remove("PATH").run();
        let g = gnu("/bin/sh")
            .arg(which)
            .args(args)
            .env_remove("PATH")
            .run();
        assert_eq!((a.code, a.out()), (g.code, g.out()), "which {args:?}");
    }
}
