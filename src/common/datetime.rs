//! The one parser of human date strings (gnulib's parse_datetime, as GNU `date -d`, `touch -d`
//! and `find -newermt` read them): `@SECONDS[.FRAC]`, ISO 8601 dates and times (`2024-01-02`,
//! `2024-01-02T03:04:05.5Z`, `2024-01-02 03:04 +05:30`), `MM/DD[/YYYY]`, month names
//! (`Jan 2 2024`, `2 January`, `2-Jan-2024`), times with `am`/`pm`, zones (`UTC`, `Z`, `GMT`,
//! US and European abbreviations, `+hh[:mm]`, `UTC+2`, a leading `TZ="Area/City"`), day names
//! (`monday`, `next fri`, `last sunday`), `now`, `today`, `yesterday`, `tomorrow`, relative
//! items (`+1 day`, `-2 hours`, `1 week ago`, `last month`, `3 fortnights`) and bare numbers
//! (`20240102`, `0930`), all in any order, case-insensitive, `(comments)` skipped. Resolution is
//! gnulib's: fields not given come from now; a date or day name without a time means
//! midnight; year, month and day offsets are applied to the calendar date (then normalised, as
//! mktime does: Jan 31 + 1 month is March 2 or 3), hour, minute and second offsets to the
//! resulting instant.

use super::time::{days_from_civil, Zone};

/// A parsed date: seconds since the epoch and nanoseconds.
pub type Instant = (i64, u32);

#[derive(Default)]
struct P {
    date: Option<(Option<i64>, i64, i64)>,
    time: Option<(i64, i64, i64, u32)>,
    zone: Option<i64>,
    day: Option<(i64, i64)>,
    rel: [i64; 6], // years, months, days, hours, minutes, seconds
    rel_ns: i64,
    rels: bool,
}

/// Zone abbreviations and their offsets in minutes east of UTC.
const ZONES: &[(&str, i64)] = &[
    ("gmt", 0),
    ("ut", 0),
    ("utc", 0),
    ("z", 0),
    ("wet", 0),
    ("west", 60),
    ("bst", 60),
    ("art", -180),
    ("brt", -180),
    ("brst", -120),
    ("ast", -240),
    ("adt", -180),
    ("est", -300),
    ("edt", -240),
    ("cst", -360),
    ("cdt", -300),
    ("mst", -420),
    ("mdt", -360),
    ("pst", -480),
    ("pdt", -420),
    ("akst", -540),
    ("akdt", -480),
    ("hst", -600),
    ("wat", 60),
    ("cet", 60),
    ("cest", 120),
    ("met", 60),
    ("mez", 60),
    ("mest", 120),
    ("mesz", 120),
    ("eet", 120),
    ("eest", 180),
    ("cat", 120),
    ("sast", 120),
    ("eat", 180),
    ("msk", 180),
    ("msd", 240),
    ("ist", 330),
    ("sgt", 480),
    ("kst", 540),
    ("jst", 540),
    ("gst", 600),
    ("nzst", 720),
    ("nzdt", 780),
];

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64, usize, bool), // value, digits, had an explicit sign
    Frac(u32),             // .ddd after a number: nanoseconds
    Word(String),
    Ch(u8),
}

fn lex(s: &[u8]) -> Option<Vec<Tok>> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'(' {
            let mut depth = 0;
            while i < s.len() {
                match s[i] {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            if depth != 0 {
                return None;
            }
        } else if c.is_ascii_digit()
            || ((c == b'+' || c == b'-')
                && s[i + 1..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(u8::is_ascii_digit))
        {
            let mut neg = false;
            let signed = !c.is_ascii_digit();
            if signed {
                neg = c == b'-';
                i += 1;
                while s[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            let st = i;
            let mut n: i64 = 0;
            while i < s.len() && s[i].is_ascii_digit() {
                n = n.checked_mul(10)?.checked_add((s[i] - b'0') as i64)?;
                i += 1;
            }
            v.push(Tok::Num(if neg { -n } else { n }, i - st, signed));
            if i + 1 < s.len() && (s[i] == b'.' || s[i] == b',') && s[i + 1].is_ascii_digit() {
                i += 1;
                let mut ns = 0u32;
                let mut k = 0;
                while i < s.len() && s[i].is_ascii_digit() {
                    if k < 9 {
                        ns = ns * 10 + (s[i] - b'0') as u32;
                        k += 1;
                    }
                    i += 1;
                }
                while k < 9 {
                    ns *= 10;
                    k += 1;
                }
                v.push(Tok::Frac(ns));
            }
        } else if c.is_ascii_alphabetic() {
            let st = i;
            while i < s.len() && (s[i].is_ascii_alphabetic() || s[i] == b'.') {
                i += 1;
            }
            let w: String = String::from_utf8_lossy(&s[st..i])
                .to_ascii_lowercase()
                .replace('.', "");
            v.push(Tok::Word(w));
        } else {
            v.push(Tok::Ch(c));
            i += 1;
        }
    }
    Some(v)
}

fn month_of(w: &str) -> Option<i64> {
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| w == *m || (w.len() == 3 && m.starts_with(w)))
        .map(|p| p as i64 + 1)
}

fn day_of(w: &str) -> Option<i64> {
    let w = w.strip_suffix(',').unwrap_or(w);
    for (k, d) in DAYS.iter().enumerate() {
        if w == *d
            || (w.len() == 3 && d.starts_with(w))
            || (d.starts_with(w) && matches!(w, "tues" | "wednes" | "thur" | "thurs"))
        {
            return Some(k as i64);
        }
    }
    None
}

fn unit_of(w: &str) -> Option<(usize, i64)> {
    let w = w.strip_suffix('s').filter(|x| !x.is_empty()).unwrap_or(w);
    // A word list and a table instead of a `match` on the strings (a comparison per word).
    const NAMES: &str = "year\0month\0fortnight\0week\0day\0hour\0minute\0min\0second\0sec\0";
    const UNITS: [(u8, u8); 10] = [
        (0, 1),
        (1, 1),
        (2, 14),
        (2, 7),
        (2, 1),
        (3, 1),
        (4, 1),
        (4, 1),
        (5, 1),
        (5, 1),
    ];
    let (u, n) = *super::args::word_index(NAMES, w.as_bytes()).and_then(|i| UNITS.get(i))?;
    Some((u as usize, n as i64))
}

fn ordinal(w: &str) -> Option<i64> {
    const NAMES: &str = "last\0this\0next\0first\0third\0fourth\0fifth\0sixth\0seventh\0eighth\0\
                         ninth\0tenth\0eleventh\0twelfth\0";
    const VALUES: [i8; 14] = [-1, 0, 1, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    super::args::word_index(NAMES, w.as_bytes())
        .and_then(|i| VALUES.get(i))
        .map(|&v| v as i64)
}

impl P {
    fn set_date(&mut self, y: Option<i64>, m: i64, d: i64) -> Option<()> {
        if self.date.is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        self.date = Some((y, m, d));
        Some(())
    }
    fn set_time(&mut self, h: i64, m: i64, s: i64, ns: u32) -> Option<()> {
        if self.time.is_some() || h > 24 || m > 59 || s > 59 {
            return None;
        }
        self.time = Some((h, m, s, ns));
        Some(())
    }
    fn set_zone(&mut self, off: i64) -> Option<()> {
        if self.zone.is_some() {
            return None;
        }
        self.zone = Some(off);
        Some(())
    }
    fn add_rel(&mut self, idx: usize, n: i64) -> Option<()> {
        self.rel[idx] = self.rel[idx].checked_add(n)?;
        self.rels = true;
        Some(())
    }
}

/// A year as written: two digits are 1969..2068, as POSIX and gnulib read them.
fn year_of(n: i64, digits: usize) -> i64 {
    if digits == 2 {
        if n < 69 {
            n + 2000
        } else {
            n + 1900
        }
    } else {
        n
    }
}

/// `+hh`, `+hhmm`, `+hh:mm` after a sign: seconds east of UTC.
fn numeric_zone(t: &[Tok], k: &mut usize) -> Option<i64> {
    let Tok::Num(n, digits, true) = t.get(*k)?.clone() else {
        return None;
    };
    *k += 1;
    let neg = n < 0;
    let n = n.abs();
    let secs = if t.get(*k) == Some(&Tok::Ch(b':')) {
        let Some(Tok::Num(m, _, false)) = t.get(*k + 1).cloned() else {
            return None;
        };
        *k += 2;
        if n > 24 || m > 59 {
            return None;
        }
        n * 3600 + m * 60
    } else if digits <= 2 {
        n * 3600
    } else if digits <= 4 {
        if n % 100 > 59 {
            return None;
        }
        (n / 100) * 3600 + (n % 100) * 60
    } else {
        return None;
    };
    if secs > 24 * 3600 {
        return None;
    }
    Some(if neg { -secs } else { secs })
}

fn parse_items(t: &[Tok], p: &mut P) -> Option<()> {
    let mut k = 0;
    // Where the last time of day ended: a signed number right there is its zone (gnulib's
    // grammar: `10:00 -2 hours` is 10:00 at -02:00, then one hour).
    let mut time_end = usize::MAX;
    while k < t.len() {
        match t[k].clone() {
            Tok::Num(n, digits, signed) => {
                if signed && k == time_end && p.zone.is_none() {
                    p.set_zone(numeric_zone(t, &mut k)?)?;
                    continue;
                }
                let next = t.get(k + 1).cloned();
                // Relative: [+-]N unit.
                if let Some(Tok::Word(w)) = &next {
                    if let Some((idx, mult)) = unit_of(w) {
                        p.add_rel(idx, n.checked_mul(mult)?)?;
                        k += 2;
                        continue;
                    }
                }
                if signed {
                    // A zone right after a time.
                    if p.time.is_some() && p.zone.is_none() && k > 0 {
                        p.set_zone(numeric_zone(t, &mut k)?)?;
                        continue;
                    }
                    return None;
                }
                // ISO date: YYYY-MM-DD (the lexer made -MM and -DD signed numbers).
                if let (Some(Tok::Num(m, _, true)), Some(Tok::Num(d, _, true))) =
                    (t.get(k + 1), t.get(k + 2))
                {
                    if *m < 0 && *d < 0 {
                        p.set_date(Some(year_of(n, digits)), -m, -d)?;
                        k += 3;
                        // ISO 8601 'T' between date and time.
                        if let Some(Tok::Word(w)) = t.get(k) {
                            if w == "t" {
                                k += 1;
                            }
                        }
                        continue;
                    }
                }
                // DD-Mon-YYYY.
                if let (Some(Tok::Ch(b'-')), Some(Tok::Word(w))) = (t.get(k + 1), t.get(k + 2)) {
                    if let Some(m) = month_of(w) {
                        let mut y = None;
                        k += 3;
                        if let Some(Tok::Num(yy, dg, true)) = t.get(k) {
                            if *yy < 0 {
                                y = Some(year_of(-yy, *dg));
                                k += 1;
                            }
                        }
                        p.set_date(y, m, n)?;
                        continue;
                    }
                }
                // Time: H:MM[:SS[.frac]] [am|pm] [zone].
                if next == Some(Tok::Ch(b':')) {
                    let Some(Tok::Num(mi, _, false)) = t.get(k + 2).cloned() else {
                        return None;
                    };
                    k += 3;
                    let (mut sec, mut ns) = (0, 0);
                    if t.get(k) == Some(&Tok::Ch(b':')) {
                        let Some(Tok::Num(s, _, false)) = t.get(k + 1).cloned() else {
                            return None;
                        };
                        sec = s;
                        k += 2;
                        if let Some(Tok::Frac(f)) = t.get(k) {
                            ns = *f;
                            k += 1;
                        }
                    }
                    let mut h = n;
                    if let Some(Tok::Word(w)) = t.get(k) {
                        if let Some(pm) = meridian(w) {
                            h = to_hour(h, pm)?;
                            k += 1;
                        }
                    }
                    p.set_time(h, mi, sec, ns)?;
                    time_end = k;
                    continue;
                }
                // M/D[/Y].
                if next == Some(Tok::Ch(b'/')) {
                    let Some(Tok::Num(d, _, false)) = t.get(k + 2).cloned() else {
                        return None;
                    };
                    k += 3;
                    let mut y = None;
                    if t.get(k) == Some(&Tok::Ch(b'/')) {
                        let Some(Tok::Num(yy, dg, false)) = t.get(k + 1).cloned() else {
                            return None;
                        };
                        y = Some(year_of(yy, dg));
                        k += 2;
                    }
                    if digits == 4 {
                        // YYYY/MM/DD
                        let y2 = y?;
                        p.set_date(Some(n), d, y2)?;
                    } else {
                        p.set_date(y, n, d)?;
                    }
                    continue;
                }
                // N am/pm.
                if let Some(Tok::Word(w)) = &next {
                    if let Some(pm) = meridian(w) {
                        p.set_time(to_hour(n, pm)?, 0, 0, 0)?;
                        k += 2;
                        continue;
                    }
                    // D Month [YYYY].
                    if let Some(m) = month_of(w) {
                        k += 2;
                        let mut y = None;
                        if let Some(Tok::Num(yy, dg, false)) = t.get(k) {
                            if t.get(k + 1) != Some(&Tok::Ch(b':')) {
                                y = Some(year_of(*yy, *dg));
                                k += 1;
                            }
                        }
                        p.set_date(y, m, n)?;
                        continue;
                    }
                }
                // A bare number.
                k += 1;
                if let Some((y, m, d)) = p.date {
                    if y.is_none() && !p.rels && (p.time.is_some() || digits > 2) {
                        p.date = Some((Some(year_of(n, digits)), m, d));
                        continue;
                    }
                }
                if digits > 4 {
                    p.set_date(Some(n / 10000), n / 100 % 100, n % 100)?;
                } else if digits <= 2 {
                    p.set_time(n, 0, 0, 0)?;
                } else {
                    p.set_time(n / 100, n % 100, 0, 0)?;
                }
            }
            Tok::Word(w) => {
                k += 1;
                let w = w.as_str();
                match w {
                    "now" | "today" => p.add_rel(2, 0)?,
                    "yesterday" => p.add_rel(2, -1)?,
                    "tomorrow" => p.add_rel(2, 1)?,
                    "ago" => {
                        if !p.rels {
                            return None;
                        }
                        for r in &mut p.rel {
                            *r = -*r;
                        }
                        p.rel_ns = -p.rel_ns;
                    }
                    "t" => {}
                    _ => {
                        if let Some(o) = ordinal(w) {
                            let Some(Tok::Word(u)) = t.get(k).cloned() else {
                                return None;
                            };
                            k += 1;
                            if let Some((idx, mult)) = unit_of(&u) {
                                p.add_rel(idx, o * mult)?;
                            } else if let Some(d) = day_of(&u) {
                                if p.day.is_some() {
                                    return None;
                                }
                                p.day = Some((o, d));
                            } else {
                                return None;
                            }
                        } else if let Some((idx, mult)) = unit_of(w) {
                            p.add_rel(idx, mult)?;
                        } else if let Some(d) = day_of(w) {
                            if p.day.is_some() {
                                return None;
                            }
                            p.day = Some((0, d));
                            if t.get(k) == Some(&Tok::Ch(b',')) {
                                k += 1;
                            }
                        } else if let Some(m) = month_of(w) {
                            // Month D[,] [YYYY]
                            let Some(Tok::Num(d, _, false)) = t.get(k).cloned() else {
                                return None;
                            };
                            k += 1;
                            if t.get(k) == Some(&Tok::Ch(b',')) {
                                k += 1;
                            }
                            let mut y = None;
                            if let Some(Tok::Num(yy, dg, false)) = t.get(k) {
                                if t.get(k + 1) != Some(&Tok::Ch(b':')) {
                                    y = Some(year_of(*yy, *dg));
                                    k += 1;
                                }
                            }
                            p.set_date(y, m, d)?;
                        } else if let Some(&(_, h)) = ZONES.iter().find(|z| z.0 == w) {
                            let mut off = h * 60;
                            // UTC+2, GMT-5:30.
                            if let Some(Tok::Num(_, _, true)) = t.get(k) {
                                off += numeric_zone(t, &mut k)?;
                            }
                            p.set_zone(off)?;
                        } else if w.len() == 1 && w != "j" {
                            // Military zones: A..M east (no J), N..Y west, Z is UTC.
                            let c = w.as_bytes()[0];
                            let h = match c {
                                b'a'..=b'i' => (c - b'a' + 1) as i64,
                                b'k'..=b'm' => (c - b'k' + 10) as i64,
                                b'n'..=b'y' => -((c - b'n' + 1) as i64),
                                _ => 0,
                            };
                            p.set_zone(h * 3600)?;
                        } else if w == "dst" {
                            let z = p.zone.as_mut()?;
                            *z += 3600;
                        } else {
                            return None;
                        }
                    }
                }
            }
            Tok::Frac(_) => return None,
            Tok::Ch(b',') => k += 1,
            Tok::Ch(_) => return None,
        }
    }
    Some(())
}

fn meridian(w: &str) -> Option<bool> {
    match w {
        "am" => Some(false),
        "pm" => Some(true),
        _ => None,
    }
}

fn to_hour(h: i64, pm: bool) -> Option<i64> {
    if !(1..=12).contains(&h) {
        return None;
    }
    Some(h % 12 + if pm { 12 } else { 0 })
}

/// Local broken-down fields to seconds since the epoch in `zone` (or at a fixed offset).
pub fn to_epoch(zone: &Zone, fixed: Option<i64>, y: i64, mon: i64, d: i64, secs: i64) -> i64 {
    // Normalise the month as mktime does, then the day.
    let y = y + (mon - 1).div_euclid(12);
    let m = (mon - 1).rem_euclid(12) + 1;
    let days = days_from_civil(y, m as u32, 1) + d - 1;
    let local = days * 86400 + secs;
    if let Some(off) = fixed {
        return local - off;
    }
    // Two rounds find the offset in force at that local time (the earlier one in a fold).
    let mut t = local - zone.to_tm(local).utoff;
    t = local - zone.to_tm(t).utoff;
    t
}

/// Parse `s` relative to `now` in `zone` (the TZ rules; a `TZ="..."` prefix replaces it):
/// GNU's grammar, then BusyBox's own forms for what GNU refuses (`busybox_form`), so scripts
/// written for either work. `None`: a date neither accepts.
pub fn parse(s: &[u8], now: Instant, zone: &Zone) -> Option<Instant> {
    parse_gnu(s, now, zone).or_else(|| busybox_form(s.trim_ascii(), now, zone))
}

/// BusyBox's `date -d`/`touch -d` forms that GNU refuses: `[YYYY.]MM.DD-hh:mm[:ss]` and the
/// run of digits `[[[[[CC]YY]MM]DD]hh]mm[.ss]` (`200001231133`, `12311133.20`, `30`). The date
/// left out is today's, the time left out midnight's, as BusyBox's date sets them.
fn busybox_form(s: &[u8], now: Instant, zone: &Zone) -> Option<Instant> {
    let num = |b: &[u8]| -> Option<i64> {
        if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(b).ok()?.parse().ok()
    };
    let tm = zone.to_tm(now.0);
    let (mut y, mut mon, mut d) = (tm.year, tm.mon as i64, tm.mday as i64);
    let (h, mi, sec);
    if let Some(dash) = s.iter().position(|&c| c == b'-') {
        let date: Vec<&[u8]> = s[..dash].split(|&c| c == b'.').collect();
        let time: Vec<&[u8]> = s[dash + 1..].split(|&c| c == b':').collect();
        if date.len() == 3 {
            y = num(date[0])?;
        } else if date.len() != 2 {
            return None;
        }
        mon = num(date[date.len() - 2])?;
        d = num(date[date.len() - 1])?;
        if !(2..=3).contains(&time.len()) {
            return None;
        }
        h = num(time[0])?;
        mi = num(time[1])?;
        sec = time.get(2).map_or(Some(0), |b| num(b))?;
    } else {
        let (main, ss) = match s.iter().position(|&c| c == b'.') {
            Some(p) if (2..=3).contains(&(s.len() - p)) => (&s[..p], num(&s[p + 1..])?),
            Some(_) => return None,
            None => (s, 0),
        };
        let n = main.len();
        if n == 0 || n > 12 || n % 2 == 1 || !main.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let two = |i: usize| ((main[i] - b'0') * 10 + (main[i + 1] - b'0')) as i64;
        mi = two(n - 2);
        sec = ss;
        h = if n >= 4 { two(n - 4) } else { 0 };
        if n >= 6 {
            d = two(n - 6);
        }
        if n >= 8 {
            mon = two(n - 8);
        }
        if n == 10 {
            y = year_of(two(0), 2);
        } else if n == 12 {
            y = two(0) * 100 + two(2);
        }
    }
    if !(0..=9999).contains(&y) {
        return None;
    }
    civil_time([y, mon, d, h, mi, sec], now, zone)
}

/// The time of a broken-down local date and time `[year, month, day, hour, minute, second]`
/// in `zone`, fields checked; `None`: out of range, or no such local time. A leap second
/// reads as the next minute's first (POSIX allows :60; mktime normalises it so).
fn civil_time(f: [i64; 6], now: Instant, zone: &Zone) -> Option<Instant> {
    let [y, mon, d, h, mi, sec] = f;
    if !(1..=12).contains(&mon) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let spec = format!("{y:04}-{mon:02}-{d:02} {h:02}:{mi:02}:{:02}", sec.min(59));
    let t = parse_gnu(spec.as_bytes(), now, zone)?;
    Some((t.0 + (sec == 60) as i64, 0))
}

fn parse_gnu(s: &[u8], now: Instant, zone: &Zone) -> Option<Instant> {
    let mut s = s.trim_ascii();
    let owned;
    let mut zone = zone;
    if s.len() > 4 && s[..4].eq_ignore_ascii_case(b"tz=\"") {
        let end = s[4..].iter().position(|&c| c == b'"')? + 4;
        owned = Zone::from_tz(std::str::from_utf8(&s[4..end]).ok()?);
        zone = &owned;
        s = s[end + 1..].trim_ascii();
    }
    if let Some(r) = s.strip_prefix(b"@") {
        let t = lex(r)?;
        return match t.as_slice() {
            [Tok::Num(n, _, _)] => Some((*n, 0)),
            [Tok::Num(n, _, _), Tok::Frac(f)] => {
                if r.starts_with(b"-") && *f > 0 {
                    Some((n - 1, 1_000_000_000 - f))
                } else {
                    Some((*n, *f))
                }
            }
            _ => None,
        };
    }
    let toks = lex(s)?;
    let mut p = P::default();
    parse_items(&toks, &mut p)?;
    let tm = zone.to_tm(now.0);
    let (mut y, mut mon, mut d) = (tm.year, tm.mon as i64, tm.mday as i64);
    if let Some((yy, m, dd)) = p.date {
        if let Some(yy) = yy {
            y = yy;
        }
        mon = m;
        d = dd;
        // A day that month does not have is invalid (mktime would roll it over).
        let len = days_from_civil(if m == 12 { y + 1 } else { y }, (m % 12 + 1) as u32, 1)
            - days_from_civil(y, m as u32, 1);
        if d > len {
            return None;
        }
    }
    let (mut secs, mut ns) = (
        tm.hour as i64 * 3600 + tm.min as i64 * 60 + tm.sec as i64,
        now.1,
    );
    if let Some((h, m, sc, f)) = p.time {
        if h == 24 && (m > 0 || sc > 0) {
            return None;
        }
        secs = h * 3600 + m * 60 + sc;
        ns = f;
    } else if p.date.is_some() || p.day.is_some() || !p.rels {
        secs = 0;
        ns = 0;
    }
    let fixed = p.zone;
    let mut t = to_epoch(zone, fixed, y, mon, d, secs);
    // A local time the zone skips (a DST gap) does not exist: GNU rejects it.
    if fixed.is_none() && (p.date.is_some() || p.time.is_some()) {
        let b = zone.to_tm(t);
        let back = days_from_civil(b.year, b.mon, b.mday) * 86400
            + (b.hour * 3600 + b.min * 60 + b.sec) as i64;
        if back != days_from_civil(y, mon as u32, d as u32) * 86400 + secs {
            return None;
        }
    }
    if let Some((ord, wd)) = p.day {
        if p.date.is_none() {
            let cur = match fixed {
                Some(off) => super::time::utc_tm(t + off).wday as i64,
                None => zone.to_tm(t).wday as i64,
            };
            let incr = (ord - (ord > 0 && cur != wd) as i64) * 7 + (wd - cur + 7) % 7;
            d += incr;
            t = to_epoch(zone, fixed, y, mon, d, secs);
        }
    }
    if p.rel[0] != 0 || p.rel[1] != 0 || p.rel[2] != 0 {
        let b = match fixed {
            Some(off) => super::time::utc_tm(t + off),
            None => zone.to_tm(t),
        };
        let secs_of_day = b.hour as i64 * 3600 + b.min as i64 * 60 + b.sec as i64;
        t = to_epoch(
            zone,
            fixed,
            b.year + p.rel[0],
            b.mon as i64 + p.rel[1],
            b.mday as i64 + p.rel[2],
            secs_of_day,
        );
    }
    t = t
        .checked_add(p.rel[3].checked_mul(3600)?)?
        .checked_add(p.rel[4].checked_mul(60)?)?
        .checked_add(p.rel[5])?;
    Some((t, ns))
}

/// POSIX time stamps: `[[CC]YY]MMDDhhmm[.ss]` (`touch -t`, `year_first`) or
/// `MMDDhhmm[[CC]YY][.ss]` (the `date` operand), in `zone`; a two-digit year is 1969..2068,
/// a missing one this year. `None`: not such a stamp, or no such local time.
pub fn posix_stamp(s: &[u8], year_first: bool, now: Instant, zone: &Zone) -> Option<Instant> {
    let (main, secs) = match s.iter().position(|&c| c == b'.') {
        Some(p) => (&s[..p], Some(&s[p + 1..])),
        None => (s, None),
    };
    let digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    if !digits(main) || ![8, 10, 12].contains(&main.len()) {
        return None;
    }
    let two = |b: &[u8], i: usize| ((b[i] - b'0') * 10 + (b[i + 1] - b'0')) as i64;
    let ylen = main.len() - 8;
    let (ypart, rest) = if year_first {
        (&main[..ylen], &main[ylen..])
    } else {
        (&main[8..], &main[..8])
    };
    let year = match ylen {
        0 => zone.to_tm(now.0).year,
        2 => year_of(two(ypart, 0), 2),
        _ => two(ypart, 0) * 100 + two(ypart, 2),
    };
    let sec = match secs {
        Some(b) if b.len() == 2 && digits(b) => two(b, 0),
        Some(_) => return None,
        None => 0,
    };
    let (mon, day, h, m) = (two(rest, 0), two(rest, 2), two(rest, 4), two(rest, 6));
    civil_time([year, mon, day, h, m, sec], now, zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<i64> {
        // Now: 2024-03-05 07:08:09 UTC, a Tuesday.
        parse(s.as_bytes(), (1_709_622_489, 5), &Zone::utc()).map(|t| t.0)
    }

    #[test]
    fn forms() {
        assert_eq!(at("@0"), Some(0));
        assert_eq!(at("2024-01-02"), Some(1_704_153_600));
        assert_eq!(at("2024-01-02T03:04:05Z"), Some(1_704_164_645));
        assert_eq!(at("2024-01-02 03:04:05 +01:00"), Some(1_704_161_045));
        assert_eq!(at("now"), Some(1_709_622_489));
        assert_eq!(at("today"), Some(1_709_622_489));
        assert_eq!(at("yesterday"), Some(1_709_622_489 - 86400));
        assert_eq!(at("+1 day"), Some(1_709_622_489 + 86400));
        assert_eq!(at("1 week ago"), Some(1_709_622_489 - 7 * 86400));
        assert_eq!(at("-2 hours"), Some(1_709_622_489 - 7200));
        assert_eq!(at("next monday"), Some(1_709_596_800 + 6 * 86400));
        assert_eq!(at("tuesday"), Some(1_709_596_800));
        assert_eq!(at("last month"), Some(1_709_622_489 - 29 * 86400));
        assert_eq!(at("Jan 2 2024"), at("2024-01-02"));
        assert_eq!(at("2 January 2024"), at("2024-01-02"));
        assert_eq!(at("20240102"), at("2024-01-02"));
        assert_eq!(at("xyzzy"), None);
        assert_eq!(at("2024-02-30"), None);
        assert_eq!(at("25:00"), None);
        let z = Zone::utc();
        let now = (1_709_622_489, 0);
        assert_eq!(
            posix_stamp(b"202401020000", true, now, &z),
            Some((1_704_153_600, 0))
        );
        assert_eq!(
            posix_stamp(b"010200002024", false, now, &z),
            Some((1_704_153_600, 0))
        );
        assert_eq!(
            posix_stamp(b"2401020000.05", true, now, &z),
            Some((1_704_153_605, 0))
        );
        assert_eq!(posix_stamp(b"0102000", true, now, &z), None);
        assert_eq!(posix_stamp(b"202401020000.61", true, now, &z), None);
    }
}
