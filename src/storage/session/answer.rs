//! One model's answer as a session file keeps it, and the one conversion of a live answer
//! to that form.

use serde::{Deserialize, Serialize};

use crate::chat::{Adjustment, AnswerStatus, Usage};
use crate::cost::{Cost, Pricing};

/// One model's answer in a round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedAnswer {
    /// The pane it was shown in (0-based), at the time.
    pub slot: usize,
    /// The model that was asked.
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub status: AnswerStatus,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reasoning: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// The prices used for a computed or estimated cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Pricing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttft_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_per_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    /// The adopted answer of its round.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub adopted: bool,
    /// No longer shown in a pane (regenerated, branched away from, or its pane closed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archived: bool,
    /// Request fields left out or renamed for its endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjusted: Vec<Adjustment>,
    /// What its stream said about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Its reasoning came inline in `<think>` tags (the raw view puts them back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub think: Option<crate::chat::InlineThink>,
    /// The oldest rounds of its pane's history left out of its request to fit the context.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub left_out: usize,
    /// Output tokens received in each second after the request was sent (index 0 is the
    /// first second): the race, to be drawn again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens_by_second: Vec<u32>,
    /// The round's attachments this model was not sent (SHA-256s): images, to a model that
    /// takes none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_sent: Vec<String>,
}

impl SavedAnswer {
    /// The one conversion of a live answer to its saved form, for the playground and batches.
    pub fn from_answer(
        a: &crate::chat::Answer,
        slot: usize,
        cost: Option<Cost>,
        pricing: Option<Pricing>,
    ) -> SavedAnswer {
        let ms = |d: Option<std::time::Duration>| d.map(|d| d.as_millis() as u64);
        SavedAnswer {
            slot,
            model: a.model.clone(),
            served_model: a.served_model.clone(),
            provider: a.provider.clone(),
            status: a.status,
            text: a.text.clone(),
            reasoning: a.reasoning.clone(),
            error: a.error.as_ref().map(|e| e.message.clone()),
            finish_reason: a.finish_reason.clone(),
            usage: a.usage.clone(),
            cost,
            pricing,
            ttft_ms: ms(a.ttft),
            duration_ms: ms(a.duration),
            tokens_per_s: a.final_tokens_per_second(),
            generation_id: a.generation_id.clone(),
            adopted: false,
            archived: false,
            adjusted: a.adjusted.clone(),
            notes: a.notes.clone(),
            think: a.think.clone(),
            left_out: 0,
            tokens_by_second: a.tokens_by_second(),
            not_sent: Vec::new(),
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
