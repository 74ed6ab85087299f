// Approach C: rustix (1.1, default-features = false)
#[path = "../../shared.rs"]
mod shared;
use shared::{on_sig, GOT};
use rustix::event::{poll, PollFd, PollFlags};
use rustix::fs::{self, AtFlags, Mode, OFlags, RawDir, RenameFlags, ResolveFlags, StatxFlags, Timestamps, CWD};
use rustix::io::{self, Errno};
use rustix::pipe::{pipe_with, splice, PipeFlags, SpliceFlags};
use rustix::process::{self, Pid, Resource, Signal};
use rustix::termios;
use std::ffi::CStr;
use std::io::Write;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};

// gaps: fork/execve/sigaction/sigprocmask only exist in rustix::runtime (unsafe, bypass libc,
// "not for use in programs using libc/std") -> libc fallback
fn fork() -> io::Result<i32> { let r = unsafe { libc::fork() }; if r < 0 { Err(Errno::from_raw_os_error(std::io::Error::last_os_error().raw_os_error().unwrap())) } else { Ok(r) } }
fn last() -> Errno { Errno::from_raw_os_error(std::io::Error::last_os_error().raw_os_error().unwrap_or(0)) }
fn sigaction(sig: i32, h: extern "C" fn(i32)) -> io::Result<usize> {
    let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
    sa.sa_sigaction = h as usize;
    sa.sa_flags = libc::SA_RESTART;
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    if unsafe { libc::sigaction(sig, &sa, &mut old) } < 0 { return Err(last()); }
    Ok(old.sa_sigaction)
}
fn sigprocmask(how: i32, sigs: &[i32]) -> io::Result<()> {
    unsafe {
        let mut s: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut s);
        for &g in sigs { libc::sigaddset(&mut s, g); }
        if libc::sigprocmask(how, &s, std::ptr::null_mut()) < 0 { return Err(last()); }
    }
    Ok(())
}


fn all(dir: &CStr) -> io::Result<()> {
    let wd = fs::openat(CWD, dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    let w = wd.as_fd();
    let f = fs::openat(w, c"file", OFlags::RDWR | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC, Mode::from_bits_truncate(0o644))?;
    std::fs::File::from(f).write_all(b"hello world\n").unwrap();
    println!("openat: {:?}", fs::openat(w, c"file", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).map(|f| f.as_raw_fd()));
    println!("openat2 beneath ok: {:?}", fs::openat2(w, c"file", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty(), ResolveFlags::BENEATH).map(|f| f.as_raw_fd()));
    println!("openat2 beneath ../: {:?}", fs::openat2(w, c"../x", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty(), ResolveFlags::BENEATH).map(|f| f.as_raw_fd()));
    let st = fs::statat(w, c"file", AtFlags::empty())?;
    println!("fstatat: size={} mode={:o} ino={}", st.st_size, st.st_mode, st.st_ino);
    let sx = fs::statx(w, c"file", AtFlags::empty(), StatxFlags::BASIC_STATS | StatxFlags::BTIME)?;
    println!("statx: size={} mask={:x} btime={}", sx.stx_size, sx.stx_mask, sx.stx_btime.tv_sec);
    println!("mkdirat: {:?}", fs::mkdirat(w, c"d", Mode::from_bits_truncate(0o755)));
    println!("renameat2 NOREPLACE: {:?}", fs::renameat_with(w, c"d", w, c"d2", RenameFlags::NOREPLACE));
    println!("symlinkat: {:?}", fs::symlinkat(c"file", w, c"lnk"));
    println!("readlinkat: {:?}", fs::readlinkat(w, c"lnk", Vec::new()));
    println!("fchownat: {:?}", fs::chownat(w, c"file", Some(process::getuid()), None, AtFlags::empty()));
    let ts = Timestamps { last_access: fs::Timespec { tv_sec: 0, tv_nsec: fs::UTIME_NOW }, last_modification: fs::Timespec { tv_sec: 1_000_000_000, tv_nsec: 0 } };
    println!("utimensat: {:?}", fs::utimensat(w, c"file", &ts, AtFlags::empty()));
    // getdents64 without allocation: RawDir over a caller buffer
    let mut buf = [MaybeUninit::<u8>::uninit(); 4096];
    let dfd = fs::openat(w, c".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    let mut rd = RawDir::new(&dfd, &mut buf);
    let mut n = 0;
    while let Some(e) = rd.next() { let e = e?; n += 1; println!("  dent {:?} type={:?} ino={}", e.file_name(), e.file_type().as_raw_mode(), e.ino()); }
    println!("getdents64 (RawDir): {} entries", n);
    let src = fs::openat(w, c"file", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    let dst = fs::openat(w, c"copy", OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC, Mode::from_bits_truncate(0o644))?;
    println!("copy_file_range: {:?}", fs::copy_file_range(&src, None, &dst, None, 1 << 20));
    let mut off = 0u64;
    println!("sendfile: {:?}", fs::sendfile(&dst, &src, Some(&mut off), 1 << 20));
    let (r, wr) = pipe_with(PipeFlags::CLOEXEC)?;
    let src2 = fs::openat(w, c"file", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    println!("splice: {:?}", splice(&src2, None, &wr, None, 1 << 16, SpliceFlags::empty()));
    let mut pfd = [PollFd::new(&r, PollFlags::IN)];
    println!("poll: {:?} revents={:?}", poll(&mut pfd, Some(&rustix::event::Timespec { tv_sec: 0, tv_nsec: 0 })), pfd[0].revents().bits());
    // dup2 wants `&mut OwnedFd` target: fabricate one for fd 100 (unsafe)
    let mut t = unsafe { OwnedFd::from_raw_fd(100) };
    println!("dup2: {:?}", io::dup2(&r, &mut t).map(|_| t.into_raw_fd()));
    println!("unlinkat lnk: {:?}", fs::unlinkat(w, c"lnk", AtFlags::empty()));
    println!("unlinkat d2: {:?}", fs::unlinkat(w, c"d2", AtFlags::REMOVEDIR));
    let argv = [c"/bin/true".as_ptr(), std::ptr::null()];
    let envp = [std::ptr::null()];
    match fork()? {
        0 => unsafe { libc::execve(c"/bin/true".as_ptr(), argv.as_ptr(), envp.as_ptr()); libc::_exit(127) },
        pid => println!("waitpid: {:?}", process::waitpid(Pid::from_raw(pid), process::WaitOptions::empty()).map(|o| o.map(|(p, s)| (p.as_raw_nonzero(), s.as_raw())))),
    }
    println!("sigaction(libc): {:?}", sigaction(libc::SIGUSR1, on_sig));
    println!("sigprocmask(libc) block: {:?}", sigprocmask(libc::SIG_BLOCK, &[libc::SIGUSR1]));
    println!("kill: {:?}", process::kill_process(process::getpid(), Signal::USR1));
    println!("got before unblock: {}", GOT.load(std::sync::atomic::Ordering::SeqCst));
    let _ = sigprocmask(libc::SIG_UNBLOCK, &[libc::SIGUSR1]);
    println!("got after unblock: {}", GOT.load(std::sync::atomic::Ordering::SeqCst));
    let stdin = std::io::stdin();
    match termios::tcgetattr(&stdin) {
        Ok(t) => println!("tcgetattr: lflag={:x} tcsetattr: {:?}", t.local_modes.bits(), termios::tcsetattr(&stdin, termios::OptionalActions::Now, &t)),
        Err(e) => println!("tcgetattr: {e}"),
    }
    match termios::tcgetpgrp(&stdin) {
        Ok(p) => println!("tcgetpgrp: {} tcsetpgrp: {:?}", p.as_raw_nonzero(), termios::tcsetpgrp(&stdin, p)),
        Err(e) => println!("tcgetpgrp: {e}"),
    }
    println!("TIOCGWINSZ: {:?}", termios::tcgetwinsize(&stdin).map(|w| (w.ws_row, w.ws_col)));
    println!("getuid: {} getgroups: {:?}", process::getuid().as_raw(), process::getgroups().map(|v| v.len()));
    let l = process::getrlimit(Resource::Nofile);
    println!("getrlimit: {:?} {:?} setrlimit: {:?}", l.current, l.maximum, process::setrlimit(Resource::Nofile, l.clone()));
    println!("umask: old={:o}", process::umask(Mode::from_bits_truncate(0o022)).bits());
    Ok(())
}

fn bench_stat(dir: &CStr, n: usize) -> io::Result<()> {
    let wd = fs::openat(CWD, dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    let mut acc = 0u64;
    for _ in 0..n { acc = acc.wrapping_add(fs::statat(&wd, c"file", AtFlags::empty())?.st_size as u64); }
    println!("{acc}");
    Ok(())
}

fn bench_dents(dir: &CStr, n: usize) -> io::Result<()> {
    let mut buf = vec![MaybeUninit::<u8>::uninit(); 32768];
    let mut acc = 0u64;
    for _ in 0..n {
        let d = fs::openat(CWD, dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        let mut rd = RawDir::new(&d, &mut buf);
        while let Some(e) = rd.next() {
            let e = e?;
            acc = acc.wrapping_add(e.ino() ^ e.file_type().as_raw_mode() as u64 ^ e.file_name().to_bytes().len() as u64);
        }
    }
    println!("{acc}");
    Ok(())
}

fn bench_dir(dir: &CStr, n: usize) -> io::Result<()> {
    let mut acc = 0u64;
    for _ in 0..n {
        let d = fs::openat(CWD, dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        for e in fs::Dir::new(d)? {
            let e = e?;
            acc = acc.wrapping_add(e.ino() ^ e.file_type().as_raw_mode() as u64 ^ e.file_name().to_bytes().len() as u64);
        }
    }
    println!("{acc}");
    Ok(())
}

fn main() {
    shared::main(all, bench_stat, bench_dents);
}
