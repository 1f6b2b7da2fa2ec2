//! A session as one self-contained HTML page: inline CSS, no script, nothing fetched. Each
//! round's prompt, its answers side by side with their speed and cost, the winner marked, the
//! judges' verdicts and a race chart. Everything from a session file is untrusted text.

mod answer;
mod code;
mod markdown;
mod svg;
#[cfg(test)]
mod tests;

use std::fmt::Write;
use std::time::Duration;

use super::facts::{cost_text, finite, hidden_notice};
use super::mask::Mask;
use super::{branch_of, named_rounds};
use crate::storage::session::{RoundRecord, SavedAnswer, Session};
use crate::storage::votes::Verdict;
use crate::textfmt::{count, format_time};

/// `s` as HTML text or attribute value: every character that could end either is escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = include_str!("html/style.css");

/// The page refuses, on its own, anything but its inline style: a second lock on top of the
/// escaping, should some markup ever get through.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The whole page.
pub fn html(s: &Session) -> String {
    // The body first: the stylesheet holds only the code colours it used.
    let mut palette = code::Palette::default();
    let mut body = String::with_capacity(32 * 1024);
    for i in 0..s.rounds.len() {
        round(&mut body, s, i, &mut palette);
    }
    let mut out = String::with_capacity(body.len() + 16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"switchboard {}\">\n<title>{}</title>\n\
         <style>\n{STYLE}{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n\
         <p class=\"meta\">{} · {} · total <strong class=\"total\">{}</strong> · session <code>{}</code></p>\n</header>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&s.title),
        palette.css(),
        escape(&s.title),
        escape(&format_time(s.created_ms)),
        count(s.rounds.len() as u64, "round"),
        escape(&s.spent().display()),
        escape(&s.id),
    );
    out.push_str(&body);
    out.push_str(
        "<footer>Exported from switchboard. This page is self-contained: it loads nothing \
         from the network and runs no script; links in answers open only if you follow them.\
         </footer>\n</body>\n</html>\n",
    );
    out
}

/// A file sent with the prompt: a text file folded under its name, an image shown from its
/// bytes (a `data:` URL: the page loads nothing), or a line saying its blob is missing.
fn attachment(out: &mut String, f: &crate::chat::attach::Attachment) {
    let name = escape(&f.name);
    let size = crate::textfmt::bytes(f.bytes);
    if let Some(text) = f.text() {
        let _ = writeln!(
            out,
            "<details class=\"attachment\"><summary>{name} · {size}</summary><pre>{}</pre></details>",
            escape(text)
        );
    } else if let Some(url) = f.data_url() {
        let _ = writeln!(
            out,
            "<figure class=\"attachment\"><img src=\"{}\" alt=\"{name}\"><figcaption>{name} · {size}</figcaption></figure>",
            escape(&url)
        );
    } else {
        let _ = writeln!(
            out,
            "<p class=\"attachment\">{name} · {size}: its blob is not in the blob folder</p>"
        );
    }
}

fn round(out: &mut String, s: &Session, i: usize, palette: &mut code::Palette) {
    let r = &s.rounds[i];
    let mask = Mask::of(r);
    let _ = write!(
        out,
        "<section class=\"round\" id=\"round-{n}\">\n<h2>Round {n} <span class=\"when\">{}</span>",
        escape(&format_time(r.created_ms)),
        n = i + 1
    );
    if r.blind.is_some() {
        let tag = if mask.hides() {
            "blind: models hidden until the vote"
        } else {
            "blind"
        };
        let _ = write!(out, " <span class=\"tag\">{tag}</span>");
    }
    out.push_str("</h2>\n");
    if mask.hides() {
        let _ = writeln!(
            out,
            "<p class=\"hidden-note\">{}</p>",
            escape(&hidden_notice(named_rounds(s)))
        );
    }
    if let Some(p) = branch_of(s, i) {
        let _ = writeln!(
            out,
            "<p class=\"branch\">A branch: edited prompt, following <a href=\"#round-{p}\">round {p}</a>.</p>"
        );
    }
    if let Some(system) = &r.system {
        let _ = writeln!(
            out,
            "<div class=\"system\"><span class=\"label\">System</span>{}</div>",
            escape(system)
        );
    }
    let _ = writeln!(
        out,
        "<div class=\"prompt\"><span class=\"label\">Prompt</span>{}</div>",
        escape(&r.prompt)
    );
    for f in &r.attachments {
        attachment(out, f);
    }
    vote(out, r);
    let mut shown: Vec<&SavedAnswer> = r.answers.iter().filter(|a| !a.archived).collect();
    shown.sort_by_key(|a| a.slot);
    out.push_str("<div class=\"answers\">\n");
    for a in &shown {
        answer::card(out, r, a, &mask, palette);
    }
    out.push_str("</div>\n");
    let earlier: Vec<&SavedAnswer> = r.answers.iter().filter(|a| a.archived).collect();
    if !earlier.is_empty() {
        let _ = write!(
            out,
            "<details class=\"earlier\"><summary>{} (replaced by a retry or a branch; counted in the total)</summary>\n<div class=\"answers\">\n",
            count(earlier.len() as u64, "earlier attempt")
        );
        for a in earlier {
            answer::card(out, r, a, &mask, palette);
        }
        out.push_str("</div>\n</details>\n");
    }
    race(out, i + 1, &shown, &mask);
    judges(out, r, &mask);
    out.push_str("</section>\n");
}

fn vote(out: &mut String, r: &RoundRecord) {
    let Some(v) = &r.vote else { return };
    let what = match (v.verdict, &v.best) {
        (Verdict::Best, Some(best)) => format!("★ {} is the best", escape(best)),
        (Verdict::Tie, _) => "a tie".into(),
        (Verdict::AllBad, _) => "all bad".into(),
        (other, _) => other.name().into(),
    };
    let kind = if v.blind {
        "a blind vote"
    } else {
        "a sighted vote"
    };
    let _ = writeln!(out, "<p class=\"vote\">Your vote: {what} ({kind})</p>");
}

/// Why an answer has no line in the race, as the app's chart decides: none before a first
/// token, and none from a file saved before timings were recorded (its tokens have no
/// seconds to be placed in; a line flat at zero would say none came).
fn no_line(a: &SavedAnswer) -> Option<String> {
    if a.ttft_ms.is_none() {
        return Some(format!("{}, no first token", a.status.label()));
    }
    a.tokens_by_second
        .is_empty()
        .then(|| "no timings saved".to_string())
}

/// The race of the answers shown side by side, when any of them recorded its timeline.
fn race(out: &mut String, n: usize, shown: &[&SavedAnswer], mask: &Mask) {
    if shown.is_empty() {
        return;
    }
    if mask.hides() {
        // Each line's start, slope and end are a model's signature, and no other figure on
        // the page gives them away: they wait for the vote like the names.
        out.push_str("<p class=\"note\">No race chart until the vote: its lines would tell the models apart.</p>\n");
        return;
    }
    let lines: Vec<svg::Line> = shown
        .iter()
        .filter(|a| no_line(a).is_none())
        .map(|a| {
            let ttft = Duration::from_millis(a.ttft_ms.unwrap_or(0));
            // An interrupted answer (saved while streaming, or cut off) ends where its
            // timeline does.
            let seconds = a.tokens_by_second.len() as u64 * 1000;
            let end = Duration::from_millis(a.duration_ms.unwrap_or(seconds));
            svg::Line {
                label: mask.name(a),
                colour: svg::PALETTE[a.slot % svg::PALETTE.len()],
                points: crate::chat::timeline::race_points(&a.tokens_by_second, ttft, end),
            }
        })
        .collect();
    let Some(chart) = svg::chart(&lines) else {
        let why = if shown.iter().any(|a| a.ttft_ms.is_some()) {
            "these answers were saved before switchboard recorded when their tokens arrived"
        } else {
            "no answer got as far as its first token"
        };
        let _ = writeln!(out, "<p class=\"note\">No race chart: {why}.</p>");
        return;
    };
    let _ = write!(
        out,
        "<figure class=\"race\" id=\"round-{n}-race\"><figcaption>The race: tokens received, seconds after the request (● first token)</figcaption>\n{chart}\n<ul class=\"legend\">"
    );
    for a in shown {
        let how = no_line(a).unwrap_or_else(|| {
            a.tokens_per_s
                .and_then(|t| finite(t, 0))
                .map_or_else(|| "speed unknown".into(), |t| format!("{t} tok/s"))
        });
        let mut said = vec![mask.name(a), how];
        said.extend(cost_text(a, mask));
        let _ = write!(
            out,
            "<li style=\"--runner:{}\"><span class=\"swatch\"></span>{}</li>",
            svg::PALETTE[a.slot % svg::PALETTE.len()],
            escape(&said.join(" · "))
        );
    }
    out.push_str("</ul></figure>\n");
}

/// The judges' verdicts, short: the pick (or tie), then each reading as the verdict overlay
/// shows it (what it said, the order it read the answers in, its reason).
fn judges(out: &mut String, r: &RoundRecord, mask: &Mask) {
    if r.judgements.is_empty() {
        return;
    }
    let said = |v: Verdict, best: &Option<String>, win: &str| match (v, best) {
        (Verdict::Best, Some(best)) => format!("{win} {}", escape(&mask.model(best))),
        (v, _) => escape(v.name()),
    };
    out.push_str("<ul class=\"judges\">\n");
    for j in &r.judgements {
        let _ = write!(
            out,
            "<li>Judge <b>{}</b>: {}<ul>",
            escape(&mask.plain(&j.judge)),
            said(j.verdict, &j.best, "picks")
        );
        for (n, run) in j.runs.iter().enumerate() {
            let order: Vec<String> = run.order.iter().map(|m| escape(&mask.model(m))).collect();
            let mut why = String::new();
            if !run.reason.trim().is_empty() {
                why = format!(
                    " <span class=\"why\">— {}</span>",
                    escape(&short(&mask.plain(&run.reason), 240))
                );
            }
            let _ = write!(
                out,
                "<li>reading {}: {}, read as {}{why}</li>",
                n + 1,
                said(run.verdict, &run.pick, "best:"),
                order.join(", ")
            );
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n");
}

/// At most `max` characters of `text`, ending in `…` when cut.
fn short(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
