//! `install`: copy files and set their attributes; make directories.
//!
//! GNU coreutils 9 `install`: `-c` (ignored), `-d`, `-D`, `-g GROUP`, `-m MODE` (octal or
//! symbolic, through the one mode parser), `-o OWNER`, `-p`, `-s` (accepted: see below), `-t DIR`,
//! `-T`, `-v`. An existing destination is removed first (so a running executable can be
//! replaced; `-v` says `removed 'x'`), the data copied by [`common::copy`](crate::common::copy),
//! then owner, group and mode set (default 0755). `-d` and `-D` create missing directories
//! (`install: creating directory 'a'` with `-v`). Messages and status as GNU.
//! `-s` runs `--strip-program` (default `strip` from PATH) on the installed file; a file it
//! fails on is removed. Deviations: with no `strip` on PATH (a scratch image) the file is
//! installed unstripped instead of failing; no SELinux options. `-C`/`--compare` leaves a destination
//! alone that already has the source's bytes and the owner, group and mode to be given. `--backup`/`-b`/`-S`
//! through [`common::backup`](crate::common::backup) rename the old destination aside.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::backup::{self, Backup};
use crate::common::copy::{base_name, join, operands, Copier, CopyOpts, Deref};
use crate::common::ctx::strerror;
use crate::common::exec::{self, Io};
use crate::common::fs::{apply_mode, Names};
use crate::common::help::{help_text, Help};
use crate::common::quote::{quote_always, quote_into, Style};
use crate::common::sys::fd as sfd;
use crate::common::sys::{fs as sfs, process, user};
use crate::common::{Ctx, Error, Result};

pub const USAGE: Help = help_text!(
    "\
Usage: install [OPTION]... [-T] SOURCE DEST
  or:  install [OPTION]... SOURCE... DIRECTORY
  or:  install [OPTION]... -t DIRECTORY SOURCE...
  or:  install [OPTION]... -d DIRECTORY...

This install program copies files (often just compiled) into destination
locations you choose.  If you want to download and install a ready-to-use
package on a GNU/Linux system, you should instead be using a package manager
like yum(1) or apt-get(1).

In the first three forms, copy SOURCE to DEST or multiple SOURCE(s) to
the existing DIRECTORY, while setting permission modes and owner/group.
In the 4th form, create all components of the given DIRECTORY(ies).

Mandatory arguments to long options are mandatory for short options too.
      --backup[=CONTROL]  make a backup of each existing destination file
  -b                  like --backup but does not accept an argument
  -c                  (ignored)
  -C, --compare       compare content of source and destination files, and
                        if no change to content, ownership, and permissions,
                        do not modify the destination at all
  -d, --directory     treat all arguments as directory names; create all
                        components of the specified directories
  -D                  create all leading components of DEST except the last,
                        or all components of --target-directory,
                        then copy SOURCE to DEST
  -g, --group=GROUP   set group ownership, instead of process' current group
  -m, --mode=MODE     set permission mode (as in chmod), instead of rwxr-xr-x
  -o, --owner=OWNER   set ownership (super-user only)
  -p, --preserve-timestamps   apply access/modification times of SOURCE files
                        to corresponding destination files
  -s, --strip         strip symbol tables
      --strip-program=PROGRAM  program used to strip binaries
  -S, --suffix=SUFFIX  override the usual backup suffix
  -t, --target-directory=DIRECTORY  copy all SOURCE arguments into DIRECTORY
  -T, --no-target-directory  treat DEST as a normal file
  -v, --verbose       print the name of each directory as it is created
      --preserve-context  preserve SELinux security context
  -Z                      set SELinux security context of destination
                            file and each created directory to default type
      --context[=CTX]     like -Z, or if CTX is specified then set the
                            SELinux or SMACK security context to CTX
      --help        display this help and exit
      --version     output version information and exit

The backup suffix is '~', unless set with --suffix or SIMPLE_BACKUP_SUFFIX.
The version control method may be selected via the --backup option or through
the VERSION_CONTROL environment variable.  Here are the values:

  none, off       never make backups (even if --backup is given)
  numbered, t     make numbered backups
  existing, nil   numbered if numbered backups exist, simple otherwise
  simple, never   always make simple backups
"
);

static SPEC: Spec = Spec::new(
    &[
        backup::OPTS[0],
        backup::OPTS[1],
        backup::OPTS[2],
        Opt::flag("c", Some(b'c'), None),
        Opt::flag("compare", Some(b'C'), Some("compare")),
        Opt::flag("directory", Some(b'd'), Some("directory")),
        Opt::flag("D", Some(b'D'), None),
        Opt::arg("group", Some(b'g'), Some("group")),
        Opt::arg("mode", Some(b'm'), Some("mode")),
        Opt::arg("owner", Some(b'o'), Some("owner")),
        Opt::flag(
            "preserve-timestamps",
            Some(b'p'),
            Some("preserve-timestamps"),
        ),
        Opt::flag("strip", Some(b's'), Some("strip")),
        Opt::arg("strip-program", None, Some("strip-program")),
        Opt::arg("target-directory", Some(b't'), Some("target-directory")),
        Opt::flag(
            "no-target-directory",
            Some(b'T'),
            Some("no-target-directory"),
        ),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("preserve-context", None, Some("preserve-context")),
        Opt::flag("Z", Some(b'Z'), None),
        Opt::optional("context", None, Some("context")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

struct Inst {
    mode: Option<Vec<u8>>,
    uid: u32,
    gid: u32,
    verbose: bool,
    backup: Option<Backup>,
    werr: Option<std::io::Error>,
    /// `-C`: a destination already as it would be made is left alone.
    compare: bool,
    /// `-s`: the strip program, and whether it was named (`--strip-program`).
    strip: Option<(Vec<u8>, bool)>,
    /// `-p`: the times put back after strip changed them.
    times: bool,
}

/// Set-user-ID, set-group-ID or sticky: bits `-C` never takes as already right.
fn extra_mode(m: u32) -> bool {
    m & 0o7000 != 0
}

/// Whether two open files hold the same bytes.
fn same_content(a: &sfd::OwnedFd, b: &sfd::OwnedFd) -> bool {
    use std::os::fd::AsFd;
    let (mut x, mut y) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = match sfd::read(a.as_fd(), &mut x) {
            Ok(n) => n,
            Err(_) => return false,
        };
        // The other file in as many bytes (reads may come short).
        let mut got = 0;
        while got < n {
            match sfd::read(b.as_fd(), &mut y[got..n]) {
                Ok(0) | Err(_) => return false,
                Ok(k) => got += k,
            }
        }
        if x[..n] != y[..n] {
            return false;
        }
        if n == 0 {
            return matches!(sfd::read(b.as_fd(), &mut y[..1]), Ok(0));
        }
    }
}

fn invalid(what: &str, v: &[u8]) -> Error {
    let mut m = format!("invalid {what} ").into_bytes();
    quote_into(&mut m, v, Style::Locale);
    Error::new(1, m)
}

/// A user or group: a name from the database, else a number.
fn id_of(names: &mut Names, user: bool, v: &[u8]) -> Option<u32> {
    let db = if user { names.users() } else { names.groups() };
    db.id(v)
        .or_else(|| std::str::from_utf8(v).ok()?.parse::<u32>().ok())
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    // Without SELinux GNU warns about both, in command-line order, and goes on.
    for (id, v) in &m.opts {
        if *id == "preserve-context" {
            ctx.msg(b"WARNING: ignoring --preserve-context; this kernel is not SELinux-enabled");
        } else if *id == "context" && v.as_ref().is_some_and(|c| !c.is_empty()) {
            ctx.msg(b"warning: ignoring --context; it requires an SELinux-enabled kernel");
        }
    }
    let mut names = Names::new();
    let mut inst = Inst {
        mode: None,
        uid: u32::MAX,
        gid: u32::MAX,
        verbose: m.flag("verbose"),
        backup: backup::from_matches(ctx, &m)?,
        werr: None,
        compare: m.flag("compare"),
        strip: m.flag("strip").then(|| match m.last("strip-program") {
            Some(p) => (p.as_bytes().to_vec(), true),
            None => (b"strip".to_vec(), false),
        }),
        times: m.flag("preserve-timestamps"),
    };
    if inst.compare {
        let clash = if m.flag("preserve-timestamps") {
            Some("--preserve-timestamps")
        } else if m.flag("strip") {
            Some("--strip")
        } else {
            None
        };
        if let Some(o) = clash {
            ctx.msgf(format_args!(
                "options --compare (-C) and {o} are mutually exclusive"
            ));
            ctx.try_help();
            return Err(Error::silent(1));
        }
    }
    if let Some(md) = m.last("mode") {
        let md = md.as_bytes();
        if apply_mode(md, 0, false).is_none() {
            return Err(invalid("mode", md));
        }
        inst.mode = Some(md.to_vec());
    }
    if inst.compare && extra_mode(inst.file_mode()) {
        ctx.msg(b"the --compare (-C) option is ignored when you specify a mode with non-permission bits");
        inst.compare = false;
    }
    if let Some(o) = m.last("owner") {
        inst.uid =
            id_of(&mut names, true, o.as_bytes()).ok_or_else(|| invalid("user", o.as_bytes()))?;
    }
    if let Some(g) = m.last("group") {
        inst.gid =
            id_of(&mut names, false, g.as_bytes()).ok_or_else(|| invalid("group", g.as_bytes()))?;
    }
    let files: Vec<Vec<u8>> = m.operands.iter().map(|f| f.as_bytes().to_vec()).collect();
    let mut ok = true;
    if m.flag("directory") {
        if files.is_empty() {
            ctx.msg(b"missing file operand");
            ctx.try_help();
            return Err(Error::silent(1));
        }
        for d in &files {
            ok &= inst.mkdirs(ctx, d, true);
        }
    } else {
        let target = m.last("target-directory").map(|t| t.as_bytes().to_vec());
        let no_target = m.flag("no-target-directory");
        let leading = m.flag("D");
        // -D: the target directory (or DEST's parents) made before the operands are checked.
        if leading && (files.len() >= 2 || target.is_some()) {
            let dest = target
                .clone()
                .unwrap_or_else(|| files[files.len() - 1].clone());
            let parent = if target.is_some() {
                Some(dest.as_slice())
            } else {
                dest.iter().rposition(|&c| c == b'/').map(|i| &dest[..i])
            };
            if let Some(p) = parent.filter(|p| !p.is_empty()) {
                if !inst.mkdirs(ctx, p, false) {
                    return Err(Error::silent(1));
                }
            }
        }
        let (srcs, dest, into) = operands(ctx, files, target, no_target)?;
        let mut c = Copier::new(CopyOpts {
            deref: Deref::Always,
            time: m.flag("preserve-timestamps"),
            ..CopyOpts::default()
        });
        for s in &srcs {
            let d = if into {
                join(&dest, base_name(s))
            } else {
                dest.clone()
            };
            ok &= inst.file(ctx, &mut c, s, &d);
        }
    }
    if let Some(e) = inst.werr.take() {
        return Err(Error::write(&e));
    }
    if !ok {
        ctx.fail(1);
    }
    Ok(())
}

impl Inst {
    fn line(&mut self, ctx: &mut Ctx, l: &[u8]) {
        if let Err(e) = ctx.out.write_all(l) {
            self.werr.get_or_insert(e);
        }
    }

    /// `mkdir -p` of `path`; with `last`, the final directory gets the mode and owner.
    fn mkdirs(&mut self, ctx: &mut Ctx, path: &[u8], last: bool) -> bool {
        let cwd = sfd::cwd();
        let umask = process::current_umask();
        let mut end = 0;
        let n = path.len();
        while end < n {
            // The next component's end.
            let mut e = end;
            while e < n && path[e] == b'/' {
                e += 1;
            }
            while e < n && path[e] != b'/' {
                e += 1;
            }
            end = e;
            let prefix = &path[..end];
            if prefix.iter().all(|&c| c == b'/') {
                continue;
            }
            match sfs::mkdirat(cwd, prefix, 0o777 & !umask) {
                Ok(()) => {
                    if self.verbose {
                        let mut l = format!("{}: creating directory ", ctx.name).into_bytes();
                        l.extend_from_slice(&quote_always(prefix));
                        l.push(b'\n');
                        self.line(ctx, &l);
                    }
                }
                Err(err) => {
                    let is_dir = sfd::stat(prefix)
                        .map(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
                        .unwrap_or(false);
                    // GNU's make_dir_parents leaves a failure of the last component to the
                    // chmod that follows (`cannot change permissions of 'd': No such file or
                    // directory`): the same words here.
                    if !is_dir && last && end == n && err.raw_os_error() != Some(libc::EEXIST) {
                        break;
                    }
                    if !is_dir {
                        let err = if err.raw_os_error() == Some(libc::EEXIST) && end < n {
                            std::io::Error::from_raw_os_error(libc::ENOTDIR)
                        } else {
                            err
                        };
                        let mut m = b"cannot create directory ".to_vec();
                        m.extend_from_slice(&quote_always(prefix));
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&err).as_bytes());
                        ctx.msg(&m);
                        return false;
                    }
                }
            }
        }
        if !last {
            return true;
        }
        self.attrs(ctx, path, true)
    }

    /// The mode an installed file gets.
    fn file_mode(&self) -> u32 {
        match &self.mode {
            Some(md) => apply_mode(md, 0, false).unwrap_or(0o755),
            None => 0o755,
        }
    }

    /// `-C`: the destination is a regular file with the source's bytes and the owner, group
    /// and mode installing would give it (GNU's need_copy, ids the real ones by default).
    fn up_to_date(&self, src: &[u8], dst: &[u8]) -> bool {
        let reg = |st: &sfd::Stat| st.st_mode & libc::S_IFMT == libc::S_IFREG;
        let (Ok(s), Ok(d)) = (sfd::lstat(src), sfd::lstat(dst)) else {
            return false;
        };
        let (ruid, rgid) = (user::getresuid().0, user::getresgid().0);
        let uid = if self.uid == u32::MAX { ruid } else { self.uid };
        let gid = if self.gid == u32::MAX { rgid } else { self.gid };
        if !reg(&s) || !reg(&d) || extra_mode(s.st_mode) || extra_mode(d.st_mode) {
            return false;
        }
        if s.st_size != d.st_size || d.st_mode & 0o7777 != self.file_mode() {
            return false;
        }
        if d.st_uid != uid || d.st_gid != gid {
            return false;
        }
        let open = |p: &[u8]| sfd::open(p, libc::O_RDONLY | libc::O_CLOEXEC, 0);
        match (open(src), open(dst)) {
            (Ok(a), Ok(b)) => same_content(&a, &b),
            _ => false,
        }
    }

    /// Owner, group, then mode of an installed file or directory.
    fn attrs(&mut self, ctx: &mut Ctx, path: &[u8], dir: bool) -> bool {
        let cwd = sfd::cwd();
        if self.uid != u32::MAX || self.gid != u32::MAX {
            if let Err(e) = sfs::fchownat(cwd, path, self.uid, self.gid, 0) {
                let mut m = b"cannot change ownership of ".to_vec();
                m.extend_from_slice(&quote_always(path));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                return false;
            }
        }
        let mode = match &self.mode {
            Some(md) => apply_mode(md, 0, dir).unwrap_or(0o755),
            None => 0o755,
        };
        if let Err(e) = sfs::fchmodat(cwd, path, mode, 0) {
            let mut m = b"cannot change permissions of ".to_vec();
            m.extend_from_slice(&quote_always(path));
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(&e).as_bytes());
            ctx.msg(&m);
            return false;
        }
        true
    }

    fn file(&mut self, ctx: &mut Ctx, c: &mut Copier, src: &[u8], dst: &[u8]) -> bool {
        let sst = match sfd::stat(src) {
            Ok(s) => s,
            Err(e) => {
                let mut m = b"cannot stat ".to_vec();
                m.extend_from_slice(&quote_always(src));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                return false;
            }
        };
        if sst.st_mode & libc::S_IFMT == libc::S_IFDIR {
            let mut m = b"omitting directory ".to_vec();
            m.extend_from_slice(&quote_always(src));
            ctx.msg(&m);
            return false;
        }
        if let Ok(d) = sfd::stat(dst) {
            if (d.st_dev, d.st_ino) == (sst.st_dev, sst.st_ino) {
                let mut m = quote_always(src);
                m.extend_from_slice(b" and ");
                m.extend_from_slice(&quote_always(dst));
                m.extend_from_slice(b" are the same file");
                ctx.msg(&m);
                return false;
            }
        }
        if self.compare && self.up_to_date(src, dst) {
            return true;
        }
        // An existing destination goes first (a busy executable is replaced, not rewritten).
        let mut backed_up = None;
        if let Ok(d) = sfd::lstat(dst) {
            if let (Some(b), false) = (&self.backup, d.st_mode & libc::S_IFMT == libc::S_IFDIR) {
                match b.make(sfd::cwd(), dst) {
                    Ok(made) => backed_up = made,
                    Err(e) => {
                        let mut m = b"cannot backup ".to_vec();
                        m.extend_from_slice(&quote_always(dst));
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&e).as_bytes());
                        ctx.msg(&m);
                        return false;
                    }
                }
            } else if d.st_mode & libc::S_IFMT != libc::S_IFDIR
                && sfs::unlinkat(sfd::cwd(), dst, 0).is_ok()
                && self.verbose
            {
                let mut l = b"removed ".to_vec();
                l.extend_from_slice(&quote_always(dst));
                l.push(b'\n');
                self.line(ctx, &l);
            }
        }
        if !c.copy(ctx, src, dst) {
            return false;
        }
        if let Some(e) = c.write_error.take() {
            self.werr.get_or_insert(e);
        }
        if self.verbose {
            let mut l = quote_always(src);
            l.extend_from_slice(b" -> ");
            l.extend_from_slice(&quote_always(dst));
            if let Some(b) = &backed_up {
                l.extend_from_slice(&backup::verbose_tail(b));
            }
            l.push(b'\n');
            self.line(ctx, &l);
        }
        if self.strip.is_some() && !self.run_strip(ctx, dst, &sst) {
            // A file strip could not finish is not left behind, as GNU.
            let _ = sfs::unlinkat(sfd::cwd(), dst, 0);
            return false;
        }
        self.attrs(ctx, dst, false)
    }

    /// Runs the strip program on `dst` and waits for it (GNU's messages). The default `strip`
    /// missing from PATH (a scratch image) leaves the file unstripped, quietly; a program
    /// named with `--strip-program` must run. With `-p` the source's times are put back.
    fn run_strip(&mut self, ctx: &mut Ctx, dst: &[u8], src: &sfd::Stat) -> bool {
        let Some((prog, named)) = self.strip.clone() else {
            return true;
        };
        // A name starting with '-' would read as an option.
        let arg = if dst.starts_with(b"-") {
            [b"./", dst].concat()
        } else {
            dst.to_vec()
        };
        let argv = [prog.clone(), arg];
        let ok = match exec::spawn(None, &argv, None, Io::Inherit, Io::Inherit) {
            Err(e) if !named && e.kind() == std::io::ErrorKind::NotFound => return true,
            Err(e) => {
                let mut m = b"cannot run ".to_vec();
                m.extend_from_slice(&quote_always(&prog));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                false
            }
            Ok(mut child) => match child.wait() {
                Ok(st) if st.exit_code() == Some(0) => true,
                Ok(_) => false,
                Err(e) => {
                    let mut m = b"waiting for strip: ".to_vec();
                    m.extend_from_slice(strerror(&e).as_bytes());
                    ctx.msg(&m);
                    return false;
                }
            },
        };
        if !ok {
            ctx.msg(b"strip process terminated abnormally");
            return false;
        }
        if self.times {
            let t = [
                sfs::Time::At(src.st_atime, src.st_atime_nsec as u32),
                sfs::Time::At(src.st_mtime, src.st_mtime_nsec as u32),
            ];
            if let Err(e) = sfs::utimensat(sfd::cwd(), dst, t, 0) {
                let mut m = b"cannot set timestamps for ".to_vec();
                m.extend_from_slice(&quote_always(dst));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.msg(&m);
                return false;
            }
        }
        true
    }
}
