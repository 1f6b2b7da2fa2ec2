//! When an answer's tokens arrived, second by second: what the footer sparkline, the race
//! chart and the HTML export draw, and what a session saves so the race can be drawn again.

use std::time::Duration;

use crate::tokens::CHARS_PER_TOKEN;

/// A stream that runs longer than a day keeps adding to its last second rather than growing
/// without bound.
const MAX_SECONDS: usize = 86_400;

/// What arrived in each second since the request was sent, weighed in characters while the
/// answer streams (token counts are only known at the end). Reasoning counts too: it is paid
/// output, and a model thinking fast is a model running fast.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Index `i` holds what arrived between `i` and `i + 1` seconds after the request.
    weights: Vec<u32>,
}

impl Timeline {
    /// A saved answer's per-second token counts, weighed back as characters so that scaling
    /// to the same total gives them back exactly.
    pub fn from_tokens(tokens: &[u32]) -> Timeline {
        let per = CHARS_PER_TOKEN as u32;
        Timeline {
            weights: tokens.iter().map(|t| t.saturating_mul(per)).collect(),
        }
    }

    /// Records `chars` characters arriving `at` after the request was sent.
    pub fn record(&mut self, at: Duration, chars: u64) {
        let i = (at.as_secs() as usize).min(MAX_SECONDS - 1);
        if self.weights.len() <= i {
            self.weights.resize(i + 1, 0);
        }
        let w = &mut self.weights[i];
        *w = w.saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
    }

    pub fn is_empty(&self) -> bool {
        self.weights.iter().all(|w| *w == 0)
    }

    /// What arrived in each second, in characters: enough for a shape (a sparkline) without
    /// scaling to tokens.
    pub fn weights(&self) -> &[u32] {
        &self.weights
    }

    /// How many seconds it spans (the last one maybe partial).
    pub fn seconds(&self) -> usize {
        self.weights.len()
    }

    /// Tokens per second, scaled so they add up to `total` (the usage's exact count once it
    /// arrived, an estimate before). Rounded on the running sum, so the counts add up to
    /// `total` exactly and no second drifts by more than one token.
    pub fn tokens(&self, total: u64) -> Vec<u32> {
        let weight: u64 = self.weights.iter().map(|w| u64::from(*w)).sum();
        if weight == 0 {
            return vec![0; self.weights.len()];
        }
        let mut out = Vec::with_capacity(self.weights.len());
        let (mut running, mut given) = (0u64, 0u64);
        for w in &self.weights {
            running += u64::from(*w);
            let upto =
                ((running as u128 * total as u128 + weight as u128 / 2) / weight as u128) as u64;
            out.push(u32::try_from(upto - given).unwrap_or(u32::MAX));
            given = upto;
        }
        out
    }
}

/// Tokens received by each moment: the points of a race line, in seconds and tokens. It
/// starts at the first token with none received, climbs through each whole second, and ends
/// at `end` with all of them.
pub fn race_points(per_second: &[u32], ttft: Duration, end: Duration) -> Vec<(f64, f64)> {
    let (start, end) = (
        ttft.as_secs_f64(),
        end.as_secs_f64().max(ttft.as_secs_f64()),
    );
    let mut points = vec![(start, 0.0)];
    let mut received = 0u64;
    for (i, n) in per_second.iter().enumerate() {
        received += u64::from(*n);
        let t = ((i + 1) as f64).min(end);
        if t > start {
            points.push((t, received as f64));
        }
    }
    if points.last().is_some_and(|p| p.0 < end) {
        points.push((end, received as f64));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_counts_add_up_to_the_exact_total() {
        let mut t = Timeline::default();
        t.record(Duration::from_millis(300), 10);
        t.record(Duration::from_millis(1500), 7);
        t.record(Duration::from_millis(3100), 13);
        assert_eq!(t.seconds(), 4);
        let tokens = t.tokens(101);
        assert_eq!(tokens.iter().map(|n| u64::from(*n)).sum::<u64>(), 101);
        assert_eq!(tokens[2], 0);
        assert_eq!(tokens, vec![34, 23, 0, 44]);
    }

    #[test]
    fn saved_counts_come_back_exactly() {
        let saved = [0, 12, 140, 133, 7];
        let t = Timeline::from_tokens(&saved);
        assert_eq!(t.tokens(292), saved);
    }

    #[test]
    fn nothing_received_is_all_zero_and_a_runaway_clock_stays_bounded() {
        let mut t = Timeline::default();
        assert!(t.is_empty());
        assert!(t.tokens(50).is_empty());
        t.record(Duration::from_secs(10_000_000), 4);
        assert_eq!(t.seconds(), MAX_SECONDS);
    }

    #[test]
    fn a_race_line_runs_from_the_first_token_to_the_end() {
        let points = race_points(
            &[0, 50, 30],
            Duration::from_millis(1200),
            Duration::from_millis(2500),
        );
        assert_eq!(points, vec![(1.2, 0.0), (2.0, 50.0), (2.5, 80.0)]);
    }
}
