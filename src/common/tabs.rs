//! Tab stops as GNU's expand-common.c has them (expand, unexpand): `-t N`, `-t LIST` (commas
//! or blanks), a last `/N` (every N columns after) or `+N` (every N after the last stop), the
//! legacy `-N`, and GNU's messages.

use super::quote::quote_locale;

#[derive(Default, Debug)]
pub struct TabStops {
    list: Vec<u64>,
    extend: u64,
    increment: u64,
    /// A single size (after [`TabStops::finish`]); 0 when the list is used.
    size: u64,
}

impl TabStops {
    /// Parse one `-t` argument onto the stops; `Err` holds GNU's message.
    pub fn parse(&mut self, s: &[u8]) -> Result<(), Vec<u8>> {
        let mut have = false;
        let mut val: u64 = 0;
        let (mut ext, mut inc) = (false, false);
        let mut i = 0;
        let mut num_start = 0;
        while i < s.len() {
            let c = s[i];
            if c == b',' || c == b' ' || c == b'\t' {
                if have {
                    self.add(val, ext, inc)?;
                }
                have = false;
            } else if c == b'/' || c == b'+' {
                if have {
                    let mut m =
                        format!("'{}' specifier not at start of number: ", c as char).into_bytes();
                    m.extend_from_slice(&quote_locale(&s[i..]));
                    return Err(m);
                }
                ext = c == b'/';
                inc = c == b'+';
            } else if c.is_ascii_digit() {
                if !have {
                    val = 0;
                    have = true;
                    num_start = i;
                }
                match val
                    .checked_mul(10)
                    .and_then(|v| v.checked_add((c - b'0') as u64))
                {
                    Some(v) => val = v,
                    None => {
                        let len = s[num_start..]
                            .iter()
                            .take_while(|c| c.is_ascii_digit())
                            .count();
                        let mut m = b"tab stop is too large ".to_vec();
                        m.extend_from_slice(&quote_locale(&s[num_start..num_start + len]));
                        return Err(m);
                    }
                }
            } else {
                let mut m = b"tab size contains invalid character(s): ".to_vec();
                m.extend_from_slice(&quote_locale(&s[i..]));
                return Err(m);
            }
            i += 1;
        }
        if have {
            self.add(val, ext, inc)?;
        }
        Ok(())
    }

    fn add(&mut self, v: u64, ext: bool, inc: bool) -> Result<(), Vec<u8>> {
        if ext {
            if self.extend != 0 {
                return Err(b"'/' specifier only allowed with the last value".to_vec());
            }
            self.extend = v;
        } else if inc {
            if self.increment != 0 {
                return Err(b"'+' specifier only allowed with the last value".to_vec());
            }
            self.increment = v;
        } else {
            if self.extend != 0 {
                return Err(b"'/' specifier only allowed with the last value".to_vec());
            }
            if self.increment != 0 {
                return Err(b"'+' specifier only allowed with the last value".to_vec());
            }
            self.list.push(v);
        }
        Ok(())
    }

    /// GNU's finalize_tab_stops: check the list and settle on a single size or the list.
    pub fn finish(&mut self) -> Result<(), Vec<u8>> {
        let mut prev = 0;
        for &t in &self.list {
            if t == 0 {
                return Err(b"tab size cannot be 0".to_vec());
            }
            if t <= prev {
                return Err(b"tab sizes must be ascending".to_vec());
            }
            prev = t;
        }
        if self.increment != 0 && self.extend != 0 {
            return Err(b"'/' specifier is mutually exclusive with '+'".to_vec());
        }
        self.size = if self.list.is_empty() {
            if self.extend != 0 {
                self.extend
            } else if self.increment != 0 {
                self.increment
            } else {
                8
            }
        } else if self.list.len() == 1 && self.extend == 0 && self.increment == 0 {
            self.list[0]
        } else {
            0
        };
        Ok(())
    }

    /// The next tab stop after `column` (`index` remembers the place in the list), or None
    /// past the last stop (GNU's `last_tab`).
    #[inline]
    pub fn next(&self, column: u64, index: &mut usize) -> Option<u64> {
        if self.size != 0 {
            return Some(column + (self.size - column % self.size));
        }
        while *index < self.list.len() {
            let t = self.list[*index];
            if column < t {
                return Some(t);
            }
            *index += 1;
        }
        if self.extend != 0 {
            return Some(column + (self.extend - column % self.extend));
        }
        if self.increment != 0 {
            let end = *self.list.last().unwrap_or(&0);
            return Some(column + (self.increment - (column - end) % self.increment));
        }
        None
    }
}

/// The legacy `-N[,M...]` words (`expand -4`) as `--tabs=N...` for the option parser.
pub fn legacy_args(argv: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let mut out = Vec::with_capacity(argv.len());
    let mut done = false;
    for (i, a) in argv.into_iter().enumerate() {
        let b = a.as_bytes();
        if i > 0 && !done && b.len() >= 2 && b[0] == b'-' && b[1].is_ascii_digit() {
            let mut v = b"--tabs=".to_vec();
            v.extend_from_slice(&b[1..]);
            out.push(std::ffi::OsString::from_vec(v));
            continue;
        }
        if b == b"--" {
            done = true;
        }
        out.push(a);
    }
    out
}

/// Feed each named input (`-` standard input) to `f` in chunks: the files make one stream,
/// as GNU's next_file. A file that cannot be opened or read is reported (`NAME: strerror`,
/// status 1) and skipped; an `Err` from `f` (output) ends the run.
pub fn each_chunk(
    ctx: &mut super::Ctx,
    name: &std::ffi::OsStr,
    buf: &mut [u8],
    mut f: impl FnMut(&mut super::Ctx, &[u8]) -> std::io::Result<()>,
) -> super::Result<()> {
    use std::os::fd::AsFd;
    use std::os::unix::ffi::OsStrExt;
    let file;
    let fd = if name.as_bytes() == b"-" {
        super::io::stdin_fd()
    } else {
        match std::fs::File::open(name) {
            Ok(fl) => {
                file = fl;
                file.as_fd()
            }
            Err(e) => {
                ctx.error_file(1, name, &e);
                return Ok(());
            }
        }
    };
    loop {
        match super::io::read(fd, buf) {
            Ok(0) => return Ok(()),
            Ok(n) => f(ctx, &buf[..n])?,
            Err(e) => {
                ctx.error_file(1, name, &e);
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops() {
        let mut t = TabStops::default();
        t.parse(b"3,+5").unwrap();
        t.finish().unwrap();
        let mut i = 0;
        assert_eq!(t.next(1, &mut i), Some(3));
        assert_eq!(t.next(3, &mut i), Some(8));
        assert_eq!(t.next(9, &mut i), Some(13));
        let mut t = TabStops::default();
        t.parse(b"4,2").unwrap();
        assert_eq!(t.finish().unwrap_err(), b"tab sizes must be ascending");
    }
}
