//! `nl`: number lines of files.
//!
//! Follows GNU coreutils 9 nl: `-b/-h/-f STYLE` (`a`, `t`, `n`, `pBRE` through `common::regex`),
//! `-v N`, `-i N`, `-w N`, `-n ln|rn|rz`, `-s STRING`, `-l N`, `-d CC`, `-p`; logical pages with
//! `\:\:\:` (header), `\:\:` (body) and `\:` (footer) lines, each printed as an empty line and
//! restarting the numbers unless `-p`; an unnumbered line is indented by the width plus the
//! separator's length; GNU's messages (`invalid body numbering style: 'x'`, ...).
//! Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::lines::Lines;
use crate::common::quote::{quote_if_needed, quote_locale};
use crate::common::regex::{Flags, Regex};
use crate::common::{io::Input, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("body-numbering", Some(b'b'), Some("body-numbering")),
        Opt::arg("section-delimiter", Some(b'd'), Some("section-delimiter")),
        Opt::arg("footer-numbering", Some(b'f'), Some("footer-numbering")),
        Opt::arg("header-numbering", Some(b'h'), Some("header-numbering")),
        Opt::arg("line-increment", Some(b'i'), Some("line-increment")),
        Opt::arg("join-blank-lines", Some(b'l'), Some("join-blank-lines")),
        Opt::arg("number-format", Some(b'n'), Some("number-format")),
        Opt::flag("no-renumber", Some(b'p'), Some("no-renumber")),
        Opt::arg("number-separator", Some(b's'), Some("number-separator")),
        Opt::arg(
            "starting-line-number",
            Some(b'v'),
            Some("starting-line-number"),
        ),
        Opt::arg("number-width", Some(b'w'), Some("number-width")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: nl [OPTION]... [FILE]...
Write each FILE to standard output, with line numbers added.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -b, --body-numbering=STYLE      use STYLE for numbering body lines
  -d, --section-delimiter=CC      use CC for logical page delimiters
  -f, --footer-numbering=STYLE    use STYLE for numbering footer lines
  -h, --header-numbering=STYLE    use STYLE for numbering header lines
  -i, --line-increment=NUMBER     line number increment at each line
  -l, --join-blank-lines=NUMBER   group of NUMBER empty lines counted as one
  -n, --number-format=FORMAT      insert line numbers according to FORMAT
  -p, --no-renumber               do not reset line numbers for each section
  -s, --number-separator=STRING   add STRING after (possible) line number
  -v, --starting-line-number=NUMBER  first line number for each section
  -w, --number-width=NUMBER       use NUMBER columns for line numbers
      --help        display this help and exit
      --version     output version information and exit

Default options are: -bt -d'\\:' -fn -hn -i1 -l1 -n'rn' -s<TAB> -v1 -w6

CC are two delimiter characters used to construct logical page delimiters;
a missing second character implies ':'.  As a GNU extension one can specify
more than two characters, and also specify the empty string (-d '')
to disable section matching.

STYLE is one of:

  a      number all lines
  t      number only nonempty lines
  n      number no lines
  pBRE   number only lines that contain a match for the basic regular
         expression, BRE

FORMAT is one of:

  ln     left justified, no leading zeros
  rn     right justified, no leading zeros
  rz     right justified, leading zeros
"
    ),
);

enum Style {
    All,
    Text,
    None,
    Re(Box<Regex>),
}

fn usage(ctx: &mut Ctx, m: &[u8]) -> Error {
    ctx.msg(m);
    ctx.try_help();
    Error::silent(1)
}

fn style(ctx: &mut Ctx, v: &[u8], what: &str) -> Result<Style> {
    Ok(match v {
        b"a" => Style::All,
        b"t" => Style::Text,
        b"n" => Style::None,
        [b'p', re @ ..] => match Regex::new(re, Flags(0)) {
            Ok(r) => Style::Re(Box::new(r)),
            Err(e) => return Err(Error::new(1, e.0.message())),
        },
        _ => {
            let mut m = format!("invalid {what} numbering style: ").into_bytes();
            m.extend_from_slice(&quote_locale(v));
            return Err(usage(ctx, &m));
        }
    })
}

/// A number option: `what` names it in the message; `min` and `max` the values allowed (GNU's
/// width is an int: more is EOVERFLOW).
fn number(v: &[u8], what: &str, min: i64, max: i64) -> Result<i64> {
    let s = std::str::from_utf8(v).unwrap_or("");
    let mut m = format!("invalid {what}: ").into_bytes();
    m.extend_from_slice(&quote_locale(v));
    match s.trim_start().parse::<i128>() {
        Ok(n) if n > max as i128 || n < i64::MIN as i128 => {
            m.extend_from_slice(b": Value too large for defined data type");
            Err(Error::new(1, m))
        }
        Ok(n) if (n as i64) < min => {
            m.extend_from_slice(b": Numerical result out of range");
            Err(Error::new(1, m))
        }
        Ok(n) => Ok(n as i64),
        Err(_) => Err(Error::new(1, m)),
    }
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

#[derive(Clone, Copy, PartialEq)]
enum Fmt {
    Ln,
    Rn,
    Rz,
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut body = Style::Text;
    let mut header = Style::None;
    let mut footer = Style::None;
    let (mut start, mut incr, mut width, mut join) = (1i64, 1i64, 6usize, 1i64);
    let mut fmt = Fmt::Rn;
    let mut sep = b"\t".to_vec();
    let mut delim = b"\\:".to_vec();
    for (id, v) in &m.opts {
        let v = v.as_ref().map(|v| v.as_bytes()).unwrap_or(b"");
        match Id::of(id.as_bytes()) {
            Some(Id::BodyNumbering) => body = style(ctx, v, "body")?,
            Some(Id::HeaderNumbering) => header = style(ctx, v, "header")?,
            Some(Id::FooterNumbering) => footer = style(ctx, v, "footer")?,
            Some(Id::StartingLineNumber) => {
                start = number(v, "starting line number", i64::MIN, i64::MAX)?
            }
            Some(Id::LineIncrement) => {
                incr = number(v, "line number increment", i64::MIN, i64::MAX)?
            }
            Some(Id::NumberWidth) => {
                width = number(v, "line number field width", 1, i32::MAX.into())? as usize
            }
            Some(Id::JoinBlankLines) => {
                join = number(v, "line number of blank lines", 1, i64::MAX)?
            }
            Some(Id::NumberSeparator) => sep = v.to_vec(),
            Some(Id::SectionDelimiter) => {
                delim = v.to_vec();
                if delim.len() == 1 {
                    delim.push(b':');
                }
            }
            Some(Id::NumberFormat) => {
                fmt = match v {
                    b"ln" => Fmt::Ln,
                    b"rn" => Fmt::Rn,
                    b"rz" => Fmt::Rz,
                    _ => {
                        let mut msg = b"invalid line numbering format: ".to_vec();
                        msg.extend_from_slice(&quote_locale(v));
                        return Err(usage(ctx, &msg));
                    }
                }
            }
            _ => {}
        }
    }
    let renumber = !m.flag("no-renumber");
    let names: Vec<&[u8]> = if m.operands.is_empty() {
        vec![b"-"]
    } else {
        m.operands.iter().map(|o| o.as_bytes()).collect()
    };
    let d3: Vec<u8> = [&delim[..], &delim, &delim].concat();
    let d2: Vec<u8> = [&delim[..], &delim].concat();
    let mut n = start;
    // 0 header, 1 body, 2 footer.
    let mut section = 1;
    let mut blanks = 0i64;
    let mut lines = Lines::new();
    let mut matcher_b = if let Style::Re(r) = &body {
        Some(r.matcher())
    } else {
        None
    };
    let mut matcher_h = if let Style::Re(r) = &header {
        Some(r.matcher())
    } else {
        None
    };
    let mut matcher_f = if let Style::Re(r) = &footer {
        Some(r.matcher())
    } else {
        None
    };
    // A width up to 2^31-1 is allowed; one that memory cannot hold is GNU's message.
    let mut blank_prefix = Vec::new();
    if blank_prefix.try_reserve_exact(width + sep.len()).is_err() {
        return Err(Error::new(1, "memory exhausted"));
    }
    blank_prefix.resize(width + sep.len(), b' ');
    for name in names {
        let input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                ctx.error_file(1, std::ffi::OsStr::from_bytes(name), &e);
                continue;
            }
        };
        let fd = input.fd();
        lines.reset();
        loop {
            let (line, _) = match lines.next(fd, b'\n') {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    let mut msg = quote_if_needed(name);
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                    break;
                }
            };
            if !delim.is_empty() && (line == &d3[..] || line == &d2[..] || line == &delim[..]) {
                section = if line == &d3[..] {
                    0
                } else if line == &d2[..] {
                    1
                } else {
                    2
                };
                if section == 0 && renumber {
                    n = start;
                }
                if renumber && section != 0 {
                    // GNU resets at every section delimiter when renumbering.
                    n = start;
                }
                ctx.out.buf_mut().push(b'\n');
                continue;
            }
            let (st, mt) = match section {
                0 => (&header, matcher_h.as_mut()),
                1 => (&body, matcher_b.as_mut()),
                _ => (&footer, matcher_f.as_mut()),
            };
            let numbered = match st {
                Style::All => {
                    if line.is_empty() {
                        blanks += 1;
                        if blanks >= join {
                            blanks = 0;
                            true
                        } else {
                            false
                        }
                    } else {
                        blanks = 0;
                        true
                    }
                }
                Style::Text => !line.is_empty(),
                Style::None => false,
                Style::Re(_) => mt.is_some_and(|m| m.find_at(line, 0, 0).is_some()),
            };
            let out = ctx.out.buf_mut();
            if numbered {
                let s = n.to_string();
                let s = s.as_bytes();
                match fmt {
                    Fmt::Ln => {
                        out.extend_from_slice(s);
                        out.extend(std::iter::repeat_n(b' ', width.saturating_sub(s.len())));
                    }
                    Fmt::Rn => {
                        out.extend(std::iter::repeat_n(b' ', width.saturating_sub(s.len())));
                        out.extend_from_slice(s);
                    }
                    Fmt::Rz => {
                        let (neg, digits) = match s.first() {
                            Some(b'-') => (true, &s[1..]),
                            _ => (false, s),
                        };
                        if neg {
                            out.push(b'-');
                        }
                        let w = width.saturating_sub(neg as usize);
                        out.extend(std::iter::repeat_n(b'0', w.saturating_sub(digits.len())));
                        out.extend_from_slice(digits);
                    }
                }
                out.extend_from_slice(&sep);
                n = n.wrapping_add(incr);
            } else {
                out.extend_from_slice(&blank_prefix);
            }
            out.extend_from_slice(line);
            out.push(b'\n');
            ctx.out.maybe_flush()?;
        }
    }
    Ok(())
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        BodyNumbering = "body-numbering",
        HeaderNumbering = "header-numbering",
        FooterNumbering = "footer-numbering",
        StartingLineNumber = "starting-line-number",
        LineIncrement = "line-increment",
        NumberWidth = "number-width",
        JoinBlankLines = "join-blank-lines",
        NumberSeparator = "number-separator",
        SectionDelimiter = "section-delimiter",
        NumberFormat = "number-format",
    }
}
