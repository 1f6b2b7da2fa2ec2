//! Property tests: the SSE decoder on arbitrary bytes cut anywhere, the markdown renderer on
//! arbitrary text at every width, the session loader on arbitrary JSON, the config parser on
//! arbitrary text, the sanitiser on arbitrary characters, and every session the app can reach
//! saving and loading back equal.
//!
//! `cargo test` runs a bounded number of cases; `SWITCHBOARD_PROPTEST_CASES=20000 cargo test
//! --release --test properties` runs a long campaign.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use switchboard::chat::{StreamEnd, StreamError, StreamEvent, Usage};
use switchboard::cost::Usd;
use switchboard::provider::{Kind, decode_body_as};
use switchboard::state::{Init, Msg, State, update};
use unicode_width::UnicodeWidthStr;

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("SWITCHBOARD_PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// SSE-ish bytes: real event pieces mixed with arbitrary bytes.
fn sse_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"data: {\"choices\":[{\"delta\":{\"content\":\"hi \"}}]}\n\n".to_vec()),
        Just(b"data: {\"choices\":[{\"delta\":{\"reasoning\":\"hm\"}}]}\n\n".to_vec()),
        Just(b"data: {\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"t\"}]}]}}]}\n\n".to_vec()),
        Just(b"data: {\"choices\":[{\"delta\":{\"content\":\"<think>x</th\"}}]}\n\n".to_vec()),
        Just(b"data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"cost\":0.5}}\n\n".to_vec()),
        Just(b"data: {\"error\":{\"code\":502,\"message\":\"x\"}}\n\n".to_vec()),
        Just(b": keep-alive\r\n\r\n".to_vec()),
        Just(b"data: [DONE]\n\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..40),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

fn kinds() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::OpenRouter),
        Just(Kind::OpenAiCompatible),
        Just(Kind::Groq),
        Just(Kind::Mistral),
        Just(Kind::LlamaCpp),
        Just(Kind::Xai),
    ]
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn the_decoder_takes_any_bytes_cut_anywhere(body in sse_bytes(), cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6), kind in kinds()) {
        let rt = runtime();
        let whole = rt.block_on(decode_body_as(kind, vec![body.clone()]));
        prop_assert!(matches!(whole.last(), Some(StreamEvent::End(_))), "one end, last");
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(body.len() + 1)).collect();
        points.sort_unstable();
        let mut pieces = Vec::new();
        let mut from = 0;
        for p in points {
            pieces.push(body[from..p].to_vec());
            from = p;
        }
        pieces.push(body[from..].to_vec());
        let split = rt.block_on(decode_body_as(kind, pieces));
        prop_assert_eq!(split, whole);
    }

    #[test]
    fn markdown_renders_any_text_at_any_width(text in "(?s)[ -~\n\t|#*`>_\\-\\[\\]()🚀漢é]{0,400}", width in 1usize..300) {
        let theme = switchboard::theme::Theme::no_color();
        let out = switchboard::render::markdown::render(&text, width, &theme, 0, true);
        // Below 4 columns a wide character after an indent cannot fit anywhere: no panic is
        // all that is asked there.
        for line in out.lines.iter().filter(|_| width >= 4) {
            let w: usize = line.spans.iter().map(|s| s.content.width()).sum();
            prop_assert!(w <= width, "line of width {} at width {}: {:?}", w, width, line);
        }
    }

    #[test]
    fn the_session_loader_reads_any_json_without_panicking(text in "(?s).{0,300}") {
        let _ = switchboard::storage::session::parse(&text);
        let near = format!("{{\"schema\":2,\"id\":\"a\",\"title\":\"t\",\"created_ms\":0,\"updated_ms\":0,\"rounds\":[{text}]}}");
        let _ = switchboard::storage::session::parse(&near);
    }

    #[test]
    fn the_config_parser_reads_any_text_without_panicking(text in "(?s)[ -~\n\\[\\]=\"]{0,300}") {
        let _ = switchboard::config::file::parse(&text, std::path::Path::new("config.toml"), switchboard::config::providers::Trust::Open);
    }

    #[test]
    fn the_sanitiser_lets_no_escape_through(text in "(?s).{0,200}") {
        for out in [switchboard::sanitize::terminal_safe(&text), switchboard::sanitize::single_line(&text)] {
            prop_assert!(
                !out.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)),
                "{:?}", out
            );
        }
        prop_assert!(!switchboard::sanitize::single_line(&text).contains(['\n', '\t']));
    }
}

/// Something a user or a stream does to the app.
#[derive(Clone, Debug)]
enum Step {
    Send(u8),
    SendFocused(u8),
    Text(u8, u8),
    Reasoning(u8),
    Usage(u8, u32),
    End(u8, u8),
    Key(u8),
    Branch(u8),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        any::<u8>().prop_map(Step::Send),
        any::<u8>().prop_map(Step::SendFocused),
        (any::<u8>(), any::<u8>()).prop_map(|(p, t)| Step::Text(p, t)),
        any::<u8>().prop_map(Step::Reasoning),
        (any::<u8>(), any::<u32>()).prop_map(|(p, c)| Step::Usage(p, c)),
        (any::<u8>(), any::<u8>()).prop_map(|(p, k)| Step::End(p, k)),
        any::<u8>().prop_map(Step::Key),
        any::<u8>().prop_map(Step::Branch),
    ];
    proptest::collection::vec(step, 1..40)
}

fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

fn apply(s: &mut State, step: &Step, ms: &mut u64) {
    *ms += 37;
    let at = Duration::from_millis(*ms);
    let pane = |s: &State, p: u8| s.panes[p as usize % s.panes.len()].req;
    let prompts = ["one", "two 🚀", "three\nlines", "", "**four**"];
    match step {
        Step::Send(p) | Step::SendFocused(p) => {
            update(s, Msg::Paste(prompts[*p as usize % prompts.len()].into()));
            let m = if matches!(step, Step::Send(_)) {
                KeyModifiers::NONE
            } else {
                KeyModifiers::CONTROL
            };
            let code = if m == KeyModifiers::NONE {
                KeyCode::Enter
            } else {
                KeyCode::Char('s')
            };
            update(s, key(code, m));
        }
        Step::Text(p, t) => {
            let req = pane(s, *p);
            let text = [
                "Hello ",
                "```rust\nfn a() {}\n```\n",
                "| a | b |\n|---|---|\n",
                "🚀 漢字 ",
            ][*t as usize % 4];
            update(
                s,
                Msg::Stream {
                    req,
                    event: StreamEvent::Text(text.into()),
                    at,
                },
            );
        }
        Step::Reasoning(p) => {
            let req = pane(s, *p);
            update(
                s,
                Msg::Stream {
                    req,
                    event: StreamEvent::Reasoning("thinking ".into()),
                    at,
                },
            );
        }
        Step::Usage(p, c) => {
            let req = pane(s, *p);
            let usage = Usage {
                prompt_tokens: 10,
                completion_tokens: 20,
                cost: Some(Usd::from_atto(i128::from(*c) * 1_000_000_000_001)),
                ..Usage::default()
            };
            update(
                s,
                Msg::Stream {
                    req,
                    event: StreamEvent::Usage(usage),
                    at,
                },
            );
        }
        Step::End(p, k) => {
            let req = pane(s, *p);
            let end = match k % 3 {
                0 => StreamEnd::Complete {
                    finish_reason: Some("stop".into()),
                },
                1 => StreamEnd::Incomplete,
                _ => StreamEnd::Failed(StreamError::new(
                    switchboard::chat::ErrorKind::Server,
                    "HTTP 502",
                )),
            };
            update(
                s,
                Msg::Stream {
                    req,
                    event: StreamEvent::End(end),
                    at,
                },
            );
        }
        Step::Key(k) => {
            let keys = [
                key(KeyCode::Tab, KeyModifiers::NONE),
                key(KeyCode::Char('x'), KeyModifiers::CONTROL),
                key(KeyCode::Char('c'), KeyModifiers::CONTROL),
                key(KeyCode::Char('r'), KeyModifiers::CONTROL),
                key(KeyCode::Char('a'), KeyModifiers::NONE),
                key(KeyCode::Esc, KeyModifiers::NONE),
                key(KeyCode::Char('n'), KeyModifiers::CONTROL),
            ];
            update(s, keys[*k as usize % keys.len()].clone_msg());
        }
        Step::Branch(p) => {
            update(s, key(KeyCode::Tab, KeyModifiers::NONE));
            update(s, key(KeyCode::Char('e'), KeyModifiers::NONE));
            update(s, key(KeyCode::Up, KeyModifiers::NONE));
            update(s, key(KeyCode::Enter, KeyModifiers::NONE));
            update(s, Msg::Paste(prompts[*p as usize % prompts.len()].into()));
            update(s, key(KeyCode::Enter, KeyModifiers::NONE));
        }
    }
}

trait CloneMsg {
    fn clone_msg(&self) -> Msg;
}

impl CloneMsg for Msg {
    fn clone_msg(&self) -> Msg {
        match self {
            Msg::Key(k) => Msg::Key(*k),
            _ => unreachable!("only keys are cloned"),
        }
    }
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn every_session_the_app_reaches_saves_and_loads_back_equal(models in 1usize..=8, steps in steps()) {
        let mut s = State::new(Init {
            models: (0..models).map(|i| format!("sim/m{i}")).collect(),
            base_url: "http://sim".into(),
            size: (120, 40),
            wall_ms: 1_795_805_172_000,
            session_id: "20261203-070000-abcd".into(),
            ..Init::default()
        });
        let mut ms = 0;
        for step in &steps {
            apply(&mut s, step, &mut ms);
            if let Some(snap) = s.session_snapshot() {
                let text = serde_json::to_string(&snap).unwrap();
                let back = switchboard::storage::session::parse(&text);
                prop_assert!(back.is_ok(), "{:?} after {:?}", back, step);
                prop_assert_eq!(back.unwrap(), snap);
            }
        }
    }
}
