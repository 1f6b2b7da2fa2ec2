//! Opening a long conversation highlights what the screen shows, not the history: a frame
//! after opening 5 MB of answers highlights only the code blocks in view. (Its own test
//! binary: the count is process-wide.)

use std::sync::atomic::Ordering;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::render::highlight::BLOCKS_HIGHLIGHTED;
use switchboard::simulator::history::long_session;
use switchboard::state::{Init, Msg, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

#[test]
fn a_frame_highlights_only_the_code_in_view() {
    let models = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"];
    let session = long_session("20261203-120000-abcd", 5_000_000, &models);
    let blocks: usize = session
        .rounds
        .iter()
        .flat_map(|r| &r.answers)
        .map(|a| a.text.matches("```").count() / 2)
        .sum();
    let mut s = State::new(Init {
        size: (120, 40),
        resume: Some(session),
        ..Init::default()
    });
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut cache = ViewCache::default();
    let theme = Theme::dark();
    let before = BLOCKS_HIGHLIGHTED.load(Ordering::Relaxed);
    let mut views = Default::default();
    term.draw(|f| views = draw(f, &s, &mut cache, &theme))
        .unwrap();
    let first = BLOCKS_HIGHLIGHTED.load(Ordering::Relaxed) - before;
    assert!(blocks > 2000, "a long history: {blocks} code blocks");
    // A pane's window shows at most two of these blocks; the turns laid out around it (a
    // screen above the window) hold more, which wait until they come into view.
    assert!(
        (1..=6).contains(&first),
        "{first} of {blocks} code blocks highlighted for one frame"
    );
    let coloured = |term: &Terminal<TestBackend>| {
        term.backend()
            .buffer()
            .content()
            .iter()
            .any(|c| matches!(c.fg, ratatui::style::Color::Rgb(..)))
    };
    assert!(coloured(&term), "the code in view has its syntax colours");
    update(&mut s, Msg::Viewports(views));
    // Jump to the top of the first pane: the blocks there are highlighted, no others.
    update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Tab,
            crossterm::event::KeyModifiers::NONE,
        )),
    );
    update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('g'),
            crossterm::event::KeyModifiers::NONE,
        )),
    );
    let before = BLOCKS_HIGHLIGHTED.load(Ordering::Relaxed);
    term.draw(|f| {
        draw(f, &s, &mut cache, &theme);
    })
    .unwrap();
    let at_top = BLOCKS_HIGHLIGHTED.load(Ordering::Relaxed) - before;
    assert!(at_top <= 2, "{at_top} more for the top of one pane");
    assert!(coloured(&term), "and so does the code at the top");
    let screen = format!("{}", term.backend());
    assert!(
        screen.contains("question 0:"),
        "the first round is at the top"
    );
}
