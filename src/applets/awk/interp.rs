//! The tree-walking interpreter: records and lazy fields, variables in slots, the I/O
//! streams (files, pipes, commands), builtins, and the main loop over the input.

use crate::common::exec::{self, Child, Io};
use std::cell::{OnceCell, RefCell};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::rc::Rc;

use super::ast::*;
use super::format;
use super::lexer::Builtin;
use super::value::{int_text, looks_numeric, num_to_str, Array, Cell, Value};
use crate::common::io::{stderr_fd, stdin_fd, write_all};
use crate::common::regex::{Matcher, Regex, Syntax, NOTBOL};
use crate::common::sys::fd as sysfd;
use crate::common::Ctx;

/// How deep user functions may recurse.
const MAX_CALL_DEPTH: usize = 10_000;
/// The highest field index a program may assign (`$(2^40) = 1` would otherwise try to allocate
/// that many fields; gawk fails to, mawk is killed).
const MAX_FIELD: usize = 10_000_000;
/// Dynamic regexes kept compiled (beyond that they are compiled per use).
pub const DYN_REGEX_CACHE: usize = 256;

pub enum Fail {
    Error(String),
    Exit,
    Next,
    NextFile,
}

type R<T> = Result<T, Fail>;

fn err<T>(m: impl Into<String>) -> R<T> {
    Err(Fail::Error(m.into()))
}

enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

/// The regex syntax awk uses: POSIX ERE with backslash escapes inside brackets and
/// `{` taken literally where it cannot start an interval (gawk's RE_SYNTAX_GNU_AWK).
pub fn awk_syntax() -> Syntax {
    Syntax::POSIX_EXTENDED
        .with(Syntax::BACKSLASH_ESCAPE_IN_LISTS | Syntax::INVALID_INTERVAL_ORD)
        .without(Syntax::DOT_NOT_NULL | Syntax::CONTEXT_INDEP_OPS | Syntax::CONTEXT_INVALID_OPS)
}

pub fn compile(src: &[u8]) -> Result<Regex, String> {
    Regex::with_syntax(src, awk_syntax().with(Syntax::NO_SUB), false).map_err(|e| {
        format!(
            "regular expression compile failed ({e})\n{}",
            String::from_utf8_lossy(src)
        )
    })
}

#[derive(Clone, Copy, PartialEq)]
enum FsMode {
    Space,
    Byte(u8),
    Chars,
    Regex(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum RsMode {
    Byte(u8),
    Para,
    Regex(usize),
}

/// An input source: a file, standard input, or a command's output.
struct Reader {
    fd: Option<OwnedFd>,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Bytes before `buf` were read and dropped: `buf` no longer starts the input.
    dropped: bool,
    child: Option<Child>,
}

impl Reader {
    fn new(fd: Option<OwnedFd>) -> Reader {
        Reader {
            fd,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            dropped: false,
            child: None,
        }
    }

    /// An RS regex's `^` matches only at the start of the input (mawk; BWK awk's T.misc).
    fn bol_flags(&self) -> u32 {
        if self.pos > 0 || self.dropped {
            NOTBOL
        } else {
            0
        }
    }

    /// Read more bytes; false at end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.dropped = true;
            // keep only the unread part
            if self.pos == self.buf.len() {
                self.buf.clear();
            } else {
                self.buf.drain(..self.pos);
            }
            self.pos = 0;
        }
        // Read into the room left behind the unread part; grow (doubling the read size) only
        // for a record longer than half the buffer. Growing whenever a record straddled the
        // end of a read took the buffer from 128 to 256 KiB on most files, every byte of it
        // touched (peak RSS of `awk '{s+=$2}'` on 100 MB: 1,764 -> 1,636 KiB).
        let room = self.buf.capacity() - self.buf.len();
        let want = if room >= 64 * 1024 && room >= self.buf.capacity() / 2 {
            room
        } else {
            self.buf.len().max(128 * 1024)
        };
        let r = match &self.fd {
            Some(fd) => sysfd::read_append(fd.as_fd(), &mut self.buf, want),
            None => sysfd::read_append(stdin_fd(), &mut self.buf, want),
        };
        match r {
            Ok(0) => {
                self.eof = true;
                Ok(false)
            }
            Ok(_) => Ok(true),
            Err(e) => {
                self.eof = true;
                Err(e)
            }
        }
    }
}

enum Stream {
    Stdout,
    Stderr,
    File(OwnedFd, Vec<u8>),
    Pipe(Option<OwnedFd>, Vec<u8>, Child),
}

pub struct Interp<'a> {
    prog: &'a Program,
    pub ctx: &'a mut Ctx,
    globals: Vec<Cell>,
    locals: Vec<Cell>,
    fp: usize,
    depth: usize,
    // the record
    rec: Vec<u8>,
    /// The number last assigned to `$0`, while the record is its text.
    rec_num: Option<f64>,
    ranges: Vec<(usize, usize)>,
    split: bool,
    /// Where lazy splitting goes on (fields found so far are in `ranges`).
    scan: usize,
    fields: Option<Vec<Value>>,
    nf: usize,
    // cached special values
    fs_mode: FsMode,
    rs_mode: RsMode,
    ofs: Vec<u8>,
    ors: Vec<u8>,
    subsep: Vec<u8>,
    convfmt: Vec<u8>,
    ofmt: Vec<u8>,
    nr: f64,
    fnr: f64,
    // regexes: literal ones first, then the dynamic cache
    arena: &'a [OnceCell<Box<Regex>>],
    matchers: Vec<Option<Matcher<'a>>>,
    dyn_ix: std::collections::HashMap<Vec<u8>, usize, super::value::FxBuild>,
    /// gensub's last regex, compiled with its sub-matches (the others are compiled without).
    gensub_re: Option<(Vec<u8>, Regex)>,
    // input
    main: Option<Reader>,
    argi: usize,
    used_file: bool,
    inputs: Vec<(Vec<u8>, Reader)>,
    outputs: Vec<(Vec<u8>, Stream)>,
    range_on: Vec<bool>,
    pub exit_code: i32,
    rand_seed: f64,
    prev_seed: f64,
    rng: u64,
    pbuf: Vec<u8>,
    /// Set in END (and BEGIN): `getline` from the main input still works there.
    in_end: bool,
}

/// A field past NF, or one made by growing NF: the empty string from input, which is not a
/// number (mawk, gawk: `echo a | awk '{print ($3 == 0)}'` is 0).
fn empty_field() -> Value {
    Value::StrNum(Rc::from(&b""[..]))
}

pub fn valid_name(s: &[u8]) -> bool {
    !s.is_empty()
        && (s[0].is_ascii_alphabetic() || s[0] == b'_')
        && s.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

impl<'a> Interp<'a> {
    pub fn new(
        prog: &'a Program,
        ctx: &'a mut Ctx,
        arena: &'a [OnceCell<Box<Regex>>],
        argv: Vec<Vec<u8>>,
    ) -> R<Interp<'a>> {
        let mut globals = Vec::with_capacity(prog.globals.len());
        for (i, &arr) in prog.global_arrays.iter().enumerate() {
            let _ = i;
            globals.push(if arr {
                Cell::Arr(Rc::new(RefCell::new(Array::default())))
            } else {
                Cell::Val(Value::Uninit)
            });
        }
        let mut me = Interp {
            prog,
            ctx,
            globals,
            locals: Vec::new(),
            fp: 0,
            depth: 0,
            rec: Vec::new(),
            rec_num: None,
            ranges: Vec::new(),
            split: true,
            scan: 0,
            fields: None,
            nf: 0,
            fs_mode: FsMode::Space,
            rs_mode: RsMode::Byte(b'\n'),
            ofs: b" ".to_vec(),
            ors: b"\n".to_vec(),
            subsep: b"\x1c".to_vec(),
            convfmt: b"%.6g".to_vec(),
            ofmt: b"%.6g".to_vec(),
            nr: 0.0,
            fnr: 0.0,
            arena,
            matchers: Vec::new(),
            dyn_ix: Default::default(),
            gensub_re: None,
            main: None,
            argi: 1,
            used_file: false,
            inputs: Vec::new(),
            outputs: Vec::new(),
            range_on: vec![false; prog.rules.len()],
            exit_code: 0,
            rand_seed: 0.0,
            prev_seed: 0.0,
            rng: 0,
            pbuf: Vec::new(),
            in_end: false,
        };
        me.seed(0.0);
        for (i, src) in prog.regexes.iter().enumerate() {
            let re = compile(src).map_err(Fail::Error)?;
            let _ = arena[i].set(Box::new(re));
        }
        let s = |b: &[u8]| Cell::Val(Value::Str(b.into()));
        me.globals[FS as usize] = s(b" ");
        me.globals[OFS as usize] = s(b" ");
        me.globals[ORS as usize] = s(b"\n");
        me.globals[RS as usize] = s(b"\n");
        me.globals[SUBSEP as usize] = s(b"\x1c");
        me.globals[CONVFMT as usize] = s(b"%.6g");
        me.globals[OFMT as usize] = s(b"%.6g");
        // RLENGTH is 0 before any match() (gawk; mawk's is uninitialized): not BusyBox's -1
        for k in [NF, NR, FNR, RSTART, RLENGTH] {
            me.globals[k as usize] = Cell::Val(Value::Num(0.0));
        }
        me.globals[ARGC as usize] = Cell::Val(Value::Num(argv.len() as f64));
        if let Cell::Arr(a) = &me.globals[ARGV as usize] {
            let mut a = a.borrow_mut();
            for (i, v) in argv.iter().enumerate() {
                a.set(i.to_string().as_bytes(), Value::StrNum(v.as_slice().into()));
            }
        }
        if let Cell::Arr(a) = &me.globals[ENVIRON as usize] {
            let mut a = a.borrow_mut();
            for (k, v) in std::env::vars_os() {
                a.set(k.as_bytes(), Value::StrNum(v.as_bytes().into()));
            }
        }
        Ok(me)
    }

    // ---- variables ----

    /// `-v name=value` and command-line assignments.
    pub fn assign_cmdline(&mut self, name: &[u8], value: &[u8]) -> R<()> {
        let v = super::lexer::unescape(value);
        let slot = self.prog.globals.iter().position(|g| g.as_bytes() == name);
        if let Some(s) = slot {
            if matches!(self.globals[s], Cell::Arr(_)) {
                return err(format!(
                    "can't assign to {}; it's an array name.",
                    String::from_utf8_lossy(name)
                ));
            }
            self.set_var(s as u32, Value::StrNum(v.into()))?;
        }
        Ok(())
    }

    fn set_var(&mut self, s: u32, v: Value) -> R<()> {
        match &mut self.globals[s as usize] {
            Cell::Val(x) => *x = v,
            Cell::Arr(_) => return err("can't assign to an array"),
        }
        if s < NSPECIAL {
            self.special_set(s)?;
        }
        Ok(())
    }

    fn gstr(&self, s: u32) -> Vec<u8> {
        match &self.globals[s as usize] {
            Cell::Val(v) => v.to_bytes(b"%.6g").to_vec(),
            Cell::Arr(_) => Vec::new(),
        }
    }

    fn gnum(&self, s: u32) -> f64 {
        match &self.globals[s as usize] {
            Cell::Val(v) => v.num(),
            Cell::Arr(_) => 0.0,
        }
    }

    fn special_set(&mut self, s: u32) -> R<()> {
        match s {
            NF => {
                let n = self.gnum(NF);
                // NF keeps the value assigned (`NF = 1.7; print NF` is 1.7, mawk, gawk)
                let assigned = self.globals[NF as usize].clone();
                self.ensure_split();
                // its integer part counts: NF = -0.5 is 0 (mawk, gawk)
                if n <= -1.0 {
                    return err("NF set to negative value");
                }
                if n > MAX_FIELD as f64 {
                    return err(format!("NF set beyond the maximum field ({MAX_FIELD})"));
                }
                let n = n as usize;
                self.materialize();
                let f = self.fields.as_mut().expect("owned");
                f.resize(n, empty_field());
                self.nf = n;
                self.rebuild();
                self.globals[NF as usize] = assigned;
            }
            NR => self.nr = self.gnum(NR),
            FNR => self.fnr = self.gnum(FNR),
            FS => {
                // the current record keeps the old separator
                self.ensure_split();
                let fs = self.gstr(FS);
                self.fs_mode = self.fs_mode_for(&fs)?;
            }
            OFS => self.ofs = self.gstr(OFS),
            ORS => self.ors = self.gstr(ORS),
            SUBSEP => self.subsep = self.gstr(SUBSEP),
            CONVFMT => self.convfmt = self.gstr(CONVFMT),
            OFMT => self.ofmt = self.gstr(OFMT),
            RS => {
                let rs = self.gstr(RS);
                self.rs_mode = match rs.len() {
                    0 => RsMode::Para,
                    1 => RsMode::Byte(rs[0]),
                    _ => RsMode::Regex(self.regex_ix(&rs)?),
                };
            }
            _ => {}
        }
        Ok(())
    }

    fn fs_mode_for(&mut self, fs: &[u8]) -> R<FsMode> {
        Ok(match fs {
            b" " => FsMode::Space,
            b"" => FsMode::Chars,
            // one character is itself, `\` too (mawk, gawk)
            [c] => FsMode::Byte(*c),
            b"\\t" => FsMode::Byte(b'\t'),
            _ => FsMode::Regex(self.regex_ix(fs)?),
        })
    }

    // ---- regexes ----

    /// The slot of a dynamic regex, compiled on first use (None: the cache is full).
    fn regex_ix(&mut self, src: &[u8]) -> R<usize> {
        if let Some(&i) = self.dyn_ix.get(src) {
            return Ok(i);
        }
        let i = self.prog.regexes.len() + self.dyn_ix.len();
        if i >= self.arena.len() {
            return Ok(usize::MAX);
        }
        let re = compile(src).map_err(Fail::Error)?;
        let _ = self.arena[i].set(Box::new(re));
        self.dyn_ix.insert(src.to_vec(), i);
        Ok(i)
    }

    fn matcher(&mut self, i: usize) -> &mut Matcher<'a> {
        let arena = self.arena;
        self.matcher_slot(i)
            .get_or_insert_with(|| arena[i].get().expect("compiled").matcher())
    }

    /// The matcher slot of regex `i`. The slots grow as regexes are used, not all at once:
    /// a matcher is ~300 bytes and the dynamic cache 256 slots (80 KiB written at start-up).
    fn matcher_slot(&mut self, i: usize) -> &mut Option<Matcher<'a>> {
        if i >= self.matchers.len() {
            self.matchers.resize_with(i + 1, || None);
        }
        &mut self.matchers[i]
    }

    fn re_find(
        &mut self,
        i: usize,
        src: &[u8],
        hay: &[u8],
        start: usize,
    ) -> R<Option<(usize, usize)>> {
        if i == usize::MAX {
            let re = compile(src).map_err(Fail::Error)?;
            return Ok(re.find_at(hay, start, 0));
        }
        Ok(self.matcher(i).find_at(hay, start, 0))
    }

    /// A regex operand: a literal's slot, or a dynamic one from the value's string.
    fn regex_of(&mut self, e: &'a Expr) -> R<(usize, Vec<u8>)> {
        if let Expr::Regex(i) = e {
            return Ok((*i, Vec::new()));
        }
        let v = self.eval(e)?;
        let mut s = Vec::new();
        v.append_str(&self.convfmt, &mut s);
        let i = self.regex_ix(&s)?;
        Ok((i, s))
    }

    fn re_match(&mut self, i: usize, src: &[u8], hay: &[u8]) -> R<bool> {
        if i == usize::MAX {
            let re = compile(src).map_err(Fail::Error)?;
            return Ok(re.is_match(hay));
        }
        Ok(self.matcher(i).is_match(hay, 0))
    }

    // ---- the record ----

    fn set_record(&mut self) {
        self.rec_num = None;
        self.split = false;
        self.fields = None;
        self.ranges.clear();
        self.scan = 0;
    }

    /// Split until field `i` is known (or the record ends): a blank or one-character FS
    /// needs no more than that.
    #[inline]
    fn split_upto(&mut self, i: usize) {
        if self.split || self.ranges.len() >= i {
            return;
        }
        let para = self.rs_mode == RsMode::Para;
        match self.fs_mode {
            FsMode::Space => {
                let s = &self.rec;
                let n = s.len();
                let mut p = self.scan;
                while self.ranges.len() < i {
                    while p < n && matches!(s[p], b' ' | b'\t' | b'\n') {
                        p += 1;
                    }
                    if p >= n {
                        self.scan = p;
                        return self.split_done();
                    }
                    let st = p;
                    p = match memchr::memchr3(b' ', b'\t', b'\n', &s[p..]) {
                        Some(k) => p + k,
                        None => n,
                    };
                    self.ranges.push((st, p));
                }
                self.scan = p;
            }
            FsMode::Byte(c) if !para || c == b'\n' => {
                let s = &self.rec;
                if s.is_empty() {
                    return self.split_done();
                }
                let mut p = self.scan;
                while self.ranges.len() < i {
                    match memchr::memchr(c, &s[p..]) {
                        Some(k) => {
                            self.ranges.push((p, p + k));
                            p += k + 1;
                        }
                        None => {
                            self.ranges.push((p, s.len()));
                            self.scan = s.len();
                            return self.split_done();
                        }
                    }
                }
                self.scan = p;
            }
            _ => self.full_split(),
        }
    }

    fn split_done(&mut self) {
        self.split = true;
        self.nf = self.ranges.len();
        self.globals[NF as usize] = Cell::Val(Value::Num(self.nf as f64));
    }

    fn ensure_split(&mut self) {
        if self.split {
            return;
        }
        self.split_upto(usize::MAX);
    }

    fn full_split(&mut self) {
        self.split = true;
        let mut ranges = std::mem::take(&mut self.ranges);
        let rec = std::mem::take(&mut self.rec);
        let mode = self.fs_mode;
        self.split_into(&rec, mode, self.rs_mode == RsMode::Para, &mut ranges);
        self.rec = rec;
        self.nf = ranges.len();
        self.ranges = ranges;
        self.globals[NF as usize] = Cell::Val(Value::Num(self.nf as f64));
    }

    fn split_into(&mut self, s: &[u8], mode: FsMode, para: bool, out: &mut Vec<(usize, usize)>) {
        out.clear();
        match mode {
            FsMode::Space => {
                let mut i = 0;
                let n = s.len();
                loop {
                    while i < n && matches!(s[i], b' ' | b'\t' | b'\n') {
                        i += 1;
                    }
                    if i >= n {
                        break;
                    }
                    let st = i;
                    while i < n && !matches!(s[i], b' ' | b'\t' | b'\n') {
                        i += 1;
                    }
                    out.push((st, i));
                }
            }
            FsMode::Byte(c) => {
                if s.is_empty() {
                    return;
                }
                let mut st = 0;
                // in paragraph mode a newline separates too, for a one-character FS only
                // (POSIX, gawk; a regex FS and split() keep newlines)
                if para && c != b'\n' {
                    for (i, &b) in s.iter().enumerate() {
                        if b == c || b == b'\n' {
                            out.push((st, i));
                            st = i + 1;
                        }
                    }
                } else {
                    for i in memchr::memchr_iter(c, s) {
                        out.push((st, i));
                        st = i + 1;
                    }
                }
                out.push((st, s.len()));
            }
            FsMode::Chars => {
                for i in 0..s.len() {
                    out.push((i, i + 1));
                }
            }
            FsMode::Regex(ix) => {
                if s.is_empty() {
                    return;
                }
                let mut st = 0;
                let mut pos = 0;
                let fs = if ix == usize::MAX {
                    self.gstr(FS)
                } else {
                    Vec::new()
                };
                while pos <= s.len() {
                    let m = self.re_find(ix, &fs, s, pos).unwrap_or_default();
                    let Some((a, b)) = m else { break };
                    if a == b {
                        // null matches do not split
                        pos = a + 1;
                        continue;
                    }
                    out.push((st, a));
                    st = b;
                    pos = b;
                }
                out.push((st, s.len()));
            }
        }
    }

    fn materialize(&mut self) {
        self.ensure_split();
        if self.fields.is_none() {
            let v = self
                .ranges
                .iter()
                .map(|&(a, b)| Value::StrNum(self.rec[a..b].into()))
                .collect();
            self.fields = Some(v);
        }
    }

    fn rebuild(&mut self) {
        let f = self.fields.as_ref().expect("owned");
        let mut rec = Vec::new();
        for (i, v) in f.iter().enumerate() {
            if i > 0 {
                rec.extend_from_slice(&self.ofs);
            }
            v.append_str(&self.convfmt, &mut rec);
        }
        self.rec = rec;
        self.rec_num = None;
        self.globals[NF as usize] = Cell::Val(Value::Num(self.nf as f64));
    }

    fn get_field(&mut self, i: usize) -> Value {
        if i == 0 {
            if let Some(n) = self.rec_num {
                return Value::Num(n);
            }
            return Value::StrNum(self.rec.as_slice().into());
        }
        self.split_upto(i);
        let have = if self.fields.is_some() {
            self.nf
        } else {
            self.ranges.len()
        };
        if i > have {
            return empty_field();
        }
        match &self.fields {
            Some(f) => f[i - 1].clone(),
            None => {
                let (a, b) = self.ranges[i - 1];
                Value::StrNum(self.rec[a..b].into())
            }
        }
    }

    /// Append field `i`'s text to `out`.
    fn append_field(&mut self, i: usize, out: &mut Vec<u8>) {
        self.append_field_as(i, out, false)
    }

    /// Append field `i`'s text to `out`, a number assigned to it through OFMT when `print`
    /// prints it (`$1 = 2/3; print $1`, mawk, gawk) and CONVFMT elsewhere.
    fn append_field_as(&mut self, i: usize, out: &mut Vec<u8>, print: bool) {
        if i == 0 {
            out.extend_from_slice(&self.rec);
            return;
        }
        self.split_upto(i);
        let have = if self.fields.is_some() {
            self.nf
        } else {
            self.ranges.len()
        };
        if i > have {
            return;
        }
        match &self.fields {
            Some(f) => match f[i - 1] {
                Value::Num(n) if print => num_to_str(n, &self.ofmt, out),
                ref v => v.append_str(&self.convfmt, out),
            },
            None => {
                let (a, b) = self.ranges[i - 1];
                crate::common::io::append(out, &self.rec[a..b]);
            }
        }
    }

    fn field_num(&mut self, i: usize) -> f64 {
        if i == 0 {
            if let Some(n) = self.rec_num {
                return n;
            }
            return super::value::str_to_num(&self.rec);
        }
        self.split_upto(i);
        let have = if self.fields.is_some() {
            self.nf
        } else {
            self.ranges.len()
        };
        if i > have {
            return 0.0;
        }
        match &self.fields {
            Some(f) => f[i - 1].num(),
            None => {
                let (a, b) = self.ranges[i - 1];
                super::value::str_to_num(&self.rec[a..b])
            }
        }
    }

    fn set_field(&mut self, i: usize, v: Value) {
        if i == 0 {
            self.rec.clear();
            v.append_str(&self.convfmt, &mut self.rec);
            self.set_record();
            // $0 keeps the number assigned to it until the record changes (mawk, gawk)
            if let Value::Num(n) = v {
                self.rec_num = Some(n);
            }
            return;
        }
        self.materialize();
        let f = self.fields.as_mut().expect("owned");
        if i > f.len() {
            f.resize(i, empty_field());
            self.nf = i;
        }
        f[i - 1] = v;
        self.rebuild();
    }

    #[inline(always)]
    fn field_index(&mut self, e: &'a Expr) -> R<usize> {
        if let Expr::Num(n) = e {
            if *n >= 0.0 && *n < 1e7 {
                return Ok(*n as usize);
            }
        }
        self.field_index_slow(e)
    }

    fn field_index_slow(&mut self, e: &'a Expr) -> R<usize> {
        let n = match e {
            Expr::Num(n) => *n,
            e => self.eval_num(e)?,
        };
        if n < 0.0 {
            return err(format!("negative field index ${}", n as i64));
        }
        // A field far past any record reads as empty (mawk, gawk); assigning it is refused
        // in `assign`.
        Ok(n.min(MAX_FIELD as f64 * 2.0) as usize)
    }

    // ---- expressions ----

    fn subscript(&mut self, subs: &'a [Expr]) -> R<Vec<u8>> {
        let mut k = Vec::new();
        for (i, e) in subs.iter().enumerate() {
            if i > 0 {
                k.extend_from_slice(&self.subsep);
            }
            match e {
                Expr::Str(s) => k.extend_from_slice(s),
                Expr::Field(f) => {
                    let i = self.field_index(f)?;
                    self.append_field(i, &mut k);
                }
                e => {
                    let v = self.eval(e)?;
                    v.append_str(&self.convfmt, &mut k);
                }
            }
        }
        Ok(k)
    }

    fn array(&mut self, a: Arr) -> R<Rc<RefCell<Array>>> {
        let cell = match a {
            Arr::Global(s) => &mut self.globals[s as usize],
            Arr::Local(l) => &mut self.locals[self.fp + l as usize],
        };
        match cell {
            Cell::Arr(r) => Ok(r.clone()),
            Cell::Val(Value::Uninit) => {
                let r = Rc::new(RefCell::new(Array::default()));
                *cell = Cell::Arr(r.clone());
                Ok(r)
            }
            Cell::Val(_) => err("can't use scalar as array"),
        }
    }

    fn get_var(&mut self, s: u32) -> R<Value> {
        if s == NF {
            self.ensure_split();
        }
        match &self.globals[s as usize] {
            Cell::Val(v) => Ok(v.clone()),
            Cell::Arr(_) => err(format!(
                "can't use array {} in scalar context",
                self.prog.globals[s as usize]
            )),
        }
    }

    fn get_local(&mut self, l: u32) -> R<Value> {
        match &self.locals[self.fp + l as usize] {
            Cell::Val(v) => Ok(v.clone()),
            Cell::Arr(_) => err("can't use array in scalar context"),
        }
    }

    fn assign(&mut self, lv: &'a LVal, v: Value) -> R<()> {
        match lv {
            LVal::Var(s) => self.set_var(*s, v)?,
            LVal::Local(l) => {
                let c = &mut self.locals[self.fp + *l as usize];
                match c {
                    Cell::Val(x) => *x = v,
                    Cell::Arr(_) => return err("can't assign to an array"),
                }
            }
            LVal::Field(e) => {
                let i = self.field_index(e)?;
                if i > MAX_FIELD {
                    return err(format!("field index exceeds the maximum ({MAX_FIELD})"));
                }
                self.set_field(i, v);
            }
            LVal::Index(a, subs) => {
                let k = self.subscript(subs)?;
                let arr = self.array(*a)?;
                arr.borrow_mut().set(&k, v);
            }
        }
        Ok(())
    }

    fn lval_get(&mut self, lv: &'a LVal) -> R<Value> {
        match lv {
            LVal::Var(s) => self.get_var(*s),
            LVal::Local(l) => self.get_local(*l),
            LVal::Field(e) => {
                let i = self.field_index(e)?;
                Ok(self.get_field(i))
            }
            LVal::Index(a, subs) => {
                let k = self.subscript(subs)?;
                let arr = self.array(*a)?;
                let mut b = arr.borrow_mut();
                Ok(b.get_mut(&k).clone())
            }
        }
    }

    pub fn eval_num(&mut self, e: &'a Expr) -> R<f64> {
        Ok(match e {
            Expr::Num(n) => *n,
            Expr::Field(f) => {
                let i = self.field_index(f)?;
                self.field_num(i)
            }
            Expr::Var(s) if *s != NF => match &self.globals[*s as usize] {
                Cell::Val(v) => v.num(),
                Cell::Arr(_) => return err("can't use array in scalar context"),
            },
            Expr::Bin(op, a, b) => {
                let x = self.eval_num(a)?;
                let y = self.eval_num(b)?;
                arith(*op, x, y)?
            }
            e => self.eval(e)?.num(),
        })
    }

    fn eval_bool(&mut self, e: &'a Expr) -> R<bool> {
        Ok(match e {
            Expr::Regex(i) => {
                let rec = std::mem::take(&mut self.rec);
                let r = self.matcher(*i).is_match(&rec, 0);
                self.rec = rec;
                r
            }
            Expr::Cmp(op, a, b) => self.compare(*op, a, b)?,
            Expr::Match(neg, a, b) => self.do_match(a, b)? != *neg,
            Expr::And(a, b) => self.eval_bool(a)? && self.eval_bool(b)?,
            Expr::Or(a, b) => self.eval_bool(a)? || self.eval_bool(b)?,
            Expr::Not(a) => !self.eval_bool(a)?,
            Expr::Num(n) => *n != 0.0,
            e => self.eval(e)?.truth(),
        })
    }

    fn do_match(&mut self, a: &'a Expr, b: &'a Expr) -> R<bool> {
        let mut s = std::mem::take(&mut self.pbuf);
        s.clear();
        match a {
            Expr::Field(f) => {
                let i = self.field_index(f)?;
                self.append_field(i, &mut s);
            }
            a => {
                let v = self.eval(a)?;
                v.append_str(&self.convfmt, &mut s);
            }
        }
        let (ix, src) = self.regex_of(b)?;
        let r = self.re_match(ix, &src, &s);
        self.pbuf = s;
        r
    }

    fn compare(&mut self, op: CmpOp, a: &'a Expr, b: &'a Expr) -> R<bool> {
        let x = self.eval(a)?;
        let y = self.eval(b)?;
        let ord = self.cmp_values(&x, &y);
        Ok(match op {
            CmpOp::Lt => ord == std::cmp::Ordering::Less,
            CmpOp::Le => ord != std::cmp::Ordering::Greater,
            CmpOp::Eq => ord == std::cmp::Ordering::Equal,
            CmpOp::Ne => ord != std::cmp::Ordering::Equal,
            CmpOp::Gt => ord == std::cmp::Ordering::Greater,
            CmpOp::Ge => ord != std::cmp::Ordering::Less,
        })
    }

    fn cmp_values(&self, x: &Value, y: &Value) -> std::cmp::Ordering {
        fn numeric(v: &Value) -> Option<f64> {
            match v {
                Value::Num(n) => Some(*n),
                Value::Uninit => Some(0.0),
                Value::StrNum(s) => looks_numeric(s),
                Value::Str(_) => None,
            }
        }
        if let (Some(a), Some(b)) = (numeric(x), numeric(y)) {
            // NaN compares unequal to everything, as in C
            return a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Less);
        }
        let a = x.to_bytes(&self.convfmt);
        let b = y.to_bytes(&self.convfmt);
        a.cmp(&b)
    }

    pub fn eval(&mut self, e: &'a Expr) -> R<Value> {
        Ok(match e {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(_) => Value::Num(self.eval_bool(e)? as i32 as f64),
            Expr::Field(f) => {
                let i = self.field_index(f)?;
                self.get_field(i)
            }
            Expr::Var(s) => self.get_var(*s)?,
            Expr::Local(l) => self.get_local(*l)?,
            Expr::ArrRef(_) | Expr::Group(_) => {
                return err("syntax error: array or list used as value")
            }
            Expr::Index(a, subs) => {
                let k = self.subscript(subs)?;
                let arr = self.array(*a)?;
                let mut b = arr.borrow_mut();
                b.get_mut(&k).clone()
            }
            Expr::In(subs, a) => {
                let k = self.subscript(subs)?;
                let arr = self.array(*a)?;
                let r = arr.borrow().contains(&k);
                Value::Num(r as i32 as f64)
            }
            Expr::Assign(lv, rhs) => {
                if let Some(v) = self.append_assign(lv, rhs)? {
                    return Ok(v);
                }
                let v = self.eval(rhs)?;
                self.assign(lv, v.clone())?;
                v
            }
            Expr::AugAssign(op, lv, rhs) => {
                let y = self.eval_num(rhs)?;
                let x = self.lval_get(lv)?.num();
                let v = Value::Num(arith(*op, x, y)?);
                self.assign(lv, v.clone())?;
                v
            }
            Expr::Cond(c, a, b) => {
                if self.eval_bool(c)? {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(..) | Expr::Or(..) | Expr::Not(_) | Expr::Cmp(..) | Expr::Match(..) => {
                Value::Num(self.eval_bool(e)? as i32 as f64)
            }
            Expr::Neg(a) => Value::Num(-self.eval_num(a)?),
            Expr::Pos(a) => Value::Num(self.eval_num(a)?),
            Expr::Bin(..) => Value::Num(self.eval_num(e)?),
            Expr::Concat(..) => {
                let mut s = Vec::new();
                self.concat_into(e, &mut s)?;
                Value::Str(s.into())
            }
            Expr::Incr(pre, d, lv) => {
                let x = self.lval_get(lv)?.num();
                self.assign(lv, Value::Num(x + d))?;
                Value::Num(if *pre { x + d } else { x })
            }
            Expr::Call(f, args) => self.call(*f, args)?,
            Expr::Builtin(b, args) => self.builtin(*b, args)?,
            Expr::Sub(global, re, repl, target) => self.sub(*global, re, repl, target)?,
            Expr::Split(s, a, sep) => self.split(s, *a, sep.as_deref())?,
            Expr::Getline(src, lv) => self.getline(src, lv.as_deref())?,
        })
    }

    fn concat_into(&mut self, e: &'a Expr, out: &mut Vec<u8>) -> R<()> {
        match e {
            Expr::Concat(a, b) => {
                self.concat_into(a, out)?;
                self.concat_into(b, out)?;
            }
            Expr::Str(s) => out.extend_from_slice(s),
            Expr::Field(f) => {
                let i = self.field_index(f)?;
                self.append_field(i, out);
            }
            e => {
                let v = self.eval(e)?;
                v.append_str(&self.convfmt, out);
            }
        }
        Ok(())
    }

    /// `lv = lv x y...` where the first operand of the concatenation reads the variable or
    /// element being assigned: append to its buffer in place (copied only when shared), so a
    /// loop that grows a string costs the bytes added, not the whole string each time.
    /// None when the assignment is not of that form; the other operands are evaluated first,
    /// and the old value is kept when they changed the target (as a plain evaluation would).
    fn append_assign(&mut self, lv: &'a LVal, rhs: &'a Expr) -> R<Option<Value>> {
        let Expr::Concat(first, _) = rhs else {
            return Ok(None);
        };
        let mut leaf: &Expr = first;
        while let Expr::Concat(a, _) = leaf {
            leaf = a;
        }
        match (lv, leaf) {
            (LVal::Var(s), Expr::Var(t)) if s == t && *s >= NSPECIAL => {
                let Cell::Val(snap) = &self.globals[*s as usize] else {
                    return Ok(None);
                };
                let snap = snap.clone();
                let tail = self.concat_tail(rhs)?;
                let Cell::Val(cur) = &mut self.globals[*s as usize] else {
                    return err("can't assign to an array");
                };
                let v = append_to(cur, snap, &tail, &self.convfmt);
                self.pbuf = tail;
                Ok(Some(v))
            }
            (LVal::Local(l), Expr::Local(m)) if l == m => {
                let Cell::Val(snap) = &self.locals[self.fp + *l as usize] else {
                    return Ok(None);
                };
                let snap = snap.clone();
                let tail = self.concat_tail(rhs)?;
                let Cell::Val(cur) = &mut self.locals[self.fp + *l as usize] else {
                    return err("can't assign to an array");
                };
                let v = append_to(cur, snap, &tail, &self.convfmt);
                self.pbuf = tail;
                Ok(Some(v))
            }
            (LVal::Index(a, subs), Expr::Index(b, rsubs)) if a == b => {
                let k = self.subscript(rsubs)?;
                let snap = self.array(*b)?.borrow_mut().get_mut(&k).clone();
                let tail = self.concat_tail(rhs)?;
                let k = self.subscript(subs)?;
                let arr = self.array(*a)?;
                let v = append_to(arr.borrow_mut().get_mut(&k), snap, &tail, &self.convfmt);
                self.pbuf = tail;
                Ok(Some(v))
            }
            _ => Ok(None),
        }
    }

    /// The text of a concatenation without its first operand.
    fn concat_tail(&mut self, e: &'a Expr) -> R<Vec<u8>> {
        fn walk<'a>(me: &mut Interp<'a>, e: &'a Expr, out: &mut Vec<u8>) -> R<()> {
            if let Expr::Concat(a, b) = e {
                walk(me, a, out)?;
                me.concat_into(b, out)?;
            }
            Ok(())
        }
        let mut out = std::mem::take(&mut self.pbuf);
        out.clear();
        walk(self, e, &mut out)?;
        Ok(out)
    }

    /// `$0 = $0 x...` as a statement, when the other operands cannot change the record:
    /// the record grows in place and is split again when next needed.
    fn append_record(&mut self, lv: &'a LVal, rhs: &'a Expr) -> R<bool> {
        let (LVal::Field(f), Expr::Concat(first, _)) = (lv, rhs) else {
            return Ok(false);
        };
        let mut leaf: &Expr = first;
        while let Expr::Concat(a, _) = leaf {
            leaf = a;
        }
        let zero = |e: &Expr| matches!(e, Expr::Num(n) if *n == 0.0);
        if !zero(f) || !matches!(leaf, Expr::Field(g) if zero(g)) || !pure(rhs) {
            return Ok(false);
        }
        let tail = self.concat_tail(rhs)?;
        self.rec.extend_from_slice(&tail);
        self.pbuf = tail;
        self.set_record();
        Ok(true)
    }

    // ---- functions ----

    fn call(&mut self, f: usize, args: &'a [Expr]) -> R<Value> {
        let prog = self.prog;
        let func = &prog.funcs[f];
        if let Some(b) = func.bit {
            return self.bit_fn(b, &func.name, args);
        }
        if self.depth >= MAX_CALL_DEPTH {
            return err(format!(
                "function call nesting too deep (more than {MAX_CALL_DEPTH} levels)"
            ));
        }
        let mut cells = Vec::with_capacity(func.nparams);
        for (j, a) in args.iter().enumerate().take(func.nparams) {
            let bare = match a {
                Expr::Var(s) => Some(Arr::Global(*s)),
                Expr::Local(l) => Some(Arr::Local(*l)),
                Expr::ArrRef(r) => Some(*r),
                _ => None,
            };
            let cell = match bare {
                Some(arr) => {
                    let cur = match arr {
                        Arr::Global(s) => &self.globals[s as usize],
                        Arr::Local(l) => &self.locals[self.fp + l as usize],
                    };
                    match cur {
                        Cell::Arr(r) => Cell::Arr(r.clone()),
                        Cell::Val(Value::Uninit) if func.array_params[j] => {
                            Cell::Arr(self.array(arr)?)
                        }
                        Cell::Val(v) => {
                            if func.array_params[j] {
                                return err(format!(
                                    "type error in arg({}) in call to {}",
                                    j + 1,
                                    func.name
                                ));
                            }
                            if let (Arr::Global(NF), _) = (arr, 0) {
                                self.ensure_split();
                                Cell::Val(Value::Num(self.nf as f64))
                            } else {
                                Cell::Val(v.clone())
                            }
                        }
                    }
                }
                None => {
                    if func.array_params[j] {
                        return err(format!(
                            "type error in arg({}) in call to {}",
                            j + 1,
                            func.name
                        ));
                    }
                    Cell::Val(self.eval(a)?)
                }
            };
            cells.push(cell);
        }
        if args.len() > func.nparams {
            // POSIX leaves it undefined; gawk (and BusyBox) evaluate the extra arguments and
            // drop them, gawk with this warning (mawk refuses the program).
            for a in &args[func.nparams..] {
                if !matches!(a, Expr::Var(_) | Expr::Local(_) | Expr::ArrRef(_)) {
                    self.eval(a)?;
                }
            }
            let m = format!(
                "warning: function `{}' called with more arguments than declared",
                func.name
            );
            self.report(&Fail::Error(m));
        }
        for j in args.len().min(func.nparams)..func.nparams {
            cells.push(if func.array_params[j] {
                Cell::Arr(Rc::new(RefCell::new(Array::default())))
            } else {
                Cell::Val(Value::Uninit)
            });
        }
        let old_fp = self.fp;
        self.fp = self.locals.len();
        self.locals.extend(cells);
        self.depth += 1;
        let r = self.exec_block(&func.body);
        self.depth -= 1;
        self.locals.truncate(self.fp);
        self.fp = old_fp;
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Uninit),
        }
    }

    // ---- statements ----

    fn exec_block(&mut self, b: &'a [Stmt]) -> R<Flow> {
        for s in b {
            match self.exec(s)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, s: &'a Stmt) -> R<Flow> {
        match s {
            Stmt::Expr(e) => {
                match e {
                    Expr::Assign(lv, rhs) => {
                        if matches!(**rhs, Expr::Concat(..))
                            && (self.append_assign(lv, rhs)?.is_some()
                                || self.append_record(lv, rhs)?)
                        {
                            return Ok(Flow::Normal);
                        }
                        let v = self.eval(rhs)?;
                        self.assign(lv, v)?;
                    }
                    Expr::AugAssign(op, lv, rhs) => {
                        let y = self.eval_num(rhs)?;
                        let x = match &**lv {
                            LVal::Var(s) if *s >= NSPECIAL => match &self.globals[*s as usize] {
                                Cell::Val(v) => v.num(),
                                Cell::Arr(_) => return err("can't use array in scalar context"),
                            },
                            lv => self.lval_get(lv)?.num(),
                        };
                        self.assign(lv, Value::Num(arith(*op, x, y)?))?;
                    }
                    Expr::Incr(_, d, lv) => {
                        let x = self.lval_get(lv)?.num();
                        self.assign(lv, Value::Num(x + d))?;
                    }
                    e => {
                        self.eval(e)?;
                    }
                }
                Ok(Flow::Normal)
            }
            Stmt::Print(args, redir) => {
                self.print(args, redir.as_ref())?;
                Ok(Flow::Normal)
            }
            Stmt::Printf(args, redir) => {
                self.printf(args, redir.as_ref())?;
                Ok(Flow::Normal)
            }
            Stmt::If(c, a, b) => {
                if self.eval_bool(c)? {
                    self.exec(a)
                } else if let Some(b) = b {
                    self.exec(b)
                } else {
                    Ok(Flow::Normal)
                }
            }
            Stmt::While(c, body) => {
                while self.eval_bool(c)? {
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
                Ok(Flow::Normal)
            }
            Stmt::Do(body, c) => {
                loop {
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if !self.eval_bool(c)? {
                        break;
                    }
                }
                Ok(Flow::Normal)
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval_bool(c)? {
                            break;
                        }
                    }
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if let Some(st) = step {
                        self.exec(st)?;
                    }
                }
                Ok(Flow::Normal)
            }
            Stmt::ForIn(lv, a, body) => {
                let arr = self.array(*a)?;
                let keys = arr.borrow().keys();
                for k in keys {
                    if !arr.borrow().contains(&k) {
                        continue;
                    }
                    self.assign(lv, Value::StrNum(k))?;
                    match self.exec(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
                Ok(Flow::Normal)
            }
            Stmt::Block(b) => self.exec_block(b),
            Stmt::Next => Err(Fail::Next),
            Stmt::NextFile => Err(Fail::NextFile),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval_num(e)? as i64 as i32;
                }
                Err(Fail::Exit)
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Uninit,
                };
                Ok(Flow::Return(v))
            }
            Stmt::Break => Ok(Flow::Break),
            Stmt::Continue => Ok(Flow::Continue),
            Stmt::Delete(a, subs) => {
                let arr = self.array(*a)?;
                match subs {
                    Some(subs) => {
                        let k = self.subscript(subs)?;
                        arr.borrow_mut().delete(&k);
                    }
                    None => arr.borrow_mut().clear(),
                }
                Ok(Flow::Normal)
            }
        }
    }

    // ---- output ----

    fn append_out(&mut self, e: &'a Expr, out: &mut Vec<u8>) -> R<()> {
        match e {
            Expr::Field(f) => {
                let i = self.field_index(f)?;
                self.append_field_as(i, out, true);
            }
            Expr::Str(s) => out.extend_from_slice(s),
            e => {
                let v = self.eval(e)?;
                match v {
                    Value::Num(n) => num_to_str(n, &self.ofmt, out),
                    v => v.append_str(&self.convfmt, out),
                }
            }
        }
        Ok(())
    }

    fn print(&mut self, args: &'a [Expr], redir: Option<&'a (Redir, Expr)>) -> R<()> {
        if redir.is_none()
            && args.iter().all(|a| {
                matches!(a, Expr::Str(_))
                    || matches!(a, Expr::Field(f) if matches!(**f, Expr::Num(_)))
            })
        {
            // straight into the output buffer: nothing here can print meanwhile
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    let ofs = &self.ofs;
                    crate::common::io::append(self.ctx.out.buf_mut(), ofs);
                }
                match a {
                    Expr::Str(s) => self.ctx.out.buf_mut().extend_from_slice(s),
                    Expr::Field(f) => {
                        let i = self.field_index(f)?;
                        if i == 0 {
                            self.ctx.out.buf_mut().extend_from_slice(&self.rec);
                            continue;
                        }
                        self.split_upto(i);
                        if self.fields.is_none() {
                            if let Some(&(a, b)) = self.ranges.get(i - 1) {
                                crate::common::io::append(self.ctx.out.buf_mut(), &self.rec[a..b]);
                            }
                        } else {
                            let mut t = Vec::new();
                            self.append_field_as(i, &mut t, true);
                            self.ctx.out.buf_mut().extend_from_slice(&t);
                        }
                    }
                    _ => unreachable!(),
                }
            }
            if args.is_empty() {
                self.ctx.out.buf_mut().extend_from_slice(&self.rec);
            }
            crate::common::io::append(self.ctx.out.buf_mut(), &self.ors);
            return self.ctx.out.maybe_flush().map_err(write_fail);
        }
        let mut buf = std::mem::take(&mut self.pbuf);
        buf.clear();
        if args.is_empty() {
            buf.extend_from_slice(&self.rec);
        } else {
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    buf.extend_from_slice(&self.ofs);
                }
                if let Err(e) = self.append_out(a, &mut buf) {
                    self.pbuf = buf;
                    return Err(e);
                }
            }
        }
        buf.extend_from_slice(&self.ors);
        let r = self.emit(redir, &buf);
        self.pbuf = buf;
        r
    }

    fn printf(&mut self, args: &'a [Expr], redir: Option<&'a (Redir, Expr)>) -> R<()> {
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a)?);
        }
        let fmt = vals[0].to_bytes(&self.convfmt);
        let mut buf = Vec::new();
        if !format::format(&mut buf, &fmt, &vals[1..], &self.convfmt) {
            return err(format!(
                "not enough arguments passed to printf(\"{}\")",
                String::from_utf8_lossy(&fmt)
            ));
        }
        self.emit(redir, &buf)
    }

    fn emit(&mut self, redir: Option<&'a (Redir, Expr)>, data: &[u8]) -> R<()> {
        let Some((kind, target)) = redir else {
            return self.write_stdout(data);
        };
        let name = self.eval(target)?.to_bytes(&self.convfmt).to_vec();
        let i = self.open_output(*kind, &name)?;
        self.write_stream(i, data)
    }

    fn write_stdout(&mut self, data: &[u8]) -> R<()> {
        self.ctx.out.write_all(data).map_err(write_fail)
    }

    fn open_output(&mut self, kind: Redir, name: &[u8]) -> R<usize> {
        if let Some(i) = self.outputs.iter().position(|(n, _)| n == name) {
            return Ok(i);
        }
        if name.is_empty() {
            return err("expression for redirection has null string value");
        }
        let stream = match (kind, name) {
            (Redir::Pipe, _) => {
                // what was printed comes before the command's output; other pipes keep their
                // buffers (mawk, gawk: `print | "cat"; print | "sort"` leaves cat's lines last)
                let _ = self.ctx.out.flush();
                match sh_c(name, Io::Pipe, Io::Inherit) {
                    Ok(mut child) => {
                        let fd = child.stdin.take();
                        Stream::Pipe(fd, Vec::new(), child)
                    }
                    Err(e) => {
                        return err(format!(
                            "cannot open pipe \"{}\" ({})",
                            String::from_utf8_lossy(name),
                            crate::common::ctx::strerror(&e)
                        ))
                    }
                }
            }
            (_, b"/dev/stdout") | (_, b"-") => Stream::Stdout,
            (_, b"/dev/stderr") => Stream::Stderr,
            _ => {
                let flags = libc::O_WRONLY
                    | libc::O_CREAT
                    | libc::O_CLOEXEC
                    | if kind == Redir::Append {
                        libc::O_APPEND
                    } else {
                        libc::O_TRUNC
                    };
                match sysfd::open(name, flags, 0o666) {
                    Ok(fd) => Stream::File(fd, Vec::new()),
                    Err(e) => {
                        return err(format!(
                            "cannot open \"{}\" for output ({})",
                            String::from_utf8_lossy(name),
                            crate::common::ctx::strerror(&e)
                        ))
                    }
                }
            }
        };
        self.outputs.push((name.to_vec(), stream));
        Ok(self.outputs.len() - 1)
    }

    fn write_stream(&mut self, i: usize, data: &[u8]) -> R<()> {
        match &mut self.outputs[i].1 {
            Stream::Stdout => return self.write_stdout(data),
            Stream::Stderr => {
                let _ = write_all(stderr_fd(), data);
            }
            Stream::File(fd, buf) | Stream::Pipe(Some(fd), buf, _) => {
                buf.extend_from_slice(data);
                if buf.len() >= 64 * 1024 {
                    let r = write_all(fd.as_fd(), buf);
                    buf.clear();
                    if let Err(e) = r {
                        if e.raw_os_error() != Some(libc::EPIPE) {
                            return Err(write_fail(e));
                        }
                    }
                }
            }
            Stream::Pipe(None, ..) => {}
        }
        Ok(())
    }

    fn flush_stream(s: &mut Stream) -> io::Result<()> {
        match s {
            Stream::File(fd, buf) | Stream::Pipe(Some(fd), buf, _) => {
                let r = write_all(fd.as_fd(), buf);
                buf.clear();
                match r {
                    Err(e) if e.raw_os_error() == Some(libc::EPIPE) => Ok(()),
                    r => r,
                }
            }
            _ => Ok(()),
        }
    }

    fn flush_all(&mut self) {
        let _ = self.ctx.out.flush();
        for (_, s) in self.outputs.iter_mut() {
            let _ = Self::flush_stream(s);
        }
    }

    /// close(name): the stream's status (a command's exit status), -1 if none was open.
    fn close(&mut self, name: &[u8]) -> f64 {
        let mut result = -1.0;
        if let Some(i) = self.outputs.iter().position(|(n, _)| n == name) {
            let (_, mut s) = self.outputs.remove(i);
            if matches!(s, Stream::Stdout) {
                let _ = self.ctx.out.flush();
            }
            let r = Self::flush_stream(&mut s);
            result = if r.is_ok() { 0.0 } else { -1.0 };
            if let Stream::Pipe(fd, _, mut child) = s {
                drop(fd);
                result = wait_status(child.wait());
            }
        }
        if let Some(i) = self.inputs.iter().position(|(n, _)| n == name) {
            let (_, mut r) = self.inputs.remove(i);
            result = 0.0;
            r.fd = None;
            if let Some(mut c) = r.child.take() {
                result = wait_status(c.wait());
            }
        }
        result
    }

    pub fn close_all(&mut self) -> i32 {
        let mut status = 0;
        let outs = std::mem::take(&mut self.outputs);
        // the last opened first (mawk, gawk): `print | "cat"; print | "sort"` shows sort's output
        // before cat's
        for (name, mut s) in outs.into_iter().rev() {
            if let Err(e) = Self::flush_stream(&mut s) {
                let m = format!(
                    "close failed on file {} ({})",
                    String::from_utf8_lossy(&name),
                    crate::common::ctx::strerror(&e)
                );
                self.report(&Fail::Error(m));
                status = 2;
            }
            if let Stream::Pipe(fd, _, mut child) = s {
                drop(fd);
                let _ = child.wait();
            }
        }
        // as mawk and gawk: pipes are closed (and waited for) before standard output is flushed
        if let Err(e) = self.ctx.out.flush() {
            if e.raw_os_error() != Some(libc::EPIPE) {
                self.report(&write_fail(e));
                status = 2;
            }
        }
        for (_, mut r) in std::mem::take(&mut self.inputs) {
            r.fd = None;
            if let Some(mut c) = r.child.take() {
                let _ = c.wait();
            }
        }
        status
    }

    pub fn report(&mut self, f: &Fail) {
        if let Fail::Error(m) = f {
            let _ = self.ctx.out.flush();
            let line = format!("awk: {m}\n");
            let _ = write_all(stderr_fd(), line.as_bytes());
        }
    }

    // ---- input ----

    /// Read one record from `r` with the current RS into `out`.
    fn read_record(&mut self, r: &mut Reader, out: &mut Vec<u8>) -> R<bool> {
        out.clear();
        let mode = self.rs_mode;
        match mode {
            RsMode::Byte(c) => read_byte_record(r, c, out),
            RsMode::Para => {
                // skip leading newlines
                loop {
                    while r.pos < r.buf.len() && r.buf[r.pos] == b'\n' {
                        r.pos += 1;
                    }
                    if r.pos < r.buf.len() {
                        break;
                    }
                    if !r.fill().map_err(read_fail)? {
                        return Ok(false);
                    }
                }
                let mut from = r.pos;
                loop {
                    if let Some(k) = memchr::memmem::find(&r.buf[from..], b"\n\n") {
                        let end = from + k;
                        // the whole run of newlines must be in the buffer
                        let mut e = end;
                        while e < r.buf.len() && r.buf[e] == b'\n' {
                            e += 1;
                        }
                        if e == r.buf.len() && !r.eof {
                            // positions move when the buffer is compacted
                            let rel = end - r.pos;
                            r.fill().map_err(read_fail)?;
                            from = r.pos + rel;
                            continue;
                        }
                        let end = from + k;
                        out.extend_from_slice(&r.buf[r.pos..end]);
                        r.pos = e;
                        return Ok(true);
                    }
                    let have = r.buf.len() - r.pos;
                    if !r.fill().map_err(read_fail)? {
                        let mut end = r.buf.len();
                        while end > r.pos && r.buf[end - 1] == b'\n' {
                            end -= 1;
                        }
                        out.extend_from_slice(&r.buf[r.pos..end]);
                        r.pos = r.buf.len();
                        return Ok(true);
                    }
                    from = r.pos + have.saturating_sub(1);
                }
            }
            RsMode::Regex(ix) => {
                let src = if ix == usize::MAX {
                    self.gstr(RS)
                } else {
                    Vec::new()
                };
                loop {
                    let bol = r.bol_flags();
                    let hay = &r.buf[r.pos..];
                    let m = if ix == usize::MAX {
                        compile(&src).map_err(Fail::Error)?.find_at(hay, 0, bol)
                    } else {
                        let arena = self.arena;
                        self.matcher_slot(ix)
                            .get_or_insert_with(|| arena[ix].get().expect("compiled").matcher())
                            .find_at(hay, 0, bol)
                    };
                    match m {
                        Some((a, b)) if b > a && (b < hay.len() || r.eof) => {
                            out.extend_from_slice(&hay[..a]);
                            r.pos += b;
                            return Ok(true);
                        }
                        _ => {
                            if !r.fill().map_err(read_fail)? {
                                if r.pos < r.buf.len() {
                                    // a last match may sit at the very end
                                    let bol = r.bol_flags();
                                    let hay = &r.buf[r.pos..];
                                    let m = if ix == usize::MAX {
                                        None
                                    } else {
                                        self.matchers
                                            .get_mut(ix)
                                            .and_then(|m| m.as_mut())
                                            .and_then(|m| m.find_at(hay, 0, bol))
                                    };
                                    match m {
                                        Some((a, b)) if b > a => {
                                            out.extend_from_slice(&hay[..a]);
                                            r.pos += b;
                                        }
                                        _ => {
                                            out.extend_from_slice(hay);
                                            r.pos = r.buf.len();
                                        }
                                    }
                                    return Ok(true);
                                }
                                return Ok(false);
                            }
                        }
                    }
                }
            }
        }
    }

    /// The next record of the main input (walking ARGV), into `out`.
    fn next_main(&mut self, out: &mut Vec<u8>) -> R<bool> {
        if let (RsMode::Byte(c), Some(r)) = (self.rs_mode, self.main.as_mut()) {
            out.clear();
            if read_byte_record(r, c, out)? {
                return Ok(true);
            }
            self.main = None;
        }
        loop {
            if self.main.is_none() && !self.open_next_file()? {
                return Ok(false);
            }
            let mut r = self.main.take().expect("open");
            let got = self.read_record(&mut r, out);
            match got {
                Ok(true) => {
                    self.main = Some(r);
                    return Ok(true);
                }
                Ok(false) => {
                    // next file
                    drop(r);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Open the next file operand; false when there are none left.
    fn open_next_file(&mut self) -> R<bool> {
        loop {
            let argc = self.gnum(ARGC) as usize;
            if self.argi >= argc {
                if !self.used_file {
                    self.used_file = true;
                    self.main = Some(Reader::new(None));
                    self.fnr = 0.0;
                    // standard input read for want of operands is named `-` (mawk, gawk, BusyBox)
                    self.globals[FILENAME as usize] = Cell::Val(Value::Str(b"-"[..].into()));
                    return Ok(true);
                }
                return Ok(false);
            }
            let i = self.argi;
            self.argi += 1;
            let arg = match &self.globals[ARGV as usize] {
                Cell::Arr(a) => a.borrow().get(i.to_string().as_bytes()).cloned(),
                _ => None,
            };
            let Some(arg) = arg else { continue };
            let arg = arg.to_bytes(&self.convfmt).to_vec();
            if arg.is_empty() {
                continue;
            }
            if let Some(eq) = arg.iter().position(|&c| c == b'=') {
                if valid_name(&arg[..eq]) {
                    self.assign_cmdline(&arg[..eq], &arg[eq + 1..])?;
                    continue;
                }
            }
            self.used_file = true;
            self.fnr = 0.0;
            self.globals[FNR as usize] = Cell::Val(Value::Num(0.0));
            self.globals[FILENAME as usize] = Cell::Val(Value::Str(arg.as_slice().into()));
            if arg == b"-" || arg == b"/dev/stdin" {
                self.main = Some(Reader::new(None));
                return Ok(true);
            }
            match sysfd::open(&arg, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                Ok(fd) => {
                    if let Ok(st) = sysfd::fstat(fd.as_fd()) {
                        if st.st_mode & libc::S_IFMT == libc::S_IFDIR {
                            // gawk: a warning and the directory is skipped
                            let m = format!(
                                "warning: command line argument `{}' is a directory: skipped",
                                String::from_utf8_lossy(&arg)
                            );
                            self.report(&Fail::Error(m));
                            continue;
                        }
                    }
                    self.main = Some(Reader::new(Some(fd)));
                    return Ok(true);
                }
                Err(e) => {
                    return err(format!(
                        "cannot open {} ({})",
                        String::from_utf8_lossy(&arg),
                        crate::common::ctx::strerror(&e)
                    ));
                }
            }
        }
    }

    fn getline(&mut self, src: &'a GetSrc, lv: Option<&'a LVal>) -> R<Value> {
        let mut rec = Vec::new();
        match src {
            GetSrc::Main => {
                if !self.next_main(&mut rec)? {
                    return Ok(Value::Num(0.0));
                }
                self.nr += 1.0;
                self.fnr += 1.0;
                self.globals[NR as usize] = Cell::Val(Value::Num(self.nr));
                self.globals[FNR as usize] = Cell::Val(Value::Num(self.fnr));
            }
            GetSrc::File(f) | GetSrc::Cmd(f) => {
                let is_cmd = matches!(src, GetSrc::Cmd(_));
                let name = self.eval(f)?.to_bytes(&self.convfmt).to_vec();
                let ix = match self.inputs.iter().position(|(n, _)| *n == name) {
                    Some(i) => i,
                    None => {
                        let reader = if is_cmd {
                            self.flush_all();
                            match sh_c(&name, Io::Inherit, Io::Pipe) {
                                Ok(mut child) => {
                                    let fd = child.stdout.take();
                                    let mut r = Reader::new(fd);
                                    r.child = Some(child);
                                    r
                                }
                                Err(_) => return Ok(Value::Num(-1.0)),
                            }
                        } else if name == b"-" || name == b"/dev/stdin" {
                            Reader::new(None)
                        } else {
                            match sysfd::open(&name, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                                Ok(fd) => Reader::new(Some(fd)),
                                Err(_) => return Ok(Value::Num(-1.0)),
                            }
                        };
                        self.inputs.push((name, reader));
                        self.inputs.len() - 1
                    }
                };
                let (n, mut r) = self.inputs.swap_remove(ix);
                let got = self.read_record(&mut r, &mut rec);
                self.inputs.push((n, r));
                let last = self.inputs.len() - 1;
                self.inputs.swap(ix, last);
                match got {
                    Ok(true) => {}
                    Ok(false) => return Ok(Value::Num(0.0)),
                    Err(_) => return Ok(Value::Num(-1.0)),
                }
            }
        }
        match lv {
            Some(lv) => self.assign(lv, Value::StrNum(rec.into()))?,
            None => {
                self.rec = rec;
                self.set_record();
            }
        }
        Ok(Value::Num(1.0))
    }

    // ---- builtins ----

    fn str_arg(&mut self, e: &'a Expr) -> R<Vec<u8>> {
        let mut s = Vec::new();
        self.concat_into(e, &mut s)?;
        Ok(s)
    }

    fn builtin(&mut self, b: Builtin, args: &'a [Expr]) -> R<Value> {
        let num = |me: &mut Self, i: usize| -> R<f64> { me.eval_num(&args[i]) };
        Ok(Value::Num(match b {
            Builtin::Length => match args.first() {
                None => self.rec.len() as f64,
                Some(Expr::ArrRef(a)) => self.array(*a)?.borrow().len() as f64,
                Some(e @ (Expr::Var(_) | Expr::Local(_))) => {
                    let cell = match e {
                        Expr::Var(s) => &self.globals[*s as usize],
                        Expr::Local(l) => &self.locals[self.fp + *l as usize],
                        _ => unreachable!(),
                    };
                    if let Cell::Arr(a) = cell {
                        a.borrow().len() as f64
                    } else {
                        self.str_arg(e)?.len() as f64
                    }
                }
                Some(e) => self.str_arg(e)?.len() as f64,
            },
            Builtin::Substr => {
                let s = self.str_arg(&args[0])?;
                let m = num(self, 1)?;
                let n = if args.len() > 2 {
                    Some(num(self, 2)?)
                } else {
                    None
                };
                return Ok(Value::Str(substr(&s, m, n).into()));
            }
            Builtin::Index => {
                let s = self.str_arg(&args[0])?;
                let t = self.str_arg(&args[1])?;
                match memchr::memmem::find(&s, &t) {
                    Some(p) => (p + 1) as f64,
                    None => 0.0,
                }
            }
            Builtin::Match => {
                let s = self.str_arg(&args[0])?;
                let (ix, src) = self.regex_of(&args[1])?;
                let (st, len) = match self.re_find(ix, &src, &s, 0)? {
                    Some((a, b)) => ((a + 1) as f64, (b - a) as f64),
                    None => (0.0, -1.0),
                };
                self.globals[RSTART as usize] = Cell::Val(Value::Num(st));
                self.globals[RLENGTH as usize] = Cell::Val(Value::Num(len));
                st
            }
            Builtin::Gensub => return self.gensub(args),
            Builtin::Sprintf => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let fmt = vals[0].to_bytes(&self.convfmt);
                let mut buf = Vec::new();
                if !format::format(&mut buf, &fmt, &vals[1..], &self.convfmt) {
                    return err(format!(
                        "not enough arguments passed to sprintf(\"{}\")",
                        String::from_utf8_lossy(&fmt)
                    ));
                }
                return Ok(Value::Str(buf.into()));
            }
            Builtin::Sin => num(self, 0)?.sin(),
            Builtin::Cos => num(self, 0)?.cos(),
            Builtin::Atan2 => {
                let y = num(self, 0)?;
                let x = num(self, 1)?;
                y.atan2(x)
            }
            Builtin::Exp => num(self, 0)?.exp(),
            Builtin::Log => {
                let x = num(self, 0)?;
                if x < 0.0 {
                    // glibc's log(-1) is -nan
                    -f64::NAN
                } else {
                    x.ln()
                }
            }
            Builtin::Sqrt => {
                let x = num(self, 0)?;
                if x < 0.0 {
                    -f64::NAN
                } else {
                    x.sqrt()
                }
            }
            Builtin::Int => num(self, 0)?.trunc(),
            Builtin::Rand => self.rand(),
            Builtin::Srand => {
                let prev = self.rand_seed;
                let s = if args.is_empty() {
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs() as f64)
                        .unwrap_or(0.0)
                } else {
                    num(self, 0)?
                };
                self.seed(s);
                self.prev_seed = prev;
                prev
            }
            Builtin::Tolower | Builtin::Toupper => {
                let mut s = self.str_arg(&args[0])?;
                if b == Builtin::Tolower {
                    s.make_ascii_lowercase();
                } else {
                    s.make_ascii_uppercase();
                }
                return Ok(Value::Str(s.into()));
            }
            Builtin::System => {
                let cmd = self.str_arg(&args[0])?;
                self.flush_all();
                wait_status(sh_c(&cmd, Io::Inherit, Io::Inherit).and_then(|mut c| c.wait()))
            }
            Builtin::Close => {
                let name = self.str_arg(&args[0])?;
                self.close(&name)
            }
            Builtin::Fflush => {
                if args.is_empty() {
                    self.flush_all();
                    0.0
                } else {
                    let name = self.str_arg(&args[0])?;
                    if name.is_empty() || name == b"/dev/stdout" {
                        let _ = self.ctx.out.flush();
                        0.0
                    } else if let Some(i) = self.outputs.iter().position(|(n, _)| *n == name) {
                        if matches!(self.outputs[i].1, Stream::Stdout) {
                            let _ = self.ctx.out.flush();
                        }
                        match Self::flush_stream(&mut self.outputs[i].1) {
                            Ok(()) => 0.0,
                            Err(_) => -1.0,
                        }
                    } else {
                        -1.0
                    }
                }
            }
            Builtin::Split | Builtin::Sub | Builtin::Gsub => unreachable!(),
        }))
    }

    /// gawk's `and(a, b, ...)`, `or`, `xor`, `lshift(a, n)`, `rshift(a, n)` on the integer
    /// parts, as unsigned 64-bit values; a negative argument is an error (gawk).
    fn bit_fn(&mut self, b: BitFn, name: &str, args: &'a [Expr]) -> R<Value> {
        let shift = matches!(b, BitFn::Lshift | BitFn::Rshift);
        if args.len() < 2 || (shift && args.len() > 2) {
            return err(format!("{name}: called with {} arguments", args.len()));
        }
        let mut acc = 0u64;
        for (i, a) in args.iter().enumerate() {
            let x = self.eval(a)?.num().trunc();
            if x < 0.0 {
                let mut v = Vec::new();
                num_to_str(x, b"%.6g", &mut v);
                return err(format!(
                    "{name}: argument {} negative value {} is not allowed",
                    i + 1,
                    String::from_utf8_lossy(&v)
                ));
            }
            let x = x as u64;
            acc = match (i, b) {
                (0, _) => x,
                (_, BitFn::And) => acc & x,
                (_, BitFn::Or) => acc | x,
                (_, BitFn::Xor) => acc ^ x,
                (_, BitFn::Lshift) => acc.checked_shl(x.min(64) as u32).unwrap_or(0),
                (_, BitFn::Rshift) => acc.checked_shr(x.min(64) as u32).unwrap_or(0),
            };
        }
        Ok(Value::Num(acc as f64))
    }

    fn seed(&mut self, s: f64) {
        self.rand_seed = s;
        let mut x = s.to_bits() ^ 0x9e37_79b9_7f4a_7c15;
        if x == 0 {
            x = 1;
        }
        self.rng = x;
        for _ in 0..4 {
            self.rand();
        }
    }

    fn rand(&mut self) -> f64 {
        // xorshift64*
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        (r >> 11) as f64 / (1u64 << 53) as f64
    }

    fn split(&mut self, s: &'a Expr, a: Arr, sep: Option<&'a Expr>) -> R<Value> {
        let text = self.str_arg(s)?;
        let mut ranges = Vec::new();
        let para = false;
        match sep {
            None => {
                let mode = self.fs_mode;
                // paragraph mode's newline rule is for records only (mawk, gawk)
                self.split_into(&text, mode, para, &mut ranges);
            }
            Some(Expr::Regex(i)) => {
                // `//` splits into characters, as `""` does (mawk, gawk)
                let mode = if self.prog.regexes[*i].is_empty() {
                    FsMode::Chars
                } else {
                    FsMode::Regex(*i)
                };
                self.split_into(&text, mode, para, &mut ranges);
            }
            Some(e) => {
                let fs = self.str_arg(e)?;
                let mode = self.fs_mode_for(&fs)?;
                if mode == FsMode::Regex(usize::MAX) {
                    // uncached: split by hand
                    let re = compile(&fs).map_err(Fail::Error)?;
                    let mut st = 0;
                    let mut pos = 0;
                    if !text.is_empty() {
                        while let Some((x, y)) = re.find_at(&text, pos, 0) {
                            if x == y {
                                pos = x + 1;
                                if pos > text.len() {
                                    break;
                                }
                                continue;
                            }
                            ranges.push((st, x));
                            st = y;
                            pos = y;
                        }
                        ranges.push((st, text.len()));
                    }
                } else {
                    self.split_into(&text, mode, para, &mut ranges);
                }
            }
        }
        let arr = self.array(a)?;
        let mut arr = arr.borrow_mut();
        arr.clear();
        let mut k = Vec::new();
        for (i, &(x, y)) in ranges.iter().enumerate() {
            k.clear();
            int_text((i + 1) as f64, &mut k);
            arr.set(&k, Value::StrNum(text[x..y].into()));
        }
        Ok(Value::Num(ranges.len() as f64))
    }

    fn sub(&mut self, global: bool, re: &'a Expr, repl: &'a Expr, target: &'a LVal) -> R<Value> {
        let (ix, src) = self.regex_of(re)?;
        let repl = self.str_arg(repl)?;
        let t = self.lval_get(target)?;
        let mut hay = Vec::new();
        t.append_str(&self.convfmt, &mut hay);
        let mut out = Vec::with_capacity(hay.len());
        let mut pos = 0;
        let mut copied = 0;
        let mut n = 0;
        let mut prev_end = usize::MAX;
        while pos <= hay.len() {
            let Some((s, e)) = self.re_find(ix, &src, &hay, pos)? else {
                break;
            };
            if s == e && s == prev_end {
                // an empty match right after a match is not replaced
                pos = s + 1;
                continue;
            }
            out.extend_from_slice(&hay[copied..s]);
            // the replacement: & is the match, \& a literal &, \\ a backslash
            let mut k = 0;
            while k < repl.len() {
                let c = repl[k];
                if c == b'\\' && k + 1 < repl.len() && (repl[k + 1] == b'&' || repl[k + 1] == b'\\')
                {
                    out.push(repl[k + 1]);
                    k += 2;
                    continue;
                }
                if c == b'&' {
                    out.extend_from_slice(&hay[s..e]);
                } else {
                    out.push(c);
                }
                k += 1;
            }
            n += 1;
            copied = e;
            prev_end = e;
            if !global {
                break;
            }
            if s == e {
                if s < hay.len() {
                    out.push(hay[s]);
                }
                copied = s + 1;
                pos = s + 1;
            } else {
                pos = e;
            }
        }
        if n == 0 {
            return Ok(Value::Num(0.0));
        }
        if copied < hay.len() {
            out.extend_from_slice(&hay[copied..]);
        }
        self.assign(target, Value::Str(out.into()))?;
        Ok(Value::Num(n as f64))
    }

    /// gawk's (and BusyBox's) `gensub(re, repl, how, target)`: the target with the matches
    /// replaced, all of them (`how` "g"/"G") or the how-th one; in `repl`, `\\N` is
    /// sub-match N (0: the whole match), `&` the match, `\\q` the character q. The target
    /// itself is left alone.
    fn gensub(&mut self, args: &'a [Expr]) -> R<Value> {
        let src = match &args[0] {
            Expr::Regex(i) => self.prog.regexes[*i].clone(),
            e => self.str_arg(e)?,
        };
        if self.gensub_re.as_ref().is_none_or(|(s, _)| *s != src) {
            let re = Regex::with_syntax(&src, awk_syntax(), false).map_err(|e| {
                Fail::Error(format!(
                    "regular expression compile failed ({e})\n{}",
                    String::from_utf8_lossy(&src)
                ))
            })?;
            self.gensub_re = Some((src, re));
        }
        let repl = self.str_arg(&args[1])?;
        let how = self.eval(&args[2])?;
        let how_s = how.to_bytes(&self.convfmt);
        let global = matches!(how_s.first(), Some(b'g' | b'G'));
        // gawk takes a number below 1 (or no number) as 1.
        let which = if global {
            0
        } else {
            how.num().max(1.0) as usize
        };
        let hay = self.str_arg(&args[3])?;
        let (_, re) = self.gensub_re.as_ref().expect("compiled above");
        let mut m = re.matcher();
        let mut caps = [None; 10];
        let mut out = Vec::with_capacity(hay.len());
        let (mut pos, mut copied, mut n, mut prev_end) = (0, 0, 0, usize::MAX);
        while pos <= hay.len() {
            let found = m.captures_at(&hay, pos, 0, &mut caps);
            let Some((s, e)) = caps[0].filter(|_| found) else {
                break;
            };
            if s == e && s == prev_end {
                pos = s + 1;
                continue;
            }
            n += 1;
            let replace = global || n == which;
            if replace {
                out.extend_from_slice(&hay[copied..s]);
                let mut k = 0;
                while k < repl.len() {
                    match repl[k] {
                        b'\\' if k + 1 < repl.len() => {
                            let c = repl[k + 1];
                            if c.is_ascii_digit() {
                                if let Some((a, b)) = caps[usize::from(c - b'0')] {
                                    out.extend_from_slice(&hay[a..b]);
                                }
                            } else {
                                out.push(c);
                            }
                            k += 2;
                            continue;
                        }
                        b'&' => out.extend_from_slice(&hay[s..e]),
                        c => out.push(c),
                    }
                    k += 1;
                }
                copied = e;
            }
            prev_end = e;
            if replace && !global {
                break;
            }
            if s == e {
                if replace && s < hay.len() {
                    out.push(hay[s]);
                    copied = s + 1;
                }
                pos = s + 1;
            } else {
                pos = e;
            }
        }
        out.extend_from_slice(&hay[copied.min(hay.len())..]);
        Ok(Value::Str(out.into()))
    }

    // ---- the program ----

    fn run_begin_end(&mut self, b: &'a [Stmt]) -> R<()> {
        match self.exec_block(b) {
            Ok(_) => Ok(()),
            Err(Fail::Next) | Err(Fail::NextFile) => err("improper use of next in BEGIN or END"),
            Err(e) => Err(e),
        }
    }

    /// Run BEGIN, the rules over the input, END. Returns the exit status.
    pub fn run(&mut self) -> i32 {
        let prog = self.prog;
        let mut status = match self.run_inner(prog) {
            Ok(()) => self.exit_code,
            Err(Fail::Exit) => self.exit_code,
            Err(f) => {
                self.report(&f);
                2
            }
        };
        let s = self.close_all();
        if s != 0 && status == 0 {
            status = s;
        }
        status
    }

    fn run_inner(&mut self, prog: &'a Program) -> R<()> {
        let mut exiting = false;
        match self.run_begin_end(&prog.begin) {
            Ok(()) => {}
            Err(Fail::Exit) => exiting = true,
            Err(e) => return Err(e),
        }
        if !exiting && (!prog.rules.is_empty() || prog.has_end) {
            match self.main_loop(prog) {
                Ok(()) => {}
                Err(Fail::Exit) => {}
                Err(e) => return Err(e),
            }
        }
        self.in_end = true;
        if prog.has_end {
            self.run_begin_end(&prog.end)?;
        }
        Ok(())
    }

    fn main_loop(&mut self, prog: &'a Program) -> R<()> {
        let mut rec = Vec::new();
        loop {
            if !self.next_main(&mut rec)? {
                return Ok(());
            }
            std::mem::swap(&mut self.rec, &mut rec);
            self.set_record();
            self.nr += 1.0;
            self.fnr += 1.0;
            self.globals[NR as usize] = Cell::Val(Value::Num(self.nr));
            self.globals[FNR as usize] = Cell::Val(Value::Num(self.fnr));
            match self.rules(prog) {
                Ok(()) | Err(Fail::Next) => {}
                Err(Fail::NextFile) => {
                    self.main = None;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn rules(&mut self, prog: &'a Program) -> R<()> {
        for (ri, rule) in prog.rules.iter().enumerate() {
            let hit = match &rule.pattern {
                Pattern::All => true,
                Pattern::Expr(e) => self.eval_bool(e)?,
                Pattern::Range(a, b) => {
                    if self.range_on[ri] {
                        if self.eval_bool(b)? {
                            self.range_on[ri] = false;
                        }
                        true
                    } else if self.eval_bool(a)? {
                        if !self.eval_bool(b)? {
                            self.range_on[ri] = true;
                        }
                        true
                    } else {
                        false
                    }
                }
            };
            if !hit {
                continue;
            }
            match &rule.action {
                None => {
                    let mut buf = std::mem::take(&mut self.pbuf);
                    buf.clear();
                    buf.extend_from_slice(&self.rec);
                    buf.extend_from_slice(&self.ors);
                    let r = self.write_stdout(&buf);
                    self.pbuf = buf;
                    r?;
                }
                Some(b) => {
                    self.exec_block(b)?;
                }
            }
        }
        Ok(())
    }
}

/// One record ended by `c` (the common case: RS is one character).
#[inline]
fn read_byte_record(r: &mut Reader, c: u8, out: &mut Vec<u8>) -> R<bool> {
    let mut from = r.pos;
    loop {
        if let Some(k) = memchr::memchr(c, &r.buf[from..]) {
            let end = from + k;
            out.extend_from_slice(&r.buf[r.pos..end]);
            r.pos = end + 1;
            return Ok(true);
        }
        let have = r.buf.len() - r.pos;
        if !r.fill().map_err(read_fail)? {
            if r.pos < r.buf.len() {
                out.extend_from_slice(&r.buf[r.pos..]);
                r.pos = r.buf.len();
                return Ok(true);
            }
            return Ok(false);
        }
        from = r.pos + have;
    }
}

fn arith(op: BinOp, x: f64, y: f64) -> R<f64> {
    Ok(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => {
            if y == 0.0 {
                return err("division by zero");
            }
            x / y
        }
        BinOp::Mod => {
            if y == 0.0 {
                return err("division by zero in %");
            }
            x % y
        }
        BinOp::Pow => pow(x, y),
    })
}

fn pow(x: f64, y: f64) -> f64 {
    if y == y.trunc() && y.abs() < 1024.0 {
        // exact for integer powers, as awks compute them by repeated multiplication
        let mut n = y.abs() as u32;
        let mut b = x;
        let mut r = 1.0;
        while n > 0 {
            if n & 1 == 1 {
                r *= b;
            }
            b *= b;
            n >>= 1;
        }
        if y < 0.0 {
            1.0 / r
        } else {
            r
        }
    } else {
        x.powf(y)
    }
}

/// substr as gawk (and BWK awk) compute it: start and length truncated to integers, a start
/// before 1 taken as 1 with the length kept.
fn substr(s: &[u8], m: f64, n: Option<f64>) -> Vec<u8> {
    let len = s.len() as f64;
    let mut start = if m.is_nan() { 1.0 } else { m.trunc() };
    if start < 1.0 {
        start = 1.0;
    }
    let end = match n {
        None => len + 1.0,
        Some(n) if n.is_nan() || n < 0.0 => return Vec::new(),
        Some(n) => (start + n.trunc()).min(len + 1.0),
    };
    if end <= start || start > len {
        return Vec::new();
    }
    s[(start as usize - 1)..(end as usize - 1)].to_vec()
}

/// `/bin/sh -c cmd`, as awk's pipes and `system()` run their commands.
fn sh_c(cmd: &[u8], stdin: Io, stdout: Io) -> io::Result<Child> {
    let argv = [b"/bin/sh".to_vec(), b"-c".to_vec(), cmd.to_vec()];
    exec::spawn(Some(b"/bin/sh"), &argv, None, stdin, stdout)
}

fn wait_status(r: io::Result<crate::common::sys::process::WaitStatus>) -> f64 {
    match r {
        Ok(st) => match st.exit_code() {
            Some(c) => c as f64,
            None => (256 + st.term_signal().unwrap_or(0)) as f64,
        },
        Err(_) => -1.0,
    }
}

fn write_fail(e: io::Error) -> Fail {
    // EPIPE too (SIGPIPE came ignored): mawk and gawk report it and exit 2.
    Fail::Error(format!(
        "write failure ({})",
        crate::common::ctx::strerror(&e)
    ))
}

fn read_fail(e: io::Error) -> Fail {
    Fail::Error(format!("read error ({})", crate::common::ctx::strerror(&e)))
}

/// Store `snap` followed by `tail` into `cur` as a string, reusing `cur`'s buffer when it
/// still holds the snapshot's (the usual case: nothing else changed the target meanwhile).
fn append_to(cur: &mut Value, snap: Value, tail: &[u8], convfmt: &[u8]) -> Value {
    // A field or getline value (StrNum) is copied once; from then on the target is a Str.
    let same = match (&snap, &*cur) {
        (Value::Str(a), Value::Str(b)) => a.same(b),
        _ => false,
    };
    let mut b = if same {
        drop(snap);
        std::mem::take(cur).into_bytes(convfmt)
    } else {
        snap.into_bytes(convfmt)
    };
    b.make_mut().extend_from_slice(tail);
    *cur = Value::Str(b);
    cur.clone()
}

/// Whether evaluating `e` cannot change the record or any variable (no assignment, call,
/// getline or builtin).
fn pure(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Str(_) | Expr::Var(_) | Expr::Local(_) => true,
        Expr::Field(a) | Expr::Neg(a) | Expr::Pos(a) | Expr::Not(a) => pure(a),
        Expr::Concat(a, b)
        | Expr::Bin(_, a, b)
        | Expr::Cmp(_, a, b)
        | Expr::And(a, b)
        | Expr::Or(a, b) => pure(a) && pure(b),
        Expr::Cond(c, a, b) => pure(c) && pure(a) && pure(b),
        _ => false,
    }
}
