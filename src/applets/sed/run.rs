//! Running a compiled script: input streams (one continuous stream, or one per file with `-s`
//! and `-i`), the cycle, addresses and ranges, and every command.

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::ctx::strerror;
use crate::common::io::{stdin_fd, Out, BUF_SIZE};
use crate::common::regex::Matcher;
use crate::common::sys::fd as sysfd;
use crate::common::sys::fs as sysfs;
use crate::common::Ctx;

use super::compile::{runtime_msg, Addr, Kind, Posix, Script, Subst};
use super::Settings;
use crate::common::subst::{segment_search, substitute_in, How};

/// A fatal condition: message (empty: already said) and exit status.
pub struct Fatal(Vec<u8>, i32);
type R<T> = Result<T, Fatal>;

fn fatal_io(what: &[u8], e: &io::Error) -> Fatal {
    let mut m = what.to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    Fatal(m, 4)
}

/// One input file being read.
struct In {
    fd: Option<OwnedFd>,
    /// The name for messages and `F` (`-` for standard input).
    name: Vec<u8>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    chunk: usize,
}

impl In {
    fn new(fd: Option<OwnedFd>, name: Vec<u8>, unbuffered: bool) -> In {
        In {
            fd,
            name,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            eof: false,
            chunk: if unbuffered { 1 } else { BUF_SIZE },
        }
    }

    fn read_err(&self, e: &io::Error) -> Fatal {
        let mut w = b"read error on ".to_vec();
        if self.fd.is_none() {
            w.extend_from_slice(b"stdin");
        } else {
            w.extend_from_slice(&self.name);
        }
        fatal_io(&w, e)
    }

    /// Read more bytes; false at end of file.
    fn fill(&mut self) -> R<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos == self.end {
            self.pos = 0;
            self.end = 0;
        } else if self.pos > 0 && self.buf.len() - self.end < self.chunk {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() < self.end + self.chunk {
            self.buf.resize(self.end + self.chunk, 0);
        }
        let fd = match &self.fd {
            Some(f) => f.as_fd(),
            None => stdin_fd(),
        };
        let r = sysfd::read(fd, &mut self.buf[self.end..self.end + self.chunk]);
        let n = r.map_err(|e| self.read_err(&e))?;
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.end += n;
        Ok(true)
    }

    fn has_more(&mut self) -> R<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        self.fill()
    }

    /// Append the next line (without its delimiter) to `out`: Some(had a delimiter), or
    /// None at end of file.
    fn read_line(&mut self, delim: u8, out: &mut Vec<u8>) -> R<Option<bool>> {
        let mut any = false;
        loop {
            if self.pos == self.end && !self.fill()? {
                return Ok(if any { Some(false) } else { None });
            }
            let avail = &self.buf[self.pos..self.end];
            if let Some(i) = memchr::memchr(delim, avail) {
                out.extend_from_slice(&avail[..i]);
                self.pos += i + 1;
                return Ok(Some(true));
            }
            out.extend_from_slice(avail);
            any = true;
            self.pos = self.end;
        }
    }
}

/// The input: files in turn as one stream, with the look-ahead `$` needs.
struct Stream {
    names: Vec<OsString>,
    next: usize,
    cur: Option<In>,
    ahead: Option<In>,
    line: u64,
    unbuffered: bool,
    /// --follow-symlinks: files are opened (and named, for `F`) by their final target.
    follow: bool,
    bad: bool,
}

impl Stream {
    fn new(names: Vec<OsString>, unbuffered: bool) -> Stream {
        Stream {
            names,
            next: 0,
            cur: None,
            ahead: None,
            line: 0,
            unbuffered,
            follow: false,
            bad: false,
        }
    }

    fn with(file: In) -> Stream {
        Stream {
            names: Vec::new(),
            next: 0,
            cur: Some(file),
            ahead: None,
            line: 0,
            unbuffered: false,
            follow: false,
            bad: false,
        }
    }

    fn open_next(&mut self, ctx: &mut Ctx) -> R<Option<In>> {
        while self.next < self.names.len() {
            let mut name = self.names[self.next].as_bytes().to_vec();
            self.next += 1;
            if name == b"-" {
                return Ok(Some(In::new(None, name, self.unbuffered)));
            }
            if self.follow {
                name = follow_links(&name)?;
            }
            match sysfd::open(&name, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                Ok(fd) => return Ok(Some(In::new(Some(fd), name, self.unbuffered))),
                Err(e) => {
                    can_not_read(ctx, &name, &e);
                    self.bad = true;
                }
            }
        }
        Ok(None)
    }

    fn read(&mut self, ctx: &mut Ctx, delim: u8, out: &mut Vec<u8>) -> R<Option<bool>> {
        loop {
            if self.cur.is_none() {
                self.cur = match self.ahead.take() {
                    Some(a) => Some(a),
                    None => match self.open_next(ctx)? {
                        Some(f) => Some(f),
                        None => return Ok(None),
                    },
                };
            }
            let cur = self.cur.as_mut().unwrap();
            if let Some(c) = cur.read_line(delim, out)? {
                self.line += 1;
                return Ok(Some(c));
            }
            if self.ahead.is_none() && self.next >= self.names.len() {
                // Keep the last file for `F` after its end.
                return Ok(None);
            }
            self.cur = None;
        }
    }

    fn is_last(&mut self, ctx: &mut Ctx) -> R<bool> {
        if let Some(c) = self.cur.as_mut() {
            if c.has_more()? {
                return Ok(false);
            }
        }
        loop {
            if let Some(a) = self.ahead.as_mut() {
                if a.has_more()? {
                    return Ok(false);
                }
                self.ahead = None;
            }
            match self.open_next(ctx)? {
                Some(f) => self.ahead = Some(f),
                None => return Ok(true),
            }
        }
    }

    fn name(&self) -> &[u8] {
        match &self.cur {
            Some(c) => &c.name,
            None => b"-",
        }
    }
}

fn can_not_read(ctx: &mut Ctx, name: &[u8], e: &io::Error) {
    let mut m = b"can't read ".to_vec();
    m.extend_from_slice(name);
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    ctx.msg(&m);
}

/// An output with GNU's "missing newline" state: the last line written lacked its newline
/// (the input's last line had none), so the next write adds it first.
struct Sink {
    out: Out,
    missing: bool,
    name: &'static str,
    flush_each: bool,
    delim: u8,
}

impl Sink {
    fn new(out: Out, name: &'static str) -> Sink {
        Sink {
            out,
            missing: false,
            name,
            flush_each: false,
            delim: b'\n',
        }
    }
    /// EPIPE included: it only comes when SIGPIPE was ignored at start, and GNU says it.
    fn err(&self, n: usize, e: &io::Error) -> Fatal {
        let m = format!(
            "couldn't write {} item{} to {}: {}",
            n,
            if n == 1 { "" } else { "s" },
            self.name,
            strerror(e)
        );
        Fatal(m.into_bytes(), 4)
    }
    fn put(&mut self, b: &[u8]) -> R<()> {
        if self.missing {
            self.missing = false;
            let d = [self.delim];
            self.out.write_all(&d).map_err(|e| self.err(1, &e))?;
        }
        self.out.write_all(b).map_err(|e| self.err(b.len(), &e))
    }
    fn done(&mut self) -> R<()> {
        if self.flush_each {
            self.out.flush().map_err(|e| self.err(1, &e))?;
        }
        Ok(())
    }
    fn line(&mut self, b: &[u8], chomped: bool, delim: u8) -> R<()> {
        self.put(b)?;
        if chomped {
            self.out.write_all(&[delim]).map_err(|e| self.err(1, &e))?;
        } else {
            self.missing = true;
        }
        self.done()
    }
    fn flush(&mut self) -> R<()> {
        self.out.flush().map_err(|e| {
            Fatal(
                format!("couldn't flush {}: {}", self.name, strerror(&e)).into_bytes(),
                4,
            )
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    Main,
    Stdout,
    Stderr,
    W(usize),
}

enum App<'s> {
    Text(&'s [u8]),
    File(&'s [u8]),
    Bytes(Vec<u8>),
}

enum End {
    Normal,
    Delete,
    Restart,
    Quit(i32, bool),
}

struct Exec<'s> {
    s: &'s Script,
    set: &'s Settings,
    m: Vec<Matcher<'s>>,
    last_re: Option<usize>,
    ps: Vec<u8>,
    hold: Vec<u8>,
    chomped: bool,
    hold_chomped: bool,
    w_missing: bool,
    active: Vec<bool>,
    /// A range that ended: one starting at a line number never starts again.
    closed: Vec<bool>,
    end: Vec<u64>,
    appends: Vec<App<'s>>,
    replaced: bool,
    quiet: bool,
    delim: u8,
    stdout: Sink,
    file: Option<(OwnedFd, Sink)>,
    stderr: Sink,
    wouts: Vec<Option<(OwnedFd, Sink)>>,
    wdest: Vec<Dest>,
    rins: Vec<Option<In>>,
    caps: Vec<Option<(usize, usize)>>,
    acc: Vec<u8>,
}

pub fn run(ctx: &mut Ctx, s: &Script, set: &Settings, files: Vec<OsString>) -> i32 {
    let mut ex = Exec {
        s,
        set,
        m: s.regexes.iter().map(|r| r.matcher()).collect(),
        last_re: None,
        ps: Vec::new(),
        hold: Vec::new(),
        chomped: true,
        hold_chomped: true,
        w_missing: false,
        active: vec![false; s.cmds.len()],
        closed: vec![false; s.cmds.len()],
        end: vec![0; s.cmds.len()],
        appends: Vec::new(),
        replaced: false,
        quiet: set.quiet,
        delim: if set.zero { 0 } else { b'\n' },
        stdout: Sink::new(Out::stdout(), "stdout"),
        file: None,
        stderr: Sink::new(Out::on(crate::common::io::stderr_fd(), 4096), "stderr"),
        wouts: Vec::new(),
        wdest: Vec::new(),
        rins: Vec::new(),
        caps: vec![None; 10],
        acc: Vec::new(),
    };
    ex.stdout.flush_each = set.unbuffered;
    ex.stdout.delim = ex.delim;
    ex.stderr.delim = ex.delim;
    ex.stderr.flush_each = true;
    let r = ex.setup_files().and_then(|_| ex.main_loop(ctx, files));
    let mut status = match r {
        Ok(code) => code,
        Err(Fatal(m, code)) => {
            if !m.is_empty() {
                let _ = ex.stdout.out.flush();
                ctx.msg(&m);
            }
            ex.abandon_file();
            code
        }
    };
    let _ = ex.stderr.flush();
    for w in ex.wouts.iter_mut().flatten() {
        let _ = w.1.flush();
    }
    if let Err(Fatal(m, code)) = ex.stdout.flush() {
        if !m.is_empty() {
            ctx.msg(&m);
        }
        if status == 0 || status == 2 {
            status = code;
        }
    }
    status
}

impl<'s> Exec<'s> {
    fn setup_files(&mut self) -> R<()> {
        for (i, name) in self.s.wfiles.iter().enumerate() {
            match name.as_slice() {
                b"/dev/stdout" => {
                    self.wouts.push(None);
                    self.wdest.push(Dest::Stdout);
                }
                b"/dev/stderr" => {
                    self.wouts.push(None);
                    self.wdest.push(Dest::Stderr);
                }
                _ => {
                    let fd = self.s.wfds[i]
                        .as_ref()
                        .and_then(|f| f.try_clone().ok())
                        .ok_or_else(|| Fatal(b"couldn't open file".to_vec(), 4))?;
                    let out = Out::on(sysfd::borrow_raw(fd.as_raw_fd()), 8192);
                    let mut sink = Sink::new(out, "file");
                    sink.flush_each = true;
                    sink.delim = self.delim;
                    self.wdest.push(Dest::W(self.wouts.len()));
                    self.wouts.push(Some((fd, sink)));
                }
            }
        }
        self.open_rfiles();
        Ok(())
    }

    /// `R` files, read from their start.
    fn open_rfiles(&mut self) {
        self.rins.clear();
        for name in &self.s.rfiles {
            let f = if name.as_slice() == b"/dev/stdin" {
                Some(In::new(None, b"-".to_vec(), false))
            } else {
                sysfd::open(name, libc::O_RDONLY | libc::O_CLOEXEC, 0)
                    .ok()
                    .map(|fd| In::new(Some(fd), name.clone(), false))
            };
            self.rins.push(f);
        }
    }

    /// `-s` and `-i`: each file starts afresh, as GNU's read_pattern_space does: line numbers
    /// (a new Stream), ranges, the hold space, and the `R` files (except standard input).
    fn next_separate_file(&mut self, first: bool) {
        self.reset_ranges();
        if !first {
            self.hold.clear();
            if self.s.rfiles.iter().any(|n| n.as_slice() != b"/dev/stdin") {
                let keep: Vec<Option<In>> = std::mem::take(&mut self.rins);
                self.open_rfiles();
                for (i, old) in keep.into_iter().enumerate() {
                    if self.s.rfiles[i].as_slice() == b"/dev/stdin" {
                        self.rins[i] = old;
                    }
                }
            }
        }
    }

    fn main_loop(&mut self, ctx: &mut Ctx, files: Vec<OsString>) -> R<i32> {
        if !self.set.separate {
            let mut st = Stream::new(files, self.set.unbuffered);
            st.follow = self.set.follow;
            self.reset_ranges();
            let q = self.cycles(ctx, &mut st)?;
            // A file that could not be read makes the status 2, even after `q5`.
            return Ok(match q {
                _ if st.bad => 2,
                Some(c) => c,
                None => 0,
            });
        }
        let mut bad = false;
        for (k, name) in files.into_iter().enumerate() {
            self.next_separate_file(k == 0);
            let name = name.as_bytes().to_vec();
            let q = if self.set.in_place.is_some() {
                match self.edit_in_place(ctx, &name)? {
                    Some(q) => q,
                    None => {
                        bad = true;
                        continue;
                    }
                }
            } else {
                let mut st =
                    Stream::new(vec![OsString::from_vec_bytes(&name)], self.set.unbuffered);
                st.follow = self.set.follow;
                let q = self.cycles(ctx, &mut st)?;
                bad |= st.bad;
                q
            };
            if let Some(c) = q {
                return Ok(if bad { 2 } else { c });
            }
        }
        Ok(if bad || ctx.status == 4 {
            ctx.status.max(2)
        } else {
            0
        })
    }

    fn reset_ranges(&mut self) {
        for (i, c) in self.s.cmds.iter().enumerate() {
            self.active[i] = matches!(c.a1, Some(Addr::Num(0)));
            self.closed[i] = false;
        }
    }

    /// The current main output.
    fn main_sink(&mut self) -> &mut Sink {
        match &mut self.file {
            Some((_, s)) => s,
            None => &mut self.stdout,
        }
    }

    fn sink(&mut self, d: Dest) -> &mut Sink {
        match d {
            Dest::Main => self.main_sink(),
            Dest::Stdout => &mut self.stdout,
            Dest::Stderr => &mut self.stderr,
            Dest::W(i) => &mut self.wouts[i].as_mut().unwrap().1,
        }
    }

    fn abandon_file(&mut self) {
        self.file = None;
    }

    /// `-i`: one file, its output into a new file beside it, renamed over it at the end.
    /// None: the file could not be read (reported).
    fn edit_in_place(&mut self, ctx: &mut Ctx, name: &[u8]) -> R<Option<Option<i32>>> {
        let mut target = name.to_vec();
        if self.set.follow {
            target = follow_links(&target)?;
        }
        let fd = match sysfd::open(&target, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
            Ok(fd) => fd,
            Err(e) => {
                can_not_read(ctx, name, &e);
                return Ok(None);
            }
        };
        let st = sysfd::fstat(fd.as_fd()).map_err(|e| fatal_io(name, &e))?;
        if st.st_mode & libc::S_IFMT != libc::S_IFREG {
            let mut m = b"couldn't edit ".to_vec();
            m.extend_from_slice(name);
            m.extend_from_slice(b": not a regular file");
            return Err(Fatal(m, 4));
        }
        let split = target.iter().rposition(|&c| c == b'/');
        let (dir, base): (Vec<u8>, Vec<u8>) = match split {
            Some(i) => (
                if i == 0 {
                    b"/".to_vec()
                } else {
                    target[..i].to_vec()
                },
                target[i + 1..].to_vec(),
            ),
            None => (b".".to_vec(), target.clone()),
        };
        let dfd = sysfd::open(
            &dir,
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            0,
        )
        .map_err(|e| {
            let mut w = b"couldn't open temporary file ".to_vec();
            w.extend_from_slice(&dir);
            w.extend_from_slice(b"/sedXXXXXX");
            fatal_io(&w, &e)
        })?;
        let (tmp, tfd) = make_temp(&dfd, &dir, st.st_mode)?;
        let _ = sysfs::fchown(tfd.as_fd(), st.st_uid, st.st_gid)
            .or_else(|_| sysfs::fchown(tfd.as_fd(), u32::MAX, st.st_gid));
        let _ = sysfs::fchmod(tfd.as_fd(), st.st_mode & 0o7777);
        let out = Out::on(sysfd::borrow_raw(tfd.as_raw_fd()), BUF_SIZE);
        let mut sink = Sink::new(out, "file");
        sink.delim = self.delim;
        self.file = Some((tfd, sink));
        let mut stream = Stream::with(In::new(Some(fd), name.to_vec(), false));
        let r = self.cycles(ctx, &mut stream);
        let r = r.and_then(|q| {
            let (_, sink) = self.file.as_mut().unwrap();
            sink.flush()?;
            Ok(q)
        });
        let file = self.file.take();
        let q = match r {
            Ok(q) => q,
            Err(e) => {
                drop(file);
                let _ = sysfs::unlinkat(dfd.as_fd(), &tmp, 0);
                return Err(e);
            }
        };
        drop(file);
        let suffix = self.set.in_place.as_deref().unwrap_or(b"");
        if !suffix.is_empty() && suffix != b"*" {
            // GNU: each `*` is the operand as written and the backup is named from the
            // current directory (`-i 'bak/*'` on d/f is bak/d/f); else SUFFIX is appended
            let r = if suffix.contains(&b'*') {
                let backup = backup_name(&target, suffix);
                sysfs::renameat(sysfd::cwd(), &target, sysfd::cwd(), &backup)
            } else {
                let backup = backup_name(&base, suffix);
                sysfs::renameat(dfd.as_fd(), &base, dfd.as_fd(), &backup)
            };
            if let Err(e) = r {
                let _ = sysfs::unlinkat(dfd.as_fd(), &tmp, 0);
                let mut w = b"cannot rename ".to_vec();
                w.extend_from_slice(&target);
                return Err(fatal_io(&w, &e));
            }
        }
        if let Err(e) = sysfs::renameat(dfd.as_fd(), &tmp, dfd.as_fd(), &base) {
            let _ = sysfs::unlinkat(dfd.as_fd(), &tmp, 0);
            let mut w = b"cannot rename ".to_vec();
            w.extend_from_slice(&dir);
            w.push(b'/');
            w.extend_from_slice(&tmp);
            return Err(fatal_io(&w, &e));
        }
        Ok(Some(q))
    }

    /// Run cycles until the input ends (None) or a `q`/`Q` (its status).
    fn cycles(&mut self, ctx: &mut Ctx, st: &mut Stream) -> R<Option<i32>> {
        let mut restart = false;
        loop {
            if !restart {
                self.ps.clear();
                match st.read(ctx, self.delim, &mut self.ps)? {
                    None => return Ok(None),
                    Some(c) => self.chomped = c,
                }
                self.replaced = false;
            }
            restart = false;
            match self.execute(ctx, st)? {
                End::Normal => {
                    if !self.quiet {
                        self.out_ps(Dest::Main)?;
                    }
                }
                End::Delete => {}
                End::Restart => {
                    // GNU's `D` jumps back to the script's start: what `a`, `r` and `R`
                    // queued waits for the next line read or the cycle's end.
                    restart = true;
                    continue;
                }
                End::Quit(code, print) => {
                    if print && !self.quiet {
                        self.out_ps(Dest::Main)?;
                    }
                    if print {
                        // GNU's `q` (not `Q`) ends the output's last line even when the
                        // input's had no newline: its append queue is flushed after one.
                        // `Q` drops what `a`, `r` and `R` queued.
                        self.put(Dest::Main, b"")?;
                        self.dump_appends()?;
                    }
                    return Ok(Some(code));
                }
            }
            self.dump_appends()?;
            if self.set.unbuffered {
                self.main_sink().flush()?;
            }
        }
    }

    /// `w /dev/stdout` writes to standard output with its own missing-newline state, as
    /// GNU's separate output record for it has.
    fn swap_w(&mut self, d: Dest) {
        if d == Dest::Stdout {
            std::mem::swap(&mut self.stdout.missing, &mut self.w_missing);
        }
    }

    fn out_ps(&mut self, d: Dest) -> R<()> {
        let (ps, chomped, delim) = (std::mem::take(&mut self.ps), self.chomped, self.delim);
        self.swap_w(d);
        let r = self.sink(d).line(&ps, chomped, delim);
        self.swap_w(d);
        self.ps = ps;
        r
    }

    fn put(&mut self, d: Dest, b: &[u8]) -> R<()> {
        let s = self.sink(d);
        s.put(b)?;
        s.done()
    }

    /// `i` and `c` text: its last newline is the line delimiter (NUL under -z), as GNU
    /// writes it (`a` text goes out as it is).
    fn put_text(&mut self, t: &[u8]) -> R<()> {
        match t.strip_suffix(b"\n") {
            Some(body) => {
                let delim = self.delim;
                self.sink(Dest::Main).line(body, true, delim)
            }
            None => self.put(Dest::Main, t),
        }
    }

    /// A file's bytes to the main output (`r`); nothing when it cannot be read.
    fn put_file(&mut self, name: &[u8]) -> R<()> {
        // The missing newline is written even when the file cannot be read.
        self.main_sink().put(b"")?;
        let fd = if name == b"/dev/stdin" {
            None
        } else {
            match sysfd::open(name, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                Ok(f) => Some(f),
                Err(_) => return Ok(()),
            }
        };
        let mut f = In::new(fd, Vec::new(), false);
        let mut first = true;
        while f.fill().unwrap_or(false) {
            let data = f.buf[f.pos..f.end].to_vec();
            f.pos = f.end;
            let s = self.main_sink();
            if first {
                s.put(&data)?;
                first = false;
            } else {
                s.out.write_all(&data).map_err(|e| s.err(data.len(), &e))?;
            }
        }
        self.main_sink().done()
    }

    fn dump_appends(&mut self) -> R<()> {
        if self.appends.is_empty() {
            return Ok(());
        }
        let apps = std::mem::take(&mut self.appends);
        for a in &apps {
            match a {
                App::Text(t) => self.put(Dest::Main, t)?,
                App::Bytes(b) => self.put(Dest::Main, b)?,
                App::File(name) => self.put_file(name)?,
            }
        }
        self.appends = apps;
        self.appends.clear();
        Ok(())
    }

    fn regex_index(&mut self, re: Option<usize>) -> R<usize> {
        match re.or(self.last_re) {
            Some(i) => {
                self.last_re = Some(i);
                Ok(i)
            }
            None => Err(Fatal(
                runtime_msg(self.s, "no previous regular expression"),
                1,
            )),
        }
    }

    fn match_addr(&mut self, a: &Addr, ctx: &mut Ctx, st: &mut Stream) -> R<bool> {
        let l = st.line;
        Ok(match a {
            Addr::Num(n) => l == *n,
            Addr::Step(f, s) => l >= *f && (l - f).is_multiple_of(*s),
            Addr::Last => st.is_last(ctx)?,
            Addr::Re(r) => {
                let i = self.regex_index(*r)?;
                if self.s.segmented[i] {
                    segment_search(&mut self.m[i], &self.ps, 0, self.delim, None).is_some()
                } else {
                    self.m[i].is_match(&self.ps, 0)
                }
            }
            Addr::Plus(_) | Addr::Mult(_) | Addr::Null => false,
        })
    }

    fn selected(&mut self, i: usize, ctx: &mut Ctx, st: &mut Stream) -> R<bool> {
        let c = &self.s.cmds[i];
        let Some(a1) = &c.a1 else {
            return Ok(!c.bang);
        };
        let hit = match &c.a2 {
            None => self.match_addr(a1, ctx, st)?,
            // GNU's match_address_p: a line-number start is a state (reached or passed,
            // once), so a range whose first line was skipped by `d`, `N` or `b` still starts
            Some(a2) => {
                let l = st.line;
                if self.active[i] {
                    let ends = match a2 {
                        Addr::Num(n) => {
                            if l >= *n {
                                self.active[i] = false;
                                self.closed[i] = true;
                            }
                            return Ok((l <= *n) != c.bang);
                        }
                        Addr::Plus(_) | Addr::Mult(_) => self.end[i] <= l,
                        Addr::Null => true,
                        _ => self.match_addr(a2, ctx, st)?,
                    };
                    if ends {
                        self.active[i] = false;
                        self.closed[i] = true;
                    }
                    true
                } else {
                    let start = match a1 {
                        Addr::Num(n) => !self.closed[i] && l >= *n,
                        _ => self.match_addr(a1, ctx, st)?,
                    };
                    if start {
                        self.active[i] = true;
                        let ends = match a2 {
                            Addr::Num(n) => l >= *n,
                            Addr::Plus(n) => {
                                self.end[i] = l + n;
                                false
                            }
                            Addr::Mult(n) => {
                                self.end[i] = (l / n + 1) * n;
                                false
                            }
                            // a regex end is looked for from the next line on
                            Addr::Re(_) => false,
                            Addr::Null => true,
                            _ => self.match_addr(a2, ctx, st)?,
                        };
                        if ends {
                            self.active[i] = false;
                            self.closed[i] = true;
                        }
                        match (a1, a2) {
                            // past both line numbers: nothing selected
                            (Addr::Num(m), Addr::Num(n)) => l <= *n || l == *m,
                            _ => true,
                        }
                    } else {
                        false
                    }
                }
            }
        };
        Ok(hit != c.bang)
    }

    fn execute(&mut self, ctx: &mut Ctx, st: &mut Stream) -> R<End> {
        let s = self.s;
        let n = s.cmds.len();
        let mut pc = 0;
        while pc < n {
            let cmd = &s.cmds[pc];
            if !self.selected(pc, ctx, st)? {
                if let Kind::Block(e) = cmd.kind {
                    pc = e + 1;
                } else {
                    pc += 1;
                }
                continue;
            }
            match &cmd.kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Label => {}
                // `=` and `F` end their line with the -z delimiter too (GNU)
                Kind::Eq => {
                    let mut t = st.line.to_string().into_bytes();
                    t.push(self.delim);
                    self.put(Dest::Main, &t)?;
                }
                Kind::Append(t) => self.appends.push(App::Text(t)),
                Kind::Insert(t) => self.put_text(t)?,
                Kind::Change(t) => {
                    if cmd.a2.is_none() || !self.active[pc] {
                        self.put_text(t)?;
                    }
                    return Ok(End::Delete);
                }
                Kind::Branch(k, _, target) => {
                    let jump = match k {
                        b'b' => true,
                        b't' => std::mem::replace(&mut self.replaced, false),
                        _ => {
                            if self.replaced {
                                self.replaced = false;
                                false
                            } else {
                                true
                            }
                        }
                    };
                    if jump {
                        pc = *target;
                        continue;
                    }
                }
                Kind::Delete => return Ok(End::Delete),
                Kind::DeleteFirst => match memchr::memchr(self.delim, &self.ps) {
                    None => return Ok(End::Delete),
                    Some(i) => {
                        self.ps.drain(..=i);
                        return Ok(End::Restart);
                    }
                },
                Kind::Exec(c) => {
                    if c.is_empty() {
                        let out = shell(&self.ps)?;
                        self.ps = out;
                        if self.ps.last() == Some(&b'\n') {
                            self.ps.pop();
                        }
                    } else {
                        // The text's last newline ends the command.
                        let out = shell(c.strip_suffix(b"\n").unwrap_or(c))?;
                        self.put(Dest::Main, &out)?;
                    }
                }
                Kind::FileName => {
                    let mut t = st.name().to_vec();
                    t.push(self.delim);
                    self.put(Dest::Main, &t)?;
                }
                Kind::Get => {
                    self.ps.clone_from(&self.hold);
                    self.chomped = self.hold_chomped;
                }
                Kind::GetAppend => {
                    self.ps.push(self.delim);
                    self.ps.extend_from_slice(&self.hold);
                    self.chomped = self.hold_chomped;
                }
                Kind::Hold => {
                    self.hold.clone_from(&self.ps);
                    self.hold_chomped = self.chomped;
                }
                Kind::HoldAppend => {
                    self.hold.push(self.delim);
                    self.hold.extend_from_slice(&self.ps);
                    self.hold_chomped = self.chomped;
                }
                Kind::List(w) => {
                    let w = if *w == -1 { self.set.line_len } else { *w };
                    let t = list(&self.ps, w, self.delim);
                    self.put(Dest::Main, &t)?;
                }
                Kind::Next => {
                    if st.is_last(ctx)? {
                        if self.set.posix != Posix::Extended {
                            // POSIX: print, then quit without running the rest.
                        }
                        return Ok(End::Normal);
                    }
                    if !self.quiet {
                        self.out_ps(Dest::Main)?;
                    }
                    self.dump_appends()?;
                    self.ps.clear();
                    // Reading a line resets `t`'s flag (GNU's read_pattern_space).
                    self.replaced = false;
                    match st.read(ctx, self.delim, &mut self.ps)? {
                        Some(c) => self.chomped = c,
                        None => return Ok(End::Delete),
                    }
                }
                Kind::NextAppend => {
                    if st.is_last(ctx)? {
                        if self.set.posix != Posix::Extended {
                            return Ok(End::Delete);
                        }
                        return Ok(End::Normal);
                    }
                    self.dump_appends()?;
                    self.ps.push(self.delim);
                    self.replaced = false;
                    match st.read(ctx, self.delim, &mut self.ps)? {
                        Some(c) => self.chomped = c,
                        None => {
                            self.ps.pop();
                            return Ok(End::Normal);
                        }
                    }
                }
                Kind::Print => self.out_ps(Dest::Main)?,
                Kind::PrintFirst => self.first_line(Dest::Main)?,
                Kind::Quit(c) => return Ok(End::Quit(*c, true)),
                Kind::QuitSilent(c) => return Ok(End::Quit(*c, false)),
                Kind::Read(f, false) => self.appends.push(App::File(f)),
                Kind::Read(f, true) => self.put_file(f)?,
                Kind::ReadLine(i) => {
                    if let Some(f) = self.rins[*i].as_mut() {
                        let mut l = Vec::new();
                        if let Ok(Some(c)) = f.read_line(self.delim, &mut l) {
                            if c {
                                l.push(self.delim);
                            }
                            self.appends.push(App::Bytes(l));
                        }
                    }
                }
                Kind::Subst(sub) => {
                    if self.subst(sub)? {
                        self.replaced = true;
                        if sub.print & 1 != 0 {
                            self.out_ps(Dest::Main)?;
                        }
                        if sub.eval {
                            let out = shell(&self.ps)?;
                            self.ps = out;
                            if self.ps.last() == Some(&b'\n') {
                                self.ps.pop();
                            }
                        }
                        if sub.print & 2 != 0 {
                            self.out_ps(Dest::Main)?;
                        }
                        if let Some(w) = sub.wfile {
                            let d = self.wdest[w];
                            self.out_ps(d)?;
                        }
                    }
                }
                Kind::Write(w) => {
                    let d = self.wdest[*w];
                    self.out_ps(d)?;
                }
                Kind::WriteFirst(w) => {
                    let d = self.wdest[*w];
                    self.first_line(d)?;
                }
                Kind::Exchange => {
                    std::mem::swap(&mut self.ps, &mut self.hold);
                    std::mem::swap(&mut self.chomped, &mut self.hold_chomped);
                }
                Kind::Translate(map) => {
                    for b in self.ps.iter_mut() {
                        *b = map[*b as usize];
                    }
                }
                Kind::Zap => self.ps.clear(),
            }
            pc += 1;
        }
        Ok(End::Normal)
    }

    /// `P`, `W`: up to the first newline, or all of it as `p` writes it.
    fn first_line(&mut self, d: Dest) -> R<()> {
        let (delim, chomped) = (self.delim, self.chomped);
        let ps = std::mem::take(&mut self.ps);
        self.swap_w(d);
        let r = match memchr::memchr(delim, &ps) {
            Some(end) => self.sink(d).line(&ps[..end], true, delim),
            None => self.sink(d).line(&ps, chomped, delim),
        };
        self.swap_w(d);
        self.ps = ps;
        r
    }

    fn subst(&mut self, sub: &Subst) -> R<bool> {
        let ri = self.regex_index(sub.re)?;
        if sub.re.is_none() && self.s.no_sub[ri] && sub.repl.max_id > self.s.regexes[ri].groups() {
            let m = format!(
                "invalid reference \\{} on `s' command's RHS",
                sub.repl.max_id
            );
            return Err(Fatal(runtime_msg(self.s, &m), 1));
        }
        let mut acc = std::mem::take(&mut self.acc);
        let how = How {
            global: sub.global,
            nth: sub.nth,
            fresh: false,
        };
        let seg = self.s.segmented[ri].then_some(self.delim);
        let did = substitute_in(
            &mut self.m[ri],
            &self.ps,
            &sub.repl,
            how,
            seg,
            &mut self.caps,
            &mut acc,
        );
        if did {
            std::mem::swap(&mut self.ps, &mut acc);
        }
        self.acc = acc;
        Ok(did)
    }
}

/// The `l` command's unambiguous form, wrapped at `width` (0: never).
fn list(ps: &[u8], width: i64, delim: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(ps.len() * 2 + 2);
    let mut col: i64 = 0;
    let mut ob = Vec::with_capacity(4);
    for &c in ps {
        ob.clear();
        match c {
            b'\\' => ob.extend_from_slice(b"\\\\"),
            7 => ob.extend_from_slice(b"\\a"),
            8 => ob.extend_from_slice(b"\\b"),
            12 => ob.extend_from_slice(b"\\f"),
            b'\n' => ob.extend_from_slice(b"\\n"),
            b'\r' => ob.extend_from_slice(b"\\r"),
            b'\t' => ob.extend_from_slice(b"\\t"),
            11 => ob.extend_from_slice(b"\\v"),
            0x20..=0x7e => ob.push(c),
            _ => ob.extend_from_slice(format!("\\{:03o}", c).as_bytes()),
        }
        let w = ob.len() as i64;
        if width > 0 && col + w > width - 1 {
            out.push(b'\\');
            out.push(delim);
            col = 0;
        }
        out.extend_from_slice(&ob);
        col += w;
    }
    out.push(b'$');
    out.push(delim);
    out
}

/// `e`: run a command with /bin/sh, its standard output collected.
fn shell(cmd: &[u8]) -> R<Vec<u8>> {
    use crate::common::exec::{spawn, Io};
    let argv = [b"sh".to_vec(), b"-c".to_vec(), cmd.to_vec()];
    let fail = |e| fatal_io(b"couldn't run /bin/sh", &e);
    let mut child = spawn(Some(b"/bin/sh"), &argv, None, Io::Null, Io::Pipe).map_err(fail)?;
    let mut out = Vec::new();
    let read = match child.stdout.take() {
        Some(fd) => sysfd::read_to_end(fd.as_fd(), &mut out).map(drop),
        None => Ok(()),
    };
    child.wait().map_err(fail)?;
    read.map_err(fail)?;
    Ok(out)
}

/// Resolve a chain of symlinks as GNU's --follow-symlinks does (relative targets against the
/// link's directory).
fn follow_links(name: &[u8]) -> R<Vec<u8>> {
    let mut cur = name.to_vec();
    for _ in 0..40 {
        match sysfd::lstat(&cur) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFLNK => {}
            // GNU: a missing file or link target is `couldn't readlink NAME`, status 4
            Err(e) => {
                let mut w = b"couldn't readlink ".to_vec();
                w.extend_from_slice(&cur);
                return Err(fatal_io(&w, &e));
            }
            _ => return Ok(cur),
        }
        let Ok(t) = sysfs::readlinkat(sysfd::cwd(), &cur, 64) else {
            return Ok(cur);
        };
        if t.first() == Some(&b'/') {
            cur = t;
        } else {
            let mut n = match cur.iter().rposition(|&c| c == b'/') {
                Some(i) => cur[..=i].to_vec(),
                None => Vec::new(),
            };
            n.extend_from_slice(&t);
            cur = n;
        }
    }
    let mut w = b"couldn't follow symlink ".to_vec();
    w.extend_from_slice(name);
    Err(fatal_io(&w, &io::Error::from_raw_os_error(libc::ELOOP)))
}

/// The backup name: SUFFIX appended, or each `*` in it replaced by the base name.
fn backup_name(base: &[u8], suffix: &[u8]) -> Vec<u8> {
    if suffix.contains(&b'*') {
        let mut out = Vec::new();
        for &c in suffix {
            if c == b'*' {
                out.extend_from_slice(base);
            } else {
                out.push(c);
            }
        }
        out
    } else {
        let mut out = base.to_vec();
        out.extend_from_slice(suffix);
        out
    }
}

/// A new file `sedXXXXXX` in `dir` (O_EXCL), mode 0600 until the original's is copied.
fn make_temp(dfd: &OwnedFd, dir: &[u8], _mode: u32) -> R<(Vec<u8>, OwnedFd)> {
    const CH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for _ in 0..100 {
        let mut rnd = [0u8; 6];
        let _ = crate::common::sys::net::getrandom(&mut rnd);
        let mut name = b"sed".to_vec();
        name.extend(rnd.iter().map(|b| CH[*b as usize % CH.len()]));
        match sysfd::openat(
            dfd.as_fd(),
            &name,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
            0o600,
        ) {
            Ok(fd) => return Ok((name, fd)),
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => continue,
            Err(e) => {
                let mut w = b"couldn't open temporary file ".to_vec();
                w.extend_from_slice(dir);
                w.push(b'/');
                w.extend_from_slice(&name);
                return Err(fatal_io(&w, &e));
            }
        }
    }
    Err(Fatal(b"couldn't open temporary file".to_vec(), 4))
}

trait FromBytes {
    fn from_vec_bytes(b: &[u8]) -> OsString;
}
impl FromBytes for OsString {
    fn from_vec_bytes(b: &[u8]) -> OsString {
        use std::os::unix::ffi::OsStringExt;
        OsString::from_vec(b.to_vec())
    }
}
