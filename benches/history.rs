//! A long conversation, opened and used: the time from a saved session to its first frame,
//! a jump to the top, and the echo of a key typed in the prompt (its update and frame), for
//! one round, 1 MB and 5 MB of answers, on a 120x40 test terminal. The same process draws
//! them all; medians of several runs. The first frame counts opening the session
//! (`State::new`, shown apart as "of which: open"), not the benchmark's copy of it.
//!
//!     cargo bench --bench history
//!
//! Goals (issue 16): the 5 MB first frame within 1.5x of one round's; the jump ≤ 100 ms; key
//! echo within 0.5 ms of one round's.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::simulator::history::long_session;
use switchboard::state::{Init, Msg, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn key(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn main() {
    let models = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"];
    let theme = Theme::dark();
    println!(
        "{:>8} {:>10} {:>12} {:>12} {:>12} {:>16}",
        "history", "rounds", "first frame", "jump to top", "key echo", "of which: open"
    );
    for (label, bytes) in [
        ("1 round", 1usize),
        ("1 MB", 1_000_000),
        ("5 MB", 5_000_000),
    ] {
        let session = long_session("20261203-120000-abcd", bytes, &models);
        let rounds = session.rounds.len();
        let mut opens = Vec::new();
        let mut jumps = Vec::new();
        let mut echoes = Vec::new();
        let mut restores = Vec::new();
        for _ in 0..5 {
            // The copy is the benchmark's, not the app's: the app moves the session it read.
            let resume = session.clone();
            let start = Instant::now();
            let mut s = State::new(Init {
                size: (120, 40),
                resume: Some(resume),
                ..Init::default()
            });
            restores.push(start.elapsed());
            let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
            let mut cache = ViewCache::default();
            let mut views = Default::default();
            term.draw(|f| views = draw(f, &s, &mut cache, &theme))
                .unwrap();
            opens.push(start.elapsed());
            update(&mut s, Msg::Viewports(views));
            key(&mut s, KeyCode::Tab);
            let start = Instant::now();
            key(&mut s, KeyCode::Char('g'));
            term.draw(|f| {
                draw(f, &s, &mut cache, &theme);
            })
            .unwrap();
            jumps.push(start.elapsed());
            key(&mut s, KeyCode::Esc);
            for _ in 0..20 {
                let start = Instant::now();
                key(&mut s, KeyCode::Char('a'));
                term.draw(|f| {
                    draw(f, &s, &mut cache, &theme);
                })
                .unwrap();
                echoes.push(start.elapsed());
            }
        }
        println!(
            "{label:>8} {rounds:>10} {:>12.1?} {:>12.1?} {:>12.1?} {:>16.1?}",
            median(opens),
            median(jumps),
            median(echoes),
            median(restores)
        );
    }
}
