//! `uptime` against procps-ng's: the boot time, the users (utmp), the layout, the messages.

use crate::harness::*;

#[test]
fn since_boot() {
    let ours = applet("uptime").arg("-s").run();
    let theirs = gnu("uptime").arg("-s").run();
    ours.ok();
    // Both round now - uptime: a second apart at most when read across a second's turn.
    let secs = |s: &str| {
        let o = gnu("date").args(["-d", s.trim(), "+%s"]).run();
        o.out().trim().parse::<i64>().unwrap()
    };
    assert!(
        (secs(&ours.out()) - secs(&theirs.out())).abs() <= 1,
        "{} {}",
        ours.out(),
        theirs.out()
    );
}

#[test]
fn line_as_procps() {
    let o = applet("uptime").run();
    o.ok();
    let line = o.out();
    let theirs = gnu("uptime").run().out();
    // " HH:MM:SS up ..., N user(s),  load average: a, b, c": the user count is procps's.
    assert_eq!(&line[..1], " ");
    assert_eq!(&line[9..13], " up ");
    let users = |l: &str| {
        l.split(" user")
            .next()
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(users(&line), users(&theirs));
    assert!(line.contains(",  load average: "), "{line}");
    assert_eq!(
        line.matches(", ").count(),
        theirs.matches(", ").count(),
        "{line}{theirs}"
    );
    let p = applet("uptime").arg("-p").run();
    p.ok();
    assert!(p.out().starts_with("up ") && p.out().ends_with("\n"));
}

#[test]
fn errors_as_procps() {
    for args in [&["-x"][..], &["extra"], &["--help"], &["-h"]] {
        applet("uptime")
            .args(args)
            .run()
            .same_as(&gnu("uptime").args(args).run());
    }
}
