//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum`: print or check
//! message digests.
//!
//! Follows GNU coreutils 9: `-b`/`-t` (the `*` marker), `--tag` (BSD lines, also read by
//! `-c`), `-z`, `-` for standard input, GNU's escaping of names holding a backslash, newline or
//! carriage return (the line starts with `\`, the name has `\\`, `\n`, `\r`; not with `-z`),
//! and `-c` with `--ignore-missing`, `--quiet`, `--status`, `--strict` and `-w`: the same
//! line parser (comments, blank lines, CR line ends, "BSD reversed" lines, hex in either case),
//! the same `OK`/`FAILED`/`FAILED open or read` lines, warnings and statuses.
//! The digests are in [`crate::common::digest`] (ring's assembly for SHA-256/384/512, SHA-NI
//! for SHA-1 and SHA-224, Rust MD5), fed by 256 KiB reads or, from a big regular file, its
//! mapping, 384 KiB at a time ([`read_pieces`]).
//! Deviation: none known.

use std::ffi::OsString;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::digest::{Algo, Hasher};
use crate::common::help::{help_text, Help};
use crate::common::io::{read, read_pieces, stdin_fd, WINDOW};
use crate::common::quote::quote_if_needed;
use crate::common::{Ctx, Result};

/// In GNU's order (ambiguous abbreviations list the same possibilities).
const OPTS: &[Opt] = &[
    Opt::flag("binary", Some(b'b'), Some("binary")),
    Opt::flag("check", Some(b'c'), Some("check")),
    Opt::flag("ignore-missing", None, Some("ignore-missing")),
    Opt::flag("quiet", None, Some("quiet")),
    Opt::flag("status", None, Some("status")),
    Opt::flag("text", Some(b't'), Some("text")),
    Opt::flag("warn", Some(b'w'), Some("warn")),
    Opt::flag("strict", None, Some("strict")),
    Opt::flag("tag", None, Some("tag")),
    Opt::flag("zero", Some(b'z'), Some("zero")),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", None, Some("version")),
];

/// One text for the six applets: `\u{1}` the name, `\u{2}` the algorithm, `\u{3}` its bits,
/// `\u{4}` the standard.
const USAGE: Help = help_text!(
    "Usage: \u{1} [OPTION]... [FILE]...\nPrint or check \u{2} (\u{3}-bit) checksums.

With no FILE, or when FILE is -, read standard input.
  -b, --binary          read in binary mode
  -c, --check           read checksums from the FILEs and check them
      --tag             create a BSD-style checksum
  -t, --text            read in text mode (default)
  -z, --zero            end each output line with NUL, not newline,
                          and disable file name escaping

The following five options are useful only when verifying checksums:
      --ignore-missing  don't fail or report status for missing files
      --quiet           don't print OK for each successfully verified file
      --status          don't output anything, status code shows success
      --strict          exit non-zero for improperly formatted checksum lines
  -w, --warn            warn about improperly formatted checksum lines

      --help        display this help and exit
      --version     output version information and exit

The sums are computed as described in \u{4}.
When checking, the input should be a former output of this program.
The default mode is to print a line with: checksum, a space,
a character indicating input mode ('*' for binary, ' ' for text
or where binary is insignificant), and name for each FILE.

Note: There is no difference between binary mode and text mode on GNU systems.
"
);

static MD5: Spec = Spec::new(OPTS, USAGE.fill(&["md5sum", "MD5", "128", "RFC 1321"]));
static SHA1: Spec = Spec::new(OPTS, USAGE.fill(&["sha1sum", "SHA1", "160", "FIPS-180-1"]));
static SHA224: Spec = Spec::new(
    OPTS,
    USAGE.fill(&["sha224sum", "SHA224", "224", "RFC 3874"]),
);
static SHA256: Spec = Spec::new(
    OPTS,
    USAGE.fill(&["sha256sum", "SHA256", "256", "FIPS-180-2"]),
);
static SHA384: Spec = Spec::new(
    OPTS,
    USAGE.fill(&["sha384sum", "SHA384", "384", "FIPS-180-2"]),
);
static SHA512: Spec = Spec::new(
    OPTS,
    USAGE.fill(&["sha512sum", "SHA512", "512", "FIPS-180-2"]),
);

pub fn md5sum(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Algo::Md5, &MD5, argv, ctx)
}

pub fn sha1sum(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Algo::Sha1, &SHA1, argv, ctx)
}

pub fn sha224sum(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Algo::Sha224, &SHA224, argv, ctx)
}

pub fn sha256sum(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Algo::Sha256, &SHA256, argv, ctx)
}

pub fn sha384sum(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Algo::Sha384, &SHA384, argv, ctx)
}

pub fn sha512sum(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Algo::Sha512, &SHA512, argv, ctx)
}

/// Read size: large reads keep the per-call cost out of the hashing loop.
const READ: usize = 256 * 1024;

struct Sum {
    algo: Algo,
    buf: Vec<u8>,
    /// Check mode.
    quiet: bool,
    status: bool,
    warn: bool,
    strict: bool,
    ignore_missing: bool,
    /// GNU's `bsd_reversed` (-1 undecided, 0 no, 1 yes): once a check line has the marker
    /// after the digest, "digest name" lines without one are not accepted, and vice versa.
    bsd_reversed: i8,
}

fn main(algo: Algo, spec: &'static Spec, argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.rule = crate::common::ctx::StatusRule::Worst;
    let r = run(algo, spec, argv, ctx);
    ctx.finish(r)
}

fn run(algo: Algo, spec: &'static Spec, argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, spec)? else {
        return Ok(());
    };
    // -b, -t and --tag in order: the last decides (GNU's `binary` and `prefix_tag`).
    let mut binary: i8 = -1;
    let mut tag = false;
    // --warn, --quiet and --status replace each other, as in GNU's switch.
    let (mut warn, mut quiet, mut status) = (false, false, false);
    for (id, _) in &m.opts {
        match *id {
            "warn" => (warn, quiet, status) = (true, false, false),
            "quiet" => (warn, quiet, status) = (false, true, false),
            "status" => (warn, quiet, status) = (false, false, true),
            "binary" => binary = 1,
            "text" => binary = 0,
            "tag" => {
                tag = true;
                binary = 1
            }
            _ => {}
        }
    }
    let check = m.flag("check");
    let zero = m.flag("zero");
    let bad = |ctx: &mut Ctx, msg: &str| Err(args::usage_error(ctx, spec, msg.as_bytes(), 1));
    if tag && binary == 0 {
        return bad(ctx, "--tag does not support --text mode");
    }
    if zero && check {
        return bad(
            ctx,
            "the --zero option is not supported when verifying checksums",
        );
    }
    if tag && check {
        return bad(
            ctx,
            "the --tag option is meaningless when verifying checksums",
        );
    }
    if binary >= 0 && check {
        return bad(
            ctx,
            "the --binary and --text options are meaningless when verifying checksums",
        );
    }
    for (opt, on) in [
        ("ignore-missing", m.flag("ignore-missing")),
        ("warn", warn),
        ("quiet", quiet),
        ("status", status),
        ("strict", m.flag("strict")),
    ] {
        if on && !check {
            let msg = format!("the --{opt} option is meaningful only when verifying checksums");
            return bad(ctx, &msg);
        }
    }
    let mut s = Sum {
        algo,
        buf: vec![0; READ],
        quiet,
        status,
        warn,
        strict: m.flag("strict"),
        ignore_missing: m.flag("ignore-missing"),
        bsd_reversed: -1,
    };
    let mut files = m.operands;
    if files.is_empty() {
        files.push(OsString::from("-"));
    }
    for f in &files {
        if check {
            if !s.check_file(ctx, f)? {
                ctx.fail(1);
            }
        } else {
            s.print_one(ctx, f, binary == 1, tag, zero)?;
        }
    }
    Ok(())
}

/// Whether a name needs GNU's escaping (and the `\` line prefix).
fn problematic(name: &[u8]) -> bool {
    name.iter().any(|&c| c == b'\\' || c == b'\n' || c == b'\r')
}

fn push_name(out: &mut Vec<u8>, name: &[u8], escape: bool) {
    if !escape {
        out.extend_from_slice(name);
        return;
    }
    for &c in name {
        match c {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            c => out.push(c),
        }
    }
}

fn push_hex(out: &mut Vec<u8>, d: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in d {
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
}

/// Why a file could not be digested.
enum Fail {
    Missing,
    Io(std::io::Error),
}

impl Sum {
    /// The digest of one file (`-`: standard input).
    fn digest(&mut self, name: &[u8]) -> std::result::Result<Vec<u8>, Fail> {
        let file;
        let fd: BorrowedFd = if name == b"-" {
            stdin_fd()
        } else {
            match crate::common::sys::fd::open(name, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                Ok(f) => {
                    file = f;
                    file.as_fd()
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.ignore_missing => {
                    return Err(Fail::Missing)
                }
                Err(e) => return Err(Fail::Io(e)),
            }
        };
        let mut h = Hasher::new(self.algo);
        read_pieces(fd, &mut self.buf, WINDOW, |b| h.update(b)).map_err(Fail::Io)?;
        Ok(h.finish())
    }

    fn print_one(
        &mut self,
        ctx: &mut Ctx,
        name: &OsString,
        binary: bool,
        tag: bool,
        zero: bool,
    ) -> Result<()> {
        let n = name.as_bytes();
        let d = match self.digest(n) {
            Ok(d) => d,
            Err(Fail::Io(e)) => {
                ctx.error_file(1, name, &e);
                return Ok(());
            }
            Err(Fail::Missing) => return Ok(()),
        };
        let esc = !zero && problematic(n);
        let mut line = Vec::with_capacity(n.len() + 140);
        if esc {
            line.push(b'\\');
        }
        if tag {
            line.extend_from_slice(self.algo.name().as_bytes());
            line.extend_from_slice(b" (");
            push_name(&mut line, n, esc);
            line.extend_from_slice(b") = ");
            push_hex(&mut line, &d);
        } else {
            push_hex(&mut line, &d);
            line.extend_from_slice(if binary { b" *" } else { b"  " });
            push_name(&mut line, n, esc);
        }
        line.push(if zero { 0 } else { b'\n' });
        ctx.out.write_all(&line)?;
        Ok(())
    }

    /// `-c` on one list; `false` when it does not pass.
    fn check_file(&mut self, ctx: &mut Ctx, list: &OsString) -> Result<bool> {
        let stdin = list.as_bytes() == b"-";
        // GNU names standard input so, quoted like a file name.
        let shown = quote_if_needed(if stdin {
            b"standard input"
        } else {
            list.as_bytes()
        });
        let file;
        let fd = if stdin {
            stdin_fd()
        } else {
            match crate::common::sys::fd::open(list.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0)
            {
                Ok(f) => {
                    file = f;
                    file.as_fd()
                }
                Err(e) => {
                    ctx.error_file(1, list, &e);
                    return Ok(false);
                }
            }
        };
        let Ok(data) = read_all(fd) else {
            let mut m = shown.clone();
            m.extend_from_slice(b": read error");
            ctx.error(1, &m);
            return Ok(false);
        };
        let (mut formatted, mut misformatted) = (false, 0u64);
        let (mut matched, mut mismatched, mut unreadable) = (0u64, 0u64, 0u64);
        let lines = data.split_inclusive(|&c| c == b'\n');
        let mut number = 0u64;
        for raw in lines {
            number += 1;
            if raw.first() == Some(&b'#') {
                continue;
            }
            let mut l = raw;
            if l.last() == Some(&b'\n') {
                l = &l[..l.len() - 1];
            }
            if l.last() == Some(&b'\r') {
                l = &l[..l.len() - 1];
            }
            if l.is_empty() {
                continue;
            }
            let Some((hex, name)) = self.split(l) else {
                misformatted += 1;
                if self.warn {
                    let mut m = shown.clone();
                    m.extend_from_slice(
                        format!(
                            ": {number}: improperly formatted {} checksum line",
                            self.algo.name()
                        )
                        .as_bytes(),
                    );
                    ctx.msg(&m);
                }
                continue;
            };
            formatted = true;
            // GNU escapes names here only for a newline (the case that breaks lines).
            let esc = !self.status && name.contains(&b'\n');
            let mut line = Vec::new();
            if esc {
                line.push(b'\\');
            }
            push_name(&mut line, &name, esc);
            match self.digest(&name) {
                Err(Fail::Missing) => continue,
                Err(Fail::Io(e)) => {
                    unreadable += 1;
                    ctx.error_file(1, std::ffi::OsStr::from_bytes(&name), &e);
                    if !self.status {
                        line.extend_from_slice(b": FAILED open or read\n");
                        ctx.out.write_all(&line)?;
                    }
                }
                Ok(d) => {
                    let good = d
                        .iter()
                        .zip(hex.chunks_exact(2))
                        .all(|(b, h)| *b == (unhex(h[0]) << 4 | unhex(h[1])));
                    if good {
                        matched += 1;
                    } else {
                        mismatched += 1;
                    }
                    if !self.status && (!good || !self.quiet) {
                        line.extend_from_slice(if good { b": OK\n" } else { b": FAILED\n" });
                        ctx.out.write_all(&line)?;
                    }
                }
            }
        }
        if !formatted {
            let mut m = shown;
            m.extend_from_slice(b": no properly formatted checksum lines found");
            ctx.msg(&m);
        } else if !self.status {
            let plural = |n: u64, one: &str, many: &str| {
                format!("WARNING: {n} {}", if n == 1 { one } else { many })
            };
            if misformatted > 0 {
                let m = plural(
                    misformatted,
                    "line is improperly formatted",
                    "lines are improperly formatted",
                );
                ctx.msg(m.as_bytes());
            }
            if unreadable > 0 {
                let m = plural(
                    unreadable,
                    "listed file could not be read",
                    "listed files could not be read",
                );
                ctx.msg(m.as_bytes());
            }
            if mismatched > 0 {
                let m = plural(
                    mismatched,
                    "computed checksum did NOT match",
                    "computed checksums did NOT match",
                );
                ctx.msg(m.as_bytes());
            }
            if self.ignore_missing && matched == 0 {
                let mut m = shown;
                m.extend_from_slice(b": no file was verified");
                ctx.msg(&m);
            }
        }
        Ok(formatted
            && matched > 0
            && mismatched == 0
            && unreadable == 0
            && !(self.strict && misformatted > 0))
    }

    /// GNU's `split_3`: (hex digest, file name) of a check line, or `None` if misformatted.
    fn split(&mut self, s: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let at = |i: usize| s.get(i).copied().unwrap_or(0);
        let white = |c: u8| c == b' ' || c == b'\t';
        let hexlen = self.algo.size() * 2;
        let mut i = 0;
        while white(at(i)) {
            i += 1;
        }
        let mut escaped = false;
        if at(i) == b'\\' {
            i += 1;
            escaped = true;
        }
        let algo = self.algo.name().as_bytes();
        if s[i..].starts_with(algo) {
            i += algo.len();
            if at(i) == b' ' {
                i += 1;
            }
            if at(i) != b'(' {
                return None;
            }
            // BSD: NAME) = DIGEST, the name ending at the last ')'.
            let rest = &s[i + 1..];
            let close = rest.iter().rposition(|&c| c == b')')?;
            let name = if escaped {
                unescape(&rest[..close])?
            } else {
                rest[..close].to_vec()
            };
            let mut j = close + 1;
            let at = |j: usize| rest.get(j).copied().unwrap_or(0);
            while white(at(j)) {
                j += 1;
            }
            if at(j) != b'=' {
                return None;
            }
            j += 1;
            while white(at(j)) {
                j += 1;
            }
            let hex = &rest[j.min(rest.len())..];
            return is_hex(hex, hexlen).then(|| (hex.to_vec(), name));
        }
        if s.len() - i < hexlen + 2 + usize::from(at(i) == b'\\') {
            return None;
        }
        let hex = &s[i..i + hexlen];
        i += hexlen;
        if !white(at(i)) {
            return None;
        }
        i += 1;
        if !is_hex(hex, hexlen) {
            return None;
        }
        if s.len() - i == 1 || (at(i) != b' ' && at(i) != b'*') {
            if self.bsd_reversed == 0 {
                return None;
            }
            self.bsd_reversed = 1;
        } else if self.bsd_reversed != 1 {
            self.bsd_reversed = 0;
            i += 1;
        }
        let name = &s[i..];
        let name = if escaped {
            unescape(name)?
        } else {
            name.to_vec()
        };
        Some((hex.to_vec(), name))
    }
}

fn is_hex(h: &[u8], len: usize) -> bool {
    h.len() == len && h.iter().all(u8::is_ascii_hexdigit)
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        _ => (c | 0x20) - b'a' + 10,
    }
}

/// GNU's `filename_unescape`: `\\`, `\n` and `\r` only; a NUL or a lone backslash fails.
fn unescape(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.iter();
    while let Some(&c) = it.next() {
        match c {
            b'\\' => out.push(match it.next()? {
                b'\\' => b'\\',
                b'n' => b'\n',
                b'r' => b'\r',
                _ => return None,
            }),
            0 => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

fn read_all(fd: BorrowedFd) -> std::io::Result<Vec<u8>> {
    let mut v = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match read(fd, &mut chunk)? {
            0 => return Ok(v),
            n => v.extend_from_slice(&chunk[..n]),
        }
    }
}
