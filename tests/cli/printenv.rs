//! `printenv` against GNU coreutils as the oracle.

use crate::harness::*;

#[track_caller]
fn same(args: &[&str]) {
    let vars = [("A", "1"), ("B", "x y"), ("E", "")];
    let (mut r, mut g) = (applet("printenv").env_clear(), gnu("printenv").env_clear());
    for (k, v) in vars {
        r = r.env(k, v);
        g = g.env(k, v);
    }
    let (r, g) = (r.args(args).run(), g.args(args).run());
    r.same_as(&g);
}

#[test]
fn names_and_all() {
    same(&[]);
    same(&["-0"]);
    same(&["A"]);
    same(&["B", "A", "E"]);
    same(&["A", "NOPE", "B"]);
    same(&["--null", "A", "B"]);
    same(&["A=1"]);
    same(&["-x"]);
    same(&["--nul", "A"]);
}

#[test]
fn write_errors() {
    for args in [&[][..], &["A"]] {
        let f = || {
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap()
        };
        let r = applet("printenv")
            .env("A", "1")
            .args(args)
            .stdout_file(f())
            .run();
        let g = gnu("printenv")
            .env("A", "1")
            .args(args)
            .stdout_file(f())
            .run();
        r.same_as(&g);
    }
}
