use super::*;

fn file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn all(path: &Path) -> Result<Vec<Prompt>, PromptsError> {
    Prompts::open(path)?.collect()
}

#[test]
fn txt_skips_blank_lines_and_numbers_by_line() {
    let (_d, path) = file("p.txt", "\u{feff}first\r\n\n  \nsecond\n");
    let got = all(&path).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].id.as_str(), got[0].prompt.as_str()), ("1", "first"));
    assert_eq!((got[1].id.as_str(), got[1].index, got[1].line), ("4", 1, 4));
    assert_eq!(survey(&path, None).unwrap().count, 2);
}

#[test]
fn jsonl_reads_ids_and_system_and_names_a_bad_line() {
    let (_d, path) = file(
        "p.jsonl",
        "{\"prompt\": \"a\", \"id\": \"x\", \"system\": \"be brief\"}\n{\"prompt\": \"b\", \"id\": 7}\n{\"prompt\": \"c\"}\n",
    );
    let got = all(&path).unwrap();
    assert_eq!(got[0].id, "x");
    assert_eq!(got[0].system.as_deref(), Some("be brief"));
    assert_eq!(got[1].id, "7");
    assert_eq!(got[2].id, "3");

    let (_d, bad) = file("bad.jsonl", "{\"prompt\": \"a\"}\n{\"prompt\": \n");
    let e = survey(&bad, None).unwrap_err().to_string();
    assert!(e.contains("bad.jsonl: line 2:"), "{e}");
    let (_d, bad) = file("bad.jsonl", "{\"text\": \"a\"}\n");
    assert!(survey(&bad, None).unwrap_err().0.contains("line 1"));
}

#[test]
fn csv_uses_real_quoting_and_optional_columns() {
    let (_d, path) = file(
        "p.csv",
        "id,prompt,system\nq1,\"Hello, world\",\nq2,\"two\nlines \"\"quoted\"\"\",terse\n",
    );
    let got = all(&path).unwrap();
    assert_eq!(got[0].prompt, "Hello, world");
    assert_eq!(got[0].system, None);
    assert_eq!(got[1].prompt, "two\nlines \"quoted\"");
    assert_eq!(got[1].system.as_deref(), Some("terse"));
    assert_eq!(got[1].id, "q2");

    let (_d, path) = file("p.csv", "prompt\nalpha\nbeta\n");
    let ids: Vec<String> = all(&path).unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(ids, ["1", "2"]);

    let (_d, bad) = file("bad.csv", "prompt,id\nalpha,1\nbeta,2,extra\n");
    let e = survey(&bad, None).unwrap_err().0;
    assert!(e.starts_with(&format!("{}: line 3", bad.display())), "{e}");
    let (_d, bad) = file("bad.csv", "text,id\nalpha,1\n");
    assert!(
        survey(&bad, None)
            .unwrap_err()
            .0
            .contains("no `prompt` column")
    );
}

#[test]
fn duplicate_ids_and_empty_files_are_refused() {
    let (_d, path) = file(
        "p.jsonl",
        "{\"prompt\":\"a\",\"id\":\"k\"}\n{\"prompt\":\"b\",\"id\":\"k\"}\n",
    );
    let e = survey(&path, None).unwrap_err().0;
    assert!(e.contains("line 2") && e.contains("\"k\""), "{e}");
    let (_d, path) = file("p.txt", "\n\n");
    assert!(survey(&path, None).unwrap_err().0.contains("no prompts"));
    let (_d, path) = file("p.md", "x");
    assert!(survey(&path, None).unwrap_err().0.contains(".txt"));
}
