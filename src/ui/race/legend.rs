//! The race chart's axis figures and legend rows: round axis ends, and a row per pane whose
//! figures are dropped whole, by rank, before a name is cut.

use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Runner;
use crate::theme::Theme;
use crate::ui::page::cut_line;

/// A round figure at or above `x`, for the axis ends: fine steps, so a line reaching 1,107
/// tokens fills most of its chart (to 1,200) instead of half of it (to 2,000).
pub(super) fn nice_ceiling(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * p)
}

pub(super) fn seconds_label(s: f64) -> String {
    if s >= 10.0 || s == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s:.1}s")
    }
}

/// A legend row: `━━ 1 model  ttft 0.42s · 140 tok/s · 310 tok · $0.0012`. When room is
/// short the least telling figures go first (ttft, then tokens), the rest keep their
/// separators right, and the name takes what is left, cut with `…` but never below 6 columns.
pub(super) fn legend_line(r: &Runner, width: usize, theme: &Theme) -> Line<'static> {
    // Without colour the line is drawn with the label's own first character: no swatch.
    let swatch = match r.marker {
        Marker::Custom(_) => "",
        _ => "━━ ",
    };
    let f = &r.turn_facts;
    // (rank: higher goes first, text, style), in the order shown.
    let mut figures: Vec<(u8, String, Style)> = Vec::new();
    match r.ttft {
        Some(t) => figures.push((3, format!("ttft {:.2}s", t.as_secs_f64()), theme.hint_text)),
        None => figures.push((
            3,
            format!("{} {:.1}s", f.status, r.end.as_secs_f64()),
            theme.dim,
        )),
    }
    if r.untimed {
        figures.push((4, "no timings saved".into(), theme.dim));
    }
    if let Some(tps) = f.tokens_per_s {
        figures.push((1, format!("{tps:.0} tok/s"), theme.hint_text));
    }
    let (n, exact) = f.tokens;
    figures.push((
        2,
        if exact {
            format!("{n} tok")
        } else {
            format!("~{n} tok")
        },
        theme.hint_text,
    ));
    if let Some((cost, exact)) = &f.cost {
        figures.push((
            1,
            cost.clone(),
            if *exact { theme.cost } else { theme.estimated },
        ));
    }
    let used = |figs: &[(u8, String, Style)]| -> usize {
        figs.iter()
            .map(|(_, t, _)| t.width() + 3)
            .sum::<usize>()
            .saturating_sub(3)
    };
    let fixed = swatch.chars().count() + 2;
    let name_w = r.label.width().min(6 + 1);
    while used(&figures) + fixed + name_w > width {
        let Some(i) = figures
            .iter()
            .enumerate()
            .max_by_key(|(i, f)| (f.0, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
        else {
            break;
        };
        figures.remove(i);
    }
    let room = width.saturating_sub(fixed + used(&figures)).max(6);
    let mut spans = vec![Span::styled(swatch, r.style)];
    spans.extend(cut_line(Line::styled(r.label.clone(), theme.title), room).spans);
    spans.push(Span::raw("  "));
    for (k, (_, text, style)) in figures.into_iter().enumerate() {
        if k > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        spans.push(Span::styled(text, style));
    }
    cut_line(Line::from(spans), width)
}
