//! The one member pipeline every mode that reads an archive runs: read a header → select the
//! member → rewrite its name → hand it to the mode's [`Action`] (list, extract, diff, the
//! scans of `-r`/`-u`, delete). The pipeline owns what must not drift between modes: the
//! "Skipping to next header" report after a damaged header, operand and `--exclude`
//! selection, GNU's `safer_name` (leading `/` and `../` removed and reported once), the refusal
//! of members with `..`, `--strip-components`, and the routing of read errors.

use super::archive::{padding, ReadErr, Reader};
use super::diag::{diag_name, read_error};
use super::header::{Entry, Kind};
use super::matching::{Excluder, Selector};
use super::opts::Opts;
use crate::common::{Ctx, Result};

/// Which members the action gets as selected.
pub enum Select<'p> {
    /// Every member (the scan before `-r`/`-u`).
    Every,
    /// Members named by the operands (all when there are none), less the excluded ones.
    Operands(&'p mut Selector, &'p Excluder),
    /// Only members named by an operand, none without operands (`--delete`).
    Named(&'p mut Selector),
}

/// What the name becomes before the action sees it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rename {
    /// As stored.
    Keep,
    /// As stored, but the prefixes extraction would strip are reported (GNU does so when
    /// listing, for names and hard link targets).
    Report,
    /// For the file system: leading `/` and `../` removed unless `-P`, members with `..`
    /// refused, `--strip-components` applied (a member left with no name is skipped).
    Target,
}

/// A member as the action sees it: its header, its name after [`Rename`], and the offset in
/// the (uncompressed) archive of its first block (extended headers included).
pub struct Member<'m> {
    pub e: &'m Entry,
    pub name: &'m [u8],
    pub start: u64,
}

/// A mode's part: consume the member's data (and padding) from the reader.
pub trait Action {
    fn selected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()>;

    /// A member not selected: its data is skipped.
    fn unselected(&mut self, ctx: &mut Ctx, r: &mut Reader, m: &Member) -> Result<()> {
        if let Err(e) = r.input.skip(data_len(m.e)) {
            self.before_error(ctx)?;
            return Err(read_error(ctx, e.into()));
        }
        Ok(())
    }

    /// A damaged header was skipped on the way to this member: GNU's error (status 2).
    fn skipped_header(&mut self, ctx: &mut Ctx) {
        ctx.error(2, b"Skipping to next header");
    }

    /// Called before a read error is reported (a listing flushes the lines it holds).
    fn before_error(&mut self, _ctx: &mut Ctx) -> Result<()> {
        Ok(())
    }
}

/// Data and padding of a member.
pub fn data_len(e: &Entry) -> u64 {
    e.size + padding(e.size)
}

/// Skip a member's data and padding; a failure is the archive's read error.
pub fn skip_data(ctx: &mut Ctx, r: &mut Reader, e: &Entry) -> Result<()> {
    r.input
        .skip(data_len(e))
        .map_err(|er| read_error(ctx, er.into()))
}

pub struct Pipeline<'p> {
    pub select: Select<'p>,
    pub rename: Rename,
    /// An archive file too short for one header is an empty archive (the modes that add to
    /// or delete from one), not "This does not look like a tar archive".
    pub empty_ok: bool,
    o: &'p Opts,
    msgs: Msgs,
}

impl<'p> Pipeline<'p> {
    pub fn new(o: &'p Opts, select: Select<'p>, rename: Rename) -> Pipeline<'p> {
        Pipeline {
            select,
            rename,
            empty_ok: false,
            o,
            msgs: Msgs::default(),
        }
    }

    /// Run every member through `action`. Returns the offset where the end of the archive
    /// starts (its zero blocks, or the end of the file).
    pub fn run(&mut self, ctx: &mut Ctx, r: &mut Reader, action: &mut dyn Action) -> Result<u64> {
        loop {
            let start = r.input.consumed;
            let e = match r.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => return Ok(start),
                Err(ReadErr::NotTar) if self.empty_ok && r.input.consumed == 0 => return Ok(0),
                Err(err) => {
                    action.before_error(ctx)?;
                    return Err(read_error(ctx, err));
                }
            };
            if r.skipped {
                action.skipped_header(ctx);
            }
            let selected = match &mut self.select {
                Select::Every => true,
                Select::Operands(sel, excl) => {
                    (sel.all() || sel.find(&e.name).is_some()) && !excl.excluded(&e.name)
                }
                Select::Named(sel) => sel.find(&e.name).is_some(),
            };
            if !selected {
                let m = Member {
                    e: &e,
                    name: &e.name,
                    start,
                };
                action.unselected(ctx, r, &m)?;
                continue;
            }
            match self.rename {
                Rename::Keep => {}
                Rename::Report => {
                    if !self.o.absolute {
                        let _ = safer_name(ctx, &mut self.msgs, &e.name, false);
                        if e.kind() == Kind::HardLink {
                            let _ = safer_name(ctx, &mut self.msgs, &e.link, true);
                        }
                    }
                }
                Rename::Target => {
                    let Some(name) = target_name(ctx, self.o, &mut self.msgs, &e) else {
                        skip_data(ctx, r, &e)?;
                        continue;
                    };
                    let m = Member {
                        e: &e,
                        name: &name,
                        start,
                    };
                    action.selected(ctx, r, &m)?;
                    continue;
                }
            }
            let m = Member {
                e: &e,
                name: &e.name,
                start,
            };
            action.selected(ctx, r, &m)?;
        }
    }
}

/// Messages reported once per run (stripped prefixes).
#[derive(Default)]
pub struct Msgs {
    reported: Vec<(Vec<u8>, bool)>,
}

/// GNU's safer_name_suffix: drop everything up to the last `..` component and any leading
/// slashes, reporting each distinct removed prefix once. Returns the remaining name ("." if
/// nothing remains).
pub fn safer_name(ctx: &mut Ctx, msgs: &mut Msgs, name: &[u8], link: bool) -> Vec<u8> {
    let mut prefix_len = 0;
    let mut p = 0;
    while p < name.len() {
        if name[p] == b'.'
            && name.get(p + 1) == Some(&b'.')
            && (name.get(p + 2) == Some(&b'/') || p + 2 == name.len())
        {
            prefix_len = p + 2;
        }
        // Advance past this component and its slash.
        while p < name.len() {
            let c = name[p];
            p += 1;
            if c == b'/' {
                break;
            }
        }
    }
    let mut q = prefix_len;
    while q < name.len() && name[q] == b'/' {
        q += 1;
    }
    if q > 0 {
        let prefix = name[..q].to_vec();
        if !msgs
            .reported
            .iter()
            .any(|(p, l)| *p == prefix && *l == link)
        {
            let mut m = b"Removing leading '".to_vec();
            m.extend_from_slice(&prefix);
            m.extend_from_slice(if link {
                b"' from hard link targets"
            } else {
                b"' from member names"
            });
            ctx.msg(&m);
            msgs.reported.push((prefix, link));
        }
    }
    if q == name.len() {
        return b".".to_vec();
    }
    name[q..].to_vec()
}

/// Whether a name has a `..` component.
pub fn contains_dot_dot(name: &[u8]) -> bool {
    name.split(|&c| c == b'/').any(|c| c == b"..")
}

/// `--strip-components=n`: None when nothing is left.
pub fn strip_components(name: &[u8], n: usize) -> Option<Vec<u8>> {
    if n == 0 {
        return Some(name.to_vec());
    }
    let mut rest = name;
    for _ in 0..n {
        // Leading slashes do not count as components.
        while rest.first() == Some(&b'/') {
            rest = &rest[1..];
        }
        match memchr::memchr(b'/', rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return None,
        }
    }
    if rest.is_empty() {
        None
    } else {
        Some(rest.to_vec())
    }
}

/// The member name after -P/strip-components/safety checks; None to skip the member.
fn target_name(ctx: &mut Ctx, o: &Opts, msgs: &mut Msgs, e: &Entry) -> Option<Vec<u8>> {
    let mut name = e.name.clone();
    if !o.absolute {
        let safe = safer_name(ctx, msgs, &name, false);
        if contains_dot_dot(&name) {
            let mut m = diag_name(&name);
            m.extend_from_slice(b": Member name contains '..'");
            ctx.error(2, &m);
            return None;
        }
        name = safe;
    }
    strip_components(&name, o.strip)
}
