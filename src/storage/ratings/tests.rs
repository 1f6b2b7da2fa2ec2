//! The leaderboard from a constructed history.

use super::*;
use crate::storage::index::{RoundVotes, Summary};
use crate::storage::votes::{Judgement, Verdict, VoteRecord};

fn vote(best: Option<&str>, models: &[&str], blind: bool) -> VoteRecord {
    VoteRecord {
        verdict: if best.is_some() {
            Verdict::Best
        } else {
            Verdict::Tie
        },
        best: best.map(Into::into),
        models: models.iter().map(|m| m.to_string()).collect(),
        blind,
        at_ms: 0,
    }
}

fn judged(verdict: Verdict, best: Option<&str>) -> Judgement {
    Judgement {
        judge: "j/judge".into(),
        verdict,
        best: best.map(Into::into),
        models: vec!["a".into(), "b".into()],
        runs: Vec::new(),
        at_ms: 0,
    }
}

fn session(id: &str, votes: Vec<RoundVotes>) -> Entry {
    Entry::Session(Summary {
        id: id.into(),
        title: id.into(),
        created_ms: 0,
        updated_ms: 0,
        models: vec!["a".into(), "b".into()],
        rounds: votes.len(),
        cost: Usd::ZERO,
        estimated: false,
        unpriced: 0,
        prompts: String::new(),
        stats: Vec::new(),
        votes,
    })
}

#[test]
fn blind_votes_rate_sighted_ones_are_kept_apart_and_judges_are_scored() {
    let round = |v: Option<VoteRecord>, j: Vec<Judgement>| RoundVotes {
        vote: v,
        judgements: j,
    };
    // a beats b in 6 blind votes, b wins 2; one sighted vote for b is not counted.
    let mut one = Vec::new();
    for i in 0..8 {
        let best = if i < 6 { "a" } else { "b" };
        // The judge agrees on the first five rounds only.
        let j = if i < 5 {
            judged(Verdict::Best, Some(best))
        } else {
            judged(Verdict::Tie, None)
        };
        one.push(round(Some(vote(Some(best), &["a", "b"], true)), vec![j]));
    }
    let two = vec![
        round(
            Some(vote(Some("b"), &["a", "b"], false)),
            vec![judged(Verdict::Best, Some("b"))],
        ),
        round(None, vec![judged(Verdict::Unparseable, None)]),
        round(
            Some(vote(None, &["a", "b"], true)),
            vec![judged(Verdict::Tie, None)],
        ),
    ];
    let entries = [session("one", one), session("two", two)];
    let lb = leaderboard(&entries);
    assert_eq!(
        lb,
        leaderboard(&entries),
        "the same votes give the same numbers"
    );
    assert_eq!((lb.blind_votes, lb.sighted_votes), (9, 1));
    assert_eq!(lb.ratings[0].model, "a");
    assert_eq!(
        (
            lb.ratings[0].votes,
            lb.ratings[0].wins,
            lb.ratings[0].losses,
            lb.ratings[0].ties
        ),
        (9, 6, 2, 1)
    );
    assert!(lb.ratings[0].rating > 1000.0 && lb.ratings[1].rating < 1000.0);
    assert!(
        lb.ratings[0].ci_low < lb.ratings[0].rating && lb.ratings[0].rating < lb.ratings[0].ci_high
    );
    assert!(!lb.ratings[0].provisional());
    assert!((lb.ratings[0].win_rate() - 6.5 / 9.0).abs() < 1e-9);
    let j = &lb.judges[0];
    // 8 blind rounds in "one" (5 agree), the tie in "two" agrees; the sighted round and the
    // unparseable verdict do not count.
    assert_eq!((j.rounds, j.agreed, j.unparseable), (9, 6, 1));
    assert!((j.rate().unwrap() - 6.0 / 9.0).abs() < 1e-9);
}

#[test]
fn few_votes_are_provisional() {
    let r = RoundVotes {
        vote: Some(vote(Some("a"), &["a", "b", "c"], true)),
        judgements: Vec::new(),
    };
    let lb = leaderboard(&[session("s", vec![r])]);
    assert_eq!(lb.ratings.len(), 3);
    assert!(lb.ratings.iter().all(RatedModel::provisional));
    assert_eq!(lb.ratings[0].model, "a");
    assert_eq!((lb.ratings[0].wins, lb.ratings[1].losses), (1, 1));
}
