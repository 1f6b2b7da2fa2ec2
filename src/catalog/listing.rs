//! Model lists in each dialect's own shape, so local servers show their context sizes too:
//! Ollama's `/api/tags` and `/api/show`, llama.cpp's `/v1/models` meta and `/props`, vLLM's
//! `max_model_len`, LM Studio's `/api/v0/models`, and OpenAI's plain `/models`.

use serde::Deserialize;

use crate::provider::dialects::Listing;
use crate::provider::{Endpoint, get_body};

use super::{CatalogError, ModelInfo, parse_models};

/// The server root: the base URL without its `/v1` (Ollama and LM Studio serve their own API
/// beside the OpenAI-compatible one).
pub fn root_of(base_url: &str) -> &str {
    base_url
        .trim_end_matches('/')
        .strip_suffix("/v1")
        .unwrap_or(base_url)
}

/// Ollama's `/api/tags`: `{"models":[{"name":"llama3.2:latest",…}]}`.
#[derive(Deserialize)]
struct Tags {
    #[serde(default)]
    models: Vec<Tag>,
}

#[derive(Deserialize)]
struct Tag {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    model: Option<String>,
}

/// The context length in Ollama's `/api/show` body: `model_info["<arch>.context_length"]`.
pub fn ollama_context(show: &str) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_str(show).ok()?;
    let info = v.get("model_info")?.as_object()?;
    info.iter()
        .find(|(k, _)| k.ends_with(".context_length"))
        .and_then(|(_, v)| v.as_u64())
}

/// The context size in llama.cpp's `/props`: `default_generation_settings.n_ctx`.
pub fn llamacpp_props_context(props: &str) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_str(props).ok()?;
    v.pointer("/default_generation_settings/n_ctx")
        .or_else(|| v.get("n_ctx"))
        .and_then(serde_json::Value::as_u64)
}

async fn get(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    url: &str,
) -> Result<String, CatalogError> {
    get_body(client, endpoint, url)
        .await
        .map_err(CatalogError::Fetch)
}

fn parse(url: &str, body: &str) -> Result<Vec<ModelInfo>, CatalogError> {
    parse_models(body).map_err(|reason| CatalogError::Parse {
        url: url.to_string(),
        reason,
    })
}

/// Lists an endpoint's models the way its dialect does.
pub async fn list(
    client: &reqwest::Client,
    endpoint: &Endpoint,
) -> Result<Vec<ModelInfo>, CatalogError> {
    let models_url = endpoint.url("models");
    let root = root_of(&endpoint.base_url);
    match endpoint.kind.dialect().listing {
        Listing::OpenRouter | Listing::OpenAi | Listing::Vllm => {
            parse(&models_url, &get(client, endpoint, &models_url).await?)
        }
        Listing::LlamaCpp => {
            let mut models = parse(&models_url, &get(client, endpoint, &models_url).await?)?;
            // The context the server runs with (`/props`) over the one the model was trained
            // with (`meta.n_ctx_train`), which overstates what fits.
            let props = get(client, endpoint, &format!("{root}/props")).await;
            if let Some(n) = props.ok().as_deref().and_then(llamacpp_props_context) {
                for m in &mut models {
                    m.context_length = Some(n);
                }
            }
            Ok(models)
        }
        Listing::LmStudio => {
            let url = format!("{root}/api/v0/models");
            match get(client, endpoint, &url).await {
                Ok(body) => parse(&url, &body),
                Err(_) => parse(&models_url, &get(client, endpoint, &models_url).await?),
            }
        }
        Listing::Ollama => {
            let url = format!("{root}/api/tags");
            let Ok(body) = get(client, endpoint, &url).await else {
                return parse(&models_url, &get(client, endpoint, &models_url).await?);
            };
            let tags: Tags = serde_json::from_str(&body).map_err(|e| CatalogError::Parse {
                url: url.clone(),
                reason: e.to_string(),
            })?;
            let mut models = Vec::new();
            for name in tags.models.into_iter().filter_map(|t| t.name.or(t.model)) {
                let show = endpoint
                    .authorize(client.post(format!("{root}/api/show")))
                    .json(&serde_json::json!({ "model": name }))
                    .send()
                    .await;
                let context = match show {
                    Ok(r) if r.status().is_success() => {
                        r.text().await.ok().as_deref().and_then(ollama_context)
                    }
                    _ => None,
                };
                models.push(ModelInfo {
                    id: name.clone(),
                    name,
                    context_length: context,
                    ..ModelInfo::bare()
                });
            }
            Ok(models)
        }
    }
}
