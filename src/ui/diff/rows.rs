//! The word diff's rows: marked pieces of text broken into rows at spaces, measured by
//! grapheme, a word wider than a row cut between graphemes.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What a row is built from: a run of spaces, a word (its parts may differ in style, and a
/// row never breaks inside it), or a line break.
enum Item {
    Space(Style, String),
    Word(Vec<(Style, String)>),
    Break,
}

fn items(pieces: &[(Style, String)]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for (style, text) in pieces {
        for (li, line) in text.split('\n').enumerate() {
            if li > 0 {
                out.push(Item::Break);
            }
            let mut rest = line;
            while let Some(c) = rest.chars().next() {
                let space = c.is_whitespace();
                let end = rest
                    .find(|x: char| x.is_whitespace() != space)
                    .unwrap_or(rest.len());
                let (run, tail) = rest.split_at(end);
                rest = tail;
                match out.last_mut() {
                    _ if space => out.push(Item::Space(*style, run.to_string())),
                    Some(Item::Word(parts)) => parts.push((*style, run.to_string())),
                    _ => out.push(Item::Word(vec![(*style, run.to_string())])),
                }
            }
        }
    }
    out
}

/// Lays `pieces` out in rows of at most `width` columns: breaks at spaces (dropped at the
/// break), inside a word only when it alone is wider than a row, and never inside a
/// grapheme (an emoji with its variation selector is measured as the terminal shows it).
pub fn wrap(pieces: &[(Style, String)], width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    fn flush(rows: &mut Vec<Line<'static>>, row: &mut Vec<Span<'static>>, used: &mut usize) {
        rows.push(Line::from(std::mem::take(row)));
        *used = 0;
    }
    let mut items = items(pieces).into_iter().peekable();
    while let Some(item) = items.next() {
        match item {
            Item::Break => flush(&mut rows, &mut row, &mut used),
            Item::Space(style, s) => {
                let w = s.width();
                if used + w > width {
                    // Spaces at a break are dropped.
                    if used > 0 && !matches!(items.peek(), Some(Item::Break) | None) {
                        flush(&mut rows, &mut row, &mut used);
                    }
                    continue;
                }
                row.push(Span::styled(s, style));
                used += w;
            }
            Item::Word(parts) => {
                let w: usize = parts.iter().map(|(_, t)| t.width()).sum();
                if used + w > width && used > 0 {
                    flush(&mut rows, &mut row, &mut used);
                }
                for (style, text) in parts {
                    if used + text.width() <= width {
                        used += text.width();
                        row.push(Span::styled(text, style));
                        continue;
                    }
                    let mut chunk = String::new();
                    for g in text.graphemes(true) {
                        let gw = g.width();
                        if used + gw > width && used > 0 {
                            if !chunk.is_empty() {
                                row.push(Span::styled(std::mem::take(&mut chunk), style));
                            }
                            flush(&mut rows, &mut row, &mut used);
                        }
                        chunk.push_str(g);
                        used += gw;
                    }
                    if !chunk.is_empty() {
                        row.push(Span::styled(chunk, style));
                    }
                }
            }
        }
    }
    if !row.is_empty() {
        rows.push(Line::from(row));
    }
    rows
}
