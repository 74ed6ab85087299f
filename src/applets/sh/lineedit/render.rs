//! Character segmentation, display widths and the screen renderer.
//!
//! The edit buffer is bytes. A "char" is one valid UTF-8 sequence or, failing that, one byte;
//! a "cluster" is a char followed by any zero-width chars (combining marks, ZWJ, variation
//! selectors), and the cursor moves and deletes by cluster. Display forms:
//! - printable chars as themselves, width 1 or 2 (East Asian wide and emoji, from a compact
//!   range table, not the full Unicode database), combining marks width 0;
//! - C0 controls and DEL as `^X` (width 2), as readline shows them;
//! - invalid bytes and C1 controls as `\NNN` octal (width 4), as readline shows them, so that the
//!   terminal never receives a byte that would move its cursor behind our back.
//!
//! Rendering is a full redraw of the "region": the last line of the prompt plus the buffer,
//! which may wrap over several terminal rows. The renderer moves up to the row where the
//! region starts, clears to the end of the screen, writes everything, then moves the cursor
//! back to its place. It writes into a `Vec<u8>` so that a keystroke costs one write(2).

/// Decodes one char at `i`: `(Some(code point), len)` for valid UTF-8, `(None, 1)` otherwise.
pub fn decode(buf: &[u8], i: usize) -> (Option<u32>, usize) {
    let b0 = buf[i];
    if b0 < 0x80 {
        return (Some(b0 as u32), 1);
    }
    let (len, min, init) = match b0 {
        0xC2..=0xDF => (2, 0x80, (b0 & 0x1F) as u32),
        0xE0..=0xEF => (3, 0x800, (b0 & 0x0F) as u32),
        0xF0..=0xF4 => (4, 0x10000, (b0 & 0x07) as u32),
        _ => return (None, 1),
    };
    if i + len > buf.len() {
        return (None, 1);
    }
    let mut cp = init;
    for &b in &buf[i + 1..i + len] {
        if b & 0xC0 != 0x80 {
            return (None, 1);
        }
        cp = (cp << 6) | (b & 0x3F) as u32;
    }
    if cp < min || cp > 0x10FFFF || (0xD800..=0xDFFF).contains(&cp) {
        return (None, 1);
    }
    (Some(cp), len)
}

/// Start of the char that ends at `i` (i > 0).
pub fn prev_char(buf: &[u8], i: usize) -> usize {
    let lo = i.saturating_sub(4);
    let mut j = i - 1;
    loop {
        if buf[j] & 0xC0 != 0x80 {
            if decode(buf, j).1 == i - j {
                return j;
            }
            break;
        }
        if j == lo {
            break;
        }
        j -= 1;
    }
    i - 1
}

/// Display width of a code point: 0, 1 or 2 (controls are handled by the caller).
pub fn cp_width(cp: u32) -> usize {
    if cp < 0x300 {
        return 1;
    }
    if in_table(cp, ZERO_WIDTH) {
        0
    } else if in_table(cp, WIDE) {
        2
    } else {
        1
    }
}

fn in_table(cp: u32, t: &[(u32, u32)]) -> bool {
    t.binary_search_by(|&(lo, hi)| {
        if hi < cp {
            std::cmp::Ordering::Less
        } else if lo > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    })
    .is_ok()
}

/// Combining marks and other zero-width code points (the common blocks).
static ZERO_WIDTH: &[(u32, u32)] = &[
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x0591, 0x05BD),
    (0x05BF, 0x05BF),
    (0x05C1, 0x05C2),
    (0x05C4, 0x05C5),
    (0x05C7, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
    (0x0711, 0x0711),
    (0x0730, 0x074A),
    (0x0900, 0x0902),
    (0x093A, 0x093A),
    (0x093C, 0x093C),
    (0x0941, 0x0948),
    (0x094D, 0x094D),
    (0x0951, 0x0957),
    (0x0962, 0x0963),
    (0x0E31, 0x0E31),
    (0x0E34, 0x0E3A),
    (0x0E47, 0x0E4E),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x20D0, 0x20FF),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0xFEFF, 0xFEFF),
    (0x1F3FB, 0x1F3FF),
    (0xE0000, 0xE0FFF),
];

/// East Asian Wide/Fullwidth and emoji presentation blocks.
static WIDE: &[(u32, u32)] = &[
    (0x1100, 0x115F),
    (0x231A, 0x231B),
    (0x2329, 0x232A),
    (0x23E9, 0x23EC),
    (0x23F0, 0x23F0),
    (0x23F3, 0x23F3),
    (0x25FD, 0x25FE),
    (0x2614, 0x2615),
    (0x2648, 0x2653),
    (0x267F, 0x267F),
    (0x2693, 0x2693),
    (0x26A1, 0x26A1),
    (0x26AA, 0x26AB),
    (0x26BD, 0x26BE),
    (0x26C4, 0x26C5),
    (0x26CE, 0x26CE),
    (0x26D4, 0x26D4),
    (0x26EA, 0x26EA),
    (0x26F2, 0x26F3),
    (0x26F5, 0x26F5),
    (0x26FA, 0x26FA),
    (0x26FD, 0x26FD),
    (0x2705, 0x2705),
    (0x270A, 0x270B),
    (0x2728, 0x2728),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2795, 0x2797),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x2E80, 0x303E),
    (0x3041, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA4CF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60),
    (0xFFE0, 0xFFE6),
    (0x16FE0, 0x16FE4),
    (0x17000, 0x18CFF),
    (0x1B000, 0x1B2FF),
    (0x1F004, 0x1F004),
    (0x1F0CF, 0x1F0CF),
    (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A),
    (0x1F200, 0x1F251),
    (0x1F300, 0x1F320),
    (0x1F32D, 0x1F335),
    (0x1F337, 0x1F37C),
    (0x1F37E, 0x1F393),
    (0x1F3A0, 0x1F3CA),
    (0x1F3CF, 0x1F3D3),
    (0x1F3E0, 0x1F3F0),
    (0x1F3F4, 0x1F3F4),
    (0x1F3F8, 0x1F3FA),
    (0x1F400, 0x1F43E),
    (0x1F440, 0x1F440),
    (0x1F442, 0x1F4FC),
    (0x1F4FF, 0x1F53D),
    (0x1F54B, 0x1F54E),
    (0x1F550, 0x1F567),
    (0x1F57A, 0x1F57A),
    (0x1F595, 0x1F596),
    (0x1F5A4, 0x1F5A4),
    (0x1F5FB, 0x1F64F),
    (0x1F680, 0x1F6C5),
    (0x1F6CC, 0x1F6CC),
    (0x1F6D0, 0x1F6D2),
    (0x1F6D5, 0x1F6D7),
    (0x1F6EB, 0x1F6EC),
    (0x1F6F4, 0x1F6FC),
    (0x1F7E0, 0x1F7EB),
    (0x1F90C, 0x1F93A),
    (0x1F93C, 0x1F945),
    (0x1F947, 0x1F9FF),
    (0x1FA70, 0x1FAFF),
    (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD),
];

/// Width and length of the char at `i` as it is displayed in the edit buffer.
#[inline]
pub fn char_display(buf: &[u8], i: usize) -> (usize, usize) {
    let b = buf[i];
    if (0x20..0x7F).contains(&b) {
        return (1, 1);
    }
    match decode(buf, i) {
        (Some(c), len) if c < 0x20 || c == 0x7F => (2, len),
        (Some(c), len) if (0x80..0xA0).contains(&c) => (4 * len, len),
        (Some(c), len) => (cp_width(c), len),
        (None, len) => (4, len),
    }
}

/// Appends the display form of the char at `i` (see the module comment).
#[inline]
fn push_char(out: &mut Vec<u8>, buf: &[u8], i: usize, len: usize, width: usize) {
    let b = buf[i];
    if width == 2 && (b < 0x20 || b == 0x7F) {
        out.push(b'^');
        out.push(b ^ 0x40);
    } else if width == 4 * len && (b >= 0x80 && (len == 1 || buf[i] == 0xC2)) {
        for &x in &buf[i..i + len] {
            out.extend_from_slice(&[
                b'\\',
                b'0' + (x >> 6),
                b'0' + ((x >> 3) & 7),
                b'0' + (x & 7),
            ]);
        }
    } else {
        out.extend_from_slice(&buf[i..i + len]);
    }
}

/// End (exclusive) of the cluster that starts at `i`: one char plus following zero-width chars.
pub fn next_cluster(buf: &[u8], i: usize) -> usize {
    let mut j = i + char_display(buf, i).1;
    while j < buf.len() {
        let (w, len) = char_display(buf, j);
        if w != 0 {
            break;
        }
        j += len;
    }
    j
}

/// Start of the cluster that ends at `i` (i > 0).
pub fn prev_cluster(buf: &[u8], i: usize) -> usize {
    let mut j = prev_char(buf, i);
    while j > 0 && char_display(buf, j).0 == 0 {
        j = prev_char(buf, j);
    }
    j
}

/// Splits a prompt into what is printed once (everything up to and including its last
/// newline) and its last line, which is redrawn with the buffer.
pub fn split_prompt(prompt: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memrchr(b'\n', prompt) {
        Some(n) => (&prompt[..=n], &prompt[n + 1..]),
        None => (&prompt[..0], prompt),
    }
}

/// Appends the bytes of a prompt line as they go to the terminal and returns its width:
/// ANSI sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ESC \`, other `ESC x`) and
/// readline's `\001 ... \002` invisible markers count for nothing; the markers themselves are
/// dropped. Other control characters are written as they are with width 0.
///
/// `cols` is the terminal width: a prompt longer than a row wraps like the buffer does, and the
/// returned position is `(row, col)`.
pub fn push_prompt(out: &mut Vec<u8>, p: &[u8], cols: usize) -> (usize, usize) {
    let mut pos = (0usize, 0usize);
    let mut i = 0;
    let mut invisible = false;
    while i < p.len() {
        let b = p[i];
        match b {
            1 => {
                invisible = true;
                i += 1;
                continue;
            }
            2 => {
                invisible = false;
                i += 1;
                continue;
            }
            0x1B => {
                let end = escape_end(p, i);
                out.extend_from_slice(&p[i..end]);
                i = end;
                continue;
            }
            _ => {}
        }
        if b == b'\n' || b == b'\r' {
            // A bare CR or LF inside the last line: go to the row's start.
            out.extend_from_slice(b"\r");
            pos.1 = 0;
            i += 1;
            continue;
        }
        let (cp, len) = decode(p, i);
        out.extend_from_slice(&p[i..i + len]);
        i += len;
        if invisible {
            continue;
        }
        let w = match cp {
            Some(c) if c < 0x20 || (0x7F..0xA0).contains(&c) => 0,
            Some(c) => cp_width(c),
            None => 1,
        };
        advance(&mut pos, w, cols);
    }
    pos
}

/// End of the escape sequence starting with ESC at `i`.
fn escape_end(p: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    match p.get(j) {
        Some(b'[') => {
            j += 1;
            while j < p.len() && !(0x40..=0x7E).contains(&p[j]) {
                j += 1;
            }
            (j + 1).min(p.len())
        }
        Some(b']') => {
            while j < p.len() {
                if p[j] == 7 {
                    return j + 1;
                }
                if p[j] == 0x1B && p.get(j + 1) == Some(&b'\\') {
                    return j + 2;
                }
                j += 1;
            }
            j
        }
        Some(_) => j + 1,
        None => j,
    }
}

/// Moves a logical position over a char of width `w`. A char that does not fit on the row goes
/// to the next one (as terminals do with wide chars); a row filled exactly leaves the position
/// at the start of the next row.
#[inline]
fn advance(pos: &mut (usize, usize), w: usize, cols: usize) {
    if w == 0 {
        return;
    }
    if pos.1 + w > cols {
        pos.0 += 1;
        pos.1 = 0;
    }
    pos.1 += w;
    if pos.1 >= cols {
        pos.0 += 1;
        pos.1 = 0;
    }
}

/// The (row, col) where the cursor at byte `cursor` is displayed, rows counted from the start
/// of the region (the prompt's last line starts it at (0, 0)).
pub fn cursor_pos(prompt_tail: &[u8], buf: &[u8], cursor: usize, cols: usize) -> (usize, usize) {
    let cols = cols.max(1);
    let mut scratch = Vec::new();
    let mut pos = push_prompt(&mut scratch, prompt_tail, cols);
    let mut i = 0;
    while i < cursor && i < buf.len() {
        let (w, len) = char_display(buf, i);
        advance(&mut pos, w, cols);
        i += len;
    }
    pos
}

/// Redraws the region into `out` and returns the row of the cursor within the region.
///
/// `old_row` is the row the terminal cursor is on now (the value returned by the previous call,
/// or 0 when the cursor is at the start of a fresh line). `cursor` is a byte offset into `buf`.
pub fn render(
    out: &mut Vec<u8>,
    prompt_tail: &[u8],
    buf: &[u8],
    cursor: usize,
    cols: usize,
    old_row: usize,
) -> usize {
    let cols = cols.max(1);
    if old_row > 0 {
        push_move(out, b'A', old_row);
    }
    out.extend_from_slice(b"\r\x1b[J");
    let mut pos = push_prompt(out, prompt_tail, cols);
    let mut cur = pos;
    let mut i = 0;
    while i < buf.len() {
        if i == cursor {
            cur = pos;
        }
        let (w, len) = char_display(buf, i);
        push_char(out, buf, i, len, w);
        advance(&mut pos, w, cols);
        i += len;
    }
    if cursor >= buf.len() {
        cur = pos;
    }
    if pos.1 == 0 && pos.0 > 0 {
        // The last row is full: the terminal holds the cursor on its last column until the next
        // character; make the wrap happen now so that positions agree.
        out.extend_from_slice(b"\r\n");
    }
    if pos.0 > cur.0 {
        push_move(out, b'A', pos.0 - cur.0);
    }
    if pos.1 != cur.1 {
        if pos.0 == cur.0 && cur.1 < pos.1 {
            push_move(out, b'D', pos.1 - cur.1);
        } else {
            out.push(b'\r');
            if cur.1 > 0 {
                push_move(out, b'C', cur.1);
            }
        }
    }
    cur.0
}

/// `ESC [ n X`.
pub fn push_move(out: &mut Vec<u8>, dir: u8, n: usize) {
    out.extend_from_slice(b"\x1b[");
    if n != 1 {
        push_num(out, n);
    }
    out.push(dir);
}

pub fn push_num(out: &mut Vec<u8>, n: usize) {
    crate::common::num::push_u64(out, n as u64);
}

/// Display width of a whole string (for completion listings): the buffer's display rules.
pub fn str_width(s: &[u8]) -> usize {
    let mut i = 0;
    let mut w = 0;
    while i < s.len() {
        let (cw, len) = char_display(s, i);
        w += cw;
        i += len;
    }
    w
}

/// Appends `s` in its display form (control chars as `^X`, invalid bytes as `\NNN`).
pub fn push_display(out: &mut Vec<u8>, s: &[u8]) {
    let mut i = 0;
    while i < s.len() {
        let (w, len) = char_display(s, i);
        push_char(out, s, i, len, w);
        i += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_segmentation() {
        let s = "aé漢\u{301}b".as_bytes();
        assert_eq!(next_cluster(s, 0), 1);
        assert_eq!(next_cluster(s, 1), 3);
        // 漢 followed by a combining acute: one cluster.
        assert_eq!(next_cluster(s, 3), 8);
        assert_eq!(prev_cluster(s, 8), 3);
        assert_eq!(prev_cluster(s, 3), 1);
        assert_eq!(prev_cluster(s, 1), 0);
        assert_eq!(str_width(s), 1 + 1 + 2 + 1);
        // Invalid bytes are single chars.
        let bad = b"a\xff\xe6\x97b";
        assert_eq!(next_cluster(bad, 1), 2);
        assert_eq!(next_cluster(bad, 2), 3);
        assert_eq!(prev_char(bad, 4), 3);
        assert_eq!(str_width(b"\x01"), 2);
        let mut o = Vec::new();
        push_display(&mut o, b"\x01\xff\x7f");
        assert_eq!(o, b"^A\\377^?");
    }

    #[test]
    fn prompt_width_ignores_escapes() {
        let mut o = Vec::new();
        let p = b"\x1b[1;32muser\x1b[0m \x01\x1b]0;title\x07\x02$ ";
        assert_eq!(push_prompt(&mut o, p, 80), (0, 7));
        assert!(!o.contains(&1));
        assert_eq!(push_prompt(&mut o, b"abcd", 4), (1, 0));
    }

    #[test]
    fn render_positions() {
        let mut o = Vec::new();
        // 10 columns, prompt "$ " (2), 8 chars fill the row exactly.
        let row = render(&mut o, b"$ ", b"abcdefgh", 8, 10, 0);
        assert_eq!(row, 1);
        assert!(o.ends_with(b"abcdefgh\r\n"));
        o.clear();
        let row = render(&mut o, b"$ ", b"abcdefgh", 0, 10, 1);
        assert_eq!(row, 0);
        assert!(o.starts_with(b"\x1b[A\r\x1b[J$ "));
        assert!(
            o.ends_with(b"\x1b[A\r\x1b[2C"),
            "{:?}",
            String::from_utf8_lossy(&o)
        );
        // A wide char that does not fit goes to the next row.
        assert_eq!(cursor_pos(b"$ ", "abcdefg漢".as_bytes(), 10, 10), (1, 2));
    }
}
