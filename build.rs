//! Link-time size measures for the static musl binary (figures in README, "Size and speed").
use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link/no-eh-frame.ld");
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
        let script = format!(
            "{}/link/no-eh-frame.ld",
            env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")
        );
        println!("cargo:rustc-link-arg-bins=-Wl,-T,{script}");
    }
}
