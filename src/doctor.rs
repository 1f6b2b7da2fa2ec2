//! `switchboard doctor`: one line per check, with a fix where something is wrong; exit status
//! 0 when everything is fine.

use std::io::IsTerminal;

use crate::catalog::Catalog;
use crate::clipboard::{Env, Mux, Route};
use crate::config::providers::{Kind, Provider, Registry};
use crate::provider::account::fetch_key_info;

#[derive(Default)]
pub struct Report {
    lines: Vec<String>,
    failed: bool,
}

impl Report {
    fn ok(&mut self, what: &str, detail: impl AsRef<str>) {
        self.lines.push(format!("✓ {what}: {}", detail.as_ref()));
    }
    fn warn(&mut self, what: &str, detail: impl AsRef<str>) {
        self.lines.push(format!("⚠ {what}: {}", detail.as_ref()));
    }
    fn fail(&mut self, what: &str, detail: impl AsRef<str>, fix: &str) {
        self.failed = true;
        self.lines
            .push(format!("✗ {what}: {} — fix: {fix}", detail.as_ref()));
    }

    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }

    pub fn failed(&self) -> bool {
        self.failed
    }
}

async fn check_provider(r: &mut Report, client: &reqwest::Client, p: &Provider) {
    let what = format!(
        "provider {} ({}; kind {}, {})",
        p.name,
        p.endpoint.base_url,
        p.kind(),
        p.kind_choice
    );
    if p.kind() == Kind::OpenRouter {
        if p.endpoint.api_key.is_none() && p.endpoint.is_openrouter() {
            r.fail(
                &what,
                "no API key",
                "export OPENROUTER_API_KEY=sk-or-... (or give key_env/key_command in the config)",
            );
            return;
        }
        match fetch_key_info(client, &p.endpoint).await {
            Ok(info) => {
                let credit = match (info.remaining, info.usage) {
                    (Some(left), _) => format!("{} left", left.display()),
                    (None, Some(used)) => format!("{} used, no limit", used.display()),
                    _ => "credit unknown".into(),
                };
                let from = if p.key_source.is_empty() {
                    "no key needed".to_string()
                } else {
                    format!("key from {}", p.key_source)
                };
                r.ok(&what, format!("reachable, key accepted ({credit}); {from}"))
            }
            Err(e) if e.code == Some(401) => r.fail(
                &what,
                &e.message,
                &format!("check the key (it comes from {})", p.key_source),
            ),
            Err(e) => r.fail(
                &what,
                &e.message,
                "check the address and that the service is up",
            ),
        }
        return;
    }
    match crate::catalog::listing::list(client, &p.endpoint).await {
        Ok(models) => {
            let n = models.len();
            let cost = if p.local {
                "answers count as free (local)".to_string()
            } else if !p.prices.is_empty() {
                "priced from the config's table".to_string()
            } else if let Some(prefix) = p.kind().dialect().catalog_prefix {
                format!(
                    "no cost reported: priced from OpenRouter's catalog as {prefix}MODEL where it lists the model, else unpriced"
                )
            } else {
                "no prices: costs show as unknown (set prices, or local = true for your own hardware)".to_string()
            };
            r.ok(&what, format!("reachable, {n} models; {cost}"));
        }
        Err(crate::catalog::CatalogError::Fetch(e)) if e.code.is_some() => {
            let fix = if e.code == Some(401) {
                "check the key (key_env or key_command in the config)"
            } else {
                "check base_url"
            };
            r.fail(&what, &e.message, fix);
        }
        Err(crate::catalog::CatalogError::Fetch(e)) => {
            r.fail(&what, &e.message, "start the server or fix base_url")
        }
        Err(e) => r.fail(&what, e.to_string(), "check base_url and kind"),
    }
}

fn terminal(r: &mut Report, (depth, why): (crate::colors::Depth, String)) {
    r.ok(
        "colours",
        format!(
            "{} ({why}; --colors or colors = \"…\" in the config changes it)",
            depth.describe()
        ),
    );
    if !std::io::stdout().is_terminal() {
        r.warn(
            "terminal",
            "standard output is not a terminal (size and keyboard checks skipped)",
        );
        return;
    }
    let (w, h) = crossterm::terminal::size().unwrap_or((0, 0));
    let kitty = std::io::stdin().is_terminal()
        && crossterm::terminal::supports_keyboard_enhancement().unwrap_or(false);
    let keys = if kitty {
        "kitty keyboard protocol: yes (Shift-Enter inserts a newline)"
    } else {
        "kitty keyboard protocol: no (Alt-Enter or Ctrl-J insert a newline)"
    };
    let detail = format!("{w}x{h}, {keys}");
    if w < 80 || h < 24 {
        r.warn(
            "terminal",
            format!("{detail}; smaller than 80x24, panes will be cramped"),
        );
    } else {
        r.ok("terminal", detail);
    }
}

/// Runs every check.
pub async fn run(
    config: Result<std::path::PathBuf, String>,
    registry: &Registry,
    client: &reqwest::Client,
    depth: (crate::colors::Depth, String),
) -> Report {
    let mut r = Report::default();
    match config {
        Ok(path) if path.exists() => r.ok("config", format!("{} is valid", path.display())),
        Ok(path) => r.ok(
            "config",
            format!(
                "none at {} (defaults in use; the README has an example)",
                path.display()
            ),
        ),
        Err(e) => r.fail("config", e, "correct the file at the line named"),
    }
    for p in &registry.providers {
        check_provider(&mut r, client, p).await;
    }
    let cache_dir = crate::paths::cache_dir();
    for p in &registry.providers {
        match Catalog::load_cached(&cache_dir, &p.endpoint.base_url) {
            Some(c) => {
                let hours = c.age().as_secs() / 3600;
                let what = format!("catalog cache ({})", p.name);
                if hours > 24 * 7 {
                    r.warn(
                        &what,
                        format!(
                            "{} models, {hours} h old; it refreshes when the playground starts",
                            c.models.len()
                        ),
                    );
                } else {
                    r.ok(
                        &what,
                        format!(
                            "{} models, {} old",
                            c.models.len(),
                            if hours == 0 {
                                format!("{} min", c.age().as_secs() / 60)
                            } else {
                                format!("{hours} h")
                            }
                        ),
                    );
                }
            }
            None => r.warn(
                &format!("catalog cache ({})", p.name),
                "none yet; fetched the first time the picker or `switchboard models` runs",
            ),
        }
    }
    let env = Env::from_process();
    let clip = match env.route() {
        Route::Native => "native (system clipboard via arboard)".to_string(),
        Route::Osc52(Mux::None) => "OSC 52 to the terminal".into(),
        Route::Osc52(Mux::Tmux) => {
            "OSC 52 through tmux (needs set-clipboard on, or allow-passthrough on)".into()
        }
        Route::Osc52(Mux::Screen) => "OSC 52 through GNU screen".into(),
    };
    r.ok(
        "clipboard",
        format!(
            "{clip}; copies over {} KB go to {}",
            crate::clipboard::OSC52_MAX_TEXT / 1000,
            cache_dir.join("clipboard").display()
        ),
    );
    terminal(&mut r, depth);
    let sessions = crate::storage::session::sessions_dir(&crate::paths::data_dir());
    let n = std::fs::read_dir(&sessions).map_or(0, |d| {
        d.flatten()
            .filter(|e| {
                e.file_name().to_string_lossy().ends_with(".json") && e.file_name() != "index.json"
            })
            .count()
    });
    r.ok("sessions", format!("{} ({n} saved)", sessions.display()));
    r.ok("log", crate::log::path().display().to_string());
    r
}
