//! `getconf`: print system configuration values.
//!
//! glibc's `getconf` output for the variables scripts ask: `_NPROCESSORS_ONLN`,
//! `_NPROCESSORS_CONF` (counted as glibc counts them, `common::sysinfo`), `PAGESIZE`/
//! `PAGE_SIZE`, `LONG_BIT`, `WORD_BIT`, `PATH`, `ARG_MAX`, `CLK_TCK`, `OPEN_MAX`, `CHILD_MAX`,
//! `HOST_NAME_MAX`, `LOGIN_NAME_MAX`, `LINE_MAX`, `NGROUPS_MAX`, `INT_MAX` and friends,
//! `_POSIX_VERSION`, `GNU_LIBC_VERSION`; with a path `NAME_MAX`, `PATH_MAX`, `PIPE_BUF`,
//! `LINK_MAX`; `-a [PATH]` lists them (`%-35s%s`). Usage errors exit 2, an unknown variable
//! `Unrecognized variable` 2, a bad path 3, as glibc's. Deviation: `-a` lists only these
//! variables, not glibc's several hundred; no `-v`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::sys::{fs as sysfs, process as sp, user};
use crate::common::{ctx::strerror, sysinfo, Ctx, Error, Result};

const USAGE: &str = "Usage: getconf [-v specification] variable_name [pathname]
       getconf -a [pathname]
";

#[allow(clippy::unnecessary_cast)]
fn system(name: &str) -> Option<String> {
    let rl = |r| {
        let v = sp::getrlimit(r as i32).cur;
        if v == sp::RLIM_INFINITY {
            "unlimited".to_string()
        } else {
            v.to_string()
        }
    };
    Some(match name {
        "_NPROCESSORS_ONLN" => sysinfo::cpus_online().to_string(),
        "_NPROCESSORS_CONF" => sysinfo::cpus_configured().to_string(),
        "PAGESIZE" | "PAGE_SIZE" => user::sysconf(libc::_SC_PAGESIZE)
            .unwrap_or(4096)
            .to_string(),
        "LONG_BIT" => (usize::BITS).to_string(),
        "WORD_BIT" => "32".into(),
        "PATH" => "/bin:/usr/bin".into(),
        "ARG_MAX" => sp::arg_max().to_string(),
        "CLK_TCK" => sp::clock_ticks().to_string(),
        "OPEN_MAX" => rl(libc::RLIMIT_NOFILE),
        "CHILD_MAX" => rl(libc::RLIMIT_NPROC),
        "HOST_NAME_MAX" => "64".into(),
        "LOGIN_NAME_MAX" => "256".into(),
        "LINE_MAX" => "2048".into(),
        "NGROUPS_MAX" => "65536".into(),
        "CHAR_BIT" => "8".into(),
        "INT_MAX" => i32::MAX.to_string(),
        "INT_MIN" => i32::MIN.to_string(),
        "UINT_MAX" => u32::MAX.to_string(),
        "LONG_MAX" => i64::MAX.to_string(),
        "LONG_MIN" => i64::MIN.to_string(),
        "ULONG_MAX" => u64::MAX.to_string(),
        // glibc reports _POSIX_SSIZE_MAX here.
        "SSIZE_MAX" => "32767".into(),
        "_POSIX_VERSION" | "_POSIX2_VERSION" => "200809".into(),
        "GNU_LIBC_VERSION" => "glibc 2.36".into(),
        _ => return None,
    })
}

const SYSTEM_NAMES: &[&str] = &[
    "ARG_MAX",
    "CHILD_MAX",
    "CLK_TCK",
    "NGROUPS_MAX",
    "OPEN_MAX",
    "_POSIX_VERSION",
    "LINE_MAX",
    "HOST_NAME_MAX",
    "LOGIN_NAME_MAX",
    "PAGESIZE",
    "PAGE_SIZE",
    "_NPROCESSORS_CONF",
    "_NPROCESSORS_ONLN",
    "CHAR_BIT",
    "INT_MAX",
    "INT_MIN",
    "LONG_BIT",
    "WORD_BIT",
    "SSIZE_MAX",
    "UINT_MAX",
    "ULONG_MAX",
    "PATH",
    "GNU_LIBC_VERSION",
];
const PATH_NAMES: &[&str] = &["LINK_MAX", "NAME_MAX", "PATH_MAX", "PIPE_BUF"];

/// What glibc's pathconf says for `path` (the name length from statfs).
fn path_value(name: &str, path: &[u8]) -> std::io::Result<Option<String>> {
    let fs = sysfs::statfs(path)?;
    Ok(Some(match name {
        "NAME_MAX" => fs.namelen.to_string(),
        "PATH_MAX" => "4096".into(),
        "PIPE_BUF" => "4096".into(),
        "LINK_MAX" => {
            // ext2/3/4: 65000; most others 127 (glibc's table, abridged).
            if fs.ftype == 0xEF53 {
                "65000".into()
            } else {
                "127".into()
            }
        }
        _ => return Ok(None),
    }))
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn usage(ctx: &mut Ctx) -> Error {
    let _ = ctx.out.flush();
    crate::common::io::write_all(crate::common::io::stderr_fd(), USAGE.as_bytes()).ok();
    Error::silent(2)
}

fn pathconf_error(path: &[u8], e: &std::io::Error) -> Error {
    let mut m = b"pathconf: ".to_vec();
    m.extend_from_slice(path);
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(e).as_bytes());
    Error::new(3, m)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    if args.first() == Some(&&b"--"[..]) {
        args.remove(0);
    }
    if args.first() == Some(&&b"-a"[..]) {
        let path = args.get(1).copied().unwrap_or(b"/");
        if args.len() > 2 {
            return Err(usage(ctx));
        }
        let mut out = String::new();
        for n in PATH_NAMES {
            if let Some(v) = path_value(n, path).map_err(|e| pathconf_error(path, &e))? {
                out.push_str(&format!("{n:<35}{v}\n"));
            }
        }
        for n in SYSTEM_NAMES {
            if let Some(v) = system(n) {
                out.push_str(&format!("{n:<35}{v}\n"));
            }
        }
        ctx.out.write_all(out.as_bytes())?;
        return Ok(());
    }
    let (name, path) = match args.as_slice() {
        [n] => (*n, None),
        [n, p] => (*n, Some(*p)),
        _ => return Err(usage(ctx)),
    };
    let name_s = String::from_utf8_lossy(name);
    let name_s = name_s
        .strip_prefix("_POSIX_")
        .filter(|n| PATH_NAMES.contains(n))
        .unwrap_or(&name_s);
    if PATH_NAMES.contains(&name_s) {
        let Some(p) = path else {
            return Err(usage(ctx));
        };
        let v = path_value(name_s, p).map_err(|e| pathconf_error(p, &e))?;
        ctx.out
            .write_all(format!("{}\n", v.unwrap_or_default()).as_bytes())?;
        return Ok(());
    }
    match system(name_s) {
        Some(v) if path.is_none() => {
            ctx.out.write_all(format!("{v}\n").as_bytes())?;
            Ok(())
        }
        Some(_) => Err(usage(ctx)),
        None => {
            let mut m = b"Unrecognized variable `".to_vec();
            m.extend_from_slice(name);
            m.push(b'\'');
            Err(Error::new(2, m))
        }
    }
}
