//! Blind rounds and votes as `update` sequences.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::chat::StreamEvent;
use crate::state::rounds::tests::{finish, key, send, state, stream};
use crate::state::*;
use crate::storage::votes::Verdict;

const MODELS: [&str; 3] = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"];

fn blind_state() -> State {
    let mut s = state(&MODELS);
    s.blind = true;
    s
}

fn models(s: &State) -> Vec<String> {
    s.panes.iter().map(|p| p.model.clone()).collect()
}

/// Focuses pane `i` (Tab from the editor).
fn focus(s: &mut State, i: usize) {
    update(s, key(KeyCode::Tab));
    s.focused = i;
}

#[test]
fn a_blind_round_shuffles_from_its_saved_seed_and_hides_who_is_who() {
    let mut s = blind_state();
    assert!(s.hidden(), "blind before the first round too");
    let reqs = send(&mut s, "Which sort is stable?");
    assert_eq!(reqs.len(), 3);
    let seed = s.head_round().unwrap().blind.unwrap().seed;
    let mut expected: Vec<String> = MODELS.iter().map(|m| m.to_string()).collect();
    crate::rating::rng::Rng::new(seed).shuffle(&mut expected);
    assert_eq!(models(&s), expected, "the saved seed replays the shuffle");
    assert!(s.hidden());
    // Anything said while hidden names panes by letter.
    let m = s.panes[1].model.clone();
    s.notify(
        format!("{m} failed; also {}", m.rsplit('/').next().unwrap()),
        true,
    );
    let text = &s.notice.as_ref().unwrap().text;
    assert_eq!(text, "B failed; also B");
    // Each new round draws another order (from the wall clock and the round).
    assert_ne!(
        super::seed_for(1, 0),
        super::seed_for(1, 1),
        "seeds differ per round"
    );
}

#[test]
fn a_vote_while_streaming_stops_the_others_asks_their_cost_and_reveals() {
    let mut s = blind_state();
    let reqs = send(&mut s, "q");
    for (i, req) in reqs.iter().enumerate() {
        stream(
            &mut s,
            *req,
            StreamEvent::Generation(format!("gen-{i}")),
            10,
        );
        stream(&mut s, *req, StreamEvent::Text("partial".into()), 20);
    }
    // The pane now at position 2 is voted best while all three still stream.
    let best = s.panes[2].model.clone();
    let others: Vec<String> = models(&s).into_iter().filter(|m| *m != best).collect();
    focus(&mut s, 2);
    let fx = update(&mut s, key(KeyCode::Char('v')));
    let cancelled: Vec<u64> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::CancelStream { req } => Some(*req),
            _ => None,
        })
        .collect();
    assert_eq!(cancelled.len(), 2, "the other two streams stop: {fx:?}");
    assert!(!cancelled.contains(&s.panes[2].req), "the winner goes on");
    let lookups = fx
        .iter()
        .filter(|e| matches!(e, Effect::LookupGeneration { .. }))
        .count();
    assert_eq!(
        lookups, 2,
        "their exact cost is asked for, as for any cancel"
    );
    assert!(fx.contains(&Effect::SaveSession));
    assert!(s.panes[2].is_running(), "the chosen answer keeps streaming");
    assert!(!s.hidden(), "revealed");
    let vote = s.head_round().unwrap().vote.clone().unwrap();
    assert_eq!(vote.verdict, Verdict::Best);
    assert_eq!(vote.best.as_deref(), Some(best.as_str()));
    assert!(vote.blind);
    assert_eq!(vote.models, models(&s));
    assert_eq!(
        s.notice.as_ref().unwrap().text,
        format!("You picked {best} over {} and {}", others[0], others[1])
    );
    // Changing the vote after the reveal is sighted.
    update(&mut s, key(KeyCode::Char('=')));
    let vote = s.head_round().unwrap().vote.clone().unwrap();
    assert_eq!((vote.verdict, vote.blind), (Verdict::Tie, false));
    assert!(s.notice.as_ref().unwrap().text.contains("sighted"));
}

#[test]
fn ties_and_all_bad_stop_every_stream() {
    let mut s = blind_state();
    let reqs = send(&mut s, "q");
    finish(&mut s, reqs[0], "done");
    focus(&mut s, 0);
    let fx = update(&mut s, key(KeyCode::Char('-')));
    let cancelled = fx
        .iter()
        .filter(|e| matches!(e, Effect::CancelStream { .. }))
        .count();
    assert_eq!(cancelled, 2, "the two still running");
    let vote = s.head_round().unwrap().vote.clone().unwrap();
    assert_eq!(
        (vote.verdict, vote.best, vote.blind),
        (Verdict::AllBad, None, true)
    );
    assert!(s.notice.as_ref().unwrap().text.starts_with("You found "));
}

#[test]
fn a_vote_needs_two_answers_and_a_sighted_vote_says_so() {
    let mut s = state(&["sim/swift-mini"]);
    send(&mut s, "q");
    focus(&mut s, 0);
    update(&mut s, key(KeyCode::Char('v')));
    assert!(s.head_round().unwrap().vote.is_none());
    assert!(s.notice.as_ref().unwrap().error);

    let mut s = state(&MODELS);
    let reqs = send(&mut s, "q");
    for r in reqs {
        finish(&mut s, r, "x");
    }
    let order = models(&s);
    assert_eq!(order, MODELS, "a sighted round is not shuffled");
    focus(&mut s, 1);
    update(&mut s, key(KeyCode::Char('v')));
    let vote = s.head_round().unwrap().vote.clone().unwrap();
    assert!(!vote.blind);
    assert!(s.notice.as_ref().unwrap().text.contains("sighted vote"));
}

#[test]
fn blind_mode_refuses_what_would_show_who_is_who() {
    let mut s = blind_state();
    // One pane, or one focused pane, is no blind round.
    update(&mut s, Msg::Paste("q".into()));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    assert!(s.session.rounds.is_empty(), "Ctrl-S refused while blind");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.session.rounds.len(), 1);
    focus(&mut s, 0);
    update(&mut s, key(KeyCode::Char('a')));
    assert!(
        s.panes.iter().all(|p| !p.current().unwrap().adopted),
        "no adopting blind"
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)),
    );
    assert!(s.overlay.is_none(), "the picker's numbers follow the panes");
    // F3 reveals without a vote; a vote after it is sighted.
    update(&mut s, key(KeyCode::F(3)));
    assert!(!s.hidden() && !s.blind);
    assert!(s.head_round().unwrap().blind.unwrap().revealed);
    update(&mut s, key(KeyCode::Char('v')));
    assert!(!s.head_round().unwrap().vote.as_ref().unwrap().blind);
    // F3 again: on for the next round.
    update(&mut s, key(KeyCode::F(3)));
    assert!(s.blind);
}

#[test]
fn a_saved_blind_round_reopens_hidden_with_its_vote_and_seed() {
    let mut s = blind_state();
    s.session.id = "20261203-101010-abcd".into();
    let reqs = send(&mut s, "q");
    for r in &reqs {
        finish(&mut s, *r, "x");
    }
    let saved = s.session_snapshot().unwrap();
    let text = serde_json::to_string(&saved).unwrap();
    let back = crate::storage::session::parse(&text).unwrap();
    let mut reopened = state(&[]);
    reopened.restore(back.clone());
    assert!(reopened.hidden(), "still hidden: nobody voted");
    assert_eq!(models(&reopened), models(&s), "panes in the shuffled order");
    focus(&mut reopened, 0);
    update(&mut reopened, key(KeyCode::Char('v')));
    let snap = reopened.session_snapshot().unwrap();
    let r = &snap.rounds[0];
    assert_eq!(r.blind.unwrap().seed, back.rounds[0].blind.unwrap().seed);
    assert!(r.vote.as_ref().unwrap().blind);
}
