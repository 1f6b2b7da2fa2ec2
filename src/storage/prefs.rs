//! Preferences remembered between runs: favourite and recent models, sent prompts, and the
//! models last used with each endpoint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const MAX_RECENT: usize = 20;
const MAX_HISTORY: usize = 200;

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

    pub fn is_favourite(&self, id: &str) -> bool {
        self.favourites.iter().any(|f| f == id)
    }

    pub fn toggle_favourite(&mut self, id: &str) -> bool {
        if let Some(i) = self.favourites.iter().position(|f| f == id) {
            self.favourites.remove(i);
            false
        } else {
            self.favourites.push(id.to_string());
            true
        }
    }

    pub fn used_models(&mut self, base_url: &str, models: &[String]) {
        for m in models.iter().rev() {
            self.recent_models.retain(|r| r != m);
            self.recent_models.insert(0, m.clone());
        }
        self.recent_models.truncate(MAX_RECENT);
        self.last_models
            .insert(base_url.to_string(), models.to_vec());
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
}
