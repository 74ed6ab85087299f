//! `kill`: send a signal to processes, or list signal names.
//!
//! The external `kill` of procps-ng 4 (Debian's /bin/kill), without job specs: `-l [SIG]`
//! (all names, or a number to its name and a name to its number), `-L`/`--table`, `-s SIG`,
//! `--signal SIG`, `-SIG`, `-n N`, then pids (a negative one names a process group; put it
//! after `--`). Signal names and numbers come from `common::signals`, as the shell's `kill`
//! builtin's. Status 1 when any pid could not be signalled. Deviations: no `-q`/`--queue`
//! (sigqueue values) and no `--timeout`; usage errors print a short usage line.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;

use crate::common::help::{help_text, Help};
use crate::common::sys::process as sp;
use crate::common::{ctx::strerror, signals, Ctx, Error, Result};

const USAGE: Help = help_text!(
    "
Usage:
 kill [options] <pid> [...]

Options:
 <pid> [...]            send signal to every <pid> listed
 -<signal>, -s, --signal <signal>
                        specify the <signal> to be sent
 -l, --list=[<signal>]  list all signal names, or convert one to a name
 -L, --table            list all signal names in a nice table

 -h, --help     display this help and exit
 -V, --version  output version information and exit
"
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

/// procps names signal 29 POLL (its older name) where the shell says IO.
fn name(n: i32) -> String {
    if n == libc::SIGIO {
        return "POLL".into();
    }
    signals::signal_name(n).unwrap_or_else(|| n.to_string())
}

fn usage(ctx: &mut Ctx) -> Error {
    let _ = ctx.out.flush();
    crate::common::io::write_all(crate::common::io::stderr_fd(), &USAGE.bytes()).ok();
    Error::silent(1)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut sig = libc::SIGTERM;
    let mut i = 0;
    let parse_sig = |ctx: &mut Ctx, s: &[u8]| -> Result<i32> {
        let s2 = s.to_ascii_uppercase();
        let s2 = if s2.starts_with(b"SIGPOLL") || s2 == b"POLL" {
            b"IO".to_vec()
        } else {
            s2
        };
        signals::signal_number(&s2).ok_or_else(|| {
            let mut m = b"unknown signal name ".to_vec();
            m.extend_from_slice(s);
            ctx.msg(&m);
            Error::silent(1)
        })
    };
    while i < args.len() {
        let a = args[i];
        match a {
            b"--" => {
                i += 1;
                break;
            }
            b"-h" | b"--help" => {
                ctx.out.write_all(&USAGE.bytes())?;
                return Ok(());
            }
            b"-V" | b"--version" => {
                let v = format!("kill (rbox) {}\n", env!("CARGO_PKG_VERSION"));
                ctx.out.write_all(v.as_bytes())?;
                return Ok(());
            }
            b"-L" | b"--table" => {
                let mut line = String::new();
                for n in 1..32 {
                    if n % 7 == 0 {
                        let _ = writeln!(line, "{n:2} {}", name(n));
                    } else {
                        let _ = write!(line, "{n:2} {:<8}", name(n));
                    }
                }
                if !line.ends_with('\n') {
                    line.push('\n');
                }
                ctx.out.write_all(line.as_bytes())?;
                return Ok(());
            }
            _ if a == b"-l" || a == b"--list" || a.starts_with(b"--list=") => {
                let arg = match a.strip_prefix(b"--list=") {
                    Some(v) => Some(v),
                    None => args.get(i + 1).copied(),
                };
                let Some(v) = arg else {
                    let mut out = String::new();
                    let mut pos = 0;
                    for n in 1..32 {
                        let nm = name(n);
                        if pos > 0 && pos + nm.len() + 1 > 80 {
                            out.push('\n');
                            pos = 0;
                        } else if pos > 0 {
                            out.push(' ');
                            pos += 1;
                        }
                        out.push_str(&nm);
                        pos += nm.len();
                    }
                    out.push('\n');
                    ctx.out.write_all(out.as_bytes())?;
                    return Ok(());
                };
                if v.iter().all(u8::is_ascii_digit) && !v.is_empty() {
                    let n: i32 = std::str::from_utf8(v).unwrap_or("0").parse().unwrap_or(0);
                    if (1..32).contains(&n) || (34..65).contains(&n) {
                        ctx.out.write_all(format!("{}\n", name(n)).as_bytes())?;
                        return Ok(());
                    }
                    // procps reports it and still exits 0.
                    let mut m = b"unknown signal name ".to_vec();
                    m.extend_from_slice(v);
                    ctx.msg(&m);
                    return Ok(());
                }
                let n = parse_sig(ctx, v)?;
                ctx.out.write_all(format!("{n}\n").as_bytes())?;
                return Ok(());
            }
            b"-s" | b"--signal" | b"-n" => {
                let Some(v) = args.get(i + 1) else {
                    return Err(usage(ctx));
                };
                sig = parse_sig(ctx, v)?;
                i += 2;
            }
            _ if a.starts_with(b"--signal=") => {
                sig = parse_sig(ctx, &a[9..])?;
                i += 1;
            }
            _ if a.len() > 1 && a[0] == b'-' && i == 0 => {
                sig = parse_sig(ctx, &a[1..])?;
                i += 1;
            }
            _ => break,
        }
    }
    let pids = &args[i..];
    if pids.is_empty() {
        return Err(usage(ctx));
    }
    for p in pids {
        let pid = std::str::from_utf8(p)
            .ok()
            .and_then(|s| s.parse::<i32>().ok());
        let Some(pid) = pid else {
            let mut m = b"failed to parse argument: '".to_vec();
            m.extend_from_slice(p);
            m.push(b'\'');
            ctx.error(1, &m);
            continue;
        };
        if let Err(e) = sp::kill(pid, sig) {
            ctx.errorf(1, format_args!("({pid}): {}", strerror(&e)));
        }
    }
    Ok(())
}
