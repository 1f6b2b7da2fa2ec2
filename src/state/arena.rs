//! Blind rounds and votes: the models shuffled across the panes, who is who kept off the
//! screen until the vote, a vote (which stops the other streams), and the reveal.

use crate::rating::rng::Rng;
use crate::storage::votes::{BlindRecord, Verdict, VoteRecord};

use super::{Effect, State};

/// `A`, `B`, … for pane `i` (the panes are at most `MAX_PANES`).
pub fn letter(i: usize) -> char {
    char::from(b'A' + (i % 26) as u8)
}

/// `A`, `A and B`, `A, B and C`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl State {
    /// Who is who is hidden: the newest round is blind and not yet voted on or revealed, or
    /// blind mode is on and no round was sent yet. Then no model id, provider, served-by
    /// name or per-pane price may reach the screen.
    pub fn hidden(&self) -> bool {
        match self.head_round() {
            Some(r) => r.blind.is_some_and(|b| !b.revealed),
            None => self.blind,
        }
    }

    /// The round the panes show now.
    pub fn head_round(&self) -> Option<&super::session::RoundMeta> {
        self.session
            .head
            .and_then(|h| self.session.rounds.get(h as usize))
    }

    /// `text` with every name that would say which pane holds which model (model ids, their
    /// last path part, served-by models, providers) replaced by the pane's letter.
    pub fn redact(&self, text: &str) -> String {
        let mut names: Vec<(String, char)> = Vec::new();
        for (i, p) in self.panes.iter().enumerate() {
            let mut add = |n: &str| {
                if n.chars().count() >= 3 {
                    names.push((n.to_string(), letter(i)));
                }
            };
            add(&p.model);
            add(self.bare_model(&p.model));
            add(p.model.rsplit(['/', ':']).next().unwrap_or(""));
            if let Some(a) = p.current().map(|t| &t.answer) {
                for n in a.served_model.iter().chain(&a.provider) {
                    add(n);
                    add(n.rsplit('/').next().unwrap_or(""));
                }
            }
        }
        // Longest first, so `vendor/model` goes before `model`.
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        let mut out = text.to_string();
        for (name, l) in names {
            if out.contains(&name) {
                out = out.replace(&name, &l.to_string());
            }
        }
        out
    }

    /// `text` as the screen may show it now.
    pub fn redact_if_hidden(&self, text: &str) -> String {
        if self.hidden() {
            self.redact(text)
        } else {
            text.to_string()
        }
    }

    /// The models of the panes that answer the newest round, with their pane indices.
    pub fn round_panes(&self) -> Vec<usize> {
        let Some(head) = self.session.head else {
            return Vec::new();
        };
        (0..self.panes.len())
            .filter(|i| self.panes[*i].current().is_some_and(|t| t.round == head))
            .collect()
    }
}

/// A seed for round `round` from the wall clock: `update` has no random source of its own.
pub fn seed_for(wall_ms: u64, round: u64) -> u64 {
    Rng::new(wall_ms ^ round.rotate_left(32)).next_u64()
}

/// Makes round `round` blind: its seed shuffles the panes (each keeps its model and
/// conversation; only where it shows moves). Focus stays on the same place.
pub(super) fn shuffle(state: &mut State, round: u64) {
    let seed = seed_for(state.wall_ms(), round);
    Rng::new(seed).shuffle(&mut state.panes);
    if let Some(r) = state.session.rounds.get_mut(round as usize) {
        r.blind = Some(BlindRecord {
            seed,
            revealed: false,
        });
    }
    // A message from before could name a model: it must not sit beside the new order.
    state.notice = None;
}

/// F3: blind mode on or off. Off while a round is hidden reveals it (a later vote on it is
/// then sighted).
pub(super) fn toggle_blind(state: &mut State, fx: &mut Vec<Effect>) {
    if state.hidden() && state.session.head.is_some() {
        state.blind = false;
        if let Some(h) = state.session.head
            && let Some(b) = state.session.rounds[h as usize].blind.as_mut()
        {
            b.revealed = true;
            state.session.dirty = true;
            fx.push(Effect::SaveSession);
        }
        state.notify(
            "blind mode off: the models are shown (no vote was cast)",
            false,
        );
        return;
    }
    state.blind = !state.blind;
    state.notify(
        if state.blind {
            "blind mode on: from the next round the panes are shuffled and named A, B, C…"
        } else {
            "blind mode off"
        },
        false,
    );
}

/// A vote on the newest round: the focused answer is the best, or a tie, or all bad. It stops
/// the streams still running (all but the chosen one), records the vote, and reveals.
pub(super) fn vote(state: &mut State, verdict: Verdict, fx: &mut Vec<Effect>) {
    let Some(head) = state.session.head else {
        state.notify("nothing to vote on yet: send a prompt first", true);
        return;
    };
    let voters = state.round_panes();
    if voters.len() < 2 {
        state.notify(
            "a vote needs at least two answers of this round side by side",
            true,
        );
        return;
    }
    let best = (verdict == Verdict::Best).then_some(state.focused);
    if best.is_some_and(|b| !voters.contains(&b)) {
        state.notify("this pane has no answer in this round", true);
        return;
    }
    for &i in &voters {
        if Some(i) != best {
            super::rounds::cancel(state, i, fx);
        }
    }
    let models: Vec<String> = voters
        .iter()
        .map(|&i| state.panes[i].model.clone())
        .collect();
    let at_ms = state.wall_ms();
    let round = &mut state.session.rounds[head as usize];
    let blind = round.blind.is_some_and(|b| !b.revealed) && round.vote.is_none();
    let changed = round.vote.is_some();
    round.vote = Some(VoteRecord {
        verdict,
        best: best.map(|b| state.panes[b].model.clone()),
        models: models.clone(),
        blind,
        at_ms,
    });
    if let Some(b) = round.blind.as_mut() {
        b.revealed = true;
    }
    state.session.dirty = true;
    fx.push(Effect::SaveSession);
    let text = match best {
        Some(b) => {
            let others: Vec<String> = models
                .iter()
                .filter(|m| **m != state.panes[b].model)
                .cloned()
                .collect();
            format!(
                "You picked {} over {}",
                state.panes[b].model,
                and_list(&others)
            )
        }
        None if verdict == Verdict::Tie => format!("You called {} a tie", and_list(&models)),
        None => format!("You found {} all bad", and_list(&models)),
    };
    let text = if changed {
        format!("{text} (vote changed; it counts as sighted)")
    } else if blind {
        text
    } else {
        format!("{text} (sighted vote: it does not count in the blind ratings)")
    };
    state.notify(text, false);
}

#[cfg(test)]
mod tests;
