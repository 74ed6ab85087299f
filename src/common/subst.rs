//! The `s` command — `s/REGEX/REPLACEMENT/FLAGS` — shared by sed and tar's `--transform`:
//! reading the delimited parts, building the replacement (`\1`..`\9`, `&`, the escapes, the
//! case conversions `\L \U \l \u \E`) and applying it to a subject with the one regex engine
//! ([`crate::common::regex`]).
//!
//! One parser and one applier, two dialects, because GNU's two programs read the same text
//! slightly differently and scripts rely on each one's reading:
//! - [`Dialect::Sed`] is GNU sed 4.9's compile.c: `match_slash` turns `\DELIM` into the
//!   delimiter and `\n` into a newline, skips bracket expressions, `normalize_text` expands
//!   `\t \xHH \dNNN \oNNN \cX`, and a replacement's case conversion follows execute.c
//!   (`\u\L&` capitalises).
//! - [`Dialect::Tar`] is GNU tar 1.34's transform.c: the regex is handed to `regcomp` as written
//!   (`\DELIM` stays escaped), a reference may have several digits (`\12`), an unknown escape
//!   keeps its backslash, and case conversion is tar's state machine (`\u\L&` lower-cases).
//!
//! The substitution loop is sed's: an empty match right after the previous one does not count,
//! `N` replaces the Nth match (`Ng`: it and the ones after). With `fresh` (tar) every search
//! starts a new subject at the end of the previous match, as GNU tar calls `regexec` on the
//! rest of the name (so `^` and `\<` see no context).

use crate::common::regex::Matcher;

/// End of the script text for [`Cursor::inchar`].
pub const EOF: i32 = -1;

/// Script text read one byte at a time with GNU sed's one-byte look-ahead (`inchar`,
/// `savchar`) and a line count for messages.
pub struct Cursor<'a> {
    pub s: &'a [u8],
    pub pos: usize,
    pub line: u64,
}

impl<'a> Cursor<'a> {
    pub fn new(s: &'a [u8], line: u64) -> Cursor<'a> {
        Cursor { s, pos: 0, line }
    }
    pub fn inchar(&mut self) -> i32 {
        if self.pos < self.s.len() {
            let c = self.s[self.pos];
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
            }
            c as i32
        } else {
            EOF
        }
    }
    pub fn savchar(&mut self, c: i32) {
        if c == EOF {
            return;
        }
        if c == b'\n' as i32 && self.line > 0 {
            self.line -= 1;
        }
        self.pos -= 1;
    }
    pub fn in_nonblank(&mut self) -> i32 {
        loop {
            let c = self.inchar();
            if c != b' ' as i32 && c != b'\t' as i32 {
                return c;
            }
        }
    }
    /// Digits starting with `c` (already read); the first non-digit is put back.
    pub fn in_integer(&mut self, mut c: i32) -> u64 {
        let mut n: u64 = 0;
        while is_digit(c) {
            n = n.wrapping_mul(10).wrapping_add((c - b'0' as i32) as u64);
            c = self.inchar();
        }
        self.savchar(c);
        n
    }
}

pub fn is_digit(c: i32) -> bool {
    (b'0' as i32..=b'9' as i32).contains(&c)
}

fn ch(c: u8) -> i32 {
    c as i32
}

/// Whose reading of the `s` command.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dialect {
    /// GNU sed; `basic` is `--posix` (no GNU escapes in the replacement).
    Sed { basic: bool },
    /// GNU tar's `--transform`.
    Tar,
}

fn snarf_char_class(r: &mut Cursor, b: &mut Vec<u8>) -> i32 {
    let mut state = 0;
    let mut delim = 0;
    let mut c = r.inchar();
    if c == ch(b'^') {
        b.push(c as u8);
        c = r.inchar();
    }
    if c == ch(b']') {
        b.push(c as u8);
        c = r.inchar();
    }
    loop {
        match c {
            EOF => return c,
            _ if c == ch(b'\n') => return c,
            _ if c == ch(b'.') || c == ch(b':') || c == ch(b'=') => {
                if state == 1 {
                    delim = c;
                    state = 2;
                } else if state == 2 && c == delim {
                    state = 3;
                } else {
                    state &= !1;
                }
                if state == 2 || state == 3 {
                    b.push(c as u8);
                    c = r.inchar();
                    continue;
                }
            }
            _ if c == ch(b'[') => {
                if state == 0 {
                    state = 1;
                }
                b.push(c as u8);
                c = r.inchar();
                continue;
            }
            _ if c == ch(b']') => {
                if state == 0 || state == 1 {
                    return c;
                } else if state == 3 {
                    state = 0;
                }
                state &= !1;
            }
            _ => state &= !1,
        }
        b.push(c as u8);
        c = r.inchar();
    }
}

/// The text up to an unescaped delimiter `slash` (consumed); None when the text ends first.
///
/// Sed (GNU's match_slash): in a regex `\n` is a newline (unless n is the delimiter) and
/// `\DELIM` the delimiter, bracket expressions are skipped whole; in a replacement `\DELIM` is the delimiter (but `\&` stays);
/// a newline ends the text. Tar: a backslash escapes the next byte and both are kept as
/// written; only the end of the text ends it.
pub fn match_slash(r: &mut Cursor, slash: i32, regex: bool, d: Dialect) -> Option<Vec<u8>> {
    let mut b = Vec::new();
    if d == Dialect::Tar {
        if slash == EOF {
            return None;
        }
        loop {
            let c = r.inchar();
            if c == EOF {
                return None;
            }
            if c == slash {
                return Some(b);
            }
            b.push(c as u8);
            if c == ch(b'\\') {
                let n = r.inchar();
                if n == EOF {
                    return None;
                }
                b.push(n as u8);
            }
        }
    }
    if slash == EOF || slash == ch(b'\n') || slash == ch(b'\\') {
        // GNU reads on and fails at the end; a newline or backslash delimiter ends nothing.
        if slash == ch(b'\n') {
            r.savchar(slash);
        }
        if slash == EOF || slash == ch(b'\n') {
            return None;
        }
    }
    let mut c;
    loop {
        c = r.inchar();
        if c == EOF || c == ch(b'\n') {
            break;
        }
        if c == slash {
            return Some(b);
        } else if c == ch(b'\\') {
            c = r.inchar();
            if c == EOF {
                break;
            } else if c == ch(b'n') && regex && c != slash {
                c = ch(b'\n');
            } else if c != ch(b'\n') && (c != slash || (!regex && c == ch(b'&'))) {
                b.push(b'\\');
            }
        } else if c == ch(b'[') && regex {
            b.push(b'[');
            c = snarf_char_class(r, &mut b);
            if c != ch(b']') {
                break;
            }
        }
        b.push(c as u8);
    }
    if c == ch(b'\n') {
        r.savchar(c);
    }
    None
}

/// What text [`normalize`] reads (GNU sed's `enum text_types`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Buffer,
    Replacement,
    Regex,
    /// A regex under POSIXLY_CORRECT or --posix: bracket expressions are left as written
    /// (`[\t]` is a backslash or a t; GNU tracks brackets only then).
    PosixRegex,
}

fn convert_number(s: &[u8], i: usize, base: u32) -> (u8, usize) {
    // s[i] is the letter (d, o, x); digits follow.
    let mut n: u32 = 0;
    let mut max = 1u32;
    let mut p = i + 1;
    while p < s.len() && max <= 255 {
        let d = match (s[p] as char).to_digit(16) {
            Some(d) if d < base => d,
            _ => break,
        };
        n = n * base + d;
        p += 1;
        max *= base;
    }
    if p == i + 1 {
        (s[i], p)
    } else {
        (n as u8, p)
    }
}

/// GNU sed refuses `\c\X` unless X is another backslash (`\c\\` is control-backslash):
/// "recursive escaping after \c not allowed".
pub fn recursive_escape_c(s: &[u8]) -> bool {
    let mut i = 0;
    while i + 1 < s.len() {
        if s[i] == b'\\' {
            if s[i + 1] == b'c' && s.get(i + 2) == Some(&b'\\') && s.get(i + 3) != Some(&b'\\') {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// GNU sed's normalize_text: `\a \f \n \r \t \v \cX \dNNN \oNNN \xHH`; other escapes are
/// passed on (kept, except in text, where the backslash goes).
pub fn normalize(s: &[u8], t: Text) -> Vec<u8> {
    let mut q = Vec::with_capacity(s.len());
    let mut p = 0;
    let mut bracket: i32 = 0;
    while p < s.len() {
        if s[p] == b'\\' && p + 1 < s.len() && bracket == 0 {
            p += 1;
            let c = s[p];
            let simple = match c {
                b'a' => Some(7),
                b'f' => Some(12),
                b'\n' | b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'v' => Some(11),
                _ => None,
            };
            if let Some(v) = simple {
                q.push(v);
                p += 1;
                continue;
            }
            let base = match c {
                b'd' => 10,
                b'x' => 16,
                b'o' => 8,
                _ => 0,
            };
            if base != 0 {
                let (v, np) = convert_number(s, p, base);
                p = np;
                // a produced `&` or `\` is a literal one in a replacement (GNU: `\x5c1` is `\1`)
                if t == Text::Replacement && (v == b'&' || v == b'\\') {
                    q.push(b'\\');
                }
                q.push(v);
                continue;
            }
            if c == b'c' {
                if p + 1 < s.len() {
                    p += 1;
                    q.push(s[p].to_ascii_uppercase() ^ 0x40);
                    if s[p] == b'\\' {
                        p += 1;
                    }
                    p += 1;
                    continue;
                } else {
                    // `\c` ends the text: GNU passes the backslash on and drops the c
                    p += 1;
                    if t != Text::Buffer {
                        q.push(b'\\');
                    }
                    continue;
                }
            }
            if t != Text::Buffer {
                q.push(b'\\');
            }
            q.push(s[p]);
            p += 1;
            continue;
        } else if t == Text::PosixRegex {
            match s[p] {
                b'[' if bracket == 0 => bracket = -1,
                b':' | b'.' | b'=' if bracket == -1 && p > 0 && s[p - 1] == b'[' => {
                    bracket = s[p] as i32;
                }
                b']' => {
                    if bracket == -1 {
                        bracket = 0;
                    } else if bracket > 0
                        && p >= 2
                        && s[p - 2] as i32 != bracket
                        && s[p - 1] as i32 == bracket
                    {
                        bracket = -1;
                    }
                }
                _ => {}
            }
        }
        q.push(s[p]);
        p += 1;
    }
    q
}

/// One piece of a replacement: literal text, then a group (0 for `&`), with the case
/// conversion state. In the tar dialect a piece is one of the three: text, a group, or a
/// case-control step (`case` with [`CASE_CTL`] set).
#[derive(Clone, Debug)]
pub struct Repl {
    pub prefix: Vec<u8>,
    pub group: Option<usize>,
    pub case: u8,
}

pub const CASE_UPPER: u8 = 1;
pub const CASE_LOWER: u8 = 2;
pub const CASE_UFIRST: u8 = 4;
pub const CASE_LFIRST: u8 = 8;
pub const CASE_MODS: u8 = CASE_UFIRST | CASE_LFIRST;
/// Tar: the piece is a case-control step; the low bits are one of the `TAR_*` values.
pub const CASE_CTL: u8 = 0x80;
const TAR_STOP: u8 = 0;
const TAR_UP_NEXT: u8 = 1;
const TAR_LO_NEXT: u8 = 2;
const TAR_UP: u8 = 3;
const TAR_LO: u8 = 4;

/// A parsed replacement.
#[derive(Clone, Debug)]
pub struct Rhs {
    pub pieces: Vec<Repl>,
    /// The highest group referred to.
    pub max_id: usize,
    /// The whole replacement when it is plain text (no groups, no case changes).
    pub plain: Option<Vec<u8>>,
    pub dialect: Dialect,
}

impl Rhs {
    fn new(pieces: Vec<Repl>, max_id: usize, dialect: Dialect) -> Rhs {
        let plain = pieces
            .iter()
            .all(|p| p.group.is_none() && p.case == 0)
            .then(|| {
                pieces
                    .iter()
                    .flat_map(|r| r.prefix.iter().copied())
                    .collect()
            });
        Rhs {
            pieces,
            max_id,
            plain,
            dialect,
        }
    }

    /// Read a replacement (the text between its delimiters as [`match_slash`] returned it).
    /// Tar refuses a reference above `nsub` here (sed checks once its regex is known).
    pub fn parse(text: &[u8], delim: u8, d: Dialect, nsub: usize) -> Result<Rhs, &'static str> {
        match d {
            Dialect::Sed { basic } => {
                let (p, m) = sed_replacement(text, basic);
                Ok(Rhs::new(p, m, d))
            }
            Dialect::Tar => {
                let (p, m) = tar_replacement(text, delim, nsub)?;
                Ok(Rhs::new(p, m, d))
            }
        }
    }

    /// Append the replacement for one match of `ps` (groups in `caps`) to `out`.
    pub fn append(
        &self,
        out: &mut Vec<u8>,
        ps: &[u8],
        caps: &[Option<(usize, usize)>],
        st: &mut CaseState,
    ) {
        if let Some(t) = &self.plain {
            out.extend_from_slice(t);
            return;
        }
        match self.dialect {
            Dialect::Sed { .. } => sed_append(out, &self.pieces, ps, caps),
            Dialect::Tar => tar_append(out, &self.pieces, ps, caps, st),
        }
    }
}

/// GNU sed's setup_replacement: literal pieces, `\N` and `&` references, case conversions.
/// Each backslash or `&` closes a piece (empty pieces matter: they consume a pending `\u`).
fn sed_replacement(text: &[u8], basic: bool) -> (Vec<Repl>, usize) {
    let s = normalize(text, Text::Replacement);
    let mut out: Vec<Repl> = Vec::new();
    let mut max_id = 0;
    let mut cur = Vec::new();
    let mut repl_type: u8 = 0;
    let mut save_type: u8 = 0;
    let mut p = 0;
    while p < s.len() {
        if s[p] == b'\\' {
            out.push(Repl {
                prefix: std::mem::take(&mut cur),
                group: None,
                case: repl_type,
            });
            repl_type = save_type;
            p += 1;
            let node = out.last_mut().unwrap();
            if p == s.len() {
                node.prefix.push(b'\\');
                break;
            }
            let c = s[p];
            match c {
                b'0'..=b'9' => {
                    let id = (c - b'0') as usize;
                    node.group = Some(id);
                    max_id = max_id.max(id);
                }
                _ if basic => node.prefix.push(c),
                b'L' => {
                    repl_type = CASE_LOWER;
                    save_type = CASE_LOWER;
                }
                b'U' => {
                    repl_type = CASE_UPPER;
                    save_type = CASE_UPPER;
                }
                b'E' => {
                    repl_type = 0;
                    save_type = 0;
                }
                b'l' => {
                    save_type = repl_type;
                    repl_type |= CASE_LFIRST;
                }
                b'u' => {
                    save_type = repl_type;
                    repl_type |= CASE_UFIRST;
                }
                _ => node.prefix.push(c),
            }
            p += 1;
        } else if s[p] == b'&' {
            out.push(Repl {
                prefix: std::mem::take(&mut cur),
                group: Some(0),
                case: repl_type,
            });
            repl_type = save_type;
            p += 1;
        } else {
            cur.push(s[p]);
            p += 1;
        }
    }
    if !cur.is_empty() {
        out.push(Repl {
            prefix: cur,
            group: None,
            case: repl_type,
        });
    }
    (out, max_id)
}

/// GNU tar's replacement: `\N` (any number of digits, at most `nsub`), `&`, `\\ \a \b \f
/// \n \r \t \v \&`, `\DELIM`, the case controls; any other `\c` stays as written.
fn tar_replacement(s: &[u8], delim: u8, nsub: usize) -> Result<(Vec<Repl>, usize), &'static str> {
    let mut out: Vec<Repl> = Vec::new();
    let mut max_id = 0;
    let mut cur = Vec::new();
    let lit = |out: &mut Vec<Repl>, t: Vec<u8>| {
        if !t.is_empty() {
            out.push(Repl {
                prefix: t,
                group: None,
                case: 0,
            });
        }
    };
    let grp = |out: &mut Vec<Repl>, g: usize| {
        out.push(Repl {
            prefix: Vec::new(),
            group: Some(g),
            case: 0,
        })
    };
    let ctl = |out: &mut Vec<Repl>, c: u8| {
        out.push(Repl {
            prefix: Vec::new(),
            group: None,
            case: CASE_CTL | c,
        })
    };
    let mut p = 0;
    while p < s.len() {
        match s[p] {
            b'\\' if p + 1 < s.len() => {
                lit(&mut out, std::mem::take(&mut cur));
                p += 1;
                let c = s[p];
                p += 1;
                match c {
                    b'0'..=b'9' => {
                        let mut n = (c - b'0') as usize;
                        while p < s.len() && s[p].is_ascii_digit() {
                            n = n.saturating_mul(10).saturating_add((s[p] - b'0') as usize);
                            p += 1;
                        }
                        if n > nsub {
                            return Err(
                                "Invalid transform replacement: back reference out of range",
                            );
                        }
                        max_id = max_id.max(n);
                        grp(&mut out, n);
                    }
                    b'L' => ctl(&mut out, TAR_LO),
                    b'l' => ctl(&mut out, TAR_LO_NEXT),
                    b'U' => ctl(&mut out, TAR_UP),
                    b'u' => ctl(&mut out, TAR_UP_NEXT),
                    b'E' => ctl(&mut out, TAR_STOP),
                    _ => {
                        let t = match c {
                            b'\\' => vec![b'\\'],
                            b'a' => vec![7],
                            b'b' => vec![8],
                            b'f' => vec![12],
                            b'n' => vec![b'\n'],
                            b'r' => vec![b'\r'],
                            b't' => vec![b'\t'],
                            b'v' => vec![11],
                            b'&' => vec![b'&'],
                            _ if c == delim => vec![delim],
                            _ => vec![b'\\', c],
                        };
                        lit(&mut out, t);
                    }
                }
            }
            b'&' => {
                lit(&mut out, std::mem::take(&mut cur));
                grp(&mut out, 0);
                p += 1;
            }
            c => {
                cur.push(c);
                p += 1;
            }
        }
    }
    lit(&mut out, cur);
    Ok((out, max_id))
}

/// GNU sed's case conversion of a replacement (execute.c's str_append_modified).
fn sed_append(out: &mut Vec<u8>, repl: &[Repl], ps: &[u8], caps: &[Option<(usize, usize)>]) {
    let mut repl_mode = 0u8;
    for p in repl {
        let mut cur = if p.case & CASE_MODS != 0 {
            p.case
        } else {
            p.case | repl_mode
        };
        repl_mode = 0;
        if !p.prefix.is_empty() {
            append_cased(out, &p.prefix, cur);
            cur &= !CASE_MODS;
        }
        if let Some(g) = p.group {
            let span = caps.get(g).copied().flatten();
            match span {
                Some((a, b)) if a != b => append_cased(out, &ps[a..b], cur),
                _ => {
                    if p.case & CASE_MODS != 0 {
                        repl_mode = cur & CASE_MODS;
                    }
                }
            }
        }
    }
}

fn append_cased(out: &mut Vec<u8>, s: &[u8], mut t: u8) {
    if t == 0 {
        out.extend_from_slice(s);
        return;
    }
    let mut s = s;
    if t & CASE_UFIRST != 0 && !s.is_empty() {
        out.push(s[0].to_ascii_uppercase());
        s = &s[1..];
    } else if t & CASE_LFIRST != 0 && !s.is_empty() {
        out.push(s[0].to_ascii_lowercase());
        s = &s[1..];
    }
    t &= !CASE_MODS;
    if t == CASE_UPPER {
        out.extend(s.iter().map(|c| c.to_ascii_uppercase()));
    } else if t == CASE_LOWER {
        out.extend(s.iter().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend_from_slice(s);
    }
}

/// GNU tar's case state (`case_ctl`, `save_ctl`), kept across the matches in one name.
#[derive(Default, Clone, Copy)]
pub struct CaseState {
    ctl: u8,
    save: u8,
}

fn tar_append(
    out: &mut Vec<u8>,
    repl: &[Repl],
    ps: &[u8],
    caps: &[Option<(usize, usize)>],
    st: &mut CaseState,
) {
    for p in repl {
        let text: &[u8] = if p.case & CASE_CTL != 0 {
            let c = p.case & !CASE_CTL;
            if matches!(c, TAR_UP_NEXT | TAR_LO_NEXT)
                && matches!(st.save, TAR_STOP | TAR_UP | TAR_LO)
            {
                st.save = st.ctl;
            }
            st.ctl = c;
            continue;
        } else if let Some(g) = p.group {
            match caps.get(g).copied().flatten() {
                Some((a, b)) => &ps[a..b],
                None => continue,
            }
        } else {
            &p.prefix
        };
        let start = out.len();
        out.extend_from_slice(text);
        if st.ctl == TAR_STOP {
            continue;
        }
        let t = &mut out[start..];
        match st.ctl {
            TAR_UP_NEXT => {
                if let Some(c) = t.first_mut() {
                    *c = c.to_ascii_uppercase();
                }
            }
            TAR_LO_NEXT => {
                if let Some(c) = t.first_mut() {
                    *c = c.to_ascii_lowercase();
                }
            }
            TAR_UP => t.make_ascii_uppercase(),
            _ => t.make_ascii_lowercase(),
        }
        if matches!(st.ctl, TAR_UP_NEXT | TAR_LO_NEXT) {
            st.ctl = st.save;
            st.save = TAR_STOP;
        }
    }
}

/// How the matches are replaced.
#[derive(Clone, Copy, Debug, Default)]
pub struct How {
    /// `g`: every match (from the `nth` on).
    pub global: bool,
    /// `N`: the Nth match (0 or 1: the first).
    pub nth: u64,
    /// Each search starts a new subject where the last match ended (GNU tar).
    pub fresh: bool,
}

/// Replace the matches of `m`'s pattern in `ps` by `rhs`, writing the result to `acc`
/// (cleared first). `caps` has room for every group `rhs` refers to (at least one entry).
/// False, with `acc` unspecified, when nothing was replaced.
pub fn substitute(
    m: &mut Matcher,
    ps: &[u8],
    rhs: &Rhs,
    how: How,
    caps: &mut [Option<(usize, usize)>],
    acc: &mut Vec<u8>,
) -> bool {
    substitute_in(m, ps, rhs, how, None, caps, acc)
}

/// The first match at or after `start` within one `d`-separated segment of `ps` (GNU sed's
/// match_regex for `M` under -z: `^` and `$` are the segment's ends, no match spans a `d`).
pub fn segment_search(
    m: &mut Matcher,
    ps: &[u8],
    start: usize,
    d: u8,
    caps: Option<&mut [Option<(usize, usize)>]>,
) -> Option<(usize, usize)> {
    let mut beg = memchr::memrchr(d, &ps[..start]).map_or(0, |i| i + 1);
    let mut from = start;
    let mut caps = caps;
    loop {
        let end = memchr::memchr(d, &ps[beg..]).map_or(ps.len(), |i| beg + i);
        let seg = &ps[beg..end];
        let f = match caps.as_deref_mut() {
            Some(c) => {
                if m.captures_at(seg, from - beg, 0, c) {
                    for x in c.iter_mut().flatten() {
                        x.0 += beg;
                        x.1 += beg;
                    }
                    c[0]
                } else {
                    None
                }
            }
            None => m
                .find_at(seg, from - beg, 0)
                .map(|(a, b)| (a + beg, b + beg)),
        };
        if f.is_some() || end == ps.len() {
            return f;
        }
        beg = end + 1;
        from = beg;
    }
}

/// [`substitute`], with each search kept within one `segments`-separated part when given.
pub fn substitute_in(
    m: &mut Matcher,
    ps: &[u8],
    rhs: &Rhs,
    how: How,
    segments: Option<u8>,
    caps: &mut [Option<(usize, usize)>],
    acc: &mut Vec<u8>,
) -> bool {
    acc.clear();
    let need_caps = rhs.max_id > 0;
    let len = ps.len();
    let mut start = 0;
    let mut count = 0u64;
    let mut did = false;
    let mut prev_end: Option<usize> = None;
    let nth = how.nth.max(1);
    let mut st = CaseState::default();
    while start <= len {
        let (hay, base) = if how.fresh {
            (&ps[start..], start)
        } else {
            (ps, 0)
        };
        let from = start - base;
        let found = if let Some(d) = segments {
            let f = segment_search(m, ps, start, d, need_caps.then_some(&mut *caps));
            caps[0] = f;
            f
        } else if need_caps {
            if m.captures_at(hay, from, 0, caps) {
                if base > 0 {
                    for c in caps.iter_mut().flatten() {
                        c.0 += base;
                        c.1 += base;
                    }
                }
                caps[0]
            } else {
                None
            }
        } else {
            let f = m.find_at(hay, from, 0).map(|(a, b)| (a + base, b + base));
            caps[0] = f;
            f
        };
        let Some((ms, me)) = found else { break };
        if ms == me && prev_end == Some(ms) {
            // An empty match right after the previous match does not count.
            if ms >= len {
                break;
            }
            acc.extend_from_slice(&ps[start..=ms]);
            start = ms + 1;
            continue;
        }
        acc.extend_from_slice(&ps[start..ms]);
        count += 1;
        if count < nth {
            if ms == me {
                if ms < len {
                    acc.push(ps[ms]);
                }
                start = me + 1;
            } else {
                acc.extend_from_slice(&ps[ms..me]);
                start = me;
            }
            prev_end = Some(me);
            continue;
        }
        rhs.append(acc, ps, caps, &mut st);
        did = true;
        if ms == me {
            if ms < len {
                acc.push(ps[ms]);
            }
            start = me + 1;
        } else {
            start = me;
        }
        prev_end = Some(me);
        if !how.global {
            break;
        }
    }
    if did && start < len {
        acc.extend_from_slice(&ps[start..]);
    }
    did
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::regex::{Flags, Regex};

    #[test]
    fn sed_replacement_pieces() {
        let (r, m) = sed_replacement(b"a\\1b&c", false);
        assert_eq!(m, 1);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].prefix, b"a");
        assert_eq!(r[0].group, Some(1));
        assert_eq!(r[2].prefix, b"c");
    }

    fn run(re: &[u8], flags: u32, rhs: &[u8], d: Dialect, how: How, subj: &[u8]) -> Vec<u8> {
        let re = Regex::new(re, Flags(flags)).unwrap();
        let rhs = Rhs::parse(rhs, b'/', d, re.groups()).unwrap();
        let mut caps = vec![None; re.groups() + 1];
        let mut acc = Vec::new();
        let mut m = re.matcher();
        if substitute(&mut m, subj, &rhs, how, &mut caps, &mut acc) {
            acc
        } else {
            subj.to_vec()
        }
    }

    #[test]
    fn case_conversion_differs_as_gnu() {
        let sed = Dialect::Sed { basic: false };
        let how = How::default();
        assert_eq!(run(b"abc", 0, b"\\U\\u&x", sed, how, b"abc"), b"ABCX");
        assert_eq!(run(b"abc", 0, b"\\u\\L&X", sed, how, b"abc"), b"abcx");
        assert_eq!(
            run(b"abc", 0, b"\\u\\L&X", Dialect::Tar, how, b"abc"),
            b"abcx"
        );
        assert_eq!(
            run(b"abc", 0, b"\\U\\u&x", Dialect::Tar, how, b"abc"),
            b"AbcX"
        );
        assert_eq!(
            run(
                b"\\(a\\)\\(b\\)",
                0,
                b"\\u\\2\\U\\1x\\Ey",
                Dialect::Tar,
                how,
                b"abab"
            ),
            b"BAXyab"
        );
    }

    #[test]
    fn tar_escapes_and_numbers() {
        let how = How {
            global: true,
            ..How::default()
        };
        assert_eq!(
            run(b"a", 0, b"\\t\\q\\/", Dialect::Tar, how, b"xa"),
            b"x\t\\q/"
        );
        assert!(Rhs::parse(b"\\2", b'/', Dialect::Tar, 1).is_err());
        // Fresh subjects: `\<` matches again after each match.
        let fresh = How {
            global: true,
            fresh: true,
            nth: 0,
        };
        assert_eq!(run(b"\\<a", 0, b"X", Dialect::Tar, fresh, b"aaa"), b"XXX");
        assert_eq!(run(b"\\<a", 0, b"X", Dialect::Tar, how, b"aaa"), b"Xaa");
    }
}
