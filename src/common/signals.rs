//! Signal names and numbers, as the shell's `trap`/`kill` and the `kill` and `timeout` applets
//! spell them: `TERM`, `SIGTERM`, any case, or a number; real-time signals as glibc-based tools
//! number them (`RTMIN` = 34).

/// A non-negative decimal number (dash's `number()`).
fn number(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

pub const SIGNALS: &[(&str, i32)] = &[
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("ILL", libc::SIGILL),
    ("TRAP", libc::SIGTRAP),
    ("ABRT", libc::SIGABRT),
    ("BUS", libc::SIGBUS),
    ("FPE", libc::SIGFPE),
    ("KILL", libc::SIGKILL),
    ("USR1", libc::SIGUSR1),
    ("SEGV", libc::SIGSEGV),
    ("USR2", libc::SIGUSR2),
    ("PIPE", libc::SIGPIPE),
    ("ALRM", libc::SIGALRM),
    ("TERM", libc::SIGTERM),
    ("STKFLT", libc::SIGSTKFLT),
    ("CHLD", libc::SIGCHLD),
    ("CONT", libc::SIGCONT),
    ("STOP", libc::SIGSTOP),
    ("TSTP", libc::SIGTSTP),
    ("TTIN", libc::SIGTTIN),
    ("TTOU", libc::SIGTTOU),
    ("URG", libc::SIGURG),
    ("XCPU", libc::SIGXCPU),
    ("XFSZ", libc::SIGXFSZ),
    ("VTALRM", libc::SIGVTALRM),
    ("PROF", libc::SIGPROF),
    ("WINCH", libc::SIGWINCH),
    ("IO", libc::SIGIO),
    ("PWR", libc::SIGPWR),
    ("SYS", libc::SIGSYS),
];

/// A signal by name (`TERM`, `SIGTERM`, any case) or number; `EXIT` is 0.
pub fn signal_number(s: &[u8]) -> Option<i32> {
    if let Some(n) = number(s) {
        return if n < 65 { Some(n as i32) } else { None };
    }
    let up: Vec<u8> = s.to_ascii_uppercase();
    let name = up.strip_prefix(b"SIG").unwrap_or(&up);
    if name == b"EXIT" {
        return Some(0);
    }
    // Real-time signals, numbered as glibc-based shells show them (RTMIN = 34).
    let off = |r: &[u8], sign: u8| -> Option<i32> {
        match r {
            [] => Some(0),
            [c, d @ ..] if *c == sign => std::str::from_utf8(d).ok()?.parse::<i32>().ok(),
            _ => None,
        }
    };
    if let Some(r) = name.strip_prefix(b"RTMIN") {
        let o = off(r, b'+')?;
        return (0..=30).contains(&o).then_some(34 + o);
    }
    if let Some(r) = name.strip_prefix(b"RTMAX") {
        let o = off(r, b'-')?;
        return (0..=30).contains(&o).then_some(64 - o);
    }
    SIGNALS
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map(|(_, v)| *v)
}

pub fn signal_name(n: i32) -> Option<String> {
    if n == 0 {
        return Some("EXIT".into());
    }
    if let Some(s) = SIGNALS.iter().find(|(_, v)| *v == n).map(|(s, _)| *s) {
        return Some(s.into());
    }
    match n {
        34 => Some("RTMIN".into()),
        35..=49 => Some(format!("RTMIN+{}", n - 34)),
        50..=63 => Some(format!("RTMAX-{}", 64 - n)),
        64 => Some("RTMAX".into()),
        _ => None,
    }
}

/// A signal operand as GNU's operand2sig reads it: a name (any case, `SIG` optional) or a
/// number, where a shell's status above 128 (or 256) stands for its signal; 0 is `EXIT`.
pub fn operand_signal(s: &[u8]) -> Option<i32> {
    if s.first().is_some_and(u8::is_ascii_digit) {
        let n: i32 = std::str::from_utf8(s).ok()?.parse().ok()?;
        let n = n & if n >= 0xff { 0xff } else { 0x7f };
        return signal_name(n).map(|_| n);
    }
    signal_number(s)
}
