//! `uname`: print system information.
//!
//! GNU coreutils 9 `uname`: `-a -s -n -r -v -m -p -i -o` and their long forms, printed in that
//! order whatever the order given; no option is `-s`; `-p` and `-i` print `unknown` (as GNU's
//! on Linux) and `-a` leaves them out; `-o` prints `GNU/Linux`. Deviation: none known.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use crate::common::args::{self, Opt, Spec};
use crate::common::help::help_text;
use crate::common::sys::user;
use crate::common::{ctx::strerror, Ctx, Error, Result};

static SPEC: Spec = Spec::new(
    &[
        Opt::flag("all", Some(b'a'), Some("all")),
        Opt::flag("kernel-name", Some(b's'), Some("kernel-name")),
        Opt::flag("nodename", Some(b'n'), Some("nodename")),
        Opt::flag("kernel-release", Some(b'r'), Some("kernel-release")),
        Opt::flag("kernel-version", Some(b'v'), Some("kernel-version")),
        Opt::flag("machine", Some(b'm'), Some("machine")),
        Opt::flag("processor", Some(b'p'), Some("processor")),
        Opt::flag("hardware-platform", Some(b'i'), Some("hardware-platform")),
        Opt::flag("operating-system", Some(b'o'), Some("operating-system")),
        Opt::flag("help", None, Some("help")),
        Opt::flag("version", None, Some("version")),
    ],
    help_text!(
        "\
Usage: uname [OPTION]...
Print certain system information.  With no OPTION, same as -s.

  -a, --all                print all information, in the following order,
                             except omit -p and -i if unknown:
  -s, --kernel-name        print the kernel name
  -n, --nodename           print the network node hostname
  -r, --kernel-release     print the kernel release
  -v, --kernel-version     print the kernel version
  -m, --machine            print the machine hardware name
  -p, --processor          print the processor type (non-portable)
  -i, --hardware-platform  print the hardware platform (non-portable)
  -o, --operating-system   print the operating system
      --help        display this help and exit
      --version     output version information and exit
"
    ),
);

const FIELDS: [&str; 8] = [
    "kernel-name",
    "nodename",
    "kernel-release",
    "kernel-version",
    "machine",
    "processor",
    "hardware-platform",
    "operating-system",
];

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let Some(m) = args::get(ctx, &argv, &SPEC)? else {
        return Ok(());
    };
    if let Some(x) = m.operands.first() {
        return Err(args::extra_operand(ctx, &SPEC, x.as_bytes(), 1));
    }
    let all = m.flag("all");
    let mut want: Vec<bool> = FIELDS.iter().map(|f| all || m.flag(f)).collect();
    if !want.iter().any(|&w| w) {
        want[0] = true;
    }
    // -a alone (every bit) leaves out what is unknown; -p/-i asked for one by one print it.
    let every = all;
    let u = user::uname()
        .map_err(|e| Error::new(1, format!("cannot get system name: {}", strerror(&e))))?;
    let values: [&[u8]; 8] = [
        &u.sysname,
        &u.nodename,
        &u.release,
        &u.version,
        &u.machine,
        b"unknown",
        b"unknown",
        b"GNU/Linux",
    ];
    let mut line = Vec::with_capacity(256);
    for (k, v) in values.iter().enumerate() {
        if !want[k] || (every && (k == 5 || k == 6)) {
            continue;
        }
        if !line.is_empty() {
            line.push(b' ');
        }
        line.extend_from_slice(v);
    }
    line.push(b'\n');
    ctx.out.write_all(&line)?;
    Ok(())
}
