//! Reading a sed script into commands, the way GNU sed 4.9's compile.c reads it: one byte at a
//! time with the same look-ahead, so every error names the same character position
//! (`-e expression #1, char 3: unterminated `s' command`) or script line.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::regex::{Regex, Syntax};
use crate::common::subst::{
    is_digit, match_slash, normalize, recursive_escape_c, Cursor, Dialect, Rhs, Text, EOF,
};

/// `match_slash`'s dialect here (its `basic` is for replacements only).
const SED: Dialect = Dialect::Sed { basic: false };
use crate::common::sys::fd as sysfd;
use std::os::fd::OwnedFd;

/// Where a piece of script came from, for messages.
#[derive(Clone, Debug)]
pub enum Src {
    /// The Nth `-e` (or the script operand, which is #1).
    Expr(usize),
    /// A `-f` file (its name as given; `-` for standard input).
    File(OsString),
}

/// How much GNU the script may use (`--posix` is Basic; POSIXLY_CORRECT is Correct).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Posix {
    Extended,
    Correct,
    Basic,
}

#[derive(Clone, Debug)]
pub enum Addr {
    Num(u64),
    /// first~step
    Step(u64, u64),
    Last,
    /// Index into the regex table; `None`: the empty regex (the last one used).
    Re(Option<usize>),
    /// `addr1,+N`
    Plus(u64),
    /// `addr1,~N`
    Mult(u64),
    /// `addr1,+0` / `addr1,~0`: the range is the one line.
    Null,
}

#[derive(Debug)]
pub struct Subst {
    pub re: Option<usize>,
    pub repl: Rhs,
    pub global: bool,
    pub print: u8,
    pub nth: u64,
    pub eval: bool,
    pub wfile: Option<usize>,
}

#[derive(Debug)]
pub enum Kind {
    /// `{`: index of the matching `}` (filled in when it is read).
    Block(usize),
    EndBlock,
    Eq,
    Append(Vec<u8>),
    Insert(Vec<u8>),
    Change(Vec<u8>),
    /// b, t, T: the label name until resolved, then the target index.
    Branch(u8, Vec<u8>, usize),
    Label,
    Delete,
    DeleteFirst,
    Exec(Vec<u8>),
    FileName,
    Get,
    GetAppend,
    Hold,
    HoldAppend,
    List(i64),
    Next,
    NextAppend,
    Print,
    PrintFirst,
    Quit(i32),
    QuitSilent(i32),
    /// `r FILE`; true: `0r FILE`, written at once, before line 1.
    Read(Vec<u8>, bool),
    ReadLine(usize),
    Subst(Box<Subst>),
    Write(usize),
    WriteFirst(usize),
    Exchange,
    Translate(Box<[u8; 256]>),
    Zap,
}

#[derive(Debug)]
pub struct Cmd {
    pub a1: Option<Addr>,
    pub a2: Option<Addr>,
    pub bang: bool,
    pub kind: Kind,
}

/// A compiled script.
#[derive(Default)]
pub struct Script {
    pub cmds: Vec<Cmd>,
    pub regexes: Vec<Regex>,
    /// Per regex: `M` under -z, matched one NUL-separated segment at a time (GNU).
    pub segmented: Vec<bool>,
    /// `w` destinations by name (`/dev/stdout` and `/dev/stderr` are special), opened (and
    /// truncated) as the script is read, as GNU does.
    pub wfiles: Vec<Vec<u8>>,
    pub wfds: Vec<Option<OwnedFd>>,
    /// `R` sources by name.
    pub rfiles: Vec<Vec<u8>>,
    /// `#n` on the first line.
    pub quiet: bool,
    /// Per regex: compiled for an address, without its groups (GNU's RE_NO_SUB): an `s//`
    /// that reuses it checks then that its RHS's references exist (GNU's default mode only).
    pub no_sub: Vec<bool>,
    /// Where the script ended: the last `-e` number, or the last `-f` file and its line count
    /// (for run-time messages about the empty regex).
    pub last_src: Option<Src>,
    pub last_line: u64,
}

pub struct Opts {
    pub extended: bool,
    pub posix: Posix,
    pub sandbox: bool,
    pub zero: bool,
}

/// Cross-chunk state: open blocks, text continued into the next `-e`, labels.
pub struct Compiler<'o> {
    pub script: Script,
    opts: &'o Opts,
    blocks: Vec<(usize, Src, u64)>,
    /// Text of an `a`, `i`, `c` continued past the end of a chunk: (command, text so far).
    pending: Option<(usize, Vec<u8>)>,
    labels: Vec<(Vec<u8>, usize)>,
    first_script: bool,
}

/// A compile error, already worded (`-e expression #1, char 3: ...`).
pub struct CompileError(pub Vec<u8>, pub i32);

struct Reader<'a> {
    cur: Cursor<'a>,
    src: Src,
}

impl<'a> std::ops::Deref for Reader<'a> {
    type Target = Cursor<'a>;
    fn deref(&self) -> &Cursor<'a> {
        &self.cur
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.cur
    }
}

impl Reader<'_> {
    fn err(&self, why: &str) -> CompileError {
        CompileError(where_msg(&self.src, self.pos as u64, self.line, why), 1)
    }
}

fn where_msg(src: &Src, pos: u64, line: u64, why: &str) -> Vec<u8> {
    let mut m = Vec::new();
    match src {
        Src::Expr(n) => {
            push_fmt(&mut m, format_args!("-e expression #{n}, char {pos}: "));
        }
        Src::File(name) => {
            m.extend_from_slice(b"file ");
            m.extend_from_slice(name.as_bytes());
            push_fmt(&mut m, format_args!(" line {line}: "));
        }
    }
    m.extend_from_slice(why.as_bytes());
    m
}

/// A message about the script at run time (GNU reports these with position 0).
pub fn runtime_msg(script: &Script, why: &str) -> Vec<u8> {
    match &script.last_src {
        Some(s) => where_msg(s, 0, script.last_line, why),
        None => why.as_bytes().to_vec(),
    }
}

fn is_space(c: i32) -> bool {
    matches!(c, 9..=13 | 32)
}
fn ch(c: u8) -> i32 {
    c as i32
}

impl<'o> Compiler<'o> {
    pub fn new(opts: &'o Opts) -> Self {
        Compiler {
            script: Script::default(),
            opts,
            blocks: Vec::new(),
            pending: None,
            labels: Vec::new(),
            first_script: true,
        }
    }

    /// Compile one chunk (`-e` text or `-f` file contents).
    pub fn chunk(&mut self, text: &[u8], src: Src) -> Result<(), CompileError> {
        let line = if matches!(src, Src::File(_)) { 1 } else { 0 };
        let mut r = Reader {
            cur: Cursor::new(text, line),
            src: src.clone(),
        };
        self.script.last_src = Some(src);
        let res = self.program(&mut r);
        self.script.last_line = r.line;
        self.first_script = false;
        res
    }

    fn program(&mut self, r: &mut Reader) -> Result<(), CompileError> {
        if let Some((idx, text)) = self.pending.take() {
            self.read_text(r, idx, text, ch(b'\n'));
        }
        loop {
            let mut c = r.inchar();
            while c == ch(b';') || is_space(c) {
                c = r.inchar();
            }
            if c == EOF {
                break;
            }
            let posix_basic = self.opts.posix == Posix::Basic;
            let mut a1 = None;
            let mut a2 = None;
            if let Some(a) = self.address(r, c)? {
                if matches!(a, Addr::Plus(_) | Addr::Mult(_)) {
                    return Err(r.err("invalid usage of +N or ~N as first address"));
                }
                a1 = Some(a);
                c = r.in_nonblank();
                if c == ch(b',') {
                    let c2 = r.in_nonblank();
                    match self.address(r, c2)? {
                        Some(a) => a2 = Some(a),
                        None => return Err(r.err("unexpected `,'")),
                    }
                    c = r.in_nonblank();
                }
                // `0,/re/`, and `0r FILE` (the file before the first line)
                if matches!(a1, Some(Addr::Num(0)))
                    && ((a2.is_none() && c != ch(b'r'))
                        || (a2.is_some() && !matches!(a2, Some(Addr::Re(_))))
                        || posix_basic)
                {
                    return Err(r.err("invalid usage of line address 0"));
                }
            }
            let mut bang = false;
            if c == ch(b'!') {
                bang = true;
                c = r.in_nonblank();
                if c == ch(b'!') {
                    return Err(r.err("multiple `!'s"));
                }
            }
            if posix_basic {
                match c as u8 {
                    b'e' | b'F' | b'v' | b'z' | b'L' | b'Q' | b'T' | b'R' | b'W' => {
                        return Err(unknown(r, c));
                    }
                    b'a' | b'i' | b'l' | b'=' | b'r' if a2.is_some() => {
                        return Err(r.err("command only uses one address"));
                    }
                    _ => {}
                }
            }
            let idx = self.script.cmds.len();
            let kind = match c {
                EOF => return Err(r.err("missing command")),
                _ => match c as u8 {
                    b'#' => {
                        if a1.is_some() {
                            return Err(r.err("comments don't accept any addresses"));
                        }
                        let mut c = r.inchar();
                        if c == ch(b'n') && self.first_script && r.pos == 2 {
                            self.script.quiet = true;
                        }
                        while c != EOF && c != ch(b'\n') {
                            c = r.inchar();
                        }
                        continue;
                    }
                    b'v' => {
                        let v = read_label(r);
                        let v = if v.is_empty() { b"4.0".to_vec() } else { v };
                        if version_newer(&v) {
                            return Err(r.err("expected newer version of sed"));
                        }
                        continue;
                    }
                    b'{' => {
                        self.blocks.push((idx, r.src.clone(), r.line));
                        Kind::Block(0)
                    }
                    b'}' => {
                        let Some((open, _, _)) = self.blocks.pop() else {
                            return Err(r.err("unexpected `}'"));
                        };
                        if a1.is_some() {
                            return Err(r.err("`}' doesn't want any addresses"));
                        }
                        end_of_cmd(r)?;
                        if let Kind::Block(e) = &mut self.script.cmds[open].kind {
                            *e = idx;
                        }
                        Kind::EndBlock
                    }
                    b'e' => {
                        if self.opts.sandbox {
                            return Err(r.err("e/r/w commands disabled in sandbox mode"));
                        }
                        let c = r.in_nonblank();
                        if c == EOF || c == ch(b'\n') {
                            Kind::Exec(Vec::new())
                        } else {
                            // The command is text as `a`, `i` and `c` read it (GNU):
                            // escapes, `\` newline going on.
                            r.savchar(c);
                            self.text_cmd(r, idx, a1, a2, bang, b'e')?;
                            continue;
                        }
                    }
                    b'a' | b'i' | b'c' => {
                        self.text_cmd(r, idx, a1, a2, bang, c as u8)?;
                        continue;
                    }
                    b':' => {
                        if a1.is_some() {
                            return Err(r.err(": doesn't want any addresses"));
                        }
                        let l = read_label(r);
                        if l.is_empty() {
                            return Err(r.err("\":\" lacks a label"));
                        }
                        self.labels.push((l, idx));
                        Kind::Label
                    }
                    b'T' | b'b' | b't' => Kind::Branch(c as u8, read_label(r), usize::MAX),
                    b'Q' | b'q' | b'l' => {
                        if matches!(c as u8, b'q' | b'Q') && a2.is_some() {
                            return Err(r.err("command only uses one address"));
                        }
                        let mut c2 = r.in_nonblank();
                        let mut n: i64 = -1;
                        if is_digit(c2) && !posix_basic {
                            n = r.in_integer(c2) as i64;
                            c2 = r.in_nonblank();
                        }
                        if c2 == ch(b'}') || c2 == ch(b'#') {
                            r.savchar(c2);
                        } else if c2 != EOF && c2 != ch(b'\n') && c2 != ch(b';') {
                            return Err(r.err("extra characters after command"));
                        }
                        match c as u8 {
                            b'q' => Kind::Quit(n.max(0) as i32),
                            b'Q' => Kind::QuitSilent(n.max(0) as i32),
                            b'l' => Kind::List(n),
                            _ => return Err(unknown(r, c)),
                        }
                    }
                    b'=' | b'd' | b'D' | b'F' | b'g' | b'G' | b'h' | b'H' | b'n' | b'N' | b'p'
                    | b'P' | b'z' | b'x' => {
                        end_of_cmd(r)?;
                        match c as u8 {
                            b'=' => Kind::Eq,
                            b'd' => Kind::Delete,
                            b'D' => Kind::DeleteFirst,
                            b'F' => Kind::FileName,
                            b'g' => Kind::Get,
                            b'G' => Kind::GetAppend,
                            b'h' => Kind::Hold,
                            b'H' => Kind::HoldAppend,
                            b'n' => Kind::Next,
                            b'N' => Kind::NextAppend,
                            b'p' => Kind::Print,
                            b'P' => Kind::PrintFirst,
                            b'z' => Kind::Zap,
                            _ => Kind::Exchange,
                        }
                    }
                    b'r' => {
                        if self.opts.sandbox {
                            return Err(r.err("e/r/w commands disabled in sandbox mode"));
                        }
                        let f = read_filename(r);
                        if f.is_empty() {
                            return Err(r.err("missing filename in r/R/w/W commands"));
                        }
                        if matches!(a1, Some(Addr::Num(0))) && a2.is_none() {
                            a1 = Some(Addr::Num(1));
                            Kind::Read(f, true)
                        } else {
                            Kind::Read(f, false)
                        }
                    }
                    b'R' => {
                        if self.opts.sandbox {
                            return Err(r.err("e/r/w commands disabled in sandbox mode"));
                        }
                        let f = read_filename(r);
                        if f.is_empty() {
                            return Err(r.err("missing filename in r/R/w/W commands"));
                        }
                        Kind::ReadLine(intern(&mut self.script.rfiles, f))
                    }
                    b'W' | b'w' => {
                        if self.opts.sandbox {
                            return Err(r.err("e/r/w commands disabled in sandbox mode"));
                        }
                        let f = read_filename(r);
                        if f.is_empty() {
                            return Err(r.err("missing filename in r/R/w/W commands"));
                        }
                        let i = self.wfile(f)?;
                        if c == ch(b'w') {
                            Kind::Write(i)
                        } else {
                            Kind::WriteFirst(i)
                        }
                    }
                    b's' => self.subst(r)?,
                    b'y' => self.translate(r)?,
                    _ => return Err(unknown(r, c)),
                },
            };
            self.script.cmds.push(Cmd { a1, a2, bang, kind });
        }
        if self.opts.posix == Posix::Basic && self.pending.is_some() {
            return Err(r.err("incomplete command"));
        }
        Ok(())
    }

    /// After all chunks: unmatched `{`, pending text, labels.
    pub fn finish(mut self) -> Result<Script, CompileError> {
        if let Some((_, src, line)) = self.blocks.first() {
            return Err(CompileError(where_msg(src, 0, *line, "unmatched `{'"), 1));
        }
        if let Some((idx, text)) = self.pending.take() {
            set_text(&mut self.script.cmds[idx].kind, text);
        }
        let n = self.script.cmds.len();
        // GNU resolves its jumps last one first, so the last unknown label is the one named.
        for i in (0..n).rev() {
            if let Kind::Branch(_, name, target) = &mut self.script.cmds[i].kind {
                if name.is_empty() {
                    *target = n;
                } else {
                    // A label defined twice: GNU's list is newest first, so the last one.
                    match self.labels.iter().rev().find(|(l, _)| l == name) {
                        Some((_, t)) => *target = *t,
                        None => {
                            let mut m = b"can't find label for jump to `".to_vec();
                            m.extend_from_slice(name);
                            m.push(b'\'');
                            return Err(CompileError(m, 4));
                        }
                    }
                }
            }
        }
        Ok(self.script)
    }

    /// A `w` file: the same name is one file; others are created (truncated) now.
    fn wfile(&mut self, name: Vec<u8>) -> Result<usize, CompileError> {
        if let Some(i) = self.script.wfiles.iter().position(|n| *n == name) {
            return Ok(i);
        }
        let fd = match name.as_slice() {
            b"/dev/stdout" | b"/dev/stderr" => None,
            _ => Some(
                sysfd::open(
                    &name,
                    libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                    0o666,
                )
                .map_err(|e| {
                    let mut m = b"couldn't open file ".to_vec();
                    m.extend_from_slice(&name);
                    m.extend_from_slice(b": ");
                    m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                    CompileError(m, 4)
                })?,
            ),
        };
        self.script.wfiles.push(name);
        self.script.wfds.push(fd);
        Ok(self.script.wfiles.len() - 1)
    }

    /// `a`, `i`, `c` and `e COMMAND`: `\` then the text, or (GNU) the text on the same line.
    fn text_cmd(
        &mut self,
        r: &mut Reader,
        idx: usize,
        a1: Option<Addr>,
        a2: Option<Addr>,
        bang: bool,
        which: u8,
    ) -> Result<(), CompileError> {
        let mut c = r.in_nonblank();
        if c == EOF {
            return Err(r.err("expected \\ after `a', `c' or `i'"));
        }
        if c == ch(b'\\') {
            c = r.inchar();
        } else {
            if self.opts.posix == Posix::Basic {
                return Err(r.err("expected \\ after `a', `c' or `i'"));
            }
            r.savchar(c);
            c = ch(b'\n');
        }
        let kind = match which {
            b'a' => Kind::Append(Vec::new()),
            b'i' => Kind::Insert(Vec::new()),
            b'e' => Kind::Exec(Vec::new()),
            _ => Kind::Change(Vec::new()),
        };
        self.script.cmds.push(Cmd { a1, a2, bang, kind });
        self.read_text(r, idx, Vec::new(), c);
        Ok(())
    }

    fn read_text(&mut self, r: &mut Reader, idx: usize, mut buf: Vec<u8>, leadin: i32) {
        if leadin == EOF {
            self.pending = Some((idx, buf));
            return;
        }
        if leadin != ch(b'\n') {
            buf.push(leadin as u8);
        }
        let mut c = r.inchar();
        while c != EOF && c != ch(b'\n') {
            if c == ch(b'\\') {
                c = r.inchar();
                if c != EOF {
                    buf.push(b'\\');
                }
            }
            if c == EOF {
                buf.push(b'\n');
                self.pending = Some((idx, buf));
                return;
            }
            buf.push(c as u8);
            c = r.inchar();
        }
        buf.push(b'\n');
        let t = normalize(&buf, Text::Buffer);
        set_text(&mut self.script.cmds[idx].kind, t);
    }

    fn address(&mut self, r: &mut Reader, c: i32) -> Result<Option<Addr>, CompileError> {
        let basic = self.opts.posix == Posix::Basic;
        if c == ch(b'/') || c == ch(b'\\') {
            let mut delim = c;
            if c == ch(b'\\') {
                delim = r.inchar();
            }
            let Some(b) = match_slash(r, delim, true, SED) else {
                return Err(r.err("unterminated address regex"));
            };
            let mut icase = false;
            let mut multi = false;
            loop {
                let c = r.in_nonblank();
                if !basic && c == ch(b'I') {
                    icase = true;
                } else if !basic && c == ch(b'M') {
                    multi = true;
                } else {
                    r.savchar(c);
                    break;
                }
            }
            let re = self.regex(r, &b, icase, multi, 0)?;
            return Ok(Some(Addr::Re(re)));
        }
        if is_digit(c) {
            let n = r.in_integer(c);
            let c2 = r.in_nonblank();
            if c2 != ch(b'~') || basic {
                r.savchar(c2);
                return Ok(Some(Addr::Num(n)));
            }
            let c3 = r.in_nonblank();
            let step = r.in_integer(c3);
            return Ok(Some(if step > 0 {
                Addr::Step(n, step)
            } else {
                Addr::Num(n)
            }));
        }
        if (c == ch(b'+') || c == ch(b'~')) && !basic {
            let c3 = r.in_nonblank();
            let step = r.in_integer(c3);
            return Ok(Some(if step == 0 {
                Addr::Null
            } else if c == ch(b'+') {
                Addr::Plus(step)
            } else {
                Addr::Mult(step)
            }));
        }
        if c == ch(b'$') {
            return Ok(Some(Addr::Last));
        }
        Ok(None)
    }

    /// Compile a regex (after the whole command was read, as GNU does, so errors name the
    /// position after its flags).
    fn regex(
        &mut self,
        r: &Reader,
        pat: &[u8],
        icase: bool,
        multi: bool,
        needed_sub: usize,
    ) -> Result<Option<usize>, CompileError> {
        if pat.is_empty() {
            if icase || multi {
                return Err(r.err("cannot specify modifiers on empty regexp"));
            }
            return Ok(None);
        }
        if recursive_escape_c(pat) {
            return Err(r.err(ESCAPE_C));
        }
        let pat = normalize(
            pat,
            if self.opts.posix == Posix::Extended {
                Text::Regex
            } else {
                Text::PosixRegex
            },
        );
        let mut syn = if self.opts.extended {
            Syntax::POSIX_EXTENDED
        } else {
            Syntax::POSIX_BASIC
        };
        syn = syn
            .without(Syntax::DOT_NOT_NULL)
            .with(Syntax::NO_POSIX_BACKTRACKING);
        syn = match self.opts.posix {
            Posix::Extended => syn.without(Syntax::UNMATCHED_RIGHT_PAREN_ORD),
            Posix::Correct => syn.with(Syntax::UNMATCHED_RIGHT_PAREN_ORD),
            // `+ ? |` stay operators of an ERE (GNU's compile_rx)
            Posix::Basic if self.opts.extended => {
                syn.with(Syntax::UNMATCHED_RIGHT_PAREN_ORD | Syntax::NO_GNU_OPS)
            }
            Posix::Basic => syn
                .with(Syntax::UNMATCHED_RIGHT_PAREN_ORD | Syntax::LIMITED_OPS | Syntax::NO_GNU_OPS),
        };
        if icase {
            syn = syn.with(Syntax::ICASE);
        }
        if multi {
            syn = syn
                .without(Syntax::DOT_NEWLINE)
                .with(Syntax::HAT_LISTS_NOT_NEWLINE);
        }
        let re = Regex::with_syntax(&pat, syn, multi && !self.opts.zero)
            .map_err(|e| r.err(e.0.message()))?;
        // only GNU's default mode checks (POSIX leaves an unmatched \N undefined)
        if needed_sub > re.groups() + 1 && self.opts.posix == Posix::Extended {
            let m = format!(
                "invalid reference \\{} on `s' command's RHS",
                needed_sub - 1
            );
            return Err(r.err(&m));
        }
        self.script.regexes.push(re);
        self.script.segmented.push(multi && self.opts.zero);
        self.script
            .no_sub
            .push(needed_sub == 0 && self.opts.posix == Posix::Extended);
        Ok(Some(self.script.regexes.len() - 1))
    }

    fn subst(&mut self, r: &mut Reader) -> Result<Kind, CompileError> {
        let basic = self.opts.posix == Posix::Basic;
        let delim = r.inchar();
        let Some(pat) = match_slash(r, delim, true, SED) else {
            return Err(r.err("unterminated `s' command"));
        };
        let Some(rep) = match_slash(r, delim, false, SED) else {
            return Err(r.err("unterminated `s' command"));
        };
        if recursive_escape_c(&pat) || recursive_escape_c(&rep) {
            return Err(r.err(ESCAPE_C));
        }
        let repl = match Rhs::parse(&rep, delim as u8, Dialect::Sed { basic }, 0) {
            Ok(x) => x,
            Err(e) => return Err(r.err(e)),
        };
        let mut s = Subst {
            re: None,
            repl,
            global: false,
            print: 0,
            nth: 0,
            eval: false,
            wfile: None,
        };
        let mut icase = false;
        let mut multi = false;
        loop {
            let c = r.in_nonblank();
            match c {
                EOF => break,
                _ => match c as u8 {
                    b'i' | b'I' if !basic => icase = true,
                    b'm' | b'M' if !basic => multi = true,
                    b'e' if !basic => {
                        if self.opts.sandbox {
                            return Err(r.err("e/r/w commands disabled in sandbox mode"));
                        }
                        s.eval = true
                    }
                    b'p' => {
                        if s.print != 0 {
                            return Err(r.err("multiple `p' options to `s' command"));
                        }
                        s.print |= 1 << (s.eval as u8);
                    }
                    b'g' => {
                        if s.global {
                            return Err(r.err("multiple `g' options to `s' command"));
                        }
                        s.global = true;
                    }
                    b'w' => {
                        if self.opts.sandbox {
                            return Err(r.err("e/r/w commands disabled in sandbox mode"));
                        }
                        let f = read_filename(r);
                        if f.is_empty() {
                            return Err(r.err("missing filename in r/R/w/W commands"));
                        }
                        s.wfile = Some(self.wfile(f)?);
                        break;
                    }
                    b'0'..=b'9' => {
                        if s.nth != 0 {
                            return Err(r.err("multiple number options to `s' command"));
                        }
                        s.nth = r.in_integer(c);
                        if s.nth == 0 {
                            return Err(r.err("number option to `s' command may not be zero"));
                        }
                    }
                    b'}' | b'#' => {
                        r.savchar(c);
                        break;
                    }
                    b'\n' | b';' => break,
                    b'\r' => {
                        if r.inchar() == ch(b'\n') {
                            break;
                        }
                        return Err(r.err("unknown option to `s'"));
                    }
                    _ => return Err(r.err("unknown option to `s'")),
                },
            }
        }
        s.re = self.regex(r, &pat, icase, multi, s.repl.max_id + 1)?;
        if s.re.is_none() && s.repl.max_id > 0 {
            // Checked at run time against the regex that is reused.
        }
        Ok(Kind::Subst(Box::new(s)))
    }

    fn translate(&mut self, r: &mut Reader) -> Result<Kind, CompileError> {
        let delim = r.inchar();
        let Some(a) = match_slash(r, delim, false, SED) else {
            return Err(r.err("unterminated `y' command"));
        };
        let Some(b) = match_slash(r, delim, false, SED) else {
            return Err(r.err("unterminated `y' command"));
        };
        if recursive_escape_c(&a) || recursive_escape_c(&b) {
            return Err(r.err(ESCAPE_C));
        }
        // GNU reads both as text: `\\` and `\x5c` are a backslash, a final `\c` is nothing
        let a = normalize(&a, Text::Buffer);
        let b = normalize(&b, Text::Buffer);
        if a.len() != b.len() {
            return Err(r.err("strings for `y' command are different lengths"));
        }
        let mut map = Box::new([0u8; 256]);
        for (i, m) in map.iter_mut().enumerate() {
            *m = i as u8;
        }
        for (x, y) in a.iter().zip(&b) {
            map[*x as usize] = *y;
        }
        end_of_cmd(r)?;
        Ok(Kind::Translate(map))
    }
}

const ESCAPE_C: &str = "recursive escaping after \\c not allowed";

fn set_text(k: &mut Kind, t: Vec<u8>) {
    match k {
        Kind::Append(x) | Kind::Insert(x) | Kind::Change(x) | Kind::Exec(x) => *x = t,
        _ => {}
    }
}

fn intern(v: &mut Vec<Vec<u8>>, name: Vec<u8>) -> usize {
    match v.iter().position(|n| *n == name) {
        Some(i) => i,
        None => {
            v.push(name);
            v.len() - 1
        }
    }
}

fn unknown(r: &Reader, c: i32) -> CompileError {
    let m = format!("unknown command: `{}'", c as u8 as char);
    let mut e = r.err("");
    // The command byte as it is (it may not be ASCII).
    let cut = e.0.len();
    e.0.truncate(cut);
    let mut b = m.into_bytes();
    if c >= 0x80 {
        b = b"unknown command: `".to_vec();
        b.push(c as u8);
        b.push(b'\'');
    }
    e.0.extend_from_slice(&b);
    e
}

/// What may follow a command without arguments.
fn end_of_cmd(r: &mut Reader) -> Result<(), CompileError> {
    let c = r.in_nonblank();
    if c == ch(b'}') || c == ch(b'#') {
        r.savchar(c);
    } else if c != EOF && c != ch(b'\n') && c != ch(b';') {
        return Err(r.err("extra characters after command"));
    }
    Ok(())
}

fn read_label(r: &mut Reader) -> Vec<u8> {
    let mut b = Vec::new();
    let mut c = r.in_nonblank();
    while c != EOF
        && c != ch(b'\n')
        && !is_space(c)
        && c != ch(b';')
        && c != ch(b'}')
        && c != ch(b'#')
    {
        b.push(c as u8);
        c = r.inchar();
    }
    r.savchar(c);
    b
}

fn read_filename(r: &mut Reader) -> Vec<u8> {
    let mut b = Vec::new();
    let mut c = r.in_nonblank();
    while c != EOF && c != ch(b'\n') {
        b.push(c as u8);
        c = r.inchar();
    }
    b
}

fn version_newer(v: &[u8]) -> bool {
    // strverscmp(v, "4.9") > 0, for the dotted numbers scripts write.
    let mine = [4u64, 9];
    let parts: Vec<u64> = v
        .split(|&c| c == b'.')
        .map(|p| {
            std::str::from_utf8(p)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        })
        .collect();
    for i in 0..parts.len().max(2) {
        let a = parts.get(i).copied().unwrap_or(0);
        let b = mine.get(i).copied().unwrap_or(0);
        if a != b {
            return a > b;
        }
    }
    false
}
