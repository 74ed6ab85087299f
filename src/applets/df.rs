//! `df`: report file system space usage.
//!
//! GNU coreutils 9: the mounted file systems from /proc/self/mountinfo (pseudo file systems,
//! those of size 0 and duplicates of one device left out unless `-a`, GNU's rules for which
//! duplicate stays), or the file systems holding the FILE operands; columns as GNU aligns them
//! (`Filesystem`, `Type` with `-T`, sizes, `Use%`, `Mounted on`), `-i` for inodes, `-P` for the
//! POSIX headers, `-t`/`-x` TYPE, `-l`, `--total`, and sizes through `common::blocksize` (`-h`,
//! `-H`, `-k`, `-m`, `-B SIZE`, `DF_BLOCK_SIZE`/`BLOCK_SIZE`/`BLOCKSIZE`). `--sync`/`--no-sync`
//! and `-v` are accepted. Deviation: no `--output`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::blocksize::BlockSize;
use crate::common::ctx::strerror;
use crate::common::help::help_text;
use crate::common::mounts::{self, Mount};
use crate::common::path::{canonicalize, Missing};
use crate::common::quote::{quote_always, quote_if_needed, quote_locale};
use crate::common::sys::fd as sysfd;
use crate::common::sys::fs::{self as sysfs, StatFs};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("all", Some(b'a'), Some("all")),
        Opt::arg("B", Some(b'B'), None),
        Opt::arg("block-size", None, Some("block-size")),
        Opt::flag("inodes", Some(b'i'), Some("inodes")),
        Opt::flag("human-readable", Some(b'h'), Some("human-readable")),
        Opt::flag("si", Some(b'H'), Some("si")),
        Opt::flag("local", Some(b'l'), Some("local")),
        Opt::flag("portability", Some(b'P'), Some("portability")),
        Opt::flag("print-type", Some(b'T'), Some("print-type")),
        Opt::flag("sync", None, Some("sync")),
        Opt::flag("no-sync", None, Some("no-sync")),
        Opt::flag("total", None, Some("total")),
        Opt::optional("output", None, Some("output")),
        Opt::arg("type", Some(b't'), Some("type")),
        Opt::arg("exclude-type", Some(b'x'), Some("exclude-type")),
        Opt::flag("k", Some(b'k'), None),
        Opt::flag("m", Some(b'm'), None),
        Opt::flag("v", Some(b'v'), None),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: df [OPTION]... [FILE]...
Show information about the file system on which each FILE resides,
or all file systems by default.

Mandatory arguments to long options are mandatory for short options too.
  -a, --all             include pseudo, duplicate, inaccessible file systems
  -B, --block-size=SIZE  scale sizes by SIZE before printing them; e.g.,
                           '-BM' prints sizes in units of 1,048,576 bytes;
                           see SIZE format below
  -h, --human-readable  print sizes in powers of 1024 (e.g., 1023M)
  -H, --si              print sizes in powers of 1000 (e.g., 1.1G)
  -i, --inodes          list inode information instead of block usage
  -k                    like --block-size=1K
  -l, --local           limit listing to local file systems
      --no-sync         do not invoke sync before getting usage info (default)
      --output[=FIELD_LIST]  use the output format defined by FIELD_LIST,
                               or print all fields if FIELD_LIST is omitted.
  -P, --portability     use the POSIX output format
      --sync            invoke sync before getting usage info
      --total           elide all entries insignificant to available space,
                          and produce a grand total
  -t, --type=TYPE       limit listing to file systems of type TYPE
  -T, --print-type      print file system type
  -x, --exclude-type=TYPE   limit listing to file systems not of type TYPE
  -v                    (ignored)
      --help        display this help and exit
      --version     output version information and exit

Display values are in units of the first available SIZE from --block-size,
and the DF_BLOCK_SIZE, BLOCK_SIZE and BLOCKSIZE environment variables.
Otherwise, units default to 1024 bytes (or 512 if POSIXLY_CORRECT is set).

The SIZE argument is an integer and optional unit (example: 10K is 10*1024).
Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

FIELD_LIST is a comma-separated list of columns to be included.  Valid
field names are: 'source', 'fstype', 'itotal', 'iused', 'iavail', 'ipcent',
'size', 'used', 'avail', 'pcent', 'file' and 'target' (see info page).
"
    ),
);

/// GNU's filter_mount_list: one entry per device (stat of the mount point), the one GNU keeps.
fn filter(list: Vec<Mount>, sel: &Select) -> Vec<Mount> {
    // (device, entry) in first-seen order; entries not stat'ed are kept with their own device.
    let mut seen: Vec<(u64, Mount)> = Vec::new();
    for me in list {
        let skip_stat = (me.remote && sel.local) || me.dummy || !sel.wanted(&me.fstype);
        let st = if skip_stat {
            None
        } else {
            sysfd::stat(&me.dir).ok()
        };
        let Some(st) = st else {
            seen.push((me.dev, me));
            continue;
        };
        let dev = st.st_dev;
        match seen.iter_mut().find(|(d, _)| *d == dev) {
            None => seen.push((dev, me)),
            Some((_, old)) => {
                let target_nearer_root = old.dir.len() > me.dir.len();
                let source_below_root = old.root.len() < me.root.len();
                let replace = (me.source.contains(&b'/') && !old.source.contains(&b'/'))
                    || (target_nearer_root && !source_below_root)
                    || (old.source != me.source && old.dir == me.dir);
                if replace {
                    *old = me;
                }
            }
        }
    }
    seen.into_iter().map(|(_, m)| m).collect()
}

struct Select {
    local: bool,
    types: Vec<Vec<u8>>,
    excluded: Vec<Vec<u8>>,
}

impl Select {
    fn wanted(&self, t: &[u8]) -> bool {
        (self.types.is_empty() || self.types.iter().any(|x| x == t))
            && !self.excluded.iter().any(|x| x == t)
    }
}

crate::common::args::named! {
    /// A column (GNU's `--output` field names, in the order `--output` alone prints them).
    enum Field {
        Source = "source",
        Fstype = "fstype",
        Itotal = "itotal",
        Iused = "iused",
        Iavail = "iavail",
        Ipcent = "ipcent",
        Size = "size",
        Used = "used",
        Avail = "avail",
        Pcent = "pcent",
        File = "file",
        Target = "target",
    }
}

impl Field {
    /// GNU's minimum width and alignment (text left, numbers right).
    fn min_width(self) -> usize {
        match self {
            Field::Source => 14,
            Field::File | Field::Target => 0,
            Field::Fstype | Field::Pcent | Field::Ipcent => 4,
            _ => 5,
        }
    }
    fn left(self) -> bool {
        matches!(
            self,
            Field::Source | Field::Fstype | Field::File | Field::Target
        )
    }
}

/// `--output=LIST`: the fields named, each once over all the options.
fn output_fields(ctx: &mut Ctx, v: &mut Vec<Field>, list: &[u8]) -> Result<()> {
    for name in list.split(|&c| c == b',') {
        let Some(f) = Field::of(name) else {
            let mut msg = b"option --output: field ".to_vec();
            msg.extend_from_slice(&quote_locale(name));
            msg.extend_from_slice(b" unknown");
            ctx.msg(&msg);
            ctx.try_help();
            return Err(Error::silent(1));
        };
        if v.contains(&f) {
            let mut msg = b"option --output: field ".to_vec();
            msg.extend_from_slice(&quote_locale(name));
            msg.extend_from_slice(b" used more than once");
            ctx.msg(&msg);
            ctx.try_help();
            return Err(Error::silent(1));
        }
        v.push(f);
    }
    Ok(())
}

/// Blocks (in bytes) and inodes, used and available, for the `--total` line.
#[derive(Default, Clone, Copy)]
struct Totals {
    size: u128,
    used: u128,
    avail: u128,
    isize: u128,
    iused: u128,
    iavail: u128,
}

struct Df {
    all: bool,
    listed: bool,
    bs: BlockSize,
    cols: Vec<Field>,
    rows: Vec<Vec<Vec<u8>>>,
    total: Totals,
}

/// GNU's replace_control_chars: a mount point or device name with a newline or other
/// control character would break the table.
fn cell(text: &[u8]) -> Vec<u8> {
    text.iter()
        .map(|&c| if c < 0x20 || c == 0x7f { b'?' } else { c })
        .collect()
}

impl Df {
    /// Inode counts are not scaled by the block size, only by -h/-H.
    fn inode_bs(&self) -> BlockSize {
        if self.bs.autoscale {
            self.bs
        } else {
            BlockSize::units(1)
        }
    }

    /// A line whose numbers are `-` (an inaccessible mount with `-a`).
    fn unknown_row(&mut self, source: &[u8], target: &[u8]) {
        let cells = self
            .cols
            .iter()
            .map(|f| match f {
                Field::Source => cell(source),
                Field::Target => cell(target),
                _ => b"-".to_vec(),
            })
            .collect();
        self.rows.push(cells);
    }

    fn row(
        &mut self,
        source: &[u8],
        fstype: &[u8],
        target: &[u8],
        file: &[u8],
        s: &StatFs,
    ) -> bool {
        if s.blocks == 0 && !self.all && !self.listed {
            return false;
        }
        let unit = if s.frsize != 0 { s.frsize } else { s.bsize };
        let (size, used, avail) = (s.blocks, s.blocks.saturating_sub(s.bfree), s.bavail);
        let (isize, iused, iavail) = (s.files, s.files.saturating_sub(s.ffree), s.ffree);
        let t = &mut self.total;
        t.size += size as u128 * unit as u128;
        t.used += used as u128 * unit as u128;
        t.avail += avail as u128 * unit as u128;
        t.isize += isize as u128;
        t.iused += iused as u128;
        t.iavail += iavail as u128;
        let ibs = self.inode_bs();
        let num = |bs: &BlockSize, v: u64, units: u64| {
            let mut c = Vec::new();
            bs.push(&mut c, v, units);
            c
        };
        let cells = self
            .cols
            .iter()
            .map(|f| match f {
                Field::Source => cell(source),
                Field::Fstype => cell(fstype),
                Field::Size => num(&self.bs, size, unit),
                Field::Used => num(&self.bs, used, unit),
                Field::Avail => num(&self.bs, avail, unit),
                Field::Pcent => percent(used as u128, avail as u128),
                Field::Itotal => num(&ibs, isize, 1),
                Field::Iused => num(&ibs, iused, 1),
                Field::Iavail => num(&ibs, iavail, 1),
                Field::Ipcent => percent(iused as u128, iavail as u128),
                Field::File => cell(file),
                Field::Target => cell(target),
            })
            .collect();
        self.rows.push(cells);
        true
    }

    /// The `--total` line: `total` as the source (or, without that column, as the mount
    /// point), `-` for the type and file.
    fn total_row(&mut self) {
        let t = self.total;
        let ibs = self.inode_bs();
        let num = |bs: &BlockSize, v: u128| {
            let mut c = Vec::new();
            bs.push(&mut c, v.min(u64::MAX as u128) as u64, 1);
            c
        };
        let has_source = self.cols.contains(&Field::Source);
        let cells = self
            .cols
            .iter()
            .map(|f| match f {
                Field::Source => b"total".to_vec(),
                Field::Target if !has_source => b"total".to_vec(),
                Field::Fstype | Field::File | Field::Target => b"-".to_vec(),
                Field::Size => num(&self.bs, t.size),
                Field::Used => num(&self.bs, t.used),
                Field::Avail => num(&self.bs, t.avail),
                Field::Pcent => percent(t.used, t.avail),
                Field::Itotal => num(&ibs, t.isize),
                Field::Iused => num(&ibs, t.iused),
                Field::Iavail => num(&ibs, t.iavail),
                Field::Ipcent => percent(t.iused, t.iavail),
            })
            .collect();
        self.rows.push(cells);
    }
}

/// GNU's Use%: used / (used + available), rounded up; `-` when both are 0.
fn percent(used: u128, avail: u128) -> Vec<u8> {
    let t = used + avail;
    if t == 0 {
        return b"-".to_vec();
    }
    let u = used * 100;
    format!("{}%", u / t + u128::from(!u.is_multiple_of(t))).into_bytes()
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut bs: Option<BlockSize> = None;
    for (id, v) in &m.opts {
        match *id {
            "B" | "block-size" => {
                let v = v.as_ref().unwrap_or_else(|| unreachable!());
                bs = Some(BlockSize::parse(v.as_bytes()).ok_or_else(|| {
                    let name = if *id == "B" { "-B" } else { "--block-size" };
                    let mut msg = format!("invalid {name} argument ").into_bytes();
                    msg.extend_from_slice(&quote_always(v.as_bytes()));
                    Error::new(1, msg)
                })?);
            }
            "human-readable" => bs = Some(BlockSize::HUMAN),
            "si" => bs = Some(BlockSize::SI),
            "k" => bs = Some(BlockSize::units(1024)),
            "m" => bs = Some(BlockSize::MEGA),
            _ => {}
        }
    }
    let posix = m.flag("portability");
    let bs = bs.unwrap_or_else(|| {
        if posix {
            BlockSize::units(if std::env::var_os("POSIXLY_CORRECT").is_some() {
                512
            } else {
                1024
            })
        } else {
            BlockSize::from_env("DF_BLOCK_SIZE")
        }
    });
    let sel = Select {
        local: m.flag("local"),
        types: m.values("type").map(|v| v.as_bytes().to_vec()).collect(),
        excluded: m
            .values("exclude-type")
            .map(|v| v.as_bytes().to_vec())
            .collect(),
    };
    if let Some(t) = sel.types.iter().find(|t| sel.excluded.contains(t)) {
        let mut msg = b"file system type ".to_vec();
        msg.extend_from_slice(&quote_always(t));
        msg.extend_from_slice(b" both selected and excluded");
        return Err(Error::new(1, msg));
    }
    let inodes = m.flag("inodes");
    let print_type = m.flag("print-type");
    let output = m.opts.iter().any(|(id, _)| *id == "output");
    let cols = if output {
        for (on, name) in [(inodes, "-i"), (posix, "-P"), (print_type, "-T")] {
            if on {
                ctx.msgf(format_args!(
                    "options {name} and --output are mutually exclusive"
                ));
                ctx.try_help();
                return Err(Error::silent(1));
            }
        }
        // Each --output=LIST adds its fields; --output alone, if that is all, means all.
        let mut cols = Vec::new();
        for (_, list) in m.opts.iter().filter(|(id, _)| *id == "output") {
            if let Some(l) = list {
                output_fields(ctx, &mut cols, l.as_bytes())?;
            }
        }
        if cols.is_empty() {
            cols = Field::ALL.to_vec();
        }
        cols
    } else {
        let mut c = vec![Field::Source];
        if print_type {
            c.push(Field::Fstype);
        }
        if inodes {
            c.extend([Field::Itotal, Field::Iused, Field::Iavail, Field::Ipcent]);
        } else {
            c.extend([Field::Size, Field::Used, Field::Avail, Field::Pcent]);
        }
        c.push(Field::Target);
        c
    };
    let mut df = Df {
        all: m.flag("all"),
        listed: !m.operands.is_empty(),
        bs,
        cols,
        rows: Vec::new(),
        total: Totals::default(),
    };
    // Operands first: a missing one is reported before anything is read.
    let mut files = Vec::new();
    for f in &m.operands {
        match sysfd::stat(f.as_bytes()) {
            Ok(st) => files.push((f.as_bytes(), st)),
            Err(e) => {
                let mut msg = quote_if_needed(f.as_bytes());
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                ctx.error(1, &msg);
            }
        }
    }
    let list = match mounts::read() {
        Ok(l) => l,
        Err(e) => {
            if m.operands.is_empty() {
                return Err(Error::io(
                    1,
                    "cannot read table of mounted file systems",
                    &e,
                ));
            }
            Vec::new()
        }
    };
    if m.operands.is_empty() {
        let list = if df.all { list } else { filter(list, &sel) };
        for me in &list {
            if (me.remote && sel.local) || (me.dummy && !df.all) || !sel.wanted(&me.fstype) {
                continue;
            }
            if me.dir.first() != Some(&b'/') {
                continue;
            }
            match sysfs::statfs(&me.dir) {
                Ok(s) => {
                    df.row(&me.source, &me.fstype, &me.dir, b"-", &s);
                }
                Err(e) => {
                    let c = e.raw_os_error();
                    if c == Some(libc::EACCES) || c == Some(libc::ENOENT) {
                        if df.all {
                            df.unknown_row(&me.source, &me.dir);
                        }
                        continue;
                    }
                    let mut msg = quote_if_needed(&me.dir);
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                }
            }
        }
    } else {
        for (name, st) in &files {
            let kind = st.st_mode & libc::S_IFMT;
            let (me, at) = if kind == libc::S_IFBLK || kind == libc::S_IFCHR {
                match find_device(&list, name) {
                    Device::Mounted(me) => (Some(me), &me.dir[..]),
                    Device::Eclipsed => {
                        let mut msg = b"cannot access ".to_vec();
                        msg.extend_from_slice(&quote_always(name));
                        msg.extend_from_slice(b": over-mounted by another device");
                        ctx.error(1, &msg);
                        continue;
                    }
                    Device::None => (find_mount(&list, name, st), &name[..]),
                }
            } else {
                (find_mount(&list, name, st), &name[..])
            };
            let s = match sysfs::statfs(at) {
                Ok(s) => s,
                Err(e) => {
                    let mut msg = quote_if_needed(at);
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(strerror(&e).as_bytes());
                    ctx.error(1, &msg);
                    continue;
                }
            };
            match me {
                Some(me) => {
                    if !sel.wanted(&me.fstype) || (me.remote && sel.local) {
                        continue;
                    }
                    df.row(&me.source, &me.fstype, &me.dir, name, &s);
                }
                None => {
                    df.row(b"-", b"-", b"-", name, &s);
                }
            }
        }
    }
    if df.rows.is_empty() {
        if ctx.status == 0 || m.operands.is_empty() {
            return Err(Error::new(1, "no file systems processed"));
        }
        return Ok(());
    }
    if m.flag("total") {
        df.total_row();
    }
    // The header.
    let auto = bs.autoscale;
    let head = df
        .cols
        .iter()
        .map(|f| match f {
            Field::Source => b"Filesystem".to_vec(),
            Field::Fstype => b"Type".to_vec(),
            Field::Itotal => b"Inodes".to_vec(),
            Field::Iused => b"IUsed".to_vec(),
            Field::Iavail => b"IFree".to_vec(),
            Field::Ipcent => b"IUse%".to_vec(),
            Field::Size if auto => b"Size".to_vec(),
            Field::Size if posix => format!("{}-blocks", bs.size).into_bytes(),
            Field::Size => bs.blocks_header().into_bytes(),
            Field::Used => b"Used".to_vec(),
            Field::Avail if auto || output => b"Avail".to_vec(),
            Field::Avail => b"Available".to_vec(),
            Field::Pcent if posix && !auto => b"Capacity".to_vec(),
            Field::Pcent => b"Use%".to_vec(),
            Field::File => b"File".to_vec(),
            Field::Target => b"Mounted on".to_vec(),
        })
        .collect();
    df.rows.insert(0, head);
    // Widths: GNU's minimums, then the widest cell; the last column unpadded on its right.
    let ncol = df.cols.len();
    let mut width: Vec<usize> = df.cols.iter().map(|f| f.min_width()).collect();
    for r in &df.rows {
        for (c, cell) in r.iter().enumerate() {
            width[c] = width[c].max(cell.len());
        }
    }
    for r in &df.rows {
        let b = ctx.out.buf_mut();
        for (c, cell) in r.iter().enumerate() {
            if c > 0 {
                b.push(b' ');
            }
            let pad = width[c].saturating_sub(cell.len());
            if df.cols[c].left() {
                b.extend_from_slice(cell);
                if c != ncol - 1 {
                    b.resize(b.len() + pad, b' ');
                }
            } else {
                b.resize(b.len() + pad, b' ');
                b.extend_from_slice(cell);
            }
        }
        b.push(b'\n');
        ctx.out.maybe_flush()?;
    }
    Ok(())
}

enum Device<'a> {
    Mounted(&'a Mount),
    /// Mounted, but another file system is mounted over it.
    Eclipsed,
    None,
}

/// GNU's get_device: a device operand stands for the file system mounted from it (both names
/// resolved): the accessible mount with the shortest directory, unless the last thing mounted
/// on that directory is another device.
fn find_device<'a>(list: &'a [Mount], name: &[u8]) -> Device<'a> {
    let canon = |n: &[u8]| match canonicalize(n, Missing::None, true) {
        Ok(p) if p.first() == Some(&b'/') => p,
        _ => n.to_vec(),
    };
    let dev = canon(name);
    let mut best: Option<&Mount> = None;
    let (mut best_len, mut best_ok, mut eclipsed) = (usize::MAX, false, false);
    for me in list {
        let devname = canon(&me.source);
        if devname != dev {
            continue;
        }
        let last = list.iter().rev().find(|l| l.dir == me.dir);
        eclipsed = last.is_some_and(|l| canon(&l.source) != devname);
        let len = me.dir.len();
        if !eclipsed && (!best_ok || len < best_len) {
            let ok = sysfd::stat(&me.dir).is_ok();
            best_ok |= ok;
            if ok || (!best_ok && len < best_len) {
                best = Some(me);
                if len == 1 {
                    break;
                }
                best_len = len;
            }
        }
    }
    match best {
        Some(me) => Device::Mounted(me),
        None if eclipsed => Device::Eclipsed,
        None => Device::None,
    }
}

/// GNU's get_point: the mount whose directory is the longest prefix of the file's real path
/// (the later of equal ones: the one on top), if it is on the file's device; else the last
/// mount of that device.
fn find_mount<'a>(list: &'a [Mount], name: &[u8], st: &libc::stat) -> Option<&'a Mount> {
    let mut best: Option<&Mount> = None;
    if let Ok(p) = canonicalize(name, Missing::None, true) {
        let r = &p[..];
        let mut best_len = 0;
        for me in list {
            if me.fstype == b"lofs" {
                continue;
            }
            if best.is_some_and(|b| !b.dummy) && me.dummy {
                continue;
            }
            let len = me.dir.len();
            if best_len <= len
                && len <= r.len()
                && (len == 1 || ((len == r.len() || r[len] == b'/') && r[..len] == me.dir[..]))
            {
                best = Some(me);
                best_len = len;
            }
        }
    }
    if let Some(b) = best {
        if !sysfd::stat(&b.dir).is_ok_and(|s| s.st_dev == st.st_dev) {
            best = None;
        }
    }
    if best.is_none() {
        for me in list {
            if st.st_dev == me.dev
                && me.fstype != b"lofs"
                && (best.is_none_or(|b| b.dummy) || !me.dummy)
                && sysfd::stat(&me.dir).is_ok_and(|s| s.st_dev == me.dev)
            {
                best = Some(me);
            }
        }
    }
    best
}
