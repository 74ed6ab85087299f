//! rbox: a BusyBox-style multi-call binary. The library holds the dispatcher, the shared helpers
//! and the applets so that the shell can run any applet in-process or in a forked child.

pub mod common;
pub mod multicall;

pub mod applets;

/// The fuzz targets' bodies (`fuzz/`, cargo-fuzz); `cargo test` runs them over their corpora.
#[doc(hidden)]
pub mod fuzz;
