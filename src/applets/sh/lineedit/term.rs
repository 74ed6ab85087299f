//! The terminal: raw mode through termios, the window width, SIGWINCH, and byte reads that
//! block without polling (a timeout is used only inside an escape sequence). The system calls
//! are in `common::sys::term`.

use std::io;

use crate::common::sys::fd::{self, BorrowedFd};
use crate::common::sys::term::{self as sys, SetWhen, Termios};

pub use sys::{take_winch, WinchWatch as WinchHandler};

/// True when `fd` is a terminal.
pub fn is_tty(fd: BorrowedFd) -> bool {
    fd::isatty(fd)
}

/// Raw mode for the duration of the value: the previous settings come back on drop, so every
/// return path of the editor (Enter, Ctrl-C, Ctrl-D, read errors, an unwinding panic in tests)
/// leaves the terminal in the mode the shell and its commands expect.
pub struct RawMode<'fd> {
    fd: BorrowedFd<'fd>,
    saved: Termios,
}

impl<'fd> RawMode<'fd> {
    /// Switches `fd` to raw input: no line buffering, no echo, no signal keys (Ctrl-C, Ctrl-Z,
    /// Ctrl-\ arrive as bytes), no CR-to-NL translation, no flow control keys (Ctrl-S/Ctrl-Q
    /// would freeze the prompt), reads return after one byte. Output processing is kept, so a
    /// message written by someone else while we edit still gets its CR.
    pub fn enter(fd: BorrowedFd<'fd>) -> io::Result<RawMode<'fd>> {
        let mut t = sys::tcgetattr(fd)?;
        let saved = t;
        t.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ECHONL | libc::ISIG | libc::IEXTEN);
        t.c_iflag &= !(libc::ICRNL | libc::INLCR | libc::IGNCR | libc::IXON | libc::ISTRIP);
        t.c_cc[libc::VMIN] = 1;
        t.c_cc[libc::VTIME] = 0;
        // TCSANOW, not TCSAFLUSH: keys typed ahead while the previous command ran are kept.
        sys::tcsetattr(fd, SetWhen::Now, &t)?;
        Ok(RawMode { fd, saved })
    }

    /// The settings in force before raw mode (what commands run with).
    pub fn saved(&self) -> &Termios {
        &self.saved
    }
}

impl Drop for RawMode<'_> {
    fn drop(&mut self) {
        let _ = sys::tcsetattr(self.fd, SetWhen::Now, &self.saved);
    }
}

/// Terminal width from TIOCGWINSZ; 80 when it is unknown (0 or not a terminal).
pub fn width(fd: BorrowedFd) -> usize {
    match sys::window_size(fd) {
        Ok(ws) if ws.cols > 0 => ws.cols as usize,
        _ => 80,
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
/// `winch`: for the blocking wait, wait in [`WinchHandler::wait_readable`] so that a resize
/// interrupts it.
pub fn read_byte(
    fd: BorrowedFd,
    timeout_ms: Option<i32>,
    winch: Option<&WinchHandler>,
) -> io::Result<Input> {
    let waited = match (timeout_ms, winch) {
        (Some(ms), _) => Some(sys::poll_readable(fd, ms)),
        (None, Some(w)) => Some(w.wait_readable(fd).map(|()| true)),
        (None, None) => None,
    };
    match waited {
        Some(Ok(false)) => return Ok(Input::Timeout),
        Some(Err(e)) if e.kind() == io::ErrorKind::Interrupted => return Ok(Input::Interrupted),
        Some(Err(e)) => return Err(e),
        Some(Ok(true)) | None => {}
    }
    let mut b = [0u8; 1];
    // EINTR is reported (the caller may redraw), not retried.
    match fd::read_interruptible(fd, &mut b) {
        Ok(1) => Ok(Input::Byte(b[0])),
        Ok(_) => Ok(Input::Eof),
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(Input::Interrupted),
        Err(e) => Err(e),
    }
}

/// True when input is already waiting (a paste, keys typed ahead): the editor skips redraws
/// until the burst is consumed, so pasting N characters does not cost N full redraws.
pub fn input_pending(fd: BorrowedFd) -> bool {
    sys::bytes_readable(fd).is_ok_and(|n| n > 0)
}
