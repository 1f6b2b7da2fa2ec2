//! One answer as a card: its model (or pane letter), badges, reasoning, rendered text, error
//! and the figures underneath.

use std::fmt::Write;

use super::super::cost_text;
use super::super::mask::Mask;
use super::code::Palette;
use super::{escape, markdown, svg};
use crate::storage::session::{RoundRecord, SavedAnswer};
use crate::storage::votes::Verdict;
use crate::textfmt::count;

/// `x` with `digits` decimals, or `None` for what is not a number.
pub(super) fn finite(x: f64, digits: usize) -> Option<String> {
    x.is_finite().then(|| format!("{x:.digits$}"))
}

fn facts(a: &SavedAnswer, mask: &Mask) -> Vec<String> {
    let mut f = vec![format!("<b>{}</b>", a.status.label())];
    if let Some(t) = a.ttft_ms {
        f.push(format!("TTFT <b>{:.2} s</b>", t as f64 / 1000.0));
    }
    if let Some(t) = a.tokens_per_s.and_then(|t| finite(t, 0)) {
        f.push(format!("<b>{t}</b> tok/s"));
    }
    if let Some(u) = &a.usage {
        f.push(format!(
            "<b>{}</b> in · <b>{}</b> out tokens",
            u.prompt_tokens, u.completion_tokens
        ));
        if u.reasoning_tokens > 0 {
            f.push(format!("{} reasoning", u.reasoning_tokens));
        }
    }
    f.push(format!(
        "<b class=\"cost\">{}</b>",
        escape(&cost_text(a, mask))
    ));
    if !mask.hides()
        && let Some(p) = &a.provider
    {
        f.push(format!("provider {}", escape(p)));
    }
    if a.left_out > 0 {
        f.push(format!(
            "{} of history left out to fit",
            count(a.left_out as u64, "round")
        ));
    }
    f
}

pub(super) fn card(
    out: &mut String,
    r: &RoundRecord,
    a: &SavedAnswer,
    mask: &Mask,
    palette: &mut Palette,
) {
    let adopted = r.is_adopted(a);
    let picked = !a.archived
        && r.vote
            .as_ref()
            .is_some_and(|v| v.verdict == Verdict::Best && v.best.as_deref() == Some(&a.model));
    let class = if adopted || picked {
        "answer winner"
    } else {
        "answer"
    };
    let _ = write!(
        out,
        "<article class=\"{class}\" style=\"--runner:{}\">\n<header><h3>{}</h3>",
        svg::PALETTE[a.slot % svg::PALETTE.len()],
        escape(&mask.name(a))
    );
    if picked {
        out.push_str("<span class=\"badge\">★ your pick</span>");
    }
    if adopted {
        out.push_str("<span class=\"badge\">★ adopted</span>");
    }
    out.push_str("</header>\n");
    if let Some(served) = a.served_model.as_ref().filter(|m| **m != a.model)
        && !mask.hides()
    {
        let _ = writeln!(
            out,
            "<p class=\"served\">answered by {}</p>",
            escape(served)
        );
    }
    if !a.reasoning.trim().is_empty() {
        let _ = writeln!(
            out,
            "<details class=\"reasoning\"><summary>Reasoning</summary>\n<div class=\"md\">{}</div></details>",
            markdown::to_html(&mask.text(&a.reasoning), palette)
        );
    }
    if a.text.trim().is_empty() {
        if a.error.is_none() {
            out.push_str("<p class=\"empty\">(no text)</p>\n");
        }
    } else {
        let _ = writeln!(
            out,
            "<div class=\"md\">\n{}</div>",
            markdown::to_html(&mask.text(&a.text), palette)
        );
    }
    if let Some(e) = &a.error {
        let _ = writeln!(
            out,
            "<p class=\"error\"><strong>Error:</strong> {}</p>",
            escape(&mask.plain(e))
        );
    }
    for note in &a.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&mask.plain(note)));
    }
    let _ = writeln!(
        out,
        "<ul class=\"facts\"><li>{}</li></ul>\n</article>",
        facts(a, mask).join("</li><li>")
    );
}
