//! The figures under an answer, one rule for both exports: which ones a round shows, and
//! what a hidden round (blind, not voted on, not revealed) leaves out because it would tell
//! its models apart, as the pane footer does on screen.

use super::mask::Mask;
use crate::cost::CostSource;
use crate::storage::session::SavedAnswer;
use crate::textfmt::count;

/// One figure: words around numbers, so that each export sets the numbers its own way
/// (bold in HTML, plain in Markdown).
pub struct Fact(Vec<(String, bool)>);

impl Fact {
    fn new() -> Fact {
        Fact(Vec::new())
    }

    fn figure(mut self, n: impl ToString) -> Fact {
        self.0.push((n.to_string(), true));
        self
    }

    fn words(mut self, w: impl ToString) -> Fact {
        self.0.push((w.to_string(), false));
        self
    }

    /// Its parts in order, each with whether it is a number.
    pub fn parts(&self) -> impl Iterator<Item = (&str, bool)> {
        self.0.iter().map(|(t, n)| (t.as_str(), *n))
    }

    pub fn plain(&self) -> String {
        self.parts().map(|(t, _)| t).collect()
    }
}

/// `x` with `digits` decimals, or `None` for what is not a number.
pub fn finite(x: f64, digits: usize) -> Option<String> {
    x.is_finite().then(|| format!("{x:.digits$}"))
}

/// An answer's cost as exports write it, estimates marked; `None` in a hidden round, where
/// a price would say which model answered.
pub fn cost_text(a: &SavedAnswer, mask: &Mask) -> Option<String> {
    if mask.hides() {
        return None;
    }
    Some(match a.cost {
        Some(c) if c.source == CostSource::Estimated => format!("~{} (estimated)", c.usd.display()),
        Some(c) => c.usd.display(),
        None => "cost unknown".into(),
    })
}

/// The figures under answer `a`. Hidden, only what the pane footer shows while hidden:
/// status, time to first token, speed and output tokens. A prompt token count, a reasoning
/// token count or a context that forced history out all depend on the model's tokenizer or
/// window, so each names a family; a cost or a provider names the model outright.
pub fn facts(a: &SavedAnswer, mask: &Mask) -> Vec<Fact> {
    let hidden = mask.hides();
    let mut f = vec![Fact::new().figure(a.status.label())];
    if let Some(t) = a.ttft_ms {
        f.push(
            Fact::new()
                .words("TTFT ")
                .figure(format!("{:.2} s", t as f64 / 1000.0)),
        );
    }
    if let Some(t) = a.tokens_per_s.and_then(|t| finite(t, 0)) {
        f.push(Fact::new().figure(t).words(" tok/s"));
    }
    match &a.usage {
        Some(u) if hidden => f.push(Fact::new().figure(u.completion_tokens).words(" out tokens")),
        Some(u) => f.push(
            Fact::new()
                .figure(u.prompt_tokens)
                .words(" in · ")
                .figure(u.completion_tokens)
                .words(" out tokens"),
        ),
        None => {}
    }
    if hidden {
        return f;
    }
    if let Some(u) = a.usage.as_ref().filter(|u| u.reasoning_tokens > 0) {
        f.push(Fact::new().words(format!("{} reasoning", u.reasoning_tokens)));
    }
    f.extend(cost_text(a, mask).map(|c| Fact::new().figure(c)));
    if let Some(p) = &a.provider {
        f.push(Fact::new().words(format!("provider {p}")));
    }
    if a.left_out > 0 {
        f.push(Fact::new().words(format!(
            "{} of history left out to fit",
            count(a.left_out as u64, "round")
        )));
    }
    f
}

/// What a hidden round says above its answers, in both exports. Its figures stay (they are
/// the user's), so the reader is told what they can give away; `named_rounds` when other
/// rounds of the page name their models beside the same kind of figures.
pub fn hidden_notice(named_rounds: bool) -> String {
    let beside = if named_rounds {
        ", above all beside the other rounds on this page, which name their models"
    } else {
        ""
    };
    format!(
        "A blind round, not voted on yet: the models are hidden, and so are their prices, \
         providers, prompt token counts and race chart. The speed and length figures that \
         remain (TTFT, tok/s, output tokens) can still tell the models apart{beside}."
    )
}

#[cfg(test)]
mod tests;
