//! Requests over a model's context, end to end against the simulator (which refuses them as
//! OpenRouter does): the refusal is one clear line, and middle-out, asked for in the routing,
//! is sent and the request answered.

mod common;

use common::*;
use switchboard::chat::StreamEnd;

/// A request over sim/swift-mini's 128k context: about 150k tokens of text.
fn over_context() -> switchboard::chat::ChatRequest {
    request("sim/swift-mini", &"lorem ipsum ".repeat(50_000))
}

#[tokio::test]
async fn a_request_over_the_context_is_refused_in_one_clear_line() {
    let sim = fast_sim().await;
    let events = {
        let endpoint = switchboard::provider::Endpoint::new(&sim.base_url(), None);
        let mut events = Vec::new();
        switchboard::provider::run_chat(
            &client_with_stall(std::time::Duration::from_secs(30)),
            &endpoint,
            &over_context(),
            &switchboard::provider::StreamOptions::default(),
            &mut events,
        )
        .await;
        events
    };
    let e = failed(&events);
    assert!(
        e.message
            .starts_with("prompt too long for sim/swift-mini (150007 tokens, context 128000)"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn middle_out_asked_for_in_the_routing_is_sent_and_answered() {
    let sim = fast_sim().await;
    let endpoint = switchboard::provider::Endpoint::new(&sim.base_url(), None);
    let opts = switchboard::provider::StreamOptions {
        routing: Some(switchboard::provider::routing::Routing {
            middle_out: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut events = Vec::new();
    switchboard::provider::run_chat(
        &client_with_stall(std::time::Duration::from_secs(30)),
        &endpoint,
        &over_context(),
        &opts,
        &mut events,
    )
    .await;
    assert!(
        matches!(end_of(&events), StreamEnd::Complete { .. }),
        "{events:?}"
    );
    let seen = sim.seen();
    assert_eq!(
        seen.last().unwrap().body.as_ref().unwrap()["transforms"],
        serde_json::json!(["middle-out"])
    );
}
