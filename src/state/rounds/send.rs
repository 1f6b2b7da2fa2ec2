//! Sending a prompt: the checks a round passes (a prompt, models, blind rules, the context,
//! the budget, the judge), the round it opens (after the current one, or beside an edited
//! earlier prompt), and its requests.

use super::super::{Effect, State};
use super::{cancel, start};

pub(in crate::state) fn send(state: &mut State, only_focused: bool, fx: &mut Vec<Effect>) {
    send_choosing(state, only_focused, None, fx);
}

/// Sends the editor's prompt, with `chosen` as the answer to a context overflow (else the
/// config's `on_context_overflow`).
pub(in crate::state) fn send_choosing(
    state: &mut State,
    only_focused: bool,
    chosen: Option<crate::state::overflow::Choice>,
    fx: &mut Vec<Effect>,
) {
    // Whatever waited for a new session is overtaken by this send.
    state.pending_send = None;
    let prompt = state.editor.text();
    if prompt.trim().is_empty() {
        state.notify("type a prompt first", true);
        return;
    }
    // `@path` words are looked up first; the send goes on when they are attached.
    let mentions = crate::state::attachments::mentions(&prompt);
    if !mentions.is_empty() && state.mentions_checked.as_deref() != Some(prompt.as_str()) {
        fx.push(Effect::Attach {
            paths: mentions,
            send: Some(only_focused),
        });
        return;
    }
    // Who takes images is in the model list: a send with one waits for it to arrive.
    if state.catalog.is_none()
        && !state.catalog_tried
        && state.attachments.iter().any(|a| a.is_image())
    {
        state.send_after_catalog = Some((only_focused, prompt.clone()));
        state.notify(
            "waiting for the model list, to know which models take images…",
            false,
        );
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
    if state.judging.is_some() {
        state.notify(
            "the judge is still reading this round: wait for its verdict, or Ctrl-C stops it",
            true,
        );
        return;
    }
    let Some(trims) =
        crate::state::overflow::decide(state, &targets, &prompt, only_focused, chosen, fx)
    else {
        return;
    };
    // A blind round shuffles the panes: a trim follows its pane, not its place.
    let trims: Vec<(u64, usize)> = trims
        .into_iter()
        .map(|(i, skip)| (state.panes[i].id, skip))
        .collect();
    if state.budget.is_some() {
        let models: Vec<String> = targets
            .iter()
            .map(|&i| state.panes[i].model.clone())
            .collect();
        let (estimate, _) = crate::state::money::round_estimate(state, &targets, &prompt, true);
        if let Some(refused) =
            crate::state::money::over_budget(state, &models, estimate, "this round")
        {
            state.notify(refused, true);
            return;
        }
    }

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
        crate::state::arena::shuffle(state, round);
    }
    for i in targets {
        let id = state.panes[i].id;
        let skip = trims.iter().find(|(p, _)| *p == id).map_or(0, |(_, n)| *n);
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
        state.session.title = crate::state::session::title_from(prompt);
        state.session.created_ms = state.wall_ms();
    }
    state.session.rounds.push(crate::state::session::RoundMeta {
        prompt_id: None,
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
        attachments: std::mem::take(&mut state.attachments),
    });
    state.session.head = Some(id);
    state.session.dirty = true;
    id
}
