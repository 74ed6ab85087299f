// Approach B: nix (0.32, default-features = false)
#[path = "../../shared.rs"]
mod shared;
use shared::{on_sig, GOT};
use nix::dir::Dir;
use nix::errno::Errno;
use nix::fcntl::{self, AtFlags, OFlag, OpenHow, ResolveFlag, AT_FDCWD};
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::resource::{getrlimit, setrlimit, Resource};
use nix::sys::signal::{kill, sigaction, sigprocmask, SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal};
use nix::sys::stat::{fstatat, mkdirat, umask, utimensat, Mode, UtimensatFlags};
use nix::sys::termios::{tcgetattr, tcsetattr, SetArg};
use nix::sys::time::TimeSpec;
use nix::sys::wait::waitpid;
use nix::unistd::{self, ForkResult, Pid};
use std::ffi::CStr;
use std::io::{self, Write};
use std::os::fd::{AsFd, AsRawFd, IntoRawFd, FromRawFd, OwnedFd};

// gap: renameat2 is cfg(target_env = "gnu") in nix -> libc fallback (raw syscall; Rust's musl lacks the symbol)
fn renameat2<F: AsFd>(d1: F, p1: &CStr, d2: F, p2: &CStr, fl: u32) -> nix::Result<()> {
    Errno::result(unsafe { libc::syscall(libc::SYS_renameat2, d1.as_fd().as_raw_fd(), p1.as_ptr(), d2.as_fd().as_raw_fd(), p2.as_ptr(), fl) }).map(drop)
}
// gap: statx not wrapped -> libc fallback
fn statx<F: AsFd>(d: F, p: &CStr, fl: i32, mask: u32) -> nix::Result<libc::statx> {
    let mut st = std::mem::MaybeUninit::<libc::statx>::uninit();
    Errno::result(unsafe { libc::statx(d.as_fd().as_raw_fd(), p.as_ptr(), fl, mask, st.as_mut_ptr()) })?;
    Ok(unsafe { st.assume_init() })
}
// TIOCGWINSZ: no safe wrapper, only the ioctl macro generating an unsafe fn
nix::ioctl_read_bad!(tiocgwinsz, libc::TIOCGWINSZ, libc::winsize);


fn all(dir: &CStr) -> nix::Result<()> {
    let wd = fcntl::openat(AT_FDCWD, dir, OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC, Mode::empty())?;
    let w = wd.as_fd();
    let f = fcntl::openat(w, c"file", OFlag::O_RDWR | OFlag::O_CREAT | OFlag::O_TRUNC | OFlag::O_CLOEXEC, Mode::from_bits_truncate(0o644))?;
    std::fs::File::from(f).write_all(b"hello world\n").unwrap();
    println!("openat: {:?}", fcntl::openat(w, c"file", OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty()).map(|f| f.as_raw_fd()));
    let how = OpenHow::new().flags(OFlag::O_RDONLY | OFlag::O_CLOEXEC).resolve(ResolveFlag::RESOLVE_BENEATH);
    println!("openat2 beneath ok: {:?}", fcntl::openat2(w, c"file", how).map(|f| f.as_raw_fd()));
    println!("openat2 beneath ../: {:?}", fcntl::openat2(w, c"../x", how).map(|f| f.as_raw_fd()));
    let st = fstatat(w, c"file", AtFlags::empty())?;
    println!("fstatat: size={} mode={:o} ino={}", st.st_size, st.st_mode, st.st_ino);
    let sx = statx(w, c"file", 0, libc::STATX_BASIC_STATS | libc::STATX_BTIME)?;
    println!("statx(libc): size={} mask={:x} btime={}", sx.stx_size, sx.stx_mask, sx.stx_btime.tv_sec);
    println!("mkdirat: {:?}", mkdirat(w, c"d", Mode::from_bits_truncate(0o755)));
    println!("renameat2(libc) NOREPLACE: {:?}", renameat2(w, c"d", w, c"d2", libc::RENAME_NOREPLACE));
    println!("symlinkat: {:?}", unistd::symlinkat(c"file", w, c"lnk"));
    println!("readlinkat: {:?}", fcntl::readlinkat(w, c"lnk"));
    println!("fchownat: {:?}", unistd::fchownat(w, c"file", Some(unistd::getuid()), None, AtFlags::empty()));
    println!("utimensat: {:?}", utimensat(w, c"file", &TimeSpec::UTIME_NOW, &TimeSpec::new(1_000_000_000, 0), UtimensatFlags::FollowSymlink));
    // gap: no getdents64; Dir = libc opendir/readdir (malloc'd DIR, musl 2 KiB buffer)
    let mut d = Dir::openat(w, c".", OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC, Mode::empty())?;
    let mut n = 0;
    for e in d.iter() { let e = e?; n += 1; println!("  dent {:?} type={:?} ino={}", e.file_name(), e.file_type(), e.ino()); }
    println!("readdir: {} entries", n);
    let src = fcntl::openat(w, c"file", OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty())?;
    let dst = fcntl::openat(w, c"copy", OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_TRUNC | OFlag::O_CLOEXEC, Mode::from_bits_truncate(0o644))?;
    println!("copy_file_range: {:?}", fcntl::copy_file_range(&src, None, &dst, None, 1 << 20));
    let mut off = 0i64;
    println!("sendfile: {:?}", nix::sys::sendfile::sendfile(&dst, &src, Some(&mut off), 1 << 20));
    let (r, wr) = unistd::pipe2(OFlag::O_CLOEXEC)?;
    let src2 = fcntl::openat(w, c"file", OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty())?;
    println!("splice: {:?}", fcntl::splice(&src2, None, &wr, None, 1 << 16, fcntl::SpliceFFlags::empty()));
    let mut pfd = [PollFd::new(r.as_fd(), PollFlags::POLLIN)];
    println!("poll: {:?} revents={:?}", poll(&mut pfd, PollTimeout::ZERO), pfd[0].revents().map(|r| r.bits()));
    // dup2 wants `&mut OwnedFd` target; dup2 to a specific number needs unsafe dup2_raw
    println!("dup2: {:?}", unsafe { unistd::dup2_raw(&r, 100) }.map(|f| f.into_raw_fd()));
    println!("unlinkat lnk: {:?}", unistd::unlinkat(w, c"lnk", unistd::UnlinkatFlags::NoRemoveDir));
    println!("unlinkat d2: {:?}", unistd::unlinkat(w, c"d2", unistd::UnlinkatFlags::RemoveDir));
    let argv = [c"/bin/true"];
    let envp: [&CStr; 0] = [];
    match unsafe { unistd::fork() }? {
        ForkResult::Child => { let _ = unistd::execve(c"/bin/true", &argv, &envp); unsafe { libc::_exit(127) } }
        ForkResult::Parent { child } => println!("waitpid: {:?}", waitpid(child, None)),
    }
    let sa = SigAction::new(SigHandler::Handler(on_sig), SaFlags::SA_RESTART, SigSet::empty());
    println!("sigaction: {:?}", unsafe { sigaction(Signal::SIGUSR1, &sa) }.map(|o| o.handler()));
    let mut set = SigSet::empty();
    set.add(Signal::SIGUSR1);
    println!("sigprocmask block: {:?}", sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), None));
    println!("kill: {:?}", kill(unistd::getpid(), Signal::SIGUSR1));
    println!("got before unblock: {}", GOT.load(std::sync::atomic::Ordering::SeqCst));
    let _ = sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&set), None);
    println!("got after unblock: {}", GOT.load(std::sync::atomic::Ordering::SeqCst));
    let stdin = io::stdin();
    match tcgetattr(&stdin) {
        Ok(t) => println!("tcgetattr: lflag={:x} tcsetattr: {:?}", t.local_flags.bits(), tcsetattr(&stdin, SetArg::TCSANOW, &t)),
        Err(e) => println!("tcgetattr: {e}"),
    }
    match unistd::tcgetpgrp(&stdin) {
        Ok(p) => println!("tcgetpgrp: {p} tcsetpgrp: {:?}", unistd::tcsetpgrp(&stdin, p)),
        Err(e) => println!("tcgetpgrp: {e}"),
    }
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    println!("TIOCGWINSZ: {:?} {}x{}", unsafe { tiocgwinsz(0, &mut ws) }, ws.ws_row, ws.ws_col);
    println!("getuid: {} getgroups: {:?}", unistd::getuid(), unistd::getgroups());
    let (c, m) = getrlimit(Resource::RLIMIT_NOFILE)?;
    println!("getrlimit: {c} {m} setrlimit: {:?}", setrlimit(Resource::RLIMIT_NOFILE, c, m));
    println!("umask: old={:o}", umask(Mode::from_bits_truncate(0o022)).bits());
    let _ = Pid::this();
    Ok(())
}

fn bench_stat(dir: &CStr, n: usize) -> nix::Result<()> {
    let wd = fcntl::openat(AT_FDCWD, dir, OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC, Mode::empty())?;
    let mut acc = 0u64;
    for _ in 0..n { acc = acc.wrapping_add(fstatat(&wd, c"file", AtFlags::empty())?.st_size as u64); }
    println!("{acc}");
    Ok(())
}

fn bench_dents(dir: &CStr, n: usize) -> nix::Result<()> {
    let mut acc = 0u64;
    for _ in 0..n {
        let mut d = Dir::openat(AT_FDCWD, dir, OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC, Mode::empty())?;
        for e in d.iter() {
            let e = e?;
            acc = acc.wrapping_add(e.ino() ^ e.file_type().map(|t| t as u64).unwrap_or(0) ^ e.file_name().to_bytes().len() as u64);
        }
    }
    println!("{acc}");
    Ok(())
}

fn main() {
    shared::main(all, bench_stat, bench_dents);
}
