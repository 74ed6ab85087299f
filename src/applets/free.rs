//! `free`: the amount of free and used memory.
//!
//! procps-ng 4's `free` (Debian's /usr/bin/free): `/proc/meminfo` with procps's formulas (used
//! = MemTotal - MemAvailable, buff/cache = Buffers + Cached + SReclaimable, shared = Shmem,
//! available falls back to MemFree when missing or above the total, swap used = SwapTotal -
//! SwapFree); units `-b -k -m -g --tebi --pebi`, SI `--kilo --mega --giga --tera --peta`,
//! `-h` (`--si`), `-w`, `-t`, `-l`, `-v`, repeats `-s N` / `-c N`; bad options print the
//! usage, status 1. Deviation: none known.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::Opt;
use crate::common::help::{help_text, Help};
use crate::common::proc::{self, meminfo};
use crate::common::{num, Ctx, Error, Result};

const USAGE: Help = help_text!(
    "
Usage:
 free [options]

Options:
 -b, --bytes         show output in bytes
     --kilo          show output in kilobytes
     --mega          show output in megabytes
     --giga          show output in gigabytes
     --tera          show output in terabytes
     --peta          show output in petabytes
 -k, --kibi          show output in kibibytes
 -m, --mebi          show output in mebibytes
 -g, --gibi          show output in gibibytes
     --tebi          show output in tebibytes
     --pebi          show output in pebibytes
 -h, --human         show human-readable output
     --si            use powers of 1000 not 1024
 -l, --lohi          show detailed low and high memory statistics
 -t, --total         show total for RAM + swap
 -v, --committed     show committed memory and commit limit
 -s N, --seconds N   repeat printing every N seconds
 -c N, --count N     repeat printing N times, then exit
 -w, --wide          wide output

     --help     display this help and exit
 -V, --version  output version information and exit

For more details see free(1).
"
);

/// Unit options: id = the exponent (1 bytes, 2 kilo ...), `s` for the SI ones.
static OPTS: &[Opt] = &[
    Opt::flag("1", Some(b'b'), Some("bytes")),
    Opt::flag("2s", None, Some("kilo")),
    Opt::flag("3s", None, Some("mega")),
    Opt::flag("4s", None, Some("giga")),
    Opt::flag("5s", None, Some("tera")),
    Opt::flag("6s", None, Some("peta")),
    Opt::flag("2", Some(b'k'), Some("kibi")),
    Opt::flag("3", Some(b'm'), Some("mebi")),
    Opt::flag("4", Some(b'g'), Some("gibi")),
    Opt::flag("5", None, Some("tebi")),
    Opt::flag("6", None, Some("pebi")),
    Opt::flag("human", Some(b'h'), Some("human")),
    Opt::flag("si", None, Some("si")),
    Opt::flag("lohi", Some(b'l'), Some("lohi")),
    Opt::flag("total", Some(b't'), Some("total")),
    Opt::flag("committed", Some(b'v'), Some("committed")),
    Opt::arg("seconds", Some(b's'), Some("seconds")),
    Opt::arg("count", Some(b'c'), Some("count")),
    Opt::flag("wide", Some(b'w'), Some("wide")),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", Some(b'V'), Some("version")),
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

struct Scale {
    exp: u32,
    si: bool,
    human: bool,
}

impl Scale {
    /// procps's scale_size: KiB in, the column's text out.
    fn fmt(&self, kib: u64) -> String {
        let base: f64 = if self.si { 1000.0 } else { 1024.0 };
        let bytes = (kib as i64).wrapping_mul(1024);
        if !self.human {
            return match self.exp {
                0 => ((bytes as f64 / base) as i64).to_string(),
                1 => bytes.to_string(),
                e => ((bytes as f64 / base.powi(e as i32 - 1)) as i64).to_string(),
            };
        }
        let s = format!("{bytes}B");
        if s.len() <= 4 {
            return s;
        }
        let (max, suffix) = if self.si { (4, "") } else { (5, "i") };
        for (i, u) in "KMGTP".chars().enumerate() {
            let v = bytes as f64 / base.powi(i as i32 + 1);
            // procps rounds to a float before printing.
            let s = format!("{:.1}{u}{suffix}", v as f32 as f64);
            if s.len() <= max {
                return s;
            }
            let s = format!("{}{u}{suffix}", v as i64);
            if s.len() <= max {
                return s;
            }
        }
        format!("{}P{suffix}", (bytes as f64 / base.powi(5)) as i64)
    }
}

fn row(out: &mut String, head: &str, vals: &[u64], sc: &Scale) {
    let _ = write!(out, "{head:<9}");
    for (i, &v) in vals.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(out, "{sep}{:>11}", sc.fmt(v));
    }
    out.push('\n');
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = proc::getopt(ctx, &argv, OPTS, USAGE)? else {
        return Ok(());
    };
    let mut sc = Scale {
        exp: 0,
        si: false,
        human: false,
    };
    let mut unit = false;
    let (mut interval, mut count) = (None, None::<i64>);
    for (id, v) in &m.opts {
        let b = id.as_bytes();
        if b[0].is_ascii_digit() {
            if unit {
                ctx.msg(b"Multiple unit options don't make sense.");
                return Err(Error::silent(1));
            }
            unit = true;
            sc.exp = u32::from(b[0] - b'0');
            sc.si |= b.len() > 1;
        }
        match *id {
            "human" => sc.human = true,
            "si" => sc.si = true,
            "seconds" => {
                let v = v.as_ref().map_or(&b""[..], |v| v.as_bytes());
                let (x, n) = num::strtod(v);
                match (n == v.len() && n > 0).then_some(x) {
                    None => {
                        let mut msg = b"seconds argument failed: '".to_vec();
                        msg.extend_from_slice(v);
                        msg.push(b'\'');
                        return Err(Error::new(1, msg));
                    }
                    Some(x) if x * 1e6 >= 1.0 => interval = Some(x),
                    _ => {
                        let mut msg = b"seconds argument `".to_vec();
                        msg.extend_from_slice(v);
                        msg.extend_from_slice(b"' is not positive number");
                        return Err(Error::new(1, msg));
                    }
                }
            }
            "count" => {
                let v = v.as_ref().map_or(&b""[..], |v| v.as_bytes());
                let n = std::str::from_utf8(v)
                    .ok()
                    .and_then(|s| s.parse::<i64>().ok());
                let mut msg = b"failed to parse count argument".to_vec();
                match n {
                    None => {
                        msg.extend_from_slice(b": '");
                        msg.extend_from_slice(v);
                        msg.push(b'\'');
                        return Err(Error::new(1, msg));
                    }
                    Some(n) if n >= 1 => count = Some(n),
                    _ => {
                        msg.extend_from_slice(b": '");
                        msg.extend_from_slice(v);
                        msg.extend_from_slice(b"': Numerical result out of range");
                        return Err(Error::new(1, msg));
                    }
                }
            }
            _ => {}
        }
    }
    if !m.operands.is_empty() {
        return Err(proc::usage_error(USAGE));
    }
    let repeat = interval.is_some() || count.is_some();
    loop {
        let info = std::fs::read("/proc/meminfo")
            .map_err(|_| Error::new(1, "Memory information file /proc/meminfo does not exist"))?;
        let g = |k| meminfo(&info, k).unwrap_or(0);
        let (total, free) = (g("MemTotal"), g("MemFree"));
        let mut avail = meminfo(&info, "MemAvailable")
            .filter(|&a| a != 0)
            .unwrap_or(free);
        if avail > total {
            avail = free;
        }
        let used = total
            .checked_sub(avail)
            .unwrap_or(total.saturating_sub(free));
        let cache = g("Cached") + g("SReclaimable");
        let (stotal, sfree) = (g("SwapTotal"), g("SwapFree"));
        let sused = stotal.saturating_sub(sfree);
        let mut out = String::new();
        let wide = m.flag("wide");
        out.push_str(if wide {
            "               total        used        free      shared     buffers       cache   available\n"
        } else {
            "               total        used        free      shared  buff/cache   available\n"
        });
        let mut mem = vec![total, used, free, g("Shmem")];
        if wide {
            mem.extend([g("Buffers"), cache]);
        } else {
            mem.push(g("Buffers") + cache);
        }
        mem.push(avail);
        row(&mut out, "Mem:", &mem, &sc);
        if m.flag("lohi") {
            let lt = meminfo(&info, "LowTotal").filter(|&t| t != 0);
            let (lt, lf) = match lt {
                Some(t) => (t, g("LowFree")),
                None => (total, free),
            };
            row(&mut out, "Low:", &[lt, lt.saturating_sub(lf), lf], &sc);
            let (ht, hf) = (g("HighTotal"), g("HighFree"));
            row(&mut out, "High:", &[ht, ht.saturating_sub(hf), hf], &sc);
        }
        row(&mut out, "Swap:", &[stotal, sused, sfree], &sc);
        if m.flag("total") {
            row(
                &mut out,
                "Total:",
                &[total + stotal, used + sused, free + sfree],
                &sc,
            );
        }
        if m.flag("committed") {
            let (lim, cas) = (g("CommitLimit"), g("Committed_AS"));
            row(&mut out, "Comm:", &[lim, cas, lim.wrapping_sub(cas)], &sc);
        }
        ctx.out.write_all(out.as_bytes())?;
        ctx.out.flush()?;
        if let Some(c) = count.as_mut() {
            *c -= 1;
            if *c < 1 {
                return Ok(());
            }
        }
        if !repeat {
            return Ok(());
        }
        ctx.out.write_all(b"\n")?;
        // -s 1e308 is past what a Duration holds: as long a sleep as can be, not a panic.
        let secs = interval.unwrap_or(1.0);
        let pause =
            std::time::Duration::try_from_secs_f64(secs).unwrap_or(std::time::Duration::MAX);
        std::thread::sleep(pause);
    }
}
