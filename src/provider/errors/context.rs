//! A request refused because it does not fit the model's context, in the words of each kind
//! of server, said in one line: the prompt is too long, or the output limit asked for is.

use crate::chat::{ErrorKind, StreamError};
use crate::sanitize::single_line;

/// The number right after `marker` in `text` (an `about ` between them is skipped; commas
/// inside it are read through).
fn number_after(text: &str, marker: &str) -> Option<u64> {
    let at = text.find(marker)? + marker.len();
    let rest = text[at..].trim_start();
    let rest = rest.strip_prefix("about ").unwrap_or(rest);
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// What a context refusal says: the tokens asked for, the context, and, where the server
/// splits them, the input's and the output's share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overflow {
    pub tokens: Option<u64>,
    pub context: Option<u64>,
    pub input: Option<u64>,
    pub output: Option<u64>,
}

/// A refusal because the request does not fit the model's context, in any of the forms servers
/// use in their error message: OpenAI's `context_length_exceeded` ("This model's maximum
/// context length is C tokens. However, your messages resulted in N tokens"), OpenRouter's
/// and vLLM's "maximum context length is C tokens. However, you requested (about) N tokens (X
/// of text input, Y in the output)", vLLM's "Input prompt (N tokens) is too long and exceeds
/// limit of C" and "maximum model length", Anthropic's "prompt is too long: N tokens > C
/// maximum", and llama.cpp's `exceed_context_size_error` ("request (N tokens) exceeds the
/// available context size (C tokens)", with `n_prompt_tokens` and `n_ctx`).
pub fn context_overflow(message: &str) -> Option<Overflow> {
    let lower = message.to_ascii_lowercase();
    let known = [
        "context_length_exceeded",
        "maximum context length",
        "maximum model length",
        "prompt is too long",
        "is too long and exceeds limit",
        "exceed_context_size_error",
        "exceeds the available context size",
    ];
    if !known.iter().any(|k| lower.contains(k)) {
        return None;
    }
    let tokens = number_after(&lower, "resulted in")
        .or_else(|| number_after(&lower, "you requested"))
        .or_else(|| number_after(&lower, "prompt is too long:"))
        .or_else(|| number_after(&lower, "input prompt ("))
        .or_else(|| number_after(&lower, "request ("));
    let context = number_after(&lower, "maximum context length is")
        .or_else(|| number_after(&lower, "maximum model length is"))
        .or_else(|| number_after(&lower, "tokens >"))
        .or_else(|| number_after(&lower, "exceeds limit of"))
        .or_else(|| number_after(&lower, "available context size ("));
    // "(X of text input, Y in the output)" or "(X in the messages, Y in the completion)".
    let (input, output) = match lower.find(" tokens (") {
        Some(at) => {
            let split = &lower[at + " tokens (".len()..];
            let input = number_after(split, "");
            let output = split
                .find(", ")
                .and_then(|c| number_after(&split[c..], ","));
            (input, output)
        }
        None => (None, None),
    };
    Some(Overflow {
        tokens,
        context,
        input: input.filter(|_| output.is_some()),
        output,
    })
}

/// `err` said in one clear line when it is a context refusal (a 400, 413 or 422 whose message
/// says so): `prompt too long for MODEL (N tokens, context C)`, or, when the prompt fits and
/// the output limit asked for does not, `output limit too large for MODEL (…)`.
pub fn context_too_long(err: StreamError, body: &str, model: &str) -> StreamError {
    if !matches!(err.code, Some(400 | 413 | 422)) {
        return err;
    }
    let Some(message) = super::json_error_message(body).map(|(m, _)| m) else {
        return err;
    };
    let Some(mut o) = context_overflow(&message) else {
        return err;
    };
    // llama.cpp puts its figures beside the message, in the error object.
    let fields = body.to_ascii_lowercase();
    o.tokens = o
        .tokens
        .or_else(|| number_after(&fields, "\"n_prompt_tokens\":"));
    o.context = o.context.or_else(|| number_after(&fields, "\"n_ctx\":"));
    let model = single_line(model);
    let message = match (o.input, o.output, o.context) {
        (Some(input), Some(output), Some(context)) if input < context => format!(
            "output limit too large for {model} ({input} prompt + {output} output tokens, context {context}): lower max tokens"
        ),
        _ => {
            let figures: Vec<String> = o
                .tokens
                .map(|n| format!("{n} tokens"))
                .into_iter()
                .chain(o.context.map(|c| format!("context {c}")))
                .collect();
            let figures = if figures.is_empty() {
                String::new()
            } else {
                format!(" ({})", figures.join(", "))
            };
            format!(
                "prompt too long for {model}{figures}: start a new session, or shorten the prompt or its history"
            )
        }
    };
    StreamError {
        kind: ErrorKind::Request,
        message,
        ..err
    }
}
