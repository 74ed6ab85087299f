//! The system layer: the only place in rbox that holds `unsafe`. Thin wrappers over `libc`
//! (measured against `nix` and `rustix`: see the README's "Dependencies"), each returning
//! `io::Result` with errno kept, taking and giving `OwnedFd`/`BorrowedFd`, and taking names as
//! bytes (file names are bytes: no UTF-8 on the way to the kernel).
//!
//! - [`fd`]: descriptors, paths as C strings, open/openat, read/write, pipes, dup, fcntl, stat.
//! - [`fs`]: directory-relative changes (mkdirat, unlinkat, renameat, links, owners, modes,
//!   times, device nodes), openat2 beneath a directory, holes.
//! - [`dir`]: getdents64 records from a directory descriptor.
//! - [`copy`]: kernel copies (copy_file_range, splice, sendfile) and the unaligned appends.
//! - [`process`]: fork, exec, wait, kill, process groups, resource limits, umask, times.
//! - [`signal`]: signal dispositions, masks, pending-signal flags.
//! - [`term`]: termios, foreground process group, window size.
//! - [`user`]: user and group ids, supplementary groups, host names.
//! - [`net`]: the socket options and polls wget needs beyond `std::net`.
//! - [`time`]: clocks (through std and `common::time` so far).

pub mod copy;
pub mod dir;
pub mod fd;
pub mod fs;
pub mod net;
pub mod process;
pub mod signal;
pub mod term;
pub mod time;
pub mod user;

pub use fd::{cwd, errno, BorrowedFd, OwnedFd, RawFd, Stat};
