//! A property: the estimates kept as rounds come and go (each pane's history tokens, and so
//! the status bar's prompt estimate and the context fill) equal a full recomputation from the
//! conversation, after any sequence of rounds, streamed text, reported usage, cancels,
//! retries, branches and a reopen.

mod common;

use std::time::Duration;

use common::screens::{key, state};
use crossterm::event::{KeyCode, KeyModifiers};
use proptest::prelude::*;
use switchboard::chat::{StreamEnd, StreamEvent, Usage};
use switchboard::cost::estimate_prompt_tokens;
use switchboard::state::{Msg, State, update};

#[derive(Clone, Debug)]
enum Op {
    Send(usize),
    Text(usize, usize),
    /// The model reports (prompt, completion, reasoning) tokens.
    Usage(usize, u64, u64, u64),
    End(usize),
    Cancel(usize),
    Retry(usize),
    Branch(usize),
    Reopen,
    /// The system prompt changes (to `n` words, or none).
    System(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1usize..400).prop_map(Op::Send),
        4 => (0usize..3, 0usize..300).prop_map(|(p, n)| Op::Text(p, n)),
        2 => (0usize..3, 0u64..5000, 0u64..400, 0u64..100)
            .prop_map(|(p, a, b, c)| Op::Usage(p, a, b, c)),
        2 => (0usize..3).prop_map(Op::End),
        1 => (0usize..3).prop_map(Op::Cancel),
        1 => (0usize..3).prop_map(Op::Retry),
        1 => (0usize..5).prop_map(Op::Branch),
        1 => Just(Op::Reopen),
        1 => (0usize..30).prop_map(Op::System),
    ]
}

fn words(n: usize) -> String {
    (0..n)
        .map(|i| if i % 7 == 0 { "é " } else { "ab " })
        .collect()
}

fn apply(s: &mut State, op: &Op, clock: &mut u64) {
    *clock += 10;
    let at = Duration::from_millis(*clock);
    let stream = |s: &mut State, p: usize, event| {
        if let Some(req) = s.panes.get(p).map(|x| x.req) {
            update(s, Msg::Stream { req, event, at });
        }
    };
    match op {
        Op::Send(n) => {
            update(s, key(KeyCode::Esc, KeyModifiers::NONE));
            update(s, Msg::Paste(words(*n)));
            update(s, key(KeyCode::Enter, KeyModifiers::NONE));
        }
        Op::Text(p, n) => stream(s, *p, StreamEvent::Text(words(*n))),
        Op::Usage(p, prompt, completion, reasoning) => stream(
            s,
            *p,
            StreamEvent::Usage(Usage {
                prompt_tokens: *prompt,
                completion_tokens: *completion,
                reasoning_tokens: *reasoning,
                ..Usage::default()
            }),
        ),
        Op::End(p) => stream(
            s,
            *p,
            StreamEvent::End(StreamEnd::Complete {
                finish_reason: Some("stop".into()),
            }),
        ),
        Op::Cancel(p) | Op::Retry(p) => {
            if *p < s.panes.len() {
                s.focused = *p;
                let c = if matches!(op, Op::Cancel(_)) {
                    'x'
                } else {
                    'r'
                };
                update(s, key(KeyCode::Char(c), KeyModifiers::CONTROL));
            }
        }
        Op::Branch(back) => {
            update(s, key(KeyCode::Tab, KeyModifiers::NONE));
            update(s, key(KeyCode::Char('e'), KeyModifiers::NONE));
            for _ in 0..*back {
                update(s, key(KeyCode::Up, KeyModifiers::NONE));
            }
            update(s, key(KeyCode::Enter, KeyModifiers::NONE));
            update(s, key(KeyCode::Enter, KeyModifiers::NONE));
        }
        Op::System(n) => s.system = (*n > 0).then(|| words(*n)),
        Op::Reopen => {
            if let Some(saved) = s.session_snapshot() {
                let text = serde_json::to_string(&saved).unwrap();
                let back = switchboard::storage::session::parse(&text).unwrap();
                s.restore(back);
            }
        }
    }
}

/// Pane `i`'s prompt tokens for `prompt`, from scratch: the conversation's estimate, or,
/// once the model reported a count, that count, its answer, and the conversation after it.
fn recount(s: &State, i: usize, prompt: &str) -> u64 {
    let pane = &s.panes[i];
    let system = s.system.as_deref();
    let estimate = |p: &switchboard::state::panes::Pane, system| {
        estimate_prompt_tokens(
            p.conversation(system, prompt)
                .iter()
                .map(|m| m.content.as_str()),
        )
    };
    let anchor = pane
        .turns
        .iter()
        .rposition(|t| t.answer.usage.as_ref().is_some_and(|u| u.prompt_tokens > 0));
    let Some(k) = anchor else {
        return estimate(pane, system);
    };
    let turn = &pane.turns[k];
    let usage = turn.answer.usage.clone().unwrap();
    let bare = {
        let mut p = switchboard::state::panes::Pane::new("x");
        p.turns.clear();
        p
    };
    let floor = estimate(&bare, system) - estimate_prompt_tokens([prompt]) + 3;
    let answer = match (turn.answer.text.is_empty(), usage.completion_tokens) {
        (true, _) => 0,
        (false, 0) => switchboard::cost::estimate_tokens(&turn.answer.text) + 4,
        (false, c) => c.saturating_sub(usage.reasoning_tokens) + 4,
    };
    let mut after = bare.clone();
    after.turns = pane.turns[k + 1..].to_vec();
    // The system prompt the anchor's request had, swapped for today's.
    let then = s
        .session
        .rounds
        .get(turn.round as usize)
        .and_then(|r| r.system.as_deref())
        .filter(|t| !t.trim().is_empty());
    let sys = |t: Option<&str>| t.map_or(0, |t| switchboard::cost::estimate_tokens(t) + 4);
    let now = system.filter(|t| !t.trim().is_empty());
    let reported = (usage.prompt_tokens + sys(now)).saturating_sub(sys(then));
    let reported = if then == now {
        usage.prompt_tokens
    } else {
        reported
    };
    reported.max(floor) + answer + estimate(&after, None) - 3
}

proptest! {
    #![proptest_config(common::proptest_cases(64))]

    #[test]
    fn kept_estimates_equal_a_full_recount(ops in proptest::collection::vec(op(), 1..40)) {
        let mut s = state(&["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"], (120, 40));
        s.session.id = "20261203-111111-abcd".into();
        s.system = Some("Be brief, é.".into());
        let mut clock = 0;
        for op in &ops {
            apply(&mut s, op, &mut clock);
            for i in 0..s.panes.len() {
                for prompt in ["", "next question é"] {
                    prop_assert_eq!(s.prompt_tokens(i, prompt), recount(&s, i, prompt), "after {:?}", op);
                }
            }
        }
    }
}
