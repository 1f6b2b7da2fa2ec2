//! `switchboard sessions ...` and `switchboard stats`: the saved sessions from the command line.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{ExportFormat, SessionsCommand, StatsArgs};
use crate::sanitize::{single_line, terminal_safe};
use crate::storage::export;
use crate::storage::index::{self, Entry, median};
use crate::storage::ratings::{Leaderboard, from_history};
use crate::storage::session::{self, SessionLock};
use crate::textfmt::bar;
use crate::textfmt::format_time;

fn out(text: &str) {
    let safe = if std::io::stdout().is_terminal() {
        terminal_safe(text).into_owned()
    } else {
        text.to_string()
    };
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(safe.as_bytes());
}

/// Runs a sessions subcommand; returns the exit status.
pub fn sessions(cmd: &SessionsCommand, data_dir: &Path) -> i32 {
    let dir = session::sessions_dir(data_dir);
    match cmd {
        SessionsCommand::List { json } => {
            if *json {
                let entries = index::list_detailed(&dir);
                out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&entries).unwrap_or_default()
                ));
                return 0;
            }
            let entries = index::list(&dir);
            if entries.is_empty() {
                eprintln!(
                    "no saved sessions yet (they are written to {})",
                    dir.display()
                );
                return 0;
            }
            let mut text = format!(
                "{:<20}  {:<16}  {:>6}  {:>10}  {:<30}  TITLE\n",
                "ID", "UPDATED", "ROUNDS", "COST", "MODELS"
            );
            for e in &entries {
                match e {
                    Entry::Session(s) => {
                        let models: String =
                            single_line(&s.models.join(",")).chars().take(30).collect();
                        let cost = s.spent().display();
                        text.push_str(&format!(
                            "{:<20}  {:<16}  {:>6}  {:>10}  {:<30}  {}\n",
                            s.id,
                            format_time(s.updated_ms),
                            s.rounds,
                            cost,
                            models,
                            single_line(&s.title)
                        ));
                    }
                    Entry::Unreadable { file, reason } => {
                        text.push_str(&format!(
                            "{:<20}  UNREADABLE: {}\n",
                            single_line(file),
                            single_line(reason)
                        ));
                    }
                }
            }
            out(&text);
            0
        }
        SessionsCommand::Show { id } => match index::find(&dir, id) {
            Ok(mut s) => {
                crate::storage::blobs::load_into(
                    &crate::storage::blobs::blobs_dir(data_dir),
                    &mut s,
                );
                out(&export::markdown(&s));
                0
            }
            Err(e) => {
                eprintln!("error: {}", single_line(&e.to_string()));
                1
            }
        },
        SessionsCommand::Export { id, format, output } => {
            let s = match index::find(&dir, id) {
                Ok(mut s) => {
                    let blobs = crate::storage::blobs::blobs_dir(data_dir);
                    crate::storage::blobs::load_into(&blobs, &mut s);
                    s
                }
                Err(e) => {
                    eprintln!("error: {}", single_line(&e.to_string()));
                    return 1;
                }
            };
            let text = match format {
                ExportFormat::Md => export::markdown(&s),
                ExportFormat::Json => serde_json::to_string_pretty(&s).unwrap_or_default() + "\n",
                ExportFormat::Html => export::html(&s),
            };
            match output {
                Some(path) => match crate::storage::write_user_file(path, text.as_bytes()) {
                    Ok(()) => {
                        eprintln!("wrote {}", path.display());
                        0
                    }
                    Err(e) => {
                        eprintln!("error: cannot write {}: {e}", path.display());
                        1
                    }
                },
                None => {
                    out(&text);
                    0
                }
            }
        }
        SessionsCommand::Reindex => reindex(&dir),
        SessionsCommand::Rm { id } => {
            let s = match index::find(&dir, id) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {}", single_line(&e.to_string()));
                    return 1;
                }
            };
            // Held until the file is gone, so no switchboard opens it meanwhile.
            let _lock = match SessionLock::acquire(&dir, &s.id) {
                Ok(Some(lock)) => lock,
                _ => {
                    eprintln!(
                        "error: session {} is open in a running switchboard; close it first",
                        single_line(&s.id)
                    );
                    return 1;
                }
            };
            match std::fs::remove_file(session::path_of(&dir, &s.id)) {
                Ok(()) => {
                    let _ = std::fs::remove_file(dir.join(format!("{}.lock", s.id)));
                    eprintln!(
                        "deleted session {} ({})",
                        single_line(&s.id),
                        single_line(&s.title)
                    );
                    0
                }
                Err(e) => {
                    eprintln!("error: {}", single_line(&e.to_string()));
                    1
                }
            }
        }
    }
}

/// `sessions reindex`: the history database built again from the files, with what it holds
/// and how long it took.
fn reindex(dir: &Path) -> i32 {
    let start = std::time::Instant::now();
    match crate::storage::history::rebuild(dir) {
        Ok(counts) => {
            eprintln!(
                "indexed {} in {:.2} s into {}",
                counts.describe(),
                start.elapsed().as_secs_f64(),
                crate::storage::history::db_path(dir).display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {}", single_line(&e.to_string()));
            1
        }
    }
}

pub fn stats(args: &StatsArgs, data_dir: &Path) -> i32 {
    let lb = from_history(&session::sessions_dir(data_dir), None);
    if args.json {
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&stats_json(&lb)).unwrap_or_default()
        ));
        return 0;
    }
    if lb.adoptions.is_empty() && lb.ratings.is_empty() {
        eprintln!("no answers saved yet");
        return 0;
    }
    let mut text = String::new();
    if !lb.ratings.is_empty() {
        text.push_str(&format!(
            "Your ratings from {} blind votes (Bradley-Terry, ties as half a win; 95% bootstrap intervals, {} resamples)\n",
            lb.blind_votes,
            crate::rating::RESAMPLES
        ));
        text.push_str(&format!(
            "{:<32} {:>7} {:>11} {:>6} {:>5} {:>11} {:>7}\n",
            "MODEL", "RATING", "95% CI", "VOTES", "WIN", "PER ANSWER", "TOK/S"
        ));
        for r in &lb.ratings {
            let mark = if r.provisional() { "?" } else { "" };
            text.push_str(&format!(
                "{:<32} {:>7} {:>11} {:>6} {:>4.0}% {:>11} {:>7}\n",
                single_line(&r.model).chars().take(32).collect::<String>(),
                format!("{:.0}{mark}", r.rating),
                if r.provisional() {
                    "few votes".to_string()
                } else {
                    format!("{:.0}-{:.0}", r.ci_low, r.ci_high)
                },
                r.votes,
                r.win_rate() * 100.0,
                r.cost_per_answer.map_or("-".into(), |u| u.display()),
                r.median_tokens_per_s
                    .map_or("-".into(), |t| format!("{t:.0}")),
            ));
        }
        text.push_str(&format!(
            "? provisional: fewer than {} votes, too few for an interval\n",
            crate::storage::ratings::PROVISIONAL_BELOW
        ));
        for j in &lb.judges {
            text.push_str(&format!(
                "judge {}: agreed with your blind votes on {} of {}\n",
                single_line(&j.judge),
                j.agreed,
                crate::textfmt::count(j.rounds, "round")
            ));
        }
        text.push('\n');
    }
    let board = &lb.adoptions;
    let max = board.iter().map(|m| m.adopted).max().unwrap_or(0) as f64;
    text.push_str(&format!(
        "{:<32} {:>7} {:>7} {:>11} {:>11} {:>9}  ADOPTED\n",
        "MODEL", "ADOPTED", "ANSWERS", "TOTAL", "PER ANSWER", "TOK/S"
    ));
    for m in board {
        let per = if m.answers > 0 {
            crate::cost::Usd::from_atto(m.cost.atto() / i128::from(m.answers))
        } else {
            m.cost
        };
        let speed = median(&m.speeds).map_or("-".to_string(), |t| format!("{t:.0}"));
        text.push_str(&format!(
            "{:<32} {:>7} {:>7} {:>11} {:>11} {:>9}  {}\n",
            single_line(&m.model).chars().take(32).collect::<String>(),
            m.adopted,
            m.answers,
            m.cost.display(),
            per.display(),
            speed,
            bar(f64::from(m.adopted), max, 20)
        ));
    }
    out(&text);
    0
}

/// `stats --json`: your blind ratings, the judges' agreement with you, and the sighted
/// adoptions under their own key.
pub fn stats_json(lb: &Leaderboard) -> serde_json::Value {
    let round = |x: f64| (x * 10.0).round() / 10.0;
    let ratings: Vec<serde_json::Value> = lb
        .ratings
        .iter()
        .map(|r| {
            serde_json::json!({
                "model": r.model,
                "rating": round(r.rating),
                "ci_low": round(r.ci_low),
                "ci_high": round(r.ci_high),
                "votes": r.votes,
                "wins": r.wins,
                "losses": r.losses,
                "ties": r.ties,
                "provisional": r.provisional(),
                "cost_per_answer_usd": r.cost_per_answer,
                "median_tokens_per_s": r.median_tokens_per_s,
            })
        })
        .collect();
    let adoptions: Vec<serde_json::Value> = lb
        .adoptions
        .iter()
        .map(|m| {
            serde_json::json!({
                "model": m.model,
                "adopted": m.adopted,
                "answers": m.answers,
                "total_cost_usd": m.cost,
                "median_tokens_per_s": median(&m.speeds),
            })
        })
        .collect();
    let judges: Vec<serde_json::Value> = lb
        .judges
        .iter()
        .map(|j| {
            serde_json::json!({
                "judge": j.judge,
                "rounds": j.rounds,
                "agreed": j.agreed,
                "agreement": j.rate(),
                "unparseable": j.unparseable,
            })
        })
        .collect();
    serde_json::json!({
        "ratings": ratings,
        "blind_votes": lb.blind_votes,
        "sighted_votes": lb.sighted_votes,
        "method": "Bradley-Terry maximum likelihood, ties as half a win; 95% percentile bootstrap",
        "judges": judges,
        "adoptions": adoptions,
    })
}
