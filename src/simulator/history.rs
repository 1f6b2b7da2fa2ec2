//! A long conversation as a saved session, for tests and benchmarks that open one: one branch
//! of rounds, each answered by every model with the demo's markdown (code blocks included).

use crate::chat::{AnswerStatus, Params, Usage};
use crate::cost::{Cost, CostSource, Usd};
use crate::storage::session::{RoundRecord, SCHEMA, SavedAnswer, Session};

use super::answer_text;

/// A session of about `bytes` of answers, one linear conversation with `models`.
pub fn long_session(id: &str, bytes: usize, models: &[&str]) -> Session {
    let mut rounds = Vec::new();
    let mut size = 0;
    let mut i = 0u64;
    // Each pane's conversation so far, as the simulator counts a request's prompt tokens:
    // the usage a reopened history anchors its context count on.
    let mut history: Vec<u64> = vec![crate::tokens::REPLY_FRAMING; models.len()];
    while size < bytes || rounds.is_empty() {
        let prompt = format!("question {i}: how do these sorts compare?");
        let asked = crate::cost::estimate_tokens(&prompt) + crate::tokens::MESSAGE_FRAMING;
        let answers: Vec<SavedAnswer> = models
            .iter()
            .enumerate()
            .map(|(slot, m)| {
                let text = answer_text(slot + i as usize, &prompt, 400);
                size += text.len();
                history[slot] += asked;
                let prompt_tokens = history[slot];
                let completion_tokens = crate::cost::estimate_tokens(&text);
                history[slot] += completion_tokens + crate::tokens::MESSAGE_FRAMING;
                SavedAnswer {
                    slot,
                    model: m.to_string(),
                    served_model: None,
                    provider: None,
                    status: AnswerStatus::Complete,
                    text,
                    reasoning: String::new(),
                    error: None,
                    finish_reason: Some("stop".into()),
                    usage: Some(Usage {
                        prompt_tokens,
                        completion_tokens,
                        cost: Some(Usd::from_atto(1_000_000_000_000)),
                        ..Usage::default()
                    }),
                    cost: Some(Cost {
                        usd: Usd::from_atto(1_000_000_000_000),
                        source: CostSource::Reported,
                    }),
                    pricing: None,
                    ttft_ms: Some(300),
                    duration_ms: Some(3000),
                    tokens_per_s: Some(133.0),
                    generation_id: None,
                    adopted: false,
                    archived: false,
                    adjusted: Vec::new(),
                    notes: Vec::new(),
                    think: None,
                    left_out: 0,
                    tokens_by_second: Vec::new(),
                    not_sent: Vec::new(),
                }
            })
            .collect();
        rounds.push(RoundRecord {
            prompt_id: None,
            id: i,
            parent: i.checked_sub(1),
            prompt,
            system: None,
            params: Params::default(),
            created_ms: 1_795_805_172_000 + i,
            winner: None,
            answers,
            blind: None,
            vote: None,
            judgements: Vec::new(),
            attachments: Vec::new(),
        });
        i += 1;
    }
    Session {
        batch: None,
        schema: SCHEMA,
        id: id.into(),
        title: "a long conversation".into(),
        created_ms: 1_795_805_172_000,
        updated_ms: 1_795_805_172_000 + i,
        base_url: "http://127.0.0.1:1/api/v1".into(),
        models: models.iter().map(|m| m.to_string()).collect(),
        rounds,
    }
}
