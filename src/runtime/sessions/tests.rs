//! The browser's HTML export as the runtime carries it out: from the file, or from the open
//! session as it is in memory, into the exports folder.

use tokio::sync::mpsc;

use super::*;
use crate::storage::export::exports_dir;

fn saved(dir: &Path, id: &str, title: &str) -> Session {
    let text = format!(
        r#"{{"schema": 4, "id": "{id}", "title": "{title}", "created_ms": 0, "updated_ms": 0,
          "rounds": [{{"id": 0, "prompt": "p", "created_ms": 0, "answers": [
            {{"slot": 0, "model": "m/a", "status": "complete", "text": "on disk",
             "ttft_ms": 5, "tokens_by_second": [3]}}]}}]}}"#
    );
    let s = session::parse(&text).unwrap();
    session::save(dir, &s).unwrap();
    s
}

#[tokio::test]
async fn the_browser_s_export_lands_in_the_exports_folder_and_says_where() {
    let data = tempfile::tempdir().unwrap();
    let dir = session::sessions_dir(data.path());
    saved(&dir, "s-1", "From the file");
    let (tx, mut rx) = mpsc::unbounded_channel();
    export_html(
        dir.clone(),
        exports_dir(data.path()),
        None,
        "s-1".into(),
        tx,
    );
    let Some(Msg::Exported(Ok(path))) = rx.recv().await else {
        panic!("no export")
    };
    let expected = data.path().join("exports/s-1.html");
    let home = std::env::var_os("HOME").map(PathBuf::from);
    assert_eq!(path, tilde(&expected, home.as_deref()));
    let page = std::fs::read_to_string(&expected).unwrap();
    assert!(page.contains("From the file") && page.contains("on disk"));
}

#[test]
fn the_open_session_exports_as_it_is_in_memory_and_a_missing_one_fails() {
    let data = tempfile::tempdir().unwrap();
    let dir = session::sessions_dir(data.path());
    let exports = exports_dir(data.path());
    let mut open = saved(&dir, "s-2", "Saved title");
    open.title = "Unsaved title".into();
    let path = write_html(&dir, &exports, Some(open.clone()), "s-2").unwrap();
    let page = std::fs::read_to_string(path).unwrap();
    assert!(page.contains("Unsaved title") && !page.contains("Saved title"));
    // Another session under the cursor: its file, not the open one.
    saved(&dir, "s-3", "Third");
    let path = write_html(&dir, &exports, Some(open), "s-3").unwrap();
    assert!(std::fs::read_to_string(path).unwrap().contains("Third"));
    let err = write_html(&dir, &exports, None, "gone").unwrap_err();
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn an_export_folder_that_cannot_be_made_is_reported() {
    let data = tempfile::tempdir().unwrap();
    let dir = session::sessions_dir(data.path());
    saved(&dir, "s-4", "t");
    let blocker = data.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let err = write_html(&dir, &blocker.join("exports"), None, "s-4").unwrap_err();
    assert!(err.starts_with("cannot write"), "{err}");
}

#[test]
fn the_path_shown_writes_home_as_a_tilde() {
    let home = Path::new("/home/ann");
    let p = Path::new("/home/ann/.local/share/switchboard/exports/s.html");
    assert_eq!(
        tilde(p, Some(home)),
        "~/.local/share/switchboard/exports/s.html"
    );
    assert_eq!(tilde(Path::new("/tmp/x.html"), Some(home)), "/tmp/x.html");
    assert_eq!(tilde(home, Some(home)), "/home/ann");
    assert_eq!(tilde(p, None), p.display().to_string());
}

#[test]
fn only_the_open_session_is_taken_from_memory() {
    let data = tempfile::tempdir().unwrap();
    let open = saved(&session::sessions_dir(data.path()), "s-5", "Open");
    let state = crate::state::State::new(crate::state::Init {
        models: vec!["m/a".into()],
        session_id: "s-new".into(),
        resume: Some(open),
        ..crate::state::Init::default()
    });
    assert_eq!(
        open_as_is(&state, "s-5").map(|s| s.title),
        Some("Open".into())
    );
    assert!(open_as_is(&state, "s-6").is_none(), "another session");
}
