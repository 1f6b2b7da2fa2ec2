//! OpenRouter routing preferences, sent as the request's `provider` object and `models`
//! fallback list, exactly as the OpenRouter API names them.

use serde::Serialize;

/// `provider` in a chat request: how OpenRouter picks the upstream provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProviderPrefs {
    /// `price`, `throughput` or `latency`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Provider slugs to try first, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_fallbacks: Option<bool>,
    /// `allow` or `deny`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_collection: Option<String>,
    /// Zero data retention endpoints only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zdr: Option<bool>,
}

impl ProviderPrefs {
    pub fn is_empty(&self) -> bool {
        *self == ProviderPrefs::default()
    }
}

/// Routing for a request: provider preferences and fallback models.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routing {
    pub provider: ProviderPrefs,
    /// Models tried in order when the asked one fails (`models`). The pane then shows the
    /// model that really answered.
    pub fallback_models: Vec<String>,
    /// OpenRouter's "middle-out" transform: a conversation over the context loses its middle
    /// instead of being refused. Off unless the config asks (`transforms: []` is sent).
    pub middle_out: Option<bool>,
}

impl Routing {
    /// Adds the routing fields to a request body.
    pub fn apply(&self, body: &mut serde_json::Value) {
        if !self.provider.is_empty()
            && let Ok(p) = serde_json::to_value(&self.provider)
        {
            body["provider"] = p;
        }
        if !self.fallback_models.is_empty() {
            body["models"] = serde_json::json!(self.fallback_models);
        }
        if self.middle_out == Some(true) {
            body["transforms"] = serde_json::json!(["middle-out"]);
        }
    }

    /// Fills what `self` leaves unset from `base` (model routing over provider routing).
    pub fn over(&self, base: &Routing) -> Routing {
        let p = &self.provider;
        let b = &base.provider;
        Routing {
            provider: ProviderPrefs {
                sort: p.sort.clone().or_else(|| b.sort.clone()),
                order: p.order.clone().or_else(|| b.order.clone()),
                allow_fallbacks: p.allow_fallbacks.or(b.allow_fallbacks),
                data_collection: p
                    .data_collection
                    .clone()
                    .or_else(|| b.data_collection.clone()),
                zdr: p.zdr.or(b.zdr),
            },
            fallback_models: if self.fallback_models.is_empty() {
                base.fallback_models.clone()
            } else {
                self.fallback_models.clone()
            },
            middle_out: self.middle_out.or(base.middle_out),
        }
    }
}

/// Which models OpenRouter may compress with middle-out (the config's `middle_out`), by the
/// `provider:` prefix a pane's model id starts with (`""` for the default provider).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MiddleOut {
    /// Providers of OpenRouter's kind, and whether their routing turns it on.
    pub providers: Vec<(String, bool)>,
    /// Models whose own routing turns it on or off, over their provider's.
    pub models: Vec<(String, bool)>,
}

impl MiddleOut {
    pub fn applies(&self, prefix: &str, model: &str, bare: &str) -> bool {
        let Some(&(_, on)) = self.providers.iter().find(|(p, _)| p == prefix) else {
            return false;
        };
        self.models
            .iter()
            .find(|(m, _)| m == model || m == bare)
            .map_or(on, |(_, v)| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialised_as_the_openrouter_reference_says() {
        let routing = Routing {
            provider: ProviderPrefs {
                sort: Some("throughput".into()),
                order: Some(vec!["anthropic".into(), "google-vertex".into()]),
                allow_fallbacks: Some(false),
                data_collection: Some("deny".into()),
                zdr: Some(true),
            },
            fallback_models: vec!["openai/gpt-4.1-mini".into()],
            middle_out: None,
        };
        let mut body = serde_json::json!({"model": "anthropic/claude-sonnet-4.5"});
        routing.apply(&mut body);
        assert_eq!(
            body,
            serde_json::json!({
                "model": "anthropic/claude-sonnet-4.5",
                "provider": {"sort": "throughput", "order": ["anthropic", "google-vertex"], "allow_fallbacks": false, "data_collection": "deny", "zdr": true},
                "models": ["openai/gpt-4.1-mini"]
            })
        );
        let mut plain = serde_json::json!({"model": "m"});
        Routing::default().apply(&mut plain);
        assert_eq!(
            plain,
            serde_json::json!({"model": "m"}),
            "nothing added when nothing is set"
        );
        let only_sort = Routing {
            provider: ProviderPrefs {
                sort: Some("price".into()),
                ..ProviderPrefs::default()
            },
            ..Routing::default()
        };
        let merged = only_sort.over(&routing);
        assert_eq!(merged.provider.sort.as_deref(), Some("price"));
        assert_eq!(merged.provider.zdr, Some(true));
        assert_eq!(merged.fallback_models, routing.fallback_models);
    }

    #[test]
    fn middle_out_is_sent_only_when_asked_for() {
        // What `request::build` sends to OpenRouter by default.
        let mut body = serde_json::json!({"model": "m", "transforms": []});
        Routing::default().apply(&mut body);
        assert_eq!(body["transforms"], serde_json::json!([]));
        let on = Routing {
            middle_out: Some(true),
            ..Routing::default()
        };
        on.apply(&mut body);
        assert_eq!(body["transforms"], serde_json::json!(["middle-out"]));
        let model_off = Routing {
            middle_out: Some(false),
            ..Routing::default()
        };
        assert_eq!(
            model_off.over(&on).middle_out,
            Some(false),
            "the model's own wins"
        );
        assert_eq!(Routing::default().over(&on).middle_out, Some(true));
    }
}
