//! The terminal's output, made to speak 16 colours where that is all it has: crossterm
//! writes even the 16 basic colours as 256-colour codes (`ESC[38;5;1m`), which a 16-colour
//! terminal does not read. Here they become the classic codes (`ESC[31m`); everything else
//! passes through unchanged.

use std::io::{self, Write};

/// The longest SGR sequence rewritten (ratatui writes a cell's colours and attributes in one,
/// `ESC[38;5;8;48;5;0m`); anything longer is passed on as it is.
const MAX_SEQ: usize = 64;

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

/// An SGR sequence with every `38;5;N` / `48;5;N` (N < 16) among its parameters as the
/// classic code (`ESC[38;5;8;49m` is `ESC[90;49m`); `None` when there is none to change.
fn classic(seq: &[u8]) -> Option<String> {
    let body = seq.strip_prefix(b"\x1b[")?.strip_suffix(b"m")?;
    let text = std::str::from_utf8(body).ok()?;
    let params: Vec<&str> = text.split(';').collect();
    let mut out: Vec<String> = Vec::with_capacity(params.len());
    let mut changed = false;
    let mut i = 0;
    while i < params.len() {
        let base = match params[i] {
            "38" => Some(30),
            "48" => Some(40),
            _ => None,
        };
        let n = params.get(i + 2).and_then(|n| n.parse::<u8>().ok());
        match (base, params.get(i + 1), n) {
            (Some(base), Some(&"5"), Some(n)) if n < 16 => {
                let code = if n < 8 { base + n } else { base + 60 + n - 8 };
                out.push(code.to_string());
                changed = true;
                i += 3;
            }
            (Some(_), Some(&"5"), Some(_)) => {
                out.extend(params[i..i + 3].iter().map(|p| p.to_string()));
                i += 3;
            }
            (Some(_), Some(&"2"), _) if i + 4 < params.len() => {
                out.extend(params[i..i + 5].iter().map(|p| p.to_string()));
                i += 5;
            }
            _ => {
                out.push(params[i].to_string());
                i += 1;
            }
        }
    }
    changed.then(|| format!("\x1b[{}m", out.join(";")))
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
        assert_eq!(through(&[b"\x1b[38;5;8;49m"]), b"\x1b[90;49m");
        assert_eq!(through(&[b"\x1b[1;38;5;15;48;5;3m"]), b"\x1b[1;97;43m");
        assert_eq!(
            through(&[b"\x1b[38;2;1;2;3;48;5;1m"]),
            b"\x1b[38;2;1;2;3;41m"
        );
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
