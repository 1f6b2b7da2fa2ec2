//! The providers a command talks to: the config file's, with `--base-url` replacing the
//! default provider's address and `--demo` replacing everything with the built-in simulator.

use crate::cli::GlobalArgs;
use crate::config::file::FileConfig;
use crate::config::providers::{Kind, KindChoice, OPENROUTER, Provider, Registry};
use crate::config::{self, UsageError};
use crate::provider::Endpoint;
use crate::simulator::{SimConfig, Simulator};

/// The registry and, with `--demo`, the simulator it points at (keep it alive).
pub async fn registry(
    global: &GlobalArgs,
    file: &FileConfig,
) -> Result<(Registry, Option<Simulator>), UsageError> {
    if global.demo {
        let config = SimConfig {
            delay_scale: global.sim_delay_scale.unwrap_or(1.0),
            ..SimConfig::default()
        };
        let sim = Simulator::start(config, 0)
            .await
            .map_err(|e| UsageError::Invalid(format!("cannot start the demo simulator: {e}")))?;
        return Ok((demo_registry(&sim), Some(sim)));
    }
    let mut registry = Registry::single(config::endpoint_for(None, false)?);
    for p in &file.providers {
        registry.providers.retain(|q| q.name != p.name);
        registry.providers.push(p.clone());
    }
    registry.default = file
        .default_provider
        .clone()
        .unwrap_or_else(|| OPENROUTER.to_string());
    registry.model_routing = file.model_routing.clone();
    if let Some(url) = &global.base_url {
        let name = registry.default.clone();
        let index = registry.providers.iter().position(|q| q.name == name);
        let fresh = Registry::single(config::endpoint_for(Some(url), false)?)
            .providers
            .remove(0);
        let moved = match index {
            Some(i) => rebase(registry.providers.remove(i), fresh),
            None => Provider { name, ..fresh },
        };
        registry.providers.insert(0, moved);
    }
    Ok((registry, None))
}

/// The default provider at the address `--base-url` gives: its headers, prices, routing and
/// `local` stay; the kind follows the new address unless the config set it. The key is
/// `SWITCHBOARD_API_KEY` when set for the new host; else the configured key goes along
/// when the host stays the same, or when the provider is not OpenRouter (the user named that
/// key for this service); an OpenRouter key never follows to another host.
fn rebase(mut configured: Provider, fresh: Provider) -> Provider {
    let same_origin =
        origin_of(&configured.endpoint.base_url) == origin_of(&fresh.endpoint.base_url);
    let was_openrouter = configured.endpoint.kind == Kind::OpenRouter;
    configured.endpoint.base_url = fresh.endpoint.base_url.clone();
    if configured.kind_choice != KindChoice::Configured
        || configured.endpoint.kind == Kind::OpenRouter && !fresh.endpoint.is_openrouter()
    {
        configured.endpoint.kind = fresh.endpoint.kind;
        configured.kind_choice = fresh.kind_choice;
    }
    // The configured key stays at its own origin (scheme, host and port); it follows
    // elsewhere only for a provider that is not OpenRouter, and only over https.
    let https = fresh.endpoint.base_url.starts_with("https://");
    let keep_key = configured.key_configured && (same_origin || (!was_openrouter && https));
    if !keep_key || (!same_origin && fresh.endpoint.api_key.is_some()) {
        let to_openrouter = fresh.endpoint.is_openrouter();
        configured.endpoint.api_key = fresh.endpoint.api_key;
        configured.key_source = match (&configured.endpoint.api_key, to_openrouter) {
            (None, _) => "none".into(),
            (Some(_), true) => format!("${}", config::OPENROUTER_KEY_VAR),
            (Some(_), false) => format!("${}", config::OTHER_KEY_VAR),
        };
    }
    configured.local = Provider::is_free(
        configured.endpoint.kind,
        &configured.endpoint.base_url,
        configured.local_setting,
    );
    configured
}

fn origin_of(url: &str) -> Option<(String, String, Option<u16>)> {
    let u = reqwest::Url::parse(url).ok()?;
    Some((
        u.scheme().to_string(),
        u.host_str()?.to_ascii_lowercase(),
        u.port_or_known_default(),
    ))
}

/// The simulator stands in for OpenRouter: it reports costs and is not a free local server.
pub fn demo_registry(sim: &Simulator) -> Registry {
    let endpoint = Endpoint::new(&sim.base_url(), None).with_kind(Kind::OpenRouter);
    let mut registry = Registry::single(endpoint);
    registry.providers[0].local = false;
    registry
}

/// Whether any provider can be used: the default has a key or is not OpenRouter, or others
/// are configured.
pub fn usable(registry: &Registry) -> bool {
    let d = registry.default_provider();
    d.endpoint.api_key.is_some() || !d.endpoint.is_openrouter() || registry.providers.len() > 1
}

/// The config file, or exit status 2 with its error.
pub fn load_config() -> Result<FileConfig, UsageError> {
    crate::config::file::load(&crate::config::file::default_path())
        .map_err(|e| UsageError::Config(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::providers::build;

    #[test]
    fn base_url_keeps_the_configured_headers_prices_and_local_but_not_an_openrouter_key() {
        // SAFETY: the variable is unique to this test.
        unsafe { std::env::set_var("SWITCHBOARD_TEST_REBASE_KEY", "sk-configured") };
        let raw = |kind: &str| -> crate::config::providers::RawProvider {
            toml::from_str(&format!(
                "kind = \"{kind}\"\nbase_url = \"https://llm.corp.example/v1\"\nkey_env = \"SWITCHBOARD_TEST_REBASE_KEY\"\nlocal = false\nheaders = {{ X-Team = \"blue\" }}\n[prices]\n\"m\" = {{ input = 1, output = 2 }}"
            ))
            .unwrap()
        };
        let fresh = || {
            Registry::single(config::endpoint_for(Some("http://127.0.0.1:4000/v1"), false).unwrap())
                .providers
                .remove(0)
        };
        // A company gateway's own key follows it to another https address, not over http.
        let https = || {
            Registry::single(
                config::endpoint_for(Some("https://llm2.corp.example/v1"), false).unwrap(),
            )
            .providers
            .remove(0)
        };
        let gateway = rebase(
            build("work", &raw("openai-compatible"), true).unwrap(),
            https(),
        );
        assert_eq!(gateway.endpoint.api_key.unwrap().expose(), "sk-configured");
        let cleartext = rebase(
            build("work", &raw("openai-compatible"), true).unwrap(),
            fresh(),
        );
        assert!(
            cleartext.endpoint.api_key.is_none(),
            "never in cleartext elsewhere"
        );
        // An OpenRouter key does not follow to another host.
        let or = build("openrouter", &raw("openrouter"), true).unwrap();
        let moved = rebase(or, fresh());
        assert!(
            moved.endpoint.api_key.is_none(),
            "never sent to another host"
        );
        assert_eq!(moved.endpoint.base_url, "http://127.0.0.1:4000/v1");
        assert_eq!(
            moved.endpoint.extra_headers,
            vec![("X-Team".into(), "blue".into())]
        );
        assert!(moved.prices.contains_key("m"));
        assert!(!moved.local, "local = false stays, loopback or not");
        assert_eq!(
            moved.endpoint.kind,
            Kind::OpenAiCompatible,
            "an OpenRouter kind does not follow the key to another host"
        );
    }
}
