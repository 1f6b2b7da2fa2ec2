//! A session's rows: the session, its rounds, answers, votes and verdicts, and its texts in
//! the full-text index, written inside the caller's transaction.

use std::collections::HashMap;

use rusqlite::{Transaction, params};
use serde::Serialize;

use crate::storage::index::summarize;
use crate::storage::session::Session;

/// A serde enum's name as the session file writes it (`complete`, `all_bad`, `reported`).
fn name_of(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// A text's place: its round, its answer's position in the round (-1 for the prompt), and
/// which text of it.
type TextKey = (i64, i64, &'static str);

/// Brings the session's rows in `texts` and `search` up to date, leaving alone the texts
/// that did not change: after a save during a stream only the growing answers are indexed
/// again, not the whole session.
pub(super) fn put_texts(tx: &Transaction, s: &Session) -> rusqlite::Result<()> {
    let mut old: HashMap<TextKey, (i64, i64)> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT id, round, pos, field, hash FROM texts WHERE session_id = ?1",
        )?;
        let mut rows = stmt.query([&s.id])?;
        while let Some(r) = rows.next()? {
            let field = match r.get_ref(3)?.as_str()? {
                "prompt" => "prompt",
                "answer" => "answer",
                _ => "reasoning",
            };
            let key = (r.get(1)?, r.get::<_, Option<i64>>(2)?.unwrap_or(-1), field);
            old.insert(key, (r.get(0)?, r.get(4)?));
        }
    }
    for r in &s.rounds {
        let round = r.id as i64;
        put_text(tx, &mut old, &s.id, (round, -1, "prompt"), &r.prompt)?;
        for (pos, a) in r.answers.iter().enumerate() {
            let pos = pos as i64;
            put_text(tx, &mut old, &s.id, (round, pos, "answer"), &a.text)?;
            put_text(tx, &mut old, &s.id, (round, pos, "reasoning"), &a.reasoning)?;
        }
    }
    for (id, _) in old.into_values() {
        delete_text(tx, id)?;
    }
    Ok(())
}

fn delete_text(tx: &Transaction, id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute([id])?;
    tx.prepare_cached("DELETE FROM texts WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// A 64-bit hash of a text, to tell whether it changed. Its value may differ between Rust
/// versions: then every text is indexed once more, nothing worse.
fn hash(text: &str) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish() as i64
}

fn put_text(
    tx: &Transaction,
    old: &mut HashMap<TextKey, (i64, i64)>,
    id: &str,
    key: TextKey,
    body: &str,
) -> rusqlite::Result<()> {
    let hash = hash(body);
    match old.remove(&key) {
        Some((_, was)) if was == hash && !body.is_empty() => return Ok(()),
        Some((text, _)) => delete_text(tx, text)?,
        None => {}
    }
    if body.is_empty() {
        return Ok(());
    }
    let (round, pos, field) = key;
    tx.prepare_cached(
        "INSERT INTO texts (session_id, round, pos, field, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, round, (pos >= 0).then_some(pos), field, hash])?;
    let rowid = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO search (rowid, body) VALUES (?1, ?2)")?
        .execute(params![rowid, body])?;
    Ok(())
}

pub(super) fn put_session(tx: &Transaction, file: &str, s: &Session) -> rusqlite::Result<()> {
    let sum = summarize(s);
    tx.prepare_cached(
        "INSERT INTO sessions (id, file, title, created_ms, updated_ms, base_url, models, rounds,
         cost, estimated, unpriced, prompts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        s.id,
        file,
        s.title,
        s.created_ms as i64,
        s.updated_ms as i64,
        s.base_url,
        json_list(&s.models),
        s.rounds.len() as i64,
        sum.cost.to_decimal(),
        sum.estimated,
        sum.unpriced as i64,
        sum.prompts,
    ])?;
    if let Some(b) = &s.batch {
        tx.prepare_cached(
            "INSERT INTO batches (session_id, source, prompts, models) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            s.id,
            b.source,
            b.prompts as i64,
            json_list(&b.models)
        ])?;
    }
    for r in &s.rounds {
        let round = r.id as i64;
        tx.prepare_cached(
            "INSERT INTO rounds (session_id, round, parent, prompt, system, created_ms, blind,
             hidden, winner, prompt_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            s.id,
            round,
            r.parent.map(|p| p as i64),
            r.prompt,
            r.system,
            r.created_ms as i64,
            r.blind.is_some(),
            r.blind.is_some_and(|b| !b.revealed),
            r.winner.map(|w| w as i64),
            r.prompt_id,
        ])?;
        for (pos, a) in r.answers.iter().enumerate() {
            let usage = a.usage.as_ref();
            tx.prepare_cached(
                "INSERT INTO answers (session_id, round, pos, slot, model, served_model, provider,
                 status, prompt_tokens, completion_tokens, reasoning_tokens, cost, cost_source,
                 estimated, ttft_ms, duration_ms, tokens_per_s, adopted, archived, finish_reason,
                 error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                 ?16, ?17, ?18, ?19, ?20, ?21)",
            )?
            .execute(params![
                s.id,
                round,
                pos as i64,
                a.slot as i64,
                a.model,
                a.served_model,
                a.provider,
                name_of(&a.status),
                usage.map(|u| u.prompt_tokens as i64),
                usage.map(|u| u.completion_tokens as i64),
                usage.map(|u| u.reasoning_tokens as i64),
                a.cost.map(|c| c.usd.to_decimal()),
                a.cost.map(|c| name_of(&c.source)),
                a.cost.is_some_and(|c| !c.is_exact()),
                a.ttft_ms.map(|t| t as i64),
                a.duration_ms.map(|t| t as i64),
                a.tokens_per_s,
                r.is_adopted(a),
                a.archived,
                a.finish_reason,
                a.error,
            ])?;
        }
        put_votes(tx, &s.id, r)?;
    }
    Ok(())
}

fn put_votes(
    tx: &Transaction,
    id: &str,
    r: &crate::storage::session::RoundRecord,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO votes (session_id, round, seq, judge, verdict, best, models, blind, cost,
         at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let round = r.id as i64;
    if let Some(v) = &r.vote {
        insert.execute(params![
            id,
            round,
            0,
            None::<String>,
            name_of(&v.verdict),
            v.best,
            json_list(&v.models),
            v.blind,
            None::<String>,
            v.at_ms as i64,
        ])?;
    }
    for (seq, j) in r.judgements.iter().enumerate() {
        let priced = j.runs.iter().any(|run| run.cost.is_some());
        let cost = priced.then(|| crate::cost::Spent::sum(j.costs()).total.to_decimal());
        insert.execute(params![
            id,
            round,
            seq as i64 + 1,
            j.judge,
            name_of(&j.verdict),
            j.best,
            json_list(&j.models),
            None::<bool>,
            cost,
            j.at_ms as i64,
        ])?;
    }
    Ok(())
}
