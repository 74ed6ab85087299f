//! Terminals: termios attributes, the window size, pseudo-terminal pairs, queue control
//! (tcdrain/tcflush), waits for input, and the SIGWINCH ("the window changed") notification the
//! line editor redraws on. The foreground process group (tcsetpgrp/tcgetpgrp) lives with the
//! process calls in [`super::process`].

use std::io;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, Ordering};

use super::fd::{cvt, owned, retry, set_cloexec, AsFd, AsRawFd, BorrowedFd, OwnedFd};

/// `struct termios` as the kernel and musl define it: flags (`c_iflag`, `c_oflag`, `c_cflag`,
/// `c_lflag`) and the control characters `c_cc` indexed by `libc::VMIN`, `libc::VINTR`, ...
pub type Termios = libc::termios;

/// When [`tcsetattr`] applies the new settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetWhen {
    /// At once (`TCSANOW`): input typed ahead is kept.
    Now,
    /// After the output written so far has been transmitted (`TCSADRAIN`).
    Drain,
    /// After the output drains, discarding unread input (`TCSAFLUSH`).
    Flush,
}

/// The terminal attributes of `fd` (tcgetattr(3)); ENOTTY when it is not a terminal.
pub fn tcgetattr(fd: BorrowedFd) -> io::Result<Termios> {
    let mut t = MaybeUninit::<Termios>::uninit();
    // SAFETY: t has room for a struct termios, which tcgetattr fills on success.
    cvt(unsafe { libc::tcgetattr(fd.as_raw_fd(), t.as_mut_ptr()) })?;
    // SAFETY: tcgetattr succeeded, so t is initialised.
    Ok(unsafe { t.assume_init() })
}

/// Sets the terminal attributes of `fd` (tcsetattr(3)), retried on EINTR (a `Drain`/`Flush`
/// waits for output and can be interrupted).
pub fn tcsetattr(fd: BorrowedFd, when: SetWhen, t: &Termios) -> io::Result<()> {
    let action = match when {
        SetWhen::Now => libc::TCSANOW,
        SetWhen::Drain => libc::TCSADRAIN,
        SetWhen::Flush => libc::TCSAFLUSH,
    };
    retry(|| {
        // SAFETY: t is a valid termios, only read by tcsetattr.
        cvt(unsafe { libc::tcsetattr(fd.as_raw_fd(), action, t) }).map(drop)
    })
}

/// tcdrain(3): waits until the output written to `fd` has been transmitted. Retried on EINTR.
pub fn tcdrain(fd: BorrowedFd) -> io::Result<()> {
    // SAFETY: tcdrain only takes a descriptor number.
    retry(|| cvt(unsafe { libc::tcdrain(fd.as_raw_fd()) }).map(drop))
}

/// Which queue [`tcflush`] discards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queue {
    /// Data received but not read (`TCIFLUSH`).
    Input,
    /// Data written but not transmitted (`TCOFLUSH`).
    Output,
    /// Both (`TCIOFLUSH`).
    Both,
}

/// tcflush(3): discards the data in `queue`.
pub fn tcflush(fd: BorrowedFd, queue: Queue) -> io::Result<()> {
    let q = match queue {
        Queue::Input => libc::TCIFLUSH,
        Queue::Output => libc::TCOFLUSH,
        Queue::Both => libc::TCIOFLUSH,
    };
    // SAFETY: tcflush only takes numbers.
    cvt(unsafe { libc::tcflush(fd.as_raw_fd(), q) }).map(drop)
}

/// A terminal window's size in character cells (and pixels, 0 when unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WinSize {
    pub rows: u16,
    pub cols: u16,
    pub xpixel: u16,
    pub ypixel: u16,
}

/// The window size of the terminal on `fd` (ioctl TIOCGWINSZ). A terminal that was never told
/// its size reports 0 rows and 0 columns; callers pick their default then.
pub fn window_size(fd: BorrowedFd) -> io::Result<WinSize> {
    let mut ws = MaybeUninit::<libc::winsize>::uninit();
    // SAFETY: TIOCGWINSZ writes one struct winsize through the pointer, which has room for it.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, ws.as_mut_ptr()) })?;
    // SAFETY: the ioctl succeeded, so ws is initialised.
    let ws = unsafe { ws.assume_init() };
    Ok(WinSize {
        rows: ws.ws_row,
        cols: ws.ws_col,
        xpixel: ws.ws_xpixel,
        ypixel: ws.ws_ypixel,
    })
}

/// Sets the window size of the terminal on `fd` (ioctl TIOCSWINSZ); the kernel sends SIGWINCH
/// to the terminal's foreground process group when it changes.
pub fn set_window_size(fd: BorrowedFd, size: WinSize) -> io::Result<()> {
    let ws = libc::winsize {
        ws_row: size.rows,
        ws_col: size.cols,
        ws_xpixel: size.xpixel,
        ws_ypixel: size.ypixel,
    };
    // SAFETY: TIOCSWINSZ reads one struct winsize through the pointer.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSWINSZ, &ws) }).map(drop)
}

/// Makes the terminal on `fd` the controlling terminal of the caller, a session leader
/// without one (ioctl TIOCSCTTY). A terminal another session holds is refused unless `steal`
/// and the caller has CAP_SYS_ADMIN (util-linux's `setsid -c` asks to steal).
pub fn set_controlling_terminal(fd: BorrowedFd, steal: bool) -> io::Result<()> {
    // SAFETY: TIOCSCTTY takes an int argument (1: steal from another session).
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSCTTY, i32::from(steal)) }).map(drop)
}

/// ttyname(3): the file name of the terminal on `fd` (ENOTTY when it is not one).
pub fn ttyname(fd: BorrowedFd) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; 4096];
    // SAFETY: ttyname_r writes at most buf.len() bytes, NUL-terminated, into buf.
    let r = unsafe { libc::ttyname_r(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return Err(io::Error::from_raw_os_error(r));
    }
    let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    Ok(buf[..n].to_vec())
}

/// The number of bytes waiting to be read on `fd` (ioctl FIONREAD): a paste or keys typed ahead.
pub fn bytes_readable(fd: BorrowedFd) -> io::Result<usize> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD stores one int through the pointer.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::FIONREAD, &mut n) })?;
    Ok(n.max(0) as usize)
}

/// A new pseudo-terminal pair (openpty(3)): (master, slave), both close-on-exec so that children
/// forked meanwhile do not keep the slave open. The slave is not made a controlling terminal.
pub fn openpty() -> io::Result<(OwnedFd, OwnedFd)> {
    let (mut m, mut s): (libc::c_int, libc::c_int) = (-1, -1);
    // SAFETY: m and s receive the two descriptors; the name, termios and winsize arguments may
    // be null (none wanted, defaults kept).
    cvt(unsafe {
        libc::openpty(
            &mut m,
            &mut s,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    })?;
    let (m, s) = (owned(m), owned(s));
    set_cloexec(m.as_fd(), true)?;
    set_cloexec(s.as_fd(), true)?;
    Ok((m, s))
}

/// Waits until `fd` is readable (poll(2) for POLLIN; a hang-up counts as readable, as the next
/// read then reports it). `timeout_ms`: -1 waits without bound. `Ok(false)` when the timeout
/// passed; a signal ends the wait with an `Interrupted` error (not retried: the caller decides).
pub fn poll_readable(fd: BorrowedFd, timeout_ms: i32) -> io::Result<bool> {
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: p is one valid pollfd, and the count says one.
    let r = cvt(unsafe { libc::poll(&mut p, 1, timeout_ms) })?;
    Ok(r > 0)
}

/// Set by the SIGWINCH handler of [`WinchWatch`], cleared by [`take_winch`]. A signal handler can
/// only talk through process-wide state; this flag is the one piece it has.
static WINCH: AtomicBool = AtomicBool::new(false);

extern "C" fn on_winch(_: libc::c_int) {
    WINCH.store(true, Ordering::Relaxed);
}

/// Takes (and clears) the "window size changed" flag that [`WinchWatch`]'s handler sets.
pub fn take_winch() -> bool {
    WINCH.swap(false, Ordering::Relaxed)
}

/// Our SIGWINCH handler while the value lives, for the thread that installed it; the previous
/// disposition and that thread's signal mask come back on drop, so that commands (forked
/// without exec) do not inherit them.
///
/// SIGWINCH is blocked on the thread except while it waits in [`WinchWatch::wait_readable`]
/// (ppoll(2) with SIGWINCH unblocked): a resize can only be taken while waiting, so it always
/// interrupts the wait (no window between checking [`take_winch`] and blocking).
///
/// Not `Send`: the mask it restores is the installing thread's.
pub struct WinchWatch {
    old: libc::sigaction,
    old_mask: libc::sigset_t,
    wait_mask: libc::sigset_t,
    _thread: PhantomData<*const ()>,
}

/// pthread_* calls return the error number instead of setting errno.
fn cvt_pthread(r: libc::c_int) -> io::Result<()> {
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(r))
    }
}

fn empty_sigset() -> libc::sigset_t {
    let mut s = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigemptyset initialises the whole set it is given room for.
    unsafe {
        libc::sigemptyset(s.as_mut_ptr());
        s.assume_init()
    }
}

impl WinchWatch {
    /// Blocks SIGWINCH on the calling thread and installs the flag-setting handler.
    pub fn install() -> io::Result<WinchWatch> {
        let mut block = empty_sigset();
        let mut old_mask = empty_sigset();
        // SAFETY: block and old_mask are initialised sets; sigaddset only writes into block.
        unsafe {
            libc::sigaddset(&mut block, libc::SIGWINCH);
            cvt_pthread(libc::pthread_sigmask(
                libc::SIG_BLOCK,
                &block,
                &mut old_mask,
            ))?;
        }
        // SAFETY: struct sigaction is plain data (integers, a handler address, a set); all-zero
        // is a valid value (SIG_DFL, no flags) that the fields below complete.
        let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
        sa.sa_sigaction = on_winch as extern "C" fn(libc::c_int) as usize;
        sa.sa_mask = empty_sigset();
        sa.sa_flags = 0;
        // SAFETY: as above; sigaction overwrites it with the previous disposition.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: sa is a valid disposition whose handler only stores to an atomic (async-signal
        // safe); old receives the previous one.
        if let Err(e) = cvt(unsafe { libc::sigaction(libc::SIGWINCH, &sa, &mut old) }) {
            // SAFETY: restores the mask saved just above; a null old-set pointer is allowed.
            unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &old_mask, std::ptr::null_mut()) };
            return Err(e);
        }
        let mut wait_mask = old_mask;
        // SAFETY: wait_mask is an initialised set.
        unsafe { libc::sigdelset(&mut wait_mask, libc::SIGWINCH) };
        Ok(WinchWatch {
            old,
            old_mask,
            wait_mask,
            _thread: PhantomData,
        })
    }

    /// Waits without a timeout until `fd` is readable, with SIGWINCH (and whatever the thread
    /// had unblocked before) deliverable meanwhile. A signal ends the wait with an
    /// `Interrupted` error; [`take_winch`] says whether it was a resize.
    pub fn wait_readable(&self, fd: BorrowedFd) -> io::Result<()> {
        let mut p = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a null timeout (wait without bound) and a valid mask.
        cvt(unsafe { libc::ppoll(&mut p, 1, std::ptr::null(), &self.wait_mask) }).map(drop)
    }
}

impl Drop for WinchWatch {
    fn drop(&mut self) {
        // SAFETY: restores the mask and disposition saved by install, on the installing thread
        // (the value is not Send). A resize still pending is delivered to our handler first
        // (harmless: the flag is cleared by the next user). Null old-value pointers are allowed.
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old_mask, std::ptr::null_mut());
            libc::sigaction(libc::SIGWINCH, &self.old, std::ptr::null_mut());
        }
    }
}

/// Sends SIGWINCH to one thread (pthread_kill(3)), as a terminal resize would to a process:
/// tests use it to interrupt an editor waiting in [`WinchWatch::wait_readable`] on that thread.
pub fn send_winch<T>(thread: &std::thread::JoinHandle<T>) -> io::Result<()> {
    use std::os::unix::thread::JoinHandleExt;
    // SAFETY: the borrowed JoinHandle keeps the thread joinable (not joined, not detached), so
    // its pthread_t stays valid for the call even if the thread has finished.
    cvt_pthread(unsafe {
        libc::pthread_kill(
            thread.as_pthread_t() as usize as libc::pthread_t,
            libc::SIGWINCH,
        )
    })
}

/// SIGWINCH's disposition and [`take_winch`]'s flag are process-wide: tests that install a
/// [`WinchWatch`] (here and the line editor's pty tests) hold this lock.
#[cfg(test)]
pub(crate) fn test_lock() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::super::fd::{read, write_all};
    use super::*;

    #[test]
    fn raw_mode_round_trip_on_a_pty() {
        let (m, s) = openpty().unwrap();
        let cooked = tcgetattr(s.as_fd()).unwrap();
        assert!(cooked.c_lflag & libc::ICANON != 0);
        let mut raw = cooked;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        tcsetattr(s.as_fd(), SetWhen::Now, &raw).unwrap();
        let got = tcgetattr(s.as_fd()).unwrap();
        assert_eq!(got.c_lflag & (libc::ICANON | libc::ECHO), 0);
        // Raw: a byte without a newline is readable at once, and not echoed.
        write_all(m.as_fd(), b"x").unwrap();
        assert!(poll_readable(s.as_fd(), 5000).unwrap());
        let mut b = [0u8; 4];
        assert_eq!(read(s.as_fd(), &mut b).unwrap(), 1);
        assert_eq!(b[0], b'x');
        assert!(!poll_readable(m.as_fd(), 0).unwrap(), "echoed in raw mode");
        // Back to cooked: the line is held until its newline.
        tcsetattr(s.as_fd(), SetWhen::Flush, &cooked).unwrap();
        assert_eq!(tcgetattr(s.as_fd()).unwrap().c_lflag, cooked.c_lflag);
        write_all(m.as_fd(), b"ab").unwrap();
        assert!(!poll_readable(s.as_fd(), 50).unwrap());
        write_all(m.as_fd(), b"\n").unwrap();
        assert!(poll_readable(s.as_fd(), 5000).unwrap());
        assert_eq!(bytes_readable(s.as_fd()).unwrap(), 3);
        tcflush(s.as_fd(), Queue::Input).unwrap();
        assert_eq!(bytes_readable(s.as_fd()).unwrap(), 0);
        tcdrain(s.as_fd()).unwrap();
    }

    #[test]
    fn controlling_terminal_of_a_new_session() {
        use super::super::process::{exit_now, fork, getpid, setsid, tcgetpgrp, waitpid, Fork};
        let (_m, s) = openpty().unwrap();
        match fork().unwrap() {
            Fork::Child => {
                // Not a session leader yet: refused; then a session of its own takes it.
                let before = set_controlling_terminal(s.as_fd(), false).is_err();
                let ok = before
                    && setsid().is_ok()
                    && set_controlling_terminal(s.as_fd(), false).is_ok()
                    && tcgetpgrp(s.as_fd()).is_ok_and(|pg| pg == getpid());
                exit_now(if ok { 0 } else { 1 })
            }
            Fork::Parent(pid) => {
                let (_, st) = waitpid(pid, 0).unwrap().unwrap();
                assert_eq!(st.exit_code(), Some(0));
            }
        }
    }

    #[test]
    fn window_size_on_a_pty_and_not_a_tty() {
        let (m, s) = openpty().unwrap();
        let want = WinSize {
            rows: 33,
            cols: 117,
            xpixel: 0,
            ypixel: 0,
        };
        set_window_size(m.as_fd(), want).unwrap();
        assert_eq!(window_size(s.as_fd()).unwrap(), want);
        let (r, _w) = super::super::fd::pipe().unwrap();
        assert_eq!(
            window_size(r.as_fd()).unwrap_err().raw_os_error(),
            Some(libc::ENOTTY)
        );
        assert_eq!(
            tcgetattr(r.as_fd()).unwrap_err().raw_os_error(),
            Some(libc::ENOTTY)
        );
        assert!(super::super::fd::isatty(s.as_fd()));
        assert!(!super::super::fd::isatty(r.as_fd()));
    }

    #[test]
    fn winch_interrupts_the_wait() {
        let _g = test_lock();
        let (m, s) = openpty().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let h = std::thread::spawn(move || {
            let w = WinchWatch::install().unwrap();
            let _ = take_winch();
            tx.send(()).unwrap();
            let r = w.wait_readable(s.as_fd());
            done_tx
                .send((r.map_err(|e| e.kind()), take_winch()))
                .unwrap();
        });
        rx.recv().unwrap();
        // The signal may arrive before the thread blocks in ppoll: it stays pending (blocked)
        // and is taken as soon as ppoll unblocks it.
        send_winch(&h).unwrap();
        let got = done_rx.recv_timeout(std::time::Duration::from_secs(10));
        if got.is_err() {
            // Not interrupted: wake the waiter with a key so that the test fails, not hangs.
            write_all(m.as_fd(), b"x").unwrap();
        }
        h.join().unwrap();
        let (r, flag) = got.expect("SIGWINCH did not interrupt the wait");
        assert_eq!(r, Err(io::ErrorKind::Interrupted));
        assert!(flag);
    }
}
