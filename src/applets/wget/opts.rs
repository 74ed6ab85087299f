//! wget's options: the usage text, the option table, and the step from parsed arguments to
//! [`Opts`] (each option's checks and GNU's messages for bad values), in GNU's order of checks.

use std::ffi::OsString;
use std::io::{self, Read};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;
use std::time::Duration;

use super::net::Family;
use super::progress::Style;
use super::{tls, usage_error, Verb, E_IO};
use crate::common::args::{self, Matches, Opt};
use crate::common::ctx::strerror;
use crate::common::help::{help_text, Help};
use crate::common::io::{stderr_fd, write_all};

pub const USAGE: Help = help_text!(
    "\
Usage: wget [OPTION]... [URL]...

Non-interactive network retriever (HTTP and HTTPS).

Startup:
  -V,  --version                   display the version of Wget and exit
  -h,  --help                      print this help
  -i,  --input-file=FILE           download URLs found in local or external FILE

Logging and input file:
  -o,  --output-file=FILE          log messages to FILE
  -a,  --append-output=FILE        append messages to FILE
  -q,  --quiet                     quiet (no output)
  -v,  --verbose                   be verbose (this is the default)
  -nv, --no-verbose                turn off verboseness, without being quiet

Download:
  -t,  --tries=NUMBER              set number of retries to NUMBER (0 unlimits)
       --retry-connrefused         retry even if connection is refused
  -O,  --output-document=FILE      write documents to FILE
  -nc, --no-clobber                skip downloads that would download to
                                     existing files
  -c,  --continue                  resume getting a partially-downloaded file
       --progress=TYPE             select progress gauge type (bar, dot, none)
  -S,  --server-response           print server response
       --spider                    don't download anything
  -T,  --timeout=SECONDS           set all timeout values to SECONDS
       --dns-timeout=SECS          set the DNS lookup timeout to SECS (accepted)
       --connect-timeout=SECS      set the connect timeout to SECS
       --read-timeout=SECS         set the read timeout to SECS
  -w,  --wait=SECONDS              wait SECONDS between retrievals
       --waitretry=SECONDS         wait 1..SECONDS between retries of a retrieval
       --limit-rate=RATE           limit download rate to RATE (k, m suffixes)
       --no-proxy                  explicitly turn off proxy
  -4,  --inet4-only                connect only to IPv4 addresses
  -6,  --inet6-only                connect only to IPv6 addresses
       --user=USER                 set both http user to USER
       --password=PASS             set both http password to PASS

Directories:
  -P,  --directory-prefix=PREFIX   save files to PREFIX/..

HTTP options:
       --http-user=USER            set http user to USER
       --http-password=PASS        set http password to PASS
       --default-page=NAME         change the default page name (normally
                                     this is 'index.html'.)
       --header=STRING             insert STRING among the headers
       --max-redirect              maximum redirections allowed per page
  -U,  --user-agent=AGENT          identify as AGENT instead of Wget/VERSION
       --referer=URL               include 'Referer: URL' header in HTTP request
       --post-data=STRING          use the POST method; send STRING as the data
       --post-file=FILE            use the POST method; send contents of FILE
       --method=HTTPMethod         use method \"HTTPMethod\" in the request
       --body-data=STRING          send STRING as data. --method MUST be set
       --body-file=FILE            send contents of FILE. --method MUST be set
       --content-disposition       honor the Content-Disposition header when
                                     choosing local file names

HTTPS (SSL/TLS) options:
       --secure-protocol=PR        choose secure protocol, one of auto,
                                     TLSv1_2, TLSv1_3 and PFS
       --no-check-certificate      don't validate the server's certificate
       --ca-certificate=FILE       file with the bundle of CAs
       --ca-directory=DIR          directory where hash list of CAs is stored

Environment: http_proxy, https_proxy, no_proxy; SSL_CERT_FILE, SSL_CERT_DIR.
"
);

pub(super) const SHORT_USAGE: &str =
    "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n";

pub(super) struct Opts {
    pub(super) tries: u32,
    pub(super) retry_connrefused: bool,
    pub(super) output: Option<OsString>,
    pub(super) no_clobber: bool,
    pub(super) cont: bool,
    pub(super) progress: Style,
    pub(super) server_response: bool,
    pub(super) spider: bool,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) read_timeout: Option<Duration>,
    pub(super) wait: Duration,
    pub(super) waitretry: u64,
    pub(super) limit_rate: Option<u64>,
    pub(super) no_proxy: bool,
    pub(super) family: Family,
    pub(super) user: Option<String>,
    pub(super) password: Option<String>,
    pub(super) prefix: Option<OsString>,
    pub(super) default_page: String,
    pub(super) headers: Vec<String>,
    pub(super) max_redirect: u32,
    pub(super) user_agent: String,
    pub(super) referer: Option<String>,
    pub(super) method: Option<String>,
    pub(super) body: Option<Vec<u8>>,
    pub(super) content_disposition: bool,
    pub(super) tls: tls::TlsOpts,
}

/// The option table; `-n` takes GNU wget's `-nv`/`-nc` style letters as its argument.
pub(super) const OPTIONS: &[Opt] = &[
    Opt::flag("version", Some(b'V'), Some("version")),
    Opt::flag("h", Some(b'h'), None),
    Opt::arg("input-file", Some(b'i'), Some("input-file")),
    Opt::arg("output-file", Some(b'o'), Some("output-file")),
    Opt::arg("append-output", Some(b'a'), Some("append-output")),
    Opt::flag("debug", Some(b'd'), Some("debug")),
    Opt::flag("quiet", Some(b'q'), Some("quiet")),
    Opt::flag("verbose", Some(b'v'), Some("verbose")),
    Opt::flag("no-verbose", None, Some("no-verbose")),
    Opt::arg("n", Some(b'n'), None),
    Opt::arg("tries", Some(b't'), Some("tries")),
    Opt::flag("retry-connrefused", None, Some("retry-connrefused")),
    Opt::arg("output-document", Some(b'O'), Some("output-document")),
    Opt::flag("no-clobber", None, Some("no-clobber")),
    Opt::flag("continue", Some(b'c'), Some("continue")),
    Opt::arg("progress", None, Some("progress")),
    Opt::flag("server-response", Some(b'S'), Some("server-response")),
    Opt::flag("spider", None, Some("spider")),
    Opt::arg("timeout", Some(b'T'), Some("timeout")),
    Opt::arg("dns-timeout", None, Some("dns-timeout")),
    Opt::arg("connect-timeout", None, Some("connect-timeout")),
    Opt::arg("read-timeout", None, Some("read-timeout")),
    Opt::arg("wait", Some(b'w'), Some("wait")),
    Opt::arg("waitretry", None, Some("waitretry")),
    Opt::arg("limit-rate", None, Some("limit-rate")),
    Opt::flag("no-proxy", None, Some("no-proxy")),
    Opt::flag("inet4-only", Some(b'4'), Some("inet4-only")),
    Opt::flag("inet6-only", Some(b'6'), Some("inet6-only")),
    Opt::arg("user", None, Some("user")),
    Opt::arg("password", None, Some("password")),
    Opt::arg("directory-prefix", Some(b'P'), Some("directory-prefix")),
    Opt::arg("http-user", None, Some("http-user")),
    Opt::arg("http-password", None, Some("http-password")),
    Opt::arg("default-page", None, Some("default-page")),
    Opt::arg("header", None, Some("header")),
    Opt::flag("help", None, Some("help")),
    Opt::arg("max-redirect", None, Some("max-redirect")),
    Opt::arg("user-agent", Some(b'U'), Some("user-agent")),
    Opt::arg("referer", None, Some("referer")),
    Opt::arg("post-data", None, Some("post-data")),
    Opt::arg("post-file", None, Some("post-file")),
    Opt::arg("method", None, Some("method")),
    Opt::arg("body-data", None, Some("body-data")),
    Opt::arg("body-file", None, Some("body-file")),
    Opt::flag("content-disposition", None, Some("content-disposition")),
    Opt::arg("secure-protocol", None, Some("secure-protocol")),
    Opt::flag("no-check-certificate", None, Some("no-check-certificate")),
    Opt::flag("check-certificate", None, Some("check-certificate")),
    Opt::arg("ca-certificate", None, Some("ca-certificate")),
    Opt::arg("ca-directory", None, Some("ca-directory")),
    Opt::flag("no-http-keep-alive", None, Some("no-http-keep-alive")),
    Opt::flag("no-cache", None, Some("no-cache")),
    Opt::flag("no-dns-cache", None, Some("no-dns-cache")),
];

/// The command line against the table; a bad option is a usage error (its status returned).
pub(super) fn parse(argv: &[OsString]) -> Result<Matches, i32> {
    args::getopt(argv, OPTIONS).map_err(|e| usage_error(&String::from_utf8_lossy(&e)))
}

/// `-q`, `-v`, `-nv` and the `-n` letters: the log's verbosity, and whether `-nc` was given.
pub(super) fn verbosity(m: &Matches) -> Result<(Verb, bool), i32> {
    let mut verb = Verb::Verbose;
    let mut no_clobber = m.flag("no-clobber");
    if m.flag("no-verbose") {
        verb = Verb::NoVerbose;
    }
    for n in m.values("n") {
        for c in n.as_bytes() {
            match c {
                b'v' => verb = Verb::NoVerbose,
                b'c' => no_clobber = true,
                b'd' | b'H' | b'p' => {}
                _ => {
                    return Err(usage_error(&format!("invalid option -- 'n{}'", *c as char)));
                }
            }
        }
    }
    if m.flag("quiet") {
        verb = Verb::Quiet;
    }
    Ok((verb, no_clobber))
}

/// Everything else, checked in GNU's order; `log_is_tty` picks the default progress style.
pub(super) fn resolve(
    m: &Matches,
    verb: Verb,
    no_clobber: bool,
    log_is_tty: bool,
) -> Result<Opts, i32> {
    let t = timeouts(m)?;
    let c = counts(m)?;
    let progress = progress_style(m, verb, log_is_tty)?;
    let family = if m.flag("inet4-only") {
        Family::V4
    } else if m.flag("inet6-only") {
        Family::V6
    } else {
        Family::Any
    };
    let only = match last_str(m, "secure-protocol").as_deref() {
        None | Some("auto") | Some("PFS") | Some("TLSv1_2+") => None,
        Some("TLSv1_2") => Some(12),
        Some("TLSv1_3") => Some(13),
        Some(p) => {
            return Err(usage_error(&format!(
                "--secure-protocol: Invalid value '{p}'"
            )))
        }
    };

    let (method, body) = request_body(m)?;
    let user = last_str(m, "http-user").or_else(|| last_str(m, "user"));
    let password = last_str(m, "http-password").or_else(|| last_str(m, "password"));
    let headers: Vec<String> = m
        .values("header")
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
        .collect();
    for h in &headers {
        if h.contains(['\r', '\n']) {
            return Err(usage_error(&format!("--header: Invalid header '{h}'")));
        }
    }
    Ok(Opts {
        tries: c.tries,
        retry_connrefused: m.flag("retry-connrefused"),
        output: last(m, "output-document"),
        no_clobber,
        cont: m.flag("continue"),
        progress,
        server_response: m.flag("server-response"),
        spider: m.flag("spider"),
        connect_timeout: t.connect,
        read_timeout: t.read,
        wait: t.wait,
        waitretry: t.waitretry,
        limit_rate: c.limit_rate,
        no_proxy: m.flag("no-proxy"),
        family,
        user,
        password,
        prefix: last(m, "directory-prefix"),
        default_page: last_str(m, "default-page").unwrap_or_else(|| "index.html".into()),
        headers,
        max_redirect: c.max_redirect,
        user_agent: last_str(m, "user-agent")
            .unwrap_or_else(|| format!("Wget/{} (rbox)", env!("CARGO_PKG_VERSION"))),
        referer: last_str(m, "referer"),
        method,
        body,
        content_disposition: m.flag("content-disposition"),
        tls: tls::TlsOpts {
            check: !m.flag("no-check-certificate"),
            ca_file: last(m, "ca-certificate").map(PathBuf::from),
            ca_dir: last(m, "ca-directory").map(PathBuf::from),
            only,
        },
    })
}

struct Timeouts {
    connect: Option<Duration>,
    read: Option<Duration>,
    wait: Duration,
    waitretry: u64,
}

/// `-T`, `--dns-timeout`, `--connect-timeout`, `--read-timeout`, `-w`, `--waitretry`.
fn timeouts(m: &Matches) -> Result<Timeouts, i32> {
    macro_rules! secs {
        ($id:literal) => {
            match last_str(m, $id) {
                None => None,
                Some(s) => match parse_secs(&s) {
                    Some(d) => Some(d),
                    None => {
                        return Err(usage_error(&format!(
                            "--{}: Invalid time period '{s}'",
                            $id
                        )))
                    }
                },
            }
        };
    }
    let timeout = secs!("timeout");
    let _dns = secs!("dns-timeout");
    let connect_timeout = secs!("connect-timeout")
        .or(timeout)
        .filter(|d| !d.is_zero());
    // GNU's default read timeout is 900 s; 0 disables it.
    let read_timeout = secs!("read-timeout")
        .or(timeout)
        .or(Some(Duration::from_secs(900)))
        .filter(|d| !d.is_zero());
    let wait = secs!("wait").unwrap_or_default();
    let waitretry = secs!("waitretry").map_or(10, |d| d.as_secs());
    Ok(Timeouts {
        connect: connect_timeout,
        read: read_timeout,
        wait,
        waitretry,
    })
}

struct Counts {
    tries: u32,
    max_redirect: u32,
    limit_rate: Option<u64>,
}

/// `-t`, `--max-redirect`, `--limit-rate`.
fn counts(m: &Matches) -> Result<Counts, i32> {
    let tries = match last_str(m, "tries") {
        None => 20,
        Some(s) if s == "inf" => 0,
        Some(s) => match s.parse::<u32>() {
            Ok(n) => n,
            Err(_) => return Err(usage_error(&format!("--tries: Invalid number '{s}'"))),
        },
    };
    let max_redirect = match last_str(m, "max-redirect") {
        None => 20,
        Some(s) => match s.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                return Err(usage_error(&format!(
                    "--max-redirect: Invalid number '{s}'"
                )))
            }
        },
    };
    let limit_rate = match last_str(m, "limit-rate") {
        None => None,
        Some(s) => match parse_rate(&s) {
            Some(0) => None,
            Some(r) => Some(r),
            None => {
                return Err(usage_error(&format!(
                    "--limit-rate: Invalid byte value '{s}'"
                )))
            }
        },
    };
    Ok(Counts {
        tries,
        max_redirect,
        limit_rate,
    })
}

/// `--progress=TYPE[:force]`, shown only when verbose; the bar only on a terminal unless forced.
fn progress_style(m: &Matches, verb: Verb, log_is_tty: bool) -> Result<Style, i32> {
    let progress = if verb != Verb::Verbose {
        Style::None
    } else {
        match last_str(m, "progress").as_deref() {
            None => {
                if log_is_tty {
                    Style::Bar
                } else {
                    Style::None
                }
            }
            Some(p) => {
                let (kind, force) = match p.split_once(':') {
                    Some((k, rest)) => (k, rest.split(':').any(|x| x == "force")),
                    None => (p, false),
                };
                match kind {
                    "bar" if log_is_tty || force => Style::Bar,
                    "bar" | "dot" => Style::Dot,
                    "none" | "noscroll" => Style::None,
                    _ => {
                        return Err(usage_error(&format!(
                            "--progress: Invalid progress type '{p}'"
                        )))
                    }
                }
            }
        }
    };
    Ok(progress)
}

/// `--method`, `--post-data`/`--post-file` (POST unless a method is given),
/// `--body-data`/`--body-file` (which need `--method`).
fn request_body(m: &Matches) -> Result<(Option<String>, Option<Vec<u8>>), i32> {
    let mut method = last_str(m, "method").map(|s| s.to_ascii_uppercase());
    let mut body = None;
    let read_body = |p: OsString| -> Result<Vec<u8>, i32> {
        let r = if p.as_bytes() == b"-" {
            let mut v = Vec::new();
            io::stdin().read_to_end(&mut v).map(|_| v)
        } else {
            std::fs::read(&p)
        };
        r.map_err(|e| {
            let t = format!("wget: {}: {}\n", p.to_string_lossy(), strerror(&e));
            let _ = write_all(stderr_fd(), t.as_bytes());
            E_IO
        })
    };
    if let Some(d) = last(m, "post-data") {
        body = Some(d.into_vec());
        method.get_or_insert_with(|| "POST".into());
    } else if let Some(f) = last(m, "post-file") {
        match read_body(f) {
            Ok(b) => body = Some(b),
            Err(c) => return Err(c),
        }
        method.get_or_insert_with(|| "POST".into());
    }
    if let Some(d) = last(m, "body-data") {
        body = Some(d.into_vec());
    } else if let Some(f) = last(m, "body-file") {
        match read_body(f) {
            Ok(b) => body = Some(b),
            Err(c) => return Err(c),
        }
    }
    if body.is_some() && method.is_none() {
        return Err(usage_error(
            "--body-data and --body-file require --method to be set",
        ));
    }

    Ok((method, body))
}

pub(super) fn last(m: &Matches, id: &str) -> Option<OsString> {
    m.last(id).cloned()
}

pub(super) fn last_str(m: &Matches, id: &str) -> Option<String> {
    last(m, id).map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned())
}

/// `1.5`, `10s`, `2m`, `1h` → duration (GNU accepts these suffixes for -T and --wait).
pub(super) fn parse_secs(s: &str) -> Option<Duration> {
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v = crate::common::num::parse_f64(num.trim())?;
    if !(0.0..1e9).contains(&v) {
        return None;
    }
    Some(Duration::from_secs_f64(v * mult))
}

/// `20k`, `1.5m`, `100` → bytes per second.
pub(super) fn parse_rate(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()?.to_ascii_lowercase() {
        'k' => (&s[..s.len() - 1], 1024.0),
        'm' => (&s[..s.len() - 1], 1024.0 * 1024.0),
        'g' => (&s[..s.len() - 1], 1024.0 * 1024.0 * 1024.0),
        _ => (s, 1.0),
    };
    let v = crate::common::num::parse_f64(num.trim())?;
    if !(0.0..1e15).contains(&v) {
        return None;
    }
    Some((v * mult) as u64)
}
