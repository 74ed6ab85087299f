//! `date`: print or set the system date and time.
//!
//! GNU coreutils 9 `date`: `+FORMAT` with GNU's directives, flags and widths (see
//! `common::time::strftime`), `-d`/`--date` and `-f`/`--file` through the one date parser
//! (`common::datetime`), `-u`/`--utc`/`--universal`, `-I[FMT]`/`--iso-8601[=FMT]`,
//! `-R`/`--rfc-email`, `--rfc-3339=FMT`, `-r`/`--reference=FILE`, `--resolution`,
//! `-s`/`--set` and the `MMDDhhmm[[CC]YY][.ss]` operand (setting needs root), `--debug`
//! accepted. Messages and statuses as GNU (`date: invalid date 'x'`, 1). Deviations: always
//! the C locale; `--debug` prints no annotations; the date parser covers the forms listed in
//! `common::datetime` (not every corner of gnulib's grammar).

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::datetime;
use crate::common::help::help_text;
use crate::common::sys::fd as sysfd;
use crate::common::time::{self, Zone};
use crate::common::{ctx::strerror, quote, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("date", Some(b'd'), Some("date")),
        Opt::flag("debug", None, Some("debug")),
        Opt::arg("file", Some(b'f'), Some("file")),
        Opt::optional("iso-8601", Some(b'I'), Some("iso-8601")),
        Opt::flag("resolution", None, Some("resolution")),
        Opt::arg("reference", Some(b'r'), Some("reference")),
        Opt::flag("rfc-email", Some(b'R'), Some("rfc-email")),
        Opt::arg("rfc-3339", None, Some("rfc-3339")),
        Opt::arg("set", Some(b's'), Some("set")),
        Opt::flag("utc", Some(b'u'), Some("utc")),
        Opt::flag("utc", None, Some("universal")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: date [OPTION]... [+FORMAT]
  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]
Display date and time in the given FORMAT.
With -s, or with [MMDDhhmm[[CC]YY][.ss]], set the date and time.

Mandatory arguments to long options are mandatory for short options too.
  -d, --date=STRING          display time described by STRING, not 'now'
      --debug                annotate the parsed date,
                              and warn about questionable usage to stderr
  -f, --file=DATEFILE        like --date; once for each line of DATEFILE
  -I[FMT], --iso-8601[=FMT]  output date/time in ISO 8601 format.
                               FMT='date' for date only (the default),
                               'hours', 'minutes', 'seconds', or 'ns'
                               for date and time to the indicated precision.
                               Example: 2006-08-14T02:34:56-06:00
  --resolution               output the available resolution of timestamps
                               Example: 0.000000001
  -R, --rfc-email            output date and time in RFC 5322 format.
                               Example: Mon, 14 Aug 2006 02:34:56 -0600
      --rfc-3339=FMT         output date/time in RFC 3339 format.
                               FMT='date', 'seconds', or 'ns'
                               for date and time to the indicated precision.
                               Example: 2006-08-14 02:34:56-06:00
  -r, --reference=FILE       display the last modification time of FILE
  -s, --set=STRING           set time described by STRING
  -u, --utc, --universal     print or set Coordinated Universal Time (UTC)
      --help        display this help and exit
      --version     output version information and exit

FORMAT controls the output: GNU's conversions (%a %A %b %B %c %C %d %D %e %F %g %G
%h %H %I %j %k %l %m %M %n %N %p %P %q %r %R %s %S %t %T %u %U %V %w %W %x %X %y
%Y %z %:z %::z %:::z %Z %%), with the flags - _ 0 ^ # and a field width.
"
    ),
);

const ISO: [(&str, &str); 5] = [
    ("hours", "%Y-%m-%dT%H%:z"),
    ("minutes", "%Y-%m-%dT%H:%M%:z"),
    ("date", "%Y-%m-%d"),
    ("seconds", "%Y-%m-%dT%H:%M:%S%:z"),
    ("ns", "%Y-%m-%dT%H:%M:%S,%N%:z"),
];
const RFC3339: [(&str, &str); 3] = [
    ("date", "%Y-%m-%d"),
    ("seconds", "%Y-%m-%d %H:%M:%S%:z"),
    ("ns", "%Y-%m-%d %H:%M:%S.%N%:z"),
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn now() -> (i64, u32) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let (s, n) = (d.as_secs() as i64, d.subsec_nanos());
            if n == 0 {
                (-s, 0)
            } else {
                (-s - 1, 1_000_000_000 - n)
            }
        }
    }
}

fn invalid(s: &[u8]) -> Vec<u8> {
    let mut m = b"invalid date ".to_vec();
    m.extend_from_slice(&quote::quote_locale(s));
    m
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut format: Option<Vec<u8>> = None;
    let mut formats = 0;
    for (id, v) in &m.opts {
        let f = match *id {
            "iso-8601" => match v {
                Some(v) => args::argmatch(ctx, "--iso-8601", v.as_bytes(), &ISO, 1)?,
                None => "%Y-%m-%d",
            },
            "rfc-3339" => args::argmatch(
                ctx,
                "--rfc-3339",
                v.as_ref().unwrap().as_bytes(),
                &RFC3339,
                1,
            )?,
            "rfc-email" => "%a, %d %b %Y %H:%M:%S %z",
            _ => continue,
        };
        formats += 1;
        format = Some(f.as_bytes().to_vec());
    }
    let resolution = m.flag("resolution");
    let dates = m.count("date").min(1)
        + m.count("file").min(1)
        + m.count("reference").min(1)
        + resolution as usize;
    if dates > 1 {
        return Err(args::usage_error(
            ctx,
            &SPEC,
            b"the options to specify dates for printing are mutually exclusive",
            1,
        ));
    }
    let set = m.last("set").cloned();
    if set.is_some() && (dates > 0 || resolution) {
        return Err(args::usage_error(
            ctx,
            &SPEC,
            b"the options to print and set the time may not be used together",
            1,
        ));
    }
    let mut operands = m.operands.iter();
    let mut set_operand = None;
    if let Some(op) = operands.next() {
        if let Some(f) = op.as_bytes().strip_prefix(b"+") {
            if format.is_some() {
                ctx.msg(b"multiple output formats specified");
                return Err(Error::silent(1));
            }
            format = Some(f.to_vec());
        } else if set.is_some() || dates > 0 {
            let mut msg = b"the argument ".to_vec();
            msg.extend_from_slice(&quote::quote_locale(op.as_bytes()));
            msg.extend_from_slice(b" lacks a leading '+';\nwhen using an option to specify date(s), any non-option\nargument must be a format string beginning with '+'");
            return Err(args::usage_error(ctx, &SPEC, &msg, 1));
        } else {
            set_operand = Some(op.clone());
        }
    }
    if let Some(x) = operands.next() {
        return Err(args::extra_operand(ctx, &SPEC, x.as_bytes(), 1));
    }
    if formats > 1 {
        ctx.msg(b"multiple output formats specified");
        return Err(Error::silent(1));
    }
    let zone = if m.flag("utc") {
        Zone::utc()
    } else {
        Zone::local()
    };
    let mut fmt = format.unwrap_or_else(|| {
        if resolution {
            b"%s.%N".to_vec()
        } else {
            b"%a %b %e %H:%M:%S %Z %Y".to_vec()
        }
    });
    // GNU date's `%-N` shows as many digits as the clock resolves: 9 here (1 ns).
    let mut k = 0;
    while k + 1 < fmt.len() {
        if fmt[k] == b'%' {
            if fmt[k + 1] == b'-' && fmt.get(k + 2) == Some(&b'N') {
                fmt[k + 1] = b'9';
                k += 2;
            } else if fmt[k + 1] == b'%' {
                k += 1;
            }
        }
        k += 1;
    }
    let now = now();
    if let Some(f) = m.last("file") {
        let data = if f.as_bytes() == b"-" {
            let mut v = Vec::new();
            sysfd::read_to_end(crate::common::io::stdin_fd(), &mut v)
                .map(|_| v)
                .map_err(|e| Error::new(1, format!("-: {}", strerror(&e))))?
        } else {
            std::fs::read(f).map_err(|e| {
                let mut msg = quote::quote_if_needed(f.as_bytes());
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                Error::new(1, msg)
            })?
        };
        let mut lines: Vec<&[u8]> = data.split(|&c| c == b'\n').collect();
        if data.ends_with(b"\n") {
            lines.pop();
        }
        for line in lines {
            match datetime::parse(line, now, &zone) {
                Some(t) => show(ctx, &fmt, t, &zone)?,
                None => ctx.error(1, &invalid(line)),
            }
        }
        return Ok(());
    }
    let t = if resolution {
        (0, 1)
    } else if let Some(d) = m.last("date") {
        match datetime::parse(d.as_bytes(), now, &zone) {
            Some(t) => t,
            None => return Err(Error::new(1, invalid(d.as_bytes()))),
        }
    } else if let Some(r) = m.last("reference") {
        let st = sysfd::stat(r.as_bytes()).map_err(|e| {
            let mut msg = quote::quote_if_needed(r.as_bytes());
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            Error::new(1, msg)
        })?;
        (st.st_mtime, st.st_mtime_nsec as u32)
    } else if let Some(s) = &set {
        let t = datetime::parse(s.as_bytes(), now, &zone)
            .ok_or_else(|| Error::new(1, invalid(s.as_bytes())))?;
        set_clock(ctx, t);
        t
    } else if let Some(op) = &set_operand {
        let t = datetime::posix_stamp(op.as_bytes(), false, now, &zone)
            .ok_or_else(|| Error::new(1, invalid(op.as_bytes())))?;
        set_clock(ctx, t);
        t
    } else {
        now
    };
    show(ctx, &fmt, t, &zone)
}

/// Set the clock; a failure is reported and the date is still printed (GNU).
fn set_clock(ctx: &mut Ctx, t: (i64, u32)) {
    if let Err(e) = crate::common::sys::time::settime(t.0, t.1) {
        ctx.errorf(1, format_args!("cannot set date: {}", strerror(&e)));
    }
}

fn show(ctx: &mut Ctx, fmt: &[u8], t: (i64, u32), zone: &Zone) -> Result<()> {
    let tm = zone.to_tm(t.0);
    let mut line = Vec::with_capacity(64);
    time::strftime(&mut line, fmt, &tm, t.1, t.0);
    line.push(b'\n');
    ctx.out.write_all(&line)?;
    Ok(())
}
