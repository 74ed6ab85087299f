//! `printf` against GNU coreutils: the same formats and arguments through both, stdout,
//! stderr and status compared.

use crate::harness::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn same(args: &[&[u8]]) {
    let a: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
    let o = applet("printf")
        .args(&a)
        .env_remove("POSIXLY_CORRECT")
        .run();
    let want = gnu("printf").args(&a).env_remove("POSIXLY_CORRECT").run();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&want.stdout),
        "printf {args:?}"
    );
    assert_eq!(o.err(), want.err(), "printf {args:?}");
    assert_eq!(o.code, want.code, "printf {args:?}");
}

macro_rules! cases {
    ($([$($e:expr),* $(,)?]),* $(,)?) => { &[$(&[$(&$e[..]),*][..]),*] };
}

#[test]
fn conversions_as_gnu() {
    let cases: &[&[&[u8]]] = cases![
        [b"hello\n"],
        [
            b"%s|%5s|%-5s|%.2s|%5.1s|\n",
            b"ab",
            b"cd",
            b"ef",
            b"ghi",
            b"xyz"
        ],
        [
            b"%d %i %o %u %x %X\n",
            b"42",
            b"-3",
            b"8",
            b"7",
            b"255",
            b"255"
        ],
        [
            b"%05d|%+d|% d|%-5d|%.3d|%5.3d|%-+5d|\n",
            b"42",
            b"5",
            b"5",
            b"5",
            b"5",
            b"5",
            b"5"
        ],
        [
            b"%#x %#o %#.0o %.0d| %+.3d %#X %#x\n",
            b"255",
            b"8",
            b"0",
            b"0",
            b"5",
            b"255",
            b"0"
        ],
        [b"%u %x %o\n", b"-1", b"-1", b"-1"],
        [
            b"%d %d %d %d %d %d\n",
            b"0x1F",
            b"077",
            b" 12",
            b"+5",
            b"-0",
            b"0X10"
        ],
        [b"%d\n", b"'A", b"\"B", b"'"],
        [b"%c%c%c|%3c|%-3c|\n", b"abc", b"", b"x", b"y", b"z"],
        [
            b"%f %.2f %10.3f %-10.1f| %e %.2E %g %G\n",
            b"3.14159",
            b"2.675",
            b"1.5",
            b"2.25",
            b"12345.678",
            b"0.000123",
            b"0.0001",
            b"1e20"
        ],
        [
            b"%g %g %g %g %g %g\n",
            b"100000",
            b"1000000",
            b"1e-4",
            b"1e-5",
            b"123.456",
            b"0"
        ],
        [
            b"%#g %#.0f %#.0e %+f % f %05.1f %-8.2f|\n",
            b"1.5",
            b"3",
            b"3",
            b"1",
            b"1",
            b"2.25",
            b"1.5"
        ],
        [b"%f %f %f %F %e\n", b"inf", b"-inf", b"nan", b"inf", b"-0"],
        [b"%.0f %.0f %.0f %.0f\n", b"0.5", b"1.5", b"2.5", b"-0.5"],
        [b"%f %g\n", b"0x1p3", b"0x.8"],
        [b"%f %f\n", b"1e", b"1.5x"],
        [b"%a %A %a %.2a %a\n", b"1", b"0.5", b"0", b"3", b"-2"],
        [
            b"%*d|%-*d|%.*f|%*s|\n",
            b"5",
            b"1",
            b"-5",
            b"2",
            b"2",
            b"3.14159",
            b"3",
            b"a"
        ],
        [b"%*d|\n", b"99999999999", b"1"],
        [b"%.*d|\n", b"99999999999", b"1"],
        [b"%.*d|\n", b"-3", b"7"],
        [b"%*d|%*d|\n", b"x", b"1"],
        [b"%d|%s|%c|%b|%f|\n"],
        [b"%s\n", b"a", b"b", b"c"],
        [b"%s %s\n", b"a", b"b", b"c"],
        [b"x\n", b"a", b"b"],
        [
            b"%d\n",
            b"abc",
            b"1x",
            b"99999999999999999999",
            b"-99999999999999999999",
            b"",
            b" ",
            b"-",
            b"0x",
            b"+-1"
        ],
        [b"%u %x\n", b"99999999999999999999", b"18446744073709551616"],
        [b"%f %g\n", b"1e5000", b"1e-5000"],
        // x87 long doubles, as GNU reads them.
        [
            b"%.20f|%.17g|%a|%g|%.25g\n",
            b"0.1",
            b"0.1",
            b"0.1",
            b"1e400",
            b"1e-4950"
        ],
        [
            b"%.30e|%.0f|%.3a|%La\n",
            b"2.675",
            b"1e30",
            b"0.3",
            b"5e-324"
        ],
        [
            b"%f|%e|%g\n",
            b"1.18973149535723176502e+4932",
            b"1.2e4932",
            b"3.6e-4951"
        ],
        [b"%d\n", b"'ab"],
        [b"%z"],
        [b"%"],
        [b"abc%"],
        [b"%5%|"],
        [b"%#d", b"1"],
        [b"%05s", b"1"],
        [b"%'d %'f\n", b"1234567", b"1.5"],
        [b"%'x", b"1"],
        [b"%.2c", b"a"],
        [b"%5b|", b"x"],
        [
            b"%ld %hhd %Lf %jd %zu %td\n",
            b"1",
            b"2",
            b"3",
            b"4",
            b"5",
            b"6"
        ],
        [b"%%|%5.2%"],
        [
            b"%b|%b|%b|%b\n",
            b"a\\tb",
            b"\\0101\\101\\x41",
            b"\\c",
            b"z"
        ],
        [b"%b\n", b"a\\cb", b"never"],
        [b"a\\cb%s", b"x"],
        [b"\\101\\0101\\1011\\x41\\x4g\\e\\a\\q\\\"\\\\\n"],
        [b"\\x"],
        [b"\\u00e9|\\U0001F600|\\u0024\n"],
        [b"\\u0041"],
        [b"\\u12"],
        [b"end\\"],
        [b"%q %q %q %q %q|\n", b"a b", b"it's", b"", b"\n", b"plain"],
        [b"%q\n", b"\xff\x01", b"$x", b"~a", b"a=b"],
        [b"%5q|", b"a"],
        [b"--"],
        [b"--", b"%s\n", b"x"],
        [b"-v"],
        [b"%s\n", b"--help"],
        [b"\xff\xfe %s\n", b"\xc3\xa9"],
        [b"%d %s\n", b"1", b"one", b"2"],
        [b"%x %o %d\n", b"'\xff", b"'A", b"'\xc3\xa9"],
        [b"%.3s|%.0s|%.10s|\n", b"abcdef", b"abc", b"ab"],
        [
            b"%10.4f|%-10.4e|%+.3g\n",
            b"-3.14159",
            b"314.159",
            b"0.00001234"
        ],
        [b"%i\n", b"0777777777777777777777"],
        [
            b"%d\n",
            b"9223372036854775807",
            b"9223372036854775808",
            b"-9223372036854775808",
            b"-9223372036854775809"
        ],
    ];
    for c in cases {
        same(c);
    }
}

#[test]
fn usage_and_options() {
    same(&[]);
    same(&[b"--"]);
    let o = applet("printf").arg("--help").run();
    o.ok();
    assert!(o.out().starts_with("Usage: printf FORMAT [ARGUMENT]...\n"));
    applet("printf").arg("--version").run().ok();
    // Only alone: otherwise it is the format.
    same(&[b"--help", b"x"]);
    same(&[b"--hel"]);
    // POSIXLY_CORRECT: no warning after a character constant.
    let o = applet("printf")
        .args(["%d\n", "'ab"])
        .env("POSIXLY_CORRECT", "1")
        .run();
    o.same_as(
        &gnu("printf")
            .args(["%d\n", "'ab"])
            .env("POSIXLY_CORRECT", "1")
            .run(),
    );
}

#[test]
fn write_errors() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for args in [&["x\n"][..], &["%s\n", "a", "b"], &["a\\cb"], &["%d", "x"]] {
        let o = applet("printf").args(args).stdout_file(full()).run();
        o.same_as(&gnu("printf").args(args).stdout_file(full()).run());
    }
    let o = applet("printf").arg("").stdout_file(full()).run();
    o.same_as(&gnu("printf").arg("").stdout_file(full()).run())
        .ok();
}

#[test]
fn many_arguments_reuse_the_format() {
    let args: Vec<String> = (0..20000).map(|i| i.to_string()).collect();
    let o = applet("printf").arg("%s:%x\n").args(&args).run();
    let want = gnu("printf").arg("%s:%x\n").args(&args).run();
    o.same_as(&want);
}

/// The shell's builtin (dash's dialect) names the bad directive as written, flags, width,
/// precision and `N$` included, as dash does (`%-5.2k`, not `%k`).
#[test]
fn builtin_names_the_whole_bad_directive() {
    for (fmt, directive) in [("%-5.2k", "%-5.2k"), ("%3$s", "%3$")] {
        let script = format!("printf '{fmt}' x");
        let o = rbox_cmd().args(["sh", "-c", &script]).run();
        o.code(2);
        let want = format!("{directive}: invalid directive\n");
        assert!(o.err().ends_with(&want), "{fmt}: {}", o.err());
        if have("dash") {
            let d = gnu("dash").args(["-c", &script]).run();
            assert!(d.err().ends_with(&want), "dash {fmt}: {}", d.err());
        }
    }
}

/// Wide fields and long precisions as GNU's (up to INT_MAX; past it GNU's printf(3) fails
/// with `write error`): the padding and the zeros are written as they are made.
#[test]
fn wide_fields_and_long_precisions() {
    for c in [
        &[&b"%200000f"[..], b"0"][..],
        &[b"%-200000d|", b"5"],
        &[b"%0200000d", b"-5"],
        &[b"%200000s|%200000c", b"x", b"y"],
        &[b"%.20000f", b"0.1"],
        &[b"%#.30000g", b"1e300"],
        &[b"%.30000g", b"1e-300"],
        &[b"%-#40000.30000e|", b"-1e-300"],
        &[b"%040000.30000f", b"-1"],
        &[b"%-+300000.200000d|", b"5"],
        &[b"%#.200000o %#.200000x %#.0o %#.3o", b"5", b"5", b"0", b"8"],
        &[b"%#.17000a", b"1"],
        &[b"%3000000000d", b"1"],
        &[b"%.3000000000d", b"1"],
        &[b"%*d", b"3000000000", b"1"],
    ] {
        same(c);
    }
    // Under a small memory limit a 20 MB field streams into a closed pipe: its first bytes,
    // then GNU's write error, never an abort (printf-surprise).
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' PIPE; ulimit -v 30000; {} printf %20000000f 0 | head -c 10",
            rbox().display()
        ))
        .output()
        .unwrap();
    assert_eq!(o.stdout, b"          ");
    assert_eq!(o.stderr, b"printf: write error: Broken pipe\n");
}
