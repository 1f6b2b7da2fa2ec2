//! The popups over the playground: which one is open, what it holds, and which of them
//! scroll as a page of text.

use super::params::ParamsForm;
use super::picker::Picker;
use super::{browser, overflow};

#[derive(Clone, Debug)]
pub enum Overlay {
    Picker(Picker),
    Params(ParamsForm),
    Help {
        scroll: u16,
    },
    Sessions(browser::Browser),
    /// The rounds of the current branch, to pick one whose prompt to edit.
    Rounds {
        cursor: usize,
    },
    Scoreboard(browser::Scoreboard),
    /// A judge's verdict on a round (or its readings while they stream).
    Verdict {
        round: u64,
        scroll: u16,
    },
    /// A prompt that would not fit some panes' context, waiting for the user's choice.
    Overflow(overflow::Overflow),
    /// Pane `a`'s answer against another's, word by word.
    Diff {
        a: usize,
        b: DiffWith,
        scroll: u16,
    },
    /// The race: tokens received against time, for every pane's answer to the current prompt.
    Race,
}

/// What the focused answer is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffWith {
    /// Another pane's answer to the same prompt.
    Pane(usize),
    /// The round's adopted answer where no pane shows it any more (a retry replaced it).
    Adopted,
}

impl super::State {
    /// Opens the word diff of the focused pane's answer against the next pane's, or, open, moves
    /// it on to the next pane, then to the adopted answer where a retry took it out of its pane.
    pub(super) fn diff_next(&mut self) {
        let n = self.panes.len();
        let (a, from, scroll) = match self.overlay {
            Some(Overlay::Diff { a, b, scroll }) if a < n => (a, Some(b), scroll),
            _ => (self.focused.min(n.saturating_sub(1)), None, 0),
        };
        let mut targets: Vec<DiffWith> = (1..n).map(|k| DiffWith::Pane((a + k) % n)).collect();
        if self.archived_adopted().is_some() {
            targets.push(DiffWith::Adopted);
        }
        let Some(first) = targets.first().copied() else {
            self.notify(
                "a diff needs two answers: pick another model (Ctrl-P) or adopt one and retry",
                true,
            );
            return;
        };
        let b = from
            .and_then(|f| targets.iter().position(|t| *t == f))
            .map_or(first, |i| targets[(i + 1) % targets.len()]);
        // The same pair again (one target): the reader keeps their place.
        let scroll = if Some(b) == from { scroll } else { 0 };
        self.overlay = Some(Overlay::Diff { a, b, scroll });
    }

    /// Opens the race chart, or closes it when it is open (the same key both ways).
    pub(super) fn race_chart(&mut self) {
        if matches!(self.overlay, Some(Overlay::Race)) {
            super::actions::close_overlay(self);
        } else if self.round_panes().is_empty() {
            self.notify("no race yet: send a prompt first", true);
        } else {
            self.overlay = Some(Overlay::Race);
        }
    }

    /// The current round's adopted answer when no pane shows it any more: a retry or a
    /// branch took it out of its pane, and it is still the one to compare a new answer with.
    pub fn archived_adopted(&self) -> Option<&crate::storage::session::SavedAnswer> {
        let head = self.head_round()?;
        // A pane's answer to the head round is its last turn: no walk through the history.
        let shown = self
            .panes
            .iter()
            .filter_map(|p| p.current())
            .any(|t| t.round == head.id && t.adopted);
        if shown {
            return None;
        }
        head.archived.iter().rev().find(|a| a.adopted)
    }
}

impl Overlay {
    /// An overlay that scrolls as a page of text (help, the verdict, the ratings).
    pub fn is_page(&self) -> bool {
        matches!(
            self,
            Overlay::Help { .. }
                | Overlay::Verdict { .. }
                | Overlay::Scoreboard(_)
                | Overlay::Diff { .. }
        )
    }

    /// The scroll offset of an overlay that scrolls as a page of text.
    pub fn scroll(&mut self) -> Option<&mut u16> {
        match self {
            Overlay::Help { scroll }
            | Overlay::Verdict { scroll, .. }
            | Overlay::Diff { scroll, .. }
            | Overlay::Scoreboard(browser::Scoreboard { scroll, .. }) => Some(scroll),
            _ => None,
        }
    }
}
