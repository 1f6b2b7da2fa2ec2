//! The simulator's streaming writer: writes a planned answer as OpenRouter-style SSE chunks
//! at the model's pace, applying the request's fault.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, sleep_until};

use super::faults::FaultKind;
use super::{GenerationRecord, SimState};

pub(super) use super::plan::Plan;

type Item = Result<Bytes, io::Error>;

const KEEP_ALIVE: &str = ": OPENROUTER PROCESSING\n\n";
const MALFORMED: &str = "data: {\"id\":\"broken\",\"choices\":[{\"delta\":{\"content\":\"lost\n\n";

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
            Some(plan.text_chunk(piece))
        };
        if let Some(chunk) = chunk
            && !w.send(chunk).await
        {
            return (sent, false);
        }
        sent += 1;
        state
            .pieces_sent
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
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
    let _ = w.send(finish).await
        && (!plan.send_usage || w.send(usage).await)
        && w.send("data: [DONE]\n\n".into()).await;
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
