//! The JSON body of a chat request in an endpoint's dialect, and the adjustments that made it
//! so: fields its rules leave out or rename, and those a server refused before.

use serde_json::{Map, Value, json};

use crate::chat::{Adjustment, ChatRequest, StreamError};
use crate::sanitize::single_line;

use super::dialects::{Dialect, Effort, Structured, TokenLimit};

/// Fields a server may refuse and switchboard may leave out or rename. The model, the
/// messages and `stream` are never touched: without them there is no request.
pub fn adjustable(param: &str) -> bool {
    !matches!(param, "model" | "messages" | "stream")
}

/// Whether leaving `param` out changes what the model is asked to do.
pub fn changes_answer(param: &str) -> bool {
    matches!(
        param,
        "temperature" | "max_tokens" | "max_completion_tokens" | "reasoning" | "reasoning_effort"
    )
}

/// A body and the adjustments behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub body: Map<String, Value>,
    pub adjusted: Vec<Adjustment>,
}

impl Built {
    /// Leaves out or renames a field, recording why. False when the body has no such field.
    pub fn apply(&mut self, adj: Adjustment) -> bool {
        let Some(value) = self.body.remove(&adj.param) else {
            return false;
        };
        if let Some(to) = &adj.renamed_to {
            self.body.insert(to.clone(), value);
        }
        self.adjusted.push(adj);
        true
    }
}

/// The messages as the chat API takes them: a message's text files follow its text in
/// fences; with images, its content is a list of parts (text first, then each image as a
/// `data:` URL), the form OpenAI, OpenRouter, Ollama and llama.cpp take.
pub fn wire_messages(messages: &[crate::chat::Message]) -> Value {
    let wire = messages.iter().map(|m| {
        let text = crate::chat::attach::text_with_files(&m.content, &m.attachments);
        let images: Vec<Value> = m
            .attachments
            .iter()
            .filter_map(|a| a.data_url())
            .map(|url| json!({"type": "image_url", "image_url": {"url": url}}))
            .collect();
        let content = if images.is_empty() {
            json!(text)
        } else {
            let mut parts = vec![json!({"type": "text", "text": text})];
            parts.extend(images);
            Value::Array(parts)
        };
        json!({"role": m.role, "content": content})
    });
    Value::Array(wire.collect())
}

/// The body for `request` in `dialect`, with `learned` adjustments (what this endpoint and
/// model refused before) already made.
pub fn build(request: &ChatRequest, dialect: &Dialect, learned: &[Adjustment]) -> Built {
    let params = &request.params;
    let mut body = Map::new();
    body.insert("model".into(), json!(request.model));
    body.insert("messages".into(), wire_messages(&request.messages));
    body.insert("stream".into(), json!(true));
    if dialect.stream_options {
        body.insert("stream_options".into(), json!({"include_usage": true}));
    }
    if dialect.usage_accounting {
        body.insert("usage".into(), json!({"include": true}));
    }
    if dialect.whole_prompt {
        body.insert("transforms".into(), json!([]));
    }
    if let Some(t) = params.temperature {
        body.insert("temperature".into(), json!(t));
    }
    if let Some(n) = params.max_tokens {
        let field = match dialect.token_limit_for(&request.model) {
            TokenLimit::MaxTokens => "max_tokens",
            TokenLimit::MaxCompletionTokens => "max_completion_tokens",
        };
        body.insert(field.into(), json!(n));
    }
    if let Some(format) = &request.format {
        let value = match dialect.structured {
            Structured::JsonSchema => Some(json!({
                "type": "json_schema",
                "json_schema": {"name": format.name, "schema": format.schema, "strict": true}
            })),
            Structured::JsonObject => Some(json!({"type": "json_object"})),
            Structured::Unsupported => None,
        };
        if let Some(v) = value {
            body.insert("response_format".into(), v);
        }
    }
    let mut built = Built {
        body,
        adjusted: Vec::new(),
    };
    if let Some(effort) = params.reasoning_effort.as_deref() {
        match dialect.effort_for(&request.model) {
            Effort::ReasoningObject => {
                built
                    .body
                    .insert("reasoning".into(), json!({"effort": effort}));
            }
            Effort::ReasoningEffort => {
                built.body.insert("reasoning_effort".into(), json!(effort));
            }
            Effort::Unsupported => built.adjusted.push(Adjustment {
                param: "reasoning_effort".into(),
                renamed_to: None,
                reason: format!(
                    "{} on {} endpoints takes no reasoning effort",
                    request.model, dialect.name
                ),
                changes_answer: true,
                remembered: false,
            }),
        }
    }
    if let Some(family) = dialect.family(&request.model)
        && family.default_temperature_only
        && params.temperature.is_some_and(|t| t != 1.0)
    {
        built.apply(Adjustment {
            param: "temperature".into(),
            renamed_to: None,
            reason: format!("{} takes only the default temperature", request.model),
            changes_answer: true,
            remembered: false,
        });
    }
    for adj in learned {
        built.apply(adj.clone());
    }
    built
}

/// At most this many fields are left out or renamed for one request: a server that keeps
/// refusing something new is not followed forever.
pub const MAX_HEALS: usize = 3;

/// The adjustment for a 400 or 422 that refused a field this request sent and has not
/// adjusted yet, made to `built`, and whether the field itself (not its value) was refused;
/// `None` when there is nothing to heal. `err` is already redacted: its words are kept.
pub fn heal(built: &mut Built, err: &StreamError, body: &str) -> Option<(Adjustment, bool)> {
    if !matches!(err.code, Some(400 | 422)) {
        return None;
    }
    let Refusal {
        param,
        renamed_to,
        whole_field,
    } = refusal(body)?;
    let already = built.adjusted.iter().any(|a| a.param == param);
    if already || !adjustable(&param) || !built.body.contains_key(&param) {
        return None;
    }
    // A new name comes from the server's words: only a plain field name, one not sent.
    let plain_name = |n: &str| {
        (1..=40).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    };
    if renamed_to
        .as_ref()
        .is_some_and(|to| !plain_name(to) || !adjustable(to) || built.body.contains_key(to))
    {
        return None;
    }
    let detail = err.message.split_once(": ").map_or("", |(_, d)| d);
    let detail = detail.split(" — ").next().unwrap_or(detail);
    let adj = Adjustment {
        changes_answer: renamed_to.is_none() && changes_answer(&param),
        param,
        renamed_to,
        reason: format!(
            "the server refused it (HTTP {}: {})",
            err.code.unwrap_or(0),
            single_line(detail)
        ),
        remembered: false,
    };
    built.apply(adj.clone()).then_some((adj, whole_field))
}

/// What a 400 or 422 refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub param: String,
    /// The name the server says to use instead.
    pub renamed_to: Option<String>,
    /// The field itself is refused (worth remembering), not just the value sent this time
    /// ("Unsupported value: 'temperature' does not support 0.7": another value may pass).
    pub whole_field: bool,
}

/// The field a 400 or 422 refused, and what to do about it.
pub fn refusal(body: &str) -> Option<Refusal> {
    let (mut param, renamed_to) = refused_param(body)?;
    let value: Option<Value> = serde_json::from_str(body).ok();
    let error = value.as_ref().and_then(|v| v.get("error"));
    // OpenAI names the field in `param`: it is more reliable than the message's words.
    if let Some(p) = error.and_then(|e| e.get("param")).and_then(Value::as_str)
        && !p.is_empty()
        && renamed_to.is_none()
    {
        param = p.to_string();
    }
    let code = error.and_then(|e| e.get("code")).and_then(Value::as_str);
    let whole_field = code != Some("unsupported_value") && !body.contains("Unsupported value:");
    Some(Refusal {
        param,
        renamed_to,
        whole_field,
    })
}

/// The field a 400 or 422 refused, and what to do about it: `(param, renamed_to)`.
///
/// Reads what real servers say: OpenAI's "Unrecognized request argument supplied: X" and
/// "Unsupported parameter: 'X' is not supported with this model. Use 'Y' instead.", any
/// "'X' is not supported with this model" or "Unsupported value: 'X' …", Groq's "property
/// 'X' is unsupported", and a FastAPI/pydantic validation error (Mistral's 422) whose `loc`
/// is `["body", "X"]` with type `extra_forbidden`.
pub fn refused_param(body: &str) -> Option<(String, Option<String>)> {
    if let Ok(value) = serde_json::from_str::<Value>(body)
        && let Some(p) = extra_forbidden(&value)
    {
        return Some((p, None));
    }
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| error_message(&v))
        .unwrap_or_else(|| body.to_string());
    let m = message.as_str();
    for lead in [
        "Unrecognized request argument supplied:",
        "Unrecognized request arguments supplied:",
    ] {
        if let Some(rest) = after(m, lead) {
            return first_word(rest).map(|p| (p, None));
        }
    }
    if let Some(rest) = after(m, "property '") {
        let name = rest.split('\'').next()?;
        return rest
            .contains("is unsupported")
            .then(|| (name.to_string(), None));
    }
    for lead in ["Unsupported parameter: '", "Unsupported value: '"] {
        if let Some(rest) = after(m, lead) {
            let name = rest.split('\'').next()?.to_string();
            let to = after(rest, "Use '").and_then(|r| r.split('\'').next().map(str::to_string));
            return Some((name, to));
        }
    }
    if let Some(at) = m.find(" is not supported with this model") {
        let before = m[..at]
            .trim_end()
            .trim_matches(|c| c == '\'' || c == '`' || c == '"');
        let name = before.rsplit([' ', '\'', '`', '"']).next()?;
        return (!name.is_empty()).then(|| (name.to_string(), None));
    }
    None
}

fn after<'a>(text: &'a str, lead: &str) -> Option<&'a str> {
    text.find(lead).map(|at| &text[at + lead.len()..])
}

fn first_word(text: &str) -> Option<String> {
    let word: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let word = word.trim_end_matches('.');
    (!word.is_empty()).then(|| word.to_string())
}

/// `error.message`, or `message` / `detail` as a string.
fn error_message(v: &Value) -> Option<String> {
    let text = |x: &Value| x.as_str().map(str::to_string);
    v.get("error")
        .and_then(|e| e.get("message").and_then(text).or_else(|| text(e)))
        .or_else(|| v.get("message").and_then(text))
        .or_else(|| v.get("detail").and_then(text))
}

/// The first `extra_forbidden` item's field, wherever the validation list sits.
fn extra_forbidden(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => {
            let is_extra = o.get("type").and_then(Value::as_str) == Some("extra_forbidden");
            if is_extra
                && let Some(Value::Array(loc)) = o.get("loc")
                && loc.first().and_then(Value::as_str) == Some("body")
                && let Some(name) = loc.get(1).and_then(Value::as_str)
            {
                return Some(name.to_string());
            }
            o.values().find_map(extra_forbidden)
        }
        Value::Array(items) => items.iter().find_map(extra_forbidden),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
