//! `date` against GNU coreutils as the oracle: explicit dates (`-d`), fixed zones (UTC and
//! America/New_York), every strftime directive and flag, the output-format options and the
//! errors. Nothing depends on the clock except `-s` as an unprivileged user.

use crate::harness::*;

const ZONES: [&str; 3] = ["UTC0", "America/New_York", "Asia/Kolkata"];

#[track_caller]
fn same(args: &[&str]) {
    for tz in ZONES {
        let r = applet("date").env("TZ", tz).args(args).run();
        let g = gnu("date").env("TZ", tz).args(args).run();
        r.same_as(&g);
    }
}

const FORMAT: &str = "+%5d|%-d|%_d|%^a|%#a|%#Z|%^B|%10A|%010s|%:z|%::z|%:::z|%3N|%N|%q|%G-%V|\
%U %W|%g|%C|%-5d|%_5H|%e|%k|%l|%P|%10F|%K|%Ey|%Od|%#p|%^p|%5%|%-N|%12N|%_3d|%03e|%c|%x|%X|%r|\
%D|%T|%R|%h|%j|%u|%w|%Z|%z|%y|%I|%p|%n|%t|%%|%s|%a %A %b %B|%H:%M:%S|%Y-%m-%d|%";

#[test]
fn every_directive() {
    for d in [
        "@0",
        "@1700000000.5",
        "@-1.5",
        "2024-03-05T07:08:09.123456789Z",
        "2024-01-01",
        "2024-12-31 23:59:59",
        "2021-01-03",
        "2020-12-31 12:00",
        "1999-06-15 00:30",
    ] {
        same(&["-d", d, FORMAT]);
        same(&["-d", d]);
    }
}

#[test]
fn date_strings() {
    for d in [
        "2024-07-01 12:00",
        "Jan 2 2024",
        "2 January 2024",
        "2-Jan-2024",
        "20240102",
        "January 2, 2024 3pm",
        "12/25/2023",
        "12/25/2023 10:00",
        "2024-01-02 10:00 UTC",
        "2024-01-02 10:00 EST",
        "2024-01-02 10:00 UTC+2",
        "2024-01-31 +1 month",
        "2024-03-10 02:30",
        "2024-11-03 01:30",
        "TZ=\"Asia/Tokyo\" 2024-01-02 09:00",
        "2024-01-02 09:00:00.5 -05:30",
        "1 jan 1970 00:00:00 +0000",
        "2024-01-02 12am",
        "2024-01-02 12pm",
        "tuesday 2024-01-02",
        "2024-01-02 1 day ago",
        "2024-01-02 next friday",
        "2024-01-02 last month",
        "2024-01-02 +2 hours",
        "2024-01-02 -3 weeks",
        "2024-01-02 10:00 +1 fortnight 3 minutes",
        "2024-01-02T10:00:00+0530",
        "Tue, 02 Jan 2024 10:00:00 +0000",
        "Tue Jan  2 10:00:00 UTC 2024",
        "1/2/24",
        "2024-1-2",
        "10am 2024-01-02",
        "2024-01-02 (a comment) 10:00",
        "2024-01-02 10:00 z",
        "2024-01-02 10:00 a",
        "2024-02-29 +1 year",
        "@1e3",
        "x",
        "2024-02-30",
        "25:00",
        "2024-13-01",
        "2024-01-02 23:59:60",
        "next",
        "1 ago",
        "",
    ] {
        same(&["-d", d, "+%F %T.%N %z %Z"]);
    }
}

#[test]
fn output_formats() {
    for a in [
        &["-I"][..],
        &["-Ih"],
        &["-Iminutes"],
        &["-Iseconds"],
        &["-Ins"],
        &["--iso-8601=ns"],
        &["--iso=h"],
        &["-R"],
        &["--rfc-email"],
        &["--rfc-3339=date"],
        &["--rfc-3339=s"],
        &["--rfc-3339=ns"],
        &["-u"],
        &["--universal"],
        &["-u", "+%Z %z"],
        &["--utc", "-R"],
    ] {
        let mut v = vec!["-d", "@1700000000.123456789"];
        v.extend_from_slice(a);
        same(&v);
    }
    same(&["--resolution"]);
    same(&["--resolution", "-R"]);
}

#[test]
fn errors() {
    for a in [
        &["-d", "@0", "-Ix"][..],
        &["-d", "@0", "--rfc-3339=x"],
        // An empty word is a prefix of every name: GNU calls it ambiguous.
        &["-d", "@0", "--rfc-3339="],
        &["-d", "@0", "--iso-8601="],
        &["-d", "@0", "--iso-8601=h"],
        &["-d", "@0", "-I", "-R"],
        &["-d", "@0", "-I", "-I"],
        &["-d", "@0", "-R", "+%s"],
        &["-d", "@0", "+%s", "x"],
        &["-d", "@0", "x"],
        &["-d", "1", "-f", "/dev/null"],
        &["-d", "1", "-r", "/"],
        &["-s", "@0", "-d", "1"],
        &["-ux"],
        &["-d"],
        &["--rfc-3339"],
        &["0101"],
        &["-r", "/nonexistent"],
        &["-f", "/nonexistent"],
    ] {
        same(a);
    }
}

#[test]
fn files_and_references() {
    let d = TempDir::new("date");
    let f = d.write("dates", "@0\nx\n2024-01-02 10:00\n\n");
    same(&["-f", f.to_str().unwrap(), "+%s"]);
    let r = d.write("ref", "");
    let t = std::time::UNIX_EPOCH + std::time::Duration::new(1_600_000_000, 5);
    std::fs::File::options()
        .write(true)
        .open(&r)
        .unwrap()
        .set_modified(t)
        .unwrap();
    same(&["-r", r.to_str().unwrap(), "+%s %N"]);
    same(&["--reference", r.to_str().unwrap()]);
    let r = applet("date")
        .args(["-f", "-", "+%s"])
        .stdin("@5\n@6\n")
        .run();
    r.ok().stdout_is("5\n6\n");
}

/// Setting the clock needs root: as nobody the error and the status are GNU's (the date is
/// still printed). Never run as root here: it would change the machine's clock.
#[test]
fn set_needs_root() {
    for a in [&["-s", "@0"][..], &["01020304"], &["-u", "010203042000.05"]] {
        let r = applet_as(65534, "date").args(a).run();
        let g = gnu_as(65534, "date").args(a).run();
        r.same_as(&g);
    }
}

#[test]
fn write_error() {
    let f = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let r = applet("date").args(["-d", "@0"]).stdout_file(f()).run();
    r.same_as(&gnu("date").args(["-d", "@0"]).stdout_file(f()).run());
}

/// BusyBox's own `-d` forms, taken when GNU's grammar refuses the string (BusyBox's date is
/// the oracle): `[YYYY.]MM.DD-hh:mm[:ss]` and `[[[[[CC]YY]MM]DD]hh]mm[.ss]`; GNU's reading
/// still wins where both read a string (GNU's `20240102` is checked in date_strings). Forms
/// without a year are printed without it, so the day the test runs on does not matter.
#[test]
fn busybox_date_strings() {
    if !have("busybox") {
        return skip("no busybox");
    }
    for tz in ["UTC0", "EST5EDT,M3.2.0,M11.1.0"] {
        for (d, fmt) in [
            ("1999.1.2-3:4", "+%F %T %Z"),
            ("1999.01.02-03:04:05", "+%F %T %Z"),
            ("2000.11.22-11:22:33", "+%d/%m/%y"),
            ("200001231133", "+%F %T"),
            ("200001231133.30", "+%F %T"),
            ("9912311133", "+%F %T"),
            ("1.2-3:4", "+%m-%d %T"),
            ("1.2-3:4:5", "+%m-%d %T"),
            ("12311133.20", "+%m-%d %T"),
            ("0930.15", "+%T"),
            ("30", "+%T"),
            ("0930", "+%T"),
            ("093015", "+%T"),
            ("0123113300", "+%T"),
            ("1.2-25:00", "+%T"),
            ("1.2-3:4 x", "+%T"),
            ("1.2.3.4-5:6", "+%T"),
        ] {
            let r = applet("date").env("TZ", tz).args(["-d", d, fmt]).run();
            let b = gnu("busybox")
                .env("TZ", tz)
                .args(["date", "-d", d, fmt])
                .run();
            assert_eq!(
                (r.code, r.out()),
                (b.code, b.out()),
                "date -d {d:?} in {tz}"
            );
        }
    }
    // The same through touch -d, which shares the parser.
    let d = TempDir::new("date-bb");
    let f = d.write("f", "");
    applet("touch")
        .env("TZ", "UTC0")
        .args(["-d", "2000.01.02-03:04:05"])
        .arg(&f)
        .run()
        .ok();
    applet("date")
        .env("TZ", "UTC0")
        .args(["-r"])
        .arg(&f)
        .arg("+%F %T")
        .run()
        .stdout_is("2000-01-02 03:04:05\n");
}

/// gnulib's number formatting: the zone offset as a signed number (`%10z`, `%_10:z`, `%-z`),
/// the `+` flag on years, `%N`'s trailing zeros as padding, four-digit years, the flag of
/// `%D`/`%F` reaching their year, `%c %x` as the C library's, and what is not a conversion
/// copied padded (`%5+`, `%-%x`), on years far in the past and future.
#[test]
fn gnulib_number_formats() {
    let f = "+%10z|%_10z|%-10z|%10:z|%_10:z|%12::z|%3z|%_7:::z|%010z|%-:z|%+5Y|%+Y|%+3C|%_5N|\
%-5N|%_12N|%-N|%_5D|%12F|%_12F|%+F|%-F|%^c|%#c|%#P|%^#p|%_x|%Y|%G|%C|%y|%g|%_Y|%5+|%-%x|%_5%|\
%5:x|%^5v|%c|%x";
    for d in [
        "@5.5",
        "@400000000000",
        "@-62135596800",
        "@-70000000000",
        "@-62198755200",
        "0999-06-01",
        "2024-03-05T07:08:09.5Z",
    ] {
        same(&["-d", d, f]);
    }
    for tz in ["America/St_Johns", "Pacific/Chatham", "Europe/Amsterdam"] {
        for d in ["@0", "@-2000000000"] {
            let r = applet("date").env("TZ", tz).args(["-d", d, f]).run();
            let g = gnu("date").env("TZ", tz).args(["-d", d, f]).run();
            r.same_as(&g);
        }
    }
}
