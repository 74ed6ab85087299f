//! The fuzz targets' bodies, one function per target of `fuzz/` (cargo-fuzz, nightly only).
//! Each takes arbitrary bytes and must never panic, hang or grow memory without bound. They
//! live here, compiled with the library on stable, so `cargo test` (tests/cli/fuzz.rs) runs
//! every body over its corpus and a type error cannot hide in a nightly-only directory; the
//! files under `fuzz/fuzz_targets/` are one line each around them.

/// A target's body.
pub type Body = fn(&[u8]);

/// Every target: (name of `fuzz/fuzz_targets/<name>.rs`, body).
pub const TARGETS: &[(&str, Body)] = &[
    #[cfg(feature = "sh")]
    ("sh_parse", sh_parse),
    #[cfg(feature = "sh")]
    ("sh_expand", sh_expand),
    #[cfg(feature = "sh")]
    ("line_editor", line_editor),
    #[cfg(feature = "tar-core")]
    ("tar_reader", tar_reader),
    #[cfg(feature = "wget")]
    ("http_response", http_response),
    #[cfg(feature = "ls")]
    ("ls_colors", ls_colors),
    ("regex", regex),
    #[cfg(feature = "sed")]
    ("sed_script", sed_script),
    #[cfg(feature = "awk")]
    ("awk_program", awk_program),
];

/// The shell's parser (no execution), arithmetic and pattern matching.
#[cfg(feature = "sh")]
pub fn sh_parse(data: &[u8]) {
    crate::applets::sh::fuzz_one(data);
}

/// Word expansion without execution: the bytes are parsed as a script, and the words of its
/// simple commands that hold no command substitution are expanded (parameters with every
/// operator, arithmetic, tilde, field splitting, quote removal; globbing off).
#[cfg(feature = "sh")]
pub fn sh_expand(data: &[u8]) {
    use crate::applets::sh::ast::{Node, WordPart};
    use crate::applets::sh::state::Shell;
    fn pure(parts: &[WordPart]) -> bool {
        parts.iter().all(|p| match p {
            WordPart::Cmd(_) => false,
            WordPart::Dq(v) => pure(v),
            WordPart::Param(p) => pure(&p.word) && p.word2.as_deref().is_none_or(pure),
            WordPart::Arith(a) => pure(&a.word),
            _ => true,
        })
    }
    fn walk(sh: &mut Shell, n: &Node, budget: &mut usize) {
        match n {
            Node::Simple(s) => {
                for w in &s.words {
                    if *budget == 0 {
                        return;
                    }
                    *budget -= 1;
                    if pure(w) {
                        let mut out = Vec::new();
                        let _ = sh.expand_words(std::slice::from_ref(w), &mut out);
                    }
                }
            }
            Node::Pipe(v, _) | Node::Seq(v) => v.iter().for_each(|n| walk(sh, n, budget)),
            Node::Not(a) | Node::Bg(a, _) => walk(sh, a, budget),
            Node::And(a, b) | Node::Or(a, b) => {
                walk(sh, a, budget);
                walk(sh, b, budget);
            }
            _ => {}
        }
    }
    let Ok(nodes) = crate::applets::sh::parser::parse_all(data) else {
        return;
    };
    let mut sh = Shell::new(b"sh".to_vec());
    sh.opts.noglob = true;
    let _ = sh.vars.set(b"x", b"a b  c*", false);
    let _ = sh.vars.set(b"IFS", b" :\t\n", false);
    let mut budget = 256;
    for n in &nodes {
        walk(&mut sh, n, &mut budget);
    }
}

/// The interactive line editor, driven key by key without a terminal.
#[cfg(feature = "sh")]
pub fn line_editor(data: &[u8]) {
    crate::applets::sh::lineedit::fuzz_one(data);
}

/// The tar reader: header parsers and the member reader over an archive in memory.
#[cfg(feature = "tar-core")]
pub fn tar_reader(data: &[u8]) {
    crate::applets::tar::fuzz_one(data);
}

/// wget's HTTP response parser (head, chunked body, Content-Disposition).
#[cfg(feature = "wget")]
pub fn http_response(data: &[u8]) {
    crate::applets::wget::fuzz_one(data);
}

/// ls's `LS_COLORS` parser, block sizes, version sort and quoting.
#[cfg(feature = "ls")]
pub fn ls_colors(data: &[u8]) {
    crate::applets::ls::fuzz_one(data);
}

/// The POSIX regex engine: the first byte picks the syntax (BRE/ERE, icase, newline), the rest
/// is `pattern NUL subject`; a pattern that compiles is run every way the tools run it.
pub fn regex(data: &[u8]) {
    use crate::common::regex::{Flags, Regex, NOTBOL, NOTEOL};
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (pat, hay) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b"the quick brown fox\njumps over aaaa bbb\n"[..]),
    };
    let flags = Flags(u32::from(mode) & (Flags::EXTENDED | Flags::ICASE | Flags::NEWLINE));
    let Ok(re) = Regex::new(pat, flags) else {
        return;
    };
    let _ = re.is_match(hay);
    let eflags = u32::from(mode >> 4) & (NOTBOL | NOTEOL);
    let mut caps = vec![None; re.groups() + 1];
    let mut start = 0;
    // Every match left to right, as sed's `s///g` and grep -o walk them.
    while start <= hay.len() {
        match re.find_at(hay, start, eflags) {
            Some((s, e)) => start = if e > s { e } else { e + 1 },
            None => break,
        }
    }
    let _ = re.captures_at(hay, 0, eflags, &mut caps);
    for at in [0, hay.len() / 2, hay.len()] {
        let _ = re.match_at(hay, at, eflags, &mut caps);
    }
}

/// sed's script compiler (sandboxed: nothing is opened or run).
#[cfg(feature = "sed")]
pub fn sed_script(data: &[u8]) {
    crate::applets::sed::fuzz_one(data);
}

/// awk's lexer and parser (nothing runs).
#[cfg(feature = "awk")]
pub fn awk_program(data: &[u8]) {
    crate::applets::awk::fuzz_one(data);
}
