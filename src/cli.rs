//! Command-line interface: the playground (default), `run`, `models` and `simulate`.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Ask several language models the same thing and watch them answer side by side."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A model for a pane (repeat for more panes; the same model may appear twice).
    #[arg(short = 'm', long = "model", value_name = "MODEL")]
    pub models: Vec<String>,
    #[command(flatten)]
    pub round: RoundArgs,
    /// Stop spending at this many dollars in a session: rounds that may cross it are refused,
    /// streams that cross it are stopped.
    #[arg(long, value_name = "USD")]
    pub max_cost: Option<String>,
    /// Reopen the most recent session.
    #[arg(long = "continue", conflicts_with = "session")]
    pub resume_last: bool,
    /// Reopen the session with this id (or a unique start of it).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Blind rounds: the panes are shuffled and named A, B, C… and who is who stays hidden
    /// until you vote (F3 turns it on and off).
    #[arg(long)]
    pub blind: bool,
    /// The model that judges a round's answers when asked (F4), instead of [judge] model.
    #[arg(long, value_name = "MODEL")]
    pub judge: Option<String>,
    /// A prompt to send as soon as the playground opens.
    pub prompt: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// OpenAI-compatible API base, e.g. http://localhost:11434/v1 (default: OpenRouter).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Run against the built-in simulator: offline, no key needed.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Fail a stream that sends no bytes for this many seconds.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 60.0)]
    pub stall_timeout: f64,
    /// Colour theme: dark, light, high-contrast, or a NAME.toml in the config dir's themes/.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Colours: auto (from COLORTERM and TERM), truecolor, 256, 16 or none.
    #[arg(long, global = true, value_name = "DEPTH")]
    pub colors: Option<String>,
    /// Speed of the demo simulator's delays (1 = natural, 0 = instant). For tests.
    #[arg(long, global = true, value_name = "SCALE", hide = true)]
    pub sim_delay_scale: Option<f64>,
}

/// The parameters of a round, shared by the playground and `run`.
#[derive(Debug, Clone, Default, Args)]
pub struct RoundArgs {
    /// A system prompt for every model.
    #[arg(long, value_name = "TEXT")]
    pub system: Option<String>,
    /// Sampling temperature (0 to 2).
    #[arg(long, value_name = "T")]
    pub temperature: Option<f32>,
    /// Most tokens each model may produce.
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u32>,
    /// Attach a file to the first prompt (repeat for more): text goes in a fenced block named
    /// by its path, a png, jpeg, webp or gif image to the models that take images.
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub files: Vec<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one prompt (or every prompt of a file: --prompts) to several models at once and
    /// print their answers (headless).
    Run(RunArgs),
    /// List the models of the catalog with their prices and context sizes.
    Models(ModelsArgs),
    /// Serve the built-in OpenRouter-compatible simulator on 127.0.0.1.
    Simulate(SimulateArgs),
    /// List, show, export or delete saved sessions.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// The scoreboard: how often each model was adopted, what it cost, how fast it was.
    Stats(StatsArgs),
    /// The OpenRouter key's credit: used, limit, remaining.
    Account,
    /// Check the config, providers, keys, caches, clipboard and terminal.
    Doctor,
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Every saved session, newest first (unreadable files too, with the reason).
    List {
        #[arg(long)]
        json: bool,
    },
    /// A session as readable text.
    Show { id: String },
    /// A session as Markdown (default), its JSON file, or one self-contained HTML page.
    Export {
        id: String,
        #[arg(long, value_enum, default_value = "md")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Delete a session.
    Rm { id: String },
    /// Rebuild the history database (history.sqlite3) from the session files.
    Reindex,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Md,
    Json,
    /// One page that stands on its own: inline CSS, no script, nothing fetched.
    Html,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Batch: `switchboard run --prompts prompts.txt -m A -m B -o results.jsonl` asks \
every model every prompt of a .txt (one a line), .jsonl ({\"prompt\", \"system\", \"id\"}) or .csv \
(a `prompt` column; `id`, `system` optional) file, appends one result line per answer, and saves \
the batch as a session (one round per prompt). `--resume` runs only what is missing or failed."
)]
pub struct RunArgs {
    /// A model to ask (repeat for several).
    #[arg(short = 'm', long = "model", value_name = "MODEL", required = true)]
    pub models: Vec<String>,
    /// Print one JSON document with every answer instead of text.
    #[arg(long, conflicts_with = "prompts")]
    pub json: bool,
    /// Then ask this model which answer is best (it reads them anonymised, in both orders).
    #[arg(long, value_name = "MODEL", conflicts_with = "prompts")]
    pub judge: Option<String>,
    #[command(flatten)]
    pub round: RoundArgs,
    #[command(flatten)]
    pub batch: BatchArgs,
    /// The prompt; `-` or nothing reads it from standard input.
    #[arg(conflicts_with = "prompts")]
    pub prompt: Option<String>,
}

/// A batch: every prompt of a file to every model (`run --prompts FILE`).
#[derive(Debug, Clone, Default, Args)]
pub struct BatchArgs {
    /// Run every prompt of this file (.txt: one a line; .jsonl: {"prompt", "system", "id"};
    /// .csv: a `prompt` column, `id` and `system` optional) against every model.
    #[arg(long, value_name = "FILE")]
    pub prompts: Option<std::path::PathBuf>,
    /// Requests at once per provider (a 429 slows that provider's requests only).
    #[arg(long, value_name = "N", default_value_t = 4, requires = "prompts")]
    pub concurrency: usize,
    /// Append the results here, one line per answer (default: standard output).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        requires = "prompts"
    )]
    pub output: Option<std::path::PathBuf>,
    /// Run only the answers the output file lacks or has as failed; continue its session.
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// A budget in dollars: ask before starting when the estimate is over it, stop starting
    /// requests once the money spent reaches it.
    #[arg(long, value_name = "USD", requires = "prompts")]
    pub max_cost: Option<String>,
    /// Start even when the estimate is over --max-cost, without asking.
    #[arg(long, requires = "prompts")]
    pub yes: bool,
    /// The results' format: one JSON object a line, or CSV with a header row.
    #[arg(long, value_enum, default_value = "jsonl", requires = "prompts")]
    pub format: ResultsFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormat {
    #[default]
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Only models whose id or name contains every word of this.
    pub query: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Fetch the catalog even if the cached copy is fresh.
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8089)]
    pub port: u16,
    /// Make a model fail: MODEL=KIND[@TOKENS], KIND one of 401 402 429 500 502 503 html portal
    /// inband drop cut stall malformed split-utf8.
    #[arg(long, value_name = "MODEL=KIND[@N]")]
    pub fault: Vec<String>,
    /// Behave like a local server: bare model list, no prices, no cost.
    #[arg(long)]
    pub local: bool,
    /// The endpoint to imitate: openrouter, openai (refuses unknown fields and, for its
    /// reasoning models, max_tokens and temperature, with OpenAI's error bodies), mistral
    /// (422 for unknown fields; thinking parts), ollama (/api/tags and /api/show).
    #[arg(long, default_value = "openrouter", value_parser = ["openrouter", "openai", "mistral", "ollama"])]
    pub dialect: String,
    /// Scale of the models' delays (1 = natural speed, 0 = instant).
    #[arg(long, default_value_t = 1.0)]
    pub delay_scale: f64,
}
