//! Progress display: GNU wget's bar (terminal) and dot styles, and the rate/size/time texts of
//! its log lines.

use crate::common::io::push_fmt;
use std::time::{Duration, Instant};

use humansize::{format_size, FormatSizeOptions, WINDOWS};

use super::Log;

/// `1.21K`, `12.34M`: the bar's size column (base 1024, unit letter without `B`).
pub fn short_size(n: u64) -> String {
    let s = format_size(
        n,
        FormatSizeOptions::from(WINDOWS)
            .decimal_places(2)
            .space_after_value(false),
    );
    s.trim_end_matches('B').to_ascii_uppercase()
}

/// `(1.0G)` / `(12M)` / `(500)` as in GNU's `Length:` line.
pub fn human_paren(n: u64) -> String {
    let s = format_size(
        n,
        FormatSizeOptions::from(WINDOWS)
            .decimal_places(1)
            .decimal_zeroes(1)
            .space_after_value(false),
    );
    let s = s.trim_end_matches('B').to_ascii_uppercase();
    let s = s.as_str();
    // GNU shows one decimal below 10 units, none above.
    match s.find('.') {
        Some(dot) if s[..dot].len() >= 2 => {
            let unit = &s[s.len() - 1..];
            let v = crate::common::num::parse_f64(&s[..s.len() - 1]).unwrap_or(0.0);
            format!("{}{unit}", v.round() as u64)
        }
        _ => s.to_string(),
    }
}

/// `967 KB/s`, `1.26 MB/s` (GNU retr_rate: base 1024, precision by magnitude).
pub fn rate_text(bytes: u64, secs: f64) -> String {
    let secs = if secs <= 0.0 { 1e-6 } else { secs };
    let mut r = bytes as f64 / secs;
    let units = ["B/s", "KB/s", "MB/s", "GB/s", "TB/s"];
    let mut u = 0;
    while r >= 1024.0 && u < units.len() - 1 {
        r /= 1024.0;
        u += 1;
    }
    let prec = if r >= 99.95 {
        0
    } else if r >= 9.995 {
        1
    } else {
        2
    };
    format!("{r:.prec$} {}", units[u])
}

/// Compact rate for the bar and dot lines: `967K`, `1.26M`.
fn short_rate(bytes: u64, secs: f64) -> String {
    let t = rate_text(bytes, secs);
    let (num, unit) = t.split_once(' ').unwrap_or((&t, ""));
    let letter = match unit {
        "KB/s" => "K",
        "MB/s" => "M",
        "GB/s" => "G",
        "TB/s" => "T",
        _ => "",
    };
    format!("{num}{letter}")
}

/// `0s`, `0.5s`, `12s`, `1m 3s`, `2h 5m`.
pub fn duration_text(d: Duration) -> String {
    let s = d.as_secs_f64();
    if (0.05..10.0).contains(&s) {
        format!("{s:.1}s")
    } else if s < 60.0 {
        format!("{}s", s as u64)
    } else if s < 3600.0 {
        format!("{}m {}s", s as u64 / 60, s as u64 % 60)
    } else {
        format!("{}h {}m", s as u64 / 3600, s as u64 % 3600 / 60)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    None,
    Bar,
    Dot,
}

pub struct Progress {
    style: Style,
    name: String,
    /// Expected total (what we had before plus the body length), when known.
    total: Option<u64>,
    /// Bytes present before this transfer (resumed downloads).
    start_at: u64,
    got: u64,
    started: Instant,
    last_draw: Option<Instant>,
    // Dot style state.
    dots_in_line: u64,
    line_start: u64,
    width: usize,
}

const DOT_BYTES: u64 = 1024;
const DOTS_PER_LINE: u64 = 50;

impl Progress {
    pub fn new(style: Style, name: &str, start_at: u64, total: Option<u64>) -> Progress {
        Progress {
            style,
            name: name.to_string(),
            total,
            start_at,
            got: 0,
            started: Instant::now(),
            last_draw: None,
            dots_in_line: 0,
            line_start: start_at - start_at % (DOT_BYTES * DOTS_PER_LINE),
            width: term_width(),
        }
    }

    pub fn got(&self) -> u64 {
        self.got
    }

    /// Skip the dots for data we already had (GNU prints them as `,`; we leave them blank).
    pub fn begin(&mut self, log: &mut Log) {
        if self.style == Style::Dot {
            log.raw(format!("\n{:>6}K", self.line_start / 1024).as_bytes());
            let skip = (self.start_at - self.line_start) / DOT_BYTES;
            for i in 0..skip {
                if i % 10 == 0 {
                    log.raw(b" ");
                }
                log.raw(b",");
            }
            self.dots_in_line = skip;
        }
    }

    pub fn update(&mut self, n: u64, log: &mut Log) {
        self.got += n;
        match self.style {
            Style::None => {}
            Style::Dot => self.dots(log),
            Style::Bar => {
                let now = Instant::now();
                if self
                    .last_draw
                    .is_none_or(|t| now.duration_since(t) >= Duration::from_millis(200))
                {
                    self.last_draw = Some(now);
                    self.draw_bar(log, false);
                }
            }
        }
    }

    fn dots(&mut self, log: &mut Log) {
        let pos = self.start_at + self.got;
        let mut out = Vec::new();
        while self.line_start + (self.dots_in_line + 1) * DOT_BYTES <= pos {
            if self.dots_in_line.is_multiple_of(10) {
                out.push(b' ');
            }
            out.push(b'.');
            self.dots_in_line += 1;
            if self.dots_in_line == DOTS_PER_LINE {
                let end = self.line_start + DOTS_PER_LINE * DOT_BYTES;
                let secs = self.started.elapsed().as_secs_f64();
                out.extend_from_slice(self.dot_stats(end, secs, false).as_bytes());
                self.line_start = end;
                self.dots_in_line = 0;
                push_fmt(&mut out, format_args!("\n{:>6}K", self.line_start / 1024));
            }
        }
        if !out.is_empty() {
            log.raw(&out);
        }
    }

    fn dot_stats(&self, pos: u64, secs: f64, last: bool) -> String {
        let pct = self
            .total
            .filter(|&t| t > 0)
            .map(|t| format!("{:>3}%", (pos.min(t) * 100 / t)))
            .unwrap_or_default();
        let rate = short_rate(self.got, secs);
        if last {
            format!(" {pct} {rate:>5}={}", duration_text(self.started.elapsed()))
        } else {
            let eta = match self.total {
                Some(t) if self.got > 0 && t > pos => {
                    let left = (t - pos) as f64 / (self.got as f64 / secs.max(1e-6));
                    format!(" {}", duration_text(Duration::from_secs_f64(left.min(1e9))))
                }
                _ => String::new(),
            };
            format!(" {pct} {rate:>5}{eta}")
        }
    }

    fn draw_bar(&mut self, log: &mut Log, last: bool) {
        let pos = self.start_at + self.got;
        let secs = self.started.elapsed().as_secs_f64();
        let width = self.width.clamp(40, 300);
        let mut name: String = self.name.chars().take(20).collect();
        while name.chars().count() < 20 {
            name.push(' ');
        }
        let size = short_size(pos);
        let rate = if last || secs > 0.2 {
            format!("{}B/s", short_rate(self.got, secs))
        } else {
            "--.-KB/s".to_string()
        };
        let tail = if last {
            format!("    in {}", duration_text(self.started.elapsed()))
        } else {
            match self.total {
                Some(t) if self.got > 0 && t > pos && secs > 0.2 => {
                    let left = (t - pos) as f64 / (self.got as f64 / secs);
                    format!(
                        "    eta {}",
                        duration_text(Duration::from_secs_f64(left.min(1e9)))
                    )
                }
                _ => String::new(),
            }
        };
        // name + " 100%[" + bar + "] " + size(8) + "  " + rate(10) + tail(≥14)
        let fixed = 20 + 6 + 2 + 8 + 2 + 10 + 14;
        let bar_w = width.saturating_sub(fixed + 1).max(10);
        let mut bar = String::with_capacity(bar_w);
        let pct = match self.total {
            Some(t) if t > 0 => {
                let frac = pos.min(t) as f64 / t as f64;
                let fill = (frac * bar_w as f64) as usize;
                for i in 0..bar_w {
                    bar.push(if i + 1 < fill || (i + 1 == fill && fill == bar_w) {
                        '='
                    } else if i + 1 == fill {
                        '>'
                    } else {
                        ' '
                    });
                }
                format!("{:>3}%", (frac * 100.0) as u64)
            }
            _ => {
                // Unknown length: a bouncing `<=>`.
                let p = ((secs * 8.0) as usize) % (2 * bar_w.saturating_sub(3)).max(1);
                let p = if p >= bar_w - 3 {
                    2 * (bar_w - 3) - p
                } else {
                    p
                };
                for i in 0..bar_w {
                    bar.push(match i.checked_sub(p) {
                        Some(0) => '<',
                        Some(1) => '=',
                        Some(2) => '>',
                        _ => ' ',
                    });
                }
                "    ".to_string()
            }
        };
        let line = format!("\r{name} {pct}[{bar}] {size:>8}  {rate:<10}{tail:<14}");
        log.raw(line.as_bytes());
    }

    /// Final state: full line, then the blank lines GNU prints before the summary.
    pub fn finish(&mut self, log: &mut Log) {
        match self.style {
            Style::None => {}
            Style::Bar => {
                self.draw_bar(log, true);
                log.raw(b"\n\n");
            }
            Style::Dot => {
                let pos = self.start_at + self.got;
                let mut out = Vec::new();
                // Pad the unfinished line so the statistics line up.
                let mut d = self.dots_in_line;
                while d < DOTS_PER_LINE {
                    if d.is_multiple_of(10) {
                        out.push(b' ');
                    }
                    out.push(b' ');
                    d += 1;
                }
                let secs = self.started.elapsed().as_secs_f64();
                out.extend_from_slice(self.dot_stats(pos, secs, true).as_bytes());
                out.extend_from_slice(b"\n\n");
                log.raw(&out);
            }
        }
    }
}

fn term_width() -> usize {
    match crate::common::sys::term::window_size(crate::common::io::stderr_fd()) {
        Ok(ws) if ws.cols > 0 => ws.cols as usize,
        _ => std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(80),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(rate_text(967 * 1024, 1.0), "967 KB/s");
        assert_eq!(rate_text(1321206, 1.0), "1.26 MB/s");
        assert_eq!(human_paren(1 << 30), "1.0G");
        assert_eq!(human_paren(12 * 1024 * 1024 + 5), "12M");
        assert_eq!(short_size(1239), "1.21K");
        assert_eq!(duration_text(Duration::from_millis(10)), "0s");
        assert_eq!(duration_text(Duration::from_secs(63)), "1m 3s");
    }
}
