//! GNU quoting of file names (gnulib's quotearg), in the C locale: bytes >= 0x80 and control
//! characters are "non-printable". Names stay bytes throughout; nothing is converted lossily.

/// GNU `--quoting-style` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Literal,
    Shell,
    ShellAlways,
    ShellEscape,
    ShellEscapeAlways,
    C,
    /// `c` quoting, but without the double quotes when nothing needed escaping.
    CMaybe,
    Escape,
    Locale,
    Clocale,
}

impl Style {
    pub fn from_name(s: &str) -> Option<Style> {
        Some(match s {
            "literal" => Style::Literal,
            "shell" => Style::Shell,
            "shell-always" => Style::ShellAlways,
            "shell-escape" => Style::ShellEscape,
            "shell-escape-always" => Style::ShellEscapeAlways,
            "c" => Style::C,
            "c-maybe" => Style::CMaybe,
            "escape" => Style::Escape,
            "locale" => Style::Locale,
            "clocale" => Style::Clocale,
            _ => return None,
        })
    }
}

#[inline]
pub fn is_printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Characters that make a name need quoting for a POSIX shell; `#` and `~` only at the start.
/// Without `escape` (plain `shell` styles) other non-printable bytes are written as they are,
/// as gnulib does; only tab, newline and carriage return force quotes.
fn shell_special(b: u8, first: bool, escape: bool) -> bool {
    matches!(
        b,
        b' ' | b'!'
            | b'"'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b';'
            | b'<'
            | b'='
            | b'>'
            | b'?'
            | b'['
            | b'\\'
            | b'^'
            | b'`'
            | b'|'
    ) || (first && matches!(b, b'#' | b'~'))
        || (!is_printable(b) && (escape || matches!(b, b'\t' | b'\n' | b'\r')))
}

/// `cat -v` notation of a byte: `^X` for a control character, `^?` for DEL, `M-` before the
/// notation of a byte's low seven bits when its high bit is set (cat -v, cmp -c/-l).
#[inline]
pub fn push_caret(out: &mut Vec<u8>, c: u8) {
    let mut c = c;
    if c >= 128 {
        out.extend_from_slice(b"M-");
        c -= 128;
    }
    if c < 32 {
        out.push(b'^');
        out.push(c + 64);
    } else if c == 127 {
        out.extend_from_slice(b"^?");
    } else {
        out.push(c);
    }
}

/// Push the C escape for a byte: `\n`, `\t`, ..., or three-digit octal.
pub fn push_c_escape(out: &mut Vec<u8>, b: u8) {
    out.push(b'\\');
    match b {
        7 => out.push(b'a'),
        8 => out.push(b'b'),
        9 => out.push(b't'),
        10 => out.push(b'n'),
        11 => out.push(b'v'),
        12 => out.push(b'f'),
        13 => out.push(b'r'),
        _ => {
            out.push(b'0' + (b >> 6));
            out.push(b'0' + ((b >> 3) & 7));
            out.push(b'0' + (b & 7));
        }
    }
}

/// Quote `name` in `style`, appending to `out`.
pub fn quote_into(out: &mut Vec<u8>, name: &[u8], style: Style) {
    quote_into_extra(out, name, style, b"")
}

/// [`quote_into`] with gnulib's `set_char_quoting`: the bytes in `extra` are quoted too
/// (`ls -F` quotes its indicator characters, directory headers quote `:`). Shell styles that
/// would leave the name bare switch to quoting it; backslash styles escape the byte.
pub fn quote_into_extra(out: &mut Vec<u8>, name: &[u8], style: Style, extra: &[u8]) {
    let has_extra = !extra.is_empty() && name.iter().any(|b| extra.contains(b));
    let style = match style {
        Style::CMaybe => {
            let plain = !has_extra && name.iter().all(|&b| is_printable(b) && b != b'"');
            if plain {
                out.extend_from_slice(name);
                return;
            }
            Style::C
        }
        Style::Shell if has_extra => Style::ShellAlways,
        Style::ShellEscape if has_extra => Style::ShellEscapeAlways,
        s => s,
    };
    let esc_extra = if matches!(
        style,
        Style::C | Style::Escape | Style::Locale | Style::Clocale
    ) {
        extra
    } else {
        b""
    };
    match style {
        Style::Literal => out.extend_from_slice(name),
        Style::Shell | Style::ShellAlways | Style::ShellEscape | Style::ShellEscapeAlways => {
            shell_quote(out, name, style)
        }
        Style::C | Style::CMaybe | Style::Escape | Style::Locale | Style::Clocale => {
            let (open, close, esc_quote) = match style {
                Style::C | Style::Clocale => (Some(b'"'), b'"', b'"'),
                Style::Locale => (Some(b'\''), b'\'', b'\''),
                _ => (None, 0, 0),
            };
            if let Some(q) = open {
                out.push(q);
            }
            for &b in name {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b' ' if open.is_none() => out.extend_from_slice(b"\\ "),
                    _ if open.is_some() && b == esc_quote => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    _ if esc_extra.contains(&b) => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    _ if is_printable(b) => out.push(b),
                    _ => push_c_escape(out, b),
                }
            }
            if open.is_some() {
                out.push(close);
            }
        }
    }
}

fn shell_quote(out: &mut Vec<u8>, name: &[u8], style: Style) {
    let always = matches!(style, Style::ShellAlways | Style::ShellEscapeAlways);
    let escape = matches!(style, Style::ShellEscape | Style::ShellEscapeAlways);
    // gnulib: a brace is special to the shell only alone (`{` starts a group there)
    let needs = name.is_empty()
        || name == b"{"
        || name == b"}"
        || name
            .iter()
            .enumerate()
            .any(|(i, &b)| shell_special(b, i == 0, escape));
    if !needs && !always {
        out.extend_from_slice(name);
        return;
    }
    // A single quote among only gnulib's "c and shell quote compatible" bytes: "a'b".
    let compat = |(i, &b): (usize, &u8)| match b {
        b'%' | b'+' | b',' | b'-' | b'.' | b'/' | b':' | b']' | b'_' | b'@' | b' ' | b'\'' => true,
        b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => true,
        b'{' | b'}' => name.len() == 1,
        b'#' | b'~' => i == 0,
        _ => false,
    };
    if name.contains(&b'\'') && name.iter().enumerate().all(compat) {
        out.push(b'"');
        out.extend_from_slice(name);
        out.push(b'"');
        return;
    }
    out.push(b'\'');
    let mut i = 0;
    while i < name.len() {
        let b = name[i];
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
            i += 1;
        } else if escape && !is_printable(b) {
            out.extend_from_slice(b"'$'");
            while i < name.len() && !is_printable(name[i]) {
                push_c_escape(out, name[i]);
                i += 1;
            }
            out.push(b'\'');
            if i == name.len() {
                return;
            }
            out.push(b'\'');
        } else {
            out.push(b);
            i += 1;
        }
    }
    out.push(b'\'');
}

/// GNU `quotef`: shell-escape quoting only when needed — for `cat: NAME: ...` messages.
pub fn quote_if_needed(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + 2);
    quote_into(&mut v, name, Style::ShellEscape);
    v
}

/// GNU `quoteaf`: always quoted — for `ls: cannot access 'NAME': ...` messages.
pub fn quote_always(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + 2);
    quote_into(&mut v, name, Style::ShellEscapeAlways);
    v
}

/// GNU `quote`: the locale style ('NAME', `'` and `\` escaped) — what printf, test and
/// getopt messages use.
pub fn quote_locale(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + 2);
    quote_into(&mut v, name, Style::Locale);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &[u8], st: Style) -> String {
        let mut v = Vec::new();
        quote_into(&mut v, s, st);
        String::from_utf8(v).unwrap()
    }

    // Expected values are GNU ls 9 output in the C locale.
    #[test]
    fn shell_escape_matches_gnu() {
        let e = Style::ShellEscape;
        assert_eq!(q(b"plain", e), "plain");
        assert_eq!(q(b"a b", e), "'a b'");
        assert_eq!(q(b"a'b", e), "\"a'b\"");
        assert_eq!(q(b"a'b c", e), "\"a'b c\"");
        assert_eq!(q(b"a'$b", e), "'a'\\''$b'");
        assert_eq!(q(b"a\x01b", e), "'a'$'\\001''b'");
        assert_eq!(q(b"a\x01\x02b", e), "'a'$'\\001\\002''b'");
        assert_eq!(q(b"a\nb", e), "'a'$'\\n''b'");
        assert_eq!(q(b"\xff", e), "''$'\\377'");
        assert_eq!(q(b"#a", e), "'#a'");
        assert_eq!(q(b"a#", e), "a#");
        assert_eq!(q(b"~a", e), "'~a'");
        assert_eq!(q(b"a=b", e), "'a=b'");
        assert_eq!(q(b"a]b", e), "a]b");
        assert_eq!(q(b"", e), "''");
        assert_eq!(q(b"-a", Style::ShellEscapeAlways), "'-a'");
    }

    #[test]
    fn other_styles_match_gnu() {
        assert_eq!(q(b"a b", Style::Escape), "a\\ b");
        assert_eq!(q(b"a\\b", Style::Escape), "a\\\\b");
        assert_eq!(q(b"a\"b", Style::C), "\"a\\\"b\"");
        assert_eq!(q(b"a'b", Style::Locale), "'a\\'b'");
        assert_eq!(q(b"\xc3\xa9", Style::C), "\"\\303\\251\"");
        assert_eq!(q(b"a\tb", Style::Shell), "'a\tb'");
    }
}
