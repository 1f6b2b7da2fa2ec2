//! A property: at any size from 1x1 to 300x100, no number in a footer, the status bar or the
//! ratings table is drawn with digits missing. Known numbers are rendered, the screen is read
//! back, and any run of digits that is a strict prefix of one of them is a cut number.

mod common;

use common::screens::*;
use crossterm::event::{KeyCode, KeyModifiers};
use proptest::prelude::*;
use switchboard::state::{Msg, update};

fn numeric(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | '$' | '/' | '–')
}

/// Where a cut shows: a line's edge, a border, or the `…` a cut leaves.
fn edge(c: Option<char>) -> bool {
    c.is_none_or(|c| "│┃┐┘┌└┓┛┏┗─━…".contains(c))
}

/// Runs of the characters numbers are written with, with the characters around them.
fn runs(line: &str) -> Vec<(Option<char>, String, Option<char>)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !numeric(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && numeric(chars[i]) {
            i += 1;
        }
        let before = start.checked_sub(1).map(|b| chars[b]);
        out.push((
            before,
            chars[start..i].iter().collect(),
            chars.get(i).copied(),
        ));
    }
    out
}

/// The first number in `known` that `screen` shows cut, if any: part of a known number (two
/// characters or more) that meets an edge (a border, the line's end, a `…`) on the side where
/// the rest is missing.
fn cut_number(screen: &str, known: &[&str]) -> Option<String> {
    for line in screen.lines() {
        // The test backend prints each row quoted, sometimes with a note after it.
        let line = match (line.find('"'), line.rfind('"')) {
            (Some(a), Some(b)) if b > a => &line[a + 1..b],
            _ => line,
        };
        for (before, run, after) in runs(line) {
            for n in known {
                let len = run.chars().count();
                if run == *n || len < 2 || !n.contains(run.as_str()) {
                    continue;
                }
                let right_cut = n.starts_with(&run) && edge(after);
                let left_cut = n.ends_with(&run) && edge(before);
                if right_cut || left_cut {
                    return Some(format!("{run:?} is a cut {n:?} in {line:?}"));
                }
            }
        }
    }
    None
}

/// What the scripted round and the leaderboard show, whole (numbers short enough to occur
/// inside others, such as a speed of 45, are left out: they would be false alarms).
const KNOWN: [&str; 10] = [
    "$0.0000734",
    "14/180",
    "143",
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
        overlay in 0u8..4,
        scrolled in any::<bool>(),
        typed in "[a-z ]{0,300}",
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
        let mut known: Vec<String> = KNOWN.iter().map(|k| k.to_string()).collect();
        if !typed.trim().is_empty() {
            // A prompt being typed: the status bar shows what it will cost.
            update(&mut s, key(KeyCode::Esc, KeyModifiers::NONE));
            update(&mut s, Msg::Paste(typed.clone()));
            known.push(s.prompt_estimate(&typed).0.display());
        }
        match overlay {
            1 => {
                update(&mut s, key(KeyCode::F(2), KeyModifiers::NONE));
                update(&mut s, Msg::Stats(Box::new(board())));
            }
            2 => {
                update(&mut s, key(KeyCode::Char('p'), KeyModifiers::CONTROL));
            }
            3 => {
                update(&mut s, key(KeyCode::F(1), KeyModifiers::NONE));
            }
            _ => {}
        }
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        let screen = render(&mut s);
        prop_assert!(cut_number(&screen, &known).is_none(), "{}\n{screen}", cut_number(&screen, &known).unwrap_or_default());
    }
}

#[test]
fn the_checker_finds_a_cut_number() {
    assert!(cut_number("│ 1 sim/sage-large  108│", &KNOWN).is_some());
    assert!(cut_number("└ ✓ · $0.00007┘", &KNOWN).is_some());
    assert!(cut_number("└ ✓ · $0.0000734 · 14/180 tok ┘", &KNOWN).is_none());
    assert!(
        cut_number("101  DEMO", &KNOWN).is_some(),
        "a cut on the left"
    );
    assert!(
        cut_number("└ ✓ · 14┘", &KNOWN).is_some(),
        "two digits of 143"
    );
    assert!(
        cut_number("└ ✓ · 14 of 30 ┘", &KNOWN).is_none(),
        "a 14 of its own"
    );
}
