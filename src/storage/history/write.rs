//! Bringing the database up to date: each file compared by (name, size, mtime) with what was
//! indexed, stale ones read again, and each session's rows replaced in one transaction.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::UNIX_EPOCH;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

use super::{History, HistoryError};
use crate::storage::index::summarize;
use crate::storage::session::{LoadError, Session, from_bytes};

/// A file's size and modification time (ns since the epoch): what says it changed.
pub type Stamp = (u64, i64);

pub fn stamp(meta: &std::fs::Metadata) -> Stamp {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    (meta.len(), mtime)
}

/// What the database holds, for `sessions reindex`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub sessions: u64,
    pub unreadable: u64,
    pub rounds: u64,
    pub answers: u64,
    pub votes: u64,
}

/// Files read per write transaction: another process's save waits for one batch at most,
/// not for a whole rebuild.
const BATCH: usize = 200;

/// The summary cache of earlier versions, replaced by this database.
const OLD_INDEX: &str = "index.json";

type Loaded = (String, Stamp, Option<Result<Session, LoadError>>);

impl History {
    /// Re-indexes the files added or changed since they were indexed and drops the ones
    /// that are gone. Files are only read, never written.
    pub(super) fn sync(&mut self) -> Result<bool, HistoryError> {
        let on_disk = scan(&self.dir);
        self.sync_with(&on_disk)
    }

    /// [`History::sync`] against a listing made already (`scan`). True when anything changed.
    pub(super) fn sync_with(
        &mut self,
        on_disk: &HashMap<String, Stamp>,
    ) -> Result<bool, HistoryError> {
        forget_old_index(&self.dir);
        let known: HashMap<String, Stamp> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT name, size, mtime_ns FROM files")?;
            stmt.query_map([], |r| {
                Ok((r.get(0)?, (r.get::<_, i64>(1)? as u64, r.get(2)?)))
            })?
            .collect::<Result<_, _>>()?
        };
        let mut stale: Vec<(&String, Stamp)> = on_disk
            .iter()
            .filter(|(name, stamp)| known.get(*name) != Some(*stamp))
            .map(|(n, s)| (n, *s))
            .collect();
        // Oldest name first: a rebuild fills the list in a stable order.
        stale.sort();
        let gone: Vec<&String> = known.keys().filter(|n| !on_disk.contains_key(*n)).collect();
        let changed = !stale.is_empty() || !gone.is_empty();
        for chunk in stale.chunks(BATCH) {
            // Read and parse before taking the write lock, to hold it briefly.
            let loaded: Vec<Loaded> = chunk
                .iter()
                .map(|(name, stamp)| read_file(&self.dir, name, *stamp))
                .collect();
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            for (name, stamp, result) in &loaded {
                let keep = match result {
                    Some(Ok(s)) => Some(s.id.as_str()),
                    _ => None,
                };
                forget_file(&tx, name, keep)?;
                if let Some(result) = result {
                    put_file(&tx, name, *stamp, result.as_ref())?;
                }
            }
            tx.commit()?;
        }
        if !gone.is_empty() {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            for name in gone {
                forget_file(&tx, name, None)?;
            }
            tx.commit()?;
        }
        Ok(changed)
    }

    /// Replaces the rows of a session just written to its file (whose stamp is given).
    pub(super) fn index_one(&mut self, s: &Session, stamp: Stamp) -> Result<(), HistoryError> {
        let name = format!("{}.json", s.id);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        forget_file(&tx, &name, Some(&s.id))?;
        put_file(&tx, &name, stamp, Ok(s))?;
        tx.commit()?;
        Ok(())
    }

    pub(super) fn counts(&self) -> Result<Counts, HistoryError> {
        let n = |sql: &str| -> rusqlite::Result<u64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
        };
        Ok(Counts {
            sessions: n("SELECT count(*) FROM sessions")?,
            unreadable: n("SELECT count(*) FROM files WHERE error IS NOT NULL")?,
            rounds: n("SELECT count(*) FROM rounds")?,
            answers: n("SELECT count(*) FROM answers")?,
            votes: n("SELECT count(*) FROM votes")?,
        })
    }
}

/// Every `*.json` session file in `dir` with its stamp.
pub(super) fn scan(dir: &Path) -> HashMap<String, Stamp> {
    let mut files = HashMap::new();
    for item in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name == OLD_INDEX || name.starts_with('.') {
            continue;
        }
        if let Ok(meta) = item.metadata()
            && meta.is_file()
        {
            files.insert(name, stamp(&meta));
        }
    }
    files
}

/// Removes the `index.json` cache of earlier versions, recognised by how it begins (a
/// session file begins `{"schema":`), so a file of the user's is never taken for it.
fn forget_old_index(dir: &Path) {
    let path = dir.join(OLD_INDEX);
    let Ok(mut f) = std::fs::File::open(&path) else {
        return;
    };
    let mut head = [0u8; 11];
    if f.read_exact(&mut head).is_ok() && &head == b"{\"version\":" {
        let _ = std::fs::remove_file(&path);
    }
}

/// Reads one file, with the stamp of the very handle it was read from (the listing's may
/// be older). `None` when the file is gone.
fn read_file(dir: &Path, name: &str, listed: Stamp) -> Loaded {
    let path = dir.join(name);
    let mut file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (name.to_string(), listed, None);
        }
        Err(e) => {
            return (
                name.to_string(),
                listed,
                Some(Err(LoadError::Io(e.to_string()))),
            );
        }
    };
    let stamp = file.metadata().map_or(listed, |m| stamp(&m));
    let mut bytes = Vec::new();
    let result = match file.read_to_end(&mut bytes) {
        Ok(_) => from_bytes(&path, &bytes),
        Err(e) => Err(LoadError::Io(e.to_string())),
    };
    (name.to_string(), stamp, Some(result))
}

/// Drops every row of file `name` and of its session, except the texts of `keep` (the
/// session about to be written again: [`put_texts`] replaces only those that changed).
fn forget_file(tx: &Transaction, name: &str, keep: Option<&str>) -> rusqlite::Result<()> {
    let id: Option<Option<String>> = tx
        .prepare_cached("SELECT session_id FROM files WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    if let Some(Some(id)) = id {
        if keep != Some(id.as_str()) {
            for sql in [
                "DELETE FROM search WHERE rowid IN (SELECT id FROM texts WHERE session_id = ?1)",
                "DELETE FROM texts WHERE session_id = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([&id])?;
            }
        }
        for sql in [
            "DELETE FROM answers WHERE session_id = ?1",
            "DELETE FROM rounds WHERE session_id = ?1",
            "DELETE FROM votes WHERE session_id = ?1",
            "DELETE FROM batches WHERE session_id = ?1",
            "DELETE FROM sessions WHERE id = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([&id])?;
        }
    }
    tx.prepare_cached("DELETE FROM files WHERE name = ?1")?
        .execute([name])?;
    Ok(())
}

fn put_file(
    tx: &Transaction,
    name: &str,
    (size, mtime): Stamp,
    result: Result<&Session, &LoadError>,
) -> rusqlite::Result<()> {
    let (id, error) = match result {
        Ok(s) => {
            put_session(tx, name, s)?;
            put_texts(tx, s)?;
            (Some(s.id.as_str()), None)
        }
        Err(e) => (None, Some(e.to_string())),
    };
    tx.prepare_cached(
        "INSERT INTO files (name, size, mtime_ns, session_id, error) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![name, size as i64, mtime, id, error])?;
    Ok(())
}

/// A serde enum's name as the session file writes it (`complete`, `all_bad`, `reported`).
fn name_of(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// A text's place: its round, its answer's position in the round (-1 for the prompt), and
/// which text of it.
type TextKey = (i64, i64, &'static str);

/// Brings the session's rows in `texts` and `search` up to date, leaving alone the texts
/// that did not change: after a save during a stream only the growing answers are indexed
/// again, not the whole session.
fn put_texts(tx: &Transaction, s: &Session) -> rusqlite::Result<()> {
    let mut old: HashMap<TextKey, (i64, i64)> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT id, round, pos, field, hash FROM texts WHERE session_id = ?1",
        )?;
        let mut rows = stmt.query([&s.id])?;
        while let Some(r) = rows.next()? {
            let field = match r.get_ref(3)?.as_str()? {
                "prompt" => "prompt",
                "answer" => "answer",
                _ => "reasoning",
            };
            let key = (r.get(1)?, r.get::<_, Option<i64>>(2)?.unwrap_or(-1), field);
            old.insert(key, (r.get(0)?, r.get(4)?));
        }
    }
    for r in &s.rounds {
        let round = r.id as i64;
        put_text(tx, &mut old, &s.id, (round, -1, "prompt"), &r.prompt)?;
        for (pos, a) in r.answers.iter().enumerate() {
            let pos = pos as i64;
            put_text(tx, &mut old, &s.id, (round, pos, "answer"), &a.text)?;
            put_text(tx, &mut old, &s.id, (round, pos, "reasoning"), &a.reasoning)?;
        }
    }
    for (id, _) in old.into_values() {
        delete_text(tx, id)?;
    }
    Ok(())
}

fn delete_text(tx: &Transaction, id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute([id])?;
    tx.prepare_cached("DELETE FROM texts WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// A 64-bit hash of a text, to tell whether it changed. Its value may differ between Rust
/// versions: then every text is indexed once more, nothing worse.
fn hash(text: &str) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish() as i64
}

fn put_text(
    tx: &Transaction,
    old: &mut HashMap<TextKey, (i64, i64)>,
    id: &str,
    key: TextKey,
    body: &str,
) -> rusqlite::Result<()> {
    let hash = hash(body);
    match old.remove(&key) {
        Some((_, was)) if was == hash && !body.is_empty() => return Ok(()),
        Some((text, _)) => delete_text(tx, text)?,
        None => {}
    }
    if body.is_empty() {
        return Ok(());
    }
    let (round, pos, field) = key;
    tx.prepare_cached(
        "INSERT INTO texts (session_id, round, pos, field, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, round, (pos >= 0).then_some(pos), field, hash])?;
    let rowid = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO search (rowid, body) VALUES (?1, ?2)")?
        .execute(params![rowid, body])?;
    Ok(())
}

fn put_session(tx: &Transaction, file: &str, s: &Session) -> rusqlite::Result<()> {
    let sum = summarize(s);
    tx.prepare_cached(
        "INSERT INTO sessions (id, file, title, created_ms, updated_ms, base_url, models, rounds,
         cost, estimated, unpriced, prompts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        s.id,
        file,
        s.title,
        s.created_ms as i64,
        s.updated_ms as i64,
        s.base_url,
        json_list(&s.models),
        s.rounds.len() as i64,
        sum.cost.to_decimal(),
        sum.estimated,
        sum.unpriced as i64,
        sum.prompts,
    ])?;
    for r in &s.rounds {
        let round = r.id as i64;
        tx.prepare_cached(
            "INSERT INTO rounds (session_id, round, parent, prompt, system, created_ms, blind,
             hidden, winner) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            s.id,
            round,
            r.parent.map(|p| p as i64),
            r.prompt,
            r.system,
            r.created_ms as i64,
            r.blind.is_some(),
            r.blind.is_some_and(|b| !b.revealed),
            r.winner.map(|w| w as i64),
        ])?;
        for (pos, a) in r.answers.iter().enumerate() {
            let usage = a.usage.as_ref();
            tx.prepare_cached(
                "INSERT INTO answers (session_id, round, pos, slot, model, served_model, provider,
                 status, prompt_tokens, completion_tokens, reasoning_tokens, cost, cost_source,
                 estimated, ttft_ms, duration_ms, tokens_per_s, adopted, archived, finish_reason,
                 error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                 ?16, ?17, ?18, ?19, ?20, ?21)",
            )?
            .execute(params![
                s.id,
                round,
                pos as i64,
                a.slot as i64,
                a.model,
                a.served_model,
                a.provider,
                name_of(&a.status),
                usage.map(|u| u.prompt_tokens as i64),
                usage.map(|u| u.completion_tokens as i64),
                usage.map(|u| u.reasoning_tokens as i64),
                a.cost.map(|c| c.usd.to_decimal()),
                a.cost.map(|c| name_of(&c.source)),
                a.cost.is_some_and(|c| !c.is_exact()),
                a.ttft_ms.map(|t| t as i64),
                a.duration_ms.map(|t| t as i64),
                a.tokens_per_s,
                r.is_adopted(a),
                a.archived,
                a.finish_reason,
                a.error,
            ])?;
        }
        put_votes(tx, &s.id, r)?;
    }
    Ok(())
}

fn put_votes(
    tx: &Transaction,
    id: &str,
    r: &crate::storage::session::RoundRecord,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO votes (session_id, round, seq, judge, verdict, best, models, blind, cost,
         at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let round = r.id as i64;
    if let Some(v) = &r.vote {
        insert.execute(params![
            id,
            round,
            0,
            None::<String>,
            name_of(&v.verdict),
            v.best,
            json_list(&v.models),
            v.blind,
            None::<String>,
            v.at_ms as i64,
        ])?;
    }
    for (seq, j) in r.judgements.iter().enumerate() {
        let priced = j.runs.iter().any(|run| run.cost.is_some());
        let cost = priced.then(|| crate::cost::Spent::sum(j.costs()).total.to_decimal());
        insert.execute(params![
            id,
            round,
            seq as i64 + 1,
            j.judge,
            name_of(&j.verdict),
            j.best,
            json_list(&j.models),
            None::<bool>,
            cost,
            j.at_ms as i64,
        ])?;
    }
    Ok(())
}
