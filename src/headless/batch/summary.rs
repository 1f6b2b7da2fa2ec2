//! What a batch shows while it runs and at its end: an `indicatif` progress bar on a
//! terminal, and a table per model (completed, errors, median TTFT and speed, exact cost).
//! Only numbers are kept per answer, never its text.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::chat::{Answer, AnswerStatus};
use crate::cost::{Cost, Spent};
use crate::sanitize::single_line;

#[derive(Default)]
struct ModelStats {
    completed: usize,
    errors: usize,
    ttft_ms: Vec<u64>,
    tokens_per_s: Vec<f64>,
    spent: Spent,
}

pub struct Summary {
    models: Vec<String>,
    stats: Vec<ModelStats>,
}

fn median_u64(v: &mut [u64]) -> Option<u64> {
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2),
    }
}

fn median_f64(v: &mut [f64]) -> Option<f64> {
    v.sort_unstable_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

impl Summary {
    pub fn new(models: &[String]) -> Summary {
        Summary {
            models: models.to_vec(),
            stats: models.iter().map(|_| ModelStats::default()).collect(),
        }
    }

    pub fn add(&mut self, model: usize, a: &Answer, cost: Option<Cost>) {
        let s = &mut self.stats[model];
        if a.status == AnswerStatus::Complete {
            s.completed += 1;
        } else {
            s.errors += 1;
        }
        if let Some(t) = a.ttft {
            s.ttft_ms.push(t.as_millis() as u64);
        }
        if let Some(t) = a.final_tokens_per_second() {
            s.tokens_per_s.push(t);
        }
        s.spent.add(cost, a.ttft.is_some());
    }

    pub fn errors(&self) -> usize {
        self.stats.iter().map(|s| s.errors).sum()
    }

    pub fn spent(&self) -> Spent {
        self.stats
            .iter()
            .fold(Spent::default(), |acc, s| acc.merge(s.spent))
    }

    /// The table, one row per model; costs are exact decimals (`~` when part is estimated).
    pub fn table(&mut self) -> String {
        let money = |s: &Spent| {
            let mut t = format!(
                "{}${}",
                if s.estimated { "~" } else { "" },
                s.total.to_decimal()
            );
            if s.unpriced > 0 {
                t.push_str(&format!(" +{} unpriced", s.unpriced));
            }
            t
        };
        let mut rows = vec![[
            "MODEL".to_string(),
            "DONE".into(),
            "ERRORS".into(),
            "TTFT p50".into(),
            "TOK/S p50".into(),
            "COST".into(),
        ]];
        for (m, s) in self.models.iter().zip(&mut self.stats) {
            rows.push([
                single_line(m).into_owned(),
                s.completed.to_string(),
                s.errors.to_string(),
                median_u64(&mut s.ttft_ms)
                    .map_or("-".into(), |t| format!("{:.2}s", t as f64 / 1000.0)),
                median_f64(&mut s.tokens_per_s).map_or("-".into(), |t| format!("{t:.1}")),
                money(&s.spent),
            ]);
        }
        let mut widths = [0usize; 6];
        for row in &rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = String::new();
        for row in &rows {
            let mut line = String::new();
            for (i, (c, w)) in row.iter().zip(widths).enumerate() {
                let pad = " ".repeat(w - c.chars().count());
                if i == 0 {
                    line.push_str(&format!("{c}{pad}  "));
                } else {
                    line.push_str(&format!("{pad}{c}  "));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push_str(&format!("total: {}\n", money(&self.spent())));
        out
    }
}

/// The progress bar: hidden unless stderr is a terminal.
pub fn bar(total: usize, visible: bool) -> ProgressBar {
    let target = if visible {
        ProgressDrawTarget::stderr_with_hz(10)
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(total as u64), target);
    bar.set_style(
        ProgressStyle::with_template(
            // The message last and as wide as the terminal leaves: cut, never wrapped.
            "{bar:20} {pos}/{len} answers · {elapsed} · ETA {eta} · {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("█▌ "),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// The bar's message: errors, money spent, and a lane that waits out a 429.
pub fn message(errors: usize, spent: &Spent, waiting: &[String]) -> String {
    let mut m = format!("{errors} errors · {}", spent.display());
    if !waiting.is_empty() {
        m.push_str(&format!(" · rate limited: {}", waiting.join(", ")));
    }
    m
}
