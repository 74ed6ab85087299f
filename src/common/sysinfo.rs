//! What the system has, counted as glibc counts it (for `nproc` and `getconf`, which must agree
//! with GNU's even on musl, whose sysconf counts the affinity mask for both questions):
//! CPUs online (`/sys/devices/system/cpu/online`), configured (`.../possible`), and usable by
//! this process (sched_getaffinity).

use super::sys::user;

/// Count the CPUs in a kernel CPU list (`0-3,8,10-11`).
fn count_list(s: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(s).ok()?.trim();
    if s.is_empty() {
        return None;
    }
    let mut n = 0;
    for part in s.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.parse::<u64>().ok()?, b.parse::<u64>().ok()?),
            None => {
                let a = part.parse::<u64>().ok()?;
                (a, a)
            }
        };
        n += b.checked_sub(a)? + 1;
    }
    Some(n)
}

fn sys_list(name: &str) -> Option<u64> {
    count_list(&std::fs::read(format!("/sys/devices/system/cpu/{name}")).ok()?)
}

/// The CPUs this process may run on (at least 1).
pub fn cpus_usable() -> u64 {
    user::affinity_cpus()
        .filter(|&n| n > 0)
        .unwrap_or_else(cpus_online)
}

/// glibc's `_SC_NPROCESSORS_ONLN`.
pub fn cpus_online() -> u64 {
    sys_list("online")
        .or_else(user::affinity_cpus)
        .unwrap_or(1)
        .max(1)
}

/// glibc's `_SC_NPROCESSORS_CONF`.
pub fn cpus_configured() -> u64 {
    sys_list("possible").unwrap_or_else(cpus_online).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lists() {
        assert_eq!(count_list(b"0-3,8,10-11\n"), Some(7));
        assert_eq!(count_list(b"0"), Some(1));
        assert_eq!(count_list(b""), None);
        assert_eq!(count_list(b"3-1"), None);
        assert!(cpus_usable() >= 1 && cpus_configured() >= 1);
    }
}
