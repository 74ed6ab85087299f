//! Option decoding: GNU ls 9's `decode_switches`, replayed in command-line order so that later
//! options override earlier ones exactly as GNU's switch statement does (`-l1` stays long,
//! `-1l` is long, `-lf` is not, `-tU` does not sort, ...).

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::color::Colors;
use crate::common::args::{self, Opt};
use crate::common::help::{help_text, Help};
use crate::common::quote::Style;
use crate::common::sys;
use crate::common::{Ctx, Error, Result};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Long,
    OnePerLine,
    Columns,
    Across,
    Commas,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sort {
    Name,
    None,
    Time,
    Size,
    Extension,
    Version,
    Width,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimeType {
    Mtime,
    Atime,
    Ctime,
    Btime,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Indicator {
    None,
    Slash,
    FileType,
    Classify,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Deref {
    Undefined,
    Never,
    CmdLineArgs,
    CmdLineSymlinkToDir,
    Always,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Hidden {
    /// Default: names starting with `.` are ignored.
    Default,
    /// `-A`: only `.` and `..` are ignored.
    DotAndDotDot,
    /// `-a`: nothing is ignored.
    Minimal,
}

/// gnulib's human_readable options for one kind of number (file sizes, or block counts).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Human {
    /// `-h`/`--si`: pick the unit per number.
    pub autoscale: bool,
    /// Print a unit suffix (`--block-size=K`, or with autoscale).
    pub si: bool,
    pub base1024: bool,
    /// `--block-size=KB`: a `B` after the unit.
    pub b: bool,
    /// Output unit in bytes.
    pub block: u64,
}

impl Human {
    const PLAIN: Human = Human {
        autoscale: false,
        si: false,
        base1024: false,
        b: false,
        block: 1,
    };
}

pub struct Config {
    pub format: Format,
    pub hidden: Hidden,
    pub ignore: Vec<Vec<u8>>,
    pub hide: Vec<Vec<u8>>,
    pub immediate_dirs: bool,
    pub recursive: bool,
    pub sort: Sort,
    pub reverse: bool,
    pub dirs_first: bool,
    pub time: TimeType,
    pub deref: Deref,
    pub indicator: Indicator,
    pub inode: bool,
    pub blocks: bool,
    pub owner: bool,
    pub group: bool,
    pub author: bool,
    pub numeric: bool,
    pub scontext: bool,
    /// Units for `-s` and `total`.
    pub block_human: Human,
    /// Units for the size column of `-l`.
    pub size_human: Human,
    pub style: Style,
    pub qmark: bool,
    pub align_quotes: bool,
    /// Extra bytes quoted in names (`-F` indicators), as gnulib's set_char_quoting.
    pub name_extra: &'static [u8],
    pub color: Option<Colors>,
    pub line_length: usize,
    pub tabsize: usize,
    pub eol: u8,
    /// strftime formats for old and recent files (None: GNU's C-locale default).
    pub time_fmt: Option<[Vec<u8>; 2]>,
    pub files: Vec<OsString>,
}

pub const USAGE: Help = help_text!(
    "\
Usage: ls [OPTION]... [FILE]...
List information about the FILEs (the current directory by default).
Sort entries alphabetically if none of -cftuvSUX nor --sort is specified.

Mandatory arguments to long options are mandatory for short options too.
  -a, --all                  do not ignore entries starting with .
  -A, --almost-all           do not list implied . and ..
      --author               with -l, print the author of each file
  -b, --escape               print C-style escapes for nongraphic characters
      --block-size=SIZE      with -l, scale sizes by SIZE when printing them;
                             e.g., '--block-size=M'; see SIZE format below

  -B, --ignore-backups       do not list implied entries ending with ~
  -c                         with -lt: sort by, and show, ctime (time of last
                             modification of file status information);
                             with -l: show ctime and sort by name;
                             otherwise: sort by ctime, newest first

  -C                         list entries by columns
      --color[=WHEN]         color the output WHEN; more info below
  -d, --directory            list directories themselves, not their contents
  -f                         list all entries in directory order
  -F, --classify[=WHEN]      append indicator (one of */=>@|) to entries WHEN
      --file-type            likewise, except do not append '*'
      --format=WORD          across -x, commas -m, horizontal -x, long -l,
                             single-column -1, verbose -l, vertical -C

      --full-time            like -l --time-style=full-iso
  -g                         like -l, but do not list owner
      --group-directories-first
                             group directories before files;
                             can be augmented with a --sort option, but any
                             use of --sort=none (-U) disables grouping

  -G, --no-group             in a long listing, don't print group names
  -h, --human-readable       with -l and -s, print sizes like 1K 234M 2G etc.
      --si                   likewise, but use powers of 1000 not 1024
  -H, --dereference-command-line
                             follow symbolic links listed on the command line
      --dereference-command-line-symlink-to-dir
                             follow each command line symbolic link
                             that points to a directory

      --hide=PATTERN         do not list implied entries matching shell PATTERN
                             (overridden by -a or -A)

      --hyperlink[=WHEN]     accepted for compatibility; no hyperlinks are made
      --indicator-style=WORD
                             append indicator with style WORD to entry names:
                             none (default), slash (-p),
                             file-type (--file-type), classify (-F)

  -i, --inode                print the index number of each file
  -I, --ignore=PATTERN       do not list implied entries matching shell PATTERN
  -k, --kibibytes            default to 1024-byte blocks for file system usage;
                             used only with -s and per directory totals

  -l                         use a long listing format
  -L, --dereference          when showing file information for a symbolic
                             link, show information for the file the link
                             references rather than for the link itself

  -m                         fill width with a comma separated list of entries
  -n, --numeric-uid-gid      like -l, but list numeric user and group IDs
  -N, --literal              print entry names without quoting
  -o                         like -l, but do not list group information
  -p, --indicator-style=slash
                             append / indicator to directories
  -q, --hide-control-chars   print ? instead of nongraphic characters
      --show-control-chars   show nongraphic characters as-is (the default,
                             unless program is 'ls' and output is a terminal)

  -Q, --quote-name           enclose entry names in double quotes
      --quoting-style=WORD   use quoting style WORD for entry names:
                             literal, locale, shell, shell-always,
                             shell-escape, shell-escape-always, c, escape
                             (overrides QUOTING_STYLE environment variable)

  -r, --reverse              reverse order while sorting
  -R, --recursive            list subdirectories recursively
  -s, --size                 print the allocated size of each file, in blocks
  -S                         sort by file size, largest first
      --sort=WORD            sort by WORD instead of name: none (-U), size (-S),
                             time (-t), version (-v), extension (-X), width

      --time=WORD            change the default of using modification times;
                               access time (-u): atime, access, use;
                               change time (-c): ctime, status;
                               birth time: birth, creation;
                             with -l, WORD determines which time to show;
                             with --sort=time, sort by WORD (newest first)

      --time-style=TIME_STYLE
                             time/date format with -l; see TIME_STYLE below
  -t                         sort by time, newest first; see --time
  -T, --tabsize=COLS         assume tab stops at each COLS instead of 8
  -u                         with -lt: sort by, and show, access time;
                             with -l: show access time and sort by name;
                             otherwise: sort by access time, newest first

  -U                         do not sort; list entries in directory order
  -v                         natural sort of (version) numbers within text
  -w, --width=COLS           set output width to COLS.  0 means no limit
  -x                         list entries by lines instead of by columns
  -X                         sort alphabetically by entry extension
  -Z, --context              print any security context of each file
      --zero                 end each output line with NUL, not newline
  -1                         list one file per line
      --help        display this help and exit
      --version     output version information and exit

The SIZE argument is an integer and optional unit (example: 10K is 10*1024).
Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

The TIME_STYLE argument can be full-iso, long-iso, iso, locale, or +FORMAT.
FORMAT is interpreted like in date(1).  If FORMAT is FORMAT1<newline>FORMAT2,
then FORMAT1 applies to non-recent files and FORMAT2 to recent files.
TIME_STYLE prefixed with 'posix-' takes effect only outside the POSIX locale.
Also the TIME_STYLE environment variable sets the default style to use.

The WHEN argument defaults to 'always' and can also be 'auto' or 'never'.

Using color to distinguish file types is disabled both by default and
with --color=never.  With --color=auto, ls emits color codes only when
standard output is connected to a terminal.  The LS_COLORS environment
variable can change the settings.  Use the dircolors(1) command to set it.

Exit status:
 0  if OK,
 1  if minor problems (e.g., cannot access subdirectory),
 2  if serious trouble (e.g., cannot access command-line argument).
"
);

/// In GNU's long_options order, so ambiguity messages list the same possibilities.
const OPTS: &[Opt] = &[
    Opt::flag("all", Some(b'a'), Some("all")),
    Opt::flag("escape", Some(b'b'), Some("escape")),
    Opt::flag("directory", Some(b'd'), Some("directory")),
    Opt::flag("full-time", None, Some("full-time")),
    Opt::flag(
        "group-directories-first",
        None,
        Some("group-directories-first"),
    ),
    Opt::flag("human-readable", Some(b'h'), Some("human-readable")),
    Opt::flag("inode", Some(b'i'), Some("inode")),
    Opt::flag("kibibytes", Some(b'k'), Some("kibibytes")),
    Opt::flag("numeric-uid-gid", Some(b'n'), Some("numeric-uid-gid")),
    Opt::flag("no-group", Some(b'G'), Some("no-group")),
    Opt::flag("hide-control-chars", Some(b'q'), Some("hide-control-chars")),
    Opt::flag("reverse", Some(b'r'), Some("reverse")),
    Opt::flag("size", Some(b's'), Some("size")),
    Opt::arg("width", Some(b'w'), Some("width")),
    Opt::flag("almost-all", Some(b'A'), Some("almost-all")),
    Opt::flag("ignore-backups", Some(b'B'), Some("ignore-backups")),
    Opt::optional("classify", None, Some("classify")),
    Opt::flag("file-type", None, Some("file-type")),
    Opt::flag("si", None, Some("si")),
    Opt::flag(
        "dereference-command-line",
        Some(b'H'),
        Some("dereference-command-line"),
    ),
    Opt::flag(
        "dereference-command-line-symlink-to-dir",
        None,
        Some("dereference-command-line-symlink-to-dir"),
    ),
    Opt::arg("hide", None, Some("hide")),
    Opt::arg("ignore", Some(b'I'), Some("ignore")),
    Opt::arg("indicator-style", None, Some("indicator-style")),
    Opt::flag("dereference", Some(b'L'), Some("dereference")),
    Opt::flag("literal", Some(b'N'), Some("literal")),
    Opt::flag("quote-name", Some(b'Q'), Some("quote-name")),
    Opt::arg("quoting-style", None, Some("quoting-style")),
    Opt::flag("recursive", Some(b'R'), Some("recursive")),
    Opt::arg("format", None, Some("format")),
    Opt::flag("show-control-chars", None, Some("show-control-chars")),
    Opt::arg("sort", None, Some("sort")),
    Opt::arg("tabsize", Some(b'T'), Some("tabsize")),
    Opt::arg("time", None, Some("time")),
    Opt::arg("time-style", None, Some("time-style")),
    Opt::flag("zero", None, Some("zero")),
    Opt::optional("color", None, Some("color")),
    Opt::optional("hyperlink", None, Some("hyperlink")),
    Opt::arg("block-size", None, Some("block-size")),
    Opt::flag("context", Some(b'Z'), Some("context")),
    Opt::flag("author", None, Some("author")),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", None, Some("version")),
    Opt::flag("c", Some(b'c'), None),
    Opt::flag("f", Some(b'f'), None),
    Opt::flag("F", Some(b'F'), None),
    Opt::flag("g", Some(b'g'), None),
    Opt::flag("l", Some(b'l'), None),
    Opt::flag("m", Some(b'm'), None),
    Opt::flag("o", Some(b'o'), None),
    Opt::flag("p", Some(b'p'), None),
    Opt::flag("t", Some(b't'), None),
    Opt::flag("u", Some(b'u'), None),
    Opt::flag("v", Some(b'v'), None),
    Opt::flag("x", Some(b'x'), None),
    Opt::flag("C", Some(b'C'), None),
    Opt::flag("S", Some(b'S'), None),
    Opt::flag("U", Some(b'U'), None),
    Opt::flag("X", Some(b'X'), None),
    Opt::flag("1", Some(b'1'), None),
];

/// gnulib `quote`: 'x' in the C locale.
fn quote_locale(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    crate::common::quote::quote_into(&mut v, s, Style::Locale);
    v
}

const WHEN: &[(&str, u8)] = &[
    ("always", 0),
    ("yes", 0),
    ("force", 0),
    ("never", 1),
    ("no", 1),
    ("none", 1),
    ("auto", 2),
    ("tty", 2),
    ("if-tty", 2),
];

const SORTS: &[(&str, Sort)] = &[
    ("none", Sort::None),
    ("time", Sort::Time),
    ("size", Sort::Size),
    ("extension", Sort::Extension),
    ("version", Sort::Version),
    ("width", Sort::Width),
];

const TIMES: &[(&str, TimeType)] = &[
    ("atime", TimeType::Atime),
    ("access", TimeType::Atime),
    ("use", TimeType::Atime),
    ("ctime", TimeType::Ctime),
    ("status", TimeType::Ctime),
    ("birth", TimeType::Btime),
    ("creation", TimeType::Btime),
];

const FORMATS: &[(&str, Format)] = &[
    ("verbose", Format::Long),
    ("long", Format::Long),
    ("commas", Format::Commas),
    ("horizontal", Format::Across),
    ("across", Format::Across),
    ("vertical", Format::Columns),
    ("single-column", Format::OnePerLine),
];

const INDICATORS: &[(&str, Indicator)] = &[
    ("none", Indicator::None),
    ("slash", Indicator::Slash),
    ("file-type", Indicator::FileType),
    ("classify", Indicator::Classify),
];

const QUOTING: &[(&str, Style)] = &[
    ("literal", Style::Literal),
    ("shell", Style::Shell),
    ("shell-always", Style::ShellAlways),
    ("shell-escape", Style::ShellEscape),
    ("shell-escape-always", Style::ShellEscapeAlways),
    ("c", Style::C),
    ("c-maybe", Style::CMaybe),
    ("escape", Style::Escape),
    ("locale", Style::Locale),
    ("clocale", Style::Clocale),
];

const TIME_STYLES: &[(&str, u8)] = &[("full-iso", 0), ("long-iso", 1), ("iso", 2), ("locale", 3)];

pub fn stdout_isatty() -> bool {
    sys::fd::isatty(crate::common::io::stdout_fd())
}

/// A width: a non-negative decimal number (GNU accepts octal/hex via xstrtoumax too).
fn decode_number(s: &[u8]) -> Option<usize> {
    let s = std::str::from_utf8(s).ok()?;
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .map(|v| v.min(isize::MAX as u64) as usize)
}

/// gnulib human_options / humblock: `--block-size`, `LS_BLOCK_SIZE`, `BLOCK_SIZE`.
pub fn parse_block_size(spec: &[u8]) -> Option<Human> {
    let mut h = Human::PLAIN;
    let mut s = spec;
    if let Some(r) = s.strip_prefix(b"'") {
        s = r;
    }
    match s {
        b"human-readable" => {
            return Some(Human {
                autoscale: true,
                si: true,
                base1024: true,
                b: false,
                block: 1,
            })
        }
        b"si" => {
            return Some(Human {
                autoscale: true,
                si: true,
                base1024: false,
                b: false,
                block: 1,
            })
        }
        _ => {}
    }
    let ndig = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let num: u64 = if ndig == 0 {
        1
    } else {
        std::str::from_utf8(&s[..ndig]).ok()?.parse().ok()?
    };
    let suf = &s[ndig..];
    let mult: u64 = if suf.is_empty() {
        1
    } else {
        let exp = match suf[0] {
            b'k' | b'K' => 1,
            b'm' | b'M' => 2,
            b'g' | b'G' => 3,
            b't' | b'T' => 4,
            b'p' | b'P' => 5,
            b'e' | b'E' => 6,
            b'Z' => 7,
            b'Y' => 8,
            b'b' if suf.len() == 1 => return mul_block(num, 512, h),
            b'B' if suf.len() == 1 => return mul_block(num, 1024, h),
            _ => return None,
        };
        let base: u64 = match &suf[1..] {
            b"" | b"iB" => 1024,
            b"B" | b"D" => 1000,
            _ => return None,
        };
        if ndig == 0 {
            h.si = true;
            h.b = suf.ends_with(b"B");
            h.base1024 = !suf.ends_with(b"B") || suf.ends_with(b"iB");
        }
        base.checked_pow(exp)?
    };
    mul_block(num, mult, h)
}

fn mul_block(num: u64, mult: u64, mut h: Human) -> Option<Human> {
    h.block = num.checked_mul(mult)?;
    if h.block == 0 {
        return None;
    }
    Some(h)
}

fn set_quoting_env() -> Option<Style> {
    let v = std::env::var_os("QUOTING_STYLE")?;
    let v = v.as_bytes();
    QUOTING
        .iter()
        .find(|(n, _)| n.as_bytes() == v)
        .map(|&(_, s)| s)
}

/// One option as given on the command line: decoded and checked (argmatch, numbers), not yet
/// combined with the others. The table walk ([`raw_flags`]) records these in command-line
/// order; [`resolve`] replays them with GNU's override rules.
#[derive(Clone, Debug, PartialEq)]
enum Flag {
    Hidden(Hidden),
    Quoting(Style),
    /// -c, -u, --time: which time, chosen explicitly (sorts by it unless -l).
    Time(TimeType),
    Directory,
    /// -f: -a, unsorted, not long, no colour, no -s.
    F,
    Indicator(Indicator),
    /// -F/--classify[=WHEN] (WHEN: 0 always, 1 never, 2 auto).
    Classify(u8),
    Format(Format),
    /// -1: one per line unless long.
    One,
    /// -g: no owner column.
    NoOwner,
    /// -G, -o: no group column.
    NoGroup,
    /// -h, --si, --block-size.
    Human(Human),
    Inode,
    Kibibytes,
    Numeric,
    HideControl(bool),
    Reverse,
    Size,
    Sort(Sort),
    Width(usize),
    Tabsize(usize),
    Ignore(Vec<u8>),
    Hide(Vec<u8>),
    Deref(Deref),
    Recursive,
    Author,
    DirsFirst,
    TimeStyle(Vec<u8>),
    /// --color[=WHEN].
    Color(u8),
    Context,
    Zero,
}

/// Parse the command line. `Ok(None)`: `--help` or `--version` was answered.
pub fn parse(ctx: &mut Ctx, argv: Vec<OsString>) -> Result<Option<Config>> {
    let Some((flags, files)) = raw_flags(ctx, argv)? else {
        return Ok(None);
    };
    resolve(ctx, &flags, files).map(Some)
}

/// The option table walk: each option decoded into [`Flag`]s in command-line order, its
/// argument checked (GNU's messages for a bad width, size, or argmatch word). `Ok(None)`:
/// `--help` or `--version` was answered.
fn raw_flags(ctx: &mut Ctx, argv: Vec<OsString>) -> Result<Option<(Vec<Flag>, Vec<OsString>)>> {
    let Some(args::Matches {
        opts: evs,
        operands: files,
    }) = args::parse(ctx, &argv, OPTS, USAGE, 2)?
    else {
        return Ok(None);
    };
    if evs.iter().any(|e| e.0 == "version") {
        ctx.out
            .write_all(concat!("ls (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes())?;
        return Ok(None);
    }
    let mut flags = Vec::with_capacity(evs.len());
    let invalid = |what: &str, v: &[u8]| {
        let mut msg = what.as_bytes().to_vec();
        msg.extend_from_slice(&quote_locale(v));
        Error::new(2, msg)
    };
    for (id, val) in evs {
        let v = val.as_ref().map(|v| v.as_bytes()).unwrap_or(b"");
        let mut when = |opt: &str| match val {
            None => Ok(0),
            Some(_) => args::argmatch(ctx, opt, v, WHEN, 1),
        };
        let f = match Id::of(id.as_bytes()) {
            Some(Id::All) => Flag::Hidden(Hidden::Minimal),
            Some(Id::AlmostAll) => Flag::Hidden(Hidden::DotAndDotDot),
            Some(Id::Escape) => Flag::Quoting(Style::Escape),
            Some(Id::Literal) => Flag::Quoting(Style::Literal),
            Some(Id::QuoteName) => Flag::Quoting(Style::C),
            Some(Id::C) => Flag::Time(TimeType::Ctime),
            Some(Id::U) => Flag::Time(TimeType::Atime),
            Some(Id::Directory) => Flag::Directory,
            Some(Id::F) => Flag::F,
            Some(Id::FileType) => Flag::Indicator(Indicator::FileType),
            Some(Id::P) => Flag::Indicator(Indicator::Slash),
            Some(Id::G) => {
                flags.push(Flag::Format(Format::Long));
                Flag::NoOwner
            }
            Some(Id::O) => {
                flags.push(Flag::Format(Format::Long));
                Flag::NoGroup
            }
            Some(Id::NumericUidGid) => {
                flags.push(Flag::Numeric);
                Flag::Format(Format::Long)
            }
            Some(Id::FullTime) => {
                flags.push(Flag::Format(Format::Long));
                Flag::TimeStyle(b"full-iso".to_vec())
            }
            Some(Id::HumanReadable) => Flag::Human(Human {
                autoscale: true,
                si: true,
                base1024: true,
                b: false,
                block: 1,
            }),
            Some(Id::Si) => Flag::Human(Human {
                autoscale: true,
                si: true,
                base1024: false,
                b: false,
                block: 1,
            }),
            Some(Id::BlockSize) => match parse_block_size(v) {
                Some(h) => Flag::Human(h),
                None => return Err(invalid("invalid --block-size argument ", v)),
            },
            Some(Id::Inode) => Flag::Inode,
            Some(Id::Kibibytes) => Flag::Kibibytes,
            Some(Id::L) => Flag::Format(Format::Long),
            Some(Id::M) => Flag::Format(Format::Commas),
            Some(Id::X) => Flag::Format(Format::Across),
            Some(Id::CapC) => Flag::Format(Format::Columns),
            Some(Id::N1) => Flag::One,
            Some(Id::HideControlChars) => Flag::HideControl(true),
            Some(Id::ShowControlChars) => Flag::HideControl(false),
            Some(Id::Reverse) => Flag::Reverse,
            Some(Id::Size) => Flag::Size,
            Some(Id::T) => Flag::Sort(Sort::Time),
            Some(Id::V) => Flag::Sort(Sort::Version),
            Some(Id::CapS) => Flag::Sort(Sort::Size),
            Some(Id::CapU) => Flag::Sort(Sort::None),
            Some(Id::CapX) => Flag::Sort(Sort::Extension),
            Some(Id::Width) => match decode_number(v) {
                Some(w) => Flag::Width(w),
                None => return Err(invalid("invalid line width: ", v)),
            },
            Some(Id::Tabsize) => match decode_number(v) {
                Some(t) => Flag::Tabsize(t),
                None => return Err(invalid("invalid tab size: ", v)),
            },
            Some(Id::IgnoreBackups) => {
                flags.push(Flag::Ignore(b"*~".to_vec()));
                Flag::Ignore(b".*~".to_vec())
            }
            Some(Id::Ignore) => Flag::Ignore(v.to_vec()),
            Some(Id::Hide) => Flag::Hide(v.to_vec()),
            Some(Id::CapF) | Some(Id::Classify) => Flag::Classify(when("--classify")?),
            Some(Id::NoGroup) => Flag::NoGroup,
            Some(Id::DereferenceCommandLine) => Flag::Deref(Deref::CmdLineArgs),
            Some(Id::DereferenceCommandLineSymlinkToDir) => Flag::Deref(Deref::CmdLineSymlinkToDir),
            Some(Id::Dereference) => Flag::Deref(Deref::Always),
            Some(Id::Recursive) => Flag::Recursive,
            Some(Id::Author) => Flag::Author,
            Some(Id::GroupDirectoriesFirst) => Flag::DirsFirst,
            Some(Id::Context) => Flag::Context,
            Some(Id::Zero) => Flag::Zero,
            Some(Id::Color) => Flag::Color(when("--color")?),
            Some(Id::Hyperlink) => {
                when("--hyperlink")?;
                continue;
            }
            Some(Id::Sort) => Flag::Sort(args::argmatch(ctx, "--sort", v, SORTS, 1)?),
            Some(Id::Time) => Flag::Time(args::argmatch(ctx, "--time", v, TIMES, 1)?),
            Some(Id::Format) => Flag::Format(args::argmatch(ctx, "--format", v, FORMATS, 1)?),
            Some(Id::IndicatorStyle) => {
                Flag::Indicator(args::argmatch(ctx, "--indicator-style", v, INDICATORS, 1)?)
            }
            Some(Id::QuotingStyle) => {
                Flag::Quoting(args::argmatch(ctx, "--quoting-style", v, QUOTING, 1)?)
            }
            Some(Id::TimeStyle) => Flag::TimeStyle(v.to_vec()),
            _ => continue,
        };
        flags.push(f);
    }
    Ok(Some((flags, files)))
}

crate::common::args::named! {
    /// The ids the match above knows, each with its variant: found by one search of this table,
    /// where a match on the strings compiled to a comparison of each.
    enum Id {
        All = "all",
        AlmostAll = "almost-all",
        Escape = "escape",
        Literal = "literal",
        QuoteName = "quote-name",
        C = "c",
        U = "u",
        Directory = "directory",
        F = "f",
        FileType = "file-type",
        P = "p",
        G = "g",
        O = "o",
        NumericUidGid = "numeric-uid-gid",
        FullTime = "full-time",
        HumanReadable = "human-readable",
        Si = "si",
        BlockSize = "block-size",
        Inode = "inode",
        Kibibytes = "kibibytes",
        L = "l",
        M = "m",
        X = "x",
        CapC = "C",
        N1 = "1",
        HideControlChars = "hide-control-chars",
        ShowControlChars = "show-control-chars",
        Reverse = "reverse",
        Size = "size",
        T = "t",
        V = "v",
        CapS = "S",
        CapU = "U",
        CapX = "X",
        Width = "width",
        Tabsize = "tabsize",
        IgnoreBackups = "ignore-backups",
        Ignore = "ignore",
        Hide = "hide",
        CapF = "F",
        Classify = "classify",
        NoGroup = "no-group",
        DereferenceCommandLine = "dereference-command-line",
        DereferenceCommandLineSymlinkToDir = "dereference-command-line-symlink-to-dir",
        Dereference = "dereference",
        Recursive = "recursive",
        Author = "author",
        GroupDirectoriesFirst = "group-directories-first",
        Context = "context",
        Zero = "zero",
        Color = "color",
        Hyperlink = "hyperlink",
        Sort = "sort",
        Time = "time",
        Format = "format",
        IndicatorStyle = "indicator-style",
        QuotingStyle = "quoting-style",
        TimeStyle = "time-style",
    }
}

/// The final configuration: the flags replayed in order as GNU's `decode_switches` switch
/// does (later options override earlier ones: `-l1` stays long, `-1l` is long, `-lf` is not,
/// `-tU` does not sort), then the defaults that depend on the terminal and the environment
/// (format, width, quoting, block size, time style, colours).
fn resolve(ctx: &mut Ctx, flags: &[Flag], files: Vec<OsString>) -> Result<Config> {
    let tty = stdout_isatty();
    let mut kibibytes = false;
    let mut format_opt: Option<Format> = None;
    let mut hide_ctl: Option<bool> = None;
    let mut quoting_opt: Option<Style> = None;
    let mut sort_opt: Option<Sort> = None;
    let mut tabsize_opt: Option<usize> = None;
    let mut width_opt: Option<usize> = None;
    let mut time_style: Option<Vec<u8>> = None;
    let mut explicit_time = false;
    let mut color = false;
    let mut eol = b'\n';
    let mut block_human: Option<Human> = None;
    let mut size_human = Human::PLAIN;
    let mut c = Config {
        format: Format::OnePerLine,
        hidden: Hidden::Default,
        ignore: Vec::new(),
        hide: Vec::new(),
        immediate_dirs: false,
        recursive: false,
        sort: Sort::Name,
        reverse: false,
        dirs_first: false,
        time: TimeType::Mtime,
        deref: Deref::Undefined,
        indicator: Indicator::None,
        inode: false,
        blocks: false,
        owner: true,
        group: true,
        author: false,
        numeric: false,
        scontext: false,
        block_human: Human::PLAIN,
        size_human: Human::PLAIN,
        style: Style::Literal,
        qmark: false,
        align_quotes: false,
        name_extra: b"",
        color: None,
        line_length: 80,
        tabsize: 8,
        eol: b'\n',
        time_fmt: None,
        files,
    };

    for f in flags {
        match f {
            Flag::Hidden(h) => c.hidden = *h,
            Flag::Quoting(s) => quoting_opt = Some(*s),
            Flag::Time(t) => {
                c.time = *t;
                explicit_time = true;
            }
            Flag::Directory => c.immediate_dirs = true,
            Flag::F => {
                c.hidden = Hidden::Minimal;
                sort_opt = Some(Sort::None);
                if format_opt == Some(Format::Long) {
                    format_opt = None;
                }
                color = false;
                c.blocks = false;
            }
            Flag::Indicator(i) => c.indicator = *i,
            Flag::Classify(w) => {
                if *w == 0 || (*w == 2 && tty) {
                    c.indicator = Indicator::Classify;
                }
            }
            Flag::Format(f) => format_opt = Some(*f),
            // -1 has no effect after -l.
            Flag::One => {
                if format_opt != Some(Format::Long) {
                    format_opt = Some(Format::OnePerLine);
                }
            }
            Flag::NoOwner => c.owner = false,
            Flag::NoGroup => c.group = false,
            Flag::Human(h) => {
                block_human = Some(*h);
                size_human = *h;
            }
            Flag::Inode => c.inode = true,
            Flag::Kibibytes => kibibytes = true,
            Flag::Numeric => c.numeric = true,
            Flag::HideControl(h) => hide_ctl = Some(*h),
            Flag::Reverse => c.reverse = true,
            Flag::Size => c.blocks = true,
            Flag::Sort(s) => sort_opt = Some(*s),
            Flag::Width(w) => width_opt = Some(*w),
            Flag::Tabsize(t) => tabsize_opt = Some(*t),
            Flag::Ignore(p) => c.ignore.push(p.clone()),
            Flag::Hide(p) => c.hide.push(p.clone()),
            Flag::Deref(d) => c.deref = *d,
            Flag::Recursive => c.recursive = true,
            Flag::Author => c.author = true,
            Flag::DirsFirst => c.dirs_first = true,
            Flag::TimeStyle(s) => time_style = Some(s.clone()),
            Flag::Color(w) => color = *w == 0 || (*w == 2 && tty),
            Flag::Context => c.scontext = true,
            Flag::Zero => {
                eol = 0;
                hide_ctl = Some(false);
                if format_opt != Some(Format::Long) {
                    format_opt = Some(Format::OnePerLine);
                }
                color = false;
                quoting_opt = Some(Style::Literal);
            }
        }
    }

    // Block size from the environment when no option chose one.
    let block_human = match block_human {
        Some(h) => h,
        None => {
            let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
            let ls_bs = env("LS_BLOCK_SIZE");
            let bs = env("BLOCK_SIZE");
            let spec = ls_bs
                .clone()
                .or_else(|| bs.clone())
                .or_else(|| env("BLOCKSIZE"));
            let default = Human {
                block: if std::env::var_os("POSIXLY_CORRECT").is_some() {
                    512
                } else {
                    1024
                },
                ..Human::PLAIN
            };
            let mut h = spec
                .and_then(|s| parse_block_size(s.as_bytes()))
                .unwrap_or(default);
            if ls_bs.is_some() || bs.is_some() {
                size_human = h;
            }
            if kibibytes {
                h = Human {
                    block: 1024,
                    ..Human::PLAIN
                };
            }
            h
        }
    };
    c.block_human = block_human;
    c.size_human = size_human;

    c.format = format_opt.unwrap_or(if tty {
        Format::Columns
    } else {
        Format::OnePerLine
    });

    let mut linelen = width_opt;
    if matches!(c.format, Format::Columns | Format::Across | Format::Commas) || color {
        if linelen.is_none() && tty {
            linelen = sys::term::window_size(crate::common::io::stdout_fd())
                .ok()
                .filter(|w| w.cols > 0)
                .map(|w| usize::from(w.cols));
        }
        if linelen.is_none() {
            if let Some(p) = std::env::var_os("COLUMNS").filter(|p| !p.is_empty()) {
                match decode_number(p.as_bytes()) {
                    Some(w) => linelen = Some(w),
                    None => {
                        let mut msg =
                            b"ignoring invalid width in environment variable COLUMNS: ".to_vec();
                        msg.extend_from_slice(&quote_locale(p.as_bytes()));
                        ctx.msg(&msg);
                    }
                }
            }
        }
    }
    c.line_length = linelen.unwrap_or(80);

    if matches!(c.format, Format::Columns | Format::Across | Format::Commas) {
        c.tabsize = match tabsize_opt {
            Some(t) => t,
            None => match std::env::var_os("TABSIZE") {
                Some(p) => match decode_number(p.as_bytes()) {
                    Some(t) => t,
                    None => {
                        let mut msg =
                            b"ignoring invalid tab size in environment variable TABSIZE: ".to_vec();
                        msg.extend_from_slice(&quote_locale(p.as_bytes()));
                        ctx.msg(&msg);
                        8
                    }
                },
                None => 8,
            },
        };
    }

    c.qmark = hide_ctl.unwrap_or(tty);
    c.style = quoting_opt.or_else(set_quoting_env).unwrap_or(if tty {
        Style::ShellEscape
    } else {
        Style::Literal
    });
    c.align_quotes = (c.format == Format::Long
        || (matches!(c.format, Format::Columns | Format::Across) && c.line_length != 0))
        && matches!(c.style, Style::Shell | Style::ShellEscape | Style::CMaybe);
    c.name_extra = match c.indicator {
        // GNU indexes "*=>@|" by (style - file_type), so -F leaves '*' alone.
        Indicator::FileType => b"*=>@|",
        Indicator::Classify => b"=>@|",
        _ => b"",
    };
    c.eol = eol;

    c.sort = match sort_opt {
        Some(s) => s,
        None if c.format != Format::Long && explicit_time => Sort::Time,
        None => Sort::Name,
    };

    if c.deref == Deref::Undefined {
        c.deref =
            if c.immediate_dirs || c.indicator == Indicator::Classify || c.format == Format::Long {
                Deref::Never
            } else {
                Deref::CmdLineSymlinkToDir
            };
    }

    if color {
        c.color = Colors::from_env(ctx);
        if c.color.is_some() {
            // GNU pads with spaces, never tabs, when colouring.
            c.tabsize = 0;
        }
    }

    if c.format == Format::Long {
        let style = time_style
            .or_else(|| std::env::var_os("TIME_STYLE").map(|s| s.into_vec()))
            .unwrap_or_else(|| b"locale".to_vec());
        let mut s: &[u8] = &style;
        // posix-STYLE means STYLE outside the POSIX locale; we always run in the C locale.
        if s.starts_with(b"posix-") {
            s = b"locale";
        }
        if let Some(f) = s.strip_prefix(b"+") {
            let mut parts = f.splitn(2, |&b| b == b'\n');
            let p0 = parts.next().unwrap_or(b"").to_vec();
            let p1 = parts.next().map(|p| p.to_vec());
            if let Some(p1) = &p1 {
                if p1.contains(&b'\n') {
                    let mut msg = b"invalid time style format ".to_vec();
                    msg.extend_from_slice(&quote_locale(f));
                    return Err(Error::new(2, msg));
                }
            }
            c.time_fmt = Some([p0.clone(), p1.unwrap_or(p0)]);
        } else {
            match args::argmatch_find(s, TIME_STYLES) {
                Ok(0) => {
                    c.time_fmt = Some([
                        b"%Y-%m-%d %H:%M:%S.%N %z".to_vec(),
                        b"%Y-%m-%d %H:%M:%S.%N %z".to_vec(),
                    ])
                }
                Ok(1) => {
                    c.time_fmt = Some([b"%Y-%m-%d %H:%M".to_vec(), b"%Y-%m-%d %H:%M".to_vec()])
                }
                Ok(2) => c.time_fmt = Some([b"%Y-%m-%d ".to_vec(), b"%m-%d %H:%M".to_vec()]),
                Ok(_) => c.time_fmt = None,
                Err(amb) => {
                    args::argmatch_fail(ctx, "time style", s, amb);
                    let list = "Valid arguments are:\n  - [posix-]full-iso\n  - [posix-]long-iso\n  - [posix-]iso\n  - [posix-]locale\n  - +FORMAT (e.g., +%H:%M) for a 'date'-style format\n";
                    crate::common::io::write_all(crate::common::io::stderr_fd(), list.as_bytes())
                        .ok();
                    ctx.try_help();
                    return Err(Error::silent(2));
                }
            }
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_sizes() {
        let k = parse_block_size(b"K").unwrap();
        assert_eq!((k.block, k.si, k.base1024, k.b), (1024, true, true, false));
        let kb = parse_block_size(b"KB").unwrap();
        assert_eq!(
            (kb.block, kb.si, kb.base1024, kb.b),
            (1000, true, false, true)
        );
        let kib = parse_block_size(b"KiB").unwrap();
        assert_eq!(
            (kib.block, kib.si, kib.base1024, kib.b),
            (1024, true, true, true)
        );
        let one_k = parse_block_size(b"1K").unwrap();
        assert_eq!((one_k.block, one_k.si), (1024, false));
        assert_eq!(parse_block_size(b"512").unwrap().block, 512);
        assert!(parse_block_size(b"0").is_none());
        assert!(parse_block_size(b"x").is_none());
        assert!(parse_block_size(b"human-readable").unwrap().autoscale);
    }

    #[test]
    fn raw_flags_then_resolve_in_order() {
        let mut ctx = Ctx::new("ls");
        let argv = |a: &[&str]| {
            std::iter::once("ls")
                .chain(a.iter().copied())
                .map(OsString::from)
                .collect::<Vec<_>>()
        };
        let (flags, files) = raw_flags(&mut ctx, argv(&["-l1", "-g", "x"]))
            .unwrap()
            .unwrap();
        assert_eq!(
            flags,
            [
                Flag::Format(Format::Long),
                Flag::One,
                Flag::Format(Format::Long),
                Flag::NoOwner
            ]
        );
        assert_eq!(files, [OsString::from("x")]);
        let fmt = |a: &[&str], ctx: &mut Ctx| {
            let (f, files) = raw_flags(ctx, argv(a)).unwrap().unwrap();
            let c = resolve(ctx, &f, files).unwrap();
            (c.format, c.sort, c.hidden)
        };
        // -l1 stays long; -1l is long; -lf is not long (and unsorted, -a).
        assert_eq!(fmt(&["-l1"], &mut ctx).0, Format::Long);
        assert_eq!(fmt(&["-1l"], &mut ctx).0, Format::Long);
        let (f, s, h) = fmt(&["-lf"], &mut ctx);
        assert_ne!(f, Format::Long);
        assert_eq!((s, h), (Sort::None, Hidden::Minimal));
        // -fl is long again; -tU does not sort; -c sorts by time unless long.
        assert_eq!(fmt(&["-fl"], &mut ctx).0, Format::Long);
        assert_eq!(fmt(&["-tU"], &mut ctx).1, Sort::None);
        assert_eq!(fmt(&["-c"], &mut ctx).1, Sort::Time);
        assert_eq!(fmt(&["-lc"], &mut ctx).1, Sort::Name);
        assert!(raw_flags(&mut ctx, argv(&["--width=x"])).is_err());
    }

    #[test]
    fn argmatch_prefixes() {
        assert_eq!(args::argmatch_find(b"ti", SORTS), Ok(Sort::Time));
        assert_eq!(args::argmatch_find(b"c", TIMES), Err(true));
        assert_eq!(args::argmatch_find(b"x", TIMES), Err(false));
        assert_eq!(args::argmatch_find(b"a", TIMES), Ok(TimeType::Atime));
        assert_eq!(args::argmatch_find(b"", TIMES), Err(true));
    }
}
