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
    /// Pane `a`'s answer against pane `b`'s, word by word.
    Diff {
        a: usize,
        b: usize,
        scroll: u16,
    },
    /// The race: tokens received against time, for every pane's answer to the current prompt.
    Race,
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
