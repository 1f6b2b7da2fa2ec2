//! A blind round nobody voted on keeps its models hidden in both exports, as on screen.

use serde_json::{Value, json};

use super::{answer, round, session};
use crate::storage::session::Session;

/// Everything that would tell who is who, in the case the file writes it.
const SECRETS: [&str; 6] = [
    "vendor/secret-alpha",
    "secret-alpha",
    "hidden-beta",
    "AlphaCloud",
    "BetaHost",
    "0.0012",
];

fn blind_round(vote: bool) -> Value {
    let mut a = answer(
        0,
        "vendor/secret-alpha",
        "As Secret-Alpha (served by AlphaCloud), I say ALPHA.",
    );
    a["provider"] = json!("AlphaCloud");
    a["served_model"] = json!("vendor/secret-alpha-0409");
    a["reasoning"] = json!("secret-alpha thinks");
    // What a tokenizer or a context window says of a model: a family.
    a["usage"]["prompt_tokens"] = json!(11);
    a["usage"]["reasoning_tokens"] = json!(40);
    a["left_out"] = json!(2);
    a["notes"] = json!(["~9,000 tokens are over the 8,192 context"]);
    let mut b = answer(1, "other/hidden-beta:free", "hidden-beta answers BRAVO.");
    b["usage"]["prompt_tokens"] = json!(17);
    b["provider"] = json!("BetaHost");
    b["error"] = json!("BetaHost: other/hidden-beta:free is overloaded");
    let mut r = round(0, None, "Which is best?", vec![a, b]);
    r["blind"] = json!({"seed": 42});
    r["judgements"] = json!([{"judge": "sim/judge-fair", "verdict": "best",
        "best": "vendor/secret-alpha", "models": ["vendor/secret-alpha", "other/hidden-beta:free"],
        "at_ms": 0, "runs": [{"order": ["vendor/secret-alpha", "other/hidden-beta:free"],
        "verdict": "best", "pick": "vendor/secret-alpha",
        "reason": "secret-alpha is clearer than hidden-beta", "status": "complete", "answered": true}]}]);
    if vote {
        r["vote"] = json!({"verdict": "best", "best": "vendor/secret-alpha",
            "models": ["vendor/secret-alpha", "other/hidden-beta:free"], "blind": true, "at_ms": 3});
    }
    r
}

fn blind_session(vote: bool) -> Session {
    session("A blind one", vec![blind_round(vote)])
}

#[test]
fn a_blind_unvoted_round_names_no_model_anywhere_in_the_html() {
    let page = super::super::html(&blind_session(false));
    let lower = page.to_lowercase();
    for secret in SECRETS {
        assert!(!lower.contains(&secret.to_lowercase()), "{secret} leaks");
    }
    let doc = scraper::Html::parse_document(&page);
    let text = super::visible(&doc);
    for shown in [
        "Model A",
        "Model B",
        "As A (served by A), I say ALPHA.",
        "B answers BRAVO.",
        "B: B is overloaded",
        "picks Model A",
        "reading 1: best: Model A, read as Model A, Model B — A is clearer than B",
        "140 tok/s",
        "TTFT 0.25 s",
        "310 out tokens",
        "blind: models hidden until the vote",
        "can still tell the models apart.",
        "No race chart until the vote",
    ] {
        assert!(text.contains(shown), "{shown:?} missing");
    }
    let facts: String = doc
        .select(&super::sel("ul.facts"))
        .map(super::all_text)
        .collect();
    for hidden in [
        "11 in",
        "17 in",
        "reasoning",
        "left out",
        "cost",
        "provider",
    ] {
        assert!(!facts.contains(hidden), "{hidden:?} in {facts:?}");
    }
    assert!(!text.contains("beside the other rounds"), "no other round");
    assert!(!text.contains("8,192"), "a server's notice names a context");
    assert_eq!(doc.select(&super::sel("svg")).count(), 0, "no race chart");
    // The total still counts what the round cost.
    assert!(page.contains("$0.0024"));
    super::inert::assert_inert(&page);
}

#[test]
fn a_voted_blind_round_shows_who_was_who() {
    let page = super::super::html(&blind_session(true));
    let doc = scraper::Html::parse_document(&page);
    let text = super::visible(&doc);
    for shown in [
        "vendor/secret-alpha",
        "AlphaCloud",
        "answered by vendor/secret-alpha-0409",
        "$0.0012",
        "Your vote: ★ vendor/secret-alpha is the best (a blind vote)",
        "11 in · 310 out tokens",
        "40 reasoning",
        "2 rounds of history left out to fit",
        "the 8,192 context",
    ] {
        assert!(text.contains(shown), "{shown:?} missing");
    }
    assert_eq!(doc.select(&super::sel(".hidden-note")).count(), 0);
    assert_eq!(doc.select(&super::sel("svg.race")).count(), 1);
}

#[test]
fn a_hidden_round_after_named_ones_warns_that_its_figures_compare() {
    let named = round(
        0,
        None,
        "First, sighted",
        vec![answer(0, "vendor/secret-alpha", "x")],
    );
    let mut hidden = blind_round(false);
    hidden["id"] = json!(1);
    hidden["parent"] = json!(0);
    let s = session("Named, then blind", vec![named, hidden]);
    let doc = scraper::Html::parse_document(&super::super::html(&s));
    let notes: Vec<String> = doc
        .select(&super::sel("section.round"))
        .map(|r| {
            r.select(&super::sel(".hidden-note"))
                .map(super::all_text)
                .collect()
        })
        .collect();
    assert_eq!(notes[0], "", "the named round has no notice");
    assert!(
        notes[1].starts_with("A blind round, not voted on yet")
            && notes[1].ends_with("beside the other rounds on this page, which name their models."),
        "{notes:?}"
    );
    let md = crate::storage::export::markdown(&s);
    let hidden_part = &md[md.find("## Round 2").unwrap()..];
    assert!(
        hidden_part.starts_with("## Round 2\n\n_A blind round, not voted on yet")
            && hidden_part.contains("which name their models._"),
        "{md}"
    );
}

#[test]
fn the_markdown_export_hides_the_same() {
    let md = crate::storage::export::markdown(&blind_session(false));
    let lower = md.to_lowercase();
    for secret in SECRETS {
        assert!(
            !lower.contains(&secret.to_lowercase()),
            "{secret} leaks:\n{md}"
        );
    }
    assert!(
        md.contains("### Model A\n") && md.contains("### Model B\n"),
        "{md}"
    );
    assert!(md.contains("B: B is overloaded"), "{md}");
    assert!(
        md.contains("_complete · TTFT 0.25 s · 140 tok/s · 310 out tokens_"),
        "{md}"
    );
    for hidden in [
        "11 in",
        "17 in",
        "reasoning",
        "left out",
        "cost",
        "beside the other",
    ] {
        assert!(!md.contains(hidden), "{hidden:?} in:\n{md}");
    }
    let md = crate::storage::export::markdown(&blind_session(true));
    assert!(md.contains("### vendor/secret-alpha (answered by vendor/secret-alpha-0409)"));
}
