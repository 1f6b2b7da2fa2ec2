//! The model picker overlay: query, sort and filter line, and the list with prices, context
//! and marks for selected, favourite, free and reasoning models.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::catalog::ModelInfo;
use crate::cost::Usd;
use crate::sanitize::single_line;
use crate::state::State;
use crate::state::picker::{MAX_PANES, Picker, Row};
use crate::theme::Theme;

use super::overlays::large_popup;

fn price(p: Option<Usd>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p.is_zero() => "free".into(),
        Some(p) => format!("${}", p.per_million().display_price()),
    }
}

fn context(c: Option<u64>) -> String {
    match c {
        None => "-".into(),
        Some(c) if c >= 1_000_000 => format!("{}M", c / 1_000_000),
        Some(c) if c >= 1000 => format!("{}K", c / 1000),
        Some(c) => c.to_string(),
    }
}

/// Width of the price, context and tag columns.
const NUMS_W: usize = 9 + 1 + 9 + 1 + 6 + 2 + 22;

fn model_row<'a>(
    m: &ModelInfo,
    selected: Option<usize>,
    fav: bool,
    show_provider: bool,
    local: bool,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let mark = match selected {
        Some(n) => format!("[{n}]"),
        None => "[ ]".into(),
    };
    let star = if fav { "★" } else { " " };
    let mut tags = Vec::new();
    if show_provider && !m.provider.is_empty() {
        tags.push(m.provider.as_str());
    }
    if local {
        tags.push("local");
    } else if m.is_free() {
        tags.push("free");
    }
    if m.reasoning {
        tags.push("reasoning");
    }
    let nums = format!(
        "{:>9} {:>9} {:>6}  {:<22}",
        price(m.pricing.as_ref().map(|p| p.prompt)),
        price(m.pricing.as_ref().map(|p| p.completion)),
        context(m.context_length),
        tags.join(",")
    );
    let id_w = width.saturating_sub(NUMS_W + 5).max(10);
    let id: String = single_line(&m.id).chars().take(id_w).collect();
    Line::from(vec![
        Span::styled(
            format!("{mark}{star} "),
            if selected.is_some() {
                theme.selected
            } else {
                theme.dim
            },
        ),
        Span::styled(format!("{id:<id_w$}"), theme.text),
        Span::styled(nums, theme.hint_text),
    ])
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, picker: &Picker, theme: &Theme) {
    let title = format!(" Models: {}/{MAX_PANES} selected ", picker.selected.len());
    let inner = large_popup(frame, area, title, theme);
    if inner.height < 3 {
        return;
    }
    let catalog = state.catalog.as_ref();
    let count = catalog.map_or(0, |c| c.models.len());
    let several_providers =
        catalog.is_some_and(|c| c.models.iter().any(|m| m.provider != c.models[0].provider));
    let mut status = format!("sort: {}", picker.sort.label());
    if picker.free_only {
        status.push_str(" · free only");
    }
    status.push_str(&format!(
        " · {} of {count}",
        picker
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Model(_)))
            .count()
    ));
    if catalog.is_none() {
        status.push_str(" · loading the catalog…");
    }
    let query = Line::from(vec![
        Span::styled("search › ", theme.hint_key),
        Span::styled(format!("{}▏", single_line(&picker.query)), theme.text),
        Span::styled(format!("   {status}"), theme.dim),
    ]);
    frame.render_widget(query, Rect::new(inner.x, inner.y, inner.width, 1));
    let id_w = (inner.width as usize).saturating_sub(NUMS_W + 5).max(10);
    let header = format!(
        "     {:<id_w$}{:>9} {:>9} {:>6}  tags",
        "model", "$/M in", "$/M out", "ctx"
    );
    frame.render_widget(
        Line::styled(header, theme.dim),
        Rect::new(inner.x, inner.y + 1, inner.width, 1),
    );
    let list_h = inner.height.saturating_sub(2) as usize;
    let start = picker.cursor.saturating_sub(list_h.saturating_sub(1));
    let width = inner.width as usize;
    let mut lines = Vec::new();
    for (i, row) in picker.rows.iter().enumerate().skip(start).take(list_h) {
        let mut line = match row {
            Row::Model(idx) => match catalog.and_then(|c| c.models.get(*idx)) {
                Some(m) => {
                    let sel = picker
                        .selected
                        .iter()
                        .position(|s| *s == m.id)
                        .map(|n| n + 1);
                    model_row(
                        m,
                        sel,
                        state.prefs.is_favourite(&m.id),
                        several_providers,
                        state.is_local(&m.id),
                        width,
                        theme,
                    )
                }
                None => continue,
            },
            Row::Custom(id) => {
                let sel = picker.selected.iter().position(|s| s == id).map(|n| n + 1);
                let mark = sel.map_or("[ ]".to_string(), |n| format!("[{n}]"));
                Line::from(vec![
                    Span::styled(format!("{mark}  "), theme.selected),
                    Span::styled(
                        format!(
                            "use \"{}\" as a model id (not in the catalog)",
                            single_line(id)
                        ),
                        theme.warn,
                    ),
                ])
            }
        };
        if i == picker.cursor {
            line = line.patch_style(theme.cursor_row);
        }
        lines.push(line);
    }
    if picker.rows.is_empty() {
        lines.push(Line::styled("no model matches", theme.dim));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y + 2, inner.width, list_h as u16),
    );
}
