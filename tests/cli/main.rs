//! The one integration-test binary: runs the built rbox as a user would.
//! Each applet has its own module; `harness` holds the shared runner.

mod harness;

mod cat;
mod core;
#[cfg(all(
    feature = "cat",
    feature = "ls",
    feature = "sh",
    feature = "tar",
    feature = "wget"
))]
mod e2e;
mod image;
#[cfg(feature = "ls")]
mod ls;
#[cfg(feature = "sh")]
mod sh;
#[cfg(feature = "sh")]
mod sh_interactive;
#[cfg(feature = "tar")]
mod tar;
#[cfg(feature = "tar")]
mod tar_create;
#[cfg(feature = "tar")]
mod tar_opts;
#[cfg(feature = "wget")]
mod wget;
