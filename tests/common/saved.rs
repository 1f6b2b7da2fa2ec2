//! Saved sessions as the real binary writes them: read from its data folder, and waited for.

use std::path::Path;
use std::time::Duration;

use switchboard::storage::session::{self, Session};

pub fn sessions(dirs: &Path) -> Vec<Session> {
    let dir = dirs.join("data/switchboard/sessions");
    let mut out: Vec<Session> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|e| {
            e.file_name().to_string_lossy().ends_with(".json") && e.file_name() != "index.json"
        })
        .map(|e| session::load(&e.path()).expect("every session file loads"))
        .collect();
    out.sort_by_key(|s| s.created_ms);
    out
}

/// Waits until the saved sessions satisfy `cond` (they are saved at least once a second while
/// answers stream).
pub fn wait_saved(dirs: &Path, what: &str, cond: impl Fn(&[Session]) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !cond(&sessions(dirs)) {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
