//! The session browser, the rounds list (to edit an earlier prompt) and the scoreboard: the
//! overlays that look at saved sessions.

use std::collections::HashSet;

use crate::storage::index::{Entry, Summary};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrowserMode {
    Normal,
    /// Typing a new title for the session under the cursor.
    Rename(String),
    /// Waiting for `y` to delete the session under the cursor.
    ConfirmDelete,
}

#[derive(Clone, Debug)]
pub struct Browser {
    pub entries: Vec<Entry>,
    pub loading: bool,
    pub query: String,
    pub cursor: usize,
    /// Indices into `entries` that match the query.
    pub visible: Vec<usize>,
    pub mode: BrowserMode,
    /// Ids of sessions whose prompts or answers hold the query (the history database's
    /// full-text search, run off the loop), with the query they answer.
    pub content_hits: Option<(String, HashSet<String>)>,
    /// The query last sent to that search, so each change is searched once.
    pub searched: String,
}

fn matches(s: &Summary, words: &[String]) -> bool {
    let hay = format!(
        "{} {} {}",
        s.title.to_lowercase(),
        s.models.join(" ").to_lowercase(),
        s.prompts
    );
    words.iter().all(|w| hay.contains(w.as_str()))
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            entries: Vec::new(),
            loading: true,
            query: String::new(),
            cursor: 0,
            visible: Vec::new(),
            mode: BrowserMode::Normal,
            content_hits: None,
            searched: String::new(),
        }
    }

    pub fn set_entries(&mut self, entries: Vec<Entry>) {
        self.entries = entries;
        self.loading = false;
        self.refresh();
    }

    pub fn refresh(&mut self) {
        let words: Vec<String> = self
            .query
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let hits = self
            .content_hits
            .as_ref()
            .filter(|(q, _)| *q == self.query)
            .map(|(_, ids)| ids);
        self.visible = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| match e {
                Entry::Session(s) => matches(s, &words) || hits.is_some_and(|h| h.contains(&s.id)),
                Entry::Unreadable { file, .. } => {
                    words.is_empty()
                        || words
                            .iter()
                            .all(|w| file.to_lowercase().contains(w.as_str()))
                }
            })
            .map(|(i, _)| i)
            .collect();
        self.cursor = self.cursor.min(self.visible.len().saturating_sub(1));
    }

    /// The query to search the answers for, when it changed since the last search.
    pub fn search_due(&mut self) -> Option<String> {
        if self.mode != BrowserMode::Normal || self.query == self.searched {
            return None;
        }
        self.searched = self.query.clone();
        (!self.query.trim().is_empty()).then(|| self.query.clone())
    }

    pub fn current(&self) -> Option<&Entry> {
        self.visible
            .get(self.cursor)
            .and_then(|i| self.entries.get(*i))
    }

    pub fn current_id(&self) -> Option<String> {
        match self.current()? {
            Entry::Session(s) => Some(s.id.clone()),
            Entry::Unreadable { .. } => None,
        }
    }

    pub fn move_cursor(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last) as usize;
    }

    pub fn type_char(&mut self, c: char) {
        match &mut self.mode {
            BrowserMode::Rename(t) => t.push(c),
            BrowserMode::ConfirmDelete => {}
            BrowserMode::Normal => {
                self.query.push(c);
                self.cursor = 0;
                self.refresh();
            }
        }
    }

    pub fn backspace(&mut self) {
        match &mut self.mode {
            BrowserMode::Rename(t) => {
                t.pop();
            }
            BrowserMode::ConfirmDelete => {}
            BrowserMode::Normal => {
                self.query.pop();
                self.refresh();
            }
        }
    }
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

/// The F2 overlay: your blind ratings, the judge's agreement with you, and the sighted
/// adoptions, across all sessions.
#[derive(Clone, Debug, Default)]
pub struct Scoreboard {
    pub board: crate::storage::ratings::Leaderboard,
    pub loading: bool,
    pub scroll: u16,
}
