use super::*;

#[test]
fn mentions_are_words_that_start_with_an_at_sign() {
    assert_eq!(
        mentions("explain @src/lib.rs, and @notes.md. mail a@b.com @ @src/lib.rs"),
        ["src/lib.rs", "notes.md"]
    );
    assert!(mentions("no files here").is_empty());
}

#[test]
fn the_common_prefix_stops_at_the_first_difference() {
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        common_prefix(&words(&["src/lib.rs", "src/list.rs"])),
        "src/li"
    );
    assert_eq!(common_prefix(&words(&["a", "ab"])), "a");
    assert_eq!(common_prefix(&words(&["é1", "é2"])), "é");
}

use crate::chat::attach::{Attachment, IMAGE_TOKENS};
use crate::state::rounds::tests::{chars, key, state};
use crate::state::{Msg, update};
use crossterm::event::KeyCode;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn file(name: &str, bytes: &[u8]) -> Attachment {
    let mut a = Attachment::from_bytes(name, bytes.to_vec()).unwrap();
    a.data = None;
    a
}

fn attach(s: &mut State, files: Vec<Attachment>, send: Option<bool>) -> Vec<Effect> {
    let results = files.into_iter().map(|a| (a.name.clone(), Ok(a))).collect();
    update(s, Msg::Attached { results, send })
}

fn requests(fx: &[Effect]) -> Vec<&crate::chat::ChatRequest> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::StartStream { request, .. } => Some(request),
            _ => None,
        })
        .collect()
}

#[test]
fn chips_count_in_the_estimate_and_go_with_the_prompt_each_model_as_it_can_take_them() {
    let mut s = state(&["sim/sage-large", "sim/swift-mini"]);
    chars(&mut s, "review");
    let (before, _) = s.prompt_estimate("review");
    let code = file("src/lib.rs", "fn f() {}\n".repeat(400).as_bytes());
    let text_tokens = code.tokens;
    attach(&mut s, vec![code, file("cat.png", PNG)], None);
    assert_eq!(s.attachments.len(), 2);
    assert_eq!(
        s.attached_tokens(0),
        text_tokens + IMAGE_TOKENS,
        "sage-large takes images"
    );
    assert_eq!(s.attached_tokens(1), text_tokens, "swift-mini does not");
    let (after, _) = s.prompt_estimate("review");
    assert!(
        after > before,
        "the estimate counts the attachments: {before:?} -> {after:?}"
    );

    let fx = update(&mut s, key(KeyCode::Enter));
    let sent = requests(&fx);
    assert_eq!(sent.len(), 2);
    let names = |r: &crate::chat::ChatRequest| -> Vec<String> {
        r.messages
            .last()
            .unwrap()
            .attachments
            .iter()
            .map(|a| a.name.clone())
            .collect()
    };
    assert_eq!(names(sent[0]), ["src/lib.rs", "cat.png"]);
    assert_eq!(names(sent[1]), ["src/lib.rs"]);
    assert!(s.attachments.is_empty(), "the chips went with the prompt");
    let skipped = &s.panes[1].turns[0].answer.notes;
    assert_eq!(
        skipped,
        &["cat.png not sent: sim/swift-mini takes no images (none in its catalog entry)"]
    );
    assert!(s.panes[0].turns[0].answer.notes.is_empty());

    // A follow-up carries them in the history; the session file names them once, by hash.
    update(&mut s, Msg::Paste("and now?".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    let again = requests(&fx);
    assert_eq!(again[0].messages[0].attachments.len(), 2);
    assert_eq!(again[1].messages[0].attachments.len(), 1);
    assert!(again[0].messages.last().unwrap().attachments.is_empty());
    let saved = s.session_snapshot().unwrap();
    assert_eq!(saved.rounds[0].attachments.len(), 2);
    let swift = saved.rounds[0]
        .answers
        .iter()
        .find(|a| a.model == "sim/swift-mini")
        .unwrap();
    assert_eq!(
        swift.not_sent,
        [saved.rounds[0].attachments[1].sha256.clone()]
    );

    // Reopened, the history still sends each model what it was sent.
    let mut reopened = state(&[]);
    reopened.restore(saved);
    update(&mut reopened, Msg::Paste("more?".into()));
    let fx = update(&mut reopened, key(KeyCode::Enter));
    let more = requests(&fx);
    assert_eq!(more[0].messages[0].attachments.len(), 2);
    assert_eq!(more[1].messages[0].attachments.len(), 1);
}

#[test]
fn an_at_path_is_looked_up_before_the_send_and_one_naming_no_file_stays_text() {
    let mut s = state(&["sim/swift-mini"]);
    update(
        &mut s,
        Msg::Paste("explain @notes.md and @team please".into()),
    );
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(requests(&fx).is_empty(), "the send waits for the files");
    let Some(Effect::Attach { paths, send }) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(
        (paths.as_slice(), *send),
        (
            &["notes.md".to_string(), "team".to_string()][..],
            Some(false)
        )
    );

    let results = vec![
        ("notes.md".to_string(), Ok(file("notes.md", b"# notes\n"))),
        ("team".to_string(), Err(AttachError::Missing("team".into()))),
    ];
    let fx = update(
        &mut s,
        Msg::Attached {
            results,
            send: Some(false),
        },
    );
    assert!(
        requests(&fx).is_empty(),
        "the chips show before anything goes"
    );
    assert_eq!(s.attachments.len(), 1);
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .ends_with("Enter sends with them")
    );
    let fx = update(&mut s, key(KeyCode::Enter));
    let sent = requests(&fx);
    assert_eq!(sent.len(), 1);
    let last = sent[0].messages.last().unwrap();
    assert_eq!(last.content, "explain notes.md and @team please");
    assert_eq!(last.attachments[0].name, "notes.md");
}

#[test]
fn a_file_that_cannot_go_stops_the_send_with_the_reason() {
    let mut s = state(&["sim/free-spirit:free"]);
    update(&mut s, Msg::Paste("look at @big.txt".into()));
    update(&mut s, key(KeyCode::Enter));
    // About 50,000 tokens, over free-spirit's 32,768.
    let big = file("big.txt", "word ".repeat(40_000).as_bytes());
    let fx = attach(&mut s, vec![big], Some(false));
    assert!(requests(&fx).is_empty());
    assert!(s.attachments.is_empty());
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        notice.starts_with("cannot attach: the prompt and its attachments come to ~")
            && notice.contains("over the 32,768-token context of sim/free-spirit:free"),
        "{notice}"
    );
    assert_eq!(s.editor.text(), "look at @big.txt", "the prompt is kept");
}

#[test]
fn backspace_in_an_empty_prompt_takes_the_last_chip_off() {
    let mut s = state(&["sim/swift-mini"]);
    attach(&mut s, vec![file("a.txt", b"a"), file("b.txt", b"b")], None);
    chars(&mut s, "x");
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(
        (s.editor.text().as_str(), s.attachments.len()),
        ("", 2),
        "a character first"
    );
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.attachments.len(), 1);
    assert_eq!(s.attachments[0].name, "a.txt");
}

#[test]
fn tab_after_an_at_path_completes_it_and_elsewhere_moves_focus() {
    let mut s = state(&["sim/swift-mini", "sim/sage-large"]);
    chars(&mut s, "see @sr");
    let fx = update(&mut s, key(KeyCode::Tab));
    assert!(
        matches!(fx.as_slice(), [Effect::CompletePath(t)] if t == "sr"),
        "{fx:?}"
    );
    let complete = |s: &mut State, token: &str, matches: &[&str]| {
        let matches = matches.iter().map(|m| m.to_string()).collect();
        update(
            s,
            Msg::PathCompletions {
                token: token.into(),
                matches,
            },
        )
    };
    complete(&mut s, "sr", &["src/"]);
    assert_eq!(s.editor.text(), "see @src/");
    chars(&mut s, "li");
    complete(&mut s, "src/li", &["src/lib.rs", "src/list.rs"]);
    assert_eq!(s.editor.text(), "see @src/li", "nothing longer is shared");
    chars(&mut s, "b");
    let fx = complete(&mut s, "src/lib", &["src/lib.rs"]);
    assert_eq!(s.editor.text(), "see src/lib.rs ");
    assert!(
        matches!(fx.as_slice(), [Effect::Attach { paths, send: None }] if paths == &["src/lib.rs"])
    );
    // A late answer for a word no longer being typed changes nothing.
    complete(&mut s, "zz", &["zzz.txt"]);
    assert_eq!(s.editor.text(), "see src/lib.rs ");

    let before = s.focus;
    update(&mut s, key(KeyCode::Tab));
    assert_ne!(
        s.focus, before,
        "Tab without an @path moves the focus as before"
    );
}

#[test]
fn a_send_with_an_image_waits_for_the_model_list() {
    let mut s = state(&["sim/sage-large"]);
    s.catalog = None;
    attach(&mut s, vec![file("cat.png", PNG)], None);
    update(&mut s, Msg::Paste("what is this?".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(requests(&fx).is_empty(), "no request before the model list");
    let fx = update(
        &mut s,
        Msg::Catalog(Ok(crate::state::rounds::tests::catalog())),
    );
    let sent = requests(&fx);
    assert_eq!(
        sent[0].messages.last().unwrap().attachments.len(),
        1,
        "sage-large takes images"
    );
}
