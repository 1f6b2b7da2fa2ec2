//! The ratings table of F2: rank, model, rating, interval, votes, win rate, cost per answer,
//! speed and the interval drawn as a whisker, giving way column by column when narrow.

use ratatui::text::{Line, Span};

use crate::sanitize::single_line;
use crate::storage::ratings::{Leaderboard, RatedModel};
use crate::theme::Theme;

/// A column of the ratings table. Columns with a higher `drop` leave first when the window
/// is narrow: a number is never cut, a column goes instead.
struct Column {
    head: &'static str,
    drop: u8,
    cells: Vec<String>,
    right: bool,
}

impl Column {
    fn width(&self) -> usize {
        self.cells
            .iter()
            .map(|c| c.chars().count())
            .chain([self.head.chars().count()])
            .max()
            .unwrap_or(0)
    }
}

fn pad(text: &str, width: usize, right: bool) -> String {
    if right {
        format!("{text:>width$}")
    } else {
        format!("{text:<width$}")
    }
}

/// `├──●───┤` on a scale from `lo` to `hi` across `width` cells.
pub fn whisker(r: &RatedModel, (lo, hi): (f64, f64), width: usize) -> String {
    if width < 3 || hi <= lo {
        return "●".to_string();
    }
    let at = |x: f64| (((x - lo) / (hi - lo)) * (width - 1) as f64).round() as usize;
    let (a, m, b) = (at(r.ci_low), at(r.rating), at(r.ci_high));
    (0..width)
        .map(|i| match i {
            _ if i == m => '●',
            _ if i == a => '├',
            _ if i == b => '┤',
            _ if i > a && i < b => '─',
            _ => ' ',
        })
        .collect()
}

fn money(u: Option<crate::cost::Usd>) -> String {
    u.map_or("-".into(), |u| u.display())
}

/// The ratings table, fitted to `width`.
pub fn ratings_lines(board: &Leaderboard, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let rows = &board.ratings;
    let col = |head, drop, right, cells: Vec<String>| Column {
        head,
        drop,
        cells,
        right,
    };
    let mut cols = vec![
        col(
            "#",
            0,
            true,
            (1..=rows.len()).map(|n| n.to_string()).collect(),
        ),
        col("model", 0, false, Vec::new()),
        col(
            "rating",
            0,
            true,
            rows.iter()
                .map(|r| {
                    let mark = if r.provisional() { "?" } else { "" };
                    format!("{:.0}{mark}", r.rating)
                })
                .collect(),
        ),
        col(
            "95% CI",
            3,
            true,
            // Resampling a handful of votes gives no honest interval.
            rows.iter()
                .map(|r| {
                    if r.provisional() {
                        "few votes".into()
                    } else {
                        format!("{:.0}–{:.0}", r.ci_low, r.ci_high)
                    }
                })
                .collect(),
        ),
        col(
            "votes",
            0,
            true,
            rows.iter().map(|r| r.votes.to_string()).collect(),
        ),
        col(
            "win",
            2,
            true,
            rows.iter()
                .map(|r| format!("{:.0}%", r.win_rate() * 100.0))
                .collect(),
        ),
        col(
            "$/answer",
            4,
            true,
            rows.iter().map(|r| money(r.cost_per_answer)).collect(),
        ),
        col(
            "tok/s",
            5,
            true,
            rows.iter()
                .map(|r| {
                    r.median_tokens_per_s
                        .map_or("-".into(), |t| format!("{t:.0}"))
                })
                .collect(),
        ),
    ];
    const MODEL_MIN: usize = 8;
    const WHISKER_MIN: usize = 9;
    let fixed = |cols: &[Column]| -> usize {
        cols.iter()
            .filter(|c| c.head != "model")
            .map(|c| c.width() + 1)
            .sum::<usize>()
            + 2 // the leading space, and the one after the model
    };
    let natural = rows
        .iter()
        .map(|r| single_line(&r.model).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(MODEL_MIN, 40);
    // What gives way first: the whisker, then the model name down to 16, then the columns
    // least worth keeping, then the model name down to 8. A number is never cut.
    let mut whisker_w = 0;
    let want_whisker = rows.iter().any(|r| !r.provisional());
    let room = if want_whisker && fixed(&cols) + natural + WHISKER_MIN <= width {
        whisker_w = (width - fixed(&cols) - natural).min(30);
        natural
    } else {
        loop {
            let free = width.saturating_sub(fixed(&cols));
            if free >= natural.min(16) {
                break free.min(natural);
            }
            let Some(worst) = cols.iter().map(|c| c.drop).max().filter(|d| *d > 0) else {
                if free < MODEL_MIN {
                    return compact(rows, width, theme);
                }
                break free;
            };
            cols.retain(|c| c.drop != worst);
        }
    };
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            let m = single_line(&r.model);
            if m.chars().count() > room {
                let mut s: String = m.chars().take(room.saturating_sub(1)).collect();
                s.push('…');
                s
            } else {
                m.into_owned()
            }
        })
        .collect();
    if let Some(c) = cols.iter_mut().find(|c| c.head == "model") {
        c.cells = names;
    }
    let widths: Vec<usize> = cols
        .iter()
        .map(|c| if c.head == "model" { room } else { c.width() })
        .collect();
    let shown = rows.iter().filter(|r| !r.provisional());
    let scale = (
        shown
            .clone()
            .map(|r| r.ci_low)
            .fold(f64::INFINITY, f64::min),
        shown.map(|r| r.ci_high).fold(f64::NEG_INFINITY, f64::max),
    );
    let mut head = String::from(" ");
    for (c, w) in cols.iter().zip(&widths) {
        head.push_str(&pad(c.head, *w, c.right));
        head.push(' ');
    }
    if whisker_w > 0 {
        head.push_str(&pad("interval", whisker_w, false));
    }
    let mut lines = vec![Line::styled(head, theme.dim)];
    for (i, r) in rows.iter().enumerate() {
        let mut text = String::from(" ");
        for (c, w) in cols.iter().zip(&widths) {
            text.push_str(&pad(&c.cells[i], *w, c.right));
            text.push(' ');
        }
        let style = if r.provisional() {
            theme.dim
        } else {
            theme.text
        };
        let mut spans = vec![Span::styled(text, style)];
        if whisker_w > 0 && !r.provisional() {
            spans.push(Span::styled(whisker(r, scale, whisker_w), theme.ok));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// Too narrow for the table: each model's rating, then as much of its name as fits. A
/// rating that does not fit is left out, never cut.
fn compact(rows: &[RatedModel], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    rows.iter()
        .filter_map(|r| {
            let mark = if r.provisional() { "?" } else { "" };
            let rating = format!(" {:.0}{mark}", r.rating);
            let room = width.checked_sub(rating.chars().count())?;
            let name: String = match room {
                0 | 1 => String::new(),
                _ => {
                    let m = single_line(&r.model);
                    if m.chars().count() < room {
                        format!(" {m}")
                    } else {
                        let mut s: String = m.chars().take(room - 2).collect();
                        s.push('…');
                        format!(" {s}")
                    }
                }
            };
            Some(Line::styled(format!("{rating}{name}"), theme.text))
        })
        .collect()
}

#[cfg(test)]
mod tests;
