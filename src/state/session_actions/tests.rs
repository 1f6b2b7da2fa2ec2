//! `update` sequences for the session browser's HTML export: the key hands the runtime an
//! effect naming the session under the cursor, and the result lands in the status line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::state::keymap::Scope;
use crate::state::*;
use crate::storage::index::{Entry, summarize};

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn browser() -> State {
    let mut s = State::new(Init {
        models: vec!["m/a".into()],
        base_url: "http://sim".into(),
        size: (120, 40),
        wall_ms: 1_795_805_172_000,
        session_id: "s1".into(),
        ..Init::default()
    });
    assert_eq!(update(&mut s, ctrl('o')), vec![Effect::LoadSessions]);
    let text = include_str!("../../../tests/fixtures/sessions/v1.json");
    let other = crate::storage::session::parse(text).unwrap();
    update(
        &mut s,
        Msg::SessionList(vec![
            Entry::Session(summarize(&other)),
            Entry::Unreadable {
                file: "bad.json".into(),
                reason: "not a session file".into(),
            },
        ]),
    );
    s
}

#[test]
fn ctrl_e_in_the_browser_exports_the_session_under_the_cursor() {
    let mut s = browser();
    let Some(Overlay::Sessions(b)) = &s.overlay else {
        panic!("the browser is open")
    };
    let id = b.current_id().unwrap();
    assert_eq!(update(&mut s, ctrl('e')), vec![Effect::ExportHtml(id)]);
    assert!(
        matches!(s.overlay, Some(Overlay::Sessions(_))),
        "the browser stays open"
    );
    let path = "/data/switchboard/exports/x.html";
    update(&mut s, Msg::Exported(Ok(path.into())));
    let notice = s.notice.as_ref().unwrap();
    assert_eq!(
        (notice.text.as_str(), notice.error),
        (
            "exported x.html (HTML) to /data/switchboard/exports/",
            false
        )
    );
    // A status line cut short (80 columns, hints beside it) keeps the start: the name.
    let long = "~/.local/share/switchboard/exports/20261127-164612-3f9a.html";
    update(&mut s, Msg::Exported(Ok(long.into())));
    let start: String = s.notice.as_ref().unwrap().text.chars().take(40).collect();
    assert_eq!(start, "exported 20261127-164612-3f9a.html (HTML");
    update(
        &mut s,
        Msg::Exported(Err("cannot write x: disk full".into())),
    );
    let notice = s.notice.as_ref().unwrap();
    assert_eq!(
        (notice.text.as_str(), notice.error),
        ("HTML export failed: cannot write x: disk full", true)
    );
}

#[test]
fn an_unreadable_file_is_not_exported() {
    let mut s = browser();
    update(&mut s, key(KeyCode::Down));
    assert!(update(&mut s, ctrl('e')).is_empty());
    assert!(s.notice.as_ref().is_some_and(|n| n.error));
}

#[test]
fn the_key_shows_in_the_hints_and_in_help() {
    let s = browser();
    assert_eq!(s.scope(), Scope::Sessions);
    let hints = s.keymap.hints(s.scope(), |a| works_over(&s, a));
    assert!(hints.contains(&("Ctrl-E".to_string(), "html")), "{hints:?}");
    let help = s
        .keymap
        .bindings
        .iter()
        .find(|b| b.scope == Scope::Sessions && b.action == keymap::Action::SessionExportHtml)
        .map(|b| (b.key.to_string(), b.help));
    assert_eq!(
        help,
        Some((
            "Ctrl-E".to_string(),
            "export as an HTML page (into the exports folder)"
        ))
    );
    // Nowhere else does Ctrl-E mean something that the browser would now shadow.
    assert!(s.keymap.bindings.iter().all(|b| b.key.to_string() != "Ctrl-E"
        || b.action == keymap::Action::SessionExportHtml));
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| update(s, key(KeyCode::Char(c))))
        .collect()
}

fn visible_ids(s: &State) -> Vec<String> {
    let Some(Overlay::Sessions(b)) = &s.overlay else {
        panic!("the browser is open")
    };
    b.visible
        .iter()
        .filter_map(|i| match &b.entries[*i] {
            Entry::Session(x) => Some(x.id.clone()),
            Entry::Unreadable { .. } => None,
        })
        .collect()
}

#[test]
fn typing_in_the_browser_searches_the_answers_through_the_history_database() {
    // Real files and the real full-text index: a word only an answer holds.
    let data = tempfile::tempdir().unwrap();
    let dir = crate::storage::session::sessions_dir(data.path());
    let text = include_str!("../../../tests/fixtures/sessions/v1.json");
    let mut inside = crate::storage::session::parse(text).unwrap();
    inside.id = "inside".into();
    inside.rounds[0].answers[0].text = "a rare zanzibarite crystal".into();
    let mut other = inside.clone();
    other.id = "other".into();
    other.rounds[0].answers[0].text = "plain".into();
    for x in [&inside, &other] {
        crate::storage::session::save(&dir, x).unwrap();
    }
    let mut s = browser();
    update(&mut s, Msg::SessionList(crate::storage::index::list(&dir)));
    assert_eq!(visible_ids(&s).len(), 2);

    // Each change of the query asks for a search off the loop; nothing matches locally.
    let fx = typed(&mut s, "zanz");
    let asked: Vec<Effect> = ["z", "za", "zan", "zanz"]
        .iter()
        .map(|q| Effect::SearchSessions(q.to_string()))
        .collect();
    assert_eq!(fx, asked);
    assert!(visible_ids(&s).is_empty());

    // Hits of an older query are not shown for the new one.
    let stale = crate::storage::history::search(&dir, "za").unwrap();
    update(
        &mut s,
        Msg::SearchHits {
            query: "za".into(),
            ids: stale,
        },
    );
    assert!(visible_ids(&s).is_empty());

    let ids = crate::storage::history::search(&dir, "zanz").unwrap();
    update(
        &mut s,
        Msg::SearchHits {
            query: "zanz".into(),
            ids,
        },
    );
    assert_eq!(visible_ids(&s), vec!["inside".to_string()]);

    // Erasing the query asks for nothing and shows everything again.
    let fx: Vec<Effect> = (0..4)
        .flat_map(|_| update(&mut s, key(KeyCode::Backspace)))
        .collect();
    assert_eq!(fx.len(), 3, "z, za, zan: the empty query is not searched");
    assert_eq!(visible_ids(&s).len(), 2);
}
