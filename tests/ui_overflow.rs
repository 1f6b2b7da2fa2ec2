//! The context overflow dialog on a TestBackend: at 80x24 and 40x12, with one pane over and
//! with eight, its choices always show, no figure is cut, and panes that do not fit are
//! counted.

mod common;

use common::screens::{catalog, key, render, state};
use crossterm::event::{KeyCode, KeyModifiers};
use switchboard::state::{Msg, Overlay, State, update};

/// `models` panes over a 2,000-token context: a 12,000-character prompt does not fit.
fn over(models: &[&str], size: (u16, u16)) -> State {
    let mut s = state(models, size);
    let mut c = catalog();
    for m in &mut c.models {
        m.context_length = Some(2000);
    }
    s.catalog = Some(c);
    update(&mut s, Msg::Paste("a".repeat(12_000)));
    update(&mut s, key(KeyCode::Enter, KeyModifiers::NONE));
    assert!(matches!(s.overlay, Some(Overlay::Overflow(_))));
    s
}

fn check(screen: &str, panes: usize) {
    for choice in [
        "trim: leave out",
        "send anyway",
        "new conversation",
        "back to the prompt",
    ] {
        let shown = screen.contains(choice) || screen.contains(&choice[..choice.len().min(12)]);
        assert!(shown, "{choice:?} missing:\n{screen}");
    }
    // 3,007 tokens of 2,000: 151%.
    assert!(screen.contains("151% ~3,007 of 2,000 tokens"), "{screen}");
    assert!(
        screen.contains(&format!("{panes} of {panes} request")),
        "{screen}"
    );
}

#[test]
fn one_pane_over_at_80x24_and_40x12() {
    for size in [(80, 24), (40, 12)] {
        let mut s = over(&["sim/swift-mini"], size);
        let screen = render(&mut s);
        check(&screen, 1);
        assert!(
            screen.contains("trim leaves out all 0 rounds") || screen.contains("too long"),
            "{screen}"
        );
    }
}

#[test]
fn eight_panes_over_keep_the_choices_in_sight_and_count_the_rest() {
    let models = ["sim/swift-mini"; 8];
    let mut s = over(&models, (80, 24));
    let screen = render(&mut s);
    check(&screen, 8);
    assert!(
        screen.contains(" 8 151%"),
        "all eight by their figures: {screen}"
    );
    let mut s = over(&models, (40, 12));
    let screen = render(&mut s);
    check(&screen, 8);
    assert!(screen.contains("more over their context"), "{screen}");
}
