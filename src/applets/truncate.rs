//! `truncate`: shrink or extend the size of a file to the specified size.
//!
//! GNU coreutils 9 `truncate`: `-s`/`--size` with GNU's modifiers (`+` extend, `-` reduce,
//! `<` at most, `>` at least, `/` round down to a multiple, `%` round up) and suffixes (`K`,
//! `M`, `G`, `T`, `P`, `E`, `Z`, `Y` powers of 1024, `KB`/`MB`... powers of 1000, `KiB`...),
//! `-r`/`--reference=RFILE`, `-c`/`--no-create`, `-o`/`--io-blocks`; files created 0666 under
//! the umask; messages and statuses as GNU's (`truncate: Invalid number: '1x'`, `cannot open
//! 'd' for writing: Is a directory`). Deviation: none known.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::quote::quote_always;
use crate::common::sys::{fd as sfd, fs as sfs};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("no-create", Some(b'c'), Some("no-create")),
        Opt::flag("io-blocks", Some(b'o'), Some("io-blocks")),
        Opt::arg("reference", Some(b'r'), Some("reference")),
        Opt::arg("size", Some(b's'), Some("size")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: truncate OPTION... FILE...
Shrink or extend the size of each FILE to the specified size

A FILE argument that does not exist is created.

If a FILE is larger than the specified size, the extra data is lost.
If a FILE is shorter, it is extended and the sparse extended part (hole)
reads as zero bytes.

Mandatory arguments to long options are mandatory for short options too.
  -c, --no-create        do not create any files
  -o, --io-blocks        treat SIZE as number of IO blocks instead of bytes
  -r, --reference=RFILE  base size on RFILE
  -s, --size=SIZE        set or adjust the file size by SIZE bytes
      --help        display this help and exit
      --version     output version information and exit

The SIZE argument is an integer and optional unit (example: 10K is 10*1024).
Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

SIZE may also be prefixed by one of the following modifying characters:
'+' extend by, '-' reduce by, '<' at most, '>' at least,
'/' round down to multiple of, '%' round up to multiple of.
"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rel {
    Abs,
    Add,
    Max,
    Min,
    RoundDown,
    RoundUp,
}

/// gnulib's xstrtoimax with the suffixes "EgGkKmMPtTYZ0". `Err(true)`: too large,
/// `Err(false)`: not a number.
pub fn parse_size(s: &[u8]) -> std::result::Result<i64, bool> {
    // Valid syntax that does not fit is an overflow.
    parse_opt(s).ok_or_else(|| parse_opt_wide(s).is_some())
}

fn parse_opt(s: &[u8]) -> Option<i64> {
    parse_opt_wide(s).and_then(|v| i64::try_from(v).ok())
}

fn parse_opt_wide(s: &[u8]) -> Option<i128> {
    let s = s.trim_ascii_start();
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = digits.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let mut v: i128 = std::str::from_utf8(&digits[..n])
        .ok()?
        .parse()
        .unwrap_or(i128::MAX);
    let suf = &digits[n..];
    if !suf.is_empty() {
        let exp = match suf[0] {
            b'k' | b'K' => 1,
            b'm' | b'M' => 2,
            b'g' | b'G' => 3,
            b't' | b'T' => 4,
            b'P' => 5,
            b'E' => 6,
            b'Z' => 7,
            b'Y' => 8,
            _ => return None,
        };
        let (base, rest): (i128, &[u8]) = match &suf[1..] {
            b"iB" => (1024, b""),
            [b'B' | b'D', r @ ..] => (1000, r),
            r => (1024, r),
        };
        if !rest.is_empty() {
            return None;
        }
        for _ in 0..exp {
            v = v.saturating_mul(base);
        }
    }
    Some(if neg { -v } else { v })
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn die(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    Error::silent(1)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut rel = Rel::Abs;
    let mut size: Option<i64> = None;
    for a in m.values("size") {
        let mut s = a.as_bytes().trim_ascii_start();
        rel = Rel::Abs;
        match s.first() {
            Some(b'<') => rel = Rel::Max,
            Some(b'>') => rel = Rel::Min,
            Some(b'/') => rel = Rel::RoundDown,
            Some(b'%') => rel = Rel::RoundUp,
            _ => {}
        }
        if rel != Rel::Abs {
            s = s[1..].trim_ascii_start();
        }
        if matches!(s.first(), Some(b'+' | b'-')) {
            if rel != Rel::Abs {
                let msg = b"multiple relative modifiers specified";
                return Err(args::usage_error(ctx, &SPEC, msg, 1));
            }
            rel = Rel::Add;
        }
        let v = match parse_size(s) {
            Ok(v) => v,
            Err(overflow) => {
                let mut msg = b"Invalid number: ".to_vec();
                msg.extend_from_slice(&quote_always(s));
                if overflow {
                    msg.extend_from_slice(b": Value too large for defined data type");
                }
                return Err(die(ctx, &msg));
            }
        };
        if matches!(rel, Rel::RoundDown | Rel::RoundUp) && v == 0 {
            return Err(die(ctx, b"division by zero"));
        }
        size = Some(v);
    }
    let reference = m.last("reference");
    if reference.is_none() && size.is_none() {
        let msg = b"you must specify either '--size' or '--reference'";
        return Err(args::usage_error(ctx, &SPEC, msg, 1));
    }
    if reference.is_some() && size.is_some() && rel == Rel::Abs {
        let msg = b"you must specify a relative '--size' with '--reference'";
        return Err(args::usage_error(ctx, &SPEC, msg, 1));
    }
    let blocks = m.flag("io-blocks");
    if blocks && size.is_none() {
        let msg = b"'--io-blocks' was specified but '--size' was not";
        return Err(args::usage_error(ctx, &SPEC, msg, 1));
    }
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing file operand", 1));
    }
    let mut rsize: Option<i64> = None;
    if let Some(r) = reference {
        let st = match sfd::stat(r.as_bytes()) {
            Ok(st) => st,
            Err(e) => {
                ctx.error_quoted(1, "cannot stat", r.as_bytes(), &e);
                return Err(Error::silent(1));
            }
        };
        let fsize = if usable_size(st.st_mode) {
            st.st_size
        } else {
            match sfd::open(r.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0)
                .and_then(|fd| sfd::lseek(sfd::AsFd::as_fd(&fd), 0, libc::SEEK_END))
            {
                Ok(n) => n as i64,
                Err(e) => {
                    ctx.error_quoted(1, "cannot get the size of", r.as_bytes(), &e);
                    return Err(Error::silent(1));
                }
            }
        };
        if size.is_none() {
            size = Some(fsize);
        } else {
            rsize = Some(fsize);
        }
    }
    let size = size.unwrap_or(0);
    let create = if m.flag("no-create") {
        0
    } else {
        libc::O_CREAT
    };
    for f in &m.operands {
        let f = f.as_bytes();
        let fl = libc::O_WRONLY | libc::O_NONBLOCK | libc::O_CLOEXEC | create;
        let fd = match sfd::open(f, fl, 0o666) {
            Ok(fd) => fd,
            Err(e) => {
                if !(create == 0 && e.raw_os_error() == Some(libc::ENOENT)) {
                    let mut msg = b"cannot open ".to_vec();
                    msg.extend_from_slice(&quote_always(f));
                    msg.extend_from_slice(b" for writing: ");
                    msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                }
                continue;
            }
        };
        truncate_one(ctx, &fd, f, size, rsize, rel, blocks);
    }
    Ok(())
}

fn usable_size(mode: u32) -> bool {
    matches!(mode & libc::S_IFMT, libc::S_IFREG | libc::S_IFLNK)
}

fn truncate_one(
    ctx: &mut Ctx,
    fd: &sfd::OwnedFd,
    name: &[u8],
    size: i64,
    rsize: Option<i64>,
    rel: Rel,
    blocks: bool,
) {
    let fd = sfd::AsFd::as_fd(fd);
    let mut ssize = size;
    let st = if blocks || (rel != Rel::Abs && rsize.is_none()) {
        match sfd::fstat(fd) {
            Ok(st) => Some(st),
            Err(e) => {
                ctx.error_quoted(1, "cannot fstat", name, &e);
                return;
            }
        }
    } else {
        None
    };
    if blocks {
        #[allow(clippy::unnecessary_cast)] // blksize_t is not i64 on every target
        let bs = st.map_or(512, |s| s.st_blksize as i64);
        match ssize.checked_mul(bs) {
            Some(v) => ssize = v,
            None => {
                let msg = format!("overflow in {ssize} * {bs} byte blocks for file ");
                let mut m = msg.into_bytes();
                m.extend_from_slice(&quote_always(name));
                ctx.error(1, &m);
                return;
            }
        }
    }
    let nsize = if rel == Rel::Abs {
        ssize
    } else {
        let fsize = match rsize {
            Some(r) => r,
            None => {
                let st = st.unwrap_or_else(|| unreachable!("taken above"));
                if usable_size(st.st_mode) {
                    st.st_size
                } else {
                    match sfd::lseek(fd, 0, libc::SEEK_END) {
                        Ok(n) => n as i64,
                        Err(e) => {
                            ctx.error_quoted(1, "cannot get the size of", name, &e);
                            return;
                        }
                    }
                }
            }
        };
        match rel {
            Rel::Min => fsize.max(ssize),
            Rel::Max => fsize.min(ssize),
            Rel::RoundDown => fsize - fsize % ssize,
            _ => {
                if rel == Rel::RoundUp {
                    let r = fsize % ssize;
                    ssize = if r == 0 { 0 } else { ssize - r };
                }
                match fsize.checked_add(ssize) {
                    Some(v) => v,
                    None => {
                        let mut m = b"overflow extending size of file ".to_vec();
                        m.extend_from_slice(&quote_always(name));
                        ctx.error(1, &m);
                        return;
                    }
                }
            }
        }
    };
    let nsize = nsize.max(0);
    if let Err(e) = sfs::ftruncate(fd, nsize as u64) {
        let mut m = b"failed to truncate ".to_vec();
        m.extend_from_slice(&quote_always(name));
        push_fmt(&mut m, format_args!(" at {nsize} bytes"));
        m.extend_from_slice(b": ");
        m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
        ctx.error(1, &m);
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_as_gnu() {
        assert_eq!(parse_size(b"10"), Ok(10));
        assert_eq!(parse_size(b"1K"), Ok(1024));
        assert_eq!(parse_size(b"1k"), Ok(1024));
        assert_eq!(parse_size(b"5KB"), Ok(5000));
        assert_eq!(parse_size(b"2KiB"), Ok(2048));
        assert_eq!(parse_size(b"1M"), Ok(1 << 20));
        assert_eq!(parse_size(b"-3"), Ok(-3));
        assert_eq!(parse_size(b"1x"), Err(false));
        assert_eq!(parse_size(b""), Err(false));
        assert_eq!(parse_size(b"1Y"), Err(true));
        assert_eq!(parse_size(b"8E"), Err(true));
        assert_eq!(parse_size(b"7E"), Ok(7 << 60));
    }
}
