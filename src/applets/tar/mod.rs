//! `tar`: GNU-compatible archiver — create, extract, list, append, update, delete; gzip, bzip2,
//! xz and zstd in-process; safe extraction by default.
//!
//! Follows GNU tar 1.34's documented behaviour: the three option syntaxes, `-C` positional
//! among operands, member selection with `--wildcards`, GNU's messages (`Cannot stat`,
//! `Removing leading '/' from member names`, `Exiting with failure status due to previous
//! errors`) and exit codes (0; 1 when a file changed while being read; 2 on errors; 64 for a bad
//! option). Archives are POSIX ustar with pax extended headers where needed; ustar, pax, GNU
//! (long names, sparse, base-256) and v7 archives are read.
//!
//! Safety on extraction: leading `/` and `../` prefixes are stripped, members containing `..`
//! are refused, and every file-system operation resolves names beneath the target directory
//! with openat2(RESOLVE_BENEATH) (or, on kernels without it, component by component refusing
//! symlinks), so neither a symlink already on disk nor one planted by an earlier member can
//! lead a write outside the target.
//!
//! Deviations: `--format=gnu` writes ustar + pax (readable by every tar) rather than GNU's
//! own long-name headers; sub-second mtimes are stored only with `--format=pax`/`posix` (as
//! GNU's default gnu format, which drops them too); `-S` is accepted but holes are stored as
//! data on create (sparse members are read and extracted as sparse); no remote archives
//! (`host:file`), no `--transform`, no multi-volume; `-I`/`--use-compress-program` is refused
//! (a scratch image has no external compressors); the quoting of non-ASCII names follows the
//! C locale.

pub mod archive;
pub mod compress;
pub mod create;
pub mod extract;
pub mod header;
pub mod list;
pub mod matching;
pub mod opts;
pub mod update;

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::RawFd;

use crate::common::{Ctx, Error, Result};
use archive::{Input, Output, ReadErr, Reader};
use matching::{Excluder, Selector};
use opts::{Mode, NameArg, Opts};

pub use opts::USAGE;

/// Messages reported once per run (stripped prefixes).
#[derive(Default)]
pub struct Msgs {
    reported: Vec<(Vec<u8>, bool)>,
}

/// A name in a diagnostic, as GNU tar quotes it (escape style, ':' escaped).
pub fn diag_name(name: &[u8]) -> Vec<u8> {
    let mut q = Vec::with_capacity(name.len() + 2);
    list::show_name(&mut q, name);
    if q.contains(&b':') {
        let mut r = Vec::with_capacity(q.len() + 4);
        for c in q {
            if c == b':' {
                r.push(b'\\');
            }
            r.push(c);
        }
        return r;
    }
    q
}

/// `tar: NAME: WHAT: strerror`, recorded with `code`.
pub fn file_error(ctx: &mut Ctx, name: &[u8], what: &str, e: &std::io::Error, code: i32) {
    let mut m = diag_name(name);
    m.extend_from_slice(b": ");
    m.extend_from_slice(what.as_bytes());
    m.extend_from_slice(b": ");
    m.extend_from_slice(crate::common::ctx::strerror(e).as_bytes());
    ctx.error(code, &m);
}

/// A fatal error about a file: message, then GNU's "not recoverable" line.
pub fn fatal_file(ctx: &mut Ctx, name: &[u8], what: &str, e: &std::io::Error) -> Error {
    file_error(ctx, name, what, e, 2);
    Error::new(2, "Error is not recoverable: exiting now")
}

pub fn fatal(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.error(2, msg);
    Error::new(2, "Error is not recoverable: exiting now")
}

pub fn archive_write_error(ctx: &mut Ctx, o: &Opts, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Error::silent(2);
    }
    let name = archive_label(o);
    fatal_file(ctx, &name, "Cannot write", e)
}

fn archive_label(o: &Opts) -> Vec<u8> {
    match &o.file {
        Some(f) if f.as_bytes() != b"-" => f.as_bytes().to_vec(),
        _ => b"stdout".to_vec(),
    }
}

pub fn read_error(ctx: &mut Ctx, e: ReadErr) -> Error {
    match e {
        ReadErr::NotTar => {
            ctx.error(2, b"This does not look like a tar archive");
            Error::silent(2)
        }
        ReadErr::Eof => fatal(ctx, b"Unexpected EOF in archive"),
        ReadErr::Io(e) => {
            let mut m = b"Read error: ".to_vec();
            m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
            fatal(ctx, &m)
        }
        ReadErr::Malformed(what) => {
            let mut m = b"Malformed archive: ".to_vec();
            m.extend_from_slice(what.as_bytes());
            fatal(ctx, &m)
        }
    }
}

/// GNU's safer_name_suffix: drop everything up to the last `..` component and any leading
/// slashes, reporting each distinct removed prefix once. Returns the remaining name ("." if
/// nothing remains).
pub fn safer_name(ctx: &mut Ctx, msgs: &mut Msgs, name: &[u8], link: bool) -> Vec<u8> {
    let mut prefix_len = 0;
    let mut p = 0;
    while p < name.len() {
        if name[p] == b'.'
            && name.get(p + 1) == Some(&b'.')
            && (name.get(p + 2) == Some(&b'/') || p + 2 == name.len())
        {
            prefix_len = p + 2;
        }
        // Advance past this component and its slash.
        while p < name.len() {
            let c = name[p];
            p += 1;
            if c == b'/' {
                break;
            }
        }
    }
    let mut q = prefix_len;
    while q < name.len() && name[q] == b'/' {
        q += 1;
    }
    if q > 0 {
        let prefix = name[..q].to_vec();
        if !msgs
            .reported
            .iter()
            .any(|(p, l)| *p == prefix && *l == link)
        {
            let mut m = b"Removing leading '".to_vec();
            m.extend_from_slice(&prefix);
            m.extend_from_slice(if link {
                b"' from hard link targets"
            } else {
                b"' from member names"
            });
            ctx.msg(&m);
            msgs.reported.push((prefix, link));
        }
    }
    if q == name.len() {
        return b".".to_vec();
    }
    name[q..].to_vec()
}

/// Whether a name has a `..` component.
pub fn contains_dot_dot(name: &[u8]) -> bool {
    name.split(|&c| c == b'/').any(|c| c == b"..")
}

/// `--totals`: `Total bytes written: 10240 (10KiB, 4.9MiB/s)`.
pub fn print_totals(ctx: &mut Ctx, o: &Opts, what: &str, n: u64) {
    let h = human(n);
    let secs = o.start.elapsed().as_secs_f64().max(1e-6);
    let rate = human((n as f64 / secs) as u64);
    let line = format!("{what}: {n} ({h}, {rate}/s)\n");
    let _ = ctx.out.flush();
    crate::common::io::write_all_fd(2, line.as_bytes()).ok();
}

fn human(n: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n}B")
    } else if v < 10.0 {
        format!("{:.1}{}", v, units[u])
    } else {
        format!("{:.0}{}", v, units[u])
    }
}

pub fn ctx_msg(e: &std::io::Error) -> String {
    crate::common::ctx::strerror(e)
}

fn cpath(b: &[u8]) -> Vec<u8> {
    let mut v = b.to_vec();
    v.push(0);
    v
}

fn is_tty(fd: RawFd) -> bool {
    // SAFETY: isatty has no preconditions.
    unsafe { libc::isatty(fd) == 1 }
}

/// Open the archive for reading: (fd, close-on-drop).
fn open_read(ctx: &mut Ctx, o: &Opts) -> Result<(RawFd, bool)> {
    match &o.file {
        Some(f) if f.as_bytes() != b"-" => {
            let c = cpath(f.as_bytes());
            // SAFETY: c is NUL-terminated.
            let fd = unsafe { libc::open(c.as_ptr().cast(), libc::O_RDONLY | libc::O_CLOEXEC) };
            if fd < 0 {
                let e = create::last_err();
                return Err(fatal_file(ctx, f.as_bytes(), "Cannot open", &e));
            }
            Ok((fd, true))
        }
        _ => {
            if is_tty(0) {
                return Err(fatal(
                    ctx,
                    b"Refusing to read archive contents from terminal (missing -f option?)",
                ));
            }
            Ok((0, false))
        }
    }
}

fn collect_names(ctx: &mut Ctx, o: &Opts) -> Result<(Vec<Vec<u8>>, Vec<OsString>)> {
    let mut pats = Vec::new();
    let mut dirs = Vec::new();
    for n in &o.names {
        match n {
            NameArg::Name(p) => pats.push(p.clone()),
            NameArg::Dir(d) => dirs.push(d.clone()),
            NameArg::FilesFrom(f) => {
                let l = opts::read_names_file(f, o.null)
                    .map_err(|e| fatal_file(ctx, f.as_bytes(), "Cannot open", &e))?;
                pats.extend(l);
            }
        }
    }
    Ok((pats, dirs))
}

fn excluder(ctx: &mut Ctx, o: &Opts) -> Result<Excluder> {
    let mut pats = o.excludes.clone();
    for f in &o.exclude_from {
        let l = opts::read_names_file(f, false)
            .map_err(|e| fatal_file(ctx, f.as_bytes(), "Cannot open", &e))?;
        pats.extend(l);
    }
    let mut e = Excluder::new(pats);
    e.vcs = o.exclude_vcs;
    e.icase = o.ignore_case;
    if let Some(a) = o.anchored {
        e.anchored = a;
    }
    if let Some(w) = o.wildcards {
        e.wildcards = w;
    }
    Ok(e)
}

fn selector(o: &Opts, pats: Vec<Vec<u8>>) -> Selector {
    let mut s = Selector::new(pats);
    s.wildcards = o.wildcards.unwrap_or(false);
    s.anchored = o.anchored.unwrap_or(true);
    s.slash = o.wildcards_slash;
    s.icase = o.ignore_case;
    s.recursive = o.recursion;
    s
}

/// Report operands that matched nothing: `tar: NAME: Not found in archive`, after GNU's hint
/// when such a name looks like a pattern and --wildcards was not given.
fn report_unmatched(ctx: &mut Ctx, sel: &Selector, wildcards_given: bool) {
    let hint = !wildcards_given
        && sel
            .pats
            .iter()
            .enumerate()
            .any(|(i, (p, _))| !sel.used[i] && matching::has_wildcards(p));
    if hint {
        ctx.msg(b"Pattern matching characters used in file names");
        ctx.msg(b"Use --wildcards to enable pattern matching, or --no-wildcards to suppress this warning");
    }
    for (i, (p, _)) in sel.pats.iter().enumerate() {
        if !sel.used[i] {
            let mut m = diag_name(p);
            m.extend_from_slice(b": Not found in archive");
            ctx.error(2, &m);
        }
    }
}

/// Fuzz entry: run the header parsers and the whole member reader (listing, skipping data,
/// expanding sparse members) over `data`. Must never panic, whatever the bytes.
pub fn fuzz_one(data: &[u8]) {
    for chunk in data.chunks_exact(header::BLOCK) {
        let _ = header::parse_header(chunk);
        let _ = header::parse_pax(chunk, |_, _| {});
    }
    let _ = header::parse_pax(data, |_, _| {});
    // SAFETY: memfd_create with a NUL-terminated name.
    let fd = unsafe { libc::memfd_create(c"tar-fuzz".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return;
    }
    if crate::common::io::write_all_fd(fd, data).is_err() {
        // SAFETY: we own fd.
        unsafe { libc::close(fd) };
        return;
    }
    // SAFETY: valid fd.
    unsafe { libc::lseek(fd, 0, libc::SEEK_SET) };
    let Ok(input) = Input::new(fd, true, None) else {
        return;
    };
    let mut r = Reader::new(input);
    for _ in 0..100_000 {
        match r.next_entry() {
            Ok(Some(e)) => {
                let res = match &e.sparse {
                    // Bounded: a hostile real size would only make the fuzzer write zeros.
                    Some(sp) if sp.real_size <= 1 << 24 => {
                        let mut sink = 0u64;
                        extract::sparse_to(&mut r, sp, e.size, |b| {
                            sink += b.len() as u64;
                            Ok(())
                        })
                        .and_then(|_| r.input.skip(archive::padding(e.size)))
                    }
                    _ => r.input.skip(e.size + archive::padding(e.size)),
                };
                if res.is_err() {
                    break;
                }
            }
            _ => break,
        }
    }
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let o = match opts::parse(ctx, argv) {
        Ok(Some(o)) => o,
        Ok(None) => return ctx.finish(Ok(())),
        Err(e) => return ctx.finish(Err(e)),
    };
    let r = run(&o, ctx);
    let fatal_msg = matches!(&r, Err(e) if !e.msg.is_empty());
    let code = ctx.finish(r);
    if code == 2 && !fatal_msg {
        ctx.msg(b"Exiting with failure status due to previous errors");
    }
    code
}

fn run(o: &Opts, ctx: &mut Ctx) -> Result<()> {
    match o.mode {
        Mode::Create => {
            let (fd, close) = match &o.file {
                Some(f) if f.as_bytes() != b"-" => {
                    let c = cpath(f.as_bytes());
                    // SAFETY: c is NUL-terminated.
                    let fd = unsafe {
                        libc::open(
                            c.as_ptr().cast(),
                            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                            0o666,
                        )
                    };
                    if fd < 0 {
                        let e = create::last_err();
                        return Err(fatal_file(ctx, f.as_bytes(), "Cannot open", &e));
                    }
                    (fd, true)
                }
                _ => {
                    if is_tty(1) {
                        return Err(fatal(
                            ctx,
                            b"Refusing to write archive contents to terminal (missing -f option?)",
                        ));
                    }
                    (1, false)
                }
            };
            let to_stdout = !close;
            let out = Output::new(fd, close, o.codec, o.record)
                .map_err(|e| archive_write_error(ctx, o, &e))?;
            let excl = excluder(ctx, o)?;
            let mut c = create::Creator::new(o, out, excl, to_stdout);
            c.run(ctx)?;
            c.finish(ctx)
        }
        Mode::List | Mode::Extract | Mode::Diff => {
            let (fd, close) = open_read(ctx, o)?;
            let input = Input::new(fd, close, o.codec).map_err(|e| {
                let name = o.file.clone().unwrap_or_else(|| OsString::from("-"));
                fatal_file(ctx, name.as_bytes(), "Cannot read", &e)
            })?;
            let mut reader = Reader::new(input);
            reader.ignore_zeros = o.ignore_zeros;
            let (pats, dirs) = collect_names(ctx, o)?;
            let mut sel = selector(o, pats);
            let excl = excluder(ctx, o)?;
            let r = match o.mode {
                Mode::List => list::list(ctx, o, &mut reader, &mut sel, &excl),
                Mode::Diff => extract::diff(ctx, o, &mut reader, &mut sel, &excl, &dirs),
                _ => extract::extract(ctx, o, &mut reader, &mut sel, &excl, &dirs),
            };
            r?;
            reader
                .input
                .finish()
                .map_err(|e| read_error(ctx, ReadErr::Io(e)))?;
            report_unmatched(ctx, &sel, o.wildcards.is_some());
            if o.totals && o.mode != Mode::Diff {
                // GNU counts whole records.
                let n = reader.input.consumed.div_ceil(o.record) * o.record;
                print_totals(ctx, o, "Total bytes read", n);
            }
            Ok(())
        }
        Mode::Append | Mode::Update | Mode::Delete | Mode::Concatenate => {
            let name = match &o.file {
                Some(f) if f.as_bytes() != b"-" => f.clone(),
                _ => {
                    return Err(fatal(
                        ctx,
                        b"Options '-Aru' and '--delete' need a seekable archive file (-f)",
                    ));
                }
            };
            update::run(ctx, o, OsStr::new(&name))
        }
    }
}
