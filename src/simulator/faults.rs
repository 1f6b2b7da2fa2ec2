//! Faults and knobs the simulator applies on demand: per model (config or `--fault`) or per
//! request through `!key=value` directives in the last user message.

use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// An HTTP error status with OpenRouter's JSON error body (401, 402, 429, 500, 502, 503).
    Status(u16),
    /// HTTP 502 with an HTML page, as a proxy in front of a server sends.
    Html,
    /// HTTP 200 with an HTML page, as a captive portal sends.
    Portal,
    /// HTTP 400: the prompt is longer than the model's context, in OpenRouter's words.
    Context,
    /// An error chunk after some tokens, inside the 200 stream.
    InBand,
    /// The connection is torn down after some tokens.
    Drop,
    /// The body ends cleanly after some tokens, without a finish reason or `[DONE]`.
    Cut,
    /// No more bytes after some tokens; the connection stays open.
    Stall,
    /// One chunk of broken JSON after some tokens; the stream then goes on.
    Malformed,
    /// Every chunk is written in two pieces split inside a multi-byte character.
    SplitUtf8,
}

/// OpenRouter's words for a prompt over the context: as if the history filled the context
/// and then some, so the input alone is over.
pub fn context_refusal(context: u64, prompt_tokens: u64) -> String {
    over_context(context, context + prompt_tokens, 0)
}

/// OpenRouter's words for a request over the model's context: `input` tokens of prompt and
/// `output` asked for.
pub fn over_context(context: u64, input: u64, output: u64) -> String {
    let asked = input + output;
    format!(
        "This endpoint's maximum context length is {context} tokens. However, you requested about {asked} tokens ({input} of text input, {output} in the output). Please reduce the length of either one, or use the \"middle-out\" transform to compress your prompt automatically."
    )
}

/// Why a request over the model's context is refused, as OpenRouter words it: its messages at
/// 4 characters a token plus its output limit, unless it asked for middle-out (which would cut
/// the conversation's middle to fit).
pub fn over_context_refusal(
    context: u64,
    messages: &[(String, String)],
    body: &serde_json::Value,
) -> Option<String> {
    let input = crate::cost::estimate_prompt_tokens(messages.iter().map(|(_, c)| c.as_str()));
    let output = ["max_tokens", "max_completion_tokens"]
        .iter()
        .find_map(|k| body.get(*k).and_then(|v| v.as_u64()))
        .unwrap_or(0);
    let middle_out = body
        .get("transforms")
        .and_then(|t| t.as_array())
        .is_some_and(|t| t.iter().any(|x| x == "middle-out"));
    (input + output > context && !middle_out).then(|| over_context(context, input, output))
}

impl FaultKind {
    pub fn parse(name: &str) -> Option<FaultKind> {
        Some(match name {
            "html" => FaultKind::Html,
            "portal" => FaultKind::Portal,
            "context" => FaultKind::Context,
            "inband" | "in-band" => FaultKind::InBand,
            "drop" => FaultKind::Drop,
            "cut" => FaultKind::Cut,
            "stall" => FaultKind::Stall,
            "malformed" => FaultKind::Malformed,
            "split-utf8" | "utf8" => FaultKind::SplitUtf8,
            code => match code.parse::<u16>() {
                Ok(c @ 400..=599) => FaultKind::Status(c),
                _ => return None,
            },
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    /// Tokens streamed before the fault strikes (stream faults only).
    pub after: usize,
    /// Only the first `times` requests carrying this fault fail; then they succeed.
    pub times: Option<u32>,
    /// `Retry-After` seconds sent with 429/503.
    pub retry_after: Option<f64>,
}

impl Fault {
    pub fn new(kind: FaultKind, after: usize) -> Fault {
        Fault {
            kind,
            after,
            times: None,
            retry_after: None,
        }
    }

    /// `KIND[@AFTER]`, as `--fault sim/x=inband@10` takes it.
    pub fn parse(spec: &str) -> Option<Fault> {
        let (kind, after) = match spec.split_once('@') {
            Some((k, a)) => (k, a.parse().ok()?),
            None => (spec, 5),
        };
        Some(Fault::new(FaultKind::parse(kind)?, after))
    }
}

/// What one request asks of the simulator through its directives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Directives {
    pub fault: Option<Fault>,
    /// Tokens per second; 0 streams as fast as the connection takes.
    pub rate: Option<f64>,
    /// Answer length in tokens.
    pub tokens: Option<usize>,
    pub ttft: Option<Duration>,
}

/// Reads `!fault=429 !times=1 !retry-after=0 !after=8 !rate=0 !tokens=20000 !ttft=0` from a
/// prompt. Unknown directives are ignored; the rest of the prompt is untouched.
pub fn parse_directives(prompt: &str) -> Directives {
    let mut d = Directives::default();
    let mut after = None;
    let mut times = None;
    let mut retry_after = None;
    for word in prompt.split_whitespace() {
        let Some((key, value)) = word.strip_prefix('!').and_then(|w| w.split_once('=')) else {
            continue;
        };
        match key {
            "fault" => d.fault = Fault::parse(value),
            "after" => after = value.parse().ok(),
            "times" => times = value.parse().ok(),
            "retry-after" => retry_after = value.parse().ok(),
            "rate" => d.rate = value.parse().ok(),
            "tokens" => d.tokens = value.parse().ok(),
            "ttft" => d.ttft = value.parse().ok().map(Duration::from_millis),
            _ => {}
        }
    }
    if let Some(fault) = d.fault.as_mut() {
        if let Some(a) = after {
            fault.after = a;
        }
        fault.times = times;
        fault.retry_after = retry_after;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse() {
        let d = parse_directives("hello !fault=429 !times=1 !retry-after=0.2 !rate=0 !tokens=50");
        let f = d.fault.unwrap();
        assert_eq!(f.kind, FaultKind::Status(429));
        assert_eq!(f.times, Some(1));
        assert_eq!(f.retry_after, Some(0.2));
        assert_eq!(d.rate, Some(0.0));
        assert_eq!(d.tokens, Some(50));
        let d = parse_directives("!fault=inband !after=3");
        assert_eq!(d.fault.unwrap(), Fault::new(FaultKind::InBand, 3));
        assert_eq!(
            Fault::parse("drop@12"),
            Some(Fault::new(FaultKind::Drop, 12))
        );
        assert_eq!(Fault::parse("nope"), None);
        assert_eq!(
            parse_directives("no directives here"),
            Directives::default()
        );
    }
}
