//! Assembles the playground: config, endpoint, cached catalog, preferences and the initial
//! state, then hands over to the runtime.

use tokio::sync::mpsc;

use crate::catalog::Catalog;
use crate::chat::Params;
use crate::cli::Cli;
use crate::config::{self, UsageError, file};
use crate::cost::Usd;
use crate::provider::{Endpoint, StreamOptions, http_client};
use crate::runtime::saver::Saver;
use crate::runtime::{self, Effects};
use crate::simulator::{SimConfig, Simulator};
use crate::state::{Effect, Init, Msg, State};
use crate::storage::prefs::Prefs;
use crate::storage::{index, session};
use crate::theme::{self, Theme};
use crate::{paths, provider};

/// What OpenRouter users see before they pick their own.
pub const DEFAULT_MODELS: [&str; 3] = [
    "openai/gpt-4.1-mini",
    "anthropic/claude-sonnet-4.5",
    "google/gemini-2.5-flash",
];
/// The catalog is refreshed in the background when the cached copy is older than this.
pub const CATALOG_FRESH: std::time::Duration = std::time::Duration::from_secs(3600);
pub const DEMO_MODELS: [&str; 3] = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"];

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn budget(cli: &Cli, file: &file::FileConfig) -> Result<Option<Usd>, UsageError> {
    match &cli.max_cost {
        Some(text) => match Usd::parse(text) {
            Ok(usd) if !usd.is_negative() && !usd.is_zero() => Ok(Some(usd)),
            _ => Err(UsageError::Invalid(format!(
                "--max-cost must be a positive number of dollars, not {text:?}"
            ))),
        },
        None => Ok(file.max_cost),
    }
}

pub async fn playground(cli: &Cli) -> Result<i32, UsageError> {
    config::check_round(&cli.round)?;
    let client_opts = config::client_options(&cli.global)?;
    let file = file::load(&file::default_path()).map_err(|e| UsageError::Config(e.to_string()))?;
    let budget = budget(cli, &file)?;
    let delay_scale = cli.global.sim_delay_scale.unwrap_or(1.0);
    let (endpoint, sim, welcome) = if cli.global.demo {
        let config = SimConfig {
            delay_scale,
            ..SimConfig::default()
        };
        let sim = Simulator::start(config, 0)
            .await
            .map_err(|e| UsageError::Invalid(format!("cannot start the demo simulator: {e}")))?;
        (Some(Endpoint::new(&sim.base_url(), None)), Some(sim), false)
    } else {
        let endpoint = config::endpoint_for(cli.global.base_url.as_deref(), false)?;
        let welcome = endpoint.is_openrouter() && endpoint.api_key.is_none();
        (Some(endpoint).filter(|_| !welcome), None, welcome)
    };
    let base_url = endpoint.as_ref().map_or_else(
        || provider::OPENROUTER_BASE.to_string(),
        |e| e.base_url.clone(),
    );
    let cache_dir = paths::cache_dir();
    let data_dir = paths::data_dir();
    let (msg_tx, msg_rx) = mpsc::unbounded_channel();
    let prefs = Prefs::load(&data_dir);
    let models = if !cli.models.is_empty() {
        cli.models.clone()
    } else if !file.models.is_empty() && !cli.global.demo {
        file.models.clone()
    } else if let Some(last) = prefs.last_models.get(&base_url).filter(|m| !m.is_empty()) {
        last.clone()
    } else if cli.global.demo {
        DEMO_MODELS.map(String::from).to_vec()
    } else if endpoint.as_ref().is_some_and(Endpoint::is_openrouter) {
        DEFAULT_MODELS.map(String::from).to_vec()
    } else {
        Vec::new()
    };
    let sessions_dir = session::sessions_dir(&data_dir);
    let wall_ms = now_ms();
    let mut notices = Vec::new();
    let mut saver = Saver::new(sessions_dir.clone(), msg_tx.clone());
    let resume = if cli.resume_last {
        match index::latest(&sessions_dir) {
            Some(s) => Some(index::find(&sessions_dir, &s.id).map_err(UsageError::Invalid)?),
            None => {
                notices.push("no saved session yet: starting a new one".to_string());
                None
            }
        }
    } else {
        match &cli.session {
            Some(id) => Some(index::find(&sessions_dir, id).map_err(UsageError::Invalid)?),
            None => None,
        }
    };
    let resume = resume.map(|mut s| {
        if !saver.lock(&s.id) {
            notices.push(
                "that session is open in another switchboard: continuing in a copy".to_string(),
            );
            s.id = session::new_id(wall_ms, &sessions_dir);
            s.title = format!("{} (copy)", s.title);
        }
        s
    });
    let models = match &resume {
        Some(s) if !s.models.is_empty() => s.models.clone(),
        _ => models,
    };
    let init = Init {
        models,
        base_url: base_url.clone(),
        demo: cli.global.demo,
        welcome,
        budget,
        keymap: file.keymap.clone(),
        prefs,
        catalog: Catalog::load_cached(&cache_dir, &base_url),
        system: cli.round.system.clone(),
        params: Params {
            temperature: cli.round.temperature,
            max_tokens: cli.round.max_tokens,
            reasoning_effort: None,
        },
        size: crossterm::terminal::size().unwrap_or((80, 24)),
        wall_ms,
        session_id: session::new_id(wall_ms, &sessions_dir),
        resume,
    };
    let mut state = State::new(init);
    if let Some(mouse) = file.mouse {
        state.mouse = mouse;
    }
    let (stream_tx, stream_rx) = mpsc::channel(1024);
    let effects = Effects::new(
        http_client(client_opts),
        endpoint.clone(),
        StreamOptions::default(),
        stream_tx,
        msg_tx.clone(),
        cache_dir,
        data_dir,
        sim,
        delay_scale,
    );
    let theme_name = cli
        .global
        .theme
        .as_deref()
        .or(file.theme.as_deref())
        .unwrap_or(theme::DEFAULT_THEME);
    let (theme, theme_warning) = Theme::load(
        theme_name,
        &paths::config_dir().join("themes"),
        theme::no_color(),
    );
    let mut initial = Vec::new();
    if let Some(w) = theme_warning {
        initial.push(Msg::Failed(w));
    }
    initial.extend(notices.into_iter().map(Msg::Failed));
    let mut first_effects = Vec::new();
    if endpoint.is_some() {
        let stale = state
            .catalog
            .as_ref()
            .is_none_or(|c| c.age() > CATALOG_FRESH);
        if stale {
            first_effects.push(Effect::FetchCatalog);
        }
        first_effects.push(Effect::FetchKeyInfo);
        if let Some(prompt) = &cli.prompt {
            initial.push(Msg::Submit(prompt.clone()));
        }
    }
    runtime::run(
        state,
        effects,
        saver,
        msg_rx,
        stream_rx,
        initial,
        first_effects,
        theme,
    )
    .await
    .map_err(|e| UsageError::Invalid(format!("terminal error: {e}")))?;
    Ok(0)
}
