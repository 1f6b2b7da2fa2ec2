//! The prompts file of a batch: `.txt` (one prompt a line), `.jsonl` (`{"prompt", "system",
//! "id"}`) or `.csv` (a `prompt` column, `id` and `system` optional), read as a stream so a
//! long file is never held in memory, with errors that name the file and the line.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// One prompt of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// 0-based, in file order.
    pub index: usize,
    /// Its `id`, or its 1-based line (record, for CSV) number.
    pub id: String,
    pub prompt: String,
    pub system: Option<String>,
    /// Where it stands in the file (1-based), for messages.
    pub line: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Txt,
    Jsonl,
    Csv,
}

/// Why the prompts file cannot be used; the message names the file and, where it can, the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PromptsError(pub String);

fn kind_of(path: &Path) -> Result<Kind, PromptsError> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("txt") => Ok(Kind::Txt),
        Some("jsonl") | Some("ndjson") => Ok(Kind::Jsonl),
        Some("csv") => Ok(Kind::Csv),
        _ => Err(PromptsError(format!(
            "{}: a prompts file ends in .txt (one prompt a line), .jsonl or .csv",
            path.display()
        ))),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonPrompt {
    prompt: String,
    #[serde(default)]
    system: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
}

/// Streams the prompts of a file, in order.
pub struct Prompts {
    path: PathBuf,
    kind: Kind,
    lines: Option<std::io::Lines<BufReader<File>>>,
    csv: Option<(csv::StringRecordsIntoIter<File>, Columns)>,
    line: usize,
    index: usize,
}

#[derive(Clone, Copy)]
struct Columns {
    prompt: usize,
    id: Option<usize>,
    system: Option<usize>,
}

impl Prompts {
    pub fn open(path: &Path) -> Result<Prompts, PromptsError> {
        let kind = kind_of(path)?;
        let file = File::open(path)
            .map_err(|e| PromptsError(format!("{}: cannot read: {e}", path.display())))?;
        let mut prompts = Prompts {
            path: path.to_path_buf(),
            kind,
            lines: None,
            csv: None,
            line: 0,
            index: 0,
        };
        if kind == Kind::Csv {
            let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
            let headers = reader.headers().map_err(|e| prompts.csv_error(e))?.clone();
            let find = |name: &str| headers.iter().position(|h| h.trim() == name);
            let Some(prompt) = find("prompt") else {
                return Err(PromptsError(format!(
                    "{}: line 1: no `prompt` column (columns: prompt, and optionally id, system)",
                    path.display()
                )));
            };
            let columns = Columns {
                prompt,
                id: find("id"),
                system: find("system"),
            };
            prompts.csv = Some((reader.into_records(), columns));
        } else {
            prompts.lines = Some(BufReader::with_capacity(64 * 1024, file).lines());
        }
        Ok(prompts)
    }

    fn at(&self, line: u64, what: impl std::fmt::Display) -> PromptsError {
        PromptsError(format!("{}: line {line}: {what}", self.path.display()))
    }

    fn csv_error(&self, e: csv::Error) -> PromptsError {
        match e.position() {
            Some(p) => self.at(p.line(), e),
            None => PromptsError(format!("{}: {e}", self.path.display())),
        }
    }

    fn next_line(&mut self) -> Option<Result<Prompt, PromptsError>> {
        let lines = self.lines.as_mut()?;
        loop {
            let text = match lines.next()? {
                Ok(t) => t,
                Err(e) => {
                    return Some(Err(
                        self.at(self.line as u64 + 1, format!("cannot read: {e}"))
                    ));
                }
            };
            self.line += 1;
            // A file saved on Windows or with a BOM reads the same.
            let text = text.strip_suffix('\r').unwrap_or(&text);
            let text = if self.line == 1 {
                text.strip_prefix('\u{feff}').unwrap_or(text)
            } else {
                text
            };
            if text.trim().is_empty() {
                continue;
            }
            let line = self.line;
            let (prompt, system, id) = match self.kind {
                Kind::Txt => (text.to_string(), None, None),
                _ => match serde_json::from_str::<JsonPrompt>(text) {
                    Ok(j) => (j.prompt, j.system, j.id),
                    Err(e) => {
                        return Some(Err(
                            self.at(line as u64, format!("not a {{\"prompt\": …}} object: {e}"))
                        ));
                    }
                },
            };
            let id = match id {
                None | Some(serde_json::Value::Null) => line.to_string(),
                Some(serde_json::Value::String(s)) => s,
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(other) => {
                    return Some(Err(self.at(
                        line as u64,
                        format!("`id` must be a string or a number, not {other}"),
                    )));
                }
            };
            return Some(self.made(line as u64, id, prompt, system));
        }
    }

    fn next_record(&mut self) -> Option<Result<Prompt, PromptsError>> {
        let (records, columns) = self.csv.as_mut()?;
        let columns = *columns;
        let record = match records.next()? {
            Ok(r) => r,
            Err(e) => return Some(Err(self.csv_error(e))),
        };
        self.line += 1;
        let line = record.position().map_or(self.line as u64 + 1, |p| p.line());
        let get = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
        let id = get(columns.id).unwrap_or_else(|| self.line.to_string());
        let prompt = get(Some(columns.prompt)).unwrap_or_default();
        Some(self.made(line, id, prompt, get(columns.system)))
    }

    fn made(
        &mut self,
        line: u64,
        id: String,
        prompt: String,
        system: Option<String>,
    ) -> Result<Prompt, PromptsError> {
        if prompt.trim().is_empty() {
            return Err(self.at(line, "the prompt is empty"));
        }
        if id.is_empty() || id.chars().any(char::is_control) {
            return Err(self.at(line, "the id is empty or has control characters"));
        }
        let index = self.index;
        self.index += 1;
        Ok(Prompt {
            index,
            id,
            prompt,
            system: system.filter(|s| !s.trim().is_empty()),
            line,
        })
    }
}

impl Iterator for Prompts {
    type Item = Result<Prompt, PromptsError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.kind {
            Kind::Csv => self.next_record(),
            _ => self.next_line(),
        }
    }
}

/// What a first pass over the file found: how many prompts, and the tokens they take.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Survey {
    pub count: usize,
    /// Prompt tokens (estimated) of every prompt, system prompt and framing included.
    pub prompt_tokens: u64,
}

/// Reads the whole file once, before anything is sent: every line checked, ids unique.
/// Only the ids are kept.
pub fn survey(path: &Path, default_system: Option<&str>) -> Result<Survey, PromptsError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut survey = Survey::default();
    for p in Prompts::open(path)? {
        let p = p?;
        let system = p.system.as_deref().or(default_system);
        survey.prompt_tokens +=
            crate::cost::estimate_prompt_tokens(system.into_iter().chain([p.prompt.as_str()]));
        survey.count += 1;
        if !seen.insert(p.id.clone()) {
            return Err(PromptsError(format!(
                "{}: line {}: the id {:?} is already an earlier prompt's: ids must be unique",
                path.display(),
                p.line,
                crate::sanitize::single_line(&p.id)
            )));
        }
    }
    if survey.count == 0 {
        return Err(PromptsError(format!(
            "{}: no prompts in it",
            path.display()
        )));
    }
    Ok(survey)
}

#[cfg(test)]
mod tests;
