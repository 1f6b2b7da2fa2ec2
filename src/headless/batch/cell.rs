//! One cell of a batch: one prompt asked of one model, its stream applied straight to an
//! [`Answer`] (no channel per token: a batch's cost per cell beyond streaming stays small).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::time::Instant;

use crate::chat::{Answer, ChatRequest, ErrorKind, Message, Params, Role, StreamEvent};
use crate::provider::{Endpoint, EventSink, StreamOptions, run_chat};

use super::lanes::{Lane, Try};

/// Everything the cells of one model share.
pub struct ModelRoute {
    /// As `-m` named it (the results and the session use this name).
    pub model: String,
    /// As its provider knows it.
    pub bare: String,
    pub endpoint: Endpoint,
    pub options: StreamOptions,
    pub lane: Arc<Lane>,
}

/// Applies a stream's events to the answer as they come.
struct AnswerSink {
    answer: Answer,
    start: Instant,
}

impl EventSink for AnswerSink {
    fn emit(&mut self, event: StreamEvent) -> impl Future<Output = bool> + Send {
        self.answer.apply(event, self.start.elapsed());
        std::future::ready(true)
    }
}

pub fn messages(system: Option<&str>, prompt: &str) -> Vec<Message> {
    let mut m = Vec::with_capacity(2);
    if let Some(s) = system {
        m.push(Message::new(Role::System, s));
    }
    m.push(Message::new(Role::User, prompt));
    m
}

/// Asks the cell in its model's lane: waits for a slot and the lane's backoff, tries again
/// after a 429. `None` when `stop` was set before it started (the budget was reached or
/// the batch interrupted): nothing was sent.
pub async fn ask(
    client: reqwest::Client,
    route: Arc<ModelRoute>,
    messages: Arc<Vec<Message>>,
    params: Params,
    stop: Arc<AtomicBool>,
) -> Option<Answer> {
    let prompt_tokens =
        crate::cost::estimate_prompt_tokens(messages.iter().map(|m| m.content.as_str()));
    let lane = route.lane.clone();
    lane.run(|| {
        let client = client.clone();
        let route = route.clone();
        let messages = messages.clone();
        let params = params.clone();
        let stop = stop.clone();
        async move {
            if stop.load(Ordering::SeqCst) {
                return Try::Done(None);
            }
            let request = ChatRequest {
                model: route.bare.clone(),
                messages: messages.to_vec(),
                params,
                format: None,
            };
            let mut sink = AnswerSink {
                answer: Answer::new(route.model.clone(), prompt_tokens),
                start: Instant::now(),
            };
            run_chat(
                &client,
                &route.endpoint,
                &request,
                &route.options,
                &mut sink,
            )
            .await;
            let a = sink.answer;
            match &a.error {
                // Limited before a token: the lane waits and the cell goes again.
                Some(e) if e.kind == ErrorKind::RateLimited && a.ttft.is_none() => {
                    let wait = e.retry_after;
                    Try::RateLimited(Some(a), wait)
                }
                _ => Try::Done(Some(a)),
            }
        }
    })
    .await
}
