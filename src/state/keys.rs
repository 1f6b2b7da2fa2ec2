//! The default key table. Keys were chosen to work in every common terminal and over SSH:
//! Enter sends; Alt-Enter and Ctrl-J always insert a newline (Shift-Enter too where the
//! terminal speaks the kitty keyboard protocol).

use crossterm::event::{KeyCode, KeyModifiers};

use super::keymap::{Action, Binding, KeySpec, Keymap, Scope};

/// The built-in bindings (the config's `[keys]` rebinds over them).
impl Default for Keymap {
    fn default() -> Self {
        default_keymap()
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

fn b(
    scope: Scope,
    code: KeyCode,
    mods: KeyModifiers,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        scope,
        key: KeySpec::new(code, mods),
        action,
        help,
        hint,
    }
}

fn digit(n: u8) -> Binding {
    const HELP: [&str; 9] = [
        "copy code block [1]",
        "copy code block [2]",
        "copy code block [3]",
        "copy code block [4]",
        "copy code block [5]",
        "copy code block [6]",
        "copy code block [7]",
        "copy code block [8]",
        "copy code block [9]",
    ];
    b(
        Scope::Panes,
        KeyCode::Char((b'0' + n) as char),
        NONE,
        Action::CopyCode(n),
        HELP[n as usize - 1],
        None,
    )
}

#[rustfmt::skip]
pub fn default_keymap() -> Keymap {
    use Action as A;
    use KeyCode as K;
    use Scope as S;
    let c = |ch: char| K::Char(ch);
    Keymap {
        bindings: vec![
            b(S::Global, c('q'), CTRL, A::Quit, "quit", Some("quit")),
            b(S::Global, K::F(1), NONE, A::Help, "help: every key", Some("help")),
            b(S::Global, c('p'), CTRL, A::OpenPicker, "pick models", Some("models")),
            b(S::Global, c('t'), CTRL, A::OpenParams, "system prompt and parameters", None),
            b(S::Global, c('c'), CTRL, A::CancelAll, "cancel all streams", None),
            b(S::Global, c('x'), CTRL, A::CancelFocused, "cancel the focused pane", None),
            b(S::Global, c('r'), CTRL, A::RetryFocused, "retry the focused pane", None),
            b(S::Global, c('z'), CTRL, A::Zoom, "zoom the focused pane", None),
            b(S::Global, K::Tab, NONE, A::FocusNext, "focus the next pane", Some("panes")),
            b(S::Global, K::Tab, SHIFT, A::FocusPrev, "focus the previous pane", None),
            b(S::Global, K::PageUp, NONE, A::PageUp, "scroll the focused pane up", None),
            b(S::Global, K::PageDown, NONE, A::PageDown, "scroll the focused pane down", None),
            b(S::Global, c('m'), ALT, A::ToggleMouse, "mouse capture on/off (off: native selection)", None),
            b(S::Editor, K::Enter, NONE, A::SendAll, "send to every pane", Some("send")),
            b(S::Editor, c('s'), CTRL, A::SendFocused, "send to the focused pane only", None),
            b(S::Editor, K::Enter, ALT, A::Newline, "new line", Some("newline")),
            b(S::Editor, c('j'), CTRL, A::Newline, "new line", None),
            b(S::Editor, K::Enter, SHIFT, A::Newline, "new line (kitty keyboard terminals)", None),
            b(S::Editor, c('g'), CTRL, A::ExternalEditor, "edit the prompt in $EDITOR", None),
            b(S::Editor, c('u'), CTRL, A::DeleteToLineStart, "delete to the start of the line", None),
            b(S::Editor, c('k'), CTRL, A::DeleteToLineEnd, "delete to the end of the line", None),
            b(S::Editor, c('w'), CTRL, A::DeleteWordBefore, "delete the word before the cursor", None),
            b(S::Global, c('l'), CTRL, A::Repaint, "redraw the whole screen", None),
            b(S::Editor, K::Up, NONE, A::HistoryPrev, "previous prompt (on the first line)", None),
            b(S::Editor, K::Down, NONE, A::HistoryNext, "next prompt (on the last line)", None),
            b(S::Editor, K::Tab, NONE, A::CompletePath, "complete an @path and attach the file (elsewhere: next pane)", None),
            b(S::Editor, K::Backspace, NONE, A::Detach, "take the last attachment off (in an empty prompt)", None),
            b(S::Panes, c('?'), NONE, A::Help, "help", Some("help")),
            b(S::Panes, c('j'), NONE, A::ScrollDown, "scroll down", None),
            b(S::Panes, K::Down, NONE, A::ScrollDown, "scroll down", None),
            b(S::Panes, c('k'), NONE, A::ScrollUp, "scroll up", None),
            b(S::Panes, K::Up, NONE, A::ScrollUp, "scroll up", None),
            b(S::Panes, c('g'), NONE, A::ScrollTop, "top", None),
            b(S::Panes, c('G'), NONE, A::ScrollBottom, "bottom (follow)", None),
            b(S::Panes, c('z'), NONE, A::Zoom, "zoom", Some("zoom")),
            b(S::Panes, c('x'), NONE, A::CancelFocused, "cancel", Some("cancel")),
            b(S::Panes, c('r'), NONE, A::RetryFocused, "retry", Some("retry")),
            b(S::Panes, c('m'), NONE, A::ToggleMouse, "mouse on/off", None),
            b(S::Panes, c('y'), NONE, A::CopyAnswer, "copy the answer (markdown source)", Some("copy")),
            b(S::Panes, c('Y'), NONE, A::CopyReasoning, "copy the reasoning", None),
            b(S::Panes, c('s'), NONE, A::ToggleRaw, "rendered / raw markdown", None),
            b(S::Panes, c('t'), NONE, A::ToggleReasoning, "show / hide the reasoning", None),
            b(S::Global, c('y'), CTRL, A::CopyAnswer, "copy the focused pane's answer", None),
            b(S::Panes, K::Enter, NONE, A::FocusEditor, "back to the prompt", None),
            b(S::Panes, K::Esc, NONE, A::FocusEditor, "back to the prompt", Some("prompt")),
            b(S::Picker, K::Enter, NONE, A::PickerApply, "use the selected models", Some("use")),
            b(S::Picker, c(' '), NONE, A::PickerToggle, "select or unselect", Some("select")),
            b(S::Global, c('o'), CTRL, A::OpenSessions, "saved sessions: open, rename, delete", Some("sessions")),
            b(S::Global, K::F(2), NONE, A::OpenScoreboard, "ratings and scoreboard across all sessions", None),
            b(S::Global, c('n'), CTRL, A::NewSession, "start a new session", None),
            b(S::Panes, c('a'), NONE, A::Adopt, "adopt this answer as the round's winner", Some("adopt")),
            b(S::Panes, c('A'), NONE, A::AdoptAlone, "adopt it and continue with this model alone", None),
            b(S::Panes, c('e'), NONE, A::EditEarlier, "edit an earlier prompt (starts a branch)", None),
            b(S::Editor, K::Esc, NONE, A::CancelBranch, "stop editing an earlier prompt", None),
            b(S::Sessions, K::Enter, NONE, A::SessionOpen, "open the session", Some("open")),
            b(S::Sessions, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Sessions, K::Up, NONE, A::MoveUp, "move up", None),
            b(S::Sessions, K::Down, NONE, A::MoveDown, "move down", None),
            b(S::Sessions, c('r'), CTRL, A::SessionRename, "rename", Some("rename")),
            b(S::Sessions, c('d'), CTRL, A::SessionDelete, "delete (asks first)", Some("delete")),
            b(S::Sessions, c('e'), CTRL, A::SessionExportHtml, "export as an HTML page (into the exports folder)", Some("html")),
            b(S::Sessions, c('f'), CTRL, A::SessionSearchContent, "search the answers too", Some("search answers")),
            b(S::Rounds, K::Enter, NONE, A::SessionOpen, "edit this prompt", Some("edit")),
            b(S::Rounds, K::Up, NONE, A::MoveUp, "move up", None),
            b(S::Rounds, K::Down, NONE, A::MoveDown, "move down", None),
            b(S::Rounds, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Scoreboard, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Scoreboard, K::Up, NONE, A::ScrollUp, "scroll", None),
            b(S::Scoreboard, K::Down, NONE, A::ScrollDown, "scroll", None),
            b(S::Scoreboard, K::Home, NONE, A::ScrollTop, "top", None),
            b(S::Scoreboard, K::End, NONE, A::ScrollBottom, "end", None),
            b(S::Verdict, K::Up, NONE, A::ScrollUp, "scroll", None),
            b(S::Verdict, K::Down, NONE, A::ScrollDown, "scroll", None),
            b(S::Help, K::Home, NONE, A::ScrollTop, "top", None),
            b(S::Help, K::End, NONE, A::ScrollBottom, "end", None),
            b(S::Help, K::F(1), NONE, A::Close, "close", None),
            b(S::Panes, c('d'), NONE, A::DiffNext, "word diff: this answer against the next pane's", None),
            b(S::Diff, K::Tab, NONE, A::DiffNext, "other pane, or the adopted answer a retry replaced", Some("other")),
            b(S::Diff, K::Up, NONE, A::ScrollUp, "scroll", None),
            b(S::Diff, K::Down, NONE, A::ScrollDown, "scroll", None),
            b(S::Diff, K::Home, NONE, A::ScrollTop, "top", None),
            b(S::Diff, K::End, NONE, A::ScrollBottom, "end", None),
            b(S::Diff, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Panes, c('l'), NONE, A::ToggleSync, "scroll all panes together, on/off (lined up by heading)", None),
            b(S::Panes, c('c'), NONE, A::RaceChart, "race chart: tokens against time, every pane", None),
            b(S::Race, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Race, c('c'), NONE, A::RaceChart, "close", None),
            b(S::Overflow, c('t'), NONE, A::OverflowTrim, "trim: leave out the oldest rounds to fit", Some("trim")),
            b(S::Overflow, c('s'), NONE, A::OverflowSend, "send anyway, whole: the provider may refuse it", Some("send anyway")),
            b(S::Overflow, c('n'), NONE, A::OverflowNew, "new conversation with just this prompt", Some("new")),
            b(S::Overflow, K::Esc, NONE, A::Close, "back to the prompt", Some("back")),
            b(S::Global, K::F(3), NONE, A::ToggleBlind, "blind mode: shuffled panes named A, B, C… (off reveals)", Some("blind")),
            b(S::Panes, c('v'), NONE, A::VoteBest, "vote this answer the best (stops the rest, reveals)", Some("vote")),
            b(S::Panes, c('='), NONE, A::VoteTie, "vote a tie: all equally good (stops, reveals)", None),
            b(S::Panes, c('-'), NONE, A::VoteAllBad, "vote all bad (stops the streams, reveals)", None),
            b(S::Panes, c(']'), NONE, A::NextPrompt, "a batch session: the next prompt's answers", None),
            b(S::Panes, c('['), NONE, A::PrevPrompt, "a batch session: the previous prompt's answers", None),
            b(S::Global, K::F(4), NONE, A::AskJudge, "ask the judge to compare this round's answers", None),
            b(S::Panes, c('J'), NONE, A::AskJudge, "ask the judge to compare this round's answers", None),
            b(S::Verdict, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Verdict, K::F(4), NONE, A::AskJudge, "ask the judge again (its readings are paid again)", Some("ask again")),
            b(S::Verdict, K::Enter, NONE, A::Close, "close", None),
            digit(1),
            digit(2),
            digit(3),
            digit(4),
            digit(5),
            digit(6),
            digit(7),
            digit(8),
            digit(9),
            b(S::Picker, K::Up, NONE, A::MoveUp, "move up", None),
            b(S::Picker, K::Down, NONE, A::MoveDown, "move down", None),
            b(S::Picker, c('s'), CTRL, A::PickerSort, "sort: relevance, price, context, name, newest", Some("sort")),
            b(S::Picker, c('f'), CTRL, A::PickerFreeOnly, "free models only", Some("free only")),
            b(S::Picker, c('d'), CTRL, A::PickerFavourite, "favourite on/off", Some("favourite")),
            b(S::Picker, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Params, K::Esc, NONE, A::Close, "close (changes are kept)", Some("close")),
            b(S::Params, K::Enter, NONE, A::Close, "close (changes are kept)", None),
            b(S::Params, K::Up, NONE, A::MoveUp, "previous field", Some("field")),
            b(S::Params, K::Down, NONE, A::MoveDown, "next field", None),
            b(S::Help, K::Esc, NONE, A::Close, "close", Some("close")),
            b(S::Help, c('?'), NONE, A::Close, "close", None),
            b(S::Help, K::Up, NONE, A::ScrollUp, "scroll", None),
            b(S::Help, K::Down, NONE, A::ScrollDown, "scroll", None),
            b(S::Welcome, c('d'), NONE, A::StartDemo, "try the demo simulator", Some("demo")),
        ],
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyEvent;

    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn resolves_scope_before_global() {
        let km = default_keymap();
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::Enter, NONE)),
            Some(Action::SendAll)
        );
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::Enter, ALT)),
            Some(Action::Newline)
        );
        assert_eq!(
            km.resolve(Scope::Picker, &ev(KeyCode::Enter, NONE)),
            Some(Action::PickerApply)
        );
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::Char('q'), CTRL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.resolve(Scope::Picker, &ev(KeyCode::Char('q'), CTRL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::Char('a'), NONE)),
            None
        );
        // Shift does not matter for printable characters; BackTab is Shift-Tab.
        assert_eq!(
            km.resolve(Scope::Panes, &ev(KeyCode::Char('?'), SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            km.resolve(Scope::Panes, &ev(KeyCode::Char('G'), SHIFT)),
            Some(Action::ScrollBottom)
        );
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::BackTab, SHIFT)),
            Some(Action::FocusPrev)
        );
        // Some terminals report Ctrl-letters uppercase.
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::Char('Q'), CTRL)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        let km = default_keymap();
        for (i, a) in km.bindings.iter().enumerate() {
            for b in &km.bindings[i + 1..] {
                assert!(
                    !(a.scope == b.scope && a.key == b.key),
                    "{:?} {} twice",
                    a.scope,
                    a.key
                );
            }
        }
    }

    #[test]
    fn key_specs_parse_and_print() {
        for (text, shown) in [
            ("ctrl-z", "Ctrl-Z"),
            ("alt-enter", "Alt-Enter"),
            ("f1", "F1"),
            ("?", "?"),
            ("shift-tab", "Shift-Tab"),
            ("space", "Space"),
            ("pgdn", "PgDn"),
            ("G", "G"),
        ] {
            assert_eq!(KeySpec::parse(text).unwrap().to_string(), shown, "{text}");
        }
        assert!(KeySpec::parse("hyper-x").is_err());
    }

    #[test]
    fn rebinding_replaces_and_refuses_clashes() {
        let mut km = default_keymap();
        km.rebind(Action::Zoom, &[KeySpec::parse("f11").unwrap()])
            .unwrap();
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::F(11), NONE)),
            Some(Action::Zoom)
        );
        assert_eq!(
            km.resolve(Scope::Editor, &ev(KeyCode::Char('z'), CTRL)),
            None
        );
        let err = km
            .rebind(Action::Help, &[KeySpec::parse("ctrl-q").unwrap()])
            .unwrap_err();
        assert!(err.contains("Quit"), "{err}");
    }

    #[test]
    fn hints_come_from_the_table() {
        let km = default_keymap();
        let hints = km.hints(Scope::Editor, |_| true);
        assert_eq!(hints[0], ("Enter".to_string(), "send"));
        assert!(hints.contains(&("Ctrl-Q".to_string(), "quit")));
        assert_eq!(
            km.hints(Scope::Panes, |_| true)[0],
            ("?".to_string(), "help")
        );
        assert!(hints.iter().all(|(k, _)| k != "Shift-Enter"));
    }
}
