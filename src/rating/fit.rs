//! The maximum-likelihood solve: valid votes → pairwise win matrix → Newton-Raphson on the
//! log-strengths.
//!
//! Model: player i has log-strength θ_i and beats j with probability σ(θ_i − θ_j) (Bradley-Terry).
//! Prior: every player also plays one virtual tie (half a win, half a loss) against a virtual
//! player of log-strength 0 (strength 1). That adds 0.5·ln σ(θ_i) + 0.5·ln σ(−θ_i) to the
//! log-likelihood: it keeps every estimate finite (someone who never lost, or a group never
//! compared with the rest) and makes the objective strictly concave, so Newton needs no pinned
//! player. Its weight is one game per player: negligible once a player has tens of votes.
//!
//! Cost: aggregation is linear in the votes (times the pairs inside each vote); one Newton step
//! is O(pairs) for the gradient and Hessian plus a dense Cholesky, O(m³/6) for m voted players.
//! Meant for tens to a few hundred models.

use super::Vote;

/// Elo points per natural-log unit of strength: 400 / ln 10.
pub(super) const ELO_PER_NAT: f64 = 400.0 / std::f64::consts::LN_10;
/// Newton stops once no log-strength moves by more than this (≈2·10⁻⁸ Elo)...
const TOLERANCE: f64 = 1e-10;
/// ...or right after a full step no larger than this: Newton converges quadratically, so the
/// error left is of the order of its square.
const LAST_STEP: f64 = 1e-6;
const MAX_STEPS: usize = 100;

/// One cell of the win matrix a vote adds to: `wins[cell] += weight` per copy of the vote.
/// (u32 fields: 4 billion votes or an m×m matrix of 65,536² cells would not fit in memory.)
#[derive(Clone, Copy, Debug)]
struct Edge {
    vote: u32,
    cell: u32,
    weight: f64,
}

/// The valid votes, compacted to the players that appear in at least one of them.
pub(super) struct Prepared {
    /// Compact index → player index.
    pub active: Vec<usize>,
    /// Number of valid votes.
    pub votes: usize,
    /// What the valid votes add to the m×m win matrix, in vote order.
    edges: Vec<Edge>,
    /// Per player: [votes, wins, losses, ties].
    pub records: Vec<[u32; 4]>,
}

impl Prepared {
    /// Skips votes with fewer than two players, a player `>= n`, a player twice, or a `best`
    /// that is not one of the players.
    pub fn new(n: usize, votes: &[Vote]) -> Self {
        let mut stamp = vec![usize::MAX; n];
        let valid: Vec<&Vote> = votes
            .iter()
            .enumerate()
            .filter(|(k, v)| {
                v.players.len() >= 2
                    && v.players.iter().all(|&p| {
                        let fresh = p < n && stamp[p] != *k;
                        if fresh {
                            stamp[p] = *k;
                        }
                        fresh
                    })
                    && v.best.is_none_or(|b| v.players.contains(&b))
            })
            .map(|(_, v)| v)
            .collect();

        let mut compact = vec![usize::MAX; n];
        let mut records = vec![[0u32; 4]; n];
        for v in &valid {
            for &p in &v.players {
                compact[p] = 0;
                let slot = match v.best {
                    None => 3,
                    Some(b) if b == p => 1,
                    Some(_) => 2,
                };
                records[p][0] = records[p][0].saturating_add(1);
                records[p][slot] = records[p][slot].saturating_add(1);
            }
        }
        let mut active = Vec::new();
        for (p, c) in compact.iter_mut().enumerate() {
            if *c == 0 {
                *c = active.len();
                active.push(p);
            }
        }
        let m = active.len();

        let mut edges = Vec::new();
        for (k, v) in valid.iter().enumerate() {
            let vote = k as u32;
            let cell = |a: usize, b: usize| (compact[a] * m + compact[b]) as u32;
            match v.best {
                Some(b) => {
                    for &p in v.players.iter().filter(|&&p| p != b) {
                        edges.push(Edge {
                            vote,
                            cell: cell(b, p),
                            weight: 1.0,
                        });
                    }
                }
                None => {
                    for &a in &v.players {
                        for &b in v.players.iter().filter(|&&b| b != a) {
                            edges.push(Edge {
                                vote,
                                cell: cell(a, b),
                                weight: 0.5,
                            });
                        }
                    }
                }
            }
        }
        Prepared {
            active,
            votes: valid.len(),
            edges,
            records,
        }
    }

    /// The win matrix with vote k counted `counts(k)` times (all once for the point fit).
    pub fn wins(&self, wins: &mut Vec<f64>, counts: Option<&[u32]>) {
        let m = self.active.len();
        wins.clear();
        wins.resize(m * m, 0.0);
        // One flat pass without branches: a third of the votes miss a given resample, and votes
        // add 1 to 90 cells, both unpredictably.
        for e in &self.edges {
            let c = counts.map_or(1.0, |c| f64::from(c[e.vote as usize]));
            wins[e.cell as usize] += c * e.weight;
        }
    }
}

/// One compared pair: `i` beat `j` `w` times out of `n` (ties as halves).
#[derive(Clone, Copy, Debug)]
struct Pair {
    i: usize,
    j: usize,
    w: f64,
    n: f64,
}

/// Buffers reused across fits (the bootstrap runs hundreds).
#[derive(Default)]
pub(super) struct Solver {
    pairs: Vec<Pair>,
    grad: Vec<f64>,
    /// The negated Hessian, then its Cholesky factor (lower triangle).
    neg_hessian: Vec<f64>,
    step: Vec<f64>,
    trial: Vec<f64>,
}

impl Solver {
    /// Maximises the penalised log-likelihood of the m×m win matrix `wins`, starting from and
    /// writing to `theta` (length m).
    pub fn solve(&mut self, wins: &[f64], theta: &mut [f64]) {
        let m = theta.len();
        self.pairs.clear();
        for i in 0..m {
            for j in i + 1..m {
                let (w, l) = (wins[i * m + j], wins[j * m + i]);
                if w + l > 0.0 {
                    self.pairs.push(Pair { i, j, w, n: w + l });
                }
            }
        }
        self.trial.resize(m, 0.0);
        let mut value = log_likelihood(&self.pairs, theta);
        for _ in 0..MAX_STEPS {
            self.newton_step(theta);
            let largest = self.step.iter().fold(0.0f64, |a, d| a.max(d.abs()));
            if largest <= TOLERANCE {
                theta.iter_mut().zip(&self.step).for_each(|(t, d)| *t += d);
                return;
            }
            // Backtracking (Armijo) line search; far from the optimum a full Newton step on a
            // logistic likelihood can overshoot. The slack absorbs rounding near the optimum.
            let slope: f64 = self.grad.iter().zip(&self.step).map(|(g, d)| g * d).sum();
            let slack = 1e-12 * (1.0 + value.abs());
            let mut t = 1.0;
            loop {
                for ((x, &th), &d) in self.trial.iter_mut().zip(theta.iter()).zip(&self.step) {
                    *x = th + t * d;
                }
                let next = log_likelihood(&self.pairs, &self.trial);
                if next + slack >= value + 1e-4 * t * slope {
                    value = next;
                    theta.copy_from_slice(&self.trial);
                    if t == 1.0 && largest <= LAST_STEP {
                        return;
                    }
                    break;
                }
                t *= 0.5;
                if t < 1e-12 {
                    return; // no ascent left at machine precision
                }
            }
        }
    }

    /// Fills `grad` and `step` (the Newton direction) at `theta`.
    fn newton_step(&mut self, theta: &[f64]) {
        let m = theta.len();
        self.grad.clear();
        self.grad.resize(m, 0.0);
        self.neg_hessian.clear();
        self.neg_hessian.resize(m * m, 0.0);
        let (g, h) = (&mut self.grad, &mut self.neg_hessian);
        for (i, &t) in theta.iter().enumerate() {
            let p = sigmoid(t);
            g[i] += 0.5 - p;
            h[i * m + i] += p * (1.0 - p);
        }
        for &Pair { i, j, w, n } in &self.pairs {
            let p = sigmoid(theta[i] - theta[j]);
            let r = w - n * p;
            g[i] += r;
            g[j] -= r;
            let c = n * p * (1.0 - p);
            h[i * m + i] += c;
            h[j * m + j] += c;
            h[i * m + j] -= c;
            h[j * m + i] -= c;
        }
        self.step.clear();
        self.step.extend_from_slice(g);
        if !cholesky_solve(h, m, &mut self.step) {
            // Only if rounding broke positive definiteness: a diagonally scaled gradient step,
            // which the line search still makes an ascent.
            for (i, d) in self.step.iter_mut().enumerate() {
                *d = self.grad[i] / (self.neg_hessian[i * m + i].max(0.0) + 0.25);
            }
        }
    }
}

/// Penalised log-likelihood: the pairs plus each player's virtual tie with strength 1.
fn log_likelihood(pairs: &[Pair], theta: &[f64]) -> f64 {
    let prior: f64 = theta
        .iter()
        .map(|&t| 0.5 * (log_sigmoid(t) + log_sigmoid(-t)))
        .sum();
    pairs.iter().fold(prior, |acc, &Pair { i, j, w, n }| {
        let d = theta[i] - theta[j];
        acc + w * log_sigmoid(d) + (n - w) * log_sigmoid(-d)
    })
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// ln σ(x), without overflow for large |x|.
fn log_sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// Solves A·x = b in place (`x` holds b) for a symmetric positive definite m×m `a`, which is
/// overwritten by its Cholesky factor. False if a pivot is not positive.
fn cholesky_solve(a: &mut [f64], m: usize, x: &mut [f64]) -> bool {
    for j in 0..m {
        let (row_j, below) = a[j * m..].split_at_mut(m);
        let d = row_j[j] - row_j[..j].iter().map(|v| v * v).sum::<f64>();
        if !(d > 0.0 && d.is_finite()) {
            return false;
        }
        let d = d.sqrt();
        row_j[j] = d;
        for row_i in below.chunks_exact_mut(m) {
            let s: f64 = row_i[..j].iter().zip(&row_j[..j]).map(|(l, r)| l * r).sum();
            row_i[j] = (row_i[j] - s) / d;
        }
    }
    // Forward: L·y = b.
    for i in 0..m {
        let row = &a[i * m..i * m + i];
        let s: f64 = row.iter().zip(&x[..i]).map(|(l, y)| l * y).sum();
        x[i] = (x[i] - s) / a[i * m + i];
    }
    // Backward: Lᵀ·x = y.
    for i in (0..m).rev() {
        let mut s = x[i];
        for k in i + 1..m {
            s -= a[k * m + i] * x[k];
        }
        x[i] = s / a[i * m + i];
    }
    x.iter().all(|v| v.is_finite())
}
