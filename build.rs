//! Link-time size measures for the static musl binary (figures in README, "Size and speed").
use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    help_texts();
    if env::var_os("CARGO_FEATURE_WGET").is_some() {
        builtin_roots();
    }
    println!("cargo:rerun-if-changed=link/no-eh-frame.ld");
    // Tests that need root as a whole (chroot, namespaces, other users) are marked
    // `#[cfg_attr(rbox_unprivileged, ignore = ...)]`: built by another user they show as
    // `ignored` in cargo's summary instead of `ok` for a test that did nothing. The effective
    // uid cannot be tracked; a build by another user normally has its own target directory, and
    // a change of USER reruns this script.
    println!("cargo:rustc-check-cfg=cfg(rbox_unprivileged)");
    println!("cargo:rerun-if-env-changed=USER");
    if effective_uid().is_some_and(|u| u != 0) {
        println!("cargo:rustc-cfg=rbox_unprivileged");
    }
    if env::var("CARGO_CFG_TARGET_ENV").as_deref() != Ok("musl") {
        return;
    }
    // Static PIE keeps ASLR, but its ~4,000 relative relocations cost 24 bytes each in .rela.dyn
    // (~95 KB). RELR packs them into a bitmap of ~1 KB; musl >= 1.2.4 applies RELR when it
    // relocates itself at start-up (Rust ships 1.2.5), GNU ld >= 2.38 and lld write it.
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    // Unwind tables are dead weight when panics abort, as the release profile makes them (build
    // scripts cannot see the profile's `panic` setting, only its name); debug and test builds
    // unwind and keep them.
    if env::var("PROFILE").as_deref() == Ok("release") {
        let dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
        let script = format!("{dir}/link/no-eh-frame.ld");
        println!("cargo:rustc-link-arg-bins=-Wl,-T,{script}");
        // The start-up path of the everyday commands at the front of the code, so that a run
        // maps a few contiguous pages instead of most of the text (benches/startup-order.sh
        // generates the list and says why).
        println!("cargo:rerun-if-changed=link/startup-order.ld");
        println!("cargo:rustc-link-arg-bins=-Wl,-T,{dir}/link/startup-order.ld");
    }
}

/// The effective uid of the build, from /proc/self/status (`Uid: real effective saved fs`).
fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Collect every `help_text!("...")` literal under `src/` into `$OUT_DIR/help.rs`: a table of
/// (key, offset, length) and one blob of all texts, raw deflate when zlib-rs is linked
/// (`src/common/help.rs` says why; the macro there checks at compile time that each text's key
/// is in the table).
fn help_texts() {
    println!("cargo:rerun-if-changed=src");
    let mut files = Vec::new();
    rust_files(std::path::Path::new("src"), &mut files);
    files.sort();
    let mut texts: Vec<(u64, Vec<u8>)> = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("source file");
        for t in help_literals(&src, f) {
            let k = fnv(&t);
            if !texts.iter().any(|(k2, _)| *k2 == k) {
                texts.push((k, t));
            }
        }
    }
    let mut raw = Vec::new();
    let mut index = String::new();
    for (k, t) in &texts {
        index.push_str(&format!("    ({k:#x}, {}, {}),\n", raw.len(), t.len()));
        raw.extend_from_slice(t);
    }
    let out = std::path::PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let blob = packed(&raw);
    std::fs::write(out.join("help.bin"), &blob).expect("write help.bin");
    let code = format!(
        "/// (key, offset, length) of each text in the unpacked blob ({} bytes).\n\
         pub const INDEX: [(u64, u32, u32); {}] = [\n{index}];\n\
         pub static BLOB: [u8; {}] = *include_bytes!(concat!(env!(\"OUT_DIR\"), \"/help.bin\"));\n",
        raw.len(),
        texts.len(),
        blob.len()
    );
    std::fs::write(out.join("help.rs"), code).expect("write help.rs");
}

/// wget's built-in trust anchors (Mozilla's, from webpki-roots) as one blob in
/// `$OUT_DIR/roots.rs`, deflated like the help texts: 54 KB of names and keys in 44 KB, and no
/// 120-entry table of slices (8.6 KB). Each anchor: subject, public key info and name
/// constraints, each a little-endian u16 length and the bytes (length 0xffff: none).
fn builtin_roots() {
    let mut raw = Vec::new();
    for a in webpki_roots::TLS_SERVER_ROOTS {
        let parts = [Some(&a.subject[..]), Some(&a.subject_public_key_info[..])];
        for part in parts.into_iter().chain([a.name_constraints.as_deref()]) {
            match part {
                Some(b) => {
                    let n = u16::try_from(b.len()).expect("root part under 64 KB");
                    assert!(n != u16::MAX);
                    raw.extend_from_slice(&n.to_le_bytes());
                    raw.extend_from_slice(b);
                }
                None => raw.extend_from_slice(&u16::MAX.to_le_bytes()),
            }
        }
    }
    let blob = packed(&raw);
    let out = std::path::PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("roots.bin"), &blob).expect("write roots.bin");
    let code = format!(
        "/// Unpacked size of [`ROOTS`].\n\
         pub const ROOTS_LEN: usize = {};\n\
         pub static ROOTS: [u8; {}] = *include_bytes!(concat!(env!(\"OUT_DIR\"), \"/roots.bin\"));\n",
        raw.len(),
        blob.len()
    );
    std::fs::write(out.join("roots.rs"), code).expect("write roots.rs");
}

/// Raw deflate at the best level when the binary links zlib-rs (`tar-gzip`) to inflate it
/// again (`common::packed`), else the bytes as they are.
fn packed(raw: &[u8]) -> Vec<u8> {
    if env::var_os("CARGO_FEATURE_TAR_GZIP").is_none() {
        return raw.to_vec();
    }
    let mut z = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(raw.len() + 1024);
    let status = z
        .compress_vec(raw, &mut out, flate2::FlushCompress::Finish)
        .expect("deflate");
    assert!(
        status == flate2::Status::StreamEnd && z.total_in() as usize == raw.len(),
        "deflate stopped early"
    );
    out
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// FNV-1a, as `common::help::key`.
fn fnv(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The string literals given to `help_text!(` in `src` (outside `//` comments), read as rustc
/// reads them.
fn help_literals(src: &str, file: &std::path::Path) -> Vec<Vec<u8>> {
    const MARK: &str = "help_text!(";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find(MARK) {
        let at = from + i;
        from = at + MARK.len();
        let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
        if src[line_start..at].trim_start().starts_with("//") {
            continue;
        }
        let rest = src[from..].trim_start();
        match literal(rest) {
            Some(t) => found.push(t),
            None => panic!("{}: help_text! needs one string literal", file.display()),
        }
    }
    found
}

/// The value of the Rust string literal at the start of `s` (plain or raw).
fn literal(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.first() == Some(&b'r') {
        let hashes = b[1..].iter().take_while(|&&c| c == b'#').count();
        if b.get(1 + hashes) != Some(&b'"') {
            return None;
        }
        let body = &s[2 + hashes..];
        let end = format!("\"{}", "#".repeat(hashes));
        return body.find(&end).map(|e| body.as_bytes()[..e].to_vec());
    }
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut out = Vec::new();
    let mut chars = s[1..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push(b'\n'),
                'r' => out.push(b'\r'),
                't' => out.push(b'\t'),
                '0' => out.push(0),
                '\\' => out.push(b'\\'),
                '\'' => out.push(b'\''),
                '"' => out.push(b'"'),
                'x' => {
                    let h: String = [chars.next()?, chars.next()?].iter().collect();
                    out.push(u8::from_str_radix(&h, 16).ok()?);
                }
                'u' => {
                    chars.next()?; // '{'
                    let mut h = String::new();
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                        h.push(c);
                    }
                    let c = char::from_u32(u32::from_str_radix(&h.replace('_', ""), 16).ok()?)?;
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                '\n' | '\r' => {
                    while chars
                        .peek()
                        .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                    {
                        chars.next();
                    }
                }
                _ => return None,
            },
            '\r' if chars.peek() == Some(&'\n') => {}
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    None
}
