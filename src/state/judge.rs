//! Asking the judge in the playground: both readings of the newest round stream as requests of
//! their own, their cost counts in the session, and their verdict is kept in the round (apart
//! from your vote) and shown in an overlay.

use std::time::Duration;

use crate::chat::{Answer, StreamEvent};
use crate::cost::{Cost, Pricing};
use crate::judge;
pub use crate::judge::JudgeConfig;
use crate::storage::votes::Verdict;

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
    let shown = matches!(state.overlay, Some(Overlay::Verdict { .. }));
    if let Some(round) = state.session.head
        && !shown
        && !state.hidden()
        && !state.session.rounds[round as usize].judgements.is_empty()
    {
        // Its verdict is already there: show it; asking again (F4 once more) pays again.
        state.overlay = Some(Overlay::Verdict { round, scroll: 0 });
        return;
    }
    let Some(config) = state.judge.clone() else {
        state.notify(
            "no judge: name one with --judge MODEL or [judge] model = \"…\" in the config",
            true,
        );
        return;
    };
    if state.judging.is_some() {
        state.overlay = Some(Overlay::Verdict {
            round: state.judging.as_ref().map_or(0, |j| j.round),
            scroll: 0,
        });
        return;
    }
    let Some(round) = state.session.head else {
        state.notify("nothing to judge yet: send a prompt first", true);
        return;
    };
    // A verdict seen before the vote would sway it.
    if state.hidden() {
        state.notify(
            "a blind round: vote first (v · = · -), then ask the judge",
            true,
        );
        return;
    }
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
    let requests: Vec<(Vec<usize>, crate::chat::ChatRequest)> = judge::orders(models.len())
        .into_iter()
        .map(|order| {
            let request = judge::request(&config, &prompt, &texts, &order);
            (order, request)
        })
        .collect();
    let tokens = |r: &crate::chat::ChatRequest| {
        crate::cost::estimate_prompt_tokens(r.messages.iter().map(|m| m.content.as_str()))
    };
    if state.budget.is_some() {
        let estimate = pricing.as_ref().map_or(crate::cost::Usd::ZERO, |p| {
            requests
                .iter()
                .map(|(_, r)| {
                    crate::cost::estimated_cost(
                        tokens(r),
                        super::money::ASSUMED_OUTPUT_TOKENS,
                        0,
                        p,
                    )
                    .usd
                })
                .fold(crate::cost::Usd::ZERO, |a, b| a + b)
        });
        let judge_model = [config.model.clone()];
        if let Some(refused) = super::money::over_budget(state, &judge_model, estimate, "the judge")
        {
            state.notify(refused, true);
            return;
        }
    }
    let mut readings = Vec::new();
    for (order, request) in requests {
        let estimate = tokens(&request);
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
    let Some(verdict) = state.judging_so_far() else {
        return;
    };
    let Some(j) = state.judging.take() else {
        return;
    };
    let said = describe(state, &verdict.verdict, verdict.best.as_deref());
    if let Some(r) = state.session.rounds.get_mut(j.round as usize) {
        r.judgements.push(verdict);
    }
    state.notify(format!("the judge: {said}"), false);
    fx.push(Effect::SaveSession);
}

/// `A is best`, `sage-large is best`, `a tie`, `unparseable`: names as the screen may show them.
pub fn describe(state: &State, verdict: &Verdict, best: Option<&str>) -> String {
    judge::verdict_words(*verdict, best, |m| state.who(m))
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
        super::rounds::ask_cost(&r.answer, &j.judge, fx);
    }
    state.judging = Some(j);
    finish(state, fx);
}

impl State {
    /// The judge's readings as they stand, as a judgement (interrupted, if saved now).
    pub fn judging_so_far(&self) -> Option<crate::storage::votes::Judgement> {
        let j = self.judging.as_ref()?;
        let runs = j
            .readings
            .iter()
            .map(|r| judge::recorded(&r.answer, r.cost(), &j.models, &r.order))
            .collect();
        Some(judge::judgement(&j.judge, &j.models, runs, self.wall_ms()))
    }

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
