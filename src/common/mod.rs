//! Our own uucore/libbb: what every applet shares.
//!
//! - [`ctx`]: the applet context (name for messages, output, exit status) and error reporting.
//! - [`quote`]: GNU quoting of names (bytes kept, non-printables escaped).
//! - [`io`]: the buffered fd-1 writer and kernel fd-to-fd copies.
//! - [`lines`]: line-by-line reading into one buffer (cut, uniq, nl, paste).
//! - [`args`]: GNU getopt_long from an option table, with glibc's messages.
//! - [`help`]: the `--help` texts, stored compressed (`help_text!`).
//! - [`packed`]: data build.rs stored deflated (help texts, wget's built-in roots), unpacked on use.
//! - [`blocksize`]: GNU block sizes and human-readable sizes (du, df, ls -s).
//! - [`codec`]: gzip, bzip2, xz and zstd as raw streaming steps (tar and the compression front-ends).
//! - [`fs`]: mode strings, user/group names, human-readable sizes.
//! - [`num`]: integer formatting into buffers.
//! - [`path`]: the one canonicalizer (readlink -f, realpath, ln -r), relative paths.
//! - [`remove`]: the one descriptor-relative recursive remover (rm, mv).
//! - [`backup`]: GNU's `--backup`/`-S` backups of replaced destinations (cp, mv, ln, install).
//! - [`copy`]: the one file and tree copier: data, attributes, links (cp, mv, install).
//! - [`printf`]: the printf format engine and echo escapes (applets and shell builtins).
//! - [`test`]: the test/`[` expression evaluator (applet and shell builtin).
//! - [`x87`]: long doubles in software (printf's arguments, od -t fL, sort -g).
//! - [`exec`]: running a command as execvp finds it, rbox's applets as the fallback.
//! - [`signals`]: signal names and numbers.
//! - [`sort`]: one shared sort routine for the lists off the hot paths.
//! - [`proc`]: processes, memory and uptime as /proc shows them (ps, pgrep, free, uptime).
//! - [`sysinfo`]: CPU counts as glibc gives them (nproc, getconf).
//! - [`datetime`]: the one date-string parser (date -d, touch -d, find -newermt).
//! - [`vercmp`]: gnulib's filevercmp, the version order of `sort -V` and `ls -v`.
//! - [`tabs`]: GNU tab stops (`-t` lists, `/N`, `+N`) for expand and unexpand.
//! - [`time`]: local time zones (TZ, TZif) and a C-locale strftime.
//! - [`passwd`]: whole passwd/group entries (getpwnam & co.) and locked atomic rewrites.
//! - [`crypt`]: SHA-512/SHA-256/MD5-crypt password hashes (chpasswd).
//! - [`digest`]: MD5, SHA-1, SHA-224 (ours) and SHA-256/384/512 (ring) for the checksum applets.
//! - [`regex`]: the one POSIX BRE/ERE engine (glibc's syntax, leftmost-longest, back-references).
//! - [`subst`]: the one `s/RE/REPL/FLAGS` parser and applier (sed, tar --transform).

pub mod args;
pub mod backup;
pub mod blocksize;
pub mod codec;
pub mod copy;
#[cfg(feature = "chpasswd")]
pub mod crypt;
pub mod ctx;
pub mod datetime;
pub mod digest;
pub mod exec;
pub mod fnmatch;
pub mod fs;
pub mod help;
pub mod io;
pub mod lines;
pub mod mounts;
pub mod net;
pub mod num;
pub mod packed;
pub mod passwd;
pub mod path;
pub mod printf;
pub mod proc;
pub mod quote;
pub mod regex;
pub mod remove;
pub mod signals;
pub mod sort;
pub mod subst;
pub mod sys;
pub mod sysinfo;
pub mod tabs;
pub mod test;
pub mod time;
pub mod vercmp;
pub mod walk;
pub mod x87;

pub use ctx::{Ctx, Error, Result};

/// Whether the locale the environment names for characters (LC_ALL, else LC_CTYPE, else LANG,
/// the first that is set and not empty) is a UTF-8 one (`C.UTF-8`, `en_US.utf8`, ...). rbox
/// carries no locale data: the name decides.
pub fn utf8_locale() -> bool {
    let v = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|n| std::env::var_os(n).filter(|v| !v.is_empty()))
        .unwrap_or_default();
    v.as_encoded_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"utf8") || w.eq_ignore_ascii_case(b"utf-"))
}
