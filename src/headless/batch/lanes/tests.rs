use std::sync::atomic::{AtomicU32, Ordering};

use super::*;

/// A fake provider: each call takes `work`; the first `fail` calls answer 429.
fn provider(
    fails: Arc<AtomicU32>,
    work: Duration,
    retry_after: Option<Duration>,
) -> impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = Try<Instant>> + Send>> {
    move || {
        let fails = fails.clone();
        Box::pin(async move {
            tokio::time::sleep(work).await;
            let left = fails.load(Ordering::SeqCst);
            if left > 0 {
                fails.store(left - 1, Ordering::SeqCst);
                Try::RateLimited(Instant::now(), retry_after)
            } else {
                Try::Done(Instant::now())
            }
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_slows_its_lane_and_not_the_other() {
    let start = Instant::now();
    let healthy = Lane::new("healthy", 2);
    let throttled = Lane::new("throttled", 2);
    let fails = Arc::new(AtomicU32::new(3));
    let mut tasks = Vec::new();
    for i in 0..6 {
        let lane = throttled.clone();
        let f = fails.clone();
        tasks.push((
            false,
            i,
            tokio::spawn(async move {
                lane.run(provider(
                    f,
                    Duration::from_millis(10),
                    Some(Duration::from_secs(5)),
                ))
                .await
            }),
        ));
        let lane = healthy.clone();
        tasks.push((
            true,
            i,
            tokio::spawn(async move {
                lane.run(provider(
                    Arc::new(AtomicU32::new(0)),
                    Duration::from_millis(10),
                    None,
                ))
                .await
            }),
        ));
    }
    let mut healthy_end = Duration::ZERO;
    let mut throttled_end = Duration::ZERO;
    for (ok, _, t) in tasks {
        let at = t.await.unwrap() - start;
        if ok {
            healthy_end = healthy_end.max(at);
        } else {
            throttled_end = throttled_end.max(at);
        }
    }
    // Six cells two at a time, 10 ms each: the healthy lane never waits.
    assert_eq!(healthy_end, Duration::from_millis(30));
    // The first two tries failed together, so the lane waited 5 s once, then its third
    // failure (a retried cell) another 5 s; every cell finished, none failed.
    assert!(
        throttled_end >= Duration::from_secs(10),
        "{throttled_end:?}"
    );
    assert!(throttled_end < Duration::from_secs(11), "{throttled_end:?}");
    assert_eq!(fails.load(Ordering::SeqCst), 0);
}

#[tokio::test(start_paused = true)]
async fn without_retry_after_the_wait_doubles_and_is_capped() {
    let lane = Lane::new("x", 1);
    let start = Instant::now();
    let fails = Arc::new(AtomicU32::new(3));
    let done = lane.run(provider(fails, Duration::ZERO, None)).await;
    // 0.5 s + 1 s + 2 s.
    assert_eq!(done - start, Duration::from_millis(3500));

    let lane = Lane::new("y", 1);
    lane.throttle(Some(Duration::from_secs(3600)));
    let left = lane.paused_until().unwrap() - Instant::now();
    assert_eq!(left, MAX_WAIT, "a huge Retry-After is capped");
}

#[tokio::test(start_paused = true)]
async fn a_cell_limited_every_time_fails_after_max_tries() {
    let lane = Lane::new("x", 1);
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let got = lane
        .run(move || {
            c.fetch_add(1, Ordering::SeqCst);
            async { Try::RateLimited("429", Some(Duration::from_millis(100))) }
        })
        .await;
    assert_eq!(got, "429");
    assert_eq!(calls.load(Ordering::SeqCst), MAX_TRIES);
}
