//! The overlays over saved sessions: the browser, the rounds of the current branch (to edit an
//! earlier prompt).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::sanitize::single_line;
use crate::state::State;
use crate::state::browser::{Browser, BrowserMode};
use crate::storage::index::Entry;
use crate::textfmt::format_time;
use crate::theme::Theme;

use super::overlays::large_popup as frame;

fn sorted(models: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = models.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

pub fn browser(f: &mut Frame, area: Rect, state: &State, b: &Browser, theme: &Theme) {
    let inner = frame(f, area, format!(" Sessions ({}) ", b.entries.len()), theme);
    // The top line (the search, or a question such as "delete?") shows first: at any size a
    // key that acts on the answer is never pressed blind.
    if inner.height == 0 {
        return;
    }
    let top = match &b.mode {
        BrowserMode::Rename(t) => Line::from(vec![
            Span::styled("new title › ", theme.hint_key),
            Span::styled(format!("{}▏", single_line(t)), theme.text),
            Span::styled("   Enter saves · Esc cancels", theme.dim),
        ]),
        BrowserMode::ConfirmDelete => Line::styled(
            "delete this session? y deletes, any other key keeps it",
            theme.error,
        ),
        BrowserMode::Normal => Line::from(vec![
            Span::styled("search › ", theme.hint_key),
            Span::styled(format!("{}▏", single_line(&b.query)), theme.text),
            Span::styled(if b.loading { "   loading…" } else { "" }, theme.dim),
        ]),
    };
    let top = super::overlays::cut_line(top, inner.width as usize);
    f.render_widget(top, Rect::new(inner.x, inner.y, inner.width, 1));
    if inner.height < 2 {
        return;
    }
    let list_h = inner.height.saturating_sub(1) as usize;
    let start = b.cursor.saturating_sub(list_h.saturating_sub(1));
    let mut lines = Vec::new();
    for (row, idx) in b.visible.iter().enumerate().skip(start).take(list_h) {
        let mut line = match &b.entries[*idx] {
            Entry::Session(s) => {
                let open = if s.id == state.session.id {
                    "● "
                } else {
                    "  "
                };
                // Narrow, the date and then the rounds give way; the cost stays whole and the
                // title ends in `…`.
                let cost = format!("{:>9}", s.spent().display());
                let rounds = format!("{:>10}  ", crate::textfmt::count(s.rounds as u64, "round"));
                let date = format!("{}  ", format_time(s.updated_ms));
                // 2 for the mark, 1 after the title.
                let avail = (inner.width as usize).saturating_sub(2 + 1 + cost.chars().count());
                let (date, rounds) = match avail {
                    a if a >= 16 + date.len() + rounds.len() => (date, rounds),
                    a if a >= 16 + rounds.len() => (String::new(), rounds),
                    _ => (String::new(), String::new()),
                };
                let title_w = avail.saturating_sub(date.len() + rounds.len()).clamp(1, 40);
                let title = single_line(&s.title);
                let title = if title.chars().count() > title_w {
                    let mut t: String = title.chars().take(title_w - 1).collect();
                    t.push('…');
                    t
                } else {
                    title.into_owned()
                };
                let mut line = Line::from(vec![
                    Span::styled(open, theme.ok),
                    Span::styled(format!("{title:<title_w$} "), theme.text),
                    Span::styled(format!("{date}{rounds}{cost}"), theme.hint_text),
                ]);
                // The models where there is room for some of them: an `…` right after the
                // cost would read as a cut number.
                if (inner.width as usize).saturating_sub(line.width()) >= 12 {
                    // Sorted: the pane order of a blind round must not show here.
                    line.spans.push(Span::styled(
                        format!("  {}", single_line(&sorted(&s.models).join(", "))),
                        theme.dim,
                    ));
                }
                line
            }
            Entry::Unreadable { file, reason } => Line::from(vec![
                Span::styled("✗ ", theme.error),
                Span::styled(
                    format!(
                        "{} — unreadable: {} (left untouched)",
                        single_line(file),
                        single_line(reason)
                    ),
                    theme.error,
                ),
            ]),
        };
        if row == b.cursor {
            line = line.patch_style(theme.cursor_row);
        }
        lines.push(line);
    }
    if b.visible.is_empty() && !b.loading {
        // Until the full-text search answers, the answers may still hold the words.
        let searched = b.content_hits.as_ref().is_some_and(|(q, _)| *q == b.query);
        let text = if searched || b.query.trim().is_empty() {
            "no session matches in titles, prompts or answers"
        } else {
            "searching the answers…"
        };
        lines.push(Line::styled(text, theme.dim));
    }
    f.render_widget(
        Paragraph::new(super::overlays::fit_lines(lines, inner.width as usize)),
        Rect::new(inner.x, inner.y + 1, inner.width, list_h as u16),
    );
}

pub fn rounds(f: &mut Frame, area: Rect, state: &State, cursor: usize, theme: &Theme) {
    let inner = frame(
        f,
        area,
        " Edit an earlier prompt (sending it starts a branch) ".into(),
        theme,
    );
    let path = state.path_to(state.session.head);
    let lines: Vec<Line> = path
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let r = &state.session.rounds[*id as usize];
            let first = r.prompt.lines().next().unwrap_or("");
            let line = Line::from(vec![
                Span::styled(format!("{:>3}. ", i + 1), theme.dim),
                Span::styled(single_line(first).into_owned(), theme.text),
            ]);
            if i == cursor {
                line.patch_style(theme.cursor_row)
            } else {
                line
            }
        })
        .collect();
    let start = cursor.saturating_sub(inner.height.saturating_sub(1) as usize);
    let width = inner.width as usize;
    f.render_widget(
        Paragraph::new(
            lines
                .into_iter()
                .skip(start)
                .map(|l| super::overlays::cut_line(l, width))
                .collect::<Vec<_>>(),
        ),
        inner,
    );
}
