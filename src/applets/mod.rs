//! The static applet table: sorted by name, one `#[cfg(feature)]` line per applet, looked up by
//! binary search. Applets use `crate::common` and nothing of each other; only the shell looks
//! applets up here.
//!
//! No applet holds `unsafe`: every system call goes through `crate::common::sys`.

#![forbid(unsafe_code)]

use std::ffi::OsString;

use crate::common::Ctx;

#[cfg(feature = "basename")]
pub mod basename;
#[cfg(feature = "cat")]
pub mod cat;
#[cfg(feature = "chmod")]
pub mod chmod;
#[cfg(any(feature = "chgrp", feature = "chown"))]
pub mod chown;
#[cfg(feature = "cp")]
pub mod cp;
#[cfg(feature = "date")]
pub mod date;
#[cfg(feature = "df")]
pub mod df;
#[cfg(feature = "dirname")]
pub mod dirname;
#[cfg(feature = "du")]
pub mod du;
#[cfg(feature = "echo")]
pub mod echo;
#[cfg(feature = "env")]
pub mod env;
#[cfg(feature = "expr")]
pub mod expr;
#[cfg(feature = "false")]
pub mod false_;
#[cfg(feature = "getconf")]
pub mod getconf;
#[cfg(feature = "getopt")]
pub mod getopt;
#[cfg(feature = "groups")]
pub mod groups;
#[cfg(feature = "hostname")]
pub mod hostname;
#[cfg(feature = "id")]
pub mod id;
#[cfg(feature = "install")]
pub mod install;
#[cfg(feature = "kill")]
pub mod kill;
#[cfg(feature = "ln")]
pub mod ln;
#[cfg(feature = "ls")]
pub mod ls;
#[cfg(feature = "mkdir")]
pub mod mkdir;
#[cfg(feature = "mkfifo")]
pub mod mkfifo;
#[cfg(feature = "mknod")]
pub mod mknod;
#[cfg(feature = "mktemp")]
pub mod mktemp;
#[cfg(feature = "mv")]
pub mod mv;
#[cfg(feature = "nproc")]
pub mod nproc;
#[cfg(feature = "printenv")]
pub mod printenv;
#[cfg(feature = "printf")]
pub mod printf;
#[cfg(feature = "readlink")]
pub mod readlink;
#[cfg(feature = "realpath")]
pub mod realpath;
#[cfg(feature = "rm")]
pub mod rm;
#[cfg(feature = "rmdir")]
pub mod rmdir;
#[cfg(feature = "sh")]
pub mod sh;
#[cfg(feature = "sleep")]
pub mod sleep;
#[cfg(feature = "stat")]
pub mod stat;
#[cfg(feature = "sync")]
pub mod sync;
#[cfg(feature = "tar-core")]
pub mod tar;
#[cfg(feature = "test")]
pub mod test;
#[cfg(feature = "timeout")]
pub mod timeout;
#[cfg(feature = "touch")]
pub mod touch;
#[cfg(feature = "true")]
pub mod true_;
#[cfg(feature = "truncate")]
pub mod truncate;
#[cfg(feature = "uname")]
pub mod uname;
#[cfg(feature = "wget")]
pub mod wget;
#[cfg(feature = "which")]
pub mod which;
#[cfg(feature = "whoami")]
pub mod whoami;
#[cfg(feature = "xargs")]
pub mod xargs;
#[cfg(feature = "yes")]
pub mod yes;

/// How the shell runs an applet (BusyBox's names). BusyBox's third mode, NOFORK (inside the
/// shell's process), is the shell's own builtins (`sh/builtins`), not applets of this table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The shell forks and calls the entry point in the child: no exec, no links, no /proc.
    NoExec,
    /// Fork and re-exec our own binary (long-running programs whose memory should be fresh).
    Exec,
}

/// The applet entry point: arguments (argument 0 is the applet name) and context; returns the
/// exit status. It never calls `process::exit` and keeps no process-wide mutable state.
pub type Main = fn(Vec<OsString>, &mut Ctx) -> i32;

pub struct Applet {
    pub name: &'static str,
    pub main: Main,
    /// Where `rbox --install` puts the link when no directory is given: "bin" or "usr/bin".
    pub dir: &'static str,
    pub mode: Mode,
}

macro_rules! applet {
    ($feat:literal, $name:literal, $main:path, $dir:literal, $mode:ident) => {
        #[cfg(feature = $feat)]
        Applet {
            name: $name,
            main: $main,
            dir: $dir,
            mode: Mode::$mode,
        }
    };
}

/// Sorted by name (a unit test checks it).
pub static APPLETS: &[Applet] = &[
    applet!("test", "[", test::main, "usr/bin", NoExec),
    applet!("ash", "ash", sh::main, "bin", NoExec),
    applet!("basename", "basename", basename::main, "usr/bin", NoExec),
    applet!("cat", "cat", cat::main, "bin", NoExec),
    applet!("chgrp", "chgrp", chown::chgrp, "bin", NoExec),
    applet!("chmod", "chmod", chmod::main, "bin", NoExec),
    applet!("chown", "chown", chown::main, "bin", NoExec),
    applet!("cp", "cp", cp::main, "bin", NoExec),
    applet!("date", "date", date::main, "bin", NoExec),
    applet!("df", "df", df::main, "bin", NoExec),
    applet!("dirname", "dirname", dirname::main, "usr/bin", NoExec),
    applet!("du", "du", du::main, "usr/bin", NoExec),
    applet!("echo", "echo", echo::main, "bin", NoExec),
    applet!("env", "env", env::main, "usr/bin", NoExec),
    applet!("expr", "expr", expr::main, "usr/bin", NoExec),
    applet!("false", "false", false_::main, "bin", NoExec),
    applet!("getconf", "getconf", getconf::main, "usr/bin", NoExec),
    applet!("getopt", "getopt", getopt::main, "usr/bin", NoExec),
    applet!("groups", "groups", groups::main, "usr/bin", NoExec),
    applet!("hostname", "hostname", hostname::main, "bin", NoExec),
    applet!("id", "id", id::main, "usr/bin", NoExec),
    applet!("install", "install", install::main, "usr/bin", NoExec),
    applet!("kill", "kill", kill::main, "bin", NoExec),
    applet!("ln", "ln", ln::main, "bin", NoExec),
    applet!("ls", "ls", ls::main, "bin", NoExec),
    applet!("mkdir", "mkdir", mkdir::main, "bin", NoExec),
    applet!("mkfifo", "mkfifo", mkfifo::main, "usr/bin", NoExec),
    applet!("mknod", "mknod", mknod::main, "bin", NoExec),
    applet!("mktemp", "mktemp", mktemp::main, "bin", NoExec),
    applet!("mv", "mv", mv::main, "bin", NoExec),
    applet!("nproc", "nproc", nproc::main, "usr/bin", NoExec),
    applet!("printenv", "printenv", printenv::main, "usr/bin", NoExec),
    applet!("printf", "printf", printf::main, "usr/bin", NoExec),
    applet!("readlink", "readlink", readlink::main, "bin", NoExec),
    applet!("realpath", "realpath", realpath::main, "usr/bin", NoExec),
    applet!("rm", "rm", rm::main, "bin", NoExec),
    applet!("rmdir", "rmdir", rmdir::main, "bin", NoExec),
    applet!("sh", "sh", sh::main, "bin", NoExec),
    applet!("sleep", "sleep", sleep::main, "bin", NoExec),
    applet!("stat", "stat", stat::main, "usr/bin", NoExec),
    applet!("sync", "sync", sync::main, "bin", NoExec),
    applet!("tar-core", "tar", tar::main, "bin", NoExec),
    applet!("test", "test", test::main, "usr/bin", NoExec),
    applet!("timeout", "timeout", timeout::main, "usr/bin", NoExec),
    applet!("touch", "touch", touch::main, "bin", NoExec),
    applet!("true", "true", true_::main, "bin", NoExec),
    applet!("truncate", "truncate", truncate::main, "usr/bin", NoExec),
    applet!("uname", "uname", uname::main, "bin", NoExec),
    applet!("wget", "wget", wget::main, "usr/bin", Exec),
    applet!("which", "which", which::main, "usr/bin", NoExec),
    applet!("whoami", "whoami", whoami::main, "usr/bin", NoExec),
    applet!("xargs", "xargs", xargs::main, "usr/bin", NoExec),
    applet!("yes", "yes", yes::main, "usr/bin", NoExec),
];

/// Look an applet up by name.
pub fn find(name: &[u8]) -> Option<&'static Applet> {
    APPLETS
        .binary_search_by(|a| a.name.as_bytes().cmp(name))
        .ok()
        .map(|i| &APPLETS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted_and_unique() {
        for w in APPLETS.windows(2) {
            assert!(w[0].name < w[1].name, "{} !< {}", w[0].name, w[1].name);
        }
        for a in APPLETS {
            assert_eq!(find(a.name.as_bytes()).map(|x| x.name), Some(a.name));
        }
        assert!(find(b"nope").is_none());
    }
}
