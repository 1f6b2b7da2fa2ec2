//! `switchboard run --prompts` interrupted and resumed: a kill -9 in the middle then
//! `--resume`, a 429 storm on one of two providers, and the saved session opened in the
//! playground. The real binary against the built-in simulator; waits are on conditions.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::batch::*;
use common::switchboard_in;
use switchboard::simulator::{Fault, FaultKind, SimConfig, Simulator};

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
