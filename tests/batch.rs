//! `switchboard run --prompts`: the real binary against the built-in simulator. Input formats
//! and their errors, CSV results, and the budget. No network, no key, no sleeps. The kill -9
//! and resume, the 429 storm and the playground are in batch_resume.rs.

mod common;

use common::batch::*;

#[test]
fn three_input_formats_and_their_bad_lines() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = fast(&rt);
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let txt = write(d, "p.txt", "first prompt\n\nsecond prompt\n");
    let jsonl = write(
        d,
        "p.jsonl",
        "{\"prompt\": \"alpha\", \"id\": \"a\", \"system\": \"Be brief.\"}\n{\"prompt\": \"beta\"}\n",
    );
    let csv = write(
        d,
        "p.csv",
        "id,prompt\nx,\"one, with a comma\"\ny,\"two\nlines\"\n",
    );
    for (file, ids) in [(&txt, ["1", "3"]), (&jsonl, ["a", "2"]), (&csv, ["x", "y"])] {
        let out_path = d.join(format!(
            "{}.out.jsonl",
            file.file_name().unwrap().to_str().unwrap()
        ));
        let out = run(batch(d, &sim, &["-m", "sim/swift-mini", "--prompts"])
            .arg(file)
            .arg("-o")
            .arg(&out_path));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let got = lines(&out_path);
        let mut seen: Vec<&str> = got
            .iter()
            .map(|l| l["prompt_id"].as_str().unwrap())
            .collect();
        seen.sort();
        let mut ids = ids;
        ids.sort();
        assert_eq!(seen, ids, "{}", file.display());
        assert!(got.iter().all(|l| l["status"] == "complete"));
        let s = session(d, &session_id(&out));
        assert_eq!(s.rounds.len(), 2);
        if file == &jsonl {
            let a = s
                .rounds
                .iter()
                .find(|r| r.prompt_id.as_deref() == Some("a"))
                .unwrap();
            assert_eq!(a.system.as_deref(), Some("Be brief."));
        }
    }

    for (name, text, line) in [
        ("bad.jsonl", "{\"prompt\": \"ok\"}\n{\"prompt\": oops}\n", 2),
        (
            "bad.csv",
            "prompt,id\nfine,1\n\"unclosed,2\nnext,3,extra\n",
            3,
        ),
        (
            "dup.jsonl",
            "{\"prompt\":\"a\",\"id\":\"k\"}\n{\"prompt\":\"b\",\"id\":\"k\"}\n",
            2,
        ),
        ("empty.txt", "first\n\n", 0),
    ] {
        let path = write(d, name, text);
        let out = run(batch(d, &sim, &["-m", "sim/swift-mini", "--prompts"]).arg(&path));
        if line == 0 {
            assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{}: line {line}", path.display())),
            "{name}: {err}"
        );
    }
    assert!(
        sim.seen()
            .iter()
            .filter(|r| r.path == "/chat/completions")
            .count()
            == 7,
        "bad files send nothing"
    );
}

#[test]
fn csv_results_have_one_row_per_cell_and_exact_costs() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = fast(&rt);
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let prompts = write(d, "p.txt", "one\ntwo\nthree\n");
    let out_path = d.join("r.csv");
    let out = run(batch(
        d,
        &sim,
        &[
            "-m",
            "sim/swift-mini",
            "-m",
            "sim/deep-thinker",
            "--format",
            "csv",
        ],
    )
    .arg("--prompts")
    .arg(&prompts)
    .arg("-o")
    .arg(&out_path));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(&out_path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, switchboard::headless::batch::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut total = switchboard::cost::Usd::ZERO;
    for r in &rows {
        assert_eq!(&r[col("status")], "complete");
        assert_eq!(&r[col("cost_source")], "reported");
        assert!(r[col("text")].len() > 50);
        total += switchboard::cost::Usd::parse(&r[col("cost_usd")]).unwrap();
    }
    // The session's rounds are in prompt order, whatever order the answers came in.
    let s = session(d, &session_id(&out));
    let ids: Vec<&str> = s
        .rounds
        .iter()
        .filter_map(|r| r.prompt_id.as_deref())
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    // The summary's total is the exact sum of the rows'.
    assert!(
        stderr(&out).contains(&format!("total: ${}", total.to_decimal())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_budget_refuses_without_a_terminal_and_stops_with_yes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = fast(&rt);
    let dirs = tempfile::tempdir().unwrap();
    let d = dirs.path();
    let text: String = (1..=40).map(|i| format!("Prompt {i}\n")).collect();
    let prompts = write(d, "p.txt", &text);
    let out_path = d.join("r.jsonl");
    let args = [
        "-m",
        "sim/sage-large",
        "--concurrency",
        "1",
        "--max-cost",
        "0.01",
    ];
    let out = run(batch(d, &sim, &args)
        .arg("--prompts")
        .arg(&prompts)
        .arg("-o")
        .arg(&out_path));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("estimated cost ~$"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was sent"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sim.seen()
            .iter()
            .filter(|r| r.path == "/chat/completions")
            .count(),
        0
    );
    assert!(std::fs::metadata(&out_path).map_or(true, |m| m.len() == 0));

    let out = run(batch(d, &sim, &args)
        .arg("--yes")
        .arg("--prompts")
        .arg(&prompts)
        .arg("-o")
        .arg(&out_path));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("budget reached"), "{}", stderr(&out));
    let costs: Vec<switchboard::cost::Usd> = std::fs::read_to_string(&out_path)
        .unwrap()
        .lines()
        .map(exact_cost)
        .collect();
    assert!(
        !costs.is_empty() && costs.len() < 40,
        "{} answers",
        costs.len()
    );
    let max = switchboard::cost::Usd::parse("0.01").unwrap();
    let mut spent = switchboard::cost::Usd::ZERO;
    let crossed = costs
        .iter()
        .position(|c| {
            spent += *c;
            spent >= max
        })
        .expect("the budget was reached");
    // Once spent reaches the budget no cell starts: with one request at a time, at most the
    // one already sent when the answer that crossed it came back.
    assert!(
        costs.len() - 1 - crossed <= 1,
        "{} answers after the budget",
        costs.len() - 1 - crossed
    );
}
