//! The four recorded OpenRouter streams decode to the right text, reasoning, served-by model
//! and provider, usage and cost, however the bytes are split across reads.

mod common;

use common::*;
use switchboard::chat::{ErrorKind, StreamEnd, StreamEvent, Usage};
use switchboard::cost::Usd;
use switchboard::provider::decode_body;

struct Expected {
    file: &'static str,
    text: &'static str,
    reasoning: &'static str,
    model: &'static str,
    provider: &'static str,
    usage: Usage,
    encrypted: usize,
}

fn usage(prompt: u64, completion: u64, reasoning: u64, cached: u64, cost: &str) -> Usage {
    Usage {
        prompt_tokens: prompt,
        completion_tokens: completion,
        reasoning_tokens: reasoning,
        cached_tokens: cached,
        cost: Some(Usd::parse(cost).unwrap()),
    }
}

fn expectations() -> Vec<Expected> {
    vec![
        Expected {
            file: "01_stream_error.yaml",
            text: "",
            reasoning: "We need to respond to a greeting. The user",
            model: "minimax/minimax-m2:free",
            provider: "Minimax",
            usage: usage(43, 10, 11, 0, "0"),
            encrypted: 0,
        },
        Expected {
            file: "02_streaming_reasoning.yaml",
            text: "2 + 2 = 4",
            reasoning: "This is a simple arithmetic question. 2+2 equals 4.",
            model: "anthropic/claude-sonnet-4.5",
            provider: "Google",
            usage: usage(43, 36, 13, 0, "0.000669"),
            encrypted: 0,
        },
        Expected {
            file: "03_stream_with_native_options.yaml",
            text: "I'm Grok, an AI built by xAI. I'm designed to be helpful, maximally truthful, and a bit witty—think a mix of the Hitchhiker's Guide to the Galaxy and JARVIS from Iron Man. My goal is to help you understand the universe (and maybe crack a few jokes along the way). What's on your mind?",
            reasoning: "",
            model: "x-ai/grok-4",
            provider: "xAI",
            usage: usage(687, 187, 118, 679, "0.00333825"),
            encrypted: 1,
        },
        Expected {
            file: "04_web_search_tool_usage_stream.yaml",
            text: "https://github.com/pydantic/pydantic-ai ",
            reasoning: "",
            model: "openai/gpt-4.1-mini",
            provider: "OpenAI",
            usage: usage(8174, 30, 0, 0, "0.0133176"),
            encrypted: 0,
        },
    ]
}

fn check(exp: &Expected, events: &[StreamEvent]) {
    assert_eq!(text_of(events), exp.text, "{} text", exp.file);
    assert_eq!(
        reasoning_of(events),
        exp.reasoning,
        "{} reasoning",
        exp.file
    );
    let served: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::ServedBy { model, provider } => Some((model.clone(), provider.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        served,
        vec![(Some(exp.model.to_string()), Some(exp.provider.to_string()))],
        "{} served-by is reported once",
        exp.file
    );
    let usages: Vec<&Usage> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Usage(u) => Some(u),
            _ => None,
        })
        .collect();
    assert_eq!(usages, vec![&exp.usage], "{} usage", exp.file);
    let encrypted = events
        .iter()
        .filter(|e| matches!(e, StreamEvent::EncryptedReasoning))
        .count();
    assert_eq!(encrypted, exp.encrypted, "{} encrypted reasoning", exp.file);
}

#[tokio::test]
async fn every_recorded_stream_is_covered() {
    let names = fixture_names();
    let expected: Vec<&str> = expectations().iter().map(|e| e.file).collect();
    assert_eq!(names, expected, "each fixture has expectations");
}

#[tokio::test]
async fn recorded_streams_decode() {
    for exp in expectations() {
        let body = fixture_body(exp.file);
        let events = decode_body(vec![body.into_bytes()]).await;
        check(&exp, &events);
        let end = end_of(&events);
        if exp.file.starts_with("01") {
            // An in-band error after a finish reason: still an error, text and usage kept.
            let StreamEnd::Failed(err) = end else {
                panic!("{end:?}")
            };
            assert_eq!(err.kind, ErrorKind::InBand);
            assert_eq!(err.code, Some(400));
            assert!(
                err.message.contains("Token limit reached"),
                "{}",
                err.message
            );
        } else {
            assert_eq!(
                end,
                StreamEnd::Complete {
                    finish_reason: Some("stop".into())
                },
                "{}",
                exp.file
            );
        }
    }
}

/// Every split point of every recorded body gives the same events as the whole body.
#[tokio::test]
async fn recorded_streams_split_at_every_byte() {
    for exp in expectations() {
        let body = fixture_body(exp.file).into_bytes();
        let whole = decode_body(vec![body.clone()]).await;
        for cut in 1..body.len() {
            let split = decode_body(vec![body[..cut].to_vec(), body[cut..].to_vec()]).await;
            assert_eq!(split, whole, "{} split at byte {cut}", exp.file);
        }
    }
}

/// CRLF line ends, multi-line data, comments and multi-byte characters, split everywhere,
/// including inside characters, and delivered one byte at a time.
#[tokio::test]
async fn synthetic_stream_split_everywhere() {
    let body = ": OPENROUTER PROCESSING\r\n\r\n\
        data: {\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"日本\"}}]}\r\n\r\n\
        : keep-alive\n\n\
        data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"🚀 think\"}}]}\n\n\
        data: {\"choices\":[{\"delta\":{\"content\":\"é—\"},\"finish_reason\":\"stop\"}]}\n\n\
        data: [DONE]\n\n"
        .as_bytes()
        .to_vec();
    let whole = decode_body(vec![body.clone()]).await;
    assert_eq!(text_of(&whole), "日本é—");
    assert_eq!(reasoning_of(&whole), "🚀 think");
    assert_eq!(
        end_of(&whole),
        StreamEnd::Complete {
            finish_reason: Some("stop".into())
        }
    );
    for cut in 1..body.len() {
        let split = decode_body(vec![body[..cut].to_vec(), body[cut..].to_vec()]).await;
        assert_eq!(split, whole, "split at {cut}");
    }
    let bytes = decode_body(body.iter().map(|b| vec![*b]).collect()).await;
    assert_eq!(bytes, whole);
}

/// Usage in a chunk with empty choices, with an empty delta, or with a repeated finish
/// reason is read; the first finish reason does not stop the reading.
#[tokio::test]
async fn usage_after_the_finish_reason_is_read() {
    for usage_chunk in [
        r#"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"cost":0.5}}"#,
        r#"{"choices":[{"index":0,"delta":{}}],"usage":{"prompt_tokens":1,"completion_tokens":2,"cost":0.5}}"#,
        r#"{"choices":[{"delta":{"content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"cost":"0.5"}}"#,
        r#"{"usage":{"completion_tokens":2,"prompt_tokens":1,"cost":0.5}}"#,
    ] {
        let body = format!(
            "data: {{\"choices\":[{{\"delta\":{{\"content\":\"hi\"}},\"finish_reason\":\"stop\"}}]}}\n\ndata: {usage_chunk}\n\ndata: [DONE]\n\n"
        );
        let events = decode_body(vec![body.into_bytes()]).await;
        assert_eq!(text_of(&events), "hi");
        let usage = events.iter().find_map(|e| match e {
            StreamEvent::Usage(u) => Some(u.clone()),
            _ => None,
        });
        let usage = usage.unwrap_or_else(|| panic!("no usage from {usage_chunk}"));
        assert_eq!((usage.prompt_tokens, usage.completion_tokens), (1, 2));
        assert_eq!(usage.cost, Some(Usd::parse("0.5").unwrap()));
    }
}

#[tokio::test]
async fn stream_end_rules() {
    // EOF with neither [DONE] nor finish reason: incomplete, never complete.
    let cut = decode_body(vec![
        b"data: {\"choices\":[{\"delta\":{\"content\":\"par\"}}]}\n\n".to_vec(),
    ])
    .await;
    assert_eq!(end_of(&cut), StreamEnd::Incomplete);
    assert_eq!(text_of(&cut), "par");
    // A finish reason without [DONE] is complete.
    let fin = decode_body(vec![
        b"data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"length\"}]}\n\n"
            .to_vec(),
    ])
    .await;
    assert_eq!(
        end_of(&fin),
        StreamEnd::Complete {
            finish_reason: Some("length".into())
        }
    );
    // finish_reason "error" without an error object is still an error.
    let err = decode_body(vec![b"data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"error\"}]}\n\ndata: [DONE]\n\n".to_vec()]).await;
    assert!(matches!(end_of(&err), StreamEnd::Failed(e) if e.kind == ErrorKind::InBand));
    // A string error code and a bare error string are understood.
    let s = decode_body(vec![
        b"data: {\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}\n\ndata: [DONE]\n\n"
            .to_vec(),
    ])
    .await;
    assert!(
        matches!(end_of(&s), StreamEnd::Failed(e) if e.message.contains("boom") && e.code.is_none())
    );
    // Key order and unknown fields do not matter.
    let odd = decode_body(vec![b"data: {\"zzz\":[1,{\"a\":null}],\"choices\":[{\"finish_reason\":null,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\",\"tool_calls\":[]},\"index\":0}],\"provider\":\"P\"}\n\ndata: [DONE]\n\n".to_vec()]).await;
    assert_eq!(text_of(&odd), "ok");
}
