//! `tar`: GNU-compatible archiver — create, extract, list, append, update, delete; gzip, bzip2,
//! xz and zstd in-process; safe extraction by default.
//!
//! Follows GNU tar 1.34's documented behaviour: the three option syntaxes, `-C` positional
//! among operands, member selection with `--wildcards`, GNU's messages (`Cannot stat`,
//! ``Removing leading `/' from member names``, `Exiting with failure status due to previous
//! errors`) and exit codes (0; 1 when a file changed while being read; 2 on errors; 64 for a bad
//! option). Archives are written byte for byte as GNU tar 1.34 writes them: its default `gnu`
//! format (`././@LongLink` records, base-256 numbers, old GNU sparse headers with `-S`), and
//! `oldgnu`, `ustar`, `pax`/`posix` (with `--pax-option`, GNU's pax sparse formats) and `v7`;
//! every one of these is read too.
//!
//! Safety on extraction: leading `/` and `../` prefixes are stripped, members containing `..`
//! are refused, and every file-system operation resolves names beneath the target directory
//! with openat2(RESOLVE_BENEATH) (or, on kernels without it, component by component refusing
//! symlinks), so neither a symlink already on disk nor one planted by an earlier member can
//! lead a write outside the target.
//!
//! `--transform` (transform.rs) reads sed's `s` expressions with the parser sed uses; the
//! messages of a failing decompression are those of GNU tar's gzip/bzip2/xz/zstd child.
//!
//! Deviations: no remote archives (`host:file`), no multi-volume; `-I`/`--use-compress-program` is refused
//! (a scratch image has no external compressors); the quoting of non-ASCII names follows the
//! C locale.

pub mod archive;
pub mod compress;
pub mod create;
pub mod diag;
pub mod extract;
pub mod header;
pub mod list;
pub mod matching;
pub mod opts;
pub mod pipeline;
pub mod transform;
pub mod update;

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

use crate::common::sys::fd::{self as sys, AsFd};
use crate::common::{Ctx, Result};
use archive::{ArchiveFd, Input, Output, ReadErr, Reader};
use diag::{fatal, fatal_file, read_error, report_unmatched};
use matching::{Excluder, Selector};
use opts::{Mode, NameArg, Opts};

pub use opts::USAGE;

/// Open the archive named by `-f`, or take standard input or output (for `-f -` or no `-f`)
/// unless it is a terminal, as GNU tar refuses.
fn open_archive(ctx: &mut Ctx, o: &Opts, write: bool) -> Result<ArchiveFd> {
    let (flags, std, refusal): (_, _, &[u8]) = if write {
        (
            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
            crate::common::io::stdout_fd(),
            b"Refusing to write archive contents to terminal (missing -f option?)",
        )
    } else {
        (
            libc::O_RDONLY,
            crate::common::io::stdin_fd(),
            b"Refusing to read archive contents from terminal (missing -f option?)",
        )
    };
    match &o.file {
        Some(f) if f.as_bytes() != b"-" => {
            match sys::open(f.as_bytes(), flags | libc::O_CLOEXEC, 0o666) {
                Ok(fd) => Ok(ArchiveFd::Owned(fd)),
                // GNU tar opens a compressed archive in its (de)compressor child.
                Err(e) if o.codec.is_some() => {
                    let mut m = b"tar (child): ".to_vec();
                    m.extend_from_slice(&diag::diag_name(f.as_bytes()));
                    m.extend_from_slice(b": Cannot open: ");
                    m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                    m.extend_from_slice(b"\ntar (child): Error is not recoverable: exiting now\n");
                    let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &m);
                    Err(fatal(ctx, b"Child returned status 2"))
                }
                Err(e) => Err(fatal_file(ctx, f.as_bytes(), "Cannot open", &e)),
            }
        }
        _ if sys::isatty(std) => Err(fatal(ctx, refusal)),
        _ => Ok(ArchiveFd::Std(std)),
    }
}

/// The member operands, each with whether `--recursion` was in force for it; the `-C`s; and
/// for each operand how many of the `-C`s come before it (GNU extracts what an operand selects
/// in the directory the `-C`s before it lead to).
struct Names {
    pats: Vec<(Vec<u8>, bool)>,
    dirs: Vec<OsString>,
    chain: Vec<usize>,
}

fn collect_names(ctx: &mut Ctx, o: &Opts) -> Result<Names> {
    let mut pats = Vec::new();
    let mut dirs = Vec::new();
    let mut chain = Vec::new();
    let mut recursive = true;
    let mut todo: std::collections::VecDeque<NameArg> = o.names.iter().cloned().collect();
    let mut read_lists = std::collections::HashSet::new();
    while let Some(n) = todo.pop_front() {
        match n {
            NameArg::Name(p) => {
                pats.push((p, recursive));
                chain.push(dirs.len());
            }
            NameArg::Dir(d) => dirs.push(d),
            NameArg::Recursion(r) => recursive = r,
            // A list naming itself again (GNU refuses a second reading) is not reread.
            NameArg::FilesFrom(f) if !read_lists.insert(f.clone()) => {}
            NameArg::FilesFrom(f) => {
                let l = opts::read_names_file(&f, o.null)
                    .map_err(|e| fatal_file(ctx, f.as_bytes(), "Cannot open", &e))?;
                for it in opts::list_items(l, o.null).into_iter().rev() {
                    todo.push_front(it);
                }
            }
        }
    }
    Ok(Names { pats, dirs, chain })
}

fn excluder(ctx: &mut Ctx, o: &Opts) -> Result<Excluder> {
    let mut pats = o.excludes.clone();
    for (f, flags, after) in &o.exclude_from {
        let l = opts::read_names_file(f, false)
            .map_err(|e| fatal_file(ctx, f.as_bytes(), "Cannot open", &e))?;
        pats.extend(l.into_iter().map(|pat| matching::ExclPat {
            pat,
            flags: *flags,
            after: *after,
        }));
    }
    let mut e = Excluder::new(pats);
    e.vcs = o.exclude_vcs;
    Ok(e)
}

fn selector(o: &Opts, pats: Vec<(Vec<u8>, bool)>) -> Selector {
    let mut s = Selector::new(pats);
    s.wildcards = o.wildcards.unwrap_or(false);
    s.anchored = o.anchored.unwrap_or(true);
    s.slash = o.wildcards_slash;
    s.icase = o.ignore_case;
    s
}

/// Fuzz entry: run the header parsers and the whole member reader (listing, skipping data,
/// expanding sparse members) over `data`. Must never panic, whatever the bytes.
pub fn fuzz_one(data: &[u8]) {
    for chunk in data.chunks_exact(header::BLOCK) {
        let _ = header::parse_header(chunk);
        let _ = header::parse_pax(chunk, |_, _| {});
    }
    let _ = header::parse_pax(data, |_, _| {});
    let Ok(fd) = crate::common::sys::fs::memfd_create(b"tar-fuzz", libc::MFD_CLOEXEC) else {
        return;
    };
    if sys::write_all(fd.as_fd(), data).is_err() {
        return;
    }
    let _ = sys::lseek(fd.as_fd(), 0, libc::SEEK_SET);
    let Ok(input) = Input::new(ArchiveFd::Owned(fd), None) else {
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
            Err(ReadErr::Skip) => {}
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
            let fd = open_archive(ctx, o, true)?;
            let to_stdout = matches!(fd, ArchiveFd::Std(_));
            let out = Output::new(fd, o.codec, o.record)
                .map_err(|e| diag::archive_write_error(ctx, o, &e))?;
            let excl = excluder(ctx, o)?;
            let mut c = create::Creator::new(o, out, excl, to_stdout);
            c.run(ctx)?;
            c.finish(ctx).map(drop)
        }
        Mode::List | Mode::Extract | Mode::Diff => {
            let fd = open_archive(ctx, o, false)?;
            let input = Input::new(fd, o.codec).map_err(|e| {
                let name = o.file.clone().unwrap_or_else(|| OsString::from("-"));
                fatal_file(ctx, name.as_bytes(), "Cannot read", &e)
            })?;
            let mut reader = Reader::new(input);
            reader.ignore_zeros = o.ignore_zeros;
            let names = collect_names(ctx, o)?;
            let dirs = names.dirs;
            let mut sel = selector(o, names.pats);
            let excl = excluder(ctx, o)?;
            let r = match o.mode {
                Mode::List => list::list(ctx, o, &mut reader, &mut sel, &excl),
                Mode::Diff => extract::diff(ctx, o, &mut reader, &mut sel, &excl, &dirs),
                _ => extract::extract(ctx, o, &mut reader, &mut sel, &excl, &dirs, names.chain),
            };
            r?;
            reader
                .input
                .close_child()
                .map_err(|e| read_error(ctx, ReadErr::Io(e)))?;
            report_unmatched(ctx, &sel, o.wildcards.is_some());
            if o.totals && o.mode != Mode::Diff {
                // GNU counts whole records.
                let n = reader.input.consumed.div_ceil(o.record) * o.record;
                diag::print_totals(ctx, o, "Total bytes read", n);
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
