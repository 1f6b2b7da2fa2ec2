//! Carries out effects: stream tasks (spawned, aborted), catalog and credit fetches, the
//! external editor, mouse capture, preference saves and starting the demo simulator.

use std::collections::HashMap;
use std::path::PathBuf;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::catalog::Catalog;
use crate::chat::StreamEvent;
use crate::config::providers::{Kind, Registry};
use crate::provider::account::{GENERATION_WAITS, fetch_generation, fetch_key_info};
use crate::provider::{StreamOptions, Tagged, run_chat};
use crate::simulator::{SimConfig, Simulator};
use crate::state::{Effect, Msg, State};

use super::terminal::{self, Term};

pub struct Effects {
    pub client: reqwest::Client,
    /// Where requests go; `None` on the first-run screen until the demo starts.
    pub registry: Option<Registry>,
    pub stream_options: StreamOptions,
    pub stream_tx: mpsc::Sender<(u64, StreamEvent)>,
    pub msg_tx: mpsc::UnboundedSender<Msg>,
    pub cache_dir: PathBuf,
    pub data_dir: PathBuf,
    pub sessions_dir: PathBuf,
    pub sim: Option<Simulator>,
    pub sim_delay_scale: f64,
    tasks: HashMap<u64, JoinHandle<()>>,
    /// The preferences as this process last saved them (or loaded them), with the number of
    /// that save: what the next save's changes are measured against.
    prefs_base: std::sync::Arc<std::sync::Mutex<(u64, crate::storage::prefs::Prefs)>>,
    prefs_seq: u64,
    /// Kept for the whole run: on X11 and Wayland this process serves what it copied.
    native_clipboard: Option<arboard::Clipboard>,
}

impl Effects {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client: reqwest::Client,
        registry: Option<Registry>,
        stream_options: StreamOptions,
        stream_tx: mpsc::Sender<(u64, StreamEvent)>,
        msg_tx: mpsc::UnboundedSender<Msg>,
        cache_dir: PathBuf,
        data_dir: PathBuf,
        sim: Option<Simulator>,
        sim_delay_scale: f64,
    ) -> Effects {
        Effects {
            client,
            registry,
            stream_options,
            stream_tx,
            msg_tx,
            cache_dir,
            sessions_dir: crate::storage::session::sessions_dir(&data_dir),
            data_dir,
            sim,
            sim_delay_scale,
            tasks: HashMap::new(),
            prefs_base: std::sync::Arc::default(),
            prefs_seq: 0,
            native_clipboard: None,
        }
    }

    /// The preferences as loaded at start: later saves merge their changes since then.
    pub fn with_prefs_base(self, prefs: crate::storage::prefs::Prefs) -> Effects {
        if let Ok(mut base) = self.prefs_base.lock() {
            base.1 = prefs;
        }
        self
    }

    pub async fn run(&mut self, effect: Effect, state: &State, term: &mut Term) {
        match effect {
            Effect::StartStream { req, mut request } => {
                let Some(registry) = &self.registry else {
                    return;
                };
                let (provider, bare) = registry.resolve(&request.model);
                let endpoint = provider.endpoint.clone();
                let mut opts = self.stream_options.clone();
                opts.routing = registry.routing(&request.model);
                request.model = bare.to_string();
                let client = self.client.clone();
                let mut sink = Tagged {
                    tag: req,
                    tx: self.stream_tx.clone(),
                };
                self.tasks.retain(|_, t| !t.is_finished());
                let blobs = crate::storage::blobs::blobs_dir(&self.data_dir);
                self.tasks.insert(
                    req,
                    tokio::spawn(async move {
                        if super::attach::read_back(blobs, &mut request, &mut sink).await {
                            run_chat(&client, &endpoint, &request, &opts, &mut sink).await;
                        }
                    }),
                );
            }
            Effect::CancelStream { req } => {
                if let Some(task) = self.tasks.remove(&req) {
                    task.abort();
                }
            }
            Effect::Attach { paths, send } => {
                super::attach::attach(self.data_dir.clone(), paths, send, self.msg_tx.clone())
            }
            Effect::CompletePath(token) => super::attach::complete(token, self.msg_tx.clone()),
            Effect::FetchCatalog => self.fetch_catalog(state.demo),
            Effect::FetchKeyInfo => self.fetch_key_info(state),
            Effect::ExternalEditor(text) => {
                let result = terminal::suspend(term, state.mouse, || edit_externally(&text));
                let _ = self.msg_tx.send(Msg::EditorDone(result));
            }
            Effect::SetMouse(on) => terminal::set_mouse(on),
            Effect::Repaint => terminal::repaint(term),
            Effect::SavePrefs => self.save_prefs(state.prefs.clone()),
            Effect::StartDemo => {
                let config = SimConfig {
                    delay_scale: self.sim_delay_scale,
                    ..SimConfig::default()
                };
                match Simulator::start(config, 0).await {
                    Ok(sim) => {
                        self.registry = Some(crate::setup::demo_registry(&sim));
                        let _ = self.msg_tx.send(Msg::DemoReady(sim.base_url()));
                        self.sim = Some(sim);
                    }
                    Err(e) => {
                        let _ = self.msg_tx.send(Msg::Failed(format!(
                            "could not start the demo simulator: {e}"
                        )));
                    }
                }
            }
            Effect::Copy { text, what } => {
                let env = crate::clipboard::Env::from_process();
                let mut out = std::io::stdout();
                let result = crate::clipboard::copy(
                    &text,
                    &env,
                    &mut self.native_clipboard,
                    &mut out,
                    &self.cache_dir,
                );
                let _ = self
                    .msg_tx
                    .send(Msg::Copied(result.map(|c| c.describe(&what))));
            }
            Effect::Quit => self.abort_all(),
            Effect::LookupGeneration { model, id } => self.lookup_generation(&model, id),
            Effect::LoadSessions => {
                super::sessions::list(self.sessions_dir.clone(), self.msg_tx.clone())
            }
            Effect::LoadStats => super::sessions::stats(
                self.sessions_dir.clone(),
                // As it is now: its last vote may not be on disk yet.
                state.session_snapshot(),
                self.msg_tx.clone(),
            ),
            Effect::RenameSession { id, title } => {
                super::sessions::rename(self.sessions_dir.clone(), id, title, self.msg_tx.clone())
            }
            Effect::DeleteSession(id) => {
                super::sessions::delete(self.sessions_dir.clone(), id, self.msg_tx.clone())
            }
            Effect::SearchSessions(q) => {
                super::sessions::search(self.sessions_dir.clone(), q, self.msg_tx.clone())
            }
            Effect::ExportHtml(id) => super::sessions::export_html(
                self.sessions_dir.clone(),
                crate::storage::export::exports_dir(&self.data_dir),
                super::sessions::open_as_is(state, &id),
                id,
                self.msg_tx.clone(),
            ),
            // The event loop handles these: they need the session writer.
            Effect::SaveSession | Effect::OpenSession(_) | Effect::NewSession => {}
        }
    }

    /// Merges the preferences into the file off the UI thread, in the order they were asked
    /// for: a save that finds a newer one already written is dropped.
    fn save_prefs(&mut self, prefs: crate::storage::prefs::Prefs) {
        self.prefs_seq += 1;
        let seq = self.prefs_seq;
        let base = std::sync::Arc::clone(&self.prefs_base);
        let dir = self.data_dir.clone();
        let tx = self.msg_tx.clone();
        tokio::task::spawn_blocking(move || {
            let Ok(mut base) = base.lock() else { return };
            if base.0 >= seq {
                return;
            }
            match prefs.save_merged(&base.1, &dir) {
                Ok(_) => *base = (seq, prefs),
                Err(e) => {
                    let _ = tx.send(Msg::Failed(format!("could not save preferences: {e}")));
                }
            }
        });
    }

    pub fn abort_all(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
    }

    /// Every provider's catalog, each arriving as it comes (qualified ids, config prices).
    /// Fetches every provider's catalog. The demo's is not cached: its simulator listens on
    /// a new port each run, and its catalog costs nothing to fetch.
    fn fetch_catalog(&self, demo: bool) {
        let Some(registry) = &self.registry else {
            return;
        };
        for p in &registry.providers {
            let client = self.client.clone();
            let tx = self.msg_tx.clone();
            let cache_dir = self.cache_dir.clone();
            let endpoint = p.endpoint.clone();
            let (name, qualify, prices) =
                (p.name.clone(), p.name != registry.default, p.prices.clone());
            tokio::spawn(async move {
                let result = Catalog::fetch(&client, &endpoint)
                    .await
                    .map_err(|e| e.to_string());
                if let Ok(c) = &result
                    && !demo
                {
                    let _ = c.save(&cache_dir);
                }
                let result = result.map(|c| c.for_provider(&name, qualify, &prices));
                let _ = tx.send(Msg::Catalog(result));
            });
        }
    }

    fn fetch_key_info(&self, state: &State) {
        let Some(registry) = &self.registry else {
            return;
        };
        let p = registry.default_provider();
        // Only OpenRouter (and the simulator standing in for it) has `/key`.
        let wanted = state.demo || (p.kind() == Kind::OpenRouter && p.endpoint.api_key.is_some());
        if !wanted {
            return;
        }
        let endpoint = p.endpoint.clone();
        let client = self.client.clone();
        let tx = self.msg_tx.clone();
        tokio::spawn(async move {
            let result = fetch_key_info(&client, &endpoint)
                .await
                .map_err(|e| e.message);
            let _ = tx.send(Msg::KeyInfo(result));
        });
    }

    /// The exact cost of a cancelled generation, from OpenRouter's `/generation`.
    fn lookup_generation(&self, model: &str, id: String) {
        let Some(registry) = &self.registry else {
            return;
        };
        let (p, _) = registry.resolve(model);
        if p.kind() != Kind::OpenRouter {
            return;
        }
        let endpoint = p.endpoint.clone();
        let client = self.client.clone();
        let tx = self.msg_tx.clone();
        tokio::spawn(async move {
            let result = fetch_generation(&client, &endpoint, &id, &GENERATION_WAITS)
                .await
                .map_err(|e| e.message);
            let _ = tx.send(Msg::GenerationCost { id, result });
        });
    }
}

/// Opens `$VISUAL` or `$EDITOR` (else `vi`) on a temp file holding `text`.
fn edit_externally(text: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let file = tempfile::Builder::new()
        .prefix("switchboard-prompt-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| e.to_string())?;
    std::fs::write(file.path(), text).map_err(|e| e.to_string())?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(file.path())
        .status()
        .map_err(|e| format!("could not run {program:?}: {e}"))?;
    if !status.success() {
        return Err(format!("{program} exited with {status}; prompt unchanged"));
    }
    std::fs::read_to_string(file.path()).map_err(|e| e.to_string())
}
