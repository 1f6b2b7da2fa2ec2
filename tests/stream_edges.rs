//! Streams on their edge paths: an endless event, an error before the first token, a web
//! page instead of a stream, a 401 to an endpoint that got no key, impossible costs and
//! empty usage chunks.

mod common;

use common::*;
use switchboard::chat::{ErrorKind, StreamEnd, StreamEvent};
use switchboard::provider::{Kind, decode_body_as};
use switchboard::simulator::SimConfig;

const MODEL: &str = "sim/swift-mini";

#[tokio::test]
async fn an_event_over_4_mib_is_a_protocol_error_and_the_text_before_it_stays() {
    let mut body = b"data: {\"choices\":[{\"delta\":{\"content\":\"kept\"}}]}\n\ndata: ".to_vec();
    body.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024));
    body.extend_from_slice(b"\n\ndata: [DONE]\n\n");
    let pieces = body.chunks(64 * 1024).map(<[u8]>::to_vec).collect();
    let events = decode_body_as(Kind::OpenAiCompatible, pieces).await;
    assert_eq!(text_of(&events), "kept");
    let e = failed(&events);
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert!(e.message.contains("longer than 4 MiB"), "{}", e.message);
}

#[tokio::test]
async fn an_in_band_error_before_any_token_is_retried_like_its_status() {
    let sim = fast_sim().await;
    let events = collect(
        &sim.base_url(),
        MODEL,
        "x !fault=inband !after=0 !times=1 !retry-after=0",
    )
    .await;
    assert_eq!(retries(&events), 1, "{events:?}");
    assert!(matches!(end_of(&events), StreamEnd::Complete { .. }));
    let events = collect(&sim.base_url(), MODEL, "y !fault=inband !after=0").await;
    let e = failed(&events);
    assert_eq!(e.code, Some(502));
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(
        e.message.contains("before the answer started") && !e.message.contains("mid-stream"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn a_web_page_instead_of_a_stream_is_named_with_its_title() {
    let sim = fast_sim().await;
    let events = collect(&sim.base_url(), MODEL, "x !fault=portal").await;
    let e = failed(&events);
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert!(
        e.message.contains("answered with a web page")
            && e.message.contains("Sign in to Harbour Hotel Wi-Fi")
            && !e.message.contains("<form"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn a_401_without_a_key_says_none_was_sent() {
    let sim = sim_with(SimConfig {
        delay_scale: 0.0,
        require_key: Some("sk-right".into()),
        ..SimConfig::default()
    })
    .await;
    let events = collect(&sim.base_url(), MODEL, "x").await;
    let e = failed(&events);
    assert_eq!(e.code, Some(401));
    assert!(
        e.message.contains("no key was sent") && e.message.contains("SWITCHBOARD_API_KEY"),
        "{}",
        e.message
    );
    assert!(!e.message.contains("check the API key"), "{}", e.message);
}

fn chunk(extra: &str) -> String {
    format!("data: {{\"choices\":[{{\"delta\":{{\"content\":\"hi\"}}}}]{extra}}}\n\n")
}

#[tokio::test]
async fn an_impossible_cost_is_shown_and_not_counted() {
    for cost in ["-0.5", "1000.01", "1e9"] {
        let body = chunk("")
            + &chunk(&format!(
                ",\"usage\":{{\"prompt_tokens\":3,\"completion_tokens\":2,\"cost\":{cost}}}"
            ))
            + "data: [DONE]\n\n";
        let events = decode_body_as(Kind::OpenRouter, vec![body.into_bytes()]).await;
        let usage = events.iter().find_map(|e| match e {
            StreamEvent::Usage(u) => Some(u.clone()),
            _ => None,
        });
        assert_eq!(
            usage.as_ref().map(|u| (u.prompt_tokens, u.cost)),
            Some((3, None)),
            "{cost}"
        );
        assert!(
            events
                .iter()
                .any(|e| matches!(e, StreamEvent::Notice(n) if n.contains("cannot be right"))),
            "{cost}: {events:?}"
        );
    }
    let body = chunk(",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"cost\":1000}");
    let events = decode_body_as(Kind::OpenRouter, vec![body.into_bytes()]).await;
    assert!(
        !events.iter().any(|e| matches!(e, StreamEvent::Notice(_))),
        "$1,000 is possible"
    );
}

#[tokio::test]
async fn an_empty_usage_mid_stream_does_not_replace_the_estimate() {
    let zero = ",\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0}";
    let body = chunk(zero) + &chunk(zero) + "data: [DONE]\n\n";
    let events = decode_body_as(Kind::Vllm, vec![body.into_bytes()]).await;
    assert!(
        !events.iter().any(|e| matches!(e, StreamEvent::Usage(_))),
        "{events:?}"
    );
    let mut answer = switchboard::chat::Answer::new("m", 10);
    for e in events {
        answer.apply(e, std::time::Duration::from_millis(100));
    }
    assert!(answer.usage.is_none(), "the live estimate stays");
    assert!(
        !answer.completion_tokens().1,
        "and is marked as an estimate"
    );
}
