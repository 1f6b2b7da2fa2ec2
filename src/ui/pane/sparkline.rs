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

/// The answer's speed from its first token on, one cell a second, or, when it ran longer
/// than `cells` seconds, each cell the mean of its share of them. While it streams, the
/// second under way is left out: half-filled, it would always look like a slowdown.
/// `None` while there are fewer than two seconds to draw.
pub fn sparkline(
    timeline: &Timeline,
    ttft: Duration,
    elapsed: Option<Duration>,
    cells: usize,
) -> Option<String> {
    let w = timeline.weights();
    let first = (ttft.as_secs() as usize).min(w.len());
    let last = match elapsed {
        Some(e) => (e.as_secs() as usize).min(w.len()),
        None => w.len(),
    };
    let seconds = w.get(first..last)?;
    if seconds.len() < 2 || cells == 0 {
        return None;
    }
    let n = seconds.len().min(cells);
    let means: Vec<u64> = (0..n)
        .map(|c| {
            let (from, to) = (c * seconds.len() / n, (c + 1) * seconds.len() / n);
            let part = &seconds[from..to.max(from + 1)];
            part.iter().map(|x| u64::from(*x)).sum::<u64>() / part.len() as u64
        })
        .collect();
    let top = means.iter().copied().max().unwrap_or(0).max(1);
    Some(
        means
            .iter()
            .map(|m| {
                // Any output at all shows at least the lowest bar; only a stalled second is blank.
                let level = ((m * 8 + top / 2) / top) as usize;
                LEVELS[if *m > 0 { level.max(1) } else { 0 }]
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
        let s = sparkline(&t, Duration::from_millis(2100), None, 10).unwrap();
        assert_eq!(s, "▄█▂ █");
    }

    #[test]
    fn the_second_under_way_is_left_out_while_streaming() {
        let t = timeline(&[80, 80, 80, 5]);
        let s = sparkline(
            &t,
            Duration::from_millis(300),
            Some(Duration::from_millis(3500)),
            10,
        );
        assert_eq!(s.as_deref(), Some("███"));
        let early = sparkline(
            &t,
            Duration::from_millis(300),
            Some(Duration::from_millis(1200)),
            10,
        );
        assert_eq!(early, None, "one whole second is not a line");
    }

    #[test]
    fn a_long_answer_is_averaged_into_the_cells() {
        let per: Vec<u32> = (0..100).map(|i| if i < 50 { 10 } else { 40 }).collect();
        let s = sparkline(&timeline(&per), Duration::ZERO, None, 4).unwrap();
        assert_eq!(s, "▂▂██");
        assert_eq!(s.chars().count(), 4);
    }
}
