//! A round's race as an inline SVG chart: tokens received against seconds since the request,
//! one line per answer. Every number written is finite, whatever the data (none, zero
//! durations, a clock that ran backwards).

use std::fmt::Write;

use super::escape;

/// Colours that stay apart for the common colour blindnesses (Okabe and Ito) and read on
/// light and dark backgrounds alike.
pub const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#7f7f7f",
];

/// One answer's line.
pub struct Line {
    /// The model, or its pane's letter in a hidden round.
    pub label: String,
    pub colour: &'static str,
    /// (seconds since the request, tokens received so far), from `race_points`.
    pub points: Vec<(f64, f64)>,
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// `x` rounded for an attribute, `0` for what is not a number.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// A round step (1, 2 or 5 times a power of ten) that cuts `0..max` into at most `n` parts.
fn step(max: f64, n: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / n;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let s = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    s * mag
}

/// A tick's label: whole numbers as such, fractions to what the step needs.
fn tick_label(v: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{v:.0}")
    } else if step >= 0.1 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The chart, or `None` when no line has a point to draw.
pub fn chart(lines: &[Line]) -> Option<String> {
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    if lines
        .iter()
        .all(|l| l.points.iter().filter(finite).count() == 0)
    {
        return None;
    }
    let all = || lines.iter().flat_map(|l| l.points.iter().filter(finite));
    let x_max = all().map(|p| p.0).fold(0.0, f64::max);
    let y_max = all().map(|p| p.1).fold(0.0, f64::max);
    let (xs, ys) = (step(x_max, 6.0), step(y_max, 4.0));
    // The axes end on a whole step past the data, and are never of zero length.
    let x_end = ((x_max / xs).ceil() * xs).max(xs);
    let y_end = ((y_max / ys).ceil() * ys).max(ys);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let x = |v: f64| LEFT + (v.max(0.0) / x_end) * pw;
    let y = |v: f64| TOP + ph - (v.max(0.0) / y_end) * ph;

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"race\" viewBox=\"0 0 {W} {H}\" role=\"img\" \
         aria-label=\"Tokens received against seconds since the request\" \
         xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let mut t = 0.0;
    while t <= x_end + xs / 2.0 {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\
             <text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
            num(x(t)),
            num(TOP),
            num(TOP + ph),
            num(TOP + ph + 14.0),
            tick_label(t, xs)
        );
        t += xs;
    }
    let mut v = 0.0;
    while v <= y_end + ys / 2.0 {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\
             <text x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{5}</text>",
            num(LEFT),
            num(y(v)),
            num(LEFT + pw),
            num(LEFT - 6.0),
            num(y(v) + 4.0),
            tick_label(v, ys)
        );
        v += ys;
    }
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\
         <line class=\"axis\" x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\"/>\
         <text x=\"{4}\" y=\"{5}\" text-anchor=\"middle\">seconds since the request</text>\
         <text x=\"12\" y=\"{6}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {6})\">tokens</text>",
        num(LEFT),
        num(TOP),
        num(TOP + ph),
        num(LEFT + pw),
        num(LEFT + pw / 2.0),
        num(H - 6.0),
        num(TOP + ph / 2.0),
    );
    for l in lines {
        let pts: Vec<String> = l
            .points
            .iter()
            .filter(finite)
            .map(|p| format!("{},{}", num(x(p.0)), num(y(p.1))))
            .collect();
        let Some(first) = l.points.iter().find(finite) else {
            continue;
        };
        let _ = write!(
            svg,
            "<g class=\"runner\"><title>{}</title>\
             <polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"{}\"/>\
             <circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{c}\"/></g>",
            escape(&l.label),
            pts.join(" "),
            num(x(first.0)),
            num(y(first.1)),
            c = l.colour,
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_never_zero() {
        assert_eq!(step(10.0, 5.0), 2.0);
        assert_eq!(step(3.2, 6.0), 1.0);
        assert_eq!(step(0.0, 5.0), 1.0);
        assert_eq!(step(f64::NAN, 5.0), 1.0);
        assert_eq!(step(f64::INFINITY, 5.0), 1.0);
        assert_eq!(step(1234.0, 4.0), 500.0);
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(2.26), "2.3");
    }

    #[test]
    fn degenerate_lines_draw_finite_numbers_or_nothing() {
        let line = |points| Line {
            label: "<m>".into(),
            colour: PALETTE[0],
            points,
        };
        assert!(chart(&[]).is_none());
        assert!(chart(&[line(vec![(f64::NAN, 1.0)])]).is_none());
        let svg = chart(&[line(vec![(0.0, 0.0)]), line(vec![(0.0, 0.0), (0.0, 0.0)])]).unwrap();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains("<title>&lt;m&gt;</title>"));
    }
}
