use super::*;
use crate::storage::session::{BatchInfo, SCHEMA};

fn head(id: &str) -> Session {
    Session {
        schema: SCHEMA,
        id: id.into(),
        title: "batch".into(),
        created_ms: 1,
        updated_ms: 1,
        base_url: "http://x".into(),
        models: vec!["a".into(), "b".into()],
        batch: Some(BatchInfo {
            source: "p.txt".into(),
            prompts: 3,
            models: vec!["a".into(), "b".into()],
        }),
        rounds: Vec::new(),
    }
}

fn round(pid: &str, statuses: &[(&str, AnswerStatus)]) -> RoundRecord {
    RoundRecord {
        id: 0,
        parent: None,
        prompt: format!("prompt {pid}\nwith a newline"),
        system: None,
        params: Default::default(),
        created_ms: 2,
        winner: None,
        answers: statuses
            .iter()
            .enumerate()
            .map(|(slot, (model, status))| {
                let mut a = crate::chat::Answer::new(*model, 1);
                a.status = *status;
                a.text = format!("answer of {model}");
                SavedAnswer::from_answer(&a, slot, None, None)
            })
            .collect(),
        blind: None,
        vote: None,
        judgements: Vec::new(),
        attachments: Vec::new(),
        prompt_id: Some(pid.into()),
    }
}

#[test]
fn saves_grow_the_file_and_any_reader_loads_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(dir.path(), head("s1")).unwrap();
    store.save(5).unwrap();
    assert!(
        !session::path_of(dir.path(), "s1").exists(),
        "nothing to save yet"
    );
    let ok = [("a", AnswerStatus::Complete), ("b", AnswerStatus::Complete)];
    store.push(round("1", &ok)).unwrap();
    store.save(6).unwrap();
    store.push(round("2", &ok)).unwrap();
    store.push(round("3", &ok)).unwrap();
    store.save(7).unwrap();
    let s = session::load(&session::path_of(dir.path(), "s1")).unwrap();
    assert_eq!(s.rounds.len(), 3);
    assert_eq!(s.updated_ms, 7);
    assert_eq!(s.rounds[2].id, 2);
    assert_eq!(s.rounds[2].prompt_id.as_deref(), Some("3"));
    assert_eq!(s.batch.as_ref().unwrap().prompts, 3);
}

#[test]
fn resume_takes_out_rounds_with_a_failed_answer_and_renumbers() {
    let dir = tempfile::tempdir().unwrap();
    let models = vec!["a".to_string(), "b".to_string()];
    let mut store = Store::create(dir.path(), head("s2")).unwrap();
    let ok = [("a", AnswerStatus::Complete), ("b", AnswerStatus::Complete)];
    store.push(round("1", &ok)).unwrap();
    store
        .push(round(
            "2",
            &[("a", AnswerStatus::Complete), ("b", AnswerStatus::Error)],
        ))
        .unwrap();
    store
        .push(round("3", &[("a", AnswerStatus::Complete)]))
        .unwrap();
    store.push(round("4", &ok)).unwrap();
    store.save(9).unwrap();
    drop(store);
    let info = head("s2").batch.unwrap();
    let (mut store, earlier) = Store::resume(dir.path(), "s2", info.clone(), &models).unwrap();
    assert_eq!(
        earlier.done,
        ["1", "4"].iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(
        earlier.carried["2"].len(),
        1,
        "the complete answer of 2 is kept"
    );
    assert_eq!(earlier.carried["3"].len(), 1);
    store.push(round("2", &ok)).unwrap();
    store.save(10).unwrap();
    drop(store);
    let s = session::load(&session::path_of(dir.path(), "s2")).unwrap();
    let ids: Vec<(u64, &str)> = s
        .rounds
        .iter()
        .map(|r| (r.id, r.prompt_id.as_deref().unwrap()))
        .collect();
    assert_eq!(ids, [(0, "1"), (1, "4"), (2, "2")]);

    // A file the playground saved since (one line) is read whole and goes on a round a line.
    crate::storage::session::save(dir.path(), &s).unwrap();
    let (store, earlier) = Store::resume(dir.path(), "s2", info, &models).unwrap();
    assert_eq!(earlier.done.len(), 3);
    drop(store);
    let text = std::fs::read_to_string(session::path_of(dir.path(), "s2")).unwrap();
    assert_eq!(text.lines().count(), 5, "header, three rounds, tail");
}
