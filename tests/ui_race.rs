//! The race chart and the footer sparkline, drawn from recorded timings: two real streams
//! (xAI grok-3-mini and Groq qwen3-32b, tests/fixtures/providers, each naming its source)
//! whose chunks carry the second they were sent in (`created`), replayed at those seconds.

mod common;

use std::time::Duration;

use common::screens::{key, render, send_prompt, state};
use crossterm::event::{KeyCode, KeyModifiers};
use switchboard::chat::{StreamEnd, StreamEvent};
use switchboard::provider::{Kind, decode_body_as};
use switchboard::state::{Msg, Overlay, State, update};

/// A recording's chunks as (seconds after its first chunk's second, the events it decodes to
/// in its dialect). Each chunk is decoded alone: its events, not the stream's end.
async fn timed_events(file: &str, kind: Kind) -> Vec<(u64, Vec<StreamEvent>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/providers")
        .join(file);
    let text = std::fs::read_to_string(path).expect("fixture");
    let mut out = Vec::new();
    let mut first = None;
    for line in text.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON chunk");
        let created = v["created"].as_u64().expect("created");
        let start = *first.get_or_insert(created);
        let body = format!("data: {line}\n\n").into_bytes();
        let events = decode_body_as(kind, vec![body])
            .await
            .into_iter()
            .filter(|e| {
                matches!(
                    e,
                    StreamEvent::Text(_) | StreamEvent::Reasoning(_) | StreamEvent::Usage(_)
                )
            })
            .collect();
        out.push((created - start, events));
    }
    out
}

/// Replays `chunks` into request `req`, each second's chunks spread evenly over the rest of
/// that second after `lead` (the recording gives the second, not the instant).
fn replay(s: &mut State, req: u64, chunks: &[(u64, Vec<StreamEvent>)], lead: Duration) {
    let last = chunks.last().map_or(0, |c| c.0);
    for sec in 0..=last {
        let these: Vec<_> = chunks.iter().filter(|c| c.0 == sec).collect();
        for (j, (_, events)) in these.iter().enumerate() {
            let within = (1.0 - lead.as_secs_f64()) * j as f64 / these.len() as f64;
            let at = Duration::from_secs_f64(sec as f64 + lead.as_secs_f64() + within);
            for event in events {
                update(
                    s,
                    Msg::Stream {
                        req,
                        event: event.clone(),
                        at,
                    },
                );
            }
        }
    }
}

fn end(s: &mut State, req: u64, at: Duration) {
    let event = StreamEvent::End(StreamEnd::Complete {
        finish_reason: Some("stop".into()),
    });
    update(s, Msg::Stream { req, event, at });
}

/// Two panes racing with the recorded streams: Groq's 1,107 tokens in about 3.2 s against
/// xAI's 342 in about 4.5 s.
async fn raced(size: (u16, u16), finish: bool) -> State {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"], size);
    let reqs = send_prompt(&mut s, "What is 2+2?");
    let groq = timed_events("groq_qwen3-32b-reasoning-parsed.chunks.txt", Kind::Groq).await;
    let xai = timed_events("xai_grok-3-mini-reasoning.chunks.txt", Kind::Xai).await;
    // Groq says it queued the request for 0.17 s; xAI's wait is not recorded: half a second.
    replay(&mut s, reqs[0], &groq, Duration::from_millis(170));
    replay(&mut s, reqs[1], &xai, Duration::from_millis(500));
    if finish {
        end(&mut s, reqs[0], Duration::from_millis(3210));
        end(&mut s, reqs[1], Duration::from_millis(4600));
    }
    update(&mut s, Msg::Tick(Duration::from_millis(4600)));
    s
}

#[tokio::test]
async fn the_saved_seconds_add_up_to_the_reported_tokens() {
    let s = raced((120, 40), true).await;
    let session = s.session_snapshot().expect("a session");
    let answers = &session.rounds[0].answers;
    let groq = &answers[0].tokens_by_second;
    let xai = &answers[1].tokens_by_second;
    assert_eq!(groq.iter().sum::<u32>(), 1107, "{groq:?}");
    assert_eq!(xai.iter().sum::<u32>(), 342, "{xai:?}");
    assert_eq!((groq.len(), xai.len()), (4, 5));
    // The recording's shape: Groq's first second is its busiest, xAI's first its quietest.
    assert!(groq[0] > groq[3], "{groq:?}");
    assert!(xai[0] < xai[1] && xai[4] < xai[3], "{xai:?}");
}

#[tokio::test]
async fn the_race_chart_draws_both_lines_and_their_final_figures() {
    let mut s = raced((100, 30), true).await;
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('c'), KeyModifiers::NONE));
    assert!(matches!(s.overlay, Some(Overlay::Race)), "{:?}", s.overlay);
    let screen = render(&mut s);
    assert!(
        screen.contains("Race: tokens received against time"),
        "{screen}"
    );
    // Without colour each line is drawn with its pane's number.
    let ones = screen.matches('1').count();
    assert!(screen.contains("│1 sim/swift-mini  ttft 0.17s"), "{screen}");
    assert!(screen.contains("│2 sim/sage-large  ttft 0.50s"), "{screen}");
    assert!(screen.contains("ttft 0.17s"), "{screen}");
    assert!(screen.contains("ttft 0.50s"), "{screen}");
    assert!(screen.contains("1107 tok"), "{screen}");
    assert!(screen.contains("342 tok"), "{screen}");
    // Groq's 1,106 tokens after the first over 3.04 s; xAI's 341 over 4.1 s.
    assert!(screen.contains("364 tok/s"), "{screen}");
    assert!(screen.contains("83 tok/s"), "{screen}");
    // The axes: seconds to 5, tokens to 1200.
    assert!(screen.contains("5.0s"), "{screen}");
    assert!(screen.contains("│1200│"), "{screen}");
    assert!(ones > 10, "the line of pane 1 is drawn: {screen}");
    // The same key closes it.
    update(&mut s, key(KeyCode::Char('c'), KeyModifiers::NONE));
    assert!(s.overlay.is_none());
}

#[tokio::test]
async fn the_footer_sparkline_shows_each_second() {
    let mut s = raced((160, 24), false).await;
    let screen = render(&mut s);
    // While streaming, the second under way (the fifth) is left out.
    let line = screen
        .lines()
        .find(|l| l.contains("streaming"))
        .expect("a footer");
    // Groq's recorded seconds: 387, 282, 270 and 165 chunks (the first over 0.83 s); xAI's:
    // 10 (over half a second), 99, 97, 93.
    assert!(line.contains("250 tok/s █▅▄▂ ·"), "{line}");
    assert!(line.contains("83 tok/s ▁█▇▇ ·"), "{line}");
}

#[tokio::test]
async fn a_reopened_session_draws_the_same_race() {
    let mut live = raced((100, 30), true).await;
    let session = live.session_snapshot().expect("a session");
    let mut reopened = switchboard::state::State::new(switchboard::state::Init {
        size: (100, 30),
        resume: Some(session),
        ..switchboard::state::Init::default()
    });
    let chart = |s: &mut State| {
        update(s, key(KeyCode::Tab, KeyModifiers::NONE));
        update(s, key(KeyCode::Char('c'), KeyModifiers::NONE));
        let screen = render(s);
        // The chart and its legend, without the status lines below it.
        screen.lines().take(27).collect::<Vec<_>>().join("\n")
    };
    let (before, after) = (chart(&mut live), chart(&mut reopened));
    assert!(
        after.contains("1107 tok") && after.contains("364 tok/s"),
        "{after}"
    );
    assert_eq!(before, after, "the same lines, legend and axes");
}

#[tokio::test]
async fn reopened_after_a_cut_stream_or_from_before_timings_it_says_what_it_knows() {
    let live = raced((100, 30), true).await;
    let mut session = live.session_snapshot().expect("a session");
    let answers = &mut session.rounds[0].answers;
    // Saved mid-stream: no end is known, its seconds are.
    answers[0].status = switchboard::chat::AnswerStatus::Streaming;
    answers[0].duration_ms = None;
    // Saved before timings were recorded.
    answers[1].tokens_by_second.clear();
    let mut s = State::new(switchboard::state::Init {
        size: (100, 30),
        resume: Some(session),
        ..switchboard::state::Init::default()
    });
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('c'), KeyModifiers::NONE));
    let screen = render(&mut s);
    let chart: String = screen.lines().take(22).collect();
    assert!(
        chart.matches('1').count() > 20,
        "the cut stream's line is drawn: {screen}"
    );
    assert!(!chart.contains("22"), "no line without timings: {screen}");
    assert!(screen.contains("no timings saved"), "{screen}");
}

#[tokio::test]
async fn a_blind_race_names_panes_by_letter_and_shows_no_cost() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"], (100, 30));
    s.blind = true;
    let reqs = send_prompt(&mut s, "What is 2+2?");
    let xai = timed_events("xai_grok-3-mini-reasoning.chunks.txt", Kind::Xai).await;
    for req in reqs {
        replay(&mut s, req, &xai, Duration::from_millis(500));
    }
    update(&mut s, Msg::Tick(Duration::from_millis(4600)));
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('c'), KeyModifiers::NONE));
    let screen = render(&mut s);
    assert!(screen.contains("│A  ttft 0.50s"), "{screen}");
    assert!(screen.contains("│B  ttft 0.50s"), "{screen}");
    let chart: String = screen.lines().take(26).collect();
    assert!(!chart.contains('$'), "a price names a model: {screen}");
    assert!(!chart.contains("sim/"), "{screen}");
}

#[tokio::test]
async fn eight_panes_in_a_small_window_count_the_legend_rows_left_out() {
    let models = [
        "sim/swift-mini",
        "sim/sage-large",
        "sim/deep-thinker",
        "sim/slowpoke",
        "sim/swift-mini",
        "sim/sage-large",
        "sim/deep-thinker",
        "sim/slowpoke",
    ];
    let mut s = state(&models, (40, 14));
    let reqs = send_prompt(&mut s, "hi");
    let groq = timed_events("groq_qwen3-32b-reasoning-parsed.chunks.txt", Kind::Groq).await;
    for req in reqs {
        replay(&mut s, req, &groq, Duration::from_millis(170));
    }
    update(&mut s, Msg::Tick(Duration::from_millis(4000)));
    update(&mut s, key(KeyCode::Tab, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Char('c'), KeyModifiers::NONE));
    let screen = render(&mut s);
    assert!(screen.contains("│+6 more    "), "{screen}");
    assert!(
        screen.contains("Race: tokens received against …"),
        "{screen}"
    );
    // Every legend row shown keeps its figures whole.
    assert!(screen.contains("289 tok/s · $0.000445│"), "{screen}");
}
