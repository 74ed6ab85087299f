//! `rm`: remove files and directories.
//!
//! GNU coreutils 9 `rm`: `-f -i -I --interactive[=WHEN] -r -R --recursive -d --dir -v
//! --one-file-system --preserve-root[=all] --no-preserve-root`, the same questions, messages
//! and exit status (1 if anything could not be removed; saying no is not an error), `rm -f`
//! without operands quiet, the `Try 'rm ./-x'` hint after a bad option that names an existing
//! file. The removal itself is [`common::remove`](crate::common::remove): descriptor-relative
//! (`unlinkat` in directories opened with O_NOFOLLOW), `.`/`..`/`/` refused.
//! GNU's hidden `---presume-input-tty` (questions as if stdin were a terminal) is accepted.
//! Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Arg, Getopt, Opt, Order};
use crate::common::io::{stdin_fd, yesno};
use crate::common::quote::{quote_always, quote_into, Style};
use crate::common::remove::{Interactive, Remover, RmOptions, Status};
use crate::common::sys::{self, fd as sfd};
use crate::common::{Ctx, Error, Result};

pub const USAGE: Help = help_text!(
    "\
Usage: rm [OPTION]... [FILE]...
Remove (unlink) the FILE(s).

  -f, --force           ignore nonexistent files and arguments, never prompt
  -i                    prompt before every removal
  -I                    prompt once before removing more than three files, or
                          when removing recursively; less intrusive than -i,
                          while still giving protection against most mistakes
      --interactive[=WHEN]  prompt according to WHEN: never, once (-I), or
                          always (-i); without WHEN, prompt always
      --one-file-system  when removing a hierarchy recursively, skip any
                          directory that is on a file system different from
                          that of the corresponding command line argument
      --no-preserve-root  do not treat '/' specially
      --preserve-root[=all]  do not remove '/' (default);
                              with 'all', reject any command line argument
                              on a separate device from its parent
  -r, -R, --recursive   remove directories and their contents recursively
  -d, --dir             remove empty directories
  -v, --verbose         explain what is being done
      --help        display this help and exit
      --version     output version information and exit

By default, rm does not remove directories.  Use the --recursive (-r or -R)
option to remove each listed directory, too, along with all of its contents.

To remove a file whose name starts with a '-', for example '-foo',
use one of these commands:
  rm -- -foo

  rm ./-foo

Note that if you use rm to remove a file, it might be possible to recover
some of its contents, given sufficient expertise and/or time.  For greater
assurance that the contents are truly unrecoverable, consider using shred(1).
"
);
use crate::common::help::{help_text, Help};

/// In GNU's order.
static OPTS: &[Opt] = &[
    Opt::flag("dir", Some(b'd'), Some("dir")),
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::flag("i", Some(b'i'), None),
    Opt::flag("I", Some(b'I'), None),
    Opt::optional("interactive", None, Some("interactive")),
    Opt::flag("one-file-system", None, Some("one-file-system")),
    Opt::flag("no-preserve-root", None, Some("no-preserve-root")),
    Opt::optional("preserve-root", None, Some("preserve-root")),
    Opt::flag("recursive", Some(b'r'), Some("recursive")),
    Opt::flag("recursive", Some(b'R'), None),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", None, Some("version")),
    // GNU's hidden test option: questions asked as if stdin were a terminal.
    Opt::flag("presume-input-tty", None, Some("-presume-input-tty")),
];

#[derive(Clone, Copy, PartialEq)]
enum When {
    Never,
    Once,
    Always,
}

static WHEN: &[(&str, When)] = &[
    ("never", When::Never),
    ("no", When::Never),
    ("none", When::Never),
    ("once", When::Once),
    ("always", When::Always),
    ("yes", When::Always),
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(&argv, ctx);
    ctx.finish(r)
}

/// GNU's `diagnose_leading_hyphen`: after a bad option, a hint for each operand that starts
/// with `-` and names an existing file.
fn leading_hyphen(ctx: &mut Ctx, argv: &[OsString]) {
    for a in &argv[1..] {
        let a = a.as_bytes();
        if a.len() > 1 && a[0] == b'-' && sfd::lstat(a).is_ok() {
            let mut m = format!("Try '{} ./", ctx.name).into_bytes();
            quote_into(&mut m, a, Style::ShellEscape);
            m.extend_from_slice(b"' to remove the file ");
            m.extend_from_slice(&quote_always(a));
            m.extend_from_slice(b".\n");
            crate::common::io::write_all(crate::common::io::stderr_fd(), &m).ok();
        }
    }
}

fn run(argv: &[OsString], ctx: &mut Ctx) -> Result<()> {
    let mut o = RmOptions::default();
    let mut prompt_once = false;
    let mut presume_tty = false;
    let mut files = Vec::new();
    for a in Getopt::new(argv, OPTS, Order::Permute) {
        let (opt, val) = match a {
            Ok(Arg::Operand(f)) => {
                files.push(f);
                continue;
            }
            Ok(Arg::Opt(opt, val)) => (opt, val),
            Err(msg) => {
                ctx.msg(&msg);
                leading_hyphen(ctx, argv);
                ctx.try_help();
                return Err(Error::silent(1));
            }
        };
        match Id::of(opt.id().as_bytes()) {
            Some(Id::Dir) => o.dirs = true,
            Some(Id::Force) => {
                o.interactive = Interactive::Never;
                o.ignore_missing = true;
                prompt_once = false;
            }
            Some(Id::I) => {
                o.interactive = Interactive::Always;
                o.ignore_missing = false;
                prompt_once = false;
            }
            Some(Id::CapI) => {
                o.interactive = Interactive::Sometimes;
                o.ignore_missing = false;
                prompt_once = true;
            }
            Some(Id::Interactive) => {
                let w = match &val {
                    Some(v) => args::argmatch(ctx, "--interactive", v.as_bytes(), WHEN, 1)?,
                    None => When::Always,
                };
                match w {
                    When::Never => {
                        o.interactive = Interactive::Never;
                        prompt_once = false;
                    }
                    When::Once => {
                        o.interactive = Interactive::Sometimes;
                        o.ignore_missing = false;
                        prompt_once = true;
                    }
                    When::Always => {
                        o.interactive = Interactive::Always;
                        o.ignore_missing = false;
                        prompt_once = false;
                    }
                }
            }
            Some(Id::OneFileSystem) => o.one_fs = true,
            Some(Id::NoPreserveRoot) => o.preserve_root = false,
            Some(Id::PreserveRoot) => {
                if let Some(v) = &val {
                    if v.as_bytes() == b"all" {
                        o.preserve_all = true;
                    } else {
                        let mut m = b"unrecognized --preserve-root argument: ".to_vec();
                        quote_into(&mut m, v.as_bytes(), Style::Locale);
                        return Err(Error::new(1, m));
                    }
                }
                o.preserve_root = true;
            }
            Some(Id::Recursive) => o.recursive = true,
            Some(Id::Verbose) => o.verbose = true,
            Some(Id::PresumeTty) => presume_tty = true,
            Some(Id::Help) => {
                ctx.out.write_all(&USAGE.bytes())?;
                return Ok(());
            }
            Some(Id::Version) => {
                let v = format!("rm (rbox) {}\n", env!("CARGO_PKG_VERSION"));
                ctx.out.write_all(v.as_bytes())?;
                return Ok(());
            }
            _ => {}
        }
    }
    if files.is_empty() {
        if o.ignore_missing {
            return Ok(());
        }
        ctx.msg(b"missing operand");
        ctx.try_help();
        return Err(Error::silent(1));
    }
    if prompt_once && (o.recursive || files.len() > 3) {
        let n = files.len();
        let q = match (o.recursive, n) {
            (true, 1) => "remove 1 argument recursively? ".to_string(),
            (true, _) => format!("remove {n} arguments recursively? "),
            (false, _) => format!("remove {n} arguments? "),
        };
        let _ = ctx.out.flush();
        let line = format!("{}: {q}", ctx.name);
        crate::common::io::write_all(crate::common::io::stderr_fd(), line.as_bytes()).ok();
        if !yesno() {
            return Ok(());
        }
    }
    o.stdin_tty = presume_tty || sfd::isatty(stdin_fd());
    let mut rm = Remover::new(o);
    let mut status = Status::Ok;
    for f in &files {
        let s = rm.remove(ctx, sys::cwd(), f.as_bytes());
        if s > status {
            status = s;
        }
        if let Some(e) = rm.write_error.take() {
            return Err(Error::write(&e));
        }
    }
    if status == Status::Error {
        ctx.fail(1);
    }
    Ok(())
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Dir = "dir",
        Force = "force",
        I = "i",
        CapI = "I",
        Interactive = "interactive",
        OneFileSystem = "one-file-system",
        NoPreserveRoot = "no-preserve-root",
        PreserveRoot = "preserve-root",
        Recursive = "recursive",
        Verbose = "verbose",
        Help = "help",
        Version = "version",
        PresumeTty = "presume-input-tty",
    }
}
