//! Paths as bytes: the one canonicalizer (`readlink -f/-e/-m`, `realpath`, `ln -r`), the
//! relative path between two canonical paths, and lexical normalisation.
//!
//! [`canonicalize`] follows gnulib's `canonicalize_filename_mode`: a relative name starts from
//! the working directory; components are taken left to right, `.` dropped, `..` removing the
//! previous component (after the symlinks before it were resolved), each symlink's target
//! spliced in front of what is left (an absolute target restarts at `/`), at most 40 symlinks
//! (ELOOP after). [`Missing`] says which components must exist.

use std::io;
use std::os::unix::ffi::OsStrExt;

use super::sys::fd::{self as sfd};
use super::sys::fs as sfs;

/// Which components must exist.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Missing {
    /// Every component (`readlink -e`, `realpath -e`).
    None,
    /// All but the last (`readlink -f`, `realpath`).
    Last,
    /// Any may be missing (`readlink -m`, `realpath -m`); a file in the middle is fine too.
    Any,
}

const MAX_LINKS: usize = 40;

/// The working directory as getcwd(3) gives it.
pub fn cwd() -> io::Result<Vec<u8>> {
    std::env::current_dir().map(|p| p.as_os_str().as_bytes().to_vec())
}

/// Whether `p` is an absolute name of the working directory (the device and inode of `.`):
/// an inherited `$PWD` the shell keeps, and what `pwd -L` prints.
pub fn names_cwd(p: &[u8]) -> bool {
    p.first() == Some(&b'/')
        && sfd::stat(p)
            .ok()
            .zip(sfd::stat(b".").ok())
            .is_some_and(|(a, b)| a.st_dev == b.st_dev && a.st_ino == b.st_ino)
}

/// Pops the last component of an absolute path (`/` stays `/`).
fn pop(out: &mut Vec<u8>) {
    while out.len() > 1 && out.last() != Some(&b'/') {
        out.pop();
    }
    if out.len() > 1 {
        out.pop();
    }
}

/// The absolute canonical form of `name`. `links`: resolve symlinks (false: `realpath -s`, a
/// lexical result; only [`Missing::None`] then checks, through symlinks, that each exists).
pub fn canonicalize(name: &[u8], missing: Missing, links: bool) -> io::Result<Vec<u8>> {
    if name.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::ENOENT));
    }
    let mut out: Vec<u8> = if name[0] == b'/' {
        b"/".to_vec()
    } else {
        cwd()?
    };
    // What is left to resolve, in reverse component order for cheap splicing.
    let mut rest: Vec<Vec<u8>> = comps_marked(name);
    rest.reverse();
    let mut nlinks = 0;
    let mut buf = Vec::new();
    while let Some(c) = rest.pop() {
        // `.` and the mark of a trailing slash: nothing to add.
        if c == b"." || c.is_empty() {
            continue;
        }
        if c == b".." {
            pop(&mut out);
            continue;
        }
        let before = out.len();
        if out.len() > 1 {
            out.push(b'/');
        }
        out.extend_from_slice(&c);
        // Only trailing slashes may follow a missing last component (gnulib's rule).
        let last = rest.iter().all(|r| r.is_empty());
        if !links && missing != Missing::None {
            // Without links nothing need be looked at (gnulib's CAN_NOLINKS), but an existing
            // name with more after it must still be a directory (`realpath -s file/` fails).
            if missing == Missing::Last && !rest.is_empty() {
                if let Ok(st) = sfd::stat(&out) {
                    if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
                        return Err(io::Error::from_raw_os_error(libc::ENOTDIR));
                    }
                }
            }
            continue;
        }
        let st = match if links {
            sfd::lstat(&out)
        } else {
            sfd::stat(&out)
        } {
            Ok(st) => st,
            Err(e) => {
                let ok = match missing {
                    Missing::None => false,
                    Missing::Last => last && e.raw_os_error() == Some(libc::ENOENT),
                    Missing::Any => true,
                };
                if ok {
                    continue;
                }
                return Err(e);
            }
        };
        let fmt = st.st_mode & libc::S_IFMT;
        if links && fmt == libc::S_IFLNK {
            nlinks += 1;
            if nlinks > MAX_LINKS {
                return Err(io::Error::from_raw_os_error(libc::ELOOP));
            }
            sfs::readlinkat_into(sfd::cwd(), &out, &mut buf)?;
            out.truncate(before);
            if out.is_empty() {
                out.push(b'/');
            }
            if buf.first() == Some(&b'/') {
                out.clear();
                out.push(b'/');
            }
            let mut t = comps_marked(&buf);
            t.reverse();
            rest.extend(t);
            // A link whose target ends in `/` still names a directory: nothing more to do.
            continue;
        }
        // Anything after it, even `.` or a trailing slash, needs a directory (gnulib's rule:
        // `readlink -f file/` fails as GNU's, and so does a link to `file/`).
        if fmt != libc::S_IFDIR && !rest.is_empty() && missing != Missing::Any {
            return Err(io::Error::from_raw_os_error(libc::ENOTDIR));
        }
    }
    Ok(out)
}

/// The components of a path (empty ones dropped).
fn comps(p: &[u8]) -> Vec<Vec<u8>> {
    p.split(|&c| c == b'/')
        .filter(|c| !c.is_empty())
        .map(|c| c.to_vec())
        .collect()
}

/// [`comps`], and an empty one last for a trailing slash after a name: what it names must be
/// a directory.
fn comps_marked(p: &[u8]) -> Vec<Vec<u8>> {
    let mut v = comps(p);
    if p.ends_with(b"/") && !v.is_empty() {
        v.push(Vec::new());
    }
    v
}

/// `name` made absolute (from the working directory) with `.`, `..` and repeated slashes
/// resolved lexically, symlinks not looked at (`realpath -s`, the first step of `-L`).
pub fn absolute_lexical(name: &[u8]) -> io::Result<Vec<u8>> {
    let mut out: Vec<u8> = if name.first() == Some(&b'/') {
        b"/".to_vec()
    } else {
        cwd()?
    };
    for c in name.split(|&c| c == b'/') {
        match c {
            b"" | b"." => {}
            b".." => pop(&mut out),
            c => {
                if out.len() > 1 {
                    out.push(b'/');
                }
                out.extend_from_slice(c);
            }
        }
    }
    Ok(out)
}

/// Whether canonical `prefix` is `path` or one of its ancestors, component-wise
/// (`/a` is a prefix of `/a/b`, not of `/ab`).
pub fn is_prefix(prefix: &[u8], path: &[u8]) -> bool {
    if prefix == b"/" {
        return path.first() == Some(&b'/');
    }
    path.starts_with(prefix) && (path.len() == prefix.len() || path[prefix.len()] == b'/')
}

/// The relative path from directory `from` to `to`, both canonical absolute paths:
/// `relative(b"/a/b", b"/a/c/d")` is `../c/d`; the same path gives `.`.
pub fn relative(from: &[u8], to: &[u8]) -> Vec<u8> {
    let f = comps(from);
    let t = comps(to);
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = Vec::new();
    for _ in common..f.len() {
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(b"..");
    }
    for c in &t[common..] {
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(c);
    }
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(b"/a/b", b"/a/c/d"), b"../c/d");
        assert_eq!(relative(b"/a", b"/a"), b".");
        assert_eq!(relative(b"/", b"/x"), b"x");
        assert_eq!(relative(b"/x/y", b"/"), b"../..");
        assert_eq!(relative(b"/ab", b"/a/b"), b"../a/b");
    }

    #[test]
    fn prefixes() {
        assert!(is_prefix(b"/", b"/a"));
        assert!(is_prefix(b"/a", b"/a/b"));
        assert!(is_prefix(b"/a", b"/a"));
        assert!(!is_prefix(b"/a", b"/ab"));
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonicalize(b"/", Missing::None, true).unwrap(), b"/");
        assert_eq!(
            canonicalize(b"//tmp/./..//tmp", Missing::None, true).unwrap(),
            b"/tmp"
        );
        assert_eq!(
            canonicalize(b"/nonexistent-x/y/..", Missing::Any, true).unwrap(),
            b"/nonexistent-x"
        );
        assert!(canonicalize(b"/nonexistent-x/y", Missing::Last, true).is_err());
        assert_eq!(
            canonicalize(b"/nonexistent-x", Missing::Last, true).unwrap(),
            b"/nonexistent-x"
        );
        assert_eq!(absolute_lexical(b"/a/../b/./c//").unwrap(), b"/b/c");
    }
}
