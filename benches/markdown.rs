//! The cost of streaming markdown: a 100,000-token answer holding 200 code blocks, appended
//! delta by delta, with a frame drawn every 20 deltas (400 tokens/s at 20 frames/s).
//!
//!     cargo bench --bench markdown
//!
//! Reports the amortized cost per delta (keeping the rendered lines up to date, frames
//! included) and the cost of a frame's tail render early and late in the answer.

use std::time::{Duration, Instant};

use switchboard::render::stream::MarkdownView;
use switchboard::simulator::tokenize;
use switchboard::theme::Theme;

/// About `tokens` tokens of markdown with `blocks` code blocks spread through it.
fn answer(tokens: usize, blocks: usize) -> String {
    let per = tokens / blocks;
    let mut text = String::new();
    for i in 0..blocks {
        text.push_str(&format!("## Part {i}\n\nSome **prose** about step {i}, with `inline code` and a [link](https://example.com/{i}).\n\n"));
        text.push_str("- first point\n- second point\n  - nested detail\n\n");
        text.push_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n");
        let lang = if i % 2 == 0 { "rust" } else { "python" };
        text.push_str(&format!("```{lang}\n"));
        let mut used = 60;
        while used < per {
            text.push_str(if lang == "rust" {
                "let value = compute(input, &mut state); // step\n"
            } else {
                "value = compute(input, state)  # step\n"
            });
            used += 10;
        }
        text.push_str("```\n\n");
    }
    text
}

fn main() {
    let theme = Theme::dark();
    let text = answer(100_000, 200);
    let pieces = tokenize(&text);
    let width = 80;
    let mut view = MarkdownView::default();
    let mut so_far = String::with_capacity(text.len());
    let mut frames = Vec::new();
    let start = Instant::now();
    for (i, p) in pieces.iter().enumerate() {
        so_far.push_str(p);
        view.advance(&so_far, width, &theme);
        if i % 20 == 19 {
            let f = Instant::now();
            view.update(&so_far, width, &theme, false);
            frames.push((i, f.elapsed()));
        }
    }
    view.update(&so_far, width, &theme, true);
    let total = start.elapsed();
    let per_delta = total.as_secs_f64() / pieces.len() as f64;
    let median = |xs: &mut Vec<Duration>| {
        xs.sort();
        xs[xs.len() / 2]
    };
    let n = frames.len();
    let mut early: Vec<Duration> = frames[..n / 2].iter().map(|(_, d)| *d).collect();
    let mut late: Vec<Duration> = frames[n / 2..].iter().map(|(_, d)| *d).collect();
    println!(
        "{} deltas ({} bytes, {} rendered lines, 200 code blocks) at width {width}",
        pieces.len(),
        text.len(),
        view.len()
    );
    println!(
        "  total {:.0} ms, amortized {:.1} µs per delta (goal: at most 50 µs)",
        total.as_secs_f64() * 1e3,
        per_delta * 1e6
    );
    println!(
        "  frame tail render, median: first half of the answer {:.1} µs, second half {:.1} µs",
        median(&mut early).as_secs_f64() * 1e6,
        median(&mut late).as_secs_f64() * 1e6
    );
}
