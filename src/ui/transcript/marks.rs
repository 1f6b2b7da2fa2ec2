//! Where a pane's laid-out turns and their headings fall: what lines panes up when they
//! scroll together.

use std::ops::Range;

use crate::state::panes::Pane;

use super::segments::{Seg, seg_len, segments};
use super::{How, PaneView};

/// A heading: its turn's round, its text, which of that text it is in its turn (the same
/// heading twice is told apart by order), and its line in the pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub round: u64,
    pub text: String,
    pub nth: usize,
    pub line: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// Each laid-out turn's round, first line and height.
    pub turns: Vec<(u64, usize, usize)>,
    pub headings: Vec<Heading>,
}

/// The marks of turns `laid`, the first of which starts at line `start`.
pub(super) fn marks(
    pane: &Pane,
    view: &PaneView,
    laid: Range<usize>,
    start: usize,
    how: How,
) -> Marks {
    let mut out = Marks::default();
    let mut at = start;
    let n = pane.turns.len();
    for i in laid {
        let (Some(turn), Some(Some(tv))) = (pane.turns.get(i), view.turns.get(i)) else {
            continue;
        };
        let first = at;
        let segs = segments(
            turn,
            tv,
            i + 1 == n,
            how.raw,
            (how.width, how.now, how.hidden),
        );
        for seg in &segs {
            if let Seg::Markdown(md, _) = seg {
                for (line, text) in md.headings() {
                    let text = text.trim().to_lowercase();
                    let nth = out
                        .headings
                        .iter()
                        .filter(|h| h.round == turn.round && h.text == text)
                        .count();
                    out.headings.push(Heading {
                        round: turn.round,
                        text,
                        nth,
                        line: at + line,
                    });
                }
            }
            at += seg_len(seg);
        }
        out.turns.push((turn.round, first, at - first));
    }
    out
}

impl Marks {
    /// Where the window at `top` is: its turn's round and how far into the turn (0 to 1),
    /// and the heading above it in that turn with how far below it.
    pub fn place(&self, top: usize) -> Option<Place> {
        let &(round, start, height) = self
            .turns
            .iter()
            .find(|(_, s, h)| top >= *s && top < s + h)?;
        let heading = self
            .headings
            .iter()
            .filter(|h| h.round == round && h.line >= start && h.line <= top)
            .max_by_key(|h| h.line)
            .map(|h| (h.clone(), top - h.line));
        Some(Place {
            round,
            share: (top - start) as f64 / height.max(1) as f64,
            heading,
        })
    }

    /// The line at `place` in this pane: below the same heading where this pane's answer
    /// has it, else at the same share of the same turn. `None` where that turn is not laid
    /// out here.
    pub fn line_of(&self, place: &Place) -> Option<usize> {
        let shared = place.heading.as_ref().and_then(|(h, below)| {
            self.headings
                .iter()
                .find(|x| x.round == h.round && x.text == h.text && x.nth == h.nth)
                .map(|x| x.line + below)
        });
        shared.or_else(|| {
            let &(_, start, height) = self.turns.iter().find(|t| t.0 == place.round)?;
            Some(start + (place.share * height as f64).round() as usize)
        })
    }
}

/// A place in a pane's text, as another pane can find it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub round: u64,
    pub share: f64,
    pub heading: Option<(Heading, usize)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(round: u64, text: &str, nth: usize, line: usize) -> Heading {
        Heading {
            round,
            text: text.into(),
            nth,
            line,
        }
    }

    #[test]
    fn a_shared_heading_lines_up_and_otherwise_the_share_of_the_turn_does() {
        let leader = Marks {
            turns: vec![(0, 0, 40), (1, 40, 100)],
            headings: vec![heading(1, "setup", 0, 50), heading(1, "usage", 0, 90)],
        };
        let other = Marks {
            turns: vec![(0, 0, 10), (1, 10, 50)],
            headings: vec![heading(1, "usage", 0, 20)],
        };
        // Four lines under `usage`.
        let place = leader.place(94).unwrap();
        assert_eq!(other.line_of(&place), Some(24));
        // Under `setup`, which the other answer lacks: the same share (20%) of the turn.
        let place = leader.place(60).unwrap();
        assert_eq!(other.line_of(&place), Some(20));
        // Above any heading of its turn, in the first turn: its share.
        let place = leader.place(20).unwrap();
        assert_eq!(place.heading, None);
        assert_eq!(other.line_of(&place), Some(5));
        // A turn the other pane has not laid out: nowhere to go.
        assert_eq!(Marks::default().line_of(&place), None);
    }

    #[test]
    fn the_same_heading_twice_is_matched_in_order() {
        let leader = Marks {
            turns: vec![(0, 0, 100)],
            headings: vec![heading(0, "example", 0, 10), heading(0, "example", 1, 60)],
        };
        let other = Marks {
            turns: vec![(0, 0, 100)],
            headings: vec![heading(0, "example", 0, 5), heading(0, "example", 1, 30)],
        };
        assert_eq!(other.line_of(&leader.place(62).unwrap()), Some(32));
    }
}
