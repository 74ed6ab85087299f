//! Connections: plain TCP or TLS over it. Names are resolved and sockets connected by
//! `common::net` (shared with nc), with kernel timeouts, so `-T` bounds every wait.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

pub use crate::common::net::{connect, resolve, set_timeouts, Family};

/// A connection: plain TCP or TLS over it.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    pub fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(t) => &t.sock,
        }
    }

    /// Start TLS on `tcp` and finish the handshake now, so a certificate problem is reported
    /// before the request is sent.
    pub fn tls(
        mut tcp: TcpStream,
        cfg: Arc<rustls::ClientConfig>,
        host: &str,
    ) -> Result<Stream, io::Error> {
        let name = rustls::pki_types::ServerName::try_from(host.to_string())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "invalid host name"))?;
        let mut conn = rustls::ClientConnection::new(cfg, name).map_err(io::Error::other)?;
        while conn.is_handshaking() {
            conn.complete_io(&mut tcp)?;
        }
        Ok(Stream::Tls(Box::new(rustls::StreamOwned::new(conn, tcp))))
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(t) => match t.read(buf) {
                // A peer that closes without close_notify: the body framing (length or
                // chunks) decides whether data is missing, as it does for plain HTTP.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
                r => r,
            },
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(t) => t.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(t) => t.flush(),
        }
    }
}
