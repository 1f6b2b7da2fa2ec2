//! Tests of `judge`: the prompt, both orders, strict parsing.

use super::*;

fn models() -> Vec<String> {
    vec!["v/alpha".into(), "v/beta".into(), "v/gamma".into()]
}

#[test]
fn the_judge_reads_anonymised_answers_in_both_orders() {
    let judge = JudgeConfig::new("j/judge", None).unwrap();
    let [shown, reversed] = orders(3);
    assert_eq!(
        (shown.clone(), reversed.clone()),
        (vec![0, 1, 2], vec![2, 1, 0])
    );
    let answers = ["first text", "", "third text"];
    let r1 = request(&judge, "Which?", &answers, &shown);
    let r2 = request(&judge, "Which?", &answers, &reversed);
    let body1 = &r1.messages[0].content;
    let body2 = &r2.messages[0].content;
    assert!(body1.contains("[Answer 1]\nfirst text"), "{body1}");
    assert!(body1.contains("[Answer 2]\n(no answer)"), "{body1}");
    assert!(body2.contains("[Answer 1]\nthird text"), "{body2}");
    assert!(body1.contains("[Prompt]\nWhich?"));
    for m in models() {
        assert!(!body1.contains(&m) && !body2.contains(&m), "anonymised");
    }
    let schema = &r1.format.as_ref().unwrap().schema;
    assert_eq!(
        schema["properties"]["winner"]["enum"],
        serde_json::json!(["1", "2", "3", "tie"])
    );
    assert_eq!(r1.model, "j/judge");
    assert!(JudgeConfig::new("j", Some("no fields".into())).is_err());
    assert!(JudgeConfig::new(" ", None).is_err());
}

#[test]
fn replies_parse_strictly() {
    assert_eq!(
        parse(r#"{"winner": "2", "reason": "clearer"}"#, 3),
        Ok((Some(1), "clearer".into()))
    );
    assert_eq!(
        parse(
            "```json\n{\"winner\": \"tie\", \"reason\": \"same\"}\n```",
            2
        ),
        Ok((None, "same".into()))
    );
    for bad in [
        "Answer 1 is better.",
        r#"{"winner": "4", "reason": "x"}"#,
        r#"{"winner": "0", "reason": "x"}"#,
        r#"{"winner": 1, "reason": "x"}"#,
        r#"{"winner": "1"}"#,
        r#"{"winner": "1", "reason": "x", "confidence": 3}"#,
        r#"I think {"winner": "1", "reason": "x"}"#,
        "",
    ] {
        assert!(parse(bad, 3).is_err(), "{bad}");
    }
}

#[test]
fn readings_name_models_and_combine() {
    let m = models();
    let [shown, reversed] = orders(3);
    // A judge that always picks the first answer it reads: the two readings disagree.
    let a = reading(r#"{"winner":"1","reason":"first"}"#, &m, &shown);
    let b = reading(r#"{"winner":"1","reason":"first"}"#, &m, &reversed);
    assert_eq!(a.pick.as_deref(), Some("v/alpha"));
    assert_eq!(b.pick.as_deref(), Some("v/gamma"));
    let j = judgement("j/judge", &m, vec![a, b], 5);
    assert_eq!((j.verdict, j.best.clone()), (Verdict::Tie, None));
    // A consistent judge: position 2 of 3 is the same answer both ways.
    let a = reading(r#"{"winner":"2","reason":"r"}"#, &m, &shown);
    let b = reading(r#"{"winner":"2","reason":"r"}"#, &m, &reversed);
    let j = judgement("j/judge", &m, vec![a, b], 5);
    assert_eq!(
        (j.verdict, j.best.as_deref()),
        (Verdict::Best, Some("v/beta"))
    );
    let broken = reading("Beta wins, clearly.", &m, &shown);
    assert_eq!(broken.verdict, Verdict::Unparseable);
    assert!(
        broken.reason.contains("Beta wins, clearly."),
        "{}",
        broken.reason
    );
}
