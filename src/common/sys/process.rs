//! Processes: fork, exec, wait (with the status word decoded), kill, process groups and the
//! terminal's foreground group, ids, resource limits, umask, times. Thin wrappers over `libc`;
//! errors keep their errno. Nothing here allocates after a fork.

use std::ffi::CString;
use std::io;

use std::mem::MaybeUninit;

use super::fd::{cvt, with_cstr, AsRawFd, BorrowedFd};
use std::os::fd::AsFd;

/// A process id (negative: a process group, for [`kill`]).
pub type Pid = i32;

/// What [`fork`] returns on each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fork {
    /// In the new process.
    Child,
    /// In the caller: the child's pid.
    Parent(Pid),
}

/// fork(2).
///
/// The child is a copy of a single-threaded caller (the shell never starts threads): it may
/// run arbitrary code, allocation included. A multithreaded caller must keep the child to
/// async-signal-safe calls until it execs or exits.
pub fn fork() -> io::Result<Fork> {
    // SAFETY: fork has no memory-safety preconditions of its own; what the child may do
    // afterwards is the caller's contract, stated above.
    let pid = cvt(unsafe { libc::fork() })?;
    Ok(if pid == 0 {
        Fork::Child
    } else {
        Fork::Parent(pid)
    })
}

/// execve(2): replaces the process, so it only returns the error. Arguments holding a NUL byte
/// are passed as empty strings (the kernel could not see past the NUL anyway).
pub fn execve(path: &[u8], argv: &[Vec<u8>], env: &[CString]) -> io::Error {
    match Exec::new(path, argv, env) {
        Ok(e) => e.exec(),
        Err(e) => e,
    }
}

/// An execve(2) prepared ahead: the C strings and pointer arrays are built by [`Exec::new`],
/// so that [`Exec::exec`] allocates nothing. A multithreaded caller builds it before
/// [`fork`] and execs it in the child, which may only make async-signal-safe calls.
pub struct Exec<'a> {
    path: CString,
    /// Every argument, NUL-terminated, one after the other: one allocation however many
    /// (xargs hands thousands), where a CString each was two; borrowed when the caller keeps
    /// them that way already ([`Exec::flat`]).
    _args: std::borrow::Cow<'a, [u8]>,
    _env: Vec<CString>,
    aptr: Vec<*const libc::c_char>,
    eptr: Vec<*const libc::c_char>,
}

impl Exec<'static> {
    /// `path` with a NUL byte is ENOENT; arguments holding one are passed as empty strings.
    pub fn new(path: &[u8], argv: &[Vec<u8>], env: &[CString]) -> io::Result<Exec<'static>> {
        let mut args = Vec::with_capacity(argv.iter().map(|a| a.len() + 1).sum());
        let mut starts = Vec::with_capacity(argv.len());
        for a in argv {
            starts.push(args.len() as u32);
            if !a.contains(&0) {
                args.extend_from_slice(a);
            }
            args.push(0);
        }
        Exec::build(path, std::borrow::Cow::Owned(args), &starts, env)
    }
}

impl<'a> Exec<'a> {
    /// Arguments already NUL-terminated one after the other in `args`, each starting at its
    /// offset in `starts` (the last byte of `args` is a NUL): pointed to, not copied.
    pub fn flat(
        path: &[u8],
        args: &'a [u8],
        starts: &[u32],
        env: &[CString],
    ) -> io::Result<Exec<'a>> {
        if args.last().is_some_and(|&b| b != 0) || starts.iter().any(|&i| i as usize >= args.len())
        {
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        }
        Exec::build(path, std::borrow::Cow::Borrowed(args), starts, env)
    }

    fn build(
        path: &[u8],
        args: std::borrow::Cow<'a, [u8]>,
        starts: &[u32],
        env: &[CString],
    ) -> io::Result<Exec<'a>> {
        let Ok(path) = CString::new(path) else {
            return Err(io::Error::from_raw_os_error(libc::ENOENT));
        };
        let env = env.to_vec();
        // The pointers are into heap buffers (or the caller's, borrowed for 'a) that are
        // complete now and do not move with the struct.
        let base = args.as_ptr();
        let mut aptr: Vec<*const libc::c_char> = starts
            .iter()
            .map(|&i| base.wrapping_add(i as usize) as *const libc::c_char)
            .collect();
        aptr.push(std::ptr::null());
        let mut eptr: Vec<*const libc::c_char> = env.iter().map(|a| a.as_ptr()).collect();
        eptr.push(std::ptr::null());
        Ok(Exec {
            path,
            _args: args,
            _env: env,
            aptr,
            eptr,
        })
    }

    /// Replaces the process; returns only the error.
    pub fn exec(&self) -> io::Error {
        // SAFETY: path, and every pointer in the NUL-terminated arrays aptr and eptr, point to
        // valid C strings held by self (_args, owned or borrowed for 'a; _env), which outlive
        // the call: each start is inside `_args`, whose last byte is a NUL (checked in `flat`,
        // made so in `new`).
        unsafe { libc::execve(self.path.as_ptr(), self.aptr.as_ptr(), self.eptr.as_ptr()) };
        io::Error::last_os_error()
    }
}

/// What execve(2) does to descriptors, for a fork child that runs an applet in place of an
/// exec: every descriptor marked close-on-exec is closed. The shell keeps such descriptors of
/// its own (the script, saved copies of redirected ones, the terminal); an applet that kept
/// them would, for one, hold a pipe open after the shell let go of it. Listed from
/// /proc/self/fd; without /proc, the first 1024 numbers are tried. (It allocates: for a child
/// that goes on to run an applet, which allocates anyway.)
pub fn close_cloexec_fds() {
    use std::os::fd::AsFd;
    let mut fds: Vec<i32> = Vec::new();
    match super::dir::open_dir(super::fd::cwd(), b"/proc/self/fd", true) {
        Ok(dir) => {
            let mut buf = super::dir::DirBuf::with_size(4096);
            let _ = super::dir::read_dir(dir.as_fd(), &mut buf, |e| {
                if let Some(n) = std::str::from_utf8(e.name)
                    .ok()
                    .and_then(|t| t.parse().ok())
                {
                    if n != dir.as_raw_fd() {
                        fds.push(n);
                    }
                }
            });
        }
        Err(_) => fds.extend(3..1024),
    }
    for fd in fds {
        // SAFETY: F_GETFD only reads the descriptor's flags; a number that is not open fails
        // with EBADF and is skipped.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
        if fd > 2 && flags >= 0 && flags & libc::FD_CLOEXEC != 0 {
            let _ = super::fd::close_raw(fd);
        }
    }
}

/// The process name that `ps`, `pidof` and `pkill` match (prctl PR_SET_NAME; the kernel
/// keeps the first 15 bytes), set as an exec of a file of that name would set it.
pub fn set_comm(name: &[u8]) {
    let mut buf = [0u8; 16];
    let n = name.len().min(15);
    buf[..n].copy_from_slice(&name[..n]);
    // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes from the pointer.
    unsafe { libc::prctl(libc::PR_SET_NAME, buf.as_ptr() as libc::c_ulong, 0, 0, 0) };
}

/// sched_yield(2): lets another runnable task on this CPU go first.
pub fn yield_cpu() {
    // SAFETY: sched_yield takes no arguments and touches no memory.
    unsafe {
        libc::sched_yield();
    }
}

/// _exit(2): ends the process at once, without atexit handlers or buffered-output flushes
/// (a forked child of the shell, or a signal handler).
pub fn exit_now(status: i32) -> ! {
    // SAFETY: _exit is async-signal-safe and takes only a number.
    unsafe { libc::_exit(status) }
}

/// A wait(2) status word, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct WaitStatus(pub i32);

impl WaitStatus {
    /// Exit status from `exit(n)`, or None.
    pub fn exit_code(self) -> Option<i32> {
        libc::WIFEXITED(self.0).then(|| libc::WEXITSTATUS(self.0))
    }
    /// The signal that killed the process, or None.
    pub fn term_signal(self) -> Option<i32> {
        libc::WIFSIGNALED(self.0).then(|| libc::WTERMSIG(self.0))
    }
    pub fn core_dumped(self) -> bool {
        libc::WIFSIGNALED(self.0) && libc::WCOREDUMP(self.0)
    }
    /// The signal that stopped the process (WUNTRACED), or None.
    pub fn stop_signal(self) -> Option<i32> {
        libc::WIFSTOPPED(self.0).then(|| libc::WSTOPSIG(self.0))
    }
    /// Continued by SIGCONT (WCONTINUED).
    pub fn continued(self) -> bool {
        libc::WIFCONTINUED(self.0)
    }
    /// The shell's `$?` for it: the exit code, or 128+N for signal N (else the raw word).
    pub fn shell_status(self) -> i32 {
        if let Some(c) = self.exit_code() {
            c
        } else if let Some(s) = self.term_signal() {
            128 + s
        } else {
            self.0
        }
    }
}

/// waitpid(2), not retried on EINTR (callers decide whether a signal ends the wait). Ok(None)
/// when WNOHANG is given and nothing changed.
pub fn waitpid(pid: Pid, flags: i32) -> io::Result<Option<(Pid, WaitStatus)>> {
    let mut st = 0;
    // SAFETY: waitpid writes only into st.
    let r = cvt(unsafe { libc::waitpid(pid, &mut st, flags) })?;
    Ok((r != 0).then_some((r, WaitStatus(st))))
}

/// Resource usage of a reaped child (`struct rusage`: `ru_maxrss` in KiB, times).
pub type Rusage = libc::rusage;

/// wait4(2): [`waitpid`] with the child's resource usage. Not retried on EINTR.
pub fn wait4(pid: Pid, flags: i32) -> io::Result<Option<(Pid, WaitStatus, Rusage)>> {
    let mut st = 0;
    let mut ru = MaybeUninit::<Rusage>::zeroed();
    // SAFETY: wait4 writes only into st and ru, which have room for an int and a rusage.
    let r = cvt(unsafe { libc::wait4(pid, &mut st, flags, ru.as_mut_ptr()) })?;
    // SAFETY: ru was zeroed (a valid rusage of plain integers) and wait4 may only fill it.
    let ru = unsafe { ru.assume_init() };
    Ok((r != 0).then_some((r, WaitStatus(st), ru)))
}

/// kill(2); a negative pid names a process group.
pub fn kill(pid: Pid, sig: i32) -> io::Result<()> {
    // SAFETY: kill only takes numbers.
    cvt(unsafe { libc::kill(pid, sig) }).map(drop)
}

/// The calling process's niceness (getpriority(2) with PRIO_PROCESS 0): -1 is a valid
/// value, so errno tells an error.
pub fn niceness() -> io::Result<i32> {
    // SAFETY: errno is this thread's own; getpriority only takes numbers.
    let r = unsafe {
        *libc::__errno_location() = 0;
        libc::getpriority(libc::PRIO_PROCESS, 0)
    };
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(c) if r == -1 && c != 0 => Err(e),
        _ => Ok(r),
    }
}

/// setpriority(2) of the calling process (the kernel clamps to -20..19).
pub fn set_niceness(n: i32) -> io::Result<()> {
    // SAFETY: setpriority only takes numbers.
    cvt(unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, n) }).map(drop)
}

/// setpgid(2): pid 0 is the caller.
pub fn setpgid(pid: Pid, pgid: Pid) -> io::Result<()> {
    // SAFETY: setpgid only takes numbers.
    cvt(unsafe { libc::setpgid(pid, pgid) }).map(drop)
}

/// setsid(2): a new session (and process group) led by the caller; its id.
pub fn setsid() -> io::Result<Pid> {
    // SAFETY: setsid takes no arguments.
    cvt(unsafe { libc::setsid() })
}

/// chdir(2). Allocates nothing for names under 512 bytes (usable in a forked child).
pub fn chdir(path: &[u8]) -> io::Result<()> {
    with_cstr(path, |c| {
        // SAFETY: c is NUL-terminated.
        cvt(unsafe { libc::chdir(c.as_ptr()) }).map(drop)
    })
}

super::fd::infallible! {
    /// getpgrp(2).
    getpgrp -> Pid;
    /// getpid(2).
    getpid -> Pid;
    /// getppid(2).
    getppid -> Pid;
}

/// tcgetpgrp(3): the foreground process group of terminal `fd`.
pub fn tcgetpgrp(fd: BorrowedFd) -> io::Result<Pid> {
    // SAFETY: tcgetpgrp only takes a descriptor number.
    cvt(unsafe { libc::tcgetpgrp(fd.as_raw_fd()) })
}

/// tcsetpgrp(3): make `pgid` the foreground process group of terminal `fd`.
pub fn tcsetpgrp(fd: BorrowedFd, pgid: Pid) -> io::Result<()> {
    // SAFETY: tcsetpgrp only takes numbers.
    cvt(unsafe { libc::tcsetpgrp(fd.as_raw_fd(), pgid) }).map(drop)
}

/// A resource limit (`RLIMIT_*`): soft and hard values, [`RLIM_INFINITY`] for none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rlimit {
    pub cur: u64,
    pub max: u64,
}

// rlim_t is u64 on musl and glibc x86_64, not on every target.
#[allow(clippy::unnecessary_cast)]
pub const RLIM_INFINITY: u64 = libc::RLIM_INFINITY as u64;

/// getrlimit(2) (`resource`: an `RLIMIT_*`, i32 on musl, u32 on glibc: callers cast); a
/// failing call (unknown resource) reads as zero limits.
#[allow(clippy::unnecessary_cast)]
pub fn getrlimit(resource: i32) -> Rlimit {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only into r.
    unsafe { libc::getrlimit(resource as _, &mut r) };
    Rlimit {
        cur: r.rlim_cur as u64,
        max: r.rlim_max as u64,
    }
}

/// setrlimit(2).
#[allow(clippy::unnecessary_cast)]
pub fn setrlimit(resource: i32, lim: Rlimit) -> io::Result<()> {
    let r = libc::rlimit {
        rlim_cur: lim.cur as libc::rlim_t,
        rlim_max: lim.max as libc::rlim_t,
    };
    // SAFETY: setrlimit reads only r.
    cvt(unsafe { libc::setrlimit(resource as _, &r) }).map(drop)
}

/// umask(2): sets the mask, returns the old one.
pub fn umask(mask: u32) -> u32 {
    // SAFETY: umask only takes a number and cannot fail.
    unsafe { libc::umask((mask & 0o777) as libc::mode_t) as u32 }
}

/// The file mode creation mask, read without changing it (two umask calls).
pub fn current_umask() -> u32 {
    let m = umask(0);
    umask(m);
    m
}

/// The process's CPU times in clock ticks (times(2)): user, system, children's user,
/// children's system.
pub fn times() -> [u64; 4] {
    let mut t = std::mem::MaybeUninit::<libc::tms>::zeroed();
    // SAFETY: times writes only into t; zeroed is a valid tms should it fail.
    unsafe { libc::times(t.as_mut_ptr()) };
    // SAFETY: zero-initialised above, plain integers.
    let t = unsafe { t.assume_init() };
    [
        t.tms_utime as u64,
        t.tms_stime as u64,
        t.tms_cutime as u64,
        t.tms_cstime as u64,
    ]
}

/// sysconf(_SC_CLK_TCK): clock ticks per second (at least 1).
pub fn clock_ticks() -> u64 {
    // SAFETY: sysconf only takes a number.
    unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64
}

/// glibc's sysconf(_SC_ARG_MAX): what the kernel takes for exec's arguments and environment
/// together, a quarter of the stack limit and at least 128 KiB (musl answers 131072 always).
#[allow(clippy::unnecessary_cast)]
pub fn arg_max() -> i64 {
    let st = getrlimit(libc::RLIMIT_STACK as i32).cur;
    (st / 4).clamp(131072, i64::MAX as u64) as i64
}

/// fchdir(2): make the directory open on `fd` the working directory (find -execdir, in the
/// forked child).
pub fn fchdir(fd: BorrowedFd) -> io::Result<()> {
    // SAFETY: fchdir takes a descriptor number only; an invalid one is EBADF.
    cvt(unsafe { libc::fchdir(fd.as_raw_fd()) }).map(drop)
}

// --- chroot (useradd -R, groupadd -R): issue 16 ---

/// chroot(2) into `path` (root only); the caller chdirs to `/` after it.
pub fn chroot(path: &[u8]) -> io::Result<()> {
    with_cstr(path, |c| {
        // SAFETY: c is a NUL-terminated string that outlives the call.
        cvt(unsafe { libc::chroot(c.as_ptr()) }).map(drop)
    })
}

// --- CPU placement (split tree walks) ---

/// Bits of a CPU mask as the kernel takes it (1024 CPUs, glibc's `cpu_set_t`).
type CpuMask = [u64; 16];

/// The CPU the calling thread runs on (getcpu(2)).
pub fn current_cpu() -> Option<usize> {
    let mut cpu: u32 = 0;
    // SAFETY: getcpu writes one u32 through the first pointer; the others may be null.
    let r = unsafe {
        libc::syscall(
            libc::SYS_getcpu,
            &mut cpu as *mut u32,
            std::ptr::null_mut::<u32>(),
            std::ptr::null_mut::<libc::c_void>(),
        )
    };
    (r == 0).then_some(cpu as usize)
}

fn affinity() -> Option<CpuMask> {
    let mut m: CpuMask = [0; 16];
    // SAFETY: the kernel writes at most size_of::<CpuMask>() bytes into m.
    let r = unsafe {
        libc::syscall(
            libc::SYS_sched_getaffinity,
            0,
            std::mem::size_of::<CpuMask>(),
            m.as_mut_ptr(),
        )
    };
    (r > 0).then_some(m)
}

fn set_affinity(m: &CpuMask) -> bool {
    // SAFETY: the kernel reads size_of::<CpuMask>() bytes from m.
    let r = unsafe {
        libc::syscall(
            libc::SYS_sched_setaffinity,
            0,
            std::mem::size_of::<CpuMask>(),
            m.as_ptr(),
        )
    };
    r == 0
}

/// Whether a CPU this process may use looks idle: fewer tasks runnable right now (the
/// fourth field of /proc/loadavg, this one included) than CPUs in the affinity mask. False
/// when /proc cannot tell.
pub fn idle_cpu() -> bool {
    let cpus: u32 = affinity().map_or(1, |m| m.iter().map(|w| w.count_ones()).sum());
    if cpus < 2 {
        return false;
    }
    // Bytes, not std's file and string reading: this runs in the middle of a walk, and its code
    // would be the walk's only use of those (pages of text mapped for it alone).
    let Ok(fd) = super::fd::open(b"/proc/loadavg", libc::O_RDONLY | libc::O_CLOEXEC, 0) else {
        return false;
    };
    let mut buf = [0u8; 128];
    let Ok(n) = super::fd::read(fd.as_fd(), &mut buf) else {
        return false;
    };
    running_tasks(&buf[..n]).is_some_and(|r| r < cpus)
}

/// The RUNNING of /proc/loadavg's "0.52 0.58 0.59 RUNNING/TOTAL LAST_PID".
fn running_tasks(loadavg: &[u8]) -> Option<u32> {
    let field = loadavg.split(|&b| b == b' ').nth(3)?;
    let n = field.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 9 || field.get(n) != Some(&b'/') {
        return None;
    }
    Some(
        field[..n]
            .iter()
            .fold(0, |r, &b| r * 10 + u32::from(b - b'0')),
    )
}

/// Keeps the calling thread off CPU `cpu` (when it may run elsewhere). A new thread starts on
/// its creator's CPU and waits there for the load balancer (milliseconds on an otherwise idle
/// 2-vCPU VM), and each wake-up by the other thread pulls it back beside it: two threads
/// working side by side keep to two CPUs instead.
pub fn keep_off_cpu(cpu: usize) {
    let Some(mut other) = affinity() else { return };
    if let Some(w) = other.get_mut(cpu / 64) {
        *w &= !(1u64 << (cpu % 64));
    }
    if other.iter().any(|&w| w != 0) {
        set_affinity(&other);
    }
}

/// The calling thread kept on CPU `cpu` until the value is dropped (its CPUs restored then).
pub struct Pinned(CpuMask);

/// Keeps the calling thread on CPU `cpu` (see [`keep_off_cpu`]).
pub fn pin_to(cpu: usize) -> Option<Pinned> {
    let all = affinity()?;
    let mut one: CpuMask = [0; 16];
    *one.get_mut(cpu / 64)? |= 1u64 << (cpu % 64);
    set_affinity(&one).then_some(Pinned(all))
}

impl Drop for Pinned {
    fn drop(&mut self) {
        set_affinity(&self.0);
    }
}

/// The process's environment as the C library holds it, every entry as it is: std's
/// `vars_os` drops entries without a `=` after their first byte (`=X`, `X`), which GNU's env
/// and printenv pass on and print.
pub fn environ_raw() -> Vec<Vec<u8>> {
    extern "C" {
        static environ: *const *const libc::c_char;
    }
    let mut out = Vec::new();
    // SAFETY: `environ` is a NULL-terminated array of NUL-terminated strings owned by the C
    // library; it is read before anything in this process changes the environment from another
    // thread (rbox sets variables only from its single main thread).
    unsafe {
        let mut p = environ;
        while !p.is_null() && !(*p).is_null() {
            out.push(std::ffi::CStr::from_ptr(*p).to_bytes().to_vec());
            p = p.add(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_placement() {
        let Some(cpu) = current_cpu() else { return };
        let before = affinity().unwrap();
        let n: u32 = before.iter().map(|w| w.count_ones()).sum();
        {
            let _p = pin_to(cpu).unwrap();
            assert_eq!(current_cpu(), Some(cpu));
            assert_eq!(
                affinity()
                    .unwrap()
                    .iter()
                    .map(|w| w.count_ones())
                    .sum::<u32>(),
                1
            );
        }
        assert_eq!(affinity().unwrap(), before);
        std::thread::spawn(move || {
            keep_off_cpu(cpu);
            if n > 1 {
                assert_ne!(current_cpu(), Some(cpu));
            }
        })
        .join()
        .unwrap();
        let _ = idle_cpu();
        assert_eq!(running_tasks(b"0.52 0.58 0.59 3/412 9876\n"), Some(3));
        assert_eq!(running_tasks(b"0.00 0.01 0.05 12/80 1"), Some(12));
        assert_eq!(running_tasks(b"0.00 0.01 0.05 /80 1"), None);
        assert_eq!(running_tasks(b"0.00 0.01"), None);
    }

    #[test]
    fn fork_wait_decodes_exit_and_signal() {
        match fork().unwrap() {
            Fork::Child => exit_now(3),
            Fork::Parent(pid) => {
                let (p, st) = waitpid(pid, 0).unwrap().unwrap();
                assert_eq!(p, pid);
                assert_eq!(st.exit_code(), Some(3));
                assert_eq!(st.shell_status(), 3);
            }
        }
        match fork().unwrap() {
            Fork::Child => {
                let _ = kill(getpid(), libc::SIGKILL);
                exit_now(0)
            }
            Fork::Parent(pid) => {
                let (_, st) = waitpid(pid, 0).unwrap().unwrap();
                assert_eq!(st.term_signal(), Some(libc::SIGKILL));
                assert_eq!(st.shell_status(), 128 + libc::SIGKILL);
            }
        }
    }

    #[test]
    fn wait4_reports_usage() {
        match fork().unwrap() {
            Fork::Child => exit_now(5),
            Fork::Parent(pid) => {
                let (p, st, ru) = wait4(pid, 0).unwrap().unwrap();
                assert_eq!(p, pid);
                assert_eq!(st.exit_code(), Some(5));
                assert!(ru.ru_maxrss > 0);
            }
        }
    }

    #[test]
    fn prepared_exec_runs_and_reports() {
        let e = Exec::new(
            b"/bin/sh",
            &[b"sh".to_vec(), b"-c".to_vec(), b"exit 7".to_vec()],
            &[],
        )
        .unwrap();
        match fork().unwrap() {
            Fork::Child => {
                let _ = e.exec();
                exit_now(127)
            }
            Fork::Parent(pid) => {
                let (_, st) = waitpid(pid, 0).unwrap().unwrap();
                assert_eq!(st.exit_code(), Some(7));
            }
        }
        let err = Exec::new(b"/nonexistent/x", &[b"x".to_vec()], &[])
            .unwrap()
            .exec();
        assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
        assert!(Exec::new(b"a\0b", &[], &[]).is_err());
    }

    #[test]
    fn session_and_chdir_in_a_child() {
        match fork().unwrap() {
            Fork::Child => {
                let ok = setsid().is_ok_and(|sid| sid == getpid())
                    && chdir(b"/").is_ok()
                    && chdir(b"/nonexistent/x").is_err();
                exit_now(if ok { 0 } else { 1 })
            }
            Fork::Parent(pid) => {
                let (_, st) = waitpid(pid, 0).unwrap().unwrap();
                assert_eq!(st.exit_code(), Some(0));
            }
        }
    }

    // umask is not tested here: changing it would race with tests creating files.
    #[test]
    #[allow(clippy::unnecessary_cast)] // RLIMIT_* are u32 on glibc
    fn limits_and_ticks() {
        let r = getrlimit(libc::RLIMIT_NOFILE as i32);
        assert!(r.cur <= r.max);
        assert!(clock_ticks() >= 1);
    }
}
