//! The shell's state, apart from the code that interprets the tree (`exec.rs`): variables,
//! positional parameters, functions, aliases, options, traps, the children and job table
//! (`proc.rs`), job control (`jobctl.rs`), and what the interpreter keeps between commands.
//! Messages and trap dispositions live here too; running anything does not.

use std::ffi::CString;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::ast::Node;
use super::proc::Procs;
use super::vars::{FastMap, Vars};
use crate::common::io::{stderr_fd, stdout_fd, write_all, Out};
use crate::common::sys::fd::{OwnedFd, RawFd};
use crate::common::sys::process as sp;
use crate::common::sys::signal::{self, Handler};

/// Non-local control flow.
#[derive(Debug)]
pub enum Flow {
    Break(u32),
    Continue(u32),
    Return,
    /// Leave the shell (or the subshell) with this status.
    Exit(i32),
    /// SIGINT in an interactive shell: abandon the command line (see `jobctl`).
    Interrupt,
}

pub type Res = Result<i32, Flow>;

#[derive(Default, Clone)]
pub struct Opts {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub noglob: bool,
    pub noexec: bool,
    pub verbose: bool,
    pub noclobber: bool,
    pub allexport: bool,
    pub pipefail: bool,
    pub interactive: bool,
    pub stdin: bool,
    pub monitor: bool,
    pub notify: bool,
    pub ignoreeof: bool,
    pub nolog: bool,
    pub vi: bool,
    pub emacs: bool,
    /// Accepted for dash compatibility; no effect.
    pub privileged: bool,
    pub debug: bool,
    /// Commands came from `-c`: `$-` shows `c`, as BusyBox ash and bash do (dash does not).
    pub command: bool,
    /// `-h` (POSIX: remember the utilities a function uses when it is defined): accepted and
    /// shown in `$-` as bash does; commands are found when they run, which it allows.
    pub hashondef: bool,
}

pub const OPTION_NAMES: &[(&str, u8)] = &[
    ("errexit", b'e'),
    ("noglob", b'f'),
    ("ignoreeof", 0),
    ("interactive", b'i'),
    ("monitor", b'm'),
    ("noexec", b'n'),
    ("stdin", b's'),
    ("xtrace", b'x'),
    ("verbose", b'v'),
    ("vi", 0),
    ("emacs", 0),
    ("noclobber", b'C'),
    ("allexport", b'a'),
    ("notify", b'b'),
    ("nounset", b'u'),
    ("privileged", b'p'),
    ("nolog", 0),
    ("debug", 0),
    ("pipefail", 0),
];

impl Opts {
    pub fn get_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "errexit" => &mut self.errexit,
            "noglob" => &mut self.noglob,
            "ignoreeof" => &mut self.ignoreeof,
            "interactive" => &mut self.interactive,
            "monitor" => &mut self.monitor,
            "noexec" => &mut self.noexec,
            "stdin" => &mut self.stdin,
            "xtrace" => &mut self.xtrace,
            "verbose" => &mut self.verbose,
            "vi" => &mut self.vi,
            "emacs" => &mut self.emacs,
            "noclobber" => &mut self.noclobber,
            "allexport" => &mut self.allexport,
            "notify" => &mut self.notify,
            "nounset" => &mut self.nounset,
            "nolog" => &mut self.nolog,
            "pipefail" => &mut self.pipefail,
            "privileged" => &mut self.privileged,
            "debug" => &mut self.debug,
            _ => return None,
        })
    }
    pub fn by_letter(&mut self, c: u8) -> Option<&mut bool> {
        if c == b'h' {
            return Some(&mut self.hashondef);
        }
        let name = OPTION_NAMES.iter().find(|(_, l)| *l == c && c != 0)?.0;
        self.get_mut(name)
    }
}

/// Signals caught by a trap and not yet handled (set from the signal handler).
pub static PENDING: [AtomicBool; 65] = [const { AtomicBool::new(false) }; 65];
pub static ANY_PENDING: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(sig: libc::c_int) {
    if (sig as usize) < PENDING.len() {
        PENDING[sig as usize].store(true, Ordering::Relaxed);
        ANY_PENDING.store(true, Ordering::Relaxed);
    }
}

/// Descriptors saved by redirections, to put back in reverse order: (number, its saved copy;
/// None when the number was closed before, so it is closed again).
pub type SavedFds = Vec<(RawFd, Option<OwnedFd>)>;

/// Trap actions by condition (0 is EXIT) and the ERR trap, as a subshell inherits them.
pub type SavedTraps = (Vec<Option<Vec<u8>>>, Option<Vec<u8>>);

pub struct Shell {
    pub vars: Vars,
    pub pos: Vec<Vec<u8>>,
    pub arg0: Vec<u8>,
    pub funcs: FastMap<Vec<u8>, Rc<Node>>,
    pub aliases: std::collections::HashMap<Vec<u8>, Vec<u8>>,
    pub opts: Opts,
    pub status: i32,
    pub last_bg: Option<i32>,
    pub pid: i32,
    pub out: Out,
    pub lineno: usize,
    pub errexit_off: u32,
    pub loop_depth: u32,
    pub func_depth: u32,
    /// Trap actions by signal number; 0 is EXIT.
    pub traps: Vec<Option<Vec<u8>>>,
    /// `trap ACTION ERR` (BusyBox ash, bash): run where `set -e` would end the shell, outside
    /// functions and not within its own action.
    pub err_trap: Option<Vec<u8>>,
    /// In a subshell, until it runs `trap` with operands: the traps (and ERR trap) of the
    /// shell it was forked from, which `trap` without operands lists (POSIX 2024, bash).
    pub parent_traps: Option<Box<SavedTraps>>,
    pub in_err_trap: bool,
    /// Function calls under way (not `.` files, which `func_depth` counts too).
    pub func_calls: usize,
    /// The children: job table, reaped statuses (`proc.rs`).
    pub procs: Procs,
    pub hash: FastMap<Vec<u8>, Vec<u8>>,
    /// A forked child (subshell, pipeline element, command substitution).
    pub subshell: bool,
    pub arith_cache: FastMap<Vec<u8>, Rc<super::arith::Expr>>,
    /// Status of the last command substitution (for assignment-only commands).
    pub cmdsub_status: Option<i32>,
    /// The next external simple command may replace the shell instead of forking.
    pub tail_exec: bool,
    pub getopts_pos: usize,
    /// Where the next `getopts` starts when the positional parameters changed under it (`set`,
    /// `shift`, a function call: dash and BusyBox ash start over at 1 then, whatever OPTIND
    /// says); None once OPTIND is assigned or `getopts` has run, when OPTIND is the state.
    pub getopts_ind: Option<usize>,
    pub in_trap: bool,
    /// Signals whose trap action is running (bit N: signal N).
    pub traps_running: u128,
    /// Signals whose disposition at the shell's start has been looked at (bit N: signal N),
    /// and those of them that were ignored then: see [`Shell::hard_ignored`].
    pub sig_seen: u128,
    pub sig_hard_ign: u128,
    /// `$?` when the running trap action was entered: what a bare `exit`/`return` in it uses.
    pub trap_status: Option<i32>,
    /// Depth of evaluation (function calls, eval, `.`), to stop runaway recursion.
    pub eval_depth: u32,
    /// The exported variables as C strings, with the generation they were built at.
    pub(super) env_cache: Option<(u64, Vec<CString>)>,
    /// Set by `exec` without a command: keep its redirections.
    pub keep_redirs: bool,
    /// Redirection words (here-document bodies, targets) expanded by the shell before it
    /// forked the command they belong to, one per redirection (None: a quoted here-document).
    pub pre_redir: Option<Vec<Option<Vec<u8>>>>,
    /// The shell's ends of the pipes of `<(...)`/`>(...)`, open until their command is done.
    pub procsub_fds: Vec<crate::common::sys::fd::OwnedFd>,
    /// argv[0] the binary was started with (to find our own executable).
    pub exe_hint: Vec<u8>,
    /// (device, inode) of the running binary once looked up (`exec::self_applet`); inner
    /// None when /proc/self/exe cannot be read.
    pub self_id: Option<Option<(u64, u64)>>,
    /// Prefix for exec failure messages (`exec: ` inside the exec builtin).
    pub exec_prefix: &'static [u8],
    /// Spare byte buffers for words (see `buf`/`recycle` in expand.rs).
    pub pool: Vec<Vec<u8>>,
    /// Builtin output captured in memory (in-process command substitution).
    pub capture: Option<Vec<u8>>,
    /// Stack address at start and how much of the stack recursion may use.
    stack_base: usize,
    stack_budget: usize,
    /// `$RANDOM`'s generator state and the time `$SECONDS` counts from (bash, BusyBox ash).
    pub rng: std::cell::Cell<u32>,
    pub seconds_base: i64,
    /// `LINENO`, `RANDOM`, `SECONDS` ([`MAGIC`] order) that `unset` made plain variables: they
    /// lose their special meaning for good, as in bash and BusyBox ash.
    pub magic_lost: u8,
    /// The running function's name, `$FUNCNAME` (bash, BusyBox ash); empty outside functions.
    pub funcname: Vec<u8>,
    /// Per function call: the options saved by `local -` (restored when the function returns,
    /// as dash and BusyBox ash do).
    pub local_opts: Vec<Option<Opts>>,
    /// Interactive state and job control (issue 5, `jobctl.rs`).
    pub jc: super::jobctl::JobCtl,
    /// BusyBox ash's `commandname`: the running builtin, the `.` file being read, or the
    /// script (`sh file`, `sh -c cmd NAME`); messages then carry `NAME: line N: `.
    pub cmdname: Option<std::borrow::Cow<'static, [u8]>>,
    /// The shell's idea of the current directory (logical, as `cd` left it): what `pwd` prints
    /// and `cd ..` folds, whatever is assigned to `$PWD` (dash's `curdir`).
    pub cwd: Vec<u8>,
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn initial_seed() -> u32 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    t ^ std::process::id().rotate_left(16)
}

impl Shell {
    /// The next `$RANDOM`: 0..=32767 from a 32-bit LCG (the high bits, which are the good ones).
    pub fn next_random(&self) -> i64 {
        let s = self
            .rng
            .get()
            .wrapping_mul(1_103_515_245)
            .wrapping_add(12_345);
        self.rng.set(s);
        ((s >> 16) & 0x7fff) as i64
    }

    pub fn seconds(&self) -> i64 {
        now_secs() - self.seconds_base
    }

    pub fn new(arg0: Vec<u8>) -> Shell {
        let mut sh = Shell {
            vars: Vars::default(),
            pos: Vec::new(),
            arg0,
            funcs: FastMap::default(),
            aliases: Default::default(),
            opts: Opts::default(),
            status: 0,
            last_bg: None,
            pid: sp::getpid(),
            out: Out::on(stdout_fd(), 8192),
            lineno: 0,
            errexit_off: 0,
            loop_depth: 0,
            func_depth: 0,
            traps: vec![None; 65],
            err_trap: None,
            parent_traps: None,
            in_err_trap: false,
            func_calls: 0,
            sig_seen: 0,
            sig_hard_ign: 0,
            procs: Procs::default(),
            hash: FastMap::default(),
            subshell: false,
            arith_cache: FastMap::default(),
            cmdsub_status: None,
            tail_exec: false,
            getopts_pos: 0,
            getopts_ind: None,
            in_trap: false,
            traps_running: 0,
            trap_status: None,
            eval_depth: 0,
            env_cache: None,
            keep_redirs: false,
            pre_redir: None,
            procsub_fds: Vec::new(),
            exe_hint: Vec::new(),
            self_id: None,
            exec_prefix: b"",
            pool: Vec::new(),
            capture: None,
            stack_base: 0,
            stack_budget: 0,
            rng: std::cell::Cell::new(initial_seed()),
            seconds_base: now_secs(),
            magic_lost: 0,
            funcname: Vec::new(),
            local_opts: Vec::new(),
            jc: Default::default(),
            cmdname: None,
            cwd: Vec::new(),
        };
        let here = 0u8;
        sh.stack_base = std::ptr::addr_of!(here) as usize;
        #[allow(clippy::unnecessary_cast)] // RLIMIT_* are u32 on glibc
        let rl = sp::getrlimit(libc::RLIMIT_STACK as i32);
        let lim = if rl.cur == sp::RLIM_INFINITY || rl.cur == 0 {
            8 << 20
        } else {
            (rl.cur as usize).min(256 << 20)
        };
        sh.stack_budget = lim / 4 * 3;
        sh.exe_hint = sh.arg0.clone();
        for (k, v) in std::env::vars_os() {
            use std::os::unix::ffi::OsStrExt;
            let k = k.as_bytes();
            if super::parser::is_name(k) {
                let _ = sh.vars.set(k, v.as_bytes(), true);
            }
        }
        if sh.vars.get(b"IFS").is_none() {
            let _ = sh.vars.set(b"IFS", b" \t\n", false);
        } else {
            // IFS is never imported from the environment (POSIX 2024, dash).
            let _ = sh.vars.set(b"IFS", b" \t\n", false);
            sh.vars.map.get_mut(&b"IFS"[..]).unwrap().exported = false;
        }
        if sh.vars.get(b"PS1").is_none() {
            let ps1: &[u8] = if crate::common::sys::user::geteuid() == 0 {
                b"# "
            } else {
                b"$ "
            };
            let _ = sh.vars.set(b"PS1", ps1, false);
        }
        if sh.vars.get(b"PS2").is_none() {
            let _ = sh.vars.set(b"PS2", b"> ", false);
        }
        if sh.vars.get(b"PS4").is_none() {
            let _ = sh.vars.set(b"PS4", b"+ ", false);
        }
        let _ = sh.vars.set(b"OPTIND", b"1", false);
        if sh.vars.get(b"PATH").is_none() {
            let _ = sh
                .vars
                .set(b"PATH", crate::common::exec::SHELL_DEFAULT_PATH, false);
        }
        // BusyBox ash and bash set HOSTNAME (not exported); scripts and prompts read it.
        if sh.vars.get(b"HOSTNAME").is_none() {
            if let Ok(h) = crate::common::sys::user::hostname() {
                let _ = sh.vars.set(b"HOSTNAME", &h, false);
            }
        }
        let ppid = sp::getppid();
        let _ = sh.vars.set(b"PPID", ppid.to_string().as_bytes(), false);
        // PWD: keep an inherited value only if it names the current directory; getcwd() only
        // when it does not (dash and BusyBox ash make no getcwd() call for a good PWD).
        let keep = sh
            .vars
            .get(b"PWD")
            .is_some_and(crate::common::path::names_cwd);
        if !keep {
            if let Ok(c) = std::env::current_dir() {
                use std::os::unix::ffi::OsStrExt;
                let _ = sh.vars.set(b"PWD", c.as_os_str().as_bytes(), true);
            }
        }
        sh.cwd = sh.vars.get(b"PWD").unwrap_or(b"").to_vec();
        sh
    }

    // ------------------------------------------------------------ messages

    /// A message on stderr as BusyBox ash's `ash_vmsg` words it: `ARG0: msg` at the top of a
    /// `sh -c` string, `ARG0: [CMD: ]line N: msg` inside a builtin, a `.` file or a script
    /// (CMD when it differs from ARG0). Builtins pass `name: msg`; the name moves before the line.
    pub fn err(&mut self, msg: &[u8]) {
        let _ = self.out.flush();
        let mut v = Vec::with_capacity(msg.len() + 32);
        v.extend_from_slice(&self.arg0);
        v.extend_from_slice(b": ");
        let mut rest = msg;
        if let Some(c) = &self.cmdname {
            if let Some(r) = msg.strip_prefix(&c[..]).and_then(|r| r.strip_prefix(b": ")) {
                rest = r;
            }
            if c[..] != self.arg0[..] {
                v.extend_from_slice(c);
                v.extend_from_slice(b": ");
            }
            if !self.opts.interactive || self.eval_depth > 0 {
                v.extend_from_slice(b"line ");
                v.extend_from_slice(self.lineno.to_string().as_bytes());
                v.extend_from_slice(b": ");
            }
        }
        v.extend_from_slice(rest);
        v.push(b'\n');
        let _ = write_all(stderr_fd(), &v);
    }

    pub fn errf(&mut self, parts: &[&[u8]]) {
        let v: Vec<u8> = parts.concat();
        self.err(&v);
    }

    pub fn check_errexit(&mut self, st: i32) -> Res {
        if st != 0 && self.errexit_off == 0 && self.func_calls == 0 && !self.in_err_trap {
            if let Some(action) = self.err_trap.clone() {
                // `$?` is the failed command's status in the action and after it.
                self.status = st;
                self.in_err_trap = true;
                let outer = self.trap_status.replace(st);
                let r = self.eval_str(&action);
                self.trap_status = outer;
                self.in_err_trap = false;
                self.status = st;
                r?;
            }
        }
        if st != 0 && self.opts.errexit && self.errexit_off == 0 {
            Err(Flow::Exit(st))
        } else {
            Ok(st)
        }
    }

    pub fn flags_string(&self) -> Vec<u8> {
        let mut s = Vec::new();
        let o = &self.opts;
        // BusyBox ash's order (its option table read backwards): `set -eu` under -c is "uce".
        for (on, c) in [
            (o.nounset, b'u'),
            (o.notify, b'b'),
            (o.allexport, b'a'),
            (o.noclobber, b'C'),
            (o.verbose, b'v'),
            (o.xtrace, b'x'),
            (o.command, b'c'),
            (o.stdin, b's'),
            (o.noexec, b'n'),
            (o.monitor, b'm'),
            (o.interactive, b'i'),
            (o.noglob, b'f'),
            (o.errexit, b'e'),
            (o.hashondef, b'h'),
        ] {
            if on {
                s.push(c);
            }
        }
        s
    }

    /// A signal ignored when a non-interactive shell started (or by `&` in one) is neither
    /// trapped nor reset (POSIX; dash, BusyBox ash): `trap` records and lists the action, the
    /// signal stays ignored. Looked at once, before the shell first changes it.
    pub fn hard_ignored(&mut self, sig: usize) -> bool {
        let bit = 1u128 << sig;
        if self.sig_seen & bit == 0 {
            self.sig_seen |= bit;
            if !self.opts.interactive && signal::ignored_at_start(sig as i32) {
                self.sig_hard_ign |= bit;
            }
        }
        self.sig_hard_ign & bit != 0
    }

    pub fn set_trap(&mut self, sig: usize, action: Option<Vec<u8>>) {
        if sig != 0 && !self.hard_ignored(sig) {
            let h = match &action {
                None => Handler::Default,
                Some(a) if a.is_empty() => Handler::Ignore,
                Some(_) => Handler::Catch(on_signal),
            };
            let _ = signal::set_handler(sig as i32, h);
        }
        self.traps[sig] = action;
    }

    /// In a new child: caught signals go back to their defaults, ignored ones stay ignored.
    pub(super) fn reset_traps_in_child(&mut self) {
        let caught = self.err_trap.is_some()
            || self
                .traps
                .iter()
                .any(|t| matches!(t, Some(a) if !a.is_empty()));
        self.parent_traps = caught.then(|| Box::new((self.traps.clone(), self.err_trap.clone())));
        for sig in 1..self.traps.len() {
            if matches!(&self.traps[sig], Some(a) if !a.is_empty()) {
                self.set_trap(sig, None);
            }
        }
        self.traps[0] = None;
        self.err_trap = None;
        // A subshell started from a trap action is not the action: its `exit` without an
        // operand takes the subshell's own `$?` (bash).
        self.trap_status = None;
    }

    /// New positional parameters: the next `getopts` reads them from the first.
    pub fn getopts_restart(&mut self) {
        self.getopts_pos = 0;
        self.getopts_ind = Some(1);
    }

    /// Side effects of setting some variables.
    pub fn var_changed(&mut self, name: &[u8]) {
        match name {
            b"PATH" => self.hash.clear(),
            b"OPTIND" => {
                self.getopts_pos = 0;
                self.getopts_ind = None;
            }
            b"RANDOM" | b"SECONDS" if !self.is_magic(name) => {}
            // Assigning seeds the generator / sets the count; the names stay dynamic.
            b"RANDOM" | b"SECONDS" => {
                let v = self.vars.get(name).unwrap_or(b"");
                let n: i64 = std::str::from_utf8(v)
                    .ok()
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(0);
                if name == b"RANDOM" {
                    self.rng.set(n as u32);
                } else {
                    self.seconds_base = now_secs() - n;
                }
                let _ = self.vars.unset(name);
            }
            _ => {}
        }
    }

    /// `unset NAME`: `LINENO`, `RANDOM` and `SECONDS` become plain variables for good.
    pub fn unset_magic(&mut self, name: &[u8]) {
        self.magic_lost |= magic_bit(name);
    }

    /// Does NAME (`LINENO`, `RANDOM`, `SECONDS`) still expand to its dynamic value when unset?
    pub fn is_magic(&self, name: &[u8]) -> bool {
        self.magic_lost & magic_bit(name) == 0
    }

    /// Is there room on the stack for another level of recursion?
    pub fn stack_ok(&self) -> bool {
        let here = 0u8;
        let sp = std::ptr::addr_of!(here) as usize;
        self.stack_base.saturating_sub(sp) < self.stack_budget
    }
}

/// The special variables whose value is computed, in the bit order of `Shell::magic_lost`.
const MAGIC: [&[u8]; 3] = [b"LINENO", b"RANDOM", b"SECONDS"];

fn magic_bit(name: &[u8]) -> u8 {
    MAGIC.iter().position(|m| *m == name).map_or(0, |i| 1 << i)
}
