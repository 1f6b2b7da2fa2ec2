//! Personal ratings: the Bradley-Terry fit of 100,000 votes over 50 models (the point
//! estimate), and the full `rate` with 200 bootstrap resamples over the same votes.
//!
//!     cargo bench --bench rating
//!
//! Goal: the point fit in at most 200 ms. Medians are printed. The votes are simulated from
//! known ratings: 60% pairwise, 25% best of 3, 5% best of 4, 10% ties / all bad.

use std::time::{Duration, Instant};

use switchboard::rating::{RESAMPLES, Rng, SEED, Vote, fit, rate};

fn votes(models: usize, count: usize) -> Vec<Vote> {
    let mut rng = Rng::new(1);
    let strength: Vec<f64> = (0..models)
        .map(|i| 10f64.powf((700.0 + 600.0 * i as f64 / models as f64) / 400.0))
        .collect();
    let mut all: Vec<usize> = (0..models).collect();
    (0..count)
        .map(|_| {
            let roll = rng.below(100);
            let size = match roll {
                0..60 => 2,
                60..85 => 3,
                85..90 => 4,
                _ => 2 + rng.below(3) as usize,
            };
            rng.shuffle(&mut all);
            let players = all[..size].to_vec();
            let best = (roll < 90).then(|| {
                let total: f64 = players.iter().map(|&p| strength[p]).sum();
                let mut pick = rng.unit() * total;
                *players
                    .iter()
                    .find(|&&p| {
                        pick -= strength[p];
                        pick < 0.0
                    })
                    .unwrap_or(&players[size - 1])
            });
            Vote { players, best }
        })
        .collect()
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let big = votes(50, 100_000);
    let fitted = time(21, || fit(50, &big));
    println!(
        "fit 100,000 votes over 50 models: median {} (goal: at most 200 ms)",
        ms(fitted)
    );
    let rated = time(5, || rate(50, &big, RESAMPLES, SEED));
    println!(
        "rate 100,000 votes over 50 models with {RESAMPLES} resamples: median {}",
        ms(rated)
    );
    let small = votes(8, 2_000);
    let rated = time(21, || rate(8, &small, RESAMPLES, SEED));
    println!(
        "rate 2,000 votes over 8 models with {RESAMPLES} resamples: median {}",
        ms(rated)
    );
}
