//! The word diff overlay: one pane's answer to the current prompt against another's, what only
//! the other has marked as added and what only this one has as removed, wrapped to the popup
//! and scrolled as a page. Without colour the marks are `{+…+}` and `[-…-]`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::colors::Depth;
use crate::diff::{Change, DIFF_CAP_BYTES, Diff, Piece, diff};
use crate::sanitize::{single_line, terminal_safe};
use crate::state::panes::Turn;
use crate::state::{DiffWith, State};
use crate::theme::Theme;

use super::page::{large_area, page_rows};

mod rows;
use rows::wrap;

/// While an answer streams, the diff is made again only when a side has grown this much (or
/// has ended): a diff can take up to its deadline, and frames come every 50 ms.
const REDIFF_BYTES: usize = 512;

/// A stream that stalls with fewer new bytes than that is diffed again after this long, so
/// its last words do not stay hidden.
const REDIFF_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// The last diff drawn, and what it was made from.
#[derive(Clone, Debug)]
pub struct DiffCache {
    /// Each side's (pane id, round, request), and whether each had ended.
    key: (SideKey, SideKey, bool, bool),
    lens: (usize, usize),
    /// When it was made, on the app clock.
    made: std::time::Duration,
    diff: Diff,
    /// Its lines wrapped at (width, theme): a frame copies the rows it shows, not the page.
    rows: Option<((usize, String), Vec<Line<'static>>)>,
}

/// How a side is named in the diff: by letter in a blind round, else by number and model;
/// the adopted answer is starred.
fn name(state: &State, with: DiffWith) -> String {
    let blind = state.hidden() || state.head_round().is_some_and(|r| r.blind.is_some());
    let star = if side(state, with).is_some_and(|s| s.adopted) {
        " ★"
    } else {
        ""
    };
    let named = |slot: usize, model: &str| {
        if blind {
            crate::state::arena::letter(slot).to_string()
        } else {
            format!("{} {}", slot + 1, single_line(model))
        }
    };
    match with {
        DiffWith::Pane(i) => match state.panes.get(i) {
            Some(p) => format!("{}{star}", named(i, &p.model)),
            None => format!("pane {}", i + 1),
        },
        DiffWith::Adopted => match state.archived_adopted() {
            Some(a) => format!(
                "★ adopted {} (replaced by a retry)",
                named(a.slot, &a.model)
            ),
            None => "the adopted answer".into(),
        },
    }
}

/// (pane id, round, request): a new answer is a new diff.
type SideKey = (u64, u64, u64);

/// One side of the diff: an answer to the current prompt.
struct Side<'s> {
    text: &'s str,
    key: SideKey,
    finished: bool,
    adopted: bool,
}

/// Pane `i`'s answer to the current round, if it has one.
fn turn(state: &State, i: usize) -> Option<&Turn> {
    let head = state.session.head?;
    // Its answer to the head round is its last turn, if it has one.
    state.panes.get(i)?.current().filter(|t| t.round == head)
}

fn side(state: &State, with: DiffWith) -> Option<Side<'_>> {
    match with {
        DiffWith::Pane(i) => turn(state, i).map(|t| Side {
            text: &t.answer.text,
            key: (state.panes[i].id, t.round, t.req),
            finished: t.answer.status.is_finished(),
            adopted: t.adopted,
        }),
        DiffWith::Adopted => state.archived_adopted().map(|a| Side {
            text: &a.text,
            // No pane holds it: a key no pane has.
            key: (u64::MAX, state.session.head.unwrap_or(0), a.slot as u64),
            finished: true,
            adopted: true,
        }),
    }
}

/// A piece's style and text: coloured by the theme, or marked in words without colour, each
/// line of a piece marked on its own so a mark never starts a row.
fn shown(piece: &Piece, theme: &Theme) -> (Style, String) {
    let text = terminal_safe(&piece.text).replace('\t', "    ");
    let (style, open, close) = match piece.change {
        Change::Same => return (theme.text, text),
        Change::Added => (theme.diff_added, "{+", "+}"),
        Change::Removed => (theme.diff_removed, "[-", "-]"),
    };
    if theme.depth != Depth::Mono {
        return (style, text);
    }
    // Spaces stay outside the marks, so a mark is glued to its words and never starts a
    // row; a change that is only a line break shows as `↵`.
    let marked: Vec<String> = text
        .split('\n')
        .map(|l| {
            let core = l.trim_matches(' ');
            if core.is_empty() {
                return l.to_string();
            }
            let lead = &l[..l.len() - l.trim_start_matches(' ').len()];
            let trail = &l[l.trim_end_matches(' ').len()..];
            format!("{lead}{open}{core}{close}{trail}")
        })
        .collect();
    if marked.iter().all(|l| l.is_empty()) && text.contains('\n') {
        return (style, format!("{open}↵{close}{text}"));
    }
    (style, marked.join("\n"))
}

/// The diff of the two turns' answers: the cached one while neither changed much.
fn current<'c>(
    state: &State,
    (a, b): (DiffWith, DiffWith),
    cache: &'c mut Option<DiffCache>,
) -> &'c mut DiffCache {
    let (sa, sb) = (side(state, a), side(state, b));
    fn text<'s>(s: &Option<Side<'s>>) -> &'s str {
        s.as_ref().map_or("", |s| s.text)
    }
    let at = |s: &Option<Side>| {
        s.as_ref()
            .map_or(((0, 0, 0), true), |s| (s.key, s.finished))
    };
    let ((ka, ea), (kb, eb)) = (at(&sa), at(&sb));
    let key = (ka, kb, ea, eb);
    let (ta, tb) = (text(&sa), text(&sb));
    let lens = (ta.len().min(DIFF_CAP_BYTES), tb.len().min(DIFF_CAP_BYTES));
    let fresh = match cache {
        Some(c) if c.key == key => {
            let grown = |old: usize, new: usize| new.abs_diff(old) >= REDIFF_BYTES;
            let ended = ea && eb;
            let stalled = state.now.saturating_sub(c.made) >= REDIFF_AFTER;
            (c.lens != lens && (ended || stalled))
                || grown(c.lens.0, lens.0)
                || grown(c.lens.1, lens.1)
        }
        _ => true,
    };
    if fresh {
        *cache = Some(DiffCache {
            key,
            lens,
            made: state.now,
            diff: diff(ta, tb),
            rows: None,
        });
    }
    cache.as_mut().expect("just made")
}

/// Draws the diff of pane `a` against pane `b`; returns (lines, visible height).
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    (a, b, scroll): (usize, DiffWith, u16),
    cache: &mut Option<DiffCache>,
    theme: &Theme,
) -> (usize, usize) {
    let outer = large_area(area);
    let width = outer.width.saturating_sub(2) as usize;
    let a = DiffWith::Pane(a);
    let sample = |change| {
        shown(
            &Piece {
                change,
                text: "this".into(),
            },
            theme,
        )
    };
    let (added, removed) = (sample(Change::Added), sample(Change::Removed));
    let mut legend = vec![
        added,
        (theme.dim, format!(" only in {}  ", name(state, b))),
        removed,
        (theme.dim, format!(" only in {}", name(state, a))),
    ];
    let c = current(state, (a, b), cache);
    let d = &c.diff;
    if d.cut_short {
        legend.push((
            theme.warn,
            " · search cut short: large changes marked whole".into(),
        ));
    }
    if d.capped {
        legend.push((
            theme.warn,
            format!(" · the first {} KB of each compared", DIFF_CAP_BYTES / 1024),
        ));
    }
    for i in [a, b] {
        match side(state, i) {
            None => legend.push((
                theme.warn,
                format!(" · {} has no answer to this prompt", name(state, i)),
            )),
            Some(s) if !s.finished => {
                legend.push((theme.warn, format!(" · {} still streaming", name(state, i))));
            }
            Some(s) if s.text.is_empty() => {
                legend.push((
                    theme.warn,
                    format!(" · {} answered nothing", name(state, i)),
                ));
            }
            _ => {}
        }
    }
    legend.push((theme.dim, "\n\n".into()));
    let at = (width, theme.name.clone());
    if c.rows.as_ref().is_none_or(|(was, _)| *was != at) {
        let body: Vec<(Style, String)> = c.diff.pieces.iter().map(|p| shown(p, theme)).collect();
        c.rows = Some((at, wrap(&body, width)));
    }
    let rows = c.rows.as_ref().map_or(&[][..], |(_, r)| r.as_slice());
    let title = format!(" Diff: {} → {} ", name(state, a), name(state, b));
    page_rows(
        frame,
        outer,
        title,
        (wrap(&legend, width), rows),
        scroll,
        theme,
    )
}

#[cfg(test)]
mod tests;
