//! `switchboard run --judge` against the simulator's judges: both orders are sent, a
//! consistent pick wins, disagreeing readings are a tie, prose is unparseable, and what the
//! judge cost is in the total, to the last digit the simulator billed.

mod common;

use std::process::{Command, Output};

use common::*;
use serde_json::Value;
use switchboard::cost::Usd;

fn run_judged(base_url: &str, judge: &str, cache: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .env("XDG_STATE_HOME", cache.join("state"))
        .env("XDG_CACHE_HOME", cache.join("cache"))
        .env("XDG_CONFIG_HOME", cache.join("config"))
        .env_remove("OPENROUTER_API_KEY")
        .env("NO_COLOR", "1")
        .args([
            "run",
            "--base-url",
            base_url,
            "-m",
            "sim/swift-mini",
            "-m",
            "sim/sage-large",
            "--judge",
            judge,
            "--json",
            "Compare two sorting algorithms",
        ])
        .output()
        .expect("binary runs")
}

async fn judged(judge: &str) -> (Value, switchboard::simulator::Simulator) {
    let sim = fast_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let base = sim.base_url();
    let judge = judge.to_string();
    let path = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || run_judged(&base, &judge, &path))
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (serde_json::from_slice(&out.stdout).unwrap(), sim)
}

fn judge_bodies(sim: &switchboard::simulator::Simulator) -> Vec<Value> {
    sim.seen()
        .into_iter()
        .filter_map(|r| r.body)
        .filter(|b| {
            b["model"]
                .as_str()
                .is_some_and(|m| m.starts_with("sim/judge"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fair_judge_reads_both_orders_and_names_the_same_winner() {
    let (doc, sim) = judged("sim/judge-fair").await;
    let bodies = judge_bodies(&sim);
    assert_eq!(bodies.len(), 2, "both orders are sent");
    let texts: Vec<&str> = bodies
        .iter()
        .map(|b| b["messages"][0]["content"].as_str().unwrap())
        .collect();
    let a = &doc["answers"][0]["text"].as_str().unwrap()[..40];
    let first_at: Vec<usize> = texts.iter().map(|t| t.find(a).unwrap()).collect();
    let b = &doc["answers"][1]["text"].as_str().unwrap()[..40];
    let second_at: Vec<usize> = texts.iter().map(|t| t.find(b).unwrap()).collect();
    // Both readings are sent at once: the simulator may log either first.
    assert_ne!(
        first_at[0] < second_at[0],
        first_at[1] < second_at[1],
        "two orders"
    );
    for t in &texts {
        assert!(
            !t.contains("sim/swift-mini") && !t.contains("sim/sage-large"),
            "anonymised"
        );
    }
    assert_eq!(
        bodies[0]["response_format"]["type"], "json_schema",
        "structured output where the dialect takes it"
    );
    let j = &doc["judge"];
    assert_eq!(j["model"], "sim/judge-fair");
    assert_eq!(j["verdict"], "best");
    assert_eq!(
        j["best"], "sim/sage-large",
        "the longer answer, both ways: {j}"
    );
    assert_eq!(j["readings"].as_array().unwrap().len(), 2);
    // The total is what the simulator billed for the answers and both readings.
    let total = Usd::parse(&doc["total_cost_usd"].to_string()).unwrap();
    assert_eq!(total, sim.spent(), "exact, judge included: {doc}");
    assert_eq!(doc["total_cost_estimated"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_judge_biased_to_the_first_place_gives_a_tie() {
    let (doc, _sim) = judged("sim/judge-biased").await;
    let j = &doc["judge"];
    assert_eq!(j["verdict"], "tie", "{j}");
    assert_eq!(j["best"], Value::Null);
    let picks: Vec<&str> = j["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pick"].as_str().unwrap())
        .collect();
    assert_ne!(picks[0], picks[1], "each reading picked its first answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prose_from_the_judge_is_shown_as_unparseable() {
    let (doc, _sim) = judged("sim/judge-broken").await;
    let j = &doc["judge"];
    assert_eq!(j["verdict"], "unparseable", "{j}");
    let reason = j["readings"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("I think the first answer is better"),
        "{reason}"
    );
}

#[test]
fn a_judge_needs_two_answers() {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([
            "run",
            "--demo",
            "-m",
            "sim/swift-mini",
            "--judge",
            "sim/judge-fair",
            "hi",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least two"));
}
