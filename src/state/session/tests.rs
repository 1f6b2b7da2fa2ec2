//! `update` sequences for sessions: rounds, adoption, branches, snapshots that reopen as they
//! were, and the browser.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::chat::{AnswerStatus, StreamEnd, StreamEvent, Usage};
use crate::cost::Usd;
use crate::state::*;
use crate::storage::index::Entry;

fn state(models: &[&str]) -> State {
    State::new(Init {
        models: models.iter().map(|m| m.to_string()).collect(),
        base_url: "http://sim".into(),
        size: (120, 40),
        wall_ms: 1_795_805_172_000,
        session_id: "s1".into(),
        ..Init::default()
    })
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn round(s: &mut State, prompt: &str, answers: &[&str]) -> Vec<u64> {
    update(s, Msg::Paste(prompt.into()));
    update(s, key(KeyCode::Enter));
    let reqs: Vec<u64> = s.panes.iter().map(|p| p.req).collect();
    for (req, text) in reqs.iter().zip(answers) {
        let at = Duration::from_millis(10);
        update(
            s,
            Msg::Stream {
                req: *req,
                event: StreamEvent::Text(text.to_string()),
                at,
            },
        );
        let usage = Usage {
            prompt_tokens: 5,
            completion_tokens: 7,
            cost: Some(Usd::parse("0.001").unwrap()),
            ..Usage::default()
        };
        update(
            s,
            Msg::Stream {
                req: *req,
                event: StreamEvent::Usage(usage),
                at,
            },
        );
        update(
            s,
            Msg::Stream {
                req: *req,
                event: StreamEvent::End(StreamEnd::Complete {
                    finish_reason: Some("stop".into()),
                }),
                at,
            },
        );
    }
    reqs
}

fn texts(s: &State, pane: usize) -> Vec<String> {
    s.panes[pane]
        .turns
        .iter()
        .map(|t| t.answer.text.clone())
        .collect()
}

#[test]
fn rounds_are_recorded_and_a_round_end_saves() {
    let mut s = state(&["m/a", "m/b"]);
    assert!(
        s.session_snapshot().is_none(),
        "nothing to save before a prompt"
    );
    update(&mut s, Msg::Paste("Why?".into()));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.session.dirty);
    let req = s.panes[0].req;
    let fx = update(
        &mut s,
        Msg::Stream {
            req,
            event: StreamEvent::End(StreamEnd::Incomplete),
            at: Duration::ZERO,
        },
    );
    assert!(!fx.contains(&Effect::SaveSession), "one pane still streams");
    let req = s.panes[1].req;
    let fx = update(
        &mut s,
        Msg::Stream {
            req,
            event: StreamEvent::End(StreamEnd::Incomplete),
            at: Duration::ZERO,
        },
    );
    assert!(
        fx.contains(&Effect::SaveSession),
        "the end of a round saves"
    );
    let snap = s.session_snapshot().unwrap();
    assert_eq!(
        (snap.id.as_str(), snap.title.as_str(), snap.rounds.len()),
        ("s1", "Why?", 1)
    );
    assert_eq!(snap.rounds[0].answers.len(), 2);
    assert_eq!(snap.models, vec!["m/a", "m/b"]);
}

#[test]
fn a_snapshot_reopens_as_it_was() {
    let mut s = state(&["m/a", "m/b"]);
    round(&mut s, "one", &["a1", "b1"]);
    round(&mut s, "two", &["a2", "b2"]);
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('a')));
    let snap = s.session_snapshot().unwrap();
    assert_eq!(snap.rounds[1].winner, Some(1));
    let mut t = state(&[]);
    t.overlay = None;
    t.restore(snap.clone());
    assert_eq!(
        t.panes.iter().map(|p| p.model.as_str()).collect::<Vec<_>>(),
        vec!["m/a", "m/b"]
    );
    assert_eq!(texts(&t, 0), vec!["a1", "a2"]);
    assert_eq!(texts(&t, 1), vec!["b1", "b2"]);
    assert_eq!(t.session.title, "one");
    assert_eq!(
        t.session_snapshot().unwrap().rounds,
        snap.rounds,
        "saving again gives the same rounds"
    );
    // The next round continues the branch: each pane with its own history.
    update(&mut t, Msg::Paste("three".into()));
    let fx = update(&mut t, key(KeyCode::Enter));
    let request = crate::state::rounds::tests::first_request(&fx);
    assert_eq!(
        request.messages.len(),
        5,
        "two earlier turns and the new prompt"
    );
    assert_eq!(t.session.rounds[2].parent, Some(1));
}

#[test]
fn answers_saved_mid_stream_reopen_as_interrupted() {
    let mut s = state(&["m/a"]);
    update(&mut s, Msg::Paste("q".into()));
    update(&mut s, key(KeyCode::Enter));
    let req = s.panes[0].req;
    update(
        &mut s,
        Msg::Stream {
            req,
            event: StreamEvent::Text("partial".into()),
            at: Duration::from_millis(5),
        },
    );
    let snap = s.session_snapshot().unwrap();
    assert_eq!(snap.rounds[0].answers[0].status, AnswerStatus::Streaming);
    let mut t = state(&[]);
    t.restore(snap);
    let a = &t.panes[0].turns[0].answer;
    assert_eq!(
        (a.text.as_str(), a.status),
        ("partial", AnswerStatus::Incomplete)
    );
    assert!(a.error.as_ref().unwrap().message.contains("interrupted"));
}

#[test]
fn adopting_and_continuing_alone() {
    let mut s = state(&["m/a", "m/b", "m/c"]);
    round(&mut s, "one", &["a1", "b1", "c1"]);
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    let fx = update(&mut s, key(KeyCode::Char('A')));
    assert!(fx.contains(&Effect::SaveSession));
    assert_eq!(s.panes.len(), 1);
    assert_eq!(s.panes[0].model, "m/b");
    let snap = s.session_snapshot().unwrap();
    assert_eq!(
        snap.rounds[0].winner,
        Some(0),
        "the winner's pane is now the first"
    );
    let adopted: Vec<&str> = snap.rounds[0]
        .answers
        .iter()
        .filter(|a| snap.rounds[0].is_adopted(a))
        .map(|a| a.model.as_str())
        .collect();
    assert_eq!(
        adopted,
        vec!["m/b"],
        "the flag follows the answer, not the slot"
    );
    assert_eq!(
        snap.rounds[0].answers.len(),
        3,
        "the other answers stay in the session"
    );
    assert_eq!(snap.models, vec!["m/b"]);
}

#[test]
fn editing_an_earlier_prompt_starts_a_branch_and_keeps_the_old_rounds() {
    let mut s = state(&["m/a"]);
    round(&mut s, "one", &["a1"]);
    round(&mut s, "two", &["a2"]);
    round(&mut s, "three", &["a3"]);
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('e')));
    assert!(matches!(s.overlay, Some(Overlay::Rounds { cursor: 2 })));
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.editor.text(), "two");
    assert_eq!(s.session.branch_from, Some(1));
    assert_eq!(s.focus, Focus::Editor);
    update(&mut s, Msg::Paste(" (better)".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    let request = crate::state::rounds::tests::first_request(&fx);
    let sent: Vec<&str> = request
        .messages
        .iter()
        .map(|m| m.content.as_str())
        .collect();
    assert_eq!(
        sent,
        vec!["one", "a1", "two (better)"],
        "the branch follows round one"
    );
    assert_eq!(texts(&s, 0), vec!["a1", ""]);
    let snap = s.session_snapshot().unwrap();
    assert_eq!(snap.rounds.len(), 4);
    assert_eq!(snap.rounds[3].parent, Some(0));
    assert_eq!(
        snap.rounds[1].answers[0].text, "a2",
        "the old rounds are kept"
    );
    assert_eq!(snap.rounds[2].answers[0].text, "a3");
    // Reopening shows the new branch.
    let mut t = state(&[]);
    t.restore(snap);
    assert_eq!(
        t.panes[0]
            .turns
            .iter()
            .map(|t| t.prompt.as_str())
            .collect::<Vec<_>>(),
        vec!["one", "two (better)"]
    );
    // Esc in the editor leaves a branch that was not sent.
    update(&mut t, key(KeyCode::Tab));
    update(&mut t, key(KeyCode::Char('e')));
    update(&mut t, key(KeyCode::Enter));
    assert!(t.session.branch_from.is_some());
    update(&mut t, key(KeyCode::Esc));
    assert!(t.session.branch_from.is_none() && t.editor.is_empty());
}

#[test]
fn branching_while_streaming_stops_every_stream_it_archives() {
    let mut s = state(&["m/a", "m/b"]);
    round(&mut s, "one", &["a1", "b1"]);
    update(&mut s, Msg::Paste("two".into()));
    let reqs = crate::state::rounds::tests::started(&update(&mut s, key(KeyCode::Enter)));
    let stream = crate::state::rounds::tests::stream;
    assert_eq!(reqs.len(), 2);
    for &r in &reqs {
        // Both answers are streaming, each with a generation id to look up.
        stream(&mut s, r, StreamEvent::Generation(format!("gen-{r}")), 10);
        stream(&mut s, r, StreamEvent::Text("partial".into()), 20);
    }
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('e')));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.session.branch_from, Some(1));
    update(&mut s, Msg::Paste(" again".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    for &r in &reqs {
        assert!(fx.contains(&Effect::CancelStream { req: r }), "{r}: {fx:?}");
        assert!(
            fx.iter().any(
                |e| matches!(e, Effect::LookupGeneration { id, .. } if *id == format!("gen-{r}"))
            ),
            "{fx:?}"
        );
    }
    let snap = s.session_snapshot().unwrap();
    for a in snap.rounds[1].answers.iter() {
        assert_eq!(a.status, AnswerStatus::Cancelled, "archived, and stopped");
        assert!(a.archived);
    }
    // A late event of a stopped stream changes nothing.
    let before = s.session_snapshot().unwrap();
    stream(&mut s, reqs[0], StreamEvent::Text(" more".into()), 30);
    assert_eq!(s.session_snapshot().unwrap().rounds, before.rounds);
}

#[test]
fn regenerating_keeps_the_old_answer_in_the_session() {
    let mut s = state(&["m/a"]);
    round(&mut s, "one", &["first try"]);
    update(&mut s, ctrl('r'));
    let snap = s.session_snapshot().unwrap();
    assert_eq!(snap.rounds.len(), 1);
    let answers: Vec<(&str, bool)> = snap.rounds[0]
        .answers
        .iter()
        .map(|a| (a.text.as_str(), a.archived))
        .collect();
    assert_eq!(
        answers,
        vec![("", false), ("first try", true)],
        "the shown answer first, the old one archived"
    );
    let mut t = state(&[]);
    t.restore(snap);
    assert_eq!(
        texts(&t, 0),
        vec![""],
        "reopening shows the regenerated answer"
    );
    assert_eq!(t.session.rounds[0].archived.len(), 1);
}

#[test]
fn the_browser_lists_opens_renames_and_deletes() {
    let mut s = state(&["m/a"]);
    round(&mut s, "current", &["x"]);
    let fx = update(&mut s, ctrl('o'));
    assert_eq!(fx, vec![Effect::LoadSessions]);
    let text = include_str!("../../../tests/fixtures/sessions/v1.json");
    let other = crate::storage::session::parse(text).unwrap();
    let mut mine = s.session_snapshot().unwrap();
    mine.updated_ms += 1;
    let entries = vec![
        Entry::Session(crate::storage::index::summarize(&mine)),
        Entry::Session(crate::storage::index::summarize(&other)),
        Entry::Unreadable {
            file: "bad.json".into(),
            reason: "not a session file".into(),
        },
    ];
    update(&mut s, Msg::SessionList(entries));
    for c in "old".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    let Some(Overlay::Sessions(b)) = &s.overlay else {
        panic!()
    };
    assert_eq!(b.visible.len(), 1);
    assert_eq!(b.current_id().as_deref(), Some(other.id.as_str()));
    update(&mut s, ctrl('r'));
    for _ in 0.."Old session from schema 1".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    for c in "Renamed".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::RenameSession {
            id: other.id.clone(),
            title: "Renamed".into()
        }]
    );
    update(&mut s, ctrl('d'));
    assert!(
        update(&mut s, key(KeyCode::Char('n'))).is_empty(),
        "anything but y keeps it"
    );
    update(&mut s, ctrl('d'));
    assert_eq!(
        update(&mut s, key(KeyCode::Char('y'))),
        vec![Effect::DeleteSession(other.id.clone())]
    );
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::SaveSession, Effect::OpenSession(other.id.clone())]
    );
    update(&mut s, Msg::SessionOpened(Ok(other)));
    assert_eq!(s.session.title, "Old session from schema 1");
    assert_eq!(texts(&s, 0), vec!["first answer", "second answer"]);
    assert!(s.overlay.is_none());
}

#[test]
fn save_failures_are_shown_and_retried() {
    let mut s = state(&["m/a"]);
    round(&mut s, "one", &["x"]);
    update(&mut s, Msg::SaveStarted);
    assert!(!s.session.dirty);
    update(
        &mut s,
        Msg::Saved(Err(
            "the disk is full; the session is kept in memory and saving is retried".into(),
        )),
    );
    assert!(s.session.dirty, "a failed save is tried again");
    assert!(
        s.session
            .save_error
            .as_ref()
            .unwrap()
            .contains("disk is full")
    );
    update(&mut s, Msg::SaveStarted);
    update(&mut s, Msg::Saved(Ok(())));
    assert!(s.session.save_error.is_none());
}

#[test]
fn a_new_session_starts_empty() {
    let mut s = state(&["m/a"]);
    round(&mut s, "one", &["x"]);
    assert_eq!(
        update(&mut s, ctrl('n')),
        vec![Effect::SaveSession, Effect::NewSession]
    );
    update(&mut s, Msg::SessionStarted("s2".into()));
    assert_eq!(s.session.id, "s2");
    assert!(s.session.rounds.is_empty() && s.panes[0].turns.is_empty());
    assert_eq!(s.panes[0].model, "m/a", "same models");
}

#[test]
fn a_cancelled_answer_asks_for_its_exact_cost_and_gets_it() {
    let mut s = state(&["m/a"]);
    update(&mut s, Msg::Paste("q".into()));
    update(&mut s, key(KeyCode::Enter));
    let req = s.panes[0].req;
    let at = Duration::from_millis(5);
    update(
        &mut s,
        Msg::Stream {
            req,
            event: StreamEvent::Generation("gen-9".into()),
            at,
        },
    );
    update(
        &mut s,
        Msg::Stream {
            req,
            event: StreamEvent::Text("part".into()),
            at,
        },
    );
    let fx = update(&mut s, ctrl('x'));
    assert!(
        fx.contains(&Effect::LookupGeneration {
            model: "m/a".into(),
            id: "gen-9".into()
        }),
        "{fx:?}"
    );
    let cost = crate::chat::GenerationCost {
        total: Usd::parse("0.0042").unwrap(),
        prompt_tokens: Some(9),
        completion_tokens: Some(3),
    };
    update(
        &mut s,
        Msg::GenerationCost {
            id: "gen-9".into(),
            result: Ok(cost),
        },
    );
    let c = s.panes[0].current().unwrap().cost().unwrap();
    assert_eq!(
        (c.usd.to_decimal(), c.source),
        ("0.0042".to_string(), crate::cost::CostSource::Reported)
    );
}
