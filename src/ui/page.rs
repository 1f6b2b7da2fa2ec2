//! Text that must fit: lines cut with `…` or wrapped, popup titles, and page overlays that
//! scroll and say where they are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::theme::Theme;

use super::overlays::{centered, clear_popup};

/// Lines of a page overlay, each cut to `width` with `…` or wrapped: lines styled as one
/// span wrap (a reason, a message), others are cut.
pub fn fit_lines(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width || width == 0 {
            out.push(line);
            continue;
        }
        if let [span] = line.spans.as_slice() {
            let text = span.content.to_string();
            let lead: String = text.chars().take_while(|c| *c == ' ').collect();
            let mut wrap = crate::render::wrap::Wrap::default();
            wrap.update(&text[lead.len()..], width.saturating_sub(lead.len()).max(1));
            for (i, (a, b)) in wrap.lines.iter().enumerate() {
                let indent = if i == 0 {
                    lead.clone()
                } else {
                    lead.clone() + " "
                };
                out.push(Line::styled(
                    format!("{indent}{}", &text[lead.len()..][*a..*b]),
                    span.style,
                ));
            }
            continue;
        }
        out.push(cut_line(line, width));
    }
    out
}

/// `line` cut to `width` columns, ending in `…` where it was cut (never wrapped).
pub fn cut_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = span.width();
        if used + w < width {
            used += w;
            spans.push(span);
            continue;
        }
        let mut cut = String::new();
        for c in span.content.chars() {
            let cw = crate::render::wrap::char_width(c);
            if used + cw + 1 > width {
                break;
            }
            cut.push(c);
            used += cw;
        }
        if width > 0 {
            cut.push('…');
        }
        spans.push(Span::styled(cut, span.style));
        break;
    }
    Line::from(spans)
}

/// A popup's title cut to fit its border, with `…`.
pub fn title(text: &str, outer_width: u16, style: ratatui::style::Style) -> Line<'static> {
    cut_line(
        Line::styled(text.to_string(), style),
        (outer_width as usize).saturating_sub(2),
    )
}

/// A popup showing `lines` as a page from `scroll`, with where it is (`12-40 of 95`) when it
/// does not fit. Returns (lines, visible height), for scrolling to stop at the end.
pub fn page(
    frame: &mut Frame,
    outer: Rect,
    title: String,
    lines: Vec<Line<'static>>,
    scroll: u16,
    theme: &Theme,
) -> (usize, usize) {
    let width = outer.width.saturating_sub(2) as usize;
    let lines = fit_lines(lines, width);
    page_rows(frame, outer, title, (lines, &[]), scroll, theme)
}

/// [`page`] over rows already fitted to its width: a head, then a body of which only the rows
/// in view are copied (a long page costs a frame what it shows).
pub fn page_rows(
    frame: &mut Frame,
    outer: Rect,
    title: String,
    (head, body): (Vec<Line<'static>>, &[Line<'static>]),
    scroll: u16,
    theme: &Theme,
) -> (usize, usize) {
    clear_popup(frame, outer);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(self::title(&title, outer.width, theme.title));
    let width = outer.width.saturating_sub(2) as usize;
    let height = outer.height.saturating_sub(2) as usize;
    let total = head.len() + body.len();
    let top = (scroll as usize).min(total.saturating_sub(height));
    if total > height && height > 0 {
        let end = (top + height).min(total);
        // As much of where it is as fits: the keys go first, the numbers never get cut.
        let room = width.saturating_sub(2);
        let place = [
            format!(" {}-{end} of {total} ↑↓ PgUp PgDn ", top + 1),
            format!(" {}-{end} of {total} ", top + 1),
            format!(" {}-{end}/{total} ", top + 1),
        ]
        .into_iter()
        .find(|t| t.chars().count() <= room);
        if let Some(place) = place {
            block = block.title_bottom(Line::styled(place, theme.dim).right_aligned());
        }
    }
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    let from = top.saturating_sub(head.len());
    let mut shown: Vec<Line<'static>> = head.into_iter().skip(top).take(height).collect();
    let rest = height - shown.len();
    shown.extend(body.get(from..).unwrap_or(&[]).iter().take(rest).cloned());
    frame.render_widget(Paragraph::new(shown), inner);
    (total, height)
}

/// The area of a large popup.
pub fn large_area(area: Rect) -> Rect {
    centered(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2),
    )
}
