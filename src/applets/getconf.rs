//! `getconf`: print system configuration values.
//!
//! glibc's `getconf` (2.36): `getconf VAR`, `getconf VAR PATH` (the variables pathconf(3)
//! answers need a PATH, the others refuse one: the usage and status 2), `getconf -a [PATH]`
//! (every supported variable as `NAME` padded to 35 columns and its value, empty when undefined,
//! path variables about PATH or `/`), `-v SPEC` accepted and ignored (one programming
//! environment here), a name matches with or without its `_POSIX_` prefix, `undefined` for a
//! limit that has none, `getconf: Unrecognized variable `X'` and status 2, `getconf: pathconf:
//! PATH: strerror` and status 3. Values are glibc's on x86_64 Linux: its constants, the CPU
//! counts of `common::sysinfo`, ARG_MAX as glibc derives it from the stack limit, the
//! resource limits for CHILD_MAX, OPEN_MAX and SIGQUEUE_MAX, NAME_MAX from statfs(2).
//! Deviations: the variables that depend on the file system type or the CPU (LINK_MAX,
//! FILESIZEBITS, POSIX_ALLOC_SIZE_MIN, POSIX_REC_*, LEVEL*_CACHE_*), _AVPHYS_PAGES,
//! GNU_LIBC_VERSION, GNU_LIBPTHREAD_VERSION and the confstr values glibc leaves empty are not
//! supported (`Unrecognized variable`).

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::sys::strs::StrPair;
use crate::common::sys::{fs, process, user};
use crate::common::{ctx::strerror, sysinfo, Ctx, Error, Result};

const USAGE: &str = "\
Usage: getconf [-v specification] variable_name [pathname]
       getconf -a [pathname]
";

const HELP: Help = help_text!(
    "\
Usage: getconf [-v SPEC] VAR
  or:  getconf [-v SPEC] PATH_VAR PATH

Get the configuration value for variable VAR, or for variable PATH_VAR
for path PATH.  If SPEC is given, give values for compilation
environment SPEC.
"
);

/// How a variable's value is found.
#[derive(Clone, Copy)]
enum V {
    /// A constant of the C library.
    C(&'static str),
    /// A pathconf constant (the path must name something only for [`V::Stat`]).
    PathC(&'static str),
    /// A pathconf constant that needs the file to exist.
    Stat(&'static str),
    /// statfs's name length.
    NameMax,
    ArgMax,
    ClkTck,
    CpusConf,
    CpusOnln,
    /// A soft resource limit, undefined when unlimited.
    Rlim(i32),
    /// sysconf(3), the same in musl and glibc.
    Sys(i32),
}
use crate::common::help::{help_text, Help};
use V::*;

/// glibc's table, in its order (`getconf -a`), for the variables supported here.
// RLIMIT_* are i32 on musl, u32 on glibc.
#[allow(clippy::unnecessary_cast)]
static VARS: &[StrPair] = &[
    e("MAX_CANON", PathC("255")),
    e("_POSIX_MAX_CANON", PathC("255")),
    e("MAX_INPUT", PathC("255")),
    e("_POSIX_MAX_INPUT", PathC("255")),
    e("NAME_MAX", NameMax),
    e("_POSIX_NAME_MAX", NameMax),
    e("PATH_MAX", PathC("4096")),
    e("_POSIX_PATH_MAX", PathC("4096")),
    e("PIPE_BUF", PathC("4096")),
    e("_POSIX_PIPE_BUF", PathC("4096")),
    e("_POSIX_CHOWN_RESTRICTED", Stat("1")),
    e("_POSIX_NO_TRUNC", PathC("1")),
    e("_POSIX_VDISABLE", PathC("0")),
    e("ARG_MAX", ArgMax),
    e("ATEXIT_MAX", C("2147483647")),
    e("CHAR_BIT", C("8")),
    e("CHAR_MAX", C("127")),
    e("CHAR_MIN", C("-128")),
    e("CHILD_MAX", Rlim(libc::RLIMIT_NPROC as i32)),
    e("CLK_TCK", ClkTck),
    e("INT_MAX", C("2147483647")),
    e("INT_MIN", C("-2147483648")),
    e("IOV_MAX", C("1024")),
    e("LOGNAME_MAX", C("256")),
    e("LONG_BIT", C("64")),
    e("MB_LEN_MAX", C("16")),
    e("NGROUPS_MAX", C("65536")),
    e("NL_ARGMAX", C("4096")),
    e("NL_LANGMAX", C("2048")),
    e("NL_MSGMAX", C("2147483647")),
    e("NL_NMAX", C("2147483647")),
    e("NL_SETMAX", C("2147483647")),
    e("NL_TEXTMAX", C("2147483647")),
    e("NSS_BUFLEN_GROUP", C("1024")),
    e("NSS_BUFLEN_PASSWD", C("1024")),
    e("NZERO", C("20")),
    e("OPEN_MAX", Rlim(libc::RLIMIT_NOFILE as i32)),
    e("PAGESIZE", Sys(libc::_SC_PAGESIZE)),
    e("PAGE_SIZE", Sys(libc::_SC_PAGESIZE)),
    e("PASS_MAX", C("8192")),
    e("PTHREAD_DESTRUCTOR_ITERATIONS", C("4")),
    e("PTHREAD_KEYS_MAX", C("1024")),
    e("PTHREAD_STACK_MIN", C("16384")),
    e("SCHAR_MAX", C("127")),
    e("SCHAR_MIN", C("-128")),
    e("SHRT_MAX", C("32767")),
    e("SHRT_MIN", C("-32768")),
    e("SSIZE_MAX", C("32767")),
    e("TTY_NAME_MAX", C("32")),
    e("UCHAR_MAX", C("255")),
    e("UINT_MAX", C("4294967295")),
    e("UIO_MAXIOV", C("1024")),
    e("ULONG_MAX", C("18446744073709551615")),
    e("USHRT_MAX", C("65535")),
    e("WORD_BIT", C("32")),
    e("_NPROCESSORS_CONF", CpusConf),
    e("_NPROCESSORS_ONLN", CpusOnln),
    e("_PHYS_PAGES", Sys(libc::_SC_PHYS_PAGES)),
    e("_POSIX_ARG_MAX", ArgMax),
    e("_POSIX_ASYNCHRONOUS_IO", C("200809")),
    e("_POSIX_CHILD_MAX", Rlim(libc::RLIMIT_NPROC as i32)),
    e("_POSIX_FSYNC", C("200809")),
    e("_POSIX_JOB_CONTROL", C("1")),
    e("_POSIX_MAPPED_FILES", C("200809")),
    e("_POSIX_MEMLOCK", C("200809")),
    e("_POSIX_MEMLOCK_RANGE", C("200809")),
    e("_POSIX_MEMORY_PROTECTION", C("200809")),
    e("_POSIX_MESSAGE_PASSING", C("200809")),
    e("_POSIX_NGROUPS_MAX", C("65536")),
    e("_POSIX_OPEN_MAX", Rlim(libc::RLIMIT_NOFILE as i32)),
    e("_POSIX_PRIORITIZED_IO", C("200809")),
    e("_POSIX_PRIORITY_SCHEDULING", C("200809")),
    e("_POSIX_REALTIME_SIGNALS", C("200809")),
    e("_POSIX_SAVED_IDS", C("1")),
    e("_POSIX_SEMAPHORES", C("200809")),
    e("_POSIX_SHARED_MEMORY_OBJECTS", C("200809")),
    e("_POSIX_SSIZE_MAX", C("32767")),
    e("_POSIX_STREAM_MAX", C("16")),
    e("_POSIX_SYNCHRONIZED_IO", C("200809")),
    e("_POSIX_THREADS", C("200809")),
    e("_POSIX_THREAD_ATTR_STACKADDR", C("200809")),
    e("_POSIX_THREAD_ATTR_STACKSIZE", C("200809")),
    e("_POSIX_THREAD_PRIORITY_SCHEDULING", C("200809")),
    e("_POSIX_THREAD_PRIO_INHERIT", C("200809")),
    e("_POSIX_THREAD_PRIO_PROTECT", C("200809")),
    e("_POSIX_THREAD_PROCESS_SHARED", C("200809")),
    e("_POSIX_THREAD_SAFE_FUNCTIONS", C("200809")),
    e("_POSIX_TIMERS", C("200809")),
    e("_POSIX_VERSION", C("200809")),
    e("_XOPEN_ENH_I18N", C("1")),
    e("_XOPEN_LEGACY", C("1")),
    e("_XOPEN_REALTIME", C("1")),
    e("_XOPEN_REALTIME_THREADS", C("1")),
    e("_XOPEN_SHM", C("1")),
    e("_XOPEN_UNIX", C("1")),
    e("_XOPEN_VERSION", C("700")),
    e("_XOPEN_XCU_VERSION", C("4")),
    e("_XOPEN_XPG2", C("1")),
    e("_XOPEN_XPG3", C("1")),
    e("_XOPEN_XPG4", C("1")),
    e("BC_BASE_MAX", C("99")),
    e("BC_DIM_MAX", C("2048")),
    e("BC_SCALE_MAX", C("99")),
    e("BC_STRING_MAX", C("1000")),
    e("CHARCLASS_NAME_MAX", C("2048")),
    e("COLL_WEIGHTS_MAX", C("255")),
    e("EXPR_NEST_MAX", C("32")),
    e("LINE_MAX", C("2048")),
    e("POSIX2_BC_BASE_MAX", C("99")),
    e("POSIX2_BC_DIM_MAX", C("2048")),
    e("POSIX2_BC_SCALE_MAX", C("99")),
    e("POSIX2_BC_STRING_MAX", C("1000")),
    e("POSIX2_CHAR_TERM", C("200809")),
    e("POSIX2_COLL_WEIGHTS_MAX", C("255")),
    e("POSIX2_C_BIND", C("200809")),
    e("POSIX2_C_DEV", C("200809")),
    e("POSIX2_C_VERSION", C("200809")),
    e("POSIX2_EXPR_NEST_MAX", C("32")),
    e("_POSIX2_LINE_MAX", C("2048")),
    e("POSIX2_LINE_MAX", C("2048")),
    e("POSIX2_LOCALEDEF", C("200809")),
    e("POSIX2_RE_DUP_MAX", C("32767")),
    e("POSIX2_SW_DEV", C("200809")),
    e("POSIX2_VERSION", C("200809")),
    e("RE_DUP_MAX", C("32767")),
    e("PATH", C("/bin:/usr/bin")),
    e("CS_PATH", C("/bin:/usr/bin")),
    e("LFS64_CFLAGS", C("-D_LARGEFILE64_SOURCE")),
    e("LFS64_LINTFLAGS", C("-D_LARGEFILE64_SOURCE")),
    e("_XBS5_WIDTH_RESTRICTED_ENVS", C("XBS5_LP64_OFF64")),
    e("XBS5_WIDTH_RESTRICTED_ENVS", C("XBS5_LP64_OFF64")),
    e("_XBS5_LP64_OFF64", C("1")),
    e("XBS5_LP64_OFF64_CFLAGS", C("-m64")),
    e("XBS5_LP64_OFF64_LDFLAGS", C("-m64")),
    e("_POSIX_V6_WIDTH_RESTRICTED_ENVS", C("POSIX_V6_LP64_OFF64")),
    e("POSIX_V6_WIDTH_RESTRICTED_ENVS", C("POSIX_V6_LP64_OFF64")),
    e("_POSIX_V6_LP64_OFF64", C("1")),
    e("POSIX_V6_LP64_OFF64_CFLAGS", C("-m64")),
    e("POSIX_V6_LP64_OFF64_LDFLAGS", C("-m64")),
    e("_POSIX_V7_WIDTH_RESTRICTED_ENVS", C("POSIX_V7_LP64_OFF64")),
    e("POSIX_V7_WIDTH_RESTRICTED_ENVS", C("POSIX_V7_LP64_OFF64")),
    e("_POSIX_V7_LP64_OFF64", C("1")),
    e("POSIX_V7_LP64_OFF64_CFLAGS", C("-m64")),
    e("POSIX_V7_LP64_OFF64_LDFLAGS", C("-m64")),
    e("_POSIX_ADVISORY_INFO", C("200809")),
    e("_POSIX_BARRIERS", C("200809")),
    e("_POSIX_CLOCK_SELECTION", C("200809")),
    e("_POSIX_CPUTIME", C("200809")),
    e("_POSIX_THREAD_CPUTIME", C("200809")),
    e("_POSIX_MONOTONIC_CLOCK", C("200809")),
    e("_POSIX_READER_WRITER_LOCKS", C("200809")),
    e("_POSIX_SPIN_LOCKS", C("200809")),
    e("_POSIX_REGEXP", C("1")),
    e("_POSIX_SHELL", C("1")),
    e("_POSIX_SPAWN", C("200809")),
    e("_POSIX_TIMEOUTS", C("200809")),
    e("STREAM_MAX", C("16")),
    e("AIO_PRIO_DELTA_MAX", C("20")),
    e("DELAYTIMER_MAX", C("2147483647")),
    e("HOST_NAME_MAX", C("64")),
    e("LOGIN_NAME_MAX", C("256")),
    e("MQ_PRIO_MAX", C("32768")),
    e("RTSIG_MAX", C("32")),
    e("SEM_VALUE_MAX", C("2147483647")),
    e("SIGQUEUE_MAX", Rlim(libc::RLIMIT_SIGPENDING as i32)),
    e("POSIX2_SYMLINKS", Stat("1")),
    e("IPV6", C("200809")),
    e("RAW_SOCKETS", C("200809")),
    e("_POSIX_IPV6", C("200809")),
    e("_POSIX_RAW_SOCKETS", C("200809")),
];

/// An entry of [`VARS`]: its name, and the way to its value packed into the pair's second
/// string and two bytes (24 bytes where `(&str, V)` took 40: 2.7 KB less relocated data).
const fn e(name: &'static str, v: V) -> StrPair {
    let (kind, n, s) = match v {
        C(s) => (0, 0, s),
        PathC(s) => (1, 0, s),
        Stat(s) => (2, 0, s),
        NameMax => (3, 0, ""),
        ArgMax => (4, 0, ""),
        ClkTck => (5, 0, ""),
        CpusConf => (6, 0, ""),
        CpusOnln => (7, 0, ""),
        Rlim(n) => (8, n, ""),
        Sys(n) => (9, n, ""),
    };
    assert!(
        0 <= n && n < 256,
        "getconf: a resource or sysconf number over 255"
    );
    StrPair::new(name, s, kind, n as u8)
}

/// The name and value rule of an entry of [`VARS`] (see [`e`]).
fn entry(p: &StrPair) -> (&'static str, V) {
    let n = p.y as i32;
    let v = match p.x {
        0 => C(p.b()),
        1 => PathC(p.b()),
        2 => Stat(p.b()),
        3 => NameMax,
        4 => ArgMax,
        5 => ClkTck,
        6 => CpusConf,
        7 => CpusOnln,
        8 => Rlim(n),
        _ => Sys(n),
    };
    (p.a(), v)
}

fn is_path(v: V) -> bool {
    matches!(v, PathC(_) | Stat(_) | NameMax)
}

/// The value, None for undefined; Err for a path that cannot be asked about.
fn value(v: V, path: &[u8]) -> std::io::Result<Option<String>> {
    let enoent = || std::io::Error::from_raw_os_error(libc::ENOENT);
    Ok(Some(match v {
        C(s) => s.to_string(),
        PathC(s) => {
            if path.is_empty() {
                return Err(enoent());
            }
            s.to_string()
        }
        Stat(s) => {
            fs::statfs(path)?;
            s.to_string()
        }
        NameMax => fs::statfs(path)?.namelen.to_string(),
        ArgMax => process::arg_max().to_string(),
        ClkTck => process::clock_ticks().to_string(),
        CpusConf => sysinfo::cpus_configured().to_string(),
        CpusOnln => sysinfo::cpus_online().to_string(),
        Rlim(r) => {
            let cur = process::getrlimit(r).cur;
            if cur == process::RLIM_INFINITY {
                return Ok(None);
            }
            cur.to_string()
        }
        Sys(n) => match user::sysconf(n) {
            Some(x) => x.to_string(),
            None => return Ok(None),
        },
    }))
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn usage() -> Error {
    let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), USAGE.as_bytes());
    Error::new(2, "")
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut a: Vec<&[u8]> = argv.iter().skip(1).map(|s| s.as_bytes()).collect();
    match a.first().copied() {
        Some(b"--help") => {
            ctx.out.write_all(&HELP.bytes())?;
            return Ok(());
        }
        Some(b"--version") => {
            let v = format!("getconf (rbox) {}\n", env!("CARGO_PKG_VERSION"));
            ctx.out.write_all(v.as_bytes())?;
            return Ok(());
        }
        _ => {}
    }
    if let Some(first) = a.first().copied() {
        if first.starts_with(b"-v") {
            // -v SPEC or -vSPEC: one programming environment here, whatever SPEC names.
            let n = if first.len() > 2 { 1 } else { 2 };
            if a.len() < n {
                return Err(usage());
            }
            a.drain(..n);
        }
    }
    if a.first() == Some(&&b"--"[..]) {
        a.remove(0);
    }
    if a.first() == Some(&&b"-a"[..]) {
        if a.len() > 2 {
            return Err(usage());
        }
        let path = a.get(1).copied().unwrap_or(b"/");
        let mut out = Vec::with_capacity(8192);
        for (name, v) in VARS.iter().map(entry) {
            let val = value(v, path).ok().flatten().unwrap_or_default();
            push_fmt(&mut out, format_args!("{name:<35}{val}\n"));
        }
        ctx.out.write_all(&out)?;
        return Ok(());
    }
    if a.is_empty() || a.len() > 2 {
        return Err(usage());
    }
    let var = a[0];
    let found = VARS.iter().map(entry).find(|(n, _)| {
        n.as_bytes() == var || n.strip_prefix("_POSIX_").map(str::as_bytes) == Some(var)
    });
    let Some((_, v)) = found else {
        let mut msg = b"Unrecognized variable `".to_vec();
        msg.extend_from_slice(var);
        msg.push(b'\'');
        return Err(Error::new(2, msg));
    };
    if is_path(v) != (a.len() == 2) {
        return Err(usage());
    }
    let path = a.get(1).copied().unwrap_or(b"");
    let val = value(v, path).map_err(|e| {
        let mut msg = b"pathconf: ".to_vec();
        msg.extend_from_slice(path);
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(strerror(&e).as_bytes());
        Error::new(3, msg)
    })?;
    let mut line = val.unwrap_or_else(|| "undefined".to_string()).into_bytes();
    line.push(b'\n');
    ctx.out.write_all(&line)?;
    Ok(())
}
