//! Bringing the database up to date: each file compared by (name, size, mtime) with what was
//! indexed, stale ones read again, and each session's rows replaced in one transaction.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::UNIX_EPOCH;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::rows::{put_session, put_texts};
use super::{History, HistoryError};
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

impl Counts {
    /// `3 sessions (5 rounds, 15 answers, 2 votes and verdicts); 1 unreadable`
    pub fn describe(&self) -> String {
        use crate::textfmt::count;
        let unreadable = if self.unreadable > 0 {
            format!("; {} unreadable", self.unreadable)
        } else {
            String::new()
        };
        format!(
            "{} ({}, {}, {} and verdicts){unreadable}",
            count(self.sessions, "session"),
            count(self.rounds, "round"),
            count(self.answers, "answer"),
            count(self.votes, "vote"),
        )
    }
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
        let known = self.stamps()?;
        self.sync_with(&on_disk, &known)
    }

    /// The stamp of every file as it was indexed.
    pub(super) fn stamps(&self) -> Result<HashMap<String, Stamp>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, size, mtime_ns FROM files")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, (r.get::<_, i64>(1)? as u64, r.get(2)?)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// [`History::sync`] against a listing of the folder (`scan`) and the stamps indexed
    /// (`known`), both made already. True when anything changed.
    pub(super) fn sync_with(
        &mut self,
        on_disk: &HashMap<String, Stamp>,
        known: &HashMap<String, Stamp>,
    ) -> Result<bool, HistoryError> {
        forget_old_index(&self.dir);
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
                // Written only while the file is still what was read: if it changed since
                // (a save in another process or task), the one who wrote it indexes it, or
                // the next sync does. Stale text never replaces newer rows.
                let now = std::fs::metadata(self.dir.join(name))
                    .ok()
                    .map(|m| self::stamp(&m));
                match result {
                    None if now.is_none() => forget_file(&tx, name, None)?,
                    Some(result) if now == Some(*stamp) => {
                        let keep = result.as_ref().ok().map(|s| s.id.as_str());
                        forget_file(&tx, name, keep)?;
                        put_file(&tx, name, *stamp, result.as_ref())?;
                    }
                    _ => {}
                }
            }
            tx.commit()?;
        }
        if !gone.is_empty() {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            for name in gone.into_iter().filter(|n| !self.dir.join(n).exists()) {
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
