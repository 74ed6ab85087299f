//! `groups`: print the groups a user is in.
//!
//! GNU coreutils 9: without operands the process's groups (real, effective, then the
//! supplementary ones); with user names `NAME : g1 g2`, the primary group from /etc/passwd and
//! the others from /etc/group (as getgrouplist(3)); `'x': no such user` and status 1 for an
//! unknown name, a group without a name printed as its number with an error. Deviation: none
//! known.

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
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: groups [OPTION]... [USERNAME]...
Print group memberships for each USERNAME or, if no USERNAME is specified, for
the current process (which may differ if the groups database has changed).
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut db = Names::new();
    if m.operands.is_empty() {
        let (rgid, egid) = (user::getgid(), user::getegid());
        let list = process_groups(egid)
            .map_err(|e| Error::io(1, "failed to get groups for the current process", &e))?;
        print(ctx, &mut db, rgid, egid, &list);
        return Ok(());
    }
    for name in &m.operands {
        let name = name.as_bytes();
        let gid = db.users().primary_gid(name);
        let Some(gid) = gid.filter(|_| db.users().id(name).is_some()) else {
            let mut msg = quote_always(name);
            msg.extend_from_slice(b": no such user");
            ctx.error(1, &msg);
            continue;
        };
        let list = db.group_list(name, gid);
        let b = ctx.out.buf_mut();
        b.extend_from_slice(name);
        b.extend_from_slice(b" : ");
        print(ctx, &mut db, gid, gid, &list);
    }
    Ok(())
}

/// GNU's print_group_list with names: the real group, the effective one when it differs, then
/// the others; a line.
fn print(ctx: &mut Ctx, db: &mut Names, rgid: u32, egid: u32, list: &[u32]) {
    let mut one = |ctx: &mut Ctx, g: u32, first: bool| {
        if !first {
            ctx.out.buf_mut().push(b' ');
        }
        match db.group(g) {
            Some(n) => ctx.out.buf_mut().extend_from_slice(n),
            None => {
                ctx.errorf(1, format_args!("cannot find name for group ID {g}"));
                push_u64(ctx.out.buf_mut(), g.into());
            }
        }
    };
    one(ctx, rgid, true);
    if egid != rgid {
        one(ctx, egid, false);
    }
    for &g in list {
        if g != rgid && g != egid {
            one(ctx, g, false);
        }
    }
    ctx.out.buf_mut().push(b'\n');
}
