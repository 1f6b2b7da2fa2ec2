//! Reading a results file back for `--resume`: which cells completed, the session it was
//! saving to, and the answers of prompts the session has no round for yet; the file is
//! rewritten without its failed or torn lines.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::chat::AnswerStatus;
use crate::cli::ResultsFormat;
use crate::cost::{Cost, CostSource, Usage, Usd};
use crate::storage::session::SavedAnswer;

use super::{CSV_COLUMNS, csv_header, csv_row};

/// What a results file already holds, for `--resume`.
#[derive(Debug, Default)]
pub struct Previous {
    /// The session the batch was saving to.
    pub session: Option<String>,
    /// The cells with a completed line, by (prompt id, model).
    pub complete: HashMap<(String, String), ()>,
    /// Lines dropped when the file was rewritten: failed or torn ones, and repeats.
    pub dropped: usize,
    /// Completed answers of the prompts `compact` was asked to carry (those the session has
    /// no round for yet: they were in flight at a kill), read back from their lines.
    pub carried: HashMap<String, Vec<SavedAnswer>>,
}

impl Previous {
    pub fn is_complete(&self, prompt_id: &str, model: &str) -> bool {
        self.complete
            .contains_key(&(prompt_id.to_string(), model.to_string()))
    }
}

/// The session the first readable line of a results file names.
pub fn session_of(path: &Path, format: ResultsFormat) -> std::io::Result<Option<String>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let reader = BufReader::with_capacity(256 * 1024, file);
    Ok(match format {
        ResultsFormat::Jsonl => reader
            .split(b'\n')
            .map_while(Result::ok)
            .find_map(|l| serde_json::from_slice::<Head>(&l).ok())
            .and_then(|h| h.session),
        ResultsFormat::Csv => csv::Reader::from_reader(reader)
            .records()
            .map_while(Result::ok)
            .find(|r| r.len() == CSV_COLUMNS.len())
            .map(|r| r[0].to_string())
            .filter(|s| !s.is_empty()),
    })
}

#[derive(serde::Deserialize)]
pub(super) struct Head {
    #[serde(default)]
    session: Option<String>,
    prompt_id: String,
    model: String,
    status: String,
}

/// Reads a results file for `--resume` and rewrites it (atomically, streaming) with only its
/// completed lines, each cell once: the failed lines are about to be superseded, and a torn
/// last line from a kill is dropped. The file then holds every cell at most once, and after
/// the run exactly once.
pub fn compact(
    path: &Path,
    format: ResultsFormat,
    carry: &dyn Fn(&str) -> bool,
) -> std::io::Result<Previous> {
    let mut prev = Previous::default();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(prev),
        Err(e) => return Err(e),
    };
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        file.metadata()?.permissions().mode() & 0o7777
    };
    #[cfg(not(unix))]
    let mode = 0o600;
    let keep = |head: Head, prev: &mut Previous| -> bool {
        if prev.session.is_none() {
            prev.session = head.session;
        }
        let key = (head.prompt_id, head.model);
        let fresh = head.status == "complete" && !prev.complete.contains_key(&key);
        if fresh {
            prev.complete.insert(key, ());
        } else {
            prev.dropped += 1;
        }
        fresh
    };
    crate::storage::write_atomic_with(path, mode, |w| {
        match format {
            ResultsFormat::Jsonl => {
                for line in BufReader::with_capacity(256 * 1024, file).split(b'\n') {
                    let line = line?;
                    let parsed = serde_json::from_slice::<Head>(&line).map(|h| keep(h, &mut prev));
                    match parsed {
                        Ok(true) => {
                            w.write_all(&line)?;
                            w.write_all(b"\n")?;
                            if let Ok(l) = serde_json::from_slice::<JsonAnswer>(&line)
                                && carry(&l.prompt_id)
                            {
                                let id = l.prompt_id.clone();
                                prev.carried.entry(id).or_default().push(l.saved());
                            }
                        }
                        Ok(false) => {}
                        Err(_) if line.iter().all(u8::is_ascii_whitespace) => {}
                        Err(_) => prev.dropped += 1,
                    }
                }
            }
            ResultsFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .from_reader(BufReader::with_capacity(256 * 1024, file));
                let headers = reader.headers().map_err(std::io::Error::other)?.clone();
                if headers.iter().ne(CSV_COLUMNS.iter().copied()) {
                    return Err(std::io::Error::other(
                        "its header row is not switchboard's results columns",
                    ));
                }
                w.write_all(&csv_header())?;
                for record in reader.records() {
                    let Ok(record) = record else {
                        prev.dropped += 1;
                        continue;
                    };
                    if record.len() != CSV_COLUMNS.len() {
                        prev.dropped += 1;
                        continue;
                    }
                    let head = Head {
                        session: Some(record[0].to_string()).filter(|s| !s.is_empty()),
                        prompt_id: record[1].to_string(),
                        model: record[3].to_string(),
                        status: record[6].to_string(),
                    };
                    if keep(head, &mut prev) {
                        w.write_all(&csv_row(&record.iter().collect::<Vec<_>>()))?;
                        if carry(&record[1]) {
                            let id = record[1].to_string();
                            prev.carried.entry(id).or_default().push(csv_saved(&record));
                        }
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(prev)
}

/// The fields of a JSONL line that a saved answer takes back.
#[derive(serde::Deserialize)]
struct JsonAnswer {
    prompt_id: String,
    model: String,
    #[serde(default)]
    served_model: Option<String>,
    #[serde(default)]
    provider: Option<String>,
    status: AnswerStatus,
    #[serde(default)]
    text: String,
    #[serde(default)]
    reasoning: String,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    usage: Option<JsonUsage>,
    #[serde(default)]
    cost_usd: Option<Box<serde_json::value::RawValue>>,
    #[serde(default)]
    cost_source: Option<CostSource>,
    #[serde(default)]
    ttft_ms: Option<u64>,
    #[serde(default)]
    duration_ms: Option<u64>,
    #[serde(default)]
    tokens_per_s: Option<f64>,
    #[serde(default)]
    adjusted: Vec<crate::chat::Adjustment>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(serde::Deserialize)]
struct JsonUsage {
    prompt_tokens: u64,
    completion_tokens: u64,
    #[serde(default)]
    reasoning_tokens: u64,
    #[serde(default)]
    cached_tokens: u64,
}

/// A saved answer from what a result line kept (no per-second race, no generation id).
fn saved_from(
    model: String,
    status: AnswerStatus,
    usage: Option<Usage>,
    cost: Option<Cost>,
) -> SavedAnswer {
    let mut a = crate::chat::Answer::new(model, 0);
    a.status = status;
    let mut s = SavedAnswer::from_answer(&a, 0, cost, None);
    s.usage = usage.map(|mut u| {
        // A reported cost is the endpoint's: it goes back where it came from.
        u.cost = cost
            .filter(|c| c.source == CostSource::Reported)
            .map(|c| c.usd);
        u
    });
    s
}

impl JsonAnswer {
    fn saved(self) -> SavedAnswer {
        let cost = self
            .cost_usd
            .and_then(|raw| crate::cost::parse_json_amount(raw.get()).ok())
            .zip(self.cost_source)
            .map(|(usd, source)| Cost { usd, source });
        let usage = self.usage.map(|u| Usage {
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
            reasoning_tokens: u.reasoning_tokens,
            cached_tokens: u.cached_tokens,
            cost: None,
        });
        let mut s = saved_from(self.model, self.status, usage, cost);
        s.served_model = self.served_model;
        s.provider = self.provider;
        s.text = self.text;
        s.reasoning = self.reasoning;
        s.error = self.error;
        s.ttft_ms = self.ttft_ms;
        s.duration_ms = self.duration_ms;
        s.tokens_per_s = self.tokens_per_s;
        s.adjusted = self.adjusted;
        s.notes = self.notes;
        s
    }
}

fn csv_saved(r: &csv::StringRecord) -> SavedAnswer {
    let opt = |i: usize| Some(r[i].to_string()).filter(|s| !s.is_empty());
    let num = |i: usize| r[i].parse::<u64>().ok();
    let usage = num(11).map(|p| Usage {
        prompt_tokens: p,
        completion_tokens: num(12).unwrap_or(0),
        reasoning_tokens: num(13).unwrap_or(0),
        cached_tokens: 0,
        cost: None,
    });
    let source = opt(15).and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok());
    let cost = opt(14)
        .and_then(|c| Usd::parse(&c).ok())
        .zip(source)
        .map(|(usd, source)| Cost { usd, source });
    let mut s = saved_from(r[3].to_string(), AnswerStatus::Complete, usage, cost);
    s.served_model = opt(4);
    s.provider = opt(5);
    s.ttft_ms = num(8);
    s.duration_ms = num(9);
    s.tokens_per_s = r[10].parse().ok();
    s.text = r[16].to_string();
    s.reasoning = r[17].to_string();
    s
}
