//! `uptime`: how long the system has been running.
//!
//! procps-ng 4's `uptime` (Debian's /usr/bin/uptime): ` HH:MM:SS up [D day(s), ]H:MM|M min,
//! N user(s),  load average: A, B, C` from /proc/uptime and /proc/loadavg, the users counted
//! from utmp's USER_PROCESS records (/var/run/utmp, glibc's 384-byte layout; none in a
//! container); `-p` (`up 2 hours, 5 minutes`) and `-s` (the boot time, `YYYY-MM-DD HH:MM:SS`).
//! Bad options and operands print the usage, status 1. Deviation: none known.

use std::ffi::OsString;
use std::fmt::Write as _;

use crate::common::args::Opt;
use crate::common::help::{help_text, Help};
use crate::common::proc;
use crate::common::time::Zone;
use crate::common::{Ctx, Result};

const USAGE: Help = help_text!(
    "
Usage:
 uptime [options]

Options:
 -p, --pretty   show uptime in pretty format
 -h, --help     display this help and exit
 -s, --since    system up since
 -V, --version  output version information and exit

For more details see uptime(1).
"
);

static OPTS: &[Opt] = &[
    Opt::flag("pretty", Some(b'p'), Some("pretty")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("since", Some(b's'), Some("since")),
    Opt::flag("version", Some(b'V'), Some("version")),
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// Logged-in users: utmp records of type USER_PROCESS (7) with a user name.
fn users() -> usize {
    let u = std::fs::read("/var/run/utmp").unwrap_or_default();
    u.chunks_exact(384)
        .filter(|r| r[0] == 7 && r[1] == 0 && r[44] != 0)
        .count()
}

fn plural(n: u64, one: &str) -> String {
    format!("{n} {one}{}", if n > 1 { "s" } else { "" })
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = proc::getopt(ctx, &argv, OPTS, USAGE)? else {
        return Ok(());
    };
    let up = proc::uptime();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let zone = Zone::local();
    // -s answers at once, as procps's does, whatever else was asked.
    if m.flag("since") {
        let t = zone.to_tm((now.as_secs_f64() - up + 0.5) as i64);
        let s = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}\n",
            t.year, t.mon, t.mday, t.hour, t.min, t.sec
        );
        ctx.out.write_all(s.as_bytes())?;
        return Ok(());
    }
    if !m.operands.is_empty() {
        return Err(proc::usage_error(USAGE));
    }
    let mut s;
    if m.flag("pretty") {
        let mut left = up;
        let mut parts = Vec::new();
        for (len, name) in [
            (315_360_000.0, "decade"),
            (31_536_000.0, "year"),
            (604_800.0, "week"),
            (86_400.0, "day"),
            (3_600.0, "hour"),
        ] {
            if left > len {
                let n = (left / len) as u64;
                left -= n as f64 * len;
                parts.push(plural(n, name));
            }
        }
        let min = if left > 60.0 { (left / 60.0) as u64 } else { 0 };
        if min > 0 || left < 60.0 {
            parts.push(format!("{min} minute{}", if min != 1 { "s" } else { "" }));
        }
        s = format!("up {}", parts.join(", "));
    } else {
        let t = zone.to_tm(now.as_secs() as i64);
        let secs = up as u64;
        let (d, h, mi) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60);
        s = format!(" {:02}:{:02}:{:02} up ", t.hour, t.min, t.sec);
        if d > 0 {
            let _ = write!(s, "{}, ", plural(d, "day"));
        }
        if h > 0 {
            let _ = write!(s, "{h:2}:{mi:02}, ");
        } else {
            let _ = write!(s, "{mi} min, ");
        }
        let n = users();
        let l = proc::loadavg();
        let _ = write!(
            s,
            "{n:2} {},  load average: {:.2}, {:.2}, {:.2}",
            if n > 1 { "users" } else { "user" },
            l[0],
            l[1],
            l[2]
        );
    }
    s.push('\n');
    ctx.out.write_all(s.as_bytes())?;
    Ok(())
}
