//! Rounds of prompts: sending, cancelling and retrying streams, applying their events, the
//! budget estimate that guards a send, copying an answer, and quitting.

use std::time::Duration;

use crate::chat::StreamEvent;

use super::keymap::Action;
use super::{Effect, State};

pub(super) fn copy(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    let Some(turn) = state.panes.get(state.focused).and_then(|p| p.current()) else {
        state.notify("nothing to copy: this pane has no answer yet", true);
        return;
    };
    let answer = &turn.answer;
    let (text, what) = match action {
        Action::CopyReasoning => (answer.reasoning.clone(), "the reasoning".to_string()),
        Action::CopyCode(n) => {
            let blocks = crate::render::blocks::code_blocks(&answer.text);
            match blocks.get(usize::from(n).saturating_sub(1)) {
                Some(b) => (b.code.clone(), format!("code block [{n}]")),
                None => {
                    state.notify(
                        format!(
                            "no code block [{n}] in this answer (it has {})",
                            blocks.len()
                        ),
                        true,
                    );
                    return;
                }
            }
        }
        _ => (answer.text.clone(), "the answer".to_string()),
    };
    if text.is_empty() {
        state.notify(format!("nothing to copy: {what} is empty"), true);
        return;
    }
    fx.push(Effect::Copy { text, what });
}

pub(super) fn quit(state: &mut State, fx: &mut Vec<Effect>) {
    for i in 0..state.panes.len() {
        cancel(state, i, fx);
    }
    super::judge::cancel(state, fx);
    state.quit = true;
    fx.push(Effect::SaveSession);
    fx.push(Effect::Quit);
}

/// Stops pane `i`'s stream, if one runs (see [`stop`]).
pub(super) fn cancel(state: &mut State, i: usize, fx: &mut Vec<Effect>) {
    let req = state.next_req;
    let now = state.now;
    let Some(pane) = state.panes.get_mut(i) else {
        return;
    };
    if stop(pane, now, req, fx) {
        state.next_req += 1;
        state.session.dirty = true;
    }
}

/// The one way a stream is stopped, whatever stops it (cancel, retry, adopt, new models,
/// opening a session, a branch, the budget, quitting): its task is aborted, its answer
/// marked cancelled, and its exact cost asked for, since a cancelled stream sends no usage.
/// The pane then listens for `new_req`. Returns whether a stream was running.
pub(super) fn stop(
    pane: &mut super::panes::Pane,
    now: std::time::Duration,
    new_req: u64,
    fx: &mut Vec<Effect>,
) -> bool {
    let Some(old) = pane.cancel(now, new_req) else {
        return false;
    };
    fx.push(Effect::CancelStream { req: old });
    if let Some(t) = pane.current() {
        ask_cost(&t.answer, &pane.model, fx);
    }
    true
}

/// A stopped answer's exact cost is asked for: a cancelled stream sends no usage.
pub(super) fn ask_cost(answer: &crate::chat::Answer, model: &str, fx: &mut Vec<Effect>) {
    if let Some(id) = answer
        .generation_id
        .clone()
        .filter(|_| answer.usage.is_none())
    {
        fx.push(Effect::LookupGeneration {
            model: model.to_string(),
            id,
        });
    }
}

/// The exact cost of a cancelled answer arrived: it replaces the estimate, in a pane or in
/// the archive (a retry may have moved the answer there meanwhile).
pub(super) fn generation_cost(state: &mut State, id: &str, cost: crate::chat::GenerationCost) {
    let is = |g: &Option<String>| g.as_deref() == Some(id);
    for pane in &mut state.panes {
        for turn in pane
            .turns
            .iter_mut()
            .filter(|t| is(&t.answer.generation_id))
        {
            turn.answer.billed = Some(cost.total);
        }
    }
    let exact = Some(crate::cost::Cost {
        usd: cost.total,
        source: crate::cost::CostSource::Reported,
    });
    for round in &mut state.session.rounds {
        for a in round.archived.iter_mut().filter(|a| is(&a.generation_id)) {
            a.cost = exact;
        }
        for r in round
            .judgements
            .iter_mut()
            .flat_map(|j| &mut j.runs)
            .filter(|r| is(&r.generation_id))
        {
            r.cost = exact;
        }
    }
    state.session.dirty = true;
}

pub(super) fn retry(state: &mut State, fx: &mut Vec<Effect>) {
    retry_choosing(state, state.focused, None, fx);
}

/// Sends pane `i`'s last prompt again, in place of its answer, with `chosen` as the answer
/// to a context overflow (else the config's `on_context_overflow`).
pub(super) fn retry_choosing(
    state: &mut State,
    i: usize,
    chosen: Option<super::overflow::Choice>,
    fx: &mut Vec<Effect>,
) {
    let Some(prompt) = state
        .panes
        .get(i)
        .and_then(|p| p.current())
        .map(|t| t.prompt.clone())
    else {
        state.notify("nothing to retry in this pane yet", true);
        return;
    };
    let Some(skip) = super::overflow::decide_retry(state, i, chosen, fx) else {
        return;
    };
    cancel(state, i, fx);
    let Some(old) = state.panes[i].turns.pop() else {
        return;
    };
    let round = old.round;
    state.archive(old, i);
    start(state, i, round, &prompt, skip, fx);
}

/// Sends `prompt` as round `round` in pane `i`, with the pane's conversation less its
/// `skip` oldest rounds.
fn start(state: &mut State, i: usize, round: u64, prompt: &str, skip: usize, fx: &mut Vec<Effect>) {
    let req = state.take_req();
    let pricing = state.pricing_for(&state.panes[i].model);
    let (now, system, params) = (state.now, state.system.clone(), state.params.clone());
    let model = state.panes[i].model.clone();
    let round_files = state
        .session
        .rounds
        .get(round as usize)
        .map(|r| r.attachments.as_slice())
        .unwrap_or_default();
    let (sent, notes) =
        crate::chat::attach::for_model(round_files, &model, state.takes_images(&model));
    let not_sent: Vec<String> = round_files
        .iter()
        .filter(|a| !sent.iter().any(|s| s.sha256 == a.sha256))
        .map(|a| a.sha256.clone())
        .collect();
    let attached = crate::chat::attach::tokens(&sent);
    let (estimate, own) = state.start_tokens(i, prompt, skip);
    let tokens = (
        estimate.saturating_add(attached),
        own.saturating_add(attached),
    );
    let compressed = state
        .context_fill(i, prompt)
        .filter(|f| f.over() && skip == 0 && state.middle_out_for(&state.panes[i].model));
    let request = state.panes[i].start_turn(
        super::panes::TurnStart {
            round,
            prompt,
            req,
            now,
            skip,
            tokens,
            attachments: (sent, not_sent),
        },
        system.as_deref(),
        &params,
        pricing,
    );
    if let Some(turn) = state.panes[i].turns.last_mut() {
        turn.answer.notes.extend(notes);
    }
    if let (Some(fill), Some(turn)) = (compressed, state.panes[i].turns.last_mut()) {
        turn.answer.notes.push(format!(
            "sent with middle-out (config): ~{} tokens are over the {} context, so OpenRouter cuts the middle of the conversation to fit",
            crate::textfmt::grouped(fill.tokens),
            crate::textfmt::grouped(fill.context)
        ));
    }
    fx.push(Effect::StartStream { req, request });
}

pub(super) fn stream_event(
    state: &mut State,
    req: u64,
    event: StreamEvent,
    at: Duration,
    fx: &mut Vec<Effect>,
) {
    state.now = state.now.max(at);
    let Some(i) = state.panes.iter().position(|p| p.req == req) else {
        super::judge::stream_event(state, req, event, at, fx);
        return;
    };
    let ended = matches!(event, StreamEvent::End(_));
    let served = match &event {
        StreamEvent::ServedBy { model: Some(m), .. } => Some(m.clone()),
        _ => None,
    };
    state.panes[i].apply(req, event, at);
    // Another model answered (a router or a fallback): it is the one that bills.
    let pane_model = state.panes[i].model.clone();
    if let Some(model) = served.filter(|m| m != state.bare_model(&pane_model))
        && let Some(pricing) =
            state.pricing_for(&format!("{}{model}", state.provider_prefix(&pane_model)))
        && let Some(turn) = state.panes[i].turns.last_mut()
    {
        turn.pricing = Some(pricing);
    }
    if let Some(budget) = state.budget {
        let spent = state.spent().total;
        if spent > budget && state.streaming() {
            for j in 0..state.panes.len() {
                cancel(state, j, fx);
            }
            super::judge::cancel(state, fx);
            state.notify(
                format!("budget of {} reached: streams stopped", budget.display()),
                true,
            );
        }
    }
    state.session.dirty = true;
    if ended && !state.streaming() {
        fx.push(Effect::FetchKeyInfo);
        fx.push(Effect::SaveSession);
    }
}

pub(super) mod send;
pub(super) use send::{send, send_choosing};

#[cfg(test)]
pub(crate) mod tests;
