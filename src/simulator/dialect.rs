//! Which real endpoint the simulator imitates: OpenRouter (the demo), or a strict one that
//! checks request fields the way api.openai.com and api.mistral.ai do, with their error
//! bodies, or Ollama with its own model listing. The answers come from the demo models.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::SimState;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SimDialect {
    #[default]
    OpenRouter,
    OpenAi,
    Mistral,
    Ollama,
}

/// Fields of OpenAI's documented chat-completions request.
const OPENAI_FIELDS: &[&str] = &[
    "model",
    "messages",
    "stream",
    "stream_options",
    "temperature",
    "top_p",
    "n",
    "stop",
    "max_tokens",
    "max_completion_tokens",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "user",
    "seed",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
    "reasoning_effort",
    "service_tier",
    "store",
    "metadata",
    "modalities",
    "audio",
    "prediction",
    "web_search_options",
    "verbosity",
    "prompt_cache_key",
    "safety_identifier",
];

/// Fields of Mistral's chat-completions request (it forbids any other).
const MISTRAL_FIELDS: &[&str] = &[
    "model",
    "messages",
    "stream",
    "temperature",
    "top_p",
    "max_tokens",
    "stop",
    "random_seed",
    "response_format",
    "tools",
    "tool_choice",
    "presence_penalty",
    "frequency_penalty",
    "n",
    "prediction",
    "parallel_tool_calls",
    "prompt_mode",
    "safe_prompt",
];

impl SimDialect {
    pub fn parse(name: &str) -> Option<SimDialect> {
        match name {
            "openrouter" => Some(SimDialect::OpenRouter),
            "openai" => Some(SimDialect::OpenAi),
            "mistral" => Some(SimDialect::Mistral),
            "ollama" => Some(SimDialect::Ollama),
            _ => None,
        }
    }

    /// The model ids it serves and the demo model each one answers like.
    pub fn aliases(self) -> &'static [(&'static str, &'static str)] {
        match self {
            SimDialect::OpenRouter => &[],
            SimDialect::OpenAi => &[
                ("gpt-4.1-mini", "sim/swift-mini"),
                ("gpt-5-mini", "sim/deep-thinker"),
                ("o4-mini", "sim/deep-thinker"),
            ],
            SimDialect::Mistral => &[
                ("mistral-small-latest", "sim/swift-mini"),
                ("magistral-small-latest", "sim/deep-thinker"),
            ],
            SimDialect::Ollama => &[
                ("llama3.2:3b", "sim/swift-mini"),
                ("qwen3:8b", "sim/deep-thinker"),
            ],
        }
    }

    /// Whether its usage chunk is sent only when `stream_options.include_usage` asks.
    pub fn usage_on_request(self) -> bool {
        matches!(self, SimDialect::OpenAi | SimDialect::Ollama)
    }

    /// Checks a request's fields as the real endpoint does; `Some` is its refusal.
    pub fn check(self, body: &Value) -> Option<Response> {
        let fields = body.as_object()?;
        match self {
            SimDialect::OpenAi => {
                if let Some(k) = fields.keys().find(|k| !OPENAI_FIELDS.contains(&k.as_str())) {
                    return Some(openai_error(
                        &format!("Unrecognized request argument supplied: {k}"),
                        Value::Null,
                        Value::Null,
                    ));
                }
                let model = body.get("model").and_then(Value::as_str).unwrap_or("");
                let reasoning = ["o1", "o3", "o4", "gpt-5"]
                    .iter()
                    .any(|p| model.starts_with(p));
                if !reasoning && fields.contains_key("reasoning_effort") {
                    return Some(openai_error(
                        "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
                        json!("reasoning_effort"),
                        json!("unsupported_parameter"),
                    ));
                }
                if reasoning && fields.contains_key("max_tokens") {
                    return Some(openai_error(
                        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                        json!("max_tokens"),
                        json!("unsupported_parameter"),
                    ));
                }
                if let Some(t) = body.get("temperature").and_then(Value::as_f64)
                    && reasoning
                    && t != 1.0
                {
                    return Some(openai_error(
                        &format!(
                            "Unsupported value: 'temperature' does not support {t} with this model. Only the default (1) value is supported."
                        ),
                        json!("temperature"),
                        json!("unsupported_value"),
                    ));
                }
                None
            }
            SimDialect::Mistral => {
                let (k, v) = fields
                    .iter()
                    .find(|(k, _)| !MISTRAL_FIELDS.contains(&k.as_str()))?;
                let body = json!({"object": "error", "message": {"detail": [{"type": "extra_forbidden", "loc": ["body", k], "msg": "Extra inputs are not permitted", "input": v}]}, "type": "invalid_request_error", "param": null, "code": null});
                Some((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response())
            }
            SimDialect::OpenRouter | SimDialect::Ollama => None,
        }
    }

    /// A reasoning delta in this dialect's shape (`None`: the dialect streams none).
    pub fn reasoning_delta(self, piece: &str) -> Option<String> {
        let s = serde_json::to_string(piece).unwrap_or_default();
        match self {
            SimDialect::OpenAi => None,
            SimDialect::Mistral => Some(format!(
                r#"{{"role":"assistant","content":[{{"type":"thinking","thinking":[{{"type":"text","text":{s}}}]}}]}}"#
            )),
            SimDialect::Ollama => Some(format!(
                r#"{{"role":"assistant","content":"","reasoning":{s}}}"#
            )),
            SimDialect::OpenRouter => Some(format!(r#"{{"reasoning_content":{s}}}"#)),
        }
    }
}

fn openai_error(message: &str, param: Value, code: Value) -> Response {
    let body = json!({"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}});
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

/// Ollama's `/api/tags` entry and `/api/show` body for a model.
pub fn ollama_tag(name: &str) -> Value {
    json!({"name": name, "model": name, "modified_at": "2026-11-01T10:00:00Z", "size": 2019393189u64, "details": {"format": "gguf", "family": "llama"}})
}

pub fn ollama_show_body(context: u64) -> Value {
    json!({"details": {"format": "gguf", "family": "llama"}, "model_info": {"general.architecture": "llama", "llama.context_length": context}})
}

pub(super) async fn ollama_tags(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
) -> Response {
    super::routes::record(&state, "/api/tags", &headers, None);
    if state.config.dialect != SimDialect::Ollama {
        return super::routes::error_response(404, "not found", None);
    }
    let models: Vec<_> = state
        .config
        .dialect
        .aliases()
        .iter()
        .map(|(alias, _)| ollama_tag(alias))
        .collect();
    axum::Json(json!({ "models": models })).into_response()
}

pub(super) async fn ollama_show(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    super::routes::record(&state, "/api/show", &headers, Some(body.clone()));
    let name = body.get("model").and_then(|m| m.as_str()).unwrap_or("");
    match super::routes::find_model(&state, name)
        .filter(|_| state.config.dialect == SimDialect::Ollama)
    {
        Some(m) => axum::Json(ollama_show_body(m.context)).into_response(),
        None => super::routes::error_response(404, &format!("model '{name}' not found"), None),
    }
}
