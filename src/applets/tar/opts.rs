//! Command line: tar's option table and what each option does to [`Opts`]. The parsing is
//! `common::args` (GNU getopt_long in order, as GNU tar's argp does): GNU tar's three syntaxes
//! (`tar -xzf a.tgz`, old-style bundled `tar xzf a.tgz`, long `tar --extract --gzip
//! --file=a.tgz`), `-C DIR` and `-T FILE` among the names in order, abbreviated long options,
//! `--` ends options, and GNU's messages and exit codes (64 for a bad option, as argp does; 2
//! for a bad combination).

use crate::common::io::push_fmt;
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::compress::Codec;
use super::header::Format;
use super::matching::{ExclPat, MatchFlags};
use crate::common::args::{self, Arg, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::{sys, Ctx, Error, Result};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Create,
    Extract,
    List,
    Append,
    Update,
    Delete,
    Diff,
    Concatenate,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OldFiles {
    /// Replace files (unlink, create); keep existing directories.
    Default,
    /// -k: an existing file is an error.
    Keep,
    /// --skip-old-files: silently keep existing files.
    Skip,
    /// --overwrite: write over existing files in place.
    Overwrite,
    /// -U: unlink before creating, directories included when empty.
    Unlink,
    /// --keep-newer-files
    KeepNewer,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sort {
    None,
    Name,
    Inode,
}

#[derive(Clone, Debug)]
pub enum NameArg {
    Dir(OsString),
    Name(Vec<u8>),
    FilesFrom(OsString),
    /// `--recursion` (true) or `--no-recursion` among the names: the names after it.
    Recursion(bool),
}

impl NameArg {
    /// A name operand or a `-T` list of them.
    pub fn is_name(&self) -> bool {
        matches!(self, NameArg::Name(_) | NameArg::FilesFrom(_))
    }
}

pub struct Opts {
    pub mode: Mode,
    pub file: Option<OsString>,
    pub verbose: u8,
    pub codec: Option<Codec>,
    /// `-Z`: compress's .Z, which the gzip decoder reads (as `gzip -d` does) but nothing here
    /// writes.
    pub lzw: bool,
    pub auto_compress: bool,
    pub to_stdout: bool,
    pub same_perms: Option<bool>,
    pub same_owner: Option<bool>,
    pub numeric_owner: bool,
    pub owner: Option<(u64, Vec<u8>)>,
    pub group: Option<(u64, Vec<u8>)>,
    pub mode_change: Option<Vec<u8>>,
    pub mtime: Option<(i64, u32)>,
    pub clamp_mtime: bool,
    pub sort: Sort,
    pub deref: bool,
    pub null: bool,
    pub strip: usize,
    pub old_files: OldFiles,
    pub remove_files: bool,
    pub recursion: bool,
    pub absolute: bool,
    pub totals: bool,
    pub format: Format,
    pub wildcards: Option<bool>,
    pub wildcards_slash: bool,
    pub anchored: Option<bool>,
    pub ignore_case: bool,
    pub excludes: Vec<ExclPat>,
    /// `-X FILE`: its patterns take the flags and place of the option.
    pub exclude_from: Vec<(OsString, MatchFlags, usize)>,
    /// GNU's positional options given after the last name on create or update, which affect
    /// nothing: `-C 'dir'`, `--exclude '*.b'`, ... (GNU reports them, status 2).
    pub unconsumed: Vec<Vec<u8>>,
    pub exclude_vcs: bool,
    pub xattrs: bool,
    pub ignore_zeros: bool,
    pub touch: bool,
    pub full_time: bool,
    pub utc: bool,
    pub record: u64,
    pub one_file_system: bool,
    pub no_overwrite_dir: bool,
    pub names: Vec<NameArg>,
    pub show_stored: bool,
    pub ignore_failed_read: bool,
    pub keep_dir_symlink: bool,
    /// -S: store holes of sparse files (old GNU sparse headers; pax: `--sparse-version`).
    pub sparse: bool,
    /// `--hole-detection=raw`: holes are zero blocks read, not the file system's SEEK_HOLE.
    pub hole_raw: bool,
    /// `--sparse-version=MAJOR[.MINOR]` for pax archives (GNU's default 1.0).
    pub sparse_version: (u64, u64),
    /// `--pax-option`.
    pub pax: super::header::PaxOptions,
    /// `-o`: `--old-archive` when creating, `--no-same-owner` otherwise.
    old_o: bool,
    /// `--format`, `-H`, `--posix`, `--old-archive`, `--xattrs` or `--pax-option` chose the format.
    pub format_set: bool,
    pax_set: bool,
    sparse_version_set: bool,
    /// For the --totals rate.
    pub start: std::time::Instant,
    /// `--transform`/`--xform` expressions, in order.
    pub transform: super::transform::Transform,
    pub show_transformed: bool,
    /// `--warning=no-timestamp` (and `none`) silence the time stamp warnings of -x.
    pub warn_timestamp: bool,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            mode: Mode::List,
            file: None,
            verbose: 0,
            codec: None,
            lzw: false,
            auto_compress: false,
            to_stdout: false,
            same_perms: None,
            same_owner: None,
            numeric_owner: false,
            owner: None,
            group: None,
            mode_change: None,
            mtime: None,
            clamp_mtime: false,
            sort: Sort::None,
            deref: false,
            null: false,
            strip: 0,
            old_files: OldFiles::Default,
            remove_files: false,
            recursion: true,
            absolute: false,
            totals: false,
            format: Format::Gnu,
            wildcards: None,
            wildcards_slash: true,
            anchored: None,
            ignore_case: false,
            excludes: Vec::new(),
            exclude_from: Vec::new(),
            unconsumed: Vec::new(),
            exclude_vcs: false,
            xattrs: false,
            ignore_zeros: false,
            touch: false,
            full_time: false,
            utc: false,
            record: 20 * 512,
            one_file_system: false,
            no_overwrite_dir: false,
            names: Vec::new(),
            show_stored: false,
            ignore_failed_read: false,
            sparse: false,
            sparse_version: (1, 0),
            hole_raw: false,
            pax: Default::default(),
            old_o: false,
            format_set: false,
            pax_set: false,
            sparse_version_set: false,
            keep_dir_symlink: false,
            start: std::time::Instant::now(),
            transform: Default::default(),
            show_transformed: false,
            warn_timestamp: true,
        }
    }
}

/// tar's options. Within each first letter in GNU tar 1.34's order, so an ambiguous prefix
/// lists its possibilities as GNU's does; aliases share their option's id. The letters
/// at the end have no long name here (GNU's features rbox leaves out: accepted, no effect).
const OPTIONS: &[Opt] = &[
    Opt::flag("append", Some(b'r'), Some("append")),
    Opt::optional("atime-preserve", None, Some("atime-preserve")),
    Opt::flag("acls", None, Some("acls")),
    Opt::flag("auto-compress", Some(b'a'), Some("auto-compress")),
    Opt::flag("absolute-names", Some(b'P'), Some("absolute-names")),
    Opt::flag("anchored", None, Some("anchored")),
    Opt::arg("blocking-factor", Some(b'b'), Some("blocking-factor")),
    Opt::flag("bzip2", Some(b'j'), Some("bzip2")),
    Opt::flag("create", Some(b'c'), Some("create")),
    Opt::flag("diff", None, Some("compare")),
    Opt::flag("catenate", Some(b'A'), Some("catenate")),
    Opt::flag("catenate", None, Some("concatenate")),
    Opt::flag("clamp-mtime", None, Some("clamp-mtime")),
    Opt::optional("checkpoint", None, Some("checkpoint")),
    Opt::arg("checkpoint-action", None, Some("checkpoint-action")),
    Opt::flag("check-links", Some(b'l'), Some("check-links")),
    Opt::flag("diff", Some(b'd'), Some("diff")),
    Opt::flag("delete", None, Some("delete")),
    Opt::flag(
        "delay-directory-restore",
        None,
        Some("delay-directory-restore"),
    ),
    Opt::flag("dereference", Some(b'h'), Some("dereference")),
    Opt::arg("directory", Some(b'C'), Some("directory")),
    Opt::flag("extract", Some(b'x'), Some("extract")),
    Opt::arg("exclude", None, Some("exclude")),
    Opt::arg("exclude-from", Some(b'X'), Some("exclude-from")),
    Opt::flag("exclude-vcs", None, Some("exclude-vcs")),
    Opt::arg("file", Some(b'f'), Some("file")),
    Opt::flag("force-local", None, Some("force-local")),
    Opt::arg("format", Some(b'H'), Some("format")),
    Opt::flag("full-time", None, Some("full-time")),
    Opt::arg("files-from", Some(b'T'), Some("files-from")),
    Opt::flag("extract", None, Some("get")),
    Opt::arg("group", None, Some("group")),
    Opt::flag("gzip", Some(b'z'), Some("gzip")),
    Opt::flag("gzip", None, Some("gunzip")),
    Opt::flag("help", Some(b'?'), Some("help")),
    Opt::arg("hole-detection", None, Some("hole-detection")),
    Opt::flag("ignore-failed-read", None, Some("ignore-failed-read")),
    Opt::flag("ignore-zeros", Some(b'i'), Some("ignore-zeros")),
    Opt::flag("ignore-case", None, Some("ignore-case")),
    Opt::flag("keep-old-files", Some(b'k'), Some("keep-old-files")),
    Opt::flag("keep-newer-files", None, Some("keep-newer-files")),
    Opt::flag(
        "keep-directory-symlink",
        None,
        Some("keep-directory-symlink"),
    ),
    Opt::flag("list", Some(b't'), Some("list")),
    Opt::flag("lzma", None, Some("lzma")),
    Opt::arg("mtime", None, Some("mtime")),
    Opt::arg("mode", None, Some("mode")),
    Opt::flag("no-overwrite-dir", None, Some("no-overwrite-dir")),
    Opt::flag("no-same-owner", None, Some("no-same-owner")),
    Opt::flag("numeric-owner", None, Some("numeric-owner")),
    Opt::flag("no-same-permissions", None, Some("no-same-permissions")),
    Opt::flag(
        "no-delay-directory-restore",
        None,
        Some("no-delay-directory-restore"),
    ),
    Opt::flag("no-xattrs", None, Some("no-xattrs")),
    Opt::flag("no-selinux", None, Some("no-selinux")),
    Opt::flag("no-acls", None, Some("no-acls")),
    Opt::flag("no-auto-compress", None, Some("no-auto-compress")),
    Opt::flag("null", None, Some("null")),
    Opt::flag("no-null", None, Some("no-null")),
    Opt::flag("no-recursion", None, Some("no-recursion")),
    Opt::flag("no-anchored", None, Some("no-anchored")),
    Opt::flag("no-ignore-case", None, Some("no-ignore-case")),
    Opt::flag("no-wildcards", None, Some("no-wildcards")),
    Opt::flag(
        "no-wildcards-match-slash",
        None,
        Some("no-wildcards-match-slash"),
    ),
    Opt::flag("old-archive", None, Some("old-archive")),
    Opt::flag("overwrite", None, Some("overwrite")),
    Opt::flag("overwrite-dir", None, Some("overwrite-dir")),
    Opt::arg("owner", None, Some("owner")),
    Opt::flag("one-file-system", None, Some("one-file-system")),
    Opt::flag(
        "preserve-permissions",
        Some(b'p'),
        Some("preserve-permissions"),
    ),
    Opt::flag("preserve-order", Some(b's'), Some("preserve-order")),
    // Not in GNU tar 1.34 any more (-p and -s).
    Opt::flag("preserve", None, Some("preserve")),
    Opt::flag("posix", None, Some("posix")),
    Opt::flag("old-archive", None, Some("portability")),
    Opt::arg("pax-option", None, Some("pax-option")),
    Opt::flag("remove-files", None, Some("remove-files")),
    Opt::flag("recursive-unlink", None, Some("recursive-unlink")),
    Opt::arg("record-size", None, Some("record-size")),
    Opt::flag("read-full-records", Some(b'B'), Some("read-full-records")),
    Opt::flag("recursion", None, Some("recursion")),
    Opt::flag("sparse", Some(b'S'), Some("sparse")),
    Opt::arg("sparse-version", None, Some("sparse-version")),
    Opt::flag("skip-old-files", None, Some("skip-old-files")),
    Opt::flag("same-owner", None, Some("same-owner")),
    Opt::flag("preserve-permissions", None, Some("same-permissions")),
    Opt::flag("preserve-order", None, Some("same-order")),
    Opt::arg("sort", None, Some("sort")),
    Opt::flag("selinux", None, Some("selinux")),
    Opt::arg("strip-components", None, Some("strip-components")),
    Opt::flag(
        "show-transformed-names",
        None,
        Some("show-transformed-names"),
    ),
    Opt::flag("show-stored-names", None, Some("show-stored-names")),
    Opt::flag("to-stdout", Some(b'O'), Some("to-stdout")),
    Opt::flag("touch", Some(b'm'), Some("touch")),
    Opt::arg("transform", None, Some("transform")),
    Opt::optional("totals", None, Some("totals")),
    Opt::flag("update", Some(b'u'), Some("update")),
    Opt::flag("unlink-first", Some(b'U'), Some("unlink-first")),
    Opt::flag("utc", None, Some("utc")),
    Opt::flag("usage", None, Some("usage")),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("version", None, Some("version")),
    Opt::arg("warning", None, Some("warning")),
    Opt::flag("wildcards", None, Some("wildcards")),
    Opt::flag("wildcards-match-slash", None, Some("wildcards-match-slash")),
    Opt::flag("xattrs", None, Some("xattrs")),
    Opt::arg("xattrs-include", None, Some("xattrs-include")),
    Opt::arg("xattrs-exclude", None, Some("xattrs-exclude")),
    Opt::flag("xz", Some(b'J'), Some("xz")),
    Opt::arg("transform", None, Some("xform")),
    Opt::flag("zstd", None, Some("zstd")),
    // -o: --no-same-owner on extract, the old archive format on create (ignored).
    Opt::flag("o", Some(b'o'), None),
    Opt::flag("Z", Some(b'Z'), None),
    Opt::arg("I", Some(b'I'), Some("use-compress-program")),
    Opt::flag("w", Some(b'w'), None),
    Opt::flag("W", Some(b'W'), None),
    Opt::flag("M", Some(b'M'), None),
    Opt::flag("R", Some(b'R'), None),
    Opt::flag("n", Some(b'n'), None),
    Opt::arg("g", Some(b'g'), None),
    Opt::arg("K", Some(b'K'), None),
    Opt::arg("L", Some(b'L'), None),
    Opt::arg("N", Some(b'N'), None),
    Opt::arg("V", Some(b'V'), None),
    Opt::arg("F", Some(b'F'), None),
];

/// The command line as GNU tar takes it: in order (`-C DIR` applies to the names after it),
/// old-style first argument, argp's status 64 for a bad option and its `--usage` hint.
static SPEC: Spec = Spec::new(OPTIONS, USAGE)
    .code(64)
    .about("GNU tar compatible archiver.\n")
    .in_order()
    .old_style(2)
    .try_usage();

/// What `--help` prints (condensed from GNU tar's).
pub const USAGE: Help = help_text!(
    "\
Usage: tar [OPTION...] [FILE]...
GNU-compatible 'tar' saves many files together into a single tape or disk archive,
and can restore individual files from the archive.

Examples:
  tar -cf archive.tar foo bar  # Create archive.tar from files foo and bar.
  tar -tvf archive.tar         # List all files in archive.tar verbosely.
  tar -xf archive.tar          # Extract all files from archive.tar.

 Main operation mode:
  -A, --catenate, --concatenate   append tar files to an archive
  -c, --create               create a new archive
  -d, --diff, --compare      find differences between archive and file system
      --delete               delete from the archive (not on compressed archives)
  -r, --append               append files to the end of an archive
  -t, --list                 list the contents of an archive
  -u, --update               only append files newer than copy in archive
  -x, --extract, --get       extract files from an archive

 Overwrite control:
  -k, --keep-old-files       don't replace existing files when extracting
      --keep-newer-files     don't replace existing files that are newer
      --no-overwrite-dir     preserve metadata of existing directories
      --overwrite            overwrite existing files when extracting
      --remove-files         remove files after adding them to the archive
      --skip-old-files       don't replace existing files, silently
  -U, --unlink-first         remove each file prior to extracting over it

 Handling of file attributes:
      --group=NAME[:GID]     force NAME as group for added files
      --mode=CHANGES         force (symbolic) mode CHANGES for added files
      --mtime=DATE-OR-FILE   set mtime for added files from DATE-OR-FILE
      --clamp-mtime          only set time when the file is more recent than --mtime
  -m, --touch                don't extract file modified time
      --no-same-owner        extract files as yourself (default for ordinary users)
      --no-same-permissions  apply the user's umask when extracting permissions
      --numeric-owner        always use numbers for user/group names
      --owner=NAME[:UID]     force NAME as owner for added files
  -p, --preserve-permissions, --same-permissions
                             extract information about file permissions
                             (default for superuser)
      --same-owner           try extracting files with the same ownership as
                             exists in the archive (default for superuser)
      --sort=ORDER           directory sorting order: none (default), name or inode
      --xattrs               save and restore extended attributes

 Device selection and switching:
  -f, --file=ARCHIVE         use archive file or device ARCHIVE (default: $TAPE, else stdin/stdout)
  -b, --blocking-factor=BLOCKS   BLOCKS x 512 bytes per record
      --record-size=NUMBER   NUMBER of bytes per record, multiple of 512
  -i, --ignore-zeros         ignore zeroed blocks in archive (means EOF)

 Archive format selection:
  -H, --format=FORMAT        create archive of the given format: ustar, pax,
                             posix or gnu (written as ustar + pax headers)
  -a, --auto-compress        use archive suffix to determine the compression
  -j, --bzip2                filter the archive through bzip2
  -J, --xz                   filter the archive through xz
  -z, --gzip, --gunzip       filter the archive through gzip
      --zstd                 filter the archive through zstd
  -Z                         read compress's .Z (by magic too; not written)
  -I, --use-compress-program=PROG
                             gzip, bzip2, xz or zstd (or pigz, pbzip2, ...):
                             that format, built in (PROG's options unused)

 Local file selection:
  -C, --directory=DIR        change to directory DIR
      --exclude=PATTERN      exclude files, given as a PATTERN
      --exclude-vcs          exclude version control system directories
  -h, --dereference          follow symlinks; archive the files they point to
      --no-null              disable the effect of the previous --null option
      --no-recursion         avoid descending automatically in directories
      --null                 -T reads null-terminated names
      --one-file-system      stay in local file system when creating archive
  -P, --absolute-names       don't strip leading '/'s from file names
      --recursion            recurse into directories (default)
  -T, --files-from=FILE      get names to extract or create from FILE
  -X, --exclude-from=FILE    exclude patterns listed in FILE

 File name transformations:
      --strip-components=NUMBER   strip NUMBER leading components from file
                             names on extraction

 File name matching options (affect both exclude and include patterns):
      --anchored             patterns match file name start
      --ignore-case          ignore case
      --no-anchored          patterns match after any '/' (default for exclusion)
      --no-wildcards         verbatim string matching
      --wildcards            use wildcards (default for exclusion)
      --wildcards-match-slash   wildcards match '/' (default for exclusion)

 Informative output:
      --full-time            print file time to its full resolution
      --totals               print total bytes after processing the archive
      --utc                  print file modification times in UTC
  -v, --verbose              verbosely list files processed
  -O, --to-stdout            extract files to standard output
      --help                 give this help list
      --version              print program version
"
);

/// `TAR_OPTIONS` split into words as GNU's wordsplit does for it: blanks separate, `'...'`
/// keeps everything, `"..."` and a bare backslash escape the next character.
fn split_words(s: &[u8]) -> Vec<Vec<u8>> {
    let mut words = Vec::new();
    let mut cur: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        match c {
            b' ' | b'\t' | b'\n' => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
            }
            b'\'' => {
                let w = cur.get_or_insert_with(Vec::new);
                while i < s.len() && s[i] != b'\'' {
                    w.push(s[i]);
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                let w = cur.get_or_insert_with(Vec::new);
                while i < s.len() && s[i] != b'"' {
                    if s[i] == b'\\' && i + 1 < s.len() {
                        i += 1;
                    }
                    w.push(s[i]);
                    i += 1;
                }
                i += 1;
            }
            b'\\' if i < s.len() => {
                cur.get_or_insert_with(Vec::new).push(s[i]);
                i += 1;
            }
            _ => cur.get_or_insert_with(Vec::new).push(c),
        }
    }
    words.extend(cur);
    words
}

fn usage_error(ctx: &mut Ctx, msg: &[u8], code: i32) -> Error {
    args::usage_error(ctx, &SPEC, msg, code)
}

/// Parse the command line. `Ok(None)`: --help/--version answered.
pub fn parse(ctx: &mut Ctx, argv: Vec<OsString>) -> Result<Option<Opts>> {
    let mut o = Opts::default();
    let mut modes: Vec<Mode> = Vec::new();
    let env: Vec<OsString> = std::env::var_os("TAR_OPTIONS")
        .map(|v| split_words(v.as_bytes()))
        .unwrap_or_default()
        .into_iter()
        .map(OsString::from_vec)
        .collect();
    // GNU parses TAR_OPTIONS on its own first: an option it lacks the argument of, or does not
    // know, is reported as such and then as the variable's fault.
    if !env.is_empty() {
        let words: Vec<OsString> = argv.iter().take(1).chain(&env).cloned().collect();
        for a in args::Getopt::new(&words, SPEC.opts, SPEC.order) {
            if let Err(m) = a {
                let e = usage_error(ctx, &m, SPEC.code);
                ctx.msg(b"error parsing TAR_OPTIONS");
                return Err(e);
            }
        }
    }
    let done = args::each_with(ctx, &argv, &env, &SPEC, |ctx, a| match a {
        Arg::Operand(v) => {
            o.names.push(NameArg::Name(v.into_vec()));
            o.unconsumed.clear();
            Ok(true)
        }
        Arg::Opt(opt, v) => apply(ctx, &mut o, &mut modes, opt.id(), v.map(OsString::into_vec)),
    })?;
    if !done {
        return Ok(None);
    }

    match modes.first() {
        None => {
            return Err(usage_error(
                ctx,
                b"You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
                2,
            ))
        }
        Some(&m) => o.mode = m,
    }
    if o.file.is_none() {
        o.file = std::env::var_os("TAPE");
    }
    // --pax-option means pax unless another format was asked for, which it cannot go with.
    if o.pax_set {
        if !o.format_set {
            o.format = Format::Posix;
        } else if o.format != Format::Posix {
            let m = b"--pax-option can be used only on POSIX archives";
            return Err(usage_error(ctx, m, 2));
        }
    }
    if o.xattrs && o.format != Format::Posix {
        let m = b"--xattrs can be used only on POSIX archives";
        return Err(usage_error(ctx, m, 2));
    }
    if (o.sparse || o.sparse_version_set) && matches!(o.format, Format::V7 | Format::Ustar) {
        let m = b"GNU features wanted on incompatible archive format";
        return Err(usage_error(ctx, m, 2));
    }
    // -o: the V7 format when creating (unless a format was chosen), else --no-same-owner.
    if o.old_o {
        if o.mode == Mode::Create {
            if !o.format_set {
                o.format = Format::V7;
            }
        } else {
            o.same_owner = Some(false);
        }
    }
    let has_names = o.names.iter().any(NameArg::is_name);
    if o.mode == Mode::Create && !has_names {
        return Err(usage_error(
            ctx,
            b"Cowardly refusing to create an empty archive",
            2,
        ));
    }
    if o.lzw && o.codec == Some(Codec::Gzip) && o.mode == Mode::Create {
        return Err(usage_error(
            ctx,
            b"this compression program is not supported; use -z, -j, -J or --zstd",
            2,
        ));
    }
    if o.auto_compress && o.codec.is_none() && matches!(o.mode, Mode::Create) {
        if let Some(f) = &o.file {
            o.codec = Codec::from_name(f.as_bytes());
        }
    }
    if o.codec.is_some()
        && matches!(
            o.mode,
            Mode::Append | Mode::Update | Mode::Delete | Mode::Concatenate
        )
    {
        return Err(usage_error(ctx, b"Cannot update compressed archives", 2));
    }
    Ok(Some(o))
}

/// `-I PROG`/`--use-compress-program=PROG` naming a program whose format one of rbox's codecs
/// writes and reads (`gzip`, `pigz`, `zstd -19`, `/usr/bin/xz -T0`): that codec, built in. The
/// program's own options (level, threads) are not applied; the archive is the same format.
fn compress_program(v: &[u8]) -> Option<Codec> {
    let prog = v.split(u8::is_ascii_whitespace).find(|w| !w.is_empty())?;
    let base = prog.rsplit(|&c| c == b'/').next()?;
    match base {
        b"gzip" | b"gunzip" | b"pigz" | b"unpigz" => Some(Codec::Gzip),
        b"bzip2" | b"bunzip2" | b"pbzip2" | b"lbzip2" => Some(Codec::Bzip2),
        b"xz" | b"unxz" | b"pxz" | b"pixz" => Some(Codec::Xz),
        b"zstd" | b"unzstd" | b"zstdmt" | b"pzstd" => Some(Codec::Zstd),
        _ => None,
    }
}

fn num_arg(ctx: &mut Ctx, v: &[u8], what: &str) -> Result<u64> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| {
            let m = format!(
                "{}: {}",
                crate::common::quote::quote_always(v).escape_ascii(),
                what
            );
            usage_error(ctx, m.as_bytes(), 2)
        })
}

/// One `--pax-option` argument: comma-separated `KEY=VALUE`, `KEY:=VALUE`, `delete=PATTERN`,
/// `exthdr.name=`, `globexthdr.name=`, `exthdr.mtime=`, `globexthdr.mtime=` (GNU's xheader.c;
/// a comma inside a value is escaped with a backslash).
fn pax_option(
    ctx: &mut Ctx,
    p: &mut super::header::PaxOptions,
    v: &[u8],
) -> std::result::Result<(), Vec<u8>> {
    let mut items = Vec::new();
    let mut cur = Vec::new();
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b'\\' if v.get(i + 1) == Some(&b',') => {
                cur.push(b',');
                i += 1;
            }
            b',' => items.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
        i += 1;
    }
    items.push(cur);
    for it in items {
        let Some(eq) = memchr::memchr(b'=', &it) else {
            let mut m = b"Keyword ".to_vec();
            m.extend_from_slice(&it);
            m.extend_from_slice(b" is unknown or not yet implemented");
            return Err(m);
        };
        let global = !(eq > 0 && it[eq - 1] == b':');
        let k = it[..if global { eq } else { eq - 1 }].trim_ascii().to_vec();
        let val = it[eq + 1..].trim_ascii_start().to_vec();
        // GNU's decode_timespec: decimal seconds, an optional fraction; anything else is
        // reported (status 2) and ignored.
        let mut time = |val: &[u8]| -> Option<i64> {
            let s = std::str::from_utf8(val).unwrap_or("");
            let secs = s.split_once('.').map_or(s, |(a, f)| {
                if f.bytes().all(|c| c.is_ascii_digit()) {
                    a
                } else {
                    "x"
                }
            });
            let t = secs.parse::<i64>().ok();
            if t.is_none() {
                ctx.error(2, b"Time stamp is out of allowed range");
            }
            t
        };
        match &k[..] {
            b"delete" => p.delete.push(val),
            b"exthdr.name" => p.exthdr_name = Some(val),
            b"globexthdr.name" => p.globexthdr_name = Some(val),
            b"exthdr.mtime" => p.exthdr_mtime = time(&val).or(p.exthdr_mtime),
            b"globexthdr.mtime" => p.globexthdr_mtime = time(&val).or(p.globexthdr_mtime),
            _ if global => p.global.insert(0, (k, val)),
            _ => p.per_file.insert(0, (k, val)),
        }
    }
    Ok(())
}

/// `--owner`/`--group` id meaning "the file's own id" (name given, unknown here).
pub const KEEP_ID: u64 = u64::MAX;

/// Owner/group: NAME[:ID], or a number.
fn owner_arg(
    v: &[u8],
    lookup: impl Fn(&[u8]) -> Option<u32>,
    mut rev: impl FnMut(u32) -> Option<Vec<u8>>,
) -> Option<(u64, Vec<u8>)> {
    if let Some(k) = memchr::memchr(b':', v) {
        let id = std::str::from_utf8(&v[k + 1..]).ok()?.parse().ok()?;
        return Some((id, v[..k].to_vec()));
    }
    if let Some(id) = lookup(v) {
        return Some((id as u64, v.to_vec()));
    }
    match std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(id) => Some((id, rev(id as u32).unwrap_or_default())),
        // GNU stores an unknown name as given and keeps the file's own id.
        None if !v.is_empty() => Some((KEEP_ID, v.to_vec())),
        None => None,
    }
}

/// Apply one option. Returns false when --help/--version was answered.
fn apply(
    ctx: &mut Ctx,
    o: &mut Opts,
    modes: &mut Vec<Mode>,
    id: &str,
    val: Option<Vec<u8>>,
) -> Result<bool> {
    let v = val.unwrap_or_default();
    let os = |v: &[u8]| OsStr::from_bytes(v).to_os_string();
    let id = Id::of(id.as_bytes());
    if let Some(m) = id.and_then(|i| positional(i, &v)) {
        o.unconsumed.push(m);
    }
    let flags = MatchFlags {
        anchored: o.anchored.unwrap_or(false),
        wildcards: o.wildcards.unwrap_or(true),
        icase: o.ignore_case,
        slash: o.wildcards_slash,
    };
    let names_before = o.names.iter().filter(|n| n.is_name()).count();
    match id {
        Some(Id::Usage) => {
            ctx.out.write_all(b"Usage: tar [-AcdrtuxvOpkmhPzjJa] [-f ARCHIVE] [-C DIR] [-T FILE] [-X FILE] [--OPTION...] [FILE]...\n")?;
            return Ok(false);
        }
        Some(Id::Create) => modes.push(Mode::Create),
        Some(Id::Extract) => modes.push(Mode::Extract),
        Some(Id::List) => modes.push(Mode::List),
        Some(Id::Append) => modes.push(Mode::Append),
        Some(Id::Update) => modes.push(Mode::Update),
        Some(Id::Diff) => modes.push(Mode::Diff),
        Some(Id::Catenate) => modes.push(Mode::Concatenate),
        Some(Id::Delete) => modes.push(Mode::Delete),
        Some(Id::File) => o.file = Some(os(&v)),
        Some(Id::Directory) => o.names.push(NameArg::Dir(os(&v))),
        Some(Id::FilesFrom) => {
            o.names.push(NameArg::FilesFrom(os(&v)));
            o.unconsumed.clear();
        }
        Some(Id::ExcludeFrom) => o.exclude_from.push((os(&v), flags, names_before)),
        Some(Id::Exclude) => o.excludes.push(ExclPat {
            pat: v,
            flags,
            after: names_before,
        }),
        Some(Id::ExcludeVcs) => o.exclude_vcs = true,
        Some(Id::Verbose) => o.verbose += 1,
        Some(Id::ToStdout) => o.to_stdout = true,
        Some(Id::PreservePermissions) => o.same_perms = Some(true),
        Some(Id::NoSamePermissions) => o.same_perms = Some(false),
        Some(Id::Preserve) => o.same_perms = Some(true),
        Some(Id::SameOwner) => o.same_owner = Some(true),
        Some(Id::NoSameOwner) => o.same_owner = Some(false),
        // -o: --no-same-owner on extract (GNU), old archive format on create (ignored).
        Some(Id::O) => o.old_o = true,
        Some(Id::OldArchive) => {
            o.format = Format::V7;
            o.format_set = true;
        }
        Some(Id::PaxOption) => {
            if let Err(m) = pax_option(ctx, &mut o.pax, &v) {
                return Err(usage_error(ctx, &m, 2));
            }
            o.pax_set = true;
        }
        Some(Id::SparseVersion) => {
            let s = std::str::from_utf8(&v).unwrap_or("");
            let (a, b) = s.split_once('.').unwrap_or((s, "0"));
            match (a.parse(), b.parse()) {
                (Ok(a), Ok(b)) => {
                    o.sparse_version = (a, b);
                    o.sparse_version_set = true;
                }
                _ => return Err(usage_error(ctx, b"Invalid sparse version value", 2)),
            }
        }
        Some(Id::NumericOwner) => o.numeric_owner = true,
        Some(Id::Owner) => {
            let mut names = crate::common::fs::Names::new();
            let users = crate::common::fs::IdDb::load("/etc/passwd");
            match owner_arg(&v, |n| users.id(n), |id| names.user(id).map(|s| s.to_vec())) {
                Some(x) => o.owner = Some(x),
                None => {
                    let m = format!(
                        "{}: Invalid owner",
                        String::from_utf8_lossy(&crate::common::quote::quote_always(&v))
                    );
                    return Err(usage_error(ctx, m.as_bytes(), 2));
                }
            }
        }
        Some(Id::Group) => {
            let mut names = crate::common::fs::Names::new();
            let groups = crate::common::fs::IdDb::load("/etc/group");
            match owner_arg(
                &v,
                |n| groups.id(n),
                |id| names.group(id).map(|s| s.to_vec()),
            ) {
                Some(x) => o.group = Some(x),
                None => {
                    let m = format!(
                        "{}: Invalid group",
                        String::from_utf8_lossy(&crate::common::quote::quote_always(&v))
                    );
                    return Err(usage_error(ctx, m.as_bytes(), 2));
                }
            }
        }
        Some(Id::Mode) => {
            if crate::common::fs::apply_mode(&v, 0o644, false).is_none() {
                let m = "Invalid mode given on option";
                return Err(usage_error(ctx, m.as_bytes(), 2));
            }
            o.mode_change = Some(v);
        }
        Some(Id::Mtime) => match parse_date(&v) {
            Some(t) => o.mtime = Some(t),
            None => {
                let m = format!(
                    "Substituting {} for unknown date format {}",
                    "-9223372036854775808",
                    String::from_utf8_lossy(&crate::common::quote::quote_always(&v))
                );
                return Err(usage_error(ctx, m.as_bytes(), 2));
            }
        },
        Some(Id::ClampMtime) => o.clamp_mtime = true,
        Some(Id::Sort) => {
            o.sort = match &v[..] {
                b"none" => Sort::None,
                b"name" => Sort::Name,
                b"inode" => Sort::Inode,
                _ => {
                    let m = format!(
                        "invalid argument {} for '--sort'\nValid arguments are:\n  - 'none'\n  - 'name'\n  - 'inode'",
                        String::from_utf8_lossy(&crate::common::quote::quote_always(&v))
                    );
                    ctx.msg(m.as_bytes());
                    return Err(Error::silent(2));
                }
            }
        }
        Some(Id::HoleDetection) => {
            o.hole_raw = match &v[..] {
                b"raw" => true,
                b"seek" => false,
                _ => {
                    let m = format!(
                        "invalid argument {} for '--hole-detection'\nValid arguments are:\n  - 'raw'\n  - 'seek'",
                        String::from_utf8_lossy(&crate::common::quote::quote_always(&v))
                    );
                    ctx.msg(m.as_bytes());
                    return Err(Error::silent(2));
                }
            }
        }
        Some(Id::Dereference) => o.deref = true,
        Some(Id::Null) => o.null = true,
        Some(Id::NoNull) => o.null = false,
        Some(Id::StripComponents) => {
            o.strip = num_arg(ctx, &v, "Invalid number of elements")? as usize
        }
        Some(Id::KeepOldFiles) => o.old_files = OldFiles::Keep,
        Some(Id::SkipOldFiles) => o.old_files = OldFiles::Skip,
        Some(Id::Overwrite) => o.old_files = OldFiles::Overwrite,
        Some(Id::UnlinkFirst) => o.old_files = OldFiles::Unlink,
        Some(Id::KeepNewerFiles) => o.old_files = OldFiles::KeepNewer,
        Some(Id::NoOverwriteDir) => o.no_overwrite_dir = true,
        Some(Id::OverwriteDir) => o.no_overwrite_dir = false,
        Some(Id::RemoveFiles) => o.remove_files = true,
        Some(Id::NoRecursion) => {
            o.recursion = false;
            o.names.push(NameArg::Recursion(false));
        }
        Some(Id::Recursion) => {
            o.recursion = true;
            o.names.push(NameArg::Recursion(true));
        }
        Some(Id::AbsoluteNames) => o.absolute = true,
        Some(Id::Totals) => o.totals = true,
        Some(Id::Gzip) => {
            o.codec = Some(Codec::Gzip);
            o.lzw = false;
        }
        Some(Id::Bzip2) => o.codec = Some(Codec::Bzip2),
        Some(Id::Xz) => o.codec = Some(Codec::Xz),
        Some(Id::Zstd) => o.codec = Some(Codec::Zstd),
        Some(Id::CapI) if compress_program(&v).is_some() => o.codec = compress_program(&v),
        Some(Id::CapZ) => {
            o.codec = Some(Codec::Gzip);
            o.lzw = true;
        }
        Some(Id::Lzma) | Some(Id::CapI) => {
            return Err(usage_error(
                ctx,
                b"this compression program is not supported; use -z, -j, -J or --zstd",
                2,
            ));
        }
        Some(Id::AutoCompress) => o.auto_compress = true,
        Some(Id::NoAutoCompress) => o.auto_compress = false,
        Some(Id::Format) => {
            o.format_set = true;
            o.format = match &v[..] {
                b"v7" => Format::V7,
                b"oldgnu" => Format::OldGnu,
                b"gnu" => Format::Gnu,
                b"ustar" => Format::Ustar,
                b"pax" | b"posix" => Format::Posix,
                _ => {
                    let mut m = super::diag::diag_name(&v);
                    m.extend_from_slice(b": Invalid archive format");
                    return Err(usage_error(ctx, &m, 2));
                }
            }
        }
        Some(Id::Posix) => {
            o.format = Format::Posix;
            o.format_set = true;
        }
        Some(Id::Wildcards) => o.wildcards = Some(true),
        Some(Id::NoWildcards) => o.wildcards = Some(false),
        Some(Id::WildcardsMatchSlash) => o.wildcards_slash = true,
        Some(Id::NoWildcardsMatchSlash) => o.wildcards_slash = false,
        Some(Id::Anchored) => o.anchored = Some(true),
        Some(Id::NoAnchored) => o.anchored = Some(false),
        Some(Id::IgnoreCase) => o.ignore_case = true,
        Some(Id::NoIgnoreCase) => o.ignore_case = false,
        Some(Id::Xattrs) => {
            // GNU: --xattrs selects the pax format.
            o.xattrs = true;
            o.format = Format::Posix;
            o.format_set = true;
        }
        Some(Id::NoXattrs) => o.xattrs = false,
        Some(Id::IgnoreZeros) => o.ignore_zeros = true,
        Some(Id::Touch) => o.touch = true,
        Some(Id::FullTime) => o.full_time = true,
        Some(Id::Utc) => o.utc = true,
        Some(Id::BlockingFactor) => {
            let n = num_arg(ctx, &v, "Invalid blocking factor")?;
            if n == 0 || n > 1 << 20 {
                return Err(usage_error(ctx, b"Invalid blocking factor", 2));
            }
            o.record = n * 512;
        }
        Some(Id::RecordSize) => {
            let n = num_arg(ctx, &v, "Invalid record size")?;
            if n == 0 || n % 512 != 0 || n > 1 << 29 {
                return Err(usage_error(
                    ctx,
                    b"Record size must be a multiple of 512.",
                    2,
                ));
            }
            o.record = n;
        }
        Some(Id::OneFileSystem) => o.one_file_system = true,
        Some(Id::ShowStoredNames) => o.show_stored = true,
        Some(Id::ShowTransformedNames) => o.show_transformed = true,
        Some(Id::Transform) => {
            if let Err(m) = o.transform.add(&v) {
                return Err(usage_error(ctx, &m, 2));
            }
        }
        Some(Id::Warning) => warning(ctx, o, &v)?,
        Some(Id::IgnoreFailedRead) => o.ignore_failed_read = true,
        Some(Id::Sparse) => o.sparse = true,
        Some(Id::KeepDirectorySymlink) => o.keep_dir_symlink = true,
        // Accepted for compatibility; no effect here.
        _ => {}
    }
    // A second mode is refused when it comes up, before later options are looked at (GNU).
    if modes.iter().any(|m| *m != modes[0]) {
        return Err(more_than_one_mode(ctx));
    }
    Ok(true)
}

crate::common::args::named! {
    /// The ids the match above knows, each with its variant: found by one search of this table,
    /// where a match on the strings compiled to a comparison of each.
    enum Id {
        Usage = "usage",
        Create = "create",
        Extract = "extract",
        List = "list",
        Append = "append",
        Update = "update",
        Diff = "diff",
        Catenate = "catenate",
        Delete = "delete",
        File = "file",
        Directory = "directory",
        FilesFrom = "files-from",
        ExcludeFrom = "exclude-from",
        Exclude = "exclude",
        ExcludeVcs = "exclude-vcs",
        Verbose = "verbose",
        ToStdout = "to-stdout",
        PreservePermissions = "preserve-permissions",
        NoSamePermissions = "no-same-permissions",
        Preserve = "preserve",
        SameOwner = "same-owner",
        NoSameOwner = "no-same-owner",
        O = "o",
        OldArchive = "old-archive",
        PaxOption = "pax-option",
        SparseVersion = "sparse-version",
        NumericOwner = "numeric-owner",
        Owner = "owner",
        Group = "group",
        Mode = "mode",
        Mtime = "mtime",
        ClampMtime = "clamp-mtime",
        Sort = "sort",
        HoleDetection = "hole-detection",
        Dereference = "dereference",
        Null = "null",
        NoNull = "no-null",
        StripComponents = "strip-components",
        KeepOldFiles = "keep-old-files",
        SkipOldFiles = "skip-old-files",
        Overwrite = "overwrite",
        UnlinkFirst = "unlink-first",
        KeepNewerFiles = "keep-newer-files",
        NoOverwriteDir = "no-overwrite-dir",
        OverwriteDir = "overwrite-dir",
        RemoveFiles = "remove-files",
        NoRecursion = "no-recursion",
        Recursion = "recursion",
        AbsoluteNames = "absolute-names",
        Totals = "totals",
        Gzip = "gzip",
        Bzip2 = "bzip2",
        Xz = "xz",
        Zstd = "zstd",
        CapI = "I",
        CapZ = "Z",
        Lzma = "lzma",
        AutoCompress = "auto-compress",
        NoAutoCompress = "no-auto-compress",
        Format = "format",
        Posix = "posix",
        Wildcards = "wildcards",
        NoWildcards = "no-wildcards",
        WildcardsMatchSlash = "wildcards-match-slash",
        NoWildcardsMatchSlash = "no-wildcards-match-slash",
        Anchored = "anchored",
        NoAnchored = "no-anchored",
        IgnoreCase = "ignore-case",
        NoIgnoreCase = "no-ignore-case",
        Xattrs = "xattrs",
        NoXattrs = "no-xattrs",
        IgnoreZeros = "ignore-zeros",
        Touch = "touch",
        FullTime = "full-time",
        Utc = "utc",
        BlockingFactor = "blocking-factor",
        RecordSize = "record-size",
        OneFileSystem = "one-file-system",
        ShowStoredNames = "show-stored-names",
        ShowTransformedNames = "show-transformed-names",
        Transform = "transform",
        Warning = "warning",
        IgnoreFailedRead = "ignore-failed-read",
        Sparse = "sparse",
        KeepDirectorySymlink = "keep-directory-symlink",
    }
}

/// GNU tar's `--warning` keywords (warning.c), in its order.
const WARNINGS: &[&str] = &[
    "all",
    "alone-zero-block",
    "bad-dumpdir",
    "cachedir",
    "contiguous-cast",
    "file-changed",
    "file-ignored",
    "file-removed",
    "file-shrank",
    "file-unchanged",
    "filename-with-nuls",
    "ignore-archive",
    "ignore-newer",
    "new-directory",
    "rename-directory",
    "symlink-cast",
    "timestamp",
    "unknown-cast",
    "unknown-keyword",
    "xdev",
    "decompress-program",
    "existing-file",
    "xattr-write",
    "record-size",
    "failed-read",
];

/// `--warning=[no-]KEYWORD` or `none`: every keyword is accepted (unambiguous abbreviations
/// too, as argmatch allows); `timestamp` is the one rbox has a warning for.
fn warning(ctx: &mut Ctx, o: &mut Opts, v: &[u8]) -> Result<()> {
    if v == b"none" {
        o.warn_timestamp = false;
        return Ok(());
    }
    let (neg, k) = match v.strip_prefix(b"no-") {
        Some(k) => (true, k),
        None => (false, v),
    };
    let exact = WARNINGS.iter().position(|w| w.as_bytes() == k);
    let found = exact.or_else(|| {
        let m: Vec<usize> = (0..WARNINGS.len())
            .filter(|&i| WARNINGS[i].as_bytes().starts_with(k))
            .collect();
        (m.len() == 1).then(|| m[0])
    });
    let Some(i) = found else {
        let ambiguous = WARNINGS
            .iter()
            .filter(|w| w.as_bytes().starts_with(k))
            .count()
            > 1;
        let mut m = if ambiguous {
            b"ambiguous argument ".to_vec()
        } else {
            b"invalid argument ".to_vec()
        };
        m.extend_from_slice(&crate::common::quote::quote_always(k));
        m.extend_from_slice(b" for '--warning'\nValid arguments are:");
        for w in WARNINGS {
            push_fmt(&mut m, format_args!("\n  - '{w}'"));
        }
        ctx.msg(&m);
        return Err(Error::silent(2));
    };
    if matches!(WARNINGS[i], "all" | "timestamp") {
        o.warn_timestamp = !neg;
    }
    Ok(())
}

/// GNU's file selection options are positional: given after the last name on create or
/// update, one of them has no effect, which GNU reports in these words. (`--null` is not
/// among them here: rbox applies it to every `-T` list wherever it stands.)
fn positional(id: Id, v: &[u8]) -> Option<Vec<u8>> {
    let long = match id {
        Id::Directory => {
            let mut m = b"-C ".to_vec();
            m.extend_from_slice(&crate::common::quote::quote_always(v));
            m.extend_from_slice(b" has no effect");
            return Some(m);
        }
        Id::Exclude => "exclude",
        Id::ExcludeFrom => "exclude-from",
        Id::ExcludeVcs => "exclude-vcs",
        Id::Recursion => "recursion",
        Id::NoRecursion => "no-recursion",
        Id::Anchored => "anchored",
        Id::NoAnchored => "no-anchored",
        Id::IgnoreCase => "ignore-case",
        Id::NoIgnoreCase => "no-ignore-case",
        Id::Wildcards => "wildcards",
        Id::NoWildcards => "no-wildcards",
        Id::WildcardsMatchSlash => "wildcards-match-slash",
        Id::NoWildcardsMatchSlash => "no-wildcards-match-slash",
        _ => return None,
    };
    let mut m = format!("--{long}").into_bytes();
    if matches!(id, Id::Exclude | Id::ExcludeFrom) {
        m.push(b' ');
        m.extend_from_slice(&crate::common::quote::quote_always(v));
    }
    m.extend_from_slice(b" has no effect");
    Some(m)
}

fn more_than_one_mode(ctx: &mut Ctx) -> Error {
    usage_error(
        ctx,
        b"You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
        2,
    )
}

/// `--mtime`: `@SECONDS`, `YYYY-MM-DD[ T]HH:MM[:SS[.frac]]` (UTC with a trailing Z or
/// "UTC", local time otherwise), or the name of a file whose mtime is used (GNU: a name
/// starting with `/` or `.`).
pub fn parse_date(v: &[u8]) -> Option<(i64, u32)> {
    let s = std::str::from_utf8(v).ok()?.trim();
    if s.starts_with('/') || s.starts_with('.') {
        let st = std::fs::metadata(s).ok()?;
        use std::os::unix::fs::MetadataExt;
        return Some((st.mtime(), st.mtime_nsec() as u32));
    }
    if let Some(n) = s.strip_prefix('@') {
        let (a, frac) = match n.split_once('.') {
            Some((a, f)) => (a, f),
            None => (n, ""),
        };
        let secs: i64 = a.parse().ok()?;
        let mut ns = 0u32;
        for (i, c) in frac.bytes().take(9).enumerate() {
            if !c.is_ascii_digit() {
                return None;
            }
            ns += (c - b'0') as u32 * 10u32.pow(8 - i as u32);
        }
        return Some((secs, ns));
    }
    let (mut body, utc) = if let Some(b) = s.strip_suffix('Z') {
        (b, true)
    } else if let Some(b) = s.strip_suffix(" UTC").or_else(|| s.strip_suffix(" GMT")) {
        (b, true)
    } else {
        (s, false)
    };
    body = body.trim();
    let (date, time) = match body.find([' ', 'T']) {
        Some(k) => (&body[..k], body[k + 1..].trim()),
        None => (body, ""),
    };
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let m: u32 = dp.next()?.parse().ok()?;
    let d: u32 = dp.next()?.parse().ok()?;
    if dp.next().is_some()
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || !(-1_000_000..=1_000_000).contains(&y)
    {
        return None;
    }
    let (mut hh, mut mm, mut ss) = (0u32, 0u32, 0u32);
    if !time.is_empty() {
        let mut tp = time.split(':');
        hh = tp.next()?.parse().ok()?;
        mm = tp.next().unwrap_or("0").parse().ok()?;
        let sec = tp.next().unwrap_or("0");
        ss = sec.split('.').next()?.parse().ok()?;
        if hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
    }
    let days = crate::common::time::days_from_civil(y, m, d);
    let local = days * 86400 + (hh * 3600 + mm * 60 + ss) as i64;
    if utc {
        return Some((local, 0));
    }
    // Local time: find the offset in effect (two passes settle DST edges).
    let zone = crate::common::time::Zone::local();
    let off1 = zone.to_tm(local).utoff;
    let off2 = zone.to_tm(local - off1).utoff;
    Some((local - off2, 0))
}

/// Names from `-T FILE`: lines (or NUL-separated with --null).
pub fn read_names_file(path: &OsStr, null: bool) -> std::io::Result<Vec<Vec<u8>>> {
    read_names_file_at(sys::cwd(), path, null)
}

/// Same, with a relative `path` resolved from `dir` (GNU reads `-T` after earlier `-C`s).
pub fn read_names_file_at(
    dir: BorrowedFd,
    path: &OsStr,
    null: bool,
) -> std::io::Result<Vec<Vec<u8>>> {
    let mut data = Vec::new();
    if path.as_bytes() == b"-" {
        sys::fd::read_to_end(crate::common::io::stdin_fd(), &mut data)?;
    } else {
        let f = sys::fd::openat(dir, path.as_bytes(), libc::O_RDONLY | libc::O_CLOEXEC, 0)?;
        sys::fd::read_to_end(f.as_fd(), &mut data)?;
    }
    let sep = if null { 0 } else { b'\n' };
    Ok(data
        .split(|&c| c == sep)
        .filter(|l| !l.is_empty())
        .map(|l| l.to_vec())
        .collect())
}

/// What a `-T` list holds, GNU's way (unless `--null`, which reads names verbatim): a line
/// starting with `-` is options, of which `-C DIR`, `-T FILE`, `--recursion` and
/// `--no-recursion` are taken where they stand; every other line is a name.
pub fn list_items(lines: Vec<Vec<u8>>, null: bool) -> Vec<NameArg> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if null || !line.trim_ascii_start().starts_with(b"-") {
            out.push(NameArg::Name(line));
            continue;
        }
        let words = split_words(&line);
        let mut it = words.into_iter();
        let os = |v: Vec<u8>| OsString::from_vec(v);
        while let Some(w) = it.next() {
            let item = match &w[..] {
                b"-C" | b"--directory" => it.next().map(|d| NameArg::Dir(os(d))),
                b"-T" | b"--files-from" => it.next().map(|f| NameArg::FilesFrom(os(f))),
                b"--recursion" => Some(NameArg::Recursion(true)),
                b"--no-recursion" => Some(NameArg::Recursion(false)),
                _ => {
                    if let Some(d) = w.strip_prefix(b"--directory=") {
                        Some(NameArg::Dir(os(d.to_vec())))
                    } else if let Some(f) = w.strip_prefix(b"--files-from=") {
                        Some(NameArg::FilesFrom(os(f.to_vec())))
                    } else if w.len() > 2 && w.starts_with(b"-C") {
                        Some(NameArg::Dir(os(w[2..].to_vec())))
                    } else if w.len() > 2 && w.starts_with(b"-T") {
                        Some(NameArg::FilesFrom(os(w[2..].to_vec())))
                    } else {
                        Some(NameArg::Name(w))
                    }
                }
            };
            out.extend(item);
        }
    }
    out
}
