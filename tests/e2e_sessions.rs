//! Sessions end to end with the real binary: killed with SIGKILL mid-stream and reopened with
//! `--continue`, SIGHUP saves, two processes at once, and the `sessions`/`stats` commands.

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::App;
use common::saved::{sessions, wait_saved};
use switchboard::storage::session::Session;

fn cli(dirs: &Path, args: &[&str]) -> (i32, String, String) {
    let out = common::switchboard_in(dirs).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SLOW: &str = "stream slowly !rate=20 !tokens=400 !ttft=0";

#[test]
fn sigkill_mid_stream_then_continue_finds_the_partial_answers() {
    let dirs = tempfile::tempdir().unwrap();
    let mut app = App::start_in(
        dirs.path(),
        &[
            "--demo",
            "-m",
            "sim/swift-mini",
            "-m",
            "sim/sage-large",
            SLOW,
        ],
        100,
        30,
    );
    app.wait_for("streaming", Duration::from_secs(20), |s| {
        s.contains("streaming")
    });
    wait_saved(dirs.path(), "both partial answers on disk", |saved| {
        saved.first().is_some_and(|s| {
            s.rounds.first().is_some_and(|r| {
                r.answers.len() == 2
                    && r.answers
                        .iter()
                        .all(|a| a.text.split_whitespace().count() >= 10)
            })
        })
    });
    app.signal("KILL");
    assert_eq!(app.wait_exit(Duration::from_secs(5)), Some(false));
    drop(app);
    let saved = sessions(dirs.path());
    assert_eq!(saved.len(), 1, "the session file exists and loads");
    let answers = &saved[0].rounds[0].answers;
    assert_eq!(answers.len(), 2);
    for a in answers {
        assert!(
            a.text.split_whitespace().count() >= 10,
            "at most a second of text is missing: {:?}",
            a.text
        );
    }
    // Reopen it.
    let mut again = App::start_in(dirs.path(), &["--demo", "--continue"], 100, 30);
    let screen = again.wait_for("the reopened session", Duration::from_secs(20), |s| {
        s.contains("interrupted")
    });
    assert!(
        screen.contains("stream slowly"),
        "the prompt is back: {screen}"
    );
    assert_eq!(
        screen
            .matches("⚠ interrupted: switchboard stopped while this")
            .count(),
        2,
        "both answers are marked: {screen}"
    );
    again.send(&[0x11]);
    assert_eq!(again.wait_exit(Duration::from_secs(10)), Some(true));
    let after = sessions(dirs.path());
    assert_eq!(after.len(), 1, "continued in place, not copied");
    assert_eq!(after[0].rounds[0].answers[0].text, answers[0].text);
}

#[test]
fn sighup_saves_and_exits() {
    let dirs = tempfile::tempdir().unwrap();
    let mut app = App::start_in(
        dirs.path(),
        &["--demo", "-m", "sim/swift-mini", SLOW],
        100,
        30,
    );
    app.wait_for("streaming", Duration::from_secs(20), |s| {
        s.contains("streaming")
    });
    wait_saved(dirs.path(), "some text on disk", |saved| {
        saved
            .first()
            .and_then(|s| s.rounds.first())
            .is_some_and(|r| r.answers.iter().any(|a| !a.text.is_empty()))
    });
    app.signal("HUP");
    assert!(
        app.wait_exit(Duration::from_secs(10)).is_some(),
        "exits on SIGHUP"
    );
    let saved = sessions(dirs.path());
    assert_eq!(saved.len(), 1);
    let a = &saved[0].rounds[0].answers[0];
    assert!(!a.text.is_empty());
    assert_eq!(
        a.status,
        switchboard::chat::AnswerStatus::Cancelled,
        "saved as cancelled on the way out"
    );
}

#[test]
fn two_processes_never_clobber_each_other() {
    let dirs = tempfile::tempdir().unwrap();
    let mut a = App::start_in(
        dirs.path(),
        &[
            "--demo",
            "--sim-delay-scale",
            "0",
            "-m",
            "sim/swift-mini",
            "from process A",
        ],
        100,
        30,
    );
    let mut b = App::start_in(
        dirs.path(),
        &[
            "--demo",
            "--sim-delay-scale",
            "0",
            "-m",
            "sim/free-spirit:free",
            "from process B",
        ],
        100,
        30,
    );
    a.wait_for("A done", Duration::from_secs(20), |s| s.contains("✓"));
    b.wait_for("B done", Duration::from_secs(20), |s| s.contains("✓"));
    let both = sessions(dirs.path());
    assert_eq!(both.len(), 2);
    let id_a = both
        .iter()
        .find(|s| s.title == "from process A")
        .unwrap()
        .id
        .clone();
    // A third process asks for A's session while A has it open: it continues in a copy.
    let mut c = App::start_in(
        dirs.path(),
        &["--demo", "--sim-delay-scale", "0", "--session", &id_a],
        100,
        30,
    );
    c.wait_for("the copy notice", Duration::from_secs(20), |s| {
        s.contains("continuing in a copy")
    });
    // A second round is done when the session total has grown and the pane says done.
    let total = |s: &str| {
        s.lines()
            .rev()
            .nth(1)
            .and_then(|l| l.split("session ").nth(1))
            .unwrap_or("")
            .to_string()
    };
    for (app, prompt) in [(&mut c, "more from C"), (&mut a, "more from A")] {
        let before = total(&app.screen());
        app.send(prompt.as_bytes());
        app.send(b"\r");
        app.wait_for("a second round", Duration::from_secs(20), |s| {
            total(s) != before && s.contains("└ ✓")
        });
    }
    for app in [&mut a, &mut b, &mut c] {
        app.send(&[0x11]);
        assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
    }
    let all = sessions(dirs.path());
    assert_eq!(all.len(), 3);
    let a_final = all.iter().find(|s| s.id == id_a).unwrap();
    let prompts: Vec<&str> = a_final.rounds.iter().map(|r| r.prompt.as_str()).collect();
    assert_eq!(
        prompts,
        vec!["from process A", "more from A"],
        "A's file holds only A's rounds"
    );
    let copy = all.iter().find(|s| s.title.ends_with("(copy)")).unwrap();
    let prompts: Vec<&str> = copy.rounds.iter().map(|r| r.prompt.as_str()).collect();
    assert_eq!(prompts, vec!["from process A", "more from C"]);
}

#[test]
fn sessions_and_stats_commands() {
    let dirs = tempfile::tempdir().unwrap();
    let mut app = App::start_in(
        dirs.path(),
        &[
            "--demo",
            "--sim-delay-scale",
            "0",
            "-m",
            "sim/swift-mini",
            "-m",
            "sim/sage-large",
            "Round one",
        ],
        120,
        30,
    );
    app.wait_for("done", Duration::from_secs(20), |s| {
        s.matches('✓').count() >= 2
    });
    app.send(b"\t");
    app.send(b"\t");
    app.send(b"a");
    app.wait_for("adopted", Duration::from_secs(5), |s| s.contains("★"));
    app.send(&[0x11]);
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));

    let (code, list, _) = cli(dirs.path(), &["sessions", "list"]);
    assert_eq!(code, 0);
    let id = list
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert!(
        list.contains("Round one") && list.contains("sim/swift-mini"),
        "{list}"
    );
    std::fs::write(
        dirs.path().join("data/switchboard/sessions/broken.json"),
        b"garbage",
    )
    .unwrap();
    let (_, list, _) = cli(dirs.path(), &["sessions", "list"]);
    assert!(
        list.contains("broken.json") && list.contains("UNREADABLE"),
        "{list}"
    );
    assert_eq!(
        std::fs::read(dirs.path().join("data/switchboard/sessions/broken.json")).unwrap(),
        b"garbage"
    );

    let (code, md, _) = cli(
        dirs.path(),
        &["sessions", "export", &id[..12], "--format", "md"],
    );
    assert_eq!(code, 0);
    assert!(md.starts_with("# Round one"), "{md}");
    assert!(md.contains("### sim/sage-large ★ adopted"), "{md}");
    assert!(
        md.contains("TTFT") && md.contains("out tokens") && md.contains('$'),
        "{md}"
    );
    let (_, json, _) = cli(
        dirs.path(),
        &["sessions", "export", &id, "--format", "json"],
    );
    let parsed: Session = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed.id, id);
    let page_path = dirs.path().join("export.html");
    let (code, _, err) = cli(
        dirs.path(),
        &[
            "sessions",
            "export",
            &id,
            "--format",
            "html",
            "-o",
            page_path.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(&page_path).unwrap();
    // A real demo session recorded its race: the page draws it.
    assert!(
        page.contains("<svg class=\"race\"") && page.contains("★ adopted"),
        "{page}"
    );
    let (code, shown, _) = cli(dirs.path(), &["sessions", "show", &id]);
    assert_eq!((code, shown.contains("Round one")), (0, true));

    let (code, stats, _) = cli(dirs.path(), &["stats"]);
    assert_eq!(code, 0);
    let sage = stats
        .lines()
        .find(|l| l.starts_with("sim/sage-large"))
        .unwrap();
    assert!(sage.contains('█'), "adoption drawn as a bar: {stats}");
    let (_, json, _) = cli(dirs.path(), &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = &stats["adoptions"];
    assert_eq!(rows[0]["model"], "sim/sage-large");
    assert_eq!(rows[0]["adopted"], 1);
    assert_eq!(
        stats["ratings"],
        serde_json::json!([]),
        "no blind votes here"
    );

    let (code, _, err) = cli(dirs.path(), &["sessions", "rm", &id]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = cli(dirs.path(), &["sessions", "show", &id]);
    assert_eq!(code, 1);
    assert!(err.contains("no session"), "{err}");
}
