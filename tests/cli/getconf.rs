//! `getconf` against glibc's /usr/bin/getconf as the oracle.

use crate::harness::*;

fn both(a: &[&str]) {
    applet("getconf")
        .args(a)
        .run()
        .same_as(&gnu("getconf").args(a).run());
}

#[test]
fn variables_as_glibc() {
    for v in [
        "_NPROCESSORS_ONLN",
        "_NPROCESSORS_CONF",
        "PAGE_SIZE",
        "PAGESIZE",
        "LONG_BIT",
        "WORD_BIT",
        "PATH",
        "CS_PATH",
        "ARG_MAX",
        "CLK_TCK",
        "OPEN_MAX",
        "CHILD_MAX",
        "HOST_NAME_MAX",
        "LOGIN_NAME_MAX",
        "LINE_MAX",
        "INT_MAX",
        "INT_MIN",
        "UINT_MAX",
        "ULONG_MAX",
        "NGROUPS_MAX",
        "SIGQUEUE_MAX",
        "_PHYS_PAGES",
        "_POSIX_VERSION",
        "VERSION",
        "POSIX2_VERSION",
        "JOB_CONTROL",
        "_XOPEN_VERSION",
        "POSIX_V7_LP64_OFF64_CFLAGS",
    ] {
        both(&[v]);
    }
}

#[test]
fn path_variables_as_glibc() {
    let t = TempDir::new("getconf");
    let f = t.write("f", "x");
    let f = f.to_str().unwrap();
    for v in [
        "NAME_MAX",
        "_POSIX_NAME_MAX",
        "PATH_MAX",
        "PIPE_BUF",
        "MAX_CANON",
        "MAX_INPUT",
        "_POSIX_CHOWN_RESTRICTED",
        "NO_TRUNC",
        "VDISABLE",
        "POSIX2_SYMLINKS",
    ] {
        for p in ["/", f, "/nonexistent/x", ""] {
            both(&[v, p]);
        }
        // A path variable needs a path: the usage and status 2.
        both(&[v]);
    }
}

#[test]
fn usage_and_errors_as_glibc() {
    for a in [
        &[][..],
        &["-x"],
        &["FOO"],
        &["NPROCESSORS_ONLN"],
        &["-v"],
        &["-v", "POSIX_V7_LP64_OFF64", "LONG_BIT"],
        &["-vPOSIX_V7_LP64_OFF64", "LONG_BIT"],
        &["--", "LONG_BIT"],
        &["LONG_BIT", "/"],
        &["LONG_BIT", "--"],
        &["NAME_MAX", "/", "x"],
        &["-a", "/", "x"],
    ] {
        both(a);
    }
}

#[test]
fn all_lists_glibc_lines() {
    // -a prints glibc's lines for the variables supported here, in glibc's order.
    let t = TempDir::new("getconf");
    for p in [
        None,
        Some("/"),
        Some("/nonexistent"),
        Some(t.path().to_str().unwrap()),
    ] {
        let mut ours = applet("getconf").arg("-a");
        let mut theirs = gnu("getconf").arg("-a");
        if let Some(p) = p {
            ours = ours.arg(p);
            theirs = theirs.arg(p);
        }
        let ours = ours.run();
        ours.ok();
        let theirs = theirs.run().out();
        let text = ours.out();
        let names: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
        assert!(names.len() > 150, "{}", names.len());
        let mut want = String::new();
        for l in theirs.lines() {
            if names.contains(&l.split(' ').next().unwrap()) {
                want.push_str(l);
                want.push('\n');
            }
        }
        ours.stdout_is(want);
    }
}

#[test]
fn write_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    applet("getconf")
        .arg("-a")
        .stdout_file(full)
        .run()
        .code(1)
        .stderr_is("getconf: write error: No space left on device\n");
}
