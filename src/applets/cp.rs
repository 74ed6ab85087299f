//! `cp`: copy files and directory trees.
//!
//! GNU coreutils 9 `cp`: `-a -d -f -i -H -l -L -n -P -p -R -r -s -t -T -u -v -x`,
//! `--preserve[=mode,ownership,timestamps,links,xattr,context,all]`, `--no-preserve=`,
//! `--reflink[=auto|always|never]`, `--sparse=auto|always|never`, `--remove-destination`,
//! `--strip-trailing-slashes`, with GNU's messages (`cp: -r not specified; omitting directory
//! 'd'`, `cp: 'a' and 'a' are the same file`, `cp: cannot copy a directory, 'a', into itself,
//! 'a/b'`, `cp: target 'z' is not a directory`) and exit status. The copying itself is
//! [`common::copy`](crate::common::copy).
//! `--parents` as GNU. `--backup[=CONTROL]`/`-b`/`-S` through
//! [`common::backup`](crate::common::backup) (`-v`: `'x' -> 'a' (backup: 'a~')`).
//! `--attributes-only` (an existing destination keeps its data, a new one is empty),
//! `--copy-contents` (fifos and devices in a tree read like files).
//! Deviations: SELinux contexts (`context` is accepted and ignored); a new destination
//! file whose copy failed is removed (GNU leaves the partial file); inside a tree an existing
//! destination symlink is replaced, not written through.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::backup;
use crate::common::copy::{base_name, join, operands, Copier, CopyOpts, Deref, Reflink, Sparse};
use crate::common::fs::strip_trailing_slashes;
use crate::common::help::{help_text, Help};
use crate::common::{Ctx, Error, Result};

pub const USAGE: Help = help_text!(
    "\
Usage: cp [OPTION]... [-T] SOURCE DEST
  or:  cp [OPTION]... SOURCE... DIRECTORY
  or:  cp [OPTION]... -t DIRECTORY SOURCE...
Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.

Mandatory arguments to long options are mandatory for short options too.
  -a, --archive                same as -dR --preserve=all
      --attributes-only        don't copy the file data, just the attributes
      --backup[=CONTROL]       make a backup of each existing destination file
  -b                           like --backup but does not accept an argument
      --copy-contents          copy contents of special files when recursive
  -d                           same as --no-dereference --preserve=links
  -f, --force                  if an existing destination file cannot be
                                 opened, remove it and try again (this option
                                 is ignored when the -n option is also used)
  -i, --interactive            prompt before overwrite (overrides a previous -n
                                  option)
  -H                           follow command-line symbolic links in SOURCE
  -l, --link                   hard link files instead of copying
  -L, --dereference            always follow symbolic links in SOURCE
  -n, --no-clobber             do not overwrite an existing file (overrides
                                 a previous -i option)
  -P, --no-dereference         never follow symbolic links in SOURCE
      --parents                use full source file name under DIRECTORY
  -p                           same as --preserve=mode,ownership,timestamps
      --preserve[=ATTR_LIST]   preserve the specified attributes (default:
                                 mode,ownership,timestamps), if possible
                                 additional attributes: context, links, xattr,
                                 all
      --no-preserve=ATTR_LIST  don't preserve the specified attributes
  -R, -r, --recursive          copy directories recursively
      --reflink[=WHEN]         control clone/CoW copies. See below
      --remove-destination     remove each existing destination file before
                                 attempting to open it (contrast with --force)
      --sparse=WHEN            control creation of sparse files. See below
      --strip-trailing-slashes  remove any trailing slashes from each SOURCE
                                 argument
  -s, --symbolic-link          make symbolic links instead of copying
  -S, --suffix=SUFFIX          override the usual backup suffix
  -t, --target-directory=DIRECTORY  copy all SOURCE arguments into DIRECTORY
  -T, --no-target-directory    treat DEST as a normal file
  -u, --update                 copy only when the SOURCE file is newer
                                 than the destination file or when the
                                 destination file is missing
  -v, --verbose                explain what is being done
  -x, --one-file-system        stay on this file system
  -Z                           set SELinux security context of destination
                                 file to default type
      --context[=CTX]          like -Z, or if CTX is specified then set the
                                 SELinux or SMACK security context to CTX
      --help        display this help and exit
      --version     output version information and exit

When --reflink[=always] is specified, perform a lightweight copy, where the
data blocks are copied only when modified.  If this is not possible the copy
fails, or if --reflink=auto is specified, fall back to a standard copy.
Use --reflink=never to ensure a standard copy is performed.

The backup suffix is '~', unless set with --suffix or SIMPLE_BACKUP_SUFFIX.
The version control method may be selected via the --backup option or through
the VERSION_CONTROL environment variable.  Here are the values:

  none, off       never make backups (even if --backup is given)
  numbered, t     make numbered backups
  existing, nil   numbered if numbered backups exist, simple otherwise
  simple, never   always make simple backups

As a special case, cp makes a backup of SOURCE when the force and backup
options are given and SOURCE and DEST are the same name for an existing,
regular file.
"
);

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("archive", Some(b'a'), Some("archive")),
        Opt::flag("attributes-only", None, Some("attributes-only")),
        backup::OPTS[0],
        backup::OPTS[1],
        backup::OPTS[2],
        Opt::flag("copy-contents", None, Some("copy-contents")),
        Opt::flag("d", Some(b'd'), None),
        Opt::flag("force", Some(b'f'), Some("force")),
        Opt::flag("interactive", Some(b'i'), Some("interactive")),
        Opt::flag("H", Some(b'H'), None),
        Opt::flag("link", Some(b'l'), Some("link")),
        Opt::flag("dereference", Some(b'L'), Some("dereference")),
        Opt::flag("no-clobber", Some(b'n'), Some("no-clobber")),
        Opt::flag("no-dereference", Some(b'P'), Some("no-dereference")),
        Opt::flag("p", Some(b'p'), None),
        Opt::flag("parents", None, Some("parents")),
        Opt::optional("preserve", None, Some("preserve")),
        Opt::arg("no-preserve", None, Some("no-preserve")),
        Opt::flag("recursive", Some(b'R'), Some("recursive")),
        Opt::flag("recursive", Some(b'r'), None),
        Opt::optional("reflink", None, Some("reflink")),
        Opt::flag("remove-destination", None, Some("remove-destination")),
        Opt::arg("sparse", None, Some("sparse")),
        Opt::flag(
            "strip-trailing-slashes",
            None,
            Some("strip-trailing-slashes"),
        ),
        Opt::flag("symbolic-link", Some(b's'), Some("symbolic-link")),
        Opt::arg("target-directory", Some(b't'), Some("target-directory")),
        Opt::flag(
            "no-target-directory",
            Some(b'T'),
            Some("no-target-directory"),
        ),
        Opt::flag("update", Some(b'u'), Some("update")),
        Opt::flag("verbose", Some(b'v'), Some("verbose")),
        Opt::flag("one-file-system", Some(b'x'), Some("one-file-system")),
        Opt::flag("Z", Some(b'Z'), None),
        Opt::optional("context", None, Some("context")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    USAGE,
);

#[derive(Clone, Copy, PartialEq)]
enum Attr {
    Mode,
    Time,
    Owner,
    Links,
    Context,
    Xattr,
    All,
}

static ATTRS: &[(&str, Attr)] = &[
    ("mode", Attr::Mode),
    ("timestamps", Attr::Time),
    ("ownership", Attr::Owner),
    ("links", Attr::Links),
    ("context", Attr::Context),
    ("xattr", Attr::Xattr),
    ("all", Attr::All),
];

/// Applies a `--preserve=`/`--no-preserve=` list.
pub fn preserve_list(
    ctx: &mut Ctx,
    o: &mut CopyOpts,
    opt: &str,
    list: &[u8],
    on: bool,
) -> Result<()> {
    for item in list.split(|&c| c == b',') {
        match args::argmatch(ctx, opt, item, ATTRS, 1)? {
            Attr::Mode => {
                o.mode = on;
                o.plain_mode = !on;
            }
            Attr::Time => o.time = on,
            Attr::Owner => o.owner = on,
            Attr::Links => o.links = on,
            Attr::Context => {}
            Attr::Xattr => o.xattr = on,
            Attr::All => {
                o.mode = on;
                o.plain_mode = !on;
                o.time = on;
                o.owner = on;
                o.links = on;
                o.xattr = on;
            }
        }
    }
    Ok(())
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    m.warn_context(ctx, "SELinux");
    let mut o = CopyOpts::default();
    let mut deref: Option<Deref> = None;
    let mut target: Option<Vec<u8>> = None;
    let (mut no_target, mut strip, mut parents) = (false, false, false);
    let mut copy_contents = false;
    for (id, val) in &m.opts {
        let v = val.as_ref().map(|v| v.as_bytes());
        match Id::of(id.as_bytes()) {
            Some(Id::Archive) => {
                deref = Some(Deref::Never);
                o.recursive = true;
                o.special = true;
                o.mode = true;
                o.owner = true;
                o.time = true;
                o.links = true;
                o.xattr = true;
            }
            Some(Id::D) => {
                deref = Some(Deref::Never);
                o.links = true;
            }
            Some(Id::Force) => o.force = true,
            Some(Id::Interactive) => {
                o.interactive = true;
                o.no_clobber = false;
            }
            Some(Id::NoClobber) => {
                o.no_clobber = true;
                o.interactive = false;
            }
            Some(Id::CapH) => deref = Some(Deref::Args),
            Some(Id::Dereference) => deref = Some(Deref::Always),
            Some(Id::NoDereference) => deref = Some(Deref::Never),
            Some(Id::Link) => o.hard_link = true,
            Some(Id::P) => {
                o.mode = true;
                o.owner = true;
                o.time = true;
            }
            Some(Id::Preserve) => match v {
                None => {
                    o.mode = true;
                    o.owner = true;
                    o.time = true;
                    o.require = true;
                }
                Some(l) => {
                    preserve_list(ctx, &mut o, "--preserve", l, true)?;
                    o.require = true;
                }
            },
            Some(Id::NoPreserve) => {
                preserve_list(ctx, &mut o, "--no-preserve", v.unwrap_or(b""), false)?
            }
            Some(Id::Recursive) => {
                o.recursive = true;
                o.special = true;
            }
            Some(Id::Reflink) => {
                o.reflink = match v {
                    None => Reflink::Always,
                    Some(w) => args::argmatch(
                        ctx,
                        "--reflink",
                        w,
                        &[
                            ("auto", Reflink::Auto),
                            ("always", Reflink::Always),
                            ("never", Reflink::Never),
                        ],
                        1,
                    )?,
                }
            }
            Some(Id::RemoveDestination) => o.remove_dest = true,
            Some(Id::AttributesOnly) => o.attributes_only = true,
            Some(Id::CopyContents) => copy_contents = true,
            Some(Id::Sparse) => {
                o.sparse = args::argmatch(
                    ctx,
                    "--sparse",
                    v.unwrap_or(b""),
                    &[
                        ("never", Sparse::Never),
                        ("auto", Sparse::Auto),
                        ("always", Sparse::Always),
                    ],
                    1,
                )?
            }
            Some(Id::StripTrailingSlashes) => strip = true,
            Some(Id::SymbolicLink) => o.symbolic_link = true,
            Some(Id::TargetDirectory) => target = v.map(|t| t.to_vec()),
            Some(Id::NoTargetDirectory) => no_target = true,
            Some(Id::Parents) => parents = true,
            Some(Id::Update) => o.update = true,
            Some(Id::Verbose) => o.verbose = true,
            Some(Id::OneFileSystem) => o.one_fs = true,
            _ => {}
        }
    }
    if o.hard_link && o.symbolic_link {
        ctx.msg(b"cannot make both hard and symbolic links");
        ctx.try_help();
        return Err(Error::silent(1));
    }
    if o.no_clobber && backup::requested(&m) {
        ctx.msg(b"options --backup and --no-clobber are mutually exclusive");
        ctx.try_help();
        return Err(Error::silent(1));
    }
    let bk = backup::from_matches(ctx, &m)?;
    // Special files in a tree are read like regular ones (GNU's copy_as_regular).
    if copy_contents {
        o.special = false;
    }
    // The historical behaviour POSIX asks for: a dangling destination symlink written through.
    o.write_dangling = std::env::var_os("POSIXLY_CORRECT").is_some();
    o.deref = deref.unwrap_or(if o.recursive && !o.hard_link {
        Deref::Never
    } else {
        Deref::Always
    });
    let files: Vec<Vec<u8>> = m.operands.iter().map(|f| f.as_bytes().to_vec()).collect();
    let (mut srcs, dest, into) = operands(ctx, files, target, no_target)?;
    // Only sources copied into a directory lose their slashes (GNU): `cp d/ x` still names
    // `d/` in its messages.
    if strip && into {
        for f in &mut srcs {
            f.truncate(strip_trailing_slashes(f).len());
        }
    }
    if parents && !into {
        ctx.msg(b"with --parents, the destination must be a directory");
        ctx.try_help();
        return Err(Error::silent(1));
    }
    let mut c = Copier::new(o);
    c.backup = bk;
    let mut ok = true;
    for s in &srcs {
        ok &= if parents {
            c.copy_parents(ctx, s, &dest)
        } else if into {
            c.copy(ctx, s, &join(&dest, base_name(s)))
        } else {
            c.copy(ctx, s, &dest)
        };
        if let Some(e) = c.write_error.take() {
            return Err(Error::write(&e));
        }
    }
    if !ok {
        ctx.fail(1);
    }
    Ok(())
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        Archive = "archive",
        D = "d",
        Force = "force",
        Interactive = "interactive",
        NoClobber = "no-clobber",
        CapH = "H",
        Dereference = "dereference",
        NoDereference = "no-dereference",
        Link = "link",
        P = "p",
        Preserve = "preserve",
        NoPreserve = "no-preserve",
        Recursive = "recursive",
        Reflink = "reflink",
        RemoveDestination = "remove-destination",
        Sparse = "sparse",
        StripTrailingSlashes = "strip-trailing-slashes",
        SymbolicLink = "symbolic-link",
        TargetDirectory = "target-directory",
        NoTargetDirectory = "no-target-directory",
        Parents = "parents",
        Update = "update",
        Verbose = "verbose",
        OneFileSystem = "one-file-system",
        AttributesOnly = "attributes-only",
        CopyContents = "copy-contents",
    }
}
