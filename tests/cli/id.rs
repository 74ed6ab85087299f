//! `id` against GNU coreutils as the oracle: the current process (root, and uid 65534 or an
//! id without a name through setpriv), users by name and number, every option.

use crate::harness::*;

fn same(args: &[&str]) {
    applet("id")
        .args(args)
        .run()
        .same_as(&gnu("id").args(args).run());
}

#[test]
fn current_process_as_gnu() {
    for a in [
        &[][..],
        &["-u"],
        &["-g"],
        &["-G"],
        &["-un"],
        &["-gn"],
        &["-Gn"],
        &["-ur"],
        &["-gr"],
        &["-Gr"],
        &["-uz"],
        &["-Gnz"],
        &["-a"],
        &["--user", "--name"],
    ] {
        same(a);
        applet_as(65534, "id")
            .args(a)
            .run()
            .same_as(&gnu_as(65534, "id").args(a).run());
    }
}

#[test]
fn ids_without_names_as_gnu() {
    for a in [&[][..], &["-un"], &["-Gn"], &["-G"], &["-g"]] {
        let o = applet_as(54321, "id").args(a).run();
        o.same_as(&gnu_as(54321, "id").args(a).run());
    }
    assert_eq!(
        applet_as(54321, "id").run().out(),
        "uid=54321 gid=54321 groups=54321\n"
    );
}

#[test]
fn users_as_gnu() {
    for a in [
        &["root"][..],
        &["0"],
        &["65534"],
        &["nobody"],
        &["root", "nobody"],
        &["-G", "root", "nobody"],
        &["-Gn", "root", "nobody"],
        &["-Gnz", "root", "nobody"],
        &["-Gz", "root"],
        &["-un", "0"],
        &["-gn", "nobody"],
        &["nosuchuser"],
        &["root", "nosuchuser", "nobody"],
        &["999999"],
        &[""],
    ] {
        same(a);
    }
}

#[test]
fn supplementary_groups_from_etc_group() {
    // A user that /etc/group lists in groups other than its own.
    let members = std::fs::read_to_string("/etc/group").unwrap_or_default();
    let user = members
        .lines()
        .filter_map(|l| l.split(':').nth(3))
        .flat_map(|m| m.split(','))
        .find(|m| !m.is_empty())
        .map(str::to_string);
    match user {
        Some(u) => {
            same(&[&u]);
            same(&["-Gn", &u]);
        }
        None => skip("no /etc/group entry lists a member"),
    }
}

#[test]
fn usage_errors_as_gnu() {
    for a in [
        &["-n"][..],
        &["-r"],
        &["-z"],
        &["-ug"],
        &["-uG"],
        &["-Z"],
        &["-q"],
        &["--gro"],
        &["--bogus"],
    ] {
        same(a);
    }
}
