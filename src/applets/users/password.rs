//! `chpasswd` (shadow 4.13's and BusyBox's common options) and `passwd`'s non-interactive forms.
//!
//! - `chpasswd [-e | -m | -c METHOD [-s ROUNDS]] [-R DIR]`: `user:password` lines on standard
//!   input; the passwords hashed with SHA512 (default, or login.defs' ENCRYPT_METHOD), SHA256,
//!   MD5 or stored as given (`-e`, `-c NONE`) — [`common::crypt`]. The shadow line gets the
//!   hash and today as the last change; the passwd line too when it holds no `x`. A bad line
//!   or unknown user is reported with its number and nothing is written (status 1).
//! - `passwd [-d] [-l | -u] [-e] [-n MIN] [-x MAX] [-w WARN] [-i INACTIVE] [-q] [-R DIR]
//!   [LOGIN]`, `passwd -S [-a] [LOGIN]`: delete, lock (`!`), unlock, expire (last change 0),
//!   the ageing fields, and shadow's status line (`alice P 2024-10-04 0 99999 7 -1`). Setting
//!   a password interactively is not built in: without one of those options passwd says so
//!   and prints its usage (status 2); `chpasswd` sets passwords.

use std::ffi::OsString;

use super::{commit, has, last, msg, shadow_args_n, usage_error, Res};
use crate::common::args::Opt;
use crate::common::help::{help_text, Help};
use crate::common::passwd::{fields, Accounts};
use crate::common::{Ctx, Error};

// ---------------------------------------------------------------- chpasswd

#[cfg(feature = "chpasswd")]
static CHPASSWD: &[Opt] = &[
    Opt::arg("crypt-method", Some(b'c'), Some("crypt-method")),
    Opt::flag("encrypted", Some(b'e'), Some("encrypted")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("md5", Some(b'm'), Some("md5")),
    Opt::arg("root", Some(b'R'), Some("root")),
    Opt::arg("sha-rounds", Some(b's'), Some("sha-rounds")),
];

#[cfg(feature = "chpasswd")]
const CHPASSWD_USAGE: Help = help_text!(
    "\
Usage: chpasswd [options]

Options:
  -c, --crypt-method METHOD     the crypt method (one of NONE MD5 SHA256 SHA512)
  -e, --encrypted               supplied passwords are encrypted
  -h, --help                    display this help message and exit
  -m, --md5                     encrypt the clear text password using
                                the MD5 algorithm
  -R, --root CHROOT_DIR         directory to chroot into
  -s, --sha-rounds              number of rounds for the SHA
                                crypt algorithms

"
);

#[cfg(feature = "chpasswd")]
pub fn chpasswd(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = chpasswd_run(&argv, ctx);
    ctx.finish(r)
}

#[cfg(feature = "chpasswd")]
/// Today as shadow's last-change field (0 would mean "change at next login": empty then).
fn today_field() -> Vec<u8> {
    match super::days_now() {
        0 => Vec::new(),
        d => d.to_string().into_bytes(),
    }
}

#[cfg(feature = "chpasswd")]
fn chpasswd_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    use super::Defs;
    use crate::common::crypt::{self, Method};
    use crate::common::passwd::settings;
    let Some((opts, _)) = shadow_args_n(ctx, argv, CHPASSWD, CHPASSWD_USAGE, 0..=usize::MAX, 2)?
    else {
        return Ok(());
    };
    let usage_msg = |ctx: &mut Ctx, m: &[u8]| {
        ctx.msg(m);
        usage_error(CHPASSWD_USAGE)
    };
    let enc = has(&opts, "encrypted");
    let method = last(&opts, "crypt-method");
    if enc && (method.is_some() || has(&opts, "md5")) || method.is_some() && has(&opts, "md5") {
        return Err(usage_msg(ctx, b"the -c, -e, and -m flags are exclusive"));
    }
    if has(&opts, "sha-rounds") && method.is_none() {
        return Err(usage_msg(ctx, b"-s flag is only allowed with the -c flag"));
    }
    let defs = Defs(settings(b"/etc/login.defs"));
    // None: stored as given.
    let parse = |m: &[u8]| -> Option<Option<Method>> {
        match m.to_ascii_uppercase().as_slice() {
            b"SHA512" => Some(Some(Method::Sha512)),
            b"SHA256" => Some(Some(Method::Sha256)),
            b"MD5" => Some(Some(Method::Md5)),
            b"NONE" => Some(None),
            _ => None,
        }
    };
    let method = if enc {
        None
    } else if has(&opts, "md5") {
        Some(Method::Md5)
    } else if let Some(m) = method {
        parse(m).ok_or_else(|| usage_msg(ctx, &msg(&[b"unsupported crypt method: ", m])))?
    } else {
        // login.defs' method when rbox has it, else SHA-512 (BusyBox's default).
        defs.get("ENCRYPT_METHOD")
            .and_then(parse)
            .flatten()
            .or(Some(Method::Sha512))
    };
    let rounds = match last(&opts, "sha-rounds") {
        Some(v) => {
            let n = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| usage_msg(ctx, &msg(&[b"invalid numeric argument '", v, b"'"])))?;
            // shadow leaves the default count out of the hash.
            Some(n.clamp(1000, 999_999_999) as u32).filter(|&r| r != crypt::ROUNDS_DEFAULT)
        }
        None => None,
    };
    let mut input = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut input)
        .map_err(|e| Error::io(1, "standard input", &e))?;
    let mut a = super::accounts(1, 1)?;
    let mut errors = false;
    let day = today_field();
    let body = input.strip_suffix(b"\n").unwrap_or(&input);
    let lines = if input.is_empty() { None } else { Some(body) };
    for (n, line) in lines
        .into_iter()
        .flat_map(|b| b.split(|&c| c == b'\n'))
        .enumerate()
    {
        let n = n + 1;
        let Some(c) = line.iter().position(|&b| b == b':') else {
            ctx.msgf(format_args!("line {n}: missing new password"));
            errors = true;
            continue;
        };
        let (name, pw) = (&line[..c], &line[c + 1..]);
        let Some(pi) = Accounts::find(&a.passwd, name) else {
            ctx.msg(&msg(&[
                format!("line {n}: user '").as_bytes(),
                name,
                b"' does not exist",
            ]));
            errors = true;
            continue;
        };
        let hash = match method {
            None => pw.to_vec(),
            Some(m) => {
                let salt = crypt::salt(m).map_err(|e| Error::io(1, "getrandom", &e))?;
                crypt::crypt(m, pw, &salt, rounds)
            }
        };
        let si = a.shadow.as_ref().and_then(|s| Accounts::find(s, name));
        if let (Some(s), Some(i)) = (a.shadow.as_mut(), si) {
            let mut f = fields(&s[i]);
            if f.len() > 2 {
                f[1] = hash.clone();
                f[2] = day.clone();
                s[i] = f.join(&b':');
            }
        }
        let mut f = fields(&a.passwd[pi]);
        if si.is_none() || f.get(1).is_some_and(|p| p != b"x") {
            f[1] = hash;
            a.passwd[pi] = f.join(&b':');
        }
    }
    if errors {
        return Err(Error::new(1, "error detected, changes ignored"));
    }
    commit(&a, 1)
}

// ---------------------------------------------------------------- passwd

#[cfg(feature = "passwd")]
static PASSWD: &[Opt] = &[
    Opt::flag("all", Some(b'a'), Some("all")),
    Opt::flag("delete", Some(b'd'), Some("delete")),
    Opt::flag("expire", Some(b'e'), Some("expire")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::arg("inactive", Some(b'i'), Some("inactive")),
    Opt::flag("lock", Some(b'l'), Some("lock")),
    Opt::arg("maxdays", Some(b'x'), Some("maxdays")),
    Opt::arg("mindays", Some(b'n'), Some("mindays")),
    Opt::flag("quiet", Some(b'q'), Some("quiet")),
    Opt::arg("root", Some(b'R'), Some("root")),
    Opt::flag("status", Some(b'S'), Some("status")),
    Opt::flag("unlock", Some(b'u'), Some("unlock")),
    Opt::arg("warndays", Some(b'w'), Some("warndays")),
];

#[cfg(feature = "passwd")]
const PASSWD_USAGE: Help = help_text!(
    "\
Usage: passwd [options] [LOGIN]

Options:
  -a, --all                     report password status on all accounts
  -d, --delete                  delete the password for the named account
  -e, --expire                  force expire the password for the named account
  -h, --help                    display this help message and exit
  -i, --inactive INACTIVE       set password inactive after expiration
                                to INACTIVE
  -l, --lock                    lock the password of the named account
  -n, --mindays MIN_DAYS        set minimum number of days before password
                                change to MIN_DAYS
  -q, --quiet                   quiet mode
  -R, --root CHROOT_DIR         directory to chroot into
  -S, --status                  report password status on the named account
  -u, --unlock                  unlock the password of the named account
  -w, --warndays WARN_DAYS      set expiration warning days to WARN_DAYS
  -x, --maxdays MAX_DAYS        set maximum number of days before password
                                change to MAX_DAYS

(rbox: setting a password interactively is not built in; use chpasswd)
"
);

#[cfg(feature = "passwd")]
pub fn passwd(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = passwd_run(&argv, ctx);
    ctx.finish(r)
}

#[cfg(feature = "passwd")]
/// shadow's status letters: L(ocked), NP (no password), P.
fn pw_status(p: &[u8]) -> &'static str {
    match p.first() {
        Some(b'!' | b'*') => "L",
        None => "NP",
        _ => "P",
    }
}

#[cfg(feature = "passwd")]
/// `name STATUS DATE MIN MAX WARN INACTIVE` (no shadow line: `name STATUS`).
fn status_line(pw: &crate::common::passwd::Passwd, sp: Option<&Vec<Vec<u8>>>) -> Vec<u8> {
    let Some(f) = sp else {
        return msg(&[&pw.name, b" ", pw_status(&pw.passwd).as_bytes(), b"\n"]);
    };
    let num = |i: usize| -> i64 {
        std::str::from_utf8(&f[i])
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(-1)
    };
    let date = match num(2) {
        d if d < 0 => "never".to_string(),
        d => {
            let (y, m, dd) = crate::common::time::civil_from_days(d);
            format!("{y:04}-{m:02}-{dd:02}")
        }
    };
    msg(&[
        &f[0],
        b" ",
        pw_status(&f[1]).as_bytes(),
        format!(" {date} {} {} {} {}\n", num(3), num(4), num(5), num(6)).as_bytes(),
    ])
}

#[cfg(feature = "passwd")]
fn passwd_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    use crate::common::sys::user;
    let Some((opts, ops)) = shadow_args_n(ctx, argv, PASSWD, PASSWD_USAGE, 0..=1, 6)? else {
        return Ok(());
    };
    let f = |id: &str| has(&opts, id);
    let mut ages: [Option<Vec<u8>>; 4] = [None, None, None, None];
    for (k, id) in ["mindays", "maxdays", "warndays", "inactive"]
        .iter()
        .enumerate()
    {
        if let Some(v) = last(&opts, id) {
            let n = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|&n| n >= -1);
            let Some(n) = n else {
                ctx.msg(&msg(&[b"invalid numeric argument '", v, b"'"]));
                let _ = usage_error(PASSWD_USAGE);
                return Err(Error::silent(6));
            };
            ages[k] = Some(super::field(Some(n)).into_bytes());
        }
    }
    let any = ["delete", "expire", "lock", "unlock"].iter().any(|o| f(o))
        || ages.iter().any(Option::is_some);
    let status = f("status");
    if (f("all") && (!status || any || !ops.is_empty())) || (status && any) {
        return Err(usage_error(PASSWD_USAGE));
    }
    let a = super::accounts(1, 1)?;
    let entries: Vec<_> = a
        .passwd
        .iter()
        .filter_map(|l| crate::common::passwd::Passwd::parse(l))
        .collect();
    let shadow_of = |name: &[u8]| -> Option<Vec<Vec<u8>>> {
        let s = a.shadow.as_ref()?;
        let v = fields(&s[Accounts::find(s, name)?]);
        (v.len() == 9).then_some(v)
    };
    if f("all") {
        for pw in &entries {
            ctx.out
                .write_all(&status_line(pw, shadow_of(&pw.name).as_ref()))?;
        }
        return Ok(());
    }
    let me = entries
        .iter()
        .find(|p| p.uid == user::getuid())
        .map(|p| p.name.clone());
    let name = match (ops.first(), me) {
        (Some(n), _) => n.clone(),
        (None, Some(m)) => m,
        (None, None) => return Err(Error::new(1, "Cannot determine your user name.")),
    };
    let Some(pw) = entries.iter().find(|p| p.name == name) else {
        return Err(Error::new(1, msg(&[b"user '", &name, b"' does not exist"])));
    };
    if user::getuid() != 0 && (any || pw.uid != user::getuid()) {
        return Err(Error::new(
            1,
            msg(&[
                b"You may not view or modify password information for ",
                &name,
                b".",
            ]),
        ));
    }
    if status {
        ctx.out
            .write_all(&status_line(pw, shadow_of(&name).as_ref()))?;
        return Ok(());
    }
    if !any {
        ctx.msg(b"setting a password interactively is not built into rbox; use chpasswd");
        return Err(usage_error(PASSWD_USAGE));
    }
    // shadow's update_crypt_pw.
    let new_pass = |p: &[u8]| -> Res<Vec<u8>> {
        let mut p = if f("delete") { Vec::new() } else { p.to_vec() };
        if f("unlock") && p.starts_with(b"!") {
            if p.len() == 1 {
                return Err(Error::new(
                    3,
                    "unlocking the password would result in a passwordless account.\n\
                     You should set a password with usermod -p to unlock the password of this \
                     account.",
                ));
            }
            p.remove(0);
        }
        if f("lock") && !p.starts_with(b"!") {
            p.insert(0, b'!');
        }
        Ok(p)
    };
    let valid = shadow_of(&name).is_some();
    let mut a = a;
    let si = a
        .shadow
        .as_ref()
        .and_then(|s| Accounts::find(s, &name))
        .filter(|_| valid);
    match si {
        Some(i) => {
            let s = a.shadow.as_mut().unwrap_or_else(|| unreachable!());
            let mut v = fields(&s[i]);
            v[1] = new_pass(&v[1])?;
            for (k, age) in ages.iter().enumerate() {
                if let Some(x) = age {
                    v[3 + k] = x.clone();
                }
            }
            if f("expire") {
                v[2] = b"0".to_vec();
            }
            s[i] = v.join(&b':');
        }
        None => {
            let pi = Accounts::find(&a.passwd, &name).unwrap_or_default();
            let mut v = fields(&a.passwd[pi]);
            v[1] = new_pass(&v[1])?;
            a.passwd[pi] = v.join(&b':');
        }
    }
    commit(&a, 1)?;
    if !f("quiet") {
        ctx.out.write_all(b"passwd: password changed.\n")?;
    }
    Ok(())
}
