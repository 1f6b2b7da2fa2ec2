//! Token counts against what real models reported in recorded streams: OpenAI's tokenizer
//! counts a gpt-4o request and answer exactly, the 4-characters ratio stays within its
//! documented margin on the recorded answers of eight other providers, and a pane's next
//! request is counted from the recorded OpenRouter usage, hidden templates included.

mod common;

use std::time::Duration;

use common::*;
use switchboard::chat::StreamEvent;
use switchboard::provider::decode_body;
use switchboard::state::{Init, Msg, State, update};
use switchboard::tokens::{
    Counter, MESSAGE_FRAMING, RATIO_OVER_PERCENT, RATIO_UNDER_PERCENT, REPLY_FRAMING,
};

fn providers_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/providers")
}

#[test]
fn openai_s_tokenizer_counts_a_recorded_gpt_4o_request_and_answer_exactly() {
    // tests/fixtures/providers/openai_gpt-4o-include-usage.yaml (pydantic-ai's cassette):
    // "What is the capital of Mexico?" was 14 prompt tokens; the 8-token answer below.
    Counter::O200k.load();
    let counter = Counter::for_model("gpt-4o");
    assert_eq!(counter, Counter::O200k);
    let prompt = "What is the capital of Mexico?";
    assert_eq!(counter.count(prompt) + MESSAGE_FRAMING + REPLY_FRAMING, 14);
    let list: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(providers_dir().join("expected.json")).unwrap(),
    )
    .unwrap();
    let gpt = list
        .iter()
        .find(|e| e["file"] == "openai_gpt-4o-include-usage.yaml")
        .unwrap();
    assert_eq!(
        counter.count(gpt["text"].as_str().unwrap()),
        gpt["completion_tokens"].as_u64().unwrap()
    );
}

#[test]
fn the_ratio_is_within_its_margin_on_recorded_answers() {
    let list: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(providers_dir().join("expected.json")).unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    for e in &list {
        let reported = e["completion_tokens"].as_u64().unwrap_or(0);
        // Short answers are a few tokens either way; the margin is about long text.
        if reported < 100 {
            continue;
        }
        let text = e["text"].as_str().unwrap();
        let reasoning = e["reasoning"].as_str().unwrap();
        let estimate = Counter::Ratio.count(text) + Counter::Ratio.count(reasoning);
        let low = reported * (100 - RATIO_UNDER_PERCENT) / 100;
        let high = reported * (100 + RATIO_OVER_PERCENT) / 100;
        assert!(
            (low..=high).contains(&estimate),
            "{}: {estimate} by the ratio, {reported} reported",
            e["file"]
        );
        checked += 1;
    }
    assert!(checked >= 5, "{checked} recordings with long answers");
}

/// The state after `prompt` was sent to `model` and the recorded stream answered it.
async fn answered(model: &str, prompt: &str, fixture: &str) -> State {
    let mut s = State::new(Init {
        models: vec![model.to_string()],
        size: (120, 40),
        ..Init::default()
    });
    update(&mut s, Msg::Paste(prompt.into()));
    let fx = update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Enter,
            crossterm::event::KeyModifiers::NONE,
        )),
    );
    let req = fx
        .iter()
        .find_map(|e| match e {
            switchboard::state::Effect::StartStream { req, .. } => Some(*req),
            _ => None,
        })
        .expect("sent");
    for (i, event) in decode_body(vec![fixture_body(fixture).into_bytes()])
        .await
        .into_iter()
        .enumerate()
    {
        update(
            &mut s,
            Msg::Stream {
                req,
                event,
                at: Duration::from_millis(10 * i as u64),
            },
        );
    }
    s
}

#[tokio::test]
async fn the_next_request_counts_from_the_recorded_usage_hidden_template_included() {
    // Grok 4 answered "Who are you" with 687 prompt tokens: its provider's template, which
    // no count of the text could see.
    let s = answered(
        "x-ai/grok-4",
        "Who are you",
        "03_stream_with_native_options.yaml",
    )
    .await;
    let turn = s.panes[0].current().unwrap();
    let usage = turn.answer.usage.clone().expect("usage recorded");
    assert_eq!(usage.prompt_tokens, 687);
    let events = decode_body(vec![
        fixture_body("03_stream_with_native_options.yaml").into_bytes(),
    ])
    .await;
    assert!(events.iter().any(|e| matches!(e, StreamEvent::Usage(_))));
    let next = "And what can you do?";
    let visible = usage.completion_tokens - usage.reasoning_tokens;
    assert_eq!(
        s.request_tokens(0, next),
        687 + visible + MESSAGE_FRAMING + Counter::Ratio.count(next) + MESSAGE_FRAMING
    );
    // The text alone would have said a few dozen.
    let naive = Counter::Ratio.count("Who are you")
        + Counter::Ratio.count(&turn.answer.text)
        + Counter::Ratio.count(next);
    assert!(s.request_tokens(0, next) > naive + 600);

    // Claude through OpenRouter: "What is 2+2?" was 43 tokens.
    let s = answered(
        "anthropic/claude-sonnet-4.5",
        "What is 2+2?",
        "02_streaming_reasoning.yaml",
    )
    .await;
    let usage = s.panes[0].current().unwrap().answer.usage.clone().unwrap();
    assert_eq!(usage.prompt_tokens, 43);
    assert!(s.request_tokens(0, "next") >= 43 + MESSAGE_FRAMING + 1 + MESSAGE_FRAMING);
}
