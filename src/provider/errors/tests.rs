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
