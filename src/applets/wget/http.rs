//! The HTTP/1.x response parser: status line, header fields, chunked transfer coding.
//!
//! Everything here works on bytes that came from an untrusted server, so every function is
//! total: bad input is an `Err(ParseError)`, never a panic, and nothing grows without a bound
//! (the caller limits the header block to [`MAX_HEAD`] bytes; chunk sizes are checked for
//! overflow). [`fuzz_one`] drives all of it.

/// Largest response head (status line plus fields) we accept. GNU wget has no limit; an
/// unbounded head is a memory exhaustion vector, and real servers send a few KiB.
pub const MAX_HEAD: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The first line is not `HTTP/x.y NNN reason`.
    StatusLine,
    /// A field line without a colon, or with a bad name.
    Header,
    /// A chunk-size line that is not hexadecimal, or too large.
    Chunk,
}

impl ParseError {
    pub fn text(&self) -> &'static str {
        match self {
            ParseError::StatusLine => "Malformed status line",
            ParseError::Header => "Malformed header line",
            ParseError::Chunk => "Invalid chunk size",
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Response {
    /// The status line as received (without CR LF), for `-S`.
    pub status_line: Vec<u8>,
    pub minor: u8,
    pub major: u8,
    pub code: u16,
    pub reason: Vec<u8>,
    /// Fields in order, names as received.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Response {
    /// First value of a field, by case-insensitive name.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_slice())
    }

    pub fn get_str(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }

    /// Content-Length as a number; `Err` when present but not a valid length (or several
    /// disagreeing values: RFC 9110 says reject).
    pub fn content_length(&self) -> Result<Option<u64>, ParseError> {
        let mut found: Option<u64> = None;
        for (n, v) in &self.headers {
            if !n.eq_ignore_ascii_case(b"content-length") {
                continue;
            }
            for part in v.split(|&b| b == b',') {
                let n = parse_dec(trim(part)).ok_or(ParseError::Header)?;
                if found.is_some_and(|f| f != n) {
                    return Err(ParseError::Header);
                }
                found = Some(n);
            }
        }
        Ok(found)
    }

    /// Whether the last transfer coding is `chunked`.
    pub fn chunked(&self) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(b"transfer-encoding"))
            .flat_map(|(_, v)| v.split(|&b| b == b','))
            .map(trim)
            .rfind(|t| !t.is_empty())
            .is_some_and(|t| t.eq_ignore_ascii_case(b"chunked"))
    }
}

pub fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r' | b'\n', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r' | b'\n'] = s {
        s = rest;
    }
    s
}

fn parse_dec(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 19 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0')))
}

/// Where the head ends in `buf`: the index just past the blank line (CR LF CR LF, or a bare
/// LF LF as tolerant clients accept).
pub fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(3);
    let mut i = start;
    while let Some(p) = memchr::memchr(b'\n', &buf[i..]) {
        let at = i + p;
        // "\n\n" or "\n\r\n"
        if at + 1 < buf.len() && buf[at + 1] == b'\n' {
            return Some(at + 2);
        }
        if at + 2 < buf.len() && buf[at + 1] == b'\r' && buf[at + 2] == b'\n' {
            return Some(at + 3);
        }
        i = at + 1;
    }
    None
}

/// Parse a complete head (as delimited by [`find_head_end`]).
pub fn parse_head(head: &[u8]) -> Result<Response, ParseError> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let status = lines.next().ok_or(ParseError::StatusLine)?;
    let mut r = parse_status(status)?;
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            // obs-fold: continuation of the previous field's value.
            let Some(last) = r.headers.last_mut() else {
                return Err(ParseError::Header);
            };
            last.1.push(b' ');
            last.1.extend_from_slice(trim(line));
            continue;
        }
        let colon = memchr::memchr(b':', line).ok_or(ParseError::Header)?;
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
            return Err(ParseError::Header);
        }
        r.headers
            .push((name.to_vec(), trim(&line[colon + 1..]).to_vec()));
    }
    Ok(r)
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn parse_status(line: &[u8]) -> Result<Response, ParseError> {
    let rest = line.strip_prefix(b"HTTP/").ok_or(ParseError::StatusLine)?;
    let (ver, rest) = split_sp(rest);
    let (code, reason) = split_sp(rest);
    let (major, minor) = match ver {
        [a, b'.', b] if a.is_ascii_digit() && b.is_ascii_digit() => (a - b'0', b - b'0'),
        [a] if a.is_ascii_digit() => (a - b'0', 0),
        _ => return Err(ParseError::StatusLine),
    };
    if code.len() != 3 || !code.iter().all(u8::is_ascii_digit) {
        return Err(ParseError::StatusLine);
    }
    let code = parse_dec(code).ok_or(ParseError::StatusLine)? as u16;
    if !(100..=999).contains(&code) {
        return Err(ParseError::StatusLine);
    }
    Ok(Response {
        status_line: line.to_vec(),
        major,
        minor,
        code,
        reason: trim(reason).to_vec(),
        headers: Vec::new(),
    })
}

fn split_sp(s: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b' ', s) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &[]),
    }
}

/// Decoder state for `Transfer-Encoding: chunked`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ChunkState {
    /// Reading the hex size line; the bytes so far (bounded).
    Size,
    /// Inside chunk data: bytes left.
    Data(u64),
    /// Expecting the CR LF after chunk data.
    DataEnd,
    /// Reading trailer lines after the last chunk (line length so far).
    Trailer,
    Done,
}

/// Incremental chunked decoder: feed it whatever arrived, it hands out the data parts.
#[derive(Debug, Clone)]
pub struct Chunked {
    state: ChunkState,
    line: Vec<u8>,
    saw_cr: bool,
}

/// Bounds a size line or trailer line (extensions included): a server sending an endless line
/// gets an error, not our memory.
const MAX_CHUNK_LINE: usize = 4096;

impl Default for Chunked {
    fn default() -> Self {
        Self::new()
    }
}

impl Chunked {
    pub fn new() -> Self {
        Chunked {
            state: ChunkState::Size,
            line: Vec::new(),
            saw_cr: false,
        }
    }

    pub fn done(&self) -> bool {
        self.state == ChunkState::Done
    }

    /// Decode `input`, calling `out` with each run of body data. Returns how many input bytes
    /// were used: fewer than `input.len()` only once the terminating chunk and trailer are
    /// complete (the rest belongs to no one: we close the connection).
    pub fn feed<E>(
        &mut self,
        input: &[u8],
        out: &mut dyn FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<usize, ChunkErr<E>> {
        let mut i = 0;
        while i < input.len() {
            match self.state {
                ChunkState::Done => return Ok(i),
                ChunkState::Data(left) => {
                    let n = (left.min((input.len() - i) as u64)) as usize;
                    out(&input[i..i + n]).map_err(ChunkErr::Sink)?;
                    i += n;
                    self.state = if left == n as u64 {
                        ChunkState::DataEnd
                    } else {
                        ChunkState::Data(left - n as u64)
                    };
                }
                ChunkState::DataEnd => {
                    let b = input[i];
                    i += 1;
                    match (b, self.saw_cr) {
                        (b'\r', false) => self.saw_cr = true,
                        (b'\n', _) => {
                            self.saw_cr = false;
                            self.state = ChunkState::Size;
                        }
                        _ => return Err(ChunkErr::Parse(ParseError::Chunk)),
                    }
                }
                ChunkState::Size | ChunkState::Trailer => {
                    let b = input[i];
                    i += 1;
                    if b != b'\n' {
                        if self.line.len() >= MAX_CHUNK_LINE {
                            return Err(ChunkErr::Parse(ParseError::Chunk));
                        }
                        self.line.push(b);
                        continue;
                    }
                    let line = self.line.strip_suffix(b"\r").unwrap_or(&self.line);
                    if self.state == ChunkState::Trailer {
                        if line.is_empty() {
                            self.state = ChunkState::Done;
                        }
                    } else {
                        let size =
                            parse_chunk_size(line).ok_or(ChunkErr::Parse(ParseError::Chunk))?;
                        self.state = if size == 0 {
                            ChunkState::Trailer
                        } else {
                            ChunkState::Data(size)
                        };
                    }
                    self.line.clear();
                }
            }
        }
        Ok(i)
    }
}

#[derive(Debug)]
pub enum ChunkErr<E> {
    Parse(ParseError),
    Sink(E),
}

/// `1a3f;ext=1` → 0x1a3f. Sizes beyond 2^60 are refused (no file is that big; it also keeps
/// arithmetic on byte counts overflow-free).
fn parse_chunk_size(line: &[u8]) -> Option<u64> {
    let hex = trim(line.split(|&b| b == b';').next().unwrap_or(b""));
    if hex.is_empty() || hex.len() > 15 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in hex {
        let d = (b as char).to_digit(16)?;
        n = n * 16 + u64::from(d);
    }
    Some(n)
}

/// The response-parser fuzz entry: whatever the bytes, no panic, no unbounded growth.
pub fn fuzz_one(data: &[u8]) {
    let limit = data.len().min(MAX_HEAD);
    let (head, body) = match find_head_end(&data[..limit], 0) {
        Some(end) => data.split_at(end),
        None => (&data[..limit], &[][..]),
    };
    if let Ok(r) = parse_head(head) {
        let _ = r.content_length();
        let _ = r.chunked();
        let _ = super::content_disposition_name(&r);
        let _ = r.get("location").map(|l| {
            let base = super::url::Url::parse("http://h/a/b").ok();
            base.and_then(|b| b.join(l).ok())
        });
    }
    // Chunked decoding, fed in uneven pieces to exercise state carried across reads.
    let mut dec = Chunked::new();
    let mut total = 0usize;
    let mut pos = 0;
    let mut step = 1;
    while pos < body.len() {
        let end = (pos + step).min(body.len());
        let r = dec.feed::<()>(&body[pos..end], &mut |d| {
            total += d.len();
            Ok(())
        });
        match r {
            Ok(n) if n < end - pos => break,
            Ok(_) => {}
            Err(_) => break,
        }
        pos = end;
        step = step * 3 % 17 + 1;
    }
    assert!(total <= body.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_headers() {
        let h = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-A: b\r\n  c\r\n\r\n";
        let end = find_head_end(h, 0).unwrap();
        assert_eq!(end, h.len());
        let r = parse_head(&h[..end]).unwrap();
        assert_eq!(r.code, 200);
        assert_eq!(r.reason, b"OK");
        assert_eq!(r.content_length().unwrap(), Some(12));
        assert_eq!(r.get("x-a").unwrap(), b"b c");
        assert!(parse_head(b"garbage\r\n\r\n").is_err());
        assert!(parse_head(b"HTTP/1.1 20 OK\r\n\r\n").is_err());
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n").is_err());
        let r = parse_head(b"HTTP/1.0 404\n\n").unwrap();
        assert_eq!((r.code, r.reason.len()), (404, 0));
        let r = parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n").unwrap();
        assert!(r.content_length().is_err());
    }

    #[test]
    fn chunked() {
        let body =
            b"4;x=y\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nT: 1\r\n\r\nextra";
        for step in 1..body.len() {
            let mut d = Chunked::new();
            let mut out = Vec::new();
            let mut used = 0;
            for piece in body.chunks(step) {
                let n = d
                    .feed::<()>(piece, &mut |x| {
                        out.extend_from_slice(x);
                        Ok(())
                    })
                    .unwrap();
                used += n;
                if d.done() {
                    break;
                }
            }
            assert!(d.done());
            assert_eq!(used, body.len() - 5);
            assert_eq!(out, b"Wikipedia in\r\n\r\nchunks.");
        }
        let mut d = Chunked::new();
        assert!(d.feed::<()>(b"zz\r\n", &mut |_| Ok(())).is_err());
        let mut d = Chunked::new();
        assert!(d
            .feed::<()>(b"ffffffffffffffffff\r\n", &mut |_| Ok(()))
            .is_err());
        let mut d = Chunked::new();
        assert!(d.feed::<()>(b"1\r\nab", &mut |_| Ok(())).is_err());
    }
}
