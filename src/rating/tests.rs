//! Tests of `rating`: small exact cases, determinism, degenerate inputs, the generator.

use super::*;

mod statistics;

use statistics::simulate;

fn pair(winner: usize, loser: usize) -> Vote {
    Vote {
        players: vec![winner, loser],
        best: Some(winner),
    }
}

fn tie(players: &[usize]) -> Vote {
    Vote {
        players: players.to_vec(),
        best: None,
    }
}

fn times(n: usize, vote: Vote) -> Vec<Vote> {
    vec![vote; n]
}

fn assert_sane(n: usize, votes: &[Vote]) {
    let ratings = fit(n, votes);
    assert_eq!(ratings.len(), n);
    assert!(ratings.iter().all(|r| r.is_finite()), "{ratings:?}");
    if n > 0 {
        let mean = ratings.iter().sum::<f64>() / n as f64;
        assert!((mean - 1000.0).abs() < 1e-6, "mean {mean}");
    }
    let rated = rate(n, votes, 20, SEED);
    assert_eq!(rated.len(), n);
    for r in &rated {
        assert!(r.rating.is_finite() && r.ci_low.is_finite() && r.ci_high.is_finite());
        assert!(r.ci_low <= r.ci_high, "{r:?}");
        assert_eq!(r.rating, ratings[r.player]);
    }
}

#[test]
fn three_wins_to_one() {
    let mut votes = times(3, pair(0, 1));
    votes.push(pair(1, 0));
    let r = fit(2, &votes);
    // The optimum is symmetric (θ_A = −θ_B = d/2) and solves
    // 3 − 4σ(d) + (0.5 − σ(d/2)) = 0: the last term is A's virtual tie, which pulls d below
    // ln 3 (the plain MLE). With four votes the pull is about 28 Elo; it fades as votes grow.
    let sigma = |x: f64| 1.0 / (1.0 + (-x).exp());
    let (mut lo, mut hi) = (0.0, 3.0);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if 3.0 - 4.0 * sigma(mid) + 0.5 - sigma(mid / 2.0) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let expected = lo * 400.0 / std::f64::consts::LN_10;
    let diff = r[0] - r[1];
    assert!((diff - expected).abs() < 1e-6, "{diff} vs {expected}");
    let plain = 400.0 * 3f64.log10();
    assert!(diff < plain && plain - diff < 40.0, "{diff} vs {plain}");
    assert!((r[0] + r[1] - 2000.0).abs() < 1e-9);

    // With many votes the prior is negligible: 300 to 100 is within 1 Elo of 400·log10(3).
    let mut many = times(300, pair(0, 1));
    many.extend(times(100, pair(1, 0)));
    let r = fit(2, &many);
    assert!((r[0] - r[1] - plain).abs() < 1.0, "{r:?}");
}

#[test]
fn symmetric_ties_give_equal_ratings() {
    let votes = times(5, tie(&[0, 1]));
    assert_eq!(fit(2, &votes), vec![1000.0, 1000.0]);
    let mut votes = times(4, pair(0, 1));
    votes.extend(times(4, pair(1, 0)));
    votes.extend(times(3, tie(&[0, 1, 2])));
    let r = fit(3, &votes);
    assert!(r.iter().all(|x| (x - 1000.0).abs() < 1e-9), "{r:?}");
}

#[test]
fn best_of_three_is_two_wins() {
    let triple = vec![
        Vote {
            players: vec![2, 0, 1],
            best: Some(0),
        },
        pair(1, 2),
    ];
    let pairs = vec![pair(0, 2), pair(0, 1), pair(1, 2)];
    assert_eq!(fit(3, &triple), fit(3, &pairs));
}

#[test]
fn all_bad_is_ties_and_a_tie_is_half_a_win() {
    // An all-bad vote over three is a tie in each of the three pairs.
    let mut a = times(2, pair(0, 1));
    a.push(tie(&[0, 1, 2]));
    let mut b = times(2, pair(0, 1));
    b.extend([tie(&[0, 1]), tie(&[1, 2]), tie(&[0, 2])]);
    assert_eq!(fit(3, &a), fit(3, &b));
    // One win and two ties weigh like two wins and one loss.
    let ties = vec![pair(0, 1), tie(&[0, 1]), tie(&[1, 0])];
    let wins = vec![pair(0, 1), pair(0, 1), pair(1, 0)];
    assert_eq!(fit(2, &ties), fit(2, &wins));
}

#[test]
fn rate_is_deterministic() {
    let votes = simulate(&mut Rng::new(9), &[900.0, 1000.0, 1100.0, 1050.0], 300);
    let a = rate(4, &votes, RESAMPLES, SEED);
    assert_eq!(a, rate(4, &votes, RESAMPLES, SEED));
    assert_ne!(a, rate(4, &votes, RESAMPLES, SEED + 1));
    assert_eq!(fit(4, &votes), fit(4, &votes));
    for r in &a {
        assert!(r.ci_low < r.rating && r.rating < r.ci_high, "{r:?}");
    }
    // No resamples: the interval is the point.
    for r in rate(4, &votes, 0, SEED) {
        assert_eq!((r.ci_low, r.ci_high), (r.rating, r.rating));
    }
}

#[test]
fn degenerate_inputs_stay_finite() {
    assert_sane(0, &[]);
    assert_sane(3, &[]);
    assert_eq!(fit(3, &[]), vec![1000.0; 3]);
    assert_sane(1, &[pair(0, 0), tie(&[0])]);
    // Someone who never won, someone who never lost, a lopsided 100,000 to 0.
    assert_sane(2, &times(100_000, pair(0, 1)));
    assert_sane(3, &[pair(0, 1), pair(0, 2), pair(1, 2)]);
    // Two groups never compared with each other.
    let mut split = times(50, pair(0, 1));
    split.extend(times(10, pair(3, 2)));
    split.extend(times(10, tie(&[4, 5, 6])));
    assert_sane(8, &split);
    let r = fit(8, &split);
    assert_eq!(r[7], 1000.0);
    assert!(
        r[0] > r[3] && r[3] > r[4] && r[4] > r[2] && r[2] > r[1],
        "{r:?}"
    );
    // Invalid votes are skipped: out of range, one player, a duplicate, a foreign best.
    let invalid = vec![
        pair(0, 5),
        tie(&[1]),
        Vote {
            players: vec![0, 1, 0],
            best: Some(0),
        },
        Vote {
            players: vec![0, 1],
            best: Some(2),
        },
        tie(&[]),
    ];
    assert_sane(3, &invalid);
    assert_eq!(fit(3, &invalid), vec![1000.0; 3]);
    let mut mixed = invalid.clone();
    mixed.push(pair(2, 1));
    assert_eq!(fit(3, &mixed), fit(3, &[pair(2, 1)]));
    // Random garbage.
    let mut rng = Rng::new(77);
    for _ in 0..200 {
        let n = rng.below(6) as usize;
        let votes: Vec<Vote> = (0..rng.below(30))
            .map(|_| Vote {
                players: (0..rng.below(5)).map(|_| rng.below(7) as usize).collect(),
                best: (rng.below(3) > 0).then(|| rng.below(7) as usize),
            })
            .collect();
        assert_sane(n, &votes);
    }
}

#[test]
fn rate_orders_best_first_and_counts_records() {
    let votes = vec![
        pair(3, 1),
        pair(3, 1),
        Vote {
            players: vec![1, 3, 4],
            best: Some(1),
        },
        tie(&[3, 4]),
        pair(0, 5), // out of range for n = 5: skipped
    ];
    let rated = rate(5, &votes, 50, SEED);
    let order: Vec<usize> = rated.iter().map(|r| r.player).collect();
    // 2 and 0 have no (valid) votes: 1000 each, in index order.
    assert_eq!(order, [3, 1, 0, 2, 4], "{rated:?}");
    assert!(rated.windows(2).all(|w| w[0].rating >= w[1].rating));
    let record = |p: usize| {
        let r = rated.iter().find(|r| r.player == p).unwrap();
        [r.votes, r.wins, r.losses, r.ties]
    };
    assert_eq!(record(3), [4, 2, 1, 1]);
    assert_eq!(record(1), [3, 1, 2, 0]);
    assert_eq!(record(4), [2, 0, 1, 1]);
    assert_eq!(record(0), [0; 4]);
    let zero = rated.iter().find(|r| r.player == 0).unwrap();
    assert_eq!(
        (zero.rating, zero.ci_low, zero.ci_high),
        (1000.0, 1000.0, 1000.0)
    );
}
