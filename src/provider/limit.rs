//! A cap on one SSE event's size: a server that never ends an event (a 300 MB `data:` line)
//! is a protocol error, not a reason to grow memory without bound.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;

/// The most one event (and so one line) may hold.
pub const MAX_EVENT: usize = 4 * 1024 * 1024;

/// What the capped stream fails with: the inner transport's error, or an event too long.
#[derive(Debug)]
pub enum CapError {
    Inner(Box<dyn std::error::Error + Send + Sync>),
    TooLong(usize),
}

impl std::fmt::Display for CapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CapError::Inner(e) => e.fmt(f),
            CapError::TooLong(max) => write!(
                f,
                "the server sent one event longer than {} MiB",
                max / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for CapError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CapError::Inner(e) => Some(e.as_ref()),
            CapError::TooLong(_) => None,
        }
    }
}

/// Passes bytes through, counting those since the last blank line (an event's end).
pub struct EventCap<B> {
    inner: B,
    max: usize,
    since_break: usize,
    /// The last byte was a line feed (a `\r` in between is ignored).
    after_newline: bool,
    failed: bool,
    /// The error to give after the complete events that came before it went through.
    pending: Option<CapError>,
}

impl<B> EventCap<B> {
    pub fn new(inner: B, max: usize) -> EventCap<B> {
        EventCap {
            inner,
            max,
            since_break: 0,
            after_newline: false,
            failed: false,
            pending: None,
        }
    }
}

impl<B, E> Stream for EventCap<B>
where
    B: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
{
    type Item = Result<Bytes, CapError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(e) = self.pending.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if self.failed {
            return Poll::Ready(None);
        }
        let item = match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(bytes))) => bytes,
            Poll::Ready(Some(Err(e))) => {
                return Poll::Ready(Some(Err(CapError::Inner(Box::new(e)))));
            }
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => return Poll::Pending,
        };
        // The end of the last complete event in this piece, to pass on before failing.
        let mut boundary = 0;
        for (i, &b) in item.iter().enumerate() {
            match b {
                b'\n' if self.after_newline => {
                    self.since_break = 0;
                    boundary = i + 1;
                }
                b'\n' => self.after_newline = true,
                b'\r' => {}
                _ => {
                    self.after_newline = false;
                    self.since_break += 1;
                }
            }
            if self.since_break > self.max {
                self.failed = true;
                let error = CapError::TooLong(self.max);
                if boundary == 0 {
                    return Poll::Ready(Some(Err(error)));
                }
                self.pending = Some(error);
                return Poll::Ready(Some(Ok(item.slice(..boundary))));
            }
        }
        Poll::Ready(Some(Ok(item)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    async fn run(pieces: Vec<&'static [u8]>, max: usize) -> Vec<Result<usize, String>> {
        let inner = futures_util::stream::iter(
            pieces
                .into_iter()
                .map(|p| Ok::<_, std::io::Error>(Bytes::from_static(p))),
        );
        EventCap::new(inner, max)
            .map(|r| r.map(|b| b.len()).map_err(|e| e.to_string()))
            .collect()
            .await
    }

    #[tokio::test]
    async fn events_under_the_cap_pass_and_a_longer_one_fails_once() {
        let ok = run(vec![b"data: 12345\n\n", b"data: 67890\r\n\r\n"], 11).await;
        assert_eq!(ok, vec![Ok(13), Ok(15)]);
        let long = run(vec![b"data: 1234", b"567890\n", b"more"], 11).await;
        assert_eq!(long.len(), 2, "{long:?}");
        assert_eq!(long[0], Ok(10));
        assert!(long[1].as_ref().unwrap_err().contains("longer than"));
        // Complete events in the piece that crosses the cap still go through first.
        let mixed = run(vec![b"data: ok\n\ndata: 0123456789xx"], 11).await;
        assert_eq!(mixed[0], Ok(10), "{mixed:?}");
        assert!(mixed[1].is_err());
        // A multi-line event counts as one.
        let lines = run(vec![b"data: 1234\ndata: 5678\n"], 11).await;
        assert!(lines[0].is_err());
    }
}
