//! `switchboard run`: one prompt to several models at once, answers on stdout (text or one
//! JSON document), live progress on stderr, exit status saying whether all completed.

pub mod batch;
mod input;
mod judging;
mod prices;
mod progress;
mod report;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::chat::attach::{self, Attachment};
use crate::chat::{Answer, AnswerStatus, Message, Params, Role, StreamEvent};
use crate::cli::RunArgs;
use crate::config::providers::Registry;
use crate::cost::estimate_prompt_tokens;
use crate::provider::{ChatRequest, StreamOptions, Tagged, run_chat};
use crate::sanitize::terminal_safe;

pub use input::{MAX_PIPED_BYTES, read_files, read_piped, read_prompt};
pub use progress::Progress;
pub use report::{Priced, answer_heading, report, served_by, summary_table};

/// What `run` needs from the outside world.
pub struct RunContext {
    pub client: reqwest::Client,
    pub registry: Registry,
    pub cache_dir: PathBuf,
    pub stream_options: StreamOptions,
    /// `--judge`: a model to ask which answer is best, afterwards.
    pub judge: Option<crate::judge::JudgeConfig>,
}

fn messages(args: &RunArgs, prompt: &str) -> Vec<Message> {
    let mut messages = Vec::new();
    if let Some(system) = &args.round.system {
        messages.push(Message::new(Role::System, system.clone()));
    }
    messages.push(Message::new(Role::User, prompt));
    messages
}

/// Each model's attachments (images only to those whose catalog lists image input) and the
/// notes for what it was not sent; refused when the prompt and what goes with it cannot fit
/// a model's context.
async fn attachments_per_model(
    ctx: &RunContext,
    models: &[String],
    attachments: &[Attachment],
    prompt_tokens: u64,
) -> Result<Vec<(Vec<Attachment>, Vec<String>)>, String> {
    if attachments.is_empty() {
        return Ok(models.iter().map(|_| Default::default()).collect());
    }
    let facts = prices::model_facts(ctx, models).await;
    let mut out = Vec::new();
    for (model, (images, context)) in models.iter().zip(facts) {
        let (sent, notes) = attach::for_model(attachments, model, images);
        let tokens = prompt_tokens.saturating_add(attach::tokens(&sent));
        if let Some(context) = context {
            attach::check_total(tokens, &[(model.clone(), context)])?;
        }
        out.push((sent, notes));
    }
    Ok(out)
}

/// Streams `request` (its model named as `-m` names it) to its provider, events tagged `tag`.
fn spawn_stream(
    ctx: &RunContext,
    mut request: ChatRequest,
    tag: usize,
    tx: &mpsc::Sender<(usize, StreamEvent)>,
) -> tokio::task::JoinHandle<()> {
    let (provider, bare) = ctx.registry.resolve(&request.model);
    let client = ctx.client.clone();
    let endpoint = provider.endpoint.clone();
    let mut opts = ctx.stream_options.clone();
    opts.routing = ctx.registry.routing(&request.model);
    request.model = bare.to_string();
    let mut sink = Tagged {
        tag,
        tx: tx.clone(),
    };
    tokio::spawn(async move {
        run_chat(&client, &endpoint, &request, &opts, &mut sink).await;
    })
}

/// Runs the shootout and returns the exit status: 0 when every answer completed, 1 when one
/// did not, 2 when the attachments cannot go.
pub async fn run(args: &RunArgs, prompt: &str, attachments: &[Attachment], ctx: RunContext) -> i32 {
    let messages = messages(args, prompt);
    let prompt_estimate = estimate_prompt_tokens(messages.iter().map(|m| m.content.as_str()));
    let per_model =
        match attachments_per_model(&ctx, &args.models, attachments, prompt_estimate).await {
            Ok(p) => p,
            Err(e) => {
                eprintln!("switchboard: {}", terminal_safe(&e));
                return 2;
            }
        };
    let params = Params {
        temperature: args.round.temperature,
        max_tokens: args.round.max_tokens,
        reasoning_effort: None,
    };
    let (tx, mut rx) = mpsc::channel::<(usize, StreamEvent)>(1024);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, model) in args.models.iter().enumerate() {
        let mut messages = messages.clone();
        if let Some(last) = messages.last_mut() {
            last.attachments = per_model[i].0.clone();
        }
        let request = ChatRequest {
            model: model.clone(),
            messages,
            params: params.clone(),
            format: None,
        };
        tasks.push(spawn_stream(&ctx, request, i, &tx));
    }
    drop(tx);

    let mut answers: Vec<Answer> = args
        .models
        .iter()
        .zip(&per_model)
        .map(|(m, (sent, notes))| {
            let mut a = Answer::new(
                m.clone(),
                prompt_estimate.saturating_add(attach::tokens(sent)),
            );
            a.notes.extend(notes.iter().cloned());
            a
        })
        .collect();
    let single = answers.len() == 1;
    let stdout_tty = std::io::stdout().is_terminal();
    let stderr_tty = std::io::stderr().is_terminal();
    let safe = |s: &str| -> String {
        if stdout_tty {
            terminal_safe(s).into_owned()
        } else {
            s.to_string()
        }
    };
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
    // With one model in text mode the answer itself shows progress.
    let mut progress = Progress::new(stderr_tty && (args.json || !single));
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut batch = Vec::with_capacity(256);
    let mut cancelled = false;
    loop {
        tokio::select! {
            n = rx.recv_many(&mut batch, 256) => {
                if n == 0 {
                    break;
                }
                let at = start.elapsed();
                for (i, event) in batch.drain(..) {
                    let is_end = matches!(event, StreamEvent::End(_));
                    if single && !args.json {
                        match &event {
                            StreamEvent::Text(t) => { let _ = out.write_all(safe(t).as_bytes()); }
                            StreamEvent::Reasoning(t) if stderr_tty => {
                                eprint!("\x1b[2m{}\x1b[0m", terminal_safe(t));
                            }
                            _ => {}
                        }
                    }
                    answers[i].apply(event, at);
                    if is_end && !single && !args.json {
                        progress.clear();
                        print_block(&mut out, &answers[i], &safe);
                    }
                }
                let _ = out.flush();
            }
            _ = ticker.tick(), if progress.enabled() => {
                progress.draw(&answers, start.elapsed());
            }
            _ = &mut ctrl_c => {
                cancelled = true;
                break;
            }
        }
    }
    if cancelled {
        for task in &tasks {
            task.abort();
        }
        let at = start.elapsed();
        for a in answers.iter_mut() {
            a.cancel(at);
        }
        if !single && !args.json {
            progress.clear();
            for a in answers
                .iter()
                .filter(|a| a.status == AnswerStatus::Cancelled)
            {
                print_block(&mut out, a, &safe);
            }
        }
    }
    progress.clear();

    for a in &answers {
        if let Some(e) = &a.error {
            crate::log::warn(&format!("run {}: {}", a.model, e.message));
        }
    }
    let priced: Vec<Priced<'_>> = answers
        .iter()
        .zip(prices::prices(&ctx, &answers).await)
        .map(|(a, (pricing, local))| Priced {
            answer: a,
            pricing,
            local,
        })
        .collect();
    let judged = match &ctx.judge {
        Some(config) if !cancelled => {
            progress.clear();
            if !args.json {
                eprintln!("asking the judge {}…", terminal_safe(&config.model));
            }
            Some(judging::read(&ctx, config, prompt, &answers).await)
        }
        _ => None,
    };
    let judge_prices = match &judged {
        Some(j) => prices::prices(&ctx, &j.readings).await,
        None => Vec::new(),
    };
    let judge_priced: Vec<Priced<'_>> = judged
        .iter()
        .flat_map(|j| &j.readings)
        .zip(judge_prices)
        .map(|(a, (pricing, local))| Priced {
            answer: a,
            pricing,
            local,
        })
        .collect();
    let verdict = ctx.judge.as_ref().zip(judged.as_ref()).map(|(config, j)| {
        let models: Vec<String> = answers.iter().map(|a| a.model.clone()).collect();
        judging::verdict(config, &models, j, &judge_priced)
    });
    if args.json {
        let mut doc = report(prompt, &priced);
        if let Some(v) = &verdict {
            doc.add_judge(judging::report(v), &judge_priced);
        }
        let _ = serde_json::to_writer_pretty(&mut out, &doc);
        let _ = out.write_all(b"\n");
    } else if single {
        let a = &answers[0];
        if !a.text.is_empty() && !a.text.ends_with('\n') {
            let _ = out.write_all(b"\n");
        }
        let _ = out.flush();
        for line in notes_of(a) {
            eprintln!("{}", terminal_safe(&line));
        }
        if let Some(e) = &a.error {
            eprintln!("error: {}", terminal_safe(&e.message));
        } else if a.status != AnswerStatus::Complete {
            eprintln!("[{}]", a.status.label());
        }
        eprint!("{}", terminal_safe(&summary_table(&priced)));
    } else {
        let _ = out.write_all(b"\n");
        let _ = out.write_all(safe(&summary_table(&priced)).as_bytes());
        if let Some(v) = &verdict {
            let _ = out.write_all(b"\n");
            let _ = out.write_all(safe(&judging::text(v)).as_bytes());
            let _ = writeln!(out, "judge cost {}", report::spent(&judge_priced).display());
        }
    }
    let _ = out.flush();
    if answers.iter().all(|a| a.status == AnswerStatus::Complete) {
        0
    } else {
        1
    }
}

fn print_block(out: &mut impl Write, a: &Answer, safe: &impl Fn(&str) -> String) {
    let _ = writeln!(out, "{}", safe(&answer_heading(a)));
    if !a.reasoning.is_empty() {
        let _ = writeln!(
            out,
            "[reasoning]\n{}\n[answer]",
            safe(a.reasoning.trim_end())
        );
    }
    let _ = write!(out, "{}", safe(&a.text));
    if !a.text.ends_with('\n') {
        let _ = writeln!(out);
    }
    for line in notes_of(a) {
        let _ = writeln!(out, "{}", safe(&line));
    }
    if let Some(e) = &a.error {
        let _ = writeln!(out, "[error] {}", safe(&e.message));
    }
    let _ = writeln!(out);
    let _ = out.flush();
}

/// What an answer's request and stream said about it, one `[adjusted]` or `[note]` line each.
fn notes_of(a: &Answer) -> Vec<String> {
    a.adjusted
        .iter()
        .map(|adj| format!("[adjusted] {}", adj.describe()))
        .chain(a.notes.iter().map(|n| format!("[note] {n}")))
        .collect()
}
