//! Screens on a `TestBackend`: a state with the demo catalog, a scripted round, rendering.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::catalog::{Catalog, parse_models};
use switchboard::chat::{ErrorKind, StreamEnd, StreamError, StreamEvent, Usage};
use switchboard::cost::Usd;
use switchboard::simulator::{answer_text, demo_models};
use switchboard::state::{Effect, Init, Msg, State, update};
use switchboard::storage::index::ModelStat;
use switchboard::storage::ratings::{Agreement, Leaderboard, RatedModel};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

pub fn catalog() -> Catalog {
    let json = serde_json::json!({"data": demo_models().iter().map(|m| m.openrouter_json()).collect::<Vec<_>>()});
    Catalog {
        base_url: "http://sim".into(),
        fetched_at: 0,
        models: parse_models(&json.to_string()).unwrap(),
    }
}

pub fn state(models: &[&str], size: (u16, u16)) -> State {
    State::new(Init {
        models: models.iter().map(|m| m.to_string()).collect(),
        base_url: "http://127.0.0.1:8089/api/v1".into(),
        demo: true,
        catalog: Some(catalog()),
        size,
        ..Init::default()
    })
}

/// Types `prompt` and sends it to every pane; the requests started, in pane order.
pub fn send_prompt(s: &mut State, prompt: &str) -> Vec<u64> {
    update(s, Msg::Paste(prompt.into()));
    update(s, key(KeyCode::Enter, KeyModifiers::NONE))
        .iter()
        .filter_map(|e| match e {
            Effect::StartStream { req, .. } => Some(*req),
            _ => None,
        })
        .collect()
}

pub fn render(s: &mut State) -> String {
    render_with(s, &Theme::no_color())
}

/// Draws twice (the second frame knows the first's scroll extents) with `theme`.
pub fn render_with(s: &mut State, theme: &Theme) -> String {
    let (w, h) = s.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut cache = ViewCache::default();
    let mut views = Default::default();
    term.draw(|f| views = draw(f, s, &mut cache, theme))
        .unwrap();
    update(s, Msg::Viewports(views));
    term.draw(|f| {
        draw(f, s, &mut cache, theme);
    })
    .unwrap();
    format!("{}", term.backend())
}

pub fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

/// A round: pane 1 done with usage, pane 2 reasoning then streaming, pane 3 failed mid-way.
pub fn scripted_round(s: &mut State) {
    update(s, Msg::Paste("Compare quicksort and mergesort".into()));
    update(s, key(KeyCode::Enter, KeyModifiers::NONE));
    let reqs: Vec<u64> = s.panes.iter().map(|p| p.req).collect();
    let ev = |s: &mut State, i: usize, event: StreamEvent, ms: u64| {
        update(
            s,
            Msg::Stream {
                req: reqs[i],
                event,
                at: Duration::from_millis(ms),
            },
        );
    };
    let full = answer_text(1, "Compare quicksort and mergesort", 120);
    ev(
        s,
        0,
        StreamEvent::ServedBy {
            model: Some("sim/swift-mini".into()),
            provider: Some("SimCloud".into()),
        },
        100,
    );
    ev(s, 0, StreamEvent::Text(full.clone()), 250);
    ev(
        s,
        0,
        StreamEvent::Usage(Usage {
            prompt_tokens: 14,
            completion_tokens: 180,
            cost: Some(Usd::parse("0.0000734").unwrap()),
            ..Usage::default()
        }),
        1500,
    );
    ev(
        s,
        0,
        StreamEvent::End(StreamEnd::Complete {
            finish_reason: Some("stop".into()),
        }),
        1500,
    );
    ev(
        s,
        1,
        StreamEvent::ServedBy {
            model: Some("sim/sage-large-2026".into()),
            provider: Some("Vertex Sim".into()),
        },
        300,
    );
    ev(
        s,
        1,
        StreamEvent::Reasoning("Weigh stability against memory use.".into()),
        700,
    );
    ev(s, 1, StreamEvent::Text(full[..200].to_string()), 1200);
    ev(s, 2, StreamEvent::Text("Quicksort partitions".into()), 400);
    ev(
        s,
        2,
        StreamEvent::End(StreamEnd::Failed(StreamError::new(
            ErrorKind::InBand,
            "provider error 502 mid-stream: Upstream provider disconnected; the partial answer is kept",
        ))),
        900,
    );
    update(s, Msg::Tick(Duration::from_millis(2000)));
}

/// A leaderboard with two rated models, a provisional one, a judge and adoptions.
pub fn rated(model: &str, rating: f64, votes: u32) -> RatedModel {
    RatedModel {
        model: model.into(),
        rating,
        ci_low: rating - 48.0,
        ci_high: rating + 51.0,
        votes,
        wins: votes / 2,
        losses: votes - votes / 2,
        ties: 0,
        cost_per_answer: Usd::parse("0.00136").ok(),
        median_tokens_per_s: Some(140.0),
    }
}

pub fn board() -> Leaderboard {
    Leaderboard {
        ratings: vec![
            rated("sim/sage-large", 1088.0, 24),
            rated("sim/swift-mini", 1012.0, 24),
            rated("sim/deep-thinker", 900.0, 3),
        ],
        blind_votes: 24,
        sighted_votes: 2,
        judges: vec![Agreement {
            judge: "sim/judge-fair".into(),
            rounds: 9,
            agreed: 7,
            unparseable: 1,
        }],
        adoptions: vec![ModelStat {
            model: "sim/swift-mini".into(),
            answers: 10,
            adopted: 4,
            cost: Usd::parse("0.0136").unwrap(),
            speeds: vec![140.0, 90.0],
        }],
    }
}
