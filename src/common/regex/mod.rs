//! ONE POSIX regular-expression engine for every applet that matches text: grep, sed, awk,
//! find -regex, expr, tar --transform and the shell's `[[ =~ ]]`.
//!
//! Syntax and results follow glibc's `regcomp`/`regexec` (and GNU's `re_compile_pattern`
//! through [`Syntax`] bits): BRE and ERE with GNU's extensions (`\+ \? \|` in BRE,
//! `\w \W \s \S \b \B \< \> \` \'`), back-references `\1`-`\9` in both, bracket expressions
//! with classes, equivalence classes and collating symbols of the C locale, intervals,
//! REG_ICASE, REG_NEWLINE, REG_NOSUB, REG_NOTBOL/REG_NOTEOL, and glibc's error messages.
//! Matching is on bytes (C locale). The overall match is POSIX leftmost-longest; sub-matches
//! are those glibc reports (its `set_regs` walk: the first path in priority order among those
//! spanning the overall match).
//!
//! How it runs (see `exec.rs`): patterns without back-references never backtrack — a literal
//! prefilter (memchr/memmem on a byte every match must start with or a literal every match
//! must contain), a lazy DFA for "is there a match" and for the ends of matches, and an NFA
//! simulation (time linear in the subject) for spans; sub-matches then cost one backward pass
//! over the matched text. Only back-references need a backtracker, bounded in steps.

mod dfa;
mod exec;
mod litset;
mod parse;
mod prog;

use std::fmt;

pub use exec::Matcher;
pub use litset::LiteralSet;

/// glibc's `RE_*` syntax bits (same values), for tools that set their own syntax as GNU's do
/// with `re_set_syntax` (grep, sed, expr, awk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Syntax(pub u32);

impl Syntax {
    pub const BACKSLASH_ESCAPE_IN_LISTS: u32 = 1;
    pub const BK_PLUS_QM: u32 = 1 << 1;
    pub const CHAR_CLASSES: u32 = 1 << 2;
    pub const CONTEXT_INDEP_ANCHORS: u32 = 1 << 3;
    pub const CONTEXT_INDEP_OPS: u32 = 1 << 4;
    pub const CONTEXT_INVALID_OPS: u32 = 1 << 5;
    pub const DOT_NEWLINE: u32 = 1 << 6;
    pub const DOT_NOT_NULL: u32 = 1 << 7;
    pub const HAT_LISTS_NOT_NEWLINE: u32 = 1 << 8;
    pub const INTERVALS: u32 = 1 << 9;
    pub const LIMITED_OPS: u32 = 1 << 10;
    pub const NEWLINE_ALT: u32 = 1 << 11;
    pub const NO_BK_BRACES: u32 = 1 << 12;
    pub const NO_BK_PARENS: u32 = 1 << 13;
    pub const NO_BK_REFS: u32 = 1 << 14;
    pub const NO_BK_VBAR: u32 = 1 << 15;
    pub const NO_EMPTY_RANGES: u32 = 1 << 16;
    pub const UNMATCHED_RIGHT_PAREN_ORD: u32 = 1 << 17;
    pub const NO_POSIX_BACKTRACKING: u32 = 1 << 18;
    pub const NO_GNU_OPS: u32 = 1 << 19;
    pub const INVALID_INTERVAL_ORD: u32 = 1 << 21;
    pub const ICASE: u32 = 1 << 22;
    pub const CARET_ANCHORS_HERE: u32 = 1 << 23;
    pub const CONTEXT_INVALID_DUP: u32 = 1 << 24;
    pub const NO_SUB: u32 = 1 << 25;
    /// Not glibc's: under ICASE, case folded as GNU grep's dfa folds it (the pattern keeps its
    /// case, a set takes both cases of its letters before a `^` negates it, a range runs
    /// between the pattern's own bytes; glibc upper-cases pattern and input). Errors stay
    /// glibc's.
    pub const FOLD_BOTH: u32 = 1 << 26;

    const POSIX_COMMON: u32 = Self::CHAR_CLASSES
        | Self::DOT_NEWLINE
        | Self::DOT_NOT_NULL
        | Self::INTERVALS
        | Self::NO_EMPTY_RANGES;
    /// RE_SYNTAX_POSIX_BASIC (regcomp without REG_EXTENDED).
    pub const POSIX_BASIC: Syntax =
        Syntax(Self::POSIX_COMMON | Self::BK_PLUS_QM | Self::CONTEXT_INVALID_DUP);
    /// RE_SYNTAX_POSIX_EXTENDED (regcomp with REG_EXTENDED).
    pub const POSIX_EXTENDED: Syntax = Syntax(
        Self::POSIX_COMMON
            | Self::CONTEXT_INDEP_ANCHORS
            | Self::CONTEXT_INDEP_OPS
            | Self::NO_BK_BRACES
            | Self::NO_BK_PARENS
            | Self::NO_BK_VBAR
            | Self::CONTEXT_INVALID_OPS
            | Self::UNMATCHED_RIGHT_PAREN_ORD,
    );

    pub const fn with(self, bits: u32) -> Syntax {
        Syntax(self.0 | bits)
    }
    pub const fn without(self, bits: u32) -> Syntax {
        Syntax(self.0 & !bits)
    }
}

/// `regcomp` flags (glibc's values).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags(pub u32);

impl Flags {
    pub const EXTENDED: u32 = 1;
    pub const ICASE: u32 = 2;
    pub const NEWLINE: u32 = 4;
    pub const NOSUB: u32 = 8;
}

/// `regexec` flags: the subject's start is not a line start (REG_NOTBOL), its end not a line
/// end (REG_NOTEOL).
pub const NOTBOL: u32 = 1;
pub const NOTEOL: u32 = 2;

/// Why a pattern was refused: glibc's codes and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    BadPat = 2,
    ECollate,
    ECType,
    EEscape,
    ESubReg,
    EBrack,
    EParen,
    EBrace,
    BadBr,
    ERange,
    ESpace,
    BadRpt,
    EEnd,
    ESize,
    ERParen,
}

impl ErrorKind {
    pub fn message(self) -> &'static str {
        match self {
            ErrorKind::BadPat => "Invalid regular expression",
            ErrorKind::ECollate => "Invalid collation character",
            ErrorKind::ECType => "Invalid character class name",
            ErrorKind::EEscape => "Trailing backslash",
            ErrorKind::ESubReg => "Invalid back reference",
            ErrorKind::EBrack => "Unmatched [, [^, [:, [., or [=",
            ErrorKind::EParen => "Unmatched ( or \\(",
            ErrorKind::EBrace => "Unmatched \\{",
            ErrorKind::BadBr => "Invalid content of \\{\\}",
            ErrorKind::ERange => "Invalid range end",
            ErrorKind::ESpace => "Memory exhausted",
            ErrorKind::BadRpt => "Invalid preceding regular expression",
            ErrorKind::EEnd => "Premature end of regular expression",
            ErrorKind::ESize => "Regular expression too big",
            ErrorKind::ERParen => "Unmatched ) or \\)",
        }
    }
    /// glibc's `REG_*` number.
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// A pattern refused by [`Regex::new`]; displays as glibc's `regerror` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error(pub ErrorKind);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0.message())
    }
}

/// Zero-width assertions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Look {
    /// `^`: start of the subject (unless NOTBOL) or, with newline anchors, after a newline.
    Bol,
    /// `$`: end of the subject (unless NOTEOL) or, with newline anchors, before a newline.
    Eol,
    /// `` \` ``: the very start of the subject.
    BufStart,
    /// `\'`: the very end of the subject.
    BufEnd,
    /// `\<`
    WordStart,
    /// `\>`
    WordEnd,
    /// Half of `\B`: a word byte on both sides.
    InsideWord,
    /// Half of `\B`: a word byte on neither side.
    InsideNotWord,
}

/// A set of bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ByteSet(pub [u64; 4]);

impl ByteSet {
    pub fn full() -> ByteSet {
        ByteSet([!0; 4])
    }
    #[inline]
    pub fn contains(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
    }
    pub fn insert(&mut self, b: u8) {
        self.0[(b >> 6) as usize] |= 1u64 << (b & 63);
    }
    pub fn remove(&mut self, b: u8) {
        self.0[(b >> 6) as usize] &= !(1u64 << (b & 63));
    }
    pub fn not(&self) -> ByteSet {
        ByteSet([!self.0[0], !self.0[1], !self.0[2], !self.0[3]])
    }
    pub fn or(&self, o: &ByteSet) -> ByteSet {
        ByteSet([
            self.0[0] | o.0[0],
            self.0[1] | o.0[1],
            self.0[2] | o.0[2],
            self.0[3] | o.0[3],
        ])
    }
    pub fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }
    /// The single byte of a one-byte set.
    pub fn single(&self) -> Option<u8> {
        if self.count() == 1 {
            (0..=255u8).find(|&b| self.contains(b))
        } else {
            None
        }
    }
    /// A POSIX character class of the C locale.
    pub fn class(name: &[u8]) -> Option<ByteSet> {
        let f: fn(u8) -> bool = match name {
            b"alpha" => |c| c.is_ascii_alphabetic(),
            b"upper" => |c| c.is_ascii_uppercase(),
            b"lower" => |c| c.is_ascii_lowercase(),
            b"digit" => |c| c.is_ascii_digit(),
            b"xdigit" => |c| c.is_ascii_hexdigit(),
            b"space" => |c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
            b"print" => |c| (0x20..0x7f).contains(&c),
            b"punct" => |c| c.is_ascii_punctuation(),
            b"graph" => |c| c.is_ascii_graphic(),
            b"cntrl" => |c| c < 0x20 || c == 0x7f,
            b"blank" => |c| c == b' ' || c == b'\t',
            b"alnum" => |c| c.is_ascii_alphanumeric(),
            _ => return None,
        };
        let mut s = ByteSet::default();
        for b in 0..=255u8 {
            if f(b) {
                s.insert(b);
            }
        }
        Some(s)
    }
}

/// Word bytes for `\b \< \> \w`: alphanumerics and `_`.
#[inline]
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A compiled pattern. Matching borrows it immutably; the scratch space lives in a
/// [`Matcher`] (one per thread of use), or is made per call by the convenience methods.
pub struct Regex {
    prog: prog::Prog,
    nsub: usize,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Regex({} groups)", self.nsub)
    }
}

impl Regex {
    /// `regcomp(pattern, cflags)`.
    pub fn new(pattern: &[u8], flags: Flags) -> Result<Regex, Error> {
        let mut syn = if flags.0 & Flags::EXTENDED != 0 {
            Syntax::POSIX_EXTENDED
        } else {
            Syntax::POSIX_BASIC
        };
        if flags.0 & Flags::ICASE != 0 {
            syn = syn.with(Syntax::ICASE);
        }
        let newline = flags.0 & Flags::NEWLINE != 0;
        if newline {
            syn = syn
                .without(Syntax::DOT_NEWLINE)
                .with(Syntax::HAT_LISTS_NOT_NEWLINE);
        }
        if flags.0 & Flags::NOSUB != 0 {
            syn = syn.with(Syntax::NO_SUB);
        }
        // POSIX has one code for both unmatched parentheses; regcomp maps glibc's
        // REG_ERPAREN to it (re_compile_pattern keeps "Unmatched ) or \\)").
        Regex::with_syntax(pattern, syn, newline).map_err(|e| match e.0 {
            ErrorKind::ERParen => Error(ErrorKind::EParen),
            _ => e,
        })
    }

    /// GNU's `re_compile_pattern` with `re_syntax_options = syntax`; `newline_anchor` makes `^`
    /// and `$` match around newlines inside the subject too (re_compile_pattern sets it; sed
    /// sets it only for its `M` flag). `Syntax::ICASE` folds case, `Syntax::NO_SUB` drops
    /// sub-match tracking.
    pub fn with_syntax(
        pattern: &[u8],
        syntax: Syntax,
        newline_anchor: bool,
    ) -> Result<Regex, Error> {
        let parsed = parse::parse(pattern, syntax).map_err(Error)?;
        let nosub = syntax.0 & Syntax::NO_SUB != 0;
        let prog = prog::compile(
            &parsed,
            newline_anchor,
            nosub,
            syntax.0 & Syntax::ICASE != 0,
        )
        .map_err(Error)?;
        Ok(Regex {
            prog,
            nsub: parsed.nsub,
        })
    }

    /// For line tools: `with_syntax` where no part of the pattern matches the line end `eol`
    /// (so a search over a buffer of many lines finds only matches within one line); with
    /// `eol` = `\n`, `^` and `$` match around each newline. grep compiles with this.
    pub fn for_lines(pattern: &[u8], syntax: Syntax, eol: u8) -> Result<Regex, Error> {
        let mut r = Regex::with_syntax(pattern, syntax, eol == b'\n')?;
        prog::exclude_byte(&mut r.prog, eol);
        Ok(r)
    }

    /// The number of parenthesised sub-expressions (`re_nsub`).
    pub fn groups(&self) -> usize {
        self.nsub
    }

    /// The literal the whole pattern is, when it is one (no set, group, repetition or
    /// assertion; not under case folding).
    pub fn literal(&self) -> Option<&[u8]> {
        self.prog.literal.as_ref().map(|f| f.needle())
    }

    /// A literal every match contains (see `prog::required_literal`), when there is one.
    pub fn required_literal(&self) -> Option<&[u8]> {
        self.prog.required.as_ref().map(|f| f.needle())
    }

    /// Whether the pattern uses back-references (and so needs the backtracker).
    pub fn has_backrefs(&self) -> bool {
        self.prog.backrefs
    }

    /// Whether the pattern uses `` \` `` or `\'` (start and end of the whole subject): a line
    /// tool that wants them at each line's ends matches line by line.
    pub fn has_buffer_anchors(&self) -> bool {
        self.prog.insts.iter().any(|i| {
            matches!(
                i,
                prog::Inst::Look {
                    look: Look::BufStart | Look::BufEnd,
                    ..
                }
            )
        })
    }

    /// Scratch space for matching this pattern repeatedly without allocating.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher::new(&self.prog)
    }

    /// Whether the pattern matches anywhere in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.matcher().is_match(hay, 0)
    }

    /// The leftmost-longest match starting at or after `start` (positions are offsets in
    /// `hay`; the bytes before `start` are context for `^`, `\b`, `\<`...).
    pub fn find_at(&self, hay: &[u8], start: usize, eflags: u32) -> Option<(usize, usize)> {
        self.matcher().find_at(hay, start, eflags)
    }

    /// Like [`find_at`](Self::find_at), filling `caps[0]` with the match and `caps[i]` with
    /// sub-expression `i` (None when it took no part), as `regexec` fills `pmatch`.
    pub fn captures_at(
        &self,
        hay: &[u8],
        start: usize,
        eflags: u32,
        caps: &mut [Option<(usize, usize)>],
    ) -> bool {
        self.matcher().captures_at(hay, start, eflags, caps)
    }

    /// GNU's `re_match`: the longest match starting exactly at `start`.
    pub fn match_at(
        &self,
        hay: &[u8],
        start: usize,
        eflags: u32,
        caps: &mut [Option<(usize, usize)>],
    ) -> bool {
        self.matcher().match_at(hay, start, eflags, caps)
    }
}

#[cfg(test)]
mod tests;
