//! The account tools: here `adduser`, `addgroup` (BusyBox's), `useradd`, `groupadd` (shadow
//! 4.13's), which add accounts, and what all of them share (shadow's command line, `-R`, the
//! locked rewrite, login.defs); [`modify`] has usermod and groupmod, [`delete`] userdel,
//! groupdel, deluser and delgroup, [`password`] chpasswd and passwd.
//!
//! All of them rewrite the account files through `common::passwd::Accounts`: `FILE.lock` taken
//! with O_EXCL for passwd, shadow, group and gshadow (those that exist), each file written to
//! a temporary file in /etc with the old mode and owner, fsync'd and renamed over the old one —
//! a crash leaves the old file or the new one, never half of one.
//!
//! - `useradd [OPTIONS] LOGIN`: `-c -d -b -e -f -g -G -k -m -M -N -o -p -r -s -u -U -l
//!   -R/--root DIR` (chroot into DIR first, as shadow does: the tests' roots), `--badname`.
//!   Defaults from the root's /etc/login.defs (UID_MIN/MAX, SYS_UID_MIN/MAX, GID_*,
//!   PASS_MIN_DAYS/MAX_DAYS/WARN_AGE, USERGROUPS_ENAB, CREATE_HOME, UMASK, HOME_MODE) and
//!   /etc/default/useradd (GROUP, HOME, SHELL, SKEL, INACTIVE, EXPIRE), else shadow's compiled
//!   ones. UIDs as shadow allocates them: the highest used in UID_MIN..UID_MAX plus one, system
//!   accounts (`-r`) downwards from SYS_UID_MAX; a user group takes the uid as gid when free.
//!   `-m` copies the skeleton (`-k`, SKEL, /etc/skel) and gives the tree to the user.
//!   Messages and statuses as shadow's (`user 'x' already exists` 9, `UID 1000 is not
//!   unique` 4, `group 'x' does not exist` 6, bad values 3, usage 2, home 12).
//! - `groupadd [OPTIONS] GROUP`: `-f -g -o -p -r -R/--root`; same allocation and statuses.
//! - `adduser [OPTIONS] USER [GROUP]`: BusyBox's `-h DIR -g GECOS -s SHELL -G GROUP -S -D -H
//!   -u UID -k SKEL` (long forms `--home --gecos --shell --ingroup --system
//!   --disabled-password --empty-password --no-create-home --uid --skel`): the first free uid
//!   from 1000 (system: 100..999) also free as a gid, a group of the same name unless `-G`,
//!   home from /etc/skel with mode 2755; `adduser USER GROUP` adds a user to a group.
//!   Debian's spellings its Dockerfiles use are accepted too: `--disabled-login` (a no-op:
//!   the account is locked anyway), `--comment`, `--quiet`, `--group` (the user's own group
//!   even with `--system`; alone, a new group) and `--gid N`.
//!   Deviation: rbox's passwd asks for no password, so without `-D` the password stays
//!   locked (`!`) as with it, instead of BusyBox asking for one (chpasswd sets one).
//! - `addgroup [-g GID] [-S] [USER] GROUP`: BusyBox's; `addgroup USER GROUP` adds a member.
//!   BusyBox's messages (`adduser: user 'x' in use`, `unknown group x`), status 1.

#[cfg(any(
    feature = "userdel",
    feature = "groupdel",
    feature = "deluser",
    feature = "delgroup"
))]
pub mod delete;
#[cfg(any(feature = "usermod", feature = "groupmod"))]
pub mod modify;
#[cfg(any(feature = "chpasswd", feature = "passwd"))]
pub mod password;
#[cfg(any(
    feature = "userdel",
    feature = "groupdel",
    feature = "deluser",
    feature = "delgroup"
))]
pub use delete::{delgroup, deluser, groupdel, userdel};
#[cfg(any(feature = "usermod", feature = "groupmod"))]
pub use modify::{groupmod, usermod};
#[cfg(feature = "chpasswd")]
pub use password::chpasswd;
#[cfg(feature = "passwd")]
pub use password::passwd;

use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::copy::{Copier, CopyOpts, Deref};
use crate::common::help::{help_text, Help};
use crate::common::passwd::{self, line_name, parse_id, settings, Accounts, AccountsError};
use crate::common::sys::fd::{self as sfd, AsFd};
use crate::common::sys::fs as sfs;
use crate::common::sys::{process, user};
use crate::common::walk::{Action, Options, Visit, Walker};
use crate::common::{ctx::strerror, Ctx, Error};

type Res<T> = Result<T, Error>;

/// Options (id, value) in command-line order, then the operands.
type Parsed = (Vec<(&'static str, Vec<u8>)>, Vec<Vec<u8>>);

fn msg(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn days_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64 / 86400)
        .unwrap_or(0)
}

/// The login.defs / default file settings, looked up by key.
struct Defs(Vec<(Vec<u8>, Vec<u8>)>);

impl Defs {
    fn get(&self, k: &str) -> Option<&[u8]> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == k.as_bytes())
            .map(|(_, v)| v.as_slice())
    }
    fn num(&self, k: &str, dflt: i64) -> i64 {
        self.get(k)
            .and_then(|v| {
                let s = std::str::from_utf8(v).ok()?;
                if let Some(o) = s.strip_prefix("0x") {
                    i64::from_str_radix(o, 16).ok()
                } else if s.len() > 1 && s.starts_with('0') {
                    i64::from_str_radix(&s[1..], 8).ok()
                } else {
                    s.parse().ok()
                }
            })
            .unwrap_or(dflt)
    }
    fn yes(&self, k: &str) -> bool {
        self.get(k).is_some_and(|v| v.eq_ignore_ascii_case(b"yes"))
    }
}

fn ids(lines: &[Vec<u8>]) -> Vec<u32> {
    lines
        .iter()
        .filter_map(|l| parse_id(l.split(|&b| b == b':').nth(2)?))
        .collect()
}

/// shadow's allocation: upwards from the highest used id in [min, max], or (system) downwards
/// below the lowest used one; when that runs out of the range, the first free id searching
/// from the other end. `prefer` is taken when free and in range.
fn allocate(used: &[u32], min: u32, max: u32, sys: bool, prefer: Option<u32>) -> Option<u32> {
    if min > max {
        return None;
    }
    let free = |id: u32| !used.contains(&id);
    if let Some(p) = prefer {
        if (min..=max).contains(&p) && free(p) {
            return Some(p);
        }
    }
    let inside: Vec<u32> = used
        .iter()
        .copied()
        .filter(|i| (min..=max).contains(i))
        .collect();
    if sys {
        let cand = match inside.iter().min() {
            None => Some(max),
            Some(&lo) => lo.checked_sub(1).filter(|&c| c >= min),
        };
        if let Some(c) = cand.filter(|&c| free(c)) {
            return Some(c);
        }
        (min..=max).rev().find(|&i| free(i))
    } else {
        let cand = match inside.iter().max() {
            None => Some(min),
            Some(&hi) => hi.checked_add(1).filter(|&c| c <= max),
        };
        if let Some(c) = cand.filter(|&c| free(c)) {
            return Some(c);
        }
        (min..=max).find(|&i| free(i))
    }
}

/// shadow's name rule: `[A-Za-z0-9_.][A-Za-z0-9_.-]*$?`, not `.` or `..`, at most 32 bytes.
fn valid_name(n: &[u8]) -> bool {
    let body = n.strip_suffix(b"$").unwrap_or(n);
    !body.is_empty()
        && n.len() <= 32
        && n != b"."
        && n != b".."
        && body[0] != b'-'
        && body
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// `useradd -R DIR`: chroot there (shadow's messages, status 3).
fn enter_root(ctx: &mut Ctx, dir: &[u8]) -> Res<()> {
    let fail = |what: &str, e: &io::Error| {
        Error::new(
            3,
            msg(&[what.as_bytes(), dir, b": ", strerror(e).as_bytes()]),
        )
    };
    sfd::stat(dir).map_err(|e| fail("cannot access chroot directory ", &e))?;
    process::chroot(dir).map_err(|e| fail("unable to chroot to directory ", &e))?;
    process::chdir(b"/").map_err(|e| fail("cannot chdir in chroot directory ", &e))?;
    let _ = ctx;
    Ok(())
}

/// The mail spool of `name` (MAIL_DIR, else /var/mail).
#[cfg(any(feature = "usermod", feature = "userdel"))]
fn mail_file(defs: &Defs, name: &[u8]) -> Vec<u8> {
    msg(&[defs.get("MAIL_DIR").unwrap_or(b"/var/mail"), b"/", name])
}

fn accounts(code_pw: i32, code_gr: i32) -> Res<Accounts> {
    Accounts::open(b"/").map_err(|e| open_error(e, code_pw, code_gr))
}

fn open_error(e: AccountsError, code_pw: i32, code_gr: i32) -> Error {
    let code = if e.file.ends_with(b"group") || e.file.ends_with(b"gshadow") {
        code_gr
    } else {
        code_pw
    };
    if e.locking {
        Error::new(
            code,
            msg(&[b"cannot lock ", &e.file, b"; try again later."]),
        )
    } else {
        Error::new(code, msg(&[b"cannot open ", &e.file]))
    }
}

fn commit(a: &Accounts, code: i32) -> Res<()> {
    a.commit().map_err(|e| {
        Error::new(
            code,
            msg(&[
                b"failure while writing changes to ",
                &e.file,
                b": ",
                strerror(&e.err).as_bytes(),
            ]),
        )
    })
}

/// Make `home` (mode `mode`), copy `skel` into it, give the tree to uid:gid. A home that
/// exists already is left alone (`Ok(false)`).
fn make_home(
    ctx: &mut Ctx,
    home: &[u8],
    skel: &[u8],
    uid: u32,
    gid: u32,
    mode: u32,
) -> io::Result<bool> {
    // Parents as shadow makes them: root's, 0755. An empty name has none (mkdir says why it
    // fails).
    let mut p = 1;
    while let Some(i) = home
        .get(p..)
        .and_then(|h| h.iter().position(|&c| c == b'/'))
    {
        let parent = &home[..p + i];
        if sfd::stat(parent).is_err() {
            sfs::mkdirat(sfd::cwd(), parent, 0o755)?;
        }
        p += i + 1;
    }
    match sfs::mkdirat(sfd::cwd(), home, 0o700) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EEXIST) => return Ok(false),
        Err(e) => return Err(e),
    }
    if let Ok(d) = std::fs::read_dir(std::ffi::OsStr::from_bytes(skel)) {
        let mut names: Vec<Vec<u8>> = d
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().into_vec())
            .collect();
        crate::common::sort::sort(&mut names);
        let mut c = Copier::new(CopyOpts {
            recursive: true,
            deref: Deref::Never,
            mode: true,
            time: true,
            special: true,
            ..CopyOpts::default()
        });
        for n in names {
            let src = crate::common::copy::join(skel, &n);
            let dst = crate::common::copy::join(home, &n);
            c.copy(ctx, &src, &dst);
        }
    }
    // The tree to the user, never following a symlink.
    let mut w = Walker::new(Options::default());
    w.walk(sfd::cwd(), home, |e, v| {
        if matches!(v, Visit::Pre | Visit::Leaf) {
            let _ = sfs::fchownat(e.parent(), e.name(), uid, gid, libc::AT_SYMLINK_NOFOLLOW);
        }
        Action::Continue
    });
    let d = sfd::open(
        home,
        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        0,
    )?;
    sfs::fchown(d.as_fd(), uid, gid)?;
    sfs::fchmod(d.as_fd(), mode)?;
    Ok(true)
}

// ---------------------------------------------------------------- useradd

static USERADD: &[Opt] = &[
    Opt::flag("badname", None, Some("badname")),
    Opt::arg("base-dir", Some(b'b'), Some("base-dir")),
    Opt::arg("comment", Some(b'c'), Some("comment")),
    Opt::arg("home-dir", Some(b'd'), Some("home-dir")),
    Opt::flag("defaults", Some(b'D'), Some("defaults")),
    Opt::arg("expiredate", Some(b'e'), Some("expiredate")),
    Opt::arg("inactive", Some(b'f'), Some("inactive")),
    Opt::arg("gid", Some(b'g'), Some("gid")),
    Opt::arg("groups", Some(b'G'), Some("groups")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::arg("skel", Some(b'k'), Some("skel")),
    Opt::arg("key", Some(b'K'), Some("key")),
    Opt::flag("no-log-init", Some(b'l'), Some("no-log-init")),
    Opt::flag("create-home", Some(b'm'), Some("create-home")),
    Opt::flag("no-create-home", Some(b'M'), Some("no-create-home")),
    Opt::flag("no-user-group", Some(b'N'), Some("no-user-group")),
    Opt::flag("non-unique", Some(b'o'), Some("non-unique")),
    Opt::arg("password", Some(b'p'), Some("password")),
    Opt::flag("system", Some(b'r'), Some("system")),
    Opt::arg("root", Some(b'R'), Some("root")),
    Opt::arg("shell", Some(b's'), Some("shell")),
    Opt::arg("uid", Some(b'u'), Some("uid")),
    Opt::flag("user-group", Some(b'U'), Some("user-group")),
];

const USERADD_USAGE: Help = help_text!(
    "\
Usage: useradd [options] LOGIN

Options:
      --badname                 do not check for bad names
  -b, --base-dir BASE_DIR       base directory for the home directory of the
                                new account
  -c, --comment COMMENT         GECOS field of the new account
  -d, --home-dir HOME_DIR       home directory of the new account
  -e, --expiredate EXPIRE_DATE  expiration date of the new account
  -f, --inactive INACTIVE       password inactivity period of the new account
  -g, --gid GROUP               name or ID of the primary group of the new
                                account
  -G, --groups GROUPS           list of supplementary groups of the new
                                account
  -h, --help                    display this help message and exit
  -k, --skel SKEL_DIR           use this alternative skeleton directory
  -l, --no-log-init             do not add the user to the lastlog and
                                faillog databases
  -m, --create-home             create the user's home directory
  -M, --no-create-home          do not create the user's home directory
  -N, --no-user-group           do not create a group with the same name as
                                the user
  -o, --non-unique              allow to create users with duplicate
                                (non-unique) UID
  -p, --password PASSWORD       encrypted password of the new account
  -r, --system                  create a system account
  -R, --root CHROOT_DIR         directory to chroot into
  -s, --shell SHELL             login shell of the new account
  -u, --uid UID                 user ID of the new account
  -U, --user-group              create a group with the same name as the user

"
);

const GROUPADD: &[Opt] = &[
    Opt::flag("force", Some(b'f'), Some("force")),
    Opt::arg("gid", Some(b'g'), Some("gid")),
    Opt::flag("help", Some(b'h'), Some("help")),
    Opt::arg("key", Some(b'K'), Some("key")),
    Opt::flag("non-unique", Some(b'o'), Some("non-unique")),
    Opt::arg("password", Some(b'p'), Some("password")),
    Opt::flag("system", Some(b'r'), Some("system")),
    Opt::arg("root", Some(b'R'), Some("root")),
];

const GROUPADD_USAGE: Help = help_text!(
    "\
Usage: groupadd [options] GROUP

Options:
  -f, --force                   exit successfully if the group already exists,
                                and cancel -g if the GID is already used
  -g, --gid GID                 use GID for the new group
  -h, --help                    display this help message and exit
  -o, --non-unique              allow to create groups with duplicate
                                (non-unique) GID
  -p, --password PASSWORD       use this encrypted password for the new group
  -r, --system                  create a system account
  -R, --root CHROOT_DIR         directory to chroot into

"
);

/// shadow's command line with exactly one operand.
fn shadow_args(
    ctx: &mut Ctx,
    argv: &[OsString],
    table: &'static [Opt],
    usage: Help,
) -> Res<Option<Parsed>> {
    shadow_args_n(ctx, argv, table, usage, 1..=1, 2)
}

/// The usage on stderr, status 2 (shadow's `usage (E_USAGE)`).
fn usage_error(usage: Help) -> Error {
    let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &usage.bytes());
    Error::silent(2)
}

/// shadow's command line: options (permuted), a bad one reported with the usage on stderr
/// and status 2; `-R` handled first; `n` operands.
fn shadow_args_n(
    ctx: &mut Ctx,
    argv: &[OsString],
    table: &'static [Opt],
    usage: Help,
    n: std::ops::RangeInclusive<usize>,
    bad_option: i32,
) -> Res<Option<Parsed>> {
    let mut opts = Vec::new();
    let mut ops = Vec::new();
    for a in Getopt::new(argv, table, Order::Permute) {
        match a {
            Err(m) => {
                ctx.msg(&m);
                let _ =
                    crate::common::io::write_all(crate::common::io::stderr_fd(), &usage.bytes());
                return Err(Error::silent(bad_option));
            }
            Ok(Arg::Operand(v)) => ops.push(v.into_vec()),
            Ok(Arg::Opt(o, v)) => {
                if o.id() == "help" {
                    ctx.out.write_all(&usage.bytes())?;
                    return Ok(None);
                }
                opts.push((o.id(), v.map(OsString::into_vec).unwrap_or_default()));
            }
        }
    }
    if let Some((_, dir)) = opts.iter().rev().find(|o| o.0 == "root") {
        enter_root(ctx, dir)?;
    }
    if !n.contains(&ops.len()) {
        return Err(usage_error(usage));
    }
    Ok(Some((opts, ops)))
}

fn last<'a>(opts: &'a [(&str, Vec<u8>)], id: &str) -> Option<&'a [u8]> {
    opts.iter()
        .rev()
        .find(|o| o.0 == id)
        .map(|o| o.1.as_slice())
}

fn has(opts: &[(&str, Vec<u8>)], id: &str) -> bool {
    opts.iter().any(|o| o.0 == id)
}

/// `YYYY-MM-DD` as days since 1970-01-01; empty or -1: none.
fn expire_days(v: &[u8]) -> Option<Option<i64>> {
    if v.is_empty() || v == b"-1" {
        return Some(None);
    }
    let s = std::str::from_utf8(v).ok()?;
    if let Ok(n) = s.parse::<i64>() {
        return Some(Some(n));
    }
    let mut it = s.splitn(3, '-').map(|p| p.parse::<i64>());
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (it.next(), it.next(), it.next()) else {
        return None;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(Some(era * 146097 + doe - 719468))
}

fn field(v: Option<i64>) -> String {
    match v {
        Some(n) if n >= 0 => n.to_string(),
        _ => String::new(),
    }
}

pub fn useradd(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = useradd_run(&argv, ctx);
    ctx.finish(r)
}

fn group_lookup(group: &[Vec<u8>], key: &[u8]) -> Option<u32> {
    let by_name = group.iter().find(|l| line_name(l) == key);
    let hit = match (by_name, parse_id(key)) {
        (Some(l), _) => Some(l),
        (None, Some(n)) => {
            return group
                .iter()
                .any(|l| parse_id(l.split(|&b| b == b':').nth(2).unwrap_or_default()) == Some(n))
                .then_some(n)
        }
        (None, None) => None,
    };
    hit.and_then(|l| parse_id(l.split(|&b| b == b':').nth(2)?))
}

fn useradd_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    let Some((opts, ops)) = shadow_args(ctx, argv, USERADD, USERADD_USAGE)? else {
        return Ok(());
    };
    if has(&opts, "defaults") {
        return Err(Error::new(2, "-D is not supported by rbox's useradd"));
    }
    let name = ops[0].clone();
    if !has(&opts, "badname") && !valid_name(&name) {
        return Err(Error::new(
            3,
            msg(&[b"invalid user name '", &name, b"': use --badname to ignore"]),
        ));
    }
    let defs = Defs(settings(b"/etc/login.defs"));
    let dflt = Defs(settings(b"/etc/default/useradd"));
    let sys = has(&opts, "system");
    let uid_min = defs.num("UID_MIN", 1000) as u32;
    let uid_max = defs.num("UID_MAX", 60000) as u32;
    let gid_min = defs.num("GID_MIN", 1000) as u32;
    let gid_max = defs.num("GID_MAX", 60000) as u32;
    let (umin, umax) = if sys {
        (
            defs.num("SYS_UID_MIN", 101) as u32,
            defs.num("SYS_UID_MAX", uid_min as i64 - 1) as u32,
        )
    } else {
        (uid_min, uid_max)
    };
    let (gmin, gmax) = if sys {
        (
            defs.num("SYS_GID_MIN", 101) as u32,
            defs.num("SYS_GID_MAX", gid_min as i64 - 1) as u32,
        )
    } else {
        (gid_min, gid_max)
    };
    let bad = |what: &str, v: &[u8]| Error::new(3, msg(&[what.as_bytes(), b" '", v, b"'"]));
    let uid_opt = match last(&opts, "uid") {
        Some(v) => Some(
            parse_id(v)
                .filter(|&n| n != u32::MAX)
                .ok_or_else(|| bad("invalid user ID", v))?,
        ),
        None => None,
    };
    let expire = match last(&opts, "expiredate").or(dflt.get("EXPIRE")) {
        Some(v) => expire_days(v).ok_or_else(|| bad("invalid date", v))?,
        None => None,
    };
    // Like shadow's: the account's home is an absolute name, so is the base it is made in.
    for (opt, what) in [
        ("home-dir", "invalid home directory"),
        ("base-dir", "invalid base directory"),
    ] {
        if let Some(v) = last(&opts, opt).filter(|v| v.first() != Some(&b'/')) {
            return Err(bad(what, v));
        }
    }
    let inactive = match last(&opts, "inactive").or(dflt.get("INACTIVE")) {
        Some(v) => Some(
            std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|&n| n >= -1)
                .ok_or_else(|| bad("invalid numeric argument", v))?,
        ),
        None => None,
    };

    let mut a = accounts(1, 10)?;
    if Accounts::find(&a.passwd, &name).is_some() {
        return Err(Error::new(9, msg(&[b"user '", &name, b"' already exists"])));
    }
    let user_group = has(&opts, "user-group")
        || (!has(&opts, "no-user-group") && !has(&opts, "gid") && defs.yes("USERGROUPS_ENAB"));
    if user_group && Accounts::find(&a.group, &name).is_some() {
        return Err(Error::new(
            9,
            msg(&[
                b"group ",
                &name,
                b" exists - if you want to add this user to that group, use -g.",
            ]),
        ));
    }
    let mut gid: Option<u32> = None;
    if let Some(g) = last(&opts, "gid") {
        gid = Some(
            group_lookup(&a.group, g)
                .ok_or_else(|| Error::new(6, msg(&[b"group '", g, b"' does not exist"])))?,
        );
    }
    let mut extra: Vec<Vec<u8>> = Vec::new();
    if let Some(list) = last(&opts, "groups") {
        for g in list.split(|&c| c == b',').filter(|g| !g.is_empty()) {
            group_lookup(&a.group, g)
                .ok_or_else(|| Error::new(6, msg(&[b"group '", g, b"' does not exist"])))?;
            // The member list takes the group's name.
            let gname = a
                .group
                .iter()
                .find(|l| line_name(l) == g)
                .or_else(|| {
                    let n = parse_id(g)?;
                    a.group.iter().find(|l| {
                        parse_id(l.split(|&b| b == b':').nth(2).unwrap_or_default()) == Some(n)
                    })
                })
                .map(|l| line_name(l).to_vec())
                .unwrap_or_default();
            if !extra.contains(&gname) {
                extra.push(gname);
            }
        }
    }
    let used_uids = ids(&a.passwd);
    let uid = match uid_opt {
        Some(u) => {
            if used_uids.contains(&u) && !has(&opts, "non-unique") {
                return Err(Error::new(4, format!("UID {u} is not unique")));
            }
            u
        }
        None => allocate(&used_uids, umin, umax, sys, None)
            .ok_or_else(|| Error::new(4, "can't create user: no more UIDs"))?,
    };
    let used_gids = ids(&a.group);
    if user_group {
        gid = Some(
            allocate(&used_gids, gmin, gmax, sys, Some(uid))
                .ok_or_else(|| Error::new(4, "can't create group: no more GIDs"))?,
        );
    }
    let gid = match gid {
        Some(g) => g,
        None => match dflt.get("GROUP") {
            Some(g) => group_lookup(&a.group, g).unwrap_or(100),
            None => 100,
        },
    };
    let home = match last(&opts, "home-dir") {
        Some(h) => h.to_vec(),
        None => {
            let base = last(&opts, "base-dir")
                .or(dflt.get("HOME"))
                .unwrap_or(b"/home");
            msg(&[base, b"/", &name])
        }
    };
    let shell = last(&opts, "shell")
        .or(dflt.get("SHELL"))
        .unwrap_or(b"/bin/bash")
        .to_vec();
    if has(&opts, "shell")
        && !shell.is_empty()
        && sfd::access(&shell, libc::X_OK).then_some(()).is_none()
    {
        ctx.msg(&msg(&[
            b"Warning: missing or non-executable shell '",
            &shell,
            b"'",
        ]));
    }
    let gecos = last(&opts, "comment").unwrap_or_default();
    let pw = passwd::Passwd {
        name: name.clone(),
        passwd: b"x".to_vec(),
        uid,
        gid,
        gecos: gecos.to_vec(),
        dir: home.clone(),
        shell,
    };
    a.passwd.push(pw.line());
    if let Some(sh) = a.shadow.as_mut() {
        let (min, max, warn) = if sys {
            (None, None, None)
        } else {
            (
                Some(defs.num("PASS_MIN_DAYS", -1)),
                Some(defs.num("PASS_MAX_DAYS", -1)),
                Some(defs.num("PASS_WARN_AGE", -1)),
            )
        };
        let pass = last(&opts, "password").unwrap_or(b"!");
        sh.push(msg(&[
            &name,
            b":",
            pass,
            format!(
                ":{}:{}:{}:{}:{}:{}:",
                days_now(),
                field(min),
                field(max),
                field(warn),
                field(inactive),
                field(expire)
            )
            .as_bytes(),
        ]));
    }
    if user_group {
        a.group.push(msg(&[&name, format!(":x:{gid}:").as_bytes()]));
        if let Some(gs) = a.gshadow.as_mut() {
            gs.push(msg(&[&name, b":!::"]));
        }
    }
    for g in &extra {
        a.add_member(g, &name);
    }
    commit(&a, 1)?;
    drop(a);
    let create = has(&opts, "create-home")
        || (!sys && !has(&opts, "no-create-home") && defs.yes("CREATE_HOME"));
    if create && !has(&opts, "no-create-home") {
        let umask = defs.num("UMASK", 0o22) as u32;
        let mode = defs.num("HOME_MODE", (0o777 & !umask) as i64) as u32;
        let skel = last(&opts, "skel")
            .or(dflt.get("SKEL"))
            .unwrap_or(b"/etc/skel")
            .to_vec();
        match make_home(ctx, &home, &skel, uid, gid, mode) {
            Ok(true) => {}
            Ok(false) => {
                ctx.msg(&msg(&[
                    b"warning: the home directory ",
                    &home,
                    b" already exists.",
                ]));
                ctx.msg(b"Not copying any file from skel directory into it.");
            }
            Err(e) => {
                return Err(Error::new(
                    12,
                    msg(&[
                        b"cannot create directory ",
                        &home,
                        b": ",
                        strerror(&e).as_bytes(),
                    ]),
                ))
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- groupadd

pub fn groupadd(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = groupadd_run(&argv, ctx);
    ctx.finish(r)
}

fn groupadd_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    let Some((opts, ops)) = shadow_args(ctx, argv, GROUPADD, GROUPADD_USAGE)? else {
        return Ok(());
    };
    let name = ops[0].clone();
    if !valid_name(&name) {
        return Err(Error::new(
            3,
            msg(&[b"'", &name, b"' is not a valid group name"]),
        ));
    }
    let sys = has(&opts, "system");
    let force = has(&opts, "force");
    let mut want = match last(&opts, "gid") {
        Some(v) => Some(
            parse_id(v)
                .filter(|&n| n != u32::MAX)
                .ok_or_else(|| Error::new(3, msg(&[b"invalid group ID '", v, b"'"])))?,
        ),
        None => None,
    };
    let defs = Defs(settings(b"/etc/login.defs"));
    let gid_min = defs.num("GID_MIN", 1000) as u32;
    let (gmin, gmax) = if sys {
        (
            defs.num("SYS_GID_MIN", 101) as u32,
            defs.num("SYS_GID_MAX", gid_min as i64 - 1) as u32,
        )
    } else {
        (gid_min, defs.num("GID_MAX", 60000) as u32)
    };
    let mut a = accounts(10, 10)?;
    if Accounts::find(&a.group, &name).is_some() {
        if force {
            return Ok(());
        }
        return Err(Error::new(
            9,
            msg(&[b"group '", &name, b"' already exists"]),
        ));
    }
    let used = ids(&a.group);
    if let Some(g) = want {
        if used.contains(&g) && !has(&opts, "non-unique") {
            if force {
                want = None;
            } else {
                return Err(Error::new(4, format!("GID '{g}' already exists")));
            }
        }
    }
    let gid = match want {
        Some(g) => g,
        None => allocate(&used, gmin, gmax, sys, None)
            .ok_or_else(|| Error::new(4, "can't create group"))?,
    };
    let pass = last(&opts, "password");
    let gpass: &[u8] = if a.gshadow.is_some() {
        b"x"
    } else {
        pass.unwrap_or(b"x")
    };
    a.group
        .push(msg(&[&name, b":", gpass, format!(":{gid}:").as_bytes()]));
    if let Some(gs) = a.gshadow.as_mut() {
        gs.push(msg(&[&name, b":", pass.unwrap_or(b"!"), b"::"]));
    }
    commit(&a, 10)
}

// ---------------------------------------------------------------- BusyBox adduser/addgroup

/// BusyBox's die_if_bad_username: letters, digits, `_ @`, and `- . $` after the first
/// character (`$` only last).
fn bb_name_check(n: &[u8]) -> Res<()> {
    for (i, &c) in n.iter().enumerate() {
        let ok = c.is_ascii_alphanumeric()
            || c == b'_'
            || c == b'@'
            || (i > 0 && (c == b'-' || c == b'.' || (c == b'$' && i + 1 == n.len())));
        if !ok {
            return Err(Error::new(
                1,
                format!("illegal character with code {c} at position {i}"),
            ));
        }
    }
    if n.is_empty() {
        return Err(Error::new(1, "illegal character with code 0 at position 0"));
    }
    if n.len() >= 256 {
        return Err(Error::new(1, "name is too long"));
    }
    Ok(())
}

fn bb_root() -> Res<()> {
    if user::geteuid() != 0 {
        return Err(Error::new(1, "permission denied (are you root?)"));
    }
    Ok(())
}

/// BusyBox's getopt32 command line: options then 1..=max operands; a bad one prints the
/// usage (status 1).
fn bb_args(
    ctx: &mut Ctx,
    argv: &[OsString],
    table: &'static [Opt],
    usage: Help,
    max: usize,
) -> Res<Option<Parsed>> {
    let mut opts = Vec::new();
    let mut ops = Vec::new();
    for a in Getopt::new(argv, table, Order::Permute) {
        match a {
            Err(m) => {
                ctx.msg(&m);
                let _ =
                    crate::common::io::write_all(crate::common::io::stderr_fd(), &usage.bytes());
                return Err(Error::silent(1));
            }
            Ok(Arg::Operand(v)) => ops.push(v.into_vec()),
            Ok(Arg::Opt(o, v)) => {
                if o.id() == "help" {
                    let _ = crate::common::io::write_all(
                        crate::common::io::stderr_fd(),
                        &usage.bytes(),
                    );
                    return Ok(None);
                }
                opts.push((o.id(), v.map(OsString::into_vec).unwrap_or_default()));
            }
        }
    }
    if ops.is_empty() || ops.len() > max {
        let _ = crate::common::io::write_all(crate::common::io::stderr_fd(), &usage.bytes());
        return Err(Error::silent(1));
    }
    Ok(Some((opts, ops)))
}

static ADDGROUP: &[Opt] = &[
    Opt::arg("gid", Some(b'g'), Some("gid")),
    Opt::flag("system", Some(b'S'), Some("system")),
    Opt::flag("help", None, Some("help")),
    Opt::flag("quiet", None, Some("quiet")),
];

const ADDGROUP_USAGE: Help = help_text!(
    "\
Usage: addgroup [-g GID] [-S] [USER] GROUP

Add a group or add a user to a group

\t-g GID\tGroup id
\t-S\tCreate a system group
"
);

pub fn addgroup(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = addgroup_run(&argv, ctx);
    ctx.finish(r)
}

fn addgroup_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    bb_root()?;
    let Some((opts, ops)) = bb_args(ctx, argv, ADDGROUP, ADDGROUP_USAGE, 2)? else {
        return Ok(());
    };
    let gid = match last(&opts, "gid") {
        Some(v) => Some(
            parse_id(v)
                .filter(|&n| n <= i32::MAX as u32)
                .ok_or_else(|| Error::new(1, msg(&[b"invalid number '", v, b"'"])))?,
        ),
        None => None,
    };
    if ops.len() == 2 {
        if gid.is_some() {
            let _ = crate::common::io::write_all(
                crate::common::io::stderr_fd(),
                &ADDGROUP_USAGE.bytes(),
            );
            return Err(Error::silent(1));
        }
        return add_to_group(&ops[0], &ops[1]);
    }
    bb_name_check(&ops[0])?;
    new_group(&ops[0], gid, has(&opts, "system"))
}

/// `addgroup USER GROUP`: both must exist; a member already is left alone.
fn add_to_group(user: &[u8], group: &[u8]) -> Res<()> {
    let mut a = accounts(1, 1)?;
    if Accounts::find(&a.passwd, user).is_none() && parse_id(user).is_none() {
        return Err(Error::new(1, msg(&[b"unknown user ", user])));
    }
    if Accounts::find(&a.group, group).is_none() {
        return Err(Error::new(1, msg(&[b"unknown group ", group])));
    }
    a.add_member(group, user);
    commit(&a, 1)
}

/// BusyBox's new_group: the first free gid from 1000 (system: 100..999), or `gid`.
fn new_group(name: &[u8], gid: Option<u32>, sys: bool) -> Res<()> {
    let mut a = accounts(1, 1)?;
    if Accounts::find(&a.group, name).is_some() {
        return Err(Error::new(1, msg(&[b"group '", name, b"' in use"])));
    }
    let used = ids(&a.group);
    let gid = match gid {
        Some(g) if used.contains(&g) => {
            return Err(Error::new(1, format!("gid '{g}' in use")));
        }
        Some(g) => g,
        None => {
            let (lo, hi) = if sys { (100, 999) } else { (1000, 60000) };
            (lo..=hi)
                .find(|g| !used.contains(g))
                .ok_or_else(|| Error::new(1, "no gids left"))?
        }
    };
    a.group.push(msg(&[name, format!(":x:{gid}:").as_bytes()]));
    if let Some(gs) = a.gshadow.as_mut() {
        gs.push(msg(&[name, b":!::"]));
    }
    commit(&a, 1)
}

static ADDUSER: &[Opt] = &[
    Opt::arg("home", Some(b'h'), Some("home")),
    Opt::arg("gecos", Some(b'g'), Some("gecos")),
    Opt::arg("shell", Some(b's'), Some("shell")),
    Opt::arg("ingroup", Some(b'G'), Some("ingroup")),
    Opt::flag("disabled-password", Some(b'D'), Some("disabled-password")),
    Opt::flag("disabled-password", None, Some("empty-password")),
    Opt::flag("system", Some(b'S'), Some("system")),
    Opt::flag("no-create-home", Some(b'H'), Some("no-create-home")),
    Opt::arg("uid", Some(b'u'), Some("uid")),
    Opt::arg("skel", Some(b'k'), Some("skel")),
    Opt::flag("help", None, Some("help")),
    // Debian's adduser, as its Dockerfile lines spell it.
    Opt::arg("gecos", None, Some("comment")),
    Opt::flag("disabled-login", None, Some("disabled-login")),
    Opt::arg("gid", None, Some("gid")),
    Opt::flag("group", None, Some("group")),
    Opt::flag("quiet", None, Some("quiet")),
];

const ADDUSER_USAGE: Help = help_text!(
    "\
Usage: adduser [OPTIONS] USER [GROUP]

Create new user, or add USER to GROUP

\t-h DIR\t\tHome directory
\t-g GECOS\tGECOS field
\t-s SHELL\tLogin shell
\t-G GRP\t\tGroup
\t-S\t\tCreate a system user
\t-D\t\tDon't assign a password
\t-H\t\tDon't create home directory
\t-u UID\t\tUser id
\t-k SKEL\t\tSkeleton directory (/etc/skel)
"
);

pub fn adduser(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = adduser_run(&argv, ctx);
    ctx.finish(r)
}

fn adduser_run(argv: &[OsString], ctx: &mut Ctx) -> Res<()> {
    bb_root()?;
    let Some((opts, ops)) = bb_args(ctx, argv, ADDUSER, ADDUSER_USAGE, 2)? else {
        return Ok(());
    };
    let name = ops[0].clone();
    if opts.is_empty() && ops.len() == 2 {
        return add_to_group(&name, &ops[1]);
    }
    let uid_opt = match last(&opts, "uid") {
        Some(v) => Some(
            parse_id(v)
                .filter(|&n| n <= 60000)
                .ok_or_else(|| Error::new(1, msg(&[b"invalid number '", v, b"'"])))?,
        ),
        None => None,
    };
    bb_name_check(&name)?;
    let sys = has(&opts, "system");
    let gid_opt = match last(&opts, "gid") {
        Some(v) => Some(
            parse_id(v)
                .filter(|&n| n <= i32::MAX as u32)
                .ok_or_else(|| Error::new(1, msg(&[b"invalid number '", v, b"'"])))?,
        ),
        None => None,
    };
    // Debian's `--group`: with `--system`, a group named as the user (not nogroup); alone,
    // `adduser --group NAME` is `addgroup NAME`.
    let own_group = has(&opts, "group");
    if own_group && !sys {
        return new_group(&name, gid_opt, false);
    }
    let home = last(&opts, "home")
        .map(<[u8]>::to_vec)
        .unwrap_or_else(|| msg(&[b"/home/", &name]));
    let gecos = last(&opts, "gecos").unwrap_or(b"Linux User,,,").to_vec();
    let shell = match last(&opts, "shell") {
        Some(s) => s.to_vec(),
        None if sys => b"/bin/false".to_vec(),
        None => get_shell_name(),
    };
    let mut usegroup = last(&opts, "ingroup").map(<[u8]>::to_vec);
    let mut a = accounts(1, 1)?;
    // Debian's `--gid N` names an existing group by its number, unless it is the number
    // for the user's own new group (`--group`).
    if let (None, Some(g)) = (&usegroup, gid_opt) {
        let named = a
            .group
            .iter()
            .find(|l| parse_id(l.split(|&b| b == b':').nth(2).unwrap_or_default()) == Some(g))
            .map(|l| line_name(l).to_vec());
        match named {
            Some(n) if !own_group => usegroup = Some(n),
            Some(_) => return Err(Error::new(1, format!("gid '{g}' in use"))),
            None if !own_group => return Err(Error::new(1, format!("unknown group {g}"))),
            None => {}
        }
    }
    if sys && usegroup.is_none() && !own_group {
        usegroup = Some(b"nogroup".to_vec());
    }
    let gid_of = |a: &Accounts, g: &[u8]| -> Res<u32> {
        group_lookup(&a.group, g).ok_or_else(|| Error::new(1, msg(&[b"unknown group ", g])))
    };
    let fixed_gid = match &usegroup {
        Some(g) => Some(gid_of(&a, g)?),
        None => None,
    };
    // passwd_study.
    if Accounts::find(&a.passwd, &name).is_some() {
        return Err(Error::new(1, msg(&[b"user '", &name, b"' in use"])));
    }
    let uids = ids(&a.passwd);
    let gids = ids(&a.group);
    let (mut uid, max) = match (uid_opt, sys) {
        (Some(u), _) => (u, 60000),
        (None, true) => (100, 999),
        (None, false) => (1000, 60000),
    };
    let own_gid_free = fixed_gid.is_none() && gid_opt.is_none();
    while uids.contains(&uid) || (own_gid_free && gids.contains(&uid)) {
        if uid_opt.is_some() {
            return Err(Error::new(1, format!("uid '{uid}' in use")));
        }
        if uid == max {
            return Err(Error::new(1, "no uids left"));
        }
        uid += 1;
    }
    let gid = match fixed_gid {
        Some(g) => g,
        None => {
            if Accounts::find(&a.group, &name).is_some() {
                return Err(Error::new(1, msg(&[b"group '", &name, b"' in use"])));
            }
            gid_opt.unwrap_or(uid)
        }
    };
    let pw = passwd::Passwd {
        name: name.clone(),
        passwd: b"x".to_vec(),
        uid,
        gid,
        gecos,
        dir: home.clone(),
        shell,
    };
    a.passwd.push(pw.line());
    if let Some(sh) = a.shadow.as_mut() {
        sh.push(msg(&[
            &name,
            format!(":!:{}:0:99999:7:::", days_now()).as_bytes(),
        ]));
    }
    match &usegroup {
        Some(g) => a.add_member(g, &name),
        None => {
            a.group.push(msg(&[&name, format!(":x:{gid}:").as_bytes()]));
            if let Some(gs) = a.gshadow.as_mut() {
                gs.push(msg(&[&name, b":!::"]));
            }
        }
    }
    commit(&a, 1)?;
    drop(a);
    if !has(&opts, "no-create-home") {
        let skel = last(&opts, "skel").unwrap_or(b"/etc/skel").to_vec();
        let old = process::umask(0);
        let r = make_home(ctx, &home, &skel, uid, gid, 0o2755);
        process::umask(old);
        if let Err(e) = r {
            ctx.error(1, &msg(&[&home, b": ", strerror(&e).as_bytes()]));
        }
    }
    Ok(())
}

/// BusyBox's get_shell_name: `$SHELL`, else the caller's login shell, else /bin/sh.
fn get_shell_name() -> Vec<u8> {
    if let Some(s) = std::env::var_os("SHELL").filter(|s| !s.is_empty()) {
        return s.into_vec();
    }
    passwd::getpwuid(user::getuid())
        .map(|p| p.shell)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| b"/bin/sh".to_vec())
}
