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

/// Which columns fit, and how wide the id and the tags are. Narrow, the tags go first, then
/// the context, then the prices, before an id is cut below 40 columns: a number is never cut,
/// an id or a tag that does not fit ends in `…`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub id_w: usize,
    pub price_in: bool,
    pub price_out: bool,
    pub ctx: bool,
    /// 0 when the tags are left out.
    pub tags_w: usize,
}

/// The mark column (`[1]★ `).
const MARK_W: usize = 5;

impl Columns {
    pub fn fit(width: usize, longest_id: usize, longest_tag: usize) -> Columns {
        let want = longest_id.clamp(8, 40);
        let mut c = Columns {
            id_w: 0,
            price_in: true,
            price_out: true,
            ctx: true,
            tags_w: longest_tag.min(22),
        };
        loop {
            c.id_w = width.saturating_sub(MARK_W + c.nums_w());
            if c.id_w >= want {
                break;
            }
            if c.tags_w > 0 {
                c.tags_w = 0;
            } else if c.ctx {
                c.ctx = false;
            } else if c.price_out {
                c.price_out = false;
            } else if c.price_in {
                c.price_in = false;
            } else {
                break;
            }
        }
        // No wider than the longest id: the numbers sit next to the names.
        c.id_w = c
            .id_w
            .min(longest_id.max(5) + 1)
            .min(width.saturating_sub(MARK_W))
            .max(1);
        c
    }

    fn nums_w(&self) -> usize {
        usize::from(self.price_in) * 10
            + usize::from(self.price_out) * 10
            + usize::from(self.ctx) * 7
            + if self.tags_w > 0 { self.tags_w + 2 } else { 0 }
    }

    /// The numbers and tags of a row (or the header), as wide as the kept columns.
    fn nums(&self, price_in: &str, price_out: &str, ctx: &str, tags: &str) -> String {
        let mut s = String::new();
        if self.price_in {
            s.push_str(&format!("{price_in:>9} "));
        }
        if self.price_out {
            s.push_str(&format!("{price_out:>9} "));
        }
        if self.ctx {
            s.push_str(&format!("{ctx:>6} "));
        }
        if self.tags_w > 0 {
            let w = self.tags_w;
            let t = if tags.chars().count() > w {
                let mut t: String = tags.chars().take(w - 1).collect();
                t.push('…');
                t
            } else {
                tags.to_string()
            };
            s.push_str(&format!(" {t:<w$} "));
        }
        s
    }

    /// `id` in `id_w` columns: padded, or cut with `…`.
    fn id(&self, id: &str) -> String {
        let w = self.id_w;
        if id.chars().count() > w {
            let mut s: String = id.chars().take(w.saturating_sub(1)).collect();
            s.push('…');
            s
        } else {
            format!("{id:<w$}")
        }
    }
}

/// A model's tags: its provider (when several are listed), local or free, reasoning.
fn tags_of(m: &ModelInfo, show_provider: bool, local: bool) -> String {
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
    tags.join(",")
}

#[allow(clippy::too_many_arguments)]
fn model_row<'a>(
    m: &ModelInfo,
    selected: Option<usize>,
    fav: bool,
    show_provider: bool,
    local: bool,
    cols: Columns,
    theme: &Theme,
) -> Line<'a> {
    let mark = match selected {
        Some(n) => format!("[{n}]"),
        None => "[ ]".into(),
    };
    let star = if fav { "★" } else { " " };
    let nums = cols.nums(
        &price(m.pricing.as_ref().map(|p| p.prompt)),
        &price(m.pricing.as_ref().map(|p| p.completion)),
        &context(m.context_length),
        &tags_of(m, show_provider, local),
    );
    Line::from(vec![
        Span::styled(
            format!("{mark}{star} "),
            if selected.is_some() {
                theme.selected
            } else {
                theme.dim
            },
        ),
        Span::styled(cols.id(&single_line(&m.id)), theme.text),
        Span::styled(nums, theme.hint_text),
    ])
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, picker: &Picker, theme: &Theme) {
    let title = format!(" Models: {}/{MAX_PANES} selected ", picker.selected.len());
    let inner = large_popup(frame, area, title, theme);
    if inner.height < 3 {
        let say = super::overlays::fit_lines(
            vec![Line::styled(
                "too small to list models: enlarge the window",
                theme.dim,
            )],
            inner.width as usize,
        );
        frame.render_widget(Paragraph::new(say), inner);
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
    let mut query = Line::from(vec![
        Span::styled("search › ", theme.hint_key),
        Span::styled(format!("{}▏", single_line(&picker.query)), theme.text),
    ]);
    // The status goes whole or not at all: `12 of 1` would be a wrong count.
    let status = format!("   {status}");
    if query.width() + status.chars().count() <= inner.width as usize {
        query.spans.push(Span::styled(status, theme.dim));
    }
    frame.render_widget(query, Rect::new(inner.x, inner.y, inner.width, 1));
    let models = || {
        picker.rows.iter().filter_map(|r| match r {
            Row::Model(i) => catalog.and_then(|c| c.models.get(*i)),
            Row::Custom(_) => None,
        })
    };
    let longest = models().map(|m| m.id.chars().count()).max().unwrap_or(16);
    let longest_tag = models()
        .map(|m| {
            tags_of(m, several_providers, state.is_local(&m.id))
                .chars()
                .count()
        })
        .max()
        .unwrap_or(0)
        .max(4);
    let cols = Columns::fit(inner.width as usize, longest, longest_tag);
    let header = format!(
        "     {}{}",
        cols.id("model"),
        cols.nums("$/M in", "$/M out", "ctx", "tags")
    );
    frame.render_widget(
        Line::styled(header, theme.dim),
        Rect::new(inner.x, inner.y + 1, inner.width, 1),
    );
    let list_h = inner.height.saturating_sub(2) as usize;
    let start = picker.cursor.saturating_sub(list_h.saturating_sub(1));
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
                        cols,
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
