//! What the state knows about money and providers: prices per model, the session's spend,
//! the estimate for a prompt, and which `provider:` a model id belongs to.

use super::State;
use crate::cost::{Pricing, Spent, Usd};

impl State {
    /// Prices for a model: the config's table, its endpoint's catalog, free for a local
    /// provider, or the reference catalog's for the same model. `None` when nothing honest
    /// can be said.
    pub fn pricing_for(&self, model: &str) -> Option<Pricing> {
        crate::catalog::choose_pricing(
            self.price_tables.get(model).cloned(),
            || self.catalog.as_ref().and_then(|c| c.pricing_for(model)),
            self.is_local(model),
            || self.borrowing.pricing_for(model),
        )
    }

    /// The `provider:` a pane's model id starts with (empty for the default provider).
    pub fn provider_prefix<'a>(&self, model: &'a str) -> &'a str {
        match self
            .provider_prefixes
            .iter()
            .find(|p| model.starts_with(p.as_str()))
        {
            Some(p) => &model[..p.len()],
            None => "",
        }
    }

    /// The model id as its provider knows it (no `provider:` prefix).
    pub fn bare_model<'a>(&self, model: &'a str) -> &'a str {
        &model[self.provider_prefix(model).len()..]
    }

    /// Whether OpenRouter may cut the middle of this model's conversation (the config's
    /// `middle_out`) rather than refuse it when it is over the context.
    pub fn middle_out_for(&self, model: &str) -> bool {
        self.middle_out
            .applies(self.provider_prefix(model), model, self.bare_model(model))
    }

    /// Whether a model runs on a local provider (its unpriced answers are free).
    pub fn is_local(&self, model: &str) -> bool {
        self.local_prefixes.iter().any(|p| {
            if p.is_empty() {
                !model.contains(':') || model.split_once(':').is_some_and(|(a, _)| a.contains('/'))
            } else {
                model.starts_with(p.as_str())
            }
        })
    }

    /// What the session's answers and judges cost so far, and whether any figure is an
    /// estimate.
    pub fn spent(&self) -> Spent {
        let archived = self
            .session
            .rounds
            .iter()
            .flat_map(|r| &r.archived)
            .map(|a| (a.cost, a.ttft_ms.is_some()));
        let live = self
            .panes
            .iter()
            .flat_map(|p| &p.turns)
            .map(|t| (t.cost(), t.answer.ttft.is_some()));
        let judged = self
            .session
            .rounds
            .iter()
            .flat_map(|r| &r.judgements)
            .flat_map(|j| j.costs());
        let judging = self
            .judging
            .iter()
            .flat_map(|j| &j.readings)
            .map(|r| (r.cost(), r.answer.ttft.is_some()));
        Spent::sum(archived.chain(live).chain(judged).chain(judging))
    }

    /// The estimated input cost of sending `prompt` to every pane, and how many panes have
    /// no known prices.
    pub fn prompt_estimate(&self, prompt: &str) -> (Usd, usize) {
        let targets: Vec<usize> = (0..self.panes.len()).collect();
        round_estimate(self, &targets, prompt, false)
    }
}

impl State {
    /// Prices for a request to `model`, or why a budget cannot hold against it.
    fn unpriced_reason(&self) -> &'static str {
        if self.catalog.is_none() {
            "the model list with its prices has not arrived yet; try again in a moment"
        } else {
            "no catalog or price table names it: give it prices, or local = true for your own hardware, in the config"
        }
    }
}

/// The one budget rule, for rounds and the judge alike: with a budget set, spending
/// `estimate` more on `models` is refused (with the reason) when a model has no known price
/// (a budget cannot hold against one) or when it may cross the budget.
pub fn over_budget(state: &State, models: &[String], estimate: Usd, what: &str) -> Option<String> {
    let budget = state.budget?;
    if let Some(m) = models.iter().find(|m| state.pricing_for(m).is_none()) {
        return Some(format!(
            "refused: a {} budget is set and {m} has no known price: {}",
            budget.display(),
            state.unpriced_reason()
        ));
    }
    let spent = state.spent().total;
    if spent + estimate > budget {
        let left = Usd::from_atto((budget.atto() - spent.atto()).max(0));
        return Some(format!(
            "refused: {what} may cost ~{} and only {} of the {} budget is left",
            estimate.display(),
            left.display(),
            budget.display()
        ));
    }
    None
}

/// Output tokens assumed per answer when checking a budget without `max_tokens`.
pub const ASSUMED_OUTPUT_TOKENS: u64 = 1000;

/// A prompt's estimated cost on the given panes: input at the input price, plus the output
/// it may produce (`max_tokens`, or an assumed 1,000 tokens) for a budget check.
pub fn round_estimate(
    state: &State,
    targets: &[usize],
    prompt: &str,
    with_output: bool,
) -> (Usd, usize) {
    let mut total = Usd::ZERO;
    let mut unpriced = 0;
    for &i in targets {
        let pane = &state.panes[i];
        let Some(pricing) = state.pricing_for(&pane.model) else {
            unpriced += 1;
            continue;
        };
        // Kept counts, not the conversation rebuilt: this runs on every frame while typing.
        let tokens = state.prompt_tokens(i, prompt);
        let output = state
            .params
            .max_tokens
            .map_or(ASSUMED_OUTPUT_TOKENS, u64::from);
        let out = if with_output { output } else { 0 };
        total += crate::cost::estimated_cost(tokens, out, 0, &pricing).usd;
    }
    (total, unpriced)
}
