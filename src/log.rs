//! A small append-only log of what went wrong (failed streams, saves, config warnings) under
//! the XDG state dir. It holds messages built by switchboard, never keys or answers. Lines are
//! written by a thread of its own, so logging never blocks the event loop on the disk.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{self, Sender};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

const MAX_BYTES: u64 = 1024 * 1024;

static PATH: Mutex<Option<PathBuf>> = Mutex::new(None);

/// `$XDG_STATE_HOME/switchboard/switchboard.log` (or the cache dir where there is no state dir).
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "switchboard")
        .and_then(|d| d.state_dir().map(|p| p.to_path_buf()))
        .unwrap_or_else(crate::paths::cache_dir)
        .join("switchboard.log")
}

pub fn path() -> PathBuf {
    PATH.lock()
        .ok()
        .and_then(|p| p.clone())
        .unwrap_or_else(default_path)
}

/// Logs to `path` instead of the default (tests).
pub fn set_path(path: PathBuf) {
    if let Ok(mut p) = PATH.lock() {
        *p = Some(path);
    }
}

enum Job {
    Line(PathBuf, String),
    /// Answered once every line sent before it is written.
    Flush(Sender<()>),
}

fn writer() -> Option<Sender<Job>> {
    static WRITER: OnceLock<Option<Mutex<Sender<Job>>>> = OnceLock::new();
    WRITER
        .get_or_init(|| {
            let (tx, rx) = mpsc::channel::<Job>();
            std::thread::Builder::new()
                .name("switchboard-log".into())
                .spawn(move || {
                    for job in rx {
                        match job {
                            Job::Line(path, line) => append(&path, &line),
                            Job::Flush(done) => {
                                let _ = done.send(());
                            }
                        }
                    }
                })
                .ok()
                .map(|_| Mutex::new(tx))
        })
        .as_ref()
        .and_then(|m| m.lock().ok().map(|tx| tx.clone()))
}

/// Appends one line, from the log's own thread (or here, if it could not start). Failures to
/// log are ignored: the log must never break the app.
pub fn warn(message: &str) {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let line = format!(
        "{} {}\n",
        crate::textfmt::format_time(ms),
        crate::sanitize::single_line(message)
    );
    let path = path();
    match writer() {
        Some(tx) => {
            if let Err(mpsc::SendError(Job::Line(path, line))) = tx.send(Job::Line(path, line)) {
                append(&path, &line);
            }
        }
        None => append(&path, &line),
    }
}

/// Waits (a second at most) until every line logged so far is on disk: before exiting.
pub fn flush() {
    let Some(tx) = writer() else { return };
    let (done_tx, done_rx) = mpsc::channel();
    if tx.send(Job::Flush(done_tx)).is_ok() {
        let _ = done_rx.recv_timeout(Duration::from_secs(1));
    }
}

fn append(path: &std::path::Path, line: &str) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_BYTES) {
        let _ = std::fs::rename(path, path.with_extension("log.old"));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    if let Ok(mut f) = opts.open(path) {
        let _ = f.write_all(line.as_bytes());
    }
}
