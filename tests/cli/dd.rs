//! `dd` against GNU coreutils' dd as the oracle: the same shell line (`DD` standing for the
//! tool) run in two fresh copies of a fixture, compared on status, stdout, stderr (the time and
//! rate of the statistics line normalised) and the files left behind.

use crate::harness::*;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

fn fixture(d: &Path) {
    let nums: String = (1..=1000).map(|i| format!("{i}\n")).collect();
    std::fs::write(d.join("in"), nums).unwrap();
    std::fs::write(d.join("lines"), b"abc\ndefghijkl\nxy").unwrap();
    std::fs::write(d.join("spaced"), b"abc  defghxy   zz").unwrap();
    let bin: Vec<u8> = (0..5000u32).map(|i| (i * 7 + i / 251) as u8).collect();
    std::fs::write(d.join("bin"), bin).unwrap();
    std::fs::write(d.join("x20"), b"XXXXXXXXXXXXXXXXXXXX").unwrap();
    std::fs::write(d.join("holes"), b"a\0\0\0\0\0\0\0\0\0b\0\0\0\0\0").unwrap();
}

/// `copied, 6.0941e-05 s, 63.9 MB/s` → `copied, T, R`.
fn normalise(s: &[u8]) -> String {
    let s = String::from_utf8_lossy(s);
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        match line.find(" copied, ") {
            Some(i) => {
                out.push_str(&line[..i]);
                out.push_str(" copied, T, R");
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

#[track_caller]
fn same(script: &str) {
    let ours = TempDir::new("dd-ours");
    let theirs = TempDir::new("dd-gnu");
    fixture(ours.path());
    fixture(theirs.path());
    let run = |dir: &Path, dd: String| {
        let o = Command::new("sh")
            .arg("-c")
            .arg(script.replace("DD", &dd))
            .env("LC_ALL", "C")
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (o.status.code(), o.stdout, normalise(&o.stderr))
    };
    let o = run(ours.path(), format!("{} dd", rbox().display()));
    let g = run(theirs.path(), "dd".into());
    assert_eq!(
        (g.0, String::from_utf8_lossy(&g.1), &g.2),
        (o.0, String::from_utf8_lossy(&o.1), &o.2),
        "{script}: GNU (left) and rbox (right) differ"
    );
    assert_eq!(
        tree_snapshot(theirs.path(), Snap::default()),
        tree_snapshot(ours.path(), Snap::default()),
        "{script}: files differ"
    );
}

#[test]
fn copies_and_counts_like_gnu() {
    for s in [
        "DD if=in",
        "DD if=in of=out",
        "DD if=in of=out bs=1000 count=1",
        "DD if=in bs=1 count=1",
        "DD if=in bs=1k",
        "DD if=in ibs=7 obs=13 count=10",
        "DD if=/dev/zero bs=1M count=3",
        "DD if=/dev/zero bs=1000 count=1",
        "DD if=in count=0",
        "DD if=bin of=b2 bs=333 && cmp bin b2",
        "DD if=in bs=64 iflag=fullblock count=3",
        "DD if=in status=noxfer",
        "DD if=in status=none",
        "DD if=in bs=2x5 count=1",
        "DD if=in bs=1K count=1 | wc -c",
        "DD if=/dev/zero count=1KiB bs=1M | wc -c",
        "DD if=in count=2B bs=1M",
        "DD if=in count=5 iflag=count_bytes",
        "DD if=in count=1 bs=3 skip=1 iflag=skip_bytes",
        "DD if=in skip=1B count=1B",
        "DD if=in skip=2 seek=3 of=o3 ibs=10 obs=20 count=3",
        "DD if=in iseek=2 oseek=3 of=o3 ibs=10 obs=20 count=3",
        "DD if=in of=g bs=2 seek=3 count=1",
        "DD if=in of=x20 bs=2 seek=1 count=1 conv=notrunc",
        "DD if=in of=x20 bs=2 seek=1 count=1",
        "DD if=in of=x20 bs=2 seek=2 count=1 oflag=seek_bytes",
        "DD if=in seek=2 bs=10 count=1 > red",
        "DD if=in of=out oflag=append conv=notrunc && DD if=in of=out oflag=append conv=notrunc",
        "DD if=in skip=100000",
        "cat in | DD skip=100000",
        "cat in | DD skip=3 bs=100 count=2",
        "DD if=in of=o2 conv=fsync,fdatasync bs=7",
        "DD if=holes of=sp bs=2 conv=sparse && od -c sp",
        "DD if=bin of=sp bs=100 conv=sparse seek=3",
    ] {
        same(s);
    }
}

#[test]
fn converts_like_gnu() {
    for s in [
        "DD conv=block cbs=5 < lines",
        "DD conv=unblock cbs=5 < spaced",
        "DD conv=unblock cbs=5 < lines",
        "DD conv=block < lines",
        "DD conv=swab < lines",
        "DD conv=swab bs=3 < lines",
        "DD conv=swab ibs=3 obs=2 < in",
        "DD conv=unblock,ucase cbs=3 < lines",
        "DD conv=lcase < lines",
        "DD conv=ucase bs=4 < lines",
        "DD if=in ibs=100 conv=sync count=3",
        "DD if=lines bs=100 conv=sync,block cbs=4",
        "DD if=lines cbs=3 conv=block,sync ibs=5 obs=7",
        "DD if=in bs=1k conv=swab count=1",
    ] {
        same(s);
    }
}

#[test]
fn errors_like_gnu() {
    for s in [
        "DD foo",
        "DD foo=bar",
        "DD bs=x",
        "DD bs=0",
        "DD bs=-1",
        "DD count=99999999999999999999999",
        "DD bs=0x5 count=1",
        "DD conv=foo",
        "DD conv=lcase,ucase",
        "DD conv=excl,nocreat",
        "DD conv=block,unblock cbs=5",
        "DD iflag=foo",
        "DD oflag=fullblock",
        "DD status=foo",
        "DD -x",
        "DD --nope",
        "DD if=nope",
        "DD if=/",
        "DD if=in of=/dev/full",
        "DD if=in of=/dev/full bs=100",
        "DD if=in of=nonexist conv=nocreat",
        "DD if=in of=x20 conv=excl",
        "DD if=in seek=1 bs=10 count=1 | cat",
        "DD if=/ conv=noerror,sync count=2 | od -c",
    ] {
        same(s);
    }
}

/// A partial read followed by more data gets GNU's warning (bs= and count= without
/// iflag=fullblock); the second write comes only after the first read was seen.
#[test]
fn warns_about_partial_reads() {
    for (name, dd) in [("rbox", true), ("gnu", false)] {
        let mut cmd = if dd {
            let mut c = Command::new(rbox());
            c.arg("dd");
            c
        } else {
            Command::new("dd")
        };
        let mut child = cmd
            .args(["bs=10", "count=2"])
            .env("LC_ALL", "C")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut sin = child.stdin.take().unwrap();
        let mut sout = child.stdout.take().unwrap();
        sin.write_all(b"ab").unwrap();
        let mut got = [0u8; 2];
        std::io::Read::read_exact(&mut sout, &mut got).unwrap();
        sin.write_all(b"cd").unwrap();
        drop(sin);
        let o = child.wait_with_output().unwrap();
        let err = normalise(&o.stderr);
        assert_eq!(
            err,
            "dd: warning: partial read (2 bytes); suggest iflag=fullblock\n0+2 records in\n0+2 records out\n4 bytes copied, T, R\n",
            "{name}"
        );
    }
}

/// SIGUSR1 prints the statistics so far and the copy goes on.
#[test]
fn sigusr1_prints_statistics() {
    let mut child = Command::new(rbox())
        .args(["dd", "bs=3"])
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut sin = child.stdin.take().unwrap();
    let mut sout = child.stdout.take().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    sin.write_all(b"abc").unwrap();
    // Once the block is out, the handler is in place (it is set before the copy starts).
    let mut got = [0u8; 3];
    std::io::Read::read_exact(&mut sout, &mut got).unwrap();
    // SAFETY: kill takes numbers only.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGUSR1) }, 0);
    let mut line = || {
        let mut l = String::new();
        err.read_line(&mut l).unwrap();
        l
    };
    assert_eq!(line(), "1+0 records in\n");
    assert_eq!(line(), "1+0 records out\n");
    let l = line();
    assert!(l.starts_with("3 bytes copied, "), "{l}");
    sin.write_all(b"de").unwrap();
    drop(sin);
    assert!(child.wait().unwrap().success());
    assert_eq!(line(), "1+1 records in\n");
    assert_eq!(line(), "1+1 records out\n");
}

#[test]
fn speed_note_case_copies_everything() {
    // The README's speed case (bs=1M to /dev/null) copies all of it.
    let o = applet("dd")
        .args(["if=/dev/zero", "of=/dev/null", "bs=1M", "count=20"])
        .run();
    o.ok();
    assert!(o
        .err()
        .starts_with("20+0 records in\n20+0 records out\n20971520 bytes (21 MB, 20 MiB) copied, "));
}

#[test]
fn huge_block_sizes_like_gnu() {
    // These panicked on a capacity overflow or aborted on a failed allocation.
    for s in [
        "DD if=lines bs=9223372036854775807",
        "DD if=lines ibs=1 obs=9223372036854775807",
        "DD if=lines bs=9223372036854775806",
        "DD if=lines obs=4611686018427387904",
        "DD if=lines cbs=9223372036854775807 conv=unblock",
        // conv=block's padding is a stream of spaces for both; the pipe ends it.
        "DD if=lines cbs=9223372036854775807 conv=block 2>/dev/null | head -c 300000 | od -c",
    ] {
        same(s);
    }
}
