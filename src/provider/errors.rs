//! Failures in words a user can act on: HTTP error bodies, in-band error chunks and transport
//! errors become [`StreamError`]s with one-line messages.

use std::time::Duration;

use crate::chat::{ErrorKind, StreamError};
use crate::sanitize::single_line;

use super::wire::WireError;

mod context;
pub use context::context_too_long;

const MAX_ERROR_BODY: usize = 64 * 1024;
const MAX_DETAIL_CHARS: usize = 300;

fn clip(text: &str) -> String {
    let flat = single_line(text.trim());
    let mut out: String = flat.chars().take(MAX_DETAIL_CHARS).collect();
    if flat.chars().count() > MAX_DETAIL_CHARS {
        out.push('…');
    }
    out
}

fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Auth,
        402 => ErrorKind::Credits,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Request,
    }
}

fn hint(status: u16) -> &'static str {
    match status {
        401 => "check the API key (OPENROUTER_API_KEY for OpenRouter)",
        402 => "add credits at https://openrouter.ai/credits or pick a free model",
        403 => "the key may lack permission, or a moderation or guardrail rule blocked the prompt",
        404 => "check the model id (`switchboard models` lists them)",
        408 | 524 => "the provider took too long; try again",
        413 => "the prompt is too large for this model",
        429 => "rate limited; wait a little or pick another model",
        500..=599 => "the provider failed; try again or pick another model",
        _ => "",
    }
}

/// The message of a JSON error body: `{error:{message,metadata.raw}}`, `{error:"..."}`,
/// `{message}` or `{detail}` (FastAPI-based servers).
pub(super) fn json_error_message(body: &str) -> Option<(String, Option<u16>)> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    if let Some(err) = value.get("error") {
        let raw = serde_json::value::to_raw_value(err).ok()?;
        let wire = WireError::from_raw(&raw);
        let mut message = wire.message.clone().unwrap_or_default();
        if let Some(raw) = wire.raw_detail() {
            message = format!("{message}: {raw}");
        }
        if let Some(provider) = wire.provider_name() {
            message = format!("{message} [{provider}]");
        }
        return Some((message, wire.numeric_code()));
    }
    for key in ["message", "detail"] {
        if let Some(text) = value.get(key) {
            let text = text
                .as_str()
                .map_or_else(|| text.to_string(), str::to_string);
            return Some((text, None));
        }
    }
    None
}

/// A one-line description of a non-JSON body (an HTML proxy page, plain text).
fn non_json_excerpt(body: &str) -> String {
    let lower = body.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>"))
        && start + 7 <= end
    {
        return format!("a non-JSON page titled \"{}\"", clip(&body[start + 7..end]));
    }
    if body.trim().is_empty() {
        return "an empty body".to_string();
    }
    format!(
        "a non-JSON body: \"{}\"",
        clip(&body.chars().take(80).collect::<String>())
    )
}

/// Seconds from a `Retry-After` header (integer or decimal seconds; HTTP dates are ignored).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// Builds the error of a non-success HTTP status from its headers and body.
pub fn http_error(
    status: u16,
    reason: &str,
    retry_after: Option<Duration>,
    body: &str,
) -> StreamError {
    let detail = match json_error_message(body) {
        Some((msg, _)) if !msg.trim().is_empty() => clip(&msg),
        _ => format!("the server sent {}", non_json_excerpt(body)),
    };
    let mut message = format!("HTTP {status} {reason}: {detail}");
    let hint = match hint(status) {
        "" if status == 400 && detail.to_lowercase().contains("model") => hint(404),
        h => h,
    };
    if !hint.is_empty() {
        message.push_str(" — ");
        message.push_str(hint);
    }
    if let Some(wait) = retry_after {
        message.push_str(&format!(" (retry after {}s)", wait.as_secs_f64().ceil()));
    }
    StreamError {
        kind: kind_for_status(status),
        message,
        code: Some(status),
        retry_after,
    }
}

/// Reads a failed response (bounded) into a [`StreamError`].
pub async fn error_from_response(resp: reqwest::Response) -> StreamError {
    error_and_body(resp).await.0
}

/// Reads a failed response (bounded) into a [`StreamError`], keeping the body it sent.
pub async fn error_and_body(resp: reqwest::Response) -> (StreamError, String) {
    let status = resp.status();
    if status.is_redirection() {
        let to = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| resp.url().join(l).ok())
            .map_or_else(
                || "elsewhere".to_string(),
                |u| u.host_str().unwrap_or("elsewhere").to_string(),
            );
        let err = StreamError {
            kind: ErrorKind::Request,
            message: format!(
                "HTTP {}: the server redirects to {} — switchboard does not follow a redirect to another host, so your key stays with this one; check the base URL",
                status.as_u16(),
                clip(&to)
            ),
            code: Some(status.as_u16()),
            retry_after: None,
        };
        return (err, String::new());
    }
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let mut body = Vec::new();
    let mut resp = resp;
    while let Ok(Some(chunk)) = resp.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let err = http_error(
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        retry_after,
        &body,
    );
    (err, body)
}

/// An `error` object inside a 200 stream. Before any token it is what its code says, as if
/// the HTTP status had said it (and may be retried); after, the partial answer is kept.
pub fn in_band_error(err: &WireError, produced: bool) -> StreamError {
    let code = err.numeric_code();
    let mut detail = err
        .message
        .clone()
        .unwrap_or_else(|| "no message".to_string());
    if let Some(raw) = err.raw_detail() {
        detail = format!("{detail}: {raw}");
    }
    let kind = match code {
        Some(401) => ErrorKind::Auth,
        Some(402) => ErrorKind::Credits,
        Some(429) => ErrorKind::RateLimited,
        _ => ErrorKind::InBand,
    };
    let label = match code {
        Some(c) => format!("provider error {c}"),
        None => "provider error".to_string(),
    };
    if !produced {
        let kind = code.map_or(ErrorKind::InBand, kind_for_status);
        let hint = code.map_or("", hint);
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!(" — {hint}")
        };
        return StreamError {
            kind,
            message: format!("{label} before the answer started: {}{hint}", clip(&detail)),
            code,
            retry_after: None,
        };
    }
    StreamError {
        kind,
        message: format!(
            "{label} mid-stream: {}; the partial answer is kept",
            clip(&detail)
        ),
        code,
        retry_after: None,
    }
}

/// A 200 answer that is a web page (a captive portal, a proxy's login) rather than a stream.
pub fn web_page_error(body: &str) -> StreamError {
    StreamError::new(
        ErrorKind::Protocol,
        format!(
            "the endpoint answered with a web page, not an event stream ({}) — check the base URL, or sign in to the network or proxy first",
            non_json_excerpt(body)
        ),
    )
}

/// A 401 from an endpoint that was sent no key says so, rather than blaming a key.
pub fn no_key_sent(mut err: StreamError) -> StreamError {
    if err.code != Some(401) {
        return err;
    }
    let detail = err.message.split(" — ").next().unwrap_or("").to_string();
    let openrouter_key = std::env::var("OPENROUTER_API_KEY").is_ok_and(|k| !k.trim().is_empty());
    let why = if openrouter_key {
        "no key was sent: OPENROUTER_API_KEY is only sent to openrouter.ai"
    } else {
        "no key was sent"
    };
    err.message = format!(
        "{detail} — {why}; set SWITCHBOARD_API_KEY for --base-url, or key_env or key_command for this provider in the config"
    );
    err
}

fn root_cause(err: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    clip(&cause.to_string())
}

/// A transport failure. `mid_stream` tells a broken answer from a failed request.
pub fn error_from_reqwest(err: &reqwest::Error, mid_stream: bool) -> StreamError {
    let host = err
        .url()
        .map(|u| {
            format!(
                "{}{}",
                u.host_str().unwrap_or("?"),
                u.port().map(|p| format!(":{p}")).unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "the server".to_string());
    if err.is_connect() {
        let message = if err.is_timeout() {
            format!(
                "could not connect to {host}: timed out — is the address right and the server up?"
            )
        } else {
            format!(
                "could not connect to {host}: {} — is the server running?",
                root_cause(err)
            )
        };
        return StreamError::new(ErrorKind::Connect, message);
    }
    if err.is_timeout() {
        let what = if mid_stream {
            "the answer stalled"
        } else {
            "no response"
        };
        return StreamError::new(
            ErrorKind::Stall,
            format!(
                "{what}: {host} sent nothing for longer than the stall timeout (--stall-timeout)"
            ),
        );
    }
    if mid_stream {
        return StreamError::new(
            ErrorKind::Dropped,
            format!(
                "the connection to {host} broke mid-answer ({}); the partial answer is kept",
                root_cause(err)
            ),
        );
    }
    StreamError::new(
        ErrorKind::Connect,
        format!("request to {host} failed: {}", root_cause(err)),
    )
}

#[cfg(test)]
mod tests;
