//! `head`: output the first part of files.
//!
//! Follows GNU coreutils 9 head: `-n [-]NUM`, `-c [-]NUM` with gnulib's multiplier suffixes
//! (`b`, `kB`, `K`, `KiB`, `MB`, `M`, ... `Q`), `-q`/`--quiet`/`--silent`, `-v`, `-z`, the
//! obsolete first argument `-NUM[bkm][cl][qvz]` (`head -5`, `head -2c`), `==> NAME <==` headers
//! between several files, GNU's messages (`cannot open 'x' for reading`, `error reading 'd': Is
//! a directory`; `error writing 'standard output'` when a write fails while copying, `write error`
//! when the last buffer fails at exit, as GNU's stdio and close_stdout word them; our buffer is
//! 128 KiB where GNU's is 4 KiB, so which of the two a mid-size output gets may differ). After `-n N` on a seekable input the
//! offset is put back just past the last line printed, so `(head -n1; cat) < file` works as
//! with GNU. `-n -N` and `-c -N` stream through a bounded window; a regular file larger than
//! a block is read from its end instead (`-c -N` from its size, `-n -N` backwards), the
//! offset then left past what was printed, as GNU leaves it.
//! Deviation: none known.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::os::fd::BorrowedFd;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::io::{last_lines_start, read, Input, BUF_SIZE};
use crate::common::num::head_tail_count;
use crate::common::quote::quote_always;
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("bytes", Some(b'c'), Some("bytes")),
        Opt::arg("lines", Some(b'n'), Some("lines")),
        Opt::flag("quiet", Some(b'q'), Some("quiet")),
        Opt::flag("quiet", None, Some("silent")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("zero", Some(b'z'), Some("zero-terminated")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: head [OPTION]... [FILE]...
Print the first 10 lines of each FILE to standard output.
With more than one FILE, precede each with a header giving the file name.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -c, --bytes=[-]NUM       print the first NUM bytes of each file;
                             with the leading '-', print all but the last
                             NUM bytes of each file
  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10;
                             with the leading '-', print all but the last
                             NUM lines of each file
  -q, --quiet, --silent    never print headers giving file names
  -v, --verbose            always print headers giving file names
  -z, --zero-terminated    line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

NUM may have a multiplier suffix:
b 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,
GB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y.
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.
"
    ),
);

#[derive(Clone, Copy)]
struct Mode {
    lines: bool,
    elide: bool,
    n: u64,
    eol: u8,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn count(lines: bool, s: &[u8]) -> Result<u64> {
    head_tail_count(lines, s).map_err(|m| Error::new(1, m))
}

fn run(mut argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut mode = Mode {
        lines: true,
        elide: false,
        n: 10,
        eol: b'\n',
    };
    let mut headers: Option<bool> = None;
    // The obsolete form `-NUM[bkm][cl][qvz]` as the first argument.
    if argv.len() > 1 {
        let a = argv[1].as_bytes().to_vec();
        if a.len() > 1 && a[0] == b'-' && a[1].is_ascii_digit() {
            let end = 1 + a[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let mut num = a[1..end].to_vec();
            let mut mult = None;
            for &c in &a[end..] {
                match c {
                    b'c' => {
                        mode.lines = false;
                        mult = None;
                    }
                    b'b' | b'k' | b'm' => {
                        mode.lines = false;
                        mult = Some(c);
                    }
                    b'l' => mode.lines = true,
                    b'q' => headers = Some(false),
                    b'v' => headers = Some(true),
                    b'z' => mode.eol = 0,
                    _ => {
                        ctx.msgf(format_args!("invalid trailing option -- {}", c as char));
                        ctx.try_help();
                        return Err(Error::silent(1));
                    }
                }
            }
            num.extend(mult);
            mode.n = count(mode.lines, &num)?;
            argv.remove(1);
        }
    }
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    for (id, v) in &m.opts {
        match *id {
            "bytes" | "lines" => {
                let mut s = v.as_ref().unwrap().as_bytes();
                mode.lines = *id == "lines";
                mode.elide = s.first() == Some(&b'-');
                if mode.elide {
                    s = &s[1..];
                }
                mode.n = count(mode.lines, s)?;
            }
            "quiet" => headers = Some(false),
            "verbose" => headers = Some(true),
            "zero" => mode.eol = 0,
            _ => {}
        }
    }
    let dash = OsString::from("-");
    let files: Vec<&OsString> = if m.operands.is_empty() {
        vec![&dash]
    } else {
        m.operands.iter().collect()
    };
    let headers = headers.unwrap_or(files.len() > 1);
    let mut first = true;
    for name in files {
        let nb = name.as_bytes();
        let input = match Input::open(nb) {
            Ok(i) => i,
            Err(e) => {
                let mut m = b"cannot open ".to_vec();
                m.extend_from_slice(&quote_always(nb));
                m.extend_from_slice(b" for reading: ");
                m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                ctx.error(1, &m);
                continue;
            }
        };
        let fd = input.fd();
        let shown: &[u8] = match input {
            Input::Stdin => b"standard input",
            Input::File(_) => nb,
        };
        if headers {
            let out = ctx.out.buf_mut();
            if !first {
                out.push(b'\n');
            }
            out.extend_from_slice(b"==> ");
            out.extend_from_slice(shown);
            out.extend_from_slice(b" <==\n");
            first = false;
        }
        match head(fd, mode, ctx) {
            Ok(()) => {}
            Err(Fail::Read(e)) => {
                let mut m = b"error reading ".to_vec();
                m.extend_from_slice(&quote_always(shown));
                m.extend_from_slice(b": ");
                m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                ctx.error(1, &m);
            }
            Err(Fail::Write(e)) => return Err(write_error(&e)),
        }
    }
    // What is still buffered goes out as GNU's close_stdout does it: `write error: ...`.
    Ok(())
}

/// GNU head's wording for a failed write.
fn write_error(e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::silent(1)
    } else {
        Error::io(1, "error writing 'standard output'", e)
    }
}

enum Fail {
    Read(std::io::Error),
    Write(std::io::Error),
}

fn head(fd: BorrowedFd, mode: Mode, ctx: &mut Ctx) -> std::result::Result<(), Fail> {
    match (mode.lines, mode.elide) {
        (true, false) => first_lines(fd, mode.n, mode.eol, ctx),
        (false, false) => first_bytes(fd, mode.n, ctx),
        (false, true) => elide_bytes(fd, mode.n, ctx),
        (true, true) => elide_lines(fd, mode.n, mode.eol, ctx),
    }
}

fn out(ctx: &mut Ctx, b: &[u8]) -> std::result::Result<(), Fail> {
    ctx.out.write_all(b).map_err(Fail::Write)
}

fn first_lines(fd: BorrowedFd, n: u64, eol: u8, ctx: &mut Ctx) -> std::result::Result<(), Fail> {
    let mut left = n;
    if left == 0 {
        return Ok(());
    }
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let r = read(fd, &mut buf).map_err(Fail::Read)?;
        if r == 0 {
            return Ok(());
        }
        let data = &buf[..r];
        let mut cut = r;
        for p in memchr::memchr_iter(eol, data) {
            left -= 1;
            if left == 0 {
                cut = p + 1;
                break;
            }
        }
        out(ctx, &data[..cut])?;
        if left == 0 {
            if cut < r {
                // Leave a shared offset just past what was printed (GNU does too).
                let _ = sysfd::lseek(fd, -((r - cut) as i64), libc::SEEK_CUR);
            }
            return Ok(());
        }
    }
}

fn first_bytes(fd: BorrowedFd, n: u64, ctx: &mut Ctx) -> std::result::Result<(), Fail> {
    let mut left = n;
    let mut buf = vec![0u8; BUF_SIZE.min(n.max(1) as usize)];
    while left > 0 {
        let want = (buf.len() as u64).min(left) as usize;
        let r = read(fd, &mut buf[..want]).map_err(Fail::Read)?;
        if r == 0 {
            break;
        }
        out(ctx, &buf[..r])?;
        left -= r as u64;
    }
    Ok(())
}

/// A regular file whose size can be trusted, and the input's offset in it: GNU's rule, so a
/// /proc or /sys file (size 0 or one block, whatever it holds) is read as a stream.
fn sized(fd: BorrowedFd) -> Option<(u64, u64)> {
    let st = sysfd::fstat(fd).ok()?;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG || st.st_size <= st.st_blksize as i64 {
        return None;
    }
    let pos = sysfd::lseek(fd, 0, libc::SEEK_CUR).ok()?;
    let size = st.st_size as u64;
    (size >= pos).then_some((size, pos))
}

/// All but the last `n` bytes.
fn elide_bytes(fd: BorrowedFd, n: u64, ctx: &mut Ctx) -> std::result::Result<(), Fail> {
    if let Some((size, pos)) = sized(fd) {
        return first_bytes(fd, (size - pos).saturating_sub(n), ctx);
    }
    // A window of the last n bytes read; what falls out of it is printed.
    let start = Resume::new(fd);
    let mut printed = 0u64;
    let mut win: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let r = read(fd, &mut buf).map_err(Fail::Read)?;
        if r == 0 {
            let k = win.len().saturating_sub(n.min(usize::MAX as u64) as usize);
            out(ctx, &win[..k])?;
            start.after(fd, printed + k as u64);
            return Ok(());
        }
        win.extend_from_slice(&buf[..r]);
        if win.len() as u64 > n {
            let k = win.len() - n as usize;
            // Let the window grow to twice its need before shifting it.
            if k >= BUF_SIZE || k as u64 >= n {
                out(ctx, &win[..k])?;
                printed += k as u64;
                win.drain(..k);
            }
        }
    }
}

/// A seekable input read as a stream (a small or /proc file): its offset is put back just past
/// what was printed, as GNU does.
struct Resume(Option<u64>);

impl Resume {
    fn new(fd: BorrowedFd) -> Resume {
        Resume(sysfd::lseek(fd, 0, libc::SEEK_CUR).ok())
    }
    fn after(&self, fd: BorrowedFd, printed: u64) {
        if let Some(p) = self.0 {
            let _ = sysfd::lseek(fd, (p + printed) as i64, libc::SEEK_SET);
        }
    }
}

/// All but the last `n` lines: whole chunks are printed as soon as the chunks after them
/// hold `n` line ends; the rest is cut at the end.
fn elide_lines(fd: BorrowedFd, n: u64, eol: u8, ctx: &mut Ctx) -> std::result::Result<(), Fail> {
    if let Some((size, pos)) = sized(fd) {
        // Found from the end, printed from here: the offset is left just past the last line
        // printed, as GNU leaves it (`(head -n -2; cat) < file` prints everything once).
        let cut = last_lines_start(fd, pos, size, n, eol).map_err(Fail::Read)?;
        return first_bytes(fd, cut - pos, ctx);
    }
    let start = Resume::new(fd);
    let mut printed = 0u64;
    let mut q: VecDeque<(Vec<u8>, u64)> = VecDeque::new();
    let mut total = 0u64;
    loop {
        let mut b = vec![0u8; BUF_SIZE];
        let r = read(fd, &mut b).map_err(Fail::Read)?;
        if r == 0 {
            break;
        }
        b.truncate(r);
        let c = memchr::memchr_iter(eol, &b).count() as u64;
        total += c;
        q.push_back((b, c));
        while q.len() > 1 && total - q[0].1 >= n {
            let (b, c) = q.pop_front().unwrap();
            total -= c;
            out(ctx, &b)?;
            printed += b.len() as u64;
        }
    }
    let data: Vec<u8> = q.into_iter().flat_map(|c| c.0).collect();
    let lines = total + (data.last().is_some_and(|&c| c != eol) as u64);
    if lines > n {
        let keep = lines - n;
        let end = memchr::memchr_iter(eol, &data)
            .nth(keep as usize - 1)
            .map_or(data.len(), |p| p + 1);
        out(ctx, &data[..end])?;
        printed += end as u64;
    }
    start.after(fd, printed);
    Ok(())
}
