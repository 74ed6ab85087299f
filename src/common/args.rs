//! Option parsing: clap's builder, with GNU getopt_long's behaviour and messages.
//!
//! Applets build a `clap::Command` with [`command`] (which turns off clap's own help, version,
//! colours and usage text) and parse with [`parse`]. Errors come out the way GNU programs word
//! them — `cat: invalid option -- 'Z'`, `ls: unrecognized option '--foo'`,
//! `ls: option requires an argument -- 'w'` — followed by `Try 'cat --help' for more
//! information.` and the applet's usage-error exit code. `--help` prints the applet's usage
//! text on standard output and exits 0, as GNU does.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command};

use super::ctx::{Ctx, Error, Result};

/// A clap command set up for GNU-style parsing: no generated help or version, long options may
/// be abbreviated to any unambiguous prefix (`--num` for `--number`), `-` is an operand.
pub fn command(name: &'static str) -> Command {
    Command::new(name)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_colored_help(true)
        .infer_long_args(true)
        .dont_delimit_trailing_values(true)
        .arg(Arg::new("help").long("help").action(ArgAction::SetTrue))
}

/// A boolean short/long flag.
pub fn flag(id: &'static str, short: Option<char>, long: Option<&'static str>) -> Arg {
    let mut a = Arg::new(id).action(ArgAction::SetTrue);
    if let Some(c) = short {
        a = a.short(c);
    }
    if let Some(l) = long {
        a = a.long(l);
    }
    a
}

/// Operands: any number of values, `-` included, options allowed after them (GNU permutes).
pub fn operands(id: &'static str) -> Arg {
    Arg::new(id)
        .action(ArgAction::Append)
        .num_args(0..)
        .value_parser(clap::value_parser!(OsString))
        .allow_hyphen_values(false)
}

/// Parse `args` (argument 0 is the applet name). `Ok(None)` means `--help` was answered and the
/// applet should return 0. `usage` is the applet's usage text, `code` its exit status for bad
/// usage (1 for cat, 2 for ls and tar).
pub fn parse(
    ctx: &mut Ctx,
    cmd: Command,
    args: Vec<OsString>,
    usage: &str,
    code: i32,
) -> Result<Option<ArgMatches>> {
    let mut cmd = cmd;
    match cmd.try_get_matches_from_mut(args.iter()) {
        Ok(m) => {
            if m.get_flag("help") {
                ctx.out.write_all(usage.as_bytes())?;
                return Ok(None);
            }
            Ok(Some(m))
        }
        Err(e) => {
            let msg = gnu_message(&cmd, &e, &args);
            ctx.msg(msg.as_bytes());
            ctx.try_help();
            Err(Error::silent(code))
        }
    }
}

fn ctx_str(e: &clap::Error, k: ContextKind) -> Option<String> {
    match e.get(k)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        _ => None,
    }
}

/// The GNU getopt wording for a clap error.
pub fn gnu_message(cmd: &Command, e: &clap::Error, args: &[OsString]) -> String {
    let arg = ctx_str(e, ContextKind::InvalidArg).unwrap_or_default();
    // clap names an option as "--width <COLS>" or "-w <COLS>"; keep the option itself.
    // Repeatable options are shown as "--all..."; GNU names the option alone.
    let opt = arg
        .split(' ')
        .next()
        .unwrap_or("")
        .trim_end_matches("...")
        .to_string();
    match e.kind() {
        ErrorKind::UnknownArgument => {
            if let Some(long) = opt.strip_prefix("--") {
                let name = long.split('=').next().unwrap_or(long);
                // An abbreviation that matches several options is ambiguous in GNU's words.
                let matches: Vec<&str> = cmd
                    .get_arguments()
                    .filter_map(|a| a.get_long())
                    .filter(|l| l.starts_with(name))
                    .collect();
                if matches.len() > 1 && !name.is_empty() {
                    let list: Vec<String> = matches.iter().map(|l| format!("'--{l}'")).collect();
                    format!(
                        "option '--{name}' is ambiguous; possibilities: {}",
                        list.join(" ")
                    )
                } else {
                    format!("unrecognized option '--{name}'")
                }
            } else {
                let c = opt.trim_start_matches('-').chars().next().unwrap_or('?');
                format!("invalid option -- '{c}'")
            }
        }
        ErrorKind::InvalidValue | ErrorKind::NoEquals => {
            let val = ctx_str(e, ContextKind::InvalidValue).unwrap_or_default();
            if val.is_empty() {
                missing_value(&opt, args)
            } else {
                format!("invalid argument '{val}' for '{}'", long_form(&opt))
            }
        }
        ErrorKind::TooManyValues => {
            format!("option '{}' doesn't allow an argument", long_form(&opt))
        }
        ErrorKind::ArgumentConflict => {
            let other = ctx_str(e, ContextKind::PriorArg).unwrap_or_default();
            format!("cannot combine '{opt}' and '{other}'")
        }
        _ => {
            let s = e.to_string();
            let s = s.trim_start_matches("error: ");
            s.lines().next().unwrap_or("invalid usage").to_string()
        }
    }
}

fn long_form(opt: &str) -> &str {
    opt
}

/// `option requires an argument -- 'w'` when the user typed the short form (even bundled as
/// `-lw`), `option '--width' requires an argument` for the long form.
fn missing_value(opt: &str, args: &[OsString]) -> String {
    let last = args.last().map(|a| a.as_bytes()).unwrap_or(b"");
    if last.starts_with(b"--") {
        let l = String::from_utf8_lossy(last);
        format!(
            "option '{}' requires an argument",
            l.split('=').next().unwrap()
        )
    } else if let Some(&c) = last.last().filter(|_| last.len() >= 2 && last[0] == b'-') {
        format!("option requires an argument -- '{}'", c as char)
    } else {
        format!("option '{opt}' requires an argument")
    }
}
