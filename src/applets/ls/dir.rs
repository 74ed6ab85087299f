//! Listed files and their status: names in one arena, fstatat relative to the directory
//! descriptor only when the output needs it (the directories themselves are read by the
//! walker, `common::walk`, with getdents64 into one reused buffer).

use std::io;

use crate::common::sys::{self, BorrowedFd};

/// File type as GNU ls tracks it before (or without) a stat.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Ftype {
    Unknown,
    Fifo,
    Chr,
    Dir,
    Blk,
    Reg,
    Lnk,
    Sock,
    Whiteout,
}

impl Ftype {
    pub fn from_dtype(d: u8) -> Ftype {
        match d {
            libc::DT_FIFO => Ftype::Fifo,
            libc::DT_CHR => Ftype::Chr,
            libc::DT_DIR => Ftype::Dir,
            libc::DT_BLK => Ftype::Blk,
            libc::DT_REG => Ftype::Reg,
            libc::DT_LNK => Ftype::Lnk,
            libc::DT_SOCK => Ftype::Sock,
            14 => Ftype::Whiteout,
            _ => Ftype::Unknown,
        }
    }
    pub fn from_mode(m: u32) -> Ftype {
        match m & libc::S_IFMT {
            libc::S_IFIFO => Ftype::Fifo,
            libc::S_IFCHR => Ftype::Chr,
            libc::S_IFDIR => Ftype::Dir,
            libc::S_IFBLK => Ftype::Blk,
            libc::S_IFREG => Ftype::Reg,
            libc::S_IFLNK => Ftype::Lnk,
            libc::S_IFSOCK => Ftype::Sock,
            _ => Ftype::Unknown,
        }
    }
    /// GNU's filetype_letter for entries whose stat failed.
    pub fn letter(self) -> u8 {
        match self {
            Ftype::Unknown => b'?',
            Ftype::Fifo => b'p',
            Ftype::Chr => b'c',
            Ftype::Dir => b'd',
            Ftype::Blk => b'b',
            Ftype::Reg => b'-',
            Ftype::Lnk => b'l',
            Ftype::Sock => b's',
            Ftype::Whiteout => b'w',
        }
    }
}

/// One listed file. Names and link targets live in the list's arena.
#[derive(Clone, Copy)]
pub struct Ent {
    pub name: u32,
    pub nlen: u32,
    pub link: u32,
    /// Length of the symlink target; u32::MAX when not read.
    pub llen: u32,
    pub ino: u64,
    pub ftype: Ftype,
    pub stat_ok: bool,
    pub link_ok: bool,
    /// Its quoted form differs from the name (GNU's `quoted`, for aligning outer quotes).
    pub quoted: bool,
    /// A directory named on the command line (listed as contents, not as an entry).
    pub arg_dir: bool,
    pub mode: u32,
    pub link_mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u64,
    pub size: u64,
    pub blocks: u64,
    pub rdev: u64,
    pub dev: u64,
    pub sec: i64,
    pub nsec: u32,
    /// Display width of the quoted name (without indicator and prefixes).
    pub width: u32,
}

impl Ent {
    fn new(name: u32, nlen: u32, ino: u64, ftype: Ftype) -> Ent {
        Ent {
            name,
            nlen,
            link: 0,
            llen: u32::MAX,
            ino,
            ftype,
            stat_ok: false,
            link_ok: false,
            quoted: false,
            arg_dir: false,
            mode: 0,
            link_mode: 0,
            uid: 0,
            gid: 0,
            nlink: 0,
            size: 0,
            blocks: 0,
            rdev: 0,
            dev: 0,
            sec: 0,
            nsec: 0,
            width: 0,
        }
    }
    pub fn is_dir(&self) -> bool {
        if self.stat_ok {
            self.mode & libc::S_IFMT == libc::S_IFDIR
        } else {
            self.ftype == Ftype::Dir
        }
    }
    pub fn has_link(&self) -> bool {
        self.llen != u32::MAX
    }
}

/// A directory's (or the operands') entries.
#[derive(Default)]
pub struct List {
    pub arena: Vec<u8>,
    pub ents: Vec<Ent>,
}

impl List {
    pub fn clear(&mut self) {
        self.arena.clear();
        self.ents.clear();
    }
    #[inline]
    pub fn name(&self, e: &Ent) -> &[u8] {
        &self.arena[e.name as usize..(e.name + e.nlen) as usize]
    }
    #[inline]
    pub fn link(&self, e: &Ent) -> &[u8] {
        if e.has_link() {
            &self.arena[e.link as usize..(e.link + e.llen) as usize]
        } else {
            b""
        }
    }
    pub fn push(&mut self, name: &[u8], ino: u64, ftype: Ftype) -> usize {
        let off = self.arena.len() as u32;
        self.arena.extend_from_slice(name);
        self.ents.push(Ent::new(off, name.len() as u32, ino, ftype));
        self.ents.len() - 1
    }
    pub fn set_link(&mut self, i: usize, target: &[u8]) {
        let off = self.arena.len() as u32;
        self.arena.extend_from_slice(target);
        self.ents[i].link = off;
        self.ents[i].llen = target.len() as u32;
    }
}

/// Which timestamp to keep from a stat.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Which {
    M,
    A,
    C,
    B,
}

/// fstatat (or statx for the birth time) of `name` relative to `dir` into the entry.
/// `follow`: stat instead of lstat.
pub fn stat_into(
    dir: BorrowedFd,
    name: &[u8],
    follow: bool,
    which: Which,
    e: &mut Ent,
) -> io::Result<()> {
    let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    if which == Which::B {
        return statx_into(dir, name, flags, e);
    }
    let st = sys::fd::fstatat(dir, name, flags)?;
    e.mode = st.st_mode;
    e.nlink = st.st_nlink as u64;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    e.size = st.st_size as u64;
    e.blocks = st.st_blocks as u64;
    e.rdev = st.st_rdev;
    e.dev = st.st_dev;
    e.ino = st.st_ino;
    let (s, ns) = match which {
        Which::M => (st.st_mtime, st.st_mtime_nsec),
        Which::A => (st.st_atime, st.st_atime_nsec),
        _ => (st.st_ctime, st.st_ctime_nsec),
    };
    e.sec = s;
    e.nsec = ns as u32;
    e.stat_ok = true;
    e.ftype = Ftype::from_mode(st.st_mode);
    Ok(())
}

/// statx for the birth time (`--time=birth`). Where the file system records none, `sec` is
/// i64::MIN and the long format prints `?` as GNU does.
fn statx_into(dir: BorrowedFd, name: &[u8], flags: i32, e: &mut Ent) -> io::Result<()> {
    let stx = sys::fs::statx(
        dir,
        name,
        flags,
        libc::STATX_BASIC_STATS | libc::STATX_BTIME,
    )?;
    e.mode = stx.stx_mode as u32;
    e.nlink = stx.stx_nlink as u64;
    e.uid = stx.stx_uid;
    e.gid = stx.stx_gid;
    e.size = stx.stx_size;
    e.blocks = stx.stx_blocks;
    e.rdev = libc::makedev(stx.stx_rdev_major, stx.stx_rdev_minor);
    e.dev = libc::makedev(stx.stx_dev_major, stx.stx_dev_minor);
    e.ino = stx.stx_ino;
    if stx.stx_mask & libc::STATX_BTIME != 0 {
        e.sec = stx.stx_btime.tv_sec;
        e.nsec = stx.stx_btime.tv_nsec;
    } else {
        e.sec = i64::MIN;
        e.nsec = 0;
    }
    e.stat_ok = true;
    e.ftype = Ftype::from_mode(e.mode);
    Ok(())
}
