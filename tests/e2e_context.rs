//! End to end: a long conversation over one model's context, in the real binary (pseudo-
//! terminal, `--demo`). The footers show how full each context is; a prompt that does not fit
//! opens the overflow dialog, and each of its three choices does what it says against the
//! built-in simulator, which refuses a request over the context as OpenRouter does.

mod common;

use std::time::Duration;

use common::pty::App;
use common::saved::{sessions, wait_saved};
use switchboard::simulator::history::long_session;

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn the_overflow_dialog_trims_sends_anyway_or_starts_over() {
    let dirs = tempfile::tempdir().unwrap();
    let id = "20261203-140000-c0de";
    // About 150k tokens of history per pane: over sim/swift-mini's 128k context, within
    // sim/sage-large's 200k.
    let session = long_session(id, 1_200_000, &["sim/swift-mini", "sim/sage-large"]);
    let dir = dirs.path().join("data/switchboard/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    switchboard::storage::session::save(&dir, &session).unwrap();
    let mut app = App::start_in(
        dirs.path(),
        &["--demo", "--sim-delay-scale", "0", "--session", id],
        120,
        30,
    );
    let screen = app.wait_for("footers with their context fill", WAIT, |s| {
        s.contains("%!") && s.matches("ctx ~").count() >= 2
    });
    // What follows each `ctx `: one fill over 100% (marked), one within.
    let fills: Vec<&str> = screen
        .split("ctx ~")
        .skip(1)
        .map(|rest| rest.split(' ').next().unwrap_or(""))
        .collect();
    assert!(
        fills.iter().any(|f| f.ends_with("%!")) && fills.iter().any(|f| f.ends_with('%')),
        "one pane over, one within: {fills:?}"
    );

    // Send anyway: the whole history goes, and the provider's refusal is one clear line.
    app.send(b"what is left to compare?\r");
    let screen = app.wait_for("the overflow dialog", WAIT, |s| {
        s.contains("Prompt too long for the context")
    });
    assert!(screen.contains("1 of 2 requests"), "{screen}");
    assert!(
        screen.contains("sim/swift-mini") && screen.contains("trim leaves out"),
        "{screen}"
    );
    app.send(b"s");
    app.wait_for("the refusal, and the other pane's answer", WAIT, |s| {
        s.contains("prompt too long for sim/swift-mini") && s.matches("└ ✓").count() >= 1
    });

    // Trim: the oldest rounds stay out and the request fits (the simulator answers it).
    app.send(b"and which is fastest?\r");
    app.wait_for("the dialog again", WAIT, |s| {
        s.contains("Prompt too long for the context")
    });
    app.send(b"t");
    let screen = app.wait_for("both panes answered, one trimmed", WAIT, |s| {
        s.contains("left out of this request") && s.matches("└ ✓").count() >= 2
    });
    assert!(
        !screen.contains("prompt too long for sim/swift-mini"),
        "the trimmed request fit: {screen}"
    );

    // A new conversation: just this prompt, in a new session.
    app.send(b"start over: which sort is stable?\r");
    app.wait_for("the dialog a third time", WAIT, |s| {
        s.contains("Prompt too long for the context")
    });
    app.send(b"n");
    app.wait_for("a new session answered", WAIT, |s| {
        s.matches("└ ✓").count() >= 2 && !s.contains("%!")
    });
    // The new session holds just this round; the long one is kept as it was.
    wait_saved(dirs.path(), "the new session on disk", |saved| {
        saved.iter().any(|s| {
            s.rounds.len() == 1 && s.rounds[0].prompt == "start over: which sort is stable?"
        })
    });
    assert!(
        sessions(dirs.path())
            .iter()
            .any(|s| s.id == id && s.rounds.len() > 100),
        "the long session is kept"
    );
    app.send(b"\x11");
    app.wait_exit(Duration::from_secs(10));
}
