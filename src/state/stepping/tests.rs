//! Stepping through a batch session's prompts and voting on each, as `update` sequences.

use crossterm::event::KeyCode;

use crate::chat::{Answer, AnswerStatus};
use crate::state::rounds::tests::{key, state};
use crate::state::*;
use crate::storage::session::{BatchInfo, RoundRecord, SCHEMA, SavedAnswer, Session};
use crate::storage::votes::Verdict;

const MODELS: [&str; 2] = ["sim/swift-mini", "sim/sage-large"];

/// A session as `run --prompts` saves it: one root round per prompt, each model's answer.
pub fn batch_session(prompts: usize) -> Session {
    let rounds = (0..prompts)
        .map(|i| RoundRecord {
            id: i as u64,
            parent: None,
            prompt: format!("prompt {i}"),
            system: None,
            params: Default::default(),
            created_ms: 1000 + i as u64,
            winner: None,
            answers: MODELS
                .iter()
                .enumerate()
                .map(|(slot, m)| {
                    let mut a = Answer::new(*m, 3);
                    a.status = AnswerStatus::Complete;
                    a.text = format!("answer {i} of {m}");
                    SavedAnswer::from_answer(&a, slot, None, None)
                })
                .collect(),
            blind: None,
            vote: None,
            judgements: Vec::new(),
            attachments: Vec::new(),
            prompt_id: Some(format!("p{i}")),
        })
        .collect();
    Session {
        schema: SCHEMA,
        id: "20261203-000000-abcd".into(),
        title: "batch: p.txt (3 prompts)".into(),
        created_ms: 1,
        updated_ms: 2,
        base_url: "http://sim".into(),
        models: MODELS.iter().map(|m| m.to_string()).collect(),
        batch: Some(BatchInfo {
            source: "p.txt".into(),
            prompts: prompts as u64,
            models: MODELS.iter().map(|m| m.to_string()).collect(),
        }),
        rounds,
    }
}

fn shown(s: &State) -> Vec<String> {
    s.panes
        .iter()
        .map(|p| {
            p.current()
                .map(|t| t.answer.text.clone())
                .unwrap_or_default()
        })
        .collect()
}

fn opened(prompts: usize) -> State {
    let mut s = state(&MODELS);
    update(&mut s, Msg::SessionOpened(Ok(batch_session(prompts))));
    update(&mut s, key(KeyCode::Tab)); // the panes take the keys
    s
}

#[test]
fn every_prompt_can_be_shown_and_voted_and_the_votes_are_saved() {
    let mut s = opened(3);
    // It opens on the newest round: the last prompt.
    assert_eq!(
        shown(&s),
        ["answer 2 of sim/swift-mini", "answer 2 of sim/sage-large"]
    );
    update(&mut s, key(KeyCode::Char('[')));
    update(&mut s, key(KeyCode::Char('[')));
    assert_eq!(s.session.head, Some(0));
    assert_eq!(
        shown(&s),
        ["answer 0 of sim/swift-mini", "answer 0 of sim/sage-large"]
    );
    update(&mut s, key(KeyCode::Char('[')));
    assert!(s.notice.as_ref().unwrap().text.contains("first prompt"));
    for i in 0..3 {
        s.focused = 1;
        let fx = update(&mut s, key(KeyCode::Char('v')));
        assert!(fx.iter().any(|e| matches!(e, Effect::SaveSession)));
        let vote = s.session.rounds[i].vote.clone().expect("voted");
        assert_eq!(vote.verdict, Verdict::Best);
        assert_eq!(vote.best.as_deref(), Some("sim/sage-large"));
        update(&mut s, key(KeyCode::Char(']')));
    }
    // Saved: every answer still in its round, none archived, each round's vote kept.
    let snap = s.session_snapshot().unwrap();
    assert_eq!(snap.batch.as_ref().unwrap().prompts, 3);
    for r in &snap.rounds {
        assert_eq!(r.answers.len(), 2, "round {}", r.id);
        assert!(r.answers.iter().all(|a| !a.archived));
        assert!(r.vote.is_some());
        assert_eq!(r.prompt_id.as_deref(), Some(&*format!("p{}", r.id)));
    }
    // And it opens again the same way.
    let mut again = state(&MODELS);
    update(&mut again, Msg::SessionOpened(Ok(snap)));
    update(&mut again, key(KeyCode::Tab));
    update(&mut again, key(KeyCode::Char('[')));
    assert_eq!(
        shown(&again),
        ["answer 1 of sim/swift-mini", "answer 1 of sim/sage-large"]
    );
}

#[test]
fn blind_mode_shuffles_each_prompt_not_yet_voted_on() {
    let mut s = opened(2);
    s.blind = true;
    update(&mut s, key(KeyCode::Char('[')));
    let round = &s.session.rounds[0];
    assert!(round.blind.is_some(), "the prompt stepped to is blind");
    assert!(s.hidden());
    let best = s.panes[0].model.clone();
    s.focused = 0;
    update(&mut s, key(KeyCode::Char('v')));
    let vote = s.session.rounds[0].vote.clone().unwrap();
    assert!(
        vote.blind,
        "cast before the reveal: it counts in the ratings"
    );
    assert_eq!(vote.best, Some(best));
    assert!(!s.hidden());
}

#[test]
fn stepping_is_for_batch_sessions() {
    let mut s = state(&MODELS);
    let mut session = batch_session(2);
    session.batch = None;
    update(&mut s, Msg::SessionOpened(Ok(session)));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char(']')));
    assert!(s.notice.as_ref().unwrap().text.contains("batch"));
}
