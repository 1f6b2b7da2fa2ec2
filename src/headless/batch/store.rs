//! A batch's session, saved as it grows without being held in memory: the file is written
//! one round a line (`{…,"rounds":[` / `{round}` lines / `]}`), so each save copies the
//! rounds already on disk byte for byte and adds the new ones, through the same atomic
//! write as every session (temp file, fsync, rename). Any JSON reader reads it as usual.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::chat::AnswerStatus;
use crate::storage::session::{self, RoundRecord, SavedAnswer, Session, SessionLock};

/// How often, at most, the file is rewritten while rounds come in: each save copies the
/// whole file, so saving every round would make a long batch quadratic. The results file has
/// every answer meanwhile, and `--resume` rebuilds what a kill lost from it.
pub const SAVE_EVERY: Duration = Duration::from_secs(2);
/// A save waits this many times as long as the last one took: saves of a large file then
/// take a twentieth of the time at most.
const SAVE_SHARE: u32 = 20;

const TAIL: &[u8] = b"\n]}\n";

pub struct Store {
    dir: PathBuf,
    /// The session without its rounds.
    head: Session,
    /// Rounds in the file plus those waiting to be written.
    rounds: u64,
    /// Bytes of the header line and of the round lines in the file as it is now.
    file_header: u64,
    file_body: u64,
    /// Round lines not yet in the session file, in an unnamed temporary file: between two
    /// saves of a large session they may be megabytes, which memory need not hold.
    pending: File,
    pending_len: u64,
    last_save: Instant,
    /// How long the last save took.
    save_took: Duration,
    _lock: SessionLock,
}

/// What an earlier run of the batch left in the session.
#[derive(Debug, Default)]
pub struct Earlier {
    /// Prompts whose round has every model's answer complete.
    pub done: HashSet<String>,
    /// Completed answers of prompts whose round had a failed answer: that round is taken
    /// out, and written again with the new answers once they are in.
    pub carried: HashMap<String, Vec<SavedAnswer>>,
    /// What else those rounds held (your vote, judges' verdicts, a blind seed, the failed
    /// attempts, paid for, as archived answers): written again with them.
    pub kept: HashMap<String, RoundRecord>,
}

fn header_bytes(head: &Session) -> std::io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(head).map_err(std::io::Error::other)?;
    // `rounds` is the last field: `…,"rounds":[]}` loses its `]}` and the rounds follow.
    if !bytes.ends_with(b"\"rounds\":[]}") {
        return Err(std::io::Error::other(
            "rounds is not the session's last field",
        ));
    }
    bytes.truncate(bytes.len() - 2);
    Ok(bytes)
}

fn lock(dir: &Path, id: &str) -> std::io::Result<SessionLock> {
    SessionLock::acquire(dir, id)?.ok_or_else(|| {
        std::io::Error::other(format!(
            "session {id} is open in another switchboard: close it first"
        ))
    })
}

impl Store {
    /// A new session `head.id` (its rounds empty), written at the first save.
    pub fn create(dir: &Path, head: Session) -> std::io::Result<Store> {
        let lock = lock(dir, &head.id)?;
        Store::empty(dir, head, lock)
    }

    /// A store with nothing written yet, holding the session's lock.
    fn empty(dir: &Path, head: Session, lock: SessionLock) -> std::io::Result<Store> {
        Ok(Store {
            dir: dir.to_path_buf(),
            head,
            rounds: 0,
            file_header: 0,
            file_body: 0,
            pending: tempfile::tempfile_in(dir)?,
            pending_len: 0,
            last_save: Instant::now(),
            save_took: Duration::ZERO,
            _lock: lock,
        })
    }

    /// Continues session `id` (`--resume`): its rounds are read one at a time; a round with
    /// an answer that is not complete is taken out (its complete answers are returned, to
    /// go back in with the new ones), the rest renumbered in order. A file the playground
    /// saved since (one line) is read whole, once, and written back a round a line.
    pub fn resume(
        dir: &Path,
        id: &str,
        batch: session::BatchInfo,
        models: &[String],
    ) -> std::io::Result<(Store, Earlier)> {
        let lock = lock(dir, id)?;
        let path = session::path_of(dir, id);
        let mut earlier = Earlier::default();
        // The header and every round, as a stream when the file has our layout.
        let mut head;
        let mut rounds: Box<dyn Iterator<Item = std::io::Result<RoundRecord>>>;
        match layout_of(&path)? {
            Some(first) => {
                head = serde_json::from_slice::<Session>(&[&first[..], b"]}"].concat())
                    .map_err(std::io::Error::other)?;
                let reader = BufReader::new(File::open(&path)?);
                rounds = Box::new(reader.split(b'\n').skip(1).filter_map(|line| {
                    let line = match line {
                        Ok(l) => l,
                        Err(e) => return Some(Err(e)),
                    };
                    let line = line.strip_suffix(b",").unwrap_or(&line);
                    let line = line.strip_prefix(b",").unwrap_or(line);
                    if line.is_empty() || line == b"]}" {
                        return None;
                    }
                    Some(serde_json::from_slice(line).map_err(std::io::Error::other))
                }));
            }
            None => {
                let mut s = session::load(&path).map_err(|e| {
                    std::io::Error::other(format!("session {id} cannot be continued: {e}"))
                })?;
                let all = std::mem::take(&mut s.rounds);
                head = s;
                rounds = Box::new(all.into_iter().map(Ok));
            }
        }
        head.id = id.to_string();
        head.batch = Some(batch);
        let mut store = Store::empty(dir, head, lock)?;
        // Old round ids to new ones, for the parents of rounds continued in the playground.
        let mut new_ids: Vec<Option<u64>> = Vec::new();
        let header = header_bytes(&store.head)?;
        let mut body_len = 0u64;
        crate::storage::write_atomic_with(&path, 0o600, |w| {
            w.write_all(&header)?;
            for round in rounds.by_ref() {
                let mut round = round?;
                let old = round.id as usize;
                if new_ids.len() <= old {
                    new_ids.resize(old + 1, None);
                }
                if let Some(pid) = round.prompt_id.clone() {
                    // Complete when every model of the batch has a complete answer in it.
                    let complete = models.iter().all(|m| {
                        round.answers.iter().any(|a| {
                            &a.model == m && !a.archived && a.status == AnswerStatus::Complete
                        })
                    });
                    if !complete {
                        let (done, mut rest): (Vec<_>, Vec<_>) = std::mem::take(&mut round.answers)
                            .into_iter()
                            .partition(|a| !a.archived && a.status == AnswerStatus::Complete);
                        for a in &mut rest {
                            a.archived = true;
                        }
                        round.answers = rest;
                        earlier.carried.insert(pid.clone(), done);
                        earlier.kept.insert(pid, round);
                        continue;
                    }
                    earlier.done.insert(pid);
                }
                round.id = store.rounds;
                round.parent = round
                    .parent
                    .and_then(|p| new_ids.get(p as usize).copied().flatten());
                new_ids[old] = Some(round.id);
                let line = round_line(&round, store.rounds)?;
                body_len += line.len() as u64;
                w.write_all(&line)?;
                store.rounds += 1;
            }
            w.write_all(TAIL)
        })?;
        store.file_header = header.len() as u64;
        store.file_body = body_len;
        Ok((store, earlier))
    }

    pub fn id(&self) -> &str {
        &self.head.id
    }

    /// Adds a round (its id is set here); saved at the next [`Store::maybe_save`].
    pub fn push(&mut self, mut round: RoundRecord) -> std::io::Result<()> {
        round.id = self.rounds;
        let line = round_line(&round, self.rounds)?;
        self.pending.write_all(&line)?;
        self.pending_len += line.len() as u64;
        self.rounds += 1;
        Ok(())
    }

    /// Saves when rounds wait and the last save is [`SAVE_EVERY`] old.
    pub fn maybe_save(&mut self, now_ms: u64) -> std::io::Result<()> {
        let wait = SAVE_EVERY.max(self.save_took * SAVE_SHARE);
        if self.pending_len > 0 && self.last_save.elapsed() >= wait {
            self.save(now_ms)?;
        }
        Ok(())
    }

    /// Writes the file: the header, the rounds already on disk (copied), the new ones.
    pub fn save(&mut self, now_ms: u64) -> std::io::Result<()> {
        if self.pending_len == 0 {
            return Ok(());
        }
        let started = Instant::now();
        self.head.updated_ms = now_ms;
        let header = header_bytes(&self.head)?;
        let path = session::path_of(&self.dir, &self.head.id);
        let mut old = if self.file_body > 0 {
            let mut f = File::open(&path)?;
            f.seek(SeekFrom::Start(self.file_header))?;
            Some(f.take(self.file_body))
        } else {
            None
        };
        crate::storage::write_atomic_with(&path, 0o600, |w| {
            w.write_all(&header)?;
            if let Some(old) = old.as_mut() {
                let copied = std::io::copy(old, w)?;
                if copied != self.file_body {
                    return Err(std::io::Error::other(
                        "the session file changed under the batch",
                    ));
                }
            }
            self.pending.seek(SeekFrom::Start(0))?;
            let copied = std::io::copy(&mut (&self.pending).take(self.pending_len), w)?;
            if copied != self.pending_len {
                return Err(std::io::Error::other(
                    "the pending rounds could not be read back",
                ));
            }
            w.write_all(TAIL)
        })?;
        self.file_header = header.len() as u64;
        self.file_body += self.pending_len;
        self.pending.set_len(0)?;
        self.pending.seek(SeekFrom::Start(0))?;
        self.pending_len = 0;
        self.last_save = Instant::now();
        self.save_took = started.elapsed();
        Ok(())
    }
}

/// A round as one line: `\n{…}` for the first, `,\n{…}` after (JSON escapes every newline
/// inside strings, so a round never spans lines).
fn round_line(round: &RoundRecord, index: u64) -> std::io::Result<Vec<u8>> {
    let mut line = Vec::with_capacity(4096);
    line.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
    serde_json::to_writer(&mut line, round).map_err(std::io::Error::other)?;
    Ok(line)
}

/// The first line of a session file written a round a line (ending in `"rounds":[`), or
/// `None` when the file is in another layout.
fn layout_of(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let mut first = Vec::new();
    BufReader::new(File::open(path)?).read_until(b'\n', &mut first)?;
    let first = first.strip_suffix(b"\n").map(<[u8]>::to_vec);
    Ok(first.filter(|f| f.ends_with(b"\"rounds\":[")))
}

#[cfg(test)]
mod tests;
