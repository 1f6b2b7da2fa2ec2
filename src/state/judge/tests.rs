//! The judge in the playground as `update` sequences.

use crossterm::event::KeyCode;

use crate::chat::{StreamEnd, StreamEvent, Usage};
use crate::cost::Usd;
use crate::state::rounds::tests::{finish, key, send, state, stream};
use crate::state::*;
use crate::storage::votes::Verdict;

fn judged_state(judge: &str) -> State {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    s.judge = Some(crate::judge::JudgeConfig::new(judge, None).unwrap());
    let reqs = send(&mut s, "Which is better?");
    finish(&mut s, reqs[0], "short");
    finish(&mut s, reqs[1], "a longer answer");
    s
}

fn ask(s: &mut State) -> Vec<(u64, crate::chat::ChatRequest)> {
    let fx = update(s, key(KeyCode::F(4)));
    fx.into_iter()
        .filter_map(|e| match e {
            Effect::StartStream { req, request } => Some((req, request)),
            _ => None,
        })
        .collect()
}

fn reply(s: &mut State, req: u64, text: &str, cost: &str) {
    stream(s, req, StreamEvent::Text(text.into()), 300);
    stream(
        s,
        req,
        StreamEvent::Usage(Usage {
            prompt_tokens: 50,
            completion_tokens: 10,
            cost: Some(Usd::parse(cost).unwrap()),
            ..Usage::default()
        }),
        310,
    );
    stream(
        s,
        req,
        StreamEvent::End(StreamEnd::Complete {
            finish_reason: Some("stop".into()),
        }),
        320,
    );
}

#[test]
fn the_judge_reads_both_orders_and_a_consistent_pick_wins() {
    let mut s = judged_state("sim/judge-fair");
    let before = s.spent().total;
    let reads = ask(&mut s);
    assert_eq!(reads.len(), 2, "both orders are sent");
    let first = &reads[0].1.messages[0].content;
    let second = &reads[1].1.messages[0].content;
    assert!(first.find("short").unwrap() < first.find("a longer answer").unwrap());
    assert!(second.find("short").unwrap() > second.find("a longer answer").unwrap());
    assert!(!first.contains("sim/"), "anonymised");
    assert!(matches!(s.overlay, Some(Overlay::Verdict { round: 0, .. })));
    assert!(s.streaming(), "the judge's readings count as streams");
    reply(
        &mut s,
        reads[0].0,
        r#"{"winner":"2","reason":"more complete"}"#,
        "0.001",
    );
    assert!(s.judging.is_some(), "one reading is not a verdict");
    reply(
        &mut s,
        reads[1].0,
        r#"{"winner":"1","reason":"more complete"}"#,
        "0.002",
    );
    assert!(s.judging.is_none());
    let j = s.head_round().unwrap().judgements[0].clone();
    assert_eq!(
        (j.verdict, j.best.as_deref()),
        (Verdict::Best, Some("sim/sage-large"))
    );
    assert!(
        s.head_round().unwrap().vote.is_none(),
        "kept apart from your vote"
    );
    assert_eq!(
        Usd::from_atto(s.spent().total.atto() - before.atto()).to_decimal(),
        "0.003",
        "its cost counts in the session, exactly"
    );
    let saved = s.session_snapshot().unwrap();
    assert_eq!(
        saved.spent().total,
        s.spent().total,
        "and in the saved session"
    );
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .contains("sim/sage-large is best")
    );
}

#[test]
fn readings_that_disagree_are_a_tie_and_prose_is_unparseable() {
    let mut s = judged_state("sim/judge-biased");
    let reads = ask(&mut s);
    reply(
        &mut s,
        reads[0].0,
        r#"{"winner":"1","reason":"first"}"#,
        "0.001",
    );
    reply(
        &mut s,
        reads[1].0,
        r#"{"winner":"1","reason":"first"}"#,
        "0.001",
    );
    let j = &s.head_round().unwrap().judgements[0];
    assert_eq!((j.verdict, j.best.clone()), (Verdict::Tie, None));

    let mut s = judged_state("sim/judge-broken");
    let reads = ask(&mut s);
    reply(&mut s, reads[0].0, "The first one, clearly.", "0.001");
    reply(
        &mut s,
        reads[1].0,
        r#"{"winner":"1","reason":"x"}"#,
        "0.001",
    );
    let j = &s.head_round().unwrap().judgements[0];
    assert_eq!(j.verdict, Verdict::Unparseable);
    assert!(j.runs[0].reason.contains("The first one, clearly."));
    assert!(s.notice.as_ref().unwrap().text.contains("unparseable"));
}

#[test]
fn no_judge_or_running_answers_are_said_not_guessed() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    send(&mut s, "q");
    assert!(ask(&mut s).is_empty());
    assert!(s.notice.as_ref().unwrap().text.contains("--judge"));
    s.judge = Some(crate::judge::JudgeConfig::new("sim/judge-fair", None).unwrap());
    assert!(ask(&mut s).is_empty(), "answers still stream");
    assert!(s.notice.as_ref().unwrap().text.contains("streaming"));
}

#[test]
fn quitting_while_the_judge_reads_stops_it_and_keeps_what_it_cost() {
    let mut s = judged_state("sim/judge-fair");
    let reads = ask(&mut s);
    stream(
        &mut s,
        reads[0].0,
        StreamEvent::Generation("gen-j".into()),
        50,
    );
    stream(&mut s, reads[0].0, StreamEvent::Text("{\"win".into()), 60);
    let fx = update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('q'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert!(fx.contains(&Effect::CancelStream { req: reads[0].0 }));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LookupGeneration { id, .. } if id == "gen-j"))
    );
    let j = &s.head_round().unwrap().judgements[0];
    assert_eq!(j.verdict, Verdict::Failed, "stopped, not unparseable");
    // The exact cost arrives later and replaces the estimate.
    update(
        &mut s,
        Msg::GenerationCost {
            id: "gen-j".into(),
            result: Ok(crate::chat::GenerationCost {
                total: Usd::parse("0.0042").unwrap(),
                prompt_tokens: None,
                completion_tokens: None,
            }),
        },
    );
    let run = &s.head_round().unwrap().judgements[0].runs[0];
    assert_eq!(run.cost.unwrap().usd.to_decimal(), "0.0042");
}

#[test]
fn f4_shows_the_verdict_it_has_and_asks_again_only_on_a_second_press() {
    let mut s = judged_state("sim/judge-fair");
    let reads = ask(&mut s);
    reply(
        &mut s,
        reads[0].0,
        r#"{"winner":"2","reason":"r"}"#,
        "0.001",
    );
    reply(
        &mut s,
        reads[1].0,
        r#"{"winner":"1","reason":"r"}"#,
        "0.001",
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
    assert!(
        ask(&mut s).is_empty(),
        "F4 shows the verdict: nothing is paid again"
    );
    assert!(matches!(s.overlay, Some(Overlay::Verdict { round: 0, .. })));
    assert_eq!(ask(&mut s).len(), 2, "F4 in the verdict asks again");
}

#[test]
fn no_judge_while_hidden_and_no_new_round_while_it_reads() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    s.blind = true;
    s.judge = Some(crate::judge::JudgeConfig::new("sim/judge-fair", None).unwrap());
    let reqs = send(&mut s, "q");
    finish(&mut s, reqs[0], "a");
    finish(&mut s, reqs[1], "b");
    assert!(
        ask(&mut s).is_empty(),
        "a verdict before the vote would sway it"
    );
    assert!(s.notice.as_ref().unwrap().text.contains("vote first"));
    s.focused = 0;
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('v')));
    let reads = ask(&mut s);
    assert_eq!(reads.len(), 2);
    assert!(
        send(&mut s, "next").is_empty(),
        "no new round while the judge reads"
    );
    // Ctrl-C stops the judge too.
    let fx = update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, Effect::CancelStream { .. }))
            .count(),
        2
    );
    assert!(s.judging.is_none() && !s.streaming());
}

#[test]
fn a_budget_counts_the_judge_s_readings_before_they_are_sent() {
    let mut s = judged_state("sim/judge-fair");
    s.budget = Some(s.spent().total);
    assert!(ask(&mut s).is_empty());
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("refused: the judge may cost ~")
    );
}

#[test]
fn ctrl_c_over_the_verdict_stops_the_judge() {
    let mut s = judged_state("sim/judge-fair");
    let reads = ask(&mut s);
    assert!(matches!(s.overlay, Some(Overlay::Verdict { .. })));
    let fx = update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    for (req, _) in reads {
        assert!(fx.contains(&Effect::CancelStream { req }), "{fx:?}");
    }
    assert!(s.judging.is_none());
}
