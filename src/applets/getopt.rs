//! `getopt`: parse a command line for a shell script (util-linux 2.38).
//!
//! util-linux's options: `-o/--options OPTSTRING`, `-l/--longoptions LONGOPTS` (comma
//! separated, `name:` takes an argument, `name::` an optional one; repeatable), `-a/--alternative`
//! (long options with one dash), `-n/--name`, `-q/--quiet`, `-Q/--quiet-output`, `-s/--shell
//! sh|bash|csh|tcsh`, `-T/--test` (status 4), `-u/--unquoted`, and the old form
//! `getopt OPTSTRING PARAMETERS` (also forced by `GETOPT_COMPATIBLE`). The parameters are parsed
//! as glibc's getopt_long does: permutation (unless the optstring starts with `+` or
//! POSIXLY_CORRECT is set), operands in place with a leading `-`, a leading `:` silencing
//! missing-argument messages, prefixes of long options, glibc's messages under the `-n` name.
//! Output as util-linux: ` -a 'x' --long 'v' -- 'operand'`, each argument quoted `'...'`
//! with `'\''` (csh/tcsh: `!` and blanks escaped too). Statuses: 0, 1 for bad parameters
//! (the rest still parsed and printed), 2 for getopt's own usage errors, 4 for `-T`.
//!
//! The parameters follow a user's optstring, not a table of rbox's: that small glibc
//! getopt_long is here; getopt's own options go through `common::args`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Arg, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::io::{stderr_fd, write_all};
use crate::common::{Ctx, Error, Result};

const USAGE: Help = help_text!(
    "\
Usage:
 getopt <optstring> <parameters>
 getopt [options] [--] <optstring> <parameters>
 getopt [options] -o|--options <optstring> [options] [--] <parameters>

Parse command options.

Options:
 -a, --alternative             allow long options starting with single -
 -l, --longoptions <longopts>  the long options to be recognized
 -n, --name <progname>         the name under which errors are reported
 -o, --options <optstring>     the short options to be recognized
 -q, --quiet                   disable error reporting by getopt(3)
 -Q, --quiet-output            no normal output
 -s, --shell <shell>           set quoting conventions to those of <shell>
 -T, --test                    test for getopt(1) version
 -u, --unquoted                do not quote the output

 -h, --help                    display this help
 -V, --version                 display version
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("alternative", Some(b'a'), Some("alternative")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::arg("longoptions", Some(b'l'), Some("longoptions")),
        Opt::arg("name", Some(b'n'), Some("name")),
        Opt::arg("options", Some(b'o'), Some("options")),
        Opt::flag("quiet", Some(b'q'), Some("quiet")),
        Opt::flag("quiet-output", Some(b'Q'), Some("quiet-output")),
        Opt::arg("shell", Some(b's'), Some("shell")),
        Opt::flag("test", Some(b'T'), Some("test")),
        Opt::flag("unquoted", Some(b'u'), Some("unquoted")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    USAGE,
)
.code(2)
.require_order();

#[derive(Clone, Copy, PartialEq, Eq)]
enum Has {
    No,
    Arg,
    Optional,
}

struct Ctl {
    quote: bool,
    tcsh: bool,
    quiet_errors: bool,
    quiet_output: bool,
    alternative: bool,
    longs: Vec<(Vec<u8>, Has)>,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn parse_error(ctx: &mut Ctx, msg: &[u8]) -> Error {
    args::usage_error(ctx, &SPEC, msg, 2)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut c = Ctl {
        quote: true,
        tcsh: false,
        quiet_errors: false,
        quiet_output: false,
        alternative: false,
        longs: Vec::new(),
    };
    if argv.len() < 2 {
        return Err(parse_error(ctx, b"missing optstring argument"));
    }
    let first = argv[1].as_bytes();
    if first.first() != Some(&b'-') || std::env::var_os("GETOPT_COMPATIBLE").is_some() {
        // The old form: OPTSTRING PARAMETERS, unquoted.
        c.quote = false;
        let skip = first
            .iter()
            .take_while(|&&b| b == b'-' || b == b'+')
            .count();
        let opts = first[skip..].to_vec();
        let params: Vec<&[u8]> = argv[2..].iter().map(|a| a.as_bytes()).collect();
        return output(ctx, &c, &opts, b"getopt", &params);
    }
    let mut optstring: Option<Vec<u8>> = None;
    let mut name: Option<Vec<u8>> = None;
    let mut operands: Vec<OsString> = Vec::new();
    let mut test = false;
    let ok = args::each(ctx, &argv, &SPEC, |ctx, a| {
        match a {
            Arg::Operand(v) => operands.push(v),
            Arg::Opt(o, v) => {
                let v = v.unwrap_or_default();
                match Id::of(o.id().as_bytes()) {
                    Some(Id::Alternative) => c.alternative = true,
                    Some(Id::Options) => optstring = Some(v.as_bytes().to_vec()),
                    Some(Id::Longoptions) => {
                        for n in v
                            .as_bytes()
                            .split(|b| matches!(b, b',' | b' ' | b'\t' | b'\n'))
                            .filter(|n| !n.is_empty())
                        {
                            let colons = n.iter().rev().take_while(|&&b| b == b':').count();
                            let has = match colons {
                                0 => Has::No,
                                1 => Has::Arg,
                                _ => Has::Optional,
                            };
                            let base = &n[..n.len() - colons.min(2)];
                            if base.is_empty() {
                                return Err(parse_error(
                                    ctx,
                                    b"empty long option after -l or --long argument",
                                ));
                            }
                            c.longs.push((base.to_vec(), has));
                        }
                    }
                    Some(Id::Name) => name = Some(v.as_bytes().to_vec()),
                    Some(Id::Quiet) => c.quiet_errors = true,
                    Some(Id::QuietOutput) => c.quiet_output = true,
                    Some(Id::Shell) => match v.as_bytes() {
                        b"sh" | b"bash" => c.tcsh = false,
                        b"csh" | b"tcsh" => c.tcsh = true,
                        _ => {
                            return Err(parse_error(
                                ctx,
                                b"unknown shell after -s or --shell argument",
                            ))
                        }
                    },
                    Some(Id::Test) => {
                        test = true;
                        return Ok(false);
                    }
                    _ => c.quote = false,
                }
            }
        }
        Ok(true)
    })?;
    if test {
        return Err(Error::silent(4));
    }
    if !ok {
        return Ok(());
    }
    let mut rest = operands.iter().map(|a| a.as_bytes());
    let opts = match optstring {
        Some(o) => o,
        None => match rest.next() {
            Some(o) => o.to_vec(),
            None => return Err(parse_error(ctx, b"missing optstring argument")),
        },
    };
    let params: Vec<&[u8]> = rest.collect();
    let name = name.unwrap_or_else(|| b"getopt".to_vec());
    output(ctx, &c, &opts, &name, &params)
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Alternative = "alternative",
        Options = "options",
        Longoptions = "longoptions",
        Name = "name",
        Quiet = "quiet",
        QuietOutput = "quiet-output",
        Shell = "shell",
        Test = "test",
    }
}

/// util-linux's print_normalized: ` 'arg'` (or ` arg` unquoted).
fn normalized(c: &Ctl, out: &mut Vec<u8>, arg: &[u8]) {
    out.push(b' ');
    if !c.quote {
        out.extend_from_slice(arg);
        return;
    }
    out.push(b'\'');
    for &b in arg {
        match b {
            b'\'' => out.extend_from_slice(b"'\\''"),
            b'!' if c.tcsh => out.extend_from_slice(b"'\\!'"),
            b'\n' if c.tcsh => out.extend_from_slice(b"\\n"),
            b' ' | b'\t' | 11 | 12 | b'\r' if c.tcsh => {
                out.extend_from_slice(b"'\\");
                out.push(b);
                out.push(b'\'');
            }
            _ => out.push(b),
        }
    }
    out.push(b'\'');
}

fn output(ctx: &mut Ctx, c: &Ctl, optstring: &[u8], name: &[u8], params: &[&[u8]]) -> Result<()> {
    let mut p = Parser {
        c,
        name,
        shorts: optstring,
        mode: Mode::Permute,
        colon: false,
        out: Vec::new(),
        status: 0,
    };
    let mut s = optstring;
    match s.first() {
        Some(b'+') => {
            p.mode = Mode::Require;
            s = &s[1..];
        }
        Some(b'-') => {
            p.mode = Mode::InOrder;
            s = &s[1..];
        }
        _ if std::env::var_os("POSIXLY_CORRECT").is_some() => p.mode = Mode::Require,
        _ => {}
    }
    if s.first() == Some(&b':') {
        p.colon = true;
        s = &s[1..];
    }
    p.shorts = s;
    let operands = p.parse(params);
    if !c.quiet_output {
        p.out.extend_from_slice(b" --");
        for o in operands {
            normalized(c, &mut p.out, o);
        }
        p.out.push(b'\n');
        ctx.out.write_all(&p.out)?;
    }
    if p.status != 0 {
        return Err(Error::silent(p.status));
    }
    Ok(())
}

#[derive(PartialEq, Eq)]
enum Mode {
    Permute,
    Require,
    InOrder,
}

struct Parser<'a> {
    c: &'a Ctl,
    name: &'a [u8],
    shorts: &'a [u8],
    mode: Mode,
    colon: bool,
    out: Vec<u8>,
    status: i32,
}

impl<'a> Parser<'a> {
    fn err(&mut self, msg: &[u8]) {
        self.status = 1;
        if !self.c.quiet_errors {
            let line = [self.name, b": ", msg, b"\n"].concat();
            let _ = write_all(stderr_fd(), &line);
        }
    }

    /// A short option's argument kind, or None when it is not one.
    fn short(&self, ch: u8) -> Option<Has> {
        if ch == b':' {
            return None;
        }
        let i = self.shorts.iter().position(|&b| b == ch)?;
        Some(match (self.shorts.get(i + 1), self.shorts.get(i + 2)) {
            (Some(b':'), Some(b':')) => Has::Optional,
            (Some(b':'), _) => Has::Arg,
            _ => Has::No,
        })
    }

    fn emit_short(&mut self, ch: u8, arg: Option<&[u8]>) {
        if self.c.quiet_output {
            return;
        }
        self.out.extend_from_slice(&[b' ', b'-', ch]);
        if self.short(ch).is_some_and(|h| h != Has::No) {
            normalized(self.c, &mut self.out, arg.unwrap_or(b""));
        }
    }

    /// Parse the parameters; returns the operands left for after ` --`.
    fn parse<'p>(&mut self, params: &[&'p [u8]]) -> Vec<&'p [u8]> {
        let mut operands = Vec::new();
        let mut i = 0;
        while i < params.len() {
            let a = params[i];
            i += 1;
            if a == b"--" {
                operands.extend_from_slice(&params[i..]);
                break;
            }
            if a.len() < 2 || a[0] != b'-' {
                match self.mode {
                    Mode::Permute => operands.push(a),
                    Mode::InOrder => {
                        if !self.c.quiet_output {
                            normalized(self.c, &mut self.out, a);
                        }
                    }
                    Mode::Require => {
                        operands.extend_from_slice(&params[i - 1..]);
                        break;
                    }
                }
                continue;
            }
            if a[1] == b'-' {
                self.long(&a[2..], b"--", params, &mut i);
                continue;
            }
            if self.c.alternative && (a.len() > 2 || self.short(a[1]).is_none()) {
                let body = &a[1..];
                let nm = &body[..body.iter().position(|&b| b == b'=').unwrap_or(body.len())];
                let found = self.c.longs.iter().any(|(n, _)| n.starts_with(nm));
                if found || self.short(a[1]).is_none() {
                    self.long(body, b"-", params, &mut i);
                    continue;
                }
            }
            // A cluster of short options.
            let mut k = 1;
            while k < a.len() {
                let ch = a[k];
                k += 1;
                match self.short(ch) {
                    None => {
                        self.err(&[b"invalid option -- '", &[ch][..], b"'"].concat());
                    }
                    Some(Has::No) => self.emit_short(ch, None),
                    Some(h) => {
                        if k < a.len() {
                            self.emit_short(ch, Some(&a[k..]));
                        } else if h == Has::Optional {
                            self.emit_short(ch, None);
                        } else if i < params.len() {
                            i += 1;
                            self.emit_short(ch, Some(params[i - 1]));
                        } else if self.colon {
                            self.status = 1;
                        } else {
                            self.err(
                                &[b"option requires an argument -- '", &[ch][..], b"'"].concat(),
                            );
                        }
                        break;
                    }
                }
            }
        }
        operands
    }

    /// A long option (`body` after the dashes `prefix`), glibc's matching and messages.
    fn long(&mut self, body: &[u8], prefix: &[u8], params: &[&[u8]], i: &mut usize) {
        let (nm, val) = match body.iter().position(|&b| b == b'=') {
            Some(p) => (&body[..p], Some(&body[p + 1..])),
            None => (body, None),
        };
        let longs = &self.c.longs;
        let exact = longs.iter().position(|(n, _)| n == nm);
        let found = exact.or_else(|| {
            let m: Vec<usize> = (0..longs.len())
                .filter(|&k| longs[k].0.starts_with(nm))
                .collect();
            match m.len() {
                0 => None,
                1 => Some(m[0]),
                // Several matches are ambiguous, even one name listed twice (glibc).
                _ => Some(usize::MAX),
            }
        });
        let whole = [prefix, body].concat();
        let Some(idx) = found else {
            self.err(&[b"unrecognized option '", &whole[..], b"'"].concat());
            return;
        };
        if idx == usize::MAX {
            let mut m = [b"option '", &whole[..], b"' is ambiguous; possibilities:"].concat();
            for (n, _) in longs.iter().filter(|(n, _)| n.starts_with(nm)) {
                m.extend_from_slice(b" '");
                m.extend_from_slice(prefix);
                m.extend_from_slice(n);
                m.push(b'\'');
            }
            self.err(&m);
            return;
        }
        let (lname, has) = longs[idx].clone();
        let full = [prefix, &lname[..]].concat();
        let arg = match (has, val) {
            (Has::No, Some(_)) => {
                self.err(&[b"option '", &full[..], b"' doesn't allow an argument"].concat());
                return;
            }
            (_, Some(v)) => Some(v),
            (Has::Arg, None) => {
                if *i < params.len() {
                    *i += 1;
                    Some(params[*i - 1])
                } else {
                    if self.colon {
                        self.status = 1;
                    } else {
                        self.err(&[b"option '", &full[..], b"' requires an argument"].concat());
                    }
                    return;
                }
            }
            _ => None,
        };
        if self.c.quiet_output {
            return;
        }
        self.out.extend_from_slice(b" --");
        self.out.extend_from_slice(&lname);
        if has != Has::No {
            normalized(self.c, &mut self.out, arg.unwrap_or(b""));
        }
    }
}
