//! The awk tokenizer: tokens with their line numbers, regex literals told from division by
//! the token before them (as every awk does), string escapes processed here.

use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Newline,
    Eof,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Not,
    Gt,
    Lt,
    Pipe,
    Question,
    Colon,
    Tilde,
    NoMatch,
    Dollar,
    Assign,
    AddAssign,
    SubAssign,
    MulAssign,
    DivAssign,
    ModAssign,
    PowAssign,
    Eq,
    Le,
    Ge,
    Ne,
    Incr,
    Decr,
    And,
    Or,
    Append,
    Number(f64),
    Str(Rc<[u8]>),
    Regex(Rc<[u8]>),
    /// A name.
    Name(Rc<str>),
    /// A name written right before `(`: a user function call.
    FuncName(Rc<str>),
    Builtin(Builtin),
    // keywords
    Begin,
    End,
    Function,
    If,
    Else,
    While,
    For,
    Do,
    Break,
    Continue,
    Next,
    NextFile,
    Exit,
    Return,
    Delete,
    In,
    Getline,
    Print,
    Printf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Length,
    Substr,
    Index,
    Split,
    Sub,
    Gsub,
    Gensub,
    Match,
    Sprintf,
    Sin,
    Cos,
    Atan2,
    Exp,
    Log,
    Sqrt,
    Int,
    Rand,
    Srand,
    Tolower,
    Toupper,
    System,
    Close,
    Fflush,
}

fn keyword(s: &str) -> Option<Tok> {
    Some(match Kw::of(s.as_bytes()) {
        Some(Kw::Begin) => Tok::Begin,
        Some(Kw::End) => Tok::End,
        Some(Kw::Function) | Some(Kw::Func) => Tok::Function,
        Some(Kw::If) => Tok::If,
        Some(Kw::Else) => Tok::Else,
        Some(Kw::While) => Tok::While,
        Some(Kw::For) => Tok::For,
        Some(Kw::Do) => Tok::Do,
        Some(Kw::Break) => Tok::Break,
        Some(Kw::Continue) => Tok::Continue,
        Some(Kw::Next) => Tok::Next,
        Some(Kw::Nextfile) => Tok::NextFile,
        Some(Kw::Exit) => Tok::Exit,
        Some(Kw::Return) => Tok::Return,
        Some(Kw::Delete) => Tok::Delete,
        Some(Kw::In) => Tok::In,
        Some(Kw::Getline) => Tok::Getline,
        Some(Kw::Print) => Tok::Print,
        Some(Kw::Printf) => Tok::Printf,
        Some(Kw::Length) => Tok::Builtin(Builtin::Length),
        Some(Kw::Substr) => Tok::Builtin(Builtin::Substr),
        Some(Kw::Index) => Tok::Builtin(Builtin::Index),
        Some(Kw::Split) => Tok::Builtin(Builtin::Split),
        Some(Kw::Sub) => Tok::Builtin(Builtin::Sub),
        Some(Kw::Gsub) => Tok::Builtin(Builtin::Gsub),
        Some(Kw::Gensub) => Tok::Builtin(Builtin::Gensub),
        Some(Kw::Match) => Tok::Builtin(Builtin::Match),
        Some(Kw::Sprintf) => Tok::Builtin(Builtin::Sprintf),
        Some(Kw::Sin) => Tok::Builtin(Builtin::Sin),
        Some(Kw::Cos) => Tok::Builtin(Builtin::Cos),
        Some(Kw::Atan2) => Tok::Builtin(Builtin::Atan2),
        Some(Kw::Exp) => Tok::Builtin(Builtin::Exp),
        Some(Kw::Log) => Tok::Builtin(Builtin::Log),
        Some(Kw::Sqrt) => Tok::Builtin(Builtin::Sqrt),
        Some(Kw::Int) => Tok::Builtin(Builtin::Int),
        Some(Kw::Rand) => Tok::Builtin(Builtin::Rand),
        Some(Kw::Srand) => Tok::Builtin(Builtin::Srand),
        Some(Kw::Tolower) => Tok::Builtin(Builtin::Tolower),
        Some(Kw::Toupper) => Tok::Builtin(Builtin::Toupper),
        Some(Kw::System) => Tok::Builtin(Builtin::System),
        Some(Kw::Close) => Tok::Builtin(Builtin::Close),
        Some(Kw::Fflush) => Tok::Builtin(Builtin::Fflush),
        _ => return None,
    })
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Kw {
        Begin = "BEGIN",
        End = "END",
        Function = "function",
        Func = "func",
        If = "if",
        Else = "else",
        While = "while",
        For = "for",
        Do = "do",
        Break = "break",
        Continue = "continue",
        Next = "next",
        Nextfile = "nextfile",
        Exit = "exit",
        Return = "return",
        Delete = "delete",
        In = "in",
        Getline = "getline",
        Print = "print",
        Printf = "printf",
        Length = "length",
        Substr = "substr",
        Index = "index",
        Split = "split",
        Sub = "sub",
        Gsub = "gsub",
        Gensub = "gensub",
        Match = "match",
        Sprintf = "sprintf",
        Sin = "sin",
        Cos = "cos",
        Atan2 = "atan2",
        Exp = "exp",
        Log = "log",
        Sqrt = "sqrt",
        Int = "int",
        Rand = "rand",
        Srand = "srand",
        Tolower = "tolower",
        Toupper = "toupper",
        System = "system",
        Close = "close",
        Fflush = "fflush",
    }
}

/// How a token reads in `syntax error at or near X`.
pub fn describe(t: &Tok) -> String {
    match t {
        Tok::Newline => "end of line".into(),
        Tok::Eof => "end of file".into(),
        Tok::Number(n) => format!("{n}"),
        Tok::Str(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
        Tok::Regex(s) => format!("/{}/", String::from_utf8_lossy(s)),
        Tok::Name(s) | Tok::FuncName(s) => s.to_string(),
        Tok::Builtin(b) => format!("{b:?}").to_ascii_lowercase(),
        t => {
            let s = match t {
                Tok::LBrace => "{",
                Tok::RBrace => "}",
                Tok::LParen => "(",
                Tok::RParen => ")",
                Tok::LBracket => "[",
                Tok::RBracket => "]",
                Tok::Semi => ";",
                Tok::Comma => ",",
                Tok::Plus => "+",
                Tok::Minus => "-",
                Tok::Star => "*",
                Tok::Slash => "/",
                Tok::Percent => "%",
                Tok::Caret => "^",
                Tok::Not => "!",
                Tok::Gt => ">",
                Tok::Lt => "<",
                Tok::Pipe => "|",
                Tok::Question => "?",
                Tok::Colon => ":",
                Tok::Tilde => "~",
                Tok::NoMatch => "!~",
                Tok::Dollar => "$",
                Tok::Assign => "=",
                Tok::AddAssign => "+=",
                Tok::SubAssign => "-=",
                Tok::MulAssign => "*=",
                Tok::DivAssign => "/=",
                Tok::ModAssign => "%=",
                Tok::PowAssign => "^=",
                Tok::Eq => "==",
                Tok::Le => "<=",
                Tok::Ge => ">=",
                Tok::Ne => "!=",
                Tok::Incr => "++",
                Tok::Decr => "--",
                Tok::And => "&&",
                Tok::Or => "||",
                Tok::Append => ">>",
                Tok::Begin => "BEGIN",
                Tok::End => "END",
                Tok::Function => "function",
                Tok::If => "if",
                Tok::Else => "else",
                Tok::While => "while",
                Tok::For => "for",
                Tok::Do => "do",
                Tok::Break => "break",
                Tok::Continue => "continue",
                Tok::Next => "next",
                Tok::NextFile => "nextfile",
                Tok::Exit => "exit",
                Tok::Return => "return",
                Tok::Delete => "delete",
                Tok::In => "in",
                Tok::Getline => "getline",
                Tok::Print => "print",
                Tok::Printf => "printf",
                _ => "?",
            };
            s.into()
        }
    }
}

/// awk's string escapes (`\n \t \" \/ \ddd` ...) in `s`; an unknown escape keeps its
/// backslash (mawk). Used for string literals, `-v` values and command-line assignments.
pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            out.push(c);
            continue;
        }
        let e = s[i];
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'/' => out.push(b'/'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + (s[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'x' if i < s.len() && s[i].is_ascii_hexdigit() => {
                // mawk: up to two hex digits
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < s.len() && s[i].is_ascii_hexdigit() {
                    v = v * 16 + (s[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    out
}

/// A regex literal's text as the regex engine wants it: awk's escapes for characters
/// (`\n`, `\/`, `\"`, octal) become the bytes (escaped again when special), the rest stays.
pub fn regex_source(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            out.push(c);
            continue;
        }
        let e = s[i];
        i += 1;
        let lit = match e {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'v' => 11,
            b'/' => b'/',
            b'"' => b'"',
            b'y' => {
                out.extend_from_slice(b"\\b");
                continue;
            }
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + (s[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                let b = v as u8;
                if b"\\^$.[]|()*+?{}".contains(&b) {
                    out.push(b'\\');
                }
                out.push(b);
                continue;
            }
            _ => {
                out.push(b'\\');
                out.push(e);
                continue;
            }
        };
        out.push(lit);
    }
    out
}

pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    pub line: usize,
    /// Whether a `/` now starts a regex (the previous token ends no operand).
    regex_ok: bool,
    /// Depth of `(` and `[`, for nothing but the regex decision after `)`.
    pub last: Tok,
}

pub type LexResult = Result<(Tok, usize), (usize, String)>;

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Lexer {
            src,
            pos: 0,
            line: 1,
            regex_ok: true,
            last: Tok::Newline,
        }
    }

    fn peekc(&self, k: usize) -> u8 {
        *self.src.get(self.pos + k).unwrap_or(&0)
    }

    pub fn next_tok(&mut self) -> LexResult {
        let t = self.scan()?;
        self.regex_ok = !matches!(
            t.0,
            Tok::Number(_)
                | Tok::Str(_)
                | Tok::Regex(_)
                | Tok::Name(_)
                | Tok::RParen
                | Tok::RBracket
                | Tok::Dollar
                | Tok::Incr
                | Tok::Decr
                | Tok::Builtin(_)
        );
        self.last = t.0.clone();
        Ok(t)
    }

    fn scan(&mut self) -> LexResult {
        loop {
            let c = self.peekc(0);
            if self.pos >= self.src.len() {
                return Ok((Tok::Eof, self.line));
            }
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.peekc(1) == b'\n' => {
                    self.pos += 2;
                    self.line += 1;
                }
                b'\\' if self.peekc(1) == b'\r' && self.peekc(2) == b'\n' => {
                    self.pos += 3;
                    self.line += 1;
                }
                b'#' => {
                    while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let line = self.line;
        let c = self.src[self.pos];
        self.pos += 1;
        let two = |l: &mut Self, next: u8, yes: Tok, no: Tok| {
            if l.peekc(0) == next {
                l.pos += 1;
                yes
            } else {
                no
            }
        };
        let t = match c {
            b'\n' => {
                self.line += 1;
                Tok::Newline
            }
            b'{' => Tok::LBrace,
            b'}' => Tok::RBrace,
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b';' => Tok::Semi,
            b',' => Tok::Comma,
            b'+' => match self.peekc(0) {
                b'+' => {
                    self.pos += 1;
                    Tok::Incr
                }
                b'=' => {
                    self.pos += 1;
                    Tok::AddAssign
                }
                _ => Tok::Plus,
            },
            b'-' => match self.peekc(0) {
                b'-' => {
                    self.pos += 1;
                    Tok::Decr
                }
                b'=' => {
                    self.pos += 1;
                    Tok::SubAssign
                }
                _ => Tok::Minus,
            },
            b'*' => {
                if self.peekc(0) == b'*' {
                    self.pos += 1;
                    two(self, b'=', Tok::PowAssign, Tok::Caret)
                } else {
                    two(self, b'=', Tok::MulAssign, Tok::Star)
                }
            }
            b'/' if self.regex_ok => return self.regex(line),
            b'/' => two(self, b'=', Tok::DivAssign, Tok::Slash),
            b'%' => two(self, b'=', Tok::ModAssign, Tok::Percent),
            b'^' => two(self, b'=', Tok::PowAssign, Tok::Caret),
            b'!' => match self.peekc(0) {
                b'=' => {
                    self.pos += 1;
                    Tok::Ne
                }
                b'~' => {
                    self.pos += 1;
                    Tok::NoMatch
                }
                _ => Tok::Not,
            },
            b'>' => match self.peekc(0) {
                b'=' => {
                    self.pos += 1;
                    Tok::Ge
                }
                b'>' => {
                    self.pos += 1;
                    Tok::Append
                }
                _ => Tok::Gt,
            },
            b'<' => two(self, b'=', Tok::Le, Tok::Lt),
            b'=' => two(self, b'=', Tok::Eq, Tok::Assign),
            b'|' => two(self, b'|', Tok::Or, Tok::Pipe),
            b'&' => {
                if self.peekc(0) == b'&' {
                    self.pos += 1;
                    Tok::And
                } else {
                    return Err((line, "syntax error at or near &".into()));
                }
            }
            b'?' => Tok::Question,
            b':' => Tok::Colon,
            b'~' => Tok::Tilde,
            b'$' => Tok::Dollar,
            b'"' => return self.string(line),
            b'0'..=b'9' | b'.' => {
                self.pos -= 1;
                return self.number(line);
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let st = self.pos - 1;
                while self.pos < self.src.len()
                    && (self.src[self.pos].is_ascii_alphanumeric() || self.src[self.pos] == b'_')
                {
                    self.pos += 1;
                }
                let name = std::str::from_utf8(&self.src[st..self.pos]).unwrap_or("");
                if let Some(k) = keyword(name) {
                    k
                } else if self.peekc(0) == b'(' {
                    Tok::FuncName(name.into())
                } else {
                    Tok::Name(name.into())
                }
            }
            c => {
                let s = if c.is_ascii_graphic() {
                    (c as char).to_string()
                } else {
                    format!("\\{c:03o}")
                };
                return Err((line, format!("syntax error at or near {s}")));
            }
        };
        Ok((t, line))
    }

    fn number(&mut self, line: usize) -> LexResult {
        let s = &self.src[self.pos..];
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i < s.len() && s[i] == b'.' {
            i += 1;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i == 1 && s[0] == b'.' {
            self.pos += 1;
            return Err((line, "syntax error at or near .".into()));
        }
        if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
            let mut k = i + 1;
            if k < s.len() && (s[k] == b'+' || s[k] == b'-') {
                k += 1;
            }
            if k < s.len() && s[k].is_ascii_digit() {
                while k < s.len() && s[k].is_ascii_digit() {
                    k += 1;
                }
                i = k;
            }
        }
        let v = crate::common::num::decimal(&s[..i]);
        self.pos += i;
        Ok((Tok::Number(v), line))
    }

    fn string(&mut self, line: usize) -> LexResult {
        let st = self.pos;
        loop {
            if self.pos >= self.src.len() || self.src[self.pos] == b'\n' {
                let s = String::from_utf8_lossy(&self.src[st..self.pos.min(st + 10)]);
                return Err((line, format!("runaway string constant \"{s} ...")));
            }
            match self.src[self.pos] {
                b'"' => break,
                b'\\' if self.pos + 1 < self.src.len() => {
                    if self.src[self.pos + 1] == b'\n' {
                        self.line += 1;
                    }
                    self.pos += 2
                }
                _ => self.pos += 1,
            }
        }
        let raw = &self.src[st..self.pos];
        self.pos += 1;
        // backslash-newline inside a string is a continuation
        let mut joined = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'\\' && raw.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if raw[i] == b'\\' && i + 1 < raw.len() {
                joined.push(raw[i]);
                joined.push(raw[i + 1]);
                i += 2;
                continue;
            }
            joined.push(raw[i]);
            i += 1;
        }
        Ok((Tok::Str(unescape(&joined).into()), line))
    }

    fn regex(&mut self, line: usize) -> LexResult {
        let st = self.pos;
        let mut in_br = false;
        loop {
            if self.pos >= self.src.len() || self.src[self.pos] == b'\n' {
                let s = String::from_utf8_lossy(&self.src[st..self.pos.min(st + 10)]);
                return Err((line, format!("runaway regular expression /{s} ...")));
            }
            let c = self.src[self.pos];
            match c {
                b'\\' if self.pos + 1 < self.src.len() => {
                    self.pos += 2;
                    continue;
                }
                b'[' if !in_br => {
                    in_br = true;
                    self.pos += 1;
                    // `[]...]` and `[^]...]`: the first `]` is a member
                    if self.peekc(0) == b'^' {
                        self.pos += 1;
                    }
                    if self.peekc(0) == b']' {
                        self.pos += 1;
                    }
                    continue;
                }
                b'[' if in_br && self.peekc(1) == b':' => {
                    // a class inside a bracket: skip to ":]"
                    let mut k = self.pos + 2;
                    while k + 1 < self.src.len() && self.src[k] != b'\n' {
                        if self.src[k] == b':' && self.src[k + 1] == b']' {
                            break;
                        }
                        k += 1;
                    }
                    self.pos = (k + 2).min(self.src.len());
                    continue;
                }
                b']' if in_br => in_br = false,
                b'/' if !in_br => break,
                _ => {}
            }
            self.pos += 1;
        }
        let raw = self.src[st..self.pos].to_vec();
        self.pos += 1;
        Ok((Tok::Regex(raw.into()), line))
    }
}
