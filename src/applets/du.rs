//! `du`: estimate file space usage.
//!
//! GNU coreutils 9: a total per directory (post-order, `SIZE<TAB>NAME`), `-a` for files too,
//! `-s`, `-d N`, `-c` grand total, `-S`, `-x`, `-l`, `-L`/`-H`/`-D`/`-P`, `--apparent-size`,
//! `-b`, `--inodes`, `-t SIZE`, `-0`, `--exclude=PATTERN`, `-X FILE`, and sizes through
//! `common::blocksize` (`-h`, `--si`, `-k`, `-m`, `-B SIZE`, `DU_BLOCK_SIZE`/`BLOCK_SIZE`/
//! `BLOCKSIZE`, 512-byte units under POSIXLY_CORRECT). A file with several hard links is counted
//! once (everything is, with several operands or `-L`, so `du d d` counts `d` once). The
//! tree is read through `common::walk` (descriptor-relative, directory order as GNU's fts).
//! Deviations: no `--time`, `--time-style` or `--files0-from`.

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::sync::Mutex;

use crate::common::args::{self, Opt, Spec};
use crate::common::blocksize::BlockSize;
use crate::common::ctx::strerror;
use crate::common::fnmatch::{fnmatch, Flags};
use crate::common::help::help_text;
use crate::common::quote::{quote_always, quote_if_needed};
use crate::common::sys::{cwd, fd::Stat};
use crate::common::walk::{self, Action, Follow, Op, Options, Visit, Walker};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("all", Some(b'a'), Some("all")),
        Opt::flag("apparent-size", None, Some("apparent-size")),
        Opt::arg("B", Some(b'B'), None),
        Opt::arg("block-size", None, Some("block-size")),
        Opt::flag("bytes", Some(b'b'), Some("bytes")),
        Opt::flag("count-links", Some(b'l'), Some("count-links")),
        Opt::flag("dereference", Some(b'L'), Some("dereference")),
        Opt::flag("dereference-args", Some(b'D'), Some("dereference-args")),
        Opt::arg("exclude", None, Some("exclude")),
        Opt::arg("exclude-from", Some(b'X'), Some("exclude-from")),
        Opt::flag("human-readable", Some(b'h'), Some("human-readable")),
        Opt::flag("inodes", None, Some("inodes")),
        Opt::flag("si", None, Some("si")),
        Opt::arg("d", Some(b'd'), None),
        Opt::arg("max-depth", None, Some("max-depth")),
        Opt::flag("null", Some(b'0'), Some("null")),
        Opt::flag("no-dereference", Some(b'P'), Some("no-dereference")),
        Opt::flag("one-file-system", Some(b'x'), Some("one-file-system")),
        Opt::flag("separate-dirs", Some(b'S'), Some("separate-dirs")),
        Opt::flag("summarize", Some(b's'), Some("summarize")),
        Opt::flag("total", Some(b'c'), Some("total")),
        Opt::arg("t", Some(b't'), None),
        Opt::arg("threshold", None, Some("threshold")),
        Opt::flag("dereference-args", Some(b'H'), None),
        Opt::flag("k", Some(b'k'), None),
        Opt::flag("m", Some(b'm'), None),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: du [OPTION]... [FILE]...
Summarize device usage of the set of FILEs, recursively for directories.

Mandatory arguments to long options are mandatory for short options too.
  -0, --null            end each output line with NUL, not newline
  -a, --all             write counts for all files, not just directories
      --apparent-size   print apparent sizes rather than device usage; although
                          the apparent size is usually smaller, it may be
                          larger due to holes in ('sparse') files, internal
                          fragmentation, indirect blocks, and the like
  -B, --block-size=SIZE  scale sizes by SIZE before printing them; e.g.,
                           '-BM' prints sizes in units of 1,048,576 bytes;
                           see SIZE format below
  -b, --bytes           equivalent to '--apparent-size --block-size=1'
  -c, --total           produce a grand total
  -D, --dereference-args  dereference only symlinks that are listed on the
                          command line
  -d, --max-depth=N     print the total for a directory (or file, with --all)
                          only if it is N or fewer levels below the command
                          line argument;  --max-depth=0 is the same as
                          --summarize
  -H                    equivalent to --dereference-args (-D)
  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)
      --inodes          list inode usage information instead of block usage
  -k                    like --block-size=1K
  -L, --dereference     dereference all symbolic links
  -l, --count-links     count sizes many times if hard linked
  -m                    like --block-size=1M
  -P, --no-dereference  don't follow any symbolic links (this is the default)
  -S, --separate-dirs   for directories do not include size of subdirectories
      --si              like -h, but use powers of 1000 not 1024
  -s, --summarize       display only a total for each argument
  -t, --threshold=SIZE  exclude entries smaller than SIZE if positive,
                          or entries greater than SIZE if negative
  -X, --exclude-from=FILE  exclude files that match any pattern in FILE
      --exclude=PATTERN    exclude files that match PATTERN
  -x, --one-file-system    skip directories on different file systems
      --help        display this help and exit
      --version     output version information and exit

Display values are in units of the first available SIZE from --block-size,
and the DU_BLOCK_SIZE, BLOCK_SIZE and BLOCKSIZE environment variables.
Otherwise, units default to 1024 bytes (or 512 if POSIXLY_CORRECT is set).

The SIZE argument is an integer and optional unit (example: 10K is 10*1024).
Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.
"
    ),
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Count {
    Blocks,
    Apparent,
    Inodes,
}

struct Du {
    all: bool,
    count: Count,
    count_links: bool,
    separate: bool,
    xdev: bool,
    max_depth: usize,
    threshold: i128,
    bs: BlockSize,
    end: u8,
    excludes: Vec<Vec<u8>>,
    /// (dev, ino) of files with several links (of everything with several operands or -L).
    /// A map with empty values as the hard-link maps of tar and cp: one hash table
    /// instantiation instead of a set of its own.
    seen: Mutex<HashMap<(u64, u64), Vec<u8>>>,
    hash_all: bool,
    follow: Follow,
}

/// `invalid -B argument 'x'` / `invalid --block-size argument 'x'`, exit 1.
fn bad_arg(opt: &str, v: &OsString) -> Error {
    let mut msg = format!("invalid {opt} argument ").into_bytes();
    msg.extend_from_slice(&quote_always(v.as_bytes()));
    Error::new(1, msg)
}

/// A threshold: an integer with an optional sign and block-size suffix (`-t -1M`).
fn threshold(v: &[u8]) -> Option<i128> {
    let (neg, mag) = match v.strip_prefix(b"-") {
        Some(m) => (true, m),
        None => (false, v.strip_prefix(b"+").unwrap_or(v)),
    };
    let digits = mag.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let n = if mag[..digits].iter().all(|&b| b == b'0') {
        // Zero is a threshold (no limit) though not a block size: check only its suffix.
        BlockSize::parse(&[b"1", &mag[digits..]].concat())?;
        0
    } else {
        BlockSize::parse(mag)?.size as i128
    };
    Some(if neg { -n } else { n })
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut bs = BlockSize::from_env("DU_BLOCK_SIZE");
    let mut count = Count::Blocks;
    let mut follow = Follow::Never;
    let mut max_depth: Option<usize> = None;
    let mut thr: i128 = 0;
    let mut excludes = Vec::new();
    for (id, v) in &m.opts {
        let v = v.as_ref();
        match Id::of(id.as_bytes()) {
            Some(Id::ApparentSize) => count = Count::Apparent,
            Some(Id::Bytes) => {
                count = Count::Apparent;
                bs = BlockSize::units(1);
            }
            Some(Id::CapB) | Some(Id::BlockSize) => {
                let v = v.unwrap_or_else(|| unreachable!());
                let name = if *id == "B" { "-B" } else { "--block-size" };
                bs = BlockSize::parse(v.as_bytes()).ok_or_else(|| bad_arg(name, v))?;
            }
            Some(Id::HumanReadable) => bs = BlockSize::HUMAN,
            Some(Id::Si) => bs = BlockSize::SI,
            Some(Id::K) => bs = BlockSize::units(1024),
            Some(Id::M) => bs = BlockSize::MEGA,
            Some(Id::Dereference) => follow = Follow::All,
            Some(Id::DereferenceArgs) => follow = Follow::Roots,
            Some(Id::NoDereference) => follow = Follow::Never,
            Some(Id::D) | Some(Id::MaxDepth) => {
                let v = v.unwrap_or_else(|| unreachable!());
                let n = std::str::from_utf8(v.as_bytes())
                    .ok()
                    .and_then(|s| s.trim_start().parse::<u64>().ok());
                let Some(n) = n else {
                    let mut msg = b"invalid maximum depth ".to_vec();
                    msg.extend_from_slice(&quote_always(v.as_bytes()));
                    return Err(args::usage_error(ctx, &SPEC, &msg, 1));
                };
                max_depth = Some(n.min(usize::MAX as u64) as usize);
            }
            Some(Id::T) | Some(Id::Threshold) => {
                let v = v.unwrap_or_else(|| unreachable!());
                let name = if *id == "t" { "-t" } else { "--threshold" };
                thr = threshold(v.as_bytes()).ok_or_else(|| {
                    // A number with a bad suffix gets xstrtol's other message, as GNU's.
                    let b = v.as_bytes();
                    let b = b.strip_prefix(b"-").or(b.strip_prefix(b"+")).unwrap_or(b);
                    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
                        let mut m = format!("{name} argument ").into_bytes();
                        m.extend_from_slice(&quote_always(v.as_bytes()));
                        m.extend_from_slice(b" too large");
                        Error::new(1, m)
                    } else if b.first().is_some_and(u8::is_ascii_digit) {
                        bad_arg(&format!("suffix in {name}"), v)
                    } else {
                        bad_arg(name, v)
                    }
                })?;
                if thr == 0 && v.as_bytes().first() == Some(&b'-') {
                    let mut msg = b"invalid --threshold argument ".to_vec();
                    msg.extend_from_slice(&quote_always(v.as_bytes()));
                    return Err(Error::new(1, msg));
                }
            }
            Some(Id::Exclude) => {
                excludes.push(v.unwrap_or_else(|| unreachable!()).as_bytes().to_vec())
            }
            Some(Id::ExcludeFrom) => {
                let v = v.unwrap_or_else(|| unreachable!());
                let data = if v.as_bytes() == b"-" {
                    let mut d = Vec::new();
                    crate::common::sys::fd::read_to_end(crate::common::io::stdin_fd(), &mut d)
                        .map(|_| d)
                } else {
                    std::fs::read(v)
                };
                match data {
                    Ok(d) => excludes.extend(
                        d.split(|&b| b == b'\n')
                            .filter(|l| !l.is_empty())
                            .map(|l| l.to_vec()),
                    ),
                    Err(e) => {
                        let mut msg = quote_if_needed(v.as_bytes());
                        msg.extend_from_slice(b": ");
                        msg.extend_from_slice(strerror(&e).as_bytes());
                        return Err(args::usage_error(ctx, &SPEC, &msg, 1));
                    }
                }
            }
            _ => {}
        }
    }
    let all = m.flag("all");
    let summarize = m.flag("summarize");
    if all && summarize {
        return Err(args::usage_error(
            ctx,
            &SPEC,
            b"cannot both summarize and show all entries",
            1,
        ));
    }
    if summarize {
        match max_depth {
            Some(0) => ctx.msg(b"warning: summarizing is the same as using --max-depth=0"),
            Some(n) => {
                let msg = format!("warning: summarizing conflicts with --max-depth={n}");
                return Err(args::usage_error(ctx, &SPEC, msg.as_bytes(), 1));
            }
            None => {}
        }
        max_depth = Some(0);
    }
    if m.flag("inodes") {
        if count == Count::Apparent {
            ctx.msg(b"warning: options --apparent-size and -b are ineffective with --inodes");
        }
        count = Count::Inodes;
        if !bs.autoscale {
            bs = BlockSize::units(1);
        }
    }
    let dot = OsString::from(".");
    let roots: Vec<&OsString> = if m.operands.is_empty() {
        vec![&dot]
    } else {
        m.operands.iter().collect()
    };
    let du = Du {
        all,
        count,
        count_links: m.flag("count-links"),
        separate: m.flag("separate-dirs"),
        xdev: m.flag("one-file-system"),
        max_depth: max_depth.unwrap_or(usize::MAX),
        threshold: thr,
        bs,
        end: if m.flag("null") { 0 } else { b'\n' },
        excludes,
        seen: Mutex::new(HashMap::new()),
        hash_all: roots.len() > 1 || follow == Follow::All,
        follow,
    };
    let mut w = Walker::new(Options {
        follow,
        xdev: du.xdev,
        order: walk::Order::Raw,
        ..Options::default()
    });
    let mut total = 0u64;
    for r in roots {
        total += du.root(ctx, &mut w, r.as_bytes())?;
    }
    if m.flag("total") {
        du.print(ctx, total, b"total")?;
    }
    Ok(())
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        ApparentSize = "apparent-size",
        Bytes = "bytes",
        CapB = "B",
        BlockSize = "block-size",
        HumanReadable = "human-readable",
        Si = "si",
        K = "k",
        M = "m",
        Dereference = "dereference",
        DereferenceArgs = "dereference-args",
        NoDereference = "no-dereference",
        D = "d",
        MaxDepth = "max-depth",
        T = "t",
        Threshold = "threshold",
        Exclude = "exclude",
        ExcludeFrom = "exclude-from",
    }
}

impl Du {
    fn size(&self, st: &Stat) -> u64 {
        match self.count {
            Count::Blocks => st.st_blocks as u64 * 512,
            Count::Apparent => st.st_size.max(0) as u64,
            Count::Inodes => 1,
        }
    }

    fn excluded(&self, path: &[u8]) -> bool {
        if self.excludes.is_empty() {
            return false;
        }
        self.excludes.iter().any(|p| {
            fnmatch(p, path, Flags::PLAIN)
                || path.iter().enumerate().any(|(i, &b)| {
                    b == b'/'
                        && path.get(i + 1).is_some_and(|&c| c != b'/')
                        && fnmatch(p, &path[i + 1..], Flags::PLAIN)
                })
        })
    }

    fn print(&self, ctx: &mut Ctx, n: u64, name: &[u8]) -> Result<()> {
        let t = self.threshold;
        if (t > 0 && (n as i128) < t) || (t < 0 && (n as i128) > -t) {
            return Ok(());
        }
        let b = ctx.out.buf_mut();
        self.bs.push(b, n, 1);
        b.push(b'\t');
        b.extend_from_slice(name);
        b.push(self.end);
        ctx.out.maybe_flush()?;
        Ok(())
    }

    /// Whether this (dev, ino) was counted already.
    fn repeat(&self, st: &Stat, dir: bool) -> bool {
        self.repeat_id(st.st_dev, st.st_ino, st.st_nlink, dir)
    }

    fn repeat_id(&self, dev: u64, ino: u64, nlink: libc::nlink_t, dir: bool) -> bool {
        if self.count_links || !(self.hash_all || (!dir && nlink > 1)) {
            return false;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.insert((dev, ino), Vec::new()).is_some()
    }

    /// One operand; its total. With `-s` only the operand's own line is printed, so the
    /// walk may take a second thread.
    fn root(&self, ctx: &mut Ctx, w: &mut Walker, root: &[u8]) -> Result<u64> {
        let split = self.max_depth == 0 && !self.xdev;
        let (p, _) = walk::walk_split(w, ctx, cwd(), root, self, split);
        if let Some(e) = p.err {
            return Err(e);
        }
        Ok(p.sums[0])
    }
    fn cannot(&self, ctx: &mut Ctx, what: &str, path: &[u8], e: &std::io::Error) {
        let mut msg = what.as_bytes().to_vec();
        msg.extend_from_slice(&quote_always(path));
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(strerror(e).as_bytes());
        ctx.error(1, &msg);
    }
}

/// What the walk of one subtree keeps.
struct DuPart {
    /// Sums of the open directories, by depth below the subtree's parent; `sums[0]` collects
    /// the subtree's total.
    sums: Vec<u64>,
    err: Option<Error>,
    root_dev: Option<u64>,
}

impl walk::Split for Du {
    type Part = DuPart;

    fn part(&self, _depth: usize) -> DuPart {
        DuPart {
            sums: vec![0],
            err: None,
            root_dev: None,
        }
    }

    fn join(&self, into: &mut DuPart, sub: DuPart, _depth: usize) {
        if let Some(p) = into.sums.last_mut() {
            *p += sub.sums[0];
        }
        if into.err.is_none() {
            into.err = sub.err;
        }
    }

    fn visit(&self, ctx: &mut Ctx, p: &mut DuPart, e: &mut walk::Entry, v: Visit) -> Action {
        let depth = e.depth();
        let r: Result<Action> = (|| match v {
            Visit::Pre => {
                if self.excluded(e.path()) {
                    return Ok(Action::Skip);
                }
                let st = *e.stat().map_err(|e| Error::write(&e))?;
                if depth == 0 {
                    p.root_dev = Some(st.st_dev);
                } else if e.other_device() {
                    return Ok(Action::Skip);
                }
                if self.repeat(&st, true) {
                    return Ok(Action::Skip);
                }
                p.sums.push(self.size(&st));
                Ok(Action::Continue)
            }
            Visit::Post => {
                let s = p.sums.pop().unwrap_or(0);
                if depth <= self.max_depth {
                    self.print(ctx, s, e.path())?;
                }
                if let Some(p) = p.sums.last_mut() {
                    if !self.separate || depth == 0 {
                        *p += s;
                    }
                }
                Ok(Action::Continue)
            }
            Visit::Leaf => {
                if self.excluded(e.path()) {
                    return Ok(Action::Continue);
                }
                // What is needed of the stat, not a copy of all of it (once per file).
                let (mode, dev, ino, nlink, s) = match e.stat() {
                    Ok(st) => (st.st_mode, st.st_dev, st.st_ino, st.st_nlink, self.size(st)),
                    Err(err) => {
                        self.cannot(ctx, "cannot access ", e.path(), &err);
                        return Ok(Action::Continue);
                    }
                };
                if (self.follow == Follow::All || (self.follow == Follow::Roots && depth == 0))
                    && mode & libc::S_IFMT == libc::S_IFLNK
                {
                    // A dangling symlink followed: GNU's fts reports it without an errno.
                    let mut msg = b"cannot access ".to_vec();
                    msg.extend_from_slice(&quote_always(e.path()));
                    ctx.error(1, &msg);
                    return Ok(Action::Continue);
                }
                if depth > 0 && self.xdev && p.root_dev.is_some_and(|d| d != dev) {
                    return Ok(Action::Continue);
                }
                if self.repeat_id(dev, ino, nlink, false) {
                    return Ok(Action::Continue);
                }
                if depth == 0 || (self.all && depth <= self.max_depth) {
                    self.print(ctx, s, e.path())?;
                }
                if let Some(p) = p.sums.last_mut() {
                    *p += s;
                }
                Ok(Action::Continue)
            }
            Visit::Children(_) => Ok(Action::Continue),
            Visit::Error(Op::Loop, _) => Ok(Action::Continue),
            Visit::Error(Op::Open, err) => {
                // A directory that cannot be read still counts (and prints) itself.
                self.cannot(ctx, "cannot read directory ", e.path(), &err);
                if let Ok(st) = e.stat() {
                    let st = *st;
                    if !self.repeat(&st, true) {
                        let s = self.size(&st);
                        if depth <= self.max_depth {
                            self.print(ctx, s, e.path())?;
                        }
                        if let Some(p) = p.sums.last_mut() {
                            if !self.separate || depth == 0 {
                                *p += s;
                            }
                        }
                    }
                }
                Ok(Action::Continue)
            }
            Visit::Error(Op::Read, err) => {
                self.cannot(ctx, "cannot read directory ", e.path(), &err);
                Ok(Action::Continue)
            }
            Visit::Error(_, err) => {
                let dangling = self.follow != Follow::Never
                    && depth == 0
                    && crate::common::sys::fd::lstat(e.path())
                        .is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFLNK);
                if dangling {
                    let mut msg = b"cannot access ".to_vec();
                    msg.extend_from_slice(&quote_always(e.path()));
                    ctx.error(1, &msg);
                    return Ok(Action::Continue);
                }
                self.cannot(ctx, "cannot access ", e.path(), &err);
                Ok(Action::Continue)
            }
        })();
        match r {
            Ok(a) => a,
            Err(x) => {
                p.err = Some(x);
                Action::Stop
            }
        }
    }
}
