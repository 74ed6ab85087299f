//! The command line of `find`: leading options, paths, and the expression parsed into a tree,
//! with GNU findutils 4.9's messages.

use std::os::fd::{AsFd, OwnedFd};

use super::fmt::{self, Seg};
use super::{Cmp, Exec, Node, Opts, TField};
use crate::common::datetime;
use crate::common::fnmatch::{fnmatch, Flags as FnFlags};
use crate::common::fs::{apply_mode, Names};
use crate::common::quote::quote_locale;
use crate::common::regex::{Regex, Syntax};
use crate::common::sort;
use crate::common::sys::fd::{self as sysfd, cwd};
use crate::common::time::Zone;
use crate::common::walk::Follow;

/// A parse failure: the message (without `find: `), already printed warnings aside.
pub type PResult<T> = Result<T, Vec<u8>>;

fn msg(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// An output file of -fprint/-fprintf/-fls.
pub struct FileOut {
    pub name: Vec<u8>,
    pub fd: OwnedFd,
    /// Device and inode, to find the same file under another name.
    id: Option<(u64, u64)>,
}

pub struct Parser<'a> {
    args: &'a [Vec<u8>],
    pos: usize,
    pub opts: Opts,
    pub execs: Vec<Exec>,
    pub files: Vec<FileOut>,
    pub has_action: bool,
    pub warnings_out: Vec<Vec<u8>>,
    first_nonoption: Option<Vec<u8>>,
    last_pred: Vec<u8>,
    pub names: Names,
    pub now: (i64, u32),
    pub uses_prune: bool,
    pub uses_delete: bool,
    pub explicit_depth: bool,
    pub needs_execdir_check: bool,
    /// A test, action or option other than -files0-from was parsed (for a stray `)`).
    counted_pred: bool,
    /// The paths named on the command line (a `-path` ending in `/` can match only these).
    pub start_points: Vec<Vec<u8>>,
    /// The error being returned is one of the expression's structure.
    structural: bool,
}

/// Does `a` start the expression (rather than name a path)? As GNU 4.9: `-x`, `!` and `(`;
/// a lone `)` or `,` is a path wherever it stands among the paths (`find '(1' ,`).
pub fn looks_like_expression(a: &[u8]) -> bool {
    matches!(a, [b'-', _, ..] | b"!" | b"(")
}

const REGEX_TYPES: &[&str] = &[
    "findutils-default",
    "ed",
    "emacs",
    "gnu-awk",
    "grep",
    "posix-awk",
    "awk",
    "posix-basic",
    "posix-egrep",
    "egrep",
    "posix-extended",
    "posix-minimal-basic",
    "sed",
];

fn regex_syntax(name: &[u8]) -> Option<Syntax> {
    use Syntax as S;
    // glibc's RE_SYNTAX_* compositions.
    let gnu_awk_base = S::BACKSLASH_ESCAPE_IN_LISTS
        | S::DOT_NOT_NULL
        | S::NO_BK_PARENS
        | S::NO_BK_REFS
        | S::NO_BK_VBAR
        | S::NO_EMPTY_RANGES
        | S::DOT_NEWLINE
        | S::CONTEXT_INDEP_ANCHORS
        | S::CHAR_CLASSES
        | S::UNMATCHED_RIGHT_PAREN_ORD;
    let awk = gnu_awk_base | S::NO_GNU_OPS;
    let posix_ext = S::POSIX_EXTENDED.0;
    let egrep = S::CHAR_CLASSES
        | S::CONTEXT_INDEP_ANCHORS
        | S::CONTEXT_INDEP_OPS
        | S::HAT_LISTS_NOT_NEWLINE
        | S::NEWLINE_ALT
        | S::NO_BK_PARENS
        | S::NO_BK_VBAR;
    let grep =
        S::BK_PLUS_QM | S::CHAR_CLASSES | S::HAT_LISTS_NOT_NEWLINE | S::INTERVALS | S::NEWLINE_ALT;
    let bits = match name {
        b"findutils-default" => S::DOT_NEWLINE,
        b"emacs" => 0,
        b"ed" | b"sed" | b"posix-basic" => S::POSIX_BASIC.0,
        b"posix-minimal-basic" => {
            S::CHAR_CLASSES
                | S::DOT_NEWLINE
                | S::DOT_NOT_NULL
                | S::INTERVALS
                | S::NO_EMPTY_RANGES
                | S::LIMITED_OPS
        }
        b"gnu-awk" => {
            (gnu_awk_base | S::INTERVALS | S::CONTEXT_INVALID_OPS)
                & !(S::DOT_NOT_NULL | S::CONTEXT_INDEP_OPS)
        }
        b"awk" => awk,
        b"posix-awk" => {
            (posix_ext | S::BACKSLASH_ESCAPE_IN_LISTS | S::INTERVALS | S::NO_GNU_OPS)
                & !S::CONTEXT_INVALID_OPS
        }
        b"grep" => grep,
        b"egrep" => egrep,
        b"posix-egrep" => egrep | S::INTERVALS | S::NO_BK_BRACES | S::INVALID_INTERVAL_ORD,
        b"posix-extended" => posix_ext,
        _ => return None,
    };
    Some(Syntax(bits))
}

/// A number as gnulib's xstrtoumax reads it after find's own `+`/`-`: white space, one more
/// `+` (no `-`), digits and nothing after.
fn parse_num(s: &[u8]) -> Option<u64> {
    let s = &s[s.iter().take_while(|c| is_c_space(**c)).count()..];
    digits(s.strip_prefix(b"+").unwrap_or(s))
}

fn digits(s: &[u8]) -> Option<u64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn split_cmp(s: &[u8]) -> (Cmp, &[u8]) {
    match s.first() {
        Some(b'+') => (Cmp::Gt, &s[1..]),
        Some(b'-') => (Cmp::Lt, &s[1..]),
        _ => (Cmp::Eq, s),
    }
}

fn type_bit(c: u8) -> Option<u16> {
    Some(match c {
        b'b' => 1,
        b'c' => 2,
        b'd' => 4,
        b'p' => 8,
        b'f' => 16,
        b'l' => 32,
        b's' => 64,
        b'D' => 128,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    pub fn new(args: &'a [Vec<u8>], opts: Opts, now: (i64, u32)) -> Parser<'a> {
        Parser {
            args,
            pos: 0,
            opts,
            execs: Vec::new(),
            files: Vec::new(),
            has_action: false,
            warnings_out: Vec::new(),
            first_nonoption: None,
            last_pred: Vec::new(),
            names: Names::new(),
            now,
            uses_prune: false,
            uses_delete: false,
            explicit_depth: false,
            needs_execdir_check: false,
            counted_pred: false,
            start_points: Vec::new(),
            structural: false,
        }
    }

    fn matches_start_point(&self, pat: &[u8], fold: bool) -> bool {
        let fl = FnFlags {
            casefold: fold,
            ..FnFlags::PLAIN
        };
        if self.start_points.is_empty() {
            return fnmatch(pat, b".", fl);
        }
        self.start_points.iter().any(|p| fnmatch(pat, p, fl))
    }

    fn peek(&self) -> Option<&'a [u8]> {
        self.args.get(self.pos).map(|v| v.as_slice())
    }

    /// The next token of the expression's structure. GNU's -daystart makes no predicate, so
    /// it is taken here, where it stands, and is invisible to operators: `! -daystart -mmin 1`
    /// negates the -mmin.
    fn peek_op(&mut self) -> Option<&'a [u8]> {
        while self.peek() == Some(b"-daystart") {
            self.take(b"-daystart");
            self.daystart();
        }
        self.peek()
    }

    fn daystart(&mut self) {
        if !self.opts.daystart {
            self.opts.daystart = true;
            let z = Zone::local();
            let tm = z.to_tm(self.now.0);
            let midnight =
                self.now.0 - (tm.hour as i64 * 3600 + tm.min as i64 * 60 + tm.sec as i64);
            self.opts.origin = (midnight + 86400, 0);
        }
    }

    /// The whole expression; None when empty.
    pub fn parse(&mut self) -> PResult<Option<Node>> {
        match self.parse_tree() {
            Err(m) if self.structural => Err(self.later_error().unwrap_or(m)),
            r => r,
        }
    }

    /// GNU parses every predicate before it builds the tree: after an error of structure
    /// (operators, parentheses), an error in a later predicate is the one reported.
    fn later_error(&mut self) -> Option<Vec<u8>> {
        while let Some(t) = self.peek_op() {
            if matches!(
                t,
                b"!" | b"-not" | b"(" | b")" | b"-o" | b"-or" | b"-a" | b"-and" | b","
            ) {
                self.take(t);
            } else if let Err(e) = self.primary(t) {
                return Some(e);
            }
        }
        None
    }

    fn bad_structure(&mut self, m: &[u8]) -> Vec<u8> {
        self.structural = true;
        m.to_vec()
    }

    fn parse_tree(&mut self) -> PResult<Option<Node>> {
        // A `)` before any test or action (only -files0-from, which GNU does not count as
        // one, can stand before it: elsewhere a leading `)` is a path) has its own message.
        const NOTHING_BEFORE: &[u8] =
            b"invalid expression: expected expression before closing parentheses ')'.";
        match self.peek_op() {
            None => return Ok(None),
            Some(b")") => return Err(self.bad_structure(NOTHING_BEFORE)),
            _ => {}
        }
        let n = self.comma()?;
        if let Some(t) = self.peek_op() {
            if t == b")" {
                if !self.counted_pred {
                    return Err(self.bad_structure(NOTHING_BEFORE));
                }
                return Err(self.bad_structure(b"you have too many ')'"));
            }
            return Err(self.unexpected(t));
        }
        Ok(Some(names_first(n)))
    }

    fn unexpected(&self, t: &[u8]) -> Vec<u8> {
        if t.first() == Some(&b'-') {
            msg(&[b"unknown predicate `", t, b"'"])
        } else {
            let mut m = msg(&[b"paths must precede expression: `", t, b"'"]);
            if !self.last_pred.is_empty() && sysfd::access(t, libc::F_OK) {
                m.extend_from_slice(b"\nfind: possible unquoted pattern after predicate `");
                m.extend_from_slice(&self.last_pred);
                m.extend_from_slice(b"'?");
            }
            m
        }
    }

    fn comma(&mut self) -> PResult<Node> {
        let mut l = self.or()?;
        while self.peek_op() == Some(b",") {
            self.take(b",");
            self.missing_operand()?;
            let r = self.or()?;
            l = Node::Comma(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    /// An operator's token taken: GNU names its messages after the last predicate parsed.
    fn take(&mut self, t: &[u8]) {
        self.pos += 1;
        self.last_pred = t.to_vec();
    }

    /// Nothing after an operator: GNU's messages name the last token parsed (a -daystart
    /// after the operator renames it), and at the end of an expression that has an action
    /// (so no `( ... ) -print` is added around it) say only "invalid expression".
    fn missing_operand(&mut self) -> PResult<()> {
        let m = match self.peek_op() {
            None if self.has_action => b"invalid expression".to_vec(),
            None => msg(&[b"expected an expression after '", &self.last_pred, b"'"]),
            Some(b")") => msg(&[
                b"expected an expression between '",
                &self.last_pred,
                b"' and ')'",
            ]),
            _ => return Ok(()),
        };
        Err(self.bad_structure(&m))
    }

    fn or(&mut self) -> PResult<Node> {
        let mut l = self.and()?;
        while let Some(t @ (b"-o" | b"-or")) = self.peek_op() {
            self.take(t);
            self.missing_operand()?;
            let r = self.and()?;
            l = Node::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> PResult<Node> {
        let mut l = self.unary()?;
        loop {
            match self.peek_op() {
                None | Some(b")" | b"," | b"-o" | b"-or") => return Ok(l),
                Some(t @ (b"-a" | b"-and")) => {
                    self.take(t);
                    self.missing_operand()?;
                }
                _ => {}
            }
            let r = self.unary()?;
            l = Node::And(Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> PResult<Node> {
        match self.peek_op() {
            Some(t @ (b"!" | b"-not")) => {
                self.take(t);
                self.missing_operand()?;
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            Some(t @ (b"-o" | b"-or" | b"-a" | b"-and" | b",")) => {
                let m = msg(&[
                    b"invalid expression; you have used a binary operator '",
                    t,
                    b"' with nothing before it.",
                ]);
                Err(self.bad_structure(&m))
            }
            Some(b"(") => {
                self.take(b"(");
                match self.peek_op() {
                    None => {
                        let m = msg(&[b"invalid expression; expected to find a ')' but didn't see one. Perhaps you need an extra predicate after '", &self.last_pred, b"'"]);
                        return Err(self.bad_structure(&m));
                    }
                    Some(b")") => {
                        return Err(self.bad_structure(
                            b"invalid expression; empty parentheses are not allowed.",
                        ))
                    }
                    _ => {}
                }
                let n = self.comma()?;
                if self.peek_op() != Some(b")") {
                    return Err(self.bad_structure(b"invalid expression; I was expecting to find a ')' somewhere but did not see one."));
                }
                self.take(b")");
                Ok(n)
            }
            Some(t) => self.primary(t),
            None => Err(self.bad_structure(b"invalid expression")),
        }
    }

    fn arg(&mut self, pred: &[u8]) -> PResult<&'a [u8]> {
        match self.args.get(self.pos) {
            Some(a) => {
                self.pos += 1;
                Ok(a)
            }
            None => Err(msg(&[b"missing argument to `", pred, b"'"])),
        }
    }

    fn global_option(&mut self, name: &[u8]) {
        if let Some(f) = &self.first_nonoption {
            if self.opts.warnings {
                let m = msg(&[
                    b"warning: you have specified the global option ",
                    name,
                    b" after the argument ",
                    f,
                    b", but global options are not positional, i.e., ",
                    name,
                    b" affects tests specified before it as well as those specified after it.  Please specify global options before other arguments.",
                ]);
                self.warnings_out.push(m);
            }
        }
    }

    fn nonoption(&mut self, name: &[u8]) {
        if self.first_nonoption.is_none() {
            self.first_nonoption = Some(name.to_vec());
        }
    }

    fn num_arg(&mut self, pred: &[u8]) -> PResult<(Cmp, u64)> {
        let a = self.arg(pred)?;
        let (c, rest) = split_cmp(a);
        match parse_num(rest) {
            Some(n) => Ok((c, n)),
            None => Err(msg(&[b"invalid argument `", a, b"' to `", pred, b"'"])),
        }
    }

    /// A time test's `[+-]N`, where N may have a fraction (GNU reads it with strtod).
    fn float_arg(&mut self, pred: &[u8]) -> PResult<(Cmp, f64)> {
        let a = self.arg(pred)?;
        let (c, rest) = split_cmp(a);
        // all of strtod: white space, a second sign, hexadecimal
        let (n, len) = crate::common::num::strtod(rest);
        if len == 0 || len != rest.len() || !n.is_finite() {
            return Err(if pred == b"-used" {
                msg(&[b"Invalid argument ", a, b" to -used"])
            } else {
                msg(&[b"invalid argument `", a, b"' to `", pred, b"'"])
            });
        }
        Ok((c, n))
    }

    fn depth_arg(&mut self, pred: &[u8]) -> PResult<usize> {
        let a = self.arg(pred)?;
        // GNU takes no sign here, not even the `+` that numeric tests allow, and an int.
        let digits = !a.is_empty() && a.iter().all(u8::is_ascii_digit);
        match parse_num(a).filter(|_| digits) {
            Some(n) if n <= i32::MAX as u64 => Ok(n as usize),
            _ if digits => Err(msg(&[a, b": Numerical result out of range"])),
            _ => Err(msg(&[
                b"Expected a positive decimal integer argument to ",
                pred,
                b", but got ",
                &quote_locale(a),
            ])),
        }
    }

    fn stat_ref(&self, name: &[u8]) -> PResult<libc::stat> {
        let fl = if self.opts.follow != Follow::Never {
            0
        } else {
            libc::AT_SYMLINK_NOFOLLOW
        };
        // GNU's -H/-L stat falls back to the link itself when its target is missing
        let r = sysfd::fstatat(cwd(), name, fl).or_else(|e| match e.raw_os_error() {
            Some(libc::ENOENT | libc::ENOTDIR) if fl == 0 => {
                sysfd::fstatat(cwd(), name, libc::AT_SYMLINK_NOFOLLOW)
            }
            _ => Err(e),
        });
        r.map_err(|e| {
            msg(&[
                &quote_locale(name),
                b": ",
                crate::common::ctx::strerror(&e).as_bytes(),
            ])
        })
    }

    fn out_file(&mut self, name: &[u8]) -> PResult<usize> {
        if name == b"/dev/stdout" {
            return Ok(0);
        }
        let fd = sysfd::open(
            name,
            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
            0o666,
        )
        .map_err(|e| {
            msg(&[
                &quote_locale(name),
                b": ",
                crate::common::ctx::strerror(&e).as_bytes(),
            ])
        })?;
        // Two names for one file share one stream, as GNU's: each would otherwise overwrite
        // what the other wrote.
        let id = sysfd::fstat(fd.as_fd())
            .map(|st| (st.st_dev, st.st_ino))
            .ok();
        if let Some(i) = self.files.iter().position(|f| id.is_some() && f.id == id) {
            return Ok(i + 1);
        }
        self.files.push(FileOut {
            name: name.to_vec(),
            fd,
            id,
        });
        Ok(self.files.len())
    }

    fn primary(&mut self, t: &'a [u8]) -> PResult<Node> {
        self.pos += 1;
        self.counted_pred |= t != b"-files0-from";
        let name = t;
        let p = match P::of(t) {
            None if t.starts_with(b"-newer") && t.len() == 8 => Some(P::NewerXY),
            p => p,
        };
        let Some(p) = p else {
            self.nonoption(t);
            self.pos -= 1;
            return Err(self.unexpected(t));
        };
        let is_global = matches!(
            p,
            P::Maxdepth
                | P::Mindepth
                | P::Depth
                | P::D
                | P::Xdev
                | P::Mount
                | P::Noleaf
                | P::IgnoreReaddirRace
                | P::NoignoreReaddirRace
        );
        if is_global {
            self.global_option(t);
        } else if !matches!(
            p,
            P::Daystart | P::Follow | P::Regextype | P::Warn | P::Nowarn
        ) {
            self.nonoption(t);
        }
        let n = match p {
            P::Maxdepth => {
                self.opts.maxdepth = Some(self.depth_arg(t)?);
                Node::True
            }
            P::Mindepth => {
                self.opts.mindepth = self.depth_arg(t)?;
                Node::True
            }
            P::Depth | P::D => {
                self.opts.depth_first = true;
                self.explicit_depth = true;
                Node::True
            }
            P::Xdev | P::Mount => {
                self.opts.xdev = true;
                Node::True
            }
            P::Noleaf => Node::True,
            P::IgnoreReaddirRace => {
                self.opts.ignore_race = true;
                Node::True
            }
            P::NoignoreReaddirRace => {
                self.opts.ignore_race = false;
                Node::True
            }
            P::Daystart => {
                self.daystart();
                Node::True
            }
            P::Follow => {
                self.opts.follow = Follow::All;
                Node::True
            }
            P::Warn => {
                self.opts.warnings = true;
                Node::True
            }
            P::Nowarn => {
                self.opts.warnings = false;
                Node::True
            }
            P::Regextype => {
                let a = self.arg(t)?;
                match regex_syntax(a) {
                    Some(s) => self.opts.regex = s,
                    None => {
                        let mut m = msg(&[
                            b"Unknown regular expression type ",
                            &quote_locale(a),
                            b"; valid types are ",
                        ]);
                        for (i, r) in REGEX_TYPES.iter().enumerate() {
                            if i > 0 {
                                m.extend_from_slice(b", ");
                            }
                            m.extend_from_slice(&quote_locale(r.as_bytes()));
                        }
                        m.push(b'.');
                        return Err(m);
                    }
                }
                Node::True
            }
            P::True => Node::True,
            P::False => Node::False,
            P::Name
            | P::Iname
            | P::Path
            | P::Ipath
            | P::Wholename
            | P::Iwholename
            | P::Lname
            | P::Ilname => {
                let a = self.arg(t)?.to_vec();
                let fold = t[1] == b'i';
                match t {
                    b"-name" | b"-iname" => {
                        if a.contains(&b'/') && self.opts.warnings && a != b"/" {
                            self.warnings_out.push(msg(&[
                                b"warning: '",
                                t,
                                b"' matches against basenames only, but the given pattern contains a directory separator (",
                                &quote_locale(b"/"),
                                b"), thus the expression will evaluate to false all the time.  Did you mean '-wholename'?",
                            ]));
                        }
                        Node::Name(a, fold)
                    }
                    b"-lname" | b"-ilname" => Node::LName(a, fold),
                    _ => {
                        if a.ends_with(b"/") && !self.matches_start_point(&a, fold) {
                            // always shown, as GNU's
                            self.warnings_out.push(msg(&[
                                b"warning: ",
                                t,
                                b" ",
                                &a,
                                b" will not match anything because it ends with /.",
                            ]));
                        }
                        Node::Path(a, fold)
                    }
                }
            }
            P::Regex | P::Iregex => {
                let a = self.arg(t)?;
                let mut syn = self.opts.regex;
                if t == b"-iregex" {
                    syn = syn.with(Syntax::ICASE);
                }
                match Regex::with_syntax(a, syn.with(Syntax::NO_SUB), true) {
                    Ok(r) => Node::Regex(Box::new(r)),
                    Err(e) => {
                        return Err(msg(&[
                            // the pattern as given, in plain quotes (GNU's '%s')
                            b"failed to compile regular expression '",
                            a,
                            b"': ",
                            e.to_string().as_bytes(),
                        ]));
                    }
                }
            }
            P::Type | P::Xtype => {
                let a = self.arg(t)?;
                let mut mask = 0u16;
                let mut i = 0;
                while i < a.len() {
                    let Some(b) = type_bit(a[i]) else {
                        return Err(msg(&[b"Unknown argument to ", t, b": ", &a[i..i + 1]]));
                    };
                    if mask & b != 0 {
                        return Err(msg(&[
                            b"Duplicate file type '",
                            &a[i..i + 1],
                            b"' in the argument list to ",
                            t,
                            b".",
                        ]));
                    }
                    if b == 128 {
                        return Err(msg(&[
                            t,
                            b" D is not supported because Solaris doors are not supported on the platform find was compiled on.",
                        ]));
                    }
                    mask |= b;
                    i += 1;
                    if i < a.len() {
                        if a[i] != b',' {
                            return Err(msg(&[
                                b"Must separate multiple arguments to ",
                                t,
                                b" using: ','",
                            ]));
                        }
                        i += 1;
                        if i == a.len() {
                            return Err(msg(&[
                                b"Last file type in list argument to ",
                                t,
                                b" is missing, i.e., list is ending on: ','",
                            ]));
                        }
                    }
                }
                if a.is_empty() {
                    return Err(msg(&[
                        b"Arguments to ",
                        t,
                        b" should contain at least one letter",
                    ]));
                }
                Node::Type(mask, t == b"-xtype")
            }
            P::Size => {
                let a = self.arg(t)?;
                let Some(&last) = a.last() else {
                    return Err(b"invalid null argument to -size".to_vec());
                };
                // the unit comes off first, then the sign (GNU's order)
                let unit = match last {
                    b'0'..=b'9' => None,
                    b'b' => Some(512),
                    b'c' => Some(1),
                    b'w' => Some(2),
                    b'k' => Some(1024),
                    b'M' => Some(1 << 20),
                    b'G' => Some(1 << 30),
                    _ => return Err(msg(&[b"invalid -size type `", &[last], b"'"])),
                };
                let num = if unit.is_some() { &a[..a.len() - 1] } else { a };
                let (c, rest) = split_cmp(num);
                match parse_num(rest) {
                    Some(n) => Node::Size(c, n, unit.unwrap_or(512)),
                    None => return Err(msg(&[b"Invalid argument `", a, b"' to -size"])),
                }
            }
            P::Empty => Node::Empty,
            P::Mtime | P::Atime | P::Ctime | P::Mmin | P::Amin | P::Cmin => {
                let (c, n) = self.float_arg(t)?;
                let field = match t[1] {
                    b'a' => TField::A,
                    b'c' => TField::C,
                    _ => TField::M,
                };
                Node::Age {
                    field,
                    cmp: c,
                    n,
                    days: t.ends_with(b"time"),
                }
            }
            P::Used => {
                let (c, n) = self.float_arg(t)?;
                Node::Used(c, n)
            }
            P::Newer | P::Anewer | P::Cnewer => {
                let a = self.arg(t)?;
                let st = self.stat_ref(a)?;
                let field = match t[1] {
                    b'a' => TField::A,
                    b'c' => TField::C,
                    _ => TField::M,
                };
                Node::Newer(field, st.st_mtime, st.st_mtime_nsec as u32)
            }
            P::NewerXY => {
                let (x, y) = (t[6], t[7]);
                if x == b'B' || y == b'B' {
                    return Err(msg(&[
                        b"This system does not provide a way to find the birth time of a file.\nfind: invalid predicate `",
                        t,
                        b"'",
                    ]));
                }
                let field = match x {
                    b'a' => TField::A,
                    b'c' => TField::C,
                    b'm' => TField::M,
                    _ => return Err(msg(&[b"invalid predicate `", t, b"'"])),
                };
                if !matches!(y, b'a' | b'c' | b'm' | b't') {
                    return Err(msg(&[b"invalid predicate `", t, b"'"]));
                }
                let a = self.arg(t)?;
                let reft = if y == b't' {
                    match datetime::parse(a, self.now, &Zone::local()) {
                        Some(i) => i,
                        None => {
                            return Err(msg(&[
                                b"I cannot figure out how to interpret ",
                                &quote_locale(a),
                                b" as a date or time",
                            ]))
                        }
                    }
                } else {
                    let st = self.stat_ref(a)?;
                    match y {
                        b'a' => (st.st_atime, st.st_atime_nsec as u32),
                        b'c' => (st.st_ctime, st.st_ctime_nsec as u32),
                        _ => (st.st_mtime, st.st_mtime_nsec as u32),
                    }
                };
                Node::Newer(field, reft.0, reft.1)
            }
            P::Perm => {
                let a = self.arg(t)?;
                let (kind, spec) = match a.first() {
                    Some(b'-') => (b'-', &a[1..]),
                    Some(b'/') => (b'/', &a[1..]),
                    _ => (b'=', a),
                };
                let bad = || msg(&[b"invalid mode ", &quote_locale(a)]);
                if spec.is_empty()
                    || spec.first() == Some(&b'+') && spec[1..].iter().all(u8::is_ascii_digit)
                {
                    return Err(bad());
                }
                let f = apply_mode(spec, 0, false).ok_or_else(bad)?;
                let d = apply_mode(spec, 0, true).ok_or_else(bad)?;
                if kind == b'/' && f & 0o7777 == 0 && d & 0o7777 == 0 {
                    // GNU's reminder that `/000` now matches everything, as `-000` does;
                    // GNU gives it even under -nowarn
                    self.warnings_out.push(msg(&[
                        b"warning: you have specified a mode pattern ",
                        a,
                        b" (which is equivalent to /000). The meaning of -perm /000 has now been changed to be consistent with -perm -000; that is, while it used to match no files, it now matches all files.",
                    ]));
                }
                Node::Perm(kind, f & 0o7777, d & 0o7777)
            }
            P::User => {
                let a = self.arg(t)?;
                let id = match self.names.users().id(a) {
                    Some(id) => id as u64,
                    // digits alone, no sign or space (GNU's strspn)
                    None => match digits(a) {
                        Some(n) => n,
                        None => {
                            return Err(msg(&[
                                &quote_locale(a),
                                b" is not the name of a known user",
                            ]))
                        }
                    },
                };
                Node::Uid(Cmp::Eq, id)
            }
            P::Group => {
                let a = self.arg(t)?;
                let id = match self.names.groups().id(a) {
                    Some(id) => id as u64,
                    None => match digits(a) {
                        Some(n) => n,
                        None => {
                            return Err(msg(&[
                                &quote_locale(a),
                                b" is not the name of an existing group",
                            ]))
                        }
                    },
                };
                Node::Gid(Cmp::Eq, id)
            }
            P::Uid => {
                let (c, n) = self.num_arg(t)?;
                Node::Uid(c, n)
            }
            P::Gid => {
                let (c, n) = self.num_arg(t)?;
                Node::Gid(c, n)
            }
            P::Links => {
                let (c, n) = self.num_arg(t)?;
                Node::Links(c, n)
            }
            P::Inum => {
                let (c, n) = self.num_arg(t)?;
                Node::Inum(c, n)
            }
            P::Nouser => Node::NoUser,
            P::Nogroup => Node::NoGroup,
            P::Samefile => {
                let a = self.arg(t)?;
                let st = self.stat_ref(a)?;
                Node::SameFile(st.st_dev, st.st_ino)
            }
            P::Readable => Node::Access(libc::R_OK),
            P::Writable => Node::Access(libc::W_OK),
            P::Executable => Node::Access(libc::X_OK),
            P::Prune => {
                self.uses_prune = true;
                Node::Prune
            }
            // not an action that stops the default -print (GNU's no_default_print is false)
            P::Quit => Node::Quit,
            P::Delete => {
                self.uses_delete = true;
                self.has_action = true;
                self.opts.depth_first = true;
                Node::Delete
            }
            P::Print => {
                self.has_action = true;
                Node::Print(0, b'\n')
            }
            P::Print0 => {
                self.has_action = true;
                Node::Print(0, 0)
            }
            P::Fprint | P::Fprint0 => {
                self.has_action = true;
                let a = self.arg(t)?;
                let o = self.out_file(a)?;
                Node::Print(o, if t == b"-fprint" { b'\n' } else { 0 })
            }
            P::Printf | P::Fprintf => {
                self.has_action = true;
                let o = if t == b"-fprintf" {
                    let a = self.arg(t)?;
                    // The format is checked for presence before the file is created.
                    if self.peek().is_none() {
                        return Err(msg(&[b"missing argument to `", t, b"'"]));
                    }
                    self.out_file(a)?
                } else {
                    0
                };
                let f = self.arg(t)?;
                let segs: Vec<Seg> = fmt::compile(f, &mut self.warnings_out)?;
                Node::Printf(o, segs)
            }
            P::Ls => {
                self.has_action = true;
                Node::Ls(0)
            }
            P::Fls => {
                self.has_action = true;
                let a = self.arg(t)?;
                Node::Ls(self.out_file(a)?)
            }
            P::Exec | P::Execdir | P::Ok | P::Okdir => {
                self.has_action = true;
                let dir = t.ends_with(b"dir");
                let ok = t.starts_with(b"-ok");
                if dir {
                    self.needs_execdir_check = true;
                }
                let start = self.pos;
                let mut end = None;
                let mut plus = false;
                let mut i = start;
                while i < self.args.len() {
                    let a = &self.args[i];
                    if a == b";" {
                        end = Some(i);
                        break;
                    }
                    if a == b"+"
                        && !ok
                        && i > start
                        && self.args[i - 1].windows(2).any(|w| w == b"{}")
                    {
                        end = Some(i);
                        plus = true;
                        break;
                    }
                    i += 1;
                }
                let Some(end) = end else {
                    return Err(msg(&[b"missing argument to `", t, b"'"]));
                };
                if end == start {
                    return Err(msg(&[b"invalid argument `;' to `", t, b"'"]));
                }
                let argv: Vec<Vec<u8>> = self.args[start..end].to_vec();
                if plus {
                    let n = argv.len();
                    if argv[..n - 1]
                        .iter()
                        .any(|a| a.windows(2).any(|w| w == b"{}"))
                    {
                        let dir: &[u8] = if t == b"-execdir" { b"dir" } else { b"" };
                        return Err(msg(&[
                            b"Only one instance of {} is supported with -exec",
                            dir,
                            b" ... +",
                        ]));
                    }
                    if argv[n - 1] != b"{}" {
                        return Err(msg(&[
                            b"In '",
                            t,
                            b" ... {} +' the '{}' must appear by itself, but you specified ",
                            &quote_locale(&argv[n - 1]),
                        ]));
                    }
                }
                if dir && argv[0].windows(2).any(|w| w == b"{}") {
                    return Err(msg(&[
                        b"You may not use {} within the utility name for -execdir and -okdir, because this is a potential security problem.",
                    ]));
                }
                self.pos = end + 1;
                let mut argv = argv;
                if plus {
                    argv.pop();
                }
                self.execs.push(Exec::new(argv, plus, dir, ok));
                Node::Exec(self.execs.len() - 1)
            }
            P::Files0From => {
                let a = self.arg(t)?;
                self.opts.files0 = Some(a.to_vec());
                Node::True
            }
            P::Fstype => {
                let a = self.arg(t)?;
                Node::FsType(a.to_vec())
            }
            P::Context => {
                return Err(b"invalid predicate -context: SELinux is not enabled.".to_vec())
            }
            P::Help | P::DashHelp => return Err(b"\0help".to_vec()),
            P::Version | P::DashVersion => return Err(b"\0version".to_vec()),
        };
        self.last_pred = name.to_vec();
        Ok(n)
    }
}

crate::common::args::named! {
    /// The primaries and options `primary` knows, each name with its variant: found by one
    /// search of this table, where a match on the names compiled to a comparison of each (~5 KB).
    enum P {
        Maxdepth = "-maxdepth",
        Mindepth = "-mindepth",
        Depth = "-depth",
        D = "-d",
        Xdev = "-xdev",
        Mount = "-mount",
        Noleaf = "-noleaf",
        IgnoreReaddirRace = "-ignore_readdir_race",
        NoignoreReaddirRace = "-noignore_readdir_race",
        Daystart = "-daystart",
        Follow = "-follow",
        Warn = "-warn",
        Nowarn = "-nowarn",
        Regextype = "-regextype",
        True = "-true",
        False = "-false",
        Name = "-name",
        Iname = "-iname",
        Path = "-path",
        Ipath = "-ipath",
        Wholename = "-wholename",
        Iwholename = "-iwholename",
        Lname = "-lname",
        Ilname = "-ilname",
        Regex = "-regex",
        Iregex = "-iregex",
        Type = "-type",
        Xtype = "-xtype",
        Size = "-size",
        Empty = "-empty",
        Mtime = "-mtime",
        Atime = "-atime",
        Ctime = "-ctime",
        Mmin = "-mmin",
        Amin = "-amin",
        Cmin = "-cmin",
        Used = "-used",
        Newer = "-newer",
        Anewer = "-anewer",
        Cnewer = "-cnewer",
        Perm = "-perm",
        User = "-user",
        Group = "-group",
        Uid = "-uid",
        Gid = "-gid",
        Links = "-links",
        Inum = "-inum",
        Nouser = "-nouser",
        Nogroup = "-nogroup",
        Samefile = "-samefile",
        Readable = "-readable",
        Writable = "-writable",
        Executable = "-executable",
        Prune = "-prune",
        Quit = "-quit",
        Delete = "-delete",
        Print = "-print",
        Print0 = "-print0",
        Fprint = "-fprint",
        Fprint0 = "-fprint0",
        Printf = "-printf",
        Fprintf = "-fprintf",
        Ls = "-ls",
        Fls = "-fls",
        Exec = "-exec",
        Execdir = "-execdir",
        Ok = "-ok",
        Okdir = "-okdir",
        Files0From = "-files0-from",
        Fstype = "-fstype",
        Context = "-context",
        Help = "-help",
        DashHelp = "--help",
        Version = "-version",
        DashVersion = "--version",
        @
        /// `-newerXY` (the letters checked where it is parsed).
        NewerXY,
    }
}

/// GNU's check of PATH for -execdir and -okdir: no current directory, no relative entry.
pub fn check_path_for_execdir(path: &[u8]) -> PResult<()> {
    for e in path.split(|&c| c == b':') {
        if e.is_empty() || e == b"." {
            return Err(b"The current directory is included in the PATH environment variable, which is insecure in combination with the -execdir action of find.  Please remove the current directory from your $PATH (that is, remove \".\", doubled colons, or leading or trailing colons)".to_vec());
        }
        if e[0] != b'/' {
            return Err(msg(&[
                b"The relative path ",
                &quote_locale(e),
                b" is included in the PATH environment variable, which is insecure in combination with the -execdir action of find.  Please remove that entry from $PATH",
            ]));
        }
    }
    Ok(())
}

/// GNU's ordering, which its find applies at every -O level: in a chain of `-a`, `-o` or `,`,
/// the cheaper tests run first (see `cost`; a `!` or a parenthesised group costs what its
/// costliest test does), never across an action. Visible in what fails: `find -xtype l -name x`
/// never stats (so reports no symlink loop) where the name does not match, as GNU's.
fn names_first(n: Node) -> Node {
    // 0: -a, 1: -o, 2: `,` (GNU reorders its operands too, which changes the value: `-type d
    // , -name x` is true for directories)
    let kind = match n {
        Node::And(..) => 0,
        Node::Or(..) => 1,
        Node::Comma(..) => 2,
        Node::Not(x) => return Node::Not(Box::new(names_first(*x))),
        other => return other,
    };
    let mut items = Vec::new();
    flatten(n, kind, &mut items);
    let mut out: Vec<Node> = Vec::with_capacity(items.len());
    let mut seg_start = 0;
    for item in items {
        let item = names_first(item);
        if has_side_effects(&item) {
            sort::sort_by(&mut out[seg_start..], |a, b| cost(a).cmp(&cost(b)));
            out.push(item);
            seg_start = out.len();
        } else {
            out.push(item);
        }
    }
    sort::sort_by(&mut out[seg_start..], |a, b| cost(a).cmp(&cost(b)));
    let mut it = out.into_iter();
    let first = it.next().expect("a chain has two operands");
    it.fold(first, |l, r| {
        let (l, r) = (Box::new(l), Box::new(r));
        match kind {
            0 => Node::And(l, r),
            1 => Node::Or(l, r),
            _ => Node::Comma(l, r),
        }
    })
}

fn flatten(n: Node, kind: u8, out: &mut Vec<Node>) {
    match n {
        Node::And(a, b) if kind == 0 => {
            flatten(*a, kind, out);
            flatten(*b, kind, out);
        }
        Node::Or(a, b) if kind == 1 => {
            flatten(*a, kind, out);
            flatten(*b, kind, out);
        }
        Node::Comma(a, b) if kind == 2 => {
            flatten(*a, kind, out);
            flatten(*b, kind, out);
        }
        other => out.push(other),
    }
}

/// GNU's order of costs: the name; the inode number (from the directory entry); the type
/// (likewise); the inode's stat; the link's target; access(2).
fn cost(n: &Node) -> u8 {
    match n {
        Node::Name(..) | Node::Path(..) | Node::Regex(_) | Node::True | Node::False => 0,
        Node::Inum(..) => 1,
        Node::Type(_, false) => 2,
        Node::LName(..) => 4,
        Node::Access(_) => 5,
        Node::Not(x) => cost(x),
        Node::And(a, b) | Node::Or(a, b) | Node::Comma(a, b) => cost(a).max(cost(b)),
        _ => 3,
    }
}

fn has_side_effects(n: &Node) -> bool {
    match n {
        Node::Prune
        | Node::Quit
        | Node::Delete
        | Node::Print(..)
        | Node::Printf(..)
        | Node::Ls(_)
        | Node::Exec(_) => true,
        Node::Not(x) => has_side_effects(x),
        Node::And(a, b) | Node::Or(a, b) | Node::Comma(a, b) => {
            has_side_effects(a) || has_side_effects(b)
        }
        _ => false,
    }
}
