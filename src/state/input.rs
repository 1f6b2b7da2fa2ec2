//! Keys, pastes and the mouse: resolved through the keymap for the current scope, with the
//! text inputs (editor, picker query, parameter fields) taking what no binding claims.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::keymap::{Action, Scope};
use super::{Effect, Focus, Overlay, State, actions};

pub(super) fn key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    let scope = state.scope();
    if scope == Scope::Sessions && super::session_actions::browser_key(state, &key, fx) {
        return;
    }
    match state.keymap.resolve_from(scope, &key) {
        // An overlay takes the keys: what is bound everywhere else waits until it closes,
        // and the overlay's own input (a field, a list) gets the key instead.
        Some((action, Scope::Global)) if state.overlay.is_some() && !works_over(state, action) => {
            unbound(state, scope, key)
        }
        Some((action, _)) => {
            if !editor_passthrough(state, scope, action, key) {
                actions::run(state, action, fx);
            }
        }
        None => unbound(state, scope, key),
    }
}

/// Global keys that still work while an overlay is open: quitting, stopping every stream
/// (the judge's too), the mouse, a repaint, and paging where the overlay is a page.
pub fn works_over(state: &State, action: Action) -> bool {
    match action {
        Action::Quit | Action::Repaint | Action::CancelAll | Action::ToggleMouse => true,
        Action::PageUp | Action::PageDown => state.overlay.as_ref().is_some_and(Overlay::is_page),
        _ => false,
    }
}

/// History keys act only at the first/last line; elsewhere they move the cursor.
fn editor_passthrough(state: &mut State, scope: Scope, action: Action, key: KeyEvent) -> bool {
    if scope != Scope::Editor {
        return false;
    }
    let history = &state.prefs.history;
    let handled = match action {
        Action::HistoryPrev => state.editor.on_first_line() && state.editor.history_prev(history),
        Action::HistoryNext => state.editor.on_last_line() && state.editor.history_next(history),
        Action::Detach => super::attachments::detach_last(state),
        _ => return false,
    };
    if !handled {
        state.editor.key(key);
    }
    true
}

fn plain_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

fn unbound(state: &mut State, scope: Scope, key: KeyEvent) {
    match (scope, &mut state.overlay) {
        (Scope::Editor, _) => state.editor.key(key),
        (Scope::Picker, Some(Overlay::Picker(picker))) => {
            match (key.code, plain_char(&key)) {
                (_, Some(c)) => picker.type_char(c),
                (KeyCode::Backspace, _) => picker.backspace(),
                (KeyCode::PageUp, _) => picker.move_cursor(-10),
                (KeyCode::PageDown, _) => picker.move_cursor(10),
                _ => return,
            }
            picker.refresh(state.catalog.as_ref(), &state.prefs);
        }
        (Scope::Rounds, Some(Overlay::Rounds { .. })) => match key.code {
            KeyCode::PageUp => actions::move_in_overlay(state, -10),
            KeyCode::PageDown => actions::move_in_overlay(state, 10),
            _ => {}
        },
        (Scope::Sessions, Some(Overlay::Sessions(b))) => match (key.code, plain_char(&key)) {
            (_, Some(c)) => b.type_char(c),
            (KeyCode::Backspace, _) => b.backspace(),
            (KeyCode::PageUp, _) => b.move_cursor(-10),
            (KeyCode::PageDown, _) => b.move_cursor(10),
            _ => {}
        },
        (Scope::Params, Some(Overlay::Params(form))) => match (key.code, plain_char(&key)) {
            (_, Some(c)) => form.type_char(c),
            (KeyCode::Backspace, _) => form.backspace(),
            (KeyCode::Left, _) => form.cycle_effort(-1),
            (KeyCode::Right, _) => form.cycle_effort(1),
            (KeyCode::Tab, _) => form.move_field(1),
            (KeyCode::BackTab, _) => form.move_field(-1),
            _ => {}
        },
        _ => {}
    }
}

pub(super) fn paste(state: &mut State, text: &str) {
    match &mut state.overlay {
        Some(Overlay::Picker(picker)) => {
            picker.query.push_str(text.trim());
            picker.refresh(state.catalog.as_ref(), &state.prefs);
        }
        Some(Overlay::Params(form)) => form.paste(text),
        Some(
            Overlay::Help { .. }
            | Overlay::Rounds { .. }
            | Overlay::Scoreboard(_)
            | Overlay::Verdict { .. }
            | Overlay::Overflow(_)
            | Overlay::Diff { .. }
            | Overlay::Race,
        ) => {}
        Some(Overlay::Sessions(b)) => {
            for c in text.chars().filter(|c| !c.is_control()) {
                b.type_char(c);
            }
        }
        None => {
            state.set_focus(Focus::Editor);
            state.editor.paste(text);
        }
    }
}

pub(super) fn mouse(state: &mut State, ev: MouseEvent) {
    if state.overlay.is_some() {
        match ev.kind {
            MouseEventKind::ScrollUp => actions::scroll_overlay(state, -3),
            MouseEventKind::ScrollDown => actions::scroll_overlay(state, 3),
            _ => {}
        }
        return;
    }
    let layout = state.layout();
    let hit = layout
        .panes
        .iter()
        .position(|a| a.contains(ev.column, ev.row));
    match ev.kind {
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            if let Some(i) = hit {
                let delta = if ev.kind == MouseEventKind::ScrollUp {
                    -3
                } else {
                    3
                };
                state.panes[i].scroll_by(delta);
                state.follow_leader(i);
            }
        }
        MouseEventKind::Down(MouseButton::Left) => {
            if let Some(i) = hit {
                state.focused = i;
                state.set_focus(Focus::Panes);
            } else if layout.editor.contains(ev.column, ev.row) {
                state.set_focus(Focus::Editor);
            } else if let Some((i, _)) = layout
                .strip
                .iter()
                .find(|(_, a)| a.contains(ev.column, ev.row))
            {
                state.focused = *i;
                state.set_focus(Focus::Panes);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
