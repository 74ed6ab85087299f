//! `crond`: the cron daemon, as BusyBox 1.35's (`crond [-fbS] [-l N] [-d N] [-L FILE] [-c DIR]`).
//!
//! - Options: `-f` foreground, `-b` background (the default: fork, new session, standard
//!   streams on /dev/null), `-S` syslog (the default when neither `-L` nor `-d` is given),
//!   `-l N` log level (0 most verbose, default 8), `-d N` log level with messages on stderr
//!   (the -L file when both are given, as BusyBox),
//!   `-L FILE` messages to FILE (reopened on standard error at start and at every wake-up, so
//!   the jobs' standard error goes there too; a relative FILE is opened from the starting
//!   directory first, then from DIR, as BusyBox), `-c DIR` spool (/var/spool/cron/crontabs).
//!   A bad number: `crond: invalid number 'x'`, status 1. A relative DIR is taken from the
//!   directory crond started in (BusyBox fails at its first rescan).
//! - Tables: one file per user in DIR, named after the user (names holding a `.` skipped, a
//!   name not in /etc/passwd logged at level 7 and skipped), owned by root (others silently
//!   skipped), at most 255 entries for a user other than root (`user U: too many lines`). Lines
//!   are read as BusyBox's config parser reads them: blank and `#` lines skipped, `\` at the
//!   end joins the next line, a `#` anywhere ends the line, fields split on blanks, the 6th
//!   field is the rest of the line. Five time fields with `*`, numbers, ranges (wrapping:
//!   `50-10`), `/STEP`, lists, and 3-letter month and weekday names (any case); day of month
//!   and day of week match either when both are restricted, as Vixie cron. `@reboot`,
//!   `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly` (at
//!   minute 0; `@reboot` runs at start when `/var/run/crond.reboot` could be created, i.e.
//!   once per boot); an unknown `@word` line is skipped. A bad field is logged as `user U:
//!   parse error at FIELD` and the entry is kept with what was filled, as BusyBox does (so
//!   `61` or weekday `7` fill every value). `SHELL=PATH` sets the shell of the entries below
//!   it; `MAILTO=` and every other assignment are ignored (BusyBox without sendmail).
//! - Jobs: `SHELL -c CMD` (SHELL from the table, else crond's `$SHELL`, else its user's
//!   shell, else /bin/sh), in its own process group, as the table's user (groups from
//!   /etc/group, gid, uid: a failure is `can't set groups: ...` and the job does not run), in
//!   the user's home (else `can't change directory to 'HOME'` and /var/spool/cron), with
//!   crond's environment plus LOGNAME, USER, HOME and SHELL. The job's output goes where
//!   crond's own standard output and error go (BusyBox without MAILTO: no mail is sent).
//! - Wakes at each minute (every 10 s while jobs run), runs the jobs of every minute in
//!   (last wake, now]; a clock jump of more than an hour either way is logged (`time disparity
//!   of N minutes detected`) and runs nothing, a smaller jump back runs nothing until the clock
//!   passes the last minute run again (BusyBox would run that minute again); a running job
//!   is not started again (`user U: process already running: CMD`). Tables are reloaded for
//!   the users listed in DIR/cron.update (then removed), and all of them when DIR's mtime
//!   changes and once an hour. Writes /var/run/crond.pid.
//! - Deviations: SIGTERM and SIGINT end crond with status 0 (also as PID 1, where BusyBox
//!   would ignore them); every child is reaped (orphans too, for PID 1); the start line says
//!   `crond (rbox VERSION) started`; no mail (MAILTO). Syslog is a datagram to /dev/log, else
//!   /dev/console (LOG_CONS), as glibc's syslog without a daemon.
//! - Test hook (tests only): `RBOX_CROND_TEST="T0 T1 ..."` (epoch seconds) runs without
//!   sleeping or forking into the background: start at T0, wake at T1, ..., waiting for the
//!   jobs after each wake-up, then exit 0; /var/run's files go in DIR instead (also when the
//!   variable holds no time: then crond keeps the real clock).

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::exec::{self, Ran};
use crate::common::help::{help_text, Help};
use crate::common::io::{stderr_fd, write_all};
use crate::common::passwd::{self, Passwd};
use crate::common::sys::fd::{self, AsFd};
use crate::common::sys::fs as sfs;
use crate::common::sys::process::{self as sp, Fork};
use crate::common::sys::signal::{self as sig, SigSet};
use crate::common::sys::user as u;
use crate::common::time::{month_abbr, Zone};
use crate::common::{ctx::strerror, Ctx};

const OPTS: &[Opt] = &[
    Opt::arg("l", Some(b'l'), None),
    Opt::arg("L", Some(b'L'), None),
    Opt::flag("f", Some(b'f'), None),
    Opt::flag("b", Some(b'b'), None),
    Opt::flag("S", Some(b'S'), None),
    Opt::arg("c", Some(b'c'), None),
    Opt::arg("d", Some(b'd'), None),
    Opt::flag("help", None, Some("help")),
];

const USAGE: Help = help_text!(
    "\
Usage: crond -fbS -l N -d N -L LOGFILE -c DIR

\t-f\tForeground
\t-b\tBackground (default)
\t-S\tLog to syslog (default)
\t-l N\tSet log level. Most verbose 0, default 8
\t-d N\tSet log level, log to stderr
\t-L FILE\tLog to FILE
\t-c DIR\tCron dir. Default:/var/spool/cron/crontabs
"
);

const CRON_DIR: &[u8] = b"/var/spool/cron";
const UPDATE: &[u8] = b"cron.update";

// ---------------------------------------------------------------------------------------------
// The table: pure parsing and matching.

/// One entry: the sets of minutes, hours, days (0..=31), months (0..=11), weekdays (0..=6,
/// Sunday 0) as bit masks; `pid` > 0 running, -1 to start this minute, -2 `@reboot` pending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub mins: u64,
    pub hrs: u64,
    pub days: u64,
    pub mons: u64,
    pub dow: u64,
    pub shell: Option<Vec<u8>>,
    pub cmd: Vec<u8>,
    pub pid: i32,
}

const REBOOT: i32 = -2;
const WANTED: i32 = -1;

impl Entry {
    /// Whether the entry is due at this broken-down time (month 1..=12, weekday 0 = Sunday).
    pub fn due(&self, min: u32, hour: u32, mday: u32, mon: u32, wday: u32) -> bool {
        let b = |m: u64, i: u32| i < 64 && m >> i & 1 == 1;
        b(self.mins, min)
            && b(self.hrs, hour)
            && (b(self.days, mday) || b(self.dow, wday))
            && b(self.mons, mon.wrapping_sub(1))
    }
}

const DOW: &[u8] = b"sunmontuewedthufrisat";
const MON: &[u8] = b"janfebmaraprmayjunjulaugsepoctnovdec";

/// C's strtol on `s[p..]` (no blanks can occur here): value saturated, and the end (where it
/// started when no digit follows the sign).
fn strtol(s: &[u8], p: usize) -> (i64, usize) {
    let mut i = p;
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut v: i64 = 0;
    while let Some(d) = s.get(i).filter(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add((d - b'0') as i64);
        i += 1;
    }
    if i == start {
        return (0, p);
    }
    (if neg { -v } else { v }, i)
}

/// One time field as BusyBox's ParseField reads it: the bits filled, and whether it parsed
/// (a bad field keeps what was filled before the error).
pub fn parse_field(s: &[u8], modv: i64, off: i64, names: Option<&[u8]>) -> (u64, bool) {
    let at = |p: usize| s.get(p).copied().unwrap_or(0);
    let (mut p, mut n1, mut n2, mut bits) = (0usize, -1i64, -1i64, 0u64);
    loop {
        let mut skip: i64 = 0;
        if at(p) == b'*' {
            n1 = 0;
            n2 = modv - 1;
            skip = 1;
            p += 1;
        } else if at(p).is_ascii_digit() {
            let (v, e) = strtol(s, p);
            // C stores strtol's long plus the offset in an int.
            let v = (v.wrapping_add(off)) as i32 as i64;
            if n1 < 0 {
                n1 = v;
            } else {
                n2 = v;
            }
            p = e;
            skip = 1;
        } else if let Some(names) = names {
            for (i, n) in names.chunks(3).enumerate() {
                if s.len() >= p + 3 && s[p..p + 3].eq_ignore_ascii_case(n) {
                    p += 3;
                    if n1 < 0 {
                        n1 = i as i64;
                    } else {
                        n2 = i as i64;
                    }
                    skip = 1;
                    break;
                }
            }
        }
        if skip == 0 {
            return (bits, false);
        }
        if at(p) == b'-' && n2 < 0 {
            p += 1;
            continue;
        }
        if n2 < 0 {
            n2 = n1;
        }
        if at(p) == b'/' {
            let (v, e) = strtol(s, p + 1);
            skip = v as i32 as i64;
            p = e;
        }
        // Fill, with BusyBox's failsafe against a range that never ends.
        let (mut s0, mut failsafe) = (1i64, 1024);
        n1 -= 1;
        loop {
            n1 = (n1 + 1) % modv;
            if n1 < 0 {
                // BusyBox would write before its array here (month 0).
                return (bits, false);
            }
            s0 -= 1;
            if s0 == 0 {
                bits |= 1 << n1;
                s0 = skip;
            }
            failsafe -= 1;
            if failsafe == 0 {
                return (bits, false);
            }
            if n1 == n2 {
                break;
            }
        }
        if at(p) != b',' {
            break;
        }
        p += 1;
        n1 = -1;
        n2 = -1;
    }
    (bits, p >= s.len())
}

/// BusyBox's config_read for crontabs: the next meaningful line from `text[*pos..]` (lines
/// joined at a trailing `\`), as (tokens, the line from its first non-blank).
fn next_line(text: &[u8], pos: &mut usize) -> Option<(Vec<Vec<u8>>, Vec<u8>)> {
    let blank = |c: u8| c == b' ' || c == b'\t';
    loop {
        if *pos >= text.len() {
            return None;
        }
        let mut line = Vec::new();
        loop {
            let rest = &text[*pos..];
            let end = rest.iter().position(|&c| c == b'\n');
            let part = &rest[..end.unwrap_or(rest.len())];
            *pos += part.len() + end.map_or(0, |_| 1);
            line.extend_from_slice(part);
            if line.last() != Some(&b'\\') || end.is_none() || *pos >= text.len() {
                break;
            }
            line.pop();
        }
        let start = line.iter().position(|&c| !blank(c)).unwrap_or(line.len());
        let l = &line[start..];
        if l.is_empty() || l[0] == b'#' {
            continue;
        }
        let mut toks = Vec::new();
        let mut i = 0;
        while i < l.len() && l[i] != b'#' && toks.len() < 6 {
            let t0 = i;
            if toks.len() < 5 {
                while i < l.len() && !matches!(l[i], b'#' | b' ' | b'\t') {
                    i += 1;
                }
                toks.push(l[t0..i].to_vec());
            } else {
                while i < l.len() && l[i] != b'#' {
                    i += 1;
                }
                let mut e = i;
                while e > t0 && blank(l[e - 1]) {
                    e -= 1;
                }
                toks.push(l[t0..e].to_vec());
            }
            if i < l.len() && l[i] == b'#' {
                break;
            }
            while i < l.len() && blank(l[i]) {
                i += 1;
            }
        }
        return Some((toks, l.to_vec()));
    }
}

/// What reading a table says: (level, message) pairs (level 20: an error; [`DUMP`]: a field's
/// values as BusyBox prints them at level <= 5).
#[derive(Default)]
pub struct Notes {
    pub msgs: Vec<(u32, Vec<u8>)>,
}

pub const DUMP: u32 = u32::MAX;

/// A user's table as crond reads it.
pub fn parse_table(user: &[u8], text: &[u8], notes: &mut Notes) -> Vec<Entry> {
    let mut max = if user == b"root" { 65535 } else { 256 };
    let mut shell: Option<Vec<u8>> = None;
    let mut out = Vec::new();
    let mut pos = 0;
    let say = |n: &mut Notes, lvl, parts: &[&[u8]]| n.msgs.push((lvl, parts.concat()));
    loop {
        max -= 1;
        if max == 0 {
            say(notes, 20, &[b"user ", user, b": too many lines"]);
            break;
        }
        let Some((mut t, data)) = next_line(text, &mut pos) else {
            break;
        };
        say(notes, 4, &[b"user:", user, b" entry:", &data]);
        if t[0].starts_with(b"MAILTO=") {
            continue;
        }
        if let Some(s) = t[0].strip_prefix(b"SHELL=") {
            shell = Some(s.to_vec());
            continue;
        }
        let mut e = Entry {
            shell: shell.clone(),
            ..Entry::default()
        };
        if t[0].first() == Some(&b'@') {
            const SPECIAL: [(&[u8], &str); 8] = [
                (b"yearly", "0 1 1 *"),
                (b"annually", "0 1 1 *"),
                (b"monthly", "0 1 * *"),
                (b"weekly", "0 * * 0"),
                (b"daily", "0 * * *"),
                (b"midnight", "0 * * *"),
                (b"hourly", "* * * *"),
                (b"reboot", ""),
            ];
            let Some(&(_, f)) = SPECIAL.iter().find(|s| s.0 == &t[0][1..]) else {
                continue;
            };
            if t.len() < 2 {
                continue;
            }
            // The command: the unmodified line after its first word.
            let ws = |c: &u8| c.is_ascii_whitespace() || *c == 0x0b;
            let a = data.iter().position(&ws).unwrap_or(data.len());
            let b = data[a..]
                .iter()
                .position(|c| !ws(c))
                .map_or(data.len(), |k| a + k);
            e.cmd = data[b..].to_vec();
            if f.is_empty() {
                e.pid = REBOOT;
                out.push(e);
                continue;
            }
            t = std::iter::once(b"0".to_vec())
                .chain(f.split(' ').map(|x| x.as_bytes().to_vec()))
                .collect();
        } else if t.len() < 6 {
            continue;
        } else {
            e.cmd = t[5].clone();
        }
        let spec: [(i64, i64, Option<&[u8]>); 5] = [
            (60, 0, None),
            (24, 0, None),
            (32, 0, None),
            (12, -1, Some(MON)),
            (7, 0, Some(DOW)),
        ];
        let mut masks = [0u64; 5];
        for (k, &(modv, off, names)) in spec.iter().enumerate() {
            let (bits, ok) = parse_field(&t[k], modv, off, names);
            masks[k] = bits;
            if !ok {
                say(notes, 20, &[b"user ", user, b": parse error at ", &t[k]]);
            } else {
                let d = (0..modv).map(|i| b'0' + (bits >> i & 1) as u8).collect();
                notes.msgs.push((DUMP, d));
            }
        }
        let [mins, hrs, mut days, mons, mut dow] = masks;
        // A restricted field of the two day fields alone decides (Vixie's rule).
        let (week_used, days_used) = (dow != 0x7f, days != 0xffff_ffff);
        if week_used != days_used {
            if week_used {
                days = 0;
            } else {
                dow = 0;
            }
        }
        (e.mins, e.hrs, e.days, e.mons, e.dow) = (mins, hrs, days, mons, dow);
        out.push(e);
    }
    out
}

/// The minute starts (epoch seconds) whose jobs a wake-up at `t2` after one at `t1` runs:
/// those in (t1, t2]; none when the clock went back or jumped more than an hour (`Err(dt)`).
pub fn minutes_between(t1: i64, t2: i64) -> Result<Vec<i64>, i64> {
    let dt = t2 - t1;
    if !(-3600..=3600).contains(&dt) {
        return Err(dt);
    }
    let first = t1 - t1.rem_euclid(60);
    Ok((0..)
        .map(|k| first + 60 * k)
        .take_while(|&t| t <= t2)
        .filter(|&t| t > t1)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Logging.

const LOG_ERR: u32 = 20;

struct Log {
    level: u32,
    syslog: bool,
    file: Option<Vec<u8>>,
    zone: Zone,
}

impl Log {
    fn say(&self, lvl: u32, msg: &[u8]) {
        if lvl < self.level {
            return;
        }
        if !self.syslog {
            let _ = write_all(stderr_fd(), &[b"crond: ", msg, b"\n"].concat());
            return;
        }
        // <facility cron (9) * 8 + info (6) or err (3)>Mmm dd hh:mm:ss crond[pid]: msg
        let now = now();
        let tm = self.zone.to_tm(now);
        let head = format!(
            "<{}>{} {:2} {:02}:{:02}:{:02} ",
            72 + if lvl >= LOG_ERR { 3 } else { 6 },
            month_abbr(tm.mon),
            tm.mday,
            tm.hour,
            tm.min,
            tm.sec
        );
        let body = [format!("crond[{}]: ", std::process::id()).as_bytes(), msg].concat();
        let sent = std::os::unix::net::UnixDatagram::unbound()
            .and_then(|s| s.send_to(&[head.as_bytes(), &body].concat(), "/dev/log"));
        if sent.is_err() {
            if let Ok(c) = fd::open(
                b"/dev/console",
                libc::O_WRONLY | libc::O_NOCTTY | libc::O_CLOEXEC,
                0,
            ) {
                let _ = fd::write_all(c.as_fd(), &[&body[..], b"\r\n"].concat());
            }
        }
    }
    fn err(&self, msg: &[u8]) {
        self.say(LOG_ERR, msg)
    }
    /// `-L FILE` on standard error again (the file may have been rotated).
    fn reopen(&self) {
        if let Some(f) = &self.file {
            match fd::open(
                f,
                libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC,
                0o666,
            ) {
                Ok(n) => {
                    let _ = fd::dup2(n.as_fd(), 2);
                }
                Err(e) => self.err(&crate::common::ctx::cant_open(f, &e)),
            }
        }
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

// ---------------------------------------------------------------------------------------------
// The daemon.

struct Table {
    user: Vec<u8>,
    entries: Vec<Entry>,
    deleted: bool,
}

struct Crond {
    log: Log,
    dir: Vec<u8>,
    run_dir: Vec<u8>,
    tables: Vec<Table>,
    shell: Vec<u8>,
    mask: SigSet,
    /// The last minute whose jobs were started.
    done: i64,
}

impl Crond {
    fn note(&self, n: Notes) {
        for (lvl, m) in &n.msgs {
            if *lvl != DUMP {
                self.log.say(*lvl, m);
            } else if self.log.level <= 5 && !self.log.syslog {
                let _ = write_all(stderr_fd(), &[&m[..], b"\n"].concat());
            }
        }
    }

    /// Forget `user`'s table, keeping the entries whose jobs still run.
    fn delete(&mut self, user: &[u8]) {
        for t in self.tables.iter_mut().filter(|t| t.user == user) {
            t.deleted = true;
            t.entries.retain(|e| e.pid > 0);
        }
        self.tables.retain(|t| !t.deleted || !t.entries.is_empty());
    }

    fn load(&mut self, user: &[u8]) {
        self.delete(user);
        if passwd::getpwnam(user).is_none() {
            self.log
                .say(7, &[b"ignoring file '", user, b"' (no such user)"].concat());
            return;
        }
        let f = match fd::open(user, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
            Ok(f) => f,
            Err(e) => return self.log.err(&crate::common::ctx::cant_open(user, &e)),
        };
        if fd::fstat(f.as_fd()).map_or(true, |st| st.st_uid != 0) {
            return;
        }
        let mut text = Vec::new();
        let _ = fd::read_to_end(f.as_fd(), &mut text);
        let mut n = Notes::default();
        let entries = parse_table(user, &text, &mut n);
        self.note(n);
        self.tables.push(Table {
            user: user.to_vec(),
            entries,
            deleted: false,
        });
    }

    fn chdir(&self) -> Result<(), Vec<u8>> {
        sp::chdir(&self.dir).map_err(|e| {
            [
                b"can't change directory to '",
                &self.dir[..],
                b"': ",
                strerror(&e).as_bytes(),
            ]
            .concat()
        })
    }

    fn rescan(&mut self) -> Result<(), Vec<u8>> {
        let users: Vec<Vec<u8>> = self
            .tables
            .iter()
            .filter(|t| !t.deleted)
            .map(|t| t.user.clone())
            .collect();
        for us in users {
            self.delete(&us);
        }
        let _ = sfs::unlinkat(fd::cwd(), UPDATE, 0);
        self.chdir()?;
        let rd =
            std::fs::read_dir(".").map_err(|_| [b"can't open '", &self.dir[..], b"'"].concat())?;
        for d in rd.flatten() {
            let name = d.file_name().into_vec();
            if !name.contains(&b'.') {
                self.load(&name);
            }
        }
        Ok(())
    }

    fn process_update(&mut self) {
        let Ok(f) = fd::open(UPDATE, libc::O_RDONLY | libc::O_CLOEXEC, 0) else {
            return;
        };
        let _ = sfs::unlinkat(fd::cwd(), UPDATE, 0);
        let mut text = Vec::new();
        let _ = fd::read_to_end(f.as_fd(), &mut text);
        for line in text.split(|&c| c == b'\n') {
            if line.is_empty() {
                continue;
            }
            let w = line
                .split(|c| c.is_ascii_whitespace())
                .next()
                .unwrap_or(b"");
            self.load(w);
        }
    }

    fn flag(&mut self, t1: i64, t2: i64) -> Result<(), i64> {
        let minutes = minutes_between(t1, t2).inspect_err(|_| self.done = i64::MIN)?;
        for t in minutes {
            // After the clock went back less than an hour, a minute already run waits.
            if t <= self.done {
                continue;
            }
            self.done = t;
            let tm = self.log.zone.to_tm(t);
            for tab in self.tables.iter_mut().filter(|t| !t.deleted) {
                self.log.say(4, &[b"file ", &tab.user[..], b":"].concat());
                for e in &mut tab.entries {
                    self.log.say(4, &[b" line ", &e.cmd[..]].concat());
                    if !e.due(tm.min, tm.hour, tm.mday, tm.mon, tm.wday) {
                        continue;
                    }
                    self.log.say(
                        4,
                        format!(" job: {} {}", e.pid, String::from_utf8_lossy(&e.cmd)).as_bytes(),
                    );
                    if e.pid > 0 {
                        let m = [
                            b"user ",
                            &tab.user[..],
                            b": process already running: ",
                            &e.cmd,
                        ]
                        .concat();
                        self.log.say(8, &m);
                    } else if e.pid == 0 {
                        e.pid = WANTED;
                    }
                }
            }
        }
        Ok(())
    }

    fn start_jobs(&mut self, want: i32) {
        for ti in 0..self.tables.len() {
            for ei in 0..self.tables[ti].entries.len() {
                if self.tables[ti].entries[ei].pid != want {
                    continue;
                }
                let pid = self.start(ti, ei);
                let (t, e) = (&self.tables[ti], &self.tables[ti].entries[ei]);
                let m = format!(
                    "USER {} pid {:3} cmd ",
                    String::from_utf8_lossy(&t.user),
                    pid
                );
                self.log.say(8, &[m.as_bytes(), &e.cmd].concat());
                self.tables[ti].entries[ei].pid = pid;
            }
        }
    }

    /// Fork the job as its user; its pid, 0 when it could not start.
    fn start(&self, ti: usize, ei: usize) -> i32 {
        let (t, e) = (&self.tables[ti], &self.tables[ti].entries[ei]);
        let Some(pw) = passwd::getpwnam(&t.user) else {
            self.log.err(&[b"can't get uid for ", &t.user[..]].concat());
            return 0;
        };
        let shell = e.shell.clone().unwrap_or_else(|| self.shell.clone());
        let mut env = exec::environ();
        for (k, v) in [
            (&b"LOGNAME"[..], &pw.name),
            (b"USER", &pw.name),
            (b"HOME", &pw.dir),
            (b"SHELL", &shell),
        ] {
            env.retain(|x| !(x.starts_with(k) && x.get(k.len()) == Some(&b'=')));
            env.push([k, b"=", v].concat());
        }
        match sp::fork() {
            Ok(Fork::Child) => {
                let _ = sig::sigprocmask(libc::SIG_SETMASK, &self.mask);
                self.child(&pw, &shell, &e.cmd, &env)
            }
            Ok(Fork::Parent(pid)) => pid,
            Err(e) => {
                self.log.err(format!("vfork: {}", strerror(&e)).as_bytes());
                0
            }
        }
    }

    fn child(&self, pw: &Passwd, shell: &[u8], cmd: &[u8], env: &[Vec<u8>]) -> ! {
        if let Err(m) = change_identity(pw) {
            self.log.err(&m);
            sp::exit_now(1);
        }
        if sp::chdir(&pw.dir).is_err() {
            self.log
                .err(&[b"can't change directory to '", &pw.dir[..], b"'"].concat());
            if let Err(e) = sp::chdir(CRON_DIR) {
                let e = strerror(&e);
                let m = [
                    b"can't change directory to '",
                    CRON_DIR,
                    b"': ",
                    e.as_bytes(),
                ];
                self.log.err(&m.concat());
                sp::exit_now(1);
            }
        }
        self.log.say(4, &[b"child running ", shell].concat());
        let _ = sp::setpgid(0, 0);
        let argv = [shell.to_vec(), b"-c".to_vec(), cmd.to_vec()];
        let st = match exec::exec(&argv, env) {
            Ran::Applet(st) => st,
            Ran::Failed(_) => {
                let m = [b"can't execute '", shell, b"' for user ", &pw.name[..]].concat();
                // Shown on stderr too when logging to syslog, as BusyBox.
                if self.log.syslog {
                    let _ = write_all(stderr_fd(), &[b"crond: ", &m[..], b"\n"].concat());
                }
                self.log.err(&m);
                1
            }
        };
        sp::exit_now(st)
    }

    /// Reap every child that ended (orphans too when PID 1), or with `all` wait for every
    /// one; true while jobs run.
    fn reap(&mut self, all: bool) -> bool {
        let flags = if all { 0 } else { libc::WNOHANG };
        while let Ok(Some((pid, _))) = sp::waitpid(-1, flags) {
            for t in &mut self.tables {
                for e in t.entries.iter_mut().filter(|e| e.pid == pid) {
                    e.pid = 0;
                }
            }
        }
        for t in &mut self.tables {
            if t.deleted {
                t.entries.retain(|e| e.pid > 0);
            }
        }
        self.tables.retain(|t| !t.deleted || !t.entries.is_empty());
        self.tables
            .iter()
            .any(|t| t.entries.iter().any(|e| e.pid > 0))
    }

    /// Sleep until the next multiple of `step` seconds, reaping children meanwhile; false when
    /// SIGTERM or SIGINT came.
    fn sleep(&mut self, step: i64) -> bool {
        let t = now();
        let deadline = std::time::Instant::now()
            + std::time::Duration::from_secs((step - t.rem_euclid(step)) as u64);
        let mut set = SigSet::empty();
        for s in [libc::SIGCHLD, libc::SIGTERM, libc::SIGINT] {
            set.add(s);
        }
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return true;
            }
            match sig::sigtimedwait(&set, Some(left)) {
                Ok(Some(libc::SIGCHLD)) => {
                    self.reap(false);
                }
                Ok(Some(_)) => return false,
                Ok(None) => return true,
                Err(_) => {}
            }
        }
    }
}

/// BusyBox's change_identity: the message names the step that failed.
fn change_identity(pw: &Passwd) -> Result<(), Vec<u8>> {
    passwd::become_user(pw).map_err(|(what, e)| format!("{what}: {}", strerror(&e)).into_bytes())
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let (mut fg, mut level, mut debug, mut file) = (false, 8u32, false, None);
    let mut dir = b"/var/spool/cron/crontabs".to_vec();
    for a in Getopt::new(&argv, OPTS, Order::Permute) {
        let (id, v) = match a {
            Err(m) => {
                ctx.msg(&m);
                let _ = write_all(stderr_fd(), &USAGE.bytes());
                return 1;
            }
            Ok(Arg::Operand(_)) => continue,
            Ok(Arg::Opt(o, v)) => (o.id(), v.unwrap_or_default().into_vec()),
        };
        match id {
            "help" => {
                let _ = write_all(stderr_fd(), &USAGE.bytes());
                return 0;
            }
            "f" => fg = true,
            "b" => fg = false,
            "c" => dir = v,
            "L" => file = Some(v),
            "l" | "d" => {
                debug |= id == "d";
                match std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse::<u32>().ok())
                {
                    Some(n) if !v.starts_with(b"+") => level = n,
                    _ => {
                        ctx.msg(&[b"invalid number '", &v[..], b"'"].concat());
                        return 1;
                    }
                }
            }
            _ => {}
        }
    }
    let test: Option<Vec<i64>> = std::env::var("RBOX_CROND_TEST").ok().map(|s| {
        s.split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect()
    });
    if !fg && test.is_none() {
        daemonize();
    }
    let _ = sig::set_handler(libc::SIGCHLD, sig::Handler::Default);
    let mut block = SigSet::empty();
    for s in [libc::SIGCHLD, libc::SIGTERM, libc::SIGINT] {
        block.add(s);
    }
    let mask = sig::sigprocmask(libc::SIG_BLOCK, &block).unwrap_or_else(|_| SigSet::empty());
    let shell = std::env::var_os("SHELL")
        .map(OsString::into_vec)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            passwd::getpwuid(u::getresuid().0)
                .map(|p| p.shell)
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| b"/bin/sh".to_vec());
    // A relative DIR names the same directory at every rescan (BusyBox chdirs into it again).
    if dir.first() != Some(&b'/') {
        if let Ok(cwd) = std::env::current_dir() {
            dir = [cwd.into_os_string().into_vec(), b"/".to_vec(), dir].concat();
        }
    }
    let mut c = Crond {
        log: Log {
            level,
            syslog: !debug && file.is_none(),
            file,
            zone: Zone::local(),
        },
        run_dir: if test.is_some() {
            dir.clone()
        } else {
            b"/var/run".to_vec()
        },
        dir,
        tables: Vec::new(),
        shell,
        mask,
        done: i64::MIN,
    };
    c.log.reopen();
    if let Err(m) = c.chdir() {
        c.log.err(&m);
        return 1;
    }
    let v = format!(
        "crond (rbox {}) started, log level {}",
        env!("CARGO_PKG_VERSION"),
        level
    );
    c.log.say(8, v.as_bytes());
    if let Err(m) = c.rescan() {
        c.log.err(&m);
        return 1;
    }
    let runf = |name: &[u8]| [&c.run_dir[..], b"/", name].concat();
    if let Ok(p) = fd::open(
        &runf(b"crond.pid"),
        libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
        0o644,
    ) {
        let _ = fd::write_all(p.as_fd(), format!("{}\n", std::process::id()).as_bytes());
    }
    let reboot = fd::open(
        &runf(b"crond.reboot"),
        libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
        0,
    );
    if reboot.map(drop).is_ok() {
        c.start_jobs(REBOOT);
    }
    // Without times the test hook keeps the real clock (and the files out of /var/run).
    let mut times = test.filter(|v| !v.is_empty()).map(|v| v.into_iter());
    let mut t2 = match &mut times {
        Some(t) => t.next().unwrap_or(0),
        None => now(),
    };
    let (mut rescan, mut step, mut mtime) = (60, 60, 0i64);
    loop {
        let t1 = t2;
        t2 = match &mut times {
            Some(t) => match t.next() {
                Some(x) => x,
                None => {
                    while sp::waitpid(-1, 0).is_ok() {}
                    return 0;
                }
            },
            None => {
                if !c.sleep(step) {
                    return 0;
                }
                now()
            }
        };
        let dt = t2 - t1;
        c.log.reopen();
        let m = fd::stat(&c.dir).map_or(0, |s| s.st_mtime);
        if m != mtime {
            mtime = m;
            rescan = 1;
        }
        rescan -= 1;
        if rescan == 0 {
            rescan = 60;
            if let Err(m) = c.rescan() {
                c.log.err(&m);
                return 1;
            }
        }
        c.process_update();
        c.log.say(4, format!("wakeup dt={dt}").as_bytes());
        match c.flag(t1, t2) {
            Err(dt) => {
                let m = format!("time disparity of {} minutes detected", dt / 60);
                c.log.err(m.as_bytes());
            }
            Ok(()) if dt > 0 => {
                c.start_jobs(WANTED);
                step = if c.reap(times.is_some()) { 10 } else { 60 };
            }
            Ok(()) => {}
        }
    }
}

/// fork, the parent exits; the child starts a session with /dev/null as its standard streams.
fn daemonize() {
    match sp::fork() {
        Ok(Fork::Parent(_)) => sp::exit_now(0),
        Ok(Fork::Child) => {
            let _ = sp::setsid();
            if let Ok(n) = fd::open(b"/dev/null", libc::O_RDWR | libc::O_CLOEXEC, 0) {
                for t in 0..3 {
                    let _ = fd::dup2(n.as_fd(), t);
                }
            }
        }
        Err(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> (Vec<Entry>, Vec<String>) {
        let mut n = Notes::default();
        let e = parse_table(b"root", line.as_bytes(), &mut n);
        let errs = n
            .msgs
            .into_iter()
            .filter(|m| m.0 >= LOG_ERR && m.0 != DUMP)
            .map(|m| String::from_utf8(m.1).unwrap())
            .collect();
        (e, errs)
    }

    fn bits(v: &[u32]) -> u64 {
        v.iter().fold(0, |a, &i| a | 1 << i)
    }

    #[test]
    fn fields() {
        assert_eq!(parse_field(b"*", 60, 0, None), ((1 << 60) - 1, true));
        assert_eq!(
            parse_field(b"*/15", 60, 0, None),
            (bits(&[0, 15, 30, 45]), true)
        );
        assert_eq!(
            parse_field(b"1-10/3", 60, 0, None),
            (bits(&[1, 4, 7, 10]), true)
        );
        assert_eq!(parse_field(b"5,7,9", 24, 0, None), (bits(&[5, 7, 9]), true));
        assert_eq!(
            parse_field(b"22-1", 24, 0, None),
            (bits(&[22, 23, 0, 1]), true)
        );
        assert_eq!(
            parse_field(b"jan,MAR-may", 12, -1, Some(MON)),
            (bits(&[0, 2, 3, 4]), true)
        );
        assert_eq!(parse_field(b"12", 12, -1, Some(MON)), (bits(&[11]), true));
        assert_eq!(
            parse_field(b"mon-fri", 7, 0, Some(DOW)),
            (bits(&[1, 2, 3, 4, 5]), true)
        );
        assert_eq!(parse_field(b"*/0", 60, 0, None), (1, true));
        // BusyBox's quirks: out of range fills all and is an error; garbage after a number.
        assert_eq!(parse_field(b"61", 60, 0, None), ((1 << 60) - 1, false));
        assert_eq!(parse_field(b"7", 7, 0, Some(DOW)), (0x7f, false));
        assert!(!parse_field(b"5x", 60, 0, None).1);
        assert!(!parse_field(b"x", 60, 0, None).1);
        assert!(!parse_field(b"", 60, 0, None).1);
        assert!(!parse_field(b"0", 12, -1, Some(MON)).1);
        assert_eq!(parse_field(b"*/-1", 60, 0, None), (1, true));
        assert!(!parse_field(b"99999999999999999999999", 60, 0, None).1);
    }

    #[test]
    fn lines() {
        let (e, errs) =
            one("# c\n\n  SHELL=/bin/bash\n*/5 1 * * * echo a  b #x\n@daily run it # y\n");
        assert!(errs.is_empty());
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].cmd, b"echo a  b");
        assert_eq!(e[0].shell.as_deref(), Some(&b"/bin/bash"[..]));
        assert_eq!(
            e[0].mins,
            bits(&[0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55])
        );
        assert_eq!(e[1].cmd, b"run it # y");
        assert_eq!((e[1].mins, e[1].hrs), (1, 1));
        let (e, _) = one("@reboot x\n@hourly y\n@bogus z\n@daily\nFOO=bar\n1#2 * * * * no\n");
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].pid, &e[0].cmd[..]), (REBOOT, &b"x"[..]));
        assert_eq!((e[1].mins, e[1].hrs), (1, (1 << 24) - 1));
        let (e, errs) = one("61 * * * * a\n0 0 * * 7 b\n* * * * \\\n* c\n");
        assert_eq!(
            errs,
            [
                "user root: parse error at 61",
                "user root: parse error at 7"
            ]
        );
        assert_eq!(e.len(), 3);
        assert_eq!(e[2].cmd, b"c");
    }

    #[test]
    fn too_many_lines() {
        let t = "* * * * * x\n".repeat(300);
        let mut n = Notes::default();
        assert_eq!(parse_table(b"bob", t.as_bytes(), &mut n).len(), 255);
        assert!(n.msgs.iter().any(|m| m.1 == b"user bob: too many lines"));
        assert_eq!(
            parse_table(b"root", t.as_bytes(), &mut Notes::default()).len(),
            300
        );
    }

    #[test]
    fn due() {
        // 1st and 15th of the month, or any Friday (both restricted: either).
        let (e, _) = one("30 4 1,15 * 5 x\n0 0 * * mon y\n0 0 13 * * z\n");
        // 2026-12-04 is a Friday, 2026-12-15 a Tuesday, 2026-12-07 a Monday.
        assert!(e[0].due(30, 4, 4, 12, 5));
        assert!(e[0].due(30, 4, 15, 12, 2));
        assert!(!e[0].due(30, 4, 16, 12, 3));
        assert!(!e[0].due(31, 4, 15, 12, 2));
        assert!(e[1].due(0, 0, 7, 12, 1));
        assert!(!e[1].due(0, 0, 8, 12, 2));
        assert!(e[2].due(0, 0, 13, 1, 2));
        assert!(!e[2].due(0, 0, 14, 1, 3));
    }

    #[test]
    fn clock() {
        assert_eq!(minutes_between(119, 180), Ok(vec![120, 180]));
        assert_eq!(minutes_between(120, 180), Ok(vec![180]));
        assert_eq!(minutes_between(180, 190), Ok(vec![]));
        assert_eq!(minutes_between(180, 120), Ok(vec![]));
        assert_eq!(minutes_between(0, 3601), Err(3601));
        assert_eq!(minutes_between(7200, 0), Err(-7200));
        assert_eq!(minutes_between(0, 600).unwrap().len(), 10);
    }
}
