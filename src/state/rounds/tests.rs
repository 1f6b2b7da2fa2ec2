//! `update` sequences: messages in, state and effects out. No terminal, no clock, no I/O.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::catalog::{Catalog, parse_models};
use crate::chat::{AnswerStatus, Role, StreamEnd, StreamEvent, Usage};
use crate::simulator::demo_models;
use crate::state::*;

pub(crate) fn catalog() -> Catalog {
    let json = serde_json::json!({"data": demo_models().iter().map(|m| m.openrouter_json()).collect::<Vec<_>>()});
    Catalog {
        base_url: "http://sim".into(),
        fetched_at: 0,
        models: parse_models(&json.to_string()).unwrap(),
    }
}

pub(crate) fn state(models: &[&str]) -> State {
    State::new(Init {
        models: models.iter().map(|m| m.to_string()).collect(),
        base_url: "http://sim".into(),
        catalog: Some(catalog()),
        size: (120, 40),
        ..Init::default()
    })
}

pub(crate) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(crate) fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub(crate) fn chars(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(KeyCode::Char(c)));
    }
}

/// Types a prompt and presses Enter; returns the request ids started.
pub(crate) fn send(s: &mut State, prompt: &str) -> Vec<u64> {
    update(s, Msg::Paste(prompt.into()));
    let fx = update(s, key(KeyCode::Enter));
    started(&fx)
}

/// The request of the first stream started, when the test only looks at one.
pub(crate) fn first_request(fx: &[Effect]) -> &crate::chat::ChatRequest {
    fx.iter()
        .find_map(|e| match e {
            Effect::StartStream { request, .. } => Some(request),
            _ => None,
        })
        .expect("a stream was started")
}

pub(crate) fn started(fx: &[Effect]) -> Vec<u64> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::StartStream { req, .. } => Some(*req),
            _ => None,
        })
        .collect()
}

pub(crate) fn stream(s: &mut State, req: u64, event: StreamEvent, ms: u64) -> Vec<Effect> {
    update(
        s,
        Msg::Stream {
            req,
            event,
            at: Duration::from_millis(ms),
        },
    )
}

pub(crate) fn finish(s: &mut State, req: u64, text: &str) {
    stream(s, req, StreamEvent::Text(text.into()), 100);
    stream(
        s,
        req,
        StreamEvent::End(StreamEnd::Complete {
            finish_reason: Some("stop".into()),
        }),
        200,
    );
}

#[test]
fn enter_sends_the_prompt_to_every_pane() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/swift-mini"]);
    update(&mut s, Msg::Paste("Why is the sky blue?".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    let reqs = started(&fx);
    assert_eq!(reqs.len(), 3, "the same model may fill two panes");
    assert_eq!(
        reqs.iter().collect::<std::collections::HashSet<_>>().len(),
        3,
        "distinct request ids"
    );
    let request = first_request(&fx);
    assert_eq!(request.model, "sim/swift-mini");
    assert_eq!(
        request.messages.last().unwrap().content,
        "Why is the sky blue?"
    );
    assert!(s.editor.is_empty(), "the editor is cleared");
    assert_eq!(s.prefs.history, vec!["Why is the sky blue?"]);
    assert!(fx.contains(&Effect::SavePrefs));
    assert!(
        s.panes
            .iter()
            .all(|p| p.status() == Some(AnswerStatus::Waiting))
    );
}

#[test]
fn empty_prompts_and_no_models_are_refused_with_a_message() {
    let mut s = state(&["sim/swift-mini"]);
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(started(&fx).is_empty());
    assert!(s.notice.as_ref().unwrap().error);
    let mut none = state(&[]);
    assert!(
        matches!(none.overlay, Some(Overlay::Picker(_))),
        "no models: the picker opens"
    );
    update(&mut none, key(KeyCode::Esc));
    assert!(send(&mut none, "hi").is_empty());
    assert!(matches!(none.overlay, Some(Overlay::Picker(_))));
}

#[test]
fn stream_events_reach_their_pane_and_stale_ones_are_dropped() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    let reqs = send(&mut s, "hi");
    stream(&mut s, reqs[1], StreamEvent::Text("from b".into()), 50);
    stream(&mut s, reqs[0], StreamEvent::Text("from a".into()), 60);
    assert_eq!(s.panes[0].current().unwrap().answer.text, "from a");
    assert_eq!(s.panes[1].current().unwrap().answer.text, "from b");
    // Cancel pane 0 (focused), then a late event of its old request arrives.
    let fx = update(&mut s, ctrl('x'));
    assert_eq!(fx, vec![Effect::CancelStream { req: reqs[0] }]);
    stream(&mut s, reqs[0], StreamEvent::Text(" late".into()), 70);
    let a = &s.panes[0].current().unwrap().answer;
    assert_eq!(
        (a.text.as_str(), a.status),
        ("from a", AnswerStatus::Cancelled)
    );
    assert_eq!(
        s.panes[1].status(),
        Some(AnswerStatus::Streaming),
        "other panes keep streaming"
    );
    // A resend replaces the request: events of the cancelled one still go nowhere.
    let again = send(&mut s, "again");
    stream(&mut s, reqs[0], StreamEvent::Text("stale".into()), 80);
    assert_eq!(s.panes[0].current().unwrap().answer.text, "");
    assert_ne!(again[0], reqs[0]);
}

#[test]
fn ttft_is_measured_from_the_send() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, Msg::Tick(Duration::from_millis(1000)));
    let reqs = send(&mut s, "hi");
    stream(&mut s, reqs[0], StreamEvent::Text("x".into()), 1250);
    assert_eq!(
        s.panes[0].current().unwrap().answer.ttft,
        Some(Duration::from_millis(250))
    );
}

#[test]
fn follow_ups_keep_each_pane_conversation() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    let first = send(&mut s, "first");
    finish(&mut s, first[0], "answer A");
    finish(&mut s, first[1], "answer B");
    let fx = {
        update(&mut s, Msg::Paste("second".into()));
        update(&mut s, key(KeyCode::Enter))
    };
    let requests: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::StartStream { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect();
    let roles: Vec<Role> = requests[0].messages.iter().map(|m| m.role).collect();
    assert_eq!(roles, vec![Role::User, Role::Assistant, Role::User]);
    assert_eq!(requests[0].messages[1].content, "answer A");
    assert_eq!(requests[1].messages[1].content, "answer B");
}

#[test]
fn send_to_the_focused_pane_only() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!((s.focus, s.focused), (Focus::Panes, 1));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.focus, Focus::Editor);
    update(&mut s, Msg::Paste("only b".into()));
    let fx = update(&mut s, ctrl('s'));
    assert_eq!(started(&fx).len(), 1);
    assert!(s.panes[0].turns.is_empty());
    assert_eq!(s.panes[1].turns.len(), 1);
}

#[test]
fn cancel_all_and_retry() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    let reqs = send(&mut s, "q");
    stream(&mut s, reqs[0], StreamEvent::Text("partial".into()), 10);
    let fx = update(&mut s, ctrl('c'));
    assert_eq!(fx.len(), 2);
    assert!(
        s.panes
            .iter()
            .all(|p| p.status() == Some(AnswerStatus::Cancelled))
    );
    assert!(!s.streaming());
    // Retry the focused pane: same prompt, the cancelled turn is replaced.
    let fx = update(&mut s, ctrl('r'));
    let Effect::StartStream { request, req } = &fx[0] else {
        panic!("{fx:?}")
    };
    assert_eq!(request.messages.len(), 1);
    assert_eq!(request.messages[0].content, "q");
    assert_eq!(s.panes[0].turns.len(), 1);
    assert_eq!(s.panes[0].req, *req);
    // Nothing to retry in a fresh pane.
    let mut fresh = state(&["sim/swift-mini"]);
    assert!(update(&mut fresh, ctrl('r')).is_empty());
    assert!(fresh.notice.is_some());
}

#[test]
fn a_budget_refuses_rounds_and_stops_streams() {
    let mut s = state(&["sim/sage-large"]);
    s.budget = Some(crate::cost::Usd::parse("0.01").unwrap());
    // $15/M output: 1,000 assumed output tokens cost $0.015, over the budget.
    update(&mut s, Msg::Paste("hi".into()));
    assert!(started(&update(&mut s, key(KeyCode::Enter))).is_empty());
    assert!(
        s.notice.as_ref().unwrap().text.starts_with("refused"),
        "{:?}",
        s.notice
    );
    // With max_tokens 100 the estimate fits; then the stream crosses the cap and stops.
    s.params.max_tokens = Some(100);
    let reqs = started(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(reqs.len(), 1);
    let fx = stream(&mut s, reqs[0], StreamEvent::Text("x".repeat(4000)), 10);
    assert!(
        fx.contains(&Effect::CancelStream { req: reqs[0] }),
        "{fx:?}"
    );
    assert_eq!(s.panes[0].status(), Some(AnswerStatus::Cancelled));
    assert!(s.notice.as_ref().unwrap().text.contains("budget"));
}

#[test]
fn a_budget_refuses_a_round_to_a_model_nobody_prices() {
    // `corp:` is a gateway on a private network: not local, no price table, no catalog.
    let mut s = state(&["sim/swift-mini", "corp:gpt-x"]);
    s.provider_prefixes = vec!["corp:".into()];
    s.params.max_tokens = Some(10);
    s.budget = Some(crate::cost::Usd::parse("5").unwrap());
    update(&mut s, Msg::Paste("hi".into()));
    assert!(started(&update(&mut s, key(KeyCode::Enter))).is_empty());
    let notice = &s.notice.as_ref().unwrap().text;
    assert!(
        notice.starts_with("refused") && notice.contains("corp:gpt-x has no known price"),
        "{notice}"
    );
    // Without a budget nothing is refused: the pane shows `cost n/a`.
    s.budget = None;
    assert_eq!(started(&update(&mut s, key(KeyCode::Enter))).len(), 2);
}

#[test]
fn quit_cancels_what_runs() {
    let mut s = state(&["sim/swift-mini"]);
    let reqs = send(&mut s, "x");
    let fx = update(&mut s, ctrl('q'));
    assert_eq!(
        fx,
        vec![
            Effect::CancelStream { req: reqs[0] },
            Effect::SaveSession,
            Effect::Quit
        ]
    );
    assert!(s.quit);
    let mut t = state(&["sim/swift-mini"]);
    assert_eq!(
        update(&mut t, Msg::Quit),
        vec![Effect::SaveSession, Effect::Quit]
    );
}

#[test]
fn a_router_answer_is_priced_as_the_model_that_served_it() {
    let mut s = state(&["sim/auto"]);
    let reqs = send(&mut s, "x");
    stream(&mut s, reqs[0], StreamEvent::Text("abcd".into()), 10);
    assert_eq!(
        s.panes[0].current().unwrap().cost(),
        None,
        "a router has no fixed price"
    );
    stream(
        &mut s,
        reqs[0],
        StreamEvent::ServedBy {
            model: Some("sim/sage-large".into()),
            provider: None,
        },
        20,
    );
    let cost = s.panes[0].current().unwrap().cost().unwrap();
    assert!(!cost.is_exact());
    let usage = Usage {
        prompt_tokens: 10,
        completion_tokens: 10,
        cost: Some(crate::cost::Usd::parse("0.5").unwrap()),
        ..Usage::default()
    };
    stream(&mut s, reqs[0], StreamEvent::Usage(usage), 30);
    let spent = s.spent();
    assert_eq!(
        (spent.total, spent.estimated),
        (crate::cost::Usd::parse("0.5").unwrap(), false)
    );
}

#[test]
fn finished_rounds_refresh_the_credit() {
    let mut s = state(&["sim/swift-mini"]);
    let reqs = send(&mut s, "x");
    let fx = stream(&mut s, reqs[0], StreamEvent::End(StreamEnd::Incomplete), 10);
    assert_eq!(fx, vec![Effect::FetchKeyInfo, Effect::SaveSession]);
}

#[test]
fn following_a_stream_scrolls_in_steps() {
    use panes::follow_top;
    assert_eq!(follow_top(10, 20, true), 0);
    assert_eq!(
        follow_top(21, 20, true),
        6,
        "one step of a third of the height"
    );
    assert_eq!(follow_top(26, 20, true), 6);
    assert_eq!(follow_top(27, 20, true), 12);
    assert_eq!(
        follow_top(27, 20, false),
        7,
        "a finished answer sits at the exact bottom"
    );
}
