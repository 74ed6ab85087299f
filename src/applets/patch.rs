//! `patch`: apply a diff to files.
//!
//! Follows GNU patch 2.7: unified diffs (with `diff --git` headers, `new file mode`, `deleted
//! file mode`, `\ No newline at end of file`), context diffs and normal diffs, several files per
//! patch with text before and between them skipped; names from `---`/`+++`/`***`, `Index:` and
//! `diff --git`, stripped by `-p N` (without `-p`: the base name), GNU's choice among them (an
//! existing one, fewest components, shortest base name); `/dev/null`, an Epoch time stamp or
//! git's `new file mode`/`deleted file mode` for created files (missing directories are made)
//! and removed ones (their emptied directories go too); git's modes are applied.
//! Each hunk is looked for at its line, then at growing offsets either way, then with fuzz (1 to
//! `-F`, default 2: context lines dropped at the ends), after the previous hunk, as GNU's
//! `locate_hunk`; the messages (`Hunk #2 succeeded at 14 (offset 3 lines).`, `with fuzz 1`,
//! `FAILED at`, `N out of M hunks FAILED -- saving rejects to file X.rej`), the reversed-patch
//! question (answered from /dev/tty when standard output is a terminal, else "no" after the
//! prompt, as GNU's), `-N`'s `Skipping patch.`, `-t`'s `Assuming -R.`, the `can't find file to
//! patch` report, the status (0, 1 when a hunk failed or was ignored, 2 for serious trouble:
//! `patch: **** malformed patch at line N: ...`). Rejects are written in the input's format
//! (normal diffs in GNU's context-like form). A `.orig` copy is kept with `-b` (`-B`, `-z`, `-V`,
//! `VERSION_CONTROL`, `SIMPLE_BACKUP_SUFFIX` through `common::backup`) and, as GNU's, when a
//! hunk needed an offset or fuzz or failed (not with `--no-backup-if-mismatch` or
//! `POSIXLY_CORRECT`). The result goes to a temporary file beside the target and is renamed over
//! it (mode kept); a symlink or other non-regular target is refused (`File X is not a regular
//! file -- refusing to patch`), so a link cannot redirect the write.
//! A hunk cut short by the end of the patch gets empty context lines for the missing ones, as
//! GNU's. Deviations: `--verbose`'s extra lines, ed scripts (`-e`), `--merge`, `-D`, `-Y`,
//! `--posix` name rules, `-T`/`-Z`, `--reject-format`, git renames, copies and binary patches
//! are not supported (a rename's hunks apply to the old name); several files patched into one
//! `-o` file each replace it (GNU appends); `-d` changes the working directory of the process
//! (patch runs as a NOEXEC applet, in its own child); `-f` on a git patch whose hunks all fail
//! for a file keeps a `.orig` where GNU keeps none.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::backup::{self, Backup, Kind};
use crate::common::ctx::strerror;
use crate::common::fs::replace_file;
use crate::common::help::help_text;
use crate::common::io::Input;
use crate::common::quote::quote_if_needed as q;
use crate::common::sys::fd as sfd;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("strip", Some(b'p'), Some("strip")),
        Opt::arg("input", Some(b'i'), Some("input")),
        Opt::arg("dir", Some(b'd'), Some("directory")),
        Opt::flag("reverse", Some(b'R'), Some("reverse")),
        Opt::flag("forward", Some(b'N'), Some("forward")),
        Opt::flag("dry", None, Some("dry-run")),
        Opt::flag("silent", Some(b's'), Some("silent")),
        Opt::flag("silent", None, Some("quiet")),
        Opt::flag("verbose", None, Some("verbose")),
        Opt::flag("force", Some(b'f'), Some("force")),
        Opt::flag("batch", Some(b't'), Some("batch")),
        Opt::flag("rmempty", Some(b'E'), Some("remove-empty-files")),
        Opt::arg("output", Some(b'o'), Some("output")),
        Opt::arg("rej", Some(b'r'), Some("reject-file")),
        Opt::arg("fuzz", Some(b'F'), Some("fuzz")),
        Opt::flag("ws", Some(b'l'), Some("ignore-whitespace")),
        Opt::flag("backup", Some(b'b'), Some("backup")),
        Opt::arg("prefix", Some(b'B'), Some("prefix")),
        Opt::arg("suffix", Some(b'z'), Some("suffix")),
        Opt::arg("vc", Some(b'V'), Some("version-control")),
        Opt::flag("nobim", None, Some("no-backup-if-mismatch")),
        Opt::flag("bim", None, Some("backup-if-mismatch")),
        Opt::flag("u", Some(b'u'), Some("unified")),
        Opt::flag("c", Some(b'c'), Some("context")),
        Opt::flag("n", Some(b'n'), Some("normal")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: patch [OPTION]... [ORIGFILE [PATCHFILE]]

Input options:
  -p NUM  --strip=NUM  Strip NUM leading components from file names.
  -F LINES  --fuzz LINES  Set the fuzz factor to LINES for inexact matching.
  -l  --ignore-whitespace  Ignore white space changes between patch and input.
  -c  --context  Interpret the patch as a context difference.
  -n  --normal  Interpret the patch as a normal difference.
  -u  --unified  Interpret the patch as a unified difference.
  -N  --forward  Ignore patches that appear to be reversed or already applied.
  -R  --reverse  Assume patches were created with old and new files swapped.
  -i PATCHFILE  --input=PATCHFILE  Read patch from PATCHFILE instead of stdin.

Output options:
  -o FILE  --output=FILE  Output patched files to FILE.
  -r FILE  --reject-file=FILE  Output rejects to FILE.
  -E  --remove-empty-files  Remove output files that are empty after patching.
  -s  --quiet  --silent  Work silently unless an error occurs.
  --verbose  Output extra information about the work being done.
  --dry-run  Do not actually change any files; just print what would happen.

Backup and version control options:
  -b  --backup  Back up the original contents of each file.
  --backup-if-mismatch  Back up if the patch does not match exactly.
  --no-backup-if-mismatch  Back up mismatches only if otherwise requested.
  -V STYLE  --version-control=STYLE  Use STYLE version control.
  -B PREFIX  --prefix=PREFIX  Prepend PREFIX to backup file names.
  -z SUFFIX  --suffix=SUFFIX  Append SUFFIX to backup file names.

Miscellaneous options:
  -t  --batch  Ask no questions; skip bad-Prereq patches; assume reversed.
  -f  --force  Like -t, but ignore bad-Prereq patches, and assume unreversed.
  -d DIR  --directory=DIR  Change the working directory to DIR first.
  --help  Output this help.
  --version  Output version info.
"
    ),
)
.code(2)
.named_hint();

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// One hunk line: ' ' context, '-' old only, '+' new only; `nl`: ends with a newline.
struct L {
    k: u8,
    t: Vec<u8>,
    nl: bool,
}

struct Hunk {
    /// Old and new first lines as GNU counts them (an empty range names the line after it).
    first: usize,
    newfirst: usize,
    /// The header's numbers and trailing text, for the reject file.
    hdr: (usize, usize, usize, usize, Vec<u8>),
    lines: Vec<L>,
}

impl Hunk {
    fn len(&self, k: u8) -> usize {
        self.lines
            .iter()
            .filter(|l| l.k == b' ' || l.k == k)
            .count()
    }
    fn swap(&mut self) {
        for l in &mut self.lines {
            l.k = match l.k {
                b'-' => b'+',
                b'+' => b'-',
                c => c,
            };
        }
        // Old lines first in each change block, as a diff writes them.
        let mut i = 0;
        while i < self.lines.len() {
            let j = (i..self.lines.len())
                .find(|&j| self.lines[j].k == b' ')
                .unwrap_or(self.lines.len());
            self.lines[i..j].sort_by_key(|l| l.k == b'+');
            i = j + 1;
        }
        std::mem::swap(&mut self.first, &mut self.newfirst);
        let h = &mut self.hdr;
        (h.0, h.1, h.2, h.3) = (h.2, h.3, h.0, h.1);
    }
    /// Context lines before the first change and after the last.
    fn context(&self) -> (usize, usize) {
        let pre = self.lines.iter().take_while(|l| l.k == b' ').count();
        let suf = self.lines.iter().rev().take_while(|l| l.k == b' ').count();
        if pre == self.lines.len() {
            (pre, 0)
        } else {
            (pre, suf)
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Fmt {
    Unified,
    Context,
    Normal,
}

struct Opts {
    strip: Option<usize>,
    reverse: bool,
    forward: bool,
    dry: bool,
    silent: bool,
    verbose: bool,
    force: bool,
    batch: bool,
    rmempty: bool,
    output: Option<Vec<u8>>,
    rej: Option<Vec<u8>>,
    fuzz: usize,
    ws: bool,
    backup: Option<Backup>,
    prefix: Option<Vec<u8>>,
    suffix: Option<Vec<u8>>,
    bim: bool,
    fmt: Option<Fmt>,
    file: Option<Vec<u8>>,
}

/// The patch text as lines (each with its newline) and a cursor.
struct Src<'a> {
    lines: Vec<&'a [u8]>,
    pos: usize,
    /// `\ No newline` lines read so far: GNU's line numbers leave them out.
    nonl: usize,
}

impl<'a> Src<'a> {
    fn peek(&self, at: usize) -> Option<&'a [u8]> {
        self.lines.get(self.pos + at).copied()
    }
}

fn body(l: &[u8]) -> &[u8] {
    l.strip_suffix(b"\n").unwrap_or(l)
}

fn num(s: &[u8]) -> Option<usize> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// `A[,B]` → (A, B or A... as `count` says): unified ranges are start,count.
fn range(s: &[u8]) -> Option<(usize, Option<usize>)> {
    match s.iter().position(|&c| c == b',') {
        Some(i) => Some((num(&s[..i])?, Some(num(&s[i + 1..])?))),
        None => Some((num(s)?, None)),
    }
}

type NormalCmd = ((usize, usize), u8, (usize, usize));

fn normal_cmd(l: &[u8]) -> Option<NormalCmd> {
    let l = body(l);
    let i = l.iter().position(|c| matches!(c, b'a' | b'c' | b'd'))?;
    let (a, b) = range(&l[..i])?;
    let (c, d) = range(&l[i + 1..])?;
    Some(((a, b.unwrap_or(a)), l[i], (c, d.unwrap_or(c))))
}

/// The name in a `--- NAME\tstamp` line (C-quoted names unquoted).
fn header_name(rest: &[u8]) -> Vec<u8> {
    let rest = body(rest);
    if rest.first() == Some(&b'"') {
        let mut out = Vec::new();
        let mut i = 1;
        while i < rest.len() && rest[i] != b'"' {
            if rest[i] == b'\\' && i + 1 < rest.len() {
                i += 1;
                let c = rest[i];
                if (b'0'..=b'7').contains(&c) {
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < 3 && i < rest.len() && (b'0'..=b'7').contains(&rest[i]) {
                        v = v * 8 + (rest[i] - b'0') as u32;
                        i += 1;
                        n += 1;
                    }
                    out.push(v as u8);
                    continue;
                }
                out.push(match c {
                    b'n' => b'\n',
                    b't' => b'\t',
                    c => c,
                });
            } else {
                out.push(rest[i]);
            }
            i += 1;
        }
        return out;
    }
    // Without a tab before the time stamp a name ends at the first blank, as GNU's.
    let end = rest
        .iter()
        .position(|&c| c == b'\t')
        .or_else(|| rest.iter().position(|&c| c == b' '))
        .unwrap_or(rest.len());
    let mut n = &rest[..end];
    while let [x @ .., b' ' | b'\r'] = n {
        n = x;
    }
    n.to_vec()
}

/// GNU's -p: drop `strip` leading components (None: keep the base name).
fn strip_name(name: &[u8], strip: Option<usize>) -> Option<Vec<u8>> {
    if name.is_empty() || name == b"/dev/null" {
        return None;
    }
    match strip {
        None => Some(
            name.rsplit(|&c| c == b'/')
                .find(|p| !p.is_empty())
                .unwrap_or(name)
                .to_vec(),
        ),
        Some(mut n) => {
            let mut s = name;
            while n > 0 {
                let i = s.iter().position(|&c| c == b'/')?;
                s = &s[i + 1..];
                while s.first() == Some(&b'/') {
                    s = &s[1..];
                }
                n -= 1;
            }
            (!s.is_empty()).then(|| s.to_vec())
        }
    }
}

/// One file's header, as found by [`next_file`].
#[derive(Default)]
struct Header {
    /// Old, new, index names (raw).
    names: [Option<Vec<u8>>; 3],
    /// The raw `---`/`+++` (or `***`/`---`) lines, for the reject file.
    raw: Vec<Vec<u8>>,
    git_new: Option<u32>,
    /// A git `new mode` (applied forward only).
    git_mode: Option<u32>,
    git_del: bool,
    /// The old, new file is absent: `/dev/null`, or an Epoch time stamp (`diff -N`).
    epoch: [bool; 2],
    /// Where the text leading up to it starts, and the first hunk line.
    lead: usize,
    at: usize,
}

/// Finds the next file's header from the cursor; leaves the cursor on its first hunk.
fn next_file(src: &mut Src, force: Option<Fmt>) -> Option<(Header, Option<Fmt>)> {
    let mut h = Header {
        lead: src.pos,
        ..Header::default()
    };
    let mut git = false;
    while let Some(l) = src.peek(0) {
        let b = body(l);
        let n1 = src.peek(1);
        let n2 = src.peek(2);
        if let Some(r) = b.strip_prefix(b"diff --git ") {
            if git {
                // A git header without hunks (mode change, empty file).
                h.at = src.pos;
                return Some((h, None));
            }
            git = true;
            h = Header {
                lead: h.lead,
                ..Header::default()
            };
            if let Some(i) = r.windows(3).rposition(|w| w == b" b/") {
                h.names[0] = Some(r[..i].to_vec());
                h.names[1] = Some(r[i + 1..].to_vec());
            }
        } else if git && b.starts_with(b"new file mode ") {
            h.git_new = Some(
                u32::from_str_radix(std::str::from_utf8(&b[14..]).unwrap_or(""), 8)
                    .unwrap_or(0o644),
            );
        } else if git && b.starts_with(b"new mode ") {
            h.git_mode = u32::from_str_radix(std::str::from_utf8(&b[9..]).unwrap_or(""), 8).ok();
        } else if git && b.starts_with(b"deleted file mode ") {
            h.git_del = true;
        } else if let Some(r) = b.strip_prefix(b"Index: ") {
            h.names[2] = Some(header_name(r));
        } else if let (Some((fmt, o, (next, third))), Some(n), Some(x)) = (header_start(b), n1, n2)
        {
            if n.starts_with(next) && x.starts_with(third) && force.is_none_or(|f| f == fmt) {
                set_names(&mut h, o, &n[4..]);
                h.raw = vec![l.to_vec(), n.to_vec()];
                src.pos += 2;
                h.at = src.pos;
                return Some((h, Some(fmt)));
            }
        } else if normal_cmd(b).is_some() && force.is_none_or(|f| f == Fmt::Normal) {
            h.at = src.pos;
            return Some((h, Some(Fmt::Normal)));
        }
        src.pos += 1;
    }
    if git {
        h.at = src.pos;
        return Some((h, None));
    }
    None
}

/// The first line of a unified (`--- `) or context (`*** `) file header: its format, the name
/// part, and how the next two lines must begin for it to be one.
fn header_start(b: &[u8]) -> Option<(Fmt, &[u8], HeaderNext)> {
    if let Some(o) = b.strip_prefix(b"--- ") {
        return Some((Fmt::Unified, o, (b"+++ ", b"@@ -")));
    }
    let o = b.strip_prefix(b"*** ")?;
    Some((Fmt::Context, o, (b"--- ", b"***************")))
}

/// How the two lines after a header's first must begin.
type HeaderNext = (&'static [u8], &'static [u8]);

/// Whether the time stamp after a header's name is the Epoch: `YYYY-MM-DD HH:MM:SS[.N] +ZZZZ`.
fn is_epoch(rest: &[u8]) -> bool {
    let Some(i) = rest.iter().position(|&c| c == b'\t') else {
        return false;
    };
    let t = body(&rest[i + 1..]);
    let f = |a: usize, b: usize| t.get(a..b).and_then(num).map(|n| n as i64);
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)) =
        (f(0, 4), f(5, 7), f(8, 10), f(11, 13), f(14, 16), f(17, 19))
    else {
        return false;
    };
    let Some(z) = t.iter().rposition(|&c| c == b'+' || c == b'-') else {
        return false;
    };
    let zs = if t[z] == b'-' { -1 } else { 1 };
    let (Some(zh), Some(zm)) = (f(z + 1, z + 3), f(z + 3, z + 5)) else {
        return false;
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * ((mo + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    days * 86400 + h * 3600 + mi * 60 + se - zs * (zh * 3600 + zm * 60) == 0
}

/// The old and new names of a `---`/`+++` pair; `/dev/null` or an Epoch time stamp marks an
/// absent file, and a git header's names stay for it.
fn set_names(h: &mut Header, o: &[u8], n: &[u8]) {
    for (i, r) in [o, n].into_iter().enumerate() {
        let name = header_name(r);
        h.epoch[i] |= is_epoch(r) || name == b"/dev/null";
        if name != b"/dev/null" || h.names[i].is_none() {
            h.names[i] = Some(name);
        }
    }
}

fn malformed(src: &Src, i: usize) -> Error {
    let mut m = format!("**** malformed patch at line {}: ", i + 1 - src.nonl).into_bytes();
    m.extend_from_slice(src.lines.get(i).copied().unwrap_or(b""));
    Error::new(2, m)
}

/// The next hunk of this file, or None at the end of its hunks.
fn next_hunk(src: &mut Src, fmt: Fmt) -> Result<Option<Hunk>> {
    let Some(l) = src.peek(0) else {
        return Ok(None);
    };
    let start = src.pos;
    let mut lines: Vec<L> = Vec::new();
    let push = |lines: &mut Vec<L>, k: u8, t: &[u8]| {
        lines.push(L {
            k,
            t: body(t).to_vec(),
            nl: true,
        })
    };
    // `\ No newline at end of file` after a line.
    let nonl = |src: &mut Src, lines: &mut Vec<L>| {
        if src.peek(0).is_some_and(|l| l.starts_with(b"\\")) {
            if let Some(x) = lines.last_mut() {
                x.nl = false;
            }
            src.pos += 1;
            src.nonl += 1;
        }
    };
    let h = match fmt {
        Fmt::Unified => {
            let Some(r) = l.strip_prefix(b"@@ -") else {
                return Ok(None);
            };
            let bad = || malformed(src, start);
            let sp = r.iter().position(|&c| c == b' ').ok_or_else(bad)?;
            let (a, b) = range(&r[..sp]).ok_or_else(bad)?;
            let r2 = r[sp + 1..].strip_prefix(b"+").ok_or_else(bad)?;
            let sp2 = r2.iter().position(|&c| c == b' ').ok_or_else(bad)?;
            let (c, d) = range(&r2[..sp2]).ok_or_else(bad)?;
            let tail = r2[sp2..].strip_prefix(b" @@").ok_or_else(bad)?;
            let (b, d) = (b.unwrap_or(1), d.unwrap_or(1));
            src.pos += 1;
            let (mut o, mut n) = (0, 0);
            while o < b || n < d {
                let i = src.pos;
                let Some(x) = src.peek(0) else {
                    // A hunk cut short by the end of the patch: GNU takes the missing lines
                    // as empty context.
                    if o < b && n < d {
                        lines.push(L {
                            k: b' ',
                            t: Vec::new(),
                            nl: true,
                        });
                        o += 1;
                        n += 1;
                        continue;
                    }
                    return Err(malformed(src, i));
                };
                let k = match x.first() {
                    Some(b'\n') => b' ',
                    Some(&k @ (b' ' | b'-' | b'+')) => k,
                    _ => return Err(malformed(src, i)),
                };
                if (k != b'+' && o >= b) || (k != b'-' && n >= d) {
                    return Err(malformed(src, i));
                }
                o += (k != b'+') as usize;
                n += (k != b'-') as usize;
                push(&mut lines, k, x.get(1..).unwrap_or(b""));
                src.pos += 1;
                nonl(src, &mut lines);
            }
            Hunk {
                first: if b == 0 { a + 1 } else { a },
                newfirst: if d == 0 { c + 1 } else { c },
                hdr: (a, b, c, d, body(tail).to_vec()),
                lines,
            }
        }
        Fmt::Context => {
            if !l.starts_with(b"***************") {
                return Ok(None);
            }
            src.pos += 1;
            let sec = |src: &mut Src, open: &[u8], close: &[u8]| -> Result<(usize, usize)> {
                let i = src.pos;
                let x = body(src.peek(0).unwrap_or(b""));
                let r = x
                    .strip_prefix(open)
                    .and_then(|r| r.strip_suffix(close))
                    .and_then(range)
                    .ok_or_else(|| malformed(src, i))?;
                src.pos += 1;
                let (a, b) = (r.0, r.1.unwrap_or(r.0));
                Ok((a, if b >= a && a > 0 { b - a + 1 } else { 0 }))
            };
            let (a, b) = sec(src, b"*** ", b" ****")?;
            let mut old: Vec<L> = Vec::new();
            let mut new: Vec<L> = Vec::new();
            let section = |src: &mut Src, v: &mut Vec<L>, stop: &[u8]| -> Result<()> {
                while let Some(x) = src.peek(0) {
                    if x.starts_with(stop) || x.starts_with(b"***************") {
                        break;
                    }
                    let k = match x.get(..2) {
                        Some(b"  ") => b' ',
                        Some(b"- ") | Some(b"+ ") | Some(b"! ") => x[0],
                        _ if x == b"\n" => b' ',
                        _ if x.starts_with(b"\\") => {
                            nonl(src, v);
                            continue;
                        }
                        _ => break,
                    };
                    push(v, k, x.get(2..).unwrap_or(b""));
                    src.pos += 1;
                }
                Ok(())
            };
            section(src, &mut old, b"--- ")?;
            let (c, d) = sec(src, b"--- ", b" ----")?;
            section(src, &mut new, b"*** ")?;
            if old.is_empty() {
                old = new
                    .iter()
                    .filter(|l| l.k == b' ')
                    .map(|l| L {
                        k: b' ',
                        t: l.t.clone(),
                        nl: l.nl,
                    })
                    .collect();
            }
            if new.is_empty() {
                new = old
                    .iter()
                    .filter(|l| l.k == b' ')
                    .map(|l| L {
                        k: b' ',
                        t: l.t.clone(),
                        nl: l.nl,
                    })
                    .collect();
            }
            let (mut i, mut j) = (0, 0);
            let mut oi = old.into_iter().peekable();
            let mut ni = new.into_iter().peekable();
            loop {
                if let Some(x) = oi.next_if(|l| l.k != b' ') {
                    lines.push(L { k: b'-', ..x });
                    i += 1;
                } else if let Some(x) = ni.next_if(|l| l.k != b' ') {
                    lines.push(L { k: b'+', ..x });
                    j += 1;
                } else {
                    match (oi.next(), ni.next()) {
                        (Some(x), Some(_)) => lines.push(x),
                        (None, None) => break,
                        _ => return Err(malformed(src, start)),
                    }
                    i += 1;
                    j += 1;
                }
            }
            let _ = (i, j);
            Hunk {
                first: if b == 0 { a + 1 } else { a },
                newfirst: if d == 0 { c + 1 } else { c },
                hdr: (a, b, c, d, Vec::new()),
                lines,
            }
        }
        Fmt::Normal => {
            let Some(((a, a2), cmd, (c, c2))) = normal_cmd(l) else {
                return Ok(None);
            };
            src.pos += 1;
            let (b, d) = (
                if cmd == b'a' {
                    0
                } else {
                    a2 + 1 - a.min(a2 + 1)
                },
                if cmd == b'd' {
                    0
                } else {
                    c2 + 1 - c.min(c2 + 1)
                },
            );
            let mut take = |src: &mut Src, n: usize, p: &[u8], k: u8| -> Result<()> {
                for _ in 0..n {
                    let i = src.pos;
                    match src.peek(0).and_then(|x| x.strip_prefix(p)) {
                        Some(t) => push(&mut lines, k, t),
                        None => return Err(malformed(src, i)),
                    }
                    src.pos += 1;
                    nonl(src, &mut lines);
                }
                Ok(())
            };
            take(src, b, b"< ", b'-')?;
            if cmd == b'c' {
                if src.peek(0).map(body) != Some(b"---") {
                    return Err(malformed(src, src.pos));
                }
                src.pos += 1;
            }
            take(src, d, b"> ", b'+')?;
            Hunk {
                first: if b == 0 { a + 1 } else { a },
                newfirst: if d == 0 { c + 1 } else { c },
                hdr: (a, b, c, d, Vec::new()),
                lines,
            }
        }
    };
    Ok(Some(h))
}

/// GNU's `similar`: runs of blanks match runs of blanks (-l).
fn similar(mut a: &[u8], mut b: &[u8]) -> bool {
    let bl = |c: &u8| *c == b' ' || *c == b'\t';
    loop {
        if b.is_empty() || bl(&b[0]) {
            while b.first().is_some_and(bl) {
                b = &b[1..];
            }
            if !a.is_empty() {
                if !bl(&a[0]) {
                    return false;
                }
                while a.first().is_some_and(bl) {
                    a = &a[1..];
                }
            }
            if a.is_empty() || b.is_empty() {
                return a.len() == b.len();
            }
        }
        if a.is_empty() || a[0] != b[0] {
            return false;
        }
        a = &a[1..];
        b = &b[1..];
    }
}

struct Apply<'a> {
    input: &'a [(&'a [u8], bool)],
    ws: bool,
    frozen: usize,
    in_offset: isize,
}

impl Apply<'_> {
    fn matches(&self, h: &Hunk, at: usize, pf: usize, sf: usize) -> bool {
        let pat: Vec<&L> = h.lines.iter().filter(|l| l.k != b'+').collect();
        let end = pat.len().saturating_sub(sf);
        (pf..end).all(|p| {
            let i = at + p - 1;
            i < self.input.len() && {
                let (a, b) = (self.input[i].0, &pat[p].t[..]);
                if self.ws {
                    similar(a, b)
                } else {
                    a == b
                }
            }
        })
    }

    /// GNU's locate_hunk: the line where the hunk's old text starts, trying offsets either way.
    fn locate(&mut self, h: &Hunk, fuzz: usize) -> Option<usize> {
        let input_lines = self.input.len() as isize;
        let first_guess = h.first as isize + self.in_offset;
        let pat_lines = h.len(b'-') as isize;
        let (pre, suf) = h.context();
        let context = pre.max(suf) as isize;
        let mut prefix_fuzz = fuzz as isize + pre as isize - context;
        let suffix_fuzz = fuzz as isize + suf as isize - context;
        if pat_lines == 0 {
            return (first_guess > 0).then_some(first_guess as usize);
        }
        let max_where = input_lines - (pat_lines - suffix_fuzz) + 1;
        let min_where = self.frozen as isize + 1 - (pre as isize - prefix_fuzz);
        let max_pos = max_where - first_guess;
        let mut max_neg = first_guess - min_where;
        let max_offset = max_pos.max(max_neg);
        if first_guess <= max_neg {
            max_neg = first_guess - 1;
        }
        let frozen = self.frozen;
        let mut try_at = |off: isize, pf: isize, sf: isize| {
            let at = first_guess + off;
            (at >= 1 && self.matches(h, at as usize, pf.max(0) as usize, sf.max(0) as usize)).then(
                || {
                    self.in_offset += off;
                    at as usize
                },
            )
        };
        if prefix_fuzz < 0 && h.first <= 1 {
            if suffix_fuzz < 0 && (pat_lines != input_lines || (pre as isize) < frozen as isize) {
                return None;
            }
            let off = 1 - first_guess;
            if frozen <= pre && off <= max_pos {
                return try_at(off, 0, suffix_fuzz);
            }
            return None;
        } else if prefix_fuzz < 0 {
            prefix_fuzz = 0;
        }
        if suffix_fuzz < 0 {
            let off = first_guess - (input_lines - pat_lines + 1);
            if off <= max_neg {
                return try_at(-off, prefix_fuzz, 0);
            }
            return None;
        }
        for off in 0..=max_offset.max(-1) {
            if off <= max_pos {
                if let Some(w) = try_at(off, prefix_fuzz, suffix_fuzz) {
                    return Some(w);
                }
            }
            if off > 0 && off <= max_neg {
                if let Some(w) = try_at(-off, prefix_fuzz, suffix_fuzz) {
                    return Some(w);
                }
            }
        }
        None
    }
}

/// Messages go to standard output, or to standard error when the result does (`-o -`).
fn say(ctx: &mut Ctx, o: &Opts, s: &[u8]) -> Result<()> {
    if o.output.as_deref() == Some(b"-") {
        ctx.out.flush()?;
        let _ = sfd::write_all(sfd::borrow_raw(2), s);
    } else {
        ctx.out.write_all(s)?;
    }
    Ok(())
}

/// GNU's ask(): from /dev/tty when standard output is a terminal, else an empty answer.
fn ask(ctx: &mut Ctx, o: &Opts, prompt: &[u8]) -> Result<Vec<u8>> {
    say(ctx, o, prompt)?;
    ctx.out.flush()?;
    if sfd::isatty(sfd::borrow_raw(1)) {
        if let Ok(fd) = sfd::open(b"/dev/tty", libc::O_RDONLY | libc::O_CLOEXEC, 0) {
            let mut buf = Vec::new();
            let mut c = [0u8];
            while sfd::read(fd.as_fd(), &mut c).unwrap_or(0) == 1 && c[0] != b'\n' {
                buf.push(c[0]);
            }
            return Ok(buf);
        }
    }
    say(ctx, o, b"\n")?;
    Ok(Vec::new())
}

use std::os::fd::AsFd;

use crate::common::sys::process::current_umask as umask;

/// GNU's ok_to_reverse: -N skips, -f applies as it is, -t reverses, else the user is asked.
/// Returns (reverse, skip).
fn ok_to_reverse(ctx: &mut Ctx, o: &Opts, msg: &[u8], reverse: bool) -> Result<(bool, bool)> {
    if o.forward || !(o.force && o.silent) {
        say(ctx, o, msg)?;
    }
    if o.forward {
        say(ctx, o, b"  Skipping patch.\n")?;
        return Ok((false, true));
    }
    if o.force {
        if !o.silent {
            say(ctx, o, b"  Applying it anyway.\n")?;
        }
        return Ok((false, false));
    }
    if o.batch {
        say(
            ctx,
            o,
            if reverse {
                b"  Ignoring -R.\n"
            } else {
                b"  Assuming -R.\n"
            },
        )?;
        return Ok((true, false));
    }
    if ask(
        ctx,
        o,
        if reverse {
            b"  Ignore -R? [n] "
        } else {
            b"  Assume -R? [n] "
        },
    )?
    .first()
        == Some(&b'y')
    {
        return Ok((true, false));
    }
    if ask(ctx, o, b"Apply anyway? [n] ")?.first() == Some(&b'y') {
        return Ok((false, false));
    }
    if !o.silent {
        say(ctx, o, b"Skipping patch.\n")?;
    }
    Ok((false, true))
}

fn path_exists(p: &[u8]) -> bool {
    sfd::lstat(p).is_ok()
}

/// GNU's best_name: fewest components, then shortest base name, then shortest name.
fn best(names: &[Option<Vec<u8>>]) -> Option<usize> {
    let key = |n: &Vec<u8>| {
        let comps = n.iter().filter(|&&c| c == b'/').count();
        let base = n.len() - n.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
        (comps, base, n.len())
    };
    (0..names.len())
        .filter(|&i| names[i].is_some())
        .min_by_key(|&i| key(names[i].as_ref().unwrap()))
}

/// The reject file's header, as GNU's print_header_line: the stripped names (`/dev/null` for
/// none) with their time stamps, swapped when the patch was applied reversed.
fn write_rej_header(out: &mut Vec<u8>, h: &Header, names: &[Option<Vec<u8>>], fmt: Fmt, rev: bool) {
    let tags: [&[u8]; 2] = if fmt == Fmt::Unified {
        [b"--- ", b"+++ "]
    } else {
        [b"*** ", b"--- "]
    };
    for (i, tag) in tags.iter().enumerate() {
        let side = i ^ rev as usize;
        out.extend_from_slice(tag);
        match &names[side] {
            Some(n) => {
                out.extend_from_slice(n);
                if let Some(r) = h.raw.get(side) {
                    let r = body(r);
                    if let Some(t) = r.iter().position(|&c| c == b'\t') {
                        out.extend_from_slice(&r[t..]);
                    }
                }
            }
            None => out.extend_from_slice(b"/dev/null"),
        }
        out.push(b'\n');
    }
}

fn push_line(out: &mut Vec<u8>, p: &[u8], l: &L) {
    out.extend_from_slice(p);
    out.extend_from_slice(&l.t);
    if l.nl {
        out.push(b'\n');
    }
}

/// One rejected hunk, as GNU's abort_hunk writes it (its lines at the output's offset).
fn write_rej_hunk(out: &mut Vec<u8>, h: &Hunk, fmt: Fmt, out_offset: isize) {
    let (first, newfirst) = (
        h.first as isize + out_offset,
        h.newfirst as isize + out_offset,
    );
    let (olen, nlen) = (h.len(b'-') as isize, h.len(b'+') as isize);
    if fmt == Fmt::Unified {
        let r = |s: isize, n: isize| match n {
            0 => format!("{},0", s - 1),
            1 => format!("{s}"),
            _ => format!("{s},{n}"),
        };
        out.extend_from_slice(
            format!("@@ -{} +{} @@", r(first, olen), r(newfirst, nlen)).as_bytes(),
        );
        out.extend_from_slice(&h.hdr.4);
        out.push(b'\n');
        for l in &h.lines {
            push_line(out, &[l.k], l);
        }
        return;
    }
    let r = |s: isize, n: isize| match n {
        0 => "0".to_string(),
        1 => format!("{s}"),
        _ => format!("{s},{}", s + n - 1),
    };
    let (stars, minuses) = if fmt == Fmt::Normal {
        ("", " -----")
    } else {
        (" ****", " ----")
    };
    out.extend_from_slice(format!("***************\n*** {}{stars}\n", r(first, olen)).as_bytes());
    // A change block holding both old and new lines is marked `!` in a context diff.
    let mut marks: Vec<u8> = h.lines.iter().map(|l| l.k).collect();
    let mut i = 0;
    while fmt == Fmt::Context && i < h.lines.len() {
        let j = (i..h.lines.len())
            .find(|&j| h.lines[j].k == b' ')
            .unwrap_or(h.lines.len());
        let blk = &h.lines[i..j];
        if blk.iter().any(|l| l.k == b'-') && blk.iter().any(|l| l.k == b'+') {
            marks[i..j].fill(b'!');
        }
        i = j + 1;
    }
    for side in [b'-', b'+'] {
        if side == b'+' {
            out.extend_from_slice(format!("--- {}{minuses}\n", r(newfirst, nlen)).as_bytes());
        }
        for (l, m) in h.lines.iter().zip(&marks) {
            if l.k == b' ' || l.k == side {
                push_line(out, &[*m, b' '], l);
            }
        }
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let val = |id| m.last(id).map(|v| v.as_bytes().to_vec());
    let bad_num = |what: &str, v: &[u8]| {
        let mut e = format!("**** {what} ").into_bytes();
        e.extend_from_slice(&q(v));
        e.extend_from_slice(b" is not a number");
        Error::new(2, e)
    };
    let strip = match val("strip") {
        Some(v) => Some(num(&v).ok_or_else(|| bad_num("strip count", &v))?),
        None => None,
    };
    let fuzz = match val("fuzz") {
        Some(v) => num(&v).ok_or_else(|| bad_num("fuzz factor", &v))?,
        None => 2,
    };
    let mut fmt = None;
    for (id, _) in &m.opts {
        fmt = match *id {
            "u" => Some(Fmt::Unified),
            "c" => Some(Fmt::Context),
            "n" => Some(Fmt::Normal),
            _ => fmt,
        };
    }
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let mut bim = !posix;
    for (id, _) in &m.opts {
        match *id {
            "bim" => bim = true,
            "nobim" => bim = false,
            _ => {}
        }
    }
    let prefix = val("prefix");
    let suffix = val("suffix");
    // -b: GNU's backup type from -V or VERSION_CONTROL, simple by default; suffix from -z,
    // SIMPLE_BACKUP_SUFFIX, else `.orig`.
    let simple_suffix = suffix
        .clone()
        .or_else(|| std::env::var_os("SIMPLE_BACKUP_SUFFIX").map(|s| s.as_bytes().to_vec()))
        .filter(|s| !s.is_empty())
        .unwrap_or(b".orig".to_vec());
    let make_backups = m.flag("backup") || prefix.is_some() || suffix.is_some();
    let control =
        val("vc").or_else(|| std::env::var_os("VERSION_CONTROL").map(|v| v.as_bytes().to_vec()));
    let kind = match control.filter(|c| !c.is_empty()) {
        Some(c) => backup::kind_of(ctx, "backup type", &c)?,
        None => Kind::Simple,
    };
    let kind = if kind == Kind::None {
        Kind::Simple
    } else {
        kind
    };
    let mut o = Opts {
        strip,
        reverse: m.flag("reverse"),
        forward: m.flag("forward"),
        dry: m.flag("dry"),
        silent: m.flag("silent") && !m.flag("verbose"),
        verbose: m.flag("verbose"),
        force: m.flag("force"),
        batch: m.flag("batch") || m.flag("force"),
        rmempty: m.flag("rmempty"),
        output: val("output"),
        rej: val("rej"),
        fuzz,
        ws: m.flag("ws"),
        backup: make_backups.then_some(Backup {
            kind,
            suffix: simple_suffix,
        }),
        prefix,
        suffix,
        bim,
        fmt,
        file: None,
    };
    let mut ops = m.operands.iter();
    o.file = ops.next().map(|f| f.as_bytes().to_vec());
    let mut pfile = val("input");
    if let Some(p) = ops.next() {
        pfile = Some(p.as_bytes().to_vec());
    }
    if let Some(x) = ops.next() {
        let mut msg = x.as_bytes().to_vec();
        msg.extend_from_slice(b": extra operand");
        return Err(args::usage_error(ctx, &SPEC, &msg, 2));
    }
    if let Some(d) = m.last("dir") {
        std::env::set_current_dir(d).map_err(|e| {
            let mut msg = b"**** Can't change to directory ".to_vec();
            msg.extend_from_slice(&q(d.as_bytes()));
            msg.extend_from_slice(b" : ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            Error::new(2, msg)
        })?;
    }
    let pname = pfile.unwrap_or(b"-".to_vec());
    let mut data = Vec::new();
    let r = Input::open(&pname).and_then(|i| sfd::read_to_end(i.fd(), &mut data));
    if let Err(e) = r {
        let mut msg = b"**** Can't open patch file ".to_vec();
        msg.extend_from_slice(&q(&pname));
        msg.extend_from_slice(b" : ");
        msg.extend_from_slice(strerror(&e).as_bytes());
        return Err(Error::new(2, msg));
    }
    let mut src = Src {
        lines: data.split_inclusive(|&c| c == b'\n').collect(),
        pos: 0,
        nonl: 0,
    };
    let mut any = false;
    let mut failed_any = false;
    while let Some((h, fmt)) = next_file(&mut src, o.fmt) {
        any = true;
        if !one_file(ctx, &o, &mut src, h, fmt)? {
            failed_any = true;
        }
    }
    if !any && !data.is_empty() {
        return Err(Error::new(
            2,
            "**** Only garbage was found in the patch input.",
        ));
    }
    if failed_any {
        ctx.fail(1);
    }
    Ok(())
}

fn creating_now(creating: bool, deleting: bool, flipped: bool) -> bool {
    if flipped {
        deleting
    } else {
        creating
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Patches one file; false when a hunk failed or was ignored.
fn one_file(ctx: &mut Ctx, o: &Opts, src: &mut Src, h: Header, fmt: Option<Fmt>) -> Result<bool> {
    let mut names: Vec<Option<Vec<u8>>> = h
        .names
        .iter()
        .map(|n| n.as_deref().and_then(|n| strip_name(n, o.strip)))
        .collect();
    let stripped = names.clone();
    let old_null = h.git_new.is_some() || h.epoch[0];
    let new_null = h.git_del || h.epoch[1];
    let (creating, deleting) = if o.reverse {
        (new_null, old_null)
    } else {
        (old_null, new_null)
    };
    let mut name = o.file.clone();
    if name.is_none() {
        let existing: Vec<Option<Vec<u8>>> = names
            .iter()
            .map(|n| n.clone().filter(|n| path_exists(n)))
            .collect();
        name = match best(&existing) {
            Some(i) => existing[i].clone(),
            None if creating => names[if o.reverse { 0 } else { 1 }].take(),
            None => best(&names).and_then(|i| names[i].clone()),
        };
    }
    let name = match name.filter(|n| o.file.is_some() || creating || deleting || path_exists(n)) {
        Some(n) => n,
        None => {
            // GNU's report, then (without a terminal) the skip.
            let mut t = Vec::new();
            if !o.silent {
                t = format!(
                    "can't find file to patch at input line {}\n",
                    h.at + 1 - src.nonl
                )
                .into_bytes();
                t.extend_from_slice(if o.strip.is_some() {
                    b"Perhaps you used the wrong -p or --strip option?\n".as_slice()
                } else {
                    b"Perhaps you should have used the -p or --strip option?\n"
                });
            }
            if h.lead < h.at {
                t.extend_from_slice(
                    b"The text leading up to this was:\n--------------------------\n",
                );
                for l in &src.lines[h.lead..h.at] {
                    t.push(b'|');
                    t.extend_from_slice(l);
                    if !l.ends_with(b"\n") {
                        t.push(b'\n');
                    }
                }
                t.extend_from_slice(b"--------------------------\n");
            }
            say(ctx, o, &t)?;
            if o.batch {
                say(ctx, o, b"No file to patch.  Skipping patch.\n")?;
            } else {
                ask(ctx, o, b"File to patch: ")?;
                ask(ctx, o, b"Skip this patch? [y] ")?;
                if !o.silent {
                    say(ctx, o, b"Skipping patch.\n")?;
                }
            }
            let mut n = 0;
            if let Some(f) = fmt {
                while next_hunk(src, f)?.is_some() {
                    n += 1;
                }
            }
            if n > 0 {
                say(
                    ctx,
                    o,
                    format!("{n} out of {n} hunk{} ignored\n", plural(n)).as_bytes(),
                )?;
            }
            return Ok(false);
        }
    };
    let st = sfd::lstat(&name).ok();
    let regular = st
        .as_ref()
        .is_none_or(|s| s.st_mode & libc::S_IFMT == libc::S_IFREG);
    let mut input_data = Vec::new();
    let mut skip = !regular;
    if !regular {
        let mut t = b"File ".to_vec();
        t.extend_from_slice(&q(&name));
        t.extend_from_slice(b" is not a regular file -- refusing to patch\n");
        say(ctx, o, &t)?;
    } else if st.is_some() {
        if let Err(e) = sfd::open(
            &name,
            libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            0,
        )
        .and_then(|f| sfd::read_to_end(f.as_fd(), &mut input_data))
        {
            let mut msg = b"**** Can't open file ".to_vec();
            msg.extend_from_slice(&q(&name));
            msg.extend_from_slice(b" : ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            return Err(Error::new(2, msg));
        }
    }
    // A created file that exists already, a removed one that does not.
    let mut reverse = o.reverse;
    let mut file_skip = false;
    let exists = st.as_ref().is_some_and(|s| s.st_size > 0);
    if regular && fmt.is_some() && ((creating && exists) || (deleting && st.is_none())) {
        let mut t = b"The next patch".to_vec();
        if reverse {
            t.extend_from_slice(b", when reversed,");
        }
        t.extend_from_slice(if creating {
            b" would create the file "
        } else {
            b" would delete the file "
        });
        t.extend_from_slice(&q(&name));
        t.extend_from_slice(if creating {
            b",\nwhich already exists!".as_slice()
        } else {
            b",\nwhich does not exist!"
        });
        let (r, sk) = ok_to_reverse(ctx, o, &t, reverse)?;
        if r {
            reverse = !reverse;
        }
        file_skip = sk;
        skip = sk;
    }
    if regular && !o.silent && !file_skip {
        let mut t = if o.dry {
            b"checking file ".to_vec()
        } else {
            b"patching file ".to_vec()
        };
        match &o.output {
            Some(out) if out.as_slice() != name.as_slice() => {
                t.extend_from_slice(&q(out));
                t.extend_from_slice(b" (read from ");
                t.extend_from_slice(&q(&name));
                t.push(b')');
            }
            _ => t.extend_from_slice(&q(&name)),
        }
        t.push(b'\n');
        say(ctx, o, &t)?;
    }
    let input: Vec<(&[u8], bool)> = input_data
        .split_inclusive(|&c| c == b'\n')
        .map(|l| match l.strip_suffix(b"\n") {
            Some(b) => (b, true),
            None => (l, false),
        })
        .collect();
    let mut ap = Apply {
        input: &input,
        ws: o.ws,
        frozen: 0,
        in_offset: 0,
    };
    let mut out: Vec<u8> = Vec::with_capacity(input_data.len() + 1024);
    let mut rej: Vec<u8> = Vec::new();
    let (mut failed, mut total, mut mismatch) = (0, 0, false);
    let mut out_offset: isize = 0;
    let mut apply_anyway = false;
    let f = fmt.unwrap_or(Fmt::Unified);
    let rej_fmt = f;
    let copy_to = |out: &mut Vec<u8>, ap: &mut Apply, upto: usize| {
        while ap.frozen < upto.min(ap.input.len()) {
            let (t, nl) = ap.input[ap.frozen];
            out.extend_from_slice(t);
            if nl {
                out.push(b'\n');
            }
            ap.frozen += 1;
        }
    };
    while let Some(mut hk) = next_hunk(src, f)? {
        total += 1;
        if reverse {
            hk.swap();
        }
        let mut where_ = None;
        let mut fz = 0;
        if !skip {
            let (pre, suf) = hk.context();
            let maxfuzz = o.fuzz.min(pre.max(suf));
            loop {
                where_ = ap.locate(&hk, fz);
                mismatch |= where_.is_none();
                if total == 1 && where_.is_none() && !o.force && !apply_anyway {
                    hk.swap();
                    let saved = ap.in_offset;
                    let w = ap.locate(&hk, fz);
                    let mut ok = false;
                    if w.is_some() {
                        let t: &[u8] = if reverse {
                            b"Unreversed patch detected!"
                        } else {
                            b"Reversed (or previously applied) patch detected!"
                        };
                        let (r, sk) = ok_to_reverse(ctx, o, t, reverse)?;
                        ok = r;
                        skip = sk;
                        apply_anyway = !r && !sk;
                    }
                    if ok {
                        reverse = !reverse;
                        where_ = w;
                    } else {
                        hk.swap();
                        ap.in_offset = saved;
                        if w.is_some() {
                            where_ = None;
                            if apply_anyway {
                                continue;
                            }
                        }
                    }
                }
                if skip || where_.is_some() || fz >= maxfuzz {
                    break;
                }
                fz += 1;
            }
        }
        let delta = hk.len(b'+') as isize - hk.len(b'-') as isize;
        // A created file must be empty (GNU's pch_says_nonexistent check).
        if where_ == Some(1)
            && creating_now(creating, deleting, reverse != o.reverse)
            && !input.is_empty()
        {
            where_ = None;
        }
        match where_ {
            Some(w) if !skip => {
                if fz > 0 || ap.in_offset != 0 {
                    mismatch = true;
                }
                copy_to(&mut out, &mut ap, w - 1);
                for l in &hk.lines {
                    match l.k {
                        b'+' => push_line(&mut out, b"", l),
                        b'-' => ap.frozen += 1,
                        _ => {
                            if ap.frozen < ap.input.len() {
                                let (t, nl) = ap.input[ap.frozen];
                                out.extend_from_slice(t);
                                // The patch's "no newline" on the last context line wins only
                                // at the end of the file.
                                if nl {
                                    out.push(b'\n');
                                }
                            }
                            ap.frozen += 1;
                        }
                    }
                }
                let at = w as isize + out_offset;
                out_offset += delta;
                if o.verbose || (!o.silent && (fz > 0 || ap.in_offset != 0)) {
                    let mut t = format!("Hunk #{total} succeeded at {at}");
                    if fz > 0 {
                        t += &format!(" with fuzz {fz}");
                    }
                    if ap.in_offset != 0 {
                        t += &format!(
                            " (offset {} line{})",
                            ap.in_offset,
                            plural(ap.in_offset.unsigned_abs())
                        );
                    }
                    t += ".\n";
                    say(ctx, o, t.as_bytes())?;
                }
            }
            _ => {
                failed += 1;
                mismatch = true;
                if o.verbose || (!skip && !o.silent) {
                    let what = if skip { "ignored" } else { "FAILED" };
                    let at = hk.first as isize + out_offset;
                    say(
                        ctx,
                        o,
                        format!("Hunk #{total} {what} at {at}.\n").as_bytes(),
                    )?;
                }
                write_rej_hunk(&mut rej, &hk, rej_fmt, out_offset);
            }
        }
    }
    copy_to(&mut out, &mut ap, usize::MAX);
    let (creating, deleting) = if reverse != o.reverse {
        (deleting, creating)
    } else {
        (creating, deleting)
    };
    let target = o.output.clone().unwrap_or_else(|| name.clone());
    let mut bad = false;
    // A git mode to set (which makes GNU rewrite the file even when every hunk failed).
    let set_mode = if creating { h.git_new } else { h.git_mode }.filter(|_| !reverse);
    if regular && !skip {
        let backup =
            o.output.is_none() && (o.backup.is_some() || (o.bim && (mismatch || failed > 0)));
        let back = |ctx: &mut Ctx| -> Result<()> {
            if backup {
                make_backup(ctx, o, &name, st.is_some())?;
            }
            // A named FILE that does not exist: GNU's fatal error after its backup.
            if st.is_none() && !creating && !deleting {
                let mut msg = b"**** Can't reopen file ".to_vec();
                msg.extend_from_slice(&q(&name));
                msg.extend_from_slice(b" : No such file or directory");
                return Err(Error::new(2, msg));
            }
            Ok(())
        };
        if out.is_empty() && o.output.is_none() && (o.rmempty || deleting) {
            if !o.dry {
                back(ctx)?;
                match std::fs::remove_file(std::ffi::OsStr::from_bytes(&name)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::file(2, &name, &e))
                    }
                    _ => {}
                }
                // Emptied directories go too, as GNU's.
                let mut d = name.as_slice();
                while let Some(i) = d.iter().rposition(|&c| c == b'/') {
                    d = &d[..i];
                    if d.is_empty() || std::fs::remove_dir(std::ffi::OsStr::from_bytes(d)).is_err()
                    {
                        break;
                    }
                }
            }
        } else {
            if !out.is_empty() && deleting && o.output.is_none() {
                bad = true;
                if !o.silent {
                    let mut t = b"Not deleting file ".to_vec();
                    t.extend_from_slice(&q(&name));
                    t.extend_from_slice(b" as content differs from patch\n");
                    say(ctx, o, &t)?;
                }
            }
            if o.dry {
            } else if target.as_slice() == b"-" {
                ctx.out.write_all(&out)?;
            } else if failed < total || total == 0 || o.output.is_some() || set_mode.is_some() {
                back(ctx)?;
                if let Some(i) = target.iter().rposition(|&c| c == b'/') {
                    let _ = std::fs::create_dir_all(std::ffi::OsStr::from_bytes(&target[..i]));
                }
                // GNU's -o file is its temporary file renamed: mode 0600.
                let mode = match (&o.output, h.git_new.filter(|_| creating)) {
                    (Some(_), _) => 0o600,
                    (None, Some(m)) => m & 0o777 & !umask(),
                    (None, None) => 0o666 & !umask(),
                };
                let r = replace_file(&target, &out, mode).and_then(|()| match set_mode {
                    Some(m) if o.output.is_none() => {
                        use std::os::unix::fs::PermissionsExt;
                        std::fs::set_permissions(
                            std::ffi::OsStr::from_bytes(&target),
                            std::fs::Permissions::from_mode(m & 0o7777),
                        )
                    }
                    _ => Ok(()),
                });
                if let Err(e) = r {
                    let mut msg = b"**** Can't create file ".to_vec();
                    msg.extend_from_slice(&q(&target));
                    msg.extend_from_slice(b" : ");
                    msg.extend_from_slice(strerror(&e).as_bytes());
                    return Err(Error::new(2, msg));
                }
            } else {
                back(ctx)?;
            }
        }
    }
    if failed > 0 {
        let what = if skip { "ignored" } else { "FAILED" };
        let mut t = format!("{failed} out of {total} hunk{} {what}", plural(total)).into_bytes();
        if !o.dry && !file_skip {
            let rname = o.rej.clone().unwrap_or_else(|| {
                let mut r = target.clone();
                r.extend_from_slice(b".rej");
                r
            });
            let mut data = Vec::new();
            write_rej_header(&mut data, &h, &stripped, rej_fmt, reverse);
            data.extend_from_slice(&rej);
            t.extend_from_slice(b" -- saving rejects to file ");
            t.extend_from_slice(&q(&rname));
            if let Err(e) = replace_file(&rname, &data, 0o666 & !umask()) {
                let mut msg = b"**** Can't create file ".to_vec();
                msg.extend_from_slice(&q(&rname));
                msg.extend_from_slice(b" : ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                return Err(Error::new(2, msg));
            }
        }
        t.push(b'\n');
        say(ctx, o, &t)?;
    }
    Ok(failed == 0 && !bad)
}

/// The original kept aside (a copy: the patched file then replaces the original's name).
fn make_backup(ctx: &mut Ctx, o: &Opts, name: &[u8], exists: bool) -> Result<()> {
    let _ = ctx;
    let bname = match (&o.prefix, &o.backup) {
        (Some(p), _) => {
            let mut b = p.clone();
            b.extend_from_slice(name);
            if let Some(s) = &o.suffix {
                b.extend_from_slice(s);
            }
            b
        }
        (None, Some(b)) => b.name_for(sfd::cwd(), name).0,
        (None, None) => {
            let mut b = name.to_vec();
            b.extend_from_slice(
                &std::env::var_os("SIMPLE_BACKUP_SUFFIX")
                    .map(|s| s.as_bytes().to_vec())
                    .filter(|s| !s.is_empty())
                    .unwrap_or(b".orig".to_vec()),
            );
            b
        }
    };
    if let Some(i) = bname.iter().rposition(|&c| c == b'/') {
        let _ = std::fs::create_dir_all(std::ffi::OsStr::from_bytes(&bname[..i]));
    }
    let r = if exists {
        std::fs::read(std::ffi::OsStr::from_bytes(name)).and_then(|d| {
            let mode = sfd::stat(name).map(|s| s.st_mode & 0o7777).unwrap_or(0o644);
            let _ = std::fs::remove_file(std::ffi::OsStr::from_bytes(&bname));
            replace_file(&bname, &d, mode)
        })
    } else {
        let _ = std::fs::remove_file(std::ffi::OsStr::from_bytes(&bname));
        replace_file(&bname, b"", 0o666 & !umask())
    };
    r.map_err(|e| {
        let mut msg = b"**** Can't backup ".to_vec();
        msg.extend_from_slice(&q(name));
        msg.extend_from_slice(b" : ");
        msg.extend_from_slice(strerror(&e).as_bytes());
        Error::new(2, msg)
    })
}
