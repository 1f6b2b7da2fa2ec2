//! How full each model's context would be: the tokens a pane's next request carries (system
//! prompt, history, the prompt being typed, and its output limit) against the model's
//! context length, and how many of the oldest rounds to leave out for it to fit.
//!
//! A history the model has answered is counted from what it reported: the last answer's
//! `prompt_tokens` already holds everything before it, in the model's own tokenizer and with
//! the provider's hidden template. Only what came after is counted here, with the model's
//! tokenizer where its family's is known and the ratio otherwise (see `crate::tokens`).

use std::cell::RefCell;

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

/// Counts of the prompt being typed, by counter: a tokenizer reads the whole prompt, and the
/// status bar and every pane ask for it on each frame.
#[derive(Debug, Default)]
pub struct PromptCounts(RefCell<(String, Vec<(Counter, u64)>)>);

impl PromptCounts {
    fn count(&self, counter: Counter, prompt: &str) -> u64 {
        let mut memo = self.0.borrow_mut();
        if memo.0 != prompt {
            memo.0.clear();
            memo.0.push_str(prompt);
            memo.1.clear();
        }
        if let Some((_, n)) = memo.1.iter().find(|(c, _)| *c == counter) {
            return *n;
        }
        let n = counter.count(prompt);
        // A count by the ratio while the tokenizer loads is not kept: the next frame counts
        // again, exactly.
        if counter == Counter::Ratio || counter.is_exact() {
            memo.1.push((counter, n));
        }
        n
    }
}

/// The tokens a turn's answer adds to later requests: what the model reported writing (less
/// its reasoning, which is not sent back), else the ratio of its text so far.
fn answer_tokens(turn: &Turn) -> u64 {
    let a = &turn.answer;
    if a.text.is_empty() {
        return 0;
    }
    let text = match &a.usage {
        Some(u) if u.completion_tokens > 0 => {
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

    /// The prompt tokens of pane `i`'s request for `prompt`: system prompt, history and
    /// prompt. The status bar's cost estimate and the context check both count with it.
    pub fn prompt_tokens(&self, i: usize, prompt: &str) -> u64 {
        let pane = &self.panes[i];
        let counter = Counter::for_model(self.bare_model(&pane.model));
        let system = self.system.as_deref().filter(|s| !s.trim().is_empty());
        let typed = self.prompt_counts.count(counter, prompt) + MESSAGE_FRAMING;
        self.history_for(pane, counter, system) + typed
    }

    /// The tokens pane `i`'s request for `prompt` would carry, its output limit included.
    pub fn request_tokens(&self, i: usize, prompt: &str) -> u64 {
        self.prompt_tokens(i, prompt) + self.params.max_tokens.map_or(0, u64::from)
    }

    /// The tokens of a pane's history, with the system prompt and the reply's framing.
    fn history_for(&self, pane: &Pane, counter: Counter, system: Option<&str>) -> u64 {
        let count_system = |s: Option<&str>| s.map_or(0, |s| counter.count(s) + MESSAGE_FRAMING);
        let plain = count_system(system) + REPLY_FRAMING;
        let anchor = pane
            .turns
            .iter()
            .rposition(|t| t.answer.usage.as_ref().is_some_and(|u| u.prompt_tokens > 0));
        let Some(k) = anchor else {
            return plain + pane.turns.iter().map(turn_tokens).sum::<u64>();
        };
        let turn = &pane.turns[k];
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
            (reported + count_system(system)).saturating_sub(count_system(then))
        };
        // Rounds its request left out (a trim) come back in the next one.
        let left_out: u64 = pane.turns[..turn.left_out.min(k)]
            .iter()
            .map(turn_tokens)
            .sum();
        let after: u64 = pane.turns[k + 1..].iter().map(turn_tokens).sum();
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

    /// How many of pane `i`'s oldest rounds to leave out for `prompt` to fit under
    /// [`TRIM_TARGET_PERCENT`] of its context (all of them when even the prompt alone does
    /// not), and the tokens that leaves.
    pub fn trim_to_fit(&self, i: usize, prompt: &str) -> (usize, u64) {
        let pane = &self.panes[i];
        let counter = Counter::for_model(self.bare_model(&pane.model));
        let system = self.system.as_deref().filter(|s| !s.trim().is_empty());
        let floor = system.map_or(0, |s| counter.count(s) + MESSAGE_FRAMING) + REPLY_FRAMING;
        let rest = self.prompt_counts.count(counter, prompt)
            + MESSAGE_FRAMING
            + self.params.max_tokens.map_or(0, u64::from);
        let target = self
            .context_for(&pane.model)
            .map_or(u64::MAX, |c| c * TRIM_TARGET_PERCENT / 100);
        // What the model reported for the history it saw (its template included) shrinks by
        // the estimate of each round left out.
        let mut history = self.history_for(pane, counter, system);
        for (skip, turn) in pane.turns.iter().enumerate() {
            if history + rest <= target {
                return (skip, history + rest);
            }
            history = history.saturating_sub(turn_tokens(turn)).max(floor);
        }
        (pane.turns.len(), floor + rest)
    }
}

#[cfg(test)]
mod tests;
