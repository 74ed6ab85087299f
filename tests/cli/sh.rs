//! `sh` integration tests.

#[allow(unused_imports)]
use crate::harness::*;
