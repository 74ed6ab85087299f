//! Option parsing: ONE GNU getopt_long for every applet, driven by a static table, with glibc's
//! messages.
//!
//! An applet declares its options once, as a `static` [`Spec`]: the [`Opt`] table (in GNU's
//! order, so an ambiguity lists the same possibilities in the same order), the `--help` text, the
//! exit status for a bad command line, and how operands mix with options. [`get`] then parses,
//! answers `--help` and `--version` (options with the ids "help" and "version"), and turns a bad
//! command line into glibc's words — `cat: invalid option -- 'Z'`, `ls: unrecognized option
//! '--foo'`, `tar: option '--file' requires an argument`, `ls: option '--s' is ambiguous;
//! possibilities: '--size' '--si'`, `ls: option requires an argument -- 'w'`,
//! `ls: option '--all' doesn't allow an argument` — followed by `Try 'cat --help' for more
//! information.` and the applet's status:
//!
//! ```ignore
//! use crate::common::args::{self, Opt, Spec};
//!
//! static SPEC: Spec = Spec::new(&[
//!     Opt::flag("number", Some(b'n'), Some("number")),
//!     Opt::arg("width", Some(b'w'), Some("width")),      // -w 80, -w80, --width=80, --wid 80
//!     Opt::optional("color", None, Some("color")),       // --color, --color=never
//!     Opt::flag("help", None, Some("help")),             // answered from `usage`
//!     Opt::flag("version", None, Some("version")),       // "NAME (rbox) VERSION\n" + about
//! ], help_text!("Usage: frob [OPTION]... [FILE]...\n"))
//! .code(2); // bad usage exits 2 (the default is 1)
//!
//! pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
//!     let m = match args::get(ctx, &argv, &SPEC) {
//!         Ok(Some(m)) => m,               // m.flag("number"), m.last("width"), m.operands
//!         Ok(None) => return 0,           // --help or --version answered
//!         Err(e) => return ctx.finish(Err(e)), // message printed; e.code is the status
//!     };
//!     ...
//! }
//! ```
//!
//! Behaviour is glibc's: options and operands may be mixed (permutation) unless
//! `POSIXLY_CORRECT` is set, `--` ends the options, `-` is an operand, short options bundle
//! (`-la`, `-w80`), long options take `--opt=value` or `--opt value` (optional arguments only
//! the attached form) and may be abbreviated to any unambiguous prefix (several prefixes of one
//! option, such as aliases sharing an id, are not ambiguous).
//!
//! Applets whose operands mean something where they stand use [`Spec::in_order`] and [`each`],
//! which hands options and operands to a callback in command-line order (glibc's
//! `RETURN_IN_ORDER`, as GNU tar's argp does: `-C DIR` applies to the names after it, an
//! option's own error comes before a later bad option). [`Spec::old_style`] adds GNU tar's
//! old-style first argument: `tar xzf a.tgz`, `tar cvf - dir` — option letters without a dash,
//! each letter that takes an argument taking the next word in order (`Old option 'f' requires
//! an argument.` when the words run out). [`Spec::try_usage`] words the hint as argp does
//! (`Try 'tar --help' or 'tar --usage' for more information.`), and [`usage_error`] prints an
//! applet's own usage complaint the same way.
//!
//! Applets with their own usage wording (wget) call [`getopt`] and word the failure themselves;
//! [`parse`] is the table-and-usage form older applets call. The table is static data: nothing
//! is built at start-up, and it replaces clap (see README, "Size and speed"): the same behaviour
//! in a few KB instead of ~120 KB.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::ctx::{Ctx, Error, Result};
use super::help::Help;
use super::sys::strs::StrPair;

/// The position of `w` in `words`, a list of names each followed by a NUL (`"a\0b\0"`).
pub fn word_index(words: &str, w: &[u8]) -> Option<usize> {
    words.as_bytes().split(|&b| b == 0).position(|x| x == w)
}

/// An enum of names and the lookup of a name (`E::of`), for code that dispatches on one of
/// many names (option ids, find's primaries): the names are one string searched once, then the
/// `match` is on the variant. A `match` on the strings themselves compiles to a comparison per
/// name (~25 bytes of code each); a table of `(&str, E)` would take 24 bytes of relocated data
/// per name. Variants after `@` have no name (`E::of` never gives them). (A single-applet build
/// may have no user: allowed unused.)
#[allow(unused_macros)]
macro_rules! named {
    ($(#[$m:meta])* enum $E:ident {
        $($v:ident = $s:literal,)*
        $(@ $($(#[$xm:meta])* $x:ident,)*)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum $E {
            $($v,)*
            $($($(#[$xm])* $x,)*)?
        }

        impl $E {
            /// The named variants, in their order.
            #[allow(dead_code)]
            const ALL: &'static [$E] = &[$($E::$v,)*];

            fn of(name: &[u8]) -> Option<$E> {
                const NAMES: &str = concat!($($s, "\0",)*);
                $crate::common::args::word_index(NAMES, name).and_then(|i| Self::ALL.get(i).copied())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use named;

/// Whether an option takes an argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Has {
    No = 0,
    /// `-w 80`, `-w80`, `--width=80`, `--width 80`.
    Arg,
    /// Only attached: `--color=auto`, `--color` alone (glibc's `optional_argument`).
    Optional,
}

/// One option: `id` names it in [`Matches`] and [`Arg`]; at least one of `short` and `long` is
/// set. Aliases (`--get` for `--extract`) are further entries with the same id. Packed in 24
/// bytes ([`StrPair`]: the tables hold 1,100 of them).
#[derive(Clone, Copy)]
pub struct Opt(StrPair);

impl Opt {
    const fn new(id: &'static str, short: Option<u8>, long: Option<&'static str>, has: Has) -> Opt {
        let long = match long {
            Some(l) => {
                assert!(!l.is_empty(), "an empty long option name");
                l
            }
            None => "",
        };
        let short = match short {
            Some(c) => {
                assert!(c != 0, "a NUL short option");
                c
            }
            None => 0,
        };
        Opt(StrPair::new(id, long, short, has as u8))
    }
    pub const fn flag(id: &'static str, short: Option<u8>, long: Option<&'static str>) -> Opt {
        Opt::new(id, short, long, Has::No)
    }
    pub const fn arg(id: &'static str, short: Option<u8>, long: Option<&'static str>) -> Opt {
        Opt::new(id, short, long, Has::Arg)
    }
    pub const fn optional(id: &'static str, short: Option<u8>, long: Option<&'static str>) -> Opt {
        Opt::new(id, short, long, Has::Optional)
    }
    pub fn id(&self) -> &'static str {
        self.0.a()
    }
    pub fn short(&self) -> Option<u8> {
        (self.0.x != 0).then_some(self.0.x)
    }
    pub fn long(&self) -> Option<&'static str> {
        Some(self.0.b()).filter(|l| !l.is_empty())
    }
    pub fn has(&self) -> Has {
        match self.0.y {
            0 => Has::No,
            1 => Has::Arg,
            _ => Has::Optional,
        }
    }
}

impl std::fmt::Debug for Opt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opt")
            .field("id", &self.id())
            .field("short", &self.short())
            .field("long", &self.long())
            .field("has", &self.has())
            .finish()
    }
}

/// How operands and options interleave.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    /// glibc's default: options anywhere (permutation); with `POSIXLY_CORRECT` set the first
    /// operand ends the options.
    Permute,
    /// glibc's `RETURN_IN_ORDER` (an optstring starting with `-`): every option and operand is
    /// reported where it stands; `POSIXLY_CORRECT` does not change it.
    InOrder,
    /// glibc's `REQUIRE_ORDER` (an optstring starting with `+`): the first operand ends the
    /// options, as for commands that run a command (`env`, `timeout`, `nice`, `xargs`).
    RequireOrder,
}

/// Everything an applet says about its command line: one `static` per applet.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub opts: &'static [Opt],
    /// What `--help` prints.
    pub usage: Help,
    /// What `--version` prints after `NAME (rbox) VERSION\n`.
    pub about: &'static str,
    /// Exit status for a bad command line (cat 1, ls 2, tar 64 as argp).
    pub code: i32,
    pub order: Order,
    /// GNU tar's old-style first argument; the status when a letter's argument is missing.
    pub old_style: Option<i32>,
    /// How the `Try '... --help'` hint is worded.
    pub hint: Hint,
}

/// The wording of the hint after a usage error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
    /// `Try 'NAME --help' for more information.` (coreutils).
    Help,
    /// `Try 'NAME --help' or 'NAME --usage' for more information.` (argp: tar).
    HelpOrUsage,
    /// `NAME: Try 'NAME --help' for more information.` (diffutils).
    Named,
}

impl Spec {
    pub const fn new(opts: &'static [Opt], usage: Help) -> Spec {
        Spec {
            opts,
            usage,
            about: "",
            code: 1,
            order: Order::Permute,
            old_style: None,
            hint: Hint::Help,
        }
    }
    pub const fn code(self, code: i32) -> Spec {
        Spec { code, ..self }
    }
    pub const fn about(self, about: &'static str) -> Spec {
        Spec { about, ..self }
    }
    pub const fn in_order(self) -> Spec {
        Spec {
            order: Order::InOrder,
            ..self
        }
    }
    /// Options end at the first operand ([`Order::RequireOrder`]): `env -i cmd -x`.
    pub const fn require_order(self) -> Spec {
        Spec {
            order: Order::RequireOrder,
            ..self
        }
    }
    pub const fn old_style(self, code: i32) -> Spec {
        Spec {
            old_style: Some(code),
            ..self
        }
    }
    pub const fn try_usage(self) -> Spec {
        Spec {
            hint: Hint::HelpOrUsage,
            ..self
        }
    }
    /// The hint as diffutils words it, after the program's name.
    pub const fn named_hint(self) -> Spec {
        Spec {
            hint: Hint::Named,
            ..self
        }
    }
}

/// One item of the command line, in order.
#[derive(Debug)]
pub enum Arg<'t> {
    /// An option and its argument (`None` for a flag or an optional argument left out).
    Opt(&'t Opt, Option<OsString>),
    Operand(OsString),
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
    /// `--context=CTX` (SELinux/SMACK labels, option id "context"): with no such kernel GNU
    /// warns and goes on; `-Z` and a bare `--context` pass silently. `kernels` is how the
    /// tool words it (`SELinux` for cp and install, `SELinux/SMACK` for mkdir, mknod, mkfifo).
    pub fn warn_context(&self, ctx: &mut Ctx, kernels: &str) {
        if self.last("context").is_some_and(|c| !c.is_empty()) {
            let m = format!("warning: ignoring --context; it requires an {kernels}-enabled kernel");
            ctx.msg(m.as_bytes());
        }
    }
    pub fn values<'a>(&'a self, id: &'a str) -> impl DoubleEndedIterator<Item = &'a OsString> {
        self.opts
            .iter()
            .filter(move |o| o.0 == id)
            .filter_map(|o| o.1.as_ref())
    }
    fn push(&mut self, a: Arg<'static>) {
        match a {
            Arg::Opt(o, v) => self.opts.push((o.id(), v)),
            Arg::Operand(v) => self.operands.push(v),
        }
    }
}

/// The getopt_long cursor: yields the command line's options and operands one at a time
/// (argument 0 is skipped). `Err` is glibc's message without the `program: ` prefix, holding the
/// user's bytes as typed; nothing follows it.
pub struct Getopt<'a, 't> {
    argv: &'a [OsString],
    table: &'t [Opt],
    /// Next word.
    i: usize,
    /// Inside a short cluster: its word and the next letter's offset (0: not in one).
    word: usize,
    k: usize,
    /// Everything left is an operand (after `--`, or the first operand under POSIXLY_CORRECT).
    rest: bool,
    require_order: bool,
    done: bool,
}

impl<'a, 't> Getopt<'a, 't> {
    #[inline(never)]
    pub fn new(argv: &'a [OsString], table: &'t [Opt], order: Order) -> Self {
        let require_order = order == Order::RequireOrder
            || (order == Order::Permute && std::env::var_os("POSIXLY_CORRECT").is_some());
        Getopt {
            argv,
            table,
            i: 1,
            word: 0,
            k: 0,
            rest: false,
            require_order,
            done: false,
        }
    }

    /// The index of the next word to be read, once an option or operand has been returned whole
    /// (not inside a cluster of short options): what follows an option the applet handles by
    /// restarting on a new command line (`env -S`).
    pub fn next_index(&self) -> usize {
        self.i
    }

    fn short(&mut self) -> std::result::Result<Arg<'t>, Vec<u8>> {
        let a = self.argv[self.word].as_bytes();
        let c = a[self.k];
        self.k += 1;
        let at_end = self.k == a.len();
        let Some(o) = self.table.iter().find(|o| o.short() == Some(c)) else {
            return Err(quoted(b"invalid option -- ", &[c]));
        };
        let v = if o.has() == Has::No {
            None
        } else if !at_end {
            let v = OsString::from_vec(a[self.k..].to_vec());
            self.k = 0;
            Some(v)
        } else if o.has() == Has::Optional {
            None
        } else if let Some(v) = self.argv.get(self.i) {
            self.i += 1;
            Some(v.clone())
        } else {
            return Err(quoted(b"option requires an argument -- ", &[c]));
        };
        if at_end {
            self.k = 0;
        }
        Ok(Arg::Opt(o, v))
    }

    fn long(&mut self, whole: &[u8]) -> std::result::Result<Arg<'t>, Vec<u8>> {
        let body = &whole[2..];
        let (name, val) = match body.iter().position(|&b| b == b'=') {
            Some(p) => (&body[..p], Some(&body[p + 1..])),
            None => (body, None),
        };
        let o = find_long(self.table, name, whole)?;
        let long = o.long().unwrap_or_default();
        let v = match (o.has(), val) {
            (Has::No, Some(_)) => {
                return Err(format!("option '--{long}' doesn't allow an argument").into())
            }
            (Has::No, None) | (Has::Optional, None) => None,
            (_, Some(v)) => Some(OsString::from_vec(v.to_vec())),
            (Has::Arg, None) => match self.argv.get(self.i) {
                Some(v) => {
                    self.i += 1;
                    Some(v.clone())
                }
                None => return Err(format!("option '--{long}' requires an argument").into()),
            },
        };
        Ok(Arg::Opt(o, v))
    }
}

impl<'t> Iterator for Getopt<'_, 't> {
    type Item = std::result::Result<Arg<'t>, Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = if self.k > 0 {
            self.short()
        } else {
            loop {
                let a = self.argv.get(self.i)?;
                self.i += 1;
                let b = a.as_bytes();
                if self.rest {
                    break Ok(Arg::Operand(a.clone()));
                }
                if b == b"--" {
                    self.rest = true;
                    continue;
                }
                if b.len() < 2 || b[0] != b'-' {
                    self.rest = self.require_order;
                    break Ok(Arg::Operand(a.clone()));
                }
                if b[1] == b'-' {
                    break self.long(b);
                }
                self.word = self.i - 1;
                self.k = 1;
                break self.short();
            }
        };
        self.done = r.is_err();
        Some(r)
    }
}

/// Parse `argv` (argument 0 is the program name) with glibc's default ordering. `Err` is glibc's
/// message without the `program: ` prefix; it holds the user's bytes as typed, as glibc prints
/// them.
pub fn getopt(argv: &[OsString], table: &[Opt]) -> std::result::Result<Matches, Vec<u8>> {
    let mut m = Matches::default();
    for a in Getopt::new(argv, table, Order::Permute) {
        match a? {
            Arg::Opt(o, v) => m.opts.push((o.id(), v)),
            Arg::Operand(v) => m.operands.push(v),
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

/// An exact long name, else the first option whose long name starts with `name`. glibc's rule:
/// a later candidate that is not the same option as the first (id and argument) makes it
/// ambiguous, and the message lists the first and every such candidate in table order.
fn find_long<'t>(
    table: &'t [Opt],
    name: &[u8],
    whole: &[u8],
) -> std::result::Result<&'t Opt, Vec<u8>> {
    let mut found: Option<&Opt> = None;
    let mut ambiguous = false;
    if !name.is_empty() {
        for o in table {
            let Some(l) = o.long() else { continue };
            if l.as_bytes() == name {
                return Ok(o);
            }
            if l.as_bytes().starts_with(name) {
                match found {
                    None => found = Some(o),
                    Some(f) if f.id() != o.id() || f.has() != o.has() => ambiguous = true,
                    _ => {}
                }
            }
        }
    }
    let Some(first) = found else {
        return Err(quoted(b"unrecognized option ", whole));
    };
    if !ambiguous {
        return Ok(first);
    }
    let mut msg = quoted(b"option ", whole);
    msg.extend_from_slice(b" is ambiguous; possibilities:");
    for o in table {
        let Some(l) = o.long() else { continue };
        let listed = std::ptr::eq(o, first) || o.id() != first.id() || o.has() != first.has();
        if listed && l.as_bytes().starts_with(name) {
            msg.extend_from_slice(b" '--");
            msg.extend_from_slice(l.as_bytes());
            msg.push(b'\'');
        }
    }
    Err(msg)
}

/// GNU tar's old style: a first argument without a dash bundles option letters; each letter
/// that takes an argument takes the next word, in order (`tar cfb a.tar 20 dir`). The result is
/// the command line as dashed options (`-c -f a.tar -b 20 dir`), parsed as usual afterwards, so
/// an unknown letter is getopt's `invalid option`. `Err(letter)`: the words ran out.
fn explode(argv: &[OsString], table: &[Opt]) -> std::result::Result<Vec<OsString>, u8> {
    let mut out = Vec::with_capacity(argv.len() + 4);
    out.push(argv[0].clone());
    let mut rest = argv[2..].iter();
    for &c in argv[1].as_bytes() {
        out.push(OsString::from_vec(vec![b'-', c]));
        if table
            .iter()
            .any(|o| o.short() == Some(c) && o.has() == Has::Arg)
        {
            out.push(rest.next().ok_or(c)?.clone());
        }
    }
    out.extend(rest.cloned());
    Ok(out)
}

/// GNU's `extra operand 'X'`, quoted as its `quote` does (a newline shows as `\n`).
pub fn extra_operand_msg(x: &[u8]) -> Vec<u8> {
    [&b"extra operand "[..], &super::quote::quote_locale(x)].concat()
}

/// `extra operand 'X'` reported as a usage error ([`usage_error`]).
pub fn extra_operand(ctx: &mut Ctx, spec: &Spec, x: &[u8], code: i32) -> Error {
    usage_error(ctx, spec, &extra_operand_msg(x), code)
}

/// Report a usage error the applet's way: `name: msg`, then the hint; `Error` carries `code`.
pub fn usage_error(ctx: &mut Ctx, spec: &Spec, msg: &[u8], code: i32) -> Error {
    ctx.msg(msg);
    match spec.hint {
        Hint::Help => ctx.try_help(),
        Hint::HelpOrUsage => {
            let line = format!(
                "Try '{0} --help' or '{0} --usage' for more information.\n",
                ctx.name
            );
            super::io::write_all(super::io::stderr_fd(), line.as_bytes()).ok();
        }
        Hint::Named => {
            let line = format!("Try '{} --help' for more information.", ctx.name);
            ctx.msg(line.as_bytes());
        }
    }
    Error::silent(code)
}

/// Walk the command line in order, handing each option and operand to `f` (with
/// [`Order::Permute`] the operands come where they stand too; collect them if order does not
/// matter). `--help` and `--version` are answered from `spec` when they come up. `Ok(false)`:
/// answered, or `f` returned `false`; stop and exit 0. A bad command line has been reported when
/// `Err` comes back.
pub fn each(
    ctx: &mut Ctx,
    argv: &[OsString],
    spec: &Spec,
    f: impl FnMut(&mut Ctx, Arg<'static>) -> Result<bool>,
) -> Result<bool> {
    each_with(ctx, argv, &[], spec, f)
}

/// [`each`] with `extra` words put after the program's name once an old-style first argument
/// is exploded (GNU tar's `TAR_OPTIONS`, which `tar cf a.tar dir` takes too).
pub fn each_with(
    ctx: &mut Ctx,
    argv: &[OsString],
    extra: &[OsString],
    spec: &Spec,
    mut f: impl FnMut(&mut Ctx, Arg<'static>) -> Result<bool>,
) -> Result<bool> {
    let exploded;
    let mut argv = argv;
    if let Some(code) = spec.old_style {
        if argv.len() > 1 && argv[1].as_bytes().first() != Some(&b'-') {
            match explode(argv, spec.opts) {
                Ok(v) => exploded = v,
                Err(c) => {
                    let m = format!("Old option '{}' requires an argument.", c as char);
                    return Err(usage_error(ctx, spec, m.as_bytes(), code));
                }
            }
            argv = &exploded;
        }
    }
    let spliced: Vec<OsString>;
    if !extra.is_empty() && !argv.is_empty() {
        spliced = [&argv[..1], extra, &argv[1..]].concat();
        argv = &spliced;
    }
    for a in Getopt::new(argv, spec.opts, spec.order) {
        let a = match a {
            Ok(a) => a,
            Err(msg) => return Err(usage_error(ctx, spec, &msg, spec.code)),
        };
        match a {
            Arg::Opt(o, _) if o.id() == "help" || o.id() == "version" => {
                answer(ctx, spec, o.id())?;
                return Ok(false);
            }
            a => {
                if !f(ctx, a)? {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

/// Answer `--help` (`id` "help": the usage text) or `--version` (`NAME (rbox) VERSION` and the
/// spec's `about`), for applets that walk a [`Getopt`] themselves.
pub fn answer(ctx: &mut Ctx, spec: &Spec, id: &str) -> Result<()> {
    if id == "help" {
        ctx.out.write_all(&spec.usage.bytes())?;
    } else {
        let v = format!("{} (rbox) {}\n", ctx.name, env!("CARGO_PKG_VERSION"));
        ctx.out.write_all(v.as_bytes())?;
        ctx.out.write_all(spec.about.as_bytes())?;
    }
    Ok(())
}

/// Parse an applet's command line by its [`Spec`]. `Ok(None)`: `--help` or `--version` was
/// answered; return 0. `Err`: reported already (the status is in it).
pub fn get(ctx: &mut Ctx, argv: &[OsString], spec: &Spec) -> Result<Option<Matches>> {
    let mut m = Matches::default();
    let done = each(ctx, argv, spec, |_, a| {
        m.push(a);
        Ok(true)
    })?;
    Ok(done.then_some(m))
}

/// GNU's tools that take no options but answer `--help` and `--version` when it is the only
/// argument, spelt out (no abbreviation): true, false, echo, printf, `[`. `Some(status)`: it was
/// answered (0, or 1 after a write error, reported); `None`: go on with `argv` as it is.
pub fn lone_help_version(ctx: &mut Ctx, argv: &[OsString], usage: Help) -> Option<i32> {
    if argv.len() != 2 {
        return None;
    }
    let text = match argv[1].as_bytes() {
        b"--help" => usage.bytes(),
        b"--version" => format!("{} (rbox) {}\n", ctx.name, env!("CARGO_PKG_VERSION")).into_bytes(),
        _ => return None,
    };
    let r = ctx.out.write_all(&text).map_err(|e| Error::write(&e));
    Some(ctx.finish(r))
}

/// Parse `argv` for an applet with GNU coreutils conventions. `Ok(None)` means `--help` was
/// answered (the table must have an option with id "help") and the applet should return 0.
/// `usage` is the applet's help text, `code` its exit status for bad usage (1 for cat, 2 for
/// ls). New applets use a [`Spec`] and [`get`], which answer `--version` too.
pub fn parse(
    ctx: &mut Ctx,
    argv: &[OsString],
    table: &[Opt],
    usage: Help,
    code: i32,
) -> Result<Option<Matches>> {
    match getopt(argv, table) {
        Ok(m) if m.flag("help") => {
            ctx.out.write_all(&usage.bytes())?;
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

/// gnulib's `argmatch`/`XARGMATCH` for an option's argument (`--reflink=auto`,
/// `--interactive=once`): an exact name, or a prefix of names that all mean the same value.
/// Otherwise prints GNU's `invalid argument 'x' for '--opt'` (or `ambiguous argument`), the
/// `Valid arguments are:` list (synonyms on one line) and the help hint, and returns the
/// error with `code`.
pub fn argmatch<T: Copy + PartialEq>(
    ctx: &mut Ctx,
    opt: &str,
    arg: &[u8],
    table: &[(&str, T)],
    code: i32,
) -> Result<T> {
    argmatch_find(arg, table).map_err(|ambiguous| {
        argmatch_fail(ctx, opt, arg, ambiguous);
        argmatch_list(table);
        ctx.try_help();
        Error::silent(code)
    })
}

/// The lookup alone: `Err(true)` when the prefix names different values, `Err(false)` when
/// nothing matches. An empty argument is a prefix of every name, hence ambiguous, as in GNU
/// (`--color=`).
pub fn argmatch_find<T: Copy + PartialEq>(
    arg: &[u8],
    table: &[(&str, T)],
) -> std::result::Result<T, bool> {
    let mut found: Option<T> = None;
    let mut ambiguous = false;
    for &(name, v) in table {
        if name.as_bytes() == arg {
            return Ok(v);
        }
        if name.as_bytes().starts_with(arg) {
            match found {
                None => found = Some(v),
                Some(f) if f != v => ambiguous = true,
                _ => {}
            }
        }
    }
    match found {
        Some(v) if !ambiguous => Ok(v),
        _ => Err(ambiguous),
    }
}

/// `invalid argument 'x' for 'WHAT'` (or `ambiguous argument`) on stderr.
pub fn argmatch_fail(ctx: &mut Ctx, what: &str, arg: &[u8], ambiguous: bool) {
    let mut m: Vec<u8> = if ambiguous {
        b"ambiguous argument ".to_vec()
    } else {
        b"invalid argument ".to_vec()
    };
    super::quote::quote_into(&mut m, arg, super::quote::Style::Locale);
    push_fmt(&mut m, format_args!(" for '{what}'"));
    ctx.msg(&m);
}

/// `Valid arguments are:` and the names, synonyms (the same value next to each other) on one
/// line.
fn argmatch_list<T: Copy + PartialEq>(table: &[(&str, T)]) {
    let mut list = String::from("Valid arguments are:");
    let mut prev: Option<T> = None;
    for &(name, v) in table {
        if prev == Some(v) {
            let _ = write!(list, ", '{name}'");
        } else {
            let _ = write!(list, "\n  - '{name}'");
        }
        prev = Some(v);
    }
    list.push('\n');
    super::io::write_all(super::io::stderr_fd(), list.as_bytes()).ok();
}

/// The POSIX version GNU tools follow (`_POSIX2_VERSION`, a whole number, else 200809): below
/// 200112 they take forms POSIX.1-2001 dropped (`touch MMDDhhmm[YY] FILE`).
pub fn posix2_version() -> i64 {
    std::env::var("_POSIX2_VERSION")
        .ok()
        .filter(|v| !v.is_empty())
        .and_then(|v| v.parse().ok())
        .unwrap_or(200809)
}

#[cfg(test)]
mod tests {
    use super::*;

    named! {
        enum Word {
            Alpha = "alpha",
            Be = "be",
            @
            Other,
        }
    }

    #[test]
    fn named_finds_each_name_and_nothing_else() {
        assert!(Word::of(b"alpha") == Some(Word::Alpha));
        assert!(Word::of(b"be") == Some(Word::Be));
        assert!(Word::Other != Word::Be);
        for w in [&b""[..], b"b", b"alph", b"alpha\0", b"bee"] {
            assert!(Word::of(w).is_none(), "{w:?}");
        }
        assert_eq!(word_index("a\0bc\0", b"bc"), Some(1));
    }

    const T: &[Opt] = &[
        Opt::flag("all", Some(b'a'), Some("all")),
        Opt::arg("width", Some(b'w'), Some("width")),
        Opt::optional("color", None, Some("color")),
        Opt::flag("size", Some(b's'), Some("size")),
        Opt::flag("si", None, Some("si")),
        Opt::flag("help", None, Some("help")),
    ];

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("prog")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn run(args: &[&str]) -> std::result::Result<Matches, String> {
        getopt(&argv(args), T).map_err(|e| String::from_utf8(e).unwrap())
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
        let m = run(&["-as", "--width=", "--si"]).unwrap();
        assert_eq!(m.count("all") + m.count("size") + m.count("si"), 3);
        assert_eq!(m.last("width").unwrap(), "");
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
        // The first error ends the parse, whatever follows.
        assert_eq!(e(&["x", "-q", "--foo"]), "invalid option -- 'q'");
    }

    /// Aliases share an id: their common prefix is not ambiguous, and an ambiguity lists the
    /// first candidate and those that differ from it, in table order (glibc).
    #[test]
    fn aliases_and_ambiguity_order() {
        const A: &[Opt] = &[
            Opt::flag("extract", Some(b'x'), Some("extract")),
            Opt::flag("extract", None, Some("get")),
            Opt::flag("gzip", Some(b'z'), Some("gzip")),
            Opt::flag("gzip", None, Some("gunzip")),
            Opt::arg("group", None, Some("group")),
        ];
        let e = getopt(&argv(&["--g"]), A).unwrap_err();
        assert_eq!(
            String::from_utf8(e).unwrap(),
            "option '--g' is ambiguous; possibilities: '--get' '--gzip' '--gunzip' '--group'"
        );
        let m = getopt(&argv(&["--gu", "--ge"]), A).unwrap();
        assert_eq!(m.opts, [("gzip", None), ("extract", None)]);
    }

    const TAR: &[Opt] = &[
        Opt::flag("create", Some(b'c'), Some("create")),
        Opt::flag("extract", Some(b'x'), Some("extract")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("gzip", Some(b'z'), Some("gzip")),
        Opt::arg("file", Some(b'f'), Some("file")),
        Opt::arg("blocking-factor", Some(b'b'), Some("blocking-factor")),
        Opt::arg("directory", Some(b'C'), Some("directory")),
        Opt::arg("exclude", None, Some("exclude")),
        Opt::flag("help", Some(b'?'), Some("help")),
    ];
    static TAR_SPEC: Spec = Spec::new(TAR, crate::common::help::help_text!("usage\n"))
        .code(64)
        .in_order()
        .old_style(2)
        .try_usage();

    /// What `each` hands over, as text: `-id=value` for options, the operand itself otherwise.
    fn walk(args: &[&str]) -> std::result::Result<Vec<String>, i32> {
        let mut ctx = Ctx::new("tar");
        let mut got = Vec::new();
        let r = each(&mut ctx, &argv(args), &TAR_SPEC, |_, a| {
            got.push(match a {
                Arg::Opt(o, None) => format!("-{}", o.id()),
                Arg::Opt(o, Some(v)) => format!("-{}={}", o.id(), v.to_str().unwrap()),
                Arg::Operand(v) => v.into_string().unwrap(),
            });
            Ok(true)
        });
        match r {
            Ok(true) => Ok(got),
            Ok(false) => Err(0),
            Err(e) => Err(e.code),
        }
    }

    #[test]
    fn in_order_keeps_operands_in_place() {
        let w = walk(&["-cf", "a.tar", "x", "-C", "d", "y", "--exclude=*.o", "z"]).unwrap();
        assert_eq!(
            w,
            [
                "-create",
                "-file=a.tar",
                "x",
                "-directory=d",
                "y",
                "-exclude=*.o",
                "z"
            ]
        );
        let w = walk(&["-x", "--", "-C", "d"]).unwrap();
        assert_eq!(w, ["-extract", "-C", "d"]);
    }

    #[test]
    fn old_style_first_argument() {
        // Letters with arguments take the following words in order.
        let w = walk(&["cvfb", "-", "20", "dir", "-C", "d", "e"]).unwrap();
        assert_eq!(
            w,
            [
                "-create",
                "-verbose",
                "-file=-",
                "-blocking-factor=20",
                "dir",
                "-directory=d",
                "e"
            ]
        );
        assert_eq!(
            walk(&["xzf", "a.tgz"]).unwrap(),
            ["-extract", "-gzip", "-file=a.tgz"]
        );
        // Dashed first argument: ordinary bundling, the argument attached or next.
        assert_eq!(
            walk(&["-xzf", "a.tgz", "m"]).unwrap(),
            ["-extract", "-gzip", "-file=a.tgz", "m"]
        );
        assert_eq!(walk(&["-xfz"]).unwrap(), ["-extract", "-file=z"]);
        // Missing words: GNU tar's own message and status; unknown letters are getopt's.
        assert_eq!(walk(&["xf"]), Err(2));
        assert_eq!(walk(&["qf"]), Err(2));
        assert_eq!(walk(&["xqf", "a"]), Err(64));
        // Only the first argument is old style.
        assert_eq!(walk(&["-x", "vf"]).unwrap(), ["-extract", "vf"]);
        // `--help` is answered where it stands; a bad option before it wins.
        assert_eq!(walk(&["x?"]), Err(0));
        assert_eq!(walk(&["--foo", "--help"]), Err(64));
    }

    #[test]
    fn require_order_stops_at_the_first_operand() {
        let mut m = Matches::default();
        for a in Getopt::new(
            &argv(&["-a", "cmd", "-s", "--", "x"]),
            T,
            Order::RequireOrder,
        ) {
            m.push(a.unwrap());
        }
        assert!(m.flag("all") && !m.flag("size"));
        assert_eq!(m.operands, ["cmd", "-s", "--", "x"]);
    }

    #[test]
    fn explode_words() {
        let v = explode(&argv(&["cf-b", "a", "20", "x"]), TAR).unwrap();
        let v: Vec<_> = v.iter().map(|s| s.to_str().unwrap()).collect();
        assert_eq!(v, ["prog", "-c", "-f", "a", "--", "-b", "20", "x"]);
        assert_eq!(explode(&argv(&["cfC", "a"]), TAR), Err(b'C'));
    }

    #[test]
    fn argmatch_exact_prefix_and_synonyms() {
        #[derive(Clone, Copy, PartialEq, Debug)]
        enum W {
            Never,
            Once,
            Always,
        }
        let t = &[
            ("never", W::Never),
            ("no", W::Never),
            ("none", W::Never),
            ("once", W::Once),
            ("always", W::Always),
        ];
        let mut ctx = Ctx::new("t");
        assert_eq!(argmatch(&mut ctx, "--w", b"once", t, 1).unwrap(), W::Once);
        assert_eq!(argmatch(&mut ctx, "--w", b"al", t, 1).unwrap(), W::Always);
        // "n" and "no" are prefixes of three names meaning one value: not ambiguous.
        assert_eq!(argmatch(&mut ctx, "--w", b"n", t, 1).unwrap(), W::Never);
        // "o" is only "once"; "" and "x" match nothing.
        assert_eq!(argmatch(&mut ctx, "--w", b"o", t, 1).unwrap(), W::Once);
        assert_eq!(argmatch(&mut ctx, "--w", b"x", t, 2).unwrap_err().code, 2);
        assert!(argmatch(&mut ctx, "--w", b"", t, 1).is_err());
        assert_eq!(argmatch_find(b"", t), Err(true));
    }
}
