//! GNU's backups of replaced destinations (cp, mv, ln, install): `--backup[=CONTROL]`, `-b`,
//! `-S/--suffix`, `VERSION_CONTROL`, `SIMPLE_BACKUP_SUFFIX`, as gnulib's backupfile and
//! xget_version decide them. A backup is the old destination renamed aside, never a copy.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use super::args::{argmatch, Matches, Opt};
use super::quote::quote_always;
use super::sys::{dir, fs as sfs};
use super::{Ctx, Result};

/// The option table entries every backing-up applet adds to its own (ids `backup`, `suffix`).
pub const OPTS: [Opt; 3] = [
    Opt::optional("backup", None, Some("backup")),
    Opt::flag("backup", Some(b'b'), None),
    Opt::arg("suffix", Some(b'S'), Some("suffix")),
];

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind {
    None,
    Simple,
    /// Numbered where numbered backups of the name exist, else simple.
    Existing,
    Numbered,
}

/// argmatch's table, in GNU's order (its "Valid arguments" list).
static KINDS: &[(&str, Kind)] = &[
    ("none", Kind::None),
    ("off", Kind::None),
    ("simple", Kind::Simple),
    ("never", Kind::Simple),
    ("existing", Kind::Existing),
    ("nil", Kind::Existing),
    ("numbered", Kind::Numbered),
    ("t", Kind::Numbered),
];

/// How destinations are backed up.
#[derive(Clone, Debug)]
pub struct Backup {
    pub kind: Kind,
    pub suffix: Vec<u8>,
}

/// GNU's control words for the backup type; empty (or unset) is `existing`.
pub fn kind_of(ctx: &mut Ctx, context: &str, v: &[u8]) -> Result<Kind> {
    if v.is_empty() {
        return Ok(Kind::Existing);
    }
    argmatch(ctx, context, v, KINDS, 1)
}

/// Whether `--backup`, `-b` or `-S` was given (even `--backup=none`).
pub fn requested(m: &Matches) -> bool {
    m.opts
        .iter()
        .any(|(id, _)| *id == "backup" || *id == "suffix")
}

/// The backup settings from the parsed options (`--backup`, `-b`, `-S` in `m`) and the
/// environment; None when no backups are made. `-S` alone asks for backups, as GNU's.
pub fn from_matches(ctx: &mut Ctx, m: &Matches) -> Result<Option<Backup>> {
    let (mut on, mut control, mut suffix) = (false, None, None);
    for (id, v) in &m.opts {
        match *id {
            "backup" => {
                on = true;
                if let Some(v) = v {
                    control = Some(v.as_bytes().to_vec());
                }
            }
            "suffix" => {
                on = true;
                suffix = v.as_ref().map(|v| v.as_bytes().to_vec());
            }
            _ => {}
        }
    }
    if !on {
        return Ok(None);
    }
    let kind = match control.filter(|c| !c.is_empty()) {
        Some(c) => kind_of(ctx, "backup type", &c)?,
        None => {
            let env = std::env::var_os("VERSION_CONTROL");
            kind_of(
                ctx,
                "$VERSION_CONTROL",
                env.as_deref().map_or(b"", |e| e.as_bytes()),
            )?
        }
    };
    if kind == Kind::None {
        return Ok(None);
    }
    let suffix = suffix
        .or_else(|| std::env::var_os("SIMPLE_BACKUP_SUFFIX").map(|s| s.as_bytes().to_vec()))
        .unwrap_or_default();
    Ok(Some(Backup {
        kind,
        suffix: valid_suffix(suffix),
    }))
}

/// gnulib takes `~` for an empty suffix or one with a slash (it would leave the directory).
fn valid_suffix(s: Vec<u8>) -> Vec<u8> {
    if s.is_empty() || s.contains(&b'/') {
        b"~".to_vec()
    } else {
        s
    }
}

/// N when `name` is `BASE.~N~` (N without leading zeros), as gnulib counts backups.
fn backup_number(base: &[u8], name: &[u8]) -> Option<u64> {
    let digits = name
        .strip_prefix(base)?
        .strip_prefix(b".~")?
        .strip_suffix(b"~")?;
    if !digits.first().is_some_and(|&c| (b'1'..=b'9').contains(&c)) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

impl Backup {
    /// The backup name of `name` (relative to `dir`, any directory part kept), and whether it
    /// is numbered (made without replacing anything).
    pub fn name_for(&self, dirfd: BorrowedFd, name: &[u8]) -> (Vec<u8>, bool) {
        // `mv -T --backup C E/`: the backup of `E/` is `E.~1~` beside it, not inside it.
        let mut len = name.len();
        while len > 1 && name[len - 1] == b'/' {
            len -= 1;
        }
        let name = &name[..len];
        let dl = name.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
        let base = &name[dl..];
        let mut out = name.to_vec();
        if self.kind != Kind::Simple {
            let parent: &[u8] = if dl == 0 { b"." } else { &name[..dl] };
            let mut top = 0;
            if let Ok(fd) = dir::open_dir(dirfd, parent, true) {
                let mut buf = dir::DirBuf::with_size(32 * 1024);
                let _ = dir::read_dir(fd.as_fd(), &mut buf, |e| {
                    top = top.max(backup_number(base, e.name).unwrap_or(0));
                });
            }
            if top > 0 || self.kind == Kind::Numbered {
                out.extend_from_slice(b".~");
                super::num::push_u64(&mut out, top + 1);
                out.push(b'~');
                return (out, true);
            }
        }
        out.extend_from_slice(&self.suffix);
        (out, false)
    }

    /// Renames the existing `name` (relative to `dir`) to its backup name and returns that
    /// name; None if there was nothing to back up.
    pub fn make(&self, dirfd: BorrowedFd, name: &[u8]) -> io::Result<Option<Vec<u8>>> {
        loop {
            let (to, numbered) = self.name_for(dirfd, name);
            let r = if numbered {
                sfs::renameat2(dirfd, name, dirfd, &to, libc::RENAME_NOREPLACE)
            } else {
                sfs::renameat(dirfd, name, dirfd, &to)
            };
            match r {
                Ok(()) => return Ok(Some(to)),
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Ok(None),
                // Another numbered backup appeared meanwhile: count again.
                Err(e) if numbered && e.raw_os_error() == Some(libc::EEXIST) => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Backup {
    /// Whether backing up `name` (relative to `dirfd`; `path` for messages) would take the
    /// entry of `src` (`cp -b a~ a`): GNU refuses, the source would be lost.
    pub fn takes_source(&self, dirfd: BorrowedFd, name: &[u8], path: &[u8], src: &[u8]) -> bool {
        let (to, numbered) = self.name_for(dirfd, name);
        !numbered && super::fs::same_entry(src, &path_of(path, name, &to))
    }
}

/// The backup path of `path` when its last part `name` was backed up as `backup`.
pub fn path_of(path: &[u8], name: &[u8], backup: &[u8]) -> Vec<u8> {
    let mut p = path[..path.len() - name.len().min(path.len())].to_vec();
    p.extend_from_slice(backup);
    p
}

/// The `-v` tail of cp, mv and install: ` (backup: 'a~')`.
pub fn verbose_tail(backup: &[u8]) -> Vec<u8> {
    let mut t = b" (backup: ".to_vec();
    t.extend_from_slice(&quote_always(backup));
    t.push(b')');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highest<'a>(base: &[u8], names: impl Iterator<Item = &'a [u8]>) -> u64 {
        names
            .filter_map(|n| backup_number(base, n))
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn highest_numbered() {
        let names: [&[u8]; 6] = [
            b"a.~1~", b"a.~12~", b"a.~03~", b"ab.~40~", b"a.~7", b"a.~2~",
        ];
        assert_eq!(highest(b"a", names.iter().copied()), 12);
        assert_eq!(highest(b"b", names.iter().copied()), 0);
    }

    #[test]
    fn suffix_rules() {
        assert_eq!(valid_suffix(b"".to_vec()), b"~");
        assert_eq!(valid_suffix(b"x/y".to_vec()), b"~");
        assert_eq!(valid_suffix(b".orig".to_vec()), b".orig");
    }
}
