//! The HTML export, parsed back with a real HTML parser (scraper, html5ever): what a reader
//! sees, and that nothing in it can run, load or submit anything.

mod blind;
mod chart;
mod inert;

use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use crate::storage::session::{Session, parse};

pub(super) fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The text a reader sees: the body's text nodes (not the style, not the title).
pub(super) fn visible(doc: &Html) -> String {
    doc.select(&sel("body"))
        .next()
        .map(|b| b.text().collect::<String>())
        .unwrap_or_default()
}

pub(super) fn all_text(el: ElementRef) -> String {
    el.text().collect()
}

pub(super) fn answer(slot: usize, model: &str, text: &str) -> Value {
    json!({
        "slot": slot, "model": model, "status": "complete", "text": text,
        "usage": {"prompt_tokens": 14, "completion_tokens": 310, "reasoning_tokens": 0,
                  "cached_tokens": 0, "cost": "0.0012"},
        "cost": {"usd": "0.0012", "source": "reported"},
        "ttft_ms": 250, "duration_ms": 2460, "tokens_per_s": 140.1,
        "tokens_by_second": [0, 136, 140, 34]
    })
}

pub(super) fn round(id: u64, parent: Option<u64>, prompt: &str, answers: Vec<Value>) -> Value {
    json!({"id": id, "parent": parent, "prompt": prompt, "created_ms": 1_795_805_172_410u64,
           "answers": answers})
}

pub(super) fn session(title: &str, rounds: Vec<Value>) -> Session {
    let v = json!({"schema": 4, "id": "20261127-164612-3f9a", "title": title,
                   "created_ms": 1_795_805_172_000u64, "updated_ms": 1_795_805_230_512u64,
                   "base_url": "http://127.0.0.1:1/api/v1", "models": [], "rounds": rounds});
    parse(&v.to_string()).expect("a valid session")
}

/// A sighted session: two answers, one estimated, a reasoning, an error, a retry archived, a
/// vote, a judge, a branch.
fn ordinary() -> Session {
    let mut fast = answer(
        0,
        "sim/swift-mini",
        "# Quick\n\nALPHA answer with `code`.\n\n```rust\nfn main() { let x = 1 < 2; }\n```\n",
    );
    fast["provider"] = json!("SimCloud");
    fast["served_model"] = json!("sim/swift-mini-2025");
    let mut slow = answer(
        1,
        "sim/deep-thinker",
        "BRAVO answer:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    slow["reasoning"] = json!("REASONING goes *here*.");
    slow["cost"] = json!({"usd": "0.0003", "source": "estimated"});
    slow["adopted"] = json!(true);
    let mut old = answer(1, "sim/deep-thinker", "CHARLIE first attempt");
    old["archived"] = json!(true);
    old["status"] = json!("cancelled");
    let mut broken = answer(2, "sim/flaky", "DELTA partial");
    broken["status"] = json!("error");
    broken["error"] = json!("provider error 502: upstream died");
    let mut r0 = round(
        0,
        None,
        "Compare quicksort and mergesort",
        vec![fast, slow, old, broken],
    );
    r0["system"] = json!("Be brief.");
    r0["vote"] = json!({"verdict": "best", "best": "sim/swift-mini",
        "models": ["sim/swift-mini", "sim/deep-thinker", "sim/flaky"], "blind": false, "at_ms": 1});
    r0["judgements"] = json!([{"judge": "sim/judge-fair", "verdict": "best", "best": "sim/deep-thinker",
        "models": ["sim/swift-mini", "sim/deep-thinker"], "at_ms": 2, "runs": [
          {"order": ["sim/swift-mini", "sim/deep-thinker"], "verdict": "best", "pick": "sim/deep-thinker",
           "reason": "Longer and complete.", "status": "complete", "answered": true,
           "cost": {"usd": "0.00003", "source": "reported"}}]}]);
    let mut plain = answer(0, "sim/swift-mini", "ECHO from an older file");
    plain["tokens_by_second"] = json!([]);
    let r1 = round(1, Some(0), "And heapsort?", vec![plain]);
    let r2 = round(
        2,
        None,
        "Edited: compare bubble sort",
        vec![answer(0, "sim/swift-mini", "FOXTROT")],
    );
    let mut r2 = r2;
    r2["parent"] = Value::Null;
    let r3 = round(
        3,
        Some(0),
        "Edited follow-up",
        vec![answer(0, "sim/swift-mini", "GOLF")],
    );
    session("Sorting, compared", vec![r0, r1, r2, r3])
}

#[test]
fn every_answer_its_figures_and_the_session_total_are_there() {
    let s = ordinary();
    let page = super::html(&s);
    let doc = Html::parse_document(&page);
    let text = visible(&doc);
    for word in [
        "ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF",
    ] {
        assert!(text.contains(word), "{word} missing");
    }
    for fact in [
        "Sorting, compared",
        "20261127-164612-3f9a",
        "Compare quicksort and mergesort",
        "Be brief.",
        "TTFT 0.25 s",
        "140 tok/s",
        "14 in · 310 out tokens",
        "$0.0012",
        "~$0.0003 (estimated)",
        "answered by sim/swift-mini-2025",
        "provider SimCloud",
        "provider error 502: upstream died",
        "1 earlier attempt",
        "Your vote: ★ sim/swift-mini is the best (a sighted vote)",
        "Judge sim/judge-fair: picks sim/deep-thinker",
        "reading 1: best: sim/deep-thinker, read as sim/swift-mini, sim/deep-thinker — Longer and complete.",
    ] {
        assert!(text.contains(fact), "{fact:?} missing from:\n{text}");
    }
    let total = doc.select(&sel(".total")).next().map(all_text);
    assert_eq!(total.as_deref(), Some(s.spent().display().as_str()));
    assert!(s.spent().display().starts_with('~'), "the estimate shows");
    let th = doc.select(&sel(".table th")).count();
    assert_eq!(th, 2, "the table renders");
    let highlighted = doc.select(&sel("pre.sy-code span[class^=\"k\"]")).count();
    assert!(highlighted > 0, "rust code is highlighted");
    let heading = doc.select(&sel(".md h4")).map(all_text).collect::<Vec<_>>();
    assert_eq!(
        heading,
        vec!["Quick"],
        "answer headings sit under the answer's h3"
    );
}

#[test]
fn the_winners_are_marked_and_the_reasoning_folds() {
    let doc = Html::parse_document(&super::html(&ordinary()));
    let winners: Vec<String> = doc
        .select(&sel("#round-1 article.winner"))
        .map(|a| all_text(a.select(&sel("header")).next().unwrap()))
        .collect();
    assert_eq!(
        winners,
        vec!["sim/swift-mini★ your pick", "sim/deep-thinker★ adopted"]
    );
    let reasoning: Vec<String> = doc
        .select(&sel("details.reasoning"))
        .map(all_text)
        .collect();
    assert_eq!(reasoning.len(), 1);
    assert!(reasoning[0].starts_with("Reasoning") && reasoning[0].contains("REASONING goes here."));
    assert!(
        doc.select(&sel("details.reasoning em")).next().is_some(),
        "reasoning is markdown too"
    );
    let earlier = doc
        .select(&sel("details.earlier"))
        .map(all_text)
        .collect::<String>();
    assert!(earlier.contains("CHARLIE") && !earlier.contains("★"));
}

#[test]
fn a_branch_says_where_it_starts() {
    let doc = Html::parse_document(&super::html(&ordinary()));
    let notes: Vec<String> = doc
        .select(&sel(".branch"))
        .map(|p| {
            format!(
                "{} {}",
                p.parent()
                    .and_then(ElementRef::wrap)
                    .map_or("", |s| s.value().id().unwrap_or("")),
                all_text(p)
            )
        })
        .collect();
    assert_eq!(
        notes,
        vec!["round-4 A branch: edited prompt, following round 1."]
    );
}
