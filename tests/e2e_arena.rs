//! End to end: a blind three-model shootout in the real binary (pseudo-terminal, `--demo`).
//! Every byte written before the vote is scanned for the models' ids, providers and served-by
//! names; the vote is cast while the answers stream, the round is revealed, the judge reads
//! it, and F2 ranks the models.

mod common;

use std::time::Duration;

use common::pty::{App, find};

const MODELS: [&str; 3] = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"];
/// What would say who is who: ids, their short names, the simulator's provider names.
const SECRETS: [&str; 9] = [
    "sim/swift-mini",
    "swift-mini",
    "sage-large",
    "deep-thinker",
    "Swift Mini",
    "SimCloud",
    "Vertex Sim",
    "Thinkworks",
    "sim/",
];

#[test]
fn a_blind_round_shows_no_model_until_the_vote_then_reveals_and_rates() {
    let dirs = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--demo",
        "--blind",
        "--judge",
        "sim/judge-fair",
        "--sim-delay-scale",
        "0.05",
    ];
    for m in MODELS {
        args.extend(["-m", m]);
    }
    let mut app = App::start_in(dirs.path(), &args, 120, 30);
    app.wait_for("the blind playground", Duration::from_secs(20), |s| {
        s.contains("Prompt") && s.contains("DEMO") && s.contains(" A (blind)")
    });
    // Slow enough to vote while all three stream.
    app.send(b"Compare two sorting algorithms !rate=20 !tokens=160 !ttft=0");
    app.send(b"\r");
    let screen = app.wait_for(
        "three blind panes streaming",
        Duration::from_secs(30),
        |s| s.matches("tok/s").count() >= 3 && s.contains(" C (blind)"),
    );
    assert!(
        screen.contains("session "),
        "the session total stays: {screen}"
    );
    assert!(
        screen
            .lines()
            .filter(|l| l.starts_with(['└', '┗']))
            .all(|l| !l.contains('$')),
        "no per-pane price: {screen}"
    );
    app.send(b"\t");
    let cut = app.raw_output().len();
    app.send(b"v");
    let screen = app.wait_for("the reveal", Duration::from_secs(20), |s| {
        s.contains("You picked")
    });
    let raw = app.raw_output();
    let before = &raw[..cut];
    for secret in SECRETS {
        assert!(
            find(before, secret.as_bytes()).is_none(),
            "{secret:?} was written before the vote"
        );
    }
    assert!(
        find(&raw, b"\x1b]0;").is_none() && find(&raw, b"\x1b]2;").is_none(),
        "no terminal title is ever set"
    );
    for m in MODELS {
        assert!(screen.contains(m), "{m} shown after the vote: {screen}");
    }
    assert!(
        screen.contains(" A "),
        "the letters stay beside the names: {screen}"
    );
    // The other two were stopped by the vote, and their exact cost came from /generation.
    app.wait_for(
        "two stopped panes priced exactly",
        Duration::from_secs(20),
        |s| {
            let footers: Vec<&str> = s.lines().filter(|l| l.starts_with(['└', '┗'])).collect();
            footers
                .iter()
                .map(|l| l.matches("⏹ ·").count())
                .sum::<usize>()
                == 2
                && footers.iter().all(|l| !l.contains("~$"))
        },
    );

    // The judge reads the round; its verdict shows in an overlay.
    app.wait_for("the chosen answer done", Duration::from_secs(60), |s| {
        s.contains('✓')
    });
    app.send(b"\x1bOS");
    let screen = app.wait_for("the verdict", Duration::from_secs(30), |s| {
        s.contains("The judge's verdict") && s.contains("sim/judge-fair: ")
    });
    assert!(
        screen.contains("reading 1: ") && screen.contains("reading 2: "),
        "{screen}"
    );
    app.send(b"\x1b");
    app.wait_for("the verdict closed", Duration::from_secs(10), |s| {
        !s.contains("The judge's verdict")
    });

    // F2: the personal leaderboard, provisional with one vote.
    app.send(b"\x1bOQ");
    let screen = app.wait_for("the ratings", Duration::from_secs(20), |s| {
        s.contains("Your ratings: 1 blind vote") && s.contains("few votes")
    });
    for m in MODELS {
        assert!(screen.contains(m), "{m} rated: {screen}");
    }
    assert!(screen.contains("judge sim/judge-fair"), "{screen}");
    app.send(b"\x1b");
    app.send(&[0x11]);
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
}
