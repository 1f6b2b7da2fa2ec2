//! The history database's tables, and how a database of another schema version is replaced.
//! docs/history-db.md documents every column for people who query it directly.

use rusqlite::Connection;

/// Stored in `PRAGMA user_version`. Any other value (0 for a new file) makes [`create`]
/// drop what is there and build these tables again: the database is only a cache of the
/// session files, so a new layout costs one re-index, never a migration.
pub const VERSION: i32 = 2;

/// Every table, view and virtual table any version has made, dropped before a rebuild.
/// (FTS5 drops its own shadow tables with `search`.)
const DROP: &str = "
DROP TABLE IF EXISTS search;
DROP TABLE IF EXISTS texts;
DROP TABLE IF EXISTS batches;
DROP TABLE IF EXISTS votes;
DROP TABLE IF EXISTS answers;
DROP TABLE IF EXISTS rounds;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS files;
";

const CREATE: &str = "
-- One row per *.json file in sessions/, readable or not: what stale detection compares.
CREATE TABLE files (
    name       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mtime_ns   INTEGER NOT NULL,
    session_id TEXT,
    error      TEXT
);
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    file       TEXT NOT NULL,
    title      TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    base_url   TEXT NOT NULL,
    models     TEXT NOT NULL,
    rounds     INTEGER NOT NULL,
    cost       TEXT NOT NULL,
    estimated  INTEGER NOT NULL,
    unpriced   INTEGER NOT NULL,
    prompts    TEXT NOT NULL
);
CREATE INDEX sessions_by_update ON sessions(updated_ms DESC, file);
CREATE TABLE rounds (
    session_id TEXT NOT NULL,
    round      INTEGER NOT NULL,
    parent     INTEGER,
    prompt     TEXT NOT NULL,
    system     TEXT,
    created_ms INTEGER NOT NULL,
    blind      INTEGER NOT NULL,
    hidden     INTEGER NOT NULL,
    winner     INTEGER,
    prompt_id  TEXT,
    PRIMARY KEY (session_id, round)
) WITHOUT ROWID;
CREATE TABLE answers (
    id                INTEGER PRIMARY KEY,
    session_id        TEXT NOT NULL,
    round             INTEGER NOT NULL,
    pos               INTEGER NOT NULL,
    slot              INTEGER NOT NULL,
    model             TEXT NOT NULL,
    served_model      TEXT,
    provider          TEXT,
    status            TEXT NOT NULL,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    reasoning_tokens  INTEGER,
    cost              TEXT,
    cost_source       TEXT,
    estimated         INTEGER NOT NULL,
    ttft_ms           INTEGER,
    duration_ms       INTEGER,
    tokens_per_s      REAL,
    adopted           INTEGER NOT NULL,
    archived          INTEGER NOT NULL,
    finish_reason     TEXT,
    error             TEXT
);
CREATE INDEX answers_by_session ON answers(session_id, round, pos);
CREATE INDEX answers_by_model ON answers(model);
CREATE TABLE votes (
    session_id TEXT NOT NULL,
    round      INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    judge      TEXT,
    verdict    TEXT NOT NULL,
    best       TEXT,
    models     TEXT NOT NULL,
    blind      INTEGER,
    cost       TEXT,
    at_ms      INTEGER NOT NULL,
    PRIMARY KEY (session_id, round, seq)
) WITHOUT ROWID;
-- Batch runs (`switchboard run` over a file of prompts): filled once sessions record them.
CREATE TABLE batches (
    session_id TEXT PRIMARY KEY,
    source     TEXT,
    prompts    INTEGER,
    models     TEXT
);
-- What `search` holds, row for row: whose text each FTS row is. `hash` lets a re-index
-- keep the rows of texts that did not change.
CREATE TABLE texts (
    id         INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    round      INTEGER NOT NULL,
    pos        INTEGER,
    field      TEXT NOT NULL,
    hash       INTEGER NOT NULL
);
CREATE INDEX texts_by_session ON texts(session_id);
CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
";

/// Makes the tables of [`VERSION`], empty, unless another process just did (or always, with
/// `fresh`), in one transaction so a concurrent reader sees the old tables or the new ones,
/// never half of each.
pub fn create(conn: &Connection, fresh: bool) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == VERSION && !fresh {
            return Ok(());
        }
        conn.execute_batch(DROP)?;
        conn.execute_batch(CREATE)?;
        conn.execute_batch(&format!("PRAGMA user_version = {VERSION}"))
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
