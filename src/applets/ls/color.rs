//! `LS_COLORS` (dircolors syntax) and GNU's built-in colours.
//!
//! Follows GNU ls 9.1: two-letter type keys and `*suffix` keys, `\`-escapes and `^X` carets,
//! later suffix entries overriding earlier ones, suffixes matched case-insensitively unless
//! the list distinguishes case, `ln=target`, and the built-in defaults used only when `TERM`
//! (or `COLORTERM`) says the terminal knows colours.

use crate::common::fnmatch::{fnmatch, Flags};
use crate::common::Ctx;

pub const LC: usize = 0;
pub const RC: usize = 1;
pub const EC: usize = 2;
pub const RS: usize = 3;
pub const NO: usize = 4;
pub const FI: usize = 5;
pub const DI: usize = 6;
pub const LN: usize = 7;
pub const PI: usize = 8;
pub const SO: usize = 9;
pub const BD: usize = 10;
pub const CD: usize = 11;
pub const MI: usize = 12;
pub const OR: usize = 13;
pub const EX: usize = 14;
pub const SU: usize = 16;
pub const SG: usize = 17;
pub const ST: usize = 18;
pub const OW: usize = 19;
pub const TW: usize = 20;
pub const MH: usize = 22;
pub const CL: usize = 23;

const NAMES: [&str; 24] = [
    "lc", "rc", "ec", "rs", "no", "fi", "di", "ln", "pi", "so", "bd", "cd", "mi", "or", "ex", "do",
    "su", "sg", "st", "ow", "tw", "ca", "mh", "cl",
];

const DEFAULTS: [Option<&str>; 24] = [
    Some("\x1b["),
    Some("m"),
    None,
    Some("0"),
    None,
    None,
    Some("01;34"),
    Some("01;36"),
    Some("33"),
    Some("01;35"),
    Some("01;33"),
    Some("01;33"),
    None,
    None,
    Some("01;32"),
    Some("01;35"),
    Some("37;41"),
    Some("30;43"),
    Some("37;44"),
    Some("34;42"),
    Some("30;42"),
    None,
    None,
    Some("\x1b[K"),
];

/// dircolors' TERM list: the built-in colours are used only on these terminals.
const TERMS: &[&str] = &[
    "Eterm",
    "ansi",
    "*color*",
    "con[0-9]*x[0-9]*",
    "cons25",
    "console",
    "cygwin",
    "*direct*",
    "dtterm",
    "gnome",
    "hurd",
    "jfbterm",
    "konsole",
    "kterm",
    "linux",
    "linux-c",
    "mlterm",
    "putty",
    "rxvt*",
    "screen*",
    "st",
    "terminator",
    "tmux*",
    "vt100",
    "xterm*",
];

pub struct Ext {
    pub suffix: Vec<u8>,
    pub seq: Vec<u8>,
}

pub struct Colors {
    pub ind: [Option<Vec<u8>>; 24],
    /// Most recent definition first.
    pub exts: Vec<Ext>,
    /// `ln=target`: colour symlinks as the file they point to.
    pub ln_target: bool,
}

impl Colors {
    fn defaults() -> Colors {
        Colors {
            ind: DEFAULTS.map(|d| d.map(|s| s.as_bytes().to_vec())),
            exts: Vec::new(),
            ln_target: false,
        }
    }

    /// Colours from the environment, or None when colouring is off after all (unparsable
    /// `LS_COLORS`, or no `LS_COLORS` and a terminal type without colours).
    pub fn from_env(ctx: &mut Ctx) -> Option<Colors> {
        let spec = std::env::var_os("LS_COLORS").filter(|s| !s.is_empty());
        let Some(spec) = spec else {
            let colorterm = std::env::var_os("COLORTERM").filter(|s| !s.is_empty());
            if colorterm.is_some() || known_term() {
                return Some(Colors::defaults());
            }
            return None;
        };
        use std::os::unix::ffi::OsStrExt;
        Colors::parse(spec.as_bytes(), &mut |m| ctx.msg(m))
    }

    /// Parse a dircolors string; complaints go to `warn` (without the `ls: ` prefix).
    pub fn parse(spec: &[u8], warn: &mut dyn FnMut(&[u8])) -> Option<Colors> {
        let mut c = Colors::defaults();
        let mut p = 0usize;
        let ok = loop {
            match spec.get(p) {
                None => break true,
                Some(b':') => p += 1,
                Some(b'*') => {
                    p += 1;
                    let Some(suffix) = funky(spec, &mut p, true) else {
                        break false;
                    };
                    if spec.get(p) != Some(&b'=') {
                        break false;
                    }
                    p += 1;
                    let Some(seq) = funky(spec, &mut p, false) else {
                        break false;
                    };
                    c.exts.insert(0, Ext { suffix, seq });
                }
                Some(_) => {
                    if p + 1 >= spec.len() {
                        break false;
                    }
                    let label = &spec[p..p + 2];
                    p += 2;
                    if spec.get(p) != Some(&b'=') {
                        break false;
                    }
                    p += 1;
                    match NAMES.iter().position(|n| n.as_bytes() == label) {
                        Some(i) => match funky(spec, &mut p, false) {
                            Some(v) => c.ind[i] = Some(v),
                            None => break false,
                        },
                        None => {
                            let mut m = b"unrecognized prefix: ".to_vec();
                            crate::common::quote::quote_into(
                                &mut m,
                                label,
                                crate::common::quote::Style::Locale,
                            );
                            warn(&m);
                            break false;
                        }
                    }
                }
            }
        };
        if !ok {
            warn(b"unparsable value for LS_COLORS environment variable");
            return None;
        }
        // GNU 9.1 matches suffixes case-insensitively; the latest definition wins.
        c.ln_target = c.ind[LN].as_deref() == Some(b"target");
        Some(c)
    }

    pub fn is_colored(&self, i: usize) -> bool {
        match &self.ind[i] {
            None => false,
            Some(s) => !(s.is_empty() || s == b"0" || s == b"00"),
        }
    }

    /// The suffix colour for a regular file's name, if any.
    pub fn ext_color(&self, name: &[u8]) -> Option<&[u8]> {
        for e in &self.exts {
            if e.suffix.len() > name.len() {
                continue;
            }
            let tail = &name[name.len() - e.suffix.len()..];
            if tail.eq_ignore_ascii_case(&e.suffix) {
                return Some(&e.seq);
            }
        }
        None
    }

    /// GNU's text between names: `ec`, or `lc rs rc`.
    pub fn reset_seq(&self, out: &mut Vec<u8>) {
        if let Some(ec) = &self.ind[EC] {
            out.extend_from_slice(ec);
        } else {
            for i in [LC, RS, RC] {
                if let Some(s) = &self.ind[i] {
                    out.extend_from_slice(s);
                }
            }
        }
    }

    /// GNU's restore_default_color: `lc rc`.
    pub fn restore_seq(&self, out: &mut Vec<u8>) {
        for i in [LC, RC] {
            if let Some(s) = &self.ind[i] {
                out.extend_from_slice(s);
            }
        }
    }

    /// Whether lc/rc are the usual `\e[` and `m` (then no final reset is needed).
    pub fn default_brackets(&self) -> bool {
        self.ind[LC].as_deref() == Some(b"\x1b[") && self.ind[RC].as_deref() == Some(b"m")
    }
}

fn known_term() -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Some(term) = std::env::var_os("TERM").filter(|t| !t.is_empty()) else {
        return false;
    };
    TERMS
        .iter()
        .any(|pat| fnmatch(pat.as_bytes(), term.as_bytes(), Flags::PLAIN))
}

/// gnulib's get_funky_string: one value up to `:` (or `=` for suffix keys), with escapes.
fn funky(s: &[u8], p: &mut usize, equals_end: bool) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let Some(&c) = s.get(*p) else {
            return Some(out);
        };
        match c {
            b':' => return Some(out),
            b'=' if equals_end => return Some(out),
            b'\\' => {
                *p += 1;
                let &e = s.get(*p)?;
                match e {
                    // GNU accumulates into a `char` with no digit limit: `\1234` and
                    // `\x10000001f` wrap modulo 256 (bytes 0234 and 0x1f), never overflow.
                    b'0'..=b'7' => {
                        let mut v: u8 = 0;
                        while let Some(&d @ b'0'..=b'7') = s.get(*p) {
                            v = (v << 3).wrapping_add(d - b'0');
                            *p += 1;
                        }
                        out.push(v);
                        continue;
                    }
                    b'x' | b'X' => {
                        *p += 1;
                        let mut v: u8 = 0;
                        while let Some(d) = s.get(*p).and_then(|&b| (b as char).to_digit(16)) {
                            v = (v << 4).wrapping_add(d as u8);
                            *p += 1;
                        }
                        out.push(v);
                        continue;
                    }
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'e' => out.push(27),
                    b'f' => out.push(12),
                    b'n' => out.push(10),
                    b'r' => out.push(13),
                    b't' => out.push(9),
                    b'v' => out.push(11),
                    b'?' => out.push(127),
                    b'_' => out.push(b' '),
                    other => out.push(other),
                }
                *p += 1;
            }
            b'^' => {
                *p += 1;
                match s.get(*p) {
                    Some(&c @ b'@'..=b'~') => out.push(c & 0o37),
                    Some(b'?') => out.push(127),
                    _ => return None,
                }
                *p += 1;
            }
            _ => {
                out.push(c);
                *p += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_basic() {
        let c = Colors::parse(
            b"di=01;34:*.tar=01;31:*.TXT=31:*.txt=32:ln=target",
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(c.ind[DI].as_deref(), Some(&b"01;34"[..]));
        assert_eq!(c.ext_color(b"a.TAR"), Some(&b"01;31"[..]));
        assert_eq!(c.ext_color(b"a.txt"), Some(&b"32"[..]));
        assert_eq!(c.ext_color(b"a.TXT"), Some(&b"32"[..]));
        assert!(c.ln_target);
        let c = Colors::parse(b"di=\\e[1^[:", &mut |_| {}).unwrap();
        assert_eq!(c.ind[DI].as_deref(), Some(&b"\x1b[1\x1b"[..]));
    }
}
