//! The interactive line editor of `sh`: a BusyBox-ash-class editor on raw termios, with no
//! dependency beyond libc.
//!
//! # API
//! ```text
//! let mut ed = Editor::new(stdin_fd(), stdout_fd()); // keys from fd 0, drawn on fd 1
//! ed.history_mut().set_max(History::parse_size(histsize));          // HISTSIZE, default 255
//! ed.history_mut().set_file(Some(&history::default_file(home)))?;  // or HISTFILE
//! let mut comp = ShellCompleter { commands: builtins_functions_aliases, path, home };
//! // PS1 expanded by the shell; a continuation line is read_line(ps2, ..)
//! match ed.read_line(b"$ ", &mut comp) {
//!     ReadResult::Line(l) => ..,                   // without the newline; added to history
//!     ReadResult::Eof => ..,                       // Ctrl-D on an empty line, or end of input
//!     ReadResult::Interrupted => ..,               // Ctrl-C: "^C" shown, new prompt
//!     ReadResult::Err(e) => ..,
//! }
//! ```
//! - The terminal is in raw mode only inside `read_line`, restored on every return path by a
//!   drop guard ([`term::RawMode`]); commands run in the mode the shell had. [`term::RawMode`]
//!   is public for a shell that needs raw mode elsewhere.
//! - A continuation line (PS2) is another `read_line` with another prompt. A prompt may span
//!   several lines and contain colour sequences (`ESC [ ... m`, OSC titles, readline's
//!   `\001..\002` markers): only its visible characters count.
//! - When the input is not a terminal (or raw mode cannot be set), `read_line` writes the prompt
//!   and reads a plain line, one byte at a time so that no input beyond the line is consumed.
//! - [`Editor::auto_history`] (default on): accepted non-blank lines go into the history (and
//!   its file); turn it off to add whole commands with [`History::add`] instead.
//! - The `history` builtin prints [`History::list`] (ash's `%4d %s` from 0); `fc -l` can be
//!   built on [`History::iter`].
//! - Idle at the prompt the editor blocks in ppoll(2) without a timeout (no CPU); SIGWINCH is
//!   blocked except inside that wait, so a resize always wakes it. Other signals (SIGCHLD) just
//!   resume the wait; job notices are the shell's to print before the next prompt.
//! - One redraw is one write(2): [`render::render`] builds it in a buffer (about 10 µs for a
//!   200-character line, `cargo bench --bench lineedit`); typing at the end of the line is a
//!   plain echo of the new characters; while more input is already waiting (a paste) redraws
//!   are deferred.
//! - [`fuzz_one`] feeds arbitrary bytes as keys to a session without a terminal.
//!
//! # Keys (emacs style, as BusyBox ash and readline)
//! Left/Right, Ctrl-B/F: by character (UTF-8 char plus its combining marks). Home/End, Ctrl-A/E.
//! Alt-B/F, Ctrl-Left/Right, Alt-Left/Right: by word (letters and digits). Backspace (^? and ^H),
//! Delete. Ctrl-D: delete, or end of input on an empty line. Ctrl-U/K: kill to start/end of line;
//! Ctrl-W: kill the blank-delimited word before the cursor; Alt-D / Alt-Backspace: kill word
//! forward/backward; consecutive kills accumulate; Ctrl-Y yanks. Ctrl-T transposes characters.
//! Ctrl-V inserts the next byte literally. Ctrl-L clears the screen. Ctrl-C cancels the line.
//! Up/Down, Ctrl-P/N: history (edits to recalled lines are kept until the line is accepted).
//! PageUp/PageDown: oldest/newest entry. Ctrl-R: incremental reverse search
//! (`(reverse-i-search)'text': line`; Ctrl-R again for older matches, Backspace shortens the
//! text, Ctrl-G gives the original line back, Esc keeps the match, Enter runs it, other keys
//! edit it). Tab: completion (unique: inserted with a space, or `/` for a directory; several:
//! their common prefix, then on the second Tab a listing in columns and the prompt again).
//! Enter (^M, ^J).
//!
//! # Deviations
//! - Vi mode is not implemented (BusyBox's is optional too).
//! - The prompt is assumed to start at column 0 (no cursor-position query): output left without
//!   a final newline by the previous command is overwritten, as in bash.
//! - Wide/zero-width chars come from a compact table of the common blocks, not full Unicode data.
//! - On a resize the line is redrawn assuming the terminal re-wrapped what it showed.
//! - No "Display all N possibilities?" question before a long listing (BusyBox asks none
//!   either); no completion of `$VARIABLES`.

pub mod complete;
pub mod history;
pub mod keys;
pub mod render;
pub mod term;

#[cfg(test)]
mod tests;

use std::io;

use crate::common::sys::fd::{self, BorrowedFd};

pub use complete::{
    path_executables, Candidate, Complete, Completion, FileCompleter, NoComplete, ShellCompleter,
};
pub use history::History;
use keys::{Event, Key};
use render::{next_cluster, prev_cluster};
pub use term::RawMode;

/// What [`Editor::read_line`] gives.
#[derive(Debug)]
pub enum ReadResult {
    /// The line, without its newline.
    Line(Vec<u8>),
    /// End of input: Ctrl-D on an empty line (a newline has been written), or EOF.
    Eof,
    /// Ctrl-C: the line was abandoned (`^C` and a newline have been written).
    Interrupted,
    Err(io::Error),
}

pub struct Editor {
    fd_in: BorrowedFd<'static>,
    fd_out: BorrowedFd<'static>,
    history: History,
    /// Add accepted lines to the history (default true).
    pub auto_history: bool,
    kill: Vec<u8>,
    /// The text of the last incremental search (Ctrl-R Ctrl-R searches for it again).
    last_search: Vec<u8>,
    /// Output of one keystroke: written with one write(2).
    obuf: Vec<u8>,
}

/// The last action, for kill accumulation and the double Tab.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Other,
    KillForward,
    KillBackward,
    Tab,
    Yank,
}

/// Incremental search state.
struct Search {
    needle: Vec<u8>,
    /// History index of the current match (None: no match yet / failed).
    at: Option<usize>,
    failed: bool,
    /// The line and cursor before the search (Ctrl-G brings them back).
    saved: (Vec<u8>, usize, usize),
}

/// State of one `read_line`.
struct Session<'p> {
    head: &'p [u8],
    tail: &'p [u8],
    buf: Vec<u8>,
    pos: usize,
    cols: usize,
    /// Row of the terminal cursor within the redraw region.
    row: usize,
    /// History position: `hist.len()` is the new line being edited.
    hidx: usize,
    /// Edits made to recalled history lines (and the new line), by history index.
    edits: Vec<Option<Vec<u8>>>,
    last: Last,
    search: Option<Search>,
    /// The previous key was a lone ESC: treat this one as Alt-key.
    meta: bool,
    /// Redraw needed before waiting for the next key.
    dirty: bool,
    /// `Some(n)`: the screen shows `buf[..n]` with the cursor at its end and the keys since
    /// then only appended text, so the redraw can be a plain echo of `buf[n..]`.
    drawn: Option<usize>,
}

impl<'p> Session<'p> {
    fn new(head: &'p [u8], tail: &'p [u8], cols: usize, hlen: usize) -> Session<'p> {
        Session {
            head,
            tail,
            buf: Vec::new(),
            pos: 0,
            cols,
            row: 0,
            hidx: hlen,
            edits: Vec::new(),
            last: Last::Other,
            search: None,
            meta: false,
            dirty: false,
            drawn: None,
        }
    }
}

enum Outcome {
    Continue,
    Accept,
    Eof,
    Interrupt,
}

impl Editor {
    /// An editor reading keys from `fd_in` and drawing on `fd_out` (the shell passes 0 and 2,
    /// as ash draws its prompt on stderr). The descriptors are addressed by number for the
    /// editor's life: the shell's `exec 0<file` changes what the editor reads, as in ash.
    pub fn new(fd_in: BorrowedFd<'static>, fd_out: BorrowedFd<'static>) -> Editor {
        Editor {
            fd_in,
            fd_out,
            history: History::default(),
            auto_history: true,
            kill: Vec::new(),
            last_search: Vec::new(),
            obuf: Vec::with_capacity(1024),
        }
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn history_mut(&mut self) -> &mut History {
        &mut self.history
    }

    /// True when the input is a terminal (line editing is used).
    pub fn is_terminal(&self) -> bool {
        term::is_tty(self.fd_in)
    }

    /// Reads one line with editing (see the module documentation).
    pub fn read_line(&mut self, prompt: &[u8], completer: &mut dyn Complete) -> ReadResult {
        if !term::is_tty(self.fd_in) {
            return self.read_plain(prompt);
        }
        let raw = match RawMode::enter(self.fd_in) {
            Ok(r) => r,
            Err(_) => return self.read_plain(prompt),
        };
        let winch = term::WinchHandler::install().ok();
        let r = self.edit(prompt, completer, winch.as_ref());
        drop(winch);
        drop(raw);
        if let ReadResult::Line(l) = &r {
            if self.auto_history {
                self.history.add(l);
            }
        }
        r
    }

    /// Not a terminal: prompt, then bytes up to a newline. A last line without a newline is
    /// returned as a line; EOF with nothing read is `Eof`.
    fn read_plain(&mut self, prompt: &[u8]) -> ReadResult {
        if !prompt.is_empty() {
            let _ = fd::write_all(self.fd_out, prompt);
        }
        let mut line = Vec::new();
        loop {
            match term::read_byte(self.fd_in, None, None) {
                Ok(term::Input::Byte(b'\n')) => return ReadResult::Line(line),
                Ok(term::Input::Byte(b)) => line.push(b),
                Ok(term::Input::Eof) if line.is_empty() => return ReadResult::Eof,
                Ok(term::Input::Eof) => return ReadResult::Line(line),
                Ok(_) => {}
                Err(e) => return ReadResult::Err(e),
            }
        }
    }

    /// The width of the terminal we draw on (the input's when the output is not a terminal).
    fn width(&self) -> usize {
        term::width(if term::is_tty(self.fd_out) {
            self.fd_out
        } else {
            self.fd_in
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = fd::write_all(self.fd_out, &self.obuf);
        self.obuf.clear();
        r
    }

    fn edit(
        &mut self,
        prompt: &[u8],
        completer: &mut dyn Complete,
        winch: Option<&term::WinchHandler>,
    ) -> ReadResult {
        let (head, tail) = render::split_prompt(prompt);
        let mut s = Session::new(head, tail, self.width(), self.history.len());
        let _ = term::take_winch();
        self.push_head(&s);
        self.draw(&mut s);
        if let Err(e) = self.flush() {
            return ReadResult::Err(e);
        }
        let fd = self.fd_in;
        let mut src = |t: Option<i32>| term::read_byte(fd, t, winch);
        loop {
            if term::take_winch() {
                s.cols = self.width();
                // The terminal re-wrapped the old rows at the new width; find our row again.
                s.row = self.cursor_row(&s);
                s.dirty = true;
                s.drawn = None;
            }
            if s.dirty && !term::input_pending(self.fd_in) {
                self.draw(&mut s);
            }
            if !self.obuf.is_empty() {
                if let Err(e) = self.flush() {
                    return ReadResult::Err(e);
                }
            }
            let ev = match keys::read_key(&mut src) {
                Ok(ev) => ev,
                Err(e) => {
                    self.finish_line(&mut s);
                    let _ = self.flush();
                    return ReadResult::Err(e);
                }
            };
            let key = match ev {
                Event::Interrupted => continue,
                Event::Eof => {
                    // The terminal hung up: a half-typed line is not run.
                    self.finish_line(&mut s);
                    let _ = self.flush();
                    return ReadResult::Eof;
                }
                Event::Key(k) => k,
            };
            let out = self.key(&mut s, key, &mut src, completer);
            let result = match out {
                Outcome::Continue => continue,
                Outcome::Accept => {
                    self.finish_line(&mut s);
                    ReadResult::Line(std::mem::take(&mut s.buf))
                }
                Outcome::Eof => {
                    self.finish_line(&mut s);
                    ReadResult::Eof
                }
                Outcome::Interrupt => {
                    s.pos = s.buf.len();
                    self.draw(&mut s);
                    self.obuf.extend_from_slice(b"^C\r\n");
                    ReadResult::Interrupted
                }
            };
            return match self.flush() {
                Ok(()) => result,
                Err(e) => ReadResult::Err(e),
            };
        }
    }

    /// Leaves the cursor at the start of the line below the input.
    fn finish_line(&mut self, s: &mut Session) {
        if s.search.is_some() {
            self.end_search(s, true);
        }
        s.pos = s.buf.len();
        self.draw(s);
        self.newline_after(s);
    }

    /// With the cursor at the end of the input, goes to the start of the next line (unless the
    /// input filled its last row exactly: the renderer has already wrapped then).
    fn newline_after(&mut self, s: &Session) {
        let tail = self.prompt_tail(s);
        let end = render::cursor_pos(&tail, &s.buf, s.buf.len(), s.cols);
        if !(end.1 == 0 && end.0 > 0) {
            self.obuf.extend_from_slice(b"\r\n");
        }
    }

    /// The prompt lines before the last one, printed once per (re)display.
    fn push_head(&mut self, s: &Session) {
        for &b in s.head {
            match b {
                b'\n' => self.obuf.extend_from_slice(b"\r\n"),
                // readline's invisible-text markers are ours to interpret, not the terminal's.
                1 | 2 => {}
                _ => self.obuf.push(b),
            }
        }
    }

    fn prompt_tail<'a>(&self, s: &'a Session) -> std::borrow::Cow<'a, [u8]> {
        match &s.search {
            None => std::borrow::Cow::Borrowed(s.tail),
            Some(q) => {
                let mut p = Vec::with_capacity(q.needle.len() + 32);
                if q.failed {
                    p.extend_from_slice(b"(failed reverse-i-search)'");
                } else {
                    p.extend_from_slice(b"(reverse-i-search)'");
                }
                render::push_display(&mut p, &q.needle);
                p.extend_from_slice(b"': ");
                std::borrow::Cow::Owned(p)
            }
        }
    }

    fn cursor_row(&self, s: &Session) -> usize {
        let tail = self.prompt_tail(s);
        render::cursor_pos(&tail, &s.buf, s.pos, s.cols).0
    }

    fn draw(&mut self, s: &mut Session) {
        if self.try_echo(s) {
            return;
        }
        let tail = self.prompt_tail(s).into_owned();
        s.row = render::render(&mut self.obuf, &tail, &s.buf, s.pos, s.cols, s.row);
        s.dirty = false;
        s.drawn = (s.pos == s.buf.len() && s.search.is_none()).then_some(s.buf.len());
    }

    /// The common keystroke, typing at the end of the line, as a terminal echo: only the new
    /// characters are written, when they are plain printable text and stay on the cursor's row.
    fn try_echo(&mut self, s: &mut Session) -> bool {
        let Some(n) = s.drawn else { return false };
        if n >= s.buf.len() || s.pos != s.buf.len() || s.search.is_some() {
            return false;
        }
        let new = &s.buf[n..];
        let mut i = 0;
        let mut w = 0;
        while i < new.len() {
            let (cw, len) = render::char_display(new, i);
            let b = new[i];
            // Only text the terminal shows as it is: no ^X, no \NNN, no combining marks (which
            // would join a char already on screen).
            if cw == 0
                || b < 0x20
                || b == 0x7F
                || (b >= 0x80 && render::decode(new, i).0.is_none_or(|c| c < 0xA0))
            {
                return false;
            }
            w += cw;
            i += len;
        }
        let tail = self.prompt_tail(s);
        let (row, col) = render::cursor_pos(&tail, &s.buf, n, s.cols);
        if row != s.row || col + w >= s.cols {
            return false;
        }
        self.obuf.extend_from_slice(new);
        s.drawn = Some(s.buf.len());
        s.dirty = false;
        true
    }

    fn bell(&mut self) {
        self.obuf.push(7);
    }

    fn key(
        &mut self,
        s: &mut Session,
        mut key: Key,
        src: &mut dyn keys::Source,
        completer: &mut dyn Complete,
    ) -> Outcome {
        let appending =
            matches!(key, Key::Char(..)) && s.pos == s.buf.len() && s.search.is_none() && !s.meta;
        if !appending {
            s.drawn = None;
        }
        if s.search.is_some() {
            if let Some(o) = self.search_key(s, key) {
                return o;
            }
        }
        if s.meta {
            s.meta = false;
            key = match key {
                Key::Char([c, ..], 1) if c.is_ascii() => Key::Alt(c),
                Key::Ctrl(0x7F) | Key::Ctrl(8) => Key::Alt(0x7F),
                Key::Left => Key::WordLeft,
                Key::Right => Key::WordRight,
                k => k,
            };
        }
        let last = s.last;
        s.last = Last::Other;
        s.dirty = true;
        match key {
            Key::Char(bytes, n) => self.insert(s, &bytes[..n as usize]),
            Key::Ctrl(b'\r') | Key::Ctrl(b'\n') => return Outcome::Accept,
            Key::Ctrl(3) => return Outcome::Interrupt,
            Key::Ctrl(4) => {
                if s.buf.is_empty() {
                    return Outcome::Eof;
                }
                self.delete_forward(s);
            }
            Key::Left | Key::Ctrl(2) => {
                if s.pos > 0 {
                    s.pos = prev_cluster(&s.buf, s.pos);
                }
            }
            Key::Right | Key::Ctrl(6) => {
                if s.pos < s.buf.len() {
                    s.pos = next_cluster(&s.buf, s.pos);
                }
            }
            Key::Home | Key::Ctrl(1) => s.pos = 0,
            Key::End | Key::Ctrl(5) => s.pos = s.buf.len(),
            Key::WordLeft | Key::Alt(b'b') | Key::Alt(b'B') => s.pos = word_left(&s.buf, s.pos),
            Key::WordRight | Key::Alt(b'f') | Key::Alt(b'F') => s.pos = word_right(&s.buf, s.pos),
            Key::Ctrl(0x7F) | Key::Ctrl(8) => {
                if s.pos > 0 {
                    let p = prev_cluster(&s.buf, s.pos);
                    s.buf.drain(p..s.pos);
                    s.pos = p;
                }
            }
            Key::Delete => self.delete_forward(s),
            Key::Ctrl(0x15) => {
                let p = s.pos;
                self.kill_range(s, 0, p, last, false);
            }
            Key::Ctrl(0x0B) => {
                let (p, e) = (s.pos, s.buf.len());
                self.kill_range(s, p, e, last, true);
            }
            Key::Ctrl(0x17) => {
                let mut p = s.pos;
                while p > 0 && s.buf[p - 1].is_ascii_whitespace() {
                    p -= 1;
                }
                while p > 0 && !s.buf[p - 1].is_ascii_whitespace() {
                    p -= 1;
                }
                let e = s.pos;
                self.kill_range(s, p, e, last, false);
            }
            Key::Alt(0x7F) => {
                let p = word_left(&s.buf, s.pos);
                let e = s.pos;
                self.kill_range(s, p, e, last, false);
            }
            Key::Alt(b'd') | Key::Alt(b'D') => {
                let e = word_right(&s.buf, s.pos);
                let p = s.pos;
                self.kill_range(s, p, e, last, true);
            }
            Key::Ctrl(0x19) => {
                let k = self.kill.clone();
                self.insert(s, &k);
                s.last = Last::Yank;
            }
            Key::Ctrl(0x14) => self.transpose(s),
            Key::Ctrl(0x16) => {
                // Quoted insert: the next byte as it is.
                loop {
                    match src.byte(None) {
                        Ok(term::Input::Byte(b)) => {
                            self.insert(s, &[b]);
                            break;
                        }
                        Ok(term::Input::Interrupted) => continue,
                        _ => break,
                    }
                }
            }
            Key::Ctrl(0x0C) => {
                self.obuf.extend_from_slice(b"\x1b[H\x1b[2J");
                self.push_head(s);
                s.row = 0;
                s.drawn = None;
            }
            Key::Up | Key::Ctrl(0x10) => {
                if s.hidx > 0 {
                    let to = s.hidx - 1;
                    self.goto_history(s, to);
                } else {
                    self.bell();
                }
            }
            Key::Down | Key::Ctrl(0x0E) => {
                if s.hidx < self.history.len() {
                    let to = s.hidx + 1;
                    self.goto_history(s, to);
                } else {
                    self.bell();
                }
            }
            Key::PageUp | Key::Alt(b'<') => {
                if !self.history.is_empty() {
                    self.goto_history(s, 0);
                }
            }
            Key::PageDown | Key::Alt(b'>') => {
                let n = self.history.len();
                self.goto_history(s, n);
            }
            Key::Ctrl(0x12) => {
                s.search = Some(Search {
                    needle: Vec::new(),
                    at: None,
                    failed: false,
                    saved: (s.buf.clone(), s.pos, s.hidx),
                });
            }
            Key::Ctrl(b'\t') => {
                self.tab(s, last, completer);
                return Outcome::Continue;
            }
            Key::Esc => {
                s.meta = true;
                s.dirty = false;
            }
            _ => s.dirty = false,
        }
        Outcome::Continue
    }

    fn insert(&mut self, s: &mut Session, bytes: &[u8]) {
        s.buf.splice(s.pos..s.pos, bytes.iter().copied());
        s.pos += bytes.len();
    }

    fn delete_forward(&mut self, s: &mut Session) {
        if s.pos < s.buf.len() {
            let e = next_cluster(&s.buf, s.pos);
            s.buf.drain(s.pos..e);
        }
    }

    /// Removes `buf[a..b]` into the kill buffer; consecutive kills accumulate (forward kills
    /// append, backward kills prepend), as in readline.
    fn kill_range(&mut self, s: &mut Session, a: usize, b: usize, last: Last, forward: bool) {
        if a >= b {
            s.last = last;
            return;
        }
        let text: Vec<u8> = s.buf.drain(a..b).collect();
        let continuing = matches!(last, Last::KillForward | Last::KillBackward);
        if !continuing {
            self.kill = text;
        } else if forward {
            self.kill.extend_from_slice(&text);
        } else {
            self.kill.splice(0..0, text);
        }
        s.pos = a;
        s.last = if forward {
            Last::KillForward
        } else {
            Last::KillBackward
        };
    }

    /// Ctrl-T: swap the chars around the cursor (the last two at the end of the line).
    fn transpose(&mut self, s: &mut Session) {
        if s.buf.is_empty() || s.pos == 0 {
            self.bell();
            return;
        }
        let mut p = s.pos;
        if p == s.buf.len() {
            p = prev_cluster(&s.buf, p);
        }
        if p == 0 {
            self.bell();
            return;
        }
        let a = prev_cluster(&s.buf, p);
        let e = next_cluster(&s.buf, p);
        let mut swapped = s.buf[p..e].to_vec();
        swapped.extend_from_slice(&s.buf[a..p]);
        s.buf.splice(a..e, swapped);
        s.pos = e;
    }

    fn goto_history(&mut self, s: &mut Session, to: usize) {
        let n = self.history.len();
        if s.edits.len() < n + 1 {
            s.edits.resize(n + 1, None);
        }
        s.edits[s.hidx] = Some(std::mem::take(&mut s.buf));
        s.hidx = to;
        s.buf = match s.edits[to].take() {
            Some(b) => b,
            None => self.history.get(to).unwrap_or_default().to_vec(),
        };
        s.pos = s.buf.len();
    }

    /// A key during Ctrl-R. Returns None when the key ends the search and must be handled as a
    /// normal key.
    fn search_key(&mut self, s: &mut Session, key: Key) -> Option<Outcome> {
        s.dirty = true;
        match key {
            Key::Char(bytes, n) => {
                let q = s.search.as_mut().unwrap();
                q.needle.extend_from_slice(&bytes[..n as usize]);
                let from = q.at.unwrap_or(s.hidx.saturating_sub(1));
                self.search_from(s, from);
            }
            Key::Ctrl(0x12) => {
                let q = s.search.as_ref().unwrap();
                match q.at {
                    Some(0) => {
                        s.search.as_mut().unwrap().failed = true;
                        self.bell();
                    }
                    Some(i) => self.search_from(s, i - 1),
                    None if q.needle.is_empty() && !self.last_search.is_empty() => {
                        // Ctrl-R Ctrl-R: search again for the last search text, as readline.
                        s.search.as_mut().unwrap().needle = self.last_search.clone();
                        let from = s.hidx.saturating_sub(1);
                        self.search_from(s, from);
                    }
                    None => self.bell(),
                }
            }
            Key::Ctrl(0x7F) | Key::Ctrl(8) => {
                let q = s.search.as_mut().unwrap();
                if !q.needle.is_empty() {
                    let p = render::prev_char(&q.needle, q.needle.len());
                    q.needle.truncate(p);
                }
                // Search again from where the search started.
                let from = q.saved.2.saturating_sub(1);
                q.at = None;
                if q.needle.is_empty() {
                    q.failed = false;
                    let (b, p, _) = q.saved.clone();
                    s.buf = b;
                    s.pos = p;
                } else {
                    self.search_from(s, from);
                }
            }
            Key::Ctrl(7) | Key::Ctrl(3) => {
                self.end_search(s, false);
                if key == Key::Ctrl(3) {
                    return Some(Outcome::Interrupt);
                }
            }
            Key::Esc => self.end_search(s, true),
            _ => {
                self.end_search(s, true);
                return None;
            }
        }
        Some(Outcome::Continue)
    }

    /// Finds the newest entry at or before `from` containing the needle and shows it.
    fn search_from(&mut self, s: &mut Session, from: usize) {
        let q = s.search.as_mut().unwrap();
        if self.history.is_empty() {
            q.failed = true;
            self.obuf.push(7);
            return;
        }
        match self.history.search_back(&q.needle, from) {
            Some((i, off)) => {
                q.at = Some(i);
                q.failed = false;
                s.buf = self.history.get(i).unwrap_or_default().to_vec();
                s.pos = off;
            }
            None => {
                q.failed = true;
                self.obuf.push(7);
            }
        }
    }

    /// Leaves search mode: keep the match (`accept`) or restore the line from before.
    fn end_search(&mut self, s: &mut Session, accept: bool) {
        let Some(q) = s.search.take() else { return };
        if !q.needle.is_empty() {
            self.last_search = q.needle.clone();
        }
        if let (true, Some(at)) = (accept, q.at) {
            // The line from before the search stays reachable with Down, as in readline.
            let n = self.history.len();
            if s.edits.len() < n + 1 {
                s.edits.resize(n + 1, None);
            }
            if q.saved.2 != at && q.saved.2 <= n {
                s.edits[q.saved.2] = Some(q.saved.0);
            }
            s.edits[at] = None;
            s.hidx = at;
        } else {
            s.buf = q.saved.0;
            s.pos = q.saved.1;
            s.hidx = q.saved.2;
        }
        s.dirty = true;
    }

    fn tab(&mut self, s: &mut Session, last: Last, completer: &mut dyn Complete) {
        let c = completer.complete(&s.buf, s.pos);
        let start = c.start.min(s.pos);
        if c.candidates.is_empty() {
            self.bell();
            s.dirty = false;
            return;
        }
        if c.candidates.len() == 1 {
            let cand = &c.candidates[0];
            let mut text = cand.text.clone();
            if cand.space {
                text.push(b' ');
            }
            s.buf.splice(start..s.pos, text.iter().copied());
            s.pos = start + text.len();
            s.dirty = true;
            return;
        }
        let prefix = complete::common_prefix(&c.candidates);
        let word = &s.buf[start..s.pos];
        if !prefix.is_empty() && prefix != word && prefix.len() >= word.len() {
            let p = prefix.to_vec();
            s.buf.splice(start..s.pos, p.iter().copied());
            s.pos = start + p.len();
            s.dirty = true;
            s.last = Last::Tab;
            return;
        }
        if last != Last::Tab {
            self.bell();
            s.last = Last::Tab;
            s.dirty = false;
            return;
        }
        // Second Tab: list the candidates below the line, then the prompt again.
        let pos = s.pos;
        s.pos = s.buf.len();
        self.draw(s);
        s.pos = pos;
        self.newline_after(s);
        let names: Vec<&[u8]> = c.candidates.iter().map(|c| &c.display[..]).collect();
        complete::push_columns(&mut self.obuf, &names, s.cols);
        self.push_head(s);
        s.row = 0;
        s.dirty = true;
        s.drawn = None;
        s.last = Last::Tab;
    }
}

/// A completer for fuzzing: candidates made from the word at the cursor and fixed names with
/// characters that need quoting, without touching the file system.
struct FuzzComplete;

impl Complete for FuzzComplete {
    fn complete(&mut self, line: &[u8], cursor: usize) -> Completion {
        let w = complete::word_at(line, cursor);
        let mut candidates = Vec::new();
        for name in [&b"a b"[..], b"a'c", "é\\".as_bytes(), b"dir/", b"x\n"] {
            let mut full = w.value.clone();
            full.extend_from_slice(name);
            let mut text = Vec::new();
            complete::push_quoted(&mut text, &full, w.quote);
            candidates.push(Candidate {
                text,
                display: full,
                space: !name.ends_with(b"/"),
            });
        }
        if w.value.len() % 3 == 1 {
            candidates.truncate(1);
        }
        Completion {
            start: w.start,
            candidates,
        }
    }
}

/// Fuzz entry (see the project's fuzzing notes): the first byte picks the terminal width, the
/// rest is typed as keys into an editor session without a terminal, with a history, a completer
/// and a render after every key. Must never panic, whatever the bytes.
pub fn fuzz_one(data: &[u8]) {
    let Some((&w, data)) = data.split_first() else {
        return;
    };
    // The descriptors are never read or written: the session is driven below, not read_line.
    let mut ed = Editor::new(
        crate::common::io::stdin_fd(),
        crate::common::io::stderr_fd(),
    );
    for h in ["echo one", "ls -l /tmp", "é漢\u{301}x", "echo one"] {
        ed.history.add(h.as_bytes());
    }
    let cols = (w as usize % 90) + 1;
    let prompt: &[u8] = if w & 1 == 0 {
        b"\x1b[1;32mhost\x1b[0m\n\x01\x1b[7m\x02$ "
    } else {
        "漢> ".as_bytes()
    };
    let (head, tail) = render::split_prompt(prompt);
    let mut comp = FuzzComplete;
    let mut i = 0;
    let mut src = |_t: Option<i32>| -> io::Result<term::Input> {
        if i < data.len() {
            i += 1;
            Ok(term::Input::Byte(data[i - 1]))
        } else {
            Ok(term::Input::Eof)
        }
    };
    let mut s = Session::new(head, tail, cols, ed.history.len());
    while let Ok(Event::Key(k)) = keys::read_key(&mut src) {
        let o = ed.key(&mut s, k, &mut src, &mut comp);
        assert!(s.pos <= s.buf.len());
        ed.draw(&mut s);
        ed.obuf.clear();
        if !matches!(o, Outcome::Continue) {
            if s.search.is_some() {
                ed.end_search(&mut s, true);
            }
            if let Outcome::Accept = o {
                ed.history.add(&s.buf);
            }
            s = Session::new(head, tail, cols, ed.history.len());
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Start of the word before `pos` (readline's backward-word: letters and digits).
fn word_left(buf: &[u8], mut pos: usize) -> usize {
    while pos > 0 && !is_word(buf[pos - 1]) {
        pos -= 1;
    }
    while pos > 0 && is_word(buf[pos - 1]) {
        pos -= 1;
    }
    pos
}

/// End of the word after `pos`.
fn word_right(buf: &[u8], mut pos: usize) -> usize {
    while pos < buf.len() && !is_word(buf[pos]) {
        pos += 1;
    }
    while pos < buf.len() && is_word(buf[pos]) {
        pos += 1;
    }
    pos
}
