//! The history database: `history.sqlite3` beside `sessions/`, derived from the session files
//! for fast listing, full-text search and the scoreboard. The files stay the source of truth:
//! nothing here is needed to read a session, nothing here writes one, and a database that is
//! missing, of another schema version or corrupt is simply built again from the files.

mod read;
mod rows;
mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

pub use read::{Tally, fts_query};
pub use schema::VERSION;
pub use write::Counts;

use super::index::Entry;
use super::session::Session;

const DB_FILE: &str = "history.sqlite3";

/// How long a writer waits for another process's transaction before giving up (the save
/// itself never waits on this: indexing runs after the file is written).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("history database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("history database: {0}")]
    Io(#[from] std::io::Error),
    #[error("history database: {0}")]
    Value(#[from] rusqlite::types::FromSqlError),
}

impl HistoryError {
    /// Whether the file is not a database or is damaged: then it is rebuilt.
    fn is_corrupt(&self) -> bool {
        matches!(self, HistoryError::Sql(e) if matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
        ))
    }
}

/// Where the database of the sessions in `sessions_dir` lives: beside it in the data dir.
/// A directory not named `sessions` (a test's or a benchmark's temp dir) keeps it inside,
/// hidden, so two such directories never share one database.
pub fn db_path(sessions_dir: &Path) -> PathBuf {
    match sessions_dir.parent() {
        Some(parent) if sessions_dir.file_name() == Some("sessions".as_ref()) => {
            parent.join(DB_FILE)
        }
        _ => sessions_dir.join(format!(".{DB_FILE}")),
    }
}

/// An open connection to the history database of one sessions directory. Opened per task:
/// a connection is cheap, and one kept for long could outlive a database file another
/// process replaced after finding it corrupt.
pub struct History {
    conn: Connection,
    dir: PathBuf,
}

impl History {
    /// Opens (creating or rebuilding as needed) the database of `sessions_dir`.
    pub fn open(sessions_dir: &Path) -> Result<History, HistoryError> {
        let path = db_path(sessions_dir);
        let conn = match connect(&path) {
            Err(e) if e.is_corrupt() => {
                set_aside(&path);
                connect(&path)?
            }
            other => other?,
        };
        Ok(History {
            conn,
            dir: sessions_dir.to_path_buf(),
        })
    }

    pub fn path(&self) -> PathBuf {
        db_path(&self.dir)
    }

    /// Whether no file has been indexed yet (a new or rebuilt database).
    fn is_empty(&self) -> Result<bool, HistoryError> {
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM files)", [], |r| r.get(0))?;
        Ok(!any)
    }
}

fn connect(path: &Path) -> Result<Connection, HistoryError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    create_private(path)?;
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers never block the writer of another process, nor it them. NORMAL sync is
    // enough for a cache: a power cut can lose the last transactions, and stale detection
    // indexes those files again.
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA synchronous = NORMAL")?;
    // The first read of the file: a file that is not a database fails here.
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != schema::VERSION {
        schema::create(&conn, false)?;
    }
    Ok(conn)
}

/// Creates the file readable by its owner only before SQLite does (it would use 0644): it
/// holds every prompt and answer, like the session files (0600). SQLite gives its `-wal` and
/// `-shm` files the same mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Moves a damaged database out of the way (it is only a cache; the copy is kept for a
/// post-mortem, replacing the previous one) with its WAL and shared-memory files.
fn set_aside(path: &Path) {
    crate::log::warn(&format!(
        "{} is not a usable database; rebuilding it from the session files",
        path.display()
    ));
    let mut aside = path.as_os_str().to_owned();
    aside.push(".corrupt");
    if std::fs::rename(path, &aside).is_err() {
        let _ = std::fs::remove_file(path);
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
}

/// Runs `f` on the database, and when the database turns out to be corrupt part way, sets
/// it aside and runs `f` once more on a new one.
fn with_db<T>(
    sessions_dir: &Path,
    f: impl Fn(&mut History) -> Result<T, HistoryError>,
) -> Result<T, HistoryError> {
    let mut db = History::open(sessions_dir)?;
    match f(&mut db) {
        Err(e) if e.is_corrupt() => {
            drop(db);
            set_aside(&db_path(sessions_dir));
            f(&mut History::open(sessions_dir)?)
        }
        other => other,
    }
}

/// Every session file in `dir`, newest first (unreadable ones first of all, with the reason),
/// after bringing the database up to date with the files.
pub fn list(dir: &Path) -> Result<Vec<Entry>, HistoryError> {
    with_db(dir, |db| {
        // The files are looked at on another thread while the database answers with the
        // list and the stamps it indexed: when no file changed (the usual case) that answer
        // stands, otherwise the list is read again.
        std::thread::scope(|scope| {
            let scan = scope.spawn(|| write::scan(dir));
            let (entries, known) = db.entries_and_stamps()?;
            let on_disk = scan.join().unwrap_or_else(|_| write::scan(dir));
            if db.sync_with(&on_disk, &known)? {
                db.entries()
            } else {
                Ok(entries)
            }
        })
    })
}

/// [`list`] with each session's `stats` and `votes` filled in (`sessions list --json`).
pub fn list_detailed(dir: &Path) -> Result<Vec<Entry>, HistoryError> {
    let mut entries = list(dir)?;
    let mut details = with_db(dir, |db| db.details())?;
    for e in &mut entries {
        if let Entry::Session(s) = e
            && let Some((stats, votes)) = details.remove(&s.id)
        {
            s.stats = stats;
            s.votes = votes;
        }
    }
    Ok(entries)
}

/// Ids of the sessions whose prompts or answers hold every word of `query` (the last one
/// as a prefix, as it is being typed). It searches what the last listing and the saves
/// indexed (the browser lists before it searches), and a new, empty database is filled
/// first.
pub fn search(dir: &Path, query: &str) -> Result<Vec<String>, HistoryError> {
    with_db(dir, |db| {
        if db.is_empty()? {
            db.sync()?;
        }
        db.search(query)
    })
}

/// What the scoreboard needs from every session but `except`.
pub fn tally(dir: &Path, except: Option<&str>) -> Result<Tally, HistoryError> {
    with_db(dir, |db| {
        db.sync()?;
        db.tally(except)
    })
}

/// Indexes a session the app has just written to its file, from memory (no re-read).
pub fn index_saved(dir: &Path, session: &Session) -> Result<(), HistoryError> {
    let file = super::session::path_of(dir, &session.id);
    let stamp = write::stamp(&std::fs::metadata(&file)?);
    with_db(dir, |db| db.index_one(session, stamp))
}

/// Empties the database and indexes every file again (`sessions reindex`).
pub fn rebuild(dir: &Path) -> Result<Counts, HistoryError> {
    with_db(dir, |db| {
        schema::create(&db.conn, true)?;
        db.sync()?;
        db.counts()
    })
}

#[cfg(test)]
mod concurrency_tests;
#[cfg(test)]
mod tests;
