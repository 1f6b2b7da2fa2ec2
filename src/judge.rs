//! The judge: a model asked which of a round's answers is best. It reads them anonymised, as
//! `Answer 1`, `Answer 2`, …, twice (in pane order and reversed) to cancel position bias, and
//! must reply with JSON, parsed strictly. Shared by the playground and `run --judge`.

use serde::Deserialize;

use crate::chat::{ChatRequest, Message, Params, ResponseFormat, Role};
use crate::storage::votes::{JudgeRun, Judgement, Verdict};

/// The prompt unless the config gives another; `{prompt}` and `{answers}` are filled in.
pub const DEFAULT_TEMPLATE: &str = "You are an impartial judge. Compare the answers below to \
the user's prompt and decide which one is best: the most correct, helpful and clear. Do not \
let the order of the answers, their length or their style sway you.\n\n\
[Prompt]\n{prompt}\n[End of prompt]\n\n{answers}\n\n\
Reply with JSON only, exactly of this form: {\"winner\": \"<the number of the best answer, or \
tie>\", \"reason\": \"<one or two sentences>\"}";

/// How much of the reply an unparseable verdict shows.
const SHOWN_OF_UNPARSEABLE: usize = 200;

/// A judge model and its prompt template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgeConfig {
    pub model: String,
    pub template: String,
}

impl JudgeConfig {
    pub fn new(model: impl Into<String>, template: Option<String>) -> Result<JudgeConfig, String> {
        let model = model.into();
        if model.trim().is_empty() {
            return Err("the judge model is empty".into());
        }
        let template = template.unwrap_or_else(|| DEFAULT_TEMPLATE.to_string());
        for field in ["{prompt}", "{answers}"] {
            if !template.contains(field) {
                return Err(format!("the judge prompt must contain {field}"));
            }
        }
        Ok(JudgeConfig { model, template })
    }
}

/// The two orders the judge reads `n` answers in: as shown, and reversed.
pub fn orders(n: usize) -> [Vec<usize>; 2] {
    let shown: Vec<usize> = (0..n).collect();
    let reversed = shown.iter().rev().copied().collect();
    [shown, reversed]
}

/// The request for one reading: `answers` (text of each answer, in pane order) read in
/// `order`.
pub fn request(
    judge: &JudgeConfig,
    prompt: &str,
    answers: &[&str],
    order: &[usize],
) -> ChatRequest {
    let mut listed = String::new();
    for (pos, &i) in order.iter().enumerate() {
        let n = pos + 1;
        let text = answers.get(i).copied().unwrap_or("");
        let text = if text.trim().is_empty() {
            "(no answer)"
        } else {
            text
        };
        listed.push_str(&format!("[Answer {n}]\n{text}\n[End of answer {n}]\n\n"));
    }
    let content = fill(&judge.template, prompt, listed.trim_end());
    let mut choices: Vec<String> = (1..=order.len()).map(|n| n.to_string()).collect();
    choices.push("tie".into());
    ChatRequest {
        model: judge.model.clone(),
        messages: vec![Message::new(Role::User, content)],
        params: Params {
            temperature: Some(0.0),
            ..Params::default()
        },
        format: Some(ResponseFormat {
            name: "verdict".into(),
            schema: serde_json::json!({
                "type": "object",
                "properties": {
                    "winner": {"type": "string", "enum": choices},
                    "reason": {"type": "string"}
                },
                "required": ["winner", "reason"],
                "additionalProperties": false
            }),
        }),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reply {
    winner: String,
    reason: String,
}

/// A reply read strictly: one JSON object `{"winner": "<n>" | "tie", "reason": "…"}`, alone
/// (a single surrounding ```json fence is allowed: models without structured output add one).
/// `Ok(Some(position))` names the answer at that position of the order (0-based).
pub fn parse(reply: &str, n: usize) -> Result<(Option<usize>, String), String> {
    let text = reply.trim();
    let text = text
        .strip_prefix("```json")
        .or_else(|| text.strip_prefix("```"))
        .and_then(|t| t.strip_suffix("```"))
        .map_or(text, str::trim);
    let r: Reply =
        serde_json::from_str(text).map_err(|e| format!("not the JSON asked for: {e}"))?;
    let reason = crate::sanitize::single_line(r.reason.trim()).into_owned();
    let w = r.winner.trim();
    if w.eq_ignore_ascii_case("tie") {
        return Ok((None, reason));
    }
    match w.parse::<usize>() {
        Ok(k) if (1..=n).contains(&k) => Ok((Some(k - 1), reason)),
        _ => Err(format!("winner {w:?} is not 1 to {n} or tie")),
    }
}

/// One reading as recorded: what the reply says about `models` (pane order) read in `order`.
pub fn reading(reply: &str, models: &[String], order: &[usize]) -> JudgeRun {
    let order_models: Vec<String> = order.iter().map(|&i| models[i].clone()).collect();
    let (verdict, pick, reason) = match parse(reply, order.len()) {
        Ok((Some(pos), reason)) => (Verdict::Best, Some(order_models[pos].clone()), reason),
        Ok((None, reason)) => (Verdict::Tie, None, reason),
        Err(why) => {
            let head: String = crate::sanitize::single_line(reply.trim())
                .chars()
                .take(SHOWN_OF_UNPARSEABLE)
                .collect();
            (
                Verdict::Unparseable,
                None,
                format!("{why}; it said: {head}"),
            )
        }
    };
    JudgeRun {
        order: order_models,
        verdict,
        pick,
        reason,
        status: crate::chat::AnswerStatus::Complete,
        answered: !reply.is_empty(),
        usage: None,
        cost: None,
        generation_id: None,
    }
}

/// The template with `{prompt}` and `{answers}` filled in one pass: text inside an answer
/// that looks like a placeholder stays as it is.
fn fill(template: &str, prompt: &str, answers: &str) -> String {
    let mut out = String::with_capacity(template.len() + prompt.len() + answers.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{prompt}") {
            out.push_str(prompt);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{answers}") {
            out.push_str(answers);
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The words for a verdict, with `name` saying how to show a model: `x is best`, `a tie
/// (…)`, `unparseable`, `failed`.
pub fn verdict_words(
    verdict: Verdict,
    best: Option<&str>,
    name: impl Fn(&str) -> String,
) -> String {
    match (verdict, best) {
        (Verdict::Best, Some(m)) => format!("{} is best", name(m)),
        (Verdict::Tie, _) => "a tie (its two readings disagree, or it saw no winner)".into(),
        (Verdict::Unparseable, _) => "unparseable: it did not reply with the JSON asked for".into(),
        (Verdict::Failed, _) => "no verdict: a reading failed or was stopped".into(),
        (v, _) => v.name().into(),
    }
}

/// A finished reading as recorded, with what it cost: a stream that failed is an
/// unparseable reading that says why.
pub fn recorded(
    answer: &crate::chat::Answer,
    cost: Option<crate::cost::Cost>,
    models: &[String],
    order: &[usize],
) -> JudgeRun {
    let a = answer;
    let mut run = if a.status == crate::chat::AnswerStatus::Complete {
        reading(&a.text, models, order)
    } else {
        let mut run = reading("", models, order);
        run.verdict = Verdict::Failed;
        run.reason = match &a.error {
            Some(e) => format!("the judge's request failed: {}", e.message),
            None if a.status.is_finished() => "stopped before it replied".into(),
            None => "interrupted: switchboard stopped while it read".into(),
        };
        run
    };
    run.status = a.status;
    // As the live total counts it: output began (text or reasoning).
    run.answered = a.ttft.is_some();
    run.usage = a.usage.clone();
    run.cost = cost;
    run.generation_id = a.generation_id.clone();
    run
}

/// The verdict from both readings.
pub fn judgement(judge: &str, models: &[String], runs: Vec<JudgeRun>, at_ms: u64) -> Judgement {
    let (verdict, best) = Judgement::combine(&runs);
    Judgement {
        judge: judge.to_string(),
        verdict,
        best,
        models: models.to_vec(),
        runs,
        at_ms,
    }
}

#[cfg(test)]
mod tests;
