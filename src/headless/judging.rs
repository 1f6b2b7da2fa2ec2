//! `run --judge MODEL`: after the answers, the judge reads them twice (both orders) and its
//! verdict, with what its readings cost, is printed and added to the JSON document.

use serde::Serialize;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::chat::{Answer, StreamEvent};
use crate::cost::{CostSource, Usd};
use crate::judge::{self, JudgeConfig};
use crate::storage::votes::Judgement;

use super::{Priced, RunContext};

/// The judge's readings (as answers, to be priced like any) and the verdict they add up to.
pub struct Judged {
    pub readings: Vec<Answer>,
    pub orders: Vec<Vec<usize>>,
}

/// Streams both readings of `answers` (in the order of `-m`) to the judge.
pub async fn read(
    ctx: &RunContext,
    config: &JudgeConfig,
    prompt: &str,
    answers: &[Answer],
) -> Judged {
    let texts: Vec<&str> = answers.iter().map(|a| a.text.as_str()).collect();
    let orders = judge::orders(answers.len());
    let (tx, mut rx) = mpsc::channel::<(usize, StreamEvent)>(256);
    let mut readings = Vec::new();
    let mut tasks = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let request = judge::request(config, prompt, &texts, order);
        let estimate = crate::cost::estimate_prompt_tokens(
            request.messages.iter().map(|m| m.content.as_str()),
        );
        readings.push(Answer::new(config.model.clone(), estimate));
        tasks.push(super::spawn_stream(ctx, request, i, &tx));
    }
    drop(tx);
    let start = Instant::now();
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            got = rx.recv() => match got {
                Some((i, event)) => readings[i].apply(event, start.elapsed()),
                None => break,
            },
            // Ctrl-C stops the judge as it stops the answers: what it cost so far is kept.
            _ = &mut ctrl_c => {
                for t in &tasks {
                    t.abort();
                }
                for r in &mut readings {
                    r.cancel(start.elapsed());
                }
                break;
            }
        }
    }
    Judged {
        readings,
        orders: orders.to_vec(),
    }
}

/// The verdict, each reading priced.
pub fn verdict(
    config: &JudgeConfig,
    models: &[String],
    judged: &Judged,
    priced: &[Priced<'_>],
) -> Judgement {
    let runs = judged
        .orders
        .iter()
        .zip(priced)
        .map(|(order, p)| judge::recorded(p.answer, p.cost(), models, order))
        .collect();
    judge::judgement(&config.model, models, runs, 0)
}

#[derive(Serialize)]
pub struct ReadingReport<'a> {
    pub order: &'a [String],
    pub verdict: &'static str,
    pub pick: Option<&'a str>,
    pub reason: &'a str,
    pub status: &'static str,
    #[serde(serialize_with = "crate::cost::as_json_number_opt")]
    pub cost_usd: Option<Usd>,
    pub cost_source: Option<CostSource>,
}

#[derive(Serialize)]
pub struct JudgeReport<'a> {
    pub model: &'a str,
    /// `best`, `tie` (the readings disagree, or it saw no winner) or `unparseable`.
    pub verdict: &'static str,
    pub best: Option<&'a str>,
    pub readings: Vec<ReadingReport<'a>>,
}

pub fn report(j: &Judgement) -> JudgeReport<'_> {
    JudgeReport {
        model: &j.judge,
        verdict: verdict_word(j.verdict),
        best: j.best.as_deref(),
        readings: j
            .runs
            .iter()
            .map(|r| ReadingReport {
                order: &r.order,
                verdict: verdict_word(r.verdict),
                pick: r.pick.as_deref(),
                reason: &r.reason,
                status: r.status.label(),
                cost_usd: r.cost.map(|c| c.usd),
                cost_source: r.cost.map(|c| c.source),
            })
            .collect(),
    }
}

fn verdict_word(v: crate::storage::votes::Verdict) -> &'static str {
    match v {
        crate::storage::votes::Verdict::AllBad => "all_bad",
        other => other.name(),
    }
}

/// The verdict as text: `judge x/y: a/b is best`, then each reading and its reason.
pub fn text(j: &Judgement) -> String {
    let head = judge::verdict_words(j.verdict, j.best.as_deref(), str::to_string);
    let mut out = format!("judge {}: {head}\n", j.judge);
    for (n, r) in j.runs.iter().enumerate() {
        let said = judge::verdict_words(r.verdict, r.pick.as_deref(), str::to_string);
        out.push_str(&format!(
            "  reading {} ({}): {said}: {}\n",
            n + 1,
            r.order.join(" then "),
            r.reason
        ));
    }
    out
}
