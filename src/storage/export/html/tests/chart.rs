//! The race chart: drawn for rounds whose answers recorded their timelines, with finite
//! numbers only; absent (with a note) for older files.

use scraper::Html;
use serde_json::{Value, json};

use super::{answer, round, sel, session};

fn points(polyline: &scraper::ElementRef) -> Vec<(f64, f64)> {
    let raw = polyline.value().attr("points").expect("points");
    raw.split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("a number"), y.parse().expect("a number"))
        })
        .collect()
}

#[test]
fn a_round_with_timelines_gets_a_chart_of_finite_points_and_one_without_none() {
    let mut slow = answer(1, "sim/sage-large", "slow");
    slow["tokens_by_second"] = json!([0, 0, 40, 45, 45, 30]);
    slow["ttft_ms"] = json!(1700);
    slow["duration_ms"] = json!(5600);
    slow["tokens_per_s"] = json!(44.6);
    // Degenerate: a zero duration and ttft, no speed.
    let mut odd = answer(2, "sim/odd", "odd");
    odd["tokens_by_second"] = json!([0]);
    odd["duration_ms"] = json!(0);
    odd["ttft_ms"] = json!(0);
    odd["tokens_per_s"] = Value::Null;
    let timed = round(
        0,
        None,
        "race",
        vec![answer(0, "sim/swift-mini", "fast"), slow, odd],
    );
    let mut old = answer(0, "sim/swift-mini", "old");
    old["tokens_by_second"] = json!([]);
    let untimed = round(1, Some(0), "no race", vec![old]);
    let s = session("Races", vec![timed, untimed]);
    let page = super::super::html(&s);
    assert!(
        !page.contains("NaN") && !page.contains("inf"),
        "a non-number was written"
    );
    let doc = Html::parse_document(&page);
    let charts: Vec<_> = doc.select(&sel("#round-1 svg.race")).collect();
    assert_eq!(charts.len(), 1);
    let lines: Vec<_> = charts[0].select(&sel("polyline")).collect();
    assert_eq!(lines.len(), 3, "one line per answer");
    for l in &lines {
        let pts = points(l);
        assert!(!pts.is_empty());
        for (x, y) in &pts {
            assert!(
                x.is_finite() && y.is_finite() && *x >= 0.0 && *y >= 0.0,
                "{pts:?}"
            );
            assert!(*x <= 640.0 && *y <= 240.0, "{pts:?} outside the chart");
        }
        // Tokens only ever add up: y (downwards in SVG) never goes back up the page.
        assert!(
            pts.windows(2).all(|w| w[1].0 >= w[0].0 && w[1].1 <= w[0].1),
            "{pts:?}"
        );
    }
    assert_eq!(
        charts[0].select(&sel("circle")).count(),
        3,
        "a ttft mark each"
    );
    for c in charts[0].select(&sel("circle")) {
        for a in ["cx", "cy"] {
            let v: f64 = c.value().attr(a).unwrap().parse().unwrap();
            assert!(v.is_finite());
        }
    }
    let legend: Vec<String> = doc
        .select(&sel("#round-1 .legend li"))
        .map(super::all_text)
        .collect();
    assert_eq!(
        legend,
        vec![
            "sim/swift-mini · 140 tok/s · $0.0012",
            "sim/sage-large · 45 tok/s · $0.0012",
            "sim/odd · speed unknown · $0.0012",
        ]
    );
    let ticks: Vec<String> = charts[0]
        .select(&sel("text"))
        .map(super::all_text)
        .collect();
    assert!(
        ticks.contains(&"0".to_string())
            && ticks.contains(&"seconds since the request".to_string())
    );
    assert_eq!(doc.select(&sel("#round-2 svg")).count(), 0);
    let note = doc
        .select(&sel("#round-2 .note"))
        .map(super::all_text)
        .collect::<String>();
    assert!(note.contains("No race chart"), "{note}");
}

/// The lines of round 1's chart, by their label, as (x, y) points in the SVG's units.
fn lines(doc: &Html) -> Vec<(String, Vec<(f64, f64)>)> {
    doc.select(&sel("#round-1 svg.race g.runner"))
        .map(|g| {
            let label = g.select(&sel("title")).map(super::all_text).collect();
            (label, points(&g.select(&sel("polyline")).next().unwrap()))
        })
        .collect()
}

#[test]
fn no_first_token_or_no_saved_timings_draw_no_line_and_the_legend_says_why() {
    // Failed before its first token, yet with a timeline: the app draws no line for it.
    let mut refused = answer(1, "sim/refused", "");
    refused["status"] = json!("error");
    refused["ttft_ms"] = Value::Null;
    refused["tokens_by_second"] = json!([0, 0]);
    // Saved before timings were recorded: tokens, but no seconds to place them in.
    let mut older = answer(2, "sim/older", "old text");
    older["tokens_by_second"] = json!([]);
    let r = round(
        0,
        None,
        "race",
        vec![answer(0, "sim/swift-mini", "fast"), refused, older],
    );
    let doc = Html::parse_document(&super::super::html(&session("Gaps", vec![r])));
    let drawn: Vec<String> = lines(&doc).into_iter().map(|(l, _)| l).collect();
    assert_eq!(drawn, ["sim/swift-mini"]);
    assert_eq!(doc.select(&sel("#round-1 svg.race circle")).count(), 1);
    let legend: Vec<String> = doc
        .select(&sel("#round-1 .legend li"))
        .map(super::all_text)
        .collect();
    assert_eq!(
        legend,
        [
            "sim/swift-mini · 140 tok/s · $0.0012",
            "sim/refused · error, no first token · $0.0012",
            "sim/older · no timings saved · $0.0012",
        ]
    );
}

#[test]
fn an_interrupted_answer_s_line_ends_where_its_timeline_does() {
    // Saved mid-stream: no duration, three seconds of tokens.
    let mut cut = answer(0, "sim/cut", "partial");
    cut["status"] = json!("streaming");
    cut["duration_ms"] = Value::Null;
    cut["tokens_by_second"] = json!([0, 50, 20]);
    let mut done = answer(1, "sim/done", "whole");
    done["duration_ms"] = json!(6000);
    done["tokens_by_second"] = json!([0, 10, 10, 10, 10, 10]);
    let r = round(0, None, "race", vec![cut, done]);
    let doc = Html::parse_document(&super::super::html(&session("Cut", vec![r])));
    let ends: Vec<f64> = lines(&doc)
        .iter()
        .map(|(_, pts)| pts.last().unwrap().0)
        .collect();
    // The x axis runs 0..6 s over 52..626 in the SVG: 3 s is half way.
    assert_eq!(ends, [339.0, 626.0]);
}
