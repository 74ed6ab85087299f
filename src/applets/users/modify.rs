//! `usermod` and `groupmod` (shadow 4.13's): change an account in place.
//!
//! - `usermod [OPTIONS] LOGIN`: `-a -G GROUPS` (append to / set the supplementary groups; `-r
//!   -G` removes from them), `-g GROUP`, `-u UID` (`-o` for a shared one), `-d HOME` (`-m`
//!   moves the home there), `-s -c -e -f -p`, `-l NEW` (the login renamed in group member
//!   lists too), `-L`/`-U` (lock/unlock the password with `!`), `-b`, `-R/--root DIR`. A new
//!   uid or gid is carried to the files in the home owned by the old one (shadow's
//!   chown_tree: never following a symlink, descriptor-relative), and to the mail spool.
//!   Values equal to the current ones are no change (`usermod: no changes`, status 0).
//! - `groupmod [OPTIONS] GROUP`: `-g GID` (`-o`), `-n NEW`, `-p`, `-U USERS` (`-a`), `-R`; a
//!   new gid is also the primary gid of the users that had the old one.

use std::ffi::OsString;

use super::{
    commit, expire_days, group_lookup, has, last, mail_file, msg, parse_id, shadow_args,
    usage_error, valid_name, Defs, Res,
};
use crate::common::args::Opt;
use crate::common::ctx::strerror;
use crate::common::help::{help_text, Help};
use crate::common::passwd::{fields, line_name, settings, Accounts};
use crate::common::sys::fd as sfd;
use crate::common::sys::fs as sfs;
use crate::common::walk::{Action, Options, Visit, Walker};
use crate::common::{Ctx, Error};

static USERMOD: &[Opt] = &[
    Opt::flag("append", Some(b'a'), Some("append")),
    Opt::flag("badname", Some(b'b'), Some("badname")),
    Opt::arg("comment", Some(b'c'), Some("comment")),
    Opt::arg("expiredate", Some(b'e'), Some("expiredate")),
    Opt::arg("gid", Some(b'g'), Some("gid")),
    Opt::arg("groups", Some(b'G'), Some("groups")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::arg("home", Some(b'd'), Some("home")),
    Opt::arg("inactive", Some(b'f'), Some("inactive")),
    Opt::flag("lock", Some(b'L'), Some("lock")),
    Opt::arg("login", Some(b'l'), Some("login")),
    Opt::flag("move-home", Some(b'm'), Some("move-home")),
    Opt::flag("non-unique", Some(b'o'), Some("non-unique")),
    Opt::arg("password", Some(b'p'), Some("password")),
    Opt::flag("remove", Some(b'r'), Some("remove")),
    Opt::arg("root", Some(b'R'), Some("root")),
    Opt::arg("shell", Some(b's'), Some("shell")),
    Opt::arg("uid", Some(b'u'), Some("uid")),
    Opt::flag("unlock", Some(b'U'), Some("unlock")),
];

const USERMOD_USAGE: Help = help_text!(
    "\
Usage: usermod [options] LOGIN

Options:
  -a, --append                  append the user to the supplemental GROUPS
                                mentioned by the -G option without removing
                                the user from other groups
  -b, --badname                 allow bad names
  -c, --comment COMMENT         new value of the GECOS field
  -d, --home HOME_DIR           new home directory for the user account
  -e, --expiredate EXPIRE_DATE  set account expiration date to EXPIRE_DATE
  -f, --inactive INACTIVE       set password inactive after expiration
                                to INACTIVE
  -g, --gid GROUP               force use GROUP as new primary group
  -G, --groups GROUPS           new list of supplementary GROUPS
  -h, --help                    display this help message and exit
  -l, --login NEW_LOGIN         new value of the login name
  -L, --lock                    lock the user account
  -m, --move-home               move contents of the home directory to the
                                new location (use only with -d)
  -o, --non-unique              allow using duplicate (non-unique) UID
  -p, --password PASSWORD       use encrypted password for the new password
  -r, --remove                  remove the user from only the supplemental GROUPS
                                mentioned by the -G option without removing
                                the user from other groups
  -R, --root CHROOT_DIR         directory to chroot into
  -s, --shell SHELL             new login shell for the user account
  -u, --uid UID                 new UID for the user account
  -U, --unlock                  unlock the user account

"
);

/// A passwd/group field value may hold neither `:` nor a newline (shadow's VALID).
fn valid_field(v: &[u8]) -> bool {
    !v.iter().any(|&c| c == b':' || c == b'\n')
}

fn bad(what: &str, v: &[u8]) -> Error {
    Error::new(3, msg(&[what.as_bytes(), b" '", v, b"'"]))
}

/// `-s`: an absolute path, `*` or empty; a missing or non-executable one only warned about.
fn check_shell(ctx: &mut Ctx, sh: &[u8]) -> Res<()> {
    if !valid_field(sh) || !(sh.is_empty() || sh[0] == b'/' || sh[0] == b'*') {
        return Err(bad("invalid shell", sh));
    }
    if !sh.is_empty() && sh[0] != b'*' && sh != b"/sbin/nologin" {
        let ok = sfd::stat(sh).is_ok_and(|st| st.st_mode & libc::S_IFMT != libc::S_IFDIR)
            && sfd::access(sh, libc::X_OK);
        if !ok {
            ctx.msg(&msg(&[
                b"Warning: missing or non-executable shell '",
                sh,
                b"'",
            ]));
        }
    }
    Ok(())
}

/// shadow's chown_tree: every name under `dir` (and `dir`) owned by `old_uid` goes to
/// `new_uid`, by `old_gid` to `new_gid` (None: unchanged); symlinks are changed themselves.
fn chown_tree(dir: &[u8], old_uid: u32, new_uid: Option<u32>, old_gid: u32, new_gid: Option<u32>) {
    let mut w = Walker::new(Options::default());
    w.walk(sfd::cwd(), dir, |e, v| {
        if matches!(v, Visit::Pre | Visit::Leaf) {
            if let Ok(st) = e.stat() {
                let u = new_uid.filter(|_| st.st_uid == old_uid).unwrap_or(u32::MAX);
                let g = new_gid.filter(|_| st.st_gid == old_gid).unwrap_or(u32::MAX);
                if u != u32::MAX || g != u32::MAX {
                    let _ = sfs::fchownat(e.parent(), e.name(), u, g, libc::AT_SYMLINK_NOFOLLOW);
                }
            }
        }
        Action::Continue
    });
}

fn num_field(f: &[Vec<u8>], i: usize) -> Option<i64> {
    std::str::from_utf8(f.get(i)?).ok()?.parse().ok()
}

pub fn usermod(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = usermod_run(&argv, ctx);
    ctx.finish(r)
}

fn usermod_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    let Some((opts, ops)) = shadow_args(ctx, argv, USERMOD, USERMOD_USAGE)? else {
        return Ok(());
    };
    let name = ops[0].clone();
    let mut a = super::accounts(1, 1)?;
    // Each value checked as shadow's option loop does, in command-line order.
    let mut new_gid = None;
    let mut groups: Option<Vec<Vec<u8>>> = None;
    let (mut new_uid, mut new_expire, mut new_inactive) = (None, None, None);
    for (id, v) in &opts {
        match *id {
            "comment" if !valid_field(v) => return Err(bad("invalid field", v)),
            "home" if !valid_field(v) || !v.starts_with(b"/") => {
                return Err(Error::new(3, "homedir must be an absolute path"))
            }
            "expiredate" => {
                new_expire = Some(expire_days(v).ok_or_else(|| bad("invalid date", v))?)
            }
            "inactive" => {
                new_inactive = Some(
                    std::str::from_utf8(v)
                        .ok()
                        .and_then(|s| s.parse::<i64>().ok())
                        .filter(|&n| n >= -1)
                        .ok_or_else(|| bad("invalid numeric argument", v))?,
                )
            }
            "gid" => {
                new_gid = Some(
                    group_lookup(&a.group, v)
                        .ok_or_else(|| Error::new(6, msg(&[b"group '", v, b"' does not exist"])))?,
                )
            }
            "groups" => {
                let mut list = Vec::new();
                for g in v.split(|&c| c == b',').filter(|g| !g.is_empty()) {
                    let gid = group_lookup(&a.group, g)
                        .ok_or_else(|| Error::new(6, msg(&[b"group '", g, b"' does not exist"])))?;
                    let gname = if Accounts::find(&a.group, g).is_some() {
                        g.to_vec()
                    } else {
                        a.group
                            .iter()
                            .find(|l| {
                                parse_id(l.split(|&b| b == b':').nth(2).unwrap_or_default())
                                    == Some(gid)
                            })
                            .map(|l| line_name(l).to_vec())
                            .unwrap_or_default()
                    };
                    if !list.contains(&gname) {
                        list.push(gname);
                    }
                }
                groups = Some(list);
            }
            "login" if !has(&opts, "badname") && !valid_name(v) => {
                return Err(Error::new(
                    3,
                    msg(&[b"invalid user name '", v, b"': use --badname to ignore"]),
                ))
            }
            "shell" => check_shell(ctx, v)?,
            "uid" => {
                new_uid = Some(
                    parse_id(v)
                        .filter(|&n| n != u32::MAX)
                        .ok_or_else(|| bad("invalid user ID", v))?,
                )
            }
            _ => {}
        }
    }
    let Some(pi) = Accounts::find(&a.passwd, &name) else {
        return Err(Error::new(6, msg(&[b"user '", &name, b"' does not exist"])));
    };
    let flag = |id: &str| has(&opts, id);
    let usage_msg = |ctx: &mut Ctx, m: &str| {
        ctx.msg(m.as_bytes());
        usage_error(USERMOD_USAGE)
    };
    if flag("append") && groups.is_none() {
        return Err(usage_msg(ctx, "-a flag is only allowed with the -G flag"));
    }
    if flag("remove") && groups.is_none() {
        return Err(usage_msg(ctx, "-r flag is only allowed with the -G flag"));
    }
    if flag("remove") && flag("append") {
        return Err(usage_msg(ctx, "-r and -a are mutually exclusive flags"));
    }
    let (lock, unlock, pass) = (flag("lock"), flag("unlock"), last(&opts, "password"));
    if [lock, unlock, pass.is_some()]
        .iter()
        .filter(|&&b| b)
        .count()
        > 1
    {
        return Err(usage_msg(ctx, "the -L, -p, and -U flags are exclusive"));
    }
    if flag("non-unique") && new_uid.is_none() {
        return Err(usage_msg(ctx, "-o flag is only allowed with the -u flag"));
    }
    if flag("move-home") && !flag("home") {
        return Err(usage_msg(ctx, "-m flag is only allowed with the -d flag"));
    }
    let Some(mut pw) = crate::common::passwd::Passwd::parse(&a.passwd[pi]) else {
        return Err(Error::new(6, msg(&[b"user '", &name, b"' does not exist"])));
    };
    let si = a.shadow.as_ref().and_then(|s| Accounts::find(s, &name));
    let sp = match (&a.shadow, si) {
        (Some(s), Some(i)) => Some(fields(&s[i])),
        _ => None,
    };
    let (old_uid, old_gid, old_home) = (pw.uid, pw.gid, pw.dir.clone());
    // Values that are already the account's are no change.
    let new_uid = new_uid.filter(|&u| u != old_uid);
    let new_gid = new_gid.filter(|&g| g != old_gid);
    let shell = last(&opts, "shell").filter(|s| *s != pw.shell);
    let login = last(&opts, "login").filter(|l| *l != name);
    let comment = last(&opts, "comment").filter(|c| *c != pw.gecos);
    let home = last(&opts, "home").filter(|h| *h != pw.dir);
    let move_home = home.is_some() && flag("move-home");
    let cur = |i| sp.as_ref().and_then(|f| num_field(f, i));
    let new_inactive = new_inactive.filter(|&n| Some(n) != cur(6).or(Some(-1)));
    let new_expire = new_expire.filter(|&e| e.unwrap_or(-1) != cur(7).unwrap_or(-1));
    if !(unlock
        || lock
        || pass.is_some()
        || new_uid.is_some()
        || new_gid.is_some()
        || shell.is_some()
        || login.is_some()
        || comment.is_some()
        || home.is_some()
        || groups.is_some()
        || new_inactive.is_some()
        || new_expire.is_some())
    {
        ctx.out.write_all(b"usermod: no changes\n")?;
        return Ok(());
    }
    if a.shadow.is_none() && (new_inactive.is_some() || new_expire.is_some()) {
        return Err(usage_msg(ctx, "shadow passwords required for -e and -f"));
    }
    if let Some(l) = login {
        if Accounts::find(&a.passwd, l).is_some() {
            return Err(Error::new(9, msg(&[b"user '", l, b"' already exists"])));
        }
    }
    if let Some(u) = new_uid {
        if !flag("non-unique") && super::ids(&a.passwd).contains(&u) {
            return Err(Error::new(4, format!("UID '{u}' already exists")));
        }
    }
    let new_name = login.unwrap_or(&name).to_vec();
    if move_home {
        let h = home.unwrap_or_default();
        if sfd::lstat(h).is_ok() {
            return Err(Error::new(12, msg(&[b"directory ", h, b" exists"])));
        }
    }
    // shadow's new_pw_passwd: `!` in front to lock, taken off to unlock (unless nothing
    // would be left), or the -p value.
    let new_pass = |ctx: &mut Ctx, old: &[u8]| -> Vec<u8> {
        if lock && !old.starts_with(b"!") {
            msg(&[b"!", old])
        } else if unlock && old.starts_with(b"!") {
            if old.len() == 1 {
                ctx.msg(
                    b"unlocking the user's password would result in a passwordless \
                      account.\nYou should set a password with usermod -p to unlock this \
                      user's password.",
                );
                old.to_vec()
            } else {
                old[1..].to_vec()
            }
        } else if let Some(p) = pass {
            p.to_vec()
        } else {
            old.to_vec()
        }
    };
    if a.shadow.is_none() || pw.passwd != b"x" {
        pw.passwd = new_pass(ctx, &pw.passwd);
    }
    pw.name = new_name.clone();
    if let Some(u) = new_uid {
        pw.uid = u;
    }
    if let Some(g) = new_gid {
        pw.gid = g;
    }
    if let Some(s) = shell {
        pw.shell = s.to_vec();
    }
    if let Some(c) = comment {
        pw.gecos = c.to_vec();
    }
    if let Some(h) = home {
        pw.dir = h.to_vec();
    }
    // A renamed entry is a new one for shadow's commonio: it goes to the end of each file.
    let place = |lines: &mut Vec<Vec<u8>>, i: usize, l: Vec<u8>, renamed: bool| {
        if renamed {
            lines.remove(i);
            lines.push(l);
        } else {
            lines[i] = l;
        }
    };
    // No shadow line yet: shadow's usermod makes one for -e, -f, or -p over an `x`, holding a
    // copy of the passwd line's password (which stays there too).
    let mut made = None;
    if a.shadow.is_some()
        && si.is_none()
        && (new_expire.is_some() || new_inactive.is_some() || (pass.is_some() && pw.passwd == b"x"))
    {
        let defs = Defs(settings(b"/etc/login.defs"));
        let age = |k: &str| super::field(Some(defs.num(k, -1)));
        let f = [
            String::from_utf8_lossy(&new_name).into_owned(),
            String::new(),
            super::field(Some(super::days_now()).filter(|&d| d != 0)),
            age("PASS_MIN_DAYS"),
            age("PASS_MAX_DAYS"),
            age("PASS_WARN_AGE"),
            super::field(new_inactive),
            super::field(new_expire.flatten()),
            String::new(),
        ];
        let mut f: Vec<Vec<u8>> = f.into_iter().map(String::into_bytes).collect();
        f[0] = new_name.clone();
        f[1] = new_pass(ctx, &pw.passwd);
        made = Some(f.join(&b':'));
    }
    place(&mut a.passwd, pi, pw.line(), login.is_some());
    if let (Some(s), Some(l)) = (a.shadow.as_mut(), made) {
        s.push(l);
    }
    if let (Some(mut f), Some(i)) = (sp, si) {
        if f.len() >= 9 {
            f[0] = new_name.clone();
            f[1] = new_pass(ctx, &f[1]);
            if pass.is_some() {
                let d = super::days_now();
                f[2] = if d == 0 {
                    Vec::new()
                } else {
                    d.to_string().into_bytes()
                };
            }
            if let Some(n) = new_inactive {
                f[6] = super::field(Some(n)).into_bytes();
            }
            if let Some(e) = new_expire {
                f[7] = super::field(e).into_bytes();
            }
            if let Some(s) = a.shadow.as_mut() {
                place(s, i, f.join(&b':'), login.is_some());
            }
        }
    }
    if groups.is_some() || login.is_some() {
        let (append, remove) = (flag("append"), flag("remove"));
        a.edit_lists(|g, admins, list| {
            let was = list.contains(&name);
            if admins {
                if was && login.is_some() {
                    list.retain(|m| *m != name);
                    list.push(new_name.clone());
                }
                return;
            }
            let listed = groups.as_ref().is_some_and(|l| l.iter().any(|x| x == g));
            let is = match &groups {
                None => was,
                Some(_) if remove => was && !listed,
                Some(_) => (was && append) || listed,
            };
            if was && is {
                if login.is_some() {
                    list.retain(|m| *m != name);
                    list.push(new_name.clone());
                }
            } else if was {
                list.retain(|m| *m != name);
            } else if is {
                list.push(new_name.clone());
            }
        });
    }
    commit(&a, 1)?;
    drop(a);
    let defs = Defs(settings(b"/etc/login.defs"));
    if move_home {
        let h = home.unwrap_or_default();
        if let Ok(st) = sfd::lstat(&old_home) {
            if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
                let m = msg(&[
                    b"The previous home directory (",
                    &old_home,
                    b") was not a directory. It is not removed and no home directories \
                      are created.",
                ]);
                return Err(Error::new(12, m));
            }
            sfs::renameat(sfd::cwd(), &old_home, sfd::cwd(), h).map_err(|e| {
                Error::new(
                    12,
                    msg(&[
                        b"cannot rename directory ",
                        &old_home,
                        b" to ",
                        h,
                        b": ",
                        strerror(&e).as_bytes(),
                    ]),
                )
            })?;
        }
    }
    if new_uid.is_some() || login.is_some() {
        let old_mail = mail_file(&defs, &name);
        if let Ok(st) = sfd::lstat(&old_mail) {
            if st.st_uid == old_uid {
                if let Some(u) = new_uid {
                    let _ = sfs::fchownat(
                        sfd::cwd(),
                        &old_mail,
                        u,
                        u32::MAX,
                        libc::AT_SYMLINK_NOFOLLOW,
                    );
                }
                if login.is_some() {
                    let _ = sfs::renameat(
                        sfd::cwd(),
                        &old_mail,
                        sfd::cwd(),
                        &mail_file(&defs, &new_name),
                    );
                }
            } else {
                ctx.msg(&msg(&[b"warning: ", &old_mail, b" not owned by ", &name]));
            }
        }
    }
    if new_uid.is_some() || new_gid.is_some() {
        let h = home.unwrap_or(&old_home);
        if sfd::stat(h).is_ok() {
            chown_tree(h, old_uid, new_uid, old_gid, new_gid);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- groupmod

static GROUPMOD: &[Opt] = &[
    Opt::flag("append", Some(b'a'), Some("append")),
    Opt::arg("gid", Some(b'g'), Some("gid")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::arg("new-name", Some(b'n'), Some("new-name")),
    Opt::flag("non-unique", Some(b'o'), Some("non-unique")),
    Opt::arg("password", Some(b'p'), Some("password")),
    Opt::arg("root", Some(b'R'), Some("root")),
    Opt::arg("users", Some(b'U'), Some("users")),
];

const GROUPMOD_USAGE: Help = help_text!(
    "\
Usage: groupmod [options] GROUP

Options:
  -a, --append                  append the users mentioned by -U option to the group 
                                without removing existing user members
  -g, --gid GID                 change the group ID to GID
  -h, --help                    display this help message and exit
  -n, --new-name NEW_GROUP      change the name to NEW_GROUP
  -o, --non-unique              allow to use a duplicate (non-unique) GID
  -p, --password PASSWORD       change the password to this (encrypted)
                                PASSWORD
  -R, --root CHROOT_DIR         directory to chroot into
  -U, --users USERS             list of user members of this group

"
);

pub fn groupmod(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = groupmod_run(&argv, ctx);
    ctx.finish(r)
}

fn groupmod_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    let Some((opts, ops)) = shadow_args(ctx, argv, GROUPMOD, GROUPMOD_USAGE)? else {
        return Ok(());
    };
    let name = ops[0].clone();
    let new_gid = match last(&opts, "gid") {
        Some(v) => Some(
            parse_id(v)
                .filter(|&n| n != u32::MAX)
                .ok_or_else(|| bad("invalid group ID", v))?,
        ),
        None => None,
    };
    if has(&opts, "non-unique") && new_gid.is_none() {
        return Err(usage_error(GROUPMOD_USAGE));
    }
    let mut a = super::accounts(10, 10)?;
    let Some(gi) = Accounts::find(&a.group, &name) else {
        return Err(Error::new(
            6,
            msg(&[b"group '", &name, b"' does not exist"]),
        ));
    };
    let mut f = fields(&a.group[gi]);
    if f.len() < 4 {
        return Err(Error::new(
            6,
            msg(&[b"group '", &name, b"' does not exist"]),
        ));
    }
    let old_gid = parse_id(&f[2]);
    let new_gid = new_gid.filter(|&g| Some(g) != old_gid);
    let new_name = last(&opts, "new-name").filter(|n| *n != name);
    if let Some(g) = new_gid {
        if !has(&opts, "non-unique") && super::ids(&a.group).contains(&g) {
            return Err(Error::new(4, format!("GID '{g}' already exists")));
        }
    }
    if let Some(n) = new_name {
        if !valid_name(n) {
            return Err(bad("invalid group name", n));
        }
        if Accounts::find(&a.group, n).is_some() {
            return Err(Error::new(9, msg(&[b"group '", n, b"' already exists"])));
        }
    }
    // -U: the member list (-a: added to it); shadow 4.13 leaves gshadow's as it was.
    if let Some(list) = last(&opts, "users") {
        let users: Vec<&[u8]> = list
            .split(|&c| c == b',')
            .filter(|u| !u.is_empty())
            .collect();
        if let Some(u) = users
            .iter()
            .find(|u| Accounts::find(&a.passwd, u).is_none())
        {
            // shadow's message has no program name.
            let m = msg(&[b"Invalid member username ", u, b"\n"]);
            let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &m);
            return Err(Error::silent(10));
        }
        let mut members: Vec<Vec<u8>> = if has(&opts, "append") {
            f[3].split(|&c| c == b',')
                .filter(|m| !m.is_empty())
                .map(<[u8]>::to_vec)
                .collect()
        } else {
            Vec::new()
        };
        for u in users {
            if !members.iter().any(|m| m == u) {
                members.push(u.to_vec());
            }
        }
        f[3] = members.join(&b","[..]);
    }
    let pass = last(&opts, "password");
    let gsi = a.gshadow.as_ref().and_then(|gs| Accounts::find(gs, &name));
    if let Some(n) = new_name {
        f[0] = n.to_vec();
    }
    if let Some(g) = new_gid {
        f[2] = g.to_string().into_bytes();
    }
    if let (Some(p), None) = (pass, gsi) {
        f[1] = p.to_vec();
    }
    if let (Some(_), Some(_)) = (pass, gsi) {
        f[1] = b"x".to_vec();
    }
    let renamed = new_name.is_some();
    let place = |lines: &mut Vec<Vec<u8>>, i: usize, l: Vec<u8>| {
        if renamed {
            lines.remove(i);
            lines.push(l);
        } else {
            lines[i] = l;
        }
    };
    place(&mut a.group, gi, f.join(&b':'));
    if let (Some(gs), Some(i)) = (a.gshadow.as_mut(), gsi) {
        let mut s = fields(&gs[i]);
        if let Some(n) = new_name {
            s[0] = n.to_vec();
        }
        if let (Some(p), true) = (pass, s.len() > 1) {
            s[1] = p.to_vec();
        }
        place(gs, i, s.join(&b':'));
    }
    if let (Some(g), Some(old)) = (new_gid, old_gid) {
        for l in a.passwd.iter_mut() {
            if let Some(mut p) = crate::common::passwd::Passwd::parse(l) {
                if p.gid == old {
                    p.gid = g;
                    *l = p.line();
                }
            }
        }
    }
    commit(&a, 10)
}
