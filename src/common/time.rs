//! Local time without libc's locale machinery: the zone comes from `TZ` (a POSIX rule such as
//! `EST5EDT,M3.2.0,M11.1.0`, or a zone name / `:path` read as a TZif file), else
//! `/etc/localtime`, else UTC — as glibc and musl do. A scratch image has no zoneinfo and gets
//! UTC. Also a `strftime` for the C locale (ls `--time-style=+FORMAT`, tar listings).

/// Broken-down time.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Tm {
    pub year: i64,
    /// 1..=12
    pub mon: u32,
    /// 1..=31
    pub mday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    /// 0 = Sunday
    pub wday: u32,
    /// 0..=365
    pub yday: u32,
    /// Seconds east of UTC.
    pub utoff: i64,
    pub isdst: bool,
    pub zone: String,
}

#[derive(Clone, Debug)]
struct LocalType {
    utoff: i64,
    isdst: bool,
    abbr: String,
}

#[derive(Clone, Debug)]
enum RuleDate {
    /// Jn: 1..=365, February 29 never counted.
    Julian1(u32),
    /// n: 0..=365, leap days counted.
    Julian0(u32),
    /// Mm.w.d
    Month(u32, u32, u32),
}

#[derive(Clone, Debug)]
struct PosixRule {
    std: LocalType,
    dst: Option<(LocalType, RuleDate, i64, RuleDate, i64)>,
}

/// A time zone: TZif transitions plus the POSIX rule for times after them.
#[derive(Clone, Debug)]
pub struct Zone {
    transitions: Vec<(i64, usize)>,
    types: Vec<LocalType>,
    rule: Option<PosixRule>,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            transitions: Vec::new(),
            types: Vec::new(),
            rule: Some(PosixRule {
                std: LocalType {
                    utoff: 0,
                    isdst: false,
                    abbr: "UTC".into(),
                },
                dst: None,
            }),
        }
    }

    /// The zone the C library would use: `TZ`, else /etc/localtime, else UTC.
    pub fn local() -> Zone {
        match std::env::var_os("TZ") {
            Some(tz) => Zone::from_tz(&tz.to_string_lossy()),
            None => Zone::from_file("/etc/localtime").unwrap_or_else(Zone::utc),
        }
    }

    pub fn from_tz(tz: &str) -> Zone {
        if let Some(path) = tz.strip_prefix(':') {
            return Zone::from_name(path).unwrap_or_else(Zone::utc);
        }
        if tz.is_empty() {
            return Zone::utc();
        }
        if let Some(r) = parse_posix(tz) {
            return Zone {
                transitions: Vec::new(),
                types: Vec::new(),
                rule: Some(r),
            };
        }
        Zone::from_name(tz).unwrap_or_else(Zone::utc)
    }

    fn from_name(name: &str) -> Option<Zone> {
        if name.starts_with('/') {
            return Zone::from_file(name);
        }
        if name.split('/').any(|c| c == "..") {
            return None;
        }
        let base = std::env::var("TZDIR").unwrap_or_else(|_| "/usr/share/zoneinfo".into());
        Zone::from_file(&format!("{base}/{name}"))
    }

    pub fn from_file(path: &str) -> Option<Zone> {
        parse_tzif(&std::fs::read(path).ok()?)
    }

    fn type_at(&self, t: i64) -> LocalType {
        if !self.transitions.is_empty() {
            let last = self.transitions[self.transitions.len() - 1];
            if let Some(rule) = self.rule.as_ref().filter(|_| t >= last.0) {
                return rule_type(rule, t);
            }
            let i = self.transitions.partition_point(|&(at, _)| at <= t);
            if i > 0 {
                return self.types[self.transitions[i - 1].1].clone();
            }
            // Before the first transition: the first standard-time type.
            return self
                .types
                .iter()
                .find(|t| !t.isdst)
                .unwrap_or(&self.types[0])
                .clone();
        }
        match &self.rule {
            Some(r) => rule_type(r, t),
            None => self.types.first().cloned().unwrap_or(LocalType {
                utoff: 0,
                isdst: false,
                abbr: "UTC".into(),
            }),
        }
    }

    /// Seconds since the epoch to local broken-down time.
    pub fn to_tm(&self, t: i64) -> Tm {
        let lt = self.type_at(t);
        let mut tm = utc_tm(t.saturating_add(lt.utoff));
        tm.utoff = lt.utoff;
        tm.isdst = lt.isdst;
        tm.zone = lt.abbr;
        tm
    }
}

/// Broken-down UTC time for seconds since the epoch.
pub fn utc_tm(t: i64) -> Tm {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (year, mon, mday) = civil_from_days(days);
    let yday = (days - days_from_civil(year, 1, 1)) as u32;
    Tm {
        year,
        mon,
        mday,
        hour: (secs / 3600) as u32,
        min: (secs / 60 % 60) as u32,
        sec: (secs % 60) as u32,
        wday: (days + 4).rem_euclid(7) as u32,
        yday,
        utoff: 0,
        isdst: false,
        zone: "UTC".into(),
    }
}

/// Howard Hinnant's algorithms: proleptic Gregorian calendar <-> days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Seconds from the start of `year` (local) to the rule's date at 00:00.
fn rule_day_secs(year: i64, d: &RuleDate) -> i64 {
    let day = match *d {
        RuleDate::Julian1(n) => {
            let mut n = n as i64 - 1;
            if is_leap(year) && n >= 59 {
                n += 1;
            }
            n
        }
        RuleDate::Julian0(n) => n as i64,
        RuleDate::Month(m, w, wd) => {
            let first = days_from_civil(year, m, 1);
            let first_wd = (first + 4).rem_euclid(7);
            let mut day = (wd as i64 - first_wd).rem_euclid(7) + (w as i64 - 1) * 7;
            let mdays =
                days_from_civil(if m == 12 { year + 1 } else { year }, m % 12 + 1, 1) - first;
            while day >= mdays {
                day -= 7;
            }
            first + day - days_from_civil(year, 1, 1)
        }
    };
    day * 86400
}

fn rule_type(r: &PosixRule, t: i64) -> LocalType {
    let Some((dst, sd, st, ed, et)) = &r.dst else {
        return r.std.clone();
    };
    let year = utc_tm(t + r.std.utoff).year;
    let y0 = days_from_civil(year, 1, 1) * 86400;
    let start = y0 + rule_day_secs(year, sd) + st - r.std.utoff;
    let end = y0 + rule_day_secs(year, ed) + et - dst.utoff;
    let in_dst = if start < end {
        t >= start && t < end
    } else {
        !(t >= end && t < start)
    };
    if in_dst {
        dst.clone()
    } else {
        r.std.clone()
    }
}

fn parse_posix(s: &str) -> Option<PosixRule> {
    let b = s.as_bytes();
    let mut i = 0;
    let name = |i: &mut usize| -> Option<String> {
        if b.get(*i) == Some(&b'<') {
            let end = s[*i..].find('>')? + *i;
            let n = s[*i + 1..end].to_string();
            *i = end + 1;
            Some(n)
        } else {
            let st = *i;
            while *i < b.len() && b[*i].is_ascii_alphabetic() {
                *i += 1;
            }
            (*i - st >= 3).then(|| s[st..*i].to_string())
        }
    };
    // [+-]hh[:mm[:ss]] in seconds.
    let offset = |i: &mut usize| -> Option<i64> {
        let mut sign = 1;
        if let Some(&c) = b.get(*i) {
            if c == b'+' || c == b'-' {
                sign = if c == b'-' { -1 } else { 1 };
                *i += 1;
            }
        }
        let mut total = 0i64;
        for (k, mult) in [3600i64, 60, 1].into_iter().enumerate() {
            if k > 0 {
                if b.get(*i) != Some(&b':') {
                    break;
                }
                *i += 1;
            }
            let st = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            if st == *i {
                return None;
            }
            total += s[st..*i].parse::<i64>().ok()? * mult;
        }
        Some(sign * total)
    };
    let std_name = name(&mut i)?;
    let std_off = -offset(&mut i)?;
    let std = LocalType {
        utoff: std_off,
        isdst: false,
        abbr: std_name,
    };
    if i == b.len() {
        return Some(PosixRule { std, dst: None });
    }
    let dst_name = name(&mut i)?;
    let dst_off = if i < b.len() && b[i] != b',' {
        -offset(&mut i)?
    } else {
        std_off + 3600
    };
    let date = |i: &mut usize| -> Option<(RuleDate, i64)> {
        if b.get(*i) != Some(&b',') {
            return None;
        }
        *i += 1;
        let num = |i: &mut usize| -> Option<u32> {
            let st = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            s[st..*i].parse().ok()
        };
        let d = match b.get(*i)? {
            b'J' => {
                *i += 1;
                RuleDate::Julian1(num(i)?)
            }
            b'M' => {
                *i += 1;
                let m = num(i)?;
                (b.get(*i) == Some(&b'.')).then_some(())?;
                *i += 1;
                let w = num(i)?;
                (b.get(*i) == Some(&b'.')).then_some(())?;
                *i += 1;
                let d = num(i)?;
                if !(1..=12).contains(&m) || !(1..=5).contains(&w) || d > 6 {
                    return None;
                }
                RuleDate::Month(m, w, d)
            }
            _ => RuleDate::Julian0(num(i)?),
        };
        let t = if b.get(*i) == Some(&b'/') {
            *i += 1;
            offset(i)?
        } else {
            7200
        };
        Some((d, t))
    };
    // Without a rule, POSIX leaves it to the implementation; glibc uses the US rules.
    let ((sd, st), (ed, et)) = if i == b.len() {
        (
            (RuleDate::Month(3, 2, 0), 7200),
            (RuleDate::Month(11, 1, 0), 7200),
        )
    } else {
        (date(&mut i)?, date(&mut i)?)
    };
    if i != b.len() {
        return None;
    }
    let dst = LocalType {
        utoff: dst_off,
        isdst: true,
        abbr: dst_name,
    };
    Some(PosixRule {
        std,
        dst: Some((dst, sd, st, ed, et)),
    })
}

fn parse_tzif(d: &[u8]) -> Option<Zone> {
    if d.len() < 44 || &d[..4] != b"TZif" {
        return None;
    }
    let be32 =
        |o: usize| -> Option<u32> { Some(u32::from_be_bytes(d.get(o..o + 4)?.try_into().ok()?)) };
    let counts = |o: usize| -> Option<[usize; 6]> {
        let mut c = [0usize; 6];
        for (k, v) in c.iter_mut().enumerate() {
            *v = be32(o + 20 + 4 * k)? as usize;
        }
        Some(c)
    };
    let version = d[4];
    let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0)?;
    let v1_len = timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    let (base, tsize, c) = if version >= b'2' {
        let o = 44 + v1_len;
        (o, 8usize, counts(o)?)
    } else {
        (0, 4usize, [isut, isstd, leap, timecnt, typecnt, charcnt])
    };
    let [isut, isstd, leap, timecnt, typecnt, charcnt] = c;
    if typecnt == 0 {
        return None;
    }
    let mut p = base + 44;
    let mut times = Vec::with_capacity(timecnt);
    for k in 0..timecnt {
        let o = p + k * tsize;
        let t = if tsize == 8 {
            i64::from_be_bytes(d.get(o..o + 8)?.try_into().ok()?)
        } else {
            i32::from_be_bytes(d.get(o..o + 4)?.try_into().ok()?) as i64
        };
        times.push(t);
    }
    p += timecnt * tsize;
    let idx = d.get(p..p + timecnt)?;
    p += timecnt;
    let types_at = p;
    p += typecnt * 6;
    let chars = d.get(p..p + charcnt)?;
    let mut types = Vec::with_capacity(typecnt);
    for k in 0..typecnt {
        let o = types_at + k * 6;
        let utoff = i32::from_be_bytes(d.get(o..o + 4)?.try_into().ok()?) as i64;
        let isdst = *d.get(o + 4)? != 0;
        let ai = *d.get(o + 5)? as usize;
        let abbr = chars
            .get(ai..)
            .map(|s| {
                let e = s.iter().position(|&c| c == 0).unwrap_or(s.len());
                String::from_utf8_lossy(&s[..e]).into_owned()
            })
            .unwrap_or_default();
        types.push(LocalType { utoff, isdst, abbr });
    }
    p += charcnt + leap * (tsize + 4) + isstd + isut;
    let mut transitions = Vec::with_capacity(timecnt);
    for (t, &i) in times.into_iter().zip(idx) {
        if (i as usize) < types.len() {
            transitions.push((t, i as usize));
        }
    }
    let rule = if version >= b'2' && d.get(p) == Some(&b'\n') {
        let rest = &d[p + 1..];
        let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
        std::str::from_utf8(&rest[..end]).ok().and_then(parse_posix)
    } else {
        None
    };
    Some(Zone {
        transitions,
        types,
        rule,
    })
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Abbreviated month name in the C locale (`Jan`).
pub fn month_abbr(mon: u32) -> &'static str {
    &MONTHS[(mon as usize + 11) % 12][..3]
}

/// C-locale strftime, with GNU's `%N` (nanoseconds) and `%s`. Unknown conversions are copied.
pub fn strftime(out: &mut Vec<u8>, fmt: &[u8], tm: &Tm, nsec: u32, epoch: i64) {
    use std::io::Write;
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' || i + 1 == fmt.len() {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        // GNU flags: '-' no padding, '_' space padding, '0' zero padding.
        let mut pad: Option<u8> = None;
        while i < fmt.len() && matches!(fmt[i], b'-' | b'_' | b'0' | b'^' | b'#') {
            if fmt[i] != b'^' && fmt[i] != b'#' {
                pad = Some(fmt[i]);
            }
            i += 1;
        }
        if i == fmt.len() {
            break;
        }
        let num = |out: &mut Vec<u8>, v: i64, width: usize, default_pad: u8| {
            let p = pad.unwrap_or(default_pad);
            let _ = match p {
                b'-' => write!(out, "{v}"),
                b'_' => write!(out, "{v:>width$}"),
                _ => write!(out, "{v:0width$}"),
            };
        };
        let hour12 = if tm.hour.is_multiple_of(12) {
            12
        } else {
            tm.hour % 12
        };
        match fmt[i] {
            b'Y' => num(out, tm.year, 1, b'0'),
            b'C' => num(out, tm.year.div_euclid(100), 2, b'0'),
            b'y' => num(out, tm.year.rem_euclid(100), 2, b'0'),
            b'm' => num(out, tm.mon as i64, 2, b'0'),
            b'd' => num(out, tm.mday as i64, 2, b'0'),
            b'e' => num(out, tm.mday as i64, 2, b'_'),
            b'H' => num(out, tm.hour as i64, 2, b'0'),
            b'k' => num(out, tm.hour as i64, 2, b'_'),
            b'I' => num(out, hour12 as i64, 2, b'0'),
            b'l' => num(out, hour12 as i64, 2, b'_'),
            b'M' => num(out, tm.min as i64, 2, b'0'),
            b'S' => num(out, tm.sec as i64, 2, b'0'),
            b'j' => num(out, tm.yday as i64 + 1, 3, b'0'),
            b'u' => num(out, if tm.wday == 0 { 7 } else { tm.wday as i64 }, 1, b'0'),
            b'w' => num(out, tm.wday as i64, 1, b'0'),
            b'N' => {
                let _ = write!(out, "{nsec:09}");
            }
            b's' => {
                let _ = write!(out, "{epoch}");
            }
            b'a' => out.extend_from_slice(&DAYS[tm.wday as usize % 7].as_bytes()[..3]),
            b'A' => out.extend_from_slice(DAYS[tm.wday as usize % 7].as_bytes()),
            b'b' | b'h' => out.extend_from_slice(month_abbr(tm.mon).as_bytes()),
            b'B' => out.extend_from_slice(MONTHS[(tm.mon as usize + 11) % 12].as_bytes()),
            b'p' => out.extend_from_slice(if tm.hour < 12 { b"AM" } else { b"PM" }),
            b'P' => out.extend_from_slice(if tm.hour < 12 { b"am" } else { b"pm" }),
            b'Z' => out.extend_from_slice(tm.zone.as_bytes()),
            b'z' => {
                let o = tm.utoff;
                let sign = if o < 0 { '-' } else { '+' };
                let o = o.abs();
                let _ = write!(out, "{sign}{:02}{:02}", o / 3600, o / 60 % 60);
            }
            b'F' => strftime(out, b"%Y-%m-%d", tm, nsec, epoch),
            b'T' => strftime(out, b"%H:%M:%S", tm, nsec, epoch),
            b'R' => strftime(out, b"%H:%M", tm, nsec, epoch),
            b'D' => strftime(out, b"%m/%d/%y", tm, nsec, epoch),
            b'r' => strftime(out, b"%I:%M:%S %p", tm, nsec, epoch),
            b'c' => strftime(out, b"%a %b %e %H:%M:%S %Y", tm, nsec, epoch),
            b'x' => strftime(out, b"%m/%d/%y", tm, nsec, epoch),
            b'X' => strftime(out, b"%H:%M:%S", tm, nsec, epoch),
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'%' => out.push(b'%'),
            other => {
                out.push(b'%');
                out.push(other);
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(z: &Zone, t: i64, f: &str) -> String {
        let mut v = Vec::new();
        strftime(&mut v, f.as_bytes(), &z.to_tm(t), 0, t);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn civil_round_trip() {
        for d in [-719468i64, -1, 0, 1, 11016, 20000, 2932896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(utc_tm(0).wday, 4);
        assert_eq!(
            fmt(&Zone::utc(), 1_700_000_000, "%F %T %a %b %e %j %Z %z"),
            "2023-11-14 22:13:20 Tue Nov 14 318 UTC +0000"
        );
    }

    #[test]
    fn posix_rules() {
        let z = Zone::from_tz("EST5EDT,M3.2.0,M11.1.0");
        // 2023-07-01 12:00 UTC is 08:00 EDT; 2023-01-01 12:00 UTC is 07:00 EST.
        assert_eq!(fmt(&z, 1_688_212_800, "%H %Z %z"), "08 EDT -0400");
        assert_eq!(fmt(&z, 1_672_574_400, "%H %Z %z"), "07 EST -0500");
        // DST starts 2023-03-12 at 02:00 EST = 07:00 UTC.
        assert_eq!(fmt(&z, 1_678_604_399, "%H:%M:%S %Z"), "01:59:59 EST");
        assert_eq!(fmt(&z, 1_678_604_400, "%H:%M:%S %Z"), "03:00:00 EDT");
        let z = Zone::from_tz("<+0530>-5:30");
        assert_eq!(fmt(&z, 0, "%H:%M %z %Z"), "05:30 +0530 +0530");
        assert_eq!(fmt(&Zone::from_tz("UTC0"), 0, "%H %Z"), "00 UTC");
    }

    #[test]
    fn tzif_when_installed() {
        if let Some(z) = Zone::from_file("/usr/share/zoneinfo/Europe/Berlin") {
            assert_eq!(fmt(&z, 1_688_212_800, "%H %Z"), "14 CEST");
            assert_eq!(fmt(&z, 1_672_574_400, "%H %Z"), "13 CET");
            // Far future: from the footer rule.
            assert_eq!(fmt(&z, 4_102_488_000, "%Y %H %Z"), "2100 13 CET");
        }
    }
}
