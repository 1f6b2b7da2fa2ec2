//! `switchboard run --prompts FILE`: every prompt of a file to every model, a bounded number
//! of requests at once per provider, each answer appended to a results file as it finishes,
//! the whole saved as a session (one round per prompt), resumable after a crash or a kill.
//! See docs/batch.md for the files it writes and the resume rule.

mod cell;
mod lanes;
mod plan;
mod prompts;
mod results;
mod run;
mod store;
mod summary;

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::RunArgs;
use crate::cost::Usd;
use crate::storage::session::{self, BatchInfo, SCHEMA, Session};

use super::RunContext;

pub use lanes::{Lane, Try};
pub use prompts::{Prompt, Prompts, PromptsError, survey};
pub use results::CSV_COLUMNS;

/// Exit status: every answer completed.
pub const EXIT_OK: i32 = 0;
/// Some answers failed (they are in the results as such; `--resume` runs them again).
pub const EXIT_FAILED: i32 = 1;
/// A usage or input error: nothing was sent.
pub const EXIT_USAGE: i32 = 2;
/// The budget (`--max-cost`) stopped the batch before every answer was asked for.
pub const EXIT_BUDGET: i32 = 3;
/// Interrupted (Ctrl-C): what finished is saved.
pub const EXIT_INTERRUPTED: i32 = 130;

fn usage(msg: impl std::fmt::Display) -> i32 {
    eprintln!("error: {}", crate::sanitize::single_line(&msg.to_string()));
    EXIT_USAGE
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Runs a batch and returns the exit status.
pub async fn run(args: &RunArgs, ctx: RunContext, data_dir: &Path) -> i32 {
    let b = &args.batch;
    let Some(file) = b.prompts.as_deref() else {
        return usage("no --prompts file");
    };
    let mut seen = std::collections::HashSet::new();
    if let Some(m) = args.models.iter().find(|m| !seen.insert(m.as_str())) {
        return usage(format!(
            "-m {m} is given twice: a batch asks each model once"
        ));
    }
    if args.models.len() > crate::chat::MAX_PANES {
        return usage(format!(
            "at most {} models in a batch (a session shows them side by side)",
            crate::chat::MAX_PANES
        ));
    }
    if b.concurrency == 0 {
        return usage("--concurrency must be at least 1");
    }
    let budget = match b
        .max_cost
        .as_deref()
        .map(|c| Usd::parse(c.trim_start_matches('$')))
    {
        None => None,
        Some(Ok(u)) if !u.is_negative() => Some(u),
        Some(_) => return usage("--max-cost takes an amount of dollars, e.g. 0.50"),
    };
    let survey = match survey(file, args.round.system.as_deref()) {
        Ok(s) => s,
        Err(e) => return usage(e),
    };
    if let Some(out) = &b.output
        && !b.resume
        && std::fs::metadata(out).is_ok_and(|m| m.len() > 0)
    {
        return usage(format!(
            "{} exists: --resume continues it, or give another -o",
            out.display()
        ));
    }
    let sessions = session::sessions_dir(data_dir);
    let info = BatchInfo {
        source: file.display().to_string(),
        prompts: survey.count as u64,
        models: args.models.clone(),
    };
    let now = now_ms();
    let head = Session {
        schema: SCHEMA,
        id: session::new_id(now, &sessions),
        title: batch_title(file, survey.count),
        created_ms: now,
        updated_ms: now,
        base_url: ctx
            .registry
            .resolve(&args.models[0])
            .0
            .endpoint
            .base_url
            .clone(),
        models: args.models.clone(),
        batch: Some(info),
        rounds: Vec::new(),
    };
    // Resume: the session the results name, what it and the results already hold.
    let plan = match plan::prepare(args, &sessions, head.clone()) {
        Ok(Some(p)) => p,
        Ok(None) => match store::Store::create(&sessions, head) {
            Ok(s) => plan::Plan::fresh(s),
            Err(e) => return usage(format!("cannot save the session: {e}")),
        },
        Err(e) => return usage(e),
    };
    let pricing = super::prices::prices(
        &ctx,
        &args
            .models
            .iter()
            .map(|m| crate::chat::Answer::new(m.clone(), 0))
            .collect::<Vec<_>>(),
    )
    .await;
    let estimate = match plan::estimate(args, &plan, &pricing) {
        Ok(e) => e,
        Err(e) => return usage(e),
    };
    eprintln!("{}", estimate.describe(survey.count, args.models.len()));
    if let Some(max) = budget
        && estimate.total > max
        && !b.yes
    {
        let tty = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if !tty {
            eprintln!(
                "error: the estimate is over --max-cost {}: nothing was sent (--yes starts anyway; the budget still stops it)",
                max.display()
            );
            return EXIT_USAGE;
        }
        if !ask(&format!(
            "the estimate is over --max-cost {}. Start anyway (the budget still stops it)? [y/N] ",
            max.display()
        )) {
            eprintln!("nothing was sent");
            return EXIT_USAGE;
        }
    }
    run::run(args, ctx, plan, pricing, budget, estimate.cells).await
}

fn batch_title(file: &Path, count: usize) -> String {
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    format!("batch: {name} ({count} prompts)")
}

/// Asks on the terminal; true for y or yes.
fn ask(question: &str) -> bool {
    eprint!("{question}");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).is_ok()
        && matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}
