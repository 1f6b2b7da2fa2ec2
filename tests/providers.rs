//! Providers end to end: two providers in one playground (one local, without prices), keys
//! that never reach a file or a log, no Authorization after a redirect to another host, the
//! generation cost lookup after a cancel, and `doctor`.

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::App;
use common::*;
use switchboard::chat::{StreamEnd, StreamEvent};
use switchboard::provider::account::fetch_generation;
use switchboard::provider::{ApiKey, Endpoint, StreamOptions, run_chat};
use switchboard::simulator::SimConfig;

const KEY: &str = "sk-or-v1-TESTKEY-must-never-be-written-0123456789";

fn write_config(dirs: &Path, text: &str) {
    let dir = dirs.join("config/switchboard");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if std::fs::read(&p).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle))
            {
                hits.push(p.display().to_string());
            }
        }
    }
    hits
}

/// The simulator twice: one standing in for OpenRouter (it wants the key), one for a local
/// server with no prices.
#[test]
fn two_providers_side_by_side_and_the_key_is_never_written() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (remote, local) = rt.block_on(async {
        let remote = sim_with(SimConfig {
            delay_scale: 0.0,
            require_key: Some(KEY.into()),
            ..SimConfig::default()
        })
        .await;
        let local = sim_with(SimConfig {
            delay_scale: 0.0,
            local: true,
            ..SimConfig::default()
        })
        .await;
        (remote, local)
    });
    let dirs = tempfile::tempdir().unwrap();
    write_config(
        dirs.path(),
        &format!(
            "[providers.openrouter]\nkind = \"openrouter\"\nbase_url = \"{}\"\nkey_env = \"SB_TEST_KEY\"\n\n[providers.box]\nkind = \"openai-compatible\"\nbase_url = \"{}\"\n",
            remote.base_url(),
            local.base_url()
        ),
    );
    // SAFETY: set before any thread of this test reads the environment; children inherit it.
    unsafe { std::env::set_var("SB_TEST_KEY", KEY) };
    let mut app = App::start_in(
        dirs.path(),
        &[
            "-m",
            "sim/swift-mini",
            "-m",
            "box:sim/sage-large",
            "-m",
            "sim/flaky",
            "Compare the two",
        ],
        150,
        36,
    );
    let screen = app.wait_for("three finished panes", Duration::from_secs(30), |s| {
        s.matches("└ ✓").count() + s.matches("└ ✗").count() >= 3
    });
    assert!(screen.contains("box:sim/sage-large"), "{screen}");
    assert!(
        screen.contains("free (local)"),
        "the local model's cost: {screen}"
    );
    assert!(
        screen.contains("$0.000"),
        "the remote model's exact cost: {screen}"
    );
    assert!(
        screen.contains("provider error 502"),
        "the failing pane says why: {screen}"
    );
    app.send(&[0x11]);
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
    // The remote simulator got the key; the local one never did.
    assert!(
        remote
            .seen()
            .iter()
            .any(|r| r.authorization.as_deref() == Some(&format!("Bearer {KEY}")))
    );
    assert!(
        local.seen().iter().all(|r| r.authorization.is_none()),
        "the OpenRouter key stays with OpenRouter"
    );

    // Headless too, with a failure for the log.
    let out = common::switchboard_in(dirs.path())
        .args([
            "run",
            "-m",
            "sim/swift-mini",
            "-m",
            "box:sim/free-spirit:free",
            "--json",
            "hello !fault=500",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["answers"][0]["status"], "error");
    let session_files = files_containing(&dirs.path().join("data"), "Compare the two");
    assert!(!session_files.is_empty(), "the session was saved");
    let log = std::fs::read_to_string(dirs.path().join("state/switchboard/switchboard.log"))
        .expect("failures are logged");
    assert!(
        log.contains("HTTP 500") && log.contains("provider error 502"),
        "{log}"
    );
    let leaks = files_containing(dirs.path(), KEY);
    assert!(leaks.is_empty(), "the key is in {leaks:?}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(KEY)
            && !String::from_utf8_lossy(&out.stderr).contains(KEY)
    );
}

#[tokio::test]
async fn no_authorization_after_a_redirect_to_another_host() {
    let elsewhere = fast_sim().await;
    let redirecting = sim_with(SimConfig {
        delay_scale: 0.0,
        redirect_to: Some(elsewhere.base_url()),
        ..SimConfig::default()
    })
    .await;
    let endpoint = Endpoint::new(&redirecting.base_url(), ApiKey::new(KEY));
    let mut events = Vec::new();
    run_chat(
        &client_with_stall(Duration::from_secs(5)),
        &endpoint,
        &request("sim/swift-mini", "hi"),
        &StreamOptions::default(),
        &mut events,
    )
    .await;
    let StreamEnd::Failed(e) = end_of(&events) else {
        panic!("{events:?}")
    };
    assert_eq!(e.code, Some(307));
    assert!(
        e.message.contains("redirects to 127.0.0.1") && e.message.contains("does not follow"),
        "{}",
        e.message
    );
    assert!(!e.message.contains(KEY));
    assert!(
        elsewhere.seen().is_empty(),
        "the other host got nothing, let alone the key"
    );
}

#[tokio::test]
async fn a_cancelled_answer_gets_its_exact_cost_after_404s() {
    let sim = sim_with(SimConfig {
        delay_scale: 0.0,
        generation_404s: 2,
        ..SimConfig::default()
    })
    .await;
    let endpoint = Endpoint::new(&sim.base_url(), None);
    let client = client_with_stall(Duration::from_secs(5));
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let req = request("sim/sage-large", "slow !rate=50 !tokens=400 !ttft=0");
    let task = {
        let (client, endpoint) = (client.clone(), endpoint.clone());
        tokio::spawn(async move {
            let mut sink = switchboard::provider::Tagged { tag: 0u8, tx };
            run_chat(
                &client,
                &endpoint,
                &req,
                &StreamOptions::default(),
                &mut sink,
            )
            .await;
        })
    };
    let mut id = None;
    let mut texts = 0;
    while let Some((_, ev)) = rx.recv().await {
        match ev {
            StreamEvent::Generation(g) => id = Some(g),
            StreamEvent::Text(_) => texts += 1,
            _ => {}
        }
        if texts == 10 {
            break;
        }
    }
    task.abort();
    drop(rx);
    let id = id.expect("the generation id comes in a header");
    let waits = [Duration::from_millis(100); 5];
    // The simulator records the cancelled generation once it notices the drop.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sim.generation(&id).is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the drop was never recorded"
        );
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let cost = fetch_generation(&client, &endpoint, &id, &waits)
        .await
        .unwrap();
    let record = sim.generation(&id).unwrap();
    assert!(record.cancelled);
    assert_eq!(record.polls, 3, "404, 404, then 200");
    assert_eq!(cost.total, record.cost);
    assert!(cost.completion_tokens.unwrap() >= 10);
}

#[test]
fn doctor_checks_everything_and_says_how_to_fix() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt.block_on(fast_sim());
    let dirs = tempfile::tempdir().unwrap();
    let doctor = |dirs: &Path| {
        let out = common::switchboard_in(dirs)
            .args(["doctor", "--base-url", &sim.base_url()])
            .env("TERM", "xterm-256color")
            .env("COLORTERM", "")
            .env("NO_COLOR", "")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = doctor(dirs.path());
    assert_eq!(code, Some(0), "{text}");
    for needle in [
        "✓ config",
        "✓ provider openrouter",
        "reachable",
        "catalog cache",
        "clipboard",
        "terminal",
        "✓ sessions",
        "✓ log",
        "✓ colours: 256 colours (TERM=xterm-256color;",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    // A provider that is down, and a broken config, each get a ✗ with a fix.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    write_config(
        dirs.path(),
        &format!(
            "[providers.dead]\nkind = \"openai-compatible\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\n"
        ),
    );
    let (code, text) = doctor(dirs.path());
    assert_eq!(code, Some(1), "{text}");
    let line = text.lines().find(|l| l.contains("provider dead")).unwrap();
    assert!(line.starts_with('✗') && line.contains("fix:"), "{line}");
    write_config(dirs.path(), "mouse = \"sometimes\"\n");
    let (code, text) = doctor(dirs.path());
    assert_eq!(code, Some(1));
    assert!(
        text.lines()
            .any(|l| l.starts_with("✗ config") && l.contains("config.toml:1")),
        "{text}"
    );
}
