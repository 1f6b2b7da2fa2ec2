//! The key's account: `GET /key` for credit used, limit and remaining.

use serde::Deserialize;

use crate::chat::{KeyInfo, StreamError};
use crate::cost::Usd;

use super::{Endpoint, get_body};

pub use crate::chat::GenerationCost;

#[derive(Deserialize)]
struct Wire {
    data: WireData,
}

#[derive(Deserialize)]
struct WireData {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    limit: Option<Usd>,
    #[serde(default)]
    limit_remaining: Option<Usd>,
    #[serde(default)]
    usage: Option<Usd>,
}

/// Parses a `/key` body.
pub fn parse_key_info(body: &str) -> Result<KeyInfo, String> {
    let wire: Wire =
        serde_json::from_str(body).map_err(|e| format!("unexpected /key answer: {e}"))?;
    Ok(KeyInfo {
        label: wire.data.label,
        limit: wire.data.limit,
        remaining: wire.data.limit_remaining,
        usage: wire.data.usage,
    })
}

pub async fn fetch_key_info(
    client: &reqwest::Client,
    endpoint: &Endpoint,
) -> Result<KeyInfo, StreamError> {
    let body = get_body(client, endpoint, &endpoint.url("key")).await?;
    parse_key_info(&body).map_err(|m| StreamError::new(crate::chat::ErrorKind::Protocol, m))
}

/// Parses a `/generation` body.
pub fn parse_generation(body: &str) -> Result<GenerationCost, String> {
    #[derive(Deserialize)]
    struct Data {
        total_cost: Usd,
        #[serde(default)]
        native_tokens_prompt: Option<u64>,
        #[serde(default)]
        native_tokens_completion: Option<u64>,
        #[serde(default)]
        tokens_prompt: Option<u64>,
        #[serde(default)]
        tokens_completion: Option<u64>,
    }
    #[derive(Deserialize)]
    struct Wire {
        data: Data,
    }
    let w: Wire =
        serde_json::from_str(body).map_err(|e| format!("unexpected /generation answer: {e}"))?;
    Ok(GenerationCost {
        total: w.data.total_cost,
        prompt_tokens: w.data.native_tokens_prompt.or(w.data.tokens_prompt),
        completion_tokens: w.data.native_tokens_completion.or(w.data.tokens_completion),
    })
}

/// The exact cost of a generation (a cancelled stream gets no usage chunk). The record can
/// answer 404 for a while after the stream ends, so 404s are retried with a growing wait.
pub async fn fetch_generation(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    id: &str,
    waits: &[std::time::Duration],
) -> Result<GenerationCost, StreamError> {
    let url = reqwest::Url::parse_with_params(&endpoint.url("generation"), &[("id", id)]).map_err(
        |e| {
            StreamError::new(
                crate::chat::ErrorKind::Request,
                format!("bad generation id: {e}"),
            )
        },
    )?;
    let mut waits = waits.iter();
    loop {
        match get_body(client, endpoint, url.as_str()).await {
            Ok(body) => {
                return parse_generation(&body)
                    .map_err(|m| StreamError::new(crate::chat::ErrorKind::Protocol, m));
            }
            Err(e) if e.code == Some(404) => match waits.next() {
                Some(wait) => tokio::time::sleep(*wait).await,
                None => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
}

/// Backoff for generation lookups: about 15 s in all.
pub const GENERATION_WAITS: [std::time::Duration; 5] = [
    std::time::Duration::from_millis(500),
    std::time::Duration::from_secs(1),
    std::time::Duration::from_secs(2),
    std::time::Duration::from_secs(4),
    std::time::Duration::from_secs(8),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let body = r#"{"data":{"label":"sk-or-v1-au7...890","limit":100,"limit_remaining":74.5,"limit_reset":"monthly","usage":25.5,"is_free_tier":false}}"#;
        let k = parse_key_info(body).unwrap();
        assert_eq!(k.remaining.unwrap().to_decimal(), "74.5");
        assert_eq!(k.limit.unwrap().to_decimal(), "100");
        assert_eq!(k.usage.unwrap().to_decimal(), "25.5");
        let unlimited = r#"{"data":{"label":"x","limit":null,"limit_remaining":null,"usage":3}}"#;
        assert_eq!(parse_key_info(unlimited).unwrap().remaining, None);
    }
}
