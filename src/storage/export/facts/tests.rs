//! The one facts rule: everything in a sighted round, only what the footer shows in a
//! hidden one.

use serde_json::json;

use super::*;
use crate::storage::session::RoundRecord;

fn round(blind: bool) -> RoundRecord {
    let mut r = json!({"id": 0, "prompt": "p", "created_ms": 0, "answers": [
        {"slot": 0, "model": "vendor/alpha", "provider": "AlphaCloud", "status": "complete",
         "usage": {"prompt_tokens": 11, "completion_tokens": 310, "reasoning_tokens": 40,
                   "cached_tokens": 0},
         "cost": {"usd": "0.0003", "source": "estimated"},
         "ttft_ms": 250, "tokens_per_s": 140.1, "left_out": 2}]});
    if blind {
        r["blind"] = json!({"seed": 1});
    }
    serde_json::from_value(r).unwrap()
}

fn plain(r: &RoundRecord) -> Vec<String> {
    facts(&r.answers[0], &Mask::of(r))
        .iter()
        .map(Fact::plain)
        .collect()
}

#[test]
fn a_sighted_round_shows_every_figure() {
    assert_eq!(
        plain(&round(false)),
        [
            "complete",
            "TTFT 0.25 s",
            "140 tok/s",
            "11 in · 310 out tokens",
            "40 reasoning",
            "~$0.0003 (estimated)",
            "provider AlphaCloud",
            "2 rounds of history left out to fit",
        ]
    );
}

#[test]
fn a_hidden_round_shows_only_what_the_footer_shows_while_hidden() {
    assert_eq!(
        plain(&round(true)),
        ["complete", "TTFT 0.25 s", "140 tok/s", "310 out tokens"]
    );
}

#[test]
fn numbers_are_marked_for_the_html_to_set_in_bold() {
    let r = round(false);
    let f = facts(&r.answers[0], &Mask::of(&r));
    let tokens: Vec<(&str, bool)> = f[3].parts().collect();
    assert_eq!(
        tokens,
        [
            ("11", true),
            (" in · ", false),
            ("310", true),
            (" out tokens", false)
        ]
    );
}
