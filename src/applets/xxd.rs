//! `xxd`: make a hex dump, or turn one back into bytes.
//!
//! Vim 9.0's xxd (2022-01-14), the one Debian's `xxd` package ships, which BusyBox's follows:
//! `xxd [OPTIONS] [INFILE [OUTFILE]]` with `-a` (a run of NUL lines as one `*`), `-b` (bits),
//! `-C`, `-c COLS` (at most 256), `-d` (decimal offsets), `-e` (little-endian groups), `-g BYTES`,
//! `-i` (C include: `unsigned char NAME[] = {...}` and `NAME_len` for a named file), `-l LEN`,
//! `-n NAME`, `-o OFF`, `-p`/`-ps`/`-postscript`/`-plain`, `-r` (reverse: a normal dump's
//! `ADDR: hex pairs`, at most COLS bytes a line and ending at two blanks, or `-p`'s bare pairs;
//! with an OUTFILE it is patched in place, not truncated; on a pipe forward gaps are NULs and
//! a step back is `Sorry, cannot seek backwards.`, status 5), `-s [+|-]SEEK`, `-u`, `-v`; numbers in C's
//! bases (`0x10`, `010`); options spelled as xxd takes them (`-c8`, `-cols 8`), the last of
//! `-b -e -i -p` choosing the style. Statuses: 1 for usage, 2 for a file that cannot be opened,
//! 3 for a write error. xxd's own syntax is parsed here rather than by the option engine
//! (single-dash words like `-cols` and `-ps`, as tar's old style). Deviations: no `-E`
//! (EBCDIC); a reverse dump's line that does not start with `ADDR:` is skipped (xxd reads hex
//! digits out of it); with `-e` and a COLS that is not a multiple of the group, the last group
//! keeps its width (vim's columns overlap there).

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::ctx::strerror;
use crate::common::io::{stdin_fd, stdout_fd};
use crate::common::sys::fd::{self as sfd, AsFd};
use crate::common::{Ctx, Error, Result};

const USAGE: &str = "\
Usage:
       xxd [options] [infile [outfile]]
    or
       xxd -r [-s [-]offset] [-c cols] [-ps] [infile [outfile]]
Options:
    -a          toggle autoskip: A single '*' replaces nul-lines. Default off.
    -b          binary digit dump (incompatible with -ps,-i,-r). Default hex.
    -C          capitalize variable names in C include file style (-i).
    -c cols     format <cols> octets per line. Default 16 (-i: 12, -ps: 30).
    -E          show characters in EBCDIC. Default ASCII.
    -e          little-endian dump (incompatible with -ps,-i,-r).
    -g bytes    number of octets per group in normal output. Default 2 (-e: 4).
    -h          print this summary.
    -i          output in C include file style.
    -l len      stop after <len> octets.
    -n name     set the variable name used in C include output (-i).
    -o off      add <off> to the displayed file position.
    -ps         output in postscript plain hexdump style.
    -r          reverse operation: convert (or patch) hexdump into binary.
    -r -s off   revert with <off> added to file positions found in hexdump.
    -d          show offset in decimal instead of hex.
    -s [+][-]seek  start at <seek> bytes abs. (or +: rel.) infile offset.
    -u          use upper case hex letters.
    -v          show version: \"xxd 2022-01-14 by Juergen Weigert et al.\".
";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Normal,
    Bits,
    Little,
    Include,
    Plain,
}

struct Opts {
    style: Style,
    autoskip: bool,
    capitalize: bool,
    cols: Option<i64>,
    decimal: bool,
    group: Option<i64>,
    len: Option<i64>,
    name: Option<Vec<u8>>,
    offset: i64,
    revert: bool,
    /// `-s`: the value, and whether it was `+` (relative to where the input stands).
    seek: Option<(i64, bool)>,
    upper: bool,
}

/// C's strtol with base 0: blanks, a sign, `0x` hex, `0` octal, else decimal; what follows the
/// digits is ignored, no digits is 0.
fn strtol(s: &[u8]) -> i64 {
    let t = s.trim_ascii_start();
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, t) = if (t.starts_with(b"0x") || t.starts_with(b"0X"))
        && t.get(2).is_some_and(u8::is_ascii_hexdigit)
    {
        (16, &t[2..])
    } else if t.first() == Some(&b'0') {
        (8, t)
    } else {
        (10, t)
    };
    let mut v: i64 = 0;
    for &c in t {
        let Some(d) = (c as char).to_digit(radix) else {
            break;
        };
        v = v.saturating_mul(radix as i64).saturating_add(d as i64);
    }
    if neg {
        -v
    } else {
        v
    }
}

fn usage(ctx: &mut Ctx) -> i32 {
    let _ = ctx.out.flush();
    let _ = sfd::write_all(crate::common::io::stderr_fd(), USAGE.as_bytes());
    1
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let mut o = Opts {
        style: Style::Normal,
        autoskip: false,
        capitalize: false,
        cols: None,
        decimal: false,
        group: None,
        len: None,
        name: None,
        offset: 0,
        revert: false,
        seek: None,
        upper: false,
    };
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_bytes();
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        i += 1;
        if a == b"--" {
            break;
        }
        let w = &a[1..];
        // Options with a value: attached (`-c8`), or the next word (`-c 8`, `-cols 8`).
        let valued: &[(&[u8], u8)] = &[
            (b"cols", b'c'),
            (b"groupsize", b'g'),
            (b"len", b'l'),
            (b"name", b'n'),
            (b"offset", b'o'),
            (b"seek", b's'),
        ];
        let flag = |long: &[u8]| w == &long[..1] || (w.len() > 1 && long.starts_with(w));
        if flag(b"autoskip") {
            o.autoskip = !o.autoskip;
        } else if flag(b"bits") {
            o.style = Style::Bits;
        } else if flag(b"Capitalize") {
            o.capitalize = true;
        } else if flag(b"decimal") {
            o.decimal = true;
        } else if w == b"E" || flag(b"EBCDIC") {
            let _ = ctx.out.flush();
            let m = b"xxd: -E (EBCDIC) is not supported by this xxd\n";
            let _ = sfd::write_all(crate::common::io::stderr_fd(), m);
            return 1;
        } else if w == b"e" {
            o.style = Style::Little;
        } else if flag(b"include") {
            o.style = Style::Include;
        } else if w == b"p" || flag(b"ps") || flag(b"postscript") || flag(b"plain") {
            o.style = Style::Plain;
        } else if flag(b"revert") {
            o.revert = true;
        } else if flag(b"uppercase") {
            o.upper = true;
        } else if flag(b"version") {
            let _ = sfd::write_all(
                crate::common::io::stderr_fd(),
                b"xxd 2022-01-14 by Juergen Weigert et al. (rbox)\n",
            );
            return 0;
        } else if let Some(&(long, short)) = valued.iter().find(|(_, s)| w[0] == *s) {
            let rest = &w[1..];
            let value: Vec<u8> = if !rest.is_empty() && !long.starts_with(w) {
                rest.to_vec()
            } else {
                match argv.get(i) {
                    Some(v) => {
                        i += 1;
                        v.as_bytes().to_vec()
                    }
                    None => return usage(ctx),
                }
            };
            match short {
                b'c' => o.cols = Some(strtol(&value)),
                b'g' => o.group = Some(strtol(&value)),
                b'l' => o.len = Some(strtol(&value)),
                b'n' => o.name = Some(value),
                b'o' => o.offset = strtol(&value),
                _ => {
                    let v = value.trim_ascii_start();
                    o.seek = Some((strtol(v), v.first() == Some(&b'+')));
                }
            }
        } else {
            return usage(ctx);
        }
    }
    let files = &argv[i..];
    if files.len() > 2 {
        return usage(ctx);
    }
    let r = run(ctx, &o, files);
    ctx.finish(r)
}

fn write_error(e: &std::io::Error) -> Error {
    Error::new(3, strerror(e))
}

fn run(ctx: &mut Ctx, o: &Opts, files: &[OsString]) -> Result<()> {
    let infile = files.first().filter(|f| f.as_bytes() != b"-");
    let input = match infile {
        Some(f) => Some(
            sfd::open(f.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0)
                .map_err(|e| Error::file(2, f.as_bytes(), &e))?,
        ),
        None => None,
    };
    if let Some(out) = files.get(1).filter(|f| f.as_bytes() != b"-") {
        // Reverting patches the output file (xxd opens it without truncating it).
        let trunc = if o.revert { 0 } else { libc::O_TRUNC };
        let fd = sfd::open(
            out.as_bytes(),
            libc::O_WRONLY | libc::O_CREAT | trunc | libc::O_CLOEXEC,
            0o666,
        )
        .map_err(|e| Error::file(2, out.as_bytes(), &e))?;
        sfd::dup2(fd.as_fd(), 1).map_err(|e| Error::file(2, out.as_bytes(), &e))?;
    }
    let fd = input.as_ref().map_or(stdin_fd(), |f| f.as_fd());
    if o.revert {
        return revert(o, fd);
    }
    let cols_default = match o.style {
        Style::Include => 12,
        Style::Plain => 30,
        Style::Bits => 6,
        _ => 16,
    };
    // `-p -c 0` is one line; elsewhere 0 is the default.
    let cols = match o.cols {
        None => cols_default,
        Some(0) if o.style == Style::Plain => 0,
        Some(0) => cols_default,
        Some(c @ 1..=256) => c as usize,
        Some(_) => return Err(Error::new(1, "invalid number of columns (max. 256).")),
    };
    if o.style == Style::Little
        && o.group
            .is_some_and(|g| g > 0 && (g as u64).count_ones() != 1)
    {
        return Err(Error::new(
            1,
            "number of octets per group must be a power of 2 with -e.",
        ));
    }
    // Where the dump starts: -s from the start, from the end (negative), or on from where
    // standard input stands (`+`).
    let mut pos: u64 = 0;
    if let Some((s, rel)) = o.seek {
        let base = if s < 0 && !rel {
            libc::SEEK_END
        } else if rel {
            libc::SEEK_CUR
        } else {
            libc::SEEK_SET
        };
        match sfd::lseek(fd, s, base) {
            Ok(p) => pos = p,
            Err(_) if s >= 0 => {
                // Not seekable: read the bytes and drop them.
                let mut left = s as u64;
                let mut buf = vec![0u8; 64 * 1024];
                while left > 0 {
                    let n = buf.len().min(left as usize);
                    let got = sfd::read(fd, &mut buf[..n]).map_err(|e| Error::io(2, "read", &e))?;
                    if got == 0 {
                        break;
                    }
                    left -= got as u64;
                    pos += got as u64;
                }
            }
            Err(_) => return Err(Error::new(4, "Sorry, cannot seek.")),
        }
    }
    let limit = o.len.filter(|&l| l >= 0).map(|l| l as u64);
    dump(ctx, o, cols, pos, fd, limit, infile.map(|f| f.as_bytes()))?;
    ctx.out.flush().map_err(|e| write_error(&e))
}

/// The next block of input: full unless the input (or `-l`) ends, so that only the last one
/// may end inside a line of the dump. Empty at the end.
fn next_block(fd: sfd::BorrowedFd, buf: &mut [u8], left: &mut Option<u64>) -> Result<usize> {
    let want = match *left {
        Some(l) => l.min(buf.len() as u64) as usize,
        None => buf.len(),
    };
    let mut got = 0;
    while got < want {
        let n = sfd::read(fd, &mut buf[got..want]).map_err(|e| Error::io(2, "read", &e))?;
        if n == 0 {
            break;
        }
        got += n;
    }
    if let Some(l) = left {
        *l -= got as u64;
    }
    Ok(got)
}

fn hex_digit(v: u8, upper: bool) -> u8 {
    let d = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    d[(v & 15) as usize]
}

/// xxd's C identifier for `-i`: every character that is not alphanumeric becomes `_`, one
/// starting with a digit gets `__` in front, `-C` capitalizes.
fn c_name(name: &[u8], capitalize: bool) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + 2);
    if name.first().is_some_and(u8::is_ascii_digit) {
        v.extend_from_slice(b"__");
    }
    for &c in name {
        let c = if c.is_ascii_alphanumeric() { c } else { b'_' };
        v.push(if capitalize {
            c.to_ascii_uppercase()
        } else {
            c
        });
    }
    v
}

/// The dump of the input, read a block at a time (memory stays at one block whatever the
/// input's size).
fn dump(
    ctx: &mut Ctx,
    o: &Opts,
    cols: usize,
    start: u64,
    fd: sfd::BorrowedFd,
    limit: Option<u64>,
    infile: Option<&[u8]>,
) -> Result<()> {
    let up = o.upper;
    let werr = |e: std::io::Error| write_error(&e);
    // A whole number of the dump's lines.
    let mut buf = vec![0u8; cols.max(1) * 4096];
    let mut left = limit;
    let mut total: u64 = 0;
    match o.style {
        Style::Plain => {
            loop {
                let n = next_block(fd, &mut buf, &mut left)?;
                if n == 0 {
                    break;
                }
                let out = ctx.out.buf_mut();
                for (k, &b) in buf[..n].iter().enumerate() {
                    out.push(hex_digit(b >> 4, up));
                    out.push(hex_digit(b, up));
                    if cols > 0 && (total + k as u64 + 1).is_multiple_of(cols as u64) {
                        out.push(b'\n');
                    }
                }
                total += n as u64;
                ctx.out.maybe_flush().map_err(werr)?;
            }
            // `-c 0` is one line; a short last line ends too.
            if total > 0 && (cols == 0 || !total.is_multiple_of(cols as u64)) {
                ctx.out.write_all(b"\n").map_err(werr)?;
            }
            Ok(())
        }
        Style::Include => {
            let name = o.name.as_deref().or(infile);
            if let Some(n) = name {
                let id = c_name(n, o.capitalize);
                ctx.out.write_all(b"unsigned char ").map_err(werr)?;
                ctx.out.write_all(&id).map_err(werr)?;
                ctx.out.write_all(b"[] = {\n").map_err(werr)?;
            }
            loop {
                let n = next_block(fd, &mut buf, &mut left)?;
                if n == 0 {
                    break;
                }
                let out = ctx.out.buf_mut();
                for &b in &buf[..n] {
                    let k = total as usize;
                    if k > 0 {
                        out.extend_from_slice(if k.is_multiple_of(cols) {
                            b",\n"
                        } else {
                            b", "
                        });
                    }
                    if k.is_multiple_of(cols) {
                        out.extend_from_slice(b"  ");
                    }
                    out.extend_from_slice(if up { b"0X" } else { b"0x" });
                    out.push(hex_digit(b >> 4, up));
                    out.push(hex_digit(b, up));
                    total += 1;
                }
                ctx.out.maybe_flush().map_err(werr)?;
            }
            if total > 0 {
                ctx.out.write_all(b"\n").map_err(werr)?;
            }
            if let Some(n) = name {
                let id = c_name(n, o.capitalize);
                ctx.out.write_all(b"};\nunsigned int ").map_err(werr)?;
                ctx.out.write_all(&id).map_err(werr)?;
                let len = if o.capitalize { "_LEN" } else { "_len" };
                ctx.out
                    .write_all(format!("{len} = {total};\n").as_bytes())
                    .map_err(werr)?;
            }
            Ok(())
        }
        _ => {
            let mut lines = LineDump::new(o, cols);
            loop {
                let n = next_block(fd, &mut buf, &mut left)?;
                if n == 0 {
                    break;
                }
                for chunk in buf[..n].chunks(cols) {
                    let at = start.wrapping_add(o.offset as u64).wrapping_add(total);
                    lines.line(ctx, chunk, at).map_err(werr)?;
                    total += chunk.len() as u64;
                }
            }
            lines.finish(ctx).map_err(werr)
        }
    }
}

/// The normal, bits and little-endian styles, a line at a time.
struct LineDump {
    bits: bool,
    little: bool,
    up: bool,
    decimal: bool,
    autoskip: bool,
    width: usize,
    group: usize,
    hex_width: usize,
    line: Vec<u8>,
    prev_zero: bool,
    /// -a: a line of NULs after one is a `*` (once); the last line is shown all the same, so a
    /// skipped one is held (its address and length) until another comes.
    held: Option<(u64, usize)>,
    skipping: bool,
}

impl LineDump {
    fn new(o: &Opts, cols: usize) -> LineDump {
        let bits = o.style == Style::Bits;
        let little = o.style == Style::Little;
        let width = if bits { 8 } else { 2 };
        let group = match o.group {
            None if little => 4,
            None if bits => 1,
            None => 2,
            Some(g) if g <= 0 || g as usize > cols => cols,
            Some(g) => g as usize,
        };
        // -e reverses whole groups: a last group cut short by COLS keeps its width (vim
        // overlaps the columns there).
        let span = if little {
            cols.div_ceil(group) * group
        } else {
            cols
        };
        let hex_width = width * span + (span - 1) / group;
        LineDump {
            bits,
            little,
            up: o.upper,
            decimal: o.decimal,
            autoskip: o.autoskip,
            width,
            group,
            hex_width,
            line: Vec::with_capacity(hex_width + cols + 32),
            prev_zero: false,
            held: None,
            skipping: false,
        }
    }

    fn line(&mut self, ctx: &mut Ctx, chunk: &[u8], at: u64) -> std::io::Result<()> {
        let zero = chunk.iter().all(|&b| b == 0);
        let prev_zero = std::mem::replace(&mut self.prev_zero, zero);
        if self.autoskip && zero && prev_zero {
            if !self.skipping {
                ctx.out.write_all(b"*\n")?;
                self.skipping = true;
            }
            self.held = Some((at, chunk.len()));
            return Ok(());
        }
        self.skipping = false;
        self.held = None;
        self.write(ctx, chunk, at)
    }

    fn finish(&mut self, ctx: &mut Ctx) -> std::io::Result<()> {
        match self.held.take() {
            Some((at, len)) => self.write(ctx, &vec![0u8; len], at),
            None => Ok(()),
        }
    }

    fn write(&mut self, ctx: &mut Ctx, chunk: &[u8], at: u64) -> std::io::Result<()> {
        use std::io::Write;
        let line = &mut self.line;
        line.clear();
        if self.decimal {
            write!(line, "{at:08}: ")?;
        } else {
            write!(line, "{at:08x}: ")?;
        }
        let hex_start = line.len();
        line.resize(hex_start + self.hex_width, b' ');
        let (group, width) = (self.group, self.width);
        for (p, &b) in chunk.iter().enumerate() {
            let q = if self.little {
                p - p % group + (group - 1 - p % group)
            } else {
                p
            };
            let col = hex_start + width * q + q / group;
            if self.bits {
                for bit in 0..8 {
                    line[col + bit] = if b & (0x80 >> bit) != 0 { b'1' } else { b'0' };
                }
            } else {
                line[col] = hex_digit(b >> 4, self.up);
                line[col + 1] = hex_digit(b, self.up);
            }
        }
        line.extend_from_slice(b"  ");
        for &b in chunk {
            line.push(if (0x20..0x7f).contains(&b) { b } else { b'.' });
        }
        line.push(b'\n');
        ctx.out.write_all(line)
    }
}

/// Bytes back from a dump, written at their addresses on standard output; the dump is read a
/// line at a time.
fn revert(o: &Opts, fd: sfd::BorrowedFd) -> Result<()> {
    let mut text = crate::common::lines::Lines::new();
    let read_err = |e: std::io::Error| Error::io(2, "read", &e);
    let out = stdout_fd();
    let seekable = sfd::lseek(out, 0, libc::SEEK_CUR).is_ok();
    let mut w = Writer {
        out,
        seekable,
        pos: 0,
        buf: Vec::new(),
    };
    let nib = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    if o.style == Style::Plain {
        // A pair may span blanks and lines; any other character ends its line.
        let mut pending: Option<u8> = None;
        while let Some((line, _)) = text.next(fd, b'\n').map_err(read_err)? {
            for &c in line {
                if let Some(d) = nib(c) {
                    match pending.take() {
                        Some(h) => w.push(h << 4 | d)?,
                        None => pending = Some(d),
                    }
                } else if !c.is_ascii_whitespace() {
                    break;
                }
            }
        }
        return w.flush();
    }
    let cols = match o.cols {
        None | Some(0) => 16,
        Some(c) if (1..=256).contains(&c) => c as usize,
        Some(_) => return Err(Error::new(1, "invalid number of columns (max. 256).")),
    };
    let base = o.seek.map_or(0, |s| s.0);
    while let Some((line, _)) = text.next(fd, b'\n').map_err(read_err)? {
        let l = line.trim_ascii_start();
        let Some(colon) = memchr::memchr(b':', l) else {
            continue;
        };
        let addr = &l[..colon];
        if addr.is_empty() || !addr.iter().all(u8::is_ascii_hexdigit) {
            continue;
        }
        let mut at: i64 = 0;
        for &c in addr {
            at = at
                .saturating_mul(16)
                .saturating_add(nib(c).unwrap_or(0) as i64);
        }
        let at = at.saturating_add(base);
        if at < 0 {
            return Err(Error::new(5, "Sorry, cannot seek backwards."));
        }
        w.seek(at as u64)?;
        // Pairs of hex digits up to COLS bytes; two blanks in a row start the text column, any
        // other character drops a half-read pair (as xxd reads).
        let mut n = 0;
        let mut blanks = 0;
        let mut half: Option<u8> = None;
        for &c in &l[colon + 1..] {
            if n == cols {
                break;
            }
            if c == b' ' || c == b'\t' {
                blanks += 1;
                if blanks >= 2 && n > 0 {
                    break;
                }
                half = None;
                continue;
            }
            blanks = 0;
            match (nib(c), half.take()) {
                (Some(d), Some(h)) => {
                    w.push(h << 4 | d)?;
                    n += 1;
                }
                (Some(d), None) => half = Some(d),
                (None, _) => {}
            }
        }
    }
    w.flush()
}

/// Standard output with a position: a seek on a file, NULs forward on a pipe.
struct Writer<'a> {
    out: sfd::BorrowedFd<'a>,
    seekable: bool,
    pos: u64,
    buf: Vec<u8>,
}

impl Writer<'_> {
    fn push(&mut self, b: u8) -> Result<()> {
        self.buf.push(b);
        self.pos += 1;
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        sfd::write_all(self.out, &self.buf).map_err(|e| write_error(&e))?;
        self.buf.clear();
        Ok(())
    }

    fn seek(&mut self, to: u64) -> Result<()> {
        if to == self.pos {
            return Ok(());
        }
        self.flush()?;
        if self.seekable {
            sfd::lseek(self.out, to as i64, libc::SEEK_SET).map_err(|e| write_error(&e))?;
            self.pos = to;
            return Ok(());
        }
        if to < self.pos {
            return Err(Error::new(5, "Sorry, cannot seek backwards."));
        }
        while self.pos < to {
            self.push(0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{c_name, strtol};

    #[test]
    fn numbers_in_c_bases() {
        assert_eq!(strtol(b"16"), 16);
        assert_eq!(strtol(b"0x10"), 16);
        assert_eq!(strtol(b"010"), 8);
        assert_eq!(strtol(b"-3"), -3);
        assert_eq!(strtol(b"+7x"), 7);
        assert_eq!(strtol(b"z"), 0);
    }

    #[test]
    fn include_names() {
        assert_eq!(c_name(b"/tmp/x.bin", false), b"_tmp_x_bin");
        assert_eq!(c_name(b"9x-y", false), b"__9x_y");
        assert_eq!(c_name(b"a.b", true), b"A_B");
    }
}
