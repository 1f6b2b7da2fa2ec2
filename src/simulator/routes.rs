//! HTTP routes of the simulator: `/models`, `/chat/completions`, `/key`, `/generation`, served
//! under both `/api/v1` (OpenRouter's layout) and `/v1` (local servers').

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::cost::estimate_prompt_tokens;

use super::dialect::{self, SimDialect};
use super::faults::{Fault, FaultKind, parse_directives};
use super::models::SimModel;
use super::stream::{Plan, spawn_writer};
use super::{SeenRequest, SimState};

pub(super) fn router(state: Arc<SimState>) -> Router {
    let api = Router::new()
        .route("/models", get(models))
        .route("/chat/completions", post(chat))
        .route("/key", get(key))
        .route("/generation", get(generation));
    Router::new()
        .nest("/api/v1", api.clone())
        .nest("/v1", api)
        .route("/api/tags", get(dialect::ollama_tags))
        .route("/api/show", post(dialect::ollama_show))
        .with_state(state)
}

pub(super) fn record(
    state: &SimState,
    path: &str,
    headers: &HeaderMap,
    body: Option<serde_json::Value>,
) {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    if let Ok(mut seen) = state.seen.lock() {
        seen.push(SeenRequest {
            path: path.to_string(),
            authorization,
            headers,
            body,
        });
    }
}

pub(super) fn error_response(status: u16, message: &str, retry_after: Option<f64>) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({"error": {"code": status, "message": message, "metadata": {"provider_name": "SimCloud"}}});
    let mut resp = (code, axum::Json(body)).into_response();
    if let Some(secs) = retry_after
        && let Ok(v) = secs.to_string().parse()
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

fn check_key(state: &SimState, headers: &HeaderMap) -> Option<Response> {
    let want = state.config.require_key.as_ref()?;
    let got = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    (got != Some(want.as_str()))
        .then(|| super::routes::error_response(401, "User not found.", None))
}

/// Whether it answers in a local server's shape: no prices, no cost, no provider field.
fn plain(state: &SimState) -> bool {
    state.config.local || state.config.dialect != SimDialect::OpenRouter
}

async fn models(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    record(&state, "/models", &headers, None);
    let aliases = state.config.dialect.aliases();
    let data: Vec<_> = if aliases.is_empty() {
        state
            .models
            .iter()
            .map(|m| {
                if state.config.local {
                    m.local_json()
                } else {
                    m.openrouter_json()
                }
            })
            .collect()
    } else {
        aliases
            .iter()
            .map(|(alias, _)| json!({"id": alias, "object": "model", "created": 1_760_000_000, "owned_by": "system"}))
            .collect()
    };
    if plain(&state) {
        axum::Json(json!({"object": "list", "data": data})).into_response()
    } else {
        axum::Json(json!({"data": data, "links": {"next": null}, "total_count": data.len()}))
            .into_response()
    }
}

async fn key(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    record(&state, "/key", &headers, None);
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    let spent = state.spent.lock().map(|s| *s).unwrap_or_default();
    let limit = state.config.credit_limit;
    let remaining = crate::cost::Usd::from_atto(limit.atto() - spent.atto());
    axum::Json(json!({"data": {
        "label": "sk-or-v1-sim...000",
        "limit": limit,
        "limit_remaining": remaining,
        "limit_reset": null,
        "usage": spent,
        "is_free_tier": false
    }}))
    .into_response()
}

#[derive(serde::Deserialize)]
struct GenerationQuery {
    id: String,
}

async fn generation(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(q): Query<GenerationQuery>,
) -> Response {
    record(&state, "/generation", &headers, None);
    let Ok(mut gens) = state.generations.lock() else {
        return error_response(500, "lock poisoned", None);
    };
    let Some(rec) = gens.get_mut(&q.id) else {
        return error_response(404, "Generation not found", None);
    };
    rec.polls += 1;
    if rec.polls <= state.config.generation_404s {
        return error_response(404, "Generation not found", None);
    }
    axum::Json(json!({"data": {
        "id": q.id,
        "model": rec.model,
        "provider_name": rec.provider,
        "total_cost": rec.cost,
        "tokens_prompt": rec.prompt_tokens,
        "tokens_completion": rec.completion_tokens,
        "native_tokens_prompt": rec.prompt_tokens,
        "native_tokens_completion": rec.completion_tokens,
        "cancelled": rec.cancelled,
        "streamed": true
    }}))
    .into_response()
}

pub(super) fn find_model<'a>(state: &'a SimState, id: &str) -> Option<&'a SimModel> {
    let aliases = state.config.dialect.aliases();
    if !aliases.is_empty() {
        let (_, persona) = aliases.iter().find(|(alias, _)| *alias == id)?;
        return state.models.iter().find(|m| m.id == *persona);
    }
    let base = match id.rsplit_once(':') {
        Some((base, suffix)) if suffix != "free" => base,
        _ => id,
    };
    state.models.iter().find(|m| m.id == id || m.id == base)
}

/// Whether a fault with `times` still applies to this request (and counts its use).
fn fault_applies(state: &SimState, key: &str, fault: &Fault) -> bool {
    let Some(times) = fault.times else {
        return true;
    };
    let Ok(mut uses) = state.fault_uses.lock() else {
        return true;
    };
    let used = uses.entry(key.to_string()).or_insert(0);
    *used += 1;
    *used <= times
}

fn html_page() -> Response {
    let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html")],
        page,
    )
        .into_response()
}

async fn chat(State(state): State<Arc<SimState>>, headers: HeaderMap, body: Bytes) -> Response {
    let body: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error_response(400, &format!("invalid JSON body: {e}"), None),
    };
    record(&state, "/chat/completions", &headers, Some(body.clone()));
    if let Some(to) = &state.config.redirect_to {
        let location = format!("{}/chat/completions", to.trim_end_matches('/'));
        return (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    if let Some(denied) = check_key(&state, &headers) {
        return denied;
    }
    if let Some(refused) = state.config.dialect.check(&body) {
        return refused;
    }
    let model_id = body
        .get("model")
        .and_then(|m| m.as_str())
        .unwrap_or_default();
    let Some(model) = find_model(&state, model_id) else {
        return error_response(400, &format!("{model_id} is not a valid model ID"), None);
    };
    if super::vision::has_images(&body) && !super::vision::takes_images(model.id) {
        return error_response(404, super::vision::REFUSAL, None);
    }
    let messages: Vec<(String, String)> = body
        .get("messages")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .map(|m| {
            let role = m
                .get("role")
                .and_then(|r| r.as_str())
                .unwrap_or("user")
                .to_string();
            (role, super::vision::content_text(m))
        })
        .collect();
    let prompt = messages
        .iter()
        .rev()
        .find(|(role, _)| role == "user")
        .map(|(_, c)| c.clone())
        .unwrap_or_default();
    // A judge's prompt quotes the user's, directives and all: they are not for the judge.
    let directives = if super::judging::is_judge(model.id) {
        Default::default()
    } else {
        parse_directives(&prompt)
    };
    let configured = state
        .config
        .faults
        .iter()
        .find(|(id, _)| id == model_id || id == model.id)
        .map(|(_, f)| f.clone());
    let fault_key = format!("{model_id}|{prompt}");
    let fault = directives
        .fault
        .clone()
        .or(configured)
        .or_else(|| model.default_fault.clone())
        .filter(|f| fault_applies(&state, &fault_key, f));
    match fault.as_ref().map(|f| f.kind) {
        Some(FaultKind::Status(status)) => {
            let message = match status {
                401 => "User not found.",
                402 => "Insufficient credits. Add more using https://openrouter.ai/credits",
                429 => "Provider returned error",
                503 => "No instances available",
                _ => "Internal Server Error",
            };
            let retry = fault.as_ref().and_then(|f| f.retry_after);
            let retry = retry.or((status == 429 || status == 503).then_some(1.0));
            return error_response(status, message, retry);
        }
        Some(FaultKind::Html) => return html_page(),
        Some(FaultKind::Context) => {
            let asked = estimate_prompt_tokens(messages.iter().map(|(_, c)| c.as_str()));
            return error_response(
                400,
                &super::faults::context_refusal(model.context, asked),
                None,
            );
        }
        Some(FaultKind::Portal) => {
            let page = "<!DOCTYPE html><html><head><title>Sign in to Harbour Hotel Wi-Fi</title></head><body><form>Room number <input name=room></form></body></html>";
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                page,
            )
                .into_response();
        }
        _ => {}
    }
    if let Some(refusal) = super::faults::over_context_refusal(model.context, &messages, &body) {
        return error_response(400, &refusal, None);
    }
    let n = state.next_id.fetch_add(1, Ordering::Relaxed);
    let plan = Plan::new(
        &state,
        model,
        model_id,
        &messages,
        &prompt,
        &directives,
        fault,
        n,
        &body,
    );
    let gen_id = plan.gen_id.clone();
    let rx = spawn_writer(state.clone(), plan);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-generation-id", gen_id)
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| error_response(500, "could not build the response", None))
}
