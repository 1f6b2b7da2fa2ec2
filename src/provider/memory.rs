//! What endpoints refused before, per base URL and model, kept in the cache dir so the next
//! request is right the first time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::chat::Adjustment;

/// The file under the cache dir.
pub const FILE: &str = "adjustments.json";

#[derive(Debug, Default)]
pub struct Memory {
    path: Option<PathBuf>,
    learned: Mutex<BTreeMap<String, Vec<Adjustment>>>,
}

fn key(base_url: &str, model: &str) -> String {
    format!("{} {model}", base_url.trim_end_matches('/'))
}

impl Memory {
    /// Reads what was learned before. A missing or unreadable file starts empty (it is a
    /// cache: the worst case is one more adjusted request).
    pub fn load(cache_dir: &Path) -> Memory {
        let path = cache_dir.join(FILE);
        let learned = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        Memory {
            path: Some(path),
            learned: Mutex::new(learned),
        }
    }

    /// What this endpoint refused for this model before.
    pub fn learned(&self, base_url: &str, model: &str) -> Vec<Adjustment> {
        self.learned
            .lock()
            .ok()
            .and_then(|m| m.get(&key(base_url, model)).cloned())
            .unwrap_or_default()
    }

    /// Remembers a refusal and writes the file (atomically, off the caller's thread).
    pub fn learn(self: &Arc<Self>, base_url: &str, model: &str, adj: &Adjustment) {
        {
            let Ok(mut map) = self.learned.lock() else {
                return;
            };
            let list = map.entry(key(base_url, model)).or_default();
            if list.iter().any(|a| a.param == adj.param) {
                return;
            }
            let mut remembered = adj.clone();
            remembered.reason = format!("refused before ({})", adj.reason);
            list.push(remembered);
        }
        let me = Arc::clone(self);
        let write = move || me.save();
        match tokio::runtime::Handle::try_current() {
            Ok(h) => drop(h.spawn_blocking(write)),
            Err(_) => write(),
        }
    }

    /// Writes the whole map under its lock, so a later snapshot never loses to an earlier.
    fn save(&self) {
        let Some(path) = &self.path else { return };
        let Ok(map) = self.learned.lock() else { return };
        let Ok(bytes) = serde_json::to_vec_pretty(&*map) else {
            return;
        };
        if let Err(e) = crate::storage::write_atomic(path, &bytes) {
            crate::log::warn(&format!("could not save {}: {e}", path.display()));
        }
    }
}
