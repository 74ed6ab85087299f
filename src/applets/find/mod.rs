//! `find`: search a directory tree, as GNU findutils 4.9's find.
//!
//! Leading options `-H -L -P` (and `-D`/`-O`, accepted and ignored), paths (default `.`), then
//! an expression of tests, actions and options joined by `! -not ( ) -a -and -o -or ,`
//! (implicit `-a`). Options: `-maxdepth -mindepth -depth -d -xdev -mount -noleaf
//! -ignore_readdir_race -noignore_readdir_race -follow -daystart -regextype -warn -nowarn
//! -files0-from`. Tests: `-name -iname -path -ipath -wholename -iwholename -lname -ilname
//! -regex -iregex -type -xtype` (comma lists) `-size` (`c w b k M G`, rounded up as GNU)
//! `-empty -newer -anewer -cnewer -newerXY` (`X`: a c m; `Y`: a c m t, `t` a date as `date -d`)
//! `-mtime -atime -ctime -mmin -amin -cmin -used` (GNU's rounding) `-perm` (exact, `-`, `/`,
//! symbolic) `-user -group -uid -gid -nouser -nogroup -links -inum -samefile -readable
//! -writable -executable -fstype -true -false`. Actions: `-print -print0 -printf -fprint
//! -fprint0 -fprintf -ls -fls -delete -exec -execdir` (`;` and `+`) `-ok -okdir -prune -quit`.
//! Messages, warnings (shown when standard input is a terminal, as GNU) and exit statuses
//! follow GNU's.
//!
//! The walk is `common::walk` (descriptor-relative, in directory order; like gnulib's fts, a
//! directory of more than 10000 entries is visited in inode order except on tmpfs and NFS).
//! Only what the expression needs is asked of the kernel: `-name` and `-type` run on the
//! names and `d_type` of `getdents` with no stat. `-delete` unlinks relative to the parent's
//! descriptor and `-execdir` runs its command from there (`fchdir` in the child), so a
//! directory swapped for a symlink cannot send either elsewhere.
//!
//! Deviations: `-printf %F` prints the file system type from a short table of magic numbers,
//! `%Z` prints nothing; `-newerB*`/`%B` are refused as GNU does on systems without birth
//! times; `-D` debug output and `-O` levels are accepted and ignored.

mod fmt;
mod parse;

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;

use crate::common::args;
use crate::common::ctx::strerror;
use crate::common::exec::{self, Ran};
use crate::common::fnmatch::{fnmatch, Flags as FnFlags};
use crate::common::fs::Names;
use crate::common::help::{help_text, Help};
use crate::common::io::{Out, BUF_SIZE};
use crate::common::quote::quote_locale;
use crate::common::regex::{Regex, Syntax};
use crate::common::sys::dir::{self, DirBuf};
use crate::common::sys::fd::{self as sysfd, cwd, Stat};
use crate::common::sys::{fs as sysfs, process as sp, user};
use crate::common::walk::{Action, Entry, Follow, Op, Options, Order, Visit, Walker};
use crate::common::Ctx;

const USAGE: Help = help_text!(
    "\
Usage: find [-H] [-L] [-P] [-Olevel] [-D debugopts] [path...] [expression]

Default path is the current directory; default expression is -print.
Expression may consist of: operators, options, tests, and actions.

Operators (decreasing precedence; -and is implicit where no others are given):
      ( EXPR )   ! EXPR   -not EXPR   EXPR1 -a EXPR2   EXPR1 -and EXPR2
      EXPR1 -o EXPR2   EXPR1 -or EXPR2   EXPR1 , EXPR2

Positional options (always true):
      -daystart -follow -nowarn -regextype -warn

Normal options (always true, specified before other expressions):
      -depth -files0-from FILE -maxdepth LEVELS -mindepth LEVELS
       -mount -noleaf -xdev -ignore_readdir_race -noignore_readdir_race

Tests (N can be +N or -N or N):
      -amin N -anewer FILE -atime N -cmin N -cnewer FILE -context CONTEXT
      -ctime N -empty -false -fstype TYPE -gid N -group NAME -ilname PATTERN
      -iname PATTERN -inum N -iwholename PATTERN -iregex PATTERN
      -links N -lname PATTERN -mmin N -mtime N -name PATTERN -newer FILE
      -nouser -nogroup -path PATTERN -perm [-/]MODE -regex PATTERN
      -readable -writable -executable
      -wholename PATTERN -size N[bcwkMG] -true -type [bcdpflsD] -uid N
      -used N -user NAME -xtype [bcdpfls]

Actions:
      -delete -print0 -printf FORMAT -fprintf FILE FORMAT -print 
      -fprint0 FILE -fprint FILE -ls -fls FILE -prune -quit
      -exec COMMAND ; -exec COMMAND {} + -ok COMMAND ;
      -execdir COMMAND ; -execdir COMMAND {} + -okdir COMMAND ;
"
);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cmp {
    Lt,
    Eq,
    Gt,
}

impl Cmp {
    fn test(self, v: u64, n: u64) -> bool {
        match self {
            Cmp::Lt => v < n,
            Cmp::Eq => v == n,
            Cmp::Gt => v > n,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TField {
    A,
    C,
    M,
}

fn ftime(st: &Stat, f: TField) -> (i64, i64) {
    match f {
        TField::A => (st.st_atime, st.st_atime_nsec),
        TField::C => (st.st_ctime, st.st_ctime_nsec),
        TField::M => (st.st_mtime, st.st_mtime_nsec),
    }
}

pub enum Node {
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Comma(Box<Node>, Box<Node>),
    Not(Box<Node>),
    True,
    False,
    Name(Vec<u8>, bool),
    Path(Vec<u8>, bool),
    LName(Vec<u8>, bool),
    Regex(Box<Regex>),
    Type(u16, bool),
    Size(Cmp, u64, u64),
    Empty,
    Age {
        field: TField,
        cmp: Cmp,
        n: f64,
        days: bool,
    },
    Used(Cmp, f64),
    Newer(TField, i64, u32),
    Perm(u8, u32, u32),
    Uid(Cmp, u64),
    Gid(Cmp, u64),
    NoUser,
    NoGroup,
    Links(Cmp, u64),
    Inum(Cmp, u64),
    SameFile(u64, u64),
    Access(i32),
    FsType(Vec<u8>),
    Prune,
    Quit,
    Delete,
    Print(usize, u8),
    Printf(usize, Vec<fmt::Seg>),
    Ls(usize),
    Exec(usize),
}

#[derive(Clone)]
pub struct Opts {
    pub follow: Follow,
    pub maxdepth: Option<usize>,
    pub mindepth: usize,
    pub depth_first: bool,
    pub xdev: bool,
    pub ignore_race: bool,
    pub daystart: bool,
    pub warnings: bool,
    pub regex: Syntax,
    /// The time ages are measured from (now, or the end of today with -daystart).
    pub origin: (i64, u32),
    pub files0: Option<Vec<u8>>,
}

/// An -exec/-execdir/-ok/-okdir action and, for `+`, its pending batch.
pub struct Exec {
    argv: Vec<Vec<u8>>,
    plus: bool,
    dir: bool,
    ok: bool,
    batch: Vec<Vec<u8>>,
    batch_bytes: usize,
    /// -execdir +: the directory the batch runs in (its path, for comparison, and a descriptor).
    batch_dir: Option<(Vec<u8>, OwnedFd)>,
}

impl Exec {
    fn new(argv: Vec<Vec<u8>>, plus: bool, dir: bool, ok: bool) -> Exec {
        Exec {
            argv,
            plus,
            dir,
            ok,
            batch: Vec::new(),
            batch_bytes: 0,
            batch_dir: None,
        }
    }
}

/// The entry being evaluated.
pub struct Cur<'a, 'w> {
    e: &'a mut Entry<'w>,
    root_len: usize,
    stat_failed: bool,
}

const S_IFMT: u32 = libc::S_IFMT;

fn dtype_mode(d: u8) -> u32 {
    match d {
        libc::DT_REG => libc::S_IFREG,
        libc::DT_DIR => libc::S_IFDIR,
        libc::DT_LNK => libc::S_IFLNK,
        libc::DT_CHR => libc::S_IFCHR,
        libc::DT_BLK => libc::S_IFBLK,
        libc::DT_FIFO => libc::S_IFIFO,
        libc::DT_SOCK => libc::S_IFSOCK,
        _ => 0,
    }
}

fn mode_type_bit(m: u32) -> u16 {
    match m & S_IFMT {
        libc::S_IFBLK => 1,
        libc::S_IFCHR => 2,
        libc::S_IFDIR => 4,
        libc::S_IFIFO => 8,
        libc::S_IFREG => 16,
        libc::S_IFLNK => 32,
        libc::S_IFSOCK => 64,
        _ => 0,
    }
}

impl<'a, 'w> Cur<'a, 'w> {
    fn path(&self) -> &'w [u8] {
        self.e.path()
    }
    /// The name -name matches: the last component, a root's trailing slashes dropped.
    fn base(&self) -> &'w [u8] {
        let p = self.e.path();
        if self.e.depth() > 0 {
            return self.e.name();
        }
        let mut end = p.len();
        while end > 1 && p[end - 1] == b'/' {
            end -= 1;
        }
        let t = &p[..end];
        if t == b"/" {
            return t;
        }
        match t.iter().rposition(|&c| c == b'/') {
            Some(i) => &t[i + 1..],
            None => t,
        }
    }
}

/// The state of one run.
struct Find<'c> {
    ctx: &'c mut Ctx,
    opts: Opts,
    execs: Vec<Exec>,
    files: Vec<(Vec<u8>, OwnedFd, Out)>,
    names: Names,
    env: Vec<Vec<u8>>,
    quit: bool,
    prune: bool,
    /// Directories being walked: device, inode, path length (for loop messages).
    ancestors: Vec<(u64, u64, usize)>,
    dirbuf: Option<DirBuf>,
    buf: Vec<u8>,
    arg_limit: usize,
    exec_failed: bool,
    now: (i64, u32),
    zone: Option<crate::common::time::Zone>,
    /// File system types by device, for %F and -fstype.
    fstypes: Vec<(u64, Vec<u8>)>,
    /// The depth of the last entry visited (None at a new start point): -execdir's `+`
    /// batches run when it changes, as GNU's.
    level: Option<usize>,
}

fn is_tty0() -> bool {
    sysfd::isatty(crate::common::io::stdin_fd())
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    if let Some(c) = args::lone_help_version(ctx, &argv, USAGE) {
        return c;
    }
    let argv: Vec<Vec<u8>> = argv.into_iter().skip(1).map(|a| a.into_vec()).collect();
    run(&argv, ctx)
}

fn now() -> (i64, u32) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_secs() as i64, d.subsec_nanos())
}

const DEBUG_FLAGS: [(&str, &str); 9] = [
    (
        "exec",
        "Show diagnostic information relating to -exec, -execdir, -ok and -okdir",
    ),
    (
        "opt",
        "Show diagnostic information relating to optimisation",
    ),
    ("rates", "Indicate how often each predicate succeeded"),
    ("search", "Navigate the directory tree verbosely"),
    ("stat", "Trace calls to stat(2) and lstat(2)"),
    (
        "time",
        "Show diagnostic information relating to time-of-day and timestamp comparisons",
    ),
    ("tree", "Display the expression tree"),
    ("all", "Set all of the debug flags (but help)"),
    ("help", "Explain the various -D options"),
];

/// `-D LIST`: checked as GNU (no debug output is made); `Some(status)` when find stops here.
fn debug_flags(arg: &[u8], ctx: &mut Ctx) -> Option<i32> {
    let mut flags = arg
        .split(|&b| b == b',')
        .filter(|f| !f.is_empty())
        .peekable();
    // GNU's strtok leaves the argument cut at its first comma: every warning names that part
    let first = flags.peek().copied().unwrap_or(b"");
    let mut help = false;
    for f in flags.clone() {
        match DEBUG_FLAGS.iter().find(|(n, _)| n.as_bytes() == f) {
            Some(("help", _)) => help = true,
            Some(_) => {}
            None => {
                let mut m = b"Ignoring unrecognised debug flag ".to_vec();
                m.extend(quote_locale(first));
                ctx.msg(&m);
            }
        }
    }
    if flags.peek().is_none() {
        ctx.error(1, b"Empty argument to the -D option.");
        ctx.try_help();
        return Some(1);
    }
    if help {
        let mut t = String::from("Valid arguments for -D:\n");
        for (n, d) in DEBUG_FLAGS {
            t += &format!("{n:<10} {d}\n");
        }
        let _ = ctx.out.write_all(t.as_bytes());
        return Some(ctx.finish(Ok(())));
    }
    None
}

/// `-OLEVEL`: GNU's checks of the level, which is otherwise unused.
fn opt_level(a: &[u8]) -> Result<(), Vec<u8>> {
    if a.is_empty() {
        return Err(b"The -O option must be immediately followed by a decimal integer".to_vec());
    }
    let digits = a.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return Err(b"Please specify a decimal number immediately after -O".to_vec());
    }
    let invalid = || [&b"Invalid optimisation level "[..], a].concat();
    if digits < a.len() {
        return Err(invalid());
    }
    match std::str::from_utf8(a).ok().and_then(|s| s.parse::<u64>().ok()) {
        None => Err([invalid(), b": Numerical result out of range".to_vec()].concat()),
        Some(n) if n > u16::MAX as u64 => Err(format!(
            "Optimisation level {n} is too high.  If you want to find files very quickly, consider using GNU locate."
        )
        .into_bytes()),
        Some(_) => Ok(()),
    }
}

fn run(argv: &[Vec<u8>], ctx: &mut Ctx) -> i32 {
    let now = now();
    let mut opts = Opts {
        follow: Follow::Never,
        maxdepth: None,
        mindepth: 0,
        depth_first: false,
        xdev: false,
        ignore_race: false,
        daystart: false,
        warnings: is_tty0(),
        // GNU's default is emacs syntax without `findutils-default`'s DOT_NEWLINE (util.c)
        regex: Syntax(0),
        origin: now,
        files0: None,
    };
    // Leading options.
    let mut i = 0;
    while i < argv.len() {
        match argv[i].as_slice() {
            b"-H" => opts.follow = Follow::Roots,
            b"-L" => opts.follow = Follow::All,
            b"-P" => opts.follow = Follow::Never,
            b"-D" => {
                i += 1;
                if i == argv.len() {
                    ctx.error(1, b"Missing argument after the -D option.");
                    ctx.try_help();
                    return 1;
                }
                if let Some(code) = debug_flags(&argv[i], ctx) {
                    return code;
                }
            }
            b"--" => {
                i += 1;
                break;
            }
            a if a.starts_with(b"-O") => {
                if let Err(m) = opt_level(&a[2..]) {
                    ctx.error(1, &m);
                    return 1;
                }
            }
            _ => break,
        }
        i += 1;
    }
    // Paths.
    let start = i;
    while i < argv.len() && !parse::looks_like_expression(&argv[i]) {
        i += 1;
    }
    let paths: Vec<Vec<u8>> = argv[start..i].to_vec();
    let mut p = parse::Parser::new(&argv[i..], opts, now);
    p.start_points = paths.clone();
    let tree = match p.parse() {
        Ok(t) => t,
        Err(m) => {
            for w in std::mem::take(&mut p.warnings_out) {
                ctx.msg(&w);
            }
            if m == b"\0help" {
                let _ = ctx.out.write_all(&USAGE.bytes());
                return ctx.finish(Ok(()));
            }
            if m == b"\0version" {
                let v = format!("find (rbox) {}\n", env!("CARGO_PKG_VERSION"));
                let _ = ctx.out.write_all(v.as_bytes());
                return ctx.finish(Ok(()));
            }
            ctx.error(1, &m);
            return 1;
        }
    };
    for w in std::mem::take(&mut p.warnings_out) {
        ctx.msg(&w);
    }
    if p.uses_delete && p.uses_prune && !p.explicit_depth {
        ctx.error(1, b"The -delete action automatically turns on -depth, but -prune does nothing when -depth is in effect.  If you want to carry on anyway, just explicitly use the -depth option.");
        return 1;
    }
    let env = exec::environ();
    if p.needs_execdir_check {
        let path = exec::env_get(&env, b"PATH").unwrap_or(b"");
        if let Err(m) = parse::check_path_for_execdir(path) {
            ctx.error(1, &m);
            return 1;
        }
    }
    let tree = match tree {
        None => Node::Print(0, b'\n'),
        Some(t) if !p.has_action => Node::And(Box::new(t), Box::new(Node::Print(0, b'\n'))),
        Some(t) => t,
    };
    let files = std::mem::take(&mut p.files)
        .into_iter()
        .map(|f| {
            let out = Out::on(
                sysfd::borrow_raw(std::os::fd::AsRawFd::as_raw_fd(&f.fd)),
                BUF_SIZE,
            );
            (f.name, f.fd, out)
        })
        .collect();
    let env_bytes: usize = env.iter().map(|e| e.len() + 1 + 8).sum();
    let arg_max = sp::arg_max().max(4096) as usize;
    let arg_limit = (128 * 1024)
        .min(arg_max.saturating_sub(env_bytes + 2048))
        .max(4096);
    let opts = p.opts.clone();
    let execs = std::mem::take(&mut p.execs);
    let names = std::mem::take(&mut p.names);
    let mut f = Find {
        ctx,
        opts,
        execs,
        files,
        names,
        env,
        quit: false,
        prune: false,
        ancestors: Vec::new(),
        dirbuf: None,
        buf: Vec::new(),
        arg_limit,
        exec_failed: false,
        now,
        zone: None,
        fstypes: Vec::new(),
        level: None,
    };
    // Roots.
    let mut roots = paths;
    let mut files0_label = None;
    if let Some(src) = f.opts.files0.clone() {
        if !roots.is_empty() {
            f.ctx.error(
                1,
                &[
                    args::extra_operand_msg(&roots[0]).as_slice(),
                    b"\nfind: file operands cannot be combined with -files0-from",
                ]
                .concat(),
            );
            return 1;
        }
        let ok = f.execs.iter().any(|e| e.ok);
        let stdin = crate::common::io::stdin_fd();
        let mut data = Vec::new();
        let (label, read) = if src == b"-" {
            if ok {
                // The answers to -ok would be read from the list itself. (GNU's message ends
                // in an empty line.)
                f.ctx.error(1, b"option -files0-from reading from standard input cannot be combined with -ok, -okdir\n");
                return 1;
            }
            let r = sysfd::read_to_end(stdin, &mut data);
            (quote_locale(b"(standard input)"), r)
        } else {
            let fd = match sysfd::open(&src, libc::O_RDONLY | libc::O_CLOEXEC, 0) {
                Ok(fd) => fd,
                Err(e) => {
                    let m = [
                        b"cannot open ".as_slice(),
                        &quote_locale(&src),
                        b" for reading: ",
                        strerror(&e).as_bytes(),
                    ]
                    .concat();
                    f.ctx.error(1, &m);
                    return 1;
                }
            };
            let id = |fd| sysfd::fstat(fd).map(|st| (st.st_dev, st.st_ino));
            if ok && matches!((id(fd.as_fd()), id(stdin)), (Ok(a), Ok(b)) if a == b) {
                let m = [
                    b"option -files0-from: standard input must not refer to the same file when combined with -ok, -okdir: ".as_slice(),
                    &quote_locale(&src),
                    b"\n",
                ]
                .concat();
                f.ctx.error(1, &m);
                return 1;
            }
            let r = sysfd::read_to_end(fd.as_fd(), &mut data);
            (quote_locale(&src), r)
        };
        if let Err(e) = read {
            let m = [label.as_slice(), b": read error: ", strerror(&e).as_bytes()].concat();
            f.ctx.error(1, &m);
        }
        if data.last() == Some(&0) {
            data.pop();
        }
        if !data.is_empty() {
            roots.extend(data.split(|&c| c == 0).map(<[u8]>::to_vec));
        }
        files0_label = Some(label);
    } else if roots.is_empty() {
        roots.push(b".".to_vec());
    }
    let mut walker = Walker::new(Options {
        follow: f.opts.follow,
        xdev: f.opts.xdev,
        order: Order::Raw,
        ..Options::default()
    });
    let mut dangling_walker: Option<Walker> = None;
    for (n, root) in roots.iter().enumerate() {
        if root.is_empty() {
            let m = match &files0_label {
                Some(l) => {
                    let at = format!(":{}: invalid zero-length file name", n + 1);
                    [l.as_slice(), at.as_bytes()].concat()
                }
                None => [quote_locale(b"").as_slice(), b": No such file or directory"].concat(),
            };
            f.ctx.error(1, &m);
            continue;
        }
        let tree = &tree;
        let fref = &mut f;
        let root_len = root.len();
        // -H/-L: a dangling symlink named as a root is the symlink itself, as one met in the
        // tree is (GNU prints it rather than an error).
        let w = if fref.opts.follow != Follow::Never && dangling(root) {
            dangling_walker.get_or_insert_with(|| {
                Walker::new(Options {
                    xdev: fref.opts.xdev,
                    order: Order::Raw,
                    ..Options::default()
                })
            })
        } else {
            &mut walker
        };
        fref.level = None;
        w.walk(cwd(), root, |e, v| fref.visit(tree, e, v, root_len));
        if f.quit {
            break;
        }
    }
    f.finish_execs();
    f.flush_all();
    let st = f.ctx.finish(Ok(()));
    if f.exec_failed && st == 0 {
        1
    } else {
        st
    }
}

/// Is `path` a symlink whose target is missing? (Not a loop nor a target under a non-directory,
/// which GNU reports as errors for a root.)
fn dangling(path: &[u8]) -> bool {
    match sysfd::fstatat(cwd(), path, 0) {
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
            sysfd::fstatat(cwd(), path, libc::AT_SYMLINK_NOFOLLOW)
                .is_ok_and(|st| st.st_mode & S_IFMT == libc::S_IFLNK)
        }
        _ => false,
    }
}

impl<'c> Find<'c> {
    fn report(&mut self, path: &[u8], e: &io::Error) {
        let mut m = quote_locale(path);
        m.extend_from_slice(b": ");
        m.extend_from_slice(strerror(e).as_bytes());
        self.ctx.error(1, &m);
    }

    fn visit(&mut self, tree: &Node, e: &mut Entry, v: Visit, root_len: usize) -> Action {
        let depth = e.depth();
        if !matches!(v, Visit::Children(_)) && self.level != Some(depth) {
            self.level = Some(depth);
            for i in 0..self.execs.len() {
                if self.execs[i].dir {
                    self.flush_exec(i);
                }
            }
        }
        let mindepth = self.opts.mindepth;
        match v {
            Visit::Pre => {
                let at_max = self.opts.maxdepth.is_some_and(|m| depth >= m);
                let no_post = at_max || e.other_device();
                self.prune = false;
                if (!self.opts.depth_first || no_post) && depth >= mindepth {
                    self.apply(tree, e, root_len);
                }
                if self.quit {
                    return Action::Stop;
                }
                if no_post || (self.prune && !self.opts.depth_first) {
                    return Action::Skip;
                }
                if let Some(st) = e.cached_stat() {
                    self.ancestors.push((st.st_dev, st.st_ino, e.path().len()));
                }
                Action::Continue
            }
            Visit::Children(kids) => {
                if kids.len() > 10000 {
                    if let Some(fd) = e.fd() {
                        let sortable = sysfs::fstatfs(fd)
                            .map(|s| !matches!(s.ftype, 0x0102_1994 | 0x6969))
                            .unwrap_or(false);
                        if sortable {
                            kids.sort_by(|a, b| a.ino.cmp(&b.ino));
                        }
                    }
                }
                Action::Continue
            }
            Visit::Post => {
                self.ancestors.pop();
                if self.opts.depth_first && depth >= mindepth {
                    self.apply(tree, e, root_len);
                }
                if self.quit {
                    Action::Stop
                } else {
                    Action::Continue
                }
            }
            Visit::Leaf => {
                let followed = match self.opts.follow {
                    Follow::All => true,
                    Follow::Roots => depth == 0,
                    Follow::Never => false,
                };
                if followed
                    && e.cached_stat()
                        .is_some_and(|s| s.st_mode & S_IFMT == libc::S_IFLNK)
                {
                    // -L: a link left as a link is dangling, or a loop (an error, as GNU's),
                    // or points under a non-directory (an error, and visited all the same).
                    if let Err(err) = sysfd::fstatat(e.parent(), e.name(), 0) {
                        match err.raw_os_error() {
                            Some(libc::ELOOP) => {
                                self.report(e.path(), &err);
                                return Action::Continue;
                            }
                            Some(libc::ENOTDIR) => self.report(e.path(), &err),
                            _ => {}
                        }
                    }
                }
                if depth >= mindepth {
                    self.apply(tree, e, root_len);
                }
                if self.quit {
                    Action::Stop
                } else {
                    Action::Continue
                }
            }
            Visit::Error(op, err) => {
                match op {
                    Op::Loop => {
                        let (dev, ino) = e
                            .cached_stat()
                            .map(|s| (s.st_dev, s.st_ino))
                            .unwrap_or((0, 0));
                        let anc = self
                            .ancestors
                            .iter()
                            .find(|a| a.0 == dev && a.1 == ino)
                            .map(|a| a.2)
                            .unwrap_or(0);
                        let path = e.path();
                        let mut m = b"File system loop detected; ".to_vec();
                        m.extend_from_slice(&quote_locale(path));
                        m.extend_from_slice(b" is part of the same file system loop as ");
                        m.extend_from_slice(&quote_locale(&path[..anc]));
                        m.push(b'.');
                        self.ctx.error(1, &m);
                    }
                    Op::Open => {
                        let at_max = self.opts.maxdepth.is_some_and(|m| depth >= m);
                        let race = err.raw_os_error() == Some(libc::ENOENT);
                        if race && self.opts.ignore_race && depth > 0 {
                            return Action::Continue;
                        }
                        if race {
                            self.report(e.path(), &err);
                            return Action::Continue;
                        }
                        self.prune = false;
                        if (!self.opts.depth_first || at_max) && depth >= mindepth {
                            self.apply(tree, e, root_len);
                        }
                        if !at_max && (!self.prune || self.opts.depth_first) && !self.quit {
                            self.report(e.path(), &err);
                            if self.opts.depth_first && depth >= mindepth {
                                self.apply(tree, e, root_len);
                            }
                        }
                    }
                    Op::Stat => {
                        let race = err.raw_os_error() == Some(libc::ENOENT);
                        if !(race && self.opts.ignore_race && depth > 0) {
                            self.report(e.path(), &err);
                        }
                    }
                    Op::Read | Op::Parent => self.report(e.path(), &err),
                }
                if self.quit {
                    Action::Stop
                } else {
                    Action::Continue
                }
            }
        }
    }

    fn apply(&mut self, tree: &Node, e: &mut Entry, root_len: usize) {
        let mut c = Cur {
            e,
            root_len,
            stat_failed: false,
        };
        self.eval(tree, &mut c);
    }

    /// The entry's stat (per the follow mode); an error is reported once and gives None.
    fn stat<'x>(&mut self, c: &'x mut Cur) -> Option<&'x Stat> {
        if c.stat_failed {
            return None;
        }
        match c.e.stat() {
            Ok(_) => c.e.cached_stat(),
            Err(err) => {
                c.stat_failed = true;
                let race = err.raw_os_error() == Some(libc::ENOENT);
                if !(race && self.opts.ignore_race) {
                    self.report(c.e.path(), &err);
                }
                None
            }
        }
    }

    /// The file type bits (S_IFMT), from d_type when that suffices.
    fn ftype(&mut self, c: &mut Cur) -> Option<u32> {
        if let Some(st) = c.e.cached_stat() {
            return Some(st.st_mode & S_IFMT);
        }
        let d = c.e.dtype();
        if d != libc::DT_UNKNOWN && !(d == libc::DT_LNK && c.e.follows()) {
            return Some(dtype_mode(d));
        }
        self.stat(c).map(|s| s.st_mode & S_IFMT)
    }

    fn eval(&mut self, n: &Node, c: &mut Cur) -> bool {
        // After -quit nothing more of the expression runs (GNU exits there: `-name x -quit
        // -print` prints nothing).
        if self.quit {
            return false;
        }
        match n {
            Node::And(a, b) => self.eval(a, c) && self.eval(b, c),
            Node::Or(a, b) => self.eval(a, c) || self.eval(b, c),
            Node::Comma(a, b) => {
                self.eval(a, c);
                self.eval(b, c)
            }
            Node::Not(a) => !self.eval(a, c),
            Node::True => true,
            Node::False => false,
            Node::Name(p, fold) => fnmatch(
                p,
                c.base(),
                FnFlags {
                    casefold: *fold,
                    ..FnFlags::PLAIN
                },
            ),
            Node::Path(p, fold) => fnmatch(
                p,
                c.path(),
                FnFlags {
                    casefold: *fold,
                    ..FnFlags::PLAIN
                },
            ),
            Node::LName(p, fold) => {
                let Some(st) = self.stat(c) else { return false };
                if st.st_mode & S_IFMT != libc::S_IFLNK {
                    return false;
                }
                let size = st.st_size as usize;
                match sysfs::readlinkat(c.e.parent(), c.e.name(), size) {
                    Ok(t) => fnmatch(
                        p,
                        &t,
                        FnFlags {
                            casefold: *fold,
                            ..FnFlags::PLAIN
                        },
                    ),
                    Err(_) => false,
                }
            }
            Node::Regex(r) => {
                let p = c.path();
                let mut caps = [None; 1];
                r.match_at(p, 0, 0, &mut caps) && caps[0].is_some_and(|(_, e)| e == p.len())
            }
            Node::Type(mask, x) => {
                let m = if *x { self.xtype(c) } else { self.ftype(c) };
                m.is_some_and(|m| mode_type_bit(m) & mask != 0)
            }
            Node::Size(cmp, n, unit) => {
                let Some(st) = self.stat(c) else { return false };
                let sz = st.st_size.max(0) as u64;
                let v = sz.div_ceil(*unit);
                cmp.test(v, *n)
            }
            Node::Empty => self.empty(c),
            Node::Age {
                field,
                cmp,
                n,
                days,
            } => {
                let Some(st) = self.stat(c) else { return false };
                let (s, ns) = ftime(st, *field);
                let o = self.opts.origin;
                let age = (o.0 - s) as f64 + (o.1 as f64 - ns as f64) * 1e-9;
                // GNU's windows (parse_time, do_parse_xmin): `-N` days are measured from a
                // second before the origin, `+N` days from a day before it
                if *days {
                    let u = 86400.0;
                    match cmp {
                        Cmp::Gt => age > (n + 1.0) * u,
                        Cmp::Lt => age < n * u + 1.0,
                        Cmp::Eq => age >= n * u && age < (n + 1.0) * u,
                    }
                } else {
                    let u = 60.0;
                    match cmp {
                        Cmp::Gt => age > n * u,
                        Cmp::Lt => age < n * u,
                        Cmp::Eq => age >= (n - 1.0) * u && age < n * u,
                    }
                }
            }
            Node::Used(cmp, n) => {
                // GNU: never when the access is older than the change; else the days from
                // change to access, a bare N meaning at least N-1 and less than N (so 0 never).
                let Some(st) = self.stat(c) else { return false };
                if (st.st_atime, st.st_atime_nsec) < (st.st_ctime, st.st_ctime_nsec) {
                    return false;
                }
                let d = (st.st_atime - st.st_ctime) as f64
                    + (st.st_atime_nsec - st.st_ctime_nsec) as f64 * 1e-9;
                let n = *n * 86400.0;
                match cmp {
                    Cmp::Gt => d > n,
                    Cmp::Lt => d < n,
                    Cmp::Eq => d >= n - 86400.0 && d < n,
                }
            }
            Node::Newer(f, s, ns) => {
                let Some(st) = self.stat(c) else { return false };
                let (a, b) = ftime(st, *f);
                (a, b) > (*s, *ns as i64)
            }
            Node::Perm(kind, fm, dm) => {
                let Some(st) = self.stat(c) else { return false };
                let want = if st.st_mode & S_IFMT == libc::S_IFDIR {
                    *dm
                } else {
                    *fm
                };
                let m = st.st_mode & 0o7777;
                match kind {
                    b'-' => m & want == want,
                    b'/' => want == 0 || m & want != 0,
                    _ => m == want,
                }
            }
            Node::Uid(cmp, n) => self.stat(c).is_some_and(|s| cmp.test(s.st_uid as u64, *n)),
            Node::Gid(cmp, n) => self.stat(c).is_some_and(|s| cmp.test(s.st_gid as u64, *n)),
            Node::NoUser => match self.stat(c) {
                Some(s) => {
                    let u = s.st_uid;
                    self.names.user(u).is_none()
                }
                None => false,
            },
            Node::NoGroup => match self.stat(c) {
                Some(s) => {
                    let g = s.st_gid;
                    self.names.group(g).is_none()
                }
                None => false,
            },
            Node::Links(cmp, n) => self.stat(c).is_some_and(|s| cmp.test(s.st_nlink, *n)),
            Node::Inum(cmp, n) => {
                if c.e.ino() != 0 && c.e.cached_stat().is_none() && !c.e.follows() {
                    return cmp.test(c.e.ino(), *n);
                }
                self.stat(c).is_some_and(|s| cmp.test(s.st_ino, *n))
            }
            Node::SameFile(d, i) => self
                .stat(c)
                .is_some_and(|s| s.st_dev == *d && s.st_ino == *i),
            Node::Access(m) => user::eaccessat(c.e.parent(), c.e.name(), *m).is_ok(),
            Node::FsType(t) => {
                let Some(st) = self.stat(c) else { return false };
                let st = *st;
                fmt::fs_type(self, &st) == t.as_slice()
            }
            Node::Prune => {
                self.prune = true;
                true
            }
            Node::Quit => {
                self.quit = true;
                true
            }
            Node::Delete => self.delete(c),
            Node::Print(o, term) => {
                let p = c.path();
                let out = self.out(*o);
                let r = out.write_all(p).and_then(|_| out.byte(*term));
                self.check_write(*o, r);
                true
            }
            Node::Printf(o, segs) => {
                let mut buf = std::mem::take(&mut self.buf);
                buf.clear();
                let too_wide = fmt::render(self, segs, c, &mut buf);
                let out = self.out(*o);
                let r = out.write_all(&buf);
                self.buf = buf;
                self.check_write(*o, r);
                for _ in 0..too_wide {
                    self.check_write(*o, Err(io::Error::from_raw_os_error(libc::EOVERFLOW)));
                }
                true
            }
            Node::Ls(o) => {
                let mut buf = std::mem::take(&mut self.buf);
                buf.clear();
                if fmt::ls(self, c, &mut buf) {
                    let out = self.out(*o);
                    let r = out.write_all(&buf);
                    self.check_write(*o, r);
                }
                self.buf = buf;
                true
            }
            Node::Exec(i) => self.exec(*i, c),
        }
    }

    fn out(&mut self, o: usize) -> &mut Out {
        if o == 0 {
            &mut self.ctx.out
        } else {
            &mut self.files[o - 1].2
        }
    }

    fn check_write(&mut self, o: usize, r: io::Result<()>) {
        if let Err(e) = r {
            if o > 0 {
                let name = self.files[o - 1].0.clone();
                self.report(&name, &e);
            } else {
                self.report(b"standard output", &e);
            }
        }
    }

    fn flush_all(&mut self) {
        for i in 0..self.files.len() {
            let r = self.files[i].2.flush();
            self.check_write(i + 1, r);
        }
    }

    fn xtype(&mut self, c: &mut Cur) -> Option<u32> {
        let m = self.ftype(c)?;
        if c.e.follows() {
            // -L: the link itself when it is one (a dangling link is one already).
            return match sysfd::fstatat(c.e.parent(), c.e.name(), libc::AT_SYMLINK_NOFOLLOW) {
                Ok(s) => Some(s.st_mode & S_IFMT),
                Err(_) => Some(m),
            };
        }
        if m != libc::S_IFLNK {
            return Some(m);
        }
        match sysfd::fstatat(c.e.parent(), c.e.name(), 0) {
            Ok(s) => Some(s.st_mode & S_IFMT),
            Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {
                Some(libc::S_IFLNK)
            }
            Err(e) => {
                self.report(c.e.path(), &e);
                None
            }
        }
    }

    fn empty(&mut self, c: &mut Cur) -> bool {
        let Some(st) = self.stat(c) else { return false };
        match st.st_mode & S_IFMT {
            libc::S_IFREG => st.st_size == 0,
            libc::S_IFDIR => {
                // A fresh descriptor reads from the start (the walker's may have been read);
                // opened from the parent, it needs only read permission, as GNU's.
                let fresh = match dir::open_dir(c.e.parent(), c.e.name(), c.e.follows()) {
                    Ok(f) => f,
                    Err(e) => {
                        self.report(c.e.path(), &e);
                        return false;
                    }
                };
                let db = self.dirbuf.get_or_insert_with(DirBuf::new);
                let mut any = false;
                let _ = dir::read_dir(fresh.as_fd(), db, |d| {
                    if !dir::is_dot_or_dotdot(d.name) {
                        any = true;
                    }
                });
                !any
            }
            _ => false,
        }
    }

    fn delete(&mut self, c: &mut Cur) -> bool {
        let name = c.e.name();
        if c.e.depth() == 0 && (name == b"." || name == b"./") {
            return true;
        }
        // the type seen, followed under -L: a link to a directory is then an rmdir that fails
        // with ENOTDIR, as GNU's
        let is_dir = self.ftype(c) == Some(libc::S_IFDIR);
        let flag = if is_dir { libc::AT_REMOVEDIR } else { 0 };
        match sysfs::unlinkat(c.e.parent(), name, flag) {
            Ok(()) => true,
            Err(e) => {
                if e.raw_os_error() == Some(libc::ENOENT) && self.opts.ignore_race {
                    return true;
                }
                let mut m = b"cannot delete ".to_vec();
                m.extend_from_slice(&quote_locale(c.e.path()));
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                self.ctx.error(1, &m);
                false
            }
        }
    }

    /// For -execdir: the directory (a descriptor, and its path for batching) and `./NAME`.
    fn exec_dir(&mut self, c: &Cur) -> io::Result<(Vec<u8>, Option<OwnedFd>, Vec<u8>)> {
        let p = c.e.path();
        if c.e.depth() > 0 {
            let name = c.e.name();
            let mut arg = b"./".to_vec();
            arg.extend_from_slice(name);
            let key = p[..p.len() - name.len()].to_vec();
            return Ok((key, None, arg));
        }
        let mut end = p.len();
        while end > 1 && p[end - 1] == b'/' {
            end -= 1;
        }
        if &p[..end] == b"/" {
            // The root directory has no name in a parent: GNU passes `/` itself.
            let fd = sysfd::openat(cwd(), b"/", dir::DIR_FLAGS, 0)?;
            return Ok((b"/".to_vec(), Some(fd), b"/".to_vec()));
        }
        let (dirp, base): (&[u8], &[u8]) = match p[..end].iter().rposition(|&c| c == b'/') {
            Some(0) => (b"/", &p[1..]),
            Some(i) => (&p[..i], &p[i + 1..]),
            None => (b".", p),
        };
        let fd = sysfd::openat(cwd(), dirp, dir::DIR_FLAGS, 0)?;
        let mut arg = b"./".to_vec();
        arg.extend_from_slice(base);
        Ok((dirp.to_vec(), Some(fd), arg))
    }

    fn exec(&mut self, i: usize, c: &mut Cur) -> bool {
        let (dir, ok, plus) = (self.execs[i].dir, self.execs[i].ok, self.execs[i].plus);
        let (key, dirfd, arg) = if dir {
            match self.exec_dir(c) {
                Ok(x) => x,
                Err(e) => {
                    self.report(c.e.path(), &e);
                    return false;
                }
            }
        } else {
            (Vec::new(), None, c.path().to_vec())
        };
        if plus {
            if dir {
                let same = self.execs[i].batch_dir.as_ref().is_some_and(|b| b.0 == key);
                if !same {
                    self.flush_exec(i);
                    let fd = match dirfd {
                        Some(f) => f,
                        None => match sysfd::dup_min(c.e.parent(), 3) {
                            Ok(f) => f,
                            Err(e) => {
                                self.report(c.e.path(), &e);
                                return false;
                            }
                        },
                    };
                    self.execs[i].batch_dir = Some((key, fd));
                }
            }
            let base: usize = self.execs[i].argv.iter().map(|a| a.len() + 1).sum();
            let x = &self.execs[i];
            if !x.batch.is_empty() && base + x.batch_bytes + arg.len() + 1 > self.arg_limit {
                self.flush_exec(i);
            }
            let x = &mut self.execs[i];
            x.batch_bytes += arg.len() + 1;
            x.batch.push(arg);
            return true;
        }
        let argv: Vec<Vec<u8>> = self.execs[i]
            .argv
            .iter()
            .map(|a| replace_braces(a, &arg))
            .collect();
        if ok {
            // the command's name as given, `{}` not replaced (GNU's prompt)
            let mut q = b"< ".to_vec();
            q.extend_from_slice(&self.execs[i].argv[0]);
            q.extend_from_slice(b" ... ");
            q.extend_from_slice(c.path());
            q.extend_from_slice(b" > ? ");
            let _ = self.ctx.out.flush();
            self.flush_all();
            let _ = sysfd::write_all(crate::common::io::stderr_fd(), &q);
            if !crate::common::io::yesno() {
                return false;
            }
        }
        let dfd: Option<BorrowedFd> = if dir {
            Some(dirfd.as_ref().map(|f| f.as_fd()).unwrap_or(c.e.parent()))
        } else {
            None
        };
        self.spawn(&argv, dfd, ok) == Some(0)
    }

    fn flush_exec(&mut self, i: usize) {
        let x = &mut self.execs[i];
        if x.batch.is_empty() {
            return;
        }
        let mut argv = x.argv.clone();
        argv.append(&mut x.batch);
        x.batch_bytes = 0;
        let bd = x.batch_dir.take();
        let st = self.spawn(&argv, bd.as_ref().map(|b| b.1.as_fd()), false);
        if st != Some(0) {
            self.exec_failed = true;
        }
    }

    fn finish_execs(&mut self) {
        for i in 0..self.execs.len() {
            self.flush_exec(i);
        }
    }

    /// Runs `argv` (in `dir` if given) and waits: its exit status, None if killed.
    fn spawn(
        &mut self,
        argv: &[Vec<u8>],
        dir: Option<BorrowedFd>,
        null_stdin: bool,
    ) -> Option<i32> {
        let _ = self.ctx.out.flush();
        self.flush_all();
        match sp::fork() {
            Ok(sp::Fork::Child) => {
                if let Some(d) = dir {
                    if let Err(e) = sp::fchdir(d) {
                        self.ctx
                            .msgf(format_args!("cannot change directory: {}", strerror(&e)));
                        sp::exit_now(1);
                    }
                }
                if null_stdin {
                    if let Ok(n) = sysfd::open(b"/dev/null", libc::O_RDONLY, 0) {
                        let _ = sysfd::dup2(n.as_fd(), 0);
                    }
                }
                let st = match exec::exec(argv, &self.env) {
                    Ran::Applet(st) => st,
                    Ran::Failed(e) => {
                        let mut m = quote_locale(&argv[0]);
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&e).as_bytes());
                        self.ctx.msg(&m);
                        1
                    }
                };
                sp::exit_now(st)
            }
            Ok(sp::Fork::Parent(pid)) => loop {
                match sp::waitpid(pid, 0) {
                    Ok(Some((_, ws))) => {
                        if let Some(s) = ws.term_signal() {
                            let m = [
                                quote_locale(&argv[0]).as_slice(),
                                b" terminated by signal ",
                                s.to_string().as_bytes(),
                            ]
                            .concat();
                            self.ctx.error(1, &m);
                            return None;
                        }
                        return ws.exit_code();
                    }
                    Ok(None) => continue,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => return None,
                }
            },
            Err(e) => {
                self.ctx
                    .errorf(1, format_args!("cannot fork: {}", strerror(&e)));
                None
            }
        }
    }
}

/// Every `{}` in `a` replaced by `path` (GNU does it inside words for `;`).
fn replace_braces(a: &[u8], path: &[u8]) -> Vec<u8> {
    if !a.windows(2).any(|w| w == b"{}") {
        return a.to_vec();
    }
    let mut v = Vec::with_capacity(a.len() + path.len());
    let mut i = 0;
    while i < a.len() {
        if a[i..].starts_with(b"{}") {
            v.extend_from_slice(path);
            i += 2;
        } else {
            v.push(a[i]);
            i += 1;
        }
    }
    v
}
