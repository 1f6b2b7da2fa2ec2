//! Scrolling a long conversation that is laid out a few turns at a time: as the frames measure
//! turns whose heights were only estimated, the text on screen never jumps; every scroll moves
//! it by exactly the lines asked for, and the ends are the first and the last turn.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::simulator::history::long_session;
use switchboard::state::{Init, Msg, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

const MODELS: [&str; 3] = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"];

struct Screen {
    s: State,
    term: Terminal<TestBackend>,
    cache: ViewCache,
    theme: Theme,
}

impl Screen {
    fn open(bytes: usize) -> Screen {
        let session = long_session("20261203-120000-abcd", bytes, &MODELS);
        let s = State::new(Init {
            size: (120, 40),
            resume: Some(session),
            ..Init::default()
        });
        let mut screen = Screen {
            s,
            term: Terminal::new(TestBackend::new(120, 40)).unwrap(),
            cache: ViewCache::default(),
            theme: Theme::no_color(),
        };
        screen.frame();
        // The first pane takes the keys.
        screen.key(KeyCode::Tab);
        screen
    }

    /// Draws a frame, hands its viewports back to the state (as the runtime does), and
    /// returns the rows inside the first pane's border.
    fn frame(&mut self) -> Vec<String> {
        let mut views = Default::default();
        let (s, cache, theme) = (&self.s, &mut self.cache, &self.theme);
        let a = s.layout().panes[0];
        // The frame as drawn, not the backend's copy: that one keeps stale cells beside wide
        // characters, which a diff never writes.
        let done = self
            .term
            .draw(|f| views = draw(f, s, cache, theme))
            .unwrap();
        let rows = (a.y + 1..a.y + a.h - 1)
            .map(|y| {
                (a.x + 1..a.x + a.w - 1)
                    .map(|x| done.buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect();
        update(&mut self.s, Msg::Viewports(views));
        rows
    }

    fn key(&mut self, code: KeyCode) {
        update(
            &mut self.s,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
    }

    /// Presses `code` and checks that the new frame shows the last one's rows moved by `by`
    /// (up when positive: scrolling down).
    fn scroll(&mut self, code: KeyCode, before: &[String], by: isize) -> Vec<String> {
        self.key(code);
        let after = self.frame();
        let n = before.len();
        let shift = by.unsigned_abs();
        assert!(shift < n, "a scroll of {by} keeps rows in common");
        let (kept_before, kept_after) = if by > 0 {
            (&before[shift..], &after[..n - shift])
        } else {
            (&before[..n - shift], &after[shift..])
        };
        assert_eq!(
            kept_after, kept_before,
            "{code:?} moved the text by {by} rows and nothing else (top now {})",
            self.s.panes[0].scroll.top
        );
        after
    }

    fn page(&self) -> isize {
        self.s.panes[0].height.saturating_sub(1).max(1) as isize
    }
}

/// The number of the first `question N:` prompt in `rows`.
fn question(rows: &[String]) -> Option<usize> {
    rows.iter().find_map(|r| {
        let at = r.find("› question ")? + "› question ".len();
        r[at..].split(':').next()?.parse().ok()
    })
}

#[test]
fn scrolling_through_five_megabytes_never_jumps() {
    let mut screen = Screen::open(5_000_000);
    let last = screen.s.panes[0].turns.len() - 1;
    assert!(last > 800, "a long history: {} turns", last + 1);
    let tail = screen.frame();
    assert!(screen.s.panes[0].scroll.follow);

    // Up a line at a time, across several turns: the first prompt met is the last turn's.
    let mut rows = tail.clone();
    let mut met = Vec::new();
    let mut totals = vec![screen.s.panes[0].total_lines];
    for _ in 0..300 {
        rows = screen.scroll(KeyCode::Char('k'), &rows, -1);
        if let Some(q) = question(&rows[..1]) {
            met.push(q);
        }
        totals.push(screen.s.panes[0].total_lines);
    }
    totals.dedup();
    assert!(
        totals.len() > 1,
        "turns laid out on the way corrected their estimates: {totals:?}"
    );
    assert_eq!(
        met.first(),
        Some(&last),
        "scrolling up meets the last prompt first"
    );
    assert!(met.len() >= 2, "and earlier ones after it: {met:?}");
    // Then a page at a time: one row in common each time.
    for _ in 0..40 {
        let page = screen.page();
        rows = screen.scroll(KeyCode::PageUp, &rows, -page);
    }
    assert!(!screen.s.panes[0].scroll.follow);

    // The top is the first turn's first line.
    screen.key(KeyCode::Char('g'));
    rows = screen.frame();
    assert!(
        rows[0].starts_with("› question 0:"),
        "the top shows the first prompt: {:?}",
        rows[0]
    );
    // Down from there, a line and then a page at a time.
    for _ in 0..300 {
        rows = screen.scroll(KeyCode::Char('j'), &rows, 1);
    }
    for _ in 0..40 {
        let page = screen.page();
        rows = screen.scroll(KeyCode::PageDown, &rows, page);
    }
    assert!(question(&rows).is_none_or(|q| q < 60), "still near the top");

    // G follows the tail again: the frame the session opened on.
    screen.key(KeyCode::Char('G'));
    assert_eq!(screen.frame(), tail, "G shows the end of the last answer");
    assert!(screen.s.panes[0].scroll.follow);
}

#[test]
fn paging_up_from_the_end_reaches_the_first_prompt() {
    // Small enough to page through whole; every page measures turns estimated until then.
    let mut screen = Screen::open(200_000);
    let mut rows = screen.frame();
    let mut pages = 0;
    while screen.s.panes[0].scroll.follow || screen.s.panes[0].scroll.top > 0 {
        let page = screen.page();
        let top = screen.s.panes[0].scroll.top;
        if !screen.s.panes[0].scroll.follow && (top as isize) < page {
            // The last page up stops at the first line, short of a full page.
            screen.key(KeyCode::PageUp);
            rows = screen.frame();
            break;
        }
        rows = screen.scroll(KeyCode::PageUp, &rows, -page);
        pages += 1;
        assert!(pages < 2_000, "paging up ends");
    }
    assert_eq!(screen.s.panes[0].scroll.top, 0);
    assert!(
        rows[0].starts_with("› question 0:"),
        "the first line is the first prompt: {:?}",
        rows[0]
    );
    // And back down to the end: End of the scroll follows the tail again.
    let mut pages_down = 0;
    while !screen.s.panes[0].scroll.follow {
        screen.key(KeyCode::PageDown);
        rows = screen.frame();
        pages_down += 1;
        assert!(pages_down < 2_000, "paging down ends");
    }
    screen.key(KeyCode::Char('G'));
    assert_eq!(screen.frame(), rows, "paging down ends on the tail");
    page_up_to_the_last_prompt(&mut screen, rows);
}

/// Pages up from the tail, each page shifting the text exactly, until a prompt shows: the
/// last turn's.
fn page_up_to_the_last_prompt(screen: &mut Screen, mut rows: Vec<String>) {
    let last = screen.s.panes[0].turns.len() - 1;
    for _ in 0..200 {
        let page = screen.page();
        rows = screen.scroll(KeyCode::PageUp, &rows, -page);
        if let Some(q) = question(&rows) {
            assert_eq!(q, last, "the tail is the last turn's");
            return;
        }
    }
    panic!("no prompt above the tail");
}

#[test]
fn a_new_width_is_measured_again_and_scrolls_as_smoothly() {
    let mut screen = Screen::open(1_000_000);
    let mut rows = screen.frame();
    for _ in 0..5 {
        let page = screen.page();
        rows = screen.scroll(KeyCode::PageUp, &rows, -page);
    }
    // Narrower panes: every height measured so far is for the old width.
    update(&mut screen.s, Msg::Resize(90, 40));
    screen.term = Terminal::new(TestBackend::new(90, 40)).unwrap();
    let mut rows = screen.frame();
    assert!(!screen.s.panes[0].scroll.follow);
    assert!(rows.iter().any(|r| !r.trim().is_empty()), "{rows:?}");
    for _ in 0..100 {
        rows = screen.scroll(KeyCode::Char('k'), &rows, -1);
    }
    screen.key(KeyCode::Char('g'));
    let rows = screen.frame();
    assert!(rows[0].starts_with("› question 0:"), "{:?}", rows[0]);
    screen.key(KeyCode::Char('G'));
    let rows = screen.frame();
    page_up_to_the_last_prompt(&mut screen, rows);
}
