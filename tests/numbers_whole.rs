//! A property: at any size from 1x1 to 300x100, no number in a footer, the status bar or the
//! ratings table is drawn with digits missing. Known numbers are rendered, the screen is read
//! back, and any run of digits that is a strict prefix of one of them is a cut number.

mod common;

use common::screens::*;
use crossterm::event::{KeyCode, KeyModifiers};
use proptest::prelude::*;
use switchboard::state::{Msg, update};

/// Runs of the characters numbers are written with.
fn runs(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in line.chars() {
        if c.is_ascii_digit() || matches!(c, '.' | '$' | '/' | '–') {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The first number in `known` that `screen` shows cut, if any.
fn cut_number(screen: &str, known: &[&str]) -> Option<String> {
    for line in screen.lines() {
        for run in runs(line) {
            for n in known {
                if run.chars().count() >= 3 && n.starts_with(&run) && run != *n {
                    return Some(format!("{run:?} is a cut {n:?} in {line:?}"));
                }
            }
        }
    }
    None
}

/// What the scripted round and the leaderboard show, whole.
const KNOWN: [&str; 9] = [
    "$0.0000734",
    "14/180",
    "1088",
    "1012",
    "1040–1139",
    "964–1063",
    "$0.00136",
    "$0.0136",
    "$0.00101",
];

proptest! {
    #![proptest_config(common::proptest_cases(48))]

    #[test]
    fn numbers_are_drawn_whole_or_not_at_all(
        w in 1u16..=300,
        h in 1u16..=100,
        panes in 3usize..=8,
        ratings in any::<bool>(),
        scrolled in any::<bool>(),
    ) {
        let models = ["sim/swift-mini", "sim/sage-large", "sim/flaky", "sim/deep-thinker",
            "sim/swift-mini", "sim/sage-large", "sim/flaky", "sim/deep-thinker"];
        let mut s = state(&models[..panes], (w, h));
        scripted_round(&mut s);
        if scrolled {
            // A scrolled pane says so in its footer: it must not cut the footer's numbers.
            update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
            render(&mut s);
            update(&mut s, key(KeyCode::Char('k'), KeyModifiers::NONE));
        }
        if ratings {
            update(&mut s, key(KeyCode::F(2), KeyModifiers::NONE));
            update(&mut s, Msg::Stats(Box::new(board())));
        }
        let screen = render(&mut s);
        prop_assert!(cut_number(&screen, &KNOWN).is_none(), "{}\n{screen}", cut_number(&screen, &KNOWN).unwrap_or_default());
    }
}

#[test]
fn the_checker_finds_a_cut_number() {
    assert!(cut_number("│ 1 sim/sage-large  108│", &KNOWN).is_some());
    assert!(cut_number("└ ✓ · $0.00007 ┘", &KNOWN).is_some());
    assert!(cut_number("└ ✓ · $0.0000734 · 14/180 tok ┘", &KNOWN).is_none());
}
