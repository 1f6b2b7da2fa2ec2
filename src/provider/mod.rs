//! OpenAI-compatible chat streaming with OpenRouter's extras: request building, SSE decoding
//! into typed [`StreamEvent`]s, error mapping, retries and stall detection.

pub mod account;
mod decode;
pub mod dialects;
mod errors;
mod limit;
pub mod memory;
pub mod request;
pub mod routing;
mod stream;
mod think;
mod wire;

use std::fmt;
use std::sync::{Arc, Once};
use std::time::Duration;

pub use crate::chat::ChatRequest;

pub use decode::ChunkDecoder;
pub use dialects::{Kind, KindChoice};
pub use errors::{error_and_body, error_from_reqwest, error_from_response};
pub use stream::{EventSink, Tagged, decode_body, decode_body_as, drive_sse, run_chat};

pub const OPENROUTER_BASE: &str = "https://openrouter.ai/api/v1";
/// Sent as `HTTP-Referer`, OpenRouter's app identifier.
pub const APP_URL: &str = "https://github.com/switchboard-llm/switchboard";
pub const APP_TITLE: &str = "switchboard";

/// An API key. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Option<ApiKey> {
        let key = key.into().trim().to_string();
        (!key.is_empty()).then_some(ApiKey(key))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Where requests go and how they authenticate. `Debug` shows no key and no header value.
#[derive(Clone)]
pub struct Endpoint {
    /// Without a trailing slash, e.g. `https://openrouter.ai/api/v1`.
    pub base_url: String,
    pub api_key: Option<ApiKey>,
    pub extra_headers: Vec<(String, String)>,
    /// Its dialect: what it accepts and how it streams.
    pub kind: Kind,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.extra_headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Endpoint")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("extra_headers", &headers)
            .field("kind", &self.kind)
            .finish()
    }
}

impl Endpoint {
    /// An endpoint of the kind its URL suggests (the generic kind when nothing matches).
    pub fn new(base_url: &str, api_key: Option<ApiKey>) -> Endpoint {
        Endpoint {
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key,
            extra_headers: Vec::new(),
            kind: dialects::guess(base_url).0,
        }
    }

    pub fn with_kind(mut self, kind: Kind) -> Endpoint {
        self.kind = kind;
        self
    }

    /// Takes the key and any header value out of an error message, should a server have
    /// echoed one back.
    pub fn redact(&self, mut err: crate::chat::StreamError) -> crate::chat::StreamError {
        let secrets = self
            .api_key
            .iter()
            .map(|k| k.expose())
            .chain(self.extra_headers.iter().map(|(_, v)| v.as_str()));
        for s in secrets.filter(|s| s.len() >= 8) {
            err.message = err.message.replace(s, "***");
        }
        err
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path.trim_start_matches('/'))
    }

    pub fn is_openrouter(&self) -> bool {
        self.base_url.starts_with("https://openrouter.ai/")
    }

    /// Adds the key and the attribution headers to a request.
    pub fn authorize(&self, mut req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if let Some(key) = &self.api_key {
            req = req.bearer_auth(key.expose());
        }
        req = req
            .header("HTTP-Referer", APP_URL)
            .header("X-OpenRouter-Title", APP_TITLE)
            .header("X-Title", APP_TITLE);
        for (name, value) in &self.extra_headers {
            req = req.header(name, value);
        }
        req
    }
}

/// Timeouts and retry policy of a streaming request.
#[derive(Clone, Debug)]
pub struct StreamOptions {
    /// Retries of 429/502/503 before the first token.
    pub max_retries: u32,
    /// Longest wait honoured from `Retry-After`.
    pub max_retry_wait: Duration,
    /// OpenRouter routing preferences and fallback models for this request.
    pub routing: Option<routing::Routing>,
    /// What endpoints refused before; `None` learns nothing across requests.
    pub memory: Option<Arc<memory::Memory>>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            max_retries: 2,
            max_retry_wait: Duration::from_secs(20),
            routing: None,
            memory: None,
        }
    }
}

impl StreamOptions {
    /// The defaults, remembering what endpoints refused in `cache_dir`.
    pub fn remembering(cache_dir: &std::path::Path) -> StreamOptions {
        StreamOptions {
            memory: Some(Arc::new(memory::Memory::load(cache_dir))),
            ..StreamOptions::default()
        }
    }
}

/// Connection settings of the shared HTTP client.
#[derive(Clone, Copy, Debug)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// No bytes (keep-alive comments included) for this long fails the request as stalled.
    pub stall_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            stall_timeout: Duration::from_secs(60),
        }
    }
}

/// GETs `url` with the endpoint's key and headers: the body of a success, or the failure in
/// words (its `code` is the HTTP status).
pub async fn get_body(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    url: &str,
) -> Result<String, crate::chat::StreamError> {
    let resp = endpoint
        .authorize(client.get(url))
        .send()
        .await
        .map_err(|e| error_from_reqwest(&e, false))?;
    if !resp.status().is_success() {
        return Err(endpoint.redact(error_from_response(resp).await));
    }
    resp.text().await.map_err(|e| error_from_reqwest(&e, true))
}

/// Follows redirects only to the same scheme, host and port, so a key in the Authorization
/// header never reaches another host; a redirect elsewhere comes back as an error.
fn same_host_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(first) = attempt.previous().first() else {
            return attempt.stop();
        };
        let same = first.scheme() == attempt.url().scheme()
            && first.host_str() == attempt.url().host_str()
            && first.port_or_known_default() == attempt.url().port_or_known_default();
        if !same || attempt.previous().len() > 5 {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// Builds the HTTP client. Installs the rustls crypto provider first (reqwest panics without).
pub fn http_client(opts: ClientOptions) -> reqwest::Client {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .connect_timeout(opts.connect_timeout)
        .read_timeout(opts.stall_timeout)
        .redirect(same_host_redirects())
        .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
        .build()
        .or_else(|_| {
            reqwest::Client::builder()
                .redirect(same_host_redirects())
                .build()
        })
        .unwrap_or_default()
}
