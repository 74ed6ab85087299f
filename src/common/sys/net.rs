//! What wget needs beyond `std::net` (sockets, connections and their timeouts come from std):
//! the kernel's random bytes for TLS.

use std::io;

use super::fd::{cvt_size, retry};

/// getrandom(2) into all of `buf` (blocking until the pool is initialised), retried on EINTR
/// and short counts.
pub fn getrandom(mut buf: &mut [u8]) -> io::Result<()> {
    while !buf.is_empty() {
        let n = retry(|| {
            // SAFETY: getrandom writes at most buf.len() bytes into buf.
            cvt_size(unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) })
        })?;
        buf = &mut buf[n..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn getrandom_fills() {
        let mut a = [0u8; 64];
        let mut b = [0u8; 64];
        super::getrandom(&mut a).unwrap();
        super::getrandom(&mut b).unwrap();
        assert_ne!(a, b);
    }
}
