//! A real switchboard in a pseudo-terminal, its screen parsed with vt100.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct App {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub writer: Box<dyn Write + Send>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub dirs: std::path::PathBuf,
    _owned: Option<tempfile::TempDir>,
}

impl App {
    pub fn start(args: &[&str], cols: u16, rows: u16) -> App {
        let owned = tempfile::tempdir().unwrap();
        let dirs = owned.path().to_path_buf();
        let mut app = App::start_in(&dirs, args, cols, rows);
        app._owned = Some(owned);
        app
    }

    /// Starts with the XDG dirs under `dirs` (shared between runs).
    pub fn start_in(dirs: &std::path::Path, args: &[&str], cols: u16, rows: u16) -> App {
        App::start_env(dirs, args, &[], cols, rows)
    }

    /// [`App::start_in`] with extra environment variables.
    pub fn start_env(
        dirs: &std::path::Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> App {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_switchboard"));
        cmd.args(args);
        App::spawn(dirs, cmd, env, (cols, rows))
    }

    /// [`App::start_in`] with standard input read from `file`, as `cat file | switchboard …`
    /// gives it: the terminal is still the pseudo-terminal, reached as `/dev/tty`.
    pub fn start_piped(
        dirs: &std::path::Path,
        args: &[&str],
        file: &std::path::Path,
        cols: u16,
        rows: u16,
    ) -> App {
        let mut cmd = CommandBuilder::new("sh");
        cmd.args(["-c", "exec \"$0\" \"$@\" < \"$PIPED_FILE\""]);
        cmd.arg(env!("CARGO_BIN_EXE_switchboard"));
        cmd.args(args);
        let file = file.to_string_lossy();
        App::spawn(dirs, cmd, &[("PIPED_FILE", &file)], (cols, rows))
    }

    fn spawn(
        dirs: &std::path::Path,
        mut cmd: CommandBuilder,
        env: &[(&str, &str)],
        (cols, rows): (u16, u16),
    ) -> App {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CACHE_HOME", dirs.join("cache"));
        cmd.env("XDG_DATA_HOME", dirs.join("data"));
        cmd.env("XDG_CONFIG_HOME", dirs.join("config"));
        cmd.env("XDG_STATE_HOME", dirs.join("state"));
        cmd.env_remove("OPENROUTER_API_KEY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        App {
            parser,
            raw,
            writer,
            master: pair.master,
            child,
            dirs: dirs.to_path_buf(),
            _owned: None,
        }
    }

    /// Everything the app wrote so far, escape sequences included.
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Waits until the app's output holds `needle`; returns where it starts.
    pub fn wait_for_output(&self, needle: &[u8], timeout: Duration) -> usize {
        let start = Instant::now();
        loop {
            if let Some(at) = find(&self.raw_output(), needle) {
                return at;
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out waiting for {:?} in the output",
                    String::from_utf8_lossy(needle)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, what: &str, timeout: Duration, cond: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if cond(&screen) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        // Keys typed by a person arrive apart; an Escape glued to the next key reads as Alt.
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
    }
}

impl App {
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    pub fn signal(&self, sig: &str) {
        let ok = std::process::Command::new("kill")
            .args([&format!("-{sig}"), &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Waits for the process to end and returns whether it exited successfully.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<bool> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.success());
            }
            if start.elapsed() > timeout {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Where `needle` first occurs in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How often `needle` occurs in `hay`.
pub fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}
