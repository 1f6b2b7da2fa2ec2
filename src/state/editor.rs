//! The prompt editor: a multi-line ratatui-textarea with bracketed paste and a history of sent
//! prompts (Up on the first line, Down on the last).
//!
//! The one documented exception to "state holds no widgets": the textarea owns the editing
//! logic (cursor, selection, undo, wrapping) that would otherwise be written again here, so
//! the state keeps it; everything else in `state` is plain data.

use crossterm::event::KeyEvent;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{TextArea, WrapMode};

pub struct Editor {
    pub area: TextArea<'static>,
    /// Position in the history while browsing it.
    browsing: Option<usize>,
    /// What was typed before browsing started, restored past the newest entry.
    draft: String,
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor")
            .field("text", &self.text())
            .finish()
    }
}

impl Clone for Editor {
    fn clone(&self) -> Self {
        let mut e = Editor::new();
        e.set_text(&self.text());
        e
    }
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

impl Editor {
    pub fn new() -> Editor {
        let mut area = TextArea::default();
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.set_cursor_line_style(Style::default());
        area.set_placeholder_text("Ask every model something…");
        area.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
        Editor {
            area,
            browsing: None,
            draft: String::new(),
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.area.is_empty()
    }

    pub fn set_text(&mut self, text: &str) {
        // A fresh textarea rather than select-all and cut: the textarea's selection keeps
        // columns as u16, so a pasted line past 65,535 characters was only partly cut and
        // the rest stayed in the editor after a send.
        let cursor = self.area.cursor_style();
        self.area = Editor::new().area;
        self.area.set_cursor_style(cursor);
        self.area.insert_str(text);
    }

    pub fn clear(&mut self) {
        self.set_text("");
        self.browsing = None;
        self.draft.clear();
    }

    /// Shows or hides the cursor.
    pub fn set_focused(&mut self, focused: bool) {
        let style = if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        self.area.set_cursor_style(style);
    }

    pub fn key(&mut self, key: KeyEvent) {
        self.browsing = None;
        self.area.input(key);
    }

    /// Ctrl-U, Ctrl-K, Ctrl-W: as readline does.
    pub fn delete_to_line_start(&mut self) {
        self.browsing = None;
        self.area.delete_line_by_head();
    }

    pub fn delete_to_line_end(&mut self) {
        self.browsing = None;
        self.area.delete_line_by_end();
    }

    pub fn delete_word_before(&mut self) {
        self.browsing = None;
        self.area.delete_word();
    }

    pub fn newline(&mut self) {
        self.area.insert_newline();
    }

    /// The `@path` being typed: the word that ends at the cursor, when it starts with `@`
    /// (without the `@`).
    pub fn mention_at_cursor(&self) -> Option<String> {
        let ratatui_textarea::DataCursor(row, col) = self.area.cursor();
        let line = self.area.lines().get(row)?;
        let before: String = line.chars().take(col).collect();
        let word = before.rsplit(char::is_whitespace).next()?;
        word.strip_prefix('@').map(str::to_string)
    }

    /// Replaces the word that ends at the cursor (`chars` long) with `with`.
    pub fn replace_before_cursor(&mut self, chars: usize, with: &str) {
        self.browsing = None;
        for _ in 0..chars {
            self.area.delete_char();
        }
        self.area.insert_str(with);
    }

    /// Inserts pasted text as it is, line breaks included (terminals paste them as `\r`).
    pub fn paste(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        self.area.insert_str(text);
    }

    pub fn on_first_line(&self) -> bool {
        self.area.cursor().0 == 0
    }

    pub fn on_last_line(&self) -> bool {
        self.area.cursor().0 + 1 >= self.area.lines().len()
    }

    /// Steps back through sent prompts. Returns false when there is nothing older.
    pub fn history_prev(&mut self, history: &[String]) -> bool {
        let next = match self.browsing {
            None if history.is_empty() => return false,
            None => {
                self.draft = self.text();
                history.len() - 1
            }
            Some(0) => return false,
            Some(i) => i - 1,
        };
        self.browsing = Some(next);
        self.set_text(&history[next]);
        true
    }

    /// Steps forward; past the newest prompt the draft comes back.
    pub fn history_next(&mut self, history: &[String]) -> bool {
        let Some(i) = self.browsing else {
            return false;
        };
        if i + 1 < history.len() {
            self.browsing = Some(i + 1);
            self.set_text(&history[i + 1]);
        } else {
            self.browsing = None;
            let draft = std::mem::take(&mut self.draft);
            self.set_text(&draft);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paste_keeps_line_breaks() {
        let mut e = Editor::new();
        e.paste("a\r\nb\rc\nd");
        assert_eq!(e.text(), "a\nb\nc\nd");
        assert!(e.on_last_line() && !e.on_first_line());
    }

    #[test]
    fn a_line_longer_than_u16_clears_whole() {
        let mut e = Editor::new();
        e.set_focused(true);
        e.paste(&"Please review this log line by line. ".repeat(4000));
        e.clear();
        assert!(e.is_empty(), "{} bytes left", e.text().len());
        e.set_text("again");
        assert_eq!(e.text(), "again");
        assert_eq!(
            e.area.cursor_style(),
            Style::default().add_modifier(Modifier::REVERSED),
            "still shows its cursor"
        );
    }

    #[test]
    fn history_browsing_restores_the_draft() {
        let history = vec!["one".to_string(), "two".to_string()];
        let mut e = Editor::new();
        e.paste("draft");
        assert!(e.history_prev(&history));
        assert_eq!(e.text(), "two");
        assert!(e.history_prev(&history));
        assert_eq!(e.text(), "one");
        assert!(!e.history_prev(&history));
        assert!(e.history_next(&history));
        assert_eq!(e.text(), "two");
        assert!(e.history_next(&history));
        assert_eq!(e.text(), "draft");
        assert!(!e.history_next(&history));
    }
}
