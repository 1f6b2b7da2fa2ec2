//! Panes scrolled together: the pane scrolled last leads, and the others move to the same
//! relative place in their own text. The UI then lines them up on a heading the answers
//! share, where the leader's window has one above it.

use super::State;
use super::panes::Scroll;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncScroll {
    pub on: bool,
    /// The pane the others follow.
    pub leader: usize,
}

impl State {
    pub fn toggle_sync(&mut self) {
        self.sync.on = !self.sync.on;
        self.sync.leader = self.focused;
        let text = if self.sync.on {
            "panes scroll together (l again: each on its own)"
        } else {
            "panes scroll each on its own"
        };
        self.notify(text, false);
        self.follow_leader(self.focused);
    }

    /// After pane `leader` scrolled: with the panes together, the others go to the same
    /// relative place (the tail, when it follows the tail).
    pub(super) fn follow_leader(&mut self, leader: usize) {
        if !self.sync.on || leader >= self.panes.len() {
            return;
        }
        self.sync.leader = leader;
        let lead = &self.panes[leader];
        let at = (!lead.scroll.follow).then(|| {
            let max = lead.total_lines.saturating_sub(lead.height);
            if max == 0 {
                0.0
            } else {
                lead.scroll.top.min(max) as f64 / max as f64
            }
        });
        for (i, pane) in self.panes.iter_mut().enumerate() {
            if i == leader {
                continue;
            }
            let max = pane.total_lines.saturating_sub(pane.height);
            pane.scroll = match at {
                Some(at) if max > 0 => Scroll {
                    top: (at * max as f64).round() as usize,
                    follow: false,
                },
                _ => Scroll::default(),
            };
        }
    }
}
