//! `cut` against GNU cut as the oracle: same stdout, stderr and status.

use crate::harness::*;

fn fixture() -> TempDir {
    let d = TempDir::new("cut");
    d.write(
        "c1",
        b"a:b:c\nno\n:x:\nabcdefgh\n\xff\xfe:\x00z\n1:2:3:4:5:6",
    );
    d.write("t", "f1\tf2\tf3\nsolo\n");
    let big: String = (1..=30000).map(|i| format!("w{i} x{i} y{i}\n")).collect();
    d.write("big", big);
    d.write("a\nb", "x:y\n");
    std::fs::create_dir(d.join("dir")).unwrap();
    d
}

#[test]
fn options_match_gnu() {
    let d = fixture();
    for args in [
        &["-b", "1-2,4,5-", "--output-delimiter=:", "c1"][..],
        &["-d", ":", "-f", "2-", "--complement", "c1"],
        &["-c", "2", "-n", "c1"],
        &["-d:", "-f2", "-s", "c1"],
        &["-d:", "-f2", "c1"],
        &["-d:", "-f1,3", "c1"],
        &["-d:", "-f-2", "--output-delimiter=XY", "c1"],
        &["-c", "1,3,5-", "--output-delimiter=", "c1"],
        &["-d:", "-f", "1,3", "--output-delimiter=", "c1"],
        &["-b", "2-4,3-6", "c1"],
        &["-b", "1-3", "--complement", "c1"],
        &["-b", "1 3", "c1"],
        &["-z", "-b1", "c1"],
        &["-d", "", "-f2", "c1"],
        &["-f", "2", "t"],
        &["-f", "2", "-s", "t", "-", "t"],
        &["-d", " ", "-f2", "big"],
        &["--fields=1,3", "--delimiter= ", "big"],
        &["-d:", "-f", "1", "a\nb"],
    ] {
        same_as_gnu("cut", args, Some(b"in:put\nno delim"), d.path());
    }
}

#[test]
fn errors_match_gnu() {
    let d = fixture();
    for args in [
        &[][..],
        &["-b", "1", "-f", "1"],
        &["-d", ":", "-b", "1"],
        &["-s", "-b1"],
        &["-b", "0"],
        &["-b", "3-1"],
        &["-b", "-"],
        &["-b", "x"],
        &["-f", "99999999999999999999"],
        &["-b", "99999999999999999999"],
        &["-f", "1-2-3"],
        &["-f", "1,x,3"],
        &["-d", "ab", "-f1"],
        &["-b", ""],
        &["-f", "1", "dir", "c1", "nope"],
    ] {
        same_as_gnu("cut", args, None, d.path());
    }
}

#[test]
fn dev_full() {
    let d = fixture();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = applet("cut")
        .args(["-b1", "c1"])
        .cwd(d.path())
        .stdout_file(f)
        .run();
    o.code(1)
        .stderr_is("cut: write error: No space left on device\n");
}

/// A field delimiter equal to the line end (`-d $'\n'`, or NUL under `-z`): GNU reads the whole
/// input as one record whose fields are the lines; the final line end is no delimiter, save
/// for a one-line input whose first field is not selected.
#[test]
fn delimiter_is_the_line_end() {
    let d = TempDir::new("cut-nl");
    let inputs: [&[u8]; 8] = [
        b"one\ntwo\nthree\nfour\nfive\nsix\n",
        b"one\ntwo",
        b"solo\n",
        b"solo",
        b"",
        b"\n\n",
        b"a\n\nb\n",
        b"\n\nx",
    ];
    for input in inputs {
        for args in [
            &["-f", "2-3,5"][..],
            &["-f", "1"],
            &["-f", "9"],
            &["-s", "-f", "2"],
            &["-s", "-f", "1"],
            &["-f", "1,3", "--output-delimiter=::"],
            &["--complement", "-f", "2"],
        ] {
            let nl: Vec<&str> = ["-d", "\n"].iter().chain(args).copied().collect();
            same_as_gnu("cut", &nl, Some(input), d.path());
            let nul: Vec<u8> = input
                .iter()
                .map(|&b| if b == b'\n' { 0 } else { b })
                .collect();
            let z: Vec<&str> = ["-z", "-d", ""].iter().chain(args).copied().collect();
            same_as_gnu("cut", &z, Some(&nul), d.path());
        }
    }
}

/// Random lines of delimiters, letters and tabs (fields of every length around the 8-byte steps
/// the field search takes) cut with GNU's cut as the oracle.
#[test]
fn random_fields_as_gnu() {
    let mut seed = 11;
    let alphabet = b"ab: \n\t,x";
    for round in 0..200 {
        let len = (lcg(&mut seed) % 240) as usize;
        let data: Vec<u8> = (0..len)
            .map(|_| alphabet[(lcg(&mut seed) % alphabet.len() as u64) as usize])
            .collect();
        let d = [" ", ":", ",", "\t", "a"][round % 5];
        let f = ["1", "2", "3", "1,3", "2-", "-2", "1-3", "4-", "2,4-5", "9"][round % 10];
        let extra: &[&str] = match round % 4 {
            0 => &[],
            1 => &["-s"],
            2 => &["--output-delimiter=XY"],
            _ => &["--complement"],
        };
        let args = [&["-d", d, "-f", f][..], extra].concat();
        let o = applet("cut").args(&args).stdin(&data).run();
        o.same_as(&gnu("cut").args(&args).stdin(&data).run());
    }
}
