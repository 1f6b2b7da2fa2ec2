//! The batch loop: reads prompts only as far as a window ahead, starts their cells in their
//! providers' lanes, writes each answer to the results as it finishes and each prompt's
//! round to the session once all its models answered, and stops starting cells at the
//! budget or on Ctrl-C.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc;

use crate::chat::{Answer, Params};
use crate::cli::RunArgs;
use crate::cost::{Pricing, Usd};
use crate::storage::session::{RoundRecord, SavedAnswer};

use super::cell::{self, ModelRoute};
use super::lanes::Lane;
use super::plan::Plan;
use super::prompts::{Prompt, Prompts};
use super::results::{self, CellKey, Sink};
use super::summary::{self, Summary};
use super::{EXIT_BUDGET, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, now_ms};
use crate::headless::RunContext;
use crate::headless::report::{Priced, report};

/// A prompt whose cells are out: the answers that came back, kept until its round is saved.
struct Row {
    prompt: Prompt,
    answers: Vec<Option<SavedAnswer>>,
    waiting: usize,
    /// Its round from an earlier run, written again around the new answers.
    kept: Option<RoundRecord>,
}

/// Rows in flight at most, whatever the lanes: bounds memory (and how far a healthy lane
/// runs ahead of a rate-limited one) however long the file.
fn window(lanes: usize, concurrency: usize) -> usize {
    (lanes * concurrency * 4).max(64)
}

fn round_of(row: Row, params: &Params, default_system: Option<&str>) -> RoundRecord {
    if let Some(mut kept) = row.kept {
        // Your vote, the verdicts and the paid-for attempts stay; the answers join them.
        let archived = std::mem::take(&mut kept.answers);
        kept.answers = row.answers.into_iter().flatten().collect();
        kept.answers.extend(archived);
        kept.parent = None;
        return kept;
    }
    RoundRecord {
        id: 0,
        parent: None,
        prompt: row.prompt.prompt,
        system: row.prompt.system.or(default_system.map(str::to_string)),
        params: params.clone(),
        created_ms: now_ms(),
        winner: None,
        answers: row.answers.into_iter().flatten().collect(),
        blind: None,
        vote: None,
        judgements: Vec::new(),
        attachments: Vec::new(),
        prompt_id: Some(row.prompt.id),
    }
}

pub async fn run(
    args: &RunArgs,
    ctx: RunContext,
    mut plan: Plan,
    pricing: Vec<(Option<Pricing>, bool)>,
    budget: Option<Usd>,
    cells: usize,
) -> i32 {
    let b = &args.batch;
    let path = b.prompts.clone().unwrap_or_default();
    let models = &args.models;
    let params = Params {
        temperature: args.round.temperature,
        max_tokens: args.round.max_tokens,
        reasoning_effort: None,
    };
    let mut lanes: HashMap<String, Arc<Lane>> = HashMap::new();
    let routes: Vec<Arc<ModelRoute>> = models
        .iter()
        .map(|m| {
            let (provider, bare) = ctx.registry.resolve(m);
            let lane = lanes
                .entry(provider.name.clone())
                .or_insert_with(|| Lane::new(provider.name.clone(), b.concurrency))
                .clone();
            let mut options = ctx.stream_options.clone();
            options.routing = ctx.registry.routing(m);
            // A 429 is the lane's to wait out (for every cell of the provider), not one
            // request's to retry on its own.
            options.max_retries = 0;
            Arc::new(ModelRoute {
                model: m.clone(),
                bare: bare.to_string(),
                endpoint: provider.endpoint.clone(),
                options,
                lane,
            })
        })
        .collect();
    let mut prompts = match Prompts::open(&path) {
        Ok(p) => p,
        Err(e) => return super::usage(e),
    };
    let mut sink = match Sink::open(b.output.as_deref(), b.format) {
        Ok(s) => s,
        Err(e) => return super::usage(format!("cannot write the results: {e}")),
    };
    let session_id = plan.store.id().to_string();
    eprintln!("session {session_id}");

    let stop = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, usize, Option<Answer>)>();
    let mut rows: HashMap<usize, Row> = HashMap::new();
    let mut order: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let window = window(lanes.len(), b.concurrency);
    let mut summary = Summary::new(models);
    let bar = summary::bar(cells, std::io::stderr().is_terminal());
    let mut skipped = 0usize;
    let mut exhausted = false;
    let mut budget_hit = false;
    let mut interrupted = false;
    let mut write_error: Option<String> = None;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let default_system = args.round.system.as_deref();
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        // Read prompts until the window is full, starting the cells each still needs.
        while !exhausted && !stop.load(Ordering::SeqCst) && rows.len() < window {
            let Some(p) = prompts.next() else {
                exhausted = true;
                break;
            };
            let p = match p {
                Ok(p) => p,
                // The survey read the same file: it changed since.
                Err(e) => {
                    bar.finish_and_clear();
                    return super::usage(format!("{e} (the file changed during the batch?)"));
                }
            };
            let needed = plan.needed(&p.id, models);
            let carried = plan.carried.remove(&p.id).unwrap_or_default();
            if !needed.iter().any(|n| *n) && carried.is_empty() {
                continue;
            }
            let mut answers: Vec<Option<SavedAnswer>> = vec![None; models.len()];
            for mut a in carried {
                if let Some(i) = models.iter().position(|m| *m == a.model) {
                    a.slot = i;
                    answers[i] = Some(a);
                }
            }
            let system = p.system.as_deref().or(default_system);
            let messages = Arc::new(cell::messages(system, &p.prompt));
            let mut waiting = 0;
            for (i, _) in needed.iter().enumerate().filter(|(_, n)| **n) {
                waiting += 1;
                let tx = tx.clone();
                let fut = cell::ask(
                    ctx.client.clone(),
                    routes[i].clone(),
                    messages.clone(),
                    params.clone(),
                    stop.clone(),
                );
                let index = p.index;
                tasks.spawn(async move {
                    let answer = fut.await;
                    let _ = tx.send((index, i, answer));
                });
            }
            let kept = plan.kept.remove(&p.id);
            let row = Row {
                prompt: p,
                answers,
                waiting,
                kept,
            };
            // A row with nothing to wait for (every answer was already in the results, only
            // its round was missing) still goes in its turn.
            order.push_back(row.prompt.index);
            rows.insert(row.prompt.index, row);
        }
        // Rounds go into the session in prompt order, as they would be read.
        while let Some(front) = order.front()
            && rows.get(front).is_some_and(|r| r.waiting == 0)
        {
            let Some(row) = rows.remove(front) else { break };
            order.pop_front();
            if row.answers.iter().any(Option::is_some)
                && let Err(e) = plan.store.push(round_of(row, &params, default_system))
            {
                write_error.get_or_insert(e.to_string());
            }
            if let Err(e) = plan.store.maybe_save(now_ms()) {
                write_error.get_or_insert(format!("cannot save the session: {e}"));
            }
        }
        let in_flight = rows.values().any(|r| r.waiting > 0);
        if !in_flight && (exhausted || stop.load(Ordering::SeqCst)) {
            break;
        }
        let (index, m, answer) = tokio::select! {
            // Answers already back go first: each was paid for, and must reach the results.
            biased;
            got = rx.recv() => match got {
                Some(got) => got,
                None => break,
            },
            _ = &mut ctrl_c => {
                interrupted = true;
                stop.store(true, Ordering::SeqCst);
                tasks.abort_all();
                break;
            }
        };
        // A finished task keeps its allocation until joined: reap them as they end, or memory
        // would grow with the number of cells.
        while tasks.try_join_next().is_some() {}
        let Some(row) = rows.get_mut(&index) else {
            continue;
        };
        row.waiting -= 1;
        if let Some(a) = answer {
            let (price, local) = pricing[m].clone();
            let priced = [Priced {
                answer: &a,
                pricing: price.clone(),
                local,
            }];
            let cost = priced[0].cost();
            let doc = report(&row.prompt.prompt, &priced);
            let key = CellKey {
                session: &session_id,
                prompt_id: &row.prompt.id,
                prompt_index: row.prompt.index,
            };
            if let Err(e) = sink.write(&results::line(b.format, &key, &doc.answers[0])) {
                write_error.get_or_insert(format!("cannot write the results: {e}"));
                stop.store(true, Ordering::SeqCst);
            }
            summary.add(m, &a, cost);
            row.answers[m] = Some(SavedAnswer::from_answer(&a, m, cost, price));
            bar.inc(1);
            let spent = summary.spent();
            let limited: Vec<String> = lanes
                .values()
                .filter(|l| l.paused_until().is_some())
                .map(|l| l.name.clone())
                .collect();
            bar.set_message(summary::message(summary.errors(), &spent, &limited));
            if let Some(max) = budget
                && spent.total >= max
                && !budget_hit
            {
                budget_hit = true;
                stop.store(true, Ordering::SeqCst);
                bar.suspend(|| {
                    eprintln!(
                        "budget reached: {} spent of --max-cost {}; no more requests are started",
                        spent.display(),
                        max.display()
                    )
                });
            }
        } else {
            // Not started (budget or interrupt): it stays missing, for --resume.
            skipped += 1;
            bar.dec_length(1);
        }
    }
    bar.finish_and_clear();
    // Rows cut short by an interrupt keep what finished: their round goes in, incomplete.
    let mut left: Vec<Row> = rows.into_values().collect();
    left.sort_by_key(|r| r.prompt.index);
    for row in left
        .into_iter()
        .filter(|r| r.answers.iter().any(Option::is_some))
    {
        let _ = plan.store.push(round_of(row, &params, default_system));
    }
    if let Err(e) = plan.store.save(now_ms()) {
        write_error.get_or_insert(format!("cannot save the session: {e}"));
    }
    eprint!("{}", summary.table());
    eprintln!(
        "session {session_id}: `switchboard --session {session_id}` opens it{}",
        if b.output.is_some() {
            format!(
                "; results in {}",
                b.output
                    .as_deref()
                    .unwrap_or_else(|| std::path::Path::new(""))
                    .display()
            )
        } else {
            String::new()
        }
    );
    if let Some(e) = write_error {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    if interrupted {
        eprintln!("interrupted: run again with --resume to finish");
        return EXIT_INTERRUPTED;
    }
    if budget_hit && (skipped > 0 || !exhausted) {
        eprintln!("stopped by the budget: --resume with a higher --max-cost finishes it");
        return EXIT_BUDGET;
    }
    if summary.errors() > 0 {
        eprintln!(
            "{} answers failed: --resume asks them again",
            summary.errors()
        );
        return EXIT_FAILED;
    }
    EXIT_OK
}
