//! The cost of streaming markdown: a 100,000-token answer holding 200 code blocks, appended
//! delta by delta, with a frame drawn every 20 deltas (400 tokens/s at 20 frames/s).
//!
//!     cargo bench --bench markdown
//!
//! Reports the amortized cost per delta (keeping the rendered lines up to date, frames
//! included) and the cost of a frame's tail render early and late in the answer.
//!
//! Then, for each kind of block an answer can be one long run of (paragraphs, a tight list, a
//! loose list, a nested list, a table, one code block, a quote), the cost per delta and per
//! frame at 1,000 tokens against 100,000 tokens of that block. Goal: within 1.2x.

use std::time::{Duration, Instant};

use switchboard::render::stream::MarkdownView;
use switchboard::simulator::{BLOCK_KINDS, block_run, tokenize};
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

/// One view streaming: its text so far, and the time of each delta and frame.
struct Stream {
    view: MarkdownView,
    so_far: String,
    deltas: Vec<Duration>,
    frames: Vec<Duration>,
}

impl Stream {
    fn new(text: &str, theme: &Theme) -> Stream {
        let mut s = Stream {
            view: MarkdownView::default(),
            so_far: String::new(),
            deltas: Vec::new(),
            frames: Vec::new(),
        };
        for p in tokenize(text) {
            s.so_far.push_str(&p);
            s.view.advance(&s.so_far, 80, theme);
        }
        s.view.update(&s.so_far, 80, theme, false);
        s
    }

    fn step(&mut self, piece: &str, frame: bool, theme: &Theme) {
        self.so_far.push_str(piece);
        let t = Instant::now();
        self.view.advance(&self.so_far, 80, theme);
        self.deltas.push(t.elapsed());
        if frame {
            let t = Instant::now();
            self.view.update(&self.so_far, 80, theme, false);
            self.frames.push(t.elapsed());
        }
    }
}

fn median_us(mut xs: Vec<Duration>) -> f64 {
    xs.sort();
    xs[xs.len() / 2].as_secs_f64() * 1e6
}

fn block_kinds(theme: &Theme) {
    println!("one long block of each kind, median per delta / per frame, at 1k and 100k tokens:");
    for kind in BLOCK_KINDS {
        let big = block_run(kind, 104_000);
        let small_end = block_run(kind, 1_000).len();
        let big_end = big.len() - 12_000;
        let mut small = Stream::new(&big[..small_end], theme);
        let mut large = Stream::new(&big[..big_end], theme);
        // The same 3,000 tokens of the block are appended to both, interleaved, so the
        // machine's noise falls on both alike.
        let extra = tokenize(&big[small_end..small_end + 12_000]);
        for (i, p) in extra.iter().enumerate() {
            small.step(p, i % 10 == 9, theme);
            large.step(p, i % 10 == 9, theme);
        }
        let (sd, sf) = (median_us(small.deltas), median_us(small.frames));
        let (bd, bf) = (median_us(large.deltas), median_us(large.frames));
        println!(
            "  {kind:<12} delta {sd:>6.2} µs vs {bd:>6.2} µs ({:.2}x) · frame {sf:>8.1} µs vs {bf:>8.1} µs ({:.2}x)",
            bd / sd,
            bf / sf
        );
    }
}

fn main() {
    let theme = Theme::dark();
    block_kinds(&theme);
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
