//! The printf format engine and echo's backslash escapes: ONE implementation for the `printf`
//! and `echo` applets (GNU coreutils 9) and the shell's builtins of the same names (dash).
//!
//! The two dialects differ only where the programs do: GNU's printf knows `\xHH`, `\uHHHH`,
//! `%q`, words its errors `printf: 'x': expected a numeric value`, reads floating-point
//! arguments as x87 long doubles; dash's printf words them `printf: x: expected numeric value`,
//! pads `%b`, and reads doubles. GNU's `echo -e` knows `\xHH` and `\NNN`; dash's echo only
//! `\0NNN`.

/// Which program's behaviour to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// GNU coreutils' printf and echo.
    Gnu,
    /// dash's builtins.
    Dash,
}

/// The byte (low eight bits) that up to three leading octal digits of `s` stand for, and how
/// many digits that took.
pub fn octal(s: &[u8]) -> (u8, usize) {
    let n = s
        .iter()
        .take(3)
        .take_while(|c| (b'0'..=b'7').contains(c))
        .count();
    let v = s[..n].iter().fold(0u32, |v, &c| v * 8 + (c - b'0') as u32);
    (v as u8, n)
}

fn hex_val(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// The byte of a single-letter escape (`\n`, `\t`, ...), shared by every dialect.
fn simple_escape(c: u8) -> Option<u8> {
    Some(match c {
        b'a' => 7,
        b'b' => 8,
        b'e' => 27,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'\\' => b'\\',
        _ => return None,
    })
}

/// `echo`'s escapes (GNU `echo -e`, or dash's echo) appended to `out`; false when `\c` stops
/// all further output. GNU: `\xH[H]`, `\0[NNN]`, `\N[NN]`; dash: `\0[NNN]` only. An unknown
/// escape, or a backslash at the end, stays as written.
pub fn echo_escapes(s: &[u8], out: &mut Vec<u8>, d: Dialect) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = s[i + 1];
        i += 2;
        if let Some(b) = simple_escape(e) {
            out.push(b);
            continue;
        }
        match e {
            b'c' => return false,
            b'0' => {
                let (v, n) = octal(&s[i..]);
                out.push(v);
                i += n;
            }
            b'1'..=b'7' if d == Dialect::Gnu => {
                let (v, n) = octal(&s[i - 1..]);
                out.push(v);
                i += n - 1;
            }
            b'x' if d == Dialect::Gnu && s.get(i).is_some_and(|&c| hex_val(c).is_some()) => {
                let mut v = hex_val(s[i]).unwrap_or(0);
                i += 1;
                if let Some(h) = s.get(i).and_then(|&c| hex_val(c)) {
                    v = v * 16 + h;
                    i += 1;
                }
                out.push(v as u8);
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    true
}
