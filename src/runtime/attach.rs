//! Files for the prompt, off the event loop: attaching (read, check, keep in the blob folder),
//! completing an `@path` as it is typed, and reading a request's attachments back before it
//! is sent.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::chat::{ChatRequest, ErrorKind, StreamEnd, StreamError, StreamEvent};
use crate::provider::EventSink;
use crate::state::Msg;
use crate::storage::blobs;

/// `~/x` as the shell would read it.
fn expand(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// Reads and keeps each of `paths`; the state hears how each went.
pub fn attach(
    data_dir: PathBuf,
    paths: Vec<String>,
    send: Option<bool>,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::task::spawn_blocking(move || {
        let dir = blobs::blobs_dir(&data_dir);
        let results = paths
            .into_iter()
            .map(|p| {
                let got = blobs::attach(&dir, &expand(&p), &p).map(|mut a| {
                    // The state keeps the description; the bytes stay on disk.
                    a.data = None;
                    a
                });
                (p, got)
            })
            .collect();
        let _ = tx.send(Msg::Attached { results, send });
    });
}

/// The entries that start with `token` (a path as typed after `@`), folders ending in `/`,
/// sorted, at most 200.
pub fn candidates(token: &str) -> Vec<String> {
    let (dir_part, stem) = match token.rfind('/') {
        Some(i) => (&token[..=i], &token[i + 1..]),
        None => ("", token),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        expand(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            // Hidden files only when asked for by a leading dot.
            if !name.starts_with(stem) || (name.starts_with('.') && !stem.starts_with('.')) {
                return None;
            }
            let is_dir = e.file_type().ok()?.is_dir()
                || std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            Some(format!("{dir_part}{name}{}", if is_dir { "/" } else { "" }))
        })
        .collect();
    out.sort();
    out.truncate(200);
    out
}

pub fn complete(token: String, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let matches = candidates(&token);
        let _ = tx.send(Msg::PathCompletions { token, matches });
    });
}

/// Fills in the bytes of `request`'s attachments from the blob folder. False (after ending
/// the stream with the reason) when one cannot be read back: the request would not be the
/// one asked for.
pub async fn read_back(
    blobs_dir: PathBuf,
    request: &mut ChatRequest,
    sink: &mut impl EventSink,
) -> bool {
    if request.messages.iter().all(|m| m.attachments.is_empty()) {
        return true;
    }
    let mut messages = std::mem::take(&mut request.messages);
    let result = tokio::task::spawn_blocking(move || {
        let r = blobs::resolve(&blobs_dir, &mut messages);
        (messages, r)
    })
    .await;
    let error = match result {
        Ok((messages, r)) => {
            request.messages = messages;
            match r {
                Ok(()) => return true,
                Err(e) => e,
            }
        }
        Err(e) => format!("reading the attachments failed: {e}"),
    };
    let end = StreamEnd::Failed(StreamError::new(ErrorKind::Request, error));
    sink.emit(StreamEvent::End(end)).await;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_complete_files_and_folders_hiding_dotfiles() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_string_lossy().into_owned();
        std::fs::create_dir(tmp.path().join("src")).unwrap();
        std::fs::write(tmp.path().join("src.txt"), "").unwrap();
        std::fs::write(tmp.path().join(".secret"), "").unwrap();
        std::fs::write(tmp.path().join("src/lib.rs"), "").unwrap();
        assert_eq!(
            candidates(&format!("{root}/sr")),
            [format!("{root}/src.txt"), format!("{root}/src/")]
        );
        assert_eq!(candidates(&format!("{root}/")).len(), 2);
        assert_eq!(
            candidates(&format!("{root}/.s")),
            [format!("{root}/.secret")]
        );
        assert_eq!(
            candidates(&format!("{root}/src/")),
            [format!("{root}/src/lib.rs")]
        );
        assert!(candidates(&format!("{root}/nope/x")).is_empty());
    }
}
