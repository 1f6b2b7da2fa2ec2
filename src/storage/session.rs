//! Session files: one JSON document per session, schema-versioned, written atomically, read
//! with a clear reason when they cannot be. See docs/session-format.md.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::chat::{Adjustment, AnswerStatus, Params, Usage};
use crate::cost::{Cost, Pricing};
use crate::textfmt::civil_from_days;

/// The schema this build writes. Version 1 (linear rounds, no branches) still loads.
pub const SCHEMA: u32 = 3;

/// One model's answer in a round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedAnswer {
    /// The pane it was shown in (0-based), at the time.
    pub slot: usize,
    /// The model that was asked.
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub status: AnswerStatus,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reasoning: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// The prices used for a computed or estimated cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Pricing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttft_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_per_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
    /// The adopted answer of its round.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub adopted: bool,
    /// No longer shown in a pane (regenerated, branched away from, or its pane closed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archived: bool,
    /// Request fields left out or renamed for its endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjusted: Vec<Adjustment>,
    /// What its stream said about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Its reasoning came inline in `<think>` tags.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inline_think: bool,
}

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
    pub rounds: Vec<RoundRecord>,
}

impl Session {
    /// What every answer saved in it cost, archived attempts included (they were paid for).
    pub fn spent(&self) -> crate::cost::Spent {
        crate::cost::Spent::sum(
            self.rounds
                .iter()
                .flat_map(|r| &r.answers)
                .map(|a| (a.cost, a.ttft_ms.is_some())),
        )
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
    let text = std::str::from_utf8(&bytes)
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
mod tests {
    use super::*;
    use crate::cost::{CostSource, Usd};

    pub fn full_session() -> Session {
        let usd = |s: &str| Usd::parse(s).unwrap();
        let answer = SavedAnswer {
            slot: 1,
            model: "a/model".into(),
            served_model: Some("a/model-2026".into()),
            provider: Some("Prov".into()),
            status: AnswerStatus::Error,
            text: "partial ```code``` 日本語".into(),
            reasoning: "because".into(),
            error: Some("provider error 502".into()),
            finish_reason: Some("error".into()),
            usage: Some(Usage {
                prompt_tokens: 11,
                completion_tokens: 22,
                reasoning_tokens: 3,
                cached_tokens: 4,
                cost: Some(usd("0.00333825")),
            }),
            cost: Some(Cost {
                usd: usd("0.00333825"),
                source: CostSource::Reported,
            }),
            pricing: Some(Pricing {
                prompt: usd("0.000003"),
                completion: usd("0.000015"),
                request: Some(usd("0.001")),
                input_cache_read: Some(usd("0.0000003")),
                internal_reasoning: Some(usd("0.00002")),
                from_catalog: Some(crate::cost::CatalogRef {
                    catalog: "https://openrouter.ai/api/v1".into(),
                    fetched_at: 1_764_741_600,
                    id: "openai/gpt-4.1-mini".into(),
                }),
            }),
            ttft_ms: Some(250),
            duration_ms: Some(2000),
            tokens_per_s: Some(12.5),
            generation_id: Some("gen-1".into()),
            adopted: true,
            archived: false,
            adjusted: vec![crate::chat::Adjustment {
                param: "max_tokens".into(),
                renamed_to: Some("max_completion_tokens".into()),
                reason: "the server refused it".into(),
                changes_answer: false,
            }],
            notes: vec!["the answer never started".into()],
            inline_think: true,
        };
        Session {
            schema: SCHEMA,
            id: "20261127-164612-3f9a".into(),
            title: "A title".into(),
            created_ms: 1_795_805_172_000,
            updated_ms: 1_795_805_230_512,
            base_url: "http://127.0.0.1:1/api/v1".into(),
            models: vec!["x/y".into(), "a/model".into()],
            rounds: vec![
                RoundRecord {
                    id: 0,
                    parent: None,
                    prompt: "first".into(),
                    system: Some("be brief".into()),
                    params: Params {
                        temperature: Some(0.5),
                        max_tokens: Some(100),
                        reasoning_effort: Some("low".into()),
                    },
                    created_ms: 1_795_805_172_100,
                    winner: Some(1),
                    answers: vec![answer.clone()],
                },
                RoundRecord {
                    id: 1,
                    parent: Some(0),
                    prompt: "second".into(),
                    system: None,
                    params: Params::default(),
                    created_ms: 1_795_805_180_000,
                    winner: None,
                    answers: vec![SavedAnswer {
                        slot: 0,
                        status: AnswerStatus::Streaming,
                        ..answer
                    }],
                },
            ],
        }
    }

    #[test]
    fn every_field_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let s = full_session();
        save(dir.path(), &s).unwrap();
        let back = load(&path_of(dir.path(), &s.id)).unwrap();
        assert_eq!(back, s);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path_of(dir.path(), &s.id))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn the_schema_1_fixture_still_loads() {
        let text = include_str!("../../tests/fixtures/sessions/v1.json");
        let s = parse(text).unwrap();
        assert_eq!(s.schema, SCHEMA);
        assert_eq!(s.rounds[0].parent, None);
        assert_eq!(
            s.rounds[1].parent,
            Some(0),
            "schema 1 rounds follow each other"
        );
        assert_eq!(s.rounds[1].winner, Some(0));
        assert_eq!(
            s.rounds[0].answers[0].cost.unwrap().usd.to_decimal(),
            "0.0000021"
        );
    }

    #[test]
    fn schema_2_money_reads_digit_for_digit_and_saves_as_strings() {
        let text = include_str!("../../tests/fixtures/sessions/v2.json");
        let s = parse(text).unwrap();
        assert_eq!(s.schema, SCHEMA);
        let a = &s.rounds[0].answers[0];
        assert_eq!(a.cost.unwrap().usd.to_decimal(), "1.000000000000000001");
        assert_eq!(
            a.usage.as_ref().unwrap().cost.unwrap().to_decimal(),
            "1.000000000000000001"
        );
        assert_eq!(a.pricing.as_ref().unwrap().prompt.to_decimal(), "0.0000001");
        assert_eq!(s.rounds[0].prompt, "cost: 1.5 \"usd\": 2");
        assert_eq!(s.rounds[0].params.temperature, Some(0.7));
        let saved = serde_json::to_string(&s).unwrap();
        assert!(saved.contains(r#""usd":"1.000000000000000001""#), "{saved}");
        assert_eq!(parse(&saved).unwrap(), s, "schema 3 reads back equal");
    }

    #[test]
    fn unreadable_files_say_why() {
        assert!(matches!(parse("{not json"), Err(LoadError::Corrupt(_))));
        assert!(matches!(
            parse(r#"{"schema": 2}"#),
            Err(LoadError::Corrupt(_))
        ));
        let newer = serde_json::to_string(&Session {
            schema: 99,
            ..full_session()
        })
        .unwrap();
        assert_eq!(parse(&newer), Err(LoadError::Newer(99)));
    }

    #[test]
    fn broken_structure_is_corrupt_not_a_crash() {
        let mut s = full_session();
        s.rounds[1].parent = Some(1);
        assert!(
            matches!(parse(&serde_json::to_string(&s).unwrap()), Err(LoadError::Corrupt(m)) if m.contains("later round"))
        );
        let mut s = full_session();
        s.rounds[1].id = 7;
        assert!(matches!(
            parse(&serde_json::to_string(&s).unwrap()),
            Err(LoadError::Corrupt(_))
        ));
        let mut s = full_session();
        s.id = "../../etc/passwd".into();
        assert!(
            matches!(parse(&serde_json::to_string(&s).unwrap()), Err(LoadError::Corrupt(m)) if m.contains("bad id"))
        );
        let mut s = full_session();
        s.rounds[0].answers[0].slot = 99;
        assert!(parse(&serde_json::to_string(&s).unwrap()).is_err());
    }

    #[test]
    fn a_copied_file_is_its_own_session() {
        let dir = tempfile::tempdir().unwrap();
        let s = full_session();
        save(dir.path(), &s).unwrap();
        std::fs::copy(
            path_of(dir.path(), &s.id),
            dir.path().join("backup-copy.json"),
        )
        .unwrap();
        assert_eq!(
            load(&dir.path().join("backup-copy.json")).unwrap().id,
            "backup-copy"
        );
    }

    #[test]
    fn ids_sort_by_time_and_locks_exclude() {
        let dir = tempfile::tempdir().unwrap();
        let a = new_id(1_795_805_172_000, dir.path());
        assert!(a.starts_with("20261127-"), "{a}");
        assert_eq!(
            crate::textfmt::format_time(1_795_805_172_000),
            "2026-11-27 18:46"
        );
        let first = SessionLock::acquire(dir.path(), &a).unwrap();
        assert!(first.is_some());
        assert!(
            SessionLock::acquire(dir.path(), &a).unwrap().is_none(),
            "a second holder is refused"
        );
        drop(first);
        assert!(SessionLock::acquire(dir.path(), &a).unwrap().is_some());
    }
}
