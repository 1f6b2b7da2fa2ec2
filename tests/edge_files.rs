//! Files and limits on their edge paths, through the real binary: more models than panes,
//! session ids that would reach outside the sessions folder, and exports that stay private.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn cli(dirs: &Path, args: &[&str]) -> (i32, String, String) {
    let out = common::switchboard_in(dirs).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ID: &str = "20261203-061500-abcd";

fn write_session(dirs: &Path) -> std::path::PathBuf {
    let dir = dirs.join("data/switchboard/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!(
        r#"{{"schema":2,"id":"{ID}","title":"Private plans","created_ms":0,"updated_ms":0,"models":["sim/swift-mini","corp:gpt-x"],"rounds":[{{"id":0,"prompt":"the secret prompt","created_ms":0,"answers":[{{"slot":0,"model":"sim/swift-mini","status":"complete","text":"the secret answer","ttft_ms":120,"cost":{{"usd":0.25,"source":"computed"}}}},{{"slot":1,"model":"corp:gpt-x","status":"complete","text":"unpriced","ttft_ms":300}}]}}]}}"#
    );
    std::fs::write(dir.join(format!("{ID}.json")), text).unwrap();
    dir
}

#[test]
fn nine_models_are_a_usage_error_everywhere() {
    let dirs = tempfile::tempdir().unwrap();
    let mut nine = Vec::new();
    for i in 0..9 {
        nine.extend(["-m".to_string(), format!("sim/m{i}")]);
    }
    let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
    for cmd in [vec!["--demo", "run"], vec!["--demo"]] {
        let args: Vec<&str> = cmd
            .iter()
            .copied()
            .chain(nine.iter().copied())
            .chain(["hi"])
            .collect();
        let (code, _, err) = cli(dirs.path(), &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("at most 8 panes"), "{err}");
    }
    let models: Vec<String> = (0..9).map(|i| format!("\"m{i}\"")).collect();
    let config = dirs.path().join("config/switchboard");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!("models = [{}]\n", models.join(", ")),
    )
    .unwrap();
    let (code, _, err) = cli(dirs.path(), &["doctor"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn ids_that_leave_the_sessions_folder_are_refused() {
    let dirs = tempfile::tempdir().unwrap();
    write_session(dirs.path());
    std::fs::write(
        dirs.path().join("data/outside.json"),
        "{\"schema\":2,\"secret\":1}",
    )
    .unwrap();
    for id in ["../outside", "../../data/outside", "/etc/passwd", "a b"] {
        for args in [
            vec!["sessions", "show", id],
            vec!["sessions", "rm", id],
            vec!["sessions", "export", id],
        ] {
            let (code, out, err) = cli(dirs.path(), &args);
            assert_eq!(code, 1, "{args:?}");
            assert!(err.contains("is not a session id"), "{args:?}: {err}");
            assert!(!out.contains("secret"));
        }
        let (code, _, err) = cli(dirs.path(), &["--demo", "--session", id]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("is not a session id"), "{err}");
    }
    let (code, out, _) = cli(dirs.path(), &["sessions", "show", &ID[..12]]);
    assert_eq!(code, 0, "a prefix of a real id still works");
    assert!(out.contains("the secret answer"));
}

#[test]
fn exports_are_private_unless_the_file_already_says_otherwise() {
    let dirs = tempfile::tempdir().unwrap();
    write_session(dirs.path());
    let new = dirs.path().join("new.md");
    let (code, _, err) = cli(
        dirs.path(),
        &["sessions", "export", ID, "-o", new.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&new), 0o600);
    assert!(
        std::fs::read_to_string(&new)
            .unwrap()
            .contains("the secret answer")
    );
    let shared = dirs.path().join("shared.md");
    std::fs::write(&shared, "old").unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, _) = cli(
        dirs.path(),
        &["sessions", "export", ID, "-o", shared.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert_eq!(
        mode(&shared),
        0o644,
        "an existing file keeps its permissions"
    );
    assert!(
        std::fs::read_to_string(&shared)
            .unwrap()
            .contains("the secret answer")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dirs.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "written atomically, no temp file left"
    );
}

#[test]
fn every_total_counts_unpriced_answers_the_same_way() {
    let dirs = tempfile::tempdir().unwrap();
    write_session(dirs.path());
    let (code, list, _) = cli(dirs.path(), &["sessions", "list"]);
    assert_eq!(code, 0);
    let row = list.lines().find(|l| l.starts_with(ID)).unwrap();
    assert!(row.contains("$0.25 +1 unpriced"), "{row}");
    let (_, md, _) = cli(dirs.path(), &["sessions", "export", ID]);
    assert!(md.contains("total $0.25 +1 unpriced"), "{md}");
}

#[test]
fn the_history_database_is_rebuilt_from_the_files_and_never_writes_them() {
    let dirs = tempfile::tempdir().unwrap();
    let dir = write_session(dirs.path());
    std::fs::write(dir.join("broken.json"), b"{\"schema\": 4, oops").unwrap();
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = files(&dir);
    let (code, _, err) = cli(dirs.path(), &["sessions", "reindex"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "indexed 1 session (1 round, 2 answers, 0 votes and verdicts); 1 unreadable in"
        ),
        "{err}"
    );
    let db = dirs.path().join("data/switchboard/history.sqlite3");
    assert!(err.contains("history.sqlite3") && db.exists(), "{err}");
    // Garbage in place of the database: every command still works, from the files.
    std::fs::write(&db, vec![0x42; 8192]).unwrap();
    let (code, list, _) = cli(dirs.path(), &["sessions", "list"]);
    assert_eq!(code, 0);
    assert!(list.contains(ID) && list.contains("UNREADABLE"), "{list}");
    let (code, stats, _) = cli(dirs.path(), &["stats", "--json"]);
    assert_eq!(code, 0);
    assert!(stats.contains("sim/swift-mini"), "{stats}");
    std::fs::remove_file(&db).unwrap();
    let (code, _, _) = cli(dirs.path(), &["sessions", "show", &ID[..10]]);
    assert_eq!(code, 0, "found by prefix with no database at all");
    assert_eq!(
        files(&dir),
        before,
        "session files unchanged, byte for byte"
    );
}
