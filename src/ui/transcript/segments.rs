//! A turn as segments of lines (prompt, reasoning, answer, notes) over the wrap and markdown
//! caches of its view, and the line each segment gives.

use std::time::Duration;

use ratatui::text::{Line, Span};

use crate::render::stream::MarkdownView;
use crate::render::wrap::Wrap;
use crate::sanitize::terminal_safe;
use crate::state::panes::Turn;
use crate::theme::Theme;

use super::TurnView;
use super::notes::notes;

pub(super) enum Seg<'a> {
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

pub(super) fn seg_len(seg: &Seg<'_>) -> usize {
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

pub(super) fn seg_line(seg: &Seg<'_>, i: usize, theme: &Theme) -> Line<'static> {
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

pub(super) fn segments<'a>(
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

/// The lines of `segs` from line `top`, at most `height` of them.
pub(super) fn window(
    segs: &[Seg<'_>],
    top: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
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
