// What the three system-layer programs share: the command line and the signal flag.
use std::ffi::{CStr, CString};
use std::fmt::Display;
use std::sync::atomic::{AtomicI32, Ordering};

pub static GOT: AtomicI32 = AtomicI32::new(0);
pub extern "C" fn on_sig(s: i32) {
    GOT.store(s, Ordering::SeqCst);
}

type Step<E> = fn(&CStr, usize) -> Result<(), E>;

/// `PROG all|stat|dents DIR [N]`: every call once, N fstatat calls, or N directory reads.
pub fn main<E: Display>(all: fn(&CStr) -> Result<(), E>, stat: Step<E>, dents: Step<E>) {
    let a: Vec<String> = std::env::args().collect();
    let dir = CString::new(a[2].clone()).unwrap();
    let n: usize = a.get(3).map(|s| s.parse().unwrap()).unwrap_or(1);
    let r = match a[1].as_str() {
        "all" => all(&dir),
        "stat" => stat(&dir, n),
        _ => dents(&dir, n),
    };
    if let Err(e) = r {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
