//! `diff`: compare files line by line.
//!
//! GNU diffutils 3.8 for what scripts and people use: the normal, unified (`-u`, `-U N`,
//! `--unified[=N]`) and context (`-c`, `-C N`, `--context[=N]`) formats, `-q`/`--brief`, `-s`,
//! `-r` (directories compared entry by entry, names in byte order, `Only in D: NAME`, `Common
//! subdirectories: ...`, the `diff -r a/f b/f` line before each pair), `-N`/`--new-file`, `-i`,
//! `-b`, `-w`, `-B`, `-E`, `-Z`, `--strip-trailing-cr`, `-a`/`--text`, `-T`/`--initial-tab`,
//! `--label` (once or twice), `-x`/`--exclude`, `-X`/`--exclude-from`, `-d`,
//! `--speed-large-files` and `--color=never` accepted; a file and a directory compare the file
//! with the directory's entry of the same name, `-` is standard input. Headers carry the
//! modification time as GNU prints it (`2024-01-02 03:04:05.000000000 +0000`, local zone).
//! Files with a NUL byte in their first 64 KiB are binary: `Binary files A and B differ`.
//! Statuses: 0 same, 1 different, 2 trouble (messages as GNU's: `diff: x: No such file or
//! directory`).
//!
//! The edit script is a shortest one: Myers' O(ND) algorithm in linear space (the middle
//! snake, as GNU's `diag`), after the common head and tail are set aside; each run of changes
//! is then slid along equal lines as GNU's `shift_boundaries` does: as far down as it goes,
//! unless it can line up with a run of changes in the other file. Deviation: where several
//! shortest scripts exist, GNU's preprocessing (it sets aside lines found in only one file, and
//! lines matching many others, before the search) can pick another one than rbox, so hunks may
//! be cut differently; both are correct patches. No `-y` (side by side), `-e`/`-n` (ed, RCS),
//! `-p`/`-F` (function names), `--GTYPE-group-format`, `--from-file`/`--to-file`.

use crate::common::io::push_fmt;
use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{self, Arg, Opt, Spec};
use crate::common::fnmatch;
use crate::common::help::help_text;
use crate::common::io::{self, Input};
use crate::common::sys::dir::{self as sdir, DirBuf};
use crate::common::sys::fd::{self as sfd, Stat};
use crate::common::time::{strftime, Zone};
use crate::common::{ctx::strerror, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("brief", Some(b'q'), Some("brief")),
        Opt::flag(
            "report-identical-files",
            Some(b's'),
            Some("report-identical-files"),
        ),
        Opt::flag("unified", Some(b'u'), None),
        Opt::arg("U", Some(b'U'), None),
        Opt::optional("unified-long", None, Some("unified")),
        Opt::flag("context", Some(b'c'), None),
        Opt::arg("C", Some(b'C'), None),
        Opt::optional("context-long", None, Some("context")),
        Opt::flag("normal", None, Some("normal")),
        Opt::flag("recursive", Some(b'r'), Some("recursive")),
        Opt::flag("new-file", Some(b'N'), Some("new-file")),
        Opt::flag("ignore-case", Some(b'i'), Some("ignore-case")),
        Opt::flag(
            "ignore-tab-expansion",
            Some(b'E'),
            Some("ignore-tab-expansion"),
        ),
        Opt::flag(
            "ignore-trailing-space",
            Some(b'Z'),
            Some("ignore-trailing-space"),
        ),
        Opt::flag(
            "ignore-space-change",
            Some(b'b'),
            Some("ignore-space-change"),
        ),
        Opt::flag("ignore-all-space", Some(b'w'), Some("ignore-all-space")),
        Opt::flag("ignore-blank-lines", Some(b'B'), Some("ignore-blank-lines")),
        Opt::flag("strip-trailing-cr", None, Some("strip-trailing-cr")),
        Opt::flag("text", Some(b'a'), Some("text")),
        Opt::flag("initial-tab", Some(b'T'), Some("initial-tab")),
        Opt::arg("label", Some(b'L'), Some("label")),
        Opt::arg("exclude", Some(b'x'), Some("exclude")),
        Opt::arg("exclude-from", Some(b'X'), Some("exclude-from")),
        Opt::flag("minimal", Some(b'd'), Some("minimal")),
        Opt::flag("speed-large-files", None, Some("speed-large-files")),
        Opt::optional("color", None, Some("color")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", Some(b'v'), Some("version")),
    ],
    help_text!(
        "\
Usage: diff [OPTION]... FILES
Compare FILES line by line.

Mandatory arguments to long options are mandatory for short options too.
      --normal                  output a normal diff (the default)
  -q, --brief                   report only when files differ
  -s, --report-identical-files  report when two files are the same
  -c, -C NUM, --context[=NUM]   output NUM (default 3) lines of copied context
  -u, -U NUM, --unified[=NUM]   output NUM (default 3) lines of unified context

  -r, --recursive                 recursively compare any subdirectories found
  -N, --new-file                  treat absent files as empty
  -x, --exclude=PAT               exclude files that match PAT
  -X, --exclude-from=FILE         exclude files that match any pattern in FILE

  -i, --ignore-case               ignore case differences in file contents
  -E, --ignore-tab-expansion      ignore changes due to tab expansion
  -Z, --ignore-trailing-space     ignore white space at line end
  -b, --ignore-space-change       ignore changes in the amount of white space
  -w, --ignore-all-space          ignore all white space
  -B, --ignore-blank-lines        ignore changes where lines are all blank
      --strip-trailing-cr         strip trailing carriage return on input

  -a, --text                      treat all files as text
  -T, --initial-tab               make tabs line up by prepending a tab
      --label LABEL               use LABEL instead of file name and timestamp
                                    (can be repeated)
  -d, --minimal                   try hard to find a smaller set of changes
      --speed-large-files  assume large files and many scattered small changes
      --color[=WHEN]              color output; WHEN is 'never', 'always', or 'auto'

      --help               display this help and exit
  -v, --version            output version information and exit

FILES are 'FILE1 FILE2' or 'DIR1 DIR2' or 'DIR FILE' or 'FILE DIR'.
If a FILE is '-', read standard input.
Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.
"
    ),
)
.code(2)
.named_hint();

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => ctx.finish(Ok(())).max(st),
        Err(e) => ctx.finish(Err(e)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Normal,
    Unified,
    Context,
}

struct Diff {
    format: Format,
    context: usize,
    brief: bool,
    identical: bool,
    recursive: bool,
    new_file: bool,
    icase: bool,
    tabs: bool,
    trailing: bool,
    space_change: bool,
    all_space: bool,
    blank_lines: bool,
    strip_cr: bool,
    text: bool,
    initial_tab: bool,
    labels: Vec<Vec<u8>>,
    excludes: Vec<Vec<u8>>,
    /// The options as given, for the `diff -r a/f b/f` lines.
    switches: Vec<u8>,
    zone: Option<Zone>,
    status: i32,
}

/// diffutils words usage errors as `diff: MSG` then `diff: Try 'diff --help' ...`.
fn usage(ctx: &mut Ctx, msg: &[u8]) -> Error {
    args::usage_error(ctx, &SPEC, msg, 2)
}

fn count(ctx: &mut Ctx, v: &[u8]) -> Result<usize> {
    match std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
    {
        Some(n) => Ok(n),
        None => {
            let mut m = b"invalid context length '".to_vec();
            m.extend_from_slice(v);
            m.push(b'\'');
            Err(usage(ctx, &m))
        }
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    let mut d = Diff {
        format: Format::Normal,
        context: 3,
        brief: false,
        identical: false,
        recursive: false,
        new_file: false,
        icase: false,
        tabs: false,
        trailing: false,
        space_change: false,
        all_space: false,
        blank_lines: false,
        strip_cr: false,
        text: false,
        initial_tab: false,
        labels: Vec::new(),
        excludes: Vec::new(),
        switches: Vec::new(),
        zone: None,
        status: 0,
    };
    let mut ops: Vec<Vec<u8>> = Vec::new();
    let mut bad = None;
    let r = args::each(ctx, &argv, &SPEC, |_, a| {
        match a {
            Arg::Operand(v) => ops.push(v.into_vec()),
            Arg::Opt(o, v) => {
                let v = v.map(OsString::into_vec);
                match Id::of(o.id().as_bytes()) {
                    Some(Id::Brief) => d.brief = true,
                    Some(Id::Identical) => d.identical = true,
                    Some(Id::Unified) => d.format = Format::Unified,
                    Some(Id::CapU) | Some(Id::UnifiedLong) => {
                        d.format = Format::Unified;
                        if let Some(v) = v.filter(|v| !v.is_empty() || o.id() == "U") {
                            match std::str::from_utf8(&v).ok().and_then(|s| s.parse().ok()) {
                                Some(n) => d.context = n,
                                None => bad = Some(v),
                            }
                        }
                    }
                    Some(Id::Context) => d.format = Format::Context,
                    Some(Id::CapC) | Some(Id::ContextLong) => {
                        d.format = Format::Context;
                        if let Some(v) = v.filter(|v| !v.is_empty() || o.id() == "C") {
                            match std::str::from_utf8(&v).ok().and_then(|s| s.parse().ok()) {
                                Some(n) => d.context = n,
                                None => bad = Some(v),
                            }
                        }
                    }
                    Some(Id::Normal) => d.format = Format::Normal,
                    Some(Id::Recursive) => d.recursive = true,
                    Some(Id::NewFile) => d.new_file = true,
                    Some(Id::IgnoreCase) => d.icase = true,
                    Some(Id::Tabs) => d.tabs = true,
                    Some(Id::Trailing) => d.trailing = true,
                    Some(Id::SpaceChange) => d.space_change = true,
                    Some(Id::AllSpace) => d.all_space = true,
                    Some(Id::BlankLines) => d.blank_lines = true,
                    Some(Id::StripCr) => d.strip_cr = true,
                    Some(Id::Text) => d.text = true,
                    Some(Id::InitialTab) => d.initial_tab = true,
                    Some(Id::Label) => d.labels.extend(v),
                    Some(Id::Exclude) => d.excludes.extend(v),
                    Some(Id::ExcludeFrom) => {
                        if let Some(f) = v {
                            if let Ok(data) = std::fs::read(std::ffi::OsStr::from_bytes(&f)) {
                                for l in data.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
                                    d.excludes.push(l.to_vec());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(true)
    })?;
    if !r {
        return Ok(0);
    }
    if let Some(v) = bad {
        count(ctx, &v)?;
    }
    d.switches = switches(&argv);
    if ops.len() < 2 {
        let msg = match ops.first() {
            None => b"missing operand after 'diff'".to_vec(),
            Some(a) => {
                let mut m = b"missing operand after ".to_vec();
                m.extend_from_slice(&crate::common::quote::quote_locale(a));
                m
            }
        };
        return Err(usage(ctx, &msg));
    }
    if ops.len() > 2 {
        return Err(usage(ctx, &args::extra_operand_msg(&ops[2])));
    }
    d.compare(ctx, &ops[0], &ops[1], true)?;
    Ok(d.status)
}

crate::common::args::named! {
    /// The option ids the match in `run` knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Brief = "brief",
        Identical = "report-identical-files",
        Unified = "unified",
        CapU = "U",
        UnifiedLong = "unified-long",
        Context = "context",
        CapC = "C",
        ContextLong = "context-long",
        Normal = "normal",
        Recursive = "recursive",
        NewFile = "new-file",
        IgnoreCase = "ignore-case",
        Tabs = "ignore-tab-expansion",
        Trailing = "ignore-trailing-space",
        SpaceChange = "ignore-space-change",
        AllSpace = "ignore-all-space",
        BlankLines = "ignore-blank-lines",
        StripCr = "strip-trailing-cr",
        Text = "text",
        InitialTab = "initial-tab",
        Label = "label",
        Exclude = "exclude",
        ExcludeFrom = "exclude-from",
    }
}

/// The options as typed (their arguments included, shell-quoted where needed), as GNU's
/// `diff -r` repeats them before each pair of files: the command line less its operands.
fn switches(argv: &[OsString]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut it = argv.iter().skip(1).map(|a| a.as_bytes());
    while let Some(a) = it.next() {
        if a == b"--" {
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            continue;
        }
        out.push(b' ');
        out.extend_from_slice(&crate::common::quote::quote_if_needed(a));
        // An option whose argument is the next word.
        let takes = if let Some(long) = a.strip_prefix(b"--") {
            matches!(long, b"label" | b"exclude" | b"exclude-from")
        } else {
            let last = a[1..]
                .iter()
                .position(|c| matches!(c, b'U' | b'C' | b'x' | b'X' | b'L'));
            last.is_some_and(|p| p + 2 == a.len())
        };
        if takes {
            if let Some(v) = it.next() {
                out.push(b' ');
                out.extend_from_slice(&crate::common::quote::quote_if_needed(v));
            }
        }
    }
    out
}

/// One change: lines `a..a + del` of the first file replaced by `b..b + ins` of the second;
/// `ignore`: only blank lines, under `-B`.
#[derive(Clone, Copy)]
struct Change {
    a: usize,
    del: usize,
    b: usize,
    ins: usize,
    ignore: bool,
}

/// A file's contents split into lines, and what the header shows of it.
struct Text {
    data: Vec<u8>,
    /// Where each line starts; one more entry for the end.
    starts: Vec<usize>,
    /// The last line has no newline.
    incomplete: bool,
}

impl Text {
    fn new(data: Vec<u8>, strip_cr: bool) -> Text {
        let data = if strip_cr {
            let mut v = Vec::with_capacity(data.len());
            let mut i = 0;
            while i < data.len() {
                if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                    continue;
                }
                v.push(data[i]);
                i += 1;
            }
            v
        } else {
            data
        };
        let mut starts = vec![0];
        for (i, &c) in data.iter().enumerate() {
            if c == b'\n' {
                starts.push(i + 1);
            }
        }
        let incomplete = data.last().is_some_and(|&c| c != b'\n');
        if incomplete {
            starts.push(data.len());
        }
        Text {
            data,
            starts,
            incomplete,
        }
    }
    fn len(&self) -> usize {
        self.starts.len() - 1
    }
    /// Line `i` without its newline.
    fn line(&self, i: usize) -> &[u8] {
        let (s, e) = (self.starts[i], self.starts[i + 1]);
        let l = &self.data[s..e];
        l.strip_suffix(b"\n").unwrap_or(l)
    }
}

/// What a side of a comparison is.
struct Side<'a> {
    name: &'a [u8],
    /// What messages call it: the `--label` given for its side, else its name.
    shown: Vec<u8>,
    st: Option<Stat>,
}

impl Diff {
    fn trouble(&mut self, ctx: &mut Ctx, name: &[u8], e: &std::io::Error) {
        let mut m = name.to_vec();
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        ctx.msg(&m);
        self.status = 2;
    }

    fn stat(name: &[u8]) -> std::io::Result<Stat> {
        if name == b"-" {
            sfd::fstat(io::stdin_fd())
        } else {
            sfd::stat(name)
        }
    }

    fn is_dir(st: &Option<Stat>) -> bool {
        st.as_ref()
            .is_some_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
    }

    fn compare(&mut self, ctx: &mut Ctx, a: &[u8], b: &[u8], top: bool) -> Result<()> {
        let sa = Self::stat(a);
        let sb = Self::stat(b);
        let (sa, sb) = match (sa, sb) {
            (Ok(x), Ok(y)) => (Some(x), Some(y)),
            (Err(e), Ok(y)) if self.new_file && e.kind() == std::io::ErrorKind::NotFound => {
                (None, Some(y))
            }
            (Ok(x), Err(e)) if self.new_file && e.kind() == std::io::ErrorKind::NotFound => {
                (Some(x), None)
            }
            (Err(e), _) => {
                self.trouble(ctx, a, &e);
                if let Err(e) = Self::stat(b) {
                    self.trouble(ctx, b, &e);
                }
                return Ok(());
            }
            (_, Err(e)) => {
                self.trouble(ctx, b, &e);
                return Ok(());
            }
        };
        let (da, db) = (Self::is_dir(&sa), Self::is_dir(&sb));
        if top && da != db && (sa.is_some() && sb.is_some()) {
            // A file and a directory: the directory's entry of the file's name.
            let (file, dir) = if da { (b, a) } else { (a, b) };
            if file == b"-" {
                ctx.msg(b"cannot compare '-' to a directory");
                self.status = 2;
                return Ok(());
            }
            let mut inner = dir.to_vec();
            if !inner.ends_with(b"/") {
                inner.push(b'/');
            }
            inner.extend_from_slice(crate::common::fs::base_name(file));
            return if da {
                self.compare(ctx, &inner, b, true)
            } else {
                self.compare(ctx, a, &inner, true)
            };
        }
        if da && db {
            if !top && !self.recursive {
                let mut m = b"Common subdirectories: ".to_vec();
                m.extend_from_slice(a);
                m.extend_from_slice(b" and ");
                m.extend_from_slice(b);
                m.push(b'\n');
                ctx.out.buf_mut().extend_from_slice(&m);
                return Ok(());
            }
            return self.dirs(ctx, a, b, sa.is_some(), sb.is_some());
        }
        if da != db {
            // Only inside a recursive comparison (or -N with a missing side).
            if sa.is_none() || sb.is_none() {
                return self.dirs(ctx, a, b, sa.is_some(), sb.is_some());
            }
            let kind = |st: &Option<Stat>| match st.as_ref().map(|s| s.st_mode & libc::S_IFMT) {
                Some(libc::S_IFDIR) => "directory",
                Some(libc::S_IFLNK) => "symbolic link",
                Some(libc::S_IFIFO) => "fifo",
                Some(libc::S_IFCHR) => "character special file",
                Some(libc::S_IFBLK) => "block special file",
                Some(libc::S_IFSOCK) => "socket",
                _ => "regular file",
            };
            let m = format!(
                "File {} is a {} while file {} is a {}\n",
                String::from_utf8_lossy(&self.shown(a, 0)),
                kind(&sa),
                String::from_utf8_lossy(&self.shown(b, 1)),
                kind(&sb)
            );
            ctx.out.buf_mut().extend_from_slice(m.as_bytes());
            self.status = self.status.max(1);
            return Ok(());
        }
        let (shown_a, shown_b) = (self.shown(a, 0), self.shown(b, 1));
        self.files(
            ctx,
            Side {
                name: a,
                shown: shown_a,
                st: sa,
            },
            Side {
                name: b,
                shown: shown_b,
                st: sb,
            },
            top,
        )
    }

    fn shown(&self, name: &[u8], which: usize) -> Vec<u8> {
        self.labels
            .get(which)
            .map_or_else(|| name.to_vec(), Vec::clone)
    }

    fn excluded(&self, name: &[u8]) -> bool {
        self.excludes
            .iter()
            .any(|p| fnmatch::fnmatch(p, name, fnmatch::Flags::default()))
    }

    fn list(&mut self, ctx: &mut Ctx, dir: &[u8], present: bool) -> Option<Vec<Vec<u8>>> {
        if !present {
            return Some(Vec::new());
        }
        let fd = match sdir::open_dir(sfd::cwd(), dir, true) {
            Ok(fd) => fd,
            Err(e) => {
                self.trouble(ctx, dir, &e);
                return None;
            }
        };
        let mut names = Vec::new();
        let mut buf = DirBuf::new();
        let r = sdir::read_dir(sfd::AsFd::as_fd(&fd), &mut buf, |e| {
            if !sdir::is_dot_or_dotdot(e.name) {
                names.push(e.name.to_vec());
            }
        });
        if let Err(e) = r {
            self.trouble(ctx, dir, &e);
            return None;
        }
        names.retain(|n| !self.excluded(n));
        crate::common::sort::sort(&mut names);
        Some(names)
    }

    fn dirs(&mut self, ctx: &mut Ctx, a: &[u8], b: &[u8], pa: bool, pb: bool) -> Result<()> {
        let (Some(la), Some(lb)) = (self.list(ctx, a, pa), self.list(ctx, b, pb)) else {
            return Ok(());
        };
        let join = |d: &[u8], n: &[u8]| {
            let mut p = d.to_vec();
            if !p.ends_with(b"/") {
                p.push(b'/');
            }
            p.extend_from_slice(n);
            p
        };
        let (mut i, mut j) = (0, 0);
        while i < la.len() || j < lb.len() {
            let ord = match (la.get(i), lb.get(j)) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match ord {
                std::cmp::Ordering::Equal => {
                    self.compare(ctx, &join(a, &la[i]), &join(b, &lb[j]), false)?;
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    self.only(ctx, a, b, &la[i], true)?;
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    self.only(ctx, a, b, &lb[j], false)?;
                    j += 1;
                }
            }
            ctx.out.maybe_flush()?;
        }
        Ok(())
    }

    /// An entry found on one side only: `Only in DIR: NAME`, or with -N a comparison with
    /// nothing.
    fn only(&mut self, ctx: &mut Ctx, a: &[u8], b: &[u8], name: &[u8], left: bool) -> Result<()> {
        let dir = if left { a } else { b };
        if self.new_file {
            let join = |d: &[u8]| {
                let mut p = d.to_vec();
                if !p.ends_with(b"/") {
                    p.push(b'/');
                }
                p.extend_from_slice(name);
                p
            };
            return self.compare(ctx, &join(a), &join(b), false);
        }
        let out = ctx.out.buf_mut();
        out.extend_from_slice(b"Only in ");
        out.extend_from_slice(dir);
        out.extend_from_slice(b": ");
        out.extend_from_slice(name);
        out.push(b'\n');
        self.status = self.status.max(1);
        Ok(())
    }

    fn read(&mut self, ctx: &mut Ctx, side: &Side) -> Option<Vec<u8>> {
        let Some(_) = side.st else {
            return Some(Vec::new());
        };
        let r = Input::open(side.name).and_then(|inp| {
            let mut v = Vec::new();
            sfd::read_to_end(inp.fd(), &mut v).map(|_| v)
        });
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.trouble(ctx, side.name, &e);
                None
            }
        }
    }

    fn files(&mut self, ctx: &mut Ctx, a: Side, b: Side, top: bool) -> Result<()> {
        if let (Some(x), Some(y)) = (&a.st, &b.st) {
            let regular = x.st_mode & libc::S_IFMT == libc::S_IFREG;
            if regular && (x.st_dev, x.st_ino) == (y.st_dev, y.st_ino) && a.name != b"-" {
                return self.same(ctx, &a, &b);
            }
        }
        let (Some(da), Some(db)) = (self.read(ctx, &a), self.read(ctx, &b)) else {
            return Ok(());
        };
        let binary = |d: &[u8]| d[..d.len().min(65536)].contains(&0);
        if !self.text && (binary(&da) || binary(&db)) {
            if da == db {
                return self.same(ctx, &a, &b);
            }
            let out = ctx.out.buf_mut();
            if self.brief {
                out.extend_from_slice(b"Files ");
            } else {
                out.extend_from_slice(b"Binary files ");
            }
            out.extend_from_slice(&a.shown);
            out.extend_from_slice(b" and ");
            out.extend_from_slice(&b.shown);
            out.extend_from_slice(b" differ\n");
            self.status = self.status.max(1);
            return Ok(());
        }
        let ta = Text::new(da, self.strip_cr);
        let tb = Text::new(db, self.strip_cr);
        let hunks = self.script(&ta, &tb);
        if hunks.iter().all(|h| h.ignore) {
            return self.same(ctx, &a, &b);
        }
        self.status = self.status.max(1);
        if self.brief {
            let out = ctx.out.buf_mut();
            out.extend_from_slice(b"Files ");
            out.extend_from_slice(&a.shown);
            out.extend_from_slice(b" and ");
            out.extend_from_slice(&b.shown);
            out.extend_from_slice(b" differ\n");
            return Ok(());
        }
        if !top {
            let out = ctx.out.buf_mut();
            out.extend_from_slice(b"diff");
            out.extend_from_slice(&self.switches);
            out.push(b' ');
            out.extend_from_slice(&a.shown);
            out.push(b' ');
            out.extend_from_slice(&b.shown);
            out.push(b'\n');
        }
        match self.format {
            Format::Normal => self.normal(ctx, &ta, &tb, &hunks),
            Format::Unified | Format::Context => {
                let ha = self.header(&a, 0);
                let hb = self.header(&b, 1);
                self.with_context(ctx, &ta, &tb, &hunks, &ha, &hb);
            }
        }
        ctx.out.maybe_flush()?;
        Ok(())
    }

    fn same(&mut self, ctx: &mut Ctx, a: &Side, b: &Side) -> Result<()> {
        if self.identical {
            let out = ctx.out.buf_mut();
            out.extend_from_slice(b"Files ");
            out.extend_from_slice(&a.shown);
            out.extend_from_slice(b" and ");
            out.extend_from_slice(&b.shown);
            out.extend_from_slice(b" are identical\n");
        }
        Ok(())
    }

    /// `NAME\tYYYY-MM-DD HH:MM:SS.NNNNNNNNN +ZZZZ`, or the label given for this side.
    fn header(&mut self, side: &Side, which: usize) -> Vec<u8> {
        if let Some(l) = self.labels.get(which) {
            return l.clone();
        }
        let mut h = side.name.to_vec();
        h.push(b'\t');
        let (sec, nsec) = match &side.st {
            // Standard input is shown with the time of the comparison, as GNU does.
            Some(_) if side.name == b"-" => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                (now.as_secs() as i64, now.subsec_nanos())
            }
            Some(st) => (st.st_mtime, st.st_mtime_nsec as u32),
            None => (0, 0),
        };
        let z = self.zone.get_or_insert_with(Zone::local);
        let tm = z.to_tm(sec);
        // The context format keeps ctime(3)'s layout in the C locale, the unified format has
        // ISO 8601's.
        let fmt: &[u8] = if self.format == Format::Context {
            b"%a %b %e %T %Y"
        } else {
            b"%Y-%m-%d %H:%M:%S.%N %z"
        };
        strftime(&mut h, fmt, &tm, nsec, sec);
        h
    }

    /// The equivalence class of each line of both files: lines equal under the options share
    /// a number.
    fn classes(&self, ta: &Text, tb: &Text) -> (Vec<u32>, Vec<u32>) {
        // Values as i64: the map type `common::fs::IdDb` already instantiates (one copy of the
        // hash table's code instead of two).
        let mut map: HashMap<Vec<u8>, i64> = HashMap::new();
        let mut key = Vec::new();
        let blind = self.all_space || self.space_change || self.trailing;
        let mut one = |t: &Text, i: usize, key: &mut Vec<u8>| -> u32 {
            key.clear();
            self.normalise(t.line(i), key);
            if t.incomplete && i + 1 == t.len() && !blind {
                // A last line without its newline is another line (GNU prints `\ No newline`),
                // unless white space is ignored: the newline is white space then.
                key.extend_from_slice(b"\n\0");
            }
            let n = map.len() as i64;
            *map.entry(key.clone()).or_insert(n) as u32
        };
        let ca = (0..ta.len()).map(|i| one(ta, i, &mut key)).collect();
        let cb = (0..tb.len()).map(|i| one(tb, i, &mut key)).collect();
        (ca, cb)
    }

    fn normalise(&self, line: &[u8], key: &mut Vec<u8>) {
        let plain =
            !(self.icase || self.tabs || self.trailing || self.space_change || self.all_space);
        if plain {
            key.extend_from_slice(line);
            return;
        }
        let mut col = 0usize;
        let mut pending_space = false;
        for &c in line {
            let c = if self.icase {
                c.to_ascii_lowercase()
            } else {
                c
            };
            let blank = c == b' ' || c == b'\t' || c == b'\x0b' || c == b'\x0c' || c == b'\r';
            if self.all_space && blank {
                continue;
            }
            if self.space_change && blank {
                pending_space = true;
                continue;
            }
            if pending_space {
                key.push(b' ');
                pending_space = false;
            }
            if self.tabs && c == b'\t' {
                let to = (col / 8 + 1) * 8;
                key.resize(key.len() + (to - col), b' ');
                col = to;
                continue;
            }
            key.push(c);
            col += 1;
        }
        if self.trailing && !self.space_change {
            while key
                .last()
                .is_some_and(|&c| matches!(c, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r'))
            {
                key.pop();
            }
        }
    }

    /// The changes: (first line of A, lines deleted, first line of B, lines inserted).
    fn script(&self, ta: &Text, tb: &Text) -> Vec<Change> {
        let (ca, cb) = self.classes(ta, tb);
        let (n, m) = (ca.len(), cb.len());
        // GNU sets aside the byte-identical head and tail before anything else, less
        // `context` lines of each (the "horizon"): changes cannot slide beyond them, and only
        // the lines between are counted when lines are set aside below.
        fn raw(t: &Text, i: usize) -> &[u8] {
            &t.data[t.starts[i]..t.starts[i + 1]]
        }
        let mut pre = 0;
        while pre < n && pre < m && raw(ta, pre) == raw(tb, pre) {
            pre += 1;
        }
        let mut suf = 0;
        while suf < n - pre && suf < m - pre && raw(ta, n - 1 - suf) == raw(tb, m - 1 - suf) {
            suf += 1;
        }
        let horizon = if self.format == Format::Normal {
            0
        } else {
            self.context
        };
        let lo = pre - pre.min(horizon);
        let suf = suf - suf.min(horizon);
        let (ca, cb) = (&ca[lo..n - suf], &cb[lo..m - suf]);
        let (n, m) = (ca.len(), cb.len());
        // Change flags with a false sentinel on each side (index p + 1 for line p).
        let mut fa = vec![false; n + 2];
        let mut fb = vec![false; m + 2];
        // Lines that cannot match (or match too much) are set aside before the search, as GNU
        // does: the search then runs on the rest, whose changes map back to real lines.
        let (ka, kb) = discard_confusing(ca, cb);
        let keep = |c: &[u32], k: &[bool], f: &mut [bool]| -> (Vec<u32>, Vec<usize>) {
            let mut seq = Vec::new();
            let mut real = Vec::new();
            for (i, (&c, &kept)) in c.iter().zip(k).enumerate() {
                if kept {
                    seq.push(c);
                    real.push(i);
                } else {
                    f[i + 1] = true;
                }
            }
            (seq, real)
        };
        let (sa, ra) = keep(ca, &ka, &mut fa);
        let (sb, rb) = keep(cb, &kb, &mut fb);
        let mut ga = vec![false; sa.len() + 2];
        let mut gb = vec![false; sb.len() + 2];
        let mut v = Snakes::new(sa.len() + sb.len() + 3);
        compare_seq(&sa, &sb, &mut ga, &mut gb, 0, sa.len(), 0, sb.len(), &mut v);
        for (k, &r) in ra.iter().enumerate() {
            fa[r + 1] = ga[k + 1];
        }
        for (k, &r) in rb.iter().enumerate() {
            fb[r + 1] = gb[k + 1];
        }
        shift_boundaries(ca, &mut fa, &fb);
        shift_boundaries(cb, &mut fb, &fa);
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if !fa[i + 1] && !fb[j + 1] {
                i += 1;
                j += 1;
                continue;
            }
            let (si, sj) = (i, j);
            while i < n && fa[i + 1] {
                i += 1;
            }
            while j < m && fb[j + 1] {
                j += 1;
            }
            let (del, ins) = (i - si, j - sj);
            let (si, sj) = (si + lo, sj + lo);
            let ignore = self.blank_lines
                && (si..si + del).all(|k| self.is_blank(ta.line(k)))
                && (sj..sj + ins).all(|k| self.is_blank(tb.line(k)));
            out.push(Change {
                a: si,
                del,
                b: sj,
                ins,
                ignore,
            });
        }
        out
    }

    fn is_blank(&self, l: &[u8]) -> bool {
        if self.all_space || self.space_change || self.trailing {
            l.iter().all(|c| c.is_ascii_whitespace())
        } else {
            l.is_empty()
        }
    }

    fn line_out(&self, out: &mut Vec<u8>, prefix: &[u8], t: &Text, i: usize) {
        if self.initial_tab {
            // `-T`: the mark without its space, then a tab (`< x` is `<\tx`, ` x` is `\tx`).
            out.extend_from_slice(prefix.strip_suffix(b" ").unwrap_or(prefix));
            out.push(b'\t');
        } else {
            out.extend_from_slice(prefix);
        }
        out.extend_from_slice(t.line(i));
        out.push(b'\n');
        if t.incomplete && i + 1 == t.len() {
            out.extend_from_slice(b"\\ No newline at end of file\n");
        }
    }

    fn normal(&self, ctx: &mut Ctx, ta: &Text, tb: &Text, hunks: &[Change]) {
        let range = |out: &mut Vec<u8>, s: usize, n: usize| {
            if n <= 1 {
                out.extend_from_slice((s + n.max(1)).to_string().as_bytes());
            } else {
                push_fmt(out, format_args!("{},{}", s + 1, s + n));
            }
        };
        let mut out = std::mem::take(ctx.out.buf_mut());
        for h in hunks.iter().filter(|h| !h.ignore) {
            let (sa, del, sb, ins) = (h.a, h.del, h.b, h.ins);
            if del == 0 {
                out.extend_from_slice(sa.to_string().as_bytes());
                out.push(b'a');
                range(&mut out, sb, ins);
            } else if ins == 0 {
                range(&mut out, sa, del);
                out.push(b'd');
                out.extend_from_slice(sb.to_string().as_bytes());
            } else {
                range(&mut out, sa, del);
                out.push(b'c');
                range(&mut out, sb, ins);
            }
            out.push(b'\n');
            for k in sa..sa + del {
                self.line_out(&mut out, b"< ", ta, k);
            }
            if del > 0 && ins > 0 {
                out.extend_from_slice(b"---\n");
            }
            for k in sb..sb + ins {
                self.line_out(&mut out, b"> ", tb, k);
            }
        }
        *ctx.out.buf_mut() = out;
    }

    fn with_context(
        &self,
        ctx: &mut Ctx,
        ta: &Text,
        tb: &Text,
        hunks: &[Change],
        ha: &[u8],
        hb: &[u8],
    ) {
        let c = self.context;
        let unified = self.format == Format::Unified;
        let mut out = std::mem::take(ctx.out.buf_mut());
        out.extend_from_slice(if unified { b"--- " } else { b"*** " });
        out.extend_from_slice(ha);
        out.push(b'\n');
        out.extend_from_slice(if unified { b"+++ " } else { b"--- " });
        out.extend_from_slice(hb);
        out.push(b'\n');
        // Group the changes whose context would touch or overlap (GNU's find_hunk: an
        // ignorable next change, `-B`'s blank lines, joins only when one context reaches it).
        let mut k = 0;
        while k < hunks.len() {
            let mut e = k;
            while e + 1 < hunks.len() {
                let (h, next) = (&hunks[e], &hunks[e + 1]);
                let thresh = if next.ignore { c } else { 2 * c + 1 };
                if next.a - (h.a + h.del) >= thresh {
                    break;
                }
                e += 1;
            }
            let group = &hunks[k..=e];
            k = e + 1;
            if group.iter().all(|h| h.ignore) {
                continue;
            }
            let (first, last) = (&group[0], &group[group.len() - 1]);
            let a0 = first.a.saturating_sub(c);
            let b0 = first.b.saturating_sub(c);
            let a1 = (last.a + last.del + c).min(ta.len());
            let b1 = (last.b + last.ins + c).min(tb.len());
            if unified {
                let r = |s: usize, n: usize| {
                    if n == 1 {
                        format!("{}", s + 1)
                    } else if n == 0 {
                        format!("{s},0")
                    } else {
                        format!("{},{}", s + 1, n)
                    }
                };
                out.extend_from_slice(
                    format!("@@ -{} +{} @@\n", r(a0, a1 - a0), r(b0, b1 - b0)).as_bytes(),
                );
                let mut i = a0;
                for &Change {
                    a: sa,
                    del,
                    b: sb,
                    ins,
                    ..
                } in group
                {
                    while i < sa {
                        self.line_out(&mut out, b" ", ta, i);
                        i += 1;
                    }
                    for x in sa..sa + del {
                        self.line_out(&mut out, b"-", ta, x);
                    }
                    for x in sb..sb + ins {
                        self.line_out(&mut out, b"+", tb, x);
                    }
                    i = sa + del;
                }
                while i < a1 {
                    self.line_out(&mut out, b" ", ta, i);
                    i += 1;
                }
            } else {
                let r = |s: usize, n: usize| {
                    if n == 0 {
                        format!("{s}")
                    } else if n == 1 {
                        format!("{}", s + 1)
                    } else {
                        format!("{},{}", s + 1, s + n)
                    }
                };
                out.extend_from_slice(b"***************\n");
                push_fmt(&mut out, format_args!("*** {} ****\n", r(a0, a1 - a0)));
                if group.iter().any(|h| h.del > 0) {
                    let mut i = a0;
                    for &Change {
                        a: sa, del, ins, ..
                    } in group
                    {
                        while i < sa {
                            self.line_out(&mut out, b"  ", ta, i);
                            i += 1;
                        }
                        let mark: &[u8] = if ins > 0 { b"! " } else { b"- " };
                        for x in sa..sa + del {
                            self.line_out(&mut out, mark, ta, x);
                        }
                        i = sa + del;
                    }
                    while i < a1 {
                        self.line_out(&mut out, b"  ", ta, i);
                        i += 1;
                    }
                }
                push_fmt(&mut out, format_args!("--- {} ----\n", r(b0, b1 - b0)));
                if group.iter().any(|h| h.ins > 0) {
                    let mut j = b0;
                    for &Change {
                        del, b: sb, ins, ..
                    } in group
                    {
                        while j < sb {
                            self.line_out(&mut out, b"  ", tb, j);
                            j += 1;
                        }
                        let mark: &[u8] = if del > 0 { b"! " } else { b"+ " };
                        for x in sb..sb + ins {
                            self.line_out(&mut out, mark, tb, x);
                        }
                        j = sb + ins;
                    }
                    while j < b1 {
                        self.line_out(&mut out, b"  ", tb, j);
                        j += 1;
                    }
                }
            }
        }
        *ctx.out.buf_mut() = out;
    }
}

/// GNU's discard_confusing_lines: which lines of each file take part in the search. A line
/// with no match in the other file is certainly changed; one with very many matches is set
/// aside only inside a run of such lines that is mostly made of certain ones.
fn discard_confusing(a: &[u32], b: &[u32]) -> (Vec<bool>, Vec<bool>) {
    let classes = a.iter().chain(b).max().map_or(0, |&m| m as usize + 1);
    let mut count = [vec![0usize; classes], vec![0usize; classes]];
    for &c in a {
        count[0][c as usize] += 1;
    }
    for &c in b {
        count[1][c as usize] += 1;
    }
    let one = |lines: &[u32], other: &[usize]| -> Vec<bool> {
        let n = lines.len();
        let mut many = 5usize;
        let mut tem = n / 64;
        loop {
            tem >>= 2;
            if tem == 0 {
                break;
            }
            many *= 2;
        }
        // 0 keep, 1 discard, 2 discard provisionally.
        let mut d: Vec<u8> = lines
            .iter()
            .map(|&c| match other[c as usize] {
                0 => 1,
                k if k > many => 2,
                _ => 0,
            })
            .collect();
        let mut i = 0;
        while i < n {
            if d[i] == 2 {
                d[i] = 0;
            } else if d[i] != 0 {
                let mut provisional = 0;
                let mut j = i;
                while j < n && d[j] != 0 {
                    if d[j] == 2 {
                        provisional += 1;
                    }
                    j += 1;
                }
                while j > i && d[j - 1] == 2 {
                    j -= 1;
                    d[j] = 0;
                    provisional -= 1;
                }
                let length = j - i;
                if provisional * 4 > length {
                    while j > i {
                        j -= 1;
                        if d[j] == 2 {
                            d[j] = 0;
                        }
                    }
                } else {
                    let mut minimum = 1usize;
                    let mut tem = length >> 2;
                    loop {
                        tem >>= 1;
                        if tem == 0 {
                            break;
                        }
                        minimum <<= 1;
                    }
                    minimum += 1;
                    let mut consec = 0;
                    let mut k = 0;
                    while k < length {
                        if d[i + k] != 2 {
                            consec = 0;
                        } else {
                            consec += 1;
                            if consec == minimum {
                                k -= consec - 1;
                                consec = 0;
                                // Cancel the whole subrun from its start.
                                while k < length && d[i + k] == 2 {
                                    d[i + k] = 0;
                                    k += 1;
                                }
                                continue;
                            }
                        }
                        k += 1;
                    }
                    let mut consec = 0;
                    for k in 0..length {
                        if k >= 8 && d[i + k] == 1 {
                            break;
                        }
                        if d[i + k] == 2 {
                            consec = 0;
                            d[i + k] = 0;
                        } else if d[i + k] == 0 {
                            consec = 0;
                        } else {
                            consec += 1;
                        }
                        if consec == 3 {
                            break;
                        }
                    }
                    let last = i + length - 1;
                    let mut consec = 0;
                    for k in 0..length {
                        if k >= 8 && d[last - k] == 1 {
                            break;
                        }
                        if d[last - k] == 2 {
                            consec = 0;
                            d[last - k] = 0;
                        } else if d[last - k] == 0 {
                            consec = 0;
                        } else {
                            consec += 1;
                        }
                        if consec == 3 {
                            break;
                        }
                    }
                    i = last;
                }
            }
            i += 1;
        }
        d.iter().map(|&x| x == 0).collect()
    };
    (one(a, &count[1]), one(b, &count[0]))
}

/// The furthest-reaching paths of the forward and the backward search, by diagonal.
struct Snakes {
    fd: Vec<isize>,
    bd: Vec<isize>,
    off: isize,
}

impl Snakes {
    fn new(len: usize) -> Snakes {
        Snakes {
            fd: vec![0; 2 * len + 2],
            bd: vec![0; 2 * len + 2],
            off: len as isize + 1,
        }
    }
}

/// Myers' middle snake of `a[x0..x1]` against `b[y0..y1]` (both ends differ): a point of a
/// shortest edit script found by searching from both corners at once.
#[allow(clippy::too_many_arguments)]
fn middle(
    a: &[u32],
    b: &[u32],
    x0: usize,
    x1: usize,
    y0: usize,
    y1: usize,
    s: &mut Snakes,
) -> (usize, usize) {
    let (xoff, xlim, yoff, ylim) = (x0 as isize, x1 as isize, y0 as isize, y1 as isize);
    let dmin = xoff - ylim;
    let dmax = xlim - yoff;
    let fmid = xoff - yoff;
    let bmid = xlim - ylim;
    let odd = (fmid - bmid) & 1 != 0;
    let o = s.off;
    let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
    s.fd[(o + fmid) as usize] = xoff;
    s.bd[(o + bmid) as usize] = xlim;
    loop {
        // Forward: extend each diagonal's path by one edit, then along equal lines.
        if fmin > dmin {
            fmin -= 1;
            s.fd[(o + fmin - 1) as usize] = -1;
        } else {
            fmin += 1;
        }
        if fmax < dmax {
            fmax += 1;
            s.fd[(o + fmax + 1) as usize] = -1;
        } else {
            fmax -= 1;
        }
        let mut d = fmax;
        while d >= fmin {
            let tlo = s.fd[(o + d - 1) as usize];
            let thi = s.fd[(o + d + 1) as usize];
            let mut x = if tlo >= thi { tlo + 1 } else { thi };
            let mut y = x - d;
            while x < xlim && y < ylim && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            s.fd[(o + d) as usize] = x;
            if odd && bmin <= d && d <= bmax && s.bd[(o + d) as usize] <= x {
                return (x as usize, y as usize);
            }
            d -= 2;
        }
        // Backward, from the end.
        if bmin > dmin {
            bmin -= 1;
            s.bd[(o + bmin - 1) as usize] = isize::MAX;
        } else {
            bmin += 1;
        }
        if bmax < dmax {
            bmax += 1;
            s.bd[(o + bmax + 1) as usize] = isize::MAX;
        } else {
            bmax -= 1;
        }
        let mut d = bmax;
        while d >= bmin {
            let tlo = s.bd[(o + d - 1) as usize];
            let thi = s.bd[(o + d + 1) as usize];
            let mut x = if tlo < thi { tlo } else { thi - 1 };
            let mut y = x - d;
            while xoff < x && yoff < y && a[(x - 1) as usize] == b[(y - 1) as usize] {
                x -= 1;
                y -= 1;
            }
            s.bd[(o + d) as usize] = x;
            if !odd && fmin <= d && d <= fmax && x <= s.fd[(o + d) as usize] {
                return (x as usize, y as usize);
            }
            d -= 2;
        }
    }
}

/// Mark the lines of `a[x0..x1]` and `b[y0..y1]` that a shortest edit script deletes and
/// inserts (flags at index line + 1).
#[allow(clippy::too_many_arguments)]
fn compare_seq(
    a: &[u32],
    b: &[u32],
    fa: &mut [bool],
    fb: &mut [bool],
    mut x0: usize,
    mut x1: usize,
    mut y0: usize,
    mut y1: usize,
    s: &mut Snakes,
) {
    while x0 < x1 && y0 < y1 && a[x0] == b[y0] {
        x0 += 1;
        y0 += 1;
    }
    while x1 > x0 && y1 > y0 && a[x1 - 1] == b[y1 - 1] {
        x1 -= 1;
        y1 -= 1;
    }
    if x0 == x1 {
        fb[y0 + 1..y1 + 1].iter_mut().for_each(|f| *f = true);
    } else if y0 == y1 {
        fa[x0 + 1..x1 + 1].iter_mut().for_each(|f| *f = true);
    } else {
        let (xm, ym) = middle(a, b, x0, x1, y0, y1, s);
        compare_seq(a, b, fa, fb, x0, xm, y0, ym, s);
        compare_seq(a, b, fa, fb, xm, x1, ym, y1, s);
    }
}

/// GNU's boundary shifting for one file: each run of changed lines slides over equal lines,
/// merging with its neighbours, as far down as it can, then back up to where it lines up with
/// a run of changes in the other file if it passed one. Flags at index line + 1, false at 0
/// and at the end.
fn shift_boundaries(eq: &[u32], ch: &mut [bool], other: &[bool]) {
    let n = eq.len();
    let ol = other.len() - 2;
    let (mut i, mut j) = (0usize, 0usize);
    let oc = |j: usize| j < ol && other[j + 1];
    loop {
        while i < n && !ch[i + 1] {
            while oc(j) {
                j += 1;
            }
            i += 1;
            j += 1;
        }
        if i == n {
            break;
        }
        let mut start = i;
        while ch[i + 1] {
            i += 1;
        }
        while oc(j) {
            j += 1;
        }
        let mut corresponding;
        loop {
            let run = i - start;
            while start > 0 && eq[start - 1] == eq[i - 1] {
                start -= 1;
                ch[start + 1] = true;
                i -= 1;
                ch[i + 1] = false;
                while start > 0 && ch[start] {
                    start -= 1;
                }
                loop {
                    j -= 1;
                    if !oc(j) {
                        break;
                    }
                }
            }
            corresponding = if j > 0 && oc(j - 1) { i } else { n };
            while i < n && eq[start] == eq[i] {
                ch[start + 1] = false;
                start += 1;
                ch[i + 1] = true;
                i += 1;
                while ch[i + 1] {
                    i += 1;
                }
                loop {
                    j += 1;
                    if !oc(j) {
                        break;
                    }
                    corresponding = i;
                }
            }
            if run == i - start {
                break;
            }
        }
        while corresponding < i {
            start -= 1;
            ch[start + 1] = true;
            i -= 1;
            ch[i + 1] = false;
            loop {
                j -= 1;
                if !oc(j) {
                    break;
                }
            }
        }
    }
}
