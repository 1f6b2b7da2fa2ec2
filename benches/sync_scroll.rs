//! Panes scrolled together: the cost of a scroll key and its frame with `l` on against off,
//! on the content that hurts it: four panes of one answer of N headings each (N = 500 and
//! 4,000), and a 5 MB conversation of 800+ rounds. Medians of 100 presses of `j`, one frame
//! after each, on a 160x50 test terminal.
//!
//!     cargo bench --bench sync_scroll
//!
//! Goal: the frame with the panes together costs about what it does with them apart, and
//! neither grows with the number of headings or rounds.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::simulator::history::long_session;
use switchboard::state::{Init, Msg, State, update};
use switchboard::storage::session::Session;
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

const MODELS: [&str; 4] = [
    "sim/swift-mini",
    "sim/sage-large",
    "sim/deep-thinker",
    "sim/slowpoke",
];

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn key(s: &mut State, c: char) {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    );
}

/// One round whose four answers each hold `n` headings, in a different order per pane after
/// the first few (so some are shared, most are found by text).
fn headings(n: usize) -> Session {
    let mut s = long_session("20261203-120000-abcd", 1, &MODELS);
    for (p, a) in s.rounds[0].answers.iter_mut().enumerate() {
        a.text = (0..n)
            .map(|k| {
                format!(
                    "## Section {}\n\nbody {k} of pane {p}\n\n",
                    (k * (p + 1)) % n
                )
            })
            .collect();
    }
    s
}

/// Median time of a `j` and its frame over 100 presses, from the top, with the panes
/// together or apart.
fn presses(session: &Session, together: bool) -> Duration {
    let mut s = State::new(Init {
        size: (160, 50),
        resume: Some(session.clone()),
        ..Init::default()
    });
    let theme = Theme::dark();
    let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
    let mut cache = ViewCache::default();
    let mut frame = |s: &mut State, cache: &mut ViewCache| {
        let mut views = Default::default();
        term.draw(|f| views = draw(f, s, cache, &theme)).unwrap();
        update(s, Msg::Viewports(views));
    };
    frame(&mut s, &mut cache);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
    );
    if together {
        key(&mut s, 'l');
    }
    key(&mut s, 'g');
    frame(&mut s, &mut cache);
    let mut times = Vec::new();
    for _ in 0..100 {
        let start = Instant::now();
        key(&mut s, 'j');
        frame(&mut s, &mut cache);
        times.push(start.elapsed());
    }
    median(times)
}

fn main() {
    println!(
        "{:>28} {:>10} {:>10} {:>7}",
        "content", "apart", "together", "ratio"
    );
    let cases = [
        ("4 x 500 headings", headings(500)),
        ("4 x 4000 headings", headings(4000)),
        (
            "5 MB, 4 panes",
            long_session("20261203-120000-abcd", 5_000_000, &MODELS),
        ),
    ];
    for (label, session) in cases {
        let apart = presses(&session, false);
        let together = presses(&session, true);
        println!(
            "{label:>28} {:>8.2}ms {:>8.2}ms {:>6.2}x",
            apart.as_secs_f64() * 1e3,
            together.as_secs_f64() * 1e3,
            together.as_secs_f64() / apart.as_secs_f64()
        );
    }
}
