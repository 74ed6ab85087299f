//! `uniq`: report or omit repeated adjacent lines.
//!
//! Follows GNU coreutils 9.1 uniq: `-c`, `-d`, `-D`/`--all-repeated[=none|prepend|separate]`,
//! `--group[=separate|prepend|append|both]`, `-u`, `-i`, `-f N`, `-s N`, `-w N`, `-z`, the
//! operands `[INPUT [OUTPUT]]`, GNU's messages (`--group is mutually exclusive with
//! -c/-d/-D/-u`, `x: invalid number of fields to skip`, ...). Fields are runs of blanks then
//! non-blanks; a last line without a newline gets one.
//! Deviation: the obsolete `-N`/`+N` forms are not accepted; `-i` folds ASCII only (C locale).

use std::ffi::OsString;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::io::{Input, Out, BUF_SIZE};
use crate::common::lines::Lines;
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("count", Some(b'c'), Some("count")),
        Opt::flag("repeated", Some(b'd'), Some("repeated")),
        Opt::optional("all-repeated", None, Some("all-repeated")),
        Opt::flag("D", Some(b'D'), None),
        Opt::optional("group", None, Some("group")),
        Opt::arg("skip-fields", Some(b'f'), Some("skip-fields")),
        Opt::flag("ignore-case", Some(b'i'), Some("ignore-case")),
        Opt::arg("skip-chars", Some(b's'), Some("skip-chars")),
        Opt::flag("unique", Some(b'u'), Some("unique")),
        Opt::arg("check-chars", Some(b'w'), Some("check-chars")),
        Opt::flag("zero", Some(b'z'), Some("zero-terminated")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: uniq [OPTION]... [INPUT [OUTPUT]]
Filter adjacent matching lines from INPUT (or standard input),
writing to OUTPUT (or standard output).

With no options, matching lines are merged to the first occurrence.

Mandatory arguments to long options are mandatory for short options too.
  -c, --count           prefix lines by the number of occurrences
  -d, --repeated        only print duplicate lines, one for each group
  -D                    print all duplicate lines
      --all-repeated[=METHOD]  like -D, but allow separating groups
                                 with an empty line;
                                 METHOD={none(default),prepend,separate}
  -f, --skip-fields=N   avoid comparing the first N fields
      --group[=METHOD]  show all items, separating groups with an empty line;
                          METHOD={separate(default),prepend,append,both}
  -i, --ignore-case     ignore differences in case when comparing
  -s, --skip-chars=N    avoid comparing the first N characters
  -u, --unique          only print unique lines
  -z, --zero-terminated     line delimiter is NUL, not newline
  -w, --check-chars=N   compare no more than N characters in lines
      --help        display this help and exit
      --version     output version information and exit

A field is a run of blanks (usually spaces and/or TABs), then non-blank
characters.  Fields are skipped before chars.

Note: 'uniq' does not detect repeated lines unless they are adjacent.
You may want to sort the input first, or use 'sort -u' without 'uniq'.
Also, comparing lines can be tricky for ranges of characters within sorted text.
"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Delim {
    None,
    Prepend,
    Separate,
    Append,
    Both,
}

struct Cfg {
    count: bool,
    repeated: bool,
    unique: bool,
    /// -D or --all-repeated: the method.
    all: Option<Delim>,
    group: Option<Delim>,
    fields: usize,
    chars: usize,
    check: usize,
    icase: bool,
    eol: u8,
}

fn usage(ctx: &mut Ctx, m: &[u8]) -> Error {
    ctx.msg(m);
    ctx.try_help();
    Error::silent(1)
}

fn size(v: &[u8], what: &str) -> Result<usize> {
    match crate::common::num::xstrtoumax(v, b"") {
        Ok(n) => Ok(n.min(usize::MAX as u64) as usize),
        Err((crate::common::num::XErr::Overflow, _)) => Ok(usize::MAX),
        Err(_) => {
            let mut m = v.to_vec();
            m.extend_from_slice(b": ");
            m.extend_from_slice(what.as_bytes());
            Err(Error::new(1, m))
        }
    }
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut c = Cfg {
        count: false,
        repeated: false,
        unique: false,
        all: None,
        group: None,
        fields: 0,
        chars: 0,
        check: usize::MAX,
        icase: false,
        eol: b'\n',
    };
    for (id, v) in &m.opts {
        let val = v.as_ref().map(|v| v.as_bytes());
        match Id::of(id.as_bytes()) {
            Some(Id::Count) => c.count = true,
            Some(Id::Repeated) => c.repeated = true,
            Some(Id::Unique) => c.unique = true,
            Some(Id::CapD) => c.all = Some(Delim::None),
            Some(Id::AllRepeated) => {
                c.all = Some(match val {
                    None => Delim::None,
                    Some(v) => {
                        static K: &[(&str, Delim)] = &[
                            ("none", Delim::None),
                            ("prepend", Delim::Prepend),
                            ("separate", Delim::Separate),
                        ];
                        args::argmatch(ctx, "--all-repeated", v, K, 1)?
                    }
                })
            }
            Some(Id::Group) => {
                c.group = Some(match val {
                    None => Delim::Separate,
                    Some(v) => {
                        static K: &[(&str, Delim)] = &[
                            ("prepend", Delim::Prepend),
                            ("append", Delim::Append),
                            ("separate", Delim::Separate),
                            ("both", Delim::Both),
                        ];
                        args::argmatch(ctx, "--group", v, K, 1)?
                    }
                })
            }
            Some(Id::SkipFields) => {
                c.fields = size(val.unwrap(), "invalid number of fields to skip")?
            }
            Some(Id::SkipChars) => c.chars = size(val.unwrap(), "invalid number of bytes to skip")?,
            Some(Id::CheckChars) => {
                c.check = size(val.unwrap(), "invalid number of bytes to compare")?
            }
            Some(Id::IgnoreCase) => c.icase = true,
            Some(Id::Zero) => c.eol = 0,
            _ => {}
        }
    }
    if m.operands.len() > 2 {
        return Err(usage(
            ctx,
            &args::extra_operand_msg(m.operands[2].as_bytes()),
        ));
    }
    if c.group.is_some() && (c.count || c.repeated || c.unique || c.all.is_some()) {
        return Err(usage(
            ctx,
            b"--group is mutually exclusive with -c/-d/-D/-u",
        ));
    }
    if c.all.is_some() && c.count {
        return Err(usage(
            ctx,
            b"printing all duplicated lines and repeat counts is meaningless",
        ));
    }
    let open_err = |name: &[u8], e: &std::io::Error| {
        let mut msg = quote_if_needed(name);
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(strerror(e).as_bytes());
        Error::new(1, msg)
    };
    let input = m.operands.first().map(|o| o.as_bytes()).unwrap_or(b"-");
    let opened = Input::open(input).map_err(|e| open_err(input, &e))?;
    let fd = opened.fd();
    let output = m
        .operands
        .get(1)
        .map(|o| o.as_bytes())
        .filter(|o| *o != b"-");
    let owned_out = match output {
        Some(o) => Some(
            sysfd::open(
                o,
                libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                0o666,
            )
            .map_err(|e| open_err(o, &e))?,
        ),
        None => None,
    };
    let saved = owned_out.as_ref().map(|f| {
        std::mem::replace(
            &mut ctx.out,
            Out::on(sysfd::borrow_raw(f.as_raw_fd()), BUF_SIZE),
        )
    });
    let r = uniq(fd, &c, ctx);
    if let Some(s) = saved {
        // Flush into the file while it is open, then give fd 1 its writer back.
        let fl = ctx.out.flush();
        ctx.out = s;
        fl.map_err(|e| Error::write(&e))?;
    }
    match r {
        Ok(()) => Ok(()),
        Err(Fail::Read) => {
            // GNU's words, without the reason.
            let mut msg = b"error reading ".to_vec();
            msg.extend_from_slice(&quote_always(input));
            Err(Error::new(1, msg))
        }
        Err(Fail::Write(e)) => Err(Error::write(&e)),
    }
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Count = "count",
        Repeated = "repeated",
        Unique = "unique",
        CapD = "D",
        AllRepeated = "all-repeated",
        Group = "group",
        SkipFields = "skip-fields",
        SkipChars = "skip-chars",
        CheckChars = "check-chars",
        IgnoreCase = "ignore-case",
        Zero = "zero",
    }
}

enum Fail {
    Read,
    Write(std::io::Error),
}

fn key<'a>(line: &'a [u8], c: &Cfg) -> &'a [u8] {
    let mut i = 0;
    for _ in 0..c.fields {
        while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
            i += 1;
        }
        while i < line.len() && line[i] != b' ' && line[i] != b'\t' {
            i += 1;
        }
        if i == line.len() {
            break;
        }
    }
    let i = i.saturating_add(c.chars).min(line.len());
    let end = i.saturating_add(c.check).min(line.len());
    &line[i..end]
}

fn same(a: &[u8], b: &[u8], c: &Cfg) -> bool {
    let (ka, kb) = (key(a, c), key(b, c));
    if c.icase {
        ka.eq_ignore_ascii_case(kb)
    } else {
        ka == kb
    }
}

fn put(ctx: &mut Ctx, line: &[u8], count: Option<u64>, eol: u8) -> std::result::Result<(), Fail> {
    let out = ctx.out.buf_mut();
    if let Some(n) = count {
        let mut b = [0u8; 20];
        let d = crate::common::num::digits(&mut b, n);
        for _ in d.len()..7 {
            out.push(b' ');
        }
        out.extend_from_slice(d);
        out.push(b' ');
    }
    out.extend_from_slice(line);
    out.push(eol);
    ctx.out.maybe_flush().map_err(Fail::Write)
}

fn uniq(fd: BorrowedFd, c: &Cfg, ctx: &mut Ctx) -> std::result::Result<(), Fail> {
    let mut lines = Lines::new();
    let mut prev: Vec<u8> = Vec::new();
    let mut have = false;
    let mut n: u64 = 0;
    let eol = c.eol;
    // -D / --group: lines are printed as they come.
    let streaming = c.all.is_some() || c.group.is_some();
    let mut groups = 0u64;
    loop {
        let next = lines.next(fd, eol).map_err(|_| Fail::Read)?;
        let Some((line, _)) = next else { break };
        if have && same(&prev, line, c) {
            n += 1;
            if let Some(d) = c.all {
                if n == 1 {
                    if groups > 0 && d != Delim::None || groups == 0 && d == Delim::Prepend {
                        ctx.out.buf_mut().push(eol);
                    }
                    groups += 1;
                    if !c.unique {
                        put(ctx, &prev, None, eol)?;
                    }
                }
                if c.unique {
                    // GNU's -D writes each line as the next one proves it repeated, and -u
                    // drops the one left when the group ends: all but the last.
                    put(ctx, &prev, None, eol)?;
                    prev.clear();
                    prev.extend_from_slice(line);
                } else {
                    put(ctx, line, None, eol)?;
                }
            } else if c.group.is_some() {
                put(ctx, line, None, eol)?;
            }
            continue;
        }
        // A new group starts with `line`.
        if have && !streaming {
            flush_group(ctx, c, &prev, n)?;
        }
        if let Some(g) = c.group {
            if have || matches!(g, Delim::Prepend | Delim::Both) {
                ctx.out.buf_mut().push(eol);
            }
            put(ctx, line, None, eol)?;
        }
        prev.clear();
        prev.extend_from_slice(line);
        have = true;
        n = 0;
    }
    if have && !streaming {
        flush_group(ctx, c, &prev, n)?;
    }
    if have && matches!(c.group, Some(Delim::Append | Delim::Both)) {
        ctx.out.buf_mut().push(eol);
    }
    Ok(())
}

/// The end of a group of `n + 1` equal lines whose first is `line`.
fn flush_group(ctx: &mut Ctx, c: &Cfg, line: &[u8], n: u64) -> std::result::Result<(), Fail> {
    let dup = n > 0;
    if (c.repeated && !dup) || (c.unique && dup) {
        return Ok(());
    }
    put(ctx, line, c.count.then_some(n + 1), c.eol)
}
