//! `sort`: sort, merge or check lines of text files.
//!
//! Follows GNU sort 9 in the C locale (rbox is a C-locale tool: bytes compare as unsigned
//! chars, whatever LANG says): `-b -d -f -g -h -i -M -n -R -r -V` globally and per key, `-k
//! POS1[,POS2]` with `.CHAR` offsets and GNU's field rules (leading blanks belong to a field
//! unless `b`), `-t`, `-s`, `-u` (the first of a run of equal keys), `-c`/`-C`/`--check=`,
//! `-m`, `-o` (may name an input: everything is read first), `-z`, `-S`, `-T`, `--parallel`,
//! `--batch-size`, `--files0-from`, `--sort=WORD`, `--random-source`; the last-resort byte
//! comparison unless `-s` or `-u`; GNU's messages and status 2 for trouble, 1 for disorder.
//!
//! How: all input goes into one buffer; each line is 16 bytes (an 8-byte order-preserving
//! prefix of its first key, offset, length), sorted on up to 8 threads, the sorted parts merged
//! as they are written. Past the memory bound (`-S`, default an eighth of RAM, at least 64 MiB)
//! sorted runs go to temporary files in `-T`/`$TMPDIR`/`/tmp` (unlinked as soon as they are
//! open, so nothing is left behind), merged 16 at a time (`--batch-size`) as they pile up and
//! at the end. Short of descriptors, `-m` merges the inputs it could open into a run and goes on
//! (GNU's way), and runs pile up only to what the limit leaves.
//!
//! `-g` compares numbers as GNU's `long double`s (x87 in software when a double is not enough).
//!
//! Deviations: `-R` uses its own keyed hash
//! (GNU's MD5 order cannot be reproduced anyway: the seed is random); `--debug` and
//! `--compress-program` are not implemented.

use std::cmp::Ordering;

use crate::common::vercmp::filevercmp;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::os::fd::AsFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::help::{help_text, Help};
use crate::common::quote::{quote_always, quote_if_needed, quote_locale};
use crate::common::sys::fd as sysfd;
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage: sort [OPTION]... [FILE]...
  or:  sort [OPTION]... --files0-from=F
Write sorted concatenation of all FILE(s) to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
Ordering options:

  -b, --ignore-leading-blanks  ignore leading blanks
  -d, --dictionary-order      consider only blanks and alphanumeric characters
  -f, --ignore-case           fold lower case to upper case characters
  -g, --general-numeric-sort  compare according to general numerical value
  -i, --ignore-nonprinting    consider only printable characters
  -M, --month-sort            compare (unknown) < 'JAN' < ... < 'DEC'
  -h, --human-numeric-sort    compare human readable numbers (e.g., 2K 1G)
  -n, --numeric-sort          compare according to string numerical value
  -R, --random-sort           shuffle, but group identical keys
      --random-source=FILE    get random bytes from FILE
  -r, --reverse               reverse the result of comparisons
      --sort=WORD             sort according to WORD:
                                general-numeric -g, human-numeric -h, month -M,
                                numeric -n, random -R, version -V
  -V, --version-sort          natural sort of (version) numbers within text

Other options:

      --batch-size=NMERGE   merge at most NMERGE inputs at once;
                            for more use temp files
  -c, --check, --check=diagnose-first  check for sorted input; do not sort
  -C, --check=quiet, --check=silent  like -c, but do not report first bad line
      --files0-from=F       read input from the files specified by
                            NUL-terminated names in file F;
                            If F is - then read names from standard input
  -k, --key=KEYDEF          sort via a key; KEYDEF gives location and type
  -m, --merge               merge already sorted files; do not sort
  -o, --output=FILE         write result to FILE instead of standard output
  -s, --stable              stabilize sort by disabling last-resort comparison
  -S, --buffer-size=SIZE    use SIZE for main memory buffer
  -t, --field-separator=SEP  use SEP instead of non-blank to blank transition
  -T, --temporary-directory=DIR  use DIR for temporaries, not $TMPDIR or /tmp;
                              multiple options specify multiple directories
      --parallel=N          change the number of sorts run concurrently to N
  -u, --unique              with -c, check for strict ordering;
                              without -c, output only the first of an equal run
  -z, --zero-terminated     line delimiter is NUL, not newline
      --help        display this help and exit
      --version     output version information and exit

KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position, where F is a
field number and C a character position in the field; both are origin 1, and
the stop position defaults to the line's end.  If neither -t nor -b is in
effect, characters in a field are counted from the beginning of the preceding
whitespace.  OPTS is one or more single-letter ordering options [bdfgiMhnRrV],
which override global ordering options for that key.  If no key is given, use
the entire line as the key.

SIZE may be followed by the following multiplicative suffixes:
% 1% of memory, b 1, K 1024 (default), and so on for M, G, T, P, E, Z, Y.

rbox sort compares bytes in the C locale.
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("b", Some(b'b'), Some("ignore-leading-blanks")),
        Opt::optional("check", None, Some("check")),
        Opt::arg("compress-program", None, Some("compress-program")),
        Opt::flag("d", Some(b'd'), Some("dictionary-order")),
        Opt::flag("f", Some(b'f'), Some("ignore-case")),
        Opt::arg("files0-from", None, Some("files0-from")),
        Opt::flag("g", Some(b'g'), Some("general-numeric-sort")),
        Opt::flag("i", Some(b'i'), Some("ignore-nonprinting")),
        Opt::arg("k", Some(b'k'), Some("key")),
        Opt::flag("m", Some(b'm'), Some("merge")),
        Opt::flag("M", Some(b'M'), Some("month-sort")),
        Opt::flag("n", Some(b'n'), Some("numeric-sort")),
        Opt::flag("h", Some(b'h'), Some("human-numeric-sort")),
        Opt::flag("V", Some(b'V'), Some("version-sort")),
        Opt::flag("R", Some(b'R'), Some("random-sort")),
        Opt::arg("random-source", None, Some("random-source")),
        Opt::arg("sort", None, Some("sort")),
        Opt::arg("o", Some(b'o'), Some("output")),
        Opt::flag("r", Some(b'r'), Some("reverse")),
        Opt::flag("s", Some(b's'), Some("stable")),
        Opt::arg("batch-size", None, Some("batch-size")),
        Opt::arg("S", Some(b'S'), Some("buffer-size")),
        Opt::arg("t", Some(b't'), Some("field-separator")),
        Opt::arg("T", Some(b'T'), Some("temporary-directory")),
        Opt::flag("u", Some(b'u'), Some("unique")),
        Opt::flag("z", Some(b'z'), Some("zero-terminated")),
        Opt::arg("parallel", None, Some("parallel")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
        Opt::flag("c", Some(b'c'), None),
        Opt::flag("C", Some(b'C'), None),
        Opt::arg("y", Some(b'y'), None),
    ],
    USAGE,
)
.code(2);

// ------------------------------------------------------------------ keys and comparison

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ignore {
    None,
    /// -d: keep only blanks and alphanumerics.
    Dict,
    /// -i: keep only printable characters.
    Print,
}

#[derive(Clone, Copy, Debug)]
struct Key {
    /// Field and character of the start (0-based); `usize::MAX` words: the line's start.
    sword: usize,
    schar: usize,
    /// Field and character of the end; `usize::MAX` words: the line's end.
    eword: usize,
    echar: usize,
    skipsblanks: bool,
    skipeblanks: bool,
    ignore: Ignore,
    translate: bool,
    numeric: bool,
    general: bool,
    human: bool,
    month: bool,
    version: bool,
    random: bool,
    reverse: bool,
}

impl Key {
    const fn new() -> Key {
        Key {
            sword: usize::MAX,
            schar: 0,
            eword: usize::MAX,
            echar: 0,
            skipsblanks: false,
            skipeblanks: false,
            ignore: Ignore::None,
            translate: false,
            numeric: false,
            general: false,
            human: false,
            month: false,
            version: false,
            random: false,
            reverse: false,
        }
    }

    /// GNU's default_key_compare: no ordering option at all (reverse aside).
    fn is_default(&self) -> bool {
        !(self.ignore != Ignore::None
            || self.translate
            || self.skipsblanks
            || self.skipeblanks
            || self.month
            || self.numeric
            || self.general
            || self.human
            || self.version
            || self.random)
    }

    fn inherit(&mut self, g: &Key) {
        self.ignore = g.ignore;
        self.translate = g.translate;
        self.skipsblanks = g.skipsblanks;
        self.skipeblanks = g.skipeblanks;
        self.month = g.month;
        self.numeric = g.numeric;
        self.general = g.general;
        self.human = g.human;
        self.version = g.version;
        self.random = g.random;
        self.reverse = g.reverse;
    }

    /// GNU's key_to_opts letters.
    fn opts(&self) -> String {
        let mut s = String::new();
        let flags = [
            (self.skipsblanks || self.skipeblanks, 'b'),
            (self.ignore == Ignore::Dict, 'd'),
            (self.translate, 'f'),
            (self.general, 'g'),
            (self.human, 'h'),
            (self.ignore == Ignore::Print, 'i'),
            (self.month, 'M'),
            (self.numeric, 'n'),
            (self.random, 'R'),
            (self.reverse, 'r'),
            (self.version, 'V'),
        ];
        for (on, c) in flags {
            if on {
                s.push(c);
            }
        }
        s
    }

    fn special(&self) -> bool {
        self.numeric || self.general || self.human || self.month || self.version || self.random
    }

    /// Set one ordering letter; false if it is not one.
    fn set(&mut self, c: u8, end: bool) -> bool {
        match c {
            b'b' => {
                if end {
                    self.skipeblanks = true
                } else {
                    self.skipsblanks = true
                }
            }
            b'd' => self.ignore = Ignore::Dict,
            b'f' => self.translate = true,
            b'g' => self.general = true,
            b'h' => self.human = true,
            b'i' => {
                // -d wins over -i, as GNU's "if (! key->ignore)".
                if self.ignore == Ignore::None {
                    self.ignore = Ignore::Print
                }
            }
            b'M' => self.month = true,
            b'n' => self.numeric = true,
            b'R' => self.random = true,
            b'r' => self.reverse = true,
            b'V' => self.version = true,
            _ => return false,
        }
        true
    }
}

#[inline]
fn blank(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\n'
}

fn ignored(ig: Ignore, c: u8) -> bool {
    match ig {
        Ignore::None => false,
        Ignore::Dict => !(c.is_ascii_alphanumeric() || blank(c)),
        Ignore::Print => !(0x20..0x7f).contains(&c),
    }
}

/// Everything a comparison needs (shared by the sorting threads).
struct Conf {
    keys: Vec<Key>,
    tab: Option<u8>,
    reverse: bool,
    stable: bool,
    unique: bool,
    seed: [u64; 2],
    /// The first key (or the whole line) allows an 8-byte order-preserving prefix.
    prefix: Prefix,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prefix {
    None,
    Text { translate: bool, reverse: bool },
    Num { reverse: bool },
}

impl Conf {
    fn begfield(&self, line: &[u8], key: &Key) -> usize {
        let lim = line.len();
        let mut p = 0;
        let mut sword = key.sword;
        match self.tab {
            Some(t) => {
                while p < lim && sword > 0 {
                    sword -= 1;
                    while p < lim && line[p] != t {
                        p += 1;
                    }
                    if p < lim {
                        p += 1;
                    }
                }
            }
            None => {
                while p < lim && sword > 0 {
                    sword -= 1;
                    while p < lim && blank(line[p]) {
                        p += 1;
                    }
                    while p < lim && !blank(line[p]) {
                        p += 1;
                    }
                }
            }
        }
        if key.skipsblanks {
            while p < lim && blank(line[p]) {
                p += 1;
            }
        }
        lim.min(p.saturating_add(key.schar))
    }

    fn limfield(&self, line: &[u8], key: &Key) -> usize {
        let lim = line.len();
        let mut p = 0;
        let mut eword = key.eword;
        let echar = key.echar;
        if echar == 0 {
            eword += 1;
        }
        match self.tab {
            Some(t) => {
                while p < lim && eword > 0 {
                    eword -= 1;
                    while p < lim && line[p] != t {
                        p += 1;
                    }
                    if p < lim && (eword > 0 || echar > 0) {
                        p += 1;
                    }
                }
            }
            None => {
                while p < lim && eword > 0 {
                    eword -= 1;
                    while p < lim && blank(line[p]) {
                        p += 1;
                    }
                    while p < lim && !blank(line[p]) {
                        p += 1;
                    }
                }
            }
        }
        if echar != 0 {
            if key.skipeblanks {
                while p < lim && blank(line[p]) {
                    p += 1;
                }
            }
            p = lim.min(p.saturating_add(echar));
        }
        p
    }

    /// The bytes of `key` in `line`.
    #[inline]
    fn field<'a>(&self, line: &'a [u8], key: &Key) -> &'a [u8] {
        let lim = if key.eword == usize::MAX {
            line.len()
        } else {
            self.limfield(line, key)
        };
        let beg = if key.sword != usize::MAX {
            self.begfield(line, key)
        } else {
            let mut b = 0;
            if key.skipsblanks {
                while b < lim && blank(line[b]) {
                    b += 1;
                }
            }
            b
        };
        &line[beg..lim.max(beg)]
    }

    fn keycompare(&self, a: &[u8], b: &[u8]) -> Ordering {
        for key in &self.keys {
            let ka = self.field(a, key);
            let kb = self.field(b, key);
            let d = self.compare_key(ka, kb, key);
            if d != Ordering::Equal {
                return if key.reverse { d.reverse() } else { d };
            }
        }
        Ordering::Equal
    }

    fn compare_key(&self, ka: &[u8], kb: &[u8], key: &Key) -> Ordering {
        if key.special() {
            if key.ignore != Ignore::None || key.translate {
                let t = |k: &[u8]| -> Vec<u8> {
                    k.iter()
                        .filter(|&&c| !ignored(key.ignore, c))
                        .map(|&c| {
                            if key.translate {
                                c.to_ascii_uppercase()
                            } else {
                                c
                            }
                        })
                        .collect()
                };
                return self.special_compare(&t(ka), &t(kb), key);
            }
            return self.special_compare(ka, kb, key);
        }
        if key.ignore != Ignore::None || key.translate {
            let (mut i, mut j) = (0, 0);
            let tr = |c: u8| {
                if key.translate {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            };
            loop {
                while i < ka.len() && ignored(key.ignore, ka[i]) {
                    i += 1;
                }
                while j < kb.len() && ignored(key.ignore, kb[j]) {
                    j += 1;
                }
                if i >= ka.len() || j >= kb.len() {
                    break;
                }
                let d = tr(ka[i]).cmp(&tr(kb[j]));
                if d != Ordering::Equal {
                    return d;
                }
                i += 1;
                j += 1;
            }
            return (i < ka.len()).cmp(&(j < kb.len()));
        }
        ka.cmp(kb)
    }

    fn special_compare(&self, a: &[u8], b: &[u8], key: &Key) -> Ordering {
        if key.numeric {
            numcompare(skip_blanks(a), skip_blanks(b))
        } else if key.general {
            general_numcompare(a, b)
        } else if key.human {
            let (a, b) = (skip_blanks(a), skip_blanks(b));
            unit_order(a)
                .cmp(&unit_order(b))
                .then_with(|| numcompare(a, b))
        } else if key.month {
            month(a).cmp(&month(b))
        } else if key.random {
            let ha = hash(self.seed, a);
            let hb = hash(self.seed, b);
            ha.cmp(&hb).then_with(|| a.cmp(b))
        } else {
            filevercmp(a, b)
        }
    }

    /// GNU's compare(): keys, then the whole line unless -s or -u.
    #[inline]
    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        if !self.keys.is_empty() {
            let d = self.keycompare(a, b);
            if d != Ordering::Equal || self.unique || self.stable {
                return d;
            }
        }
        let d = a.cmp(b);
        if self.reverse {
            d.reverse()
        } else {
            d
        }
    }

    /// The 8-byte prefix of a line's first key: pa < pb implies compare(a, b) == Less.
    fn prefix(&self, line: &[u8]) -> u64 {
        match self.prefix {
            Prefix::None => 0,
            Prefix::Text { translate, reverse } => {
                let k = match self.keys.first() {
                    Some(key) => self.field(line, key),
                    None => line,
                };
                let mut p = [0u8; 8];
                let n = k.len().min(8);
                p[..n].copy_from_slice(&k[..n]);
                if translate {
                    p.make_ascii_uppercase();
                }
                let v = u64::from_be_bytes(p);
                if reverse {
                    !v
                } else {
                    v
                }
            }
            Prefix::Num { reverse } => {
                let k = match self.keys.first() {
                    Some(key) => self.field(line, key),
                    None => line,
                };
                let v = num_prefix(skip_blanks(k));
                if reverse {
                    !v
                } else {
                    v
                }
            }
        }
    }
}

fn skip_blanks(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| blank(c)).count();
    &s[n..]
}

/// A monotone map of a `-n` number to u64 by its integer part (the fraction left to the full
/// comparison): (-1, 1) share the middle value, larger magnitudes saturate at 2^62.
fn num_prefix(s: &[u8]) -> u64 {
    const MID: u64 = 1 << 63;
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let mut v: u64 = 0;
    let mut n = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            break;
        }
        n += 1;
        if n <= 19 {
            v = v * 10 + (c - b'0') as u64;
        }
    }
    if n > 19 {
        v = 1 << 62;
    }
    let v = v.min(1 << 62);
    if neg {
        MID - v
    } else {
        MID + v
    }
}

#[inline]
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

fn fraccompare(a: &[u8], b: &[u8]) -> Ordering {
    // a and b start at their decimal point (or not), as GNU's fraccompare.
    let (mut i, mut j) = (0, 0);
    let sign = |x: bool, neg: bool| {
        if !x {
            Ordering::Equal
        } else if neg {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    };
    if at(a, 0) == b'.' && at(b, 0) == b'.' {
        loop {
            i += 1;
            j += 1;
            if at(a, i) != at(b, j) {
                break;
            }
            if !at(a, i).is_ascii_digit() {
                return Ordering::Equal;
            }
        }
        let (ca, cb) = (at(a, i), at(b, j));
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            return ca.cmp(&cb);
        }
        if ca.is_ascii_digit() {
            while at(a, i) == b'0' {
                i += 1;
            }
            return sign(at(a, i).is_ascii_digit(), false);
        }
        if cb.is_ascii_digit() {
            while at(b, j) == b'0' {
                j += 1;
            }
            return sign(at(b, j).is_ascii_digit(), true);
        }
        return Ordering::Equal;
    }
    if at(a, 0) == b'.' {
        i = 1;
        while at(a, i) == b'0' {
            i += 1;
        }
        return sign(at(a, i).is_ascii_digit(), false);
    }
    if at(b, 0) == b'.' {
        j = 1;
        while at(b, j) == b'0' {
            j += 1;
        }
        return sign(at(b, j).is_ascii_digit(), true);
    }
    Ordering::Equal
}

/// gnulib's strnumcmp in the C locale (decimal point '.', no thousands separator).
fn numcompare(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0usize, 0usize);
    let digit = |s: &[u8], k: usize| at(s, k).is_ascii_digit();
    let ord = |x: i32| x.cmp(&0);
    if at(a, 0) == b'-' {
        loop {
            i += 1;
            if at(a, i) != b'0' {
                break;
            }
        }
        if at(b, 0) != b'-' {
            if at(a, i) == b'.' {
                loop {
                    i += 1;
                    if at(a, i) != b'0' {
                        break;
                    }
                }
            }
            if digit(a, i) {
                return Ordering::Less;
            }
            while at(b, j) == b'0' {
                j += 1;
            }
            if at(b, j) == b'.' {
                loop {
                    j += 1;
                    if at(b, j) != b'0' {
                        break;
                    }
                }
            }
            return if digit(b, j) {
                Ordering::Less
            } else {
                Ordering::Equal
            };
        }
        loop {
            j += 1;
            if at(b, j) != b'0' {
                break;
            }
        }
        while at(a, i) == at(b, j) && digit(a, i) {
            i += 1;
            j += 1;
        }
        let (ca, cb) = (at(a, i), at(b, j));
        if (ca == b'.' && !cb.is_ascii_digit()) || (cb == b'.' && !ca.is_ascii_digit()) {
            return fraccompare(&b[j..], &a[i..]);
        }
        let tmp = cb as i32 - ca as i32;
        let mut la = 0;
        while digit(a, i) {
            i += 1;
            la += 1;
        }
        let mut lb = 0;
        while digit(b, j) {
            j += 1;
            lb += 1;
        }
        if la != lb {
            return if la < lb {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        if la == 0 {
            return Ordering::Equal;
        }
        return ord(tmp);
    }
    if at(b, 0) == b'-' {
        loop {
            j += 1;
            if at(b, j) != b'0' {
                break;
            }
        }
        if at(b, j) == b'.' {
            loop {
                j += 1;
                if at(b, j) != b'0' {
                    break;
                }
            }
        }
        if digit(b, j) {
            return Ordering::Greater;
        }
        while at(a, i) == b'0' {
            i += 1;
        }
        if at(a, i) == b'.' {
            loop {
                i += 1;
                if at(a, i) != b'0' {
                    break;
                }
            }
        }
        return if digit(a, i) {
            Ordering::Greater
        } else {
            Ordering::Equal
        };
    }
    while at(a, i) == b'0' {
        i += 1;
    }
    while at(b, j) == b'0' {
        j += 1;
    }
    while at(a, i) == at(b, j) && digit(a, i) {
        i += 1;
        j += 1;
    }
    let (ca, cb) = (at(a, i), at(b, j));
    if (ca == b'.' && !cb.is_ascii_digit()) || (cb == b'.' && !ca.is_ascii_digit()) {
        return fraccompare(&a[i.min(a.len())..], &b[j.min(b.len())..]);
    }
    let tmp = ca as i32 - cb as i32;
    let mut la = 0;
    while digit(a, i) {
        i += 1;
        la += 1;
    }
    let mut lb = 0;
    while digit(b, j) {
        j += 1;
        lb += 1;
    }
    if la != lb {
        return la.cmp(&lb);
    }
    if la == 0 {
        return Ordering::Equal;
    }
    ord(tmp)
}

/// -g: GNU compares strtold's long doubles. A double orders numbers of at most 15 significant
/// decimal digits in its normal range (or zero) as a long double does, so those are compared
/// as doubles; any other pair is read as x87 long doubles (`common::x87`).
fn general_numcompare(a: &[u8], b: &[u8]) -> Ordering {
    let (x, na, ra) = crate::common::num::strtod_range(a);
    let (y, nb, rb) = crate::common::num::strtod_range(b);
    if na == 0 {
        return if nb == 0 {
            Ordering::Equal
        } else {
            Ordering::Less
        };
    }
    if nb == 0 {
        return Ordering::Greater;
    }
    let o = if double_enough(&a[..na], x, ra) && double_enough(&b[..nb], y, rb) {
        x.partial_cmp(&y)
    } else {
        use crate::common::x87;
        x87::compare(x87::parse(a).0, x87::parse(b).0)
    };
    match o {
        Some(o) => o,
        // NaNs after the non-numbers, before the numbers.
        None => {
            if !y.is_nan() {
                Ordering::Less
            } else if !x.is_nan() {
                Ordering::Greater
            } else {
                x.to_bits().cmp(&y.to_bits())
            }
        }
    }
}

/// Whether the double `v` read from `text` orders as its long double would.
fn double_enough(text: &[u8], v: f64, out_of_range: bool) -> bool {
    if out_of_range || !(v == 0.0 || v.is_normal() || v.is_infinite() || v.is_nan()) {
        return false;
    }
    let mut sig = 0;
    for &c in text {
        match c {
            b'x' | b'X' => return false,
            b'e' | b'E' => break,
            b'0' if sig == 0 => {}
            b'0'..=b'9' => sig += 1,
            _ => {}
        }
    }
    sig <= 15
}

/// GNU's find_unit_order for -h (C locale).
fn unit_order(s: &[u8]) -> i32 {
    let neg = at(s, 0) == b'-';
    let mut p = neg as usize;
    let mut nonzero = false;
    while at(s, p).is_ascii_digit() {
        nonzero |= at(s, p) != b'0';
        p += 1;
    }
    if at(s, p) == b'.' {
        p += 1;
        while at(s, p).is_ascii_digit() {
            nonzero |= at(s, p) != b'0';
            p += 1;
        }
    }
    if !nonzero {
        return 0;
    }
    let o = match at(s, p) {
        b'K' | b'k' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        b'Z' => 7,
        b'Y' => 8,
        _ => 0,
    };
    if neg {
        -o
    } else {
        o
    }
}

fn month(s: &[u8]) -> u8 {
    const M: [&[u8; 3]; 12] = [
        b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV",
        b"DEC",
    ];
    let s = skip_blanks(s);
    if s.len() < 3 {
        return 0;
    }
    let u = [
        s[0].to_ascii_uppercase(),
        s[1].to_ascii_uppercase(),
        s[2].to_ascii_uppercase(),
    ];
    M.iter().position(|m| **m == u).map_or(0, |i| i as u8 + 1)
}

fn hash(seed: [u64; 2], s: &[u8]) -> u64 {
    let mut h = seed[0] ^ 0xcbf2_9ce4_8422_2325;
    for &c in s {
        h = (h ^ c as u64).wrapping_mul(0x100_0000_01b3);
    }
    h ^= seed[1];
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

// ------------------------------------------------------------------ command line

enum Check {
    No,
    Diagnose,
    Quiet,
}

struct Opts {
    conf: Conf,
    check: Check,
    check_char: u8,
    merge: bool,
    output: Option<OsString>,
    delim: u8,
    mem: Option<usize>,
    tmpdirs: Vec<OsString>,
    threads: usize,
    nmerge: usize,
    files: Vec<OsString>,
}

fn bad_usage(ctx: &mut Ctx, msg: &[u8]) -> Error {
    ctx.msg(msg);
    Error::silent(2)
}

fn badfieldspec(ctx: &mut Ctx, spec: &[u8], msg: &str) -> Error {
    let mut m = msg.as_bytes().to_vec();
    m.extend_from_slice(b": invalid field specification ");
    m.extend_from_slice(&quote_locale(spec));
    bad_usage(ctx, &m)
}

/// xstrtoumax of a field count: digits (saturating), or the "invalid count" complaint.
fn field_count<'a>(ctx: &mut Ctx, s: &'a [u8], what: &str) -> Result<(usize, &'a [u8])> {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        let mut m = what.as_bytes().to_vec();
        m.extend_from_slice(b": invalid count at start of ");
        m.extend_from_slice(&quote_locale(s));
        return Err(bad_usage(ctx, &m));
    }
    let mut v: usize = 0;
    for &c in &s[..n] {
        v = v.saturating_mul(10).saturating_add((c - b'0') as usize);
    }
    Ok((v, &s[n..]))
}

fn parse_key(ctx: &mut Ctx, spec: &[u8]) -> Result<Key> {
    let mut key = Key::new();
    let (sword, rest) = field_count(ctx, spec, "invalid number at field start")?;
    if sword == 0 {
        return Err(badfieldspec(ctx, spec, "field number is zero"));
    }
    key.sword = sword - 1;
    let mut s = rest;
    key.schar = 0;
    if s.first() == Some(&b'.') {
        let (c, rest) = field_count(ctx, &s[1..], "invalid number after '.'")?;
        if c == 0 {
            return Err(badfieldspec(ctx, spec, "character offset is zero"));
        }
        key.schar = c - 1;
        s = rest;
    }
    if key.sword == 0 && key.schar == 0 {
        key.sword = usize::MAX;
    }
    while let Some(&c) = s.first() {
        if !key.set(c, false) {
            break;
        }
        s = &s[1..];
    }
    if s.first() != Some(&b',') {
        key.eword = usize::MAX;
        key.echar = 0;
    } else {
        let (e, rest) = field_count(ctx, &s[1..], "invalid number after ','")?;
        if e == 0 {
            return Err(badfieldspec(ctx, spec, "field number is zero"));
        }
        key.eword = e - 1;
        s = rest;
        if s.first() == Some(&b'.') {
            let (c, rest) = field_count(ctx, &s[1..], "invalid number after '.'")?;
            key.echar = c;
            s = rest;
        }
        while let Some(&c) = s.first() {
            if !key.set(c, true) {
                break;
            }
            s = &s[1..];
        }
    }
    if !s.is_empty() {
        return Err(badfieldspec(ctx, spec, "stray character in field spec"));
    }
    Ok(key)
}

/// `--batch-size=N`: 2 up to the descriptor limit less the three standard ones, GNU's
/// bounds and messages (merging is capped at 1024 inputs a pass whatever N is).
fn batch_size(ctx: &mut Ctx, val: &[u8]) -> Result<usize> {
    let t = val.trim_ascii_start();
    let digits = t.strip_prefix(b"+").unwrap_or(t);
    let mut msg = b"invalid --batch-size argument ".to_vec();
    msg.extend_from_slice(&quote_locale(val));
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad_usage(ctx, &msg));
    }
    let n = std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse::<u32>().ok());
    if n.is_some_and(|n| n < 2) {
        ctx.msg(&msg);
        return Err(bad_usage(ctx, b"minimum --batch-size argument is '2'"));
    }
    let lim = fd_limit();
    // GNU keeps the maximum in an unsigned int.
    let max = lim.wrapping_sub(3) as u32;
    match n {
        Some(n) if n <= max => Ok((n as usize).min(1024)),
        _ => {
            let mut m = b"--batch-size argument ".to_vec();
            m.extend_from_slice(&quote_locale(val));
            m.extend_from_slice(b" too large");
            ctx.msg(&m);
            let m = format!("maximum --batch-size argument with current rlimit is {max}");
            Err(bad_usage(ctx, m.as_bytes()))
        }
    }
}

fn physmem() -> u64 {
    std::fs::read("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let s = String::from_utf8_lossy(&m).into_owned();
            let l = s.lines().find(|l| l.starts_with("MemTotal:"))?.to_string();
            let kb: u64 = l.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024)
        })
        .unwrap_or(1 << 30)
}

/// `-S SIZE`: digits and a suffix (K by default), `%` of memory, `b` bytes.
fn parse_size(s: &[u8]) -> Option<usize> {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let v: u64 = std::str::from_utf8(&s[..n]).ok()?.parse().ok()?;
    let mult: u64 = match &s[n..] {
        b"" | b"k" | b"K" => 1 << 10,
        b"b" => 1,
        b"%" => return Some((physmem() / 100).saturating_mul(v) as usize),
        b"M" | b"m" => 1 << 20,
        b"G" | b"g" => 1 << 30,
        b"T" | b"t" => 1 << 40,
        b"P" | b"p" => 1 << 50,
        b"E" | b"e" => 1 << 60,
        b"Z" | b"z" | b"Y" | b"y" => u64::MAX,
        _ => return None,
    };
    Some(v.saturating_mul(mult).min(usize::MAX as u64) as usize)
}

fn options(ctx: &mut Ctx, argv: &[OsString]) -> Result<Option<Opts>> {
    let Some(m) = args::get(ctx, argv, &SPEC)? else {
        return Ok(None);
    };
    let mut g = Key::new();
    let mut keys = Vec::new();
    let mut o = Opts {
        conf: Conf {
            keys: Vec::new(),
            tab: None,
            reverse: false,
            stable: false,
            unique: false,
            seed: [0, 0],
            prefix: Prefix::None,
        },
        check: Check::No,
        check_char: b'c',
        merge: false,
        output: None,
        delim: b'\n',
        mem: None,
        tmpdirs: Vec::new(),
        threads: 8,
        nmerge: 16,
        files: m.operands.clone(),
    };
    let mut random_source = None;
    let mut files0 = None;
    for (id, v) in &m.opts {
        let val = v.as_ref().map(|v| v.as_bytes()).unwrap_or(b"");
        match Id::of(id.as_bytes()) {
            Some(Id::B) | Some(Id::D) | Some(Id::F) | Some(Id::G) | Some(Id::I)
            | Some(Id::CapM) | Some(Id::N) | Some(Id::H) | Some(Id::CapV) | Some(Id::CapR)
            | Some(Id::R) => {
                g.set(id.as_bytes()[0], false);
                if *id == "b" {
                    g.skipeblanks = true;
                }
            }
            Some(Id::Sort) => {
                let c = match val {
                    b"general-numeric" => b'g',
                    b"human-numeric" => b'h',
                    b"month" => b'M',
                    b"numeric" => b'n',
                    b"random" => b'R',
                    b"version" => b'V',
                    _ => {
                        let mut msg = b"invalid argument ".to_vec();
                        msg.extend_from_slice(&quote_locale(val));
                        msg.extend_from_slice(b" for '--sort'\nValid arguments are:\n  - 'general-numeric'\n  - 'human-numeric'\n  - 'month'\n  - 'numeric'\n  - 'random'\n  - 'version'");
                        ctx.msg(&msg);
                        ctx.try_help();
                        return Err(Error::silent(1));
                    }
                };
                g.set(c, false);
            }
            Some(Id::Check) | Some(Id::C) | Some(Id::CapC) => {
                let (c, ch) = match (*id, val) {
                    ("c", _) => (Check::Diagnose, b'c'),
                    ("C", _) => (Check::Quiet, b'C'),
                    (_, b"") if v.is_none() => (Check::Diagnose, b'c'),
                    (_, b"diagnose-first") => (Check::Diagnose, b'c'),
                    (_, b"quiet") | (_, b"silent") => (Check::Quiet, b'C'),
                    _ => {
                        let mut msg = b"invalid argument ".to_vec();
                        msg.extend_from_slice(&quote_locale(val));
                        msg.extend_from_slice(b" for '--check'\nValid arguments are:\n  - 'quiet', 'silent'\n  - 'diagnose-first'");
                        ctx.msg(&msg);
                        ctx.try_help();
                        return Err(Error::silent(1));
                    }
                };
                o.check = c;
                o.check_char = ch;
            }
            Some(Id::CompressProgram) => {}
            Some(Id::Files0From) => files0 = Some(val.to_vec()),
            Some(Id::K) => keys.push(parse_key(ctx, val)?),
            Some(Id::M) => o.merge = true,
            Some(Id::RandomSource) => random_source = Some(val.to_vec()),
            Some(Id::O) => {
                if let Some(prev) = &o.output {
                    if prev.as_bytes() != val {
                        return Err(bad_usage(ctx, b"multiple output files specified"));
                    }
                }
                o.output = Some(OsString::from_vec(val.to_vec()));
            }
            Some(Id::S) => o.conf.stable = true,
            Some(Id::BatchSize) => o.nmerge = batch_size(ctx, val)?,
            Some(Id::CapS) => match parse_size(val) {
                Some(n) => o.mem = Some(n),
                None => {
                    let mut msg = b"invalid -S argument ".to_vec();
                    msg.extend_from_slice(&quote_locale(val));
                    return Err(bad_usage(ctx, &msg));
                }
            },
            Some(Id::T) => {
                let t = if val.is_empty() {
                    return Err(bad_usage(ctx, b"empty tab"));
                } else if val.len() == 1 {
                    val[0]
                } else if val == b"\\0" {
                    0
                } else {
                    let mut msg = b"multi-character tab ".to_vec();
                    msg.extend_from_slice(&quote_locale(val));
                    return Err(bad_usage(ctx, &msg));
                };
                if o.conf.tab.is_some_and(|p| p != t) {
                    return Err(bad_usage(ctx, b"incompatible tabs"));
                }
                o.conf.tab = Some(t);
            }
            Some(Id::CapT) => o.tmpdirs.push(OsString::from_vec(val.to_vec())),
            Some(Id::U) => o.conf.unique = true,
            Some(Id::Z) => o.delim = 0,
            Some(Id::Parallel) => {
                match std::str::from_utf8(val)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                {
                    Some(0) => return Err(bad_usage(ctx, b"number in parallel must be nonzero")),
                    Some(n) => o.threads = n.min(64) as usize,
                    None => {
                        let mut msg = b"invalid --parallel argument ".to_vec();
                        msg.extend_from_slice(&quote_locale(val));
                        return Err(bad_usage(ctx, &msg));
                    }
                }
            }
            Some(Id::Version) => {
                ctx.out.write_all(
                    concat!("sort (rbox) ", env!("CARGO_PKG_VERSION"), "\n").as_bytes(),
                )?;
                return Ok(None);
            }
            _ => {}
        }
    }
    // Keys without ordering options take the global ones.
    for k in &mut keys {
        if k.is_default() && !k.reverse {
            k.inherit(&g);
        }
    }
    if keys.is_empty() && !g.is_default() {
        keys.push(g);
    }
    // As GNU, only the keys in use are checked (global options that no key inherits are not),
    // and the message leaves out -b and -r, which combine with anything.
    for k in &keys {
        let n = k.numeric as u32
            + k.general as u32
            + k.human as u32
            + k.month as u32
            + (k.version || k.random || k.ignore != Ignore::None) as u32;
        if n > 1 {
            let mut k = *k;
            (k.skipsblanks, k.skipeblanks, k.reverse) = (false, false, false);
            let msg = format!("options '-{}' are incompatible", k.opts());
            return Err(bad_usage(ctx, msg.as_bytes()));
        }
    }
    o.conf.reverse = g.reverse;
    if keys.iter().any(|k| k.random) {
        o.conf.seed = seed(ctx, random_source.as_deref())?;
    }
    if let Some(f) = files0 {
        if let Some(op) = o.files.first() {
            let mut msg = b"extra operand ".to_vec();
            msg.extend_from_slice(&quote_always(op.as_bytes()));
            ctx.msg(&msg);
            let _ = crate::common::io::write_all(
                crate::common::io::stderr_fd(),
                b"file operands cannot be combined with --files0-from\n",
            );
            ctx.try_help();
            return Err(Error::silent(2));
        }
        o.files = read_files0(ctx, &f)?;
    } else if o.files.is_empty() {
        o.files.push(OsString::from("-"));
    }
    if !matches!(o.check, Check::No) {
        if let Some(op) = o.files.get(1) {
            let mut msg = b"extra operand ".to_vec();
            msg.extend_from_slice(&quote_always(op.as_bytes()));
            msg.extend_from_slice(b" not allowed with -");
            msg.push(o.check_char);
            return Err(bad_usage(ctx, &msg));
        }
        if o.output.is_some() {
            let msg = format!("options '-{}o' are incompatible", o.check_char as char);
            return Err(bad_usage(ctx, msg.as_bytes()));
        }
    }
    // The prefix of the first key (or of the whole line).
    o.conf.prefix = match keys.first() {
        None => Prefix::Text {
            translate: false,
            reverse: g.reverse,
        },
        Some(k) if !k.special() && k.ignore == Ignore::None => Prefix::Text {
            translate: k.translate,
            reverse: k.reverse,
        },
        Some(k) if k.numeric && k.ignore == Ignore::None => Prefix::Num { reverse: k.reverse },
        _ => Prefix::None,
    };
    o.conf.keys = keys;
    Ok(Some(o))
}

crate::common::args::named! {
    /// The ids the match above knows, each with its variant: found by one search of this table,
    /// where a match on the strings compiled to a comparison of each.
    enum Id {
        B = "b",
        D = "d",
        F = "f",
        G = "g",
        I = "i",
        CapM = "M",
        N = "n",
        H = "h",
        CapV = "V",
        CapR = "R",
        R = "r",
        Sort = "sort",
        Check = "check",
        C = "c",
        CapC = "C",
        CompressProgram = "compress-program",
        Files0From = "files0-from",
        K = "k",
        M = "m",
        RandomSource = "random-source",
        O = "o",
        S = "s",
        BatchSize = "batch-size",
        CapS = "S",
        T = "t",
        CapT = "T",
        U = "u",
        Z = "z",
        Parallel = "parallel",
        Version = "version",
    }
}

fn seed(ctx: &mut Ctx, source: Option<&[u8]>) -> Result<[u64; 2]> {
    let name: &[u8] = source.unwrap_or(b"/dev/urandom");
    let mut b = [0u8; 16];
    let r = File::open(std::ffi::OsStr::from_bytes(name)).and_then(|mut f| {
        let mut n = 0;
        while n < 16 {
            let k = f.read(&mut b[n..])?;
            if k == 0 {
                if source.is_some() {
                    return Err(io::Error::from_raw_os_error(0));
                }
                break;
            }
            n += k;
        }
        Ok(())
    });
    match r {
        Ok(()) => {}
        Err(e) if source.is_some() => {
            let mut m = quote_if_needed(name);
            m.extend_from_slice(b": ");
            if e.raw_os_error() == Some(0) {
                m.extend_from_slice(b"end of file");
            } else {
                m.extend_from_slice(strerror(&e).as_bytes());
            }
            return Err(bad_usage(ctx, &m));
        }
        Err(_) => {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0);
            b[..8].copy_from_slice(&t.to_ne_bytes());
            b[8..].copy_from_slice(&(std::process::id() as u64).to_ne_bytes());
        }
    }
    Ok([
        u64::from_ne_bytes(b[..8].try_into().unwrap()),
        u64::from_ne_bytes(b[8..].try_into().unwrap()),
    ])
}

fn read_files0(ctx: &mut Ctx, f: &[u8]) -> Result<Vec<OsString>> {
    let data = if f == b"-" {
        let mut v = Vec::new();
        sysfd::read_to_end(crate::common::io::stdin_fd(), &mut v).map(|_| v)
    } else {
        std::fs::read(std::ffi::OsStr::from_bytes(f))
    };
    let data = match data {
        Ok(d) => d,
        Err(e) => return Err(file_error(ctx, "open failed", f, &e)),
    };
    let mut out = Vec::new();
    // Names end at each NUL (the last one's is optional): a lone NUL is one empty name.
    let body = data.strip_suffix(&[0]).unwrap_or(&data);
    for (i, name) in body.split(|&c| c == 0).enumerate() {
        if data.is_empty() {
            break;
        }
        if name.is_empty() {
            let mut m = quote_if_needed(f);
            m.extend_from_slice(format!(":{}: invalid zero-length file name", i + 1).as_bytes());
            return Err(bad_usage(ctx, &m));
        }
        if name == b"-" && f == b"-" {
            let mut m = b"when reading file names from stdin, no file name of ".to_vec();
            m.extend_from_slice(&quote_always(b"-"));
            m.extend_from_slice(b" allowed");
            return Err(bad_usage(ctx, &m));
        }
        out.push(OsString::from_vec(name.to_vec()));
    }
    if out.is_empty() {
        let mut m = b"no input from ".to_vec();
        m.extend_from_slice(&quote_always(f));
        return Err(bad_usage(ctx, &m));
    }
    Ok(out)
}

// ------------------------------------------------------------------ input

/// An open input: a file or standard input.
enum Input {
    Stdin,
    File(File),
    Mem(Vec<u8>, usize),
}

impl Input {
    fn open(ctx: &mut Ctx, name: &OsString, verb: &str) -> Result<Input> {
        if name.as_bytes() == b"-" {
            return Ok(Input::Stdin);
        }
        match File::open(name) {
            Ok(f) => Ok(Input::File(f)),
            Err(e) => Err(file_error(ctx, verb, name.as_bytes(), &e)),
        }
    }

    fn size_hint(&self) -> usize {
        match self {
            Input::File(f) => f
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map_or(0, |m| m.len() as usize),
            _ => 0,
        }
    }

    /// Append up to `max` bytes to `buf`.
    fn read_into(&mut self, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
        match self {
            Input::Stdin => sysfd::read_append(crate::common::io::stdin_fd(), buf, max),
            Input::File(f) => sysfd::read_append(f.as_fd(), buf, max),
            Input::Mem(v, pos) => {
                let n = (v.len() - *pos).min(max);
                buf.extend_from_slice(&v[*pos..*pos + n]);
                *pos += n;
                Ok(n)
            }
        }
    }
}

fn file_error(ctx: &mut Ctx, what: &str, name: &[u8], e: &io::Error) -> Error {
    let mut m = what.as_bytes().to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(&quote_if_needed(name));
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    bad_usage(ctx, &m)
}

/// The length that marks a line dropped as a repeat under -u (a chunk is shorter).
const GONE: u32 = u32::MAX;

/// A line: its prefix and where it lies in the chunk buffer.
#[derive(Clone, Copy)]
struct Line {
    pre: u64,
    off: u32,
    len: u32,
}

/// A buffered line reader over an input or a run file (for merging and checking).
struct Reader {
    src: Input,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// The current line: buf[pos..pos+len] (without its delimiter).
    cur: Option<(usize, usize)>,
    size: usize,
}

impl Reader {
    fn new(src: Input, size: usize) -> Reader {
        Reader {
            src,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            cur: None,
            size: size.max(4096),
        }
    }

    /// Move to the next line; false at the end.
    fn advance(&mut self, delim: u8) -> io::Result<bool> {
        if let Some((p, l)) = self.cur.take() {
            self.pos = p + l + 1;
        }
        loop {
            if let Some(k) = memchr::memchr(delim, &self.buf[self.pos.min(self.buf.len())..]) {
                self.cur = Some((self.pos, k));
                return Ok(true);
            }
            if self.eof {
                if self.pos < self.buf.len() {
                    self.buf.push(delim);
                    continue;
                }
                return Ok(false);
            }
            // Keep the partial line, read more.
            if self.pos > 0 {
                self.buf.drain(..self.pos.min(self.buf.len()));
                self.pos = 0;
            }
            let want = self.size.max(self.buf.len());
            if self.src.read_into(&mut self.buf, want)? == 0 {
                self.eof = true;
            }
        }
    }

    fn line(&self) -> &[u8] {
        let (p, l) = self.cur.unwrap();
        &self.buf[p..p + l]
    }
}

// ------------------------------------------------------------------ output

/// `-o FILE`: its descriptor and buffer.
struct Sink {
    f: File,
    buf: Vec<u8>,
}

impl Sink {
    #[inline]
    fn put(&mut self, line: &[u8], delim: u8) -> io::Result<()> {
        self.buf.extend_from_slice(line);
        self.buf.push(delim);
        if self.buf.len() >= 128 * 1024 {
            let r = self.f.write_all(&self.buf);
            self.buf.clear();
            r?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.f.write_all(&self.buf);
        self.buf.clear();
        r
    }
}

/// GNU's sort_die for output: `sort: write failed: NAME: strerror`, then close_stdout's
/// `sort: write error`; status 2.
fn out_error(ctx: &mut Ctx, what: &str, name: Option<&OsString>, e: &io::Error) -> Error {
    let name = match name {
        Some(n) => quote_if_needed(n.as_bytes()),
        None => b"'standard output'".to_vec(),
    };
    let mut m = what.as_bytes().to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(&name);
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    ctx.msg(&m);
    ctx.msg(b"write error");
    Error::silent(2)
}

// ------------------------------------------------------------------ the work

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    if let Err(e) = r {
        if !e.msg.is_empty() {
            ctx.msg(&e.msg);
        }
        ctx.fail(e.code);
    }
    ctx.status
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(o) = options(ctx, &argv)? else {
        return ctx.out.flush().map_err(|e| Error::write(&e));
    };
    if !matches!(o.check, Check::No) {
        return check(ctx, &o);
    }
    let default_mem = (physmem() / 8).max(64 << 20) as usize;
    let mem = o.mem.unwrap_or(default_mem).max(64 * 1024);
    let mut tmp = Temps {
        dirs: o.tmpdirs.clone(),
        n: 0,
    };
    if o.merge {
        // Inputs that are also the output are read first (GNU copies them to a temporary).
        // The others are checked now (GNU's check_inputs) and opened when their pass comes,
        // so a small descriptor limit is met by merging fewer at a time.
        let out_id = o
            .output
            .as_ref()
            .and_then(|n| std::fs::metadata(n).ok())
            .map(|m| (m.dev(), m.ino()));
        let mut srcs = Vec::new();
        for f in &o.files {
            let inp = Input::open(ctx, f, "cannot read")?;
            let src = match (out_id, inp) {
                (Some(id), Input::File(fl))
                    if fl.metadata().is_ok_and(|m| (m.dev(), m.ino()) == id) =>
                {
                    let mut v = Vec::new();
                    sysfd::read_to_end(fl.as_fd(), &mut v)
                        .map_err(|e| file_error(ctx, "read failed", f.as_bytes(), &e))?;
                    Src::Open(Input::Mem(v, 0), f.clone())
                }
                (_, Input::File(_)) => Src::Name(f.clone()),
                (_, inp) => Src::Open(inp, f.clone()),
            };
            srcs.push(src);
        }
        return merge_to_output(ctx, &o, srcs, &mut tmp, mem);
    }

    // Read everything, spilling sorted runs past the memory bound.
    let mut buf: Vec<u8> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut runs: Vec<(u32, File)> = Vec::new();
    let chunk_limit = mem.min(u32::MAX as usize - 1);
    let mut start = 0usize; // start of the partial line
    for name in &o.files {
        let mut inp = Input::open(ctx, name, "cannot read")?;
        let hint = inp.size_hint();
        if hint > 0 && buf.len() + hint < chunk_limit {
            buf.reserve_exact(hint + 1);
        }
        loop {
            let room = if buf.capacity() > buf.len() {
                buf.capacity() - buf.len()
            } else {
                (buf.len() / 2).clamp(128 * 1024, 8 << 20)
            };
            let room = room.min(chunk_limit.saturating_sub(buf.len()).max(64 * 1024));
            let before = buf.len();
            let n = inp
                .read_into(&mut buf, room)
                .map_err(|e| file_error(ctx, "read failed", name.as_bytes(), &e))?;
            if n == 0 {
                break;
            }
            let mut p = before;
            for k in memchr::memchr_iter(o.delim, &buf[before..]) {
                let end = before + k;
                lines.push(Line {
                    pre: 0,
                    off: start as u32,
                    len: (end - start) as u32,
                });
                start = end + 1;
                p = start;
            }
            let _ = p;
            if buf.len() + lines.len() * 16 >= mem && !lines.is_empty() {
                // Spill the complete lines; keep the partial one.
                sort_lines(&o.conf, &buf, &mut lines, o.threads);
                let f = tmp.create(ctx)?;
                let mut w = RunWriter::new(f);
                write_sorted(&o.conf, &buf, &lines, o.threads, o.delim, &mut |l| {
                    w.put(l, o.delim)
                })
                .map_err(|e| tmp.error(ctx, &e))?;
                let f = w.finish().map_err(|e| tmp.error(ctx, &e))?;
                add_run(ctx, &o, &mut runs, f, &mut tmp, mem)?;
                buf.drain(..start);
                start = 0;
                lines.clear();
            }
        }
        if start < buf.len() {
            let end = buf.len();
            buf.push(o.delim);
            lines.push(Line {
                pre: 0,
                off: start as u32,
                len: (end - start) as u32,
            });
            start = end + 1;
        }
    }

    if runs.is_empty() {
        sort_lines(&o.conf, &buf, &mut lines, o.threads);
        let mut sink = open_sink(ctx, o.output.as_ref())?;
        let r = match &mut sink {
            Some(s) => write_sorted(&o.conf, &buf, &lines, o.threads, o.delim, &mut |l| {
                s.put(l, o.delim)
            }),
            None => {
                let out = &mut ctx.out;
                write_sorted(&o.conf, &buf, &lines, o.threads, o.delim, &mut |l| {
                    let b = out.buf_mut();
                    b.extend_from_slice(l);
                    b.push(o.delim);
                    out.maybe_flush()
                })
            }
        };
        return finish_output(ctx, sink, o.output.as_ref(), r);
    }
    if !lines.is_empty() {
        sort_lines(&o.conf, &buf, &mut lines, o.threads);
        let f = tmp.create(ctx)?;
        let mut w = RunWriter::new(f);
        write_sorted(&o.conf, &buf, &lines, o.threads, o.delim, &mut |l| {
            w.put(l, o.delim)
        })
        .map_err(|e| tmp.error(ctx, &e))?;
        runs.push((0, w.finish().map_err(|e| tmp.error(ctx, &e))?));
    }
    drop(buf);
    drop(lines);
    let srcs = runs
        .into_iter()
        .map(|(_, f)| Src::Open(Input::File(f), OsString::new()))
        .collect();
    merge_to_output(ctx, &o, srcs, &mut tmp, mem)
}

/// `-o FILE`: opened (truncated) once all input is read. None: standard output.
fn open_sink(ctx: &mut Ctx, name: Option<&OsString>) -> Result<Option<Sink>> {
    try_open_sink(name).map_err(|e| sink_error(ctx, name, &e))
}

fn try_open_sink(name: Option<&OsString>) -> io::Result<Option<Sink>> {
    let Some(name) = name else {
        return Ok(None);
    };
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o666)
        .open(name)?;
    Ok(Some(Sink {
        f,
        buf: Vec::with_capacity(128 * 1024),
    }))
}

fn sink_error(ctx: &mut Ctx, name: Option<&OsString>, e: &io::Error) -> Error {
    let name = name.map_or(&b"-"[..], |n| n.as_bytes());
    file_error(ctx, "open failed", name, e)
}

fn finish_output(
    ctx: &mut Ctx,
    sink: Option<Sink>,
    name: Option<&OsString>,
    r: io::Result<()>,
) -> Result<()> {
    if let Err(e) = r {
        return Err(out_error(ctx, "write failed", name, &e));
    }
    let r = match sink {
        Some(mut s) => s.flush(),
        None => ctx.out.flush(),
    };
    match r {
        Err(e) => Err(out_error(ctx, "fflush failed", name, &e)),
        Ok(()) => Ok(()),
    }
}

/// Compute prefixes and sort: stable when -s or -u decide ties, in `threads` parts.
fn sort_lines(conf: &Conf, buf: &[u8], lines: &mut [Line], threads: usize) {
    let text = |l: &Line| &buf[l.off as usize..(l.off + l.len) as usize];
    let parts = parts_for(lines.len(), threads);
    let chunk = lines.len().div_ceil(parts.max(1)).max(1);
    // Without keys lines compare by their bytes alone: equal means identical, so which of
    // them comes first cannot show, and the faster unstable sort serves -s and -u too.
    let stable = (conf.stable || conf.unique) && !conf.keys.is_empty();
    let work = |ls: &mut [Line]| {
        if conf.prefix != Prefix::None {
            for l in ls.iter_mut() {
                l.pre = conf.prefix(text(l));
            }
        }
        let cmp = |a: &Line, b: &Line| {
            a.pre
                .cmp(&b.pre)
                .then_with(|| conf.compare(text(a), text(b)))
        };
        if stable {
            ls.sort_by(cmp);
        } else {
            ls.sort_unstable_by(cmp);
        }
        if conf.unique {
            // Each part keeps the first of its runs of equal lines, at its front; the rest is
            // marked as past the part's end (no line is that long). The merge then weighs only
            // distinct lines, and drops a repeat across parts as before.
            let mut k = 0;
            for i in 0..ls.len() {
                if k == 0 || cmp(&ls[k - 1], &ls[i]) != Ordering::Equal {
                    ls[k] = ls[i];
                    k += 1;
                }
            }
            for l in &mut ls[k..] {
                l.len = GONE;
            }
        }
    };
    if parts <= 1 {
        work(lines);
        return;
    }
    std::thread::scope(|s| {
        for part in lines.chunks_mut(chunk) {
            s.spawn(|| work(part));
        }
    });
}

fn parts_for(n: usize, threads: usize) -> usize {
    if n < 50_000 {
        return 1;
    }
    let cpus = crate::common::sysinfo::cpus_usable() as usize;
    threads.min(cpus).clamp(1, 8)
}

/// Write the sorted parts of `lines` (as `sort_lines` left them) through `put`, merging them
/// and dropping repeats under -u.
fn write_sorted(
    conf: &Conf,
    buf: &[u8],
    lines: &[Line],
    threads: usize,
    _delim: u8,
    put: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let text = |l: &Line| &buf[l.off as usize..(l.off + l.len) as usize];
    let parts = parts_for(lines.len(), threads);
    let chunk = lines.len().div_ceil(parts.max(1)).max(1);
    let mut heads: Vec<&[Line]> = lines
        .chunks(chunk)
        .map(|h| &h[..h.partition_point(|l| l.len != GONE)])
        .collect();
    let mut last: Option<&Line> = None;
    loop {
        // The smallest head; ties go to the earlier part (stability).
        let mut best: Option<usize> = None;
        for (i, h) in heads.iter().enumerate() {
            if let Some(l) = h.first() {
                best = match best {
                    None => Some(i),
                    Some(b) => {
                        let bl = &heads[b][0];
                        let c = l
                            .pre
                            .cmp(&bl.pre)
                            .then_with(|| conf.compare(text(l), text(bl)));
                        if c == Ordering::Less {
                            Some(i)
                        } else {
                            Some(b)
                        }
                    }
                };
            }
        }
        let Some(b) = best else { break };
        let l = &heads[b][0];
        heads[b] = &heads[b][1..];
        if conf.unique {
            if let Some(p) = last {
                if p.pre == l.pre && conf.compare(text(p), text(l)) == Ordering::Equal {
                    continue;
                }
            }
            last = Some(l);
        }
        put(text(l))?;
    }
    Ok(())
}

/// Temporary files for sorted runs: created in the -T directories in turn, or $TMPDIR, or
/// /tmp, and unlinked at once.
struct Temps {
    dirs: Vec<OsString>,
    n: usize,
}

impl Temps {
    fn create(&mut self, ctx: &mut Ctx) -> Result<File> {
        self.try_create().map_err(|e| self.create_error(ctx, &e))
    }

    /// A new temporary file in the next directory, unlinked at once.
    fn try_create(&mut self) -> io::Result<File> {
        if self.dirs.is_empty() {
            let d = std::env::var_os("TMPDIR")
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| OsString::from("/tmp"));
            self.dirs.push(d);
        }
        let dir = &self.dirs[self.n % self.dirs.len()];
        self.n += 1;
        let mut tries = 0;
        loop {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let mut p = dir.clone().into_vec();
            p.extend_from_slice(
                format!("/sortR{:x}{:x}{}", std::process::id(), t, self.n).as_bytes(),
            );
            let p = OsString::from_vec(p);
            match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&p)
            {
                Ok(f) => {
                    let _ = std::fs::remove_file(&p);
                    return Ok(f);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// The directory of the last try.
    fn create_error(&self, ctx: &mut Ctx, e: &io::Error) -> Error {
        let dir = &self.dirs[(self.n + self.dirs.len() - 1) % self.dirs.len()];
        let mut m = b"cannot create temporary file in ".to_vec();
        m.extend_from_slice(&quote_always(dir.as_bytes()));
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        bad_usage(ctx, &m)
    }

    fn error(&self, ctx: &mut Ctx, e: &io::Error) -> Error {
        let dir = self.dirs.last().cloned().unwrap_or_default();
        let mut m = b"write failed: ".to_vec();
        m.extend_from_slice(&quote_if_needed(dir.as_bytes()));
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        bad_usage(ctx, &m)
    }
}

struct RunWriter {
    f: File,
    buf: Vec<u8>,
}

impl RunWriter {
    fn new(f: File) -> RunWriter {
        RunWriter {
            f,
            buf: Vec::with_capacity(256 * 1024),
        }
    }
    fn put(&mut self, l: &[u8], delim: u8) -> io::Result<()> {
        self.buf.extend_from_slice(l);
        self.buf.push(delim);
        if self.buf.len() >= 256 * 1024 {
            self.f.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
    fn finish(mut self) -> io::Result<File> {
        self.f.write_all(&self.buf)?;
        self.f.rewind()?;
        Ok(self.f)
    }
}

/// Keep a new run; `nmerge` runs of one level are merged into one of the next as they come,
/// so few stay open (GNU closes and reopens its named temporaries; rbox's are unlinked and
/// live on their descriptors). Every byte is rewritten as often as in GNU's merge passes.
fn add_run(
    ctx: &mut Ctx,
    o: &Opts,
    runs: &mut Vec<(u32, File)>,
    f: File,
    tmp: &mut Temps,
    mem: usize,
) -> Result<()> {
    runs.push((0, f));
    // Room for the runs under the descriptor limit: the standard three, an input, the next
    // run and -o's file stay free.
    let lim = fd_limit();
    let room = (lim.min(1 << 20) as usize).saturating_sub(6).max(2);
    let k = o.nmerge.min(room);
    loop {
        let n = runs.len();
        let level = runs[n - 1].0;
        let full = n >= room;
        if n < k || (!full && runs[n - k..].iter().any(|r| r.0 != level)) {
            return Ok(());
        }
        let level = runs[n - k..].iter().map(|r| r.0).max().unwrap_or(0);
        let each = (mem / (k + 1)).clamp(4096, 1 << 20);
        let readers = runs
            .split_off(n - k)
            .into_iter()
            .map(|(_, f)| (Reader::new(Input::File(f), each), OsString::new()))
            .collect();
        let mut w = RunWriter::new(tmp.create(ctx)?);
        merge(ctx, &o.conf, o.delim, readers, &mut |l| w.put(l, o.delim))?
            .map_err(|e| tmp.error(ctx, &e))?;
        runs.push((level + 1, w.finish().map_err(|e| tmp.error(ctx, &e))?));
    }
}

/// The soft limit on open descriptors.
#[allow(clippy::unnecessary_cast)] // RLIMIT_* is i32 on musl, u32 on glibc
fn fd_limit() -> u64 {
    crate::common::sys::process::getrlimit(libc::RLIMIT_NOFILE as i32).cur
}

/// Readers opened for a pass, and the error that stopped the opening early.
type Opened = (Vec<(Reader, OsString)>, Option<io::Error>);

/// A merge input: a named file, opened when its pass comes, or one already open (standard
/// input, a run, an input that is also the output).
enum Src {
    Name(OsString),
    Open(Input, OsString),
}

fn out_of_fds(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

/// Open the first `n` sources as readers, fewer if descriptors run out: the error then, with
/// the source that failed put back in front.
fn open_srcs(ctx: &mut Ctx, srcs: &mut Vec<Src>, n: usize, each: usize) -> Result<Opened> {
    let mut readers = Vec::with_capacity(n);
    let rest = srcs.split_off(n);
    let mut group = std::mem::replace(srcs, rest).into_iter();
    while let Some(src) = group.next() {
        let (inp, name) = match src {
            Src::Open(inp, name) => (inp, name),
            Src::Name(name) => match File::open(&name) {
                Ok(f) => (Input::File(f), name),
                Err(e) if out_of_fds(&e) => {
                    let mut back: Vec<Src> =
                        std::iter::once(Src::Name(name)).chain(group).collect();
                    back.append(srcs);
                    *srcs = back;
                    return Ok((readers, Some(e)));
                }
                Err(e) => return Err(file_error(ctx, "open failed", name.as_bytes(), &e)),
            },
        };
        readers.push((Reader::new(inp, each), name));
    }
    Ok((readers, None))
}

/// Give back the last opened reader (its descriptor freed; a named file is reopened later).
fn unopen(srcs: &mut Vec<Src>, readers: &mut Vec<(Reader, OsString)>) {
    if let Some((r, name)) = readers.pop() {
        let src = match r.src {
            Input::File(_) if !name.is_empty() => Src::Name(name),
            inp => Src::Open(inp, name),
        };
        srcs.insert(0, src);
    }
}

/// k-way merge of the sources, `nmerge` at a time (intermediate runs to temporary files), the
/// last pass to the output. As GNU's: when descriptors run out, the inputs that could be
/// opened (at least two) are merged into a run that takes their place, and so on.
fn merge_to_output(
    ctx: &mut Ctx,
    o: &Opts,
    mut srcs: Vec<Src>,
    tmp: &mut Temps,
    mem: usize,
) -> Result<()> {
    let each = (mem / (o.nmerge + 1)).clamp(4096, 1 << 20);
    loop {
        let last = srcs.len() <= o.nmerge;
        // An intermediate pass makes its run first, so the run has a descriptor.
        let mut run = if last { None } else { Some(tmp.create(ctx)?) };
        let n = srcs.len().min(o.nmerge);
        let (mut readers, short) = open_srcs(ctx, &mut srcs, n, each)?;
        if let Some(e) = &short {
            if readers.len() < 2 || (last && readers.len() <= 2) {
                let name = match &srcs[0] {
                    Src::Name(n) | Src::Open(_, n) => n.clone(),
                };
                return Err(file_error(ctx, "open failed", name.as_bytes(), e));
            }
        }
        if run.is_none() && short.is_none() {
            match try_open_sink(o.output.as_ref()) {
                Ok(mut sink) => return merge_out(ctx, o, readers, &mut sink),
                Err(e) if !out_of_fds(&e) || readers.len() <= 2 => {
                    return Err(sink_error(ctx, o.output.as_ref(), &e))
                }
                Err(_) => {}
            }
        }
        // Out of descriptors on the last pass: free inputs until a run can be made.
        while run.is_none() {
            unopen(&mut srcs, &mut readers);
            match tmp.try_create() {
                Ok(f) => run = Some(f),
                Err(e) if out_of_fds(&e) && readers.len() > 2 => {}
                Err(e) => return Err(tmp.create_error(ctx, &e)),
            }
        }
        let mut w = RunWriter::new(run.unwrap());
        merge(ctx, &o.conf, o.delim, readers, &mut |l| w.put(l, o.delim))?
            .map_err(|e| tmp.error(ctx, &e))?;
        let f = w.finish().map_err(|e| tmp.error(ctx, &e))?;
        // The merged run takes the place of its inputs: ties still go to the earlier input.
        srcs.insert(0, Src::Open(Input::File(f), OsString::new()));
    }
}

fn merge_out(
    ctx: &mut Ctx,
    o: &Opts,
    readers: Vec<(Reader, OsString)>,
    sink: &mut Option<Sink>,
) -> Result<()> {
    let r = match sink {
        Some(s) => merge(ctx, &o.conf, o.delim, readers, &mut |l| s.put(l, o.delim))?,
        None => {
            let mut out = std::mem::replace(
                &mut ctx.out,
                crate::common::io::Out::on(crate::common::io::stdout_fd(), 0),
            );
            let r = merge(ctx, &o.conf, o.delim, readers, &mut |l| {
                let b = out.buf_mut();
                b.extend_from_slice(l);
                b.push(o.delim);
                out.maybe_flush()
            });
            ctx.out = out;
            r?
        }
    };
    finish_output(ctx, sink.take(), o.output.as_ref(), r)
}

/// Merge: the outer Result is a read error (reported), the inner one a write error.
fn merge(
    ctx: &mut Ctx,
    conf: &Conf,
    delim: u8,
    mut rs: Vec<(Reader, OsString)>,
    put: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<io::Result<()>> {
    let mut live = Vec::new();
    for (i, (r, name)) in rs.iter_mut().enumerate() {
        match r.advance(delim) {
            Ok(true) => live.push(i),
            Ok(false) => {}
            Err(e) => return Err(file_error(ctx, "read failed", name.as_bytes(), &e)),
        }
    }
    let mut last: Option<Vec<u8>> = None;
    while !live.is_empty() {
        let mut best = 0;
        for k in 1..live.len() {
            if conf.compare(rs[live[k]].0.line(), rs[live[best]].0.line()) == Ordering::Less {
                best = k;
            }
        }
        let i = live[best];
        let line = rs[i].0.line();
        let dup = conf.unique
            && last
                .as_deref()
                .is_some_and(|p| conf.compare(p, line) == Ordering::Equal);
        if !dup {
            if conf.unique {
                let v = last.get_or_insert_with(Vec::new);
                v.clear();
                v.extend_from_slice(line);
            }
            if let Err(e) = put(line) {
                return Ok(Err(e));
            }
        }
        match rs[i].0.advance(delim) {
            Ok(true) => {}
            Ok(false) => {
                live.remove(best);
            }
            Err(e) => return Err(file_error(ctx, "read failed", rs[i].1.as_bytes(), &e)),
        }
    }
    Ok(Ok(()))
}

/// -c / -C: the first line out of order ends the check (status 1).
fn check(ctx: &mut Ctx, o: &Opts) -> Result<()> {
    let name = &o.files[0];
    let inp = Input::open(ctx, name, "open failed")?;
    let mut r = Reader::new(inp, 128 * 1024);
    let mut prev: Vec<u8> = Vec::new();
    let mut n: u64 = 0;
    loop {
        match r.advance(o.delim) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => return Err(file_error(ctx, "read failed", name.as_bytes(), &e)),
        }
        n += 1;
        let line = r.line();
        if n > 1 {
            let c = o.conf.compare(&prev, line);
            if c == Ordering::Greater || (o.conf.unique && c == Ordering::Equal) {
                if matches!(o.check, Check::Diagnose) {
                    let mut m =
                        format!("sort: {}:{n}: disorder: ", name.to_string_lossy()).into_bytes();
                    m.clear();
                    m.extend_from_slice(b"sort: ");
                    m.extend_from_slice(name.as_bytes());
                    m.extend_from_slice(format!(":{n}: disorder: ").as_bytes());
                    m.extend_from_slice(line);
                    m.push(o.delim);
                    let _ = ctx.out.flush();
                    let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &m);
                }
                return Err(Error::silent(1));
            }
        }
        prev.clear();
        prev.extend_from_slice(line);
    }
}
