//! End to end: the real binary in a pseudo-terminal with `--demo`. Keys in, screen out
//! (parsed with vt100): three answers with costs, cancel, resize, quit with the terminal
//! restored.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct App {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _dirs: tempfile::TempDir,
}

impl App {
    fn start(args: &[&str], cols: u16, rows: u16) -> App {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let dirs = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_switchboard"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CACHE_HOME", dirs.path().join("cache"));
        cmd.env("XDG_DATA_HOME", dirs.path().join("data"));
        cmd.env("XDG_CONFIG_HOME", dirs.path().join("config"));
        cmd.env_remove("OPENROUTER_API_KEY");
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
            _dirs: dirs,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, timeout: Duration, cond: impl Fn(&str) -> bool) -> String {
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

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        // Keys typed by a person arrive apart; an Escape glued to the next key reads as Alt.
        std::thread::sleep(Duration::from_millis(60));
    }

    fn resize(&mut self, cols: u16, rows: u16) {
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

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn footers(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.starts_with('└') && l.contains('·'))
        .map(str::to_string)
        .collect()
}

fn count(screen: &str, needle: &str) -> usize {
    screen.matches(needle).count()
}

#[test]
fn demo_round_with_three_models_then_cancel_resize_and_quit() {
    let mut app = App::start(
        &[
            "--demo",
            "--sim-delay-scale",
            "0.05",
            "-m",
            "sim/swift-mini",
            "-m",
            "sim/deep-thinker",
            "-m",
            "sim/free-spirit:free",
        ],
        120,
        30,
    );
    app.wait_for("the playground", Duration::from_secs(20), |s| {
        s.contains("Prompt") && s.contains("DEMO")
    });
    app.send(b"Compare two sorting algorithms");
    app.send(b"\r");
    let screen = app.wait_for("three finished answers", Duration::from_secs(30), |s| {
        count(s, "✓") >= 3
    });
    let f = footers(&screen);
    assert_eq!(f.len(), 1, "three footers side by side: {screen}");
    assert_eq!(count(&f[0], "$"), 3, "a cost in every footer: {}", f[0]);
    for model in ["sim/swift-mini", "sim/deep-thinker", "sim/free-spirit:free"] {
        assert!(screen.contains(model), "{model} pane: {screen}");
    }
    assert!(
        screen.contains("session $"),
        "an exact session total: {screen}"
    );
    assert!(
        !screen.contains("session ~"),
        "all costs are exact once usage arrived"
    );

    // A slow round: cancel everything while it streams.
    app.send(b"again, slowly !rate=10 !tokens=300 !ttft=0");
    app.send(b"\r");
    app.wait_for("streaming", Duration::from_secs(20), |s| {
        s.contains("streaming")
    });
    app.send(&[0x03]);
    let screen = app.wait_for("cancelled panes", Duration::from_secs(10), |s| {
        count(s, "⏹") >= 3
    });
    assert!(screen.contains("cancelled"), "{screen}");

    // Resize while a stream runs: the layout follows the new size.
    app.send(b"one more !rate=20 !tokens=400 !ttft=0");
    app.send(b"\r");
    app.wait_for("streaming again", Duration::from_secs(20), |s| {
        s.contains("streaming")
    });
    app.resize(80, 24);
    let screen = app.wait_for("a redraw at 80x24", Duration::from_secs(10), |s| {
        let lines: Vec<&str> = s.lines().collect();
        lines.len() >= 23 && lines.get(22).is_some_and(|l| l.contains("session"))
    });
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");

    // Quit: the process ends and leaves the alternate screen.
    app.send(&[0x11]);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = app.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let raw = app.raw.lock().unwrap();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned();
    assert!(
        tail.contains("\u{1b}[?1049l"),
        "alternate screen left: {tail:?}"
    );
}

#[test]
fn no_key_shows_the_welcome_screen_and_d_starts_the_demo() {
    let mut app = App::start(&["--sim-delay-scale", "0"], 100, 30);
    let screen = app.wait_for("the welcome screen", Duration::from_secs(20), |s| {
        s.contains("Welcome")
    });
    assert!(
        screen.contains("OPENROUTER_API_KEY")
            && screen.contains("--base-url")
            && screen.contains("--demo")
    );
    app.send(b"d");
    app.wait_for("the demo playground", Duration::from_secs(20), |s| {
        s.contains("DEMO") && s.contains("sim/swift-mini")
    });
    app.send(b"hello");
    app.send(b"\r");
    app.wait_for("answers", Duration::from_secs(30), |s| count(s, "✓") >= 3);
    app.send(&[0x11]);
}
