//! Panes scrolled together (`l`): the pane scrolled leads, the others move to the same
//! relative place and, where their answers share the heading above the leader's window,
//! line up under that heading.

mod common;

use std::time::Duration;

use common::screens::{key, send_prompt, state};
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::chat::{StreamEnd, StreamEvent};
use switchboard::state::{Msg, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

/// The app's frames: one terminal and one cache kept between them, each frame's extents
/// given back to the state (as the runtime does).
struct Screen {
    term: Terminal<TestBackend>,
    cache: ViewCache,
}

impl Screen {
    fn new(s: &State) -> Screen {
        let term = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
        Screen {
            term,
            cache: ViewCache::default(),
        }
    }

    fn frame(&mut self, s: &mut State) -> String {
        let theme = Theme::no_color();
        let mut views = Default::default();
        self.term
            .draw(|f| views = draw(f, s, &mut self.cache, &theme))
            .unwrap();
        update(s, Msg::Viewports(views));
        format!("{}", self.term.backend())
    }
}

/// Both answers have `# Intro`, a list (30 items in the first, 5 in the second), then
/// `## Details` with the same twenty paragraphs, then a different length of tail.
fn answers() -> [String; 2] {
    let list = |n: usize, tag: &str| (1..=n).map(|i| format!("- {tag}{i}\n")).collect::<String>();
    let details: String = (1..=20).map(|i| format!("detail {i}\n\n")).collect();
    [
        format!(
            "# Intro\n\n{}\n## Details\n\n{details}## End\n\n{}",
            list(30, "a"),
            list(3, "x")
        ),
        format!(
            "# Intro\n\n{}\n## Details\n\n{details}## End\n\n{}",
            list(5, "b"),
            list(40, "y")
        ),
    ]
}

/// Request `req` answers `text` whole and ends.
fn answer(s: &mut State, req: u64, text: String) {
    let at = Duration::from_millis(300);
    let event = StreamEvent::Text(text);
    update(s, Msg::Stream { req, event, at });
    let event = StreamEvent::End(StreamEnd::Complete {
        finish_reason: Some("stop".into()),
    });
    update(s, Msg::Stream { req, event, at });
}

/// The first frame, drawn with the first pane focused.
fn focused_first(mut s: State) -> (State, Screen) {
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    let mut screen = Screen::new(&s);
    screen.frame(&mut s);
    (s, screen)
}

fn two_panes(size: (u16, u16)) -> (State, Screen) {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"], size);
    let reqs = send_prompt(&mut s, "explain");
    for (req, text) in reqs.into_iter().zip(answers()) {
        answer(&mut s, req, text);
    }
    focused_first(s)
}

/// Text row `n` (0 is the first) of each pane, left and right half, without borders.
fn row(screen: &str, width: usize, n: usize) -> (String, String) {
    let row: Vec<char> = screen
        .lines()
        .nth(1 + n)
        .unwrap()
        .trim_matches('"')
        .chars()
        .collect();
    let half = width / 2;
    let clean = |cells: &[char]| {
        cells
            .iter()
            .collect::<String>()
            .trim_matches(|c: char| "│┃ ".contains(c))
            .to_string()
    };
    (clean(&row[..half]), clean(&row[half..]))
}

/// Text row `n` of pane `i` of `panes` side by side, without borders.
fn pane_row(screen: &str, (panes, width): (usize, usize), i: usize, n: usize) -> String {
    let row: Vec<char> = screen
        .lines()
        .nth(1 + n)
        .unwrap()
        .trim_matches('"')
        .chars()
        .collect();
    let w = width / panes;
    row[i * w..(i + 1) * w]
        .iter()
        .collect::<String>()
        .trim_matches(|c: char| "│┃ ".contains(c))
        .to_string()
}

fn top_rows(screen: &str, width: usize) -> (String, String) {
    row(screen, width, 0)
}

/// Presses `c` `times` times, a frame after each (as a user's keys come), and returns the
/// last frame.
fn press((s, screen): &mut (State, Screen), c: char, times: usize) -> String {
    let mut last = String::new();
    for _ in 0..times {
        update(s, key(KeyCode::Char(c), KeyModifiers::NONE));
        last = screen.frame(s);
    }
    last
}

#[test]
fn panes_line_up_under_the_heading_they_share() {
    let mut s = two_panes((120, 30));
    press(&mut s, 'l', 1);
    assert!(s.0.sync.on);
    press(&mut s, 'g', 1);
    // Into the Details section of the first answer, 30 list items down.
    for step in [40, 3, 5, 1] {
        let screen = press(&mut s, 'j', step);
        let rows: Vec<_> = (0..8).map(|n| row(&screen, 120, n)).collect();
        assert!(
            rows.iter().any(|(l, _)| l.starts_with("detail")),
            "{screen}"
        );
        for (left, right) in rows {
            assert_eq!(left, right, "the same place under `Details`:\n{screen}");
        }
    }
    let screen = s.1.frame(&mut s.0);
    assert!(screen.contains("TOGETHER"), "the mode shows: {screen}");
}

#[test]
fn a_few_lines_under_intro_both_panes_are_in_their_lists() {
    let mut s = two_panes((120, 30));
    press(&mut s, 'l', 1);
    press(&mut s, 'g', 1);
    let screen = press(&mut s, 'j', 3);
    // Under `Intro`, which both answers have: the lists, each at the same distance below it.
    let (left, right) = top_rows(&screen, 120);
    assert!(
        left.starts_with("• a") || left.starts_with("- a"),
        "{screen}"
    );
    assert!(!right.starts_with("detail"), "{screen}");
    // G in the leader takes every pane to its tail, following it.
    press(&mut s, 'G', 1);
    assert!(s.0.panes.iter().all(|p| p.scroll.follow));
    // Off, the panes scroll each on its own.
    press(&mut s, 'l', 1);
    let before = s.0.panes[1].scroll;
    press(&mut s, 'k', 5);
    assert_eq!(s.0.panes[1].scroll, before);
    assert!(!s.0.panes[0].scroll.follow);
}

/// Four panes, three rounds: the first pane's first answer and the second pane's last one
/// are long, every other answer short.
fn four_panes_three_rounds() -> (State, Screen) {
    let models = [
        "sim/swift-mini",
        "sim/sage-large",
        "sim/deep-thinker",
        "sim/slowpoke",
    ];
    let mut s = state(&models, (160, 40));
    for round in 0..3 {
        let reqs = send_prompt(&mut s, &format!("question {round}"));
        for (pane, req) in reqs.into_iter().enumerate() {
            let long = (round, pane) == (0, 0) || (round, pane) == (2, 1);
            let paras = if long { 300 } else { 3 };
            let text: String = (0..paras)
                .map(|i| format!("r{round} p{pane} para {i}\n\n"))
                .collect();
            answer(&mut s, req, text);
        }
    }
    focused_first(s)
}

#[test]
fn four_panes_stay_in_the_same_round_whatever_came_before() {
    let mut s = four_panes_three_rounds();
    press(&mut s, 'l', 1);
    press(&mut s, 'g', 1);
    for step in 0..12 {
        update(&mut s.0, key(KeyCode::PageDown, KeyModifiers::NONE));
        let screen = s.1.frame(&mut s.0);
        let (left, right) = (
            pane_row(&screen, (4, 160), 0, 0),
            pane_row(&screen, (4, 160), 1, 0),
        );
        // The leader goes deep into its long first answer...
        if step > 0 {
            assert!(
                left.starts_with("r0 p0 para") || left.is_empty(),
                "{screen}"
            );
        }
        // ...and the second pane, whose first answer is short, stays at that answer's
        // round, not in the long last answer a share of its whole transcript lands in.
        let in_round_0 = right.is_empty() || right == "› question 0" || right.starts_with("r0 p1");
        assert!(in_round_0, "step {step}: {right:?}\n{screen}");
    }
}
