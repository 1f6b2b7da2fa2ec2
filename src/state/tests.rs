//! `update` sequences: messages in, state and effects out. No terminal, no clock, no I/O.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::*;
use crate::catalog::{Catalog, parse_models};
use crate::chat::{AnswerStatus, Role, StreamEnd, StreamEvent, Usage};
use crate::simulator::demo_models;

fn catalog() -> Catalog {
    let json = serde_json::json!({"data": demo_models().iter().map(|m| m.openrouter_json()).collect::<Vec<_>>()});
    Catalog {
        base_url: "http://sim".into(),
        fetched_at: 0,
        models: parse_models(&json.to_string()).unwrap(),
    }
}

fn state(models: &[&str]) -> State {
    State::new(Init {
        models: models.iter().map(|m| m.to_string()).collect(),
        base_url: "http://sim".into(),
        catalog: Some(catalog()),
        size: (120, 40),
        ..Init::default()
    })
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn chars(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(KeyCode::Char(c)));
    }
}

/// Types a prompt and presses Enter; returns the request ids started.
fn send(s: &mut State, prompt: &str) -> Vec<u64> {
    update(s, Msg::Paste(prompt.into()));
    let fx = update(s, key(KeyCode::Enter));
    started(&fx)
}

fn started(fx: &[Effect]) -> Vec<u64> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::StartStream { req, .. } => Some(*req),
            _ => None,
        })
        .collect()
}

fn stream(s: &mut State, req: u64, event: StreamEvent, ms: u64) -> Vec<Effect> {
    update(
        s,
        Msg::Stream {
            req,
            event,
            at: Duration::from_millis(ms),
        },
    )
}

fn finish(s: &mut State, req: u64, text: &str) {
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
    let Effect::StartStream { request, .. } = &fx[0] else {
        panic!()
    };
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
fn the_picker_selects_models_for_the_panes() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, ctrl('p'));
    chars(&mut s, "thinker");
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(
        p.current_id(s.catalog.as_ref()).as_deref(),
        Some("sim/deep-thinker")
    );
    update(&mut s, key(KeyCode::Char(' ')));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fx.contains(&Effect::SavePrefs));
    let models: Vec<&str> = s.panes.iter().map(|p| p.model.as_str()).collect();
    assert_eq!(
        models,
        vec!["sim/swift-mini", "sim/deep-thinker"],
        "the current selection plus the new one"
    );
    assert!(s.overlay.is_none());
    assert_eq!(
        s.prefs.recent_models[..2],
        ["sim/swift-mini".to_string(), "sim/deep-thinker".to_string()]
    );
}

#[test]
fn the_picker_accepts_ids_outside_the_catalog_and_keeps_conversations() {
    let mut s = state(&["sim/swift-mini"]);
    let reqs = send(&mut s, "hello");
    finish(&mut s, reqs[0], "kept");
    update(&mut s, ctrl('p'));
    chars(&mut s, "vendor/new-model:nitro");
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(
        p.rows.last(),
        Some(&picker::Row::Custom("vendor/new-model:nitro".into()))
    );
    update(&mut s, key(KeyCode::Down));
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    let last = p.rows.len() - 1;
    let mut moves = 0;
    while s
        .overlay
        .as_ref()
        .is_some_and(|o| matches!(o, Overlay::Picker(p) if p.cursor < last))
        && moves < 50
    {
        update(&mut s, key(KeyCode::Down));
        moves += 1;
    }
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Enter));
    let models: Vec<&str> = s.panes.iter().map(|p| p.model.as_str()).collect();
    assert_eq!(models, vec!["sim/swift-mini", "vendor/new-model:nitro"]);
    assert_eq!(s.panes[0].current().unwrap().answer.text, "kept");
}

#[test]
fn the_picker_limits_the_selection_sorts_and_filters() {
    let mut s = state(&[]);
    let Some(Overlay::Picker(_)) = &s.overlay else {
        panic!()
    };
    for _ in 0..7 {
        update(&mut s, key(KeyCode::Char(' ')));
        update(&mut s, key(KeyCode::Down));
    }
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(p.selected.len(), 7, "all seven demo models");
    update(&mut s, ctrl('f'));
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    let ids: Vec<String> = p
        .rows
        .iter()
        .filter_map(|r| p.row_id(r, s.catalog.as_ref()).map(String::from))
        .collect();
    assert_eq!(ids, vec!["sim/free-spirit:free"]);
    update(&mut s, ctrl('f'));
    update(&mut s, ctrl('s'));
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(p.sort, picker::SortBy::Price);
    let ids: Vec<String> = p
        .rows
        .iter()
        .filter_map(|r| p.row_id(r, s.catalog.as_ref()).map(String::from))
        .collect();
    assert_eq!(
        ids.first().map(String::as_str),
        Some("sim/free-spirit:free"),
        "cheapest first"
    );
    assert_eq!(
        ids.last().map(String::as_str),
        Some("sim/auto"),
        "unknown prices last"
    );
    // Favourites come first when nothing is typed.
    update(&mut s, ctrl('s'));
    update(&mut s, ctrl('s'));
    update(&mut s, ctrl('s'));
    update(&mut s, ctrl('s'));
    update(&mut s, key(KeyCode::Up));
    for _ in 0..6 {
        update(&mut s, key(KeyCode::Down));
    }
    update(&mut s, ctrl('d'));
    let Some(Overlay::Picker(p)) = &mut s.overlay else {
        panic!()
    };
    let fav = p.current_id(s.catalog.as_ref()).unwrap();
    p.refresh(s.catalog.as_ref(), &s.prefs);
    assert_eq!(p.row_id(&p.rows[0], s.catalog.as_ref()), Some(fav.as_str()));
}

#[test]
fn zoom_focus_and_scrolling() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    update(&mut s, ctrl('z'));
    assert!(s.zoomed);
    assert_eq!(s.focus, Focus::Panes);
    let l = s.layout();
    assert_eq!(l.panes[0].h, 38);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focused, 1, "zoomed, Tab moves between panes");
    update(&mut s, key(KeyCode::Char('z')));
    assert!(!s.zoomed);
    update(&mut s, Msg::Viewports(vec![(100, 20), (10, 20)]));
    update(&mut s, key(KeyCode::Char('k')));
    assert_eq!(
        s.panes[1].scroll,
        panes::Scroll {
            top: 0,
            follow: true
        },
        "short content stays put"
    );
    s.focused = 0;
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!(
        s.panes[0].scroll,
        panes::Scroll {
            top: 61,
            follow: false
        }
    );
    update(&mut s, key(KeyCode::Char('g')));
    assert_eq!(s.panes[0].scroll.top, 0);
    update(&mut s, key(KeyCode::Char('G')));
    assert!(s.panes[0].scroll.follow);
}

#[test]
fn the_mouse_scrolls_and_focuses_the_pane_under_it() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    update(&mut s, Msg::Viewports(vec![(100, 20), (100, 20)]));
    let at = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, at(MouseEventKind::ScrollUp, 70, 5));
    assert!(!s.panes[1].scroll.follow);
    assert!(s.panes[0].scroll.follow);
    update(
        &mut s,
        at(
            MouseEventKind::Down(crossterm::event::MouseButton::Left),
            70,
            5,
        ),
    );
    assert_eq!((s.focus, s.focused), (Focus::Panes, 1));
    update(&mut s, ctrl('m').map_alt());
    assert!(!s.mouse);
}

trait AltKey {
    fn map_alt(self) -> Msg;
}

impl AltKey for Msg {
    fn map_alt(self) -> Msg {
        match self {
            Msg::Key(k) => Msg::Key(KeyEvent::new(k.code, KeyModifiers::ALT)),
            other => other,
        }
    }
}

#[test]
fn parameters_apply_to_the_next_round() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, ctrl('t'));
    chars(&mut s, "be terse");
    update(&mut s, key(KeyCode::Down));
    chars(&mut s, "0.3");
    update(&mut s, key(KeyCode::Down));
    chars(&mut s, "64");
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
    let fx = {
        update(&mut s, Msg::Paste("go".into()));
        update(&mut s, key(KeyCode::Enter))
    };
    let Effect::StartStream { request, .. } = &fx[0] else {
        panic!()
    };
    assert_eq!(request.messages[0].role, Role::System);
    assert_eq!(request.messages[0].content, "be terse");
    assert_eq!(request.params.temperature, Some(0.3));
    assert_eq!(request.params.max_tokens, Some(64));
    assert_eq!(request.params.reasoning_effort.as_deref(), Some("low"));
    // A bad value keeps the form open with a message.
    update(&mut s, ctrl('t'));
    update(&mut s, key(KeyCode::Down));
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Backspace));
    }
    chars(&mut s, "3");
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.overlay, Some(Overlay::Params(_))));
    assert!(s.notice.as_ref().unwrap().text.contains("temperature"));
}

#[test]
fn help_opens_from_anywhere_and_history_recalls_prompts() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, key(KeyCode::F(1)));
    assert_eq!(s.scope(), keymap::Scope::Help);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.scope(), keymap::Scope::Editor);
    let reqs = send(&mut s, "remember me");
    finish(&mut s, reqs[0], "ok");
    update(&mut s, key(KeyCode::Up));
    assert_eq!(s.editor.text(), "remember me");
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.editor.text(), "");
    // Alt-Enter and Ctrl-J add lines instead of sending.
    chars(&mut s, "a");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)),
    );
    update(&mut s, ctrl('j'));
    chars(&mut s, "b");
    assert_eq!(s.editor.text(), "a\n\nb");
}

#[test]
fn the_welcome_screen_offers_the_demo() {
    let mut s = State::new(Init {
        welcome: true,
        size: (80, 24),
        ..Init::default()
    });
    assert_eq!(s.scope(), keymap::Scope::Welcome);
    assert_eq!(
        update(&mut s, key(KeyCode::Char('d'))),
        vec![Effect::StartDemo]
    );
    let fx = update(&mut s, Msg::DemoReady("http://127.0.0.1:1/api/v1".into()));
    assert_eq!(s.screen, Screen::Playground);
    assert!(s.demo);
    assert_eq!(s.panes.len(), 3);
    assert!(fx.contains(&Effect::FetchCatalog));
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
    assert_eq!((spent.total, spent.estimated), (crate::cost::Usd::parse("0.5").unwrap(), false));
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

#[test]
fn copy_the_answer_a_code_block_or_the_reasoning() {
    let mut s = state(&["sim/swift-mini"]);
    assert!(update(&mut s, ctrl('y')).is_empty(), "nothing to copy yet");
    assert!(s.notice.as_ref().unwrap().error);
    let reqs = send(&mut s, "code please");
    let answer = "Intro\n\n```rust\nfn a() {}\n```\n\nand\n\n```python\nprint(1)\n```\n";
    stream(&mut s, reqs[0], StreamEvent::Reasoning("hmm".into()), 5);
    finish(&mut s, reqs[0], answer);
    let copied = |fx: Vec<Effect>| match fx.as_slice() {
        [Effect::Copy { text, what }] => (text.clone(), what.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        copied(update(&mut s, ctrl('y'))),
        (answer.to_string(), "the answer".to_string())
    );
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(
        copied(update(&mut s, key(KeyCode::Char('2')))),
        ("print(1)\n".to_string(), "code block [2]".to_string())
    );
    assert_eq!(
        copied(update(&mut s, key(KeyCode::Char('1')))).0,
        "fn a() {}\n"
    );
    assert!(update(&mut s, key(KeyCode::Char('3'))).is_empty());
    assert!(s.notice.as_ref().unwrap().text.contains("it has 2"));
    assert_eq!(copied(update(&mut s, key(KeyCode::Char('Y')))).0, "hmm");
    update(
        &mut s,
        Msg::Copied(Ok("copied code block [2]: 9 chars via OSC 52".into())),
    );
    assert!(!s.notice.as_ref().unwrap().error);
}

#[test]
fn raw_source_and_reasoning_toggles() {
    let mut s = state(&["sim/deep-thinker"]);
    let reqs = send(&mut s, "x");
    stream(
        &mut s,
        reqs[0],
        StreamEvent::Reasoning("thinking".into()),
        5,
    );
    assert!(
        s.panes[0].current().unwrap().reasoning_open(),
        "open while the model thinks"
    );
    stream(&mut s, reqs[0], StreamEvent::Text("answer".into()), 9);
    assert!(
        !s.panes[0].current().unwrap().reasoning_open(),
        "folded once the answer starts"
    );
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('t')));
    assert!(s.panes[0].current().unwrap().reasoning_open());
    update(&mut s, key(KeyCode::Char('s')));
    assert!(s.panes[0].raw);
}
