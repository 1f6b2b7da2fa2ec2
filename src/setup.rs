//! The providers a command talks to: the config file's, with `--base-url` replacing the
//! default provider's address and `--demo` replacing everything with the built-in simulator.

use crate::cli::GlobalArgs;
use crate::config::file::FileConfig;
use crate::config::providers::{Kind, OPENROUTER, Registry};
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
        let endpoint = config::endpoint_for(Some(url), false)?;
        let name = registry.default.clone();
        let mut single = Registry::single(endpoint).providers.remove(0);
        single.name = name.clone();
        registry.providers.retain(|q| q.name != name);
        registry.providers.insert(0, single);
    }
    Ok((registry, None))
}

/// The simulator stands in for OpenRouter: it reports costs and is not a free local server.
pub fn demo_registry(sim: &Simulator) -> Registry {
    let mut registry = Registry::single(Endpoint::new(&sim.base_url(), None));
    registry.providers[0].kind = Kind::OpenRouter;
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
