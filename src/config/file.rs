//! `config.toml`: parsed into a raw struct (unknown keys rejected), then validated. Errors
//! name the file, the line and the key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;

use crate::chat::Params;
use crate::cost::Usd;
use crate::provider::routing::Routing;

use super::OnOverflow;
use super::providers::{self, Provider, RawProvider, RawRouting, Trust};
use crate::state::keymap::{Action, KeySpec, Keymap};

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    system: Option<String>,
    temperature: Option<f32>,
    max_tokens: Option<u32>,
    reasoning_effort: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJudge {
    model: String,
    prompt: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    models: Option<Spanned<Vec<String>>>,
    max_cost: Option<Spanned<Usd>>,
    mouse: Option<bool>,
    theme: Option<String>,
    default_provider: Option<Spanned<String>>,
    defaults: Option<Spanned<RawDefaults>>,
    blind: Option<bool>,
    colors: Option<Spanned<String>>,
    judge: Option<Spanned<RawJudge>>,
    on_context_overflow: Option<Spanned<String>>,
    #[serde(default)]
    keys: BTreeMap<String, Spanned<OneOrMany>>,
    #[serde(default)]
    providers: BTreeMap<String, Spanned<RawProvider>>,
    /// Routing for particular models, by model id.
    #[serde(default)]
    routing: BTreeMap<String, Spanned<RawRouting>>,
}

/// The validated settings of the config file.
#[derive(Clone, Debug, Default)]
pub struct FileConfig {
    pub path: Option<PathBuf>,
    pub models: Vec<String>,
    pub max_cost: Option<Usd>,
    pub mouse: Option<bool>,
    pub theme: Option<String>,
    pub keymap: Keymap,
    /// Configured providers, keys resolved.
    pub providers: Vec<Provider>,
    pub default_provider: Option<String>,
    pub model_routing: BTreeMap<String, Routing>,
    pub system: Option<String>,
    pub params: Params,
    /// Blind rounds from the start.
    pub blind: bool,
    /// The colour depth, when not `auto`.
    pub colors: Option<crate::colors::Depth>,
    pub judge: Option<crate::judge::JudgeConfig>,
    /// What a send does with a pane over its context.
    pub on_overflow: OnOverflow,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

pub fn default_path() -> PathBuf {
    crate::paths::config_dir().join("config.toml")
}

/// How far the file can be trusted: it must be the user's and writable by nobody else to
/// run a key command, and also readable by nobody else to hold keys.
pub fn trust_of(path: &Path) -> Trust {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(m) = std::fs::metadata(path) else {
            return Trust::Open;
        };
        // SAFETY: getuid has no preconditions and cannot fail.
        let me = unsafe { libc::getuid() };
        let mode = m.mode();
        if m.uid() != me || mode & 0o022 != 0 {
            Trust::Open
        } else if mode & 0o044 != 0 {
            Trust::Safe
        } else {
            Trust::Private
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Trust::Private
    }
}

/// Reads the config file; a missing file means defaults.
pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => {
            return Err(ConfigError {
                path: path.into(),
                line: None,
                key: None,
                message: format!("cannot read: {e}"),
            });
        }
    };
    parse(&text, path, trust_of(path))
}

/// Parses and validates the file's text, as far as `trust` allows keys and commands in it.
pub fn parse(text: &str, path: &Path, trust: impl Into<Trust>) -> Result<FileConfig, ConfigError> {
    let trust = trust.into();
    let err = |offset: Option<usize>, key: Option<&str>, message: String| ConfigError {
        path: path.into(),
        line: offset.map(|o| line_of(text, o)),
        key: key.map(str::to_string),
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        err(e.span().map(|s| s.start), None, message)
    })?;
    let mut keymap = Keymap::default();
    for (name, value) in &raw.keys {
        let at = Some(value.span().start);
        let key_name = format!("keys.{name}");
        let action = Action::deserialize(name.as_str().into_deserializer()).map_err(
            |_: serde::de::value::Error| {
                err(
                    at,
                    Some(&key_name),
                    format!("unknown action {name:?}; the help overlay (F1) lists them"),
                )
            },
        )?;
        let texts = match value.get_ref() {
            OneOrMany::One(k) => vec![k.clone()],
            OneOrMany::Many(ks) => ks.clone(),
        };
        let mut specs = Vec::new();
        for t in &texts {
            specs.push(KeySpec::parse(t).map_err(|m| err(at, Some(&key_name), m))?);
        }
        keymap
            .rebind(action, &specs)
            .map_err(|m| err(at, Some(&key_name), m))?;
    }
    let max_cost = match raw.max_cost {
        Some(v) if v.get_ref().is_negative() || v.get_ref().is_zero() => {
            return Err(err(
                Some(v.span().start),
                Some("max_cost"),
                "must be a positive number of dollars".into(),
            ));
        }
        Some(v) => Some(*v.get_ref()),
        None => None,
    };
    let mut built = Vec::new();
    for (name, p) in &raw.providers {
        let at = Some(p.span().start);
        if name.is_empty() || name.contains([':', '/', ' ']) {
            return Err(err(
                at,
                Some(&format!("providers.{name}")),
                "a provider name may not contain ':', '/' or spaces".into(),
            ));
        }
        built.push(
            providers::build(name, p.get_ref(), trust)
                .map_err(|m| err(at, Some(&format!("providers.{name}")), m))?,
        );
    }
    let default_provider = match raw.default_provider {
        Some(d)
            if d.get_ref() != providers::OPENROUTER && !raw.providers.contains_key(d.get_ref()) =>
        {
            return Err(err(
                Some(d.span().start),
                Some("default_provider"),
                format!("no provider named {:?}", d.get_ref()),
            ));
        }
        Some(d) => Some(d.into_inner()),
        None => None,
    };
    let mut model_routing = BTreeMap::new();
    for (model, r) in &raw.routing {
        let routing = r
            .get_ref()
            .check()
            .map_err(|m| err(Some(r.span().start), Some(&format!("routing.{model}")), m))?;
        model_routing.insert(model.clone(), routing);
    }
    let (system, params) = match raw.defaults {
        Some(d) => {
            let at = Some(d.span().start);
            let d = d.into_inner();
            if let Some(t) = d.temperature
                && !(0.0..=2.0).contains(&t)
            {
                return Err(err(
                    at,
                    Some("defaults.temperature"),
                    format!("must be between 0 and 2, not {t}"),
                ));
            }
            if d.max_tokens == Some(0) {
                return Err(err(
                    at,
                    Some("defaults.max_tokens"),
                    "must be at least 1".into(),
                ));
            }
            if let Some(e) = &d.reasoning_effort
                && !matches!(e.as_str(), "minimal" | "low" | "medium" | "high")
            {
                return Err(err(
                    at,
                    Some("defaults.reasoning_effort"),
                    format!("must be minimal, low, medium or high, not {e:?}"),
                ));
            }
            (
                d.system,
                Params {
                    temperature: d.temperature,
                    max_tokens: d.max_tokens,
                    reasoning_effort: d.reasoning_effort,
                },
            )
        }
        None => (None, Params::default()),
    };
    Ok(FileConfig {
        path: Some(path.into()),
        models: match raw.models {
            Some(m) => {
                let at = Some(m.span().start);
                crate::chat::check_pane_count(m.get_ref().len())
                    .map_err(|e| err(at, Some("models"), e))?;
                m.into_inner()
            }
            None => Vec::new(),
        },
        max_cost,
        mouse: raw.mouse,
        theme: raw.theme,
        keymap,
        providers: built,
        default_provider,
        model_routing,
        system,
        params,
        blind: raw.blind.unwrap_or(false),
        colors: match raw.colors {
            Some(c) => crate::colors::Depth::parse(c.get_ref())
                .map_err(|m| err(Some(c.span().start), Some("colors"), m))?,
            None => None,
        },
        judge: match raw.judge {
            Some(j) => {
                let at = Some(j.span().start);
                let j = j.into_inner();
                Some(
                    crate::judge::JudgeConfig::new(j.model, j.prompt)
                        .map_err(|m| err(at, Some("judge"), m))?,
                )
            }
            None => None,
        },
        on_overflow: match raw.on_context_overflow {
            Some(o) => OnOverflow::parse(o.get_ref())
                .map_err(|m| err(Some(o.span().start), Some("on_context_overflow"), m))?,
            None => OnOverflow::default(),
        },
    })
}

#[cfg(test)]
mod tests;
