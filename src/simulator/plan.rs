//! The answer the simulator plans for one request (who serves it, its tokens, pace and
//! fault) and the OpenRouter-style SSE chunks it is written as.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::chat::Usage;
use crate::cost::{Pricing, estimate_prompt_tokens};

use super::SimState;
use super::answers::{answer_text, reasoning_text, tokenize};
use super::faults::{Directives, Fault};
use super::models::SimModel;

/// Everything the writer needs to stream one answer.
pub(super) struct Plan {
    pub gen_id: String,
    created: u64,
    pub(super) served_model: String,
    pub(super) provider: &'static str,
    pub(super) reasoning: Vec<String>,
    pub(super) text: Vec<String>,
    pub(super) fault: Option<Fault>,
    pub(super) ttft: Duration,
    /// Tokens per second; 0 means as fast as the connection takes.
    pub(super) rate: f64,
    pricing: Pricing,
    prompt_tokens: u64,
    pub(super) local: bool,
    pub(super) finish_reason: &'static str,
    dialect: super::SimDialect,
    /// Send the usage chunk (some endpoints only when `stream_options` asks).
    pub(super) send_usage: bool,
}

fn seed(id: &str) -> usize {
    id.bytes().map(usize::from).sum()
}

impl Plan {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        state: &SimState,
        model: &SimModel,
        requested: &str,
        messages: &[(String, String)],
        prompt: &str,
        directives: &Directives,
        fault: Option<Fault>,
        n: u64,
        body: &serde_json::Value,
    ) -> Plan {
        // The router picks a concrete model per prompt, as openrouter/auto does.
        let served = if model.id == "sim/auto" {
            let choices = ["sim/swift-mini", "sim/sage-large"];
            let pick = choices[seed(prompt) % choices.len()];
            state.models.iter().find(|m| m.id == pick).unwrap_or(model)
        } else {
            model
        };
        let served_model = if served.id == model.id {
            requested.to_string()
        } else {
            served.id.to_string()
        };
        let scale = state.config.delay_scale.max(0.0);
        let target = directives.tokens.unwrap_or(served.answer_tokens);
        let planned = super::judging::reply(served.id, prompt)
            .unwrap_or_else(|| answer_text(seed(&served_model), prompt, target));
        let seen = super::vision::seen_line(&super::vision::images(body)).unwrap_or_default();
        let mut text = tokenize(&format!("{seen}{planned}"));
        if let Some(exact) = directives.tokens {
            let filler = tokenize(&answer_text(0, "", exact));
            let mut i = 0;
            while text.len() < exact && !filler.is_empty() {
                text.push(filler[i % filler.len()].clone());
                i += 1;
            }
            text.truncate(exact);
        }
        let exclude = body
            .pointer("/reasoning/exclude")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let reasoning = if served.reasoning && !exclude {
            tokenize(&reasoning_text(prompt))
        } else {
            Vec::new()
        };
        let mut finish_reason = "stop";
        let max = body
            .get("max_tokens")
            .or_else(|| body.get("max_completion_tokens"))
            .and_then(|m| m.as_u64());
        if let Some(max) = max {
            let budget = (max as usize).saturating_sub(reasoning.len());
            if text.len() > budget {
                text.truncate(budget);
                finish_reason = "length";
            }
        }
        let ttft = directives
            .ttft
            .unwrap_or_else(|| Duration::from_millis(served.ttft_ms).mul_f64(scale));
        let rate = directives.rate.unwrap_or(if scale == 0.0 {
            0.0
        } else {
            served.tokens_per_s / scale
        });
        let created = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Plan {
            gen_id: format!("gen-{created}-sim{n:08}"),
            created,
            served_model,
            provider: served.provider,
            reasoning,
            text,
            fault,
            ttft,
            rate,
            pricing: served.pricing(),
            prompt_tokens: estimate_prompt_tokens(messages.iter().map(|(_, c)| c.as_str())),
            local: state.config.local || state.config.dialect != super::SimDialect::OpenRouter,
            finish_reason,
            dialect: state.config.dialect,
            send_usage: !state.config.dialect.usage_on_request()
                || body
                    .pointer("/stream_options/include_usage")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
        }
    }

    pub(super) fn chunk(&self, delta: &str, finish: Option<&str>, extra: &str) -> String {
        let finish = finish.map_or("null".to_string(), |f| format!("\"{f}\""));
        let choices = if delta.is_empty() {
            "[]".to_string()
        } else {
            format!(
                r#"[{{"index":0,"delta":{delta},"finish_reason":{finish},"native_finish_reason":{finish}}}]"#
            )
        };
        let model = json_str(&self.served_model);
        if self.local {
            format!(
                "data: {{\"id\":\"chatcmpl-{}\",\"object\":\"chat.completion.chunk\",\"created\":{},\"model\":{model},\"choices\":{choices}{extra}}}\n\n",
                &self.gen_id[self.gen_id.len() - 3..],
                self.created
            )
        } else {
            format!(
                "data: {{\"id\":\"{}\",\"object\":\"chat.completion.chunk\",\"created\":{},\"model\":{model},\"provider\":\"{}\",\"choices\":{choices}{extra}}}\n\n",
                self.gen_id, self.created, self.provider
            )
        }
    }

    pub(super) fn text_chunk(&self, piece: &str) -> String {
        self.chunk(
            &format!(r#"{{"role":"assistant","content":{}}}"#, json_str(piece)),
            None,
            "",
        )
    }

    /// A reasoning piece in the dialect's shape; `None` where reasoning is not streamed.
    pub(super) fn reasoning_chunk(&self, piece: &str) -> Option<String> {
        let s = json_str(piece);
        let delta = if self.local {
            self.dialect.reasoning_delta(piece)?
        } else {
            format!(
                r#"{{"role":"assistant","content":"","reasoning":{s},"reasoning_details":[{{"type":"reasoning.text","text":{s},"format":"sim-v1","index":0}}]}}"#
            )
        };
        Some(self.chunk(&delta, None, ""))
    }

    pub(super) fn usage(&self, completion: u64) -> Usage {
        let reasoning = (self.reasoning.len() as u64).min(completion);
        let mut usage = Usage {
            prompt_tokens: self.prompt_tokens,
            completion_tokens: completion,
            reasoning_tokens: reasoning,
            cached_tokens: 0,
            cost: None,
        };
        usage.cost = Some(self.pricing.cost_of(&usage));
        usage
    }

    pub(super) fn usage_json(&self, completion: u64) -> String {
        let u = self.usage(completion);
        let cost = if self.local {
            String::new()
        } else {
            format!(
                r#","cost":{},"is_byok":false"#,
                u.cost.unwrap_or_default().to_decimal()
            )
        };
        format!(
            r#","usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{}{cost},"prompt_tokens_details":{{"cached_tokens":0}},"completion_tokens_details":{{"reasoning_tokens":{}}}}}"#,
            u.prompt_tokens,
            u.completion_tokens,
            u.prompt_tokens + u.completion_tokens,
            u.reasoning_tokens
        )
    }

    pub(super) fn error_chunk(&self, completion: u64) -> String {
        let extra = format!(
            r#","error":{{"code":502,"message":"Upstream provider disconnected","metadata":{{"error_type":"provider_unavailable"}}}}{}"#,
            self.usage_json(completion)
        );
        self.chunk(r#"{"content":""}"#, Some("error"), &extra)
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}
