//! Where the shell's commands come from: a string (`-c`), a script file, or standard input.
//!
//! The parser pulls bytes through [`Input`] lazily, one command at a time, so that a shell
//! reading its script from a pipe leaves the rest of the pipe to the commands it runs (`read`,
//! `cat`): a non-seekable stdin is read one byte at a time up to each newline; a seekable one in
//! blocks, seeking back over what was not parsed before a command runs. A line editor for
//! interactive use (issue 5) plugs in as another [`LineSource`].

use crate::common::io::{read, stdin_fd};
use crate::common::sys::fd::{self, AsFd, BorrowedFd, OwnedFd};

/// Something that can supply more script text.
pub trait LineSource {
    /// Append at least one byte to `buf`, or return false at end of input.
    fn more(&mut self, buf: &mut Vec<u8>) -> bool;
    /// Give back the `n` bytes read ahead that were not used (seekable stdin).
    fn unread(&mut self, _n: usize) -> bool {
        false
    }
}

/// Drop the NUL bytes of `buf[from..]`: a script's NULs are ignored (dash, BusyBox ash, bash).
pub fn drop_nul(buf: &mut Vec<u8>, from: usize) {
    if memchr::memchr(0, &buf[from..]).is_some() {
        let mut k = from;
        for i in from..buf.len() {
            if buf[i] != 0 {
                buf[k] = buf[i];
                k += 1;
            }
        }
        buf.truncate(k);
    }
}

/// No more text than what the buffer starts with.
pub struct NoSource;

impl LineSource for NoSource {
    fn more(&mut self, _buf: &mut Vec<u8>) -> bool {
        false
    }
}

/// A file descriptor: a script the shell opened (owned), or standard input.
pub struct FdSource {
    /// The script's descriptor, closed with the source (None: standard input).
    owned: Option<OwnedFd>,
    /// Read up to a newline one byte at a time (pipes: leave the rest to commands).
    pub bytewise: bool,
    /// Seek back over the unparsed read-ahead before commands run (seekable stdin).
    pub seek_back: bool,
}

impl FdSource {
    /// A script file, read in blocks.
    pub fn new(fd: OwnedFd) -> FdSource {
        FdSource {
            owned: Some(fd),
            bytewise: false,
            seek_back: false,
        }
    }

    /// Standard input, shared with the commands the script runs: a pipe is read up to each
    /// newline, a seekable file in blocks with a seek back over what was not parsed.
    pub fn stdin() -> FdSource {
        let seekable = fd::lseek(stdin_fd(), 0, libc::SEEK_CUR).is_ok();
        FdSource {
            owned: None,
            bytewise: !seekable,
            seek_back: seekable,
        }
    }

    /// The descriptor read: the script's, or descriptor 0.
    fn fd(&self) -> BorrowedFd<'_> {
        self.owned.as_ref().map_or(stdin_fd(), |f| f.as_fd())
    }
}

impl LineSource for FdSource {
    fn more(&mut self, buf: &mut Vec<u8>) -> bool {
        if self.bytewise {
            let mut got = false;
            let mut b = [0u8; 1];
            loop {
                match read(self.fd(), &mut b) {
                    // NUL bytes in a script are dropped (dash, BusyBox ash, bash).
                    Ok(1) if b[0] == 0 => {}
                    Ok(1) => {
                        got = true;
                        buf.push(b[0]);
                        if b[0] == b'\n' {
                            return true;
                        }
                    }
                    _ => return got,
                }
            }
        }
        let mut tmp = [0u8; 4096];
        match read(self.fd(), &mut tmp) {
            Ok(n) if n > 0 => {
                let at = buf.len();
                buf.extend_from_slice(&tmp[..n]);
                // (Not where read-ahead is given back by seeking: the count must stay exact.)
                if !self.seek_back {
                    drop_nul(buf, at);
                }
                true
            }
            _ => false,
        }
    }
    fn unread(&mut self, n: usize) -> bool {
        if !self.seek_back || n == 0 {
            return false;
        }
        fd::lseek(self.fd(), -(n as i64), libc::SEEK_CUR).is_ok()
    }
}

/// The parser's view: a buffer with a cursor that refills from the source.
pub struct Input {
    pub buf: Vec<u8>,
    pub pos: usize,
    src: Box<dyn LineSource>,
    eof: bool,
    pub line: usize,
    /// Aliases being expanded: (name, buffer position where their text ends).
    pub alias_stack: Vec<(Vec<u8>, usize)>,
    /// Where the last alias whose text ends in a blank ended (the next word is an alias
    /// candidate too).
    pub alias_blank_end: Option<usize>,
}

impl Input {
    pub fn from_bytes(b: &[u8]) -> Input {
        Input {
            buf: b.to_vec(),
            pos: 0,
            src: Box::new(NoSource),
            eof: true,
            line: 1,
            alias_stack: Vec::new(),
            alias_blank_end: None,
        }
    }

    pub fn from_source(src: Box<dyn LineSource>) -> Input {
        Input {
            buf: Vec::new(),
            pos: 0,
            src,
            eof: false,
            line: 1,
            alias_stack: Vec::new(),
            alias_blank_end: None,
        }
    }

    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.peek_at(0)
    }

    #[inline]
    pub fn peek_at(&mut self, k: usize) -> Option<u8> {
        while self.pos + k >= self.buf.len() {
            if self.eof || !self.src.more(&mut self.buf) {
                self.eof = true;
                return None;
            }
        }
        Some(self.buf[self.pos + k])
    }

    #[inline]
    pub fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        if c == b'\n' {
            self.line += 1;
        }
        while let Some(&(_, end)) = self.alias_stack.last() {
            if self.pos >= end {
                if end > 0 && matches!(self.buf.get(end - 1), Some(b' ' | b'\t')) {
                    self.alias_blank_end = Some(end);
                }
                self.alias_stack.pop();
            } else {
                break;
            }
        }
        Some(c)
    }

    /// Remove line continuations (backslash-newline) found at `k` bytes ahead: they vanish
    /// wherever they are outside quotes, even inside an operator (`&\⏎&`) or after `$`.
    pub fn join_continuations(&mut self, k: usize) {
        while self.peek_at(k) == Some(b'\\') && self.peek_at(k + 1) == Some(b'\n') {
            let at = self.pos + k;
            self.buf.drain(at..at + 2);
            self.line += 1;
            for e in self.alias_stack.iter_mut() {
                if e.1 > at {
                    e.1 = e.1.saturating_sub(2).max(at);
                }
            }
        }
    }

    /// Drop what has been parsed; give unparsed read-ahead back to a shared stdin.
    pub fn commit(&mut self) {
        self.alias_blank_end = None;
        if self.alias_stack.is_empty() {
            let rest = self.buf.len() - self.pos;
            if rest > 0 && self.src.unread(rest) {
                self.buf.truncate(self.pos);
            }
            // Drop the parsed prefix only now and then: moving the rest down after every
            // command would copy the read-ahead once per command.
            if self.pos == self.buf.len() || self.pos >= 16384 {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
        }
    }

    /// Insert alias text at the cursor.
    pub fn push_alias(&mut self, name: &[u8], text: &[u8]) {
        let n = text.len();
        for e in self.alias_stack.iter_mut() {
            e.1 += n;
        }
        self.buf.splice(self.pos..self.pos, text.iter().copied());
        self.alias_stack.push((name.to_vec(), self.pos + n));
    }

    pub fn in_alias(&self, name: &[u8]) -> bool {
        self.alias_stack.iter().any(|(n, _)| n == name)
    }
}
