//! Who answered what in a blind round nobody voted on or revealed: exports keep it hidden as
//! the screen does (answers named `Model A`, `Model B` by pane; no provider, served-by model
//! or per-answer price), so a file shared before the vote spoils nothing.
//!
//! Names are replaced as whole words only, and never inside code: a provider called `Lambda`
//! must not turn `f = lambda x: x` into `f = A x: x`. What this cannot catch, a model naming
//! itself in its own words ("I'm Claude"), docs/export.md says plainly.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::storage::session::{RoundRecord, SavedAnswer};

/// Whether a round still hides its models: blind, not revealed, and no vote cast.
pub fn hidden(r: &RoundRecord) -> bool {
    r.blind.is_some_and(|b| !b.revealed) && r.vote.is_none()
}

/// The pane's letter, `A` for slot 0, as the screen names it (`state::arena::letter`, which
/// storage may not import).
pub fn letter(slot: usize) -> char {
    char::from(b'A' + (slot % 26) as u8)
}

/// One name that would tell a pane's model.
struct Name {
    text: String,
    /// `text` in ASCII lower case, what a name matched in any case is compared with.
    lower: String,
    /// Matched in its own spelling only: provider names are often plain words (`Together`,
    /// `Lambda`), and only their capitalised spelling names the company.
    exact: bool,
    letter: char,
}

/// A round's names as an export may show them.
pub struct Mask {
    hidden: bool,
    /// Every name that would tell a pane's model, longest first.
    names: Vec<Name>,
    /// Model ids by slot, to name a judge's pick by its letter.
    models: Vec<(String, usize)>,
}

/// The forms a name may take in text: whole, without a `provider:` prefix or a `:variant`
/// suffix, and the last path part of each (`vendor/model`, `model`), as `State::redact`.
fn forms(name: &str) -> Vec<&str> {
    let mut whole = vec![name];
    match name.split_once(':') {
        // `ollama:llama3.2`: a provider's prefix.
        Some((prefix, rest)) if !prefix.contains('/') => whole.push(rest),
        // `vendor/model:free`: a variant, a common word on its own.
        Some(_) => whole.extend(name.rsplit_once(':').map(|(base, _)| base)),
        None => {}
    }
    let tails: Vec<&str> = whole
        .iter()
        .map(|n| n.rsplit('/').next().unwrap_or(""))
        .collect();
    whole.extend(tails);
    whole
}

/// Whether `c` continues a word: ids are spelled with `-` and `_` (`gpt-4o-mini`).
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Whether the text at byte `at` continues the word that ends (`before`) or starts there:
/// a word character, or a dot between alphanumerics (`llama3.2`; not a sentence's full stop).
fn joins(text: &str, at: usize, before: bool) -> bool {
    fn next_continues(mut chars: impl Iterator<Item = char>) -> bool {
        match chars.next() {
            Some(c) if word_char(c) => true,
            Some('.') => chars.next().is_some_and(char::is_alphanumeric),
            _ => false,
        }
    }
    if before {
        next_continues(text[..at].chars().rev())
    } else {
        next_continues(text[at..].chars())
    }
}

/// Where `text`'s code is, read as the HTML export renders it: fenced and indented blocks
/// and inline spans, in order.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    Parser::new_ext(text, super::MARKDOWN)
        .into_offset_iter()
        .filter(|(ev, _)| matches!(ev, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)))
        .map(|(_, range)| range)
        .collect()
}

impl Mask {
    pub fn of(r: &RoundRecord) -> Mask {
        let hidden = hidden(r);
        let mut names: Vec<Name> = Vec::new();
        let mut models = Vec::new();
        if hidden {
            for a in &r.answers {
                models.push((a.model.clone(), a.slot));
                let ids = [Some(&a.model), a.served_model.as_ref()];
                let ids = ids.into_iter().flatten().map(|n| (n, false));
                for (name, exact) in ids.chain(a.provider.iter().map(|p| (p, true))) {
                    for f in forms(name) {
                        // Shorter names are ordinary words: replacing them would garble text.
                        if f.chars().count() < 3 {
                            continue;
                        }
                        let same = |n: &Name| {
                            if n.exact || exact {
                                n.text == f
                            } else {
                                n.text.eq_ignore_ascii_case(f)
                            }
                        };
                        match names.iter_mut().find(|n| same(n)) {
                            // A model id wins over a provider spelled the same: any case.
                            Some(n) => n.exact &= exact,
                            None => names.push(Name {
                                text: f.to_string(),
                                lower: f.to_ascii_lowercase(),
                                exact,
                                letter: letter(a.slot),
                            }),
                        }
                    }
                }
            }
        }
        // Longest first: `gpt-4o-mini` is one pane's whole name, not `gpt-4o` and `-mini`.
        names.sort_by_key(|n| std::cmp::Reverse(n.text.len()));
        Mask {
            hidden,
            names,
            models,
        }
    }

    pub fn hides(&self) -> bool {
        self.hidden
    }

    /// What an answer is called: its model, or `Model A` while hidden.
    pub fn name(&self, a: &SavedAnswer) -> String {
        if self.hidden {
            format!("Model {}", letter(a.slot))
        } else {
            a.model.clone()
        }
    }

    /// A model named by a vote or a judge, as [`Mask::name`] would call its answer.
    pub fn model(&self, model: &str) -> String {
        if !self.hidden {
            return model.to_string();
        }
        match self.models.iter().find(|(m, _)| m == model) {
            Some((_, slot)) => format!("Model {}", letter(*slot)),
            None => self.plain(model).into_owned(),
        }
    }

    /// Markdown (an answer, a reasoning) with every name that would tell who is who replaced
    /// by the pane's letter, outside its code: code is the user's to copy, and an identifier
    /// that happens to spell a provider is not a name.
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.hidden || self.names.is_empty() {
            return Cow::Borrowed(text);
        }
        let lower = text.to_ascii_lowercase();
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for code in code_ranges(text) {
            // In order and apart, as the parser gives them; a stray one is skipped, not cut.
            if code.start < from {
                continue;
            }
            self.replace((text, &lower), from..code.start, &mut out);
            out.push_str(&text[code.clone()]);
            from = code.end;
        }
        self.replace((text, &lower), from..text.len(), &mut out);
        Cow::Owned(out)
    }

    /// Plain text (an error, a note, a judge's reason) with every name replaced, whole words.
    pub fn plain<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.hidden || self.names.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let lower = text.to_ascii_lowercase();
        self.replace((text, &lower), 0..text.len(), &mut out);
        Cow::Owned(out)
    }

    /// Appends `text[range]` to `out`, each whole-word name in it replaced by its letter.
    /// `lower` is `text` lowercased in ASCII, which keeps every byte offset.
    fn replace(&self, (text, lower): (&str, &str), range: Range<usize>, out: &mut String) {
        let (mut at, mut copied) = (range.start, range.start);
        while at < range.end {
            let found = if joins(text, at, true) {
                None
            } else {
                self.names.iter().find(|n| {
                    let (hay, name) = if n.exact {
                        (text, &n.text)
                    } else {
                        (lower, &n.lower)
                    };
                    let end = at + name.len();
                    end <= range.end
                        && hay[at..].starts_with(name.as_str())
                        && !joins(text, end, false)
                })
            };
            match found {
                Some(n) => {
                    out.push_str(&text[copied..at]);
                    out.push(n.letter);
                    at += n.text.len();
                    copied = at;
                }
                None => at += text[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
        out.push_str(&text[copied..range.end]);
    }
}

#[cfg(test)]
mod tests;
