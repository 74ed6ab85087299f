//! `chown` and `chgrp`: change file owner and group.
//!
//! GNU coreutils 9: `chown [OWNER][:[GROUP]] FILE...` (also `OWNER.GROUP` with GNU's
//! "warning: '.' should be ':'", `:GROUP`, `OWNER:` for the login group, numeric ids, `+N` to
//! skip the name look-up) and `chgrp GROUP FILE...`; names from /etc/passwd and /etc/group
//! (`common::fs::Names`, no NSS: a scratch image has only those files). Options `-c -f -v -h
//! -R -H -L -P`, `--dereference`, `--no-dereference`, `--from=CURRENT_OWNER:CURRENT_GROUP`
//! (chown), `--reference=RFILE`, `--preserve-root`/`--no-preserve-root`, with GNU's messages
//! (`chown: invalid user: 'nosuch'`, `changed ownership of 'f' from root:root to daemon:bin`).
//! Without -R operands that are symlinks are followed unless -h; with -R the default is -P:
//! nothing is followed and symlinks themselves are changed (lchown), as GNU does. Trees are
//! walked by `common::walk` (descriptor-relative): directories changed through their open
//! descriptor, other entries with fchownat relative to their parent.
//! Deviation: a dangling operand with -v prints no old owner (GNU prints an uninitialised one).

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::{owner_group, parse_owner_spec, Names, OwnerSpec};
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::sys::fd::{self as sfd, BorrowedFd, Stat};
use crate::common::sys::fs as sfs;
use crate::common::walk::{Action, Follow, Op, Options, Order, Visit, Walker};
use crate::common::{Ctx, Result};

macro_rules! common_opts {
    ($($extra:expr),*) => {
        &[
            Opt::flag("recursive", Some(b'R'), Some("recursive")),
            Opt::flag("changes", Some(b'c'), Some("changes")),
            Opt::flag("dereference", None, Some("dereference")),
            $($extra,)*
            Opt::flag("no-dereference", Some(b'h'), Some("no-dereference")),
            Opt::flag("no-preserve-root", None, Some("no-preserve-root")),
            Opt::flag("preserve-root", None, Some("preserve-root")),
            Opt::flag("silent", Some(b'f'), Some("quiet")),
            Opt::flag("silent", None, Some("silent")),
            Opt::arg("reference", None, Some("reference")),
            Opt::flag("verbose", Some(b'v'), Some("verbose")),
            Opt::flag("H", Some(b'H'), None),
            Opt::flag("L", Some(b'L'), None),
            Opt::flag("P", Some(b'P'), None),
            Opt::flag("help", None, Some("help")),
            Opt::flag("version", None, Some("version")),
        ]
    };
}

static CHOWN: Spec = Spec::new(
    common_opts!(Opt::arg("from", None, Some("from"))),
    help::CHOWN,
);
static CHGRP: Spec = Spec::new(common_opts!(), help::CHGRP);

/// The help texts: a head per applet (`\u{1}`), the option list shared.
mod help {
    use crate::common::help::{help_text, Help};
    const BODY: Help = help_text!(
        "\u{1}
  -c, --changes          like verbose but report only when a change is made
  -f, --silent, --quiet  suppress most error messages
  -v, --verbose          output a diagnostic for every file processed
      --dereference      affect the referent of each symbolic link (this is
                         the default), rather than the symbolic link itself
  -h, --no-dereference   affect symbolic links instead of any referenced file
      --no-preserve-root  do not treat '/' specially (the default)
      --preserve-root    fail to operate recursively on '/'
      --reference=RFILE  use RFILE's owner and group rather than specifying values
  -R, --recursive        operate on files and directories recursively
  -H                     with -R: traverse a command-line symlink to a directory
  -L                     with -R: traverse every symbolic link to a directory
  -P                     with -R: do not traverse any symbolic links (default)
      --help        display this help and exit
      --version     output version information and exit
"
    );
    pub const CHOWN: Help = BODY.fill(&["Usage: chown [OPTION]... [OWNER][:[GROUP]] FILE...
  or:  chown [OPTION]... --reference=RFILE FILE...
Change the owner and/or group of each FILE to OWNER and/or GROUP.
With --reference, change the owner and group of each FILE to those of RFILE.

      --from=CURRENT_OWNER:CURRENT_GROUP
                         change the owner and/or group of each file only if
                         its current owner and/or group match those specified
                         here.  Either may be omitted."]);
    pub const CHGRP: Help = BODY.fill(&["Usage: chgrp [OPTION]... GROUP FILE...
  or:  chgrp [OPTION]... --reference=RFILE FILE...
Change the group of each FILE to GROUP.
With --reference, change the group of each FILE to that of RFILE.
"]);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Off,
    Changes,
    High,
}

struct Chown {
    t: OwnerSpec,
    from_uid: Option<u32>,
    from_gid: Option<u32>,
    verbosity: Verbosity,
    silent: bool,
    /// Change what symlinks point to (chown) rather than them (lchown).
    deref: bool,
    names: Names,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, false);
    ctx.finish(r)
}

pub fn chgrp(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, true);
    ctx.finish(r)
}

fn die_spec(ctx: &mut Ctx, what: &str, spec: &[u8]) -> crate::common::Error {
    let mut m = what.as_bytes().to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(&quote_always(spec));
    ctx.msg(&m);
    crate::common::Error::silent(1)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx, group_only: bool) -> Result<()> {
    let spec = if group_only { &CHGRP } else { &CHOWN };
    let Some(m) = args::get(ctx, &argv, spec)? else {
        return Ok(());
    };
    let mut names = Names::new();
    let mut operands = m.operands.iter();
    let reference = m.last("reference");
    let t = if let Some(r) = reference {
        match sfd::stat(r.as_bytes()) {
            Ok(st) => {
                let show_u = |n: &mut Names| match n.user(st.st_uid) {
                    Some(s) => s.to_vec(),
                    None => st.st_uid.to_string().into_bytes(),
                };
                let show_g = match names.group(st.st_gid) {
                    Some(s) => s.to_vec(),
                    None => st.st_gid.to_string().into_bytes(),
                };
                OwnerSpec {
                    uid: (!group_only).then_some(st.st_uid),
                    gid: Some(st.st_gid),
                    user: (!group_only).then(|| show_u(&mut names)),
                    group: Some(show_g),
                }
            }
            Err(e) => {
                if m.operands.is_empty() {
                    return Err(args::usage_error(ctx, spec, b"missing operand", 1));
                }
                ctx.error_quoted(1, "failed to get attributes of", r.as_bytes(), &e);
                return Ok(());
            }
        }
    } else {
        let Some(s) = operands.next() else {
            return Err(args::usage_error(ctx, spec, b"missing operand", 1));
        };
        if m.operands.len() == 1 {
            let mut v = b"missing operand after ".to_vec();
            v.extend_from_slice(&quote_always(s.as_bytes()));
            return Err(args::usage_error(ctx, spec, &v, 1));
        }
        let s = s.as_bytes();
        if group_only {
            // chgrp shows the group as typed (`+7` too).
            match owner_group(&mut names, s) {
                Some((id, _)) => OwnerSpec {
                    gid: Some(id),
                    group: Some(s.to_vec()),
                    ..OwnerSpec::default()
                },
                None => return Err(die_spec(ctx, "invalid group", s)),
            }
        } else {
            match parse_owner_spec(&mut names, s) {
                Ok((t, warn)) => {
                    if warn {
                        let mut v = b"warning: '.' should be ':': ".to_vec();
                        v.extend_from_slice(&quote_always(s));
                        ctx.msg(&v);
                    }
                    t
                }
                Err(e) => return Err(die_spec(ctx, e, s)),
            }
        }
    };
    if operands.len() == 0 {
        return Err(args::usage_error(ctx, spec, b"missing operand", 1));
    }
    let (mut from_uid, mut from_gid) = (None, None);
    if let Some(f) = m.last("from") {
        match parse_owner_spec(&mut names, f.as_bytes()) {
            Ok((ft, _)) => {
                from_uid = ft.uid;
                from_gid = ft.gid;
            }
            Err(e) => return Err(die_spec(ctx, e, f.as_bytes())),
        }
    }
    let last_of = |ids: &[&str]| {
        m.opts
            .iter()
            .rev()
            .find(|o| ids.contains(&o.0))
            .map(|o| o.0)
    };
    let recurse = m.flag("recursive");
    let follow = match last_of(&["H", "L", "P"]) {
        Some("H") => Follow::Roots,
        Some("L") => Follow::All,
        _ => Follow::Never,
    };
    let deref_opt = last_of(&["dereference", "no-dereference"]);
    let deref = if recurse {
        if follow == Follow::Never {
            if deref_opt == Some("dereference") {
                ctx.msg(b"-R --dereference requires either -H or -L");
                return Err(crate::common::Error::silent(1));
            }
            false
        } else {
            deref_opt != Some("no-dereference")
        }
    } else {
        deref_opt != Some("no-dereference")
    };
    let preserve_root = last_of(&["preserve-root", "no-preserve-root"]) == Some("preserve-root");
    let verbosity = match last_of(&["changes", "verbose"]) {
        Some("verbose") => Verbosity::High,
        Some(_) => Verbosity::Changes,
        None => Verbosity::Off,
    };
    let mut c = Chown {
        t,
        from_uid,
        from_gid,
        verbosity,
        silent: m.flag("silent"),
        deref,
        names,
    };
    let mut walker = recurse.then(|| {
        Walker::new(Options {
            follow,
            order: Order::Raw,
            ..Options::default()
        })
    });
    for f in operands {
        let f = f.as_bytes();
        if recurse && preserve_root && is_root_dir(f) {
            let mut msg = b"it is dangerous to operate recursively on ".to_vec();
            msg.extend_from_slice(&quote_always(f));
            if f != b"/" {
                msg.extend_from_slice(b" (same as '/')");
            }
            ctx.error(1, &msg);
            ctx.msg(b"use --no-preserve-root to override this failsafe");
            continue;
        }
        match walker.as_mut() {
            Some(w) => c.tree(ctx, w, f)?,
            None => {
                let cwd = sfd::cwd();
                let fl = if c.deref {
                    0
                } else {
                    libc::AT_SYMLINK_NOFOLLOW
                };
                match sfd::fstatat(cwd, f, fl) {
                    Ok(st) => c.change(ctx, cwd, f, f, &st, c.deref, None)?,
                    Err(e) => c.no_stat(ctx, cwd, f, f, &e, c.deref)?,
                }
            }
        }
    }
    Ok(())
}

fn is_root_dir(name: &[u8]) -> bool {
    match (sfd::stat(name), sfd::stat(b"/")) {
        (Ok(a), Ok(b)) => (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino),
        _ => false,
    }
}

enum Status {
    Succeeded,
    Failed,
    Retained,
}

impl Chown {
    fn no_stat(
        &mut self,
        ctx: &mut Ctx,
        at: BorrowedFd,
        name: &[u8],
        path: &[u8],
        e: &io::Error,
        deref: bool,
    ) -> Result<()> {
        if !self.silent {
            let dangling = deref
                && e.raw_os_error() == Some(libc::ENOENT)
                && sfd::fstatat(at, name, libc::AT_SYMLINK_NOFOLLOW).is_ok();
            let what = if dangling {
                "cannot dereference"
            } else {
                "cannot access"
            };
            ctx.error_quoted(1, what, path, e);
        }
        ctx.fail(1);
        if self.verbosity == Verbosity::High {
            self.describe(ctx, path, Status::Failed, None)?;
        }
        Ok(())
    }

    /// Change one file whose status is `st`; `fd`: the directory itself, open.
    #[allow(clippy::too_many_arguments)]
    fn change(
        &mut self,
        ctx: &mut Ctx,
        at: BorrowedFd,
        name: &[u8],
        path: &[u8],
        st: &Stat,
        deref: bool,
        fd: Option<BorrowedFd>,
    ) -> Result<()> {
        let matches = self.from_uid.is_none_or(|u| u == st.st_uid)
            && self.from_gid.is_none_or(|g| g == st.st_gid);
        let mut status = Status::Retained;
        if matches {
            let uid = self.t.uid.unwrap_or(u32::MAX);
            let gid = self.t.gid.unwrap_or(u32::MAX);
            let r = match fd {
                Some(fd) => sfs::fchown(fd, uid, gid),
                None => {
                    let fl = if deref { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
                    sfs::fchownat(at, name, uid, gid, fl)
                }
            };
            match r {
                Ok(()) => {
                    let same = self.t.uid.is_none_or(|u| u == st.st_uid)
                        && self.t.gid.is_none_or(|g| g == st.st_gid);
                    if !same {
                        status = Status::Succeeded;
                    }
                }
                Err(e) => {
                    if !self.silent {
                        let what = if self.t.uid.is_some() {
                            "changing ownership of"
                        } else {
                            "changing group of"
                        };
                        ctx.error_quoted(1, what, path, &e);
                    }
                    ctx.fail(1);
                    status = Status::Failed;
                }
            }
        }
        let show = match status {
            Status::Succeeded => self.verbosity != Verbosity::Off,
            _ => self.verbosity == Verbosity::High,
        };
        if show {
            self.describe(ctx, path, status, Some(st))?;
        }
        Ok(())
    }

    fn id_text(&mut self, user: bool, id: u32) -> Vec<u8> {
        let n = if user {
            self.names.user(id)
        } else {
            self.names.group(id)
        };
        match n {
            Some(n) => n.to_vec(),
            None => id.to_string().into_bytes(),
        }
    }

    /// GNU's describe_change.
    fn describe(&mut self, ctx: &mut Ctx, path: &[u8], s: Status, st: Option<&Stat>) -> Result<()> {
        let spec = user_group(self.t.user.as_deref(), self.t.group.as_deref());
        let old = st.and_then(|st| {
            let u = self.t.user.is_some().then(|| self.id_text(true, st.st_uid));
            let g = self
                .t
                .group
                .is_some()
                .then(|| self.id_text(false, st.st_gid));
            user_group(u.as_deref(), g.as_deref())
        });
        let (u, g) = (self.t.user.is_some(), self.t.group.is_some());
        let what: &[u8] = if u {
            b"ownership of "
        } else if g {
            b"group of "
        } else {
            b"ownership of "
        };
        let out = &mut ctx.out;
        let q = quote_always(path);
        match s {
            Status::Succeeded => {
                if u || g {
                    out.write_all(b"changed ")?;
                    out.write_all(what)?;
                    out.write_all(&q)?;
                    out.write_all(b" from ")?;
                    out.write_all(&old.unwrap_or_default())?;
                    out.write_all(b" to ")?;
                    out.write_all(&spec.unwrap_or_default())?;
                } else {
                    out.write_all(b"no change to ownership of ")?;
                    out.write_all(&q)?;
                }
            }
            Status::Failed => {
                out.write_all(b"failed to change ")?;
                out.write_all(what)?;
                out.write_all(&q)?;
                if u || g {
                    if let Some(o) = old {
                        out.write_all(b" from ")?;
                        out.write_all(&o)?;
                    }
                    out.write_all(b" to ")?;
                    out.write_all(&spec.unwrap_or_default())?;
                }
            }
            Status::Retained => {
                out.write_all(what)?;
                out.write_all(&q)?;
                if u || g {
                    out.write_all(b" retained as ")?;
                    out.write_all(&old.unwrap_or_default())?;
                } else {
                    out.write_all(b" retained")?;
                }
            }
        }
        out.byte(b'\n')?;
        Ok(())
    }

    fn tree(&mut self, ctx: &mut Ctx, w: &mut Walker, root: &[u8]) -> Result<()> {
        let mut err = None;
        w.walk(sfd::cwd(), root, |e, v| {
            let path = e.path();
            let deref = self.deref;
            let r = match v {
                // Directories after their contents, as GNU's chown (fts post-order).
                Visit::Post => {
                    let st = *e
                        .cached_stat()
                        .unwrap_or_else(|| unreachable!("directories come with their stat"));
                    // -h with -L: a directory reached through a symlink has the symlink changed.
                    let fd = if deref { e.fd() } else { None };
                    self.change(ctx, e.parent(), e.name(), path, &st, deref, fd)
                }
                Visit::Leaf => match e.stat() {
                    Ok(st) => {
                        let st = *st;
                        self.change(ctx, e.parent(), e.name(), path, &st, deref, None)
                    }
                    Err(er) => self.no_stat(ctx, e.parent(), e.name(), path, &er, deref),
                },
                Visit::Error(Op::Stat, er) => {
                    self.no_stat(ctx, e.parent(), e.name(), path, &er, e.follows())
                }
                Visit::Error(Op::Open | Op::Read, er) => {
                    if !self.silent {
                        ctx.error_quoted(1, "cannot read directory", path, &er);
                    }
                    ctx.fail(1);
                    Ok(())
                }
                Visit::Error(_, er) => {
                    if !self.silent {
                        let mut m = quote_if_needed(path);
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(crate::common::ctx::strerror(&er).as_bytes());
                        ctx.msg(&m);
                    }
                    ctx.fail(1);
                    Ok(())
                }
                Visit::Pre | Visit::Children(_) => Ok(()),
            };
            match r {
                Ok(()) => Action::Continue,
                Err(x) => {
                    err = Some(x);
                    Action::Stop
                }
            }
        });
        err.map_or(Ok(()), Err)
    }
}

/// `user:group`, `user`, `group`, or nothing.
fn user_group(u: Option<&[u8]>, g: Option<&[u8]>) -> Option<Vec<u8>> {
    match (u, g) {
        (Some(u), Some(g)) => Some([u, b":", g].concat()),
        (Some(u), None) => Some(u.to_vec()),
        (None, Some(g)) => Some(g.to_vec()),
        (None, None) => None,
    }
}
