//! The set of configured providers: which one takes bare model ids, how `provider:model`
//! resolves, and the routing, prices and locality that follow from it.

use std::collections::BTreeMap;

use super::providers::{Kind, OPENROUTER, Provider};
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
        let kind_choice = crate::provider::dialects::guess(&endpoint.base_url).1;
        let local = Provider::is_free(endpoint.kind, &endpoint.base_url, None);
        Registry {
            default: OPENROUTER.to_string(),
            providers: vec![Provider {
                name: OPENROUTER.to_string(),
                kind_choice,
                endpoint,
                prices: BTreeMap::new(),
                routing: Routing::default(),
                local,
                local_setting: None,
                key_source: String::new(),
                key_configured: false,
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
        if p.kind() != Kind::OpenRouter {
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

    /// The provider whose catalog prices models that others leave unpriced: the first of
    /// OpenRouter's kind.
    pub fn reference(&self) -> Option<&Provider> {
        self.providers.iter().find(|p| p.kind() == Kind::OpenRouter)
    }

    /// How models of providers that report no cost find their price in the reference
    /// catalog, and that catalog as cached (see [`crate::catalog::Borrowing`]).
    pub fn borrowing(&self, cache_dir: &std::path::Path) -> crate::catalog::Borrowing {
        let routes = self
            .providers
            .iter()
            .filter(|p| !p.local && p.kind() != Kind::OpenRouter)
            .filter_map(|p| {
                let to = p.kind().dialect().catalog_prefix?;
                Some((self.qualified(&p.name, ""), to.to_string()))
            })
            .collect();
        let reference_url = self.reference().map(|p| p.endpoint.base_url.clone());
        let mut borrowing = crate::catalog::Borrowing {
            routes,
            reference_url: reference_url.clone(),
            reference: None,
        };
        if let Some(url) = reference_url
            && let Some(c) = crate::catalog::Catalog::load_cached(cache_dir, &url)
        {
            borrowing.offer(&c, "");
        }
        borrowing
    }

    /// Which models OpenRouter may compress with middle-out, as the config's routing says.
    pub fn middle_out(&self) -> crate::provider::routing::MiddleOut {
        crate::provider::routing::MiddleOut {
            providers: self
                .providers
                .iter()
                .filter(|p| p.kind() == Kind::OpenRouter)
                .map(|p| {
                    let prefix = self.qualified(&p.name, "");
                    (prefix, p.routing.middle_out == Some(true))
                })
                .collect(),
            models: self
                .model_routing
                .iter()
                .filter_map(|(m, r)| Some((m.clone(), r.middle_out?)))
                .collect(),
        }
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
