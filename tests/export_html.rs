//! `switchboard sessions export ID --format html`: the real binary on a session file written
//! into a temporary data folder, its page parsed back with an HTML parser.

mod common;

use std::path::Path;

use scraper::{Html, Selector};
use serde_json::json;

const ID: &str = "20261127-164612-3f9a";
const SCRIPT: &str = "<script>alert(1)</script>";

fn write_session(dirs: &Path) {
    let dir = dirs.join("data/switchboard/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let answer = |slot: usize, model: &str, text: &str| {
        json!({"slot": slot, "model": model, "status": "complete", "text": text,
               "usage": {"prompt_tokens": 14, "completion_tokens": 310, "reasoning_tokens": 0,
                         "cached_tokens": 0, "cost": "0.0012"},
               "cost": {"usd": "0.0012", "source": "reported"},
               "ttft_ms": 250, "duration_ms": 2460, "tokens_per_s": 140.1,
               "tokens_by_second": [0, 136, 140, 34]})
    };
    let mut winner = answer(
        1,
        "sim/sage-large",
        "KILO answer\n\n```python\nprint('<b>')\n```\n",
    );
    winner["adopted"] = json!(true);
    let session = json!({
        "schema": 4, "id": ID, "title": format!("Export {SCRIPT}"),
        "created_ms": 1_795_805_172_000u64, "updated_ms": 1_795_805_230_512u64,
        "rounds": [{"id": 0, "prompt": format!("Compare {SCRIPT}"), "created_ms": 1_795_805_172_410u64,
            "answers": [
                answer(0, &format!("evil/{SCRIPT}"),
                       &format!("LIMA answer {SCRIPT} [x](javascript:alert(1)) <img src=x onerror=alert(1)>")),
                winner
            ]}]
    });
    std::fs::write(dir.join(format!("{ID}.json")), session.to_string()).unwrap();
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

#[test]
fn export_writes_a_page_that_shows_everything_and_runs_nothing() {
    let dirs = tempfile::tempdir().unwrap();
    write_session(dirs.path());
    let out = dirs.path().join("out/session.html");
    let result = common::switchboard_in(dirs.path())
        .args(["sessions", "export", &ID[..12], "--format", "html", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("wrote"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a new export is private");
    }
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    let doc = Html::parse_document(&page);
    for tag in ["script", "img", "iframe", "object", "embed", "form", "link"] {
        assert_eq!(doc.select(&sel(tag)).count(), 0, "a <{tag}>");
    }
    for el in doc.select(&sel("*")) {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "{name}={value}");
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !(v.starts_with("javascript:") || v.starts_with("data:")),
                "{name}={value}"
            );
            assert_ne!(name, "src", "nothing is loaded");
        }
    }
    let text: String = doc.select(&sel("body")).next().unwrap().text().collect();
    for shown in [
        format!("Export {SCRIPT}"),
        format!("Compare {SCRIPT}"),
        format!("evil/{SCRIPT}"),
        format!("LIMA answer {SCRIPT}"),
        "<img src=x onerror=alert(1)>".into(),
        "[link removed: javascript:alert(1)]".into(),
        "KILO answer".into(),
        "print('<b>')".into(),
        "140 tok/s".into(),
        "TTFT 0.25 s".into(),
        "★ adopted".into(),
        "$0.0024".into(),
    ] {
        assert!(text.contains(&shown), "{shown:?} missing");
    }
    assert_eq!(doc.select(&sel("svg.race polyline")).count(), 2);
    assert_eq!(
        doc.select(&sel("article.winner h3"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "sim/sage-large"
    );

    // Without -o the page goes to standard output, the same page.
    let result = common::switchboard_in(dirs.path())
        .args(["sessions", "export", ID, "--format", "html"])
        .output()
        .unwrap();
    assert!(result.status.success());
    assert_eq!(String::from_utf8(result.stdout).unwrap(), page);
}
