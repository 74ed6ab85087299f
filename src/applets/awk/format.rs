//! awk's printf/sprintf: C's conversions (`%c %d %i %o %x %X %u %e %E %f %F %g %G %a %A %s
//! %%`) with flags, widths and precisions (`*` from the arguments) over awk values.

use super::value::{looks_numeric, Value};
use crate::common::printf::{c_double, pad};

/// Widths and precisions are bounded so a silly number cannot exhaust memory.
const MAX_WIDTH: i64 = 1 << 24;

/// Format `fmt` with `args` into `out`; numbers become strings through `convfmt`. False when
/// the arguments ran out.
pub fn format(out: &mut Vec<u8>, fmt: &[u8], args: &[Value], convfmt: &[u8]) -> bool {
    let mut ai = 0;
    let next = |ai: &mut usize| -> Value {
        let v = args.get(*ai).cloned().unwrap_or_default();
        *ai += 1;
        v
    };
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            let st = i;
            while i < fmt.len() && fmt[i] != b'%' {
                i += 1;
            }
            out.extend_from_slice(&fmt[st..i]);
            continue;
        }
        let st = i;
        i += 1;
        if i < fmt.len() && fmt[i] == b'%' {
            out.push(b'%');
            i += 1;
            continue;
        }
        let (mut left, mut zero, mut plus, mut space, mut alt) =
            (false, false, false, false, false);
        while i < fmt.len() {
            match fmt[i] {
                b'-' => left = true,
                b'0' => zero = true,
                b'+' => plus = true,
                b' ' => space = true,
                b'#' => alt = true,
                _ => break,
            }
            i += 1;
        }
        let mut width: i64 = 0;
        if i < fmt.len() && fmt[i] == b'*' {
            width = next(&mut ai).num() as i64;
            if width < 0 {
                left = true;
                width = -width;
            }
            i += 1;
        } else {
            while i < fmt.len() && fmt[i].is_ascii_digit() {
                width = (width * 10 + (fmt[i] - b'0') as i64).min(MAX_WIDTH);
                i += 1;
            }
        }
        let mut prec: Option<i64> = None;
        if i < fmt.len() && fmt[i] == b'.' {
            i += 1;
            let mut p: i64 = 0;
            if i < fmt.len() && fmt[i] == b'*' {
                p = next(&mut ai).num() as i64;
                i += 1;
                prec = if p < 0 { None } else { Some(p.min(MAX_WIDTH)) };
            } else {
                while i < fmt.len() && fmt[i].is_ascii_digit() {
                    p = (p * 10 + (fmt[i] - b'0') as i64).min(MAX_WIDTH);
                    i += 1;
                }
                prec = Some(p);
            }
        }
        while i < fmt.len() && matches!(fmt[i], b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't') {
            i += 1;
        }
        if i >= fmt.len() {
            // an incomplete specification is printed as it is
            out.extend_from_slice(&fmt[st..]);
            break;
        }
        let conv = fmt[i];
        i += 1;
        let width = width.min(MAX_WIDTH) as usize;
        let mut body = Vec::new();
        match conv {
            b'c' => {
                let v = next(&mut ai);
                match v {
                    Value::Num(n) => {
                        // the low byte of the code (the C locale)
                        body.push(n as i64 as u8);
                    }
                    // an empty or unset value prints a NUL (mawk, gawk)
                    Value::Uninit => body.push(0),
                    // a field that looks like a number is one (mawk, gawk: `echo 65 | awk
                    // '{printf "%c", $1}'` is A)
                    Value::StrNum(s) => body.push(match looks_numeric(&s) {
                        Some(n) => n as i64 as u8,
                        None => s.first().copied().unwrap_or(0),
                    }),
                    Value::Str(s) => body.push(s.first().copied().unwrap_or(0)),
                }
                pad(out, &body, width, left, false);
            }
            b's' => {
                let v = next(&mut ai);
                v.append_str(convfmt, &mut body);
                if let Some(p) = prec {
                    body.truncate(p as usize);
                }
                pad(out, &body, width, left, false);
            }
            b'd' | b'i' => {
                let n = next(&mut ai).num();
                int_conv(&mut body, n, prec, plus, space);
                pad(out, &body, width, left, zero && prec.is_none());
            }
            b'o' | b'x' | b'X' | b'u' => {
                let n = next(&mut ai).num();
                if !n.is_finite() {
                    body = c_double(n, b'g', 6, false, plus, space);
                    pad(out, &body, width, left, false);
                    continue;
                }
                let u = if n < 0.0 {
                    (n as i64) as u64
                } else if n >= 18446744073709551615.0 {
                    u64::MAX
                } else {
                    n as u64
                };
                let digits = match conv {
                    b'o' => format!("{u:o}"),
                    b'x' => format!("{u:x}"),
                    b'X' => format!("{u:X}"),
                    _ => format!("{u}"),
                };
                let mut d = digits.into_bytes();
                if let Some(p) = prec {
                    if p == 0 && u == 0 {
                        d.clear();
                    }
                    while (d.len() as i64) < p {
                        d.insert(0, b'0');
                    }
                }
                if alt {
                    match conv {
                        b'o' if d.first() != Some(&b'0') => d.insert(0, b'0'),
                        b'x' if u != 0 => body.extend_from_slice(b"0x"),
                        b'X' if u != 0 => body.extend_from_slice(b"0X"),
                        _ => {}
                    }
                }
                body.extend_from_slice(&d);
                pad(out, &body, width, left, zero && prec.is_none());
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                let n = next(&mut ai).num();
                let p = prec.unwrap_or(6) as usize;
                let conv = if conv == b'F' { b'f' } else { conv };
                body = c_double(n, conv, p, alt, plus, space);
                pad(out, &body, width, left, zero && n.is_finite());
            }
            // flags or a width before `%` are dropped (gawk and C's printf; mawk refuses it)
            b'%' => out.push(b'%'),
            _ => {
                // not a conversion: printed as written (gawk)
                out.extend_from_slice(&fmt[st..i]);
            }
        }
    }
    ai <= args.len()
}

fn int_conv(body: &mut Vec<u8>, n: f64, prec: Option<i64>, plus: bool, space: bool) {
    if n.is_nan() || n.is_infinite() {
        let s = c_double(n, b'f', 0, false, plus, space);
        body.extend_from_slice(&s);
        return;
    }
    let t = n.trunc();
    let neg = t < 0.0;
    let mut d = if t.abs() < 9.2e18 {
        format!("{}", (t as i64).unsigned_abs()).into_bytes()
    } else {
        format!("{:.0}", t.abs()).into_bytes()
    };
    if let Some(p) = prec {
        if p == 0 && t == 0.0 {
            d.clear();
        }
        while (d.len() as i64) < p {
            d.insert(0, b'0');
        }
    }
    if neg {
        body.push(b'-');
    } else if plus {
        body.push(b'+');
    } else if space {
        body.push(b' ');
    }
    body.extend_from_slice(&d);
}

/// CONVFMT/OFMT applied to a number.
pub fn sprintf_num(fmt: &[u8], v: f64, out: &mut Vec<u8>) {
    let _ = format(out, fmt, &[Value::Num(v)], b"%.6g");
}
