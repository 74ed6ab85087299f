//! `free` against procps-ng's: the figures that do not move (totals) and the layout, options
//! and messages.

use crate::harness::*;

fn meminfo(key: &str) -> u64 {
    let m = std::fs::read_to_string("/proc/meminfo").unwrap();
    let l = m
        .lines()
        .find(|l| l.starts_with(&format!("{key}:")))
        .unwrap();
    l.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Each line's label and first column (the total).
fn totals(out: &str) -> Vec<(String, String)> {
    out.lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split_whitespace();
            (f.next().unwrap().into(), f.next().unwrap().into())
        })
        .collect()
}

#[test]
fn totals_as_procps() {
    let o = applet("free").arg("-b").run();
    o.ok();
    let t = totals(&o.out());
    assert_eq!(
        t[0],
        ("Mem:".into(), (meminfo("MemTotal") * 1024).to_string())
    );
    assert_eq!(
        t[1],
        ("Swap:".into(), (meminfo("SwapTotal") * 1024).to_string())
    );
    for args in [
        &[][..],
        &["-b"],
        &["-k"],
        &["-m"],
        &["-g"],
        &["--mega"],
        &["--si", "-h"],
        &["-h"],
        &["-w"],
        &["-t"],
        &["-l"],
        &["-w", "-t", "-l", "--tebi"],
    ] {
        let ours = applet("free").args(args).run();
        let theirs = gnu("free").args(args).run();
        ours.ok();
        assert_eq!(
            ours.out().lines().next(),
            theirs.out().lines().next(),
            "{args:?} header"
        );
        assert_eq!(totals(&ours.out()), totals(&theirs.out()), "{args:?}");
    }
}

#[test]
fn repeats() {
    let o = applet("free").args(["-c", "2", "-s", "0.01"]).run();
    o.ok();
    assert_eq!(o.out().matches("Mem:").count(), 2);
    assert_eq!(o.out().lines().filter(|l| l.is_empty()).count(), 1);
}

#[test]
fn errors_as_procps() {
    for args in [
        &["-x"][..],
        &["-k", "-m"],
        &["extra"],
        &["-s", "0"],
        &["-c", "0"],
        &["-c", "x"],
        &["--help"],
    ] {
        applet("free")
            .args(args)
            .run()
            .same_as(&gnu("free").args(args).run());
    }
}

#[test]
fn huge_interval_sleeps_instead_of_panicking() {
    // -s 1e308 used to panic converting the interval to a Duration after the first report;
    // now the second report waits (procps' free waits too, on -s 9999999999). coreutils'
    // timeout ends the wait: status 124, nothing on stderr.
    let o = gnu("timeout")
        .args(["2"])
        .arg(rbox())
        .args(["free", "-s", "1e308", "-c", "2"])
        .run();
    assert_eq!((o.code, o.err()), (124, String::new()));
    assert!(o.out().starts_with("               total"), "{}", o.out());
}
