//! What each action and each asynchronous result does to the state.

use std::time::Duration;

use crate::catalog::Catalog;
use crate::chat::StreamEvent;
use crate::cost::Usd;

use super::keymap::Action;
use super::panes::Pane;
use super::params::ParamsForm;
use super::{Effect, Focus, Overlay, Screen, State};

/// Output tokens assumed per answer when checking a budget without `max_tokens`.
pub const ASSUMED_OUTPUT_TOKENS: u64 = 1000;

pub(super) fn run(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::Quit => quit(state, fx),
        Action::Help => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::SendAll => send(state, false, fx),
        Action::SendFocused => send(state, true, fx),
        Action::Newline => state.editor.newline(),
        Action::OpenPicker => state.open_picker(),
        Action::OpenParams => {
            state.overlay = Some(Overlay::Params(ParamsForm::new(
                state.system.as_deref(),
                &state.params,
            )));
        }
        Action::ExternalEditor => fx.push(Effect::ExternalEditor(state.editor.text())),
        Action::FocusNext => focus_step(state, 1),
        Action::FocusPrev => focus_step(state, -1),
        Action::FocusEditor => state.set_focus(Focus::Editor),
        Action::CancelFocused => {
            let i = state.focused;
            cancel(state, i, fx);
        }
        Action::CancelAll => {
            for i in 0..state.panes.len() {
                cancel(state, i, fx);
            }
        }
        Action::RetryFocused => retry(state, fx),
        Action::Zoom => {
            state.zoomed = !state.zoomed && !state.panes.is_empty();
            if state.zoomed {
                state.set_focus(Focus::Panes);
            }
        }
        Action::ScrollUp => scroll_focused(state, Scroll::Lines(-1)),
        Action::ScrollDown => scroll_focused(state, Scroll::Lines(1)),
        Action::PageUp => scroll_focused(state, Scroll::Page(-1)),
        Action::PageDown => scroll_focused(state, Scroll::Page(1)),
        Action::ScrollTop => scroll_focused(state, Scroll::Top),
        Action::ScrollBottom => scroll_focused(state, Scroll::Bottom),
        Action::ToggleMouse => {
            state.mouse = !state.mouse;
            fx.push(Effect::SetMouse(state.mouse));
            let what = if state.mouse {
                "on (wheel scrolls panes)"
            } else {
                "off (select text with the mouse)"
            };
            state.notify(format!("mouse capture {what}"), false);
        }
        Action::HistoryPrev | Action::HistoryNext => {}
        Action::PickerToggle
        | Action::PickerApply
        | Action::PickerSort
        | Action::PickerFreeOnly
        | Action::PickerFavourite => picker_action(state, action, fx),
        Action::MoveUp | Action::MoveDown => {
            move_in_overlay(state, if action == Action::MoveUp { -1 } else { 1 })
        }
        Action::Close => close_overlay(state),
        Action::StartDemo => fx.push(Effect::StartDemo),
        Action::ToggleRaw => {
            if let Some(p) = state.panes.get_mut(state.focused) {
                p.raw = !p.raw;
            }
        }
        Action::ToggleReasoning => {
            if let Some(t) = state
                .panes
                .get_mut(state.focused)
                .and_then(|p| p.turns.last_mut())
            {
                t.show_reasoning = Some(!t.reasoning_open());
            }
        }
        Action::CopyAnswer | Action::CopyReasoning | Action::CopyCode(_) => copy(state, action, fx),
        Action::OpenSessions
        | Action::OpenScoreboard
        | Action::NewSession
        | Action::Adopt
        | Action::AdoptAlone
        | Action::EditEarlier
        | Action::CancelBranch
        | Action::SessionOpen
        | Action::SessionRename
        | Action::SessionDelete
        | Action::SessionSearchContent => super::session_actions::run(state, action, fx),
    }
}

fn copy(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
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
    state.quit = true;
    fx.push(Effect::SaveSession);
    fx.push(Effect::Quit);
}

fn focus_step(state: &mut State, delta: isize) {
    let n = state.panes.len();
    if n == 0 {
        state.set_focus(Focus::Editor);
        return;
    }
    // Positions: 0 = editor, 1..=n = panes. Zoomed, the editor is hidden: cycle panes only.
    let slots = if state.zoomed { n } else { n + 1 };
    let pos = match (state.focus, state.zoomed) {
        (Focus::Editor, _) => 0,
        (Focus::Panes, true) => state.focused,
        (Focus::Panes, false) => state.focused + 1,
    } as isize;
    let next = (pos + delta).rem_euclid(slots as isize) as usize;
    if state.zoomed {
        state.focused = next;
        state.set_focus(Focus::Panes);
    } else if next == 0 {
        state.set_focus(Focus::Editor);
    } else {
        state.focused = next - 1;
        state.set_focus(Focus::Panes);
    }
}

enum Scroll {
    Lines(isize),
    Page(isize),
    Top,
    Bottom,
}

fn scroll_focused(state: &mut State, how: Scroll) {
    if let Some(Overlay::Help { scroll }) = &mut state.overlay {
        if let Scroll::Lines(d) = how {
            *scroll = (*scroll as isize + d).max(0) as u16;
        }
        return;
    }
    let Some(pane) = state.panes.get_mut(state.focused) else {
        return;
    };
    match how {
        Scroll::Lines(d) => pane.scroll_by(d),
        Scroll::Page(d) => pane.scroll_by(d * pane.height.saturating_sub(1).max(1) as isize),
        Scroll::Top => pane.scroll_to_top(),
        Scroll::Bottom => pane.scroll = Default::default(),
    }
}

/// A prompt's estimated cost on the given panes: input at the input price, plus the output
/// it may produce (`max_tokens`, or an assumed 1,000 tokens) for a budget check.
pub fn round_estimate(
    state: &State,
    targets: &[usize],
    prompt: &str,
    with_output: bool,
) -> (Usd, usize) {
    let mut total = Usd::ZERO;
    let mut unpriced = 0;
    for &i in targets {
        let pane = &state.panes[i];
        let Some(pricing) = state.pricing_for(&pane.model) else {
            unpriced += 1;
            continue;
        };
        let messages = pane.conversation(state.system.as_deref(), prompt);
        let tokens =
            crate::cost::estimate_prompt_tokens(messages.iter().map(|m| m.content.as_str()));
        let output = state
            .params
            .max_tokens
            .map_or(ASSUMED_OUTPUT_TOKENS, u64::from);
        let out = if with_output { output } else { 0 };
        total += crate::cost::estimated_cost(tokens, out, 0, &pricing).usd;
    }
    (total, unpriced)
}

pub(super) fn send(state: &mut State, only_focused: bool, fx: &mut Vec<Effect>) {
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
    let targets: Vec<usize> = if only_focused {
        vec![state.focused.min(state.panes.len() - 1)]
    } else {
        (0..state.panes.len()).collect()
    };
    if let Some(budget) = state.budget {
        let (spent, _) = state.spent();
        let (estimate, _) = round_estimate(state, &targets, &prompt, true);
        if spent + estimate > budget {
            let left = Usd::from_atto((budget.atto() - spent.atto()).max(0));
            state.notify(
                format!(
                    "refused: this round may cost ~{} and only {} of the {} budget is left",
                    estimate.display(),
                    left.display(),
                    budget.display()
                ),
                true,
            );
            return;
        }
    }
    let round = new_round(state, &prompt);
    for i in targets {
        cancel(state, i, fx);
        let req = state.take_req();
        let pricing = state.pricing_for(&state.panes[i].model);
        let (now, system, params) = (state.now, state.system.clone(), state.params.clone());
        let request = state.panes[i].start_turn(
            round,
            &prompt,
            req,
            now,
            system.as_deref(),
            &params,
            pricing,
        );
        fx.push(Effect::StartStream { req, request });
    }
    state.prefs.remember_prompt(&prompt);
    let models: Vec<String> = state.panes.iter().map(|p| p.model.clone()).collect();
    state.prefs.used_models(&state.base_url, &models);
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
        winner: None,
        archived: Vec::new(),
    });
    state.session.head = Some(id);
    state.session.dirty = true;
    id
}

fn cancel(state: &mut State, i: usize, fx: &mut Vec<Effect>) {
    let req = state.next_req;
    let Some(pane) = state.panes.get_mut(i) else {
        return;
    };
    if let Some(old) = pane.cancel(state.now, req) {
        state.next_req += 1;
        fx.push(Effect::CancelStream { req: old });
    }
}

fn retry(state: &mut State, fx: &mut Vec<Effect>) {
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
    let round = old.round;
    state.archive(old, i);
    let req = state.take_req();
    let pricing = state.pricing_for(&state.panes[i].model);
    let (now, system, params) = (state.now, state.system.clone(), state.params.clone());
    let request = state.panes[i].start_turn(
        round,
        &prompt,
        req,
        now,
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
        return;
    };
    let ended = matches!(event, StreamEvent::End(_));
    let served = match &event {
        StreamEvent::ServedBy { model: Some(m), .. } => Some(m.clone()),
        _ => None,
    };
    state.panes[i].apply(req, event, at);
    // Another model answered (a router or a fallback): it is the one that bills.
    if let Some(model) = served
        && let Some(pricing) = state.pricing_for(&model)
        && let Some(turn) = state.panes[i].turns.last_mut()
    {
        turn.pricing = Some(pricing);
    }
    if let Some(budget) = state.budget {
        let (spent, _) = state.spent();
        if spent > budget && state.streaming() {
            for j in 0..state.panes.len() {
                cancel(state, j, fx);
            }
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

pub(super) fn catalog_loaded(state: &mut State, result: Result<Catalog, String>) {
    match result {
        Ok(catalog) => {
            state.catalog = Some(catalog);
            for p in 0..state.panes.len() {
                let pricing = state.pricing_for(&state.panes[p].model);
                for turn in state.panes[p]
                    .turns
                    .iter_mut()
                    .filter(|t| t.pricing.is_none())
                {
                    turn.pricing = pricing.clone();
                }
            }
            if let Some(Overlay::Picker(picker)) = &mut state.overlay {
                picker.refresh(state.catalog.as_ref(), &state.prefs);
            }
        }
        Err(e) if state.catalog.is_none() => {
            state.notify(format!("model list unavailable: {e}"), true)
        }
        Err(_) => {}
    }
}

pub(super) fn demo_ready(state: &mut State, base_url: String, fx: &mut Vec<Effect>) {
    state.screen = Screen::Playground;
    state.demo = true;
    state.base_url = base_url;
    state.catalog = None;
    if state.panes.is_empty() {
        state.panes = ["sim/swift-mini", "sim/sage-large", "sim/deep-thinker"]
            .map(Pane::new)
            .into();
    }
    fx.push(Effect::FetchCatalog);
    fx.push(Effect::FetchKeyInfo);
}

fn close_overlay(state: &mut State) {
    if let Some(Overlay::Params(form)) = &state.overlay {
        match form.parse() {
            Ok((system, params)) => {
                state.system = system;
                state.params = params;
            }
            Err(e) => {
                state.notify(e, true);
                return;
            }
        }
    }
    state.overlay = None;
    let focus = state.focus;
    state.set_focus(focus);
}

fn move_in_overlay(state: &mut State, delta: isize) {
    let rounds = state.path_to(state.session.head).len();
    match &mut state.overlay {
        Some(Overlay::Picker(p)) => p.move_cursor(delta),
        Some(Overlay::Params(f)) => f.move_field(delta),
        Some(Overlay::Help { scroll }) => *scroll = (*scroll as isize + delta).max(0) as u16,
        Some(Overlay::Sessions(b)) => b.move_cursor(delta),
        Some(Overlay::Rounds { cursor }) => {
            *cursor =
                (*cursor as isize + delta).clamp(0, rounds.saturating_sub(1) as isize) as usize;
        }
        Some(Overlay::Scoreboard(_)) | None => {}
    }
}

fn picker_action(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    let Some(Overlay::Picker(picker)) = &mut state.overlay else {
        return;
    };
    let catalog = state.catalog.as_ref();
    match action {
        Action::PickerToggle => {
            if let Err(e) = picker.toggle(catalog) {
                state.notify(e, true);
            }
        }
        Action::PickerSort => {
            picker.sort = picker.sort.next();
            picker.refresh(catalog, &state.prefs);
        }
        Action::PickerFreeOnly => {
            picker.free_only = !picker.free_only;
            picker.refresh(catalog, &state.prefs);
        }
        Action::PickerFavourite => {
            if let Some(id) = picker.current_id(catalog) {
                state.prefs.toggle_favourite(&id);
                fx.push(Effect::SavePrefs);
            }
        }
        Action::PickerApply => {
            let chosen = picker.chosen(catalog);
            apply_models(state, chosen, fx);
        }
        _ => {}
    }
}

/// Makes the panes show `models`, keeping the conversation of panes whose model stays.
fn apply_models(state: &mut State, models: Vec<String>, fx: &mut Vec<Effect>) {
    if models.is_empty() {
        state.notify(
            "select at least one model (Space), or type a model id",
            true,
        );
        return;
    }
    let mut old: Vec<Option<Pane>> = std::mem::take(&mut state.panes)
        .into_iter()
        .map(Some)
        .collect();
    for model in &models {
        let reuse = old
            .iter()
            .position(|p| p.as_ref().is_some_and(|p| &p.model == model));
        let pane = reuse
            .and_then(|i| old[i].take())
            .unwrap_or_else(|| Pane::new(model.clone()));
        state.panes.push(pane);
    }
    for (slot, pane) in old.into_iter().enumerate() {
        let Some(mut pane) = pane else { continue };
        if let Some(req) = pane.cancel(state.now, 0) {
            fx.push(Effect::CancelStream { req });
        }
        for turn in std::mem::take(&mut pane.turns) {
            state.archive(turn, slot);
        }
    }
    state.focused = state.focused.min(state.panes.len() - 1);
    state.prefs.used_models(&state.base_url, &models);
    fx.push(Effect::SavePrefs);
    state.overlay = None;
    state.zoomed = false;
    state.set_focus(Focus::Editor);
}
