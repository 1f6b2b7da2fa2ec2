//! What each action and each asynchronous result does to the state: the dispatch, focus,
//! scrolling and overlays; rounds and the picker have their own modules.

use crate::catalog::Catalog;
use crate::storage::votes::Verdict;

use super::keymap::Action;
use super::panes::Pane;
use super::params::ParamsForm;
use super::picker_flow::picker_action;
use super::rounds::{cancel, copy, quit, retry, send};
use super::{Effect, Focus, Overlay, Screen, State};

pub use super::money::{ASSUMED_OUTPUT_TOKENS, round_estimate};

pub(super) fn run(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::Quit => quit(state, fx),
        Action::Help => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::SendAll => send(state, false, fx),
        Action::SendFocused => send(state, true, fx),
        Action::Newline => state.editor.newline(),
        Action::DeleteToLineStart => state.editor.delete_to_line_start(),
        Action::DeleteToLineEnd => state.editor.delete_to_line_end(),
        Action::DeleteWordBefore => state.editor.delete_word_before(),
        Action::Repaint => fx.push(Effect::Repaint),
        Action::OpenPicker => state.open_picker(),
        Action::OpenParams => {
            state.overlay = Some(Overlay::Params(ParamsForm::new(
                state.system.as_deref(),
                &state.params,
            )));
        }
        // The editor takes the terminal and the event loop with it: streams would stall.
        Action::ExternalEditor if state.streaming() => state.notify(
            "answers are streaming: wait for them (or cancel) before opening $EDITOR",
            true,
        ),
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
            super::judge::cancel(state, fx);
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
        Action::HistoryPrev | Action::HistoryNext | Action::Detach => {}
        Action::CompletePath => {
            if !super::attachments::complete(state, fx) {
                run(state, Action::FocusNext, fx);
            }
        }
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
        | Action::SessionSearchContent
        | Action::SessionExportHtml => super::session_actions::run(state, action, fx),
        Action::ToggleBlind => super::arena::toggle_blind(state, fx),
        Action::VoteBest => super::arena::vote(state, Verdict::Best, fx),
        Action::VoteTie => super::arena::vote(state, Verdict::Tie, fx),
        Action::VoteAllBad => super::arena::vote(state, Verdict::AllBad, fx),
        Action::AskJudge => super::judge::ask(state, fx),
        Action::OverflowTrim => super::overflow::answer(state, super::overflow::Choice::Trim, fx),
        Action::OverflowSend => super::overflow::answer(state, super::overflow::Choice::Send, fx),
        Action::OverflowNew => super::overflow::answer(state, super::overflow::Choice::New, fx),
        Action::DiffNext => state.diff_next(),
        Action::RaceChart => state.race_chart(),
        Action::ToggleSync => state.toggle_sync(),
        Action::NextPrompt => super::stepping::step(state, 1, fx),
        Action::PrevPrompt => super::stepping::step(state, -1, fx),
    }
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

/// The mouse wheel over an overlay that scrolls as a page.
pub(super) fn scroll_overlay(state: &mut State, delta: isize) {
    if state.overlay.as_mut().and_then(Overlay::scroll).is_some() {
        scroll_focused(state, Scroll::Lines(delta));
    }
}

enum Scroll {
    Lines(isize),
    Page(isize),
    Top,
    Bottom,
}

fn scroll_focused(state: &mut State, how: Scroll) {
    let (total, height) = state.overlay_view;
    if let Some(scroll) = state.overlay.as_mut().and_then(Overlay::scroll) {
        // The last frame said how long the page is: scrolling stops at its end.
        let max = total.saturating_sub(height) as isize;
        let page = height.saturating_sub(1).max(1) as isize;
        let to = match how {
            Scroll::Lines(d) => *scroll as isize + d,
            Scroll::Page(d) => *scroll as isize + d * page,
            Scroll::Top => 0,
            Scroll::Bottom => max,
        };
        *scroll = to.clamp(0, max.max(0)) as u16;
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
    state.follow_leader(state.focused);
}

pub(super) fn catalog_loaded(state: &mut State, result: Result<Catalog, String>) {
    match result {
        Ok(catalog) => {
            // One provider's models at a time: they replace that provider's, the rest stay.
            let provider = catalog.models.first().map(|m| m.provider.clone());
            let qualifier = provider
                .as_ref()
                .map(|p| format!("{p}:"))
                .unwrap_or_default();
            state.borrowing.offer(&catalog, &qualifier);
            match (&mut state.catalog, provider) {
                (Some(c), Some(p)) => {
                    c.models.retain(|m| m.provider != p);
                    c.models.extend(catalog.models);
                    c.fetched_at = c.fetched_at.max(catalog.fetched_at);
                }
                (None, _) => state.catalog = Some(catalog),
                (Some(_), None) => {}
            }
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
        // The last demo's models, as `--demo` reopens them, or the demo's three.
        let last = state
            .prefs
            .last_models
            .get(crate::storage::prefs::DEMO_KEY)
            .filter(|m| !m.is_empty())
            .cloned();
        let models = last.unwrap_or_else(|| {
            crate::simulator::DEMO_MODELS
                .iter()
                .map(|m| m.to_string())
                .collect()
        });
        state.panes = models.iter().map(Pane::new).collect();
    }
    fx.push(Effect::FetchCatalog);
    fx.push(Effect::FetchKeyInfo);
}

pub(super) fn close_overlay(state: &mut State) {
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

pub(super) fn move_in_overlay(state: &mut State, delta: isize) {
    let rounds = state.path_to(state.session.head).len();
    match &mut state.overlay {
        Some(Overlay::Picker(p)) => p.move_cursor(delta),
        Some(Overlay::Params(f)) => f.move_field(delta),
        Some(
            Overlay::Help { .. }
            | Overlay::Verdict { .. }
            | Overlay::Scoreboard(_)
            | Overlay::Diff { .. },
        ) => scroll_focused(state, Scroll::Lines(delta)),
        Some(Overlay::Sessions(b)) => b.move_cursor(delta),
        Some(Overlay::Rounds { cursor }) => {
            *cursor =
                (*cursor as isize + delta).clamp(0, rounds.saturating_sub(1) as isize) as usize;
        }
        Some(Overlay::Overflow(_) | Overlay::Race) | None => {}
    }
}
