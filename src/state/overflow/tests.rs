//! The overflow dialog's choices and the config's defaults, as `update` sequences.

use crossterm::event::KeyCode;

use crate::chat::Role;
use crate::state::overflow::OnOverflow;
use crate::state::rounds::tests::{catalog, finish, first_request, key, started, state};
use crate::state::*;

/// One pane of `sim/swift-mini` with a 1,000-token context and six rounds of 200-token
/// answers behind it: the next prompt does not fit.
fn full(on_overflow: OnOverflow) -> State {
    let mut s = grown(&["sim/swift-mini"], 6);
    s.on_overflow = on_overflow;
    update(&mut s, Msg::Paste("the next question".into()));
    s
}

/// `models` panes, `sim/swift-mini` with a 1,000-token context, after `rounds` rounds of
/// 200-token answers sent whole.
fn grown(models: &[&str], rounds: usize) -> State {
    let mut s = state(models);
    let mut c = catalog();
    for m in &mut c.models {
        if m.id == "sim/swift-mini" {
            m.context_length = Some(1000);
        }
    }
    s.catalog = Some(c);
    s.on_overflow = OnOverflow::Send;
    for i in 0..rounds {
        update(&mut s, Msg::Paste(format!("question {i}")));
        let fx = update(&mut s, key(KeyCode::Enter));
        for req in started(&fx) {
            finish(&mut s, req, &"z".repeat(800));
        }
    }
    s
}

fn users(request: &crate::chat::ChatRequest) -> Vec<String> {
    request
        .messages
        .iter()
        .filter(|m| m.role == Role::User)
        .map(|m| m.content.clone())
        .collect()
}

#[test]
fn a_prompt_over_the_context_waits_for_the_dialog() {
    let mut s = full(OnOverflow::Ask);
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(started(&fx).is_empty(), "nothing is sent silently");
    let Some(Overlay::Overflow(d)) = &s.overlay else {
        panic!("the dialog opens: {:?}", s.overlay);
    };
    assert_eq!(d.over.len(), 1);
    assert!(d.over[0].1.over());
    assert_eq!(s.scope(), keymap::Scope::Overflow);
    // Esc goes back with the prompt kept.
    let fx = update(&mut s, key(KeyCode::Esc));
    assert!(started(&fx).is_empty());
    assert!(s.overlay.is_none());
    assert_eq!(s.editor.text(), "the next question");
}

#[test]
fn trim_leaves_out_the_oldest_rounds_and_the_pane_says_how_many() {
    let mut s = full(OnOverflow::Ask);
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, key(KeyCode::Char('t')));
    let request = first_request(&fx);
    let asked = users(request);
    assert_eq!(asked.last().unwrap(), "the next question");
    assert!(!asked.contains(&"question 0".to_string()), "{asked:?}");
    assert!(
        asked.contains(&"question 5".to_string()),
        "the newest stay: {asked:?}"
    );
    let left_out = 6 - (asked.len() - 1);
    assert_eq!(s.panes[0].current().unwrap().left_out, left_out);
    let tokens =
        crate::cost::estimate_prompt_tokens(request.messages.iter().map(|m| m.content.as_str()));
    assert!(tokens <= 900, "the request fits: {tokens}");
    assert!(s.overlay.is_none());
    assert_eq!(s.editor.text(), "", "sent");
    // A retry is over the context too: it asks again, and a trim leaves out as many.
    update(&mut s, key(KeyCode::Tab));
    let fx = update(&mut s, key(KeyCode::Char('r')));
    assert!(started(&fx).is_empty());
    let fx = update(&mut s, key(KeyCode::Char('t')));
    assert_eq!(users(first_request(&fx)), asked);
}

#[test]
fn send_anyway_sends_the_whole_history() {
    let mut s = full(OnOverflow::Ask);
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, key(KeyCode::Char('s')));
    assert_eq!(users(first_request(&fx)).len(), 7);
    assert_eq!(s.panes[0].current().unwrap().left_out, 0);
}

#[test]
fn a_new_conversation_sends_just_the_prompt_once_the_session_starts() {
    let mut s = full(OnOverflow::Ask);
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, key(KeyCode::Char('n')));
    assert!(started(&fx).is_empty());
    assert!(fx.iter().any(|e| matches!(e, Effect::NewSession)));
    let old = s.session.id.clone();
    let fx = update(&mut s, Msg::SessionStarted("20261203-130000-beef".into()));
    assert_ne!(s.session.id, old);
    assert_eq!(users(first_request(&fx)), ["the next question"]);
    assert_eq!(s.session.rounds.len(), 1);
}

#[test]
fn the_config_can_trim_or_send_without_asking() {
    let mut s = full(OnOverflow::Trim);
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(s.overlay.is_none());
    assert!(users(first_request(&fx)).len() < 7);
    let mut s = full(OnOverflow::Send);
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(s.overlay.is_none());
    assert_eq!(users(first_request(&fx)).len(), 7);
}

#[test]
fn a_prompt_that_fits_is_sent_at_once() {
    let mut s = full(OnOverflow::Ask);
    s.catalog = Some(catalog());
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(users(first_request(&fx)).len(), 7);
    assert_eq!(
        OnOverflow::parse("trim"),
        Ok(OnOverflow::Trim),
        "the config's words"
    );
    assert!(OnOverflow::parse("cut").is_err());
}

#[test]
fn an_edited_earlier_prompt_counts_only_the_rounds_it_keeps() {
    let mut s = full(OnOverflow::Trim);
    s.editor.clear();
    // Edit round 2: rounds 0 and 1 stay, and with the prompt they fit.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('e')));
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Up));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.session.branch_from, Some(2));
    let fill = s.context_fill(0, &s.editor.text()).unwrap();
    assert!(!fill.over(), "{fill:?}");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(s.overlay.is_none());
    assert_eq!(
        users(first_request(&fx)),
        ["question 0", "question 1", "question 2"],
        "nothing of what stays is trimmed"
    );
    assert_eq!(s.panes[0].current().unwrap().left_out, 0);
}

#[test]
fn a_blind_round_trims_the_pane_over_its_context_whatever_the_shuffle() {
    for seed_round in 0..8 {
        let mut s = grown(&["sim/swift-mini", "sim/sage-large"], 6 + seed_round);
        s.blind = true;
        s.on_overflow = OnOverflow::Trim;
        update(&mut s, Msg::Paste("the next question".into()));
        let fx = update(&mut s, key(KeyCode::Enter));
        let requests: Vec<&crate::chat::ChatRequest> = fx
            .iter()
            .filter_map(|e| match e {
                Effect::StartStream { request, .. } => Some(request),
                _ => None,
            })
            .collect();
        assert_eq!(requests.len(), 2);
        for r in requests {
            let whole = users(r).len() == 7 + seed_round;
            assert_eq!(
                whole,
                r.model == "sim/sage-large",
                "only the small model's history is trimmed ({seed_round})"
            );
        }
    }
}

#[test]
fn a_new_conversation_whose_save_failed_sends_nothing_later() {
    let mut s = full(OnOverflow::Ask);
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Char('n')));
    assert!(s.pending_send.is_some());
    update(&mut s, Msg::Saved(Err("disk full".into())));
    assert!(s.pending_send.is_none());
    // A later Ctrl-N opens a session; what the editor holds is not sent on its own.
    let fx = update(&mut s, Msg::SessionStarted("20261203-130000-beef".into()));
    assert!(started(&fx).is_empty());
    // Nor is a prompt that changed while the new session was being made.
    let mut s = full(OnOverflow::Ask);
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Char('n')));
    update(&mut s, Msg::Paste(" and more".into()));
    let fx = update(&mut s, Msg::SessionStarted("20261203-130000-beef".into()));
    assert!(started(&fx).is_empty());
}

#[test]
fn a_retry_over_the_context_asks_too_and_trims_when_told() {
    let mut s = full(OnOverflow::Send);
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(users(first_request(&fx)).len(), 7, "sent whole");
    s.on_overflow = OnOverflow::Ask;
    update(&mut s, key(KeyCode::Tab));
    let fx = update(&mut s, key(KeyCode::Char('r')));
    assert!(started(&fx).is_empty());
    let Some(Overlay::Overflow(d)) = &s.overlay else {
        panic!("the dialog opens for a retry: {:?}", s.overlay);
    };
    assert!(d.retry);
    let fx = update(&mut s, key(KeyCode::Char('t')));
    let asked = users(first_request(&fx));
    assert_eq!(asked.last().unwrap(), "the next question");
    assert!(asked.len() < 7, "{asked:?}");
    assert!(s.panes[0].current().unwrap().left_out > 0);
    assert_eq!(s.panes[0].turns.len(), 7, "the retry replaced the answer");
}

#[test]
fn a_pane_with_middle_out_is_sent_without_asking_and_says_so() {
    let mut s = full(OnOverflow::Ask);
    s.middle_out = crate::provider::routing::MiddleOut {
        providers: vec![(String::new(), true)],
        models: Vec::new(),
    };
    assert!(s.middle_out_for("sim/swift-mini"));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(s.overlay.is_none(), "no dialog: OpenRouter compresses it");
    assert_eq!(users(first_request(&fx)).len(), 7, "sent whole");
    let notes = &s.panes[0].current().unwrap().answer.notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("middle-out") && n.contains("1,000 context")),
        "{notes:?}"
    );
    // A model's own routing turns it off again; an endpoint not of OpenRouter's kind never
    // has it.
    s.middle_out.models.push(("sim/swift-mini".into(), false));
    assert!(!s.middle_out_for("sim/swift-mini"));
    s.middle_out.models.clear();
    s.middle_out.providers.clear();
    assert!(!s.middle_out_for("sim/swift-mini"));
}
