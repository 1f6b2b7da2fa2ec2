//! The batch scheduler's lanes: one per provider, each with its own number of requests at
//! once and one shared backoff. A 429 slows its whole lane (every request of that provider
//! waits out the `Retry-After`), and the cell is tried again rather than failed; the other
//! lanes do not notice. Pure of I/O: a test drives it with tokio's paused clock.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

/// The longest wait a `Retry-After` may impose on a lane.
pub const MAX_WAIT: Duration = Duration::from_secs(60);
/// The first wait when a 429 gives no `Retry-After`; it doubles with each 429 in a row.
pub const FIRST_WAIT: Duration = Duration::from_millis(500);
/// Tries of one cell rate limited in a row before it is reported as failed.
pub const MAX_TRIES: u32 = 8;

/// One provider's lane.
pub struct Lane {
    pub name: String,
    permits: Arc<Semaphore>,
    backoff: Mutex<Backoff>,
}

#[derive(Default)]
struct Backoff {
    /// No request starts before this.
    until: Option<Instant>,
    /// 429s in a row (reset by any other outcome).
    streak: u32,
}

/// What one try of a cell came to.
pub enum Try<T> {
    Done(T),
    /// A 429 before any token: the lane waits, and the cell is tried again.
    RateLimited(T, Option<Duration>),
}

impl Lane {
    pub fn new(name: impl Into<String>, concurrency: usize) -> Arc<Lane> {
        Arc::new(Lane {
            name: name.into(),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            backoff: Mutex::new(Backoff::default()),
        })
    }

    /// When the lane may send again, if it is waiting.
    pub fn paused_until(&self) -> Option<Instant> {
        let b = self.backoff.lock().unwrap_or_else(|e| e.into_inner());
        b.until.filter(|u| *u > Instant::now())
    }

    /// A 429 came: the whole lane waits `retry_after` (capped), or an exponential wait
    /// without one. A later, shorter wait never shortens a longer one already set.
    pub fn throttle(&self, retry_after: Option<Duration>) {
        let mut b = self.backoff.lock().unwrap_or_else(|e| e.into_inner());
        let exp = FIRST_WAIT
            .saturating_mul(1 << b.streak.min(10))
            .min(MAX_WAIT);
        b.streak += 1;
        let wait = retry_after.map_or(exp, |r| r.min(MAX_WAIT));
        let until = Instant::now() + wait;
        b.until = Some(b.until.map_or(until, |u| u.max(until)));
    }

    fn settled(&self) {
        self.backoff
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .streak = 0;
    }

    /// Runs one cell in this lane: waits for a free slot and for the lane's backoff, tries,
    /// and tries again after a 429 (at most [`MAX_TRIES`] times; then the last try is the
    /// result). `attempt` is called once per try.
    pub async fn run<T, F, Fut>(&self, mut attempt: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Try<T>>,
    {
        let mut tries = 0;
        loop {
            let permit = self.permits.clone().acquire_owned().await;
            // A 429 that came while this cell waited for its slot holds it back too.
            while let Some(until) = self.paused_until() {
                tokio::time::sleep_until(until).await;
            }
            tries += 1;
            let outcome = attempt().await;
            drop(permit);
            match outcome {
                Try::Done(t) => {
                    self.settled();
                    return t;
                }
                Try::RateLimited(t, retry_after) => {
                    self.throttle(retry_after);
                    if tries >= MAX_TRIES {
                        return t;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
