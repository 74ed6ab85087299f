//! The one integration-test binary: runs the built rbox as a user would.
//! Each applet has its own module; `harness` holds the shared runner.

mod harness;

mod cat;
mod core;
mod image;
#[cfg(feature = "ls")]
mod ls;
#[cfg(feature = "sh")]
mod sh;
#[cfg(feature = "tar")]
mod tar;
#[cfg(feature = "wget")]
mod wget;
