//! Copying to the clipboard: native (arboard) where a display is at hand; over SSH or without
//! a display, OSC 52 to the terminal, wrapped for tmux and GNU screen so it reaches the outer
//! terminal. Payloads too large for OSC 52 go to a file whose path is reported. Never silent.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;

/// Terminals cap OSC 52; 100,000 bytes of base64 is what the common ones accept.
pub const OSC52_MAX: usize = 100_000;
/// The most text OSC 52 carries (its base64 within [`OSC52_MAX`]): 75,000 bytes, "75 KB"
/// wherever it is said.
pub const OSC52_MAX_TEXT: usize = OSC52_MAX / 4 * 3;

/// Which multiplexer wraps the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mux {
    None,
    Tmux,
    Screen,
}

/// How a copy gets to the clipboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Native,
    Osc52(Mux),
}

/// The facts of the environment that decide the route.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub ssh: bool,
    pub display: bool,
    pub tmux: bool,
    pub screen: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        Env {
            ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            display: set("DISPLAY")
                || set("WAYLAND_DISPLAY")
                || cfg!(any(target_os = "macos", windows)),
            tmux: set("TMUX"),
            screen: set("STY"),
        }
    }

    pub fn mux(&self) -> Mux {
        if self.tmux {
            Mux::Tmux
        } else if self.screen {
            Mux::Screen
        } else {
            Mux::None
        }
    }

    /// Native only on a local display; over SSH the native clipboard is the remote machine's,
    /// which is not the one the person sits at.
    pub fn route(&self) -> Route {
        if !self.ssh && self.display {
            Route::Native
        } else {
            Route::Osc52(self.mux())
        }
    }
}

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

/// What to write to the terminal for `mux`. Inside tmux: the plain sequence (tmux sets its
/// buffer and the outer clipboard when `set-clipboard` is on) and the same wrapped for
/// passthrough (reaches the outer terminal when `allow-passthrough` is on). Inside screen: the
/// sequence cut into DCS pieces small enough for screen's buffer.
pub fn osc52_for(text: &str, mux: Mux) -> String {
    let seq = osc52(text);
    match mux {
        Mux::None => seq,
        Mux::Tmux => format!("{seq}\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b")),
        Mux::Screen => {
            let mut out = String::new();
            let bytes = seq.as_bytes();
            for chunk in bytes.chunks(76) {
                out.push_str("\x1bP");
                out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
                out.push_str("\x1b\\");
            }
            out
        }
    }
}

fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// What happened to a copy, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub chars: usize,
    pub how: String,
    pub file: Option<PathBuf>,
}

impl Copied {
    pub fn describe(&self, what: &str) -> String {
        let mut s = format!("copied {what}: {} chars {}", self.chars, self.how);
        if let Some(f) = &self.file {
            s.push_str(&format!("; also saved to {}", f.display()));
        }
        s
    }
}

/// Copies `text` by the environment's route, keeping the native clipboard object alive in
/// `native` (on X11 and Wayland the copying process serves the contents).
pub fn copy(
    text: &str,
    env: &Env,
    native: &mut Option<arboard::Clipboard>,
    out: &mut impl Write,
    cache_dir: &Path,
) -> Result<Copied, String> {
    let chars = text.chars().count();
    if env.route() == Route::Native {
        if native.is_none() {
            *native = arboard::Clipboard::new().ok();
        }
        if let Some(cb) = native.as_mut()
            && cb.set_text(text.to_string()).is_ok()
        {
            return Ok(Copied {
                chars,
                how: "to the system clipboard".into(),
                file: None,
            });
        }
    }
    let mux = env.mux();
    if base64_len(text.len()) > OSC52_MAX {
        let path = save_file(text, cache_dir)?;
        return Ok(Copied {
            chars,
            how: format!(
                "— too large for OSC 52 ({} KB, over {} KB), so not sent to the terminal",
                text.len() / 1000,
                OSC52_MAX_TEXT / 1000
            ),
            file: Some(path),
        });
    }
    out.write_all(osc52_for(text, mux).as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| format!("could not write to the terminal: {e}"))?;
    let how = match mux {
        Mux::None => "via OSC 52",
        Mux::Tmux => "via OSC 52 (through tmux)",
        Mux::Screen => "via OSC 52 (through screen)",
    };
    Ok(Copied {
        chars,
        how: how.into(),
        file: None,
    })
}

fn save_file(text: &str, cache_dir: &Path) -> Result<PathBuf, String> {
    let path = cache_dir.join("clipboard").join("last-copy.txt");
    crate::storage::write_atomic(&path, text.as_bytes())
        .map_err(|e| format!("could not save {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_plain_tmux_and_screen_byte_for_byte() {
        assert_eq!(osc52_for("hi", Mux::None), "\x1b]52;c;aGk=\x07");
        assert_eq!(
            osc52_for("hi", Mux::Tmux),
            "\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
        assert_eq!(
            osc52_for("hi", Mux::Screen),
            "\x1bP\x1b]52;c;aGk=\x07\x1b\\"
        );
        // Long payloads are cut into pieces of 76 bytes for screen.
        let long = "x".repeat(100);
        let seq = osc52(&long);
        let wrapped = osc52_for(&long, Mux::Screen);
        let pieces: Vec<&str> = wrapped.split("\x1b\\").filter(|p| !p.is_empty()).collect();
        assert_eq!(pieces.len(), seq.len().div_ceil(76));
        assert_eq!(pieces.iter().map(|p| &p[2..]).collect::<String>(), seq);
        assert_eq!(osc52("é"), "\x1b]52;c;w6k=\x07", "UTF-8 bytes are encoded");
    }

    #[test]
    fn the_route_follows_the_environment() {
        let local = Env {
            display: true,
            ..Env::default()
        };
        assert_eq!(local.route(), Route::Native);
        let ssh = Env {
            ssh: true,
            display: true,
            tmux: true,
            ..Env::default()
        };
        assert_eq!(ssh.route(), Route::Osc52(Mux::Tmux));
        let headless = Env {
            screen: true,
            ..Env::default()
        };
        assert_eq!(headless.route(), Route::Osc52(Mux::Screen));
    }

    #[test]
    fn copies_over_ssh_write_osc52_and_large_ones_go_to_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env {
            ssh: true,
            tmux: true,
            ..Env::default()
        };
        let mut out = Vec::new();
        let c = copy("hello", &env, &mut None, &mut out, dir.path()).unwrap();
        assert_eq!(out, osc52_for("hello", Mux::Tmux).into_bytes());
        assert_eq!(
            c.describe("the answer"),
            "copied the answer: 5 chars via OSC 52 (through tmux)"
        );
        let big = "y".repeat(80_000);
        let mut out = Vec::new();
        let c = copy(&big, &env, &mut None, &mut out, dir.path()).unwrap();
        assert!(out.is_empty(), "nothing half-sent to the terminal");
        let file = c.file.unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), big);
        assert!(file.starts_with(dir.path()));
    }
}
