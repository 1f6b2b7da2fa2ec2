//! The counts of the prompt being typed and of the system prompt, kept per tokenizer between
//! the messages that change them.

use crate::tokens::Counter;

/// Texts above this size are counted by the ratio even for a model whose tokenizer is known:
/// o200k reads about 16 MB/s here, so a 1 MB paste would cost 60 ms at each keystroke.
pub const EXACT_COUNT_MAX_BYTES: usize = 64 * 1024;

/// The counts of the prompt being typed and of the system prompt, by counter, kept up to date
/// by `update` when either changes: the status bar and every pane's footer read them on each
/// frame, and a tokenizer reads the whole text.
#[derive(Debug, Default)]
pub struct PromptCounts {
    prompt: String,
    system: String,
    /// (counter, prompt tokens, system tokens, exact).
    counts: Vec<(Counter, u64, u64, bool)>,
}

/// `text`'s tokens by `counter`, and whether the count is exact.
fn count(counter: Counter, text: &str) -> (u64, bool) {
    if text.len() > EXACT_COUNT_MAX_BYTES {
        return (crate::tokens::ratio(text), counter == Counter::Ratio);
    }
    counter.count_exact(text)
}

impl PromptCounts {
    /// Counts `prompt` and `system` for `counters` again if they changed, or if a count was
    /// made by the ratio while its tokenizer loaded.
    pub fn refresh(&mut self, prompt: &str, system: &str, counters: &[Counter]) {
        if self.prompt != prompt || self.system != system {
            self.prompt.clear();
            self.prompt.push_str(prompt);
            self.system.clear();
            self.system.push_str(system);
            self.counts.clear();
        }
        self.counts
            .retain(|(c, _, _, exact)| *exact || !c.is_exact());
        for &c in counters {
            if !self.counts.iter().any(|(k, ..)| *k == c) {
                let (p, p_exact) = count(c, prompt);
                let (s, s_exact) = count(c, system);
                self.counts.push((c, p, s, p_exact && s_exact));
            }
        }
    }

    /// The tokens of `text` as the prompt (`system` false) or the system prompt: kept, or
    /// counted now when `text` is not the one kept.
    pub(super) fn tokens(&self, counter: Counter, text: &str, system: bool) -> u64 {
        let kept = if system { &self.system } else { &self.prompt };
        if kept == text
            && let Some(&(_, p, s, _)) = self.counts.iter().find(|(c, ..)| *c == counter)
        {
            return if system { s } else { p };
        }
        count(counter, text).0
    }
}
