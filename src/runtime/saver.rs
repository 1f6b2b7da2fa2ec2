//! Autosave: the session goes to disk at the end of every round and at least once a second
//! while anything changes, written off the event loop, one write at a time. A failed write
//! (a full disk) is reported and retried; the file on disk stays as it was. After each write
//! the session is indexed into the history database, in the same background task.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::state::{Msg, State};
use crate::storage::session::{self, Session, SessionLock};

pub const INTERVAL: Duration = Duration::from_secs(1);

pub struct Saver {
    pub dir: PathBuf,
    lock: Option<(String, SessionLock)>,
    in_flight: Arc<AtomicBool>,
    last: Instant,
    msg_tx: mpsc::UnboundedSender<Msg>,
}

impl Saver {
    pub fn new(dir: PathBuf, msg_tx: mpsc::UnboundedSender<Msg>) -> Saver {
        Saver {
            dir,
            lock: None,
            in_flight: Arc::new(AtomicBool::new(false)),
            last: Instant::now() - INTERVAL,
            msg_tx,
        }
    }

    /// Holds the lock of session `id`. False when another process has it open.
    pub fn lock(&mut self, id: &str) -> bool {
        self.try_lock(id) == Ok(true)
    }

    /// Takes the lock: `Ok(false)` when another process has the session open, `Err` when the
    /// lock file cannot be made (an unwritable or full disk).
    fn try_lock(&mut self, id: &str) -> Result<bool, String> {
        if self.lock.as_ref().is_some_and(|(held, _)| held == id) {
            return Ok(true);
        }
        match SessionLock::acquire(&self.dir, id) {
            Ok(Some(lock)) => {
                self.lock = Some((id.to_string(), lock));
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(e) => Err(describe(&e)),
        }
    }

    /// Whether a save should start now.
    pub fn due(&self, state: &State, requested: bool) -> bool {
        state.session.dirty
            && !state.session.rounds.is_empty()
            && !self.in_flight.load(Ordering::SeqCst)
            && (requested || self.last.elapsed() >= INTERVAL)
    }

    /// The snapshot to write, or why it cannot be written. A failure waits a full interval
    /// before the next try, so a broken disk does not spin the loop.
    fn prepare(&mut self, state: &State) -> Result<Option<Session>, String> {
        let Some(snapshot) = state.session_snapshot() else {
            return Ok(None);
        };
        let locked = self.try_lock(&snapshot.id).and_then(|ok| {
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "session {} is open in another switchboard; not saving over it",
                    snapshot.id
                ))
            }
        });
        if let Err(e) = locked {
            self.last = Instant::now();
            return Err(e);
        }
        Ok(Some(snapshot))
    }

    /// Starts a background write of the session: only the snapshot is taken on the loop; it
    /// is serialised and written on a blocking thread. The caller marks the state clean.
    pub fn start(&mut self, state: &State) -> bool {
        let snapshot = match self.prepare(state) {
            Ok(Some(ready)) => ready,
            Ok(None) => return false,
            Err(e) => {
                let _ = self.msg_tx.send(Msg::Saved(Err(e)));
                return false;
            }
        };
        let path = session::path_of(&self.dir, &snapshot.id);
        let dir = self.dir.clone();
        let in_flight = self.in_flight.clone();
        let tx = self.msg_tx.clone();
        in_flight.store(true, Ordering::SeqCst);
        self.last = Instant::now();
        tokio::task::spawn_blocking(move || {
            let result = serde_json::to_vec(&snapshot)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    crate::storage::write_atomic(&path, &bytes).map_err(|e| describe(&e))
                });
            // The file is what counts: the state hears of it before the index is brought up
            // to date (which may wait on another process's write).
            let saved = result.is_ok();
            if let Err(e) = &result {
                crate::log::warn(e);
            }
            let _ = tx.send(Msg::Saved(result));
            if saved {
                index(&dir, &snapshot);
            }
            // Cleared only after indexing: one save, and one indexing, at a time.
            in_flight.store(false, Ordering::SeqCst);
        });
        true
    }

    /// Writes the session now, waiting for it (on exit).
    pub fn save_blocking(&mut self, state: &State) -> Result<(), String> {
        while self.in_flight.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let Some(snapshot) = self.prepare(state)? else {
            return Ok(());
        };
        let bytes = serde_json::to_vec(&snapshot).map_err(|e| e.to_string())?;
        crate::storage::write_atomic(&session::path_of(&self.dir, &snapshot.id), &bytes)
            .map_err(|e| describe(&e))?;
        index(&self.dir, &snapshot);
        Ok(())
    }
}

/// Brings the history database up to date with a session just written. A failure is only
/// logged: the file is saved, and the next listing finds it stale and indexes it.
fn index(dir: &std::path::Path, snapshot: &Session) {
    if let Err(e) = crate::storage::history::index_saved(dir, snapshot) {
        crate::log::warn(&format!("{e} (indexing session {})", snapshot.id));
    }
}

fn describe(e: &std::io::Error) -> String {
    if e.raw_os_error() == Some(28) {
        "the disk is full; the session is kept in memory and saving is retried".into()
    } else {
        format!("could not save the session: {e}; retrying")
    }
}
