//! A small append-only log of what went wrong (failed streams, saves, config warnings) under
//! the XDG state dir. It holds messages built by switchboard, never keys or answers.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

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

/// Appends one line. Failures to log are ignored: the log must never break the app.
pub fn warn(message: &str) {
    let path = path();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_BYTES) {
        let _ = std::fs::rename(&path, path.with_extension("log.old"));
    }
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let line = format!(
        "{} {}\n",
        crate::timefmt::format_time(ms),
        crate::sanitize::single_line(message)
    );
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    if let Ok(mut f) = opts.open(&path) {
        let _ = f.write_all(line.as_bytes());
    }
}
