//! Statistical checks on simulated votes: recovery of known ratings, interval coverage.

use std::time::Instant;

use super::super::*;

/// Votes drawn from known Elo ratings: half are pairwise, half best-of-3, between distinct
/// players chosen uniformly; the best is drawn by the Bradley-Terry / Plackett-Luce choice
/// model, P(best = i) ∝ 10^(elo_i / 400). No ties: the model has none.
pub(super) fn simulate(rng: &mut Rng, elo: &[f64], count: usize) -> Vec<Vote> {
    let strength: Vec<f64> = elo.iter().map(|e| 10f64.powf(e / 400.0)).collect();
    (0..count)
        .map(|_| {
            let size = if rng.below(2) == 0 { 2 } else { 3 };
            let mut players: Vec<usize> = (0..elo.len()).collect();
            rng.shuffle(&mut players);
            players.truncate(size);
            let total: f64 = players.iter().map(|&p| strength[p]).sum();
            let mut pick = rng.unit() * total;
            let mut best = players[size - 1];
            for &p in &players {
                if pick < strength[p] {
                    best = p;
                    break;
                }
                pick -= strength[p];
            }
            Vote {
                players,
                best: Some(best),
            }
        })
        .collect()
}

fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    for (rank, &i) in order.iter().enumerate() {
        r[i] = rank as f64;
    }
    r
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let d2: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - y).powi(2)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

#[test]
fn recovery_of_known_ratings() {
    let start = Instant::now();
    let truth: Vec<f64> = (0..8).map(|i| 800.0 + 400.0 * i as f64 / 7.0).collect();
    let votes = simulate(&mut Rng::new(2024), &truth, 2_000);
    let fitted = fit(truth.len(), &votes);
    let rho = spearman(&truth, &fitted);
    let worst = truth
        .iter()
        .zip(&fitted)
        .map(|(t, f)| (t - f).abs())
        .fold(0.0, f64::max);
    println!(
        "recovery: Spearman {rho:.4}, worst error {worst:.1} Elo, {:?}",
        start.elapsed()
    );
    assert!(rho >= 0.95, "Spearman {rho}: {fitted:?}");
    assert!(worst < 60.0, "{fitted:?}");
}

/// Share of (league, model) 95% intervals holding the true rating (centred to mean 1000).
/// Each league: 8 models with true ratings uniform in 800..1200, 2,000 simulated votes,
/// `RESAMPLES` bootstrap resamples; seeds come from `master`.
fn coverage(leagues: usize, master: u64) -> f64 {
    let mut master = Rng::new(master);
    let (mut inside, mut total) = (0, 0);
    for _ in 0..leagues {
        let mut rng = Rng::new(master.next_u64());
        let truth: Vec<f64> = (0..8).map(|_| 800.0 + 400.0 * rng.unit()).collect();
        let mean = truth.iter().sum::<f64>() / 8.0;
        let votes = simulate(&mut rng, &truth, 2_000);
        for r in rate(8, &votes, RESAMPLES, rng.next_u64()) {
            let t = truth[r.player] - mean + 1000.0;
            inside += usize::from(r.ci_low <= t && t <= r.ci_high);
            total += 1;
        }
    }
    inside as f64 / total as f64
}

#[test]
fn interval_coverage_20_leagues() {
    let start = Instant::now();
    let share = coverage(20, 0xC0FE);
    println!(
        "coverage over 20 leagues: {:.1}% ({:?})",
        share * 100.0,
        start.elapsed()
    );
    assert!((0.85..=0.99).contains(&share), "{share}");
}

/// The full check; slow in debug builds, so it runs only with SWITCHBOARD_SLOW_TESTS=1.
#[test]
fn interval_coverage_200_leagues() {
    if std::env::var("SWITCHBOARD_SLOW_TESTS").as_deref() != Ok("1") {
        println!("interval_coverage_200_leagues skipped: set SWITCHBOARD_SLOW_TESTS=1");
        return;
    }
    let start = Instant::now();
    let share = coverage(200, 0x5EED);
    println!(
        "coverage over 200 leagues: {:.2}% ({:?})",
        share * 100.0,
        start.elapsed()
    );
    assert!((0.90..=0.99).contains(&share), "{share}");
}
