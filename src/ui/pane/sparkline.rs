//! The footer's speed sparkline: how fast a pane's tokens came, second by second, in bar
//! glyphs (they read without colour too).

use std::time::Duration;

use ratatui::symbols::bar;

use crate::chat::Timeline;

/// The widest the sparkline gets: it shares a one-line footer with numbers that must not be cut.
pub const MAX_CELLS: usize = 10;

const LEVELS: [&str; 9] = [
    bar::NINE_LEVELS.empty,
    bar::NINE_LEVELS.one_eighth,
    bar::NINE_LEVELS.one_quarter,
    bar::NINE_LEVELS.three_eighths,
    bar::NINE_LEVELS.half,
    bar::NINE_LEVELS.five_eighths,
    bar::NINE_LEVELS.three_quarters,
    bar::NINE_LEVELS.seven_eighths,
    bar::NINE_LEVELS.full,
];

/// A second covering less of the answer than this is left out: its rate is too uncertain.
const LEAST_SHARE: f64 = 0.25;

/// The answer's speed from its first token to `end`, one cell a second, or, when it ran
/// longer than `cells` seconds, each cell the mean of its share of them. The first second
/// and the last are partial: each counts at its rate over the part it covers (so a
/// finished answer does not seem to slow down at the end), and a sliver under a quarter of
/// a second is left out, as is the second under way while it streams. `None` while there
/// are fewer than two seconds to draw.
pub fn sparkline(
    timeline: &Timeline,
    (ttft, end, streaming): (Duration, Duration, bool),
    cells: usize,
) -> Option<String> {
    let w = timeline.weights();
    let (from, to) = (ttft.as_secs_f64(), end.as_secs_f64());
    let last = if streaming {
        (end.as_secs() as usize).min(w.len())
    } else {
        w.len()
    };
    let rates: Vec<f64> = (ttft.as_secs() as usize..last)
        .filter_map(|k| {
            let covered = ((k + 1) as f64).min(to.max(from)) - (k as f64).max(from);
            let covered = if streaming {
                (k + 1) as f64 - (k as f64).max(from)
            } else {
                covered
            };
            (covered >= LEAST_SHARE).then(|| f64::from(w[k]) / covered)
        })
        .collect();
    if rates.len() < 2 || cells == 0 {
        return None;
    }
    let n = rates.len().min(cells);
    let means: Vec<f64> = (0..n)
        .map(|c| {
            let (a, b) = (
                c * rates.len() / n,
                ((c + 1) * rates.len() / n).max(c * rates.len() / n + 1),
            );
            rates[a..b].iter().sum::<f64>() / (b - a) as f64
        })
        .collect();
    let top = means.iter().copied().fold(0.0, f64::max);
    if top <= 0.0 {
        return None;
    }
    Some(
        means
            .iter()
            .map(|m| {
                // Any output at all shows at least the lowest bar; only a stalled second is blank.
                let level = (m * 8.0 / top).round() as usize;
                LEVELS[if *m > 0.0 { level.clamp(1, 8) } else { 0 }]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline(per_second: &[u32]) -> Timeline {
        Timeline::from_tokens(per_second)
    }

    #[test]
    fn one_cell_a_second_from_the_first_token() {
        let t = timeline(&[0, 0, 40, 80, 20, 0, 80]);
        // Finished at 6.5 s: the first second (from 2.1 s) counts over 0.9 s, the last over 0.5.
        let span = (
            Duration::from_millis(2100),
            Duration::from_millis(6500),
            false,
        );
        let s = sparkline(&t, span, 10).unwrap();
        assert_eq!(s, "▂▄▁ █", "the last second: 80 in 0.5 s, the fastest");
    }

    #[test]
    fn the_second_under_way_is_left_out_while_streaming() {
        // 80 a second from 0.3 s: 56 in the first 0.7 s.
        let t = timeline(&[56, 80, 80, 5]);
        let ttft = Duration::from_millis(300);
        let s = sparkline(&t, (ttft, Duration::from_millis(3500), true), 10);
        assert_eq!(
            s.as_deref(),
            Some("███"),
            "the first second at its rate over 0.7 s"
        );
        let early = sparkline(&t, (ttft, Duration::from_millis(1200), true), 10);
        assert_eq!(early, None, "one second is not a line");
        // Ended 0.1 s into its last second: that sliver is left out, not drawn as a dip.
        let done = sparkline(&t, (ttft, Duration::from_millis(3100), false), 10);
        assert_eq!(done.as_deref(), Some("███"));
    }

    #[test]
    fn a_long_answer_is_averaged_into_the_cells() {
        let per: Vec<u32> = (0..100).map(|i| if i < 50 { 10 } else { 40 }).collect();
        let span = (Duration::ZERO, Duration::from_secs(100), false);
        let s = sparkline(&timeline(&per), span, 4).unwrap();
        assert_eq!(s, "▂▂██");
        assert_eq!(s.chars().count(), 4);
    }
}
