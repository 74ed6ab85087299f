//! `test` and `[` (XCU test): the POSIX algorithm by argument count for up to four arguments,
//! and the classic `-a`/`-o`/`!`/`( )` grammar beyond; every file primary, string and integer
//! comparison, `-nt`/`-ot`/`-ef`. Errors as dash: `test: Illegal number: a`, `[: missing ]`,
//! status 2.

use super::super::exec::{Res, Shell};
use crate::common::sys::{fd, user};

pub fn bracket(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if args.last().map(|a| a.as_slice()) != Some(b"]") {
        sh.errf(&[b"[: missing ]"]);
        return Ok(2);
    }
    run(sh, b"[", &args[1..args.len() - 1])
}

pub fn test(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    run(sh, b"test", &args[1..])
}

fn run(sh: &mut Shell, name: &[u8], a: &[Vec<u8>]) -> Res {
    let mut t = T { a, i: 0, err: None };
    let r = t.top();
    if let Some(msg) = t.err {
        sh.errf(&[name, b": ", &msg]);
        return Ok(2);
    }
    Ok(if r { 0 } else { 1 })
}

struct T<'a> {
    a: &'a [Vec<u8>],
    i: usize,
    err: Option<Vec<u8>>,
}

fn is_unary(op: &[u8]) -> bool {
    matches!(
        op,
        b"-b"
            | b"-c"
            | b"-d"
            | b"-e"
            | b"-f"
            | b"-g"
            | b"-h"
            | b"-L"
            | b"-k"
            | b"-n"
            | b"-p"
            | b"-r"
            | b"-s"
            | b"-S"
            | b"-t"
            | b"-u"
            | b"-w"
            | b"-x"
            | b"-z"
            | b"-O"
            | b"-G"
    )
}

fn is_binary(op: &[u8]) -> bool {
    matches!(
        op,
        b"=" | b"=="
            | b"!="
            | b"<"
            | b">"
            | b"-eq"
            | b"-ne"
            | b"-lt"
            | b"-le"
            | b"-gt"
            | b"-ge"
            | b"-nt"
            | b"-ot"
            | b"-ef"
    )
}

impl T<'_> {
    fn fail(&mut self, m: &[u8]) -> bool {
        if self.err.is_none() {
            self.err = Some(m.to_vec());
        }
        false
    }

    fn top(&mut self) -> bool {
        let n = self.a.len();
        let a = self.a;
        // POSIX's rules by argument count avoid ambiguity for small cases.
        match n {
            0 => return false,
            1 => return !a[0].is_empty(),
            2 => {
                if a[0] == b"!" {
                    return a[1].is_empty();
                }
                if is_unary(&a[0]) {
                    return self.unary(&a[0], &a[1]);
                }
                if is_binary(&a[1]) {
                    return self.fail(&[&a[1][..], b": argument expected"].concat());
                }
                return self.fail(&[&a[0][..], b": unexpected operator"].concat());
            }
            3 => {
                if is_binary(&a[1]) {
                    return self.binary(&a[0], &a[1], &a[2]);
                }
                if a[0] == b"!" {
                    self.i = 1;
                    return !self.top_of(&a[1..]);
                }
                if a[0] == b"(" && a[2] == b")" {
                    return !a[1].is_empty();
                }
            }
            4 => {
                if a[0] == b"!" {
                    return !self.top_of(&a[1..]);
                }
                if a[0] == b"(" && a[3] == b")" {
                    return self.top_of(&a[1..3]);
                }
            }
            _ => {}
        }
        let r = self.or();
        if self.err.is_none() && self.i < self.a.len() {
            let extra = self.a[self.i].clone();
            return self.fail(&[&extra[..], b": unexpected operator"].concat());
        }
        r
    }

    /// `top` on part of the arguments, so its rules by argument count apply to that part.
    fn top_of(&mut self, a: &[Vec<u8>]) -> bool {
        let mut sub = T { a, i: 0, err: None };
        let r = sub.top();
        self.err = sub.err;
        r
    }

    fn peek(&self) -> Option<&[u8]> {
        self.a.get(self.i).map(|v| v.as_slice())
    }

    fn or(&mut self) -> bool {
        let mut r = self.and();
        while self.peek() == Some(b"-o") {
            self.i += 1;
            let r2 = self.and();
            r = r || r2;
        }
        r
    }

    fn and(&mut self) -> bool {
        let mut r = self.not();
        while self.peek() == Some(b"-a") {
            self.i += 1;
            let r2 = self.not();
            r = r && r2;
        }
        r
    }

    fn not(&mut self) -> bool {
        if self.peek() == Some(b"!") {
            self.i += 1;
            return !self.not();
        }
        self.primary()
    }

    fn primary(&mut self) -> bool {
        let Some(t) = self.peek().map(|t| t.to_vec()) else {
            return self.fail(b"argument expected");
        };
        if t == b"(" {
            self.i += 1;
            let r = self.or();
            if self.peek() != Some(b")") {
                return self.fail(b"closing paren expected");
            }
            self.i += 1;
            return r;
        }
        // Binary operator next?
        if let Some(op) = self.a.get(self.i + 1) {
            if is_binary(op) {
                let op = op.clone();
                let Some(r) = self.a.get(self.i + 2).cloned() else {
                    self.i += 2;
                    return self.fail(b"argument expected");
                };
                self.i += 3;
                return self.binary(&t, &op, &r);
            }
        }
        if is_unary(&t) {
            let Some(arg) = self.a.get(self.i + 1).cloned() else {
                self.i += 1;
                return self.fail(b"argument expected");
            };
            self.i += 2;
            return self.unary(&t, &arg);
        }
        self.i += 1;
        !t.is_empty()
    }

    fn int(&mut self, s: &[u8]) -> Option<i64> {
        let t = s.trim_ascii();
        let (neg, d) = match t {
            [b'-', r @ ..] => (true, r),
            [b'+', r @ ..] => (false, r),
            _ => (false, t),
        };
        if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
            self.fail(&[b"Illegal number: ", s].concat());
            return None;
        }
        let v: i64 = std::str::from_utf8(d).ok()?.parse().ok().or_else(|| {
            self.fail(&[b"Illegal number: ", s].concat());
            None
        })?;
        Some(if neg { -v } else { v })
    }

    fn binary(&mut self, l: &[u8], op: &[u8], r: &[u8]) -> bool {
        match op {
            b"=" | b"==" => l == r,
            b"!=" => l != r,
            b"<" => l < r,
            b">" => l > r,
            b"-nt" | b"-ot" => {
                let ml = stat(l, true).map(|s| (s.st_mtime, s.st_mtime_nsec));
                let mr = stat(r, true).map(|s| (s.st_mtime, s.st_mtime_nsec));
                match (ml, mr) {
                    (Some(a), Some(b)) => {
                        if op == b"-nt" {
                            a > b
                        } else {
                            a < b
                        }
                    }
                    (Some(_), None) => op == b"-nt",
                    (None, Some(_)) => op == b"-ot",
                    _ => false,
                }
            }
            b"-ef" => match (stat(l, true), stat(r, true)) {
                (Some(a), Some(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
                _ => false,
            },
            _ => {
                let (Some(a), Some(b)) = (self.int(l), self.int(r)) else {
                    return false;
                };
                match op {
                    b"-eq" => a == b,
                    b"-ne" => a != b,
                    b"-lt" => a < b,
                    b"-le" => a <= b,
                    b"-gt" => a > b,
                    _ => a >= b,
                }
            }
        }
    }

    fn unary(&mut self, op: &[u8], a: &[u8]) -> bool {
        match op {
            b"-n" => !a.is_empty(),
            b"-z" => a.is_empty(),
            b"-t" => match self.int(a) {
                // As isatty((int)n): the number's low 32 bits; a negative one is no terminal.
                Some(fd) => fd as i32 >= 0 && fd::isatty(fd::borrow_raw(fd as i32)),
                None => false,
            },
            b"-h" | b"-L" => {
                stat(a, false).is_some_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFLNK)
            }
            b"-r" | b"-w" | b"-x" => {
                let m = match op {
                    b"-r" => libc::R_OK,
                    b"-w" => libc::W_OK,
                    _ => libc::X_OK,
                };
                // Effective ids, as test must; a name with a NUL byte is EINVAL (false).
                !a.is_empty() && user::eaccess(a, m).is_ok()
            }
            _ => {
                let Some(s) = stat(a, true) else {
                    return false;
                };
                let fmt = s.st_mode & libc::S_IFMT;
                match op {
                    b"-b" => fmt == libc::S_IFBLK,
                    b"-c" => fmt == libc::S_IFCHR,
                    b"-d" => fmt == libc::S_IFDIR,
                    b"-e" => true,
                    b"-f" => fmt == libc::S_IFREG,
                    b"-g" => s.st_mode & libc::S_ISGID != 0,
                    b"-k" => s.st_mode & libc::S_ISVTX != 0,
                    b"-p" => fmt == libc::S_IFIFO,
                    b"-s" => s.st_size > 0,
                    b"-S" => fmt == libc::S_IFSOCK,
                    b"-u" => s.st_mode & libc::S_ISUID != 0,
                    b"-O" => s.st_uid == user::geteuid(),
                    b"-G" => s.st_gid == user::getegid(),
                    _ => false,
                }
            }
        }
    }
}

fn stat(p: &[u8], follow: bool) -> Option<fd::Stat> {
    if follow { fd::stat(p) } else { fd::lstat(p) }.ok()
}
