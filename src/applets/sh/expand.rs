//! Word expansion (XCU 2.6) in POSIX order: tilde, parameter, command substitution and
//! arithmetic; then field splitting by IFS on the unquoted results, pathname expansion, and
//! quote removal. Results of expansions are never expanded again.
//!
//! The builder carries two versions of the word being built: the plain bytes and a pattern
//! form in which quoted metacharacters are backslash-escaped, so that `"*"` stays literal
//! while `*` globs.

use super::arith;
use super::ast::*;
use super::exec::{Flow, Shell};
use super::pattern;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Split and glob into fields (command words, `for` lists).
    Fields,
    /// One string, no splitting or globbing (assignments, redirection targets, here-docs).
    Str,
    /// One string in pattern form (case patterns, `${x#pat}`).
    Pat,
}

struct Builder {
    mode: Mode,
    fields: Vec<Vec<u8>>,
    cur: Vec<u8>,
    pat: Vec<u8>,
    meta: bool,
    started: bool,
    ws_term: bool,
    /// Unquoted literal text inside the word of an unquoted `${x-word}` is split by IFS like an
    /// expansion result (POSIX: the word is expanded, then the whole result is split).
    split_lit: bool,
    /// IFS as a byte set: bit 0 = separator, bit 1 = IFS whitespace.
    ifs: [u8; 256],
    glob: bool,
}

fn ifs_set(ifs: &[u8]) -> [u8; 256] {
    let mut m = [0u8; 256];
    for &c in ifs {
        m[c as usize] = if matches!(c, b' ' | b'\t' | b'\n') {
            3
        } else {
            1
        };
    }
    m
}

fn is_meta(c: u8) -> bool {
    matches!(c, b'*' | b'?' | b'[')
}

impl Builder {
    fn new(mode: Mode, ifs: &[u8], glob: bool, cur: Vec<u8>) -> Builder {
        Builder {
            mode,
            fields: Vec::new(),
            cur,
            pat: Vec::new(),
            meta: false,
            started: false,
            ws_term: false,
            split_lit: false,
            ifs: if mode == Mode::Fields {
                ifs_set(ifs)
            } else {
                [0; 256]
            },
            glob,
        }
    }

    /// Unquoted text from the script: globbing applies, splitting does not.
    fn lit(&mut self, s: &[u8]) {
        if self.split_lit {
            return self.expansion(s);
        }
        match self.mode {
            Mode::Fields => {
                self.cur.extend_from_slice(s);
                if self.glob {
                    self.pat.extend_from_slice(s);
                    if s.iter().any(|&c| is_meta(c)) {
                        self.meta = true;
                    }
                }
            }
            Mode::Str => self.cur.extend_from_slice(s),
            Mode::Pat => self.cur.extend_from_slice(s),
        }
        self.started = true;
        self.ws_term = false;
    }

    fn quoted(&mut self, s: &[u8]) {
        match self.mode {
            Mode::Fields => {
                self.cur.extend_from_slice(s);
                if self.glob {
                    for &c in s {
                        if is_meta(c) || matches!(c, b'\\' | b'!' | b'^' | b'-' | b']' | b':') {
                            self.pat.push(b'\\');
                        }
                        self.pat.push(c);
                    }
                }
            }
            Mode::Str => self.cur.extend_from_slice(s),
            Mode::Pat => {
                for &c in s {
                    // `!`, `^`, `-`, `]` and `:` too: quoted, they are never bracket syntax (`[\!]`,
                    // `[[:punct\:]]` names no class).
                    if is_meta(c) || matches!(c, b'\\' | b'!' | b'^' | b'-' | b']' | b':') {
                        self.cur.push(b'\\');
                    }
                    self.cur.push(c);
                }
            }
        }
        self.started = true;
        self.ws_term = false;
    }

    /// The unquoted result of an expansion: split by IFS in field mode.
    fn expansion(&mut self, s: &[u8]) {
        if self.mode != Mode::Fields {
            // In a pattern, an unquoted expansion's metacharacters are active.
            self.cur.extend_from_slice(s);
            if !s.is_empty() {
                self.started = true;
            }
            return;
        }
        for &c in s {
            let k = self.ifs[c as usize];
            if k != 0 {
                if k == 3 {
                    if self.started {
                        self.end_field();
                        self.ws_term = true;
                    }
                } else {
                    if self.started || !self.ws_term {
                        self.end_field_force();
                    }
                    self.ws_term = false;
                }
            } else {
                self.cur.push(c);
                if self.glob {
                    self.pat.push(c);
                    // A backslash produced by an unquoted expansion escapes the next
                    // character in pathname matching: `v='\*'; echo Z$v` matches only `Z*`
                    // (bash, dash, BusyBox ash); the word is kept as it was when nothing matches.
                    if is_meta(c) {
                        self.meta = true;
                    }
                }
                self.started = true;
                self.ws_term = false;
            }
        }
    }

    fn end_field(&mut self) {
        if self.started {
            self.end_field_force();
        }
    }

    fn end_field_force(&mut self) {
        let cur = std::mem::take(&mut self.cur);
        if self.meta && self.glob && pattern::needs_glob(&self.pat) {
            let m = pattern::glob(&self.pat);
            if m.is_empty() {
                self.fields.push(cur);
            } else {
                self.fields.extend(m);
            }
        } else {
            self.fields.push(cur);
        }
        self.pat.clear();
        self.meta = false;
        self.started = false;
    }

    fn finish(mut self, out: &mut Vec<Vec<u8>>) {
        self.end_field();
        if out.is_empty() {
            std::mem::swap(out, &mut self.fields);
        } else {
            out.append(&mut self.fields);
        }
    }
}

/// A decimal rendering of an integer.
pub fn itoa(n: i64) -> Vec<u8> {
    let mut b = [0u8; 24];
    itoa_buf(n, &mut b).to_vec()
}

/// Decimal digits of `n` written into `buf` (no allocation).
pub fn itoa_buf(n: i64, buf: &mut [u8; 24]) -> &[u8] {
    crate::common::num::signed_digits(buf, n)
}

/// Characters of UTF-8 text (bytes that do not continue a sequence).
fn char_count(v: &[u8]) -> usize {
    v.iter().filter(|&&c| c & 0xC0 != 0x80).count()
}

/// The byte offset of character `k` of UTF-8 text (its length past the end).
fn char_at(v: &[u8], k: usize) -> usize {
    v.iter()
        .enumerate()
        .filter(|(_, &c)| c & 0xC0 != 0x80)
        .nth(k)
        .map_or(v.len(), |(i, _)| i)
}

impl Shell {
    /// Is the shell's locale (LC_ALL, else LC_CTYPE, else LANG, as set in the shell) UTF-8?
    pub fn utf8_locale(&self) -> bool {
        let v = [&b"LC_ALL"[..], b"LC_CTYPE", b"LANG"]
            .iter()
            .find_map(|n| self.vars.get(n).filter(|v| !v.is_empty()))
            .unwrap_or(b"");
        v.windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"utf8") || w.eq_ignore_ascii_case(b"utf-"))
    }

    /// `${#v}`: characters in a UTF-8 locale, bytes otherwise.
    fn text_len(&self, v: &[u8]) -> usize {
        if v.is_ascii() || !self.utf8_locale() {
            v.len()
        } else {
            char_count(v)
        }
    }

    fn ifs(&self) -> &[u8] {
        self.vars.get(b"IFS").unwrap_or(b" \t\n")
    }

    /// A scratch buffer from the pool (the interpreter's loops would otherwise spend most of
    /// their time in musl's malloc).
    #[inline]
    pub fn buf(&mut self) -> Vec<u8> {
        match self.pool.pop() {
            Some(mut b) => {
                b.clear();
                b
            }
            None => Vec::with_capacity(32),
        }
    }

    /// Give buffers back to the pool.
    #[inline]
    pub fn recycle(&mut self, v: &mut Vec<Vec<u8>>) {
        for b in v.drain(..) {
            if self.pool.len() < 64 && b.capacity() <= 4096 {
                self.pool.push(b);
            }
        }
    }

    /// Expand command words into fields.
    pub fn expand_words(&mut self, words: &[Word], out: &mut Vec<Vec<u8>>) -> Result<(), Flow> {
        for w in words {
            // Fast paths: a literal without glob characters is itself; so is a lone `$name`
            // whose value needs no splitting or globbing.
            match w.as_slice() {
                [WordPart::Lit(s)] if self.opts.noglob || !pattern::needs_glob(s) => {
                    let mut b = self.buf();
                    b.extend_from_slice(s);
                    out.push(b);
                    continue;
                }
                [WordPart::Param(p)] if p.op == POp::Plain => {
                    if let PName::Var(n) = &p.name {
                        if let Some(v) = self.vars.get(n) {
                            let ifs = self.vars.get(b"IFS").unwrap_or(b" \t\n");
                            if !v.is_empty()
                                && !v.iter().any(|c| ifs.contains(c))
                                && (self.opts.noglob || !pattern::needs_glob(v))
                            {
                                let mut b = match self.pool.pop() {
                                    Some(mut b) => {
                                        b.clear();
                                        b
                                    }
                                    None => Vec::with_capacity(32),
                                };
                                b.extend_from_slice(v);
                                out.push(b);
                                continue;
                            }
                        }
                    }
                }
                _ => {}
            }
            let cur = self.buf();
            let b = {
                let ifs = self.ifs();
                Builder::new(Mode::Fields, ifs, !self.opts.noglob, cur)
            };
            let mut b = b;
            self.expand_parts(w, &mut b, false)?;
            b.finish(out);
        }
        Ok(())
    }

    /// Expand a word to one string into `out` (cleared first), without splitting or globbing.
    pub fn expand_into(&mut self, w: &Word, out: &mut Vec<u8>) -> Result<(), Flow> {
        out.clear();
        match w.as_slice() {
            [] => return Ok(()),
            [WordPart::Lit(s)] | [WordPart::Quoted(s)] => {
                out.extend_from_slice(s);
                return Ok(());
            }
            [WordPart::Arith(a)] => {
                let v = self.arith(a)?;
                let mut nb = [0u8; 24];
                out.extend_from_slice(itoa_buf(v, &mut nb));
                return Ok(());
            }
            _ => {}
        }
        let cur = std::mem::take(out);
        let mut b = Builder::new(Mode::Str, b"", false, cur);
        self.expand_parts(w, &mut b, false)?;
        *out = b.cur;
        Ok(())
    }

    /// Expand a word to one string without splitting or globbing.
    pub fn expand_str(&mut self, w: &Word) -> Result<Vec<u8>, Flow> {
        match w.as_slice() {
            [] => return Ok(Vec::new()),
            [WordPart::Lit(s)] | [WordPart::Quoted(s)] => return Ok(s.clone()),
            _ => {}
        }
        let mut b = Builder::new(Mode::Str, b"", false, Vec::new());
        self.expand_parts(w, &mut b, false)?;
        Ok(b.cur)
    }

    /// Expand a word to a pattern (quoted characters escaped).
    pub fn expand_pattern(&mut self, w: &Word) -> Result<Vec<u8>, Flow> {
        if let [WordPart::Lit(s)] = w.as_slice() {
            return Ok(s.clone());
        }
        let mut b = Builder::new(Mode::Pat, b"", false, Vec::new());
        self.expand_parts(w, &mut b, false)?;
        Ok(b.cur)
    }

    fn expand_parts(&mut self, parts: &[WordPart], b: &mut Builder, dq: bool) -> Result<(), Flow> {
        for (i, p) in parts.iter().enumerate() {
            match p {
                WordPart::Lit(s) => {
                    if dq {
                        b.quoted(s)
                    } else {
                        b.lit(s)
                    }
                }
                WordPart::Quoted(s) => b.quoted(s),
                WordPart::Dq(inner) => {
                    let has_at = inner.iter().any(|p| {
                        matches!(p, WordPart::Param(pp) if pp.name == PName::At && pp.op == POp::Plain)
                    });
                    if !has_at {
                        b.quoted(b"");
                    }
                    self.expand_parts(inner, b, true)?;
                }
                WordPart::Tilde(user) => {
                    let home = self.tilde(user);
                    match home {
                        // `~/x` with HOME=/ is `/x`, not `//x`: a directory ending in a slash
                        // gives that slash to the one that follows (POSIX 2024).
                        Some(h)
                            if h.ends_with(b"/")
                                && matches!(parts.get(i + 1), Some(WordPart::Lit(l)) if l.starts_with(b"/")) =>
                        {
                            b.quoted(&h[..h.len() - 1])
                        }
                        Some(h) => b.quoted(&h),
                        None => {
                            b.lit(b"~");
                            b.lit(user);
                        }
                    }
                }
                WordPart::Param(pp) => self.expand_param(pp, b, dq)?,
                WordPart::Cmd(node) => {
                    let out = self.command_subst(node)?;
                    if dq {
                        b.quoted(&out)
                    } else {
                        b.expansion(&out)
                    }
                }
                WordPart::Proc(node, write) => {
                    let name = self.proc_subst(node, *write)?;
                    b.quoted(&name);
                }
                WordPart::Arith(a) => {
                    let v = self.arith(a)?;
                    let mut nb = [0u8; 24];
                    let s = itoa_buf(v, &mut nb);
                    if dq {
                        b.quoted(s)
                    } else {
                        b.expansion(s)
                    }
                }
            }
        }
        Ok(())
    }

    /// The word of `${x-word}`, `${x:+word}`, ...: unquoted, its literal text is split too.
    fn expand_param_word(&mut self, w: &[WordPart], b: &mut Builder, dq: bool) -> Result<(), Flow> {
        let saved = b.split_lit;
        b.split_lit = !dq && b.mode == Mode::Fields;
        let r = self.expand_parts(w, b, dq);
        b.split_lit = saved;
        r
    }

    fn tilde(&self, user: &[u8]) -> Option<Vec<u8>> {
        if user.is_empty() {
            return self.vars.get(b"HOME").map(|h| h.to_vec());
        }
        let data = std::fs::read("/etc/passwd").ok()?;
        for line in data.split(|&c| c == b'\n') {
            let f: Vec<&[u8]> = line.split(|&c| c == b':').collect();
            if f.len() >= 6 && f[0] == user {
                return Some(f[5].to_vec());
            }
        }
        None
    }

    pub fn arith(&mut self, a: &ArithWord) -> Result<i64, Flow> {
        let cached = a.cache.borrow().clone();
        let expr = match cached {
            Some(e) => e,
            None => {
                let text = self.expand_str(&a.word)?;
                let literal = a
                    .word
                    .iter()
                    .all(|p| matches!(p, WordPart::Lit(_) | WordPart::Quoted(_)));
                let e = match self.arith_cache.get(&text) {
                    Some(e) => e.clone(),
                    None => match arith::parse(&text) {
                        Ok(e) => {
                            if self.arith_cache.len() < 1024 {
                                self.arith_cache.insert(text.clone(), e.clone());
                            }
                            e
                        }
                        Err(m) => return Err(self.arith_error(&m, &text)),
                    },
                };
                if literal {
                    *a.cache.borrow_mut() = Some(e.clone());
                }
                e
            }
        };
        let mut vars = ArithVars { sh: self, depth: 0 };
        match arith::eval(&expr, &mut vars) {
            Ok(v) => Ok(v),
            Err(m) => {
                let text = self.expand_str(&a.word).unwrap_or_default();
                if m.starts_with('\u{1}') {
                    // Already reported (read-only variable, set -u).
                    return Err(Flow::Exit(2));
                }
                if m.starts_with("Illegal number") {
                    self.err(m.as_bytes());
                    return Err(Flow::Exit(2));
                }
                Err(self.arith_error(&m, &text))
            }
        }
    }

    /// Evaluate arithmetic text that is already expanded (`let`, `[[ -eq ]]` operands).
    pub fn arith_text(&mut self, text: &[u8]) -> Result<i64, Flow> {
        let e = match arith::parse(text) {
            Ok(e) => e,
            Err(m) => return Err(self.arith_error(&m, text)),
        };
        let mut vars = ArithVars { sh: self, depth: 0 };
        match arith::eval(&e, &mut vars) {
            Ok(v) => Ok(v),
            Err(m) if m.starts_with('\u{1}') => Err(Flow::Exit(2)),
            Err(m) if m.starts_with("Illegal number") => {
                self.err(m.as_bytes());
                Err(Flow::Exit(2))
            }
            Err(m) => Err(self.arith_error(&m, text)),
        }
    }

    /// An arithmetic error worded as BusyBox ash's math.c words it.
    fn arith_error(&mut self, m: &str, _text: &[u8]) -> Flow {
        let msg: &[u8] = match m {
            "division by zero" => b"divide by zero",
            "exponent less than 0" | "expression nested too deeply" => m.as_bytes(),
            "expecting ':'" => b"malformed ?: operator",
            _ => b"arithmetic syntax error",
        };
        self.err(msg);
        Flow::Exit(2)
    }

    /// Run a command substitution and return its output without trailing newlines.
    pub fn command_subst(&mut self, node: &std::rc::Rc<Node>) -> Result<Vec<u8>, Flow> {
        if let Some(out) = self.subst_in_process(node) {
            return Ok(out);
        }
        // The process room forks and waits: expansion only asks for the output.
        let (mut out, st) = self.capture(|sh| {
            sh.tail_exec = matches!(**node, Node::Simple(_) | Node::Sub(_));
            sh.run(node)
        })?;
        // `$?` keeps the last command's status until this one ends (dash, BusyBox ash):
        // `false; echo $(true) $?` prints 1; only a command without a name takes `st`.
        self.cmdsub_status = Some(st);
        while out.last() == Some(&b'\n') {
            out.pop();
        }
        // A shell variable cannot hold NUL: dropped, as dash, bash and BusyBox ash do.
        if memchr::memchr(0, &out).is_some() {
            out.retain(|&c| c != 0);
        }
        Ok(out)
    }

    /// `$(echo ...)` / `$(printf ...)` with words that cannot change the shell's state run
    /// without a fork: the output is captured in memory. Anything else takes the fork path.
    fn subst_in_process(&mut self, node: &Node) -> Option<Vec<u8>> {
        let Node::Simple(s) = node else {
            return None;
        };
        if !s.assigns.is_empty()
            || !s.redirs.is_empty()
            || self.opts.xtrace
            || self.capture.is_some()
        {
            return None;
        }
        let name = match s.words.first().map(|w| w.as_slice()) {
            Some([WordPart::Lit(n)]) => n.as_slice(),
            _ => return None,
        };
        let run: super::builtins::BuiltinFn = match name {
            b"echo" | b"printf" if !self.funcs.contains_key(name) => {
                super::builtins::find(name)?.run
            }
            // `$(trap)` lists the parent's traps (POSIX's exception for a command substitution
            // holding only a trap command; BusyBox ash and bash do it): run it here, before any
            // subshell would reset them.
            b"trap"
                if !self.funcs.contains_key(name)
                    && s.words[1..].iter().all(
                        |w| matches!(w.as_slice(), [WordPart::Lit(a)] if a == b"-p" || a == b"--"),
                    ) =>
            {
                super::builtins::find(name)?.run
            }
            _ => return None,
        };
        if !s.words.iter().all(|w| pure_word(w)) {
            return None;
        }
        let mut argv = Vec::with_capacity(s.words.len());
        let saved_status = self.status;
        self.lineno = s.line;
        let st = match self.expand_words(&s.words, &mut argv) {
            Ok(()) => {
                self.capture = Some(Vec::new());
                let r = run(self, &argv);
                match r {
                    Ok(st) => st,
                    Err(Flow::Exit(st)) => st,
                    Err(_) => saved_status,
                }
            }
            Err(Flow::Exit(st)) => st,
            Err(_) => saved_status,
        };
        self.recycle(&mut argv);
        let mut out = self.capture.take().unwrap_or_default();
        self.cmdsub_status = Some(st);
        while out.last() == Some(&b'\n') {
            out.pop();
        }
        if memchr::memchr(0, &out).is_some() {
            out.retain(|&c| c != 0);
        }
        Some(out)
    }

    /// The value of a parameter other than `@` and `*` (those are handled by the caller).
    pub fn param_value(&self, name: &PName) -> Option<Vec<u8>> {
        match name {
            PName::Var(n) => match self.vars.get(n) {
                Some(v) => Some(v.to_vec()),
                None if !self.is_magic(n) => None,
                None if n == b"LINENO" => Some(itoa(self.lineno as i64)),
                None if n == b"RANDOM" => Some(itoa(self.next_random())),
                None if n == b"SECONDS" => Some(itoa(self.seconds())),
                None if n == b"FUNCNAME" && !self.funcname.is_empty() => {
                    Some(self.funcname.clone())
                }
                None => None,
            },
            PName::Pos(0) => Some(self.arg0.clone()),
            PName::Pos(i) => self.pos.get(i - 1).cloned(),
            PName::Hash => Some(itoa(self.pos.len() as i64)),
            PName::Quest => Some(itoa(self.status as i64)),
            PName::Dash => Some(self.flags_string()),
            PName::Dollar => Some(itoa(self.pid as i64)),
            PName::Bang => self.last_bg.map(|p| itoa(p as i64)),
            // dash: `$@` and `$*` always count as set (`${@+x}` is x even with no parameters).
            PName::At | PName::Star => Some(self.join_star()),
        }
    }

    fn join_star(&self) -> Vec<u8> {
        let sep: Option<u8> = match self.vars.get(b"IFS") {
            None => Some(b' '),
            Some(s) => s.first().copied(),
        };
        let mut v = Vec::new();
        for (i, p) in self.pos.iter().enumerate() {
            if i > 0 {
                if let Some(c) = sep {
                    v.push(c);
                }
            }
            v.extend_from_slice(p);
        }
        v
    }

    fn name_text(name: &PName) -> Vec<u8> {
        match name {
            PName::Var(n) => n.clone(),
            PName::Pos(i) => itoa(*i as i64),
            PName::At => b"@".to_vec(),
            PName::Star => b"*".to_vec(),
            PName::Hash => b"#".to_vec(),
            PName::Quest => b"?".to_vec(),
            PName::Dash => b"-".to_vec(),
            PName::Dollar => b"$".to_vec(),
            PName::Bang => b"!".to_vec(),
        }
    }

    fn expand_param(&mut self, p: &Param, b: &mut Builder, dq: bool) -> Result<(), Flow> {
        if p.op == POp::Bad {
            self.err(b"syntax error: bad substitution");
            return Err(Flow::Exit(2));
        }
        // Set variables without copying their values (the interpreter's hot path).
        if let PName::Var(n) = &p.name {
            match p.op {
                POp::Plain => {
                    if let Some(v) = self.vars.get(n) {
                        if dq {
                            b.quoted(v)
                        } else {
                            b.expansion(v)
                        }
                        return Ok(());
                    }
                }
                POp::Len => {
                    if let Some(v) = self.vars.get(n) {
                        let mut nb = [0u8; 24];
                        let s = itoa_buf(self.text_len(v) as i64, &mut nb);
                        if dq {
                            b.quoted(s)
                        } else {
                            b.expansion(s)
                        }
                        return Ok(());
                    }
                }
                POp::RemPrefix(long) | POp::RemSuffix(long) if self.vars.get(n).is_some() => {
                    let owned;
                    let pat: &[u8] = match p.word.as_slice() {
                        [WordPart::Lit(s)] => s,
                        _ => {
                            owned = self.expand_pattern(&p.word)?;
                            &owned
                        }
                    };
                    let v = self.vars.get(n).unwrap_or(b"");
                    let res: &[u8] = if let POp::RemPrefix(_) = p.op {
                        match pattern::match_prefix(pat, v, long) {
                            Some(k) => &v[k..],
                            None => v,
                        }
                    } else {
                        match pattern::match_suffix(pat, v, long) {
                            Some(k) => &v[..k],
                            None => v,
                        }
                    };
                    if dq {
                        b.quoted(res)
                    } else {
                        b.expansion(res)
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        let is_list = matches!(p.name, PName::At | PName::Star);
        if p.op == POp::Plain && is_list {
            if self.pos.is_empty() {
                return Ok(());
            }
            let at = p.name == PName::At;
            if dq && !at {
                let s = self.join_star();
                b.quoted(&s);
                return Ok(());
            }
            let params = self.pos.clone();
            for (i, a) in params.iter().enumerate() {
                if i > 0 {
                    if dq || b.mode != Mode::Fields {
                        if b.mode == Mode::Fields {
                            b.end_field_force();
                        } else {
                            // Not splitting: join with a space as "$*" would (with IFS's first char).
                            let sep = self
                                .vars
                                .get(b"IFS")
                                .map(|s| s.first().copied())
                                .unwrap_or(Some(b' '));
                            if let Some(c) = sep {
                                b.cur.push(c);
                            }
                        }
                    } else {
                        // The boundary between parameters delimits like IFS whitespace.
                        b.end_field();
                        b.ws_term = true;
                    }
                }
                if dq {
                    b.quoted(a);
                } else {
                    b.expansion(a);
                }
            }
            return Ok(());
        }
        let val = self.param_value(&p.name);
        let set = val.is_some();
        let null = val.as_ref().is_none_or(|v| v.is_empty());
        match p.op {
            POp::Plain => {
                let Some(v) = val else {
                    if self.opts.nounset {
                        let n = Self::name_text(&p.name);
                        self.errf(&[&n, b": parameter not set"]);
                        return Err(Flow::Exit(2));
                    }
                    return Ok(());
                };
                if dq {
                    b.quoted(&v)
                } else {
                    b.expansion(&v)
                }
            }
            POp::Len => {
                // dash: `${#@}` is the length of the joined parameters, like `${#*}`.
                let n = if is_list {
                    val.as_ref().map_or(0, |v| self.text_len(v))
                } else {
                    match &val {
                        Some(v) => self.text_len(v),
                        None => {
                            if self.opts.nounset {
                                let n = Self::name_text(&p.name);
                                self.errf(&[&n, b": parameter not set"]);
                                return Err(Flow::Exit(2));
                            }
                            0
                        }
                    }
                };
                let s = itoa(n as i64);
                if dq {
                    b.quoted(&s)
                } else {
                    b.expansion(&s)
                }
            }
            POp::Default(colon) | POp::Assign(colon) | POp::Error(colon) | POp::Alt(colon) => {
                let use_word = if colon { null } else { !set };
                match p.op {
                    POp::Default(_) => {
                        if use_word {
                            self.expand_param_word(&p.word, b, dq)?;
                        } else {
                            self.put_value(&p.name, val.unwrap_or_default(), b, dq);
                        }
                    }
                    POp::Alt(_) if !use_word => self.expand_param_word(&p.word, b, dq)?,
                    POp::Alt(_) => {}
                    POp::Assign(_) => {
                        if use_word {
                            let PName::Var(n) = &p.name else {
                                let n = Self::name_text(&p.name);
                                self.errf(&[&n, b": bad variable name"]);
                                return Err(Flow::Exit(2));
                            };
                            let v = self.expand_str(&p.word)?;
                            if self.vars.set(n, &v, self.opts.allexport).is_err() {
                                self.errf(&[n, b": is read only"]);
                                return Err(Flow::Exit(2));
                            }
                            self.var_changed(&n.clone());
                            if dq {
                                b.quoted(&v)
                            } else {
                                b.expansion(&v)
                            }
                        } else {
                            self.put_value(&p.name, val.unwrap_or_default(), b, dq);
                        }
                    }
                    POp::Error(_) => {
                        if use_word {
                            let n = Self::name_text(&p.name);
                            let msg = self.expand_str(&p.word)?;
                            if msg.is_empty() {
                                let what: &[u8] = if colon {
                                    b"parameter not set or null"
                                } else {
                                    b"parameter not set"
                                };
                                self.errf(&[&n, b": ", what]);
                            } else {
                                self.errf(&[&n, b": ", &msg]);
                            }
                            return Err(Flow::Exit(2));
                        }
                        self.put_value(&p.name, val.unwrap_or_default(), b, dq);
                    }
                    _ => {}
                }
            }
            POp::Bad => {}
            POp::Substr | POp::Replace(_) => return self.expand_bash_op(p, is_list, b, dq),
            POp::RemPrefix(_) | POp::RemSuffix(_) if is_list => {
                return self.expand_bash_op(p, is_list, b, dq)
            }
            POp::RemPrefix(long) | POp::RemSuffix(long) => {
                if !set && self.opts.nounset {
                    let n = Self::name_text(&p.name);
                    self.errf(&[&n, b": parameter not set"]);
                    return Err(Flow::Exit(2));
                }
                let v = val.unwrap_or_default();
                let pat = self.expand_pattern(&p.word)?;
                let res: &[u8] = if let POp::RemPrefix(_) = p.op {
                    match pattern::match_prefix(&pat, &v, long) {
                        Some(n) => &v[n..],
                        None => &v,
                    }
                } else {
                    match pattern::match_suffix(&pat, &v, long) {
                        Some(n) => &v[..n],
                        None => &v,
                    }
                };
                let res = res.to_vec();
                if dq {
                    b.quoted(&res)
                } else {
                    b.expansion(&res)
                }
            }
        }
        Ok(())
    }

    /// `${x:off:len}` and `${x/p/r}` (bash, BusyBox ash); on `$@`/`$*` they work on the list
    /// of positional parameters (`${@:2}`, `${@/a/b}`), as in bash, and so do `${@#p}` and
    /// `${@%p}` (dash and BusyBox ash strip the joined list instead).
    fn expand_bash_op(
        &mut self,
        p: &Param,
        is_list: bool,
        b: &mut Builder,
        dq: bool,
    ) -> Result<(), Flow> {
        let mut unset = false;
        let mut items: Vec<Vec<u8>> = if is_list {
            self.pos.clone()
        } else {
            match self.param_value(&p.name) {
                Some(v) => vec![v],
                None => {
                    unset = true;
                    if self.opts.nounset {
                        let n = Self::name_text(&p.name);
                        self.errf(&[&n, b": parameter not set"]);
                        return Err(Flow::Exit(2));
                    }
                    vec![Vec::new()]
                }
            }
        };
        match p.op {
            POp::Substr => {
                let t = self.expand_str(&p.word)?;
                let off = self.arith_text(&t)?;
                let len = match &p.word2 {
                    Some(w) => {
                        let t = self.expand_str(w)?;
                        Some(self.arith_text(&t)?)
                    }
                    None => None,
                };
                if is_list {
                    // Offsets count parameters; 0 is $0, negative counts from the end.
                    let mut all = Vec::with_capacity(items.len() + 1);
                    all.push(self.arg0.clone());
                    all.append(&mut items);
                    let n = all.len() as i64;
                    let start = if off < 0 { n + off } else { off };
                    items = if start < 0 || start >= n || len.is_some_and(|l| l < 0) {
                        Vec::new()
                    } else {
                        let end = len.map_or(n, |l| (start + l).min(n));
                        all.drain(start as usize..end as usize).collect()
                    };
                } else {
                    let v = std::mem::take(&mut items[0]);
                    // Offsets count characters in a UTF-8 locale (bash, BusyBox ash).
                    let utf8 = self.utf8_locale() && !v.is_ascii();
                    let n = if utf8 { char_count(&v) } else { v.len() } as i64;
                    let start = if off < 0 { n + off } else { off };
                    let end = match len {
                        None => n,
                        Some(l) if l < 0 => n + l,
                        Some(l) => start.saturating_add(l).min(n),
                    };
                    items[0] = if start < 0 || start > n || end < start {
                        if end < start && start >= 0 && start <= n && len.is_some_and(|l| l < 0) {
                            self.err(b"substring expression < 0");
                            return Err(Flow::Exit(2));
                        }
                        Vec::new()
                    } else if utf8 {
                        let (a, z) = (char_at(&v, start as usize), char_at(&v, end as usize));
                        v[a..z].to_vec()
                    } else {
                        v[start as usize..end as usize].to_vec()
                    };
                }
            }
            POp::Replace(kind) => {
                let pat = self.expand_pattern(&p.word)?;
                let rep = match &p.word2 {
                    Some(w) => self.expand_str(w)?,
                    None => Vec::new(),
                };
                for v in items.iter_mut() {
                    if unset {
                        continue;
                    }
                    if let Some(r) = replace(v, &pat, &rep, kind) {
                        *v = r;
                    }
                }
            }
            POp::RemPrefix(long) | POp::RemSuffix(long) => {
                let pat = self.expand_pattern(&p.word)?;
                for v in items.iter_mut() {
                    if let POp::RemPrefix(_) = p.op {
                        if let Some(n) = pattern::match_prefix(&pat, v, long) {
                            v.drain(..n);
                        }
                    } else if let Some(n) = pattern::match_suffix(&pat, v, long) {
                        v.truncate(n);
                    }
                }
            }
            _ => unreachable!(),
        }
        if !is_list {
            let v = items.pop().unwrap_or_default();
            if dq {
                b.quoted(&v)
            } else {
                b.expansion(&v)
            }
            return Ok(());
        }
        if dq && p.name == PName::Star {
            let sep: Option<u8> = match self.vars.get(b"IFS") {
                Some(s) => s.first().copied(),
                None => Some(b' '),
            };
            let mut j = Vec::new();
            for (i, a) in items.iter().enumerate() {
                if i > 0 {
                    j.extend(sep);
                }
                j.extend_from_slice(a);
            }
            b.quoted(&j);
            return Ok(());
        }
        for (i, a) in items.iter().enumerate() {
            if i > 0 {
                if dq && b.mode == Mode::Fields {
                    b.end_field_force();
                } else if b.mode == Mode::Fields {
                    b.end_field();
                    b.ws_term = true;
                } else {
                    b.cur.push(b' ');
                }
            }
            if dq {
                b.quoted(a)
            } else {
                b.expansion(a)
            }
        }
        Ok(())
    }

    fn put_value(&mut self, name: &PName, v: Vec<u8>, b: &mut Builder, dq: bool) {
        if matches!(name, PName::At) && !dq && b.mode == Mode::Fields {
            let params = self.pos.clone();
            for (i, a) in params.iter().enumerate() {
                if i > 0 {
                    b.end_field();
                    b.ws_term = true;
                }
                b.expansion(a);
            }
            return;
        }
        if dq {
            b.quoted(&v)
        } else {
            b.expansion(&v)
        }
    }
}

/// `${v/p/r}` on one value: the longest match of the glob `pat`, the first one or every one
/// (empty matches skipped), or anchored at the start or end. None when nothing matched.
fn replace(v: &[u8], pat: &[u8], rep: &[u8], kind: Repl) -> Option<Vec<u8>> {
    match kind {
        Repl::Prefix => {
            let k = pattern::match_prefix(pat, v, true)?;
            Some([rep, &v[k..]].concat())
        }
        Repl::Suffix => {
            let k = pattern::match_suffix(pat, v, true)?;
            Some([&v[..k], rep].concat())
        }
        Repl::First | Repl::All => {
            if pat.is_empty() {
                return None;
            }
            if v.is_empty() {
                // A set but empty value: `${v/*/w}` is `w` (bash, BusyBox ash).
                return pattern::fnmatch(pat, v, false).then(|| rep.to_vec());
            }
            let mut out = Vec::new();
            let (mut i, mut last, mut any) = (0, 0, false);
            while i < v.len() {
                match pattern::match_prefix(pat, &v[i..], true) {
                    Some(k) if k > 0 => {
                        out.extend_from_slice(&v[last..i]);
                        out.extend_from_slice(rep);
                        i += k;
                        last = i;
                        any = true;
                        if kind == Repl::First {
                            break;
                        }
                    }
                    _ => i += 1,
                }
            }
            if !any {
                return None;
            }
            out.extend_from_slice(&v[last..]);
            Some(out)
        }
    }
}

/// A word whose expansion has no side effects and cannot fail (so it may be expanded in the
/// parent for an in-process command substitution).
fn pure_word(w: &[WordPart]) -> bool {
    w.iter().all(|p| match p {
        WordPart::Lit(_) | WordPart::Quoted(_) | WordPart::Tilde(_) => true,
        WordPart::Dq(inner) => pure_word(inner),
        WordPart::Param(pp) => {
            matches!(
                pp.op,
                POp::Plain
                    | POp::Len
                    | POp::Default(_)
                    | POp::Alt(_)
                    | POp::RemPrefix(_)
                    | POp::RemSuffix(_)
            ) && pure_word(&pp.word)
        }
        WordPart::Cmd(_) | WordPart::Proc(..) | WordPart::Arith(_) => false,
    })
}

struct ArithVars<'a> {
    sh: &'a mut Shell,
    /// How many variables deep the evaluation of variables holding expressions is.
    depth: u32,
}

impl arith::Vars for ArithVars<'_> {
    fn get(&mut self, name: &[u8]) -> Result<i64, String> {
        match self.sh.vars.get(name) {
            Some(v) => {
                let t = v.trim_ascii();
                if t.is_empty() {
                    return Ok(0);
                }
                let (neg, digits) = match t {
                    [b'-', rest @ ..] => (true, rest),
                    [b'+', rest @ ..] => (false, rest),
                    _ => (false, t),
                };
                match arith::parse_num(digits) {
                    Some(n) => Ok(if neg { n.wrapping_neg() } else { n }),
                    None => {
                        // A variable holding an expression is evaluated as one, recursively
                        // (BusyBox ash and bash; dash says "Illegal number"): x=1+2; $((x)) is 3.
                        if self.depth >= 64 {
                            return Err("expression recursion level exceeded".into());
                        }
                        let text = t.to_vec();
                        let e = arith::parse(&text)?;
                        let mut inner = ArithVars {
                            sh: &mut *self.sh,
                            depth: self.depth + 1,
                        };
                        arith::eval(&e, &mut inner)
                    }
                }
            }
            // The dynamic ones, as `$LINENO`, `$RANDOM` and `$SECONDS` expand.
            None if !self.sh.is_magic(name) => Ok(0),
            None if name == b"LINENO" => Ok(self.sh.lineno as i64),
            None if name == b"RANDOM" => Ok(self.sh.next_random()),
            None if name == b"SECONDS" => Ok(self.sh.seconds()),
            // An unset name counts as 0 even under `set -u`, as in dash and BusyBox ash: only
            // `$n` inside the expression is a parameter expansion that -u refuses.
            None => Ok(0),
        }
    }
    fn set(&mut self, name: &[u8], v: i64) -> Result<(), String> {
        let mut nb = [0u8; 24];
        let s = itoa_buf(v, &mut nb);
        if self.sh.vars.set(name, s, self.sh.opts.allexport).is_err() {
            self.sh.errf(&[name, b": is read only"]);
            return Err("\u{1}".into());
        }
        Ok(())
    }
}
