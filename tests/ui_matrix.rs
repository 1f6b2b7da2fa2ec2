//! Every screen and overlay at 20x6, 40x12, 80x24, 100x30 and 200x50, snapshotted without
//! colour; with colour each draws the same text (colour never moves the layout), so the
//! snapshots guard both. Each snapshot was read by eye once.

mod common;

use common::screens::*;
use crossterm::event::{KeyCode, KeyModifiers};
use switchboard::cost::Usd;
use switchboard::state::{Msg, State, update};
use switchboard::storage::index::{Entry, Summary};
use switchboard::storage::votes::{JudgeRun, Judgement, Verdict};
use switchboard::theme::Theme;

const SIZES: [(u16, u16); 5] = [(20, 6), (40, 12), (80, 24), (100, 30), (200, 50)];
const MODELS: [&str; 3] = ["sim/swift-mini", "sim/sage-large", "sim/flaky"];

fn summary(id: &str, title: &str, rounds: usize) -> Entry {
    Entry::Session(Summary {
        id: id.into(),
        title: title.into(),
        created_ms: 1_795_805_172_000,
        updated_ms: 1_795_805_172_000,
        models: vec!["sim/swift-mini".into(), "sim/sage-large".into()],
        rounds,
        cost: Usd::parse("0.0123").unwrap(),
        estimated: false,
        unpriced: 0,
        prompts: String::new(),
        stats: Vec::new(),
        votes: Vec::new(),
    })
}

fn judged(s: &mut State) {
    let run = |order: [&str; 3], pick: &str| JudgeRun {
        order: order.iter().map(|m| m.to_string()).collect(),
        verdict: Verdict::Best,
        pick: Some(pick.into()),
        reason: "It answers the question and shows the trade-off with a worked example.".into(),
        status: switchboard::chat::AnswerStatus::Complete,
        answered: true,
        usage: None,
        cost: None,
        generation_id: None,
    };
    let models = MODELS.map(String::from).to_vec();
    s.session.rounds[0].judgements.push(Judgement {
        judge: "sim/judge-fair".into(),
        verdict: Verdict::Best,
        best: Some("sim/sage-large".into()),
        models,
        runs: vec![
            run(MODELS, "sim/sage-large"),
            run([MODELS[2], MODELS[1], MODELS[0]], "sim/sage-large"),
        ],
        at_ms: 0,
    });
}

/// The state showing `screen` at `size`.
fn screen(name: &str, size: (u16, u16)) -> State {
    let mut s = state(&MODELS, size);
    scripted_round(&mut s);
    let ctrl = |c| key(KeyCode::Char(c), KeyModifiers::CONTROL);
    match name {
        "panes" => {
            update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
            update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
        }
        "picker" => {
            update(&mut s, ctrl('p'));
        }
        "help" => {
            update(&mut s, key(KeyCode::F(1), KeyModifiers::NONE));
        }
        "params" => {
            update(&mut s, ctrl('t'));
        }
        "sessions" | "sessions_confirm" => {
            update(&mut s, ctrl('o'));
            update(
                &mut s,
                Msg::SessionList(vec![
                    summary("20261203-101010-abcd", "Compare quicksort and mergesort", 1),
                    summary(
                        "20261202-090909-0123",
                        "A much longer title about CRDTs",
                        12,
                    ),
                    Entry::Unreadable {
                        file: "broken.json".into(),
                        reason: "not a session file: expected value at line 1".into(),
                    },
                ]),
            );
            if name == "sessions_confirm" {
                update(&mut s, key(KeyCode::Down, KeyModifiers::NONE));
                update(&mut s, ctrl('d'));
            }
        }
        "ratings" => {
            update(&mut s, key(KeyCode::F(2), KeyModifiers::NONE));
            update(&mut s, Msg::Stats(Box::new(board())));
        }
        "rounds" => {
            update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
            update(&mut s, key(KeyCode::Char('e'), KeyModifiers::NONE));
        }
        "zoom" => {
            update(&mut s, ctrl('z'));
        }
        "welcome" => {
            return State::new(switchboard::state::Init {
                welcome: true,
                size,
                ..switchboard::state::Init::default()
            });
        }
        "verdict" => {
            judged(&mut s);
            update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
            update(&mut s, key(KeyCode::F(4), KeyModifiers::NONE));
        }
        other => panic!("no screen {other}"),
    }
    s
}

const SCREENS: [&str; 11] = [
    "welcome",
    "panes",
    "zoom",
    "rounds",
    "picker",
    "help",
    "params",
    "sessions",
    "sessions_confirm",
    "ratings",
    "verdict",
];

#[test]
fn every_screen_at_every_size() {
    for name in SCREENS {
        for size in SIZES {
            let mut s = screen(name, size);
            let plain = render(&mut s);
            let mut c = screen(name, size);
            let coloured = render_with(&mut c, &Theme::dark());
            assert_eq!(
                plain, coloured,
                "{name} at {size:?}: colour moved the layout"
            );
            insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), plain);
        }
    }
}

#[test]
fn focus_shows_without_colour() {
    let mut s = screen("panes", (100, 30));
    let before = render(&mut s);
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    let after = render(&mut s);
    assert_ne!(
        before, after,
        "Tab from pane 2 to pane 3 changes the screen"
    );
    let heavy = |screen: &str| {
        screen
            .lines()
            .next()
            .unwrap()
            .char_indices()
            .find(|(_, c)| *c == '┏')
            .map(|(i, _)| i)
    };
    assert!(
        heavy(&after) > heavy(&before),
        "the heavy border moved right"
    );
}

#[test]
fn the_status_bar_keeps_money_and_mode_before_messages() {
    let mut s = screen("panes", (100, 30));
    update(
        &mut s,
        Msg::KeyInfo(Ok(switchboard::chat::KeyInfo {
            label: None,
            limit: None,
            remaining: Usd::parse("10").ok(),
            usage: None,
        })),
    );
    update(&mut s, key(KeyCode::Esc, KeyModifiers::NONE));
    let screen = render(&mut s);
    let status = screen.lines().nth(28).unwrap();
    assert!(
        status.contains("credit $10.00 left") && status.contains("DEMO"),
        "{status}"
    );
    assert!(
        status.contains('…') || status.contains("streaming"),
        "the message gives way: {status}"
    );
}
