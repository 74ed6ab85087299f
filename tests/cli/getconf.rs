//! `getconf` against glibc's getconf as the oracle (same machine, same limits).

use crate::harness::*;

#[test]
fn variables_as_glibc() {
    for a in [
        &["_NPROCESSORS_ONLN"][..],
        &["_NPROCESSORS_CONF"],
        &["PAGE_SIZE"],
        &["PAGESIZE"],
        &["LONG_BIT"],
        &["PATH"],
        &["ARG_MAX"],
        &["CLK_TCK"],
        &["OPEN_MAX"],
        &["CHILD_MAX"],
        &["HOST_NAME_MAX"],
        &["LINE_MAX"],
        &["INT_MAX"],
        &["UINT_MAX"],
        &["_POSIX_VERSION"],
        &["NAME_MAX", "/"],
        &["PATH_MAX", "/"],
        &["PIPE_BUF", "/"],
        &["_POSIX_NAME_MAX", "/"],
    ] {
        applet("getconf")
            .args(a)
            .run()
            .same_as(&gnu("getconf").args(a).run());
    }
}

#[test]
fn errors_as_glibc() {
    for a in [
        &[][..],
        &["NAME_MAX"],
        &["NO_SUCH_VARIABLE"],
        &["NAME_MAX", "/nonexistent"],
        &["LONG_BIT", "x"],
        &["a", "b", "c"],
    ] {
        applet("getconf")
            .args(a)
            .run()
            .same_as(&gnu("getconf").args(a).run());
    }
}

/// `-a` lists what rbox knows, in glibc's layout and with glibc's values.
#[test]
fn all_is_a_subset_of_glibc() {
    let r = applet("getconf").arg("-a").run();
    r.ok();
    let g = gnu("getconf").arg("-a").run().out();
    for line in r.out().lines() {
        let name = line.split_whitespace().next().unwrap();
        if name == "GNU_LIBC_VERSION" {
            continue;
        }
        assert!(g.lines().any(|l| l == line), "{line}");
    }
}
