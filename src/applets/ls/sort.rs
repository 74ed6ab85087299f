//! Sorting: GNU ls's comparators in the C locale (byte order), with its tie-breaks (by name),
//! `-r` reversing the whole comparison, and `--group-directories-first` applied before it.

use std::cmp::Ordering;

use super::dir::{Ent, List};
use super::opts::Sort;
use crate::common::vercmp::filevercmp;

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
