//! The model picker: fuzzy search over the catalog, sorting, a free-only filter, favourites
//! and recent picks first, and a multi-selection of 1 to 8 models (ids outside the catalog
//! are accepted too).

use std::cmp::Reverse;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::catalog::{Catalog, ModelInfo};
use crate::storage::prefs::Prefs;

pub use crate::chat::MAX_PANES;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Relevance,
    Price,
    Context,
    Name,
    Newest,
}

impl SortBy {
    pub fn next(self) -> SortBy {
        match self {
            SortBy::Relevance => SortBy::Price,
            SortBy::Price => SortBy::Context,
            SortBy::Context => SortBy::Name,
            SortBy::Name => SortBy::Newest,
            SortBy::Newest => SortBy::Relevance,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Relevance => "relevance",
            SortBy::Price => "price",
            SortBy::Context => "context",
            SortBy::Name => "name",
            SortBy::Newest => "newest",
        }
    }
}

/// A line of the picker list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// An index into the catalog's models.
    Model(usize),
    /// The typed text, used as a model id that the catalog does not list.
    Custom(String),
}

#[derive(Clone, Debug)]
pub struct Picker {
    pub query: String,
    /// Chosen model ids, in the order they were chosen.
    pub selected: Vec<String>,
    pub cursor: usize,
    pub sort: SortBy,
    pub free_only: bool,
    pub rows: Vec<Row>,
    matcher: Matcher,
}

fn price_key(m: &ModelInfo) -> (bool, i128) {
    match &m.pricing {
        Some(p) => (false, p.prompt.atto() + p.completion.atto()),
        None => (true, 0),
    }
}

impl Picker {
    pub fn new(selected: Vec<String>) -> Picker {
        Picker {
            query: String::new(),
            selected,
            cursor: 0,
            sort: SortBy::Relevance,
            free_only: false,
            rows: Vec::new(),
            matcher: Matcher::new(Config::DEFAULT),
        }
    }

    /// Recomputes the rows for the query, filter and sort.
    pub fn refresh(&mut self, catalog: Option<&Catalog>, prefs: &Prefs) {
        let models: &[ModelInfo] = catalog.map_or(&[], |c| &c.models);
        let query = self.query.trim();
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(usize, u32)> = Vec::new();
        for (i, m) in models.iter().enumerate() {
            if self.free_only && !m.is_free() {
                continue;
            }
            if query.is_empty() {
                scored.push((i, 0));
                continue;
            }
            let hay = format!("{} {}", m.id, m.name);
            if let Some(score) = pattern.score(Utf32Str::new(&hay, &mut buf), &mut self.matcher) {
                scored.push((i, score));
            }
        }
        let rank = |id: &str| -> u8 {
            if prefs.is_favourite(id) {
                0
            } else if prefs.recent_models.iter().any(|r| r == id) {
                1
            } else {
                2
            }
        };
        match self.sort {
            SortBy::Relevance if query.is_empty() => scored.sort_by_key(|(i, _)| {
                let id = &models[*i].id;
                let recent = prefs
                    .recent_models
                    .iter()
                    .position(|r| r == id)
                    .unwrap_or(usize::MAX);
                (rank(id), recent)
            }),
            SortBy::Relevance => scored.sort_by_key(|(i, s)| (Reverse(*s), rank(&models[*i].id))),
            SortBy::Price => scored.sort_by_key(|(i, _)| price_key(&models[*i])),
            SortBy::Context => {
                scored.sort_by_key(|(i, _)| Reverse(models[*i].context_length.unwrap_or(0)))
            }
            SortBy::Name => scored.sort_by(|a, b| {
                models[a.0]
                    .name
                    .to_lowercase()
                    .cmp(&models[b.0].name.to_lowercase())
            }),
            SortBy::Newest => scored.sort_by_key(|(i, _)| Reverse(models[*i].created.unwrap_or(0))),
        }
        self.rows = scored.into_iter().map(|(i, _)| Row::Model(i)).collect();
        let exact = models.iter().any(|m| m.id == query);
        if !query.is_empty() && !exact && !query.contains(char::is_whitespace) {
            // A typed id the catalog does not know: offered last, or first when nothing matches.
            self.rows.push(Row::Custom(query.to_string()));
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    pub fn row_id<'a>(&'a self, row: &'a Row, catalog: Option<&'a Catalog>) -> Option<&'a str> {
        match row {
            Row::Model(i) => catalog
                .and_then(|c| c.models.get(*i))
                .map(|m| m.id.as_str()),
            Row::Custom(id) => Some(id.as_str()),
        }
    }

    /// The model id under the cursor.
    pub fn current_id(&self, catalog: Option<&Catalog>) -> Option<String> {
        let row = self.rows.get(self.cursor)?;
        self.row_id(row, catalog).map(str::to_string)
    }

    pub fn move_cursor(&mut self, delta: isize) {
        if self.rows.is_empty() {
            self.cursor = 0;
            return;
        }
        let last = self.rows.len() - 1;
        self.cursor = if delta < 0 {
            self.cursor.saturating_sub(delta.unsigned_abs())
        } else {
            (self.cursor + delta as usize).min(last)
        };
    }

    /// Selects or unselects the model under the cursor. Errs when the selection is full.
    pub fn toggle(&mut self, catalog: Option<&Catalog>) -> Result<(), String> {
        let Some(id) = self.current_id(catalog) else {
            return Ok(());
        };
        if let Some(i) = self.selected.iter().position(|s| *s == id) {
            self.selected.remove(i);
        } else if self.selected.len() >= MAX_PANES {
            return Err(format!("at most {MAX_PANES} panes; unselect one first"));
        } else {
            self.selected.push(id);
        }
        Ok(())
    }

    /// The models to open: the selection, or the model under the cursor when none is selected.
    pub fn chosen(&self, catalog: Option<&Catalog>) -> Vec<String> {
        if self.selected.is_empty() {
            self.current_id(catalog).into_iter().collect()
        } else {
            self.selected.clone()
        }
    }

    pub fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.cursor = 0;
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.cursor = 0;
    }
}
