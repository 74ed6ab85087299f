//! The static applet table: sorted by name, one `#[cfg(feature)]` line per applet, looked up by
//! binary search. Applets use `crate::common` and nothing of each other; only the shell looks
//! applets up here.
//!
//! No applet holds `unsafe`: every system call goes through `crate::common::sys`.

#![forbid(unsafe_code)]

use std::ffi::OsString;

use crate::common::Ctx;

#[cfg(feature = "cat")]
pub mod cat;
#[cfg(feature = "ls")]
pub mod ls;
#[cfg(feature = "sh")]
pub mod sh;
#[cfg(feature = "tar-core")]
pub mod tar;
#[cfg(feature = "wget")]
pub mod wget;

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
    ($feat:literal, $name:literal, $module:ident, $dir:literal, $mode:ident) => {
        #[cfg(feature = $feat)]
        Applet {
            name: $name,
            main: $module::main,
            dir: $dir,
            mode: Mode::$mode,
        }
    };
}

/// Sorted by name (a unit test checks it).
pub static APPLETS: &[Applet] = &[
    applet!("cat", "cat", cat, "bin", NoExec),
    applet!("ls", "ls", ls, "bin", NoExec),
    applet!("sh", "sh", sh, "bin", NoExec),
    applet!("tar-core", "tar", tar, "bin", NoExec),
    applet!("wget", "wget", wget, "usr/bin", Exec),
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
