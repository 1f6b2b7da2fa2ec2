use std::time::Duration;

use super::*;
use crate::cost::{CostSource, Pricing};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn answer_builds_from_events() {
    let mut a = Answer::new("a/model", 20);
    assert_eq!(a.status, AnswerStatus::Waiting);
    a.apply(
        StreamEvent::ServedBy {
            model: Some("b/model".into()),
            provider: Some("Prov".into()),
        },
        ms(50),
    );
    a.apply(StreamEvent::Reasoning("think".into()), ms(100));
    assert_eq!(a.status, AnswerStatus::Streaming);
    assert_eq!(a.ttft, Some(ms(100)));
    a.apply(StreamEvent::Text("Hello".into()), ms(200));
    a.apply(StreamEvent::Text(" world".into()), ms(300));
    a.apply(
        StreamEvent::Usage(Usage {
            prompt_tokens: 5,
            completion_tokens: 3,
            ..Usage::default()
        }),
        ms(400),
    );
    a.apply(
        StreamEvent::End(StreamEnd::Complete {
            finish_reason: Some("stop".into()),
        }),
        ms(1100),
    );
    assert_eq!(a.text, "Hello world");
    assert_eq!(a.reasoning, "think");
    assert_eq!(a.served_model.as_deref(), Some("b/model"));
    assert_eq!(a.status, AnswerStatus::Complete);
    assert_eq!(a.duration, Some(ms(1100)));
    assert_eq!(a.completion_tokens(), (3, true));
    // 2 tokens after the first, over one second.
    assert_eq!(a.tokens_per_second(ms(5000)), Some(2.0));
    // Events after the end change nothing.
    a.apply(StreamEvent::Text("late".into()), ms(1200));
    assert_eq!(a.text, "Hello world");
}

#[test]
fn failures_keep_partial_text() {
    let mut a = Answer::new("m", 1);
    a.apply(StreamEvent::Text("partial".into()), ms(10));
    a.apply(
        StreamEvent::End(StreamEnd::Failed(StreamError::new(
            ErrorKind::Dropped,
            "broke",
        ))),
        ms(20),
    );
    assert_eq!(a.status, AnswerStatus::Error);
    assert_eq!(a.text, "partial");
    assert_eq!(a.error.as_ref().unwrap().message, "broke");
}

#[test]
fn cancel_only_touches_unfinished_answers() {
    let mut a = Answer::new("m", 1);
    a.apply(StreamEvent::Text("x".into()), ms(10));
    a.cancel(ms(30));
    assert_eq!(a.status, AnswerStatus::Cancelled);
    assert_eq!(a.text, "x");
    let mut done = Answer::new("m", 1);
    done.apply(StreamEvent::End(StreamEnd::Incomplete), ms(5));
    done.cancel(ms(30));
    assert_eq!(done.status, AnswerStatus::Incomplete);
}

#[test]
fn cost_moves_from_estimated_to_exact() {
    let pricing = Pricing {
        prompt: Usd::parse("0.000001").unwrap(),
        completion: Usd::parse("0.000002").unwrap(),
        ..Pricing::default()
    };
    let mut a = Answer::new("m", 100);
    a.apply(StreamEvent::Text("abcdefgh".into()), ms(10));
    let est = a.cost(Some(&pricing)).unwrap();
    assert_eq!(est.source, CostSource::Estimated);
    // 100 prompt tokens + 2 estimated output tokens.
    assert_eq!(est.usd.to_decimal(), "0.000104");
    assert_eq!(a.cost(None), None);
    a.apply(
        StreamEvent::Usage(Usage {
            prompt_tokens: 90,
            completion_tokens: 3,
            ..Usage::default()
        }),
        ms(20),
    );
    assert_eq!(a.cost_source(Some(&pricing)), Some(CostSource::Computed));
    assert_eq!(
        a.cost(None),
        None,
        "usage without cost or prices has no figure"
    );
    let mut reported = a.usage.clone().unwrap();
    reported.cost = Some(Usd::parse("0.0042").unwrap());
    a.apply(StreamEvent::Usage(reported), ms(30));
    assert_eq!(a.cost(None).unwrap().source, CostSource::Reported);
}

#[test]
fn retry_notice_is_cleared_by_the_first_token() {
    let mut a = Answer::new("m", 1);
    a.apply(
        StreamEvent::Retrying {
            attempt: 1,
            wait: ms(500),
            error: StreamError::new(ErrorKind::RateLimited, "429"),
        },
        ms(1),
    );
    assert_eq!(a.retrying, Some((1, ms(500))));
    a.apply(StreamEvent::Text("x".into()), ms(600));
    assert_eq!(a.retrying, None);
}
