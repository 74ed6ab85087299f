//! Who the process is and where it runs: real and effective user and group ids, the
//! supplementary groups, access checks with the effective ids, the host name and uname(2).
//! Names for ids (/etc/passwd, /etc/group) are looked up in `common::fs`, not here.

use std::io;
use std::mem::MaybeUninit;

use super::fd::{cvt, with_cstr};

pub use libc::{gid_t, uid_t};

super::fd::infallible! {
    /// The real user id (getuid(2)).
    getuid -> uid_t;
    /// The effective user id (geteuid(2)): the one permission checks use.
    geteuid -> uid_t;
    /// The real group id (getgid(2)).
    getgid -> gid_t;
    /// The effective group id (getegid(2)).
    getegid -> gid_t;
}

/// The supplementary group ids (getgroups(2)), in the kernel's order; the effective group id
/// may or may not be among them (`id` adds it itself).
pub fn getgroups() -> io::Result<Vec<gid_t>> {
    loop {
        // SAFETY: a size of 0 asks only for the count; the list pointer is not used.
        let n = cvt(unsafe { libc::getgroups(0, std::ptr::null_mut()) })?;
        let mut v: Vec<gid_t> = vec![0; n as usize];
        // SAFETY: v has room for n group ids, and n is the size passed.
        match cvt(unsafe { libc::getgroups(n, v.as_mut_ptr()) }) {
            Ok(got) => {
                v.truncate(got as usize);
                return Ok(v);
            }
            // The list grew between the two calls (another thread's setgroups): ask again.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// faccessat(2) with `AT_EACCESS`: may the process, with its *effective* user and group ids,
/// access `name` (relative to the current directory) as `mode` says (`libc::R_OK`, `W_OK`,
/// `X_OK`, or `F_OK` for existence)? This is what `test -r/-w/-x` and `find -readable` ask;
/// [`super::fd::access`] asks with the real ids. A name holding a NUL byte is EINVAL.
pub fn eaccess(name: &[u8], mode: i32) -> io::Result<()> {
    with_cstr(name, |c| {
        // SAFETY: c is a NUL-terminated string that outlives the call.
        cvt(unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), mode, libc::AT_EACCESS) })
            .map(drop)
    })
}

/// The fields of uname(2), as bytes without their NUL padding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UtsName {
    /// The kernel's name: `Linux`.
    pub sysname: Vec<u8>,
    /// The host name (what [`hostname`] returns).
    pub nodename: Vec<u8>,
    /// The kernel release: `6.1.0-13-amd64`.
    pub release: Vec<u8>,
    /// The kernel version: `#1 SMP PREEMPT_DYNAMIC Debian ...`.
    pub version: Vec<u8>,
    /// The hardware: `x86_64`.
    pub machine: Vec<u8>,
    /// The NIS domain name (`(none)` when unset).
    pub domainname: Vec<u8>,
}

fn field(f: &[libc::c_char]) -> Vec<u8> {
    let n = f.iter().position(|&c| c == 0).unwrap_or(f.len());
    f[..n].iter().map(|&c| c as u8).collect()
}

/// uname(2): the kernel's name, release and version, the machine and the host name.
pub fn uname() -> io::Result<UtsName> {
    let mut u = MaybeUninit::<libc::utsname>::uninit();
    // SAFETY: u has room for a struct utsname, which uname fills on success.
    cvt(unsafe { libc::uname(u.as_mut_ptr()) })?;
    // SAFETY: uname succeeded, so u is initialised.
    let u = unsafe { u.assume_init() };
    Ok(UtsName {
        sysname: field(&u.sysname),
        nodename: field(&u.nodename),
        release: field(&u.release),
        version: field(&u.version),
        machine: field(&u.machine),
        domainname: field(&u.domainname),
    })
}

/// The host name (gethostname(2)), as bytes.
pub fn hostname() -> io::Result<Vec<u8>> {
    // HOST_NAME_MAX is 64 on Linux; the room beyond it keeps the terminating NUL.
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into buf.
    cvt(unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) })?;
    let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    Ok(buf[..n].to_vec())
}

/// faccessat(2) with `AT_EACCESS` relative to a directory descriptor: [`eaccess`] for a name
/// in `dir` (rm asks whether a file is write-protected before prompting).
pub fn eaccessat(dir: super::fd::BorrowedFd, name: &[u8], mode: i32) -> io::Result<()> {
    use super::fd::AsRawFd;
    with_cstr(name, |c| {
        // SAFETY: c is a NUL-terminated string that outlives the call.
        cvt(unsafe { libc::faccessat(dir.as_raw_fd(), c.as_ptr(), mode, libc::AT_EACCESS) })
            .map(drop)
    })
}

/// How many CPUs the process may run on (sched_getaffinity(2)); None when the call fails.
pub fn affinity_cpus() -> Option<u64> {
    // Room for 8192 CPUs, as glibc's first try.
    let mut set = [0u64; 128];
    // SAFETY: the kernel writes at most size_of_val(&set) bytes into set.
    let n = unsafe {
        libc::syscall(
            libc::SYS_sched_getaffinity,
            0,
            std::mem::size_of_val(&set),
            set.as_mut_ptr(),
        )
    };
    if n <= 0 {
        return None;
    }
    let words = (n as usize / 8).min(set.len());
    Some(set[..words].iter().map(|w| w.count_ones() as u64).sum())
}

/// sysconf(3) as the C library answers it (`libc::_SC_*`); None for "no limit" or an error.
pub fn sysconf(name: i32) -> Option<i64> {
    // SAFETY: sysconf only takes a number.
    let v = unsafe { libc::sysconf(name) };
    (v >= 0).then_some(v as i64)
}

/// sethostname(2) (root only).
pub fn sethostname(name: &[u8]) -> io::Result<()> {
    // SAFETY: name points to name.len() readable bytes.
    cvt(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) }).map(drop)
}

// --- Switching identity (su-exec, gosu, setpriv): issue 16 ---

/// setgroups(2): the supplementary group list (root only). musl applies it to every thread.
pub fn setgroups(groups: &[gid_t]) -> io::Result<()> {
    // SAFETY: groups points to groups.len() readable gid_t values.
    cvt(unsafe { libc::setgroups(groups.len(), groups.as_ptr()) }).map(drop)
}

/// setresgid(2): real, effective and saved group ids (`u32::MAX`, i.e. -1: unchanged).
pub fn setresgid(r: gid_t, e: gid_t, s: gid_t) -> io::Result<()> {
    // SAFETY: setresgid only takes numbers.
    cvt(unsafe { libc::setresgid(r, e, s) }).map(drop)
}

/// setresuid(2): real, effective and saved user ids (`u32::MAX`, i.e. -1: unchanged).
pub fn setresuid(r: uid_t, e: uid_t, s: uid_t) -> io::Result<()> {
    // SAFETY: setresuid only takes numbers.
    cvt(unsafe { libc::setresuid(r, e, s) }).map(drop)
}

/// getresuid(2): real, effective and saved user ids.
pub fn getresuid() -> (uid_t, uid_t, uid_t) {
    let (mut r, mut e, mut s) = (0, 0, 0);
    // SAFETY: the three pointers are to live locals; getresuid cannot fail with valid ones.
    unsafe { libc::getresuid(&mut r, &mut e, &mut s) };
    (r, e, s)
}

/// getresgid(2): real, effective and saved group ids.
pub fn getresgid() -> (gid_t, gid_t, gid_t) {
    let (mut r, mut e, mut s) = (0, 0, 0);
    // SAFETY: the three pointers are to live locals; getresgid cannot fail with valid ones.
    unsafe { libc::getresgid(&mut r, &mut e, &mut s) };
    (r, e, s)
}

/// prctl(PR_SET_NO_NEW_PRIVS, 1): execve never grants privileges again (setuid bits, file
/// capabilities), for this process and its children.
pub fn set_no_new_privs() -> io::Result<()> {
    // SAFETY: prctl with PR_SET_NO_NEW_PRIVS only takes numbers.
    cvt(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) }).map(drop)
}

/// prctl(PR_SET_PDEATHSIG, sig): the signal this process gets when its parent dies (0: none).
pub fn set_parent_death_signal(sig: i32) -> io::Result<()> {
    // SAFETY: prctl with PR_SET_PDEATHSIG only takes numbers.
    cvt(unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, sig as libc::c_ulong, 0, 0, 0) }).map(drop)
}

/// Clear the inheritable capability set (capget(2) then capset(2), version 3), keeping the
/// permitted and effective sets: `setpriv --inh-caps=-all`.
pub fn clear_inheritable_caps() -> io::Result<()> {
    // _LINUX_CAPABILITY_VERSION_3, this process; two {effective, permitted, inheritable}.
    let mut hdr: [u32; 2] = [0x2008_0522, 0];
    let mut data = [0u32; 6];
    // SAFETY: hdr is a cap_user_header_t and data two cap_user_data_t, as version 3 wants.
    cvt(unsafe { libc::syscall(libc::SYS_capget, hdr.as_mut_ptr(), data.as_mut_ptr()) } as i32)?;
    data[2] = 0;
    data[5] = 0;
    // SAFETY: as above; capset only reads them.
    cvt(unsafe { libc::syscall(libc::SYS_capset, hdr.as_mut_ptr(), data.as_ptr()) } as i32)
        .map(drop)
}

/// Clear the ambient capability set (prctl PR_CAP_AMBIENT_CLEAR_ALL).
pub fn clear_ambient_caps() -> io::Result<()> {
    // SAFETY: prctl with PR_CAP_AMBIENT only takes numbers.
    cvt(unsafe {
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong,
            0,
            0,
            0,
        )
    })
    .map(drop)
}

/// Drop every capability from the bounding set (prctl PR_CAPBSET_DROP, up to the kernel's
/// last one; needs CAP_SETPCAP).
pub fn clear_bounding_set() -> io::Result<()> {
    for cap in 0..64 {
        // SAFETY: prctl with PR_CAPBSET_READ only takes numbers.
        if unsafe { libc::prctl(libc::PR_CAPBSET_READ, cap as libc::c_ulong, 0, 0, 0) } < 0 {
            break;
        }
        // SAFETY: prctl with PR_CAPBSET_DROP only takes numbers.
        cvt(unsafe { libc::prctl(libc::PR_CAPBSET_DROP, cap as libc::c_ulong, 0, 0, 0) })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc_status(key: &str) -> Vec<u32> {
        let s = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = s.lines().find(|l| l.starts_with(key)).unwrap();
        line[key.len()..]
            .split_whitespace()
            .map(|w| w.parse().unwrap())
            .collect()
    }

    #[test]
    fn ids_match_the_kernel() {
        // /proc/self/status: "Uid: real effective saved fs".
        let u = proc_status("Uid:");
        let g = proc_status("Gid:");
        assert_eq!((getuid(), geteuid()), (u[0], u[1]));
        assert_eq!((getgid(), getegid()), (g[0], g[1]));
        let mut want = proc_status("Groups:");
        let mut got = getgroups().unwrap();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
    }

    #[test]
    fn hostname_and_uname_agree() {
        let u = uname().unwrap();
        assert_eq!(u.sysname, b"Linux");
        assert!(!u.release.is_empty() && !u.machine.is_empty());
        assert_eq!(hostname().unwrap(), u.nodename);
        let k = std::fs::read("/proc/sys/kernel/osrelease").unwrap();
        assert_eq!(u.release, k.trim_ascii_end());
    }

    #[test]
    fn eaccess_checks_effective_ids() {
        assert!(eaccess(b"/", libc::X_OK).is_ok());
        assert_eq!(
            eaccess(b"/nonexistent/x", libc::F_OK)
                .unwrap_err()
                .raw_os_error(),
            Some(libc::ENOENT)
        );
        assert_eq!(
            eaccess(b"a\0b", libc::F_OK).unwrap_err().raw_os_error(),
            Some(libc::EINVAL)
        );
        let d = std::env::temp_dir().join(format!("rbox-eaccess-{}", std::process::id()));
        std::fs::write(&d, b"").unwrap();
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o600)).unwrap();
        let name = d.as_os_str().as_bytes();
        assert!(eaccess(name, libc::R_OK | libc::W_OK).is_ok());
        // Not executable, even for root (X_OK needs an x bit somewhere).
        assert_eq!(
            eaccess(name, libc::X_OK).unwrap_err().raw_os_error(),
            Some(libc::EACCES)
        );
        std::fs::remove_file(&d).unwrap();
    }
}
