//! One model's answer as it builds up from stream events: status, timings, token counts and
//! the best cost figure available at any moment.

use std::time::Duration;

use crate::cost::{Cost, CostSource, Pricing, Usd, estimated_cost, exact_cost, tokens_from_chars};

use super::timeline::Timeline;
use super::{Adjustment, AnswerStatus, InlineThink, StreamEnd, StreamError, StreamEvent, Usage};

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
    /// What the provider billed, when it was asked afterwards (a cancelled stream).
    pub billed: Option<Usd>,
    /// Request fields left out or renamed for this endpoint.
    pub adjusted: Vec<Adjustment>,
    /// One-line notes the pane shows under the answer.
    pub notes: Vec<String>,
    /// The reasoning came inline in `<think>` tags at the start of the content.
    pub think: Option<InlineThink>,
    /// What arrived in each second since the request was sent.
    pub timeline: Timeline,
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
            billed: None,
            adjusted: Vec::new(),
            notes: Vec::new(),
            think: None,
            timeline: Timeline::default(),
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
                let chars = t.chars().count() as u64;
                self.timeline.record(at, chars);
                self.text_chars += chars;
                self.text.push_str(&t);
            }
            StreamEvent::Reasoning(t) => {
                self.first_token(at);
                let chars = t.chars().count() as u64;
                self.timeline.record(at, chars);
                self.reasoning_chars += chars;
                self.reasoning.push_str(&t);
            }
            StreamEvent::EncryptedReasoning => {
                self.first_token(at);
                self.timeline.record(at, crate::tokens::CHARS_PER_TOKEN);
                self.encrypted_reasoning += 1;
            }
            StreamEvent::Usage(u) => self.usage = Some(u),
            StreamEvent::Adjusted(a) => {
                if !self.adjusted.contains(&a) {
                    self.adjusted.push(a);
                }
            }
            StreamEvent::ThinkOpened { lead } => {
                self.think = Some(InlineThink {
                    lead,
                    closed: false,
                })
            }
            StreamEvent::ThinkClosed => {
                if let Some(t) = &mut self.think {
                    t.closed = true;
                }
            }
            StreamEvent::Notice(n) => self.notes.push(n),
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

    /// Output tokens received in each second since the request, adding up to the exact count
    /// once usage arrived.
    pub fn tokens_by_second(&self) -> Vec<u32> {
        self.timeline.tokens(self.completion_tokens().0)
    }

    /// Where its race line ends: when it ended, or `now` while it streams. An answer reopened
    /// after its stream was cut has no known end: its timings' last second stands for it.
    pub fn race_end(&self, now: Duration) -> Duration {
        match self.duration {
            Some(d) if Some(d) == self.ttft => {
                d.max(Duration::from_secs(self.timeline.seconds() as u64))
            }
            Some(d) => d,
            None => now,
        }
    }

    /// The speed of a finished answer, to one decimal, for reports and session files.
    pub fn final_tokens_per_second(&self) -> Option<f64> {
        let d = self.duration?;
        self.tokens_per_second(d).map(|t| (t * 10.0).round() / 10.0)
    }

    /// The best cost figure available now: reported, else computed, else estimated.
    pub fn cost(&self, pricing: Option<&Pricing>) -> Option<Cost> {
        if let Some(usd) = self.billed {
            return Some(Cost {
                usd,
                source: CostSource::Reported,
            });
        }
        // Nothing came back: a refused request (or one cancelled before its first token) is
        // not charged an invented estimate; an exact figure can still arrive (`billed`).
        if self.usage.is_none() && self.ttft.is_none() && self.status.is_finished() {
            return None;
        }
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

    /// The answer as the model sent it: inline reasoning back inside its `<think>` tags,
    /// byte for byte.
    pub fn raw_text(&self) -> std::borrow::Cow<'_, str> {
        let Some(think) = &self.think else {
            return std::borrow::Cow::Borrowed(&self.text);
        };
        let close = if think.closed { "</think>" } else { "" };
        std::borrow::Cow::Owned(format!(
            "{}<think>{}{close}{}",
            think.lead, self.reasoning, self.text
        ))
    }

    pub fn cost_source(&self, pricing: Option<&Pricing>) -> Option<CostSource> {
        self.cost(pricing).map(|c| c.source)
    }
}
