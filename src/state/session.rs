//! The session a playground is writing: its rounds (a tree: editing an earlier prompt starts a
//! branch), answers no longer shown in a pane, the adopted winners, and the conversion to and
//! from the file format.

use std::time::Duration;

use crate::chat::{Answer, AnswerStatus, ErrorKind, Params, StreamError};
use crate::storage::session::{RoundRecord, SCHEMA, SavedAnswer, Session};
use crate::storage::votes::{BlindRecord, Judgement, VoteRecord};

use super::State;
use super::panes::{Pane, Turn};

#[derive(Clone, Debug)]
pub struct RoundMeta {
    pub id: u64,
    pub parent: Option<u64>,
    pub prompt: String,
    pub system: Option<String>,
    pub params: Params,
    pub created_ms: u64,
    /// Answers of this round that no pane shows any more (replaced, branched away, closed).
    pub archived: Vec<SavedAnswer>,
    pub blind: Option<BlindRecord>,
    pub vote: Option<VoteRecord>,
    pub judgements: Vec<Judgement>,
    /// Files sent with the prompt (their bytes stay in the blob folder).
    pub attachments: Vec<crate::chat::attach::Attachment>,
    /// A batch round: its prompt's id in the prompts file.
    pub prompt_id: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct SessionInfo {
    pub id: String,
    pub title: String,
    pub created_ms: u64,
    pub rounds: Vec<RoundMeta>,
    /// The newest round of the branch being continued.
    pub head: Option<u64>,
    /// Changed since the last save.
    pub dirty: bool,
    pub save_error: Option<String>,
    /// Editing the prompt of this round: the next send starts a branch beside it.
    pub branch_from: Option<u64>,
    /// What a batch session was made from (kept as it was when saved again).
    pub batch: Option<crate::storage::session::BatchInfo>,
}

/// A title from the first prompt: its first line, at most 60 characters.
pub fn title_from(prompt: &str) -> String {
    let line = prompt
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut t: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        t.push('…');
    }
    t
}

pub fn saved(turn: &Turn, slot: usize) -> SavedAnswer {
    let mut s = SavedAnswer::from_answer(&turn.answer, slot, turn.cost(), turn.pricing.clone());
    s.adopted = turn.adopted;
    s.left_out = turn.left_out;
    s.not_sent = turn.not_sent.clone();
    s
}

/// A live turn again from a saved answer. One that was still streaming when it was saved
/// comes back as incomplete, saying why.
/// Takes the saved answer's text rather than copying it: a long history opens without
/// copying its megabytes.
pub fn restored(s: SavedAnswer, round: &RoundMeta, adopted: bool) -> Turn {
    let mut a = Answer::new(s.model, 0);
    a.served_model = s.served_model;
    a.provider = s.provider;
    a.text_chars = s.text.chars().count() as u64;
    a.reasoning_chars = s.reasoning.chars().count() as u64;
    a.text = s.text;
    a.reasoning = s.reasoning;
    a.usage = s.usage;
    a.finish_reason = s.finish_reason;
    a.generation_id = s.generation_id;
    a.adjusted = s.adjusted;
    a.notes = s.notes;
    a.think = s.think;
    a.timeline = crate::chat::Timeline::from_tokens(&s.tokens_by_second);
    a.ttft = s.ttft_ms.map(Duration::from_millis);
    a.duration = s.duration_ms.map(Duration::from_millis);
    a.status = s.status;
    a.error = s.error.map(|m| StreamError::new(ErrorKind::Dropped, m));
    if !s.status.is_finished() {
        // How long it streamed is unknown: no speed rather than an invented one.
        a.duration = a.ttft;
        a.status = AnswerStatus::Incomplete;
        a.error = Some(StreamError::new(
            ErrorKind::Dropped,
            "interrupted: switchboard stopped while this answer streamed",
        ));
    }
    a.prompt_tokens_estimate = crate::cost::estimate_prompt_tokens([round.prompt.as_str()]);
    let attached: u64 = round
        .attachments
        .iter()
        .filter(|a| !s.not_sent.contains(&a.sha256))
        .fold(0u64, |sum, a| sum.saturating_add(a.tokens));
    Turn {
        prompt: round.prompt.clone(),
        prompt_tokens: crate::cost::estimate_tokens(&round.prompt).saturating_add(attached),
        answer: a,
        req: 0,
        started_at: Duration::ZERO,
        pricing: s.pricing,
        show_reasoning: None,
        round: round.id,
        adopted,
        saved_cost: s.cost,
        left_out: s.left_out,
        attachments: round
            .attachments
            .iter()
            .filter(|a| !s.not_sent.contains(&a.sha256))
            .cloned()
            .collect(),
        not_sent: s.not_sent,
    }
}

impl State {
    /// The wall clock now, in milliseconds since 1970.
    pub fn wall_ms(&self) -> u64 {
        self.wall_start_ms + self.now.as_millis() as u64
    }

    /// Moves a turn out of its pane into its round's archive.
    pub fn archive(&mut self, turn: Turn, slot: usize) {
        let mut saved = saved(&turn, slot);
        saved.archived = true;
        if let Some(r) = self.session.rounds.get_mut(turn.round as usize) {
            r.archived.push(saved);
        }
        self.session.dirty = true;
    }

    /// The round ids from the first round to `head`.
    pub fn path_to(&self, head: Option<u64>) -> Vec<u64> {
        let mut path = Vec::new();
        let mut cur = head;
        while let Some(id) = cur {
            path.push(id);
            cur = self.session.rounds.get(id as usize).and_then(|r| r.parent);
        }
        path.reverse();
        path
    }

    /// The session as it goes to disk; `None` before the first round.
    pub fn session_snapshot(&self) -> Option<Session> {
        if self.session.rounds.is_empty() {
            return None;
        }
        let rounds =
            self.session
                .rounds
                .iter()
                .map(|r| {
                    let mut answers = r.archived.clone();
                    for (slot, pane) in self.panes.iter().enumerate() {
                        answers.extend(
                            pane.turns
                                .iter()
                                .filter(|t| t.round == r.id)
                                .map(|t| saved(t, slot)),
                        );
                    }
                    // Live answers first: a reader (or an older switchboard) meets the shown one first.
                    answers.sort_by_key(|a| (a.archived, a.slot));
                    let winner = answers
                        .iter()
                        .find(|a| a.adopted && !a.archived)
                        .map(|a| a.slot);
                    RoundRecord {
                        id: r.id,
                        parent: r.parent,
                        prompt: r.prompt.clone(),
                        system: r.system.clone(),
                        params: r.params.clone(),
                        created_ms: r.created_ms,
                        winner,
                        answers,
                        blind: r.blind,
                        vote: r.vote.clone(),
                        judgements: {
                            // Readings still streaming are saved as they stand: they were paid.
                            let mut j = r.judgements.clone();
                            j.extend(self.judging_so_far().filter(|_| {
                                self.judging.as_ref().is_some_and(|j| j.round == r.id)
                            }));
                            j
                        },
                        attachments: r.attachments.clone(),
                        prompt_id: r.prompt_id.clone(),
                    }
                })
                .collect();
        Some(Session {
            schema: SCHEMA,
            id: self.session.id.clone(),
            title: self.session.title.clone(),
            created_ms: self.session.created_ms,
            updated_ms: self.wall_ms(),
            base_url: self.base_url.clone(),
            models: self.panes.iter().map(|p| p.model.clone()).collect(),
            batch: self.session.batch.clone(),
            rounds,
        })
    }

    /// Opens a saved session: its latest branch fills the panes, everything else is kept
    /// in the rounds' archives.
    pub fn restore(&mut self, session: Session) {
        let rounds: Vec<RoundMeta> = session
            .rounds
            .iter()
            .map(|r| RoundMeta {
                id: r.id,
                parent: r.parent,
                prompt: r.prompt.clone(),
                system: r.system.clone(),
                params: r.params.clone(),
                created_ms: r.created_ms,
                archived: Vec::new(),
                blind: r.blind,
                vote: r.vote.clone(),
                judgements: r.judgements.clone(),
                attachments: r.attachments.clone(),
                prompt_id: r.prompt_id.clone(),
            })
            .collect();
        self.session = SessionInfo {
            id: session.id.clone(),
            title: session.title.clone(),
            created_ms: session.created_ms,
            rounds: Vec::new(),
            head: session
                .rounds
                .iter()
                .max_by_key(|r| (r.created_ms, r.id))
                .map(|r| r.id),
            dirty: false,
            save_error: None,
            branch_from: None,
            batch: session.batch.clone(),
        };
        let mut models = session.models.clone();
        if models.is_empty() {
            models = session
                .rounds
                .last()
                .map(|r| r.answers.iter().map(|a| a.model.clone()).collect())
                .unwrap_or_default();
        }
        self.panes = models.iter().map(Pane::new).collect();
        self.session.rounds = rounds;
        let path = self.path_to(self.session.head);
        let mut rounds = std::mem::take(&mut self.session.rounds);
        // Round ids index the rounds: where each stands on the branch, and which panes already
        // have a turn of it, are looked up, not searched for (that made opening a long
        // history quadratic in its rounds).
        let mut on_path: Vec<Option<usize>> = vec![None; rounds.len()];
        for (i, id) in path.iter().enumerate() {
            if let Some(at) = on_path.get_mut(*id as usize) {
                *at = Some(i);
            }
        }
        let place = |id: u64| on_path.get(id as usize).copied().flatten();
        let mut filled = vec![vec![false; rounds.len()]; self.panes.len()];
        for p in &mut self.panes {
            // A turn a round on the branch, at most: grown once, not copied as it doubles.
            p.turns.reserve(path.len());
        }
        for mut r in session.rounds {
            let adopted: Vec<bool> = r.answers.iter().map(|a| r.is_adopted(a)).collect();
            for (mut a, adopted) in std::mem::take(&mut r.answers).into_iter().zip(adopted) {
                let live = !a.archived
                    && place(r.id).is_some()
                    && self.panes.get(a.slot).is_some_and(|p| {
                        p.model == a.model && !filled[a.slot].get(r.id as usize).is_some_and(|f| *f)
                    });
                if live {
                    let slot = a.slot;
                    let turn = restored(a, &rounds[r.id as usize], adopted);
                    self.panes[slot].turns.push(turn);
                    if let Some(f) = filled[slot].get_mut(r.id as usize) {
                        *f = true;
                    }
                } else if let Some(meta) = rounds.get_mut(r.id as usize) {
                    a.adopted = adopted;
                    // A batch's other prompts are parked, not archived: `]` and `[` show
                    // them again (see stepping.rs).
                    a.archived |= self.session.batch.is_none() || place(r.id).is_some();
                    meta.archived.push(a);
                }
            }
        }
        for p in &mut self.panes {
            p.turns.sort_by_key(|t| place(t.round));
        }
        self.session.rounds = rounds;
        if let Some(last) = self
            .session
            .head
            .and_then(|h| self.session.rounds.get(h as usize))
        {
            self.system = last.system.clone();
            self.params = last.params.clone();
        }
        self.focused = 0;
        self.zoomed = false;
        self.overlay = None;
    }
}

#[cfg(test)]
mod tests;
