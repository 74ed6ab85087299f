//! `sed`: the stream editor, as GNU sed 4.9.
//!
//! Every POSIX and GNU command (`s y a i c d D p P n N g G h H x b t T : = l q Q r R w W z F e
//! v {} #`), addresses (`N`, `$`, `/re/`, `\cREc`, `I` and `M` flags, `first~step`, `0,/re/`,
//! `addr,+N`, `addr,~N`, `!`), the `s` flags (`g`, `N`, `Ng`, `p`, `w FILE`, `i`/`I`, `m`/`M`,
//! `e`), replacement escapes (`& \1`-`\9 \L \U \l \u \E \n \t`...), GNU's one-liner `a text`,
//! `#n`, special files `/dev/stdout` and `/dev/stderr`; options `-n -e -f (- too) -E -r
//! -i[SUFFIX] --in-place[=SUFFIX] -s -z -u -l N --posix --follow-symlinks --sandbox --debug`.
//! Scripts are read as GNU's compile.c reads them (same error texts and character positions);
//! regular expressions go through `common::regex` with GNU sed's syntax bits, each compiled
//! once and matched through one reused `Matcher`. Memory holds the pattern and hold spaces and
//! the line being read, never a whole file.
//!
//! In place (`-i`): the output goes to a new file in the same directory (O_EXCL), given the
//! original's mode and owner, then renamed over it (after the optional backup rename); the
//! original stays on any error. A symlink is replaced by a regular file unless
//! `--follow-symlinks`.
//!
//! Deviations: the C locale only (bytes); `--debug` is accepted and does nothing; `e` and
//! `s///e` run `/bin/sh -c`.

mod compile;
mod run;

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::help::{help_text, Help};
use crate::common::Ctx;

use compile::{Compiler, Opts, Posix, Src};

const USAGE_BODY: Help = help_text!(
    " [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

"
);

static OPTIONS: &[Opt] = &[
    Opt::flag("debug", None, Some("debug")),
    Opt::flag("E", Some(b'E'), Some("regexp-extended")),
    Opt::arg("e", Some(b'e'), Some("expression")),
    Opt::arg("f", Some(b'f'), Some("file")),
    Opt::optional("i", Some(b'i'), Some("in-place")),
    Opt::arg("l", Some(b'l'), Some("line-length")),
    Opt::flag("n", Some(b'n'), Some("quiet")),
    Opt::flag("n", None, Some("silent")),
    Opt::flag("follow", None, Some("follow-symlinks")),
    Opt::flag("posix", None, Some("posix")),
    Opt::flag("E", Some(b'r'), None),
    Opt::flag("sandbox", None, Some("sandbox")),
    Opt::flag("s", Some(b's'), Some("separate")),
    Opt::flag("u", Some(b'u'), Some("unbuffered")),
    Opt::flag("z", Some(b'z'), Some("null-data")),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", None, Some("version")),
];

/// What the command line asked for.
pub struct Settings {
    pub quiet: bool,
    pub separate: bool,
    pub in_place: Option<Vec<u8>>,
    pub follow: bool,
    pub unbuffered: bool,
    pub zero: bool,
    pub line_len: i64,
    pub posix: Posix,
}

fn usage(ctx: &mut Ctx, to_stdout: bool) {
    let mut t = format!("Usage: {}", ctx.name).into_bytes();
    t.extend_from_slice(&USAGE_BODY.bytes());
    t.extend_from_slice(b"GNU sed home page: <https://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>.\n");
    if to_stdout {
        t.extend_from_slice(b"E-mail bug reports to: <bug-sed@gnu.org>.\n");
        let _ = ctx.out.write_all(&t);
    } else {
        let _ = ctx.out.flush();
        let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &t);
    }
}

/// The status after `--help` or `--version`: a failed write is sed's output error (status 4,
/// GNU's words), not the generic 1.
fn answered(ctx: &mut Ctx) -> i32 {
    match ctx.out.flush() {
        Ok(()) => 0,
        Err(e) => {
            let m = format!(
                "couldn't flush stdout: {}",
                crate::common::ctx::strerror(&e)
            );
            ctx.msg(m.as_bytes());
            4
        }
    }
}

enum Piece {
    Expr(Vec<u8>),
    File(OsString),
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let mut pieces = Vec::new();
    let mut operands = Vec::new();
    let mut extended = false;
    let mut sandbox = false;
    let posixly = std::env::var_os("POSIXLY_CORRECT").is_some();
    let mut set = Settings {
        quiet: false,
        separate: false,
        in_place: None,
        follow: false,
        unbuffered: false,
        zero: false,
        // GNU: `l` wraps at COLS - 1 when COLS is above 1 (-l still wins)
        line_len: match std::env::var_os("COLS").map(|c| atoi(c.as_bytes())) {
            Some(n) if n > 1 => n - 1,
            _ => 70,
        },
        posix: if posixly {
            Posix::Correct
        } else {
            Posix::Extended
        },
    };
    for a in Getopt::new(&argv, OPTIONS, Order::Permute) {
        match a {
            Err(msg) => {
                ctx.msg(&msg);
                usage(ctx, false);
                return 1;
            }
            Ok(Arg::Operand(o)) => operands.push(o),
            Ok(Arg::Opt(o, v)) => match Id::of(o.id().as_bytes()) {
                Some(Id::Help) => {
                    usage(ctx, true);
                    return answered(ctx);
                }
                Some(Id::Version) => {
                    let v = format!(
                        "{} (rbox) {}\nGNU sed 4.9 compatible.\n",
                        ctx.name,
                        env!("CARGO_PKG_VERSION")
                    );
                    let _ = ctx.out.write_all(v.as_bytes());
                    return answered(ctx);
                }
                Some(Id::Debug) => {}
                Some(Id::CapE) => extended = true,
                Some(Id::E) => pieces.push(Piece::Expr(v.unwrap_or_default().into_vec())),
                Some(Id::F) => pieces.push(Piece::File(v.unwrap_or_default())),
                Some(Id::I) => {
                    set.in_place = Some(v.map(|s| s.into_vec()).unwrap_or_default());
                    set.separate = true;
                }
                Some(Id::L) => {
                    let s = v.unwrap_or_default();
                    set.line_len = atoi(s.as_bytes());
                }
                Some(Id::N) => set.quiet = true,
                Some(Id::Follow) => set.follow = true,
                Some(Id::Posix) => set.posix = Posix::Basic,
                Some(Id::Sandbox) => sandbox = true,
                Some(Id::S) => set.separate = true,
                Some(Id::U) => set.unbuffered = true,
                Some(Id::Z) => set.zero = true,
                _ => {}
            },
        }
    }
    if pieces.is_empty() {
        if operands.is_empty() {
            usage(ctx, false);
            return 1;
        }
        pieces.push(Piece::Expr(operands.remove(0).into_vec()));
    }
    let opts = Opts {
        extended,
        posix: set.posix,
        sandbox,
        zero: set.zero,
    };
    let mut comp = Compiler::new(&opts);
    let mut nexpr = 0;
    for p in pieces {
        let r = match p {
            Piece::Expr(t) => {
                nexpr += 1;
                comp.chunk(&t, Src::Expr(nexpr))
            }
            Piece::File(name) => {
                let text = if name.as_bytes() == b"-" {
                    let mut v = Vec::new();
                    let _ =
                        crate::common::sys::fd::read_to_end(crate::common::io::stdin_fd(), &mut v);
                    v
                } else {
                    match std::fs::read(&name) {
                        Ok(v) => v,
                        Err(e) => {
                            let mut m = b"couldn't open file ".to_vec();
                            m.extend_from_slice(name.as_bytes());
                            m.extend_from_slice(b": ");
                            m.extend_from_slice(crate::common::ctx::strerror(&e).as_bytes());
                            ctx.msg(&m);
                            return 4;
                        }
                    }
                };
                // A script file's last line needs no newline.
                comp.chunk(&text, Src::File(name))
            }
        };
        if let Err(e) = r {
            ctx.msg(&e.0);
            return e.1;
        }
    }
    let script = match comp.finish() {
        Ok(s) => s,
        Err(e) => {
            ctx.msg(&e.0);
            return e.1;
        }
    };
    if script.quiet {
        set.quiet = true;
    }
    if set.in_place.is_some() && operands.is_empty() {
        ctx.msg(b"no input files");
        return 4;
    }
    if operands.is_empty() {
        operands.push(OsString::from("-"));
    }
    run::run(ctx, &script, &set, operands)
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Help = "help",
        Version = "version",
        Debug = "debug",
        CapE = "E",
        E = "e",
        F = "f",
        I = "i",
        L = "l",
        N = "n",
        Follow = "follow",
        Posix = "posix",
        Sandbox = "sandbox",
        S = "s",
        U = "u",
        Z = "z",
    }
}

/// C's atoi: leading blanks, a sign, digits; anything else ends it (0 when none).
fn atoi(s: &[u8]) -> i64 {
    let mut i = 0;
    while i < s.len() && (s[i] == b' ' || (9..=13).contains(&s[i])) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let mut n: i64 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        n = n.saturating_mul(10).saturating_add((s[i] - b'0') as i64);
        i += 1;
    }
    if neg {
        -n
    } else {
        n
    }
}

/// Fuzz entry: compile arbitrary bytes as a sed script (sandboxed: no `e`, `r`, `w`, so no
/// file is opened), in each dialect the first byte picks. Must never panic.
#[doc(hidden)]
pub fn fuzz_one(data: &[u8]) {
    let Some((&mode, script)) = data.split_first() else {
        return;
    };
    let opts = compile::Opts {
        extended: mode & 1 != 0,
        posix: match mode >> 1 & 3 {
            0 => compile::Posix::Extended,
            1 => compile::Posix::Correct,
            _ => compile::Posix::Basic,
        },
        sandbox: true,
        zero: mode & 8 != 0,
    };
    let mut comp = compile::Compiler::new(&opts);
    // Several `-e` chunks when the script holds NULs (blocks and a/i/c text span chunks).
    for (i, chunk) in script.split(|&b| b == 0).enumerate() {
        if comp.chunk(chunk, compile::Src::Expr(i + 1)).is_err() {
            return;
        }
    }
    let _ = comp.finish();
}
