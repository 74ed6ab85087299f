//! `awk`: the POSIX awk language, with mawk's and GNU awk's behaviour where POSIX is silent.
//!
//! The whole language: patterns and ranges, BEGIN/END, every statement (`delete a`,
//! `nextfile`, do-while), user functions (arrays by reference, recursion), every `getline`
//! form, output redirection to files and pipes, `close`, `fflush`, `system`, printf's
//! conversions, the string and math builtins (with gawk's and BusyBox's `gensub`), `ENVIRON`, modifiable `ARGV`/`ARGC`, FS as a
//! blank, a character or a regex, RS as a character, paragraph mode or a regex (gawk/mawk),
//! `-F -v -f --`, assignment operands. Regexes are POSIX EREs on `common::regex` (gawk's
//! syntax bits), matched as bytes (the C locale).
//!
//! How it runs: the program is parsed to a tree whose variables are slots (no name look-up at
//! run time), regex literals are compiled once with one matcher each, dynamic regexes are
//! compiled once and cached; records are read through a buffer with memchr, fields are split
//! only when used, output goes through the shared buffered writer.
//!
//! Deviations: division by zero is an error (gawk; mawk prints inf); `length` and `substr`
//! count bytes (mawk, gawk in the C locale); `for (k in a)` walks keys in insertion order;
//! `srand`/`rand` give their own sequence.

mod ast;
mod format;
mod interp;
mod lexer;
mod parser;
mod value;

use std::cell::OnceCell;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{self, Arg, Opt, Spec};
use crate::common::help::{help_text, Help};
use crate::common::io::{stderr_fd, write_all};
use crate::common::Ctx;

pub const USAGE: Help = help_text!(
    "\
Usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]
Pattern scanning and processing language (POSIX awk).

  -F fs           use fs as the input field separator (FS)
  -v var=value    assign value to var before the program starts
  -f progfile     read the program from progfile (may be repeated)
  -e program      program text (gawk's --source; with -f, in order)
      --help      display this help and exit
      --version   output version information and exit
"
);

const OPTIONS: &[Opt] = &[
    Opt::arg("F", Some(b'F'), None),
    Opt::arg("v", Some(b'v'), None),
    Opt::arg("f", Some(b'f'), None),
    Opt::arg("e", Some(b'e'), Some("source")),
    Opt::arg("W", Some(b'W'), None),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", None, Some("version")),
];

static SPEC: Spec = Spec::new(OPTIONS, USAGE).code(2).require_order();

fn msg(s: &str) {
    let _ = write_all(stderr_fd(), format!("awk: {s}\n").as_bytes());
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    // Deep recursion in awk programs needs more stack than a thread gets by default.
    std::thread::scope(|s| {
        let h = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, || run(argv, ctx));
        match h {
            Ok(h) => h.join().unwrap_or(2),
            Err(_) => 2,
        }
    })
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let mut fs: Option<Vec<u8>> = None;
    let mut assigns: Vec<Vec<u8>> = Vec::new();
    // -f files and -e texts, in order (true: a text)
    let mut progfiles: Vec<(bool, Vec<u8>)> = Vec::new();
    let mut operands: Vec<Vec<u8>> = Vec::new();
    let r = args::each(ctx, &argv, &SPEC, |_, a| {
        match a {
            Arg::Opt(o, v) => {
                let v = v.map(|v| v.into_vec()).unwrap_or_default();
                match o.id() {
                    "F" => fs = Some(v),
                    "v" => assigns.push(v),
                    "f" => progfiles.push((false, v)),
                    "e" => progfiles.push((true, v)),
                    _ => {}
                }
            }
            Arg::Operand(s) => operands.push(s.into_vec()),
        }
        Ok(true)
    });
    match r {
        Ok(true) => {}
        Ok(false) => return ctx.finish(Ok(())),
        Err(e) => return ctx.finish(Err(e)),
    }
    let mut src = Vec::new();
    if progfiles.is_empty() {
        if operands.is_empty() {
            let _ = write_all(stderr_fd(), &USAGE.bytes());
            return 2;
        }
        src = operands.remove(0);
    } else {
        for (text, f) in &progfiles {
            let data = if *text {
                Ok(f.clone())
            } else if f.as_slice() == b"-" || f.as_slice() == b"/dev/stdin" {
                let mut v = Vec::new();
                let _ = crate::common::sys::fd::read_to_end(crate::common::io::stdin_fd(), &mut v);
                Ok(v)
            } else {
                std::fs::read(std::ffi::OsStr::from_bytes(f))
            };
            match data {
                Ok(d) => {
                    src.extend_from_slice(&d);
                    src.push(b'\n');
                }
                Err(e) => {
                    msg(&format!(
                        "couldn't open file {} ({})",
                        String::from_utf8_lossy(f),
                        crate::common::ctx::strerror(&e)
                    ));
                    return 2;
                }
            }
        }
    }
    let prog = match parser::parse(&src) {
        Ok(p) => p,
        Err(e) => {
            msg(&format!("line {}: {}", e.line, e.msg));
            return 2;
        }
    };
    // Boxed: a compiled regex is ~1 KB and the dynamic cache 256 slots, each written when the
    // arena is made (264 KiB of peak RSS for `awk '{s+=$2}'`).
    let arena: Vec<OnceCell<Box<crate::common::regex::Regex>>> = (0..prog.regexes.len()
        + interp::DYN_REGEX_CACHE)
        .map(|_| OnceCell::new())
        .collect();
    let mut av = vec![b"awk".to_vec()];
    av.extend(operands);
    let mut it = match interp::Interp::new(&prog, ctx, &arena, av) {
        Ok(i) => i,
        Err(f) => {
            if let interp::Fail::Error(m) = f {
                msg(&m);
            }
            return 2;
        }
    };
    if let Some(fs) = fs {
        if let Err(f) = it.assign_cmdline(b"FS", &fs) {
            it.report(&f);
            return 2;
        }
    }
    for a in &assigns {
        let eq = a.iter().position(|&c| c == b'=');
        let Some(eq) = eq.filter(|&eq| interp::valid_name(&a[..eq])) else {
            msg(&format!(
                "improper assignment: -v {}",
                String::from_utf8_lossy(a)
            ));
            return 2;
        };
        if let Err(f) = it.assign_cmdline(&a[..eq], &a[eq + 1..]) {
            it.report(&f);
            return 2;
        }
    }
    it.run()
}

/// Fuzz entry: lex and parse arbitrary bytes as an awk program (nothing runs: no `system`, no
/// files). Must never panic, and nesting must not exhaust the stack.
#[doc(hidden)]
pub fn fuzz_one(data: &[u8]) {
    let _ = parser::parse(data);
    let _ = lexer::unescape(data);
    let _ = lexer::regex_source(data);
}
