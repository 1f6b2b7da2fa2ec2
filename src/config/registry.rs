//! The set of configured providers: which one takes bare model ids, how `provider:model`
//! resolves, and the routing, prices and locality that follow from it.

use std::collections::BTreeMap;

use super::providers::{Kind, OPENROUTER, Provider, is_local_url};
use crate::cost::Pricing;
use crate::provider::Endpoint;
use crate::provider::routing::Routing;

/// All providers, and which one takes bare model ids.
#[derive(Clone, Debug)]
pub struct Registry {
    pub default: String,
    pub providers: Vec<Provider>,
    /// Routing for specific models (`[routing."model"]`), over their provider's.
    pub model_routing: BTreeMap<String, Routing>,
}

impl Registry {
    /// Only the default provider for `endpoint` (no config providers).
    pub fn single(endpoint: Endpoint) -> Registry {
        let kind = if endpoint.is_openrouter() {
            Kind::OpenRouter
        } else {
            Kind::OpenAiCompatible
        };
        let local = kind == Kind::OpenAiCompatible && is_local_url(&endpoint.base_url);
        Registry {
            default: OPENROUTER.to_string(),
            providers: vec![Provider {
                name: OPENROUTER.to_string(),
                kind,
                endpoint,
                prices: BTreeMap::new(),
                routing: Routing::default(),
                local,
                key_source: String::new(),
            }],
            model_routing: BTreeMap::new(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.name == name)
    }

    pub fn default_provider(&self) -> &Provider {
        self.get(&self.default).unwrap_or(&self.providers[0])
    }

    /// Splits `provider:model`; anything else is a model of the default provider (OpenRouter
    /// ids contain `:` too, as in `openai/gpt-4:free`).
    pub fn resolve<'a>(&'a self, model: &'a str) -> (&'a Provider, &'a str) {
        if let Some((prefix, rest)) = model.split_once(':')
            && !prefix.contains('/')
            && let Some(p) = self.get(prefix)
        {
            return (p, rest);
        }
        (self.default_provider(), model)
    }

    /// The id a pane uses for a provider's model: bare for the default provider.
    pub fn qualified(&self, provider: &str, model: &str) -> String {
        if provider == self.default {
            model.to_string()
        } else {
            format!("{provider}:{model}")
        }
    }

    /// The routing for a model: its own, over its provider's. OpenRouter only.
    pub fn routing(&self, model: &str) -> Option<Routing> {
        let (p, bare) = self.resolve(model);
        if p.kind != Kind::OpenRouter {
            return None;
        }
        let base = &p.routing;
        let r = self
            .model_routing
            .get(model)
            .or_else(|| self.model_routing.get(bare))
            .map_or_else(|| base.clone(), |r| r.over(base));
        (r != Routing::default()).then_some(r)
    }

    /// Prices from config tables, by qualified model id.
    pub fn price_tables(&self) -> BTreeMap<String, Pricing> {
        let mut out = BTreeMap::new();
        for p in &self.providers {
            for (m, price) in &p.prices {
                out.insert(self.qualified(&p.name, m), price.clone());
            }
        }
        out
    }

    /// Prefixes of providers whose unpriced models are free.
    pub fn local_prefixes(&self) -> Vec<String> {
        self.providers
            .iter()
            .filter(|p| p.local)
            .map(|p| {
                if p.name == self.default {
                    String::new()
                } else {
                    format!("{}:", p.name)
                }
            })
            .collect()
    }
}
