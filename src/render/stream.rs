//! A streaming answer's rendered lines. Finished blocks are rendered once and kept; only the
//! growing tail (the block being written) is rendered again, and only when it changed. A code
//! block that is still streaming is highlighted a line at a time as its lines complete. So the
//! cost of a delta and of a frame does not grow with the length of the answer.

use ratatui::text::Line;

use super::blocks::BlockScanner;
use super::highlight::LineHighlighter;
use super::markdown::{code_body, code_bottom, code_top, render};
use super::styled::{LineBuilder, clean};
use super::wrap::Wrap;
use crate::theme::Theme;

mod headings;
mod list;
pub use headings::{Heading, Headings};
use list::{ListTail, starts_with_list};

/// A paragraph still streaming past this size is shown as plain wrapped text until it ends,
/// so a frame never re-renders an unbounded amount of markdown.
const LONG_TAIL: usize = 4 * 1024;

/// The long paragraph at the end of the answer, wrapped incrementally as plain text.
struct PlainTail {
    start: usize,
    wrap: Wrap,
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

#[derive(Default)]
pub struct MarkdownView {
    width: usize,
    theme: String,
    scanner: BlockScanner,
    /// Stable text rendered up to this offset.
    rendered_to: usize,
    stable: Vec<Line<'static>>,
    stable_code: usize,
    /// Code blocks in `stable` still drawn plain: highlighted when a frame shows them.
    pending: Vec<super::lazy::PendingCode>,
    headings: Headings,
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
            let chunk = super::markdown::render_lazy(
                &text[self.rendered_to..end],
                width,
                theme,
                self.stable_code,
                self.rendered_to == 0,
            );
            let at = self.stable.len();
            self.pending
                .extend(chunk.pending.into_iter().map(|p| p.shifted(at)));
            for (line, text) in chunk.headings {
                self.headings.push(line + at, &text);
            }
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
        self.headings.set_tail([]);
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
            let r = render(tail, width, theme, self.stable_code, self.rendered_to == 0);
            let at = self.stable.len();
            self.headings
                .set_tail(r.headings.into_iter().map(|(l, t)| (l + at, t)));
            r.lines
        };
    }

    /// The headings drawn so far.
    pub fn headings(&self) -> &Headings {
        &self.headings
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
                highlighter: LineHighlighter::new(&lang, &theme.syntax, theme.text, theme.depth),
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

    /// Highlights the code blocks drawn plain that lines `from..to` show. Returns how many.
    pub fn highlight_seen(&mut self, from: usize, to: usize, theme: &Theme) -> usize {
        let seen = |p: &super::lazy::PendingCode| p.first_line() < to && p.last_line() >= from;
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| seen(p));
        self.pending = later;
        for p in &now {
            p.highlight(&mut self.stable, theme);
        }
        now.len()
    }

    /// Whether lines `from..to` show a code block still drawn plain.
    pub fn pending_in(&self, from: usize, to: usize) -> bool {
        self.pending
            .iter()
            .any(|p| p.first_line() < to && p.last_line() >= from)
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
