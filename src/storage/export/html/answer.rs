//! One answer as a card: its model (or pane letter), badges, reasoning, rendered text, error
//! and the figures underneath.

use std::fmt::Write;

use super::super::mask::Mask;
use super::code::Palette;
use super::{escape, markdown, svg};
use crate::storage::session::{RoundRecord, SavedAnswer};
use crate::storage::votes::Verdict;

/// The facts line: the shared rule's figures, numbers in bold.
fn facts(a: &SavedAnswer, mask: &Mask) -> String {
    let items: Vec<String> = super::super::facts::facts(a, mask)
        .iter()
        .map(|f| {
            f.parts()
                .map(|(t, number)| {
                    if number {
                        format!("<b>{}</b>", escape(t))
                    } else {
                        escape(t)
                    }
                })
                .collect()
        })
        .collect();
    format!(
        "<ul class=\"facts\"><li>{}</li></ul>",
        items.join("</li><li>")
    )
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
    // Hidden, the stream's notices stay out as on screen: they quote context sizes and
    // servers, which name models in ways no mask can catch.
    if !mask.hides() {
        for note in &a.notes {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
        }
    }
    let _ = writeln!(out, "{}\n</article>", facts(a, mask));
}
