//! Where switchboard keeps its files: XDG cache, data and config directories.

use std::path::PathBuf;

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "switchboard")
}

fn fallback(kind: &str) -> PathBuf {
    std::env::temp_dir().join(format!("switchboard-{kind}"))
}

/// `$XDG_CACHE_HOME/switchboard`: the model catalog and large clipboard payloads.
pub fn cache_dir() -> PathBuf {
    dirs().map_or_else(|| fallback("cache"), |d| d.cache_dir().to_path_buf())
}

/// `$XDG_DATA_HOME/switchboard`: sessions.
pub fn data_dir() -> PathBuf {
    dirs().map_or_else(|| fallback("data"), |d| d.data_dir().to_path_buf())
}

/// `$XDG_CONFIG_HOME/switchboard`: config.toml and user themes.
pub fn config_dir() -> PathBuf {
    dirs().map_or_else(|| fallback("config"), |d| d.config_dir().to_path_buf())
}
