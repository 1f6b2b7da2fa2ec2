//! The real `switchboard` binary: `run` (text, JSON, stdin, exit codes, Ctrl-C), `models`
//! (listing, filter, offline cache) and usage errors.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::*;
use serde_json::Value;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    let state = std::env::temp_dir().join("switchboard-test-state");
    cmd.env("XDG_STATE_HOME", state)
        .env_remove("OPENROUTER_API_KEY")
        .env_remove("SWITCHBOARD_API_KEY")
        .env("NO_COLOR", "1")
        // A prompt given as an argument is followed by whatever is piped in: the tests' own
        // standard input (maybe an open pipe) must not be read.
        .stdin(Stdio::null());
    cmd
}

async fn output(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("binary runs"))
        .await
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_json_with_three_models() {
    let sim = fast_sim().await;
    let cache = tempfile::tempdir().unwrap();
    let mut cmd = bin();
    cmd.env("XDG_CACHE_HOME", cache.path()).args([
        "run",
        "--base-url",
        &sim.base_url(),
        "-m",
        "sim/swift-mini",
        "-m",
        "sim/deep-thinker",
        "-m",
        "sim/free-spirit:free",
        "--json",
        "Compare two sorting algorithms",
    ]);
    let out = output(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let doc: Value =
        serde_json::from_str(&stdout(&out)).expect("stdout is exactly one JSON document");
    assert_eq!(doc["prompt"], "Compare two sorting algorithms");
    let answers = doc["answers"].as_array().unwrap();
    let models: Vec<&str> = answers
        .iter()
        .map(|a| a["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        models,
        ["sim/swift-mini", "sim/deep-thinker", "sim/free-spirit:free"],
        "in -m order"
    );
    let mut total = switchboard::cost::Usd::ZERO;
    for a in answers {
        assert_eq!(a["status"], "complete");
        assert_eq!(a["cost_source"], "reported");
        assert!(a["text"].as_str().unwrap().len() > 100);
        assert!(a["error"].is_null());
        for key in [
            "prompt_tokens",
            "completion_tokens",
            "reasoning_tokens",
            "cached_tokens",
        ] {
            assert!(a["usage"][key].is_u64(), "{key}");
        }
        assert!(a["ttft_ms"].is_u64() && a["duration_ms"].is_u64());
        assert!(a["tokens_per_s"].is_number() || a["tokens_per_s"].is_null());
        assert!(a["provider"].is_string() && a["served_model"].is_string());
        total += switchboard::cost::Usd::parse(&a["cost_usd"].to_string()).unwrap();
    }
    assert!(!answers[1]["reasoning"].as_str().unwrap().is_empty());
    assert_eq!(answers[2]["cost_usd"], 0);
    assert_eq!(
        switchboard::cost::Usd::parse(&doc["total_cost_usd"].to_string()).unwrap(),
        total
    );
    assert_eq!(
        total,
        sim.spent(),
        "the total is exactly what the simulator billed"
    );
    assert_eq!(
        doc["total_cost_estimated"], false,
        "every figure was reported"
    );
    assert_eq!(doc["unpriced_answers"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_text_with_one_failing_model_exits_1() {
    let sim = fast_sim().await;
    let mut cmd = bin();
    cmd.args([
        "run",
        "--base-url",
        &sim.base_url(),
        "-m",
        "sim/swift-mini",
        "-m",
        "sim/flaky",
        "hello",
    ]);
    let out = output(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("=== sim/swift-mini (SimCloud) ==="), "{text}");
    assert!(
        text.contains("=== sim/flaky (ShakyNet) [error] ==="),
        "{text}"
    );
    assert!(
        text.contains("[error] provider error 502 mid-stream"),
        "{text}"
    );
    // The summary table lists both, with status and cost.
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("MODEL"))
        .collect();
    assert!(table[0].contains("SERVED BY") && table[0].contains("COST"));
    assert!(
        table[1].starts_with("sim/swift-mini")
            && table[1].contains("complete")
            && table[1].contains('$')
    );
    assert!(table[2].starts_with("sim/flaky") && table[2].contains("error"));
    assert!(table[3].starts_with("total: $"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_model_streams_to_stdout_and_reads_stdin() {
    let sim = fast_sim().await;
    let base = sim.base_url();
    let out = tokio::task::spawn_blocking(move || {
        let mut child = bin()
            .args(["run", "--base-url", &base, "-m", "sim/swift-mini", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"prompt from stdin")
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("prompt from stdin"),
        "the simulator echoes the topic: {text}"
    );
    assert!(
        !text.contains("MODEL"),
        "stdout holds only the answer; the table goes to stderr"
    );
    assert!(stderr(&out).contains("MODEL"));
    let seen = sim.seen();
    let body = seen.iter().rev().find_map(|r| r.body.clone()).unwrap();
    assert_eq!(body["messages"][0]["content"], "prompt from stdin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn piped_stdin_follows_the_prompt_in_a_fence() {
    let sim = fast_sim().await;
    let base = sim.base_url();
    let piped = "fn main() {\n    println!(\"```\");\n}\n";
    let out = tokio::task::spawn_blocking(move || {
        let mut child = bin()
            .args([
                "run",
                "--base-url",
                &base,
                "-m",
                "sim/swift-mini",
                "review this",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(piped.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let seen = sim.seen();
    let body = seen.iter().rev().find_map(|r| r.body.clone()).unwrap();
    assert_eq!(
        body["messages"][0]["content"],
        "review this\n\n````stdin\nfn main() {\n    println!(\"```\");\n}\n````"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn piped_stdin_that_is_not_text_or_too_big_is_refused() {
    for (bytes, says) in [
        (vec![0xff, 0xfe, 0x00], "not UTF-8"),
        (vec![b'x'; 8 * 1024 * 1024 + 1], "over 8 MB"),
    ] {
        let out = tokio::task::spawn_blocking(move || {
            let mut child = bin()
                .args(["run", "--demo", "-m", "sim/swift-mini", "review this"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            // The app may stop reading once it has seen too much: a broken pipe is fine.
            let _ = stdin.write_all(&bytes);
            drop(stdin);
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn system_prompt_and_parameters_are_sent() {
    let sim = fast_sim().await;
    let mut cmd = bin();
    cmd.args([
        "run",
        "--base-url",
        &sim.base_url(),
        "-m",
        "sim/swift-mini",
        "--system",
        "be brief",
        "--temperature",
        "0.2",
        "--max-tokens",
        "5",
        "--json",
        "hi",
    ]);
    let out = output(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body = sim
        .seen()
        .iter()
        .rev()
        .find_map(|r| r.body.clone())
        .unwrap();
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][0]["content"], "be brief");
    assert_eq!(body["max_tokens"], 5);
    assert!((body["temperature"].as_f64().unwrap() - 0.2).abs() < 1e-6);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["answers"][0]["usage"]["completion_tokens"], 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_with_one_line() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["run", "-m", "a/b", "hi"], "OPENROUTER_API_KEY"),
        (vec!["run", "hi"], "--model"),
        (
            vec!["run", "--base-url", "ftp://x", "-m", "a", "hi"],
            "not an http(s) URL",
        ),
        (
            vec![
                "run",
                "--base-url",
                "http://127.0.0.1:9/v1",
                "-m",
                "a",
                "--temperature",
                "7",
                "hi",
            ],
            "--temperature",
        ),
        (
            vec![
                "run",
                "--base-url",
                "http://127.0.0.1:9/v1",
                "-m",
                "a",
                "  ",
            ],
            "empty",
        ),
        (vec!["--stall-timeout=0", "run", "-m", "a", "hi"], "stall"),
        (vec!["frobnicate", "--nope"], "unexpected argument"),
    ];
    for (args, needle) in cases {
        let mut cmd = bin();
        cmd.args(&args).stdin(Stdio::null());
        let out = output(cmd).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {err}"
        );
        assert!(!err.contains("panicked") && !err.contains("backtrace"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_cancels_and_prints_what_arrived() {
    let sim = fast_sim().await;
    let base = sim.base_url();
    let child = bin()
        .args([
            "run",
            "--base-url",
            &base,
            "-m",
            "sim/swift-mini",
            "-m",
            "sim/sage-large",
            "--json",
            "slow !rate=20 !tokens=400",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both answers have started (a few tokens each) before Ctrl-C.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while sim.pieces_sent() < 10 {
        assert!(std::time::Instant::now() < deadline, "no tokens streamed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("JSON still printed");
    for a in doc["answers"].as_array().unwrap() {
        assert_eq!(a["status"], "cancelled");
        assert!(!a["text"].as_str().unwrap().is_empty(), "partial text kept");
        assert_eq!(
            a["cost_source"], "estimated",
            "no usage arrived: the cost is an estimate"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_lists_filters_and_works_offline_from_cache() {
    let sim = fast_sim().await;
    let cache = tempfile::tempdir().unwrap();
    let base = sim.base_url();
    let mut cmd = bin();
    cmd.env("XDG_CACHE_HOME", cache.path())
        .args(["models", "--base-url", &base]);
    let out = output(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let header = text.lines().next().unwrap();
    for col in ["ID", "NAME", "$/M IN", "$/M OUT", "CONTEXT"] {
        assert!(header.contains(col), "{header}");
    }
    let sage = text
        .lines()
        .find(|l| l.starts_with("sim/sage-large"))
        .unwrap();
    assert!(
        sage.contains("$3.00") && sage.contains("$15.00") && sage.contains("200000"),
        "{sage}"
    );
    let free = text
        .lines()
        .find(|l| l.starts_with("sim/free-spirit:free"))
        .unwrap();
    assert!(free.contains("free"), "{free}");
    let auto = text.lines().find(|l| l.starts_with("sim/auto")).unwrap();
    assert!(auto.contains(" - "), "variable prices show as -: {auto}");

    let mut cmd = bin();
    cmd.env("XDG_CACHE_HOME", cache.path()).args([
        "models",
        "--base-url",
        &base,
        "thinker",
        "--json",
    ]);
    let out = output(cmd).await;
    let rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["id"], "sim/deep-thinker");
    assert_eq!(rows[0]["input_per_million"], 1.1);
    assert_eq!(rows[0]["reasoning"], true);

    // The simulator goes away: the cached catalog still answers, with a note.
    drop(sim);
    let mut cmd = bin();
    cmd.env("XDG_CACHE_HOME", cache.path()).args([
        "models",
        "--base-url",
        &base,
        "--refresh",
        "swift",
    ]);
    let out = output(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("sim/swift-mini"));
    assert!(stderr(&out).contains("offline"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prompt_over_the_context_is_one_clear_line_and_exit_1() {
    let sim = fast_sim().await;
    let cache = tempfile::tempdir().unwrap();
    let mut cmd = bin();
    cmd.env("XDG_CACHE_HOME", cache.path()).args([
        "run",
        "--base-url",
        &sim.base_url(),
        "-m",
        "sim/swift-mini",
        "a very long history !fault=context",
    ]);
    let out = output(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("prompt too long for sim/swift-mini ("))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("context 128000)"), "{line}");
    assert!(
        !err.contains("middle-out"),
        "the raw body is not shown: {err}"
    );
}
