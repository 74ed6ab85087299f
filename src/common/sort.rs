//! One sort routine for the lists that are not on a hot path (shell listings and completions,
//! globs, envsubst's variables, cut's ranges, directory listings of adduser, diff's and unzip's
//! directories, find's test order, the regex engine's literal sets and DFA state sets).
//!
//! Each `sort_by` of a new element type or comparator puts another copy of the standard
//! library's sort in the binary (3 to 6 KB each). [`sort_by`] sorts positions (`u32`) through a
//! `dyn` comparator instead, so all its callers share one copy, then moves the elements into
//! place. The order is stable. Hot sorts (`sort`, `ls`, the tree walker, `find`) keep their own.

use std::cmp::Ordering;

/// Sort `v` by `cmp`, stable (equal elements keep their order).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut idx: Vec<u32> = (0..v.len() as u32).collect();
    positions(&mut idx, &mut |a, b| cmp(&v[a as usize], &v[b as usize]));
    // idx[k] is the old position of the element that goes to k; `to[i]` where old i goes.
    let mut to = vec![0u32; idx.len()];
    for (k, &i) in idx.iter().enumerate() {
        to[i as usize] = k as u32;
    }
    for i in 0..v.len() {
        while to[i] as usize != i {
            let j = to[i] as usize;
            v.swap(i, j);
            to.swap(i, j);
        }
    }
}

/// Sort `v` in its natural order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sort `u32`s in ascending order through the shared routine (the regex engine's state sets,
/// sorted once per new DFA state: its own copy of the standard library's sort took 3 KB).
pub fn sort_u32(v: &mut [u32]) {
    positions(v, &mut |a, b| a.cmp(&b));
}

/// The shared routine: positions ordered by `cmp`, ties by position (hence stable).
#[inline(never)]
fn positions(idx: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    idx.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_ordered() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e'), (2, 'f')];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(
            v,
            [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'f'), (3, 'a'), (3, 'c')]
        );
        let mut w: Vec<Vec<u8>> = ["b", "a", "c", "a"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        sort(&mut w);
        assert_eq!(
            w,
            [b"a".to_vec(), b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]
        );
        let mut big: Vec<u32> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        sort(&mut big);
        assert!(big.windows(2).all(|p| p[0] <= p[1]));
    }
}
