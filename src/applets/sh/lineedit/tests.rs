//! The editor driven through a pseudo-terminal: `read_line` runs on the slave side in a thread,
//! the test types on the master side and reads what the editor draws into a small terminal
//! emulator (enough VT100 for what the renderer emits: CR, LF, CUU/CUD/CUF/CUB, ED, EL, CUP,
//! pending wrap at the right margin, wide chars) so that assertions are about the screen.
//! Every wait is bounded by poll timeouts; nothing sleeps.

use crate::common::sys::fd::{self as sysfd, AsFd, AsRawFd, BorrowedFd, OwnedFd};
use crate::common::sys::term::{self as systerm, WinSize};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::*;

const TIMEOUT: Duration = Duration::from_secs(10);

struct Screen {
    w: usize,
    h: usize,
    cells: Vec<Vec<char>>,
    r: usize,
    c: usize,
    pending: bool,
    esc: Vec<u8>,
    utf: Vec<u8>,
}

impl Screen {
    fn new(w: usize, h: usize) -> Screen {
        Screen {
            w,
            h,
            cells: vec![vec![' '; w]; h],
            r: 0,
            c: 0,
            pending: false,
            esc: Vec::new(),
            utf: Vec::new(),
        }
    }

    fn newline(&mut self) {
        if self.r + 1 == self.h {
            self.cells.remove(0);
            self.cells.push(vec![' '; self.w]);
        } else {
            self.r += 1;
        }
    }

    fn feed(&mut self, data: &[u8]) {
        for &b in data {
            if !self.esc.is_empty() {
                self.esc.push(b);
                let e = &self.esc;
                if e.len() == 2 && b != b'[' {
                    self.esc.clear();
                } else if e.len() > 2 && (0x40..=0x7E).contains(&b) {
                    let seq = std::mem::take(&mut self.esc);
                    self.csi(&seq[2..]);
                }
                continue;
            }
            if !self.utf.is_empty() || b >= 0x80 {
                self.utf.push(b);
                if let Ok(s) = std::str::from_utf8(&self.utf) {
                    let ch = s.chars().next().unwrap();
                    self.utf.clear();
                    self.put(ch);
                } else if self.utf.len() >= 4 {
                    self.utf.clear();
                    self.put('\u{fffd}');
                }
                continue;
            }
            match b {
                0x1B => self.esc.push(b),
                b'\r' => {
                    self.c = 0;
                    self.pending = false;
                }
                b'\n' => {
                    self.pending = false;
                    self.newline();
                }
                7 => {}
                0x20..=0x7E => self.put(b as char),
                _ => {}
            }
        }
    }

    fn put(&mut self, ch: char) {
        let w = render::cp_width(ch as u32);
        if w == 0 {
            return;
        }
        if self.pending {
            self.pending = false;
            self.c = 0;
            self.newline();
        }
        if self.c + w > self.w {
            self.c = 0;
            self.newline();
        }
        self.cells[self.r][self.c] = ch;
        if w == 2 {
            self.cells[self.r][self.c + 1] = '\0';
        }
        self.c += w;
        if self.c >= self.w {
            self.c = self.w - 1;
            self.pending = true;
        }
    }

    fn csi(&mut self, p: &[u8]) {
        let fin = *p.last().unwrap();
        let params: Vec<usize> = std::str::from_utf8(&p[..p.len() - 1])
            .unwrap()
            .split(';')
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        let n = params[0].max(1);
        self.pending = false;
        match fin {
            b'A' => self.r = self.r.saturating_sub(n),
            b'B' => self.r = (self.r + n).min(self.h - 1),
            b'C' => self.c = (self.c + n).min(self.w - 1),
            b'D' => self.c = self.c.saturating_sub(n),
            b'H' => {
                self.r = params[0].max(1) - 1;
                self.c = params.get(1).copied().unwrap_or(1).max(1) - 1;
            }
            b'J' => {
                if params[0] == 2 {
                    self.cells = vec![vec![' '; self.w]; self.h];
                } else {
                    for c in self.c..self.w {
                        self.cells[self.r][c] = ' ';
                    }
                    for r in self.r + 1..self.h {
                        self.cells[r] = vec![' '; self.w];
                    }
                }
            }
            b'K' => {
                for c in self.c..self.w {
                    self.cells[self.r][c] = ' ';
                }
            }
            _ => {}
        }
    }

    fn line(&self, r: usize) -> String {
        let s: String = self.cells[r].iter().filter(|&&c| c != '\0').collect();
        s.trim_end().to_string()
    }

    /// The non-empty screen lines.
    fn text(&self) -> Vec<String> {
        let mut v: Vec<String> = (0..self.h).map(|r| self.line(r)).collect();
        while v.last().is_some_and(|l| l.is_empty()) {
            v.pop();
        }
        v
    }
}

struct Pty {
    master: OwnedFd,
    slave: OwnedFd,
    screen: Screen,
    out: Vec<u8>,
}

fn set_size(fd: BorrowedFd, cols: u16, rows: u16) {
    let ws = WinSize {
        rows,
        cols,
        ..WinSize::default()
    };
    systerm::set_window_size(fd, ws).unwrap();
}

impl Pty {
    fn new(cols: u16) -> Pty {
        let (m, s) = systerm::openpty().unwrap_or_else(|e| panic!("openpty: {e}"));
        set_size(m.as_fd(), cols, 24);
        Pty {
            master: m,
            slave: s,
            screen: Screen::new(cols as usize, 24),
            out: Vec::new(),
        }
    }

    /// The slave for an editor thread: by number, as the shell's editor holds fd 0. The Pty
    /// outlives the editor in every test that passes.
    fn slave(&self) -> BorrowedFd<'static> {
        sysfd::borrow_raw(self.slave.as_raw_fd())
    }

    fn type_(&self, keys: &[u8]) {
        sysfd::write_all(self.master.as_fd(), keys).unwrap();
    }

    /// Reads what is available within `ms` milliseconds; false on timeout.
    fn pump(&mut self, ms: i32) -> bool {
        if !systerm::poll_readable(self.master.as_fd(), ms).unwrap_or(false) {
            return false;
        }
        let mut buf = [0u8; 4096];
        let n = match sysfd::read(self.master.as_fd(), &mut buf) {
            Ok(n) if n > 0 => n,
            _ => return false,
        };
        self.out.extend_from_slice(&buf[..n]);
        self.screen.feed(&buf[..n]);
        true
    }

    /// Waits until the raw output contains `needle` (since `from`).
    fn expect_from(&mut self, from: usize, needle: &[u8]) -> usize {
        let end = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = memchr::memmem::find(&self.out[from..], needle) {
                return from + i + needle.len();
            }
            assert!(
                Instant::now() < end,
                "timeout waiting for {:?} in {:?}",
                String::from_utf8_lossy(needle),
                String::from_utf8_lossy(&self.out)
            );
            self.pump(100);
        }
    }

    fn expect(&mut self, needle: &[u8]) -> usize {
        self.expect_from(0, needle)
    }

    /// Waits until the screen satisfies `f`.
    fn wait_screen(&mut self, what: &str, f: impl Fn(&Screen) -> bool) {
        let end = Instant::now() + TIMEOUT;
        while !f(&self.screen) {
            assert!(
                Instant::now() < end,
                "timeout waiting for {what}; screen: {:#?}",
                self.screen.text()
            );
            self.pump(100);
        }
    }

    /// Collects the result of the editor thread, draining output meanwhile.
    fn result<T>(&mut self, rx: &mpsc::Receiver<T>) -> T {
        let end = Instant::now() + TIMEOUT;
        loop {
            if let Ok(v) = rx.try_recv() {
                while self.pump(0) {}
                return v;
            }
            assert!(
                Instant::now() < end,
                "editor did not return; output {:?}",
                String::from_utf8_lossy(&self.out)
            );
            self.pump(50);
        }
    }

    fn lflag(&self) -> libc::tcflag_t {
        systerm::tcgetattr(self.slave.as_fd()).unwrap().c_lflag
    }
}

type Done = (ReadResult, Editor);

/// Runs `read_line(prompt)` on the slave in a thread.
fn spawn(
    _pty: &Pty,
    mut ed: Editor,
    prompt: &[u8],
    mut comp: Box<dyn Complete + Send>,
) -> (mpsc::Receiver<Done>, std::thread::JoinHandle<()>) {
    let prompt = prompt.to_vec();
    let (tx, rx) = mpsc::channel();
    let h = std::thread::spawn(move || {
        let r = ed.read_line(&prompt, &mut *comp);
        let _ = tx.send((r, ed));
    });
    (rx, h)
}

fn editor(pty: &Pty, hist: &[&str]) -> Editor {
    let mut ed = Editor::new(pty.slave(), pty.slave());
    for h in hist {
        ed.history_mut().add(h.as_bytes());
    }
    ed
}

/// One read_line: waits for the prompt, types `keys`, returns the result.
fn run(pty: &mut Pty, hist: &[&str], prompt: &str, keys: &[u8]) -> Done {
    let ed = editor(pty, hist);
    let (rx, _h) = spawn(pty, ed, prompt.as_bytes(), Box::new(NoComplete));
    let at = pty.out.len();
    pty.expect_from(at, prompt.rsplit('\n').next().unwrap().as_bytes());
    pty.type_(keys);
    pty.result(&rx)
}

fn line(r: ReadResult) -> String {
    match r {
        ReadResult::Line(l) => String::from_utf8(l).unwrap(),
        other => panic!("expected a line, got {other:?}"),
    }
}

/// SIGWINCH handling is process-wide: the pty tests run one at a time (and not beside the
/// system layer's own SIGWINCH test).
fn lock() -> std::sync::MutexGuard<'static, ()> {
    systerm::test_lock()
}

#[test]
fn enter_returns_line_and_restores_mode() {
    let _g = lock();
    let mut p = Pty::new(80);
    let before = p.lflag();
    assert!(before & libc::ICANON != 0);
    let (r, ed) = run(&mut p, &[], "$ ", b"echo hi\r");
    assert_eq!(line(r), "echo hi");
    assert_eq!(p.lflag(), before);
    assert_eq!(ed.history().iter().collect::<Vec<_>>(), [&b"echo hi"[..]]);
    assert_eq!(p.screen.text(), ["$ echo hi"]);
    assert_eq!((p.screen.r, p.screen.c), (1, 0));
}

#[test]
fn typing_at_the_end_is_a_plain_echo() {
    let _g = lock();
    let mut p = Pty::new(80);
    let ed = editor(&p, &[]);
    let (rx, _h) = spawn(&p, ed, b"$ ", Box::new(NoComplete));
    let mut at = p.expect(b"$ ");
    for k in ["a", "b", "é", "漢"] {
        p.type_(k.as_bytes());
        let end = p.expect_from(at, k.as_bytes());
        assert_eq!(&p.out[at..end], k.as_bytes());
        at = end;
    }
    // A combining mark is not echoed alone: the line is redrawn.
    p.type_("\u{301}\r".as_bytes());
    assert_eq!(line(p.result(&rx).0), "abé漢\u{301}");
    assert!(memchr::memmem::find(&p.out[at..], b"\x1b[J").is_some());
    // (The test terminal drops zero-width chars.)
    assert_eq!(p.screen.text(), ["$ abé漢"]);
}

#[test]
fn cursor_and_kill_keys() {
    let _g = lock();
    let cases: &[(&[u8], &str)] = &[
        (b"helo\x1b[Dl\r", "hello"),
        (b"bc\x01a\x05d\r", "abcd"),
        (b"bc\x1b[Ha\x1b[Fd\r", "abcd"),
        (b"bc\x1bOHa\x1bOFd\r", "abcd"),
        (b"bc\x1b[1~a\x1b[4~d\r", "abcd"),
        (b"bc\x1b[7~a\x1b[8~d\r", "abcd"),
        (b"ac\x02b\x06d\r", "abcd"),
        (b"abcX\x7f\r", "abc"),
        (b"abcX\x08\r", "abc"),
        (b"abXc\x02\x02\x1b[3~\r", "abc"),
        (b"abXc\x02\x02\x04\r", "abc"),
        (b"one two three\x17\r", "one two "),
        (b"one two three\x17\x17\x19\x19\r", "one two threetwo three"),
        (b"one two\x01\x06\x0b\r", "o"),
        (b"one two\x02\x02\x15\x05 \x19\r", "wo one t"),
        (b"foo bar baz\x1bb\x1bbX\r", "foo Xbar baz"),
        (b"foo bar baz\x01\x1bfX\r", "fooX bar baz"),
        (b"foo bar baz\x1b[1;5DX\r", "foo bar Xbaz"),
        (b"foo bar baz\x01\x1b[1;5CX\r", "fooX bar baz"),
        (b"foo bar baz\x1b\x7f\r", "foo bar "),
        (b"foo bar baz\x01\x1bd\r", " bar baz"),
        (b"ab\x14\r", "ba"),
        (b"abc\x02\x14\r", "acb"),
        (b"x\x16\x01y\r", "x\x01y"),
        // ESC then a key, typed separately, is Meta-key.
        (b"foo bar\x1b", "foo bar"),
    ];
    for (keys, want) in cases {
        let mut p = Pty::new(80);
        let ed = editor(&p, &[]);
        let (rx, _h) = spawn(&p, ed, b"$ ", Box::new(NoComplete));
        p.expect(b"$ ");
        p.type_(keys);
        if keys.ends_with(b"\x1b") {
            // The lone ESC: once it is taken as such, `b` moves a word back.
            p.pump(300);
            p.type_(b"bX\r");
            assert_eq!(line(p.result(&rx).0), "foo Xbar");
            continue;
        }
        let got = line(p.result(&rx).0);
        assert_eq!(&got, want, "keys {:?}", String::from_utf8_lossy(keys));
    }
}

#[test]
fn utf8_chars_edit_as_chars() {
    let _g = lock();
    let mut p = Pty::new(80);
    // Left twice over 漢 and b, Backspace removes é (two bytes), Right over 漢.
    let (r, _) = run(
        &mut p,
        &[],
        "$ ",
        "aé漢b\x1b[D\x1b[D\x7f\x1b[CX\r".as_bytes(),
    );
    assert_eq!(line(r), "a漢Xb");
    assert_eq!(p.screen.text(), ["$ a漢Xb"]);
    let mut p = Pty::new(80);
    // A combining accent goes with its base char.
    let (r, _) = run(
        &mut p,
        &[],
        "$ ",
        "e\u{301}x\x1b[D\x1b[D\x1b[3~\r".as_bytes(),
    );
    assert_eq!(line(r), "x");
}

#[test]
fn ctrl_d_and_ctrl_c() {
    let _g = lock();
    let mut p = Pty::new(80);
    let before = p.lflag();
    let (r, _) = run(&mut p, &[], "$ ", b"\x04");
    assert!(matches!(r, ReadResult::Eof), "{r:?}");
    assert_eq!(p.lflag(), before);
    let mut p = Pty::new(80);
    let (r, ed) = run(&mut p, &[], "$ ", b"sleep 10\x03");
    assert!(matches!(r, ReadResult::Interrupted), "{r:?}");
    assert_eq!(p.lflag(), before);
    assert!(ed.history().is_empty());
    assert_eq!(p.screen.text(), ["$ sleep 10^C"]);
    assert_eq!((p.screen.r, p.screen.c), (1, 0));
}

#[test]
fn history_navigation() {
    let _g = lock();
    let h = ["one", "two", "three"];
    let mut p = Pty::new(80);
    assert_eq!(line(run(&mut p, &h, "$ ", b"\x1b[A\x1b[A\r").0), "two");
    let mut p = Pty::new(80);
    assert_eq!(line(run(&mut p, &h, "$ ", b"\x10\x10\x10\x0e\r").0), "two");
    // An edit to a recalled line survives moving away and back; the new line too.
    let mut p = Pty::new(80);
    let r = run(&mut p, &h, "$ ", b"new\x1b[AX\x1b[A\x1b[BY\x1b[B\r").0;
    assert_eq!(line(r), "new");
    let mut p = Pty::new(80);
    let (r, ed) = run(&mut p, &h, "$ ", b"new\x1b[AX\x1b[A\x1b[BY\r");
    assert_eq!(line(r), "threeXY");
    // The history itself is unchanged; the accepted line is added.
    let all: Vec<&[u8]> = ed.history().iter().collect();
    assert_eq!(all, [&b"one"[..], b"two", b"three", b"threeXY"]);
    // Up on the oldest entry stays there.
    let mut p = Pty::new(80);
    assert_eq!(
        line(run(&mut p, &h, "$ ", b"\x1b[A\x1b[A\x1b[A\x1b[A\r").0),
        "one"
    );
}

#[test]
fn reverse_search() {
    let _g = lock();
    let h = ["echo alpha", "ls -l", "echo beta", "pwd"];
    let mut p = Pty::new(80);
    let ed = editor(&p, &h);
    let (rx, _h) = spawn(&p, ed, b"$ ", Box::new(NoComplete));
    p.expect(b"$ ");
    p.type_(b"\x12ech");
    p.wait_screen("search prompt", |s| {
        s.line(0) == "(reverse-i-search)'ech': echo beta"
    });
    // The cursor sits on the match.
    assert_eq!(p.screen.c, "(reverse-i-search)'ech': ".len());
    p.type_(b"\x12");
    p.wait_screen("older match", |s| {
        s.line(0) == "(reverse-i-search)'ech': echo alpha"
    });
    p.type_(b"\x12");
    p.wait_screen("failure", |s| {
        s.line(0).starts_with("(failed reverse-i-search)'ech'")
    });
    p.type_(b"\r");
    assert_eq!(line(p.result(&rx).0), "echo alpha");
    assert_eq!(p.screen.line(0), "$ echo alpha");

    // A cursor key leaves the search with the match for editing; Ctrl-G restores the line.
    let mut p = Pty::new(80);
    assert_eq!(
        line(run(&mut p, &h, "$ ", b"\x12ls\x05 -a\r").0),
        "ls -l -a"
    );
    let mut p = Pty::new(80);
    assert_eq!(line(run(&mut p, &h, "$ ", b"orig\x12ls\x07\r").0), "orig");
    // The line typed before the search is still there below the match.
    let mut p = Pty::new(80);
    assert_eq!(
        line(run(&mut p, &h, "$ ", b"orig\x12ls\x1b[B\x1b[B\x1b[B\r").0),
        "orig"
    );
    // Backspace shortens the text and searches again.
    let mut p = Pty::new(80);
    assert_eq!(line(run(&mut p, &h, "$ ", b"\x12pwx\x7f\r").0), "pwd");
}

#[test]
fn long_lines_wrap() {
    let _g = lock();
    let mut p = Pty::new(20);
    let ed = editor(&p, &[]);
    let (rx, _h) = spawn(&p, ed, b"$ ", Box::new(NoComplete));
    p.expect(b"$ ");
    let text: String = (0..50).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    // Typed one key at a time so that every redraw path is taken.
    for (n, ch) in text.bytes().enumerate() {
        p.type_(&[ch]);
        let at = 2 + n + 1;
        p.wait_screen("echo", |s| (s.r, s.c) == (at / 20, at % 20));
    }
    let want = format!("$ {text}");
    let rows: Vec<String> = want
        .as_bytes()
        .chunks(20)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    p.wait_screen("wrapped", |s| s.text() == rows);
    assert_eq!((p.screen.r, p.screen.c), (2, 12));
    // To the start, insert: everything shifts across the rows.
    p.type_(b"\x01X");
    let want = format!("$ X{text}");
    let rows: Vec<String> = want
        .as_bytes()
        .chunks(20)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    p.wait_screen("inserted", |s| s.text() == rows && (s.r, s.c) == (0, 3));
    // Exactly filling a row puts the cursor on the next row.
    p.type_(b"\x05\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f");
    p.wait_screen("full rows", |s| s.text().len() == 2 && (s.r, s.c) == (2, 0));
    // Home from there goes up two rows.
    p.type_(b"\x01");
    p.wait_screen("home", |s| (s.r, s.c) == (0, 2));
    p.type_(b"\r");
    let r = line(p.result(&rx).0);
    assert_eq!(r.len(), 38);
    assert_eq!((p.screen.r, p.screen.c), (2, 0));
}

#[test]
fn multiline_colour_prompt() {
    let _g = lock();
    let mut p = Pty::new(20);
    let prompt = "user@host:/tmp\n\x1b[1;32m$\x1b[0m ";
    let (r, _) = run(
        &mut p,
        &[],
        prompt,
        b"0123456789012345678901234\x1b[D\x1b[DX\r",
    );
    assert_eq!(line(r), "01234567890123456789012X34");
    assert_eq!(
        p.screen.text(),
        ["user@host:/tmp", "$ 012345678901234567", "89012X34"]
    );
}

#[test]
fn wide_chars_wrap() {
    let _g = lock();
    let mut p = Pty::new(10);
    // "$ " + 3 wide (6 cols) + "ab" = 10: full row; the next wide char starts row 2.
    let (r, _) = run(&mut p, &[], "$ ", "漢字漢ab字x\x1b[DY\r".as_bytes());
    assert_eq!(line(r), "漢字漢ab字Yx");
    assert_eq!(p.screen.text(), ["$ 漢字漢ab", "字Yx"]);
}

#[test]
fn ctrl_l_clears_and_redraws() {
    let _g = lock();
    let mut p = Pty::new(40);
    p.screen.feed(b"junk\r\nmore junk\r\n");
    let ed = editor(&p, &[]);
    let (rx, _h) = spawn(&p, ed, b"top\n> ", Box::new(NoComplete));
    p.expect(b"> ");
    p.type_(b"abc\x0c");
    p.wait_screen("cleared", |s| s.text() == ["top", "> abc"]);
    p.type_(b"\r");
    assert_eq!(line(p.result(&rx).0), "abc");
}

#[test]
fn resize_redraws() {
    let _g = lock();
    let mut p = Pty::new(40);
    let ed = editor(&p, &[]);
    let (rx, h) = spawn(&p, ed, b"$ ", Box::new(NoComplete));
    p.expect(b"$ ");
    let text = "0123456789012345678901234567890";
    p.type_(text.as_bytes());
    p.wait_screen("typed", |s| s.line(0) == format!("$ {text}"));
    // Narrower: the terminal (xterm-like, no reflow) keeps the old row; our redraw must put
    // the line out wrapped at 20.
    set_size(p.master.as_fd(), 20, 24);
    p.screen = Screen::new(20, 24);
    let at = p.out.len();
    systerm::send_winch(&h).unwrap();
    p.expect_from(at, b"\x1b[J");
    p.wait_screen("rewrapped", |s| {
        s.text().ends_with(&[
            "$ 012345678901234567".to_string(),
            "8901234567890".to_string(),
        ])
    });
    p.type_(b"\r");
    assert_eq!(line(p.result(&rx).0), text);
}

#[test]
fn tab_completion() {
    let _g = lock();
    let d = std::env::temp_dir().join(format!("rbox-le-tab-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("subdir")).unwrap();
    for f in ["file1", "file2", "fileA b", "other"] {
        std::fs::write(d.join(f), b"").unwrap();
    }
    let dir = d.to_str().unwrap().to_string();
    let comp = || {
        Box::new(ShellCompleter {
            commands: vec![b"echo".to_vec(), b"exit".to_vec()],
            path: Vec::new(),
            home: None,
        })
    };
    // Unique: inserted with a space; directory: with a slash.
    let mut p = Pty::new(80);
    let ed = editor(&p, &[]);
    let (rx, _h) = spawn(&p, ed, b"$ ", comp());
    p.expect(b"$ ");
    p.type_(format!("cat {dir}/o\t{dir}/s\t\r").as_bytes());
    assert_eq!(
        line(p.result(&rx).0),
        format!("cat {dir}/other {dir}/subdir/")
    );

    // Common prefix on the first Tab, the list on the second, the prompt again below it.
    let mut p = Pty::new(80);
    let ed = editor(&p, &[]);
    let (rx, _h) = spawn(&p, ed, b"$ ", comp());
    p.expect(b"$ ");
    p.type_(format!("ls {dir}/f\t").as_bytes());
    let want0 = format!("$ ls {dir}/file");
    p.wait_screen("prefix", |s| s.line(0) == want0);
    p.type_(b"\t");
    p.wait_screen("listing", |s| {
        s.text()
            == [
                want0.clone(),
                "file1    file2    fileA b".into(),
                want0.clone(),
            ]
    });
    p.type_(b"A\t\r");
    assert_eq!(line(p.result(&rx).0), format!("ls {dir}/fileA\\ b "));

    // Command position: the shell's names and the applets.
    let mut p = Pty::new(80);
    let ed = editor(&p, &[]);
    let (rx, _h) = spawn(&p, ed, b"$ ", comp());
    p.expect(b"$ ");
    p.type_(b"ec\t\r");
    assert_eq!(line(p.result(&rx).0), "echo ");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn paste_is_one_redraw() {
    let _g = lock();
    let mut p = Pty::new(80);
    let text = "x".repeat(300);
    let (r, _) = run(&mut p, &[], "$ ", format!("{text}\r").as_bytes());
    assert_eq!(line(r), text);
    // Far fewer redraws than keys (each redraw clears with ESC [ J).
    let redraws = memchr::memmem::find_iter(&p.out, b"\x1b[J").count();
    assert!(redraws < 50, "{redraws} redraws for a 300-char paste");
}

#[test]
fn not_a_terminal_reads_plain_lines() {
    let (r, w) = sysfd::pipe().unwrap();
    sysfd::write_all(w.as_fd(), b"first\nsecond").unwrap();
    drop(w);
    let null = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .unwrap();
    let mut ed = Editor::new(
        sysfd::borrow_raw(r.as_raw_fd()),
        sysfd::borrow_raw(null.as_raw_fd()),
    );
    assert!(!ed.is_terminal());
    assert_eq!(line(ed.read_line(b"$ ", &mut NoComplete)), "first");
    assert_eq!(line(ed.read_line(b"$ ", &mut NoComplete)), "second");
    assert!(matches!(
        ed.read_line(b"$ ", &mut NoComplete),
        ReadResult::Eof
    ));
    drop(ed);
    drop(r);
}

/// The fuzz entry over the saved corpus (`corpus/`, one key script per file, first byte the
/// width) and a few thousand deterministic mutations of it (xorshift, fixed seed).
#[test]
fn fuzz_corpus_and_mutations() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/applets/sh/lineedit/corpus");
    let mut corpus: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    corpus.sort();
    assert!(corpus.len() >= 4);
    for c in &corpus {
        fuzz_one(c);
    }
    const SEQS: &[&[u8]] = &[
        b"\x1b[A",
        b"\x1b[B",
        b"\x1b[C",
        b"\x1b[D",
        b"\x1b[3~",
        b"\x1b[1;5C",
        b"\x1bb",
        b"\t",
        b"\x12",
        b"\x03",
        b"\x04",
        b"\r",
        b"\x7f",
        b"\x17",
        b"\x19",
        b"\x14",
        b"\xe6\xbc\xa2",
        b"\xcc\x81",
        b"\"",
        b"'",
        b"\\",
        b"~/",
        b" ",
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..3000 {
        let mut d = corpus[(rnd() % corpus.len() as u64) as usize].clone();
        for _ in 0..1 + rnd() % 8 {
            let at = if d.is_empty() {
                0
            } else {
                (rnd() % d.len() as u64) as usize
            };
            match rnd() % 5 {
                0 if !d.is_empty() => d[at] = rnd() as u8,
                1 if !d.is_empty() => {
                    d.remove(at);
                }
                2 => d.insert(at, rnd() as u8),
                3 => {
                    let s = SEQS[(rnd() % SEQS.len() as u64) as usize];
                    d.splice(at..at, s.iter().copied());
                }
                _ => {
                    let o = &corpus[(rnd() % corpus.len() as u64) as usize];
                    let from = (rnd() % (o.len() as u64 + 1)) as usize;
                    d.splice(at..at, o[from..].iter().copied());
                }
            }
        }
        fuzz_one(&d);
    }
}
