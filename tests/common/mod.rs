//! Shared test helpers: recorded fixtures, a fast simulator, a client, event collection.
#![allow(dead_code)]

pub mod batch;
pub mod pty;
pub mod saved;
pub mod screens;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use switchboard::chat::{Message, Params, Role, StreamEvent};
use switchboard::provider::{
    ChatRequest, ClientOptions, Endpoint, StreamOptions, http_client, run_chat,
};
use switchboard::simulator::{SimConfig, Simulator};

/// Property-test cases: `default`, or `SWITCHBOARD_PROPTEST_CASES` for a long campaign.
pub fn proptest_cases(default: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("SWITCHBOARD_PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// The real binary with its data, cache, config and state kept under `dirs`.
pub fn switchboard_in(dirs: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    for (var, sub) in [
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
    ] {
        cmd.env(var, dirs.join(sub));
    }
    cmd
}

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openrouter-recorded")
}

/// The SSE body of a recorded cassette (`interactions[0].response.body.string`).
pub fn fixture_body(name: &str) -> String {
    let text = std::fs::read_to_string(fixture_dir().join(name)).expect("fixture");
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("yaml");
    docs[0]["interactions"][0]["response"]["body"]["string"]
        .as_str()
        .expect("body string")
        .to_string()
}

pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

/// A simulator that streams instantly unless a directive asks otherwise.
pub async fn fast_sim() -> Simulator {
    sim_with(SimConfig {
        delay_scale: 0.0,
        ..SimConfig::default()
    })
    .await
}

pub async fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(config, 0).await.expect("simulator starts")
}

pub fn request(model: &str, prompt: &str) -> ChatRequest {
    ChatRequest {
        model: model.to_string(),
        messages: vec![Message::new(Role::User, prompt)],
        params: Params::default(),
        format: None,
    }
}

pub fn client_with_stall(stall: Duration) -> reqwest::Client {
    http_client(ClientOptions {
        stall_timeout: stall,
        connect_timeout: Duration::from_secs(5),
    })
}

/// Runs one request to the end and returns every event.
pub async fn collect(base: &str, model: &str, prompt: &str) -> Vec<StreamEvent> {
    collect_with(
        &client_with_stall(Duration::from_secs(10)),
        base,
        model,
        prompt,
    )
    .await
}

pub async fn collect_with(
    client: &reqwest::Client,
    base: &str,
    model: &str,
    prompt: &str,
) -> Vec<StreamEvent> {
    let endpoint = Endpoint::new(base, None);
    let opts = StreamOptions {
        max_retries: 2,
        max_retry_wait: Duration::from_secs(2),
        ..StreamOptions::default()
    };
    let mut events = Vec::new();
    run_chat(
        client,
        &endpoint,
        &request(model, prompt),
        &opts,
        &mut events,
    )
    .await;
    events
}

/// The error a stream ended with (panics when it did not fail).
pub fn failed(events: &[StreamEvent]) -> switchboard::chat::StreamError {
    match end_of(events) {
        switchboard::chat::StreamEnd::Failed(e) => e,
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// How many retry notices a stream gave.
pub fn retries(events: &[StreamEvent]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, StreamEvent::Retrying { .. }))
        .count()
}

pub fn text_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

pub fn reasoning_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Reasoning(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

pub fn end_of(events: &[StreamEvent]) -> switchboard::chat::StreamEnd {
    match events.last() {
        Some(StreamEvent::End(end)) => end.clone(),
        other => panic!("stream did not end with End: {other:?}"),
    }
}
