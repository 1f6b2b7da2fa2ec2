//! Frame time must not grow with the length of an answer: draws a 120x40 frame while a
//! 100,000-token answer streams in one pane next to a 100-token one, against a baseline where
//! both answers are 100 tokens, measured in the same run.
//!
//!     cargo bench --bench frame_time
//!
//! Each sample appends one delta to both panes and draws a frame on a `TestBackend` (the
//! diff against a real terminal is not included); medians of many samples are printed.
//!
//! First, the same for one long block of each kind (paragraphs, lists, a table, a code block,
//! a quote) at 1,000 against 100,000 tokens. Goal: within 1.2x.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::chat::StreamEvent;
use switchboard::simulator::{BLOCK_KINDS, answer_text, block_run, tokenize};
use switchboard::state::{Init, Msg, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};

const SAMPLES: usize = 2000;

fn setup(big_tokens: usize) -> (State, Vec<String>, Vec<u64>) {
    setup_with(&answer_text(0, "benchmark", big_tokens))
}

/// Streams `text` into the first pane (drawing now and then, as the app would) and a short
/// answer into the second.
fn setup_with(text: &str) -> (State, Vec<String>, Vec<u64>) {
    let mut state = State::new(Init {
        models: vec!["sim/sage-large".into(), "sim/swift-mini".into()],
        base_url: "http://sim".into(),
        size: (120, 40),
        ..Init::default()
    });
    update(&mut state, Msg::Submit("benchmark".into()));
    let reqs: Vec<u64> = state.panes.iter().map(|p| p.req).collect();
    let pieces = tokenize(text);
    let mut at = Duration::ZERO;
    // Stream the long answer in, drawing now and then as the app would, so the caches are
    // built the way they are in real use.
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut cache = ViewCache::default();
    for (i, chunk) in pieces.chunks(50).enumerate() {
        at += Duration::from_millis(5);
        update(
            &mut state,
            Msg::Stream {
                req: reqs[0],
                event: StreamEvent::Text(chunk.concat()),
                at,
            },
        );
        if i % 20 == 0 {
            term.draw(|f| {
                draw(f, &state, &mut cache, &Theme::dark());
            })
            .unwrap();
        }
    }
    let small = tokenize(&answer_text(1, "benchmark", 100));
    update(
        &mut state,
        Msg::Stream {
            req: reqs[1],
            event: StreamEvent::Text(small.concat()),
            at,
        },
    );
    (state, pieces, reqs)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// One setup and its terminal, drawn sample by sample.
struct Case {
    state: State,
    pieces: Vec<String>,
    reqs: Vec<u64>,
    term: Terminal<TestBackend>,
    cache: ViewCache,
    times: Vec<Duration>,
}

impl Case {
    fn new(big_tokens: usize) -> Case {
        Case::from(setup(big_tokens))
    }

    fn from((state, pieces, reqs): (State, Vec<String>, Vec<u64>)) -> Case {
        Case {
            state,
            pieces,
            reqs,
            term: Terminal::new(TestBackend::new(120, 40)).unwrap(),
            cache: ViewCache::default(),
            times: Vec::with_capacity(SAMPLES),
        }
    }

    /// Appends `piece` to both panes and times one frame.
    fn sample(&mut self, i: usize, piece: &str) {
        let at = Duration::from_secs(1000) + Duration::from_millis(50 * i as u64);
        let piece = piece.to_string();
        update(
            &mut self.state,
            Msg::Stream {
                req: self.reqs[0],
                event: StreamEvent::Text(piece.clone()),
                at,
            },
        );
        update(
            &mut self.state,
            Msg::Stream {
                req: self.reqs[1],
                event: StreamEvent::Text(piece),
                at,
            },
        );
        let start = Instant::now();
        let mut views = Default::default();
        let (state, cache) = (&self.state, &mut self.cache);
        self.term
            .draw(|f| views = draw(f, state, cache, &Theme::dark()))
            .unwrap();
        self.times.push(start.elapsed());
        update(&mut self.state, Msg::Viewports(views));
    }
}

/// One long block of each kind streaming at 1k and at 100k tokens, the same text appended to
/// both, interleaved.
fn block_kinds() {
    println!("frame (120x40, 2 panes) with one long block of each kind, 1k vs 100k tokens:");
    for kind in BLOCK_KINDS {
        let big = block_run(kind, 101_000);
        let small_end = block_run(kind, 1_000).len();
        let big_end = big.len() - 8_000;
        let mut small = Case::from(setup_with(&big[..small_end]));
        let mut large = Case::from(setup_with(&big[..big_end]));
        let feed = tokenize(&big[small_end..small_end + 8_000]);
        for (i, piece) in feed.iter().take(600).enumerate() {
            small.sample(i, piece);
            large.sample(i, piece);
        }
        let (s, l) = (median(small.times), median(large.times));
        println!(
            "  {kind:<12} {:>7.1} µs vs {:>7.1} µs, ratio {:.2}",
            s.as_secs_f64() * 1e6,
            l.as_secs_f64() * 1e6,
            l.as_secs_f64() / s.as_secs_f64()
        );
    }
}

fn main() {
    block_kinds();
    let mut cases: Vec<(usize, Case)> = [100, 10_000, 100_000]
        .into_iter()
        .map(|n| (n, Case::new(n)))
        .collect();
    // The same text is appended in every case, so the visible content is alike; samples are
    // interleaved so the machine's noise hits every case alike.
    let feed = cases[2].1.pieces.clone();
    for i in 0..SAMPLES {
        let piece = &feed[(feed.len() - SAMPLES + i) % feed.len()];
        for (_, case) in cases.iter_mut() {
            case.sample(i, piece);
        }
    }
    println!("frame (120x40, 2 panes), median of {SAMPLES} draws, each after appending one token:");
    let base = median(cases[0].1.times.clone());
    for (n, case) in &cases {
        let t = median(case.times.clone());
        println!(
            "  {n:>7}-token answer next to a 100-token one: {:>7.1} µs ({} wrapped lines), ratio to the first {:.2}",
            t.as_secs_f64() * 1e6,
            case.state.panes[0].total_lines,
            t.as_secs_f64() / base.as_secs_f64()
        );
    }
}
