//! Attachments in the playground, with the real binary in a pseudo-terminal: `-f` files go
//! with the first prompt (the image only to the model that takes images), are kept once by
//! hash in the blob folder, go again with a reopened session's history, and are found by the
//! exports; `@path` completed with Tab shows as a chip.

mod common;

use std::time::Duration;

use common::pty::App;
use common::saved::{sessions, wait_saved};
use common::*;

fn done(s: &switchboard::storage::session::Session, round: usize) -> bool {
    s.rounds
        .get(round)
        .is_some_and(|r| r.answers.len() == 2 && r.answers.iter().all(|a| a.status.is_finished()))
}

fn answer<'a>(
    s: &'a switchboard::storage::session::Session,
    round: usize,
    model: &str,
) -> &'a switchboard::storage::session::SavedAnswer {
    s.rounds[round]
        .answers
        .iter()
        .find(|a| a.model == model)
        .unwrap()
}

#[test]
fn files_go_with_the_first_prompt_and_again_with_the_reopened_history() {
    let dirs = tempfile::tempdir().unwrap();
    let notes = dirs.path().join("notes.txt");
    std::fs::write(&notes, "the launch is on friday // notes-marker\n").unwrap();
    let png = fixture_dir().join("../attachments/red-dot.png");
    let (notes_arg, png_arg) = (notes.to_string_lossy(), png.to_string_lossy());
    let args = [
        "--demo",
        "--sim-delay-scale",
        "0",
        "-m",
        "sim/sage-large",
        "-m",
        "sim/swift-mini",
        "-f",
        &notes_arg,
        "-f",
        &png_arg,
        "review these",
    ];
    let mut app = App::start_in(dirs.path(), &args, 100, 30);
    wait_saved(dirs.path(), "both answers to the first prompt", |s| {
        s.first().is_some_and(|s| done(s, 0))
    });
    let s = &sessions(dirs.path())[0];
    let files = &s.rounds[0].attachments;
    assert_eq!(files.len(), 2);
    for f in files {
        let blob = dirs.path().join("data/switchboard/blobs").join(&f.sha256);
        assert_eq!(
            std::fs::metadata(&blob).unwrap().len(),
            f.bytes,
            "{}",
            f.name
        );
    }
    let json = std::fs::read_to_string(
        dirs.path()
            .join(format!("data/switchboard/sessions/{}.json", s.id)),
    )
    .unwrap();
    assert!(
        !json.contains("notes-marker") && !json.contains("iVBOR"),
        "no bytes in the session file"
    );
    assert!(
        answer(s, 0, "sim/sage-large")
            .text
            .starts_with("(I see 1 image: image/png, 69 bytes.)"),
        "{}",
        answer(s, 0, "sim/sage-large").text
    );
    assert!(answer(s, 0, "sim/swift-mini").notes[0].contains("red-dot.png not sent"));
    app.wait_for("the note in the pane", Duration::from_secs(10), |screen| {
        screen.contains("takes no images")
    });
    app.send(b"\x11");
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));

    // Reopened, the history sends the image again: read back from the blob folder.
    let mut app = App::start_in(
        dirs.path(),
        &["--demo", "--sim-delay-scale", "0", "--continue"],
        100,
        30,
    );
    app.wait_for("the reopened session", Duration::from_secs(10), |screen| {
        screen.contains("sim/sage-large")
    });
    app.send(b"and the risks?\r");
    wait_saved(dirs.path(), "the follow-up's answers", |s| {
        s.first().is_some_and(|s| done(s, 1))
    });
    let s = &sessions(dirs.path())[0];
    assert!(
        answer(s, 1, "sim/sage-large")
            .text
            .starts_with("(I see 1 image")
    );
    app.send(b"\x11");
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));

    // The exports find the files by hash.
    let export = |format: &str| {
        let out = switchboard_in(dirs.path())
            .args(["sessions", "export", &s.id, "--format", format])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let md = export("md");
    assert!(
        md.contains(&format!(
            "```{notes_arg}\nthe launch is on friday // notes-marker\n```"
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!("_Attached image: {png_arg} (69 B, blob ")),
        "{md}"
    );
    let html = export("html");
    assert!(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"));
    assert!(html.contains("notes-marker"));
}

#[test]
fn an_at_path_completed_with_tab_shows_as_a_chip_and_goes_with_the_prompt() {
    let dirs = tempfile::tempdir().unwrap();
    let docs = dirs.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("plan-for-launch.md"),
        "# plan\nship it // plan-marker\n",
    )
    .unwrap();
    let mut app = App::start_in(
        dirs.path(),
        &["--demo", "--sim-delay-scale", "0", "-m", "sim/swift-mini"],
        80,
        24,
    );
    app.wait_for("the editor", Duration::from_secs(10), |s| {
        s.contains("Prompt")
    });
    app.send(format!("check @{}/docs/pla\t", dirs.path().display()).as_bytes());
    app.wait_for("the chip", Duration::from_secs(10), |s| {
        s.contains("plan-for-launch.md 30 B]")
    });
    app.send(b"\r");
    wait_saved(dirs.path(), "the prompt with its file", |s| {
        s.first().is_some_and(|s| {
            s.rounds[0]
                .attachments
                .first()
                .is_some_and(|a| a.name.ends_with("docs/plan-for-launch.md"))
                && s.rounds[0].prompt.starts_with("check ")
                && !s.rounds[0].prompt.contains('@')
        })
    });
    app.send(b"\x11");
    assert_eq!(app.wait_exit(Duration::from_secs(10)), Some(true));
}
