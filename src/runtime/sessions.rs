//! Session effects that touch other sessions' files: listing, renaming, deleting, searching
//! the answers (the history database's full-text index), the scoreboard. All run off the
//! event loop.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::state::Msg;
use crate::storage::history;
use crate::storage::index::{self, Entry};
use crate::storage::session::{self, Session, SessionLock};

pub fn list(dir: PathBuf, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let _ = tx.send(Msg::SessionList(index::list(&dir)));
    });
}

/// The leaderboard of every saved session, with `current` as it is in memory.
pub fn stats(dir: PathBuf, current: Option<Session>, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let board = crate::storage::ratings::from_history(&dir, current.as_ref());
        let _ = tx.send(Msg::Stats(Box::new(board)));
    });
}

fn locked(dir: &Path, id: &str) -> Result<SessionLock, String> {
    match SessionLock::acquire(dir, id) {
        Ok(Some(lock)) => Ok(lock),
        Ok(None) => Err(format!("session {id} is open in another switchboard")),
        Err(e) => Err(e.to_string()),
    }
}

pub fn rename(dir: PathBuf, id: String, title: String, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let result = locked(&dir, &id).and_then(|_lock| {
            let mut s = session::load(&session::path_of(&dir, &id)).map_err(|e| e.to_string())?;
            s.title = title;
            session::save(&dir, &s).map_err(|e| e.to_string())
        });
        if let Err(e) = result {
            let _ = tx.send(Msg::Failed(format!("rename failed: {e}")));
        }
        let _ = tx.send(Msg::SessionList(index::list(&dir)));
    });
}

pub fn delete(dir: PathBuf, id: String, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let result = locked(&dir, &id).and_then(|_lock| {
            std::fs::remove_file(session::path_of(&dir, &id)).map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => {
                let _ = std::fs::remove_file(dir.join(format!("{id}.lock")));
            }
            Err(e) => {
                let _ = tx.send(Msg::Failed(format!("delete failed: {e}")));
            }
        }
        let _ = tx.send(Msg::SessionList(index::list(&dir)));
    });
}

/// Sessions whose prompts or answers hold the words of `query` (the full-text index of the
/// history database; without a usable one, every file is read).
pub fn search(dir: PathBuf, query: String, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let ids = match history::search(&dir, &query) {
            Ok(ids) => ids,
            Err(e) => {
                crate::log::warn(&format!("{e}; searching every session file instead"));
                search_files(&dir, &query)
            }
        };
        let _ = tx.send(Msg::SearchHits { query, ids });
    });
}

fn search_files(dir: &Path, query: &str) -> Vec<String> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let holds = |text: &str| {
        let text = text.to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    };
    index::list(dir)
        .into_iter()
        .filter_map(|e| match e {
            Entry::Session(s) => Some(s.id),
            Entry::Unreadable { .. } => None,
        })
        .filter(|id| {
            session::load(&session::path_of(dir, id)).is_ok_and(|s| {
                s.rounds
                    .iter()
                    .any(|r| holds(&r.prompt) || r.answers.iter().any(|a| holds(&a.text)))
            })
        })
        .collect()
}

/// Session `id` as it is in memory, if it is the open one: its last answers may not be on
/// disk yet. Any other session is read from its file, so the open one (a copy of every
/// round) is copied only when it is the one asked for.
pub fn open_as_is(state: &crate::state::State, id: &str) -> Option<Session> {
    if state.session.id != id {
        return None;
    }
    state.session_snapshot()
}

/// Writes session `id` as an HTML page into `exports` (`current` stands in for its file when
/// it is the open session), then says where, or why not.
pub fn export_html(
    dir: PathBuf,
    exports: PathBuf,
    current: Option<Session>,
    id: String,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::task::spawn_blocking(move || {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let result = write_html(&dir, &exports, current, &id).map(|p| tilde(&p, home.as_deref()));
        let _ = tx.send(Msg::Exported(result));
    });
}

/// `path` with the home folder written `~`, so the status line has room for the file name.
fn tilde(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

fn write_html(
    dir: &Path,
    exports: &Path,
    current: Option<Session>,
    id: &str,
) -> Result<PathBuf, String> {
    let mut session = match current.filter(|s| s.id == id) {
        Some(s) => s,
        None => session::load(&session::path_of(dir, id)).map_err(|e| e.to_string())?,
    };
    // The sessions folder's sibling: the blobs of its attachments.
    if let Some(data) = dir.parent() {
        crate::storage::blobs::load_into(&crate::storage::blobs::blobs_dir(data), &mut session);
    }
    let path = exports.join(format!("{}.html", session.id));
    let page = crate::storage::export::html(&session);
    crate::storage::write_user_file(&path, page.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests;
