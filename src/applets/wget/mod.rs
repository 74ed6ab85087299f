//! `wget`: non-interactive HTTP/HTTPS downloads.
//!
//! Follows GNU Wget 1.21 for options, log text and exit codes (0 ok, 1 generic, 2 usage,
//! 3 file I/O, 4 network, 5 TLS verification, 6 authentication, 7 protocol, 8 server error;
//! with several URLs the lowest non-0/1 code wins, as GNU documents). HTTP/1.1 client of our
//! own over std sockets: redirects, chunked and length-delimited bodies, `-c` with `Range`,
//! retries with linear back-off, proxies from the environment (CONNECT for https). TLS is
//! rustls (ring); certificates are verified by default, with built-in Mozilla roots when the
//! system has no bundle (scratch images).
//!
//! Deviations from GNU: no progress display by default when the log is not a terminal (GNU
//! falls back to dots); Basic credentials are sent with the first request rather than after a
//! 401 challenge (as BusyBox and curl do), and only to the original host; no recursion, FTP,
//! cookies, timestamping (-N) or compression; a response head over 256 KiB, a malformed status
//! line, and an idle header phase longer than the read timeout are errors (GNU waits, or
//! assumes HTTP/0.9). A body that arrives gzip-encoded without being asked for is saved as
//! received, with a warning.

pub mod http;
mod net;
mod opts;
mod p256;
mod progress;
mod tls;
pub mod url;

use crate::common::io::push_fmt;
use std::ffi::{OsStr, OsString};
use std::fmt::{self, Write as _};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::args::Matches;
use crate::common::ctx::strerror;
use crate::common::io::{stderr_fd, stdout_fd, write_all};
use crate::common::sys;
use crate::common::sys::copy::splice;
use crate::common::Ctx;

use http::{ChunkErr, Chunked, ParseError, Response};
use net::Stream;
use opts::SHORT_USAGE;
pub use opts::USAGE;
use opts::{last, Opts};
use progress::{Progress, Style};
use url::Url;

pub use http::fuzz_one;

/// Exit codes (GNU wget's).
const E_GENERIC: i32 = 1;
const E_USAGE: i32 = 2;
const E_IO: i32 = 3;
const E_NET: i32 = 4;
const E_TLS: i32 = 5;
const E_AUTH: i32 = 6;
const E_PROTO: i32 = 7;
const E_SERVER: i32 = 8;

/// GNU's precedence: with the exception of 0 and 1, lower codes win.
fn combine(a: i32, b: i32) -> i32 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (1, x) | (x, 1) => x,
        (x, y) => x.min(y),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Verb {
    Quiet,
    NoVerbose,
    Verbose,
}

/// The log: standard error, or the `-o`/`-a` file. Unbuffered, as a C program's stderr.
pub struct Log {
    /// The `-o`/`-a` file, or None for standard error.
    file: Option<File>,
    verb: Verb,
}

impl Log {
    /// [`Log::v`] of formatted text (formatted only when it is shown).
    fn vf(&mut self, a: fmt::Arguments) {
        if self.verb == Verb::Verbose {
            self.raw(fmt::format(a).as_bytes());
        }
    }
    /// [`Log::nq`] of formatted text.
    fn nqf(&mut self, a: fmt::Arguments) {
        if self.verb != Verb::Quiet {
            self.raw(fmt::format(a).as_bytes());
        }
    }
    /// [`Log::nv`] of formatted text.
    fn nvf(&mut self, a: fmt::Arguments) {
        if self.verb == Verb::NoVerbose {
            self.raw(fmt::format(a).as_bytes());
        }
    }
    /// Verbose-only text.
    fn v(&mut self, s: &str) {
        if self.verb == Verb::Verbose {
            self.raw(s.as_bytes());
        }
    }
    /// Text shown unless `-q`.
    fn nq(&mut self, s: &str) {
        if self.verb != Verb::Quiet {
            self.raw(s.as_bytes());
        }
    }
    /// `-nv` only (the one-line summaries).
    fn nv(&mut self, s: &str) {
        if self.verb == Verb::NoVerbose {
            self.raw(s.as_bytes());
        }
    }
    pub fn raw(&mut self, b: &[u8]) {
        let _ = write_all(self.fd(), b);
    }
    fn fd(&self) -> BorrowedFd<'_> {
        self.file.as_ref().map_or(stderr_fd(), |f| f.as_fd())
    }
}

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    let c = ctx.finish(Ok(()));
    combine(r, c)
}

/// Usage error: GNU wget's wording and exit 2.
fn usage_error(msg: &str) -> i32 {
    let t = format!("wget: {msg}\n{SHORT_USAGE}");
    let _ = write_all(stderr_fd(), t.as_bytes());
    E_USAGE
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    match steps(argv, ctx) {
        Ok(c) | Err(c) => c,
    }
}

/// The run in its steps; `Err` is an early exit status.
fn steps(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<i32, i32> {
    let m = opts::parse(&argv)?;
    if let Some(c) = help_or_version(&m, ctx) {
        return Ok(c);
    }
    let (verb, no_clobber) = opts::verbosity(&m)?;
    // The log file, before anything else is said.
    let mut log = open_log(&m, verb)?;
    let o = opts::resolve(&m, verb, no_clobber, sys::fd::isatty(log.fd()))?;
    let urls = collect_urls(&m, &mut log)?;
    let mut w = Wget {
        o,
        log,
        tls: None,
        doc: None,
        buf: Vec::new(),
    };
    w.open_document()?;
    Ok(w.retrieve_all(&urls))
}

/// `--help` and `--version` print and end the run.
fn help_or_version(m: &Matches, ctx: &mut Ctx) -> Option<i32> {
    if m.flag("help") || m.flag("h") {
        let _ = ctx.out.write_all(&USAGE.bytes());
        return Some(0);
    }
    if m.flag("version") {
        let v = format!(
            "Wget {} (rbox): GNU Wget-compatible HTTP/HTTPS retriever.\n+https +ipv6 -ftp -iri -ntlm -cookies\n",
            env!("CARGO_PKG_VERSION")
        );
        let _ = ctx.out.write_all(v.as_bytes());
        return Some(0);
    }
    None
}

/// `-o FILE` (truncated) or `-a FILE` (appended to); standard error otherwise.
fn open_log(m: &Matches, verb: Verb) -> Result<Log, i32> {
    let mut log = Log { file: None, verb };
    for (id, append) in [("output-file", false), ("append-output", true)] {
        if let Some(p) = last(m, id) {
            let f = OpenOptions::new()
                .write(true)
                .create(true)
                .append(append)
                .truncate(!append)
                .open(&p);
            match f {
                Ok(f) => {
                    log.file = Some(f);
                }
                Err(e) => {
                    // GNU's log_init: the message on stderr, exit 1 (WGET_EXIT_GENERIC_ERROR).
                    let t = format!("wget: {}: {}\n", p.to_string_lossy(), strerror(&e));
                    let _ = write_all(stderr_fd(), t.as_bytes());
                    return Err(E_GENERIC);
                }
            }
        }
    }
    Ok(log)
}

/// The operands, then the lines of `-i FILE` (`-` for standard input); none is an error.
fn collect_urls(m: &Matches, log: &mut Log) -> Result<Vec<String>, i32> {
    let mut urls: Vec<String> = m
        .operands
        .iter()
        .map(|u| String::from_utf8_lossy(u.as_bytes()).into_owned())
        .collect();
    if let Some(f) = last(m, "input-file") {
        let data = if f.as_bytes() == b"-" {
            let mut v = Vec::new();
            io::stdin().read_to_end(&mut v).map(|_| v)
        } else {
            std::fs::read(&f)
        };
        match data {
            Ok(d) => urls.extend(
                String::from_utf8_lossy(&d)
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(String::from),
            ),
            Err(e) => {
                log.nqf(format_args!(
                    "{}: {}\nNo URLs found in {}.\n",
                    f.to_string_lossy(),
                    strerror(&e),
                    f.to_string_lossy()
                ));
                return Err(E_IO);
            }
        }
    }
    if urls.is_empty() {
        let t = format!("wget: missing URL\n{SHORT_USAGE}");
        let _ = write_all(stderr_fd(), t.as_bytes());
        return Err(E_GENERIC);
    }

    Ok(urls)
}

/// Why one attempt failed: exit code, and whether another try may help.
struct Fail {
    code: i32,
    retry: bool,
}

impl Fail {
    fn fatal(code: i32) -> Fail {
        Fail { code, retry: false }
    }
    fn transient(code: i32) -> Fail {
        Fail { code, retry: true }
    }
}

/// Where the body goes.
struct Sink {
    /// The file written, or None for standard output.
    file: Option<File>,
    /// Name for messages (`'f'`), or None for standard output.
    name: Option<Vec<u8>>,
    /// Body bytes to drop before writing (a retry whose server ignored `Range` on stdout).
    skip: u64,
    /// Bytes written to this sink by this run.
    written: u64,
    /// Whether splice(2) may be tried towards this fd.
    splice_ok: bool,
}

impl Sink {
    fn fd(&self) -> BorrowedFd<'_> {
        self.file.as_ref().map_or(stdout_fd(), |f| f.as_fd())
    }
    fn write(&mut self, mut data: &[u8]) -> io::Result<()> {
        if self.skip > 0 {
            let n = (self.skip.min(data.len() as u64)) as usize;
            self.skip -= n as u64;
            data = &data[n..];
        }
        write_all(self.fd(), data)?;
        self.written += data.len() as u64;
        Ok(())
    }
}

struct Wget {
    o: Opts,
    log: Log,
    tls: Option<(Arc<rustls::ClientConfig>, Arc<tls::Verifier>)>,
    /// The `-O FILE` document, shared by all URLs.
    doc: Option<File>,
    buf: Vec<u8>,
}

/// State carried across tries of one URL.
struct Doc {
    /// Local file chosen (None: not chosen yet, or stdout/-O).
    path: Option<Vec<u8>>,
    sink: Option<Sink>,
    /// Bytes of the document already on disk (from -c or an earlier try).
    have: u64,
}

fn now_text() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let tm = crate::common::time::Zone::local().to_tm(t);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec
    )
}

fn q(name: &[u8]) -> String {
    format!("'{}'", String::from_utf8_lossy(name))
}

fn io_text(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => "Connection timed out".into(),
        _ => strerror(e),
    }
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// The file name a `Content-Disposition` header proposes: its last path component only, so a
/// server cannot write outside the directory (`filename="../../etc/x"` → `x`).
pub fn content_disposition_name(r: &Response) -> Option<Vec<u8>> {
    let v = r.get("content-disposition")?;
    let mut plain = None;
    let mut ext = None;
    for part in v.split(|&b| b == b';').skip(1) {
        let part = http::trim(part);
        let Some(eq) = part.iter().position(|&b| b == b'=') else {
            continue;
        };
        let key = http::trim(&part[..eq]).to_ascii_lowercase();
        let val = http::trim(&part[eq + 1..]);
        if key == b"filename" {
            let val = val
                .strip_prefix(b"\"")
                .and_then(|v| v.strip_suffix(b"\""))
                .unwrap_or(val);
            plain = Some(val.to_vec());
        } else if key == b"filename*" {
            // RFC 5987: charset'lang'percent-encoded
            let mut it = val.splitn(3, |&b| b == b'\'');
            let (_cs, _lang, enc) = (it.next(), it.next(), it.next());
            if let Some(enc) = enc {
                ext = Some(url::unescape(enc));
            }
        }
    }
    let name = ext.or(plain)?;
    let base = name
        .rsplit(|&b| b == b'/' || b == b'\\')
        .next()
        .unwrap_or(b"")
        .to_vec();
    if base.is_empty() || base == b"." || base == b".." || base.contains(&0) {
        return None;
    }
    Some(base)
}

/// Whether `host` is excluded from proxying by `no_proxy`.
fn no_proxy_match(host: &str, list: &str) -> bool {
    list.split([',', ' '])
        .map(|e| e.trim().trim_start_matches('*').to_ascii_lowercase())
        .filter(|e| !e.is_empty() || list.trim() == "*")
        .any(|e| {
            if e.is_empty() {
                return true;
            }
            let e = e.trim_start_matches('.');
            host == e || host.ends_with(&format!(".{e}"))
        })
}

enum BodyErr {
    Closed,
    Read(io::Error),
    Chunk(ParseError),
    Write(io::Error),
}

impl Wget {
    /// `-O FILE`: opened (truncated unless `-c`) once, before the first URL.
    fn open_document(&mut self) -> Result<(), i32> {
        // -O FILE: opened (truncated) once; every document is written into it, as GNU does.
        if let Some(o) = self.o.output.clone() {
            if o.as_bytes() != b"-" && !self.o.spider {
                let mut oo = OpenOptions::new();
                oo.write(true).create(true);
                if !self.o.cont {
                    oo.truncate(true);
                }
                match oo.open(&o) {
                    Ok(f) => self.doc = Some(f),
                    // GNU's perror(opt.output_document) and exit 1: on stderr even with
                    // -q or -o LOG.
                    Err(e) => {
                        let mut t = o.as_bytes().to_vec();
                        push_fmt(&mut t, format_args!(": {}\n", strerror(&e)));
                        let _ = write_all(stderr_fd(), &t);
                        return Err(E_GENERIC);
                    }
                }
            }
        }
        Ok(())
    }

    /// Every URL in turn (`-w` between them); the status by GNU's precedence.
    fn retrieve_all(&mut self, urls: &[String]) -> i32 {
        let mut status = 0;
        for (i, u) in urls.iter().enumerate() {
            if i > 0 && !self.o.wait.is_zero() {
                std::thread::sleep(self.o.wait);
            }
            let c = self.retrieve(u);
            status = combine(status, c);
        }
        status
    }

    fn proxy_for(&self, u: &Url) -> Option<Url> {
        if self.o.no_proxy {
            return None;
        }
        let get = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
        };
        let p = if u.https {
            get(&["https_proxy", "HTTPS_PROXY"])
        } else {
            // Only the lower-case name for http: HTTP_PROXY can be set by a CGI request
            // header ("httpoxy").
            get(&["http_proxy"])
        }?;
        if let Some(np) = get(&["no_proxy", "NO_PROXY"]) {
            if no_proxy_match(&u.host, &np) {
                return None;
            }
        }
        Url::parse(&p).ok()
    }

    /// One URL, with tries. Returns the exit status for it.
    fn retrieve(&mut self, url_text: &str) -> i32 {
        let url = match Url::parse(url_text) {
            Ok(u) => u,
            Err(e) => {
                self.log.nqf(format_args!("{url_text}: {}.\n", e.text()));
                return E_GENERIC;
            }
        };
        let mut doc = Doc {
            path: None,
            sink: None,
            have: 0,
        };
        // -nc: an existing file means nothing to do (decided before connecting, as GNU).
        if self.o.output.is_none() && !self.o.spider && (self.o.no_clobber || self.o.cont) {
            let p = self.local_path(&url.file_name_or(&self.o.default_page));
            if let Ok(md) = std::fs::metadata(OsStr::from_bytes(&p)) {
                if self.o.no_clobber {
                    self.log.nqf(format_args!(
                        "File {} already there; not retrieving.\n\n",
                        q(&p)
                    ));
                    return 0;
                }
                doc.have = md.len();
                doc.path = Some(p);
            }
        }
        if self.o.cont && self.o.output.is_some() {
            if let Some(f) = &self.doc {
                doc.have = f.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.attempt(&url, attempt, &mut doc) {
                Ok(()) => return 0,
                Err(f) => {
                    let more = self.o.tries == 0 || attempt < self.o.tries;
                    if f.retry && more {
                        self.log.nq("Retrying.\n\n");
                        let back = u64::from(attempt).min(self.o.waitretry);
                        std::thread::sleep(Duration::from_secs(back));
                        continue;
                    }
                    if f.retry {
                        self.log.nq("Giving up.\n\n");
                    }
                    return f.code;
                }
            }
        }
    }

    fn local_path(&self, name: &[u8]) -> Vec<u8> {
        match &self.o.prefix {
            Some(p) if !p.is_empty() && p.as_bytes() != b"." => {
                let mut v = p.as_bytes().to_vec();
                if !v.ends_with(b"/") {
                    v.push(b'/');
                }
                v.extend_from_slice(name);
                v
            }
            _ => name.to_vec(),
        }
    }

    fn tls_config(&mut self) -> Result<Arc<rustls::ClientConfig>, Fail> {
        if self.tls.is_none() {
            match tls::config(&self.o.tls) {
                Ok(c) => self.tls = Some(c),
                Err(msg) => {
                    self.log.nqf(format_args!("wget: {msg}\n"));
                    return Err(Fail::fatal(E_TLS));
                }
            }
        }
        Ok(self.tls.as_ref().map(|t| t.0.clone()).expect("set above"))
    }

    /// Resolve and connect, with GNU's log lines. `label` is how the target is named.
    fn connect(&mut self, host: &str, port: u16) -> Result<std::net::TcpStream, Fail> {
        let numeric = host.parse::<std::net::IpAddr>().is_ok();
        let addrs = if numeric {
            net::resolve(host, port, self.o.family).map_err(|_| Fail::fatal(E_NET))?
        } else {
            self.log.vf(format_args!("Resolving {host} ({host})... "));
            match net::resolve(host, port, self.o.family) {
                Ok(a) => {
                    let list: Vec<String> = a.iter().map(|s| s.ip().to_string()).collect();
                    self.log.vf(format_args!("{}\n", list.join(", ")));
                    a
                }
                Err(e) => {
                    self.log.vf(format_args!("failed: {e}.\n"));
                    self.log.nqf(format_args!(
                        "wget: unable to resolve host address '{host}'\n"
                    ));
                    return Err(Fail::fatal(E_NET));
                }
            }
        };
        let mut last: Option<io::Error> = None;
        for a in &addrs {
            let ip = a.ip();
            let ipb = if ip.is_ipv6() {
                format!("[{ip}]")
            } else {
                ip.to_string()
            };
            if numeric {
                self.log.vf(format_args!("Connecting to {ipb}:{port}... "));
            } else {
                self.log.vf(format_args!(
                    "Connecting to {host} ({host})|{ip}|:{port}... "
                ));
            }
            match net::connect(a, self.o.connect_timeout) {
                Ok(s) => {
                    self.log.v("connected.\n");
                    net::set_timeouts(&s, self.o.read_timeout);
                    return Ok(s);
                }
                Err(e) => {
                    self.log.vf(format_args!("failed: {}.\n", io_text(&e)));
                    last = Some(e);
                }
            }
        }
        let refused = last
            .as_ref()
            .is_some_and(|e| e.kind() == io::ErrorKind::ConnectionRefused);
        if self.o.tries == 1 || self.log.verb != Verb::Verbose {
            if let Some(e) = &last {
                self.log.nvf(format_args!("failed: {}.\n", io_text(e)));
            }
        }
        if refused && !self.o.retry_connrefused {
            Err(Fail::fatal(E_NET))
        } else {
            Err(Fail::transient(E_NET))
        }
    }

    /// Open a connection to `url` (directly or through a proxy); returns the stream and
    /// whether requests must use the absolute form (plain HTTP through a proxy).
    fn open(&mut self, url: &Url) -> Result<(Stream, bool, Option<Url>), Fail> {
        let proxy = self.proxy_for(url);
        let tcp = match &proxy {
            Some(p) => self.connect(&p.host.clone(), p.port)?,
            None => self.connect(&url.host.clone(), url.port)?,
        };
        if !url.https {
            return Ok((Stream::Plain(tcp), proxy.is_some(), proxy));
        }
        let mut tcp = tcp;
        if let Some(p) = &proxy {
            let mut req = format!(
                "CONNECT {hp} HTTP/1.1\r\nHost: {hp}\r\nUser-Agent: {}\r\n",
                self.o.user_agent,
                hp = format!("{}:{}", url.host_bracketed(), url.port)
            );
            if let Some(u) = &p.user {
                let cred = format!("{u}:{}", p.password.as_deref().unwrap_or(""));
                let _ = write!(
                    req,
                    "Proxy-Authorization: Basic {}\r\n",
                    base64(cred.as_bytes())
                );
            }
            req.push_str("\r\n");
            let mut st = Stream::Plain(tcp);
            if let Err(e) = st.write_all(req.as_bytes()) {
                self.log
                    .vf(format_args!("Write failed: {}.\n", io_text(&e)));
                return Err(Fail::transient(E_NET));
            }
            self.log.v("Proxy request sent, awaiting response... ");
            let (r, _) = self.read_head(&mut st)?;
            self.log.vf(format_args!(
                "{} {}\n",
                r.code,
                String::from_utf8_lossy(&r.reason)
            ));
            if r.code != 200 {
                self.log.nqf(format_args!(
                    "Proxy tunneling failed: {}Unable to establish SSL connection.\n",
                    String::from_utf8_lossy(&r.reason)
                ));
                return Err(Fail::fatal(E_NET));
            }
            let Stream::Plain(t) = st else { unreachable!() };
            tcp = t;
        }
        let cfg = self.tls_config()?;
        if let Some((_, v)) = &self.tls {
            v.take_failure();
        }
        let res = Stream::tls(tcp, cfg, &url.host);
        let failure = self.tls.as_ref().and_then(|t| t.1.take_failure());
        match res {
            Ok(s) => {
                if let Some(f) = failure {
                    self.log.nq(&tls::failure_text("WARNING", &url.host, &f));
                }
                Ok((s, false, proxy))
            }
            Err(e) => {
                if let Some(f) = failure {
                    self.log.nqf(format_args!(
                        "{}To connect to {} insecurely, use `--no-check-certificate'.\n",
                        tls::failure_text("ERROR", &url.host, &f),
                        url.host
                    ));
                    return Err(Fail::fatal(E_TLS));
                }
                let timeout = matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                );
                self.log.nqf(format_args!(
                    "{}.\nUnable to establish SSL connection.\n",
                    if timeout {
                        "Connection timed out".into()
                    } else {
                        tls::handshake_text(&e)
                    }
                ));
                Err(if timeout {
                    Fail::transient(E_NET)
                } else {
                    Fail::fatal(E_NET)
                })
            }
        }
    }

    /// Read the response head. The whole head must arrive within the read timeout (a
    /// slowloris server trickling header bytes is cut off) and fit in `MAX_HEAD`.
    /// Returns the parsed head and the body bytes that came with it.
    fn read_head(&mut self, s: &mut Stream) -> Result<(Response, Vec<u8>), Fail> {
        let deadline = self.o.read_timeout.map(|t| Instant::now() + t);
        let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if let Some(d) = deadline {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    self.log
                        .v("Read error (Connection timed out) in headers.\n");
                    self.log
                        .nv("Read error (Connection timed out) in headers.\n");
                    return Err(Fail::transient(E_NET));
                }
                let _ = s.tcp().set_read_timeout(Some(left));
            }
            let want = chunk.len().min(http::MAX_HEAD + 1 - buf.len());
            match s.read(&mut chunk[..want]) {
                Ok(0) => {
                    if buf.is_empty() {
                        self.log.v("No data received.\n");
                        return Err(Fail::transient(E_NET));
                    }
                    self.log.v("Malformed status line\n");
                    self.log.nv("Malformed status line\n");
                    return Err(Fail::fatal(E_PROTO));
                }
                Ok(n) => {
                    let from = buf.len();
                    buf.extend_from_slice(&chunk[..n]);
                    if from == 0
                        && !buf.is_empty()
                        && !b"HTTP/".starts_with(&buf[..buf.len().min(5)])
                    {
                        self.log.nq("Malformed status line\n");
                        return Err(Fail::fatal(E_PROTO));
                    }
                    if let Some(end) = http::find_head_end(&buf, from) {
                        let _ = s.tcp().set_read_timeout(self.o.read_timeout);
                        let rest = buf.split_off(end);
                        return match http::parse_head(&buf) {
                            Ok(r) => Ok((r, rest)),
                            Err(e) => {
                                self.log.nqf(format_args!("{}\n", e.text()));
                                Err(Fail::fatal(E_PROTO))
                            }
                        };
                    }
                    if buf.len() > http::MAX_HEAD {
                        self.log.nqf(format_args!(
                            "Response header too large (more than {} KiB).\n",
                            http::MAX_HEAD / 1024
                        ));
                        return Err(Fail::fatal(E_PROTO));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let t = format!("Read error ({}) in headers.\n", io_text(&e));
                    self.log.v(&t);
                    self.log.nv(&t);
                    return Err(Fail::transient(E_NET));
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn request_text(
        &self,
        url: &Url,
        absolute: bool,
        proxy: Option<&Url>,
        method: &str,
        body: Option<&[u8]>,
        auth: Option<(&str, &str)>,
        range: u64,
    ) -> Vec<u8> {
        let target = if absolute {
            url.display()
        } else {
            url.path.clone()
        };
        let mut defaults: Vec<(String, String)> = vec![
            ("User-Agent".into(), self.o.user_agent.clone()),
            ("Accept".into(), "*/*".into()),
            ("Accept-Encoding".into(), "identity".into()),
            ("Host".into(), url.host_port()),
            ("Connection".into(), "close".into()),
        ];
        if range > 0 {
            defaults.push(("Range".into(), format!("bytes={range}-")));
        }
        if let Some(r) = &self.o.referer {
            defaults.push(("Referer".into(), r.clone()));
        }
        if let Some((u, p)) = auth {
            defaults.push((
                "Authorization".into(),
                format!("Basic {}", base64(format!("{u}:{p}").as_bytes())),
            ));
        }
        if let Some(p) = proxy.filter(|_| absolute) {
            if let Some(u) = &p.user {
                let cred = format!("{u}:{}", p.password.as_deref().unwrap_or(""));
                defaults.push((
                    "Proxy-Authorization".into(),
                    format!("Basic {}", base64(cred.as_bytes())),
                ));
            }
        }
        if let Some(b) = body {
            defaults.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
            defaults.push(("Content-Length".into(), b.len().to_string()));
        }
        // --header replaces a default of the same name; an empty value removes it.
        let mut extra: Vec<(String, String)> = Vec::new();
        for h in &self.o.headers {
            let (n, v) = h.split_once(':').unwrap_or((h.as_str(), ""));
            let (n, v) = (n.trim().to_string(), v.trim().to_string());
            if n.is_empty() {
                continue;
            }
            defaults.retain(|(d, _)| !d.eq_ignore_ascii_case(&n));
            if !v.is_empty() {
                extra.push((n, v));
            }
        }
        let mut req = format!("{method} {target} HTTP/1.1\r\n");
        for (n, v) in defaults.iter().chain(extra.iter()) {
            let _ = write!(req, "{n}: {v}\r\n");
        }
        req.push_str("\r\n");
        let mut req = req.into_bytes();
        if let Some(b) = body {
            req.extend_from_slice(b);
        }
        req
    }

    /// One try: the redirect chain, then the body.
    fn attempt(&mut self, orig: &Url, attempt: u32, doc: &mut Doc) -> Result<(), Fail> {
        let mut url = orig.clone();
        let mut method = self.o.method.clone().unwrap_or_else(|| {
            if self.o.spider {
                "HEAD".into()
            } else {
                "GET".into()
            }
        });
        let mut body = self.o.body.clone();
        let mut redirects = 0u32;
        if self.o.spider && attempt == 1 {
            self.log
                .v("Spider mode enabled. Check if remote file exists.\n");
        }
        loop {
            let tryinfo = if attempt > 1 {
                format!("(try:{attempt:>2})  ")
            } else {
                String::new()
            };
            self.log.vf(format_args!(
                "--{}--  {tryinfo}{}\n",
                now_text(),
                url.display()
            ));
            // Credentials go only to the host the user named.
            let same_host = url.host == orig.host && url.port == orig.port;
            let user = url
                .user
                .clone()
                .or_else(|| self.o.user.clone().filter(|_| same_host));
            let pass = url
                .password
                .clone()
                .or_else(|| self.o.password.clone().filter(|_| same_host))
                .unwrap_or_default();
            let (mut stream, absolute, proxy) = self.open(&url)?;
            let req = self.request_text(
                &url,
                absolute,
                proxy.as_ref(),
                &method,
                body.as_deref(),
                user.as_deref().map(|u| (u, pass.as_str())),
                doc.have,
            );
            if let Err(e) = stream.write_all(&req).and_then(|_| stream.flush()) {
                self.log
                    .nqf(format_args!("Write failed: {}.\n", io_text(&e)));
                return Err(Fail::transient(E_NET));
            }
            self.log.v(if proxy.is_some() && absolute {
                "Proxy request sent, awaiting response... "
            } else {
                "HTTP request sent, awaiting response... "
            });
            let (resp, rest) = self.read_head(&mut stream)?;
            let reason = String::from_utf8_lossy(&resp.reason).into_owned();
            if self.o.server_response {
                self.log.v("\n");
                let mut t = format!("  {}\n", String::from_utf8_lossy(&resp.status_line));
                for (n, v) in &resp.headers {
                    let _ = writeln!(
                        t,
                        "  {}: {}",
                        String::from_utf8_lossy(n),
                        String::from_utf8_lossy(v)
                    );
                }
                // GNU prints the headers at LOG_ALWAYS: `-q -S` still shows them (healthchecks
                // grep them).
                self.log.raw(t.as_bytes());
            } else {
                self.log.vf(format_args!("{} {reason}\n", resp.code));
            }
            let code = resp.code;
            if matches!(code, 301 | 302 | 303 | 307 | 308) {
                if let Some(loc) = resp.get("location") {
                    let next = match url.join(loc) {
                        Ok(n) => n,
                        Err(e) => {
                            self.log.nqf(format_args!(
                                "{}: {}.\n",
                                String::from_utf8_lossy(loc),
                                e.text()
                            ));
                            return Err(Fail::fatal(E_PROTO));
                        }
                    };
                    self.log.vf(format_args!(
                        "Location: {} [following]\n",
                        String::from_utf8_lossy(loc)
                    ));
                    redirects += 1;
                    if redirects > self.o.max_redirect {
                        self.log.nqf(format_args!(
                            "{} redirections exceeded.\n",
                            self.o.max_redirect
                        ));
                        return Err(Fail::fatal(E_SERVER));
                    }
                    // 303 always becomes GET; 301/302 turn a POST into GET as browsers do.
                    if code == 303 || (matches!(code, 301 | 302) && method == "POST") {
                        if method != "HEAD" {
                            method = "GET".into();
                        }
                        body = None;
                    }
                    url = next;
                    continue;
                }
            }
            return self.handle(&url, orig, resp, rest, stream, doc, &method);
        }
    }

    /// Decide the local name (if any), open the sink.
    fn open_sink(&mut self, orig: &Url, resp: &Response, doc: &mut Doc) -> Result<(), Fail> {
        if let Some(o) = &self.o.output {
            if o.as_bytes() == b"-" {
                doc.sink = Some(Sink {
                    file: None,
                    name: None,
                    skip: 0,
                    written: 0,
                    splice_ok: true,
                });
            } else {
                let f = self.doc.as_ref().and_then(|f| f.try_clone().ok());
                let Some(f) = f else {
                    return Err(Fail::fatal(E_IO));
                };
                doc.sink = Some(Sink {
                    file: Some(f),
                    name: Some(o.as_bytes().to_vec()),
                    skip: 0,
                    written: 0,
                    splice_ok: true,
                });
            }
            return Ok(());
        }
        let path = match &doc.path {
            Some(p) => p.clone(),
            None => {
                let name = if self.o.content_disposition {
                    content_disposition_name(resp)
                } else {
                    None
                }
                .unwrap_or_else(|| orig.file_name_or(&self.o.default_page));
                let mut p = self.local_path(&name);
                if !self.o.cont && std::fs::symlink_metadata(OsStr::from_bytes(&p)).is_ok() {
                    // GNU's numbering: f.1, f.2, ...
                    let mut n = 1;
                    loop {
                        let mut c = p.clone();
                        push_fmt(&mut c, format_args!(".{n}"));
                        if std::fs::symlink_metadata(OsStr::from_bytes(&c)).is_err() {
                            p = c;
                            break;
                        }
                        n += 1;
                    }
                }
                p
            }
        };
        if let Some(pre) = &self.o.prefix {
            let _ = crate::common::fs::mkdir_all(pre.as_bytes());
        }
        let f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(libc::O_CLOEXEC)
            .open(OsStr::from_bytes(&path));
        match f {
            Ok(f) => {
                doc.path = Some(path.clone());
                doc.sink = Some(Sink {
                    file: Some(f),
                    name: Some(path),
                    skip: 0,
                    written: 0,
                    splice_ok: true,
                });
                Ok(())
            }
            Err(e) => {
                self.log.nqf(format_args!(
                    "{}: {}\nCannot write to {} ({}).\n",
                    String::from_utf8_lossy(&path),
                    strerror(&e),
                    q(&path),
                    strerror(&e)
                ));
                Err(Fail::fatal(E_IO))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn handle(
        &mut self,
        url: &Url,
        orig: &Url,
        resp: Response,
        rest: Vec<u8>,
        mut stream: Stream,
        doc: &mut Doc,
        method: &str,
    ) -> Result<(), Fail> {
        let code = resp.code;
        let reason = String::from_utf8_lossy(&resp.reason).into_owned();
        if code == 416 && doc.have > 0 {
            self.log
                .v("\n    The file is already fully retrieved; nothing to do.\n\n");
            return Ok(());
        }
        if code == 401 {
            self.log.nq("Username/Password Authentication Failed.\n");
            return Err(Fail::fatal(E_AUTH));
        }
        if self.o.spider {
            if (200..300).contains(&code) {
                self.print_length(&resp, 0);
                self.log.v("Remote file exists.\n\n");
                return Ok(());
            }
            self.log
                .v("Remote file does not exist -- broken link!!!\n\n");
            self.log.nvf(format_args!(
                "{}:\n{} ERROR {code}: {reason}.\n",
                url.display(),
                now_text()
            ));
            return Err(Fail::fatal(E_SERVER));
        }
        if !(200..300).contains(&code) {
            self.log
                .vf(format_args!("{} ERROR {code}: {reason}.\n\n", now_text()));
            self.log.nvf(format_args!(
                "{}:\n{} ERROR {code}: {reason}.\n",
                url.display(),
                now_text()
            ));
            // A gateway timeout is worth another try; other errors are final.
            return Err(if code == 504 {
                Fail::transient(E_SERVER)
            } else {
                Fail::fatal(E_SERVER)
            });
        }
        let clen = match resp.content_length() {
            Ok(c) => c,
            Err(e) => {
                self.log.nqf(format_args!("{}\n", e.text()));
                return Err(Fail::fatal(E_PROTO));
            }
        };
        let chunked = resp.chunked();
        let bodyless = method == "HEAD" || code == 204 || code == 205;
        let clen = if bodyless { Some(0) } else { clen };
        let len = if chunked { None } else { clen };

        // Resuming: what the server gives back decides where the bytes go.
        let mut start_at = 0u64;
        if doc.have > 0 {
            if code == 206 {
                start_at = doc.have;
            } else if self.o.cont && doc.sink.is_none() && len == Some(doc.have) {
                self.log
                    .v("\n    The file is already fully retrieved; nothing to do.\n\n");
                return Ok(());
            }
        }
        if doc.sink.is_none() {
            self.open_sink(orig, &resp, doc)?;
        }
        let sink = doc.sink.as_mut().expect("opened above");
        if let Some(f) = &sink.file {
            if start_at > 0 {
                let _ = f.set_len(start_at);
                let mut f2 = f;
                let _ = std::io::Seek::seek(&mut f2, std::io::SeekFrom::Start(start_at));
            } else if self.o.output.is_none() {
                // 200 (or first try): start over.
                let _ = f.set_len(0);
                let mut f2 = f;
                let _ = std::io::Seek::seek(&mut f2, std::io::SeekFrom::Start(0));
            }
        } else if code != 206 && sink.written > 0 {
            // stdout already has part of this body and the server started over.
            sink.skip = sink.written;
            sink.written = 0;
        }
        if code == 206 && sink.file.is_none() && self.o.output.is_some() {
            start_at = doc.have;
        }
        let shown_name = sink.name.clone();
        let total = len.map(|l| l + start_at);

        // Length line.
        self.print_length(&resp, start_at);
        let name_disp = match &shown_name {
            Some(n) => String::from_utf8_lossy(n).into_owned(),
            None => "-".into(),
        };
        match &shown_name {
            Some(n) => self.log.vf(format_args!("Saving to: {}\n\n", q(n))),
            None => self.log.v("Saving to: 'STDOUT'\n\n"),
        }
        if resp
            .get("content-encoding")
            .is_some_and(|e| !e.eq_ignore_ascii_case(b"identity"))
        {
            self.log.nqf(format_args!(
                "WARNING: the server sent the body with Content-Encoding: {} which was not requested; saving it as received.\n",
                String::from_utf8_lossy(resp.get("content-encoding").unwrap_or(b""))
            ));
        }

        let mut prog = Progress::new(self.o.progress, &name_disp, start_at, total);
        prog.begin(&mut self.log);
        let started = Instant::now();
        let res = self.transfer(&mut stream, &rest, chunked, len, doc, &mut prog);
        let sink = doc.sink.as_mut().expect("opened above");
        let got = start_at + prog_got(&prog);
        doc.have = match &sink.file {
            Some(_) => got,
            None => sink.written + sink.skip,
        };
        let secs = started.elapsed().as_secs_f64();
        let rate = progress::rate_text(prog_got(&prog), secs);
        match res {
            Ok(()) => {
                prog.finish(&mut self.log);
                let tot = match total {
                    Some(t) => format!("{got}/{t}"),
                    None => format!("{got}"),
                };
                match &shown_name {
                    Some(n) => {
                        self.log.vf(format_args!(
                            "{} ({rate}) - {} saved [{tot}]\n\n",
                            now_text(),
                            q(n)
                        ));
                        self.log.nvf(format_args!(
                            "{} URL:{} [{tot}] -> \"{}\" [1]\n",
                            now_text(),
                            url.display(),
                            String::from_utf8_lossy(n)
                        ));
                    }
                    None => {
                        self.log.vf(format_args!(
                            "{} ({rate}) - written to stdout [{tot}]\n\n",
                            now_text()
                        ));
                        self.log.nvf(format_args!(
                            "{} URL:{} [{tot}] -> \"-\" [1]\n",
                            now_text(),
                            url.display()
                        ));
                    }
                }
                Ok(())
            }
            Err(e) => {
                if self.o.progress != Style::None {
                    self.log.v("\n");
                }
                let (what, fail) = match e {
                    BodyErr::Write(e) => {
                        let n = shown_name.clone().unwrap_or_else(|| b"-".to_vec());
                        // The blank line ends the progress report: verbose mode only.
                        self.log.v("\n");
                        self.log.nqf(format_args!(
                            "Cannot write to {} ({}).\n",
                            q(&n),
                            strerror(&e)
                        ));
                        return Err(Fail::fatal(E_IO));
                    }
                    BodyErr::Closed => (
                        format!("Connection closed at byte {got}."),
                        Fail::transient(E_NET),
                    ),
                    BodyErr::Read(e) => {
                        let of = total.map(|t| format!("/{t}")).unwrap_or_default();
                        (
                            format!("Read error at byte {got}{of} ({}).", io_text(&e)),
                            Fail::transient(E_NET),
                        )
                    }
                    BodyErr::Chunk(pe) => (
                        format!("Read error at byte {got} ({}).", pe.text()),
                        Fail::fatal(E_NET),
                    ),
                };
                self.log
                    .nqf(format_args!("{} ({rate}) - {what} ", now_text()));
                if !fail.retry {
                    self.log.nq("Giving up.\n\n");
                }
                Err(fail)
            }
        }
    }

    fn print_length(&mut self, resp: &Response, start_at: u64) {
        let ctype = resp
            .get_str("content-type")
            .map(|t| format!(" [{t}]"))
            .unwrap_or_default();
        let len = if resp.chunked() {
            None
        } else {
            resp.content_length().ok().flatten()
        };
        match len {
            Some(l) if start_at > 0 => {
                let tot = l + start_at;
                let h = |n: u64| {
                    if n >= 1024 {
                        format!(" ({})", progress::human_paren(n))
                    } else {
                        String::new()
                    }
                };
                self.log.vf(format_args!(
                    "Length: {tot}{}, {l}{} remaining{ctype}\n",
                    h(tot),
                    h(l)
                ));
            }
            Some(l) => {
                let h = if l >= 1024 {
                    format!(" ({})", progress::human_paren(l))
                } else {
                    String::new()
                };
                self.log.vf(format_args!("Length: {l}{h}{ctype}\n"));
            }
            None => self.log.vf(format_args!("Length: unspecified{ctype}\n")),
        }
    }

    /// Move the body from `stream` to the sink. `rest` is what came with the head.
    fn transfer(
        &mut self,
        stream: &mut Stream,
        rest: &[u8],
        chunked: bool,
        len: Option<u64>,
        doc: &mut Doc,
        prog: &mut Progress,
    ) -> Result<(), BodyErr> {
        let sink = doc.sink.as_mut().expect("sink open");
        let log = &mut self.log;
        let limit = self.o.limit_rate;
        let t0 = Instant::now();
        let mut moved: u64 = 0;
        let mut throttle = |n: u64| {
            moved += n;
            if let Some(r) = limit {
                let due = Duration::from_secs_f64(moved as f64 / r as f64);
                let el = t0.elapsed();
                if due > el {
                    std::thread::sleep(due - el);
                }
            }
        };
        if self.buf.len() < 256 * 1024 {
            self.buf.resize(256 * 1024, 0);
        }
        let buf = &mut self.buf;
        if chunked {
            let mut dec = Chunked::new();
            let feed = |data: &[u8],
                        dec: &mut Chunked,
                        sink: &mut Sink,
                        prog: &mut Progress,
                        log: &mut Log|
             -> Result<(), BodyErr> {
                let r = dec.feed(data, &mut |d: &[u8]| {
                    sink.write(d)?;
                    prog.update(d.len() as u64, log);
                    Ok::<(), io::Error>(())
                });
                match r {
                    Ok(_) => Ok(()),
                    Err(ChunkErr::Parse(p)) => Err(BodyErr::Chunk(p)),
                    Err(ChunkErr::Sink(e)) => Err(BodyErr::Write(e)),
                }
            };
            feed(rest, &mut dec, sink, prog, log)?;
            while !dec.done() {
                let want = limit.map_or(buf.len(), |r| (r as usize / 4).clamp(1024, buf.len()));
                match stream.read(&mut buf[..want]) {
                    Ok(0) => return Err(BodyErr::Closed),
                    Ok(n) => {
                        feed(&buf[..n], &mut dec, sink, prog, log)?;
                        throttle(n as u64);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(BodyErr::Read(e)),
                }
            }
            return Ok(());
        }
        let mut left = len.unwrap_or(u64::MAX);
        let first = &rest[..(rest.len() as u64).min(left) as usize];
        if !first.is_empty() {
            sink.write(first).map_err(BodyErr::Write)?;
            prog.update(first.len() as u64, log);
            left -= first.len() as u64;
        }
        // Fast path: plain TCP, nothing to decode or skip: the kernel moves the data.
        if let (Stream::Plain(tcp), true, None, 0) = (&*stream, sink.splice_ok, limit, sink.skip) {
            if let Some(r) = splice_body(tcp.as_fd(), sink, &mut left, prog, log) {
                return r;
            }
        }
        while left > 0 {
            let mut want = (buf.len() as u64).min(left) as usize;
            if let Some(r) = limit {
                want = want.min((r as usize / 4).max(1024));
            }
            match stream.read(&mut buf[..want]) {
                Ok(0) => {
                    return if len.is_some() {
                        Err(BodyErr::Closed)
                    } else {
                        Ok(())
                    };
                }
                Ok(n) => {
                    sink.write(&buf[..n]).map_err(BodyErr::Write)?;
                    prog.update(n as u64, log);
                    left -= n as u64;
                    throttle(n as u64);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(BodyErr::Read(e)),
            }
        }
        Ok(())
    }
}

fn prog_got(p: &Progress) -> u64 {
    p.got()
}

/// socket → pipe → sink with splice(2). Returns None when the sink refuses splice before any
/// byte was moved through it (the caller then copies through user space); data already in
/// our pipe is never lost: it is drained with read/write. Only called with nothing to skip.
fn splice_body(
    sock: BorrowedFd,
    sink: &mut Sink,
    left: &mut u64,
    prog: &mut Progress,
    log: &mut Log,
) -> Option<Result<(), BodyErr>> {
    let bounded = *left != u64::MAX;
    const STEP: usize = 1 << 20;
    const FLAGS: u32 = libc::SPLICE_F_MOVE | libc::SPLICE_F_MORE;
    let Sink {
        file,
        written,
        splice_ok,
        ..
    } = sink;
    let out = file.as_ref().map_or(stdout_fd(), |f| f.as_fd());
    // Straight into the sink when it is itself a pipe.
    let is_fifo = sys::fd::fstat(out).is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFIFO);
    if is_fifo {
        while *left > 0 {
            let want = (*left).min(STEP as u64) as usize;
            match splice(sock, None, out, None, want, FLAGS) {
                Ok(0) => {
                    return Some(if bounded {
                        Err(BodyErr::Closed)
                    } else {
                        Ok(())
                    })
                }
                Ok(n) => {
                    *left -= n as u64;
                    *written += n as u64;
                    prog.update(n as u64, log);
                }
                Err(e) if *written == 0 && e.raw_os_error() == Some(libc::EINVAL) => {
                    *splice_ok = false;
                    return None;
                }
                Err(e) => {
                    // Which side failed? A socket error is a read error.
                    return Some(Err(if e.raw_os_error() == Some(libc::EPIPE) {
                        BodyErr::Write(e)
                    } else {
                        BodyErr::Read(e)
                    }));
                }
            }
        }
        return Some(Ok(()));
    }
    let (pipe_r, pipe_w) = sys::fd::pipe().ok()?;
    // A larger pipe means fewer splice calls; the pages are the kernel's, not our RSS.
    let _ = sys::fd::set_pipe_size(pipe_w.as_fd(), 1 << 20);
    let mut first = true;
    while *left > 0 {
        let want = (*left).min(STEP as u64) as usize;
        let n = match splice(sock, None, pipe_w.as_fd(), None, want, FLAGS) {
            Ok(0) => {
                return Some(if bounded {
                    Err(BodyErr::Closed)
                } else {
                    Ok(())
                })
            }
            Ok(n) => n,
            Err(e) if first && e.raw_os_error() == Some(libc::EINVAL) => {
                *splice_ok = false;
                return None;
            }
            Err(e) => return Some(Err(BodyErr::Read(e))),
        };
        let mut inpipe = n;
        while inpipe > 0 {
            match splice(pipe_r.as_fd(), None, out, None, inpipe, FLAGS) {
                Ok(0) => {
                    return Some(Err(BodyErr::Write(io::Error::from(
                        io::ErrorKind::WriteZero,
                    ))))
                }
                Ok(m) => {
                    inpipe -= m;
                    *written += m as u64;
                }
                Err(e) if first && e.raw_os_error() == Some(libc::EINVAL) => {
                    // The sink does not take splice: drain the pipe by hand and fall back.
                    let mut tmp = vec![0u8; 64 * 1024];
                    while inpipe > 0 {
                        let k = match crate::common::io::read(
                            pipe_r.as_fd(),
                            &mut tmp[..inpipe.min(64 * 1024)],
                        ) {
                            Ok(k) if k > 0 => k,
                            Ok(_) => break,
                            Err(e) => return Some(Err(BodyErr::Read(e))),
                        };
                        if let Err(e) = write_all(out, &tmp[..k]) {
                            return Some(Err(BodyErr::Write(e)));
                        }
                        *written += k as u64;
                        inpipe -= k;
                    }
                    *left -= n as u64;
                    prog.update(n as u64, log);
                    *splice_ok = false;
                    return None;
                }
                Err(e) => return Some(Err(BodyErr::Write(e))),
            }
        }
        first = false;
        *left -= n as u64;
        prog.update(n as u64, log);
    }
    Some(Ok(()))
}

impl Url {
    fn file_name_or(&self, default_page: &str) -> Vec<u8> {
        let n = self.file_name();
        if n == b"index.html" && default_page != "index.html" && self.path.ends_with('/') {
            return default_page.as_bytes().to_vec();
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::opts::{parse_rate, parse_secs};
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(combine(0, 8), 8);
        assert_eq!(combine(8, 4), 4);
        assert_eq!(combine(1, 8), 8);
        assert_eq!(combine(8, 1), 8);
        assert!(no_proxy_match("a.example.com", "localhost, .example.com"));
        assert!(no_proxy_match("example.com", "example.com"));
        assert!(!no_proxy_match("badexample.com", "example.com"));
        assert!(no_proxy_match("x", "*"));
        assert_eq!(parse_secs("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_rate("20k"), Some(20480));
        let r = http::parse_head(
            b"HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"../../x.tar\"\r\n\r\n",
        )
        .unwrap();
        assert_eq!(content_disposition_name(&r).unwrap(), b"x.tar");
        let r = http::parse_head(
            b"HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=a; filename*=UTF-8''b%20c\r\n\r\n",
        )
        .unwrap();
        assert_eq!(content_disposition_name(&r).unwrap(), b"b c");
    }
}
