//! Resolved settings: which endpoint, which key, which timeouts, from flags, environment and
//! the config file.

pub mod file;
pub mod providers;
mod registry;

use std::time::Duration;

use crate::cli::{GlobalArgs, RoundArgs};
use crate::provider::{ApiKey, ClientOptions, Endpoint, OPENROUTER_BASE};

/// The environment variable holding the OpenRouter key.
pub const OPENROUTER_KEY_VAR: &str = "OPENROUTER_API_KEY";
/// The key for any other endpoint given with `--base-url`. The OpenRouter key is never sent
/// to another host.
pub const OTHER_KEY_VAR: &str = "SWITCHBOARD_API_KEY";

/// A mistake in how switchboard was called; exits with status 2.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error(
        "no API key: set {OPENROUTER_KEY_VAR}, or point --base-url at a local endpoint, or try --demo"
    )]
    MissingKey,
    #[error("--base-url {0:?} is not an http(s) URL")]
    BadUrl(String),
    #[error("{0}")]
    Invalid(String),
    #[error("config: {0}")]
    Config(String),
}

/// Validates a base URL and drops its trailing slash.
pub fn check_base_url(url: &str) -> Result<String, UsageError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| UsageError::BadUrl(url.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(UsageError::BadUrl(url.to_string()));
    }
    // A password in the URL would be saved with every session and shown in the status bar.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(UsageError::Invalid(format!(
            "the URL for {} holds a user or password; give the key with an environment variable or key_command instead",
            parsed.host_str().unwrap_or("that host")
        )));
    }
    Ok(url.trim_end_matches('/').to_string())
}

fn env_key(var: &str) -> Option<ApiKey> {
    std::env::var(var).ok().and_then(ApiKey::new)
}

/// The endpoint for a base URL (default OpenRouter), with the key meant for that host.
/// `require_key` makes a missing OpenRouter key an error.
pub fn endpoint_for(base_url: Option<&str>, require_key: bool) -> Result<Endpoint, UsageError> {
    let base = match base_url {
        Some(url) => check_base_url(url)?,
        None => OPENROUTER_BASE.to_string(),
    };
    let mut endpoint = Endpoint::new(&base, None);
    endpoint.api_key = if endpoint.is_openrouter() {
        env_key(OPENROUTER_KEY_VAR)
    } else {
        env_key(OTHER_KEY_VAR)
    };
    if require_key && endpoint.is_openrouter() && endpoint.api_key.is_none() {
        return Err(UsageError::MissingKey);
    }
    Ok(endpoint)
}

pub fn client_options(global: &GlobalArgs) -> Result<ClientOptions, UsageError> {
    let secs = global.stall_timeout;
    if !(secs.is_finite() && secs > 0.0) {
        return Err(UsageError::Invalid(format!(
            "--stall-timeout must be a positive number of seconds, not {secs}"
        )));
    }
    Ok(ClientOptions {
        stall_timeout: Duration::from_secs_f64(secs),
        ..ClientOptions::default()
    })
}

/// Checks the `-m` list against the pane limit.
pub fn check_models(models: &[String]) -> Result<(), UsageError> {
    crate::chat::check_pane_count(models.len())
        .map_err(|e| UsageError::Invalid(format!("too many -m: {e}")))
}

/// Checks the round flags.
pub fn check_round(round: &RoundArgs) -> Result<(), UsageError> {
    if let Some(t) = round.temperature
        && !(0.0..=2.0).contains(&t)
    {
        return Err(UsageError::Invalid(format!(
            "--temperature must be between 0 and 2, not {t}"
        )));
    }
    if round.max_tokens == Some(0) {
        return Err(UsageError::Invalid(
            "--max-tokens must be at least 1".into(),
        ));
    }
    Ok(())
}

/// What a send does when a pane's request would not fit its model's context.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnOverflow {
    /// Open the dialog.
    #[default]
    Ask,
    /// Leave out the oldest rounds of that pane's history until it fits.
    Trim,
    /// Send it whole; the provider decides.
    Send,
}

impl OnOverflow {
    pub fn parse(text: &str) -> Result<OnOverflow, String> {
        match text {
            "ask" => Ok(OnOverflow::Ask),
            "trim" => Ok(OnOverflow::Trim),
            "send" => Ok(OnOverflow::Send),
            other => Err(format!("must be ask, trim or send, not {other:?}")),
        }
    }
}
