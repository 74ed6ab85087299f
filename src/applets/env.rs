//! `env`: run a command in a modified environment, or print the environment.
//!
//! GNU coreutils 9 `env`: `-i`/`--ignore-environment` (and a lone `-`), `-u`/`--unset=NAME`,
//! `-0`/`--null`, `-C`/`--chdir=DIR`, `-S`/`--split-string=S` (GNU's splitting: quotes,
//! `\_ \c \n \t ...`, `${VAR}`, `#` comments; the words are parsed again as options), then
//! `NAME=VALUE` operands and the command. Options end at the first operand. The command is
//! found as execvp finds it (see `common::exec`), with rbox's applets as the fallback when it
//! is not on PATH. Statuses as GNU: 125 for env's own errors, 126 found but not runnable, 127
//! not found, else the command's. `--default-signal[=SIG]` (it also unblocks),
//! `--ignore-signal[=SIG]`, `--block-signal[=SIG]` (SIG: names or numbers, comma-separated;
//! none: every signal, those that cannot be changed left alone) and `--list-signal-handling`
//! (the ignored and blocked ones, on stderr) set what the command starts with, as GNU 9.1.
//! Deviations: `-v`/`--debug` prints nothing; signal 34 (glibc's RTMIN) is one musl keeps for
//! itself, so it is neither changed nor listed.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{self, Arg, Getopt, Opt, Order, Spec};
use crate::common::exec;
use crate::common::help::help_text;
use crate::common::{ctx, quote, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("ignore-environment", Some(b'i'), Some("ignore-environment")),
        Opt::flag("null", Some(b'0'), Some("null")),
        Opt::arg("unset", Some(b'u'), Some("unset")),
        Opt::arg("chdir", Some(b'C'), Some("chdir")),
        Opt::arg("split-string", Some(b'S'), Some("split-string")),
        Opt::flag("debug", Some(b'v'), Some("debug")),
        Opt::optional("block-signal", None, Some("block-signal")),
        Opt::optional("default-signal", None, Some("default-signal")),
        Opt::optional("ignore-signal", None, Some("ignore-signal")),
        Opt::flag("list-signal-handling", None, Some("list-signal-handling")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
        // `#!/usr/bin/env -i cmd` hands "-i cmd" over as one word: GNU's hint.
        Opt::flag(" ", Some(b' '), None),
        Opt::flag("\t", Some(b'\t'), None),
        Opt::flag("\n", Some(b'\n'), None),
        Opt::flag("\x0b", Some(0x0b), None),
        Opt::flag("\x0c", Some(0x0c), None),
        Opt::flag("\r", Some(b'\r'), None),
    ],
    help_text!(
        "\
Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]
Set each NAME to VALUE in the environment and run COMMAND.

Mandatory arguments to long options are mandatory for short options too.
  -i, --ignore-environment  start with an empty environment
  -0, --null           end each output line with NUL, not newline
  -u, --unset=NAME     remove variable from the environment
  -C, --chdir=DIR      change working directory to DIR
  -S, --split-string=S  process and split S into separate arguments;
                        used to pass multiple arguments on shebang lines
      --block-signal[=SIG]    block delivery of SIG signal(s) to COMMAND
      --default-signal[=SIG]  reset handling of SIG signal(s) to the default
      --ignore-signal[=SIG]   set handling of SIG signal(s) to do nothing
      --list-signal-handling  list non default signal handling to stderr
  -v, --debug          print verbose information for each processing step
      --help        display this help and exit
      --version     output version information and exit

A mere - implies -i.  If no COMMAND, print the resulting environment.

SIG may be a signal name like 'PIPE', or a signal number like '13'.
Without SIG, all known signals are included.  Multiple signals can be
comma-separated.
"
    ),
)
.code(125)
.require_order();

const SPACE: &[u8] = b" \t\n\x0b\x0c\r";

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = match run(argv, ctx) {
        Ok(Some(st)) => return st,
        Ok(None) => ctx.finish(Ok(())),
        Err(e) => ctx.finish(Err(e)),
    };
    // Every failure of env itself, a write error included, is 125 (GNU's exit_failure).
    if r != 0 {
        125
    } else {
        0
    }
}

fn die(msg: &[u8]) -> Error {
    Error::new(125, msg)
}

/// `Ok(Some(status))`: the command ran (as an applet here) or failed to; `Ok(None)`: finish.
fn run(mut argv: Vec<OsString>, ctx: &mut Ctx) -> Result<Option<i32>> {
    let mut ignore = false;
    let mut null = false;
    let mut unset: Vec<OsString> = Vec::new();
    let mut dir: Option<OsString> = None;
    let mut rest: Vec<OsString> = Vec::new();
    let mut sigs = Signals::new();
    'parse: loop {
        let mut g = Getopt::new(&argv, SPEC.opts, Order::RequireOrder);
        while let Some(a) = g.next() {
            let a = match a {
                Ok(a) => a,
                Err(msg) => return Err(args::usage_error(ctx, &SPEC, &msg, 125)),
            };
            match a {
                Arg::Operand(v) => rest.push(v),
                Arg::Opt(o, v) => match Id::of(o.id().as_bytes()) {
                    Some(Id::Help) | Some(Id::Version) => {
                        args::answer(ctx, &SPEC, o.id())?;
                        return Ok(None);
                    }
                    Some(Id::IgnoreEnvironment) => ignore = true,
                    Some(Id::Null) => null = true,
                    Some(Id::Debug) => {}
                    Some(Id::DefaultSignal) => {
                        let set = sig_list(ctx, v.as_deref())?;
                        sigs.action(set, Action::Default);
                        sigs.mask(set, false);
                    }
                    Some(Id::IgnoreSignal) => {
                        sigs.action(sig_list(ctx, v.as_deref())?, Action::Ignore)
                    }
                    Some(Id::BlockSignal) => sigs.mask(sig_list(ctx, v.as_deref())?, true),
                    Some(Id::ListSignalHandling) => sigs.list = true,
                    Some(Id::Unset) => unset.extend(v),
                    Some(Id::Chdir) => dir = v,
                    Some(Id::SplitString) => {
                        let words = split(v.unwrap_or_default().as_bytes())?;
                        let next = g.next_index();
                        let mut n = Vec::with_capacity(words.len() + argv.len());
                        n.push(argv[0].clone());
                        n.extend(words.into_iter().map(OsString::from_vec));
                        n.extend(argv[next..].iter().cloned());
                        argv = n;
                        continue 'parse;
                    }
                    _ => {
                        let space = o.id();
                        let mut m = b"invalid option -- '".to_vec();
                        m.extend_from_slice(space.as_bytes());
                        m.push(b'\'');
                        ctx.msg(&m);
                        ctx.msg(b"use -[v]S to pass options in shebang lines");
                        ctx.try_help();
                        return Err(Error::silent(125));
                    }
                },
            }
        }
        break;
    }
    let mut rest = rest.into_iter().peekable();
    if rest.peek().is_some_and(|a| a.as_bytes() == b"-") {
        ignore = true;
        rest.next();
    }
    let mut env = if ignore { Vec::new() } else { exec::environ() };
    if !ignore {
        for name in &unset {
            let n = name.as_bytes();
            if n.is_empty() || n.contains(&b'=') {
                let mut m = b"cannot unset ".to_vec();
                m.extend_from_slice(&quote::quote_locale(n));
                m.extend_from_slice(b": Invalid argument");
                return Err(die(&m));
            }
            env.retain(|e| !(e.starts_with(n) && e.get(n.len()) == Some(&b'=')));
        }
    }
    while let Some(a) = rest.next_if(|a| a.as_bytes().contains(&b'=')) {
        let a = a.into_vec();
        let eq = a.iter().position(|&c| c == b'=').unwrap_or(0);
        let key = &a[..=eq];
        match env.iter_mut().find(|e| e.starts_with(key)) {
            Some(e) => *e = a,
            None => env.push(a),
        }
    }
    let cmd: Vec<Vec<u8>> = rest.map(OsString::into_vec).collect();
    if cmd.is_empty() {
        if dir.is_some() {
            return Err(args::usage_error(
                ctx,
                &SPEC,
                b"must specify command with --chdir (-C)",
                125,
            ));
        }
        let end = if null { b'\0' } else { b'\n' };
        for e in &env {
            ctx.out.write_all(e)?;
            ctx.out.byte(end)?;
        }
        return Ok(None);
    }
    if null {
        return Err(args::usage_error(
            ctx,
            &SPEC,
            b"cannot specify --null (-0) with command",
            125,
        ));
    }
    sigs.apply()?;
    if let Some(d) = dir {
        if let Err(e) = crate::common::sys::process::chdir(d.as_bytes()) {
            let mut m = b"cannot change directory to ".to_vec();
            m.extend_from_slice(&quote::quote_always(d.as_bytes()));
            m.extend_from_slice(b": ");
            m.extend_from_slice(ctx::strerror(&e).as_bytes());
            return Err(die(&m));
        }
    }
    ctx.out.flush()?;
    match exec::exec(&cmd, &env).status() {
        Ok(st) => Ok(Some(st)),
        Err((code, e)) => {
            let mut m = quote::quote_locale(&cmd[0]);
            m.extend_from_slice(b": ");
            m.extend_from_slice(ctx::strerror(&e).as_bytes());
            ctx.msg(&m);
            if code == 127 && cmd[0].iter().any(|c| SPACE.contains(c)) {
                ctx.msg(b"use -[v]S to pass options in shebang lines");
            }
            Ok(Some(code))
        }
    }
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Help = "help",
        Version = "version",
        IgnoreEnvironment = "ignore-environment",
        Null = "null",
        Debug = "debug",
        Unset = "unset",
        Chdir = "chdir",
        SplitString = "split-string",
        BlockSignal = "block-signal",
        DefaultSignal = "default-signal",
        IgnoreSignal = "ignore-signal",
        ListSignalHandling = "list-signal-handling",
    }
}

/// The highest signal number (glibc's SIGRTMAX, as GNU's SIGNUM_BOUND).
const SIGMAX: usize = 64;

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Keep,
    Default,
    Ignore,
}

/// What the signal options asked for the command, applied just before it starts.
struct Signals {
    /// Per signal: the disposition, and whether a failure to set it is an error (a signal
    /// named) or not (every signal: some cannot be changed).
    action: [(Action, bool); SIGMAX + 1],
    /// Per signal: Some(true) block, Some(false) unblock.
    mask: [Option<bool>; SIGMAX + 1],
    list: bool,
}

/// A signal list: a bit per signal, or None for every signal.
type SigList = Option<u128>;

fn sig_list(ctx: &mut Ctx, v: Option<&std::ffi::OsStr>) -> Result<SigList> {
    let Some(v) = v else { return Ok(None) };
    let mut set = 0u128;
    // strtok: empty items between commas do not count.
    for s in v.as_bytes().split(|&c| c == b',').filter(|s| !s.is_empty()) {
        match crate::common::signals::operand_signal(s) {
            Some(n) if n > 0 => set |= 1 << n,
            _ => {
                let mut m = quote::quote_locale(s);
                m.extend_from_slice(b": invalid signal");
                ctx.msg(&m);
                ctx.try_help();
                return Err(Error::silent(125));
            }
        }
    }
    Ok(Some(set))
}

impl Signals {
    fn new() -> Signals {
        Signals {
            action: [(Action::Keep, false); SIGMAX + 1],
            mask: [None; SIGMAX + 1],
            list: false,
        }
    }

    fn action(&mut self, set: SigList, a: Action) {
        for (i, slot) in self.action.iter_mut().enumerate().skip(1) {
            match set {
                None if crate::common::signals::signal_name(i as i32).is_some() => {
                    *slot = (a, false)
                }
                Some(s) if s >> i & 1 == 1 => *slot = (a, true),
                _ => {}
            }
        }
    }

    fn mask(&mut self, set: SigList, block: bool) {
        for (i, slot) in self.mask.iter_mut().enumerate().skip(1) {
            if set.is_none_or(|s| s >> i & 1 == 1) {
                *slot = Some(block);
            }
        }
    }

    fn apply(&self) -> Result<()> {
        use crate::common::sys::signal::{self as sig, Handler, SigSet};
        for (i, &(a, named)) in self.action.iter().enumerate() {
            let h = match a {
                Action::Keep => continue,
                Action::Default => Handler::Default,
                Action::Ignore => Handler::Ignore,
            };
            let r = sig::set_handler(i as i32, h);
            if let (Err(e), true) = (r, named) {
                let m = format!(
                    "failed to set signal action for signal {i}: {}",
                    ctx::strerror(&e)
                );
                return Err(die(m.as_bytes()));
            }
        }
        let failed = |e: std::io::Error| {
            die(format!("failed to set signal process mask: {}", ctx::strerror(&e)).as_bytes())
        };
        if self.mask.iter().any(Option::is_some) {
            let mut set = SigSet::blocked().map_err(failed)?;
            for (i, m) in self.mask.iter().enumerate() {
                match m {
                    Some(true) => set.add(i as i32),
                    Some(false) => set.del(i as i32),
                    None => {}
                }
            }
            sig::sigprocmask(libc::SIG_SETMASK, &set).map_err(failed)?;
        }
        if self.list {
            let mut text = Vec::new();
            let blocked = SigSet::blocked().map_err(failed)?;
            for i in 1..=SIGMAX as i32 {
                let Some(ignored) = sig::ignored(i) else {
                    continue;
                };
                let blocked = blocked.has(i);
                if !ignored && !blocked {
                    continue;
                }
                // glibc's sig2str names 29 by its first name in <signal.h>.
                let name = match i {
                    libc::SIGIO => "POLL".to_string(),
                    _ => crate::common::signals::signal_name(i).unwrap_or_default(),
                };
                let line = format!(
                    "{name:<10} ({i:2}): {}{}{}\n",
                    if blocked { "BLOCK" } else { "" },
                    if blocked && ignored { "," } else { "" },
                    if ignored { "IGNORE" } else { "" }
                );
                text.extend_from_slice(line.as_bytes());
            }
            let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &text);
        }
        Ok(())
    }
}

/// GNU env's `-S` splitting: the words, or env's message (status 125).
fn split(s: &[u8]) -> Result<Vec<Vec<u8>>> {
    struct Words {
        done: Vec<Vec<u8>>,
        cur: Option<Vec<u8>>,
        /// The next byte starts a new word.
        sep: bool,
    }
    impl Words {
        fn begin(&mut self) -> &mut Vec<u8> {
            if self.sep {
                self.done.extend(self.cur.take());
                self.sep = false;
            }
            self.cur.get_or_insert_with(Vec::new)
        }
    }
    let mut w = Words {
        done: Vec::new(),
        cur: None,
        sep: true,
    };
    let (mut sq, mut dq) = (false, false);
    let mut i = 0;
    while i < s.len() {
        let mut c = s[i];
        match c {
            b'\'' if !dq => {
                sq = !sq;
                w.begin();
                i += 1;
                continue;
            }
            b'"' if !sq => {
                dq = !dq;
                w.begin();
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' if !sq && !dq => {
                w.sep = true;
                while i < s.len() && SPACE.contains(&s[i]) {
                    i += 1;
                }
                continue;
            }
            b'#' if w.sep => break,
            b'\\' if !(sq && s.get(i + 1) != Some(&b'\\') && s.get(i + 1) != Some(&b'\'')) => {
                i += 1;
                let Some(&n) = s.get(i) else {
                    return Err(die(b"invalid backslash at end of string in -S"));
                };
                c = match n {
                    b'"' | b'#' | b'$' | b'\'' | b'\\' => n,
                    b'_' if !dq => {
                        i += 1;
                        w.sep = true;
                        continue;
                    }
                    b'_' => b' ',
                    b'c' if dq => {
                        return Err(die(b"'\\c' must not appear in double-quoted -S string"))
                    }
                    b'c' => {
                        sq = false;
                        break;
                    }
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'v' => 0x0b,
                    _ => {
                        let mut m = b"invalid sequence '\\".to_vec();
                        m.push(n);
                        m.extend_from_slice(b"' in -S");
                        return Err(die(&m));
                    }
                };
            }
            b'$' if !sq => {
                let Some(name) = varname(&s[i..]) else {
                    let mut m = b"only ${VARNAME} expansion is supported, error at: ".to_vec();
                    m.extend_from_slice(&s[i..]);
                    return Err(die(&m));
                };
                if let Some(v) = std::env::var_os(std::ffi::OsStr::from_bytes(name)) {
                    w.begin().extend_from_slice(v.as_bytes());
                }
                i += name.len() + 3;
                continue;
            }
            _ => {}
        }
        w.begin().push(c);
        i += 1;
    }
    if sq || dq {
        return Err(die(b"no terminating quote in -S string"));
    }
    w.done.extend(w.cur);
    Ok(w.done)
}

/// `${NAME}` at the start of `s`: the name (a letter or `_`, then letters, digits, `_`).
fn varname(s: &[u8]) -> Option<&[u8]> {
    let b = s.strip_prefix(b"${")?;
    let end = b.iter().position(|&c| c == b'}')?;
    let n = &b[..end];
    let ok = n
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && n.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_');
    ok.then_some(n)
}
