//! A property: the estimates kept as rounds come and go (each pane's history tokens, and so
//! the status bar's prompt estimate) equal a full recomputation from the conversation, after
//! any sequence of rounds, streamed text, cancels, retries, branches and a reopen.

mod common;

use std::time::Duration;

use common::screens::{key, state};
use crossterm::event::{KeyCode, KeyModifiers};
use proptest::prelude::*;
use switchboard::chat::{StreamEnd, StreamEvent};
use switchboard::cost::estimate_prompt_tokens;
use switchboard::state::{Msg, State, update};

#[derive(Clone, Debug)]
enum Op {
    Send(usize),
    Text(usize, usize),
    End(usize),
    Cancel(usize),
    Retry(usize),
    Branch(usize),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1usize..400).prop_map(Op::Send),
        4 => (0usize..3, 0usize..300).prop_map(|(p, n)| Op::Text(p, n)),
        2 => (0usize..3).prop_map(Op::End),
        1 => (0usize..3).prop_map(Op::Cancel),
        1 => (0usize..3).prop_map(Op::Retry),
        1 => (0usize..5).prop_map(Op::Branch),
        1 => Just(Op::Reopen),
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
        Op::Reopen => {
            if let Some(saved) = s.session_snapshot() {
                let text = serde_json::to_string(&saved).unwrap();
                let back = switchboard::storage::session::parse(&text).unwrap();
                s.restore(back);
            }
        }
    }
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
            for pane in &s.panes {
                for prompt in ["", "next question é"] {
                    let full = estimate_prompt_tokens(
                        pane.conversation(s.system.as_deref(), prompt)
                            .iter()
                            .map(|m| m.content.as_str()),
                    );
                    prop_assert_eq!(pane.request_tokens(s.system.as_deref(), prompt), full, "after {:?}", op);
                }
            }
        }
    }
}
