//! GNU block sizes and human-readable sizes (gnulib's human.c): what `du`, `df` and `ls -s`
//! print a size in.
//!
//! A [`BlockSize`] comes from an option (`-B SIZE`, `--block-size=SIZE`: `1024`, `1K`, `KiB`,
//! `MB`, `human-readable`, `si`, a leading `'` accepted), from `-h`/`--si`/`-k`/`-m`, or from the
//! environment ([`BlockSize::from_env`]: the applet's own variable such as `DU_BLOCK_SIZE`, then
//! `BLOCK_SIZE`, then `BLOCKSIZE`; 512 under `POSIXLY_CORRECT`, else 1024; an invalid value
//! means the default, as GNU). A size given only as a unit (`-BM`, `-BKiB`, `-BMB`) prints that
//! unit after each number (`12M`); human forms scale to the largest unit with one decimal
//! below 10 (`1.5K`, `11M`; `k` for 1000 with `--si`). Amounts are rounded up, as GNU does.

/// How sizes are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockSize {
    /// Bytes per printed unit (1 for the human forms).
    pub size: u64,
    /// Scale to the largest unit that keeps the number small (`-h`, `--si`).
    pub autoscale: bool,
    /// Print the unit letter (human forms, or a size given as a unit alone).
    pub suffix: bool,
    /// Powers of 1024 (else 1000).
    pub base1024: bool,
    /// A `B` after the letter (`MB`, `KiB`).
    pub bytes_suffix: bool,
}

impl BlockSize {
    /// Plain units of `size` bytes, no suffix (`-k` is 1024, `-b` is 1).
    pub const fn units(size: u64) -> BlockSize {
        BlockSize {
            size,
            autoscale: false,
            suffix: false,
            base1024: true,
            bytes_suffix: false,
        }
    }
    /// `-h`: powers of 1024, `1.5K`.
    pub const HUMAN: BlockSize = BlockSize {
        size: 1,
        autoscale: true,
        suffix: true,
        base1024: true,
        bytes_suffix: false,
    };
    /// `--si`: powers of 1000, `1.5k`.
    pub const SI: BlockSize = BlockSize {
        size: 1,
        autoscale: true,
        suffix: true,
        base1024: false,
        bytes_suffix: false,
    };
    /// `-m`: mebibytes, no suffix.
    pub const MEGA: BlockSize = BlockSize::units(1 << 20);

    /// A `--block-size` argument; None when it is not one (GNU: `invalid -B argument`).
    pub fn parse(spec: &[u8]) -> Option<BlockSize> {
        let spec = spec.strip_prefix(b"'").unwrap_or(spec);
        match spec {
            b"human-readable" => return Some(BlockSize::HUMAN),
            b"si" => return Some(BlockSize::SI),
            _ => {}
        }
        let nd = spec.iter().take_while(|b| b.is_ascii_digit()).count();
        let num: u64 = if nd == 0 {
            1
        } else {
            std::str::from_utf8(&spec[..nd]).ok()?.parse().ok()?
        };
        let rest = &spec[nd..];
        let mut bs = BlockSize::units(0);
        let size = if rest.is_empty() {
            if nd == 0 {
                return None;
            }
            num
        } else {
            let exp = b"KMGTPEZYRQ"
                .iter()
                .position(|&c| c == rest[0].to_ascii_uppercase())
                .filter(|_| rest[0] != b'r' && rest[0] != b'q')?
                + 1;
            let (base, tail) = match &rest[1..] {
                b"" => (1024u64, ""),
                b"B" => (1000, "B"),
                b"iB" => (1024, "iB"),
                _ => return None,
            };
            if nd == 0 {
                bs.suffix = true;
                bs.bytes_suffix = !tail.is_empty();
                bs.base1024 = tail != "B";
            }
            let mut m = num;
            for _ in 0..exp {
                m = m.checked_mul(base)?;
            }
            m
        };
        if size == 0 {
            return None;
        }
        bs.size = size;
        Some(bs)
    }

    /// The size from the environment: `var` (the applet's: `DU_BLOCK_SIZE`, `DF_BLOCK_SIZE`,
    /// `LS_BLOCK_SIZE`) if set, else `BLOCK_SIZE`, else `BLOCKSIZE`; an invalid or missing value
    /// gives 512 under `POSIXLY_CORRECT`, else 1024.
    pub fn from_env(var: &str) -> BlockSize {
        let spec = [var, "BLOCK_SIZE", "BLOCKSIZE"]
            .iter()
            .find_map(std::env::var_os);
        use std::os::unix::ffi::OsStrExt;
        spec.and_then(|s| BlockSize::parse(s.as_bytes()))
            .unwrap_or_else(BlockSize::default_size)
    }

    /// 1024, or 512 under `POSIXLY_CORRECT`.
    pub fn default_size() -> BlockSize {
        BlockSize::units(if std::env::var_os("POSIXLY_CORRECT").is_some() {
            512
        } else {
            1024
        })
    }

    /// Append `n` units of `from` bytes in this block size (rounded up).
    pub fn push(&self, out: &mut Vec<u8>, n: u64, from: u64) {
        human(out, n as u128 * from as u128, self, false, false);
    }

    /// `n` units of `from` bytes as a string.
    pub fn format(&self, n: u64, from: u64) -> String {
        let mut v = Vec::new();
        self.push(&mut v, n, from);
        String::from_utf8(v).unwrap_or_default()
    }

    /// df's column title for this size: `1K-blocks`, `1MB-blocks`, `512B-blocks`, `Size` for
    /// the human forms (gnulib's rules: powers of 1024 when the size is a multiple of 1024
    /// rather than of 1000, a `B` otherwise, no `.0`).
    pub fn blocks_header(&self) -> String {
        let div = |mut q: u64, b: u64| loop {
            let d = q.is_multiple_of(b);
            q /= b;
            if !(d && b <= q) {
                break d;
            }
        };
        let (d1000, d1024) = (div(self.size, 1000), div(self.size, 1024));
        let mut o = BlockSize {
            size: 1,
            autoscale: true,
            suffix: true,
            base1024: self.base1024 && self.suffix,
            bytes_suffix: self.bytes_suffix,
        };
        if !d1000 && d1024 {
            o.base1024 = true;
        }
        if !d1024 && d1000 {
            o.base1024 = false;
        }
        if !o.base1024 {
            o.bytes_suffix = true;
        }
        let mut v = Vec::new();
        human(&mut v, self.size as u128, &o, true, false);
        v.extend_from_slice(b"-blocks");
        String::from_utf8(v).unwrap_or_default()
    }
}

const LETTERS: &[u8] = b"KMGTPEZYRQ";

/// gnulib's human_readable with `human_autoscale | human_round_to_nearest | human_SI | human_B
/// | human_space_before_unit`: what dd says its byte counts in (`999 B`, `1.0 kB`, `3.8 KiB`).
pub fn human_nearest(bytes: u64, base1024: bool) -> String {
    let o = BlockSize {
        size: 1,
        autoscale: true,
        suffix: true,
        base1024,
        bytes_suffix: true,
    };
    let mut v = Vec::new();
    human(&mut v, bytes as u128, &o, false, true);
    let unit = v
        .iter()
        .position(|c| c.is_ascii_alphabetic())
        .unwrap_or(v.len());
    v.insert(unit, b' ');
    String::from_utf8(v).unwrap_or_default()
}

/// gnulib's human_readable for an amount in bytes, rounding up (its default, human_ceiling) or
/// to the nearest (`nearest`, half to even).
fn human(out: &mut Vec<u8>, bytes: u128, o: &BlockSize, suppress_point_zero: bool, nearest: bool) {
    let base: u128 = if o.base1024 { 1024 } else { 1000 };
    let mut exponent = 0usize;
    let mut text = String::new();
    if !o.autoscale {
        let to = o.size.max(1) as u128;
        let v = bytes.div_ceil(to);
        text = v.to_string();
        if o.suffix {
            let mut p: u128 = 1;
            while p < to && exponent < LETTERS.len() {
                p *= base;
                exponent += 1;
            }
        }
    } else {
        let mut amt = bytes;
        let mut tenths: u128 = 0;
        let mut rounding: u128 = 0;
        if amt >= base {
            loop {
                let r10 = (amt % base) * 10 + tenths;
                let r2 = (r10 % base) * 2 + (rounding >> 1);
                amt /= base;
                tenths = r10 / base;
                rounding = if r2 < base {
                    u128::from(r2 + rounding != 0)
                } else {
                    2 + u128::from(base < r2 + rounding)
                };
                exponent += 1;
                if !(base <= amt && exponent < LETTERS.len()) {
                    break;
                }
            }
            if amt < 10 {
                let up = if nearest {
                    2 < rounding + (tenths & 1)
                } else {
                    rounding > 0
                };
                if up {
                    tenths += 1;
                    rounding = 0;
                    if tenths == 10 {
                        amt += 1;
                        tenths = 0;
                    }
                }
                if amt < 10 && (tenths != 0 || !suppress_point_zero) {
                    text = format!("{amt}.{tenths}");
                    tenths = 0;
                    rounding = 0;
                }
            }
        }
        if text.is_empty() {
            let up = if nearest {
                5 < tenths + u128::from(0 < rounding + (amt & 1))
            } else {
                tenths + rounding > 0
            };
            if up {
                amt += 1;
                if amt == base && exponent < LETTERS.len() {
                    exponent += 1;
                    amt = 1;
                    if !suppress_point_zero {
                        text = "1.0".to_string();
                    }
                }
            }
            if text.is_empty() {
                text = amt.to_string();
            }
        }
    }
    out.extend_from_slice(text.as_bytes());
    if o.suffix {
        if exponent > 0 {
            let l = LETTERS[exponent - 1];
            out.push(if !o.base1024 && exponent == 1 {
                b'k'
            } else {
                l
            });
        }
        if o.bytes_suffix {
            if o.base1024 && exponent > 0 {
                out.push(b'i');
            }
            out.push(b'B');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> BlockSize {
        BlockSize::parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn parses_gnu_sizes() {
        assert_eq!(p("1024"), BlockSize::units(1024));
        assert_eq!(p("1K"), BlockSize::units(1024));
        assert_eq!(p("1k").size, 1024);
        assert_eq!(p("10K").size, 10240);
        assert_eq!(p("1KB").size, 1000);
        assert_eq!(p("'1M").size, 1 << 20);
        assert!(p("M").suffix && p("M").base1024 && !p("M").bytes_suffix);
        assert!(p("MB").suffix && !p("MB").base1024 && p("MB").bytes_suffix);
        assert!(p("KiB").base1024 && p("KiB").bytes_suffix);
        assert_eq!(p("human-readable"), BlockSize::HUMAN);
        assert_eq!(p("si"), BlockSize::SI);
        for bad in ["0", "x", "", "1X", "1KiBB", "-1", "1q"] {
            assert!(BlockSize::parse(bad.as_bytes()).is_none(), "{bad}");
        }
    }

    #[test]
    fn formats_like_gnu() {
        let k = BlockSize::units(1024);
        assert_eq!(k.format(8, 512), "4");
        assert_eq!(k.format(1, 1), "1");
        assert_eq!(k.format(0, 1), "0");
        assert_eq!(p("M").format(4096, 1), "1M");
        assert_eq!(p("MB").format(3_474_000, 1), "4MB");
        assert_eq!(p("KB").format(4096, 1), "5kB");
        assert_eq!(p("KiB").format(4096, 1), "4KiB");
        assert_eq!(BlockSize::HUMAN.format(4096, 1), "4.0K");
        assert_eq!(BlockSize::HUMAN.format(3_473_408, 1), "3.4M");
        assert_eq!(BlockSize::SI.format(3_473_408, 1), "3.5M");
        assert_eq!(BlockSize::HUMAN.format(1023, 1), "1023");
        assert_eq!(BlockSize::SI.format(1000, 1), "1.0k");
    }

    #[test]
    fn dd_sizes() {
        for (n, si, iec) in [
            (0, "0 B", "0 B"),
            (999, "999 B", "999 B"),
            (1000, "1.0 kB", "1000 B"),
            (3893, "3.9 kB", "3.8 KiB"),
            (1_048_576, "1.0 MB", "1.0 MiB"),
            (3_145_728, "3.1 MB", "3.0 MiB"),
            (104_857_600, "105 MB", "100 MiB"),
            (1_050, "1.0 kB", "1.0 KiB"),
            (1_250, "1.2 kB", "1.2 KiB"),
        ] {
            assert_eq!(human_nearest(n, false), si, "{n}");
            assert_eq!(human_nearest(n, true), iec, "{n}");
        }
    }

    #[test]
    fn df_headers() {
        for (s, h) in [
            ("1", "1B"),
            ("512", "512B"),
            ("1000", "1kB"),
            ("1024", "1K"),
            ("2048", "2K"),
            ("1536", "1.6kB"),
            ("KiB", "1KiB"),
            ("MB", "1MB"),
            ("3M", "3M"),
            ("1000000", "1MB"),
            ("999", "999B"),
            ("1023", "1.1kB"),
            ("12345678", "13MB"),
        ] {
            assert_eq!(p(s).blocks_header(), format!("{h}-blocks"), "{s}");
        }
    }
}
