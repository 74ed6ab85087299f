//! Option parsing: GNU getopt_long, driven by a table, with glibc's messages.
//!
//! Applets describe their options in a `const` table of [`Opt`] (in GNU's order, so ambiguity
//! messages list the same possibilities) and call [`parse`], which answers `--help` and turns a
//! bad command line into GNU's words — `cat: invalid option -- 'Z'`, `ls: unrecognized option
//! '--foo'`, `ls: option '--s' is ambiguous; possibilities: '--size' '--si' ...`,
//! `ls: option requires an argument -- 'w'` — then `Try 'cat --help' for more information.`
//! and the applet's usage-error status. Applets with their own usage wording (wget) call
//! [`getopt`] and word the failure themselves.
//!
//! Behaviour is glibc's: options and operands may be mixed (permutation) unless
//! `POSIXLY_CORRECT` is set, `--` ends the options, `-` is an operand, short options bundle
//! (`-la`, `-w80`), long options take `--opt=value` or `--opt value` and may be abbreviated to
//! any unambiguous prefix. The table replaces clap (see README, "Size and speed"): the same
//! behaviour in a few KB instead of ~120 KB, and no command object to build at start-up.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::ctx::{Ctx, Error, Result};

/// Whether an option takes an argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Has {
    No,
    /// `-w 80`, `-w80`, `--width=80`, `--width 80`.
    Arg,
    /// Only attached: `--color=auto`, `--color` alone (glibc's `optional_argument`).
    Optional,
}

/// One option: `id` names it in [`Matches`]; at least one of `short` and `long` is set.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub id: &'static str,
    pub short: Option<u8>,
    pub long: Option<&'static str>,
    pub has: Has,
}

impl Opt {
    pub const fn flag(id: &'static str, short: Option<u8>, long: Option<&'static str>) -> Opt {
        Opt {
            id,
            short,
            long,
            has: Has::No,
        }
    }
    pub const fn arg(id: &'static str, short: Option<u8>, long: Option<&'static str>) -> Opt {
        Opt {
            id,
            short,
            long,
            has: Has::Arg,
        }
    }
    pub const fn optional(id: &'static str, short: Option<u8>, long: Option<&'static str>) -> Opt {
        Opt {
            id,
            short,
            long,
            has: Has::Optional,
        }
    }
}

/// The parsed command line: every option occurrence in command-line order (so that later
/// options can override earlier ones as GNU's switch statements do), then the operands.
#[derive(Debug, Default)]
pub struct Matches {
    pub opts: Vec<(&'static str, Option<OsString>)>,
    pub operands: Vec<OsString>,
}

impl Matches {
    pub fn flag(&self, id: &str) -> bool {
        self.opts.iter().any(|o| o.0 == id)
    }
    pub fn count(&self, id: &str) -> usize {
        self.opts.iter().filter(|o| o.0 == id).count()
    }
    /// The value of the last occurrence (an optional argument left out reads as empty).
    pub fn last(&self, id: &str) -> Option<&OsString> {
        self.opts
            .iter()
            .rev()
            .find(|o| o.0 == id)
            .and_then(|o| o.1.as_ref())
    }
    pub fn values<'a>(&'a self, id: &'a str) -> impl DoubleEndedIterator<Item = &'a OsString> {
        self.opts
            .iter()
            .filter(move |o| o.0 == id)
            .filter_map(|o| o.1.as_ref())
    }
}

/// Parse `argv` (argument 0 is the program name). `Err` is glibc's message without the
/// `program: ` prefix; it holds the user's bytes as typed, as glibc prints them.
pub fn getopt(argv: &[OsString], table: &[Opt]) -> std::result::Result<Matches, Vec<u8>> {
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let mut m = Matches::default();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_bytes();
        i += 1;
        if a == b"--" {
            m.operands.extend(argv[i..].iter().cloned());
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            m.operands.push(OsString::from_vec(a.to_vec()));
            if posix {
                m.operands.extend(argv[i..].iter().cloned());
                break;
            }
            continue;
        }
        if let Some(body) = a.strip_prefix(b"--") {
            let (name, val) = match body.iter().position(|&b| b == b'=') {
                Some(p) => (&body[..p], Some(&body[p + 1..])),
                None => (body, None),
            };
            let o = find_long(table, name, a)?;
            let long = o.long.unwrap_or_default();
            let v = match (o.has, val) {
                (Has::No, Some(_)) => {
                    return Err(format!("option '--{long}' doesn't allow an argument").into())
                }
                (Has::No, None) => None,
                (_, Some(v)) => Some(OsString::from_vec(v.to_vec())),
                (Has::Optional, None) => None,
                (Has::Arg, None) => match argv.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => return Err(format!("option '--{long}' requires an argument").into()),
                },
            };
            m.opts.push((o.id, v));
            continue;
        }
        let mut k = 1;
        while k < a.len() {
            let c = a[k];
            k += 1;
            let Some(o) = table.iter().find(|o| o.short == Some(c)) else {
                return Err(quoted(b"invalid option -- ", &[c]));
            };
            if o.has == Has::No {
                m.opts.push((o.id, None));
                continue;
            }
            let v = if k < a.len() {
                Some(OsString::from_vec(a[k..].to_vec()))
            } else if o.has == Has::Optional {
                None
            } else if let Some(v) = argv.get(i) {
                i += 1;
                Some(v.clone())
            } else {
                return Err(quoted(b"option requires an argument -- ", &[c]));
            };
            m.opts.push((o.id, v));
            break;
        }
    }
    Ok(m)
}

/// `text'arg'`, with the argument's bytes as they are.
fn quoted(text: &[u8], arg: &[u8]) -> Vec<u8> {
    let mut v = text.to_vec();
    v.push(b'\'');
    v.extend_from_slice(arg);
    v.push(b'\'');
    v
}

/// An exact long name, else the one option whose long name starts with `name`. Several
/// candidates are ambiguous unless they are one option (glibc's rule).
fn find_long<'t>(
    table: &'t [Opt],
    name: &[u8],
    whole: &[u8],
) -> std::result::Result<&'t Opt, Vec<u8>> {
    let mut found: Option<&Opt> = None;
    let mut ambiguous = false;
    for o in table {
        let Some(l) = o.long else { continue };
        if l.as_bytes() == name {
            return Ok(o);
        }
        if !name.is_empty() && l.as_bytes().starts_with(name) {
            match found {
                None => found = Some(o),
                Some(f) if f.id != o.id || f.has != o.has => ambiguous = true,
                _ => {}
            }
        }
    }
    if ambiguous {
        let list: Vec<String> = table
            .iter()
            .filter_map(|o| o.long)
            .filter(|l| l.as_bytes().starts_with(name))
            .map(|l| format!("'--{l}'"))
            .collect();
        let mut msg = quoted(b"option ", whole);
        msg.extend_from_slice(b" is ambiguous; possibilities: ");
        msg.extend_from_slice(list.join(" ").as_bytes());
        return Err(msg);
    }
    found.ok_or_else(|| quoted(b"unrecognized option ", whole))
}

/// Parse `argv` for an applet with GNU coreutils conventions. `Ok(None)` means `--help` was
/// answered (the table must have an option with id "help") and the applet should return 0.
/// `usage` is the applet's help text, `code` its exit status for bad usage (1 for cat, 2 for
/// ls).
pub fn parse(
    ctx: &mut Ctx,
    argv: &[OsString],
    table: &[Opt],
    usage: &str,
    code: i32,
) -> Result<Option<Matches>> {
    match getopt(argv, table) {
        Ok(m) if m.flag("help") => {
            ctx.out.write_all(usage.as_bytes())?;
            Ok(None)
        }
        Ok(m) => Ok(Some(m)),
        Err(msg) => {
            ctx.msg(&msg);
            ctx.try_help();
            Err(Error::silent(code))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &[Opt] = &[
        Opt::flag("all", Some(b'a'), Some("all")),
        Opt::arg("width", Some(b'w'), Some("width")),
        Opt::optional("color", None, Some("color")),
        Opt::flag("size", Some(b's'), Some("size")),
        Opt::flag("si", None, Some("si")),
        Opt::flag("help", None, Some("help")),
    ];

    fn run(args: &[&str]) -> std::result::Result<Matches, String> {
        let v: Vec<OsString> = std::iter::once("prog")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        getopt(&v, T).map_err(|e| String::from_utf8(e).unwrap())
    }

    #[test]
    fn bundles_permutes_and_stops_at_double_dash() {
        let m = run(&["x", "-aw80", "-", "--wid", "7", "--", "-s"]).unwrap();
        assert_eq!(m.operands, ["x", "-", "-s"]);
        assert!(m.flag("all") && !m.flag("size"));
        let w: Vec<_> = m.values("width").collect();
        assert_eq!(w, ["80", "7"]);
        let m = run(&["-w", "-a"]).unwrap();
        assert_eq!(m.last("width").unwrap(), "-a");
    }

    #[test]
    fn optional_arguments_only_attach() {
        let m = run(&["--color", "x", "--col=never"]).unwrap();
        assert_eq!(m.opts.len(), 2);
        assert_eq!(m.opts[0], ("color", None));
        assert_eq!(m.last("color").unwrap(), "never");
        assert_eq!(m.operands, ["x"]);
    }

    #[test]
    fn glibc_messages() {
        let e = |a: &[&str]| run(a).unwrap_err();
        assert_eq!(e(&["-z"]), "invalid option -- 'z'");
        assert_eq!(e(&["-aw"]), "option requires an argument -- 'w'");
        assert_eq!(e(&["--width"]), "option '--width' requires an argument");
        assert_eq!(e(&["--all=1"]), "option '--all' doesn't allow an argument");
        assert_eq!(e(&["--foo=bar"]), "unrecognized option '--foo=bar'");
        assert_eq!(
            e(&["--s=1"]),
            "option '--s=1' is ambiguous; possibilities: '--size' '--si'"
        );
        assert!(run(&["--si"]).unwrap().flag("si"));
        assert!(run(&["--h"]).unwrap().flag("help"));
    }
}
