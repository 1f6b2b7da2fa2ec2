//! The history database (history.sqlite3) over 10,000 sessions holding 100 MB of answers:
//! a rebuild from scratch, listing the sessions (stale check of every file included), a
//! full-text search (a rare word only answers hold, and a common one), and indexing one
//! round after a save. The sessions are generated in a temp dir (TMPDIR decides the disk).
//!
//!     cargo bench --bench history_db
//!
//! Goals: listing ≤ 50 ms, full-text search ≤ 50 ms, indexing one round ≤ 5 ms (medians).

use std::path::Path;
use std::time::{Duration, Instant};

use switchboard::chat::{AnswerStatus, Params, Usage};
use switchboard::cost::{Cost, CostSource, Usd};
use switchboard::simulator::answer_text;
use switchboard::storage::session::{RoundRecord, SCHEMA, SavedAnswer, Session, save};
use switchboard::storage::{history, index};

const SESSIONS: usize = 10_000;
const ROUNDS: u64 = 2;
const PANES: usize = 3;
/// Bytes of one answer: 10,000 sessions × 2 rounds × 3 answers × 1,700 ≈ 100 MB.
const ANSWER: usize = 1_700;

/// A small deterministic generator, so answers hold a large vocabulary as real ones do.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn word(&mut self) -> String {
        const SYLLABLES: [&str; 24] = [
            "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "qua", "zi", "do", "fe", "gu",
            "ha", "jo", "ble", "cra", "dri", "sto", "tra", "ven", "wil", "xo",
        ];
        let n = 2 + self.next() % 3;
        (0..n)
            .map(|_| SYLLABLES[(self.next() % 24) as usize])
            .collect()
    }
}

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
        tokens_per_s: Some(100.0 + slot as f64),
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

fn text(rng: &mut Lcg, seed: usize, rare: bool) -> String {
    let mut t = answer_text(seed, "a question about sorting", 200);
    t.truncate(ANSWER / 2);
    while !t.is_char_boundary(t.len()) {
        t.pop();
    }
    while t.len() < ANSWER {
        t.push(' ');
        t.push_str(&rng.word());
    }
    if rare {
        t.push_str(" zanzibarite");
    }
    t
}

fn round(rng: &mut Lcg, id: u64, n: usize, rare: bool) -> RoundRecord {
    RoundRecord {
        id,
        parent: id.checked_sub(1),
        prompt: format!("question {id} of session {n} about {}", rng.word()),
        system: None,
        params: Params::default(),
        created_ms: 1_795_805_172_000 + id,
        winner: Some(0),
        answers: (0..PANES)
            .map(|s| answer(s, text(rng, n + s, rare && s == 1)))
            .collect(),
        blind: None,
        vote: None,
        judgements: Vec::new(),
        attachments: Vec::new(),
        prompt_id: None,
    }
}

fn session(rng: &mut Lcg, n: usize) -> Session {
    let rare = n % 3_000 == 17;
    Session {
        schema: SCHEMA,
        id: format!("20261127-{n:06}-0000"),
        title: format!("session {n}"),
        created_ms: 1_795_805_172_000,
        updated_ms: 1_795_805_172_000 + n as u64,
        base_url: "https://openrouter.ai/api/v1".into(),
        models: (0..PANES).map(|s| format!("vendor/model-{s}")).collect(),
        batch: None,
        rounds: (0..ROUNDS).map(|i| round(rng, i, n, rare)).collect(),
    }
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    (median(times), last.unwrap())
}

fn main() {
    let data = tempfile::tempdir().unwrap();
    let dir = switchboard::storage::session::sessions_dir(data.path());
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Lcg(42);
    let mut answer_bytes = 0;
    let t = Instant::now();
    for n in 0..SESSIONS {
        let s = session(&mut rng, n);
        answer_bytes += s
            .rounds
            .iter()
            .flat_map(|r| &r.answers)
            .map(|a| a.text.len())
            .sum::<usize>();
        // Written plainly (no fsync per file): only the generation is faster for it.
        let path = switchboard::storage::session::path_of(&dir, &s.id);
        std::fs::write(path, serde_json::to_vec(&s).unwrap()).unwrap();
    }
    println!(
        "generated {SESSIONS} sessions, {:.1} MB of answers, in {:.1} s",
        answer_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let counts = history::rebuild(&dir).unwrap();
    let rebuild = t.elapsed();
    let db = history::db_path(&dir);
    println!(
        "rebuild from scratch: {:.2} s ({} sessions, {} answers); database {:.1} MB",
        rebuild.as_secs_f64(),
        counts.sessions,
        counts.answers,
        size(&db) as f64 / 1e6
    );

    let (list, entries) = timed(15, || index::list(&dir));
    assert_eq!(entries.len(), SESSIONS);
    // What the stale check costs on its own: listing the folder and a stat of every file.
    let (stat, _) = timed(15, || {
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .count()
    });
    println!(
        "list {SESSIONS} sessions (stat of every file included): median {} (goal ≤ 50 ms; the folder listing and stats alone: {}, done on a second thread while the database answers)",
        ms(list),
        ms(stat)
    );

    let (rare, hits) = timed(15, || history::search(&dir, "zanzibarite").unwrap());
    assert_eq!(hits.len(), 4, "{hits:?}");
    println!(
        "full-text search, a word only 4 answers hold: median {} (goal ≤ 50 ms)",
        ms(rare)
    );
    let (typing, _) = timed(15, || history::search(&dir, "zanzi").unwrap());
    println!("  as typed (prefix \"zanzi\"): median {}", ms(typing));
    let (common, hits) = timed(15, || history::search(&dir, "sorting").unwrap());
    println!(
        "  a word in every session (\"sorting\", {} hits): median {}",
        hits.len(),
        ms(common)
    );

    // Indexing after a save: the saver writes the file, then indexes the session from memory.
    let mut s = session(&mut rng, 123);
    s.id = "20261127-000123-0000".into();
    let mut index_times = Vec::new();
    for i in 0..30u64 {
        let n = s.rounds.len() as u64;
        if i % 10 == 0 {
            s.rounds.truncate(ROUNDS as usize);
        }
        let mut r = round(&mut rng, n.min(s.rounds.len() as u64), 123, false);
        r.id = s.rounds.len() as u64;
        r.parent = r.id.checked_sub(1);
        s.rounds.push(r);
        save(&dir, &s).unwrap();
        let t = Instant::now();
        history::index_saved(&dir, &s).unwrap();
        index_times.push(t.elapsed());
    }
    let (open, _) = timed(30, || history::History::open(&dir).unwrap());
    println!(
        "index one round after a save (a session of 3 to 12 rounds re-indexed): median {} (goal ≤ 5 ms; of which opening the database {})",
        ms(median(index_times)),
        ms(open)
    );
    let (stats, board) = timed(5, || {
        switchboard::storage::ratings::from_history(&dir, None)
    });
    println!(
        "scoreboard (stats, F2) from the database: median {} ({} models)",
        ms(stats),
        board.adoptions.len()
    );
}

fn size(path: &Path) -> u64 {
    let wal = {
        let mut p = path.as_os_str().to_owned();
        p.push("-wal");
        std::fs::metadata(p).map_or(0, |m| m.len())
    };
    std::fs::metadata(path).map_or(0, |m| m.len()) + wal
}
