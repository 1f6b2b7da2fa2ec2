//! Session files: one JSON document per session, schema-versioned, written atomically, read
//! with a clear reason when they cannot be. See docs/session-format.md.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::chat::Params;
use crate::textfmt::civil_from_days;

use super::votes::{BlindRecord, Judgement, VoteRecord};

mod answer;
pub use answer::SavedAnswer;

/// The schema this build writes. Every older one still loads: 1 (linear rounds, no
/// branches), 2 (money as JSON numbers), 3 (no votes, blind rounds or judges).
pub const SCHEMA: u32 = 4;

impl RoundRecord {
    /// Whether `a` is this round's adopted answer. Files before the `adopted` flag name the
    /// winner by its pane slot only.
    pub fn is_adopted(&self, a: &SavedAnswer) -> bool {
        if self.answers.iter().any(|x| x.adopted) {
            a.adopted
        } else {
            !a.archived && self.winner == Some(a.slot)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundRecord {
    pub id: u64,
    /// The round this one follows on its branch (`None` for a first round).
    #[serde(default)]
    pub parent: Option<u64>,
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default)]
    pub params: Params,
    pub created_ms: u64,
    /// The slot of the adopted answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winner: Option<usize>,
    pub answers: Vec<SavedAnswer>,
    /// A blind round: the seed its panes were shuffled with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blind: Option<BlindRecord>,
    /// Your vote on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<VoteRecord>,
    /// Judge models' verdicts on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judgements: Vec<Judgement>,
    /// Files sent with its prompt; their bytes are in the blob folder, named by `sha256`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::chat::attach::Attachment>,
    /// A batch round (`switchboard run --prompts`): the id of its prompt in the prompts file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub schema: u32,
    pub id: String,
    pub title: String,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// The endpoint's base URL (never a key).
    #[serde(default)]
    pub base_url: String,
    /// The pane models when last saved, in order.
    #[serde(default)]
    pub models: Vec<String>,
    /// Written by `switchboard run --prompts`: one round per prompt. Before `rounds`, which
    /// must stay the last field: the batch writer appends rounds after the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchInfo>,
    pub rounds: Vec<RoundRecord>,
}

/// What a batch session was made from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchInfo {
    /// The prompts file's name as given.
    pub source: String,
    /// Prompts in it.
    pub prompts: u64,
    /// The models asked, in `-m` order.
    pub models: Vec<String>,
}

impl Session {
    /// What every answer saved in it cost, archived attempts included (they were paid for),
    /// and what its judges' readings cost.
    pub fn spent(&self) -> crate::cost::Spent {
        crate::cost::Spent::sum(self.rounds.iter().flat_map(|r| {
            r.answers
                .iter()
                .map(|a| (a.cost, a.ttft_ms.is_some()))
                .chain(r.judgements.iter().flat_map(Judgement::costs))
        }))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("not a session file: {0}")]
    Corrupt(String),
    #[error("written by a newer switchboard (schema {0}; this one reads up to {SCHEMA})")]
    Newer(u32),
}

/// Parses a session file of any schema this build knows.
pub fn parse(text: &str) -> Result<Session, LoadError> {
    #[derive(Deserialize)]
    struct Head {
        schema: u32,
    }
    let head: Head = serde_json::from_str(text).map_err(|e| LoadError::Corrupt(e.to_string()))?;
    if head.schema > SCHEMA {
        return Err(LoadError::Newer(head.schema));
    }
    // Schemas 1 and 2 wrote money as JSON numbers: read their digits, not a float's.
    let text = if head.schema < 3 {
        super::migrate::money_numbers_as_strings(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut session: Session =
        serde_json::from_str(&text).map_err(|e| LoadError::Corrupt(e.to_string()))?;
    session.schema = SCHEMA;
    if head.schema < 2 {
        // Version 1 had no branches: every round followed the one before it.
        for i in 1..session.rounds.len() {
            let prev = session.rounds[i - 1].id;
            session.rounds[i].parent.get_or_insert(prev);
        }
    }
    check(&session).map_err(LoadError::Corrupt)?;
    Ok(session)
}

/// An id is a file name: letters, digits, `-` and `_` only.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The structure the app relies on: a usable id, rounds numbered in order, each following an
/// earlier one, answers in one of the panes.
fn check(s: &Session) -> Result<(), String> {
    if !valid_id(&s.id) {
        return Err(format!("bad id {:?}", crate::sanitize::single_line(&s.id)));
    }
    for (i, r) in s.rounds.iter().enumerate() {
        if r.id != i as u64 {
            return Err(format!("round {i} has id {}", r.id));
        }
        if r.parent.is_some_and(|p| p >= r.id) {
            return Err(format!("round {i} follows a later round"));
        }
        if r.answers.iter().any(|a| a.slot >= crate::chat::MAX_PANES) {
            return Err(format!(
                "round {i} has an answer outside the {} panes",
                crate::chat::MAX_PANES
            ));
        }
    }
    Ok(())
}

pub fn sessions_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("sessions")
}

pub fn path_of(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.json"))
}

/// Reads a session file. Its id is its file name: a copy of a file is its own session, and
/// nothing inside a file decides where the app writes.
pub fn load(path: &Path) -> Result<Session, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io(e.to_string()))?;
    from_bytes(path, &bytes)
}

/// A session from the bytes of the file at `path` (read by the caller, which may want the
/// file's size and time from the same open handle).
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Session, LoadError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| LoadError::Corrupt(format!("not UTF-8 text ({e})")))?;
    let mut session = parse(text)?;
    if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
        if !valid_id(stem) {
            return Err(LoadError::Corrupt(format!(
                "the file name {stem:?} is not a session id"
            )));
        }
        session.id = stem.to_string();
    }
    Ok(session)
}

/// Writes the session atomically (temp file, fsync, rename; created 0600).
pub fn save(dir: &Path, session: &Session) -> std::io::Result<()> {
    let json = serde_json::to_vec(session).map_err(std::io::Error::other)?;
    super::write_atomic(&path_of(dir, &session.id), &json)
}

/// A new, unique, sortable id: `20261127-164612-3f9a`.
pub fn new_id(now_ms: u64, dir: &Path) -> String {
    let secs = (now_ms / 1000) as i64;
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    let stamp = format!(
        "{y:04}{mo:02}{d:02}-{:02}{:02}{:02}",
        t / 3600,
        t / 60 % 60,
        t % 60
    );
    let mut salt = (now_ms % 1000) << 16 ^ u64::from(std::process::id());
    loop {
        let id = format!("{stamp}-{:04x}", salt & 0xffff);
        if !path_of(dir, &id).exists() {
            return id;
        }
        salt = salt
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407)
            >> 7;
    }
}

/// Holds a session's lock file while open, so two processes never write the same session.
pub struct SessionLock {
    file: std::fs::File,
}

impl SessionLock {
    /// Takes the lock of session `id`, or `None` when another process holds it.
    pub fn acquire(dir: &Path, id: &str) -> std::io::Result<Option<SessionLock>> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("{id}.lock"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SessionLock { file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

/// The lock file stays: removing it could let two processes lock two different files.
impl Drop for SessionLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests;
