//! The one integration-test binary: runs the built rbox as a user would.
//! Each applet has its own module; `harness` holds the shared runner.

mod harness;

#[cfg(feature = "basename")]
mod basename;
mod cat;
#[cfg(feature = "chmod")]
mod chmod;
#[cfg(feature = "chown")]
mod chown;
mod core;
#[cfg(feature = "cp")]
mod cp;
#[cfg(feature = "date")]
mod date;
#[cfg(feature = "df")]
mod df;
#[cfg(feature = "dirname")]
mod dirname;
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
#[cfg(feature = "expr")]
mod expr;
#[cfg(feature = "getconf")]
mod getconf;
#[cfg(feature = "getopt")]
mod getopt;
#[cfg(feature = "groups")]
mod groups;
#[cfg(feature = "hostname")]
mod hostname;
#[cfg(feature = "id")]
mod id;
mod image;
#[cfg(feature = "install")]
mod install;
#[cfg(feature = "kill")]
mod kill;
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
#[cfg(feature = "mv")]
mod mv;
#[cfg(feature = "nproc")]
mod nproc;
#[cfg(feature = "printenv")]
mod printenv;
#[cfg(feature = "printf")]
mod printf;
#[cfg(feature = "readlink")]
mod readlink;
#[cfg(feature = "realpath")]
mod realpath;
mod regex_glibc;
#[cfg(feature = "rm")]
mod rm;
#[cfg(feature = "rmdir")]
mod rmdir;
#[cfg(feature = "sh")]
mod sh;
#[cfg(feature = "sh")]
mod sh_interactive;
#[cfg(feature = "sleep")]
mod sleep;
#[cfg(feature = "stat")]
mod stat;
#[cfg(feature = "sync")]
mod sync;
#[cfg(feature = "tar")]
mod tar;
#[cfg(feature = "tar")]
mod tar_create;
#[cfg(feature = "tar")]
mod tar_opts;
#[cfg(feature = "test")]
mod test;
#[cfg(feature = "timeout")]
mod timeout;
#[cfg(feature = "touch")]
mod touch;
#[cfg(any(feature = "true", feature = "false", feature = "yes"))]
mod true_false;
#[cfg(feature = "truncate")]
mod truncate;
#[cfg(feature = "uname")]
mod uname;
#[cfg(feature = "wget")]
mod wget;
#[cfg(feature = "which")]
mod which;
#[cfg(feature = "whoami")]
mod whoami;
#[cfg(feature = "xargs")]
mod xargs;
