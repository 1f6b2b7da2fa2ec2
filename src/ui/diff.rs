//! The word diff overlay: one pane's answer against another's, what only the other has marked
//! as added and what only this one has as removed, wrapped to the popup and scrolled as a
//! page. Without colour the marks are `{+…+}` and `[-…-]`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::colors::Depth;
use crate::diff::{Change, DIFF_CAP_BYTES, Piece, diff};
use crate::sanitize::{single_line, terminal_safe};
use crate::state::State;
use crate::theme::Theme;

use super::page::{large_area, page};

/// The last diff drawn, by (the two answers' requests, their lengths).
pub type DiffCache = ((u64, u64, usize, usize), crate::diff::Diff);

/// How a pane is named in the diff: its number and model, or only its letter while a blind
/// round hides who is who.
fn name(state: &State, i: usize) -> String {
    if state.hidden() {
        crate::state::arena::letter(i).to_string()
    } else {
        format!("{} {}", i + 1, single_line(&state.panes[i].model))
    }
}

/// Lays `pieces` out in rows of at most `width` columns, breaking at spaces where it can and
/// inside a word only when the word alone is wider than a row.
pub fn wrap(pieces: &[(Style, String)], width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let flush = |row: &mut Vec<Span<'static>>, used: &mut usize, rows: &mut Vec<Line<'static>>| {
        rows.push(Line::from(std::mem::take(row)));
        *used = 0;
    };
    for (style, text) in pieces {
        for (li, line) in text.split('\n').enumerate() {
            if li > 0 {
                flush(&mut row, &mut used, &mut rows);
            }
            for word in line.split_inclusive(' ') {
                let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
                if used + w > width && used > 0 && w <= width {
                    flush(&mut row, &mut used, &mut rows);
                }
                let mut chunk = String::new();
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > width {
                        row.push(Span::styled(std::mem::take(&mut chunk), *style));
                        flush(&mut row, &mut used, &mut rows);
                    }
                    chunk.push(c);
                    used += cw;
                }
                if !chunk.is_empty() {
                    row.push(Span::styled(chunk, *style));
                }
            }
        }
    }
    if !row.is_empty() {
        rows.push(Line::from(row));
    }
    rows
}

/// A piece's style and text: coloured by the theme, or marked in words without colour.
fn shown(piece: &Piece, theme: &Theme) -> (Style, String) {
    let text = terminal_safe(&piece.text).replace('\t', "    ");
    let mono = theme.depth == Depth::Mono;
    match piece.change {
        Change::Same => (theme.text, text),
        Change::Added if mono => (theme.diff_added, format!("{{+{text}+}}")),
        Change::Removed if mono => (theme.diff_removed, format!("[-{text}-]")),
        Change::Added => (theme.diff_added, text),
        Change::Removed => (theme.diff_removed, text),
    }
}

/// Draws the diff of pane `a` against pane `b`; returns (lines, visible height).
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    (a, b, scroll): (usize, usize, u16),
    cache: &mut Option<DiffCache>,
    theme: &Theme,
) -> (usize, usize) {
    let outer = large_area(area);
    let width = outer.width.saturating_sub(2) as usize;
    let text = |i: usize| {
        state
            .panes
            .get(i)
            .and_then(|p| p.current())
            .map_or("", |t| t.answer.text.as_str())
    };
    // The answers' requests and lengths: a retry or a new round is a new request.
    let req = |i: usize| {
        state
            .panes
            .get(i)
            .and_then(|p| p.current())
            .map_or(0, |t| t.req)
    };
    let key = (req(a), req(b), text(a).len(), text(b).len());
    let d = match cache {
        Some((k, d)) if *k == key => d,
        _ => &cache.insert((key, diff(text(a), text(b)))).1,
    };
    let (added, removed) = (
        shown(
            &Piece {
                change: Change::Added,
                text: "added".into(),
            },
            theme,
        ),
        shown(
            &Piece {
                change: Change::Removed,
                text: "removed".into(),
            },
            theme,
        ),
    );
    let mut legend = vec![
        (added.0, added.1),
        (theme.dim, format!(" only in {}  ", name(state, b))),
        (removed.0, removed.1),
        (theme.dim, format!(" only in {}", name(state, a))),
    ];
    if d.capped {
        legend.push((
            theme.warn,
            format!(" · the first {} KB of each compared", DIFF_CAP_BYTES / 1024),
        ));
    }
    let streaming = [a, b]
        .iter()
        .any(|&i| state.panes.get(i).is_some_and(|p| p.is_running()));
    if streaming {
        legend.push((theme.warn, " · streaming: what has arrived".into()));
    }
    legend.push((theme.dim, "\n\n".into()));
    let body: Vec<(Style, String)> = d.pieces.iter().map(|p| shown(p, theme)).collect();
    let mut lines = wrap(&legend, width);
    lines.extend(wrap(&body, width));
    let title = format!(" Diff: {} → {} ", name(state, a), name(state, b));
    page(frame, outer, title, lines, scroll, theme)
}
