//! The race chart overlay: tokens received against time for every pane's answer to the
//! current prompt, each line starting at its first token (marked), with a legend of the
//! final speed, tokens and cost. Drawn live while the answers stream.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use crate::chat::timeline::race_points;
use crate::colors::Depth;
use crate::sanitize::single_line;
use crate::state::State;
use crate::state::panes::Turn;
use crate::theme::Theme;

use super::page::{cut_line, large_area};

mod legend;
use legend::{legend_line, nice_ceiling, seconds_label};
use unicode_width::UnicodeWidthStr;

/// One pane's line in the race.
pub struct Runner {
    pub label: String,
    pub style: Style,
    pub marker: Marker,
    /// (seconds since the request, tokens received by then); empty before the first token.
    pub points: Vec<(f64, f64)>,
    pub ttft: Option<Duration>,
    /// Where the line stops: the end, or now while it streams.
    pub end: Duration,
    /// It has tokens but no timings (saved before they were recorded): no line.
    pub untimed: bool,
    pub turn_facts: Facts,
}

/// What the legend says of a runner.
pub struct Facts {
    pub status: &'static str,
    pub tokens_per_s: Option<f64>,
    pub tokens: (u64, bool),
    /// The cost as shown, or `None` where it would name a blind model.
    pub cost: Option<(String, bool)>,
}

fn series(theme: &Theme, i: usize) -> Style {
    [
        theme.series_1,
        theme.series_2,
        theme.series_3,
        theme.series_4,
    ][i % 4]
}

/// The runners of the current prompt, in pane order. Blind and hidden, they go by letter
/// and their cost stays hidden (a price names a model).
pub fn runners(state: &State, theme: &Theme) -> Vec<Runner> {
    let blind = state.head_round().is_some_and(|r| r.blind.is_some());
    let hidden = state.hidden();
    state
        .round_panes()
        .into_iter()
        .filter_map(|i| {
            let pane = &state.panes[i];
            let turn = pane.current()?;
            let label = if blind {
                crate::state::arena::letter(i).to_string()
            } else {
                format!("{} {}", i + 1, single_line(&pane.model))
            };
            let tag = label.chars().next().unwrap_or('?');
            // Without colour each line is drawn with its own pane's number or letter.
            let marker = if theme.depth == Depth::Mono {
                Marker::Custom(tag)
            } else {
                Marker::Braille
            };
            Some(runner(
                state,
                turn,
                (label, series(theme, i), marker),
                hidden,
            ))
        })
        .collect()
}

fn runner(state: &State, turn: &Turn, look: (String, Style, Marker), hidden: bool) -> Runner {
    let a = &turn.answer;
    let end = a.race_end(state.now.saturating_sub(turn.started_at));
    let untimed = a.timeline.is_empty() && a.completion_tokens().0 > 0;
    let points = match a.ttft {
        Some(ttft) if !untimed => race_points(&a.tokens_by_second(), ttft, end),
        _ => Vec::new(),
    };
    let cost = (!hidden).then(|| turn.cost()).flatten().map(|c| {
        let local = state.is_local(&a.model) && c.usd.is_zero();
        if local {
            ("free (local)".to_string(), true)
        } else {
            (c.display(), c.is_exact())
        }
    });
    Runner {
        label: look.0,
        style: look.1,
        marker: look.2,
        points,
        ttft: a.ttft,
        end,
        untimed,
        turn_facts: Facts {
            status: a.status.label(),
            tokens_per_s: a.tokens_per_second(end),
            tokens: a.completion_tokens(),
            cost,
        },
    }
}

/// Draws the race chart over `area`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let outer = large_area(area);
    let runners = runners(state, theme);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(cut_line(
            Line::styled(" Race: tokens received against time ", theme.title),
            outer.width.saturating_sub(4) as usize,
        ))
        .title_bottom(Line::styled(" c/Esc close ", theme.dim));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    // The chart keeps at least 5 rows; the legend what is left, counting the panes it leaves out.
    let room = inner.height.saturating_sub(5).max(1) as usize;
    let (note, rows) = if runners.len() < room {
        (1, runners.len())
    } else {
        (0, runners.len().min(room))
    };
    let [chart_area, legend_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length((note + rows) as u16)])
            .areas(inner);
    let width = legend_area.width as usize;
    let mut legend = Vec::new();
    if note == 1 {
        legend.push(cut_line(
            Line::styled(
                "a line starts at its first token (•); the wait before it is the ttft",
                theme.dim,
            ),
            width,
        ));
    }
    let hidden = runners.len() - rows;
    let shown = if hidden > 0 { rows - 1 } else { rows };
    legend.extend(
        runners
            .iter()
            .take(shown)
            .map(|r| legend_line(r, width, theme)),
    );
    if hidden > 0 {
        let more = runners.len() - shown;
        let long = format!("+{more} more (a taller window shows them)");
        let text = if long.width() <= width {
            long
        } else {
            format!("+{more} more")
        };
        legend.push(Line::styled(text, theme.dim));
    }
    frame.render_widget(Paragraph::new(legend), legend_area);

    let max_t = runners
        .iter()
        .map(|r| r.end.as_secs_f64())
        .fold(0.0, f64::max);
    let max_n = runners
        .iter()
        .filter_map(|r| r.points.last().map(|p| p.1))
        .fold(0.0, f64::max);
    let (x_top, y_top) = (nice_ceiling(max_t), nice_ceiling(max_n.max(10.0)));
    let starts: Vec<[(f64, f64); 1]> = runners
        .iter()
        .map(|r| [(r.ttft.map_or(0.0, |t| t.as_secs_f64()), 0.0)])
        .collect();
    let mut datasets = Vec::new();
    for (r, start) in runners.iter().zip(&starts) {
        datasets.push(
            Dataset::default()
                .marker(r.marker)
                .graph_type(GraphType::Line)
                .style(r.style)
                .data(&r.points),
        );
        if r.ttft.is_some() && !r.untimed {
            datasets.push(
                Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Scatter)
                    .style(r.style)
                    .data(start),
            );
        }
    }
    let axis = |labels: [String; 3], top: f64| {
        Axis::default()
            .style(theme.dim)
            .bounds([0.0, top])
            .labels(labels.map(|l| Span::styled(l, theme.hint_text)))
    };
    let chart = Chart::new(datasets)
        .x_axis(axis([0.0, x_top / 2.0, x_top].map(seconds_label), x_top))
        .y_axis(axis(
            [0.0, y_top / 2.0, y_top].map(|n| format!("{n:.0}")),
            y_top,
        ))
        .legend_position(None);
    frame.render_widget(chart, chart_area);
}

#[cfg(test)]
mod tests;
