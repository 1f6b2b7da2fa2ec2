use super::*;
use crate::chat::AnswerStatus;
use crate::cost::Usd;

fn answer_line(session: &str, pid: &str, model: &str, status: &str) -> String {
    format!(
        "{{\"session\":\"{session}\",\"prompt_id\":\"{pid}\",\"prompt_index\":0,\"model\":\"{model}\",\"status\":\"{status}\",\"text\":\"hi\",\"reasoning\":\"\",\"usage\":{{\"prompt_tokens\":3,\"completion_tokens\":5,\"reasoning_tokens\":0,\"cached_tokens\":0}},\"cost_usd\":0.000000000000000001,\"cost_source\":\"reported\",\"ttft_ms\":12}}\n"
    )
}

#[test]
fn compact_keeps_each_completed_cell_once_and_drops_failed_and_torn_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.jsonl");
    let mut text = String::new();
    text.push_str(&answer_line("s1", "1", "a", "complete"));
    text.push_str(&answer_line("s1", "1", "b", "error"));
    text.push_str(&answer_line("s1", "1", "a", "complete"));
    text.push_str(&answer_line("s1", "2", "a", "complete"));
    text.push_str("{\"session\":\"s1\",\"prompt_id\":\"2\",\"mo"); // a kill mid-line
    std::fs::write(&path, &text).unwrap();
    assert_eq!(
        session_of(&path, ResultsFormat::Jsonl).unwrap().as_deref(),
        Some("s1")
    );
    let prev = compact(&path, ResultsFormat::Jsonl, &|pid| pid == "2").unwrap();
    assert!(prev.is_complete("1", "a") && prev.is_complete("2", "a"));
    assert!(!prev.is_complete("1", "b"));
    assert_eq!(prev.dropped, 3);
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after.lines().count(), 2);
    assert!(after.ends_with('\n'));
    // The carried answer comes back with its exact cost.
    let carried = &prev.carried["2"];
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0].text, "hi");
    assert_eq!(
        carried[0].cost.unwrap().usd,
        Usd::parse("0.000000000000000001").unwrap()
    );
}

#[test]
fn csv_lines_quote_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.csv");
    let mut a = crate::chat::Answer::new("m/x", 3);
    a.text = "a, \"quoted\"\nanswer".into();
    a.status = AnswerStatus::Complete;
    let priced = [crate::headless::report::Priced {
        answer: &a,
        pricing: None,
        local: false,
    }];
    let doc = crate::headless::report::report("p", &priced);
    let key = CellKey {
        session: "s9",
        prompt_id: "q,1",
        prompt_index: 4,
    };
    let mut text = csv_header();
    text.extend(line(ResultsFormat::Csv, &key, &doc.answers[0]));
    text.extend(b"s9,q2,5,m/x,,,complete,\"torn");
    std::fs::write(&path, &text).unwrap();
    let prev = compact(&path, ResultsFormat::Csv, &|_| true).unwrap();
    assert!(prev.is_complete("q,1", "m/x"));
    assert_eq!(prev.dropped, 1);
    assert_eq!(prev.carried["q,1"][0].text, "a, \"quoted\"\nanswer");
    assert_eq!(
        session_of(&path, ResultsFormat::Csv).unwrap().as_deref(),
        Some("s9")
    );
}

#[test]
fn resume_refuses_a_file_it_would_have_to_throw_away_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r");
    let line =
        r#"{"session":"s1","prompt_id":"1","prompt_index":1,"model":"m","status":"complete"}"#;
    let cases: [(&str, ResultsFormat, &str); 5] = [
        (
            "prompt one\nprompt two\n",
            ResultsFormat::Jsonl,
            "does not hold JSONL results",
        ),
        (
            &format!("{line}\n"),
            ResultsFormat::Csv,
            "holds JSONL results",
        ),
        (
            &format!("{line}\nhand edited\n{line}\n"),
            ResultsFormat::Jsonl,
            "line 2 of",
        ),
        ("{\"not\": \"ours\"}\n", ResultsFormat::Jsonl, "line 1 of"),
        (
            "session,prompt_id\n",
            ResultsFormat::Csv,
            "not switchboard's results columns",
        ),
    ];
    for (content, format, want) in cases {
        std::fs::write(&path, content).unwrap();
        let err = check(&path, format).unwrap_err();
        assert!(err.contains(want), "{content:?}: {err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    }
    // A torn last line, as a kill leaves it, is fine.
    std::fs::write(&path, format!("{line}\n{{\"session\":\"s1\",\"pro")).unwrap();
    assert!(check(&path, ResultsFormat::Jsonl).is_ok());
}
