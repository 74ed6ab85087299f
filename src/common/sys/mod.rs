//! The system layer: the only place in rbox that holds `unsafe`. Thin wrappers over `libc`
//! (measured against `nix` and `rustix`: see the README's "Dependencies"), each returning
//! `io::Result` with errno kept, taking and giving `OwnedFd`/`BorrowedFd`, and taking names as
//! bytes (file names are bytes: no UTF-8 on the way to the kernel).
//!
//! - [`alloc`]: the global allocator (size classes over musl's malloc).
//! - [`fd`]: descriptors, paths as C strings, open/openat, read/write, pipes, dup, fcntl, stat.
//! - [`fs`]: directory-relative changes (mkdirat, unlinkat, renameat, links, owners, modes,
//!   times, device nodes, symlink targets), openat2 beneath a directory, holes, statx, xattrs.
//! - [`dir`]: getdents64 records from a directory descriptor.
//! - [`map`]: a regular file read through a read-only mapping (SIGBUS from a shrinking file
//!   handled).
//! - [`copy`]: kernel copies (copy_file_range, splice, sendfile) and the unaligned appends.
//! - [`process`]: fork, exec, wait, kill, sessions, process groups and the terminal's
//!   foreground group, resource limits, umask, times.
//! - [`signal`]: signal dispositions and names.
//! - [`term`]: termios, window size, ptys, waiting for input, the SIGWINCH flag (the foreground
//!   process group is [`process`]'s).
//! - [`user`]: user and group ids, supplementary groups, access checks, uname and host name.
//! - [`net`]: what wget needs beyond `std::net` (getrandom for TLS).
//! - [`sha`]: the CPU's SHA instructions (SHA-NI) for SHA-1 and SHA-256 rounds.
//! - [`time`]: clocks (through std and `common::time` so far).
//! - [`float`]: decimal text to floating point (the C library's `strtod`).
//! - [`strs`]: two short static strings packed for large tables (the option tables).

pub mod alloc;
pub mod copy;
pub mod dir;
pub mod fd;
pub mod float;
pub mod fs;
pub mod map;
pub mod net;
pub mod process;
pub mod sha;
pub mod signal;
pub mod strs;
pub mod term;
pub mod time;
pub mod user;

pub use fd::{cwd, errno, BorrowedFd, OwnedFd, RawFd, Stat};
