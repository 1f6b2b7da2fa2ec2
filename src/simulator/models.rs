//! The simulator's demo catalog: a handful of models with different prices, speeds and habits.

use serde_json::json;

use crate::cost::{Pricing, Usd};

use super::faults::{Fault, FaultKind};

/// One simulated model and how it behaves.
#[derive(Clone, Debug)]
pub struct SimModel {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// $/M input and output; negative means "variable" (a router).
    pub input_per_m: &'static str,
    pub output_per_m: &'static str,
    pub context: u64,
    pub tokens_per_s: f64,
    pub ttft_ms: u64,
    pub reasoning: bool,
    pub provider: &'static str,
    /// Length of a typical answer, in tokens.
    pub answer_tokens: usize,
    pub created: i64,
    pub default_fault: Option<Fault>,
}

pub fn demo_models() -> Vec<SimModel> {
    vec![
        SimModel {
            id: "sim/swift-mini",
            name: "Sim: Swift Mini",
            description: "Small, fast and cheap.",
            input_per_m: "0.10",
            output_per_m: "0.40",
            context: 128_000,
            tokens_per_s: 140.0,
            ttft_ms: 250,
            reasoning: false,
            provider: "SimCloud",
            answer_tokens: 260,
            created: 1_790_000_000,
            default_fault: None,
        },
        SimModel {
            id: "sim/sage-large",
            name: "Sim: Sage Large",
            description: "Large, thorough, slower and pricey.",
            input_per_m: "3",
            output_per_m: "15",
            context: 200_000,
            tokens_per_s: 45.0,
            ttft_ms: 700,
            reasoning: false,
            provider: "Vertex Sim",
            answer_tokens: 420,
            created: 1_785_000_000,
            default_fault: None,
        },
        SimModel {
            id: "sim/deep-thinker",
            name: "Sim: Deep Thinker",
            description: "Reasons first, then answers.",
            input_per_m: "1.10",
            output_per_m: "4.40",
            context: 131_072,
            tokens_per_s: 90.0,
            ttft_ms: 400,
            reasoning: true,
            provider: "Thinkworks",
            answer_tokens: 320,
            created: 1_792_000_000,
            default_fault: None,
        },
        SimModel {
            id: "sim/free-spirit:free",
            name: "Sim: Free Spirit (free)",
            description: "Costs nothing, answers briefly.",
            input_per_m: "0",
            output_per_m: "0",
            context: 32_768,
            tokens_per_s: 80.0,
            ttft_ms: 300,
            reasoning: false,
            provider: "OpenSim",
            answer_tokens: 180,
            created: 1_780_000_000,
            default_fault: None,
        },
        SimModel {
            id: "sim/slowpoke",
            name: "Sim: Slowpoke",
            description: "Takes its time to start (keep-alive comments meanwhile).",
            input_per_m: "0.50",
            output_per_m: "1.50",
            context: 65_536,
            tokens_per_s: 35.0,
            ttft_ms: 3_000,
            reasoning: false,
            provider: "LazyHost",
            answer_tokens: 200,
            created: 1_770_000_000,
            default_fault: None,
        },
        SimModel {
            id: "sim/flaky",
            name: "Sim: Flaky",
            description: "Fails mid-answer with a provider error (to see how failures look).",
            input_per_m: "0.20",
            output_per_m: "0.60",
            context: 32_768,
            tokens_per_s: 80.0,
            ttft_ms: 300,
            reasoning: false,
            provider: "ShakyNet",
            answer_tokens: 260,
            created: 1_760_000_000,
            default_fault: Some(Fault::new(FaultKind::InBand, 40)),
        },
        SimModel {
            id: "sim/auto",
            name: "Sim: Auto Router",
            description: "Routes each prompt to another model; the pane shows which served it.",
            input_per_m: "-1",
            output_per_m: "-1",
            context: 200_000,
            tokens_per_s: 100.0,
            ttft_ms: 350,
            reasoning: false,
            provider: "SimCloud",
            answer_tokens: 240,
            created: 1_795_000_000,
            default_fault: None,
        },
        // Listed under OpenAI's ids with OpenAI's prices, so a direct `openai` endpoint that
        // reports no cost can be priced from this catalog in the demo as from OpenRouter's.
        SimModel {
            id: "openai/gpt-4.1-mini",
            name: "Sim: GPT-4.1 mini (OpenAI's price)",
            description: "Answers like Swift Mini, priced as OpenAI's gpt-4.1-mini.",
            input_per_m: "0.40",
            output_per_m: "1.60",
            context: 1_047_576,
            tokens_per_s: 110.0,
            ttft_ms: 300,
            reasoning: false,
            provider: "OpenAI",
            answer_tokens: 260,
            created: 1_744_000_000,
            default_fault: None,
        },
        SimModel {
            id: "openai/gpt-5-mini",
            name: "Sim: GPT-5 mini (OpenAI's price)",
            description: "Reasons like Deep Thinker, priced as OpenAI's gpt-5-mini.",
            input_per_m: "0.25",
            output_per_m: "2",
            context: 400_000,
            tokens_per_s: 80.0,
            ttft_ms: 500,
            reasoning: true,
            provider: "OpenAI",
            answer_tokens: 300,
            created: 1_754_000_000,
            default_fault: None,
        },
        // Judges: they read `[Answer N]` blocks and reply with the JSON verdict switchboard asks for.
        judge(
            "sim/judge-fair",
            "Sim: Judge (fair)",
            "Picks the longest answer, whatever its place.",
        ),
        judge(
            "sim/judge-biased",
            "Sim: Judge (biased)",
            "Always picks the first answer it reads.",
        ),
        judge(
            "sim/judge-broken",
            "Sim: Judge (broken)",
            "Answers in prose, not the JSON asked for.",
        ),
    ]
}

fn judge(id: &'static str, name: &'static str, description: &'static str) -> SimModel {
    SimModel {
        id,
        name,
        description,
        input_per_m: "0.20",
        output_per_m: "0.80",
        context: 128_000,
        tokens_per_s: 200.0,
        ttft_ms: 200,
        reasoning: false,
        provider: "Bench Court",
        answer_tokens: 30,
        created: 1_796_000_000,
        default_fault: None,
    }
}

fn per_token(per_m: &str) -> Usd {
    let per_m = Usd::parse(per_m).unwrap_or(Usd::ZERO);
    Usd::from_atto(per_m.atto() / 1_000_000)
}

impl SimModel {
    pub fn pricing(&self) -> Pricing {
        let prompt = per_token(self.input_per_m);
        let completion = per_token(self.output_per_m);
        Pricing {
            prompt,
            completion,
            request: None,
            input_cache_read: None,
            internal_reasoning: self.reasoning.then_some(completion),
            from_catalog: None,
        }
    }

    /// The `/models` entry in OpenRouter's shape, prices as per-token decimal strings.
    pub fn openrouter_json(&self) -> serde_json::Value {
        let variable = self.input_per_m.starts_with('-');
        let price = |per_m: &str| {
            if variable {
                "-1".to_string()
            } else {
                per_token(per_m).to_decimal()
            }
        };
        let mut pricing = json!({
            "prompt": price(self.input_per_m),
            "completion": price(self.output_per_m),
            "request": "0",
            "image": "0",
        });
        let mut params = vec!["temperature", "top_p", "max_tokens", "stop", "seed"];
        if self.reasoning {
            pricing["internal_reasoning"] = json!(price(self.output_per_m));
            params.extend(["reasoning", "include_reasoning"]);
        }
        let mut model = json!({
            "id": self.id,
            "canonical_slug": self.id,
            "name": self.name,
            "created": self.created,
            "description": self.description,
            "context_length": self.context,
            "architecture": {
                "modality": "text->text",
                "input_modalities": if super::vision::takes_images(self.id) { json!(["text", "image"]) } else { json!(["text"]) },
                "output_modalities": ["text"],
                "tokenizer": "Other",
                "instruct_type": null
            },
            "pricing": pricing,
            "top_provider": {"context_length": self.context, "max_completion_tokens": 16384, "is_moderated": false},
            "per_request_limits": null,
            "supported_parameters": params,
            "default_parameters": null,
            "supported_voices": null,
            "links": {"details": format!("/api/v1/models/{}/endpoints", self.id)}
        });
        if self.reasoning {
            model["reasoning"] = json!({"mandatory": false, "supported_efforts": ["low", "medium", "high"], "default_effort": "medium", "default_enabled": true});
        }
        model
    }

    /// The `/v1/models` entry of a local server (Ollama style): an id and nothing else useful.
    pub fn local_json(&self) -> serde_json::Value {
        json!({"id": self.id, "object": "model", "created": self.created, "owned_by": "library"})
    }
}
