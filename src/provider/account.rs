//! The key's account: `GET /key` for credit used, limit and remaining.

use serde::Deserialize;

use crate::chat::{KeyInfo, StreamError};
use crate::cost::Usd;

use super::{Endpoint, error_from_reqwest, error_from_response};

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
    let resp = endpoint
        .authorize(client.get(endpoint.url("key")))
        .send()
        .await
        .map_err(|e| error_from_reqwest(&e, false))?;
    if !resp.status().is_success() {
        return Err(error_from_response(resp).await);
    }
    let body = resp
        .text()
        .await
        .map_err(|e| error_from_reqwest(&e, true))?;
    parse_key_info(&body).map_err(|m| StreamError::new(crate::chat::ErrorKind::Protocol, m))
}

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
