//! Prices borrowed from a reference catalog (OpenRouter's, or what stands in for it) for
//! models of endpoints that report no cost and have no price table: exact ids only, through
//! each dialect's documented id prefix (`openai:gpt-4.1-mini` → `openai/gpt-4.1-mini`).

use crate::cost::{CatalogRef, Pricing};

use super::Catalog;

/// The one order a model's prices are chosen in, in the app and in `run` alike: the config's
/// table, the endpoint's own catalog, free for a local provider, else the reference
/// catalog's prices for the same model. `None`: nothing honest can be said.
pub fn choose_pricing(
    table: Option<Pricing>,
    own: impl FnOnce() -> Option<Pricing>,
    local: bool,
    borrowed: impl FnOnce() -> Option<Pricing>,
) -> Option<Pricing> {
    table
        .or_else(own)
        .or_else(|| local.then(Pricing::default))
        .or_else(borrowed)
}

#[derive(Clone, Debug, Default)]
pub struct Borrowing {
    /// (the prefix of a pane's model id, the prefix of the same model in the reference):
    /// `("openai:", "openai/")`; `""` stands for the default provider.
    pub routes: Vec<(String, String)>,
    /// The base URL of the reference catalog's provider.
    pub reference_url: Option<String>,
    /// The reference catalog, with its own (unqualified) ids.
    pub reference: Option<Catalog>,
}

impl Borrowing {
    /// The route a model's price would be borrowed through, if its provider borrows.
    pub fn route(&self, model: &str) -> Option<&(String, String)> {
        self.routes.iter().find(|(from, _)| {
            if from.is_empty() {
                !model.contains(':') || model.split_once(':').is_some_and(|(a, _)| a.contains('/'))
            } else {
                model.starts_with(from.as_str())
            }
        })
    }

    /// Takes a freshly fetched catalog as the reference when it is the reference provider's.
    /// `qualifier` is the `name:` its ids were qualified with (empty for the default).
    pub fn offer(&mut self, catalog: &Catalog, qualifier: &str) {
        if self.reference_url.as_deref() != Some(catalog.base_url.as_str()) {
            return;
        }
        let mut reference = catalog.clone();
        for m in &mut reference.models {
            if let Some(bare) = m.id.strip_prefix(qualifier) {
                m.id = bare.to_string();
            }
        }
        self.reference = Some(reference);
    }

    /// The reference's prices for a model of a provider that borrows, marked with where they
    /// came from; `None` without an exact match (the answer is then unpriced, never `$0`).
    pub fn pricing_for(&self, model: &str) -> Option<Pricing> {
        let reference = self.reference.as_ref()?;
        let (from, to) = self.route(model)?;
        // Gemini lists its models as `models/gemini-…`.
        let bare = model[from.len()..].trim_start_matches("models/");
        let id = format!("{to}{bare}");
        let mut pricing = reference.get(&id)?.pricing.clone()?;
        pricing.from_catalog = Some(CatalogRef {
            catalog: reference.base_url.clone(),
            fetched_at: reference.fetched_at,
            id,
        });
        Some(pricing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_models;

    #[test]
    fn only_exact_ids_through_a_route_are_priced_and_marked() {
        let body = r#"{"data":[{"id":"openai/gpt-4.1-mini","pricing":{"prompt":"0.0000004","completion":"0.0000016"}}]}"#;
        let mut b = Borrowing {
            routes: vec![("oai:".into(), "openai/".into())],
            reference_url: Some("https://openrouter.ai/api/v1".into()),
            reference: None,
        };
        let other = Catalog {
            base_url: "http://elsewhere/v1".into(),
            fetched_at: 1,
            models: parse_models(body).unwrap(),
        };
        b.offer(&other, "");
        assert!(
            b.reference.is_none(),
            "only the reference provider's catalog"
        );
        let mut reference = other.clone();
        reference.base_url = "https://openrouter.ai/api/v1".into();
        reference.fetched_at = 1_764_741_600;
        for m in &mut reference.models {
            m.id = format!("openrouter:{}", m.id);
        }
        b.offer(&reference, "openrouter:");
        let p = b.pricing_for("oai:gpt-4.1-mini").unwrap();
        assert_eq!(p.prompt.to_decimal(), "0.0000004");
        let from = p.from_catalog.unwrap();
        assert_eq!(from.id, "openai/gpt-4.1-mini");
        assert_eq!(
            from.describe(),
            "priced as openai/gpt-4.1-mini from openrouter.ai's catalog of 2025-12-03"
        );
        assert!(b.pricing_for("oai:gpt-4.1-mini-2025-04-14").is_none());
        assert!(b.pricing_for("oai:gpt-4.1").is_none());
        assert!(b.pricing_for("other:gpt-4.1-mini").is_none(), "no route");
    }
}
