//! Command history: in memory with a size limit, persisted to a file one line per entry.
//!
//! As BusyBox ash: the default size is 255 entries (its `CONFIG_FEATURE_EDITING_HISTORY`);
//! an empty line or a repeat of the previous entry is not added; each accepted line is appended
//! to the history file at once (so it survives a killed shell and several shells share it);
//! the file is rewritten with only the last HISTSIZE entries when it grows past twice that.
//! The listing is ash's `history` format: `%4d %s`, numbered from 0.

use std::collections::VecDeque;
use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// BusyBox's default history size.
pub const DEFAULT_SIZE: usize = 255;

/// Upper bound on HISTSIZE: memory stays bounded whatever the variable says.
pub const MAX_SIZE: usize = 100_000;

/// BusyBox's default HISTFILE: `$HOME/.ash_history`.
pub fn default_file(home: &[u8]) -> Vec<u8> {
    let mut p = home.to_vec();
    if !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(b".ash_history");
    p
}

#[derive(Debug)]
pub struct History {
    entries: VecDeque<Vec<u8>>,
    max: usize,
    file: Option<PathBuf>,
    /// Lines in the file as far as we know (what we loaded plus what we appended).
    file_lines: usize,
}

impl Default for History {
    fn default() -> Self {
        History::new(DEFAULT_SIZE)
    }
}

impl History {
    pub fn new(max: usize) -> History {
        History {
            entries: VecDeque::new(),
            max: max.min(MAX_SIZE),
            file: None,
            file_lines: 0,
        }
    }

    /// Parses a HISTSIZE value: a decimal number, clamped to [`MAX_SIZE`]; anything else gives
    /// the default, as BusyBox does.
    pub fn parse_size(v: &[u8]) -> usize {
        if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
            return DEFAULT_SIZE;
        }
        let mut n = 0usize;
        for &d in v {
            n = n.saturating_mul(10).saturating_add((d - b'0') as usize);
        }
        n.min(MAX_SIZE)
    }

    /// Changes the size limit (HISTSIZE), dropping the oldest entries if needed.
    pub fn set_max(&mut self, max: usize) {
        self.max = max.min(MAX_SIZE);
        while self.entries.len() > self.max {
            self.entries.pop_front();
        }
    }

    pub fn max(&self) -> usize {
        self.max
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entry `i`, 0 being the oldest.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.entries.get(i).map(Vec::as_slice)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + '_ {
        self.entries.iter().map(Vec::as_slice)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The history file in use, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Uses `path` (HISTFILE) from now on and loads its last entries in front of the ones in
    /// memory. `None` stops saving. A missing file is not an error (it is created on the first
    /// line); other read errors are returned, and the file is still used for saving.
    pub fn set_file(&mut self, path: Option<&[u8]>) -> io::Result<()> {
        let Some(p) = path else {
            self.file = None;
            return Ok(());
        };
        let p = PathBuf::from(OsStr::from_bytes(p));
        self.file = Some(p.clone());
        self.file_lines = 0;
        let data = match fs::read(&p) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut loaded: VecDeque<Vec<u8>> = VecDeque::new();
        for line in data.split(|&b| b == b'\n') {
            if line.is_empty() {
                continue;
            }
            self.file_lines += 1;
            if loaded.back().map(Vec::as_slice) == Some(line) {
                continue;
            }
            loaded.push_back(line.to_vec());
            if loaded.len() > self.max {
                loaded.pop_front();
            }
        }
        let mine = std::mem::take(&mut self.entries);
        self.entries = loaded;
        for e in mine {
            self.push(e);
        }
        if self.file_lines > 2 * self.max.max(1) {
            self.rewrite();
        }
        Ok(())
    }

    fn push(&mut self, line: Vec<u8>) -> bool {
        if self.max == 0 || self.entries.back() == Some(&line) {
            return false;
        }
        if self.entries.len() >= self.max {
            self.entries.pop_front();
        }
        self.entries.push_back(line);
        true
    }

    /// Adds a line (without its newline) and appends it to the history file. Returns false when
    /// the line was not added (blank, a repeat of the last entry, or HISTSIZE=0). Errors writing
    /// the file are ignored, as in every shell: history must never stop a command.
    pub fn add(&mut self, line: &[u8]) -> bool {
        let line = match line.last() {
            Some(b'\n') => &line[..line.len() - 1],
            _ => line,
        };
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            return false;
        }
        if !self.push(line.to_vec()) {
            return false;
        }
        if let Some(p) = &self.file {
            let r = fs::OpenOptions::new()
                .append(true)
                .create(true)
                .mode(0o600)
                .open(p)
                .and_then(|mut f| {
                    let mut buf = Vec::with_capacity(line.len() + 1);
                    buf.extend_from_slice(line);
                    buf.push(b'\n');
                    f.write_all(&buf)
                });
            if r.is_ok() {
                self.file_lines += 1;
                if self.file_lines > 2 * self.max.max(1) {
                    self.rewrite();
                }
            }
        }
        true
    }

    /// Writes the entries in memory to the file through a temporary file and a rename, so a
    /// crash leaves either the old or the new file.
    fn rewrite(&mut self) {
        let Some(p) = &self.file else { return };
        let mut tmp = p.as_os_str().to_owned();
        tmp.push(format!(".tmp{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let mut buf = Vec::new();
        for e in &self.entries {
            buf.extend_from_slice(e);
            buf.push(b'\n');
        }
        let ok = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut f| f.write_all(&buf))
            .and_then(|_| fs::rename(&tmp, p));
        if ok.is_ok() {
            self.file_lines = self.entries.len();
        } else {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// The `history` builtin's listing, as ash prints it: `%4d %s\n`, numbered from 0.
    pub fn list(&self, out: &mut Vec<u8>) {
        for (i, e) in self.entries.iter().enumerate() {
            let n = i.to_string();
            for _ in n.len()..4 {
                out.push(b' ');
            }
            out.extend_from_slice(n.as_bytes());
            out.push(b' ');
            out.extend_from_slice(e);
            out.push(b'\n');
        }
    }

    /// Index of the newest entry at or before `from` containing `needle` and the match offset
    /// (for Ctrl-R).
    pub fn search_back(&self, needle: &[u8], from: usize) -> Option<(usize, usize)> {
        let top = from.min(self.entries.len().checked_sub(1)?);
        (0..=top).rev().find_map(|i| {
            let e = &self.entries[i];
            if needle.is_empty() {
                return Some((i, e.len()));
            }
            memchr::memmem::rfind(e, needle).map(|off| (i, off))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rbox-hist-{}-{}", tag, std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn add_dedup_limit_list() {
        let mut h = History::new(3);
        assert!(h.add(b"a"));
        assert!(!h.add(b"a"));
        assert!(!h.add(b"   "));
        assert!(h.add(b"b\n"));
        assert!(h.add(b"c"));
        assert!(h.add(b"a"));
        assert_eq!(h.iter().collect::<Vec<_>>(), [&b"b"[..], b"c", b"a"]);
        let mut o = Vec::new();
        h.list(&mut o);
        assert_eq!(o, b"   0 b\n   1 c\n   2 a\n");
        assert_eq!(h.search_back(b"c", 2), Some((1, 0)));
        assert_eq!(h.search_back(b"a", 1), None);
        h.set_max(1);
        assert_eq!(h.len(), 1);
        assert_eq!(History::parse_size(b"12"), 12);
        assert_eq!(History::parse_size(b"x"), DEFAULT_SIZE);
        let mut z = History::new(0);
        assert!(!z.add(b"x"));
    }

    #[test]
    fn file_load_append_trim() {
        let d = tmpdir("file");
        let f = d.join("hist");
        fs::write(&f, b"one\ntwo\ntwo\n\nthree\n").unwrap();
        let mut h = History::new(2);
        h.set_file(Some(f.as_os_str().as_bytes())).unwrap();
        assert_eq!(h.iter().collect::<Vec<_>>(), [&b"two"[..], b"three"]);
        // 5 lines > 2 * 2: this append rewrites the file with the last 2 entries.
        h.add(b"four");
        assert_eq!(fs::read(&f).unwrap(), b"three\nfour\n");
        h.add(b"five");
        assert_eq!(fs::read(&f).unwrap(), b"three\nfour\nfive\n");
        let mut h2 = History::new(10);
        h2.set_file(Some(d.join("missing").as_os_str().as_bytes()))
            .unwrap();
        assert!(h2.is_empty());
        fs::remove_dir_all(&d).unwrap();
    }
}
