//! `userdel`, `groupdel` (shadow 4.13's) and BusyBox's `deluser`, `delgroup`: remove accounts.
//!
//! - `userdel [-f] [-r] [-R DIR] LOGIN`: the passwd and shadow lines, the login in every
//!   group's member and administrator lists, and (USERGROUPS_ENAB yes) the user's own group
//!   unless another member or user still has it. `-r` removes the mail spool and the home
//!   (descriptor-relative, symlinks not followed), each only when the user owns it (`-f`:
//!   anyway). Statuses as shadow's: 6 no such user, 12 a home or spool not removed.
//! - `groupdel [-f] [-R DIR] GROUP`: refuses some user's primary group (status 8) unless `-f`.
//! - `deluser [--remove-home] USER` (BusyBox's): the user, its memberships, and the group of
//!   the same name when no one else has it as primary group. `deluser USER GROUP` (Debian's
//!   form, a usage error in BusyBox) and `delgroup USER GROUP` remove a member;
//!   `delgroup GROUP` a group. BusyBox's messages, status 1.

use std::ffi::OsString;

use super::{bb_args, bb_root, commit, has, mail_file, msg, parse_id, shadow_args, Defs, Res};
use crate::common::args::Opt;
use crate::common::help::{help_text, Help};
use crate::common::passwd::{fields, settings, Accounts, Passwd};
use crate::common::remove::{Interactive, Remover, RmOptions, Status};
use crate::common::sys::fd as sfd;
use crate::common::{Ctx, Error};

/// The gid field of a group line.
fn gid_of(line: &[u8]) -> Option<u32> {
    parse_id(line.split(|&b| b == b':').nth(2)?)
}

/// The first user (other than `except`) whose primary group is `gid`.
fn primary_user(passwd: &[Vec<u8>], gid: u32, except: &[u8]) -> Option<Vec<u8>> {
    passwd
        .iter()
        .filter_map(|l| Passwd::parse(l))
        .find(|p| p.gid == gid && p.name != except)
        .map(|p| p.name)
}

/// Remove `name`'s line from a file's lines.
fn drop_line(lines: &mut Vec<Vec<u8>>, name: &[u8]) {
    if let Some(i) = Accounts::find(lines, name) {
        lines.remove(i);
    }
}

/// Remove group `name` from group and gshadow.
fn drop_group(a: &mut Accounts, name: &[u8]) {
    drop_line(&mut a.group, name);
    if let Some(gs) = a.gshadow.as_mut() {
        drop_line(gs, name);
    }
}

/// Remove a tree as `rm -rf` does, never following a symlink in it.
fn remove_tree(ctx: &mut Ctx, path: &[u8]) -> bool {
    let mut r = Remover::new(RmOptions {
        recursive: true,
        ignore_missing: true,
        interactive: Interactive::Never,
        ..RmOptions::default()
    });
    r.remove(ctx, sfd::cwd(), path) == Status::Ok
}

// ---------------------------------------------------------------- userdel

static USERDEL: &[Opt] = &[
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::flag("remove", Some(b'r'), Some("remove")),
    Opt::arg("root", Some(b'R'), Some("root")),
];

const USERDEL_USAGE: Help = help_text!(
    "\
Usage: userdel [options] LOGIN

Options:
  -f, --force                   force some actions that would fail otherwise
                                e.g. removal of user still logged in
                                or files, even if not owned by the user
  -h, --help                    display this help message and exit
  -r, --remove                  remove home directory and mail spool
  -R, --root CHROOT_DIR         directory to chroot into

"
);

pub fn userdel(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = userdel_run(&argv, ctx);
    ctx.finish(r)
}

fn userdel_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    let Some((opts, ops)) = shadow_args(ctx, argv, USERDEL, USERDEL_USAGE)? else {
        return Ok(());
    };
    let name = ops[0].clone();
    let force = has(&opts, "force");
    let mut a = super::accounts(1, 10)?;
    let pw = Accounts::find(&a.passwd, &name).and_then(|i| Passwd::parse(&a.passwd[i]));
    let Some(pw) = pw else {
        return Err(Error::new(6, msg(&[b"user '", &name, b"' does not exist"])));
    };
    drop_line(&mut a.passwd, &name);
    if let Some(s) = a.shadow.as_mut() {
        drop_line(s, &name);
    }
    a.edit_lists(|_, _, list| list.retain(|m| *m != name));
    let defs = Defs(settings(b"/etc/login.defs"));
    if defs.yes("USERGROUPS_ENAB") {
        // shadow's remove_usergroup: the group named as the user, if it is the user's.
        if let Some(gi) = Accounts::find(&a.group, &name) {
            let f = fields(&a.group[gi]);
            if gid_of(&a.group[gi]) != Some(pw.gid) {
                ctx.msg(&msg(&[
                    b"group ",
                    &name,
                    b" not removed because it is not the primary group of user ",
                    &name,
                    b".",
                ]));
            } else if f.get(3).is_some_and(|m| !m.is_empty()) {
                ctx.msg(&msg(&[
                    b"group ",
                    &name,
                    b" not removed because it has other members.",
                ]));
            } else if !force && primary_user(&a.passwd, pw.gid, &name).is_some() {
                ctx.msg(&msg(&[
                    b"group ",
                    &name,
                    b" is the primary group of another user and is not removed.",
                ]));
            } else {
                drop_group(&mut a, &name);
            }
        }
    }
    commit(&a, 1)?;
    drop(a);
    if !has(&opts, "remove") {
        return Ok(());
    }
    let mut errors = false;
    let mail = mail_file(&defs, &name);
    match sfd::lstat(&mail) {
        Err(_) => ctx.msg(&msg(&[&name, b" mail spool (", &mail, b") not found"])),
        Ok(st) if st.st_uid != pw.uid && !force => {
            ctx.msg(&msg(&[&mail, b" not owned by ", &name, b", not removing"]));
            errors = true;
        }
        Ok(_) => {
            if let Err(e) = crate::common::sys::fs::unlinkat(sfd::cwd(), &mail, 0) {
                ctx.msg(&msg(&[
                    b"warning: can't remove ",
                    &mail,
                    b": ",
                    crate::common::ctx::strerror(&e).as_bytes(),
                ]));
                errors = true;
            }
        }
    }
    match sfd::lstat(&pw.dir) {
        Err(_) => ctx.msg(&msg(&[
            &name,
            b" home directory (",
            &pw.dir,
            b") not found",
        ])),
        Ok(st) if st.st_uid != pw.uid && !force => {
            ctx.msg(&msg(&[
                &pw.dir,
                b" not owned by ",
                &name,
                b", not removing",
            ]));
            errors = true;
        }
        Ok(_) => {
            if !remove_tree(ctx, &pw.dir) {
                ctx.msg(&msg(&[b"error removing directory ", &pw.dir]));
                errors = true;
            }
        }
    }
    if errors {
        return Err(Error::silent(12));
    }
    Ok(())
}

// ---------------------------------------------------------------- groupdel

static GROUPDEL: &[Opt] = &[
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::arg("root", Some(b'R'), Some("root")),
];

const GROUPDEL_USAGE: Help = help_text!(
    "\
Usage: groupdel [options] GROUP

Options:
  -h, --help                    display this help message and exit
  -R, --root CHROOT_DIR         directory to chroot into
  -f, --force                   delete group even if it is the primary group of a user

"
);

pub fn groupdel(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = groupdel_run(&argv, ctx);
    ctx.finish(r)
}

fn groupdel_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    let Some((opts, ops)) = shadow_args(ctx, argv, GROUPDEL, GROUPDEL_USAGE)? else {
        return Ok(());
    };
    let name = ops[0].clone();
    let mut a = super::accounts(10, 10)?;
    let Some(gid) = Accounts::find(&a.group, &name).and_then(|i| gid_of(&a.group[i])) else {
        return Err(Error::new(
            6,
            msg(&[b"group '", &name, b"' does not exist"]),
        ));
    };
    if !has(&opts, "force") {
        if let Some(u) = primary_user(&a.passwd, gid, b"") {
            return Err(Error::new(
                8,
                msg(&[b"cannot remove the primary group of user '", &u, b"'"]),
            ));
        }
    }
    drop_group(&mut a, &name);
    commit(&a, 10)
}

// ---------------------------------------------------------------- BusyBox deluser, delgroup

static DELUSER: &[Opt] = &[
    Opt::flag("help", None, Some("help")),
    Opt::flag("remove-home", None, Some("remove-home")),
];

const DELUSER_USAGE: Help = help_text!(
    "\
Usage: deluser [--remove-home] USER [GROUP]

Delete USER from the system, or USER from GROUP
"
);

static DELGROUP: &[Opt] = &[Opt::flag("help", None, Some("help"))];

const DELGROUP_USAGE: Help = help_text!(
    "\
Usage: delgroup [USER] GROUP

Delete group GROUP from the system or user USER from group GROUP
"
);

pub fn deluser(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = deluser_run(&argv, ctx);
    ctx.finish(r)
}

pub fn delgroup(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = delgroup_run(&argv, ctx);
    ctx.finish(r)
}

fn deluser_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    bb_root()?;
    let Some((opts, ops)) = bb_args(ctx, argv, DELUSER, DELUSER_USAGE, 2)? else {
        return Ok(());
    };
    if ops.len() == 2 {
        return del_member(ctx, &ops[0], &ops[1]);
    }
    let name = &ops[0];
    let mut a = super::accounts(1, 1)?;
    let pw = Accounts::find(&a.passwd, name).and_then(|i| Passwd::parse(&a.passwd[i]));
    let Some(pw) = pw else {
        return Err(Error::new(1, msg(&[b"unknown user ", name])));
    };
    if has(&opts, "remove-home")
        && sfd::stat(&pw.dir).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
    {
        remove_tree(ctx, &pw.dir);
    }
    drop_line(&mut a.passwd, name);
    if let Some(s) = a.shadow.as_mut() {
        drop_line(s, name);
    }
    a.edit_lists(|_, _, list| list.retain(|m| m != name));
    // Then `delgroup USER`, when there is such a group.
    let mut r = Ok(());
    if let Some(gid) = Accounts::find(&a.group, name).and_then(|i| gid_of(&a.group[i])) {
        match primary_user(&a.passwd, gid, b"") {
            Some(u) => r = Err(still_primary(&u, name)),
            None => drop_group(&mut a, name),
        }
    }
    commit(&a, 1)?;
    r
}

fn still_primary(user: &[u8], group: &[u8]) -> Error {
    Error::new(
        1,
        msg(&[
            b"'",
            user,
            b"' still has '",
            group,
            b"' as their primary group!",
        ]),
    )
}

fn delgroup_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    bb_root()?;
    let Some((_, ops)) = bb_args(ctx, argv, DELGROUP, DELGROUP_USAGE, 2)? else {
        return Ok(());
    };
    if ops.len() == 2 {
        return del_member(ctx, &ops[0], &ops[1]);
    }
    let name = &ops[0];
    let mut a = super::accounts(1, 1)?;
    let Some(gid) = Accounts::find(&a.group, name).and_then(|i| gid_of(&a.group[i])) else {
        return Err(Error::new(1, msg(&[b"unknown group ", name])));
    };
    if let Some(u) = primary_user(&a.passwd, gid, b"") {
        return Err(still_primary(&u, name));
    }
    drop_group(&mut a, name);
    commit(&a, 1)
}

/// `delgroup USER GROUP`: USER out of GROUP's member lists; not a member is only reported.
fn del_member(ctx: &mut Ctx, user: &[u8], group: &[u8]) -> Res<()> {
    let mut a = super::accounts(1, 1)?;
    let Some(gi) = Accounts::find(&a.group, group) else {
        return Err(Error::new(1, msg(&[b"unknown group ", group])));
    };
    let member = |l: &[u8]| {
        fields(l)
            .get(3)
            .is_some_and(|m| m.split(|&b| b == b',').any(|x| x == user))
    };
    if !member(&a.group[gi]) {
        ctx.msg(&msg(&[b"can't find ", user, b" in /etc/group"]));
    }
    if let Some(gs) = &a.gshadow {
        if !Accounts::find(gs, group).is_some_and(|i| member(&gs[i])) {
            ctx.msg(&msg(&[b"can't find ", user, b" in /etc/gshadow"]));
        }
    }
    a.edit_lists(|g, admins, list| {
        if g == group && !admins {
            list.retain(|m| m != user);
        }
    });
    commit(&a, 1)
}
