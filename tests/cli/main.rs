//! The one integration-test binary: runs the built rbox as a user would.
//! Each applet has its own module; `harness` holds the shared runner.

mod harness;

#[cfg(feature = "awk")]
mod awk;
#[cfg(all(feature = "cp", feature = "mv", feature = "ln", feature = "install"))]
mod backup;
#[cfg(feature = "base64")]
mod base64;
#[cfg(feature = "basename")]
mod basename;
mod cat;
#[cfg(feature = "chmod")]
mod chmod;
#[cfg(feature = "chown")]
mod chown;
#[cfg(feature = "chroot")]
mod chroot;
#[cfg(feature = "cmp")]
mod cmp;
#[cfg(feature = "comm")]
mod comm;
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
mod compress;
mod core;
#[cfg(feature = "cp")]
mod cp;
#[cfg(all(feature = "crond", feature = "crontab"))]
mod crond;
#[cfg(feature = "cut")]
mod cut;
#[cfg(feature = "date")]
mod date;
#[cfg(feature = "dd")]
mod dd;
#[cfg(feature = "df")]
mod df;
#[cfg(feature = "diff")]
mod diff;
#[cfg(feature = "dirname")]
mod dirname;
#[cfg(all(feature = "dos2unix", feature = "unix2dos"))]
mod dos2unix;
#[cfg(feature = "du")]
mod du;
#[cfg(all(
    feature = "cat",
    feature = "ls",
    feature = "sh",
    feature = "tar",
    feature = "wget"
))]
mod e2e;
#[cfg(feature = "echo")]
mod echo;
#[cfg(feature = "env")]
mod env;
#[cfg(feature = "envsubst")]
mod envsubst;
#[cfg(feature = "expand")]
mod expand;
#[cfg(feature = "expr")]
mod expr;
#[cfg(feature = "find")]
mod find;
#[cfg(feature = "flock")]
mod flock;
#[cfg(feature = "fold")]
mod fold;
#[cfg(feature = "free")]
mod free;
mod fuzz;
#[cfg(feature = "getconf")]
mod getconf;
#[cfg(feature = "getent")]
mod getent;
#[cfg(feature = "getopt")]
mod getopt;
#[cfg(any(feature = "egrep", feature = "fgrep", feature = "grep"))]
mod grep;
#[cfg(feature = "groups")]
mod groups;
#[cfg(feature = "head")]
mod head;
#[cfg(feature = "hexdump")]
mod hexdump;
#[cfg(feature = "hostname")]
mod hostname;
#[cfg(feature = "id")]
mod id;
mod image;
#[cfg(feature = "install")]
mod install;
#[cfg(feature = "kill")]
mod kill;
#[cfg(feature = "killall")]
mod killall;
#[cfg(any(feature = "link", feature = "unlink"))]
mod link;
#[cfg(feature = "ln")]
mod ln;
#[cfg(feature = "ls")]
mod ls;
#[cfg(feature = "mkdir")]
mod mkdir;
#[cfg(feature = "mkfifo")]
mod mkfifo;
#[cfg(feature = "mknod")]
mod mknod;
#[cfg(feature = "mktemp")]
mod mktemp;
#[cfg(feature = "mountpoint")]
mod mountpoint;
#[cfg(feature = "mv")]
mod mv;
#[cfg(feature = "nc")]
mod nc;
#[cfg(feature = "nice")]
mod nice;
#[cfg(feature = "nl")]
mod nl;
#[cfg(feature = "nohup")]
mod nohup;
#[cfg(feature = "nologin")]
mod nologin;
#[cfg(feature = "nproc")]
mod nproc;
#[cfg(feature = "od")]
mod od;
#[cfg(feature = "paste")]
mod paste;
#[cfg(feature = "patch")]
mod patch;
#[cfg(any(feature = "pgrep", feature = "pkill"))]
mod pgrep;
#[cfg(feature = "pidof")]
mod pidof;
#[cfg(feature = "printenv")]
mod printenv;
#[cfg(feature = "printf")]
mod printf;
#[cfg(feature = "ps")]
mod ps;
#[cfg(feature = "pwd")]
mod pwd;
#[cfg(feature = "readlink")]
mod readlink;
#[cfg(feature = "realpath")]
mod realpath;
mod regex_glibc;
#[cfg(feature = "rev")]
mod rev;
#[cfg(feature = "rm")]
mod rm;
#[cfg(feature = "rmdir")]
mod rmdir;
// The image under runc: needs the whole userland (and e2e's loopback server).
#[cfg(all(feature = "chpasswd", feature = "passwd", feature = "useradd"))]
mod chpasswd;
#[cfg(feature = "run-parts")]
mod run_parts;
#[cfg(all(
    feature = "cat",
    feature = "ls",
    feature = "sh",
    feature = "tar",
    feature = "wget"
))]
mod runc;
#[cfg(feature = "sed")]
mod sed;
#[cfg(feature = "seq")]
mod seq;
#[cfg(feature = "setsid")]
mod setsid;
#[cfg(feature = "sh")]
mod sh;
#[cfg(feature = "sh")]
mod sh_interactive;
#[cfg(feature = "sh")]
mod sh_posix;
#[cfg(feature = "shuf")]
mod shuf;
#[cfg(feature = "sleep")]
mod sleep;
#[cfg(feature = "sort")]
mod sort;
#[cfg(feature = "stat")]
mod stat;
#[cfg(any(
    feature = "gosu",
    feature = "setpriv",
    feature = "su",
    feature = "su-exec"
))]
mod suexec;
#[cfg(any(
    feature = "md5sum",
    feature = "sha1sum",
    feature = "sha224sum",
    feature = "sha256sum",
    feature = "sha384sum",
    feature = "sha512sum"
))]
mod sums;
#[cfg(feature = "sync")]
mod sync;
#[cfg(feature = "tac")]
mod tac;
#[cfg(feature = "tail")]
mod tail;
#[cfg(feature = "tar")]
mod tar;
#[cfg(feature = "tar")]
mod tar_create;
#[cfg(feature = "tar")]
mod tar_format;
#[cfg(feature = "tar")]
mod tar_msgs;
#[cfg(feature = "tar")]
mod tar_opts;
#[cfg(feature = "tar")]
mod tar_suite;
#[cfg(feature = "tar")]
mod tar_transform;
#[cfg(feature = "tee")]
mod tee;
#[cfg(feature = "test")]
mod test;
#[cfg(feature = "timeout")]
mod timeout;
#[cfg(feature = "touch")]
mod touch;
#[cfg(feature = "tr")]
mod tr;
#[cfg(any(feature = "true", feature = "false", feature = "yes"))]
mod true_false;
#[cfg(feature = "truncate")]
mod truncate;
#[cfg(feature = "tty")]
mod tty;
#[cfg(feature = "uname")]
mod uname;
#[cfg(feature = "unexpand")]
mod unexpand;
#[cfg(feature = "uniq")]
mod uniq;
#[cfg(feature = "unzip")]
mod unzip;
#[cfg(feature = "uptime")]
mod uptime;
#[cfg(all(
    feature = "userdel",
    feature = "groupdel",
    feature = "deluser",
    feature = "useradd"
))]
mod userdel;
#[cfg(all(feature = "usermod", feature = "groupmod", feature = "useradd"))]
mod usermod;
#[cfg(any(
    feature = "addgroup",
    feature = "adduser",
    feature = "groupadd",
    feature = "useradd"
))]
mod users;
#[cfg(feature = "wc")]
mod wc;
#[cfg(feature = "wget")]
mod wget;
#[cfg(feature = "which")]
mod which;
#[cfg(feature = "whoami")]
mod whoami;
#[cfg(feature = "xargs")]
mod xargs;
#[cfg(feature = "xxd")]
mod xxd;
