//! What a batch has left to do: on `--resume`, the session the results file names and what
//! it and the results already hold; the cells still to ask; and what they should cost.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::cli::RunArgs;
use crate::cost::{Pricing, Usage, Usd};
use crate::storage::session::{self, SavedAnswer, Session};

use super::results::{self, Previous};
use super::store::{Earlier, Store};

/// The output tokens an answer is assumed to take in the estimate without `--max-tokens`.
pub const OUTPUT_GUESS: u64 = 800;

pub struct Plan {
    pub store: Store,
    /// Cells the results file has as completed.
    pub previous: Previous,
    /// Prompts whose round in the session is complete.
    pub done_rows: HashSet<String>,
    /// Completed answers that go back into a prompt's round when it is written again.
    pub carried: HashMap<String, Vec<SavedAnswer>>,
    /// The rest of those prompts' earlier rounds (votes, verdicts, failed attempts).
    pub kept: HashMap<String, crate::storage::session::RoundRecord>,
}

impl Plan {
    pub fn fresh(store: Store) -> Plan {
        Plan {
            store,
            previous: Previous::default(),
            done_rows: HashSet::new(),
            carried: HashMap::new(),
            kept: HashMap::new(),
        }
    }

    /// For each model, whether prompt `id` still has to be asked it.
    pub fn needed(&self, id: &str, models: &[String]) -> Vec<bool> {
        if self.done_rows.contains(id) {
            return vec![false; models.len()];
        }
        models
            .iter()
            .map(|m| !self.previous.is_complete(id, m))
            .collect()
    }
}

/// `--resume`: continues the session the results file names (or starts it again under that
/// id if its file is gone), and rewrites the results without failed or torn lines. `None`
/// without `--resume`.
pub fn prepare(args: &RunArgs, sessions: &Path, new: Session) -> Result<Option<Plan>, String> {
    let b = &args.batch;
    let (true, Some(out)) = (b.resume, b.output.as_deref()) else {
        return Ok(None);
    };
    results::check(out, b.format)?;
    let info = new.batch.clone().unwrap_or_default();
    let named =
        results::session_of(out, b.format).map_err(|e| format!("{}: {e}", out.display()))?;
    let (store, earlier) = match named {
        Some(id) if session::path_of(sessions, &id).exists() => {
            Store::resume(sessions, &id, info, &args.models).map_err(|e| e.to_string())?
        }
        named => {
            let mut head = new;
            if let Some(id) = named.filter(|id| session::valid_id(id)) {
                head.id = id;
            }
            let store = Store::create(sessions, head).map_err(|e| e.to_string())?;
            (store, Earlier::default())
        }
    };
    let carry = |pid: &str| !earlier.done.contains(pid) && !earlier.carried.contains_key(pid);
    let previous = results::compact(out, b.format, &carry)
        .map_err(|e| format!("{}: cannot read it back: {e}", out.display()))?;
    let Earlier {
        done,
        mut carried,
        kept,
    } = earlier;
    let mut previous = previous;
    for (pid, answers) in std::mem::take(&mut previous.carried) {
        carried.entry(pid).or_insert(answers);
    }
    if previous.dropped > 0 {
        eprintln!(
            "resume: {} failed or unfinished line(s) of {} will be asked again",
            previous.dropped,
            out.display()
        );
    }
    Ok(Some(Plan {
        store,
        previous,
        done_rows: done,
        carried,
        kept,
    }))
}

/// What the cells still to ask should cost, at most.
#[derive(Debug, Default)]
pub struct Estimate {
    pub total: Usd,
    pub cells: usize,
    /// Cells of models with no known price (not in the total).
    pub unpriced: usize,
    pub output_guess: u64,
}

impl Estimate {
    pub fn describe(&self, prompts: usize, models: usize) -> String {
        let mut s = format!(
            "{} prompts × {models} models: {} answers to ask, estimated cost ~{} (prompt tokens estimated, {} output tokens an answer{}; an estimate, not a quote)",
            prompts,
            self.cells,
            self.total.display(),
            self.output_guess,
            if self.output_guess == OUTPUT_GUESS {
                " assumed: --max-tokens bounds it"
            } else {
                " at most"
            },
        );
        if self.unpriced > 0 {
            s.push_str(&format!(
                "; {} answers of models without a known price are not in it",
                self.unpriced
            ));
        }
        s
    }
}

/// Streams the prompts once more: for each cell still to ask, its prompt's estimated tokens
/// times its model's prices, plus the output guess.
pub fn estimate(
    args: &RunArgs,
    plan: &Plan,
    pricing: &[(Option<Pricing>, bool)],
) -> Result<Estimate, super::PromptsError> {
    let path = args.batch.prompts.as_deref().unwrap_or(Path::new(""));
    let output_guess = args.round.max_tokens.map_or(OUTPUT_GUESS, u64::from);
    let mut e = Estimate {
        output_guess,
        ..Estimate::default()
    };
    for p in super::Prompts::open(path)? {
        let p = p?;
        let system = p.system.as_deref().or(args.round.system.as_deref());
        let tokens =
            crate::cost::estimate_prompt_tokens(system.into_iter().chain([p.prompt.as_str()]));
        for (i, needed) in plan.needed(&p.id, &args.models).into_iter().enumerate() {
            if !needed {
                continue;
            }
            e.cells += 1;
            match &pricing[i] {
                (Some(price), _) => {
                    e.total += price.cost_of(&Usage {
                        prompt_tokens: tokens,
                        completion_tokens: output_guess,
                        ..Usage::default()
                    })
                }
                (None, true) => {}
                (None, false) => e.unpriced += 1,
            }
        }
    }
    Ok(e)
}
