//! Sorting: GNU ls's comparators in the C locale (byte order), with its tie-breaks (by name),
//! `-r` reversing the whole comparison, and `--group-directories-first` applied before it.

use std::cmp::Ordering;

use super::dir::{Ent, List};
use super::opts::Sort;

/// Sort `order` (indices into `list.ents`).
pub fn sort(list: &List, order: &mut [u32], how: Sort, reverse: bool, dirs_first: bool) {
    if how == Sort::None {
        return;
    }
    let ents = &list.ents;
    let name = |e: &Ent| list.name(e);
    if how == Sort::Name && !dirs_first {
        // Fast path: sort by an 8-byte big-endian prefix, comparing whole names only on ties.
        let mut keyed: Vec<(u64, u32)> = order
            .iter()
            .map(|&i| {
                let n = name(&ents[i as usize]);
                let mut k = [0u8; 8];
                let l = n.len().min(8);
                k[..l].copy_from_slice(&n[..l]);
                (u64::from_be_bytes(k), i)
            })
            .collect();
        let cmp = |a: &(u64, u32), b: &(u64, u32)| {
            a.0.cmp(&b.0)
                .then_with(|| name(&ents[a.1 as usize]).cmp(name(&ents[b.1 as usize])))
        };
        keyed.sort_unstable_by(cmp);
        // Names in one listing are distinct (equal operands are the same entry), so the
        // reversed order is the reversed comparison: one sort routine for both.
        if reverse {
            keyed.reverse();
        }
        for (o, k) in order.iter_mut().zip(keyed) {
            *o = k.1;
        }
        return;
    }
    let base = |a: &Ent, b: &Ent| -> Ordering {
        let by_name = || name(a).cmp(name(b));
        match how {
            Sort::Name | Sort::None => by_name(),
            Sort::Time => (b.sec, b.nsec).cmp(&(a.sec, a.nsec)).then_with(by_name),
            Sort::Size => b.size.cmp(&a.size).then_with(by_name),
            Sort::Extension => extension(name(a))
                .cmp(extension(name(b)))
                .then_with(by_name),
            Sort::Version => filevercmp(name(a), name(b)).then_with(by_name),
            Sort::Width => a.width.cmp(&b.width).then_with(by_name),
        }
    };
    let full = |x: &u32, y: &u32| -> Ordering {
        let (a, b) = (&ents[*x as usize], &ents[*y as usize]);
        if dirs_first {
            let d = is_linked_dir(b).cmp(&is_linked_dir(a));
            if d != Ordering::Equal {
                return d;
            }
        }
        if reverse {
            base(b, a)
        } else {
            base(a, b)
        }
    };
    order.sort_unstable_by(full);
}

/// A directory, or a symlink to one (when its target was examined).
pub fn is_linked_dir(e: &Ent) -> bool {
    e.is_dir() || (e.link_ok && e.link_mode & libc::S_IFMT == libc::S_IFDIR)
}

fn extension(name: &[u8]) -> &[u8] {
    match memchr::memrchr(b'.', name) {
        Some(i) => &name[i..],
        None => b"",
    }
}

/// gnulib's file_prefixlen: the length without the suffix `(\.[A-Za-z~][A-Za-z0-9~]*)*$`.
fn prefix_len(s: &[u8]) -> usize {
    let n = s.len();
    let mut prefix = 0;
    let mut i = 0;
    loop {
        if i == n {
            return prefix;
        }
        i += 1;
        prefix = i;
        while i + 1 < n && s[i] == b'.' && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        }
    }
}

fn order(s: &[u8], pos: usize) -> i32 {
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

/// dpkg's verrevcmp as gnulib adapted it.
fn verrevcmp(a: &[u8], b: &[u8]) -> i32 {
    let (mut i, mut j) = (0usize, 0usize);
    while i < a.len() || j < b.len() {
        let mut first_diff = 0i32;
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a, i);
            let bc = order(b, j);
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

/// gnulib's filevercmp (2022): `.` and `..` first, then dot files, suffixes compared last.
pub fn filevercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return a.len().min(1).cmp(&b.len().min(1));
    }
    if a[0] == b'.' {
        if b[0] != b'.' {
            return Ordering::Less;
        }
        let (adot, bdot) = (a.len() == 1, b.len() == 1);
        if adot || bdot {
            return bdot.cmp(&adot);
        }
        let (add, bdd) = (a == b"..", b == b"..");
        if add || bdd {
            return bdd.cmp(&add);
        }
    } else if b[0] == b'.' {
        return Ordering::Greater;
    }
    let ap = prefix_len(a);
    let bp = prefix_len(b);
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
