//! Token counts for the context check: OpenAI's own tokenizers (o200k, cl100k) for OpenAI
//! models, a characters-per-token ratio for every other family, and the per-message framing
//! both add. Pure counting: the tokenizers load once, off the caller's thread.
//!
//! Margins, measured in `tests/tokens.rs` against recorded streams:
//! - tiktoken counts OpenAI models' text exactly, and with [`MESSAGE_FRAMING`] and
//!   [`REPLY_FRAMING`] a whole request: the recorded gpt-4o request is 14 tokens, as OpenAI
//!   reported.
//! - The ratio (4 characters a token) was within [`RATIO_UNDER_PERCENT`] under and
//!   [`RATIO_OVER_PERCENT`] over what eight providers reported for their recorded answers of
//!   100 tokens or more (from -39% for Mistral Small's reasoning to +11% for Magistral). It
//!   undercounts scripts that take about a token a character (Chinese, Japanese) by up to
//!   4x, and it cannot see the template a provider adds around a request (30 tokens for
//!   Claude, almost 700 for Grok 4 in the recordings). Both are why a pane's history is
//!   counted from what the model itself reported once it has answered (`state::context`),
//!   and why a trim aims at 90% of the context.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use tiktoken_rs::CoreBPE;

/// Tokens a chat request adds around each message's text (role and separators).
pub const MESSAGE_FRAMING: u64 = 4;
/// Tokens that prime the reply, once per request.
pub const REPLY_FRAMING: u64 = 3;
/// Characters per token when no tokenizer of the model's family is at hand.
pub const CHARS_PER_TOKEN: u64 = 4;
/// How far under the reported count the ratio may fall on a recorded answer, in percent.
pub const RATIO_UNDER_PERCENT: u64 = 40;
/// How far over the reported count the ratio may go on a recorded answer, in percent.
pub const RATIO_OVER_PERCENT: u64 = 25;

/// How a model's text is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counter {
    /// OpenAI's o200k_base: GPT-4o, GPT-4.1, GPT-5, the o-series, gpt-oss.
    O200k,
    /// OpenAI's cl100k_base: GPT-4, GPT-3.5.
    Cl100k,
    /// [`CHARS_PER_TOKEN`].
    Ratio,
}

impl Counter {
    /// The counter for a model id, with or without its `provider:` or `openai/` prefix.
    pub fn for_model(model: &str) -> Counter {
        let bare = model.rsplit([':', '/']).next().unwrap_or(model);
        // `provider:` and routing suffixes (`:nitro`) both use ':'; the name is the part
        // that starts with a family.
        let name = model
            .split([':', '/'])
            .find(|part| family(part).is_some())
            .unwrap_or(bare);
        family(name).unwrap_or(Counter::Ratio)
    }

    /// The tokens of `text`: exact for a tokenizer that has loaded, otherwise the ratio (the
    /// first call starts loading it in the background).
    pub fn count(self, text: &str) -> u64 {
        self.count_exact(text).0
    }

    /// The tokens of `text`, and whether they were counted by the model's own tokenizer (or
    /// the model has none) rather than by the ratio while its tokenizer loads.
    pub fn count_exact(self, text: &str) -> (u64, bool) {
        match self.bpe() {
            Some(bpe) => (bpe.encode_ordinary(text).len() as u64, true),
            None => (ratio(text), self == Counter::Ratio),
        }
    }

    /// Whether counts are exact: the tokenizer has loaded, or the model has none.
    pub fn is_exact(self) -> bool {
        self == Counter::Ratio || self.bpe().is_some()
    }

    fn bpe(self) -> Option<&'static CoreBPE> {
        let (cell, started, load): (_, _, fn() -> Option<CoreBPE>) = match self {
            Counter::Ratio => return None,
            Counter::O200k => (&O200K, &O200K_STARTED, || tiktoken_rs::o200k_base().ok()),
            Counter::Cl100k => (&CL100K, &CL100K_STARTED, || tiktoken_rs::cl100k_base().ok()),
        };
        if let Some(loaded) = cell.get() {
            return loaded.as_ref();
        }
        // Loading o200k takes a quarter of a second: never on the thread that draws.
        if !started.swap(true, Ordering::AcqRel) {
            std::thread::spawn(move || {
                let _ = cell.set(load());
            });
        }
        None
    }

    /// Loads the tokenizer now, on this thread (tests, and tools that count once).
    pub fn load(self) {
        match self {
            Counter::Ratio => {}
            Counter::O200k => {
                O200K.get_or_init(|| tiktoken_rs::o200k_base().ok());
            }
            Counter::Cl100k => {
                CL100K.get_or_init(|| tiktoken_rs::cl100k_base().ok());
            }
        }
    }
}

static O200K: OnceLock<Option<CoreBPE>> = OnceLock::new();
static CL100K: OnceLock<Option<CoreBPE>> = OnceLock::new();
static O200K_STARTED: AtomicBool = AtomicBool::new(false);
static CL100K_STARTED: AtomicBool = AtomicBool::new(false);

/// The OpenAI family a model name starts with.
fn family(name: &str) -> Option<Counter> {
    let n = name.to_ascii_lowercase();
    let o200k = [
        "gpt-4o",
        "gpt-4.1",
        "gpt-4.5",
        "gpt-5",
        "gpt-oss",
        "chatgpt-4o",
        "o1",
        "o3",
        "o4",
    ];
    if o200k
        .iter()
        .any(|p| n.starts_with(p) && !n[p.len()..].starts_with(char::is_alphabetic))
    {
        return Some(Counter::O200k);
    }
    if ["gpt-4", "gpt-3.5", "gpt-35"]
        .iter()
        .any(|p| n.starts_with(p))
    {
        return Some(Counter::Cl100k);
    }
    None
}

/// Tokens of `text` by the ratio.
pub fn ratio(text: &str) -> u64 {
    from_chars(text.chars().count() as u64)
}

/// Tokens of a text of `chars` characters by the ratio.
pub fn from_chars(chars: u64) -> u64 {
    chars.div_ceil(CHARS_PER_TOKEN)
}

#[cfg(test)]
mod tests;
