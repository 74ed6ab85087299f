//! Version order: gnulib's `filevercmp` (dpkg's `verrevcmp` on names with their suffixes
//! set apart), the one comparison behind `sort -V` and `ls -v`.

use std::cmp::Ordering;

/// gnulib's file_prefixlen: the length without a suffix matching `(\.[A-Za-z~][A-Za-z0-9~]*)*$`.
fn file_prefixlen(s: &[u8]) -> usize {
    // As coreutils 9.1's gnulib: a suffix may start at the first byte (the leading-dot cases
    // are settled before).
    let n = s.len();
    let mut prefixlen = 0;
    let mut i = 0;
    while i < n {
        if i + 1 < n && s[i] == b'.' && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        } else {
            i += 1;
            prefixlen = i;
        }
    }
    prefixlen
}

fn vorder(s: &[u8], pos: usize) -> i32 {
    if pos == s.len() {
        return -1;
    }
    let c = s[pos];
    if c.is_ascii_digit() {
        0
    } else if c.is_ascii_alphabetic() {
        c as i32
    } else if c == b'~' {
        -2
    } else {
        c as i32 + 256
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> i32 {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let mut first_diff = 0;
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = vorder(a, i);
            let bc = vorder(b, j);
            if ac != bc {
                return ac - bc;
            }
            i += 1;
            j += 1;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        while i < a.len() && j < b.len() && a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            if first_diff == 0 {
                first_diff = a[i] as i32 - b[j] as i32;
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return -1;
        }
        if first_diff != 0 {
            return first_diff;
        }
    }
    0
}

/// gnulib's filevercmp as in coreutils 9.1: `.` and `..` first, then dot files, suffixes
/// compared last (`sort -V`, `ls -v`).
pub fn filevercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() {
        return if b.is_empty() {
            Ordering::Equal
        } else {
            Ordering::Less
        };
    }
    if b.is_empty() {
        return Ordering::Greater;
    }
    if a[0] == b'.' {
        if b[0] != b'.' {
            return Ordering::Less;
        }
        let (ad, bd) = (a.len() == 1, b.len() == 1);
        if ad {
            return if bd { Ordering::Equal } else { Ordering::Less };
        }
        if bd {
            return Ordering::Greater;
        }
        let add = a[1] == b'.' && a.len() == 2;
        let bdd = b[1] == b'.' && b.len() == 2;
        if add {
            return if bdd { Ordering::Equal } else { Ordering::Less };
        }
        if bdd {
            return Ordering::Greater;
        }
    } else if b[0] == b'.' {
        return Ordering::Greater;
    }
    let ap = file_prefixlen(a);
    let bp = file_prefixlen(b);
    let one_pass = ap == a.len() && bp == b.len();
    let r = verrevcmp(&a[..ap], &b[..bp]);
    let r = if r != 0 || one_pass {
        r
    } else {
        verrevcmp(a, b)
    };
    r.cmp(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_order() {
        let mut v: Vec<&[u8]> = vec![
            b"a10",
            b"a2",
            b"a1",
            b"a1.tar.gz",
            b"a1.tar",
            b".",
            b"..",
            b".x",
            b"a~",
            b"a",
            b"b1.2.10",
            b"b1.2.9",
            b"a01",
        ];
        v.sort_by(|a, b| filevercmp(a, b).then(a.cmp(b)));
        let expect: Vec<&[u8]> = vec![
            b".",
            b"..",
            b".x",
            b"a~",
            b"a",
            b"a01",
            b"a1",
            b"a1.tar",
            b"a1.tar.gz",
            b"a2",
            b"a10",
            b"b1.2.9",
            b"b1.2.10",
        ];
        assert_eq!(v, expect);
    }
}
