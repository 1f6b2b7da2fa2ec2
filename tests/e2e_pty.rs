//! End to end: the real binary in a pseudo-terminal with `--demo`. Keys in, screen out
//! (parsed with vt100): three answers with costs, cancel, resize, quit with the terminal
//! restored.

mod common;

use std::time::{Duration, Instant};

use common::pty::App;

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
    app.wait_for_output(b"\x1b[?1049l", Duration::from_secs(10));
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
