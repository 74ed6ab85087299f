//! The applet context and the error conventions shared by every applet.
//!
//! Messages are bytes (`Vec<u8>`): file names are never converted lossily. An applet reports
//! `name: message` on stderr and keeps going, recording its exit status in the context; fatal
//! errors travel as [`Error`] up to the entry point.

use std::ffi::OsStr;
use std::io as stdio;
use std::os::unix::ffi::OsStrExt;

use super::io::Out;
use super::quote;

/// An error that ends the applet: exit code plus message (without the `applet: ` prefix).
/// An empty message means "already reported" (or a quiet exit such as EPIPE).
#[derive(Debug)]
pub struct Error {
    pub code: i32,
    pub msg: Vec<u8>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(code: i32, msg: impl Into<Vec<u8>>) -> Self {
        Error {
            code,
            msg: msg.into(),
        }
    }
    /// Exit with `code` and print nothing more.
    pub fn silent(code: i32) -> Self {
        Error {
            code,
            msg: Vec::new(),
        }
    }
    /// `what: strerror` — e.g. `write error: No space left on device`.
    pub fn io(code: i32, what: &str, e: &stdio::Error) -> Self {
        let mut msg = what.as_bytes().to_vec();
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(strerror(e).as_bytes());
        Error { code, msg }
    }
    /// `NAME: strerror` for a file named by the user, e.g. `x: No such file or directory`.
    pub fn file(code: i32, name: &[u8], e: &stdio::Error) -> Self {
        let mut msg = name.to_vec();
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(strerror(e).as_bytes());
        Error { code, msg }
    }
    /// A write error on standard output: `write error: ...`, exit 1. EPIPE only gets here when
    /// the process was started with SIGPIPE ignored (otherwise the signal ends it first, as a
    /// C tool), and GNU's tools report it then too.
    pub fn write(e: &stdio::Error) -> Self {
        Error::io(1, "write error", e)
    }
}

impl From<stdio::Error> for Error {
    fn from(e: stdio::Error) -> Self {
        Error::write(&e)
    }
}

/// BusyBox's `can't open 'NAME': ERROR` (its bb_perror_msg wording, kept where rbox follows
/// BusyBox rather than GNU).
pub fn cant_open(name: &[u8], e: &stdio::Error) -> Vec<u8> {
    [b"can't open '", name, b"': ", strerror(e).as_bytes()].concat()
}

/// The C library's text for an errno, without Rust's " (os error N)" suffix.
pub fn strerror(e: &stdio::Error) -> String {
    match e.raw_os_error() {
        Some(n) => errno_text(n),
        None => e.to_string(),
    }
}

/// Text for a raw errno value. musl and glibc agree on the common ones; where they differ we
/// follow glibc, which is what users of GNU tools read.
pub fn errno_text(n: i32) -> String {
    // Every errno a Linux system call returns whose musl text differs from glibc's.
    let glibc = match n {
        libc::EIO => Some("Input/output error"),
        libc::ECHILD => Some("No child processes"),
        libc::ENOMEM => Some("Cannot allocate memory"),
        libc::EBUSY => Some("Device or resource busy"),
        libc::EXDEV => Some("Invalid cross-device link"),
        libc::EMFILE => Some("Too many open files"),
        libc::ENOTTY => Some("Inappropriate ioctl for device"),
        libc::ESPIPE => Some("Illegal seek"),
        libc::EDOM => Some("Numerical argument out of domain"),
        libc::ERANGE => Some("Numerical result out of range"),
        libc::EDEADLK => Some("Resource deadlock avoided"),
        libc::ENAMETOOLONG => Some("File name too long"),
        libc::ELOOP => Some("Too many levels of symbolic links"),
        libc::ETIME => Some("Timer expired"),
        libc::EOVERFLOW => Some("Value too large for defined data type"),
        libc::EILSEQ => Some("Invalid or incomplete multibyte or wide character"),
        libc::ENOTSOCK => Some("Socket operation on non-socket"),
        libc::EMSGSIZE => Some("Message too long"),
        libc::ENOTSUP => Some("Operation not supported"),
        libc::EADDRINUSE => Some("Address already in use"),
        libc::EADDRNOTAVAIL => Some("Cannot assign requested address"),
        libc::ENETUNREACH => Some("Network is unreachable"),
        libc::ENETRESET => Some("Network dropped connection on reset"),
        libc::ECONNABORTED => Some("Software caused connection abort"),
        libc::ECONNRESET => Some("Connection reset by peer"),
        libc::EISCONN => Some("Transport endpoint is already connected"),
        libc::ENOTCONN => Some("Transport endpoint is not connected"),
        libc::ESHUTDOWN => Some("Cannot send after transport endpoint shutdown"),
        libc::ETIMEDOUT => Some("Connection timed out"),
        libc::EHOSTUNREACH => Some("No route to host"),
        libc::EINPROGRESS => Some("Operation now in progress"),
        libc::EUCLEAN => Some("Structure needs cleaning"),
        libc::EDQUOT => Some("Disk quota exceeded"),
        libc::EOWNERDEAD => Some("Owner died"),
        // Same text in both, kept here so that a musl upgrade cannot change them.
        libc::ENOENT => Some("No such file or directory"),
        libc::ENOTEMPTY => Some("Directory not empty"),
        libc::EAGAIN => Some("Resource temporarily unavailable"),
        libc::ENOEXEC => Some("Exec format error"),
        libc::E2BIG => Some("Argument list too long"),
        libc::ETXTBSY => Some("Text file busy"),
        libc::EBADF => Some("Bad file descriptor"),
        _ => None,
    };
    if let Some(t) = glibc {
        return t.to_string();
    }
    // The C library's own text (std asks strerror_r), with Rust's suffix taken off.
    let t = stdio::Error::from_raw_os_error(n).to_string();
    match t.strip_suffix(&format!(" (os error {n})")) {
        Some(s) => s.to_string(),
        None => t,
    }
}

/// Which exit status an applet keeps when several things go wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusRule {
    /// The worst (highest) status wins: ls, tar.
    Worst,
    /// The first non-zero status sticks.
    First,
}

/// What an applet gets besides its arguments.
pub struct Ctx {
    /// Name used in messages (`cat: ...`).
    pub name: &'static str,
    /// Buffered standard output.
    pub out: Out,
    /// The status so far.
    pub status: i32,
    pub rule: StatusRule,
    /// Messages kept instead of written (a subtree of a split walk: printed in walk order).
    kept: Option<Vec<u8>>,
}

impl Ctx {
    pub fn new(name: &'static str) -> Self {
        Ctx {
            name,
            out: Out::stdout(),
            status: 0,
            rule: StatusRule::Worst,
            kept: None,
        }
    }

    /// A context whose messages are kept (see [`Ctx::take_kept`]) rather than written.
    pub fn keeping(name: &'static str) -> Self {
        Ctx {
            kept: Some(Vec::new()),
            ..Ctx::new(name)
        }
    }

    /// Bytes of messages kept so far.
    pub fn kept_len(&self) -> usize {
        self.kept.as_ref().map_or(0, |k| k.len())
    }

    /// Inserts messages kept elsewhere at byte `at` of those kept here.
    pub fn keep_at(&mut self, at: usize, msgs: &[u8]) {
        if let Some(k) = &mut self.kept {
            let at = at.min(k.len());
            k.splice(at..at, msgs.iter().copied());
        }
    }

    /// The messages kept, as they would have been written to standard error.
    pub fn take_kept(&mut self) -> Vec<u8> {
        self.kept.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Record a status according to the applet's rule.
    pub fn fail(&mut self, code: i32) {
        match self.rule {
            StatusRule::Worst => self.status = self.status.max(code),
            StatusRule::First => {
                if self.status == 0 {
                    self.status = code
                }
            }
        }
    }

    /// [`Ctx::msg`] of formatted text (`ctx.msgf(format_args!(..))`): one call at each site
    /// instead of a `format!`, its bytes and its drop.
    pub fn msgf(&mut self, a: std::fmt::Arguments) {
        self.msg(std::fmt::format(a).as_bytes());
    }

    /// Print `name: msg` on stderr. Standard output is flushed first so the two interleave as
    /// a C program's would when both go to one terminal or file.
    pub fn msg(&mut self, msg: &[u8]) {
        if let Some(k) = &mut self.kept {
            k.extend_from_slice(self.name.as_bytes());
            k.extend_from_slice(b": ");
            k.extend_from_slice(msg);
            k.push(b'\n');
            return;
        }
        let _ = self.out.flush();
        let mut line = Vec::with_capacity(self.name.len() + msg.len() + 3);
        line.extend_from_slice(self.name.as_bytes());
        line.extend_from_slice(b": ");
        line.extend_from_slice(msg);
        line.push(b'\n');
        super::io::write_all(super::io::stderr_fd(), &line).ok();
    }

    /// Report an error, record its status, and go on.
    pub fn error(&mut self, code: i32, msg: &[u8]) {
        self.msg(msg);
        self.fail(code);
    }

    /// [`Ctx::error`] of formatted text.
    pub fn errorf(&mut self, code: i32, a: std::fmt::Arguments) {
        self.msgf(a);
        self.fail(code);
    }

    /// `cat: NAME: strerror` with NAME quoted only when needed (GNU `quotef`).
    pub fn error_file(&mut self, code: i32, name: &OsStr, e: &stdio::Error) {
        let mut m = quote::quote_if_needed(name.as_bytes());
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        self.error(code, &m);
    }

    /// `WHAT 'NAME': strerror` with NAME always quoted (GNU `quoteaf`), e.g. `mkdir: cannot
    /// create directory 'x': File exists`; records `code`.
    pub fn error_quoted(&mut self, code: i32, what: &str, name: &[u8], e: &stdio::Error) {
        let mut m = what.as_bytes().to_vec();
        m.push(b' ');
        m.extend_from_slice(&quote::quote_always(name));
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        self.error(code, &m);
    }

    /// Print the usual `Try 'NAME --help' for more information.` line.
    pub fn try_help(&mut self) {
        let _ = self.out.flush();
        let line = format!("Try '{} --help' for more information.\n", self.name);
        super::io::write_all(super::io::stderr_fd(), line.as_bytes()).ok();
    }

    /// Finish: report a fatal error if any, flush output, and return the exit status.
    pub fn finish(&mut self, r: Result<()>) -> i32 {
        if let Err(e) = r {
            if !e.msg.is_empty() {
                self.msg(&e.msg);
            }
            self.fail(e.code);
        }
        if let Err(e) = self.out.flush() {
            let e = Error::write(&e);
            if !e.msg.is_empty() {
                self.msg(&e.msg);
            }
            self.fail(e.code);
        }
        self.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_texts_without_rust_suffix() {
        assert_eq!(errno_text(libc::ENOENT), "No such file or directory");
        assert_eq!(errno_text(libc::EACCES), "Permission denied");
        assert_eq!(errno_text(libc::ENOSPC), "No space left on device");
        // musl's own words differ for these: glibc's, as GNU's tools print them.
        assert_eq!(errno_text(libc::EIO), "Input/output error");
        assert_eq!(errno_text(libc::ENOTTY), "Inappropriate ioctl for device");
        assert_eq!(errno_text(libc::EBUSY), "Device or resource busy");
        assert_eq!(errno_text(libc::ENOMEM), "Cannot allocate memory");
        assert_eq!(errno_text(libc::ERANGE), "Numerical result out of range");
        assert!(!errno_text(9999).contains("os error"));
        let e = stdio::Error::other("plain");
        assert_eq!(strerror(&e), "plain");
    }
}
