//! Reading the database: the session list, full-text search and the scoreboard's tallies.

use std::collections::{BTreeMap, HashMap};

use super::write::Stamp;
use super::{History, HistoryError};
use crate::cost::Usd;
use crate::storage::index::{Entry, ModelStat, RoundVotes, Summary};
use crate::storage::votes::{Judgement, Verdict, VoteRecord};

/// A session's per-model stats and its rounds' votes.
pub type Details = (Vec<ModelStat>, Vec<RoundVotes>);

/// What the scoreboard reads: each model's answers, and every round with a vote or a
/// verdict (newest session first, as the list is ordered).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    pub stats: Vec<ModelStat>,
    pub votes: Vec<RoundVotes>,
}

fn usd(text: Option<&str>) -> Usd {
    text.and_then(|t| Usd::parse(t).ok()).unwrap_or(Usd::ZERO)
}

fn verdict(name: &str) -> Verdict {
    serde_json::from_value(serde_json::Value::String(name.to_string())).unwrap_or(Verdict::Failed)
}

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The FTS5 query for what was typed: every word must occur, the last one as a prefix
/// (it may still be being typed). Each word is quoted, so FTS5 syntax typed by the user
/// (`AND`, `*`, `"`, `:`) is searched for as text rather than parsed. `None` when there is
/// no word to look for.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<&str> = typed
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let quoted = format!("\"{}\"", w.replace('"', "\"\""));
            if i == last { quoted + "*" } else { quoted }
        })
        .collect();
    Some(terms.join(" "))
}

impl History {
    /// Every file, unreadable ones first, then sessions newest first (by file name when two
    /// were updated in the same millisecond). `stats` and `votes` are left empty: the
    /// scoreboard reads them with [`History::tally`].
    pub(super) fn entries(&self) -> Result<Vec<Entry>, HistoryError> {
        Ok(self.entries_and_stamps()?.0)
    }

    /// [`History::entries`], and the stamp each file was indexed with, from the same rows
    /// (what a listing compares with the folder).
    pub(super) fn entries_and_stamps(
        &self,
    ) -> Result<(Vec<Entry>, HashMap<String, Stamp>), HistoryError> {
        let mut stamps = HashMap::new();
        let mut unreadable = self.conn.prepare_cached(
            "SELECT name, error, size, mtime_ns FROM files WHERE session_id IS NULL ORDER BY name",
        )?;
        let mut entries = Vec::new();
        let mut rows = unreadable.query([])?;
        while let Some(r) = rows.next()? {
            let file: String = r.get(0)?;
            stamps.insert(file.clone(), (r.get::<_, i64>(2)? as u64, r.get(3)?));
            entries.push(Entry::Unreadable {
                file,
                reason: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            });
        }
        // In the order of the index `sessions_by_update`: no sort at query time.
        let mut sessions = self.conn.prepare_cached(
            "SELECT s.id, s.title, s.created_ms, s.updated_ms, s.models, s.rounds, s.cost,
                    s.estimated, s.unpriced, s.prompts, f.name, f.size, f.mtime_ns
             FROM sessions s JOIN files f ON f.name = s.file
             ORDER BY s.updated_ms DESC, s.file",
        )?;
        let mut rows = sessions.query([])?;
        while let Some(r) = rows.next()? {
            stamps.insert(r.get(10)?, (r.get::<_, i64>(11)? as u64, r.get(12)?));
            entries.push(Entry::Session(Summary {
                id: r.get(0)?,
                title: r.get(1)?,
                created_ms: r.get::<_, i64>(2)? as u64,
                updated_ms: r.get::<_, i64>(3)? as u64,
                models: list(r.get_ref(4)?.as_str()?),
                rounds: r.get::<_, i64>(5)? as usize,
                cost: usd(r.get_ref(6)?.as_str().ok()),
                estimated: r.get(7)?,
                unpriced: r.get::<_, i64>(8)? as usize,
                prompts: r.get(9)?,
                stats: Vec::new(),
                votes: Vec::new(),
            }));
        }
        Ok((entries, stamps))
    }

    /// Ids of the sessions whose prompts, answers or reasoning match [`fts_query`].
    pub(super) fn search(&self, typed: &str) -> Result<Vec<String>, HistoryError> {
        let Some(query) = fts_query(typed) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT t.session_id FROM search JOIN texts t ON t.id = search.rowid
             WHERE search MATCH ?1",
        )?;
        let ids = stmt.query_map([query], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Each model's answers (rounds still blind left out: a count or a speed would tie a
    /// pane's letter to a model) and every vote and verdict, of every session but `except`.
    pub(super) fn tally(&self, except: Option<&str>) -> Result<Tally, HistoryError> {
        let stats = self.stats_by(except, |_, model| model.to_string())?;
        let votes = self.round_votes(except)?;
        Ok(Tally {
            stats: stats.into_values().collect(),
            votes: votes.into_iter().map(|(_, v)| v).collect(),
        })
    }

    /// Each session's `stats` and `votes`, as [`summarize`](crate::storage::index::summarize)
    /// makes them from its file.
    pub(super) fn details(&self) -> Result<HashMap<String, Details>, HistoryError> {
        let mut out: HashMap<String, Details> = HashMap::new();
        let stats = self.stats_by(None, |s, m| (s.to_string(), m.to_string()))?;
        for ((session, _), st) in stats {
            out.entry(session).or_default().0.push(st);
        }
        for (session, v) in self.round_votes(None)? {
            out.entry(session).or_default().1.push(v);
        }
        Ok(out)
    }

    /// Model stats grouped by `key` (of the session id and the model), each answer's speed
    /// in the order of the rounds and answers.
    fn stats_by<K: Ord>(
        &self,
        except: Option<&str>,
        key: impl Fn(&str, &str) -> K,
    ) -> Result<BTreeMap<K, ModelStat>, HistoryError> {
        let mut stats: BTreeMap<K, ModelStat> = BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.session_id, a.model, a.adopted, a.cost, a.status, a.tokens_per_s
             FROM answers a JOIN rounds r ON r.session_id = a.session_id AND r.round = a.round
             WHERE r.hidden = 0 AND a.session_id IS NOT ?1
             ORDER BY a.session_id, a.round, a.pos",
        )?;
        let mut rows = stmt.query([except])?;
        while let Some(r) = rows.next()? {
            let model = r.get_ref(1)?.as_str()?;
            let st = stats
                .entry(key(r.get_ref(0)?.as_str()?, model))
                .or_insert_with(|| ModelStat {
                    model: model.to_string(),
                    ..ModelStat::default()
                });
            st.answers += 1;
            st.adopted += u32::from(r.get::<_, bool>(2)?);
            st.cost += usd(r.get_ref(3)?.as_str_or_null().ok().flatten());
            if r.get_ref(4)?.as_str().ok() == Some("complete")
                && let Some(speed) = r.get::<_, Option<f64>>(5)?
            {
                st.speeds.push(speed);
            }
        }
        Ok(stats)
    }

    /// Every round with a vote or a verdict, newest session first (as the list is ordered),
    /// with its session's id.
    fn round_votes(&self, except: Option<&str>) -> Result<Vec<(String, RoundVotes)>, HistoryError> {
        let mut votes: Vec<(String, RoundVotes)> = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.session_id, v.round, v.judge, v.verdict, v.best, v.models, v.blind, v.at_ms
             FROM votes v JOIN sessions s ON s.id = v.session_id
             WHERE v.session_id IS NOT ?1
             ORDER BY s.updated_ms DESC, s.file, v.round, v.seq",
        )?;
        let mut rows = stmt.query([except])?;
        let mut last: Option<(String, i64)> = None;
        while let Some(r) = rows.next()? {
            let key = (r.get::<_, String>(0)?, r.get::<_, i64>(1)?);
            if last.as_ref() != Some(&key) {
                let empty = RoundVotes {
                    vote: None,
                    judgements: Vec::new(),
                };
                votes.push((key.0.clone(), empty));
                last = Some(key);
            }
            let Some((_, round)) = votes.last_mut() else {
                continue;
            };
            let verdict = verdict(&r.get::<_, String>(3)?);
            let best: Option<String> = r.get(4)?;
            let models = list(&r.get::<_, String>(5)?);
            let at_ms = r.get::<_, i64>(7)? as u64;
            match r.get::<_, Option<String>>(2)? {
                None => {
                    round.vote = Some(VoteRecord {
                        verdict,
                        best,
                        models,
                        blind: r.get::<_, Option<bool>>(6)?.unwrap_or(false),
                        at_ms,
                    })
                }
                Some(judge) => round.judgements.push(Judgement {
                    judge,
                    verdict,
                    best,
                    models,
                    runs: Vec::new(),
                    at_ms,
                }),
            }
        }
        Ok(votes)
    }
}
