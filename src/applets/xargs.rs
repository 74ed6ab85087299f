//! `xargs`: build and run command lines from input (GNU findutils 4.9).
//!
//! Options as GNU's: `-0 -a FILE -d CHAR -E END -e[END] -I R -i[R] -L N -l[N] -n N -P N -r
//! -s N -t -x --process-slot-var=VAR --show-limits` (options end at the COMMAND, default
//! `echo`). Input is split at blanks and newlines with GNU's quoting (`'...'`, `"..."`,
//! backslash), or at the `-0`/`-d` delimiter with none; `-L` lines continue after a trailing
//! blank; `-I` takes whole lines (leading blanks dropped) and replaces R in every initial
//! argument. Command lines are sized as GNU sizes them (each argument's bytes plus one,
//! at most `-s`, by default 128 KiB and never more than ARG_MAX less the environment and
//! 2048). Children get /dev/null as standard input when the items come from it.
//! Exit statuses as GNU: 123 a command exited 1-125, 124 one exited 255 (xargs stops), 125
//! one was killed by a signal, 126 a command could not be run, 127 not found, 1 xargs' own
//! errors (unmatched quotes, `argument line too long`).
//! Not done: `-p` (interactive prompt) and `-o` (reopen the terminal) are refused.

use crate::common::io::push_fmt;
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Arg, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::exec::{self, Argv, Io};
use crate::common::help::{help_text, Help};
use crate::common::io::{read, stdin_fd};
use crate::common::quote::{quote_if_needed, quote_locale};
use crate::common::sys::{fd as sysfd, process as sp};
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...
Run COMMAND with arguments INITIAL-ARGS and more arguments read from input.

Mandatory and optional arguments to long options are also
mandatory or optional for the corresponding short option.
  -0, --null                   items are separated by a null, not whitespace;
                                 disables quote and backslash processing and
                                 logical EOF processing
  -a, --arg-file=FILE          read arguments from FILE, not standard input
  -d, --delimiter=CHARACTER    items in input stream are separated by CHARACTER,
                                 not by whitespace; disables quote and backslash
                                 processing and logical EOF processing
  -E END                       set logical EOF string; if END occurs as a line
                                 of input, the rest of the input is ignored
                                 (ignored if -0 or -d was specified)
  -e, --eof[=END]              equivalent to -E END if END is specified;
                                 otherwise, there is no end-of-file string
  -I R                         same as --replace=R
  -i, --replace[=R]            replace R in INITIAL-ARGS with names read
                                 from standard input, split at newlines;
                                 if R is unspecified, assume {}
  -L, --max-lines=MAX-LINES    use at most MAX-LINES non-blank input lines per
                                 command line
  -l[MAX-LINES]                similar to -L but defaults to at most one non-
                                 blank input line if MAX-LINES is not specified
  -n, --max-args=MAX-ARGS      use at most MAX-ARGS arguments per command line
  -P, --max-procs=MAX-PROCS    run at most MAX-PROCS processes at a time
      --process-slot-var=VAR   set environment variable VAR in child processes
  -r, --no-run-if-empty        if there are no arguments, then do not run COMMAND;
                                 if this option is not given, COMMAND will be
                                 run at least once
  -s, --max-chars=MAX-CHARS    limit length of command line to MAX-CHARS
      --show-limits            show limits on command-line length
  -t, --verbose                print commands before executing them
  -x, --exit                   exit if the size (see -s) is exceeded
      --help                   display this help and exit
      --version                output version information and exit
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("null", Some(b'0'), Some("null")),
        Opt::arg("arg-file", Some(b'a'), Some("arg-file")),
        Opt::arg("delimiter", Some(b'd'), Some("delimiter")),
        Opt::arg("E", Some(b'E'), None),
        Opt::optional("eof", Some(b'e'), Some("eof")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::arg("I", Some(b'I'), None),
        Opt::optional("replace", Some(b'i'), Some("replace")),
        Opt::arg("L", Some(b'L'), None),
        Opt::optional("max-lines", Some(b'l'), Some("max-lines")),
        Opt::arg("max-args", Some(b'n'), Some("max-args")),
        Opt::flag("open-tty", Some(b'o'), Some("open-tty")),
        Opt::flag("interactive", Some(b'p'), Some("interactive")),
        Opt::flag("no-run-if-empty", Some(b'r'), Some("no-run-if-empty")),
        Opt::arg("max-chars", Some(b's'), Some("max-chars")),
        Opt::flag("verbose", Some(b't'), Some("verbose")),
        Opt::flag("show-limits", None, Some("show-limits")),
        Opt::flag("exit", Some(b'x'), Some("exit")),
        Opt::arg("max-procs", Some(b'P'), Some("max-procs")),
        Opt::arg("process-slot-var", None, Some("process-slot-var")),
        Opt::flag("version", Some(b'v'), Some("version")),
    ],
    USAGE,
)
.require_order();

#[derive(Default)]
struct Opts {
    /// `-0` / `-d`: items end at this byte; no quoting.
    delim: Option<u8>,
    eof: Option<Vec<u8>>,
    replace: Option<Vec<u8>>,
    max_lines: usize,
    max_args: usize,
    procs: usize,
    slot_var: Option<Vec<u8>>,
    no_run_empty: bool,
    size: Option<usize>,
    verbose: bool,
    exit_x: bool,
    arg_file: Option<OsString>,
    show_limits: bool,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn warn_exclusive(ctx: &mut Ctx, prev: &str, opt: &str) {
    let m = format!(
        "warning: options {prev} and {opt} are mutually exclusive, ignoring previous {prev} value"
    );
    ctx.msg(m.as_bytes());
}

/// GNU's parse_num: a decimal in [min, max], else the message and status 1.
fn num(ctx: &mut Ctx, v: &OsStr, opt: char, min: i64, max: Option<i64>) -> Result<usize> {
    let t = std::str::from_utf8(v.as_bytes()).unwrap_or("").trim_start();
    let Ok(n) = t.parse::<i64>() else {
        let m = format!(
            "invalid number \"{}\" for -{opt} option",
            String::from_utf8_lossy(v.as_bytes())
        );
        return Err(args::usage_error(ctx, &SPEC, m.as_bytes(), 1));
    };
    if n < min {
        let m = format!("value {n} for -{opt} option should be >= {min}");
        // -s is only warned about (and raised), as GNU does.
        if opt == 's' {
            ctx.msg(m.as_bytes());
            return Ok(min as usize);
        }
        return Err(args::usage_error(ctx, &SPEC, m.as_bytes(), 1));
    }
    if let Some(max) = max.filter(|&m| n > m) {
        let m = format!("value {n} for -{opt} option should be <= {max}");
        ctx.msg(m.as_bytes());
        return Ok(max as usize);
    }
    Ok(n as usize)
}

/// `-d`'s argument: one byte, or a C escape (`\n`, `\t`, `\x41`, `\012`, `\\`).
fn delimiter(s: &[u8]) -> Option<u8> {
    match s {
        [c] => Some(*c),
        [b'\\', rest @ ..] => {
            let simple = match rest {
                [b'a'] => Some(7),
                [b'b'] => Some(8),
                [b'f'] => Some(12),
                [b'n'] => Some(b'\n'),
                [b'r'] => Some(b'\r'),
                [b't'] => Some(b'\t'),
                [b'v'] => Some(11),
                [b'\\'] => Some(b'\\'),
                _ => None,
            };
            if simple.is_some() {
                return simple;
            }
            let (digits, radix) = match rest {
                [b'x' | b'X', h @ ..] => (h, 16),
                [b'0', o @ ..] if !o.is_empty() => (o, 8),
                _ => (rest, 8),
            };
            let t = std::str::from_utf8(digits).ok()?;
            let v = u32::from_str_radix(t, radix).ok()?;
            (v <= 255 && !digits.is_empty()).then_some(v as u8)
        }
        _ => None,
    }
}

/// Bytes of the environment as exec counts them (each `NAME=value` and its NUL).
fn env_size() -> usize {
    std::env::vars_os()
        .map(|(k, v)| k.len() + v.len() + 2)
        .sum()
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut o = Opts {
        procs: 1,
        ..Opts::default()
    };
    let mut operands = Vec::new();
    let ok = args::each(ctx, &argv, &SPEC, |ctx, a| {
        match a {
            Arg::Operand(v) => operands.push(v),
            Arg::Opt(opt, v) => {
                let v = v.unwrap_or_default();
                match Id::of(opt.id().as_bytes()) {
                    Some(Id::Null) => o.delim = Some(0),
                    Some(Id::ArgFile) => o.arg_file = Some(v),
                    Some(Id::Delimiter) => match delimiter(v.as_bytes()) {
                        Some(d) => o.delim = Some(d),
                        None => {
                            let mut m = b"Invalid input delimiter specification ".to_vec();
                            m.extend_from_slice(v.as_bytes());
                            m.extend_from_slice(b": the delimiter must be either a single character or an escape sequence starting with \\.");
                            ctx.msg(&m);
                            return Err(Error::silent(1));
                        }
                    },
                    Some(Id::CapE) | Some(Id::Eof) => {
                        o.eof = (!v.is_empty()).then(|| v.as_bytes().to_vec());
                    }
                    // Each of -I, -L/-l and -n drops the others given before it, with GNU's
                    // warnings (`-n1` after -I is dropped quietly instead).
                    Some(Id::CapI) | Some(Id::Replace) => {
                        o.replace = Some(if v.is_empty() {
                            b"{}".to_vec()
                        } else {
                            v.as_bytes().to_vec()
                        });
                        if o.max_args != 0 {
                            warn_exclusive(ctx, "--max-args", "--replace/-I/-i");
                            o.max_args = 0;
                        }
                        if o.max_lines != 0 {
                            warn_exclusive(ctx, "--max-lines", "--replace/-I/-i");
                            o.max_lines = 0;
                        }
                    }
                    Some(Id::CapL) | Some(Id::MaxLines) => {
                        let (name, short) = if opt.id() == "L" {
                            ("-L", 'L')
                        } else {
                            ("--max-lines/-l", 'l')
                        };
                        o.max_lines = if opt.id() == "max-lines" && v.is_empty() {
                            1
                        } else {
                            num(ctx, &v, short, 1, None)?
                        };
                        if o.max_args != 0 {
                            warn_exclusive(ctx, "--max-args", name);
                            o.max_args = 0;
                        }
                        if o.replace.is_some() {
                            warn_exclusive(ctx, "--replace", name);
                            o.replace = None;
                        }
                    }
                    Some(Id::MaxArgs) => {
                        o.max_args = num(ctx, &v, 'n', 1, None)?;
                        if o.max_lines != 0 {
                            warn_exclusive(ctx, "--max-lines", "--max-args/-n");
                            o.max_lines = 0;
                        }
                        if o.replace.is_some() {
                            if o.max_args == 1 {
                                o.max_args = 0;
                            } else {
                                warn_exclusive(ctx, "--replace", "--max-args/-n");
                                o.replace = None;
                            }
                        }
                    }
                    Some(Id::MaxProcs) => o.procs = num(ctx, &v, 'P', 0, None)?,
                    Some(Id::MaxChars) => {
                        let limit = (sp::arg_max() - 2048 - env_size() as i64).max(4096);
                        o.size = Some(num(ctx, &v, 's', 1, Some(limit))?);
                    }
                    Some(Id::NoRunIfEmpty) => o.no_run_empty = true,
                    Some(Id::Verbose) => o.verbose = true,
                    Some(Id::Exit) => o.exit_x = true,
                    Some(Id::ShowLimits) => o.show_limits = true,
                    Some(Id::ProcessSlotVar) => {
                        if v.as_bytes().contains(&b'=') {
                            ctx.msg(b"option --process-slot-var may not be set to a value which includes `='");
                            return Err(Error::silent(1));
                        }
                        o.slot_var = Some(v.as_bytes().to_vec());
                    }
                    _ => {
                        // -p and -o need a terminal conversation rbox does not hold.
                        let m = format!(
                            "option -{} is not supported",
                            opt.short().unwrap_or(b'?') as char
                        );
                        return Err(args::usage_error(ctx, &SPEC, m.as_bytes(), 1));
                    }
                }
            }
        }
        Ok(true)
    })?;
    if !ok {
        return Ok(());
    }
    // GNU: -I and -L imply -x
    if o.replace.is_some() || o.max_lines > 0 {
        o.exit_x = true;
    }
    if o.eof.is_some() && o.delim.is_some() {
        ctx.msg(b"warning: the -E option has no effect if -0 or -d is used.\n");
        o.eof = None;
    }
    let env = env_size();
    let posix_max = (sp::arg_max() - 2048).max(4096) as usize;
    let usable = posix_max.saturating_sub(env);
    let size = o.size.unwrap_or_else(|| usable.min(128 * 1024));
    if o.show_limits {
        let m = format!(
            "Your environment variables take up {env} bytes\n\
             POSIX upper limit on argument length (this system): {}\n\
             POSIX smallest allowable upper limit on argument length (all systems): 4096\n\
             Maximum length of command we could actually use: {}\n\
             Size of command buffer we are actually using: {size}\n\
             Maximum parallelism (--max-procs must be no greater): 2147483647\n",
            posix_max.saturating_sub(env),
            posix_max.saturating_sub(2 * env),
        );
        crate::common::io::write_all(crate::common::io::stderr_fd(), m.as_bytes()).ok();
    }
    let initial: Vec<Vec<u8>> = if operands.is_empty() {
        vec![b"echo".to_vec()]
    } else {
        operands.iter().map(|a| a.as_bytes().to_vec()).collect()
    };
    let file: Option<OwnedFd> = match &o.arg_file {
        Some(f) => match sysfd::open(f.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0) {
            Ok(fd) => Some(fd),
            Err(e) => {
                let mut m = b"Cannot open input file ".to_vec();
                m.extend_from_slice(&quote_locale(f.as_bytes()));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                return Err(Error::silent(1));
            }
        },
        None => None,
    };
    let input = match &file {
        Some(f) => f.as_fd(),
        None => stdin_fd(),
    };
    let mut x = Xargs {
        o: &o,
        initial,
        size,
        null_stdin: file.is_none(),
        running: Vec::new(),
        status: 0,
        replaced_once: false,
        slots: Vec::new(),
        nul_warned: false,
    };
    let mut rd = Reader {
        fd: input,
        buf: vec![0; 64 * 1024],
        pos: 0,
        len: 0,
        eof: false,
    };
    let r = x.main_loop(ctx, &mut rd);
    if file.is_none() && rd.pos < rd.len {
        // What was read past the end (the EOF string) goes back to a seekable standard input,
        // for the next reader: GNU's stdio does that at exit (`(xargs -E2; cat) <file`).
        let _ = sysfd::lseek(rd.fd, -((rd.len - rd.pos) as i64), libc::SEEK_CUR);
    }
    let w = x.wait_all(ctx);
    // GNU's exit handler waits for the commands still running: one killed or exiting 255
    // there ends xargs with its status; else once a command has failed (123), xargs ends with
    // that whatever error stopped it (an unmatched quote, a command exiting 255...)
    match (r, w) {
        (Err(mut e), Err(we)) => {
            e.code = we.code;
            Err(e)
        }
        (Ok(()), Err(we)) => Err(we),
        (Err(mut e), Ok(())) => {
            if x.status != 0 {
                e.code = x.status;
            }
            Err(e)
        }
        (Ok(()), Ok(())) if x.status != 0 => Err(Error::silent(x.status)),
        (Ok(()), Ok(())) => Ok(()),
    }
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Null = "null",
        ArgFile = "arg-file",
        Delimiter = "delimiter",
        CapE = "E",
        Eof = "eof",
        CapI = "I",
        Replace = "replace",
        CapL = "L",
        MaxLines = "max-lines",
        MaxArgs = "max-args",
        MaxProcs = "max-procs",
        MaxChars = "max-chars",
        NoRunIfEmpty = "no-run-if-empty",
        Verbose = "verbose",
        Exit = "exit",
        ShowLimits = "show-limits",
        ProcessSlotVar = "process-slot-var",
    }
}

struct Reader<'a> {
    fd: BorrowedFd<'a>,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
}

impl Reader<'_> {
    /// Makes sure unread bytes are buffered: false at the end of the input.
    fn fill(&mut self) -> Result<bool> {
        if self.pos < self.len {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        let n = read(self.fd, &mut self.buf).map_err(|e| Error::io(1, "read error", &e))?;
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.pos = 0;
        self.len = n;
        Ok(true)
    }

    /// The buffered bytes not read yet.
    fn avail(&self) -> &[u8] {
        &self.buf[self.pos..self.len]
    }

    fn byte(&mut self) -> Result<Option<u8>> {
        if !self.fill()? {
            return Ok(None);
        }
        self.pos += 1;
        Ok(Some(self.buf[self.pos - 1]))
    }
}

/// The bytes the blank-separated input gives a meaning to, outside quotes; runs of the others
/// are copied into the word at once.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

struct Xargs<'o> {
    o: &'o Opts,
    initial: Vec<Vec<u8>>,
    size: usize,
    null_stdin: bool,
    running: Vec<(sp::Pid, usize)>,
    status: i32,
    /// -I has made a command (GNU then counts the command's name against the line's room).
    replaced_once: bool,
    slots: Vec<bool>,
    nul_warned: bool,
}

impl Xargs<'_> {
    /// The next item, GNU's way, into `w` (cleared first): whether it ended a (non-continued)
    /// line, or `Ok(None)` at the end of input (or the EOF string). An item holding a NUL is
    /// cut there (a NUL cannot be passed on), with GNU's warning once.
    fn next_item(
        &mut self,
        ctx: &mut Ctx,
        rd: &mut Reader,
        pending: &mut Argv,
        w: &mut Vec<u8>,
    ) -> Result<Option<bool>> {
        let r = self.scan_item(ctx, rd, pending, w)?;
        if self.o.delim.is_none() {
            if let Some(i) = memchr::memchr(0, w) {
                if !self.nul_warned {
                    self.nul_warned = true;
                    ctx.msg(b"WARNING: a NUL character occurred in the input.  It cannot be passed through in the argument list.  Did you mean to use the --null option?");
                }
                w.truncate(i);
            }
        }
        Ok(r)
    }

    fn scan_item(
        &mut self,
        ctx: &mut Ctx,
        rd: &mut Reader,
        pending: &mut Argv,
        w: &mut Vec<u8>,
    ) -> Result<Option<bool>> {
        w.clear();
        if let Some(d) = self.o.delim {
            loop {
                if !rd.fill()? {
                    return Ok((!w.is_empty()).then_some(true));
                }
                let avail = rd.avail();
                match memchr::memchr(d, avail) {
                    Some(i) => {
                        w.extend_from_slice(&avail[..i]);
                        rd.pos += i + 1;
                        return Ok(Some(true));
                    }
                    None => {
                        w.extend_from_slice(avail);
                        rd.pos = rd.len;
                    }
                }
            }
        }
        let whole_lines = self.o.replace.is_some();
        let mut started = false;
        let mut quote: Option<u8> = None;
        // The last byte taken into the item was a blank (escaped, or any under -I): a newline
        // after it does not count as the end of a line for -L, as GNU counts.
        let mut after_blank = false;
        loop {
            if !rd.fill()? {
                // At the end an empty item is nothing, even `''` or an open quote (GNU).
                if w.is_empty() {
                    return Ok(None);
                }
                if let Some(q) = quote {
                    return Err(self.unmatched(ctx, q, pending, w.len()));
                }
                return Ok(self.finish_word(w, true));
            }
            let avail = rd.avail();
            if let Some(q) = quote {
                match memchr::memchr2(q, b'\n', avail) {
                    Some(i) => {
                        w.extend_from_slice(&avail[..i]);
                        let c = avail[i];
                        rd.pos += i + 1;
                        if c != q {
                            return Err(self.unmatched(ctx, q, pending, w.len()));
                        }
                        quote = None;
                        after_blank = false;
                    }
                    None => {
                        w.extend_from_slice(avail);
                        rd.pos = rd.len;
                    }
                }
                continue;
            }
            if !started {
                // Leading white space of every kind (newlines, \f, \r, \v too) is skipped,
                // so blank lines are nothing, with -I as well.
                let all = avail.len();
                let n = avail
                    .iter()
                    .position(|c| !c.is_ascii_whitespace() && *c != 0x0b)
                    .unwrap_or(all);
                rd.pos += n;
                started = n < all;
                continue;
            }
            let n = avail
                .iter()
                .position(|&c| SPECIAL[c as usize])
                .unwrap_or(avail.len());
            if n > 0 {
                after_blank = false;
                w.extend_from_slice(&avail[..n]);
                rd.pos += n;
                continue;
            }
            let c = avail[0];
            rd.pos += 1;
            match c {
                b'\n' => {
                    let eol = !after_blank;
                    return Ok(self.finish_word(w, eol));
                }
                // A word ended by a blank does not end the line: a line whose last word is
                // followed by blanks goes on with the next line (-L).
                b' ' | b'\t' if !whole_lines => return Ok(self.finish_word(w, false)),
                b' ' | b'\t' => {
                    after_blank = true;
                    w.push(c);
                }
                b'\'' | b'"' => quote = Some(c),
                b'\\' => match rd.byte()? {
                    Some(n) => {
                        after_blank = n == b' ' || n == b'\t';
                        w.push(n);
                    }
                    None if w.is_empty() => return Ok(None),
                    None => return Ok(self.finish_word(w, true)),
                },
                _ => {
                    after_blank = false;
                    w.push(c);
                }
            }
        }
    }

    /// An unmatched quote: what was gathered before it still runs (not with -x, -L or -I,
    /// which would run part of a line), then the error. GNU checks an item's length as it
    /// reads it, so one of `len` bytes too long for the line is that error instead.
    fn unmatched(&mut self, ctx: &mut Ctx, q: u8, pending: &mut Argv, len: usize) -> Error {
        if !self.o.exit_x {
            if let Err(e) = self.run_pending(ctx, pending) {
                return e;
            }
        }
        if len >= self.line_room() {
            ctx.msg(b"argument line too long");
            return Error::silent(1);
        }
        let kind = if q == b'\'' { "single" } else { "double" };
        let m = format!("unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option");
        ctx.msg(m.as_bytes());
        Error::silent(1)
    }

    fn finish_word(&mut self, w: &[u8], eol: bool) -> Option<bool> {
        if self.o.eof.as_deref() == Some(w) {
            return None;
        }
        Some(eol)
    }

    /// Runs `cmd` if it holds items after the initial arguments, and keeps only those.
    fn run_pending(&mut self, ctx: &mut Ctx, cmd: &mut Argv) -> Result<()> {
        if cmd.len() > self.initial.len() {
            self.launch(ctx, cmd)?;
            cmd.truncate(self.initial.len());
        }
        Ok(())
    }

    /// The bytes an item may have (GNU's line buffer: the size less the initial arguments,
    /// with -I the command's name once a command has been made).
    fn line_room(&self) -> usize {
        let used = match self.o.replace {
            Some(_) if !self.replaced_once => 0,
            Some(_) => self.initial[0].len() + 1,
            None => self.base_len(),
        };
        self.size.saturating_sub(used)
    }

    fn base_len(&self) -> usize {
        self.initial.iter().map(|a| a.len() + 1).sum()
    }

    fn main_loop(&mut self, ctx: &mut Ctx, rd: &mut Reader) -> Result<()> {
        let mut w = Vec::new();
        // The command: the initial arguments, then the items gathered for its next run, kept
        // as exec takes them (one buffer; the child does not copy it).
        let mut cmd = Argv::default();
        for a in &self.initial {
            cmd.push(a);
        }
        let n0 = cmd.len();
        if let Some(r) = self.o.replace.clone() {
            while self.next_item(ctx, rd, &mut cmd, &mut w)?.is_some() {
                // GNU's checks, in its order: the line against its buffer, the command's
                // name, then each argument as it is made and added
                let fail = |ctx: &mut Ctx, m: &[u8]| {
                    ctx.msg(m);
                    Err(Error::silent(1))
                };
                if w.len() >= self.line_room() {
                    return fail(ctx, b"argument line too long");
                }
                self.replaced_once = true;
                let mut one = Argv::default();
                let mut len = self.initial[0].len() + 1;
                if len > self.size {
                    return fail(
                        ctx,
                        b"cannot fit single argument within argument list size limit",
                    );
                }
                one.push(&self.initial[0]);
                for a in &self.initial[1..] {
                    let arg = replace_all(a, &r, &w);
                    if !arg.is_empty() && arg.len() + 2 > self.size {
                        return fail(ctx, b"command too long");
                    }
                    len += arg.len() + 1;
                    if len > self.size {
                        return fail(ctx, b"argument list too long");
                    }
                    one.push(&arg);
                }
                self.launch(ctx, &one)?;
            }
            return Ok(());
        }
        let base = self.base_len();
        if base > self.size {
            ctx.msg(b"cannot fit single argument within argument list size limit");
            return Err(Error::silent(1));
        }
        let mut len = base;
        let mut lines = 0;
        let mut ran = false;
        // A line's items when -L is in force are kept together.
        while let Some(eol) = self.next_item(ctx, rd, &mut cmd, &mut w)? {
            let add = w.len() + 1;
            if base + add > self.size {
                // GNU's exec_if_possible: not with -x (or -L, which implies it)
                if !self.o.exit_x {
                    self.run_pending(ctx, &mut cmd)?;
                }
                ctx.msg(b"argument line too long");
                return Err(Error::silent(1));
            }
            if len + add > self.size && cmd.len() > n0 {
                if self.o.exit_x && (self.o.max_args > 0 || self.o.max_lines > 0) {
                    ctx.msg(b"argument list too long");
                    return Err(Error::silent(1));
                }
                self.run_pending(ctx, &mut cmd)?;
                ran = true;
                len = base;
                lines = 0;
            }
            cmd.push(&w);
            len += add;
            if eol {
                lines += 1;
            }
            let full = (self.o.max_args > 0 && cmd.len() - n0 >= self.o.max_args)
                || (self.o.max_lines > 0 && lines >= self.o.max_lines);
            if full {
                self.run_pending(ctx, &mut cmd)?;
                ran = true;
                len = base;
                lines = 0;
            }
        }
        if cmd.len() > n0 || (!ran && !self.o.no_run_empty) {
            self.launch(ctx, &cmd)?;
        }
        Ok(())
    }

    fn launch(&mut self, ctx: &mut Ctx, cmd: &Argv) -> Result<()> {
        let limit = if self.o.procs == 0 {
            usize::MAX
        } else {
            self.o.procs
        };
        while self.running.len() >= limit {
            self.wait_one(ctx)?;
        }
        if self.o.verbose {
            let mut line = Vec::new();
            for (i, a) in cmd.iter().enumerate() {
                if i > 0 {
                    line.push(b' ');
                }
                line.extend_from_slice(&quote_if_needed(a));
            }
            line.push(b'\n');
            crate::common::io::write_all(crate::common::io::stderr_fd(), &line).ok();
        }
        let slot = self
            .slots
            .iter()
            .position(|u| !u)
            .unwrap_or(self.slots.len());
        if slot == self.slots.len() {
            self.slots.push(true);
        } else {
            self.slots[slot] = true;
        }
        let extra = self.o.slot_var.as_ref().map(|v| {
            let mut e = v.clone();
            e.push(b'=');
            crate::common::num::push_u64(&mut e, slot as u64);
            e
        });
        let stdin = if self.null_stdin {
            Io::Null
        } else {
            Io::Inherit
        };
        match exec::spawn_argv(None, cmd, extra, stdin, Io::Inherit) {
            Ok(child) => {
                self.running.push((child.pid, slot));
                Ok(())
            }
            Err(e) => {
                self.slots[slot] = false;
                let code = if e.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
                let mut m = cmd.get(0).to_vec();
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                let _ = self.wait_all(ctx);
                Err(Error::silent(code))
            }
        }
    }

    fn wait_one(&mut self, ctx: &mut Ctx) -> Result<()> {
        loop {
            let (pid, st) = match sp::waitpid(-1, 0) {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
                Err(_) => {
                    self.running.clear();
                    return Ok(());
                }
            };
            let Some(i) = self.running.iter().position(|&(c, _)| c == pid) else {
                continue;
            };
            let (_child, slot) = self.running.swap_remove(i);
            self.slots[slot] = false;
            return self.judge(ctx, st);
        }
    }

    fn judge(&mut self, ctx: &mut Ctx, st: sp::WaitStatus) -> Result<()> {
        let cmd0 = self.initial[0].clone();
        if let Some(code) = st.exit_code() {
            if code == 255 {
                let mut m = cmd0;
                m.extend_from_slice(b": exited with status 255; aborting");
                ctx.msg(&m);
                let _ = self.wait_all(ctx);
                return Err(Error::silent(124));
            }
            if code != 0 {
                self.status = 123;
            }
            return Ok(());
        }
        if let Some(sig) = st.term_signal() {
            let mut m = cmd0;
            push_fmt(&mut m, format_args!(": terminated by signal {sig}"));
            ctx.msg(&m);
            let _ = self.wait_all(ctx);
            return Err(Error::silent(125));
        }
        Ok(())
    }

    fn wait_all(&mut self, ctx: &mut Ctx) -> Result<()> {
        let mut r = Ok(());
        while !self.running.is_empty() {
            if let Err(e) = self.wait_one(ctx) {
                if r.is_ok() {
                    r = Err(e);
                }
            }
        }
        r
    }
}

fn replace_all(s: &[u8], pat: &[u8], with: &[u8]) -> Vec<u8> {
    if pat.is_empty() {
        return s.to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(pat) {
            out.extend_from_slice(with);
            i += pat.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}
