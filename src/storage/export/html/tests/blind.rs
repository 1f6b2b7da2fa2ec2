//! A blind round nobody voted on keeps its models hidden in both exports, as on screen.

use serde_json::json;

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

fn blind_session(vote: bool) -> Session {
    let mut a = answer(
        0,
        "vendor/secret-alpha",
        "As Secret-Alpha (served by AlphaCloud), I say ALPHA.",
    );
    a["provider"] = json!("AlphaCloud");
    a["served_model"] = json!("vendor/secret-alpha-0409");
    a["reasoning"] = json!("secret-alpha thinks");
    let mut b = answer(1, "other/hidden-beta:free", "hidden-beta answers BRAVO.");
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
    session("A blind one", vec![r])
}

#[test]
fn a_blind_unvoted_round_names_no_model_anywhere_in_the_html() {
    let page = super::super::html(&blind_session(false));
    let lower = page.to_lowercase();
    for secret in SECRETS {
        assert!(!lower.contains(&secret.to_lowercase()), "{secret} leaks");
    }
    let text = super::visible(&scraper::Html::parse_document(&page));
    for shown in [
        "Model A",
        "Model B",
        "As A (served by A), I say ALPHA.",
        "B answers BRAVO.",
        "B: B is overloaded",
        "picks Model A",
        "reading 1: best: Model A, read as Model A, Model B — A is clearer than B",
        "cost hidden until the vote",
        "140 tok/s",
        "blind: models hidden until the vote",
    ] {
        assert!(text.contains(shown), "{shown:?} missing");
    }
    // The total still counts what the round cost.
    assert!(page.contains("$0.0024"));
    super::inert::assert_inert(&page);
}

#[test]
fn a_voted_blind_round_shows_who_was_who() {
    let page = super::super::html(&blind_session(true));
    for shown in [
        "vendor/secret-alpha",
        "AlphaCloud",
        "answered by vendor/secret-alpha-0409",
        "$0.0012",
        "Your vote: ★ vendor/secret-alpha is the best (a blind vote)",
    ] {
        assert!(page.contains(shown), "{shown:?} missing");
    }
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
    let md = crate::storage::export::markdown(&blind_session(true));
    assert!(md.contains("### vendor/secret-alpha (answered by vendor/secret-alpha-0409)"));
}
