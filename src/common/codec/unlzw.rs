//! Reading `compress` (.Z) data, as GNU gzip's `gunzip`/`zcat` do: the header byte after the
//! magic (the largest code size, 9..16 bits, and block mode), then LZW codes packed
//! least-significant bit first, starting at 9 bits. Codes come in groups of eight, so a group
//! is `n_bits` bytes long: when the code size grows, or a CLEAR code (256, block mode only)
//! restarts the table, the rest of the current group is padding and skipped, as compress
//! writes it. The input ends where fewer than a code's bits remain.

use super::gunzip::Source;
use super::{Fail, Summary};

const MAX_BITS: u32 = 16;
const INIT_BITS: u32 = 9;
const BLOCK_MODE: u8 = 0x80;
const BITS_MASK: u8 = 0x1f;
const CLEAR: u32 = 256;

/// Decode the rest of `s` (the two magic bytes already read) to `sink` through `obuf`. The
/// header's reserved bits are ignored (gzip warns about them, then decodes the same way).
pub fn unlzw(
    s: &mut Source,
    obuf: &mut [u8],
    sink: &mut dyn FnMut(&[u8]) -> Result<(), Fail>,
) -> Result<Summary, Fail> {
    let flags = s.need()?;
    let max_bits = (flags & BITS_MASK) as u32;
    if max_bits > MAX_BITS {
        return Err(Fail::Corrupt(format!(
            "compressed with {max_bits} bits, can only handle {MAX_BITS} bits"
        )));
    }
    let block = flags & BLOCK_MODE != 0;
    let max_max = 1u32 << max_bits;
    let mut prefix = vec![0u16; 1 << MAX_BITS];
    let mut suffix: Vec<u8> = (0..=255u8)
        .chain(std::iter::repeat(0))
        .take(1 << MAX_BITS)
        .collect();
    let mut stack: Vec<u8> = Vec::with_capacity(1 << MAX_BITS);
    let mut n_bits = INIT_BITS;
    let mut max_code = (1u32 << n_bits) - 1;
    let mut free = if block { 257 } else { 256 };
    let (mut acc, mut have) = (0u32, 0u32);
    // Bits read since the current group's alignment started.
    let mut since = 0u64;
    let mut old: Option<u32> = None;
    let mut fin = 0u8;
    let mut n = 0usize;
    let mut out_total = 0u64;
    // Skip to the end of the current group of eight `n_bits` codes.
    let align = |s: &mut Source, since: &mut u64, acc: &mut u32, have: &mut u32, n_bits: u32| {
        let group = u64::from(n_bits) * 8;
        let mut skip = (group - *since % group) % group;
        *since = 0;
        let drop = skip.min(u64::from(*have)) as u32;
        *acc = acc.checked_shr(drop).unwrap_or(0);
        *have -= drop;
        skip -= u64::from(drop);
        while skip >= 8 {
            if s.byte()?.is_none() {
                break;
            }
            skip -= 8;
        }
        Ok::<(), Fail>(())
    };
    loop {
        if free > max_code {
            align(s, &mut since, &mut acc, &mut have, n_bits)?;
            n_bits += 1;
            max_code = if n_bits >= max_bits {
                max_max
            } else {
                (1 << n_bits) - 1
            };
        }
        while have < n_bits {
            match s.byte()? {
                Some(b) => {
                    acc |= u32::from(b) << have;
                    have += 8;
                }
                None => {
                    sink(&obuf[..n])?;
                    return Ok(Summary {
                        bytes_in: s.total,
                        bytes_out: out_total + n as u64,
                        ..Summary::default()
                    });
                }
            }
        }
        let mut code = acc & ((1 << n_bits) - 1);
        acc >>= n_bits;
        have -= n_bits;
        since += u64::from(n_bits);
        let Some(prev) = old else {
            if code > 255 {
                return Err(Fail::Corrupt("corrupt input.".into()));
            }
            fin = code as u8;
            old = Some(code);
            obuf[n] = fin;
            n += 1;
            continue;
        };
        if code == CLEAR && block {
            align(s, &mut since, &mut acc, &mut have, n_bits)?;
            n_bits = INIT_BITS;
            max_code = (1 << n_bits) - 1;
            free = 256;
            continue;
        }
        let incode = code;
        stack.clear();
        if code >= free {
            if code > free {
                return Err(Fail::Corrupt("corrupt input.".into()));
            }
            stack.push(fin);
            code = prev;
        }
        while code >= 256 {
            stack.push(suffix[code as usize]);
            code = u32::from(prefix[code as usize]);
        }
        fin = suffix[code as usize];
        stack.push(fin);
        for &b in stack.iter().rev() {
            if n == obuf.len() {
                sink(obuf)?;
                out_total += n as u64;
                n = 0;
            }
            obuf[n] = b;
            n += 1;
        }
        if free < max_max {
            prefix[free as usize] = prev as u16;
            suffix[free as usize] = fin;
            free += 1;
        }
        old = Some(incode);
    }
}
