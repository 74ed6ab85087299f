//! URLs as wget takes them: `http://` and `https://` (scheme optional, `http` assumed as GNU
//! does), userinfo, IPv6 literals in brackets, default ports, relative references for
//! `Location` (RFC 3986 section 5.2 resolution with dot-segment removal).

use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub https: bool,
    /// Host as written (without brackets for IPv6), lower-cased.
    pub host: String,
    pub port: u16,
    /// Path plus query, starting with '/', percent-encoding kept as received.
    pub path: String,
    pub user: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum UrlError {
    Scheme(String),
    Host,
    Port,
}

impl UrlError {
    pub fn text(&self) -> String {
        match self {
            UrlError::Scheme(s) => format!("Unsupported scheme '{s}'"),
            UrlError::Host => "Invalid host name".to_string(),
            UrlError::Port => "Bad port number".to_string(),
        }
    }
}

impl Url {
    pub fn parse(s: &str) -> Result<Url, UrlError> {
        let s = s.trim();
        let (https, rest) = match s.find("://") {
            Some(i)
                if s[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
            {
                let scheme = s[..i].to_ascii_lowercase();
                match scheme.as_str() {
                    "http" => (false, &s[i + 3..]),
                    "https" => (true, &s[i + 3..]),
                    _ => return Err(UrlError::Scheme(s[..i].to_string())),
                }
            }
            _ => (false, s),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (auth, mut path) = rest.split_at(end);
        if let Some(h) = path.find('#') {
            path = &path[..h];
        }
        let (userinfo, hostport) = match auth.rfind('@') {
            Some(i) => (Some(&auth[..i]), &auth[i + 1..]),
            None => (None, auth),
        };
        let (user, password) = match userinfo {
            Some(ui) => match ui.split_once(':') {
                Some((u, p)) => (Some(unescape_str(u)), Some(unescape_str(p))),
                None => (Some(unescape_str(ui)), None),
            },
            None => (None, None),
        };
        let (host, port) = if let Some(r) = hostport.strip_prefix('[') {
            let close = r.find(']').ok_or(UrlError::Host)?;
            let h = &r[..close];
            if h.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(UrlError::Host);
            }
            (h, &r[close + 1..])
        } else {
            match hostport.rfind(':') {
                Some(i) => (&hostport[..i], &hostport[i..]),
                None => (hostport, ""),
            }
        };
        let port = match port {
            "" | ":" => {
                if https {
                    443
                } else {
                    80
                }
            }
            p => {
                let p = p.strip_prefix(':').ok_or(UrlError::Port)?;
                match p.parse::<u16>() {
                    Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => n,
                    _ => return Err(UrlError::Port),
                }
            }
        };
        if host.is_empty()
            || host
                .bytes()
                .any(|b| b <= b' ' || b == 0x7f || b"/?#@[]\\".contains(&b))
        {
            return Err(UrlError::Host);
        }
        let path = if path.is_empty() {
            "/".to_string()
        } else if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_string()
        };
        Ok(Url {
            https,
            host: host.to_ascii_lowercase(),
            port,
            path: percent_escape(&path),
            user,
            password,
        })
    }

    pub fn default_port(&self) -> bool {
        self.port == if self.https { 443 } else { 80 }
    }

    /// `host` or `[v6]`, plus `:port` when not the default: the Host header and messages.
    pub fn host_port(&self) -> String {
        let h = self.host_bracketed();
        if self.default_port() {
            h
        } else {
            format!("{h}:{}", self.port)
        }
    }

    pub fn host_bracketed(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// The URL as GNU wget prints it: no password (userinfo dropped), default port omitted.
    pub fn display(&self) -> String {
        format!(
            "{}://{}{}",
            if self.https { "https" } else { "http" },
            self.host_port(),
            self.path
        )
    }

    /// Resolve a `Location` value against this URL.
    pub fn join(&self, loc: &[u8]) -> Result<Url, UrlError> {
        let loc = String::from_utf8_lossy(super::http::trim(loc)).into_owned();
        let lower = loc.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Url::parse(&loc);
        }
        if let Some(i) = loc.find("://") {
            if !loc[..i].contains(['/', '?']) {
                return Err(UrlError::Scheme(loc[..i].to_string()));
            }
        }
        if let Some(rest) = loc.strip_prefix("//") {
            let scheme = if self.https { "https" } else { "http" };
            return Url::parse(&format!("{scheme}://{rest}"));
        }
        let mut u = self.clone();
        u.user = None;
        u.password = None;
        let loc = loc.split('#').next().unwrap_or("");
        let (cur_path, cur_query) = match self.path.find('?') {
            Some(i) => (&self.path[..i], &self.path[i..]),
            None => (self.path.as_str(), ""),
        };
        let joined = if loc.is_empty() {
            format!("{cur_path}{cur_query}")
        } else if loc.starts_with('/') {
            loc.to_string()
        } else if loc.starts_with('?') {
            format!("{cur_path}{loc}")
        } else {
            let dir = &cur_path[..cur_path.rfind('/').map_or(0, |i| i + 1)];
            format!("{dir}{loc}")
        };
        let (p, q) = match joined.find('?') {
            Some(i) => (&joined[..i], &joined[i..]),
            None => (joined.as_str(), ""),
        };
        u.path = percent_escape(&format!("{}{q}", remove_dots(p)));
        if !u.path.starts_with('/') {
            u.path.insert(0, '/');
        }
        Ok(u)
    }

    /// The local file name GNU wget derives: last path segment, percent-decoded, with the query
    /// kept; `index.html` for a directory.
    pub fn file_name(&self) -> Vec<u8> {
        let (p, q) = match self.path.find('?') {
            Some(i) => (&self.path[..i], &self.path[i..]),
            None => (self.path.as_str(), ""),
        };
        let last = p.rsplit('/').next().unwrap_or("");
        let mut name = unescape(last.as_bytes());
        if name.is_empty() {
            name = b"index.html".to_vec();
        }
        name.extend_from_slice(&unescape(q.as_bytes()));
        // A name is one path component: never let '/' (from %2F) or a NUL escape it.
        for b in name.iter_mut() {
            if *b == b'/' || *b == 0 {
                *b = b'_';
            }
        }
        if name == b"." || name == b".." {
            name = b"index.html".to_vec();
        }
        name
    }
}

/// RFC 3986 5.2.4.
fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    let n = segs.len();
    for (i, s) in segs.iter().enumerate() {
        match *s {
            "." => {
                if i == n - 1 {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == n - 1 {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let r = out.join("/");
    if r.starts_with('/') {
        r
    } else {
        format!("/{r}")
    }
}

/// Percent-encode what may not appear raw in a request line (spaces, controls, non-ASCII),
/// leaving existing escapes alone, as GNU wget does for URLs typed by the user.
fn percent_escape(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b <= b' ' || b >= 0x7f || b == b'"' || b == b'<' || b == b'>' || b == b'\\' {
            let _ = write!(out, "%{b:02X}");
        } else {
            out.push(b as char);
        }
    }
    out
}

pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            let h = (s[i + 1] as char).to_digit(16);
            let l = (s[i + 2] as char).to_digit(16);
            if let (Some(h), Some(l)) = (h, l) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

fn unescape_str(s: &str) -> String {
    String::from_utf8_lossy(&unescape(s.as_bytes())).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        let u = Url::parse("http://127.0.0.1:8080/a/b?c=d#frag").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("127.0.0.1", 8080, "/a/b?c=d")
        );
        let u = Url::parse("https://u:p%40x@[::1]:8443").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("::1", 8443, "/")
        );
        assert_eq!(u.host_port(), "[::1]:8443");
        assert_eq!(
            (u.user.as_deref(), u.password.as_deref()),
            (Some("u"), Some("p@x"))
        );
        let u = Url::parse("example.com/x").unwrap();
        assert_eq!(
            (u.https, u.port, u.host.as_str()),
            (false, 80, "example.com")
        );
        assert!(Url::parse("ftp://x/").is_err());
        assert!(Url::parse("http://x:99999/").is_err());
        assert!(Url::parse("http:///x").is_err());
        assert_eq!(Url::parse("http://h/a b").unwrap().path, "/a%20b");
    }

    #[test]
    fn join_and_names() {
        let b = Url::parse("http://h:81/a/b/c?q").unwrap();
        assert_eq!(b.join(b"d").unwrap().path, "/a/b/d");
        assert_eq!(b.join(b"../d").unwrap().path, "/a/d");
        assert_eq!(b.join(b"/x/./y/../z").unwrap().path, "/x/z");
        assert_eq!(b.join(b"?r").unwrap().path, "/a/b/c?r");
        assert_eq!(b.join(b"//o/p").unwrap().host, "o");
        assert_eq!(b.join(b"https://s/").unwrap().port, 443);
        assert_eq!(b.join(b"../../../../x").unwrap().path, "/x");
        assert_eq!(Url::parse("http://h/").unwrap().file_name(), b"index.html");
        assert_eq!(
            Url::parse("http://h/d/f%20g.txt").unwrap().file_name(),
            b"f g.txt"
        );
        assert_eq!(Url::parse("http://h/a?x=1").unwrap().file_name(), b"a?x=1");
        assert_eq!(Url::parse("http://h/a%2Fb").unwrap().file_name(), b"a_b");
        assert_eq!(
            Url::parse("http://h/..").unwrap().file_name(),
            b"index.html"
        );
    }
}
