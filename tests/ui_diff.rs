//! The word diff overlay on a TestBackend, at 40 and 120 columns: inserted and deleted words
//! marked (`{+…+}`/`[-…-]` without colour, theme colours with it), while an answer streams,
//! and at the size cap.

mod common;

use std::time::Duration;

use common::screens::{key, render, render_with, state};
use crossterm::event::{KeyCode, KeyModifiers};
use switchboard::chat::{StreamEnd, StreamEvent};
use switchboard::state::{Effect, Msg, Overlay, State, update};
use switchboard::theme::Theme;

/// Two panes answering with `a` and `b`; `done` says which have ended.
fn answered(size: (u16, u16), a: &str, b: &str, done: [bool; 2]) -> State {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"], size);
    update(&mut s, Msg::Paste("compare the sorts".into()));
    let fx = update(&mut s, key(KeyCode::Enter, KeyModifiers::NONE));
    let reqs: Vec<u64> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::StartStream { req, .. } => Some(*req),
            _ => None,
        })
        .collect();
    for (i, (req, text)) in reqs.iter().zip([a, b]).enumerate() {
        let at = Duration::from_millis(100);
        update(
            &mut s,
            Msg::Stream {
                req: *req,
                event: StreamEvent::Text(text.into()),
                at,
            },
        );
        if done[i] {
            let end = StreamEvent::End(StreamEnd::Complete {
                finish_reason: Some("stop".into()),
            });
            update(
                &mut s,
                Msg::Stream {
                    req: *req,
                    event: end,
                    at,
                },
            );
        }
    }
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('d'), KeyModifiers::NONE));
    assert!(
        matches!(s.overlay, Some(Overlay::Diff { a: 0, b: 1, .. })),
        "{:?}",
        s.overlay
    );
    s
}

const A: &str = "Merge sort is stable.\n\n```rust\nlet x = 1;\n```\n";
const B: &str = "Merge sort is always stable.\n\n```rust\nlet x = 2;\n```\n";

#[test]
fn inserted_and_deleted_words_are_marked_at_40_and_120_columns() {
    for size in [(40, 24), (120, 30)] {
        let mut s = answered(size, A, B, [true, true]);
        let screen = render(&mut s);
        assert!(screen.contains("is {+always +}stable"), "{screen}");
        assert!(screen.contains("[-let x = 1;"), "code by lines: {screen}");
        assert!(screen.contains("{+let x = 2;"), "{screen}");
        assert!(screen.contains("only in 2"), "{screen}");
        assert!(!screen.contains("streaming"), "{screen}");
    }
}

#[test]
fn with_colour_the_theme_marks_them_instead_of_brackets() {
    let mut s = answered((120, 30), A, B, [true, true]);
    let theme = Theme::dark();
    let screen = render_with(&mut s, &theme);
    assert!(screen.contains("is always stable"), "{screen}");
    assert!(!screen.contains("{+"), "{screen}");
}

#[test]
fn a_streaming_answer_is_diffed_as_far_as_it_has_arrived() {
    let mut s = answered((120, 30), A, "Merge sort", [true, false]);
    let screen = render(&mut s);
    assert!(screen.contains("streaming: what has arrived"), "{screen}");
    assert!(screen.contains("Merge sort"), "{screen}");
    // Tab moves on to another pane; with two, back to the same one.
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    assert!(matches!(s.overlay, Some(Overlay::Diff { a: 0, b: 1, .. })));
    update(&mut s, key(KeyCode::Esc, KeyModifiers::NONE));
    assert!(s.overlay.is_none());
}

#[test]
fn long_answers_are_compared_up_to_the_cap_and_say_so() {
    let long_a = "word ".repeat(20_000);
    let long_b = format!("{}different", "word ".repeat(20_000));
    let mut s = answered((120, 30), &long_a, &long_b, [true, true]);
    let screen = render(&mut s);
    assert!(
        screen.contains("the first 32 KB of each compared"),
        "{screen}"
    );
}
