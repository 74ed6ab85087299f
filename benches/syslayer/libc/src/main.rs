// Approach A: own thin safe wrappers over `libc`.
#[path = "../../shared.rs"]
mod shared;
use shared::{on_sig, GOT};
use std::ffi::{CStr, OsString};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStringExt;

mod sys {
    use super::*;
    #[inline]
    fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
        if r < 0 { Err(io::Error::last_os_error()) } else { Ok(r) }
    }
    #[inline]
    fn cvtl(r: libc::c_long) -> io::Result<libc::c_long> {
        if r < 0 { Err(io::Error::last_os_error()) } else { Ok(r) }
    }
    #[inline]
    fn cvts(r: isize) -> io::Result<usize> {
        if r < 0 { Err(io::Error::last_os_error()) } else { Ok(r as usize) }
    }
    pub fn openat(d: RawFd, p: &CStr, fl: i32, mode: u32) -> io::Result<OwnedFd> {
        cvt(unsafe { libc::openat(d, p.as_ptr(), fl | libc::O_CLOEXEC, mode) }).map(|fd| unsafe { OwnedFd::from_raw_fd(fd) })
    }
    pub fn openat2_beneath(d: RawFd, p: &CStr, fl: i32) -> io::Result<OwnedFd> {
        let mut how: libc::open_how = unsafe { std::mem::zeroed() };
        how.flags = (fl | libc::O_CLOEXEC) as u64;
        how.resolve = libc::RESOLVE_BENEATH;
        let r = cvtl(unsafe { libc::syscall(libc::SYS_openat2, d, p.as_ptr(), &how, std::mem::size_of::<libc::open_how>()) })?;
        Ok(unsafe { OwnedFd::from_raw_fd(r as RawFd) })
    }
    /// getdents64 into caller buffer; callback gets (name, d_type, ino). No allocation.
    pub fn getdents64(fd: RawFd, buf: &mut [u8], mut f: impl FnMut(&CStr, u8, u64)) -> io::Result<usize> {
        let mut total = 0;
        loop {
            let n = cvtl(unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) })? as usize;
            if n == 0 { return Ok(total); }
            let mut off = 0;
            while off < n {
                // struct linux_dirent64 { u64 ino; i64 off; u16 reclen; u8 type; char name[]; }
                let p = unsafe { buf.as_ptr().add(off) };
                let ino = unsafe { (p as *const u64).read_unaligned() };
                let reclen = unsafe { (p.add(16) as *const u16).read_unaligned() } as usize;
                let ty = unsafe { *p.add(18) };
                let name = unsafe { CStr::from_ptr(p.add(19) as *const libc::c_char) };
                f(name, ty, ino);
                total += 1;
                off += reclen;
            }
        }
    }
    pub fn fstatat(d: RawFd, p: &CStr, fl: i32) -> io::Result<libc::stat> {
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        cvt(unsafe { libc::fstatat(d, p.as_ptr(), st.as_mut_ptr(), fl) })?;
        Ok(unsafe { st.assume_init() })
    }
    pub fn statx(d: RawFd, p: &CStr, fl: i32, mask: u32) -> io::Result<libc::statx> {
        let mut st = std::mem::MaybeUninit::<libc::statx>::uninit();
        cvt(unsafe { libc::statx(d, p.as_ptr(), fl, mask, st.as_mut_ptr()) })?;
        Ok(unsafe { st.assume_init() })
    }
    pub fn unlinkat(d: RawFd, p: &CStr, fl: i32) -> io::Result<()> { cvt(unsafe { libc::unlinkat(d, p.as_ptr(), fl) }).map(drop) }
    pub fn mkdirat(d: RawFd, p: &CStr, m: u32) -> io::Result<()> { cvt(unsafe { libc::mkdirat(d, p.as_ptr(), m) }).map(drop) }
    pub fn renameat2(d1: RawFd, p1: &CStr, d2: RawFd, p2: &CStr, fl: u32) -> io::Result<()> {
        // Rust's bundled musl has no renameat2() symbol: raw syscall
        cvtl(unsafe { libc::syscall(libc::SYS_renameat2, d1, p1.as_ptr(), d2, p2.as_ptr(), fl) }).map(drop)
    }
    pub fn symlinkat(t: &CStr, d: RawFd, p: &CStr) -> io::Result<()> { cvt(unsafe { libc::symlinkat(t.as_ptr(), d, p.as_ptr()) }).map(drop) }
    pub fn readlinkat(d: RawFd, p: &CStr) -> io::Result<OsString> {
        let mut buf = vec![0u8; 256];
        loop {
            let n = cvts(unsafe { libc::readlinkat(d, p.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) })?;
            if n < buf.len() { buf.truncate(n); return Ok(OsString::from_vec(buf)); }
            buf.resize(buf.len() * 2, 0);
        }
    }
    pub fn fchownat(d: RawFd, p: &CStr, u: u32, g: u32, fl: i32) -> io::Result<()> { cvt(unsafe { libc::fchownat(d, p.as_ptr(), u, g, fl) }).map(drop) }
    pub fn utimensat(d: RawFd, p: &CStr, t: &[libc::timespec; 2], fl: i32) -> io::Result<()> { cvt(unsafe { libc::utimensat(d, p.as_ptr(), t.as_ptr(), fl) }).map(drop) }
    pub fn copy_file_range(i: RawFd, o: RawFd, n: usize) -> io::Result<usize> {
        cvts(unsafe { libc::copy_file_range(i, std::ptr::null_mut(), o, std::ptr::null_mut(), n, 0) })
    }
    pub fn splice(i: RawFd, o: RawFd, n: usize) -> io::Result<usize> {
        cvts(unsafe { libc::splice(i, std::ptr::null_mut(), o, std::ptr::null_mut(), n, 0) })
    }
    pub fn sendfile(o: RawFd, i: RawFd, off: &mut i64, n: usize) -> io::Result<usize> { cvts(unsafe { libc::sendfile(o, i, off, n) }) }
    pub fn pipe2(fl: i32) -> io::Result<(OwnedFd, OwnedFd)> {
        let mut f = [0; 2];
        cvt(unsafe { libc::pipe2(f.as_mut_ptr(), fl) })?;
        Ok(unsafe { (OwnedFd::from_raw_fd(f[0]), OwnedFd::from_raw_fd(f[1])) })
    }
    pub fn dup2(o: RawFd, n: RawFd) -> io::Result<OwnedFd> { cvt(unsafe { libc::dup2(o, n) }).map(|f| unsafe { OwnedFd::from_raw_fd(f) }) }
    pub fn fork() -> io::Result<libc::pid_t> { cvt(unsafe { libc::fork() }) }
    pub fn execve(p: &CStr, argv: &[*const libc::c_char], envp: &[*const libc::c_char]) -> io::Error {
        unsafe { libc::execve(p.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
        io::Error::last_os_error()
    }
    pub fn waitpid(pid: libc::pid_t, fl: i32) -> io::Result<(libc::pid_t, i32)> {
        let mut st = 0;
        let r = cvt(unsafe { libc::waitpid(pid, &mut st, fl) })?;
        Ok((r, st))
    }
    pub fn sigaction(sig: i32, h: extern "C" fn(i32)) -> io::Result<usize> {
        let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
        sa.sa_sigaction = h as usize;
        sa.sa_flags = libc::SA_RESTART;
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        cvt(unsafe { libc::sigaction(sig, &sa, &mut old) })?;
        Ok(old.sa_sigaction)
    }
    pub fn sigprocmask(how: i32, sigs: &[i32]) -> io::Result<libc::sigset_t> {
        unsafe {
            let mut s: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut s);
            for &g in sigs { libc::sigaddset(&mut s, g); }
            cvt(libc::sigprocmask(how, &s, &mut old))?;
            Ok(old)
        }
    }
    pub fn tcgetattr(fd: RawFd) -> io::Result<libc::termios> {
        let mut t = std::mem::MaybeUninit::uninit();
        cvt(unsafe { libc::tcgetattr(fd, t.as_mut_ptr()) })?;
        Ok(unsafe { t.assume_init() })
    }
    pub fn tcsetattr(fd: RawFd, act: i32, t: &libc::termios) -> io::Result<()> { cvt(unsafe { libc::tcsetattr(fd, act, t) }).map(drop) }
    pub fn tcgetpgrp(fd: RawFd) -> io::Result<libc::pid_t> { cvt(unsafe { libc::tcgetpgrp(fd) }) }
    pub fn tcsetpgrp(fd: RawFd, p: libc::pid_t) -> io::Result<()> { cvt(unsafe { libc::tcsetpgrp(fd, p) }).map(drop) }
    pub fn winsize(fd: RawFd) -> io::Result<(u16, u16)> {
        let mut w: libc::winsize = unsafe { std::mem::zeroed() };
        cvt(unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) })?;
        Ok((w.ws_row, w.ws_col))
    }
    pub fn getuid() -> u32 { unsafe { libc::getuid() } }
    pub fn getgroups() -> io::Result<Vec<u32>> {
        let n = cvt(unsafe { libc::getgroups(0, std::ptr::null_mut()) })? as usize;
        let mut v = vec![0; n];
        let n = cvt(unsafe { libc::getgroups(n as i32, v.as_mut_ptr()) })? as usize;
        v.truncate(n);
        Ok(v)
    }
    pub fn getrlimit(r: libc::c_int) -> io::Result<(u64, u64)> {
        let mut l = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        cvt(unsafe { libc::getrlimit(r, &mut l) })?;
        Ok((l.rlim_cur, l.rlim_max))
    }
    pub fn setrlimit(r: libc::c_int, cur: u64, max: u64) -> io::Result<()> {
        cvt(unsafe { libc::setrlimit(r, &libc::rlimit { rlim_cur: cur, rlim_max: max }) }).map(drop)
    }
    pub fn umask(m: u32) -> u32 { unsafe { libc::umask(m) } }
    pub fn kill(p: libc::pid_t, s: i32) -> io::Result<()> { cvt(unsafe { libc::kill(p, s) }).map(drop) }
    pub fn poll(fds: &mut [libc::pollfd], t: i32) -> io::Result<usize> { cvt(unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as _, t) }).map(|n| n as usize) }
    pub fn getpid() -> libc::pid_t { unsafe { libc::getpid() } }
}


fn all(dir: &CStr) -> io::Result<()> {
    let wd = sys::openat(libc::AT_FDCWD, dir, libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    let w = wd.as_raw_fd();
    let f = sys::openat(w, c"file", libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC, 0o644)?;
    std::fs::File::from(f).write_all(b"hello world\n")?;
    println!("openat: {:?}", sys::openat(w, c"file", libc::O_RDONLY, 0).map(|f| f.as_raw_fd()));
    println!("openat2 beneath ok: {:?}", sys::openat2_beneath(w, c"file", libc::O_RDONLY).map(|f| f.as_raw_fd()));
    println!("openat2 beneath ../: {:?}", sys::openat2_beneath(w, c"../x", libc::O_RDONLY).map(|f| f.as_raw_fd()));
    let st = sys::fstatat(w, c"file", 0)?;
    println!("fstatat: size={} mode={:o} ino={}", st.st_size, st.st_mode, st.st_ino);
    let sx = sys::statx(w, c"file", 0, libc::STATX_BASIC_STATS | libc::STATX_BTIME)?;
    println!("statx: size={} mask={:x} btime={}", sx.stx_size, sx.stx_mask, sx.stx_btime.tv_sec);
    println!("mkdirat: {:?}", sys::mkdirat(w, c"d", 0o755));
    println!("renameat2 NOREPLACE: {:?}", sys::renameat2(w, c"d", w, c"d2", libc::RENAME_NOREPLACE));
    println!("symlinkat: {:?}", sys::symlinkat(c"file", w, c"lnk"));
    println!("readlinkat: {:?}", sys::readlinkat(w, c"lnk"));
    println!("fchownat: {:?}", sys::fchownat(w, c"file", sys::getuid(), u32::MAX, 0));
    let ts = [libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_NOW }, libc::timespec { tv_sec: 1_000_000_000, tv_nsec: 0 }];
    println!("utimensat: {:?}", sys::utimensat(w, c"file", &ts, 0));
    let mut buf = [0u8; 4096];
    let mut n = 0;
    sys::getdents64(w, &mut buf, |name, ty, ino| { n += 1; println!("  dent {:?} type={} ino={}", name, ty, ino); })?;
    println!("getdents64: {} entries", n);
    let src = sys::openat(w, c"file", libc::O_RDONLY, 0)?;
    let dst = sys::openat(w, c"copy", libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, 0o644)?;
    println!("copy_file_range: {:?}", sys::copy_file_range(src.as_raw_fd(), dst.as_raw_fd(), 1 << 20));
    let mut off = 0i64;
    println!("sendfile: {:?}", sys::sendfile(dst.as_raw_fd(), src.as_raw_fd(), &mut off, 1 << 20));
    let (r, wr) = sys::pipe2(libc::O_CLOEXEC)?;
    let src2 = sys::openat(w, c"file", libc::O_RDONLY, 0)?;
    println!("splice: {:?}", sys::splice(src2.as_raw_fd(), wr.as_raw_fd(), 1 << 16));
    let mut pfd = [libc::pollfd { fd: r.as_raw_fd(), events: libc::POLLIN, revents: 0 }];
    println!("poll: {:?} revents={}", sys::poll(&mut pfd, 0), pfd[0].revents);
    println!("dup2: {:?}", sys::dup2(r.as_raw_fd(), 100).map(|f| f.as_raw_fd()));
    println!("unlinkat lnk: {:?}", sys::unlinkat(w, c"lnk", 0));
    println!("unlinkat d2: {:?}", sys::unlinkat(w, c"d2", libc::AT_REMOVEDIR));
    // fork + execve + waitpid
    let argv = [c"/bin/true".as_ptr(), std::ptr::null()];
    let envp = [std::ptr::null()];
    match sys::fork()? {
        0 => { let _ = sys::execve(c"/bin/true", &argv, &envp); unsafe { libc::_exit(127) } }
        pid => println!("waitpid: {:?}", sys::waitpid(pid, 0)),
    }
    // signals
    println!("sigaction: {:?}", sys::sigaction(libc::SIGUSR1, on_sig));
    println!("sigprocmask block: {:?}", sys::sigprocmask(libc::SIG_BLOCK, &[libc::SIGUSR1]).map(drop));
    println!("kill: {:?}", sys::kill(sys::getpid(), libc::SIGUSR1));
    println!("got before unblock: {}", GOT.load(std::sync::atomic::Ordering::SeqCst));
    let _ = sys::sigprocmask(libc::SIG_UNBLOCK, &[libc::SIGUSR1]);
    println!("got after unblock: {}", GOT.load(std::sync::atomic::Ordering::SeqCst));
    // tty
    match sys::tcgetattr(0) {
        Ok(t) => println!("tcgetattr: lflag={:x} tcsetattr: {:?}", t.c_lflag, sys::tcsetattr(0, libc::TCSANOW, &t)),
        Err(e) => println!("tcgetattr: {e}"),
    }
    match sys::tcgetpgrp(0) {
        Ok(p) => println!("tcgetpgrp: {p} tcsetpgrp: {:?}", sys::tcsetpgrp(0, p)),
        Err(e) => println!("tcgetpgrp: {e}"),
    }
    println!("TIOCGWINSZ: {:?}", sys::winsize(0));
    println!("getuid: {} getgroups: {:?}", sys::getuid(), sys::getgroups());
    let (c, m) = sys::getrlimit(libc::RLIMIT_NOFILE)?;
    println!("getrlimit: {c} {m} setrlimit: {:?}", sys::setrlimit(libc::RLIMIT_NOFILE, c, m));
    let old = sys::umask(0o022);
    println!("umask: old={:o}", old);
    Ok(())
}

fn bench_stat(dir: &CStr, n: usize) -> io::Result<()> {
    let wd = sys::openat(libc::AT_FDCWD, dir, libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    let mut acc = 0u64;
    for _ in 0..n { acc = acc.wrapping_add(sys::fstatat(wd.as_raw_fd(), c"file", 0)?.st_size as u64); }
    println!("{acc}");
    Ok(())
}

fn bench_dents(dir: &CStr, n: usize) -> io::Result<()> {
    let mut buf = vec![0u8; 32768];
    let mut acc = 0u64;
    for _ in 0..n {
        let d = sys::openat(libc::AT_FDCWD, dir, libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
        sys::getdents64(d.as_raw_fd(), &mut buf, |name, ty, ino| { acc = acc.wrapping_add(ino ^ ty as u64 ^ name.to_bytes().len() as u64); })?;
    }
    println!("{acc}");
    Ok(())
}

fn main() {
    shared::main(all, bench_stat, bench_dents);
}
