//! Piped standard input in the playground, with the real binary in a pseudo-terminal:
//! `cat file | switchboard -m A "review this"` sends the file after the prompt, and the keys
//! still come from the terminal; without a prompt the file waits in the editor.

mod common;

use std::time::Duration;

use common::pty::App;
use common::saved::wait_saved;

const PIPED: &str = "fn add(a: i32, b: i32) -> i32 {\n    a + b // piped-marker\n}\n";

fn piped_file(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("piped.rs");
    std::fs::write(&file, PIPED).unwrap();
    file
}

#[test]
fn a_piped_file_follows_the_first_prompt_and_keys_still_work() {
    let dirs = tempfile::tempdir().unwrap();
    let file = piped_file(dirs.path());
    let args = ["--demo", "-m", "sim/swift-mini", "review this"];
    let mut app = App::start_piped(dirs.path(), &args, &file, 100, 30);
    let want = format!("review this\n\n```stdin\n{}```", PIPED);
    wait_saved(dirs.path(), "the prompt with the piped file", |saved| {
        saved
            .iter()
            .any(|s| s.rounds.first().is_some_and(|r| r.prompt == want))
    });
    // The keyboard is the terminal's, not the finished pipe's: a follow-up is typed and sent.
    app.wait_for("the answer", Duration::from_secs(20), |s| {
        s.contains("✓ done")
    });
    app.send(b"and now?\r");
    wait_saved(
        dirs.path(),
        "the follow-up typed at the terminal",
        |saved| {
            saved
                .iter()
                .any(|s| s.rounds.iter().any(|r| r.prompt == "and now?"))
        },
    );
    app.send(b"\x11");
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
}

#[test]
fn without_a_prompt_the_piped_file_waits_in_the_editor() {
    let dirs = tempfile::tempdir().unwrap();
    let file = piped_file(dirs.path());
    let mut app = App::start_piped(
        dirs.path(),
        &["--demo", "-m", "sim/swift-mini"],
        &file,
        100,
        30,
    );
    app.wait_for("the file in the editor", Duration::from_secs(20), |s| {
        s.contains("piped-marker")
    });
    app.send(b"what does it do?\r");
    wait_saved(dirs.path(), "the file, then the question", |saved| {
        saved.iter().any(|s| {
            s.rounds.first().is_some_and(|r| {
                r.prompt.starts_with("```stdin\nfn add") && r.prompt.ends_with("what does it do?")
            })
        })
    });
    app.send(b"\x11");
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
}

#[test]
fn a_dash_makes_the_piped_text_the_prompt_itself() {
    let dirs = tempfile::tempdir().unwrap();
    let file = piped_file(dirs.path());
    let args = ["--demo", "-m", "sim/swift-mini", "-"];
    let mut app = App::start_piped(dirs.path(), &args, &file, 100, 30);
    wait_saved(dirs.path(), "the piped text as the prompt", |saved| {
        saved
            .iter()
            .any(|s| s.rounds.first().is_some_and(|r| r.prompt == PIPED))
    });
    app.send(b"\x11");
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
}
