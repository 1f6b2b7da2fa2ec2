//! The terminal as the real binary drives it in a pseudo-terminal: the first frame comes
//! before any question to the terminal, and the keyboard protocol learned at start-up is
//! set again after the external editor.

mod common;

use std::time::Duration;

use common::pty::{App, count, find};

const QUERY: &[u8] = b"\x1b[?u\x1b[c";
const PUSH: &[u8] = b"\x1b[>1u";

#[test]
fn the_first_frame_comes_before_the_terminal_is_asked_anything() {
    // This terminal never answers: the screen must not wait for it.
    let mut app = App::start(&["--demo", "--sim-delay-scale", "0"], 100, 30);
    let query_at = app.wait_for_output(QUERY, Duration::from_secs(20));
    let out = app.raw_output();
    let frame_at = find(&out, "Prompt".as_bytes()).expect("a frame was drawn");
    assert!(
        frame_at < query_at,
        "the frame at byte {frame_at}, the query at {query_at}"
    );
    // Keys typed while the question goes unanswered are kept and arrive.
    app.send(b"typed early");
    app.wait_for("the early keys", Duration::from_secs(20), |s| {
        s.contains("typed early")
    });
    assert_eq!(
        count(&app.raw_output(), PUSH),
        0,
        "no answer, no keyboard flags"
    );
}

#[test]
fn keyboard_flags_come_back_after_the_external_editor() {
    let dirs = tempfile::tempdir().unwrap();
    let mut app = App::start_env(
        dirs.path(),
        &["--demo", "--sim-delay-scale", "0", "-m", "sim/swift-mini"],
        &[("EDITOR", "true"), ("VISUAL", "true")],
        100,
        30,
    );
    app.wait_for_output(QUERY, Duration::from_secs(20));
    // Answer as a kitty-protocol terminal does: its flags, then the device attributes.
    app.send(b"\x1b[?0u\x1b[?62;22c");
    app.wait_for_output(PUSH, Duration::from_secs(10));
    app.wait_for("the prompt box", Duration::from_secs(10), |s| {
        s.contains("Prompt")
    });
    app.send(b"first line");
    app.send(&[0x07]); // Ctrl-G: $EDITOR (`true` leaves the text as it was)
    let start = std::time::Instant::now();
    while count(&app.raw_output(), PUSH) < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the flags were not pushed again after the editor"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let screen = app.wait_for("the screen drawn again", Duration::from_secs(10), |s| {
        s.contains("first line")
    });
    assert!(screen.contains("Prompt"), "{screen}");
    // Shift-Enter in the kitty protocol inserts a newline; it does not send (and pay).
    app.send(b"\x1b[13;2u");
    app.send(b"second line");
    let screen = app.wait_for("two lines in the editor", Duration::from_secs(10), |s| {
        s.contains("second line")
    });
    let first = screen.lines().position(|l| l.contains("│first line"));
    let second = screen.lines().position(|l| l.contains("│second line"));
    assert_eq!(
        second,
        first.map(|f| f + 1),
        "two lines in the editor:\n{screen}"
    );
    assert!(
        screen.contains("waiting for a prompt"),
        "nothing was sent:\n{screen}"
    );
}
