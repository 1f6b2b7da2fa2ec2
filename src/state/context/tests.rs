//! The context fill and the trim: counted from what the model reported once it answered,
//! and by the ratio or the tokenizer before.

use crossterm::event::KeyCode;

use crate::chat::{StreamEvent, Usage};
use crate::state::rounds::tests::{catalog, finish, key, send, state, stream};
use crate::state::*;
use crate::tokens::Counter;

/// A state whose `sim/swift-mini` holds `context` tokens.
fn small(models: &[&str], context: u64) -> State {
    let mut s = state(models);
    let mut c = catalog();
    for m in &mut c.models {
        if m.id == "sim/swift-mini" {
            m.context_length = Some(context);
        }
    }
    s.catalog = Some(c);
    s
}

/// Answers request `req` with `text`, reporting `prompt` prompt tokens and `completion`
/// output tokens, `reasoning` of them reasoning.
fn answer(s: &mut State, req: u64, text: &str, (prompt, completion, reasoning): (u64, u64, u64)) {
    let usage = Usage {
        prompt_tokens: prompt,
        completion_tokens: completion,
        reasoning_tokens: reasoning,
        ..Usage::default()
    };
    stream(s, req, StreamEvent::Usage(usage), 50);
    finish(s, req, text);
}

#[test]
fn before_any_answer_the_prompt_is_counted_with_its_framing() {
    let mut s = small(&["sim/swift-mini"], 1000);
    // 40 characters: 10 tokens, 4 of framing for the message, 3 for the reply.
    let prompt = "a".repeat(40);
    assert_eq!(s.request_tokens(0, &prompt), 10 + 4 + 3);
    s.system = Some("b".repeat(20).to_string());
    assert_eq!(s.request_tokens(0, &prompt), 10 + 4 + 3 + 5 + 4);
    s.params.max_tokens = Some(500);
    let fill = s.context_fill(0, &prompt).unwrap();
    assert_eq!(
        fill.tokens,
        10 + 4 + 3 + 5 + 4 + 500,
        "the output limit counts"
    );
    assert_eq!(fill.context, 1000);
    assert_eq!(fill.percent(), 53, "526 of 1000 rounds up");
    assert!(!fill.over());
}

#[test]
fn an_answered_history_counts_what_the_model_reported() {
    let mut s = small(&["sim/swift-mini"], 100_000);
    let reqs = send(&mut s, "first question");
    // The provider's template made the prompt 700 tokens; the answer was 300 of which 100
    // reasoning (not sent back).
    answer(&mut s, reqs[0], &"x".repeat(800), (700, 300, 100));
    let next = "a".repeat(40);
    assert_eq!(s.request_tokens(0, &next), 700 + 200 + 4 + 10 + 4);
    // A second answer without usage (cancelled): counted from its text after the anchor.
    let reqs = send(&mut s, "second");
    stream(&mut s, reqs[0], StreamEvent::Text("y".repeat(400)), 100);
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('x')));
    let second = (2 + 4) + (100 + 4);
    assert_eq!(s.request_tokens(0, &next), 700 + 200 + 4 + second + 10 + 4);
}

#[test]
fn a_changed_system_prompt_swaps_its_count_in_the_reported_total() {
    let mut s = small(&["sim/swift-mini"], 100_000);
    s.system = Some("s".repeat(400));
    let reqs = send(&mut s, "q");
    answer(&mut s, reqs[0], "ok", (1000, 1, 0));
    let before = s.request_tokens(0, "p");
    s.system = Some("s".repeat(40));
    assert_eq!(
        s.request_tokens(0, "p"),
        before - 90,
        "100 tokens of system became 10"
    );
    s.system = None;
    assert_eq!(s.request_tokens(0, "p"), before - 104);
}

#[test]
fn trimming_leaves_out_the_oldest_rounds_until_it_fits() {
    let mut s = small(&["sim/swift-mini"], 1000);
    s.on_overflow = crate::state::overflow::OnOverflow::Send;
    for i in 0..6 {
        let reqs = send(&mut s, &format!("question {i}"));
        finish(&mut s, reqs[0], &"z".repeat(800)); // 200 tokens each
    }
    let fill = s.context_fill(0, "next").unwrap();
    assert!(fill.over(), "{fill:?}");
    let trim = s.trim_to_fit(0, "next", false);
    let (skip, tokens) = (trim.skip, trim.tokens);
    assert!(trim.fits && trim.of == 6);
    assert!(tokens <= 900, "under 90% of the context: {tokens}");
    assert!((1..6).contains(&skip), "{skip}");
    // Leaving out one round fewer would not fit.
    let mut t = small(&["sim/swift-mini"], 1000);
    t.panes[0].turns = s.panes[0].turns[skip - 1..].to_vec();
    assert!(t.request_tokens(0, "next") > 900);
    t.panes[0].turns = s.panes[0].turns[skip..].to_vec();
    assert_eq!(t.request_tokens(0, "next"), tokens);
    // A prompt over the context alone leaves everything out, and says it still does not fit.
    let huge = "h".repeat(8000);
    let trim = s.trim_to_fit(0, &huge, false);
    assert_eq!(trim.skip, 6);
    assert!(trim.tokens > 1000 && !trim.fits);
}

#[test]
fn openai_models_are_counted_by_their_tokenizer() {
    Counter::O200k.load();
    let s = small(&["openai/gpt-4.1-mini"], 1000);
    let prompt = "The quick brown fox jumps over the lazy dog.";
    // o200k: ten tokens; the ratio would say eleven.
    assert_eq!(
        s.request_tokens(0, prompt),
        Counter::O200k.count(prompt) + 4 + 3
    );
    assert_eq!(Counter::O200k.count(prompt), 10);
}

#[test]
fn panes_without_a_known_context_show_no_fill() {
    let s = state(&["box:llama3"]);
    assert_eq!(s.context_fill(0, "hi"), None);
}

#[test]
fn rounds_a_trim_left_out_come_back_in_the_next_count() {
    let mut s = small(&["sim/swift-mini"], 1000);
    s.on_overflow = crate::state::overflow::OnOverflow::Trim;
    for i in 0..6 {
        let reqs = send(&mut s, &format!("question {i}"));
        finish(&mut s, reqs[0], &"z".repeat(800));
    }
    let full = s.request_tokens(0, "next");
    let reqs = send(&mut s, "next");
    let left_out = s.panes[0].current().unwrap().left_out;
    assert!(left_out > 0);
    // The model reports the trimmed request; the next one would carry everything again.
    let trimmed = s.trim_to_fit(0, "next", false).tokens;
    answer(&mut s, reqs[0], "ok", (trimmed, 1, 0));
    // Each left-out round: "question i" (3 tokens) and 200 tokens of answer, framed.
    let rounds = left_out as u64 * (3 + 4 + 200 + 4);
    let (ok, x) = (1 + 4, 1 + 4);
    assert_eq!(s.request_tokens(0, "x"), trimmed + rounds + ok + x);
    assert!(s.request_tokens(0, "x") > full);
}
