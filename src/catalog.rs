//! The model catalog: `GET /models` into [`ModelInfo`]s, cached on disk with its fetch time so
//! the picker works offline, plus search and price lookup.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::chat::StreamError;
use crate::cost::{Pricing, Usd};
use crate::provider::Endpoint;

mod borrow;
pub mod listing;
pub use borrow::{Borrowing, choose_pricing};

/// OpenRouter variant suffixes that route differently but are priced like the base model.
pub const ROUTING_SUFFIXES: &[&str] = &[
    ":nitro",
    ":floor",
    ":exacto",
    ":thinking",
    ":extended",
    ":online",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub context_length: Option<u64>,
    #[serde(default)]
    pub input_modalities: Vec<String>,
    #[serde(default)]
    pub output_modalities: Vec<String>,
    /// `None` when the endpoint lists no prices (local servers) or they vary (routers).
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Unix seconds when the model was added, for "newest" sorting.
    #[serde(default)]
    pub created: Option<i64>,
    /// Whether the model can return reasoning.
    #[serde(default)]
    pub reasoning: bool,
    /// The configured provider that lists it (empty for the default provider).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider: String,
}

impl ModelInfo {
    /// A model known by its id alone.
    pub fn bare() -> ModelInfo {
        ModelInfo {
            id: String::new(),
            name: String::new(),
            context_length: None,
            input_modalities: Vec::new(),
            output_modalities: Vec::new(),
            pricing: None,
            created: None,
            reasoning: false,
            provider: String::new(),
        }
    }

    pub fn is_free(&self) -> bool {
        self.id.ends_with(":free") || self.pricing.as_ref().is_some_and(Pricing::is_free)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Catalog {
    pub base_url: String,
    /// Unix seconds of the fetch.
    pub fetched_at: u64,
    pub models: Vec<ModelInfo>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("could not fetch the model list: {0}")]
    Fetch(StreamError),
    #[error("the model list from {url} is not valid JSON: {reason}")]
    Parse { url: String, reason: String },
    #[error("catalog cache {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Deserialize)]
struct WireModel {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    context_length: Option<u64>,
    /// vLLM's name for the context length.
    #[serde(default)]
    max_model_len: Option<u64>,
    /// LM Studio's (`/api/v0/models`).
    #[serde(default)]
    max_context_length: Option<u64>,
    /// llama.cpp's `meta.n_ctx_train`.
    #[serde(default)]
    meta: Option<WireMeta>,
    #[serde(default)]
    architecture: Option<WireArchitecture>,
    #[serde(default)]
    pricing: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    created: Option<i64>,
    #[serde(default)]
    supported_parameters: Option<Vec<String>>,
    #[serde(default)]
    reasoning: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct WireMeta {
    #[serde(default)]
    n_ctx_train: Option<u64>,
}

#[derive(Deserialize)]
struct WireArchitecture {
    #[serde(default)]
    input_modalities: Vec<String>,
    #[serde(default)]
    output_modalities: Vec<String>,
}

fn price(map: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<Usd> {
    let usd = match map.get(key)? {
        serde_json::Value::String(s) => Usd::parse(s).ok()?,
        serde_json::Value::Number(n) => Usd::parse(&n.to_string()).ok()?,
        _ => return None,
    };
    (!usd.is_negative()).then_some(usd)
}

fn pricing(map: &serde_json::Map<String, serde_json::Value>) -> Option<Pricing> {
    Some(Pricing {
        prompt: price(map, "prompt")?,
        completion: price(map, "completion")?,
        request: price(map, "request").filter(|p| !p.is_zero()),
        input_cache_read: price(map, "input_cache_read"),
        // "0" here means reasoning is billed as ordinary output, not that it is free.
        internal_reasoning: price(map, "internal_reasoning").filter(|p| !p.is_zero()),
        from_catalog: None,
    })
}

impl ModelInfo {
    /// Its catalog entry lists image input (OpenRouter's `architecture.input_modalities`).
    pub fn takes_images(&self) -> bool {
        self.input_modalities.iter().any(|m| m == "image")
    }
}

impl From<WireModel> for ModelInfo {
    fn from(w: WireModel) -> ModelInfo {
        let (input_modalities, output_modalities) = w
            .architecture
            .map(|a| (a.input_modalities, a.output_modalities))
            .unwrap_or_default();
        let reasoning = w.reasoning.is_some()
            || w.supported_parameters
                .iter()
                .flatten()
                .any(|p| p == "reasoning" || p == "include_reasoning");
        ModelInfo {
            name: w
                .name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| w.id.clone()),
            id: w.id,
            context_length: w
                .context_length
                .or(w.max_model_len)
                .or(w.max_context_length)
                .or(w.meta.and_then(|m| m.n_ctx_train)),
            input_modalities,
            output_modalities,
            pricing: w.pricing.as_ref().and_then(pricing),
            created: w.created,
            reasoning,
            provider: String::new(),
        }
    }
}

/// Parses a `/models` body: OpenRouter's rich objects or the bare ids of local servers.
/// Entries that do not parse are skipped rather than failing the whole list.
pub fn parse_models(body: &str) -> Result<Vec<ModelInfo>, String> {
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let list = match &value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(o) => match o.get("data").or_else(|| o.get("models")) {
            Some(serde_json::Value::Array(items)) => items,
            _ => return Err("no `data` list".to_string()),
        },
        _ => return Err("not an object".to_string()),
    };
    Ok(list
        .iter()
        .filter_map(|m| serde_json::from_value::<WireModel>(m.clone()).ok())
        .map(ModelInfo::from)
        .collect())
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Catalog {
    /// Fetches the list the way the endpoint's dialect lists models.
    pub async fn fetch(
        client: &reqwest::Client,
        endpoint: &Endpoint,
    ) -> Result<Catalog, CatalogError> {
        let models = listing::list(client, endpoint).await?;
        Ok(Catalog {
            base_url: endpoint.base_url.clone(),
            fetched_at: now_secs(),
            models,
        })
    }

    /// The cache file of one endpoint's catalog.
    pub fn cache_path(cache_dir: &Path, base_url: &str) -> PathBuf {
        let slug: String = base_url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        cache_dir.join("catalog").join(format!("{slug}.json"))
    }

    /// The cached catalog of an endpoint, if one was saved and still reads.
    pub fn load_cached(cache_dir: &Path, base_url: &str) -> Option<Catalog> {
        let text = std::fs::read_to_string(Self::cache_path(cache_dir, base_url)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the cache atomically (temp file, fsync, rename).
    pub fn save(&self, cache_dir: &Path) -> Result<(), CatalogError> {
        let path = Self::cache_path(cache_dir, &self.base_url);
        let json = serde_json::to_vec(self).map_err(|e| CatalogError::Io {
            path: path.clone(),
            source: e.into(),
        })?;
        crate::storage::write_atomic(&path, &json)
            .map_err(|source| CatalogError::Io { path, source })
    }

    pub fn age(&self) -> Duration {
        Duration::from_secs(now_secs().saturating_sub(self.fetched_at))
    }

    pub fn get(&self, id: &str) -> Option<&ModelInfo> {
        self.models.iter().find(|m| m.id == id)
    }

    /// A model's entry, or its base model's for an id with a routing suffix (`:nitro`).
    pub fn lookup(&self, id: &str) -> Option<&ModelInfo> {
        self.get(id)
            .or_else(|| id.rsplit_once(':').and_then(|(base, _)| self.get(base)))
    }

    /// Prices for a model id, looking through routing suffixes (`:nitro` is priced like the
    /// base model; `:free` is free even when only the base model is listed).
    pub fn pricing_for(&self, id: &str) -> Option<Pricing> {
        if let Some(m) = self.get(id) {
            return m.pricing.clone();
        }
        let (base, suffix) = id.rsplit_once(':')?;
        let base_info = self.get(base)?;
        match format!(":{suffix}").as_str() {
            ":free" => Some(Pricing::default()),
            s if ROUTING_SUFFIXES.contains(&s) => base_info.pricing.clone(),
            _ => None,
        }
    }

    /// The catalog as one provider's part of a merged list: ids qualified as `provider:id`
    /// (`qualify` false for the default provider) and prices from the config's table.
    pub fn for_provider(
        mut self,
        provider: &str,
        qualify: bool,
        prices: &std::collections::BTreeMap<String, Pricing>,
    ) -> Catalog {
        for m in &mut self.models {
            if let Some(p) = prices.get(&m.id) {
                m.pricing = Some(p.clone());
            }
            if qualify {
                m.id = format!("{provider}:{}", m.id);
            }
            m.provider = provider.to_string();
        }
        self
    }

    /// Models whose id or name contains every word of `query` (case-insensitive).
    pub fn search<'a>(&'a self, query: &'a str) -> impl Iterator<Item = &'a ModelInfo> + 'a {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.models.iter().filter(move |m| {
            let id = m.id.to_lowercase();
            let name = m.name.to_lowercase();
            words.iter().all(|w| id.contains(w) || name.contains(w))
        })
    }
}

#[cfg(test)]
mod tests;
