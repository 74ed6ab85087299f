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
use super::transform;
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
    /// The name the mode works with (renamed as [`Rename`] says).
    pub name: &'m [u8],
    /// The name `-t` and `-v` show: as stored, or with `--show-transformed-names` as renamed.
    pub shown: &'m [u8],
    /// The link target after `--transform`.
    pub link: &'m [u8],
    /// The link target `-tv` shows (a hard link's safer and stripped, as GNU tar).
    pub shown_link: &'m [u8],
    pub start: u64,
    /// The member operand that selected it (None when every member is).
    pub operand: Option<usize>,
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
                Err(ReadErr::NotTar) if r.bad_start && !self.empty_ok => {
                    // GNU goes on looking for a header after saying so.
                    ctx.error(2, b"This does not look like a tar archive");
                    action.skipped_header(ctx);
                    r.resume();
                    continue;
                }
                Err(ReadErr::Skip) => {
                    action.skipped_header(ctx);
                    continue;
                }
                Err(err) => {
                    action.before_error(ctx)?;
                    return Err(read_error(ctx, err));
                }
            };
            let mut operand = None;
            let selected = match &mut self.select {
                Select::Every => true,
                Select::Operands(sel, excl) => {
                    if !sel.all() {
                        operand = sel.find(&e.name);
                    }
                    (sel.all() || operand.is_some()) && !excl.excluded(&e.name)
                }
                Select::Named(sel) => {
                    operand = sel.find(&e.name);
                    operand.is_some()
                }
            };
            if !selected {
                let m = Member {
                    e: &e,
                    name: &e.name,
                    shown: &e.name,
                    link: &e.link,
                    shown_link: &e.link,
                    start,
                    operand,
                };
                action.unselected(ctx, r, &m)?;
                continue;
            }
            if self.rename == Rename::Keep {
                let m = Member {
                    e: &e,
                    name: &e.name,
                    shown: &e.name,
                    link: &e.link,
                    shown_link: &e.link,
                    start,
                    operand,
                };
                action.selected(ctx, r, &m)?;
                continue;
            }
            let Some(n) = member_names(ctx, self.o, &mut self.msgs, &e, self.rename) else {
                skip_data(ctx, r, &e)?;
                continue;
            };
            let m = Member {
                e: &e,
                name: n.name.as_deref().unwrap_or(&e.name),
                shown: n.shown.as_deref().unwrap_or(&e.name),
                link: n.link.as_deref().unwrap_or(&e.link),
                shown_link: n.shown_link.as_deref().unwrap_or(&e.link),
                start,
                operand,
            };
            action.selected(ctx, r, &m)?;
        }
    }
}

/// The names of a member after [`Rename`]: None where it is the stored one.
struct Names {
    name: Option<Vec<u8>>,
    shown: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    shown_link: Option<Vec<u8>>,
}

/// GNU's transform_stat_info: the name without trailing slashes → `--transform` (scope `r`)
/// → safer_name (unless -P) → `--strip-components`; a symlink target → `--transform` (scope
/// `s`); a hard link target → `--transform` (scope `h`), shown safer and stripped. Listings show
/// the stored name unless `--show-transformed-names`. For the file system ([`Rename::Target`])
/// a stored name with `..` is refused and a member stripped to nothing is skipped (None).
fn member_names(
    ctx: &mut Ctx,
    o: &Opts,
    msgs: &mut Msgs,
    e: &Entry,
    rename: Rename,
) -> Option<Names> {
    let target = rename == Rename::Target;
    if target && !o.absolute && contains_dot_dot(&e.name) {
        // Reported as stored, before any renaming (GNU checks orig_file_name).
        let _ = safer_name(ctx, msgs, &e.name, false);
        let mut m = diag_name(&e.name);
        m.extend_from_slice(b": Member name contains '..'");
        ctx.error(2, &m);
        return None;
    }
    let xf = &o.transform;
    let kind = e.kind();
    let mut had_slash = false;
    let mut name: Option<Vec<u8>> = None;
    if !xf.is_empty() {
        let base = crate::common::fs::strip_trailing_slashes(&e.name);
        had_slash = base.len() < e.name.len();
        name = Some(xf.name(base, transform::REGFILE).into_owned());
    }
    let stored = name.as_deref().unwrap_or(&e.name);
    let safe = if o.absolute {
        None
    } else {
        Some(safer_name(ctx, msgs, stored, false))
    };
    let stripped = match strip_components(safe.as_deref().unwrap_or(stored), o.strip) {
        Some(n) => n,
        None if target => return None,
        None => Vec::new(),
    };
    let shown = o.show_transformed.then(|| {
        let mut s = stripped.clone();
        if had_slash || (xf.is_empty() && e.name.ends_with(b"/") && !s.ends_with(b"/")) {
            s.push(b'/');
        }
        s
    });
    let (link, shown_link) = match kind {
        Kind::Symlink if !xf.is_empty() => {
            let l = xf.apply(&e.link, transform::SYMLINK);
            (l.clone(), l)
        }
        Kind::HardLink => {
            let l = if xf.is_empty() {
                None
            } else {
                xf.apply(&e.link, transform::LINK)
            };
            let t = l.as_deref().unwrap_or(&e.link);
            // Listings and -v show the target as extraction uses it; extraction reports the
            // removed prefix itself.
            let shown = if target {
                None
            } else {
                let safe = if o.absolute {
                    t.to_vec()
                } else {
                    safer_name(ctx, msgs, t, true)
                };
                strip_components(&safe, o.strip).or(Some(Vec::new()))
            };
            (l, shown)
        }
        _ => (None, None),
    };
    let shown_link = if target && kind == Kind::HardLink {
        // -xv shows the target as -tv does (GNU prints one link_name), without reporting twice.
        let t = link.as_deref().unwrap_or(&e.link);
        let safe = if o.absolute { t } else { safer_rest(t) };
        strip_components(safe, o.strip).or(Some(Vec::new()))
    } else {
        shown_link
    };
    Some(Names {
        name: Some(stripped),
        shown,
        link,
        shown_link,
    })
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
    let q = safer_prefix(name);
    if q > 0 {
        let prefix = name[..q].to_vec();
        if !msgs
            .reported
            .iter()
            .any(|(p, l)| *p == prefix && *l == link)
        {
            // GNU tar 1.34's message has the old `...' quotes.
            let mut m = b"Removing leading `".to_vec();
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

/// The length of what [`safer_name`] removes: everything up to the last `..` component,
/// then leading slashes.
fn safer_prefix(name: &[u8]) -> usize {
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
    q
}

/// [`safer_name`] without the report.
pub fn safer_rest(name: &[u8]) -> &[u8] {
    let q = safer_prefix(name);
    if q == name.len() {
        b"."
    } else {
        &name[q..]
    }
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
