//! Command line: GNU tar's three syntaxes (`tar -xzf a.tgz`, old-style bundled `tar xzf a.tgz`,
//! long `tar --extract --gzip --file=a.tgz`), GNU getopt_long semantics (permutation,
//! abbreviated long options, `--` ends options) and GNU's messages and exit codes (64 for a
//! bad option, as argp does; 2 for a bad combination).
//!
//! Not clap: `-C DIR` and `-T FILE` are positional among the operands (`-C` applies to the
//! names that follow it), which a declarative parser cannot express.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::compress::Codec;
use super::header::Format;
use crate::common::{Ctx, Error, Result};

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
}

pub struct Opts {
    pub mode: Mode,
    pub file: Option<OsString>,
    pub verbose: u8,
    pub codec: Option<Codec>,
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
    pub excludes: Vec<Vec<u8>>,
    pub exclude_from: Vec<OsString>,
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
    /// -S: store holes of sparse files as GNU pax sparse 1.0.
    pub sparse: bool,
    /// For the --totals rate.
    pub start: std::time::Instant,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            mode: Mode::List,
            file: None,
            verbose: 0,
            codec: None,
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
            format: Format::Ustar,
            wildcards: None,
            wildcards_slash: true,
            anchored: None,
            ignore_case: false,
            excludes: Vec::new(),
            exclude_from: Vec::new(),
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
            keep_dir_symlink: false,
            start: std::time::Instant::now(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Has {
    No,
    Req,
    Opt,
}

/// (long name, short letter, argument)
const LONG: &[(&str, u8, Has)] = &[
    ("absolute-names", b'P', Has::No),
    ("acls", 0, Has::No),
    ("anchored", 0, Has::No),
    ("append", b'r', Has::No),
    ("atime-preserve", 0, Has::Opt),
    ("auto-compress", b'a', Has::No),
    ("blocking-factor", b'b', Has::Req),
    ("bzip2", b'j', Has::No),
    ("catenate", b'A', Has::No),
    ("check-links", b'l', Has::No),
    ("checkpoint", 0, Has::Opt),
    ("checkpoint-action", 0, Has::Req),
    ("clamp-mtime", 0, Has::No),
    ("compare", b'd', Has::No),
    ("concatenate", b'A', Has::No),
    ("create", b'c', Has::No),
    ("delay-directory-restore", 0, Has::No),
    ("delete", 0, Has::No),
    ("dereference", b'h', Has::No),
    ("diff", b'd', Has::No),
    ("directory", b'C', Has::Req),
    ("exclude", 0, Has::Req),
    ("exclude-from", b'X', Has::Req),
    ("exclude-vcs", 0, Has::No),
    ("extract", b'x', Has::No),
    ("file", b'f', Has::Req),
    ("files-from", b'T', Has::Req),
    ("force-local", 0, Has::No),
    ("format", b'H', Has::Req),
    ("full-time", 0, Has::No),
    ("get", b'x', Has::No),
    ("group", 0, Has::Req),
    ("gunzip", b'z', Has::No),
    ("gzip", b'z', Has::No),
    ("help", b'?', Has::No),
    ("ignore-case", 0, Has::No),
    ("ignore-failed-read", 0, Has::No),
    ("ignore-zeros", b'i', Has::No),
    ("keep-directory-symlink", 0, Has::No),
    ("keep-newer-files", 0, Has::No),
    ("keep-old-files", b'k', Has::No),
    ("list", b't', Has::No),
    ("lzma", 0, Has::No),
    ("mode", 0, Has::Req),
    ("mtime", 0, Has::Req),
    ("no-acls", 0, Has::No),
    ("no-anchored", 0, Has::No),
    ("no-auto-compress", 0, Has::No),
    ("no-delay-directory-restore", 0, Has::No),
    ("no-ignore-case", 0, Has::No),
    ("no-null", 0, Has::No),
    ("no-overwrite-dir", 0, Has::No),
    ("no-recursion", 0, Has::No),
    ("no-same-owner", 0, Has::No),
    ("no-same-permissions", 0, Has::No),
    ("no-selinux", 0, Has::No),
    ("no-wildcards", 0, Has::No),
    ("no-wildcards-match-slash", 0, Has::No),
    ("no-xattrs", 0, Has::No),
    ("null", 0, Has::No),
    ("numeric-owner", 0, Has::No),
    ("one-file-system", 0, Has::No),
    ("overwrite", 0, Has::No),
    ("overwrite-dir", 0, Has::No),
    ("owner", 0, Has::Req),
    ("posix", 0, Has::No),
    ("preserve", 0, Has::No),
    ("preserve-order", b's', Has::No),
    ("preserve-permissions", b'p', Has::No),
    ("read-full-records", b'B', Has::No),
    ("record-size", 0, Has::Req),
    ("recursion", 0, Has::No),
    ("recursive-unlink", 0, Has::No),
    ("remove-files", 0, Has::No),
    ("same-order", b's', Has::No),
    ("same-owner", 0, Has::No),
    ("same-permissions", b'p', Has::No),
    ("selinux", 0, Has::No),
    ("show-stored-names", 0, Has::No),
    ("skip-old-files", 0, Has::No),
    ("sort", 0, Has::Req),
    ("sparse", b'S', Has::No),
    ("strip-components", 0, Has::Req),
    ("to-stdout", b'O', Has::No),
    ("totals", 0, Has::Opt),
    ("touch", b'm', Has::No),
    ("unlink-first", b'U', Has::No),
    ("update", b'u', Has::No),
    ("usage", 0, Has::No),
    ("utc", 0, Has::No),
    ("verbose", b'v', Has::No),
    ("version", 0, Has::No),
    ("warning", 0, Has::Req),
    ("wildcards", 0, Has::No),
    ("wildcards-match-slash", 0, Has::No),
    ("xattrs", 0, Has::No),
    ("xattrs-exclude", 0, Has::Req),
    ("xattrs-include", 0, Has::Req),
    ("xz", b'J', Has::No),
    ("zstd", 0, Has::No),
];

/// Short letters that exist only as short options (or whose long form differs above).
fn short_has(c: u8) -> Option<Has> {
    if let Some(&(_, _, h)) = LONG.iter().find(|o| o.1 == c) {
        return Some(h);
    }
    match c {
        b'o' | b'w' | b'W' | b'M' | b'R' | b'n' | b'Z' => Some(Has::No),
        b'g' | b'K' | b'L' | b'N' | b'V' | b'F' | b'I' => Some(Has::Req),
        _ => None,
    }
}

/// What `--help` prints (condensed from GNU tar's).
pub const USAGE: &str = "\
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
";

fn usage_error(ctx: &mut Ctx, msg: &[u8], code: i32) -> Error {
    ctx.msg(msg);
    let _ = ctx.out.flush();
    crate::common::io::write_all_fd(
        2,
        b"Try 'tar --help' or 'tar --usage' for more information.\n",
    )
    .ok();
    Error::silent(code)
}

/// Parse the command line. `Ok(None)`: --help/--version answered.
pub fn parse(ctx: &mut Ctx, argv: Vec<OsString>) -> Result<Option<Opts>> {
    let mut args: Vec<OsString> = argv.into_iter().skip(1).collect();
    // Old style: the first argument bundles letters without a dash; letters that take an
    // argument take the next words in order.
    if let Some(first) = args.first() {
        let fb = first.as_bytes();
        if !fb.is_empty() && fb[0] != b'-' {
            let letters = fb.to_vec();
            let mut rest: std::collections::VecDeque<OsString> = args.drain(1..).collect();
            let mut out: Vec<OsString> = Vec::new();
            for &c in &letters {
                let mut o = vec![b'-', c];
                match short_has(c) {
                    Some(Has::Req) => {
                        out.push(OsString::from_vec(o));
                        match rest.pop_front() {
                            Some(v) => out.push(v),
                            None => {
                                let m = format!("Old option '{}' requires an argument.", c as char);
                                return Err(usage_error(ctx, m.as_bytes(), 2));
                            }
                        }
                    }
                    Some(_) => out.push(OsString::from_vec(std::mem::take(&mut o))),
                    None => {
                        let m = format!("invalid option -- '{}'", c as char);
                        return Err(usage_error(ctx, m.as_bytes(), 64));
                    }
                }
            }
            out.extend(rest);
            args = out;
        }
    }

    let mut o = Opts::default();
    let mut modes: Vec<Mode> = Vec::new();
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let a = args[i].as_bytes().to_vec();
        i += 1;
        if only_operands || a.len() < 2 || a[0] != b'-' {
            o.names.push(NameArg::Name(a));
            continue;
        }
        if a == b"--" {
            only_operands = true;
            continue;
        }
        if let Some(body) = a.strip_prefix(b"--") {
            let (name, val) = match memchr::memchr(b'=', body) {
                Some(k) => (&body[..k], Some(body[k + 1..].to_vec())),
                None => (body, None),
            };
            let name_s = String::from_utf8_lossy(name).into_owned();
            let exact = LONG.iter().find(|l| l.0 == name_s);
            let cands: Vec<&(&str, u8, Has)> = match exact {
                Some(e) => vec![e],
                None => LONG.iter().filter(|l| l.0.starts_with(&name_s)).collect(),
            };
            let opt = match cands.len() {
                0 => {
                    let m = format!("unrecognized option '--{}'", String::from_utf8_lossy(body));
                    return Err(usage_error(ctx, m.as_bytes(), 64));
                }
                1 => cands[0],
                _ => {
                    let mut m = format!("option '--{name_s}' is ambiguous; possibilities:");
                    for c in &cands {
                        m.push_str(&format!(" '--{}'", c.0));
                    }
                    return Err(usage_error(ctx, m.as_bytes(), 64));
                }
            };
            let val = match (opt.2, val) {
                (Has::No, Some(_)) => {
                    let m = format!("option '--{}' doesn't allow an argument", opt.0);
                    return Err(usage_error(ctx, m.as_bytes(), 64));
                }
                (Has::Req, None) => {
                    if i < args.len() {
                        i += 1;
                        Some(args[i - 1].as_bytes().to_vec())
                    } else {
                        let m = format!("option '--{}' requires an argument", opt.0);
                        return Err(usage_error(ctx, m.as_bytes(), 64));
                    }
                }
                (_, v) => v,
            };
            if !apply(ctx, &mut o, &mut modes, opt.0, opt.1, val)? {
                return Ok(None);
            }
            continue;
        }
        // Short cluster.
        let mut k = 1;
        while k < a.len() {
            let c = a[k];
            k += 1;
            let Some(h) = short_has(c) else {
                let m = format!("invalid option -- '{}'", c as char);
                return Err(usage_error(ctx, m.as_bytes(), 64));
            };
            let val = if h == Has::Req {
                if k < a.len() {
                    let v = a[k..].to_vec();
                    k = a.len();
                    Some(v)
                } else if i < args.len() {
                    i += 1;
                    Some(args[i - 1].as_bytes().to_vec())
                } else {
                    let m = format!("option requires an argument -- '{}'", c as char);
                    return Err(usage_error(ctx, m.as_bytes(), 64));
                }
            } else {
                None
            };
            let long = LONG.iter().find(|l| l.1 == c).map(|l| l.0).unwrap_or("");
            if !apply(ctx, &mut o, &mut modes, long, c, val)? {
                return Ok(None);
            }
        }
    }

    modes.dedup();
    match modes.len() {
        0 => {
            return Err(usage_error(
                ctx,
                b"You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
                2,
            ))
        }
        1 => o.mode = modes[0],
        _ => return Err(usage_error(
            ctx,
            b"You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
            2,
        )),
    }
    if o.file.is_none() {
        o.file = std::env::var_os("TAPE");
    }
    let has_names = o.names.iter().any(|n| !matches!(n, NameArg::Dir(_)));
    if o.mode == Mode::Create && !has_names {
        return Err(usage_error(
            ctx,
            b"Cowardly refusing to create an empty archive",
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
    long: &str,
    short: u8,
    val: Option<Vec<u8>>,
) -> Result<bool> {
    let v = val.unwrap_or_default();
    let os = |v: &[u8]| OsStr::from_bytes(v).to_os_string();
    match (long, short) {
        ("help", _) | (_, b'?') => {
            ctx.out.write_all(USAGE.as_bytes())?;
            return Ok(false);
        }
        ("usage", _) => {
            ctx.out.write_all(b"Usage: tar [-AcdrtuxvOpkmhPzjJa] [-f ARCHIVE] [-C DIR] [-T FILE] [-X FILE] [--OPTION...] [FILE]...\n")?;
            return Ok(false);
        }
        ("version", _) => {
            ctx.out.write_all(
                concat!(
                    "tar (rbox) ",
                    env!("CARGO_PKG_VERSION"),
                    "\nGNU tar compatible archiver.\n"
                )
                .as_bytes(),
            )?;
            return Ok(false);
        }
        (_, b'c') => modes.push(Mode::Create),
        (_, b'x') => modes.push(Mode::Extract),
        (_, b't') => modes.push(Mode::List),
        (_, b'r') => modes.push(Mode::Append),
        (_, b'u') => modes.push(Mode::Update),
        (_, b'd') => modes.push(Mode::Diff),
        (_, b'A') => modes.push(Mode::Concatenate),
        ("delete", _) => modes.push(Mode::Delete),
        (_, b'f') => o.file = Some(os(&v)),
        (_, b'C') => o.names.push(NameArg::Dir(os(&v))),
        (_, b'T') => o.names.push(NameArg::FilesFrom(os(&v))),
        (_, b'X') => o.exclude_from.push(os(&v)),
        ("exclude", _) => o.excludes.push(v),
        ("exclude-vcs", _) => o.exclude_vcs = true,
        (_, b'v') => o.verbose += 1,
        (_, b'O') => o.to_stdout = true,
        (_, b'p') => o.same_perms = Some(true),
        ("no-same-permissions", _) => o.same_perms = Some(false),
        ("preserve", _) => o.same_perms = Some(true),
        ("same-owner", _) => o.same_owner = Some(true),
        ("no-same-owner", _) => o.same_owner = Some(false),
        // -o: --no-same-owner on extract (GNU), old archive format on create (ignored).
        (_, b'o') => o.same_owner = Some(false),
        ("numeric-owner", _) => o.numeric_owner = true,
        ("owner", _) => {
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
        ("group", _) => {
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
        ("mode", _) => {
            if crate::common::fs::apply_mode(&v, 0o644, false).is_none() {
                let m = "Invalid mode given on option";
                return Err(usage_error(ctx, m.as_bytes(), 2));
            }
            o.mode_change = Some(v);
        }
        ("mtime", _) => match parse_date(&v) {
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
        ("clamp-mtime", _) => o.clamp_mtime = true,
        ("sort", _) => {
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
        (_, b'h') => o.deref = true,
        ("null", _) => o.null = true,
        ("no-null", _) => o.null = false,
        ("strip-components", _) => {
            o.strip = num_arg(ctx, &v, "Invalid number of elements")? as usize
        }
        (_, b'k') => o.old_files = OldFiles::Keep,
        ("skip-old-files", _) => o.old_files = OldFiles::Skip,
        ("overwrite", _) => o.old_files = OldFiles::Overwrite,
        (_, b'U') => o.old_files = OldFiles::Unlink,
        ("keep-newer-files", _) => o.old_files = OldFiles::KeepNewer,
        ("no-overwrite-dir", _) => o.no_overwrite_dir = true,
        ("overwrite-dir", _) => o.no_overwrite_dir = false,
        ("remove-files", _) => o.remove_files = true,
        ("no-recursion", _) => o.recursion = false,
        ("recursion", _) => o.recursion = true,
        (_, b'P') => o.absolute = true,
        ("totals", _) => o.totals = true,
        (_, b'z') => o.codec = Some(Codec::Gzip),
        (_, b'j') => o.codec = Some(Codec::Bzip2),
        (_, b'J') => o.codec = Some(Codec::Xz),
        ("zstd", _) => o.codec = Some(Codec::Zstd),
        ("lzma", _) | (_, b'Z') | (_, b'I') => {
            return Err(usage_error(
                ctx,
                b"this compression program is not supported; use -z, -j, -J or --zstd",
                2,
            ));
        }
        (_, b'a') => o.auto_compress = true,
        ("no-auto-compress", _) => o.auto_compress = false,
        (_, b'H') => {
            o.format = match &v[..] {
                b"ustar" | b"v7" => Format::StrictUstar,
                b"pax" | b"posix" => Format::Pax,
                b"gnu" | b"oldgnu" => Format::Ustar,
                _ => {
                    let m = format!(
                        "{}: Invalid archive format",
                        String::from_utf8_lossy(&crate::common::quote::quote_always(&v))
                    );
                    return Err(usage_error(ctx, m.as_bytes(), 2));
                }
            }
        }
        ("posix", _) => o.format = Format::Pax,
        ("wildcards", _) => o.wildcards = Some(true),
        ("no-wildcards", _) => o.wildcards = Some(false),
        ("wildcards-match-slash", _) => o.wildcards_slash = true,
        ("no-wildcards-match-slash", _) => o.wildcards_slash = false,
        ("anchored", _) => o.anchored = Some(true),
        ("no-anchored", _) => o.anchored = Some(false),
        ("ignore-case", _) => o.ignore_case = true,
        ("no-ignore-case", _) => o.ignore_case = false,
        ("xattrs", _) => o.xattrs = true,
        ("no-xattrs", _) => o.xattrs = false,
        (_, b'i') => o.ignore_zeros = true,
        (_, b'm') => o.touch = true,
        ("full-time", _) => o.full_time = true,
        ("utc", _) => o.utc = true,
        (_, b'b') => {
            let n = num_arg(ctx, &v, "Invalid blocking factor")?;
            if n == 0 || n > 1 << 20 {
                return Err(usage_error(ctx, b"Invalid blocking factor", 2));
            }
            o.record = n * 512;
        }
        ("record-size", _) => {
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
        ("one-file-system", _) => o.one_file_system = true,
        ("show-stored-names", _) => o.show_stored = true,
        ("ignore-failed-read", _) => o.ignore_failed_read = true,
        (_, b'S') => o.sparse = true,
        ("keep-directory-symlink", _) => o.keep_dir_symlink = true,
        // Accepted for compatibility; no effect here.
        _ => {}
    }
    Ok(true)
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
    read_names_file_at(libc::AT_FDCWD, path, null)
}

/// Same, with a relative `path` resolved from `dirfd` (GNU reads `-T` after earlier `-C`s).
pub fn read_names_file_at(dirfd: i32, path: &OsStr, null: bool) -> std::io::Result<Vec<Vec<u8>>> {
    let data = if path.as_bytes() == b"-" {
        let mut v = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = crate::common::io::read_fd(0, &mut buf)?;
            if n == 0 {
                break;
            }
            v.extend_from_slice(&buf[..n]);
        }
        v
    } else {
        let mut c = path.as_bytes().to_vec();
        c.push(0);
        // SAFETY: c is NUL-terminated.
        let fd =
            unsafe { libc::openat(dirfd, c.as_ptr().cast(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut v = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let r = loop {
            match crate::common::io::read_fd(fd, &mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => v.extend_from_slice(&buf[..n]),
                Err(e) => break Err(e),
            }
        };
        // SAFETY: we own fd.
        unsafe { libc::close(fd) };
        r?;
        v
    };
    let sep = if null { 0 } else { b'\n' };
    Ok(data
        .split(|&c| c == sep)
        .filter(|l| !l.is_empty())
        .map(|l| l.to_vec())
        .collect())
}
