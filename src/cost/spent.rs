//! Money spent across answers: the total, whether any part is estimated, what has no price.

use super::{Cost, Usd};

/// Money spent: the total, whether any part is an estimate, and how many answers that
/// produced something have no price at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spent {
    pub total: Usd,
    pub estimated: bool,
    pub unpriced: usize,
}

impl Spent {
    /// The one rule for a total: each answer's cost, and whether it produced anything (an
    /// answer that produced output with no price counts as unpriced, never as `$0`).
    pub fn sum(answers: impl IntoIterator<Item = (Option<Cost>, bool)>) -> Spent {
        let mut spent = Spent::default();
        for (cost, produced) in answers {
            spent.add(cost, produced);
        }
        spent
    }

    pub fn add(&mut self, cost: Option<Cost>, produced: bool) {
        match cost {
            Some(c) => {
                self.total += c.usd;
                self.estimated |= !c.is_exact();
            }
            None if produced => self.unpriced += 1,
            None => {}
        }
    }

    pub fn merge(self, other: Spent) -> Spent {
        Spent {
            total: self.total + other.total,
            estimated: self.estimated || other.estimated,
            unpriced: self.unpriced + other.unpriced,
        }
    }

    /// `$0.0123`, `~$0.0123`, with `+2 unpriced` when some answers have no price.
    pub fn display(&self) -> String {
        let mut s = if self.estimated {
            format!("~{}", self.total.display())
        } else {
            self.total.display()
        };
        if self.unpriced > 0 {
            s.push_str(&format!(" +{} unpriced", self.unpriced));
        }
        s
    }
}
