//! Assembles the playground: config, endpoint, cached catalog, preferences and the initial
//! state, then hands over to the runtime.

use tokio::sync::mpsc;

use crate::catalog::Catalog;
use crate::chat::Params;
use crate::cli::Cli;
use crate::config::providers::Registry;
use crate::config::{self, UsageError, file};
use crate::cost::Usd;
use crate::provider::{StreamOptions, http_client};
use crate::runtime::saver::Saver;
use crate::runtime::{self, Effects};
use crate::state::{Effect, Init, Msg, State};
use crate::storage::prefs::Prefs;
use crate::storage::{index, session};
use crate::theme::{self, Theme};
use crate::{paths, setup};

/// What OpenRouter users see before they pick their own.
pub const DEFAULT_MODELS: [&str; 3] = [
    "openai/gpt-4.1-mini",
    "anthropic/claude-sonnet-4.5",
    "google/gemini-2.5-flash",
];
/// The catalog is refreshed in the background when the cached copy is older than this.
pub const CATALOG_FRESH: std::time::Duration = std::time::Duration::from_secs(3600);
pub use crate::simulator::DEMO_MODELS;

/// Every provider's cached catalog, merged; `None` when none was cached yet.
fn cached_catalog(registry: &Registry, cache_dir: &std::path::Path) -> Option<Catalog> {
    let mut merged: Option<Catalog> = None;
    for p in &registry.providers {
        let Some(c) = Catalog::load_cached(cache_dir, &p.endpoint.base_url) else {
            continue;
        };
        let c = c.for_provider(&p.name, p.name != registry.default, &p.prices);
        match &mut merged {
            Some(m) => {
                m.models.extend(c.models);
                m.fetched_at = m.fetched_at.min(c.fetched_at);
            }
            None => merged = Some(c),
        }
    }
    merged
}

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

/// The judge: `--judge MODEL` (with the config's template, if any), else the config's.
pub fn judge_config(
    flag: Option<&str>,
    file: &file::FileConfig,
) -> Result<Option<crate::judge::JudgeConfig>, UsageError> {
    match flag {
        Some(model) => {
            crate::judge::JudgeConfig::new(model, file.judge.as_ref().map(|j| j.template.clone()))
                .map(Some)
                .map_err(|e| UsageError::Invalid(format!("--judge: {e}")))
        }
        None => Ok(file.judge.clone()),
    }
}

/// The colour depth: `--colors`, else the config's `colors`, else what the terminal says.
pub fn colour_depth(
    cli: &Cli,
    file: &file::FileConfig,
) -> Result<(crate::colors::Depth, String), UsageError> {
    let flag = match &cli.global.colors {
        Some(c) => crate::colors::Depth::parse(c).map_err(UsageError::Invalid)?,
        None => None,
    };
    Ok(match (flag, file.colors) {
        (Some(d), _) => crate::colors::choose(Some(d), "--colors"),
        (None, Some(d)) => crate::colors::choose(Some(d), "colors in the config"),
        (None, None) => crate::colors::detect_env(),
    })
}

pub async fn playground(cli: &Cli) -> Result<i32, UsageError> {
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return Err(UsageError::Invalid(
            "the playground needs a full-screen terminal, and TERM=dumb is not one: `switchboard run -m MODEL \"prompt\"` prints answers as plain text".into(),
        ));
    }
    config::check_round(&cli.round)?;
    config::check_models(&cli.models)?;
    // Read before the terminal is taken: keys then come from /dev/tty (crossterm opens it
    // when standard input is not a terminal).
    let piped = crate::headless::read_piped()?;
    let client_opts = config::client_options(&cli.global)?;
    let file = file::load(&file::default_path()).map_err(|e| UsageError::Config(e.to_string()))?;
    let budget = budget(cli, &file)?;
    let delay_scale = cli.global.sim_delay_scale.unwrap_or(1.0);
    let (registry, sim) = setup::registry(&cli.global, &file).await?;
    let welcome = !setup::usable(&registry);
    let base_url = registry.default_provider().endpoint.base_url.clone();
    let cache_dir = paths::cache_dir();
    let data_dir = paths::data_dir();
    let files = crate::headless::read_files(
        &cli.round.files,
        Some(&crate::storage::blobs::blobs_dir(&data_dir)),
    )?;
    let (msg_tx, msg_rx) = mpsc::unbounded_channel();
    let prefs = Prefs::load(&data_dir);
    let prefs_base = prefs.clone();
    let models = if welcome {
        Vec::new()
    } else if !cli.models.is_empty() {
        cli.models.clone()
    } else if !file.models.is_empty() && !cli.global.demo {
        file.models.clone()
    } else if let Some(last) = prefs
        .last_models
        .get(crate::storage::prefs::endpoint_key(
            cli.global.demo,
            &base_url,
        ))
        .filter(|m| !m.is_empty())
    {
        last.clone()
    } else if cli.global.demo {
        DEMO_MODELS.map(String::from).to_vec()
    } else if registry.default_provider().endpoint.is_openrouter() {
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
        blind: cli.blind || file.blind,
        judge: judge_config(cli.judge.as_deref(), &file)?,
        keymap: file.keymap.clone(),
        prefs,
        catalog: if cli.global.demo {
            None
        } else {
            cached_catalog(&registry, &cache_dir)
        },
        system: cli.round.system.clone().or(file.system.clone()),
        params: Params {
            temperature: cli.round.temperature.or(file.params.temperature),
            max_tokens: cli.round.max_tokens.or(file.params.max_tokens),
            reasoning_effort: file.params.reasoning_effort.clone(),
        },
        price_tables: registry.price_tables(),
        local_prefixes: registry.local_prefixes(),
        on_overflow: file.on_overflow,
        middle_out: registry.middle_out(),
        borrowing: registry.borrowing(&cache_dir),
        provider_prefixes: registry
            .providers
            .iter()
            .filter(|p| p.name != registry.default)
            .map(|p| format!("{}:", p.name))
            .collect(),
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
    let ready = !welcome;
    let effects = Effects::new(
        http_client(client_opts),
        ready.then_some(registry),
        StreamOptions::remembering(&cache_dir),
        stream_tx,
        msg_tx.clone(),
        cache_dir,
        data_dir,
        sim,
        delay_scale,
    )
    .with_prefs_base(prefs_base);
    let theme_name = cli
        .global
        .theme
        .as_deref()
        .or(file.theme.as_deref())
        .unwrap_or(theme::DEFAULT_THEME);
    let (depth, _) = colour_depth(cli, &file)?;
    // NO_COLOR is one of the inputs of the depth; an explicit --colors wins over it.
    let (theme, theme_warning) = Theme::load(
        theme_name,
        &paths::config_dir().join("themes"),
        depth == crate::colors::Depth::Mono,
    );
    let theme = theme.at_depth(depth);
    let mut initial = Vec::new();
    if let Some(w) = theme_warning {
        initial.push(Msg::Failed(w));
    }
    initial.extend(notices.into_iter().map(Msg::Failed));
    let mut first_effects = Vec::new();
    if ready {
        let stale = state
            .catalog
            .as_ref()
            .is_none_or(|c| c.age() > CATALOG_FRESH);
        if stale {
            first_effects.push(Effect::FetchCatalog);
        }
        first_effects.push(Effect::FetchKeyInfo);
        if !files.is_empty() {
            let results = files
                .into_iter()
                .map(|mut a| {
                    a.data = None;
                    (a.name.clone(), Ok(a))
                })
                .collect();
            initial.push(Msg::Attached {
                results,
                send: None,
            });
        }
        match (cli.prompt.as_deref(), &piped) {
            // `-` says the piped text is the prompt itself, as in `run`.
            (Some("-"), Some(piped)) => initial.push(Msg::Submit(piped.clone())),
            (Some("-"), None) => {
                return Err(UsageError::Invalid(
                    "`-` reads the prompt from standard input, and nothing was piped".into(),
                ));
            }
            (Some(prompt), Some(piped)) => {
                initial.push(Msg::Submit(crate::chat::attach::with_stdin(prompt, piped)))
            }
            (Some(prompt), None) => initial.push(Msg::Submit(prompt.to_string())),
            // No question yet: the piped text waits in the editor, the question to follow it.
            (None, Some(piped)) => {
                let block = crate::chat::attach::fenced("stdin", piped);
                initial.push(Msg::Paste(format!("{block}\n\n")));
            }
            (None, None) => {}
        }
    }
    if !ready && piped.is_some() {
        // The first screen asks for a key or the demo first: say so rather than drop it.
        initial.push(Msg::Failed(
            "standard input was not used: set a key or pick the demo, then pipe it again".into(),
        ));
    } else if !ready && !cli.round.files.is_empty() {
        initial.push(Msg::Failed(
            "the -f files were not attached: set a key or pick the demo, then start again with them".into(),
        ));
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
