//! `rate`: the point fit plus percentile bootstrap intervals over whole votes.

use super::fit::{Prepared, Solver};
use super::{MEAN, Rating, Rng, Vote, to_elo};

pub(super) fn rate(n: usize, votes: &[Vote], resamples: usize, seed: u64) -> Vec<Rating> {
    let prepared = Prepared::new(n, votes);
    let m = prepared.active.len();
    let mut solver = Solver::default();
    let mut wins = Vec::new();
    prepared.wins(&mut wins, None);
    let mut theta = vec![0.0; m];
    solver.solve(&wins, &mut theta);

    // samples[k * resamples + r]: compact player k's rating in resample r.
    let mut samples = vec![0.0; m * resamples];
    let total = prepared.votes;
    if m > 0 {
        let mut rng = Rng::new(seed);
        let mut counts = vec![0u32; total];
        let mut resampled = vec![0.0; m];
        for r in 0..resamples {
            counts.fill(0);
            for _ in 0..total {
                counts[rng.below(total as u64) as usize] += 1;
            }
            prepared.wins(&mut wins, Some(&counts));
            resampled.copy_from_slice(&theta);
            solver.solve(&wins, &mut resampled);
            for (k, elo) in to_elo(&resampled).enumerate() {
                samples[k * resamples + r] = elo;
            }
        }
    }

    let point: Vec<f64> = to_elo(&theta).collect();
    let mut compact = vec![None; n];
    for (k, &p) in prepared.active.iter().enumerate() {
        compact[p] = Some(k);
    }
    let mut ratings: Vec<Rating> = (0..n)
        .map(|p| {
            let [votes, wins, losses, ties] = prepared.records[p];
            let (rating, ci_low, ci_high) = match compact[p] {
                None => (MEAN, MEAN, MEAN),
                Some(k) if resamples == 0 => (point[k], point[k], point[k]),
                Some(k) => {
                    let column = &mut samples[k * resamples..(k + 1) * resamples];
                    column.sort_unstable_by(f64::total_cmp);
                    (
                        point[k],
                        percentile(column, 0.025),
                        percentile(column, 0.975),
                    )
                }
            };
            Rating {
                player: p,
                rating,
                ci_low,
                ci_high,
                votes,
                wins,
                losses,
                ties,
            }
        })
        .collect();
    ratings.sort_by(|a, b| b.rating.total_cmp(&a.rating).then(a.player.cmp(&b.player)));
    ratings
}

/// The `q` quantile of sorted, non-empty `xs`, interpolating linearly between order statistics.
fn percentile(xs: &[f64], q: f64) -> f64 {
    let pos = q * (xs.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(xs.len() - 1);
    xs[lo] + (pos - lo as f64) * (xs[hi] - xs[lo])
}
