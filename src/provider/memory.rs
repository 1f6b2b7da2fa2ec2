//! What endpoints refused before, per base URL and model, kept in the cache dir so the next
//! request is right the first time. Processes merge what they learn into the file under a
//! lock, so two running at once keep each other's lessons.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::chat::Adjustment;

/// The file under the cache dir.
pub const FILE: &str = "adjustments.json";

type Lessons = BTreeMap<String, Vec<Adjustment>>;

#[derive(Debug, Default)]
pub struct Memory {
    path: Option<PathBuf>,
    learned: Mutex<Lessons>,
}

fn key(base_url: &str, model: &str) -> String {
    format!("{} {model}", base_url.trim_end_matches('/'))
}

fn read(path: &Path) -> Lessons {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Adds a lesson to a list. A rename of a field an earlier lesson produced replaces that
/// lesson (`a → b`, then `b → c`, is `a → c`), and one that undoes it removes it (`a → b`,
/// then `b → a`, is nothing), so lessons never cancel into a loop.
fn add(list: &mut Vec<Adjustment>, adj: &Adjustment) {
    if list.iter().any(|a| a.param == adj.param) {
        return;
    }
    if let Some(i) = list
        .iter()
        .position(|a| a.renamed_to.as_deref() == Some(adj.param.as_str()))
    {
        let earlier = list.remove(i);
        if adj.renamed_to.as_deref() == Some(earlier.param.as_str()) {
            return;
        }
        list.push(Adjustment {
            param: earlier.param,
            ..adj.clone()
        });
        return;
    }
    list.push(adj.clone());
}

impl Memory {
    /// Reads what was learned before. A missing or unreadable file starts empty (it is a
    /// cache: the worst case is one more adjusted request).
    pub fn load(cache_dir: &Path) -> Memory {
        let path = cache_dir.join(FILE);
        Memory {
            learned: Mutex::new(read(&path)),
            path: Some(path),
        }
    }

    /// What this endpoint refused for this model before, to be made up front.
    pub fn learned(&self, base_url: &str, model: &str) -> Vec<Adjustment> {
        self.learned
            .lock()
            .ok()
            .and_then(|m| m.get(&key(base_url, model)).cloned())
            .unwrap_or_default()
    }

    /// Remembers a refusal, and merges it into the file off the caller's thread.
    pub fn learn(self: &Arc<Self>, base_url: &str, model: &str, adj: &Adjustment) {
        let mut lesson = adj.clone();
        lesson.remembered = true;
        lesson.reason = format!("refused before: {}", adj.reason);
        let k = key(base_url, model);
        if let Ok(mut map) = self.learned.lock() {
            add(map.entry(k.clone()).or_default(), &lesson);
        }
        let Some(path) = self.path.clone() else {
            return;
        };
        let write = move || merge_into_file(&path, &k, &lesson);
        match tokio::runtime::Handle::try_current() {
            Ok(h) => drop(h.spawn_blocking(write)),
            Err(_) => write(),
        }
    }
}

/// Adds one lesson to what the file holds now, under a lock on a file beside it.
fn merge_into_file(path: &Path, k: &str, lesson: &Adjustment) {
    let result = crate::storage::with_file_lock(&path.with_extension("lock"), || {
        let mut lessons = read(path);
        add(lessons.entry(k.to_string()).or_default(), lesson);
        let bytes = serde_json::to_vec_pretty(&lessons).map_err(std::io::Error::other)?;
        crate::storage::write_atomic(path, &bytes)
    });
    if let Err(e) = result {
        crate::log::warn(&format!("could not save {}: {e}", path.display()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename(from: &str, to: &str) -> Adjustment {
        Adjustment {
            param: from.into(),
            renamed_to: Some(to.into()),
            reason: "x".into(),
            changes_answer: false,
            remembered: true,
        }
    }

    #[test]
    fn lessons_chain_and_never_cancel_into_a_loop() {
        let mut list = Vec::new();
        add(&mut list, &rename("max_tokens", "max_completion_tokens"));
        add(
            &mut list,
            &rename("max_completion_tokens", "max_output_tokens"),
        );
        assert_eq!(list, vec![rename("max_tokens", "max_output_tokens")]);
        add(&mut list, &rename("max_output_tokens", "max_tokens"));
        assert!(list.is_empty(), "back where it started: nothing to adjust");
    }

    #[test]
    fn two_processes_keep_each_others_lessons() {
        let dir = tempfile::tempdir().unwrap();
        let a = Arc::new(Memory::load(dir.path()));
        let b = Arc::new(Memory::load(dir.path()));
        a.learn(
            "http://x/v1",
            "m1",
            &rename("max_tokens", "max_completion_tokens"),
        );
        b.learn("http://x/v1", "m2", &rename("usage", "x"));
        let again = Memory::load(dir.path());
        assert_eq!(again.learned("http://x/v1", "m1").len(), 1);
        assert_eq!(again.learned("http://x/v1", "m2").len(), 1);
        assert!(again.learned("http://x/v1", "m1")[0].remembered);
    }
}
