//! `]` and `[`: stepping through a batch session's prompts (`switchboard run --prompts` saves
//! one round per prompt, each a conversation of its own). The panes' answers are parked in
//! their rounds (still live, not archived) and the next prompt's brought in, matched by
//! model; with blind mode on, a prompt not voted on yet is shuffled, ready for `v`.

use super::session::{restored, saved};
use super::{Effect, State};

/// The round a round's conversation started from.
fn root_of(state: &State, mut id: u64) -> u64 {
    while let Some(p) = state.session.rounds.get(id as usize).and_then(|r| r.parent) {
        id = p;
    }
    id
}

/// Shows round `head` and its conversation: every pane's turns go back to their rounds,
/// parked; the answers of the rounds on `head`'s branch come out to the panes of their models.
pub fn show_round(state: &mut State, head: u64) {
    for slot in 0..state.panes.len() {
        for turn in std::mem::take(&mut state.panes[slot].turns) {
            let parked = saved(&turn, slot);
            if let Some(r) = state.session.rounds.get_mut(turn.round as usize) {
                r.archived.push(parked);
            }
        }
        state.panes[slot].scroll = Default::default();
    }
    state.session.head = Some(head);
    for id in state.path_to(Some(head)) {
        let Some(meta) = state.session.rounds.get_mut(id as usize) else {
            continue;
        };
        let all = std::mem::take(&mut meta.archived);
        let meta = meta.clone();
        let mut kept = Vec::with_capacity(all.len());
        for a in all {
            let pane = (!a.archived)
                .then(|| {
                    state
                        .panes
                        .iter()
                        .position(|p| p.model == a.model && !p.turns.iter().any(|t| t.round == id))
                })
                .flatten();
            match pane {
                Some(i) => {
                    let adopted = a.adopted;
                    state.panes[i].turns.push(restored(a, &meta, adopted));
                }
                None => kept.push(a),
            }
        }
        state.session.rounds[id as usize].archived = kept;
    }
}

/// `]` (`delta` 1) or `[` (-1): the next or previous prompt of a batch session.
pub(super) fn step(state: &mut State, delta: isize, fx: &mut Vec<Effect>) {
    if state.session.batch.is_none() {
        state.notify(
            "] and [ step through a batch's prompts: open one saved by `switchboard run --prompts`",
            true,
        );
        return;
    }
    if state.streaming() {
        state.notify(
            "streams are running: cancel them (Ctrl-C) before stepping to another prompt",
            true,
        );
        return;
    }
    let prompts: Vec<u64> = state
        .session
        .rounds
        .iter()
        .filter(|r| r.parent.is_none() && r.prompt_id.is_some())
        .map(|r| r.id)
        .collect();
    let here = state.session.head.map(|h| root_of(state, h));
    let at = here.and_then(|h| prompts.iter().position(|p| *p == h));
    let target = match at {
        Some(i) => i as isize + delta,
        None if delta > 0 => 0,
        None => prompts.len() as isize - 1,
    };
    let Some(&root) = usize::try_from(target).ok().and_then(|t| prompts.get(t)) else {
        state.notify(
            if delta > 0 {
                "this is the batch's last prompt"
            } else {
                "this is the batch's first prompt"
            },
            false,
        );
        return;
    };
    // The newest round of the prompt's conversation (continued in the playground or not).
    let head = (root..state.session.rounds.len() as u64)
        .filter(|id| root_of(state, *id) == root)
        .max()
        .unwrap_or(root);
    show_round(state, head);
    let round = &state.session.rounds[head as usize];
    let fresh = round.vote.is_none() && round.blind.is_none();
    if state.blind && fresh && state.round_panes().len() >= 2 {
        super::arena::shuffle(state, head);
        state.session.dirty = true;
        fx.push(Effect::SaveSession);
    }
    let r = &state.session.rounds[root as usize];
    let id = r.prompt_id.clone().unwrap_or_default();
    let voted = if state.session.rounds[head as usize].vote.is_some() {
        " · voted"
    } else {
        ""
    };
    // Short: the status line of an 80-column terminal has room for about 36 characters.
    state.notify(
        format!(
            "prompt {}/{} · id {}{voted}",
            target + 1,
            prompts.len(),
            crate::sanitize::single_line(&id)
        ),
        false,
    );
}

#[cfg(test)]
mod tests;
