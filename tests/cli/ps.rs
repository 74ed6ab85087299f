//! `ps` against procps-ng's /bin/ps on processes we start (their values do not move while they
//! sleep), and its messages and statuses.

use crate::harness::*;

fn both(args: &[&str]) {
    applet("ps")
        .args(args)
        .run()
        .same_as(&gnu("ps").args(args).run());
}

#[test]
fn formats_as_procps() {
    let s = Sleeper::new("zzps-fmt", &[]);
    let p = s.pid();
    for a in [
        &["-o", "pid,ppid,comm", "-p", &p][..],
        &["-f", "-p", &p],
        &["-l", "-p", &p],
        &["-ly", "-p", &p],
        &["-j", "-p", &p],
        &["-F", "-p", &p],
        &["u", "-p", &p],
        &["l", "-p", &p],
        &["j", "-p", &p],
        &["-p", &p],
        &["p", &p],
        &[&p],
        &["-o", "pid=", "-o", "comm=NAME", "-p", &p],
        &["-o", "pid:10,args", "-p", &p],
        &["-o", "args,pid", "-p", &p],
        &["-o", "comm=A,B C", "-p", &p],
        &["--no-headers", "-o", "user,group,uid,gid,ruser,rgroup", "-p", &p],
        &[
            "-o",
            "stat,s,tty,tname,ni,pri,opri,f,c,nlwp,sz,vsz,rss,pcpu,pmem,time,bsdtime,lstart,start,stime,wchan",
            "--pid",
            &p,
        ],
        &["-C", "zzps-fmt"],
        &["-o", "pid,comm", "-C", "zzps-fmt,nonesuch"],
    ] {
        both(a);
    }
}

#[test]
fn selects_and_sorts_as_procps() {
    let a = Sleeper::new("zzps-a", &[]);
    let b = Sleeper::new("zzps-b", &["0"]);
    let me = std::process::id().to_string();
    let pids = format!("{},{}", a.pid(), b.pid());
    for args in [
        &["-o", "pid,comm", "-p", &pids][..],
        &["--sort=-pid", "-o", "pid,comm", "-p", &pids],
        &["--sort", "comm", "-o", "pid,args", "-p", &pids],
        &["-o", "pid,comm", "--sort=-args", "-p", &pids],
    ] {
        both(args);
    }
    // Our children: these two, and whatever other tests run meanwhile.
    let o = applet("ps").args(["--ppid", &me, "-o", "pid="]).run();
    o.ok();
    for p in [a.pid(), b.pid()] {
        assert!(o.out().lines().any(|l| l.trim() == p), "{}", o.out());
    }
}

#[test]
fn everything_and_the_default() {
    let s = Sleeper::new("zzps-all", &[]);
    // `-aux` does not parse as UNIX options (no user "x"): procps reads it again as BSD's.
    for args in [
        &["-e"][..],
        &["ax"],
        &["aux"],
        &["-aux"],
        &["-A", "-o", "pid,comm"],
    ] {
        let o = applet("ps").args(args).run();
        o.ok();
        assert!(o.out().contains(&s.pid()), "{args:?}");
        let theirs = gnu("ps").args(args).run();
        assert_eq!(
            o.out().lines().next(),
            theirs.out().lines().next(),
            "{args:?}"
        );
    }
    // No terminal: the default shows our user's terminal-less processes, as procps's.
    let o = applet("ps").run();
    o.ok();
    assert!(o
        .out()
        .lines()
        .next()
        .unwrap()
        .ends_with("PID TTY          TIME CMD"));
    let line = format!("{} ?        00:00:00 zzps-all", s.pid());
    assert!(
        o.out().lines().any(|l| l.trim_start() == line),
        "{}",
        o.out()
    );
}

#[test]
fn no_truncation_without_a_terminal() {
    let long = "0".repeat(300);
    let s = Sleeper::new("zzps-long", &[&long]);
    let o = applet("ps").args(["-o", "args=", "-p", &s.pid()]).run();
    o.ok();
    assert!(o.out().trim_end().ends_with(&long));
    both(&["-o", "pid,args", "-p", &s.pid()]);
    // COLUMNS counts even without a terminal; -w makes it 132 at least, -ww unlimited.
    let pid = s.pid();
    for w in [&[][..], &["-w"], &["-ww"]] {
        let args = [w, &["-o", "pid,args", "-p", &pid]].concat();
        applet("ps")
            .env("COLUMNS", "40")
            .args(&args)
            .run()
            .same_as(&gnu("ps").env("COLUMNS", "40").args(&args).run());
    }
    // --cols cuts the last column at the width, as procps.
    both(&["--cols", "40", "-o", "pid,args", "-p", &s.pid()]);
}

#[test]
fn errors_as_procps() {
    for a in [
        &["-o", "foo"][..],
        &["-o", ""],
        &["-o", "pid,,comm"],
        &["-o", "pid:0"],
        &["-p"],
        &["-p", "abc"],
        &["-p", "0"],
        &["-k"],
        &["K"],
        &["--sort=foo"],
        &["--bogus"],
        &["-u", "no-such-user-zz"],
        &["-t", "no-such-tty-zz"],
        &["-p", "2147483646"],
    ] {
        both(a);
    }
    applet("ps").args(["-p", "2147483646"]).run().code(1);
}

#[test]
fn forest_as_procps() {
    // sh with two children of one name; the children are there once /proc lists them.
    let dir = TempDir::new("forest");
    let link = dir.join("zzps-tree");
    std::os::unix::fs::symlink(which_sleep(), &link).unwrap();
    let mut sh = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{0}' 60 & '{0}' 61 & wait", link.display()))
        .spawn()
        .unwrap();
    let kids_file = format!("/proc/{0}/task/{0}/children", sh.id());
    let kids: Vec<i32> = loop {
        let k = std::fs::read_to_string(&kids_file).unwrap_or_default();
        let k: Vec<i32> = k.split_whitespace().map(|p| p.parse().unwrap()).collect();
        if k.len() == 2 {
            break k;
        }
        std::thread::yield_now();
    };
    let sh_pid = sh.id().to_string();
    for f in [
        &["f", "-o", "pid,args"][..],
        &["-H", "-o", "pid,comm"],
        &["--forest", "-o", "pid,ppid,comm"],
    ] {
        let args = [f, &["-p", &sh_pid, "--ppid", &sh_pid]].concat();
        both(&args);
    }
    for k in kids {
        // SAFETY: signalling our grandchildren, whose pids /proc just listed.
        unsafe { libc::kill(k, libc::SIGKILL) };
    }
    sh.wait().unwrap();
}
