//! The one tree walker (see the module list in `common/mod.rs`).
