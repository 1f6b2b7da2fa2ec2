//! `switchboard run --prompts`: the real binary against the built-in simulator. Input formats
//! and their errors, CSV results, a kill -9 in the middle then `--resume`, a 429 storm on one
//! of two providers, and the budget. No network, no key, no sleeps: waits are on conditions.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use switchboard::simulator::{Fault, FaultKind, SimConfig, Simulator};

fn sim(rt: &tokio::runtime::Runtime, config: SimConfig) -> Simulator {
    rt.block_on(sim_with(config))
}

fn fast(rt: &tokio::runtime::Runtime) -> Simulator {
    sim(
        rt,
        SimConfig {
            delay_scale: 0.0,
            ..SimConfig::default()
        },
    )
}

fn batch(dirs: &Path, sim: &Simulator, args: &[&str]) -> Command {
    let mut cmd = switchboard_in(dirs);
    cmd.env_remove("OPENROUTER_API_KEY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .args(["run", "--base-url", &sim.base_url()])
        .args(args);
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Every (prompt id, model) of a results file with how often it appears and its statuses.
fn cells(lines: &[Value]) -> HashMap<(String, String), Vec<String>> {
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

fn session(dirs: &Path, id: &str) -> switchboard::storage::session::Session {
    let dir = switchboard::storage::session::sessions_dir(&dirs.join("data/switchboard"));
    switchboard::storage::session::load(&switchboard::storage::session::path_of(&dir, id))
        .expect("the batch's session loads")
}

fn session_id(out: &Output) -> String {
    let err = stderr(out);
    err.lines()
        .find_map(|l| {
            l.strip_prefix("session ")
                .map(|r| r.split([' ', ':']).next().unwrap().to_string())
        })
        .unwrap_or_else(|| panic!("no session id in: {err}"))
}

#[test]
fn three_input_formats_and_their_bad_lines() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = fast(&rt);
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let txt = write(d, "p.txt", "first prompt\n\nsecond prompt\n");
    let jsonl = write(
        d,
        "p.jsonl",
        "{\"prompt\": \"alpha\", \"id\": \"a\", \"system\": \"Be brief.\"}\n{\"prompt\": \"beta\"}\n",
    );
    let csv = write(
        d,
        "p.csv",
        "id,prompt\nx,\"one, with a comma\"\ny,\"two\nlines\"\n",
    );
    for (file, ids) in [(&txt, ["1", "3"]), (&jsonl, ["a", "2"]), (&csv, ["x", "y"])] {
        let out_path = d.join(format!(
            "{}.out.jsonl",
            file.file_name().unwrap().to_str().unwrap()
        ));
        let out = run(batch(d, &sim, &["-m", "sim/swift-mini", "--prompts"])
            .arg(file)
            .arg("-o")
            .arg(&out_path));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let got = lines(&out_path);
        let mut seen: Vec<&str> = got
            .iter()
            .map(|l| l["prompt_id"].as_str().unwrap())
            .collect();
        seen.sort();
        let mut ids = ids;
        ids.sort();
        assert_eq!(seen, ids, "{}", file.display());
        assert!(got.iter().all(|l| l["status"] == "complete"));
        let s = session(d, &session_id(&out));
        assert_eq!(s.rounds.len(), 2);
        if file == &jsonl {
            let a = s
                .rounds
                .iter()
                .find(|r| r.prompt_id.as_deref() == Some("a"))
                .unwrap();
            assert_eq!(a.system.as_deref(), Some("Be brief."));
        }
    }

    for (name, text, line) in [
        ("bad.jsonl", "{\"prompt\": \"ok\"}\n{\"prompt\": oops}\n", 2),
        (
            "bad.csv",
            "prompt,id\nfine,1\n\"unclosed,2\nnext,3,extra\n",
            3,
        ),
        (
            "dup.jsonl",
            "{\"prompt\":\"a\",\"id\":\"k\"}\n{\"prompt\":\"b\",\"id\":\"k\"}\n",
            2,
        ),
        ("empty.txt", "first\n\n", 0),
    ] {
        let path = write(d, name, text);
        let out = run(batch(d, &sim, &["-m", "sim/swift-mini", "--prompts"]).arg(&path));
        if line == 0 {
            assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{}: line {line}", path.display())),
            "{name}: {err}"
        );
    }
    assert!(
        sim.seen()
            .iter()
            .filter(|r| r.path == "/chat/completions")
            .count()
            == 7,
        "bad files send nothing"
    );
}

#[test]
fn csv_results_have_one_row_per_cell_and_exact_costs() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = fast(&rt);
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let prompts = write(d, "p.txt", "one\ntwo\nthree\n");
    let out_path = d.join("r.csv");
    let out = run(batch(
        d,
        &sim,
        &[
            "-m",
            "sim/swift-mini",
            "-m",
            "sim/deep-thinker",
            "--format",
            "csv",
        ],
    )
    .arg("--prompts")
    .arg(&prompts)
    .arg("-o")
    .arg(&out_path));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(&out_path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, switchboard::headless::batch::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut total = switchboard::cost::Usd::ZERO;
    for r in &rows {
        assert_eq!(&r[col("status")], "complete");
        assert_eq!(&r[col("cost_source")], "reported");
        assert!(r[col("text")].len() > 50);
        total += switchboard::cost::Usd::parse(&r[col("cost_usd")]).unwrap();
    }
    // The session's rounds are in prompt order, whatever order the answers came in.
    let s = session(d, &session_id(&out));
    let ids: Vec<&str> = s
        .rounds
        .iter()
        .filter_map(|r| r.prompt_id.as_deref())
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    // The summary's total is the exact sum of the rows'.
    assert!(
        stderr(&out).contains(&format!("total: ${}", total.to_decimal())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn kill_9_in_the_middle_then_resume_runs_every_cell_exactly_once() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Slow enough that the batch is still running when some lines are in.
    let sim = sim(
        &rt,
        SimConfig {
            delay_scale: 0.05,
            ..SimConfig::default()
        },
    );
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let text: String = (1..=30)
        .map(|i| format!("Question {i}: explain hashing\n"))
        .collect();
    let prompts = write(d, "p.txt", &text);
    let out_path = d.join("r.jsonl");
    let args = [
        "-m",
        "sim/swift-mini",
        "-m",
        "sim/free-spirit:free",
        "--concurrency",
        "2",
    ];
    let mut child = batch(d, &sim, &args)
        .arg("--prompts")
        .arg(&prompts)
        .arg("-o")
        .arg(&out_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let n = std::fs::read_to_string(&out_path).map_or(0, |t| t.lines().count());
        if n >= 8 {
            break;
        }
        assert!(Instant::now() < deadline, "no results came");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch ended before the kill"
        );
        std::thread::yield_now();
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = lines_lenient(&out_path);
    assert!(before < 60, "killed in the middle: {before} lines");

    let out = run(batch(d, &sim, &args)
        .arg("--prompts")
        .arg(&prompts)
        .arg("-o")
        .arg(&out_path)
        .arg("--resume"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = lines(&out_path);
    let cells = cells(&got);
    assert_eq!(got.len(), 60, "every cell exactly once");
    assert_eq!(cells.len(), 60);
    assert!(cells.values().all(|s| s == &["complete"]), "{cells:?}");
    // The same session, continued: one round per prompt, every model's answer complete.
    let ids: std::collections::HashSet<&str> =
        got.iter().map(|l| l["session"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 1);
    let s = session(d, ids.iter().next().unwrap());
    assert_eq!(s.rounds.len(), 30, "one round per prompt");
    let mut pids: Vec<&str> = s
        .rounds
        .iter()
        .filter_map(|r| r.prompt_id.as_deref())
        .collect();
    pids.sort_by_key(|p| p.parse::<u32>().unwrap());
    pids.dedup();
    assert_eq!(pids.len(), 30);
    for r in &s.rounds {
        assert_eq!(r.answers.len(), 2, "round {}", r.id);
        assert!(
            r.answers
                .iter()
                .all(|a| a.status == switchboard::chat::AnswerStatus::Complete)
        );
        assert!(r.answers.iter().all(|a| !a.text.is_empty()));
    }
    // Nothing asked twice: the simulator saw each cell's request once.
    let asked = sim
        .seen()
        .iter()
        .filter(|r| r.path == "/chat/completions")
        .count();
    assert!(
        asked <= 60 + 4,
        "at most the cells in flight at the kill again: {asked}"
    );
}

/// Lines in a file that may end torn.
fn lines_lenient(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count()
}

#[test]
fn a_429_storm_on_one_provider_slows_only_its_lane() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let healthy = fast(&rt);
    let storm = sim(
        &rt,
        SimConfig {
            delay_scale: 0.0,
            faults: vec![(
                "sim/swift-mini".into(),
                Fault {
                    kind: FaultKind::Status(429),
                    after: 0,
                    times: Some(1),
                    retry_after: Some(0.1),
                },
            )],
            ..SimConfig::default()
        },
    );
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let config = d.join("config/switchboard");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[providers.good]\nkind = \"openai-compatible\"\nbase_url = \"{}\"\n\n[providers.busy]\nkind = \"openai-compatible\"\nbase_url = \"{}\"\n",
            healthy.base_url(),
            storm.base_url()
        ),
    )
    .unwrap();
    let text: String = (1..=12).map(|i| format!("Prompt {i}\n")).collect();
    let prompts = write(d, "p.txt", &text);
    let out_path = d.join("r.jsonl");
    let mut cmd = switchboard_in(d);
    cmd.env_remove("OPENROUTER_API_KEY")
        .stdin(Stdio::null())
        .args([
            "run",
            "-m",
            "good:sim/swift-mini",
            "-m",
            "busy:sim/swift-mini",
            "--concurrency",
            "2",
        ]);
    let out = run(cmd.arg("--prompts").arg(&prompts).arg("-o").arg(&out_path));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = lines(&out_path);
    let c = cells(&got);
    assert_eq!(got.len(), 24);
    assert!(
        c.values().all(|s| s == &["complete"]),
        "retried, not failed: {c:?}"
    );
    // The healthy lane never waited: all its answers were in before the throttled lane's
    // last one, and it was asked exactly once per prompt.
    let last_good = got
        .iter()
        .rposition(|l| l["model"] == "good:sim/swift-mini")
        .unwrap();
    let last_busy = got
        .iter()
        .rposition(|l| l["model"] == "busy:sim/swift-mini")
        .unwrap();
    assert!(last_good < last_busy, "{got:?}");
    let good_first_12: usize = got[..12]
        .iter()
        .filter(|l| l["model"] == "good:sim/swift-mini")
        .count();
    assert!(
        good_first_12 >= 10,
        "the healthy lane ran ahead: {good_first_12} of the first 12"
    );
    let asked = |s: &Simulator| {
        s.seen()
            .iter()
            .filter(|r| r.path == "/chat/completions")
            .count()
    };
    assert_eq!(asked(&healthy), 12);
    assert_eq!(asked(&storm), 24, "each cell's 429 tried again once");
    assert!(
        stderr(&out).contains("busy:sim/swift-mini    12       0"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_budget_refuses_without_a_terminal_and_stops_with_yes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = fast(&rt);
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let text: String = (1..=40).map(|i| format!("Prompt {i}\n")).collect();
    let prompts = write(d, "p.txt", &text);
    let out_path = d.join("r.jsonl");
    let args = [
        "-m",
        "sim/sage-large",
        "--concurrency",
        "1",
        "--max-cost",
        "0.01",
    ];
    let out = run(batch(d, &sim, &args)
        .arg("--prompts")
        .arg(&prompts)
        .arg("-o")
        .arg(&out_path));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("estimated cost ~$"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was sent"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sim.seen()
            .iter()
            .filter(|r| r.path == "/chat/completions")
            .count(),
        0
    );
    assert!(std::fs::metadata(&out_path).map_or(true, |m| m.len() == 0));

    let out = run(batch(d, &sim, &args)
        .arg("--yes")
        .arg("--prompts")
        .arg(&prompts)
        .arg("-o")
        .arg(&out_path));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("budget reached"), "{}", stderr(&out));
    let costs: Vec<switchboard::cost::Usd> = std::fs::read_to_string(&out_path)
        .unwrap()
        .lines()
        .map(exact_cost)
        .collect();
    assert!(
        !costs.is_empty() && costs.len() < 40,
        "{} answers",
        costs.len()
    );
    let max = switchboard::cost::Usd::parse("0.01").unwrap();
    let mut spent = switchboard::cost::Usd::ZERO;
    let crossed = costs
        .iter()
        .position(|c| {
            spent += *c;
            spent >= max
        })
        .expect("the budget was reached");
    // Once spent reaches the budget no cell starts: with one request at a time, at most the
    // one already sent when the answer that crossed it came back.
    assert!(
        costs.len() - 1 - crossed <= 1,
        "{} answers after the budget",
        costs.len() - 1 - crossed
    );
}

/// A result line's `cost_usd`, digit for digit (never through a float).
fn exact_cost(line: &str) -> switchboard::cost::Usd {
    let raw: HashMap<String, Box<serde_json::value::RawValue>> =
        serde_json::from_str(line).unwrap();
    switchboard::cost::parse_json_amount(raw["cost_usd"].get()).unwrap()
}

#[test]
fn a_batch_session_opens_in_the_playground_and_each_prompt_takes_a_vote() {
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let prompts = write(
        d,
        "p.txt",
        "first question\nsecond question\nthird question\n",
    );
    let mut cmd = switchboard_in(d);
    cmd.env_remove("OPENROUTER_API_KEY")
        .stdin(Stdio::null())
        .args([
            "--demo",
            "--sim-delay-scale",
            "0",
            "run",
            "-m",
            "sim/swift-mini",
            "-m",
        ])
        .args(["sim/deep-thinker", "-o"])
        .arg(d.join("r.jsonl"))
        .arg("--prompts")
        .arg(&prompts);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let id = session_id(&out);

    let mut app = common::pty::App::start_in(d, &["--demo", "--session", &id], 80, 24);
    app.wait_for("the last prompt's answers", Duration::from_secs(20), |s| {
        s.contains("sim/swift-mini") && s.contains("sim/deep-thinker")
    });
    app.send(b"\t"); // the panes take the keys
    app.send(b"[");
    app.wait_for("the second prompt", Duration::from_secs(10), |s| {
        s.contains("prompt 2/3")
    });
    app.send(b"v");
    app.wait_for("the vote", Duration::from_secs(10), |s| {
        s.contains("You picked")
    });
    app.send(b"[");
    app.wait_for("the first prompt", Duration::from_secs(10), |s| {
        s.contains("prompt 1/3")
    });
    app.send(b"=");
    app.wait_for("the tie", Duration::from_secs(10), |s| {
        s.contains("You called")
    });
    app.send(b"\x11"); // Ctrl-Q
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
    let s = session(d, &id);
    let votes: Vec<Option<switchboard::storage::votes::Verdict>> = s
        .rounds
        .iter()
        .map(|r| r.vote.as_ref().map(|v| v.verdict))
        .collect();
    use switchboard::storage::votes::Verdict;
    assert_eq!(votes, [Some(Verdict::Tie), Some(Verdict::Best), None]);
    assert!(
        s.rounds
            .iter()
            .all(|r| r.answers.len() == 2 && r.answers.iter().all(|a| !a.archived))
    );
    assert!(
        s.batch.is_some(),
        "still a batch session after the playground saved it"
    );
}
