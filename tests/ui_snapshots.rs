//! Widget snapshots: the state after a scripted round, drawn on a `TestBackend` at 80x24 and
//! 160x48, plus the overlays and the narrow stack layout.

mod common;

use std::time::Duration;

use common::screens::*;
use crossterm::event::{KeyCode, KeyModifiers};
use switchboard::chat::StreamEvent;
use switchboard::state::{Init, Msg, State, update};

#[test]
fn round_at_80x24() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/flaky"], (80, 24));
    scripted_round(&mut s);
    let screen = render(&mut s);
    assert!(screen.contains("$0.0000734"), "exact cost shown");
    assert!(
        screen.contains("→ sim/sage-large-2026"),
        "the model that served is never silent"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn round_at_160x48() {
    let mut s = state(
        &["sim/swift-mini", "sim/sage-large", "sim/flaky"],
        (160, 48),
    );
    scripted_round(&mut s);
    let screen = render(&mut s);
    assert!(screen.contains("~$"), "estimated cost while streaming");
    assert!(screen.contains("provider error 502"));
    insta::assert_snapshot!(screen);
}

#[test]
fn eight_panes_stack_at_80x24() {
    let models = ["sim/swift-mini"; 8];
    let mut s = state(&models, (80, 24));
    scripted_round(&mut s);
    insta::assert_snapshot!(render(&mut s));
}

#[test]
fn zoomed_pane() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/flaky"], (80, 24));
    scripted_round(&mut s);
    update(&mut s, key(KeyCode::Char('z'), KeyModifiers::CONTROL));
    insta::assert_snapshot!(render(&mut s));
}

#[test]
fn picker_overlay() {
    let mut s = state(&["sim/swift-mini", "sim/deep-thinker"], (100, 30));
    update(&mut s, key(KeyCode::Char('p'), KeyModifiers::CONTROL));
    insta::assert_snapshot!(render(&mut s));
    for c in "sage".chars() {
        update(&mut s, key(KeyCode::Char(c), KeyModifiers::NONE));
    }
    let screen = render(&mut s);
    assert!(screen.contains("sim/sage-large") && screen.contains("$15.00"));
    assert!(!screen.contains("sim/slowpoke"));
}

#[test]
fn help_overlay_lists_every_binding() {
    let mut s = state(&["sim/swift-mini"], (100, 160));
    update(&mut s, key(KeyCode::F(1), KeyModifiers::NONE));
    let screen = render(&mut s);
    for b in &s.keymap.bindings {
        if b.scope != switchboard::state::keymap::Scope::Help {
            assert!(screen.contains(b.help), "help lists {:?}", b.help);
        }
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn welcome_screen() {
    let mut s = State::new(Init {
        welcome: true,
        size: (100, 24),
        ..Init::default()
    });
    let screen = render(&mut s);
    assert!(
        screen.contains("OPENROUTER_API_KEY")
            && screen.contains("--base-url")
            && screen.contains("demo")
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (20, 5), (40, 10), (80, 3)] {
        let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/flaky"], (w, h));
        scripted_round(&mut s);
        render(&mut s);
        update(&mut s, key(KeyCode::Char('p'), KeyModifiers::CONTROL));
        render(&mut s);
    }
}

#[test]
fn model_output_cannot_reach_the_terminal_as_escapes() {
    let mut s = state(&["sim/swift-mini"], (80, 24));
    update(&mut s, Msg::Paste("hi".into()));
    update(&mut s, key(KeyCode::Enter, KeyModifiers::NONE));
    let req = s.panes[0].req;
    let evil = "ok \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[2J\u{1b}]0;title\u{7} done";
    update(
        &mut s,
        Msg::Stream {
            req,
            event: StreamEvent::Text(evil.into()),
            at: Duration::from_millis(5),
        },
    );
    let screen = render(&mut s);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    assert!(screen.contains("␛]52;c;ZXZpbA==␇"), "{screen}");
}
