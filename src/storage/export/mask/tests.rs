//! Masking a hidden round's names: every form of a model's name as a whole word, providers
//! in their own spelling, and never inside code.

use serde_json::json;

use super::*;

fn round(blind: bool, voted: bool) -> RoundRecord {
    let text = format!(
        r#"{{"id": 0, "prompt": "p", "created_ms": 0,
          {} {}
          "answers": [
            {{"slot": 0, "model": "vendor/alpha-large:free", "provider": "AlphaCloud",
              "status": "complete", "text": "I am Alpha-Large from AlphaCloud."}},
            {{"slot": 1, "model": "ollama:beta3", "served_model": "beta3-q4",
              "status": "complete", "text": "beta3 here (beta3-q4 really)"}}]}}"#,
        if blind {
            r#""blind": {"seed": 1},"#
        } else {
            ""
        },
        if voted {
            r#""vote": {"verdict": "tie", "models": [], "blind": true, "at_ms": 0},"#
        } else {
            ""
        }
    );
    serde_json::from_str(&text).unwrap()
}

/// A hidden round of `(model, provider)` panes, slot by slot.
fn hidden_round(panes: &[(&str, Option<&str>)]) -> RoundRecord {
    let answers: Vec<_> = panes
        .iter()
        .enumerate()
        .map(|(slot, (model, provider))| {
            json!({"slot": slot, "model": model, "provider": provider, "status": "complete"})
        })
        .collect();
    serde_json::from_value(json!({"id": 0, "prompt": "p", "created_ms": 0,
        "blind": {"seed": 1}, "answers": answers}))
    .unwrap()
}

#[test]
fn a_hidden_round_names_panes_by_letter_and_redacts_every_form_of_a_name() {
    let r = round(true, false);
    let m = Mask::of(&r);
    assert!(m.hides());
    assert_eq!(m.name(&r.answers[1]), "Model B");
    assert_eq!(m.model("vendor/alpha-large:free"), "Model A");
    assert_eq!(m.text(&r.answers[0].text), "I am A from A.");
    assert_eq!(m.text(&r.answers[1].text), "B here (B really)");
    assert_eq!(m.text("vendor/alpha-large and alpha-large"), "A and A");
    assert_eq!(m.plain("OLLAMA:BETA3 (alpha-large)"), "B (A)");
}

#[test]
fn a_voted_or_sighted_round_shows_everything() {
    for r in [round(true, true), round(false, false)] {
        let m = Mask::of(&r);
        assert!(!m.hides());
        assert_eq!(m.name(&r.answers[0]), "vendor/alpha-large:free");
        assert_eq!(m.text(&r.answers[0].text), r.answers[0].text);
    }
}

#[test]
fn code_is_left_alone_and_providers_are_masked_only_as_spelled() {
    let m = Mask::of(&hidden_round(&[
        ("vendor/alpha-large", Some("Lambda")),
        ("other/beta", Some("Together")),
    ]));
    let text = "Lambda serves this:\n\n```python\nf = lambda x: x + 1\nm = \"vendor/alpha-large\"\n```\n\n\
                Call `Lambda()` or `vendor/alpha-large`; a lambda is a small function.\n\n    \
                indented = Lambda\n\nPut it together, Together.\n";
    assert_eq!(
        m.text(text),
        "A serves this:\n\n```python\nf = lambda x: x + 1\nm = \"vendor/alpha-large\"\n```\n\n\
         Call `Lambda()` or `vendor/alpha-large`; a lambda is a small function.\n\n    \
         indented = Lambda\n\nPut it together, B.\n"
    );
    // An error or a judge's reason is not markdown: there, backticks hide nothing.
    assert_eq!(
        m.plain("`vendor/alpha-large` via Lambda: lambda"),
        "`A` via A: lambda"
    );
}

#[test]
fn names_match_whole_words_and_the_longest_wins() {
    let m = Mask::of(&hidden_round(&[
        ("openai/gpt-4o", None),
        ("openai/gpt-4o-mini", None),
        ("anthropic/claude-3.5-sonnet", Some("Anthropic")),
    ]));
    assert_eq!(
        m.text("gpt-4o-mini, GPT-4o and openai/gpt-4o-mini."),
        "B, A and B."
    );
    assert_eq!(
        m.text("not gpt-4o2, xgpt-4o, gpt-4o_x, gpt-4o.1 or my-gpt-4o"),
        "not gpt-4o2, xgpt-4o, gpt-4o_x, gpt-4o.1 or my-gpt-4o"
    );
    assert_eq!(
        m.text("I'm claude-3.5-sonnet (anthropic/claude-3.5-sonnet) by Anthropic."),
        "I'm C (C) by C."
    );
    // Alone in its round, `gpt-4o` leaves a longer id whole rather than half-masked.
    let alone = Mask::of(&hidden_round(&[("openai/gpt-4o", None)]));
    assert_eq!(alone.text("gpt-4o-mini is not me"), "gpt-4o-mini is not me");
}

#[test]
fn text_around_names_survives_byte_for_byte() {
    let m = Mask::of(&hidden_round(&[("vendor/alpha", None)]));
    assert_eq!(m.text("é alpha ü `alpha` ✓alpha✓"), "é A ü `alpha` ✓A✓");
    assert_eq!(m.text(""), "");
    assert_eq!(m.text("`"), "`");
}
