//! The request driver: sends a chat request, retries what may be retried, reads the SSE body
//! through `sse-stream`, and reports every event and exactly one end to a sink.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sse_stream::SseByteStream;
use tokio::sync::mpsc;

use crate::chat::{ErrorKind, StreamEnd, StreamError, StreamEvent};

use super::decode::{ChunkDecoder, Flow};
use super::dialects::Kind;
use super::errors::{error_and_body, error_from_reqwest, no_key_sent, web_page_error};
use super::request;
use super::{ChatRequest, Endpoint, StreamOptions};

/// Where stream events go. `emit` returns false when nobody listens any more.
pub trait EventSink {
    fn emit(&mut self, event: StreamEvent) -> impl Future<Output = bool> + Send;
}

impl EventSink for Vec<StreamEvent> {
    fn emit(&mut self, event: StreamEvent) -> impl Future<Output = bool> + Send {
        self.push(event);
        std::future::ready(true)
    }
}

/// Sends events tagged with their origin (a pane and request id, an answer index) into a
/// bounded channel, so a fast stream waits for a slow consumer instead of growing memory.
pub struct Tagged<T> {
    pub tag: T,
    pub tx: mpsc::Sender<(T, StreamEvent)>,
}

impl<T: Clone + Send + Sync + 'static> EventSink for Tagged<T> {
    fn emit(&mut self, event: StreamEvent) -> impl Future<Output = bool> + Send {
        let tx = self.tx.clone();
        let tag = self.tag.clone();
        async move { tx.send((tag, event)).await.is_ok() }
    }
}

fn retryable(status: Option<u16>) -> bool {
    matches!(status, Some(429 | 502 | 503))
}

fn retry_wait(err: &StreamError, attempt: u32, opts: &StreamOptions) -> Duration {
    let backoff = Duration::from_millis(500 * 2u64.pow(attempt.min(6)));
    err.retry_after.unwrap_or(backoff).min(opts.max_retry_wait)
}

/// Streams one chat request into `sink`, ending with exactly one [`StreamEvent::End`].
/// Retries 429/502/503 answered before any token; never retries a stream that started.
/// A 400 or 422 that names a field the endpoint refuses is sent once more without it (or
/// renamed as the server says), at most once per field, and remembered.
pub async fn run_chat<S: EventSink + Send>(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    request: &ChatRequest,
    opts: &StreamOptions,
    sink: &mut S,
) {
    let learned = opts
        .memory
        .as_ref()
        .map(|m| m.learned(&endpoint.base_url, &request.model))
        .unwrap_or_default();
    let mut built = request::build(request, endpoint.kind.dialect(), &learned);
    for adj in built.adjusted.clone() {
        if !sink.emit(StreamEvent::Adjusted(adj)).await {
            return;
        }
    }
    let mut attempt = 0;
    let mut heals = 0;
    let end = loop {
        let mut body = serde_json::Value::Object(built.body.clone());
        if let Some(routing) = &opts.routing {
            routing.apply(&mut body);
        }
        let req = endpoint.authorize(client.post(endpoint.url("chat/completions")).json(&body));
        let resp = match req.send().await {
            Ok(resp) => resp,
            Err(e) => break StreamEnd::Failed(error_from_reqwest(&e, false)),
        };
        if !resp.status().is_success() {
            let (mut err, text) = error_and_body(resp).await;
            if endpoint.api_key.is_none() {
                err = no_key_sent(err);
            }
            err = super::errors::context_too_long(err, &text, &request.model);
            if heals < request::MAX_HEALS
                && let Some((adj, whole_field)) =
                    request::heal(&mut built, &endpoint.redact(err.clone()), &text)
            {
                heals += 1;
                if whole_field && let Some(memory) = &opts.memory {
                    memory.learn(&endpoint.base_url, &request.model, &adj);
                }
                if !sink.emit(StreamEvent::Adjusted(adj)).await {
                    return;
                }
                continue;
            }
            if retryable(err.code) && attempt < opts.max_retries {
                attempt += 1;
                let wait = retry_wait(&err, attempt, opts);
                let notice = StreamEvent::Retrying {
                    attempt,
                    wait,
                    error: endpoint.redact(err),
                };
                if !sink.emit(notice).await {
                    return;
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            break StreamEnd::Failed(err);
        }
        if let Some(id) = resp
            .headers()
            .get("x-generation-id")
            .and_then(|v| v.to_str().ok())
            && !sink.emit(StreamEvent::Generation(id.to_string())).await
        {
            return;
        }
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("text/html") {
            let (_, page) = error_and_body(resp).await;
            break StreamEnd::Failed(web_page_error(&page));
        }
        let (end, produced) = if content_type.starts_with("application/json") {
            match whole_body(resp, endpoint.kind, sink).await {
                Some(done) => done,
                None => return,
            }
        } else {
            match drive(resp.bytes_stream(), endpoint.kind, sink).await {
                Some(done) => done,
                None => return,
            }
        };
        // An error inside a 200 before any token is what its code says: retried like one.
        if let StreamEnd::Failed(err) = &end
            && !produced
            && retryable(err.code)
            && attempt < opts.max_retries
        {
            attempt += 1;
            let wait = retry_wait(err, attempt, opts);
            let notice = StreamEvent::Retrying {
                attempt,
                wait,
                error: endpoint.redact(err.clone()),
            };
            if !sink.emit(notice).await {
                return;
            }
            tokio::time::sleep(wait).await;
            continue;
        }
        break end;
    };
    let end = match end {
        StreamEnd::Failed(e) => StreamEnd::Failed(endpoint.redact(e)),
        other => other,
    };
    sink.emit(StreamEvent::End(end)).await;
}

/// A server that ignored `stream: true` and answered with one JSON completion (or error),
/// and whether it held any token.
async fn whole_body<S: EventSink>(
    resp: reqwest::Response,
    kind: Kind,
    sink: &mut S,
) -> Option<(StreamEnd, bool)> {
    let mut decoder = ChunkDecoder::for_kind(kind);
    let body = match resp.bytes().await {
        Ok(body) => body,
        Err(e) => return Some((StreamEnd::Failed(error_from_reqwest(&e, true)), false)),
    };
    let mut events = Vec::new();
    decoder.feed(&String::from_utf8_lossy(&body), &mut events);
    decoder.flush(&mut events);
    for event in events {
        if !sink.emit(event).await {
            return None;
        }
    }
    let produced = decoder.produced_tokens();
    Some((decoder.finish(true, None), produced))
}

/// Reads an SSE byte stream to `[DONE]` or its end. Returns `None` if the sink went away.
pub async fn drive_sse<B, E, S>(bytes: B, kind: Kind, sink: &mut S) -> Option<StreamEnd>
where
    B: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
    S: EventSink,
{
    drive(bytes, kind, sink).await.map(|(end, _)| end)
}

/// [`drive_sse`], also saying whether any token arrived.
async fn drive<B, E, S>(bytes: B, kind: Kind, sink: &mut S) -> Option<(StreamEnd, bool)>
where
    B: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
    S: EventSink,
{
    let mut sse = SseByteStream::new(super::limit::EventCap::new(bytes, super::limit::MAX_EVENT));
    let mut decoder = ChunkDecoder::for_kind(kind);
    let mut events = Vec::new();
    let mut saw_done = false;
    let mut transport = None;
    while let Some(item) = sse.next().await {
        match item {
            Ok(sse) => {
                let Some(data) = sse.data else { continue };
                let flow = decoder.feed(&data, &mut events);
                for event in events.drain(..) {
                    if !sink.emit(event).await {
                        return None;
                    }
                }
                if flow == Flow::Done {
                    saw_done = true;
                    break;
                }
            }
            Err(err) => {
                transport = Some(sse_error(err));
                break;
            }
        }
    }
    decoder.flush(&mut events);
    for event in events.drain(..) {
        if !sink.emit(event).await {
            return None;
        }
    }
    let produced = decoder.produced_tokens();
    Some((decoder.finish(saw_done, transport), produced))
}

fn sse_error(err: sse_stream::Error) -> StreamError {
    match err {
        sse_stream::Error::Body(inner) => match inner.downcast_ref::<super::limit::CapError>() {
            Some(super::limit::CapError::TooLong(_)) => StreamError::new(
                ErrorKind::Protocol,
                format!("{inner}; the stream was stopped and the text before it is kept"),
            ),
            Some(super::limit::CapError::Inner(e)) => match e.downcast_ref::<reqwest::Error>() {
                Some(e) => error_from_reqwest(e, true),
                None => StreamError::new(
                    ErrorKind::Dropped,
                    format!("the stream broke mid-answer ({e}); the partial answer is kept"),
                ),
            },
            None => StreamError::new(
                ErrorKind::Dropped,
                format!("the stream broke mid-answer ({inner}); the partial answer is kept"),
            ),
        },
        sse_stream::Error::Utf8Parse(_) => StreamError::new(
            ErrorKind::Protocol,
            "the server sent invalid UTF-8; the partial answer is kept",
        ),
        other => StreamError::new(ErrorKind::Protocol, format!("unreadable stream: {other}")),
    }
}

/// Decodes a whole recorded SSE body delivered in the given pieces (tests, fixtures), as
/// OpenRouter's dialect.
pub async fn decode_body(pieces: Vec<Vec<u8>>) -> Vec<StreamEvent> {
    decode_body_as(Kind::OpenRouter, pieces).await
}

/// Decodes a whole recorded SSE body in one endpoint kind's dialect.
pub async fn decode_body_as(kind: Kind, pieces: Vec<Vec<u8>>) -> Vec<StreamEvent> {
    let stream = futures_util::stream::iter(
        pieces
            .into_iter()
            .map(|p| Ok::<_, std::io::Error>(Bytes::from(p))),
    );
    let mut events = Vec::new();
    if let Some(end) = drive_sse(stream, kind, &mut events).await {
        events.push(StreamEvent::End(end));
    }
    events
}
