//! `ls`: list directory contents, as GNU coreutils 9 `ls` does in the C locale.
//!
//! Implements GNU's options (see [`opts::USAGE`]): the long, column, across, comma and
//! one-per-line formats with GNU's column fitting and alignment, the `total` line, block sizes
//! (`-s -k -h --si --block-size`), GNU's quoting styles (shell-escape on a terminal, literal to a
//! pipe, `-q` question marks), indicators, `LS_COLORS` colouring, every sort order with GNU's
//! tie-breaks (`-v` is gnulib's filevercmp), `-R` depth-first with loop detection, and GNU's
//! messages and exit codes (1 for trouble inside a tree, 2 for operands and bad usage).
//!
//! Speed: directories are read with getdents64 into one reused buffer, names kept in an arena,
//! and a file is stat'ed (fstatat on the directory fd) only when the output needs it, like GNU:
//! `ls`/`ls -1`/`ls -R` without `-F`/colour use d_type alone. `-R` lists one directory at a time,
//! so memory follows the largest directory, not the tree.
//!
//! Deviations: always the C locale (bytes >= 0x80 are non-printable, dates in English); no ACL or
//! SELinux probes (no `+` after the mode string; `-Z` prints `?`); `--hyperlink` is accepted and
//! ignored; `--dired` (-D) is not implemented.

mod color;
mod dir;
mod format;
mod opts;
mod sort;

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use dir::{Ftype, List, Which};
use format::Printer;
use opts::{Config, Deref, Format, Hidden, Indicator, Sort, TimeType};

use crate::common::fnmatch::{fnmatch, Flags};
use crate::common::quote;
use crate::common::sys::{self, BorrowedFd};
use crate::common::walk::{self, Action, Children, Entry, Follow, Op, Visit, Walker};
use crate::common::{Ctx, Error, Result};

pub use opts::USAGE;

pub fn main(args: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(args, ctx).and_then(|()| ctx.out.flush().map_err(|e| Error::write(&e)));
    // GNU ls exits 2 on a write error (close_stdout with exit_failure = LS_FAILURE).
    let r = r.map_err(|mut e| {
        if e.msg.starts_with(b"write error") {
            e.code = 2;
        }
        e
    });
    ctx.finish(r)
}

struct Ls<'a> {
    c: &'a Config,
    p: Printer<'a>,
    list: List,
    order: Vec<u32>,
    /// The one getdents64 buffer (256 KiB), reused for every directory.
    dents: sys::dir::DirBuf,
    link_buf: Vec<u8>,
    /// Directories named on the command line, listed after the files, in sorted order.
    dirs: Vec<Vec<u8>>,
    first: bool,
    print_dir_name: bool,
    format_needs_stat: bool,
    format_needs_type: bool,
    check_symlink_mode: bool,
    which: Which,
}

fn run(args: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(cfg) = opts::parse(ctx, args)? else {
        return Ok(());
    };
    let c = &cfg;
    // -i stats too: d_ino of a mount point is the covered directory's, not what stat says.
    let format_needs_stat = matches!(c.sort, Sort::Time | Sort::Size)
        || c.format == Format::Long
        || c.blocks
        || c.scontext
        || c.inode;
    let format_needs_type = !format_needs_stat
        && (c.recursive || c.color.is_some() || c.dirs_first || c.indicator != Indicator::None);
    let check_symlink_mode = c.color.as_ref().is_some_and(|col| {
        col.is_colored(color::OR)
            || (col.is_colored(color::EX) && col.ln_target)
            || (col.is_colored(color::MI) && c.format == Format::Long)
    });
    let mut ls = Ls {
        c,
        p: Printer::new(c),
        list: List::default(),
        order: Vec::new(),
        dents: sys::dir::DirBuf::new(),
        link_buf: Vec::new(),
        dirs: Vec::new(),
        first: true,
        print_dir_name: true,
        format_needs_stat,
        format_needs_type,
        check_symlink_mode,
        which: match c.time {
            TimeType::Mtime => Which::M,
            TimeType::Atime => Which::A,
            TimeType::Ctime => Which::C,
            TimeType::Btime => Which::B,
        },
    };
    let r = ls.main(ctx);
    if ls.p.used_color {
        if let Some(col) = &c.color {
            if !col.default_brackets() {
                let mut v = Vec::new();
                col.restore_seq(&mut v);
                ctx.out.write_all(&v)?;
            }
        }
    }
    r
}

impl<'a> Ls<'a> {
    fn main(&mut self, ctx: &mut Ctx) -> Result<()> {
        let c = self.c;
        let n_files = c.files.len();
        self.list.clear();
        if n_files == 0 {
            if c.immediate_dirs {
                self.gobble_arg(ctx, b".");
            } else {
                self.dirs.push(b".".to_vec());
            }
        } else {
            for f in &c.files {
                self.gobble_arg(ctx, f.as_bytes());
            }
        }
        if !self.list.ents.is_empty() {
            self.order.clear();
            self.order.extend(0..self.list.ents.len() as u32);
            self.prepare_sort();
            // Widths and quoting cover every operand, directories included, as in GNU.
            let order = std::mem::take(&mut self.order);
            self.p.prepare(&mut self.list, &order);
            self.order = order;
            if !c.immediate_dirs {
                // Directories among the operands are listed after the files, in sorted order.
                let dirs = &mut self.dirs;
                let list = &self.list;
                self.order.retain(|&i| {
                    let e = &list.ents[i as usize];
                    if e.arg_dir {
                        dirs.push(list.name(e).to_vec());
                        false
                    } else {
                        true
                    }
                });
            }
        }
        if !self.order.is_empty() {
            let order = std::mem::take(&mut self.order);
            self.p.print(&mut ctx.out, &self.list, &order)?;
            self.order = order;
            if !self.dirs.is_empty() {
                ctx.out.byte(b'\n')?;
            }
        } else if n_files <= 1 && self.dirs.len() == 1 {
            self.print_dir_name = false;
        }
        // Each directory operand is one walk. ls reads each directory itself in the walker's
        // `Children` visit (straight into its list: one copy of each name), and with -R hands
        // the subdirectories back to the walker in listing order. Loops (-RL) are the
        // walker's (the dev/ino of the directories being listed).
        let mut walker = Walker::new(walk::Options {
            follow: if c.deref == Deref::Always {
                Follow::All
            } else {
                Follow::Roots
            },
            order: walk::Order::Raw,
            read: false,
            join: walk::Join::Gnulib,
            ..walk::Options::default()
        });
        let dirs = std::mem::take(&mut self.dirs);
        for d in &dirs {
            let mut fail = None;
            walker.walk(sys::cwd(), d, |e, v| match v {
                Visit::Children(kids) => match self.print_dir(ctx, e, kids) {
                    Ok(a) => a,
                    Err(err) => {
                        fail = Some(err);
                        Action::Stop
                    }
                },
                Visit::Error(op, err) => {
                    self.walk_error(ctx, e, op, &err);
                    Action::Continue
                }
                Visit::Leaf if e.depth() == 0 => {
                    let err = std::io::Error::from_raw_os_error(libc::ENOTDIR);
                    self.walk_error(ctx, e, Op::Open, &err);
                    Action::Continue
                }
                _ => Action::Continue,
            });
            if let Some(err) = fail {
                return Err(err);
            }
            self.print_dir_name = true;
        }
        Ok(())
    }

    /// A directory that could not be listed (GNU's messages: status 2 for an operand, 1 inside
    /// a tree).
    fn walk_error(&mut self, ctx: &mut Ctx, e: &Entry, op: Op, err: &std::io::Error) {
        let path = e.path();
        let code = if e.depth() == 0 { 2 } else { 1 };
        let what: &[u8] = match op {
            Op::Loop => {
                let mut m = quote::quote_if_needed(path);
                m.extend_from_slice(b": not listing already-listed directory");
                ctx.error(2, &m);
                return;
            }
            Op::Read => b"reading directory ",
            Op::Stat if e.depth() > 0 => b"cannot determine device and inode of ",
            _ => b"cannot open directory ",
        };
        let mut m = what.to_vec();
        m.extend_from_slice(&quote::quote_always(path));
        m.extend_from_slice(b": ");
        m.extend_from_slice(crate::common::ctx::strerror(err).as_bytes());
        ctx.error(code, &m);
    }

    /// Sort `self.order` after computing what the sort needs (name widths for --sort=width).
    fn prepare_sort(&mut self) {
        let c = self.c;
        if c.sort == Sort::Width {
            let order = std::mem::take(&mut self.order);
            self.p.prepare(&mut self.list, &order);
            self.order = order;
        }
        sort::sort(
            &self.list,
            &mut self.order,
            c.sort,
            c.reverse,
            c.dirs_first && c.sort != Sort::None,
        );
    }

    /// A command-line operand (GNU's gobble_file with command_line_arg).
    fn gobble_arg(&mut self, ctx: &mut Ctx, name: &[u8]) {
        let c = self.c;
        let i = self.list.push(name, 0, Ftype::Unknown);
        if name.contains(&0) {
            self.list.ents.pop();
            let e = std::io::Error::from_raw_os_error(libc::ENOENT);
            self.access_error(ctx, name, &e, true);
            return;
        }
        let mut e = self.list.ents[i];
        let cwd = sys::cwd();
        let r = match c.deref {
            Deref::Always | Deref::CmdLineArgs => {
                dir::stat_into(cwd, name, true, self.which, &mut e)
            }
            Deref::CmdLineSymlinkToDir => {
                match dir::stat_into(cwd, name, true, self.which, &mut e) {
                    Ok(()) if e.is_dir() => Ok(()),
                    Err(err) if err.raw_os_error() != Some(libc::ENOENT) => Err(err),
                    _ => dir::stat_into(cwd, name, false, self.which, &mut e),
                }
            }
            _ => dir::stat_into(cwd, name, false, self.which, &mut e),
        };
        if let Err(err) = r {
            self.list.ents.pop();
            self.access_error(ctx, name, &err, true);
            return;
        }
        if e.is_dir() && !c.immediate_dirs {
            e.arg_dir = true;
        }
        self.list.ents[i] = e;
        self.symlink_details(cwd, i);
    }

    fn access_error(&mut self, ctx: &mut Ctx, name: &[u8], err: &std::io::Error, serious: bool) {
        let mut m = b"cannot access ".to_vec();
        m.extend_from_slice(&quote::quote_always(name));
        m.extend_from_slice(b": ");
        m.extend_from_slice(crate::common::ctx::strerror(err).as_bytes());
        ctx.error(if serious { 2 } else { 1 }, &m);
    }

    /// For a symlink: its target (long format) and the target's mode (indicators, colours,
    /// grouping directories first).
    fn symlink_details(&mut self, dirfd: BorrowedFd, i: usize) {
        let c = self.c;
        let e = self.list.ents[i];
        let is_link = if e.stat_ok {
            e.mode & libc::S_IFMT == libc::S_IFLNK
        } else {
            e.ftype == Ftype::Lnk
        };
        if !is_link {
            return;
        }
        let long = c.format == Format::Long;
        if e.stat_ok
            && (long || self.check_symlink_mode)
            && sys::fs::readlinkat_into(dirfd, self.list.name(&e), &mut self.link_buf).is_ok()
        {
            let t = std::mem::take(&mut self.link_buf);
            self.list.set_link(i, &t);
            self.link_buf = t;
        }
        if c.indicator >= Indicator::FileType
            || self.check_symlink_mode
            || c.dirs_first
            || (c.color.as_ref().is_some_and(|col| col.ln_target))
        {
            let e = self.list.ents[i];
            let mut t = e;
            if dir::stat_into(dirfd, self.list.name(&e), true, Which::M, &mut t).is_ok() {
                let ent = &mut self.list.ents[i];
                ent.link_ok = true;
                ent.link_mode = t.mode;
            }
        }
    }

    /// Whether a directory entry must be stat'ed (GNU's gobble_file conditions).
    fn needs_stat(&self, ftype: Ftype) -> bool {
        let c = self.c;
        if self.format_needs_stat {
            return true;
        }
        let col = c.color.as_ref();
        if ftype == Ftype::Dir
            && col.is_some_and(|k| {
                k.is_colored(color::OW) || k.is_colored(color::ST) || k.is_colored(color::TW)
            })
        {
            return true;
        }
        if (c.inode || self.format_needs_type)
            && matches!(ftype, Ftype::Lnk | Ftype::Unknown)
            && (c.deref == Deref::Always
                || col.is_some_and(|k| k.ln_target)
                || self.check_symlink_mode)
        {
            return true;
        }
        self.format_needs_type
            && (ftype == Ftype::Unknown
                || (ftype == Ftype::Reg
                    && (c.indicator == Indicator::Classify
                        || col.is_some_and(|k| {
                            k.is_colored(color::EX)
                                || k.is_colored(color::SU)
                                || k.is_colored(color::SG)
                        }))))
    }

    /// Lists one directory (the walker's `Children` visit): its entries as read, filtered,
    /// stat'ed where needed, sorted and printed. With -R, the subdirectories go back to the
    /// walker in listing order; without, none does.
    fn print_dir(&mut self, ctx: &mut Ctx, e: &Entry, kids: &mut Children) -> Result<Action> {
        let c = self.c;
        let path = e.path();
        let code = if e.depth() == 0 { 2 } else { 1 };
        let Some(dfd) = e.fd() else {
            return Ok(Action::Skip);
        };
        self.list.clear();
        if c.recursive || self.print_dir_name {
            let buf = ctx.out.buf_mut();
            if !self.first {
                buf.push(b'\n');
            }
            self.first = false;
            self.p.header_into(buf, path);
        }
        self.print_dir_name = true;
        let list = &mut self.list;
        let hidden = c.hidden;
        let simple = c.hide.is_empty() && c.ignore.is_empty();
        let r = sys::dir::read_dir(dfd, &mut self.dents, |kid| {
            let name = kid.name;
            let skip = if simple {
                match hidden {
                    Hidden::Minimal => false,
                    Hidden::Default => name[0] == b'.',
                    Hidden::DotAndDotDot => name == b"." || name == b"..",
                }
            } else {
                self_ignored(c, name)
            };
            if !skip {
                list.push(name, kid.ino, Ftype::from_dtype(kid.dtype));
            }
        });
        if let Err(err) = r {
            let mut m = b"reading directory ".to_vec();
            m.extend_from_slice(&quote::quote_always(path));
            m.extend_from_slice(b": ");
            m.extend_from_slice(crate::common::ctx::strerror(&err).as_bytes());
            ctx.error(code, &m);
        }
        // File status, only where the output needs it.
        let mut total: u64 = 0;
        let follow = c.deref == Deref::Always;
        for i in 0..self.list.ents.len() {
            let e = self.list.ents[i];
            if self.needs_stat(e.ftype) {
                let mut t = e;
                match dir::stat_into(dfd, self.list.name(&e), follow, self.which, &mut t) {
                    Ok(()) => {
                        total += t.blocks;
                        self.list.ents[i] = t;
                    }
                    Err(err) => {
                        let full = attach(path, self.list.name(&e));
                        self.access_error(ctx, &full, &err, false);
                    }
                }
            }
            self.symlink_details(dfd, i);
        }
        self.order.clear();
        self.order.extend(0..self.list.ents.len() as u32);
        self.prepare_sort();
        if c.recursive {
            for &i in &self.order {
                let e = &self.list.ents[i as usize];
                let name = self.list.name(e);
                if e.is_dir() && name != b"." && name != b".." {
                    kids.push(name, libc::DT_DIR, e.ino);
                }
            }
        }
        let order = std::mem::take(&mut self.order);
        self.p.prepare(&mut self.list, &order);
        if c.format == Format::Long || c.blocks {
            self.p.total_into(ctx.out.buf_mut(), total);
        }
        let r = self.p.print(&mut ctx.out, &self.list, &order);
        self.order = order;
        r.map_err(|e| Error::write(&e))?;
        ctx.out.maybe_flush()?;
        Ok(Action::Continue)
    }
}

fn self_ignored(c: &Config, name: &[u8]) -> bool {
    if c.hidden != Hidden::Minimal
        && name.first() == Some(&b'.')
        && (c.hidden == Hidden::Default || name == b"." || name == b"..")
    {
        return true;
    }
    if c.hidden == Hidden::Default && c.hide.iter().any(|p| fnmatch(p, name, IGNORE)) {
        return true;
    }
    c.ignore.iter().any(|p| fnmatch(p, name, IGNORE))
}

/// GNU ls's FNM_PERIOD for --hide/--ignore: `--ignore='*'` with -a still lists dot files.
const IGNORE: Flags = Flags {
    period: true,
    ..Flags::PLAIN
};

/// GNU ls's `attach`: the name as used for messages, without a leading `./` for `.`.
fn attach(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir == b"." {
        name.to_vec()
    } else {
        join(dir, name)
    }
}

/// gnulib's file_name_concat: one `/` between the directory and the name.
fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut end = dir.len();
    while end > 0 && dir[end - 1] == b'/' {
        end -= 1;
    }
    let mut v = Vec::with_capacity(dir.len() + name.len() + 1);
    if end == 0 {
        v.extend_from_slice(dir);
    } else {
        v.extend_from_slice(&dir[..end]);
        v.push(b'/');
    }
    v.extend_from_slice(name);
    v
}

#[doc(hidden)]
/// Fuzz entry: option parsing and LS_COLORS parsing must never panic on any input.
pub fn fuzz_one(data: &[u8]) {
    let _ = color::Colors::parse(data, &mut |_| {});
    let _ = opts::parse_block_size(data);
    let mut a = data.splitn(2, |&b| b == 0);
    let x = a.next().unwrap_or(b"");
    let y = a.next().unwrap_or(b"");
    let _ = crate::common::vercmp::filevercmp(x, y);
    let _ = fnmatch(x, y, IGNORE);
    let mut v = Vec::new();
    quote::quote_into_extra(&mut v, data, quote::Style::ShellEscape, b"*=>@|");
}
