//! Session actions: adopting a winner, editing an earlier prompt (a branch), new sessions, and
//! the browser and scoreboard overlays with the results that come back for them.

use super::browser::{Browser, BrowserMode, Scoreboard};
use super::keymap::Action;
use super::{Effect, Focus, Msg, Overlay, State};

pub(super) fn run(state: &mut State, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::OpenSessions => {
            state.overlay = Some(Overlay::Sessions(Browser::new()));
            fx.push(Effect::LoadSessions);
        }
        Action::OpenScoreboard => {
            state.overlay = Some(Overlay::Scoreboard(Scoreboard {
                loading: true,
                ..Scoreboard::default()
            }));
            fx.push(Effect::LoadStats);
        }
        Action::NewSession => {
            if state.streaming() {
                state.notify(
                    "streams are running: cancel them (Ctrl-C) before starting a new session",
                    true,
                );
                return;
            }
            fx.push(Effect::SaveSession);
            fx.push(Effect::NewSession);
        }
        Action::Adopt | Action::AdoptAlone => adopt(state, action == Action::AdoptAlone, fx),
        Action::EditEarlier => {
            let path = state.path_to(state.session.head);
            if path.is_empty() {
                state.notify("no earlier prompt to edit yet", true);
                return;
            }
            state.overlay = Some(Overlay::Rounds {
                cursor: path.len() - 1,
            });
        }
        Action::CancelBranch if state.session.branch_from.take().is_some() => {
            state.editor.clear();
            state.notify("stopped editing the earlier prompt", false);
        }
        Action::SessionOpen => match &state.overlay {
            Some(Overlay::Sessions(b)) => {
                if let Some(id) = b.current_id() {
                    if id == state.session.id {
                        state.overlay = None;
                        return;
                    }
                    if state.streaming() {
                        state.notify("streams are running: cancel them (Ctrl-C) before opening another session", true);
                        return;
                    }
                    // The browser stays open (and takes the keys) until the session arrives, so
                    // nothing starts streaming into this one while the other is read.
                    fx.push(Effect::SaveSession);
                    fx.push(Effect::OpenSession(id));
                }
            }
            Some(Overlay::Rounds { cursor }) => {
                let cursor = *cursor;
                let path = state.path_to(state.session.head);
                if let Some(id) = path.get(cursor).copied() {
                    let prompt = state.session.rounds[id as usize].prompt.clone();
                    state.editor.set_text(&prompt);
                    state.session.branch_from = Some(id);
                    state.overlay = None;
                    state.set_focus(Focus::Editor);
                    state.notify(format!("editing round {}: sending starts a branch; the old rounds stay saved (Esc cancels)", cursor + 1), false);
                }
            }
            _ => {}
        },
        Action::SessionRename => {
            if let Some(Overlay::Sessions(b)) = &mut state.overlay
                && let Some(crate::storage::index::Entry::Session(s)) = b.current()
            {
                b.mode = BrowserMode::Rename(s.title.clone());
            }
        }
        Action::SessionDelete => {
            if let Some(Overlay::Sessions(b)) = &mut state.overlay
                && let Some(id) = b.current_id()
            {
                if id == state.session.id {
                    state.notify(
                        "this is the open session; start a new one (Ctrl-N) before deleting it",
                        true,
                    );
                } else {
                    b.mode = BrowserMode::ConfirmDelete;
                }
            }
        }
        Action::SessionExportHtml => {
            if let Some(Overlay::Sessions(b)) = &state.overlay {
                match b.current_id() {
                    Some(id) => fx.push(Effect::ExportHtml(id)),
                    None => state.notify("no readable session under the cursor to export", true),
                }
            }
        }
        Action::SessionSearchContent => {
            if let Some(Overlay::Sessions(b)) = &state.overlay
                && !b.query.trim().is_empty()
            {
                fx.push(Effect::SearchSessions(b.query.clone()));
            }
        }
        _ => {}
    }
}

/// Keys the browser takes while renaming or confirming a delete. True when handled.
pub(super) fn browser_key(
    state: &mut State,
    key: &crossterm::event::KeyEvent,
    fx: &mut Vec<Effect>,
) -> bool {
    use crossterm::event::KeyCode;
    let Some(Overlay::Sessions(b)) = &mut state.overlay else {
        return false;
    };
    match b.mode.clone() {
        BrowserMode::Normal => false,
        BrowserMode::ConfirmDelete => {
            if key.code == KeyCode::Char('y')
                && let Some(id) = b.current_id()
            {
                fx.push(Effect::DeleteSession(id));
            }
            b.mode = BrowserMode::Normal;
            true
        }
        BrowserMode::Rename(title) => {
            match key.code {
                KeyCode::Enter => {
                    let title = title.trim().to_string();
                    b.mode = BrowserMode::Normal;
                    if let Some(id) = b.current_id().filter(|_| !title.is_empty()) {
                        if id == state.session.id {
                            state.session.title = title.clone();
                            state.session.dirty = true;
                            fx.push(Effect::SaveSession);
                            fx.push(Effect::LoadSessions);
                        } else {
                            fx.push(Effect::RenameSession { id, title });
                        }
                    }
                }
                KeyCode::Esc => b.mode = BrowserMode::Normal,
                KeyCode::Backspace => b.backspace(),
                KeyCode::Char(c) => b.type_char(c),
                _ => {}
            }
            true
        }
    }
}

fn adopt(state: &mut State, alone: bool, fx: &mut Vec<Effect>) {
    if state.hidden() {
        state.notify(
            "a blind round: vote first (v best · = tie · - all bad), then adopt",
            true,
        );
        return;
    }
    let i = state.focused;
    let Some(round) = state
        .panes
        .get(i)
        .and_then(|p| p.current())
        .map(|t| t.round)
    else {
        state.notify("nothing to adopt: this pane has no answer yet", true);
        return;
    };
    let model = state.panes[i].model.clone();
    // One winner a round: the flag lives on the answer, so it follows it wherever it goes.
    let adopted = alone || !state.panes[i].current().is_some_and(|t| t.adopted);
    for (slot, pane) in state.panes.iter_mut().enumerate() {
        for t in pane.turns.iter_mut().filter(|t| t.round == round) {
            t.adopted = adopted && slot == i;
        }
    }
    if let Some(r) = state.session.rounds.get_mut(round as usize) {
        for a in &mut r.archived {
            a.adopted = false;
        }
    }
    state.session.dirty = true;
    fx.push(Effect::SaveSession);
    if !alone {
        let text = if adopted {
            format!("adopted {model} as the winner of this round")
        } else {
            "no winner for this round".into()
        };
        state.notify(text, false);
        return;
    }
    // Continue with the winner alone: the other panes' conversations go to the archive.
    for slot in (0..state.panes.len()).rev().filter(|s| *s != i) {
        let mut pane = state.panes.remove(slot);
        super::rounds::stop(&mut pane, state.now, 0, fx);
        for turn in std::mem::take(&mut pane.turns) {
            state.archive(turn, slot);
        }
    }
    state.focused = 0;
    state.zoomed = false;
    state.notify(
        format!("adopted {model}: continuing with it alone (Ctrl-P adds models back)"),
        false,
    );
}

pub(super) fn message(state: &mut State, msg: Msg, fx: &mut Vec<Effect>) {
    match msg {
        Msg::SessionList(entries) => {
            if let Some(Overlay::Sessions(b)) = &mut state.overlay {
                b.set_entries(entries);
            }
        }
        Msg::SearchHits { query, ids } => {
            if let Some(Overlay::Sessions(b)) = &mut state.overlay {
                // Results of an older query are dropped by `refresh`.
                b.content_hits = Some((query, ids.into_iter().collect()));
                b.refresh();
            }
        }
        Msg::Stats(board) => {
            if let Some(Overlay::Scoreboard(s)) = &mut state.overlay {
                s.board = *board;
                s.loading = false;
            }
        }
        Msg::SessionOpened(Ok(session)) => {
            for i in 0..state.panes.len() {
                super::rounds::cancel(state, i, fx);
            }
            let title = session.title.clone();
            state.restore(session);
            state.overlay = None;
            state.set_focus(Focus::Editor);
            let blind = if state.hidden() {
                ": its last round is blind, vote (v · = · -) to see who is who"
            } else {
                ""
            };
            state.notify(format!("opened \"{title}\"{blind}"), false);
        }
        Msg::SessionOpened(Err(e)) => state.notify(e, true),
        Msg::SessionStarted(id) => {
            state.session = super::session::SessionInfo {
                id,
                created_ms: state.wall_ms(),
                ..Default::default()
            };
            for p in &mut state.panes {
                p.turns.clear();
                p.scroll = Default::default();
            }
            state.notify("new session", false);
            if let Some(held) = state.pending_send.take()
                && state.editor.text() == held.prompt
            {
                super::rounds::send(state, held.only_focused, fx);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
