//! `nologin`: the login shell of accounts that must not log in.
//!
//! As Debian's and util-linux's: `/etc/nologin.txt` when it can be read, else `This account is
//! currently not available.`, on standard output; status 1 whatever the arguments (a login
//! shell is given `-c COMMAND` by su and sshd). It is the shell `adduser -S -s /sbin/nologin`
//! and `useradd -s /usr/sbin/nologin` name, so `su nginx -c id` in the image refuses as on
//! Alpine and Debian instead of failing to find the shell. Deviation: none known.

use std::ffi::OsString;

use crate::common::Ctx;

pub fn main(_argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let text = std::fs::read("/etc/nologin.txt")
        .unwrap_or_else(|_| b"This account is currently not available.\n".to_vec());
    let _ = ctx.out.write_all(&text);
    let _ = ctx.out.flush();
    1
}
