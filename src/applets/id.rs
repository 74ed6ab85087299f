//! `id`: print user and group ids and names.
//!
//! GNU coreutils 9: the full form `uid=0(root) gid=0(root) groups=0(root),1(bin)` (with
//! `euid=`/`egid=` when they differ from the real ids), `-u -g -G` alone, `-n` for names, `-r`
//! for the real ids, `-z` for NUL-delimited output (two NULs between users with `-G`), user
//! operands by name or number (their groups from /etc/group, as getgrouplist(3)). Names come
//! from /etc/passwd and /etc/group (`common::fs::Names`); a scratch image without them gets
//! numbers, as GNU prints for ids without names. Deviation: no SELinux, so `-Z` always fails as
//! GNU does on a kernel without it.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::{process_groups, Names};
use crate::common::help::help_text;
use crate::common::num::push_u64;
use crate::common::quote::quote_always;
use crate::common::sys::user;
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("a", Some(b'a'), None),
        Opt::flag("context", Some(b'Z'), Some("context")),
        Opt::flag("group", Some(b'g'), Some("group")),
        Opt::flag("groups", Some(b'G'), Some("groups")),
        Opt::flag("name", Some(b'n'), Some("name")),
        Opt::flag("real", Some(b'r'), Some("real")),
        Opt::flag("user", Some(b'u'), Some("user")),
        Opt::flag("zero", Some(b'z'), Some("zero")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: id [OPTION]... [USER]...
Print user and group information for each specified USER,
or (when USER omitted) for the current process.

  -a             ignore, for compatibility with other versions
  -Z, --context  print only the security context of the process
  -g, --group    print only the effective group ID
  -G, --groups   print all group IDs
  -n, --name     print a name instead of a number, for -ugG
  -r, --real     print the real ID instead of the effective ID, with -ugG
  -u, --user     print only the effective user ID
  -z, --zero     delimit entries with NUL characters, not whitespace;
                   not permitted in default format
      --help        display this help and exit
      --version     output version information and exit

Without any OPTION, print some useful set of identified information.
"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    All,
    User,
    Group,
    Groups,
}

struct Ids {
    ruid: u32,
    euid: u32,
    rgid: u32,
    egid: u32,
}

struct Id<'a> {
    only: Only,
    names: bool,
    real: bool,
    zero: bool,
    multiple: bool,
    db: Names,
    ctx: &'a mut Ctx,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let (u, g, gg, z) = (
        m.flag("user"),
        m.flag("group"),
        m.flag("groups"),
        m.flag("context"),
    );
    if z {
        return Err(Error::new(
            1,
            "--context (-Z) works only on an SELinux-enabled kernel",
        ));
    }
    if u as u8 + g as u8 + gg as u8 > 1 {
        return Err(Error::new(
            1,
            "cannot print \"only\" of more than one choice",
        ));
    }
    let only = if u {
        Only::User
    } else if g {
        Only::Group
    } else if gg {
        Only::Groups
    } else {
        Only::All
    };
    let (names, real, zero) = (m.flag("name"), m.flag("real"), m.flag("zero"));
    if only == Only::All && (names || real) {
        return Err(Error::new(
            1,
            "cannot print only names or real IDs in default format",
        ));
    }
    if only == Only::All && zero {
        return Err(Error::new(
            1,
            "option --zero not permitted in default format",
        ));
    }
    let mut id = Id {
        only,
        names,
        real,
        zero,
        multiple: m.operands.len() > 1,
        db: Names::new(),
        ctx,
    };
    if m.operands.is_empty() {
        let ids = Ids {
            ruid: user::getuid(),
            euid: user::geteuid(),
            rgid: user::getgid(),
            egid: user::getegid(),
        };
        return id.print(&ids, None);
    }
    for spec in &m.operands {
        let spec = spec.as_bytes();
        let Some((uid, name)) = id.lookup(spec) else {
            let mut msg = quote_always(spec);
            msg.extend_from_slice(b": no such user");
            if spec.is_empty() {
                // GNU reports the errno left over from start-up for an empty name.
                msg.extend_from_slice(b": No such file or directory");
            }
            id.ctx.error(1, &msg);
            continue;
        };
        let gid = id.db.users().primary_gid(&name).unwrap_or(0);
        let ids = Ids {
            ruid: uid,
            euid: uid,
            rgid: gid,
            egid: gid,
        };
        id.print(&ids, Some(&name))?;
    }
    Ok(())
}

impl Id<'_> {
    /// A user operand: a name in /etc/passwd, else a number with an entry there
    /// (coreutils' parse_user_spec then getpwuid).
    fn lookup(&mut self, spec: &[u8]) -> Option<(u32, Vec<u8>)> {
        if spec.is_empty() {
            return None;
        }
        if let Some(uid) = self.db.users().id(spec) {
            return Some((uid, spec.to_vec()));
        }
        let uid: u32 = std::str::from_utf8(spec).ok()?.parse().ok()?;
        let name = self.db.user(uid)?.to_vec();
        Some((uid, name))
    }

    fn user(&mut self, uid: u32) {
        if self.names {
            if let Some(n) = self.db.user(uid) {
                let n = n.to_vec();
                self.ctx.out.buf_mut().extend_from_slice(&n);
                return;
            }
            self.ctx
                .errorf(1, format_args!("cannot find name for user ID {uid}"));
        }
        push_u64(self.ctx.out.buf_mut(), uid.into());
    }

    fn group(&mut self, gid: u32) {
        if self.names {
            if let Some(n) = self.db.group(gid) {
                let n = n.to_vec();
                self.ctx.out.buf_mut().extend_from_slice(&n);
                return;
            }
            self.ctx
                .errorf(1, format_args!("cannot find name for group ID {gid}"));
        }
        push_u64(self.ctx.out.buf_mut(), gid.into());
    }

    /// `N(name)`, the name left out when there is none.
    fn both(&mut self, id: u32, user: bool) {
        let name = if user {
            self.db.user(id)
        } else {
            self.db.group(id)
        }
        .map(|n| n.to_vec());
        let b = self.ctx.out.buf_mut();
        push_u64(b, id.into());
        if let Some(n) = name {
            b.push(b'(');
            b.extend_from_slice(&n);
            b.push(b')');
        }
    }

    /// The group list: the user's from /etc/group, or the process's.
    fn groups(&mut self, user: Option<&[u8]>, primary: u32) -> Result<Vec<u32>> {
        match user {
            Some(u) => Ok(self.db.group_list(u, primary)),
            None => process_groups(primary)
                .map_err(|e| Error::io(1, "failed to get groups for the current process", &e)),
        }
    }

    fn print(&mut self, ids: &Ids, user: Option<&[u8]>) -> Result<()> {
        match self.only {
            Only::User => self.user(if self.real { ids.ruid } else { ids.euid }),
            Only::Group => self.group(if self.real { ids.rgid } else { ids.egid }),
            Only::Groups => {
                let delim = if self.zero { 0 } else { b' ' };
                // A user without a passwd entry for its uid (cannot happen for a looked-up
                // operand) would make GNU fail quietly here; the primary group stays ours.
                self.group(ids.rgid);
                if ids.egid != ids.rgid {
                    self.ctx.out.buf_mut().push(delim);
                    self.group(ids.egid);
                }
                for g in self.groups(user, ids.egid)? {
                    if g != ids.rgid && g != ids.egid {
                        self.ctx.out.buf_mut().push(delim);
                        self.group(g);
                    }
                }
            }
            Only::All => {
                self.ctx.out.buf_mut().extend_from_slice(b"uid=");
                self.both(ids.ruid, true);
                self.ctx.out.buf_mut().extend_from_slice(b" gid=");
                self.both(ids.rgid, false);
                if ids.euid != ids.ruid {
                    self.ctx.out.buf_mut().extend_from_slice(b" euid=");
                    self.both(ids.euid, true);
                }
                if ids.egid != ids.rgid {
                    self.ctx.out.buf_mut().extend_from_slice(b" egid=");
                    self.both(ids.egid, false);
                }
                let primary = match user {
                    Some(_) => ids.rgid,
                    None => ids.egid,
                };
                let list = self.groups(user, primary)?;
                for (i, g) in list.into_iter().enumerate() {
                    let sep: &[u8] = if i == 0 { b" groups=" } else { b"," };
                    self.ctx.out.buf_mut().extend_from_slice(sep);
                    self.both(g, false);
                }
            }
        }
        let b = self.ctx.out.buf_mut();
        if self.zero && self.only == Only::Groups && self.multiple {
            b.extend_from_slice(b"\0\0");
        } else {
            b.push(if self.zero { 0 } else { b'\n' });
        }
        self.ctx.out.maybe_flush()?;
        Ok(())
    }
}
