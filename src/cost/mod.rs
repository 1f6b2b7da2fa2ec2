//! Money and pricing math: exact fixed-point dollars, the cost of an answer, live estimates.
//!
//! Amounts are integers of 1e-18 USD so that sums never drift: adding ten thousand reported
//! costs gives exactly the sum of the decimals the API sent.

mod spent;
mod usd;

use serde::Serialize;

pub use spent::Spent;
pub use usd::{MoneyError, Usd, as_json_number, as_json_number_opt, parse_json_amount};

/// Token counts (and the billed cost when the endpoint reports it) of one request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// Per-unit prices of a model, from the catalog's decimal strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Pricing {
    /// Per input token.
    pub prompt: Usd,
    /// Per output token.
    pub completion: Usd,
    /// Per request, if the model charges one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Usd>,
    /// Per cached input token read; cached tokens cost `prompt` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_cache_read: Option<Usd>,
    /// Per reasoning token; reasoning is billed as output when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_reasoning: Option<Usd>,
    /// Set when these are another catalog's prices for the same model (an endpoint that
    /// reports no cost and has no price table): which catalog, from when, under which id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_catalog: Option<CatalogRef>,
}

/// Where borrowed prices come from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CatalogRef {
    /// The catalog's base URL (OpenRouter's, or what stands in for it).
    pub catalog: String,
    /// Unix seconds when that catalog was fetched.
    pub fetched_at: u64,
    /// The model's id in that catalog.
    pub id: String,
}

impl CatalogRef {
    /// `priced as openai/gpt-4.1-mini from openrouter.ai's catalog of 2026-12-03`.
    pub fn describe(&self) -> String {
        let host = self
            .catalog
            .split("://")
            .nth(1)
            .unwrap_or(&self.catalog)
            .split('/')
            .next()
            .unwrap_or_default();
        format!(
            "priced as {} from {host}'s catalog of {}",
            self.id,
            crate::textfmt::date(self.fetched_at)
        )
    }
}

impl Pricing {
    pub fn is_free(&self) -> bool {
        self.prompt.is_zero() && self.completion.is_zero() && self.request.is_none_or(Usd::is_zero)
    }

    /// The cost of a request that used these tokens.
    pub fn cost_of(&self, usage: &Usage) -> Usd {
        let cached = usage.cached_tokens.min(usage.prompt_tokens);
        let uncached = usage.prompt_tokens - cached;
        let cache_price = self.input_cache_read.unwrap_or(self.prompt);
        let (reasoning, reasoning_price) = match self.internal_reasoning {
            Some(price) => (usage.reasoning_tokens.min(usage.completion_tokens), price),
            None => (0, self.completion),
        };
        let output = usage.completion_tokens - reasoning;
        self.prompt.times(uncached)
            + cache_price.times(cached)
            + self.completion.times(output)
            + reasoning_price.times(reasoning)
            + self.request.unwrap_or(Usd::ZERO)
    }
}

/// Where a cost figure comes from, from most to least exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CostSource {
    /// `usage.cost` as the endpoint billed it.
    Reported,
    /// Exact usage tokens times the endpoint's own prices (its catalog or the config's table).
    Computed,
    /// Exact usage tokens times another catalog's prices for the same model.
    Catalog,
    /// Guessed from the text so far; never exact.
    Estimated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Cost {
    pub usd: Usd,
    pub source: CostSource,
}

impl Cost {
    pub fn is_exact(&self) -> bool {
        self.source != CostSource::Estimated
    }

    /// `$0.0021` when exact, `~$0.0021` when estimated.
    pub fn display(&self) -> String {
        match self.source {
            CostSource::Estimated => format!("~{}", self.usd.display()),
            _ => self.usd.display(),
        }
    }
}

/// The cost of a finished answer from its usage: reported when the endpoint says, computed
/// from prices otherwise, `None` when neither is known.
pub fn exact_cost(usage: &Usage, pricing: Option<&Pricing>) -> Option<Cost> {
    if let Some(usd) = usage.cost {
        return Some(Cost {
            usd,
            source: CostSource::Reported,
        });
    }
    pricing.map(|p| Cost {
        usd: p.cost_of(usage),
        source: if p.from_catalog.is_some() {
            CostSource::Catalog
        } else {
            CostSource::Computed
        },
    })
}

/// A rough token count for text: [`crate::tokens::ratio`], about four characters a token.
/// Only ever used for figures marked as estimates.
pub fn estimate_tokens(text: &str) -> u64 {
    crate::tokens::ratio(text)
}

/// The same estimate from a character count.
pub fn tokens_from_chars(chars: u64) -> u64 {
    crate::tokens::from_chars(chars)
}

/// Tokens a chat prompt would take: the text plus a few tokens of framing per message.
pub fn estimate_prompt_tokens<'a>(messages: impl IntoIterator<Item = &'a str>) -> u64 {
    messages
        .into_iter()
        .map(|m| estimate_tokens(m) + 4)
        .sum::<u64>()
        + 3
}

/// An estimate of what an answer costs so far.
pub fn estimated_cost(
    prompt_tokens: u64,
    completion_tokens: u64,
    reasoning_tokens: u64,
    pricing: &Pricing,
) -> Cost {
    let usage = Usage {
        prompt_tokens,
        completion_tokens: completion_tokens + reasoning_tokens,
        reasoning_tokens,
        cached_tokens: 0,
        cost: None,
    };
    Cost {
        usd: pricing.cost_of(&usage),
        source: CostSource::Estimated,
    }
}

#[cfg(test)]
mod tests;
