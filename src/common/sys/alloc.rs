//! The global allocator: size classes for small blocks over musl's malloc.
//!
//! musl's mallocng favours returning memory to the system over speed: in the shell's loops
//! (`while [ $i -lt N ]; do i=$((i+1)); done`) a quarter of the time went to its slot
//! bookkeeping and an mmap/munmap pair every hundred iterations. Rust tells `dealloc` the size
//! of the block, so small blocks need no header: each size class keeps a free list threaded
//! through its free blocks, refilled from 64 KiB chunks taken from musl (whose pages the kernel
//! maps only when first written). Blocks over 1 KiB, or aligned over 16 bytes, go to musl as
//! before. Small blocks are reused, never returned to the system: the processes are short-lived
//! or, like an interactive shell, reuse what they free.
//!
//! One lock (a spin flag, uncontended: rbox's threads are a compressor beside tar's main
//! thread, awk's interpreter and sort's workers) guards the lists.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr::{self, null_mut};
use std::sync::atomic::{AtomicBool, Ordering};

/// Largest size served from the classes.
const MAX_SMALL: usize = 1024;
/// Chunk carved into blocks when a class's list is empty.
const CHUNK: usize = 64 * 1024;
/// Classes: 16-byte steps up to 128, then four per power of two up to 1 KiB.
const CLASSES: usize = 8 + 3 * 4;

/// The class of a size (1..=MAX_SMALL) and its block size.
#[inline]
fn class_of(size: usize) -> usize {
    CLASS_OF_BAND[(size - 1) >> 4] as usize
}

/// Every class boundary is a multiple of 16, so a 16-byte band of sizes has one class: a
/// lookup instead of the arithmetic, inlined at every allocation and free.
const CLASS_OF_BAND: [u8; MAX_SMALL / 16] = {
    let mut t = [0u8; MAX_SMALL / 16];
    let mut band = 0;
    while band < t.len() {
        t[band] = class_by_arithmetic(band * 16 + 16) as u8;
        band += 1;
    }
    t
};

const fn class_by_arithmetic(size: usize) -> usize {
    if size <= 128 {
        size.div_ceil(16) - 1
    } else {
        // 129..=1024: power-of-two group g (128 < 2^k <= 1024) split in quarters.
        let s = size - 1;
        let k = usize::BITS - s.leading_zeros(); // 2^(k-1) <= s < 2^k, k in 8..=10
        let quarter = (s >> (k - 3)) & 3;
        8 + (k as usize - 8) * 4 + quarter
    }
}

#[inline]
fn class_size(c: usize) -> usize {
    if c < 8 {
        (c + 1) * 16
    } else {
        let g = (c - 8) / 4; // 0: 129..256, 1: 257..512, 2: 513..1024
        let q = (c - 8) % 4;
        let base = 128usize << g;
        base + (q + 1) * (base / 4)
    }
}

struct State {
    free: [*mut u8; CLASSES],
    bump: *mut u8,
    end: *mut u8,
}

/// The allocator installed by `main` (see there).
pub struct Rbox {
    lock: AtomicBool,
    state: UnsafeCell<State>,
}

// SAFETY: `state` is only touched with `lock` held.
unsafe impl Sync for Rbox {}

impl Rbox {
    pub const fn new() -> Rbox {
        Rbox {
            lock: AtomicBool::new(false),
            state: UnsafeCell::new(State {
                free: [null_mut(); CLASSES],
                bump: null_mut(),
                end: null_mut(),
            }),
        }
    }

    #[inline]
    fn lock(&self) {
        while self
            .lock
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
    }

    #[inline]
    fn unlock(&self) {
        self.lock.store(false, Ordering::Release);
    }

    /// A block of class `c`, or null when the system has no memory.
    #[inline]
    unsafe fn small_alloc(&self, c: usize) -> *mut u8 {
        self.lock();
        // SAFETY: the lock is held.
        let st = unsafe { &mut *self.state.get() };
        let head = st.free[c];
        if head.is_null() {
            self.unlock();
            // SAFETY: forwarded.
            return unsafe { self.carve(c) };
        }
        // SAFETY: a free block holds the next free block's address in its first word.
        st.free[c] = unsafe { ptr::read(head as *mut *mut u8) };
        self.unlock();
        head
    }

    /// A new block of class `c` from the current chunk (or a new one), when its free list is
    /// empty: out of line, so that each inlined allocation carries only the list's pop.
    #[cold]
    #[inline(never)]
    unsafe fn carve(&self, c: usize) -> *mut u8 {
        self.lock();
        // SAFETY: the lock is held.
        let st = unsafe { &mut *self.state.get() };
        let size = class_size(c);
        if (st.end as usize) - (st.bump as usize) < size {
            // The rest of the old chunk is left unused (under 1 KiB of 64).
            // SAFETY: a valid, non-zero layout.
            let chunk = unsafe { System.alloc(Layout::from_size_align_unchecked(CHUNK, 16)) };
            if chunk.is_null() {
                self.unlock();
                return null_mut();
            }
            st.bump = chunk;
            // SAFETY: within the chunk just allocated.
            st.end = unsafe { chunk.add(CHUNK) };
        }
        let p = st.bump;
        // SAFETY: size <= end - bump.
        st.bump = unsafe { p.add(size) };
        self.unlock();
        p
    }
}

impl Default for Rbox {
    fn default() -> Self {
        Rbox::new()
    }
}

#[inline]
fn small(layout: &Layout) -> bool {
    layout.size() <= MAX_SMALL && layout.align() <= 16 && layout.size() != 0
}

// SAFETY: blocks of a class are at least the requested size, 16-byte aligned (chunks are, and
// class sizes are multiples of 16), handed out once until freed; the rest is musl's malloc.
unsafe impl GlobalAlloc for Rbox {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if small(&layout) {
            // SAFETY: see the impl.
            unsafe { self.small_alloc(class_of(layout.size())) }
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { System.alloc(layout) }
        }
    }

    /// Large blocks go to musl's calloc, which skips clearing memory that is fresh from mmap:
    /// the default (alloc, then memset) would touch every page of a 128 KiB I/O buffer that a
    /// short `cat` never fills, 32 page faults at each start.
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if small(&layout) {
            // SAFETY: see the impl.
            let p = unsafe { self.small_alloc(class_of(layout.size())) };
            if !p.is_null() {
                // SAFETY: the block holds at least layout.size() bytes.
                unsafe { ptr::write_bytes(p, 0, layout.size()) };
            }
            p
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if small(&layout) {
            let c = class_of(layout.size());
            self.lock();
            // SAFETY: the lock is held; `p` is a block of class `c` the caller gives back.
            unsafe {
                let st = &mut *self.state.get();
                ptr::write(p as *mut *mut u8, st.free[c]);
                st.free[c] = p;
            }
            self.unlock();
        } else {
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { System.dealloc(p, layout) }
        }
    }

    #[inline]
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_small = small(&layout);
        // SAFETY: the caller guarantees new_size with layout's alignment is a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let new_small = small(&new_layout);
        if !old_small && !new_small {
            // SAFETY: forwarded with the caller's guarantees.
            return unsafe { System.realloc(p, layout, new_size) };
        }
        if old_small && new_small && class_of(layout.size()) == class_of(new_size) {
            return p;
        }
        // SAFETY: a valid layout (see above).
        let q = unsafe { self.alloc(new_layout) };
        if !q.is_null() {
            // SAFETY: both blocks hold at least the smaller size; distinct blocks.
            unsafe {
                ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
                self.dealloc(p, layout);
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_every_small_size() {
        let mut last = 0;
        for s in 1..=MAX_SMALL {
            let c = class_of(s);
            assert_eq!(c, class_by_arithmetic(s), "size {s}");
            assert!(c < CLASSES, "size {s}");
            assert!(class_size(c) >= s, "size {s} class {c}");
            assert_eq!(class_size(c) % 16, 0);
            assert!(c >= last);
            last = c;
            if s > 16 {
                // No class is more than a quarter (or 16 bytes) larger than needed.
                assert!(class_size(c) - s < (s / 4).max(16), "size {s}");
            }
        }
        assert_eq!(class_of(MAX_SMALL), CLASSES - 1);
    }

    #[test]
    fn blocks_are_distinct_aligned_and_reused() {
        let a = Rbox::new();
        let mut v = Vec::new();
        for i in 1..3000usize {
            let l = Layout::from_size_align(i % 1100 + 1, 8).unwrap();
            // SAFETY: a valid layout; every block is freed below with it.
            let p = unsafe { a.alloc(l) };
            assert!(!p.is_null());
            assert_eq!(p as usize % 8, 0);
            // SAFETY: the block holds l.size() bytes.
            unsafe { ptr::write_bytes(p, (i % 251) as u8, l.size()) };
            v.push((p, l, (i % 251) as u8));
        }
        for &(p, l, b) in &v {
            // SAFETY: reading back what was written.
            let s = unsafe { std::slice::from_raw_parts(p, l.size()) };
            assert!(s.iter().all(|&x| x == b), "a block was overwritten");
        }
        let freed = v.last().unwrap().0;
        let l = v.last().unwrap().1;
        for (p, l, _) in v.drain(..) {
            // SAFETY: allocated above with this layout.
            unsafe { a.dealloc(p, l) };
        }
        // The last block freed is the first one handed out again for its class.
        // SAFETY: a valid layout.
        assert_eq!(unsafe { a.alloc(l) }, freed);
    }

    #[test]
    fn realloc_keeps_contents_across_classes_and_to_musl() {
        let a = Rbox::new();
        let mut l = Layout::from_size_align(10, 1).unwrap();
        // SAFETY: valid layouts throughout; the block is freed at the end.
        unsafe {
            let mut p = a.alloc(l);
            for i in 0..10 {
                *p.add(i) = i as u8;
            }
            for n in [12, 100, 700, 5000, 300, 20] {
                p = a.realloc(p, l, n);
                assert!(!p.is_null());
                let keep = l.size().min(n).min(10);
                for i in 0..keep {
                    assert_eq!(*p.add(i), i as u8, "after realloc to {n}");
                }
                l = Layout::from_size_align(n, 1).unwrap();
            }
            a.dealloc(p, l);
        }
    }

    #[test]
    fn zeroed_blocks_read_zero_even_when_reused() {
        let a = Rbox::new();
        for size in [1usize, 24, 1000, MAX_SMALL + 1, 200_000] {
            let l = Layout::from_size_align(size, 8).unwrap();
            // SAFETY: valid layouts; each block is written, freed, and the zeroed one read.
            unsafe {
                let p = a.alloc(l);
                ptr::write_bytes(p, 0xa5, size);
                a.dealloc(p, l);
                let q = a.alloc_zeroed(l);
                assert!(!q.is_null());
                let s = std::slice::from_raw_parts(q, size);
                assert!(s.iter().all(|&x| x == 0), "size {size}");
                a.dealloc(q, l);
            }
        }
    }
}
