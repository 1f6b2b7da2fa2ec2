//! The results file of a batch: one line per finished answer (a "cell": one prompt × one
//! model), appended and flushed as each finishes, in JSONL (the fields `run --json` gives an
//! answer, from [`super::super::report`], plus `session`, `prompt_id` and `prompt_index`) or
//! CSV. Each line goes out in one write, so a kill leaves at most a torn last line, which
//! `--resume` drops. See docs/batch.md.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::cli::ResultsFormat;

use super::super::report::AnswerReport;

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 18] = [
    "session",
    "prompt_id",
    "prompt_index",
    "model",
    "served_model",
    "provider",
    "status",
    "error",
    "ttft_ms",
    "duration_ms",
    "tokens_per_s",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
    "cost_usd",
    "cost_source",
    "text",
    "reasoning",
];

/// Which cell a line is about.
pub struct CellKey<'a> {
    pub session: &'a str,
    pub prompt_id: &'a str,
    pub prompt_index: usize,
}

/// One line for `answer`, newline included.
pub fn line(format: ResultsFormat, key: &CellKey<'_>, answer: &AnswerReport<'_>) -> Vec<u8> {
    match format {
        ResultsFormat::Jsonl => json_line(key, answer),
        ResultsFormat::Csv => csv_row(&csv_fields(key, answer)),
    }
}

fn json_line(key: &CellKey<'_>, answer: &AnswerReport<'_>) -> Vec<u8> {
    // The answer's own serializer writes its fields (costs as exact numbers); the cell's go
    // in front of them.
    let body = serde_json::to_vec(answer).unwrap_or_else(|_| b"{}".to_vec());
    let mut out = Vec::with_capacity(body.len() + 96);
    out.extend_from_slice(b"{\"session\":");
    let _ = serde_json::to_writer(&mut out, key.session);
    out.extend_from_slice(b",\"prompt_id\":");
    let _ = serde_json::to_writer(&mut out, key.prompt_id);
    let _ = write!(out, ",\"prompt_index\":{}", key.prompt_index);
    if body.len() > 2 {
        out.push(b',');
    }
    out.extend_from_slice(&body[1..]);
    out.push(b'\n');
    out
}

fn csv_fields(key: &CellKey<'_>, a: &AnswerReport<'_>) -> Vec<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let usage = a.usage.as_ref();
    vec![
        key.session.to_string(),
        key.prompt_id.to_string(),
        key.prompt_index.to_string(),
        a.model.to_string(),
        opt(a.served_model.map(str::to_string)),
        opt(a.provider.map(str::to_string)),
        a.status.to_string(),
        opt(a.error.map(str::to_string)),
        opt(a.ttft_ms.map(|v| v.to_string())),
        opt(a.duration_ms.map(|v| v.to_string())),
        opt(a.tokens_per_s.map(|v| format!("{v:.1}"))),
        opt(usage.map(|u| u.prompt_tokens.to_string())),
        opt(usage.map(|u| u.completion_tokens.to_string())),
        opt(usage.map(|u| u.reasoning_tokens.to_string())),
        // The exact decimal, never through a float.
        opt(a.cost_usd.map(|c| c.to_decimal())),
        opt(a.cost_source.and_then(|s| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
        })),
        a.text.to_string(),
        a.reasoning.to_string(),
    ]
}

fn csv_row<S: AsRef<[u8]>>(fields: &[S]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

/// The header row of a CSV results file.
pub fn csv_header() -> Vec<u8> {
    csv_row(&CSV_COLUMNS)
}

/// Where results go: a file opened for appending, or standard output.
pub struct Sink {
    file: Option<File>,
}

impl Sink {
    /// Appends to `path` (created 0600 if missing), or writes to stdout. A new CSV file (or
    /// stdout) gets the header row first.
    pub fn open(path: Option<&Path>, format: ResultsFormat) -> std::io::Result<Sink> {
        let mut sink = match path {
            None => Sink { file: None },
            Some(p) => {
                let mut opts = std::fs::OpenOptions::new();
                opts.create(true).append(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                Sink {
                    file: Some(opts.open(p)?),
                }
            }
        };
        let empty = match &sink.file {
            Some(f) => f.metadata()?.len() == 0,
            None => true,
        };
        if format == ResultsFormat::Csv && empty {
            sink.write(&csv_header())?;
        }
        Ok(sink)
    }

    /// Writes one whole line in one call and flushes it: a kill cannot split it across two
    /// writes, and it is on disk (in the page cache) before the next cell's.
    pub fn write(&mut self, line: &[u8]) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.write_all(line),
            None => {
                let mut out = std::io::stdout().lock();
                // Model output is untrusted: JSON escapes control characters, CSV does not,
                // so on a terminal they are made visible rather than obeyed.
                if std::io::IsTerminal::is_terminal(&out) {
                    let text = String::from_utf8_lossy(line);
                    let safe = crate::sanitize::terminal_safe(text.trim_end_matches('\n'));
                    out.write_all(safe.as_bytes())?;
                    out.write_all(b"\n")?;
                } else {
                    out.write_all(line)?;
                }
                out.flush()
            }
        }
    }
}

mod check;
mod read;

pub use check::check;
pub use read::{Previous, compact, session_of};

#[cfg(test)]
mod tests;
