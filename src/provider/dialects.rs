//! What each kind of OpenAI-compatible endpoint accepts, where it streams reasoning and usage,
//! and how it lists its models: one table, read by the request builder, the decoder, the
//! catalog and `doctor`, so no `if host == …` lives anywhere else.

use std::fmt;

/// A kind of endpoint. `OpenAiCompatible` is the generic fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    OpenRouter,
    OpenAi,
    Azure,
    Anthropic,
    Gemini,
    Mistral,
    DeepSeek,
    Groq,
    Xai,
    Together,
    Fireworks,
    Cerebras,
    HuggingFace,
    Ollama,
    LlamaCpp,
    Vllm,
    LmStudio,
    OpenAiCompatible,
}

/// How a maximum output length is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenLimit {
    MaxTokens,
    MaxCompletionTokens,
}

/// How a reasoning effort is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// OpenRouter's `reasoning: {effort}`.
    ReasoningObject,
    /// OpenAI's `reasoning_effort`.
    ReasoningEffort,
    /// Not at all: the setting is left out (and the pane says so).
    Unsupported,
}

/// Where reasoning text arrives in a streamed delta.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasoningIn {
    /// `delta.reasoning` (OpenRouter, Ollama, LM Studio, Groq `parsed`).
    Reasoning,
    /// `delta.reasoning_content` (DeepSeek, vLLM, llama.cpp with a parser).
    ReasoningContent,
    /// `delta.reasoning_details[]` (OpenRouter).
    ReasoningDetails,
    /// `delta.content` as typed parts with `thinking` parts (Mistral).
    ThinkingParts,
    /// `<think>…</think>` at the start of `delta.content`.
    InlineThink,
}

/// Where the token counts of a streamed answer arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsageIn {
    /// The final chunk's `usage`.
    Usage,
    /// `x_groq.usage` on the final chunk.
    XGroq,
    /// llama.cpp's `timings` (`prompt_n`, `predicted_n`), when no `usage` came.
    Timings,
}

/// How an endpoint takes a JSON schema for the reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structured {
    /// `response_format: {type: json_schema, json_schema: {name, schema, strict}}`.
    JsonSchema,
    /// `response_format: {type: json_object}`: JSON, but no schema.
    JsonObject,
    /// Not at all: the prompt alone asks for JSON.
    Unsupported,
}

/// How an endpoint lists its models and their context sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// OpenRouter's `/models` with prices, context and modalities.
    OpenRouter,
    /// OpenAI's `/models`: ids only (a `context_length` is read where a server adds one).
    OpenAi,
    /// Ollama's `/api/tags`, then `/api/show` per model for its context length.
    Ollama,
    /// llama.cpp's `/v1/models` with `meta.n_ctx_train`, or `/props`.
    LlamaCpp,
    /// vLLM's `/v1/models` with `max_model_len`.
    Vllm,
    /// LM Studio's `/api/v0/models` with `max_context_length`.
    LmStudio,
}

/// Rules for a family of models within a dialect (OpenAI's reasoning models).
#[derive(Debug)]
pub struct Family {
    /// Model ids starting with one of these (after any `org/` part).
    pub prefixes: &'static [&'static str],
    pub token_limit: TokenLimit,
    /// Only the default temperature is accepted: a set one is left out, and the pane says so.
    pub default_temperature_only: bool,
    /// How these models take a reasoning effort, over the dialect's.
    pub effort: Option<Effort>,
}

/// One row of the table.
#[derive(Debug)]
pub struct Dialect {
    pub kind: Kind,
    /// The name in the config's `kind = "…"`.
    pub name: &'static str,
    /// Hosts that identify it (exact, or a suffix after a dot).
    pub hosts: &'static [&'static str],
    /// A default port that identifies it on any host.
    pub port: Option<u16>,
    /// Sends `stream_options: {include_usage: true}`.
    pub stream_options: bool,
    /// Sends OpenRouter's `usage: {include: true}`.
    pub usage_accounting: bool,
    pub token_limit: TokenLimit,
    pub effort: Effort,
    pub families: &'static [Family],
    /// Where reasoning arrives (checked against the recordings). The decoder reads every
    /// structured field whatever the kind, as servers move them between versions; only an
    /// inline `<think>` is looked for where this lists it, since elsewhere it is answer text.
    pub reasoning_in: &'static [ReasoningIn],
    /// Where usage arrives (checked against the recordings; read wherever it is).
    pub usage_in: UsageIn,
    /// `completion_tokens` leaves the reasoning tokens out (xAI): they are added back, as
    /// they are billed as output.
    pub reasoning_outside_completion: bool,
    /// Sends `transforms: []`: OpenRouter otherwise applies "middle-out" on endpoints of 8k
    /// context or less, silently dropping the middle of a long conversation.
    pub whole_prompt: bool,
    /// How a JSON reply of a given schema is asked for (the judge's verdict).
    pub structured: Structured,
    pub listing: Listing,
    /// The prefix of the same model's id in the OpenRouter catalog, for pricing models whose
    /// endpoint reports no cost (`gpt-4.1-mini` → `openai/gpt-4.1-mini`). Exact ids only.
    pub catalog_prefix: Option<&'static str>,
}

mod table;
pub use table::DIALECTS;

impl ReasoningIn {
    /// The field's name in a stream (`inline_think` and `thinking_parts` for the shapes).
    pub fn name(self) -> &'static str {
        match self {
            ReasoningIn::Reasoning => "reasoning",
            ReasoningIn::ReasoningContent => "reasoning_content",
            ReasoningIn::ReasoningDetails => "reasoning_details",
            ReasoningIn::ThinkingParts => "thinking_parts",
            ReasoningIn::InlineThink => "inline_think",
        }
    }
}

impl UsageIn {
    pub fn name(self) -> &'static str {
        match self {
            UsageIn::Usage => "usage",
            UsageIn::XGroq => "x_groq",
            UsageIn::Timings => "timings",
        }
    }
}

impl Kind {
    pub fn dialect(self) -> &'static Dialect {
        DIALECTS
            .iter()
            .find(|d| d.kind == self)
            .unwrap_or(&DIALECTS[DIALECTS.len() - 1])
    }

    pub fn name(self) -> &'static str {
        self.dialect().name
    }

    /// The kind named in a config file.
    pub fn parse(name: &str) -> Option<Kind> {
        let name = name.trim().to_ascii_lowercase();
        let alias = match name.as_str() {
            "llamacpp" | "llama-cpp" => "llama.cpp",
            "lm-studio" | "lm_studio" => "lmstudio",
            "hf" | "hugging-face" => "huggingface",
            "x.ai" | "grok" => "xai",
            "generic" | "openai_compatible" => "openai-compatible",
            other => other,
        };
        DIALECTS.iter().find(|d| d.name == alias).map(|d| d.kind)
    }

    /// Every kind's config name, for error messages and docs.
    pub fn names() -> String {
        DIALECTS
            .iter()
            .map(|d| d.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a provider's kind was chosen, for `doctor`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KindChoice {
    /// `kind = "…"` in the config.
    Configured,
    /// The base URL's host is known.
    Host(String),
    /// The base URL's port is a known server's default.
    Port(u16),
    /// Nothing matched: the generic kind.
    Fallback,
}

impl fmt::Display for KindChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KindChoice::Configured => f.write_str("set in the config"),
            KindChoice::Host(h) => write!(f, "guessed from the host {h}"),
            KindChoice::Port(p) => write!(f, "guessed from the port {p}"),
            KindChoice::Fallback => f.write_str("no host or port matched: the generic kind"),
        }
    }
}

fn host_matches(host: &str, known: &str) -> bool {
    host == known || host.ends_with(&format!(".{known}"))
}

/// The kind a base URL points at, and why.
pub fn guess(base_url: &str) -> (Kind, KindChoice) {
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return (Kind::OpenAiCompatible, KindChoice::Fallback);
    };
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    for d in DIALECTS {
        if d.hosts.iter().any(|h| host_matches(&host, h)) {
            return (d.kind, KindChoice::Host(host));
        }
    }
    if let Some(port) = url.port() {
        for d in DIALECTS {
            if d.port == Some(port) {
                return (d.kind, KindChoice::Port(port));
            }
        }
    }
    (Kind::OpenAiCompatible, KindChoice::Fallback)
}

impl Dialect {
    /// The family rules that apply to a model, if any.
    pub fn family(&self, model: &str) -> Option<&'static Family> {
        let bare = model.rsplit('/').next().unwrap_or(model);
        self.families
            .iter()
            .find(|f| f.prefixes.iter().any(|p| bare.starts_with(p)))
    }

    /// How this dialect asks `model` for a reasoning effort.
    pub fn effort_for(&self, model: &str) -> Effort {
        self.family(model)
            .and_then(|f| f.effort)
            .unwrap_or(self.effort)
    }

    /// How this dialect asks for a token limit for `model`.
    pub fn token_limit_for(&self, model: &str) -> TokenLimit {
        self.family(model)
            .map_or(self.token_limit, |f| f.token_limit)
    }

    pub fn inline_think(&self) -> bool {
        self.reasoning_in.contains(&ReasoningIn::InlineThink)
    }
}

#[cfg(test)]
mod tests;
