//! The session list and its summaries, read from the history database (`storage::history`),
//! which is brought up to date when files change behind our back. Unreadable files are listed
//! with the reason, never touched. Without a usable database, every file is read instead.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::session::{LoadError, Session, load};
use super::votes::{Judgement, VoteRecord};
use crate::chat::AnswerStatus;
use crate::cost::Usd;

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
    /// Per model. Empty in [`list`]'s entries, for speed (the scoreboard reads the
    /// database's tally); filled in [`list_detailed`]'s.
    #[serde(default)]
    pub stats: Vec<ModelStat>,
    /// Rounds with your vote or a judge's verdict (the judges' readings left out); empty in
    /// [`list`]'s entries, like `stats`.
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

/// Every session in `dir`, newest first (unreadable files first of all). Reads only files
/// added or changed since the history database last saw them.
pub fn list(dir: &Path) -> Vec<Entry> {
    match super::history::list(dir) {
        Ok(entries) => entries,
        Err(e) => {
            crate::log::warn(&format!("{e}; reading every session file instead"));
            read_all(dir)
        }
    }
}

/// [`list`] with every summary complete, `stats` and `votes` included.
pub fn list_detailed(dir: &Path) -> Vec<Entry> {
    match super::history::list_detailed(dir) {
        Ok(entries) => entries,
        Err(e) => {
            crate::log::warn(&format!("{e}; reading every session file instead"));
            read_all(dir)
        }
    }
}

/// The list from the files themselves, in the same order as the database gives it.
fn read_all(dir: &Path) -> Vec<Entry> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|item| item.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json") && name != "index.json" && !name.starts_with('.'))
        .collect();
    names.sort();
    let mut entries: Vec<Entry> = names
        .into_iter()
        .map(|name| match load(&dir.join(&name)) {
            Ok(s) => Entry::Session(summarize(&s)),
            Err(e) => Entry::Unreadable {
                file: name,
                reason: e.to_string(),
            },
        })
        .collect();
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
    scoreboard_of(entries.iter().flat_map(|e| match e {
        Entry::Session(s) => s.stats.as_slice(),
        Entry::Unreadable { .. } => &[],
    }))
}

/// Adds up models' stats (of several sessions, or the database's tally and the open
/// session), most adopted first.
pub fn scoreboard_of<'a>(stats: impl IntoIterator<Item = &'a ModelStat>) -> Vec<ModelStat> {
    let mut all: BTreeMap<String, ModelStat> = BTreeMap::new();
    for st in stats {
        let t = all.entry(st.model.clone()).or_insert_with(|| ModelStat {
            model: st.model.clone(),
            ..ModelStat::default()
        });
        t.answers += st.answers;
        t.adopted += st.adopted;
        t.cost += st.cost;
        t.speeds.extend(&st.speeds);
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
