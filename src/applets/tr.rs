//! `tr`: translate, squeeze and delete bytes.
//!
//! Follows GNU coreutils 9.1 tr in the C locale: `-c`/`-C`, `-d`, `-s`, `-t`; sets with
//! backslash escapes (`\n`, `\\`, `\ooo`, ...), ranges `a-z`, classes `[:alpha:]` ...,
//! equivalence classes `[=c=]`, repeats `[c*n]` and `[c*]` (in set2), set2 padded with its last
//! byte, `[:lower:]`/`[:upper:]` case mapping; GNU's messages (`missing operand`, `when
//! translating, the only character classes that may appear in string2 are 'upper' and
//! 'lower'`, `misaligned [:upper:] and/or [:lower:] construct`, ...).
//! Table-driven: one 256-entry map, delete and squeeze tables, 64 KiB reads.
//! Deviation: bytes only (no multibyte locale), as GNU tr itself.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::io::{read, stdin_fd, stdout_fd, write_all};
use crate::common::quote::quote_locale;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("complement", Some(b'c'), Some("complement")),
        Opt::flag("complement", Some(b'C'), None),
        Opt::flag("delete", Some(b'd'), Some("delete")),
        Opt::flag("squeeze", Some(b's'), Some("squeeze-repeats")),
        Opt::flag("truncate", Some(b't'), Some("truncate-set1")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: tr [OPTION]... STRING1 [STRING2]
Translate, squeeze, and/or delete characters from standard input,
writing to standard output.  STRING1 and STRING2 specify arrays of
characters ARRAY1 and ARRAY2 that control the action.

  -c, -C, --complement    use the complement of ARRAY1
  -d, --delete            delete characters in ARRAY1, do not translate
  -s, --squeeze-repeats   replace each sequence of a repeated character
                            that is listed in the last specified ARRAY,
                            with a single occurrence of that character
  -t, --truncate-set1     first truncate ARRAY1 to length of ARRAY2
      --help        display this help and exit
      --version     output version information and exit

ARRAYs are specified as strings of characters.  Most represent themselves.
Interpreted sequences are:

  \\NNN            character with octal value NNN (1 to 3 octal digits)
  \\\\              backslash
  \\a              audible BEL
  \\b              backspace
  \\f              form feed
  \\n              new line
  \\r              return
  \\t              horizontal tab
  \\v              vertical tab
  CHAR1-CHAR2     all characters from CHAR1 to CHAR2 in ascending order
  [CHAR*]         in ARRAY2, copies of CHAR until length of ARRAY1
  [CHAR*REPEAT]   REPEAT copies of CHAR, REPEAT octal if starting with 0
  [:alnum:]       all letters and digits
  [:alpha:]       all letters
  [:blank:]       all horizontal whitespace
  [:cntrl:]       all control characters
  [:digit:]       all digits
  [:graph:]       all printable characters, not including space
  [:lower:]       all lower case letters
  [:print:]       all printable characters, including space
  [:punct:]       all punctuation characters
  [:space:]       all horizontal or vertical whitespace
  [:upper:]       all upper case letters
  [:xdigit:]      all hexadecimal digits
  [=CHAR=]        all characters which are equivalent to CHAR

Translation occurs if -d is not given and both STRING1 and STRING2 appear.
-t may be used only when translating.  ARRAY2 is extended to length of
ARRAY1 by repeating its last character as necessary.  Excess characters
of ARRAY2 are ignored.  Character classes expand in unspecified order;
while translating, [:lower:] and [:upper:] may be used in pairs to
specify case conversion.  Squeezing occurs after translation or deletion.
"
    ),
);

#[derive(Clone, Debug, PartialEq)]
enum Elem {
    Byte(u8),
    Range(u8, u8),
    Class(&'static str),
    Equiv(u8),
    /// `[c*n]`; `None`: `[c*]` (fill).
    Repeat(u8, Option<usize>),
}

const CLASSES: &[&str] = &[
    "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
    "upper", "xdigit",
];

fn in_class(name: &str, c: u8) -> bool {
    match name {
        "alnum" => c.is_ascii_alphanumeric(),
        "alpha" => c.is_ascii_alphabetic(),
        "blank" => c == b' ' || c == b'\t',
        "cntrl" => c.is_ascii_control(),
        "digit" => c.is_ascii_digit(),
        "graph" => c.is_ascii_graphic(),
        "lower" => c.is_ascii_lowercase(),
        "print" => c.is_ascii_graphic() || c == b' ',
        "punct" => c.is_ascii_punctuation(),
        "space" => matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
        "upper" => c.is_ascii_uppercase(),
        _ => c.is_ascii_hexdigit(),
    }
}

fn fail(m: impl Into<Vec<u8>>) -> Error {
    Error::new(1, m)
}

/// One byte of a set at `s[*i]`, backslash escapes decoded. `Some(true)` in the second field:
/// it was escaped (an escaped `[` or `-` is literal).
fn one(ctx: &mut Ctx, s: &[u8], i: &mut usize) -> (u8, bool) {
    let c = s[*i];
    *i += 1;
    if c != b'\\' {
        return (c, false);
    }
    let Some(&e) = s.get(*i) else {
        ctx.msg(b"warning: an unescaped backslash at end of string is not portable");
        return (b'\\', true);
    };
    *i += 1;
    if let Some(v) = crate::common::printf::c_letter_escape(e) {
        return (v, true);
    }
    let v = match e {
        b'0'..=b'7' => {
            let mut v = (e - b'0') as u32;
            let mut k = 1;
            while k < 3 {
                match s.get(*i) {
                    Some(&d @ b'0'..=b'7') if v * 8 + ((d - b'0') as u32) < 256 => {
                        v = v * 8 + (d - b'0') as u32;
                        *i += 1;
                        k += 1;
                    }
                    Some(&d @ b'0'..=b'7') => {
                        ctx.msgf(format_args!(
                                "warning: the ambiguous octal escape \\{}{}{} is being\n\tinterpreted as the 2-byte sequence \\0{}{}, {}",
                                e as char,
                                s[*i - 1] as char,
                                d as char,
                                e as char,
                                s[*i - 1] as char,
                                d as char
                            ));
                        break;
                    }
                    _ => break,
                }
            }
            v as u8
        }
        other => other,
    };
    (v, true)
}

fn parse(ctx: &mut Ctx, s: &[u8]) -> Result<Vec<Elem>> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'[' && i + 1 < s.len() {
            // [:class:], [=c=], [c*n]
            if s[i + 1] == b':' {
                if let Some(end) = find(s, i + 2, b":]") {
                    let name = &s[i + 2..end];
                    match CLASSES.iter().find(|c| c.as_bytes() == name) {
                        Some(c) => v.push(Elem::Class(c)),
                        None => {
                            let mut m = b"invalid character class ".to_vec();
                            m.extend_from_slice(&quote_locale(name));
                            return Err(fail(m));
                        }
                    }
                    i = end + 2;
                    continue;
                }
            } else if s[i + 1] == b'=' {
                if let Some(end) = find(s, i + 2, b"=]") {
                    let mut j = i + 2;
                    let (c, _) = one(ctx, s, &mut j);
                    if j != end {
                        let mut m = s[i + 2..end].to_vec();
                        m.extend_from_slice(
                            b": equivalence class operand must be a single character",
                        );
                        return Err(fail(m));
                    }
                    v.push(Elem::Equiv(c));
                    i = end + 2;
                    continue;
                }
            } else {
                let mut j = i + 1;
                let (c, _) = one(ctx, s, &mut j);
                if s.get(j) == Some(&b'*') {
                    if let Some(end) = memchr::memchr(b']', &s[j + 1..]).map(|p| p + j + 1) {
                        let num = &s[j + 1..end];
                        let n = if num.is_empty() {
                            None
                        } else {
                            let radix = if num[0] == b'0' { 8 } else { 10 };
                            let parsed = std::str::from_utf8(num)
                                .ok()
                                .and_then(|t| usize::from_str_radix(t, radix).ok());
                            match parsed {
                                Some(0) if radix == 8 => None,
                                // GNU keeps SIZE_MAX itself as its "no count" mark.
                                Some(n) if n != usize::MAX => Some(n),
                                _ => {
                                    let mut m = b"invalid repeat count ".to_vec();
                                    m.extend_from_slice(&quote_locale(num));
                                    m.extend_from_slice(b" in [c*n] construct");
                                    return Err(fail(m));
                                }
                            }
                        };
                        v.push(Elem::Repeat(c, n));
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        let (c, _) = one(ctx, s, &mut i);
        if s.get(i) == Some(&b'-') && i + 1 < s.len() {
            let mut j = i + 1;
            let (hi, _) = one(ctx, s, &mut j);
            if hi < c {
                let mut m = b"range-endpoints of ".to_vec();
                let mut r = Vec::new();
                push_shown(&mut r, c);
                r.push(b'-');
                push_shown(&mut r, hi);
                m.extend_from_slice(&quote_locale(&r));
                m.extend_from_slice(b" are in reverse collating sequence order");
                return Err(fail(m));
            }
            v.push(Elem::Range(c, hi));
            i = j;
            continue;
        }
        v.push(Elem::Byte(c));
    }
    Ok(v)
}

/// A byte as GNU shows it in a range message (octal escape when not printable).
fn push_shown(out: &mut Vec<u8>, c: u8) {
    if c.is_ascii_graphic() || c == b' ' {
        out.push(c);
    } else {
        out.extend_from_slice(format!("\\{c:03o}").as_bytes());
    }
}

fn find(s: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    memchr::memmem::find(&s[from..], pat).map(|p| p + from)
}

/// How many bytes of one `[c*n]` are spelled out: past the other set's length more change
/// nothing but the lengths compared, and those stay longer than any set written out in full
/// (`[c*9223372036854775807]` would otherwise ask for that many bytes; GNU never expands).
const REPEAT_CAP: usize = 1 << 24;

/// The bytes a set stands for, in order; `fill` is how many bytes `[c*]` gives.
fn expand(e: &[Elem], fill: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for x in e {
        match *x {
            Elem::Byte(c) | Elem::Equiv(c) => v.push(c),
            Elem::Range(a, b) => v.extend(a..=b),
            Elem::Class(n) => v.extend((0..=255u8).filter(|&c| in_class(n, c))),
            Elem::Repeat(c, n) => {
                v.extend(std::iter::repeat_n(c, n.unwrap_or(fill).min(REPEAT_CAP)))
            }
        }
    }
    v
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn usage(ctx: &mut Ctx, m: &[u8]) -> Error {
    ctx.msg(m);
    ctx.try_help();
    Error::silent(1)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let comp = m.flag("complement");
    let del = m.flag("delete");
    let sq = m.flag("squeeze");
    let trunc = m.flag("truncate");
    let ops = &m.operands;
    let need = if del && sq || !del && !sq { 2 } else { 1 };
    let max = if del && !sq { 1 } else { 2 };
    if ops.is_empty() {
        return Err(usage(ctx, b"missing operand"));
    }
    if ops.len() < need {
        let mut msg = b"missing operand after ".to_vec();
        msg.extend_from_slice(&quote_locale(ops.last().unwrap().as_bytes()));
        msg.extend_from_slice(if del && sq {
            b"\nTwo strings must be given when both deleting and squeezing repeats."
        } else {
            b"\nTwo strings must be given when translating."
        });
        return Err(usage(ctx, &msg));
    }
    if ops.len() > max {
        let mut msg = args::extra_operand_msg(ops[max].as_bytes());
        if del && !sq {
            msg.extend_from_slice(
                b"\nOnly one string may be given when deleting without squeezing repeats.",
            );
        }
        return Err(usage(ctx, &msg));
    }
    let translating = !del && ops.len() == 2;
    // Both strings are parsed (a reversed range in either reported) before either is checked.
    let e1 = parse(ctx, ops[0].as_bytes())?;
    let e2 = match ops.get(1) {
        Some(s) => Some(parse(ctx, s.as_bytes())?),
        None => None,
    };
    if e1.iter().any(|e| matches!(e, Elem::Repeat(_, None))) {
        return Err(fail("the [c*] repeat construct may not appear in string1"));
    }
    let mut set1 = expand(&e1, 0);
    if comp {
        let mut inset = [false; 256];
        for &c in &set1 {
            inset[c as usize] = true;
        }
        set1 = (0..=255u8).filter(|&c| !inset[c as usize]).collect();
    }
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut delete = [false; 256];
    let mut squeeze = [false; 256];
    if translating {
        let e2 = e2.as_ref().unwrap();
        if e2.iter().any(|e| matches!(e, Elem::Equiv(_))) {
            return Err(fail(
                "[=c=] expressions may not appear in string2 when translating",
            ));
        }
        if e2
            .iter()
            .any(|e| matches!(e, Elem::Class(c) if *c != "upper" && *c != "lower"))
        {
            return Err(fail(
                "when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'",
            ));
        }
        if e2
            .iter()
            .filter(|e| matches!(e, Elem::Repeat(_, None)))
            .count()
            > 1
        {
            return Err(fail("only one [c*] repeat construct may appear in string2"));
        }
        // Case classes must stand where set1 has the other (or the same) case class.
        let mut pos1 = 0;
        let mut at1 = Vec::new();
        for e in &e1 {
            at1.push((pos1, e.clone()));
            pos1 += expand(std::slice::from_ref(e), 0).len();
        }
        let fixed: usize = e2
            .iter()
            .map(|e| expand(std::slice::from_ref(e), 0).len())
            .sum();
        let fill = set1.len().saturating_sub(fixed);
        // GNU checks the alignment only without -c: complemented, a case class in string2
        // is just its letters.
        let mut pos2 = 0;
        for e in e2.iter().filter(|_| !comp) {
            if let Elem::Class(_) = e {
                if !at1.iter().any(|(p, x)| {
                    *p == pos2 && matches!(x, Elem::Class(k) if *k == "upper" || *k == "lower")
                }) {
                    return Err(fail("misaligned [:upper:] and/or [:lower:] construct"));
                }
            }
            pos2 += expand(std::slice::from_ref(e), fill).len();
        }
        let mut set2 = expand(e2, fill);
        if set2.len() < set1.len() && !trunc {
            if set2.is_empty() {
                return Err(fail("when not truncating set1, string2 must be non-empty"));
            }
            if let Some(Elem::Class(_)) = e2.last() {
                return Err(fail(
                    "when translating with string1 longer than string2,\nthe latter string must not end with a character class",
                ));
            }
        }
        // Which character a complemented class's members become is unspecified, so GNU wants
        // them all to become the same one.
        if comp
            && e1.iter().any(|e| matches!(e, Elem::Class(_)))
            && (set2.len() > set1.len()
                || (trunc && set2.len() < set1.len())
                || set2.iter().any(|&c| c != set2[0]))
        {
            return Err(fail(
                "when translating with complemented character classes,\nstring2 must map all characters in the domain to one",
            ));
        }
        if trunc {
            set1.truncate(set2.len());
        } else if let Some(&last) = set2.last() {
            while set2.len() < set1.len() {
                set2.push(last);
            }
        }
        for (a, b) in set1.iter().zip(set2.iter()) {
            map[*a as usize] = *b;
        }
        if sq {
            for &c in &set2 {
                squeeze[c as usize] = true;
            }
        }
    } else {
        if let Some(e2) = &e2 {
            if e2.iter().any(|e| matches!(e, Elem::Repeat(_, None))) {
                return Err(fail(
                    "the [c*] construct may appear in string2 only when translating",
                ));
            }
        }
        if del {
            for &c in &set1 {
                delete[c as usize] = true;
            }
            if let Some(e2) = &e2 {
                for c in expand(e2, 0) {
                    squeeze[c as usize] = true;
                }
            }
        } else {
            for &c in &set1 {
                squeeze[c as usize] = true;
            }
        }
    }
    filter(&map, &delete, &squeeze, del, sq)
}

fn filter(
    map: &[u8; 256],
    delete: &[bool; 256],
    squeeze: &[bool; 256],
    del: bool,
    sq: bool,
) -> Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut last: Option<u8> = None;
    loop {
        let n = match read(stdin_fd(), &mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) => return Err(Error::io(1, "read error", &e)),
        };
        let data = &mut buf[..n];
        let len = if !del && !sq {
            for b in data.iter_mut() {
                *b = map[*b as usize];
            }
            n
        } else {
            let mut w = 0;
            for r in 0..n {
                let c = data[r];
                if del && delete[c as usize] {
                    continue;
                }
                let c = map[c as usize];
                if sq && squeeze[c as usize] && last == Some(c) {
                    continue;
                }
                last = Some(c);
                data[w] = c;
                w += 1;
            }
            w
        };
        write_all(stdout_fd(), &buf[..len]).map_err(|e| Error::write(&e))?;
    }
}
