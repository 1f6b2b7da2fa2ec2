//! Personal ratings: a Bradley-Terry fit of pairwise votes by maximum likelihood, on the Elo
//! scale, with bootstrap intervals. Pure math: no I/O.
//!
//! A vote shows two or more models side by side and names the best, or none (a tie, or "all
//! bad"). Picking the best of N counts as N − 1 pairwise wins of that model over each of the
//! others; a vote with no best counts as a tie between every pair, and a tie counts as half a
//! win for each side (ties as half a win each, not the Davidson model). The fit is the maximum
//! of the Bradley-Terry likelihood of those pairwise results under a weak prior (one virtual
//! tie per model against an average model, see `fit.rs`), found by Newton-Raphson; ratings
//! are 400·log10 of the strengths, shifted so they average 1000. Intervals are percentile
//! bootstrap intervals over whole votes.

mod bootstrap;
mod fit;
pub mod rng;

pub use rng::Rng;

/// One vote: the models shown side by side (indices into the caller's list of models, at
/// least 2, distinct) and the one picked as best, or `None` for a tie / "all bad".
#[derive(Clone, Debug, PartialEq)]
pub struct Vote {
    pub players: Vec<usize>,
    pub best: Option<usize>,
}

/// One model's fitted rating with its 95% interval (Elo scale) and its record.
#[derive(Clone, Debug, PartialEq)]
pub struct Rating {
    pub player: usize,
    pub rating: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Votes it took part in, and of those: won (picked best), lost (another picked), tied.
    pub votes: u32,
    pub wins: u32,
    pub losses: u32,
    pub ties: u32,
}

/// Bootstrap resamples used by the app.
pub const RESAMPLES: usize = 200;
/// Fixed bootstrap seed ("rating" in ASCII): the same votes give the same numbers.
pub const SEED: u64 = 0x7261_7469_6E67;

/// The rating every model starts from, and the mean of the fitted ratings.
const MEAN: f64 = 1000.0;

/// Elo-scale ratings (400·log10 of the Bradley-Terry strength, shifted so the mean over
/// players is 1000) of `n` players. Players with no vote get 1000 (the others then average
/// 1000 too).
///
/// A vote for the best of N is N − 1 pairwise wins of the best over each other player; a vote
/// with no best is a tie between every pair, and ties count as half a win each, not the
/// Davidson model. Invalid votes are skipped: fewer than two players, a player `>= n`, a
/// player listed twice, or a `best` that is not one of the players. Always finite: a weak
/// prior (one virtual tie per player against an average player) keeps players who never won
/// or never lost, and groups never compared with each other, at finite ratings.
pub fn fit(n: usize, votes: &[Vote]) -> Vec<f64> {
    let prepared = fit::Prepared::new(n, votes);
    let mut wins = Vec::new();
    prepared.wins(&mut wins, None);
    let mut theta = vec![0.0; prepared.active.len()];
    fit::Solver::default().solve(&wins, &mut theta);
    let mut ratings = vec![MEAN; n];
    for (&p, elo) in prepared.active.iter().zip(to_elo(&theta)) {
        ratings[p] = elo;
    }
    ratings
}

/// Ratings with bootstrap intervals (`resamples` resamples of whole votes with replacement,
/// percentile 2.5/97.5, rng seeded with `seed`), ordered best first (ties in rating broken by
/// index). Every one of the `n` players is listed; `rating` is exactly `fit(n, votes)`. Each
/// resample is refitted (warm-started from the point estimate) and re-centred to mean 1000
/// over the players that have votes. With no resamples the interval is the point itself.
pub fn rate(n: usize, votes: &[Vote], resamples: usize, seed: u64) -> Vec<Rating> {
    bootstrap::rate(n, votes, resamples, seed)
}

/// Log-strengths → Elo ratings averaging 1000.
fn to_elo(theta: &[f64]) -> impl Iterator<Item = f64> + '_ {
    let mean = theta.iter().sum::<f64>() / theta.len().max(1) as f64;
    theta
        .iter()
        .map(move |t| MEAN + fit::ELO_PER_NAT * (t - mean))
}

#[cfg(test)]
mod tests;
