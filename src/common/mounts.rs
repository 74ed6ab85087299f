//! The mount table (/proc/self/mountinfo) as gnulib's mountlist reads it: df's list, find's
//! `-fstype`/`%F` and mountpoint's test read it here.

use crate::common::sys::fs as sfs;

/// One line of /proc/self/mountinfo.
pub struct Mount {
    pub dev: u64,
    pub root: Vec<u8>,
    pub dir: Vec<u8>,
    pub fstype: Vec<u8>,
    pub source: Vec<u8>,
    /// gnulib's ME_DUMMY.
    pub dummy: bool,
    /// gnulib's ME_REMOTE.
    pub remote: bool,
}

/// mountinfo's octal escapes (`\040` for a space) undone.
pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\'
            && i + 3 < s.len()
            && s[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            v.push((s[i + 1] - b'0') * 64 + (s[i + 2] - b'0') * 8 + (s[i + 3] - b'0'));
            i += 4;
        } else {
            v.push(s[i]);
            i += 1;
        }
    }
    v
}

/// gnulib's ME_DUMMY: pseudo file systems.
fn is_dummy(fstype: &[u8]) -> bool {
    matches!(
        fstype,
        b"autofs"
            | b"proc"
            | b"subfs"
            | b"debugfs"
            | b"devpts"
            | b"fusectl"
            | b"fuse.portal"
            | b"mqueue"
            | b"rpc_pipefs"
            | b"sysfs"
            | b"devfs"
            | b"kernfs"
            | b"ignore"
            | b"none"
    )
}

/// gnulib's ME_REMOTE: a `host:path` or `//host/share` source, or a network file system.
fn is_remote(source: &[u8], fstype: &[u8]) -> bool {
    source.contains(&b':')
        || (source.starts_with(b"//") && matches!(fstype, b"smbfs" | b"smb3" | b"cifs"))
        || matches!(fstype, b"afs" | b"auristorfs")
        || (source == b"-" && matches!(fstype, b"nfs" | b"nfs4"))
}

/// The mount table in mountinfo's order (gnulib's read_file_system_list).
pub fn read() -> std::io::Result<Vec<Mount>> {
    let data = std::fs::read("/proc/self/mountinfo")?;
    let mut v = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let f: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
        let Some(sep) = f.iter().position(|x| *x == b"-") else {
            continue;
        };
        if sep < 5 || f.len() < sep + 3 {
            continue;
        }
        let mut mm = f[2].split(|&b| b == b':');
        let num = |x: Option<&[u8]>| {
            x.and_then(|x| std::str::from_utf8(x).ok())
                .and_then(|x| x.parse::<u32>().ok())
                .unwrap_or(0)
        };
        let (ma, mi) = (num(mm.next()), num(mm.next()));
        let fstype = unescape(f[sep + 1]);
        let source = unescape(f[sep + 2]);
        v.push(Mount {
            dev: sfs::makedev(ma, mi),
            root: unescape(f[3]),
            dir: unescape(f[4]),
            dummy: is_dummy(&fstype),
            remote: is_remote(&source, &fstype),
            fstype,
            source,
        });
    }
    Ok(v)
}
