//! `nc`: open a TCP connection, or listen for one, and copy between it and stdin/stdout.
//!
//! The OpenBSD netcat that Debian ships as `nc` (1.219), in the subset entrypoints use to wait
//! for a service (`until nc -z db 5432; do sleep 1; done`, `nc -zv -w 2 host 80`) and to talk
//! to one (`printf 'PING\r\n' | nc -q 1 redis 6379`): `-z` (connect, then close; a port may be
//! a range `N-M`), `-v` (Debian's messages: `Connection to HOST PORT port [tcp/http]
//! succeeded!`, `nc: connect to HOST port N (tcp) failed: Connection refused`), `-w SECS`
//! (connect timeout, and how long a quiet network read may wait), `-q SECS` (quit that long
//! after stdin ends; 0: at once), `-N` (shutdown the socket's sending side when stdin ends),
//! `-4 -6 -n`, `-s ADDR`, `-p PORT` (source port; with `-l` the port to listen on, as
//! BusyBox's `nc -l -p PORT`), `-l` (accept one connection, then copy; `-v`: `Listening on
//! ADDR PORT`, `Connection received on HOST PORT`). Names as wget resolves them
//! (`common::net`: /etc/hosts, localhost, musl's resolver). Status 0 when a connection was
//! made, 1 otherwise. Not implemented: UDP (`-u`), UNIX sockets (`-U`), proxies, `-k`, `-e`
//! and the other options of the usage line, which are refused.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::args::{Arg, Getopt, Opt, Order};
use crate::common::io::{stderr_fd, write_all};
use crate::common::net::{self, Family};
use crate::common::{ctx::strerror, Ctx, Error, Result};

static OPTS: &[Opt] = &[
    Opt::flag("4", Some(b'4'), None),
    Opt::flag("6", Some(b'6'), None),
    Opt::flag("h", Some(b'h'), None),
    Opt::flag("l", Some(b'l'), None),
    Opt::flag("N", Some(b'N'), None),
    Opt::flag("n", Some(b'n'), None),
    Opt::arg("p", Some(b'p'), None),
    Opt::arg("q", Some(b'q'), None),
    Opt::arg("s", Some(b's'), None),
    Opt::flag("v", Some(b'v'), None),
    Opt::arg("w", Some(b'w'), None),
    Opt::flag("z", Some(b'z'), None),
];

const USAGE: &str = "\
usage: nc [-46hlNnvz] [-p port] [-q seconds] [-s sourceaddr] [-w timeout]
	  [destination] [port]
";

pub fn main(argv: Vec<OsString>, ctx: &mut Ctx) -> i32 {
    let r = run(argv, ctx);
    ctx.finish(r)
}

fn usage() -> Error {
    let _ = write_all(stderr_fd(), USAGE.as_bytes());
    Error::silent(1)
}

#[derive(Default)]
struct Opts {
    fam: Option<Family>,
    listen: bool,
    shutdown: bool,
    numeric: bool,
    port: Option<u16>,
    quit: Option<Duration>,
    source: Option<String>,
    verbose: bool,
    wait: Option<Duration>,
    zero: bool,
}

fn secs(what: &str, v: &[u8]) -> Result<Duration> {
    match std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(n) => Ok(Duration::from_secs(n)),
        None => {
            let mut m = format!("{what} invalid: ").into_bytes();
            m.extend_from_slice(v);
            Err(Error::new(1, m))
        }
    }
}

/// A port or `N-M` range, with OpenBSD's nc's messages.
fn ports(spec: &str) -> Result<Vec<u16>> {
    let invalid = || Error::new(1, format!("port number invalid: {spec}"));
    if let Some((a, b)) = spec.split_once('-') {
        let (Ok(a), Ok(b)) = (a.parse::<u16>(), b.parse::<u16>()) else {
            return Err(invalid());
        };
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        return Ok((lo.max(1)..=hi).collect());
    }
    if spec.is_empty() || !spec.bytes().all(|c| c.is_ascii_digit()) {
        return Err(invalid());
    }
    match spec.parse::<u32>() {
        Ok(0) => Err(Error::new(1, format!("port number too small: {spec}"))),
        Ok(n) if n <= 65535 => Ok(vec![n as u16]),
        _ => Err(Error::new(1, format!("port number too large: {spec}"))),
    }
}

fn run(argv: Vec<OsString>, ctx: &mut Ctx) -> Result<()> {
    let mut o = Opts::default();
    let mut ops: Vec<String> = Vec::new();
    for a in Getopt::new(&argv, OPTS, Order::Permute) {
        let (opt, v) = match a {
            Err(m) => {
                ctx.msg(&m);
                return Err(usage());
            }
            Ok(Arg::Operand(v)) => {
                ops.push(String::from_utf8_lossy(v.as_bytes()).into_owned());
                continue;
            }
            Ok(Arg::Opt(opt, v)) => (opt, v.unwrap_or_default()),
        };
        let v = v.as_bytes();
        match Id::of(opt.id().as_bytes()) {
            Some(Id::N4) => o.fam = Some(Family::V4),
            Some(Id::N6) => o.fam = Some(Family::V6),
            Some(Id::H) => {
                ctx.out.write_all(USAGE.as_bytes())?;
                return Ok(());
            }
            Some(Id::L) => o.listen = true,
            Some(Id::CapN) => o.shutdown = true,
            Some(Id::N) => o.numeric = true,
            Some(Id::P) => o.port = Some(ports(&String::from_utf8_lossy(v))?[0]),
            Some(Id::Q) => o.quit = Some(secs("quit timer", v)?),
            Some(Id::S) => o.source = Some(String::from_utf8_lossy(v).into_owned()),
            Some(Id::V) => o.verbose = true,
            Some(Id::W) => o.wait = Some(secs("timeout", v)?),
            _ => o.zero = true,
        }
    }
    if o.listen {
        return listen(ctx, &o, &ops);
    }
    if o.source.is_some() || o.port.is_some() {
        // A fixed source needs bind before connect, which std's TcpStream cannot do.
        return Err(Error::new(1, "-s and -p are only supported with -l"));
    }
    let (host, spec) = match ops.as_slice() {
        [h, p] => (h.clone(), p.clone()),
        [_] => return Err(Error::new(1, "missing port number")),
        _ => return Err(usage()),
    };
    let mut ok = false;
    for port in ports(&spec)? {
        let addrs = resolve(&o, &host, port)?;
        let mut conn = None;
        for a in &addrs {
            match connect(&o, a) {
                Ok(s) => {
                    conn = Some((s, a.ip()));
                    break;
                }
                Err(e) if o.verbose => ctx.msgf(format_args!(
                    "connect to {} port {port} (tcp) failed: {}",
                    a.ip(),
                    strerror(&e)
                )),
                Err(_) => {}
            }
        }
        let Some((stream, ip)) = conn else {
            continue;
        };
        ok = true;
        if o.verbose {
            let who = if host.parse::<IpAddr>().is_ok() {
                host.clone()
            } else {
                format!("{host} ({ip})")
            };
            let svc = net::service_name(port, "tcp").unwrap_or_else(|| "*".into());
            let m = format!("Connection to {who} {port} port [tcp/{svc}] succeeded!\n");
            let _ = write_all(stderr_fd(), m.as_bytes());
        }
        if !o.zero {
            relay(ctx, &o, stream)?;
            break;
        }
    }
    if ok {
        Ok(())
    } else {
        Err(Error::silent(1))
    }
}

crate::common::args::named! {
    /// The option ids the match above knows: one search of their names instead of a
    /// comparison with each.
    enum Id {
        N4 = "4",
        N6 = "6",
        H = "h",
        L = "l",
        CapN = "N",
        N = "n",
        P = "p",
        Q = "q",
        S = "s",
        V = "v",
        W = "w",
    }
}

fn resolve(o: &Opts, host: &str, port: u16) -> Result<Vec<SocketAddr>> {
    let fam = o.fam.unwrap_or(Family::Any);
    let numeric_only = o.numeric && host.parse::<IpAddr>().is_err();
    let r = if numeric_only {
        Err("Name or service not known".to_string())
    } else {
        net::resolve(host, port, fam)
    };
    r.map_err(|m| {
        Error::new(
            1,
            format!("getaddrinfo for host \"{host}\" port {port}: {m}"),
        )
    })
}

fn connect(o: &Opts, a: &SocketAddr) -> io::Result<TcpStream> {
    net::connect(a, o.wait)
}

fn listen(ctx: &mut Ctx, o: &Opts, ops: &[String]) -> Result<()> {
    // `nc -l PORT`, `nc -l ADDR PORT`, `nc -l -p PORT` (BusyBox, Debian's traditional nc).
    let (addr, port) = match (ops, o.port) {
        ([], Some(p)) => (o.source.clone(), p),
        ([p], None) => (o.source.clone(), ports(p)?[0]),
        ([a], Some(p)) => (Some(a.clone()), p),
        ([a, p], None) => (Some(a.clone()), ports(p)?[0]),
        ([], None) => return Err(Error::new(1, "missing port number")),
        _ => return Err(usage()),
    };
    let ip: IpAddr = match addr {
        Some(a) => resolve(o, &a, port)?[0].ip(),
        None if o.fam == Some(Family::V6) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
    };
    let l = TcpListener::bind(SocketAddr::new(ip, port))
        .map_err(|e| Error::new(1, format!("Address {ip} {port}: {}", strerror(&e))))?;
    if o.verbose {
        let _ = write_all(
            stderr_fd(),
            format!("Listening on {ip} {port}\n").as_bytes(),
        );
    }
    let (s, peer) = l.accept().map_err(|e| Error::new(1, strerror(&e)))?;
    drop(l);
    if o.verbose {
        // Named from /etc/hosts unless -n, as Debian's reverse look-up names it.
        let who = (!o.numeric)
            .then(|| net::hosts_name(peer.ip()))
            .flatten()
            .unwrap_or_else(|| peer.ip().to_string());
        let m = format!("Connection received on {who} {}\n", peer.port());
        let _ = write_all(stderr_fd(), m.as_bytes());
    }
    if o.zero {
        return Ok(());
    }
    relay(ctx, o, s)
}

/// Copy stdin to the socket (a thread) and the socket to stdout (here) until the peer closes,
/// or, once stdin has ended, `-q` has passed; `-w` bounds each quiet wait for the network.
fn relay(ctx: &mut Ctx, o: &Opts, s: TcpStream) -> Result<()> {
    ctx.out.flush()?;
    let stdin_done = Arc::new(AtomicBool::new(false));
    let mut tx = s.try_clone().map_err(|e| Error::new(1, strerror(&e)))?;
    let done = stdin_done.clone();
    let shutdown = o.shutdown;
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 16384];
        let stdin = io::stdin();
        let mut inp = stdin.lock();
        loop {
            match inp.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        if shutdown {
            let _ = tx.shutdown(Shutdown::Write);
        }
        done.store(true, Ordering::SeqCst);
    });
    // With -q the reads wake now and then to see whether stdin has ended.
    let tick = Duration::from_millis(100);
    let step = match (o.quit, o.wait) {
        (Some(_), Some(w)) => Some(w.min(tick).max(Duration::from_millis(1))),
        (Some(_), None) => Some(tick),
        (None, w) => w.filter(|d| !d.is_zero()),
    };
    let _ = s.set_read_timeout(step);
    let mut rx = s;
    let mut buf = vec![0u8; 16384];
    let mut eof_at: Option<Instant> = None;
    let mut quiet_since = Instant::now();
    loop {
        if stdin_done.load(Ordering::SeqCst) {
            let at = *eof_at.get_or_insert_with(Instant::now);
            if o.quit.is_some_and(|q| at.elapsed() >= q) {
                break;
            }
        }
        match rx.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                quiet_since = Instant::now();
                ctx.out.write_all(&buf[..n])?;
                ctx.out.flush()?;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if o.wait.is_some_and(|w| quiet_since.elapsed() >= w) {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    Ok(())
}
