//! The markdown renderer's closing tags: where a block ends, what it leaves behind (a table
//! laid out, a link's URL, the gap before the next block).

use super::*;

impl Renderer<'_> {
    pub(super) fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => {
                self.out.finish(&mut self.prefixes);
                self.need_gap = true;
            }
            TagEnd::Heading(_) => {
                self.out.finish(&mut self.prefixes);
                self.styles.pop();
                if let Some(h) = self.heading.take() {
                    self.headings.push(h);
                }
                self.need_gap = true;
            }
            TagEnd::BlockQuote(_) => {
                self.out.finish(&mut self.prefixes);
                self.prefixes.pop();
                self.styles.pop();
                self.need_gap = true;
            }
            TagEnd::CodeBlock => {
                if let Some((lang, code)) = self.code.take() {
                    self.code_block(&lang, &code);
                }
                self.need_gap = true;
            }
            TagEnd::List(_) => {
                self.out.finish(&mut self.prefixes);
                self.lists.pop();
                self.need_gap = self.lists.is_empty();
            }
            TagEnd::Item => {
                self.out.finish(&mut self.prefixes);
                self.prefixes.pop();
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let st = TableStyles {
                        border: self.theme.table_border,
                        header: self.theme.table_header,
                    };
                    let room = self.out.room(&self.prefixes);
                    for spans in layout(&t.rows, &t.aligns, room, &st) {
                        self.out.raw_line(spans, &mut self.prefixes);
                    }
                }
                self.need_gap = true;
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                if tag == TagEnd::Image {
                    self.text("]");
                }
                self.styles.pop();
                if let Some((url, text)) = self.links.pop()
                    && !url.is_empty()
                    && url != text
                    && format!("mailto:{text}") != url
                {
                    let style = self.theme.link_url;
                    if let Some(t) = &mut self.table {
                        if let Some(cell) = t.rows.last_mut().and_then(|r| r.last_mut()) {
                            cell.push((format!(" ({url})"), style));
                        }
                    } else {
                        self.out
                            .text(&format!(" ({url})"), style, &mut self.prefixes);
                    }
                }
            }
            _ => {}
        }
    }
}
