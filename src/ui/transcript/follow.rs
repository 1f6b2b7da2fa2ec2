//! Panes scrolled together: where the leading pane's window is (its turn's round, how far
//! into that turn, and the heading above it), and the line of that place in a following
//! pane. Both walk the turns' known heights once, as the layout does, and find headings by
//! line or by text without reading the answer: a frame costs the same however long it is.

use super::Laying;
use super::layout::{self, Turns, Viewport};
use super::segments::{Seg, seg_len, segments};
use crate::render::stream::MarkdownView;

/// A place in a pane's text, as another pane can find it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The round whose answer the window is in.
    pub round: u64,
    /// How far into that turn (0 to 1).
    pub share: f64,
    /// The heading above the window in that answer (its text as compared, which one of that
    /// text) and how many lines below it.
    pub heading: Option<(String, usize, usize)>,
}

impl Laying<'_> {
    /// The line turn `i` starts at, by the heights known now.
    fn start_of(&self, i: usize) -> usize {
        (0..i).map(|j| self.known(j).0).sum()
    }

    /// Lines from turn `i`'s start to its rendered answer, and the answer, once laid out.
    fn answer(&self, i: usize) -> Option<(usize, &MarkdownView)> {
        let at = self.first + i;
        let tv = self.views.get(at)?.as_deref()?;
        let turn = &self.pane.turns[at];
        let last = at + 1 == self.pane.turns.len();
        let how = (self.how.width, self.how.now, self.how.hidden);
        let mut off = 0;
        for seg in &segments(turn, tv, last, self.how.raw, how) {
            if matches!(seg, Seg::Markdown(..)) {
                return Some((off, &tv.md));
            }
            off += seg_len(seg);
        }
        None
    }
}

/// Where line `top` of the laid-out pane is.
pub(super) fn place(turns: &Laying, top: usize) -> Option<Place> {
    let mut at = 0;
    for i in 0..turns.len() {
        let (height, _) = turns.known(i);
        if top < at + height {
            let heading = turns.answer(i).and_then(|(off, md)| {
                let line = top.checked_sub(at + off)?;
                let h = md.headings().above(line)?;
                Some((h.text.clone(), h.nth, line - h.line))
            });
            return Some(Place {
                round: turns.pane.turns[turns.first + i].round,
                share: (top - at) as f64 / height.max(1) as f64,
                heading,
            });
        }
        at += height;
    }
    None
}

/// The line of `place` in this pane: below the same heading where its answer has it, else at
/// the same share of the same round's turn. `None` when it has no turn of that round.
pub(super) fn find(turns: &mut Laying, place: &Place, view: Viewport) -> Option<usize> {
    let round = |t: &Laying, i: usize| t.pane.turns[t.first + i].round;
    let i = (0..turns.len())
        .rev()
        .find(|i| round(turns, *i) == place.round)?;
    let guess = turns.start_of(i) + (place.share * turns.known(i).0 as f64) as usize;
    // Laid out around the guess, the turn is measured: its real start and headings are known.
    layout::plan(
        turns,
        Viewport {
            top: guess,
            follow: false,
            ..view
        },
    );
    let (start, height) = (turns.start_of(i), turns.known(i).0);
    let under = place.heading.as_ref().and_then(|(text, nth, below)| {
        let (off, md) = turns.answer(i)?;
        Some(start + off + md.headings().line_of(text, *nth)? + below)
    });
    Some(under.unwrap_or(start + (place.share * height as f64).round() as usize))
}
