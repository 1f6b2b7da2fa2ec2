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
    /// Where reasoning arrives; the decoder reads all structured fields, and looks for an
    /// inline `<think>` only where this lists it.
    pub reasoning_in: &'static [ReasoningIn],
    pub usage_in: UsageIn,
    /// `completion_tokens` leaves the reasoning tokens out (xAI): they are added back, as
    /// they are billed as output.
    pub reasoning_outside_completion: bool,
    pub listing: Listing,
    /// The prefix of the same model's id in the OpenRouter catalog, for pricing models whose
    /// endpoint reports no cost (`gpt-4.1-mini` → `openai/gpt-4.1-mini`). Exact ids only.
    pub catalog_prefix: Option<&'static str>,
}

const OPENAI_REASONING: &[Family] = &[Family {
    prefixes: &["o1", "o3", "o4", "gpt-5"],
    token_limit: TokenLimit::MaxCompletionTokens,
    default_temperature_only: true,
}];

use Effort::*;
use ReasoningIn::*;
use TokenLimit::*;

/// Every kind switchboard knows. The generic `openai-compatible` row sends only what OpenAI
/// documents for chat completions.
pub const DIALECTS: &[Dialect] = &[
    Dialect {
        kind: Kind::OpenRouter,
        name: "openrouter",
        hosts: &["openrouter.ai"],
        port: None,
        stream_options: true,
        usage_accounting: true,
        token_limit: MaxTokens,
        effort: ReasoningObject,
        families: &[],
        reasoning_in: &[Reasoning, ReasoningDetails],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenRouter,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::OpenAi,
        name: "openai",
        hosts: &["api.openai.com"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxCompletionTokens,
        effort: ReasoningEffort,
        families: OPENAI_REASONING,
        reasoning_in: &[],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: Some("openai/"),
    },
    Dialect {
        kind: Kind::Azure,
        name: "azure",
        hosts: &[
            "openai.azure.com",
            "services.ai.azure.com",
            "cognitiveservices.azure.com",
        ],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxCompletionTokens,
        // Azure refuses `reasoning`; deployments have names of their own, so no catalog.
        effort: ReasoningEffort,
        families: OPENAI_REASONING,
        reasoning_in: &[],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::Anthropic,
        name: "anthropic",
        hosts: &["api.anthropic.com"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: Unsupported,
        families: &[],
        reasoning_in: &[],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: Some("anthropic/"),
    },
    Dialect {
        kind: Kind::Gemini,
        name: "gemini",
        hosts: &["generativelanguage.googleapis.com"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: Some("google/"),
    },
    Dialect {
        kind: Kind::Mistral,
        name: "mistral",
        hosts: &["api.mistral.ai", "codestral.mistral.ai"],
        port: None,
        // Mistral refuses unknown fields (422) and always sends usage on the last chunk.
        stream_options: false,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: Unsupported,
        families: &[],
        reasoning_in: &[ThinkingParts],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: Some("mistralai/"),
    },
    Dialect {
        kind: Kind::DeepSeek,
        name: "deepseek",
        hosts: &["api.deepseek.com"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: Unsupported,
        families: &[],
        reasoning_in: &[ReasoningContent],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: Some("deepseek/"),
    },
    Dialect {
        kind: Kind::Groq,
        name: "groq",
        hosts: &["api.groq.com"],
        port: None,
        stream_options: false,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[Reasoning, InlineThink],
        usage_in: UsageIn::XGroq,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::Xai,
        name: "xai",
        hosts: &["api.x.ai"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[ReasoningContent],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: true,
        listing: Listing::OpenAi,
        catalog_prefix: Some("x-ai/"),
    },
    Dialect {
        kind: Kind::Together,
        name: "together",
        hosts: &["api.together.xyz", "api.together.ai"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[Reasoning, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::Fireworks,
        name: "fireworks",
        hosts: &["api.fireworks.ai"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[ReasoningContent, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::Cerebras,
        name: "cerebras",
        hosts: &["api.cerebras.ai"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxCompletionTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[Reasoning, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::HuggingFace,
        name: "huggingface",
        hosts: &["router.huggingface.co", "api-inference.huggingface.co"],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: Unsupported,
        families: &[],
        reasoning_in: &[ReasoningContent, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::Ollama,
        name: "ollama",
        hosts: &[],
        port: Some(11434),
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[Reasoning, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::Ollama,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::LlamaCpp,
        name: "llama.cpp",
        hosts: &[],
        port: Some(8080),
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: Unsupported,
        families: &[],
        reasoning_in: &[ReasoningContent, InlineThink],
        usage_in: UsageIn::Timings,
        reasoning_outside_completion: false,
        listing: Listing::LlamaCpp,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::Vllm,
        name: "vllm",
        hosts: &[],
        port: Some(8000),
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[ReasoningContent, Reasoning, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::Vllm,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::LmStudio,
        name: "lmstudio",
        hosts: &[],
        port: Some(1234),
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[Reasoning, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::LmStudio,
        catalog_prefix: None,
    },
    Dialect {
        kind: Kind::OpenAiCompatible,
        name: "openai-compatible",
        hosts: &[],
        port: None,
        stream_options: true,
        usage_accounting: false,
        token_limit: MaxTokens,
        effort: ReasoningEffort,
        families: &[],
        reasoning_in: &[Reasoning, ReasoningContent, InlineThink],
        usage_in: UsageIn::Usage,
        reasoning_outside_completion: false,
        listing: Listing::OpenAi,
        catalog_prefix: None,
    },
];

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

    /// How this dialect asks for a token limit for `model`.
    pub fn token_limit_for(&self, model: &str) -> TokenLimit {
        self.family(model)
            .map_or(self.token_limit, |f| f.token_limit)
    }

    pub fn inline_think(&self) -> bool {
        self.reasoning_in.contains(&InlineThink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row_and_parses_back() {
        for d in DIALECTS {
            assert_eq!(DIALECTS.iter().filter(|e| e.kind == d.kind).count(), 1);
            assert_eq!(Kind::parse(d.name), Some(d.kind), "{}", d.name);
            assert_eq!(d.kind.dialect().name, d.name);
        }
        assert_eq!(DIALECTS.len(), 18);
        assert_eq!(Kind::parse("LlamaCpp"), Some(Kind::LlamaCpp));
        assert_eq!(Kind::parse("nonsense"), None);
    }

    #[test]
    fn the_kind_is_guessed_from_host_then_port() {
        let cases = [
            ("https://api.openai.com/v1", Kind::OpenAi),
            ("https://api.mistral.ai/v1", Kind::Mistral),
            ("https://api.groq.com/openai/v1", Kind::Groq),
            ("https://api.deepseek.com", Kind::DeepSeek),
            ("https://myres.openai.azure.com/openai/v1", Kind::Azure),
            ("https://router.huggingface.co/v1", Kind::HuggingFace),
            (
                "https://generativelanguage.googleapis.com/v1beta/openai",
                Kind::Gemini,
            ),
            ("http://localhost:11434/v1", Kind::Ollama),
            ("http://10.0.0.5:1234/v1", Kind::LmStudio),
            ("http://box.lan:9999/v1", Kind::OpenAiCompatible),
            ("https://openrouter.ai/api/v1", Kind::OpenRouter),
        ];
        for (url, kind) in cases {
            assert_eq!(guess(url).0, kind, "{url}");
        }
        assert_eq!(
            guess("http://localhost:11434/v1").1,
            KindChoice::Port(11434)
        );
        assert_eq!(
            guess("https://api.openai.com/v1").1.to_string(),
            "guessed from the host api.openai.com"
        );
        assert_eq!(
            guess("https://notapi.openai.com.evil/v1").0,
            Kind::OpenAiCompatible
        );
    }

    #[test]
    fn openai_reasoning_families_take_max_completion_tokens() {
        let d = Kind::OpenAi.dialect();
        assert_eq!(d.token_limit_for("gpt-5-mini"), MaxCompletionTokens);
        assert!(d.family("o4-mini").unwrap().default_temperature_only);
        assert!(d.family("gpt-4.1-mini").is_none());
        assert_eq!(
            Kind::OpenAiCompatible.dialect().token_limit_for("gpt-5"),
            MaxTokens
        );
    }
}
