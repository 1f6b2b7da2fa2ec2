//! Panes: one model each, its own conversation of turns, the answer streaming into the last
//! turn, and its scroll position.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::chat::attach::Attachment;
use crate::chat::{Answer, AnswerStatus, ChatRequest, Message, Params, Role, StreamEvent};
use crate::cost::{Cost, Pricing};

/// One prompt and the answer it got in a pane.
#[derive(Clone, Debug)]
pub struct Turn {
    pub prompt: String,
    /// The prompt's tokens, counted once (by the model's tokenizer where known): a history's
    /// count adds these up instead of reading every prompt again on every frame.
    pub prompt_tokens: u64,
    pub answer: Answer,
    /// The request that fills this answer.
    pub req: u64,
    /// When the request was sent, on the app clock.
    pub started_at: Duration,
    pub pricing: Option<Pricing>,
    /// The session round this turn answers.
    pub round: u64,
    /// The adopted answer of its round.
    pub adopted: bool,
    /// The cost saved with a reopened answer, kept as it was (prices may have changed since).
    pub saved_cost: Option<Cost>,
    /// The oldest rounds of the pane's history left out of this turn's request, to fit
    /// the model's context.
    pub left_out: usize,
    /// The reader's choice for the reasoning section; `None` shows it while the model thinks
    /// and folds it once the answer starts.
    pub show_reasoning: Option<bool>,
    /// The round's attachments sent with this turn's prompt.
    pub attachments: Vec<Attachment>,
    /// The round's attachments its model was not sent (SHA-256s).
    pub not_sent: Vec<String>,
}

impl Turn {
    pub fn reasoning_open(&self) -> bool {
        self.show_reasoning.unwrap_or(self.answer.text.is_empty())
    }
}

impl Turn {
    pub fn cost(&self) -> Option<Cost> {
        let a = &self.answer;
        match self.saved_cost {
            Some(saved) if a.usage.is_none() && a.billed.is_none() => Some(saved),
            saved => a.cost(self.pricing.as_ref()).or(saved),
        }
    }
}

/// Where a pane's view is: following the tail, or fixed with `top` as its first line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scroll {
    pub top: usize,
    pub follow: bool,
}

/// The first line shown when following the tail. While text streams in, the view moves in
/// steps of a third of its height rather than a line at a time: each scroll repaints the
/// whole pane, and over SSH that repaint is most of what the link carries.
pub fn follow_top(total: usize, height: usize, streaming: bool) -> usize {
    let over = total.saturating_sub(height);
    if !streaming || over == 0 {
        return over;
    }
    let step = (height / 3).max(1);
    over.div_ceil(step) * step
}

impl Default for Scroll {
    fn default() -> Self {
        Scroll {
            top: 0,
            follow: true,
        }
    }
}

/// A new turn: round `round` for `prompt`, with request id `req`, sent at `now`, leaving out
/// the `skip` oldest turns of the history.
pub struct TurnStart<'a> {
    pub round: u64,
    pub prompt: &'a str,
    pub req: u64,
    pub now: Duration,
    pub skip: usize,
    /// The request's prompt tokens and the prompt's own, as the state counts them.
    pub tokens: (u64, u64),
    /// What goes with the prompt, and the SHA-256s of the round's attachments that do not.
    pub attachments: (Vec<Attachment>, Vec<String>),
}

static NEXT_PANE_ID: AtomicU64 = AtomicU64::new(1);

#[derive(Clone, Debug)]
pub struct Pane {
    /// Stable identity for view caches, even when panes are reordered.
    pub id: u64,
    pub model: String,
    pub turns: Vec<Turn>,
    /// Only events of this request are applied; anything else is stale.
    pub req: u64,
    pub scroll: Scroll,
    /// Show the markdown source instead of the rendered answer.
    pub raw: bool,
    /// Wrapped lines and visible height from the last frame (for scrolling).
    pub total_lines: usize,
    pub height: usize,
}

impl Pane {
    pub fn new(model: impl Into<String>) -> Pane {
        Pane {
            id: NEXT_PANE_ID.fetch_add(1, Ordering::Relaxed),
            model: model.into(),
            turns: Vec::new(),
            req: 0,
            scroll: Scroll::default(),
            raw: false,
            total_lines: 0,
            height: 0,
        }
    }

    pub fn current(&self) -> Option<&Turn> {
        self.turns.last()
    }

    pub fn is_running(&self) -> bool {
        self.current()
            .is_some_and(|t| !t.answer.status.is_finished())
    }

    /// The messages for a new prompt: system, then every earlier turn, then the prompt.
    pub fn conversation(&self, system: Option<&str>, prompt: &str) -> Vec<Message> {
        self.conversation_from(system, prompt, 0)
    }

    /// The messages for a new prompt without the `skip` oldest turns: system, then the
    /// earlier turns from there, then the prompt.
    pub fn conversation_from(
        &self,
        system: Option<&str>,
        prompt: &str,
        skip: usize,
    ) -> Vec<Message> {
        let mut messages = Vec::new();
        if let Some(s) = system.filter(|s| !s.trim().is_empty()) {
            messages.push(Message::new(Role::System, s));
        }
        for turn in self.turns.iter().skip(skip) {
            messages.push(
                Message::new(Role::User, turn.prompt.clone())
                    .with_attachments(turn.attachments.clone()),
            );
            if !turn.answer.text.is_empty() {
                messages.push(Message::new(Role::Assistant, turn.answer.text.clone()));
            }
        }
        messages.push(Message::new(Role::User, prompt));
        messages
    }

    /// Starts a turn and returns the request to send.
    pub fn start_turn(
        &mut self,
        start: TurnStart<'_>,
        system: Option<&str>,
        params: &Params,
        pricing: Option<Pricing>,
    ) -> ChatRequest {
        let TurnStart {
            round,
            prompt,
            req,
            now,
            skip,
            tokens: (estimate, own),
            attachments: (attachments, not_sent),
        } = start;
        let skip = skip.min(self.turns.len());
        let mut messages = self.conversation_from(system, prompt, skip);
        if let Some(last) = messages.last_mut() {
            last.attachments = attachments.clone();
        }
        self.turns.push(Turn {
            prompt: prompt.to_string(),
            prompt_tokens: own,
            answer: Answer::new(self.model.clone(), estimate),
            req,
            started_at: now,
            pricing,
            show_reasoning: None,
            round,
            adopted: false,
            saved_cost: None,
            left_out: skip,
            attachments,
            not_sent,
        });
        self.req = req;
        self.scroll = Scroll::default();
        ChatRequest {
            model: self.model.clone(),
            messages,
            params: params.clone(),
            format: None,
        }
    }

    /// Applies a stream event if it belongs to the current request. Returns false for stale
    /// events (a cancelled or replaced request).
    pub fn apply(&mut self, req: u64, event: StreamEvent, at: Duration) -> bool {
        if req != self.req {
            return false;
        }
        let Some(turn) = self.turns.last_mut().filter(|t| t.req == req) else {
            return false;
        };
        let since = at.saturating_sub(turn.started_at);
        turn.answer.apply(event, since);
        true
    }

    /// Cancels a running answer, keeping its text. Returns the request id to abort.
    pub fn cancel(&mut self, now: Duration, new_req: u64) -> Option<u64> {
        let turn = self.turns.last_mut()?;
        if turn.answer.status.is_finished() {
            return None;
        }
        turn.answer.cancel(now.saturating_sub(turn.started_at));
        let old = self.req;
        self.req = new_req;
        Some(old)
    }

    pub fn status(&self) -> Option<AnswerStatus> {
        self.current().map(|t| t.answer.status)
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let max_top = self.total_lines.saturating_sub(self.height);
        let top = if self.scroll.follow {
            max_top
        } else {
            self.scroll.top
        };
        let top = if delta < 0 {
            top.saturating_sub(delta.unsigned_abs())
        } else {
            top.saturating_add(delta as usize)
        };
        self.scroll = if top >= max_top {
            Scroll::default()
        } else {
            Scroll { top, follow: false }
        };
    }

    pub fn scroll_to_top(&mut self) {
        self.scroll = if self.total_lines <= self.height {
            Scroll::default()
        } else {
            Scroll {
                top: 0,
                follow: false,
            }
        };
    }
}
