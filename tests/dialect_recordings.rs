//! Real recorded streams of nine providers (tests/fixtures/providers, each naming its source)
//! decode in their dialect to the text, reasoning and usage that `expect.py` reads from them
//! with Python's json module, also when the bytes arrive one at a time.

mod common;

use common::*;
use switchboard::chat::{StreamEnd, StreamEvent, Usage};
use switchboard::provider::{Kind, decode_body_as};

fn dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/providers")
}

/// The SSE body of a fixture: a cassette's streaming response, a capture as it is, or a
/// chunks file (one bare JSON chunk per line) framed as `data:` events.
fn sse_body(name: &str) -> String {
    let text = std::fs::read_to_string(dir().join(name)).expect("fixture");
    let body = if name.ends_with(".yaml") {
        let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("yaml");
        docs[0]["interactions"]
            .as_vec()
            .expect("interactions")
            .iter()
            .filter_map(|it| {
                let body = &it["response"]["body"];
                body["string"].as_str().or(body.as_str())
            })
            .find(|b| b.contains("data:"))
            .expect("a streamed response")
            .to_string()
    } else {
        text
    };
    let lines: Vec<&str> = body.lines().filter(|l| !l.starts_with('#')).collect();
    if lines.iter().any(|l| l.starts_with("data:")) {
        lines.join("\n") + "\n"
    } else {
        lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("data: {l}\n\n"))
            .collect()
    }
}

struct Expected {
    file: String,
    kind: Kind,
    text: String,
    reasoning: String,
    usage: Usage,
    /// Where the recording carried its usage and its reasoning.
    usage_in: Vec<String>,
    reasoning_in: Vec<String>,
}

fn expectations() -> Vec<Expected> {
    let text = std::fs::read_to_string(dir().join("expected.json")).expect("expected.json");
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
    list.iter()
        .map(|e| {
            let n = |k: &str| e[k].as_u64().expect(k);
            Expected {
                file: e["file"].as_str().unwrap().to_string(),
                kind: Kind::parse(e["kind"].as_str().unwrap()).expect("kind"),
                text: e["text"].as_str().unwrap().to_string(),
                reasoning: e["reasoning"].as_str().unwrap().to_string(),
                usage: Usage {
                    prompt_tokens: n("prompt_tokens"),
                    completion_tokens: n("completion_tokens"),
                    reasoning_tokens: n("reasoning_tokens"),
                    cached_tokens: n("cached_tokens"),
                    cost: None,
                },
                usage_in: strings(&e["usage_in"]),
                reasoning_in: strings(&e["reasoning_in"]),
            }
        })
        .collect()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// The dialect table says where each kind sends usage and reasoning: the recordings agree.
#[test]
fn the_dialect_table_matches_the_recordings() {
    for exp in expectations() {
        let d = exp.kind.dialect();
        assert!(
            exp.usage_in.iter().any(|w| w == d.usage_in.name()),
            "{}: usage came in {:?}, the table says {}",
            exp.file,
            exp.usage_in,
            d.usage_in.name()
        );
        for field in &exp.reasoning_in {
            assert!(
                d.reasoning_in.iter().any(|r| r.name() == field),
                "{}: reasoning came in {field}, the table says {:?}",
                exp.file,
                d.reasoning_in
            );
        }
    }
}

fn last_usage(events: &[StreamEvent]) -> Option<Usage> {
    events.iter().rev().find_map(|e| match e {
        StreamEvent::Usage(u) => Some(u.clone()),
        _ => None,
    })
}

#[test]
fn every_provider_fixture_has_expectations() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut covered: Vec<String> = expectations().into_iter().map(|e| e.file).collect();
    covered.sort();
    assert_eq!(names, covered);
    let kinds: std::collections::BTreeSet<&str> = expectations()
        .iter()
        .map(|e| e.kind.name())
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert!(
        kinds.len() >= 8,
        "recordings of at least 8 providers: {kinds:?}"
    );
}

#[tokio::test]
async fn recordings_decode_to_their_text_reasoning_and_usage() {
    for exp in expectations() {
        let body = sse_body(&exp.file).into_bytes();
        let events = decode_body_as(exp.kind, vec![body.clone()]).await;
        assert_eq!(text_of(&events), exp.text, "{} text", exp.file);
        assert_eq!(
            reasoning_of(&events),
            exp.reasoning,
            "{} reasoning",
            exp.file
        );
        let usage = last_usage(&events).unwrap_or_default();
        assert_eq!(
            Usage {
                cost: None,
                ..usage
            },
            exp.usage,
            "{} usage",
            exp.file
        );
        assert!(
            matches!(end_of(&events), StreamEnd::Complete { .. }),
            "{}: {:?}",
            exp.file,
            end_of(&events)
        );
        // Every offset is a cut when the bytes come one at a time.
        let bytes = body.iter().map(|b| vec![*b]).collect();
        let split = decode_body_as(exp.kind, bytes).await;
        assert_eq!(split, events, "{} split at every byte", exp.file);
    }
}

#[tokio::test]
async fn xai_reports_its_cost_in_ticks_and_reasoning_outside_completion() {
    let file = "xai_grok-3-mini-reasoning.chunks.txt";
    let events = decode_body_as(Kind::Xai, vec![sse_body(file).into_bytes()]).await;
    let usage = last_usage(&events).unwrap();
    // 1,721,250 ticks of 1e-10 USD: 12 in (11 cached) and 342 out at grok-3-mini's prices.
    assert_eq!(usage.cost.unwrap().to_decimal(), "0.000172125");
    assert_eq!(
        (usage.completion_tokens, usage.reasoning_tokens),
        (342, 340)
    );
}

#[tokio::test]
async fn inline_think_is_reasoning_and_raw_source_keeps_it() {
    let file = "groq_deepseek-r1-distill-reasoning-raw-think.yaml";
    let events = decode_body_as(Kind::Groq, vec![sse_body(file).into_bytes()]).await;
    assert!(events.contains(&StreamEvent::ThinkOpened {
        lead: String::new()
    }));
    assert!(events.contains(&StreamEvent::ThinkClosed));
    let mut answer = switchboard::chat::Answer::new("groq:r1", 0);
    for e in events {
        answer.apply(e, std::time::Duration::ZERO);
    }
    assert!(answer.think.as_ref().is_some_and(|t| t.closed));
    assert!(!answer.text.contains("<think>"));
    let raw = answer.raw_text();
    assert!(raw.starts_with("<think>\nOkay, so I want to make Uruguayan alfajores."));
    assert!(raw.contains("</think>\n\nTo make Uruguayan alfajores"));
    // Exactly the content the stream carried, tags and all.
    let sent: String = sse_body(file)
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .filter_map(|v| {
            v["choices"][0]["delta"]["content"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(raw, sent);
    // As the generic kind OpenRouter speaks, the same bytes are answer text.
    let as_or = decode_body_as(Kind::OpenRouter, vec![sse_body(file).into_bytes()]).await;
    assert!(text_of(&as_or).starts_with("<think>"));
}

#[tokio::test]
async fn an_unclosed_think_stays_reasoning_and_says_the_answer_never_started() {
    let body = "data: {\"choices\":[{\"delta\":{\"content\":\"<think>I wonder\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\" forever</th\"},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n";
    let events = decode_body_as(Kind::Ollama, vec![body.as_bytes().to_vec()]).await;
    assert_eq!(reasoning_of(&events), "I wonder forever</th");
    assert_eq!(text_of(&events), "");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::Notice(n) if n.contains("the answer never started")))
    );
}
