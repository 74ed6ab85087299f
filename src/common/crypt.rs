//! crypt(3)'s password hashes as /etc/shadow holds them, for chpasswd: SHA-512-crypt (`$6$`)
//! and SHA-256-crypt (`$5$`) after Ulrich Drepper's published specification, and MD5-crypt
//! (`$1$`, Poul-Henning Kamp's). SHA-2 comes from ring (as for the checksum applets), MD5 from
//! [`digest`](super::digest). Checked against `openssl passwd -6/-5/-1` (tests/cli/chpasswd.rs).

use super::digest::{Algo, Hasher};
use crate::common::io::push_fmt;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    Md5,
    Sha256,
    Sha512,
}

const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The default and the bounds of `rounds=` (glibc's).
pub const ROUNDS_DEFAULT: u32 = 5000;
const ROUNDS_MIN: u32 = 1000;
const ROUNDS_MAX: u32 = 999_999_999;

/// One digest over several pieces.
enum H {
    Sha(ring::digest::Context),
    Md5(Hasher),
}

impl H {
    fn new(m: Method) -> H {
        match m {
            Method::Md5 => H::Md5(Hasher::new(Algo::Md5)),
            Method::Sha256 => H::Sha(ring::digest::Context::new(&ring::digest::SHA256)),
            Method::Sha512 => H::Sha(ring::digest::Context::new(&ring::digest::SHA512)),
        }
    }
    fn add(&mut self, d: &[u8]) {
        match self {
            H::Sha(c) => c.update(d),
            H::Md5(h) => h.update(d),
        }
    }
    fn done(self) -> Vec<u8> {
        match self {
            H::Sha(c) => c.finish().as_ref().to_vec(),
            H::Md5(h) => h.finish(),
        }
    }
}

/// `n` characters of crypt's base 64 from the 24-bit number `w`, low bits first.
fn b64(out: &mut Vec<u8>, mut w: u32, n: usize) {
    for _ in 0..n {
        out.push(ITOA64[(w & 63) as usize]);
        w >>= 6;
    }
}

/// `len` bytes of `d` repeated.
fn repeat(d: &[u8], len: usize) -> Vec<u8> {
    d.iter().copied().cycle().take(len).collect()
}

/// The salt as it is used: up to the first `$`, at most 16 bytes (8 for MD5).
fn clip_salt(salt: &[u8], max: usize) -> &[u8] {
    let s = &salt[..salt.iter().position(|&c| c == b'$').unwrap_or(salt.len())];
    &s[..s.len().min(max)]
}

/// SHA-crypt of `key` with `salt` and `rounds` (None: the default, not written out).
fn sha_crypt(m: Method, key: &[u8], salt: &[u8], rounds: Option<u32>) -> Vec<u8> {
    let salt = clip_salt(salt, 16);
    let r = rounds.map_or(ROUNDS_DEFAULT, |r| r.clamp(ROUNDS_MIN, ROUNDS_MAX));
    let mut h = H::new(m);
    h.add(key);
    h.add(salt);
    h.add(key);
    let b = h.done();
    let n = b.len();
    let mut h = H::new(m);
    h.add(key);
    h.add(salt);
    h.add(&repeat(&b, key.len()));
    let mut l = key.len();
    while l > 0 {
        h.add(if l & 1 == 1 { &b } else { key });
        l >>= 1;
    }
    let a = h.done();
    let mut h = H::new(m);
    for _ in 0..key.len() {
        h.add(key);
    }
    let p = repeat(&h.done(), key.len());
    let mut h = H::new(m);
    for _ in 0..16 + a[0] as usize {
        h.add(salt);
    }
    let s = repeat(&h.done(), salt.len());
    let mut c = a;
    for i in 0..r {
        let mut h = H::new(m);
        h.add(if i & 1 == 1 { &p } else { &c });
        if i % 3 != 0 {
            h.add(&s);
        }
        if i % 7 != 0 {
            h.add(&p);
        }
        h.add(if i & 1 == 1 { &c } else { &p });
        c = h.done();
    }
    let mut out = if m == Method::Sha512 {
        b"$6$".to_vec()
    } else {
        b"$5$".to_vec()
    };
    if let Some(_r) = rounds {
        push_fmt(&mut out, format_args!("rounds={r}$"));
    }
    out.extend_from_slice(salt);
    out.push(b'$');
    // The digest's bytes in the specification's order: groups of three taken at a stride
    // of a third of the digest, the leftover byte(s) last.
    let groups = n / 3;
    let stride = if n == 64 { 22 } else { 21 };
    let modn = groups * 3;
    for g in 0..groups {
        let i = (g * stride) % modn;
        let (x, y, z) = (i, (i + groups) % modn, (i + 2 * groups) % modn);
        b64(
            &mut out,
            (c[x] as u32) << 16 | (c[y] as u32) << 8 | c[z] as u32,
            4,
        );
    }
    if n == 64 {
        b64(&mut out, c[63] as u32, 2);
    } else {
        b64(&mut out, (c[31] as u32) << 8 | c[30] as u32, 3);
    }
    out
}

/// MD5-crypt of `key` with `salt` (at most 8 bytes used).
fn md5_crypt(key: &[u8], salt: &[u8]) -> Vec<u8> {
    let salt = clip_salt(salt, 8);
    let mut h = H::new(Method::Md5);
    h.add(key);
    h.add(salt);
    h.add(key);
    let alt = h.done();
    let mut h = H::new(Method::Md5);
    h.add(key);
    h.add(b"$1$");
    h.add(salt);
    h.add(&repeat(&alt, key.len()));
    let mut l = key.len();
    while l > 0 {
        h.add(if l & 1 == 1 { &[0] } else { &key[..1] });
        l >>= 1;
    }
    let mut f = h.done();
    for i in 0..1000 {
        let mut h = H::new(Method::Md5);
        h.add(if i & 1 == 1 { key } else { &f });
        if i % 3 != 0 {
            h.add(salt);
        }
        if i % 7 != 0 {
            h.add(key);
        }
        h.add(if i & 1 == 1 { &f } else { key });
        f = h.done();
    }
    let mut out = b"$1$".to_vec();
    out.extend_from_slice(salt);
    out.push(b'$');
    for i in 0..5 {
        let j = if i == 4 { 5 } else { i + 12 };
        b64(
            &mut out,
            (f[i] as u32) << 16 | (f[i + 6] as u32) << 8 | f[j] as u32,
            4,
        );
    }
    b64(&mut out, f[11] as u32, 2);
    out
}

/// The hash of `key` with `salt` (the bare salt characters, no `$1$`/`rounds=`).
pub fn crypt(m: Method, key: &[u8], salt: &[u8], rounds: Option<u32>) -> Vec<u8> {
    match m {
        Method::Md5 => md5_crypt(key, salt),
        _ => sha_crypt(m, key, salt, rounds),
    }
}

/// A fresh salt from getrandom(2): 16 characters (8 for MD5), as shadow makes them.
pub fn salt(m: Method) -> std::io::Result<Vec<u8>> {
    let mut r = [0u8; 16];
    super::sys::net::getrandom(&mut r)?;
    let n = if m == Method::Md5 { 8 } else { 16 };
    Ok(r[..n].iter().map(|&b| ITOA64[(b & 63) as usize]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drepper_vectors() {
        // From the specification's test list.
        assert_eq!(
            crypt(Method::Sha512, b"Hello world!", b"saltstring", None),
            b"$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1".to_vec()
        );
        assert_eq!(
            crypt(Method::Sha256, b"Hello world!", b"saltstring", None),
            b"$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5".to_vec()
        );
        assert_eq!(
            crypt(Method::Sha512, b"Hello world!", b"saltstringsaltstring", Some(10000)),
            b"$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.".to_vec()
        );
        assert_eq!(
            crypt(
                Method::Sha256,
                b"we have a short salt string but not a short password",
                b"short",
                Some(77777)
            ),
            b"$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/".to_vec()
        );
        assert_eq!(
            crypt(Method::Sha512, b"the minimum number is still observed", b"roundstoolow", Some(10)),
            b"$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.".to_vec()
        );
        assert_eq!(
            crypt(Method::Md5, b"password", b"saltsalt", None),
            b"$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/".to_vec()
        );
    }

    /// Every key length around the digest sizes, salts long and short, against OpenSSL.
    #[test]
    fn matches_openssl() {
        if !std::path::Path::new("/usr/bin/openssl").exists() {
            return;
        }
        let keys: Vec<Vec<u8>> = (0..=140)
            .step_by(7)
            .chain([15, 16, 17, 31, 32, 33, 63, 64, 65, 255])
            .map(|n| (0..n).map(|i| b"pw!x$:\xff"[i % 7]).collect())
            .collect();
        for (m, flag) in [
            (Method::Sha512, "-6"),
            (Method::Sha256, "-5"),
            (Method::Md5, "-1"),
        ] {
            for (k, salt) in keys.iter().zip(
                ["a", "salt.sa/t", "0123456789abcdefXYZ", "Q"]
                    .iter()
                    .cycle(),
            ) {
                let rounds =
                    (k.len() % 3 == 0 && m != Method::Md5).then_some(1000 + k.len() as u32);
                let s = match rounds {
                    Some(r) => format!("rounds={r}${salt}"),
                    None => salt.to_string(),
                };
                let o = std::process::Command::new("openssl")
                    .args(["passwd", flag, "-salt", &s, "-stdin"])
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .and_then(|mut c| {
                        use std::io::Write;
                        c.stdin
                            .take()
                            .unwrap()
                            .write_all(&[k.as_slice(), b"\n"].concat())?;
                        c.wait_with_output()
                    })
                    .unwrap();
                let want = String::from_utf8(o.stdout).unwrap();
                if k.is_empty() {
                    continue; // openssl -stdin reads no empty line
                }
                assert_eq!(
                    String::from_utf8(crypt(m, k, salt.as_bytes(), rounds)).unwrap(),
                    want.trim_end(),
                    "{m:?} key of {} salt {salt}",
                    k.len()
                );
            }
        }
    }
}
