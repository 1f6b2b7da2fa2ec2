//! How full each model's context would be: the tokens a pane's next request carries (system
//! prompt, history, the prompt being typed, and its output limit) against the model's
//! context length, and how many of the oldest rounds to leave out for it to fit.
//!
//! A history the model has answered is counted from what it reported: the last answer's
//! `prompt_tokens` already holds everything before it, in the model's own tokenizer and with
//! the provider's hidden template. Only what came after is counted here, with the model's
//! tokenizer where its family's is known and the ratio otherwise (see `crate::tokens`).

use crate::tokens::{Counter, MESSAGE_FRAMING, REPLY_FRAMING};

use super::State;
use super::panes::{Pane, Turn};

/// A request's tokens against its model's context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    pub tokens: u64,
    pub context: u64,
}

impl Fill {
    /// How full, in percent, rounded up (99.6% is not "99%": it may not fit).
    pub fn percent(self) -> u64 {
        (self.tokens * 100).div_ceil(self.context.max(1))
    }

    pub fn over(self) -> bool {
        self.tokens > self.context
    }
}

/// Trimming aims below the context by this share: the counts of the rounds that stay are
/// estimates once the reported total no longer covers them.
pub const TRIM_TARGET_PERCENT: u64 = 90;

mod counts;
pub use counts::{EXACT_COUNT_MAX_BYTES, PromptCounts};

/// The tokens a turn's answer adds to later requests: what the model reported writing (less
/// its reasoning, which is not sent back), else the ratio of its text so far.
fn answer_tokens(turn: &Turn) -> u64 {
    let a = &turn.answer;
    if a.text.is_empty() {
        return 0;
    }
    let text = match &a.usage {
        // Inline `<think>` reasoning is in the completion count but not in `reasoning_tokens`,
        // and is not sent back: count the answer's text instead.
        Some(u) if u.completion_tokens > 0 && a.think.is_none() => {
            u.completion_tokens.saturating_sub(u.reasoning_tokens)
        }
        _ => crate::tokens::from_chars(a.text_chars),
    };
    text + MESSAGE_FRAMING
}

/// The tokens a turn adds to later requests: its prompt and its answer.
fn turn_tokens(turn: &Turn) -> u64 {
    turn.prompt_tokens + MESSAGE_FRAMING + answer_tokens(turn)
}

impl State {
    /// The model's context length: from its endpoint's catalog (a routing suffix looks at
    /// the base model), or the reference catalog a provider borrows prices from.
    pub fn context_for(&self, model: &str) -> Option<u64> {
        let listed = |c: &crate::catalog::Catalog, id: &str| {
            c.get(id)
                .or_else(|| id.rsplit_once(':').and_then(|(base, _)| c.get(base)))
                .and_then(|m| m.context_length)
        };
        self.catalog
            .as_ref()
            .and_then(|c| listed(c, model))
            .or_else(|| {
                let reference = self.borrowing.reference.as_ref()?;
                let (from, to) = self.borrowing.route(model)?;
                let bare = model[from.len()..].trim_start_matches("models/");
                listed(reference, &format!("{to}{bare}"))
            })
            .filter(|c| *c > 0)
    }

    /// Counts the prompt being typed and the system prompt again if they changed (after
    /// each message that can change them, never on a frame).
    pub fn count_prompt(&mut self) {
        let mut counters: Vec<Counter> = (0..self.panes.len()).map(|i| self.counter(i)).collect();
        counters.dedup();
        let prompt = self.editor.text();
        let system = self.system_prompt().unwrap_or_default().to_string();
        self.prompt_counts.refresh(&prompt, &system, &counters);
    }

    /// The turns of a pane that its next request builds on: all of them, or, while an
    /// earlier prompt is being edited, those before the edited round (the rest will move to
    /// the archive when the edit is sent).
    pub fn kept_turns<'a>(&self, pane: &'a Pane) -> &'a [Turn] {
        let Some(edited) = self.session.branch_from else {
            return &pane.turns;
        };
        let path = self.path_to(self.session.head);
        let from = path.iter().position(|r| *r == edited).unwrap_or(path.len());
        let dropped = &path[from..];
        let keep = pane
            .turns
            .iter()
            .position(|t| dropped.contains(&t.round))
            .unwrap_or(pane.turns.len());
        &pane.turns[..keep]
    }

    fn system_prompt(&self) -> Option<&str> {
        self.system.as_deref().filter(|s| !s.trim().is_empty())
    }

    fn count_system(&self, counter: Counter, system: Option<&str>) -> u64 {
        system.map_or(0, |s| {
            self.prompt_counts.tokens(counter, s, true) + MESSAGE_FRAMING
        })
    }

    /// The prompt tokens of pane `i`'s request for `prompt`: system prompt, history and
    /// prompt. The status bar's cost estimate, the pane's live estimate and the context check
    /// all count with it.
    pub fn prompt_tokens(&self, i: usize, prompt: &str) -> u64 {
        let pane = &self.panes[i];
        let counter = self.counter(i);
        let typed = self.prompt_counts.tokens(counter, prompt, false) + MESSAGE_FRAMING;
        self.history_for(self.kept_turns(pane), counter) + typed + self.attached_tokens(i)
    }

    /// The tokens of the waiting attachments pane `i`'s model would be sent.
    pub fn attached_tokens(&self, i: usize) -> u64 {
        let takes_images = || self.takes_images(&self.panes[i].model);
        self.attachments
            .iter()
            .filter(|a| !a.is_image() || takes_images())
            .fold(0u64, |sum, a| sum.saturating_add(a.tokens))
    }

    /// Whether `model`'s catalog entry lists image input.
    pub fn takes_images(&self, model: &str) -> bool {
        self.catalog
            .as_ref()
            .and_then(|c| c.lookup(model))
            .is_some_and(crate::catalog::ModelInfo::takes_images)
    }

    /// The prompt tokens of pane `i`'s request for `prompt` with its `skip` oldest turns
    /// left out, and the prompt's own tokens: what a turn starts with.
    pub fn start_tokens(&self, i: usize, prompt: &str, skip: usize) -> (u64, u64) {
        let pane = &self.panes[i];
        let counter = self.counter(i);
        let own = self.prompt_counts.tokens(counter, prompt, false);
        let floor = self.count_system(counter, self.system_prompt()) + REPLY_FRAMING;
        let dropped: u64 = pane.turns.iter().take(skip).map(turn_tokens).sum();
        let history = self
            .history_for(self.kept_turns(pane), counter)
            .saturating_sub(dropped)
            .max(floor);
        (history + own + MESSAGE_FRAMING, own)
    }

    /// How pane `i`'s model counts tokens.
    pub fn counter(&self, i: usize) -> Counter {
        Counter::for_model(self.bare_model(&self.panes[i].model))
    }

    /// The tokens pane `i`'s request for `prompt` would carry, its output limit included.
    pub fn request_tokens(&self, i: usize, prompt: &str) -> u64 {
        self.prompt_tokens(i, prompt) + self.params.max_tokens.map_or(0, u64::from)
    }

    /// The tokens of a history of `turns`, with the system prompt and the reply's framing.
    fn history_for(&self, turns: &[Turn], counter: Counter) -> u64 {
        let system = self.system_prompt();
        let plain = self.count_system(counter, system) + REPLY_FRAMING;
        let anchor = turns
            .iter()
            .rposition(|t| t.answer.usage.as_ref().is_some_and(|u| u.prompt_tokens > 0));
        let Some(k) = anchor else {
            return plain + turns.iter().map(turn_tokens).sum::<u64>();
        };
        let turn = &turns[k];
        let reported = turn.answer.usage.as_ref().map_or(0, |u| u.prompt_tokens);
        // The system prompt may have changed since: swap its count.
        let then = self
            .session
            .rounds
            .get(turn.round as usize)
            .and_then(|r| r.system.as_deref())
            .filter(|s| !s.trim().is_empty());
        let reported = if then == system {
            reported
        } else {
            (reported + self.count_system(counter, system))
                .saturating_sub(self.count_system(counter, then))
        };
        // Rounds its request left out (a trim) come back in the next one.
        let left_out: u64 = turns[..turn.left_out.min(k)].iter().map(turn_tokens).sum();
        let after: u64 = turns[k + 1..].iter().map(turn_tokens).sum();
        reported.max(plain) + left_out + answer_tokens(turn) + after
    }

    /// How full pane `i`'s context would be with `prompt`, when its context length is known.
    pub fn context_fill(&self, i: usize, prompt: &str) -> Option<Fill> {
        let context = self.context_for(&self.panes.get(i)?.model)?;
        Some(Fill {
            tokens: self.request_tokens(i, prompt),
            context,
        })
    }

    /// The turns a request of pane `i` builds on: for a new prompt, [`State::kept_turns`];
    /// for a retry, all but the turn retried.
    fn turns_for(&self, i: usize, retry: bool) -> &[Turn] {
        let pane = &self.panes[i];
        if retry {
            &pane.turns[..pane.turns.len().saturating_sub(1)]
        } else {
            self.kept_turns(pane)
        }
    }

    /// How full pane `i`'s context would be if its last turn were sent again.
    pub fn retry_fill(&self, i: usize) -> Option<Fill> {
        let pane = self.panes.get(i)?;
        let prompt = &pane.current()?.prompt;
        let counter = self.counter(i);
        let tokens = self.history_for(self.turns_for(i, true), counter)
            + self.prompt_counts.tokens(counter, prompt, false)
            + MESSAGE_FRAMING
            + self.params.max_tokens.map_or(0, u64::from);
        Some(Fill {
            tokens,
            context: self.context_for(&pane.model)?,
        })
    }

    /// How many of pane `i`'s oldest rounds to leave out for `prompt` (a new one, or the
    /// last turn's again for a `retry`) to fit under [`TRIM_TARGET_PERCENT`] of its context,
    /// and the tokens that leaves.
    pub fn trim_to_fit(&self, i: usize, prompt: &str, retry: bool) -> Trim {
        let pane = &self.panes[i];
        let turns = self.turns_for(i, retry);
        let counter = self.counter(i);
        let floor = self.count_system(counter, self.system_prompt()) + REPLY_FRAMING;
        let rest = self.prompt_counts.tokens(counter, prompt, false)
            + MESSAGE_FRAMING
            + self.params.max_tokens.map_or(0, u64::from);
        let context = self.context_for(&pane.model).unwrap_or(u64::MAX);
        let target = context / 100 * TRIM_TARGET_PERCENT;
        // What the model reported for the history it saw (its template included) shrinks by
        // the estimate of each round left out.
        let mut history = self.history_for(turns, counter);
        for (skip, turn) in turns.iter().enumerate() {
            if history + rest <= target {
                return Trim {
                    skip,
                    of: turns.len(),
                    tokens: history + rest,
                    fits: true,
                };
            }
            history = history.saturating_sub(turn_tokens(turn)).max(floor);
        }
        let tokens = history + rest;
        Trim {
            skip: turns.len(),
            of: turns.len(),
            tokens,
            fits: tokens <= context,
        }
    }
}

/// What trimming a pane's history would do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trim {
    /// The oldest rounds left out.
    pub skip: usize,
    /// Of how many.
    pub of: usize,
    /// The tokens the request then carries.
    pub tokens: u64,
    /// Whether it then fits the context at all.
    pub fits: bool,
}

#[cfg(test)]
mod tests;
