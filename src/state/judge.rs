//! Asking the judge in the playground: both readings of the newest round stream as requests of
//! their own, their cost counts in the session, and their verdict is kept in the round (apart
//! from your vote) and shown in an overlay.

use std::time::Duration;

use crate::chat::{Answer, StreamEvent};
use crate::cost::{Cost, Pricing};
use crate::judge;
pub use crate::judge::JudgeConfig;
use crate::storage::votes::{JudgeRun, Verdict};

use super::{Effect, Overlay, State};

/// One reading while it streams.
#[derive(Clone, Debug)]
pub struct Reading {
    pub req: u64,
    /// Indices into `Judging::models`, in the order the judge reads them.
    pub order: Vec<usize>,
    pub answer: Answer,
    pub started_at: Duration,
    pub pricing: Option<Pricing>,
}

impl Reading {
    pub fn cost(&self) -> Option<Cost> {
        self.answer.cost(self.pricing.as_ref())
    }
}

/// The judge at work on a round.
#[derive(Clone, Debug)]
pub struct Judging {
    pub round: u64,
    pub judge: String,
    /// The models judged, in pane order.
    pub models: Vec<String>,
    pub readings: Vec<Reading>,
}

/// F4 / `J`: asks the judge about the newest round.
pub(super) fn ask(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(config) = state.judge.clone() else {
        state.notify(
            "no judge: name one with --judge MODEL or [judge] model = \"…\" in the config",
            true,
        );
        return;
    };
    if state.judging.is_some() {
        state.notify("the judge is still reading this round", true);
        return;
    }
    let Some(round) = state.session.head else {
        state.notify("nothing to judge yet: send a prompt first", true);
        return;
    };
    let panes = state.round_panes();
    if panes.len() < 2 {
        state.notify("the judge needs at least two answers of this round", true);
        return;
    }
    if panes.iter().any(|&i| state.panes[i].is_running()) {
        state.notify(
            "answers are still streaming: the judge reads them once they end (or cancel them)",
            true,
        );
        return;
    }
    if let Some(budget) = state.budget {
        let known = state.pricing_for(&config.model).is_some();
        if !known || state.spent().total >= budget {
            state.notify(
                format!(
                    "refused: a {} budget is set and the judge {}",
                    budget.display(),
                    if known {
                        "would go over it"
                    } else {
                        "has no known price"
                    }
                ),
                true,
            );
            return;
        }
    }
    let models: Vec<String> = panes
        .iter()
        .map(|&i| state.panes[i].model.clone())
        .collect();
    let texts: Vec<String> = panes
        .iter()
        .filter_map(|&i| state.panes[i].current())
        .map(|t| t.answer.text.clone())
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let prompt = state.session.rounds[round as usize].prompt.clone();
    let pricing = state.pricing_for(&config.model);
    let mut readings = Vec::new();
    for order in judge::orders(models.len()) {
        let request = judge::request(&config, &prompt, &texts, &order);
        let estimate = crate::cost::estimate_prompt_tokens(
            request.messages.iter().map(|m| m.content.as_str()),
        );
        let req = state.take_req();
        readings.push(Reading {
            req,
            order,
            answer: Answer::new(config.model.clone(), estimate),
            started_at: state.now,
            pricing: pricing.clone(),
        });
        fx.push(Effect::StartStream { req, request });
    }
    state.judging = Some(Judging {
        round,
        judge: config.model.clone(),
        models,
        readings,
    });
    state.overlay = Some(Overlay::Verdict { round, scroll: 0 });
    state.set_focus(state.focus);
}

/// A stream event for one of the judge's readings. False when `req` is not one.
pub(super) fn stream_event(
    state: &mut State,
    req: u64,
    event: StreamEvent,
    at: Duration,
    fx: &mut Vec<Effect>,
) -> bool {
    let Some(j) = state.judging.as_mut() else {
        return false;
    };
    let Some(r) = j.readings.iter_mut().find(|r| r.req == req) else {
        return false;
    };
    let since = at.saturating_sub(r.started_at);
    r.answer.apply(event, since);
    state.session.dirty = true;
    if j.readings.iter().all(|r| r.answer.status.is_finished()) {
        finish(state, fx);
    }
    true
}

/// Both readings ended: their verdict goes to the round.
fn finish(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(j) = state.judging.take() else {
        return;
    };
    let runs: Vec<JudgeRun> = j
        .readings
        .iter()
        .map(|r| judge::recorded(&r.answer, r.cost(), &j.models, &r.order))
        .collect();
    let verdict = judge::judgement(&j.judge, &j.models, runs, state.wall_ms());
    let said = describe(state, &verdict.verdict, verdict.best.as_deref());
    if let Some(r) = state.session.rounds.get_mut(j.round as usize) {
        r.judgements.push(verdict);
    }
    state.notify(format!("the judge: {said}"), false);
    fx.push(Effect::SaveSession);
}

/// `A is best`, `sage-large is best`, `a tie`, `unparseable`: names as the screen may show them.
pub fn describe(state: &State, verdict: &Verdict, best: Option<&str>) -> String {
    match (verdict, best) {
        (Verdict::Best, Some(m)) => format!("{} is best", state.who(m)),
        (Verdict::Tie, _) => "a tie (its two readings disagree, or it saw no winner)".into(),
        (Verdict::Unparseable, _) => "unparseable (see F4 for what it said)".into(),
        _ => verdict.name().into(),
    }
}

/// Stops the judge's readings (quitting): a cancelled reading's exact cost is asked for.
pub(super) fn cancel(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(mut j) = state.judging.take() else {
        return;
    };
    let now = state.now;
    for r in &mut j.readings {
        if r.answer.status.is_finished() {
            continue;
        }
        r.answer.cancel(now.saturating_sub(r.started_at));
        fx.push(Effect::CancelStream { req: r.req });
        if let Some(id) = r.answer.generation_id.clone() {
            fx.push(Effect::LookupGeneration {
                model: j.judge.clone(),
                id,
            });
        }
    }
    state.judging = Some(j);
    finish(state, fx);
}

impl State {
    /// How a model may be named on screen now: its pane letter while who is who is hidden.
    pub fn who(&self, model: &str) -> String {
        if !self.hidden() {
            return model.to_string();
        }
        self.panes
            .iter()
            .position(|p| p.model == model)
            .map_or_else(|| "?".into(), |i| super::arena::letter(i).to_string())
    }
}

#[cfg(test)]
mod tests;
