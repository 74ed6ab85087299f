//! `dos2unix` and `unix2dos`: line ends between DOS (CR LF) and Unix (LF).
//!
//! BusyBox 1.35's (GNU has no such tool): `dos2unix [-ud] [FILE]...`, `unix2dos [-ud]
//! [FILE]...`; `-u` makes Unix line ends, `-d` DOS ones (not both; the default is the name's). Every CR is dropped, and `-d` writes CR LF for each LF, as BusyBox does. Without a
//! file, standard input to standard output; each FILE is converted in place: the new contents go
//! to a temporary file beside the file a symlink leads to, which then replaces it with its mode
//! and owner (`common::fs::replace_file`): an error leaves the old file whole. The first file
//! that cannot be read or replaced ends the run (`dos2unix: can't open 'x': ...`, status 1), as
//! BusyBox's. Deviation: a bad option draws the usual `Try '... --help'` line, not BusyBox's
//! whole usage text.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::fs::replace_file;
use crate::common::help::help_text;
use crate::common::io::Input;
use crate::common::path::{canonicalize, Missing};
use crate::common::sys::fd as sfd;
use crate::common::{ctx::strerror, Ctx, Error, Result};

static OPTS: &[Opt] = &[
    Opt::flag("unix", Some(b'u'), None),
    Opt::flag("dos", Some(b'd'), None),
    Opt::flag("help", None, Some("help")),
    Opt::flag("version", None, Some("version")),
];

/// The two names' texts differ only in the name and the direction.
const BODY: crate::common::help::Help = help_text!(
    "\
Usage: \u{1} [-ud] [FILE]

Convert FILE in-place from \u{2} format.
When no file is given, use stdin/stdout.

\t-u\tdos2unix
\t-d\tunix2dos
"
);

static DOS2UNIX: Spec = Spec::new(OPTS, BODY.fill(&["dos2unix", "DOS to Unix"]));

static UNIX2DOS: Spec = Spec::new(OPTS, BODY.fill(&["unix2dos", "Unix to DOS"]));

pub fn dos2unix(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, &DOS2UNIX, false);
    ctx.finish(r)
}

pub fn unix2dos(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx, &UNIX2DOS, true);
    ctx.finish(r)
}

/// `data` with every CR dropped, and with `dos` a CR before each LF.
fn convert(data: &[u8], dos: bool, out: &mut Vec<u8>) {
    for piece in data.split_inclusive(|&c| c == b'\n') {
        let (line, lf) = match piece.strip_suffix(b"\n") {
            Some(l) => (l, true),
            None => (piece, false),
        };
        out.extend(line.iter().filter(|&&c| c != b'\r'));
        if lf {
            if dos {
                out.push(b'\r');
            }
            out.push(b'\n');
        }
    }
}

fn read_all(name: &[u8]) -> std::io::Result<Vec<u8>> {
    let inp = Input::open(name)?;
    let mut v = Vec::new();
    sfd::read_to_end(inp.fd(), &mut v)?;
    Ok(v)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx, spec: &Spec, mut dos: bool) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, spec)? else {
        return Ok(());
    };
    // BusyBox refuses the two together.
    if m.flag("unix") && m.flag("dos") {
        return Err(args::usage_error(ctx, spec, b"-u and -d are exclusive", 1));
    }
    if m.flag("unix") || m.flag("dos") {
        dos = m.flag("dos");
    }
    if m.operands.is_empty() {
        let data = read_all(b"-").map_err(|e| Error::io(1, "read error", &e))?;
        let mut out = Vec::with_capacity(data.len() + data.len() / 16);
        convert(&data, dos, &mut out);
        ctx.out.write_all(&out)?;
        return Ok(());
    }
    for f in &m.operands {
        let name = f.as_bytes();
        let fail = |what: &str, e: &std::io::Error| {
            let mut msg = format!("{what} '").into_bytes();
            msg.extend_from_slice(name);
            msg.extend_from_slice(b"': ");
            msg.extend_from_slice(strerror(e).as_bytes());
            Error::new(1, msg)
        };
        let data = read_all(name).map_err(|e| fail("can't open", &e))?;
        // The file a symlink leads to is the one replaced: the link stays a link.
        let target = canonicalize(name, Missing::None, true).map_err(|e| fail("can't open", &e))?;
        let mut out = Vec::with_capacity(data.len() + data.len() / 16);
        convert(&data, dos, &mut out);
        if out != data {
            replace_file(&target, &out, 0o644).map_err(|e| fail("can't rename", &e))?;
        }
    }
    Ok(())
}
