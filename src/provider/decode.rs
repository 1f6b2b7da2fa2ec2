//! Turns the `data:` payloads of a chat stream into typed events, remembering what decides how
//! the stream ended (finish reason, in-band error, malformed chunks).

use crate::chat::{ErrorKind, StreamEnd, StreamError, StreamEvent, Usage};
use crate::cost::parse_json_amount;
use crate::sanitize::single_line;

use super::dialects::Kind;
use super::errors::in_band_error;
use super::think::{Split, ThinkSplitter};
use super::wire::{Chunk, Delta, WireError, WireUsage};

/// What the caller should do after a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// `[DONE]`: the stream is over.
    Done,
}

#[derive(Debug, Default)]
pub struct ChunkDecoder {
    served_model: Option<String>,
    provider: Option<String>,
    finish_reason: Option<String>,
    error: Option<StreamError>,
    malformed: u32,
    first_malformed: Option<String>,
    produced: bool,
    /// Looks for `<think>` at the start of the content (the dialects that send it inline).
    think: Option<ThinkSplitter>,
    /// Usage came in `usage` or `x_groq.usage`: llama.cpp's `timings` are then not needed.
    exact_usage: bool,
    /// The dialect counts reasoning apart from `completion_tokens`.
    reasoning_outside_completion: bool,
}

impl ChunkDecoder {
    pub fn new() -> ChunkDecoder {
        ChunkDecoder::default()
    }

    /// A decoder for one kind of endpoint: every structured field is read whatever the kind;
    /// the kind says whether content may open with an inline `<think>`.
    pub fn for_kind(kind: Kind) -> ChunkDecoder {
        let dialect = kind.dialect();
        ChunkDecoder {
            think: dialect.inline_think().then(ThinkSplitter::default),
            reasoning_outside_completion: dialect.reasoning_outside_completion,
            ..ChunkDecoder::default()
        }
    }

    /// True once any text or reasoning arrived.
    pub fn produced_tokens(&self) -> bool {
        self.produced
    }

    /// Decodes one SSE `data` payload, pushing the events it holds.
    pub fn feed(&mut self, data: &str, out: &mut Vec<StreamEvent>) -> Flow {
        let data = data.trim();
        if data == "[DONE]" {
            return Flow::Done;
        }
        if data.is_empty() {
            return Flow::Continue;
        }
        let chunk: Chunk<'_> = match serde_json::from_str(data) {
            Ok(chunk) => chunk,
            Err(_) => {
                self.malformed += 1;
                if self.first_malformed.is_none() {
                    let excerpt: String = data.chars().take(60).collect();
                    self.first_malformed = Some(single_line(&excerpt).into_owned());
                }
                return Flow::Continue;
            }
        };
        self.served_by(&chunk, out);
        for choice in chunk.choices.iter().flatten() {
            if choice.index.unwrap_or(0) != 0 {
                continue;
            }
            if let Some(delta) = choice.delta.as_ref().or(choice.message.as_ref()) {
                self.delta(delta, out);
            }
            if let Some(reason) = &choice.finish_reason {
                self.finish_reason = Some(reason.as_str().to_string());
            }
        }
        let usage = chunk
            .usage
            .as_ref()
            .or_else(|| chunk.x_groq.as_ref().and_then(|g| g.usage.as_ref()));
        if let Some(usage) = usage {
            let mut u = usage_of(usage);
            if self.reasoning_outside_completion {
                u.completion_tokens += u.reasoning_tokens;
            }
            if let Some(cost) = u.cost.filter(|c| !plausible(*c)) {
                // A protocol problem, not money: shown, never summed.
                u.cost = None;
                out.push(StreamEvent::Notice(format!(
                    "the endpoint reported a cost of {} for this answer, which cannot be right: it is not counted",
                    cost.to_decimal()
                )));
            }
            // Some servers send empty counts on every chunk: they say nothing yet.
            let empty = u.prompt_tokens == 0 && u.completion_tokens == 0 && u.cost.is_none();
            if !empty {
                self.exact_usage = true;
                out.push(StreamEvent::Usage(u));
            }
        } else if let Some(t) = chunk.timings.as_ref().filter(|_| !self.exact_usage) {
            // llama.cpp without `usage`: its timings count the same tokens.
            out.push(StreamEvent::Usage(Usage {
                prompt_tokens: t.prompt_n.unwrap_or_default().0,
                completion_tokens: t.predicted_n.unwrap_or_default().0,
                ..Usage::default()
            }));
        }
        if let Some(raw) = chunk.error
            && self.error.is_none()
        {
            self.error = Some(in_band_error(&WireError::from_raw(raw), self.produced));
        }
        Flow::Continue
    }

    fn served_by(&mut self, chunk: &Chunk<'_>, out: &mut Vec<StreamEvent>) {
        let model = chunk.model.as_ref().map(|m| m.as_str());
        let provider = chunk.provider.as_ref().map(|p| p.as_str());
        let new_model = model.filter(|m| !m.is_empty() && self.served_model.as_deref() != Some(*m));
        let new_provider =
            provider.filter(|p| !p.is_empty() && self.provider.as_deref() != Some(*p));
        if new_model.is_none() && new_provider.is_none() {
            return;
        }
        if let Some(m) = new_model {
            self.served_model = Some(m.to_string());
        }
        if let Some(p) = new_provider {
            self.provider = Some(p.to_string());
        }
        out.push(StreamEvent::ServedBy {
            model: new_model.map(str::to_string),
            provider: new_provider.map(str::to_string),
        });
    }

    fn delta(&mut self, delta: &Delta<'_>, out: &mut Vec<StreamEvent>) {
        // `reasoning` mirrors `reasoning_details` text on OpenRouter: take one, not both.
        let mut reasoning_seen = false;
        for text in [&delta.reasoning, &delta.reasoning_content]
            .into_iter()
            .flatten()
        {
            if !text.is_empty() {
                reasoning_seen = true;
                self.reasoning(text.clone(), out);
                break;
            }
        }
        for detail in delta.reasoning_details.iter().flatten() {
            match detail.kind.as_ref().map(|k| k.as_str()) {
                Some("reasoning.encrypted") => {
                    self.produced = true;
                    out.push(StreamEvent::EncryptedReasoning);
                }
                _ if reasoning_seen => {}
                _ => {
                    let text = detail.text.as_ref().or(detail.summary.as_ref());
                    if let Some(text) = text.filter(|t| !t.is_empty()) {
                        self.reasoning(text.clone(), out);
                    }
                }
            }
        }
        if let Some(content) = &delta.content {
            let (mut text, mut thinking) = (String::new(), String::new());
            content.split_into(&mut text, &mut thinking);
            if !thinking.is_empty() {
                self.reasoning(thinking, out);
            }
            if !text.is_empty() {
                match self.think.as_mut() {
                    Some(splitter) => {
                        let split = splitter.push(&text);
                        self.split(split, out);
                    }
                    None => self.text(text, out),
                }
            }
        }
        if let Some(refusal) = delta.refusal.as_ref().filter(|t| !t.is_empty()) {
            self.text(refusal.clone(), out);
        }
    }

    fn reasoning(&mut self, text: String, out: &mut Vec<StreamEvent>) {
        self.produced = true;
        out.push(StreamEvent::Reasoning(text));
    }

    fn text(&mut self, text: String, out: &mut Vec<StreamEvent>) {
        self.produced = true;
        out.push(StreamEvent::Text(text));
    }

    fn split(&mut self, split: Split, out: &mut Vec<StreamEvent>) {
        if let Some(lead) = split.opened {
            out.push(StreamEvent::ThinkOpened { lead });
        }
        if !split.reasoning.is_empty() {
            self.reasoning(split.reasoning, out);
        }
        if split.closed {
            out.push(StreamEvent::ThinkClosed);
        }
        if !split.text.is_empty() {
            self.text(split.text, out);
        }
    }

    /// Gives up what the `<think>` splitter still holds, at the end of the stream, and says
    /// so when the reasoning never closed.
    pub fn flush(&mut self, out: &mut Vec<StreamEvent>) {
        let Some(mut splitter) = self.think.take() else {
            return;
        };
        let (split, unclosed) = splitter.finish();
        self.split(split, out);
        if unclosed {
            out.push(StreamEvent::Notice(
                "the answer never started: the model's <think> reasoning never closed".into(),
            ));
        }
    }

    /// How the stream ended, given whether `[DONE]` arrived and any transport failure.
    pub fn finish(self, saw_done: bool, transport: Option<StreamError>) -> StreamEnd {
        if let Some(err) = self.error {
            return StreamEnd::Failed(err);
        }
        let finished = saw_done || self.finish_reason.is_some();
        if let Some(err) = transport {
            // A broken connection after the model said it was done loses at most the usage.
            if self.finish_reason.is_none() {
                return StreamEnd::Failed(err);
            }
        }
        if self.malformed > 0 {
            return StreamEnd::Failed(StreamError::new(
                ErrorKind::Protocol,
                format!(
                    "the server sent {} (first: {}); the answer may be missing text",
                    crate::textfmt::count(self.malformed as u64, "malformed chunk"),
                    self.first_malformed.unwrap_or_default()
                ),
            ));
        }
        if self.finish_reason.as_deref() == Some("error") {
            return StreamEnd::Failed(StreamError::new(
                ErrorKind::InBand,
                "the provider ended the answer with an error and gave no detail",
            ));
        }
        if finished {
            StreamEnd::Complete {
                finish_reason: self.finish_reason,
            }
        } else {
            StreamEnd::Incomplete
        }
    }
}

/// The most one answer can honestly cost.
pub const MAX_ANSWER_COST_USD: i128 = 1_000;

/// Whether a reported cost can be real: not negative, and at most $1,000 for one answer.
fn plausible(cost: crate::cost::Usd) -> bool {
    !cost.is_negative() && cost.atto() <= MAX_ANSWER_COST_USD * 1_000_000_000_000_000_000
}

fn usage_of(usage: &WireUsage<'_>) -> Usage {
    Usage {
        prompt_tokens: usage.prompt_tokens.unwrap_or_default().0,
        completion_tokens: usage.completion_tokens.unwrap_or_default().0,
        reasoning_tokens: usage
            .completion_tokens_details
            .as_ref()
            .and_then(|d| d.reasoning_tokens)
            .unwrap_or_default()
            .0,
        cached_tokens: usage
            .prompt_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens)
            .unwrap_or_default()
            .0,
        cost: usage
            .cost
            .filter(|raw| raw.get() != "null")
            .and_then(|raw| parse_json_amount(raw.get()).ok())
            .or_else(|| {
                // A tick is 1e-10 USD: 1e8 of our 1e-18 units, exactly.
                usage
                    .cost_in_usd_ticks
                    .map(|t| crate::cost::Usd::from_atto(i128::from(t.0) * 100_000_000))
            }),
    }
}
