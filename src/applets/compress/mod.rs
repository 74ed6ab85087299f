//! `gzip`, `gunzip`, `zcat`, `bzip2`, `bunzip2`, `bzcat`, `xz`, `unxz`, `xzcat`, `zstd`,
//! `unzstd`, `zstdcat`: the compression front-ends on tar's codecs ([`crate::common::codec`]),
//! each family only when its codec feature is on.
//!
//! Follows GNU gzip 1.12, bzip2 1.0.8, xz-utils 5.4 and zstd 1.5: compress or decompress each
//! FILE to FILE.SUF (or back), `-` and no FILE meaning standard input to standard output;
//! `-c -d -k -f -t -q -v -r -S SUF -1..-9` (`--stdout --decompress --keep --force --test
//! --quiet --verbose --recursive --suffix --fast --best`), gzip's `-l -n -N`, bzip2's `-z -s`,
//! xz's `-e -T -z`, zstd's `-o --rm -19 --ultra -T`. The output gets the input's mode, owner
//! and times; it is written under its final name only by this run (created exclusively,
//! removed again on any error), and the input is removed only after the output is complete
//! (gzip, bzip2, xz; zstd keeps it unless `--rm`). Compressed data is not written to, nor read
//! from, a terminal without `-f`. Decompression takes concatenated members (and gzip's zero
//! padding), warns about trailing garbage as each tool does, and with `-f` and `-c` passes
//! data that is not compressed through unchanged (`zcat -f`). gzip writes GNU's header (name and
//! mtime unless `-n`; `-N` restores them on decompression). Messages and exit statuses are each
//! tool's (gzip: 1 error, 2 warning; bzip2: 1, 2 corrupt; xz: 1, 2 warning; zstd: 1).
//! Deviations: the compressed bytes differ from the reference tools' (the codecs are zlib-rs,
//! libbz2-rs, liblzma, libzstd at the same levels; the data round-trips both ways); no
//! interactive overwrite prompt (always "not overwritten" without `-f`); bzip2's `-s` and
//! xz's/zstd's threading options are accepted and ignored; `gzip -l` prints the compact
//! listing only (no `-v` method/crc/date columns).

#[cfg(feature = "tar-gzip")]
mod gz;
/// Without the gzip codec no gzip-family applet is built, so these are never reached; they
/// keep the shared front-end free of per-call-site feature gates.
#[cfg(not(feature = "tar-gzip"))]
mod gz {
    use super::{Done, Fail, Input, Opts, Runner};
    use crate::common::Ctx;
    use std::os::fd::BorrowedFd;

    fn absent() -> Fail {
        Fail::Corrupt("gzip support is not built in".into())
    }
    pub(super) fn compress(
        _: &mut Runner,
        _: &Input,
        _: Option<BorrowedFd>,
        _: Option<&[u8]>,
        _: u32,
    ) -> Result<Done, Fail> {
        Err(absent())
    }
    pub(super) fn decompress(
        _: &mut Runner,
        _: &Input,
        _: Option<BorrowedFd>,
    ) -> Result<Done, Fail> {
        Err(absent())
    }
    pub(super) fn peek_name(_: BorrowedFd) -> Option<Vec<u8>> {
        None
    }
    pub(super) fn list_one(_: &mut Ctx, _: &mut Runner, _: Input, _: &[u8]) {}
    pub(super) fn list_total(_: &mut Ctx, _: &Runner, _: usize) {}
}

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::codec::{self, Codec, Step};
use crate::common::help::{help_text, Help};
use crate::common::io::{stdin_fd, stdout_fd};
use crate::common::sys::fd as sysfd;
use crate::common::sys::fs as sysfs;
use crate::common::walk::{Action, Options as WalkOptions, Visit, Walker};
use crate::common::Ctx;

const CHUNK: usize = 128 * 1024;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fam {
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Fam {
    fn suffix(self) -> &'static [u8] {
        match self {
            Fam::Gzip => b".gz",
            Fam::Bzip2 => b".bz2",
            Fam::Xz => b".xz",
            Fam::Zstd => b".zst",
        }
    }
    fn codec(self) -> Codec {
        match self {
            Fam::Gzip => Codec::Gzip,
            Fam::Bzip2 => Codec::Bzip2,
            Fam::Xz => Codec::Xz,
            Fam::Zstd => Codec::Zstd,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Compress,
    Decompress,
    Test,
    List,
}

struct Opts {
    fam: Fam,
    mode: Mode,
    stdout: bool,
    keep: bool,
    force: bool,
    quiet: bool,
    verbose: bool,
    recursive: bool,
    level: Option<u32>,
    /// gzip: store (and restore, -N) the name and mtime.
    no_name: bool,
    name: bool,
    suffix: Vec<u8>,
    /// zstd -o FILE.
    output: Option<Vec<u8>>,
}

// ---------------------------------------------------------------------------------------------
// Entry points

pub fn gzip(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Gzip, Mode::Compress, false, argv, ctx)
}

pub fn gunzip(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Gzip, Mode::Decompress, false, argv, ctx)
}

pub fn zcat(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Gzip, Mode::Decompress, true, argv, ctx)
}

pub fn bzip2(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Bzip2, Mode::Compress, false, argv, ctx)
}

pub fn bunzip2(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Bzip2, Mode::Decompress, false, argv, ctx)
}

pub fn bzcat(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Bzip2, Mode::Decompress, true, argv, ctx)
}

pub fn xz(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Xz, Mode::Compress, false, argv, ctx)
}

pub fn unxz(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Xz, Mode::Decompress, false, argv, ctx)
}

pub fn xzcat(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Xz, Mode::Decompress, true, argv, ctx)
}

pub fn zstd(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Zstd, Mode::Compress, false, argv, ctx)
}

pub fn unzstd(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Zstd, Mode::Decompress, false, argv, ctx)
}

pub fn zstdcat(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    main(Fam::Zstd, Mode::Decompress, true, argv, ctx)
}

// ---------------------------------------------------------------------------------------------
// Options

const GZIP_OPTS: &[Opt] = &[
    Opt::flag("ascii", Some(b'a'), Some("ascii")),
    Opt::flag("best", None, Some("best")),
    Opt::flag("stdout", Some(b'c'), Some("stdout")),
    Opt::flag("stdout", None, Some("to-stdout")),
    Opt::flag("decompress", Some(b'd'), Some("decompress")),
    Opt::flag("decompress", None, Some("uncompress")),
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("keep", Some(b'k'), Some("keep")),
    Opt::flag("list", Some(b'l'), Some("list")),
    Opt::flag("license", Some(b'L'), Some("license")),
    Opt::flag("no-name", Some(b'n'), Some("no-name")),
    Opt::flag("name", Some(b'N'), Some("name")),
    Opt::flag("quiet", Some(b'q'), Some("quiet")),
    Opt::flag("silent", None, Some("silent")),
    Opt::flag("synchronous", None, Some("synchronous")),
    Opt::flag("recursive", Some(b'r'), Some("recursive")),
    Opt::flag("rsyncable", None, Some("rsyncable")),
    Opt::arg("suffix", Some(b'S'), Some("suffix")),
    Opt::flag("test", Some(b't'), Some("test")),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("version", Some(b'V'), Some("version")),
    Opt::flag("fast", None, Some("fast")),
    Opt::flag("1", Some(b'1'), None),
    Opt::flag("2", Some(b'2'), None),
    Opt::flag("3", Some(b'3'), None),
    Opt::flag("4", Some(b'4'), None),
    Opt::flag("5", Some(b'5'), None),
    Opt::flag("6", Some(b'6'), None),
    Opt::flag("7", Some(b'7'), None),
    Opt::flag("8", Some(b'8'), None),
    Opt::flag("9", Some(b'9'), None),
];

const BZIP2_OPTS: &[Opt] = &[
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("decompress", Some(b'd'), Some("decompress")),
    Opt::flag("compress", Some(b'z'), Some("compress")),
    Opt::flag("keep", Some(b'k'), Some("keep")),
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::flag("test", Some(b't'), Some("test")),
    Opt::flag("stdout", Some(b'c'), Some("stdout")),
    Opt::flag("quiet", Some(b'q'), Some("quiet")),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("version", Some(b'L'), Some("license")),
    Opt::flag("version", Some(b'V'), Some("version")),
    Opt::flag("small", Some(b's'), Some("small")),
    Opt::flag("fast", None, Some("fast")),
    Opt::flag("best", None, Some("best")),
    Opt::flag("1", Some(b'1'), None),
    Opt::flag("2", Some(b'2'), None),
    Opt::flag("3", Some(b'3'), None),
    Opt::flag("4", Some(b'4'), None),
    Opt::flag("5", Some(b'5'), None),
    Opt::flag("6", Some(b'6'), None),
    Opt::flag("7", Some(b'7'), None),
    Opt::flag("8", Some(b'8'), None),
    Opt::flag("9", Some(b'9'), None),
];

const XZ_OPTS: &[Opt] = &[
    Opt::flag("compress", Some(b'z'), Some("compress")),
    Opt::flag("decompress", Some(b'd'), Some("decompress")),
    Opt::flag("decompress", None, Some("uncompress")),
    Opt::flag("test", Some(b't'), Some("test")),
    Opt::flag("keep", Some(b'k'), Some("keep")),
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::flag("stdout", Some(b'c'), Some("stdout")),
    Opt::flag("stdout", None, Some("to-stdout")),
    Opt::arg("suffix", Some(b'S'), Some("suffix")),
    Opt::flag("extreme", Some(b'e'), Some("extreme")),
    Opt::arg("threads", Some(b'T'), Some("threads")),
    Opt::arg("format", Some(b'F'), Some("format")),
    Opt::flag("no-warn", Some(b'Q'), Some("no-warn")),
    Opt::flag("quiet", Some(b'q'), Some("quiet")),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("version", Some(b'V'), Some("version")),
    Opt::flag("fast", None, Some("fast")),
    Opt::flag("best", None, Some("best")),
    Opt::flag("0", Some(b'0'), None),
    Opt::flag("1", Some(b'1'), None),
    Opt::flag("2", Some(b'2'), None),
    Opt::flag("3", Some(b'3'), None),
    Opt::flag("4", Some(b'4'), None),
    Opt::flag("5", Some(b'5'), None),
    Opt::flag("6", Some(b'6'), None),
    Opt::flag("7", Some(b'7'), None),
    Opt::flag("8", Some(b'8'), None),
    Opt::flag("9", Some(b'9'), None),
];

const ZSTD_OPTS: &[Opt] = &[
    Opt::flag("decompress", Some(b'd'), Some("decompress")),
    Opt::flag("decompress", None, Some("uncompress")),
    Opt::flag("compress", Some(b'z'), Some("compress")),
    Opt::flag("test", Some(b't'), Some("test")),
    Opt::flag("keep", Some(b'k'), Some("keep")),
    Opt::flag("rm", None, Some("rm")),
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::flag("stdout", Some(b'c'), Some("stdout")),
    Opt::arg("output", Some(b'o'), None),
    Opt::flag("quiet", Some(b'q'), Some("quiet")),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("recursive", Some(b'r'), None),
    Opt::flag("ultra", None, Some("ultra")),
    Opt::arg("threads", Some(b'T'), None),
    Opt::flag("help", Some(b'h'), None),
    Opt::flag("help", Some(b'H'), Some("help")),
    Opt::flag("version", Some(b'V'), Some("version")),
    Opt::flag("fast", None, Some("fast")),
    Opt::flag("best", None, Some("best")),
    Opt::flag("1", Some(b'1'), None),
    Opt::flag("2", Some(b'2'), None),
    Opt::flag("3", Some(b'3'), None),
    Opt::flag("4", Some(b'4'), None),
    Opt::flag("5", Some(b'5'), None),
    Opt::flag("6", Some(b'6'), None),
    Opt::flag("7", Some(b'7'), None),
    Opt::flag("8", Some(b'8'), None),
    Opt::flag("9", Some(b'9'), None),
    Opt::flag("0", Some(b'0'), None),
];

const GZIP_USAGE: Help = help_text!(
    "\
Usage: gzip [OPTION]... [FILE]...
Compress or uncompress FILEs (by default, compress FILES in-place).

Mandatory arguments to long options are mandatory for short options too.

  -c, --stdout      write on standard output, keep original files unchanged
  -d, --decompress  decompress
  -f, --force       force overwrite of output file and compress links
  -h, --help        give this help
  -k, --keep        keep (don't delete) input files
  -l, --list        list compressed file contents
  -n, --no-name     do not save or restore the original name and timestamp
  -N, --name        save or restore the original name and timestamp
  -q, --quiet       suppress all warnings
  -r, --recursive   operate recursively on directories
  -S, --suffix=SUF  use suffix SUF on compressed files
  -t, --test        test compressed file integrity
  -v, --verbose     verbose mode
  -V, --version     display version number
  -1, --fast        compress faster
  -9, --best        compress better

With no FILE, or when FILE is -, read standard input.
"
);

const BZIP2_USAGE: Help = help_text!(
    "\
usage: bzip2 [flags and input files in any order]

   -h --help           print this message
   -d --decompress     force decompression
   -z --compress       force compression
   -k --keep           keep (don't delete) input files
   -f --force          overwrite existing output files
   -t --test           test compressed file integrity
   -c --stdout         output to standard out
   -q --quiet          suppress noncritical error messages
   -v --verbose        be verbose (a 2nd -v gives more)
   -L --license        display software version & license
   -V --version        display software version & license
   -s --small          use less memory (at most 2500k)
   -1 .. -9            set block size to 100k .. 900k
   --fast              alias for -1
   --best              alias for -9
"
);

const XZ_USAGE: Help = help_text!(
    "\
Usage: xz [OPTION]... [FILE]...
Compress or decompress FILEs in the .xz format.

  -z, --compress      force compression
  -d, --decompress    force decompression
  -t, --test          test compressed file integrity
  -k, --keep          keep (don't delete) input files
  -f, --force         force overwrite of output file and (de)compress links
  -c, --stdout        write to standard output and don't delete input files
  -0 ... -9           compression preset; default is 6
  -e, --extreme       try to improve compression ratio by using more CPU time
  -T, --threads=NUM   accepted; compression runs in one thread
  -S, --suffix=.SUF   use the suffix '.SUF' on compressed files
  -F, --format=FMT    auto or xz: the .xz format is the only one
  -q, --quiet         suppress warnings
  -Q, --no-warn       accepted
  -v, --verbose       be verbose
  -h, --help          display this short help and exit
  -V, --version       display the version number and exit

With no FILE, or when FILE is -, read standard input.
"
);

const ZSTD_USAGE: Help = help_text!("\
Usage: zstd [OPTIONS...] [INPUT... | -] [-o OUTPUT]

Options:
  -o OUTPUT                     Write output to a single file, OUTPUT.
  -k, --keep                    Preserve INPUT file(s). [Default]
  --rm                          Remove INPUT file(s) after successful (de)compression.
  -#                            Desired compression level, 1 to 19 (--ultra: 22). [Default: 3]
  -d, --decompress              Perform decompression.
  -t, --test                    Test compressed file integrity.
  -f, --force                   Overwrite existing files, write to a console.
  -c, --stdout                  Write to STDOUT (even if it is a console) and keep the INPUT file(s).
  -q, --quiet                   Suppress warnings.
  -v, --verbose                 Be verbose.
  -r                            Operate recursively on directories.
  -h, -H, --help                Display help and exit.
  -V, --version                 Display the program version and exit.
");

/// The name in messages: gzip's and zstd's are fixed (gunzip and zcat are scripts running
/// `gzip`), bzip2 and xz say the name they were run as.
fn prog(fam: Fam, ctx: &Ctx) -> &'static str {
    match fam {
        Fam::Gzip => "gzip",
        Fam::Zstd => "zstd",
        _ => ctx.name,
    }
}

fn say(ctx: &Ctx, fam: Fam, msg: &[u8]) {
    let mut line = prog(fam, ctx).as_bytes().to_vec();
    line.extend_from_slice(b": ");
    line.extend_from_slice(msg);
    line.push(b'\n');
    let _ = sysfd::write_all(crate::common::io::stderr_fd(), &line);
}

fn raw_err(msg: &[u8]) {
    let _ = sysfd::write_all(crate::common::io::stderr_fd(), msg);
}

fn main(fam: Fam, mode: Mode, cat: bool, argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    ctx.rule = crate::common::ctx::StatusRule::Worst;
    let mut o = Opts {
        fam,
        mode,
        stdout: cat,
        keep: fam == Fam::Zstd,
        force: false,
        quiet: false,
        verbose: false,
        recursive: false,
        level: None,
        no_name: false,
        name: false,
        suffix: fam.suffix().to_vec(),
        output: None,
    };
    let (table, usage) = match fam {
        Fam::Gzip => (GZIP_OPTS, GZIP_USAGE),
        Fam::Bzip2 => (BZIP2_OPTS, BZIP2_USAGE),
        Fam::Xz => (XZ_OPTS, XZ_USAGE),
        Fam::Zstd => (ZSTD_OPTS, ZSTD_USAGE),
    };
    let mut files: Vec<OsString> = Vec::new();
    let mut ultra = false;
    for a in Getopt::new(&argv, table, Order::Permute) {
        let a = match a {
            Ok(a) => a,
            Err(msg) => {
                usage_error(ctx, fam, &msg, usage);
                return 1;
            }
        };
        let (id, val) = match a {
            Arg::Operand(f) => {
                files.push(f);
                continue;
            }
            Arg::Opt(o, v) => (o.id(), v),
        };
        match Id::of(id.as_bytes()) {
            Some(Id::Help) => {
                let _ = ctx.out.write_all(&usage.bytes());
                return ctx.finish(Ok(()));
            }
            Some(Id::Version) => {
                let v = format!("{} (rbox) {}\n", prog(fam, ctx), env!("CARGO_PKG_VERSION"));
                let _ = ctx.out.write_all(v.as_bytes());
                return ctx.finish(Ok(()));
            }
            Some(Id::License) => {
                let _ = ctx.out.write_all(b"rbox's gzip: see the rbox README\n");
                return ctx.finish(Ok(()));
            }
            Some(Id::Stdout) => o.stdout = true,
            Some(Id::Decompress) => o.mode = Mode::Decompress,
            Some(Id::Compress) => o.mode = Mode::Compress,
            Some(Id::Force) => o.force = true,
            Some(Id::Keep) => o.keep = true,
            Some(Id::Rm) => o.keep = false,
            Some(Id::List) => o.mode = Mode::List,
            Some(Id::Test) => o.mode = Mode::Test,
            Some(Id::NoName) => (o.no_name, o.name) = (true, false),
            Some(Id::Name) => (o.no_name, o.name) = (false, true),
            Some(Id::Quiet) | Some(Id::Silent) => (o.quiet, o.verbose) = (true, false),
            Some(Id::Verbose) => (o.quiet, o.verbose) = (false, true),
            Some(Id::Recursive) => o.recursive = true,
            Some(Id::Fast) => o.level = Some(1),
            Some(Id::Best) => o.level = Some(if fam == Fam::Zstd { 19 } else { 9 }),
            Some(Id::Ultra) => ultra = true,
            Some(Id::Output) => o.output = val.map(|v| v.as_bytes().to_vec()),
            // xzgrep, xzdiff and xzless run `xz --format=auto -cdfqQ`: the .xz format is the
            // one rbox's xz reads and writes, so `auto` and `xz` name it.
            Some(Id::Format) => {
                let f = val.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
                if f != b"auto" && f != b"xz" {
                    let mut m = f;
                    m.extend_from_slice(match &m[..] {
                        b"lzma" | b"alone" | b"raw" => b": this format is not built into rbox",
                        _ => b": Unknown file format type",
                    });
                    say(ctx, fam, &m);
                    return 1;
                }
            }
            Some(Id::Suffix) => {
                let s = val.map(|v| v.as_bytes().to_vec()).unwrap_or_default();
                if s.is_empty() || s.contains(&b'/') {
                    let mut m = b"invalid suffix '".to_vec();
                    m.extend_from_slice(&s);
                    m.push(b'\'');
                    say(ctx, fam, &m);
                    return 1;
                }
                o.suffix = s;
            }
            _ if id.len() == 1 && id.as_bytes()[0].is_ascii_digit() => {
                let d = id;
                let n = u32::from(d.as_bytes()[0] - b'0');
                // zstd's levels run on over several digits: -19 is -1 then -9.
                o.level = match (fam, o.level) {
                    (Fam::Zstd, Some(l)) if l < 10 && last_was_digit(&argv, d) => Some(l * 10 + n),
                    _ => Some(n),
                };
            }
            _ => {} // ascii, synchronous, rsyncable, small, extreme, threads, no-warn: accepted
        }
    }
    if fam == Fam::Zstd {
        let max = if ultra { 22 } else { 19 };
        if let Some(l) = o.level {
            o.level = Some(l.clamp(1, max));
        }
    }
    if fam == Fam::Xz && argv.iter().any(|a| a == "-e" || a == "--extreme") {
        o.level = Some(o.level.unwrap_or(6) | 0x8000_0000);
    }
    if !codec_built(fam) {
        say(
            ctx,
            fam,
            b"this compression format is not built into this rbox",
        );
        return 1;
    }
    let mut run = Runner {
        o,
        buf_in: vec![0; CHUNK],
        buf_out: vec![0; CHUNK],
        #[cfg(feature = "tar-gzip")]
        gunzip: Default::default(),
        walker: None,
        list_total: None,
        list_overhead: 0,
    };
    if files.is_empty() {
        files.push(OsString::from("-"));
    }
    for f in &files {
        run.operand(ctx, f.as_bytes());
    }
    if run.o.mode == Mode::List {
        gz::list_total(ctx, &run, files.len());
    }
    ctx.finish(Ok(()))
}

crate::common::args::named! {
    /// The ids the match above knows, each with its variant: found by one search of this table,
    /// where a match on the strings compiled to a comparison of each.
    enum Id {
        Help = "help",
        Version = "version",
        License = "license",
        Stdout = "stdout",
        Decompress = "decompress",
        Compress = "compress",
        Force = "force",
        Keep = "keep",
        Rm = "rm",
        List = "list",
        Test = "test",
        NoName = "no-name",
        Name = "name",
        Quiet = "quiet",
        Silent = "silent",
        Verbose = "verbose",
        Recursive = "recursive",
        Fast = "fast",
        Best = "best",
        Ultra = "ultra",
        Output = "output",
        Suffix = "suffix",
        Format = "format",
    }
}

/// Whether the digit option `d` was glued to a digit before it (`-19`), for zstd.
fn last_was_digit(argv: &[OsString], d: &str) -> bool {
    argv.iter().any(|a| {
        let b = a.as_bytes();
        b.len() > 2 && b[0] == b'-' && b[1].is_ascii_digit() && b.ends_with(d.as_bytes())
    })
}

fn codec_built(fam: Fam) -> bool {
    match fam {
        Fam::Gzip => cfg!(feature = "tar-gzip"),
        Fam::Bzip2 => cfg!(feature = "tar-bzip2"),
        Fam::Xz => cfg!(feature = "tar-xz"),
        Fam::Zstd => cfg!(feature = "tar-zstd"),
    }
}

fn usage_error(ctx: &mut Ctx, fam: Fam, msg: &[u8], usage: Help) {
    match fam {
        Fam::Gzip => {
            say(ctx, fam, msg);
            raw_err(b"Try `gzip --help' for more information.\n");
        }
        Fam::Xz => {
            say(ctx, fam, msg);
            let hint = format!("{0}: Try `{0} --help' for more information.\n", ctx.name);
            raw_err(hint.as_bytes());
        }
        Fam::Bzip2 => {
            say(ctx, fam, msg);
            raw_err(&usage.bytes());
        }
        Fam::Zstd => {
            raw_err(b"Incorrect parameters\n");
            raw_err(&usage.bytes());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The work

use crate::common::codec::{Fail, Summary as Done};

pub(crate) struct Runner {
    o: Opts,
    buf_in: Vec<u8>,
    buf_out: Vec<u8>,
    #[cfg(feature = "tar-gzip")]
    gunzip: codec::gunzip::Gunzip,
    walker: Option<Walker>,
    /// gzip -l: (compressed, uncompressed, files) so far, and the headers' and trailers' bytes.
    #[cfg_attr(not(feature = "tar-gzip"), allow(dead_code))]
    list_total: Option<(u64, u64, u64)>,
    #[cfg_attr(not(feature = "tar-gzip"), allow(dead_code))]
    list_overhead: u64,
}

/// The input: standard input or a file in a directory.
struct Input<'a> {
    fd: BorrowedFd<'a>,
    /// Shown in messages.
    shown: &'a [u8],
    /// Standard input rather than a FILE (gzip -v words the two differently).
    stdin: bool,
}

impl Runner {
    fn operand(&mut self, ctx: &mut Ctx, name: &[u8]) {
        let fam = self.o.fam;
        if name == b"-" {
            self.stdin(ctx);
            return;
        }
        if fam == Fam::Zstd
            && self.o.mode == Mode::Decompress
            && !self.o.stdout
            && self.o.output.is_none()
            && strip_suffix(name, b".zst").is_none()
            && strip_suffix(name, b".tzst").is_none()
        {
            // zstd wants an output name before it looks at the file.
            self.out_name(ctx, name, name);
            return;
        }
        let cwd = sysfd::cwd();
        let mut name = name.to_vec();
        let st = match sysfd::fstatat(cwd, &name, libc::AT_SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(e) => {
                // gunzip/zcat: `f` stands for `f.gz` too, but a name that already has a
                // compressed suffix is reported as given (`zcat x.gz`: `x.gz: No such...`).
                let suffixed =
                    gz_suffix(&name).is_some() || strip_suffix(&name, &self.o.suffix).is_some();
                if fam == Fam::Gzip && self.o.mode != Mode::Compress && !suffixed {
                    let mut alt = name.clone();
                    alt.extend_from_slice(&self.o.suffix);
                    match sysfd::fstatat(cwd, &alt, libc::AT_SYMLINK_NOFOLLOW) {
                        Ok(st) => {
                            name = alt;
                            st
                        }
                        Err(e) => return self.open_error(ctx, &alt, &e),
                    }
                } else {
                    return self.open_error(ctx, &name, &e);
                }
            }
        };
        let kind = st.st_mode & libc::S_IFMT;
        if kind == libc::S_IFDIR {
            if self.o.recursive {
                self.recurse(ctx, &name);
            } else {
                self.directory(ctx, &name);
            }
            return;
        }
        self.file(ctx, cwd, &name, &name, &st);
    }

    fn open_error(&mut self, ctx: &mut Ctx, name: &[u8], e: &io::Error) {
        let fam = self.o.fam;
        let err = crate::common::ctx::strerror(e);
        let m = match fam {
            Fam::Gzip | Fam::Xz => [name, b": ", err.as_bytes()].concat(),
            Fam::Bzip2 => [b"Can't open input file ", name, b": ", err.as_bytes(), b"."].concat(),
            Fam::Zstd => [
                b"can't stat ",
                name,
                b" : ",
                err.as_bytes(),
                b" -- ignored ",
            ]
            .concat(),
        };
        say(ctx, fam, &m);
        ctx.fail(1);
    }

    fn directory(&mut self, ctx: &mut Ctx, name: &[u8]) {
        let fam = self.o.fam;
        let (m, code): (Vec<u8>, i32) = match fam {
            Fam::Gzip => ([name, b" is a directory -- ignored"].concat(), 2),
            Fam::Bzip2 => ([b"Input file ", name, b" is a directory."].concat(), 1),
            Fam::Xz => ([name, b": Is a directory, skipping"].concat(), 2),
            Fam::Zstd => ([name, b" is a directory -- ignored "].concat(), 1),
        };
        if !(self.o.quiet && fam == Fam::Gzip) {
            say(ctx, fam, &m);
        }
        ctx.fail(code);
    }

    /// -r: every file below `root`, relative to its directory's descriptor.
    fn recurse(&mut self, ctx: &mut Ctx, root: &[u8]) {
        let mut w = self.walker.take().unwrap_or_else(|| {
            Walker::new(WalkOptions {
                max_open: 16,
                ..WalkOptions::default()
            })
        });
        w.walk(sysfd::cwd(), root, |e, v| {
            match v {
                Visit::Leaf => {
                    if let Ok(st) = e.stat() {
                        let st = *st;
                        if st.st_mode & libc::S_IFMT == libc::S_IFREG {
                            let path = e.path().to_vec();
                            let name = e.name().to_vec();
                            self.file(ctx, e.parent(), &name, &path, &st);
                        }
                    }
                }
                Visit::Error(_, err) => {
                    let path = e.path().to_vec();
                    self.open_error(ctx, &path, &err);
                }
                _ => {}
            }
            Action::Continue
        });
        self.walker = Some(w);
    }

    fn stdin(&mut self, ctx: &mut Ctx) {
        let fam = self.o.fam;
        let shown: &[u8] = match fam {
            Fam::Gzip => b"stdin",
            Fam::Zstd => b"/*stdin*\\",
            _ => b"(stdin)",
        };
        let compress = self.o.mode == Mode::Compress;
        if !self.o.force {
            if compress && self.o.output.is_none() && sysfd::isatty(stdout_fd()) {
                self.terminal(ctx, true);
                return;
            }
            if !compress && sysfd::isatty(stdin_fd()) {
                self.terminal(ctx, false);
                return;
            }
        }
        let _ = ctx.out.flush();
        let inp = Input {
            fd: stdin_fd(),
            shown,
            stdin: true,
        };
        if self.o.mode == Mode::List {
            // GNU lists standard input under its output's name.
            return gz::list_one(ctx, self, inp, b"stdout");
        }
        let (mtime, name) = match sysfd::fstat(stdin_fd()) {
            Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFREG => (st.st_mtime as u32, None),
            _ => (0, None),
        };
        let out = if self.o.mode == Mode::Test {
            None
        } else {
            Some(stdout_fd())
        };
        let r = self.stream(&inp, out, name, mtime);
        self.report(ctx, &inp, r, None);
    }

    fn terminal(&mut self, ctx: &mut Ctx, write: bool) {
        let fam = self.o.fam;
        let n = prog(fam, ctx);
        let m = match (fam, write) {
            (Fam::Gzip, true) => format!(
                "{n}: compressed data not written to a terminal. Use -f to force compression.\nFor help, type: {n} -h\n"
            ),
            (Fam::Gzip, false) => format!(
                "{n}: compressed data not read from a terminal. Use -f to force decompression.\nFor help, type: {n} -h\n"
            ),
            (Fam::Bzip2, true) => format!(
                "{n}: I won't write compressed data to a terminal.\n{n}: For help, type: `{n} --help'.\n"
            ),
            (Fam::Bzip2, false) => format!(
                "{n}: I won't read compressed data from a terminal.\n{n}: For help, type: `{n} --help'.\n"
            ),
            (Fam::Xz, true) => format!("{n}: Compressed data cannot be written to a terminal\n"),
            (Fam::Xz, false) => format!("{n}: Compressed data cannot be read from a terminal\n"),
            (Fam::Zstd, _) => format!("{n}: stdout is a console, aborting\n"),
        };
        raw_err(m.as_bytes());
        ctx.fail(1);
    }

    /// One regular file (or whatever `name` is: non-regular files are refused).
    fn file(&mut self, ctx: &mut Ctx, dir: BorrowedFd, name: &[u8], path: &[u8], st: &sysfd::Stat) {
        let fam = self.o.fam;
        let o = &self.o;
        let kind = st.st_mode & libc::S_IFMT;
        if kind == libc::S_IFLNK && !o.force && !o.stdout {
            match fam {
                Fam::Gzip => {
                    if !o.quiet {
                        say(
                            ctx,
                            fam,
                            &[path, b": Too many levels of symbolic links"].concat(),
                        );
                    }
                    ctx.fail(1)
                }
                Fam::Bzip2 => {
                    say(
                        ctx,
                        fam,
                        &[b"Input file ", path, b" is not a normal file."].concat(),
                    );
                    ctx.fail(1)
                }
                Fam::Xz => {
                    say(
                        ctx,
                        fam,
                        &[path, b": Is a symbolic link, skipping"].concat(),
                    );
                    ctx.fail(2)
                }
                Fam::Zstd => {
                    say(
                        ctx,
                        fam,
                        &[b"Warning : ", path, b" is a symbolic link, ignoring"].concat(),
                    );
                    ctx.fail(1)
                }
            }
            return;
        }
        if kind != libc::S_IFREG && kind != libc::S_IFLNK && !o.stdout {
            let m = match fam {
                Fam::Gzip => [path, b" is not a directory or a regular file - ignored"].concat(),
                Fam::Bzip2 => [b"Input file ", path, b" is not a normal file."].concat(),
                Fam::Xz => [path, b": Not a regular file, skipping"].concat(),
                Fam::Zstd => [path, b" is not a regular file -- ignored "].concat(),
            };
            say(ctx, fam, &m);
            ctx.fail(if fam == Fam::Xz || fam == Fam::Gzip {
                2
            } else {
                1
            });
            return;
        }
        // The output's name (none with -c, -t, -l).
        let to_file = !o.stdout && matches!(o.mode, Mode::Compress | Mode::Decompress);
        let mut out_name: Option<Vec<u8>> = None;
        if to_file {
            match self.out_name(ctx, name, path) {
                Some(n) => out_name = Some(n),
                None => return,
            }
        }
        let fd = match sysfd::openat(
            dir,
            name,
            libc::O_RDONLY | libc::O_NOCTTY | libc::O_CLOEXEC,
            0,
        ) {
            Ok(fd) => fd,
            Err(e) => return self.open_error(ctx, path, &e),
        };
        let inp = Input {
            fd: fd.as_fd(),
            shown: path,
            stdin: false,
        };
        if self.o.mode == Mode::List {
            let shown = strip_suffix(path, &self.o.suffix)
                .map(|s| s.to_vec())
                .or_else(|| gz_suffix(path))
                .unwrap_or_else(|| path.to_vec());
            return gz::list_one(ctx, self, inp, &shown);
        }
        let Some(mut out_name) = out_name else {
            let _ = ctx.out.flush();
            let out = if self.o.mode == Mode::Test {
                None
            } else {
                Some(stdout_fd())
            };
            let base = base_name(name).to_vec();
            let r = self.stream(&inp, out, Some(base), st.st_mtime as u32);
            self.report(ctx, &inp, r, None);
            return;
        };
        // gzip -N: the stored name, in the input's directory (peeked at before creating).
        let restore = fam == Fam::Gzip && self.o.mode == Mode::Decompress && self.o.name;
        if restore {
            if let Some(stored) = gz::peek_name(fd.as_fd()) {
                let dir_part = &out_name[..out_name.len() - base_name(&out_name).len()];
                out_name = [dir_part, base_name(&stored)].concat();
            }
        }
        // The output goes beside the input: under -r by its base name in the directory being
        // walked; for an operand (`gzip logs/f`, `zstd -o out/x f`) by its whole name from the
        // current directory, where `dir` is.
        let (odir, out_base) = if name == path || self.o.output.is_some() {
            (sysfd::cwd(), out_name.clone())
        } else {
            (dir, base_name(&out_name).to_vec())
        };
        // Refuse to overwrite (or remove it first with -f).
        if sysfd::fstatat(odir, &out_base, libc::AT_SYMLINK_NOFOLLOW).is_ok() {
            if !self.o.force {
                self.exists(ctx, &out_name);
                return;
            }
            if let Err(e) = sysfs::unlinkat(odir, &out_base, 0) {
                return self.open_error(ctx, &out_name, &e);
            }
        }
        let out = match sysfd::openat(
            odir,
            &out_base,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            0o600,
        ) {
            Ok(f) => f,
            Err(e) => return self.open_error(ctx, &out_name, &e),
        };
        let base = base_name(name).to_vec();
        let r = self.stream(&inp, Some(out.as_fd()), Some(base), st.st_mtime as u32);
        let ok = matches!(r, Ok(ref d) if !d.garbage || fam == Fam::Bzip2);
        let mtime_restore = match &r {
            Ok(d) if restore && d.mtime != 0 => Some(d.mtime),
            _ => None,
        };
        let garbage_fatal = matches!(r, Ok(ref d) if d.garbage && fam != Fam::Bzip2);
        let failed = r.is_err() || garbage_fatal && fam != Fam::Gzip;
        if failed {
            // Never leave a partial output; never touch the input.
            let _ = sysfs::unlinkat(odir, &out_base, 0);
            self.report(ctx, &inp, r, None);
            return;
        }
        if let Err(e) = finish_output(out, st, mtime_restore) {
            let _ = sysfs::unlinkat(odir, &out_base, 0);
            self.report(ctx, &inp, Err(Fail::Write(e)), None);
            return;
        }
        let _ = ok;
        self.report(ctx, &inp, r, Some(&out_name));
        if !self.o.keep {
            if let Err(e) = sysfs::unlinkat(dir, name, 0) {
                self.open_error(ctx, path, &e);
            }
        }
    }

    fn exists(&mut self, ctx: &mut Ctx, out: &[u8]) {
        let fam = self.o.fam;
        let (m, code): (Vec<u8>, i32) = match fam {
            Fam::Gzip => ([out, b" already exists;\tnot overwritten"].concat(), 2),
            Fam::Bzip2 => ([b"Output file ", out, b" already exists."].concat(), 1),
            Fam::Xz => ([out, b": File exists"].concat(), 1),
            Fam::Zstd => ([out, b" already exists; not overwritten  "].concat(), 1),
        };
        say(ctx, fam, &m);
        ctx.fail(code);
    }

    /// The output name for compression (NAME.SUF) or decompression (NAME without its suffix);
    /// `None` after saying why there is none.
    fn out_name(&mut self, ctx: &mut Ctx, name: &[u8], path: &[u8]) -> Option<Vec<u8>> {
        let fam = self.o.fam;
        if let Some(o) = &self.o.output {
            return Some(o.clone());
        }
        let suf = self.o.suffix.clone();
        if self.o.mode == Mode::Compress {
            let known = match fam {
                Fam::Gzip => strip_suffix(name, &suf).is_some() || gz_suffix(name).is_some(),
                Fam::Bzip2 => [&b".bz2"[..], b".bz", b".tbz2", b".tbz"]
                    .iter()
                    .any(|s| strip_suffix(name, s).is_some()),
                Fam::Xz => {
                    strip_suffix(name, &suf).is_some() || strip_suffix(name, b".txz").is_some()
                }
                Fam::Zstd => false,
            };
            if known && !self.o.force {
                let s = String::from_utf8_lossy(&suf).into_owned();
                let (m, code): (Vec<u8>, i32) = match fam {
                    Fam::Gzip => (
                        [
                            path,
                            format!(" already has {s} suffix -- unchanged").as_bytes(),
                        ]
                        .concat(),
                        0,
                    ),
                    Fam::Bzip2 => (
                        [
                            b"Input file ",
                            path,
                            b" already has ",
                            &suf[..],
                            b" suffix.",
                        ]
                        .concat(),
                        1,
                    ),
                    _ => (
                        [
                            path,
                            format!(": File already has `{s}' suffix, skipping").as_bytes(),
                        ]
                        .concat(),
                        2,
                    ),
                };
                if !(self.o.quiet && fam == Fam::Gzip) {
                    say(ctx, fam, &m);
                }
                ctx.fail(code);
                return None;
            }
            return Some([path, &suf[..]].concat());
        }
        // Decompression.
        let stem = match fam {
            Fam::Gzip => strip_suffix(path, &suf)
                .map(|s| s.to_vec())
                .or_else(|| gz_suffix(path)),
            Fam::Bzip2 => {
                for (s, r) in [
                    (&b".bz2"[..], &b""[..]),
                    (b".bz", b""),
                    (b".tbz2", b".tar"),
                    (b".tbz", b".tar"),
                ] {
                    if let Some(stem) = strip_suffix(path, s) {
                        return Some([stem, r].concat());
                    }
                }
                let mut m = b"Can't guess original name for ".to_vec();
                m.extend_from_slice(path);
                m.extend_from_slice(b" -- using ");
                m.extend_from_slice(path);
                m.extend_from_slice(b".out");
                say(ctx, fam, &m);
                return Some([path, b".out"].concat());
            }
            Fam::Xz => strip_suffix(path, &suf)
                .map(|s| s.to_vec())
                .or_else(|| strip_suffix(path, b".txz").map(|s| [s, b".tar"].concat())),
            Fam::Zstd => strip_suffix(path, b".zst")
                .map(|s| s.to_vec())
                .or_else(|| strip_suffix(path, b".tzst").map(|s| [s, b".tar"].concat())),
        };
        if stem.is_none() && fam == Fam::Xz && !self.o.force {
            // xz looks at the data before the name: not xz data is "not recognized".
            let is_xz = sysfd::openat(sysfd::cwd(), path, libc::O_RDONLY | libc::O_CLOEXEC, 0)
                .and_then(|fd| {
                    let mut b = [0u8; 6];
                    let n = sysfd::pread(fd.as_fd(), &mut b, 0)?;
                    Ok(Codec::from_magic(&b[..n]) == Some(Codec::Xz))
                })
                .unwrap_or(true);
            if !is_xz {
                self.data_error(ctx, path, Fail::NotFormat);
                return None;
            }
        }
        if stem.is_none() {
            let (m, code): (Vec<u8>, i32) = match fam {
                Fam::Gzip => ([path, b": unknown suffix -- ignored"].concat(), 2),
                Fam::Xz => ([path, b": Filename has an unknown suffix, skipping"].concat(), 2),
                _ => (
                    [
                        path,
                        &b": unknown suffix (.zst/.tzst/.gz/.tgz/.lzma/.xz/.txz/.lz4/.tlz4 expected). Can't derive the output file name. Specify it with -o dstFileName. Ignoring."[..],
                    ]
                    .concat(),
                    1,
                ),
            };
            if !(self.o.quiet && fam == Fam::Gzip) {
                say(ctx, fam, &m);
            }
            ctx.fail(code);
        }
        let _ = name;
        stem
    }

    /// Say how a stream ended (and record the status).
    fn report(&mut self, ctx: &mut Ctx, inp: &Input, r: Result<Done, Fail>, out: Option<&[u8]>) {
        let fam = self.o.fam;
        let n = inp.shown;
        match r {
            Ok(d) => {
                if d.garbage {
                    match fam {
                        Fam::Gzip => {
                            if !self.o.quiet {
                                raw_err(
                                    &[
                                        b"\ngzip: ",
                                        n,
                                        b": decompression OK, trailing garbage ignored\n",
                                    ]
                                    .concat(),
                                );
                            }
                            ctx.fail(2);
                        }
                        Fam::Bzip2 => {
                            if !self.o.quiet {
                                raw_err(
                                    &[
                                        b"\n",
                                        ctx.name.as_bytes(),
                                        b": ",
                                        n,
                                        b": trailing garbage after EOF ignored\n",
                                    ]
                                    .concat(),
                                );
                            }
                        }
                        Fam::Xz => {
                            say(ctx, fam, &[n, b": Unexpected end of input"].concat());
                            ctx.fail(1);
                        }
                        Fam::Zstd => {
                            say(ctx, fam, &[n, b": unsupported format "].concat());
                            ctx.fail(1);
                        }
                    }
                }
                if self.o.verbose {
                    self.verbose(inp, &d, out);
                }
            }
            Err(Fail::Write(e)) => {
                let err = crate::common::ctx::strerror(&e);
                if e.kind() == io::ErrorKind::BrokenPipe {
                    ctx.fail(1);
                    return;
                }
                let what: &[u8] = if out.is_some() { b"" } else { b"stdout" };
                let m = match fam {
                    Fam::Gzip => [what, b": ", err.as_bytes()].concat(),
                    Fam::Bzip2 => [
                        b"I/O or other error, bailing out.  Possible reason follows.\n",
                        ctx.name.as_bytes(),
                        b": ",
                        err.as_bytes(),
                    ]
                    .concat(),
                    Fam::Xz => [b"(stdout): Write error: ", err.as_bytes()].concat(),
                    Fam::Zstd => [b"error: write error: ", err.as_bytes()].concat(),
                };
                say(ctx, fam, &m);
                ctx.fail(1);
            }
            Err(Fail::Read(e)) => {
                let err = crate::common::ctx::strerror(&e);
                let m = match fam {
                    Fam::Bzip2 => {
                        [b"Can't open input file ", n, b": ", err.as_bytes(), b"."].concat()
                    }
                    Fam::Xz => [n, b": Read error: ", err.as_bytes()].concat(),
                    _ => [n, b": ", err.as_bytes()].concat(),
                };
                say(ctx, fam, &m);
                ctx.fail(1);
            }
            Err(f) => self.data_error(ctx, n, f),
        }
    }

    fn data_error(&mut self, ctx: &mut Ctx, n: &[u8], f: Fail) {
        let t = codec::Teller {
            prog: prog(self.o.fam, ctx).as_bytes(),
            input: n,
            output: if self.o.stdout {
                b"(stdout)"
            } else {
                b"(none)"
            },
            errno: b"Success",
            test: self.o.mode == Mode::Test,
            child: false,
            empty: false,
        };
        let (m, status) = codec::failure_message(self.o.fam.codec(), &f, &t);
        raw_err(&m);
        ctx.fail(status);
    }

    fn verbose(&mut self, inp: &Input, d: &Done, out: Option<&[u8]>) {
        let fam = self.o.fam;
        let compress = self.o.mode == Mode::Compress;
        let (plain, packed) = if compress {
            (d.bytes_in, d.bytes_out)
        } else {
            (d.bytes_out, d.bytes_in)
        };
        let mut m = Vec::new();
        match fam {
            // GNU gzip 1.12: a FILE gets `NAME:\t`, the ratio (none for -t) and what became
            // of it (`-- replaced with stdout` under -c too, `-- created` under -k); standard
            // input only the ratio of a compression, ` OK` of a test, nothing else.
            Fam::Gzip => {
                let test = self.o.mode == Mode::Test;
                if inp.stdin && !test && !compress {
                    return;
                }
                if !inp.stdin {
                    m.extend_from_slice(inp.shown);
                    m.extend_from_slice(b":\t");
                }
                if test {
                    m.extend_from_slice(b" OK");
                } else {
                    let packed = packed.saturating_sub(d.header_bytes);
                    m.extend_from_slice(ratio(plain, packed).as_bytes());
                }
                if !inp.stdin && !test {
                    m.extend_from_slice(if self.o.keep {
                        b" -- created "
                    } else {
                        b" -- replaced with "
                    });
                    m.extend_from_slice(out.unwrap_or(b"stdout"));
                }
            }
            _ => {
                m.extend_from_slice(inp.shown);
                m.extend_from_slice(b": ");
                push_fmt(&mut m, format_args!("{plain} -> {packed} bytes"));
            }
        }
        m.push(b'\n');
        raw_err(&m);
    }

    /// Compress, decompress or test one input into `out` (None: test).
    fn stream(
        &mut self,
        inp: &Input,
        out: Option<BorrowedFd>,
        name: Option<Vec<u8>>,
        mtime: u32,
    ) -> Result<Done, Fail> {
        let fam = self.o.fam;
        match self.o.mode {
            Mode::Compress => {
                if fam == Fam::Gzip {
                    let (name, mtime) = if self.o.no_name {
                        (None, 0)
                    } else {
                        (name, mtime)
                    };
                    return gz::compress(self, inp, out, name.as_deref(), mtime);
                }
                let level = self.o.level;
                let enc =
                    codec::encoder(fam.codec(), level).map_err(|e| Fail::Corrupt(e.to_string()))?;
                let mut d = Done::default();
                self.encode(enc, inp.fd, out, &mut d)?;
                Ok(d)
            }
            _ => {
                if fam == Fam::Gzip {
                    return gz::decompress(self, inp, out);
                }
                self.decode_other(inp, out)
            }
        }
    }

    /// Read all of `fd` through encoder `e` into `out`.
    fn encode(
        &mut self,
        mut e: Box<dyn Step>,
        fd: BorrowedFd,
        out: Option<BorrowedFd>,
        d: &mut Done,
    ) -> Result<(), Fail> {
        self.encode_with(&mut *e, fd, out, d, |_| {})
    }

    fn encode_with(
        &mut self,
        e: &mut dyn Step,
        fd: BorrowedFd,
        out: Option<BorrowedFd>,
        d: &mut Done,
        mut seen: impl FnMut(&[u8]),
    ) -> Result<(), Fail> {
        let mut n_out = 0usize;
        loop {
            let len = sysfd::read(fd, &mut self.buf_in).map_err(Fail::Read)?;
            seen(&self.buf_in[..len]);
            d.bytes_in += len as u64;
            let finish = len == 0;
            let mut pos = 0;
            loop {
                let (c, p, end) = e
                    .step(&self.buf_in[pos..len], &mut self.buf_out[n_out..], finish)
                    .map_err(|e| Fail::Corrupt(e.to_string()))?;
                pos += c;
                n_out += p;
                if n_out == self.buf_out.len() || (end && n_out > 0) {
                    write_out(out, &self.buf_out[..n_out])?;
                    d.bytes_out += n_out as u64;
                    n_out = 0;
                }
                if end {
                    return Ok(());
                }
                if !finish && pos == len {
                    break;
                }
                if c == 0 && p == 0 && n_out < self.buf_out.len() && !finish {
                    break;
                }
            }
        }
    }

    /// bzip2, xz, zstd decompression: members one after another until the input ends.
    fn decode_other(&mut self, inp: &Input, out: Option<BorrowedFd>) -> Result<Done, Fail> {
        let fam = self.o.fam;
        // bzip2 decodes at ~30 MB/s: smaller reads and writes cost no time there, and the
        // buffers' pages are a tenth of its memory beside the 3 MiB block (bzip2 -d: 5 KB).
        let cap = if fam == Fam::Bzip2 { 32 * 1024 } else { CHUNK };
        let (buf_in, buf_out) = (&mut self.buf_in[..cap], &mut self.buf_out[..cap]);
        let mut d = Done::default();
        let mut len = fill(inp.fd, buf_in, 0).map_err(Fail::Read)?;
        let magic_ok = codec::Codec::from_magic(&buf_in[..len]) == Some(fam.codec());
        if !magic_ok {
            if self.o.force && self.o.stdout && out.is_some() {
                return passthrough(inp.fd, out, buf_in, len, &mut d);
            }
            return Err(if len == 0 && fam != Fam::Xz {
                Fail::Truncated
            } else {
                Fail::NotFormat
            });
        }
        let mut dec = codec::decoder(fam.codec()).map_err(|e| Fail::Corrupt(e.to_string()))?;
        let mut pos = 0;
        let mut eof = false;
        let mut ended = false;
        let mut n_out = 0;
        d.bytes_in = len as u64;
        loop {
            if pos == len && !eof {
                len = sysfd::read(inp.fd, buf_in).map_err(Fail::Read)?;
                d.bytes_in += len as u64;
                pos = 0;
                if len == 0 {
                    eof = true;
                }
            }
            if ended {
                if pos == len && eof {
                    break;
                }
                if pos == len {
                    continue;
                }
                if fam == Fam::Zstd && Codec::from_magic(&buf_in[pos..len]) != Some(Codec::Zstd) {
                    d.garbage = true;
                    break;
                }
                dec.restart().map_err(|e| Fail::Corrupt(e.to_string()))?;
            }
            let garbage_before = dec.trailing_garbage();
            let r = dec.step(&buf_in[pos..len], &mut buf_out[n_out..], eof);
            let (c, p, end) = match r {
                Ok(x) => x,
                Err(e) => {
                    write_out(out, &buf_out[..n_out])?;
                    let s = e.to_string();
                    return Err(if s.contains("format not recognized") {
                        Fail::NotFormat
                    } else {
                        Fail::Corrupt(s)
                    });
                }
            };
            if !garbage_before && dec.trailing_garbage() {
                d.garbage = true;
            }
            pos += c;
            n_out += p;
            if n_out == buf_out.len() || (n_out > 0 && (end || eof)) {
                write_out(out, &buf_out[..n_out])?;
                d.bytes_out += n_out as u64;
                n_out = 0;
            }
            ended = end;
            if c == 0 && p == 0 && !end && eof {
                write_out(out, &buf_out[..n_out])?;
                return Err(Fail::Truncated);
            }
        }
        write_out(out, &buf_out[..n_out])?;
        d.bytes_out += n_out as u64;
        Ok(d)
    }
}

/// Read until `buf` holds at least 16 bytes or the input ends; returns the length.
fn fill(fd: BorrowedFd, buf: &mut [u8], mut have: usize) -> io::Result<usize> {
    while have < 16 {
        let n = sysfd::read(fd, &mut buf[have..])?;
        if n == 0 {
            break;
        }
        have += n;
    }
    Ok(have)
}

/// `-cf` on data that is not compressed: copied as it is (`zcat -f`).
fn passthrough(
    fd: BorrowedFd,
    out: Option<BorrowedFd>,
    buf: &mut [u8],
    mut len: usize,
    d: &mut Done,
) -> Result<Done, Fail> {
    loop {
        if len == 0 {
            return Ok(std::mem::take(d));
        }
        write_out(out, &buf[..len])?;
        d.bytes_in += len as u64;
        d.bytes_out += len as u64;
        len = sysfd::read(fd, buf).map_err(Fail::Read)?;
    }
}

fn write_out(out: Option<BorrowedFd>, b: &[u8]) -> Result<(), Fail> {
    match out {
        Some(fd) if !b.is_empty() => sysfd::write_all(fd, b).map_err(Fail::Write),
        _ => Ok(()),
    }
}

/// Give the finished output the input's mode, owner and times (gzip -N: the stored mtime),
/// then close it (a close error is a write error).
fn finish_output(out: OwnedFd, st: &sysfd::Stat, mtime: Option<u32>) -> io::Result<()> {
    let fd = out.as_fd();
    // The owner first: chown clears set-id bits that chmod then puts back. Failing to give
    // the file away (not root) is not an error, as in gzip.
    let _ = sysfs::fchown(fd, st.st_uid, st.st_gid);
    sysfs::fchmod(fd, st.st_mode & 0o7777)?;
    let (ms, mn) = match mtime {
        Some(t) => (i64::from(t), 0),
        None => (st.st_mtime, st.st_mtime_nsec as u32),
    };
    sysfs::futimens(
        fd,
        [
            sysfs::Time::At(st.st_atime, st.st_atime_nsec as u32),
            sysfs::Time::At(ms, mn),
        ],
    )?;
    drop(out);
    Ok(())
}

fn strip_suffix<'a>(name: &'a [u8], suf: &[u8]) -> Option<&'a [u8]> {
    let base = base_name(name);
    (base.len() > suf.len() && name.ends_with(suf)).then(|| &name[..name.len() - suf.len()])
}

/// gzip's other known suffixes: `.gz -gz .z -z _z .Z` and `.tgz`/`.taz` for `.tar`.
fn gz_suffix(name: &[u8]) -> Option<Vec<u8>> {
    for s in [&b".gz"[..], b"-gz", b".z", b"-z", b"_z", b".Z"] {
        if let Some(stem) = strip_suffix(name, s) {
            return Some(stem.to_vec());
        }
    }
    for s in [&b".tgz"[..], b".taz"] {
        if let Some(stem) = strip_suffix(name, s) {
            return Some([stem, b".tar"].concat());
        }
    }
    None
}

fn base_name(p: &[u8]) -> &[u8] {
    match p.iter().rposition(|&c| c == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

/// GNU gzip's ratio: `(plain - packed) / plain` as `-33.3%`, 0 for empty input.
fn ratio(plain: u64, packed: u64) -> String {
    if plain == 0 {
        return "  0.0%".to_string();
    }
    let r = (plain as f64 - packed as f64) * 100.0 / plain as f64;
    format!("{r:5.1}%")
}
