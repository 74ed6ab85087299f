//! Shell variables: a hash map from name to value and attributes, with a fast non-cryptographic
//! hasher (names are short and trusted), plus the save stack that `local` uses.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: a few instructions per byte, good enough for short variable names.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf29ce484222325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        self.0 = h;
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

#[derive(Clone, Default, Debug)]
pub struct Var {
    pub val: Option<Vec<u8>>,
    pub exported: bool,
    pub readonly: bool,
}

#[derive(Default)]
pub struct Vars {
    pub map: FastMap<Vec<u8>, Var>,
    /// Bumped when an exported variable changes, so the environment block can be cached.
    pub env_gen: u64,
    /// One frame per active function call: variables to restore when it returns.
    pub frames: Vec<Vec<(Vec<u8>, Option<Var>)>>,
}

#[allow(clippy::result_unit_err)]
impl Vars {
    #[inline]
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.map.get(name).and_then(|v| v.val.as_deref())
    }

    pub fn var(&self, name: &[u8]) -> Option<&Var> {
        self.map.get(name)
    }

    /// Set a value; Err when the variable is read-only.
    #[inline]
    pub fn set(&mut self, name: &[u8], val: &[u8], export: bool) -> Result<(), ()> {
        if let Some(v) = self.map.get_mut(name) {
            if v.readonly {
                return Err(());
            }
            match &mut v.val {
                Some(old) => {
                    old.clear();
                    old.extend_from_slice(val);
                }
                None => v.val = Some(val.to_vec()),
            }
            if export {
                v.exported = true;
            }
            if v.exported {
                self.env_gen += 1;
            }
            return Ok(());
        }
        self.map.insert(
            name.to_vec(),
            Var {
                val: Some(val.to_vec()),
                exported: export,
                readonly: false,
            },
        );
        if export {
            self.env_gen += 1;
        }
        Ok(())
    }

    pub fn unset(&mut self, name: &[u8]) -> Result<(), ()> {
        if let Some(v) = self.map.get(name) {
            if v.readonly {
                return Err(());
            }
            if v.exported {
                self.env_gen += 1;
            }
            if self.frames.is_empty() {
                self.map.remove(name);
            } else if let Some(v) = self.map.get_mut(name) {
                // Keep the entry so a `local` restore still finds it; just drop the value.
                v.val = None;
                v.exported = false;
            }
        }
        Ok(())
    }

    pub fn export(&mut self, name: &[u8]) {
        self.map.entry(name.to_vec()).or_default().exported = true;
        self.env_gen += 1;
    }

    /// `export -n name` (BusyBox ash, bash): the variable stays, no longer exported.
    pub fn unexport(&mut self, name: &[u8]) {
        if let Some(v) = self.map.get_mut(name) {
            v.exported = false;
            self.env_gen += 1;
        }
    }

    pub fn readonly(&mut self, name: &[u8]) {
        self.map.entry(name.to_vec()).or_default().readonly = true;
    }

    /// `local name`: remember the current state to restore at function return; false when
    /// the name is already local to this call.
    pub fn make_local(&mut self, name: &[u8]) -> bool {
        let Some(frame) = self.frames.last_mut() else {
            return false;
        };
        if frame.iter().any(|(n, _)| n == name) {
            return false;
        }
        let old = self.map.get(name).cloned();
        frame.push((name.to_vec(), old));
        true
    }

    pub fn push_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    pub fn pop_frame(&mut self) {
        if let Some(frame) = self.frames.pop() {
            for (name, old) in frame.into_iter().rev() {
                if self.map.get(&name).is_some_and(|v| v.exported)
                    || old.as_ref().is_some_and(|v| v.exported)
                {
                    self.env_gen += 1;
                }
                match old {
                    Some(v) => {
                        self.map.insert(name, v);
                    }
                    None => {
                        self.map.remove(&name);
                    }
                }
            }
        }
    }

    /// `NAME=value` strings of the exported variables, sorted.
    pub fn environ(&self) -> Vec<Vec<u8>> {
        let mut v: Vec<Vec<u8>> = self
            .map
            .iter()
            .filter(|(_, v)| v.exported && v.val.is_some())
            .map(|(k, v)| {
                let mut s = k.clone();
                s.push(b'=');
                s.extend_from_slice(v.val.as_deref().unwrap_or(b""));
                s
            })
            .collect();
        crate::common::sort::sort(&mut v);
        v
    }
}
