//! Helpers for the batch tests (`run --prompts` with the real binary and the simulator).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use switchboard::simulator::{SimConfig, Simulator};

use super::{sim_with, switchboard_in};

pub fn sim(rt: &tokio::runtime::Runtime, config: SimConfig) -> Simulator {
    rt.block_on(sim_with(config))
}

pub fn fast(rt: &tokio::runtime::Runtime) -> Simulator {
    sim(
        rt,
        SimConfig {
            delay_scale: 0.0,
            ..SimConfig::default()
        },
    )
}

pub fn batch(dirs: &Path, sim: &Simulator, args: &[&str]) -> Command {
    let mut cmd = switchboard_in(dirs);
    cmd.env_remove("OPENROUTER_API_KEY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .args(["run", "--base-url", &sim.base_url()])
        .args(args);
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Every (prompt id, model) of a results file with how often it appears and its statuses.
pub fn cells(lines: &[Value]) -> HashMap<(String, String), Vec<String>> {
    let mut m: HashMap<(String, String), Vec<String>> = HashMap::new();
    for l in lines {
        m.entry((
            l["prompt_id"].as_str().unwrap().to_string(),
            l["model"].as_str().unwrap().to_string(),
        ))
        .or_default()
        .push(l["status"].as_str().unwrap().to_string());
    }
    m
}

pub fn session(dirs: &Path, id: &str) -> switchboard::storage::session::Session {
    let dir = switchboard::storage::session::sessions_dir(&dirs.join("data/switchboard"));
    switchboard::storage::session::load(&switchboard::storage::session::path_of(&dir, id))
        .expect("the batch's session loads")
}

pub fn session_id(out: &Output) -> String {
    let err = stderr(out);
    err.lines()
        .find_map(|l| {
            l.strip_prefix("session ")
                .map(|r| r.split([' ', ':']).next().unwrap().to_string())
        })
        .unwrap_or_else(|| panic!("no session id in: {err}"))
}

/// Lines in a file that may end torn.
pub fn lines_lenient(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count()
}

/// A result line's `cost_usd`, digit for digit (never through a float).
pub fn exact_cost(line: &str) -> switchboard::cost::Usd {
    let raw: HashMap<String, Box<serde_json::value::RawValue>> =
        serde_json::from_str(line).unwrap();
    switchboard::cost::parse_json_amount(raw["cost_usd"].get()).unwrap()
}
