//! A long list at the end of a streaming answer, rendered item by item as items complete,
//! numbered as the whole list would be; any doubt about where the list goes ends it.

use ratatui::text::Line;

use super::super::blocks::{fence_open, list_marker};
use super::super::markdown::render;
use super::MarkdownView;
use crate::theme::Theme;

/// Whether the tail is a list: its first line (at column 0) starts an item.
pub(super) fn starts_with_list(tail: &str) -> bool {
    let first = tail.trim_start_matches('\n');
    !first.starts_with([' ', '\t']) && list_marker(first)
}

/// A long list at the end of the answer: its finished items rendered once each as they
/// complete (an item ends where the next one starts at column 0), while the last one is
/// rendered again as it grows. When the list ends it is rendered whole, as one.
pub(super) struct ListTail {
    /// Where the list begins (the stable text's end when it started).
    start: usize,
    /// Items before this offset are rendered into `lines`.
    to: usize,
    /// Complete lines scanned up to here.
    scanned: usize,
    /// Where the newest item begins.
    last_item: usize,
    /// Items begun after the first (each ends the one before it).
    found: u64,
    /// Items rendered, for the numbers of an ordered list.
    items: u64,
    /// The first item's marker kind: `-`, `*`, `+`, or the `.`/`)` after a number.
    marker: u8,
    /// A fence open inside an item (its lines are no items).
    fence: Option<(char, usize)>,
    /// Something other than the next item stood at column 0: the list may have ended, so
    /// item-by-item rendering stops and the rest streams as plain text.
    broken: bool,
    /// An ordered list's first number.
    first_number: Option<u64>,
    /// Code blocks among the rendered items.
    code: usize,
    /// A blank line came before more of the list: it is loose (items apart).
    loose: bool,
    blank: bool,
    lines: Vec<Line<'static>>,
}

/// An ordered item's number, and where its digits end (CommonMark allows nine digits).
fn item_number(line: &str) -> Option<(u64, usize)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    ((1..=9).contains(&digits) && matches!(line.as_bytes().get(digits), Some(b'.' | b')')))
        .then(|| line[..digits].parse().ok().map(|n| (n, digits)))
        .flatten()
}

/// The kind of an item's marker: its bullet, or the delimiter after its number.
fn marker_kind(line: &str) -> u8 {
    let b = line.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    b.get(digits).copied().unwrap_or(0)
}

/// A chunk of an ordered list with its first item's number set to where the list has got
/// to, so an item rendered on its own is numbered as in the whole list.
fn numbered<'t>(chunk: &'t str, list: &ListTail) -> std::borrow::Cow<'t, str> {
    let Some(first) = list.first_number else {
        return std::borrow::Cow::Borrowed(chunk);
    };
    let lead = chunk.len() - chunk.trim_start_matches('\n').len();
    match item_number(&chunk[lead..]) {
        Some((_, digits)) if list.items > 0 => std::borrow::Cow::Owned(format!(
            "{}{}{}",
            &chunk[..lead],
            first.saturating_add(list.items).min(999_999_999),
            &chunk[lead + digits..]
        )),
        _ => std::borrow::Cow::Borrowed(chunk),
    }
}

impl MarkdownView {
    pub(super) fn list_lines(&self) -> &[Line<'static>] {
        self.list.as_ref().map_or(&[], |l| &l.lines)
    }

    /// Renders the list's newly finished items into its cache; returns where the item being
    /// written begins, or `None` when item-by-item rendering had to stop (see `broken`).
    pub(super) fn list_tail(&mut self, text: &str, width: usize, theme: &Theme) -> Option<usize> {
        let start = self.rendered_to;
        let list = self.list.get_or_insert_with(|| {
            let first = text[start..].trim_start_matches('\n');
            ListTail {
                start,
                to: start,
                scanned: start,
                last_item: start,
                found: 0,
                items: 0,
                first_number: item_number(first).map(|(n, _)| n),
                marker: marker_kind(first),
                fence: None,
                broken: false,
                code: 0,
                loose: false,
                blank: false,
                lines: Vec::new(),
            }
        });
        while !list.broken
            && let Some(nl) = text[list.scanned..].find('\n')
        {
            let line = &text[list.scanned..list.scanned + nl];
            let at = list.scanned;
            list.scanned += nl + 1;
            let trimmed = line.trim_start();
            if let Some((ch, n)) = list.fence {
                let closes = fence_open(trimmed).is_some_and(|(c, m)| c == ch && m >= n)
                    && trimmed.trim_end().chars().all(|c| c == ch);
                if closes {
                    list.fence = None;
                }
                continue;
            }
            if line.trim().is_empty() {
                list.blank = at > list.start;
                continue;
            }
            let column0 = !line.starts_with([' ', '\t']);
            if at > list.start && column0 {
                if list_marker(line) && marker_kind(line) == list.marker {
                    list.last_item = at;
                    list.found += 1;
                } else if list.blank
                    || fence_open(line).is_some()
                    || line.starts_with(['#', '>', '|'])
                    || list_marker(line)
                {
                    // A new block, or another kind of list: this list may be over.
                    list.broken = true;
                    break;
                }
            }
            list.loose |= list.blank;
            list.blank = false;
            if let Some(f) = fence_open(trimmed) {
                list.fence = Some(f);
            }
        }
        if list.broken {
            list.lines.clear();
            return None;
        }
        if list.last_item > list.to {
            let chunk = numbered(&text[list.to..list.last_item], list);
            let first = list.to == list.start;
            let rendered = render(
                &chunk,
                width,
                theme,
                self.stable_code + list.code,
                first && start == 0 || !first && !list.loose,
            );
            list.lines.extend(rendered.lines);
            list.code += rendered.code_blocks;
            list.items = list.found;
            list.to = list.last_item;
        }
        Some(list.to)
    }

    /// The item being written, rendered (what `line()` shows after the cached items).
    pub(super) fn list_rest(&self, text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let Some(list) = &self.list else {
            return Vec::new();
        };
        let rest = numbered(&text[list.to..], list);
        let first = list.to == list.start;
        render(
            &rest,
            width,
            theme,
            self.stable_code + list.code,
            first && list.start == 0 || !first && !list.loose,
        )
        .lines
    }
}
