//! Clocks. Wall-clock and monotonic time come from `std::time` (SystemTime, Instant) and local
//! time from `common::time` (TZ and TZif read by us), so no clock call needs a wrapper yet.
//!
//! Below, in its own section, calls staged here by the misc branch because their proper files
//! (sys/signal.rs, sys/term.rs) belonged to other branches at the time: moved at the merge.

// ---- staged for the merge: move `sigpipe_default` to sys/signal.rs and `winsize` to
// ---- sys/term.rs ----

use std::io;

use super::fd::{cvt, AsRawFd, BorrowedFd};

/// SIGPIPE back to its default disposition (Rust's runtime ignores it): a C tool writing into a
/// closed pipe dies of it quietly (`rbox cat big | head -1`).
pub fn sigpipe_default() {
    // SAFETY: setting a signal's disposition to SIG_DFL installs no handler and touches no
    // memory of ours.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// The terminal's window size on `fd` as (rows, columns) (ioctl TIOCGWINSZ); ENOTTY when `fd`
/// is not a terminal.
pub fn winsize(fd: BorrowedFd) -> io::Result<(u16, u16)> {
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one struct winsize through the pointer, which points to ws.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, &mut ws) })?;
    Ok((ws.ws_row, ws.ws_col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::sys::fd;
    use std::os::fd::AsFd;

    #[test]
    fn winsize_of_a_pipe_is_enotty() {
        let (r, _w) = fd::pipe().unwrap();
        assert_eq!(
            winsize(r.as_fd()).unwrap_err().raw_os_error(),
            Some(libc::ENOTTY)
        );
    }
}
