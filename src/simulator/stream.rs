//! The simulator's streaming writer: plans an answer for a request, then writes it as
//! OpenRouter-style SSE chunks at the model's pace, applying the request's fault.

use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, sleep_until};

use crate::chat::Usage;
use crate::cost::{Pricing, estimate_prompt_tokens};

use super::answers::{answer_text, reasoning_text, tokenize};
use super::faults::{Directives, Fault, FaultKind};
use super::models::SimModel;
use super::{GenerationRecord, SimState};

type Item = Result<Bytes, io::Error>;

const KEEP_ALIVE: &str = ": OPENROUTER PROCESSING\n\n";
const MALFORMED: &str = "data: {\"id\":\"broken\",\"choices\":[{\"delta\":{\"content\":\"lost\n\n";

/// Everything the writer needs to stream one answer.
pub(super) struct Plan {
    pub gen_id: String,
    created: u64,
    served_model: String,
    provider: &'static str,
    reasoning: Vec<String>,
    text: Vec<String>,
    fault: Option<Fault>,
    ttft: Duration,
    /// Tokens per second; 0 means as fast as the connection takes.
    rate: f64,
    pricing: Pricing,
    prompt_tokens: u64,
    local: bool,
    finish_reason: &'static str,
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
        let mut text = tokenize(&answer_text(seed(&served_model), prompt, target));
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
        if let Some(max) = body.get("max_tokens").and_then(|m| m.as_u64()) {
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
            local: state.config.local,
            finish_reason,
        }
    }

    fn chunk(&self, delta: &str, finish: Option<&str>, extra: &str) -> String {
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

    fn text_chunk(&self, piece: &str) -> String {
        self.chunk(
            &format!(r#"{{"role":"assistant","content":{}}}"#, json_str(piece)),
            None,
            "",
        )
    }

    fn reasoning_chunk(&self, piece: &str) -> String {
        let s = json_str(piece);
        let delta = if self.local {
            format!(r#"{{"reasoning_content":{s}}}"#)
        } else {
            format!(
                r#"{{"role":"assistant","content":"","reasoning":{s},"reasoning_details":[{{"type":"reasoning.text","text":{s},"format":"sim-v1","index":0}}]}}"#
            )
        };
        self.chunk(&delta, None, "")
    }

    fn usage(&self, completion: u64) -> Usage {
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

    fn usage_json(&self, completion: u64) -> String {
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

    fn error_chunk(&self, completion: u64) -> String {
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

struct Writer<'a> {
    tx: &'a mpsc::Sender<Item>,
    split_utf8: bool,
}

impl Writer<'_> {
    async fn send(&self, text: String) -> bool {
        if self.split_utf8
            && let Some(cut) = text
                .char_indices()
                .find(|(_, c)| c.len_utf8() > 1)
                .map(|(i, _)| i + 1)
        {
            let bytes = Bytes::from(text);
            if self.tx.send(Ok(bytes.slice(..cut))).await.is_err() {
                return false;
            }
            sleep(Duration::from_millis(2)).await;
            return self.tx.send(Ok(bytes.slice(cut..))).await.is_ok();
        }
        self.tx.send(Ok(Bytes::from(text))).await.is_ok()
    }
}

/// Streams the plan; returns the tokens sent and whether the answer ran to its end (in which
/// case the generation is already recorded, before the last chunks leave, so a client that
/// asks `/key` right after `[DONE]` sees the charge).
async fn write(state: &SimState, plan: &Plan, tx: &mpsc::Sender<Item>) -> (u64, bool) {
    let fault = plan.fault.as_ref();
    let w = Writer {
        tx,
        split_utf8: fault.is_some_and(|f| f.kind == FaultKind::SplitUtf8),
    };
    let start = Instant::now();
    if !plan.local {
        if !w.send(KEEP_ALIVE.to_string()).await {
            return (0, false);
        }
        while start.elapsed() + Duration::from_millis(300) < plan.ttft {
            sleep(Duration::from_millis(300)).await;
            if !w.send(KEEP_ALIVE.to_string()).await {
                return (0, false);
            }
        }
    }
    sleep_until(start + plan.ttft).await;
    if !w
        .send(plan.chunk(r#"{"role":"assistant","content":""}"#, None, ""))
        .await
    {
        return (0, false);
    }
    let pieces = plan
        .reasoning
        .iter()
        .map(|p| (true, p))
        .chain(plan.text.iter().map(|p| (false, p)));
    let streaming_start = Instant::now();
    let mut sent = 0u64;
    for (i, (is_reasoning, piece)) in pieces.enumerate() {
        if let Some(f) = fault.filter(|f| f.after == i) {
            match f.kind {
                FaultKind::InBand => {
                    record(state, plan, sent, false);
                    let _ = w.send(plan.error_chunk(sent)).await
                        && w.send("data: [DONE]\n\n".into()).await;
                    return (sent, true);
                }
                FaultKind::Drop => {
                    // Let what was sent reach the wire first, as it would have in real life.
                    sleep(Duration::from_millis(50)).await;
                    let _ = tx
                        .send(Err(io::Error::other("simulated connection drop")))
                        .await;
                    return (sent, false);
                }
                FaultKind::Cut => return (sent, false),
                FaultKind::Stall => {
                    tx.closed().await;
                    return (sent, false);
                }
                FaultKind::Malformed if !w.send(MALFORMED.to_string()).await => {
                    return (sent, false);
                }
                _ => {}
            }
        }
        if plan.rate > 0.0 {
            sleep_until(streaming_start + Duration::from_secs_f64(i as f64 / plan.rate)).await;
        }
        let chunk = if is_reasoning {
            plan.reasoning_chunk(piece)
        } else {
            plan.text_chunk(piece)
        };
        if !w.send(chunk).await {
            return (sent, false);
        }
        sent += 1;
        if !plan.local && i % 25 == 24 && !w.send(KEEP_ALIVE.to_string()).await {
            return (sent, false);
        }
    }
    let finish = plan.chunk(
        r#"{"role":"assistant","content":""}"#,
        Some(plan.finish_reason),
        "",
    );
    let usage = plan.chunk("", None, &plan.usage_json(sent));
    record(state, plan, sent, false);
    let _ = w.send(finish).await && w.send(usage).await && w.send("data: [DONE]\n\n".into()).await;
    (sent, true)
}

fn record(state: &SimState, plan: &Plan, sent: u64, cancelled: bool) {
    let usage = plan.usage(sent);
    let cost = usage.cost.unwrap_or_default();
    if let Ok(mut spent) = state.spent.lock() {
        *spent += cost;
    }
    if let Ok(mut gens) = state.generations.lock() {
        gens.insert(
            plan.gen_id.clone(),
            GenerationRecord {
                model: plan.served_model.clone(),
                provider: plan.provider.to_string(),
                prompt_tokens: usage.prompt_tokens,
                completion_tokens: usage.completion_tokens,
                cost,
                cancelled,
                polls: 0,
            },
        );
    }
}

pub(super) fn spawn_writer(state: Arc<SimState>, plan: Plan) -> mpsc::Receiver<Item> {
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(async move {
        let (sent, completed) = write(&state, &plan, &tx).await;
        if !completed {
            record(&state, &plan, sent, true);
        }
    });
    rx
}
