//! `useradd`, `groupadd` (against shadow's, /usr/sbin/useradd and groupadd, both with
//! `-R ROOT` on twin temporary roots) and BusyBox's `adduser`, `addgroup` (run in a chroot
//! holding a copy of rbox). Nothing here touches this machine's own /etc. Needs root (CI).

use crate::harness::*;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn root_ok(oracle: bool) -> bool {
    if !is_root() {
        skip("adding users needs root (chroot)");
        return false;
    }
    if oracle && !Path::new("/usr/sbin/useradd").exists() {
        skip("shadow's useradd (package passwd) is not installed");
        return false;
    }
    true
}

/// A minimal root: passwd, group, shadow (0640), gshadow, a skeleton; `defs`: the host's
/// login.defs and /etc/default/useradd too.
pub(crate) fn mkroot(d: &Path, defs: bool) {
    let etc = d.join("etc");
    std::fs::create_dir_all(etc.join("skel")).unwrap();
    std::fs::write(
        etc.join("passwd"),
        "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
         nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
    )
    .unwrap();
    std::fs::write(
        etc.join("group"),
        "root:x:0:\ndaemon:x:1:\nusers:x:100:\nnogroup:x:65534:\n",
    )
    .unwrap();
    std::fs::write(
        etc.join("shadow"),
        "root:*:20000:0:99999:7:::\ndaemon:*:20000:0:99999:7:::\nnobody:*:20000:0:99999:7:::\n",
    )
    .unwrap();
    std::fs::write(
        etc.join("gshadow"),
        "root:*::\ndaemon:*::\nusers:*::\nnogroup:*::\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    for f in ["shadow", "gshadow"] {
        std::fs::set_permissions(etc.join(f), std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    std::fs::write(etc.join("skel/.profile"), "# profile\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", etc.join("skel/link")).unwrap();
    if defs {
        if Path::new("/etc/login.defs").exists() {
            std::fs::copy("/etc/login.defs", etc.join("login.defs")).unwrap();
        }
        std::fs::create_dir_all(etc.join("default")).unwrap();
        if Path::new("/etc/default/useradd").exists() {
            std::fs::copy("/etc/default/useradd", etc.join("default/useradd")).unwrap();
        }
    }
}

/// A file of the root with today's day number (shadow's field 3) masked.
pub(crate) fn masked(root: &Path, f: &str) -> String {
    let t = std::fs::read_to_string(root.join("etc").join(f)).unwrap_or_default();
    t.lines()
        .map(|l| {
            let mut v: Vec<&str> = l.split(':').collect();
            if f == "shadow" && v.len() == 9 && v[2].len() == 5 {
                v[2] = "DAY";
            }
            v.join(":") + "\n"
        })
        .collect()
}

/// Home trees: path, mode, owner, type (symlinks not followed).
pub(crate) fn homes(root: &Path) -> Vec<String> {
    let mut v = Vec::new();
    fn walk(base: &Path, p: &Path, v: &mut Vec<String>) {
        use std::os::unix::fs::MetadataExt;
        let Ok(m) = std::fs::symlink_metadata(p) else {
            return;
        };
        v.push(format!(
            "{} {:o} {}:{} {}",
            p.strip_prefix(base).unwrap().display(),
            m.mode(),
            m.uid(),
            m.gid(),
            m.file_type().is_symlink()
        ));
        if m.is_dir() {
            let mut kids: Vec<PathBuf> = std::fs::read_dir(p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            kids.sort();
            for k in kids {
                walk(base, &k, v);
            }
        }
    }
    walk(root, &root.join("home"), &mut v);
    v
}

/// Run the same command lines through ours (`-R A`) and shadow's (`-R B`): same output and
/// status each time, then the same files and homes.
fn twin(tool: &str, defs: bool, cases: &[&[&str]]) {
    twin_with(tool, defs, |_| {}, cases);
}

/// [`twin`] on roots that `setup` adds to after [`mkroot`].
pub(crate) fn twin_with(tool: &str, defs: bool, setup: impl Fn(&Path), cases: &[&[&str]]) {
    let d = TempDir::new("users");
    let (a, b) = (d.join("a"), d.join("b"));
    mkroot(&a, defs);
    mkroot(&b, defs);
    setup(&a);
    setup(&b);
    for c in cases {
        let ours = applet(tool).arg("-R").arg(&a).args(*c).run();
        let path = ["/usr/sbin", "/usr/bin"]
            .iter()
            .map(|d| format!("{d}/{tool}"))
            .find(|p| Path::new(p).exists())
            .unwrap_or_default();
        let theirs = gnu(&path).arg("-R").arg(&b).args(*c).run();
        let theirs = crate::harness::Output {
            stderr: String::from_utf8_lossy(&theirs.stderr)
                .replace(&format!("{path}:"), &format!("{tool}:"))
                .into_bytes(),
            ..theirs
        };
        // Usage errors: the same first line (rbox lists only the options it has).
        let first = |o: &Output| {
            if o.code == 2 || o.err().contains("\nUsage: ") {
                o.err().lines().next().unwrap_or_default().to_string()
            } else {
                o.err()
            }
        };
        assert_eq!(
            (ours.code, first(&ours), ours.out()),
            (theirs.code, first(&theirs), theirs.out()),
            "{tool} {c:?}"
        );
    }
    for f in ["passwd", "group", "shadow", "gshadow"] {
        assert_eq!(masked(&a, f), masked(&b, f), "{f} after {cases:?}");
    }
    assert_eq!(homes(&a), homes(&b), "homes");
    // Modes kept; no lock or temporary file left behind.
    use std::os::unix::fs::MetadataExt;
    for f in ["shadow", "gshadow"] {
        if let Ok(m) = std::fs::metadata(a.join("etc").join(f)) {
            assert_eq!(m.mode() & 0o7777, 0o640, "{f} mode");
        }
    }
    let mut left: Vec<String> = std::fs::read_dir(a.join("etc"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".lock") || n.contains('+'))
        .collect();
    left.sort();
    assert!(left.is_empty(), "left in etc: {left:?}");
}

const USERADD_CASES: &[&[&str]] = &[
    &["alice"],
    &["-r", "sys1"],
    &["-r", "sys2"],
    &["-m", "bob"],
    &["alice"],
    &["-u", "1000", "carol"],
    &["-u", "1000", "-o", "carol"],
    &["-g", "nosuch", "dave"],
    &["-N", "-G", "daemon,users", "eve"],
    &[
        "-s",
        "/bin/sh",
        "-c",
        "Frank F",
        "-d",
        "/home/ff",
        "-M",
        "-e",
        "2030-01-01",
        "-p",
        "HASH",
        "frank",
    ],
    &["-U", "-u", "2000", "gina"],
    &["-U", "users"],
    &["-u", "abc", "z"],
    &["Bad:N"],
    &["-g", "users", "-G", "1", "-m", "hank"],
    &["-f", "5", "ivan"],
    &["--system", "--no-user-group", "--gid", "daemon", "jack"],
    &[],
    &["a", "b"],
    &["-x", "a"],
    // Homes and bases that are not absolute names: refused before anything is written
    // (an empty one used to panic).
    &["-d", "", "-m", "kim"],
    &["-d", "rel/home", "-m", "lee"],
    &["-b", "", "-m", "mo"],
    &["-b", "base", "nan"],
];

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn useradd_matches_shadow_without_login_defs() {
    if !root_ok(true) {
        return;
    }
    twin("useradd", false, USERADD_CASES);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn useradd_matches_shadow_with_login_defs() {
    if !root_ok(true) {
        return;
    }
    twin("useradd", true, USERADD_CASES);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn groupadd_matches_shadow() {
    if !root_ok(true) {
        return;
    }
    let cases: &[&[&str]] = &[
        &["g1"],
        &["-r", "sg1"],
        &["-r", "sg2"],
        &["g1"],
        &["-f", "g1"],
        &["-g", "1000", "g2"],
        &["-f", "-g", "1000", "g3"],
        &["-o", "-g", "1000", "g4"],
        &["Bad:Name"],
        &["-g", "abc", "g9"],
        &["-p", "PW", "g10"],
        &["--system", "--gid", "500", "g11"],
    ];
    twin("groupadd", false, cases);
    twin("groupadd", true, cases);
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn busy_lock_and_bad_root() {
    if !root_ok(true) {
        return;
    }
    let d = TempDir::new("users");
    mkroot(d.path(), false);
    // A lock held by a live process (this one).
    std::fs::write(d.join("etc/passwd.lock"), std::process::id().to_string()).unwrap();
    let before = std::fs::read(d.join("etc/passwd")).unwrap();
    let o = applet("useradd").arg("-R").arg(d.path()).arg("x").run();
    o.code(1)
        .stderr_is("useradd: cannot lock /etc/passwd; try again later.\n");
    assert_eq!(std::fs::read(d.join("etc/passwd")).unwrap(), before);
    // A stale one (no such process) is taken over.
    std::fs::write(d.join("etc/passwd.lock"), "999999999").unwrap();
    applet("useradd")
        .arg("-R")
        .arg(d.path())
        .arg("x")
        .run()
        .ok();
    assert!(!d.join("etc/passwd.lock").exists());
    let ours = applet("groupadd")
        .args(["-R", "/nonexistent-root", "g"])
        .run();
    let theirs = gnu("groupadd").args(["-R", "/nonexistent-root", "g"]).run();
    ours.same_as(&theirs);
}

// ------------------------------------------------------------- BusyBox adduser, addgroup

/// A root with rbox in it, for `chroot ROOT /bin/rbox APPLET ...`.
pub(crate) fn bbroot() -> TempDir {
    let d = TempDir::new("bbusers");
    mkroot(d.path(), false);
    std::fs::create_dir_all(d.join("bin")).unwrap();
    std::fs::copy(rbox(), d.join("bin/rbox")).unwrap();
    d
}

pub(crate) fn inroot(d: &TempDir, args: &[&str]) -> Output {
    // A copy just written may be open for a moment in a child another test forks (ETXTBSY
    // until that child execs): try again.
    let mut tries = 0;
    let o = loop {
        let o = Command::new("chroot")
            .arg(d.path())
            .arg("/bin/rbox")
            .args(args)
            .env("SHELL", "/bin/sh")
            .output()
            .unwrap();
        tries += 1;
        if o.status.code() == Some(126) && tries < 100 {
            std::thread::yield_now();
            continue;
        }
        break o;
    };
    Output {
        stdout: o.stdout,
        stderr: o.stderr,
        code: o.status.code().unwrap_or(128),
    }
}

pub(crate) fn line_of(d: &TempDir, f: &str, name: &str) -> Option<String> {
    masked(d.path(), f)
        .lines()
        .find(|l| l.split(':').next() == Some(name))
        .map(str::to_string)
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn adduser_busybox_defaults() {
    if !root_ok(false) {
        return;
    }
    let d = bbroot();
    inroot(&d, &["adduser", "-D", "alice"]).ok();
    assert_eq!(
        line_of(&d, "passwd", "alice").unwrap(),
        "alice:x:1000:1000:Linux User,,,:/home/alice:/bin/sh"
    );
    assert_eq!(line_of(&d, "group", "alice").unwrap(), "alice:x:1000:");
    assert_eq!(line_of(&d, "gshadow", "alice").unwrap(), "alice:!::");
    assert_eq!(
        line_of(&d, "shadow", "alice").unwrap(),
        "alice:!:DAY:0:99999:7:::"
    );
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(d.join("home/alice")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o2755, 1000, 1000));
    let p = std::fs::symlink_metadata(d.join("home/alice/.profile")).unwrap();
    assert_eq!((p.uid(), p.gid()), (1000, 1000));
    let l = std::fs::symlink_metadata(d.join("home/alice/link")).unwrap();
    assert!(l.file_type().is_symlink());
    assert_eq!(l.uid(), 1000);
    // The real /etc/passwd the link names was not given away.
    assert_eq!(std::fs::metadata(d.join("etc/passwd")).unwrap().uid(), 0);

    // The next uid is free as a gid too; a taken name is refused.
    inroot(&d, &["adduser", "-D", "-H", "bob"]).ok();
    assert_eq!(
        line_of(&d, "passwd", "bob").unwrap(),
        "bob:x:1001:1001:Linux User,,,:/home/bob:/bin/sh"
    );
    assert!(!d.join("home/bob").exists());
    inroot(&d, &["adduser", "-D", "alice"])
        .code(1)
        .stderr_is("adduser: user 'alice' in use\n");
    inroot(&d, &["adduser", "-D", "-u", "1000", "carol"])
        .code(1)
        .stderr_is("adduser: uid '1000' in use\n");
    inroot(&d, &["adduser", "-D", "-G", "nosuch", "carol"])
        .code(1)
        .stderr_is("adduser: unknown group nosuch\n");
    inroot(&d, &["adduser", "-D", "-bad"]).code(1);
    inroot(&d, &["adduser", "-D", "a:b"])
        .code(1)
        .stderr_is("adduser: illegal character with code 58 at position 1\n");
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn adduser_system_and_options() {
    if !root_ok(false) {
        return;
    }
    let d = bbroot();
    inroot(&d, &["adduser", "-S", "-D", "-H", "svc"]).ok();
    assert_eq!(
        line_of(&d, "passwd", "svc").unwrap(),
        "svc:x:100:65534:Linux User,,,:/home/svc:/bin/false"
    );
    assert_eq!(
        line_of(&d, "group", "nogroup").unwrap(),
        "nogroup:x:65534:svc"
    );
    inroot(
        &d,
        &[
            "adduser", "-D", "-H", "-G", "users", "-u", "1500", "-h", "/srv/x", "-g", "G E", "-s",
            "/bin/ash", "dan",
        ],
    )
    .ok();
    assert_eq!(
        line_of(&d, "passwd", "dan").unwrap(),
        "dan:x:1500:100:G E:/srv/x:/bin/ash"
    );
    assert_eq!(line_of(&d, "group", "users").unwrap(), "users:x:100:dan");
    // `adduser USER GROUP`: membership only.
    inroot(&d, &["adduser", "svc", "daemon"]).ok();
    assert_eq!(line_of(&d, "group", "daemon").unwrap(), "daemon:x:1:svc");
    assert_eq!(line_of(&d, "gshadow", "daemon").unwrap(), "daemon:*::svc");
    inroot(&d, &["adduser", "svc", "daemon"]).ok();
    assert_eq!(line_of(&d, "group", "daemon").unwrap(), "daemon:x:1:svc");
    inroot(&d, &["adduser"]).code(1);
    // An empty home: mkdir's error after the account is written (as BusyBox), not a panic.
    let o = inroot(&d, &["adduser", "-D", "-h", "", "eve"]);
    assert_eq!(o.code, 1, "{}", o.err());
    assert_eq!(o.err(), "adduser: : No such file or directory\n");
}

/// Debian's adduser/addgroup long options, as Debian-based Dockerfiles spell them (nginx's:
/// `--system --disabled-login --ingroup G --no-create-home --home H --gecos C --shell S --uid N`).
#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn adduser_debian_long_options() {
    if !root_ok(false) {
        return;
    }
    let d = bbroot();
    inroot(
        &d,
        &["addgroup", "--quiet", "--system", "--gid", "101", "web"],
    )
    .ok();
    inroot(
        &d,
        &[
            "adduser",
            "--system",
            "--disabled-login",
            "--ingroup",
            "web",
            "--no-create-home",
            "--home",
            "/nonexistent",
            "--gecos",
            "web user",
            "--shell",
            "/bin/false",
            "--uid",
            "101",
            "web",
        ],
    )
    .ok();
    assert_eq!(
        line_of(&d, "passwd", "web").unwrap(),
        "web:x:101:101:web user:/nonexistent:/bin/false"
    );
    assert!(!d.join("nonexistent").exists());
    // --group with --system: a group of the user's name, not nogroup; --gid sets its number.
    inroot(
        &d,
        &["adduser", "--system", "--group", "--no-create-home", "app"],
    )
    .ok();
    assert_eq!(
        line_of(&d, "passwd", "app").unwrap(),
        "app:x:102:102:Linux User,,,:/home/app:/bin/false"
    );
    assert_eq!(line_of(&d, "group", "app").unwrap(), "app:x:102:");
    inroot(
        &d,
        &[
            "adduser",
            "--system",
            "--group",
            "--gid",
            "555",
            "-H",
            "--comment",
            "C",
            "db",
        ],
    )
    .ok();
    assert_eq!(line_of(&d, "group", "db").unwrap(), "db:x:555:");
    assert_eq!(gid_of(&d, "db"), "555");
    assert_eq!(
        line_of(&d, "passwd", "db").unwrap().split(':').nth(4),
        Some("C")
    );
    // --gid alone names an existing group by number; an unknown number is refused.
    inroot(&d, &["adduser", "-D", "-H", "--gid", "100", "eve"]).ok();
    assert_eq!(gid_of(&d, "eve"), "100");
    inroot(&d, &["adduser", "-D", "-H", "--gid", "4242", "fay"])
        .code(1)
        .stderr_is("adduser: unknown group 4242\n");
    inroot(
        &d,
        &[
            "adduser", "-D", "-H", "--group", "--gid", "555", "-S", "gus",
        ],
    )
    .code(1)
    .stderr_is("adduser: gid '555' in use\n");
    // `adduser --group NAME` alone adds a group.
    inroot(&d, &["adduser", "--group", "--gid", "777", "staff2"]).ok();
    assert_eq!(line_of(&d, "group", "staff2").unwrap(), "staff2:x:777:");
    assert!(line_of(&d, "passwd", "staff2").is_none());
}

fn gid_of(d: &TempDir, user: &str) -> String {
    line_of(d, "passwd", user)
        .unwrap()
        .split(':')
        .nth(3)
        .unwrap()
        .to_string()
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn addgroup_busybox() {
    if !root_ok(false) {
        return;
    }
    let d = bbroot();
    inroot(&d, &["addgroup", "g1"]).ok();
    assert_eq!(line_of(&d, "group", "g1").unwrap(), "g1:x:1000:");
    assert_eq!(line_of(&d, "gshadow", "g1").unwrap(), "g1:!::");
    inroot(&d, &["addgroup", "-S", "sg"]).ok();
    assert_eq!(line_of(&d, "group", "sg").unwrap(), "sg:x:101:");
    inroot(&d, &["addgroup", "-g", "2000", "g2"]).ok();
    assert_eq!(line_of(&d, "group", "g2").unwrap(), "g2:x:2000:");
    inroot(&d, &["addgroup", "-g", "2000", "g3"])
        .code(1)
        .stderr_is("addgroup: gid '2000' in use\n");
    inroot(&d, &["addgroup", "g1"])
        .code(1)
        .stderr_is("addgroup: group 'g1' in use\n");
    inroot(&d, &["addgroup", "daemon", "g1"]).ok();
    inroot(&d, &["addgroup", "nobody", "g1"]).ok();
    assert_eq!(
        line_of(&d, "group", "g1").unwrap(),
        "g1:x:1000:daemon,nobody"
    );
    inroot(&d, &["addgroup", "nosuchuser", "g1"])
        .code(1)
        .stderr_is("addgroup: unknown user nosuchuser\n");
    inroot(&d, &["addgroup", "daemon", "nosuchgroup"])
        .code(1)
        .stderr_is("addgroup: unknown group nosuchgroup\n");
}

#[cfg_attr(
    rbox_unprivileged,
    ignore = "needs root: run as root, see README \"Two commands\""
)]
#[test]
fn refused_when_not_root() {
    if !root_ok(false) {
        return;
    }
    for t in ["adduser", "addgroup"] {
        applet_as(65534, t)
            .arg("x")
            .run()
            .code(1)
            .stderr_is(format!("{t}: permission denied (are you root?)\n"));
    }
}
