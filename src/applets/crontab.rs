//! `crontab`: install, list, edit or remove a user's cron table, as BusyBox 1.35's
//! (`crontab [-c DIR] [-u USER] [-ler]|[FILE]`).
//!
//! - `-l` prints DIR/USER (`crontab: can't open 'USER': No such file or directory`, status 1);
//!   `-r` (also `-d`) removes it (no message when there is none); `FILE` (`-`: standard
//!   input) replaces it, FILE opened with the user's ids; `-e` copies it to `DIR.PID` (owned
//!   by the user), runs `$VISUAL`, else `$EDITOR`, else `vi` on it as the user (groups, gid,
//!   uid; HOME, SHELL, USER, LOGNAME from /etc/passwd; in the home, else /tmp), then installs
//!   the result whatever the editor's status. `-c DIR`: the spool (/var/spool/cron/crontabs);
//!   `-u USER` (`crontab: unknown user USER`).
//! - A new table is written to `DIR/USER.new` (mode 0600) and renamed over DIR/USER; then
//!   USER is appended to DIR/cron.update (created 0600) so that crond reloads it, and written
//!   again if crond removed the file meanwhile. Failures there are messages with status 0, as
//!   BusyBox (`can't create DIR/USER.new`, `can't append to DIR/cron.update`).
//! - Usage errors (no operation, two of `-l -e -r`, more than one operand, an unknown option)
//!   print the usage on stderr, status 1; `--help` the usage on stderr, status 0.
//! - Deviations: only root may use `-u` (`crontab: you must be root`; BusyBox checks this only
//!   when installed setuid), and `-c` too when rbox runs setuid. Temporary files are created
//!   with O_EXCL and O_NOFOLLOW (a stale one is removed first) so a planted symlink cannot
//!   redirect the write.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::exec::{self, Ran};
use crate::common::help::{help_text, Help};
use crate::common::io::{stderr_fd, stdin_fd, write_all};
use crate::common::passwd::{self, Passwd};
use crate::common::sys::fd::{self, AsFd, BorrowedFd, OwnedFd};
use crate::common::sys::fs as sfs;
use crate::common::sys::process::{self as sp, Fork};
use crate::common::sys::user as u;
use crate::common::{ctx::strerror, Ctx, Error, Result};

const OPTS: &[Opt] = &[
    Opt::arg("u", Some(b'u'), None),
    Opt::arg("c", Some(b'c'), None),
    Opt::flag("l", Some(b'l'), None),
    Opt::flag("e", Some(b'e'), None),
    Opt::flag("r", Some(b'r'), None),
    Opt::flag("r", Some(b'd'), None),
    Opt::flag("help", None, Some("help")),
];

const USAGE: Help = help_text!(
    "\
Usage: crontab [-c DIR] [-u USER] [-ler]|[FILE]

\t-c\tCrontab directory
\t-u\tUser
\t-l\tList crontab
\t-e\tEdit crontab
\t-r\tDelete crontab
\tFILE\tReplace crontab by FILE ('-': stdin)
"
);

fn usage(code: i32) -> Error {
    let _ = write_all(stderr_fd(), &USAGE.bytes());
    Error::silent(code)
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn open_err(name: &[u8], e: &std::io::Error) -> Error {
    Error::new(1, crate::common::ctx::cant_open(name, e))
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let (mut user, mut dir, mut op, mut ops) = (None, None, 0u8, Vec::new());
    for a in Getopt::new(&argv, OPTS, Order::Permute) {
        match a {
            Err(m) => {
                ctx.msg(&m);
                return Err(usage(1));
            }
            Ok(Arg::Operand(o)) => ops.push(o.into_vec()),
            Ok(Arg::Opt(o, v)) => match o.id() {
                "help" => return Err(usage(0)),
                "u" => user = v.map(OsString::into_vec),
                "c" => dir = v.map(OsString::into_vec),
                "l" => op |= 1,
                "e" => op |= 2,
                _ => op |= 4,
            },
        }
    }
    if ops.len() > 1 {
        return Err(usage(1));
    }
    let (ruid, euid, _) = u::getresuid();
    if (user.is_some() && ruid != 0) || (ruid != euid && dir.is_some()) {
        return Err(Error::new(1, "you must be root"));
    }
    let pw = match &user {
        Some(n) => passwd::getpwnam(n).ok_or_else(|| Error::new(1, cat(&[b"unknown user ", n])))?,
        None => {
            passwd::getpwuid(ruid).ok_or_else(|| Error::new(1, format!("unknown uid {ruid}")))?
        }
    };
    if op & op.wrapping_sub(1) != 0 {
        return Err(usage(1));
    }
    let dir = dir.unwrap_or_else(|| b"/var/spool/cron/crontabs".to_vec());
    let mut src: Option<OwnedFd> = None;
    if op == 0 {
        let Some(f) = ops.first() else {
            return Err(usage(1));
        };
        if f != b"-" {
            src = Some(open_as(&pw, f).map_err(|e| open_err(f, &e))?);
        }
    }
    let d = fd::open(
        &dir,
        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
        0,
    )
    .map_err(|e| {
        Error::new(
            1,
            cat(&[
                b"can't change directory to '",
                &dir,
                b"': ",
                strerror(&e).as_bytes(),
            ]),
        )
    })?;
    let name = &pw.name[..];
    let mut tmp = None;
    match op {
        1 => {
            let f = fd::openat(d.as_fd(), name, libc::O_RDONLY | libc::O_CLOEXEC, 0)
                .map_err(|e| open_err(name, &e))?;
            let mut buf = Vec::new();
            fd::read_to_end(f.as_fd(), &mut buf).map_err(|e| Error::io(1, "read error", &e))?;
            ctx.out.write_all(&buf)?;
            return Ok(());
        }
        4 => {
            let _ = sfs::unlinkat(d.as_fd(), name, 0);
        }
        _ => {
            if op == 2 {
                let t = cat(&[&dir, format!(".{}", std::process::id()).as_bytes()]);
                let f = create(fd::cwd(), &t, libc::O_RDWR).map_err(|e| open_err(&t, &e))?;
                let _ = sfs::fchown(f.as_fd(), pw.uid, pw.gid);
                if let Ok(old) = fd::openat(d.as_fd(), name, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                    let mut buf = Vec::new();
                    let _ = fd::read_to_end(old.as_fd(), &mut buf);
                    let _ = fd::write_all(f.as_fd(), &buf);
                }
                drop(f);
                edit(&pw, &t)?;
                // Editors may save by renaming a new file over it: open it again.
                src = Some(
                    fd::open(&t, libc::O_RDONLY | libc::O_CLOEXEC, 0)
                        .map_err(|e| open_err(&t, &e))?,
                );
                tmp = Some(t);
            }
            let mut text = Vec::new();
            let from = src.as_ref().map_or(stdin_fd(), |f| f.as_fd());
            fd::read_to_end(from, &mut text).map_err(|e| Error::io(1, "read error", &e))?;
            let new = cat(&[name, b".new"]);
            let written = create(d.as_fd(), &new, libc::O_WRONLY)
                .and_then(|f| fd::write_all(f.as_fd(), &text));
            match written {
                Ok(()) => sfs::renameat(d.as_fd(), &new, d.as_fd(), name).map_err(|e| {
                    let m = cat(&[b"can't move '", &new, b"' to '", name, b"'"]);
                    Error::new(1, cat(&[&m, b": ", strerror(&e).as_bytes()]))
                })?,
                Err(_) => {
                    let _ = sfs::unlinkat(d.as_fd(), &new, 0);
                    ctx.msg(&cat(&[b"can't create ", &dir, b"/", &new]));
                }
            }
            if let Some(t) = tmp {
                let _ = sfs::unlinkat(fd::cwd(), &t, 0);
            }
        }
    }
    // Tell crond; write again if it took the file away before seeing our line.
    let flags =
        libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    loop {
        match fd::openat(d.as_fd(), b"cron.update", flags, 0o600) {
            Ok(f) => {
                let _ = fd::write_all(f.as_fd(), &cat(&[name, b"\n"]));
                if fd::fstat(f.as_fd()).map_or(true, |s| s.st_nlink != 0) {
                    break;
                }
            }
            Err(_) => {
                ctx.msg(&cat(&[b"can't append to ", &dir, b"/cron.update"]));
                break;
            }
        }
    }
    Ok(())
}

/// A new file (mode 0600) that no symlink or stale file can redirect.
fn create(d: BorrowedFd, name: &[u8], acc: i32) -> std::io::Result<OwnedFd> {
    let flags = acc | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    fd::openat(d, name, flags, 0o600).or_else(|e| {
        if e.raw_os_error() != Some(libc::EEXIST) {
            return Err(e);
        }
        sfs::unlinkat(d, name, 0)?;
        fd::openat(d, name, flags, 0o600)
    })
}

/// `file` opened for reading with the user's gid and uid as the effective ids.
fn open_as(pw: &Passwd, file: &[u8]) -> std::io::Result<OwnedFd> {
    let (_, euid, _) = u::getresuid();
    let (_, egid, _) = u::getresgid();
    let keep = u32::MAX;
    let switch = euid == 0 && pw.uid != 0;
    if switch {
        u::setresgid(keep, pw.gid, keep)?;
        u::setresuid(keep, pw.uid, keep)?;
    }
    let r = fd::open(file, libc::O_RDONLY | libc::O_CLOEXEC, 0);
    if switch {
        u::setresuid(keep, euid, keep)?;
        u::setresgid(keep, egid, keep)?;
    }
    r
}

/// Run the editor on `file` as the user, and wait for it.
fn edit(pw: &Passwd, file: &[u8]) -> Result<()> {
    let mut env = exec::environ();
    let ed = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|k| exec::env_get(&env, k.as_bytes()).map(<[u8]>::to_vec))
        .unwrap_or_else(|| b"vi".to_vec());
    let shell = if pw.shell.is_empty() {
        b"/bin/sh".to_vec()
    } else {
        pw.shell.clone()
    };
    for (k, v) in [
        (&b"HOME"[..], &pw.dir),
        (b"SHELL", &shell),
        (b"USER", &pw.name),
        (b"LOGNAME", &pw.name),
    ] {
        env.retain(|x| !(x.starts_with(k) && x.get(k.len()) == Some(&b'=')));
        env.push(cat(&[k, b"=", v]));
    }
    match sp::fork().map_err(|e| Error::io(1, "vfork", &e))? {
        Fork::Child => {
            let fail = |m: Vec<u8>, st| -> ! {
                let _ = write_all(stderr_fd(), &cat(&[b"crontab: ", &m, b"\n"]));
                sp::exit_now(st)
            };
            if u::getresuid().1 == 0 {
                if let Err((_, e)) = passwd::become_user(pw) {
                    fail(
                        format!("can't set groups: {}", strerror(&e)).into_bytes(),
                        1,
                    );
                }
            }
            if sp::chdir(&pw.dir).is_err() {
                let _ = sp::chdir(b"/tmp");
            }
            let st = match exec::exec(&[ed.clone(), file.to_vec()], &env) {
                Ran::Applet(st) => st,
                Ran::Failed(e) => {
                    let m = cat(&[b"can't execute '", &ed, b"': ", strerror(&e).as_bytes()]);
                    fail(m, exec::failed_status(&e))
                }
            };
            sp::exit_now(st)
        }
        Fork::Parent(pid) => {
            while let Err(e) = sp::waitpid(pid, 0) {
                if e.kind() != std::io::ErrorKind::Interrupted {
                    break;
                }
            }
            Ok(())
        }
    }
}
