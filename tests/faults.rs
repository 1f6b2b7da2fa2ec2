//! Every simulator fault, through real HTTP on 127.0.0.1: the resulting status, message and
//! kept text. Also what a request carries (headers, body) and retry behaviour.

mod common;

use std::time::Duration;

use common::*;
use switchboard::chat::{ErrorKind, StreamEnd, StreamEvent};
use switchboard::cost::Usd;
use switchboard::simulator::{SimConfig, parse_directives};

const MODEL: &str = "sim/swift-mini";

#[tokio::test]
async fn a_clean_answer_completes_with_usage_and_exact_cost() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "hello").await;
    assert!(matches!(end_of(&events), StreamEnd::Complete { .. }));
    let text = text_of(&events);
    assert!(
        text.contains("```rust") && text.contains("| Option"),
        "{text}"
    );
    let usage = events
        .iter()
        .find_map(|e| match e {
            StreamEvent::Usage(u) => Some(u.clone()),
            _ => None,
        })
        .expect("usage");
    // The simulator bills exactly its prices: $0.10/M in, $0.40/M out.
    let expected = Usd::parse("0.0000001").unwrap().times(usage.prompt_tokens)
        + Usd::parse("0.0000004")
            .unwrap()
            .times(usage.completion_tokens);
    assert_eq!(usage.cost, Some(expected));
    assert_eq!(sim.spent(), expected);
    assert!(matches!(events.first(), Some(StreamEvent::Generation(id)) if id.starts_with("gen-")));
}

#[tokio::test]
async fn requests_carry_key_attribution_and_usage_flags() {
    let sim = fast_sim().await;
    let client = client_with_stall(Duration::from_secs(10));
    let key = switchboard::provider::ApiKey::new("sk-test-123").unwrap();
    // The simulator stands in for OpenRouter, whose dialect asks for usage both ways.
    let endpoint = switchboard::provider::Endpoint::new(&sim.base_url(), Some(key))
        .with_kind(switchboard::provider::Kind::OpenRouter);
    let mut events = Vec::new();
    let mut req = request(MODEL, "hi");
    req.params.temperature = Some(0.5);
    req.params.max_tokens = Some(7);
    switchboard::provider::run_chat(&client, &endpoint, &req, &Default::default(), &mut events)
        .await;
    let seen = sim.seen();
    let chat = seen.iter().find(|r| r.path == "/chat/completions").unwrap();
    assert_eq!(chat.authorization.as_deref(), Some("Bearer sk-test-123"));
    let header = |name: &str| {
        chat.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert!(header("http-referer").is_some());
    assert_eq!(header("x-openrouter-title"), Some("switchboard"));
    assert_eq!(header("x-title"), Some("switchboard"));
    let body = chat.body.as_ref().unwrap();
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"]["include_usage"], true);
    assert_eq!(body["usage"]["include"], true);
    assert_eq!(body["model"], MODEL);
    assert_eq!(body["temperature"], 0.5);
    assert_eq!(body["max_tokens"], 7);
    assert_eq!(body["messages"][0]["role"], "user");
    // max_tokens is honoured: a `length` finish after 7 tokens.
    assert_eq!(
        end_of(&events),
        StreamEnd::Complete {
            finish_reason: Some("length".into())
        }
    );
}

#[tokio::test]
async fn http_401_and_402_fail_at_once_with_advice() {
    let sim = fast_sim().await;
    // A key was sent and refused: the advice is about the key.
    let key = switchboard::provider::ApiKey::new("sk-wrong-key").unwrap();
    let endpoint = switchboard::provider::Endpoint::new(&sim.base_url(), Some(key));
    let mut events = Vec::new();
    switchboard::provider::run_chat(
        &client_with_stall(Duration::from_secs(10)),
        &endpoint,
        &request(MODEL, "x !fault=401"),
        &Default::default(),
        &mut events,
    )
    .await;
    let e401 = failed(&events);
    assert_eq!((e401.kind, e401.code), (ErrorKind::Auth, Some(401)));
    assert!(
        e401.message.contains("User not found.") && e401.message.contains("API key"),
        "{}",
        e401.message
    );
    let events = collect(&sim.base_url(), MODEL, "x !fault=402").await;
    assert_eq!(retries(&events), 0);
    let e402 = failed(&events);
    assert_eq!((e402.kind, e402.code), (ErrorKind::Credits, Some(402)));
    assert!(e402.message.contains("credits"), "{}", e402.message);
}

#[tokio::test]
async fn http_429_is_retried_honouring_retry_after() {
    let sim = fast_sim().await;
    let events = collect(
        &sim.base_url(),
        MODEL,
        "x !fault=429 !times=1 !retry-after=0.3",
    )
    .await;
    assert_eq!(retries(&events), 1);
    let wait = events.iter().find_map(|e| match e {
        StreamEvent::Retrying { wait, error, .. } => Some((*wait, error.clone())),
        _ => None,
    });
    let (wait, error) = wait.unwrap();
    assert_eq!(wait, Duration::from_millis(300));
    assert_eq!(error.retry_after, Some(Duration::from_millis(300)));
    assert!(matches!(end_of(&events), StreamEnd::Complete { .. }));
    assert!(!text_of(&events).is_empty());
}

#[tokio::test]
async fn retries_are_bounded() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "x !fault=503 !retry-after=0").await;
    assert_eq!(retries(&events), 2, "two retries, then the error");
    let e = failed(&events);
    assert_eq!((e.kind, e.code), (ErrorKind::Server, Some(503)));
    // 500 is not retried.
    let events = collect(&sim.base_url(), MODEL, "x !fault=500").await;
    assert_eq!(retries(&events), 0);
    assert_eq!(failed(&events).code, Some(500));
}

#[tokio::test]
async fn retry_after_is_capped() {
    let sim = fast_sim().await;
    let events = collect(
        &sim.base_url(),
        MODEL,
        "x !fault=429 !times=1 !retry-after=3600",
    )
    .await;
    let wait = events.iter().find_map(|e| match e {
        StreamEvent::Retrying { wait, .. } => Some(*wait),
        _ => None,
    });
    assert_eq!(
        wait,
        Some(Duration::from_secs(2)),
        "capped at max_retry_wait"
    );
}

#[tokio::test]
async fn html_error_page_is_described() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "x !fault=html").await;
    // 502 is retried like any gateway error, then reported.
    assert_eq!(retries(&events), 2);
    let e = failed(&events);
    assert_eq!(e.code, Some(502));
    assert!(
        e.message
            .contains("non-JSON page titled \"502 Bad Gateway\""),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn in_band_error_keeps_partial_text_and_usage() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "x !fault=inband !after=6").await;
    let e = failed(&events);
    assert_eq!((e.kind, e.code), (ErrorKind::InBand, Some(502)));
    assert!(
        e.message.contains("Upstream provider disconnected")
            && e.message.contains("partial answer is kept"),
        "{}",
        e.message
    );
    let text = text_of(&events);
    assert!(!text.is_empty());
    let pieces = events
        .iter()
        .filter(|e| matches!(e, StreamEvent::Text(_)))
        .count();
    assert_eq!(pieces, 6);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::Usage(u) if u.completion_tokens == 6))
    );
}

#[tokio::test]
async fn dropped_connection_is_an_error_with_text_kept() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "x !fault=drop !after=5").await;
    let e = failed(&events);
    assert_eq!(e.kind, ErrorKind::Dropped, "{}", e.message);
    assert!(e.message.contains("broke mid-answer"), "{}", e.message);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, StreamEvent::Text(_)))
            .count(),
        5
    );
}

#[tokio::test]
async fn cut_stream_is_incomplete_never_complete() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "x !fault=cut !after=4").await;
    assert_eq!(end_of(&events), StreamEnd::Incomplete);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, StreamEvent::Text(_)))
            .count(),
        4
    );
}

#[tokio::test]
async fn stall_is_detected_after_the_timeout() {
    let sim = fast_sim().await;
    let client = client_with_stall(Duration::from_millis(400));
    let events = collect_with(&client, &sim.base_url(), MODEL, "x !fault=stall !after=3").await;
    let e = failed(&events);
    assert_eq!(e.kind, ErrorKind::Stall, "{}", e.message);
    assert!(e.message.contains("stall"), "{}", e.message);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, StreamEvent::Text(_)))
            .count(),
        3
    );
}

#[tokio::test]
async fn keep_alive_comments_reset_the_stall_timer() {
    // Slowpoke sends only keep-alive comments for 1.2 s; a 0.7 s stall timeout must not fire.
    let sim = fast_sim().await;
    let client = client_with_stall(Duration::from_millis(700));
    let events = collect_with(
        &client,
        &sim.base_url(),
        "sim/slowpoke",
        "x !ttft=1200 !tokens=5",
    )
    .await;
    assert!(
        matches!(end_of(&events), StreamEnd::Complete { .. }),
        "{:?}",
        end_of(&events)
    );
}

#[tokio::test]
async fn malformed_chunk_is_reported_and_the_rest_kept() {
    let sim = fast_sim().await;
    let clean = text_of(&collect(&sim.base_url(), MODEL, "same prompt").await);
    let events = collect(
        &sim.base_url(),
        MODEL,
        "same prompt !fault=malformed !after=4",
    )
    .await;
    let e = failed(&events);
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert!(e.message.contains("1 malformed chunk"), "{}", e.message);
    // The text around the broken chunk is all there (the broken chunk carried none of it).
    let text = text_of(&events);
    assert!(text.len() > 100);
    assert_eq!(
        clean.split_whitespace().count(),
        text.split_whitespace().count()
    );
}

#[tokio::test]
async fn multi_byte_characters_split_across_writes_are_reassembled() {
    let sim = fast_sim().await;
    let clean = text_of(&collect(&sim.base_url(), MODEL, "unicode please").await);
    let split = collect(&sim.base_url(), MODEL, "unicode please !fault=split-utf8").await;
    assert!(matches!(end_of(&split), StreamEnd::Complete { .. }));
    assert_eq!(text_of(&split), clean);
    assert!(clean.contains("日本語") && clean.contains('🚀'));
}

#[tokio::test]
async fn token_rate_is_configurable() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "x !rate=50 !tokens=25").await;
    assert!(matches!(end_of(&events), StreamEnd::Complete { .. }));
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, StreamEvent::Text(_)))
            .count(),
        25
    );
    // The pace itself is the simulator's schedule (`plan` tests); here, that it is taken.
    assert_eq!(parse_directives("!rate=50").rate, Some(50.0));
}

#[tokio::test]
async fn reasoning_models_stream_reasoning_first() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), "sim/deep-thinker", "why").await;
    let first_reasoning = events
        .iter()
        .position(|e| matches!(e, StreamEvent::Reasoning(_)))
        .unwrap();
    let first_text = events
        .iter()
        .position(|e| matches!(e, StreamEvent::Text(_)))
        .unwrap();
    assert!(first_reasoning < first_text);
    let usage = events.iter().find_map(|e| match e {
        StreamEvent::Usage(u) => Some(u.clone()),
        _ => None,
    });
    assert!(usage.unwrap().reasoning_tokens > 10);
}

#[tokio::test]
async fn local_flavour_has_no_cost_and_reasoning_content() {
    let sim = sim_with(SimConfig {
        delay_scale: 0.0,
        local: true,
        ..SimConfig::default()
    })
    .await;
    let events = collect(&sim.base_url(), "sim/deep-thinker", "why").await;
    assert!(
        !reasoning_of(&events).is_empty(),
        "reasoning_content is read"
    );
    let usage = events.iter().find_map(|e| match e {
        StreamEvent::Usage(u) => Some(u.clone()),
        _ => None,
    });
    assert_eq!(usage.unwrap().cost, None);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::ServedBy { provider: None, .. }))
    );
}

#[tokio::test]
async fn router_reports_the_model_that_served() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), "sim/auto", "route me").await;
    let served = events.iter().find_map(|e| match e {
        StreamEvent::ServedBy { model, .. } => model.clone(),
        _ => None,
    });
    let served = served.unwrap();
    assert_ne!(served, "sim/auto");
    assert!(served.starts_with("sim/"));
}

#[tokio::test]
async fn unknown_model_and_refused_connection_are_clear() {
    let sim = fast_sim().await;
    let e = failed(&collect(&sim.base_url(), "nope/none", "x").await);
    assert_eq!(e.code, Some(400));
    assert!(
        e.message.contains("not a valid model ID") && e.message.contains("switchboard models"),
        "{}",
        e.message
    );
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let e = failed(&collect(&format!("http://127.0.0.1:{port}/v1"), MODEL, "x").await);
    assert_eq!(e.kind, ErrorKind::Connect);
    assert!(
        e.message
            .contains(&format!("could not connect to 127.0.0.1:{port}")),
        "{}",
        e.message
    );
}
