//! Tab completion: the interface between the editor and the shell, a file-name completer, a
//! command-name completer, and the helpers the shell reuses (word scanning, quoting, PATH
//! executables).
//!
//! The editor asks a [`Complete`] for the candidates of the word before the cursor; each
//! [`Candidate`] carries the text that replaces the word (already quoted for the shell), the
//! text shown in a listing, and whether a unique match ends the word (a space is added).

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Replaces `line[start..cursor]`: quoted, directories end with `/`.
    pub text: Vec<u8>,
    /// Shown in the listing of candidates (the bare name; directories with `/`).
    pub display: Vec<u8>,
    /// When this is the only candidate, a space is added after it (not for a directory, whose
    /// contents come next).
    pub space: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the word being completed starts.
    pub start: usize,
    pub candidates: Vec<Candidate>,
}

/// Implemented by the shell: candidates for the word that ends at `cursor` in `line`.
pub trait Complete {
    fn complete(&mut self, line: &[u8], cursor: usize) -> Completion;
}

/// No completion at all (Tab rings the bell).
pub struct NoComplete;

impl Complete for NoComplete {
    fn complete(&mut self, _line: &[u8], cursor: usize) -> Completion {
        Completion {
            start: cursor,
            candidates: Vec::new(),
        }
    }
}

/// The quoting in force at the end of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    None,
    Single,
    Double,
}

/// The word that ends at `cursor`, scanned the way the shell splits words: unquoted blanks and
/// the operator characters `; & | < > ( )` and backquote separate words; quotes and backslashes
/// are honoured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Start of the word in the line.
    pub start: usize,
    /// The word with quotes removed (what it means to the shell, before expansions).
    pub value: Vec<u8>,
    /// For each byte of `value`, the offset in the line just after the source byte(s) that
    /// produced it (so `line[start..origin[k]]` is the typed text up to value[k] inclusive).
    pub origin: Vec<usize>,
    /// Quoting open at the cursor.
    pub quote: Quote,
    /// The word starts with an unquoted `~` (tilde expansion applies).
    pub tilde: bool,
    /// The word is in command position (first word of a simple command).
    pub command: bool,
}

fn is_sep(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b'`'
    )
}

const RESERVED: &[&[u8]] = &[
    b"!", b"{", b"}", b"if", b"then", b"else", b"elif", b"do", b"while", b"until", b"time",
];

/// Scans `line[..cursor]` into the current word (see [`Word`]).
pub fn word_at(line: &[u8], cursor: usize) -> Word {
    let line = &line[..cursor.min(line.len())];
    let mut w = Word {
        start: 0,
        value: Vec::new(),
        origin: Vec::new(),
        quote: Quote::None,
        tilde: false,
        command: true,
    };
    // Command position of the word being built, and whether the previous word was a
    // redirection operator (its operand is a file, not a command).
    let mut cmd_pos = true;
    let mut after_redir = false;
    let mut in_word = false;
    let mut i = 0;
    let finish = |w: &Word, cmd_pos: &mut bool| {
        if !*cmd_pos {
            return;
        }
        let v = &w.value;
        let assignment = match v.iter().position(|&b| b == b'=') {
            Some(n) => {
                n > 0
                    && v[..n]
                        .iter()
                        .all(|&b| b == b'_' || b.is_ascii_alphanumeric())
            }
            None => false,
        };
        *cmd_pos = RESERVED.contains(&v.as_slice()) || assignment;
    };
    while i < line.len() {
        let b = line[i];
        match w.quote {
            Quote::Single => {
                if b == b'\'' {
                    w.quote = Quote::None;
                } else {
                    w.value.push(b);
                    w.origin.push(i + 1);
                }
                i += 1;
                continue;
            }
            Quote::Double => {
                if b == b'"' {
                    w.quote = Quote::None;
                    i += 1;
                } else if b == b'\\' && i + 1 < line.len() && b"$`\"\\".contains(&line[i + 1]) {
                    w.value.push(line[i + 1]);
                    w.origin.push(i + 2);
                    i += 2;
                } else {
                    w.value.push(b);
                    w.origin.push(i + 1);
                    i += 1;
                }
                continue;
            }
            Quote::None => {}
        }
        if is_sep(b) {
            if in_word {
                let save = cmd_pos;
                finish(&w, &mut cmd_pos);
                if after_redir {
                    cmd_pos = save;
                    after_redir = false;
                }
                in_word = false;
            }
            match b {
                b' ' | b'\t' => {}
                b'<' | b'>' => after_redir = true,
                _ => {
                    cmd_pos = true;
                    after_redir = false;
                }
            }
            i += 1;
            w.start = i;
            w.value.clear();
            w.origin.clear();
            w.tilde = false;
            continue;
        }
        if !in_word {
            in_word = true;
            w.start = i;
            w.tilde = b == b'~';
        }
        match b {
            b'\'' => {
                w.quote = Quote::Single;
                i += 1;
            }
            b'"' => {
                w.quote = Quote::Double;
                i += 1;
            }
            b'\\' if i + 1 < line.len() => {
                w.value.push(line[i + 1]);
                w.origin.push(i + 2);
                i += 2;
            }
            b'\\' => i += 1,
            _ => {
                w.value.push(b);
                w.origin.push(i + 1);
                i += 1;
            }
        }
    }
    if !in_word {
        w.start = line.len();
    }
    w.command = cmd_pos && !after_redir;
    w
}

/// For a word like `--prefix=/us` or `VAR=~/x`: the part after the first `=` as a word of its
/// own (file names are completed there, as bash does), when the part before it has no `/`.
pub fn after_assign(w: &Word) -> Option<Word> {
    let k = memchr::memchr(b'=', &w.value)?;
    if w.value[..k].contains(&b'/') {
        return None;
    }
    Some(Word {
        start: w.origin[k],
        value: w.value[k + 1..].to_vec(),
        origin: w.origin[k + 1..].to_vec(),
        quote: w.quote,
        tilde: w.value.get(k + 1) == Some(&b'~'),
        command: false,
    })
}

/// Characters that need a backslash outside quotes.
fn needs_escape(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\\'
            | b'\''
            | b'"'
            | b'`'
            | b'$'
            | b'&'
            | b'|'
            | b';'
            | b'<'
            | b'>'
            | b'('
            | b')'
            | b'*'
            | b'?'
            | b'['
            | b']'
            | b'#'
            | b'~'
            | b'='
            | b'!'
            | b'{'
            | b'}'
    )
}

/// Appends `name` quoted for the context `q`: backslashes outside quotes (a newline, which a
/// backslash cannot quote, goes inside single quotes), `\` before `$ \` " \\` inside double
/// quotes, `'\''` for a quote inside single quotes.
pub fn push_quoted(out: &mut Vec<u8>, name: &[u8], q: Quote) {
    for &b in name {
        match q {
            Quote::None if b == b'\n' => out.extend_from_slice(b"'\n'"),
            Quote::None if needs_escape(b) => out.extend_from_slice(&[b'\\', b]),
            Quote::Double if matches!(b, b'$' | b'`' | b'"' | b'\\') => {
                out.extend_from_slice(&[b'\\', b])
            }
            Quote::Single if b == b'\'' => out.extend_from_slice(b"'\\''"),
            _ => out.push(b),
        }
    }
}

fn closing(q: Quote) -> &'static [u8] {
    match q {
        Quote::None => b"",
        Quote::Single => b"'",
        Quote::Double => b"\"",
    }
}

/// Home directory of `user` from /etc/passwd.
fn user_home(user: &[u8]) -> Option<Vec<u8>> {
    let data = fs::read("/etc/passwd").ok()?;
    data.split(|&b| b == b'\n').find_map(|l| {
        let f: Vec<&[u8]> = l.split(|&b| b == b':').collect();
        (f.len() >= 6 && f[0] == user).then(|| f[5].to_vec())
    })
}

/// User names from /etc/passwd starting with `prefix`.
fn user_names(prefix: &[u8]) -> Vec<Vec<u8>> {
    let Ok(data) = fs::read("/etc/passwd") else {
        return Vec::new();
    };
    let mut v: Vec<Vec<u8>> = data
        .split(|&b| b == b'\n')
        .filter_map(|l| l.split(|&b| b == b':').next())
        .filter(|n| !n.is_empty() && n.starts_with(prefix))
        .map(<[u8]>::to_vec)
        .collect();
    crate::common::sort::sort(&mut v);
    v.dedup();
    v
}

fn os(p: &[u8]) -> &OsStr {
    OsStr::from_bytes(p)
}

/// What file-name completion accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    /// Directories and executable files (a command name with a `/`).
    Executables,
}

/// File-name candidates for `w` (see [`word_at`]): `~` and `~user` expanded with `home` and
/// /etc/passwd (a bare `~us` completes user names), names quoted for the quoting open in the
/// word, hidden files only when the name typed starts with `.`, directories (also through
/// symlinks) end with `/`. Sorted by name.
pub fn file_candidates(
    w: &Word,
    line: &[u8],
    home: Option<&[u8]>,
    filter: Filter,
) -> Vec<Candidate> {
    let val = &w.value;
    let slash = memchr::memrchr(b'/', val);
    // `~user` without a slash yet: complete the user name.
    if w.tilde && slash.is_none() {
        return user_names(&val[1..])
            .into_iter()
            .map(|u| {
                let mut text = b"~".to_vec();
                push_quoted(&mut text, &u, Quote::None);
                text.push(b'/');
                let mut display = b"~".to_vec();
                display.extend_from_slice(&u);
                display.push(b'/');
                Candidate {
                    text,
                    display,
                    space: false,
                }
            })
            .collect();
    }
    let (dir_val, base) = match slash {
        Some(n) => (&val[..=n], &val[n + 1..]),
        None => (&val[..0], &val[..]),
    };
    // The directory to read, with the tilde expanded.
    let mut dir: Vec<u8> = Vec::new();
    if w.tilde {
        let end = memchr::memchr(b'/', dir_val).unwrap_or(dir_val.len());
        let user = &dir_val[1..end];
        let h = if user.is_empty() {
            home.map(<[u8]>::to_vec)
        } else {
            user_home(user)
        };
        match h {
            Some(h) => {
                dir.extend_from_slice(&h);
                dir.extend_from_slice(&dir_val[end..]);
            }
            None => dir.extend_from_slice(dir_val),
        }
    } else {
        dir.extend_from_slice(dir_val);
    }
    // What the user typed for the directory part is kept as typed.
    let typed_dir: &[u8] = match slash {
        Some(n) => &line[w.start..w.origin[n]],
        None => b"",
    };
    let rd = match fs::read_dir(if dir.is_empty() { os(b".") } else { os(&dir) }) {
        Ok(rd) => rd,
        Err(_) => return Vec::new(),
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.as_bytes();
        if !name.starts_with(base) || (name[0] == b'.' && !base.starts_with(b".")) {
            continue;
        }
        let ft = e.file_type().ok();
        let meta = match ft {
            Some(t) if t.is_symlink() => e.path().metadata().ok(),
            _ => e.metadata().ok(),
        };
        let is_dir = meta.as_ref().is_some_and(|m| m.is_dir());
        if filter == Filter::Executables && !is_dir {
            let exec = meta
                .as_ref()
                .is_some_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
            if !exec {
                continue;
            }
        }
        let mut text = typed_dir.to_vec();
        push_quoted(&mut text, name, w.quote);
        let mut display = name.to_vec();
        if is_dir {
            text.push(b'/');
            display.push(b'/');
        } else {
            text.extend_from_slice(closing(w.quote));
        }
        out.push(Candidate {
            text,
            display,
            space: !is_dir,
        });
    }
    crate::common::sort::sort_by(&mut out, |a, b| a.display.cmp(&b.display));
    out
}

/// Names of executable files in the directories of `path` (a PATH value, colon-separated, an
/// empty entry meaning the current directory) that start with `prefix`, sorted, without
/// duplicates.
pub fn path_executables(path: &[u8], prefix: &[u8]) -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for d in path.split(|&b| b == b':') {
        let d = if d.is_empty() { &b"."[..] } else { d };
        let Ok(rd) = fs::read_dir(os(d)) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name();
            let name = name.as_bytes();
            if !name.starts_with(prefix) {
                continue;
            }
            // metadata follows symlinks (e.path()), file_type would not.
            let ok = e
                .path()
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
            if ok {
                v.push(name.to_vec());
            }
        }
    }
    crate::common::sort::sort(&mut v);
    v.dedup();
    v
}

/// The shell's completer: command names in command position (the shell's builtins, functions
/// and aliases given in `commands`, rbox's applets, executables on `path`), file names
/// elsewhere and for a command typed with a `/`.
#[derive(Clone, Debug, Default)]
pub struct ShellCompleter {
    /// The shell's own names (builtins, functions, aliases): candidates in command position.
    pub commands: Vec<Vec<u8>>,
    /// PATH.
    pub path: Vec<u8>,
    /// HOME, for `~`.
    pub home: Option<Vec<u8>>,
}

impl ShellCompleter {
    /// Command names starting with `prefix`, sorted and without duplicates.
    pub fn command_names(&self, prefix: &[u8]) -> Vec<Vec<u8>> {
        let mut v: Vec<Vec<u8>> = self
            .commands
            .iter()
            .filter(|c| c.starts_with(prefix))
            .cloned()
            .collect();
        for a in crate::applets::APPLETS.iter() {
            if a.name.as_bytes().starts_with(prefix) {
                v.push(a.name.as_bytes().to_vec());
            }
        }
        v.extend(path_executables(&self.path, prefix));
        crate::common::sort::sort(&mut v);
        v.dedup();
        v
    }
}

impl Complete for ShellCompleter {
    fn complete(&mut self, line: &[u8], cursor: usize) -> Completion {
        let mut w = word_at(line, cursor);
        if let Some(a) = after_assign(&w) {
            w = a;
        }
        let candidates = if w.command && !w.tilde && !w.value.contains(&b'/') {
            self.command_names(&w.value)
                .into_iter()
                .map(|n| {
                    let mut text = Vec::new();
                    push_quoted(&mut text, &n, w.quote);
                    text.extend_from_slice(closing(w.quote));
                    Candidate {
                        text,
                        display: n,
                        space: true,
                    }
                })
                .collect()
        } else {
            let filter = if w.command {
                Filter::Executables
            } else {
                Filter::All
            };
            file_candidates(&w, line, self.home.as_deref(), filter)
        };
        Completion {
            start: w.start,
            candidates,
        }
    }
}

/// A completer of file names only (every word).
#[derive(Clone, Debug, Default)]
pub struct FileCompleter {
    pub home: Option<Vec<u8>>,
}

impl Complete for FileCompleter {
    fn complete(&mut self, line: &[u8], cursor: usize) -> Completion {
        let mut w = word_at(line, cursor);
        if let Some(a) = after_assign(&w) {
            w = a;
        }
        let candidates = file_candidates(&w, line, self.home.as_deref(), Filter::All);
        Completion {
            start: w.start,
            candidates,
        }
    }
}

/// The longest common prefix of the candidates' texts, cut back so that it does not end inside
/// a UTF-8 char or after a lone backslash (half of an escape).
pub fn common_prefix(c: &[Candidate]) -> &[u8] {
    let Some(first) = c.first() else { return b"" };
    let mut n = first.text.len();
    for x in &c[1..] {
        n = n.min(
            first
                .text
                .iter()
                .zip(&x.text)
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    let t = &first.text;
    while n > 0 && n < t.len() && t[n] & 0xC0 == 0x80 {
        n -= 1;
    }
    let bs = t[..n].iter().rev().take_while(|&&b| b == b'\\').count();
    if bs % 2 == 1 {
        n -= 1;
    }
    &t[..n]
}

/// Lays out `names` in columns for a terminal `cols` wide, sorted down the columns as ls and
/// ash do, two spaces between columns; appends rows ending with `\r\n` (raw mode).
pub fn push_columns(out: &mut Vec<u8>, names: &[&[u8]], cols: usize) {
    if names.is_empty() {
        return;
    }
    let widths: Vec<usize> = names.iter().map(|n| super::render::str_width(n)).collect();
    let colw = widths.iter().max().copied().unwrap_or(0) + 2;
    let ncols = (cols / colw).max(1);
    let nrows = names.len().div_ceil(ncols);
    for r in 0..nrows {
        let mut c = 0;
        loop {
            let k = c * nrows + r;
            if k >= names.len() {
                break;
            }
            super::render::push_display(out, names[k]);
            let last = (c + 1) * nrows + r >= names.len();
            if last {
                break;
            }
            for _ in widths[k]..colw {
                out.push(b' ');
            }
            c += 1;
        }
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rbox-comp-{}-{}", tag, std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn words() {
        let w = word_at(b"ls -l fo", 8);
        assert_eq!((w.start, &w.value[..], w.command), (6, &b"fo"[..], false));
        let w = word_at(b"ec", 2);
        assert!(w.command);
        let w = word_at(b"a=1 ec", 6);
        assert!(w.command);
        let w = word_at(b"true && if ec", 13);
        assert!(w.command);
        assert_eq!(w.value, b"ec");
        let w = word_at(b"echo $(ca", 9);
        assert!(w.command);
        let w = word_at(b"cat <fi", 7);
        assert!(!w.command);
        assert_eq!(w.value, b"fi");
        let w = word_at(b"cat my\\ f", 9);
        assert_eq!((w.start, &w.value[..]), (4, &b"my f"[..]));
        let w = word_at(b"cat \"a b/c", 10);
        assert_eq!(
            (w.start, &w.value[..], w.quote),
            (4, &b"a b/c"[..], Quote::Double)
        );
        assert_eq!(w.origin[3], 9);
        let w = word_at(b"cat ~/x", 7);
        assert!(w.tilde);
        let w = word_at(b"cat ", 4);
        assert_eq!((w.start, &w.value[..]), (4, &b""[..]));
    }

    #[test]
    fn quoting_and_prefix() {
        let mut o = Vec::new();
        push_quoted(&mut o, b"a b$c", Quote::None);
        assert_eq!(o, b"a\\ b\\$c");
        o.clear();
        push_quoted(&mut o, b"a\"b$", Quote::Double);
        assert_eq!(o, b"a\\\"b\\$");
        o.clear();
        push_quoted(&mut o, b"it's", Quote::Single);
        assert_eq!(o, b"it'\\''s");
        let c = |t: &[u8]| Candidate {
            text: t.to_vec(),
            display: t.to_vec(),
            space: true,
        };
        assert_eq!(common_prefix(&[c(b"a\\ b"), c(b"a\\'x")]), b"a");
        assert_eq!(common_prefix(&[c(b"foo1"), c(b"foo2")]), b"foo");
        assert_eq!(common_prefix(&[c("é".as_bytes()), c("è".as_bytes())]), b"");
    }

    #[test]
    fn files() {
        let d = tmpdir("files");
        fs::create_dir(d.join("sub dir")).unwrap();
        fs::write(d.join("file one"), b"").unwrap();
        fs::write(d.join("file2"), b"").unwrap();
        fs::write(d.join(".hidden"), b"").unwrap();
        std::os::unix::fs::symlink("sub dir", d.join("link")).unwrap();
        let ds = d.as_os_str().as_bytes();
        let mut line = b"cat ".to_vec();
        push_quoted(&mut line, ds, Quote::None);
        line.extend_from_slice(b"/");
        let base = line.clone();
        let mut fc = FileCompleter::default();

        let all = fc.complete(&line, line.len());
        assert_eq!(all.start, 4);
        let names: Vec<&[u8]> = all.candidates.iter().map(|c| &c.display[..]).collect();
        assert_eq!(names, [&b"file one"[..], b"file2", b"link/", b"sub dir/"]);

        line.extend_from_slice(b"s");
        let c = fc.complete(&line, line.len());
        assert_eq!(c.candidates.len(), 1);
        let mut want = base[4..].to_vec();
        want.extend_from_slice(b"sub\\ dir/");
        assert_eq!(c.candidates[0].text, want);
        assert!(!c.candidates[0].space);

        let mut line = base.clone();
        line.extend_from_slice(b"\"file o");
        // The quote opens inside the word: the typed directory is kept, the name is quoted for
        // double quotes and the quote closed.
        let c = fc.complete(&line, line.len());
        assert_eq!(c.candidates.len(), 1);
        let mut want = base[4..].to_vec();
        want.extend_from_slice(b"file one\"");
        assert_eq!(c.candidates[0].text, want);

        let mut line = base.clone();
        line.extend_from_slice(b".");
        let c = fc.complete(&line, line.len());
        assert_eq!(c.candidates[0].display, b".hidden");

        // `~` keeps its spelling in the text.
        let mut fc = FileCompleter {
            home: Some(ds.to_vec()),
        };
        let c = fc.complete(b"ls ~/fi", 7);
        let texts: Vec<&[u8]> = c.candidates.iter().map(|c| &c.text[..]).collect();
        assert_eq!(texts, [&b"~/file\\ one"[..], b"~/file2"]);
        // After `=`: the value is completed.
        let c = fc.complete(b"make --dir=~/su", 15);
        assert_eq!(c.start, 11);
        assert_eq!(c.candidates[0].text, b"~/sub\\ dir/");
        let mut sc = ShellCompleter {
            home: Some(ds.to_vec()),
            ..Default::default()
        };
        let c = sc.complete(b"X=~/su", 6);
        assert_eq!(
            (c.start, &c.candidates[0].text[..]),
            (2, &b"~/sub\\ dir/"[..])
        );
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn commands() {
        let d = tmpdir("cmds");
        fs::write(d.join("zzprog"), b"").unwrap();
        fs::set_permissions(d.join("zzprog"), fs::Permissions::from_mode(0o755)).unwrap();
        fs::write(d.join("zznotexec"), b"").unwrap();
        let mut sc = ShellCompleter {
            commands: vec![b"zzbuiltin".to_vec()],
            path: d.as_os_str().as_bytes().to_vec(),
            home: None,
        };
        let c = sc.complete(b"zz", 2);
        let names: Vec<&[u8]> = c.candidates.iter().map(|c| &c.display[..]).collect();
        assert_eq!(names, [&b"zzbuiltin"[..], b"zzprog"]);
        let c = sc.complete(b"ca", 2);
        assert!(c.candidates.iter().any(|c| c.text == b"cat"));
        // Not in command position: files.
        let c = sc.complete(b"echo zz", 7);
        assert!(c.candidates.is_empty());
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn columns() {
        let mut o = Vec::new();
        let names: Vec<&[u8]> = vec![b"a", b"bb", b"c", b"d", b"e"];
        push_columns(&mut o, &names, 12);
        // colw 4, 3 columns, 2 rows: a c e / bb d
        assert_eq!(o, b"a   c   e\r\nbb  d\r\n");
    }
}
