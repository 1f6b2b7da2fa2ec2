//! Which turns of a pane a frame lays out, and where its window falls: heights measured for
//! the turns laid out, estimated from byte lengths for the others, and the window kept on the
//! same text when a frame corrects an estimate above it.

use std::ops::Range;

use crate::chat::AnswerStatus;
use crate::state::panes::{Turn, follow_top};

use super::notes;

/// What a turn's height depends on besides the text its caches hold. A height measured for
/// one shape is reused until the shape changes; any other shape is estimated again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Shape {
    width: usize,
    raw: bool,
    hidden: bool,
    last: bool,
    open: bool,
    text: usize,
    reasoning: usize,
    status: AnswerStatus,
    notes: usize,
}

impl Shape {
    /// O(1): lengths and flags, never the text.
    pub(super) fn of(turn: &Turn, width: usize, (raw, hidden, last): (bool, bool, bool)) -> Shape {
        let a = &turn.answer;
        Shape {
            width,
            raw,
            hidden,
            last,
            open: turn.reasoning_open(),
            text: a.text.len(),
            reasoning: a.reasoning.len(),
            status: a.status,
            notes: notes::count(turn, hidden),
        }
    }
}

/// Lines `bytes` of prose take at `width`, without reading them.
fn prose(bytes: usize, width: usize) -> usize {
    bytes / width.max(1) + 1
}

/// A turn's height guessed from its byte lengths and the width: what a turn never laid out
/// counts for in the total, until a frame shows it and measures it.
pub(super) fn estimate(turn: &Turn, shape: Shape) -> usize {
    let a = &turn.answer;
    let narrow = shape.width.saturating_sub(2);
    let mut lines = prose(turn.prompt.len(), narrow);
    let inline_raw = shape.raw && a.think.is_some();
    if inline_raw {
        // `<think>` and `</think>` around the reasoning.
        lines += prose(a.reasoning.len() + a.text.len() + 16, shape.width);
    } else {
        if !a.reasoning.is_empty() || a.encrypted_reasoning > 0 {
            lines += 1;
            if shape.open && !a.reasoning.is_empty() {
                lines += prose(a.reasoning.len(), narrow);
            }
        }
        if !a.text.is_empty() {
            // Markdown leaves lines short (lists, code, tables) and blank between blocks:
            // about half again as many lines as its bytes would fill.
            lines += if shape.raw {
                prose(a.text.len(), shape.width)
            } else {
                prose(a.text.len() * 3 / 2, shape.width)
            };
        }
    }
    lines + shape.notes + usize::from(!shape.last)
}

/// A pane's turns as the planner sees them (index 0 is the first turn shown).
pub(super) trait Turns {
    fn len(&self) -> usize;
    /// The height turn `i` counts for now, and whether it was measured (not estimated).
    fn known(&self, i: usize) -> (usize, bool);
    /// Lays turn `i` out for drawing and returns its real height.
    fn measure(&mut self, i: usize) -> usize;
}

/// Where the pane wants its window: following the tail, or from line `top`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Viewport {
    pub height: usize,
    pub follow: bool,
    pub top: usize,
    pub streaming: bool,
}

/// What a frame draws: the turns laid out (from line `start`), the window's first line and
/// the transcript's length, estimates included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Plan {
    pub total: usize,
    pub top: usize,
    pub turns: Range<usize>,
    pub start: usize,
}

/// Lays out the turns the window shows and a screen either side of it, so that the next
/// scroll by up to a page lands on text already measured and nothing under it moves.
pub(super) fn plan(turns: &mut impl Turns, view: Viewport) -> Plan {
    let n = turns.len();
    let total: usize = (0..n).map(|i| turns.known(i).0).sum();
    if n == 0 || view.height == 0 {
        return Plan {
            total,
            top: 0,
            turns: 0..0,
            start: 0,
        };
    }
    if view.follow {
        return tail(turns, total, view);
    }
    let h = view.height;
    let mut top = view.top.min(total.saturating_sub(h));
    // The turn holding the first line of the margin above the window.
    let want = top.saturating_sub(h);
    let (mut i, mut at) = (0, 0);
    loop {
        let (height, _) = turns.known(i);
        if at + height > want || i + 1 == n {
            break;
        }
        at += height;
        i += 1;
    }
    let (first, start) = (i, at);
    let mut total = total;
    while i < n && at < top + 2 * h {
        let (old, measured) = turns.known(i);
        let below_known = i + 1 < n && turns.known(i + 1).1;
        let real = turns.measure(i);
        if at + old <= top {
            // Above the window: what the window shows moves down (or up) with it.
            top = top - old + real;
        } else if at <= top && !measured {
            // The window starts in a turn never measured: keep the text below it in place if
            // that was measured (scrolling up onto it), else the offset into the turn.
            let off = top - at;
            top = at
                + if below_known {
                    real.saturating_sub(old - off)
                } else {
                    off.min(real.saturating_sub(1))
                };
        }
        total = total - old + real;
        at += real;
        i += 1;
    }
    let (mut first, mut start) = (first, start);
    while first > 0 && start > top.saturating_sub(h) {
        // Turns above came out shorter than their estimates: the window rose, and the screen
        // above it reaches further up.
        first -= 1;
        let (old, _) = turns.known(first);
        let real = turns.measure(first);
        start -= old;
        top = top - old + real;
        total = total - old + real;
    }
    if top + h > total {
        // Estimates below shrank under the window: it ends at the tail, laid out from there.
        return tail(
            turns,
            total,
            Viewport {
                streaming: false,
                ..view
            },
        );
    }
    Plan {
        total,
        top,
        turns: first..i,
        start,
    }
}

/// Lays out from the last turn back until the window and a screen above it are filled.
fn tail(turns: &mut impl Turns, mut total: usize, view: Viewport) -> Plan {
    let mut from_end = 0;
    let mut i = turns.len();
    while i > 0 && from_end < 2 * view.height {
        i -= 1;
        let (old, _) = turns.known(i);
        let real = turns.measure(i);
        total = total - old + real;
        from_end += real;
    }
    Plan {
        total,
        top: follow_top(total, view.height, view.streaming),
        turns: i..turns.len(),
        start: total - from_end,
    }
}

#[cfg(test)]
mod tests;
