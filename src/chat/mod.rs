//! Domain types shared by every layer: messages, usage, stream events and the answer they build.

mod answer;
pub mod attach;
pub mod timeline;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::cost::Usd;

pub use answer::Answer;
pub use timeline::Timeline;

/// The most panes (models) one shootout shows: the command line, the config, the picker and
/// a reopened session all hold to it.
pub const MAX_PANES: usize = 8;

/// Refuses more models than there are panes.
pub fn check_pane_count(models: usize) -> Result<(), String> {
    if models > MAX_PANES {
        Err(format!(
            "{models} models, but a shootout has at most {MAX_PANES} panes"
        ))
    } else {
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
    /// Files sent with it: text after `content` in fences, images as image parts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<attach::Attachment>,
}

impl Message {
    pub fn new(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: content.into(),
            attachments: Vec::new(),
        }
    }

    pub fn with_attachments(mut self, attachments: Vec<attach::Attachment>) -> Message {
        self.attachments = attachments;
        self
    }
}

/// Parameters of one round, as sent to every model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Params {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// `low`, `medium`, `high` ... sent as OpenRouter's `reasoning.effort`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<String>,
}

/// One chat completion request: a model, the conversation so far, the round's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
    pub params: Params,
    /// A JSON reply is wanted, of this schema (sent as structured output where the endpoint
    /// takes it; the prompt must ask for it too).
    pub format: Option<ResponseFormat>,
}

/// A JSON schema the reply must follow.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseFormat {
    pub name: String,
    pub schema: serde_json::Value,
}

/// What `GET /generation` says a generation cost (asked after a cancelled stream).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerationCost {
    pub total: Usd,
    pub prompt_tokens: Option<u64>,
    pub completion_tokens: Option<u64>,
}

/// What `GET /key` says about the key's credit, in dollars.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyInfo {
    pub label: Option<String>,
    pub limit: Option<Usd>,
    pub remaining: Option<Usd>,
    pub usage: Option<Usd>,
}

/// Token counts and the billed cost of one request (money math lives in `cost`).
pub use crate::cost::Usage;

/// A request field that was left out or renamed because the endpoint refuses it: by its
/// dialect's rules, because it said so, or because it said so before (remembered).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    /// The field as switchboard would have sent it.
    pub param: String,
    /// The name it was sent under instead; `None` when it was left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_to: Option<String>,
    /// Why, in a few words (the server's own words when it refused).
    pub reason: String,
    /// The answer may differ from what was asked (a left-out temperature or token limit).
    #[serde(default)]
    pub changes_answer: bool,
    /// Made up front because the endpoint refused the field before (not refused this time).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remembered: bool,
}

impl Adjustment {
    /// One line for a pane or a report.
    pub fn describe(&self) -> String {
        match &self.renamed_to {
            Some(to) => format!("sent {} as {to}: {}", self.param, self.reason),
            None => format!("left out {}: {}", self.param, self.reason),
        }
    }
}

/// Reasoning that came inline in the content, kept so the raw view shows what was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineThink {
    /// What came before `<think>` (whitespace).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lead: String,
    /// `</think>` arrived.
    #[serde(default)]
    pub closed: bool,
}

/// Why a request failed, in categories a user can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// 401: the key is missing, wrong or disabled.
    Auth,
    /// 402: out of credits.
    Credits,
    /// 429, over HTTP or in the stream.
    RateLimited,
    /// Any other 4xx.
    Request,
    /// 5xx.
    Server,
    /// The provider reported an error inside a 200 stream.
    InBand,
    /// Could not connect at all (refused, DNS, TLS, timeout).
    Connect,
    /// The connection went quiet for longer than the stall timeout.
    Stall,
    /// The connection broke in the middle of the answer.
    Dropped,
    /// The server sent something that is not a valid stream.
    Protocol,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct StreamError {
    pub kind: ErrorKind,
    /// One line a user understands, with what to do about it where there is something to do.
    pub message: String,
    /// The HTTP status or in-band error code, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// How long the server asked us to wait (`Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<Duration>,
}

impl StreamError {
    /// What went wrong without the words of the server, which may name the model or its
    /// provider (a blind round shows this): `provider error 502`, `connection failed`.
    pub fn anonymous(&self) -> String {
        let what = match self.kind {
            ErrorKind::Auth => "key refused",
            ErrorKind::Credits => "out of credits",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Request => "request refused",
            ErrorKind::Server | ErrorKind::InBand => "provider error",
            ErrorKind::Connect => "connection failed",
            ErrorKind::Stall => "the stream stalled",
            ErrorKind::Dropped => "the stream broke off",
            ErrorKind::Protocol => "not a valid stream",
        };
        match self.code {
            Some(code) => format!("{what} {code}"),
            None => what.to_string(),
        }
    }

    pub fn new(kind: ErrorKind, message: impl Into<String>) -> StreamError {
        StreamError {
            kind,
            message: message.into(),
            code: None,
            retry_after: None,
        }
    }
}

/// How a stream ended. Always the last event of a stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// `[DONE]` arrived or the model gave a finish reason.
    Complete { finish_reason: Option<String> },
    /// The connection closed cleanly without `[DONE]` or a finish reason.
    Incomplete,
    /// The request or the stream failed; text received so far is kept.
    Failed(StreamError),
}

/// What a streaming request produces, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    /// The generation id from the `X-Generation-Id` header.
    Generation(String),
    /// The model and provider that actually serve the request (may differ from what was asked).
    ServedBy {
        model: Option<String>,
        provider: Option<String>,
    },
    Text(String),
    Reasoning(String),
    /// An encrypted reasoning item: counted, never shown.
    EncryptedReasoning,
    Usage(Usage),
    /// A request field was left out or renamed for this endpoint (before the first token).
    Adjusted(Adjustment),
    /// Reasoning opened inline with `<think>` at the start of the content, after `lead`
    /// (whitespace the model sent first).
    ThinkOpened {
        lead: String,
    },
    /// The inline reasoning's `</think>` arrived.
    ThinkClosed,
    /// Something the pane should say about this answer, in one line.
    Notice(String),
    /// A retryable failure before the first token; the request is sent again after `wait`.
    Retrying {
        attempt: u32,
        wait: Duration,
        error: StreamError,
    },
    End(StreamEnd),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerStatus {
    Waiting,
    Streaming,
    Complete,
    Incomplete,
    Error,
    Cancelled,
}

impl AnswerStatus {
    pub fn is_finished(self) -> bool {
        !matches!(self, AnswerStatus::Waiting | AnswerStatus::Streaming)
    }

    pub fn label(self) -> &'static str {
        match self {
            AnswerStatus::Waiting => "waiting",
            AnswerStatus::Streaming => "streaming",
            AnswerStatus::Complete => "complete",
            AnswerStatus::Incomplete => "incomplete",
            AnswerStatus::Error => "error",
            AnswerStatus::Cancelled => "cancelled",
        }
    }
}

#[cfg(test)]
mod tests;
