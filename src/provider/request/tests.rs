//! Tests of `request`.

use super::*;
use crate::chat::{Message, Params, Role};
use crate::provider::dialects::Kind;

fn request(model: &str, params: Params) -> ChatRequest {
    ChatRequest {
        model: model.into(),
        messages: vec![Message::new(Role::User, "hi")],
        params,
        format: None,
    }
}

fn keys(b: &Built) -> Vec<&str> {
    b.body.keys().map(String::as_str).collect()
}

#[test]
fn each_dialect_sends_its_own_fields() {
    let params = Params {
        temperature: Some(0.5),
        max_tokens: Some(100),
        reasoning_effort: Some("low".into()),
    };
    let or = build(
        &request("a/b", params.clone()),
        Kind::OpenRouter.dialect(),
        &[],
    );
    assert_eq!(
        keys(&or),
        [
            "max_tokens",
            "messages",
            "model",
            "reasoning",
            "stream",
            "stream_options",
            "temperature",
            "transforms",
            "usage"
        ]
    );
    assert_eq!(
        or.body["transforms"],
        serde_json::json!([]),
        "nothing cut from the middle"
    );
    let oai = build(
        &request("gpt-4.1-mini", params.clone()),
        Kind::OpenAi.dialect(),
        &[],
    );
    assert!(!oai.body.contains_key("usage") && !oai.body.contains_key("reasoning"));
    assert_eq!(oai.body["max_completion_tokens"], 100);
    assert!(
        !oai.body.contains_key("reasoning_effort"),
        "gpt-4.1-mini refuses an effort"
    );
    assert_eq!(oai.adjusted[0].param, "reasoning_effort");
    let gpt5 = build(
        &request("gpt-5-mini", params.clone()),
        Kind::OpenAi.dialect(),
        &[],
    );
    assert!(!gpt5.body.contains_key("temperature"));
    assert_eq!(gpt5.body["reasoning_effort"], "low");
    assert!(gpt5.adjusted[0].changes_answer);
    let mistral = build(
        &request("magistral-small-latest", params.clone()),
        Kind::Mistral.dialect(),
        &[],
    );
    assert_eq!(
        keys(&mistral),
        ["max_tokens", "messages", "model", "stream", "temperature"]
    );
    assert_eq!(mistral.adjusted[0].param, "reasoning_effort");
    let generic = build(&request("m", params), Kind::OpenAiCompatible.dialect(), &[]);
    assert_eq!(
        keys(&generic),
        [
            "max_tokens",
            "messages",
            "model",
            "reasoning_effort",
            "stream",
            "stream_options",
            "temperature"
        ]
    );
}

#[test]
fn learned_adjustments_are_made_up_front() {
    let learned = [Adjustment {
        param: "max_tokens".into(),
        renamed_to: Some("max_completion_tokens".into()),
        reason: "the server asked".into(),
        changes_answer: false,
        remembered: false,
    }];
    let params = Params {
        max_tokens: Some(9),
        ..Params::default()
    };
    let b = build(
        &request("gpt-5", params),
        Kind::OpenAiCompatible.dialect(),
        &learned,
    );
    assert_eq!(b.body["max_completion_tokens"], 9);
    assert!(!b.body.contains_key("max_tokens"));
    assert_eq!(b.adjusted.len(), 1);
    let b = build(
        &request("gpt-5", Params::default()),
        Kind::OpenAiCompatible.dialect(),
        &learned,
    );
    assert!(
        b.adjusted.is_empty(),
        "nothing to adjust when the field is not sent"
    );
}

#[test]
fn refusals_name_their_field() {
    let cases = [
        (
            r#"{"error":{"message":"Unrecognized request argument supplied: usage","type":"invalid_request_error","param":null,"code":null}}"#,
            ("usage", None),
        ),
        (
            r#"{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}"#,
            ("max_tokens", Some("max_completion_tokens")),
        ),
        (
            r#"{"error":{"message":"Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}"#,
            ("temperature", None),
        ),
        (
            r#"{"error":{"message":"reasoning_effort is not supported with this model","type":"invalid_request_error"}}"#,
            ("reasoning_effort", None),
        ),
        (
            r#"{"error":{"message":"property 'stream_options' is unsupported, did you mean 'stop'?","type":"invalid_request_error"}}"#,
            ("stream_options", None),
        ),
        (
            r#"{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]},"type":"invalid_request_error","param":null,"code":null}"#,
            ("stream_options", None),
        ),
        (
            r#"{"detail":[{"type":"extra_forbidden","loc":["body","usage"],"msg":"Extra inputs are not permitted"}]}"#,
            ("usage", None),
        ),
    ];
    for (body, (param, to)) in cases {
        assert_eq!(
            refused_param(body),
            Some((param.to_string(), to.map(str::to_string))),
            "{body}"
        );
    }
    assert_eq!(
        refused_param(r#"{"error":{"message":"Invalid API key"}}"#),
        None
    );
    assert_eq!(refused_param("<html>bad gateway</html>"), None);
}

#[test]
fn a_refused_value_is_not_a_refused_field() {
    let value = r#"{"error":{"message":"Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}"#;
    let r = refusal(value).unwrap();
    assert_eq!(r.param, "temperature");
    assert!(
        !r.whole_field,
        "another temperature may pass: not remembered"
    );
    let field = r#"{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}"#;
    let r = refusal(field).unwrap();
    assert!(r.whole_field);
    assert_eq!(r.renamed_to.as_deref(), Some("max_completion_tokens"));
    // `param` names the field when the words do not.
    let odd = r#"{"error":{"message":"reasoning_effort is not supported with this model","param":"reasoning_effort","code":"unsupported_parameter"}}"#;
    assert_eq!(refusal(odd).unwrap().param, "reasoning_effort");
}

#[test]
fn a_json_reply_is_asked_for_in_each_dialect_s_way() {
    let mut r = request("a/b", Params::default());
    r.format = Some(crate::chat::ResponseFormat {
        name: "verdict".into(),
        schema: serde_json::json!({"type": "object"}),
    });
    let or = build(&r, Kind::OpenRouter.dialect(), &[]);
    assert_eq!(or.body["response_format"]["type"], "json_schema");
    assert_eq!(or.body["response_format"]["json_schema"]["name"], "verdict");
    assert_eq!(or.body["response_format"]["json_schema"]["strict"], true);
    let ds = build(&r, Kind::DeepSeek.dialect(), &[]);
    assert_eq!(
        ds.body["response_format"],
        serde_json::json!({"type": "json_object"})
    );
    let an = build(&r, Kind::Anthropic.dialect(), &[]);
    assert!(!an.body.contains_key("response_format"));
    let plain = build(
        &request("a/b", Params::default()),
        Kind::OpenRouter.dialect(),
        &[],
    );
    assert!(!plain.body.contains_key("response_format"));
}
