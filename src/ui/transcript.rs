//! A pane's body as lines: each turn's prompt, reasoning, answer and status note, wrapped
//! through caches that only redo the growing tail, laid out only for the turns the window
//! needs, and cut to the visible window.

use std::collections::HashMap;
use std::ops::Range;
use std::time::Duration;

use ratatui::text::Line;

use crate::render::stream::MarkdownView;
use crate::render::wrap::Wrap;
use crate::state::panes::{Pane, Scroll, Turn};
use crate::theme::Theme;

mod follow;
mod layout;
mod notes;
mod segments;
pub use follow::Place;
use layout::{Shape, Turns, Viewport};
use segments::{Seg, seg_len, segments, window};

#[derive(Default)]
struct TurnView {
    /// The turn these caches were made for (round, request): a different turn at the same
    /// position (a retry, a branch) starts them afresh.
    key: (u64, u64),
    prompt: Wrap,
    reasoning: Wrap,
    /// The answer as plain wrapped source (raw mode).
    text: Wrap,
    /// The source as sent, when reasoning came inline in `<think>` tags (raw mode), and the
    /// (reasoning, text) lengths it was built for.
    raw: String,
    raw_key: Option<(usize, usize, bool)>,
    /// The answer rendered as markdown.
    md: MarkdownView,
    /// The height the turn was laid out at, and the shape it had then.
    height: Option<(Shape, usize)>,
}

impl TurnView {
    /// Brings the caches up to date with `turn` for drawing it `width` columns wide.
    fn update(&mut self, turn: &Turn, raw: bool, width: usize, theme: &Theme) {
        self.prompt.update(&turn.prompt, width.saturating_sub(2));
        if turn.reasoning_open() {
            self.reasoning
                .update(&turn.answer.reasoning, width.saturating_sub(2));
        }
        if raw && turn.answer.think.is_some() {
            // Rebuilt only when the answer grew, in raw mode, for inline reasoning.
            let closed = turn.answer.think.as_ref().is_some_and(|t| t.closed);
            let key = (turn.answer.reasoning.len(), turn.answer.text.len(), closed);
            if self.raw_key != Some(key) {
                self.raw = turn.answer.raw_text().into_owned();
                self.raw_key = Some(key);
            }
            self.text.update(&self.raw, width);
        } else if raw {
            self.text.update(&turn.answer.text, width);
        } else {
            self.md.update(
                &turn.answer.text,
                width,
                theme,
                turn.answer.status.is_finished(),
            );
        }
    }
}

#[derive(Default)]
struct PaneView {
    /// Caches of the turns laid out so far: a long history's other turns cost a pointer each.
    turns: Vec<Option<Box<TurnView>>>,
}

/// Wrap caches of every pane, keyed by pane id. Owned by the runtime, kept across frames.
#[derive(Default)]
pub struct ViewCache {
    panes: HashMap<u64, PaneView>,
    /// The word diff last drawn, by (requests, answer lengths): an idle frame reuses it.
    pub diff: Option<super::diff::DiffCache>,
}

impl ViewCache {
    /// Drops caches of panes that no longer exist.
    pub fn retain(&mut self, ids: &[u64]) {
        self.panes.retain(|id, _| ids.contains(id));
    }
}

/// What a frame draws a pane's turns for.
#[derive(Clone, Copy)]
struct How {
    width: usize,
    now: Duration,
    hidden: bool,
    raw: bool,
}

/// A pane's turns from `first` (hidden, only the last is shown) with their caches, as the
/// layout measures them.
struct Laying<'a> {
    pane: &'a Pane,
    views: &'a mut [Option<Box<TurnView>>],
    first: usize,
    how: How,
    theme: &'a Theme,
}

impl Laying<'_> {
    fn shape(&self, at: usize) -> Shape {
        let last = at + 1 == self.pane.turns.len();
        let how = (self.how.raw, self.how.hidden, last);
        Shape::of(&self.pane.turns[at], self.how.width, how)
    }
}

impl Turns for Laying<'_> {
    fn len(&self) -> usize {
        self.pane.turns.len() - self.first
    }

    fn known(&self, i: usize) -> (usize, bool) {
        let at = self.first + i;
        let shape = self.shape(at);
        match self.views[at].as_ref().and_then(|v| v.height) {
            Some((was, height)) if was == shape => (height, true),
            _ => (layout::estimate(&self.pane.turns[at], shape), false),
        }
    }

    fn measure(&mut self, i: usize) -> usize {
        let at = self.first + i;
        let shape = self.shape(at);
        let turn = &self.pane.turns[at];
        let How {
            width,
            now,
            hidden,
            raw,
        } = self.how;
        let view = self.views[at].get_or_insert_with(|| {
            Box::new(TurnView {
                key: (turn.round, turn.req),
                ..TurnView::default()
            })
        });
        view.update(turn, raw, width, self.theme);
        let last = at + 1 == self.pane.turns.len();
        let height = segments(turn, view, last, raw, (width, now, hidden))
            .iter()
            .map(seg_len)
            .sum();
        view.height = Some((shape, height));
        height
    }
}

/// The segments of turns `range`, with the turn each belongs to.
fn laid_segments<'a>(
    pane: &'a Pane,
    view: &'a PaneView,
    range: Range<usize>,
    how: How,
) -> Vec<(usize, Seg<'a>)> {
    let n = pane.turns.len();
    range
        .filter_map(|i| Some((i, &pane.turns[i], view.turns[i].as_deref()?)))
        .flat_map(|(i, t, tv)| {
            segments(t, tv, i + 1 == n, how.raw, (how.width, how.now, how.hidden))
                .into_iter()
                .map(move |s| (i, s))
        })
        .collect()
}

/// What a frame shows of a pane: its length in lines (turns never laid out counted by their
/// estimates), the line the window starts at, and the window's lines.
pub struct Window {
    pub total: usize,
    pub top: usize,
    pub lines: Vec<Line<'static>>,
    /// Where the window is, for panes that follow this one.
    pub place: Option<Place>,
}

/// Where a pane's window is: at its own scroll, or at another pane's place.
#[derive(Clone, Copy)]
pub struct At<'p> {
    pub scroll: Scroll,
    /// It leads panes scrolled together: say where its window is.
    pub lead: bool,
    pub follow: Option<&'p Place>,
}

/// Lays out the turns of `pane` the window needs at `width` and returns what it shows.
pub fn visible_lines(
    cache: &mut ViewCache,
    pane: &Pane,
    (width, height): (usize, usize),
    (now, hidden, at): (Duration, bool, At<'_>),
    theme: &Theme,
) -> Window {
    let view = cache.panes.entry(pane.id).or_default();
    view.turns.resize_with(pane.turns.len(), || None);
    for (turn, tv) in pane.turns.iter().zip(view.turns.iter_mut()) {
        if tv.as_ref().is_some_and(|v| v.key != (turn.round, turn.req)) {
            *tv = None;
        }
    }
    let n = pane.turns.len();
    // Hidden, earlier turns stay out of sight: a revealed answer above would say who this is.
    let first = if hidden { n.saturating_sub(1) } else { 0 };
    let how = How {
        width,
        now,
        hidden,
        raw: pane.raw,
    };
    let mut viewport = Viewport {
        height,
        follow: at.scroll.follow,
        top: at.scroll.top,
        streaming: pane.is_running(),
    };
    let mut turns = Laying {
        pane,
        views: &mut view.turns,
        first,
        how,
        theme,
    };
    if let Some(line) = at
        .follow
        .and_then(|p| follow::find(&mut turns, p, viewport))
    {
        (viewport.top, viewport.follow) = (line, false);
    }
    let plan = layout::plan(&mut turns, viewport);
    let place = if at.lead {
        follow::place(&turns, plan.top)
    } else {
        None
    };
    let laid = first + plan.turns.start..first + plan.turns.end;
    // The window's first line among the lines laid out.
    let top = plan.top.saturating_sub(plan.start);
    let shown = |lines| Window {
        total: plan.total,
        top: plan.top,
        lines,
        place,
    };
    // Which answers' lines the window shows: their code is highlighted now, as it comes into
    // view, and not before (a long history opens at once).
    let seen = {
        let segs = laid_segments(pane, view, laid.clone(), how);
        let mut seen = Vec::new();
        let mut at = 0usize;
        for (i, seg) in &segs {
            let len = seg_len(seg);
            if at + len > top && at < top + height && matches!(seg, Seg::Markdown(..)) {
                let (from, to) = (top.saturating_sub(at), (top + height - at).min(len));
                if view.turns[*i]
                    .as_ref()
                    .is_some_and(|v| v.md.pending_in(from, to))
                {
                    seen.push((*i, from, to));
                }
            }
            at += len;
        }
        if seen.is_empty() {
            // Nothing new to highlight: this pass is the frame.
            let segs: Vec<Seg<'_>> = segs.into_iter().map(|(_, s)| s).collect();
            return shown(window(&segs, top, height, theme));
        }
        seen
    };
    // Highlighting changes colours, not lines: the window stays where it was.
    for (i, from, to) in seen {
        if let Some(tv) = view.turns.get_mut(i).and_then(Option::as_mut) {
            tv.md.highlight_seen(from, to, theme);
        }
    }
    let view = &*view;
    let segs: Vec<Seg<'_>> = laid_segments(pane, view, laid, how)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    shown(window(&segs, top, height, theme))
}
