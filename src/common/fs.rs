//! File-system helpers: mode strings, user and group names, human-readable sizes.

use crate::common::io::push_fmt;
use std::collections::HashMap;
use std::io;

use super::sys::fd::{self as sfd, AsFd};
use super::sys::fs as sfs;

/// The type letter of `ls -l` for a `st_mode`.
pub fn type_char(mode: u32) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFREG => b'-',
        libc::S_IFDIR => b'd',
        libc::S_IFLNK => b'l',
        libc::S_IFCHR => b'c',
        libc::S_IFBLK => b'b',
        libc::S_IFIFO => b'p',
        libc::S_IFSOCK => b's',
        _ => b'?',
    }
}

/// gnulib's `file_type`: what rm and mv call a file in their questions (`remove regular
/// empty file 'x'?`).
pub fn type_name(mode: u32, size: i64) -> &'static str {
    match mode & libc::S_IFMT {
        libc::S_IFREG if size == 0 => "regular empty file",
        libc::S_IFREG => "regular file",
        libc::S_IFDIR => "directory",
        libc::S_IFLNK => "symbolic link",
        libc::S_IFCHR => "character special file",
        libc::S_IFBLK => "block special file",
        libc::S_IFIFO => "fifo",
        libc::S_IFSOCK => "socket",
        _ => "weird file",
    }
}

/// `-rwxr-xr-x`, with setuid/setgid/sticky as `s S t T` the way GNU and POSIX print them.
pub fn mode_string(mode: u32) -> [u8; 10] {
    let mut s = [b'-'; 10];
    s[0] = type_char(mode);
    let rwx = |bits: u32, out: &mut [u8]| {
        if bits & 4 != 0 {
            out[0] = b'r';
        }
        if bits & 2 != 0 {
            out[1] = b'w';
        }
        if bits & 1 != 0 {
            out[2] = b'x';
        }
    };
    rwx((mode >> 6) & 7, &mut s[1..4]);
    rwx((mode >> 3) & 7, &mut s[4..7]);
    rwx(mode & 7, &mut s[7..10]);
    let special = |set: bool, x: &mut u8, on: u8, off: u8| {
        if set {
            *x = if *x == b'x' { on } else { off };
        }
    };
    special(mode & libc::S_ISUID != 0, &mut s[3], b's', b'S');
    special(mode & libc::S_ISGID != 0, &mut s[6], b's', b'S');
    special(mode & libc::S_ISVTX != 0, &mut s[9], b't', b'T');
    s
}

/// One of /etc/passwd or /etc/group, read once on first use. A scratch image may have neither:
/// look-ups then fail and callers print numbers, as GNU does.
#[derive(Default)]
pub struct IdDb {
    by_id: HashMap<u32, Vec<u8>>,
    /// i64 values (ids are u32) as tar's name-to-time map: one hash table instantiation.
    by_name: HashMap<Vec<u8>, i64>,
    /// Every entry in file order: id, name, and the rest of the line after the id (passwd:
    /// `gid:gecos:home:shell`; group: the member list).
    entries: Vec<(u32, Vec<u8>, Vec<u8>)>,
}

impl IdDb {
    /// Parse `name:x:id:...` lines; malformed lines are skipped.
    pub fn parse(data: &[u8]) -> IdDb {
        let mut db = IdDb::default();
        for line in data.split(|&b| b == b'\n') {
            let mut f = line.splitn(4, |&b| b == b':');
            let (Some(name), Some(_), Some(id)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let Some(id) = std::str::from_utf8(id)
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            // The first entry for an id wins, as with getpwuid.
            db.by_id.entry(id).or_insert_with(|| name.to_vec());
            db.by_name.entry(name.to_vec()).or_insert(id as i64);
            let rest = f.next().unwrap_or_default();
            db.entries.push((id, name.to_vec(), rest.to_vec()));
        }
        db
    }

    pub fn load(path: &str) -> IdDb {
        std::fs::read(path)
            .map(|d| IdDb::parse(&d))
            .unwrap_or_default()
    }

    pub fn name(&self, id: u32) -> Option<&[u8]> {
        self.by_id.get(&id).map(|v| v.as_slice())
    }

    pub fn id(&self, name: &[u8]) -> Option<u32> {
        self.by_name.get(name).map(|&id| id as u32)
    }

    /// For /etc/passwd: the primary group id of the first entry named `name` (getpwnam's
    /// `pw_gid`).
    pub fn primary_gid(&self, name: &[u8]) -> Option<u32> {
        let e = self.entries.iter().find(|e| e.1 == name)?;
        let gid = e.2.split(|&b| b == b':').next()?;
        std::str::from_utf8(gid).ok()?.parse().ok()
    }

    /// For /etc/group: the ids of the groups whose member list names `user`, in file order.
    pub fn groups_of<'a>(&'a self, user: &'a [u8]) -> impl Iterator<Item = u32> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.2.split(|&b| b == b',').any(|m| m == user))
            .map(|e| e.0)
    }
}

/// User and group names, each file read at most once per process.
#[derive(Default)]
pub struct Names {
    users: Option<IdDb>,
    groups: Option<IdDb>,
}

impl Names {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn users(&mut self) -> &IdDb {
        self.users.get_or_insert_with(|| IdDb::load("/etc/passwd"))
    }
    pub fn groups(&mut self) -> &IdDb {
        self.groups.get_or_insert_with(|| IdDb::load("/etc/group"))
    }
    pub fn user(&mut self, uid: u32) -> Option<&[u8]> {
        self.users().name(uid)
    }
    pub fn group(&mut self, gid: u32) -> Option<&[u8]> {
        self.groups().name(gid)
    }
    /// getgrouplist(3) from /etc/group: `gid` first, then each group listing `user` as a
    /// member, in file order, once each (glibc's files backend).
    pub fn group_list(&mut self, user: &[u8], gid: u32) -> Vec<u32> {
        let mut v = vec![gid];
        for g in self.groups().groups_of(user) {
            if !v.contains(&g) {
                v.push(g);
            }
        }
        v
    }
}

/// A chown-style `OWNER[:GROUP]` (chown, chroot --userspec): what to set ids (None: unchanged) and how -v names them.
#[derive(Default, Clone)]
pub struct OwnerSpec {
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    /// None: no user part; Some(""): `:GROUP`.
    pub user: Option<Vec<u8>>,
    pub group: Option<Vec<u8>>,
}

pub fn owner_number(s: &[u8]) -> Option<u32> {
    let d = s.strip_prefix(b"+").unwrap_or(s);
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v: u64 = std::str::from_utf8(d).ok()?.parse().ok()?;
    (v < u32::MAX as u64).then_some(v as u32)
}

/// A group name or number: the id and how -v shows it (the name as typed, or the number).
pub fn owner_group(names: &mut Names, g: &[u8]) -> Option<(u32, Vec<u8>)> {
    if g.first() != Some(&b'+') {
        if let Some(id) = names.groups().id(g) {
            return Some((id, g.to_vec()));
        }
    }
    owner_number(g).map(|n| (n, n.to_string().into_bytes()))
}

/// gnulib's parse_with_separator: `Err` is the complaint ("invalid user", ...).
fn parse_with(
    names: &mut Names,
    spec: &[u8],
    sep: Option<usize>,
) -> std::result::Result<OwnerSpec, &'static str> {
    let (u, g) = match sep {
        Some(i) => (&spec[..i], Some(&spec[i + 1..])),
        None => (spec, None),
    };
    let g = g.filter(|g| !g.is_empty());
    let mut t = OwnerSpec::default();
    if !u.is_empty() {
        let known = if u.first() == Some(&b'+') {
            None
        } else {
            names.users().id(u)
        };
        match known {
            Some(id) => {
                t.uid = Some(id);
                t.user = Some(u.to_vec());
                if g.is_none() && sep.is_some() {
                    let gid = names.users().primary_gid(u).ok_or("invalid spec")?;
                    t.gid = Some(gid);
                    t.group = Some(match names.group(gid) {
                        Some(n) => n.to_vec(),
                        None => gid.to_string().into_bytes(),
                    });
                }
            }
            None => {
                if sep.is_some() && g.is_none() {
                    return Err("invalid spec");
                }
                let n = owner_number(u).ok_or("invalid user")?;
                t.uid = Some(n);
                t.user = Some(n.to_string().into_bytes());
            }
        }
    } else if sep.is_some() {
        t.user = Some(Vec::new());
    }
    if let Some(g) = g {
        let (id, shown) = owner_group(names, g).ok_or("invalid group")?;
        t.gid = Some(id);
        t.group = Some(shown);
    }
    Ok(t)
}

/// gnulib's parse_user_spec: `:` first; without one, a `.` separates when the whole is not a
/// user (the bool: warn that '.' should be ':').
pub fn parse_owner_spec(
    names: &mut Names,
    spec: &[u8],
) -> std::result::Result<(OwnerSpec, bool), &'static str> {
    let colon = spec.iter().position(|&c| c == b':');
    match parse_with(names, spec, colon) {
        Ok(t) => Ok((t, false)),
        Err(e) => {
            if colon.is_none() {
                if let Some(dot) = spec.iter().position(|&c| c == b'.') {
                    if let Ok(t) = parse_with(names, spec, Some(dot)) {
                        return Ok((t, true));
                    }
                }
            }
            Err(e)
        }
    }
}

/// Replace `file` with `data` atomically (the account files, dos2unix): a temporary file
/// beside it (the old file's mode and owner, else `mode` and root), written, fsync'd, renamed
/// over it, and the directory fsync'd. On any error the old file stays and the temporary file is removed.
pub fn replace_file(file: &[u8], data: &[u8], mode: u32) -> io::Result<()> {
    let old = sfd::stat(file).ok();
    let mut tmp = file.to_vec();
    push_fmt(&mut tmp, format_args!("+{}", std::process::id()));
    let _ = sfs::unlinkat(sfd::cwd(), &tmp, 0);
    let f: super::sys::fd::OwnedFd = sfd::open(
        &tmp,
        libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC | libc::O_NOFOLLOW,
        0o600,
    )?;
    let r = (|| {
        let (m, u, g) = match &old {
            Some(st) => (st.st_mode & 0o7777, st.st_uid, st.st_gid),
            None => (mode, 0, 0),
        };
        let _ = sfs::fchown(f.as_fd(), u, g);
        sfs::fchmod(f.as_fd(), m)?;
        sfd::write_all(f.as_fd(), data)?;
        sfs::fsync(f.as_fd())?;
        sfs::renameat(sfd::cwd(), &tmp, sfd::cwd(), file)
    })();
    if r.is_err() {
        let _ = sfs::unlinkat(sfd::cwd(), &tmp, 0);
        return r;
    }
    let dir = &file[..dir_len(file).max(1)];
    if let Ok(d) = sfd::open(dir, libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC, 0) {
        let _ = sfs::fsync(d.as_fd());
    }
    Ok(())
}

/// The process's groups as gnulib's `mgetgroups(NULL, egid)` gives them to `id` and `groups`:
/// `egid` first, then getgroups(2), without repeats of the first or of the one before.
pub fn process_groups(egid: u32) -> std::io::Result<Vec<u32>> {
    let mut v = vec![egid];
    for g in super::sys::user::getgroups()? {
        if g != v[0] && Some(&g) != v.last() {
            v.push(g);
        }
    }
    Ok(v)
}

/// One clause of a compiled mode (gnulib's `struct mode_change`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModeChange {
    /// `+`, `-` or `=`.
    op: u8,
    flag: ModeFlag,
    /// The bits the `who` part names (0: none named, the umask applies).
    affected: u32,
    value: u32,
    /// The bits the clause names explicitly (setuid/setgid of directories kept otherwise).
    mentioned: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ModeFlag {
    Ordinary,
    /// `X`: execute only if a directory or some execute bit is set.
    XIfAnyX,
    /// `u`, `g` or `o` as the permission: copy those bits.
    CopyExisting,
}

/// The permission bits chmod can change.
pub const CHMOD_MODE_BITS: u32 = 0o7777;

/// Compile a chmod mode as GNU chmod, mkdir -m, install -m and tar --mode do (gnulib's
/// `mode_compile`): octal (`755`, `4755`; fewer than 5 digits keep a directory's setuid and
/// setgid unless named, as GNU 9 does) or comma-separated symbolic clauses `[ugoa]*([-+=]
/// ([rwxXst]*|[ugo]))+`, also octal after an operator with no who (`=644`, `+4000`).
/// None: not a valid mode.
pub fn mode_compile(spec: &[u8]) -> Option<Vec<ModeChange>> {
    let octal = |s: &[u8]| -> Option<(u32, usize)> {
        let mut v = 0u32;
        let mut n = 0;
        while n < s.len() && (b'0'..=b'7').contains(&s[n]) {
            v = v * 8 + (s[n] - b'0') as u32;
            if v > CHMOD_MODE_BITS {
                return None;
            }
            n += 1;
        }
        Some((v, n))
    };
    if spec.first().is_some_and(|c| (b'0'..=b'7').contains(c)) {
        let (v, n) = octal(spec)?;
        if n != spec.len() {
            return None;
        }
        let mentioned = if n < 5 {
            (v & 0o6000) | 0o1777
        } else {
            CHMOD_MODE_BITS
        };
        return Some(vec![ModeChange {
            op: b'=',
            flag: ModeFlag::Ordinary,
            affected: CHMOD_MODE_BITS,
            value: v,
            mentioned,
        }]);
    }
    let mut out = Vec::new();
    let mut p = 0;
    loop {
        let mut affected = 0u32;
        loop {
            match spec.get(p) {
                Some(b'u') => affected |= 0o4700,
                Some(b'g') => affected |= 0o2070,
                Some(b'o') => affected |= 0o1007,
                Some(b'a') => affected |= CHMOD_MODE_BITS,
                Some(b'=' | b'+' | b'-') => break,
                _ => return None,
            }
            p += 1;
        }
        while let Some(&op @ (b'=' | b'+' | b'-')) = spec.get(p) {
            p += 1;
            let mut mentioned = 0;
            let mut flag = ModeFlag::CopyExisting;
            let mut aff = affected;
            let value = match spec.get(p) {
                Some(b'0'..=b'7') => {
                    let (v, n) = octal(&spec[p..])?;
                    p += n;
                    if affected != 0 || !matches!(spec.get(p), None | Some(b',')) {
                        return None;
                    }
                    aff = CHMOD_MODE_BITS;
                    mentioned = CHMOD_MODE_BITS;
                    flag = ModeFlag::Ordinary;
                    v
                }
                Some(b'u') => {
                    p += 1;
                    0o700
                }
                Some(b'g') => {
                    p += 1;
                    0o070
                }
                Some(b'o') => {
                    p += 1;
                    0o007
                }
                _ => {
                    flag = ModeFlag::Ordinary;
                    let mut v = 0;
                    while let Some(c) = spec.get(p) {
                        match c {
                            b'r' => v |= 0o444,
                            b'w' => v |= 0o222,
                            b'x' => v |= 0o111,
                            b'X' => flag = ModeFlag::XIfAnyX,
                            b's' => v |= 0o6000,
                            b't' => v |= 0o1000,
                            _ => break,
                        }
                        p += 1;
                    }
                    v
                }
            };
            out.push(ModeChange {
                op,
                flag,
                affected: aff,
                value,
                mentioned: if mentioned != 0 {
                    mentioned
                } else if aff != 0 {
                    aff & value
                } else {
                    value
                },
            });
        }
        match spec.get(p) {
            None => return Some(out),
            Some(b',') => p += 1,
            _ => return None,
        }
    }
}

/// Apply compiled changes to `old` (gnulib's `mode_adjust`): `umask` masks the clauses without
/// a who (chmod passes the process umask; 0 makes `+w` mean `a+w`). Returns the new mode (the
/// permission bits only) and the bits the changes touched (mkdir -m sets those explicitly).
pub fn mode_adjust(old: u32, is_dir: bool, umask: u32, changes: &[ModeChange]) -> (u32, u32) {
    adjust(old, is_dir, umask, changes, false)
}

/// `copy_old`: `u`, `g` and `o` as permissions copy from `old`, not from the mode as the
/// clauses before changed it.
fn adjust(
    old: u32,
    is_dir: bool,
    umask: u32,
    changes: &[ModeChange],
    copy_old: bool,
) -> (u32, u32) {
    let mut new = old & CHMOD_MODE_BITS;
    let mut bits = 0;
    for c in changes {
        let omit = if is_dir { 0o6000 & !c.mentioned } else { 0 };
        let mut value = c.value;
        match c.flag {
            ModeFlag::Ordinary => {}
            ModeFlag::CopyExisting => {
                value &= if copy_old { old } else { new };
                let any = |m: u32| if value & m != 0 { m } else { 0 };
                value |= any(0o444) | any(0o222) | any(0o111);
            }
            ModeFlag::XIfAnyX => {
                if new & 0o111 != 0 || is_dir {
                    value |= 0o111;
                }
            }
        }
        value &= (if c.affected != 0 { c.affected } else { !umask }) & !omit;
        match c.op {
            b'=' => {
                let preserved = (if c.affected != 0 { !c.affected } else { 0 }) | omit;
                bits |= CHMOD_MODE_BITS & !preserved;
                new = (new & preserved) | value;
            }
            b'+' => {
                bits |= value;
                new |= value;
            }
            _ => {
                bits |= value;
                new &= !value;
            }
        }
    }
    (new & CHMOD_MODE_BITS, bits)
}

/// Apply a chmod-style mode (see [`mode_compile`]) to `mode`, without a umask: a clause
/// without a who affects all bits (tar's `--mode` and the shell's `umask` want that).
/// None: not a valid mode.
pub fn apply_mode(spec: &[u8], mode: u32, is_dir: bool) -> Option<u32> {
    mode_compile(spec).map(|c| mode_adjust(mode, is_dir, 0, &c).0)
}

/// [`apply_mode`] with every copy (`g=u`) reading `mode` as given rather than as the clauses
/// before it changed it: dash's `umask` (`umask a=,a=u` keeps the user bits it started with).
pub fn apply_mode_copy_old(spec: &[u8], mode: u32, is_dir: bool) -> Option<u32> {
    mode_compile(spec).map(|c| adjust(mode, is_dir, 0, &c, true).0)
}

/// The `-m MODE` option of mkfifo and mknod, if given, under the process's umask; a bad mode
/// is GNU's complaint and status 1.
pub fn node_mode_opt(
    ctx: &mut crate::common::Ctx,
    spec: Option<&std::ffi::OsString>,
) -> crate::common::Result<Option<u32>> {
    use std::os::unix::ffi::OsStrExt;
    let Some(spec) = spec else {
        return Ok(None);
    };
    match node_mode(spec.as_bytes(), super::sys::process::current_umask()) {
        Ok(m) => Ok(Some(m)),
        Err(e) => {
            ctx.msg(e.as_bytes());
            Err(crate::common::Error::silent(1))
        }
    }
}

/// The `-m MODE` of mkfifo and mknod (GNU): relative to `a=rw` under `umask`; only
/// permission bits. `Err` is GNU's complaint.
pub fn node_mode(spec: &[u8], umask: u32) -> Result<u32, &'static str> {
    let ch = mode_compile(spec).ok_or("invalid mode")?;
    let mode = mode_adjust(0o666, false, umask, &ch).0;
    if mode & !0o777 != 0 {
        return Err("mode must specify only file permission bits");
    }
    Ok(mode)
}

/// GNU's human-readable size (`ls -h`, `du -h`): powers of `base` (1024, or 1000 for `--si`),
/// rounded up, one decimal below 10: `1.0K`, `4.0K`, `1.1M`, `11M`, `1023`. With `--si` the kilo
/// letter is `k`.
pub fn human_size(n: u64, base: u64) -> String {
    let letters: &[u8] = if base == 1000 {
        b"kMGTPEZY"
    } else {
        b"KMGTPEZY"
    };
    if n < base {
        return n.to_string();
    }
    let mut amt = n;
    let mut tenths = 0u64;
    // 0: exact, 1: below half, 2: half, 3: above half (only "non-zero" matters for ceiling).
    let mut rounding = 0u64;
    let mut exp = 0usize;
    loop {
        let r10 = (amt % base) * 10 + tenths;
        let r2 = (r10 % base) * 2 + (rounding >> 1);
        amt /= base;
        tenths = r10 / base;
        // As gnulib: the rounding state of the lower digits carries into the next one.
        rounding = if r2 < base {
            (r2 + rounding != 0) as u64
        } else {
            2 + (base < r2 + rounding) as u64
        };
        exp += 1;
        if amt < base || exp >= letters.len() {
            break;
        }
    }
    let mut s = String::new();
    if amt < 10 {
        if rounding > 0 {
            tenths += 1;
            rounding = 0;
            if tenths == 10 {
                amt += 1;
                tenths = 0;
            }
        }
        if amt < 10 {
            s = format!("{amt}.{tenths}");
            tenths = 0;
            rounding = 0;
        }
    }
    if s.is_empty() {
        if tenths + rounding > 0 {
            amt += 1;
            if amt == base && exp < letters.len() {
                exp += 1;
                s = "1.0".to_string();
            }
        }
        if s.is_empty() {
            s = amt.to_string();
        }
    }
    s.push(letters[exp - 1] as char);
    s
}

/// gnulib's `last_component`: the offset of the last file name component of `name` (after the
/// last run of slashes that is followed by something else): `a/b/` → `b/`, `/` → `` (the end),
/// `//x` → `x`. Leading slashes are skipped.
pub fn last_component(name: &[u8]) -> usize {
    let mut base = name.iter().take_while(|&&b| b == b'/').count();
    let mut last_was_slash = false;
    for (i, &b) in name.iter().enumerate().skip(base) {
        if b == b'/' {
            last_was_slash = true;
        } else if last_was_slash {
            base = i;
            last_was_slash = false;
        }
    }
    base
}

/// gnulib's `dir_len`: the length of the directory part of `name` (`dirname`, `mkdir -p`,
/// `install -D`): the last component and the slashes before it dropped, a leading slash kept.
/// 0 means no directory part (`dirname` prints `.`).
pub fn dir_len(name: &[u8]) -> usize {
    let prefix = usize::from(name.first() == Some(&b'/'));
    let mut len = last_component(name);
    while prefix < len && name[len - 1] == b'/' {
        len -= 1;
    }
    len
}

/// gnulib's `strip_trailing_slashes`: `name` without its trailing slashes, one kept for a
/// name of slashes only.
pub fn strip_trailing_slashes(name: &[u8]) -> &[u8] {
    let mut len = name.len();
    while len > 1 && name[len - 1] == b'/' {
        len -= 1;
    }
    &name[..len]
}

/// gnulib's `base_name` followed by `strip_trailing_slashes` (`basename`): the last component
/// without trailing slashes; `/` for a name of slashes only, empty for an empty name.
pub fn base_name(name: &[u8]) -> &[u8] {
    let lc = last_component(name);
    let base = &name[lc..];
    strip_trailing_slashes(if base.is_empty() { name } else { base })
}

/// Are `a` and `b` (relative to the working directory) the same directory entry: the same
/// parent directory and last component? Replacing one must not remove the other (ln, mv, a
/// backup of another name of the same file).
pub fn same_entry(a: &[u8], b: &[u8]) -> bool {
    let parent = |p: &[u8]| {
        let dl = dir_len(p);
        super::sys::fd::stat(if dl == 0 { b"." } else { &p[..dl] })
            .ok()
            .map(|s| (s.st_dev, s.st_ino))
    };
    base_name(a) == base_name(b) && parent(a).is_some() && parent(a) == parent(b)
}

/// `mkdir -p` without messages, for `rbox --install` and `wget -P`: each missing directory of
/// `path` made with mode 0777 less the umask, Ok when `path` is a directory in the end. As std's
/// `create_dir_all` (whose path handling, 3 KB, nothing else in the binary needs): an empty path
/// is Ok, and when a parent could not be made its error is the one returned.
pub fn mkdir_all(path: &[u8]) -> io::Result<()> {
    if path.is_empty() {
        return Ok(());
    }
    let exists = |e: &io::Error| e.raw_os_error() == Some(libc::EEXIST);
    let mut parent_err = None;
    for i in 1..path.len() {
        if path[i] == b'/' && path[i - 1] != b'/' {
            match sfs::mkdirat(sfd::cwd(), &path[..i], 0o777) {
                Err(e) if !exists(&e) => parent_err = Some(e),
                _ => parent_err = None,
            }
        }
    }
    match sfs::mkdirat(sfd::cwd(), path, 0o777) {
        Err(e)
            if exists(&e)
                && sfd::stat(path).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR) =>
        {
            Ok(())
        }
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Err(parent_err.unwrap_or(e)),
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mkdir_all_as_create_dir_all() {
        let base = std::env::temp_dir().join(format!("rbox-mkdir-all-{}", std::process::id()));
        let b = base.as_os_str().as_encoded_bytes().to_vec();
        let p = |s: &str| [&b[..], s.as_bytes()].concat();
        assert!(mkdir_all(&p("/a//b/c/")).is_ok());
        assert!(sfd::stat(&p("/a/b/c")).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR));
        assert!(mkdir_all(&p("/a/b")).is_ok(), "an existing directory");
        assert!(mkdir_all(b"").is_ok());
        std::fs::write(base.join("f"), b"").unwrap();
        let e = mkdir_all(&p("/f")).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EEXIST));
        let e = mkdir_all(&p("/f/x/y")).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTDIR), "the parent's error");
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn chmod_modes() {
        assert_eq!(apply_mode(b"644", 0o777, false), Some(0o644));
        assert_eq!(apply_mode(b"go-w", 0o777, false), Some(0o755));
        assert_eq!(apply_mode(b"a+X", 0o644, false), Some(0o644));
        assert_eq!(apply_mode(b"a+X", 0o644, true), Some(0o755));
        assert_eq!(apply_mode(b"u=rw,go=r", 0o777, false), Some(0o644));
        assert_eq!(apply_mode(b"g=u", 0o750, false), Some(0o770));
        assert_eq!(apply_mode(b"u+s,+t", 0o755, false), Some(0o5755));
        assert_eq!(apply_mode(b"q", 0o777, false), None);
        assert_eq!(apply_mode(b"u", 0o777, false), None);
        // GNU's corners: copies take one letter, octal after a bare operator, `=` alone.
        assert_eq!(apply_mode(b"u=gx", 0o777, false), None);
        assert_eq!(apply_mode(b"=644", 0o7777, false), Some(0o644));
        assert_eq!(apply_mode(b"u=644", 0o777, false), None);
        assert_eq!(apply_mode(b"go=", 0o777, false), Some(0o700));
        assert_eq!(apply_mode(b"u=,g=u", 0o777, false), Some(0o007));
        assert_eq!(apply_mode(b"8", 0o777, false), None);
        assert_eq!(apply_mode(b"17777", 0o777, false), None);
        assert_eq!(apply_mode(b"", 0o777, false), None);
        // Directories keep setuid/setgid unless 5 octal digits or a who names them.
        assert_eq!(apply_mode(b"755", 0o2700, true), Some(0o2755));
        assert_eq!(apply_mode(b"00755", 0o2700, true), Some(0o755));
        assert_eq!(apply_mode(b"755", 0o2700, false), Some(0o755));
        assert_eq!(apply_mode(b"a=rx", 0o6777, true), Some(0o6555));
        assert_eq!(apply_mode(b"g-s", 0o2777, true), Some(0o777));
    }

    #[test]
    fn umask_applies_without_who() {
        let c = mode_compile(b"+w").unwrap();
        assert_eq!(mode_adjust(0o444, false, 0o022, &c), (0o644, 0o200));
        let c = mode_compile(b"=r").unwrap();
        assert_eq!(mode_adjust(0o777, false, 0o077, &c).0, 0o400);
        let c = mode_compile(b"a+w").unwrap();
        assert_eq!(mode_adjust(0o444, false, 0o022, &c).0, 0o666);
        let c = mode_compile(b"-x,+X").unwrap();
        assert_eq!(mode_adjust(0o755, true, 0o022, &c).0, 0o755);
    }

    #[test]
    fn modes() {
        assert_eq!(&mode_string(0o100755), b"-rwxr-xr-x");
        assert_eq!(&mode_string(0o041777), b"drwxrwxrwt");
        assert_eq!(&mode_string(0o044644), b"drwSr--r--");
        assert_eq!(&mode_string(0o106755), b"-rwsr-sr-x");
        assert_eq!(&mode_string(0o120777), b"lrwxrwxrwx");
        assert_eq!(&mode_string(0o041776), b"drwxrwxrwT");
    }

    #[test]
    fn human_matches_gnu() {
        assert_eq!(human_size(0, 1024), "0");
        assert_eq!(human_size(1023, 1024), "1023");
        assert_eq!(human_size(1024, 1024), "1.0K");
        assert_eq!(human_size(1025, 1024), "1.1K");
        assert_eq!(human_size(4096, 1024), "4.0K");
        assert_eq!(human_size(10 * 1024 - 1, 1024), "10K");
        assert_eq!(human_size(10 * 1024, 1024), "10K");
        assert_eq!(human_size(10 * 1024 + 1, 1024), "11K");
        assert_eq!(human_size(1024 * 1024 - 1, 1024), "1.0M");
        // 1153434 B is 1.1000004 MiB: GNU rounds up to 1.2M (checked with GNU ls -lh).
        assert_eq!(human_size(1153434, 1024), "1.2M");
        assert_eq!(human_size(3 * 1024 * 1024 + 17, 1024), "3.1M");
        assert_eq!(human_size(10 * 1024 * 1024 * 1024 + 1, 1024), "11G");
        assert_eq!(human_size(1000, 1000), "1.0k");
        assert_eq!(human_size(u64::MAX, 1024), "16E");
    }

    #[test]
    fn name_parts() {
        fn d(s: &[u8]) -> &[u8] {
            &s[..dir_len(s)]
        }
        assert_eq!(d(b"/usr/bin/"), b"/usr");
        assert_eq!(d(b"a"), b"");
        assert_eq!(d(b"/"), b"/");
        assert_eq!(d(b"//a//b//"), b"//a");
        assert_eq!(d(b"/a"), b"/");
        assert_eq!(base_name(b"a/b//"), b"b");
        assert_eq!(base_name(b"//"), b"/");
        assert_eq!(base_name(b""), b"");
        assert_eq!(base_name(b"x"), b"x");
    }

    #[test]
    fn id_db() {
        let db = IdDb::parse(b"root:x:0:0::/root:/bin/sh\nbad\nnonroot:x:65532:65532::/home:/x\n");
        assert_eq!(db.name(0), Some(&b"root"[..]));
        assert_eq!(db.id(b"nonroot"), Some(65532));
        assert_eq!(db.name(5), None);
        assert_eq!(db.primary_gid(b"nonroot"), Some(65532));
        let g = IdDb::parse(b"root:x:0:\nbin:x:2:ann,bob\nbob:x:9:\nstaff:x:50:bob\n");
        assert_eq!(g.groups_of(b"bob").collect::<Vec<_>>(), [2, 50]);
        assert_eq!(g.groups_of(b"bo").count(), 0);
    }

    #[test]
    fn owner_numbers() {
        assert_eq!(owner_number(b"5"), Some(5));
        assert_eq!(owner_number(b"+7"), Some(7));
        assert_eq!(owner_number(b"-1"), None);
        assert_eq!(owner_number(b"4294967295"), None);
        assert_eq!(owner_number(b""), None);
    }
}
