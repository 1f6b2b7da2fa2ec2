//! Keys while an overlay is open (the overlay's own input first, a few global keys through),
//! help as a page, and the readline keys of the prompt.

use crossterm::event::{KeyCode, KeyModifiers, MouseEvent, MouseEventKind};

use crate::state::rounds::tests::*;
use crate::state::*;

#[test]
fn readline_keys_edit_the_prompt() {
    use crate::state::rounds::tests::{ctrl, key, state};
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, Msg::Paste("first line\nhello big world".into()));
    update(&mut s, ctrl('w'));
    assert_eq!(s.editor.text(), "first line\nhello big ");
    update(&mut s, key(KeyCode::Left));
    update(&mut s, key(KeyCode::Left));
    update(&mut s, ctrl('k'));
    assert_eq!(s.editor.text(), "first line\nhello bi");
    update(&mut s, ctrl('u'));
    assert_eq!(
        s.editor.text(),
        "first line\n",
        "only this line, up to the cursor"
    );
    let fx = update(&mut s, ctrl('l'));
    assert_eq!(fx, vec![Effect::Repaint]);
}

#[test]
fn help_is_a_page_that_stops_at_its_end_and_takes_the_keys() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, key(KeyCode::F(1)));
    // The last frame said: 95 lines, 20 visible.
    update(
        &mut s,
        Msg::Viewports(Views {
            panes: vec![(0, 10, None)],
            overlay: Some((95, 20)),
        }),
    );
    let scroll = |s: &State| match &s.overlay {
        Some(Overlay::Help { scroll }) => *scroll,
        _ => panic!("help closed"),
    };
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(scroll(&s), 19, "a page less one line");
    update(&mut s, key(KeyCode::End));
    assert_eq!(scroll(&s), 75, "the end, not past it");
    update(&mut s, key(KeyCode::Down));
    assert_eq!(scroll(&s), 75);
    update(&mut s, key(KeyCode::Home));
    assert_eq!(scroll(&s), 0);
    update(
        &mut s,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 5,
            row: 5,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(scroll(&s), 3, "the wheel scrolls it");
    // Keys bound elsewhere wait: Ctrl-N behind F1 starts no new session.
    let fx = update(&mut s, ctrl('n'));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    let fx = update(&mut s, ctrl('q'));
    assert!(fx.contains(&Effect::Quit), "quitting still works");
}

#[test]
fn an_overlay_s_own_input_gets_the_keys_bound_elsewhere() {
    let mut s = state(&["sim/swift-mini"]);
    update(&mut s, ctrl('t'));
    update(&mut s, key(KeyCode::Tab));
    let Some(Overlay::Params(form)) = &s.overlay else {
        panic!("params closed")
    };
    assert_eq!(
        form.field, 1,
        "Tab moves to the next field, not the next pane"
    );
    let hints = s
        .keymap
        .hints(s.scope(), |a| crate::state::works_over(&s, a));
    assert!(
        hints.iter().all(|(_, h)| *h != "models" && *h != "panes"),
        "no hint for a key the overlay holds back: {hints:?}"
    );
}
