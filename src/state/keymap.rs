//! The one keymap table: (scope, key) -> action, with the words the help overlay and the status
//! bar hints show. Config overrides rebind actions by name.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for, named for intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    SendAll,
    SendFocused,
    Newline,
    OpenPicker,
    OpenParams,
    ExternalEditor,
    FocusNext,
    FocusPrev,
    FocusEditor,
    CancelFocused,
    CancelAll,
    RetryFocused,
    Zoom,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    ScrollTop,
    ScrollBottom,
    ToggleMouse,
    HistoryPrev,
    HistoryNext,
    CompletePath,
    Detach,
    PickerToggle,
    PickerApply,
    PickerSort,
    PickerFreeOnly,
    PickerFavourite,
    MoveUp,
    MoveDown,
    Close,
    StartDemo,
    ToggleRaw,
    ToggleReasoning,
    CopyAnswer,
    CopyReasoning,
    /// Copy code block N of the focused pane (bound to the digit keys).
    #[serde(skip)]
    CopyCode(u8),
    OpenSessions,
    OpenScoreboard,
    NewSession,
    Adopt,
    AdoptAlone,
    EditEarlier,
    CancelBranch,
    SessionOpen,
    SessionRename,
    SessionDelete,
    SessionSearchContent,
    SessionExportHtml,
    DeleteToLineStart,
    DeleteToLineEnd,
    DeleteWordBefore,
    Repaint,
    ToggleBlind,
    VoteBest,
    VoteTie,
    VoteAllBad,
    AskJudge,
    OverflowTrim,
    OverflowSend,
    OverflowNew,
    DiffNext,
    RaceChart,
    ToggleSync,
    NextPrompt,
    PrevPrompt,
}

/// Where a binding applies. `Global` applies everywhere unless the focused scope binds the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Global,
    Editor,
    Panes,
    Picker,
    Params,
    Help,
    Welcome,
    Sessions,
    Rounds,
    Scoreboard,
    Verdict,
    Overflow,
    Diff,
    Race,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Anywhere",
            Scope::Editor => "Prompt editor",
            Scope::Panes => "Panes (Tab to focus)",
            Scope::Picker => "Model picker",
            Scope::Params => "Round parameters",
            Scope::Help => "Help",
            Scope::Welcome => "First screen",
            Scope::Sessions => "Session browser",
            Scope::Rounds => "Edit an earlier prompt",
            Scope::Scoreboard => "Ratings and scoreboard",
            Scope::Verdict => "Judge's verdict",
            Scope::Overflow => "Prompt over a model's context",
            Scope::Diff => "Word diff of two answers",
            Scope::Race => "Race chart",
        }
    }
}

/// A key with modifiers, as written in the config: `ctrl-z`, `alt-enter`, `f1`, `?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeySpec {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> KeySpec {
        KeySpec { code, mods }
    }

    /// Normalises an event: letters typed with Ctrl compare lowercase, and Shift is ignored
    /// for printable characters (`?` arrives with or without it depending on the terminal).
    pub fn from_event(ev: &KeyEvent) -> KeySpec {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if mods.is_empty() {
                    c
                } else {
                    c.to_ascii_lowercase()
                })
            }
            KeyCode::BackTab => {
                mods.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        KeySpec { code, mods }
    }

    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let lower = text.trim().to_ascii_lowercase();
        let mut mods = KeyModifiers::NONE;
        let mut rest = lower.as_str();
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                mods |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-") {
                mods |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            f if f.starts_with('f') && f.len() > 1 && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            c if c.chars().count() == 1 => {
                let ch = text.trim().chars().last().unwrap_or(' ');
                KeyCode::Char(if mods.is_empty() {
                    ch
                } else {
                    ch.to_ascii_lowercase()
                })
            }
            _ => {
                return Err(format!(
                    "unknown key {text:?} (examples: ctrl-z, alt-enter, f1, ?)"
                ));
            }
        };
        if let KeyCode::Char(_) = code {
            mods.remove(KeyModifiers::SHIFT);
        }
        Ok(KeySpec { code, mods })
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.is_empty() => write!(f, "{c}"),
            KeyCode::Char(c) => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Binding {
    pub scope: Scope,
    pub key: KeySpec,
    pub action: Action,
    pub help: &'static str,
    /// A short label for the status bar hints of its scope, if it is shown there.
    pub hint: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Keymap {
    /// The action bound to a key in `scope`, falling back to the global bindings.
    pub fn resolve(&self, scope: Scope, key: &KeyEvent) -> Option<Action> {
        self.resolve_from(scope, key).map(|(a, _)| a)
    }

    /// [`Keymap::resolve`], with the scope the binding comes from.
    pub fn resolve_from(&self, scope: Scope, key: &KeyEvent) -> Option<(Action, Scope)> {
        let spec = KeySpec::from_event(key);
        let find = |s: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == s && b.key == spec)
                .map(|b| (b.action, s))
        };
        find(scope).or_else(|| find(Scope::Global))
    }

    /// The first key of an action in a scope (or globally), for hints: `Ctrl-P`.
    pub fn key_for(&self, scope: Scope, action: Action) -> Option<KeySpec> {
        self.bindings
            .iter()
            .find(|b| b.action == action && (b.scope == scope || b.scope == Scope::Global))
            .map(|b| b.key)
    }

    /// Hints for the status bar: the scope's labelled bindings, then the global ones that
    /// `global` lets through (an open overlay takes most keys).
    pub fn hints(
        &self,
        scope: Scope,
        global: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for s in [scope, Scope::Global] {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.scope == s && (s != Scope::Global || global(b.action)))
            {
                if let Some(label) = b.hint
                    && !seen.contains(&b.action)
                {
                    seen.push(b.action);
                    out.push((b.key.to_string(), label));
                }
            }
        }
        out
    }

    /// Replaces the keys of an action in every scope it is bound in.
    pub fn rebind(&mut self, action: Action, keys: &[KeySpec]) -> Result<(), String> {
        let template: Vec<Binding> = self
            .bindings
            .iter()
            .filter(|b| b.action == action)
            .cloned()
            .collect();
        let Some(first) = template.first().cloned() else {
            return Err(format!("{action:?} has no binding to replace"));
        };
        self.bindings.retain(|b| b.action != action);
        for key in keys {
            if let Some(clash) = self.bindings.iter().find(|b| {
                b.key == *key
                    && (b.scope == first.scope
                        || b.scope == Scope::Global
                        || first.scope == Scope::Global)
            }) {
                return Err(format!("{key} is already bound to {:?}", clash.action));
            }
            self.bindings.push(Binding {
                key: *key,
                ..first.clone()
            });
        }
        Ok(())
    }
}
