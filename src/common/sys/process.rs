//! See the module list in `sys/mod.rs`.
