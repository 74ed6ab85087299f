use std::sync::atomic::{AtomicBool, Ordering};

/// Whether fd 0 was closed when the process started (`cat <&-`).
static STDIN_CLOSED: AtomicBool = AtomicBool::new(false);

/// Runs from `.init_array`, before Rust's runtime start-up reopens a closed fd 0, 1 or 2 on
/// /dev/null: it records whether stdin was closed, so that `main` can make it behave closed
/// again and `cat <&-` reports `cat: -: Bad file descriptor` as GNU does instead of reading an
/// empty file. (Stdout and stderr keep std's /dev/null: a file opened later must never become
/// fd 2 and receive error messages.) It also records whether SIGPIPE came ignored, which the
/// runtime's start-up overwrites.
extern "C" fn record_start_state() {
    STDIN_CLOSED.store(!rbox::common::sys::fd::is_open(0), Ordering::Relaxed);
    rbox::common::sys::signal::record_sigpipe_at_start();
}

#[used]
#[link_section = ".init_array"]
static RECORD_START_STATE: extern "C" fn() = record_start_state;

/// Stdin was closed: hold fd 0 with an `O_PATH` descriptor, close-on-exec. Reading it fails with
/// EBADF as a closed descriptor would, yet the slot stays taken, so a file an applet opens later
/// never becomes fd 0 and is read as `-` (`cmp - FILE <&-`); programs we exec see fd 0 closed,
/// as it was given to us. Without /dev/null (a bare scratch root) fd 0 is simply closed.
fn reclose_stdin() {
    use rbox::common::sys::fd;
    use std::os::fd::IntoRawFd;
    let _ = fd::close_raw(0);
    if let Ok(f) = fd::open(b"/dev/null", libc::O_PATH | libc::O_CLOEXEC, 0) {
        if std::os::fd::AsRawFd::as_raw_fd(&f) == 0 {
            let _ = f.into_raw_fd();
        }
    }
}

#[global_allocator]
static ALLOC: rbox::common::sys::alloc::Rbox = rbox::common::sys::alloc::Rbox::new();

fn main() {
    if STDIN_CLOSED.load(Ordering::Relaxed) {
        reclose_stdin();
    }
    let status = rbox::multicall::run(std::env::args_os().collect());
    std::process::exit(status);
}

/// The unwinder's entry points, for builds where nothing can unwind.
///
/// With `panic = "abort"` (the release profile) no exception is ever raised, yet the prebuilt
/// std still refers to the unwinder: its landing pads call `_Unwind_Resume`, and the default
/// panic hook walks the stack with `_Unwind_Backtrace` to print RUST_BACKTRACE's trace. Those
/// references drag in LLVM's libunwind, and through the trace callback the DWARF reader, symbol
/// demangler and decompressor that symbolise frames: ~265 KB of the static binary. Defined here
/// (Rust code, so fat LTO sees the bodies), the trace finds no frame, the symbolisation code
/// becomes unreachable, and libunwind.a contributes nothing. A panic still prints its message and
/// aborts; RUST_BACKTRACE=1 prints an empty trace. The functions that take an unwind context
/// cannot be reached (only the unwinder creates contexts), so they abort.
#[cfg(all(panic = "abort", target_env = "musl"))]
mod no_unwinder {
    use std::ffi::{c_int, c_void};
    use std::process::abort;

    type Context = *mut c_void;
    type TraceFn = extern "C" fn(Context, *mut c_void) -> c_int;
    const END_OF_STACK: c_int = 5;

    #[no_mangle]
    extern "C" fn _Unwind_Backtrace(_trace: TraceFn, _arg: *mut c_void) -> c_int {
        END_OF_STACK
    }
    #[no_mangle]
    extern "C" fn _Unwind_Resume(_exception: *mut c_void) -> ! {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_GetIP(_c: Context) -> usize {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_GetIPInfo(_c: Context, _before_insn: *mut c_int) -> usize {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_GetLanguageSpecificData(_c: Context) -> *mut c_void {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_GetRegionStart(_c: Context) -> usize {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_GetTextRelBase(_c: Context) -> usize {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_GetDataRelBase(_c: Context) -> usize {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_SetGR(_c: Context, _reg: c_int, _value: usize) {
        abort()
    }
    #[no_mangle]
    extern "C" fn _Unwind_SetIP(_c: Context, _value: usize) {
        abort()
    }
}

/// musl's `pthread_setname_np`, which std calls when a named thread starts (tar's codec
/// threads), formats `/proc/self/task/TID/comm` with `snprintf` for the case of naming another
/// thread: that links musl's whole `printf` (its core, floating-point formatting and stdio
/// plumbing, 8 KB) into a binary that never prints through it. std only ever names the thread
/// it is running on: one `prctl`, as musl does it (a name over 15 bytes is `ERANGE` as there);
/// another thread gets `ESRCH`.
#[cfg(target_env = "musl")]
mod thread_name {
    use std::ffi::{c_char, c_int};

    #[no_mangle]
    extern "C" fn pthread_setname_np(thread: libc::pthread_t, name: *const c_char) -> c_int {
        // SAFETY: pthread_self has no preconditions.
        if thread != unsafe { libc::pthread_self() } {
            return libc::ESRCH;
        }
        // SAFETY: the caller passes a NUL-terminated name; strnlen reads at most 16 bytes.
        if unsafe { libc::strnlen(name, 16) } > 15 {
            return libc::ERANGE;
        }
        // SAFETY: as above; PR_SET_NAME reads the name up to its NUL, at most 16 bytes.
        match unsafe { libc::prctl(libc::PR_SET_NAME, name) } {
            0 => 0,
            _ => std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EINVAL),
        }
    }
}
