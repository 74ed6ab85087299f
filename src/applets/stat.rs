//! `stat`: display file or file-system status.
//!
//! GNU coreutils 9: the default multi-line form (with `Device type:` for devices and `Birth:`
//! from statx(2)), `-t` terse, `-c/--format` (a newline after each) and `--printf` (backslash
//! escapes `\n \t \\ \" \a \b \e \f \r \v \NNN \xHH`, no newline), `-L`, `-f` for file
//! systems, and every directive with printf flags, width and precision as GNU filters them per
//! kind (`%-8n`, `%04a`, `%#o`, `%10.3Y` for fractional seconds): files `%a %A %b %B %C %d %D
//! %Hd %Ld %f %F %g %G %h %i %m %n %N %o %r %R %Hr %Lr %s %t %T %u %U %w %W %x %X %y %Y %z %Z`,
//! file systems `%a %b %c %d %f %i %l %n %s %S %t %T`; `-` is standard input. Names are quoted
//! by `%N` as GNU (`QUOTING_STYLE`, default shell-escape). `--cached` is accepted and has no
//! effect. Deviations: no SELinux, so `%C` reads the `security.selinux` attribute and prints
//! `?` with GNU's error when there is none; `%m` does not resolve bind mounts to their source.

use crate::common::io::push_fmt;
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::ctx::strerror;
use crate::common::fs::{mode_string, Names};
use crate::common::help::help_text;
use crate::common::num::push_u64;
use crate::common::path::{canonicalize, Missing};
use crate::common::quote::{quote_always, quote_into, quote_locale, Style};
use crate::common::sys::fs::{self as sysfs, StatFs};
use crate::common::sys::{cwd, fd as sysfd};
use crate::common::time::{strftime, Zone};
use crate::common::{Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("dereference", Some(b'L'), Some("dereference")),
        Opt::flag("file-system", Some(b'f'), Some("file-system")),
        Opt::arg("format", Some(b'c'), Some("format")),
        Opt::arg("printf", None, Some("printf")),
        Opt::flag("terse", Some(b't'), Some("terse")),
        Opt::arg("cached", None, Some("cached")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: stat [OPTION]... FILE...
Display file or file system status.

Mandatory arguments to long options are mandatory for short options too.
  -L, --dereference     follow links
  -f, --file-system     display file system status instead of file status
      --cached=MODE     specify how to use cached attributes;
                          useful on remote file systems. See MODE below
  -c  --format=FORMAT   use the specified FORMAT instead of the default;
                          output a newline after each use of FORMAT
      --printf=FORMAT   like --format, but interpret backslash escapes,
                          and do not output a mandatory trailing newline;
                          if you want a newline, include \\n in FORMAT
  -t, --terse           print the information in terse form
      --help        display this help and exit
      --version     output version information and exit

The valid format sequences for files (without --file-system):

  %a   permission bits in octal (note '#' and '0' printf flags)
  %A   permission bits and file type in human readable form
  %b   number of blocks allocated (see %B)
  %B   the size in bytes of each block reported by %b
  %C   SELinux security context string
  %d   device number in decimal (st_dev)
  %D   device number in hex (st_dev)
  %Hd  major device number in decimal
  %Ld  minor device number in decimal
  %f   raw mode in hex
  %F   file type
  %g   group ID of owner
  %G   group name of owner
  %h   number of hard links
  %i   inode number
  %m   mount point
  %n   file name
  %N   quoted file name with dereference if symbolic link
  %o   optimal I/O transfer size hint
  %s   total size, in bytes
  %r   device type in decimal (st_rdev)
  %R   device type in hex (st_rdev)
  %Hr  major device type in decimal, for character/block device special files
  %Lr  minor device type in decimal, for character/block device special files
  %t   major device type in hex, for character/block device special files
  %T   minor device type in hex, for character/block device special files
  %u   user ID of owner
  %U   user name of owner
  %w   time of file birth, human-readable; - if unknown
  %W   time of file birth, seconds since Epoch; 0 if unknown
  %x   time of last access, human-readable
  %X   time of last access, seconds since Epoch
  %y   time of last data modification, human-readable
  %Y   time of last data modification, seconds since Epoch
  %z   time of last status change, human-readable
  %Z   time of last status change, seconds since Epoch

Valid format sequences for file systems:

  %a   free blocks available to non-superuser
  %b   total data blocks in file system
  %c   total file nodes in file system
  %d   free file nodes in file system
  %f   free blocks in file system
  %i   file system ID in hex
  %l   maximum length of filenames
  %n   file name
  %s   block size (for faster transfers)
  %S   fundamental block size (for block counts)
  %t   file system type in hex
  %T   file system type in human readable form

--terse is equivalent to the following FORMAT:
    %n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o
--terse --file-system is equivalent to the following FORMAT:
    %n %i %l %t %s %S %b %f %a %c %d
"
    ),
);

const FMT_TERSE: &[u8] = b"%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";
const FMT_TERSE_FS: &[u8] = b"%n %i %l %t %s %S %b %f %a %c %d\n";
const FMT_FS: &[u8] = b"  File: \"%n\"\n    ID: %-8i Namelen: %-7l Type: %T\n\
Block size: %-10s Fundamental block size: %S\n\
Blocks: Total: %-10b Free: %-10f Available: %a\n\
Inodes: Total: %-10c Free: %d\n";
const FMT_HEAD: &[u8] = b"  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n";
const FMT_DEV: &[u8] = b"Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n";
const FMT_NODEV: &[u8] = b"Device: %Hd,%Ld\tInode: %-11i Links: %h\n";
const FMT_TAIL: &[u8] = b"Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";

/// A directive: `%` flags width .precision, as written (for the epoch-seconds rules).
#[derive(Default)]
struct Dir {
    flags: Vec<u8>,
    width: Option<usize>,
    /// `.` seen; `prec` is then its digits (None when there were none).
    dot: bool,
    prec: Option<usize>,
}

impl Dir {
    fn has(&self, f: u8) -> bool {
        self.flags.contains(&f)
    }
}

/// A file's status, from statx.
struct Info {
    mode: u32,
    ino: u64,
    dev: (u32, u32),
    rdev: (u32, u32),
    nlink: u64,
    uid: u32,
    gid: u32,
    size: i64,
    blocks: u64,
    blksize: u64,
    atime: (i64, u32),
    mtime: (i64, u32),
    ctime: (i64, u32),
    btime: Option<(i64, u32)>,
}

struct Stat<'a> {
    ctx: &'a mut Ctx,
    follow: bool,
    names: Names,
    zone: Option<Zone>,
    style: Style,
    /// An invalid directive ends everything (GNU dies there).
    fatal: Option<Vec<u8>>,
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    let mut format: Option<(Vec<u8>, bool)> = None;
    for (id, v) in &m.opts {
        match (*id, v) {
            ("format", Some(v)) => {
                format = Some((v.as_bytes().to_vec(), false));
            }
            ("printf", Some(v)) => format = Some((v.as_bytes().to_vec(), true)),
            ("cached", Some(v)) if !matches!(v.as_bytes(), b"always" | b"never" | b"default") => {
                let mut msg = b"invalid argument ".to_vec();
                msg.extend_from_slice(&quote_always(v.as_bytes()));
                msg.extend_from_slice(
                    b" for '--cached'\nValid arguments are:\n  - 'default'\n  - 'never'\n  - 'always'",
                );
                return Err(args::usage_error(ctx, &SPEC, &msg, 1));
            }
            _ => {}
        }
    }
    if m.operands.is_empty() {
        return Err(args::usage_error(ctx, &SPEC, b"missing operand", 1));
    }
    let fs = m.flag("file-system");
    let terse = m.flag("terse");
    // GNU: a user's format with %N quotes as QUOTING_STYLE says (shell-escape-always by
    // default); the default format's %N is literal.
    let user_n = format
        .as_ref()
        .is_some_and(|f| f.0.windows(2).any(|w| w == b"%N"));
    let style = match std::env::var_os("QUOTING_STYLE") {
        _ if !user_n => Style::Literal,
        Some(s) => match s.to_str().and_then(Style::from_name) {
            Some(st) => st,
            None => {
                let mut msg =
                    b"ignoring invalid value of environment variable QUOTING_STYLE: ".to_vec();
                msg.extend_from_slice(&quote_always(s.as_bytes()));
                ctx.msg(&msg);
                Style::ShellEscapeAlways
            }
        },
        None => Style::ShellEscapeAlways,
    };
    let mut st = Stat {
        ctx,
        follow: m.flag("dereference"),
        names: Names::new(),
        zone: None,
        style,
        fatal: None,
    };
    for name in &m.operands {
        let name = name.as_bytes();
        if fs {
            st.statfs(name, format.as_ref(), terse)?;
        } else {
            st.stat(name, format.as_ref(), terse)?;
        }
        if let Some(msg) = st.fatal.take() {
            return Err(Error::new(1, msg));
        }
    }
    Ok(())
}

fn ts(t: libc::statx_timestamp) -> (i64, u32) {
    (t.tv_sec, t.tv_nsec)
}

fn file_type(mode: u32, size: i64) -> &'static [u8] {
    match mode & libc::S_IFMT {
        libc::S_IFREG if size == 0 => b"regular empty file",
        libc::S_IFREG => b"regular file",
        libc::S_IFDIR => b"directory",
        libc::S_IFBLK => b"block special file",
        libc::S_IFCHR => b"character special file",
        libc::S_IFIFO => b"fifo",
        libc::S_IFLNK => b"symbolic link",
        libc::S_IFSOCK => b"socket",
        _ => b"weird file",
    }
}

/// GNU's names for file-system magic numbers (the common part of stat.c's table).
fn fs_type_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0xEF53 => "ext2/ext3",
        0x01021994 => "tmpfs",
        0x9FA0 => "proc",
        0x62656572 => "sysfs",
        0x1CD1 => "devpts",
        0x9123683E => "btrfs",
        0x58465342 => "xfs",
        0x794C7630 => "overlayfs",
        0x63677270 => "cgroup2fs",
        0x0027E0EB => "cgroupfs",
        0x6969 => "nfs",
        0x4D44 => "msdos",
        0x65735546 => "fuseblk",
        0x65735543 => "fusectl",
        0x64626720 => "debugfs",
        0x73636673 => "securityfs",
        0x73717368 => "squashfs",
        0x858458F6 => "ramfs",
        0x19800202 => "mqueue",
        0x958458F6 => "hugetlbfs",
        0xCAFE4A11 => "bpf_fs",
        0x74726163 => "tracefs",
        0x6165676C => "pstorefs",
        0x0187 => "autofs",
        0x42494E4D => "binfmt_misc",
        0x6E736673 => "nsfs",
        0x2FC12FC1 => "zfs",
        0xF2F52010 => "f2fs",
        0x3434 => "nilfs",
        0x9660 => "isofs",
        0x15013346 => "udf",
        0x5346544E => "ntfs",
        0x7366746E => "ntfs",
        0x2011BAB0 => "exfat",
        0xFF534D42 => "cifs",
        0xFE534D42 => "smb2",
        0x01021997 => "v9fs",
        0x137D => "ext",
        0x5346414F => "afs",
        0x00C36400 => "ceph",
        0x453DCD28 => "cramfs",
        0x28CD3D45 => "cramfs",
        0x73727279 => "btrfs_test",
        0x62646576 => "bdevfs",
        0x42465331 => "befs",
        0x1BADFACE => "bfs",
        0x53464846 => "wslfs",
        0x50495045 => "pipefs",
        0x534F434B => "sockfs",
        0x09041934 => "anon-inode FS",
        0x6B414653 => "k-afs",
        0x5A3C69F0 => "aafs",
        0x454D444D => "devmem",
        0x13661366 => "balloon-kvm-fs",
        0x0BAD1DEA => "futexfs",
        0x2BAD1DEA => "inotifyfs",
        0x0BD00BD0 => "lustre",
        0x47504653 => "gpfs",
        0x43415D53 => "smackfs",
        0xF97CFF8C => "selinux",
        0x012FF7B7 => "coh",
        0x1373 => "devfs",
        0x137F | 0x138F => "minix",
        0x2468 | 0x2478 => "minix v2",
        0x4D5A => "minix3",
        0x564C => "novell",
        0x5DF5 => "exofs",
        0xADF5 => "adfs",
        0xADFF => "affs",
        0x73757245 => "coda",
        0xE0F5E1E2 => "erofs",
        _ => return None,
    })
}

impl Stat<'_> {
    fn out(&mut self) -> &mut Vec<u8> {
        self.ctx.out.buf_mut()
    }

    fn stat(&mut self, name: &[u8], format: Option<&(Vec<u8>, bool)>, terse: bool) -> Result<()> {
        let mask = libc::STATX_BASIC_STATS | libc::STATX_BTIME;
        let r = if name == b"-" {
            sysfs::statx(
                crate::common::io::stdin_fd(),
                b"",
                libc::AT_EMPTY_PATH,
                mask,
            )
        } else {
            let fl = libc::AT_NO_AUTOMOUNT
                | if self.follow {
                    0
                } else {
                    libc::AT_SYMLINK_NOFOLLOW
                };
            sysfs::statx(cwd(), name, fl, mask)
        };
        let sx = match r {
            Ok(s) => s,
            Err(e) => {
                let mut msg = b"cannot statx ".to_vec();
                msg.extend_from_slice(&quote_always(name));
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                self.ctx.error(1, &msg);
                return Ok(());
            }
        };
        let info = Info {
            mode: sx.stx_mode as u32,
            ino: sx.stx_ino,
            dev: (sx.stx_dev_major, sx.stx_dev_minor),
            rdev: (sx.stx_rdev_major, sx.stx_rdev_minor),
            nlink: sx.stx_nlink as u64,
            uid: sx.stx_uid,
            gid: sx.stx_gid,
            size: sx.stx_size as i64,
            blocks: sx.stx_blocks,
            blksize: sx.stx_blksize as u64,
            atime: ts(sx.stx_atime),
            mtime: ts(sx.stx_mtime),
            ctime: ts(sx.stx_ctime),
            btime: (sx.stx_mask & libc::STATX_BTIME != 0).then(|| ts(sx.stx_btime)),
        };
        let built;
        let (fmt, esc): (&[u8], bool) = match format {
            Some((f, e)) => (f, *e),
            None if terse => (FMT_TERSE, false),
            None => {
                let t = info.mode & libc::S_IFMT;
                let dev = t == libc::S_IFBLK || t == libc::S_IFCHR;
                built = [FMT_HEAD, if dev { FMT_DEV } else { FMT_NODEV }, FMT_TAIL].concat();
                (&built, false)
            }
        };
        let ok = self.print_it(fmt, esc, name, &mut |s, out, d, c, m| {
            s.file_directive(out, d, c, m, name, &info)
        });
        if format.is_some_and(|f| !f.1) && self.fatal.is_none() {
            self.out().push(b'\n');
        }
        if !ok {
            self.ctx.fail(1);
        }
        self.ctx.out.maybe_flush()?;
        Ok(())
    }

    fn statfs(&mut self, name: &[u8], format: Option<&(Vec<u8>, bool)>, terse: bool) -> Result<()> {
        if name == b"-" {
            self.ctx.error(
                1,
                b"using '-' to denote standard input does not work in file system mode",
            );
            return Ok(());
        }
        let sf = match sysfs::statfs(name) {
            Ok(s) => s,
            Err(e) => {
                let mut msg = b"cannot read file system information for ".to_vec();
                msg.extend_from_slice(&quote_always(name));
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(strerror(&e).as_bytes());
                self.ctx.error(1, &msg);
                return Ok(());
            }
        };
        let (fmt, esc): (&[u8], bool) = match format {
            Some((f, e)) => (f, *e),
            None if terse => (FMT_TERSE_FS, false),
            None => (FMT_FS, false),
        };
        let ok = self.print_it(fmt, esc, name, &mut |_, out, d, c, _| {
            fs_directive(out, d, c, name, &sf);
            true
        });
        if format.is_some_and(|f| !f.1) && self.fatal.is_none() {
            self.out().push(b'\n');
        }
        if !ok {
            self.ctx.fail(1);
        }
        self.ctx.out.maybe_flush()?;
        Ok(())
    }

    /// GNU's print_it: literal bytes, escapes (with `--printf`), directives handed to `f`
    /// (with the directive, its letter and an `H`/`L` modifier). False: a directive failed.
    #[allow(clippy::type_complexity)]
    fn print_it(
        &mut self,
        fmt: &[u8],
        esc: bool,
        _name: &[u8],
        f: &mut dyn FnMut(&mut Self, &mut Vec<u8>, &Dir, u8, u8) -> bool,
    ) -> bool {
        let mut ok = true;
        let mut i = 0;
        let mut tmp = Vec::new();
        while i < fmt.len() {
            let c = fmt[i];
            match c {
                b'%' => {
                    let start = i;
                    i += 1;
                    let mut d = Dir::default();
                    while i < fmt.len() && b"'-+ #0I".contains(&fmt[i]) {
                        d.flags.push(fmt[i]);
                        i += 1;
                    }
                    let digits = |i: &mut usize| {
                        let s = *i;
                        while *i < fmt.len() && fmt[*i].is_ascii_digit() {
                            *i += 1;
                        }
                        (s < *i).then(|| {
                            std::str::from_utf8(&fmt[s..*i])
                                .ok()
                                .and_then(|t| t.parse::<usize>().ok())
                                .unwrap_or(usize::MAX / 4)
                        })
                    };
                    d.width = digits(&mut i);
                    if i < fmt.len() && fmt[i] == b'.' {
                        i += 1;
                        d.dot = true;
                        d.prec = digits(&mut i);
                    }
                    let len = i - start - 1;
                    let code = fmt.get(i).copied().unwrap_or(0);
                    match code {
                        0 | b'%' => {
                            if len > 0 {
                                let mut dest = fmt[start..i.min(fmt.len())].to_vec();
                                if code == b'%' {
                                    dest.push(b'%');
                                }
                                let mut msg = quote_locale(&dest);
                                msg.extend_from_slice(b": invalid directive");
                                self.fatal = Some(msg);
                                return false;
                            }
                            self.out().push(b'%');
                            if code == 0 {
                                break;
                            }
                        }
                        _ => {
                            let mut modc = 0;
                            let mut code = code;
                            if matches!(code, b'H' | b'L')
                                && matches!(fmt.get(i + 1), Some(b'd') | Some(b'r'))
                            {
                                modc = code;
                                i += 1;
                                code = fmt[i];
                            }
                            tmp.clear();
                            // GNU's printf of a width or precision past an int fails and
                            // stat writes nothing for it (the directive is still checked;
                            // an unknown one is its bare `?`, no printf).
                            let too_wide = [d.width, d.prec]
                                .iter()
                                .flatten()
                                .any(|&n| n > i32::MAX as usize);
                            if too_wide {
                                d.width = None;
                                d.prec = None;
                            }
                            ok &= f(self, &mut tmp, &d, code, modc);
                            if !too_wide || tmp == b"?" {
                                self.out().extend_from_slice(&tmp);
                            }
                        }
                    }
                    i += 1;
                }
                b'\\' if esc => {
                    i += 1;
                    let Some(&e) = fmt.get(i) else {
                        self.ctx.msg(b"warning: backslash at end of format");
                        self.out().push(b'\\');
                        break;
                    };
                    if (b'0'..=b'7').contains(&e) {
                        let mut v = 0u32;
                        let mut n = 0;
                        while n < 3 && i < fmt.len() && (b'0'..=b'7').contains(&fmt[i]) {
                            v = v * 8 + (fmt[i] - b'0') as u32;
                            i += 1;
                            n += 1;
                        }
                        self.out().push(v as u8);
                        continue;
                    }
                    if e == b'x' && fmt.get(i + 1).is_some_and(|b| b.is_ascii_hexdigit()) {
                        let mut v = 0u32;
                        i += 1;
                        let mut n = 0;
                        while n < 2 && i < fmt.len() && fmt[i].is_ascii_hexdigit() {
                            v = v * 16 + (fmt[i] as char).to_digit(16).unwrap_or(0);
                            i += 1;
                            n += 1;
                        }
                        self.out().push(v as u8);
                        continue;
                    }
                    let b = match e {
                        b'a' => 7,
                        b'b' => 8,
                        b'e' => 0x1b,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'v' => 11,
                        b'"' | b'\\' => e,
                        _ => {
                            let mut msg = b"warning: unrecognized escape '\\".to_vec();
                            msg.push(e);
                            msg.push(b'\'');
                            self.ctx.msg(&msg);
                            e
                        }
                    };
                    self.out().push(b);
                    i += 1;
                }
                _ => {
                    self.out().push(c);
                    i += 1;
                }
            }
        }
        ok
    }

    fn human_time(&mut self, out: &mut Vec<u8>, t: (i64, u32)) {
        let z = self.zone.get_or_insert_with(Zone::local);
        let tm = z.to_tm(t.0);
        strftime(out, b"%Y-%m-%d %H:%M:%S.%N %z", &tm, t.1, t.0);
    }

    fn file_directive(
        &mut self,
        out: &mut Vec<u8>,
        d: &Dir,
        c: u8,
        modc: u8,
        name: &[u8],
        s: &Info,
    ) -> bool {
        let dev = |p: (u32, u32)| sysfs::makedev(p.0, p.1);
        let pick = |p: (u32, u32)| match modc {
            b'H' => p.0 as u64,
            b'L' => p.1 as u64,
            _ => dev(p),
        };
        match c {
            b'n' => out_str(out, d, name),
            // The width and precision apply to the name and to the target each (GNU).
            b'N' => {
                let mut q = Vec::new();
                quote_into(&mut q, name, self.style);
                if s.mode & libc::S_IFMT == libc::S_IFLNK {
                    match sysfs::readlinkat(cwd(), name, s.size.max(0) as usize) {
                        Ok(l) => {
                            out_str(out, d, &q);
                            out.extend_from_slice(b" -> ");
                            q.clear();
                            quote_into(&mut q, &l, self.style);
                        }
                        Err(e) => {
                            out_str(out, d, &q);
                            let mut msg = b"cannot read symbolic link ".to_vec();
                            msg.extend_from_slice(&quote_always(name));
                            msg.extend_from_slice(b": ");
                            msg.extend_from_slice(strerror(&e).as_bytes());
                            self.ctx.out.buf_mut().extend_from_slice(out);
                            out.clear();
                            self.ctx.msg(&msg);
                            return false;
                        }
                    }
                }
                out_str(out, d, &q);
            }
            b'd' => out_num(out, d, b"'-0", false, pick(s.dev), 10),
            b'D' => out_num(out, d, b"'-#0", false, dev(s.dev), 16),
            b'i' => out_num(out, d, b"'-0", false, s.ino, 10),
            b'a' => out_num(out, d, b"'-#0", false, (s.mode & 0o7777) as u64, 8),
            b'A' => out_str(out, d, &mode_string(s.mode)),
            b'f' => out_num(out, d, b"'-#0", false, s.mode as u64, 16),
            b'F' => out_str(out, d, file_type(s.mode, s.size)),
            b'h' => out_num(out, d, b"'-0", false, s.nlink, 10),
            b'u' => out_num(out, d, b"'-0", false, s.uid as u64, 10),
            b'g' => out_num(out, d, b"'-0", false, s.gid as u64, 10),
            b'U' => {
                let n = self.names.user(s.uid).unwrap_or(b"UNKNOWN").to_vec();
                out_str(out, d, &n);
            }
            b'G' => {
                let n = self.names.group(s.gid).unwrap_or(b"UNKNOWN").to_vec();
                out_str(out, d, &n);
            }
            b'm' => {
                let mp = mount_point(name, s);
                match mp {
                    Ok(p) => out_str(out, d, &p),
                    Err(e) => {
                        let mut msg = b"failed to canonicalize ".to_vec();
                        msg.extend_from_slice(&quote_always(name));
                        msg.extend_from_slice(b": ");
                        msg.extend_from_slice(strerror(&e).as_bytes());
                        self.ctx.msg(&msg);
                        out_str(out, d, b"?");
                        return false;
                    }
                }
            }
            b's' => out_num(out, d, b"'-+ 0", s.size < 0, s.size.unsigned_abs(), 10),
            b'r' => out_num(out, d, b"'-0", false, pick(s.rdev), 10),
            b'R' => out_num(out, d, b"'-#0", false, dev(s.rdev), 16),
            b't' => out_num(out, d, b"'-#0", false, s.rdev.0 as u64, 16),
            b'T' => out_num(out, d, b"'-#0", false, s.rdev.1 as u64, 16),
            b'B' => out_num(out, d, b"'-0", false, 512, 10),
            b'b' => out_num(out, d, b"'-0", false, s.blocks, 10),
            b'o' => out_num(out, d, b"'-0", false, s.blksize, 10),
            b'w' => match s.btime {
                Some(t) => {
                    let mut h = Vec::new();
                    self.human_time(&mut h, t);
                    out_str(out, d, &h);
                }
                None => out_str(out, d, b"-"),
            },
            b'W' => out_epoch(out, d, s.btime.filter(|t| t.0 >= 0).unwrap_or((0, 0))),
            b'x' | b'y' | b'z' => {
                let t = match c {
                    b'x' => s.atime,
                    b'y' => s.mtime,
                    _ => s.ctime,
                };
                let mut h = Vec::new();
                self.human_time(&mut h, t);
                out_str(out, d, &h);
            }
            b'X' => out_epoch(out, d, s.atime),
            b'Y' => out_epoch(out, d, s.mtime),
            b'Z' => out_epoch(out, d, s.ctime),
            b'C' => {
                let mut buf = [0u8; 256];
                match sysfs::getxattr(name, b"security.selinux", !self.follow, &mut buf) {
                    Ok(n) => {
                        let v = &buf[..n];
                        let v = v.strip_suffix(b"\0").unwrap_or(v);
                        out_str(out, d, v);
                    }
                    Err(e) => {
                        let mut msg = b"failed to get security context of ".to_vec();
                        msg.extend_from_slice(&quote_always(name));
                        msg.extend_from_slice(b": ");
                        msg.extend_from_slice(strerror(&e).as_bytes());
                        self.ctx.msg(&msg);
                        out_str(out, d, b"?");
                        return false;
                    }
                }
            }
            _ => out.push(b'?'),
        }
        true
    }
}

fn fs_directive(out: &mut Vec<u8>, d: &Dir, c: u8, name: &[u8], s: &StatFs) {
    match c {
        b'n' => out_str(out, d, name),
        b'i' => {
            let id = ((s.fsid[0] as u64) << 32) | s.fsid[1] as u64;
            out_num(out, d, b"'-#0", false, id, 16)
        }
        b'l' => out_num(out, d, b"'-0", false, s.namelen, 10),
        b't' => out_num(out, d, b"'-#0", false, s.ftype, 16),
        b'T' => match fs_type_name(s.ftype) {
            Some(n) => out_str(out, d, n.as_bytes()),
            None => out_str(out, d, format!("UNKNOWN (0x{:x})", s.ftype).as_bytes()),
        },
        b'b' => out_num(out, d, b"'-+ 0", false, s.blocks, 10),
        b'f' => out_num(out, d, b"'-+ 0", false, s.bfree, 10),
        b'a' => out_num(out, d, b"'-+ 0", false, s.bavail, 10),
        b's' => out_num(out, d, b"'-0", false, s.bsize, 10),
        b'S' => out_num(
            out,
            d,
            b"'-0",
            false,
            if s.frsize != 0 { s.frsize } else { s.bsize },
            10,
        ),
        b'c' => out_num(out, d, b"'-0", false, s.files, 10),
        b'd' => out_num(out, d, b"'-+ 0", false, s.ffree, 10),
        _ => out.push(b'?'),
    }
}

/// `%s` with GNU's allowed flags (`-` only), width and precision.
fn out_str(out: &mut Vec<u8>, d: &Dir, s: &[u8]) {
    let s = match (d.dot, d.prec) {
        (true, p) => &s[..s.len().min(p.unwrap_or(0))],
        _ => s,
    };
    let w = d.width.unwrap_or(0);
    let pad = w.saturating_sub(s.len());
    if d.has(b'-') {
        out.extend_from_slice(s);
        out.resize(out.len() + pad, b' ');
    } else {
        out.resize(out.len() + pad, b' ');
        out.extend_from_slice(s);
    }
}

/// A printf integer conversion (`d`, `u`, `o`, `x`) with the flags GNU keeps for it.
fn out_num(out: &mut Vec<u8>, d: &Dir, allowed: &[u8], neg: bool, mag: u64, base: u32) {
    let f = |c: u8| allowed.contains(&c) && d.has(c);
    let mut digits = Vec::new();
    match base {
        10 => push_u64(&mut digits, mag),
        8 => push_fmt(&mut digits, format_args!("{mag:o}")),
        _ => push_fmt(&mut digits, format_args!("{mag:x}")),
    }
    let prec = if d.dot {
        Some(d.prec.unwrap_or(0))
    } else {
        None
    };
    if let Some(p) = prec {
        if p == 0 && mag == 0 {
            digits.clear();
        }
        if digits.len() < p {
            let mut z = vec![b'0'; p - digits.len()];
            z.extend_from_slice(&digits);
            digits = z;
        }
    }
    let mut prefix: Vec<u8> = Vec::new();
    if neg {
        prefix.push(b'-');
    } else if f(b'+') {
        prefix.push(b'+');
    } else if f(b' ') {
        prefix.push(b' ');
    }
    if f(b'#') {
        if base == 8 && digits.first() != Some(&b'0') {
            digits.insert(0, b'0');
        } else if base == 16 && mag != 0 {
            prefix.extend_from_slice(b"0x");
        }
    }
    let len = prefix.len() + digits.len();
    let w = d.width.unwrap_or(0);
    let pad = w.saturating_sub(len);
    if f(b'-') {
        out.extend_from_slice(&prefix);
        out.extend_from_slice(&digits);
        out.resize(out.len() + pad, b' ');
    } else if f(b'0') && prec.is_none() {
        out.extend_from_slice(&prefix);
        out.resize(out.len() + pad, b'0');
        out.extend_from_slice(&digits);
    } else {
        out.resize(out.len() + pad, b' ');
        out.extend_from_slice(&prefix);
        out.extend_from_slice(&digits);
    }
}

/// Seconds since the epoch with GNU's fractional-seconds rules: `%.3Y` prints milliseconds,
/// `%.Y` nanoseconds, a width counts the whole number.
fn out_epoch(out: &mut Vec<u8>, d: &Dir, t: (i64, u32)) {
    let (mut sec, nsec) = t;
    if !d.dot {
        out_num(out, d, b"'-+ 0", sec < 0, sec.unsigned_abs(), 10);
        return;
    }
    let precision = d.prec.unwrap_or(9);
    // The seconds' own directive: the flags, and a width left for them.
    let mut sd = Dir {
        flags: d.flags.clone(),
        width: d.width,
        dot: false,
        prec: None,
    };
    let mut frac_left = false;
    let mut total_w = 0;
    if precision > 0 {
        if let Some(width) = d.width {
            sd.width = None;
            total_w = width;
            if width > 1 {
                let w_d = width.saturating_sub(1);
                if w_d > 1 {
                    let w = w_d as i64 - precision as i64;
                    if w > 1 {
                        frac_left = d.has(b'-');
                        sd.flags.retain(|&c| c != b'-');
                        if !frac_left {
                            sd.width = Some(w as usize);
                        }
                    }
                }
            }
        }
    }
    let prec9 = precision.min(9);
    let divisor = 10u32.pow(9 - prec9 as u32);
    let mut frac = nsec / divisor;
    let mut minus_zero = false;
    if sec < 0 && nsec != 0 {
        let modulus = 1_000_000_000 / divisor;
        frac = modulus - frac - u32::from(nsec % divisor != 0);
        if frac != 0 {
            sec += 1;
        }
        minus_zero = sec == 0;
    }
    let start = out.len();
    if minus_zero {
        out_num(out, &sd, b"'-+ 0", true, 0, 10);
    } else {
        out_num(out, &sd, b"'-+ 0", sec < 0, sec.unsigned_abs(), 10);
    }
    if precision > 0 {
        out.push(b'.');
        let s = format!("{frac:0w$}", w = prec9);
        out.extend_from_slice(s.as_bytes());
        out.resize(out.len() + (precision - prec9), b'0');
        if frac_left {
            let used = out.len() - start;
            out.resize(out.len() + total_w.saturating_sub(used), b' ');
        }
    }
}

/// gnulib's find_mount_point: the directory (the file's, for a non-directory) walked up while
/// the device stays the same.
fn mount_point(name: &[u8], s: &Info) -> io::Result<Vec<u8>> {
    let start: Vec<u8> = if s.mode & libc::S_IFMT == libc::S_IFDIR {
        name.to_vec()
    } else {
        let n = crate::common::fs::dir_len(name);
        if n == 0 {
            b".".to_vec()
        } else {
            name[..n].to_vec()
        }
    };
    let mut cur = canonicalize(&start, Missing::None, true)?;
    let mut st = sysfd::stat(&cur)?;
    loop {
        if cur == b"/" {
            return Ok(cur);
        }
        let n = crate::common::fs::dir_len(&cur);
        let parent = if n == 0 {
            b"/".to_vec()
        } else {
            cur[..n].to_vec()
        };
        let pst = sysfd::stat(&parent)?;
        if pst.st_dev != st.st_dev || pst.st_ino == st.st_ino {
            return Ok(cur);
        }
        cur = parent;
        st = pst;
    }
}
