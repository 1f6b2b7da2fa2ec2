//! Tests of `index`.

use super::*;
use crate::storage::session::{SCHEMA, save};

fn session(id: &str, updated: u64) -> Session {
    let text = include_str!("../../../tests/fixtures/sessions/v1.json");
    let mut s = crate::storage::session::parse(text).unwrap();
    s.id = id.into();
    s.updated_ms = updated;
    s.schema = SCHEMA;
    s
}

#[test]
fn corrupt_files_are_listed_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &session("b", 2)).unwrap();
    save(dir.path(), &session("a", 1)).unwrap();
    let corrupt = b"{\"schema\": 2, \"id\": \"broken\", trailing garbage \x00\xff";
    std::fs::write(dir.path().join("broken.json"), corrupt).unwrap();
    let newer = serde_json::to_vec(&Session {
        schema: 7,
        ..session("n", 3)
    })
    .unwrap();
    std::fs::write(dir.path().join("newer.json"), &newer).unwrap();
    for _ in 0..2 {
        let entries = list(dir.path());
        assert_eq!(entries.len(), 4);
        let unreadable: Vec<(&str, &str)> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Unreadable { file, reason } => Some((file.as_str(), reason.as_str())),
                Entry::Session(_) => None,
            })
            .collect();
        assert_eq!(unreadable.len(), 2);
        assert!(
            unreadable
                .iter()
                .any(|(f, r)| *f == "broken.json" && r.contains("not a session file"))
        );
        assert!(
            unreadable
                .iter()
                .any(|(f, r)| *f == "newer.json" && r.contains("newer"))
        );
        let ids: Vec<&str> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Session(s) => Some(s.id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, vec!["b", "a"], "newest first");
    }
    assert_eq!(
        std::fs::read(dir.path().join("broken.json")).unwrap(),
        corrupt,
        "byte for byte"
    );
    assert_eq!(std::fs::read(dir.path().join("newer.json")).unwrap(), newer);
}

#[test]
fn the_index_notices_changes_behind_its_back() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &session("a", 1)).unwrap();
    assert_eq!(list(dir.path()).len(), 1);
    assert!(crate::storage::history::db_path(dir.path()).exists());
    let mut s = session("a", 5);
    s.title = "renamed elsewhere".into();
    save(dir.path(), &s).unwrap();
    let title = |d: &Path| match &list(d)[0] {
        Entry::Session(s) => s.title.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(title(dir.path()), "renamed elsewhere");
    std::fs::remove_file(dir.path().join("a.json")).unwrap();
    assert!(list(dir.path()).is_empty());
}

#[test]
fn scoreboard_counts_adoptions_cost_and_speed() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &session("a", 1)).unwrap();
    save(dir.path(), &session("b", 2)).unwrap();
    // The list's entries leave the stats to the database's tally, which the scoreboard reads.
    let board = crate::storage::ratings::from_history(dir.path(), None).adoptions;
    assert_eq!(board.len(), 1);
    let m = &board[0];
    assert_eq!(
        (m.model.as_str(), m.answers, m.adopted),
        ("openai/gpt-4.1-mini", 4, 2)
    );
    assert_eq!(m.cost.to_decimal(), "0.0000042");
    assert_eq!(median(&m.speeds), Some(3.3));
    assert_eq!(find(dir.path(), "a").unwrap().id, "a");
    assert!(find(dir.path(), "zz").is_err());
}

#[test]
fn the_detailed_list_from_the_database_equals_the_one_from_the_files() {
    use crate::storage::votes::{BlindRecord, Verdict};
    let data = tempfile::tempdir().unwrap();
    let dir = crate::storage::session::sessions_dir(data.path());
    let mut voted = session("v", 3);
    voted.rounds[0].vote = Some(VoteRecord {
        verdict: Verdict::Best,
        best: Some("openai/gpt-4.1-mini".into()),
        models: vec!["openai/gpt-4.1-mini".into(), "x/y".into()],
        blind: true,
        at_ms: 9,
    });
    voted.rounds[1].judgements.push(Judgement {
        judge: "j/j".into(),
        verdict: Verdict::Tie,
        best: None,
        models: vec!["openai/gpt-4.1-mini".into()],
        runs: Vec::new(),
        at_ms: 10,
    });
    let mut hidden = session("h", 4);
    hidden.rounds[1].blind = Some(BlindRecord {
        seed: 3,
        revealed: false,
    });
    for s in [session("a", 1), session("b", 1), voted, hidden] {
        save(&dir, &s).unwrap();
    }
    std::fs::write(dir.join("bad.json"), b"[]").unwrap();
    let from_db = list_detailed(&dir);
    assert_eq!(from_db.len(), 5);
    assert_eq!(
        from_db,
        read_all(&dir),
        "field for field, in the same order"
    );
}
