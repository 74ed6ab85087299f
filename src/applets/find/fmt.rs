//! `-printf` formats (GNU findutils 4.9's directives, flags, widths and escapes) and the `-ls`
//! line (gnulib's list_file).

use super::{Cur, Find, S_IFMT};
use crate::common::ctx::strerror;
use crate::common::fs::mode_string;
use crate::common::quote::{quote_into, quote_locale, Style};
use crate::common::sys::fd::{self as sysfd, Stat};
use crate::common::sys::fs as sysfs;
use crate::common::time::{strftime, Zone};

pub enum Seg {
    Lit(Vec<u8>),
    /// `\c`: stop output here.
    Stop,
    Dir(Spec),
}

#[derive(Default, Clone, Copy)]
pub struct Spec {
    minus: bool,
    zero: bool,
    plus: bool,
    space: bool,
    hash: bool,
    width: Option<usize>,
    prec: Option<usize>,
    kind: u8,
    sub: u8,
}

const KINDS: &[u8] = b"aAbBcCdDfFgGhHiklmMnpPsStTuUyYZ";

/// Compile a -printf format; warnings (unknown directives and escapes) are appended.
pub fn compile(f: &[u8], warnings: &mut Vec<Vec<u8>>) -> Result<Vec<Seg>, Vec<u8>> {
    let mut segs = Vec::new();
    let mut lit = Vec::new();
    let mut i = 0;
    while i < f.len() {
        let c = f[i];
        if c == b'\\' && i + 1 == f.len() {
            warnings.push(b"warning: escape `\\' followed by nothing at all".to_vec());
            lit.push(b'\\');
            break;
        }
        if c == b'\\' {
            let e = f[i + 1];
            i += 2;
            match e {
                b'a' => lit.push(7),
                b'b' => lit.push(8),
                b'f' => lit.push(12),
                b'n' => lit.push(b'\n'),
                b'r' => lit.push(b'\r'),
                b't' => lit.push(b'\t'),
                b'v' => lit.push(11),
                b'\\' => lit.push(b'\\'),
                b'c' => {
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit)));
                    }
                    segs.push(Seg::Stop);
                    return Ok(segs);
                }
                b'0'..=b'7' => {
                    let mut v = (e - b'0') as u32;
                    let mut n = 1;
                    while n < 3 && i < f.len() && (b'0'..=b'7').contains(&f[i]) {
                        v = v * 8 + (f[i] - b'0') as u32;
                        i += 1;
                        n += 1;
                    }
                    lit.push(v as u8);
                }
                _ => {
                    warnings.push(
                        [b"warning: unrecognized escape `\\".as_slice(), &[e], b"'"].concat(),
                    );
                    lit.push(b'\\');
                    lit.push(e);
                }
            }
            continue;
        }
        if c != b'%' {
            lit.push(c);
            i += 1;
            continue;
        }
        // A directive.
        let start = i;
        i += 1;
        if i >= f.len() {
            return Err(b"error: % at end of format string".to_vec());
        }
        if f[i] == b'%' {
            lit.push(b'%');
            i += 1;
            continue;
        }
        let mut s = Spec::default();
        while i < f.len() {
            match f[i] {
                b'-' => s.minus = true,
                b'0' => s.zero = true,
                b'+' => s.plus = true,
                b' ' => s.space = true,
                b'#' => s.hash = true,
                _ => break,
            }
            i += 1;
        }
        let num = |i: &mut usize| {
            let st = *i;
            while *i < f.len() && f[*i].is_ascii_digit() {
                *i += 1;
            }
            std::str::from_utf8(&f[st..*i])
                .ok()
                .and_then(|t| t.parse::<usize>().ok())
        };
        s.width = num(&mut i);
        if i < f.len() && f[i] == b'.' {
            i += 1;
            s.prec = Some(num(&mut i).unwrap_or(0));
        }
        if i >= f.len() {
            return Err(b"error: the format directive `%\0' is reserved for future use".to_vec());
        }
        let k = f[i];
        i += 1;
        if k == b'%' {
            // GNU prints what came before the second `%`.
            lit.extend_from_slice(&f[start..i - 1]);
            continue;
        }
        if matches!(k, b'{' | b'[' | b'(') {
            return Err([
                b"error: the format directive `%".as_slice(),
                &[k],
                b"' is reserved for future use",
            ]
            .concat());
        }
        if !KINDS.contains(&k) {
            warnings.push(
                [
                    b"warning: unrecognized format directive `%".as_slice(),
                    &[k],
                    b"'",
                ]
                .concat(),
            );
            lit.extend_from_slice(&f[start..i]);
            continue;
        }
        s.kind = k;
        if matches!(k, b'A' | b'B' | b'C' | b'T') {
            if i >= f.len() {
                warnings.push(
                    [
                        b"warning: format directive `%".as_slice(),
                        &[k],
                        b"' should be followed by another character",
                    ]
                    .concat(),
                );
                lit.extend_from_slice(&f[start..i]);
                continue;
            }
            s.sub = f[i];
            i += 1;
        }
        if !lit.is_empty() {
            segs.push(Seg::Lit(std::mem::take(&mut lit)));
        }
        segs.push(Seg::Dir(s));
    }
    if !lit.is_empty() {
        segs.push(Seg::Lit(lit));
    }
    Ok(segs)
}

fn pad_str(out: &mut Vec<u8>, s: &Spec, v: &[u8]) {
    let v = match s.prec {
        Some(p) if p < v.len() => &v[..p],
        _ => v,
    };
    let w = s.width.unwrap_or(0);
    let fill = w.saturating_sub(v.len());
    if !s.minus {
        out.extend(std::iter::repeat_n(b' ', fill));
    }
    out.extend_from_slice(v);
    if s.minus {
        out.extend(std::iter::repeat_n(b' ', fill));
    }
}

/// printf's `%d`/`%o` with flags.
fn pad_num(out: &mut Vec<u8>, s: &Spec, v: u64, octal: bool) {
    let mut digits = if octal {
        format!("{v:o}")
    } else {
        v.to_string()
    };
    if let Some(p) = s.prec {
        if digits.len() < p {
            digits = "0".repeat(p - digits.len()) + &digits;
        }
        if p == 0 && v == 0 {
            digits.clear();
        }
    }
    if octal && s.hash && !digits.starts_with('0') {
        digits.insert(0, '0');
    }
    let sign = if octal {
        ""
    } else if s.plus {
        "+"
    } else if s.space {
        " "
    } else {
        ""
    };
    let w = s.width.unwrap_or(0);
    let len = sign.len() + digits.len();
    let fill = w.saturating_sub(len);
    if s.minus {
        out.extend_from_slice(sign.as_bytes());
        out.extend_from_slice(digits.as_bytes());
        out.extend(std::iter::repeat_n(b' ', fill));
    } else if s.zero && s.prec.is_none() {
        out.extend_from_slice(sign.as_bytes());
        out.extend(std::iter::repeat_n(b'0', fill));
        out.extend_from_slice(digits.as_bytes());
    } else {
        out.extend(std::iter::repeat_n(b' ', fill));
        out.extend_from_slice(sign.as_bytes());
        out.extend_from_slice(digits.as_bytes());
    }
}

pub fn type_char(m: u32) -> u8 {
    match m & S_IFMT {
        libc::S_IFREG => b'f',
        libc::S_IFDIR => b'd',
        libc::S_IFLNK => b'l',
        libc::S_IFBLK => b'b',
        libc::S_IFCHR => b'c',
        libc::S_IFIFO => b'p',
        libc::S_IFSOCK => b's',
        _ => b'U',
    }
}

fn frac(out: &mut Vec<u8>, ns: i64) {
    out.push(b'.');
    out.extend_from_slice(format!("{:09}0", ns).as_bytes());
}

fn time_dir(out: &mut Vec<u8>, zone: &Zone, sub: u8, t: i64, ns: i64) {
    let tm = zone.to_tm(t);
    match sub {
        b'@' => {
            out.extend_from_slice(t.to_string().as_bytes());
            frac(out, ns);
        }
        b'+' => {
            strftime(out, b"%Y-%m-%d+%H:%M:%S", &tm, ns as u32, t);
            frac(out, ns);
        }
        b'S' | b'T' | b'X' => {
            let f: &[u8] = match sub {
                b'S' => b"%S",
                _ => b"%H:%M:%S",
            };
            strftime(out, f, &tm, ns as u32, t);
            frac(out, ns);
        }
        // date's extensions, unknown to the C library's strftime that GNU find calls
        b'q' | b'N' => out.extend_from_slice(&[b'%', sub]),
        _ => {
            let f = [b'%', sub];
            strftime(out, &f, &tm, ns as u32, t);
        }
    }
}

fn ctime_fmt(out: &mut Vec<u8>, zone: &Zone, t: i64, ns: i64) {
    let tm = zone.to_tm(t);
    strftime(out, b"%a %b %e %H:%M:%S", &tm, ns as u32, t);
    frac(out, ns);
    strftime(out, b" %Y", &tm, ns as u32, t);
}

/// The directory part %h prints (see the module tests for GNU's cases).
fn dir_part(path: &[u8]) -> &[u8] {
    // GNU 4.9 drops trailing slashes only when more than one character is left before them,
    // so `a/` gives `a` but `ab/` gives `.`: scripts see that, so it is followed.
    let mut t = path;
    if let Some(s) = t.iter().rposition(|&c| c != b'/') {
        if s > 0 {
            t = &t[..s + 1];
        }
    }
    match t.iter().rposition(|&c| c == b'/') {
        Some(i) => &t[..i],
        None => b".",
    }
}

/// %f of a root: the last component with at most one trailing slash.
fn root_base(path: &[u8]) -> &[u8] {
    let mut end = path.len();
    while end > 1 && path[end - 1] == b'/' {
        end -= 1;
    }
    if end == 1 && path[0] == b'/' {
        return b"/";
    }
    let start = path[..end]
        .iter()
        .rposition(|&c| c == b'/')
        .map_or(0, |i| i + 1);
    let stop = if end < path.len() { end + 1 } else { end };
    &path[start..stop]
}

/// The file system type of the entry, from the mount table (as GNU's %F and -fstype).
pub fn fs_type(f: &mut Find, st: &Stat) -> Vec<u8> {
    if let Some((_, t)) = f.fstypes.iter().find(|(d, _)| *d == st.st_dev) {
        return t.clone();
    }
    let mut best = b"unknown".to_vec();
    // findutils: the last entry of the device (mountinfo's own numbers, no stat of the mount
    // points), `ignore` entries skipped.
    for me in crate::common::mounts::read().unwrap_or_default() {
        if me.dev == st.st_dev && me.fstype != b"ignore" {
            best = me.fstype;
        }
    }
    f.fstypes.push((st.st_dev, best.clone()));
    best
}

/// %Y: the type of what a symlink points to (`N` dangling, `L` a loop, `?` another error).
/// %Y: the type of what a symlink points to; N when it dangles (ENOENT or ENOTDIR), L for a
/// loop, and otherwise `?` with a message that, as GNU's, leaves the exit status alone.
fn follow_type(f: &mut Find, c: &Cur, lst: &Stat) -> u8 {
    if lst.st_mode & S_IFMT != libc::S_IFLNK {
        return type_char(lst.st_mode);
    }
    match sysfd::fstatat(c.e.parent(), c.e.name(), 0) {
        Ok(s) => type_char(s.st_mode),
        Err(e) => match e.raw_os_error() {
            Some(libc::ENOENT | libc::ENOTDIR) => b'N',
            Some(libc::ELOOP) => b'L',
            _ => {
                let m = [
                    quote_locale(c.path()).as_slice(),
                    b": ",
                    strerror(&e).as_bytes(),
                ]
                .concat();
                f.ctx.msg(&m);
                b'?'
            }
        },
    }
}

/// How many directives have a width or precision past an int: GNU's printf of each fails
/// (EOVERFLOW) and writes nothing; the others are written.
pub fn render(f: &mut Find, segs: &[Seg], c: &mut Cur, out: &mut Vec<u8>) -> usize {
    let mut tmp = Vec::new();
    let mut too_wide = 0;
    for seg in segs {
        let s = match seg {
            Seg::Lit(l) => {
                out.extend_from_slice(l);
                continue;
            }
            Seg::Stop => return too_wide,
            Seg::Dir(s) => s,
        };
        if [s.width, s.prec]
            .iter()
            .flatten()
            .any(|&n| n > i32::MAX as usize)
        {
            too_wide += 1;
            continue;
        }
        tmp.clear();
        let path = c.e.path();
        let depth = c.e.depth();
        match s.kind {
            b'p' => pad_str(out, s, path),
            b'f' => {
                let b = if depth == 0 {
                    root_base(path)
                } else {
                    c.e.name()
                };
                pad_str(out, s, b)
            }
            b'h' => pad_str(out, s, dir_part(path)),
            b'H' => pad_str(out, s, &path[..c.root_len.min(path.len())]),
            b'P' => {
                let mut r = &path[c.root_len.min(path.len())..];
                if r.first() == Some(&b'/') {
                    r = &r[1..];
                }
                pad_str(out, s, r)
            }
            b'd' => pad_num(out, s, depth as u64, false),
            _ => {
                let Some(st) = f.stat(c) else {
                    continue;
                };
                let st = *st;
                match s.kind {
                    b's' => pad_str(out, s, st.st_size.to_string().as_bytes()),
                    b'b' => pad_str(out, s, st.st_blocks.to_string().as_bytes()),
                    b'k' => pad_str(out, s, ((st.st_blocks + 1) / 2).to_string().as_bytes()),
                    b'n' => pad_str(out, s, st.st_nlink.to_string().as_bytes()),
                    b'i' => pad_str(out, s, st.st_ino.to_string().as_bytes()),
                    b'D' => pad_str(out, s, st.st_dev.to_string().as_bytes()),
                    b'm' => pad_num(out, s, (st.st_mode & 0o7777) as u64, true),
                    b'M' => pad_str(out, s, &mode_string(st.st_mode)),
                    b'U' => pad_str(out, s, st.st_uid.to_string().as_bytes()),
                    b'G' => pad_str(out, s, st.st_gid.to_string().as_bytes()),
                    b'u' => {
                        let n = match f.names.user(st.st_uid) {
                            Some(n) => n.to_vec(),
                            None => st.st_uid.to_string().into_bytes(),
                        };
                        pad_str(out, s, &n)
                    }
                    b'g' => {
                        let n = match f.names.group(st.st_gid) {
                            Some(n) => n.to_vec(),
                            None => st.st_gid.to_string().into_bytes(),
                        };
                        pad_str(out, s, &n)
                    }
                    b'l' => {
                        if st.st_mode & S_IFMT == libc::S_IFLNK {
                            if let Ok(t) =
                                sysfs::readlinkat(c.e.parent(), c.e.name(), st.st_size as usize)
                            {
                                tmp = t;
                            }
                        }
                        pad_str(out, s, &tmp)
                    }
                    b'y' => pad_str(out, s, &[type_char(st.st_mode)]),
                    b'Y' => {
                        let t = follow_type(f, c, &st);
                        pad_str(out, s, &[t])
                    }
                    b'S' => {
                        let v = if st.st_size == 0 {
                            1.0
                        } else {
                            (st.st_blocks as f64 * 512.0) / st.st_size as f64
                        };
                        // C's %g with the directive's flags, width and precision
                        let body = crate::common::printf::c_double(
                            v,
                            b'g',
                            s.prec.unwrap_or(6),
                            s.hash,
                            s.plus,
                            s.space,
                        );
                        crate::common::printf::pad(
                            out,
                            &body,
                            s.width.unwrap_or(0),
                            s.minus,
                            s.zero,
                        );
                    }
                    b'F' => {
                        let t = fs_type(f, &st);
                        pad_str(out, s, &t)
                    }
                    b'Z' => pad_str(out, s, b""),
                    b'a' | b'c' | b't' | b'A' | b'C' | b'T' | b'B' => {
                        let z = f.zone.get_or_insert_with(Zone::local);
                        let (t, ns) = match s.kind {
                            b'a' | b'A' => (st.st_atime, st.st_atime_nsec),
                            b'c' | b'C' => (st.st_ctime, st.st_ctime_nsec),
                            _ => (st.st_mtime, st.st_mtime_nsec),
                        };
                        if matches!(s.kind, b'a' | b'c' | b't') {
                            ctime_fmt(&mut tmp, z, t, ns);
                        } else {
                            time_dir(&mut tmp, z, s.sub, t, ns);
                        }
                        pad_str(out, s, &tmp)
                    }
                    _ => {}
                }
            }
        }
    }
    too_wide
}

/// Names in -ls lines: gnulib's escape quoting (as `ls -b`).
fn push_escaped(out: &mut Vec<u8>, name: &[u8]) {
    quote_into(out, name, Style::Escape);
}

fn rjust(out: &mut Vec<u8>, s: &[u8], w: usize) {
    out.extend(std::iter::repeat_n(b' ', w.saturating_sub(s.len())));
    out.extend_from_slice(s);
}

fn ljust(out: &mut Vec<u8>, s: &[u8], w: usize) {
    out.extend_from_slice(s);
    out.extend(std::iter::repeat_n(b' ', w.saturating_sub(s.len())));
}

/// The -ls line; false when the entry could not be stat'ed.
pub fn ls(f: &mut Find, c: &mut Cur, out: &mut Vec<u8>) -> bool {
    let Some(st) = f.stat(c) else { return false };
    let st = *st;
    rjust(out, st.st_ino.to_string().as_bytes(), 9);
    out.push(b' ');
    rjust(out, ((st.st_blocks + 1) / 2).to_string().as_bytes(), 6);
    out.push(b' ');
    out.extend_from_slice(&mode_string(st.st_mode));
    out.push(b' ');
    rjust(out, st.st_nlink.to_string().as_bytes(), 3);
    out.push(b' ');
    let u = match f.names.user(st.st_uid) {
        Some(n) => n.to_vec(),
        None => st.st_uid.to_string().into_bytes(),
    };
    ljust(out, &u, 8);
    out.push(b' ');
    let g = match f.names.group(st.st_gid) {
        Some(n) => n.to_vec(),
        None => st.st_gid.to_string().into_bytes(),
    };
    ljust(out, &g, 8);
    out.push(b' ');
    let ft = st.st_mode & S_IFMT;
    if ft == libc::S_IFCHR || ft == libc::S_IFBLK {
        let (ma, mi) = (libc::major(st.st_rdev), libc::minor(st.st_rdev));
        rjust(out, ma.to_string().as_bytes(), 3);
        out.extend_from_slice(b", ");
        rjust(out, mi.to_string().as_bytes(), 3);
    } else {
        rjust(out, st.st_size.to_string().as_bytes(), 8);
    }
    out.push(b' ');
    let t = st.st_mtime;
    let tm = f.zone.get_or_insert_with(Zone::local).to_tm(t);
    let now = f.now;
    let six_months_ago = now.0 - 31556952 / 2;
    let recent = (six_months_ago, 0) < (t, st.st_mtime_nsec)
        && (t, st.st_mtime_nsec) < (now.0, now.1 as i64);
    let fmt: &[u8] = if recent { b"%b %e %H:%M" } else { b"%b %e  %Y" };
    strftime(out, fmt, &tm, 0, t);
    out.push(b' ');
    push_escaped(out, c.e.path());
    if ft == libc::S_IFLNK {
        if let Ok(target) = sysfs::readlinkat(c.e.parent(), c.e.name(), st.st_size as usize) {
            out.extend_from_slice(b" -> ");
            push_escaped(out, &target);
        }
    }
    out.push(b'\n');
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_and_base_of_roots_as_gnu() {
        let cases: &[(&str, &str, &str)] = &[
            ("a", "a", "."),
            ("a/", "a/", "a"),
            ("a//", "a/", "a/"),
            ("./a/", "a/", "."),
            (".//", "./", "./"),
            ("/", "/", ""),
            ("//", "/", "/"),
            ("a/b//", "b/", "a"),
            ("/tmp/ft/a/", "a/", "/tmp/ft"),
            ("ab/", "ab/", "."),
            ("///.", ".", "//"),
            (".//.", ".", "./"),
        ];
        for (p, base, dir) in cases {
            assert_eq!(root_base(p.as_bytes()), base.as_bytes(), "{p}");
            assert_eq!(dir_part(p.as_bytes()), dir.as_bytes(), "{p}");
        }
        assert_eq!(dir_part(b"a/b//c"), b"a/b/");
    }
}
