//! Processes and the system as /proc shows them, read as procps-ng 4 reads them (ps, pgrep,
//! pkill, pidof, free, uptime): `/proc/PID/stat`, `status` and `cmdline`, and `/proc/meminfo`,
//! `uptime`, `loadavg`, `stat`. A process that ends while it is read is skipped.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use super::args::{self, Matches, Opt};
use super::help::Help;
use super::{io, Ctx, Error, Result};

/// procps's command line: glibc getopt_long over `table`; a bad option is glibc's message
/// followed by the whole usage on stderr, status 1; `help` prints the usage and `version`
/// (`-V`) the version. `None`: answered.
pub fn getopt(
    ctx: &mut Ctx,
    argv: &[OsString],
    table: &[Opt],
    usage: Help,
) -> Result<Option<Matches>> {
    let m = match args::getopt(argv, table) {
        Ok(m) => m,
        Err(msg) => {
            ctx.msg(&msg);
            return Err(usage_error(usage));
        }
    };
    if m.flag("help") {
        ctx.out.write_all(&usage.bytes())?;
        return Ok(None);
    }
    if m.flag("version") {
        let v = format!("{} (rbox) {}\n", ctx.name, env!("CARGO_PKG_VERSION"));
        ctx.out.write_all(v.as_bytes())?;
        return Ok(None);
    }
    Ok(Some(m))
}

/// The usage on stderr and status 1, as procps's `usage(stderr)`.
pub fn usage_error(usage: Help) -> Error {
    io::write_all(io::stderr_fd(), &usage.bytes()).ok();
    Error::silent(1)
}

/// One process: what `/proc/PID/stat` and `status` say of it.
#[derive(Clone, Debug, Default)]
pub struct Proc {
    pub pid: i32,
    /// The 15-byte command name (`comm`).
    pub comm: Vec<u8>,
    pub state: u8,
    pub ppid: i32,
    pub pgrp: i32,
    pub sid: i32,
    /// The controlling terminal's device number, 0 for none.
    pub tty: i32,
    pub tpgid: i32,
    pub flags: u64,
    /// User plus system time, in clock ticks.
    pub ticks: u64,
    pub priority: i64,
    pub nice: i64,
    pub threads: i64,
    /// Start, in clock ticks after boot.
    pub start: u64,
    pub policy: u32,
    /// Real, effective, saved, filesystem.
    pub uid: [u32; 4],
    pub gid: [u32; 4],
    /// `VmSize`, `VmRSS`, `VmLck` in KiB (0 for kernel threads).
    pub vsz: u64,
    pub rss: u64,
    pub locked: u64,
}

fn num<T: std::str::FromStr + Default>(b: &[u8]) -> T {
    std::str::from_utf8(b)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_default()
}

/// The pids under /proc, ascending.
pub fn pids() -> Vec<i32> {
    let mut v: Vec<i32> = std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| {
                let e = e.ok()?;
                let n = e.file_name();
                let n = n.as_bytes();
                (n.iter().all(u8::is_ascii_digit)).then(|| num(n))
            })
            .collect()
        })
        .unwrap_or_default();
    super::sort::sort(&mut v);
    v
}

/// `/proc/PID/NAME` (`self` for pid 0).
pub fn file(pid: i32, name: &str) -> Option<Vec<u8>> {
    let p = if pid == 0 {
        format!("/proc/self/{name}")
    } else {
        format!("/proc/{pid}/{name}")
    };
    std::fs::read(p).ok()
}

impl Proc {
    /// Pid 0 reads this process.
    pub fn read(pid: i32) -> Option<Proc> {
        Proc::parse(&file(pid, "stat")?, &file(pid, "status")?)
    }

    fn parse(stat: &[u8], status: &[u8]) -> Option<Proc> {
        let open = stat.iter().position(|&b| b == b'(')?;
        let close = stat.iter().rposition(|&b| b == b')')?;
        let f: Vec<&[u8]> = stat
            .get(close + 2..)?
            .split(|&b| b == b' ')
            .filter(|s| !s.is_empty())
            .collect();
        // Field N of proc(5) is f[N - 3].
        let g = |n: usize| f.get(n - 3).copied().unwrap_or(b"0");
        let mut p = Proc {
            pid: num(&stat[..open]),
            comm: stat[open + 1..close].to_vec(),
            state: *g(3).first()?,
            ppid: num(g(4)),
            pgrp: num(g(5)),
            sid: num(g(6)),
            tty: num(g(7)),
            tpgid: num(g(8)),
            flags: num(g(9)),
            ticks: num::<u64>(g(14)) + num::<u64>(g(15)),
            priority: num(g(18)),
            nice: num(g(19)),
            threads: num(g(20)),
            start: num(g(22)),
            policy: num(g(41)),
            ..Proc::default()
        };
        for line in status.split(|&b| b == b'\n') {
            let Some(c) = line.iter().position(|&b| b == b':') else {
                continue;
            };
            let (k, v) = (&line[..c], &line[c + 1..]);
            let ids = |out: &mut [u32; 4]| {
                for (o, x) in out.iter_mut().zip(
                    v.split(|b| b.is_ascii_whitespace())
                        .filter(|s| !s.is_empty()),
                ) {
                    *o = num(x);
                }
            };
            let kb = || num::<u64>(v.strip_suffix(b" kB").unwrap_or(v));
            match k {
                b"Uid" => ids(&mut p.uid),
                b"Gid" => ids(&mut p.gid),
                b"VmSize" => p.vsz = kb(),
                b"VmRSS" => p.rss = kb(),
                b"VmLck" => p.locked = kb(),
                _ => {}
            }
        }
        Some(p)
    }

    /// The arguments, NUL-separated as the kernel keeps them (empty for kernel threads).
    pub fn cmdline(&self) -> Vec<u8> {
        file(self.pid, "cmdline").unwrap_or_default()
    }

    /// The command line as procps shows it: arguments joined by spaces, or `[comm]` when
    /// there are none (kernel threads, zombies), and ` <defunct>` after a zombie's name.
    pub fn args(&self) -> Vec<u8> {
        let mut v = self.cmdline();
        while v.last() == Some(&0) {
            v.pop();
        }
        if v.is_empty() {
            v.push(b'[');
            v.extend_from_slice(&self.comm);
            v.push(b']');
            return self.defunct(v);
        }
        for b in v.iter_mut() {
            if *b == 0 || *b == b'\n' {
                *b = b' ';
            }
        }
        v
    }

    fn defunct(&self, mut v: Vec<u8>) -> Vec<u8> {
        if self.state == b'Z' {
            v.extend_from_slice(b" <defunct>");
        }
        v
    }
}

/// Every process that can still be read.
pub fn all() -> Vec<Proc> {
    pids().into_iter().filter_map(Proc::read).collect()
}

/// A terminal's name as procps prints it (`pts/0`, `tty1`, `ttyS0`, `console`), `?` for none.
pub fn tty_name(dev: i32) -> Vec<u8> {
    // tty_nr is the low 32 bits of a dev_t, in the same layout.
    let d = dev as u32 as libc::dev_t;
    let (major, minor) = (libc::major(d), libc::minor(d));
    match (major, minor) {
        (0, 0) => b"?".to_vec(),
        (136..=143, m) => format!("pts/{}", m + (major - 136) * 256).into_bytes(),
        (4, m @ 0..=63) => format!("tty{m}").into_bytes(),
        (4, m) => format!("ttyS{}", m - 64).into_bytes(),
        (5, 0) => b"tty".to_vec(),
        (5, 1) => b"console".to_vec(),
        _ => format!("{major},{minor}").into_bytes(),
    }
}

/// A terminal named on a command line (`pts/1`, `/dev/pts/1`, `tty1`, `?` or `-` for none)
/// compared with the name [`tty_name`] gives.
pub fn tty_matches(arg: &[u8], dev: i32) -> bool {
    let arg = arg.strip_prefix(b"/dev/").unwrap_or(arg);
    let name = tty_name(dev);
    if arg == b"-" {
        return dev == 0;
    }
    name == arg || name.strip_prefix(b"tty") == Some(arg)
}

/// Seconds since boot (`/proc/uptime`).
pub fn uptime() -> f64 {
    super::num::strtod(&std::fs::read("/proc/uptime").unwrap_or_default()).0
}

/// The boot time in seconds since the epoch (`btime` of `/proc/stat`).
pub fn boot_time() -> i64 {
    let s = std::fs::read("/proc/stat").unwrap_or_default();
    s.split(|&b| b == b'\n')
        .find_map(|l| l.strip_prefix(b"btime "))
        .map(num)
        .unwrap_or_default()
}

/// The three load averages, as `/proc/loadavg` writes them.
pub fn loadavg() -> [f64; 3] {
    let s = std::fs::read("/proc/loadavg").unwrap_or_default();
    let mut f = s.split(|&b| b == b' ').map(|x| super::num::strtod(x).0);
    [0; 3].map(|_| f.next().unwrap_or_default())
}

/// `/proc/meminfo`'s value for `key` (without the colon), in KiB.
pub fn meminfo(info: &[u8], key: &str) -> Option<u64> {
    info.split(|&b| b == b'\n').find_map(|l| {
        let v = l.strip_prefix(key.as_bytes())?.strip_prefix(b":")?;
        Some(num(v.strip_suffix(b" kB").unwrap_or(v)))
    })
}

/// Columns a pid takes: the digits of the kernel's `pid_max` (5 when it cannot be read), as
/// procps sizes its pid columns.
pub fn pid_width() -> usize {
    std::fs::read("/proc/sys/kernel/pid_max").map_or(5, |s| s.trim_ascii().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_and_status() {
        let stat = b"42 (a) b) c) S 1 42 42 34816 42 4194560 1 2 3 4 5 6 7 8 20 0 1 0 900 1000 25 \
                     0 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        let status =
            b"Name:\ta\nUid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\nVmSize:\t  1000 kB\nVmRSS:\t 100 kB\n";
        let p = Proc::parse(stat, status).unwrap();
        assert_eq!(p.comm, b"a) b) c");
        assert_eq!((p.pid, p.state, p.ppid, p.tty), (42, b'S', 1, 34816));
        assert_eq!((p.ticks, p.priority, p.start), (11, 20, 900));
        assert_eq!(
            (p.uid, p.gid[1], p.vsz, p.rss),
            ([1, 2, 3, 4], 6, 1000, 100)
        );
        assert_eq!(tty_name(34816), b"pts/0");
        assert_eq!(tty_name(1025), b"tty1");
        assert!(tty_matches(b"/dev/pts/0", 34816) && !tty_matches(b"pts/1", 34816));
    }

    #[test]
    fn reads_itself() {
        let p = Proc::read(0).unwrap();
        assert_eq!(p.pid, std::process::id() as i32);
        assert!(pids().contains(&p.pid));
        assert!(uptime() > 0.0 && boot_time() > 0);
    }
}
