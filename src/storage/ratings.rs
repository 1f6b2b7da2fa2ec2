//! The leaderboard across all sessions: your blind votes fitted into ratings with intervals,
//! how often each judge agreed with you, and the sighted adoptions, from the history database.

use std::collections::BTreeMap;

use std::path::Path;

use super::index::{Entry, ModelStat, RoundVotes, median, scoreboard, scoreboard_of, summarize};
use super::session::Session;
use super::votes::{Verdict, agree};
use crate::cost::Usd;
use crate::rating::{self, Vote};

/// A model with fewer blind votes than this is marked provisional.
pub const PROVISIONAL_BELOW: u32 = 5;

/// One model's personal rating.
#[derive(Clone, Debug, PartialEq)]
pub struct RatedModel {
    pub model: String,
    pub rating: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub votes: u32,
    pub wins: u32,
    pub losses: u32,
    pub ties: u32,
    /// What one of its answers cost on average (every answer, voted on or not).
    pub cost_per_answer: Option<Usd>,
    pub median_tokens_per_s: Option<f64>,
}

impl RatedModel {
    pub fn provisional(&self) -> bool {
        self.votes < PROVISIONAL_BELOW
    }

    /// Won votes over all its votes (ties count half).
    pub fn win_rate(&self) -> f64 {
        if self.votes == 0 {
            return 0.0;
        }
        (f64::from(self.wins) + f64::from(self.ties) / 2.0) / f64::from(self.votes)
    }
}

/// How often one judge's verdict matched your vote on the same round.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Agreement {
    pub judge: String,
    /// Rounds with both your blind vote and a parsed verdict of this judge.
    pub rounds: u32,
    pub agreed: u32,
    /// Its verdicts that could not be parsed.
    pub unparseable: u32,
}

impl Agreement {
    pub fn rate(&self) -> Option<f64> {
        (self.rounds > 0).then(|| f64::from(self.agreed) / f64::from(self.rounds))
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Leaderboard {
    /// Best first.
    pub ratings: Vec<RatedModel>,
    pub blind_votes: u32,
    /// Votes cast with the models shown: kept, but not in the ratings.
    pub sighted_votes: u32,
    pub judges: Vec<Agreement>,
    /// Sighted adoptions (★) and answers per model.
    pub adoptions: Vec<ModelStat>,
}

/// The leaderboard of every readable session in `entries`.
pub fn leaderboard(entries: &[Entry]) -> Leaderboard {
    let rounds = entries.iter().flat_map(|e| match e {
        Entry::Session(s) => s.votes.as_slice(),
        Entry::Unreadable { .. } => &[],
    });
    board(scoreboard(entries), rounds)
}

/// The leaderboard of every session in the history database of `dir`, with `current` (the
/// open session, as it is in memory) in place of its file. Without a usable database, every
/// file is read.
pub fn from_history(dir: &Path, current: Option<&Session>) -> Leaderboard {
    let current = current.map(summarize);
    let except = current.as_ref().map(|s| s.id.as_str());
    match super::history::tally(dir, except) {
        Ok(t) => {
            let stats = t.stats.iter().chain(current.iter().flat_map(|s| &s.stats));
            let rounds = t.votes.iter().chain(current.iter().flat_map(|s| &s.votes));
            board(scoreboard_of(stats), rounds)
        }
        Err(e) => {
            crate::log::warn(&format!("{e}; reading every session file instead"));
            let mut entries = super::index::list(dir);
            if let Some(s) = current {
                entries.retain(|e| !matches!(e, Entry::Session(x) if x.id == s.id));
                entries.push(Entry::Session(s));
            }
            leaderboard(&entries)
        }
    }
}

/// Ratings and judges' agreement from the rounds' votes, with the adoptions alongside.
fn board<'a>(
    adoptions: Vec<ModelStat>,
    rounds: impl IntoIterator<Item = &'a RoundVotes>,
) -> Leaderboard {
    let mut names: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut votes = Vec::new();
    let mut board = Leaderboard::default();
    let mut judges: BTreeMap<String, Agreement> = BTreeMap::new();
    for round in rounds {
        if let Some(v) = &round.vote {
            if v.blind {
                board.blind_votes += 1;
                let mut id = |m: &String| {
                    *index.entry(m.clone()).or_insert_with(|| {
                        names.push(m.clone());
                        names.len() - 1
                    })
                };
                let players: Vec<usize> = v.models.iter().map(&mut id).collect();
                let best = match v.verdict {
                    Verdict::Best => v.best.as_ref().map(&mut id),
                    _ => None,
                };
                votes.push(Vote { players, best });
            } else {
                board.sighted_votes += 1;
            }
        }
        // Asked again, a judge counts once per round: by its last verdict.
        let last: BTreeMap<&str, &super::votes::Judgement> = round
            .judgements
            .iter()
            .map(|j| (j.judge.as_str(), j))
            .collect();
        for j in last.into_values() {
            let a = judges.entry(j.judge.clone()).or_insert_with(|| Agreement {
                judge: j.judge.clone(),
                ..Agreement::default()
            });
            if j.verdict == Verdict::Unparseable {
                a.unparseable += 1;
            }
            if let Some(v) = round.vote.as_ref().filter(|v| v.blind)
                && let Some(same) = agree(v, j)
            {
                a.rounds += 1;
                a.agreed += u32::from(same);
            }
        }
    }
    let stat = |m: &str| adoptions.iter().find(|s| s.model == m);
    board.ratings = rating::rate(names.len(), &votes, rating::RESAMPLES, rating::SEED)
        .into_iter()
        .map(|r| {
            let model = names[r.player].clone();
            let s = stat(&model);
            RatedModel {
                cost_per_answer: s
                    .filter(|s| s.answers > 0)
                    .map(|s| Usd::from_atto(s.cost.atto() / i128::from(s.answers))),
                median_tokens_per_s: s.and_then(|s| median(&s.speeds)),
                model,
                rating: r.rating,
                ci_low: r.ci_low,
                ci_high: r.ci_high,
                votes: r.votes,
                wins: r.wins,
                losses: r.losses,
                ties: r.ties,
            }
        })
        .collect();
    board.judges = judges.into_values().collect();
    board.adoptions = adoptions;
    board
}

#[cfg(test)]
mod tests;
