//! Who answered what in a blind round nobody voted on or revealed: exports keep it hidden as
//! the screen does (answers named `Model A`, `Model B` by pane; no provider, served-by model
//! or per-answer price), so a file shared before the vote spoils nothing.

use std::borrow::Cow;

use crate::storage::session::{RoundRecord, SavedAnswer};

/// Whether a round still hides its models: blind, not revealed, and no vote cast.
pub fn hidden(r: &RoundRecord) -> bool {
    r.blind.is_some_and(|b| !b.revealed) && r.vote.is_none()
}

/// The pane's letter, `A` for slot 0, as the screen names it (`state::arena::letter`, which
/// storage may not import).
pub fn letter(slot: usize) -> char {
    char::from(b'A' + (slot % 26) as u8)
}

/// A round's names as an export may show them.
pub struct Mask {
    hidden: bool,
    /// Every name that would tell a pane's model, longest first, with the pane's letter.
    names: Vec<(String, char)>,
    /// Model ids by slot, to name a judge's pick by its letter.
    models: Vec<(String, usize)>,
}

/// The forms a name may take in text: whole, without a `provider:` prefix or a `:variant`
/// suffix, and the last path part of each (`vendor/model`, `model`).
fn forms(name: &str) -> Vec<&str> {
    let mut whole = vec![name];
    match name.split_once(':') {
        // `ollama:llama3.2`: a provider's prefix.
        Some((prefix, rest)) if !prefix.contains('/') => whole.push(rest),
        // `vendor/model:free`: a variant, a common word on its own.
        Some(_) => whole.extend(name.rsplit_once(':').map(|(base, _)| base)),
        None => {}
    }
    let tails: Vec<&str> = whole
        .iter()
        .map(|n| n.rsplit('/').next().unwrap_or(""))
        .collect();
    whole.extend(tails);
    whole
}

impl Mask {
    pub fn of(r: &RoundRecord) -> Mask {
        let hidden = hidden(r);
        let mut names: Vec<(String, char)> = Vec::new();
        let mut models = Vec::new();
        if hidden {
            for a in &r.answers {
                models.push((a.model.clone(), a.slot));
                let all = [Some(&a.model), a.served_model.as_ref(), a.provider.as_ref()];
                for name in all.into_iter().flatten() {
                    for f in forms(name) {
                        // Shorter names are ordinary words: replacing them would garble text.
                        if f.chars().count() >= 3 && !names.iter().any(|(n, _)| n == f) {
                            names.push((f.to_string(), letter(a.slot)));
                        }
                    }
                }
            }
        }
        // Longest first, so `vendor/model` goes before `model`.
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        Mask {
            hidden,
            names,
            models,
        }
    }

    pub fn hides(&self) -> bool {
        self.hidden
    }

    /// What an answer is called: its model, or `Model A` while hidden.
    pub fn name(&self, a: &SavedAnswer) -> String {
        if self.hidden {
            format!("Model {}", letter(a.slot))
        } else {
            a.model.clone()
        }
    }

    /// A model named by a vote or a judge, as [`Mask::name`] would call its answer.
    pub fn model(&self, model: &str) -> String {
        if !self.hidden {
            return model.to_string();
        }
        match self.models.iter().find(|(m, _)| m == model) {
            Some((_, slot)) => format!("Model {}", letter(*slot)),
            None => self.text(model).into_owned(),
        }
    }

    /// `text` with every name that would tell who is who replaced by the pane's letter, in
    /// any ASCII case (a model's text may spell its own name differently).
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.hidden {
            return Cow::Borrowed(text);
        }
        let mut out = Cow::Borrowed(text);
        for (name, l) in &self.names {
            let needle = name.to_ascii_lowercase();
            // ASCII lowercasing keeps every byte offset, so matches map back one to one.
            let hay = out.to_ascii_lowercase();
            if !hay.contains(&needle) {
                continue;
            }
            let mut next = String::with_capacity(out.len());
            let mut last = 0;
            for (at, _) in hay.match_indices(&needle) {
                next.push_str(&out[last..at]);
                next.push(*l);
                last = at + needle.len();
            }
            next.push_str(&out[last..]);
            out = Cow::Owned(next);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(blind: bool, voted: bool) -> RoundRecord {
        let text = format!(
            r#"{{"id": 0, "prompt": "p", "created_ms": 0,
              {} {}
              "answers": [
                {{"slot": 0, "model": "vendor/alpha-large:free", "provider": "AlphaCloud",
                  "status": "complete", "text": "I am Alpha-Large from alphacloud."}},
                {{"slot": 1, "model": "ollama:beta3", "served_model": "beta3-q4",
                  "status": "complete", "text": "beta3 here (beta3-q4 really)"}}]}}"#,
            if blind {
                r#""blind": {"seed": 1},"#
            } else {
                ""
            },
            if voted {
                r#""vote": {"verdict": "tie", "models": [], "blind": true, "at_ms": 0},"#
            } else {
                ""
            }
        );
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn a_hidden_round_names_panes_by_letter_and_redacts_every_form_of_a_name() {
        let r = round(true, false);
        let m = Mask::of(&r);
        assert!(m.hides());
        assert_eq!(m.name(&r.answers[1]), "Model B");
        assert_eq!(m.model("vendor/alpha-large:free"), "Model A");
        assert_eq!(m.text(&r.answers[0].text), "I am A from A.");
        assert_eq!(m.text(&r.answers[1].text), "B here (B really)");
        assert_eq!(m.text("vendor/alpha-large and alpha-large"), "A and A");
    }

    #[test]
    fn a_voted_or_sighted_round_shows_everything() {
        for r in [round(true, true), round(false, false)] {
            let m = Mask::of(&r);
            assert!(!m.hides());
            assert_eq!(m.name(&r.answers[0]), "vendor/alpha-large:free");
            assert_eq!(m.text(&r.answers[0].text), r.answers[0].text);
        }
    }
}
