//! `grep`, `egrep`, `fgrep`: print lines that match patterns.
//!
//! Follows GNU grep 3.8 in the C locale: `-E -F -G` (`-P` answers as a grep built without
//! PCRE), `-e -f -i -y --no-ignore-case -v -w -x -c -l -L -n -h -H -o -q -s -r -R -d -D
//! --include --exclude --exclude-dir -A -B -C -NUM --group-separator --no-group-separator
//! -m -b -a -I --binary-files -z -Z --null --color --label -T -U --line-buffered`, the same
//! output (context groups and `--` separators, GNU's SGR sequences and `GREP_COLORS`), the
//! same messages (`grep: x: No such file or directory`, glibc's regex errors, `binary file
//! matches` on standard output) and exit statuses (0 selected, 1 none, 2 trouble; `-q` with a
//! match is 0 whatever else failed). `egrep` and `fgrep` are `grep -E` and `grep -F` as the
//! Debian scripts are (no obsolescence warning; messages say `grep`).
//!
//! How it searches (as GNU does): the whole buffer of lines at once, never line by line. The
//! patterns are compiled once into one alternation (`common::regex`, with the line end
//! excluded from every set so no match spans lines) and one `Matcher` is reused: a literal
//! is found by memmem, a case-folded literal by memmem over a lower-cased window, anything
//! else by the engine's prefilters and lazy DFA; the line around a match is then found with
//! memrchr/memchr. `-w`, `-x` and back-references check the candidate line with GNU's rules
//! (for `-w`: shorter matches at the same start, then later starts).
//!
//! Deviations: `-P` is not supported; files under `-r` are visited in name order (GNU: in
//! directory order); `-NUM` digits in separate words accumulate (`-1 -2` is 12, GNU: 2);
//! no encoding errors exist in the C locale, so only NUL bytes make a file binary.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{self, Opt};
use crate::common::fnmatch::{fnmatch, Flags as FnFlags};
use crate::common::help::{help_text, Help};
use crate::common::io::{stdin_fd, stdout_fd};
use crate::common::regex::{self, LiteralSet, Matcher, Regex, Syntax};
use crate::common::sys::fd as sysfd;
use crate::common::walk::{Action, Follow, Options as WalkOptions, Visit, Walker};
use crate::common::Ctx;

const USAGE_LINE: &str = "Usage: grep [OPTION]... PATTERNS [FILE]...\n";

const HELP: Help = help_text!(
    "\
Usage: grep [OPTION]... PATTERNS [FILE]...
Search for PATTERNS in each FILE.
Example: grep -i 'hello world' menu.h main.c
PATTERNS can contain multiple patterns separated by newlines.

Pattern selection and interpretation:
  -E, --extended-regexp     PATTERNS are extended regular expressions
  -F, --fixed-strings       PATTERNS are strings
  -G, --basic-regexp        PATTERNS are basic regular expressions
  -P, --perl-regexp         PATTERNS are Perl regular expressions
  -e, --regexp=PATTERNS     use PATTERNS for matching
  -f, --file=FILE           take PATTERNS from FILE
  -i, --ignore-case         ignore case distinctions in patterns and data
      --no-ignore-case      do not ignore case distinctions (default)
  -w, --word-regexp         match only whole words
  -x, --line-regexp         match only whole lines
  -z, --null-data           a data line ends in 0 byte, not newline

Miscellaneous:
  -s, --no-messages         suppress error messages
  -v, --invert-match        select non-matching lines
  -V, --version             display version information and exit
      --help                display this help text and exit

Output control:
  -m, --max-count=NUM       stop after NUM selected lines
  -b, --byte-offset         print the byte offset with output lines
  -n, --line-number         print line number with output lines
      --line-buffered       flush output on every line
  -H, --with-filename       print file name with output lines
  -h, --no-filename         suppress the file name prefix on output
      --label=LABEL         use LABEL as the standard input file name prefix
  -o, --only-matching       show only nonempty parts of lines that match
  -q, --quiet, --silent     suppress all normal output
      --binary-files=TYPE   assume that binary files are TYPE;
                            TYPE is 'binary', 'text', or 'without-match'
  -a, --text                equivalent to --binary-files=text
  -I                        equivalent to --binary-files=without-match
  -d, --directories=ACTION  how to handle directories;
                            ACTION is 'read', 'recurse', or 'skip'
  -D, --devices=ACTION      how to handle devices, FIFOs and sockets;
                            ACTION is 'read' or 'skip'
  -r, --recursive           like --directories=recurse
  -R, --dereference-recursive  likewise, but follow all symlinks
      --include=GLOB        search only files that match GLOB (a file pattern)
      --exclude=GLOB        skip files that match GLOB
      --exclude-from=FILE   skip files that match any file pattern from FILE
      --exclude-dir=GLOB    skip directories that match GLOB
  -L, --files-without-match  print only names of FILEs with no selected lines
  -l, --files-with-matches  print only names of FILEs with selected lines
  -c, --count               print only a count of selected lines per FILE
  -T, --initial-tab         make tabs line up (if needed)
  -Z, --null                print 0 byte after FILE name

Context control:
  -B, --before-context=NUM  print NUM lines of leading context
  -A, --after-context=NUM   print NUM lines of trailing context
  -C, --context=NUM         print NUM lines of output context
  -NUM                      same as --context=NUM
      --group-separator=SEP  print SEP on line between matches with context
      --no-group-separator  do not print separator for matches with context
      --color[=WHEN],
      --colour[=WHEN]       use markers to highlight the matching strings;
                            WHEN is 'always', 'never', or 'auto'
  -U, --binary              do not strip CR characters at EOL (MSDOS/Windows)

When FILE is '-', read standard input.  With no FILE, read '.' if
recursive, '-' otherwise.  With fewer than two FILEs, assume -h.
Exit status is 0 if any line is selected, 1 otherwise;
if any error occurs and -q is not given, the exit status is 2.
"
);

/// GNU grep's long options, in its order.
const OPTIONS: &[Opt] = &[
    Opt::flag("G", Some(b'G'), Some("basic-regexp")),
    Opt::flag("E", Some(b'E'), Some("extended-regexp")),
    Opt::flag("F", Some(b'F'), Some("fixed-regexp")),
    Opt::flag("F", None, Some("fixed-strings")),
    Opt::flag("P", Some(b'P'), Some("perl-regexp")),
    Opt::arg("A", Some(b'A'), Some("after-context")),
    Opt::arg("B", Some(b'B'), Some("before-context")),
    Opt::arg("binary-files", None, Some("binary-files")),
    Opt::flag("b", Some(b'b'), Some("byte-offset")),
    Opt::arg("C", Some(b'C'), Some("context")),
    Opt::optional("color", None, Some("color")),
    Opt::optional("color", None, Some("colour")),
    Opt::flag("c", Some(b'c'), Some("count")),
    Opt::arg("D", Some(b'D'), Some("devices")),
    Opt::arg("d", Some(b'd'), Some("directories")),
    Opt::arg("exclude", None, Some("exclude")),
    Opt::arg("exclude-from", None, Some("exclude-from")),
    Opt::arg("exclude-dir", None, Some("exclude-dir")),
    Opt::arg("f", Some(b'f'), Some("file")),
    Opt::flag("l", Some(b'l'), Some("files-with-matches")),
    Opt::flag("L", Some(b'L'), Some("files-without-match")),
    Opt::arg("group-separator", None, Some("group-separator")),
    Opt::flag("help", None, Some("help")),
    Opt::arg("include", None, Some("include")),
    Opt::flag("i", Some(b'i'), Some("ignore-case")),
    Opt::flag("no-ignore-case", None, Some("no-ignore-case")),
    Opt::flag("T", Some(b'T'), Some("initial-tab")),
    Opt::arg("label", None, Some("label")),
    Opt::flag("line-buffered", None, Some("line-buffered")),
    Opt::flag("n", Some(b'n'), Some("line-number")),
    Opt::flag("x", Some(b'x'), Some("line-regexp")),
    Opt::arg("m", Some(b'm'), Some("max-count")),
    Opt::flag("h", Some(b'h'), Some("no-filename")),
    Opt::flag("no-group-separator", None, Some("no-group-separator")),
    Opt::flag("s", Some(b's'), Some("no-messages")),
    Opt::flag("Z", Some(b'Z'), Some("null")),
    Opt::flag("z", Some(b'z'), Some("null-data")),
    Opt::flag("o", Some(b'o'), Some("only-matching")),
    Opt::flag("q", Some(b'q'), Some("quiet")),
    Opt::flag("r", Some(b'r'), Some("recursive")),
    Opt::flag("R", Some(b'R'), Some("dereference-recursive")),
    Opt::arg("e", Some(b'e'), Some("regexp")),
    Opt::flag("v", Some(b'v'), Some("invert-match")),
    Opt::flag("q", None, Some("silent")),
    Opt::flag("a", Some(b'a'), Some("text")),
    Opt::flag("U", Some(b'U'), Some("binary")),
    Opt::flag("u", Some(b'u'), Some("unix-byte-offsets")),
    Opt::flag("version", Some(b'V'), Some("version")),
    Opt::flag("H", Some(b'H'), Some("with-filename")),
    Opt::flag("w", Some(b'w'), Some("word-regexp")),
    Opt::flag("i", Some(b'y'), None),
    Opt::flag("I", Some(b'I'), None),
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    G,
    E,
    F,
    /// -P: refused once the options are read (no PCRE here).
    P,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Binary {
    Detect,
    Text,
    WithoutMatch,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dirs {
    Read,
    Recurse,
    Skip,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    None,
    Matching,
    NonMatching,
}

/// SGR colors (GREP_COLORS).
#[derive(Clone, Default)]
struct Colors {
    ms: Vec<u8>,
    mc: Vec<u8>,
    sl: Vec<u8>,
    cx: Vec<u8>,
    fn_: Vec<u8>,
    ln: Vec<u8>,
    bn: Vec<u8>,
    se: Vec<u8>,
    rv: bool,
    ne: bool,
}

impl Colors {
    /// The colors, and GNU's warning when the deprecated GREP_COLOR is still in effect
    /// (it sets the match colors unless GREP_COLORS sets them again).
    fn parse() -> (Colors, Option<Vec<u8>>) {
        let mut c = Colors {
            ms: b"01;31".to_vec(),
            mc: b"01;31".to_vec(),
            fn_: b"35".to_vec(),
            ln: b"32".to_vec(),
            bn: b"32".to_vec(),
            se: b"36".to_vec(),
            ..Colors::default()
        };
        let legacy = std::env::var_os("GREP_COLOR")
            .map(|v| v.into_vec())
            .filter(|v| !v.is_empty() && v.iter().all(|b| b.is_ascii_digit() || *b == b';'));
        if let Some(l) = &legacy {
            c.ms.clone_from(l);
            c.mc.clone_from(l);
        }
        // still the same buffers: GREP_COLORS did not set them (GNU compares pointers too)
        let (ms0, mc0) = (c.ms.as_ptr(), c.mc.as_ptr());
        c.parse_env();
        let warn = legacy
            .filter(|_| c.ms.as_ptr() == ms0 || c.mc.as_ptr() == mc0)
            .map(|l| {
                let l = String::from_utf8_lossy(&l);
                format!("warning: GREP_COLOR='{l}' is deprecated; use GREP_COLORS='mt={l}'")
                    .into_bytes()
            });
        (c, warn)
    }

    fn parse_env(&mut self) {
        let c = self;
        let Some(env) = std::env::var_os("GREP_COLORS") else {
            return;
        };
        for item in env.as_bytes().split(|&b| b == b':') {
            let (k, v) = match item.iter().position(|&b| b == b'=') {
                Some(p) => (&item[..p], Some(&item[p + 1..])),
                None => (item, None),
            };
            let slot = match k {
                b"mt" => {
                    if let Some(v) = v {
                        c.ms = v.to_vec();
                        c.mc = v.to_vec();
                    }
                    continue;
                }
                b"ms" => &mut c.ms,
                b"mc" => &mut c.mc,
                b"sl" => &mut c.sl,
                b"cx" => &mut c.cx,
                b"fn" => &mut c.fn_,
                b"ln" => &mut c.ln,
                b"bn" => &mut c.bn,
                b"se" => &mut c.se,
                b"rv" => {
                    c.rv = true;
                    continue;
                }
                b"ne" => {
                    c.ne = true;
                    continue;
                }
                _ => return,
            };
            match v {
                Some(v) if v.iter().all(|b| b.is_ascii_digit() || *b == b';') => *slot = v.to_vec(),
                _ => return,
            }
        }
    }
}

struct Opts {
    invert: bool,
    count: bool,
    list: List,
    number: bool,
    byte_offset: bool,
    only: bool,
    quiet: bool,
    no_messages: bool,
    with_fname: bool,
    before: i64,
    after: i64,
    group_sep: Option<Vec<u8>>,
    max_count: u64,
    binary: Binary,
    eol: u8,
    null: bool,
    color: Option<Colors>,
    label: Vec<u8>,
    tab: bool,
    line_buffered: bool,
    dirs: Dirs,
    devices_skip: bool,
    follow_all: bool,
    /// --include (true) and --exclude/--exclude-from (false) patterns, in command-line order.
    filters: Vec<(bool, Vec<u8>)>,
    exclude_dir: Vec<Vec<u8>>,
    /// Stop at the first selected line (-l, -L, -q, output to /dev/null).
    done_on_match: bool,
    out_quiet: bool,
    /// -q: the first match ends everything with status 0.
    exit_on_match: bool,
}

/// The compiled patterns and their scratch space.
struct Searcher<'r> {
    /// One alternation of all the patterns (None with back-references).
    all: Option<Matcher<'r>>,
    /// One per pattern, for -w and back-references.
    each: Vec<Matcher<'r>>,
    word: bool,
    line: bool,
    /// -w's lines as GNU's dfa decides them: each pattern wrapped as `(^|\W)(PATTERN)(\W|$)`,
    /// so a line is selected when any match of a pattern has no word byte beside it (GNU's
    /// regex walk, [`word_match`], only finds where -o and --color start; with
    /// back-references it selects the lines too).
    word_re: Option<Matcher<'r>>,
    /// Spans (-o, --color) come from `each`, compiled with glibc's case folding, while `all`
    /// folds as GNU's dfa (-i without back-references).
    spans_each: bool,
    /// Search record by record (-z, back-references) instead of the whole buffer.
    per_line: bool,
    eol: u8,
    /// No patterns at all (`-f /dev/null`): nothing matches.
    none: bool,
    /// Two to eight plain literals (`-F -e a -e b`, `-E 'a|b'`): each found by memmem, the
    /// next occurrence of each remembered while one buffer is searched.
    lits: Option<LitSet>,
    /// Many patterns: found through their literals (see [`PatSet`]).
    set: Option<PatSet<'r>>,
}

/// Many patterns (`-f` with a list of thousands): one alternation of them all would cost the
/// lazy DFA a state per step into the patterns and thrash its cache. Instead the patterns
/// that are literals are one [`LiteralSet`]; each other pattern with a literal its matches
/// must contain is looked at only on a line holding that literal (those literals are a
/// second set); the patterns with neither stay one alternation, searched as before.
struct PatSet<'r> {
    exact: LiteralSet,
    /// Required literals; `req_of[id]` is the pattern (index in `checked`) that needs it.
    req: LiteralSet,
    req_of: Vec<u32>,
    checked: Vec<Matcher<'r>>,
    /// The patterns with no literal: one alternation, and each alone for -w.
    rest: Option<Matcher<'r>>,
    rest_each: Vec<Matcher<'r>>,
    /// In the current buffer: `rest`'s next matching line and the next exact literal's start,
    /// each as found from a position (usize::MAX: not searched yet).
    rest_next: (usize, Option<(usize, usize)>),
    exact_next: (usize, Option<usize>),
    /// Per checked pattern: the `gen` it was last made a candidate in.
    seen: Vec<u32>,
    gen: u32,
    cands: Vec<u32>,
}

impl PatSet<'_> {
    fn reset(&mut self) {
        self.rest_next = (usize::MAX, None);
        self.exact_next = (usize::MAX, None);
    }

    /// The checked patterns whose literal is in `line` at or after `from`, each once.
    fn candidates(&mut self, line: &[u8], from: usize) {
        self.cands.clear();
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.gen = 1;
        }
        let (gen, req_of, seen, cands) = (self.gen, &self.req_of, &mut self.seen, &mut self.cands);
        self.req.each_match(line, from, |_, id| {
            let j = req_of[id as usize];
            if seen[j as usize] != gen {
                seen[j as usize] = gen;
                cands.push(j);
            }
            true
        });
    }

    /// Whether `line` holds a match of a checked pattern.
    fn checked_match(&mut self, line: &[u8]) -> bool {
        self.candidates(line, 0);
        let cands = std::mem::take(&mut self.cands);
        let hit = cands.iter().any(|&j| {
            self.checked[j as usize]
                .some_match_end(line, 0, 0)
                .is_some()
        });
        self.cands = cands;
        hit
    }

    /// The next line at or after `pos` (a line start) holding a match, before `lim`: its
    /// start and the index of its end.
    fn find_line(&mut self, hay: &[u8], pos: usize, lim: usize, eol: u8) -> Option<(usize, usize)> {
        let hay = &hay[..lim];
        let line_at = |pos: usize, q: usize| {
            let ls = memchr::memrchr(eol, &hay[pos..q]).map_or(pos, |i| pos + i + 1);
            let nl = memchr::memchr(eol, &hay[q..]).map_or(lim - 1, |i| q + i);
            (ls, nl)
        };
        let mut pos = pos;
        while pos < lim {
            if let Some(r) = self.rest.as_mut() {
                let (from, next) = self.rest_next;
                if from > pos || next.is_some_and(|(ls, _)| ls < pos) {
                    self.rest_next = (pos, r.next_line(hay, pos, eol));
                }
            }
            let (from, next) = self.exact_next;
            if from > pos || next.is_some_and(|q| q < pos) {
                self.exact_next = (pos, self.exact.find(hay, pos).map(|m| m.0));
            }
            let rest = self.rest_next.1.filter(|_| self.rest.is_some());
            let exact = self.exact_next.1;
            let first = rest.map_or(lim, |(ls, _)| ls).min(exact.unwrap_or(lim));
            let mut req_at = None;
            if !self.req.is_empty() {
                self.req.each_match(&hay[..first], pos, |i, _| {
                    req_at = Some(i);
                    false
                });
            }
            if let Some(q) = req_at {
                let (ls, nl) = line_at(pos, q);
                // The line may hold an exact literal or a match of the rest after the
                // required literal.
                if first <= nl || self.checked_match(&hay[ls..nl]) {
                    return Some((ls, nl));
                }
                pos = nl + 1;
                continue;
            }
            return match (exact, rest) {
                (Some(q), r) if r.is_none_or(|(ls, _)| q < ls) => Some(line_at(pos, q)),
                (_, Some((ls, nl))) => Some((ls, nl.min(lim - 1))),
                _ => None,
            };
        }
        None
    }

    /// The leftmost-longest match in `line` at or after `start`; with `word`, GNU's -w rules
    /// for each pattern.
    fn next_in_line(
        &mut self,
        line: &[u8],
        start: usize,
        word: bool,
        whole: bool,
    ) -> Option<(usize, usize)> {
        let mut best = if word {
            exact_word_match(&self.exact, line, start, whole)
        } else {
            self.exact.find(line, start)
        };
        self.candidates(line, start);
        let cands = std::mem::take(&mut self.cands);
        for &j in &cands {
            let m = &mut self.checked[j as usize];
            let c = if word {
                word_match(m, line, start, whole)
            } else {
                m.find_at(line, start, 0)
            };
            if let Some(c) = c {
                best = better(best, c);
            }
        }
        self.cands = cands;
        if word {
            for m in self.rest_each.iter_mut() {
                if let Some(c) = word_match(m, line, start, whole) {
                    best = better(best, c);
                }
            }
        } else if let Some(c) = self.rest.as_mut().and_then(|m| m.find_at(line, start, 0)) {
            best = better(best, c);
        }
        best
    }
}

/// A pattern's literal when it is one, and a literal its matches contain.
type PatLits = (Option<Vec<u8>>, Option<Vec<u8>>);

/// [`word_match`] for a set of literals.
fn exact_word_match(
    set: &LiteralSet,
    line: &[u8],
    start: usize,
    whole: bool,
) -> Option<(usize, usize)> {
    if whole {
        return (start == 0 && set.longest_at(line, 0, line.len()) == Some(line.len()))
            .then_some((0, line.len()));
    }
    let (mut s, mut e) = set.find(line, start)?;
    loop {
        let prev = s > 0 && is_word(line[s - 1]);
        let next = e < line.len() && is_word(line[e]);
        if !prev && !next {
            return Some((s, e));
        }
        let shorter = if e > s {
            set.longest_at(line, s, e - s - 1).filter(|&n| n > 0)
        } else {
            None
        };
        match shorter {
            Some(n) => e = s + n,
            None => {
                if s >= line.len() {
                    return None;
                }
                (s, e) = set.find(line, s + 1)?;
            }
        }
    }
}

struct LitSet {
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// Per literal: the next occurrence at or after `from[i]` (usize::MAX: none).
    next: Vec<usize>,
    from: Vec<usize>,
}

impl LitSet {
    fn reset(&mut self) {
        self.from.iter_mut().for_each(|f| *f = usize::MAX);
    }

    /// The end of the leftmost literal occurrence at or after `pos` in `hay`.
    fn find(&mut self, hay: &[u8], pos: usize) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (i, f) in self.finders.iter().enumerate() {
            let valid = self.from[i] <= pos && (self.next[i] == usize::MAX || self.next[i] >= pos);
            if !valid {
                self.next[i] = f.find(&hay[pos..]).map_or(usize::MAX, |q| pos + q);
                self.from[i] = pos;
            }
            let q = self.next[i];
            if q != usize::MAX {
                let e = q + f.needle().len();
                if best.is_none_or(|(bq, _)| q < bq) {
                    best = Some((q, e));
                }
            }
        }
        best.map(|b| b.1)
    }
}

/// The patterns as plain literals when each is one (or an ERE alternation of them).
fn plain_literals(pats: &[Vec<u8>], mode: Mode) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for p in pats {
        match mode {
            Mode::F => out.push(p.clone()),
            Mode::G | Mode::P => {
                if p.iter()
                    .any(|b| matches!(b, b'\\' | b'[' | b'.' | b'*' | b'^' | b'$'))
                {
                    return None;
                }
                out.push(p.clone());
            }
            Mode::E => {
                let special = |b: &u8| {
                    matches!(
                        b,
                        b'\\'
                            | b'['
                            | b']'
                            | b'('
                            | b')'
                            | b'.'
                            | b'*'
                            | b'+'
                            | b'?'
                            | b'{'
                            | b'}'
                            | b'^'
                            | b'$'
                    )
                };
                if p.iter().any(special) {
                    return None;
                }
                out.extend(p.split(|&b| b == b'|').map(|x| x.to_vec()));
            }
        }
    }
    if out.len() < 2 || out.len() > 8 || out.iter().any(|l| l.is_empty()) {
        return None;
    }
    Some(out)
}

#[inline]
fn is_word(b: u8) -> bool {
    regex::is_word(b)
}

impl Searcher<'_> {
    /// The leftmost-longest match in `line` at or after `start`, GNU's -w/-x rules applied.
    fn next_in_line(&mut self, line: &[u8], start: usize) -> Option<(usize, usize)> {
        if self.none || start > line.len() {
            return None;
        }
        if let Some(set) = self.set.as_mut() {
            let c = set.next_in_line(line, start, self.word, self.line);
            return if self.line && !self.word {
                c.filter(|&(s, e)| s == 0 && e == line.len())
            } else {
                c
            };
        }
        if self.word {
            let mut best: Option<(usize, usize)> = None;
            for m in self.each.iter_mut() {
                if let Some(c) = word_match(m, line, start, self.line) {
                    best = better(best, c);
                }
            }
            return best;
        }
        let cand = if let Some(m) = self.all.as_mut().filter(|_| !self.spans_each) {
            m.find_at(line, start, 0)
        } else {
            let mut best = None;
            for m in self.each.iter_mut() {
                let c = if self.line {
                    full_line(m, line, start)
                } else {
                    m.find_at(line, start, 0)
                };
                if let Some(c) = c {
                    best = better(best, c);
                }
            }
            best
        };
        if self.line {
            return cand.filter(|&(s, e)| s == 0 && e == line.len());
        }
        cand
    }

    /// The next line at or after `p` (a line start) holding a match, before `lim` (just
    /// past a line end): its start and the index just past its end.
    fn find_line(&mut self, buf: &[u8], p: usize, lim: usize) -> Option<(usize, usize)> {
        if self.none {
            return None;
        }
        let eol = self.eol;
        if !self.per_line && self.set.is_some() {
            let mut pos = p;
            while pos < lim {
                let (ls, nl) = self.set.as_mut()?.find_line(buf, pos, lim, eol)?;
                if !(self.word || self.line) || self.next_in_line(&buf[ls..nl], 0).is_some() {
                    return Some((ls, nl + 1));
                }
                pos = nl + 1;
            }
            return None;
        }
        if self.per_line || self.all.is_none() {
            let mut ls = p;
            while ls < lim {
                let nl = memchr::memchr(eol, &buf[ls..lim]).map_or(lim - 1, |i| ls + i);
                if self.selects(&buf[ls..nl]) {
                    return Some((ls, nl + 1));
                }
                ls = nl + 1;
            }
            return None;
        }
        let hay = &buf[..lim];
        let mut pos = p;
        while pos < lim {
            let (ls, nl) = match self.lits.as_mut() {
                Some(l) => {
                    let e = l.find(hay, pos)?;
                    if e >= lim {
                        return None;
                    }
                    let ls = memchr::memrchr(eol, &buf[pos..e]).map_or(pos, |i| pos + i + 1);
                    let nl = memchr::memchr(eol, &buf[e..lim]).map_or(lim - 1, |i| e + i);
                    (ls, nl)
                }
                None => {
                    let (ls, nl) = self.all.as_mut()?.next_line(hay, pos, eol)?;
                    if ls >= lim {
                        return None;
                    }
                    (ls, nl.min(lim - 1))
                }
            };
            let line = &buf[ls..nl];
            if !(self.word || self.line) || self.selects(line) {
                return Some((ls, nl + 1));
            }
            pos = nl + 1;
        }
        None
    }

    /// Whether `line` is selected: as GNU's dfa decides (-w by `word_re`, -x a match of
    /// the whole line, -i folded its way), else by GNU's regex walk.
    fn selects(&mut self, line: &[u8]) -> bool {
        if self.word_re.is_some() {
            // A match the regex walk accepts has no word byte beside it: the cheaper test
            // first.
            return self.next_in_line(line, 0).is_some()
                || self.word_re.as_mut().is_some_and(|m| m.is_match(line, 0));
        }
        match self.all.as_mut() {
            Some(m) if !(self.word || self.line) => m.is_match(line, 0),
            Some(m) if self.line => m.find_at(line, 0, 0) == Some((0, line.len())),
            _ => self.next_in_line(line, 0).is_some(),
        }
    }
}

fn better(best: Option<(usize, usize)>, c: (usize, usize)) -> Option<(usize, usize)> {
    match best {
        Some((s, e)) if s < c.0 || (s == c.0 && e >= c.1) => Some((s, e)),
        _ => Some(c),
    }
}

/// -x with one pattern: the whole line, from its start.
fn full_line(m: &mut Matcher, line: &[u8], start: usize) -> Option<(usize, usize)> {
    if start != 0 {
        return None;
    }
    let (s, e) = m.find_at(line, 0, 0)?;
    (s == 0 && e == line.len()).then_some((s, e))
}

/// GNU's -w search for one pattern: a match with no word byte on either side; failing that,
/// a shorter match at the same start, then a match further on.
fn word_match(m: &mut Matcher, line: &[u8], start: usize, whole: bool) -> Option<(usize, usize)> {
    if whole {
        return full_line(m, line, start);
    }
    let (mut s, mut e) = m.find_at(line, start, 0)?;
    loop {
        let prev = s > 0 && is_word(line[s - 1]);
        let next = e < line.len() && is_word(line[e]);
        if !prev && !next {
            return Some((s, e));
        }
        let mut shorter = 0;
        if e > s {
            let mut caps: [Option<(usize, usize)>; 1] = [None];
            if m.match_at(&line[..e - 1], s, regex::NOTEOL, &mut caps) {
                if let Some((_, e2)) = caps[0] {
                    shorter = e2 - s;
                }
            }
        }
        if shorter > 0 {
            e = s + shorter;
        } else {
            if s >= line.len() {
                return None;
            }
            let (s2, e2) = m.find_at(line, s + 1, 0)?;
            s = s2;
            e = e2;
        }
    }
}

/// How many bytes of `s` are `b`: eight at a time (SWAR; the crate is built for size, where
/// the compiler does not vectorise byte loops).
fn count_byte(b: u8, s: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let pat = ONES * b as u64;
    let mut n = 0u64;
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        let t = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]) ^ pat;
        // A byte's high bit ends up clear exactly when the byte is zero.
        let m = ((t & (0x7f * ONES)) + 0x7f * ONES) | t;
        n += (!m & (0x80 * ONES)).count_ones() as u64;
    }
    n + words.remainder().iter().filter(|&&x| x == b).count() as u64
}

/// Per-run state that outlives one file.
struct Run<'a, 'r> {
    o: &'a Opts,
    s: Searcher<'r>,
    /// A group has been printed (the `--` separator goes between groups, across files).
    used: bool,
    buf: Vec<u8>,
    /// A write failed: the run stops.
    write_err: Option<io::Error>,
    /// -q matched: the run stops with status 0.
    stop: bool,
}

/// One file's scanning state (GNU grep's globals, as indices into the buffer).
struct Scan<'n> {
    name: &'n [u8],
    lastout: Option<usize>,
    pending: i64,
    outleft: u64,
    totalcc: u64,
    totalnl: u64,
    nl_pos: usize,
    out_quiet: bool,
    done_on_match: bool,
    /// -T: the width of line numbers and offsets (GNU: the digits of the file size).
    width: usize,
    /// File offset just past the last selected line (-m leaves the input there).
    after_last: u64,
}

const CHUNK: usize = 96 * 1024;

impl Run<'_, '_> {
    fn w(&mut self, ctx: &mut Ctx, b: &[u8]) {
        if self.write_err.is_none() {
            if let Err(e) = ctx.out.write_all(b) {
                self.write_err = Some(e);
            }
        }
    }

    fn sgr_start(&mut self, ctx: &mut Ctx, c: &[u8]) {
        let mut v = Vec::with_capacity(c.len() + 8);
        v.extend_from_slice(b"\x1b[");
        v.extend_from_slice(c);
        v.push(b'm');
        if !self.o.color.as_ref().is_some_and(|c| c.ne) {
            v.extend_from_slice(b"\x1b[K");
        }
        self.w(ctx, &v);
    }

    fn sgr_end(&mut self, ctx: &mut Ctx) {
        if self.o.color.as_ref().is_some_and(|c| c.ne) {
            self.w(ctx, b"\x1b[m");
        } else {
            self.w(ctx, b"\x1b[m\x1b[K");
        }
    }

    /// Writes `text` in color `c` (when coloring and `c` is not empty).
    fn colored(&mut self, ctx: &mut Ctx, c: Option<&[u8]>, text: &[u8]) {
        match c {
            Some(c) if !c.is_empty() => {
                self.sgr_start(ctx, c);
                self.w(ctx, text);
                self.sgr_end(ctx);
            }
            _ => self.w(ctx, text),
        }
    }

    fn print_sep(&mut self, ctx: &mut Ctx, sep: u8) {
        let se = self.o.color.as_ref().map(|c| c.se.clone());
        self.colored(ctx, se.as_deref(), &[sep]);
    }

    fn print_filename(&mut self, ctx: &mut Ctx, name: &[u8]) {
        let c = self.o.color.as_ref().map(|c| c.fn_.clone());
        self.colored(ctx, c.as_deref(), name);
    }

    /// GNU's print_line_head.
    fn line_head(
        &mut self,
        ctx: &mut Ctx,
        sc: &mut Scan,
        buf: &[u8],
        beg: usize,
        len: usize,
        sep: u8,
    ) {
        let o = self.o;
        if o.with_fname {
            self.print_filename(ctx, sc.name);
            if o.null {
                self.w(ctx, b"\0");
            } else {
                self.print_sep(ctx, sep);
            }
        }
        if o.number {
            if beg > sc.nl_pos {
                sc.totalnl += count_byte(o.eol, &buf[sc.nl_pos..beg]);
                sc.nl_pos = beg;
            }
            let n = format!("{:>w$}", sc.totalnl + 1, w = sc.width);
            let c = o.color.as_ref().map(|c| c.ln.clone());
            self.colored(ctx, c.as_deref(), n.as_bytes());
            self.print_sep(ctx, sep);
        }
        if o.byte_offset {
            let n = format!("{:>w$}", sc.totalcc + beg as u64, w = sc.width);
            let c = o.color.as_ref().map(|c| c.bn.clone());
            self.colored(ctx, c.as_deref(), n.as_bytes());
            self.print_sep(ctx, sep);
        }
        if o.tab && (o.with_fname || o.number || o.byte_offset) && len != 0 {
            self.w(ctx, b"\t");
        }
    }

    /// GNU's prline: the line [beg, lim) (lim just past its eol).
    fn prline(&mut self, ctx: &mut Ctx, sc: &mut Scan, beg: usize, lim: usize, sep: u8) {
        let buf = std::mem::take(&mut self.buf);
        self.prline_in(ctx, sc, &buf, beg, lim, sep);
        self.buf = buf;
    }

    fn prline_in(
        &mut self,
        ctx: &mut Ctx,
        sc: &mut Scan,
        buf: &[u8],
        beg: usize,
        lim: usize,
        sep: u8,
    ) {
        let o = self.o;
        if !o.only {
            self.line_head(ctx, sc, buf, beg, lim - beg - 1, sep);
        }
        let matching = (sep == b':') ^ o.invert;
        let (line_color, match_color) = match &o.color {
            Some(c) => {
                let sel = (sep == b':') ^ (o.invert && c.rv);
                (
                    if sel { c.sl.clone() } else { c.cx.clone() },
                    if sep == b':' {
                        c.ms.clone()
                    } else {
                        c.mc.clone()
                    },
                )
            }
            None => (Vec::new(), Vec::new()),
        };
        let mut cur = beg;
        if (o.only && matching)
            || (o.color.is_some() && (!line_color.is_empty() || !match_color.is_empty()))
        {
            if matching && (o.only || !match_color.is_empty()) {
                cur = self.line_middle(ctx, sc, buf, beg, lim, &line_color, &match_color);
            }
            if !o.only && !line_color.is_empty() {
                // print_line_tail
                let mut eol_size = (lim > cur && buf[lim - 1] == o.eol) as usize;
                if lim - eol_size > cur && buf[lim - 1 - eol_size] == b'\r' {
                    eol_size += 1;
                }
                let tail = lim - eol_size - cur;
                if tail > 0 {
                    self.sgr_start(ctx, &line_color);
                    self.w(ctx, &buf[cur..cur + tail]);
                    self.sgr_end(ctx);
                    cur += tail;
                }
            }
        }
        if !o.only && lim > cur {
            self.w(ctx, &buf[cur..lim]);
        }
        if o.line_buffered && self.write_err.is_none() {
            if let Err(e) = ctx.out.flush() {
                self.write_err = Some(e);
            }
        }
        sc.lastout = Some(lim);
    }

    /// GNU's print_line_middle: the matches of the line, colored, or each alone with -o.
    #[allow(clippy::too_many_arguments)]
    fn line_middle(
        &mut self,
        ctx: &mut Ctx,
        sc: &mut Scan,
        buf: &[u8],
        beg: usize,
        lim: usize,
        line_color: &[u8],
        match_color: &[u8],
    ) -> usize {
        let o = self.o;
        let line = &buf[beg..lim - 1];
        let mut cur = 0usize;
        let mut mid: Option<usize> = None;
        while cur < line.len() {
            let Some((b, e)) = self.s.next_in_line(line, cur) else {
                break;
            };
            if b == line.len() {
                break;
            }
            if e == b {
                if mid.is_none() {
                    mid = Some(cur);
                }
                cur = b + 1;
                continue;
            }
            if o.only {
                let s = if o.invert { b'-' } else { b':' };
                self.line_head(ctx, sc, buf, beg + b, e - b, s);
            } else {
                if let Some(m) = mid.take() {
                    cur = m;
                }
                if !line_color.is_empty() {
                    self.sgr_start(ctx, line_color);
                }
                self.w(ctx, &line[cur..b]);
            }
            self.colored(ctx, Some(match_color), &line[b..e]);
            if o.only {
                self.w(ctx, &[o.eol]);
            }
            cur = e;
        }
        if o.only {
            return lim;
        }
        if let Some(m) = mid {
            cur = m;
        }
        beg + cur
    }

    /// GNU's prpending: trailing context up to `lim`.
    fn prpending(&mut self, ctx: &mut Ctx, sc: &mut Scan, lim: usize) {
        let mut lo = sc.lastout.unwrap_or(0);
        while sc.pending > 0 && lo < lim {
            let nl =
                memchr::memchr(self.o.eol, &self.buf[lo..]).map_or(self.buf.len() - 1, |i| lo + i);
            self.prline(ctx, sc, lo, nl + 1, b'-');
            lo = nl + 1;
            sc.pending -= 1;
        }
    }

    /// GNU's prtext: selected lines [beg, lim) with their leading context.
    fn prtext(&mut self, ctx: &mut Ctx, sc: &mut Scan, beg: usize, lim: usize) -> u64 {
        let o = self.o;
        let eol = o.eol;
        if !sc.out_quiet && sc.pending > 0 {
            self.prpending(ctx, sc, beg);
        }
        let mut p = beg;
        if !sc.out_quiet {
            let bp = sc.lastout.unwrap_or(0);
            // Stops at the last line printed: -B 2^63-1 is no longer a count to go through.
            for _ in 0..o.before.max(0) {
                if p <= bp {
                    break;
                }
                p -= 1;
                while p > 0 && self.buf[p - 1] != eol {
                    p -= 1;
                }
            }
            if (o.before >= 0 || o.after >= 0) && self.used && Some(p) != sc.lastout {
                if let Some(g) = &o.group_sep {
                    let g = g.clone();
                    let se = o.color.as_ref().map(|c| c.se.clone());
                    self.colored(ctx, se.as_deref(), &g);
                    self.w(ctx, b"\n");
                }
            }
            while p < beg {
                let nl = memchr::memchr(eol, &self.buf[p..]).map_or(self.buf.len() - 1, |i| p + i);
                self.prline(ctx, sc, p, nl + 1, b'-');
                p = nl + 1;
            }
        }
        let n;
        if o.invert {
            let mut k = 0u64;
            while p < lim && k < sc.outleft {
                let nl = memchr::memchr(eol, &self.buf[p..]).map_or(self.buf.len() - 1, |i| p + i);
                if !sc.out_quiet {
                    self.prline(ctx, sc, p, nl + 1, b':');
                }
                p = nl + 1;
                k += 1;
            }
            n = k;
        } else {
            if !sc.out_quiet {
                self.prline(ctx, sc, beg, lim, b':');
            }
            n = 1;
        }
        sc.after_last = sc.totalcc + if o.invert { p } else { lim } as u64;
        sc.pending = if sc.out_quiet { 0 } else { o.after.max(0) };
        self.used = true;
        sc.outleft -= n;
        n
    }

    /// GNU's grepbuf over [beg, lim): the count of selected lines.
    fn grepbuf(&mut self, ctx: &mut Ctx, sc: &mut Scan, beg: usize, lim: usize) -> u64 {
        if let Some(l) = self.s.lits.as_mut() {
            l.reset();
        }
        if let Some(set) = self.s.set.as_mut() {
            set.reset();
        }
        let o = self.o;
        let mut nlines = 0u64;
        let mut p = beg;
        // Counting only, no context, no limit: count without the per-line machinery.
        let fast = sc.out_quiet && !sc.done_on_match && sc.outleft == u64::MAX;
        while p < lim {
            let buf = std::mem::take(&mut self.buf);
            let found = self.s.find_line(&buf, p, lim);
            self.buf = buf;
            let (b, endp) = match found {
                Some(m) => m,
                None => {
                    if !o.invert {
                        break;
                    }
                    (lim, lim)
                }
            };
            if !o.invert || p < b {
                if fast {
                    nlines += if o.invert {
                        count_byte(o.eol, &self.buf[p..b])
                    } else {
                        1
                    };
                } else {
                    let (pb, pe) = if o.invert { (p, b) } else { (b, endp) };
                    nlines += self.prtext(ctx, sc, pb, pe);
                    if sc.outleft == 0 || sc.done_on_match {
                        if o.exit_on_match {
                            self.stop = true;
                        }
                        break;
                    }
                }
            }
            p = endp;
        }
        nlines
    }

    /// GNU's grep(): one open file. Returns the count of selected lines, or the read error.
    /// Search one open input: the number of selected lines, and whether reading it failed
    /// (reported already; as GNU, the lines selected before count for -c, -l and -L).
    fn grep_fd(&mut self, ctx: &mut Ctx, fd: BorrowedFd, name: &[u8]) -> (u64, bool) {
        let o = self.o;
        let eol = o.eol;
        let mut sc = Scan {
            name,
            lastout: None,
            pending: 0,
            outleft: o.max_count,
            totalcc: 0,
            totalnl: 0,
            nl_pos: 0,
            out_quiet: o.out_quiet,
            done_on_match: o.done_on_match,
            width: 0,
            after_last: 0,
        };
        if o.tab {
            // GNU: the size of a regular file, else INTMAX_MAX (19 digits).
            let mut num = match sysfd::fstat(fd) {
                Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFREG => st.st_size as u64,
                _ => i64::MAX as u64,
            };
            if o.number && num < i64::MAX as u64 {
                num += 1;
            }
            loop {
                sc.width += 1;
                num /= 10;
                if num == 0 {
                    break;
                }
            }
        }
        let mut nlines = 0u64;
        let mut first_null: Option<u64> = None;
        let mut zap = false;
        let mut save = 0usize;
        let mut residue = 0usize;
        self.buf.clear();
        let mut err: Option<io::Error> = None;
        if let Err(e) = sysfd::read_append(fd, &mut self.buf, CHUNK) {
            return self.finish_file(ctx, &sc, 0, None, Some(e));
        }
        loop {
            let fresh = save;
            if first_null.is_none()
                && eol != 0
                && o.binary != Binary::Text
                && memchr::memchr(0, &self.buf[fresh..]).is_some()
            {
                if o.binary == Binary::WithoutMatch {
                    return (0, false);
                }
                if !o.count {
                    sc.done_on_match = true;
                    sc.out_quiet = true;
                }
                first_null = Some(nlines);
                zap = true;
            }
            if zap {
                for b in &mut self.buf[fresh..] {
                    if *b == 0 {
                        *b = eol;
                    }
                }
            }
            if self.buf.len() == save {
                break;
            }
            let newb = save;
            let mut lim = match memchr::memrchr(eol, &self.buf[newb..]) {
                Some(i) => newb + i + 1,
                None => newb,
            };
            if lim == newb {
                lim = newb - residue;
            }
            let beg = newb - residue;
            residue = self.buf.len() - lim;
            if beg < lim {
                if sc.outleft > 0 {
                    nlines += self.grepbuf(ctx, &mut sc, beg, lim);
                }
                if sc.pending > 0 {
                    self.prpending(ctx, &mut sc, lim);
                }
                if self.stop
                    || self.write_err.is_some()
                    || (sc.outleft == 0 && sc.pending == 0)
                    || (sc.done_on_match && first_null.unwrap_or(0) < nlines)
                {
                    if sc.outleft == 0 {
                        // GNU: the input is left just past the last selected line, so
                        // `(grep -m1 x; cat) < file` goes on from there.
                        let _ = sysfd::lseek(fd, sc.after_last as i64, libc::SEEK_SET);
                    } else if !self.stop
                        && self.write_err.is_none()
                        && o.list == List::None
                        && fd.as_raw_fd() == libc::STDIN_FILENO
                        && sysfd::lseek(fd, 0, libc::SEEK_END).is_err()
                    {
                        // GNU's finalize_input: standard input that was not read to its
                        // end (output to /dev/null, a binary file) is drained, so the
                        // writer of a pipe is not cut off (`yes | grep y >/dev/null` runs on)
                        self.buf.clear();
                        while sysfd::read_append(fd, &mut self.buf, CHUNK).is_ok_and(|n| n > 0) {
                            self.buf.clear();
                        }
                    }
                    return self.finish_file(ctx, &sc, nlines, first_null, None);
                }
            }
            // Keep the last `before` lines for leading context.
            let mut kb = lim;
            let mut i = 0;
            while i < o.before && kb > 0 && Some(kb) != sc.lastout {
                i += 1;
                kb -= 1;
                while kb > 0 && self.buf[kb - 1] != eol {
                    kb -= 1;
                }
            }
            if Some(kb) != sc.lastout {
                sc.lastout = None;
            }
            save = residue + lim - kb;
            if o.number {
                if kb > sc.nl_pos {
                    sc.totalnl += count_byte(eol, &self.buf[sc.nl_pos..kb]);
                }
                sc.nl_pos = 0;
            }
            sc.totalcc += kb as u64;
            self.buf.drain(..kb);
            if let Some(lo) = sc.lastout.as_mut() {
                *lo -= kb;
            }
            // A line longer than the buffer: read more at once.
            let want = CHUNK.max(save);
            match sysfd::read_append(fd, &mut self.buf, want) {
                Ok(_) => {}
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        if err.is_none() && residue > 0 {
            self.buf.push(eol);
            let len = self.buf.len();
            if sc.outleft > 0 {
                nlines += self.grepbuf(ctx, &mut sc, save - residue, len);
            }
            if sc.pending > 0 {
                self.prpending(ctx, &mut sc, len);
            }
        }
        self.finish_file(ctx, &sc, nlines, first_null, err)
    }

    fn finish_file(
        &mut self,
        ctx: &mut Ctx,
        sc: &Scan,
        nlines: u64,
        first_null: Option<u64>,
        err: Option<io::Error>,
    ) -> (u64, bool) {
        let failed = err.is_some();
        if let Some(e) = err {
            // A directory read under -d skip (fstat could not tell) is skipped silently.
            if e.raw_os_error() == Some(libc::EISDIR) && self.o.dirs == Dirs::Skip {
                return (0, false);
            }
            file_error(ctx, self.o, sc.name, &e);
        }
        if !self.o.out_quiet && first_null.is_some_and(|f| f < nlines) {
            let mut m = sc.name.to_vec();
            m.extend_from_slice(b": binary file matches");
            if let Err(e) = ctx.out.flush() {
                self.write_err.get_or_insert(e);
            }
            ctx.msg(&m);
        }
        (nlines, failed)
    }
}

/// For each `-NUM` digit on the command line, in order: whether it starts a new number. GNU
/// (get_nondigit_option) joins digits only within one word: `-12` is 12, `-1 -2` is 2. Words
/// are read as getopt reads them, so an option's argument (`-m12`, `-e -4`) holds none.
fn digit_runs(argv: &[OsString]) -> Vec<bool> {
    let takes_arg = |o: &Opt| !matches!(o.has(), args::Has::No);
    let mut runs = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let w = argv[i].as_bytes();
        i += 1;
        if w == b"--" {
            break;
        }
        if let Some(long) = w.strip_prefix(b"--") {
            let name = long.split(|&c| c == b'=').next().unwrap_or(b"");
            let hits: Vec<&Opt> = OPTIONS
                .iter()
                .filter(|o| o.long().is_some_and(|l| l.as_bytes().starts_with(name)))
                .collect();
            let exact = hits
                .iter()
                .find(|o| o.long().map(str::as_bytes) == Some(name));
            let o = exact.or(if hits.len() == 1 { hits.first() } else { None });
            if o.is_some_and(|o| matches!(o.has(), args::Has::Arg)) && !long.contains(&b'=') {
                i += 1;
            }
            continue;
        }
        if w.len() < 2 || w[0] != b'-' {
            continue;
        }
        let mut prev_digit = false;
        for (k, &c) in w.iter().enumerate().skip(1) {
            if c.is_ascii_digit() {
                runs.push(!prev_digit);
                prev_digit = true;
                continue;
            }
            prev_digit = false;
            if let Some(o) = OPTIONS
                .iter()
                .find(|o| o.short() == Some(c) && takes_arg(o))
            {
                if k + 1 == w.len() && matches!(o.has(), args::Has::Arg) {
                    i += 1;
                }
                break;
            }
        }
    }
    runs
}

/// GNU's `suppressible_error`.
fn file_error(ctx: &mut Ctx, o: &Opts, name: &[u8], e: &io::Error) {
    if !o.no_messages {
        let mut m = name.to_vec();
        m.extend_from_slice(b": ");
        m.extend_from_slice(crate::common::ctx::strerror(e).as_bytes());
        ctx.msg(&m);
    }
    ctx.fail(2);
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    run(argv, ctx, None)
}

pub fn egrep(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    run(argv, ctx, Some(Mode::E))
}

pub fn fgrep(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    run(argv, ctx, Some(Mode::F))
}

fn usage_error(ctx: &mut Ctx, msg: Option<&[u8]>) -> i32 {
    if let Some(m) = msg {
        ctx.msg(m);
    }
    let _ = ctx.out.flush();
    let t = format!("{USAGE_LINE}Try 'grep --help' for more information.\n");
    crate::common::io::write_all(crate::common::io::stderr_fd(), t.as_bytes()).ok();
    2
}

fn die(ctx: &mut Ctx, msg: &[u8]) -> i32 {
    ctx.msg(msg);
    2
}

/// A context length: a non-negative decimal (huge values saturate).
fn context_arg(v: &[u8]) -> Option<i64> {
    if v.is_empty() || !v.iter().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        v.iter()
            .try_fold(0i64, |a, &b| {
                a.checked_mul(10)?.checked_add((b - b'0') as i64)
            })
            .unwrap_or(i64::MAX),
    )
}

/// Escapes a fixed string for a BRE.
fn escape_fixed(p: &[u8], out: &mut Vec<u8>) {
    for &b in p {
        if matches!(b, b'\\' | b'[' | b'.' | b'*' | b'^' | b'$') {
            out.push(b'\\');
        }
        out.push(b);
    }
}

/// How deeply `p`'s groups nest (escapes and brackets not told apart: for messages only).
fn paren_depth(p: &[u8], ere: bool) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while i < p.len() {
        let (open, close, step) = match (ere, p[i], p.get(i + 1)) {
            (true, b'(', _) => (true, false, 1),
            (true, b')', _) => (false, true, 1),
            (false, b'\\', Some(b'(')) => (true, false, 2),
            (false, b'\\', Some(b')')) => (false, true, 2),
            (_, b'\\', _) => (false, false, 2),
            _ => (false, false, 1),
        };
        if open {
            depth += 1;
            max = max.max(depth);
        } else if close {
            depth = depth.saturating_sub(1);
        }
        i += step;
    }
    max
}

/// dfa.c's reading of an interval from `p[i]` (just past `{`): its bounds (max `None`: no
/// limit) and the index past `}`, or `None` if it is not one (then `{` is an ordinary byte).
fn dfa_interval(p: &[u8], mut i: usize) -> Option<(u32, Option<u32>, usize)> {
    let digits = |i: &mut usize| -> Option<u32> {
        let mut n: Option<u32> = None;
        while let Some(d) = p.get(*i).filter(|b| b.is_ascii_digit()) {
            n = Some((n.unwrap_or(0) * 10 + (d - b'0') as u32).min(0x8000));
            *i += 1;
        }
        n
    };
    let min = digits(&mut i);
    let (min, max) = if p.get(i) == Some(&b',') {
        i += 1;
        (min.unwrap_or(0), digits(&mut i))
    } else {
        (min?, min)
    };
    (p.get(i) == Some(&b'}') && max.is_none_or(|m| min <= m)).then_some((min, max, i + 1))
}

/// GNU's dfa warnings and its one extra error (`[:space:]` for `[[:space:]]`), and the form of
/// an ERE that glibc's regex reads as GNU grep's dfa matches it, when that differs: an
/// operator with nothing before it repeats the empty string (glibc skips just the operator, so
/// `{1}a` would be `1}a`), a `{` that starts no interval is a plain `{` there too (`grep -E '{'`),
/// and a repeated line anchor (`^*`) is optional. Run after the pattern compiled, as GNU checks
/// with glibc's regex before its dfa says anything.
/// dfa's reading of a BRE interval's content (after its `\{`): `M`, `M,`, `,N`, `,`, `M,N`,
/// then `\}`, M at most N, N at most RE_DUP_MAX.
fn bre_interval_after_anchor(p: &[u8]) -> Result<(), Vec<u8>> {
    const DUP_MAX: i64 = 0x7fff;
    let mut i = 0;
    let digits = |i: &mut usize| -> i64 {
        let mut n = -1i64;
        while let Some(d) = p.get(*i).filter(|d| d.is_ascii_digit()) {
            n = if n < 0 {
                (d - b'0') as i64
            } else {
                (n * 10 + (d - b'0') as i64).min(DUP_MAX + 1)
            };
            *i += 1;
        }
        n
    };
    let mut min = digits(&mut i);
    let mut max = min;
    if p.get(i) == Some(&b',') {
        i += 1;
        min = min.max(0);
        max = digits(&mut i);
    }
    let closed = p.get(i) == Some(&b'\\') && p.get(i + 1) == Some(&b'}');
    if !closed || min < 0 || (max >= 0 && min > max) {
        return Err(b"invalid content of \\{\\}".to_vec());
    }
    if max > DUP_MAX {
        return Err(b"regular expression too big".to_vec());
    }
    Ok(())
}

fn dfa_checks(ctx: &mut Ctx, pat: &[u8], ere: bool) -> Result<Option<Vec<u8>>, Vec<u8>> {
    let mut i = 0;
    // dfa's `laststart`: only zero-width tokens since the start, `(`, `|` (ERE) or newline.
    let mut at_start = true;
    // Nothing to repeat: nothing since the start, `(`, `|` or newline but dropped operators.
    let mut empty = true;
    // Where in `out` the anchor just read starts, and whether it is a line (not word) anchor.
    let mut anchor: Option<(usize, bool)> = None;
    let mut out = Vec::new();
    let mut changed = false;
    let warn = |ctx: &mut Ctx, what: &[u8]| {
        let mut m = b"warning: ".to_vec();
        m.extend_from_slice(what);
        m.extend_from_slice(b" at start of expression");
        ctx.msg(&m);
    };
    while i < pat.len() {
        let c = pat[i];
        let from = i;
        match c {
            b'\\' => {
                i = (i + 2).min(pat.len());
                let z = pat.get(from + 1).copied();
                if !ere && z == Some(b'{') && !at_start && anchor.is_some() {
                    // glibc takes `\{` after an anchor as a plain `{`; dfa reads an interval
                    // there and refuses what is not one.
                    bre_interval_after_anchor(&pat[i..])?;
                }
                if matches!(z, Some(b'`' | b'\'')) {
                    anchor = Some((out.len(), true));
                } else if matches!(z, Some(b'<' | b'>' | b'b' | b'B')) {
                    anchor = Some((out.len(), false));
                } else {
                    (at_start, empty, anchor) = (false, false, None);
                }
                out.extend_from_slice(&pat[from..i]);
                continue;
            }
            b'[' => {
                let mut j = i + 1;
                if pat.get(j) == Some(&b'^') {
                    j += 1;
                }
                let cstart = j;
                if pat.get(j) == Some(&b']') {
                    j += 1;
                }
                let mut special = false;
                while j < pat.len() && pat[j] != b']' {
                    if pat[j] == b'[' && matches!(pat.get(j + 1), Some(b':' | b'.' | b'=')) {
                        special = true;
                        let d = pat[j + 1];
                        let mut k = j + 2;
                        while k + 1 < pat.len() && !(pat[k] == d && pat[k + 1] == b']') {
                            k += 1;
                        }
                        j = k + 2;
                        continue;
                    }
                    if pat[j] == b'-' && j > cstart && pat.get(j + 1).is_some_and(|&b| b != b']') {
                        special = true;
                    }
                    j += 1;
                }
                if j < pat.len() {
                    let body = &pat[cstart..j];
                    if !special
                        && body.len() >= 2
                        && body[0] == b':'
                        && body[body.len() - 1] == b':'
                        && body.iter().any(|&b| b != b':')
                    {
                        return Err(
                            b"character class syntax is [[:space:]], not [:space:]".to_vec()
                        );
                    }
                }
                i = (j + 1).min(pat.len());
                out.extend_from_slice(&pat[from..i]);
                (at_start, empty, anchor) = (false, false, None);
                continue;
            }
            b'(' | b'|' if ere => (at_start, empty, anchor) = (true, true, None),
            b'\n' => (at_start, empty, anchor) = (true, true, None),
            b'^' | b'$' if ere => anchor = Some((out.len(), true)),
            b'*' | b'+' | b'?' | b'{' if ere => {
                let (min, rest) = match c {
                    b'{' => match dfa_interval(pat, i + 1) {
                        Some((min, max, rest)) => (min, Some((max, rest))),
                        None => {
                            // Not an interval: a plain `{` (glibc would skip it at a start).
                            out.extend_from_slice(b"\\{");
                            changed |= empty || anchor.is_some();
                            (at_start, empty, anchor) = (false, false, None);
                            i += 1;
                            continue;
                        }
                    },
                    b'+' => (1, None),
                    _ => (0, None),
                };
                let end = rest.map_or(i + 1, |r| r.1);
                if at_start {
                    warn(ctx, if c == b'{' { b"{...}" } else { &pat[i..i + 1] });
                    if let Some((Some(max), _)) = rest.filter(|_| empty) {
                        if max > 0x7fff {
                            return Err(b"regular expression too big".to_vec());
                        }
                    }
                    // dfa: an interval ends the start, the others do not.
                    at_start = c != b'{';
                }
                // dfa repeats the anchor: at least once is the anchor, else nothing (a word
                // anchor's `*`, `+` and `?` it matches as glibc reads them: skipped).
                if let Some((a, _)) = anchor.filter(|&(_, line)| line || c == b'{') {
                    if min == 0 {
                        out.truncate(a);
                        anchor = None;
                    }
                    changed = true;
                } else if empty {
                    // Repeating nothing is nothing.
                    changed |= c == b'{';
                } else {
                    out.extend_from_slice(&pat[i..end]);
                }
                i = end;
                continue;
            }
            _ => (at_start, empty, anchor) = (false, false, None),
        }
        out.push(c);
        i += 1;
    }
    Ok(changed.then_some(out))
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx, forced: Option<Mode>) -> i32 {
    ctx.name = "grep";
    // GNU checks each option as getopt hands it over, so a bad value before the word getopt
    // refuses is the error reported: the options before that word are checked first.
    let (m, refused) = match args::getopt(&argv, OPTIONS) {
        Ok(m) => (m, None),
        Err(msg) => {
            let at = (2..argv.len())
                .find(|&k| args::getopt(&argv[..k], OPTIONS).err().as_ref() == Some(&msg))
                .unwrap_or(argv.len());
            match args::getopt(&argv[..at - 1], OPTIONS) {
                Ok(m) => (m, Some(msg)),
                Err(_) => return usage_error(ctx, Some(&msg)),
            }
        }
    };
    let mut show_version = false;
    let mut mode: Option<Mode> = forced;
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    // where each pattern came from: a -f file and line (for messages), else None
    let mut origins: Vec<Option<(Vec<u8>, usize)>> = Vec::new();
    let mut have_pattern_opt = false;
    let mut icase = false;
    let mut word = false;
    let mut linex = false;
    let mut o = Opts {
        invert: false,
        count: false,
        list: List::None,
        number: false,
        byte_offset: false,
        only: false,
        quiet: false,
        no_messages: false,
        with_fname: false,
        before: -1,
        after: -1,
        group_sep: Some(b"--".to_vec()),
        max_count: u64::MAX,
        binary: Binary::Detect,
        eol: b'\n',
        null: false,
        color: None,
        label: b"(standard input)".to_vec(),
        tab: false,
        line_buffered: false,
        dirs: Dirs::Read,
        devices_skip: false,
        follow_all: false,
        filters: Vec::new(),
        exclude_dir: Vec::new(),
        done_on_match: false,
        out_quiet: false,
        exit_on_match: false,
    };
    let mut fname: Option<bool> = None;
    let mut color_when: Option<u8> = None;
    let mut digits: Option<i64> = None;
    let mut last_digit = false;
    let mut new_run = digit_runs(&argv).into_iter();
    let mut context_default: i64 = -1;
    let mut show_help = false;
    for (id, raw) in &m.opts {
        let v = raw.as_ref().map(|v| v.as_bytes()).unwrap_or(b"");
        let is_digit = id.len() == 1 && id.as_bytes()[0].is_ascii_digit();
        if is_digit {
            let d = (id.as_bytes()[0] - b'0') as i64;
            let fresh = new_run.next().unwrap_or(true);
            let cur = if last_digit && !fresh {
                digits.unwrap_or(0)
            } else {
                0
            };
            let n = cur.saturating_mul(10).saturating_add(d);
            digits = Some(n);
            context_default = n;
            last_digit = true;
            continue;
        }
        last_digit = false;
        match Id::of(id.as_bytes()) {
            Some(Id::CapE) | Some(Id::CapF) | Some(Id::CapG) | Some(Id::CapP) => {
                let nm = match *id {
                    "E" => Mode::E,
                    "F" => Mode::F,
                    "G" => Mode::G,
                    _ => Mode::P,
                };
                match mode {
                    Some(a) if a != nm => return die(ctx, b"conflicting matchers specified"),
                    _ => mode = Some(nm),
                }
            }
            Some(Id::E) => {
                patterns.extend(v.split(|&b| b == b'\n').map(|s| s.to_vec()));
                have_pattern_opt = true;
            }
            Some(Id::F) => {
                let data = if v == b"-" {
                    let mut d = Vec::new();
                    sysfd::read_to_end(stdin_fd(), &mut d).map(|_| d)
                } else {
                    sysfd::open(v, libc::O_RDONLY | libc::O_CLOEXEC, 0).and_then(|fd| {
                        let mut d = Vec::new();
                        sysfd::read_to_end(fd.as_fd(), &mut d).map(|_| d)
                    })
                };
                match data {
                    Ok(mut d) => {
                        // an empty file holds no pattern; a last newline ends the last one
                        let any = !d.is_empty();
                        if d.last() == Some(&b'\n') {
                            d.pop();
                        }
                        origins.resize(patterns.len(), None);
                        for (n, l) in d.split(|&b| b == b'\n').enumerate().filter(|_| any) {
                            patterns.push(l.to_vec());
                            origins.push(Some((v.to_vec(), n + 1)));
                        }
                    }
                    Err(e) => {
                        let mut msg = v.to_vec();
                        msg.extend_from_slice(b": ");
                        msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                        return die(ctx, &msg);
                    }
                }
                have_pattern_opt = true;
            }
            Some(Id::I) => icase = true,
            Some(Id::NoIgnoreCase) => icase = false,
            Some(Id::W) => word = true,
            Some(Id::X) => linex = true,
            Some(Id::Z) => o.eol = 0,
            Some(Id::S) => o.no_messages = true,
            Some(Id::V) => o.invert = true,
            Some(Id::Version) => show_version = true,
            Some(Id::Help) => show_help = true,
            Some(Id::M) => {
                // GNU: a negative count means no limit.
                let n = if let Some(rest) = v.strip_prefix(b"-") {
                    if !rest.is_empty() && rest.iter().all(|b| b.is_ascii_digit()) {
                        Some(u64::MAX)
                    } else {
                        None
                    }
                } else {
                    context_arg(v).map(|n| n as u64)
                };
                match n {
                    Some(n) => o.max_count = n,
                    None => return die(ctx, b"invalid max count"),
                }
            }
            Some(Id::B) => o.byte_offset = true,
            Some(Id::N) => o.number = true,
            Some(Id::LineBuffered) => o.line_buffered = true,
            Some(Id::CapH) => fname = Some(true),
            Some(Id::H) => fname = Some(false),
            Some(Id::Label) => o.label = v.to_vec(),
            Some(Id::O) => o.only = true,
            Some(Id::Q) => o.quiet = true,
            Some(Id::BinaryFiles) => {
                o.binary = match v {
                    b"binary" => Binary::Detect,
                    b"text" => Binary::Text,
                    b"without-match" => Binary::WithoutMatch,
                    _ => return die(ctx, b"unknown binary-files type"),
                }
            }
            Some(Id::A) => o.binary = Binary::Text,
            Some(Id::CapI) => o.binary = Binary::WithoutMatch,
            Some(Id::D) => {
                o.dirs = match v {
                    b"read" => Dirs::Read,
                    b"recurse" => Dirs::Recurse,
                    b"skip" => Dirs::Skip,
                    _ => {
                        let mut msg = b"invalid argument ".to_vec();
                        msg.extend_from_slice(&crate::common::quote::quote_locale(v));
                        msg.extend_from_slice(b" for '--directories'");
                        ctx.msg(&msg);
                        crate::common::io::write_all(
                            crate::common::io::stderr_fd(),
                            b"Valid arguments are:\n  - 'read'\n  - 'recurse'\n  - 'skip'\n",
                        )
                        .ok();
                        usage_error(ctx, None);
                        return 1;
                    }
                };
                if o.dirs == Dirs::Recurse {
                    o.follow_all = false;
                }
            }
            Some(Id::CapD) => match v {
                b"read" => o.devices_skip = false,
                b"skip" => o.devices_skip = true,
                _ => return die(ctx, b"unknown devices method"),
            },
            Some(Id::R) => {
                o.dirs = Dirs::Recurse;
                o.follow_all = false;
            }
            Some(Id::CapR) => {
                o.dirs = Dirs::Recurse;
                o.follow_all = true;
            }
            Some(Id::Include) => o.filters.push((true, v.to_vec())),
            Some(Id::Exclude) => o.filters.push((false, v.to_vec())),
            Some(Id::ExcludeFrom) => {
                let r = sysfd::open(v, libc::O_RDONLY | libc::O_CLOEXEC, 0).and_then(|fd| {
                    let mut d = Vec::new();
                    sysfd::read_to_end(fd.as_fd(), &mut d).map(|_| d)
                });
                match r {
                    Ok(d) => o.filters.extend(
                        d.split(|&b| b == b'\n')
                            .filter(|l| !l.is_empty())
                            .map(|l| (false, l.to_vec())),
                    ),
                    Err(e) => {
                        let mut msg = v.to_vec();
                        msg.extend_from_slice(b": ");
                        msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                        return die(ctx, &msg);
                    }
                }
            }
            Some(Id::ExcludeDir) => {
                // GNU strips trailing slashes: `--exclude-dir=dir/` is dir
                o.exclude_dir
                    .push(crate::common::fs::strip_trailing_slashes(v).to_vec())
            }
            Some(Id::CapL) => o.list = List::NonMatching,
            Some(Id::L) => o.list = List::Matching,
            Some(Id::C) => o.count = true,
            Some(Id::CapT) => o.tab = true,
            Some(Id::CapZ) => o.null = true,
            Some(Id::CapA) | Some(Id::CapB) | Some(Id::CapC) => {
                let Some(n) = context_arg(v) else {
                    let mut msg = v.to_vec();
                    msg.extend_from_slice(b": invalid context length argument");
                    return die(ctx, &msg);
                };
                match *id {
                    "A" => o.after = n,
                    "B" => o.before = n,
                    _ => context_default = n,
                }
            }
            Some(Id::GroupSeparator) => o.group_sep = Some(v.to_vec()),
            Some(Id::NoGroupSeparator) => o.group_sep = None,
            Some(Id::Color) => {
                color_when = Some(match v {
                    _ if raw.is_none() => 2,
                    b"always" | b"yes" | b"force" => 1,
                    b"never" | b"no" | b"none" => 0,
                    b"auto" | b"tty" | b"if-tty" => 2,
                    _ => {
                        show_help = true;
                        continue;
                    }
                });
            }
            _ => {}
        }
    }
    if let Some(msg) = refused {
        return usage_error(ctx, Some(&msg));
    }
    if show_version {
        let _ = ctx
            .out
            .write_all(concat!("grep (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes());
        return flush_out(ctx);
    }
    if show_help {
        let _ = ctx.out.write_all(&HELP.bytes());
        return flush_out(ctx);
    }
    let mut operands: Vec<OsString> = m.operands;
    if !have_pattern_opt {
        if operands.is_empty() {
            return usage_error(ctx, None);
        }
        let p = operands.remove(0);
        patterns.extend(p.as_bytes().split(|&b| b == b'\n').map(|s| s.to_vec()));
    }
    if o.after < 0 {
        o.after = context_default;
    }
    if o.before < 0 {
        o.before = context_default;
    }
    // Color.
    let want_color = match color_when {
        Some(1) => true,
        Some(2) => {
            sysfd::isatty(stdout_fd())
                && std::env::var_os("TERM").is_some_and(|t| t.as_bytes() != b"dumb")
        }
        _ => false,
    };
    if want_color {
        let (c, warn) = Colors::parse();
        if let Some(w) = warn {
            ctx.msg(&w);
        }
        o.color = Some(c);
    }
    let mode = mode.unwrap_or(Mode::G);

    if mode == Mode::P {
        return die(
            ctx,
            b"Perl matching not supported in a --disable-perl-regexp build",
        );
    }
    // GNU: -m 0 selects nothing and reads nothing.
    // Nor does a pattern list that cannot select a line: `-v ''`, or `-f /dev/null` (no
    // patterns: GNU inverts the sense and matches the empty pattern).
    let nothing = if patterns.is_empty() {
        !o.invert
    } else {
        // GNU looks after removing duplicates: `-e '' -e ''` is one empty pattern
        patterns.iter().all(|p| p.is_empty()) && o.invert && !linex && !word
    };
    if (o.max_count == 0 || nothing) && o.list != List::NonMatching {
        return 1;
    }
    // Output to /dev/null behaves like -q (GNU's dev_null_output).
    let dev_null = is_dev_null(stdout_fd());
    o.exit_on_match = o.quiet;
    if o.quiet || dev_null || o.list != List::None {
        o.count = false;
        o.done_on_match = true;
    }
    o.out_quiet = o.count || o.done_on_match;
    if o.quiet {
        o.list = List::None;
    }

    // Compile.
    let mut syn = match mode {
        Mode::E => Syntax(
            (Syntax::POSIX_EXTENDED.0 | Syntax::INVALID_INTERVAL_ORD | Syntax::NEWLINE_ALT)
                & !(Syntax::CONTEXT_INVALID_OPS | Syntax::DOT_NOT_NULL),
        ),
        _ => Syntax(
            (Syntax::POSIX_BASIC.0 | Syntax::NEWLINE_ALT)
                & !(Syntax::CONTEXT_INVALID_DUP | Syntax::DOT_NOT_NULL),
        ),
    };
    let mut fold_dfa = false;
    if icase {
        syn = syn.with(Syntax::ICASE);
        // GNU's dfa decides (and folds case its way) unless a pattern may hold a
        // back-reference (its possible_backrefs_in_pattern: a backslash before 1-9).
        let maybe_backref = |p: &[u8]| {
            let mut i = 0;
            while i + 1 < p.len() {
                if p[i] == b'\\' {
                    if matches!(p[i + 1], b'1'..=b'9') {
                        return true;
                    }
                    i += 1;
                }
                i += 1;
            }
            false
        };
        fold_dfa = mode == Mode::F || !patterns.iter().any(|p| maybe_backref(p));
    }
    syn = syn.with(Syntax::NO_SUB);
    let eol = o.eol;
    // Fixed strings become escaped BREs.
    origins.resize(patterns.len(), None);
    let pats: Vec<Vec<u8>> = if mode == Mode::F {
        patterns
            .iter()
            .map(|p| {
                let mut v = Vec::with_capacity(p.len() + 4);
                escape_fixed(p, &mut v);
                v
            })
            .collect()
    } else {
        // Duplicates add nothing (GNU removes them too).
        // The type of `pat_origin` below: one hash table instantiation for both.
        let mut seen: std::collections::HashMap<&[u8], Option<&(Vec<u8>, usize)>> =
            Default::default();
        patterns
            .iter()
            .filter(|p| seen.insert(p.as_slice(), None).is_none())
            .cloned()
            .collect()
    };
    // GNU names the -f file and line of each pattern that fails, and reports them all
    let pat_origin = {
        let mut first = std::collections::HashMap::new();
        for (p, o) in patterns.iter().zip(&origins) {
            first.entry(p.as_slice()).or_insert(o.as_ref());
        }
        first
    };
    let mut bad = false;
    let mut each: Vec<Regex> = Vec::new();
    // The literal a pattern is, and one its matches contain.
    let lits_of = |r: &Regex, p: &[u8]| -> PatLits {
        let plain = if icase {
            Regex::for_lines(p, syn.without(Syntax::ICASE), eol).ok()
        } else {
            None
        };
        let pl = plain.as_ref().unwrap_or(r);
        let lit = if p.is_empty() {
            Some(Vec::new())
        } else {
            pl.literal().map(|l| l.to_vec())
        };
        (lit, pl.required_literal().map(|l| l.to_vec()))
    };
    // Per pattern: the literal it is, or one its matches contain (found case-sensitively:
    // under -i the folded literal is looked for).
    let mut lits: Vec<PatLits> = Vec::new();
    // A pattern that is a plain literal needs no compiling when the set takes it: 10,000 of
    // them compiled cost 0.4 s.
    let raw_literal = |i: usize| -> Option<&[u8]> {
        let p: &[u8] = if mode == Mode::F {
            &patterns[i]
        } else {
            &pats[i]
        };
        let special: &[u8] = match mode {
            Mode::F => b"",
            Mode::E => b"\\[]().*+?{}^$|",
            _ => b"\\[.*^$",
        };
        (!p.iter().any(|b| *b == eol || special.contains(b))).then_some(p)
    };
    // The lazy DFA runs one alternation faster than the set does while its states (about one
    // per pattern byte for literals) fit its cache of 4096: only longer lists go to the set.
    let total: usize = pats.iter().map(|p| p.len()).sum();
    let many = pats.len() > 8 && (total > 2048 || pats.len() > 256);
    let compile = |ctx: &mut Ctx, p: &[u8]| -> Result<Regex, ()> {
        Regex::for_lines(p, syn, eol).map_err(|e| {
            if e.0 == regex::ErrorKind::ESpace && paren_depth(p, mode == Mode::E) > 1000 {
                // GNU's parser recurses per parenthesis until its stack guard says this.
                ctx.msg(b"stack overflow");
                return;
            }
            let mut m = Vec::new();
            if let Some(Some((f, n))) = pat_origin.get(p) {
                m.extend_from_slice(f);
                push_fmt(&mut m, format_args!(":{n}: "));
            }
            m.extend_from_slice(e.to_string().as_bytes());
            ctx.msg(&m);
        })
    };
    let mut each_opt: Vec<Option<Regex>> = Vec::with_capacity(pats.len());
    for (i, p) in pats.iter().enumerate() {
        if many {
            if let Some(l) = raw_literal(i) {
                lits.push((Some(l.to_vec()), None));
                each_opt.push(None);
                continue;
            }
        }
        let Ok(r) = compile(ctx, p) else {
            bad = true;
            continue;
        };
        lits.push(lits_of(&r, p));
        each_opt.push(Some(r));
    }
    if bad {
        return 2;
    }
    // GNU's dfa reads the patterns once every one has compiled.
    let mut pats = pats;
    for (i, p) in pats.iter_mut().enumerate() {
        if mode == Mode::F || each_opt[i].is_none() {
            continue;
        }
        match dfa_checks(ctx, p, mode == Mode::E) {
            Err(msg) => return die(ctx, &msg),
            Ok(None) => {}
            Ok(Some(q)) => {
                let Ok(r) = compile(ctx, &q) else { return 2 };
                lits[i] = lits_of(&r, &q);
                each_opt[i] = Some(r);
                *p = q;
            }
        }
    }
    let backrefs = each_opt.iter().flatten().any(|r| r.has_backrefs());
    let use_set = many && !backrefs;
    if !use_set {
        // Literals left uncompiled are needed after all when back-references rule the set out.
        for (r, p) in each_opt.iter_mut().zip(&pats) {
            match r.take() {
                Some(x) => each.push(x),
                None => match compile(ctx, p) {
                    Ok(x) => each.push(x),
                    Err(()) => return 2,
                },
            }
        }
    }
    if bad {
        return 2;
    }
    // Many patterns, or more literals than `plain_literals` takes: the pattern set.
    let mut set_lits: Option<(LiteralSet, LiteralSet, Vec<u32>)> = None;
    let (mut checked, mut rest_each, mut rest_re) = (Vec::new(), Vec::new(), None);
    if use_set {
        let (mut exact, mut req, mut req_of, mut rest_pats) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((p, (lit, required)), r) in pats.iter().zip(lits.drain(..)).zip(each_opt) {
            if let Some(l) = lit {
                exact.push(l);
                continue;
            }
            let Some(r) = r else { continue };
            if let Some(l) = required {
                req.push(l);
                req_of.push(checked.len() as u32);
                checked.push(r);
            } else {
                rest_pats.push(p);
                rest_each.push(r);
            }
        }
        if !rest_pats.is_empty() {
            let joined = rest_pats.iter().fold(Vec::new(), |mut j, p| {
                if !j.is_empty() {
                    j.push(b'\n');
                }
                j.extend_from_slice(p);
                j
            });
            match Regex::for_lines(&joined, syn, eol) {
                Ok(r) => rest_re = Some(r),
                Err(e) => return die(ctx, e.to_string().as_bytes()),
            }
        }
        set_lits = Some((
            LiteralSet::new(&exact, icase),
            LiteralSet::new(&req, icase),
            req_of,
        ));
    }
    // GNU's -F with several patterns keeps its own -w walk (one becomes a -G pattern).
    let word_exact =
        word && !linex && !backrefs && !use_set && (mode != Mode::F || pats.len() == 1);
    let alternation = |open: &[u8], close: &[u8]| -> Result<Regex, regex::Error> {
        let mut joined = Vec::new();
        for (i, p) in pats.iter().enumerate() {
            if i > 0 {
                joined.push(b'\n');
            }
            joined.extend_from_slice(open);
            joined.extend_from_slice(p);
            joined.extend_from_slice(close);
        }
        let syn = if fold_dfa {
            syn.with(Syntax::FOLD_BOTH)
        } else {
            syn
        };
        Regex::for_lines(&joined, syn, eol)
    };
    let all_re: Option<Regex> = if !backrefs && !pats.is_empty() && !use_set {
        match alternation(b"", b"") {
            Ok(r) => Some(r),
            Err(e) => return die(ctx, e.to_string().as_bytes()),
        }
    } else {
        None
    };
    // -w's lines: the plain alternation finds the candidates (with its literal prefilter),
    // this one decides.
    // The walk finds the same lines unless a pattern can match the empty string (the walk
    // takes an empty match only where it is the longest) or looks at word context (the walk
    // tries shorter matches in a cut buffer): only then is the second regex needed.
    let word_context = |p: &[u8]| {
        p.windows(2)
            .any(|w| w[0] == b'\\' && b"<>bB'".contains(&w[1]))
    };
    let walk_differs =
        || each.iter().any(|r| r.is_match(b"")) || pats.iter().any(|p| word_context(p));
    let word_re: Option<Regex> = if word_exact && walk_differs() {
        let (open, close): (&[u8], &[u8]) = match mode {
            Mode::E => (b"(^|[^[:alnum:]_])(", b")([^[:alnum:]_]|$)"),
            _ => (b"\\(^\\|[^[:alnum:]_]\\)\\(", b"\\)\\([^[:alnum:]_]\\|$\\)"),
        };
        match alternation(open, close) {
            Ok(r) => Some(r),
            Err(e) => return die(ctx, e.to_string().as_bytes()),
        }
    } else {
        None
    };
    if !(word || backrefs || fold_dfa) {
        each.clear();
    }
    let searcher = Searcher {
        all: all_re.as_ref().map(|r| r.matcher()),
        each: each.iter().map(|r| r.matcher()).collect(),
        word,
        line: linex,
        word_re: word_re.as_ref().map(|r| r.matcher()),
        spans_each: fold_dfa,
        // `\`` and `\'` hold at each line's ends in GNU grep: match line by line for them.
        per_line: eol != b'\n'
            || backrefs
            || all_re.as_ref().is_some_and(|r| r.has_buffer_anchors())
            || checked
                .iter()
                .chain(&rest_each)
                .any(|r| r.has_buffer_anchors()),
        eol,
        none: pats.is_empty(),
        lits: if icase {
            None
        } else {
            plain_literals(if mode == Mode::F { &patterns } else { &pats }, mode).map(|v| {
                let n = v.len();
                LitSet {
                    finders: v
                        .iter()
                        .map(|l| memchr::memmem::Finder::new(l).into_owned())
                        .collect(),
                    next: vec![usize::MAX; n],
                    from: vec![usize::MAX; n],
                }
            })
        },
        set: set_lits.map(|(exact, req, req_of)| PatSet {
            exact,
            req,
            req_of,
            seen: vec![0; checked.len()],
            checked: checked.iter().map(|r| r.matcher()).collect(),
            rest: rest_re.as_ref().map(|r| r.matcher()),
            rest_each: rest_each.iter().map(|r| r.matcher()).collect(),
            rest_next: (usize::MAX, None),
            exact_next: (usize::MAX, None),
            gen: 0,
            cands: Vec::new(),
        }),
    };

    // Files.
    let recursive = o.dirs == Dirs::Recurse;
    let implicit_dot = operands.is_empty() && recursive;
    if operands.is_empty() {
        operands.push(OsString::from(if recursive { "." } else { "-" }));
    }
    o.with_fname = match fname {
        Some(f) => f,
        None => {
            operands.len() > 1
                || (recursive
                    && operands.iter().any(|n| {
                        n.as_bytes() != b"-"
                            && sysfd::stat(n.as_bytes())
                                .is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
                    }))
        }
    };
    let mut run = Run {
        o: &o,
        s: searcher,
        used: false,
        buf: Vec::with_capacity(CHUNK * 2),
        write_err: None,
        stop: false,
    };
    let mut matched = false;
    let mut errors = false;
    let out_st = sysfd::fstat(stdout_fd()).ok();
    for name in &operands {
        let nb = name.as_bytes();
        let r = if nb == b"-" {
            let label = o.label.clone();
            grep_file(ctx, &mut run, None, &label, out_st.as_ref(), true)
        } else if recursive {
            grep_tree(ctx, &mut run, nb, implicit_dot, out_st.as_ref())
        } else {
            grep_file(ctx, &mut run, Some(nb), nb, out_st.as_ref(), true)
        };
        matched |= r.0;
        errors |= r.1;
        if run.stop || run.write_err.is_some() {
            break;
        }
    }
    if let Some(e) = run.write_err.take() {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return 2;
        }
        let msg = format!("write error: {}", crate::common::ctx::strerror(&e));
        ctx.msg(msg.as_bytes());
        return 2;
    }
    if flush_out(ctx) != 0 {
        return 2;
    }
    if run.stop && o.quiet {
        return 0;
    }
    if errors || ctx.status == 2 {
        return 2;
    }
    if matched {
        0
    } else {
        1
    }
}

crate::common::args::named! {
    /// The ids the match above knows, each with its variant: found by one search of this table,
    /// where a match on the strings compiled to a comparison of each.
    enum Id {
        CapE = "E",
        CapF = "F",
        CapG = "G",
        CapP = "P",
        E = "e",
        F = "f",
        I = "i",
        NoIgnoreCase = "no-ignore-case",
        W = "w",
        X = "x",
        Z = "z",
        S = "s",
        V = "v",
        Version = "version",
        Help = "help",
        M = "m",
        B = "b",
        N = "n",
        LineBuffered = "line-buffered",
        CapH = "H",
        H = "h",
        Label = "label",
        O = "o",
        Q = "q",
        BinaryFiles = "binary-files",
        A = "a",
        CapI = "I",
        D = "d",
        CapD = "D",
        R = "r",
        CapR = "R",
        Include = "include",
        Exclude = "exclude",
        ExcludeFrom = "exclude-from",
        ExcludeDir = "exclude-dir",
        CapL = "L",
        L = "l",
        C = "c",
        CapT = "T",
        CapZ = "Z",
        CapA = "A",
        CapB = "B",
        CapC = "C",
        GroupSeparator = "group-separator",
        NoGroupSeparator = "no-group-separator",
        Color = "color",
    }
}

fn is_dev_null(fd: BorrowedFd) -> bool {
    let (Ok(a), Ok(b)) = (sysfd::fstat(fd), sysfd::stat(b"/dev/null")) else {
        return false;
    };
    a.st_mode & libc::S_IFMT == libc::S_IFCHR && a.st_rdev == b.st_rdev && a.st_ino == b.st_ino
}

/// GNU's excluded_file_name for --include/--exclude: the pattern matched against the whole
/// name or, for command-line names, any suffix after a `/`.
fn glob_match(pats: &[Vec<u8>], name: &[u8], cmdline: bool) -> bool {
    let f = FnFlags::PLAIN;
    pats.iter().any(|p| {
        if fnmatch(p, name, f) {
            return true;
        }
        if cmdline {
            let mut i = 0;
            while let Some(k) = memchr::memchr(b'/', &name[i..]) {
                i += k + 1;
                if fnmatch(p, &name[i..], f) {
                    return true;
                }
            }
        }
        false
    })
}

/// Whether --include/--exclude skip a file: as gnulib's excluded_file_name, the last pattern
/// that matches decides; when none does, the file is skipped if the first option was an
/// --include (`--include='a*' --exclude='a*'` skips a, keeps b).
fn skipped_file(o: &Opts, name: &[u8], base: &[u8], cmdline: bool) -> bool {
    let n = if cmdline { name } else { base };
    for (include, p) in o.filters.iter().rev() {
        if glob_match(std::slice::from_ref(p), n, cmdline) {
            return !include;
        }
    }
    o.filters.first().is_some_and(|f| f.0)
}

/// Flush standard output: 0, or 2 (grep's trouble status, also after `--help`) with GNU's
/// `write error` (none for a closed pipe).
fn flush_out(ctx: &mut Ctx) -> i32 {
    match ctx.out.flush() {
        Ok(()) => 0,
        Err(e) => {
            if e.kind() != io::ErrorKind::BrokenPipe {
                let msg = format!("write error: {}", crate::common::ctx::strerror(&e));
                ctx.msg(msg.as_bytes());
            }
            2
        }
    }
}

/// Searches one file (a name, or stdin). Returns (selected, error).
fn grep_file(
    ctx: &mut Ctx,
    run: &mut Run,
    path: Option<&[u8]>,
    shown: &[u8],
    out_st: Option<&sysfd::Stat>,
    cmdline: bool,
) -> (bool, bool) {
    let o = run.o;
    let owned;
    let fd: BorrowedFd = match path {
        None => stdin_fd(),
        Some(p) => {
            // -D skip: a FIFO without a writer must not block the open (GNU: O_NONBLOCK)
            let nb = if o.devices_skip { libc::O_NONBLOCK } else { 0 };
            match sysfd::open(p, libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NOCTTY | nb, 0) {
                Ok(f) => {
                    owned = f;
                    owned.as_fd()
                }
                Err(e) => {
                    file_error(ctx, o, shown, &e);
                    return (false, true);
                }
            }
        }
    };
    grep_open(ctx, run, fd, shown, out_st, cmdline)
}

fn grep_open(
    ctx: &mut Ctx,
    run: &mut Run,
    fd: BorrowedFd,
    shown: &[u8],
    out_st: Option<&sysfd::Stat>,
    cmdline: bool,
) -> (bool, bool) {
    let o = run.o;
    if let Ok(st) = sysfd::fstat(fd) {
        let t = st.st_mode & libc::S_IFMT;
        if t == libc::S_IFDIR && o.dirs == Dirs::Skip {
            return (false, false);
        }
        // standard input is read whatever -D says (GNU)
        if (o.devices_skip || !cmdline)
            && fd.as_raw_fd() != libc::STDIN_FILENO
            && matches!(
                t,
                libc::S_IFCHR | libc::S_IFBLK | libc::S_IFIFO | libc::S_IFSOCK
            )
        {
            return (false, false);
        }
        // A file named on the command line is filtered once it opened (a missing one is an
        // error, as GNU's): a directory by --exclude-dir only, others by --include/--exclude.
        if cmdline && fd.as_raw_fd() != libc::STDIN_FILENO {
            let skip = if t == libc::S_IFDIR {
                !o.exclude_dir.is_empty() && glob_match(&o.exclude_dir, shown, true)
            } else {
                !o.filters.is_empty() && skipped_file(o, shown, shown, true)
            };
            if skip {
                return (false, false);
            }
        }
        // The input is the output: GNU refuses (unless nothing is written).
        if let Some(os) = out_st {
            if t == libc::S_IFREG
                && os.st_ino == st.st_ino
                && os.st_dev == st.st_dev
                && !o.out_quiet
                && o.list == List::None
                && !o.quiet
                && o.max_count > 1
            {
                if !o.no_messages {
                    let mut m = shown.to_vec();
                    m.extend_from_slice(b": input file is also the output");
                    ctx.msg(&m);
                }
                return (false, true);
            }
        }
    }
    let (count, failed) = run.grep_fd(ctx, fd, shown);
    if o.count {
        if o.with_fname {
            run.print_filename(ctx, shown);
            if o.null {
                run.w(ctx, b"\0");
            } else {
                run.print_sep(ctx, b':');
            }
        }
        let s = format!("{count}\n");
        run.w(ctx, s.as_bytes());
        if o.line_buffered {
            let _ = ctx.out.flush();
        }
    }
    let listed = match o.list {
        List::Matching => count > 0,
        List::NonMatching => count == 0,
        List::None => false,
    };
    if listed {
        run.print_filename(ctx, shown);
        run.w(ctx, if o.null { b"\0" } else { b"\n" });
        if o.line_buffered {
            let _ = ctx.out.flush();
        }
    }
    (count > 0, failed)
}

/// -r / -R: the tree under `root` through the walker.
fn grep_tree(
    ctx: &mut Ctx,
    run: &mut Run,
    root: &[u8],
    implicit: bool,
    out_st: Option<&sysfd::Stat>,
) -> (bool, bool) {
    // fts, as GNU's: two or more trailing slashes on a root are one (`d//` lists `d/x`).
    let mut root = root;
    while root.len() > 2 && root.ends_with(b"//") {
        root = &root[..root.len() - 1];
    }
    let o = run.o;
    let follow = if o.follow_all {
        Follow::All
    } else {
        Follow::Roots
    };
    let mut w = Walker::new(WalkOptions {
        follow,
        ..WalkOptions::default()
    });
    let mut matched = false;
    let mut errors = false;
    // The root itself: a plain file is searched as given.
    match sysfd::stat(root) {
        Ok(st) if st.st_mode & libc::S_IFMT != libc::S_IFDIR => {
            return grep_file(ctx, run, Some(root), root, out_st, true);
        }
        Err(e) => {
            file_error(ctx, o, root, &e);
            return (false, true);
        }
        // a directory named on the command line is skipped by --exclude-dir as well (matched
        // like a command-line file name: the whole or any suffix after a `/`)
        _ if !implicit && glob_match(&o.exclude_dir, root, true) => return (false, false),
        _ => {}
    }
    w.walk(sysfd::cwd(), root, |e, v| {
        if run.stop || run.write_err.is_some() {
            return Action::Stop;
        }
        let path = e.path();
        let shown: &[u8] = if implicit {
            path.strip_prefix(b"./").unwrap_or(path)
        } else {
            path
        };
        match v {
            Visit::Pre => {
                if e.depth() > 0
                    && !o.exclude_dir.is_empty()
                    && glob_match(&o.exclude_dir, e.name(), false)
                {
                    return Action::Skip;
                }
                Action::Continue
            }
            Visit::Leaf => {
                let dt = e.dtype();
                // Symlinks not followed (-r below the roots) are skipped, as GNU does.
                let is_link = dt == libc::DT_LNK
                    || (dt == libc::DT_UNKNOWN
                        && e.stat()
                            .is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFLNK));
                // (-R follows them all: a dangling one is then an error, as GNU's open)
                if is_link && !e.follows() && !o.follow_all {
                    return Action::Continue;
                }
                if !o.filters.is_empty() && skipped_file(o, path, e.name(), e.depth() == 0) {
                    return Action::Continue;
                }
                let fd = match sysfd::openat(
                    e.parent(),
                    e.name(),
                    libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NOCTTY | libc::O_NONBLOCK,
                    0,
                ) {
                    Ok(f) => f,
                    Err(err) => {
                        file_error(ctx, o, shown, &err);
                        errors = true;
                        return Action::Continue;
                    }
                };
                let shown = shown.to_vec();
                let r = grep_open(ctx, run, fd.as_fd(), &shown, out_st, false);
                matched |= r.0;
                errors |= r.1;
                if run.stop || run.write_err.is_some() {
                    return Action::Stop;
                }
                Action::Continue
            }
            Visit::Error(op, err) => {
                let _ = op;
                if err.raw_os_error() == Some(libc::ELOOP) {
                    if !o.no_messages {
                        let mut m = shown.to_vec();
                        m.extend_from_slice(b": warning: recursive directory loop");
                        ctx.msg(&m);
                    }
                    return Action::Continue;
                }
                file_error(ctx, o, shown, &err);
                errors = true;
                Action::Continue
            }
            _ => Action::Continue,
        }
    });
    (matched, errors)
}
