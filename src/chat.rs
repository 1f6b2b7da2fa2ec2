//! Domain types shared by every layer: messages, usage, stream events and the answer they build.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::cost::{Cost, CostSource, Pricing, Usd, estimated_cost, exact_cost, tokens_from_chars};

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
}

impl Message {
    pub fn new(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: content.into(),
        }
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
}

/// What `GET /key` says about the key's credit, in dollars.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyInfo {
    pub label: Option<String>,
    pub limit: Option<Usd>,
    pub remaining: Option<Usd>,
    pub usage: Option<Usd>,
}

/// Token counts (and the billed cost when the endpoint reports it) of one request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    /// Output tokens, reasoning included.
    pub completion_tokens: u64,
    pub reasoning_tokens: u64,
    pub cached_tokens: u64,
    /// What the endpoint charged, exactly as it said (`usage.cost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Usd>,
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

/// One model's answer as it builds up from stream events. Pure: the caller stamps each event
/// with the time elapsed since the request started.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The model that was asked for.
    pub model: String,
    pub served_model: Option<String>,
    pub provider: Option<String>,
    pub generation_id: Option<String>,
    pub text: String,
    pub reasoning: String,
    pub encrypted_reasoning: u32,
    pub usage: Option<Usage>,
    pub status: AnswerStatus,
    pub finish_reason: Option<String>,
    pub error: Option<StreamError>,
    /// The latest retry notice, while waiting for a retry.
    pub retrying: Option<(u32, Duration)>,
    pub ttft: Option<Duration>,
    /// When the first answer text (not reasoning) arrived.
    pub text_started: Option<Duration>,
    pub duration: Option<Duration>,
    /// Text and reasoning deltas received (a live proxy for tokens).
    pub deltas: u64,
    /// Characters of text and reasoning so far, kept as they arrive so live estimates cost
    /// nothing per frame.
    pub text_chars: u64,
    pub reasoning_chars: u64,
    /// Estimated prompt tokens, for the live cost estimate before usage arrives.
    pub prompt_tokens_estimate: u64,
}

impl Answer {
    pub fn new(model: impl Into<String>, prompt_tokens_estimate: u64) -> Answer {
        Answer {
            model: model.into(),
            served_model: None,
            provider: None,
            generation_id: None,
            text: String::new(),
            reasoning: String::new(),
            encrypted_reasoning: 0,
            usage: None,
            status: AnswerStatus::Waiting,
            finish_reason: None,
            error: None,
            retrying: None,
            ttft: None,
            text_started: None,
            duration: None,
            deltas: 0,
            text_chars: 0,
            reasoning_chars: 0,
            prompt_tokens_estimate,
        }
    }

    pub fn apply(&mut self, event: StreamEvent, at: Duration) {
        if self.status.is_finished() {
            return;
        }
        match event {
            StreamEvent::Generation(id) => self.generation_id = Some(id),
            StreamEvent::ServedBy { model, provider } => {
                if model.is_some() {
                    self.served_model = model;
                }
                if provider.is_some() {
                    self.provider = provider;
                }
            }
            StreamEvent::Text(t) => {
                self.first_token(at);
                self.text_started.get_or_insert(at);
                self.text_chars += t.chars().count() as u64;
                self.text.push_str(&t);
            }
            StreamEvent::Reasoning(t) => {
                self.first_token(at);
                self.reasoning_chars += t.chars().count() as u64;
                self.reasoning.push_str(&t);
            }
            StreamEvent::EncryptedReasoning => {
                self.first_token(at);
                self.encrypted_reasoning += 1;
            }
            StreamEvent::Usage(u) => self.usage = Some(u),
            StreamEvent::Retrying { attempt, wait, .. } => self.retrying = Some((attempt, wait)),
            StreamEvent::End(end) => {
                self.duration = Some(at);
                self.retrying = None;
                match end {
                    StreamEnd::Complete { finish_reason } => {
                        self.status = AnswerStatus::Complete;
                        self.finish_reason = finish_reason;
                    }
                    StreamEnd::Incomplete => self.status = AnswerStatus::Incomplete,
                    StreamEnd::Failed(e) => {
                        self.status = AnswerStatus::Error;
                        self.error = Some(e);
                    }
                }
            }
        }
    }

    fn first_token(&mut self, at: Duration) {
        self.deltas += 1;
        self.retrying = None;
        if self.ttft.is_none() {
            self.ttft = Some(at);
            self.status = AnswerStatus::Streaming;
        }
    }

    /// Marks an unfinished answer as cancelled by the user, keeping what arrived.
    pub fn cancel(&mut self, at: Duration) {
        if !self.status.is_finished() {
            self.status = AnswerStatus::Cancelled;
            self.duration = Some(at);
            self.retrying = None;
        }
    }

    /// How long the model reasoned before answering (so far, while it still reasons).
    pub fn thinking_time(&self, now: Duration) -> Option<Duration> {
        let start = self.ttft?;
        let end = self.text_started.or(self.duration).unwrap_or(now);
        end.checked_sub(start)
    }

    /// Reasoning tokens: exact from usage, otherwise estimated.
    pub fn reasoning_tokens(&self) -> (u64, bool) {
        match &self.usage {
            Some(u) => (u.reasoning_tokens, true),
            None => (tokens_from_chars(self.reasoning_chars), false),
        }
    }

    /// Output tokens: exact from usage, otherwise estimated from the text.
    pub fn completion_tokens(&self) -> (u64, bool) {
        match &self.usage {
            Some(u) => (u.completion_tokens, true),
            None => (
                tokens_from_chars(self.text_chars) + tokens_from_chars(self.reasoning_chars),
                false,
            ),
        }
    }

    /// Output speed after the first token, once there is something to measure.
    pub fn tokens_per_second(&self, now: Duration) -> Option<f64> {
        let ttft = self.ttft?;
        let end = self.duration.unwrap_or(now);
        let secs = end.checked_sub(ttft)?.as_secs_f64();
        let (tokens, _) = self.completion_tokens();
        (secs >= 0.05 && tokens > 1).then(|| tokens.saturating_sub(1) as f64 / secs)
    }

    /// The best cost figure available now: reported, else computed, else estimated.
    pub fn cost(&self, pricing: Option<&Pricing>) -> Option<Cost> {
        if let Some(usage) = &self.usage
            && let Some(cost) = exact_cost(usage, pricing)
        {
            return Some(cost);
        }
        // Usage without a reported cost and without prices: nothing honest to show.
        let pricing = pricing.filter(|_| self.usage.is_none())?;
        Some(estimated_cost(
            self.prompt_tokens_estimate,
            tokens_from_chars(self.text_chars),
            tokens_from_chars(self.reasoning_chars),
            pricing,
        ))
    }

    pub fn cost_source(&self, pricing: Option<&Pricing>) -> Option<CostSource> {
        self.cost(pricing).map(|c| c.source)
    }
}

#[cfg(test)]
mod tests;
