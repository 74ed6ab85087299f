//! Builtins (XCU 2.14 special builtins and the regular ones dash has), with dash's messages and
//! statuses: a usage error in a special builtin ends a non-interactive shell (status 2).

mod printf;
mod test;

pub use crate::common::printf::octal;

use super::exec::{Flow, Found, Res, Shell, OPTION_NAMES};
use super::parser::is_name;
use crate::common::io::{stderr_fd, write_all};
use crate::common::signals::{signal_name, signal_number};
use crate::common::sys::fd;
use crate::common::sys::process as sp;
use std::fmt::Write as _;

pub type BuiltinFn = fn(&mut Shell, &[Vec<u8>]) -> Res;

#[derive(Clone, Copy)]
pub struct Builtin {
    pub name: &'static str,
    pub run: BuiltinFn,
    pub special: bool,
}

macro_rules! b {
    ($n:literal, $f:expr, $s:literal) => {
        Builtin {
            name: $n,
            run: $f,
            special: $s,
        }
    };
}

/// Sorted by name.
static TABLE: &[Builtin] = &[
    b!(".", dot, true),
    b!(":", colon, true),
    b!("[", test::bracket, false),
    b!("alias", alias, false),
    b!("bg", super::jobctl::bg, false),
    b!("break", brk, true),
    b!("cd", cd, false),
    b!("chdir", cd, false), // dash's and BusyBox ash's other name for cd
    b!("command", command, false),
    b!("continue", cont, true),
    b!("echo", printf::echo, false),
    b!("eval", eval, true),
    b!("exec", exec, true),
    b!("exit", exit, true),
    b!("export", export, true),
    b!("false", fals, false),
    b!("fg", super::jobctl::fg, false),
    b!("getopts", getopts, false),
    b!("hash", hash, false),
    b!("history", super::interactive::history_builtin, false),
    b!("jobs", super::jobctl::jobs, false),
    b!("kill", kill, false),
    b!("let", let_, false),
    b!("local", local, true), // special in dash and BusyBox ash
    b!("printf", printf::printf, false),
    b!("pwd", pwd, false),
    b!("read", read, false),
    b!("readonly", readonly, true),
    b!("return", ret, true),
    b!("set", set, true),
    b!("shift", shift, true),
    b!("source", dot, false),
    b!("test", test::test, false),
    b!("times", times, true),
    b!("trap", trap, true),
    b!("true", colon, false),
    b!("type", typ, false),
    b!("ulimit", ulimit, false),
    b!("umask", umask, false),
    b!("unalias", unalias, false),
    b!("unset", unset, true),
    b!("wait", wait, false),
];

/// Every builtin's name (Tab completion).
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|b| b.name)
}

pub fn find(name: &[u8]) -> Option<Builtin> {
    TABLE
        .binary_search_by(|b| b.name.as_bytes().cmp(name))
        .ok()
        .map(|i| TABLE[i])
}

pub fn is_keyword(name: &[u8]) -> bool {
    matches!(
        name,
        b"!" | b"{"
            | b"}"
            | b"case"
            | b"do"
            | b"done"
            | b"elif"
            | b"else"
            | b"esac"
            | b"fi"
            | b"for"
            | b"if"
            | b"in"
            | b"then"
            | b"until"
            | b"while"
    )
}

impl Shell {
    /// Write builtin output; a failed write is reported once as dash does.
    pub fn print(&mut self, b: &[u8]) {
        if let Some(c) = &mut self.capture {
            c.extend_from_slice(b);
            return;
        }
        let _ = self.out.write_all(b);
    }

    /// Flush builtin output: the status to use (1 after a write error).
    pub fn flush_out(&mut self, name: &[u8]) -> i32 {
        if self.capture.is_some() {
            return 0;
        }
        match self.out.flush() {
            Ok(()) => 0,
            Err(e) => {
                // BusyBox's libbb words it `ash: write error: Broken pipe` (its applet name).
                let _ = name;
                let app = self.exe_hint.rsplit(|&c| c == b'/').next().unwrap_or(b"sh");
                let app = app.strip_prefix(b"-").unwrap_or(app);
                let m = crate::common::ctx::strerror(&e);
                let msg = [app, b": write error: ", m.as_bytes(), b"\n"].concat();
                let _ = write_all(stderr_fd(), &msg);
                1
            }
        }
    }

    /// Usage error in a builtin: message and status 2; a special builtin ends the shell.
    pub fn usage_err(&mut self, name: &[u8], msg: &[u8]) -> Res {
        self.errf(&[name, b": ", msg]);
        if find(name).is_some_and(|b| b.special) && !self.opts.interactive {
            return Err(Flow::Exit(2));
        }
        Ok(2)
    }
}

/// Parse a non-negative decimal number as dash's `number()` does.
pub fn number(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn illegal_number(sh: &mut Shell, name: &[u8], arg: &[u8]) -> Res {
    sh.usage_err(name, &[b"Illegal number: ", arg].concat())
}

/// Split leading `-abc` options; returns (flags, index of the first operand). Unknown option:
/// Err(the character).
pub(super) fn opts(args: &[Vec<u8>], allowed: &[u8]) -> Result<(Vec<u8>, usize), u8> {
    let mut flags = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            if !allowed.contains(&c) {
                return Err(c);
            }
            flags.push(c);
        }
        i += 1;
    }
    Ok((flags, i))
}

/// The operands of a builtin whose only option is the `--` separator (XCU 1.4: `exit -- 3`,
/// `eval -- cmd`, as bash does), keeping the command name first.
fn operands(args: &[Vec<u8>]) -> std::borrow::Cow<'_, [Vec<u8>]> {
    if args.get(1).is_some_and(|a| a == b"--") {
        std::borrow::Cow::Owned([&args[..1], &args[2..]].concat())
    } else {
        std::borrow::Cow::Borrowed(args)
    }
}

fn colon(_: &mut Shell, _: &[Vec<u8>]) -> Res {
    Ok(0)
}

fn fals(_: &mut Shell, _: &[Vec<u8>]) -> Res {
    Ok(1)
}

fn loop_count(sh: &mut Shell, args: &[Vec<u8>]) -> Result<u32, Res> {
    match args.get(1) {
        None => Ok(1),
        Some(a) => match number(a) {
            Some(n) if n > 0 => Ok(n.min(u32::MAX as i64) as u32),
            _ => Err(illegal_number(sh, &args[0], a)),
        },
    }
}

fn brk(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    let n = match loop_count(sh, args) {
        Ok(n) => n,
        Err(r) => return r,
    };
    if sh.loop_depth == 0 {
        return Ok(0);
    }
    Err(Flow::Break(n.min(sh.loop_depth)))
}

fn cont(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    let n = match loop_count(sh, args) {
        Ok(n) => n,
        Err(r) => return r,
    };
    if sh.loop_depth == 0 {
        return Ok(0);
    }
    // The loop's next condition sees `$?` 0: the status of `continue` (BusyBox ash, bash).
    sh.status = 0;
    Err(Flow::Continue(n.min(sh.loop_depth)))
}

fn ret(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    let st = match args.get(1) {
        // In a trap: the status the trap was entered with (BusyBox ash, bash).
        None => sh.trap_status.unwrap_or(sh.status),
        Some(a) => match number(a) {
            Some(n) => n as i32,
            None => return illegal_number(sh, b"return", a),
        },
    };
    sh.status = st;
    if sh.func_depth == 0 && sh.eval_depth == 0 {
        // `return` outside a function or dot script: dash ends the current level.
        return Err(Flow::Exit(st));
    }
    Err(Flow::Return)
}

fn exit(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    let st = match args.get(1) {
        None => sh.trap_status.unwrap_or(sh.status),
        Some(a) => match number(a) {
            Some(n) => (n & 0xff) as i32,
            None => return illegal_number(sh, b"exit", a),
        },
    };
    sh.jc.exit_requested = true;
    Err(Flow::Exit(st))
}

fn eval(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    let mut text = Vec::new();
    for (i, a) in args[1..].iter().enumerate() {
        if i > 0 {
            text.push(b' ');
        }
        text.extend_from_slice(a);
    }
    sh.status = 0;
    sh.eval_str(&text)
}

/// `let EXPR...` (bash, BusyBox ash): each argument is an arithmetic expression; the status is
/// 0 when the last one is non-zero.
fn let_(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if args.len() < 2 {
        sh.errf(&[b"let: expression expected"]);
        return Ok(1);
    }
    let mut last = 0;
    for a in &args[1..] {
        // An error is reported and gives status 2 without ending the shell, as in BusyBox ash.
        last = match sh.arith_text(a) {
            Ok(v) => v,
            Err(Flow::Exit(s)) => return Ok(s),
            Err(f) => return Err(f),
        };
    }
    Ok((last == 0) as i32)
}

fn dot(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    // Without a file: status 2 and the shell goes on, as BusyBox ash (dash says nothing).
    let Some(file) = args.get(1) else {
        sh.errf(&[b".: Usage: . file"]);
        return Ok(2);
    };
    let path = if file.contains(&b'/') {
        file.clone()
    } else {
        match sh.path_search_readable(file) {
            Some(p) => p,
            None => {
                sh.errf(&[b".: ", file, b": not found"]);
                return Err(Flow::Exit(2));
            }
        }
    };
    let data = match std::fs::read(os(&path)) {
        Ok(d) => d,
        Err(e) => {
            let m = match e.raw_os_error() {
                Some(n) => crate::common::ctx::errno_text(n),
                None => e.to_string(),
            };
            sh.errf(&[b".: can't open '", file, b"': ", m.as_bytes()]);
            return Err(Flow::Exit(2));
        }
    };
    let line = sh.lineno;
    sh.func_depth += 1;
    // `. file args` sets the positional parameters for the script's run, as BusyBox ash and
    // bash (dash ignores the extra words).
    let saved_pos = (args.len() > 2).then(|| std::mem::replace(&mut sh.pos, args[2..].to_vec()));
    let mut data = data;
    super::input::drop_nul(&mut data, 0);
    let mut inp = super::input::Input::from_bytes(&data);
    sh.eval_depth += 1;
    let saved_name = sh.cmdname.replace(path.into());
    let r = sh.run_input(&mut inp, false);
    sh.cmdname = saved_name;
    sh.eval_depth -= 1;
    sh.func_depth -= 1;
    sh.lineno = line;
    if let Some(p) = saved_pos {
        sh.pos = p;
    }
    match r {
        Err(Flow::Return) => Ok(sh.status),
        other => other,
    }
}

impl Shell {
    /// Run a builtin with its name as BusyBox ash's `commandname` (messages say `NAME: line N:`).
    pub fn call_builtin(&mut self, b: &Builtin, argv: &[Vec<u8>]) -> Res {
        let saved = self
            .cmdname
            .replace(std::borrow::Cow::Borrowed(b.name.as_bytes()));
        let r = (b.run)(self, argv);
        self.cmdname = saved;
        r
    }

    fn path_search_readable(&self, name: &[u8]) -> Option<Vec<u8>> {
        let path = self.vars.get(b"PATH").unwrap_or(b"");
        for dir in path.split(|&c| c == b':') {
            let mut p = if dir.is_empty() {
                b".".to_vec()
            } else {
                dir.to_vec()
            };
            p.push(b'/');
            p.extend_from_slice(name);
            if std::fs::metadata(os(&p)).is_ok_and(|m| m.is_file()) {
                return Some(p);
            }
        }
        None
    }
}

pub fn os(b: &[u8]) -> &std::ffi::OsStr {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(b)
}

fn exec(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut i = 1;
    if args.get(1).is_some_and(|a| a == b"--") {
        i = 2;
    }
    if args.len() <= i {
        // Redirections stay: the caller's restore list must be forgotten. We signal it by
        // leaving the descriptors in place: see run_simple (exec is special, saved list dropped).
        sh.keep_redirs = true;
        return Ok(0);
    }
    let argv = args[i..].to_vec();
    let found = match sh.lookup(&argv[0]) {
        f @ (Found::Path(_) | Found::Applet(_) | Found::NotFound) => f,
        _ => match sh.path_search(&argv[0]) {
            Some(p) => Found::Path(p),
            None => match crate::applets::find(&argv[0]) {
                Some(a) => Found::Applet(a),
                None => Found::NotFound,
            },
        },
    };
    let _ = sh.out.flush();
    // exec'd programs get default handlers for caught signals.
    for s in 1..sh.traps.len() {
        if matches!(&sh.traps[s], Some(a) if !a.is_empty()) {
            sh.set_trap(s, None);
        }
    }
    if let Found::NotFound = found {
        // An empty name is a directory of PATH to execve: BusyBox says Permission denied.
        let why: &[u8] = if argv[0].is_empty() {
            b": Permission denied"
        } else {
            b": not found"
        };
        sh.errf(&[b"exec: ", &argv[0], why]);
        return Err(Flow::Exit(if argv[0].is_empty() { 126 } else { 127 }));
    }
    sh.exec_prefix = b"exec: ";
    let st = sh.exec_found(argv, found);
    sh.exec_prefix = b"";
    Err(Flow::Exit(st))
}

fn export_like(sh: &mut Shell, args: &[Vec<u8>], ro: bool) -> Res {
    let name: &[u8] = if ro { b"readonly" } else { b"export" };
    let (flags, first) = match opts(args, if ro { b"p" } else { b"pn" }) {
        Ok(x) => x,
        Err(c) => return sh.usage_err(name, &[b"illegal option -", &[c][..]].concat()),
    };
    let unexport = flags.contains(&b'n');
    if first >= args.len() {
        let mut names: Vec<(Vec<u8>, Option<Vec<u8>>)> = sh
            .vars
            .map
            .iter()
            .filter(|(_, v)| if ro { v.readonly } else { v.exported })
            .map(|(k, v)| (k.clone(), v.val.clone()))
            .collect();
        by_name(&mut names);
        for (k, v) in names {
            let mut line = name.to_vec();
            line.push(b' ');
            line.extend_from_slice(&k);
            if let Some(v) = v {
                line.push(b'=');
                single_quote(&mut line, &v);
            }
            line.push(b'\n');
            sh.print(&line);
        }
        return Ok(sh.flush_out(name));
    }
    for a in &args[first..] {
        let (n, v) = match a.iter().position(|&c| c == b'=') {
            Some(i) => (&a[..i], Some(&a[i + 1..])),
            None => (&a[..], None),
        };
        if !is_name(n) {
            return sh.usage_err(name, &[n, b": bad variable name"].concat());
        }
        if let Some(v) = v {
            if sh.vars.set(n, v, !ro && !unexport).is_err() {
                sh.errf(&[n, b": is read only"]);
                return Err(Flow::Exit(2));
            }
            sh.var_changed(n);
        }
        if unexport {
            sh.vars.unexport(n);
        } else if ro {
            sh.vars.readonly(n);
        } else {
            sh.vars.export(n);
        }
    }
    Ok(0)
}

/// Quote a value for re-input as dash and BusyBox ash do: runs without `'` in single quotes,
/// runs of `'` in double quotes (`it's` → `'it'"'"'s'`), the empty string as `''`.
pub fn single_quote(out: &mut Vec<u8>, v: &[u8]) {
    if v.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    for run in v.chunk_by(|a, b| (*a == b'\'') == (*b == b'\'')) {
        let q = if run[0] == b'\'' { b'"' } else { b'\'' };
        out.push(q);
        out.extend_from_slice(run);
        out.push(q);
    }
}

fn export(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    export_like(sh, args, false)
}

fn readonly(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    export_like(sh, args, true)
}

fn unset(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let (flags, first) = match opts(args, b"fv") {
        Ok(x) => x,
        Err(c) => return sh.usage_err(b"unset", &[b"illegal option -", &[c][..]].concat()),
    };
    let funcs = flags.last() == Some(&b'f');
    for a in &args[first..] {
        if funcs {
            sh.funcs.remove(a.as_slice());
        } else {
            if !is_name(a) {
                return sh.usage_err(b"unset", &[a, &b": bad variable name"[..]].concat());
            }
            if sh.vars.unset(a).is_err() {
                sh.errf(&[b"unset: ", a, b": is read only"]);
                return Err(Flow::Exit(2));
            }
            sh.unset_magic(a);
            sh.var_changed(a);
        }
    }
    Ok(0)
}

fn set(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if args.len() == 1 {
        let mut names: Vec<(Vec<u8>, Vec<u8>)> = sh
            .vars
            .map
            .iter()
            .filter_map(|(k, v)| v.val.clone().map(|v| (k.clone(), v)))
            .collect();
        by_name(&mut names);
        for (k, v) in names {
            let mut line = k;
            line.push(b'=');
            single_quote(&mut line, &v);
            line.push(b'\n');
            sh.print(&line);
        }
        return Ok(sh.flush_out(b"set"));
    }
    let monitor = sh.opts.monitor;
    let r = set_options(sh, &args[1..], false);
    if sh.opts.monitor != monitor {
        super::jobctl::monitor_option(sh, b"set: ");
    }
    match r {
        Ok(Some(pos)) => {
            sh.pos = pos;
            sh.getopts_restart();
            Ok(0)
        }
        Ok(None) => Ok(0),
        Err(msg) => sh.usage_err(b"set", &msg),
    }
}

/// Apply `-e +x -o name --` options. Returns new positional parameters when operands (or `--`)
/// were given. At startup (`invocation`), `-c`/`-s`/`-i` are handled by the caller.
pub fn set_options(
    sh: &mut Shell,
    args: &[Vec<u8>],
    invocation: bool,
) -> Result<Option<Vec<Vec<u8>>>, Vec<u8>> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == b"--" {
            return Ok(Some(args[i + 1..].to_vec()));
        }
        if a == b"-" {
            sh.opts.xtrace = false;
            sh.opts.verbose = false;
            return Ok(if i + 1 < args.len() {
                Some(args[i + 1..].to_vec())
            } else {
                None
            });
        }
        let on = match a.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => return Ok(Some(args[i..].to_vec())),
        };
        // A lone `+` is an empty set of flags to clear, not an operand (dash, BusyBox ash).
        if a.len() == 1 {
            i += 1;
            continue;
        }
        for &c in &a[1..] {
            if c == b'o' {
                i += 1;
                match args.get(i) {
                    None => {
                        print_options(sh, on);
                    }
                    Some(name) => {
                        let n = String::from_utf8_lossy(name).into_owned();
                        match sh.opts.get_mut(&n) {
                            Some(f) => *f = on,
                            None => return Err([b"illegal option -o ", &name[..]].concat()),
                        }
                    }
                }
                continue;
            }
            if invocation && matches!(c, b'c' | b's' | b'i' | b'l') {
                continue;
            }
            match sh.opts.by_letter(c) {
                Some(f) => *f = on,
                None => {
                    let sign = if on { b'-' } else { b'+' };
                    return Err([b"illegal option ", &[sign, c][..]].concat());
                }
            }
        }
        i += 1;
    }
    Ok(None)
}

fn print_options(sh: &mut Shell, on: bool) {
    let mut out = Vec::new();
    if on {
        out.extend_from_slice(b"Current option settings\n");
    }
    let mut o = sh.opts.clone();
    for (name, _) in OPTION_NAMES {
        let v = *o.get_mut(name).unwrap();
        if on {
            out.extend_from_slice(
                format!("{:<16}{}\n", name, if v { "on" } else { "off" }).as_bytes(),
            );
        } else {
            out.extend_from_slice(
                format!("set {}o {}\n", if v { "-" } else { "+" }, name).as_bytes(),
            );
        }
    }
    sh.print(&out);
}

fn shift(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    let n = match args.get(1) {
        None => 1,
        Some(a) => match number(a) {
            Some(n) => n as usize,
            None => return illegal_number(sh, b"shift", a),
        },
    };
    // More than $#: status 1 and the shell goes on, silently as BusyBox ash (whose ash_test
    // checks that), bash adds a message; POSIX lets the shell exit, as dash does.
    if n > sh.pos.len() {
        return Ok(1);
    }
    sh.pos.drain(..n);
    sh.getopts_restart();
    Ok(0)
}

fn times(sh: &mut Shell, _: &[Vec<u8>]) -> Res {
    let [user, sys, cuser, csys] = sp::times();
    let hz = sp::clock_ticks() as f64;
    let f = |v: u64| {
        let s = v as f64 / hz;
        format!("{}m{:.6}s", (s / 60.0) as u64, s % 60.0)
    };
    let out = format!("{} {}\n{} {}\n", f(user), f(sys), f(cuser), f(csys));
    sh.print(out.as_bytes());
    Ok(sh.flush_out(b"times"))
}

fn trap(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut i = 1;
    if args.get(1).is_some_and(|a| a == b"--") {
        i = 2;
    }
    if args.len() <= i || args[i] == b"-p" {
        // `trap -p` (POSIX 2024) lists every condition, those left at their default as
        // `trap -- - SIG` so the output restores them too (bash); `trap -p SIG...` only
        // those, in the order given. Plain `trap` lists the ones set.
        let with_p = args.len() > i;
        let (traps, err_trap) = match &sh.parent_traps {
            Some(p) => (&p.0, &p.1),
            None => (&sh.traps, &sh.err_trap),
        };
        let sigs: Vec<usize> = if args.len() > i + 1 {
            args[i + 1..]
                .iter()
                .filter_map(|s| signal_number(s).map(|n| n as usize))
                .filter(|&n| n < traps.len())
                .collect()
        } else {
            (0..traps.len())
                .filter(|&n| n as i32 != libc::SIGKILL && n as i32 != libc::SIGSTOP)
                .collect()
        };
        let mut out = Vec::new();
        // ERR after the signals, as bash lists it.
        let err_asked = args.len() <= i + 1 || args[i + 1..].iter().any(|a| a == b"ERR");
        let err_line = match err_trap {
            Some(a) if err_asked => {
                let mut l = b"trap -- ".to_vec();
                single_quote(&mut l, a);
                l.extend_from_slice(b" ERR\n");
                Some(l)
            }
            None if err_asked && with_p => Some(b"trap -- - ERR\n".to_vec()),
            _ => None,
        };
        for sig in sigs {
            let action = match &traps[sig] {
                Some(a) => Some(a),
                None if with_p => None,
                None => continue,
            };
            {
                out.extend_from_slice(b"trap -- ");
                match action {
                    Some(a) => single_quote(&mut out, a),
                    None => out.push(b'-'),
                }
                out.push(b' ');
                match signal_name(sig as i32) {
                    Some(n) => out.extend_from_slice(n.as_bytes()),
                    None => out.extend_from_slice(sig.to_string().as_bytes()),
                }
                out.push(b'\n');
            }
        }
        out.extend(err_line.unwrap_or_default());
        sh.print(&out);
        return Ok(sh.flush_out(b"trap"));
    }
    sh.parent_traps = None;
    // `trap N...` (first operand a number) or a lone operand (`trap INT`, `trap -`): every
    // operand is a condition, reset (dash, BusyBox ash).
    let (action, sigs): (Option<Vec<u8>>, &[Vec<u8>]) =
        if number(&args[i]).is_some() || args.len() == i + 1 {
            (None, &args[i..])
        } else if args[i] == b"-" {
            (None, &args[i + 1..])
        } else {
            (Some(args[i].clone()), &args[i + 1..])
        };
    let mut st = 0;
    for s in sigs {
        if s == b"ERR" {
            sh.err_trap = action.clone();
            continue;
        }
        match signal_number(s) {
            Some(n) if n != libc::SIGKILL && n != libc::SIGSTOP => {
                sh.set_trap(n as usize, action.clone())
            }
            Some(_) => {}
            None => {
                sh.errf(&[b"trap: ", &s[..], b": invalid signal specification"]);
                st = 1;
            }
        }
    }
    Ok(st)
}

fn kill(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    // Reap background jobs that ended, so that `kill -0 $!` fails once `$!` is gone (BusyBox
    // ash: a loop of builtins polling a child must see it end).
    let _ = sh.procs.poll();
    let mut sig = libc::SIGTERM;
    let mut i = 1;
    match args.get(1).map(|a| a.as_slice()) {
        None => return sh.usage_err(b"kill", b"Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]"),
        Some(b"-l") | Some(b"-L") => {
            let mut out = Vec::new();
            if let Some(a) = args.get(2) {
                let n = number(a).unwrap_or(-1);
                let n = if n > 128 { n - 128 } else { n };
                match signal_name(n as i32) {
                    Some(name) if n > 0 => out.extend_from_slice(name.as_bytes()),
                    // The EXIT condition (BusyBox ash, bash).
                    _ if n == 0 => out.extend_from_slice(b"EXIT"),
                    _ => match signal_number(a) {
                        Some(v) => out.extend_from_slice(v.to_string().as_bytes()),
                        None => return sh.usage_err(b"kill", &[b"invalid signal number or exit status: ", &a[..]].concat()),
                    },
                }
                out.push(b'\n');
            } else {
                // dash's list: every number up to RTMAX, by name where it has one.
                for n in 0..=64 {
                    match signal_name(n) {
                        Some(name) if n != 0 && n != libc::SIGSTKFLT => {
                            out.extend_from_slice(name.as_bytes())
                        }
                        _ => out.extend_from_slice(n.to_string().as_bytes()),
                    }
                    out.push(b'\n');
                }
            }
            sh.print(&out);
            return Ok(sh.flush_out(b"kill"));
        }
        Some(b"-s") => {
            let Some(s) = args.get(2) else {
                return sh.usage_err(b"kill", b"-s requires an argument");
            };
            match signal_number(s) {
                Some(n) => sig = n,
                None => return sh.usage_err(b"kill", &[b"invalid signal number or name: ", &s[..]].concat()),
            }
            i = 3;
        }
        Some(a) if a.len() > 1 && a[0] == b'-' && a != b"--" => {
            match signal_number(&a[1..]) {
                Some(n) => sig = n,
                None => {
                    if a[1].is_ascii_digit() {
                        return sh.usage_err(b"kill", &[b"invalid signal number or name: ", &a[1..]].concat());
                    }
                    return sh.usage_err(b"kill", &[b"illegal option -", &a[1..2]].concat());
                }
            }
            i = 2;
        }
        _ => {}
    }
    if args.get(i).is_some_and(|a| a == b"--") {
        i += 1;
    }
    if i >= args.len() {
        return sh.usage_err(b"kill", b"Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]");
    }
    let mut st = 0;
    for a in &args[i..] {
        let pids: Vec<i32> = if a.starts_with(b"%") {
            match sh.procs.by_spec(a) {
                Some(j) => j.pids.clone(),
                None => {
                    return sh.usage_err(b"kill", &[&a[..], b": no such job"].concat());
                }
            }
        } else {
            let neg = a.starts_with(b"-");
            match number(if neg { &a[1..] } else { a }) {
                Some(n) => vec![if neg { -(n as i32) } else { n as i32 }],
                None => {
                    sh.errf(&[b"kill: Illegal number: ", a]);
                    st = 2;
                    continue;
                }
            }
        };
        for p in pids {
            if let Err(e) = sp::kill(p, sig) {
                let m = crate::common::ctx::strerror(&e);
                sh.errf(&[b"kill: ", a, b": ", m.as_bytes()]);
                st = 1;
            }
        }
    }
    Ok(st)
}

/// Which trapped signal is pending, if any (for an interrupted `wait`).
fn trapped_pending() -> Option<i32> {
    use std::sync::atomic::Ordering;
    let p = &super::exec::PENDING;
    (1..p.len())
        .find(|&s| p[s].load(Ordering::Relaxed))
        .map(|s| s as i32)
}

fn wait(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = match args.get(1) {
        Some(a) if a == b"--" => &[&args[..1], &args[2..]].concat(),
        _ => args,
    };
    // A trapped signal that came while waiting makes the status 128+N even when the child's
    // end was reaped first (bash, BusyBox ash: POSIX's "return immediately").
    let interrupted = |st: i32| trapped_pending().map_or(st, |s| 128 + s);
    if args.len() == 1 {
        return Ok(match sh.procs.wait_all(&trapped_pending) {
            Ok(s) => interrupted(s),
            Err(s) => s,
        });
    }
    let mut st = 0;
    for a in &args[1..] {
        if let Some(s) = trapped_pending() {
            return Ok(128 + s);
        }
        if a.starts_with(b"%") {
            match sh.procs.by_spec(a).map(|j| j.pids[0]) {
                Some(p) => match sh.procs.wait_for(p, &trapped_pending) {
                    Ok((s, ws)) => {
                        st = s;
                        if let Some(ws) = ws {
                            sh.report_signal(ws);
                        }
                    }
                    Err(s) => return Ok(s),
                },
                None => {
                    return sh.usage_err(b"wait", &[&a[..], b": no such job"].concat());
                }
            }
            continue;
        }
        match number(a) {
            // A job that a signal ended is reported as a foreground one is (`Terminated`),
            // once, as dash and BusyBox ash do (bash does not); `wait` alone reports none.
            Some(p) => match sh.procs.wait_for(p as i32, &trapped_pending) {
                Ok((s, ws)) => {
                    st = s;
                    if let Some(ws) = ws {
                        sh.report_signal(ws);
                    }
                }
                Err(s) => return Ok(s),
            },
            None => return illegal_number(sh, b"wait", a),
        }
    }
    Ok(interrupted(st))
}

// ---------------------------------------------------------------- variables and functions

fn local(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if sh.vars.frames.is_empty() {
        return sh.usage_err(b"local", b"not in a function");
    }
    for a in &args[1..] {
        if a == b"-" {
            // `local -`: the options set from here on are undone when the function returns.
            let saved = sh.opts.clone();
            if let Some(slot @ None) = sh.local_opts.last_mut() {
                *slot = Some(saved);
            }
            continue;
        }
        let (n, v) = match a.iter().position(|&c| c == b'=') {
            Some(i) => (&a[..i], Some(&a[i + 1..])),
            None => (&a[..], None),
        };
        if !is_name(n) {
            return sh.usage_err(b"local", &[n, b": bad variable name"].concat());
        }
        let fresh = sh.vars.make_local(n);
        // `local v` alone starts v unset, as BusyBox ash and bash (dash keeps the outer value);
        // a second `local v` in the same call keeps the value.
        if v.is_none() && fresh && sh.vars.unset(n).is_ok() {
            sh.var_changed(n);
        }
        if let Some(v) = v {
            if sh.vars.set(n, v, sh.opts.allexport).is_err() {
                sh.errf(&[b"local: ", n, b": is read only"]);
                return Err(Flow::Exit(2));
            }
            sh.var_changed(n);
        }
    }
    Ok(0)
}

fn alias(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let args = &operands(args)[..];
    if args.len() == 1 {
        let mut v: Vec<_> = sh
            .aliases
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        by_name(&mut v);
        let mut out = Vec::new();
        for (k, val) in v {
            out.extend_from_slice(&k);
            out.push(b'=');
            single_quote(&mut out, &val);
            out.push(b'\n');
        }
        sh.print(&out);
        return Ok(sh.flush_out(b"alias"));
    }
    let mut st = 0;
    for a in &args[1..] {
        match a.iter().position(|&c| c == b'=') {
            Some(i) => {
                sh.aliases.insert(a[..i].to_vec(), a[i + 1..].to_vec());
            }
            None => match sh.aliases.get(a) {
                Some(v) => {
                    let mut out = a.clone();
                    out.push(b'=');
                    single_quote(&mut out, &v.clone());
                    out.push(b'\n');
                    sh.print(&out);
                }
                None => {
                    let _ = sh.out.flush();
                    let _ = write_all(stderr_fd(), &[b"alias: ", &a[..], b" not found\n"].concat());
                    st = 1;
                }
            },
        }
    }
    let f = sh.flush_out(b"alias");
    Ok(st.max(f))
}

fn unalias(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if args.get(1).is_some_and(|a| a == b"-a") {
        sh.aliases.clear();
        return Ok(0);
    }
    let mut st = 0;
    for a in &args[1..] {
        if sh.aliases.remove(a).is_none() {
            let _ = sh.out.flush();
            let _ = write_all(
                stderr_fd(),
                &[b"unalias: ", &a[..], b" not found\n"].concat(),
            );
            st = 1;
        }
    }
    Ok(st)
}

// ---------------------------------------------------------------- command lookup

fn describe(sh: &mut Shell, name: &[u8], verbose: bool) -> bool {
    let mut out = Vec::new();
    if is_keyword(name) {
        if verbose {
            out.extend_from_slice(name);
            out.extend_from_slice(b" is a shell keyword\n");
        } else {
            out.extend_from_slice(name);
            out.push(b'\n');
        }
        sh.print(&out);
        return true;
    }
    if let Some(a) = sh.aliases.get(name) {
        if verbose {
            out.extend_from_slice(name);
            out.extend_from_slice(b" is an alias for ");
            out.extend_from_slice(a);
        } else {
            out.extend_from_slice(b"alias ");
            out.extend_from_slice(name);
            out.push(b'=');
            single_quote(&mut out, a);
        }
        out.push(b'\n');
        sh.print(&out);
        return true;
    }
    let ok = match sh.lookup(name) {
        Found::Special(_) => {
            out.extend_from_slice(name);
            out.extend_from_slice(if verbose {
                b" is a special shell builtin"
            } else {
                b""
            });
            true
        }
        Found::Builtin(_) => {
            out.extend_from_slice(name);
            out.extend_from_slice(if verbose { b" is a shell builtin" } else { b"" });
            true
        }
        Found::Func(_) => {
            out.extend_from_slice(name);
            // BusyBox ash's and bash's words (dash: "is a shell function").
            out.extend_from_slice(if verbose { b" is a function" } else { b"" });
            true
        }
        Found::Path(p) => {
            if verbose {
                out.extend_from_slice(name);
                // BusyBox ash and bash say "is PATH" whether or not it is hashed (dash: "is a
                // tracked alias for PATH").
                out.extend_from_slice(b" is ");
            }
            if name.contains(&b'/') && !is_exec(&p) {
                out.clear();
                false
            } else {
                // `command -v` writes an absolute pathname (POSIX; dash, bash and BusyBox ash
                // keep `./foo` as given); `-V` and `type` name the same file.
                if !p.starts_with(b"/") && !sh.cwd.is_empty() {
                    out.extend_from_slice(&sh.cwd);
                    if !sh.cwd.ends_with(b"/") {
                        out.push(b'/');
                    }
                }
                out.extend_from_slice(&p);
                true
            }
        }
        Found::Applet(a) => {
            if verbose {
                out.extend_from_slice(name);
                out.extend_from_slice(b" is a shell builtin (rbox applet ");
                out.extend_from_slice(a.name.as_bytes());
                out.push(b')');
            } else {
                out.extend_from_slice(name);
            }
            true
        }
        Found::NotFound => false,
    };
    if ok {
        out.push(b'\n');
        sh.print(&out);
    } else if verbose {
        sh.print(&[name, b": not found\n"].concat());
    }
    ok
}

fn is_exec(p: &[u8]) -> bool {
    super::exec::is_executable_file(p)
}

fn typ(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut st = 0;
    for a in &args[1..] {
        if !describe(sh, a, true) {
            st = 127;
        }
    }
    let f = sh.flush_out(b"type");
    Ok(st.max(f))
}

fn command(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let (flags, i) = match opts(args, b"vVp") {
        Ok(r) => r,
        Err(c) => return sh.usage_err(b"command", &[b"illegal option -", &[c][..]].concat()),
    };
    let v = flags.contains(&b'v');
    let big_v = flags.contains(&b'V');
    let default_path = flags.contains(&b'p');
    if i >= args.len() {
        return Ok(0);
    }
    let argv = args[i..].to_vec();
    // -p: the default PATH, also for -v/-V (BusyBox ash, bash).
    let saved_path = if default_path {
        let old = sh.vars.get(b"PATH").map(|p| p.to_vec());
        let _ = sh
            .vars
            .set(b"PATH", crate::common::exec::SHELL_DEFAULT_PATH, false);
        sh.hash.clear();
        Some(old)
    } else {
        None
    };
    let r = if v || big_v {
        let mut st = 0;
        for a in &argv {
            if !describe(sh, a, big_v) {
                st = 127;
            }
        }
        let f = sh.flush_out(b"command");
        Ok(st.max(f))
    } else {
        // Functions are skipped; special builtins lose their specialness.
        let found = match builtins_or_path(sh, &argv[0]) {
            Some(f) => f,
            None => Found::NotFound,
        };
        match found {
            Found::Special(b) | Found::Builtin(b) => match sh.call_builtin(&b, &argv) {
                Err(Flow::Exit(st)) if b.name != "exit" && b.name != "exec" => Ok(st),
                r => r,
            },
            other => {
                let pid = sh.fork_run(|sh| Ok(sh.exec_found(argv, other)));
                Ok(sh.wait_child(pid))
            }
        }
    };
    if let Some(old) = saved_path {
        match old {
            Some(p) => {
                let _ = sh.vars.set(b"PATH", &p, false);
            }
            None => {
                let _ = sh.vars.unset(b"PATH");
            }
        }
        sh.hash.clear();
    }
    r
}

fn builtins_or_path(sh: &mut Shell, name: &[u8]) -> Option<Found> {
    if let Some(b) = find(name) {
        return Some(Found::Builtin(b));
    }
    match sh.lookup(name) {
        Found::Func(_) => match sh.path_search(name) {
            Some(p) => Some(Found::Path(p)),
            None => crate::applets::find(name).map(Found::Applet),
        },
        f => Some(f),
    }
}

fn hash(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if args.get(1).is_some_and(|a| a == b"-r") {
        sh.hash.clear();
        return Ok(0);
    }
    if args.len() == 1 {
        let mut v: Vec<_> = sh.hash.values().cloned().collect();
        crate::common::sort::sort(&mut v);
        for p in v {
            sh.print(&p);
            sh.print(b"\n");
        }
        return Ok(sh.flush_out(b"hash"));
    }
    let mut st = 0;
    for a in &args[1..] {
        if a.contains(&b'/') || find(a).is_some() || sh.funcs.contains_key(a.as_slice()) {
            continue;
        }
        sh.hash.remove(a.as_slice());
        match sh.path_search(a) {
            Some(p) => {
                sh.hash.insert(a.clone(), p);
            }
            None => {
                sh.errf(&[b"hash: ", a, b": not found"]);
                st = 1;
            }
        }
    }
    Ok(st)
}

// ---------------------------------------------------------------- directories

fn cd(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut physical = false;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        match a.as_slice() {
            b"-P" => physical = true,
            b"-L" => physical = false,
            b"--" => {
                i += 1;
                break;
            }
            // `-e` (POSIX 2024) only matters when the new PWD cannot be found out with -P,
            // which never leaves rbox's status 0 wrong: it is accepted and ignored.
            x if x.len() > 1 && x[0] == b'-' => {
                if x.iter().skip(1).all(|&c| matches!(c, b'P' | b'L' | b'e')) {
                    if let Some(&l) = x.iter().rev().find(|&&c| c != b'e') {
                        physical = l == b'P';
                    }
                } else {
                    return sh.usage_err(b"cd", &[b"illegal option ", x].concat());
                }
            }
            _ => break,
        }
        i += 1;
    }
    let mut print = false;
    // An unset or empty HOME or OLDPWD stays where it is (dash, BusyBox ash; bash complains).
    // An empty operand is an error, as POSIX 2024 asks (dash and BusyBox ash stay).
    let target: Vec<u8> = match args.get(i) {
        None => sh.vars.get(b"HOME").unwrap_or(b"").to_vec(),
        Some(a) if a == b"-" => {
            print = true;
            sh.vars.get(b"OLDPWD").unwrap_or(b"").to_vec()
        }
        Some(a) if a.is_empty() => {
            sh.errf(&[b"cd: empty directory operand"]);
            return Ok(1);
        }
        Some(a) => a.clone(),
    };
    // A read-only PWD or OLDPWD cannot follow the change, so none is made (bash).
    for v in [&b"PWD"[..], b"OLDPWD"] {
        if sh.vars.var(v).is_some_and(|v| v.readonly) {
            sh.errf(&[b"cd: ", v, b": is read only"]);
            return Ok(1);
        }
    }
    let target = if target.is_empty() {
        b".".to_vec()
    } else {
        target
    };
    if args.len() > i + 1 {
        return sh.usage_err(b"cd", b"too many arguments");
    }
    // CDPATH applies to relative names not starting with . or ..
    let mut candidates: Vec<(Vec<u8>, bool)> = Vec::new();
    let rel = !target.starts_with(b"/")
        && !target.starts_with(b"./")
        && !target.starts_with(b"../")
        && target != b"."
        && target != b"..";
    if rel {
        if let Some(cdp) = sh.vars.get(b"CDPATH") {
            for d in cdp.split(|&c| c == b':') {
                if d.is_empty() {
                    candidates.push((target.clone(), false));
                } else {
                    let mut p = d.to_vec();
                    if !p.ends_with(b"/") {
                        p.push(b'/');
                    }
                    p.extend_from_slice(&target);
                    candidates.push((p, true));
                }
            }
        }
    }
    candidates.push((target.clone(), false));
    let pwd = (!sh.cwd.is_empty()).then(|| sh.cwd.clone());
    let mut why = String::new();
    for (cand, via_cdpath) in candidates {
        let logical = if physical {
            None
        } else {
            match normalize(&cand, pwd.as_deref()) {
                Ok(l) => Some(l),
                Err(e) => {
                    why = crate::common::ctx::errno_text(e);
                    continue;
                }
            }
        };
        let path = logical.clone().unwrap_or(cand.clone());
        let r = std::env::set_current_dir(os(&path));
        if let Err(e) = &r {
            why = crate::common::ctx::errno_text(e.raw_os_error().unwrap_or(0));
        }
        if r.is_ok() {
            let newpwd = if physical || logical.is_none() {
                std::env::current_dir()
                    .map(|p| {
                        use std::os::unix::ffi::OsStrExt;
                        p.as_os_str().as_bytes().to_vec()
                    })
                    .unwrap_or(path.clone())
            } else {
                path.clone()
            };
            // Both exported, as dash and BusyBox ash do.
            if let Some(old) = &pwd {
                let _ = sh.vars.set(b"OLDPWD", old, true);
            }
            let _ = sh.vars.set(b"PWD", &newpwd, true);
            sh.cwd = newpwd.clone();
            if print || via_cdpath {
                sh.print(&newpwd);
                sh.print(b"\n");
                return Ok(sh.flush_out(b"cd"));
            }
            return Ok(0);
        }
    }
    sh.errf(&[b"cd: can't cd to ", &target, b": ", why.as_bytes()]);
    Ok(2)
}

/// Logical path: join with PWD and fold `.` and `..` textually. What a `..` removes from the
/// operand must be a directory (POSIX cd step 8b, bash): `file/..` and `missing/..` give the
/// errno. PWD's own components are not checked, so `cd ..` still leaves a removed directory
/// (dash, BusyBox ash).
fn normalize(p: &[u8], pwd: Option<&[u8]>) -> Result<Vec<u8>, i32> {
    let mut full = Vec::new();
    if !p.starts_with(b"/") {
        match pwd {
            Some(d) => full.extend_from_slice(d),
            None => return Ok(p.to_vec()),
        }
        if !full.ends_with(b"/") {
            full.push(b'/');
        }
    }
    let from_pwd = full.len();
    full.extend_from_slice(p);
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut unchecked = 0;
    let mut at = 0;
    for seg in full.split(|&c| c == b'/') {
        let in_pwd = at < from_pwd;
        at += seg.len() + 1;
        match seg {
            b"" | b"." => {}
            b".." => {
                if parts.len() > unchecked {
                    let dir = [b"/", &parts.join(&b'/')[..]].concat();
                    match std::fs::metadata(os(&dir)) {
                        Ok(m) if m.is_dir() => {}
                        Ok(_) => return Err(20), // ENOTDIR
                        Err(e) => return Err(e.raw_os_error().unwrap_or(2)),
                    }
                }
                parts.pop();
                unchecked = unchecked.min(parts.len());
            }
            s => {
                parts.push(s);
                if in_pwd {
                    unchecked = parts.len();
                }
            }
        }
    }
    let mut out = Vec::new();
    // POSIX leaves a leading `//` implementation-defined; dash keeps it.
    if full.starts_with(b"//") && !full.starts_with(b"///") {
        out.push(b'/');
    }
    for s in parts {
        out.push(b'/');
        out.extend_from_slice(s);
    }
    if out.len() <= 1 {
        out.push(b'/');
        out.truncate(if full.starts_with(b"//") && !full.starts_with(b"///") {
            2
        } else {
            1
        });
    }
    Ok(out)
}

fn pwd(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    // Options as `cd`'s (the last of -L/-P wins); operands are ignored (dash, BusyBox ash).
    let mut physical = false;
    for a in &args[1..] {
        match a.as_slice() {
            b"--" => break,
            x if x.len() > 1 && x[0] == b'-' => {
                if x[1..].iter().all(|&c| c == b'P' || c == b'L') {
                    physical = x.last() == Some(&b'P');
                } else {
                    return sh.usage_err(b"pwd", &[b"illegal option ", x].concat());
                }
            }
            _ => break,
        }
    }
    let p = match &sh.cwd {
        l if !physical && !l.is_empty() => l.clone(),
        _ => match std::env::current_dir() {
            Ok(p) => {
                use std::os::unix::ffi::OsStrExt;
                p.as_os_str().as_bytes().to_vec()
            }
            Err(_) => {
                sh.err(b"pwd: getcwd() failed");
                return Ok(2);
            }
        },
    };
    sh.print(&p);
    sh.print(b"\n");
    Ok(sh.flush_out(b"pwd"))
}

// ---------------------------------------------------------------- read, getopts

/// `read [-r] [-p PROMPT] [-t SECS] [-n N] [-s] [-d DELIM] [-u FD] [NAME...]`: POSIX `-r`; the
/// rest as BusyBox ash and bash (no NAME: the whole line, untrimmed, in `$REPLY`; a timeout
/// gives status 1 as in BusyBox).
fn read(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut raw = false;
    let mut silent = false;
    let mut i = 1;
    let mut prompt: Option<Vec<u8>> = None;
    let mut timeout: Option<f64> = None;
    let mut nchars: Option<usize> = None;
    let mut delim = b'\n';
    let mut src = 0;
    while let Some(a) = args.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        let mut j = 1;
        while j < a.len() {
            let c = a[j];
            if matches!(c, b'p' | b't' | b'n' | b'd' | b'u') {
                let val = if j + 1 < a.len() {
                    a[j + 1..].to_vec()
                } else {
                    i += 1;
                    match args.get(i) {
                        Some(v) => v.clone(),
                        None => {
                            return sh.usage_err(
                                b"read",
                                &[b"-", &[c][..], b": option requires an argument"].concat(),
                            )
                        }
                    }
                };
                let text = String::from_utf8_lossy(&val).into_owned();
                match c {
                    b'p' => prompt = Some(val),
                    b't' => match crate::common::num::parse_f64(&text) {
                        Some(t) if t >= 0.0 && !text.starts_with(['+', '-']) => timeout = Some(t),
                        _ => {
                            return sh
                                .usage_err(b"read", &[b"invalid timeout: ", &val[..]].concat())
                        }
                    },
                    b'n' => match text.parse::<usize>() {
                        Ok(n) => nchars = Some(n),
                        _ => {
                            return sh.usage_err(b"read", &[b"invalid count: ", &val[..]].concat())
                        }
                    },
                    b'd' => delim = val.first().copied().unwrap_or(0),
                    _ => match text.parse::<i32>() {
                        Ok(n) if n >= 0 && fd::is_open(n) => src = n,
                        _ => {
                            return sh.usage_err(
                                b"read",
                                &[b"invalid file descriptor: ", &val[..]].concat(),
                            )
                        }
                    },
                }
                j = a.len();
                continue;
            }
            match c {
                b'r' => raw = true,
                b's' => silent = true,
                c => return sh.usage_err(b"read", &[b"illegal option -", &[c][..]].concat()),
            }
            j += 1;
        }
        i += 1;
    }
    let reply = [b"REPLY".to_vec()];
    let names = if args.len() > i {
        &args[i..]
    } else {
        &reply[..]
    };
    let whole_line = args.len() <= i;
    for n in names {
        if !is_name(n) {
            return sh.usage_err(b"read", &[&n[..], b": bad variable name"].concat());
        }
    }
    let input = fd::borrow_raw(src);
    if timeout == Some(0.0) {
        // `-t 0`: only whether input is waiting; nothing is read.
        let ready = crate::common::sys::term::poll_readable(input, 0).unwrap_or(false);
        return Ok(if ready { 0 } else { 1 });
    }
    let tty = fd::isatty(input);
    if let Some(p) = prompt {
        if tty {
            let _ = write_all(stderr_fd(), &p);
        }
    }
    // -s and -n on a terminal: no echo, and characters as they are typed.
    let saved_tty = if tty && (silent || nchars.is_some()) {
        crate::common::sys::term::tcgetattr(input).ok()
    } else {
        None
    };
    if let Some(t) = &saved_tty {
        let mut raw_t = *t;
        if silent {
            raw_t.c_lflag &= !(libc::ECHO | libc::ECHONL);
        }
        if nchars.is_some() {
            raw_t.c_lflag &= !libc::ICANON;
            raw_t.c_cc[libc::VMIN] = 1;
            raw_t.c_cc[libc::VTIME] = 0;
        }
        let _ = crate::common::sys::term::tcsetattr(
            input,
            crate::common::sys::term::SetWhen::Now,
            &raw_t,
        );
    }
    let deadline =
        timeout.map(|t| std::time::Instant::now() + std::time::Duration::from_secs_f64(t.min(1e9)));
    // Read byte by byte so that nothing past the line is consumed.
    let mut line = Vec::new();
    // Which bytes were escaped by a backslash (they never split).
    let mut lit = Vec::new();
    let mut eof = false;
    let mut timed_out = false;
    let next = |b: &mut [u8; 1]| -> Option<bool> {
        if let Some(d) = deadline {
            let left = d.saturating_duration_since(std::time::Instant::now());
            let ms = left.as_millis().min(i32::MAX as u128) as i32;
            match crate::common::sys::term::poll_readable(input, ms) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(_) => return Some(false),
            }
        }
        Some(matches!(super::jobctl::read_fd_intr(input, b), Ok(1)))
    };
    while nchars.is_none_or(|n| line.len() < n) {
        let mut b = [0u8; 1];
        match next(&mut b) {
            Some(true) => {}
            Some(false) => {
                eof = true;
                break;
            }
            None => {
                timed_out = true;
                break;
            }
        }
        let c = b[0];
        if c == delim {
            break;
        }
        // A variable cannot hold NUL: dropped, as dash, BusyBox ash and bash do.
        if c == 0 {
            continue;
        }
        if c == b'\\' && !raw {
            match next(&mut b) {
                Some(true) => {
                    if b[0] == b'\n' {
                        continue;
                    }
                    line.push(b[0]);
                    lit.push(true);
                }
                Some(false) => {
                    eof = true;
                    break;
                }
                None => {
                    timed_out = true;
                    break;
                }
            }
            continue;
        }
        line.push(c);
        lit.push(false);
    }
    if timed_out {
        // What was typed before the timeout is dropped (BusyBox ash; bash keeps it).
        line.clear();
        lit.clear();
    }
    if let Some(t) = &saved_tty {
        let _ =
            crate::common::sys::term::tcsetattr(input, crate::common::sys::term::SetWhen::Now, t);
        if silent && !eof && !timed_out {
            let _ = write_all(stderr_fd(), b"\n");
        }
    }
    if whole_line {
        if sh.vars.set(b"REPLY", &line, sh.opts.allexport).is_err() {
            sh.errf(&[b"read: REPLY: is read only"]);
            return Ok(2);
        }
        sh.var_changed(b"REPLY");
        return Ok(if eof || timed_out { 1 } else { 0 });
    }
    let ifs = sh.vars.get(b"IFS").unwrap_or(b" \t\n").to_vec();
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n') && ifs.contains(&c);
    let is_ifs = |c: u8, l: bool| !l && ifs.contains(&c);
    let mut fields: Vec<Vec<u8>> = Vec::new();
    let mut k = 0;
    let n = line.len();
    // Skip leading IFS whitespace.
    while k < n && !lit[k] && is_ws(line[k]) {
        k += 1;
    }
    let mut ri = 0;
    while ri < names.len() {
        if ri == names.len() - 1 {
            // The last variable takes the rest, minus trailing IFS whitespace.
            let mut end = n;
            while end > k && !lit[end - 1] && is_ws(line[end - 1]) {
                end -= 1;
            }
            // A single trailing non-whitespace delimiter is dropped too (POSIX).
            let rest = line[k..end].to_vec();
            let mut rest_lit = lit[k..end].to_vec();
            let mut rest = rest;
            if !rest.is_empty() {
                let last = rest.len() - 1;
                if !rest_lit[last] && ifs.contains(&rest[last]) && !is_ws(rest[last]) {
                    // Only if it is the sole remaining delimiter (no other field follows).
                    let mut e = last;
                    while e > 0 && !rest_lit[e - 1] && is_ws(rest[e - 1]) {
                        e -= 1;
                    }
                    let inner = &rest[..e];
                    let inner_lit = &rest_lit[..e];
                    let has_other = inner.iter().zip(inner_lit).any(|(&c, &l)| is_ifs(c, l));
                    if !has_other {
                        rest.pop();
                        rest_lit.pop();
                        let mut e = rest.len();
                        while e > 0 && !rest_lit[e - 1] && is_ws(rest[e - 1]) {
                            e -= 1;
                        }
                        rest.truncate(e);
                    }
                }
            }
            fields.push(rest);
            break;
        }
        let start = k;
        while k < n && !is_ifs(line[k], lit[k]) {
            k += 1;
        }
        fields.push(line[start..k].to_vec());
        // Consume one delimiter: whitespace run, optional non-ws char, whitespace run.
        while k < n && !lit[k] && is_ws(line[k]) {
            k += 1;
        }
        if k < n && is_ifs(line[k], lit[k]) && !is_ws(line[k]) {
            k += 1;
            while k < n && !lit[k] && is_ws(line[k]) {
                k += 1;
            }
        }
        ri += 1;
    }
    for (idx, name) in names.iter().enumerate() {
        let v = fields.get(idx).map(|v| v.as_slice()).unwrap_or(b"");
        if sh.vars.set(name, v, sh.opts.allexport).is_err() {
            sh.errf(&[b"read: ", name, b": is read only"]);
            return Ok(2);
        }
        sh.var_changed(name);
    }
    Ok(if eof || timed_out { 1 } else { 0 })
}

fn getopts(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    if args.len() < 3 {
        return sh.usage_err(b"getopts", b"Usage: getopts optstring var [arg...]");
    }
    let optstring = args[1].clone();
    let var = args[2].clone();
    // A bad name is found when it is assigned, after OPTIND and OPTARG moved on (dash,
    // BusyBox ash).
    let bad_name = !is_name(&var);
    let params: Vec<Vec<u8>> = if args.len() > 3 {
        args[3..].to_vec()
    } else {
        sh.pos.clone()
    };
    let silent = optstring.first() == Some(&b':');
    let optind = match sh.getopts_ind.take() {
        Some(i) => i,
        None => sh.vars.get(b"OPTIND").and_then(number).unwrap_or(1).max(1) as usize,
    };
    let set_var = |sh: &mut Shell, n: &[u8], v: &[u8]| -> Result<(), ()> {
        if bad_name {
            return Ok(());
        }
        sh.vars.set(n, v, sh.opts.allexport)
    };
    let finish = |sh: &mut Shell, optind: usize| {
        let _ = sh.vars.set(b"OPTIND", optind.to_string().as_bytes(), false);
    };
    // Inside a group (`-ab`) OPTIND already names the next argument (dash, BusyBox ash): the
    // one being read is the one before it.
    let mut pos = sh.getopts_pos;
    let mut ind = if pos > 0 { optind.max(2) - 1 } else { optind };
    let end = |sh: &mut Shell, ind: usize| -> Res {
        let ro = !bad_name && sh.vars.set(&var, b"?", sh.opts.allexport).is_err();
        sh.vars.unset(b"OPTARG").ok();
        let ro_ind = sh
            .vars
            .set(b"OPTIND", ind.to_string().as_bytes(), false)
            .is_err();
        sh.getopts_pos = 0;
        if bad_name {
            return sh.usage_err(b"getopts", &[&var[..], b": bad variable name"].concat());
        }
        if ro || ro_ind {
            let name: &[u8] = if ro { &var } else { b"OPTIND" };
            sh.errf(&[b"getopts: ", name, b": is read only"]);
            return Ok(2);
        }
        Ok(1)
    };
    if pos == 0 {
        let Some(arg) = params.get(ind - 1) else {
            return end(sh, ind);
        };
        if arg == b"--" {
            return end(sh, ind + 1);
        }
        if arg.len() < 2 || arg[0] != b'-' {
            return end(sh, ind);
        }
        pos = 1;
    }
    let arg = params.get(ind - 1).cloned().unwrap_or_default();
    let c = arg.get(pos).copied().unwrap_or(b'?');
    pos += 1;
    let at_end = pos >= arg.len();
    let spec = optstring
        .iter()
        .skip(usize::from(silent))
        .position(|&o| o == c && o != b':');
    let mut st = 0;
    // OPTERR=0 (bash, BusyBox ash) silences the messages as a leading `:` does.
    let quiet = silent || sh.vars.get(b"OPTERR") == Some(b"0");
    match spec {
        None => {
            if quiet {
                let _ = sh.vars.set(b"OPTARG", &[c], false);
            } else {
                sh.vars.unset(b"OPTARG").ok();
                let _ = sh.out.flush();
                let _ = write_all(
                    stderr_fd(),
                    &[b"Illegal option -", &[c][..], b"\n"].concat(),
                );
            }
            let _ = set_var(sh, &var, b"?");
        }
        Some(k) => {
            let k = k + usize::from(silent);
            let takes = optstring.get(k + 1) == Some(&b':');
            if takes {
                let optarg = if !at_end {
                    let v = arg[pos..].to_vec();
                    pos = arg.len();
                    Some(v)
                } else {
                    ind += 1;
                    pos = arg.len();
                    params.get(ind - 1).cloned()
                };
                match optarg {
                    Some(v) => {
                        let _ = sh.vars.set(b"OPTARG", &v, false);
                        let _ = set_var(sh, &var, &[c]);
                    }
                    None => {
                        if quiet {
                            let _ = sh.vars.set(b"OPTARG", &[c], false);
                            let _ = set_var(sh, &var, if silent { b":" } else { b"?" });
                        } else {
                            sh.vars.unset(b"OPTARG").ok();
                            let _ = sh.out.flush();
                            let _ = write_all(
                                stderr_fd(),
                                &[b"No arg for -", &[c][..], b" option\n"].concat(),
                            );
                            let _ = set_var(sh, &var, b"?");
                        }
                        ind -= 1;
                    }
                }
            } else {
                // POSIX and bash unset OPTARG for an option without an argument (dash and
                // BusyBox ash leave it set and empty).
                sh.vars.unset(b"OPTARG").ok();
                if set_var(sh, &var, &[c]).is_err() {
                    sh.errf(&[b"getopts: ", &var, b": is read only"]);
                    st = 2;
                }
            }
        }
    }
    if pos >= arg.len() {
        pos = 0;
    }
    finish(sh, ind + 1);
    sh.getopts_pos = pos;
    if bad_name {
        return sh.usage_err(b"getopts", &[&var[..], b": bad variable name"].concat());
    }
    // A read-only OPTIND or OPTARG that could not take its new value fails the call (dash,
    // BusyBox ash).
    for v in [&b"OPTIND"[..], b"OPTARG"] {
        if st == 0 && sh.vars.var(v).is_some_and(|x| x.readonly) {
            sh.errf(&[b"getopts: ", v, b": is read only"]);
            st = 2;
        }
    }
    Ok(st)
}

// ---------------------------------------------------------------- process limits

fn umask(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let mut sym = false;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        match a.as_slice() {
            b"--" => {
                i += 1;
                break;
            }
            x if x.len() > 1 && x[0] == b'-' => {
                if let Some(&c) = x[1..].iter().find(|&&c| c != b'S') {
                    return sh.usage_err(b"umask", &[b"illegal option -", &[c][..]].concat());
                }
                sym = true;
            }
            _ => break,
        }
        i += 1;
    }
    let cur = sp::current_umask();
    let Some(a) = args.get(i) else {
        if sym {
            let part = |shift: u32| {
                let bits = !(cur >> shift) & 7;
                let mut s = String::new();
                if bits & 4 != 0 {
                    s.push('r');
                }
                if bits & 2 != 0 {
                    s.push('w');
                }
                if bits & 1 != 0 {
                    s.push('x');
                }
                s
            };
            let out = format!("u={},g={},o={}\n", part(6), part(3), part(0));
            sh.print(out.as_bytes());
        } else {
            sh.print(format!("{:04o}\n", cur).as_bytes());
        }
        return Ok(sh.flush_out(b"umask"));
    };
    if a.first().is_some_and(u8::is_ascii_digit) {
        let mut v: u32 = 0;
        for &c in a.iter() {
            if !(b'0'..=b'7').contains(&c) {
                return sh.usage_err(b"umask", &[&b"illegal mode: "[..], a].concat());
            }
            v = v * 8 + (c - b'0') as u32;
        }
        sp::umask(v & 0o777);
        return Ok(0);
    }
    // Symbolic: a chmod-style change of the permissions the mask lets through (its complement),
    // as dash's setmode-based umask does (`u=rwx,g=u,o=`, `a+X`, ...).
    // dash's umask refuses the sticky bit (and names the bad mode), and its `X` always applies
    // (the mask serves directories too): hence is_dir. A copy such as `g=u,o=g` reads the
    // mask from before the command, as dash's does (chmod and BusyBox's umask read the mode
    // as the clauses before changed it).
    // A trailing comma is accepted (dash's and BusyBox's setmode).
    let a = match a.strip_suffix(b",") {
        Some(m) if !m.is_empty() => m,
        _ => a,
    };
    let perm = match crate::common::fs::apply_mode_copy_old(a, !cur & 0o777, true) {
        Some(p) if !a.contains(&b't') => p,
        _ => return sh.usage_err(b"umask", &[&b"illegal mode: "[..], a].concat()),
    };
    sp::umask(!perm & 0o777);
    Ok(0)
}

// The RLIMIT_* constants are i32 on musl but u32 on glibc.
#[allow(clippy::unnecessary_cast)]
fn ulimit(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let table: &[(u8, i32, u64, &str)] = &[
        (b't', libc::RLIMIT_CPU as i32, 1, "time(seconds)"),
        (b'f', libc::RLIMIT_FSIZE as i32, 512, "file(blocks)"),
        (b'd', libc::RLIMIT_DATA as i32, 1024, "data(kbytes)"),
        (b's', libc::RLIMIT_STACK as i32, 1024, "stack(kbytes)"),
        (b'c', libc::RLIMIT_CORE as i32, 512, "coredump(blocks)"),
        (b'm', libc::RLIMIT_RSS as i32, 1024, "memory(kbytes)"),
        (
            b'l',
            libc::RLIMIT_MEMLOCK as i32,
            1024,
            "locked memory(kbytes)",
        ),
        (b'p', libc::RLIMIT_NPROC as i32, 1, "process"),
        (b'n', libc::RLIMIT_NOFILE as i32, 1, "nofiles"),
        (b'v', libc::RLIMIT_AS as i32, 1024, "vmemory(kbytes)"),
        (b'w', libc::RLIMIT_LOCKS as i32, 1, "locks"),
        (b'e', libc::RLIMIT_NICE as i32, 1, "nice"),
        (b'r', libc::RLIMIT_RTPRIO as i32, 1, "rtprio"),
    ];
    let mut hard = false;
    let mut soft = false;
    let mut all = false;
    let mut which = b'f';
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'H' => hard = true,
                b'S' => soft = true,
                b'a' => all = true,
                c if table.iter().any(|t| t.0 == c) => which = c,
                c => return sh.usage_err(b"ulimit", &[b"illegal option -", &[c][..]].concat()),
            }
        }
        i += 1;
    }
    let get = sp::getrlimit;
    let show = |v: u64, unit: u64| -> String {
        if v == sp::RLIM_INFINITY {
            "unlimited".to_string()
        } else {
            (v / unit).to_string()
        }
    };
    if all {
        let mut out = String::new();
        for (c, res, unit, name) in table {
            let r = get(*res);
            let v = if hard { r.max } else { r.cur };
            // dash's layout, without `nice`.
            if *c == b'e' {
                continue;
            }
            let _ = writeln!(out, "{:<20} {}", name, show(v, *unit));
        }
        sh.print(out.as_bytes());
        return Ok(sh.flush_out(b"ulimit"));
    }
    let &(_, res, unit, _) = table.iter().find(|t| t.0 == which).unwrap();
    match args.get(i) {
        None => {
            let r = get(res);
            let v = if hard { r.max } else { r.cur };
            sh.print(format!("{}\n", show(v, unit)).as_bytes());
            Ok(sh.flush_out(b"ulimit"))
        }
        Some(a) => {
            let v = if a == b"unlimited" {
                sp::RLIM_INFINITY
            } else {
                match number(a) {
                    Some(n) => (n as u64).saturating_mul(unit),
                    None => return sh.usage_err(b"ulimit", &[b"bad number: ", &a[..]].concat()),
                }
            };
            let mut r = get(res);
            if hard || !soft {
                r.max = v;
            }
            if soft || !hard {
                r.cur = v;
            }
            if let Err(e) = sp::setrlimit(res, r) {
                let m = crate::common::ctx::strerror(&e);
                sh.errf(&[b"ulimit: error setting limit (", m.as_bytes(), b")"]);
                return Ok(2);
            }
            Ok(0)
        }
    }
}

/// Name/value listings (`export -p`, `readonly -p`, `set`, `alias`) in byte order of the names,
/// which are distinct: one sort routine for all of them.
fn by_name<T>(v: &mut [(Vec<u8>, T)]) {
    crate::common::sort::sort_by(v, |a, b| a.0.cmp(&b.0));
}
