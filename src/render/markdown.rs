//! Markdown to styled lines at a width: headings, emphasis, nested lists, quotes, links with
//! their URL, inline code, rules, tables that wrap, and numbered, framed, highlighted code.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::highlight::highlight;
use super::styled::{LineBuilder, Prefix, width_of};
use super::table::{Cell, TableStyles, layout};
use crate::theme::Theme;

pub use super::code::{code_body, code_bottom, code_top};

mod close;

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Lines of a rendered markdown chunk and the code blocks it numbered.
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub code_blocks: usize,
    /// Code blocks drawn plain, to be highlighted when they come into view (lazy rendering).
    pub pending: Vec<super::lazy::PendingCode>,
    /// Each heading's first line and its text: where panes scrolled together line up.
    pub headings: Vec<(usize, String)>,
}

struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Cell>>,
}

struct Renderer<'t> {
    theme: &'t Theme,
    out: LineBuilder,
    prefixes: Vec<Prefix>,
    styles: Vec<Style>,
    lists: Vec<Option<u64>>,
    need_gap: bool,
    code: Option<(String, String)>,
    table: Option<Table>,
    /// Code blocks are drawn plain and listed in `pending`, for highlighting later.
    lazy: bool,
    pending: Vec<super::lazy::PendingCode>,
    links: Vec<(String, String)>,
    next_code: usize,
    /// The heading being read: its first line and its text so far.
    heading: Option<(usize, String)>,
    headings: Vec<(usize, String)>,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles
            .iter()
            .fold(self.theme.text, |acc, s| acc.patch(*s))
    }

    /// A blank line between blocks (quote bars continue through it).
    fn gap(&mut self) {
        self.out.finish(&mut self.prefixes);
        if self.need_gap {
            let bars: Vec<Span<'static>> = self
                .prefixes
                .iter()
                .filter(|p| p.rest.trim() == p.first.trim() && !p.rest.trim().is_empty())
                .map(|p| Span::styled(p.rest.trim_end().to_string(), p.style))
                .collect();
            self.out.lines.push(Line::from(bars));
        }
        self.need_gap = false;
    }

    fn text(&mut self, text: &str) {
        let style = self.style();
        if let Some((_, code)) = &mut self.code {
            code.push_str(text);
        } else if let Some(t) = &mut self.table {
            if let Some(cell) = t.rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push((text.to_string(), style));
            }
        } else {
            if let Some((_, link_text)) = self.links.last_mut() {
                link_text.push_str(text);
            }
            if let Some((_, heading)) = &mut self.heading {
                heading.push_str(text);
            }
            self.out.text(text, style, &mut self.prefixes);
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let t = self.theme;
        match tag {
            Tag::Paragraph => self.gap(),
            Tag::Heading { level, .. } => {
                self.gap();
                self.heading = Some((self.out.lines.len(), String::new()));
                self.styles.push(match level {
                    HeadingLevel::H1 => t.heading1,
                    HeadingLevel::H2 => t.heading2,
                    _ => t.heading3,
                });
            }
            Tag::BlockQuote(_) => {
                self.gap();
                self.prefixes.push(Prefix {
                    first: "│ ".into(),
                    rest: "│ ".into(),
                    style: t.quote_bar,
                    used: false,
                });
                self.styles.push(t.quote);
            }
            Tag::CodeBlock(kind) => {
                self.gap();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::HtmlBlock => self.gap(),
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.gap();
                } else {
                    self.out.finish(&mut self.prefixes);
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.out.finish(&mut self.prefixes);
                let depth = self.lists.len();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => ["• ", "◦ ", "▪ "][depth.saturating_sub(1) % 3].to_string(),
                };
                let rest = " ".repeat(width_of(&marker));
                self.prefixes.push(Prefix {
                    first: marker,
                    rest,
                    style: t.list_marker,
                    used: false,
                });
            }
            Tag::Table(aligns) => {
                self.gap();
                self.table = Some(Table {
                    aligns,
                    rows: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            Tag::Emphasis => self
                .styles
                .push(Style::default().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self
                .styles
                .push(Style::default().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self
                .styles
                .push(Style::default().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.styles.push(t.link);
                self.links.push((dest_url.to_string(), String::new()));
            }
            Tag::Image { dest_url, .. } => {
                self.styles.push(t.link);
                self.links.push((dest_url.to_string(), String::new()));
                self.text("[image: ");
            }
            _ => {}
        }
    }

    fn code_block(&mut self, lang: &str, code: &str) {
        self.next_code += 1;
        code_top(
            &mut self.out,
            &mut self.prefixes,
            self.next_code,
            lang,
            self.theme,
        );
        if self.lazy {
            let at = super::lazy::plain_body(&mut self.out, &mut self.prefixes, code, self.theme);
            if !at.is_empty() {
                self.pending.push(super::lazy::PendingCode {
                    lines: at,
                    code: code.to_string(),
                    lang: lang.to_string(),
                });
            }
        } else {
            let lines = highlight(code, lang, self.theme);
            code_body(&mut self.out, &mut self.prefixes, lines, self.theme);
        }
        code_bottom(&mut self.out, &mut self.prefixes, self.theme);
    }
}

/// Renders `md` at `width`. Code blocks are numbered from `first_code + 1`; `doc_start` says
/// whether this text begins the answer (otherwise its first block gets the blank line that
/// separates blocks).
pub fn render(
    md: &str,
    width: usize,
    theme: &Theme,
    first_code: usize,
    doc_start: bool,
) -> Rendered {
    render_as(md, width, theme, (first_code, doc_start), false)
}

/// [`render`], with code blocks drawn plain and listed for highlighting when seen.
pub fn render_lazy(
    md: &str,
    width: usize,
    theme: &Theme,
    first_code: usize,
    doc_start: bool,
) -> Rendered {
    render_as(md, width, theme, (first_code, doc_start), true)
}

fn render_as(
    md: &str,
    width: usize,
    theme: &Theme,
    (first_code, doc_start): (usize, bool),
    lazy: bool,
) -> Rendered {
    let mut r = Renderer {
        lazy,
        pending: Vec::new(),
        theme,
        out: LineBuilder::new(width),
        prefixes: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        need_gap: !doc_start,
        code: None,
        table: None,
        links: Vec::new(),
        next_code: first_code,
        heading: None,
        headings: Vec::new(),
    };
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Start(tag) => r.start(tag),
            Event::End(tag) => r.end(tag),
            Event::Text(t) => r.text(&t),
            Event::Code(c) => {
                r.styles.push(theme.code_inline);
                r.text(&c);
                r.styles.pop();
            }
            Event::Html(h) | Event::InlineHtml(h) => r.text(h.trim_end_matches('\n')),
            Event::InlineMath(m) | Event::DisplayMath(m) => r.text(&m),
            Event::FootnoteReference(f) => r.text(&format!("[^{f}]")),
            Event::SoftBreak => r.text(" "),
            Event::HardBreak => r.out.newline(&mut r.prefixes),
            Event::Rule => {
                r.gap();
                let room = r.out.room(&r.prefixes);
                r.out.raw_line(
                    vec![Span::styled("─".repeat(room), theme.rule)],
                    &mut r.prefixes,
                );
                r.need_gap = true;
            }
            Event::TaskListMarker(done) => r.text(if done { "[x] " } else { "[ ] " }),
        }
    }
    r.out.finish(&mut r.prefixes);
    Rendered {
        lines: r.out.lines,
        code_blocks: r.next_code - first_code,
        pending: r.pending,
        headings: r.headings,
    }
}
