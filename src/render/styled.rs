//! Word-wrapping of styled text into lines, with prefixes (quote bars, list markers) that
//! differ between the first line of a block and the lines after it.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::wrap::char_width;
use crate::sanitize::terminal_safe;

/// A prefix contributed by an enclosing block: shown as `first` on the block's first line,
/// `rest` on the others.
#[derive(Clone, Debug)]
pub struct Prefix {
    pub first: String,
    pub rest: String,
    pub style: Style,
    pub used: bool,
}

/// Builds wrapped lines from styled words.
pub struct LineBuilder {
    pub width: usize,
    pub lines: Vec<Line<'static>>,
    cur: Vec<Span<'static>>,
    col: usize,
    prefix_w: usize,
    /// A space is owed before the next word on this line.
    space: Option<Style>,
    started: bool,
    starts: Option<Vec<(usize, usize)>>,
}

fn text_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Makes text safe and flat for one span: control characters visible, tabs as spaces.
pub fn clean(text: &str) -> String {
    terminal_safe(text).replace('\t', "    ")
}

impl LineBuilder {
    pub fn new(width: usize) -> LineBuilder {
        LineBuilder {
            width: width.max(1),
            lines: Vec::new(),
            cur: Vec::new(),
            col: 0,
            prefix_w: 0,
            space: None,
            started: false,
            starts: None,
        }
    }

    fn start_line(&mut self, prefixes: &mut [Prefix]) {
        if self.started {
            return;
        }
        self.started = true;
        self.col = 0;
        for p in prefixes.iter_mut() {
            let text = if p.used {
                p.rest.clone()
            } else {
                p.first.clone()
            };
            p.used = true;
            // On a very narrow pane the content keeps its column; the bars and indents go.
            let w = text_width(&text);
            if self.col + w >= self.width {
                continue;
            }
            self.col += w;
            if !text.is_empty() {
                self.cur.push(Span::styled(text, p.style));
            }
        }
        self.prefix_w = self.col;
        if let Some(starts) = &mut self.starts {
            let chars = self.cur.iter().map(|s| s.content.chars().count()).sum();
            starts.push((self.lines.len(), chars));
        }
    }

    /// Ends the current line (an empty one if nothing was written).
    pub fn newline(&mut self, prefixes: &mut [Prefix]) {
        self.start_line(prefixes);
        self.lines.push(Line::from(std::mem::take(&mut self.cur)));
        self.started = false;
        self.space = None;
    }

    /// Ends the current line if something is on it.
    pub fn finish(&mut self, prefixes: &mut [Prefix]) {
        if self.started {
            self.newline(prefixes);
        }
    }

    fn push_piece(&mut self, piece: &str, style: Style) {
        match self.cur.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push_str(piece),
            _ => self.cur.push(Span::styled(piece.to_string(), style)),
        }
    }

    /// Adds text that wraps at spaces; words wider than a line are broken.
    pub fn text(&mut self, text: &str, style: Style, prefixes: &mut [Prefix]) {
        let text = clean(text);
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                self.space = Some(style);
            }
            if word.is_empty() {
                continue;
            }
            self.word(word, style, prefixes);
        }
    }

    fn word(&mut self, word: &str, style: Style, prefixes: &mut [Prefix]) {
        self.start_line(prefixes);
        let w = text_width(word);
        let space = usize::from(self.space.is_some() && self.col > self.prefix_w);
        if self.col + space + w > self.width && self.col > self.prefix_w {
            self.newline(prefixes);
            self.start_line(prefixes);
        } else if space == 1 {
            let s = self.space.unwrap_or(style);
            self.push_piece(" ", s);
            self.col += 1;
        }
        self.space = None;
        if self.col + w <= self.width {
            self.push_piece(word, style);
            self.col += w;
            return;
        }
        // Wider than a whole line: break it where it runs out.
        self.cut(word, style, prefixes);
    }

    /// Adds text as it is, cut (not wrapped at words) where lines run out: for code.
    /// From now on, notes where each line starts: its index and how many characters its
    /// prefixes took (for lazy highlighting to find the text again; a piece in the prefix's
    /// style is joined onto the prefix's span, so spans cannot be counted).
    pub fn record_starts(&mut self) {
        self.starts = Some(Vec::new());
    }

    /// What was noted since [`LineBuilder::record_starts`], and stops noting.
    pub fn take_starts(&mut self) -> Vec<(usize, usize)> {
        self.starts.take().unwrap_or_default()
    }

    pub fn verbatim(&mut self, text: &str, style: Style, prefixes: &mut [Prefix]) {
        let text = clean(text);
        self.start_line(prefixes);
        self.cut(&text, style, prefixes);
    }

    /// Writes `text`, starting new lines wherever the width runs out.
    fn cut(&mut self, text: &str, style: Style, prefixes: &mut [Prefix]) {
        let mut piece = String::new();
        for c in text.chars() {
            let cw = char_width(c);
            if self.col + cw > self.width && self.col > self.prefix_w {
                self.push_piece(&std::mem::take(&mut piece), style);
                self.newline(prefixes);
                self.start_line(prefixes);
            }
            piece.push(c);
            self.col += cw;
        }
        if !piece.is_empty() {
            self.push_piece(&piece, style);
        }
    }

    /// Appends a line that is already laid out (a table row, a frame).
    pub fn raw_line(&mut self, spans: Vec<Span<'static>>, prefixes: &mut [Prefix]) {
        self.finish(prefixes);
        self.start_line(prefixes);
        self.cur.extend(spans);
        self.newline(prefixes);
    }

    /// Columns left for content after the prefixes of a new line.
    pub fn room(&self, prefixes: &[Prefix]) -> usize {
        let mut w = 0;
        for p in prefixes {
            let pw = text_width(if p.used { &p.rest } else { &p.first });
            if w + pw < self.width {
                w += pw;
            }
        }
        self.width.saturating_sub(w).max(1)
    }
}

pub fn width_of(s: &str) -> usize {
    text_width(s)
}
