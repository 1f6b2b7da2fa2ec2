//! Tests of `session`.

use super::*;
use crate::chat::{AnswerStatus, Usage};
use crate::cost::{Cost, Pricing};
use crate::cost::{CostSource, Usd};
use crate::storage::votes::Verdict;

pub fn full_session() -> Session {
    let usd = |s: &str| Usd::parse(s).unwrap();
    let answer = SavedAnswer {
        slot: 1,
        model: "a/model".into(),
        served_model: Some("a/model-2026".into()),
        provider: Some("Prov".into()),
        status: AnswerStatus::Error,
        text: "partial ```code``` 日本語".into(),
        reasoning: "because".into(),
        error: Some("provider error 502".into()),
        finish_reason: Some("error".into()),
        usage: Some(Usage {
            prompt_tokens: 11,
            completion_tokens: 22,
            reasoning_tokens: 3,
            cached_tokens: 4,
            cost: Some(usd("0.00333825")),
        }),
        cost: Some(Cost {
            usd: usd("0.00333825"),
            source: CostSource::Reported,
        }),
        pricing: Some(Pricing {
            prompt: usd("0.000003"),
            completion: usd("0.000015"),
            request: Some(usd("0.001")),
            input_cache_read: Some(usd("0.0000003")),
            internal_reasoning: Some(usd("0.00002")),
            from_catalog: Some(crate::cost::CatalogRef {
                catalog: "https://openrouter.ai/api/v1".into(),
                fetched_at: 1_764_741_600,
                id: "openai/gpt-4.1-mini".into(),
            }),
        }),
        ttft_ms: Some(250),
        duration_ms: Some(2000),
        tokens_per_s: Some(12.5),
        generation_id: Some("gen-1".into()),
        adopted: true,
        archived: false,
        adjusted: vec![crate::chat::Adjustment {
            param: "max_tokens".into(),
            renamed_to: Some("max_completion_tokens".into()),
            reason: "the server refused it".into(),
            changes_answer: false,
            remembered: false,
        }],
        notes: vec!["the answer never started".into()],
        think: Some(crate::chat::InlineThink {
            lead: "\n".into(),
            closed: true,
        }),
        left_out: 3,
        tokens_by_second: vec![0, 15, 7],
        not_sent: Vec::new(),
    };
    Session {
        batch: None,
        schema: SCHEMA,
        id: "20261127-164612-3f9a".into(),
        title: "A title".into(),
        created_ms: 1_795_805_172_000,
        updated_ms: 1_795_805_230_512,
        base_url: "http://127.0.0.1:1/api/v1".into(),
        models: vec!["x/y".into(), "a/model".into()],
        rounds: vec![
            RoundRecord {
                prompt_id: None,
                id: 0,
                parent: None,
                prompt: "first".into(),
                system: Some("be brief".into()),
                params: Params {
                    temperature: Some(0.5),
                    max_tokens: Some(100),
                    reasoning_effort: Some("low".into()),
                },
                created_ms: 1_795_805_172_100,
                winner: Some(1),
                answers: vec![answer.clone()],
                blind: Some(BlindRecord {
                    seed: 42,
                    revealed: false,
                }),
                vote: Some(VoteRecord {
                    verdict: Verdict::Best,
                    best: Some("a/model".into()),
                    models: vec!["x/y".into(), "a/model".into()],
                    blind: true,
                    at_ms: 1_795_805_173_000,
                }),
                judgements: Vec::new(),
                attachments: Vec::new(),
            },
            RoundRecord {
                prompt_id: None,
                id: 1,
                parent: Some(0),
                prompt: "second".into(),
                system: None,
                params: Params::default(),
                created_ms: 1_795_805_180_000,
                winner: None,
                answers: vec![SavedAnswer {
                    slot: 0,
                    status: AnswerStatus::Streaming,
                    ..answer
                }],
                blind: None,
                vote: None,
                judgements: Vec::new(),
                attachments: Vec::new(),
            },
        ],
    }
}

#[test]
fn every_field_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let s = full_session();
    save(dir.path(), &s).unwrap();
    let back = load(&path_of(dir.path(), &s.id)).unwrap();
    assert_eq!(back, s);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path_of(dir.path(), &s.id))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn the_schema_1_fixture_still_loads() {
    let text = include_str!("../../../tests/fixtures/sessions/v1.json");
    let s = parse(text).unwrap();
    assert_eq!(s.schema, SCHEMA);
    assert_eq!(s.rounds[0].parent, None);
    assert_eq!(
        s.rounds[1].parent,
        Some(0),
        "schema 1 rounds follow each other"
    );
    assert_eq!(s.rounds[1].winner, Some(0));
    assert_eq!(
        s.rounds[0].answers[0].cost.unwrap().usd.to_decimal(),
        "0.0000021"
    );
}

#[test]
fn schema_2_money_reads_digit_for_digit_and_saves_as_strings() {
    let text = include_str!("../../../tests/fixtures/sessions/v2.json");
    let s = parse(text).unwrap();
    assert_eq!(s.schema, SCHEMA);
    let a = &s.rounds[0].answers[0];
    assert_eq!(a.cost.unwrap().usd.to_decimal(), "1.000000000000000001");
    assert_eq!(
        a.usage.as_ref().unwrap().cost.unwrap().to_decimal(),
        "1.000000000000000001"
    );
    assert_eq!(a.pricing.as_ref().unwrap().prompt.to_decimal(), "0.0000001");
    assert_eq!(s.rounds[0].prompt, "cost: 1.5 \"usd\": 2");
    assert_eq!(s.rounds[0].params.temperature, Some(0.7));
    let saved = serde_json::to_string(&s).unwrap();
    assert!(saved.contains(r#""usd":"1.000000000000000001""#), "{saved}");
    assert_eq!(parse(&saved).unwrap(), s, "schema 3 reads back equal");
}

#[test]
fn schema_3_loads_without_votes_and_saves_as_schema_4() {
    let text = include_str!("../../../tests/fixtures/sessions/v3.json");
    let s = parse(text).unwrap();
    assert_eq!(s.schema, SCHEMA);
    assert_eq!(SCHEMA, 4);
    let r = &s.rounds[0];
    assert_eq!((r.blind, r.vote.clone()), (None, None));
    assert!(r.judgements.is_empty());
    assert!(
        r.is_adopted(&r.answers[1]),
        "a sighted adoption stays as it is"
    );
    assert_eq!(s.spent().total.to_decimal(), "0.00021");
    let saved = serde_json::to_string(&s).unwrap();
    assert!(saved.starts_with(r#"{"schema":4,"#), "{saved}");
    assert!(!saved.contains("\"vote\""), "no empty vote fields: {saved}");
    assert_eq!(parse(&saved).unwrap(), s);
}

#[test]
fn judges_count_in_what_a_session_spent() {
    let mut s = full_session();
    let before = s.spent();
    let run = crate::storage::votes::JudgeRun {
        order: vec!["x/y".into(), "a/model".into()],
        verdict: Verdict::Tie,
        pick: None,
        reason: "same".into(),
        status: AnswerStatus::Complete,
        answered: true,
        usage: None,
        cost: Some(Cost {
            usd: Usd::parse("0.000000000000000001").unwrap(),
            source: CostSource::Reported,
        }),
        generation_id: None,
    };
    s.rounds[0]
        .judgements
        .push(crate::storage::votes::Judgement {
            judge: "j/judge".into(),
            verdict: Verdict::Tie,
            best: None,
            models: vec!["x/y".into(), "a/model".into()],
            runs: vec![
                run.clone(),
                crate::storage::votes::JudgeRun { cost: None, ..run },
            ],
            at_ms: 0,
        });
    let after = s.spent();
    assert_eq!(
        after.total.atto() - before.total.atto(),
        1,
        "to the last attodollar"
    );
    assert_eq!(
        after.unpriced,
        before.unpriced + 1,
        "a reading without a price"
    );
}

#[test]
fn unreadable_files_say_why() {
    assert!(matches!(parse("{not json"), Err(LoadError::Corrupt(_))));
    assert!(matches!(
        parse(r#"{"schema": 2}"#),
        Err(LoadError::Corrupt(_))
    ));
    let newer = serde_json::to_string(&Session {
        schema: 99,
        ..full_session()
    })
    .unwrap();
    assert_eq!(parse(&newer), Err(LoadError::Newer(99)));
}

#[test]
fn broken_structure_is_corrupt_not_a_crash() {
    let mut s = full_session();
    s.rounds[1].parent = Some(1);
    assert!(
        matches!(parse(&serde_json::to_string(&s).unwrap()), Err(LoadError::Corrupt(m)) if m.contains("later round"))
    );
    let mut s = full_session();
    s.rounds[1].id = 7;
    assert!(matches!(
        parse(&serde_json::to_string(&s).unwrap()),
        Err(LoadError::Corrupt(_))
    ));
    let mut s = full_session();
    s.id = "../../etc/passwd".into();
    assert!(
        matches!(parse(&serde_json::to_string(&s).unwrap()), Err(LoadError::Corrupt(m)) if m.contains("bad id"))
    );
    let mut s = full_session();
    s.rounds[0].answers[0].slot = 99;
    assert!(parse(&serde_json::to_string(&s).unwrap()).is_err());
}

#[test]
fn a_copied_file_is_its_own_session() {
    let dir = tempfile::tempdir().unwrap();
    let s = full_session();
    save(dir.path(), &s).unwrap();
    std::fs::copy(
        path_of(dir.path(), &s.id),
        dir.path().join("backup-copy.json"),
    )
    .unwrap();
    assert_eq!(
        load(&dir.path().join("backup-copy.json")).unwrap().id,
        "backup-copy"
    );
}

#[test]
fn ids_sort_by_time_and_locks_exclude() {
    let dir = tempfile::tempdir().unwrap();
    let a = new_id(1_795_805_172_000, dir.path());
    assert!(a.starts_with("20261127-"), "{a}");
    assert_eq!(
        crate::textfmt::format_time(1_795_805_172_000),
        "2026-11-27 18:46"
    );
    let first = SessionLock::acquire(dir.path(), &a).unwrap();
    assert!(first.is_some());
    assert!(
        SessionLock::acquire(dir.path(), &a).unwrap().is_none(),
        "a second holder is refused"
    );
    drop(first);
    assert!(SessionLock::acquire(dir.path(), &a).unwrap().is_some());
}
