//! A pane's body as lines: each turn's prompt, reasoning, answer and status note, wrapped
//! through caches that only redo the growing tail, and cut to the visible window.

use std::collections::HashMap;
use std::time::Duration;

use ratatui::text::{Line, Span};

use crate::render::stream::MarkdownView;
use crate::render::wrap::Wrap;
use crate::sanitize::terminal_safe;
use crate::state::panes::{Pane, Turn, follow_top};
use crate::theme::Theme;

mod notes;
use notes::notes;

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
}

#[derive(Default)]
struct PaneView {
    turns: Vec<TurnView>,
}

/// Wrap caches of every pane, keyed by pane id. Owned by the runtime, kept across frames.
#[derive(Default)]
pub struct ViewCache {
    panes: HashMap<u64, PaneView>,
}

impl ViewCache {
    /// Drops caches of panes that no longer exist.
    pub fn retain(&mut self, ids: &[u64]) {
        self.panes.retain(|id, _| ids.contains(id));
    }
}

enum Seg<'a> {
    Prompt(&'a str, &'a Wrap),
    ReasoningHead(String),
    Reasoning(&'a str, &'a Wrap),
    Text(&'a str, &'a Wrap),
    Markdown(&'a MarkdownView, &'a str),
    Note(String, Wrap),
    Blank,
}

fn note_seg<'a>(text: String, width: usize) -> Seg<'a> {
    let mut wrap = Wrap::default();
    wrap.update(&text, width);
    Seg::Note(text, wrap)
}

fn seg_len(seg: &Seg<'_>) -> usize {
    match seg {
        Seg::Prompt(_, w) | Seg::Reasoning(_, w) | Seg::Text(_, w) => w.len(),
        Seg::Markdown(m, _) => m.len(),
        Seg::Note(_, w) => w.len(),
        Seg::ReasoningHead(_) | Seg::Blank => 1,
    }
}

fn slice(text: &str, range: (usize, usize)) -> String {
    terminal_safe(&text[range.0..range.1]).replace('\t', "    ")
}

fn seg_line(seg: &Seg<'_>, i: usize, theme: &Theme) -> Line<'static> {
    match seg {
        Seg::Prompt(text, w) => {
            let lead = if i == 0 { "› " } else { "  " };
            Line::from(vec![
                Span::styled(lead, theme.prompt),
                Span::styled(slice(text, w.lines[i]), theme.prompt),
            ])
        }
        Seg::ReasoningHead(text) => Line::styled(text.clone(), theme.reasoning),
        Seg::Markdown(m, text) => m.line(text, i).unwrap_or_default(),
        Seg::Reasoning(text, w) => Line::from(vec![
            Span::styled("│ ", theme.reasoning),
            Span::styled(slice(text, w.lines[i]), theme.reasoning),
        ]),
        Seg::Text(text, w) => Line::styled(slice(text, w.lines[i]), theme.text),
        Seg::Note(text, w) => {
            let style = if text.starts_with('✗') {
                theme.error
            } else {
                theme.warn
            };
            Line::styled(slice(text, w.lines[i]), style)
        }
        Seg::Blank => Line::default(),
    }
}

/// The reasoning summary: `▸ thought for 2.3s · 118 tokens (t: show)`.
fn reasoning_head(turn: &Turn, now: Duration) -> String {
    let a = &turn.answer;
    let (tokens, exact) = a.reasoning_tokens();
    let tokens = if exact {
        format!("{tokens} tokens")
    } else {
        format!("~{tokens} tokens")
    };
    let secs = a
        .thinking_time(now.saturating_sub(turn.started_at))
        .map_or(String::new(), |d| format!("{:.1}s · ", d.as_secs_f64()));
    if a.reasoning.is_empty() {
        return format!("▸ reasoning encrypted · {secs}{tokens} (not shown)");
    }
    let thinking = a.text.is_empty() && !a.status.is_finished();
    match (turn.reasoning_open(), thinking) {
        (true, true) => format!("▾ thinking… {secs}{tokens}"),
        (true, false) => format!("▾ reasoning · {secs}{tokens} (t: hide)"),
        (false, _) => format!("▸ thought for {secs}{tokens} (t: show)"),
    }
}

fn segments<'a>(
    turn: &'a Turn,
    view: &'a TurnView,
    last: bool,
    raw: bool,
    (width, now, hidden): (usize, Duration, bool),
) -> Vec<Seg<'a>> {
    let a = &turn.answer;
    let mut segs = vec![Seg::Prompt(&turn.prompt, &view.prompt)];
    let inline_raw = raw && a.think.is_some();
    if !inline_raw && (!a.reasoning.is_empty() || a.encrypted_reasoning > 0) {
        segs.push(Seg::ReasoningHead(reasoning_head(turn, now)));
        if turn.reasoning_open() && !a.reasoning.is_empty() {
            segs.push(Seg::Reasoning(&a.reasoning, &view.reasoning));
        }
    }
    if inline_raw {
        segs.push(Seg::Text(&view.raw, &view.text));
    } else if !a.text.is_empty() {
        segs.push(if raw {
            Seg::Text(&a.text, &view.text)
        } else {
            Seg::Markdown(&view.md, &a.text)
        });
    }
    for n in notes(turn, hidden) {
        segs.push(note_seg(n, width));
    }
    if !last {
        segs.push(Seg::Blank);
    }
    segs
}

/// Every segment of the turns from `first`, with the turn each belongs to.
fn all_segments<'a>(
    pane: &'a Pane,
    view: &'a PaneView,
    first: usize,
    (width, now, hidden): (usize, Duration, bool),
) -> Vec<(usize, Seg<'a>)> {
    let n = pane.turns.len();
    pane.turns
        .iter()
        .zip(view.turns.iter())
        .enumerate()
        .skip(first)
        .flat_map(|(i, (t, tv))| {
            segments(t, tv, i + 1 == n, pane.raw, (width, now, hidden))
                .into_iter()
                .map(move |s| (i, s))
        })
        .collect()
}

/// Updates the caches of `pane` for `width` and returns (total lines, the visible lines).
pub fn visible_lines(
    cache: &mut ViewCache,
    pane: &Pane,
    (width, height): (usize, usize),
    (now, hidden): (Duration, bool),
    theme: &Theme,
) -> (usize, Vec<Line<'static>>) {
    let view = cache.panes.entry(pane.id).or_default();
    view.turns.resize_with(pane.turns.len(), TurnView::default);
    for (turn, tv) in pane.turns.iter().zip(view.turns.iter_mut()) {
        if tv.key != (turn.round, turn.req) {
            *tv = TurnView {
                key: (turn.round, turn.req),
                ..TurnView::default()
            };
        }
        tv.prompt.update(&turn.prompt, width.saturating_sub(2));
        if turn.reasoning_open() {
            tv.reasoning
                .update(&turn.answer.reasoning, width.saturating_sub(2));
        }
        if pane.raw && turn.answer.think.is_some() {
            // Rebuilt only when the answer grew, in raw mode, for inline reasoning.
            let closed = turn.answer.think.as_ref().is_some_and(|t| t.closed);
            let key = (turn.answer.reasoning.len(), turn.answer.text.len(), closed);
            if tv.raw_key != Some(key) {
                tv.raw = turn.answer.raw_text().into_owned();
                tv.raw_key = Some(key);
            }
            tv.text.update(&tv.raw, width);
        } else if pane.raw {
            tv.text.update(&turn.answer.text, width);
        } else {
            tv.md.update(
                &turn.answer.text,
                width,
                theme,
                turn.answer.status.is_finished(),
            );
        }
    }
    let n = pane.turns.len();
    // Hidden, earlier turns stay out of sight: a revealed answer above would say who this is.
    let first = if hidden { n.saturating_sub(1) } else { 0 };
    let how = (width, now, hidden);
    // Where the window falls, and which answers' lines it shows: their code is highlighted
    // now, as it comes into view, and not before (a long history opens at once).
    let (total, top, seen) = {
        let segs = all_segments(pane, view, first, how);
        let total: usize = segs.iter().map(|(_, s)| seg_len(s)).sum();
        let top = if pane.scroll.follow {
            follow_top(total, height, pane.is_running())
        } else {
            pane.scroll.top.min(total.saturating_sub(height))
        };
        let mut seen = Vec::new();
        let mut at = 0usize;
        for (i, seg) in &segs {
            let len = seg_len(seg);
            if at + len > top && at < top + height && matches!(seg, Seg::Markdown(..)) {
                let (from, to) = (top.saturating_sub(at), (top + height - at).min(len));
                if view.turns[*i].md.pending_in(from, to) {
                    seen.push((*i, from, to));
                }
            }
            at += len;
        }
        if seen.is_empty() {
            // Nothing new to highlight: this pass is the frame.
            let segs: Vec<Seg<'_>> = segs.into_iter().map(|(_, s)| s).collect();
            return (total, window(&segs, top, height, theme));
        }
        (total, top, seen)
    };
    // Highlighting changes colours, not lines: the window stays where it was.
    for (i, from, to) in seen {
        if let Some(tv) = view.turns.get_mut(i) {
            tv.md.highlight_seen(from, to, theme);
        }
    }
    let view = &*view;
    let segs: Vec<Seg<'_>> = all_segments(pane, view, first, how)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    (total, window(&segs, top, height, theme))
}

/// The lines of `segs` from line `top`, at most `height` of them.
fn window(segs: &[Seg<'_>], top: usize, height: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::with_capacity(height);
    let mut skipped = 0usize;
    for seg in segs {
        let len = seg_len(seg);
        if skipped + len <= top {
            skipped += len;
            continue;
        }
        let from = top.saturating_sub(skipped);
        skipped += len;
        for i in from..len {
            if lines.len() == height {
                return lines;
            }
            lines.push(seg_line(seg, i, theme));
        }
    }
    lines
}
