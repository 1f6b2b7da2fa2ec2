//! Widget snapshots: the state after a scripted round, drawn on a `TestBackend` at 80x24 and
//! 160x48, plus the overlays and the narrow stack layout.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::catalog::{Catalog, parse_models};
use switchboard::chat::{ErrorKind, StreamEnd, StreamError, StreamEvent, Usage};
use switchboard::cost::Usd;
use switchboard::simulator::{answer_text, demo_models};
use switchboard::state::{Init, Msg, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

fn catalog() -> Catalog {
    let json = serde_json::json!({"data": demo_models().iter().map(|m| m.openrouter_json()).collect::<Vec<_>>()});
    Catalog {
        base_url: "http://sim".into(),
        fetched_at: 0,
        models: parse_models(&json.to_string()).unwrap(),
    }
}

fn state(models: &[&str], size: (u16, u16)) -> State {
    State::new(Init {
        models: models.iter().map(|m| m.to_string()).collect(),
        base_url: "http://127.0.0.1:8089/api/v1".into(),
        demo: true,
        catalog: Some(catalog()),
        size,
        ..Init::default()
    })
}

fn render(s: &mut State) -> String {
    let (w, h) = s.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut cache = ViewCache::default();
    let mut views = Default::default();
    term.draw(|f| views = draw(f, s, &mut cache, &Theme::no_color()))
        .unwrap();
    update(s, Msg::Viewports(views));
    term.draw(|f| {
        draw(f, s, &mut cache, &Theme::no_color());
    })
    .unwrap();
    format!("{}", term.backend())
}

fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

/// A round: pane 1 done with usage, pane 2 reasoning then streaming, pane 3 failed mid-way.
fn scripted_round(s: &mut State) {
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

#[test]
fn round_at_80x24() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/flaky"], (80, 24));
    scripted_round(&mut s);
    let screen = render(&mut s);
    assert!(screen.contains("$0.0000734"), "exact cost shown");
    assert!(
        screen.contains("→ sim/sage-large-2026"),
        "the model that served is never silent"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn round_at_160x48() {
    let mut s = state(
        &["sim/swift-mini", "sim/sage-large", "sim/flaky"],
        (160, 48),
    );
    scripted_round(&mut s);
    let screen = render(&mut s);
    assert!(screen.contains("~$"), "estimated cost while streaming");
    assert!(screen.contains("provider error 502"));
    insta::assert_snapshot!(screen);
}

#[test]
fn eight_panes_stack_at_80x24() {
    let models = ["sim/swift-mini"; 8];
    let mut s = state(&models, (80, 24));
    scripted_round(&mut s);
    insta::assert_snapshot!(render(&mut s));
}

#[test]
fn zoomed_pane() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/flaky"], (80, 24));
    scripted_round(&mut s);
    update(&mut s, key(KeyCode::Char('z'), KeyModifiers::CONTROL));
    insta::assert_snapshot!(render(&mut s));
}

#[test]
fn picker_overlay() {
    let mut s = state(&["sim/swift-mini", "sim/deep-thinker"], (100, 30));
    update(&mut s, key(KeyCode::Char('p'), KeyModifiers::CONTROL));
    insta::assert_snapshot!(render(&mut s));
    for c in "sage".chars() {
        update(&mut s, key(KeyCode::Char(c), KeyModifiers::NONE));
    }
    let screen = render(&mut s);
    assert!(screen.contains("sim/sage-large") && screen.contains("$15.00"));
    assert!(!screen.contains("sim/slowpoke"));
}

#[test]
fn help_overlay_lists_every_binding() {
    let mut s = state(&["sim/swift-mini"], (100, 140));
    update(&mut s, key(KeyCode::F(1), KeyModifiers::NONE));
    let screen = render(&mut s);
    for b in &s.keymap.bindings {
        if b.scope != switchboard::state::keymap::Scope::Help {
            assert!(screen.contains(b.help), "help lists {:?}", b.help);
        }
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn welcome_screen() {
    let mut s = State::new(Init {
        welcome: true,
        size: (100, 24),
        ..Init::default()
    });
    let screen = render(&mut s);
    assert!(
        screen.contains("OPENROUTER_API_KEY")
            && screen.contains("--base-url")
            && screen.contains("demo")
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (20, 5), (40, 10), (80, 3)] {
        let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/flaky"], (w, h));
        scripted_round(&mut s);
        render(&mut s);
        update(&mut s, key(KeyCode::Char('p'), KeyModifiers::CONTROL));
        render(&mut s);
    }
}

#[test]
fn model_output_cannot_reach_the_terminal_as_escapes() {
    let mut s = state(&["sim/swift-mini"], (80, 24));
    update(&mut s, Msg::Paste("hi".into()));
    update(&mut s, key(KeyCode::Enter, KeyModifiers::NONE));
    let req = s.panes[0].req;
    let evil = "ok \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[2J\u{1b}]0;title\u{7} done";
    update(
        &mut s,
        Msg::Stream {
            req,
            event: StreamEvent::Text(evil.into()),
            at: Duration::from_millis(5),
        },
    );
    let screen = render(&mut s);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    assert!(screen.contains("␛]52;c;ZXZpbA==␇"), "{screen}");
}
