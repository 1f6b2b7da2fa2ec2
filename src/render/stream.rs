//! A streaming answer's rendered lines. Finished blocks are rendered once and kept; only the
//! growing tail (the block being written) is rendered again, and only when it changed. A code
//! block that is still streaming is highlighted a line at a time as its lines complete. So the
//! cost of a delta and of a frame does not grow with the length of the answer.

use ratatui::text::Line;

use super::blocks::{BlockScanner, fence_open, list_marker};
use super::highlight::LineHighlighter;
use super::markdown::{code_body, code_bottom, code_top, render};
use super::styled::{LineBuilder, clean};
use super::wrap::Wrap;
use crate::theme::Theme;

/// A paragraph still streaming past this size is shown as plain wrapped text until it ends,
/// so a frame never re-renders an unbounded amount of markdown.
const LONG_TAIL: usize = 4 * 1024;

/// The long paragraph at the end of the answer, wrapped incrementally as plain text.
struct PlainTail {
    start: usize,
    wrap: Wrap,
}

/// Whether the tail is a list: its first line (at column 0) starts an item.
fn starts_with_list(tail: &str) -> bool {
    let first = tail.trim_start_matches('\n');
    !first.starts_with([' ', '\t']) && list_marker(first)
}

/// A long list at the end of the answer: its finished items rendered once each as they
/// complete (an item ends where the next one starts at column 0), while the last one is
/// rendered again as it grows. When the list ends it is rendered whole, as one.
struct ListTail {
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

/// The open code block at the end of the answer, rendered line by line.
struct FenceTail {
    start: usize,
    highlighter: LineHighlighter,
    /// Gap, frame top and the lines of every completed code line.
    lines: Vec<Line<'static>>,
    /// Offset of the first code line not rendered yet.
    next: usize,
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

#[derive(Default)]
pub struct MarkdownView {
    width: usize,
    theme: String,
    scanner: BlockScanner,
    /// Stable text rendered up to this offset.
    rendered_to: usize,
    stable: Vec<Line<'static>>,
    stable_code: usize,
    tail: Vec<Line<'static>>,
    /// The text length the tail was rendered for.
    tail_len: usize,
    fence: Option<FenceTail>,
    list: Option<ListTail>,
    plain: Option<PlainTail>,
}

impl MarkdownView {
    fn reset(&mut self, width: usize, theme: &Theme) {
        *self = MarkdownView {
            width,
            theme: theme.name.clone(),
            tail_len: usize::MAX,
            ..MarkdownView::default()
        };
    }

    /// Renders blocks that became final since the last call (cheap; fine per delta).
    pub fn advance(&mut self, text: &str, width: usize, theme: &Theme) {
        if width != self.width || theme.name != self.theme || text.len() < self.rendered_to {
            self.reset(width, theme);
        }
        self.scanner.scan(text);
        let end = self.scanner.stable_end;
        if end > self.rendered_to {
            let chunk = render(
                &text[self.rendered_to..end],
                width,
                theme,
                self.stable_code,
                self.rendered_to == 0,
            );
            self.stable.extend(chunk.lines);
            self.stable_code += chunk.code_blocks;
            self.rendered_to = end;
            self.tail_len = usize::MAX;
            self.fence = None;
            self.list = None;
            self.plain = None;
        }
    }

    /// Brings everything up to date for drawing, the tail included. `done` says the text is
    /// final: whatever the tail is, it is then rendered in full.
    pub fn update(&mut self, text: &str, width: usize, theme: &Theme, done: bool) {
        self.advance(text, width, theme);
        let partial = self.plain.is_some() || self.fence.is_some() || self.list.is_some();
        if self.tail_len == text.len() && !(done && partial) {
            return;
        }
        self.tail_len = text.len();
        if !done && self.scanner.open_fence == Some(self.rendered_to) {
            self.tail = self.fence_tail(text, width, theme);
            return;
        }
        self.fence = None;
        let tail = &text[self.rendered_to..];
        if !done && tail.len() > LONG_TAIL && starts_with_list(tail) {
            if let Some(rest) = self.list_tail(text, width, theme) {
                // The item being written: rendered again as it grows, or, once long, shown
                // plain like any long block.
                if text.len() - rest > LONG_TAIL {
                    self.tail = Vec::new();
                    self.plain_from(rest, text, width);
                } else {
                    self.plain = None;
                    self.tail = self.list_rest(text, width, theme);
                }
                return;
            }
            // Not item by item after all: the list keeps that verdict (so it is not scanned
            // again) and streams as plain text below.
        } else {
            self.list = None;
        }
        // Any other long block (a paragraph, a table, a quote) shows as plain text until it
        // ends: a frame never renders an unbounded amount of markdown.
        if !done && tail.len() > LONG_TAIL {
            let start = self.rendered_to;
            self.plain_from(start, text, width);
            self.tail = if start > 0 {
                vec![Line::default()]
            } else {
                Vec::new()
            };
            return;
        }
        self.plain = None;
        // Otherwise the tail is rendered whole.
        let tail = &text[self.rendered_to..];
        self.tail = if tail.trim().is_empty() {
            Vec::new()
        } else {
            render(tail, width, theme, self.stable_code, self.rendered_to == 0).lines
        };
    }

    /// Renders new code lines into the fence cache and returns what follows them (the partial
    /// last line and the frame's bottom); `line()` reads the cached lines in place.
    fn fence_tail(&mut self, text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let start = self.rendered_to;
        if self.fence.as_ref().is_none_or(|f| f.start != start) {
            let Some(nl) = text[start..].find('\n') else {
                return Vec::new();
            };
            let info = text[start..start + nl].trim_start_matches(['`', '~']);
            let lang = info
                .split([' ', ',', '{'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let mut out = LineBuilder::new(width);
            if start > 0 {
                out.lines.push(Line::default());
            }
            code_top(
                &mut out,
                &mut Vec::new(),
                self.stable_code + 1,
                &lang,
                theme,
            );
            self.fence = Some(FenceTail {
                start,
                highlighter: LineHighlighter::new(&lang, &theme.syntax, theme.text),
                lines: out.lines,
                next: start + nl + 1,
            });
        }
        let Some(fence) = self.fence.as_mut() else {
            return Vec::new();
        };
        let mut out = LineBuilder::new(width);
        while let Some(nl) = text[fence.next..].find('\n') {
            let line = &text[fence.next..fence.next + nl + 1];
            let pieces = fence.highlighter.line(line);
            code_body(&mut out, &mut Vec::new(), vec![pieces], theme);
            fence.next += nl + 1;
        }
        fence.lines.append(&mut out.lines);
        let partial = &text[fence.next..];
        let mut out = LineBuilder::new(width);
        if !partial.is_empty() {
            code_body(
                &mut out,
                &mut Vec::new(),
                vec![vec![(theme.text, partial.to_string())]],
                theme,
            );
        }
        code_bottom(&mut out, &mut Vec::new(), theme);
        out.lines
    }

    fn fence_lines(&self) -> &[Line<'static>] {
        self.fence.as_ref().map_or(&[], |f| &f.lines)
    }

    fn list_lines(&self) -> &[Line<'static>] {
        self.list.as_ref().map_or(&[], |l| &l.lines)
    }

    /// Shows `text[start..]` as plain wrapped text, wrapping only what is new.
    fn plain_from(&mut self, start: usize, text: &str, width: usize) {
        if self.plain.as_ref().is_none_or(|p| p.start != start) {
            self.plain = Some(PlainTail {
                start,
                wrap: Wrap::default(),
            });
        }
        if let Some(plain) = self.plain.as_mut() {
            plain.wrap.update(&text[start..], width);
        }
    }

    /// Renders the list's newly finished items into its cache; returns where the item being
    /// written begins, or `None` when item-by-item rendering had to stop (see `broken`).
    fn list_tail(&mut self, text: &str, width: usize, theme: &Theme) -> Option<usize> {
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
    fn list_rest(&self, text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
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

    pub fn len(&self) -> usize {
        let plain = self.plain.as_ref().map_or(0, |p| p.wrap.len());
        self.stable.len()
            + self.fence_lines().len()
            + self.list_lines().len()
            + self.tail.len()
            + plain
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lines rendered again on each update (the growing tail): what a frame's cost follows.
    pub fn tail_lines(&self) -> usize {
        self.tail.len()
    }

    /// Line `i` of the answer `text` (the text the view was last updated with).
    pub fn line(&self, text: &str, i: usize) -> Option<Line<'static>> {
        let fence = self.fence_lines();
        let list = self.list_lines();
        let (s, f, l, t) = (self.stable.len(), fence.len(), list.len(), self.tail.len());
        if i < s {
            return self.stable.get(i).cloned();
        }
        if i < s + f {
            return fence.get(i - s).cloned();
        }
        if i < s + f + l {
            return list.get(i - s - f).cloned();
        }
        if i < s + f + l + t {
            return self.tail.get(i - s - f - l).cloned();
        }
        let plain = self.plain.as_ref()?;
        let (a, b) = *plain.wrap.lines.get(i - s - f - l - t)?;
        let base = plain.start;
        Some(Line::raw(clean(text.get(base + a..base + b)?)))
    }

    /// Every line, for tests and snapshots.
    pub fn lines(&self) -> impl Iterator<Item = &Line<'static>> {
        self.stable
            .iter()
            .chain(self.fence_lines())
            .chain(self.list_lines())
            .chain(self.tail.iter())
    }
}
