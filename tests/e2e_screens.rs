//! End to end, the real binary in a pseudo-terminal: colour depth follows TERM and COLORTERM,
//! TERM=dumb is refused, the mouse is asked for button events only, Ctrl-L repaints, and ten
//! demo runs leave no pile of state behind.

mod common;

use std::time::Duration;

use common::pty::{App, count, find};

const FAST: [&str; 3] = ["--demo", "--sim-delay-scale", "0"];

/// A demo round (its answers hold code blocks, so syntax colours too) in `env`.
fn round_in(env: &[(&str, &str)]) -> (App, tempfile::TempDir) {
    let dirs = tempfile::tempdir().unwrap();
    let mut app = App::start_env(dirs.path(), &FAST, env, 120, 40);
    app.wait_for("the playground", Duration::from_secs(20), |s| {
        s.contains("DEMO")
    });
    app.send(b"Show me some code");
    app.send(b"\r");
    app.wait_for("three answers", Duration::from_secs(30), |s| {
        s.matches('✓').count() >= 3
    });
    (app, dirs)
}

#[test]
fn colour_depth_follows_the_terminal() {
    let plain = [("TERM", "xterm"), ("COLORTERM", ""), ("NO_COLOR", "")];
    let (app, _d) = round_in(&plain);
    let out = app.raw_output();
    assert!(
        find(&out, b"\x1b[38;2;").is_none(),
        "no 24-bit colour for TERM=xterm"
    );
    if let Some(at) = find(&out, b"\x1b[38;5;") {
        panic!(
            "no 256-colour codes either: {:?}",
            String::from_utf8_lossy(&out[at.saturating_sub(40)..(at + 40).min(out.len())])
        );
    }
    assert!(find(&out, b"\x1b[3").is_some(), "but colours all the same");
    drop(app);

    let deep = [
        ("TERM", "xterm-256color"),
        ("COLORTERM", "truecolor"),
        ("NO_COLOR", ""),
    ];
    let (app, _d) = round_in(&deep);
    assert!(
        find(&app.raw_output(), b"\x1b[38;2;").is_some(),
        "24-bit colour where COLORTERM says so"
    );
    // Mouse reporting: button events (1002), never any motion (1003).
    let out = app.raw_output();
    assert!(find(&out, b"\x1b[?1002h").is_some());
    assert_eq!(count(&out, b"\x1b[?1003h"), 0);
}

#[test]
fn a_dumb_terminal_is_told_to_use_run() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(FAST)
        .env("TERM", "dumb")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("full-screen terminal") && err.contains("switchboard run"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing drawn");
}

#[test]
fn ctrl_l_repaints_what_another_program_scribbled_over() {
    let (mut app, _d) = round_in(&[("NO_COLOR", "")]);
    // Settled: nothing streams, every cost is exact, and nothing has changed for a second
    // and a half (the catalog, which adds each context's fill, may arrive after the answers).
    let last = std::cell::RefCell::new((String::new(), std::time::Instant::now()));
    let clean = app.wait_for("a settled screen", Duration::from_secs(30), |s| {
        let mut last = last.borrow_mut();
        if last.0 != s {
            *last = (s.to_string(), std::time::Instant::now());
        }
        !s.contains("streaming")
            && s.contains("session $")
            && !s.contains("~$")
            && last.1.elapsed() > Duration::from_millis(1500)
    });
    // Another program writes over the screen (as `wall` or a stray `echo` would).
    app.parser
        .lock()
        .unwrap()
        .process(b"\x1b[3;5HGARBAGE GARBAGE GARBAGE\x1b[20;1Hmore garbage");
    assert_ne!(app.screen(), clean);
    app.send(&[0x0c]);
    app.wait_for("a clean repaint", Duration::from_secs(10), |s| s == clean);
}

#[test]
fn ten_demo_runs_keep_one_entry_and_reopen_the_last_models() {
    let dirs = tempfile::tempdir().unwrap();
    let sets: [&[&str]; 3] = [
        &["sim/flaky", "sim/swift-mini"],
        &["sim/sage-large"],
        &["sim/deep-thinker", "sim/swift-mini", "sim/auto"],
    ];
    for run in 0..10 {
        let models = sets[run % sets.len()];
        let mut args: Vec<&str> = FAST.to_vec();
        for m in models {
            args.extend(["-m", m]);
        }
        let mut app = App::start_in(dirs.path(), &args, 100, 30);
        app.wait_for("the playground", Duration::from_secs(20), |s| {
            s.contains("DEMO")
        });
        app.send(b"hi");
        app.send(b"\r");
        app.wait_for("answers", Duration::from_secs(30), |s| {
            s.matches('✓').count() + s.matches('✗').count() >= models.len()
        });
        app.send(&[0x11]);
        assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
    }
    let prefs: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dirs.path().join("data/switchboard/prefs.json")).unwrap(),
    )
    .unwrap();
    let last = prefs["last_models"].as_object().unwrap();
    assert_eq!(
        last.len(),
        1,
        "one entry for the demo, not one per port: {last:?}"
    );
    let catalogs = std::fs::read_dir(dirs.path().join("cache/switchboard/catalog"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(catalogs <= 1, "no catalog file per run: {catalogs} files");
    // The eleventh run, with no -m, reopens the tenth's models.
    let mut app = App::start_in(dirs.path(), &FAST, 100, 30);
    let screen = app.wait_for("the playground", Duration::from_secs(20), |s| {
        s.contains("DEMO")
    });
    for m in sets[9 % sets.len()] {
        assert!(screen.contains(m), "{m} reopened: {screen}");
    }
    app.send(&[0x11]);
}
