//! Reading a descriptor line by line without a copy per line: one growing buffer, lines handed
//! out as slices into it (cut, uniq, nl, paste, tac's pipes). The delimiter is a byte (`\n`, or
//! NUL for `-z`); a last line without one is handed out too, flagged.

use std::io;
use std::os::fd::BorrowedFd;

use super::io::read;

/// Initial buffer size; it doubles while a line does not fit.
const START: usize = 128 * 1024;

pub struct Lines {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl Default for Lines {
    fn default() -> Self {
        Self::new()
    }
}

impl Lines {
    pub fn new() -> Lines {
        Lines {
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
        }
    }

    /// Start over on another input (the buffer is kept).
    pub fn reset(&mut self) {
        self.start = 0;
        self.end = 0;
        self.eof = false;
    }

    /// The next line without its delimiter, and whether it had one; `None` at the end.
    pub fn next(&mut self, fd: BorrowedFd, eol: u8) -> io::Result<Option<(&[u8], bool)>> {
        let mut from = self.start;
        loop {
            if let Some(i) = memchr::memchr(eol, &self.buf[from..self.end]) {
                let s = self.start;
                let e = from + i;
                self.start = e + 1;
                return Ok(Some((&self.buf[s..e], true)));
            }
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let s = self.start;
                self.start = self.end;
                return Ok(Some((&self.buf[s..self.end], false)));
            }
            from = self.fill(fd)?;
        }
    }

    /// Every complete line the buffer holds, delimiters included, as one slice (a caller that
    /// scans the whole block in one pass, as `cut -f` does, saves a search per line); at the
    /// end, the last line without a delimiter. `None` at the end.
    pub fn block(&mut self, fd: BorrowedFd, eol: u8) -> io::Result<Option<&[u8]>> {
        let mut from = self.start;
        loop {
            if let Some(i) = memchr::memrchr(eol, &self.buf[from..self.end]) {
                let last = from + i;
                let s = self.start;
                self.start = last + 1;
                return Ok(Some(&self.buf[s..=last]));
            }
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let s = self.start;
                self.start = self.end;
                return Ok(Some(&self.buf[s..self.end]));
            }
            from = self.fill(fd)?;
        }
    }

    /// Read more after the partial line at `start`; returns where the unscanned bytes begin.
    fn fill(&mut self, fd: BorrowedFd) -> io::Result<usize> {
        // Make room: move the partial line to the front, grow when it fills the buffer.
        if self.buf.is_empty() {
            self.buf = vec![0; START];
        }
        let scanned = self.end - self.start;
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let n = self.buf.len() * 2;
            self.buf.resize(n, 0);
        }
        let n = read(fd, &mut self.buf[self.end..])?;
        if n == 0 {
            self.eof = true;
        }
        self.end += n;
        Ok(scanned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn lines_across_reads_and_a_last_partial_one() {
        let (r, w) = super::super::sys::fd::pipe().unwrap();
        let long = "x".repeat(300_000);
        let data = format!("a\n\n{long}\nlast");
        let t = std::thread::spawn(move || {
            super::super::io::write_all(w.as_fd(), data.as_bytes()).unwrap();
        });
        let mut l = Lines::new();
        let mut got = Vec::new();
        while let Some((s, nl)) = l.next(r.as_fd(), b'\n').unwrap() {
            got.push((s.len(), nl));
        }
        t.join().unwrap();
        assert_eq!(got, vec![(1, true), (0, true), (300_000, true), (4, false)]);
    }

    #[test]
    fn blocks_hold_whole_lines_and_a_last_partial_one() {
        let (r, w) = super::super::sys::fd::pipe().unwrap();
        let long = "y".repeat(300_000);
        let data = format!("a\nb\n{long}\nlast");
        let expect = data.clone();
        let t = std::thread::spawn(move || {
            super::super::io::write_all(w.as_fd(), data.as_bytes()).unwrap();
        });
        let mut l = Lines::new();
        let mut got = Vec::new();
        let mut partial = 0;
        while let Some(b) = l.block(r.as_fd(), b'\n').unwrap() {
            if b.last() != Some(&b'\n') {
                partial += 1;
            }
            got.extend_from_slice(b);
        }
        t.join().unwrap();
        assert_eq!(got, expect.as_bytes());
        assert_eq!(partial, 1);
    }
}
