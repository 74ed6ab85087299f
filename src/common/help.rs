//! `--help` texts, stored compressed: together they are ~130 KB of text that a run needs only
//! when `--help` is asked for.
//!
//! An applet writes its text where it always did, wrapped in [`help_text!`]:
//!
//! ```ignore
//! use crate::common::help::{help_text, Help};
//! pub const USAGE: Help = help_text!("\
//! Usage: frob [OPTION]... [FILE]...
//! ");
//! ```
//!
//! The macro keeps only a 64-bit key (FNV-1a of the text, computed at compile time), so the
//! literal itself is not in the binary. `build.rs` finds every `help_text!("...")` under `src/`,
//! reads the literal as rustc does, and stores all texts as one raw deflate stream (one stream:
//! the texts share their words, 133 KB → 32 KB) with a table of keys; a text the build script
//! missed, or read differently, is a compile error (the key must be in that table). Builds
//! without zlib-rs (no `tar-gzip` feature) store the texts as they are. [`Help::bytes`]
//! inflates the stream up to the end of the text asked for (~0.3 ms for the last one).

/// One `--help` text: a key into the table `build.rs` writes, or (for the few texts a macro
/// assembles, which the build script cannot read) the text itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Help {
    Packed(u64),
    Plain(&'static str),
    /// A packed text whose bytes 1, 2, ... stand for these words (texts that differ only by a
    /// few words: the checksum applets, chown and chgrp).
    Filled(u64, &'static [&'static str]),
}

mod table {
    include!(concat!(env!("OUT_DIR"), "/help.rs"));
}

/// FNV-1a over the text's bytes: the key both the macro and `build.rs` compute.
pub const fn key(text: &str) -> u64 {
    let b = text.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// Whether `build.rs` stored a text with this key (checked at compile time by the macro).
pub const fn known(k: u64) -> bool {
    let mut i = 0;
    while i < table::INDEX.len() {
        if table::INDEX[i].0 == k {
            return true;
        }
        i += 1;
    }
    false
}

/// A help text from its literal; only the key is kept (see the module's documentation).
/// (Builds with only applets that have no help text of this kind, e.g. `sh` or `nc` alone,
/// leave it unused.)
#[allow(unused_macros)]
macro_rules! help_text {
    ($text:literal) => {
        $crate::common::help::Help::new({
            const K: u64 = $crate::common::help::key($text);
            const _: () = assert!(
                $crate::common::help::known(K),
                "build.rs did not store this help text"
            );
            K
        })
    };
}
#[allow(unused_imports)]
pub(crate) use help_text;

impl Help {
    pub const fn new(k: u64) -> Help {
        Help::Packed(k)
    }

    /// A text kept as it is.
    pub const fn plain(text: &'static str) -> Help {
        Help::Plain(text)
    }

    /// This packed text with byte `i` (1 to 8) replaced by `words[i - 1]`.
    pub const fn fill(self, words: &'static [&'static str]) -> Help {
        match self {
            Help::Packed(k) => Help::Filled(k, words),
            _ => panic!("fill() is for a help_text!"),
        }
    }

    /// The text's bytes.
    pub fn bytes(self) -> Vec<u8> {
        let k = match self {
            Help::Packed(k) => k,
            Help::Plain(t) => return t.as_bytes().to_vec(),
            Help::Filled(k, words) => {
                let mut out = Vec::new();
                for &b in &Help::Packed(k).bytes() {
                    match words.get((b as usize).wrapping_sub(1)) {
                        Some(w) if b <= 8 => out.extend_from_slice(w.as_bytes()),
                        _ => out.push(b),
                    }
                }
                return out;
            }
        };
        let Some(&(_, off, len)) = table::INDEX.iter().find(|e| e.0 == k) else {
            return Vec::new();
        };
        let (off, len) = (off as usize, len as usize);
        let mut all = unpack(off + len);
        all.drain(..off.min(all.len()));
        all
    }

    /// The text (it was a `&str` literal).
    pub fn text(self) -> String {
        String::from_utf8(self.bytes()).unwrap_or_default()
    }
}

/// The first `n` bytes of all texts.
fn unpack(n: usize) -> Vec<u8> {
    super::packed::unpack(&table::BLOB, n)
}
