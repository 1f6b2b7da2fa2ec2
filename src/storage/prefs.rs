//! Preferences remembered between runs: favourite and recent models, sent prompts, and the
//! models last used with each endpoint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const MAX_RECENT: usize = 20;
const MAX_HISTORY: usize = 200;
pub const MAX_FAVOURITES: usize = 200;
/// Endpoints whose last models are kept (the most recently used).
const MAX_ENDPOINTS: usize = 20;
/// The key of the demo simulator's models in `last_models` (its port changes every run).
pub const DEMO_KEY: &str = "demo";

/// Where preferences keep what was last used with an endpoint: its base URL, or `demo` for
/// the demo simulator, whose port changes every run.
pub fn endpoint_key(demo: bool, base_url: &str) -> &str {
    if demo { DEMO_KEY } else { base_url }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub favourites: Vec<String>,
    /// Most recent first.
    pub recent_models: Vec<String>,
    /// Sent prompts, oldest first.
    pub history: Vec<String>,
    /// Base URL -> the pane models last used there.
    pub last_models: BTreeMap<String, Vec<String>>,
    /// The keys of `last_models`, most recently used first.
    pub endpoints: Vec<String>,
}

impl Prefs {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join("prefs.json")
    }

    /// Reads the file; a missing or unreadable file gives defaults (it only holds conveniences).
    pub fn load(data_dir: &Path) -> Prefs {
        std::fs::read_to_string(Self::path(data_dir))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        super::write_atomic(&Self::path(data_dir), &json)
    }

    /// Saves this process's changes since `base` (what it loaded or last saved) into what is
    /// on disk now, under a lock, so two running instances never undo each other's changes.
    /// Returns what was written.
    pub fn save_merged(&self, base: &Prefs, data_dir: &Path) -> std::io::Result<Prefs> {
        super::with_file_lock(&data_dir.join("prefs.lock"), || {
            let merged = Prefs::load(data_dir).merge(base, self);
            merged.save(data_dir).map(|()| merged)
        })
    }

    /// `disk` with the changes that led from `base` to `mine` applied.
    fn merge(mut self, base: &Prefs, mine: &Prefs) -> Prefs {
        let disk = &mut self;
        for f in mine.favourites.iter().filter(|f| !base.is_favourite(f)) {
            if !disk.is_favourite(f) {
                disk.favourites.push(f.clone());
            }
        }
        disk.favourites
            .retain(|f| mine.is_favourite(f) || !base.is_favourite(f));
        let mut recent = mine.recent_models.clone();
        recent.extend(
            disk.recent_models
                .iter()
                .filter(|m| !mine.recent_models.contains(m))
                .cloned(),
        );
        recent.truncate(MAX_RECENT);
        disk.recent_models = recent;
        let new_prompts = mine
            .history
            .iter()
            .skip(common_prefix(&base.history, &mine.history));
        for p in new_prompts {
            disk.remember_prompt(p);
        }
        for url in mine.endpoints.iter().rev() {
            if let Some(models) = mine.last_models.get(url)
                && base.last_models.get(url) != Some(models)
            {
                disk.remember_endpoint(url, models);
            }
        }
        disk.favourites.truncate(MAX_FAVOURITES);
        disk.cap_endpoints();
        self
    }

    fn remember_endpoint(&mut self, url: &str, models: &[String]) {
        self.last_models.insert(url.to_string(), models.to_vec());
        self.endpoints.retain(|e| e != url);
        self.endpoints.insert(0, url.to_string());
        self.cap_endpoints();
    }

    /// Keeps the most recently used endpoints; files from before the order was kept (or
    /// with one URL per demo run) lose the ones never used since, the old demo runs' loopback
    /// ports first.
    fn cap_endpoints(&mut self) {
        let mut unordered: Vec<String> = self
            .last_models
            .keys()
            .filter(|k| !self.endpoints.contains(k))
            .cloned()
            .collect();
        let demo_port = |k: &String| k.starts_with("http://127.0.0.1:") && k.ends_with("/api/v1");
        unordered.sort_by_key(demo_port);
        self.endpoints.extend(unordered);
        self.endpoints.truncate(MAX_ENDPOINTS);
        let keep = &self.endpoints;
        self.last_models.retain(|k, _| keep.contains(k));
    }

    pub fn is_favourite(&self, id: &str) -> bool {
        self.favourites.iter().any(|f| f == id)
    }

    pub fn toggle_favourite(&mut self, id: &str) -> bool {
        if let Some(i) = self.favourites.iter().position(|f| f == id) {
            self.favourites.remove(i);
            false
        } else if self.favourites.len() < MAX_FAVOURITES {
            self.favourites.push(id.to_string());
            true
        } else {
            false
        }
    }

    pub fn used_models(&mut self, base_url: &str, models: &[String]) {
        for m in models.iter().rev() {
            self.recent_models.retain(|r| r != m);
            self.recent_models.insert(0, m.clone());
        }
        self.recent_models.truncate(MAX_RECENT);
        self.remember_endpoint(base_url, models);
    }

    pub fn remember_prompt(&mut self, prompt: &str) {
        if self.history.last().map(String::as_str) != Some(prompt) {
            self.history.push(prompt.to_string());
        }
        if self.history.len() > MAX_HISTORY {
            let extra = self.history.len() - MAX_HISTORY;
            self.history.drain(..extra);
        }
    }
}

/// How many leading entries two histories share (a capped history drops from the front).
fn common_prefix(base: &[String], mine: &[String]) -> usize {
    if mine.starts_with(base) {
        return base.len();
    }
    // Mine was cut at the front since: find where the base's end sits in it.
    let Some(last) = base.last() else { return 0 };
    mine.iter().rposition(|p| p == last).map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_limits() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Prefs::default();
        assert!(p.toggle_favourite("a/b"));
        p.used_models("http://x", &["m1".into(), "m2".into()]);
        p.used_models("http://x", &["m2".into(), "m3".into()]);
        assert_eq!(p.recent_models, vec!["m2", "m3", "m1"]);
        for i in 0..250 {
            p.remember_prompt(&format!("p{i}"));
        }
        p.remember_prompt("p249");
        assert_eq!(p.history.len(), 200);
        assert_eq!(p.history.last().unwrap(), "p249");
        p.save(dir.path()).unwrap();
        assert_eq!(Prefs::load(dir.path()), p);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(Prefs::path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(Prefs::path(dir.path()), "not json").unwrap();
        assert_eq!(Prefs::load(dir.path()), Prefs::default());
    }

    #[test]
    fn endpoints_are_capped_most_recent_first() {
        let mut p = Prefs::default();
        for i in 0..30 {
            p.used_models(
                &format!("http://127.0.0.1:{}/api/v1", 40000 + i),
                &["m".into()],
            );
        }
        p.used_models(DEMO_KEY, &["sim/a".into()]);
        assert_eq!(p.last_models.len(), MAX_ENDPOINTS);
        assert_eq!(p.endpoints[0], DEMO_KEY);
        assert!(p.last_models.contains_key("http://127.0.0.1:40029/api/v1"));
        assert!(!p.last_models.contains_key("http://127.0.0.1:40000/api/v1"));
        // An old file with many endpoints and no order is cut down when merged: the demo's
        // old ports go first, a real endpoint stays.
        let mut old = Prefs::default();
        for i in 0..50 {
            old.last_models.insert(
                format!("http://127.0.0.1:{}/api/v1", 40000 + i),
                vec!["m".into()],
            );
        }
        old.last_models
            .insert("https://openrouter.ai/api/v1".into(), vec!["real".into()]);
        let mut fresh = Prefs::default();
        fresh.used_models(DEMO_KEY, &["sim/a".into()]);
        let merged = old.merge(&Prefs::default(), &fresh);
        assert_eq!(merged.last_models.len(), MAX_ENDPOINTS);
        assert_eq!(merged.endpoints[0], DEMO_KEY);
        assert_eq!(
            merged.last_models["https://openrouter.ai/api/v1"],
            vec!["real"]
        );
    }

    #[test]
    fn two_instances_keep_each_others_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut start = Prefs::default();
        start.toggle_favourite("old/fav");
        start.remember_prompt("first");
        start.save(dir.path()).unwrap();
        let base = Prefs::load(dir.path());
        let (mut a, mut b) = (base.clone(), base.clone());
        a.toggle_favourite("a/fav");
        a.toggle_favourite("old/fav");
        a.remember_prompt("from a");
        a.used_models("http://a", &["a/m".into()]);
        b.toggle_favourite("b/fav");
        b.remember_prompt("from b");
        b.used_models("http://b", &["b/m".into()]);
        a.save_merged(&base, dir.path()).unwrap();
        b.save_merged(&base, dir.path()).unwrap();
        let disk = Prefs::load(dir.path());
        assert_eq!(
            disk.favourites,
            vec!["a/fav", "b/fav"],
            "a's removal holds too"
        );
        assert_eq!(disk.history, vec!["first", "from a", "from b"]);
        assert_eq!(disk.recent_models, vec!["b/m", "a/m"]);
        assert_eq!(disk.last_models.len(), 2);
        // A later save from a carries only a's new changes.
        let a_base = a.clone();
        a.remember_prompt("again from a");
        a.save_merged(&a_base, dir.path()).unwrap();
        let disk = Prefs::load(dir.path());
        assert_eq!(disk.favourites, vec!["a/fav", "b/fav"]);
        assert_eq!(disk.history.last().unwrap(), "again from a");
        assert!(disk.history.contains(&"from b".to_string()));
    }
}
