//! The fuzz targets of `fuzz/` (cargo-fuzz, nightly only) on stable: every body in
//! `rbox::fuzz::TARGETS` has its one-line target file and `[[bin]]`, and runs without a panic
//! over its seed corpus and deterministic mutations of it (a short, repeatable stand-in for a
//! campaign; the applets' own `fuzz_one` corpus tests go deeper).

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed corpus of each target (also what the README passes to `cargo fuzz run`).
fn corpus_dir(target: &str) -> Option<PathBuf> {
    let d = match target {
        "sh_parse" | "sh_expand" => "sh",
        "tar_reader" => "tar",
        "http_response" => "wget",
        "ls_colors" => "ls",
        "regex" => "regex",
        "sed_script" => "sed",
        "awk_program" => "awk",
        _ => return None,
    };
    Some(root().join("tests/data").join(d).join("corpus"))
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = vec![Vec::new(), vec![0], vec![0xff; 3]];
    if let Some(d) = corpus_dir(target) {
        let mut names: Vec<_> = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        v.extend(names.iter().map(|p| std::fs::read(p).unwrap()));
    }
    if target == "line_editor" {
        v.push(b"\x50echo hi\x1b[D\x1b[D\x7f\x01\x05\t\x12ec\x1b[A\r".to_vec());
        v.push(b"\x08\x17\x0b\x19\x1bb\x1bf\x15abc\x03".to_vec());
    }
    v
}

/// xorshift: the same mutations on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn mutate(r: &mut Rng, s: &[u8]) -> Vec<u8> {
    let mut v = s.to_vec();
    for _ in 0..=r.next() % 4 {
        let at = if v.is_empty() {
            0
        } else {
            (r.next() as usize) % v.len()
        };
        match r.next() % 5 {
            0 if !v.is_empty() => v[at] = r.next() as u8,
            1 => {
                const SPECIAL: &[u8] = b"\\$(){}[]*?|&;<>\"'`\n\x00#:=%~^.+/";
                v.insert(at, SPECIAL[(r.next() as usize) % SPECIAL.len()]);
            }
            2 if !v.is_empty() => {
                v.remove(at);
            }
            3 if !v.is_empty() => {
                let end = (at + 1 + (r.next() as usize) % 16).min(v.len());
                let piece = v[at..end].to_vec();
                v.splice(at..at, piece);
            }
            _ => v.truncate(at),
        }
    }
    v
}

#[test]
fn every_target_has_its_file_and_bin() {
    let toml = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    assert!(
        toml.contains("\n[workspace]\n"),
        "fuzz/ must be its own workspace"
    );
    let mut names: Vec<&str> = rbox::fuzz::TARGETS.iter().map(|t| t.0).collect();
    for name in &names {
        let f = root().join(format!("fuzz/fuzz_targets/{name}.rs"));
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(
            text.contains(&format!("rbox::fuzz::{name}(data)")),
            "{} must call rbox::fuzz::{name}",
            f.display()
        );
        assert!(
            toml.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "fuzz/Cargo.toml lacks the [[bin]] {name}"
        );
    }
    // No stale target file (with every feature on, the default build, all are listed).
    let mut files: Vec<String> = std::fs::read_dir(root().join("fuzz/fuzz_targets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace(".rs", ""))
        .collect();
    files.sort();
    names.sort();
    if names.len() == 9 {
        assert_eq!(files, names);
    }
}

#[test]
fn every_target_survives_its_corpus_and_mutations() {
    for &(name, body) in rbox::fuzz::TARGETS {
        let seeds = seeds(name);
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        // The shell corpus is large: fewer mutations per seed there.
        let per = if seeds.len() > 100 { 1 } else { 40 };
        for s in &seeds {
            body(s);
            for _ in 0..per {
                body(&mutate(&mut r, s));
            }
        }
    }
}
