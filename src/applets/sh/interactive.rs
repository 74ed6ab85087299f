//! The interactive shell (XCU 2.5.3 PS1/PS2/ENV, `sh -i`, BusyBox ash's prompt escapes): the
//! read-eval loop over the line editor, with job control on (see `jobctl.rs`).
//!
//! - Interactive when no command string or script is given and stdin and stderr are terminals,
//!   or with `-i`. Prompts are drawn on stderr (as dash and POSIX; ash draws on stdout).
//! - PS1 (default `\w \$ ` as BusyBox ash, whose default this is) and PS2 undergo parameter
//!   expansion, command substitution and arithmetic expansion (backslashes kept), then ash's
//!   escapes: `\u` user, `\h` host up to the first dot, `\H` host, `\w` working directory with
//!   $HOME as `~`, `\W` its last component, `\$` `#` for root else `$`, `\!` history number,
//!   `\n \r \a \e \\`, `\[ \]` around invisible text, `\0NN` octal.
//! - ENV (parameter-expanded) is sourced at start; login profiles are read before (mod.rs).
//! - Ctrl-D leaves, unless `set -o ignoreeof` (always refuses, "Use "exit" to leave shell.") or
//!   IGNOREEOF=N (leaves at the N+1-th consecutive EOF; 10 if N is not a number, as bash).
//!   With stopped jobs, the first `exit`/EOF only warns "You have stopped jobs." (ash).
//! - Syntax errors, failing special builtins and expansion errors return to the prompt; `exit`
//!   and `set -e` failures end the shell. Ctrl-C cancels the line being edited or the command
//!   running in the shell (status 130).
//! - `history` lists the editor's history as ash does (`%4d %s`).

use std::cell::RefCell;
use std::rc::Rc;

use super::exec::{Flow, Shell};
use super::input::{Input, LineSource};
use super::jobctl;
use super::lineedit::{history, Editor, ReadResult, ShellCompleter};
use super::parser::Parser;
use crate::common::io::{stderr_fd, stdin_fd, write_all};
use crate::common::sys::fd::isatty;
use crate::common::sys::user;

/// BusyBox ash's default prompt.
pub const DEFAULT_PS1: &[u8] = b"\\w \\$ ";

/// Is a shell reading commands from stdin interactive by default?
pub fn stdin_is_interactive() -> bool {
    isatty(stdin_fd()) && isatty(stderr_fd())
}

/// Continuation lines for the parser: PS2 prompts through the editor.
struct Ps2Source {
    ed: Rc<RefCell<Editor>>,
    prompt: Vec<u8>,
    comp: ShellCompleter,
    cancelled: Rc<RefCell<bool>>,
}

impl LineSource for Ps2Source {
    fn more(&mut self, buf: &mut Vec<u8>) -> bool {
        if *self.cancelled.borrow() {
            return false;
        }
        let r = self.ed.borrow_mut().read_line(&self.prompt, &mut self.comp);
        match r {
            ReadResult::Line(l) => {
                buf.extend_from_slice(&l);
                buf.push(b'\n');
                true
            }
            ReadResult::Interrupted => {
                *self.cancelled.borrow_mut() = true;
                false
            }
            _ => false,
        }
    }
}

/// Prepare an interactive shell: signals, job control, ENV.
pub fn setup(sh: &mut Shell, monitor: bool) {
    sh.opts.interactive = true;
    jobctl::interactive_signals(sh);
    if std::env::var_os("PS1").is_none() {
        let _ = sh.vars.set(b"PS1", DEFAULT_PS1, false);
    }
    if monitor {
        jobctl::enable(sh);
    }
    let mut ed = Editor::new(stdin_fd(), stderr_fd());
    let size = sh.vars.get(b"HISTSIZE").map(history::History::parse_size);
    if let Some(n) = size {
        ed.history_mut().set_max(n);
    }
    let file = match sh.vars.get(b"HISTFILE") {
        Some(f) => Some(f.to_vec()),
        None => sh.vars.get(b"HOME").map(history::default_file),
    };
    if let Some(f) = file.filter(|f| !f.is_empty()) {
        let _ = ed.history_mut().set_file(Some(&f));
    }
    sh.jc.editor = Some(Rc::new(RefCell::new(ed)));
}

/// Source $ENV (after parameter expansion), as POSIX asks of interactive shells.
pub fn source_env(sh: &mut Shell) -> Result<(), Flow> {
    let Some(env) = sh.vars.get(b"ENV").map(|v| v.to_vec()) else {
        return Ok(());
    };
    let path = expand_text(sh, &env);
    if path.is_empty() {
        return Ok(());
    }
    use std::os::unix::ffi::OsStrExt;
    if let Ok(data) = std::fs::read(std::ffi::OsStr::from_bytes(&path)) {
        let mut inp = Input::from_bytes(&data);
        match sh.run_input(&mut inp, false) {
            Err(Flow::Exit(s)) => return Err(Flow::Exit(s)),
            Ok(s) => sh.status = s,
            Err(_) => {}
        }
    }
    Ok(())
}

/// Parameter expansion, command substitution and arithmetic of a prompt-like string; the
/// text itself if it does not parse.
fn expand_text(sh: &mut Shell, raw: &[u8]) -> Vec<u8> {
    if !raw.contains(&b'$') && !raw.contains(&b'`') {
        return raw.to_vec();
    }
    let saved = (sh.status, sh.opts.xtrace, sh.opts.errexit);
    sh.opts.xtrace = false;
    sh.opts.errexit = false;
    let v = match super::parser::parse_expanding_text(raw) {
        Ok(w) => sh.expand_str(&w).unwrap_or_else(|_| raw.to_vec()),
        Err(_) => raw.to_vec(),
    };
    (sh.status, sh.opts.xtrace, sh.opts.errexit) = saved;
    v
}

/// Expand PS1 or PS2: parameters first (backslashes survive, as in ash), then the escapes.
pub fn prompt(sh: &mut Shell, var: &[u8]) -> Vec<u8> {
    let raw = sh.vars.get(var).unwrap_or(b"").to_vec();
    if !raw.contains(&b'$') && !raw.contains(&b'`') {
        let hist = sh
            .jc
            .editor
            .as_ref()
            .map_or(0, |e| e.borrow().history().len());
        return escapes(sh, &raw, hist + 1);
    }
    // Double the backslashes so that the here-document rules give them back unchanged.
    let mut prot = Vec::with_capacity(raw.len() + 8);
    for &c in &raw {
        if c == b'\\' {
            prot.push(b'\\');
        }
        prot.push(c);
    }
    let expanded = expand_text(sh, &prot);
    let hist = sh
        .jc
        .editor
        .as_ref()
        .map_or(0, |e| e.borrow().history().len());
    escapes(sh, &expanded, hist + 1)
}

fn hostname() -> Vec<u8> {
    user::hostname().unwrap_or_else(|_| b"?".to_vec())
}

fn cwd(sh: &Shell) -> Vec<u8> {
    match sh.vars.get(b"PWD") {
        Some(p) if p.starts_with(b"/") => p.to_vec(),
        _ => {
            use std::os::unix::ffi::OsStrExt;
            std::env::current_dir()
                .map(|p| p.as_os_str().as_bytes().to_vec())
                .unwrap_or_else(|_| b"?".to_vec())
        }
    }
}

/// BusyBox ash's prompt escapes.
pub fn escapes(sh: &Shell, p: &[u8], hist_no: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len() + 32);
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        i += 1;
        if c != b'\\' || i >= p.len() {
            out.push(c);
            continue;
        }
        let e = p[i];
        i += 1;
        match e {
            b'u' => {
                let uid = user::geteuid();
                let mut names = crate::common::fs::Names::new();
                match names.user(uid) {
                    Some(n) => out.extend_from_slice(n),
                    None => out.extend_from_slice(uid.to_string().as_bytes()),
                }
            }
            b'h' => {
                let h = hostname();
                let end = h.iter().position(|&c| c == b'.').unwrap_or(h.len());
                out.extend_from_slice(&h[..end]);
            }
            b'H' => out.extend_from_slice(&hostname()),
            b'w' | b'W' => {
                let d = cwd(sh);
                let home = sh.vars.get(b"HOME").unwrap_or(b"");
                if e == b'w' {
                    if !home.is_empty()
                        && home != b"/"
                        && d.starts_with(home)
                        && (d.len() == home.len() || d[home.len()] == b'/')
                    {
                        out.push(b'~');
                        out.extend_from_slice(&d[home.len()..]);
                    } else {
                        out.extend_from_slice(&d);
                    }
                } else if d == b"/" {
                    out.push(b'/');
                } else {
                    let t = d.strip_suffix(b"/").unwrap_or(&d);
                    let s = t.iter().rposition(|&c| c == b'/').map_or(0, |k| k + 1);
                    out.extend_from_slice(&t[s..]);
                }
            }
            b'$' => out.push(if user::geteuid() == 0 { b'#' } else { b'$' }),
            b'!' => out.extend_from_slice(hist_no.to_string().as_bytes()),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'e' => out.push(0x1b),
            b'\\' => out.push(b'\\'),
            b'[' => out.push(1),
            b']' => out.push(2),
            b'0'..=b'7' => {
                let (v, n) = super::builtins::octal(&p[i - 1..]);
                i += n - 1;
                out.push(v);
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    out
}

fn completer(sh: &Shell) -> ShellCompleter {
    let mut commands: Vec<Vec<u8>> = super::builtins::names()
        .map(|n| n.as_bytes().to_vec())
        .collect();
    commands.extend(sh.funcs.keys().cloned());
    commands.extend(sh.aliases.keys().cloned());
    ShellCompleter {
        commands,
        path: sh.vars.get(b"PATH").unwrap_or(b"").to_vec(),
        home: sh.vars.get(b"HOME").map(|h| h.to_vec()),
    }
}

/// How many consecutive EOFs IGNOREEOF allows (None: leave at the first).
fn eof_limit(sh: &Shell) -> Option<u32> {
    if sh.opts.ignoreeof {
        // dash gives up after 50 too.
        return Some(50);
    }
    let v = sh.vars.get(b"IGNOREEOF")?;
    Some(
        std::str::from_utf8(v)
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .unwrap_or(10),
    )
}

/// The read-eval loop. Returns the shell's final status.
pub fn run(sh: &mut Shell) -> i32 {
    let Some(ed) = sh.jc.editor.clone() else {
        return sh.status;
    };
    let mut eofs = 0u32;
    let mut line_no = 1usize;
    loop {
        jobctl::notify(sh);
        jobctl::reclaim_tty(sh);
        let _ = sh.out.flush();
        let ps1 = prompt(sh, b"PS1");
        let mut comp = completer(sh);
        // A Ctrl-C from now on is a key of the editor or interrupts the command it reads.
        jobctl::clear_interrupt();
        let r = ed.borrow_mut().read_line(&ps1, &mut comp);
        match r {
            ReadResult::Line(l) => {
                eofs = 0;
                match run_line(sh, &ed, l, &mut line_no, comp) {
                    Some(st) => {
                        sh.status = st;
                        break;
                    }
                    None => continue,
                }
            }
            ReadResult::Interrupted => {
                sh.status = 130;
            }
            ReadResult::Eof => {
                if let Some(n) = eof_limit(sh) {
                    if eofs < n {
                        eofs += 1;
                        let _ = write_all(stderr_fd(), b"Use \"exit\" to leave shell.\n");
                        continue;
                    }
                }
                if jobctl::has_stopped(sh) && !sh.jc.warned_stopped {
                    sh.jc.warned_stopped = true;
                    let _ = write_all(stderr_fd(), b"You have stopped jobs.\n");
                    continue;
                }
                break;
            }
            ReadResult::Err(_) => break,
        }
    }
    jobctl::disable(sh);
    sh.status
}

/// Parse and run one line (and the continuation lines it needs). Some(status) to leave.
fn run_line(
    sh: &mut Shell,
    ed: &Rc<RefCell<Editor>>,
    mut line: Vec<u8>,
    line_no: &mut usize,
    comp: ShellCompleter,
) -> Option<i32> {
    // A blank or comment-only line is a complete (empty) command: PS1 again, never PS2 (the
    // parser would otherwise skip the newline and ask for more).
    let text = line.iter().position(|c| !matches!(c, b' ' | b'\t'));
    if text.is_none_or(|i| line[i] == b'#') {
        *line_no += 1;
        return None;
    }
    line.push(b'\n');
    let cancelled = Rc::new(RefCell::new(false));
    let ps2 = prompt(sh, b"PS2");
    let src = Ps2Source {
        ed: ed.clone(),
        prompt: ps2,
        comp,
        cancelled: cancelled.clone(),
    };
    let mut inp = Input::from_source(Box::new(src));
    inp.buf = line;
    inp.line = *line_no;
    loop {
        if inp.pos >= inp.buf.len() {
            break;
        }
        let start = inp.pos;
        let aliases = std::mem::take(&mut sh.aliases);
        let r = {
            let mut p = Parser::new(&mut inp, Some(&aliases));
            p.command_line()
        };
        sh.aliases = aliases;
        if *cancelled.borrow() {
            sh.status = 130;
            break;
        }
        sh.jc.text = inp.buf[start..inp.pos].to_vec();
        inp.commit();
        match r {
            Ok(None) => break,
            Ok(Some(node)) => {
                if sh.opts.noexec {
                    continue;
                }
                sh.jc.exit_requested = false;
                let r = sh.run(&node);
                let _ = sh.out.flush();
                match r {
                    Ok(s) => sh.status = s,
                    Err(Flow::Exit(s)) => {
                        if sh.jc.exit_requested && jobctl::has_stopped(sh) && !sh.jc.warned_stopped
                        {
                            sh.jc.warned_stopped = true;
                            let _ = write_all(stderr_fd(), b"You have stopped jobs.\n");
                            break;
                        }
                        if sh.jc.exit_requested || sh.opts.errexit {
                            return Some(s);
                        }
                        // An error that ends a script only ends the command line here.
                        sh.status = s;
                        break;
                    }
                    Err(Flow::Interrupt) => {
                        sh.status = 130;
                        break;
                    }
                    Err(_) => {}
                }
            }
            Err(e) => {
                sh.parse_error(&e);
                sh.status = 2;
                break;
            }
        }
    }
    *line_no = inp.line;
    jobctl::clear_interrupt();
    None
}

/// `history`: the editor's history as ash lists it.
pub fn history_builtin(sh: &mut Shell, _args: &[Vec<u8>]) -> Result<i32, Flow> {
    let mut out = Vec::new();
    if let Some(ed) = &sh.jc.editor {
        ed.borrow().history().list(&mut out);
    }
    sh.print(&out);
    Ok(sh.flush_out(b"history"))
}
