//! The session list without reading every session: `index.json` keeps a summary of each file
//! with the size and modification time it was made from, and is brought up to date when files
//! change behind our back. Unreadable files are listed with the reason, never touched.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::session::{LoadError, Session, load};
use super::votes::{Judgement, VoteRecord};
use crate::chat::AnswerStatus;
use crate::cost::Usd;

const INDEX_VERSION: u32 = 3;
const INDEX_FILE: &str = "index.json";

/// One model's part in a session, for the scoreboard.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelStat {
    pub model: String,
    pub answers: u32,
    pub adopted: u32,
    pub cost: Usd,
    /// Tokens per second of its complete answers.
    pub speeds: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub created_ms: u64,
    pub updated_ms: u64,
    pub models: Vec<String>,
    pub rounds: usize,
    pub cost: Usd,
    pub estimated: bool,
    /// Answers with output and no price (not in `cost`).
    #[serde(default)]
    pub unpriced: usize,
    /// Prompts, lowercased, for searching.
    pub prompts: String,
    pub stats: Vec<ModelStat>,
    /// Rounds with your vote or a judge's verdict (the judges' readings left out).
    #[serde(default)]
    pub votes: Vec<RoundVotes>,
}

/// A round's vote and verdicts, for the ratings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundVotes {
    pub vote: Option<VoteRecord>,
    pub judgements: Vec<Judgement>,
}

impl Summary {
    /// The session's total as every other total is shown.
    pub fn spent(&self) -> crate::cost::Spent {
        crate::cost::Spent {
            total: self.cost,
            estimated: self.estimated,
            unpriced: self.unpriced,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Entry {
    Session(Summary),
    /// A file that cannot be read, with the reason. Left exactly as it is.
    Unreadable {
        file: String,
        reason: String,
    },
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Cached {
    size: u64,
    mtime_ns: u128,
    entry: Option<Entry>,
}

#[derive(Default, Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    files: BTreeMap<String, Cached>,
}

pub fn summarize(s: &Session) -> Summary {
    let mut stats: BTreeMap<String, ModelStat> = BTreeMap::new();
    let mut prompts = String::new();
    for r in &s.rounds {
        if prompts.len() < 4096 {
            prompts.push_str(&r.prompt.to_lowercase());
            prompts.push('\n');
        }
        // Until a blind round is voted on or revealed, its answers say nothing per model: a
        // count or a speed on F2 would tie a pane's letter to a model.
        if r.blind.is_some_and(|b| !b.revealed) {
            continue;
        }
        for a in &r.answers {
            let st = stats.entry(a.model.clone()).or_insert_with(|| ModelStat {
                model: a.model.clone(),
                ..ModelStat::default()
            });
            st.answers += 1;
            if r.is_adopted(a) {
                st.adopted += 1;
            }
            if let Some(c) = a.cost {
                st.cost += c.usd;
            }
            if a.status == AnswerStatus::Complete
                && let Some(t) = a.tokens_per_s
            {
                st.speeds.push(t);
            }
        }
    }
    let votes = s
        .rounds
        .iter()
        .filter(|r| r.vote.is_some() || !r.judgements.is_empty())
        .map(|r| RoundVotes {
            vote: r.vote.clone(),
            judgements: r
                .judgements
                .iter()
                .map(|j| Judgement {
                    runs: Vec::new(),
                    ..j.clone()
                })
                .collect(),
        })
        .collect();
    let spent = s.spent();
    Summary {
        id: s.id.clone(),
        title: s.title.clone(),
        created_ms: s.created_ms,
        updated_ms: s.updated_ms,
        models: s.models.clone(),
        rounds: s.rounds.len(),
        cost: spent.total,
        estimated: spent.estimated,
        unpriced: spent.unpriced,
        prompts,
        stats: stats.into_values().collect(),
        votes,
    }
}

fn stamp(meta: &std::fs::Metadata) -> (u64, u128) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), mtime)
}

/// Every session in `dir`, newest first. Re-reads only files whose size or modification time
/// changed since the index was written, and rewrites the index when anything changed.
pub fn list(dir: &Path) -> Vec<Entry> {
    let index_path = dir.join(INDEX_FILE);
    let mut index: IndexFile = std::fs::read(&index_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|i: &IndexFile| i.version == INDEX_VERSION)
        .unwrap_or_default();
    let mut changed = false;
    let mut seen = BTreeMap::new();
    for item in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name == INDEX_FILE || name.starts_with('.') {
            continue;
        }
        let Ok(meta) = item.metadata() else { continue };
        let (size, mtime_ns) = stamp(&meta);
        let cached = index.files.remove(&name);
        let fresh =
            cached.filter(|c| c.size == size && c.mtime_ns == mtime_ns && c.entry.is_some());
        let cached = match fresh {
            Some(c) => c,
            None => {
                changed = true;
                let entry = match load(&item.path()) {
                    Ok(s) => Entry::Session(summarize(&s)),
                    Err(e) => Entry::Unreadable {
                        file: name.clone(),
                        reason: e.to_string(),
                    },
                };
                Cached {
                    size,
                    mtime_ns,
                    entry: Some(entry),
                }
            }
        };
        seen.insert(name, cached);
    }
    changed |= !index.files.is_empty();
    index.files = seen;
    index.version = INDEX_VERSION;
    if changed && let Ok(json) = serde_json::to_vec(&index) {
        let _ = super::write_atomic(&index_path, &json);
    }
    let mut entries: Vec<Entry> = index.files.into_values().filter_map(|c| c.entry).collect();
    entries.sort_by_key(|e| {
        std::cmp::Reverse(match e {
            Entry::Session(s) => s.updated_ms,
            Entry::Unreadable { .. } => u64::MAX,
        })
    });
    entries
}

/// The most recently updated readable session.
pub fn latest(dir: &Path) -> Option<Summary> {
    list(dir).into_iter().find_map(|e| match e {
        Entry::Session(s) => Some(s),
        Entry::Unreadable { .. } => None,
    })
}

/// Finds a session by id or unique id prefix.
pub fn find(dir: &Path, id: &str) -> Result<Session, String> {
    // Ids are file names the app made: anything else could name a file elsewhere.
    if !super::session::valid_id(id) {
        return Err(format!(
            "{:?} is not a session id: ids hold only letters, digits, - and _ (switchboard sessions list shows them)",
            crate::sanitize::single_line(id)
        ));
    }
    let exact = super::session::path_of(dir, id);
    if exact.exists() {
        return load(&exact).map_err(|e| format!("session {id}: {e}"));
    }
    let matches: Vec<String> = list(dir)
        .into_iter()
        .filter_map(|e| match e {
            Entry::Session(s) if s.id.starts_with(id) => Some(s.id),
            _ => None,
        })
        .collect();
    match matches.as_slice() {
        [one] => load(&super::session::path_of(dir, one))
            .map_err(|e: LoadError| format!("session {one}: {e}")),
        [] => Err(format!(
            "no session {id:?} (switchboard sessions list shows them)"
        )),
        many => Err(format!(
            "{id:?} matches {} sessions; give more of the id",
            many.len()
        )),
    }
}

/// The scoreboard: every model across every session, most adopted first.
pub fn scoreboard(entries: &[Entry]) -> Vec<ModelStat> {
    let mut all: BTreeMap<String, ModelStat> = BTreeMap::new();
    for e in entries {
        let Entry::Session(s) = e else { continue };
        for st in &s.stats {
            let t = all.entry(st.model.clone()).or_insert_with(|| ModelStat {
                model: st.model.clone(),
                ..ModelStat::default()
            });
            t.answers += st.answers;
            t.adopted += st.adopted;
            t.cost += st.cost;
            t.speeds.extend(&st.speeds);
        }
    }
    let mut v: Vec<ModelStat> = all.into_values().collect();
    v.sort_by(|a, b| {
        b.adopted
            .cmp(&a.adopted)
            .then(b.answers.cmp(&a.answers))
            .then(a.model.cmp(&b.model))
    });
    v
}

pub fn median(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests;
