//! The multi-call dispatcher: pick the applet from basename(argv[0]) (a login shell's leading
//! `-` stripped) or, when invoked as `rbox`, `rbox-<anything>` or `busybox<anything>`, from the
//! first argument. The usage text heads the applet list with BusyBox's `Currently defined
//! functions:`, which tools that drive BusyBox (its own test runner) read.
//! Also `--help`, `--list`, `--list-full`, `--version` and `--install [-s] [DIR]`.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::applets::{self, Applet, APPLETS};
use crate::common::ctx::strerror;
use crate::common::io::{stderr_fd, stdout_fd, write_all};
use crate::common::sys;
use crate::common::Ctx;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Entry point of the binary: returns the process exit status.
pub fn run(args: Vec<OsString>) -> i32 {
    // Behave like a C tool on a closed pipe: die quietly of SIGPIPE (Rust ignores it by default,
    // which would turn `rbox cat big | head -1` into EPIPE errors), unless it came ignored.
    sys::signal::restore_sigpipe();
    let argv0 = args.first().cloned().unwrap_or_default();
    let base = applet_name(&argv0);
    if is_multiplexer(base) {
        return multiplexer(args);
    }
    match applets::find(base) {
        Some(a) => run_applet(a, args),
        None => not_found(base),
    }
}

/// basename of argv[0] without a login shell's leading `-`.
pub fn applet_name(argv0: &OsStr) -> &[u8] {
    let b = argv0.as_bytes();
    let base = match b.iter().rposition(|&c| c == b'/') {
        Some(i) => &b[i + 1..],
        None => b,
    };
    base.strip_prefix(b"-").unwrap_or(base)
}

/// `rbox`, `rbox-<anything>`, and BusyBox's own rule for its name (anything starting with
/// `busybox`), so a `busybox` link runs `busybox APPLET` lines of scripts written for BusyBox.
fn is_multiplexer(name: &[u8]) -> bool {
    name == b"rbox" || name.starts_with(b"rbox-") || name.starts_with(b"busybox")
}

/// Run an applet with a fresh context.
pub fn run_applet(a: &Applet, args: Vec<OsString>) -> i32 {
    let mut ctx = Ctx::new(a.name);
    (a.main)(args, &mut ctx)
}

/// BusyBox's wording: `NAME: applet not found`, status 127 (the name as given, bytes kept).
fn not_found(name: &[u8]) -> i32 {
    let mut m = name.to_vec();
    m.extend_from_slice(b": applet not found\n");
    let _ = write_all(stderr_fd(), &m);
    127
}

fn usage_text() -> String {
    let mut s = format!(
        "rbox {VERSION}: one static binary, many programs.\n\
         \n\
         Usage: rbox [APPLET [ARGUMENTS]...]\n\
         \x20  or: rbox --list[-full]\n\
         \x20  or: rbox --install [-s] [DIR]\n\
         \x20  or: rbox --version\n\
         \x20  or: APPLET [ARGUMENTS]...   (through a link named APPLET)\n\
         \n\
         \x20 --list        list the applets, one per line\n\
         \x20 --list-full   list the applets with their install paths\n\
         \x20 --install     link every applet into DIR (hard links; -s: symbolic links);\n\
         \x20               without DIR each applet goes to its usual /bin or /usr/bin\n\
         \n\
         Currently defined functions:\n"
    );
    let names: Vec<&str> = APPLETS.iter().map(|a| a.name).collect();
    s.push('\t');
    s.push_str(&names.join(", "));
    s.push('\n');
    s
}

fn print(s: &str) -> i32 {
    match write_all(stdout_fd(), s.as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = write_all(
                stderr_fd(),
                format!("rbox: write error: {}\n", strerror(&e)).as_bytes(),
            );
            1
        }
    }
}

fn multiplexer(args: Vec<OsString>) -> i32 {
    let Some(first) = args.get(1) else {
        return print(&usage_text());
    };
    match first.as_bytes() {
        b"--help" | b"-h" => match args.get(2) {
            Some(name) if is_multiplexer(name.as_bytes()) => print(&usage_text()),
            Some(name) => match applets::find(name.as_bytes()) {
                Some(a) => run_applet(a, vec![name.clone(), OsString::from("--help")]),
                None => not_found(name.as_bytes()),
            },
            None => print(&usage_text()),
        },
        b"--version" => print(&format!("rbox {VERSION}\n")),
        b"--list" => {
            let s: String = APPLETS.iter().map(|a| format!("{}\n", a.name)).collect();
            print(&s)
        }
        b"--list-full" => {
            let s: String = APPLETS
                .iter()
                .map(|a| format!("{}/{}\n", a.dir(), a.name))
                .collect();
            print(&s)
        }
        b"--install" => install(&args[0], &args[2..]),
        name => match applets::find(name) {
            Some(a) => run_applet(a, args[1..].to_vec()),
            None => not_found(name),
        },
    }
}

fn warn(msg: &[u8]) {
    let mut v = b"rbox: ".to_vec();
    v.extend_from_slice(msg);
    v.push(b'\n');
    let _ = write_all(stderr_fd(), &v);
}

fn path_msg(p: &Path, what: &str) -> Vec<u8> {
    let mut v = crate::common::quote::quote_if_needed(p.as_os_str().as_bytes());
    v.extend_from_slice(b": ");
    v.extend_from_slice(what.as_bytes());
    v
}

/// Where this binary is, without needing /proc (a scratch image may not mount it):
/// /proc/self/exe when available, else argv[0] when it holds a slash, else a PATH search.
pub fn self_path(argv0: &OsStr) -> Option<PathBuf> {
    if let Ok(p) = std::fs::read_link("/proc/self/exe") {
        if p.exists() {
            return Some(p);
        }
    }
    let b = argv0.as_bytes();
    if b.contains(&b'/') {
        let p = PathBuf::from(argv0);
        let p = if p.is_absolute() {
            p
        } else {
            std::env::current_dir().ok()?.join(p)
        };
        return p.exists().then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| OsString::from("/bin:/usr/bin"));
    for dir in path.as_bytes().split(|&c| c == b':') {
        let dir = if dir.is_empty() { &b"."[..] } else { dir };
        let cand = Path::new(OsStr::from_bytes(dir)).join(OsStr::from_bytes(b));
        if is_executable(&cand) {
            return Some(cand);
        }
    }
    None
}

fn is_executable(p: &Path) -> bool {
    sys::fd::access(p.as_os_str().as_bytes(), libc::X_OK) && p.is_file()
}

fn install(argv0: &OsStr, rest: &[OsString]) -> i32 {
    let mut symbolic = false;
    let mut dir: Option<PathBuf> = None;
    for a in rest {
        match a.as_bytes() {
            b"-s" => symbolic = true,
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => {
                warn(b"--install: too many arguments");
                return 1;
            }
        }
    }
    // A DIR that was named must exist (BusyBox creates none either): one clear message
    // instead of one per applet, and no tree made by a typo.
    if let Some(d) = &dir {
        match std::fs::metadata(d) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                warn(&path_msg(d, "Not a directory"));
                return 1;
            }
            Err(e) => {
                warn(&path_msg(d, &strerror(&e)));
                return 1;
            }
        }
    }
    let Some(me) = self_path(argv0) else {
        warn(b"--install: cannot find the rbox binary (run it by its path)");
        return 1;
    };
    let me_meta = match std::fs::metadata(&me) {
        Ok(m) => m,
        Err(e) => {
            warn(&path_msg(&me, &strerror(&e)));
            return 1;
        }
    };
    let mut status = 0;
    for a in APPLETS {
        let d = match &dir {
            Some(d) => d.clone(),
            None => Path::new("/").join(a.dir()),
        };
        if let Err(e) = crate::common::fs::mkdir_all(d.as_os_str().as_bytes()) {
            warn(&path_msg(&d, &strerror(&e)));
            status = 1;
            continue;
        }
        let link = d.join(a.name);
        if let Ok(m) = std::fs::symlink_metadata(&link) {
            let ours = std::fs::metadata(&link)
                .map(|t| t.dev() == me_meta.dev() && t.ino() == me_meta.ino())
                .unwrap_or(false);
            if ours {
                // Already a link to us: replace it so -s / no -s is what was asked for.
                if std::fs::remove_file(&link).is_err() {
                    continue;
                }
            } else {
                let what = if m.is_dir() {
                    "is a directory"
                } else {
                    "exists"
                };
                warn(&path_msg(&link, &format!("{what}, not replaced")));
                continue;
            }
        }
        let r = if symbolic {
            // Relative target when the link sits beside the binary: it survives moving the
            // tree (a chroot, an image layer).
            let target = if me.parent().map(|p| same_dir(p, &d)).unwrap_or(false) {
                PathBuf::from(me.file_name().unwrap_or_default())
            } else {
                me.clone()
            };
            std::os::unix::fs::symlink(&target, &link)
        } else {
            std::fs::hard_link(&me, &link)
        };
        if let Err(e) = r {
            warn(&path_msg(&link, &strerror(&e)));
            status = 1;
        }
    }
    status
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// For the shell: the path of our own binary to re-exec applets (EXEC mode).
pub fn own_exe(argv0: &OsStr) -> Option<OsString> {
    self_path(argv0).map(|p| p.into_os_string())
}
