//! `run -f`: text files reach the request fenced and named by their path, images reach the
//! models whose catalog lists image input (as image parts) and the others get a note, and
//! files that cannot go are refused before any request.

mod common;

use std::process::{Command, Output, Stdio};

use common::*;
use serde_json::Value;

fn run_in(dirs: &std::path::Path, sim: &str, args: &[&str]) -> Command {
    let mut cmd = switchboard_in(dirs);
    cmd.env_remove("OPENROUTER_API_KEY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .args(["run", "--base-url", sim])
        .args(args);
    cmd
}

async fn output(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("binary runs"))
        .await
        .unwrap()
}

fn png() -> std::path::PathBuf {
    fixture_dir().join("../attachments/red-dot.png")
}

/// The last user message's content of each chat request the simulator saw, by model.
fn user_contents(sim: &switchboard::simulator::Simulator) -> Vec<(String, Value)> {
    sim.seen()
        .into_iter()
        .filter(|r| r.path == "/chat/completions")
        .filter_map(|r| r.body)
        .map(|b| {
            let last = b["messages"].as_array().unwrap().last().unwrap().clone();
            (
                b["model"].as_str().unwrap().to_string(),
                last["content"].clone(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_file_and_an_image_go_to_each_model_as_it_can_take_them() {
    let sim = fast_sim().await;
    let dirs = tempfile::tempdir().unwrap();
    let code = dirs.path().join("lib.rs");
    std::fs::write(
        &code,
        "fn add(a: i32, b: i32) -> i32 { a + b } // attached-marker\n",
    )
    .unwrap();
    let code_arg = code.to_string_lossy().into_owned();
    let png_arg = png().to_string_lossy().into_owned();
    let out = output(run_in(
        dirs.path(),
        &sim.base_url(),
        &[
            "-m",
            "sim/sage-large",
            "-m",
            "sim/swift-mini",
            "--json",
            "-f",
            &code_arg,
            "-f",
            &png_arg,
            "review this",
        ],
    ))
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");

    let contents = user_contents(&sim);
    let fenced = format!(
        "review this\n\n```{code_arg}\nfn add(a: i32, b: i32) -> i32 {{ a + b }} // attached-marker\n```"
    );
    let sage = &contents
        .iter()
        .find(|(m, _)| m == "sim/sage-large")
        .unwrap()
        .1;
    let parts = sage
        .as_array()
        .expect("content parts for a model that takes images");
    assert_eq!(
        parts[0],
        serde_json::json!({"type": "text", "text": fenced})
    );
    let url = parts[1]["image_url"]["url"].as_str().unwrap();
    assert!(
        url.starts_with("data:image/png;base64,iVBORw0KGgo"),
        "{url}"
    );
    assert_eq!(parts.len(), 2);
    let swift = &contents
        .iter()
        .find(|(m, _)| m == "sim/swift-mini")
        .unwrap()
        .1;
    assert_eq!(swift, &Value::String(fenced), "text only, no image part");

    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let answers = doc["answers"].as_array().unwrap();
    assert!(
        answers[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("(I see 1 image: image/png, 69 bytes.)"),
        "the model that takes images saw it: {}",
        answers[0]["text"]
    );
    let notes = answers[1]["notes"].to_string();
    assert!(
        notes.contains("red-dot.png not sent: sim/swift-mini takes no images"),
        "{notes}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_cannot_go_are_refused_before_any_request() {
    let sim = fast_sim().await;
    let dirs = tempfile::tempdir().unwrap();
    let big = dirs.path().join("big.log");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(9 * 1024 * 1024).unwrap();
    let binary = dirs.path().join("blob.bin");
    std::fs::write(&binary, [0u8, 159, 146, 150]).unwrap();
    // About 40,000 tokens: over sim/free-spirit:free (32,768), under the others'.
    let long = dirs.path().join("long.txt");
    std::fs::write(&long, "word ".repeat(40_000)).unwrap();
    let cases: [(&std::path::Path, &str, &str); 4] = [
        (
            &big,
            "sim/swift-mini",
            "big.log is 9 MiB and a text attachment may be at most 8 MiB",
        ),
        (
            &binary,
            "sim/swift-mini",
            "blob.bin is neither UTF-8 text nor a png, jpeg, webp or gif image",
        ),
        (
            dirs.path(),
            "sim/swift-mini",
            "is a folder: attach the files in it",
        ),
        (
            &long,
            "sim/free-spirit:free",
            "-token context of sim/free-spirit:free: attach less, or leave that model out",
        ),
    ];
    for (path, model, want) in cases {
        let arg = path.to_string_lossy().into_owned();
        let out = output(run_in(
            dirs.path(),
            &sim.base_url(),
            &["-m", "sim/swift-mini", "-m", model, "-f", &arg, "look"],
        ))
        .await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{arg}: {stderr}");
        assert!(stderr.contains(want), "{arg}: {stderr}");
    }
    assert!(
        user_contents(&sim).is_empty(),
        "no request was sent for a refused attachment"
    );
}
