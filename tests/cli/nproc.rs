//! `nproc` against GNU coreutils as the oracle (same machine, same affinity, same variables).

use crate::harness::*;

#[test]
fn counts_as_gnu() {
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        (&[], &[]),
        (&["--all"], &[]),
        (&["--ignore=1"], &[]),
        (&["--ignore", "100"], &[]),
        (&["--ignore= 1"], &[]),
        (&["--all", "--ignore=1"], &[]),
        (&[], &[("OMP_NUM_THREADS", "5")]),
        (&[], &[("OMP_NUM_THREADS", " 5 ,3")]),
        (&[], &[("OMP_NUM_THREADS", "5"), ("OMP_THREAD_LIMIT", "3")]),
        (&[], &[("OMP_THREAD_LIMIT", "1")]),
        (
            &["--all"],
            &[("OMP_THREAD_LIMIT", "1"), ("OMP_NUM_THREADS", "7")],
        ),
        (&[], &[("OMP_NUM_THREADS", "x")]),
        (&[], &[("OMP_NUM_THREADS", "0")]),
        (&[], &[("OMP_NUM_THREADS", "99999999999999999999999")]),
        (&["--ignore=2"], &[("OMP_NUM_THREADS", "8")]),
        (&["--ignore=x"], &[]),
        (&["--ignore=-1"], &[]),
        (&["--ignore="], &[]),
        (&["--ignore=1k"], &[]),
        (&["--ignore=99999999999999999999999"], &[]),
        (&["x"], &[]),
        (&["--al"], &[]),
        (&["-a"], &[]),
        (&["--ignore"], &[]),
    ];
    for (args, vars) in cases {
        let (mut r, mut g) = (applet("nproc"), gnu("nproc"));
        for (k, v) in *vars {
            r = r.env(k, v);
            g = g.env(k, v);
        }
        r.args(*args).run().same_as(&g.args(*args).run());
    }
}

/// The affinity mask counts (one CPU through taskset), `--all` does not.
#[test]
fn affinity() {
    if !have("taskset") {
        return skip("taskset (util-linux) not installed");
    }
    for a in [&[][..], &["--all"]] {
        let r = gnu("taskset")
            .args(["-c", "0"])
            .arg(rbox())
            .arg("nproc")
            .args(a)
            .run();
        let g = gnu("taskset").args(["-c", "0", "nproc"]).args(a).run();
        r.same_as(&g);
    }
}
