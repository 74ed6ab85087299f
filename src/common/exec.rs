//! Running a command the way C's `execvp` finds it, for the applets that run one (`env`,
//! `timeout`, and later `xargs`, `nice`): the name as a path when it holds a `/`, else each
//! `PATH` directory in turn (`PATH` from the environment the command gets; without one glibc's
//! default `/bin:/usr/bin`), a file without `#!` run by `/bin/sh`, `EACCES` remembered while
//! the search goes on. A name found nowhere on `PATH` that is an rbox applet runs from this
//! binary, in this process, as the shell runs it: an image holding only rbox still runs
//! `env FOO=1 ls` and `timeout 5 wget ...`.

use std::ffi::{CString, OsString};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::sys::process::Exec;

/// The process environment as `NAME=VALUE` entries, in environ order.
pub fn environ() -> Vec<Vec<u8>> {
    std::env::vars_os()
        .map(|(k, v)| {
            let mut e = k.into_vec();
            e.push(b'=');
            e.extend_from_slice(v.as_bytes());
            e
        })
        .collect()
}

/// The value of `name` in an environment block.
pub fn env_get<'a>(env: &'a [Vec<u8>], name: &[u8]) -> Option<&'a [u8]> {
    env.iter()
        .find_map(|e| e.strip_prefix(name).and_then(|r| r.strip_prefix(b"=")))
}

/// What running a command came to when it did not replace the process.
pub enum Ran {
    /// The command was an rbox applet and ran here: its exit status.
    Applet(i32),
    /// It could not be run (`ENOENT`: not found; anything else: found but not runnable).
    Failed(io::Error),
}

/// Run `argv` with the environment `env` (`NAME=VALUE` entries): replaces the process, or
/// says why not. Only the caller's exit status follows it.
pub fn exec(argv: &[Vec<u8>], env: &[Vec<u8>]) -> Ran {
    let name = argv.first().map(Vec::as_slice).unwrap_or(b"");
    let cenv: Vec<CString> = env
        .iter()
        .filter_map(|e| CString::new(e.clone()).ok())
        .collect();
    let err = search(name, argv, &cenv);
    if err.raw_os_error() == Some(libc::ENOENT) && !name.contains(&b'/') && !name.is_empty() {
        if let Some(a) = crate::applets::find(name) {
            set_environ(env);
            let args: Vec<OsString> = argv.iter().map(|a| OsString::from_vec(a.clone())).collect();
            return Ran::Applet(crate::multicall::run_applet(a, args));
        }
    }
    Ran::Failed(err)
}

/// Run `name` (searched as [`exec`] searches it) with an `argv[0]` of its own, as `su` runs
/// a login shell (`-sh`): replaces the process, or says why not.
pub fn exec_named(name: &[u8], argv: &[Vec<u8>], env: &[Vec<u8>]) -> io::Error {
    let cenv: Vec<CString> = env
        .iter()
        .filter_map(|e| CString::new(e.clone()).ok())
        .collect();
    search(name, argv, &cenv)
}

fn search(name: &[u8], argv: &[Vec<u8>], env: &[CString]) -> io::Error {
    if name.is_empty() {
        return io::Error::from_raw_os_error(libc::ENOENT);
    }
    if name.contains(&b'/') {
        return try_one(name, argv, env);
    }
    let path = env
        .iter()
        .find_map(|e| e.as_bytes().strip_prefix(b"PATH="))
        .unwrap_or(b"/bin:/usr/bin");
    let mut eacces = false;
    let mut last = io::Error::from_raw_os_error(libc::ENOENT);
    let mut buf = Vec::with_capacity(64);
    for dir in path.split(|&c| c == b':') {
        buf.clear();
        if !dir.is_empty() {
            buf.extend_from_slice(dir);
            buf.push(b'/');
        }
        buf.extend_from_slice(name);
        let e = try_one(&buf, argv, env);
        match e.raw_os_error() {
            Some(libc::EACCES) => eacces = true,
            Some(libc::ENOENT | libc::ESTALE | libc::ENOTDIR | libc::ENODEV | libc::ETIMEDOUT) => {}
            _ => return e,
        }
        last = e;
    }
    if eacces {
        io::Error::from_raw_os_error(libc::EACCES)
    } else {
        last
    }
}

/// execve one path; a file the kernel cannot run (no `#!`) goes to `/bin/sh` as glibc does.
fn try_one(path: &[u8], argv: &[Vec<u8>], env: &[CString]) -> io::Error {
    let e = match Exec::new(path, argv, env) {
        Ok(x) => x.exec(),
        Err(e) => return e,
    };
    if e.raw_os_error() != Some(libc::ENOEXEC) {
        return e;
    }
    let mut sh = vec![b"/bin/sh".to_vec(), path.to_vec()];
    sh.extend(argv.iter().skip(1).cloned());
    match Exec::new(b"/bin/sh", &sh, env) {
        Ok(x) => {
            x.exec();
            e
        }
        Err(_) => e,
    }
}

/// Make the process environment exactly `env` (for an applet run in this process).
fn set_environ(env: &[Vec<u8>]) {
    let old: Vec<OsString> = std::env::vars_os().map(|(k, _)| k).collect();
    for k in old {
        std::env::remove_var(k);
    }
    for e in env {
        let (k, v) = match e.iter().skip(1).position(|&c| c == b'=') {
            Some(i) => (&e[..i + 1], &e[i + 2..]),
            None => continue,
        };
        if k.contains(&0) || v.contains(&0) {
            continue;
        }
        std::env::set_var(
            std::ffi::OsStr::from_bytes(k),
            std::ffi::OsStr::from_bytes(v),
        );
    }
}
