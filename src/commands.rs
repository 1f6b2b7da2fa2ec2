//! The small subcommands: `models` (catalog listing) and `simulate` (standalone simulator).

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::catalog::{Catalog, ModelInfo};
use crate::cli::{ModelsArgs, SimulateArgs};
use crate::config::UsageError;
use crate::config::providers::Registry;
use crate::cost::Usd;
use crate::provider::Endpoint;
use crate::sanitize::single_line;
use crate::simulator::{Fault, SimConfig, SimDialect, Simulator};

const FRESH: Duration = Duration::from_secs(3600);

fn age_words(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// The catalog: the cached copy when fresh, otherwise fetched (falling back to the cache).
pub async fn load_catalog(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    cache_dir: &Path,
    refresh: bool,
) -> Result<Catalog, String> {
    let cached = Catalog::load_cached(cache_dir, &endpoint.base_url);
    if let Some(c) = &cached
        && !refresh
        && c.age() < FRESH
    {
        return Ok(cached.unwrap_or_else(|| unreachable!()));
    }
    match Catalog::fetch(client, endpoint).await {
        Ok(catalog) => {
            if let Err(e) = catalog.save(cache_dir) {
                eprintln!("warning: {e}");
            }
            Ok(catalog)
        }
        Err(e) => match cached {
            Some(c) => {
                eprintln!(
                    "offline: {e}; showing the cached catalog from {} ago",
                    age_words(c.age())
                );
                Ok(c)
            }
            None => Err(e.to_string()),
        },
    }
}

fn per_million(price: Option<Usd>) -> String {
    match price {
        None => "-".to_string(),
        Some(p) if p.is_zero() => "free".to_string(),
        Some(p) => format!("${}", p.per_million().display_price()),
    }
}

#[derive(Serialize)]
struct ModelRow<'a> {
    #[serde(flatten)]
    info: &'a ModelInfo,
    #[serde(serialize_with = "crate::cost::as_json_number_opt")]
    input_per_million: Option<Usd>,
    #[serde(serialize_with = "crate::cost::as_json_number_opt")]
    output_per_million: Option<Usd>,
}

/// Every provider's catalog, merged with qualified ids (`ollama:llama3.2`).
pub async fn models(
    client: &reqwest::Client,
    registry: &Registry,
    cache_dir: &Path,
    args: &ModelsArgs,
) -> i32 {
    let mut merged = Catalog {
        base_url: String::new(),
        fetched_at: 0,
        models: Vec::new(),
    };
    let mut failed = 0;
    for p in &registry.providers {
        match load_catalog(client, &p.endpoint, cache_dir, args.refresh).await {
            Ok(c) => merged.models.extend(c.models.into_iter().map(|mut m| {
                m.id = registry.qualified(&p.name, &m.id);
                if let Some(price) = p
                    .prices
                    .get(&m.id)
                    .or_else(|| p.prices.get(m.id.split_once(':').map_or("", |x| x.1)))
                {
                    m.pricing = Some(price.clone());
                }
                m
            })),
            Err(e) => {
                failed += 1;
                eprintln!("error: provider {}: {e}", p.name);
            }
        }
    }
    if failed == registry.providers.len() {
        return 1;
    }
    print_models(&merged, args)
}

/// `switchboard account`: the default OpenRouter key's credit.
pub async fn account(client: &reqwest::Client, registry: &Registry) -> i32 {
    let p = registry.default_provider();
    match crate::provider::account::fetch_key_info(client, &p.endpoint).await {
        Ok(info) => {
            let show = |u: Option<Usd>| u.map_or("-".to_string(), |u| u.display());
            println!("provider   {} ({})", p.name, p.endpoint.base_url);
            println!(
                "key        {}",
                info.label.as_deref().map_or("-".into(), single_line)
            );
            println!("used       {}", show(info.usage));
            println!(
                "limit      {}",
                info.limit.map_or("none".to_string(), |u| u.display())
            );
            println!(
                "remaining  {}",
                info.remaining
                    .map_or("no limit".to_string(), |u| u.display())
            );
            0
        }
        Err(e) => {
            eprintln!("error: {}", e.message);
            1
        }
    }
}

/// Prints the catalog filtered by the query; returns the exit status.
pub fn print_models(catalog: &Catalog, args: &ModelsArgs) -> i32 {
    let query = args.query.as_deref().unwrap_or("");
    let mut models: Vec<&ModelInfo> = catalog.search(query).collect();
    models.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<ModelRow<'_>> = models
            .iter()
            .map(|m| ModelRow {
                info: m,
                input_per_million: m.pricing.as_ref().map(|p| p.prompt.per_million()),
                output_per_million: m.pricing.as_ref().map(|p| p.completion.per_million()),
            })
            .collect();
        let _ = serde_json::to_writer_pretty(&mut out, &rows);
        let _ = writeln!(out);
        return 0;
    }
    let mut rows = vec![[
        "ID".to_string(),
        "NAME".to_string(),
        "$/M IN".to_string(),
        "$/M OUT".to_string(),
        "CONTEXT".to_string(),
    ]];
    for m in &models {
        rows.push([
            single_line(&m.id).into_owned(),
            single_line(&m.name).chars().take(40).collect(),
            per_million(m.pricing.as_ref().map(|p| p.prompt)),
            per_million(m.pricing.as_ref().map(|p| p.completion)),
            m.context_length.map_or("-".to_string(), |c| c.to_string()),
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in &rows {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4]
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if models.is_empty() {
        let _ = writeln!(out, "no model matches {query:?}");
    }
    0
}

/// `switchboard simulate`: serves until Ctrl-C.
pub async fn simulate(args: &SimulateArgs) -> Result<i32, UsageError> {
    let config_dialect = SimDialect::parse(&args.dialect).unwrap_or_default();
    let mut faults = Vec::new();
    for spec in &args.fault {
        let parsed = spec
            .split_once('=')
            .and_then(|(model, kind)| Some((model.to_string(), Fault::parse(kind)?)));
        match parsed {
            Some(f) => faults.push(f),
            None => {
                return Err(UsageError::Invalid(format!(
                    "--fault {spec:?}: expected MODEL=KIND[@TOKENS], KIND one of 401 402 429 500 502 503 html portal inband drop cut stall malformed split-utf8"
                )));
            }
        }
    }
    if !(args.delay_scale.is_finite() && args.delay_scale >= 0.0) {
        return Err(UsageError::Invalid(
            "--delay-scale must be 0 or more".into(),
        ));
    }
    let config = SimConfig {
        delay_scale: args.delay_scale,
        faults,
        local: args.local,
        dialect: config_dialect,
        ..SimConfig::default()
    };
    let sim = Simulator::start(config, args.port).await.map_err(|e| {
        UsageError::Invalid(format!("cannot listen on 127.0.0.1:{}: {e}", args.port))
    })?;
    println!("switchboard simulator listening on {}", sim.base_url());
    let aliases = config_dialect.aliases();
    let models = if aliases.is_empty() {
        "-m sim/swift-mini -m sim/sage-large".to_string()
    } else {
        aliases
            .iter()
            .map(|(a, _)| format!("-m {a}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "try: switchboard run --base-url {} {models} \"hello\"",
        sim.base_url()
    );
    let _ = std::io::stdout().flush();
    tokio::select! {
        _ = sim.wait() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(0)
}
