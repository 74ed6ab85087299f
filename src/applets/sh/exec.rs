//! The interpreter: the execution of the syntax tree (XCU 2.9): simple commands with the POSIX
//! search order (special builtins, functions, builtins, PATH, then rbox applets), pipelines,
//! lists, compound commands, redirections, subshells, `set -e` with its exceptions, traps.
//! The state it works on is `state.rs`; children are forked and waited for in `proc.rs`.

use std::ffi::CString;
use std::rc::Rc;
use std::sync::atomic::Ordering;

use super::ast::*;
use super::builtins;
use super::input::Input;
use super::parser::{ParseError, Parser};
use crate::common::io::{stderr_fd, write_all};
use crate::common::sys::fd::{self, AsFd, AsRawFd, IntoRawFd, OwnedFd, RawFd};
use crate::common::sys::process as sp;
use crate::common::sys::signal::{self, Handler};

pub use super::state::{Flow, Opts, Res, SavedFds, Shell, ANY_PENDING, OPTION_NAMES, PENDING};

/// Variables saved around a builtin's or function's prefix assignments.
type SavedVars = Vec<(Vec<u8>, Option<super::vars::Var>)>;

/// Most nested function calls / eval / dot scripts before giving up (keeps the stack bounded).
const MAX_EVAL_DEPTH: u32 = 10000;

/// What a command name resolves to.
pub enum Found {
    Special(builtins::Builtin),
    Func(Rc<Node>),
    Builtin(builtins::Builtin),
    Path(Vec<u8>),
    Applet(&'static crate::applets::Applet),
    NotFound,
}

impl Shell {
    // ------------------------------------------------------------ running text

    /// Run commands from an input until its end. Returns the final status, or the status of
    /// `exit`. Syntax errors end a non-interactive shell with status 2.
    pub fn run_input(&mut self, inp: &mut Input, toplevel_c: bool) -> Res {
        let aliases = std::mem::take(&mut self.aliases);
        let mut aliases_rc = aliases;
        let mut status = 0;
        loop {
            let start = inp.pos;
            let parsed = {
                let mut p = Parser::new(inp, Some(&aliases_rc));
                p.run_line = Some(self.lineno);
                let r = p.command_line();
                let at_end = match &r {
                    Ok(Some(_)) if toplevel_c => p.at_eof(),
                    _ => false,
                };
                (r, at_end)
            };
            let (r, at_end) = parsed;
            if self.opts.verbose && inp.pos > start {
                let _ = self.out.flush();
                let _ = write_all(stderr_fd(), &inp.buf[start..inp.pos]);
            }
            // A script with job control names its jobs by their text too (`wait %cmd`).
            if self.opts.monitor && !self.opts.interactive {
                self.jc.text.clear();
                self.jc.text.extend_from_slice(&inp.buf[start..inp.pos]);
            }
            inp.commit();
            match r {
                Ok(None) => break,
                Ok(Some(node)) => {
                    if self.opts.noexec {
                        continue;
                    }
                    self.aliases = std::mem::take(&mut aliases_rc);
                    // Replacing the shell would lose traps (caught signals, EXIT), and under
                    // job control the command's own group and giving the terminal back (dash).
                    let trapped = self
                        .traps
                        .iter()
                        .any(|t| t.as_ref().is_some_and(|a| !a.is_empty()));
                    if at_end && !trapped && !self.opts.interactive && !self.jc.on {
                        self.tail_exec = matches!(node, Node::Simple(_));
                    }
                    self.jc.exit_requested = false;
                    let r = self.run(&node);
                    self.tail_exec = false;
                    aliases_rc = std::mem::take(&mut self.aliases);
                    match r {
                        Ok(s) => status = s,
                        // `sh -i FILE`: an error ends the command, not the shell (XCU 2.8.1),
                        // as at a prompt (bash; dash and BusyBox ash stop reading the file).
                        Err(Flow::Exit(s)) if self.error_ends_command_only() => {
                            status = s;
                            self.status = s;
                        }
                        Err(f) => {
                            self.aliases = aliases_rc;
                            return Err(f);
                        }
                    }
                }
                Err(e) => {
                    self.aliases = aliases_rc;
                    self.parse_error(&e);
                    return Err(Flow::Exit(2));
                }
            }
        }
        self.aliases = aliases_rc;
        if ANY_PENDING.load(Ordering::Relaxed) {
            self.run_pending_traps()?;
        }
        Ok(status)
    }

    /// An interactive shell reading its own input (not `eval`, `.`, a function or a subshell)
    /// goes on after an error that would end a script; `exit` and `set -e` still end it.
    fn error_ends_command_only(&self) -> bool {
        self.opts.interactive
            && !self.jc.exit_requested
            && !self.opts.errexit
            && !self.subshell
            && self.eval_depth == 0
            && self.func_depth == 0
    }

    pub fn parse_error(&mut self, e: &ParseError) {
        self.lineno = e.line;
        self.err(&e.msg);
    }

    /// Parse and run a string (`eval`, traps): the status, or control flow.
    pub fn eval_str(&mut self, text: &[u8]) -> Res {
        self.eval_depth += 1;
        if self.eval_depth > MAX_EVAL_DEPTH || !self.stack_ok() {
            self.eval_depth -= 1;
            self.err(b"eval: nesting too deep");
            return Err(Flow::Exit(2));
        }
        let line = self.lineno;
        let mut inp = Input::from_bytes(text);
        inp.line = line;
        let r = self.run_input(&mut inp, false);
        self.eval_depth -= 1;
        self.lineno = line;
        r
    }

    // ------------------------------------------------------------ traps

    pub fn run_pending_traps(&mut self) -> Result<(), Flow> {
        // Inside the EXIT trap signals wait (still pending) for the end of the shell.
        if self.in_trap || !ANY_PENDING.swap(false, Ordering::Relaxed) {
            return Ok(());
        }
        if self.traps_running == 0 {
            super::jobctl::check_interrupt(self)?;
        }
        let mut deferred = false;
        for (sig, pending) in PENDING.iter().enumerate().skip(1) {
            // A trap's action can be interrupted by another signal's trap (`kill -INT $$` in
            // a TERM trap runs the INT trap there, as BusyBox ash and bash), never by its own.
            let bit = 1u128 << (sig & 127);
            if self.traps_running & bit != 0 {
                deferred |= pending.load(Ordering::Relaxed);
                continue;
            }
            if pending.swap(false, Ordering::Relaxed) {
                if let Some(action) = self.traps[sig].clone() {
                    let saved = self.status;
                    self.traps_running |= bit;
                    let outer = self.trap_status.replace(saved);
                    let r = self.eval_str(&action);
                    self.trap_status = outer;
                    self.traps_running &= !bit;
                    // `return N` in a trap returns N from the function it interrupted.
                    if !matches!(r, Err(Flow::Return)) {
                        self.status = saved;
                    }
                    if r.is_err() && deferred {
                        ANY_PENDING.store(true, Ordering::Relaxed);
                    }
                    r?;
                }
            }
        }
        if deferred {
            ANY_PENDING.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Run the EXIT trap once (at the end of the shell or of a subshell that set it).
    pub fn run_exit_trap(&mut self) {
        if let Some(action) = self.traps[0].take() {
            let saved = self.status;
            self.in_trap = true;
            let outer = self.trap_status.replace(saved);
            match self.eval_str(&action) {
                Err(Flow::Exit(n)) => self.status = n,
                _ => self.status = saved,
            }
            self.trap_status = outer;
            self.in_trap = false;
        }
    }

    /// End a shell or subshell on the result of its last command: the status it
    /// leaves, after the EXIT trap and with buffered output written out.
    pub fn finish(&mut self, r: Res) -> i32 {
        self.status = match r {
            Ok(s) | Err(Flow::Exit(s)) => s,
            Err(_) => self.status,
        };
        self.run_exit_trap();
        let _ = self.out.flush();
        super::jobctl::disable(self);
        self.status
    }

    // ------------------------------------------------------------ forking

    /// Run `f` as a subshell and wait for it.
    fn subshell(&mut self, f: impl FnOnce(&mut Shell) -> Res) -> i32 {
        let job = super::jobctl::begin(self, true);
        let pid = self.fork_run(f);
        if pid < 0 {
            return 2;
        }
        if let Some(st) = super::jobctl::wait_fg(self, job, &[pid]) {
            return st;
        }
        self.wait_child(pid)
    }

    // ------------------------------------------------------------ the tree

    pub fn run(&mut self, n: &Node) -> Res {
        let st = self.run_inner(n)?;
        self.status = st;
        // A signal that comes while a background job is being started is taken after the
        // next command, as if it had come a moment later: `kill $$ & (cmd)` then always runs
        // the trap after `(cmd)` instead of now and then before it, depending on whether the
        // job or the shell got the CPU first (the end of the input takes it too).
        if ANY_PENDING.load(Ordering::Relaxed) && !matches!(n, Node::Bg(..)) {
            self.run_pending_traps()?;
        }
        Ok(st)
    }

    fn run_inner(&mut self, n: &Node) -> Res {
        if self.opts.noexec && !self.opts.interactive {
            return Ok(0);
        }
        match n {
            Node::Simple(s) => {
                let st = self.run_simple(s)?;
                // A trapped signal that interrupted the command (`wait` returning 128+N) has
                // its trap run before `set -e` looks at the status, as in dash, bash and
                // BusyBox ash: `set -e; trap 'exit 143' TERM; ... wait` ends through the trap.
                if st != 0
                    && self.opts.errexit
                    && self.errexit_off == 0
                    && ANY_PENDING.load(Ordering::Relaxed)
                {
                    self.status = st;
                    self.run_pending_traps()?;
                }
                self.check_errexit(st)
            }
            Node::Seq(items) => {
                let mut st = 0;
                for it in items {
                    st = self.run(it)?;
                }
                Ok(st)
            }
            Node::And(a, b) => {
                self.errexit_off += 1;
                let r = self.run(a);
                self.errexit_off -= 1;
                if r? == 0 {
                    self.run(b)
                } else {
                    Ok(self.status)
                }
            }
            Node::Or(a, b) => {
                self.errexit_off += 1;
                let r = self.run(a);
                self.errexit_off -= 1;
                let st = r?;
                if st != 0 {
                    self.run(b)
                } else {
                    Ok(0)
                }
            }
            Node::Not(a) => {
                self.errexit_off += 1;
                let r = self.run(a);
                self.errexit_off -= 1;
                Ok((r? == 0) as i32)
            }
            Node::Pipe(cmds, bang) => {
                if *bang {
                    self.errexit_off += 1;
                }
                let r = self.run_pipeline(cmds);
                if *bang {
                    self.errexit_off -= 1;
                    return Ok((r? == 0) as i32);
                }
                let st = r?;
                self.check_errexit(st)
            }
            Node::Bg(a, text) => {
                let tail = std::mem::replace(&mut self.tail_exec, false);
                // A pipeline's commands are the shell's own children, as in a foreground
                // one: `$!` is the last of them (dash, bash, BusyBox ash).
                if let Node::Pipe(cmds, false) = &**a {
                    let r = self.run_pipeline_in(cmds, Some(text));
                    self.tail_exec = tail;
                    return r;
                }
                let job = super::jobctl::begin(self, false);
                let pid = self.fork_run(|sh| {
                    sh.async_child(true);
                    sh.tail_exec = matches!(**a, Node::Simple(_) | Node::Sub(_));
                    sh.run(a)
                });
                self.tail_exec = tail;
                self.started_async(job, if pid > 0 { vec![pid] } else { Vec::new() }, text);
                Ok(0)
            }
            Node::Sub(body) => {
                let tail = self.tail_exec;
                self.tail_exec = false;
                let st = if tail {
                    // Already the last thing this process does: no need to fork again.
                    self.subshell = true;
                    self.run(body)?
                } else {
                    self.subshell(|sh| {
                        sh.tail_exec = matches!(**body, Node::Simple(_) | Node::Sub(_));
                        sh.run(body)
                    })
                };
                self.check_errexit(st)
            }
            Node::Group(body) => {
                self.tail_exec = false;
                self.run(body)
            }
            Node::If(arms, els) => {
                self.tail_exec = false;
                for (c, b) in arms {
                    self.errexit_off += 1;
                    let r = self.run(c);
                    self.errexit_off -= 1;
                    if r? == 0 {
                        return self.run(b);
                    }
                }
                match els {
                    Some(e) => self.run(e),
                    None => Ok(0),
                }
            }
            Node::Loop { cond, body, until } => {
                self.tail_exec = false;
                let mut st = 0;
                self.loop_depth += 1;
                let r = loop {
                    // Traps run even in a loop of `continue` alone (BusyBox ash).
                    if ANY_PENDING.load(Ordering::Relaxed) {
                        if let Err(e) = self.run_pending_traps() {
                            break Err(e);
                        }
                    }
                    self.errexit_off += 1;
                    let c = self.run(cond);
                    self.errexit_off -= 1;
                    let c = match c {
                        Ok(c) => c,
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                break Err(Flow::Break(n - 1));
                            }
                            break Ok(st);
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                break Err(Flow::Continue(n - 1));
                            }
                            continue;
                        }
                        Err(e) => break Err(e),
                    };
                    if (c == 0) == *until {
                        break Ok(st);
                    }
                    match self.run(body) {
                        Ok(s) => st = s,
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                break Err(Flow::Break(n - 1));
                            }
                            break Ok(0);
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                break Err(Flow::Continue(n - 1));
                            }
                            st = 0;
                        }
                        Err(e) => break Err(e),
                    }
                };
                self.loop_depth -= 1;
                r
            }
            Node::For {
                var,
                words,
                body,
                line,
            } => {
                self.tail_exec = false;
                self.lineno = *line;
                let items = match words {
                    Some(ws) => {
                        let mut v = Vec::new();
                        self.expand_words(ws, &mut v)?;
                        v
                    }
                    None => self.pos.clone(),
                };
                let mut st = 0;
                self.loop_depth += 1;
                let mut r = Ok(0);
                for it in items {
                    if self.vars.set(var, &it, self.opts.allexport).is_err() {
                        self.errf(&[var, b": is read only"]);
                        r = Err(Flow::Exit(2));
                        break;
                    }
                    match self.run(body) {
                        Ok(s) => st = s,
                        Err(Flow::Break(n)) => {
                            if n > 1 {
                                r = Err(Flow::Break(n - 1));
                            }
                            break;
                        }
                        Err(Flow::Continue(n)) => {
                            if n > 1 {
                                r = Err(Flow::Continue(n - 1));
                                break;
                            }
                        }
                        Err(e) => {
                            r = Err(e);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                r.map(|_| st)
            }
            Node::Case { word, arms, line } => {
                self.tail_exec = false;
                self.lineno = *line;
                let subject = self.expand_str(word)?;
                let mut i = 0;
                while i < arms.len() {
                    let mut hit = false;
                    for p in &arms[i].pats {
                        let pat = self.expand_pattern(p)?;
                        if super::pattern::fnmatch(&pat, &subject, false) {
                            hit = true;
                            break;
                        }
                    }
                    if hit {
                        let mut st = 0;
                        loop {
                            if let Some(b) = &arms[i].body {
                                st = self.run(b)?;
                            }
                            if arms[i].fall && i + 1 < arms.len() {
                                i += 1;
                            } else {
                                return Ok(st);
                            }
                        }
                    }
                    i += 1;
                }
                Ok(0)
            }
            Node::Func(name, body) => {
                self.funcs.insert(name.clone(), body.clone());
                Ok(0)
            }
            Node::Cond(e, line) => {
                self.lineno = *line;
                let st = self.run_cond(e)?;
                self.check_errexit(st)
            }
            Node::Redirected(inner, redirs) => {
                self.tail_exec = false;
                let mark = self.procsub_fds.len();
                let mut saved = Vec::new();
                if let Err(st) = self.redirect(redirs, Some(&mut saved)) {
                    self.restore(saved);
                    self.procsub_fds.truncate(mark);
                    return self.check_errexit(st);
                }
                let r = self.run(inner);
                let _ = self.out.flush();
                self.restore(saved);
                self.procsub_fds.truncate(mark);
                r
            }
        }
    }

    /// In the child of an asynchronous list (`first`: the one that reads its standard input).
    fn async_child(&mut self, first: bool) {
        // A new child may preempt its parent on the same CPU and run to its end first:
        // `kill $$ & (cmd)` would then signal the shell before it reaches `(cmd)`, where
        // BusyBox ash's parent, returning from a smaller fork, is usually ahead. Let the
        // parent go on first.
        sp::yield_cpu();
        // Non-interactive: async lists ignore SIGINT/SIGQUIT and read /dev/null.
        if self.jc.job_child {
            return;
        }
        for s in [libc::SIGINT, libc::SIGQUIT] {
            if self.traps[s as usize].is_none() {
                let _ = signal::set_handler(s, Handler::Ignore);
                // As if ignored at start: a `trap` in the job leaves it so.
                self.sig_seen |= 1 << s;
                self.sig_hard_ign |= 1 << s;
            }
        }
        if !first {
            return;
        }
        if let Ok(null) = fd::open(b"/dev/null", libc::O_RDONLY, 0) {
            if null.as_raw_fd() == 0 {
                // Opened right onto the closed stdin: it stays.
                let _ = null.into_raw_fd();
            } else {
                let _ = fd::dup2(null.as_fd(), 0);
            }
        }
    }

    /// After forking an asynchronous list: `$!`, and the job table.
    fn started_async(&mut self, job: Option<super::jobctl::JobStart>, pids: Vec<i32>, text: &[u8]) {
        // Reap finished jobs now and then (their statuses are kept for `wait`).
        if self.procs.jobs.len() >= 16 {
            self.procs.poll();
        }
        if let Some(&last) = pids.last() {
            self.last_bg = Some(last);
            let id = self.procs.add_job(pids, Vec::new());
            super::jobctl::started_bg(self, job, id, text);
        }
    }

    fn run_pipeline(&mut self, cmds: &[Node]) -> Res {
        self.run_pipeline_in(cmds, None)
    }

    /// A pipeline in the foreground (waited for), or in the background (`bg`: its text).
    fn run_pipeline_in(&mut self, cmds: &[Node], bg_text: Option<&[u8]>) -> Res {
        let bg = bg_text.is_some();
        self.tail_exec = false;
        let mut pids = Vec::with_capacity(cmds.len());
        let mut prev_read: Option<OwnedFd> = None;
        let n = cmds.len();
        let job = super::jobctl::begin(self, !bg);
        for (i, c) in cmds.iter().enumerate() {
            let (r, w) = if i + 1 < n {
                match fd::pipe() {
                    Ok((r, w)) => (Some(r), Some(w)),
                    Err(_) => {
                        self.err(b"Pipe call failed");
                        return Err(Flow::Exit(2));
                    }
                }
            } else {
                (None, None)
            };
            let mut r = r;
            let prev = prev_read.take();
            // The closure owns the previous read end and the new write end: the child moves
            // them onto 0 and 1; in the parent they close when it is dropped after the fork.
            // The new read end stays the parent's: the child closes its own copy (taken out of
            // its copy of `r`), so that the next command sees end of file.
            let pid = self.fork_run(|sh| {
                if bg {
                    sh.async_child(i == 0);
                }
                if let Some(p) = prev {
                    let _ = fd::dup2(p.as_fd(), 0);
                    drop(p);
                }
                if let Some(w) = w {
                    drop(r.take());
                    let _ = fd::dup2(w.as_fd(), 1);
                    drop(w);
                }
                // `a | (b)`: the child is already the subshell; it does not fork again.
                sh.tail_exec = matches!(c, Node::Simple(_) | Node::Sub(_));
                sh.run(c)
            });
            prev_read = r;
            if pid > 0 {
                pids.push(pid);
            }
        }
        if let Some(text) = bg_text {
            self.started_async(job, pids, text);
            return Ok(0);
        }
        if let Some(st) = super::jobctl::wait_fg(self, job, &pids) {
            return Ok(st);
        }
        let mut st = 0;
        let mut fail = 0;
        for p in pids {
            st = self.wait_child(p);
            if st != 0 {
                fail = st;
            }
        }
        Ok(if self.opts.pipefail { fail } else { st })
    }

    // ------------------------------------------------------------ simple commands

    pub fn lookup(&mut self, name: &[u8]) -> Found {
        let b = builtins::find(name);
        if let Some(b) = b {
            if b.special {
                return Found::Special(b);
            }
        }
        if !self.funcs.is_empty() {
            if let Some(f) = self.funcs.get(name) {
                return Found::Func(f.clone());
            }
        }
        if let Some(b) = b {
            return Found::Builtin(b);
        }
        if name.contains(&b'/') {
            return Found::Path(name.to_vec());
        }
        if name.is_empty() {
            return Found::NotFound;
        }
        if let Some(p) = self.hash.get(name) {
            return Found::Path(p.clone());
        }
        if let Some(p) = self.path_search(name) {
            self.hash.insert(name.to_vec(), p.clone());
            return Found::Path(p);
        }
        if let Some(a) = crate::applets::find(name) {
            return Found::Applet(a);
        }
        Found::NotFound
    }

    /// Search PATH for an executable regular file.
    pub fn path_search(&self, name: &[u8]) -> Option<Vec<u8>> {
        let path = self.vars.get(b"PATH").unwrap_or(b"");
        let mut buf = Vec::with_capacity(64);
        for dir in path.split(|&c| c == b':') {
            buf.clear();
            if dir.is_empty() {
                buf.push(b'.');
            } else {
                buf.extend_from_slice(dir);
            }
            buf.push(b'/');
            buf.extend_from_slice(name);
            if is_executable_file(&buf) {
                return Some(buf);
            }
        }
        None
    }

    fn xtrace(&mut self, assigns: &[(Vec<u8>, Vec<u8>)], argv: &[Vec<u8>]) {
        let raw = self.vars.get(b"PS4").unwrap_or(b"").to_vec();
        // PS4 undergoes parameter expansion (dash); never fatal here.
        let ps4 = if raw.contains(&b'$') || raw.contains(&b'`') {
            let saved = (self.status, self.opts.xtrace);
            self.opts.xtrace = false;
            let v = match super::parser::parse_expanding_text(&raw) {
                Ok(w) => self.expand_str(&w).unwrap_or(raw),
                Err(_) => raw,
            };
            (self.status, self.opts.xtrace) = saved;
            v
        } else {
            raw
        };
        let mut line = ps4;
        let mut first = true;
        for (n, v) in assigns {
            if !first {
                line.push(b' ');
            }
            first = false;
            line.extend_from_slice(n);
            line.push(b'=');
            trace_quote(&mut line, v, false);
        }
        for a in argv {
            if !first {
                line.push(b' ');
            }
            first = false;
            trace_quote(&mut line, a, true);
        }
        line.push(b'\n');
        let _ = self.out.flush();
        let _ = write_all(stderr_fd(), &line);
    }

    #[inline]
    fn run_simple(&mut self, s: &Simple) -> Res {
        let mark = self.procsub_fds.len();
        let r = self.run_simple_inner(s);
        if self.procsub_fds.len() > mark {
            self.procsub_fds.truncate(mark);
        }
        r
    }

    fn run_simple_inner(&mut self, s: &Simple) -> Res {
        self.lineno = s.line;
        self.cmdsub_status = None;
        if s.words.is_empty() && s.redirs.is_empty() && !self.opts.xtrace {
            // Assignments only (`i=$((i+1))`): no argument vector, values set in place.
            let mut v = self.buf();
            for a in &s.assigns {
                self.expand_into(&a.value, &mut v)?;
                if self.vars.set(&a.name, &v, self.opts.allexport).is_err() {
                    self.errf(&[&a.name, b": is read only"]);
                    return Err(Flow::Exit(2));
                }
                if matches!(
                    a.name.as_slice(),
                    b"PATH" | b"OPTIND" | b"RANDOM" | b"SECONDS"
                ) {
                    self.var_changed(&a.name);
                }
            }
            self.pool.push(v);
            return Ok(self.cmdsub_status.unwrap_or(0));
        }
        let mut argv: Vec<Vec<u8>> = Vec::with_capacity(s.words.len());
        self.expand_words(&s.words, &mut argv)?;
        // Without a command name only when not tracing: the trace line belongs on the shell's own
        // stderr, which run_redirected_first has already redirected.
        let r = if !s.assigns.is_empty()
            && !s.redirs.is_empty()
            && (!argv.is_empty() || !self.opts.xtrace)
        {
            self.run_redirected_first(s, &mut argv)
        } else {
            self.run_simple_argv(s, &mut argv, false)
        };
        self.recycle(&mut argv);
        r
    }

    /// A command with prefix assignments and redirections: the redirections are made before
    /// the assignments are expanded (XCU 2.9.1; dash, BusyBox ash), so a failed one leaves
    /// them unexpanded. With no command name (`x=$(cmd) 2>/dev/null`) too: the redirection is
    /// in force while the values are expanded.
    fn run_redirected_first(&mut self, s: &Simple, argv: &mut Vec<Vec<u8>>) -> Res {
        let special = argv
            .first()
            .is_some_and(|a| matches!(self.lookup(a), Found::Special(_)));
        let mut saved = Vec::new();
        if let Err(st) = self.redirect(&s.redirs, Some(&mut saved)) {
            self.restore(saved);
            // A redirection error on a special builtin ends a non-interactive shell.
            return if special { Err(Flow::Exit(st)) } else { Ok(st) };
        }
        self.keep_redirs = false;
        let r = self.run_simple_argv(s, argv, true);
        let _ = self.out.flush();
        if std::mem::take(&mut self.keep_redirs) {
            drop(saved);
        } else {
            self.restore(saved);
        }
        r
    }

    /// Run a simple command from its expanded words; `applied`: its redirections are in
    /// force already.
    fn run_simple_argv(&mut self, s: &Simple, argv_ref: &mut Vec<Vec<u8>>, applied: bool) -> Res {
        let redirs: &[Redir] = if applied { &[] } else { &s.redirs };
        let tail = std::mem::replace(&mut self.tail_exec, false);
        let argv = &*argv_ref;
        let mut assigns: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(s.assigns.len());
        if s.assigns.len() > 1 && !argv.is_empty() {
            // `b=$a c=$b cmd`: each value sees the ones before it (BusyBox ash, bash, dash's
            // assignment-only commands); they are set for real only for the command below.
            let mut shown = Vec::new();
            let mut failed = None;
            for (i, a) in s.assigns.iter().enumerate() {
                match self.expand_str(&a.value) {
                    Ok(v) => {
                        if i + 1 < s.assigns.len()
                            && !self.vars.var(&a.name).is_some_and(|v| v.readonly)
                        {
                            shown.push((a.name.clone(), self.vars.var(&a.name).cloned()));
                            let _ = self.vars.set(&a.name, &v, false);
                        }
                        assigns.push((a.name.clone(), v));
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            self.untemp_assign(shown);
            if let Some(e) = failed {
                return Err(e);
            }
        } else {
            for a in &s.assigns {
                let v = self.expand_str(&a.value)?;
                assigns.push((a.name.clone(), v));
            }
        }
        if self.opts.xtrace {
            self.xtrace(&assigns, argv);
        }
        if argv.is_empty() {
            // Assignments and redirections only.
            let mut saved = Vec::new();
            let rr = if redirs.is_empty() {
                Ok(())
            } else {
                self.redirect(redirs, Some(&mut saved))
            };
            self.restore(saved);
            if let Err(st) = rr {
                return Ok(st);
            }
            for (n, v) in &assigns {
                if self.vars.set(n, v, self.opts.allexport).is_err() {
                    self.errf(&[n, b": is read only"]);
                    return Err(Flow::Exit(2));
                }
                self.var_changed(n);
            }
            return Ok(self.cmdsub_status.unwrap_or(0));
        }
        let found = self.lookup(&argv[0]);
        match found {
            Found::Special(b) => {
                // `x=1 exec prog`: the program sees them (dash exports them there).
                let export = self.opts.allexport || (b.name == "exec" && argv.len() > 1);
                for (n, v) in &assigns {
                    if self.vars.set(n, v, export).is_err() {
                        self.errf(&[n, b": is read only"]);
                        return Err(Flow::Exit(2));
                    }
                    self.var_changed(n);
                }
                let mut saved = Vec::new();
                if let Err(st) = self.redirect(redirs, Some(&mut saved)) {
                    self.restore(saved);
                    // A redirection error on a special builtin ends a non-interactive shell.
                    return Err(Flow::Exit(st));
                }
                let r = self.call_builtin(&b, argv);
                let _ = self.out.flush();
                if std::mem::take(&mut self.keep_redirs) {
                    // The redirections stay: the saved copies are closed (by the caller too,
                    // when it made them).
                    drop(saved);
                    self.keep_redirs = applied;
                } else {
                    self.restore(saved);
                }
                r
            }
            Found::Builtin(b) => {
                self.keep_redirs = false;
                let r = self.run_scoped(&assigns, redirs, true, |sh| sh.call_builtin(&b, argv));
                // `command exec 3<file`: exec's redirections stay, as without `command`.
                if std::mem::take(&mut self.keep_redirs) {
                    self.keep_redirs = applied;
                }
                r
            }
            Found::Func(body) => {
                self.run_scoped(&assigns, redirs, false, |sh| sh.call_function(&body, argv))
            }
            Found::Path(_) | Found::Applet(_) | Found::NotFound => {
                for (n, _) in &assigns {
                    if self.vars.var(n).is_some_and(|v| v.readonly) {
                        self.errf(&[n, b": is read only"]);
                        return Err(Flow::Exit(2));
                    }
                }
                // Redirection words are expanded here, before the fork: their side effects
                // (`${a=x}` in a here-document) stay in the shell (dash, BusyBox ash).
                if !redirs.is_empty() {
                    match self.expand_redir_words(redirs) {
                        Ok(v) => self.pre_redir = Some(v),
                        Err(Flow::Exit(st)) => return Ok(st),
                        Err(e) => return Err(e),
                    }
                }
                let argv = std::mem::take(argv_ref);
                if tail && !self.opts.noexec {
                    let st = self.child_exec(redirs, &assigns, argv, found);
                    return Ok(st);
                }
                let job = super::jobctl::begin(self, true);
                let pid = self.fork_run(|sh| Ok(sh.child_exec(redirs, &assigns, argv, found)));
                self.pre_redir = None;
                if pid < 0 {
                    return Ok(2);
                }
                if let Some(st) = super::jobctl::wait_fg(self, job, &[pid]) {
                    return Ok(st);
                }
                Ok(self.wait_child(pid))
            }
        }
    }

    /// Run a regular builtin or a function with its prefix assignments and redirections in
    /// force, both undone afterwards; a redirection error is the command's status.
    fn run_scoped(
        &mut self,
        assigns: &[(Vec<u8>, Vec<u8>)],
        redirs: &[Redir],
        may_keep: bool,
        run: impl FnOnce(&mut Shell) -> Res,
    ) -> Res {
        let saved_vars = self.temp_assign(assigns)?;
        let mut saved = Vec::new();
        let r = match self.redirect(redirs, Some(&mut saved)) {
            Err(st) => Ok(st),
            Ok(()) => run(self),
        };
        let _ = self.out.flush();
        if may_keep && self.keep_redirs {
            drop(saved);
        } else {
            self.restore(saved);
        }
        self.untemp_assign(saved_vars);
        r
    }

    /// Prefix assignments for a builtin or function: set now, restore afterwards.
    fn temp_assign(&mut self, assigns: &[(Vec<u8>, Vec<u8>)]) -> Result<SavedVars, Flow> {
        let mut saved = Vec::new();
        for (n, v) in assigns {
            let mut old = self.vars.var(n).cloned();
            if old.is_none() && n == b"SECONDS" {
                // The count goes on afterwards from where it was (bash, BusyBox ash).
                old = Some(super::vars::Var {
                    val: Some(self.seconds().to_string().into_bytes()),
                    exported: false,
                    readonly: false,
                });
            }
            saved.push((n.clone(), old));
            if self.vars.set(n, v, true).is_err() {
                self.errf(&[n, b": is read only"]);
                self.untemp_assign(saved);
                return Err(Flow::Exit(2));
            }
            self.var_changed(n);
        }
        Ok(saved)
    }

    fn untemp_assign(&mut self, saved: SavedVars) {
        for (n, old) in saved.into_iter().rev() {
            match old {
                Some(v) => {
                    self.vars.map.insert(n.clone(), v);
                }
                None => {
                    self.vars.map.remove(&n);
                }
            }
            self.vars.env_gen += 1;
            self.var_changed(&n);
        }
    }

    pub fn call_function(&mut self, body: &Rc<Node>, argv: &[Vec<u8>]) -> Res {
        if self.eval_depth >= MAX_EVAL_DEPTH || !self.stack_ok() {
            self.errf(&[&argv[0], b": maximum function nesting depth exceeded"]);
            return Err(Flow::Exit(2));
        }
        self.eval_depth += 1;
        self.func_depth += 1;
        self.func_calls += 1;
        let saved_pos = std::mem::replace(&mut self.pos, argv[1..].to_vec());
        let saved_getopts = (self.getopts_ind, self.getopts_pos);
        self.getopts_restart();
        // The caller's loops stay visible: `break`/`continue` in a function called from a loop
        // end or continue that loop, as BusyBox ash does (POSIX leaves it unspecified; dash and
        // bash ignore them).
        let saved_loop = self.loop_depth;
        let saved_name = std::mem::replace(&mut self.funcname, argv[0].clone());
        self.vars.push_frame();
        self.local_opts.push(None);
        let saved_trap_status = self.trap_status.take();
        let r = self.run(body);
        self.trap_status = saved_trap_status;
        if let Some(Some(o)) = self.local_opts.pop() {
            // Only the `set` flags come back: job control and interactivity stay as they are.
            let (interactive, monitor, stdin) =
                (self.opts.interactive, self.opts.monitor, self.opts.stdin);
            self.opts = o;
            (self.opts.interactive, self.opts.monitor, self.opts.stdin) =
                (interactive, monitor, stdin);
        }
        self.vars.pop_frame();
        self.funcname = saved_name;
        self.loop_depth = saved_loop;
        self.pos = saved_pos;
        (self.getopts_ind, self.getopts_pos) = saved_getopts;
        self.func_depth -= 1;
        self.func_calls -= 1;
        self.eval_depth -= 1;
        match r {
            Err(Flow::Return) => Ok(self.status),
            other => other,
        }
    }

    fn env_block(&mut self) -> Vec<CString> {
        if let Some((gen, env)) = &self.env_cache {
            if *gen == self.vars.env_gen {
                return env.clone();
            }
        }
        let env: Vec<CString> = self
            .vars
            .environ()
            .into_iter()
            .filter_map(|s| CString::new(s).ok())
            .collect();
        self.env_cache = Some((self.vars.env_gen, env.clone()));
        env
    }

    /// In the process that will become the command (a fork child, or the shell itself for
    /// the last command of `sh -c`): redirect, then exec or run the applet. Returns only a
    /// status (when the command could not be run).
    fn child_exec(
        &mut self,
        redirs: &[Redir],
        assigns: &[(Vec<u8>, Vec<u8>)],
        argv: Vec<Vec<u8>>,
        found: Found,
    ) -> i32 {
        if let Err(st) = self.redirect(redirs, None) {
            return st;
        }
        for (n, v) in assigns {
            let _ = self.vars.set(n, v, true);
        }
        self.exec_found(argv, found)
    }

    /// Replace this process with the command. Returns the failure status.
    pub fn exec_found(&mut self, argv: Vec<Vec<u8>>, found: Found) -> i32 {
        let _ = self.out.flush();
        match found {
            Found::Path(p) => match self.self_applet(&p, &argv) {
                Some(a) => self.run_applet(a, argv),
                None => self.exec_path(&p, argv),
            },
            Found::Applet(a) => self.run_applet(a, argv),
            Found::NotFound if argv[0].is_empty() => {
                // dash tries PATH directories themselves: EACCES.
                self.errf(&[b": Permission denied"]);
                127
            }
            Found::NotFound => {
                self.errf(&[&argv[0], b": not found"]);
                127
            }
            _ => 2,
        }
    }

    /// A PATH hit that is a link to this very binary under the name of one of its applets
    /// (`rbox --install` links, as in the image): the exec would only start rbox again to run
    /// that applet, so it runs here, in the child already forked, as BusyBox's standalone
    /// shell runs its applets. That saves the exec's start-up: ~70 page faults (relocation,
    /// text, a fresh heap), half the cost of `x=$(cat f)`. Applets that want a fresh image
    /// (Exec) and names the binary would not dispatch on (`exec -a`) are exec'ed.
    fn self_applet(
        &mut self,
        path: &[u8],
        argv: &[Vec<u8>],
    ) -> Option<&'static crate::applets::Applet> {
        let base = |s: &[u8]| s.rsplit(|&c| c == b'/').next().map(<[u8]>::to_vec);
        let name = base(argv.first()?)?;
        if base(path)? != name {
            return None;
        }
        let a = crate::applets::find(&name)?;
        if a.mode != crate::applets::Mode::NoExec {
            return None;
        }
        let me = *self.self_id.get_or_insert_with(|| {
            fd::stat(b"/proc/self/exe")
                .ok()
                .map(|st| (st.st_dev, st.st_ino))
        });
        let st = fd::stat(path).ok()?;
        (me? == (st.st_dev, st.st_ino)).then_some(a)
    }

    fn run_applet(&mut self, a: &'static crate::applets::Applet, argv: Vec<Vec<u8>>) -> i32 {
        use std::os::unix::ffi::OsStringExt;
        let args: Vec<std::ffi::OsString> =
            argv.into_iter().map(std::ffi::OsString::from_vec).collect();
        // Children of the shell get default signal dispositions for what it caught.
        if a.mode == crate::applets::Mode::Exec {
            if let Some(exe) = {
                use std::os::unix::ffi::OsStrExt;
                crate::multicall::own_exe(std::ffi::OsStr::from_bytes(&self.exe_hint))
            } {
                use std::os::unix::ffi::OsStrExt;
                let p = exe.as_bytes().to_vec();
                let mut v: Vec<Vec<u8>> = Vec::new();
                for x in &args {
                    v.push(x.as_bytes().to_vec());
                }
                let env = self.env_block();
                let _ = sp::execve(&p, &v, &env);
            }
        }
        // As an exec would: the shell's close-on-exec descriptors go, and the process takes
        // the command's name.
        sp::close_cloexec_fds();
        if let Some(base) = std::os::unix::ffi::OsStrExt::as_bytes(args[0].as_os_str())
            .rsplit(|&c| c == b'/')
            .next()
        {
            sp::set_comm(base);
        }
        // The applet reads the process environment: make it the shell's exported variables.
        let old: Vec<std::ffi::OsString> = std::env::vars_os().map(|(k, _)| k).collect();
        for k in old {
            std::env::remove_var(k);
        }
        for (k, v) in self.vars.environ().iter().filter_map(|kv| {
            let i = kv.iter().position(|&c| c == b'=')?;
            Some((kv[..i].to_vec(), kv[i + 1..].to_vec()))
        }) {
            use std::os::unix::ffi::OsStrExt;
            std::env::set_var(
                std::ffi::OsStr::from_bytes(&k),
                std::ffi::OsStr::from_bytes(&v),
            );
        }
        let st = crate::multicall::run_applet(a, args);
        let _ = self.out.flush();
        // The applet ran in our (child or tail) process; end it with its status.
        sp::exit_now(st)
    }

    fn exec_path(&mut self, path: &[u8], argv: Vec<Vec<u8>>) -> i32 {
        let env = self.env_block();
        let mut err = sp::execve(path, &argv, &env);
        // A remembered location that went away: search PATH again (XCU 2.9.1.4, bash).
        if matches!(err.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR))
            && !argv[0].contains(&b'/')
        {
            if let Some(p) = self.path_search(&argv[0]).filter(|p| p[..] != path[..]) {
                err = sp::execve(&p, &argv, &env);
                if err.raw_os_error() == Some(libc::ENOEXEC) {
                    return self.run_script_in_place(&p, argv);
                }
            }
        }
        match err.raw_os_error().unwrap_or(libc::ENOENT) {
            libc::ENOEXEC => {
                // A script without #!: run it with this shell, in this process.
                self.run_script_in_place(path, argv)
            }
            libc::EACCES | libc::EISDIR => {
                self.errf(&[self.exec_prefix, &argv[0], b": Permission denied"]);
                126
            }
            libc::ENOENT | libc::ENOTDIR => {
                self.hash.remove(&argv[0]);
                self.errf(&[self.exec_prefix, &argv[0], b": not found"]);
                127
            }
            e => {
                let m = crate::common::ctx::errno_text(e);
                self.errf(&[self.exec_prefix, &argv[0], b": ", m.as_bytes()]);
                // A name too long or a symlink loop is not found, as BusyBox ash counts it.
                if matches!(e, libc::ENAMETOOLONG | libc::ELOOP) {
                    127
                } else {
                    126
                }
            }
        }
    }

    fn run_script_in_place(&mut self, path: &[u8], argv: Vec<Vec<u8>>) -> i32 {
        let Ok(f) = fd::open(path, libc::O_RDONLY | libc::O_CLOEXEC, 0) else {
            return 126;
        };
        let fd = move_script_fd(f);
        self.pos = argv[1..].to_vec();
        self.arg0 = argv[0].clone();
        self.cmdname = Some(argv[0].clone().into());
        self.funcs.clear();
        self.aliases.clear();
        for t in 1..self.traps.len() {
            if matches!(&self.traps[t], Some(a) if !a.is_empty()) {
                self.set_trap(t, None);
            }
        }
        self.traps[0] = None;
        self.opts = Opts::default();
        self.lineno = 0;
        let mut inp = Input::from_source(Box::new(super::input::FdSource::new(fd)));
        let r = self.run_input(&mut inp, false);
        let st = self.finish(r);
        sp::exit_now(st)
    }

    // ------------------------------------------------------------ redirections

    /// The words of `redirs` expanded: here-document bodies (None when quoted), here-strings
    /// and targets.
    fn expand_redir_words(&mut self, redirs: &[Redir]) -> Result<Vec<Option<Vec<u8>>>, Flow> {
        let mut v = Vec::with_capacity(redirs.len());
        for r in redirs {
            if r.kind == RKind::Here {
                let doc = r.here.as_ref().unwrap();
                if doc.quoted {
                    v.push(None);
                } else {
                    let w = doc.body.borrow();
                    v.push(Some(self.expand_str(&w)?));
                }
            } else {
                v.push(Some(self.expand_str(&r.target)?));
            }
        }
        Ok(v)
    }

    /// Apply redirections. With `saved`, remember what to restore. Err(status) after a message.
    pub fn redirect(
        &mut self,
        redirs: &[Redir],
        mut saved: Option<&mut SavedFds>,
    ) -> Result<(), i32> {
        // A file that cannot be opened or a closed descriptor fails the command with status 1,
        // as BusyBox ash and bash (dash: 2); expansion errors keep their own status.
        if redirs.is_empty() {
            return Ok(());
        }
        let _ = self.out.flush();
        let mut pre = self
            .pre_redir
            .take()
            .filter(|p| p.len() == redirs.len())
            .map(|p| p.into_iter());
        for r in redirs {
            let pre_word = pre.as_mut().and_then(|p| p.next()).flatten();
            // `>&$f` whose word is not a number: the file takes stdout and stderr, as the
            // literal `>&f` does (bash, BusyBox ash; dash refuses it).
            let mut both = false;
            let newfd: OwnedFd = match r.kind {
                RKind::Here => {
                    let doc = r.here.as_ref().unwrap();
                    let body = if let Some(b) = pre_word {
                        b
                    } else {
                        let w = doc.body.borrow();
                        if doc.quoted {
                            match w.first() {
                                Some(WordPart::Quoted(b)) => b.clone(),
                                _ => Vec::new(),
                            }
                        } else {
                            match self.expand_str(&w) {
                                Ok(b) => b,
                                Err(Flow::Exit(s)) => return Err(s),
                                Err(_) => return Err(2),
                            }
                        }
                    };
                    match self.here_doc(&body) {
                        Some(fd) => fd,
                        None => return Err(2),
                    }
                }
                RKind::HereStr => {
                    let mut body = match pre_word.map_or_else(|| self.expand_str(&r.target), Ok) {
                        Ok(t) => t,
                        Err(Flow::Exit(s)) => return Err(s),
                        Err(_) => return Err(2),
                    };
                    body.push(b'\n');
                    match self.here_doc(&body) {
                        Some(fd) => fd,
                        None => return Err(2),
                    }
                }
                _ => {
                    let target = match pre_word.map_or_else(|| self.expand_str(&r.target), Ok) {
                        Ok(t) => t,
                        Err(Flow::Exit(s)) => return Err(s),
                        Err(_) => return Err(2),
                    };
                    match r.kind {
                        RKind::DupIn | RKind::DupOut => {
                            if target == b"-" {
                                if let Some(sv) = saved.as_deref_mut() {
                                    save_fd(sv, r.fd);
                                }
                                let _ = fd::close_raw(r.fd);
                                continue;
                            }
                            let n = std::str::from_utf8(&target)
                                .ok()
                                .and_then(|s| s.parse::<i32>().ok());
                            match n {
                                Some(n) => {
                                    if n == r.fd {
                                        // `3<&3` is left alone even when 3 is closed (dash,
                                        // bash, BusyBox ash).
                                        continue;
                                    }
                                    if n < 0 || !fd::is_open(n) {
                                        // dash loses the message when the broken fd is stderr
                                        // itself.
                                        if r.fd != 2 {
                                            self.errf(&[&target, b": Bad file descriptor"]);
                                        }
                                        return Err(1);
                                    }
                                    if let Some(sv) = saved.as_deref_mut() {
                                        save_fd(sv, r.fd);
                                    }
                                    let _ = fd::dup2(fd::borrow_raw(n), r.fd);
                                    continue;
                                }
                                None if r.kind == RKind::DupOut && r.fd == 1 => both = true,
                                None => {
                                    self.errf(&[&target, b": Bad fd number"]);
                                    return Err(2);
                                }
                            }
                        }
                        _ => {}
                    }
                    let kind = if both { RKind::Out } else { r.kind };
                    let mut flags = match kind {
                        RKind::In => libc::O_RDONLY,
                        RKind::Out | RKind::Clobber => {
                            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC
                        }
                        RKind::Append => libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND,
                        RKind::ReadWrite => libc::O_RDWR | libc::O_CREAT,
                        _ => 0,
                    };
                    let mut excl_fd = None;
                    if kind == RKind::Out && self.opts.noclobber {
                        // Create exclusively; an existing file is refused unless it is not a
                        // regular file (/dev/null, a fifo), which is opened as usual.
                        let excl = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC;
                        excl_fd = fd::open(&target, excl, 0o666).ok();
                        if excl_fd.is_none()
                            && fd::stat(&target)
                                .is_ok_and(|st| (st.st_mode & libc::S_IFMT) == libc::S_IFREG)
                        {
                            self.errf(&[b"can't create ", &target, b": File exists"]);
                            return Err(1);
                        }
                        flags &= !libc::O_TRUNC;
                    }
                    if let Some(fd) = excl_fd {
                        fd
                    } else {
                        if target.contains(&0) {
                            self.errf(&[b"can't open ", &target, b": no such file"]);
                            return Err(1);
                        }
                        match fd::open(&target, flags | libc::O_CLOEXEC, 0o666) {
                            Ok(fd) => fd,
                            Err(e) => {
                                let e = e.raw_os_error().unwrap_or(0);
                                let creating = flags & libc::O_CREAT != 0;
                                let what: &[u8] = if creating {
                                    b"can't create "
                                } else {
                                    b"can't open "
                                };
                                let why = match e {
                                    libc::ENOENT if creating => "nonexistent directory".to_string(),
                                    libc::ENOENT => "no such file".to_string(),
                                    _ => crate::common::ctx::errno_text(e),
                                };
                                self.errf(&[what, &target, b": ", why.as_bytes()]);
                                return Err(1);
                            }
                        }
                    }
                }
            };
            if newfd.as_raw_fd() == r.fd {
                // Opened right onto the wanted fd (it was closed): keep it, not close-on-exec.
                if let Some(sv) = saved.as_deref_mut() {
                    sv.push((r.fd, None));
                }
                let _ = fd::set_cloexec(newfd.as_fd(), false);
                // Addressed by its number from now on.
                let _ = newfd.into_raw_fd();
            } else {
                if let Some(sv) = saved.as_deref_mut() {
                    save_fd(sv, r.fd);
                }
                let _ = fd::dup2(newfd.as_fd(), r.fd);
            }
            if both {
                if let Some(sv) = saved.as_deref_mut() {
                    save_fd(sv, 2);
                }
                let _ = fd::dup2(fd::borrow_raw(1), 2);
            }
        }
        Ok(())
    }

    /// Undo redirections in reverse order.
    pub fn restore(&mut self, saved: SavedFds) {
        self.procs.reap_here_writers();
        if saved.is_empty() {
            return;
        }
        let _ = self.out.flush();
        for (fd, copy) in saved.into_iter().rev() {
            match copy {
                Some(copy) => {
                    let _ = fd::dup2(copy.as_fd(), fd);
                }
                None => {
                    let _ = fd::close_raw(fd);
                }
            }
        }
    }
}

/// Before redirecting `fd`, keep a close-on-exec copy of it (numbered 10 or above) to put back;
/// a closed `fd` is remembered as such.
fn save_fd(saved: &mut SavedFds, fd: RawFd) {
    // A copy saved earlier in this command may sit on `fd` (`exec 10>&- 11>&-` saved 10 as
    // 11): move it out of the way before `fd` is reused.
    for (_, copy) in saved.iter_mut() {
        if let Some(c) = copy.as_ref().filter(|c| c.as_raw_fd() == fd) {
            let moved = fd::dup_min(c.as_fd(), fd + 1).ok();
            *copy = moved;
        }
    }
    if saved.iter().any(|(f, _)| *f == fd) {
        return;
    }
    let copy = fd::dup_min(fd::borrow_raw(fd), 10).ok();
    saved.push((fd, copy));
}

/// Move a descriptor to 10 or above, close-on-exec (the shell's own script file, the terminal).
pub fn move_high(f: OwnedFd) -> OwnedFd {
    if f.as_raw_fd() >= 10 {
        let _ = fd::set_cloexec(f.as_fd(), true);
        return f;
    }
    fd::dup_min(f.as_fd(), 10).unwrap_or(f)
}

/// The script's own descriptor: well above the low numbers scripts redirect (`exec 10>&-`
/// must not close it), at 10 or above when descriptors are scarce.
pub fn move_script_fd(f: OwnedFd) -> OwnedFd {
    match fd::dup_min(f.as_fd(), 100) {
        Ok(h) => {
            let _ = fd::set_cloexec(h.as_fd(), true);
            h
        }
        Err(_) => move_high(f),
    }
}

pub fn is_executable_file(p: &[u8]) -> bool {
    fd::stat(p).is_ok_and(|st| (st.st_mode & libc::S_IFMT) == libc::S_IFREG)
        && fd::access(p, libc::X_OK)
}

/// An `-x` trace word as BusyBox ash writes it: single-quoted when it holds anything but
/// letters, digits and `+,-./:@]^_` (or is a reserved word, `word`), so that the line can be
/// read back; a `'` is written `"'"`. (dash writes words as they are; bash quotes alike.)
fn trace_quote(out: &mut Vec<u8>, s: &[u8], word: bool) {
    const RESERVED: &[&[u8]] = &[
        b"!",
        b"case",
        b"do",
        b"done",
        b"elif",
        b"else",
        b"esac",
        b"fi",
        b"for",
        b"function",
        b"if",
        b"in",
        b"then",
        b"until",
        b"while",
        b"{",
        b"}",
        b"[[",
        b"]]",
    ];
    let plain = !s.is_empty()
        && s.iter().all(|&c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b'+' | b',' | b'-' | b'.' | b'/' | b':' | b'@' | b']' | b'^' | b'_'
                )
        })
        && !(word && RESERVED.contains(&s));
    if plain {
        out.extend_from_slice(s);
        return;
    }
    let mut rest = s;
    loop {
        let n = rest.iter().position(|&c| c == b'\'').unwrap_or(rest.len());
        out.push(b'\'');
        out.extend_from_slice(&rest[..n]);
        out.push(b'\'');
        rest = &rest[n..];
        if rest.is_empty() {
            break;
        }
        let q = rest.iter().take_while(|&&c| c == b'\'').count();
        out.push(b'"');
        out.extend_from_slice(&rest[..q]);
        out.push(b'"');
        rest = &rest[q..];
        if rest.is_empty() {
            break;
        }
    }
}
