//! Session storage speed: saving a 1 MB session (serialise, write, fsync, rename) and opening
//! the browser over 10,000 sessions (the index read, and its rebuild when files changed).
//!
//!     cargo bench --bench sessions
//!
//! Goals: a 1 MB save in at most 5 ms; the browser's list over 10,000 sessions in at most
//! 150 ms. Medians are printed; the temp directory is on the same disk as the data dir would be
//! unless TMPDIR says otherwise.

use std::time::{Duration, Instant};

use switchboard::chat::{AnswerStatus, Params, Usage};
use switchboard::cost::{Cost, CostSource, Usd};
use switchboard::simulator::answer_text;
use switchboard::storage::index;
use switchboard::storage::session::{RoundRecord, SCHEMA, SavedAnswer, Session, save};

fn answer(slot: usize, text: String) -> SavedAnswer {
    SavedAnswer {
        slot,
        model: format!("vendor/model-{slot}"),
        served_model: None,
        provider: Some("Prov".into()),
        status: AnswerStatus::Complete,
        text,
        reasoning: String::new(),
        error: None,
        finish_reason: Some("stop".into()),
        usage: Some(Usage {
            prompt_tokens: 100,
            completion_tokens: 500,
            cost: Some(Usd::parse("0.0021").unwrap()),
            ..Usage::default()
        }),
        cost: Some(Cost {
            usd: Usd::parse("0.0021").unwrap(),
            source: CostSource::Reported,
        }),
        pricing: None,
        ttft_ms: Some(300),
        duration_ms: Some(4000),
        tokens_per_s: Some(120.0),
        generation_id: None,
        adopted: slot == 0,
        archived: false,
        adjusted: Vec::new(),
        notes: Vec::new(),
        think: None,
        left_out: 0,
        tokens_by_second: Vec::new(),
        not_sent: Vec::new(),
    }
}

fn session(id: &str, bytes: usize) -> Session {
    let mut rounds = Vec::new();
    let mut size = 0;
    let mut i = 0u64;
    while size < bytes || rounds.is_empty() {
        let text = answer_text(
            i as usize,
            "a question about sorting",
            (bytes / 12).clamp(50, 2000),
        );
        size += text.len() * 3;
        rounds.push(RoundRecord {
            prompt_id: None,
            id: i,
            parent: i.checked_sub(1),
            prompt: format!("question {i}"),
            system: None,
            params: Params::default(),
            created_ms: 1_795_805_172_000 + i,
            winner: Some(0),
            answers: (0..3).map(|s| answer(s, text.clone())).collect(),
            blind: None,
            vote: None,
            judgements: Vec::new(),
            attachments: Vec::new(),
        });
        i += 1;
    }
    Session {
        batch: None,
        schema: SCHEMA,
        id: id.into(),
        title: format!("session {id}"),
        created_ms: 1_795_805_172_000,
        updated_ms: 1_795_805_172_000 + i,
        base_url: "https://openrouter.ai/api/v1".into(),
        models: (0..3).map(|s| format!("vendor/model-{s}")).collect(),
        rounds,
    }
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let big = session("big", 1_000_000);
    let bytes = serde_json::to_vec(&big).unwrap().len();
    let mut saves = Vec::new();
    let mut serialise = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let _ = serde_json::to_vec(&big).unwrap();
        serialise.push(t.elapsed());
        let t = Instant::now();
        save(dir.path(), &big).unwrap();
        saves.push(t.elapsed());
    }
    println!(
        "save a {:.2} MB session: median {} (serialising alone {}; goal: at most 5 ms)",
        bytes as f64 / 1e6,
        ms(median(saves)),
        ms(median(serialise))
    );

    // Autosave while streaming: what the event loop itself spends per save of a 5 MB
    // session. Only the snapshot is taken on the loop now; serialising and writing run on a
    // blocking thread (before, the loop serialised too).
    let five = session("20261203-070000-beef", 5_000_000);
    let mut state = switchboard::state::State::new(switchboard::state::Init {
        size: (120, 40),
        ..Default::default()
    });
    state.restore(five);
    let mut on_loop = Vec::new();
    let mut before = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let snap = state.session_snapshot().unwrap();
        on_loop.push(t.elapsed());
        let t = Instant::now();
        let _ = serde_json::to_vec(&snap).unwrap();
        before.push(on_loop.last().copied().unwrap_or_default() + t.elapsed());
    }
    println!(
        "autosave of a 5 MB session, time on the event loop: median {} (snapshot only; with serialising, as before: {})",
        ms(median(on_loop)),
        ms(median(before))
    );

    let many = tempfile::tempdir().unwrap();
    let small = session("template", 2_000);
    for i in 0..10_000 {
        let mut s = small.clone();
        s.id = format!("20261127-{i:06}-0000");
        s.updated_ms += i;
        save(many.path(), &s).unwrap();
    }
    let t = Instant::now();
    let n = index::list(many.path()).len();
    let cold = t.elapsed();
    let mut warm = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        assert_eq!(index::list(many.path()).len(), n);
        warm.push(t.elapsed());
    }
    for i in 0..10 {
        let mut s = small.clone();
        s.id = format!("20261127-{i:06}-0000");
        s.title = "changed behind our back".into();
        save(many.path(), &s).unwrap();
    }
    let t = Instant::now();
    index::list(many.path());
    let changed = t.elapsed();
    println!(
        "list {n} sessions: with the index {} median (goal: at most 150 ms); after 10 files changed {}; first build {}",
        ms(median(warm)),
        ms(changed),
        ms(cold)
    );
}
