//! Views: render a `&State` into a frame. Nothing here changes the state; the only things
//! kept across frames are caches keyed by content (wrapped lines).

mod arena;
mod chips;
pub mod diff;
mod overflow;
mod overlays;
mod page;
mod pane;
mod picker;
mod race;
mod ratings_table;
mod sessions;
mod status;
mod transcript;
mod verdict;

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::state::layout::Area;
use crate::state::{Focus, Overlay, Screen, State, Views};
use crate::theme::Theme;

pub use transcript::ViewCache;

const SPINNER: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub fn spinner(now: Duration) -> char {
    SPINNER[(now.as_millis() / 100) as usize % SPINNER.len()]
}

fn rect(a: Area) -> Rect {
    Rect::new(a.x, a.y, a.w, a.h)
}

/// Draws the whole screen. Returns each pane's and the page overlay's (total lines, visible
/// height), and where each scrolled pane's window fell, for scrolling.
pub fn draw(frame: &mut Frame, state: &State, cache: &mut ViewCache, theme: &Theme) -> Views {
    let area = frame.area();
    if state.screen == Screen::Welcome {
        overlays::welcome(frame, area, state, theme);
        let overlay = match &state.overlay {
            Some(Overlay::Help { scroll }) => {
                Some(overlays::help(frame, area, state, *scroll, theme))
            }
            _ => None,
        };
        return Views {
            panes: Vec::new(),
            overlay,
        };
    }
    let layout = state.layout();
    let ids: Vec<u64> = state.panes.iter().map(|p| p.id).collect();
    cache.retain(&ids);
    let mut views = vec![(0, 0, None); state.panes.len()];
    let hidden = state.hidden();
    let blind = hidden || state.head_round().is_some_and(|r| r.blind.is_some());
    let naming = |index| pane::Naming {
        index,
        blind,
        hidden,
    };
    // A context length or a count in a tokenizer would say which model a hidden pane is.
    let prompt = state.editor.text();
    let ctx = |i| (!hidden).then(|| state.context_fill(i, &prompt)).flatten();
    // Scrolled together, the leading pane is drawn first: the others find its place.
    let n = state.panes.len();
    let sync = state.sync.on && n > 1;
    let leader = state.sync.leader.min(n.saturating_sub(1));
    let mut order: Vec<usize> = (0..n).collect();
    if sync {
        order.sort_by_key(|i| *i != leader);
    }
    let mut place: Option<transcript::Place> = None;
    for i in order {
        let (pane, a) = (&state.panes[i], layout.panes[i]);
        if a.w == 0 || a.h == 0 {
            continue;
        }
        let leads = sync && i == leader && !pane.scroll.follow;
        // The others go to the leader's place: under the same heading, or the same share
        // of the same round's answer.
        let at = transcript::At {
            scroll: pane.scroll,
            lead: leads,
            follow: place.as_ref().filter(|_| sync && i != leader),
        };
        let focused = state.focus == Focus::Panes && state.focused == i;
        let adopted = pane.current().is_some_and(|t| t.adopted);
        let slot = pane::PaneSlot {
            area: rect(a),
            naming: naming(i),
            focused,
            adopted,
            local: state.is_local(&pane.model),
            now: state.now,
            ctx: ctx(i),
            at,
        };
        let (view, at_place) = pane::draw_pane(frame, slot, pane, cache, theme);
        views[i] = view;
        if leads {
            place = at_place;
        }
    }
    for (i, a) in &layout.strip {
        let focused = *i == state.focused;
        // Without a box, the focused pane's line carries the mark (no colour needed).
        let mark = if focused { "▸" } else { " " };
        let mut line = pane::summary_line(
            &state.panes[*i],
            naming(*i),
            (state.now, ctx(*i)),
            (a.w as usize).saturating_sub(1),
            theme,
        );
        line.spans.insert(0, Span::styled(mark, theme.title));
        let line = overlays::cut_line(line, a.w as usize);
        frame.render_widget(line, rect(*a));
    }
    if let Some((n, a)) = layout.more {
        let text = format!(" +{n} more (Tab shows them)");
        let text = if text.chars().count() > a.w as usize {
            format!(" +{n} more")
        } else {
            text
        };
        frame.render_widget(Line::styled(text, theme.dim), rect(a));
    }
    if state.panes.is_empty() && layout.editor.y > 0 {
        let hint = Line::styled("No models yet: Ctrl-P opens the model picker.", theme.dim);
        frame.render_widget(hint, Rect::new(1, 1, area.width.saturating_sub(2), 1));
    }
    if layout.editor.h > 0 {
        draw_editor(frame, rect(layout.editor), state, theme);
    }
    status::draw(frame, rect(layout.status), rect(layout.hints), state, theme);
    // Overlays leave the status lines be: the money and the mode stay in sight. What they
    // cover is cleared, not left in pieces beside them (a footer cut to `14` beside a popup
    // would read as a speed of 14).
    let over = Rect::new(
        area.x,
        area.y,
        area.width,
        layout.status.y.max(1).min(area.height),
    );
    if state.overlay.is_some() {
        frame.render_widget(ratatui::widgets::Clear, over);
    }
    let overlay = match &state.overlay {
        Some(Overlay::Picker(p)) => {
            picker::draw(frame, over, state, p, theme);
            None
        }
        Some(Overlay::Params(form)) => {
            overlays::params(frame, over, form, theme);
            None
        }
        Some(Overlay::Help { scroll }) => Some(overlays::help(frame, over, state, *scroll, theme)),
        Some(Overlay::Sessions(b)) => {
            sessions::browser(frame, over, state, b, theme);
            None
        }
        Some(Overlay::Rounds { cursor }) => {
            sessions::rounds(frame, over, state, *cursor, theme);
            None
        }
        Some(Overlay::Scoreboard(board)) => Some(arena::leaderboard(frame, over, board, theme)),
        Some(Overlay::Verdict { round, scroll }) => {
            Some(verdict::verdict(frame, over, state, *round, *scroll, theme))
        }
        Some(Overlay::Diff { a, b, scroll }) => Some(diff::draw(
            frame,
            over,
            state,
            (*a, *b, *scroll),
            &mut cache.diff,
            theme,
        )),
        Some(Overlay::Race) => {
            race::draw(frame, over, state, theme);
            None
        }
        Some(Overlay::Overflow(dialog)) => {
            overflow::dialog(frame, over, state, dialog, theme);
            None
        }
        None => None,
    };
    Views {
        panes: views,
        overlay,
    }
}

fn draw_editor(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Focus::Editor && state.overlay.is_none();
    let mut extras = Vec::new();
    if state.system.is_some() {
        extras.push("system ✓".to_string());
    }
    if let Some(t) = state.params.temperature {
        extras.push(format!("temp {t}"));
    }
    if let Some(m) = state.params.max_tokens {
        extras.push(format!("max {m}"));
    }
    if let Some(e) = &state.params.reasoning_effort {
        extras.push(format!("effort {e}"));
    }
    let mut title = vec![Span::styled(
        " Prompt ",
        if focused { theme.title } else { theme.dim },
    )];
    if !extras.is_empty() {
        title.push(Span::styled(
            format!("({}) ", extras.join(" · ")),
            theme.dim,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        })
        .title(Line::from(title));
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if !state.attachments.is_empty() && inner.height > 1 {
        let row = Rect { height: 1, ..inner };
        frame.render_widget(chips::line(&state.attachments, row.width, theme), row);
        inner.y += 1;
        inner.height -= 1;
    }
    frame.render_widget(&state.editor.area, inner);
}
