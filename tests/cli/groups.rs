//! `groups` against GNU coreutils as the oracle.

use crate::harness::*;

fn same(args: &[&str]) {
    applet("groups")
        .args(args)
        .run()
        .same_as(&gnu("groups").args(args).run());
}

#[test]
fn process_and_users_as_gnu() {
    same(&[]);
    same(&["root"]);
    same(&["root", "nobody"]);
    same(&["nosuchuser", "root"]);
    same(&["0"]);
    same(&["-x"]);
    applet_as(65534, "groups")
        .run()
        .same_as(&gnu_as(65534, "groups").run());
    let o = applet_as(54321, "groups").run();
    o.same_as(&gnu_as(54321, "groups").run());
    o.code(1);
}

#[test]
fn members_listed_in_etc_group() {
    let g = std::fs::read_to_string("/etc/group").unwrap_or_default();
    let user = g
        .lines()
        .filter_map(|l| l.split(':').nth(3))
        .flat_map(|m| m.split(','))
        .find(|m| !m.is_empty())
        .map(str::to_string);
    match user {
        Some(u) => same(&[&u, "root"]),
        None => skip("no /etc/group entry lists a member"),
    }
}
