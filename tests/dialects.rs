//! Endpoints that check their request fields: a strict OpenAI-style server and a Mistral-style
//! one (the simulator with their error bodies), spoken to by the real `run` binary. The right
//! dialect succeeds at once; an unknown endpoint heals once and remembers; prices come from
//! the reference catalog when the endpoint reports none.

mod common;

use std::path::Path;

use common::*;
use switchboard::simulator::{SimConfig, SimDialect, Simulator};

fn sim(rt: &tokio::runtime::Runtime, dialect: SimDialect) -> Simulator {
    rt.block_on(sim_with(SimConfig {
        delay_scale: 0.0,
        dialect,
        ..SimConfig::default()
    }))
}

fn write_config(dirs: &Path, text: &str) {
    let dir = dirs.join("config/switchboard");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

/// `switchboard run --json ARGS…`: its exit code and document.
fn run_json(dirs: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = switchboard_in(dirs)
        .arg("run")
        .args(args)
        .args(["--json", "Say hello"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let doc = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), doc)
}

fn chat_bodies(sim: &Simulator) -> Vec<serde_json::Value> {
    sim.seen()
        .into_iter()
        .filter(|r| r.path == "/chat/completions")
        .filter_map(|r| r.body)
        .collect()
}

#[test]
fn the_openai_kind_is_right_the_first_time() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = sim(&rt, SimDialect::OpenAi);
    let dirs = tempfile::tempdir().unwrap();
    write_config(
        dirs.path(),
        &format!(
            "[providers.oai]\nkind = \"openai\"\nbase_url = \"{}\"\n",
            sim.base_url()
        ),
    );
    let (code, doc) = run_json(
        dirs.path(),
        &[
            "-m",
            "oai:gpt-5-mini",
            "-m",
            "oai:gpt-4.1-mini",
            "--max-tokens",
            "60",
            "--temperature",
            "0.7",
        ],
    );
    assert_eq!(code, Some(0), "{doc:#}");
    let bodies = chat_bodies(&sim);
    assert_eq!(bodies.len(), 2, "one request per model, no retry");
    for b in &bodies {
        assert!(
            b.get("usage").is_none() && b.get("max_tokens").is_none(),
            "{b}"
        );
        assert_eq!(b["max_completion_tokens"], 60);
        assert_eq!(b["stream_options"]["include_usage"], true);
    }
    let gpt5 = &doc["answers"][0];
    assert_eq!(gpt5["status"], "complete");
    // The temperature gpt-5 refuses is left out, and that is said.
    assert_eq!(gpt5["adjusted"][0]["param"], "temperature");
    assert_eq!(gpt5["adjusted"][0]["changes_answer"], true);
    assert!(gpt5["usage"]["completion_tokens"].as_u64().unwrap() > 0);
    let mini = &doc["answers"][1];
    assert!(mini.get("adjusted").is_none(), "{mini}");
    let sent_temp = bodies
        .iter()
        .filter(|b| b.get("temperature").is_some())
        .count();
    assert_eq!(sent_temp, 1, "only gpt-4.1-mini gets the temperature");
}

#[test]
fn an_unknown_endpoint_heals_once_and_remembers() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = sim(&rt, SimDialect::OpenAi);
    let dirs = tempfile::tempdir().unwrap();
    let args = [
        "--base-url",
        &sim.base_url(),
        "-m",
        "gpt-5-mini",
        "--max-tokens",
        "40",
    ];
    let (code, doc) = run_json(dirs.path(), &args);
    assert_eq!(code, Some(0), "{doc:#}");
    let adjusted = doc["answers"][0]["adjusted"].as_array().unwrap();
    assert_eq!(adjusted.len(), 1, "{doc:#}");
    assert_eq!(adjusted[0]["param"], "max_tokens");
    assert_eq!(adjusted[0]["renamed_to"], "max_completion_tokens");
    assert!(
        adjusted[0]["reason"]
            .as_str()
            .unwrap()
            .contains("Use 'max_completion_tokens' instead")
    );
    let bodies = chat_bodies(&sim);
    assert_eq!(bodies.len(), 2, "refused once, then right");
    assert_eq!(bodies[0]["max_tokens"], 40);
    assert_eq!(bodies[1]["max_completion_tokens"], 40);
    assert!(bodies[1].get("max_tokens").is_none());

    let (code, _) = run_json(dirs.path(), &args);
    assert_eq!(code, Some(0));
    let bodies = chat_bodies(&sim);
    assert_eq!(bodies.len(), 3, "the second run is right the first time");
    assert_eq!(bodies[2]["max_completion_tokens"], 40);
    assert!(bodies[2].get("max_tokens").is_none());
}

#[test]
fn a_mistral_422_extra_forbidden_heals_the_same_way() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = sim(&rt, SimDialect::Mistral);
    let dirs = tempfile::tempdir().unwrap();
    write_config(
        dirs.path(),
        &format!(
            "[providers.generic]\nkind = \"openai-compatible\"\nbase_url = \"{0}\"\n\n[providers.mis]\nkind = \"mistral\"\nbase_url = \"{0}\"\n",
            sim.base_url()
        ),
    );
    let (code, doc) = run_json(
        dirs.path(),
        &[
            "-m",
            "generic:magistral-small-latest",
            "-m",
            "mis:magistral-small-latest",
        ],
    );
    assert_eq!(code, Some(0), "{doc:#}");
    let generic = &doc["answers"][0];
    assert_eq!(generic["adjusted"][0]["param"], "stream_options");
    assert_eq!(generic["adjusted"][0]["changes_answer"], false);
    let native = &doc["answers"][1];
    assert!(native.get("adjusted").is_none(), "{native}");
    for a in [generic, native] {
        assert!(!a["text"].as_str().unwrap().is_empty());
        assert!(
            !a["reasoning"].as_str().unwrap().is_empty(),
            "thinking parts are reasoning: {a}"
        );
    }
    assert_eq!(chat_bodies(&sim).len(), 3, "one refusal in all");
}

#[test]
fn a_direct_model_is_priced_from_the_reference_catalog_exactly() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = sim(&rt, SimDialect::OpenAi);
    let dirs = tempfile::tempdir().unwrap();
    // On loopback it would count as free: `local = false` says it bills (a gateway).
    write_config(
        dirs.path(),
        &format!(
            "[providers.oai]\nkind = \"openai\"\nbase_url = \"{}\"\nlocal = false\n",
            sim.base_url()
        ),
    );
    let catalog = serde_json::json!({
        "base_url": "https://openrouter.ai/api/v1",
        "fetched_at": 1_764_741_600u64,
        "models": [
            {"id": "openai/gpt-4.1-mini", "name": "GPT-4.1 mini",
             "pricing": {"prompt": "0.0000004", "completion": "0.0000016"}},
            {"id": "openai/gpt-4.1", "name": "GPT-4.1",
             "pricing": {"prompt": "0.000002", "completion": "0.000008"}}
        ]
    });
    let cache = dirs.path().join("cache/switchboard/catalog");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("openrouter.ai_api_v1.json"),
        serde_json::to_vec(&catalog).unwrap(),
    )
    .unwrap();
    let (code, doc) = run_json(
        dirs.path(),
        &["-m", "oai:gpt-4.1-mini", "-m", "oai:gpt-5-mini"],
    );
    assert_eq!(code, Some(0), "{doc:#}");
    let a = &doc["answers"][0];
    let p = a["usage"]["prompt_tokens"].as_u64().unwrap();
    let c = a["usage"]["completion_tokens"].as_u64().unwrap();
    let usd = |s: &str| switchboard::cost::Usd::parse(s).unwrap();
    let expected = usd("0.0000004").times(p) + usd("0.0000016").times(c);
    assert_eq!(a["cost_source"], "catalog", "{a}");
    assert_eq!(usd(&a["cost_usd"].to_string()), expected);
    assert_eq!(a["priced_from"]["catalog"], "https://openrouter.ai/api/v1");
    assert_eq!(a["priced_from"]["id"], "openai/gpt-4.1-mini");
    assert_eq!(a["priced_from"]["fetched_at"], "2025-12-03T06:00:00Z");
    // No exact match in the catalog: unpriced, never $0.
    let b = &doc["answers"][1];
    assert!(b["cost_usd"].is_null() && b["cost_source"].is_null(), "{b}");
    assert_eq!(doc["unpriced_answers"], 1);
}

#[test]
fn an_ollama_endpoint_lists_its_models_with_their_context() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = sim(&rt, SimDialect::Ollama);
    let dirs = tempfile::tempdir().unwrap();
    write_config(
        dirs.path(),
        &format!(
            "[providers.box]\nbase_url = \"{}\"\nkind = \"ollama\"\n",
            sim.base_url()
        ),
    );
    let out = switchboard_in(dirs.path())
        .args(["models", "--json", "--refresh"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_default();
    let qwen = rows
        .iter()
        .find(|r| r["id"] == "box:qwen3:8b")
        .unwrap_or_else(|| panic!("{text}"));
    let persona = switchboard::simulator::demo_models()
        .into_iter()
        .find(|m| m.id == "sim/deep-thinker")
        .unwrap();
    assert_eq!(qwen["context_length"], persona.context, "from /api/show");
    let paths: Vec<String> = sim.seen().into_iter().map(|r| r.path).collect();
    assert!(paths.contains(&"/api/tags".to_string()), "{paths:?}");
    assert!(paths.contains(&"/api/show".to_string()), "{paths:?}");
}

#[tokio::test]
async fn an_effort_goes_only_to_the_openai_models_that_take_one() {
    let sim = sim_with(SimConfig {
        delay_scale: 0.0,
        dialect: SimDialect::OpenAi,
        ..SimConfig::default()
    })
    .await;
    let endpoint = switchboard::provider::Endpoint::new(&sim.base_url(), None)
        .with_kind(switchboard::provider::Kind::OpenAi);
    for model in ["gpt-4.1-mini", "o4-mini"] {
        let mut req = request(model, "hi");
        req.params.reasoning_effort = Some("low".into());
        let mut events = Vec::new();
        switchboard::provider::run_chat(
            &client_with_stall(std::time::Duration::from_secs(10)),
            &endpoint,
            &req,
            &Default::default(),
            &mut events,
        )
        .await;
        assert!(
            matches!(
                end_of(&events),
                switchboard::chat::StreamEnd::Complete { .. }
            ),
            "{model}: {:?}",
            end_of(&events)
        );
    }
    let bodies = chat_bodies(&sim);
    assert_eq!(bodies.len(), 2, "right the first time, both");
    assert!(bodies[0].get("reasoning_effort").is_none());
    assert_eq!(bodies[1]["reasoning_effort"], "low");
}
