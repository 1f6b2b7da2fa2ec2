//! Whether a results file may be rewritten by `--resume`: checked before a byte of it is, so a
//! wrong `-o` or format, or a hand-edited line, is refused instead of thrown away.

use std::path::Path;

use crate::cli::ResultsFormat;

use super::CSV_COLUMNS;
use super::read::Head;

/// Checks, without changing it, that `path` is a results file `--resume` may rewrite: of the
/// format asked for, every line a result (a torn last line aside, as a kill leaves it).
/// Anything else (the wrong `-o`, a CSV run resumed without
/// `--format csv`, a hand-edited line) is refused before a byte of it is rewritten.
pub fn check(path: &Path, format: ResultsFormat) -> Result<(), String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let Some(first) = bytes.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Ok(());
    };
    let shown = path.display();
    match (format, *first == b'{') {
        (ResultsFormat::Jsonl, false) => {
            return Err(format!(
                "{shown} does not hold JSONL results (CSV results need --format csv); nothing was changed"
            ));
        }
        (ResultsFormat::Csv, true) => {
            return Err(format!(
                "{shown} holds JSONL results: resume it without --format csv; nothing was changed"
            ));
        }
        _ => {}
    }
    let torn_tail = !bytes.ends_with(b"\n");
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    match format {
        ResultsFormat::Jsonl => {
            for (i, line) in lines.iter().enumerate() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if serde_json::from_slice::<Head>(line).is_err() && !(i == last && torn_tail) {
                    return Err(format!(
                        "line {} of {shown} is not a switchboard result: fix or remove it, then resume (nothing was changed)",
                        i + 1
                    ));
                }
            }
        }
        ResultsFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(bytes.as_slice());
            let headers = reader
                .headers()
                .map_err(|e| format!("{shown}: {e}"))?
                .clone();
            if headers.iter().ne(CSV_COLUMNS.iter().copied()) {
                return Err(format!(
                    "{shown}: its header row is not switchboard's results columns (nothing was changed)"
                ));
            }
            let records: Vec<_> = reader.records().collect();
            let n = records.len();
            for (i, r) in records.into_iter().enumerate() {
                match r {
                    Ok(r) if r.len() == CSV_COLUMNS.len() => {}
                    _ if i + 1 == n && torn_tail => {}
                    _ => {
                        return Err(format!(
                            "record {} of {shown} is not a switchboard result: fix or remove it, then resume (nothing was changed)",
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
