//! `chroot`: run a command with another root directory.
//!
//! GNU coreutils 9: `chroot [OPTION] NEWROOT [COMMAND [ARG]...]`; without a command
//! `"$SHELL" -i` (`/bin/sh -i`). `--userspec=USER:GROUP` (names or ids, chown's syntax through
//! `common::fs::parse_owner_spec`; `USER:` is `USER`), `--groups=G1,G2` (names or numbers),
//! `--skip-chdir` (only with the old `/`). Names are looked up outside the new root first,
//! then inside it (the inside answer wins; the outside one stands in when the new root has no
//! /etc/group); without `--groups`, a user's supplementary groups are its /etc/group ones. A
//! NEWROOT that is `/` already is not chroot'ed. Statuses: 125 for chroot's own failures, 126
//! a command not runnable, 127 not found, else the command's. GNU's messages (`cannot change
//! root directory to 'x': ...`, `invalid group 'x'`, `no group specified for unknown uid: N`).
//! A command found on no PATH of the new root that is an rbox applet runs from this binary.
//! Deviation: names come from /etc/passwd and /etc/group only (no NSS).

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{self, Opt, Spec};
use crate::common::exec;
use crate::common::fs::{owner_number, parse_owner_spec, Names};
use crate::common::help::help_text;
use crate::common::path::{canonicalize, Missing};
use crate::common::quote::{quote_always, quote_locale};
use crate::common::sys::{process as sp, user};
use crate::common::{ctx::strerror, Ctx, Error, Result};

/// chroot's own failures (GNU's EXIT_CANCELED).
const FAIL: i32 = 125;

static SPEC: Spec = Spec::new(
    &[
        Opt::arg("groups", None, Some("groups")),
        Opt::arg("userspec", None, Some("userspec")),
        Opt::flag("skip-chdir", None, Some("skip-chdir")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: chroot [OPTION] NEWROOT [COMMAND [ARG]...]
  or:  chroot OPTION
Run COMMAND with root directory set to NEWROOT.

      --groups=G_LIST        specify supplementary groups as g1,g2,..,gN
      --userspec=USER:GROUP  specify user and group (ID or name) to use
      --skip-chdir           do not change working directory to '/'
      --help        display this help and exit
      --version     output version information and exit

If no command is given, run '\"$SHELL\" -i' (default: '/bin/sh -i').
"
    ),
)
.code(FAIL)
.require_order();

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

/// The ids `--userspec` and `--groups` ask for, looked up in the current root's files.
#[derive(Default)]
struct Ids {
    uid: Option<u32>,
    gid: Option<u32>,
    /// The supplementary groups, when they could be worked out.
    groups: Option<Vec<u32>>,
}

/// GNU's parse_additional_groups: comma-separated names or numbers (a number that is also a
/// group's name is that group, unless written `+N`); `Err` names the first unknown one.
fn group_list(names: &mut Names, list: &[u8]) -> std::result::Result<Vec<u32>, Vec<u8>> {
    let mut v = Vec::new();
    for g in list.split(|&c| c == b',').filter(|g| !g.is_empty()) {
        let named = names.groups().id(g.trim_ascii_start());
        let id = match owner_number(g.trim_ascii_start()) {
            Some(n) if g.trim_ascii_start().first() != Some(&b'+') => named.unwrap_or(n),
            Some(n) => n,
            None => named.ok_or_else(|| g.to_vec())?,
        };
        v.push(id);
    }
    Ok(v)
}

/// One round of look-ups (GNU does one outside the new root and one inside); `outside`: the
/// first round's groups stand in for a `--groups` list the second cannot resolve.
fn look_up(
    spec: Option<&[u8]>,
    groups: Option<&[u8]>,
    ctx: Option<&mut Ctx>,
    outside: Option<&Ids>,
) -> std::result::Result<Ids, Error> {
    let mut names = Names::new();
    let mut ids = Ids::default();
    if let Some(s) = spec {
        match parse_owner_spec(&mut names, s) {
            Ok((t, warn)) => {
                if let (true, Some(ctx)) = (warn, ctx) {
                    ctx.msg(b"warning: '.' should be ':'");
                }
                ids.uid = t.uid;
                ids.gid = t.gid;
            }
            Err(e) => return Err(Error::new(FAIL, e)),
        }
    }
    let mut user_name = None;
    if let Some(uid) = ids.uid {
        if groups.is_none() || ids.gid.is_none() {
            match names.user(uid).map(<[u8]>::to_vec) {
                Some(n) => {
                    if ids.gid.is_none() {
                        ids.gid = names.users().primary_gid(&n);
                    }
                    user_name = Some(n);
                }
                None if ids.gid.is_none() => {
                    let m = format!("no group specified for unknown uid: {uid}");
                    return Err(Error::new(FAIL, m));
                }
                None => {}
            }
        }
    }
    match groups {
        Some(g) if !g.is_empty() => match group_list(&mut names, g) {
            Ok(v) => ids.groups = Some(v),
            Err(_) if outside.is_some_and(|o| o.groups.as_ref().is_some_and(|g| !g.is_empty())) => {
                ids.groups = outside.and_then(|o| o.groups.clone());
            }
            Err(bad) => {
                let mut m = b"invalid group ".to_vec();
                m.extend_from_slice(&quote_locale(&bad));
                return Err(Error::new(FAIL, m));
            }
        },
        Some(_) => ids.groups = Some(Vec::new()),
        None => {
            if let (Some(gid), Some(n)) = (ids.gid, &user_name) {
                ids.groups = Some(names.group_list(n, gid));
            }
        }
    }
    Ok(ids)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(ctx.finish(Ok(())));
    };
    let mut spec = m.last("userspec").map(|s| s.as_bytes().to_vec());
    // `USER:` is `USER`: the primary group is looked up either way.
    if let Some(s) = &mut spec {
        if s.last() == Some(&b':') {
            s.pop();
        }
    }
    let spec = spec.filter(|s| !s.is_empty());
    let groups = m.last("groups").map(|g| g.as_bytes().to_vec());
    let mut ops = m.operands.into_iter().map(OsString::into_vec);
    let Some(newroot) = ops.next() else {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", FAIL));
    };
    let is_oldroot = canonicalize(&newroot, Missing::None, true).is_ok_and(|p| p == b"/");
    let skip_chdir = m.opts.iter().any(|o| o.0 == "skip-chdir");
    if skip_chdir && !is_oldroot {
        let msg = b"option --skip-chdir only permitted if NEWROOT is old '/'";
        return Err(args::usage_error(ctx, &SPEC, msg, FAIL));
    }
    let wanted = spec.is_some() || groups.is_some();
    // Outside the new root: what stands in when the new root cannot answer.
    let outside = if wanted && !is_oldroot {
        look_up(spec.as_deref(), groups.as_deref(), None, None).ok()
    } else {
        None
    };
    if !is_oldroot {
        if let Err(e) = sp::chroot(&newroot) {
            let mut msg = b"cannot change root directory to ".to_vec();
            msg.extend_from_slice(&quote_always(&newroot));
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(strerror(&e).as_bytes());
            return Err(Error::new(FAIL, msg));
        }
    }
    if !skip_chdir {
        if let Err(e) = sp::chdir(b"/") {
            return Err(Error::io(FAIL, "cannot chdir to root directory", &e));
        }
    }
    let mut cmd: Vec<Vec<u8>> = ops.collect();
    if cmd.is_empty() {
        let shell = std::env::var_os("SHELL").map_or(b"/bin/sh".to_vec(), |s| s.into_vec());
        cmd = vec![shell, b"-i".to_vec()];
    }
    if wanted {
        let ids = look_up(
            spec.as_deref(),
            groups.as_deref(),
            Some(ctx),
            outside.as_ref(),
        )?;
        if ids.uid.is_some() || groups.is_some() {
            let list = ids.groups.unwrap_or_default();
            if let Err(e) = user::setgroups(&list) {
                return Err(Error::io(FAIL, "failed to set supplemental groups", &e));
            }
        }
        if let Some(g) = ids.gid {
            if let Err(e) = user::setresgid(g, g, g) {
                return Err(Error::io(FAIL, "failed to set group-ID", &e));
            }
        }
        if let Some(u) = ids.uid {
            if let Err(e) = user::setresuid(u, u, u) {
                return Err(Error::io(FAIL, "failed to set user-ID", &e));
            }
        }
    }
    match exec::exec(&cmd, &exec::environ()).status() {
        Ok(st) => Ok(st),
        Err((code, e)) => Err(Error::new(code, exec::failed_to_run(&cmd[0], &e))),
    }
}
