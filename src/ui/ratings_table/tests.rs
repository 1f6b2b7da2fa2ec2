//! The ratings table at every width: numbers whole, lines within the window.

use super::*;
use crate::storage::ratings::{Leaderboard, RatedModel};

fn model(name: &str, rating: f64, votes: u32) -> RatedModel {
    RatedModel {
        model: name.into(),
        rating,
        ci_low: rating - 61.0,
        ci_high: rating + 58.0,
        votes,
        wins: votes / 2,
        losses: votes - votes / 2,
        ties: 0,
        cost_per_answer: crate::cost::Usd::parse("0.0000374").ok(),
        median_tokens_per_s: Some(123.4),
    }
}

fn board() -> Leaderboard {
    Leaderboard {
        ratings: vec![
            model(
                "anthropic/claude-sonnet-4.5-with-a-very-long-name",
                1187.0,
                40,
            ),
            model("openai/gpt-4.1-mini", 1003.0, 38),
            model("sim/swift-mini", 810.0, 3),
        ],
        blind_votes: 40,
        ..Leaderboard::default()
    }
}

fn text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[test]
fn numbers_are_never_cut_and_lines_fit_at_every_width() {
    let theme = Theme::builtin("dark");
    let b = board();
    for width in 30..=200 {
        let lines = ratings_lines(&b, width, &theme);
        for (i, l) in lines.iter().enumerate() {
            assert!(
                l.width() <= width,
                "line {i} is {} wide at {width}",
                l.width()
            );
        }
        for (row, r) in lines[1..].iter().zip(&b.ratings) {
            let t = text(row);
            let rating = format!("{:.0}", r.rating);
            assert!(
                t.contains(&rating),
                "rating {rating} whole at {width}: {t:?}"
            );
            assert!(
                t.split_whitespace().any(|w| w == r.votes.to_string()),
                "votes whole at {width}: {t:?}"
            );
        }
        if width >= 100 {
            let t = text(&lines[1]);
            assert!(t.contains("1126–1245"), "the interval at {width}: {t:?}");
            assert!(
                t.contains('●') && t.contains('├'),
                "a whisker at {width}: {t:?}"
            );
            assert!(t.contains("$0.0000374") && t.contains("123"), "{t:?}");
            assert!(
                text(&lines[3]).contains("few votes"),
                "provisional: no interval"
            );
        }
    }
}

#[test]
fn the_whisker_marks_the_interval_and_the_rating() {
    let r = model("m", 1000.0, 10);
    let w = whisker(&r, (900.0, 1100.0), 21);
    assert_eq!(w.chars().count(), 21);
    assert_eq!(w.chars().position(|c| c == '●'), Some(10));
    assert!(
        w.starts_with("    ├") && w.trim_end().ends_with('┤'),
        "{w:?}"
    );
}
