//! What a round records of its judging: whether it was blind (and the seed that shuffled its
//! panes), your vote, and a judge model's verdicts. Kept in the session file (schema 4).

use serde::{Deserialize, Serialize};

use crate::chat::{AnswerStatus, Usage};
use crate::cost::Cost;

/// A blind round: the seed that shuffled the models across the panes, and whether the models
/// were shown before a vote (turning blind mode off does that; a vote cast after it is sighted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlindRecord {
    pub seed: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revealed: bool,
}

/// What a vote or a verdict says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// One answer is the best: it beats every other one.
    Best,
    /// Equally good: a tie between every pair.
    Tie,
    /// Every answer is bad: a tie between every pair too, recorded as said.
    AllBad,
    /// A judge's reply that is not the JSON it was asked for (no vote at all).
    Unparseable,
    /// A judge's reading that failed or was stopped before it replied (no vote at all).
    Failed,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Best => "best",
            Verdict::Tie => "tie",
            Verdict::AllBad => "all bad",
            Verdict::Unparseable => "unparseable",
            Verdict::Failed => "failed",
        }
    }
}

/// Your vote on a round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoteRecord {
    pub verdict: Verdict,
    /// The model voted best (with `verdict: best`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<String>,
    /// Every model whose answer took part, in pane order.
    pub models: Vec<String>,
    /// Cast before the models were shown.
    pub blind: bool,
    pub at_ms: u64,
}

/// One of the judge's two readings: the answers in one order, and what it said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JudgeRun {
    /// The models in the order the judge read their answers (as `Answer 1`, `Answer 2`, …).
    pub order: Vec<String>,
    /// What this reading says: `best` (with `pick`), `tie`, or `unparseable`.
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pick: Option<String>,
    /// The judge's short reason, or the start of an unparseable reply.
    #[serde(default)]
    pub reason: String,
    pub status: AnswerStatus,
    /// Some text arrived (a reading that produced output and has no price is unpriced, not $0).
    #[serde(default)]
    pub answered: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<String>,
}

/// A judge model's verdict on a round: both readings, and what they add up to (a tie when
/// they disagree, unparseable when either is).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    pub judge: String,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<String>,
    /// The models judged, in pane order.
    pub models: Vec<String>,
    pub runs: Vec<JudgeRun>,
    pub at_ms: u64,
}

impl Judgement {
    /// Both readings together: the same pick twice is a win, two different picks (or a pick
    /// and a tie) a tie, and a reading that failed or could not be parsed leaves no verdict.
    pub fn combine(runs: &[JudgeRun]) -> (Verdict, Option<String>) {
        if runs.iter().any(|r| r.verdict == Verdict::Failed) {
            return (Verdict::Failed, None);
        }
        if runs.is_empty() || runs.iter().any(|r| r.verdict == Verdict::Unparseable) {
            return (Verdict::Unparseable, None);
        }
        let first = &runs[0];
        let agree = runs
            .iter()
            .all(|r| r.verdict == Verdict::Best && r.pick == first.pick);
        if agree && first.pick.is_some() {
            (Verdict::Best, first.pick.clone())
        } else {
            (Verdict::Tie, None)
        }
    }

    /// What the judge's readings cost.
    pub fn costs(&self) -> impl Iterator<Item = (Option<Cost>, bool)> + '_ {
        self.runs
            .iter()
            .map(|r| (r.cost, r.answered || r.usage.is_some()))
    }
}

/// Whether your vote and a judge's verdict agree: the same model best, or neither naming one
/// (a tie and "all bad" both say no answer beats another).
pub fn agree(vote: &VoteRecord, judge: &Judgement) -> Option<bool> {
    if matches!(judge.verdict, Verdict::Unparseable | Verdict::Failed) {
        return None;
    }
    Some(match (vote.verdict, judge.verdict) {
        (Verdict::Best, Verdict::Best) => vote.best == judge.best,
        (Verdict::Best, _) | (_, Verdict::Best) => false,
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(verdict: Verdict, pick: Option<&str>) -> JudgeRun {
        JudgeRun {
            order: vec!["a".into(), "b".into()],
            verdict,
            pick: pick.map(Into::into),
            reason: String::new(),
            status: AnswerStatus::Complete,
            answered: true,
            usage: None,
            cost: None,
            generation_id: None,
        }
    }

    #[test]
    fn both_readings_must_agree_for_a_win() {
        let same = [run(Verdict::Best, Some("a")), run(Verdict::Best, Some("a"))];
        assert_eq!(Judgement::combine(&same), (Verdict::Best, Some("a".into())));
        let differ = [run(Verdict::Best, Some("a")), run(Verdict::Best, Some("b"))];
        assert_eq!(Judgement::combine(&differ), (Verdict::Tie, None));
        let half = [run(Verdict::Best, Some("a")), run(Verdict::Tie, None)];
        assert_eq!(Judgement::combine(&half), (Verdict::Tie, None));
        let broken = [
            run(Verdict::Best, Some("a")),
            run(Verdict::Unparseable, None),
        ];
        assert_eq!(Judgement::combine(&broken), (Verdict::Unparseable, None));
        assert_eq!(Judgement::combine(&[]), (Verdict::Unparseable, None));
    }

    #[test]
    fn agreement_compares_the_best_or_the_lack_of_one() {
        let vote = |verdict, best: Option<&str>| VoteRecord {
            verdict,
            best: best.map(Into::into),
            models: vec!["a".into(), "b".into()],
            blind: true,
            at_ms: 0,
        };
        let judge = |verdict, best: Option<&str>| Judgement {
            judge: "j".into(),
            verdict,
            best: best.map(Into::into),
            models: vec!["a".into(), "b".into()],
            runs: Vec::new(),
            at_ms: 0,
        };
        let a = Some("a");
        assert_eq!(
            agree(&vote(Verdict::Best, a), &judge(Verdict::Best, a)),
            Some(true)
        );
        assert_eq!(
            agree(&vote(Verdict::Best, a), &judge(Verdict::Best, Some("b"))),
            Some(false)
        );
        assert_eq!(
            agree(&vote(Verdict::Best, a), &judge(Verdict::Tie, None)),
            Some(false)
        );
        assert_eq!(
            agree(&vote(Verdict::AllBad, None), &judge(Verdict::Tie, None)),
            Some(true)
        );
        assert_eq!(
            agree(
                &vote(Verdict::Tie, None),
                &judge(Verdict::Unparseable, None)
            ),
            None
        );
    }
}
