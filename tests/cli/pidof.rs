//! `pidof` against Debian's /bin/pidof (sysvinit's, which agrees with procps's on these).

use crate::harness::*;

fn both(args: &[&str]) {
    applet("pidof")
        .args(args)
        .run()
        .same_as(&gnu("/bin/pidof").args(args).run());
}

#[test]
fn finds_by_name() {
    let a = Sleeper::new("zzpidof-a", &[]);
    let b = Sleeper::new("zzpidof-a", &["0"]);
    let c = Sleeper::new("zzpidof-c", &[]);
    for args in [
        &["zzpidof-a"][..],
        &["zzpidof-c"],
        &["zzpidof-a", "zzpidof-c"],
        &["-s", "zzpidof-a"],
        &["-o", &a.pid(), "zzpidof-a"],
        &["-o", &format!("{},{}", a.pid(), b.pid()), "zzpidof-a"],
        &["nothing-runs-under-this"],
        &["-q", "zzpidof-c"],
        &[],
    ] {
        both(args);
    }
    // Newest first; -S puts its separator between them.
    applet("pidof")
        .args(["-S", ",", "zzpidof-a", "zzpidof-c"])
        .run()
        .ok()
        .stdout_is(format!("{},{},{}\n", b.pid(), a.pid(), c.pid()));
    applet("pidof")
        .args(["-q", "nothing-runs-under-this"])
        .run()
        .code(1)
        .stdout_is("");
    applet("pidof")
        .arg("-Z")
        .run()
        .code(1)
        .stderr_has("pidof: invalid option -- 'Z'\n");
}
