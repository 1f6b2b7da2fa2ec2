//! Providers: named endpoints (OpenRouter or any OpenAI-compatible server), where their keys
//! come from (an environment variable, a command, or the config file when it is private),
//! extra headers, price tables and routing. A model is named `provider:model`; a bare id goes
//! to the default provider.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::cost::{Pricing, Usd};
use crate::provider::dialects::guess;
use crate::provider::routing::{ProviderPrefs, Routing};
use crate::provider::{ApiKey, Endpoint, OPENROUTER_BASE};

pub use super::registry::Registry;
pub use crate::provider::{Kind, KindChoice};

pub const OPENROUTER: &str = "openrouter";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrice {
    /// Dollars per million input tokens.
    pub input: Usd,
    /// Dollars per million output tokens.
    pub output: Usd,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRouting {
    pub sort: Option<String>,
    pub order: Option<Vec<String>>,
    pub allow_fallbacks: Option<bool>,
    pub data_collection: Option<String>,
    pub zdr: Option<bool>,
    #[serde(default)]
    pub fallback_models: Vec<String>,
    pub middle_out: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub kind: Option<String>,
    pub base_url: Option<String>,
    pub key_env: Option<String>,
    pub key_command: Option<String>,
    pub key: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub prices: BTreeMap<String, RawPrice>,
    pub routing: Option<RawRouting>,
    /// Runs on hardware you pay for anyway: answers with no price are free, not unknown.
    pub local: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Provider {
    pub name: String,
    /// How `endpoint.kind` was chosen, for `doctor`.
    pub kind_choice: KindChoice,
    pub endpoint: Endpoint,
    /// Per-token prices from the config's table (it is written in $/M).
    pub prices: BTreeMap<String, Pricing>,
    pub routing: Routing,
    pub local: bool,
    /// `local` as the config set it; otherwise a loopback address decides.
    pub local_setting: Option<bool>,
    /// Where the key came from, for `doctor` (never the key itself).
    pub key_source: String,
    /// The config names this provider's key (key_env, key_command or key): it goes with the
    /// provider to whatever address `--base-url` gives it.
    pub key_configured: bool,
}

impl Provider {
    pub fn kind(&self) -> Kind {
        self.endpoint.kind
    }

    /// Whether its unpriced answers are free: `local = true`, or else a loopback address
    /// (a private-network address alone is not: gateways there bill real money).
    pub fn is_free(kind: Kind, base_url: &str, setting: Option<bool>) -> bool {
        setting.unwrap_or(kind != Kind::OpenRouter && is_loopback_url(base_url))
    }
}

impl RawRouting {
    pub fn check(&self) -> Result<Routing, String> {
        if let Some(s) = &self.sort
            && !matches!(s.as_str(), "price" | "throughput" | "latency")
        {
            return Err(format!(
                "sort must be price, throughput or latency, not {s:?}"
            ));
        }
        if let Some(d) = &self.data_collection
            && !matches!(d.as_str(), "allow" | "deny")
        {
            return Err(format!("data_collection must be allow or deny, not {d:?}"));
        }
        Ok(Routing {
            provider: ProviderPrefs {
                sort: self.sort.clone(),
                order: self.order.clone(),
                allow_fallbacks: self.allow_fallbacks,
                data_collection: self.data_collection.clone(),
                zdr: self.zdr,
            },
            fallback_models: self.fallback_models.clone(),
            middle_out: self.middle_out,
        })
    }
}

/// Whether a base URL points at this machine.
pub fn is_loopback_url(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    match u.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// How far a config file can be trusted with secrets and commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trust {
    /// Others can change it (not owned by the user, or group/world-writable): nothing in it
    /// may name a key or run a command.
    Open,
    /// Owned by the user, writable by nobody else, readable by others: it may run a
    /// `key_command`, but holds no key.
    Safe,
    /// Owned by the user and readable by nobody else: it may also hold keys.
    Private,
}

impl From<bool> for Trust {
    /// `true`: private; `false`: safe but readable by others.
    fn from(private: bool) -> Trust {
        if private { Trust::Private } else { Trust::Safe }
    }
}

/// How long a `key_command` may take (a password manager that asks for a passphrase).
pub const KEY_COMMAND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs a key command (`sh -c`) and returns its first line of output. Its prompts (on
/// stderr or the terminal) reach the user; it is stopped after [`KEY_COMMAND_TIMEOUT`].
pub fn key_from_command(command: &str) -> Result<ApiKey, String> {
    key_from_command_within(command, KEY_COMMAND_TIMEOUT)
}

fn key_from_command_within(command: &str, timeout: std::time::Duration) -> Result<ApiKey, String> {
    use std::io::Read;
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("key_command could not run: {e}"))?;
    let deadline = std::time::Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "key_command gave no key within {:.1} s and was stopped",
                    timeout.as_secs_f64()
                ));
            }
            Err(e) => return Err(format!("key_command could not be waited for: {e}")),
        }
    };
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
    if !status.success() {
        return Err(format!(
            "key_command failed ({status}); its messages are above"
        ));
    }
    ApiKey::new(stdout.lines().next().unwrap_or(""))
        .ok_or_else(|| "key_command printed no key".to_string())
}

/// Builds a provider from its config, as far as the file it came from can be trusted.
pub fn build(name: &str, raw: &RawProvider, trust: impl Into<Trust>) -> Result<Provider, String> {
    let trust = trust.into();
    let private_file = trust == Trust::Private;
    let (kind, kind_choice) = match (raw.kind.as_deref(), &raw.base_url) {
        (Some(k), _) => match Kind::parse(k) {
            Some(kind) => (kind, KindChoice::Configured),
            None => return Err(format!("kind must be one of {}, not {k:?}", Kind::names())),
        },
        (None, None) if name == OPENROUTER => (Kind::OpenRouter, KindChoice::Configured),
        (None, Some(u)) => guess(u),
        (None, None) => return Err("base_url is missing".into()),
    };
    let base = match (&raw.base_url, kind) {
        (Some(u), _) => super::check_base_url(u).map_err(|e| e.to_string())?,
        (None, Kind::OpenRouter) => OPENROUTER_BASE.to_string(),
        (None, _) => return Err("base_url is missing".into()),
    };
    let sources = [
        raw.key_env.is_some(),
        raw.key_command.is_some(),
        raw.key.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() > 1 {
        return Err("give one of key_env, key_command or key, not several".into());
    }
    // A file others can change could point a named key at any host.
    if trust == Trust::Open && sources.iter().any(|s| *s) {
        return Err("names a key but others can change the file: it must be yours and writable by you alone (chmod go-w)".into());
    }
    let (api_key, key_source) = if let Some(var) = &raw.key_env {
        (
            std::env::var(var).ok().and_then(ApiKey::new),
            format!("${var}"),
        )
    } else if let Some(cmd) = &raw.key_command {
        (Some(key_from_command(cmd)?), "key_command".to_string())
    } else if let Some(k) = &raw.key {
        if !private_file {
            return Err("holds a key but the file is readable by others: chmod 600 it, or use key_env or key_command".into());
        }
        (ApiKey::new(k.clone()), "the config file".to_string())
    } else if kind == Kind::OpenRouter && Endpoint::new(&base, None).is_openrouter() {
        // The OpenRouter key goes to OpenRouter only: another host must name its own key.
        (
            std::env::var(super::OPENROUTER_KEY_VAR)
                .ok()
                .and_then(ApiKey::new),
            format!("${}", super::OPENROUTER_KEY_VAR),
        )
    } else {
        (None, "none".to_string())
    };
    let mut endpoint = Endpoint::new(&base, api_key).with_kind(kind);
    endpoint.extra_headers = raw
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (h, _) in &endpoint.extra_headers {
        if h.eq_ignore_ascii_case("authorization") {
            return Err(
                "headers may not set Authorization: use key_env, key_command or key".into(),
            );
        }
        let lower = h.to_ascii_lowercase();
        let secret = ["key", "token", "auth", "secret", "cookie"]
            .iter()
            .any(|w| lower.contains(w));
        if secret && !private_file {
            return Err(format!(
                "header {h:?} looks like a secret but the file is readable by others: chmod 600 it"
            ));
        }
        reqwest::header::HeaderName::from_bytes(h.as_bytes())
            .map_err(|_| format!("header name {h:?} is not valid"))?;
    }
    let per_token = |usd: Usd| Usd::from_atto(usd.atto() / 1_000_000);
    let prices = raw
        .prices
        .iter()
        .map(|(m, p)| {
            (
                m.clone(),
                Pricing {
                    prompt: per_token(p.input),
                    completion: per_token(p.output),
                    ..Pricing::default()
                },
            )
        })
        .collect();
    let routing = match &raw.routing {
        Some(r) => r.check().map_err(|e| format!("routing: {e}"))?,
        None => Routing::default(),
    };
    Ok(Provider {
        name: name.to_string(),
        kind_choice,
        local: Provider::is_free(kind, &base, raw.local),
        local_setting: raw.local,
        endpoint,
        prices,
        routing,
        key_source,
        key_configured: sources.iter().any(|s| *s),
    })
}

#[cfg(test)]
mod tests;
