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

use std::os::fd::{AsFd, AsRawFd};

use super::sys::fd::{self, OwnedFd};
use super::sys::process::{self as sp, Exec, Pid, WaitStatus};

/// The search path a shell sets when it starts without `PATH` (dash's and BusyBox ash's), also
/// `command -p`'s and `which`'s without one (Debian's which runs under dash).
pub const SHELL_DEFAULT_PATH: &[u8] =
    b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The process environment as `NAME=VALUE` entries, in environ order.
pub fn environ() -> Vec<Vec<u8>> {
    super::sys::process::environ_raw()
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

impl Ran {
    /// The status the command's runner ends with: its own, or POSIX's 127 for a command not
    /// found and 126 for one found but not runnable (the shell's, GNU's and util-linux's).
    pub fn status(self) -> Result<i32, (i32, io::Error)> {
        match self {
            Ran::Applet(st) => Ok(st),
            Ran::Failed(e) => Err((failed_status(&e), e)),
        }
    }
}

/// 127 when a command could not be run because it was not found, else 126.
pub fn failed_status(e: &io::Error) -> i32 {
    if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    }
}

/// GNU's words for a command that could not be run (nohup, timeout, chroot): `failed to run
/// command 'NAME': ERROR`.
pub fn failed_to_run(name: &[u8], e: &io::Error) -> Vec<u8> {
    let mut m = b"failed to run command ".to_vec();
    m.extend_from_slice(&super::quote::quote_locale(name));
    m.extend_from_slice(b": ");
    m.extend_from_slice(super::ctx::strerror(e).as_bytes());
    m
}

/// A command line kept as execve(2) takes it: each argument NUL-terminated, one after the
/// other. xargs gathers thousands: one buffer instead of one allocation each, and the child's
/// exec points into it instead of copying it.
#[derive(Clone, Default)]
pub struct Argv {
    buf: Vec<u8>,
    starts: Vec<u32>,
}

impl Argv {
    /// Appends `a` (one holding a NUL is passed as an empty string, as [`Exec::new`] does).
    pub fn push(&mut self, a: &[u8]) {
        self.starts.push(self.buf.len() as u32);
        if !a.contains(&0) {
            self.buf.extend_from_slice(a);
        }
        self.buf.push(0);
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Argument `i`, without its NUL.
    pub fn get(&self, i: usize) -> &[u8] {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.buf.len(), |&e| e as usize);
        &self.buf[start..end - 1]
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Keeps the first `n` arguments.
    pub fn truncate(&mut self, n: usize) {
        if n < self.len() {
            self.buf.truncate(self.starts[n] as usize);
            self.starts.truncate(n);
        }
    }
}

/// The arguments of a command, as a list or as an [`Argv`].
#[derive(Clone, Copy)]
enum Args<'a> {
    List(&'a [Vec<u8>]),
    Flat(&'a Argv),
}

impl<'a> Args<'a> {
    fn first(self) -> &'a [u8] {
        match self {
            Args::List(l) => l.first().map_or(&b""[..], Vec::as_slice),
            Args::Flat(a) if a.is_empty() => b"",
            Args::Flat(a) => a.get(0),
        }
    }

    fn to_vecs(self) -> Vec<Vec<u8>> {
        match self {
            Args::List(l) => l.to_vec(),
            Args::Flat(a) => a.iter().map(<[u8]>::to_vec).collect(),
        }
    }

    fn exec(self, path: &[u8], env: &[CString]) -> io::Result<Exec<'a>> {
        match self {
            Args::List(l) => Exec::new(path, l, env),
            Args::Flat(a) => Exec::flat(path, &a.buf, &a.starts, env),
        }
    }
}

/// Run `argv` with the environment `env` (`NAME=VALUE` entries): replaces the process, or
/// says why not. Only the caller's exit status follows it.
pub fn exec(argv: &[Vec<u8>], env: &[Vec<u8>]) -> Ran {
    exec_then(Args::List(argv), env, || {})
}

/// [`exec`], calling `before_applet` when the command is an applet about to run here.
fn exec_then(argv: Args, env: &[Vec<u8>], before_applet: impl FnOnce()) -> Ran {
    let name = argv.first();
    let cenv = c_env(env);
    let err = search(name, argv, &cenv);
    if err.raw_os_error() == Some(libc::ENOENT) && !name.contains(&b'/') && !name.is_empty() {
        if let Some(a) = crate::applets::find(name) {
            before_applet();
            set_environ(env);
            let args: Vec<OsString> = argv.to_vecs().into_iter().map(OsString::from_vec).collect();
            return Ran::Applet(crate::multicall::run_applet(a, args));
        }
    }
    Ran::Failed(err)
}

/// Run `name` (searched as [`exec`] searches it) with an `argv[0]` of its own, as `su` runs
/// a login shell (`-sh`): replaces the process, or says why not.
pub fn exec_named(name: &[u8], argv: &[Vec<u8>], env: &[Vec<u8>]) -> io::Error {
    search(name, Args::List(argv), &c_env(env))
}

fn c_env(env: &[Vec<u8>]) -> Vec<CString> {
    env.iter()
        .filter_map(|e| CString::new(e.clone()).ok())
        .collect()
}

/// Where a spawned command's standard input or output goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Io {
    /// This process's own.
    Inherit,
    /// `/dev/null`.
    Null,
    /// A pipe, whose other end [`Child`] holds.
    Pipe,
}

/// A command started by [`spawn`]: its pid and this side of the pipes asked for.
pub struct Child {
    pub pid: Pid,
    pub stdin: Option<OwnedFd>,
    pub stdout: Option<OwnedFd>,
}

impl Child {
    /// Closes this side of its standard input (the command sees its end) and waits for it.
    pub fn wait(&mut self) -> io::Result<WaitStatus> {
        self.stdin = None;
        loop {
            match sp::waitpid(self.pid, 0) {
                Ok(Some((_, st))) => return Ok(st),
                Ok(None) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// Starts `argv` with this process's environment (and `extra`, `NAME=VALUE`, added) while this
/// process goes on — what `std::process::Command::spawn` did for xargs, awk, sed and run-parts,
/// without its second exec machinery in the binary. `path` is run exactly (execve); without
/// one, `argv[0]` is found as [`exec`] finds it (PATH, `/bin/sh` for a file without `#!`, rbox's
/// applets last, as GNU xargs' execvp). A program that cannot be run is this call's error, as
/// std's: the child sends the errno back through a close-on-exec pipe.
pub fn spawn(
    path: Option<&[u8]>,
    argv: &[Vec<u8>],
    extra: Option<Vec<u8>>,
    stdin: Io,
    stdout: Io,
) -> io::Result<Child> {
    spawn_args(path, Args::List(argv), extra, stdin, stdout)
}

/// [`spawn`] with the arguments as an [`Argv`] (xargs).
pub fn spawn_argv(
    path: Option<&[u8]>,
    argv: &Argv,
    extra: Option<Vec<u8>>,
    stdin: Io,
    stdout: Io,
) -> io::Result<Child> {
    spawn_args(path, Args::Flat(argv), extra, stdin, stdout)
}

fn spawn_args(
    path: Option<&[u8]>,
    argv: Args,
    extra: Option<Vec<u8>>,
    stdin: Io,
    stdout: Io,
) -> io::Result<Child> {
    let mut env = environ();
    if let Some(e) = extra {
        let name = &e[..e.iter().position(|&c| c == b'=').unwrap_or(e.len()) + 1];
        env.retain(|v| !v.starts_with(name));
        env.push(e);
    }
    let direct = match path {
        Some(p) => Some(argv.exec(p, &c_env(&env))?),
        None => None,
    };
    let pipe_for = |io: Io| match io {
        Io::Pipe => fd::pipe().map(Some),
        _ => Ok(None),
    };
    let inp = pipe_for(stdin)?;
    let outp = pipe_for(stdout)?;
    let (report_r, report_w) = fd::pipe()?;
    match sp::fork()? {
        sp::Fork::Child => {
            drop(report_r);
            // Everything opened here is close-on-exec; a descriptor that already has its
            // target number (0 or 1 was closed) loses the flag instead of being copied.
            let mut nulls = Vec::new();
            let mut wire = |io: Io, end: Option<&OwnedFd>, target: i32, flags: i32| {
                let src = match (io, end) {
                    (Io::Pipe, Some(e)) => e.as_fd(),
                    (Io::Null, _) => {
                        let n = fd::open(b"/dev/null", flags | libc::O_CLOEXEC, 0)?;
                        nulls.push(n);
                        nulls[nulls.len() - 1].as_fd()
                    }
                    _ => return Ok(()),
                };
                if src.as_raw_fd() == target {
                    fd::set_cloexec(src, false)
                } else {
                    fd::dup2(src, target)
                }
            };
            let wired = wire(stdin, inp.as_ref().map(|p| &p.0), 0, libc::O_RDONLY)
                .and_then(|()| wire(stdout, outp.as_ref().map(|p| &p.1), 1, libc::O_WRONLY));
            let err = match (wired, direct) {
                (Err(e), _) => e,
                (Ok(()), Some(x)) => x.exec(),
                // An applet runs here: first what an exec would close, the report pipe too.
                (Ok(()), None) => match exec_then(argv, &env, sp::close_cloexec_fds) {
                    Ran::Applet(st) => sp::exit_now(st),
                    Ran::Failed(e) => e,
                },
            };
            let code = e_code(&err);
            let _ = fd::write_all(report_w.as_fd(), &code.to_ne_bytes());
            sp::exit_now(127)
        }
        sp::Fork::Parent(pid) => {
            drop(report_w);
            let mut b = [0u8; 4];
            let mut n = 0;
            while n < 4 {
                match fd::read(report_r.as_fd(), &mut b[n..]) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => n += k,
                }
            }
            if n == 4 {
                let _ = Child {
                    pid,
                    stdin: None,
                    stdout: None,
                }
                .wait();
                return Err(io::Error::from_raw_os_error(i32::from_ne_bytes(b)));
            }
            Ok(Child {
                pid,
                stdin: inp.map(|p| p.1),
                stdout: outp.map(|p| p.0),
            })
        }
    }
}

fn e_code(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(libc::EIO)
}

fn search(name: &[u8], argv: Args, env: &[CString]) -> io::Error {
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
fn try_one(path: &[u8], argv: Args, env: &[CString]) -> io::Error {
    let e = match argv.exec(path, env) {
        Ok(x) => x.exec(),
        Err(e) => return e,
    };
    if e.raw_os_error() != Some(libc::ENOEXEC) {
        return e;
    }
    let mut sh = vec![b"/bin/sh".to_vec(), path.to_vec()];
    sh.extend(argv.to_vecs().into_iter().skip(1));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_keeps_arguments_nul_terminated_and_cuts_back() {
        let mut a = Argv::default();
        for w in [&b"echo"[..], b"", b"two words", b"nul\0inside"] {
            a.push(w);
        }
        assert_eq!(a.len(), 4);
        let got: Vec<&[u8]> = a.iter().collect();
        assert_eq!(got, [&b"echo"[..], b"", b"two words", b""]);
        assert_eq!(a.buf, b"echo\0\0two words\0\0");
        a.truncate(1);
        a.push(b"x");
        assert_eq!(a.iter().collect::<Vec<_>>(), [&b"echo"[..], b"x"]);
        assert_eq!(a.buf, b"echo\0x\0");
    }

    #[test]
    fn spawn_pipes_statuses_and_exec_errors() {
        let argv = [b"sh".to_vec(), b"-c".to_vec(), b"tr a b; exit 3".to_vec()];
        let mut c = spawn(Some(b"/bin/sh"), &argv, None, Io::Pipe, Io::Pipe).unwrap();
        fd::write_all(c.stdin.take().unwrap().as_fd(), b"aaa").unwrap();
        let mut out = Vec::new();
        fd::read_to_end(c.stdout.take().unwrap().as_fd(), &mut out).unwrap();
        assert_eq!(out, b"bbb");
        assert_eq!(c.wait().unwrap().exit_code(), Some(3));

        let argv = [b"env".to_vec()];
        let extra = Some(b"RBOX_SPAWN_T=1".to_vec());
        let mut c = spawn(Some(b"/usr/bin/env"), &argv, extra, Io::Null, Io::Pipe).unwrap();
        let mut out = Vec::new();
        fd::read_to_end(c.stdout.take().unwrap().as_fd(), &mut out).unwrap();
        assert!(out.split(|&b| b == b'\n').any(|l| l == b"RBOX_SPAWN_T=1"));
        assert_eq!(c.wait().unwrap().exit_code(), Some(0));

        let none = [b"rbox-no-such-command-x".to_vec()];
        let e = spawn(None, &none, None, Io::Inherit, Io::Inherit)
            .err()
            .unwrap();
        assert_eq!(e.raw_os_error(), Some(libc::ENOENT));
        let e = spawn(Some(b"/etc/passwd"), &none, None, Io::Null, Io::Null)
            .err()
            .unwrap();
        assert_eq!(e.raw_os_error(), Some(libc::EACCES));
    }
}
