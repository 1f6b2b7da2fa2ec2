//! `update` sequences for what surrounds the rounds: the picker, layout and scrolling, the
//! mouse, parameters, help, the welcome screen, copying and view toggles.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use crate::chat::{Role, StreamEvent};
use crate::state::rounds::tests::*;
use crate::state::*;

#[test]
fn the_picker_selects_models_for_the_panes() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, ctrl('p'));
    chars(&mut s, "thinker");
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(
        p.current_id(s.catalog.as_ref()).as_deref(),
        Some("sim/deep-thinker")
    );
    update(&mut s, key(KeyCode::Char(' ')));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fx.contains(&Effect::SavePrefs));
    let models: Vec<&str> = s.panes.iter().map(|p| p.model.as_str()).collect();
    assert_eq!(
        models,
        vec!["sim/swift-mini", "sim/deep-thinker"],
        "the current selection plus the new one"
    );
    assert!(s.overlay.is_none());
    assert_eq!(
        s.prefs.recent_models[..2],
        ["sim/swift-mini".to_string(), "sim/deep-thinker".to_string()]
    );
}

#[test]
fn the_picker_accepts_ids_outside_the_catalog_and_keeps_conversations() {
    let mut s = state(&["sim/swift-mini"]);
    let reqs = send(&mut s, "hello");
    finish(&mut s, reqs[0], "kept");
    update(&mut s, ctrl('p'));
    chars(&mut s, "vendor/new-model:nitro");
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(
        p.rows.last(),
        Some(&picker::Row::Custom("vendor/new-model:nitro".into()))
    );
    update(&mut s, key(KeyCode::Down));
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    let last = p.rows.len() - 1;
    let mut moves = 0;
    while s
        .overlay
        .as_ref()
        .is_some_and(|o| matches!(o, Overlay::Picker(p) if p.cursor < last))
        && moves < 50
    {
        update(&mut s, key(KeyCode::Down));
        moves += 1;
    }
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Enter));
    let models: Vec<&str> = s.panes.iter().map(|p| p.model.as_str()).collect();
    assert_eq!(models, vec!["sim/swift-mini", "vendor/new-model:nitro"]);
    assert_eq!(s.panes[0].current().unwrap().answer.text, "kept");
}

#[test]
fn the_picker_limits_the_selection_sorts_and_filters() {
    let mut s = state(&[]);
    let Some(Overlay::Picker(_)) = &s.overlay else {
        panic!()
    };
    for _ in 0..7 {
        update(&mut s, key(KeyCode::Char(' ')));
        update(&mut s, key(KeyCode::Down));
    }
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(p.selected.len(), 7, "all seven demo models");
    update(&mut s, ctrl('f'));
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    let ids: Vec<String> = p
        .rows
        .iter()
        .filter_map(|r| p.row_id(r, s.catalog.as_ref()).map(String::from))
        .collect();
    assert_eq!(ids, vec!["sim/free-spirit:free"]);
    update(&mut s, ctrl('f'));
    update(&mut s, ctrl('s'));
    let Some(Overlay::Picker(p)) = &s.overlay else {
        panic!()
    };
    assert_eq!(p.sort, picker::SortBy::Price);
    let ids: Vec<String> = p
        .rows
        .iter()
        .filter_map(|r| p.row_id(r, s.catalog.as_ref()).map(String::from))
        .collect();
    assert_eq!(
        ids.first().map(String::as_str),
        Some("sim/free-spirit:free"),
        "cheapest first"
    );
    assert_eq!(
        ids.last().map(String::as_str),
        Some("sim/auto"),
        "unknown prices last"
    );
    // Favourites come first when nothing is typed.
    update(&mut s, ctrl('s'));
    update(&mut s, ctrl('s'));
    update(&mut s, ctrl('s'));
    update(&mut s, ctrl('s'));
    update(&mut s, key(KeyCode::Up));
    for _ in 0..6 {
        update(&mut s, key(KeyCode::Down));
    }
    update(&mut s, ctrl('d'));
    let Some(Overlay::Picker(p)) = &mut s.overlay else {
        panic!()
    };
    let fav = p.current_id(s.catalog.as_ref()).unwrap();
    p.refresh(s.catalog.as_ref(), &s.prefs);
    assert_eq!(p.row_id(&p.rows[0], s.catalog.as_ref()), Some(fav.as_str()));
}

#[test]
fn zoom_focus_and_scrolling() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    update(&mut s, ctrl('z'));
    assert!(s.zoomed);
    assert_eq!(s.focus, Focus::Panes);
    let l = s.layout();
    assert_eq!(l.panes[0].h, 38);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focused, 1, "zoomed, Tab moves between panes");
    update(&mut s, key(KeyCode::Char('z')));
    assert!(!s.zoomed);
    update(
        &mut s,
        Msg::Viewports(Views {
            panes: vec![(100, 20, None), (10, 20, None)],
            overlay: None,
        }),
    );
    update(&mut s, key(KeyCode::Char('k')));
    assert_eq!(
        s.panes[1].scroll,
        panes::Scroll {
            top: 0,
            follow: true
        },
        "short content stays put"
    );
    s.focused = 0;
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!(
        s.panes[0].scroll,
        panes::Scroll {
            top: 61,
            follow: false
        }
    );
    update(&mut s, key(KeyCode::Char('g')));
    assert_eq!(s.panes[0].scroll.top, 0);
    update(&mut s, key(KeyCode::Char('G')));
    assert!(s.panes[0].scroll.follow);
}

#[test]
fn the_mouse_scrolls_and_focuses_the_pane_under_it() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    update(
        &mut s,
        Msg::Viewports(Views {
            panes: vec![(100, 20, None), (100, 20, None)],
            overlay: None,
        }),
    );
    let at = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, at(MouseEventKind::ScrollUp, 70, 5));
    assert!(!s.panes[1].scroll.follow);
    assert!(s.panes[0].scroll.follow);
    update(
        &mut s,
        at(
            MouseEventKind::Down(crossterm::event::MouseButton::Left),
            70,
            5,
        ),
    );
    assert_eq!((s.focus, s.focused), (Focus::Panes, 1));
    update(&mut s, ctrl('m').map_alt());
    assert!(!s.mouse);
}

trait AltKey {
    fn map_alt(self) -> Msg;
}

impl AltKey for Msg {
    fn map_alt(self) -> Msg {
        match self {
            Msg::Key(k) => Msg::Key(KeyEvent::new(k.code, KeyModifiers::ALT)),
            other => other,
        }
    }
}

#[test]
fn parameters_apply_to_the_next_round() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, ctrl('t'));
    chars(&mut s, "be terse");
    update(&mut s, key(KeyCode::Down));
    chars(&mut s, "0.3");
    update(&mut s, key(KeyCode::Down));
    chars(&mut s, "64");
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
    let fx = {
        update(&mut s, Msg::Paste("go".into()));
        update(&mut s, key(KeyCode::Enter))
    };
    let request = first_request(&fx);
    assert_eq!(request.messages[0].role, Role::System);
    assert_eq!(request.messages[0].content, "be terse");
    assert_eq!(request.params.temperature, Some(0.3));
    assert_eq!(request.params.max_tokens, Some(64));
    assert_eq!(request.params.reasoning_effort.as_deref(), Some("low"));
    // A bad value keeps the form open with a message.
    update(&mut s, ctrl('t'));
    update(&mut s, key(KeyCode::Down));
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Backspace));
    }
    chars(&mut s, "3");
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.overlay, Some(Overlay::Params(_))));
    assert!(s.notice.as_ref().unwrap().text.contains("temperature"));
}

#[test]
fn help_opens_from_anywhere_and_history_recalls_prompts() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, key(KeyCode::F(1)));
    assert_eq!(s.scope(), keymap::Scope::Help);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.scope(), keymap::Scope::Editor);
    let reqs = send(&mut s, "remember me");
    finish(&mut s, reqs[0], "ok");
    update(&mut s, key(KeyCode::Up));
    assert_eq!(s.editor.text(), "remember me");
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.editor.text(), "");
    // Alt-Enter and Ctrl-J add lines instead of sending.
    chars(&mut s, "a");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)),
    );
    update(&mut s, ctrl('j'));
    chars(&mut s, "b");
    assert_eq!(s.editor.text(), "a\n\nb");
}

#[test]
fn the_welcome_screen_offers_the_demo() {
    let mut s = State::new(Init {
        welcome: true,
        size: (80, 24),
        ..Init::default()
    });
    assert_eq!(s.scope(), keymap::Scope::Welcome);
    assert_eq!(
        update(&mut s, key(KeyCode::Char('d'))),
        vec![Effect::StartDemo]
    );
    let fx = update(&mut s, Msg::DemoReady("http://127.0.0.1:1/api/v1".into()));
    assert_eq!(s.screen, Screen::Playground);
    assert!(s.demo);
    assert_eq!(s.panes.len(), 3);
    assert!(fx.contains(&Effect::FetchCatalog));
}

#[test]
fn copy_the_answer_a_code_block_or_the_reasoning() {
    let mut s = state(&["sim/swift-mini"]);
    assert!(update(&mut s, ctrl('y')).is_empty(), "nothing to copy yet");
    assert!(s.notice.as_ref().unwrap().error);
    let reqs = send(&mut s, "code please");
    let answer = "Intro\n\n```rust\nfn a() {}\n```\n\nand\n\n```python\nprint(1)\n```\n";
    stream(&mut s, reqs[0], StreamEvent::Reasoning("hmm".into()), 5);
    finish(&mut s, reqs[0], answer);
    let copied = |fx: Vec<Effect>| match fx.as_slice() {
        [Effect::Copy { text, what }] => (text.clone(), what.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        copied(update(&mut s, ctrl('y'))),
        (answer.to_string(), "the answer".to_string())
    );
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(
        copied(update(&mut s, key(KeyCode::Char('2')))),
        ("print(1)\n".to_string(), "code block [2]".to_string())
    );
    assert_eq!(
        copied(update(&mut s, key(KeyCode::Char('1')))).0,
        "fn a() {}\n"
    );
    assert!(update(&mut s, key(KeyCode::Char('3'))).is_empty());
    assert!(s.notice.as_ref().unwrap().text.contains("it has 2"));
    assert_eq!(copied(update(&mut s, key(KeyCode::Char('Y')))).0, "hmm");
    update(
        &mut s,
        Msg::Copied(Ok("copied code block [2]: 9 chars via OSC 52".into())),
    );
    assert!(!s.notice.as_ref().unwrap().error);
}

#[test]
fn raw_source_and_reasoning_toggles() {
    let mut s = state(&["sim/deep-thinker"]);
    let reqs = send(&mut s, "x");
    stream(
        &mut s,
        reqs[0],
        StreamEvent::Reasoning("thinking".into()),
        5,
    );
    assert!(
        s.panes[0].current().unwrap().reasoning_open(),
        "open while the model thinks"
    );
    stream(&mut s, reqs[0], StreamEvent::Text("answer".into()), 9);
    assert!(
        !s.panes[0].current().unwrap().reasoning_open(),
        "folded once the answer starts"
    );
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('t')));
    assert!(s.panes[0].current().unwrap().reasoning_open());
    update(&mut s, key(KeyCode::Char('s')));
    assert!(s.panes[0].raw);
}

mod overlays;
