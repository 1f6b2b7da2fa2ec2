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

pub(super) fn send(state: &mut State, only_focused: bool, fx: &mut Vec<Effect>) {
    send_choosing(state, only_focused, None, fx);
}

/// Sends the editor's prompt, with `chosen` as the answer to a context overflow (else the
/// config's `on_context_overflow`).
pub(super) fn send_choosing(
    state: &mut State,
    only_focused: bool,
    chosen: Option<super::overflow::Choice>,
    fx: &mut Vec<Effect>,
) {
    let prompt = state.editor.text();
    if prompt.trim().is_empty() {
        state.notify("type a prompt first", true);
        return;
    }
    if state.panes.is_empty() {
        state.open_picker();
        state.notify("pick at least one model first", true);
        return;
    }
    if state.blind && (only_focused || state.panes.len() < 2) {
        state.notify(
            "a blind round goes to two or more panes: pick models (Ctrl-P) and send with Enter, or turn blind mode off (F3)",
            true,
        );
        return;
    }
    let targets: Vec<usize> = if only_focused {
        vec![state.focused.min(state.panes.len() - 1)]
    } else {
        (0..state.panes.len()).collect()
    };
    if state.budget.is_some() {
        let models: Vec<String> = targets
            .iter()
            .map(|&i| state.panes[i].model.clone())
            .collect();
        let (estimate, _) = super::money::round_estimate(state, &targets, &prompt, true);
        if let Some(refused) = super::money::over_budget(state, &models, estimate, "this round") {
            state.notify(refused, true);
            return;
        }
    }
    if state.judging.is_some() {
        state.notify(
            "the judge is still reading this round: wait for its verdict, or Ctrl-C stops it",
            true,
        );
        return;
    }
    let Some(trims) = super::overflow::decide(state, &targets, &prompt, only_focused, chosen, fx)
    else {
        return;
    };
    // Stop what runs before the round moves answers to the archive: an edited branch
    // archives every pane's later turns, and none may go on streaming (and billing) there.
    let branching = state.session.branch_from.is_some();
    for i in 0..state.panes.len() {
        if branching || targets.contains(&i) {
            cancel(state, i, fx);
        }
    }
    let round = new_round(state, &prompt);
    if state.blind {
        super::arena::shuffle(state, round);
    }
    for i in targets {
        let skip = trims.iter().find(|(p, _)| *p == i).map_or(0, |(_, n)| *n);
        start(state, i, round, &prompt, skip, fx);
    }
    state.prefs.remember_prompt(&prompt);
    let models: Vec<String> = state.panes.iter().map(|p| p.model.clone()).collect();
    let key = crate::storage::prefs::endpoint_key(state.demo, &state.base_url).to_string();
    state.prefs.used_models(&key, &models);
    state.editor.clear();
    fx.push(Effect::SavePrefs);
}

/// Opens a round for `prompt`: after the current one, or, when an earlier prompt is being
/// edited, beside it (the panes' turns from that round on move to the archive).
fn new_round(state: &mut State, prompt: &str) -> u64 {
    let parent = match state.session.branch_from.take() {
        Some(edited) => {
            let path = state.path_to(state.session.head);
            let from = path.iter().position(|r| *r == edited).unwrap_or(path.len());
            let dropped: Vec<u64> = path[from..].to_vec();
            for slot in 0..state.panes.len() {
                let (keep, moved): (Vec<_>, Vec<_>) = std::mem::take(&mut state.panes[slot].turns)
                    .into_iter()
                    .partition(|t| !dropped.contains(&t.round));
                state.panes[slot].turns = keep;
                for t in moved {
                    state.archive(t, slot);
                }
            }
            state
                .session
                .rounds
                .get(edited as usize)
                .and_then(|r| r.parent)
        }
        None => state.session.head,
    };
    let id = state.session.rounds.len() as u64;
    if state.session.rounds.is_empty() {
        state.session.title = super::session::title_from(prompt);
        state.session.created_ms = state.wall_ms();
    }
    state.session.rounds.push(super::session::RoundMeta {
        id,
        parent,
        prompt: prompt.to_string(),
        system: state.system.clone(),
        params: state.params.clone(),
        created_ms: state.wall_ms(),
        archived: Vec::new(),
        blind: None,
        vote: None,
        judgements: Vec::new(),
    });
    state.session.head = Some(id);
    state.session.dirty = true;
    id
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
    let i = state.focused;
    let Some(prompt) = state
        .panes
        .get(i)
        .and_then(|p| p.current())
        .map(|t| t.prompt.clone())
    else {
        state.notify("nothing to retry in this pane yet", true);
        return;
    };
    cancel(state, i, fx);
    let Some(old) = state.panes[i].turns.pop() else {
        return;
    };
    let (round, skip) = (old.round, old.left_out);
    state.archive(old, i);
    start(state, i, round, &prompt, skip, fx);
}

/// Sends `prompt` as round `round` in pane `i`, with the pane's conversation less its
/// `skip` oldest rounds.
fn start(state: &mut State, i: usize, round: u64, prompt: &str, skip: usize, fx: &mut Vec<Effect>) {
    let req = state.take_req();
    let pricing = state.pricing_for(&state.panes[i].model);
    let (now, system, params) = (state.now, state.system.clone(), state.params.clone());
    let request = state.panes[i].start_turn(
        super::panes::TurnStart {
            round,
            prompt,
            req,
            now,
            skip,
        },
        system.as_deref(),
        &params,
        pricing,
    );
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

#[cfg(test)]
pub(crate) mod tests;
