//! Files waiting to go with the next prompt: attached with `-f`, by completing an `@path`
//! with Tab, or by sending a prompt that names an existing file as `@path` (the `@` then goes,
//! the path stays as a word). They show as chips above the editor; Backspace in an empty
//! editor takes the last one off.

use crate::chat::attach::{self, AttachError, Attachment};

use super::{Effect, State};

/// The `@path` words of a prompt (a word that starts with `@`, trailing punctuation left
/// out), in order, each once.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let Some(path) = word.strip_prefix('@') else {
            continue;
        };
        let path = path.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
        if !path.is_empty() && !out.iter().any(|p| p == path) {
            out.push(path.to_string());
        }
    }
    out
}

/// `@path` typed before the cursor: Tab asks for what completes it. False when the cursor
/// is not after an `@path` (Tab does what it does elsewhere).
pub(super) fn complete(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let Some(token) = state.editor.mention_at_cursor() else {
        return false;
    };
    fx.push(Effect::CompletePath(token));
    true
}

/// The paths that complete `token`: one file is attached (its `@path` gives way to the
/// path), one folder goes into the word, several extend it to what they share and are named
/// in the status line.
pub(super) fn completions(
    state: &mut State,
    token: &str,
    matches: Vec<String>,
    fx: &mut Vec<Effect>,
) {
    // Typing went on since Tab was pressed: this answer is for a word no longer there.
    if state.editor.mention_at_cursor().as_deref() != Some(token) {
        return;
    }
    let typed = token.chars().count() + 1;
    match matches.as_slice() {
        [] => state.notify(format!("no file starts with {token}"), true),
        [one] if one.ends_with('/') => state
            .editor
            .replace_before_cursor(typed, &format!("@{one}")),
        [one] => {
            // The path stays in the prompt as a word; its file follows in a fence named by it.
            state
                .editor
                .replace_before_cursor(typed, &format!("{one} "));
            fx.push(Effect::Attach {
                paths: vec![one.clone()],
                send: None,
            });
        }
        many => {
            let shared = common_prefix(many);
            if shared.chars().count() > token.chars().count() {
                state
                    .editor
                    .replace_before_cursor(typed, &format!("@{shared}"));
            }
            let names: Vec<&str> = many
                .iter()
                .map(|m| m.trim_end_matches('/').rsplit('/').next().unwrap_or(m))
                .take(8)
                .collect();
            let more = many.len().saturating_sub(names.len());
            let tail = if more > 0 {
                format!(" +{more} more")
            } else {
                String::new()
            };
            state.notify(format!("{}{tail}", names.join("  ")), false);
        }
    }
}

fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(w.len()), |((i, _), _)| i)
            .min(end);
    }
    first[..end].to_string()
}

/// Files read and kept: each joins the chips unless it would not fit the smallest context
/// of the panes' models. A send that waited for them goes now only when none was found (an
/// `@path` naming no file stays text); otherwise the chips show first, and Enter again sends.
pub(super) fn attached(
    state: &mut State,
    results: Vec<(String, Result<Attachment, AttachError>)>,
    send: Option<bool>,
    fx: &mut Vec<Effect>,
) {
    let mut text = state.editor.text();
    let mut refused = None;
    let mut added = Vec::new();
    for (typed, result) in results {
        match result {
            Ok(a) => {
                if let Err(e) = fits(state, &a) {
                    refused = Some(e);
                    continue;
                }
                text = text.replace(&format!("@{typed}"), &typed);
                added.push(a.name.clone());
                if !state
                    .attachments
                    .iter()
                    .any(|b| b.sha256 == a.sha256 && b.name == a.name)
                {
                    state.attachments.push(a);
                }
            }
            Err(AttachError::Missing(_)) if send.is_some() => {}
            Err(e) => refused = Some(e.to_string()),
        }
    }
    if send.is_some() {
        state.editor.set_text(&text);
        state.mentions_checked = Some(text);
    }
    state.count_prompt();
    match (refused, send) {
        (Some(e), _) => state.notify(format!("cannot attach: {e}"), true),
        // Files found by a send are shown before anything goes: a pasted `@.env` must not
        // leave the machine on one Enter.
        (None, Some(_)) if !added.is_empty() => state.notify(
            format!("attached {}: Enter sends with them", added.join(", ")),
            false,
        ),
        (None, Some(only_focused)) => super::rounds::send::send(state, only_focused, fx),
        (None, None) if !added.is_empty() => {
            state.notify(format!("attached {}", added.join(", ")), false)
        }
        (None, None) => {}
    }
}

/// Refuses `a` when, with the chips already there and the prompt, it would be over the
/// context of a pane's model (the smallest one that would be sent it).
fn fits(state: &State, a: &Attachment) -> Result<(), String> {
    for (i, pane) in state.panes.iter().enumerate() {
        if a.is_image() && !state.takes_images(&pane.model) {
            continue;
        }
        let Some(context) = state.context_for(&pane.model) else {
            continue;
        };
        let tokens = state.prompt_tokens(i, &state.editor.text()) + a.tokens;
        attach::check_total(tokens, &[(pane.model.clone(), context)])?;
    }
    Ok(())
}

/// Backspace in an empty editor: the last chip comes off. False when there is text or no
/// chip (Backspace edits as usual).
pub(super) fn detach_last(state: &mut State) -> bool {
    if !state.editor.is_empty() {
        return false;
    }
    let Some(a) = state.attachments.pop() else {
        return false;
    };
    state.count_prompt();
    state.notify(format!("removed {}", a.name), false);
    true
}

#[cfg(test)]
mod tests;
