//! The static applet table: sorted by name, one `#[cfg(feature)]` line per applet, looked up by
//! binary search. Applets use `crate::common` and nothing of each other; only the shell looks
//! applets up here.
//!
//! No applet holds `unsafe`: every system call goes through `crate::common::sys`.

#![forbid(unsafe_code)]

use std::ffi::OsString;

use crate::common::Ctx;

#[cfg(feature = "awk")]
pub mod awk;
#[cfg(feature = "base64")]
pub mod base64;
#[cfg(feature = "basename")]
pub mod basename;
#[cfg(feature = "cat")]
pub mod cat;
#[cfg(feature = "chmod")]
pub mod chmod;
#[cfg(any(feature = "chgrp", feature = "chown"))]
pub mod chown;
#[cfg(feature = "chroot")]
pub mod chroot;
#[cfg(feature = "cmp")]
pub mod cmp;
#[cfg(feature = "comm")]
pub mod comm;
#[cfg(any(
    feature = "bunzip2",
    feature = "bzcat",
    feature = "bzip2",
    feature = "gunzip",
    feature = "gzip",
    feature = "unxz",
    feature = "unzstd",
    feature = "xz",
    feature = "xzcat",
    feature = "zcat",
    feature = "zstd",
    feature = "zstdcat"
))]
pub mod compress;
#[cfg(feature = "cp")]
pub mod cp;
#[cfg(feature = "crond")]
pub mod crond;
#[cfg(feature = "crontab")]
pub mod crontab;
#[cfg(feature = "cut")]
pub mod cut;
#[cfg(feature = "date")]
pub mod date;
#[cfg(feature = "dd")]
pub mod dd;
#[cfg(feature = "df")]
pub mod df;
#[cfg(feature = "diff")]
pub mod diff;
#[cfg(feature = "dirname")]
pub mod dirname;
#[cfg(any(feature = "dos2unix", feature = "unix2dos"))]
pub mod dos2unix;
#[cfg(feature = "du")]
pub mod du;
#[cfg(feature = "echo")]
pub mod echo;
#[cfg(feature = "env")]
pub mod env;
#[cfg(feature = "envsubst")]
pub mod envsubst;
#[cfg(feature = "expand")]
pub mod expand;
#[cfg(feature = "expr")]
pub mod expr;
#[cfg(feature = "false")]
pub mod false_;
#[cfg(feature = "find")]
pub mod find;
#[cfg(feature = "flock")]
pub mod flock;
#[cfg(feature = "fold")]
pub mod fold;
#[cfg(feature = "free")]
pub mod free;
#[cfg(feature = "getconf")]
pub mod getconf;
#[cfg(feature = "getent")]
pub mod getent;
#[cfg(feature = "getopt")]
pub mod getopt;
#[cfg(any(feature = "egrep", feature = "fgrep", feature = "grep"))]
pub mod grep;
#[cfg(feature = "groups")]
pub mod groups;
#[cfg(feature = "head")]
pub mod head;
#[cfg(feature = "hexdump")]
pub mod hexdump;
#[cfg(feature = "hostname")]
pub mod hostname;
#[cfg(feature = "id")]
pub mod id;
#[cfg(feature = "install")]
pub mod install;
#[cfg(feature = "kill")]
pub mod kill;
#[cfg(feature = "killall")]
pub mod killall;
#[cfg(any(feature = "link", feature = "unlink"))]
pub mod link;
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
#[cfg(feature = "mountpoint")]
pub mod mountpoint;
#[cfg(feature = "mv")]
pub mod mv;
#[cfg(feature = "nc")]
pub mod nc;
#[cfg(feature = "nice")]
pub mod nice;
#[cfg(feature = "nl")]
pub mod nl;
#[cfg(feature = "nohup")]
pub mod nohup;
#[cfg(feature = "nologin")]
pub mod nologin;
#[cfg(feature = "nproc")]
pub mod nproc;
#[cfg(feature = "od")]
pub mod od;
#[cfg(feature = "paste")]
pub mod paste;
#[cfg(feature = "patch")]
pub mod patch;
#[cfg(any(feature = "pgrep", feature = "pkill"))]
pub mod pgrep;
#[cfg(feature = "pidof")]
pub mod pidof;
#[cfg(feature = "printenv")]
pub mod printenv;
#[cfg(feature = "printf")]
pub mod printf;
#[cfg(feature = "ps")]
pub mod ps;
#[cfg(feature = "pwd")]
pub mod pwd;
#[cfg(feature = "readlink")]
pub mod readlink;
#[cfg(feature = "realpath")]
pub mod realpath;
#[cfg(feature = "rev")]
pub mod rev;
#[cfg(feature = "rm")]
pub mod rm;
#[cfg(feature = "rmdir")]
pub mod rmdir;
#[cfg(feature = "run-parts")]
pub mod run_parts;
#[cfg(feature = "sed")]
pub mod sed;
#[cfg(feature = "seq")]
pub mod seq;
#[cfg(feature = "setsid")]
pub mod setsid;
#[cfg(feature = "sh")]
pub mod sh;
#[cfg(feature = "shuf")]
pub mod shuf;
#[cfg(feature = "sleep")]
pub mod sleep;
#[cfg(feature = "sort")]
pub mod sort;
#[cfg(feature = "stat")]
pub mod stat;
#[cfg(any(
    feature = "gosu",
    feature = "setpriv",
    feature = "su",
    feature = "su-exec"
))]
pub mod suexec;
#[cfg(any(
    feature = "md5sum",
    feature = "sha1sum",
    feature = "sha224sum",
    feature = "sha256sum",
    feature = "sha384sum",
    feature = "sha512sum"
))]
pub mod sum;
#[cfg(feature = "sync")]
pub mod sync;
#[cfg(feature = "tac")]
pub mod tac;
#[cfg(feature = "tail")]
pub mod tail;
#[cfg(feature = "tar-core")]
pub mod tar;
#[cfg(feature = "tee")]
pub mod tee;
#[cfg(feature = "test")]
pub mod test;
#[cfg(feature = "timeout")]
pub mod timeout;
#[cfg(feature = "touch")]
pub mod touch;
#[cfg(feature = "tr")]
pub mod tr;
#[cfg(feature = "true")]
pub mod true_;
#[cfg(feature = "truncate")]
pub mod truncate;
#[cfg(feature = "tty")]
pub mod tty;
#[cfg(feature = "uname")]
pub mod uname;
#[cfg(feature = "unexpand")]
pub mod unexpand;
#[cfg(feature = "uniq")]
pub mod uniq;
#[cfg(feature = "unzip")]
pub mod unzip;
#[cfg(feature = "uptime")]
pub mod uptime;
#[cfg(any(
    feature = "addgroup",
    feature = "adduser",
    feature = "chpasswd",
    feature = "delgroup",
    feature = "deluser",
    feature = "groupadd",
    feature = "groupdel",
    feature = "groupmod",
    feature = "passwd",
    feature = "useradd",
    feature = "userdel",
    feature = "usermod"
))]
pub mod users;
#[cfg(feature = "wc")]
pub mod wc;
#[cfg(feature = "wget")]
pub mod wget;
#[cfg(feature = "which")]
pub mod which;
#[cfg(feature = "whoami")]
pub mod whoami;
#[cfg(feature = "xargs")]
pub mod xargs;
#[cfg(feature = "xxd")]
pub mod xxd;
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
    /// Where `rbox --install` puts the link when no directory is given: an index into
    /// [`DIRS`] (a byte instead of a 16-byte `&str`: the table is 32 bytes an entry, not 48).
    dir: u8,
    pub mode: Mode,
}

/// The directories of [`Applet::dir`].
const DIRS: [&str; 3] = ["bin", "usr/bin", "usr/sbin"];

/// The index of `dir` in [`DIRS`] (a table entry naming another fails to compile).
const fn dir_index(dir: &str) -> u8 {
    let mut i = 0;
    while i < DIRS.len() {
        if DIRS[i].len() == dir.len() {
            let (a, b) = (DIRS[i].as_bytes(), dir.as_bytes());
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i as u8;
            }
        }
        i += 1;
    }
    panic!("an applet's directory is not in DIRS")
}

impl Applet {
    /// Where `rbox --install` puts the link when no directory is given: "bin" or "usr/bin".
    pub fn dir(&self) -> &'static str {
        DIRS[self.dir as usize]
    }
}

macro_rules! applet {
    ($feat:literal, $name:literal, $main:path, $dir:literal, $mode:ident) => {
        #[cfg(feature = $feat)]
        Applet {
            name: $name,
            main: $main,
            dir: dir_index($dir),
            mode: Mode::$mode,
        }
    };
}

/// Sorted by name (a unit test checks it).
pub static APPLETS: &[Applet] = &[
    applet!("test", "[", test::main, "usr/bin", NoExec),
    applet!("addgroup", "addgroup", users::addgroup, "usr/sbin", NoExec),
    applet!("adduser", "adduser", users::adduser, "usr/sbin", NoExec),
    applet!("ash", "ash", sh::main, "bin", NoExec),
    applet!("awk", "awk", awk::main, "usr/bin", NoExec),
    applet!("base64", "base64", base64::main, "usr/bin", NoExec),
    applet!("basename", "basename", basename::main, "usr/bin", NoExec),
    applet!("bunzip2", "bunzip2", compress::bunzip2, "bin", NoExec),
    applet!("bzcat", "bzcat", compress::bzcat, "bin", NoExec),
    applet!("bzip2", "bzip2", compress::bzip2, "bin", NoExec),
    applet!("cat", "cat", cat::main, "bin", NoExec),
    applet!("chgrp", "chgrp", chown::chgrp, "bin", NoExec),
    applet!("chmod", "chmod", chmod::main, "bin", NoExec),
    applet!("chown", "chown", chown::main, "bin", NoExec),
    applet!("chpasswd", "chpasswd", users::chpasswd, "usr/sbin", NoExec),
    applet!("chroot", "chroot", chroot::main, "usr/sbin", NoExec),
    applet!("cmp", "cmp", cmp::main, "usr/bin", NoExec),
    applet!("comm", "comm", comm::main, "usr/bin", NoExec),
    applet!("cp", "cp", cp::main, "bin", NoExec),
    applet!("crond", "crond", crond::main, "usr/sbin", Exec),
    applet!("crontab", "crontab", crontab::main, "usr/bin", NoExec),
    applet!("cut", "cut", cut::main, "usr/bin", NoExec),
    applet!("date", "date", date::main, "bin", NoExec),
    applet!("dd", "dd", dd::main, "bin", NoExec),
    applet!("delgroup", "delgroup", users::delgroup, "usr/sbin", NoExec),
    applet!("deluser", "deluser", users::deluser, "usr/sbin", NoExec),
    applet!("df", "df", df::main, "bin", NoExec),
    applet!("diff", "diff", diff::main, "usr/bin", NoExec),
    applet!("dirname", "dirname", dirname::main, "usr/bin", NoExec),
    applet!(
        "dos2unix",
        "dos2unix",
        dos2unix::dos2unix,
        "usr/bin",
        NoExec
    ),
    applet!("du", "du", du::main, "usr/bin", NoExec),
    applet!("echo", "echo", echo::main, "bin", NoExec),
    applet!("egrep", "egrep", grep::egrep, "bin", NoExec),
    applet!("env", "env", env::main, "usr/bin", NoExec),
    applet!("envsubst", "envsubst", envsubst::main, "usr/bin", NoExec),
    applet!("expand", "expand", expand::main, "usr/bin", NoExec),
    applet!("expr", "expr", expr::main, "usr/bin", NoExec),
    applet!("false", "false", false_::main, "bin", NoExec),
    applet!("fgrep", "fgrep", grep::fgrep, "bin", NoExec),
    applet!("find", "find", find::main, "usr/bin", NoExec),
    applet!("flock", "flock", flock::main, "usr/bin", NoExec),
    applet!("fold", "fold", fold::main, "usr/bin", NoExec),
    applet!("free", "free", free::main, "usr/bin", NoExec),
    applet!("getconf", "getconf", getconf::main, "usr/bin", NoExec),
    applet!("getent", "getent", getent::main, "usr/bin", NoExec),
    applet!("getopt", "getopt", getopt::main, "usr/bin", NoExec),
    applet!("gosu", "gosu", suexec::gosu, "usr/bin", NoExec),
    applet!("grep", "grep", grep::main, "bin", NoExec),
    applet!("groupadd", "groupadd", users::groupadd, "usr/sbin", NoExec),
    applet!("groupdel", "groupdel", users::groupdel, "usr/sbin", NoExec),
    applet!("groupmod", "groupmod", users::groupmod, "usr/sbin", NoExec),
    applet!("groups", "groups", groups::main, "usr/bin", NoExec),
    applet!("gunzip", "gunzip", compress::gunzip, "bin", NoExec),
    applet!("gzip", "gzip", compress::gzip, "bin", NoExec),
    applet!("head", "head", head::main, "usr/bin", NoExec),
    applet!("hexdump", "hexdump", hexdump::main, "usr/bin", NoExec),
    applet!("hostname", "hostname", hostname::main, "bin", NoExec),
    applet!("id", "id", id::main, "usr/bin", NoExec),
    applet!("install", "install", install::main, "usr/bin", NoExec),
    applet!("kill", "kill", kill::main, "bin", NoExec),
    applet!("killall", "killall", killall::main, "usr/bin", NoExec),
    applet!("link", "link", link::link, "usr/bin", NoExec),
    applet!("ln", "ln", ln::main, "bin", NoExec),
    applet!("ls", "ls", ls::main, "bin", NoExec),
    applet!("md5sum", "md5sum", sum::md5sum, "usr/bin", NoExec),
    applet!("mkdir", "mkdir", mkdir::main, "bin", NoExec),
    applet!("mkfifo", "mkfifo", mkfifo::main, "usr/bin", NoExec),
    applet!("mknod", "mknod", mknod::main, "bin", NoExec),
    applet!("mktemp", "mktemp", mktemp::main, "bin", NoExec),
    applet!("mountpoint", "mountpoint", mountpoint::main, "bin", NoExec),
    applet!("mv", "mv", mv::main, "bin", NoExec),
    applet!("nc", "nc", nc::main, "bin", NoExec),
    applet!("nice", "nice", nice::main, "usr/bin", NoExec),
    applet!("nl", "nl", nl::main, "usr/bin", NoExec),
    applet!("nohup", "nohup", nohup::main, "usr/bin", NoExec),
    applet!("nologin", "nologin", nologin::main, "usr/sbin", NoExec),
    applet!("nproc", "nproc", nproc::main, "usr/bin", NoExec),
    applet!("od", "od", od::main, "usr/bin", NoExec),
    applet!("passwd", "passwd", users::passwd, "usr/bin", NoExec),
    applet!("paste", "paste", paste::main, "usr/bin", NoExec),
    applet!("patch", "patch", patch::main, "usr/bin", NoExec),
    applet!("pgrep", "pgrep", pgrep::main, "usr/bin", NoExec),
    applet!("pidof", "pidof", pidof::main, "bin", NoExec),
    applet!("pkill", "pkill", pgrep::pkill, "usr/bin", NoExec),
    applet!("printenv", "printenv", printenv::main, "usr/bin", NoExec),
    applet!("printf", "printf", printf::main, "usr/bin", NoExec),
    applet!("ps", "ps", ps::main, "bin", NoExec),
    applet!("pwd", "pwd", pwd::main, "bin", NoExec),
    applet!("readlink", "readlink", readlink::main, "bin", NoExec),
    applet!("realpath", "realpath", realpath::main, "usr/bin", NoExec),
    applet!("rev", "rev", rev::main, "usr/bin", NoExec),
    applet!("rm", "rm", rm::main, "bin", NoExec),
    applet!("rmdir", "rmdir", rmdir::main, "bin", NoExec),
    applet!("run-parts", "run-parts", run_parts::main, "bin", NoExec),
    applet!("sed", "sed", sed::main, "bin", NoExec),
    applet!("seq", "seq", seq::main, "usr/bin", NoExec),
    applet!("setpriv", "setpriv", suexec::setpriv, "usr/bin", NoExec),
    applet!("setsid", "setsid", setsid::main, "usr/bin", NoExec),
    applet!("sh", "sh", sh::main, "bin", NoExec),
    applet!("sha1sum", "sha1sum", sum::sha1sum, "usr/bin", NoExec),
    applet!("sha224sum", "sha224sum", sum::sha224sum, "usr/bin", NoExec),
    applet!("sha256sum", "sha256sum", sum::sha256sum, "usr/bin", NoExec),
    applet!("sha384sum", "sha384sum", sum::sha384sum, "usr/bin", NoExec),
    applet!("sha512sum", "sha512sum", sum::sha512sum, "usr/bin", NoExec),
    applet!("shuf", "shuf", shuf::main, "usr/bin", NoExec),
    applet!("sleep", "sleep", sleep::main, "bin", NoExec),
    applet!("sort", "sort", sort::main, "usr/bin", NoExec),
    applet!("stat", "stat", stat::main, "usr/bin", NoExec),
    applet!("su", "su", suexec::su, "bin", NoExec),
    applet!("su-exec", "su-exec", suexec::su_exec, "usr/bin", NoExec),
    applet!("sync", "sync", sync::main, "bin", NoExec),
    applet!("tac", "tac", tac::main, "usr/bin", NoExec),
    applet!("tail", "tail", tail::main, "usr/bin", NoExec),
    applet!("tar-core", "tar", tar::main, "bin", NoExec),
    applet!("tee", "tee", tee::main, "usr/bin", NoExec),
    applet!("test", "test", test::main, "usr/bin", NoExec),
    applet!("timeout", "timeout", timeout::main, "usr/bin", NoExec),
    applet!("touch", "touch", touch::main, "bin", NoExec),
    applet!("tr", "tr", tr::main, "usr/bin", NoExec),
    applet!("true", "true", true_::main, "bin", NoExec),
    applet!("truncate", "truncate", truncate::main, "usr/bin", NoExec),
    applet!("tty", "tty", tty::main, "usr/bin", NoExec),
    applet!("uname", "uname", uname::main, "bin", NoExec),
    applet!("unexpand", "unexpand", unexpand::main, "usr/bin", NoExec),
    applet!("uniq", "uniq", uniq::main, "usr/bin", NoExec),
    applet!(
        "unix2dos",
        "unix2dos",
        dos2unix::unix2dos,
        "usr/bin",
        NoExec
    ),
    applet!("unlink", "unlink", link::unlink, "usr/bin", NoExec),
    applet!("unxz", "unxz", compress::unxz, "usr/bin", NoExec),
    applet!("unzip", "unzip", unzip::main, "usr/bin", NoExec),
    applet!("unzstd", "unzstd", compress::unzstd, "usr/bin", NoExec),
    applet!("uptime", "uptime", uptime::main, "usr/bin", NoExec),
    applet!("useradd", "useradd", users::useradd, "usr/sbin", NoExec),
    applet!("userdel", "userdel", users::userdel, "usr/sbin", NoExec),
    applet!("usermod", "usermod", users::usermod, "usr/sbin", NoExec),
    applet!("wc", "wc", wc::main, "usr/bin", NoExec),
    applet!("wget", "wget", wget::main, "usr/bin", Exec),
    applet!("which", "which", which::main, "usr/bin", NoExec),
    applet!("whoami", "whoami", whoami::main, "usr/bin", NoExec),
    applet!("xargs", "xargs", xargs::main, "usr/bin", NoExec),
    applet!("xxd", "xxd", xxd::main, "usr/bin", NoExec),
    applet!("xz", "xz", compress::xz, "usr/bin", NoExec),
    applet!("xzcat", "xzcat", compress::xzcat, "usr/bin", NoExec),
    applet!("yes", "yes", yes::main, "usr/bin", NoExec),
    applet!("zcat", "zcat", compress::zcat, "bin", NoExec),
    applet!("zstd", "zstd", compress::zstd, "usr/bin", NoExec),
    applet!("zstdcat", "zstdcat", compress::zstdcat, "usr/bin", NoExec),
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
