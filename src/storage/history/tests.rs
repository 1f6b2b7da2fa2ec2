//! Tests of the history database: rebuilt when missing, corrupt or of another version, with
//! the session files untouched; full-text search; stale detection; the scoreboard's tally.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::storage::index::{Entry, summarize};
use crate::storage::ratings::{from_history, leaderboard};
use crate::storage::session::{SCHEMA, parse, save};
use crate::storage::votes::{BlindRecord, Judgement, Verdict, VoteRecord};

/// A data dir laid out as the app's: `sessions/` and the database beside it.
fn data() -> (tempfile::TempDir, PathBuf) {
    let data = tempfile::tempdir().unwrap();
    let dir = crate::storage::session::sessions_dir(data.path());
    std::fs::create_dir_all(&dir).unwrap();
    (data, dir)
}

fn session(id: &str, updated: u64, answer: &str) -> Session {
    let mut s = parse(include_str!("../../../tests/fixtures/sessions/v1.json")).unwrap();
    s.id = id.into();
    s.title = format!("title of {id}");
    s.updated_ms = updated;
    s.schema = SCHEMA;
    s.rounds[1].answers[0].text = answer.into();
    s
}

/// Every file in `dir`, byte for byte.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn ids(entries: &[Entry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| match e {
            Entry::Session(s) => s.id.clone(),
            Entry::Unreadable { file, .. } => format!("!{file}"),
        })
        .collect()
}

#[test]
fn the_database_lives_beside_the_sessions_folder() {
    let (data, dir) = data();
    assert_eq!(db_path(&dir), data.path().join("history.sqlite3"));
    let other = Path::new("/tmp/elsewhere");
    assert_eq!(db_path(other), other.join(".history.sqlite3"));
}

#[test]
fn a_deleted_or_corrupt_database_is_rebuilt_and_no_session_file_changes() {
    let (data, dir) = data();
    save(&dir, &session("a", 1, "alpha")).unwrap();
    save(&dir, &session("b", 2, "bravo")).unwrap();
    std::fs::write(dir.join("broken.json"), b"{\"schema\": 4, oops").unwrap();
    let before = files(&dir);
    let expected = vec!["!broken.json".to_string(), "b".into(), "a".into()];
    assert_eq!(ids(&list(&dir).unwrap()), expected);
    let db = db_path(&dir);
    assert!(db.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "private, like the session files");
    }

    std::fs::remove_file(&db).unwrap();
    assert_eq!(
        ids(&list(&dir).unwrap()),
        expected,
        "rebuilt after deletion"
    );
    assert_eq!(search(&dir, "bravo").unwrap(), vec!["b".to_string()]);

    // Garbage over the whole file: SQLite says it is not a database.
    std::fs::write(&db, vec![0x5a; 64 * 1024]).unwrap();
    assert_eq!(ids(&list(&dir).unwrap()), expected, "rebuilt after garbage");
    assert!(
        data.path().join("history.sqlite3.corrupt").exists(),
        "set aside"
    );
    assert_eq!(search(&dir, "alpha").unwrap(), vec!["a".to_string()]);

    // Garbage over the pages past the header: the schema or the tables are damaged.
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(100) {
        *b = 0xa5;
    }
    std::fs::write(&db, &bytes).unwrap();
    assert_eq!(ids(&list(&dir).unwrap()), expected, "rebuilt after damage");
    assert_eq!(tally(&dir, None).unwrap().stats.len(), 1);

    assert_eq!(
        files(&dir),
        before,
        "the session files are unchanged, byte for byte"
    );
}

#[test]
fn another_schema_version_is_rebuilt() {
    let (_data, dir) = data();
    save(&dir, &session("a", 1, "alpha")).unwrap();
    list(&dir).unwrap();
    let conn = rusqlite::Connection::open(db_path(&dir)).unwrap();
    conn.execute_batch("PRAGMA user_version = 99; DROP TABLE answers;")
        .unwrap();
    drop(conn);
    assert_eq!(ids(&list(&dir).unwrap()), vec!["a".to_string()]);
    assert_eq!(tally(&dir, None).unwrap().stats[0].answers, 2);
    let conn = rusqlite::Connection::open(db_path(&dir)).unwrap();
    let v: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, VERSION);
}

#[test]
fn search_finds_a_word_that_is_only_in_an_answer() {
    let (_data, dir) = data();
    save(
        &dir,
        &session("a", 1, "the answer mentions zanzibarite once"),
    )
    .unwrap();
    save(&dir, &session("b", 2, "nothing to see")).unwrap();
    let found = |q: &str| {
        let mut ids = search(&dir, q).unwrap();
        ids.sort();
        ids
    };
    assert_eq!(found("zanzibarite"), vec!["a"]);
    assert_eq!(found("ZANZIBARITE"), vec!["a"], "case-insensitive");
    assert_eq!(
        found("zanzib"),
        vec!["a"],
        "the last word is a prefix as it is typed"
    );
    assert_eq!(found("answer zanzibarite"), vec!["a"], "every word");
    assert_eq!(found("nothing zanzibarite"), Vec::<String>::new());
    assert_eq!(found("second question"), vec!["a", "b"], "prompts too");
    // What FTS5 would parse as syntax is searched for as text, never an error.
    for q in ["\"", "AND", "a* OR (b", "col:x", "-", "NEAR(a b)"] {
        assert!(search(&dir, q).is_ok(), "{q}");
    }
    assert_eq!(fts_query("  "), None);
    assert_eq!(
        fts_query("say \"hi\" th"),
        Some("\"say\" \"\"\"hi\"\"\" \"th\"*".into())
    );
}

#[test]
fn files_edited_added_or_removed_behind_its_back_show_up() {
    let (_data, dir) = data();
    save(&dir, &session("a", 1, "original words")).unwrap();
    assert_eq!(ids(&list(&dir).unwrap()), vec!["a"]);
    // Edited by another program (not through the saver): a new title and answer.
    let mut edited = session("a", 5, "replacement words");
    edited.title = "renamed elsewhere".into();
    std::fs::write(dir.join("a.json"), serde_json::to_vec(&edited).unwrap()).unwrap();
    match &list(&dir).unwrap()[0] {
        Entry::Session(s) => assert_eq!(s.title, "renamed elsewhere"),
        other => panic!("{other:?}"),
    }
    assert!(search(&dir, "original").unwrap().is_empty());
    assert_eq!(search(&dir, "replacement").unwrap(), vec!["a"]);
    // Added: copied in by hand.
    let added = session("c", 9, "copied in");
    std::fs::write(dir.join("c.json"), serde_json::to_vec(&added).unwrap()).unwrap();
    assert_eq!(ids(&list(&dir).unwrap()), vec!["c", "a"]);
    // Removed.
    std::fs::remove_file(dir.join("a.json")).unwrap();
    assert_eq!(ids(&list(&dir).unwrap()), vec!["c"]);
    assert!(search(&dir, "replacement").unwrap().is_empty());
    // Made unreadable in place: listed with the reason, and its rows are gone.
    std::fs::write(dir.join("c.json"), b"not json").unwrap();
    let entries = list(&dir).unwrap();
    assert!(
        matches!(&entries[..], [Entry::Unreadable { file, reason }] if file == "c.json" && reason.contains("not a session file"))
    );
    assert!(tally(&dir, None).unwrap().stats.is_empty());
}

#[test]
fn a_saved_session_is_indexed_at_once_and_the_old_index_file_goes() {
    let (_data, dir) = data();
    let old = dir.join("index.json");
    std::fs::write(&old, b"{\"version\":3,\"files\":{}}").unwrap();
    let mut s = session("a", 1, "kickoff");
    save(&dir, &s).unwrap();
    index_saved(&dir, &s).unwrap();
    list(&dir).unwrap();
    assert!(!old.exists(), "the old cache is removed");
    let text_ids = |dir: &Path| -> Vec<(i64, String)> {
        let db = History::open(dir).unwrap();
        let mut stmt = db
            .conn
            .prepare(
                "SELECT t.id, s.body FROM texts t JOIN search s ON s.rowid = t.id ORDER BY t.id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = text_ids(&dir);
    assert_eq!(before.len(), 4, "two prompts, two answers");
    s.rounds[1].answers[0].text = "streamed further".into();
    save(&dir, &s).unwrap();
    index_saved(&dir, &s).unwrap();
    assert_eq!(search(&dir, "streamed").unwrap(), vec!["a"]);
    assert!(search(&dir, "kickoff").unwrap().is_empty());
    // Only the text that changed was indexed again; the others kept their rows.
    let after = text_ids(&dir);
    assert_eq!(after.len(), 4);
    let kept: Vec<_> = before.iter().filter(|t| after.contains(t)).collect();
    assert_eq!(kept.len(), 3);
    // The stamp it recorded is the file's: a listing finds nothing stale to read again.
    let db = History::open(&dir).unwrap();
    let n: i64 = db
        .conn
        .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // Exact money, as text.
    let cost: String = db
        .conn
        .query_row(
            "SELECT cost FROM answers WHERE session_id = 'a' AND round = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(cost, "0.0000021");
    // A file of the user's that happens to be called index.json is left alone.
    std::fs::write(&old, b"{\"schema\": 4}").unwrap();
    list(&dir).unwrap();
    assert!(old.exists());
}

#[test]
fn the_scoreboard_from_the_database_matches_the_one_from_the_files() {
    let (_data, dir) = data();
    let mut voted = session("v", 3, "x");
    let models = vec!["openai/gpt-4.1-mini".to_string(), "other/model".to_string()];
    for r in &mut voted.rounds {
        r.blind = Some(BlindRecord {
            seed: 7,
            revealed: true,
        });
        r.vote = Some(VoteRecord {
            verdict: Verdict::Best,
            best: Some(models[0].clone()),
            models: models.clone(),
            blind: true,
            at_ms: 1,
        });
        r.judgements.push(Judgement {
            judge: "j/judge".into(),
            verdict: Verdict::Tie,
            best: None,
            models: models.clone(),
            runs: Vec::new(),
            at_ms: 2,
        });
    }
    let mut hidden = session("h", 4, "y");
    hidden.rounds[1].blind = Some(BlindRecord {
        seed: 1,
        revealed: false,
    });
    let sessions = [session("a", 1, "p"), session("b", 2, "q"), voted, hidden];
    for s in &sessions {
        save(&dir, s).unwrap();
    }
    let from_files: Vec<Entry> = sessions
        .iter()
        .rev()
        .map(|s| Entry::Session(summarize(s)))
        .collect();
    assert_eq!(from_history(&dir, None), leaderboard(&from_files));
    // With the open session as it is in memory in place of its file.
    let mut open = sessions[0].clone();
    open.rounds[0].answers[0].adopted = true;
    let mut entries: Vec<Entry> = from_files[..3].to_vec();
    entries.push(Entry::Session(summarize(&open)));
    assert_eq!(from_history(&dir, Some(&open)), leaderboard(&entries));
    assert_eq!(from_history(&dir, None).blind_votes, 2);
}

#[test]
fn a_batch_session_has_its_row_and_its_prompt_ids() {
    let (_data, dir) = data();
    let mut s = session("b", 1, "answer");
    s.batch = Some(crate::storage::session::BatchInfo {
        source: "prompts.jsonl".into(),
        prompts: 2,
        models: vec!["sim/a".into(), "sim/b".into()],
    });
    for (i, r) in s.rounds.iter_mut().enumerate() {
        r.parent = None;
        r.prompt_id = Some(format!("q{i}"));
    }
    save(&dir, &s).unwrap();
    list(&dir).unwrap();
    let db = History::open(&dir).unwrap();
    let row: (String, i64, String) = db
        .conn
        .query_row(
            "SELECT source, prompts, models FROM batches WHERE session_id = 'b'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        ("prompts.jsonl".into(), 2, r#"["sim/a","sim/b"]"#.into())
    );
    let ids: Vec<String> = db
        .conn
        .prepare("SELECT prompt_id FROM rounds WHERE session_id = 'b' ORDER BY round")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, ["q0", "q1"]);
}
