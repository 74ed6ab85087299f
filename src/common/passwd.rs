//! The account files, whole records: /etc/passwd, /etc/group, /etc/shadow, /etc/gshadow —
//! reading them as glibc's `files` backend does (getpwnam, getgrgid, getgrouplist, ...), and
//! rewriting them as shadow's commonio does: a `FILE.lock` taken with O_EXCL (a stale lock,
//! whose process is gone, is taken over), the new contents written to a temporary file in the
//! same directory with the old file's mode and owner, fsync'd and renamed over it, so a reader
//! never sees a half-written passwd. Every path is under a root (`useradd -R DIR`, the tests'
//! temporary roots); `b"/"` is the machine's own.
//!
//! `common::fs::IdDb` keeps serving the name-for-an-id look-ups of `ls`, `tar` and `id`; this
//! module is for the applets that need whole entries or write them (su-exec, gosu, setpriv,
//! getent, adduser, useradd, ...).

use crate::common::io::push_fmt;
use std::io;
use std::os::unix::ffi::OsStrExt;

use super::sys::fd::{self, AsFd};
use super::sys::fs as sfs;

/// One /etc/passwd line: `name:passwd:uid:gid:gecos:dir:shell`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Passwd {
    pub name: Vec<u8>,
    pub passwd: Vec<u8>,
    pub uid: u32,
    pub gid: u32,
    pub gecos: Vec<u8>,
    pub dir: Vec<u8>,
    pub shell: Vec<u8>,
}

/// One /etc/group line: `name:passwd:gid:member,member`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub name: Vec<u8>,
    pub passwd: Vec<u8>,
    pub gid: u32,
    pub members: Vec<Vec<u8>>,
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// A decimal id as a command line gives it (`65534`): all digits, fits in 32 bits.
pub fn parse_id(b: &[u8]) -> Option<u32> {
    num(b)
}

impl Passwd {
    /// A line as glibc's files backend reads it; None for a malformed or NIS (`+`/`-`) line.
    pub fn parse(line: &[u8]) -> Option<Passwd> {
        let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
        if f.len() != 7 || f[0].is_empty() || matches!(f[0][0], b'+' | b'-') {
            return None;
        }
        Some(Passwd {
            name: f[0].to_vec(),
            passwd: f[1].to_vec(),
            uid: num(f[2])?,
            gid: num(f[3])?,
            gecos: f[4].to_vec(),
            dir: f[5].to_vec(),
            shell: f[6].to_vec(),
        })
    }
    pub fn line(&self) -> Vec<u8> {
        let mut l = Vec::with_capacity(64);
        for (i, f) in [&self.name, &self.passwd].iter().enumerate() {
            if i > 0 {
                l.push(b':');
            }
            l.extend_from_slice(f);
        }
        push_fmt(&mut l, format_args!(":{}:{}:", self.uid, self.gid));
        l.extend_from_slice(&self.gecos);
        l.push(b':');
        l.extend_from_slice(&self.dir);
        l.push(b':');
        l.extend_from_slice(&self.shell);
        l
    }
}

impl Group {
    pub fn parse(line: &[u8]) -> Option<Group> {
        let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
        if f.len() != 4 || f[0].is_empty() || matches!(f[0][0], b'+' | b'-') {
            return None;
        }
        Some(Group {
            name: f[0].to_vec(),
            passwd: f[1].to_vec(),
            gid: num(f[2])?,
            members: f[3]
                .split(|&b| b == b',')
                .filter(|m| !m.is_empty())
                .map(<[u8]>::to_vec)
                .collect(),
        })
    }
    pub fn line(&self) -> Vec<u8> {
        let mut l = self.name.clone();
        l.push(b':');
        l.extend_from_slice(&self.passwd);
        push_fmt(&mut l, format_args!(":{}:", self.gid));
        l.extend_from_slice(&self.members.join(&b","[..]));
        l
    }
}

/// `root` + `name` (`/etc/passwd` under `/tmp/r` is `/tmp/r/etc/passwd`).
pub fn under(root: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = root.to_vec();
    while p.len() > 1 && p.ends_with(b"/") {
        p.pop();
    }
    if p == b"/" {
        p.clear();
    }
    p.extend_from_slice(name);
    p
}

/// The lines of a file (a missing file reads as none).
pub fn read_lines(path: &[u8]) -> io::Result<Vec<Vec<u8>>> {
    match std::fs::read(std::ffi::OsStr::from_bytes(path)) {
        Ok(d) => Ok(d
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Every well-formed entry of ROOT/etc/passwd, in file order.
pub fn passwd_entries(root: &[u8]) -> Vec<Passwd> {
    read_lines(&under(root, b"/etc/passwd"))
        .unwrap_or_default()
        .iter()
        .filter_map(|l| Passwd::parse(l))
        .collect()
}

/// Every well-formed entry of ROOT/etc/group, in file order.
pub fn group_entries(root: &[u8]) -> Vec<Group> {
    read_lines(&under(root, b"/etc/group"))
        .unwrap_or_default()
        .iter()
        .filter_map(|l| Group::parse(l))
        .collect()
}

/// getpwnam(3) from /etc/passwd: the first entry with that name.
pub fn getpwnam(name: &[u8]) -> Option<Passwd> {
    passwd_entries(b"/").into_iter().find(|p| p.name == name)
}

/// getpwuid(3) from /etc/passwd: the first entry with that id.
pub fn getpwuid(uid: u32) -> Option<Passwd> {
    passwd_entries(b"/").into_iter().find(|p| p.uid == uid)
}

/// getgrnam(3) from /etc/group.
pub fn getgrnam(name: &[u8]) -> Option<Group> {
    group_entries(b"/").into_iter().find(|g| g.name == name)
}

/// getgrgid(3) from /etc/group.
pub fn getgrgid(gid: u32) -> Option<Group> {
    group_entries(b"/").into_iter().find(|g| g.gid == gid)
}

/// Takes on an account for good, as initgroups, setgid and setuid do in that order (a child
/// about to run something as that user): on failure, the step that failed (`"can't set
/// groups"`, `"setgid"`, `"setuid"`) and its error.
pub fn become_user(pw: &Passwd) -> Result<(), (&'static str, io::Error)> {
    use super::sys::user as u;
    u::setgroups(&grouplist(&pw.name, pw.gid)).map_err(|e| ("can't set groups", e))?;
    u::setresgid(pw.gid, pw.gid, pw.gid).map_err(|e| ("setgid", e))?;
    u::setresuid(pw.uid, pw.uid, pw.uid).map_err(|e| ("setuid", e))
}

/// getgrouplist(3) as glibc's files backend: `gid` first, then every group listing `user`,
/// in file order, once each.
pub fn grouplist(user: &[u8], gid: u32) -> Vec<u32> {
    let mut v = vec![gid];
    for g in group_entries(b"/") {
        if g.members.iter().any(|m| m == user) && !v.contains(&g.gid) {
            v.push(g.gid);
        }
    }
    v
}

/// A held `FILE.lock` (shadow's lock file: it holds the owner's pid); removed when dropped.
pub struct Lock {
    path: Vec<u8>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = sfs::unlinkat(fd::cwd(), &self.path, 0);
    }
}

/// Take `FILE.lock` for `file` with O_EXCL; a lock whose pid no longer runs is stale and
/// taken over once. Busy: `EEXIST`.
pub fn lock(file: &[u8]) -> io::Result<Lock> {
    let mut path = file.to_vec();
    path.extend_from_slice(b".lock");
    for attempt in 0..2 {
        match fd::open(
            &path,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
            0o600,
        ) {
            Ok(f) => {
                let pid = format!("{}", std::process::id());
                fd::write_all(f.as_fd(), pid.as_bytes())?;
                return Ok(Lock { path });
            }
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) && attempt == 0 => {
                let old = std::fs::read(std::ffi::OsStr::from_bytes(&path)).unwrap_or_default();
                let pid = std::str::from_utf8(old.trim_ascii())
                    .ok()
                    .and_then(|s| s.parse::<i32>().ok());
                let stale = match pid {
                    Some(p) if p > 0 => {
                        super::sys::process::kill(p, 0)
                            .err()
                            .and_then(|e| e.raw_os_error())
                            == Some(libc::ESRCH)
                    }
                    _ => false,
                };
                if !stale {
                    return Err(e);
                }
                let _ = sfs::unlinkat(fd::cwd(), &path, 0);
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from_raw_os_error(libc::EEXIST))
}

/// Lines joined with a newline after each.
pub fn join_lines(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut d = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        d.extend_from_slice(l);
        d.push(b'\n');
    }
    d
}

/// The name an account-file line is for (its first field).
pub fn line_name(line: &[u8]) -> &[u8] {
    line.split(|&b| b == b':').next().unwrap_or_default()
}

/// The `:`-separated fields of an account-file line.
pub fn fields(line: &[u8]) -> Vec<Vec<u8>> {
    line.split(|&b| b == b':').map(<[u8]>::to_vec).collect()
}

/// `KEY VALUE` settings: /etc/login.defs (blank-separated) or /etc/default/useradd
/// (`KEY=VALUE`); comments and blank lines skipped, a missing file is empty.
pub fn settings(path: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    read_lines(path)
        .unwrap_or_default()
        .iter()
        .filter_map(|l| {
            let l = l.trim_ascii();
            if l.is_empty() || l[0] == b'#' {
                return None;
            }
            let i = l
                .iter()
                .position(|&c| c == b'=' || c.is_ascii_whitespace())?;
            let v = l[i + 1..].trim_ascii();
            let v = v
                .strip_prefix(b"\"")
                .and_then(|v| v.strip_suffix(b"\""))
                .unwrap_or(v);
            Some((l[..i].to_vec(), v.to_vec()))
        })
        .collect()
}

/// The account files of a root, locked for a rewrite (shadow's commonio): passwd, shadow,
/// group and gshadow, each only when it exists (passwd and group are created when missing).
/// Change the lines, then [`Accounts::commit`]; dropping it releases the locks.
pub struct Accounts {
    pub passwd: Vec<Vec<u8>>,
    pub shadow: Option<Vec<Vec<u8>>>,
    pub group: Vec<Vec<u8>>,
    pub gshadow: Option<Vec<Vec<u8>>>,
    root: Vec<u8>,
    _locks: Vec<Lock>,
}

/// Which file failed, and how.
pub struct AccountsError {
    pub file: Vec<u8>,
    pub locking: bool,
    pub err: io::Error,
}

/// The callback of [`Accounts::edit_lists`]: a member list's group name, whether it is the
/// gshadow administrators' list, the list to edit.
type ListEdit<'a> = dyn FnMut(&[u8], bool, &mut Vec<Vec<u8>>) + 'a;

impl Accounts {
    /// Lock (in shadow's order: passwd, shadow, group, gshadow) and read.
    pub fn open(root: &[u8]) -> Result<Accounts, AccountsError> {
        let mut locks = Vec::new();
        let mut files: [Option<Vec<Vec<u8>>>; 4] = [None, None, None, None];
        for (i, name) in ["/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"]
            .iter()
            .enumerate()
        {
            let path = under(root, name.as_bytes());
            let optional = i % 2 == 1;
            if optional && fd::stat(&path).is_err() {
                continue;
            }
            let fail = |err: io::Error, locking: bool| AccountsError {
                file: path.clone(),
                locking,
                err,
            };
            locks.push(lock(&path).map_err(|e| fail(e, true))?);
            files[i] = Some(read_lines(&path).map_err(|e| fail(e, false))?);
        }
        let [p, s, g, gs] = files;
        Ok(Accounts {
            passwd: p.unwrap_or_default(),
            shadow: s,
            group: g.unwrap_or_default(),
            gshadow: gs,
            root: root.to_vec(),
            _locks: locks,
        })
    }

    /// The index of `name`'s line.
    pub fn find(lines: &[Vec<u8>], name: &[u8]) -> Option<usize> {
        lines.iter().position(|l| line_name(l) == name)
    }

    /// Add `member` to group `name`'s member list (field 4 of group, 4 of gshadow) when it is
    /// not there yet.
    pub fn add_member(&mut self, name: &[u8], member: &[u8]) {
        let add = |lines: &mut Vec<Vec<u8>>, field: usize| {
            if let Some(i) = Self::find(lines, name) {
                let mut f: Vec<Vec<u8>> =
                    lines[i].split(|&b| b == b':').map(<[u8]>::to_vec).collect();
                if f.len() <= field {
                    return;
                }
                let m = &mut f[field];
                if m.split(|&b| b == b',').any(|x| x == member) {
                    return;
                }
                if !m.is_empty() {
                    m.push(b',');
                }
                m.extend_from_slice(member);
                lines[i] = f.join(&b':');
            }
        };
        add(&mut self.group, 3);
        if let Some(gs) = self.gshadow.as_mut() {
            add(gs, 3);
        }
    }

    /// Call `f(group, admins, list)` on every member list (field 4 of group and gshadow) and,
    /// with `admins` true, on gshadow's administrators (field 3); a line whose list `f`
    /// changed is rewritten, the others are kept byte for byte.
    pub fn edit_lists(&mut self, mut f: impl FnMut(&[u8], bool, &mut Vec<Vec<u8>>)) {
        self.edit_lists_dyn(&mut f)
    }

    /// [`Accounts::edit_lists`] through a `dyn` callback: one copy of the editing code for
    /// its four callers (1.2 KB each as generic copies).
    fn edit_lists_dyn(&mut self, f: &mut ListEdit) {
        let mut edit = |lines: &mut Vec<Vec<u8>>, field: usize, admins: bool| {
            for l in lines.iter_mut() {
                let mut fs = fields(l);
                if fs.len() <= field {
                    continue;
                }
                let old: Vec<Vec<u8>> = fs[field]
                    .split(|&b| b == b',')
                    .filter(|m| !m.is_empty())
                    .map(<[u8]>::to_vec)
                    .collect();
                let mut new = old.clone();
                f(&fs[0], admins, &mut new);
                if new != old {
                    fs[field] = new.join(&b","[..]);
                    *l = fs.join(&b':');
                }
            }
        };
        edit(&mut self.group, 3, false);
        if let Some(gs) = self.gshadow.as_mut() {
            edit(gs, 3, false);
            edit(gs, 2, true);
        }
    }

    /// Write every file back (shadow's and gshadow's new modes 0640 / 0600 when created).
    pub fn commit(&self) -> Result<(), AccountsError> {
        type File<'a> = (&'a str, Option<&'a Vec<Vec<u8>>>, u32);
        let files: [File; 4] = [
            ("/etc/passwd", Some(&self.passwd), 0o644),
            ("/etc/shadow", self.shadow.as_ref(), 0o640),
            ("/etc/group", Some(&self.group), 0o644),
            ("/etc/gshadow", self.gshadow.as_ref(), 0o640),
        ];
        for (name, lines, mode) in files {
            let Some(lines) = lines else { continue };
            let path = under(&self.root, name.as_bytes());
            super::fs::replace_file(&path, &join_lines(lines), mode).map_err(|err| {
                AccountsError {
                    file: path.clone(),
                    locking: false,
                    err,
                }
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print_round_trip() {
        let l = b"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin";
        let p = Passwd::parse(l).unwrap();
        assert_eq!(
            (p.uid, p.gid, &p.dir[..]),
            (65534, 65534, &b"/nonexistent"[..])
        );
        assert_eq!(p.line(), l);
        assert!(Passwd::parse(b"bad:x:1:2:three").is_none());
        assert!(Passwd::parse(b"+nis:x:1:2:::").is_none());
        assert!(Passwd::parse(b"u:x:-1:2:::").is_none());
        let g = Group::parse(b"adm:x:4:syslog,alice").unwrap();
        assert_eq!(g.members, [b"syslog".to_vec(), b"alice".to_vec()]);
        assert_eq!(g.line(), b"adm:x:4:syslog,alice");
        assert_eq!(Group::parse(b"e:x:5:").unwrap().members.len(), 0);
        assert_eq!(under(b"/", b"/etc/passwd"), b"/etc/passwd");
        assert_eq!(under(b"/tmp/r/", b"/etc/passwd"), b"/tmp/r/etc/passwd");
    }

    #[test]
    fn lock_and_replace() {
        let d = std::env::temp_dir().join(format!("rbox-passwd-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("passwd");
        std::fs::write(&f, b"old\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        let fb = f.as_os_str().as_bytes().to_vec();
        let l = lock(&fb).unwrap();
        assert_eq!(
            lock(&fb).err().and_then(|e| e.raw_os_error()),
            Some(libc::EEXIST)
        );
        super::super::fs::replace_file(&fb, b"new\n", 0o644).unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"new\n");
        let m = std::fs::metadata(&f).unwrap().permissions().mode() & 0o7777;
        assert_eq!(m, 0o640);
        drop(l);
        // A stale lock (no such process) is taken over.
        std::fs::write(d.join("passwd.lock"), b"999999999").unwrap();
        drop(lock(&fb).unwrap());
        assert!(!d.join("passwd.lock").exists());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
