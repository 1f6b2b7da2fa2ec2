//! What `run` and the playground read before any request: the prompt itself from standard
//! input (`-`), text piped in to go after it, and the files of `-f`, each checked for size
//! and encoding.

use std::io::{IsTerminal, Read};

use crate::config::UsageError;

/// The most standard input a prompt takes: past it, a clear error rather than a request no
/// model would take.
pub const MAX_PIPED_BYTES: u64 = 8 * 1024 * 1024;

/// The files of `-f`, in order, each named as it was given; a clear error for the first
/// that cannot go (missing, a folder, binary, over its size limit). With `blobs`, each is
/// also kept there, as a session's attachments are.
pub fn read_files(
    files: &[std::path::PathBuf],
    blobs: Option<&std::path::Path>,
) -> Result<Vec<crate::chat::attach::Attachment>, UsageError> {
    files
        .iter()
        .map(|path| {
            let name = path.to_string_lossy();
            match blobs {
                Some(dir) => crate::storage::blobs::attach(dir, path, &name),
                None => crate::storage::blobs::read_file(path, &name),
            }
            .map_err(|e| UsageError::Invalid(format!("cannot attach: {e}")))
        })
        .collect()
}

/// What was piped to standard input (`cat file | switchboard …`), or `None` from a terminal
/// or when nothing came.
pub fn read_piped() -> Result<Option<String>, UsageError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_PIPED_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| UsageError::Invalid(format!("could not read standard input: {e}")))?;
    if bytes.len() as u64 > MAX_PIPED_BYTES {
        return Err(UsageError::Invalid(format!(
            "standard input is over {} MB: too much to send with a prompt",
            MAX_PIPED_BYTES / (1024 * 1024)
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        UsageError::Invalid("standard input is not UTF-8 text: pipe text only".into())
    })?;
    Ok((!text.trim().is_empty()).then_some(text))
}

/// The prompt from the argument (with whatever was piped to stdin after it), or from stdin
/// for `-` or no argument.
pub fn read_prompt(arg: Option<&str>) -> Result<String, UsageError> {
    let prompt = match arg {
        Some(p) if p != "-" => match read_piped()? {
            Some(piped) => crate::chat::attach::with_stdin(p, &piped),
            None => p.to_string(),
        },
        _ if !std::io::stdin().is_terminal() => read_piped()?.unwrap_or_default(),
        None => {
            return Err(UsageError::Invalid(
                "no prompt: give it as an argument, or `-` to read it from stdin".into(),
            ));
        }
        // `-` at a terminal: the prompt is typed, up to Ctrl-D.
        Some(_) => {
            let mut text = String::new();
            std::io::stdin()
                .lock()
                .read_to_string(&mut text)
                .map_err(|e| {
                    UsageError::Invalid(format!("could not read the prompt from stdin: {e}"))
                })?;
            text
        }
    };
    if prompt.trim().is_empty() {
        return Err(UsageError::Invalid("the prompt is empty".into()));
    }
    Ok(prompt)
}
