//! Keys: bytes from the terminal decoded into editing keys.
//!
//! Recognised sequences (xterm, VT220, rxvt, the Linux console, tmux/screen):
//! arrows `ESC [ A..D` and `ESC O A..D`; Home `ESC [ H`, `ESC O H`, `ESC [ 1~`, `ESC [ 7~`;
//! End `ESC [ F`, `ESC O F`, `ESC [ 4~`, `ESC [ 8~`; Delete `ESC [ 3~`; Ctrl/Alt-arrows
//! `ESC [ 1;5C` (any modifier 3..8) and rxvt's `ESC O c/d`, `ESC ESC [ C/D`; Alt-x as `ESC x`.
//! A lone ESC (no byte within 100 ms) is reported as [`Key::Esc`]; the editor then treats the
//! next key as Meta-modified, as readline does.

use std::io;

use super::term::Input;

/// Wait for the rest of an escape sequence or UTF-8 char (BusyBox waits 50 ms, readline
/// 500 ms; sequences arrive in one packet even over ssh, this only matters for a lone ESC).
pub const SEQ_TIMEOUT_MS: i32 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A printable char (UTF-8 bytes) or a byte that is not valid UTF-8.
    Char([u8; 4], u8),
    /// A control byte: 0x00..=0x1F and 0x7F.
    Ctrl(u8),
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    Delete,
    Insert,
    PageUp,
    PageDown,
    WordLeft,
    WordRight,
    /// Alt-x for an ASCII x (`ESC x`).
    Alt(u8),
    Esc,
    /// A sequence we do not know: ignored.
    Unknown,
}

/// What the decoder returns: a key, or an event from the input.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    Key(Key),
    Eof,
    /// The blocking wait was interrupted by a signal.
    Interrupted,
}

/// A source of bytes: the terminal (`term::read_byte`) or a test script.
pub trait Source {
    fn byte(&mut self, timeout_ms: Option<i32>) -> io::Result<Input>;
}

impl<F: FnMut(Option<i32>) -> io::Result<Input>> Source for F {
    fn byte(&mut self, timeout_ms: Option<i32>) -> io::Result<Input> {
        self(timeout_ms)
    }
}

/// Reads the next byte of a sequence: None when it does not come in time (or at EOF).
fn follow(src: &mut dyn Source) -> io::Result<Option<u8>> {
    loop {
        match src.byte(Some(SEQ_TIMEOUT_MS))? {
            Input::Byte(b) => return Ok(Some(b)),
            Input::Interrupted => continue,
            Input::Eof | Input::Timeout => return Ok(None),
        }
    }
}

/// Reads one key, blocking until it arrives.
pub fn read_key(src: &mut dyn Source) -> io::Result<Event> {
    let b = match src.byte(None)? {
        Input::Byte(b) => b,
        Input::Eof => return Ok(Event::Eof),
        Input::Interrupted | Input::Timeout => return Ok(Event::Interrupted),
    };
    Ok(Event::Key(match b {
        0x1B => escape(src)?,
        0..=0x1F | 0x7F => Key::Ctrl(b),
        0x20..=0x7E => Key::Char([b, 0, 0, 0], 1),
        _ => utf8(src, b)?,
    }))
}

fn utf8(src: &mut dyn Source, b0: u8) -> io::Result<Key> {
    let len = match b0 {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return Ok(Key::Char([b0, 0, 0, 0], 1)),
    };
    let mut k = [b0, 0, 0, 0];
    for (n, slot) in k.iter_mut().enumerate().take(len).skip(1) {
        match follow(src)? {
            Some(b) if b & 0xC0 == 0x80 => *slot = b,
            // A broken sequence: keep the bytes we have as they are (never lose input); the
            // byte that broke it is lost only if it was not a continuation, which we cannot push
            // back, so fold it in as well when there is room.
            Some(b) => {
                *slot = b;
                return Ok(Key::Char(k, n as u8 + 1));
            }
            None => return Ok(Key::Char(k, n as u8)),
        }
    }
    Ok(Key::Char(k, len as u8))
}

fn escape(src: &mut dyn Source) -> io::Result<Key> {
    let Some(b) = follow(src)? else {
        return Ok(Key::Esc);
    };
    match b {
        b'[' => csi(src),
        b'O' => Ok(match follow(src)? {
            Some(b'A') => Key::Up,
            Some(b'B') => Key::Down,
            Some(b'C') => Key::Right,
            Some(b'D') => Key::Left,
            Some(b'H') => Key::Home,
            Some(b'F') => Key::End,
            Some(b'c') => Key::WordRight,
            Some(b'd') => Key::WordLeft,
            _ => Key::Unknown,
        }),
        0x1B => {
            // ESC ESC [ C: Alt-arrow on some terminals.
            match follow(src)? {
                Some(b'[') | Some(b'O') => Ok(match csi(src)? {
                    Key::Right => Key::WordRight,
                    Key::Left => Key::WordLeft,
                    k => k,
                }),
                _ => Ok(Key::Esc),
            }
        }
        0x7F | 0x08 => Ok(Key::Alt(0x7F)),
        0x20..=0x7E => Ok(Key::Alt(b)),
        _ => Ok(Key::Unknown),
    }
}

/// `ESC [` params final.
fn csi(src: &mut dyn Source) -> io::Result<Key> {
    let mut params = [0u32; 4];
    let mut np = 0usize;
    let fin = loop {
        let Some(b) = follow(src)? else {
            return Ok(Key::Unknown);
        };
        match b {
            b'0'..=b'9' => {
                if np < params.len() {
                    params[np] = params[np]
                        .saturating_mul(10)
                        .saturating_add((b - b'0') as u32);
                }
            }
            b';' => np += 1,
            0x20..=0x3F => {}
            0x40..=0x7E => break b,
            _ => return Ok(Key::Unknown),
        }
    };
    // Modifier parameter (xterm: 1 + shift 1 + alt 2 + ctrl 4): alt or ctrl makes a word move.
    let modifier = if np >= 1 { params[1] } else { 0 };
    let word = modifier >= 3;
    Ok(match fin {
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' if word => Key::WordRight,
        b'D' if word => Key::WordLeft,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        b'~' => match params[0] {
            1 | 7 => Key::Home,
            4 | 8 => Key::End,
            3 => Key::Delete,
            2 => Key::Insert,
            5 => Key::PageUp,
            6 => Key::PageDown,
            _ => Key::Unknown,
        },
        _ => Key::Unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(bytes: &[u8]) -> Vec<Key> {
        let mut i = 0;
        let mut src = |_t: Option<i32>| -> io::Result<Input> {
            if i < bytes.len() {
                i += 1;
                Ok(Input::Byte(bytes[i - 1]))
            } else {
                Ok(Input::Eof)
            }
        };
        let mut v = Vec::new();
        while let Event::Key(k) = read_key(&mut src).unwrap() {
            v.push(k);
        }
        v
    }

    #[test]
    fn sequences() {
        use Key::*;
        assert_eq!(
            keys(b"\x1b[A\x1bOB\x1b[C\x1b[D\x1b[H\x1b[F\x1bOH\x1bOF"),
            [Up, Down, Right, Left, Home, End, Home, End]
        );
        assert_eq!(
            keys(b"\x1b[1~\x1b[4~\x1b[7~\x1b[8~\x1b[3~\x1b[2~\x1b[5~\x1b[6~"),
            [Home, End, Home, End, Delete, Insert, PageUp, PageDown]
        );
        assert_eq!(
            keys(b"\x1b[1;5C\x1b[1;5D\x1b[1;3C\x1bb\x1bf\x1b\x7f\x1bOd\x1b\x1b[C\x1b[1;2C"),
            [
                WordRight,
                WordLeft,
                WordRight,
                Alt(b'b'),
                Alt(b'f'),
                Alt(0x7f),
                WordLeft,
                WordRight,
                Right
            ]
        );
        assert_eq!(
            keys("a\x01é\x7f漢".as_bytes()),
            [
                Char(*b"a\0\0\0", 1),
                Ctrl(1),
                Char([0xc3, 0xa9, 0, 0], 2),
                Ctrl(0x7f),
                Char([0xe6, 0xbc, 0xa2, 0], 3)
            ]
        );
        assert_eq!(keys(b"\x1b"), [Esc]);
        assert_eq!(
            keys(b"\xff\xc3"),
            [Char([0xff, 0, 0, 0], 1), Char([0xc3, 0, 0, 0], 1)]
        );
        assert_eq!(keys(b"\x1b[200~x"), [Unknown, Char(*b"x\0\0\0", 1)]);
    }
}
