//! `tar -t` and the verbose lines of every mode: GNU's `tvf` format byte for byte
//! (`-rw-r--r-- user/group      1234 2025-11-22 06:10 name`, the user/group/size column
//! widening as GNU's does), names in GNU tar's default `escape` quoting.

use super::archive::Reader;
use super::header::{Entry, Kind};
use super::matching::{Excluder, Selector};
use super::opts::Opts;
use super::pipeline::{Action, Member, Pipeline, Rename, Select};
use crate::common::io::push_fmt;
use crate::common::io::{stderr_fd, Out};
use crate::common::num::digits as itoa;
use crate::common::time::{strftime, Zone};
use crate::common::{Ctx, Result};

/// A member name as GNU tar shows it in listings.
/// GNU tar's default quoting: gnulib's escape style without the shell characters — spaces
/// stay, backslashes double, non-printable bytes become C escapes or `\ooo`.
pub fn show_name(out: &mut Vec<u8>, name: &[u8]) {
    if name
        .iter()
        .all(|&c| (0x20..0x7f).contains(&c) && c != b'\\')
    {
        out.extend_from_slice(name);
        return;
    }
    for &c in name {
        if c == b'\\' {
            out.extend_from_slice(b"\\\\");
        } else if crate::common::quote::is_printable(c) {
            out.push(c);
        } else {
            crate::common::quote::push_c_escape(out, c);
        }
    }
}

pub struct Lister {
    /// Verbose output goes to stderr when the archive itself goes to stdout.
    to_stderr: Option<Out>,
    ugswidth: usize,
    /// GNU's datewidth: grows to the widest time shown so far (`--full-time` fractions).
    datewidth: usize,
    zone: Option<Zone>,
    names: crate::common::fs::Names,
    numeric: bool,
    full_time: bool,
    utc: bool,
    line: Vec<u8>,
    last_minute: Option<(i64, Vec<u8>)>,
}

impl Lister {
    pub fn new(o: &Opts, to_stderr: bool) -> Lister {
        Lister {
            to_stderr: to_stderr.then(|| Out::on(stderr_fd(), 16 * 1024)),
            ugswidth: 19,
            datewidth: 16,
            zone: None,
            names: crate::common::fs::Names::new(),
            numeric: o.numeric_owner,
            full_time: o.full_time,
            utc: o.utc,
            line: Vec::with_capacity(256),
            last_minute: None,
        }
    }

    fn out<'a>(&'a mut self, ctx: &'a mut Ctx) -> &'a mut Out {
        match &mut self.to_stderr {
            Some(o) => o,
            None => &mut ctx.out,
        }
    }

    pub fn flush(&mut self, ctx: &mut Ctx) -> Result<()> {
        self.out(ctx).flush()?;
        Ok(())
    }

    /// Print one member: the name alone, or the long line.
    pub fn entry(&mut self, ctx: &mut Ctx, e: &Entry, long: bool) -> Result<()> {
        self.entry_as(ctx, e, &e.name, &e.link, long)
    }

    /// Print one member under the names given (renamed, or as stored).
    pub fn entry_as(
        &mut self,
        ctx: &mut Ctx,
        e: &Entry,
        name: &[u8],
        link: &[u8],
        long: bool,
    ) -> Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        if long {
            self.long_line(&mut line, e, name, link);
        } else {
            show_name(&mut line, name);
        }
        line.push(b'\n');
        let r = self.out(ctx).write_all(&line);
        self.line = line;
        r?;
        Ok(())
    }

    /// GNU's print_for_mkdir (-xvv): `drwxr-xr-x` then "Creating directory:" right-aligned
    /// under the owner, size and date columns, then the name.
    pub fn creating_dir(&mut self, ctx: &mut Ctx, name: &[u8], mode: u32) -> Result<()> {
        let mut l = std::mem::take(&mut self.line);
        l.clear();
        let ms = crate::common::fs::mode_string(mode | libc::S_IFDIR);
        l.extend_from_slice(&ms[..10]);
        let w = self.ugswidth + 1 + self.datewidth;
        push_fmt(&mut l, format_args!(" {:>w$} ", "Creating directory:"));
        show_name(&mut l, name);
        l.push(b'\n');
        let r = self.out(ctx).write_all(&l);
        self.line = l;
        r?;
        Ok(())
    }

    fn long_line(&mut self, l: &mut Vec<u8>, e: &Entry, name: &[u8], link: &[u8]) {
        let kind = e.kind();
        let tc = match e.typeflag {
            b'1' => b'h',
            b'2' => b'l',
            b'3' => b'c',
            b'4' => b'b',
            b'5' | b'D' => b'd',
            b'6' => b'p',
            b'7' => b'C',
            b'S' => b'-',
            b'V' => b'V',
            b'M' => b'M',
            b'0' | 0 => {
                if kind == Kind::Dir {
                    b'd'
                } else {
                    b'-'
                }
            }
            _ => b'?',
        };
        let ms = crate::common::fs::mode_string(e.mode | libc::S_IFREG);
        l.push(tc);
        l.extend_from_slice(&ms[1..]);
        l.push(b' ');
        // user/group and size are laid out in a small stack buffer: no allocation per line.
        let mut num = [0u8; 48];
        let user_num;
        let user: &[u8] = if !self.numeric && !e.uname.is_empty() {
            &e.uname
        } else {
            user_num = itoa(&mut num[..20], e.uid);
            user_num
        };
        let mut gnum = [0u8; 20];
        let group: &[u8] = if !self.numeric && !e.gname.is_empty() {
            &e.gname
        } else {
            itoa(&mut gnum, e.gid)
        };
        let mut sbuf = [0u8; 48];
        let size: &[u8] = match kind {
            Kind::Char | Kind::Block => {
                let mut a = [0u8; 20];
                let mut b = [0u8; 20];
                let ma = itoa(&mut a, e.devmajor as u64);
                let mi = itoa(&mut b, e.devminor as u64);
                sbuf[..ma.len()].copy_from_slice(ma);
                sbuf[ma.len()] = b',';
                sbuf[ma.len() + 1..ma.len() + 1 + mi.len()].copy_from_slice(mi);
                &sbuf[..ma.len() + 1 + mi.len()]
            }
            _ => itoa(&mut sbuf[..20], e.file_size()),
        };
        let pad = user.len() + 1 + group.len() + 1 + size.len();
        if pad > self.ugswidth {
            self.ugswidth = pad;
        }
        l.extend_from_slice(user);
        l.push(b'/');
        l.extend_from_slice(group);
        l.push(b' ');
        l.resize(l.len() + (self.ugswidth - pad), b' ');
        l.extend_from_slice(size);
        l.push(b' ');
        // Consecutive members mostly share the minute: reuse its text.
        let minute = e.mtime.div_euclid(60);
        let start = l.len();
        match &self.last_minute {
            Some((m, text)) if *m == minute && !self.full_time => l.extend_from_slice(text),
            _ => {
                let zone = self.zone.get_or_insert_with(|| {
                    if self.utc {
                        Zone::utc()
                    } else {
                        Zone::local()
                    }
                });
                if self.full_time {
                    // GNU's tartime: a negative time with a fraction shows the second after
                    // and the fraction's complement; the fraction without trailing zeros.
                    let (mut s, mut ns) = (e.mtime, e.mtime_nsec);
                    if s < 0 && ns != 0 {
                        s += 1;
                        ns = 1_000_000_000 - ns;
                    }
                    strftime(l, b"%Y-%m-%d %H:%M:%S", &zone.to_tm(s), 0, s);
                    if ns != 0 && ns < 1_000_000_000 {
                        let f = format!(".{ns:09}");
                        l.extend_from_slice(f.trim_end_matches('0').as_bytes());
                    }
                } else {
                    let tm = zone.to_tm(e.mtime);
                    strftime(l, b"%Y-%m-%d %H:%M", &tm, e.mtime_nsec, e.mtime);
                    // Whole-minute zone offsets only (every zone in use today).
                    if tm.utoff % 60 == 0 {
                        self.last_minute = Some((minute, l[start..].to_vec()));
                    }
                }
            }
        }
        self.datewidth = self.datewidth.max(l.len() - start);
        l.resize(start + self.datewidth, b' ');
        l.push(b' ');
        show_name(l, name);
        match kind {
            Kind::Symlink => {
                l.extend_from_slice(b" -> ");
                show_name(l, link);
            }
            Kind::HardLink => {
                l.extend_from_slice(b" link to ");
                show_name(l, link);
            }
            _ => {}
        }
        let _ = &self.names;
    }
}

/// `tar -t`.
pub fn list(
    ctx: &mut Ctx,
    o: &Opts,
    r: &mut Reader,
    sel: &mut Selector,
    excl: &Excluder,
) -> Result<()> {
    struct List {
        lister: Lister,
        long: bool,
    }
    impl Action for List {
        fn selected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()> {
            self.lister
                .entry_as(ctx, m.e, m.shown, m.shown_link, self.long)?;
            self.unselected(ctx, r, m)
        }
        fn before_error(&mut self, ctx: &mut Ctx) -> Result<()> {
            self.lister.flush(ctx)
        }
    }
    let mut list = List {
        lister: Lister::new(o, false),
        long: o.verbose > 0,
    };
    Pipeline::new(o, Select::Operands(sel, excl), Rename::Report).run(ctx, r, &mut list)?;
    list.lister.flush(ctx)
}
