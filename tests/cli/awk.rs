//! `awk` against mawk and GNU awk (`gawk --posix`) as oracles: the same programs on the same
//! inputs, the output and status of rbox's awk must equal at least one of them (they differ
//! where POSIX is silent; rbox follows POSIX there). Error cases check the status and message.

use crate::harness::*;

const DATA: &str = "alice 10 x\nbob 20 y\ncarol 30 x\ndave 40 z\nbob 5 y\n";
const F1: &str = "k1 one\nk2 two\nk3 three\n";
const F2: &str = "k2 B\nk3 C\nk4 D\n";
const PARA: &str = "a b\nc d\n\n\n\ne f\ng\n\nh\n";

fn fixture() -> TempDir {
    let d = TempDir::new("awk");
    d.write("data", DATA);
    d.write("f1", F1);
    d.write("f2", F2);
    d.write("para", PARA);
    d
}

fn peers() -> Vec<(&'static str, &'static [&'static str])> {
    let mut v: Vec<(&'static str, &'static [&'static str])> = Vec::new();
    if have("mawk") {
        v.push(("mawk", &[]));
    }
    if have("gawk") {
        v.push(("gawk", &["--posix"]));
    }
    v
}

/// Run `awk ARGS` in `dir` with `stdin`, and assert that stdout and status equal a peer's.
#[track_caller]
fn check(dir: &TempDir, args: &[&str], stdin: &[u8]) -> Option<Output> {
    let peers = peers();
    if peers.is_empty() {
        skip("neither mawk nor gawk installed");
        return None;
    }
    let ours = applet("awk")
        .args(args)
        .cwd(dir.path())
        .stdin(stdin)
        .env("HOME", "/root")
        .run();
    let mut seen = Vec::new();
    for (p, extra) in &peers {
        let theirs = gnu(p)
            .args(*extra)
            .args(args)
            .cwd(dir.path())
            .stdin(stdin)
            .env("HOME", "/root")
            .run();
        if theirs.stdout == ours.stdout && theirs.code == ours.code {
            return Some(ours);
        }
        seen.push((p, theirs.code, theirs.out()));
    }
    panic!(
        "awk {args:?}: rbox gave status {} and\n{}\nstderr: {}\npeers: {seen:#?}",
        ours.code,
        ours.out(),
        ours.err()
    );
}

/// One-liners and language corners: (program, file operands).
const TABLE: &[(&str, &[&str])] = &[
    (r#"{print $1}"#, &["data"]),
    (r#"{print $2, $1}"#, &["data"]),
    (r#"{s += $2} END {print s}"#, &["data"]),
    (r#"{s += $2} END {print s/NR}"#, &["data"]),
    (r#"NR==2"#, &["data"]),
    (r#"NR%2"#, &["data"]),
    (r#"$3 == "x""#, &["data"]),
    (r#"$2 > 15"#, &["data"]),
    (r#"/bob/"#, &["data"]),
    (r#"!/bob/"#, &["data"]),
    (r#"/alice/,/carol/"#, &["data"]),
    (r#"{print NF, $NF}"#, &["data"]),
    (r#"{print NR": "$0}"#, &["data"]),
    (
        r#"{a[$1]+=$2} END {for (k in a) n++; print n, a["bob"]}"#,
        &["data"],
    ),
    (r#"!seen[$1]++"#, &["data"]),
    (r#"{ $2 = $2 * 2; print }"#, &["data"]),
    (r#"{ $5 = "new"; print; print NF }"#, &["data"]),
    (r#"{ NF = 2; print }"#, &["data"]),
    (r#"{ $0 = "x y z"; print $2, NF }"#, &["data"]),
    (r#"{printf "%-10s|%5d|%5.1f\n", $1, $2, $2/3}"#, &["data"]),
    (r#"{print length($1), length, length()}"#, &["data"]),
    (
        r#"{print substr($1, 2, 3), index($1, "o"), toupper($1), tolower("ABC")}"#,
        &["data"],
    ),
    (
        r#"{n = split($0, parts); print n, parts[1], parts[n]}"#,
        &["data"],
    ),
    (r#"{gsub(/o/, "0"); print}"#, &["data"]),
    (r#"{sub(/[0-9]+/, "<&>"); print}"#, &["data"]),
    (
        r#"{print match($0, /[0-9]+/), RSTART, RLENGTH}"#,
        &["para", "data"],
    ),
    (
        r#"{if ($2 > 20) print "big", $1; else print "small", $1}"#,
        &["data"],
    ),
    (
        r#"{for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? OFS : ORS)}"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN {while ((getline line < "f1") > 0) n++; print n}"#,
        &["data"],
    ),
    (
        r#"BEGIN {"echo hello" | getline x; print x; close("echo hello")}"#,
        &["data"],
    ),
    (
        r#"BEGIN {while (("printf \"a\\nb\\n\"" | getline) > 0) print "got", $0}"#,
        &["data"],
    ),
    (r#"BEGIN {printf "%c%c%c\n", 72, "i!", 10}"#, &["data"]),
    (
        r#"BEGIN {printf "%d %i %o %x %X %u %e %E %g %G %s %%\n", 42.9, -7, 8, 255, 255, 3, 1234.5, 0.000123, 100000, 1e-10, "str"}"#,
        &["data"],
    ),
    (
        r#"BEGIN {printf "%5s|%-5s|%.2s|%*d|%-*d|%.*f\n", "ab", "ab", "abcdef", 4, 7, 4, 7, 2, 3.14159}"#,
        &["data"],
    ),
    (
        r#"BEGIN {printf "%+d % d %05d %-05d %#o %#x %.3d\n", 5, 5, 42, 42, 8, 255, 7}"#,
        &["data"],
    ),
    (
        r#"BEGIN {x = 0.1; y = x * 3; print y, (y == 0.3)}"#,
        &["data"],
    ),
    (
        r#"BEGIN {print 1e6, 1e16, 123456789012, 0.000001, 1/3, 100/3, -2^31}"#,
        &["data"],
    ),
    (
        r#"BEGIN {CONVFMT = "%.2g"; a = 3.14159; b = a ""; print b; OFMT = "%.3f"; print a, 17}"#,
        &["data"],
    ),
    (r#"BEGIN {print length(12345), length(1/4)}"#, &["data"]),
    (
        r#"BEGIN {print index("foobar", "bar"), index("foo", "")}"#,
        &["data"],
    ),
    (
        r#"BEGIN {s = "aaa"; n = gsub(/a*/, "-", s); print n, s}"#,
        &["data"],
    ),
    (r#"BEGIN {s = "abc"; gsub(//, "-", s); print s}"#, &["data"]),
    (
        r#"BEGIN {s = "hello world"; gsub(/o/, "\\&", s); print s}"#,
        &["data"],
    ),
    (
        r#"BEGIN {s = "hello"; sub(/l+/, "[&&]", s); print s}"#,
        &["data"],
    ),
    (
        r#"BEGIN {s = "a.b.c"; n = split(s, a, "."); print n, a[1], a[3]}"#,
        &["data"],
    ),
    (
        r#"BEGIN {s = "a1b22c333d"; n = split(s, a, /[0-9]+/); print n, a[1], a[2], a[4]}"#,
        &["data"],
    ),
    (r#"BEGIN {n = split("", a); print n, length(a)}"#, &["data"]),
    (
        r#"BEGIN {n = split("  a  b  ", a); print n, "[" a[1] "]"}"#,
        &["data"],
    ),
    (r#"BEGIN {n = split("a:b:c", a, ""); print n}"#, &["data"]),
    (
        r#"BEGIN {a["x"] = 1; delete a["x"]; print length(a), ("x" in a)}"#,
        &["data"],
    ),
    (
        r#"BEGIN {a[1,2] = 3; for (k in a) {split(k, p, SUBSEP); print p[1], p[2]}; print ((1,2) in a)}"#,
        &["data"],
    ),
    (
        r#"BEGIN {a[1]; a[2]; delete a; print length(a)}"#,
        &["data"],
    ),
    (
        r#"function f(n) { return n <= 1 ? 1 : n * f(n - 1) } BEGIN {print f(10)}"#,
        &["data"],
    ),
    (
        r#"function fib(n) { return n < 2 ? n : fib(n-1) + fib(n-2) } BEGIN {print fib(20)}"#,
        &["data"],
    ),
    (
        r#"function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i } BEGIN {fill(sq, 5); print sq[3], length(sq)}"#,
        &["data"],
    ),
    (
        r#"function loc(a,   t) { t = a * 2; return t } BEGIN {t = 5; print loc(3), t}"#,
        &["data"],
    ),
    (
        r#"function g(x) { x[1] = "set" } BEGIN {g(arr); print arr[1]}"#,
        &["data"],
    ),
    (
        r#"BEGIN {x = "10"; y = 9; print (x < y), ("10" < "9"), (10 < 9)}"#,
        &["data"],
    ),
    (r#"{print ($2 < 9)}"#, &["data"]),
    (
        r#"BEGIN {print 1 == 1.0, "a" < "b", "abc" ~ /b/, "abc" ~ "^a", "x" !~ /y/}"#,
        &["data"],
    ),
    (
        r#"BEGIN {print int(3.9), int(-3.9), sqrt(16), exp(0), log(1), sin(0), cos(0), atan2(0, -1)}"#,
        &["data"],
    ),
    (
        r#"BEGIN {x["a"] = 1; if ("a" in x) print "yes"; if (!("b" in x)) print "no"}"#,
        &["data"],
    ),
    (
        r#"BEGIN {i = 0; do { i++ } while (i < 5); print i}"#,
        &["data"],
    ),
    (
        r#"BEGIN {for (i = 0; i < 10; i++) { if (i == 3) continue; if (i == 6) break; printf "%d ", i }; print ""}"#,
        &["data"],
    ),
    (
        r#"BEGIN {while (1) { if (++n > 3) break }; print n}"#,
        &["data"],
    ),
    (
        r#"BEGIN {print substr("hello", 2), substr("hello", 0), substr("hello", 10), substr("hello", 2, 100)}"#,
        &["data"],
    ),
    (r#"BEGIN {print toupper(substr("abc", 2)) "x"}"#, &["data"]),
    (
        r#"BEGIN {a = "A"; b = "B"; print a b, a " " b; print a, b}"#,
        &["data"],
    ),
    (
        r#"BEGIN {OFS = "-"; $0 = "a b c"; $1 = $1; print; print $1, $2}"#,
        &["data"],
    ),
    (
        r#"BEGIN {FS = ","; $0 = "a,b,,c"; print NF, $3, $4}"#,
        &["data"],
    ),
    (r#"BEGIN {$0 = "  lead  trail  "; print NF, $1}"#, &["data"]),
    (
        r#"BEGIN {$0 = "a b c"; $5 = "e"; print; print NF}"#,
        &["data"],
    ),
    (
        r#"BEGIN {$0 = "a b c d"; NF = 2; print; NF = 4; print; print NF}"#,
        &["data"],
    ),
    (r#"BEGIN {x; print x + 0, x "", length(x)}"#, &["data"]),
    (r#"BEGIN {print 1 " " 2, 1 2, 1+2 "x"}"#, &["data"]),
    (r#"BEGIN {print "a" > "/dev/stderr"}"#, &["data"]),
    (r#"BEGIN {print "to stdout" > "/dev/stdout"}"#, &["data"]),
    (r#"BEGIN {printf "no newline"}"#, &["data"]),
    (
        r#"BEGIN {print "b\na" | "sort"; close("sort"); print "after"}"#,
        &["data"],
    ),
    (
        r#"BEGIN {system("echo from system"); print "after"}"#,
        &["data"],
    ),
    (r#"BEGIN {r = system("exit 3"); print r}"#, &["data"]),
    (r#"BEGIN {print ENVIRON["HOME"] != ""}"#, &["data"]),
    (r#"BEGIN {exit 3} END {print "end runs"}"#, &["data"]),
    (r#"{exit 4} END {print "end", NR; exit}"#, &["data"]),
    (r#"END {print NR, $0}"#, &["data"]),
    (
        r#"BEGIN {getline; print "first:", $0; getline x; print "second:", x, NR}"#,
        &["data"],
    ),
    (r#"NR == 1 {next} {print}"#, &["data"]),
    (
        r#"BEGIN {RS = ""} {print NR": "$1"-"$NF; print NF}"#,
        &["para", "data"],
    ),
    (r#"BEGIN {RS = ""; FS = "x"} {print NF}"#, &["para", "data"]),
    (r#"BEGIN {RS = "b"} {print NR, $0}"#, &["para", "data"]),
    (r#"BEGIN {RS = "[0-9]+"} {print NR, $0}"#, &["para", "data"]),
    (r#"BEGIN {FS = "[0-9]"} {print $1}"#, &["data"]),
    (r#"BEGIN {print length("héllo")}"#, &["data"]),
    (r#"BEGIN {print substr("héllo", 2, 2)}"#, &["data"]),
    (
        r#"BEGIN {printf "%d\n", "0x1A"; print "0x10" + 0, " 12 " + 1, "1e3" + 0, ".5" + 0, "+3" + 1}"#,
        &["data"],
    ),
    (
        r#"BEGIN {print 100000 * 100000, 2^53 + 1, 1e300 * 10}"#,
        &["data"],
    ),
    (r#"BEGIN {printf "%d %d\n", 2^31, -2^31 - 1}"#, &["data"]),
    (
        r#"BEGIN {printf "%.0f %.0f %.0f\n", 0.5, 1.5, 2.5}"#,
        &["data"],
    ),
    (
        r#"BEGIN {x = 5; x += 2; x -= 1; x *= 3; x /= 2; x %= 5; x ^= 2; print x}"#,
        &["data"],
    ),
    (r#"BEGIN {x = 1; print x++ + ++x, x--, --x, x}"#, &["data"]),
    (r#"BEGIN {$3 = "c"; print NF, "[" $0 "]"}"#, &["data"]),
    (
        r#"BEGIN {a = "3x"; print a + 1, -a, !a, !"", !0, !"0"}"#,
        &["data"],
    ),
    (
        r#"{print ($1 == "bob"), ($2 == 20), ($2 == "20")}"#,
        &["data"],
    ),
    (
        r#"BEGIN {s = sprintf("%5.2f|%s", 3.14159, "x"); print s, length(s)}"#,
        &["data"],
    ),
    (
        r#"BEGIN {n = split("2024-01-15", d, "-"); printf "%s/%s/%s\n", d[2], d[3], d[1]}"#,
        &["data"],
    ),
    (r#"{ $3 = ""; print }"#, &["data"]),
    (
        r#"{ print > "out.txt" } END { close("out.txt"); while ((getline l < "out.txt") > 0) print "r:", l }"#,
        &["data"],
    ),
    (r#"BEGIN { printf "%s\n", 1e300 * 1e300 }"#, &["data"]),
    (r#"BEGIN { print substr("abc", 2, -1) "|" }"#, &["data"]),
    (
        r#"BEGIN { x[1]=1; x[2]=2; x[3]=3; for (k in x) delete x[k]; print length(x) }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print match("aaa", /b/), RSTART, RLENGTH }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { print match("xxabcabc", /(abc)+/), RSTART, RLENGTH }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { s = "foo.bar"; gsub(".", "X", s); print s }"#,
        &["data"],
    ),
    (
        r#"BEGIN { s = "foo.bar"; gsub(/\./, "X", s); print s }"#,
        &["data"],
    ),
    (
        r#"BEGIN { s = "foo.bar"; gsub("\\.", "X", s); print s }"#,
        &["data"],
    ),
    (
        r#"BEGIN { s = "a/b/c"; gsub("/", "\\", s); print s }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print "x" ~ /[[:alpha:]]/, "1" ~ /[[:alpha:]]/, "]" ~ /[]]/, "a" ~ /[^]]/ }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print "ab" ~ /a{2}/, "aab" ~ /a{2}/, "a{2}" ~ /a\{2\}/ }"#,
        &["data"],
    ),
    (
        r#"BEGIN { re = "^[0-9]+$"; print ("123" ~ re), ("12a" ~ re) }"#,
        &["data"],
    ),
    (r#"{ if ($0 ~ "^" $1) c++ } END { print c }"#, &["data"]),
    (r#"BEGIN { printf "[%5c][%-3c]\n", "x", 65 }"#, &["data"]),
    (r#"BEGIN { print -0 "", 0 * -1 }"#, &["data"]),
    (r#"BEGIN { print 017, 08 }"#, &["data"]),
    (r#"BEGIN { print 1.0, "1.0" + 0, 1e0 }"#, &["data"]),
    (
        r#"BEGIN { x = "abc"; print x > "o1"; print "def" >> "o1"; close("o1"); while ((getline y < "o1") > 0) print y }"#,
        &["data"],
    ),
    (
        r#"BEGIN { "date +%Y" | getline yr; print (yr > 2000) }"#,
        &["data"],
    ),
    (r#"BEGIN { print length() }"#, &["data"]),
    (
        r#"BEGIN { nextfile_test = 1 } FNR == 2 { nextfile } { print FILENAME, $0 }"#,
        &["f1", "f2"],
    ),
    (r#"{ print FILENAME, FNR, NR }"#, &["f1", "f2"]),
    (
        r#"BEGIN { getline x < "nonexistent"; print "r", x }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print (getline line < "nonexistent") }"#,
        &["data"],
    ),
    (r#"BEGIN { printf "%s\n", "a" | "cat" }"#, &["data"]),
    (
        r#"END { while ((getline line) > 0) n++; print n+0, NR }"#,
        &["data"],
    ),
    (r#"{ getline; print "after getline:", $0 }"#, &["data"]),
    (r#"{ getline x; print $0, "|", x }"#, &["data"]),
    (r#"BEGIN { printf("%s-%s\n", "a", "b") }"#, &["data"]),
    (r#"BEGIN { print("a", "b") > "/dev/stdout" }"#, &["data"]),
    (r#"BEGIN { print (1)(2) }"#, &["data"]),
    (r#"BEGIN { x = 3; print x " " x++ " " x }"#, &["data"]),
    (r#"BEGIN { print !x + 1, -"3" + 0, - - 2 }"#, &["data"]),
    (r#"BEGIN { a = "x"; a = a a a; print a }"#, &["data"]),
    (r#"BEGIN { print 10 % 3 * 2, 2 * 3 % 4 }"#, &["data"]),
    (r#"BEGIN { print "A" < "a", "a" < "B" }"#, &["data"]),
    (
        r#"BEGIN { n = split("a b c", arr); for (i = n; i >= 1; i--) printf "%s ", arr[i]; print "" }"#,
        &["data"],
    ),
    (
        r#"BEGIN { s = "The Quick Brown"; while (match(s, /[A-Z]/)) { printf "%s", substr(s, RSTART, 1); s = substr(s, RSTART + 1) } print "" }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { str = "a,b;c d"; n = split(str, p, /[,; ]/); print n, p[4] }"#,
        &["data"],
    ),
    (r#"BEGIN { print index("abc", "") }"#, &["data"]),
    (r#"BEGIN { printf "%c", 256 } "#, &["data"]),
    (r#"BEGIN { printf "%c", "" }"#, &["data"]),
    (
        r#"BEGIN { printf "%5.3d|%-+5d|%x\n", 5, 3, -1 }"#,
        &["data"],
    ),
    (r#"BEGIN { printf "%i\n", 1e30 }"#, &["data"]),
    (
        r#"BEGIN { printf "%.3e %.10g %g %g\n", 123456, 1/3, 1e100, 123456789 }"#,
        &["data"],
    ),
    (r#"BEGIN { printf "%#.3g %#x %#o\n", 1, 0, 0 }"#, &["data"]),
    (r#"BEGIN { print substr("hello", 2.7, 1.2) }"#, &["data"]),
    (
        r#"BEGIN { OFS = ":"; $0 = "a b c"; $2 = "X"; print; print $0 }"#,
        &["data"],
    ),
    (
        r#"BEGIN { $0 = "a:b:c"; FS = ":"; print $1; $0 = $0; print $1 }"#,
        &["data"],
    ),
    (r#"BEGIN { FS = ":" } { print $1 } "#, &["data"]),
    (r#"BEGIN { FS = "\t" } { print $2 }"#, &["data"]),
    (r#"BEGIN { FS = "|" } { print $2 }"#, &["data"]),
    (r#"BEGIN { FS = "." } { print $2 }"#, &["data"]),
    (r#"BEGIN { FS = "ab" } { print $2 }"#, &["data"]),
    (
        r#"BEGIN { SUBSEP = ":"; a["x", "y"] = 1; for (k in a) print k }"#,
        &["data"],
    ),
    (
        r#"BEGIN { CONVFMT = "%d"; a[1.5] = "v"; for (k in a) print k }"#,
        &["data"],
    ),
    (
        r#"BEGIN { a[01] = 1; a["01"] = 2; a[1] = 3; for (k in a) print k, a[k] }"#,
        &["data"],
    ),
    (
        r#"BEGIN { a[0.1 + 0.2] = 1; for (k in a) print k }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print 1e-300 * 1e-300, -1e-300 * 1e-300 }"#,
        &["data"],
    ),
    (r#"BEGIN { print 3 " " -3 }"#, &["data"]),
    (r#"BEGIN { x = "A"; x = x++ ; print x }"#, &["data"]),
    (
        r#"BEGIN { $0 = "1 2 3"; $2++; print; print $2 + 0 }"#,
        &["data"],
    ),
    (r#"BEGIN { $0 = "3"; print $0 * 2, $1 ^ 2 }"#, &["data"]),
    (r#"BEGIN { print length(x), length(y z) }"#, &["data"]),
    (r#"BEGIN { printf "%s" }"#, &["data"]),
    (r#"BEGIN { printf "" ; print "" }"#, &["data"]),
    (r#"BEGIN { exit } END { print "end" }"#, &["data"]),
    (r#"BEGIN { exit 1 } END { exit }"#, &["data"]),
    (r#"{ print; exit 5 }"#, &["data"]),
    (r#"END { print $0, NF }"#, &["data"]),
    (
        r#"BEGIN { ORS = "|"; print "a"; print "b" }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { ORS = ""; print "a" ; printf "\n" }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { RS = "\n\n+" } { print NR ":" $0 }"#,
        &["para", "data"],
    ),
    (r#"BEGIN { RS = "x" } END { print NR }"#, &["para", "data"]),
    (r#"BEGIN { print tolower("ÀBC") }"#, &["data"]),
    (
        r#"BEGIN { srand(1); a = rand(); srand(1); b = rand(); print (a == b), (a >= 0 && a < 1) }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print int("3abc"), int(""), int(" 12 ") }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print 1==1, 1=="1", "1"==1.0, "a"=="a " }"#,
        &["data"],
    ),
    (r#"$2 ~ /^[0-9]$/ { print "single", $2 }"#, &["data"]),
    (r#"$1 ~ "^b" && $2 > 10 || $3 == "z""#, &["data"]),
    (
        r#"{ sum[$3] += $2; cnt[$3]++ } END { for (k in sum) printf "%s %.2f\n", k, sum[k]/cnt[k] | "sort"; close("sort") }"#,
        &["data"],
    ),
    (
        r#"NR == FNR { a[$1] = $2; next } $1 in a { print $1, a[$1], $2 }"#,
        &["f1", "f2"],
    ),
    (r#"{ print NR, FNR, FILENAME }"#, &["f1", "f2"]),
    (r#"FNR == 1 { print "--", FILENAME }"#, &["f1", "f2"]),
    (
        r#"BEGIN { ARGV[1] = ""; ARGC = 3 } { print FILENAME, $0 }"#,
        &["f1", "f2"],
    ),
    (
        r#"BEGIN { ARGV[2] = "" } { print FILENAME ": " $0 }"#,
        &["f1", "f2"],
    ),
    (
        r#"BEGIN { ARGV[ARGC++] = "f1" } END { print NR }"#,
        &["f1", "f2"],
    ),
    (r#"{ print $NF }"#, &["data"]),
    (r#"length > 12"#, &["data"]),
    (r#"{ $1 = ""; print }"#, &["data"]),
    (r#"NF"#, &["data"]),
    (r#"1"#, &["data"]),
    (r#"END { print }"#, &["data"]),
    (
        r#"{ a[NR] = $0 } END { for (i = NR; i > 0; i--) print a[i] }"#,
        &["data"],
    ),
    (r#"ORS = NR % 2 ? " " : "\n""#, &["para", "data"]),
    (r#"$1 = $1"#, &["data"]),
    (r#"BEGIN { FS = OFS = "\t" } { $1 = $1; print }"#, &["data"]),
    (r#"{ $1 = $1 } 1"#, &["data"]),
    (r#"NR > 1 { print prev } { prev = $0 }"#, &["data"]),
    (r#"{ print length() }"#, &["data"]),
    (r#"{ n = n ? n "," $1 : $1 } END { print n }"#, &["data"]),
    (r#"{ printf "%-8s %3d\n", $1, $2 } "#, &["data"]),
    (
        r#"$2 >= 10 && $2 <= 30 { c++ } END { print c + 0 }"#,
        &["data"],
    ),
    (
        r#"BEGIN { while ("cat data" | getline l) n++; print n }"#,
        &["data"],
    ),
    (
        r#"{ lines[$3] = lines[$3] " " $1 } END { print lines["x"] }"#,
        &["data"],
    ),
    (r#"{ print substr($0, index($0, " ") + 1) }"#, &["data"]),
    (
        r#"BEGIN { x = "A;B;C"; gsub(";", "\n", x); print x }"#,
        &["data"],
    ),
    (r#"{ $2 = sprintf("%05.1f", $2) } 1"#, &["data"]),
    (
        r#"{ print $1 > ($3 ".out") } END { close("x.out"); while ((getline l < "x.out") > 0) print "x:", l }"#,
        &["data"],
    ),
    (r#"{ print | "sort -k2n" }"#, &["data"]),
    (r#"BEGIN { "pwd" | getline d; print (d != "") }"#, &["data"]),
    (
        r#"{ sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); print }"#,
        &["data"],
    ),
    (r#"BEGIN { print 2 > 1 }"#, &["data"]),
    (r#"BEGIN { x = 5; print x" "x }"#, &["data"]),
    (r#"BEGIN { print "a" "b" > "/dev/stdout" }"#, &["data"]),
    (r#"{ print ($2 > 10 ? "hi" : "lo") }"#, &["data"]),
    (r#"BEGIN { a = "10"; b = "9"; print (a > b) }"#, &["data"]),
    (r#"{ if ($2 > max) max = $2 } END { print max }"#, &["data"]),
    (
        r#"{ if (min == "" || $2 < min) min = $2 } END { print min }"#,
        &["data"],
    ),
    (
        r#"BEGIN { getline line < "data"; print line; close("data"); getline line < "data"; print line }"#,
        &["data"],
    ),
    (r#"NR == 2, NR == 4 { print NR }"#, &["data"]),
    (r#"/alice/, /nomatch/ { print "r", NR }"#, &["data"]),
    (r#"$2 ~ /^[12]/"#, &["data"]),
    (r#"$0 !~ /o/"#, &["data"]),
    (
        r#"BEGIN { n = split("a b c", arr, " "); delete arr[2]; for (i = 1; i <= n; i++) print (i in arr) }"#,
        &["data"],
    ),
    (
        r#"{ count[$3]++ } END { for (k in count) print k, count[k] | "sort"; close("sort") }"#,
        &["data"],
    ),
    (
        r#"BEGIN { print index("abc", "bc") substr("xyz", 2) }"#,
        &["data"],
    ),
    (r#"BEGIN { print 1e3, 1E3, 1.5e-3, .5, 5. }"#, &["data"]),
    (r#"BEGIN { print "x" >> "/dev/stdout" }"#, &["data"]),
    (
        r#"BEGIN { s = "aXbXc"; print split(s, a, "X"), a[2] }"#,
        &["data"],
    ),
    (
        r#"BEGIN { s = "a b"; print s ~ / /, s ~ "[ ]" }"#,
        &["data"],
    ),
    (
        r#"{ printf("%s%s", NR == 1 ? "" : ",", $1) } END { print "" }"#,
        &["data"],
    ),
    (r#"BEGIN { a = b = 3; print a, b }"#, &["data"]),
    (r#"BEGIN { x = 1 ? 2 : 3 ? 4 : 5; print x }"#, &["data"]),
    (
        r#"BEGIN { a["x"]; print ("x" in a) == 1, !("y" in a) }"#,
        &["data"],
    ),
    (r#"BEGIN { $0 = "a b c"; print $1$2 }"#, &["data"]),
    (r#"BEGIN { print -1 " " -1 }"#, &["data"]),
    (r#"BEGIN { print 1 -1 }"#, &["data"]),
    (r#"BEGIN { x = "abc"; print x~"b" ? "y" : "n" }"#, &["data"]),
    (r#"BEGIN { print length "x" }"#, &["data"]),
    (r#"BEGIN { n = 3; while (n --> 0) print n }"#, &["data"]),
    (r#"BEGIN { print 10 / 4, 10 % 4, int(10 / 4) }"#, &["data"]),
    (r#"BEGIN { print (1, 2) in a }"#, &["data"]),
    (
        r#"BEGIN { $0 = "x"; print $1 == "x" ? "eq" : "ne" }"#,
        &["data"],
    ),
    (r#"BEGIN { print "a" (1 < 2) "b" }"#, &["data"]),
    (r#"BEGIN { print !1, !!2, - -3 }"#, &["data"]),
    (r#"BEGIN { printf "%s\n", 0.1 + 0.2 == 0.3 }"#, &["data"]),
    (
        r#"BEGIN { x[1] = 1; f(x); print x[1] } function f(arr) { arr[1] = 2 }"#,
        &["data"],
    ),
    (
        r#"function g(a) { a = 5; return a } BEGIN { b = 1; g(b); print b }"#,
        &["data"],
    ),
    (
        r#"function h(a, b) { return a + b } BEGIN { print h(1) }"#,
        &["data"],
    ),
    (
        r#"function r(n) { if (n > 0) { print n; r(n - 1) } } BEGIN { r(3) }"#,
        &["data"],
    ),
    (
        r#"function m(arr, k) { return (k in arr) } BEGIN { z["q"]; print m(z, "q"), m(z, "w") }"#,
        &["data"],
    ),
    (
        r#"function u(arr) { split("a b", arr) } BEGIN { u(q); print q[2] }"#,
        &["data"],
    ),
    (
        r#"function v(a) { a["k"] = 1 } BEGIN { v(loc); print length(loc) }"#,
        &["data"],
    ),
    (r#"BEGIN { getline < "data"; print NF, $1 }"#, &["data"]),
    (
        r#"BEGIN { RS = "" } { print NR, NF; for (i = 1; i <= NF; i++) printf "[%s]", $i; print "" }"#,
        &["para", "data"],
    ),
    // paragraph mode: a newline separates fields for a one-character FS, not for a regex FS,
    // and split() with the default FS keeps newlines (mawk, gawk)
    (
        r#"BEGIN { RS = ""; FS = "[:,]+" } { printf "%d", NF; for (i = 1; i <= NF; i++) printf "<%s>", $i; $1 = $1; print "|" $0 }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { RS = ""; FS = "b+" } { print NF, $NF }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { RS = ""; FS = ":" } { print split($0, p), length(p[1]) }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { RS = "o" } { printf "<%s>", $0 } END { print "" }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { RS = "\n|b" } NR < 4 { print NR": " $0 }"#,
        &["para", "data"],
    ),
    (
        r#"BEGIN { FS = "" } NR == 1 { print NF, $1, $5 }"#,
        &["data"],
    ),
    (r#"BEGIN { FS = "b+" } { print $1 "|" $2 }"#, &["data"]),
    (r#"BEGIN { FS = " +" } NR == 1 { print NF }"#, &["data"]),
    (r#"BEGIN { OFS = "-" } { NF = NF; print }"#, &["data"]),
    (r#"{ NF++; $NF = "end"; print }"#, &["data"]),
    (r#"BEGIN { printf "%d items\n", "3 items" }"#, &["data"]),
    (r#"BEGIN { print substr("abcdef", 3) }"#, &["data"]),
    (
        r#"BEGIN { print 1e308 * 10, -1e308 * 10, log(0) }"#,
        &["data"],
    ),
    (r#"BEGIN { print int("inf"), int("nan") }"#, &["data"]),
    (
        r#"BEGIN { print -("nan" + 0), "-nan" + 0, "+nan" + 0, "-inf" + 0 }"#,
        &["data"],
    ),
    (r#"BEGIN { x = 010; print x, "010" + 0 }"#, &["data"]),
    (
        r#"BEGIN { CONVFMT = "%.2f"; x = 3.14159; y = x ""; print y; print x }"#,
        &["data"],
    ),
    (
        r#"BEGIN { OFMT = "%.2f"; print 3.14159, 3.14159 "" }"#,
        &["data"],
    ),
    (
        r#"BEGIN { x = 123456789; print x "", x / 10 "" }"#,
        &["data"],
    ),
    (r#"BEGIN { print 0.1 * 3, 1e-5, 123456.7 }"#, &["data"]),
    (r#"BEGIN { print 17 / 4 * 4, 2 ^ 0.5 }"#, &["data"]),
    // a field past NF is the empty string, not the number 0; a numeric field is a number to %c
    (
        r#"{ print ($7 == 0), ($7 == ""), ($2 == 0) } END { NF = 9; print ($8 == 0) }"#,
        &["data"],
    ),
    (r#"{ $5 = "e"; print ($4 < 1), ($4 == 0) }"#, &["data"]),
    (r#"{ printf "%c|%c|%c\n", $2 + 55, "" $2, $2 }"#, &["data"]),
    (
        r#"BEGIN { FS = ":" } { printf "[%c]", $1 } END { print "" }"#,
        &["data"],
    ),
    // standard input read for want of operands is named `-`, also in END
    (
        r#"BEGIN { printf "[%s]", FILENAME } { printf "[%s]", FILENAME } END { print "[" FILENAME "]" }"#,
        &[],
    ),
    // split on an empty regex literal: one element per character
    (
        r#"{ n = split($1, c, //); print n, c[1], c[n] }"#,
        &["data"],
    ),
];

#[test]
fn regex_rs_caret_only_at_start_of_input() {
    let d = fixture();
    d.write("a3", "aaa1a2a\n");
    for files in [&["a3"][..], &["a3", "a3"], &["-"]] {
        let mut args = vec!["BEGIN { RS = \"^a\" } { print NR \": [\" $0 \"]\" }"];
        args.extend_from_slice(files);
        check(&d, &args, b"aaa1a2a\n");
    }
}

#[test]
fn one_liners_match_mawk_or_gawk() {
    let d = fixture();
    for (prog, files) in TABLE {
        let mut args = vec![*prog];
        args.extend_from_slice(files);
        check(&d, &args, b"stdin line\n");
    }
}

#[test]
fn options_and_operands() {
    let d = fixture();
    d.write("prog.awk", "{ print $1 }\n");
    d.write("lib.awk", "function twice(x) { return 2 * x }\n");
    d.write("main.awk", "{ print twice($2) }\n");
    d.write("colon", "a:b:c\nd:e:f\n");
    d.write("tabs", "a b\tc d\te\n");
    let cases: &[&[&str]] = &[
        &["-F:", "{print $2}", "colon"],
        &["-F", ":", "{print $3}", "colon"],
        &["-F", "\\t", "{print $2}", "tabs"],
        &["-Ft", "{print $2}", "tabs"],
        &["-F", "[:e]", "{print $2}", "colon"],
        &["-v", "x=hello", "BEGIN{print x}"],
        &["-v", "x=a\\tb", "BEGIN{print x}"],
        &["-v", "n=10", "BEGIN{print n + 1, (n < 9)}"],
        &["-f", "prog.awk", "data"],
        &["-f", "lib.awk", "-f", "main.awk", "data"],
        &["--", "{print $1}", "data"],
        &["{print x, $1}", "x=1", "f1", "x=2", "f2"],
        &["{print}", "nonexistent"],
        &["END{print NR}", "data", "-"],
        &["BEGIN{printf \"%s\\n\", ARGV[1]}", "x=1"],
        // gawk's -e/--source joins program texts and -f files in order
        &["-e", "{print $2}", "-e", "END{print NR, ARGC}", "data"],
        &["-f", "lib.awk", "--source", "{print twice(NR)}", "f1"],
    ];
    for a in cases {
        check(&d, a, b"from stdin\n");
    }
    // found by difftest: a backslash alone is a field separator; -v wants a variable name
    d.write("bs", "a\\b\\c\n");
    let cases: &[&[&str]] = &[
        &["-F", "\\\\", "{print $2, NF}", "bs"],
        &[
            "{n = split($0, A, \"\\\\\"); FS = \"\\\\\"; $0 = $0; print n, A[3], $2}",
            "bs",
        ],
        &["-v", "=x", "BEGIN{print 1}"],
        &["-v", "1x=3", "BEGIN{print 1}"],
        &["-v", "x y=3", "BEGIN{print 1}"],
    ];
    for a in cases {
        check_both(&d, a, b"");
    }
}

#[test]
fn syntax_errors_exit_2_with_line() {
    let d = fixture();
    for (prog, want) in [
        ("{", "awk: line 1: missing } near end of file"),
        (
            "BEGIN { x = 1 +* 2 }",
            "awk: line 1: syntax error at or near *",
        ),
        (
            "BEGIN {\n\n print ) }",
            "awk: line 3: syntax error at or near )",
        ),
        (
            "BEGIN { print \"abc }",
            "awk: line 1: runaway string constant \"abc } ...",
        ),
        ("BEGIN { f(1) }", "awk: line 1: function f never defined"),
        ("BEGIN { print substr(1) }", "wrong number of arguments"),
        (
            "BEGIN { print 1; } }",
            "awk: line 1: syntax error at or near }",
        ),
        ("function f(a, a) { }", "duplicate parameter"),
        (
            "function f(a b) { }",
            "awk: line 1: syntax error at or near b",
        ),
        ("BEGIN { x = 1 \x01 }", "syntax error at or near \\001"),
        // refused before any input is read, as mawk and gawk do
        (
            "{ print }\nEND {\n next }",
            "awk: line 3: improper use of next",
        ),
        (
            "BEGIN { nextfile }",
            "awk: line 1: improper use of nextfile",
        ),
        // one `;` ends an item, two make an empty one (difftest)
        (
            "BEGIN { print 1 };; END { }",
            "awk: line 1: syntax error at or near ;",
        ),
        ("; BEGIN { }", "awk: line 1: syntax error at or near ;"),
        (
            "function f() { };\n; BEGIN { }",
            "awk: line 2: syntax error at or near ;",
        ),
        // a parenthesized variable is no lvalue
        ("BEGIN { (x)++ }", "awk: line 1: syntax error"),
        (
            "BEGIN { (x) = 1 }",
            "awk: line 1: syntax error at or near =",
        ),
        (
            "BEGIN { (A[1]) += 1 }",
            "awk: line 1: syntax error at or near +=",
        ),
        // no `;` between a block and `else` or `while`
        (
            "BEGIN { if (1) { } ; else x = 1 }",
            "awk: line 1: syntax error at or near else",
        ),
        (
            "BEGIN { do { } ; while (0) }",
            "awk: line 1: syntax error at or near ;",
        ),
        // no newline before `)` or `:`, nor between BEGIN and its action
        ("BEGIN { x = (1\n) }", "awk: line 1: syntax error"),
        ("BEGIN { x = 1 ? 2\n: 3 }", "awk: line 1: syntax error"),
        ("BEGIN\n{ }", "awk: line 1: syntax error"),
        ("BEGIN { x =\n 1 }", "awk: line 1: syntax error"),
        ("BEGIN { y = 2 * x = 3 }", "awk: line 1: syntax error"),
        ("BEGIN { x +=\n 1 }", "awk: line 1: syntax error"),
        ("END\n{ }", "awk: line 1: syntax error"),
        (
            "function f(f) { }",
            "awk: line 1: syntax error at or near f",
        ),
        // a parenthesized list is a value only as `(i, j) in a` or a print's whole list,
        // refused before the first rule runs (the `print` would otherwise have output)
        (
            "{ print \"before\" } { x = (1, 2); print x }",
            "awk: line 1: syntax error at or near ;",
        ),
        (
            "BEGIN { print 1 + (1, 2) }",
            "awk: line 1: syntax error at or near }",
        ),
        (
            "BEGIN { print (1, 2), 3 }",
            "awk: line 1: syntax error at or near ,",
        ),
        (
            "BEGIN { print ((1, 2)) }",
            "awk: line 1: syntax error at or near )",
        ),
    ] {
        let o = applet("awk").arg(prog).cwd(d.path()).run();
        o.code(2);
        assert!(o.err().contains(want), "{prog:?}: {}", o.err());
        assert!(o.stdout.is_empty());
        if have("mawk") {
            gnu("mawk").arg(prog).cwd(d.path()).run().code(2);
        }
    }
}

#[test]
fn runtime_errors() {
    let d = fixture();
    for (prog, want) in [
        ("BEGIN { print 1/0 }", "awk: division by zero\n"),
        ("BEGIN { print 1%0 }", "awk: division by zero in %\n"),
        ("BEGIN { x[1]; x = 2 }", "array"),
        ("BEGIN { $-1 = 2 }", "awk: negative field index $-1\n"),
        ("{ x = $(-1) }", "awk: negative field index $-1\n"),
        ("{ $(2^40) = 1 }", "field index exceeds the maximum"),
        ("BEGIN { NF = 2^40 }", "NF set beyond the maximum"),
        ("BEGIN { printf \"%s\" }", "not enough arguments"),
        ("BEGIN { print > \"\" }", "null string"),
        (
            "BEGIN { print \"x\" > \"/nonexistent/dir/f\" }",
            "cannot open",
        ),
        ("BEGIN { if (\"a\" ~ \"(\") print }", "regular expression"),
        (
            "function f(n) { return f(n + 1) } BEGIN { f(1) }",
            "too deep",
        ),
    ] {
        let o = applet("awk").arg(prog).cwd(d.path()).stdin("a b\n").run();
        o.code(2);
        assert!(o.err().contains(want), "{prog:?}: {}", o.err());
    }
}

/// A field far past the record reads as empty (mawk, gawk), however large its index.
#[test]
fn huge_field_index_reads_empty() {
    let d = fixture();
    check(&d, &["{ print \"[\" $(2^40) \"]\", NF }"], b"a b\n");
    check(&d, &["{ print ($(2^31) == \"\") }"], b"a b\n");
}

/// More arguments than parameters: POSIX leaves it undefined; rbox does as gawk (and
/// BusyBox): every argument is evaluated, the extra ones dropped, with gawk's warning per call.
#[test]
fn extra_function_arguments_are_evaluated_and_dropped() {
    if !have("gawk") {
        skip("gawk not installed");
        return;
    }
    let d = fixture();
    for prog in [
        "function f() { print \"F\" } function g() { print \"G\" } BEGIN { f(g(), g()) }",
        "function f(a) { return a * 2 } BEGIN { n = 0; print f(3, n++, n++); print n }",
        "function f(a) { print a } BEGIN { arr[1] = 1; f(\"x\", arr) }",
    ] {
        let ours = applet("awk").arg(prog).cwd(d.path()).run();
        let theirs = gnu("gawk").args(["--posix", prog]).cwd(d.path()).run();
        assert_eq!(
            (ours.code, ours.out()),
            (theirs.code, theirs.out()),
            "{prog}"
        );
        let warnings = ours
            .err()
            .matches("called with more arguments than declared")
            .count();
        assert_eq!(warnings, 1, "{prog}: {}", ours.err());
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let prog = format!(
        "BEGIN {{ print {}1{} }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let o = applet("awk").arg(&prog).run();
    o.code(2);
    assert!(o.err().contains("nested too deeply"), "{}", o.err());
    let prog = format!("BEGIN {{ {} }}", "{".repeat(5000));
    applet("awk").arg(&prog).run().code(2);
    // deep but legal recursion works
    let o = applet("awk")
        .arg("function f(n) { return n == 0 ? 0 : 1 + f(n - 1) } BEGIN { print f(5000) }")
        .run();
    o.ok().stdout_is("5000\n");
}

#[test]
fn bytes_nul_and_invalid_utf8() {
    let d = fixture();
    let input: &[u8] = b"a\xffb c\x00d\n\xc3\x28 \xe2\x82\n";
    for prog in [
        "{print $2, length($1), NF}",
        "{gsub(/b/, \"X\"); print}",
        "{print toupper($0)}",
        "{n = split($0, a, \"\"); print n}",
        "/\\x00/ {print \"nul\"}",
        "{printf \"%s|%c\\n\", $1, $2}",
    ] {
        check(&d, &[prog], input);
    }
}

#[test]
fn huge_line() {
    let d = fixture();
    let mut big = vec![b'x'; 10 << 20];
    big.extend_from_slice(b" tail\nshort line\n");
    let o = applet("awk")
        .arg("{print length($0), NF, $2}")
        .stdin(&big)
        .cwd(d.path())
        .run();
    o.ok().stdout_is("10485765 2 tail\n10 2 line\n");
}

#[test]
fn dev_full() {
    if !std::path::Path::new("/dev/full").exists() {
        skip("no /dev/full");
        return;
    }
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("awk")
        .arg("{print}")
        .stdin("a\nb\n")
        .stdout_file(f)
        .run();
    o.code(2);
    assert!(o.err().contains("No space left on device"), "{}", o.err());
    let o = applet("awk")
        .arg("{print > \"/dev/full\"}")
        .stdin("a\n")
        .run();
    o.code(2);
    assert!(o.err().contains("No space left on device"), "{}", o.err());
}

#[test]
fn pipes_and_commands() {
    let d = fixture();
    for prog in [
        "BEGIN { while ((\"echo a; echo b\" | getline line) > 0) print \"got\", line; print NR }",
        "{ print $1 | \"sort -r\" } END { close(\"sort -r\"); print \"done\" }",
        "BEGIN { print \"x\" | \"cat 1>&2\"; r = close(\"cat 1>&2\"); print r }",
        "BEGIN { print close(\"never opened\") }",
        "BEGIN { \"exit 3\" | getline; print close(\"exit 3\") }",
        "BEGIN { printf \"a\" ; system(\"printf b\"); print \"c\" }",
        "BEGIN { print \"1\"; fflush(); system(\"echo 2\"); print \"3\" }",
        "{ print > \"out\" } END { close(\"out\"); while ((getline l < \"out\") > 0) n++; print n }",
        "BEGIN { print \"a\" > \"o2\"; print \"b\" > \"o2\"; close(\"o2\"); print \"c\" >> \"o2\"; close(\"o2\"); while ((getline l < \"o2\") > 0) print l }",
    ] {
        check(&d, &[prog, "data"], b"");
    }
}

#[test]
fn records_across_buffer_boundaries() {
    // paragraph mode, regex RS and one-character RS over a file far larger than one read
    let d = fixture();
    let mut text = String::new();
    let mut x: u32 = 12345;
    for _ in 0..40000 {
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        let words = 1 + (x >> 16) % 4;
        for w in 0..words {
            if w > 0 {
                text.push(' ');
            }
            text.push_str(&format!("w{}", (x >> (w + 3)) % 100));
        }
        text.push_str(["\n", "\n", "\n\n", "\n\n\n", "\n\n\n\n\n"][(x >> 8) as usize % 5]);
    }
    d.write("big", &text);
    for prog in [
        "BEGIN{RS=\"\"}{n+=NF; c++; x += length($0)} END{print c, n, x}",
        "BEGIN{RS=\"\\n\\n+\"}{c++; n+=NF} END{print c, n}",
        "BEGIN{RS=\"w1\"}{c++} END{print c}",
        "BEGIN{RS=\"1\"}{c++; n += length($0)} END{print c, n}",
        "{n+=NF} END{print n, NR}",
    ] {
        check(&d, &[prog, "big"], b"");
    }
}

/// gawk's `gensub` (BusyBox awk has it too; HashiCorp's Vault entrypoint uses it to turn an
/// interface's address into a URL): sub-matches, `&`, the how-th match, empty matches, the
/// target left alone, `$0` by default.
#[test]
fn gensub_matches_gawk() {
    if !have("gawk") {
        skip("gawk not installed");
        return;
    }
    let input = "    inet 172.17.0.2/16 brd x\na1 b22 abab\n";
    for prog in [
        r#"{ print gensub(/(a)(b)/, "<\2\1>", "g") }"#,
        r#"{ print gensub(/[0-9]+/, "[&]", "G") }"#,
        r#"{ print gensub(/b/, "B", 2) }"#,
        r#"{ print gensub(/b/, "B", "x"), gensub(/b/, "B", 0) }"#,
        r#"{ print gensub(/x*/, "-", "g", $2) }"#,
        r#"{ print gensub(/x*/, "-", 2, $2) }"#,
        r#"{ print gensub(/(x)?a/, "[\1|\0]", "g") }"#,
        r#"{ print gensub(/a/, "\\&\\\\", "g", $2) }"#,
        r#"{ r = "(.)$"; s = $1; t = gensub(r, "\1\1", 1, s); print s, t }"#,
        r#"/\s*inet\s/ { ip = gensub(/(.+)\/.+/, "\1", "g", $2);
           print gensub(/^(.+:\/\/).+(:.+)$/, "\1" ip "\2", "g", "http://0.0.0.0:8200"); exit }"#,
    ] {
        let ours = applet("awk").arg(prog).stdin(input).run();
        let theirs = gnu("gawk").arg(prog).stdin(input).run();
        ours.ok();
        assert_eq!(ours.out(), theirs.out(), "{prog}");
    }
    applet("awk")
        .arg("BEGIN { print gensub(/a/, \"b\") }")
        .run()
        .code(2)
        .stderr_has("wrong number of arguments in call to gensub");
}

#[test]
fn growing_strings() {
    // `s = s x` grows in place (an append, not a copy of s); the result and every aliasing
    // corner must still read as a fresh concatenation would
    let d = fixture();
    let mut text = String::new();
    let mut x: u32 = 777;
    for i in 0..30000 {
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        text.push_str(&format!("r{i} f{} g{}\n", (x >> 16) % 1000, (x >> 8) % 7));
    }
    d.write("big", &text);
    for prog in [
        "{ x = x $2 } END { print length(x); print x }",
        "{ a[$3] = a[$3] \" \" $2 } END { for (k = 0; k < 7; k++) print k, length(a[k]), a[k] }",
        "{ s = s $0 \"\\n\" } END { printf \"%s\", s }",
        "{ s = s sprintf(\"%05d,\", NR) } END { print s }",
        "BEGIN { while ((getline l < \"big\") > 0) b = b l \";\"; print length(b); print b }",
        "BEGIN { for (i = 0; i < 100000; i++) s = s \"x\"; print length(s), substr(s, 99990) }",
        "BEGIN { $0 = \"a\"; for (i = 0; i < 3000; i++) $0 = $0 \" y\" i; print NF, $NF; print }",
        "function g(l, i) { for (i = 0; i < 2000; i++) l = l i; return l } BEGIN { print g(\"s\") }",
        "NR <= 3 { y = x; x = x $1; print x, y }",
    ] {
        check(&d, &[prog, "big"], b"");
    }
    for prog in [
        "BEGIN { x = \"ab\"; for (i = 0; i < 5; i++) x = x x; print x }",
        "BEGIN { x = \"a\"; x = x (x = \"b\") x; print x }",
        "function f() { x = x \"F\"; return \"r\" } BEGIN { x = \"a\"; x = x f(); print x }",
        "function f() { a[1] = a[1] \"F\"; return \"r\" } BEGIN { a[1] = \"a\"; a[1] = a[1] f(); print a[1] }",
        "function f() { i++; return \"r\" } BEGIN { i = 1; a[1] = \"a\"; a[2] = \"b\"; a[i] = a[i] f(); print a[1], a[2] }",
        "function d() { delete a[\"k\"]; return \"\" } BEGIN { a[\"k\"] = \"q\"; a[\"k\"] = a[\"k\"] d() \"z\"; print a[\"k\"], (\"k\" in a) }",
        "BEGIN { x = \"s\"; y = (x = x \"t\"); y = y \"u\"; print x, y }",
        "BEGIN { x = 1.5; x = x \"a\"; print x; y = 10; y = y y; print y + 1 }",
        "BEGIN { CONVFMT = \"%.2f\"; x = 3.14159; x = x \"!\"; print x }",
        "BEGIN { OFS = \"-\"; $0 = \"a b c\"; $1 = $1; $0 = $0 \" d\"; print $0, NF, $4 }",
        "{ $2 = \"X\"; $0 = $0 \" tail\"; print; print NF }",
        "{ $0 = $0 $1; print; $0 = $0 (getline); print }",
        "BEGIN { NR = \"7\"; NR = NR \"1\"; print NR + 1 }",
    ] {
        check(&d, &[prog, "data"], b"");
    }
}

/// gawk's bit functions, taken only when the program defines no function of that name (the
/// names stay free for variables and functions, as in mawk).
#[test]
fn bit_functions_match_gawk() {
    if !have("gawk") {
        skip("gawk not installed");
        return;
    }
    for prog in [
        "BEGIN { print and(12, 10), or(12, 10, 1), xor(12, 10), lshift(1, 10), rshift(1024, 3) }",
        "BEGIN { print or(4294967295, 1), and(4294967295, 1), lshift(1, 60), and(3.9, 1.2) }",
        "{ print xor($1, 255), and($1, \"7\") }",
    ] {
        let ours = applet("awk").arg(prog).stdin("10\n300\n").run();
        let theirs = gnu("gawk").arg(prog).stdin("10\n300\n").run();
        ours.ok();
        assert_eq!(ours.out(), theirs.out(), "{prog}");
    }
    applet("awk")
        .arg("BEGIN { print and(-1, 1) }")
        .run()
        .code(2)
        .stderr_has("and: argument 1 negative value -1 is not allowed");
    applet("awk")
        .arg("function or(a, b) { return a \"|\" b } BEGIN { or = 0; print or(1, 2) }")
        .run()
        .code(2);
    applet("awk")
        .arg("function or(a, b) { return a \"|\" b } BEGIN { print or(1, 2) }")
        .run()
        .ok()
        .stdout_is("1|2\n");
    applet("awk")
        .arg("BEGIN { and = 1; or = and + 1; print and, or }")
        .run()
        .ok()
        .stdout_is("1 2\n");
}

/// Run `awk ARGS` under rbox, mawk and `gawk --posix`: where the two agree on stdout and status,
/// rbox must give the same, and print to stderr when they both do (and only then).
#[track_caller]
fn check_both(dir: &TempDir, args: &[&str], stdin: &[u8]) {
    if !have("mawk") || !have("gawk") {
        skip("mawk or gawk not installed");
        return;
    }
    let run = |r: Run| {
        r.args(args)
            .cwd(dir.path())
            .stdin(stdin)
            .env("HOME", "/root")
            .run()
    };
    let m = run(gnu("mawk"));
    let g = run(gnu("gawk").arg("--posix"));
    assert_eq!(
        (&m.stdout, m.code),
        (&g.stdout, g.code),
        "awk {args:?}: mawk and gawk differ"
    );
    let ours = run(applet("awk"));
    assert_eq!(
        (ours.out(), ours.code),
        (m.out(), m.code),
        "awk {args:?}: stderr {}",
        ours.err()
    );
    if m.stderr.is_empty() == g.stderr.is_empty() {
        assert_eq!(
            ours.stderr.is_empty(),
            m.stderr.is_empty(),
            "awk {args:?}: {}",
            ours.err()
        );
    }
}

/// Differences found by `benches/difftest.py RBOX awk`, each where mawk and gawk agree.
const DIFFTEST: &[(&str, &[&str])] = &[
    // RLENGTH is 0 before any match(), as a number in both
    (
        r#"BEGIN { print RLENGTH + 0, RLENGTH - 1, RSTART + 0 }"#,
        &[],
    ),
    // the value of `cmd | getline [var]` is an operand of *, +, - and concatenation
    (
        r#"BEGIN { x = "echo 3" | getline v * 5; print x, v; y = "echo 4" | getline w "a"; print y, w; z = "echo 5" | getline - 1; print z, $0 }"#,
        &[],
    ),
    // a comparison or match after `k in a` takes its value: `(k in a) < n`
    (
        r#"BEGIN { B[1]; s = 5; x = 1 in B < s; y = 1 in B ~ 1; z = 2 < 1 in B; print x, y, z, (w -= (1) in B < s), 1 in B != 0 ~ 1 }"#,
        &[],
    ),
    // `!x` after an operand is concatenated to it
    (
        r#"BEGIN { print 1 !0 + 1; print 1 !0 "a"; print 1 !x 2; print "a" !1 < 2; x = 5 !3; print x, 2 !"" * 3, 1 -1 !0 }"#,
        &[],
    ),
    // `$(i)` is an lvalue though `(i)` is not
    (
        r#"{ i = 1; $(i) = $i + 1; $(i)++; ++$(i); $(NF) = "z"; print }"#,
        &["data"],
    ),
    // $0 keeps the number assigned to it: its text is CONVFMT's, its value the number
    (
        r#"{ $0 = 2/3; printf "%.17g %.17g %s\n", $0 * 3, $1 * 3, $0; $0 /= 3; $0 /= 3; printf "%.17g\n", $0; $0 = $0 ""; printf "%.17g\n", $0 }"#,
        &["f1"],
    ),
    // print prints a number assigned to a field through OFMT
    (
        r#"BEGIN { OFMT = "%.2f" } { $3 = 2/3; print $3; print $3, $1; print $3 ""; print }"#,
        &["data"],
    ),
    // NF keeps the value assigned to it; the record keeps its integer part of fields
    (
        r#"{ NF = "2x"; print; print NF; NF = 1.7; print; print NF; NF++; print NF, $0; getline NF < "f1"; print NF "|" $0 }"#,
        &["data"],
    ),
    // the right operand of a comparison, match, && or || may be an assignment
    (
        r#"BEGIN { print 1 < x = 3; print x; y = 1 && z = 0; print y, z; w = 1 ~ v = 1; print w, v; q = 0 || r += 2; print q, r; if (a == b = 2) print "eq"; print b }"#,
        &[],
    ),
    // NF's integer part counts: -0.5 is 0, no error
    (
        r#"{ NF = -0.5; print NF "|" $0 "|"; NF /= -2; print NF }"#,
        &["f1"],
    ),
    // a plain getline is an operand of concatenation
    (
        r#"{ x = 1 getline; print x, $0; y = "a" getline v < "f1"; print y, v; print getline getline, $0 }"#,
        &["data"],
    ),
    // one `;` (and newlines) between items is fine
    (
        "BEGIN { print 1 } ;\n BEGIN { print 2 };\nNR == 1;\n",
        &["f1"],
    ),
];

#[test]
fn newline_after_question_mark_and_colon() {
    // gawk's extension (mawk and gawk --posix refuse it): kept, as gawk scripts use it
    let d = fixture();
    applet("awk")
        .arg("BEGIN { x = 1 ?\n 2 :\n 3; print x }")
        .cwd(d.path())
        .run()
        .ok()
        .stdout_is("2\n");
    if have("gawk") {
        gnu("gawk")
            .arg("BEGIN { x = 1 ?\n 2 :\n 3; print x }")
            .run()
            .stdout_is("2\n");
    }
}

#[test]
fn pipes_left_open_close_last_opened_first() {
    // mawk's order is fixed (buffers kept until the end, closed last opened first, each waited
    // for); gawk's depends on when its buffers fill, so mawk alone is the oracle here
    if !have("mawk") {
        return skip("mawk not installed");
    }
    let d = fixture();
    for prog in [
        r#"{ print | "cat"; print | "sort -r" }"#,
        r#"{ print | "sort -r"; print | "cat" } END { print "end" }"#,
    ] {
        let ours = applet("awk").args([prog, "data"]).cwd(d.path()).run();
        let theirs = gnu("mawk").args([prog, "data"]).cwd(d.path()).run();
        ours.ok().same_as(&theirs);
    }
}

#[test]
fn percent_with_a_width_prints_a_percent_sign() {
    // mawk stops ("not enough arguments"); gawk and C print `%` and take no argument
    let d = fixture();
    let out = check(&d, &[r#"BEGIN { printf "%5%|%-3%|%d\n", 7 }"#], b"");
    if let Some(o) = out {
        o.stdout_is("%|%|7\n");
    }
}

#[test]
fn difftest_findings_match_mawk_and_gawk() {
    let d = fixture();
    for (prog, files) in DIFFTEST {
        let mut args = vec![*prog];
        args.extend_from_slice(files);
        check_both(&d, &args, b"stdin line\n");
    }
}
