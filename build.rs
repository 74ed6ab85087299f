//! Link-time size measures for the static musl binary (figures in README, "Size and speed").
use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
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
