//! `tac`: concatenate and print files in reverse, record by record.
//!
//! Follows GNU coreutils 9 tac: `-b`/`--before`, `-r`/`--regex` (a POSIX basic regular
//! expression through `common::regex`, one `Matcher` reused for every search), `-s STRING`;
//! records end with the separator (or begin with it under `-b`), a last record without one is
//! printed as it is (`printf 'a\nb' | tac` gives `ba\n`), GNU's messages (`failed to open 'x'
//! for reading`, `x: read error: ...`, `separator cannot be empty` with `-r`; an empty `-s` is NUL, as
//! GNU's C string gives it).
//! Each input is read whole into memory (a regular file in one read of its size), then
//! written back to front.
//! Deviation: GNU tac's regex mode has known quirks (it may not split at all); ours splits at
//! every leftmost-longest match.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::Input;
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::regex::{Flags, Regex};
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("before", Some(b'b'), Some("before")),
        Opt::flag("regex", Some(b'r'), Some("regex")),
        Opt::arg("separator", Some(b's'), Some("separator")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: tac [OPTION]... [FILE]...
Write each FILE to standard output, last line first.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --before             attach the separator before instead of after
  -r, --regex              interpret the separator as a regular expression
  -s, --separator=STRING   use STRING as the separator instead of newline
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut sep = m
        .last("separator")
        .map(|s| s.as_bytes().to_vec())
        .unwrap_or_else(|| b"\n".to_vec());
    if sep.is_empty() {
        if m.flag("regex") {
            return Err(Error::new(1, "separator cannot be empty"));
        }
        // GNU takes the C string's terminator: an empty separator is NUL.
        sep.push(0);
    }
    let before = m.flag("before");
    let re = if m.flag("regex") {
        match Regex::new(&sep, Flags(0)) {
            Ok(r) => Some(r),
            Err(e) => return Err(Error::new(1, e.0.message())),
        }
    } else {
        None
    };
    let mut matcher = re.as_ref().map(|r| r.matcher());
    let dash = OsString::from("-");
    let files: Vec<&OsString> = if m.operands.is_empty() {
        vec![&dash]
    } else {
        m.operands.iter().collect()
    };
    let mut data = Vec::new();
    for name in files {
        let nb = name.as_bytes();
        let input = match Input::open(nb) {
            Ok(i) => i,
            Err(e) => {
                let mut msg = b"failed to open ".to_vec();
                msg.extend_from_slice(&quote_always(nb));
                msg.extend_from_slice(b" for reading: ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.error(1, &msg);
                continue;
            }
        };
        let fd = input.fd();
        data.clear();
        let mut r = Ok(0);
        if let Ok(st) = sysfd::fstat(fd) {
            match st.st_mode & libc::S_IFMT {
                libc::S_IFREG => data.reserve(st.st_size.max(0) as usize + 1),
                // GNU's reading from the end meets EINVAL on a directory.
                libc::S_IFDIR => r = Err(std::io::Error::from_raw_os_error(libc::EINVAL)),
                _ => {}
            }
        }
        if let Err(e) = r.and_then(|_| sysfd::read_to_end(fd, &mut data)) {
            let mut msg = if nb == b"-" {
                b"'standard input'".to_vec()
            } else {
                quote_if_needed(nb)
            };
            msg.extend_from_slice(b": read error: ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            ctx.error(1, &msg);
            continue;
        }
        // The separators' spans, in order.
        let mut seps: Vec<(usize, usize)> = Vec::new();
        match matcher.as_mut() {
            Some(mt) => {
                let mut at = 0;
                while at < data.len() {
                    match mt.find_at(&data, at, 0) {
                        Some((s, e)) if e > s => {
                            seps.push((s, e));
                            at = e;
                        }
                        Some((s, _)) => at = s + 1,
                        None => break,
                    }
                }
            }
            None if sep.len() == 1 => {
                seps.extend(memchr::memchr_iter(sep[0], &data).map(|p| (p, p + 1)))
            }
            None => seps.extend(memchr::memmem::find_iter(&data, &sep).map(|p| (p, p + sep.len()))),
        }
        // Record boundaries: after each separator, or at each separator with -b.
        let mut cuts: Vec<usize> = Vec::with_capacity(seps.len() + 2);
        cuts.push(0);
        cuts.extend(seps.iter().map(|&(s, e)| if before { s } else { e }));
        cuts.push(data.len());
        cuts.dedup();
        for w in cuts.windows(2).rev() {
            ctx.out.write_all(&data[w[0]..w[1]])?;
        }
    }
    Ok(())
}
