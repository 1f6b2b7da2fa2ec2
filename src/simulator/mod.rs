//! The built-in OpenRouter-compatible server: demo models, streamed markdown answers with
//! keep-alives, reasoning and exact costs, and faults on demand. Bound to 127.0.0.1 only; used
//! by `--demo`, by the tests and by `switchboard simulate`.

mod answers;
mod dialect;
mod faults;
pub mod history;
mod judging;
mod models;
mod plan;
mod routes;
mod stream;
mod vision;

/// The demo's panes when nothing says otherwise.
pub const DEMO_MODELS: [&str; 3] = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"];

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;

use crate::cost::Usd;

pub use answers::{BLOCK_KINDS, answer_text, block_run, tokenize};
pub use dialect::SimDialect;
pub use faults::{Directives, Fault, FaultKind, parse_directives};
pub use models::{SimModel, demo_models};

/// How the simulator behaves.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Multiplies the models' delays: 1.0 streams at their natural speed, 0.0 instantly.
    /// Per-request `!rate=` and `!ttft=` directives are absolute.
    pub delay_scale: f64,
    /// Faults applied to every request for a model id.
    pub faults: Vec<(String, Fault)>,
    /// Behave like a local server (Ollama, llama.cpp): bare `/models`, no prices, no cost, no
    /// provider field, no keep-alive comments, reasoning as `reasoning_content`.
    pub local: bool,
    /// Reject requests whose bearer token differs (401), when set.
    pub require_key: Option<String>,
    /// `/generation` answers 404 this many times per id before the record appears.
    pub generation_404s: u32,
    /// Starting credit shown by `/key`.
    pub credit_limit: Usd,
    /// Answer every chat request with a 307 to this base URL (to test redirects).
    pub redirect_to: Option<String>,
    /// The endpoint it imitates: OpenRouter, or a strict or local one.
    pub dialect: SimDialect,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            delay_scale: 1.0,
            faults: Vec::new(),
            local: false,
            require_key: None,
            generation_404s: 1,
            credit_limit: Usd::parse("10").unwrap_or_default(),
            redirect_to: None,
            dialect: SimDialect::OpenRouter,
        }
    }
}

/// One request as the simulator saw it, for tests that check what a client sends.
#[derive(Clone, Debug)]
pub struct SeenRequest {
    pub path: String,
    pub authorization: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
}

/// What `/generation?id=` reports.
#[derive(Clone, Debug)]
pub struct GenerationRecord {
    pub model: String,
    pub provider: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost: Usd,
    pub cancelled: bool,
    pub polls: u32,
}

pub(crate) struct SimState {
    pub config: SimConfig,
    pub models: Vec<SimModel>,
    pub fault_uses: Mutex<HashMap<String, u32>>,
    pub spent: Mutex<Usd>,
    pub generations: Mutex<HashMap<String, GenerationRecord>>,
    pub seen: Mutex<Vec<SeenRequest>>,
    pub next_id: AtomicU64,
    /// Answer pieces written so far, every stream together.
    pub pieces_sent: AtomicU64,
}

/// A running simulator. Dropping it stops the server.
pub struct Simulator {
    addr: SocketAddr,
    state: Arc<SimState>,
    task: JoinHandle<()>,
}

impl Simulator {
    /// Starts serving on 127.0.0.1:`port` (0 picks a free port).
    pub async fn start(config: SimConfig, port: u16) -> std::io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(SimState {
            config,
            models: demo_models(),
            fault_uses: Mutex::default(),
            spent: Mutex::default(),
            generations: Mutex::default(),
            seen: Mutex::default(),
            next_id: AtomicU64::new(1),
            pieces_sent: AtomicU64::new(0),
        });
        let app = routes::router(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Simulator { addr, state, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/api/v1` as OpenRouter,
    /// `…/v1` as another endpoint.
    pub fn base_url(&self) -> String {
        match self.state.config.dialect {
            SimDialect::OpenRouter => format!("http://{}/api/v1", self.addr),
            _ => format!("http://{}/v1", self.addr),
        }
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<SeenRequest> {
        self.state
            .seen
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Answer pieces (tokens) written so far, every stream together: tests wait on it.
    pub fn pieces_sent(&self) -> u64 {
        self.state
            .pieces_sent
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// What the simulator has billed in total.
    pub fn spent(&self) -> Usd {
        self.state.spent.lock().map(|s| *s).unwrap_or_default()
    }

    pub fn generation(&self, id: &str) -> Option<GenerationRecord> {
        self.state.generations.lock().ok()?.get(id).cloned()
    }

    /// Runs until the server stops (for `switchboard simulate`).
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
