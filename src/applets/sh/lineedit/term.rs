//! The terminal: raw mode through termios, the window width, SIGWINCH, and byte reads that
//! block without polling (a timeout is used only inside an escape sequence).

use std::io;
use std::os::unix::io::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};

/// True when `fd` is a terminal.
pub fn is_tty(fd: RawFd) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

/// Raw mode for the duration of the value: the previous settings come back on drop, so every
/// return path of the editor (Enter, Ctrl-C, Ctrl-D, read errors, an unwinding panic in tests)
/// leaves the terminal in the mode the shell and its commands expect.
pub struct RawMode {
    fd: RawFd,
    saved: libc::termios,
}

impl RawMode {
    /// Switches `fd` to raw input: no line buffering, no echo, no signal keys (Ctrl-C, Ctrl-Z,
    /// Ctrl-\ arrive as bytes), no CR-to-NL translation, no flow control keys (Ctrl-S/Ctrl-Q
    /// would freeze the prompt), reads return after one byte. Output processing is kept, so a
    /// message written by someone else while we edit still gets its CR.
    pub fn enter(fd: RawFd) -> io::Result<RawMode> {
        // SAFETY: termios is plain old data; tcgetattr fills it.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let saved = t;
        t.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ECHONL | libc::ISIG | libc::IEXTEN);
        t.c_iflag &= !(libc::ICRNL | libc::INLCR | libc::IGNCR | libc::IXON | libc::ISTRIP);
        t.c_cc[libc::VMIN] = 1;
        t.c_cc[libc::VTIME] = 0;
        // TCSANOW, not TCSAFLUSH: keys typed ahead while the previous command ran are kept.
        set(fd, &t)?;
        Ok(RawMode { fd, saved })
    }

    /// The settings in force before raw mode (what commands run with).
    pub fn saved(&self) -> &libc::termios {
        &self.saved
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = set(self.fd, &self.saved);
    }
}

fn set(fd: RawFd, t: &libc::termios) -> io::Result<()> {
    loop {
        // SAFETY: t is a valid termios.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, t) } == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Terminal width from TIOCGWINSZ; 80 when it is unknown (0 or not a terminal).
pub fn width(fd: RawFd) -> usize {
    // SAFETY: winsize is plain old data filled by the ioctl.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    if r == 0 && ws.ws_col > 0 {
        ws.ws_col as usize
    } else {
        80
    }
}

/// Set by the SIGWINCH handler, cleared by the editor when it redraws. A signal handler can
/// only talk through process-wide state; this flag is the one piece the editor has.
static WINCH: AtomicBool = AtomicBool::new(false);

extern "C" fn on_winch(_: libc::c_int) {
    WINCH.store(true, Ordering::Relaxed);
}

/// Takes (and clears) the "window size changed" flag.
pub fn take_winch() -> bool {
    WINCH.swap(false, Ordering::Relaxed)
}

/// Our SIGWINCH handler while the value lives; the previous disposition and signal mask come
/// back on drop so that commands (forked without exec) do not inherit them.
///
/// SIGWINCH is blocked except while the editor waits for a key in ppoll(2) with
/// [`WinchHandler::wait_mask`]: a resize can only be taken while we wait, so it always
/// interrupts the wait (no window between checking the flag and blocking in read).
pub struct WinchHandler {
    old: libc::sigaction,
    old_mask: libc::sigset_t,
    wait_mask: libc::sigset_t,
}

impl WinchHandler {
    pub fn install() -> Option<WinchHandler> {
        // SAFETY: sigaction and sigset_t are plain old data; the handler only stores an atomic.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_winch as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            sa.sa_flags = 0;
            let mut old: libc::sigaction = std::mem::zeroed();
            let mut block: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut block);
            libc::sigaddset(&mut block, libc::SIGWINCH);
            let mut old_mask: libc::sigset_t = std::mem::zeroed();
            if libc::pthread_sigmask(libc::SIG_BLOCK, &block, &mut old_mask) != 0 {
                return None;
            }
            if libc::sigaction(libc::SIGWINCH, &sa, &mut old) != 0 {
                libc::pthread_sigmask(libc::SIG_SETMASK, &old_mask, std::ptr::null_mut());
                return None;
            }
            let mut wait_mask = old_mask;
            libc::sigdelset(&mut wait_mask, libc::SIGWINCH);
            Some(WinchHandler {
                old,
                old_mask,
                wait_mask,
            })
        }
    }

    /// The signal mask to wait for keys with.
    pub fn wait_mask(&self) -> &libc::sigset_t {
        &self.wait_mask
    }
}

impl Drop for WinchHandler {
    fn drop(&mut self) {
        // SAFETY: restores the mask and disposition saved by install. A resize still pending is
        // delivered to our handler first (harmless: the flag is cleared by the next read_line).
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old_mask, std::ptr::null_mut());
            libc::sigaction(libc::SIGWINCH, &self.old, std::ptr::null_mut());
        }
    }
}

/// What a read of one byte gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Input {
    Byte(u8),
    /// End of file (read returned 0).
    Eof,
    /// The timeout passed with nothing to read.
    Timeout,
    /// A signal interrupted the wait (SIGWINCH, SIGCHLD, ...): the caller may redraw.
    Interrupted,
}

/// Reads one byte from `fd`. With `timeout_ms` the wait is bounded (used only for the rest of
/// an escape sequence or of a UTF-8 char); without it the read blocks, so an idle prompt costs
/// no CPU. One byte at a time so that keys typed ahead of the next command stay in the
/// terminal for that command, as with readline.
///
/// `mask`: for the blocking wait, the signal mask to wait with (see [`WinchHandler`]).
pub fn read_byte(
    fd: RawFd,
    timeout_ms: Option<i32>,
    mask: Option<&libc::sigset_t>,
) -> io::Result<Input> {
    if timeout_ms.is_some() || mask.is_some() {
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let r = match timeout_ms {
            // SAFETY: one valid pollfd.
            Some(ms) => unsafe { libc::poll(&mut p, 1, ms) },
            // SAFETY: one valid pollfd, no timeout, a valid mask.
            None => unsafe {
                libc::ppoll(
                    &mut p,
                    1,
                    std::ptr::null(),
                    mask.map_or(std::ptr::null(), |m| m),
                )
            },
        };
        if r == 0 {
            return Ok(Input::Timeout);
        }
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                return Ok(Input::Interrupted);
            }
            return Err(e);
        }
    }
    let mut b = 0u8;
    // SAFETY: reads at most one byte into b.
    let n = unsafe { libc::read(fd, (&mut b as *mut u8).cast(), 1) };
    match n {
        1 => Ok(Input::Byte(b)),
        0 => Ok(Input::Eof),
        _ => {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                Ok(Input::Interrupted)
            } else {
                Err(e)
            }
        }
    }
}

/// True when input is already waiting (a paste, keys typed ahead): the editor skips redraws
/// until the burst is consumed, so pasting N characters does not cost N full redraws.
pub fn input_pending(fd: RawFd) -> bool {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD stores an int.
    let r = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    r == 0 && n > 0
}
