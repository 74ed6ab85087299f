//! `echo` as dash has it (only `-n`; backslash escapes always, `\c` stops output) and POSIX
//! `printf` (XCU printf): every conversion of `diouxXcsb` and `eEfFgGaA`, flags, `*` widths,
//! the format reused while arguments remain, `'c` numeric arguments, dash's messages.

use super::super::exec::{Res, Shell};
use crate::common::printf::{echo_escapes, Dialect};

/// The byte (low eight bits) that up to three leading octal digits of `s` stand for,
/// and how many digits that took.
pub fn octal(s: &[u8]) -> (u8, usize) {
    let n = s
        .iter()
        .take(3)
        .take_while(|c| (b'0'..=b'7').contains(c))
        .count();
    let v = s[..n].iter().fold(0u32, |v, &c| v * 8 + (c - b'0') as u32);
    (v as u8, n)
}

/// Interpret echo/`%b` escapes into `out`; returns false when `\c` stops all output.
fn escapes(s: &[u8], out: &mut Vec<u8>, percent_b: bool) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let d = s[i];
        i += 1;
        match d {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'c' => return false,
            b'e' => out.push(27),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'0'..=b'7' => {
                // echo and %b: \0nnn (up to three digits after the 0); also \nnn in %b.
                let start = if d == b'0' {
                    i
                } else if percent_b {
                    i - 1
                } else {
                    // dash's echo only knows \0nnn; \1 stays as is.
                    out.push(b'\\');
                    out.push(d);
                    continue;
                };
                let (v, n) = octal(&s[start..]);
                i = start + n;
                out.push(v);
            }
            _ => {
                out.push(b'\\');
                out.push(d);
            }
        }
    }
    true
}

pub fn echo(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut i = 1;
    let mut newline = true;
    if args.get(1).is_some_and(|a| a == b"-n") {
        newline = false;
        i = 2;
    }
    let mut out = Vec::with_capacity(64);
    let mut go = true;
    for (k, a) in args[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if !a.contains(&b'\\') {
            out.extend_from_slice(a);
        } else if !echo_escapes(a, &mut out, Dialect::Dash) {
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

struct Args<'a> {
    v: &'a [Vec<u8>],
    i: usize,
    err: bool,
}

impl Args<'_> {
    fn next(&mut self) -> Option<&[u8]> {
        let r = self.v.get(self.i).map(|a| a.as_slice());
        if r.is_some() {
            self.i += 1;
        }
        r
    }
    fn int(&mut self, sh: &mut Shell) -> i64 {
        match self.next() {
            None => 0,
            Some(a) => {
                let a = a.to_vec();
                match num(&a) {
                    Ok(v) => v,
                    Err(v) => {
                        let all_digits = a
                            .iter()
                            .skip(usize::from(matches!(a.first(), Some(b'-') | Some(b'+'))))
                            .all(u8::is_ascii_digit);
                        if all_digits && a.len() > 1 {
                            sh.errf(&[b"printf: ", &a, b": Numerical result out of range"]);
                        } else {
                            sh.errf(&[b"printf: ", &a, b": expected numeric value"]);
                        }
                        self.err = true;
                        v
                    }
                }
            }
        }
    }
    fn float(&mut self, sh: &mut Shell) -> f64 {
        match self.next() {
            None => 0.0,
            Some(a) => {
                let a = a.to_vec();
                if let [b'\'' | b'"', rest @ ..] = a.as_slice() {
                    return rest.first().map_or(0.0, |&c| c as f64);
                }
                let s = String::from_utf8_lossy(&a);
                match s.trim().parse::<f64>() {
                    Ok(v) => v,
                    Err(_) => {
                        sh.errf(&[b"printf: ", &a, b": expected numeric value"]);
                        self.err = true;
                        0.0
                    }
                }
            }
        }
    }
}

/// A printf integer argument: decimal, octal, hex, `'c`. Err(partial value) when not numeric.
fn num(a: &[u8]) -> Result<i64, i64> {
    if let [b'\'' | b'"', rest @ ..] = a {
        return Ok(rest.first().map_or(0, |&c| c as i64));
    }
    let t = a.strip_prefix(b" ").unwrap_or(a);
    let (neg, d) = match t {
        [b'-', r @ ..] => (true, r),
        [b'+', r @ ..] => (false, r),
        _ => (false, t),
    };
    let (digits, radix) = if d.len() > 2 && (d.starts_with(b"0x") || d.starts_with(b"0X")) {
        (&d[2..], 16)
    } else if d.len() > 1 && d[0] == b'0' {
        (&d[1..], 8)
    } else {
        (d, 10)
    };
    let mut v: i128 = 0;
    let mut ok = !digits.is_empty();
    for &c in digits {
        match (c as char).to_digit(radix) {
            Some(x) => v = (v * radix as i128 + x as i128).min(1 << 70),
            None => {
                ok = false;
                break;
            }
        }
    }
    let v = if neg { -v } else { v };
    let clamped = v.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    if ok && clamped as i128 == v {
        Ok(clamped)
    } else {
        Err(clamped)
    }
}

fn pad(out: &mut Vec<u8>, body: &[u8], width: usize, left: bool, zero: bool) {
    if body.len() >= width {
        out.extend_from_slice(body);
        return;
    }
    let fill = width - body.len();
    if left {
        out.extend_from_slice(body);
        out.extend(std::iter::repeat_n(b' ', fill));
    } else if zero {
        // Zeros go after the sign / 0x prefix.
        let mut k = 0;
        if matches!(body.first(), Some(b'-') | Some(b'+') | Some(b' ')) {
            k = 1;
        }
        if body[k..].starts_with(b"0x") || body[k..].starts_with(b"0X") {
            k += 2;
        }
        out.extend_from_slice(&body[..k]);
        out.extend(std::iter::repeat_n(b'0', fill));
        out.extend_from_slice(&body[k..]);
    } else {
        out.extend(std::iter::repeat_n(b' ', fill));
        out.extend_from_slice(body);
    }
}

pub fn printf(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut start = 1;
    if args.get(1).is_some_and(|a| a == b"--") {
        start = 2;
    }
    let Some(fmt) = args.get(start) else {
        return sh.usage_err(b"printf", b"usage: printf format [arg ...]");
    };
    let fmt = fmt.clone();
    let mut a = Args {
        v: &args[start + 1..],
        i: 0,
        err: false,
    };
    let mut out = Vec::new();
    let mut stop = false;
    loop {
        let before = a.i;
        let mut i = 0;
        while i < fmt.len() && !stop {
            let c = fmt[i];
            if c == b'\\' {
                // Format escapes: as %b but \c ends, and octal is \nnn.
                let (v, n) = octal(&fmt[i + 1..]);
                if n > 0 {
                    out.push(v);
                    i += 1 + n;
                    continue;
                }
                let end = (i + 2).min(fmt.len());
                if !escapes(&fmt[i..end], &mut out, true) {
                    stop = true;
                    break;
                }
                i = end;
                continue;
            }
            if c != b'%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            if fmt.get(i) == Some(&b'%') {
                out.push(b'%');
                i += 1;
                continue;
            }
            let mut left = false;
            let mut zero = false;
            let mut plus = false;
            let mut space = false;
            let mut alt = false;
            while let Some(&f) = fmt.get(i) {
                match f {
                    b'-' => left = true,
                    b'0' => zero = true,
                    b'+' => plus = true,
                    b' ' => space = true,
                    b'#' => alt = true,
                    _ => break,
                }
                i += 1;
            }
            let mut width: Option<i64> = None;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let w = a.int(sh);
                if w < 0 {
                    left = true;
                }
                width = Some(w.saturating_abs());
            } else {
                let s = i;
                while fmt.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i > s {
                    width = std::str::from_utf8(&fmt[s..i])
                        .ok()
                        .and_then(|x| x.parse().ok());
                }
            }
            let mut prec: Option<i64> = None;
            if fmt.get(i) == Some(&b'.') {
                i += 1;
                if fmt.get(i) == Some(&b'*') {
                    i += 1;
                    let p = a.int(sh);
                    prec = if p < 0 { None } else { Some(p) };
                } else {
                    let s = i;
                    while fmt.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    prec = Some(
                        std::str::from_utf8(&fmt[s..i])
                            .ok()
                            .and_then(|x| x.parse().ok())
                            .unwrap_or(0),
                    );
                }
            }
            // Length modifiers are accepted and ignored.
            while matches!(
                fmt.get(i),
                Some(b'l') | Some(b'h') | Some(b'j') | Some(b'z') | Some(b't') | Some(b'L')
            ) {
                i += 1;
            }
            let Some(&conv) = fmt.get(i) else {
                sh.print(&out);
                let _ = sh.flush_out(b"printf");
                sh.errf(&[b"printf: missing format character"]);
                return Ok(2);
            };
            i += 1;
            // Bounded so that a silly width cannot exhaust memory (dash would try).
            let w = width.unwrap_or(0).clamp(0, 1 << 24) as usize;
            let prec = prec.map(|p| p.min(1 << 24));
            match conv {
                b's' => {
                    let v = a.next().unwrap_or(b"").to_vec();
                    let v = match prec {
                        Some(p) if (p as usize) < v.len() => v[..p as usize].to_vec(),
                        _ => v,
                    };
                    pad(&mut out, &v, w, left, false);
                }
                b'b' => {
                    let v = a.next().unwrap_or(b"").to_vec();
                    let mut tmp = Vec::new();
                    let go = escapes(&v, &mut tmp, true);
                    if let Some(p) = prec {
                        tmp.truncate(p as usize);
                    }
                    pad(&mut out, &tmp, w, left, false);
                    if !go {
                        stop = true;
                    }
                }
                b'c' => {
                    let v = a.next().unwrap_or(b"");
                    // An empty argument prints a NUL, as in C (dash).
                    let ch: Vec<u8> = vec![v.first().copied().unwrap_or(0)];
                    pad(&mut out, &ch, w, left, false);
                }
                b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
                    let v = a.int(sh);
                    let mut digits = match conv {
                        b'd' | b'i' => v.unsigned_abs().to_string().into_bytes(),
                        b'o' => format!("{:o}", v as u64).into_bytes(),
                        b'u' => (v as u64).to_string().into_bytes(),
                        b'x' => format!("{:x}", v as u64).into_bytes(),
                        _ => format!("{:X}", v as u64).into_bytes(),
                    };
                    if let Some(p) = prec {
                        if p == 0 && v == 0 {
                            digits.clear();
                        }
                        if digits.len() < p as usize {
                            let mut z = vec![b'0'; p as usize - digits.len()];
                            z.extend_from_slice(&digits);
                            digits = z;
                        }
                    }
                    let mut body = Vec::new();
                    if matches!(conv, b'd' | b'i') {
                        if v < 0 {
                            body.push(b'-');
                        } else if plus {
                            body.push(b'+');
                        } else if space {
                            body.push(b' ');
                        }
                    }
                    if alt && v != 0 {
                        match conv {
                            b'o' if digits.first() != Some(&b'0') => body.push(b'0'),
                            b'x' => body.extend_from_slice(b"0x"),
                            b'X' => body.extend_from_slice(b"0X"),
                            _ => {}
                        }
                    }
                    body.extend_from_slice(&digits);
                    pad(&mut out, &body, w, left, zero && prec.is_none());
                }
                b'f' | b'F' | b'e' | b'E' | b'g' | b'G' | b'a' | b'A' => {
                    let v = a.float(sh);
                    let body = fmt_float(v, conv, prec, plus, space, alt);
                    pad(&mut out, &body, w, left, zero && v.is_finite());
                }
                _ => {
                    sh.print(&out);
                    let _ = sh.flush_out(b"printf");
                    sh.errf(&[b"printf: %", &[conv][..], b": invalid directive"]);
                    return Ok(2);
                }
            }
        }
        if stop || a.i >= a.v.len() || a.i == before {
            break;
        }
    }
    sh.print(&out);
    let f = sh.flush_out(b"printf");
    Ok(if a.err { 1 } else { f })
}

fn fmt_float(v: f64, conv: u8, prec: Option<i64>, plus: bool, space: bool, alt: bool) -> Vec<u8> {
    let p = prec.unwrap_or(6).clamp(0, 1 << 12) as usize;
    let upper = conv.is_ascii_uppercase();
    let mut s = if !v.is_finite() {
        let t = if v.is_nan() { "nan" } else { "inf" };
        let t = if v.is_sign_negative() && !v.is_nan() {
            format!("-{t}")
        } else {
            t.to_string()
        };
        if upper {
            t.to_uppercase()
        } else {
            t
        }
    } else {
        match conv.to_ascii_lowercase() {
            b'f' => format!("{:.*}", p, v),
            b'e' => c_exp(v, p, upper),
            b'g' => {
                let p = if p == 0 { 1 } else { p };
                let exp = if v == 0.0 {
                    0
                } else {
                    v.abs().log10().floor() as i32
                };
                // Decide with the rounded exponent as C does.
                let e_repr = c_exp(v, p - 1, upper);
                let exp_r: i32 = e_repr
                    .rsplit(['e', 'E'])
                    .next()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(exp);
                let mut r = if exp_r < -4 || exp_r >= p as i32 {
                    e_repr
                } else {
                    format!("{:.*}", (p as i32 - 1 - exp_r).max(0) as usize, v)
                };
                if !alt {
                    r = strip_zeros(&r);
                }
                r
            }
            _ => format!("{v:e}"),
        }
    };
    if v >= 0.0 && !s.starts_with('-') {
        if plus {
            s.insert(0, '+');
        } else if space {
            s.insert(0, ' ');
        }
    }
    s.into_bytes()
}

fn c_exp(v: f64, p: usize, upper: bool) -> String {
    let s = format!("{:.*e}", p, v);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let r = format!("{}e{}{:02}", m, if e < 0 { '-' } else { '+' }, e.abs());
    if upper {
        r.to_uppercase()
    } else {
        r
    }
}

fn strip_zeros(s: &str) -> String {
    let (m, e) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let m = if m.contains('.') {
        m.trim_end_matches('0').trim_end_matches('.')
    } else {
        m
    };
    format!("{m}{e}")
}
