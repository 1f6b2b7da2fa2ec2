//! Popups drawn over wide characters: an emoji or CJK character whose left half sits just
//! left of a popup must not spill its right half over the popup's border.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use switchboard::chat::{StreamEnd, StreamEvent};
use switchboard::state::{Init, Msg, State, update};
use switchboard::theme::Theme;
use switchboard::ui::{ViewCache, draw};
use unicode_width::UnicodeWidthStr;

fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

/// Three panes full of wide characters at both column parities (`wide`), or of plain
/// letters of the same layout.
fn filled_state(size: (u16, u16), wide: bool) -> State {
    let mut s = State::new(Init {
        models: vec!["sim/a".into(), "sim/b".into(), "sim/c".into()],
        base_url: "http://sim".into(),
        demo: true,
        size,
        ..Init::default()
    });
    update(&mut s, Msg::Paste("go".into()));
    update(&mut s, key(KeyCode::Enter, KeyModifiers::NONE));
    let text: String = (0..60)
        .map(|i| {
            let line = if i % 2 == 0 {
                "🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字\n\n"
            } else {
                "x🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀漢字🚀\n\n"
            };
            if wide {
                line.to_string()
            } else {
                line.replace(['🚀', '漢', '字'], "ab")
            }
        })
        .collect();
    let reqs: Vec<u64> = s.panes.iter().map(|p| p.req).collect();
    for req in reqs {
        for event in [
            StreamEvent::Text(text.clone()),
            StreamEvent::End(StreamEnd::Complete {
                finish_reason: None,
            }),
        ] {
            update(
                &mut s,
                Msg::Stream {
                    req,
                    event,
                    at: Duration::from_millis(50),
                },
            );
        }
    }
    s
}

fn render(s: &mut State) -> Buffer {
    let (w, h) = s.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut cache = ViewCache::default();
    for _ in 0..2 {
        let mut views = Default::default();
        term.draw(|f| views = draw(f, s, &mut cache, &Theme::no_color()))
            .unwrap();
        update(s, Msg::Viewports(views));
    }
    term.backend().buffer().clone()
}

/// Where box-drawing characters (pane and popup borders) sit, row by row. A wide character
/// across a popup's edge moves or hides a border, so these differ from the same screen with
/// narrow text; and a wide character must never be followed by anything but its blank half.
fn borders(buf: &Buffer) -> Vec<(u16, u16, String)> {
    let area = buf.area;
    let mut out = Vec::new();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let here = buf[(x, y)].symbol();
            if here.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)) {
                out.push((x, y, here.to_string()));
            }
            let next = (x + 1 < area.right()).then(|| buf[(x + 1, y)].symbol());
            if here.width() > 1 && next.is_some_and(|n| !n.trim().is_empty()) {
                out.push((x, y, format!("spill {here}{}", next.unwrap_or(""))));
            }
        }
    }
    out
}

#[test]
fn no_popup_border_sits_under_half_a_wide_character() {
    use KeyCode::{Char, F, Tab};
    let (none, ctrl) = (KeyModifiers::NONE, KeyModifiers::CONTROL);
    let popups: Vec<(&str, Vec<(KeyCode, KeyModifiers)>)> = vec![
        ("picker", vec![(Char('p'), ctrl)]),
        ("help", vec![(F(1), none)]),
        ("sessions", vec![(Char('o'), ctrl)]),
        ("scoreboard", vec![(F(2), none)]),
        ("params", vec![(Char('t'), ctrl)]),
        ("rounds", vec![(Tab, none), (Char('e'), none)]),
    ];
    for size in [(100, 30), (80, 24), (101, 31), (160, 48)] {
        for (name, keys) in &popups {
            let [plain, wide] = [false, true].map(|wide| {
                let mut s = filled_state(size, wide);
                for (code, mods) in keys {
                    update(&mut s, key(*code, *mods));
                }
                assert!(s.overlay.is_some(), "{name} opened");
                borders(&render(&mut s))
            });
            let moved: Vec<_> = wide
                .iter()
                .filter(|c| !plain.contains(c))
                .chain(plain.iter().filter(|c| !wide.contains(c)))
                .collect();
            assert!(
                moved.is_empty(),
                "{name} at {size:?}: borders differ at {moved:?}"
            );
        }
    }
}
