//! Output formats: long (`-l -g -o -n`), columns (`-C`), across (`-x`), commas (`-m`) and one
//! per line, with GNU's widths, quoting, indicators and colours. Lines are formatted straight
//! into the output buffer.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::color::{self, Colors};
use super::dir::{Ent, Ftype, List};
use super::opts::{Config, Format, Human, Indicator};
use crate::common::fs::{human_size, mode_string, Names};
use crate::common::io::Out;
use crate::common::num::push_u64;
use crate::common::quote::{self, is_printable, Style};
use crate::common::time::{civil_from_days, month_abbr, strftime, Zone};

/// Column widths of one listing (GNU's *_width globals, recomputed per directory).
#[derive(Default, Clone, Copy)]
pub struct Widths {
    inode: usize,
    block: usize,
    nlink: usize,
    owner: usize,
    group: usize,
    author: usize,
    scontext: usize,
    size: usize,
    major: usize,
    minor: usize,
}

pub struct Printer<'a> {
    pub c: &'a Config,
    names: Names,
    zone: Option<Zone>,
    now: (i64, u32),
    /// Local UTC offset per hour of UTC time, for the default date format.
    hour_off: HashMap<i64, i64, BuildHasherDefault<DefaultHasher>>,
    pub used_color: bool,
    scratch: Vec<u8>,
    num: Vec<u8>,
    w: Widths,
    some_quoted: bool,
    time_width: usize,
}

/// GNU ls's width of a quoted name in a single-byte locale: printable bytes only.
fn display_width(s: &[u8]) -> u32 {
    s.iter().filter(|&&b| is_printable(b)).count() as u32
}

fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

#[inline]
fn pad(out: &mut Vec<u8>, n: usize) {
    out.resize(out.len() + n, b' ');
}

/// gnulib human_readable for `n` units of `from` bytes, in `h`'s output units.
pub fn human_into(out: &mut Vec<u8>, n: u64, from: u64, h: Human) {
    if h.autoscale {
        let bytes = (n as u128 * from as u128).min(u64::MAX as u128) as u64;
        let base = if h.base1024 { 1024 } else { 1000 };
        out.extend_from_slice(human_size(bytes, base).as_bytes());
        return;
    }
    let total = n as u128 * from as u128;
    let v = total.div_ceil(h.block as u128);
    if v > u64::MAX as u128 {
        out.extend_from_slice(v.to_string().as_bytes());
    } else {
        push_u64(out, v as u64);
    }
    if h.si {
        let base: u64 = if h.base1024 { 1024 } else { 1000 };
        let mut exp = 0usize;
        let mut power: u128 = 1;
        while power < h.block as u128 && exp < 8 {
            power *= base as u128;
            exp += 1;
        }
        if exp > 0 {
            out.push(if !h.base1024 && exp == 1 {
                b'k'
            } else {
                b"KMGTPEZY"[exp - 1]
            });
        }
        if h.b {
            if h.base1024 && exp > 0 {
                out.push(b'i');
            }
            out.push(b'B');
        }
    }
}

impl<'a> Printer<'a> {
    pub fn new(c: &'a Config) -> Printer<'a> {
        Printer {
            c,
            names: Names::new(),
            zone: None,
            now: now(),
            hour_off: HashMap::default(),
            used_color: false,
            scratch: Vec::new(),
            num: Vec::new(),
            w: Widths::default(),
            some_quoted: false,
            time_width: 0,
        }
    }

    fn colors(&self) -> Option<&'a Colors> {
        self.c.color.as_ref()
    }

    /// Quote `name` into `self.scratch` the way GNU's quote_name_buf does. Returns whether the
    /// quoting changed it (GNU's `quoted`).
    fn quote(&mut self, name: &[u8], extra: &[u8]) -> bool {
        self.scratch.clear();
        let c = self.c;
        let quoted = if c.style == Style::Literal {
            self.scratch.extend_from_slice(name);
            false
        } else {
            quote::quote_into_extra(&mut self.scratch, name, c.style, extra);
            self.scratch.first() != name.first() || self.scratch.len() != name.len()
        };
        if c.qmark && matches!(c.style, Style::Literal | Style::Shell | Style::ShellAlways) {
            for b in self.scratch.iter_mut() {
                if !is_printable(*b) {
                    *b = b'?';
                }
            }
        }
        quoted
    }

    fn plain_names(&self) -> bool {
        self.c.style == Style::Literal && !self.c.qmark
    }

    /// Compute quoting flags, name widths and column widths for the entries of `list` that
    /// are in `order`.
    pub fn prepare(&mut self, list: &mut List, order: &[u32]) {
        let c = self.c;
        self.some_quoted = false;
        if self.plain_names() {
            let need_width = !matches!(c.format, Format::Long | Format::OnePerLine)
                || c.sort == super::opts::Sort::Width;
            for &i in order {
                let e = list.ents[i as usize];
                let w = if need_width {
                    display_width(list.name(&e))
                } else {
                    e.nlen
                };
                let e = &mut list.ents[i as usize];
                e.width = w;
                e.quoted = false;
            }
        } else {
            for &i in order {
                let e = list.ents[i as usize];
                let q = self.quote(list.name(&e), c.name_extra);
                let e = &mut list.ents[i as usize];
                e.quoted = q;
                e.width = display_width(&self.scratch);
                if q {
                    self.some_quoted = true;
                }
            }
            if c.align_quotes && self.some_quoted {
                for &i in order {
                    let e = &mut list.ents[i as usize];
                    if !e.quoted {
                        e.width += 1;
                    }
                }
            }
        }
        let mut w = Widths::default();
        let long = c.format == Format::Long;
        if c.inode || c.blocks || long || c.scontext {
            for &i in order {
                let e = &list.ents[i as usize];
                if c.inode {
                    w.inode = w.inode.max(if e.stat_ok || e.ino != 0 {
                        digits(e.ino)
                    } else {
                        1
                    });
                }
                if c.blocks {
                    let l = if e.stat_ok {
                        self.num.clear();
                        human_into(&mut self.num, e.blocks, 512, c.block_human);
                        self.num.len()
                    } else {
                        1
                    };
                    w.block = w.block.max(l);
                }
                if c.scontext {
                    w.scontext = w.scontext.max(1);
                }
                if !long {
                    continue;
                }
                if !e.stat_ok {
                    w.nlink = w.nlink.max(1);
                    w.owner = w.owner.max(1);
                    w.group = w.group.max(1);
                    w.author = w.author.max(1);
                    w.size = w.size.max(1);
                    continue;
                }
                w.nlink = w.nlink.max(digits(e.nlink));
                if c.owner || c.author {
                    let l = self.user_width(e.uid);
                    if c.owner {
                        w.owner = w.owner.max(l);
                    }
                    if c.author {
                        w.author = w.author.max(l);
                    }
                }
                if c.group {
                    let l = self.group_width(e.gid);
                    w.group = w.group.max(l);
                }
                let t = e.mode & libc::S_IFMT;
                if t == libc::S_IFCHR || t == libc::S_IFBLK {
                    w.major = w.major.max(digits(libc::major(e.rdev) as u64));
                    w.minor = w.minor.max(digits(libc::minor(e.rdev) as u64));
                    w.size = w.size.max(w.major + 2 + w.minor);
                } else {
                    self.num.clear();
                    human_into(&mut self.num, e.size, 1, c.size_human);
                    w.size = w.size.max(self.num.len());
                }
            }
        }
        self.w = w;
    }

    fn user_width(&mut self, uid: u32) -> usize {
        if self.c.numeric {
            return digits(uid as u64);
        }
        match self.names.user(uid) {
            Some(n) => n.len(),
            None => digits(uid as u64),
        }
    }

    fn group_width(&mut self, gid: u32) -> usize {
        if self.c.numeric {
            return digits(gid as u64);
        }
        match self.names.group(gid) {
            Some(n) => n.len(),
            None => digits(gid as u64),
        }
    }

    /// GNU's get_type_indicator.
    fn indicator(&self, stat_ok: bool, mode: u32, ftype: Ftype) -> Option<u8> {
        let ind = self.c.indicator;
        if ind == Indicator::None {
            return None;
        }
        let t = mode & libc::S_IFMT;
        let is = |m: u32, f: Ftype| if stat_ok { t == m } else { ftype == f };
        if is(libc::S_IFREG, Ftype::Reg) {
            if stat_ok && ind == Indicator::Classify && mode & 0o111 != 0 {
                return Some(b'*');
            }
            return None;
        }
        if is(libc::S_IFDIR, Ftype::Dir) {
            return Some(b'/');
        }
        if ind == Indicator::Slash {
            return None;
        }
        if is(libc::S_IFLNK, Ftype::Lnk) {
            Some(b'@')
        } else if is(libc::S_IFIFO, Ftype::Fifo) {
            Some(b'|')
        } else if is(libc::S_IFSOCK, Ftype::Sock) {
            Some(b'=')
        } else {
            None
        }
    }

    /// GNU's get_color_indicator.
    fn color_for(&self, list: &List, e: &Ent, target: bool) -> Option<&'a [u8]> {
        let colors = self.colors()?;
        let (name, mode, linkok): (&[u8], u32, i8) = if target {
            (list.link(e), e.link_mode, if e.link_ok { 0 } else { -1 })
        } else {
            let mode = if colors.ln_target && e.link_ok {
                e.link_mode
            } else {
                e.mode
            };
            (list.name(e), mode, e.link_ok as i8)
        };
        let mut ty;
        if linkok == -1 && colors.is_colored(color::MI) {
            ty = color::MI;
        } else if !e.stat_ok && !target {
            ty = match e.ftype {
                Ftype::Unknown | Ftype::Whiteout => color::NO,
                Ftype::Fifo => color::PI,
                Ftype::Chr => color::CD,
                Ftype::Dir => color::DI,
                Ftype::Blk => color::BD,
                Ftype::Reg => color::FI,
                Ftype::Lnk => color::LN,
                Ftype::Sock => color::SO,
            };
        } else {
            let t = mode & libc::S_IFMT;
            ty = match t {
                libc::S_IFREG => {
                    if mode & libc::S_ISUID != 0 && colors.is_colored(color::SU) {
                        color::SU
                    } else if mode & libc::S_ISGID != 0 && colors.is_colored(color::SG) {
                        color::SG
                    } else if mode & 0o111 != 0 && colors.is_colored(color::EX) {
                        color::EX
                    } else if e.nlink > 1 && colors.is_colored(color::MH) {
                        color::MH
                    } else {
                        color::FI
                    }
                }
                libc::S_IFDIR => {
                    if mode & libc::S_ISVTX != 0
                        && mode & 0o002 != 0
                        && colors.is_colored(color::TW)
                    {
                        color::TW
                    } else if mode & 0o002 != 0 && colors.is_colored(color::OW) {
                        color::OW
                    } else if mode & libc::S_ISVTX != 0 && colors.is_colored(color::ST) {
                        color::ST
                    } else {
                        color::DI
                    }
                }
                libc::S_IFLNK => color::LN,
                libc::S_IFIFO => color::PI,
                libc::S_IFSOCK => color::SO,
                libc::S_IFBLK => color::BD,
                libc::S_IFCHR => color::CD,
                _ => color::OR,
            };
        }
        if ty == color::FI {
            if let Some(s) = colors.ext_color(name) {
                return Some(s);
            }
        }
        if ty == color::LN && !e.link_ok && (colors.ln_target || colors.is_colored(color::OR)) {
            ty = color::OR;
        }
        colors.ind[ty].as_deref()
    }

    fn put_indicator(&mut self, out: &mut Vec<u8>, s: &[u8]) {
        if !self.used_color {
            self.used_color = true;
            if let Some(c) = self.colors() {
                c.reset_seq(out);
            }
        }
        out.extend_from_slice(s);
    }

    /// GNU's print_name_with_quoting: the (quoted, coloured) name or link target. Returns the
    /// width printed.
    fn name_into(
        &mut self,
        out: &mut Vec<u8>,
        list: &List,
        e: &Ent,
        target: bool,
        start_col: usize,
    ) -> usize {
        let name = if target { list.link(e) } else { list.name(e) };
        let color = self.colors().and_then(|_| self.color_for(list, e, target));
        let fast = self.plain_names();
        // Byte length (for the clear-to-end-of-line check, as GNU) and display width.
        let (len, width) = if fast {
            (name.len(), display_width(name) as usize)
        } else {
            let q = self.quote(name, self.c.name_extra);
            let w = display_width(&self.scratch) as usize;
            // The target is quoted on its own terms; only names are padded.
            if !target && self.c.align_quotes && self.some_quoted && !q {
                out.push(b' ');
                (self.scratch.len() + 1, w + 1)
            } else {
                (self.scratch.len(), w)
            }
        };
        if let Some(col) = color {
            let colors = self.colors().unwrap();
            if colors.is_colored(color::NO) {
                let mut v = Vec::new();
                colors.restore_seq(&mut v);
                self.put_indicator(out, &v);
            }
            let lc = colors.ind[color::LC].as_deref().unwrap_or(b"");
            let rc = colors.ind[color::RC].as_deref().unwrap_or(b"");
            self.put_indicator(out, lc);
            out.extend_from_slice(col);
            out.extend_from_slice(rc);
        }
        if fast {
            out.extend_from_slice(name);
        } else {
            out.extend_from_slice(&self.scratch);
        }
        if let Some(colors) = self.colors() {
            if color.is_some() || colors.is_colored(color::NO) {
                colors.reset_seq(out);
                let ll = self.c.line_length;
                if ll != 0 && len > 0 && start_col / ll != (start_col + len - 1) / ll {
                    if let Some(cl) = &colors.ind[color::CL] {
                        out.extend_from_slice(cl);
                    }
                }
            }
        }
        width
    }

    /// GNU's set_normal_color: the `no` colour at the start of each entry, when set.
    fn normal_color(&mut self, out: &mut Vec<u8>) {
        if let Some(colors) = self.colors() {
            if colors.is_colored(color::NO) {
                let lc = colors.ind[color::LC].as_deref().unwrap_or(b"");
                self.put_indicator(out, lc);
                out.extend_from_slice(colors.ind[color::NO].as_deref().unwrap_or(b""));
                out.extend_from_slice(colors.ind[color::RC].as_deref().unwrap_or(b""));
            }
        }
    }

    /// Width of an entry in the multi-column formats (GNU's length_of_file_name_and_frills).
    pub fn frills_width(&self, e: &Ent, commas: bool) -> usize {
        let c = self.c;
        let mut len = 0;
        if c.inode {
            len += 1 + if commas { digits(e.ino) } else { self.w.inode };
        }
        if c.blocks {
            len += 1 + if commas {
                let mut v = Vec::new();
                human_into(&mut v, e.blocks, 512, c.block_human);
                if e.stat_ok {
                    v.len()
                } else {
                    1
                }
            } else {
                self.w.block
            };
        }
        if c.scontext {
            len += 1 + if commas { 1 } else { self.w.scontext };
        }
        len += e.width as usize;
        if self.indicator(e.stat_ok, e.mode, e.ftype).is_some() {
            len += 1;
        }
        len
    }

    /// GNU's print_file_name_and_frills. Returns the width printed.
    pub fn frills_into(
        &mut self,
        out: &mut Vec<u8>,
        list: &List,
        e: &Ent,
        start_col: usize,
        commas: bool,
    ) -> usize {
        let c = self.c;
        self.normal_color(out);
        let start = out.len();
        if c.inode {
            let w = if commas { 0 } else { self.w.inode };
            self.num.clear();
            push_u64(&mut self.num, e.ino);
            pad(out, w.saturating_sub(self.num.len()));
            out.extend_from_slice(&self.num);
            out.push(b' ');
        }
        if c.blocks {
            let w = if commas { 0 } else { self.w.block };
            self.num.clear();
            if e.stat_ok {
                human_into(&mut self.num, e.blocks, 512, c.block_human);
            } else {
                self.num.push(b'?');
            }
            pad(out, w.saturating_sub(self.num.len()));
            out.extend_from_slice(&self.num);
            out.push(b' ');
        }
        if c.scontext {
            let w = if commas { 0 } else { self.w.scontext };
            pad(out, w.saturating_sub(1));
            out.extend_from_slice(b"? ");
        }
        let prefix = out.len() - start;
        let mut width = self.name_into(out, list, e, false, start_col + prefix);
        if let Some(ch) = self.indicator(e.stat_ok, e.mode, e.ftype) {
            out.push(ch);
            width += 1;
        }
        prefix + width
    }

    fn time_string(&mut self, out: &mut Vec<u8>, sec: i64, nsec: u32) {
        if sec == i64::MIN {
            let w = self.time_width();
            pad(out, w.saturating_sub(1));
            out.push(b'?');
            return;
        }
        if (sec, nsec) > self.now {
            self.now = now();
        }
        let six_months_ago = (self.now.0 - 31556952 / 2, self.now.1);
        let recent = six_months_ago < (sec, nsec) && (sec, nsec) < self.now;
        if self.zone.is_none() {
            self.zone = Some(Zone::local());
        }
        match &self.c.time_fmt {
            None => {
                let off = self.utc_offset(sec);
                let local = sec.saturating_add(off);
                let days = local.div_euclid(86400);
                let secs = local.rem_euclid(86400);
                let (y, m, d) = civil_from_days(days);
                out.extend_from_slice(month_abbr(m).as_bytes());
                out.push(b' ');
                if d < 10 {
                    out.push(b' ');
                }
                push_u64(out, d as u64);
                if recent {
                    let (h, mi) = (secs / 3600, secs / 60 % 60);
                    out.extend_from_slice(&[
                        b' ',
                        b'0' + (h / 10) as u8,
                        b'0' + (h % 10) as u8,
                        b':',
                        b'0' + (mi / 10) as u8,
                        b'0' + (mi % 10) as u8,
                    ]);
                } else {
                    out.extend_from_slice(b"  ");
                    if y < 0 {
                        out.push(b'-');
                    }
                    push_u64(out, y.unsigned_abs());
                }
            }
            Some(f) => {
                let tm = self.zone.as_ref().unwrap().to_tm(sec);
                strftime(out, &f[recent as usize], &tm, nsec, sec);
            }
        }
    }

    /// The width a `?` time is padded to: the epoch in the format for old files, as GNU's
    /// long_time_expected_width (`+%s` gives 1, not a current time's 10).
    fn time_width(&mut self) -> usize {
        if self.time_width == 0 {
            let mut v = Vec::new();
            self.time_string(&mut v, 0, 0);
            self.time_width = v.len().max(1);
        }
        self.time_width
    }

    /// The zone's UTC offset at `sec`, cached per hour when the hour has no transition.
    fn utc_offset(&mut self, sec: i64) -> i64 {
        let hour = sec.div_euclid(3600);
        if let Some(&o) = self.hour_off.get(&hour) {
            return o;
        }
        let z = self.zone.as_ref().unwrap();
        let a = z.to_tm(hour * 3600).utoff;
        let b = z.to_tm(hour * 3600 + 3599).utoff;
        if a == b {
            self.hour_off.insert(hour, a);
            a
        } else {
            z.to_tm(sec).utoff
        }
    }

    fn owner_into(&mut self, out: &mut Vec<u8>, id: u32, width: usize, group: bool, ok: bool) {
        if !ok {
            out.push(b'?');
            pad(out, width.saturating_sub(1) + 1);
            return;
        }
        let name = if self.c.numeric {
            None
        } else if group {
            self.names.group(id)
        } else {
            self.names.user(id)
        };
        match name {
            Some(n) => {
                out.extend_from_slice(n);
                pad(out, width.saturating_sub(n.len()) + 1);
            }
            None => {
                pad(out, width.saturating_sub(digits(id as u64)));
                push_u64(out, id as u64);
                out.push(b' ');
            }
        }
    }

    /// GNU's print_long_format for one entry (without the end of line).
    pub fn long_into(&mut self, out: &mut Vec<u8>, list: &List, e: &Ent) {
        let c = self.c;
        let w = self.w;
        self.normal_color(out);
        let start = out.len();
        if c.inode {
            self.num.clear();
            if e.stat_ok || e.ino != 0 {
                push_u64(&mut self.num, e.ino);
            } else {
                self.num.push(b'?');
            }
            pad(out, w.inode.saturating_sub(self.num.len()));
            out.extend_from_slice(&self.num);
            out.push(b' ');
        }
        if c.blocks {
            self.num.clear();
            if e.stat_ok {
                human_into(&mut self.num, e.blocks, 512, c.block_human);
            } else {
                self.num.push(b'?');
            }
            pad(out, w.block.saturating_sub(self.num.len()));
            out.extend_from_slice(&self.num);
            out.push(b' ');
        }
        if e.stat_ok {
            out.extend_from_slice(&mode_string(e.mode));
            out.push(b' ');
            pad(out, w.nlink.saturating_sub(digits(e.nlink)));
            push_u64(out, e.nlink);
        } else {
            out.push(e.ftype.letter());
            out.extend_from_slice(b"????????? ");
            pad(out, w.nlink.saturating_sub(1));
            out.push(b'?');
        }
        out.push(b' ');
        if c.owner {
            self.owner_into(out, e.uid, w.owner, false, e.stat_ok);
        }
        if c.group {
            self.owner_into(out, e.gid, w.group, true, e.stat_ok);
        }
        if c.author {
            self.owner_into(out, e.uid, w.author, false, e.stat_ok);
        }
        if c.scontext {
            out.push(b'?');
            pad(out, w.scontext.saturating_sub(1) + 1);
        }
        let t = e.mode & libc::S_IFMT;
        if e.stat_ok && (t == libc::S_IFCHR || t == libc::S_IFBLK) {
            let blanks = w.size.saturating_sub(w.major + 2 + w.minor);
            let (ma, mi) = (libc::major(e.rdev) as u64, libc::minor(e.rdev) as u64);
            pad(out, (w.major + blanks).saturating_sub(digits(ma)));
            push_u64(out, ma);
            out.extend_from_slice(b", ");
            pad(out, w.minor.saturating_sub(digits(mi)));
            push_u64(out, mi);
            out.push(b' ');
        } else {
            self.num.clear();
            if e.stat_ok {
                human_into(&mut self.num, e.size, 1, c.size_human);
            } else {
                self.num.push(b'?');
            }
            pad(out, w.size.saturating_sub(self.num.len()));
            out.extend_from_slice(&self.num);
            out.push(b' ');
        }
        if e.stat_ok {
            self.time_string(out, e.sec, e.nsec);
        } else {
            let tw = self.time_width();
            pad(out, tw.saturating_sub(1));
            out.push(b'?');
        }
        out.push(b' ');
        let col = out.len() - start;
        let wname = self.name_into(out, list, e, false, col);
        let is_link = if e.stat_ok {
            t == libc::S_IFLNK
        } else {
            e.ftype == Ftype::Lnk
        };
        if is_link {
            if e.has_link() {
                out.extend_from_slice(b" -> ");
                self.name_into(out, list, e, true, col + wname + 4);
                if c.indicator != Indicator::None {
                    if let Some(ch) = self.indicator(true, e.link_mode, Ftype::Unknown) {
                        out.push(ch);
                    }
                }
            }
        } else if let Some(ch) = self.indicator(e.stat_ok, e.mode, e.ftype) {
            out.push(ch);
        }
    }

    /// Print the entries of `list` in `order` in the configured format.
    pub fn print(&mut self, out: &mut Out, list: &List, order: &[u32]) -> std::io::Result<()> {
        if order.is_empty() {
            return Ok(());
        }
        let eol = self.c.eol;
        match self.c.format {
            Format::Long => {
                for &i in order {
                    let e = &list.ents[i as usize];
                    let buf = out.buf_mut();
                    self.long_into(buf, list, e);
                    buf.push(eol);
                    out.maybe_flush()?;
                }
            }
            Format::OnePerLine => {
                for &i in order {
                    let e = &list.ents[i as usize];
                    let buf = out.buf_mut();
                    self.frills_into(buf, list, e, 0, false);
                    buf.push(eol);
                    out.maybe_flush()?;
                }
            }
            Format::Commas => self.print_with_separator(out, list, order, b',')?,
            Format::Columns | Format::Across if self.c.line_length == 0 => {
                self.print_with_separator(out, list, order, b' ')?
            }
            Format::Columns => self.print_columns(out, list, order, true)?,
            Format::Across => self.print_columns(out, list, order, false)?,
        }
        Ok(())
    }

    fn print_with_separator(
        &mut self,
        out: &mut Out,
        list: &List,
        order: &[u32],
        sep: u8,
    ) -> std::io::Result<()> {
        let ll = self.c.line_length;
        let eol = self.c.eol;
        let mut pos = 0usize;
        for (k, &i) in order.iter().enumerate() {
            let e = &list.ents[i as usize];
            let len = if ll != 0 {
                self.frills_width(e, sep == b',')
            } else {
                0
            };
            let buf = out.buf_mut();
            if k != 0 {
                let separator = if ll == 0 || pos + len + 2 < ll {
                    pos += 2;
                    b' '
                } else {
                    pos = 0;
                    eol
                };
                buf.push(sep);
                buf.push(separator);
            }
            pos += self.frills_into(buf, list, e, pos, sep == b',');
            out.maybe_flush()?;
        }
        out.buf_mut().push(eol);
        Ok(())
    }

    fn indent(&self, buf: &mut Vec<u8>, mut from: usize, to: usize) {
        let ts = self.c.tabsize;
        while from < to {
            if ts != 0 && to / ts > (from + 1) / ts {
                buf.push(b'\t');
                from += ts - from % ts;
            } else {
                buf.push(b' ');
                from += 1;
            }
        }
    }

    /// GNU's calculate_columns plus print_many_per_line (`by_columns`) / print_horizontal.
    fn print_columns(
        &mut self,
        out: &mut Out,
        list: &List,
        order: &[u32],
        by_columns: bool,
    ) -> std::io::Result<()> {
        let n = order.len();
        let ll = self.c.line_length;
        let widths: Vec<usize> = order
            .iter()
            .map(|&i| self.frills_width(&list.ents[i as usize], false))
            .collect();
        const MIN_COL: usize = 3;
        // One more for the first column, which has no separator.
        let max_idx = ll.div_ceil(MIN_COL);
        let max_cols = if max_idx > 0 && max_idx < n {
            max_idx
        } else {
            n
        };
        // For each candidate column count: (valid, line length, column widths).
        let mut valid = vec![true; max_cols];
        let mut line_len: Vec<usize> = (0..max_cols).map(|i| (i + 1) * MIN_COL).collect();
        let mut col_arr: Vec<Vec<usize>> = (0..max_cols).map(|i| vec![MIN_COL; i + 1]).collect();
        for (fileno, &name_len) in widths.iter().enumerate() {
            for i in 0..max_cols {
                if !valid[i] {
                    continue;
                }
                let idx = if by_columns {
                    fileno / n.div_ceil(i + 1)
                } else {
                    fileno % (i + 1)
                };
                let real = name_len + if idx == i { 0 } else { 2 };
                let ca = &mut col_arr[i][idx];
                if *ca < real {
                    line_len[i] += real - *ca;
                    *ca = real;
                    valid[i] = line_len[i] < ll;
                }
            }
        }
        let mut cols = max_cols;
        while cols > 1 && !valid[cols - 1] {
            cols -= 1;
        }
        let cols = cols.max(1);
        let fmt = &col_arr[cols - 1];
        let eol = self.c.eol;
        if by_columns {
            let rows = n.div_ceil(cols);
            for row in 0..rows {
                let mut col = 0;
                let mut fileno = row;
                let mut pos = 0;
                loop {
                    let e = &list.ents[order[fileno] as usize];
                    let name_len = widths[fileno];
                    let max_len = fmt[col];
                    col += 1;
                    let buf = out.buf_mut();
                    self.frills_into(buf, list, e, pos, false);
                    fileno += rows;
                    if fileno >= n {
                        break;
                    }
                    self.indent(buf, pos + name_len, pos + max_len);
                    pos += max_len;
                }
                out.buf_mut().push(eol);
                out.maybe_flush()?;
            }
        } else {
            let mut pos = 0;
            let e = &list.ents[order[0] as usize];
            self.frills_into(out.buf_mut(), list, e, pos, false);
            let mut name_len = widths[0];
            let mut max_len = fmt[0];
            for fileno in 1..n {
                let col = fileno % cols;
                let buf = out.buf_mut();
                if col == 0 {
                    buf.push(eol);
                    pos = 0;
                } else {
                    self.indent(buf, pos + name_len, pos + max_len);
                    pos += max_len;
                }
                let e = &list.ents[order[fileno] as usize];
                self.frills_into(buf, list, e, pos, false);
                name_len = widths[fileno];
                max_len = fmt[col];
                out.maybe_flush()?;
            }
            out.buf_mut().push(eol);
        }
        Ok(())
    }

    /// The `total N` line of a directory listing.
    pub fn total_into(&mut self, out: &mut Vec<u8>, blocks: u64) {
        out.extend_from_slice(b"total ");
        human_into(out, blocks, 512, self.c.block_human);
        out.push(self.c.eol);
    }

    /// A directory header: the name quoted as GNU's dirname_quoting_options (`:` quoted too).
    pub fn header_into(&mut self, out: &mut Vec<u8>, name: &[u8]) {
        self.quote(name, b":");
        if self.c.style == Style::Escape {
            // Only file names get a quoted space in GNU's escape style; headers keep it bare.
            let mut k = 0;
            while k < self.scratch.len() {
                let b = self.scratch[k];
                if b == b'\\' && k + 1 < self.scratch.len() {
                    if self.scratch[k + 1] != b' ' {
                        out.push(b'\\');
                    }
                    out.push(self.scratch[k + 1]);
                    k += 2;
                } else {
                    out.push(b);
                    k += 1;
                }
            }
        } else {
            out.extend_from_slice(&self.scratch);
        }
        // GNU writes ":\n" here even with --zero.
        out.extend_from_slice(b":\n");
    }
}

/// The current time (CLOCK_REALTIME) as (seconds, nanoseconds) since the epoch.
fn now() -> (i64, u32) {
    use std::time::{SystemTime, UNIX_EPOCH};
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            // Before 1970: floor to whole seconds, as a timespec holds it.
            let d = e.duration();
            let (s, ns) = (d.as_secs() as i64, d.subsec_nanos());
            if ns == 0 {
                (-s, 0)
            } else {
                (-s - 1, 1_000_000_000 - ns)
            }
        }
    }
}
