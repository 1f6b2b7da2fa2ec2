//! Tests of `race`: axis ends and legend rows.

use super::*;
use unicode_width::UnicodeWidthStr;

#[test]
fn axis_ends_are_round_and_never_invalid() {
    assert_eq!(nice_ceiling(1107.0), 1200.0);
    assert_eq!(nice_ceiling(4.6), 5.0);
    assert!((nice_ceiling(0.3) - 0.3).abs() < 1e-9);
    assert_eq!(nice_ceiling(0.0), 1.0);
    assert_eq!(nice_ceiling(f64::NAN), 1.0);
    assert_eq!(nice_ceiling(10.0), 10.0);
}

#[test]
fn a_legend_row_cuts_the_name_before_a_number() {
    let theme = Theme::no_color();
    let r = runner();
    let row: String = legend_line(&r, 60, &theme)
        .spans
        .iter()
        .map(|s| s.content.as_ref())
        .collect();
    assert!(
        row.ends_with("ttft 0.42s · 140 tok/s · 310 tok · $0.000124"),
        "{row}"
    );
    assert!(row.starts_with("1 some-vendor…  ttft"), "{row}");
    assert_eq!(row.width(), 60, "{row}");
}

fn text(line: Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[test]
fn a_narrow_legend_drops_the_ttft_then_the_tokens_and_keeps_its_separators() {
    let theme = Theme::no_color();
    let r = runner();
    let row = text(legend_line(&r, 40, &theme));
    assert_eq!(row, "1 some…  140 tok/s · 310 tok · $0.000124");
    let row = text(legend_line(&r, 30, &theme));
    assert_eq!(row, "1 some…  140 tok/s · $0.000124", "never a cut number");
    let mut old = runner();
    old.untimed = true;
    assert!(text(legend_line(&old, 120, &theme)).contains("no timings saved"));
}

fn runner() -> Runner {
    Runner {
        label: "1 some-vendor/a-very-long-model-name-indeed".into(),
        style: Style::default(),
        marker: Marker::Custom('1'),
        points: Vec::new(),
        ttft: Some(Duration::from_millis(420)),
        end: Duration::from_secs(3),
        untimed: false,
        turn_facts: Facts {
            status: "done",
            tokens_per_s: Some(140.4),
            tokens: (310, true),
            cost: Some(("$0.000124".into(), true)),
        },
    }
}
