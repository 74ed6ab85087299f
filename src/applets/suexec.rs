//! `su-exec`, `gosu`, `setpriv`: switch user, group and supplementary groups, then exec.
//!
//! - `su-exec USER[:GROUP] COMMAND [ARG]...` (Alpine's su-exec 0.2): USER and GROUP by name or
//!   number; without GROUP the user's primary group and its groups from /etc/group
//!   (getgrouplist), with GROUP that one group alone; a number without a passwd entry keeps the
//!   caller's group, as su-exec does. `HOME` is the user's home (`/` without an entry). The
//!   command replaces su-exec (execvp; no fork, so signals reach it directly). Messages
//!   `su-exec: getpwnam(x): No such file or directory` (musl's errno), `su-exec: CMD: ...`,
//!   status 1; fewer than two operands print the usage on stdout, status 0.
//! - `gosu USER[:GROUP] COMMAND [ARG]...` (tianon's gosu 1.17, runc's user-spec rules): a
//!   user found by name or number sets uid, gid, HOME and the supplementary groups that list
//!   it (none else: the primary group is not added); a number without an entry is used as is
//!   with the caller's gid and HOME `/`; `:GROUP` sets the gid and no supplementary groups.
//!   `gosu --version`/`-v`, `--help`/`-h`/`-?`; its messages (`error: failed switching to
//!   'x': operation not permitted` when not root, `error: exec: "x": executable file not found
//!   in $PATH`), status 1. Like gosu it refuses to run from a setuid/setgid binary.
//! - `setpriv` (util-linux 2.38's subset that entrypoints use): `--ruid --euid --rgid --egid
//!   --reuid --regid` (numbers or names), `--clear-groups --keep-groups --init-groups
//!   --groups LIST` (one of them whenever a gid changes), `--nnp/--no-new-privs`,
//!   `--inh-caps --ambient-caps --bounding-set` with `-all` only (clearing the set; a list of
//!   named capabilities is refused), `--pdeathsig keep|clear|SIG`, `--reset-env`. Statuses as
//!   util-linux: 1 for usage, 127 when a switch fails, 126/127 when the command cannot run.
//!   Not implemented: `-d/--dump`, `--securebits`, `--selinux-label`, `--apparmor-profile`.
//!
//! All three switch in the order setgroups, setresgid, setresuid, then check with
//! getresuid/getresgid that every id is the one asked for, and refuse to exec otherwise.
//! Users and groups come from /etc/passwd and /etc/group (`common::passwd`).

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{self, Arg, Getopt, Opt, Order, Spec};
use crate::common::exec::{self, Ran};
use crate::common::help::help_text;
use crate::common::io::{stderr_fd, write_all};
use crate::common::passwd::{self, parse_id, Passwd};
use crate::common::sys::user as u;
use crate::common::{ctx::strerror, Ctx, Error};

/// setgroups, setresgid, setresuid (`None`: leave alone), then verify the result.
fn switch(groups: Option<&[u32]>, gid: Option<u32>, uid: Option<u32>) -> Result<(), Step> {
    if let Some(g) = groups {
        u::setgroups(g).map_err(Step::Groups)?;
    }
    if let Some(g) = gid {
        u::setresgid(g, g, g).map_err(|e| Step::Gid(g, e))?;
    }
    if let Some(id) = uid {
        u::setresuid(id, id, id).map_err(|e| Step::Uid(id, e))?;
    }
    verify(gid.map(|g| (g, g)), uid.map(|id| (id, id)))
}

/// The kernel's ids must be the ones asked for (real, effective; saved follows effective).
fn verify(gid: Option<(u32, u32)>, uid: Option<(u32, u32)>) -> Result<(), Step> {
    if let Some((r, e)) = gid {
        if u::getresgid() != (r, e, e) {
            return Err(Step::Verify);
        }
    }
    if let Some((r, e)) = uid {
        if u::getresuid() != (r, e, e) {
            return Err(Step::Verify);
        }
    }
    Ok(())
}

enum Step {
    Groups(io::Error),
    Gid(u32, io::Error),
    Uid(u32, io::Error),
    Verify,
}

fn say(line: &[u8]) {
    let mut l = line.to_vec();
    l.push(b'\n');
    let _ = write_all(stderr_fd(), &l);
}

fn bytes(v: &[OsString]) -> Vec<Vec<u8>> {
    v.iter().map(|a| a.as_bytes().to_vec()).collect()
}

fn set_env(env: &mut Vec<Vec<u8>>, name: &[u8], value: &[u8]) {
    env.retain(|e| !(e.starts_with(name) && e.get(name.len()) == Some(&b'=')));
    let mut e = name.to_vec();
    e.push(b'=');
    e.extend_from_slice(value);
    env.push(e);
}

fn split_spec(spec: &[u8]) -> (&[u8], Option<&[u8]>) {
    match spec.iter().position(|&c| c == b':') {
        Some(i) => (&spec[..i], Some(&spec[i + 1..])),
        None => (spec, None),
    }
}

// ---------------------------------------------------------------- su-exec

pub fn su_exec(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    if argv.len() < 3 {
        let mut m = b"Usage: ".to_vec();
        m.extend_from_slice(argv.first().map(|a| a.as_bytes()).unwrap_or(b"su-exec"));
        m.extend_from_slice(b" user-spec command [args]\n");
        let _ = ctx.out.write_all(&m);
        return ctx.finish(Ok(()));
    }
    let fail = |ctx: &mut Ctx, what: &[u8], e: &io::Error| {
        let mut m = what.to_vec();
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        ctx.error(1, &m);
        1
    };
    let (user, group) = split_spec(argv[1].as_bytes());
    let mut uid = u::getuid();
    let mut gid = u::getgid();
    let mut pw: Option<Passwd> = None;
    if !user.is_empty() {
        match parse_id(user) {
            Some(n) => uid = n,
            None => match passwd::getpwnam(user) {
                Some(p) => pw = Some(p),
                None => {
                    let mut w = b"getpwnam(".to_vec();
                    w.extend_from_slice(user);
                    w.push(b')');
                    return fail(ctx, &w, &io::Error::from_raw_os_error(libc::ENOENT));
                }
            },
        }
    }
    if pw.is_none() {
        pw = passwd::getpwuid(uid);
    }
    if let Some(p) = &pw {
        uid = p.uid;
        gid = p.gid;
    }
    let mut env = exec::environ();
    set_env(
        &mut env,
        b"HOME",
        pw.as_ref().map(|p| &p.dir[..]).unwrap_or(b"/"),
    );
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        pw = None;
        match parse_id(g) {
            Some(n) => gid = n,
            None => match passwd::getgrnam(g) {
                Some(gr) => gid = gr.gid,
                None => {
                    let mut w = b"getgrnam(".to_vec();
                    w.extend_from_slice(g);
                    w.push(b')');
                    return fail(ctx, &w, &io::Error::from_raw_os_error(libc::ENOENT));
                }
            },
        }
    }
    let groups = match &pw {
        Some(p) => passwd::grouplist(&p.name, gid),
        None => vec![gid],
    };
    match switch(Some(&groups), Some(gid), Some(uid)) {
        Ok(()) => {}
        Err(Step::Groups(e)) => {
            let w = match pw {
                Some(_) => b"setgroups".to_vec(),
                None => format!("setgroups({gid})").into_bytes(),
            };
            return fail(ctx, &w, &e);
        }
        Err(Step::Gid(g, e)) => return fail(ctx, format!("setgid({g})").as_bytes(), &e),
        Err(Step::Uid(id, e)) => return fail(ctx, format!("setuid({id})").as_bytes(), &e),
        Err(Step::Verify) => {
            ctx.error(1, b"the new user and group ids did not take effect");
            return 1;
        }
    }
    let cmd = bytes(&argv[2..]);
    match exec::exec(&cmd, &env) {
        Ran::Applet(st) => st,
        Ran::Failed(e) => fail(ctx, &cmd[0], &e),
    }
}

// ---------------------------------------------------------------- gosu

const GOSU_VERSION: &str = "1.17";

fn gosu_version() -> String {
    format!(
        "{GOSU_VERSION} (rbox {} on linux/{}; rustc)",
        env!("CARGO_PKG_VERSION"),
        match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            a => a,
        }
    )
}

fn gosu_usage(me: &str) -> String {
    format!(
        "Usage: {me} user-spec command [args]\n   eg: {me} tianon bash\n       \
         {me} nobody:root bash -c 'whoami && id'\n       {me} 1000:1 id\n\n\
         {me} version: {}\n{me} license: Apache-2.0 (full text at https://github.com/tianon/gosu)\n",
        gosu_version()
    )
}

/// What runc's GetExecUser works out from a user-spec.
struct ExecUser {
    uid: u32,
    gid: u32,
    sgids: Vec<u32>,
    home: Vec<u8>,
}

const ID_MAX: u32 = 2147483647;

fn gosu_user(spec: &[u8]) -> Result<ExecUser, String> {
    let (user, group) = split_spec(spec);
    let group = group.unwrap_or_default();
    let mut x = ExecUser {
        uid: u::getuid(),
        gid: u::getgid(),
        sgids: Vec::new(),
        home: b"/".to_vec(),
    };
    let unum = parse_id(user);
    let gnum = parse_id(group);
    let range = || "uids and gids must be in range 0-2147483647".to_string();
    let users = passwd::passwd_entries(b"/");
    let found = users.into_iter().find(|p| {
        if user.is_empty() {
            p.uid == x.uid
        } else if let Some(n) = unum {
            p.uid == n
        } else {
            p.name == user
        }
    });
    let mut matched: Option<Vec<u8>> = None;
    if let Some(p) = found {
        x.uid = p.uid;
        x.gid = p.gid;
        x.home = p.dir;
        matched = Some(p.name);
    } else if !user.is_empty() {
        match unum {
            None => {
                return Err(format!(
                    "unable to find user {}: no matching entries in passwd file",
                    String::from_utf8_lossy(user)
                ))
            }
            Some(n) if n > ID_MAX => return Err(range()),
            Some(n) => x.uid = n,
        }
    }
    if !group.is_empty() || matched.is_some() {
        let groups = passwd::group_entries(b"/");
        if !group.is_empty() {
            let g = groups.iter().find(|g| match gnum {
                Some(n) => g.gid == n,
                None => g.name == group,
            });
            match (g, gnum) {
                (Some(g), _) => x.gid = g.gid,
                (None, None) => {
                    return Err(format!(
                        "unable to find group {}: no matching entries in group file",
                        String::from_utf8_lossy(group)
                    ))
                }
                (None, Some(n)) if n > ID_MAX => return Err(range()),
                (None, Some(n)) => x.gid = n,
            }
        } else if let Some(name) = &matched {
            x.sgids = groups
                .iter()
                .filter(|g| g.members.iter().any(|m| m == name))
                .map(|g| g.gid)
                .collect();
        }
    }
    Ok(x)
}

/// Go's text for an errno (lower case, as syscall.Errno prints).
fn go_err(e: &io::Error) -> String {
    let mut s = strerror(e);
    // ASCII only: the C library's messages are (and Unicode's case tables cost 25 KB).
    if let Some(f) = s.get_mut(..1) {
        f.make_ascii_lowercase();
    }
    s
}

pub fn gosu(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let me = argv
        .first()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gosu".into());
    if let Ok(st) = std::fs::metadata("/proc/self/exe") {
        use std::os::unix::fs::PermissionsExt;
        let mode = st.permissions().mode();
        if mode & 0o4000 != 0 {
            say(format!("error: {me} appears to be installed with the 'setuid' bit set, which is an *extremely* insecure and completely unsupported configuration! (what you want instead is likely 'sudo' or 'su')").as_bytes());
            return 1;
        }
        if mode & 0o2000 != 0 {
            say(format!("error: {me} appears to be installed with the 'setgid' bit set, which is not quite *as* insecure as 'setuid', but still not great, and definitely a completely unsupported configuration! (what you want instead is likely 'sudo' or 'su')").as_bytes());
            return 1;
        }
    }
    if argv.len() >= 2 {
        let text = match argv[1].as_bytes() {
            b"--help" | b"-h" | b"-?" => Some(gosu_usage(&me)),
            b"--version" | b"-v" => Some(gosu_version() + "\n"),
            _ => None,
        };
        if let Some(t) = text {
            let _ = ctx.out.write_all(t.as_bytes());
            return ctx.finish(Ok(()));
        }
    }
    if argv.len() <= 2 {
        say(gosu_usage(&me).as_bytes());
        return 1;
    }
    let spec = argv[1].as_bytes();
    let quoted = String::from_utf8_lossy(spec);
    let x = match gosu_user(spec) {
        Ok(x) => x,
        Err(m) => {
            say(format!("error: failed switching to '{quoted}': {m}").as_bytes());
            return 1;
        }
    };
    match switch(Some(&x.sgids), Some(x.gid), Some(x.uid)) {
        Ok(()) => {}
        Err(Step::Groups(e) | Step::Gid(_, e) | Step::Uid(_, e)) => {
            say(format!("error: failed switching to '{quoted}': {}", go_err(&e)).as_bytes());
            return 1;
        }
        Err(Step::Verify) => {
            say(format!("error: failed switching to '{quoted}': ids did not change").as_bytes());
            return 1;
        }
    }
    let mut env = exec::environ();
    // gosu clears HOME and sets it from the user.
    set_env(&mut env, b"HOME", &x.home);
    let cmd = bytes(&argv[2..]);
    match exec::exec(&cmd, &env) {
        Ran::Applet(st) => st,
        Ran::Failed(e) => {
            let name = String::from_utf8_lossy(&cmd[0]);
            if e.raw_os_error() == Some(libc::ENOENT) && !cmd[0].contains(&b'/') {
                say(
                    format!("error: exec: \"{name}\": executable file not found in $PATH")
                        .as_bytes(),
                );
            } else if e.raw_os_error() == Some(libc::ENOENT) {
                say(
                    format!("error: exec: \"{name}\": stat {name}: no such file or directory")
                        .as_bytes(),
                );
            } else {
                say(format!("error: exec failed: {}", go_err(&e)).as_bytes());
            }
            1
        }
    }
}

// ---------------------------------------------------------------- setpriv

static SETPRIV: Spec = Spec::new(
    &[
        Opt::flag("dump", Some(b'd'), Some("dump")),
        Opt::flag("nnp", None, Some("nnp")),
        Opt::flag("nnp", None, Some("no-new-privs")),
        Opt::arg("ambient-caps", None, Some("ambient-caps")),
        Opt::arg("inh-caps", None, Some("inh-caps")),
        Opt::arg("bounding-set", None, Some("bounding-set")),
        Opt::arg("ruid", None, Some("ruid")),
        Opt::arg("euid", None, Some("euid")),
        Opt::arg("rgid", None, Some("rgid")),
        Opt::arg("egid", None, Some("egid")),
        Opt::arg("reuid", None, Some("reuid")),
        Opt::arg("regid", None, Some("regid")),
        Opt::flag("clear-groups", None, Some("clear-groups")),
        Opt::flag("keep-groups", None, Some("keep-groups")),
        Opt::flag("init-groups", None, Some("init-groups")),
        Opt::arg("groups", None, Some("groups")),
        Opt::arg("securebits", None, Some("securebits")),
        Opt::arg("pdeathsig", None, Some("pdeathsig")),
        Opt::arg("selinux-label", None, Some("selinux-label")),
        Opt::arg("apparmor-profile", None, Some("apparmor-profile")),
        Opt::flag("reset-env", None, Some("reset-env")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "
Usage:
 setpriv [options] <program> [<argument>...]

Run a program with different privilege settings.

Options:
 --nnp, --no-new-privs       disallow granting new privileges
 --ambient-caps -all         clear the ambient capabilities
 --inh-caps -all             clear the inheritable capabilities
 --bounding-set -all         clear the capability bounding set
 --ruid <uid|user>           set real uid
 --euid <uid|user>           set effective uid
 --rgid <gid|user>           set real gid
 --egid <gid|group>          set effective gid
 --reuid <uid|user>          set real and effective uid
 --regid <gid|group>         set real and effective gid
 --clear-groups              clear supplementary groups
 --keep-groups               keep supplementary groups
 --init-groups               initialize supplementary groups
 --groups <group,...>        set supplementary groups by UID or name
 --pdeathsig keep|clear|<signame>
                             set or clear parent death signal
 --reset-env                 clear all environment and initialize
                               HOME, SHELL, USER, LOGNAME and PATH

 -h, --help                  display this help
 -V, --version               display version
"
    ),
)
.require_order();

const PRIV: i32 = 127;

pub fn setpriv(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match setpriv_run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

fn user_id(what: &str, v: &[u8]) -> Result<u32, Error> {
    parse_id(v)
        .or_else(|| passwd::getpwnam(v).map(|p| p.uid))
        .ok_or_else(|| bad_id(what, v))
}

fn group_id(what: &str, v: &[u8]) -> Result<u32, Error> {
    parse_id(v)
        .or_else(|| passwd::getgrnam(v).map(|g| g.gid))
        .ok_or_else(|| bad_id(what, v))
}

fn bad_id(what: &str, v: &[u8]) -> Error {
    let mut m = format!("failed to parse {what}: '").into_bytes();
    m.extend_from_slice(v);
    m.push(b'\'');
    Error::new(1, m)
}

#[derive(Default)]
struct Want {
    ruid: Option<u32>,
    euid: Option<u32>,
    rgid: Option<u32>,
    egid: Option<u32>,
    groups: Option<Vec<u32>>,
    clear: bool,
    keep: bool,
    init: bool,
    nnp: bool,
    inh: bool,
    ambient: bool,
    bounding: bool,
    pdeathsig: Option<i32>,
    reset_env: bool,
}

fn caps_all(opt: &str, v: &[u8]) -> Result<bool, Error> {
    if v == b"-all" {
        return Ok(true);
    }
    let mut m = format!("{opt}: only -all is supported, not '").into_bytes();
    m.extend_from_slice(v);
    m.push(b'\'');
    Err(Error::new(1, m))
}

fn setpriv_run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32, Error> {
    let mut w = Want::default();
    let mut cmd: Vec<OsString> = Vec::new();
    let mut groups_opts = 0;
    for a in Getopt::new(&argv, SETPRIV.opts, Order::RequireOrder) {
        let a = a.map_err(|m| args::usage_error(ctx, &SETPRIV, &m, 1))?;
        let (o, v) = match a {
            Arg::Operand(v) => {
                cmd.push(v);
                continue;
            }
            Arg::Opt(o, v) => (o, v.map(OsString::into_vec).unwrap_or_default()),
        };
        match Id::of(o.id().as_bytes()) {
            Some(Id::Help) | Some(Id::Version) => {
                args::answer(ctx, &SETPRIV, o.id())?;
                return Ok(ctx.finish(Ok(())));
            }
            Some(Id::Nnp) => w.nnp = true,
            Some(Id::Ruid) => w.ruid = Some(user_id("ruid", &v)?),
            Some(Id::Euid) => w.euid = Some(user_id("euid", &v)?),
            Some(Id::Reuid) => {
                let id = user_id("reuid", &v)?;
                w.ruid = Some(id);
                w.euid = Some(id);
            }
            Some(Id::Rgid) => w.rgid = Some(group_id("rgid", &v)?),
            Some(Id::Egid) => w.egid = Some(group_id("egid", &v)?),
            Some(Id::Regid) => {
                let id = group_id("regid", &v)?;
                w.rgid = Some(id);
                w.egid = Some(id);
            }
            Some(Id::ClearGroups)
            | Some(Id::KeepGroups)
            | Some(Id::InitGroups)
            | Some(Id::Groups) => {
                groups_opts += 1;
                if groups_opts > 1 {
                    return Err(Error::new(
                        1,
                        "mutually exclusive arguments: --clear-groups --keep-groups --init-groups --groups",
                    ));
                }
                match o.id() {
                    "clear-groups" => w.clear = true,
                    "keep-groups" => w.keep = true,
                    "init-groups" => w.init = true,
                    _ => {
                        let mut list = Vec::new();
                        for g in v.split(|&c| c == b',') {
                            let id = parse_id(g)
                                .or_else(|| passwd::getgrnam(g).map(|x| x.gid))
                                .ok_or_else(|| {
                                    let mut m = b"Invalid supplementary group id: '".to_vec();
                                    m.extend_from_slice(g);
                                    m.push(b'\'');
                                    Error::new(1, m)
                                })?;
                            list.push(id);
                        }
                        w.groups = Some(list);
                    }
                }
            }
            Some(Id::InhCaps) => w.inh = caps_all("--inh-caps", &v)?,
            Some(Id::AmbientCaps) => w.ambient = caps_all("--ambient-caps", &v)?,
            Some(Id::BoundingSet) => w.bounding = caps_all("--bounding-set", &v)?,
            Some(Id::Pdeathsig) => {
                w.pdeathsig = Some(match &v[..] {
                    b"keep" => -1,
                    b"clear" => 0,
                    s => crate::common::signals::signal_number(s).ok_or_else(|| {
                        let mut m = b"unknown signal: ".to_vec();
                        m.extend_from_slice(s);
                        Error::new(1, m)
                    })?,
                })
            }
            Some(Id::ResetEnv) => w.reset_env = true,
            _ => {
                let other = o.id();
                return Err(Error::new(
                    1,
                    format!("--{other} is not supported by rbox's setpriv"),
                ));
            }
        }
    }
    if cmd.is_empty() {
        return Err(Error::new(1, "No program specified"));
    }
    if (w.rgid.is_some() || w.egid.is_some()) && groups_opts == 0 {
        return Err(Error::new(
            1,
            "--[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups",
        ));
    }
    let mut init_pw: Option<Passwd> = None;
    if w.init {
        let Some(ruid) = w.ruid else {
            return Err(Error::new(1, "--init-groups requires --ruid or --reuid"));
        };
        init_pw = Some(passwd::getpwuid(ruid).ok_or_else(|| {
            Error::new(
                1,
                format!("uid {ruid} not found, --init-groups requires an user that can be found on the system"),
            )
        })?);
    }
    let priv_err =
        |what: &str, e: &io::Error| Error::new(PRIV, format!("{what} failed: {}", strerror(e)));
    if w.nnp {
        u::set_no_new_privs().map_err(|e| {
            Error::new(
                1,
                format!("disallow granting new privileges failed: {}", strerror(&e)),
            )
        })?;
    }
    if w.bounding {
        u::clear_bounding_set().map_err(|e| priv_err("setting bounding set", &e))?;
    }
    if let Some(g) = &w.groups {
        u::setgroups(g).map_err(|e| priv_err("setgroups", &e))?;
    } else if let Some(p) = &init_pw {
        u::setgroups(&passwd::grouplist(&p.name, p.gid)).map_err(|e| priv_err("initgroups", &e))?;
    } else if w.clear {
        u::setgroups(&[]).map_err(|e| priv_err("setgroups", &e))?;
    }
    if w.rgid.is_some() || w.egid.is_some() {
        let (r, e, _) = u::getresgid();
        let (r, e) = (w.rgid.unwrap_or(r), w.egid.unwrap_or(e));
        u::setresgid(r, e, e).map_err(|er| priv_err("setresgid", &er))?;
        verify(Some((r, e)), None)
            .map_err(|_| Error::new(PRIV, "setresgid did not take effect"))?;
    }
    if w.ruid.is_some() || w.euid.is_some() {
        let (r, e, _) = u::getresuid();
        let (r, e) = (w.ruid.unwrap_or(r), w.euid.unwrap_or(e));
        u::setresuid(r, e, e).map_err(|er| priv_err("setresuid", &er))?;
        verify(None, Some((r, e)))
            .map_err(|_| Error::new(PRIV, "setresuid did not take effect"))?;
    }
    if w.inh {
        u::clear_inheritable_caps()
            .map_err(|e| priv_err("setting inheritable capabilities", &e))?;
    }
    if w.ambient {
        u::clear_ambient_caps().map_err(|e| priv_err("setting ambient capabilities", &e))?;
    }
    match w.pdeathsig {
        Some(-1) | None => {}
        Some(s) => {
            u::set_parent_death_signal(s).map_err(|e| priv_err("set parent death signal", &e))?
        }
    }
    let mut env = exec::environ();
    if w.reset_env {
        let uid = u::getuid();
        let pw = passwd::getpwuid(uid);
        let term = exec::env_get(&env, b"TERM").map(<[u8]>::to_vec);
        env.clear();
        if let Some(t) = term {
            set_env(&mut env, b"TERM", &t);
        }
        let (home, shell, name) = match &pw {
            Some(p) => (p.dir.clone(), p.shell.clone(), p.name.clone()),
            None => (
                b"/".to_vec(),
                b"/bin/sh".to_vec(),
                uid.to_string().into_bytes(),
            ),
        };
        set_env(
            &mut env,
            b"SHELL",
            if shell.is_empty() { b"/bin/sh" } else { &shell },
        );
        set_env(&mut env, b"HOME", &home);
        set_env(&mut env, b"USER", &name);
        set_env(&mut env, b"LOGNAME", &name);
        set_env(
            &mut env,
            b"PATH",
            if uid == 0 {
                b"/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin"
            } else {
                b"/usr/local/bin:/bin:/usr/bin"
            },
        );
    }
    let cmd = bytes(&cmd);
    match exec::exec(&cmd, &env) {
        Ran::Applet(st) => Ok(st),
        Ran::Failed(e) => {
            let mut m = b"failed to execute ".to_vec();
            m.extend_from_slice(&cmd[0]);
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(&e).as_bytes());
            let code = if e.raw_os_error() == Some(libc::ENOENT) {
                127
            } else {
                126
            };
            Err(Error::new(code, m))
        }
    }
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Help = "help",
        Version = "version",
        Nnp = "nnp",
        Ruid = "ruid",
        Euid = "euid",
        Reuid = "reuid",
        Rgid = "rgid",
        Egid = "egid",
        Regid = "regid",
        ClearGroups = "clear-groups",
        KeepGroups = "keep-groups",
        InitGroups = "init-groups",
        Groups = "groups",
        InhCaps = "inh-caps",
        AmbientCaps = "ambient-caps",
        BoundingSet = "bounding-set",
        Pdeathsig = "pdeathsig",
        ResetEnv = "reset-env",
    }
}

// ---------------------------------------------------------------- su

static SU: Spec = Spec::new(
    &[
        Opt::flag("preserve", Some(b'm'), Some("preserve-environment")),
        Opt::flag("preserve", Some(b'p'), None),
        Opt::flag("login", Some(b'l'), Some("login")),
        Opt::arg("command", Some(b'c'), Some("command")),
        Opt::arg("command", None, Some("session-command")),
        Opt::flag("fast", Some(b'f'), Some("fast")),
        Opt::arg("shell", Some(b's'), Some("shell")),
        Opt::flag("help", Some(b'h'), Some("help")),
        Opt::flag("version", Some(b'V'), Some("version")),
    ],
    help_text!(
        "
Usage:
 su [options] [-] [<user> [<argument>...]]

Change the effective user ID and group ID to that of <user>.
A mere - implies -l.  If <user> is not given, root is assumed.

Options:
 -m, -p, --preserve-environment      do not reset environment variables
 -, -l, --login                      make the shell a login shell
 -c, --command <command>             pass a single command to the shell with -c
 --session-command <command>         pass a single command to the shell with -c
                                       and do not create a new session
 -f, --fast                          pass -f to the shell (for csh or tcsh)
 -s, --shell <shell>                 run <shell> if /etc/shells allows it

 -h, --help                          display this help
 -V, --version                       display version
"
    ),
);

/// `su` (util-linux 2.38's options, without PAM): switch to USER (root by default) and run
/// its shell, or `-s SHELL`, with `-c COMMAND` and the operands after USER as the shell's
/// arguments. Only root may use it: rbox keeps no password hashes to check (the image's
/// accounts have none), so any other caller gets `Authentication failure`, status 1.
pub fn su(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match su_run(argv, ctx) {
        Ok(st) => st,
        Err(e) => ctx.finish(Err(e)),
    }
}

fn su_run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32, Error> {
    let (mut login, mut preserve, mut fast) = (false, false, false);
    let mut command: Option<Vec<u8>> = None;
    let mut shell_opt: Option<Vec<u8>> = None;
    let mut ops: Vec<Vec<u8>> = Vec::new();
    for a in Getopt::new(&argv, SU.opts, Order::Permute) {
        let a = a.map_err(|m| args::usage_error(ctx, &SU, &m, 1))?;
        match a {
            Arg::Operand(v) => ops.push(v.into_vec()),
            Arg::Opt(o, v) => {
                let v = v.map(OsString::into_vec).unwrap_or_default();
                match o.id() {
                    "help" | "version" => {
                        args::answer(ctx, &SU, o.id())?;
                        return Ok(ctx.finish(Ok(())));
                    }
                    "login" => login = true,
                    "preserve" => preserve = true,
                    "fast" => fast = true,
                    "command" => command = Some(v),
                    _ => shell_opt = Some(v),
                }
            }
        }
    }
    // A lone `-` before the user is `-l`.
    if ops.first().is_some_and(|o| o == b"-") {
        login = true;
        ops.remove(0);
    }
    let name = if ops.is_empty() {
        b"root".to_vec()
    } else {
        ops.remove(0)
    };
    let Some(pw) = passwd::getpwnam(&name) else {
        let mut m = b"user ".to_vec();
        m.extend_from_slice(&name);
        m.extend_from_slice(
            b" does not exist or the user entry does not contain all the required fields",
        );
        return Err(Error::new(1, m));
    };
    if u::getuid() != 0 {
        return Err(Error::new(1, "Authentication failure"));
    }
    let shell = match shell_opt {
        Some(s) if !s.is_empty() => s,
        _ if !pw.shell.is_empty() => pw.shell.clone(),
        _ => b"/bin/sh".to_vec(),
    };
    let groups = passwd::grouplist(&pw.name, pw.gid);
    match switch(Some(&groups), Some(pw.gid), Some(pw.uid)) {
        Ok(()) => {}
        Err(Step::Groups(e)) => {
            return Err(Error::new(
                1,
                format!("cannot set groups: {}", strerror(&e)),
            ))
        }
        Err(Step::Gid(_, e)) => {
            return Err(Error::new(
                1,
                format!("cannot set group id: {}", strerror(&e)),
            ))
        }
        Err(Step::Uid(_, e)) => {
            return Err(Error::new(
                1,
                format!("cannot set user id: {}", strerror(&e)),
            ))
        }
        Err(Step::Verify) => {
            return Err(Error::new(
                1,
                "the new user and group ids did not take effect",
            ))
        }
    }
    // util-linux's environment: -l starts afresh (TERM kept) with PATH from login.defs'
    // defaults; otherwise HOME and SHELL change, and USER and LOGNAME unless the target is root.
    let mut env = exec::environ();
    if login {
        let term = exec::env_get(&env, b"TERM").map(<[u8]>::to_vec);
        env.clear();
        if let Some(t) = term {
            set_env(&mut env, b"TERM", &t);
        }
        let path: &[u8] = if pw.uid == 0 {
            b"/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin"
        } else {
            b"/usr/local/bin:/bin:/usr/bin"
        };
        set_env(&mut env, b"PATH", path);
    }
    if !preserve || login {
        set_env(&mut env, b"HOME", &pw.dir);
        set_env(&mut env, b"SHELL", &shell);
        if login || pw.uid != 0 {
            set_env(&mut env, b"USER", &pw.name);
            set_env(&mut env, b"LOGNAME", &pw.name);
        }
    }
    if login {
        if let Err(e) = crate::common::sys::process::chdir(&pw.dir) {
            let mut m = b"warning: cannot change directory to ".to_vec();
            m.extend_from_slice(&pw.dir);
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(&e).as_bytes());
            ctx.msg(&m);
        }
    }
    let base = shell.rsplit(|&c| c == b'/').next().unwrap_or(&shell);
    let mut arg0 = if login { b"-".to_vec() } else { Vec::new() };
    arg0.extend_from_slice(base);
    let mut sh_argv = vec![arg0];
    if fast {
        sh_argv.push(b"-f".to_vec());
    }
    if let Some(c) = command {
        sh_argv.push(b"-c".to_vec());
        sh_argv.push(c);
    }
    sh_argv.extend(ops);
    let e = exec::exec_named(&shell, &sh_argv, &env);
    let code = if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    };
    let mut m = b"failed to execute ".to_vec();
    m.extend_from_slice(&shell);
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(&e).as_bytes());
    Err(Error::new(code, m))
}
