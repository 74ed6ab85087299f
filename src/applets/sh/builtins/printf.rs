//! `echo` as dash has it (only `-n`; backslash escapes always, `\c` stops output) and
//! `printf`: the shared engine (`common::printf`) in dash's dialect: dash's messages
//! (`printf: x: expected numeric value`, `%z: invalid directive`, status 2), `%b` padded.

use super::super::exec::{Res, Shell};
use crate::common::printf::{echo_escapes, printf as engine, Dialect, End};

/// `echo` as BusyBox ash's (and bash's): `-n`, `-e`, `-E` and their combinations (`-en`);
/// backslash escapes only with `-e`, GNU echo's set (`\c` stops all output). dash's echo
/// always expands escapes; BusyBox and bash agree on this one, which images' scripts expect.
pub fn echo(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut i = 1;
    let mut newline = true;
    let mut escapes = false;
    while let Some(a) = args.get(i) {
        if a.len() < 2 || a[0] != b'-' || !a[1..].iter().all(|c| matches!(c, b'n' | b'e' | b'E')) {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut out = Vec::with_capacity(64);
    let mut go = true;
    for (k, a) in args[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if !escapes || !a.contains(&b'\\') {
            out.extend_from_slice(a);
        } else if !echo_escapes(a, &mut out, Dialect::Gnu) {
            go = false;
            break;
        }
    }
    if go && newline {
        out.push(b'\n');
    }
    sh.print(&out);
    Ok(sh.flush_out(b"echo"))
}

pub fn printf(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut start = 1;
    if args.get(1).is_some_and(|a| a == b"--") {
        start = 2;
    }
    let Some(fmt) = args.get(start) else {
        return sh.usage_err(b"printf", b"usage: printf format [arg ...]");
    };
    let rest: Vec<&[u8]> = args[start + 1..].iter().map(|a| a.as_slice()).collect();
    let mut diags: Vec<Vec<u8>> = Vec::new();
    let mut out = Vec::new();
    let mut all = Vec::new();
    let end = engine(
        Dialect::Dash,
        fmt,
        &rest,
        false,
        &mut out,
        &mut |m| diags.push(m.to_vec()),
        &mut |o| all.append(o),
    );
    // A fatal error comes after the output so far; bad numbers before it (dash).
    let fatal = matches!(end, End::Fatal(_)).then(|| diags.pop()).flatten();
    for d in &diags {
        sh.errf(&[b"printf: ", d]);
    }
    sh.print(&all);
    let f = sh.flush_out(b"printf");
    if let Some(d) = fatal {
        sh.errf(&[b"printf: ", &d]);
    }
    Ok(match end {
        End::Fatal(s) => s,
        End::Done(s) | End::Stop(s) => s.max(f),
    })
}
