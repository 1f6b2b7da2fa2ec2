//! The word diff overlay on a TestBackend, at 40 and 120 columns: inserted and deleted words
//! marked (`{+…+}`/`[-…-]` without colour, theme colours with it), while an answer streams,
//! and at the size cap.

mod common;

use std::time::Duration;

use common::screens::{key, render, send_prompt, state};
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::chat::{StreamEnd, StreamEvent};
use switchboard::state::{DiffWith, Msg, Overlay, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

/// Two panes answering with `a` and `b`; `done` says which have ended.
fn answered(size: (u16, u16), a: &str, b: &str, done: [bool; 2]) -> State {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"], size);
    let reqs = send_prompt(&mut s, "compare the sorts");
    for (i, (req, text)) in reqs.iter().zip([a, b]).enumerate() {
        stream(&mut s, *req, StreamEvent::Text(text.into()));
        if done[i] {
            stream(&mut s, *req, end());
        }
    }
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('d'), KeyModifiers::NONE));
    assert!(
        matches!(
            s.overlay,
            Some(Overlay::Diff {
                a: 0,
                b: DiffWith::Pane(1),
                ..
            })
        ),
        "{:?}",
        s.overlay
    );
    s
}

/// Applies a stream event of request `req`.
fn stream(s: &mut State, req: u64, event: StreamEvent) {
    let at = Duration::from_millis(200);
    update(s, Msg::Stream { req, event, at });
}

fn end() -> StreamEvent {
    StreamEvent::End(StreamEnd::Complete {
        finish_reason: Some("stop".into()),
    })
}

/// Frames drawn one after another on one terminal, with the caches the caller keeps: what
/// the runtime does, so a test sees what a cache keeps between frames.
struct Frames(Terminal<TestBackend>);

impl Frames {
    fn new() -> Frames {
        Frames(Terminal::new(TestBackend::new(120, 30)).unwrap())
    }

    fn draw(&mut self, s: &State, cache: &mut ViewCache) -> String {
        let theme = Theme::no_color();
        self.0
            .draw(|f| {
                draw(f, s, cache, &theme);
            })
            .unwrap();
        format!("{}", self.0.backend())
    }
}

const A: &str = "Merge sort is stable.\n\n```rust\nlet x = 1;\n```\n";
const B: &str = "Merge sort is always stable.\n\n```rust\nlet x = 2;\n```\n";

#[test]
fn inserted_and_deleted_words_are_marked_at_40_and_120_columns() {
    for size in [(40, 24), (120, 30)] {
        let mut s = answered(size, A, B, [true, true]);
        let screen = render(&mut s);
        assert!(screen.contains("is {+always+} stable"), "{screen}");
        assert!(screen.contains("[-let x = 1;-]"), "code by lines: {screen}");
        assert!(screen.contains("{+let x = 2;+}"), "{screen}");
        assert!(screen.contains("only in 2"), "{screen}");
        assert!(!screen.contains("streaming"), "{screen}");
    }
}

#[test]
fn with_colour_the_theme_marks_them_instead_of_brackets() {
    let s = answered((120, 30), A, B, [true, true]);
    let theme = Theme::dark();
    let mut term = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let mut cache = ViewCache::default();
    term.draw(|f| {
        draw(f, &s, &mut cache, &theme);
    })
    .unwrap();
    let buffer = term.backend().buffer().clone();
    let screen = format!("{}", term.backend());
    assert!(screen.contains("is always stable"), "{screen}");
    assert!(!screen.contains("{+"), "{screen}");
    // The cells of "always" carry the added style, those of "stable" the text's.
    let (row, col) = screen
        .lines()
        .enumerate()
        .find_map(|(r, l)| {
            l.find("always stable")
                .map(|c| (r, l[..c].chars().count() - 1))
        })
        .unwrap();
    let cell = |x: usize| buffer[(x as u16, row as u16)].style();
    assert_eq!(cell(col).fg, theme.diff_added.fg);
    assert_ne!(
        cell(col + 7).fg,
        theme.diff_added.fg,
        "shared words are not marked"
    );
}

#[test]
fn a_streaming_answer_is_diffed_as_far_as_it_has_arrived() {
    let mut s = answered((120, 30), A, "Merge sort", [true, false]);
    let screen = render(&mut s);
    assert!(
        screen.contains("2 sim/sage-large still streaming"),
        "{screen}"
    );
    assert!(screen.contains("Merge sort [-is stable.-]"), "{screen}");
    // With two panes, Tab keeps the same pair; Esc closes.
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    assert!(matches!(
        s.overlay,
        Some(Overlay::Diff {
            a: 0,
            b: DiffWith::Pane(1),
            ..
        })
    ));
    update(&mut s, key(KeyCode::Esc, KeyModifiers::NONE));
    assert!(s.overlay.is_none());
}

#[test]
fn more_text_arriving_shows_in_the_next_diff() {
    let mut s = answered((120, 30), A, "Merge sort", [true, false]);
    let mut frames = Frames::new();
    let mut cache = ViewCache::default();
    let mut frame = |s: &State, cache: &mut ViewCache| frames.draw(s, cache);
    assert!(!frame(&s, &mut cache).contains("rocks"));
    let req = s.panes[1].req;
    let more = format!(" rocks{}", " and more".repeat(100));
    stream(&mut s, req, StreamEvent::Text(more));
    let screen = frame(&s, &mut cache);
    assert!(
        screen.contains("rocks and more"),
        "grown by 900 bytes: diffed again\n{screen}"
    );
    stream(&mut s, req, StreamEvent::Text("!".into()));
    stream(&mut s, req, end());
    assert!(
        frame(&s, &mut cache).contains("more!+}"),
        "an ended answer is diffed whole"
    );
}

#[test]
fn a_pane_without_an_answer_to_this_prompt_says_so() {
    let mut s = answered((120, 30), A, B, [true, true]);
    update(&mut s, key(KeyCode::Esc, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Esc, KeyModifiers::NONE));
    // A prompt to the first pane alone: the second has no answer to it.
    update(&mut s, Msg::Paste("only you".into()));
    update(&mut s, key(KeyCode::Char('s'), KeyModifiers::CONTROL));
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('d'), KeyModifiers::NONE));
    let screen = render(&mut s);
    assert!(screen.contains("has no answer to this prompt"), "{screen}");
    assert!(
        !screen.contains("always"),
        "the older answer is not compared: {screen}"
    );
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

#[test]
fn a_blind_round_names_panes_by_letter_only() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"], (120, 30));
    s.blind = true;
    update(&mut s, Msg::Paste("compare the sorts".into()));
    update(&mut s, key(KeyCode::Enter, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('d'), KeyModifiers::NONE));
    let screen = render(&mut s);
    assert!(screen.contains("Diff: A → B"), "{screen}");
    assert!(!screen.contains("sim/"), "{screen}");
}

#[test]
fn a_few_more_bytes_keep_the_diff_until_the_answer_grows_or_ends() {
    let mut s = answered((120, 30), A, "Merge sort", [true, false]);
    let mut frames = Frames::new();
    let mut cache = ViewCache::default();
    let mut frame = |s: &State, cache: &mut ViewCache| frames.draw(s, cache);
    frame(&s, &mut cache);
    let req = s.panes[1].req;
    stream(&mut s, req, StreamEvent::Text(" zebra".into()));
    assert!(
        !frame(&s, &mut cache).contains("zebra"),
        "6 bytes: the last diff stays"
    );
    stream(&mut s, req, end());
    assert!(
        frame(&s, &mut cache).contains("zebra"),
        "ended: diffed whole"
    );
}

#[test]
fn a_stalled_stream_shows_its_last_words_after_a_second() {
    let mut s = answered((120, 30), A, "Merge sort", [true, false]);
    let mut frames = Frames::new();
    let mut cache = ViewCache::default();
    frames.draw(&s, &mut cache);
    let req = s.panes[1].req;
    stream(&mut s, req, StreamEvent::Text(" zebra".into()));
    let now = s.now;
    update(&mut s, Msg::Tick(now + Duration::from_millis(900)));
    assert!(!frames.draw(&s, &mut cache).contains("zebra"));
    update(&mut s, Msg::Tick(now + Duration::from_millis(1100)));
    assert!(
        frames.draw(&s, &mut cache).contains("zebra"),
        "still streaming, but a second since the last diff"
    );
}

#[test]
fn a_retried_answer_is_compared_with_the_adopted_one_it_replaced() {
    let mut s = state(&["sim/swift-mini"], (120, 30));
    update(&mut s, Msg::Paste("compare the sorts".into()));
    update(&mut s, key(KeyCode::Enter, KeyModifiers::NONE));
    let first = s.panes[0].req;
    stream(&mut s, first, StreamEvent::Text(A.into()));
    stream(&mut s, first, end());
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    // One pane and nothing adopted: nothing to compare with, and it says what would be.
    update(&mut s, key(KeyCode::Char('d'), KeyModifiers::NONE));
    assert!(s.overlay.is_none());
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("adopt one and retry"), "{notice}");
    update(&mut s, key(KeyCode::Char('a'), KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('r'), KeyModifiers::NONE));
    let second = s.panes[0].req;
    assert_ne!(first, second, "retried");
    stream(&mut s, second, StreamEvent::Text(B.into()));
    update(&mut s, key(KeyCode::Char('d'), KeyModifiers::NONE));
    assert!(
        matches!(
            s.overlay,
            Some(Overlay::Diff {
                a: 0,
                b: DiffWith::Adopted,
                ..
            })
        ),
        "{:?}",
        s.overlay
    );
    let screen = render(&mut s);
    assert!(
        screen.contains("★ adopted 1 sim/swift-mini (replaced by a retry)"),
        "{screen}"
    );
    assert!(screen.contains("is [-always-] stable"), "{screen}");
    assert!(screen.contains("still streaming"), "{screen}");
}
