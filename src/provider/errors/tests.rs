//! Tests of `errors`.

use super::*;

#[test]
fn openrouter_error_body() {
    let body = r#"{"error":{"code":429,"message":"Provider returned error","metadata":{"provider_name":"Google","raw":"gemini is temporarily rate-limited upstream"}},"user_id":"u"}"#;
    let e = http_error(429, "Too Many Requests", Some(Duration::from_secs(3)), body);
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert_eq!(e.code, Some(429));
    assert!(
        e.message.contains(
            "Provider returned error: gemini is temporarily rate-limited upstream [Google]"
        ),
        "{}",
        e.message
    );
    assert!(e.message.contains("retry after 3s"), "{}", e.message);
}

#[test]
fn html_proxy_page() {
    let body = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let e = http_error(502, "Bad Gateway", None, body);
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(
        e.message
            .contains("non-JSON page titled \"502 Bad Gateway\""),
        "{}",
        e.message
    );
}

#[test]
fn auth_and_credits() {
    let e = http_error(
        401,
        "Unauthorized",
        None,
        r#"{"error":{"message":"User not found.","code":401}}"#,
    );
    assert_eq!(e.kind, ErrorKind::Auth);
    assert!(e.message.contains("User not found.") && e.message.contains("OPENROUTER_API_KEY"));
    let e = http_error(
        402,
        "Payment Required",
        None,
        r#"{"error":{"message":"Insufficient credits","code":402}}"#,
    );
    assert_eq!(e.kind, ErrorKind::Credits);
    assert!(e.message.contains("openrouter.ai/credits"));
}

#[test]
fn other_json_shapes() {
    let e = http_error(400, "Bad Request", None, r#"{"detail":"model not loaded"}"#);
    assert!(e.message.contains("model not loaded"));
    let e = http_error(500, "Internal Server Error", None, r#"{"error":"boom"}"#);
    assert!(e.message.contains("boom"), "{}", e.message);
}

#[test]
fn retry_after_values() {
    assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
    assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
}

#[test]
fn escape_sequences_in_error_bodies_are_neutralised() {
    let e = http_error(
        500,
        "Internal Server Error",
        None,
        "{\"error\":{\"message\":\"\\u001b]52;c;eA==\\u0007\"}}",
    );
    assert!(
        !e.message.chars().any(|c| c.is_control()),
        "{:?}",
        e.message
    );
}

/// Context-length refusals as each server words them. Sources: OpenAI's API reference
/// (`context_length_exceeded`), OpenRouter's 400 for a prompt over an endpoint's context,
/// Anthropic's `invalid_request_error`, llama.cpp server's `exceed_context_size_error` (and its
/// older wording), vLLM's OpenAI-compatible server.
#[test]
fn context_refusals_become_one_clear_line() {
    let cases = [
        (
            r#"{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
            "(130532 tokens, context 128000)",
        ),
        (
            r#"{"error":{"message":"This endpoint's maximum context length is 8192 tokens. However, you requested about 9650 tokens (9138 of text input, 512 in the output). Please reduce the length of either one, or use the \"middle-out\" transform to compress your prompt automatically.","code":400}}"#,
            "(9650 tokens, context 8192)",
        ),
        (
            r#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}"#,
            "(208310 tokens, context 200000)",
        ),
        (
            r#"{"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}}"#,
            "(4476 tokens, context 4096)",
        ),
        (
            r#"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5120,"n_ctx":4096}}"#,
            "(5120 tokens, context 4096)",
        ),
        (
            r#"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4500 in the messages, 500 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}"#,
            "(5000 tokens, context 4096)",
        ),
        (
            r#"{"object":"error","message":"Input prompt (9000 tokens) is too long and exceeds limit of 8192","type":"BadRequestError","param":null,"code":400}"#,
            "(9000 tokens, context 8192)",
        ),
    ];
    for (body, figures) in cases {
        let e = context_too_long(http_error(400, "Bad Request", None, body), body, "m/x");
        assert!(
            e.message
                .starts_with(&format!("prompt too long for m/x {figures}")),
            "{body}\n{}",
            e.message
        );
        assert_eq!((e.kind, e.code), (ErrorKind::Request, Some(400)));
    }
    // The prompt fits; the output limit asked for does not: that is what is said.
    let body = r#"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (1000 in the messages, 4000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}"#;
    let e = context_too_long(http_error(400, "Bad Request", None, body), body, "m/x");
    assert!(
        e.message.starts_with(
            "output limit too large for m/x (1000 prompt + 4000 output tokens, context 4096)"
        ),
        "{}",
        e.message
    );
    // Only the error's message counts, and only on a refusal: an echo of the user's text
    // elsewhere in the body, or a 5xx, is left alone.
    let echo = r#"{"error":{"message":"bad temperature","input":"what is the maximum context length of gpt-4?"}}"#;
    let e = http_error(400, "Bad Request", None, echo);
    assert_eq!(context_too_long(e.clone(), echo, "m/x"), e);
    let body = r#"{"error":{"message":"maximum context length is 10 tokens"}}"#;
    let e = http_error(503, "Service Unavailable", None, body);
    assert_eq!(context_too_long(e.clone(), body, "m/x"), e);
    let other = http_error(
        400,
        "Bad Request",
        None,
        r#"{"error":{"message":"bad temperature"}}"#,
    );
    let same = context_too_long(
        other.clone(),
        r#"{"error":{"message":"bad temperature"}}"#,
        "m/x",
    );
    assert_eq!(same, other, "anything else is left as it was");
}
