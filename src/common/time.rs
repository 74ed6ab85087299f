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

/// ISO 8601 week-based year and week number (`%G`, `%V`).
fn iso_week(tm: &Tm) -> (i64, i64) {
    let wday = (tm.wday as i64 + 6) % 7; // Monday = 0
    let yday = tm.yday as i64;
    // The Thursday of this week decides the year.
    let thursday = yday - wday + 3;
    let len = |y: i64| if is_leap(y) { 366 } else { 365 };
    if thursday < 0 {
        let py = tm.year - 1;
        let t = thursday + len(py);
        (py, t / 7 + 1)
    } else if thursday >= len(tm.year) {
        (tm.year + 1, 1)
    } else {
        (tm.year, thursday / 7 + 1)
    }
}

/// C-locale strftime with GNU's extensions: the flags `-` (no padding), `_` (spaces), `0`
/// (zeros), `^` (upper case), `#` (opposite case), a field width (`%10A`, `%3N`), `%N`
/// (nanoseconds), `%s` (epoch seconds), `%q` (quarter), `%:z %::z %:::z`, `%P`, `%k %l`,
/// `%G %g %V %U %W`, and the `E`/`O` modifiers (ignored in the C locale). Unknown conversions
/// are copied as they are.
pub fn strftime(out: &mut Vec<u8>, fmt: &[u8], tm: &Tm, nsec: u32, epoch: i64) {
    strftime_in(out, fmt, tm, nsec, epoch, None, None)
}

/// `yr_pad` and `yr_width` carry a composite's flag and width to the years inside it, as
/// gnulib does: `%_5D` pads the year with a space, `%12F` gives the year 6 digits.
fn strftime_in(
    out: &mut Vec<u8>,
    fmt: &[u8],
    tm: &Tm,
    nsec: u32,
    epoch: i64,
    yr_pad: Option<u8>,
    yr_width: Option<usize>,
) {
    use std::io::Write;
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' || i + 1 == fmt.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut pad: Option<u8> = None;
        let (mut upper, mut swap) = (false, false);
        while i < fmt.len() && matches!(fmt[i], b'-' | b'_' | b'0' | b'+' | b'^' | b'#') {
            match fmt[i] {
                b'^' => upper = true,
                b'#' => swap = true,
                f => pad = Some(f),
            }
            i += 1;
        }
        // The composite's width goes to its first conversion only.
        let mut width: Option<usize> = if start == 0 { yr_width } else { None };
        while i < fmt.len() && fmt[i].is_ascii_digit() {
            let w = if fmt[i - 1].is_ascii_digit() {
                width.unwrap_or(0)
            } else {
                0
            };
            // gnulib's width is an int that saturates: %99999999999d pads to 2^31-1, never
            // past what an allocation can ask for.
            width = Some(
                w.saturating_mul(10)
                    .saturating_add((fmt[i] - b'0') as usize)
                    .min(i32::MAX as usize),
            );
            i += 1;
        }
        let mut colons = 0;
        while i < fmt.len() && fmt[i] == b':' && colons < 3 {
            colons += 1;
            i += 1;
        }
        while colons == 0 && i < fmt.len() && matches!(fmt[i], b'E' | b'O') {
            i += 1;
        }
        // What GNU does not understand is copied as written, padded to the width: a `%` at
        // the end, colons not before `z` (up to the first colon), a `%` after flags (up to
        // it: it starts the next conversion), an unknown letter.
        let bad = if i == fmt.len() {
            Some(fmt.len())
        } else if colons > 0 && fmt[i] != b'z' {
            Some(i - colons + 1)
        } else if fmt[i] == b'%' && i - start > 1 {
            Some(i)
        } else {
            None
        };
        if let Some(end) = bad {
            put_padded(out, &fmt[start..end], width, pad, upper);
            i = end;
            continue;
        }
        let conv = fmt[i];
        i += 1;
        let hour12 = if tm.hour.is_multiple_of(12) {
            12
        } else {
            tm.hour % 12
        };
        // A number: value, default width, default padding.
        let mut num: Option<(i64, usize, u8)> = None;
        // `+` pads a year-like number with zeros and a `+` when wider than its digits.
        let yearish = matches!(conv, b'Y' | b'C' | b'y' | b'G' | b'g');
        let mut text: Vec<u8> = Vec::new();
        // Text that `#` turns to lower case (rather than upper).
        let mut lower_on_swap = false;
        // `#` changes the case of names only, not of the composite formats (`%#c`), and `%P`
        // stays lower case whatever the flags (gnulib).
        let swap = swap && !matches!(conv, b'c' | b'x' | b'X' | b'D' | b'F' | b'T' | b'R' | b'r');
        let upper = upper && conv != b'P';
        match conv {
            // Years BC keep their last two digits unsigned and their century truncated (gnulib).
            b'Y' => num = Some((tm.year, 4, b'0')),
            b'C' => num = Some((tm.year / 100, 2, b'0')),
            b'y' => num = Some(((tm.year % 100).abs(), 2, b'0')),
            b'G' => num = Some((iso_week(tm).0, 4, b'0')),
            b'g' => num = Some(((iso_week(tm).0 % 100).abs(), 2, b'0')),
            b'V' => num = Some((iso_week(tm).1, 2, b'0')),
            b'U' => num = Some(((tm.yday as i64 + 7 - tm.wday as i64) / 7, 2, b'0')),
            b'W' => num = Some(((tm.yday as i64 + 7 - (tm.wday as i64 + 6) % 7) / 7, 2, b'0')),
            b'm' => num = Some((tm.mon as i64, 2, b'0')),
            b'q' => num = Some(((tm.mon as i64 + 2) / 3, 1, b'0')),
            b'd' => num = Some((tm.mday as i64, 2, b'0')),
            b'e' => num = Some((tm.mday as i64, 2, b' ')),
            b'H' => num = Some((tm.hour as i64, 2, b'0')),
            b'k' => num = Some((tm.hour as i64, 2, b' ')),
            b'I' => num = Some((hour12 as i64, 2, b'0')),
            b'l' => num = Some((hour12 as i64, 2, b' ')),
            b'M' => num = Some((tm.min as i64, 2, b'0')),
            b'S' => num = Some((tm.sec as i64, 2, b'0')),
            b'j' => num = Some((tm.yday as i64 + 1, 3, b'0')),
            b'u' => num = Some((if tm.wday == 0 { 7 } else { tm.wday as i64 }, 1, b'0')),
            b'w' => num = Some((tm.wday as i64, 1, b'0')),
            b's' => num = Some((epoch, 1, b'0')),
            // A fraction: the width is a precision, trailing zeros are padding (after the
            // digits: `%_5N` of .5 s is `5    `, `%-N` is `5`).
            b'N' => {
                let w = width.filter(|&w| w > 0).unwrap_or(9);
                let (mut n, mut ndigs) = (nsec, 9);
                while w < ndigs || (ndigs > 1 && n % 10 == 0) {
                    ndigs -= 1;
                    n /= 10;
                }
                let _ = write!(out, "{n:0ndigs$}");
                let fill = match pad.unwrap_or(b'0') {
                    b'-' => 0,
                    _ => w - ndigs,
                };
                let c = if matches!(pad, Some(b'_')) {
                    b' '
                } else {
                    b'0'
                };
                out.resize(out.len() + fill, c);
                continue;
            }
            b'a' => text.extend_from_slice(&DAYS[tm.wday as usize % 7].as_bytes()[..3]),
            b'A' => text.extend_from_slice(DAYS[tm.wday as usize % 7].as_bytes()),
            b'b' | b'h' => text.extend_from_slice(month_abbr(tm.mon).as_bytes()),
            b'B' => text.extend_from_slice(MONTHS[(tm.mon as usize + 11) % 12].as_bytes()),
            b'p' => {
                text.extend_from_slice(if tm.hour < 12 { b"AM" } else { b"PM" });
                lower_on_swap = true;
            }
            b'P' => text.extend_from_slice(if tm.hour < 12 { b"am" } else { b"pm" }),
            b'Z' => {
                text.extend_from_slice(tm.zone.as_bytes());
                lower_on_swap = true;
            }
            // The offset is a number as gnulib formats it: a sign always, zeros (or spaces for
            // `_`, before the sign) up to the width, the width counting sign and colons
            // (`%10z` is `-000000330`, `%-z` is `-330`).
            b'z' => {
                let a = tm.utoff.unsigned_abs();
                let (h, m, sec) = (a / 3600, a / 60 % 60, a % 60);
                let (digits, mut colon_at, mut v) = match colons {
                    0 => (5, 0u32, h * 100 + m),
                    1 => (6, 0o4, h * 100 + m),
                    2 => (9, 0o24, h * 10000 + m * 100 + sec),
                    _ if sec != 0 => (9, 0o24, h * 10000 + m * 100 + sec),
                    _ if m != 0 => (6, 0o4, h * 100 + m),
                    _ => (3, 0, h),
                };
                let mut num = Vec::new();
                loop {
                    if colon_at & 1 != 0 {
                        num.push(b':');
                    }
                    colon_at >>= 1;
                    num.push(b'0' + (v % 10) as u8);
                    v /= 10;
                    if v == 0 && colon_at == 0 {
                        break;
                    }
                }
                num.reverse();
                let p = pad.unwrap_or(b'0');
                let fill = width
                    .unwrap_or(digits)
                    .saturating_sub(1 + num.len())
                    .min(if p == b'-' { 0 } else { usize::MAX });
                let sign = if tm.utoff < 0 { b'-' } else { b'+' };
                if p == b'_' {
                    out.resize(out.len() + fill, b' ');
                    out.push(sign);
                } else {
                    out.push(sign);
                    out.resize(out.len() + fill, b'0');
                }
                out.extend_from_slice(&num);
                continue;
            }
            // The year of `%F` takes the width less the 6 of `-mm-dd`, and without flag
            // and width a sign beyond 9999 (`+12345-01-01`).
            b'F' => {
                let (p, w) = match (pad, width) {
                    (None, None) => (Some(b'+'), Some(4)),
                    (p, w) => (p, Some(w.unwrap_or(0).saturating_sub(6))),
                };
                strftime_in(&mut text, b"%Y-%m-%d", tm, nsec, epoch, p, w);
            }
            b'T' => strftime_in(&mut text, b"%H:%M:%S", tm, nsec, epoch, pad, None),
            // `%c %x %X` are the C library's: no flag reaches the year, which is unpadded.
            b'X' => strftime_in(&mut text, b"%H:%M:%S", tm, nsec, epoch, None, None),
            b'R' => strftime_in(&mut text, b"%H:%M", tm, nsec, epoch, pad, None),
            b'D' => strftime_in(&mut text, b"%m/%d/%y", tm, nsec, epoch, pad, None),
            b'x' => {
                let y = tm.year.rem_euclid(100);
                let _ = write!(text, "{:02}/{:02}/{y:02}", tm.mon, tm.mday);
            }
            b'r' => strftime_in(&mut text, b"%I:%M:%S %p", tm, nsec, epoch, pad, None),
            b'c' => {
                let f = b"%a %b %e %H:%M:%S %-Y";
                strftime_in(&mut text, f, tm, nsec, epoch, None, None);
            }
            b'n' => text.push(b'\n'),
            b't' => text.push(b'\t'),
            b'%' => text.push(b'%'),
            _ => {
                put_padded(out, &fmt[start..i], width, pad, upper);
                continue;
            }
        }
        if let Some((v, dw, dpad)) = num {
            let p = pad.or(yr_pad.filter(|_| yearish)).unwrap_or(dpad);
            let digits = v.unsigned_abs().to_string();
            let limit = if dw == 2 { 99 } else { 9999 };
            // The century of the years -99 to -1 is -0.
            let sign = if v < 0 || (conv == b'C' && tm.year < 0) {
                Some(b'-')
            } else if p == b'+'
                && yearish
                && (v.unsigned_abs() > limit || width.is_some_and(|w| w > dw))
            {
                Some(b'+')
            } else {
                None
            };
            let short = width
                .unwrap_or(dw)
                .saturating_sub(digits.len() + sign.is_some() as usize);
            match p {
                b'-' => out.extend(sign),
                b' ' | b'_' => {
                    out.resize(out.len() + short, b' ');
                    out.extend(sign);
                }
                _ => {
                    out.extend(sign);
                    out.resize(out.len() + short, b'0');
                }
            }
            out.extend_from_slice(digits.as_bytes());
            continue;
        }
        if swap && (lower_on_swap || conv == b'P') {
            text.make_ascii_lowercase();
        } else if upper || swap {
            text.make_ascii_uppercase();
        }
        put_padded(out, &text, width, pad, false);
    }
}

/// Text padded on the left to the width, with zeros for the `0` and `+` flags, none for `-`.
fn put_padded(out: &mut Vec<u8>, text: &[u8], width: Option<usize>, pad: Option<u8>, upper: bool) {
    if let Some(w) = width.filter(|_| pad != Some(b'-')) {
        let fill = if matches!(pad, Some(b'0' | b'+')) {
            b'0'
        } else {
            b' '
        };
        out.resize(out.len() + w.saturating_sub(text.len()), fill);
    }
    let at = out.len();
    out.extend_from_slice(text);
    if upper {
        out[at..].make_ascii_uppercase();
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
