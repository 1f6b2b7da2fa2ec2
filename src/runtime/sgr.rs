//! The terminal's output, made to speak 16 colours where that is all it has: crossterm
//! writes even the 16 basic colours as 256-colour codes (`ESC[38;5;1m`), which a 16-colour
//! terminal does not read. Here they become the classic codes (`ESC[31m`); everything else
//! passes through unchanged.

use std::io::{self, Write};

/// The longest colour sequence rewritten (`ESC[48;5;15m` is 11 bytes); anything longer is
/// passed on as it is.
const MAX_SEQ: usize = 16;

pub struct Sgr16<W: Write> {
    inner: W,
    /// Rewrite (a 16-colour terminal) or pass everything through.
    on: bool,
    /// The start of an escape sequence split across writes.
    held: Vec<u8>,
}

impl<W: Write> Sgr16<W> {
    pub fn new(inner: W, on: bool) -> Sgr16<W> {
        Sgr16 {
            inner,
            on,
            held: Vec::with_capacity(MAX_SEQ),
        }
    }
}

/// `ESC[38;5;Nm` / `ESC[48;5;Nm` with N < 16, as the classic code.
fn classic(seq: &[u8]) -> Option<String> {
    let body = seq.strip_prefix(b"\x1b[")?.strip_suffix(b"m")?;
    let text = std::str::from_utf8(body).ok()?;
    let (base, n) = if let Some(n) = text.strip_prefix("38;5;") {
        (30, n)
    } else if let Some(n) = text.strip_prefix("48;5;") {
        (40, n)
    } else {
        return None;
    };
    let n: u8 = n.parse().ok()?;
    match n {
        0..8 => Some(format!("\x1b[{}m", base + n)),
        8..16 => Some(format!("\x1b[{}m", base + 60 + n - 8)),
        _ => None,
    }
}

impl<W: Write> Write for Sgr16<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.on {
            return self.inner.write(buf);
        }
        let mut out = Vec::with_capacity(buf.len() + 8);
        for &b in buf {
            if self.held.is_empty() {
                if b == 0x1b {
                    self.held.push(b);
                } else {
                    out.push(b);
                }
                continue;
            }
            self.held.push(b);
            let csi = self.held.get(1) == Some(&b'[');
            let done = self.held.len() >= 3 && (0x40..=0x7e).contains(&b);
            if !csi && self.held.len() >= 2 || self.held.len() > MAX_SEQ {
                // Not a colour sequence (or too long for one): as it came.
                out.append(&mut self.held);
            } else if done {
                match classic(&self.held) {
                    Some(c) => {
                        out.extend_from_slice(c.as_bytes());
                        self.held.clear();
                    }
                    None => out.append(&mut self.held),
                }
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // A sequence still open at a flush was never a colour: it goes out as it is.
        let held = std::mem::take(&mut self.held);
        self.inner.write_all(&held)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(pieces: &[&[u8]]) -> Vec<u8> {
        let mut w = Sgr16::new(Vec::new(), true);
        for p in pieces {
            w.write_all(p).unwrap();
        }
        w.inner
    }

    #[test]
    fn basic_colours_become_classic_codes_even_split_across_writes() {
        assert_eq!(through(&[b"a\x1b[38;5;1mb"]), b"a\x1b[31mb");
        assert_eq!(through(&[b"\x1b[48;5;8m"]), b"\x1b[100m");
        assert_eq!(through(&[b"\x1b[38;5;15m"]), b"\x1b[97m");
        assert_eq!(through(&[b"x\x1b[3", b"8;5;", b"2", b"my"]), b"x\x1b[32my");
        // Everything else passes as it is.
        for same in [
            &b"\x1b[38;5;208m"[..],
            b"\x1b[1;1H\x1b[0m",
            b"\x1b]52;c;aGVsbG8=\x07",
            "日本語 ✓".as_bytes(),
            b"\x1b[?1049h",
        ] {
            assert_eq!(through(&[same]), same);
        }
        let mut off = Sgr16::new(Vec::new(), false);
        off.write_all(b"\x1b[38;5;1m").unwrap();
        assert_eq!(off.inner, b"\x1b[38;5;1m");
    }
}
