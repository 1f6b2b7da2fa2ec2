//! A prompt that does not fit a model's context is never sent silently: the config's
//! `on_context_overflow` decides, or the overflow dialog asks, between leaving out the oldest
//! rounds, sending anyway, and a new conversation with just this prompt.

use super::context::Fill;
use super::{Effect, Overlay, State};

pub use crate::config::OnOverflow;

/// The dialog: the send (or the retry of the focused pane) that was held back, and the
/// panes over their context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overflow {
    pub only_focused: bool,
    pub retry: bool,
    pub over: Vec<(usize, Fill)>,
}

/// A prompt held back until the new session it asked for has its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSend {
    pub only_focused: bool,
    /// Sent only if the editor still holds it: anything typed meanwhile is the user's.
    pub prompt: String,
}

/// The dialog's answer, or the config's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Trim,
    Send,
    New,
}

/// The panes of `targets` whose request for `prompt` would not fit.
pub fn over(state: &State, targets: &[usize], prompt: &str) -> Vec<(usize, Fill)> {
    targets
        .iter()
        // OpenRouter compresses those with middle-out on instead of refusing them.
        .filter(|&&i| !state.middle_out_for(&state.panes[i].model))
        .filter_map(|&i| Some((i, state.context_fill(i, prompt)?)))
        .filter(|(_, fill)| fill.over())
        .collect()
}

/// The answer to an overflow: the one given, the config's, or none yet (the dialog opens).
fn choose(state: &mut State, chosen: Option<Choice>, dialog: Overflow) -> Option<Choice> {
    match (chosen, state.on_overflow) {
        (Some(c), _) => Some(c),
        (None, OnOverflow::Trim) => Some(Choice::Trim),
        (None, OnOverflow::Send) => Some(Choice::Send),
        (None, OnOverflow::Ask) => {
            state.overlay = Some(Overlay::Overflow(dialog));
            None
        }
    }
}

/// What this send does about panes over their context: `Some(rounds to leave out, by pane)`
/// to go on, `None` when the send waits (for the dialog, or for a new session).
pub fn decide(
    state: &mut State,
    targets: &[usize],
    prompt: &str,
    only_focused: bool,
    chosen: Option<Choice>,
    fx: &mut Vec<Effect>,
) -> Option<Vec<(usize, usize)>> {
    let over = over(state, targets, prompt);
    if over.is_empty() {
        return Some(Vec::new());
    }
    let dialog = Overflow {
        only_focused,
        retry: false,
        over: over.clone(),
    };
    let choice = choose(state, chosen, dialog)?;
    match choice {
        Choice::Send => Some(Vec::new()),
        Choice::Trim => Some(
            over.iter()
                .map(|&(i, _)| (i, state.trim_to_fit(i, prompt, false).skip))
                .filter(|&(_, skip)| skip > 0)
                .collect(),
        ),
        Choice::New => new_conversation(state, prompt, only_focused, fx),
    }
}

/// What a retry of pane `i` does about its context: `Some(rounds to leave out)` to go on,
/// `None` when it waits (for the dialog, or for a new session).
pub fn decide_retry(
    state: &mut State,
    i: usize,
    chosen: Option<Choice>,
    fx: &mut Vec<Effect>,
) -> Option<usize> {
    let Some(fill) = state
        .retry_fill(i)
        .filter(|f| f.over() && !state.middle_out_for(&state.panes[i].model))
    else {
        return Some(0);
    };
    let prompt = state.panes[i].current()?.prompt.clone();
    let dialog = Overflow {
        only_focused: true,
        retry: true,
        over: vec![(i, fill)],
    };
    let choice = choose(state, chosen, dialog)?;
    match choice {
        Choice::Send => Some(0),
        Choice::Trim => Some(state.trim_to_fit(i, &prompt, true).skip),
        Choice::New => {
            // The prompt goes to this pane alone, in a new session.
            state.focused = i;
            state.editor.set_text(&prompt);
            new_conversation(state, &prompt, true, fx)
        }
    }
}

/// Saves the session and starts a new one, where `prompt` is sent once it has its id.
fn new_conversation<T>(
    state: &mut State,
    prompt: &str,
    only_focused: bool,
    fx: &mut Vec<Effect>,
) -> Option<T> {
    if state.streaming() {
        state.notify(
            "streams are running: cancel them (Ctrl-C) before starting a new conversation",
            true,
        );
        return None;
    }
    // The prompt stays in the editor and goes out once the new session has its id.
    state.pending_send = Some(PendingSend {
        only_focused,
        prompt: prompt.to_string(),
    });
    fx.push(Effect::SaveSession);
    fx.push(Effect::NewSession);
    None
}

/// A key's answer to the dialog: the held-back send or retry goes on with it.
pub(super) fn answer(state: &mut State, choice: Choice, fx: &mut Vec<Effect>) {
    let Some(Overlay::Overflow(dialog)) = state.overlay.take() else {
        return;
    };
    match dialog.over.first() {
        Some(&(i, _)) if dialog.retry => super::rounds::retry_choosing(state, i, Some(choice), fx),
        _ => super::rounds::send_choosing(state, dialog.only_focused, Some(choice), fx),
    }
}

#[cfg(test)]
mod tests;
