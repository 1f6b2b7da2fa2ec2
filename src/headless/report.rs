//! What `switchboard run` prints: the JSON document, answer blocks and the summary table.

use std::time::Duration;

use serde::Serialize;

use crate::chat::{Adjustment, Answer, AnswerStatus, Usage};
use crate::cost::{Cost, CostSource, Pricing, Spent, Usd};
use crate::sanitize::single_line;

#[derive(Serialize)]
pub struct Report<'a> {
    pub prompt: &'a str,
    pub answers: Vec<AnswerReport<'a>>,
    #[serde(serialize_with = "crate::cost::as_json_number")]
    pub total_cost_usd: Usd,
    /// Whether any part of the total is an estimate (no usage came back).
    pub total_cost_estimated: bool,
    /// Answers that produced output but have no price at all (not in the total).
    pub unpriced_answers: usize,
    /// `--judge`: its verdict; its readings' cost is in the total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judge: Option<super::judging::JudgeReport<'a>>,
}

impl<'a> Report<'a> {
    /// Adds the judge's verdict, and what its readings cost to the total.
    pub fn add_judge(&mut self, judge: super::judging::JudgeReport<'a>, readings: &[Priced<'_>]) {
        let spent = Spent {
            total: self.total_cost_usd,
            estimated: self.total_cost_estimated,
            unpriced: self.unpriced_answers,
        }
        .merge(spent(readings));
        self.total_cost_usd = spent.total;
        self.total_cost_estimated = spent.estimated;
        self.unpriced_answers = spent.unpriced;
        self.judge = Some(judge);
    }
}

#[derive(Serialize)]
pub struct UsageReport {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub reasoning_tokens: u64,
    pub cached_tokens: u64,
}

#[derive(Serialize)]
pub struct AnswerReport<'a> {
    pub model: &'a str,
    pub served_model: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub status: &'static str,
    pub text: &'a str,
    pub reasoning: &'a str,
    pub error: Option<&'a str>,
    pub usage: Option<UsageReport>,
    #[serde(serialize_with = "crate::cost::as_json_number_opt")]
    pub cost_usd: Option<Usd>,
    pub cost_source: Option<CostSource>,
    /// With `cost_source` `catalog`: which catalog priced it, from when, under which id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priced_from: Option<PricedFrom<'a>>,
    pub ttft_ms: Option<u64>,
    pub duration_ms: Option<u64>,
    pub tokens_per_s: Option<f64>,
    /// Request fields left out or renamed for this endpoint.
    #[serde(skip_serializing_if = "<[Adjustment]>::is_empty")]
    pub adjusted: &'a [Adjustment],
    /// What the answer's stream said about it (an unclosed `<think>`, ...).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub notes: &'a [String],
}

#[derive(Serialize)]
pub struct PricedFrom<'a> {
    pub catalog: &'a str,
    pub fetched_at: String,
    pub id: &'a str,
}

fn ms(d: Option<Duration>) -> Option<u64> {
    d.map(|d| d.as_millis() as u64)
}

fn usage_report(u: &Usage) -> UsageReport {
    UsageReport {
        prompt_tokens: u.prompt_tokens,
        completion_tokens: u.completion_tokens,
        reasoning_tokens: u.reasoning_tokens,
        cached_tokens: u.cached_tokens,
    }
}

/// An answer with the prices that apply to it.
pub struct Priced<'a> {
    pub answer: &'a Answer,
    pub pricing: Option<Pricing>,
    /// A local model with no price: its cost is shown as free, not unknown.
    pub local: bool,
}

impl Priced<'_> {
    pub fn cost(&self) -> Option<Cost> {
        self.answer.cost(self.pricing.as_ref())
    }
}

/// What priced answers cost together.
pub fn spent(answers: &[Priced<'_>]) -> Spent {
    Spent::sum(answers.iter().map(|p| (p.cost(), p.answer.ttft.is_some())))
}

pub fn report<'a>(prompt: &'a str, priced: &'a [Priced<'a>]) -> Report<'a> {
    let answers: Vec<AnswerReport<'a>> = priced
        .iter()
        .map(|p| {
            let a = p.answer;
            let cost = p.cost();
            AnswerReport {
                model: &a.model,
                served_model: a.served_model.as_deref(),
                provider: a.provider.as_deref(),
                status: a.status.label(),
                text: &a.text,
                reasoning: &a.reasoning,
                error: a.error.as_ref().map(|e| e.message.as_str()),
                usage: a.usage.as_ref().map(usage_report),
                cost_usd: cost.map(|c| c.usd),
                cost_source: cost.map(|c| c.source),
                priced_from: p
                    .pricing
                    .as_ref()
                    .and_then(|p| p.from_catalog.as_ref())
                    .filter(|_| cost.is_some_and(|c| c.source == CostSource::Catalog))
                    .map(|r| PricedFrom {
                        catalog: &r.catalog,
                        fetched_at: crate::textfmt::rfc3339(r.fetched_at),
                        id: &r.id,
                    }),
                ttft_ms: ms(a.ttft),
                duration_ms: ms(a.duration),
                tokens_per_s: a.final_tokens_per_second(),
                adjusted: &a.adjusted,
                notes: &a.notes,
            }
        })
        .collect();
    let spent = spent(priced);
    Report {
        prompt,
        answers,
        total_cost_usd: spent.total,
        total_cost_estimated: spent.estimated,
        unpriced_answers: spent.unpriced,
        judge: None,
    }
}

/// "x-ai/grok-4 via xAI" when another model answered, else just the provider.
pub fn served_by(a: &Answer) -> String {
    let provider = a.provider.as_deref().map(single_line);
    match (a.served_model.as_deref(), provider) {
        (Some(m), p) if m != a.model && !a.model.ends_with(&format!(":{m}")) => match p {
            Some(p) => format!("{} via {p}", single_line(m)),
            None => single_line(m).into_owned(),
        },
        (_, Some(p)) => p.into_owned(),
        _ => "-".to_string(),
    }
}

fn secs(d: Option<Duration>) -> String {
    d.map_or("-".to_string(), |d| format!("{:.2}s", d.as_secs_f64()))
}

/// The summary table, one row per answer, columns padded to fit.
pub fn summary_table(answers: &[Priced<'_>]) -> String {
    let header = [
        "MODEL",
        "SERVED BY",
        "STATUS",
        "TTFT",
        "TOK/S",
        "IN/OUT",
        "COST",
    ];
    let mut rows: Vec<[String; 7]> = vec![header.map(str::to_string)];
    for p in answers {
        let a = p.answer;
        let (out, exact) = a.completion_tokens();
        let tokens = match &a.usage {
            Some(u) => format!("{}/{}", u.prompt_tokens, u.completion_tokens),
            None => format!("~{}/~{out}", a.prompt_tokens_estimate),
        };
        debug_assert!(exact == a.usage.is_some());
        let tps = a
            .duration
            .and_then(|d| a.tokens_per_second(d))
            .map_or("-".to_string(), |t| format!("{t:.1}"));
        rows.push([
            single_line(&a.model).into_owned(),
            served_by(a),
            a.status.label().to_string(),
            secs(a.ttft),
            tps,
            tokens,
            match p.cost() {
                Some(c) if p.local && c.usd.is_zero() => "free (local)".to_string(),
                Some(c) => c.display(),
                None => "-".to_string(),
            },
        ]);
    }
    let mut widths = [0usize; 7];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            // Numbers read best right-aligned.
            if i >= 3 {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!("total: {}\n", spent(answers).display()));
    out
}

/// The heading printed above an answer when several models answer.
pub fn answer_heading(a: &Answer) -> String {
    let mut head = format!("=== {}", single_line(&a.model));
    let by = served_by(a);
    if by != "-" {
        head.push_str(&format!(" ({by})"));
    }
    if a.status != AnswerStatus::Complete {
        head.push_str(&format!(" [{}]", a.status.label()));
    }
    head.push_str(" ===");
    head
}
